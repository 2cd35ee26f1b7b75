/*
 * report.c - diagnostics on stderr: "b8g: " + the engine's error text, then
 * the backtrace of a trap, one frame per line, with source locations when
 * the module has DWARF: first a line for each call inlined into the frame,
 * innermost first, then the frame with its own location:
 *
 *   #0 inlined "helper" at t.c:2:43
 *   #0 func 5 "main" at offset 0x11e (t.c:6:11)
 */
#include <stdarg.h>
#include <string.h>

#include "cli/cli.h"

void cli_put_safe(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        /* C0 controls, DEL, and the C1 controls' UTF-8 form (C2 80..9F):
         * terminals act on all of them. */
        bool c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
        if (*p < 0x20 || *p == 0x7f || c1) {
            fprintf(f, "\\x%02x", *p);
            if (c1) fprintf(f, "\\x%02x", *++p);
        } else {
            fputc(*p, f);
        }
    }
}

static void put_quoted(FILE *f, const char *s)
{
    fputs(" \"", f);
    cli_put_safe(f, s);
    fputc('"', f);
}

/* FILE:LINE:COLUMN, leaving out what is unknown ("?" for a file). */
static void put_location(FILE *f, const b8g_source_loc *loc)
{
    cli_put_safe(f, loc->file ? loc->file : "?");
    if (loc->line) fprintf(f, ":%u", loc->line);
    if (loc->line && loc->column) fprintf(f, ":%u", loc->column);
}

/* Deeper inlining than this is shown from the innermost call outwards,
 * without the frame's own location. */
#define MAX_SOURCE_CHAIN 16

void cli_put_frame(FILE *f, uint32_t i, const b8g_frame_info *fr)
{
    b8g_source_loc chain[MAX_SOURCE_CHAIN];
    uint32_t n = fr->code_offset == B8G_NO_OFFSET ? 0
                 : b8g_module_source(fr->module, fr->code_offset, chain, MAX_SOURCE_CHAIN);
    uint32_t shown = n < MAX_SOURCE_CHAIN ? n : MAX_SOURCE_CHAIN;
    for (uint32_t k = 0; k < shown && chain[k].inlined; k++) {
        fprintf(f, "  #%u inlined", i);
        if (chain[k].function) put_quoted(f, chain[k].function);
        if (chain[k].file || chain[k].line) {
            fputs(" at ", f);
            put_location(f, &chain[k]);
        }
        fputc('\n', f);
    }
    fprintf(f, "  #%u func %u", i, fr->func);
    if (fr->func_name) put_quoted(f, fr->func_name);
    if (fr->code_offset != B8G_NO_OFFSET)
        fprintf(f, " at offset 0x%llx", (unsigned long long)fr->code_offset);
    if (n && n <= MAX_SOURCE_CHAIN && (chain[n - 1].file || chain[n - 1].line)) {
        fputs(" (", f);
        put_location(f, &chain[n - 1]);
        fputc(')', f);
    }
    fputc('\n', f);
}

static bool same_frame(const b8g_frame_info *a, const b8g_frame_info *b)
{
    return a->func == b->func && a->code_offset == b->code_offset &&
           a->module == b->module;
}

/* Runaway recursion fills the backtrace with one frame; after two copies
 * the rest of a run is counted rather than printed. */
static void put_backtrace(const b8g_error *e)
{
    uint32_t n = e->nframes < B8G_MAX_BACKTRACE ? e->nframes : B8G_MAX_BACKTRACE;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t run = 0;
        while (i >= 1 && i + run < n && same_frame(&e->frames[i + run], &e->frames[i - 1]))
            run++;
        if (run >= 2) {
            cli_put_frame(stderr, i, &e->frames[i]);
            fprintf(stderr, "  ... %u more identical frame%s\n", run - 1, run - 1 == 1 ? "" : "s");
            i += run - 1;
            continue;
        }
        cli_put_frame(stderr, i, &e->frames[i]);
    }
}

int cli_report(const b8g_error *e)
{
    char buf[512];
    fputs("b8g: ", stderr);
    cli_put_safe(stderr, b8g_error_format(e, buf, sizeof buf));
    fputc('\n', stderr);
    put_backtrace(e);
    int code = b8g_status_exit_code(e->code);
    /* An error that claims success must still fail the command. */
    return code ? code : 1;
}

static void err_vfill(b8g_error *e, b8g_status code, const char *fmt,
                      va_list ap)
{
    memset(e, 0, sizeof *e);
    e->code = code;
    e->offset = B8G_NO_OFFSET;
    e->func = B8G_NO_FUNC;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

b8g_status cli_err(b8g_error *e, b8g_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vfill(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int cli_fail(b8g_status code, const char *fmt, ...)
{
    b8g_error e;
    va_list ap;
    va_start(ap, fmt);
    err_vfill(&e, code, fmt, ap);
    va_end(ap);
    return cli_report(&e);
}
