/*
 * image.h - the .b8g snapshot image: its layout, and the parsed view the
 * capture, loader and restore code share (docs/image-format.md is the
 * byte-by-byte description for readers outside the engine).
 *
 * Every integer is little-endian and fixed-width; a string is a u32 length
 * and that many bytes (no NUL).  The file:
 *
 *   header      magic, counts, flag, checksum, version, section table
 *   startup     what is needed to rebuild the instances: the module
 *               table, the required imports and, per context, the
 *               capability manifest (what the host must grant)
 *   read-only   the module bytes, shared by all contexts
 *   context i   per-instance state; its memory pages follow its records,
 *               each run at a file offset that is a multiple of 4096 so
 *               that a restore maps it copy-on-write instead of copying
 *   code        optional: translated code for one build of the engine
 *               (ImgCode), with a checksum of its own
 *
 * Sections follow each other in that order without overlapping, and the
 * file ends where the last context ends, or the code data after it.  The
 * header's checksum is XXH3-64 of the file before the code data, read
 * with the checksum field as zero: an open that will not use the code
 * (any but a trusted one) neither copies nor reads it.
 *
 * Nothing in an image is a host address: functions are indices into the
 * instance's function index space (references are index + 1, 0 is null),
 * frames are (function, module offset of the instruction, re-execute or
 * return point), so an image restores into any process of the same
 * engine version whatever the addresses, dispatch build or host paths.
 *
 * The loader trusts nothing: every count is bounded by the bytes left
 * before anything is sized by it, every offset and length is checked
 * against its section; a restore then checks counts against the module
 * and each frame against the translated code (image.h's contract with
 * restore.c: a parsed Image is structurally sound, not yet semantically).
 */
#ifndef B8G_SNAP_IMAGE_H
#define B8G_SNAP_IMAGE_H

#include "b8g.h"
#include "util/common.h"

#define IMG_MAGIC "\x89" "B8GIMG\n"
#define IMG_MAGIC_LEN 8
#define IMG_FORMAT 2
#define IMG_VERSION_LEN 128
/* Header layout (byte offsets). */
#define IMG_OFF_NCTX 8
#define IMG_OFF_REHASH 16
#define IMG_OFF_CHECKSUM 24
#define IMG_OFF_VERSION 32
#define IMG_OFF_STARTUP 160 /* u64 offset, u64 length */
#define IMG_OFF_RO 176      /* u64 offset, u64 length */
#define IMG_OFF_CTX 192     /* per context: u64 offset, u64 length */
#define IMG_HEADER_LEN(n) (IMG_OFF_CTX + 16 * (uint64_t)(n))

/* This version writes and restores one context per image. */
#define IMG_MAX_CONTEXTS 1u
#define IMG_MAX_MODULES 1u
/* Longest string (argument, environment entry, name, path). */
#define IMG_MAX_STR (1u << 20)
/* Memory runs are aligned to, and mapped in, pages of this size. */
#define IMG_PAGE 4096u

/* Context flags. */
#define IMG_CTX_SUSPENDED 1u
#define IMG_CTX_FUEL_UNLIMITED 2u
#define IMG_CTX_FLAGS_ALL 3u

/* Frame kinds: the innermost frame re-executes its safe-point
 * instruction; the others continue after their call. */
#define IMG_FRAME_AT 0
#define IMG_FRAME_RETURN 1

/* A string inside the image (not NUL-terminated in the file; the loader
 * copies each into `s` with a NUL). */
typedef struct ImgStr {
    char *s;
    uint32_t len;
} ImgStr;

typedef struct ImgRun {
    uint64_t addr, len;  /* guest bytes [addr, addr + len) */
    uint64_t file_off;   /* where they are in the file */
} ImgRun;

typedef struct ImgMemory {
    uint32_t pages;
    uint32_t nruns;
    ImgRun *runs;        /* sorted, disjoint, inside pages * 64 KiB */
} ImgMemory;

typedef struct ImgTable {
    uint32_t size;
    const uint8_t *elems; /* size u32s in the file: 0 null, i + 1 func i */
} ImgTable;

/* One manifest entry (startup data) with its state (context data). */
typedef struct ImgHandle {
    uint32_t fd;
    uint8_t kind;        /* b8g_manifest_kind */
    uint8_t filetype;
    uint16_t fdflags;
    uint64_t rights, inheriting;
    uint64_t offset;     /* file position */
    ImgStr name, path;
} ImgHandle;

typedef struct ImgFrame {
    uint32_t func;
    uint32_t offset;     /* module offset of the instruction */
    uint8_t kind;        /* IMG_FRAME_* */
    uint32_t nslots;
    const uint8_t *slots; /* nslots u64s in the file */
} ImgFrame;

typedef struct ImgContext {
    uint32_t flags;
    uint64_t fuel;
    uint32_t argc, envc;
    ImgStr *argv, *env;
    uint32_t nmems;
    ImgMemory *mems;
    uint32_t nglobals;
    const uint8_t *globals; /* u64 each */
    uint32_t ntables;
    ImgTable *tables;
    uint32_t nelems, ndatas;
    const uint8_t *elem_dropped, *data_dropped; /* one byte each, 0 or 1 */
    uint32_t nhandles;
    ImgHandle *handles;
    uint32_t nframes;
    ImgFrame *frames;    /* outermost first */
    uint64_t total_slots;
} ImgContext;

/* A required import, as recorded (the loader checks it against the
 * module's own list). */
typedef struct ImgImport {
    ImgStr module, field;
    uint8_t kind;        /* b8g_extern_kind */
} ImgImport;

/* Translated code for the module (exec/xlstore.h): a header - the build
 * id, the code data's own checksum, the record count - then the records
 * and their arrays. */
#define IMG_BUILD_LEN 64
#define IMG_CODE_OFF_SUM IMG_BUILD_LEN
#define IMG_CODE_HEAD (IMG_BUILD_LEN + 16)
#define IMG_CODE_FUNC_LEN 32 /* bytes per function record */

typedef struct ImgCodeFunc {
    uint32_t func;       /* a defined function's index */
    uint32_t nunits, nstarts, nmap, max_height;
    uint64_t data;       /* its arrays, from the start of the code data */
} ImgCodeFunc;

typedef struct ImgCode {
    uint64_t off, len;   /* the code data in the file; len 0: none */
    /* the rest only when the code data was read (Image.len == file_len) */
    char build[IMG_BUILD_LEN + 1]; /* the build that translated it */
    uint32_t nfuncs;
    ImgCodeFunc *funcs;  /* by rising function index */
} ImgCode;

/* Bytes of a code record's arrays: units, padding to 4, starts, map. */
static inline uint64_t img_code_bytes(const ImgCodeFunc *f)
{
    return ((uint64_t)f->nunits * 2 + 3) / 4 * 4 + (uint64_t)f->nstarts * 4 +
           (uint64_t)f->nmap * 8;
}

/* Where the module table's code data offset is in the startup data (after
 * nmodules and the module's offset, length and hash). */
#define IMG_STARTUP_CODE 28

/* The parsed image: pointers into `bytes`, which it owns. */
typedef struct Image {
    uint8_t *bytes;
    size_t len;          /* bytes held: the file, or all before its code */
    size_t file_len;     /* the whole file */
    bool mapped;         /* bytes is an mmap of the file */
    int fd;              /* the file, for mapping pages; -1: copy them */
    bool rehashable;
    bool checksum_ok;
    char version[IMG_VERSION_LEN + 1];
    const uint8_t *module_bytes;
    uint64_t module_len;
    uint64_t module_hash;
    uint32_t nimports;
    ImgImport *imports;
    ImgCode code;
    ImgContext ctx;      /* context 0 */
} Image;

/* A little-endian field of n bytes (the loader bounds-checked it). */
static inline uint64_t img_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* The version string this engine writes for a module with that hash. */
void img_version(char out[IMG_VERSION_LEN + 1], uint64_t module_hash);
/* XXH3-64 of an image's first len bytes with its checksum field read as
 * zero. */
uint64_t img_checksum(const uint8_t *bytes, size_t len);
/* XXH3-64 of code data with its checksum field read as zero. */
uint64_t img_code_checksum(const uint8_t *code, size_t len);
/* Where the code data of the file_len-byte image starting with bytes[0..
 * len) begins, if its module table names code data that ends the file;
 * else file_len.  A peek, unchecked: img_parse checks it all again. */
uint64_t img_code_start(const uint8_t *bytes, size_t len, size_t file_len);
/* The same from the module table's code offset and length (code data
 * fits if it starts after the header at an 8-byte boundary and ends the
 * file), and where those two fields are, from the header's first
 * IMG_OFF_RO bytes (UINT64_MAX: nowhere). */
uint64_t img_code_fits(uint64_t off, uint64_t n, uint64_t file_len);
uint64_t img_code_table(const uint8_t header[IMG_OFF_RO]);
/* XXH3-64 of module bytes. */
uint64_t img_hash(const uint8_t *bytes, size_t len);

/* How img_parse treats the checksum: verify it (a mismatch fails),
 * verify but go on (inspection: checksum_ok says), or trust it (bytes
 * capture.c just wrote, whose checksum it just computed). */
typedef enum ImgSum { IMG_SUM_VERIFY, IMG_SUM_REPORT, IMG_SUM_TRUSTED } ImgSum;

/* Parses and checks bytes[0..len) into img (which takes nothing: the
 * caller sets img->bytes/len/file_len/mapped/fd first; len is file_len,
 * or img_code_start when the code data was left out).  B8G_IMAGE with
 * what and where. */
b8g_status img_parse(Image *img, ImgSum sum, b8g_error *err);
/* Frees what img_parse allocated and the bytes (unmaps, closes fd). */
void img_release(Image *img);

#endif
