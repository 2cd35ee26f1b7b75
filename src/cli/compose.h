/*
 * compose.h - `b8g compose APP.json`: an application of several components
 * wired together by objects (docs/compose.md).  compose_parse.c reads the
 * JSON into a ComposeApp; compose.c creates the objects, instantiates and
 * grants, and runs every component on its own thread.
 */
#ifndef B8G_CLI_COMPOSE_H
#define B8G_CLI_COMPOSE_H

#include "cli/cli.h"

#define COMPOSE_MAX_COMPONENTS 64u
#define COMPOSE_MAX_OBJECTS 256u
#define COMPOSE_MAX_ARGS 16u

typedef enum ComposeKind {
    COMPOSE_EVENT,
    COMPOSE_STREAM,
    COMPOSE_CHANNEL,
    COMPOSE_REGION,
} ComposeKind;

typedef struct ComposeObject {
    char *name;
    ComposeKind kind;
    uint64_t size;          /* stream capacity / region size; 0: default */
    b8g_object *ends[2];    /* event/region: ends[0]; stream: read, write;
                               channel: the two endpoints */
} ComposeObject;

/* One argument of an entry point: a handle to (an end of) an object with
 * rights, or a plain i32. */
typedef struct ComposeArg {
    int object;             /* index into objects, or -1: the value i32 */
    int end;                /* which end (0 or 1) */
    uint32_t rights;
    int32_t i32;
} ComposeArg;

typedef struct ComposeComponent {
    char *name;
    char *module_path;      /* resolved against the JSON file's directory */
    char *entry;            /* export to call; default "b8g_main" */
    ComposeArg args[COMPOSE_MAX_ARGS];
    uint32_t nargs;
    uint64_t fuel, max_memory, max_stack, timeout_ms; /* 0: none/default */
} ComposeComponent;

typedef struct ComposeApp {
    ComposeObject objects[COMPOSE_MAX_OBJECTS];
    uint32_t nobjects;
    ComposeComponent components[COMPOSE_MAX_COMPONENTS];
    uint32_t ncomponents;
} ComposeApp;

/* Reads and checks path; on failure err says what and where. */
b8g_status compose_parse(const char *path, ComposeApp *app, b8g_error *err);
void compose_free(ComposeApp *app);

#endif
