/*
 * fuzz_run.c - libFuzzer target: bytes -> load -> instantiate -> run.
 *
 * The store is small (fuel, memory pages, stack, table slots) so that any
 * module finishes quickly; every import is satisfied by a stub that returns
 * zeros, and every exported function is called with zero arguments.  Every
 * status is acceptable: only crashes, sanitizer reports and hangs are
 * findings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b8g.h"

#define FUZZ_FUEL 10000u
#define FUZZ_MAX_HOSTS 64u

static b8g_status stub_fn(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    uint32_t nresults = (uint32_t)(uintptr_t)call->user;
    memset(slots, 0, nresults * sizeof *slots);
    return B8G_OK;
}

static b8g_val zero_of(b8g_valtype t)
{
    b8g_val v;
    memset(&v, 0, sizeof v);
    v.type = t;
    return v;
}

/* The host instance standing in for module name `name`, created on first
 * use.  Names with NUL bytes cannot be registered; they stay unresolved. */
static b8g_instance *host_for(b8g_store *s, const b8g_import_info *info,
                              const char **names, b8g_instance **hosts,
                              uint32_t *nhosts)
{
    for (uint32_t i = 0; i < *nhosts; i++)
        if (strcmp(names[i], info->module) == 0) return hosts[i];
    if (*nhosts == FUZZ_MAX_HOSTS) return NULL;
    b8g_instance *h = b8g_host_instance_new(s);
    if (!h) return NULL;
    names[*nhosts] = info->module;
    hosts[(*nhosts)++] = h;
    return h;
}

static void stub_import(b8g_store *s, const b8g_module *m, uint32_t i,
                        const char **names, b8g_instance **hosts,
                        uint32_t *nhosts)
{
    b8g_import_info info;
    if (b8g_module_import(m, i, &info) != B8G_OK) abort();
    if (strlen(info.module) != info.module_len || strlen(info.field) != info.field_len)
        return;
    b8g_instance *h = host_for(s, &info, names, hosts, nhosts);
    if (!h) return;
    switch (info.kind) {
    case B8G_EXTERN_FUNC: {
        size_t need = b8g_module_import_sig(m, i, NULL, 0);
        if (!need) return;
        char *sig = malloc(need + 1);
        b8g_module_import_sig(m, i, sig, need + 1);
        uintptr_t nresults = strlen(strchr(sig, ':') + 1);
        (void)b8g_host_func(h, info.field, sig, stub_fn, (void *)nresults);
        free(sig);
        break;
    }
    case B8G_EXTERN_GLOBAL:
        (void)b8g_host_global(h, info.field, zero_of(info.type), info.mutable_);
        break;
    case B8G_EXTERN_MEMORY:
        (void)b8g_host_memory(h, info.field, info.min, info.max, info.has_max);
        break;
    case B8G_EXTERN_TABLE:
        (void)b8g_host_table(h, info.field, info.type, info.min, info.max,
                             info.has_max);
        break;
    }
}

static void call_exports(b8g_store *s, const b8g_module *m, b8g_instance *inst)
{
    for (uint32_t i = 0; i < b8g_module_export_count(m); i++) {
        b8g_extern_kind kind;
        const char *name = b8g_module_export_name(m, i, &kind);
        if (kind != B8G_EXTERN_FUNC) continue;
        uint32_t np, nr;
        const b8g_valtype *pt, *rt;
        if (b8g_export_func(inst, name, &np, &pt, &nr, &rt) != B8G_OK) continue;
        b8g_val *args = calloc(np + 1, sizeof *args);
        b8g_val *res = calloc(nr + 1, sizeof *res);
        for (uint32_t k = 0; k < np; k++) args[k] = zero_of(pt[k]);
        b8g_error err;
        b8g_store_set_fuel(s, FUZZ_FUEL);
        if (b8g_call(inst, name, args, np, res, nr, &err) == B8G_SUSPENDED)
            b8g_abort(s);
        free(args);
        free(res);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    b8g_module *m = NULL;
    b8g_error err;
    if (b8g_module_load(data, size, &m, &err) != B8G_OK) return 0;
    b8g_config cfg = {
        .fuel = FUZZ_FUEL,
        .max_stack_bytes = B8G_MIN_STACK_BYTES,
        .max_memory_pages = 16,
        .max_table_elements = 10000,
    };
    b8g_store *s = b8g_store_new(&cfg);
    const char *names[FUZZ_MAX_HOSTS];
    b8g_instance *hosts[FUZZ_MAX_HOSTS];
    uint32_t nhosts = 0;
    for (uint32_t i = 0; i < b8g_module_import_count(m); i++)
        stub_import(s, m, i, names, hosts, &nhosts);
    for (uint32_t i = 0; i < nhosts; i++) (void)b8g_register(s, names[i], hosts[i]);
    b8g_instance *inst = NULL;
    b8g_status st = b8g_instantiate(s, m, &inst, &err);
    if (st == B8G_SUSPENDED) b8g_abort(s);
    if (st == B8G_OK && inst) call_exports(s, m, inst);
    b8g_store_free(s);
    b8g_module_free(m);
    return 0;
}
