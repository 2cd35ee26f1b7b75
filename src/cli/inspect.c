/*
 * inspect.c - `b8g inspect [--json] FILE`: what an image or a module
 * holds, on stdout, without restoring or running anything.
 *
 * FILE is an image if it starts with the image magic, as `b8g run`
 * decides; anything else is inspected as a module (inspect_module.c), so
 * that a damaged module is reported as one.
 *
 * The image is opened with B8G_IMAGE_OPEN_INSPECT, so a checksum that does
 * not match is reported ("checksum: BAD") rather than refused: the rest
 * is still structurally checked by the loader, and is printed so that a
 * damaged file can be looked at.  Such an image cannot be restored, so
 * the command then fails with the bad-image status; an image the loader
 * refuses outright prints the loader's error.  Strings that come from
 * the image (names, paths) are printed with control characters escaped,
 * or escaped by the JSON writer's rules with --json.
 */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/json.h"
#include "snap/image.h" /* IMG_MAGIC: the format's own, not a copy */

static const char *kind_name(b8g_manifest_kind k)
{
    switch (k) {
    case B8G_MANIFEST_STDIO: return "stdio";
    case B8G_MANIFEST_PREOPEN: return "preopen";
    case B8G_MANIFEST_FILE: return "file";
    case B8G_MANIFEST_DIR: return "dir";
    }
    return "?";
}

static void put_quoted(const char *s)
{
    putchar('"');
    cli_put_safe(stdout, s ? s : "");
    putchar('"');
}

static void print_header(const char *path, const b8g_image_info *in)
{
    fputs("image: ", stdout);
    cli_put_safe(stdout, path);
    fputs("\nversion: ", stdout);
    cli_put_safe(stdout, in->version);
    printf("\ncontexts: %" PRIu32 "\n", in->ncontexts);
    printf("rehashable: %s\n", in->rehashable ? "yes" : "no");
    if (!in->rehashable)
        puts("warning: captured after the guest read entropy, a clock or a link key: "
             "restoring it more than once forks the secrets it read");
    printf("checksum: %s\n", in->checksum_ok ? "ok" : "BAD");
    printf("file size: %" PRIu64 " bytes\n", in->file_bytes);
    printf("module size: %" PRIu64 " bytes\n", in->module_bytes);
    if (in->code_bytes)
        printf("code: %" PRIu32 " functions translated, %" PRIu64 " bytes, %s\n", in->code_funcs,
               in->code_bytes, in->code_this_build ? "by this build" : "by another build (unused)");
    else puts("code: none");
    printf("memories: %" PRIu32 "\n", in->nmemories);
    if (in->nmemories)
        printf("memory: %" PRIu64 " bytes, %" PRIu64 " stored\n", in->memory_bytes,
               in->stored_bytes);
    if (in->suspended)
        printf("suspended: yes (%" PRIu32 " frame%s)\n", in->nframes, in->nframes == 1 ? "" : "s");
    else puts("suspended: no");
    if (in->fuel == UINT64_MAX) puts("fuel left: unlimited");
    else printf("fuel left: %" PRIu64 "\n", in->fuel);
    printf("argv: %" PRIu32 "\n", in->argc);
    printf("env: %" PRIu32 "\n", in->envc);
    printf("handles: %" PRIu32 "\n", in->nhandles);
}

/* One line per manifest entry: what a restore must be given. */
static b8g_status print_manifest(const b8g_image *img, uint32_t n, b8g_error *err)
{
    for (uint32_t i = 0; i < n; i++) {
        b8g_manifest_entry e;
        b8g_status st = b8g_image_manifest(img, i, &e);
        if (st) return cli_err(err, st, "manifest entry %" PRIu32 " cannot be read", i);
        printf("  fd %" PRIu32 " %s name ", e.fd, kind_name(e.kind));
        put_quoted(e.name);
        fputs(" path ", stdout);
        put_quoted(e.path);
        printf(" rights 0x%" PRIx64 " inheriting 0x%" PRIx64 "\n", e.rights, e.inheriting);
    }
    return B8G_OK;
}

static void json_image_fields(JsonWriter *w, const char *path, const b8g_image_info *in)
{
    jw_field_cstr(w, "file", path);
    jw_field_cstr(w, "kind", "image");
    jw_field_cstr(w, "version", in->version);
    jw_field_uint(w, "contexts", in->ncontexts);
    jw_field_bool(w, "rehashable", in->rehashable);
    jw_field_bool(w, "checksum_ok", in->checksum_ok);
    jw_field_uint(w, "file_size", in->file_bytes);
    jw_field_uint(w, "module_size", in->module_bytes);
    jw_field_uint(w, "code_functions", in->code_funcs);
    jw_field_uint(w, "code_bytes", in->code_bytes);
    jw_field_bool(w, "code_this_build", in->code_this_build);
    jw_field_uint(w, "memories", in->nmemories);
    if (in->nmemories) {
        jw_field_uint(w, "memory_bytes", in->memory_bytes);
        jw_field_uint(w, "stored_bytes", in->stored_bytes);
    } else {
        jw_field_null(w, "memory_bytes");
        jw_field_null(w, "stored_bytes");
    }
    jw_field_bool(w, "suspended", in->suspended);
    jw_field_uint(w, "frames", in->suspended ? in->nframes : 0);
    if (in->fuel == UINT64_MAX) jw_field_null(w, "fuel");
    else jw_field_uint(w, "fuel", in->fuel);
    jw_field_uint(w, "argc", in->argc);
    jw_field_uint(w, "envc", in->envc);
}

/* A manifest entry that cannot be read ends the list early; the caller
 * still closes the document, so what was printed stays valid JSON. */
static b8g_status json_manifest(JsonWriter *w, const b8g_image *img, uint32_t n, b8g_error *err)
{
    jw_key(w, "handles");
    jw_array_begin(w);
    b8g_status st = B8G_OK;
    for (uint32_t i = 0; i < n; i++) {
        b8g_manifest_entry e;
        st = b8g_image_manifest(img, i, &e);
        if (st) {
            cli_err(err, st, "manifest entry %" PRIu32 " cannot be read", i);
            break;
        }
        jw_object_begin_flat(w);
        jw_field_uint(w, "fd", e.fd);
        jw_field_cstr(w, "kind", kind_name(e.kind));
        jw_field_cstr(w, "name", e.name ? e.name : "");
        jw_field_cstr(w, "path", e.path ? e.path : "");
        jw_field_uint(w, "rights", e.rights);
        jw_field_uint(w, "inheriting", e.inheriting);
        jw_object_end(w);
    }
    jw_array_end(w);
    return st;
}

static b8g_status json_image(const char *path, const b8g_image *img, const b8g_image_info *in,
                             b8g_error *err)
{
    JsonWriter w;
    jw_init(&w, stdout);
    jw_object_begin(&w);
    json_image_fields(&w, path, in);
    b8g_status st = json_manifest(&w, img, in->nhandles, err);
    jw_object_end(&w);
    jw_finish(&w);
    return st;
}

/* bytes NULL: open the file at path (the loader may map its pages). */
static int inspect_image(const char *path, const uint8_t *bytes, size_t len, bool json)
{
    b8g_error err;
    b8g_image *img = NULL;
    b8g_status st = bytes ? b8g_image_open_bytes(bytes, len, B8G_IMAGE_OPEN_INSPECT, &img, &err)
                          : b8g_image_open(path, B8G_IMAGE_OPEN_INSPECT, &img, &err);
    if (st) return cli_report(&err);
    b8g_image_info info;
    b8g_image_get_info(img, &info);
    if (json) {
        st = json_image(path, img, &info, &err);
    } else {
        print_header(path, &info);
        st = print_manifest(img, info.nhandles, &err);
    }
    b8g_image_free(img);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_fail(B8G_IO, "cannot write to standard output");
    if (st) return cli_report(&err);
    if (!info.checksum_ok)
        return cli_fail(B8G_IMAGE, "%s: checksum mismatch: the image is damaged and cannot "
                        "be restored", path);
    return 0;
}

static bool has_image_magic(const uint8_t *bytes, size_t len)
{
    return len >= IMG_MAGIC_LEN && memcmp(bytes, IMG_MAGIC, IMG_MAGIC_LEN) == 0;
}

/* Only the first bytes of a file are read to tell: an image is opened by
 * path, so that its memory pages need not be read here. */
static bool file_is_image(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    uint8_t head[IMG_MAGIC_LEN];
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return has_image_magic(head, got);
}

static int inspect_file(const char *path, bool json)
{
    if (strcmp(path, "-") != 0 && file_is_image(path)) return inspect_image(path, NULL, 0, json);
    b8g_error err;
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (cli_read_file(path, &bytes, &len, &err)) return cli_report(&err);
    int code = has_image_magic(bytes, len) ? inspect_image(path, bytes, len, json)
                                           : cli_inspect_module(path, bytes, len, json);
    free(bytes);
    return code;
}

static bool is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_inspect(int argc, char **argv)
{
    bool json = false;
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            cli_inspect_usage(stdout);
            return 0;
        }
        const char *why = NULL;
        if (strcmp(argv[i], "--json") == 0) json = true;
        else if (argv[i][0] == '-' && argv[i][1]) why = "unknown option";
        else if (path) why = "b8g inspect takes one file, unexpected";
        else path = argv[i];
        if (why) {
            int code = cli_fail(B8G_ARG, "%s \"%s\"", why, argv[i]);
            cli_inspect_usage(stderr);
            return code;
        }
    }
    if (!path) {
        int code = cli_fail(B8G_ARG, "no module or image given");
        cli_inspect_usage(stderr);
        return code;
    }
    return inspect_file(path, json);
}
