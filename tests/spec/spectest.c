/*
 * spectest.c - the "spectest" host module that the spec scripts import
 * from: print functions, four constant globals, a table and a memory, with
 * the types and values the reference interpreter gives them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"

typedef struct SpecPrint {
    const char *name;
    const char *sig; /* b8g_host_func notation, results always empty */
} SpecPrint;

static const SpecPrint spec_prints[] = {
    {"print", ":"},          {"print_i32", "i:"},     {"print_i64", "I:"},
    {"print_f32", "f:"},     {"print_f64", "F:"},     {"print_i32_f32", "if:"},
    {"print_f64_f64", "FF:"},
};

/* Prints the arguments (verbose runs only) in the reference interpreter's
 * "value : type" form; the slots hold i32 zero-extended and floats as
 * bits, so the signature says how to read each one. */
static b8g_status spec_print(b8g_hostcall *call, uint64_t *slots,
                             b8g_error *err)
{
    const SpecPrint *p = call->user;
    (void)err;
    if (!p)
        return B8G_OK;
    for (size_t i = 0; p->sig[i] != ':'; i++) {
        float f;
        double d;
        uint32_t bits = (uint32_t)slots[i];
        switch (p->sig[i]) {
        case 'i':
            printf("%" PRId32 " : i32\n", (int32_t)bits);
            break;
        case 'I':
            printf("%" PRId64 " : i64\n", (int64_t)slots[i]);
            break;
        case 'f':
            memcpy(&f, &bits, sizeof f);
            printf("%.9g : f32\n", (double)f);
            break;
        default:
            memcpy(&d, &slots[i], sizeof d);
            printf("%.17g : f64\n", d);
            break;
        }
    }
    return B8G_OK;
}

static b8g_status spec_add_globals(b8g_instance *h)
{
    float f32 = 666.6f;
    double f64 = 666.6;
    b8g_val v[4] = {
        {.type = B8G_I32, .of.i32 = 666},
        {.type = B8G_I64, .of.i64 = 666},
        {.type = B8G_F32},
        {.type = B8G_F64},
    };
    static const char *const names[4] = {"global_i32", "global_i64",
                                         "global_f32", "global_f64"};
    memcpy(&v[2].of.f32, &f32, sizeof f32);
    memcpy(&v[3].of.f64, &f64, sizeof f64);
    for (int i = 0; i < 4; i++) {
        b8g_status st = b8g_host_global(h, names[i], v[i], false);
        if (st)
            return st;
    }
    return B8G_OK;
}

b8g_status spec_register_spectest(b8g_store *s, bool verbose)
{
    b8g_instance *h = b8g_host_instance_new(s);
    b8g_status st;
    if (!h)
        return B8G_NOMEM;
    for (size_t i = 0; i < sizeof spec_prints / sizeof spec_prints[0]; i++) {
        void *user = verbose ? (void *)&spec_prints[i] : NULL;
        st = b8g_host_func(h, spec_prints[i].name, spec_prints[i].sig,
                           spec_print, user);
        if (st)
            return st;
    }
    st = spec_add_globals(h);
    if (!st)
        st = b8g_host_table(h, "table", B8G_FUNCREF, 10, 20, true);
    if (!st)
        st = b8g_host_memory(h, "memory", 1, 2, true);
    if (!st)
        st = b8g_register(s, "spectest", h);
    return st;
}
