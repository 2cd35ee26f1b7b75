/*
 * runner.h - the WebAssembly spec-suite runner.
 *
 * wast2json turns each .wast script into NAME.json plus NAME.N.wasm side
 * files.  The driver (runner.c) forks one child per script so that an
 * engine crash or hang costs that script only; the child (script.c) runs
 * every command in order against the public API and streams its tallies
 * back through a pipe, one SpecTally before each command, so the parent
 * knows which line was executing when a child died.
 *
 * Values (value.c): wast2json writes i32/i64 as unsigned decimal and f32/f64
 * as the decimal of their bit patterns; externref N travels as the pointer
 * N + 1 so that "ref.extern 0" is not the null reference.
 */
#ifndef B8G_TESTS_SPEC_RUNNER_H
#define B8G_TESTS_SPEC_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "b8g.h"

#if defined(__GNUC__)
#define SPEC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SPEC_PRINTF(f, a)
#endif

typedef struct SpecOptions {
    bool verbose;
    bool strict_messages; /* message mismatches in assert_invalid & co fail */
    unsigned timeout_s;   /* per script, 0: none */
    bool debug_stops;     /* modules translated for a debugger, and one
                             set that checks every stop */
} SpecOptions;

/* Counts of one script; sent whole through the pipe (well below PIPE_BUF,
 * so each write is atomic). */
typedef struct SpecTally {
    uint32_t total;   /* commands in the script */
    uint32_t passed;
    uint32_t failed;
    uint32_t skipped;
    uint32_t line;    /* .wast line of the command about to run */
    uint32_t done;    /* 1 once every command ran */
} SpecTally;

typedef enum SpecOutcome { SPEC_PASS, SPEC_FAIL, SPEC_SKIP } SpecOutcome;

/* script.c: runs one wast2json file, writing tallies to fd (if >= 0) and
 * the final one to *out.  Returns 0, or non-zero when the script could not
 * be read or set up (its commands did not run). */
int spec_run_script(const char *json_path, const SpecOptions *opt, int fd,
                    SpecTally *out);
/* Number of commands in a JSON script, or -1 if it cannot be read. */
long spec_count_commands(const char *json_path);
json_t *spec_load_json(const char *json_path);

/* spectest.c: the "spectest" host module every script may import from. */
b8g_status spec_register_spectest(b8g_store *s, bool verbose);

/* value.c: parsing, matching and printing of wast2json values. */
typedef enum SpecPattern {
    SPEC_PAT_EXACT,
    SPEC_PAT_NAN_CANONICAL,
    SPEC_PAT_NAN_ARITHMETIC,
    SPEC_PAT_NONNULL_REF, /* "(ref.func)" / "(ref.extern)" with no value */
} SpecPattern;

typedef struct SpecExpect {
    b8g_val val;
    SpecPattern pat;
} SpecExpect;

bool spec_parse_valtype(const char *s, b8g_valtype *out);
bool spec_parse_arg(json_t *j, b8g_val *out, char *why, size_t n);
bool spec_parse_expect(json_t *j, SpecExpect *out, char *why, size_t n);
bool spec_match(const SpecExpect *e, const b8g_val *got);
const char *spec_type_name(b8g_valtype t);
const char *spec_val_str(const b8g_val *v, char *buf, size_t n);
const char *spec_expect_str(const SpecExpect *e, char *buf, size_t n);

/* skip.c: the whole-file skip list ("GLOB reason..." lines). */
typedef struct SpecSkipList SpecSkipList;
SpecSkipList *spec_skip_load(const char *path, char *why, size_t n);
/* Reason the script NAME is skipped, or NULL. */
const char *spec_skip_reason(const SpecSkipList *l, const char *name);
void spec_skip_free(SpecSkipList *l);

#endif
