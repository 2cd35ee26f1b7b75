/*
 * driver.c - runs one module with b8g the way tests/diff/harness.js runs it
 * with node, printing the same line protocol so the two can be compared.
 *
 *   diff-driver [--fuel N] module.wasm      run it
 *   diff-driver --sigs module.wasm          exported functions' signatures
 *                                           (NAME, TAB, params, TAB, results)
 *
 * Protocol (one item a line):
 *   invalid                      the module does not load
 *   start-trap KIND / start-ok   instantiation (imports from fuzzing-support
 *                                log their arguments; others return zeros)
 *   call NAME                    each exported function, in export order,
 *                                with zero arguments
 *   log V...                     a fuzzing-support log-* import was called
 *   result V...  |  trap KIND    how the call ended
 *   fuel                         fuel ran out: the run stops here
 *   memory PAGES HASH            exported memory: size and FNV-1a of bytes
 * Values: i32/i64 as signed decimals, floats as "f32:0xBITS"/"f64:0xBITS"
 * with every NaN printed as "nan" (payloads legitimately differ), refs as
 * "null"/"ref".  Trap kinds are coarse so they compare with V8's messages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b8g.h"

static void put_slot(b8g_valtype t, uint64_t bits)
{
    switch (t) {
    case B8G_I32: printf(" %" PRId32, (int32_t)(uint32_t)bits); break;
    case B8G_I64: printf(" %" PRId64, (int64_t)bits); break;
    case B8G_F32:
        if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu)) printf(" nan");
        else printf(" f32:0x%08" PRIx32, (uint32_t)bits);
        break;
    case B8G_F64:
        if ((bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull &&
            (bits & 0xfffffffffffffull))
            printf(" nan");
        else printf(" f64:0x%016" PRIx64, bits);
        break;
    default: printf(" %s", bits ? "ref" : "null"); break;
    }
}

static uint64_t val_bits(const b8g_val *v)
{
    switch (v->type) {
    case B8G_I32: return (uint32_t)v->of.i32;
    case B8G_I64: return (uint64_t)v->of.i64;
    case B8G_F32: return v->of.f32;
    case B8G_F64: return v->of.f64;
    default: return v->of.ref != NULL;
    }
}

static const char *trap_kind(b8g_trap_kind k)
{
    switch (k) {
    case B8G_TRAP_UNREACHABLE: return "unreachable";
    case B8G_TRAP_INT_DIV_ZERO: return "div0";
    /* The spec says "integer overflow" for i32.div_s INT_MIN/-1 and for an
     * out-of-range truncation, "invalid conversion" for truncating NaN; V8
     * says "divide result unrepresentable" and "float unrepresentable in
     * integer range" (for both truncations).  One class compares. */
    case B8G_TRAP_INT_OVERFLOW:
    case B8G_TRAP_BAD_CONVERSION: return "overflow";
    case B8G_TRAP_MEM_OOB: return "memory";
    /* call_indirect past the table's end is "undefined element" in the
     * spec, "table index is out of bounds" in V8; a null entry or a wrong
     * type is "null function or function signature mismatch" there. */
    case B8G_TRAP_TABLE_OOB:
    case B8G_TRAP_UNDEFINED_ELEMENT: return "table";
    case B8G_TRAP_UNINIT_ELEMENT:
    case B8G_TRAP_INDIRECT_MISMATCH: return "indirect";
    case B8G_TRAP_STACK_EXHAUSTED: return "stack";
    default: return b8g_trap_name(k);
    }
}

/* A fuzzing-support log-* import: prints its arguments, returns nothing. */
static b8g_status log_fn(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    const char *sig = call->user;
    printf("log");
    for (uint32_t i = 0; sig[i] && sig[i] != ':'; i++) {
        static const char letters[] = "iIfFre";
        static const b8g_valtype types[] = {B8G_I32, B8G_I64, B8G_F32, B8G_F64,
                                            B8G_FUNCREF, B8G_EXTERNREF};
        put_slot(types[strchr(letters, sig[i]) - letters], slots[i]);
    }
    printf("\n");
    return B8G_OK;
}

static b8g_status zero_fn(b8g_hostcall *call, uint64_t *slots, b8g_error *err)
{
    (void)err;
    const char *colon = strchr(call->user, ':');
    memset(slots, 0, strlen(colon + 1) * sizeof *slots);
    return B8G_OK;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) buf = realloc(buf, cap = cap ? 2 * cap : 65536);
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    fclose(f);
    *len = n;
    return buf;
}

/* One host instance per imported module name, holding a stub for each of
 * its function imports. */
static void stub_imports(b8g_store *s, const b8g_module *m, char **sigs)
{
    uint32_t n = b8g_module_import_count(m), nhosts = 0;
    const char **names = calloc(n + 1, sizeof *names);
    b8g_instance **hosts = calloc(n + 1, sizeof *hosts);
    for (uint32_t i = 0; i < n; i++) {
        b8g_import_info info;
        b8g_module_import(m, i, &info);
        size_t need = b8g_module_import_sig(m, i, NULL, 0);
        if (info.kind != B8G_EXTERN_FUNC || !need) continue;
        sigs[i] = malloc(need + 1);
        b8g_module_import_sig(m, i, sigs[i], need + 1);
        uint32_t h = 0;
        while (h < nhosts && strcmp(names[h], info.module) != 0) h++;
        if (h == nhosts) {
            names[nhosts] = info.module;
            hosts[nhosts++] = b8g_host_instance_new(s);
        }
        bool is_log = strcmp(info.module, "fuzzing-support") == 0 &&
                      strncmp(info.field, "log", 3) == 0;
        b8g_host_func(hosts[h], info.field, sigs[i], is_log ? log_fn : zero_fn,
                      sigs[i]);
    }
    for (uint32_t h = 0; h < nhosts; h++) b8g_register(s, names[h], hosts[h]);
    free(names);
    free(hosts);
}

static void print_memory(b8g_instance *inst)
{
    uint64_t size = 0;
    uint8_t *mem = b8g_instance_memory(inst, &size);
    if (!mem) return;
    uint32_t h = 2166136261u;
    for (uint64_t i = 0; i < size; i++) h = (h ^ mem[i]) * 16777619u;
    printf("memory %" PRIu64 " %08" PRIx32 "\n", size >> 16, h);
}

static int print_sigs(const b8g_module *m, b8g_instance *inst)
{
    for (uint32_t i = 0; i < b8g_module_export_count(m); i++) {
        b8g_extern_kind kind;
        const char *name = b8g_module_export_name(m, i, &kind);
        uint32_t np, nr;
        const b8g_valtype *pt, *rt;
        if (kind != B8G_EXTERN_FUNC ||
            b8g_export_func(inst, name, &np, &pt, &nr, &rt) != B8G_OK)
            continue;
        printf("%s\t", name);
        for (uint32_t k = 0; k < np; k++) printf(" %s", b8g_valtype_name(pt[k]));
        printf("\t");
        for (uint32_t k = 0; k < nr; k++) printf(" %s", b8g_valtype_name(rt[k]));
        printf("\n");
    }
    return 0;
}

/* Calls every exported function; false once fuel ran out. */
static bool call_exports(b8g_store *s, const b8g_module *m, b8g_instance *inst)
{
    for (uint32_t i = 0; i < b8g_module_export_count(m); i++) {
        b8g_extern_kind kind;
        const char *name = b8g_module_export_name(m, i, &kind);
        uint32_t np, nr;
        const b8g_valtype *pt, *rt;
        if (kind != B8G_EXTERN_FUNC ||
            b8g_export_func(inst, name, &np, &pt, &nr, &rt) != B8G_OK)
            continue;
        printf("call %s\n", name);
        fflush(stdout);
        b8g_val *args = calloc(np + 1, sizeof *args);
        b8g_val *res = calloc(nr + 1, sizeof *res);
        for (uint32_t k = 0; k < np; k++) args[k].type = pt[k];
        b8g_error err;
        b8g_status st = b8g_call(inst, name, args, np, res, nr, &err);
        if (st == B8G_OK) {
            printf("result");
            for (uint32_t k = 0; k < nr; k++) put_slot(res[k].type, val_bits(&res[k]));
            printf("\n");
        } else if (st == B8G_TRAP) {
            printf("trap %s\n", trap_kind(err.trap));
        } else if (st == B8G_SUSPENDED) {
            printf("fuel\n");
            b8g_abort(s);
        } else {
            char buf[512];
            printf("error %s\n", b8g_error_format(&err, buf, sizeof buf));
        }
        free(args);
        free(res);
        if (st == B8G_SUSPENDED) return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    uint64_t fuel = 100000000;
    bool sigs_only = false;
    int a = 1;
    for (; a < argc - 1; a++) {
        if (strcmp(argv[a], "--sigs") == 0) sigs_only = true;
        else if (strcmp(argv[a], "--fuel") == 0 && a + 2 < argc) fuel = strtoull(argv[++a], NULL, 10);
        else break;
    }
    if (a != argc - 1) {
        fprintf(stderr, "usage: diff-driver [--sigs] [--fuel N] module.wasm\n");
        return 2;
    }
    size_t len;
    uint8_t *bytes = read_file(argv[a], &len);
    if (!bytes) {
        perror(argv[a]);
        return 2;
    }
    b8g_module *m;
    b8g_error err;
    if (b8g_module_load(bytes, len, &m, &err) != B8G_OK) {
        printf("invalid\n");
        free(bytes);
        return 0;
    }
    b8g_config cfg = {.fuel = fuel};
    b8g_store *s = b8g_store_new(&cfg);
    char **sigs = calloc(b8g_module_import_count(m) + 1, sizeof *sigs);
    stub_imports(s, m, sigs);
    b8g_instance *inst;
    b8g_status st = b8g_instantiate(s, m, &inst, &err);
    if (sigs_only) {
        if (st == B8G_OK) print_sigs(m, inst);
    } else if (st == B8G_TRAP) {
        printf("start-trap %s\n", trap_kind(err.trap));
    } else if (st == B8G_SUSPENDED || (st == B8G_LIMIT && err.trap == B8G_TRAP_OUT_OF_FUEL)) {
        printf("fuel\n");
    } else if (st != B8G_OK) {
        char buf[512];
        printf("start-error %s\n", b8g_error_format(&err, buf, sizeof buf));
    } else {
        printf("start-ok\n");
        if (call_exports(s, m, inst)) print_memory(inst);
    }
    b8g_store_free(s);
    for (uint32_t i = 0; i < b8g_module_import_count(m); i++) free(sigs[i]);
    free(sigs);
    b8g_module_free(m);
    free(bytes);
    return 0;
}
