/*
 * debug_cmd.c - the commands of `b8g debug`, in the spirit of gdb's
 * (`help` lists them).  A command either looks at the stopped program
 * (backtrace, print, x, info) and the next one is read, or gives the
 * program back control (continue, step, next, stepi, finish, quit).
 *
 * Everything a command reads comes from the engine's view of the stop
 * (b8g_debug_*): values are checked against the frame's locals and the
 * memory's size, so no command can read outside what the guest has.  C
 * variables (b8g_debug_variables) are the engine's reading of the DWARF;
 * their names and values are the module's text and printed escaped.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/debug.h"

#define MAX_WORDS 4
#define MAX_DUMP 4096u
#define MAX_OFFSETS 64
#define MAX_SOURCE_VARS 4096u /* C variables one command looks at */
#define MAX_VALUE 1024        /* text of one value */

typedef struct Cmd {
    char *w[MAX_WORDS]; /* words; w[0] the command */
    int n;
} Cmd;

/* ---- small parsers --------------------------------------------------------- */

static bool parse_number(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+') return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end) return false;
    *out = v;
    return true;
}

/* Frame i's local named "$N", as an unsigned number (an address). */
static bool local_number(Dbg *d, const b8g_debug_stop *stop, const char *s, b8g_val *out)
{
    uint64_t n;
    if (s[0] != '$' || !parse_number(s + 1, &n) || n > UINT32_MAX) return false;
    return b8g_debug_local(stop, d->frame, (uint32_t)n, out);
}

/* An address: a number, or a local holding one. */
static bool parse_addr(Dbg *d, const b8g_debug_stop *stop, const char *s, uint64_t *out)
{
    b8g_val v;
    if (s && s[0] == '$') {
        if (!local_number(d, stop, s, &v)) return false;
        if (v.type == B8G_I32) *out = (uint32_t)v.of.i32;
        else if (v.type == B8G_I64) *out = (uint64_t)v.of.i64;
        else return false;
        return true;
    }
    return parse_number(s, out);
}

static void put_val(const b8g_val *v)
{
    char buf[64];
    printf("%s = %s", b8g_valtype_name(v->type), b8g_val_format(v, buf, sizeof buf));
    if (v->type == B8G_I32) printf(" (0x%x)", (unsigned)v->of.i32);
    else if (v->type == B8G_I64) printf(" (0x%llx)", (unsigned long long)v->of.i64);
}

static void put_local(const b8g_debug_stop *stop, uint32_t frame, uint32_t i, uint32_t nparams)
{
    b8g_val v;
    if (!b8g_debug_local(stop, frame, i, &v)) return;
    printf("$%u (%s) ", i, i < nparams ? "param" : "local");
    put_val(&v);
    fputc('\n', stdout);
}

/* ---- C variables -------------------------------------------------------- */

/* The C variables in scope at the selected frame (free *out). */
static uint32_t source_vars(Dbg *d, const b8g_debug_stop *stop, b8g_source_var **out)
{
    uint32_t n = b8g_debug_variables(stop, d->frame, NULL, 0);
    if (n > MAX_SOURCE_VARS) n = MAX_SOURCE_VARS;
    *out = n ? cli_calloc(n, sizeof **out) : NULL;
    if (n) b8g_debug_variables(stop, d->frame, *out, n);
    return n;
}

/* "total int = 14", "n (param) int = 3" */
static void put_source_var(Dbg *d, const b8g_debug_stop *stop, const b8g_source_var *v)
{
    char val[MAX_VALUE];
    cli_put_safe(stdout, v->name);
    fputs(v->param ? " (param) " : " ", stdout);
    cli_put_safe(stdout, v->type);
    fputs(" = ", stdout);
    cli_put_safe(stdout, b8g_debug_variable_format(stop, d->frame, v, val, sizeof val));
    fputc('\n', stdout);
}

/* Prints the variables that are (global) or are not file-scope ones;
 * false if there are none. */
static bool put_source_vars(Dbg *d, const b8g_debug_stop *stop, bool global)
{
    b8g_source_var *vars;
    uint32_t n = source_vars(d, stop, &vars), shown = 0;
    for (uint32_t i = 0; i < n; i++)
        if (vars[i].global == global) {
            put_source_var(d, stop, &vars[i]);
            shown++;
        }
    free(vars);
    return shown > 0;
}

/* print NAME: the variable the code at the selected frame sees by that
 * name (the innermost scope's); false if there is none. */
static bool print_source_var(Dbg *d, const b8g_debug_stop *stop, const char *name)
{
    b8g_source_var *vars;
    uint32_t n = source_vars(d, stop, &vars), best = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++)
        if (vars[i].name && strcmp(vars[i].name, name) == 0 &&
            (best == UINT32_MAX || vars[i].scope > vars[best].scope))
            best = i;
    if (best != UINT32_MAX) put_source_var(d, stop, &vars[best]);
    free(vars);
    return best != UINT32_MAX;
}

static bool is_identifier(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_') return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return false;
    return true;
}

static const uint8_t *memory(Dbg *d, uint64_t *size)
{
    return b8g_instance_memory(d->inst, size);
}

/* ---- commands that look ------------------------------------------------ */

static void cmd_help(void)
{
    fputs("break FUNC | break FILE:LINE | break LINE | break *OFFSET   stop there (b)\n"
          "delete [N]             remove breakpoint or watch N (all without N)\n"
          "watch ADDR [LEN]       stop when LEN (1, 2, 4 or 8; 4) bytes at ADDR change\n"
          "continue               run to a breakpoint, a watch or the end (c)\n"
          "step [N]               to the next source line, into calls (s)\n"
          "next [N]               to the next source line, over calls (n)\n"
          "stepi [N]              one wasm instruction (si)\n"
          "finish                 until the selected frame returns\n"
          "backtrace              the frames, innermost first (bt, where)\n"
          "frame N | up | down    select a frame for locals and finish (f)\n"
          "info locals            C params and locals of the selected frame (clang -g),\n"
          "                       else its wasm params and locals\n"
          "info wasm              wasm params and locals of the selected frame\n"
          "info globals           C file-scope variables, then the instance's globals\n"
          "info breakpoints       breakpoints and watches (info watch too)\n"
          "print NAME             the C variable NAME seen at the selected frame (p)\n"
          "print $N | $gN         wasm local N of the selected frame, global N\n"
          "print TYPE ADDR        memory at ADDR as i32, i64, f32, f64, u8, i8,\n"
          "                       u16, i16 or u32\n"
          "x ADDR [LEN]           LEN bytes (64) of memory in hex and ASCII\n"
          "quit                   end the program and the session (q, kill)\n"
          "ADDR is a number (0x for hex) or $N, a local holding an address.\n",
          stdout);
}

static void cmd_backtrace(Dbg *d, const b8g_debug_stop *stop)
{
    uint32_t n = b8g_debug_depth(stop);
    for (uint32_t i = 0; i < n; i++) {
        b8g_frame_info fr;
        if (!b8g_debug_frame(stop, i, &fr)) break;
        cli_put_frame(stdout, i, &fr);
        if (i == B8G_MAX_BACKTRACE && n > i + 1) {
            printf("  ... %u more frames\n", n - i - 1);
            break;
        }
    }
    (void)d;
}

static void cmd_frame(Dbg *d, const b8g_debug_stop *stop, const Cmd *c)
{
    uint32_t depth = b8g_debug_depth(stop);
    uint64_t n = d->frame;
    if (strcmp(c->w[0], "up") == 0) n = d->frame + 1;
    else if (strcmp(c->w[0], "down") == 0) n = d->frame ? d->frame - 1 : 0;
    else if (c->n > 1 && !parse_number(c->w[1], &n)) n = UINT64_MAX;
    if (n >= depth) {
        printf("no frame %s (the stack has %u)\n", c->n > 1 ? c->w[1] : "there", depth);
        return;
    }
    d->frame = (uint32_t)n;
    printf("#%u ", d->frame);
    dbg_put_where(d, stop, d->frame);
    fputc('\n', stdout);
}

static void cmd_wasm_locals(Dbg *d, const b8g_debug_stop *stop)
{
    uint32_t nparams;
    uint32_t n = b8g_debug_local_count(stop, d->frame, &nparams);
    if (!n) puts("no params or locals");
    for (uint32_t i = 0; i < n; i++) put_local(stop, d->frame, i, nparams);
}

/* The C variables of the frame's function when the DWARF has any, else
 * what the wasm code has. */
static void cmd_locals(Dbg *d, const b8g_debug_stop *stop)
{
    if (!put_source_vars(d, stop, false)) cmd_wasm_locals(d, stop);
}

static void put_global(Dbg *d, uint32_t i)
{
    b8g_val v;
    bool mut;
    if (!b8g_instance_global(d->inst, i, &v, &mut)) return;
    printf("$g%u (%s) ", i, mut ? "mut" : "const");
    put_val(&v);
    fputc('\n', stdout);
}

static void cmd_globals(Dbg *d, const b8g_debug_stop *stop)
{
    uint32_t n = b8g_instance_global_count(d->inst);
    if (put_source_vars(d, stop, true)) puts("wasm globals:");
    if (!n) puts("no globals");
    for (uint32_t i = 0; i < n; i++) put_global(d, i);
}

static void cmd_breakpoints(Dbg *d)
{
    if (!d->nbreaks && !d->nwatches) puts("no breakpoints or watches");
    for (uint32_t i = 0; i < d->nbreaks; i++) {
        const DbgBreak *b = &d->breaks[i];
        printf("breakpoint %u: ", b->id);
        cli_put_safe(stdout, b->spec);
        if (b->kind == DBG_BREAK_OFFSET) printf(" at offset 0x%llx", (unsigned long long)b->offset);
        printf(", hit %llu time%s\n", (unsigned long long)b->hits, b->hits == 1 ? "" : "s");
    }
    for (uint32_t i = 0; i < d->nwatches; i++)
        printf("watch %u: 0x%llx, %u byte%s\n", d->watches[i].id,
               (unsigned long long)d->watches[i].addr, d->watches[i].len,
               d->watches[i].len == 1 ? "" : "s");
}

static void cmd_info(Dbg *d, const b8g_debug_stop *stop, const Cmd *c)
{
    const char *what = c->n > 1 ? c->w[1] : "";
    if (strcmp(what, "locals") == 0 || strcmp(what, "args") == 0) cmd_locals(d, stop);
    else if (strcmp(what, "wasm") == 0) cmd_wasm_locals(d, stop);
    else if (strcmp(what, "globals") == 0) cmd_globals(d, stop);
    else if (strcmp(what, "breakpoints") == 0 || strcmp(what, "break") == 0 ||
             strcmp(what, "watch") == 0)
        cmd_breakpoints(d);
    else if (strcmp(what, "frame") == 0) {
        printf("#%u ", d->frame);
        dbg_put_where(d, stop, d->frame);
        fputc('\n', stdout);
    } else
        puts("info locals | wasm | globals | breakpoints | frame");
}

typedef struct MemType {
    const char *name;
    uint32_t size;
    b8g_valtype type; /* the value it reads as */
    bool sign;        /* narrow: sign-extended */
} MemType;

static const MemType mem_types[] = {
    {"i32", 4, B8G_I32, false}, {"i64", 8, B8G_I64, false}, {"f32", 4, B8G_F32, false},
    {"f64", 8, B8G_F64, false}, {"u8", 1, B8G_I32, false},  {"i8", 1, B8G_I32, true},
    {"u16", 2, B8G_I32, false}, {"i16", 2, B8G_I32, true},  {"u32", 4, B8G_I64, false},
};

static void print_memory(Dbg *d, const b8g_debug_stop *stop, const MemType *t, const char *a)
{
    uint64_t addr, size;
    if (!parse_addr(d, stop, a, &addr)) {
        printf("not an address: %s\n", a);
        return;
    }
    const uint8_t *mem = memory(d, &size);
    if (!mem || addr > size || t->size > size - addr) {
        printf("0x%llx is outside the memory (%llu bytes)\n", (unsigned long long)addr,
               (unsigned long long)size);
        return;
    }
    uint64_t raw = 0;
    for (uint32_t i = t->size; i-- > 0;) raw = raw << 8 | mem[addr + i];
    if (t->sign && t->size < 4) {
        unsigned shift = 64 - 8 * t->size;
        raw = (uint64_t)((int64_t)(raw << shift) >> shift);
    }
    b8g_val v = {.type = t->type};
    if (t->type == B8G_I32) v.of.i32 = (int32_t)(uint32_t)raw;
    else if (t->type == B8G_F32) v.of.f32 = (uint32_t)raw;
    else if (t->type == B8G_F64) v.of.f64 = raw;
    else v.of.i64 = (int64_t)raw;
    printf("%s at 0x%llx: ", t->name, (unsigned long long)addr);
    put_val(&v);
    fputc('\n', stdout);
}

static void cmd_print(Dbg *d, const b8g_debug_stop *stop, const Cmd *c)
{
    if (c->n < 2) {
        puts("print NAME | $N | $gN | TYPE ADDR");
        return;
    }
    bool ident = is_identifier(c->w[1]);
    if (c->n == 2 && ident && print_source_var(d, stop, c->w[1])) return;
    for (size_t i = 0; i < B8G_ARRAY_LEN(mem_types); i++)
        if (strcmp(c->w[1], mem_types[i].name) == 0) {
            if (c->n < 3) printf("print %s ADDR\n", mem_types[i].name);
            else print_memory(d, stop, &mem_types[i], c->w[2]);
            return;
        }
    uint64_t n;
    if (c->w[1][0] == '$' && c->w[1][1] == 'g' && parse_number(c->w[1] + 2, &n)) {
        if (n >= b8g_instance_global_count(d->inst)) printf("no global %s\n", c->w[1] + 2);
        else put_global(d, (uint32_t)n);
        return;
    }
    if (c->w[1][0] == '$' && parse_number(c->w[1] + 1, &n)) {
        uint32_t nparams;
        uint32_t count = b8g_debug_local_count(stop, d->frame, &nparams);
        if (n >= count) printf("no local %s (the frame has %u)\n", c->w[1] + 1, count);
        else put_local(stop, d->frame, (uint32_t)n, nparams);
        return;
    }
    if (strcmp(c->w[1], "locals") == 0) cmd_locals(d, stop);
    else if (strcmp(c->w[1], "globals") == 0) cmd_globals(d, stop);
    else if (ident) {
        fputs("no variable ", stdout);
        cli_put_safe(stdout, c->w[1]);
        puts(" here (info locals, info globals list them)");
    } else {
        fputs("cannot print ", stdout);
        cli_put_safe(stdout, c->w[1]);
        puts(": print NAME | $N | $gN | TYPE ADDR");
    }
}

static void cmd_examine(Dbg *d, const b8g_debug_stop *stop, const Cmd *c)
{
    uint64_t addr, len = 64, size;
    if (c->n < 2 || !parse_addr(d, stop, c->w[1], &addr) ||
        (c->n > 2 && (!parse_number(c->w[2], &len) || len == 0))) {
        puts("x ADDR [LEN]");
        return;
    }
    if (len > MAX_DUMP) len = MAX_DUMP;
    const uint8_t *mem = memory(d, &size);
    if (!mem || addr >= size) {
        printf("0x%llx is outside the memory (%llu bytes)\n", (unsigned long long)addr,
               (unsigned long long)size);
        return;
    }
    if (len > size - addr) len = size - addr;
    for (uint64_t row = 0; row < len; row += 16) {
        printf("0x%08llx:", (unsigned long long)(addr + row));
        for (uint64_t i = row; i < row + 16; i++) {
            if (i < len) printf(" %02x", mem[addr + i]);
            else fputs("   ", stdout);
        }
        fputs("  ", stdout);
        for (uint64_t i = row; i < row + 16 && i < len; i++)
            fputc(isprint(mem[addr + i]) ? mem[addr + i] : '.', stdout);
        fputc('\n', stdout);
    }
}

/* ---- breakpoints and watches --------------------------------------------- */

static DbgBreak *new_break(Dbg *d, const char *spec)
{
    if (d->nbreaks == d->cap_breaks) {
        d->cap_breaks = d->cap_breaks ? 2 * d->cap_breaks : 8;
        d->breaks = cli_realloc(d->breaks, d->cap_breaks, sizeof *d->breaks);
    }
    DbgBreak *b = &d->breaks[d->nbreaks++];
    memset(b, 0, sizeof *b);
    b->id = d->next_id++;
    b->spec = cli_strdup(spec);
    return b;
}

/* FILE:LINE, or LINE in the file of the selected frame. */
static void break_line(Dbg *d, const b8g_debug_stop *stop, const char *spec, const char *file,
                       uint64_t line)
{
    if (!file) {
        b8g_frame_info fr;
        b8g_debug_frame(stop, d->frame, &fr);
        file = dbg_loc(d, fr.code_offset)->file;
        if (!file) {
            puts("no source file here: break FILE:LINE");
            return;
        }
    }
    const char *path;
    uint64_t offs[MAX_OFFSETS];
    uint32_t n = line > UINT32_MAX ? 0
                 : b8g_module_line_offsets(d->module, file, (uint32_t)line, offs, MAX_OFFSETS,
                                           &path);
    if (!n) {
        fputs("no code at ", stdout);
        cli_put_safe(stdout, file);
        printf(":%llu\n", (unsigned long long)line);
        return;
    }
    DbgBreak *b = new_break(d, spec);
    b->kind = DBG_BREAK_LINE;
    b->file = path;
    b->line = (uint32_t)line;
    printf("breakpoint %u at ", b->id);
    cli_put_safe(stdout, path);
    printf(":%u\n", b->line);
}

static void cmd_break(Dbg *d, const b8g_debug_stop *stop, const Cmd *c)
{
    if (c->n < 2) {
        puts("break FUNC | FILE:LINE | LINE | *OFFSET");
        return;
    }
    const char *spec = c->w[1];
    uint64_t n;
    if (spec[0] == '*') {
        uint32_t f = parse_number(spec + 1, &n) ? b8g_module_func_at(d->module, n) : B8G_NO_FUNC;
        if (f == B8G_NO_FUNC) {
            printf("no code at offset %s\n", spec + 1);
            return;
        }
        DbgBreak *b = new_break(d, spec);
        b->offset = n;
        printf("breakpoint %u at offset 0x%llx in func %u\n", b->id, (unsigned long long)n, f);
        return;
    }
    const char *colon = strrchr(spec, ':');
    if (colon && parse_number(colon + 1, &n)) {
        char *file = strndup(spec, (size_t)(colon - spec));
        if (file) break_line(d, stop, spec, file, n);
        free(file);
        return;
    }
    if (parse_number(spec, &n)) {
        break_line(d, stop, spec, NULL, n);
        return;
    }
    uint32_t count = b8g_module_func_count(d->module);
    for (uint32_t f = 0; f < count; f++) {
        const char *name = b8g_module_func_name(d->module, f);
        uint64_t off = b8g_module_func_offset(d->module, f);
        if (!name || strcmp(name, spec) != 0 || off == B8G_NO_OFFSET) continue;
        DbgBreak *b = new_break(d, spec);
        b->offset = off;
        printf("breakpoint %u at func %u \"", b->id, f);
        cli_put_safe(stdout, name);
        printf("\", offset 0x%llx\n", (unsigned long long)off);
        return;
    }
    fputs("no function ", stdout);
    cli_put_safe(stdout, spec);
    puts(" in the module");
}

static void cmd_watch(Dbg *d, const b8g_debug_stop *stop, const Cmd *c)
{
    uint64_t addr, len = 4;
    if (c->n < 2 || !parse_addr(d, stop, c->w[1], &addr) ||
        (c->n > 2 && (!parse_number(c->w[2], &len) ||
                      (len != 1 && len != 2 && len != 4 && len != 8)))) {
        puts("watch ADDR [LEN], LEN 1, 2, 4 or 8");
        return;
    }
    if (d->nwatches == d->cap_watches) {
        d->cap_watches = d->cap_watches ? 2 * d->cap_watches : 4;
        d->watches = cli_realloc(d->watches, d->cap_watches, sizeof *d->watches);
    }
    DbgWatch *w = &d->watches[d->nwatches++];
    memset(w, 0, sizeof *w);
    w->id = d->next_id++;
    w->addr = addr;
    w->len = (uint32_t)len;
    dbg_watch_refresh(d);
    printf("watch %u: 0x%llx, %u byte%s\n", w->id, (unsigned long long)addr, w->len,
           w->len == 1 ? "" : "s");
}

void dbg_watch_refresh(Dbg *d)
{
    uint64_t size;
    const uint8_t *mem = d->nwatches ? memory(d, &size) : NULL;
    for (uint32_t i = 0; i < d->nwatches; i++) {
        DbgWatch *w = &d->watches[i];
        w->readable = mem && w->addr <= size && w->len <= size - w->addr;
        if (w->readable) memcpy(w->old, mem + w->addr, w->len);
    }
}

static void cmd_delete(Dbg *d, const Cmd *c)
{
    uint64_t id;
    if (c->n < 2) {
        for (uint32_t i = 0; i < d->nbreaks; i++) free(d->breaks[i].spec);
        d->nbreaks = d->nwatches = 0;
        puts("deleted all breakpoints and watches");
        return;
    }
    if (!parse_number(c->w[1], &id)) {
        puts("delete [N]");
        return;
    }
    for (uint32_t i = 0; i < d->nbreaks; i++)
        if (d->breaks[i].id == id) {
            free(d->breaks[i].spec);
            memmove(&d->breaks[i], &d->breaks[i + 1], (d->nbreaks - i - 1) * sizeof *d->breaks);
            d->nbreaks--;
            printf("deleted breakpoint %llu\n", (unsigned long long)id);
            return;
        }
    for (uint32_t i = 0; i < d->nwatches; i++)
        if (d->watches[i].id == id) {
            memmove(&d->watches[i], &d->watches[i + 1],
                    (d->nwatches - i - 1) * sizeof *d->watches);
            d->nwatches--;
            printf("deleted watch %llu\n", (unsigned long long)id);
            return;
        }
    printf("no breakpoint or watch %llu\n", (unsigned long long)id);
}

/* ---- reading commands -------------------------------------------------- */

/* Splits line in place into words (the first MAX_WORDS). */
static void split(char *line, Cmd *c)
{
    c->n = 0;
    for (char *p = line; *p && c->n < MAX_WORDS;) {
        while (*p && isspace((unsigned char)*p)) p++;
        if (!*p) break;
        c->w[c->n++] = p;
        while (*p && !isspace((unsigned char)*p)) p++;
        if (*p) *p++ = 0;
    }
}

static bool is(const Cmd *c, const char *name, const char *alias)
{
    return strcmp(c->w[0], name) == 0 || (alias && strcmp(c->w[0], alias) == 0);
}

/* A resuming command: sets the mode; false if it is not one. */
static bool resume(Dbg *d, const Cmd *c)
{
    DbgMode mode;
    if (is(c, "continue", "c")) mode = DBG_CONTINUE;
    else if (is(c, "step", "s")) mode = DBG_STEP;
    else if (is(c, "next", "n")) mode = DBG_NEXT;
    else if (is(c, "stepi", "si")) mode = DBG_STEPI;
    else if (is(c, "finish", NULL)) mode = DBG_FINISH;
    else return false;
    uint64_t count = 1;
    if (mode != DBG_CONTINUE && mode != DBG_FINISH && c->n > 1 &&
        (!parse_number(c->w[1], &count) || count == 0))
        count = 1;
    d->mode = mode;
    d->count = count;
    return true;
}

/* Reads one line into buf; false at the end of the input. */
static bool read_line(Dbg *d, char *buf, size_t cap)
{
    if (d->interactive) {
        fputs("(b8g) ", stdout);
        fflush(stdout);
    }
    if (!fgets(buf, (int)cap, d->in)) return false;
    size_t len = strlen(buf);
    if (len && buf[len - 1] == '\n') buf[--len] = 0;
    else if (len == cap - 1) { /* too long: the rest of the line goes */
        int ch;
        while ((ch = fgetc(d->in)) != EOF && ch != '\n') {}
    }
    return true;
}

bool dbg_commands(Dbg *d, const b8g_debug_stop *stop)
{
    char line[256];
    for (;;) {
        fflush(stdout);
        if (!read_line(d, line, sizeof line)) {
            if (d->batch) puts("(end of the commands: the program is ended)");
            d->quit = true;
            return false;
        }
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        if (*p == '#') continue; /* a comment, in scripts */
        if (!*p) {
            if (!d->interactive || !d->last[0]) continue;
            snprintf(line, sizeof line, "%s", d->last);
            p = line;
        } else if (d->interactive) {
            snprintf(d->last, sizeof d->last, "%s", p);
        }
        if (d->batch) {
            fputs("(b8g) ", stdout);
            cli_put_safe(stdout, p);
            fputc('\n', stdout);
        }
        Cmd c;
        split(p, &c);
        if (c.n == 0) continue;
        if (resume(d, &c)) return true;
        if (is(&c, "quit", "q") || is(&c, "kill", NULL)) {
            d->quit = true;
            return false;
        }
        if (is(&c, "help", "h")) cmd_help();
        else if (is(&c, "break", "b")) cmd_break(d, stop, &c);
        else if (is(&c, "delete", "d")) cmd_delete(d, &c);
        else if (is(&c, "watch", NULL)) cmd_watch(d, stop, &c);
        else if (is(&c, "backtrace", "bt") || is(&c, "where", NULL)) cmd_backtrace(d, stop);
        else if (is(&c, "frame", "f") || is(&c, "up", NULL) || is(&c, "down", NULL))
            cmd_frame(d, stop, &c);
        else if (is(&c, "info", "i")) cmd_info(d, stop, &c);
        else if (is(&c, "print", "p")) cmd_print(d, stop, &c);
        else if (is(&c, "x", NULL)) cmd_examine(d, stop, &c);
        else {
            fputs("unknown command: ", stdout);
            cli_put_safe(stdout, c.w[0]);
            puts(" ('help' lists them)");
        }
    }
}

void dbg_free_session(Dbg *d)
{
    for (uint32_t i = 0; i < d->nbreaks; i++) free(d->breaks[i].spec);
    free(d->breaks);
    free(d->watches);
    free(d->locs);
    free(d->depth_file);
    free(d->depth_line);
}
