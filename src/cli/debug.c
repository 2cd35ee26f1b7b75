/*
 * debug.c - `b8g debug [OPTIONS] PROGRAM.wasm [ARGS...]`: runs a module as
 * `b8g run` does (same grants, limits and confinement), translated with a
 * debug stop before every instruction, and decides at each stop whether
 * the user gets the prompt: the first instruction, a breakpoint, a watched
 * memory range that changed, the end of a step, or a trap.  The commands
 * themselves are debug_cmd.c's.
 *
 * The --batch file is opened before confinement, like every file the
 * session names; an interactive session reads the terminal (standard
 * input, which the guest shares, as under any debugger).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/debug.h"

/* ---- source locations, cached by offset -------------------------------- */

static uint32_t loc_hash(uint64_t off)
{
    return (uint32_t)((off * 0x9e3779b97f4a7c15ull) >> 32);
}

static void loc_grow(Dbg *d)
{
    uint32_t cap = d->locs ? (d->loc_mask + 1) * 2 : 1024;
    DbgLoc *locs = cli_calloc(cap, sizeof *locs);
    for (uint32_t i = 0; i < cap; i++) locs[i].offset = B8G_NO_OFFSET;
    for (uint32_t i = 0; d->locs && i <= d->loc_mask; i++) {
        if (d->locs[i].offset == B8G_NO_OFFSET) continue;
        uint32_t h = loc_hash(d->locs[i].offset) & (cap - 1);
        while (locs[h].offset != B8G_NO_OFFSET) h = (h + 1) & (cap - 1);
        locs[h] = d->locs[i];
    }
    free(d->locs);
    d->locs = locs;
    d->loc_mask = cap - 1;
}

const DbgLoc *dbg_loc(Dbg *d, uint64_t offset)
{
    if (!d->locs || (d->nlocs + 1) * 2 > d->loc_mask + 1) loc_grow(d);
    uint32_t h = loc_hash(offset) & d->loc_mask;
    while (d->locs[h].offset != B8G_NO_OFFSET) {
        if (d->locs[h].offset == offset) return &d->locs[h];
        h = (h + 1) & d->loc_mask;
    }
    b8g_source_loc chain[1];
    DbgLoc *l = &d->locs[h];
    memset(l, 0, sizeof *l);
    l->offset = offset;
    if (b8g_module_source(d->module, offset, chain, 1)) {
        l->file = chain[0].file;
        l->function = chain[0].function;
        l->line = chain[0].line;
        l->column = chain[0].column;
    }
    d->nlocs++;
    return l;
}

void dbg_put_where(Dbg *d, const b8g_debug_stop *stop, uint32_t i)
{
    b8g_frame_info fr;
    if (!b8g_debug_frame(stop, i, &fr)) return;
    printf("func %u", fr.func);
    if (fr.func_name) {
        fputs(" \"", stdout);
        cli_put_safe(stdout, fr.func_name);
        fputc('"', stdout);
    }
    printf(" at offset 0x%llx", (unsigned long long)fr.code_offset);
    const DbgLoc *l = fr.module == d->module ? dbg_loc(d, fr.code_offset) : NULL;
    if (l && l->line) {
        fputs(" (", stdout);
        cli_put_safe(stdout, l->file ? l->file : "?");
        printf(":%u", l->line);
        if (l->column) printf(":%u", l->column);
        fputc(')', stdout);
    }
}

/* ---- whether to stop ----------------------------------------------------- */

/* Records the line frame depth `depth` is on; true if it just came to it. */
static bool came_to_line(Dbg *d, uint32_t depth, const DbgLoc *l)
{
    if (depth >= d->depth_cap) {
        uint32_t cap = d->depth_cap ? d->depth_cap : 64;
        while (cap <= depth) cap *= 2;
        d->depth_file = cli_realloc(d->depth_file, cap, sizeof *d->depth_file);
        d->depth_line = cli_realloc(d->depth_line, cap, sizeof *d->depth_line);
        d->depth_cap = cap;
    }
    /* frames above the last stop's are new calls: no line yet */
    for (uint32_t k = d->last_depth + 1; k <= depth; k++) {
        d->depth_file[k] = NULL;
        d->depth_line[k] = 0;
    }
    d->last_depth = depth;
    if (!l->line) return false;
    bool came = d->depth_line[depth] != l->line || d->depth_file[depth] != l->file;
    d->depth_file[depth] = l->file;
    d->depth_line[depth] = l->line;
    return came;
}

static const DbgBreak *hit_break(Dbg *d, uint64_t offset, const DbgLoc *l, bool came)
{
    for (uint32_t i = 0; i < d->nbreaks; i++) {
        DbgBreak *b = &d->breaks[i];
        bool hit = b->kind == DBG_BREAK_OFFSET
                       ? b->offset == offset
                       : came && l->line == b->line && l->file == b->file;
        if (hit) {
            b->hits++;
            return b;
        }
    }
    return NULL;
}

/* The first watch whose bytes differ from the last stop's, or NULL. */
static DbgWatch *changed_watch(Dbg *d, uint8_t now[8], bool *readable)
{
    uint64_t size;
    const uint8_t *mem = b8g_instance_memory(d->inst, &size);
    for (uint32_t i = 0; i < d->nwatches; i++) {
        DbgWatch *w = &d->watches[i];
        bool ok = mem && w->addr <= size && w->len <= size - w->addr;
        if (ok) memcpy(now, mem + w->addr, w->len);
        if (ok != w->readable || (ok && memcmp(now, w->old, w->len) != 0)) {
            *readable = ok;
            return w;
        }
    }
    return NULL;
}

static uint64_t watch_value(const uint8_t *b, uint32_t len)
{
    uint64_t v = 0;
    for (uint32_t i = len; i-- > 0;) v = v << 8 | b[i]; /* little-endian */
    return v;
}

/* Has the step in progress ended at this stop? */
static bool step_done(Dbg *d, uint32_t depth, const DbgLoc *l)
{
    bool other_line = l->line && (l->line != d->from_line || l->file != d->from_file);
    switch (d->mode) {
    case DBG_STEPI: return true;
    case DBG_STEP: return l->line && (depth != d->from_depth || other_line);
    case DBG_NEXT:
        return l->line && (depth < d->from_depth || (depth == d->from_depth && other_line));
    case DBG_FINISH: return depth < d->from_depth;
    case DBG_CONTINUE: break;
    }
    return false;
}

static bool on_stop(void *arg, const b8g_debug_stop *stop)
{
    Dbg *d = arg;
    if (d->quit) return false; /* the trap `quit` itself raises */
    d->stops++;
    uint32_t depth = b8g_debug_depth(stop);
    b8g_frame_info f0;
    b8g_debug_frame(stop, 0, &f0);
    const DbgLoc *l = dbg_loc(d, f0.code_offset);
    b8g_trap_kind trap = b8g_debug_trap(stop);
    bool came = trap == B8G_TRAP_NONE && came_to_line(d, depth, l);
    if (!d->inst) d->inst = b8g_debug_instance(stop, 0);

    const DbgBreak *b = NULL;
    DbgWatch *w = NULL;
    uint8_t now[8];
    bool readable = false;
    if (trap != B8G_TRAP_NONE) {
        printf("trapped: %s\n", b8g_trap_name(trap));
    } else if (!d->started) {
        d->started = true;
        printf("stopped at the first instruction\n");
    } else if ((w = changed_watch(d, now, &readable)) != NULL) {
        printf("watch %u: 0x%llx (%u byte%s): ", w->id, (unsigned long long)w->addr, w->len,
               w->len == 1 ? "" : "s");
        if (w->readable) printf("0x%llx", (unsigned long long)watch_value(w->old, w->len));
        else fputs("out of memory", stdout);
        fputs(" -> ", stdout);
        if (readable) printf("0x%llx\n", (unsigned long long)watch_value(now, w->len));
        else fputs("out of memory\n", stdout);
    } else if ((b = hit_break(d, f0.code_offset, l, came)) != NULL) {
        printf("breakpoint %u, ", b->id);
    } else if (d->mode == DBG_CONTINUE || !step_done(d, depth, l) ||
               (d->count > 1 && (d->count--, true))) {
        return true;
    }
    d->mode = DBG_CONTINUE;
    d->count = 0;
    d->frame = 0;
    if (w || trap != B8G_TRAP_NONE || !b) fputs("at ", stdout);
    dbg_put_where(d, stop, 0);
    fputc('\n', stdout);
    bool go_on = dbg_commands(d, stop);
    dbg_watch_refresh(d);
    /* what a step compares with is where it starts; looked up again, as
     * printing and the commands may have grown the cache l pointed into */
    d->from_depth = depth - (d->frame < depth ? d->frame : 0);
    b8g_frame_info fr = f0;
    if (d->frame) b8g_debug_frame(stop, d->frame, &fr);
    l = dbg_loc(d, fr.code_offset);
    d->from_file = l->file;
    d->from_line = l->line;
    fflush(stdout);
    return go_on;
}

/* ---- the command --------------------------------------------------------- */

void cli_debug_usage(FILE *f)
{
    fputs("usage: b8g debug [OPTIONS] PROGRAM.wasm [ARGS...]\n"
          "\n"
          "Runs PROGRAM as 'b8g run' does, stopping before its first instruction\n"
          "for debugger commands ('help' lists them).\n"
          "\n"
          "options:\n"
          "  --batch FILE       read the commands from FILE (echoed as they run);\n"
          "                     at its end the program is ended\n"
          "  --invoke NAME      call export NAME with ARGS instead of _start\n"
          "  --dir, --env, --env-inherit, --stdin, --fuel, --max-stack,\n"
          "  --max-memory, --no-confine, --trace   as for 'b8g run'\n",
          f);
}

static int load_program(const char *path, b8g_module **out)
{
    b8g_error err;
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (cli_read_file(path, &bytes, &len, &err)) return cli_report(&err);
    b8g_status st = len >= 4 && memcmp(bytes, "\0asm", 4) == 0
                        ? b8g_module_load_debug(bytes, len, out, &err)
                        : cli_err(&err, B8G_ARG, "%s is not a WebAssembly module", path);
    free(bytes);
    return st ? cli_report(&err) : -1;
}

static int debug_program(const RunOpts *o, Dbg *d, b8g_module *m)
{
    CliSession ss;
    int code = cli_session_open(&ss, o, NULL);
    if (code < 0) {
        b8g_store_set_debugger(ss.store, on_stop, d);
        b8g_error err;
        b8g_instance *inst = NULL;
        b8g_status st = b8g_instantiate(ss.store, m, &inst, &err);
        if (!st) st = b8g_wasi_attach(ss.wasi, inst, &err);
        if (!st) {
            d->inst = inst;
            st = o->invoke ? cli_invoke(inst, m, o, &err) : cli_start(inst, m, &err);
        }
        fflush(stdout);
        if (d->quit) {
            fputs("b8g: the program was ended by the debugger\n", stderr);
            code = 0;
        } else {
            if (!st) printf("the program finished after %llu instructions\n",
                            (unsigned long long)d->stops);
            fflush(stdout);
            code = cli_session_finish(&ss, inst, st, &err);
        }
    }
    cli_session_close(&ss);
    return code;
}

int cli_debug(int argc, char **argv)
{
    RunOpts o;
    int code = cli_parse_run_args(argc, argv, &o, CLI_CMD_DEBUG, false, cli_debug_usage);
    if (code >= 0) {
        cli_free_run_opts(&o);
        return code;
    }
    Dbg d;
    memset(&d, 0, sizeof d);
    d.next_id = 1;
    b8g_module *m = NULL;
    if (o.batch) {
        d.in = fopen(o.batch, "r");
        if (!d.in) code = cli_fail(B8G_IO, "cannot open %s: %s", o.batch, strerror(errno));
        d.batch = true;
    } else {
        d.in = stdin;
        d.interactive = isatty(0);
    }
    if (code < 0) code = load_program(o.program, &m);
    if (code < 0) {
        d.module = m;
        code = debug_program(&o, &d, m);
    }
    if (d.in && d.in != stdin) fclose(d.in);
    dbg_free_session(&d);
    b8g_module_free(m);
    cli_free_run_opts(&o);
    return code;
}
