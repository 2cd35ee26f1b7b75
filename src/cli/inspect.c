/*
 * inspect.c - `b8g inspect IMAGE.b8g`: what an image holds, one field a
 * line on stdout, without restoring it.
 *
 * The image is opened with B8G_IMAGE_OPEN_INSPECT, so a checksum that does
 * not match is reported ("checksum: BAD") rather than refused: the rest
 * is still structurally checked by the loader, and is printed so that a
 * damaged file can be looked at.  Such an image cannot be restored, so
 * the command then fails with the bad-image status; an image the loader
 * refuses outright prints the loader's error.  Strings that come from
 * the image (names, paths) are printed with control characters escaped.
 */
#include <inttypes.h>
#include <string.h>

#include "cli/cli.h"

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

int cli_inspect(int argc, char **argv)
{
    if (argc == 1 && (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
        cli_inspect_usage(stdout);
        return 0;
    }
    if (argc != 1 || (argv[0][0] == '-' && argv[0][1])) {
        int code = cli_fail(B8G_ARG, argc ? "b8g inspect takes one image file"
                                          : "no image given");
        cli_inspect_usage(stderr);
        return code;
    }
    b8g_error err;
    b8g_image *img = NULL;
    if (b8g_image_open(argv[0], B8G_IMAGE_OPEN_INSPECT, &img, &err)) return cli_report(&err);
    b8g_image_info info;
    b8g_image_get_info(img, &info);
    print_header(argv[0], &info);
    b8g_status st = print_manifest(img, info.nhandles, &err);
    b8g_image_free(img);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_fail(B8G_IO, "cannot write to standard output");
    if (st) return cli_report(&err);
    if (!info.checksum_ok)
        return cli_fail(B8G_IMAGE, "%s: checksum mismatch: the image is damaged and cannot "
                        "be restored", argv[0]);
    return 0;
}
