/*
 * js.c - `b8g js [OPTIONS] [-m|--module] SCRIPT.js [ARGS...]` and
 * `b8g js [OPTIONS] [-m|--module] -e CODE [ARGS...]`: JavaScript run by
 * the pre-initialised QuickJS image (docs/js.md).
 *
 * It is `b8g run [OPTIONS] IMAGE [GUEST ARGS...]`, parsed and run by the
 * same code (options.c, run.c), with two additions:
 *
 *   - the image is found for the user: $B8G_JS_IMAGE, else js/qjs.b8g
 *     beside the b8g executable (`make js` builds it there, with the
 *     translated code of everything its init ran).  Only that one is
 *     opened trusted (B8G_IMAGE_OPEN_TRUSTED: mapped, not copied, and its
 *     code taken as it is): it was installed with b8g and is as much
 *     b8g as the executable is.  An image named by the environment is
 *     opened like any other;
 *   - the directory holding SCRIPT is granted read-only under the path
 *     the user wrote ("tests/js/a.js": tests/js as "tests/js"; "a.js": .
 *     as "."), unless a --dir already has that guest path, so that the
 *     guest can read the script and the modules beside it.  Nothing else
 *     is granted without --dir.
 *
 * The guest's part starts at -e, --eval, -m, --module, "--" or the first
 * argument that is neither an option of b8g run nor an option's value.
 * A leading "./" is dropped from SCRIPT: wasi-libc drops it from the name
 * of a preopen but not from a path it matches against those names.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/run.h"

#define JS_IMAGE_ENV "B8G_JS_IMAGE"
#define JS_IMAGE_BESIDE "js/qjs.b8g" /* relative to b8g's directory */

static bool is_arg(const char *a, const char *x, const char *y)
{
    return strcmp(a, x) == 0 || (y && strcmp(a, y) == 0);
}

/* Does a start the guest's arguments (the driver's options, "--", or not
 * an option at all)? */
static bool starts_guest(const char *a)
{
    return a[0] != '-' || a[1] == 0 || is_arg(a, "--", NULL) || is_arg(a, "-e", "--eval") ||
           is_arg(a, "-m", "--module");
}

/* Index of the guest's first argument in argv (argc: none), or -1 if
 * the last option lacks its value. */
static int guest_start(int argc, char **argv)
{
    int i = 0;
    while (i < argc && !starts_guest(argv[i])) {
        int n = cli_run_option_args(argv[i], CLI_CMD_JS);
        i += n ? n : 1; /* not an option: the parser reports it */
    }
    return i <= argc ? i : -1;
}

/* Index of SCRIPT among argv[i..argc) read as the driver reads them, or
 * -1 (-e CODE, or a command line the driver refuses). */
static int script_index(int argc, char **argv, int i)
{
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (is_arg(a, "-m", "--module")) continue;
        if (is_arg(a, "--", NULL)) return i + 1 < argc ? i + 1 : -1;
        if (a[0] == '-' && a[1]) return -1;
        return i;
    }
    return -1;
}

/* path without leading "./" (unless nothing else would be left). */
static char *drop_dot_slash(char *path)
{
    char *p = path;
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/') p++;
    }
    return *p ? p : path;
}

static char *copy_n(const char *s, size_t n)
{
    char *c = cli_calloc(n + 1, 1);
    memcpy(c, s, n);
    return c;
}

/* SCRIPT's directory as written: "." for a bare name, "/" at the root. */
static char *script_dir(const char *script)
{
    const char *slash = strrchr(script, '/');
    if (!slash) return copy_n(".", 1);
    size_t len = (size_t)(slash - script);
    while (len > 0 && script[len - 1] == '/') len--;
    return len ? copy_n(script, len) : copy_n("/", 1);
}

/* Equal up to trailing slashes. */
static bool same_dir(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    while (la > 1 && a[la - 1] == '/') la--;
    while (lb > 1 && b[lb - 1] == '/') lb--;
    return la == lb && memcmp(a, b, la) == 0;
}

static bool has_guest_dir(const RunOpts *o, const char *dir)
{
    for (uint32_t k = 0; k < o->ndirs; k++) {
        const char *g = o->dirs[k].guest_path ? o->dirs[k].guest_path : o->dirs[k].host_path;
        if (same_dir(g, dir)) return true;
    }
    return false;
}

/* Grants `dir` (taking it) read-only under its own name, unless a --dir
 * has that guest path.  o->dirs has room for one more
 * (cli_parse_run_args). */
static void grant_script_dir(RunOpts *o, char *dir)
{
    if (has_guest_dir(o, dir)) {
        free(dir);
        return;
    }
    o->dirs[o->ndirs++] = (b8g_wasi_dir){
        .host_path = dir, .guest_path = copy_n(dir, strlen(dir)), .readonly = true};
}

/* The image's path (free()), or NULL after reporting why there is none;
 * *code is then the exit status.  *own: it is the one beside b8g. */
static char *image_path(int *code, bool *own)
{
    const char *env = getenv(JS_IMAGE_ENV);
    char *path;
    *own = !(env && env[0]);
    if (!*own) {
        path = copy_n(env, strlen(env));
    } else {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0) {
            *code = cli_fail(B8G_IO, "cannot find the b8g executable (/proc/self/exe: %s): set %s",
                             strerror(errno), JS_IMAGE_ENV);
            return NULL;
        }
        exe[n] = 0;
        size_t dir = (size_t)(strrchr(exe, '/') - exe) + 1; /* an absolute path */
        path = cli_calloc(dir + sizeof JS_IMAGE_BESIDE, 1);
        memcpy(path, exe, dir);
        memcpy(path + dir, JS_IMAGE_BESIDE, sizeof JS_IMAGE_BESIDE);
    }
    if (access(path, R_OK) != 0) {
        *code = cli_fail(B8G_IO, "no JavaScript image at %s: build it with make js", path);
        free(path);
        return NULL;
    }
    return path;
}

int cli_js(int argc, char **argv)
{
    int g = guest_start(argc, argv), code;
    RunOpts o;
    if (g < 0) { /* the parser says which option lacks what */
        code = cli_parse_run_args(argc, argv, &o, CLI_CMD_JS, false, cli_js_usage);
        cli_free_run_opts(&o);
        return code;
    }
    /* [OPTIONS..., IMAGE, GUEST ARGS...], SCRIPT without its "./"; the
     * image is looked for once the options are known to be good. */
    int n = argc + 1, s = g < argc ? script_index(argc, argv, g) : -1;
    char **av = cli_calloc((size_t)n + 1, sizeof *av);
    memcpy(av, argv, (size_t)g * sizeof *av);
    av[g] = "image";
    memcpy(av + g + 1, argv + g, (size_t)(argc - g) * sizeof *av);
    if (s >= 0) av[s + 1] = drop_dot_slash(argv[s]);
    char *image = NULL;
    code = cli_parse_run_args(n, av, &o, CLI_CMD_JS, false, cli_js_usage);
    if (code < 0 && g == argc) {
        code = cli_fail(B8G_ARG, "no script given");
        cli_js_usage(stderr);
    } else if (code < 0 && (image = image_path(&code, &o.trust_image))) {
        o.program = image;
        char *dir = s >= 0 ? script_dir(av[s + 1]) : NULL;
        /* the whole file system is too much to grant by naming a script */
        if (dir && strcmp(dir, "/") == 0 && !has_guest_dir(&o, dir)) {
            code = cli_fail(B8G_ARG, "%s is in the root directory: grant it with --dir "
                            "explicitly, or move it", av[s + 1]);
            free(dir);
        } else {
            if (dir) grant_script_dir(&o, dir);
            code = cli_run_opts(&o);
        }
    }
    cli_free_run_opts(&o);
    free(av);
    free(image);
    return code;
}
