/*
 * debug.h - `b8g debug`: the state of one debugging session, shared by
 * debug.c (the command, and deciding at each debug stop whether to stop
 * there) and debug_cmd.c (the commands typed or read from --batch).
 *
 * The engine calls the session at every instruction of the program
 * (b8g_module_load_debug), so what runs there is cheap: the source
 * location of an offset is looked up once and cached, breakpoints are a
 * short list, and a watch compares a few bytes.
 */
#ifndef B8G_CLI_DEBUG_H
#define B8G_CLI_DEBUG_H

#include "cli/run.h"

/* How the program goes on after a command gives it back control. */
typedef enum DbgMode {
    DBG_CONTINUE, /* to a breakpoint, a watch or the end */
    DBG_STEPI,    /* one instruction */
    DBG_STEP,     /* to another source line, into calls */
    DBG_NEXT,     /* to another source line of this frame or a caller */
    DBG_FINISH,   /* until the selected frame returns */
} DbgMode;

/* The innermost source location of an offset (b8g_module_source). */
typedef struct DbgLoc {
    uint64_t offset;      /* key; B8G_NO_OFFSET: an empty cache slot */
    const char *file;     /* NULL: unknown */
    const char *function; /* DWARF name, or NULL */
    uint32_t line, column; /* line 0: no line */
} DbgLoc;

typedef enum DbgBreakKind { DBG_BREAK_OFFSET, DBG_BREAK_LINE } DbgBreakKind;

typedef struct DbgBreak {
    uint32_t id;
    DbgBreakKind kind;
    uint64_t offset;      /* DBG_BREAK_OFFSET: the instruction */
    const char *file;     /* DBG_BREAK_LINE: the module's path string */
    uint32_t line;
    char *spec;           /* as the user wrote it */
    uint64_t hits;
} DbgBreak;

typedef struct DbgWatch {
    uint32_t id;
    uint64_t addr;
    uint32_t len;         /* 1..8 bytes */
    uint8_t old[8];       /* the value at the last stop */
    bool readable;        /* old holds a value (the range was in memory) */
} DbgWatch;

typedef struct Dbg {
    const b8g_module *module;
    b8g_instance *inst;   /* whose memory and globals the program uses */
    FILE *in;             /* commands */
    bool batch;           /* from --batch: commands are echoed */
    bool interactive;     /* from a terminal: a prompt, empty repeats */
    bool quit;            /* `quit`: end the program at this stop */
    bool started;         /* the first stop happened */
    char last[256];       /* the last command, for an empty line */

    DbgMode mode;
    uint64_t count;       /* steps left in this mode (stepi 5) */
    uint32_t from_depth;  /* where the step started */
    const char *from_file;
    uint32_t from_line;

    DbgBreak *breaks;
    uint32_t nbreaks, cap_breaks, next_id;
    DbgWatch *watches;
    uint32_t nwatches, cap_watches;

    DbgLoc *locs;         /* open addressing by offset */
    uint32_t loc_mask, nlocs;

    /* per frame depth, the line of the last stop there: a line
     * breakpoint fires when a frame comes to its line, not at each of
     * its instructions, and not again when a call on it returns */
    const char **depth_file;
    uint32_t *depth_line;
    uint32_t depth_cap, last_depth;

    uint32_t frame;       /* selected frame, 0 innermost */
    uint64_t stops;       /* instructions run under the debugger */
} Dbg;

/* debug.c; the entry stays valid only until the next dbg_loc call (the
 * cache may grow) */
const DbgLoc *dbg_loc(Dbg *d, uint64_t offset);
/* "func 3 \"main\" at offset 0x1a4 (t.c:6:11)" for frame i, no newline. */
void dbg_put_where(Dbg *d, const b8g_debug_stop *stop, uint32_t i);

/* debug_cmd.c: reads and runs commands until one gives the program back
 * control (false: the session ends it). */
bool dbg_commands(Dbg *d, const b8g_debug_stop *stop);
/* Fills the watches' values at the first stop and after each. */
void dbg_watch_refresh(Dbg *d);
void dbg_free_session(Dbg *d);

#endif
