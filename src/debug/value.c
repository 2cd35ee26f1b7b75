/*
 * value.c - C source variables as text (vars.h): their types spelled as C
 * spells them ("unsigned int", "const char *", "int (*)(int)",
 * "int [2][3]") and their values at a stop ("14", "0x1070 \"hello\"",
 * "{x = 1, y = 2}", "{1, 2, 3, ...}", "GREEN (5)").
 *
 * Everything is bounded, whatever the DWARF says: the text by the
 * caller's buffer, a chain of types by MAX_HOPS steps (malformed DWARF can
 * make one loop), an aggregate by one level (nested ones show as "{...}")
 * and its first MAX_ELEMS elements or MAX_MEMBERS members, a string by
 * MAX_STR bytes, and each read of the program's memory by the memory's
 * size: what lies outside shows as "<cannot read 0x...>".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/table.h"
#include "debug/vars.h"

#define MAX_HOPS 16     /* typedefs, qualifiers, pointers in one chain */
#define MAX_ELEMS 10    /* array elements shown */
#define MAX_MEMBERS 32  /* struct members shown */
#define MAX_STR 64      /* bytes of a string shown */
#define MAX_DIMS 8      /* dimensions of one array type */
#define MAX_PARAMS 8    /* parameters spelled in a function type */
#define MAX_SPELL 2     /* function types spelled inside function types */
#define DECL_CAP 160    /* a declarator being built */

/* DW_ATE_* */
enum {
    ATE_ADDRESS = 0x01, ATE_BOOLEAN = 0x02, ATE_FLOAT = 0x04, ATE_SIGNED = 0x05,
    ATE_SIGNED_CHAR = 0x06, ATE_UNSIGNED = 0x07, ATE_UNSIGNED_CHAR = 0x08,
    ATE_UTF = 0x10,
};

/* ---- bounded text ------------------------------------------------------ */

typedef struct Out {
    char *buf;
    size_t cap, len;
    bool cut;
} Out;

static void put_n(Out *o, const char *s, size_t n)
{
    if (o->cap == 0) return;
    size_t room = o->cap - 1 - o->len;
    if (n > room) {
        n = room;
        o->cut = true;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void put(Out *o, const char *s) { put_n(o, s, strlen(s)); }

static void putf(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(Out *o, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) put_n(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Ends the text, marking a cut one with "...". */
static const char *finish(Out *o)
{
    if (o->cap == 0) return o->buf;
    if (o->cut && o->cap >= 4) memcpy(o->buf + o->cap - 4, "...", 4);
    return o->buf;
}

/* One byte of a character or string literal, escaped as C would. */
static void put_char(Out *o, uint8_t c, char quote)
{
    static const char plain[] = "\a\b\f\n\r\t\v", named[] = "abfnrtv";
    const char *p = c ? strchr(plain, c) : NULL;
    if (p) putf(o, "\\%c", named[p - plain]);
    else if (c == (uint8_t)quote || c == '\\') putf(o, "\\%c", c);
    else if (c >= 0x20 && c < 0x7f) put_n(o, (const char *)&c, 1);
    else putf(o, "\\%03o", c);
}

/* ---- types ------------------------------------------------------------------ */

static const DbgType *type_at(const DebugInfo *d, uint64_t t)
{
    return t < d->ntypes ? &d->types[t] : NULL;
}

static bool is_alias(uint8_t kind)
{
    return kind == DBG_T_TYPEDEF || kind == DBG_T_CONST || kind == DBG_T_VOLATILE ||
           kind == DBG_T_RESTRICT || kind == DBG_T_ATOMIC;
}

/* t through its typedefs and qualifiers: the type that says how a value
 * reads; NULL for void, an unknown type or a chain that does not end. */
static const DbgType *strip(const DebugInfo *d, uint64_t t)
{
    for (int hop = 0; hop < MAX_HOPS; hop++) {
        const DbgType *ty = type_at(d, t);
        if (!ty || !is_alias(ty->kind)) return ty;
        t = ty->base;
    }
    return NULL;
}

static bool is_char(const DbgType *ty)
{
    return ty && ty->kind == DBG_T_BASE && ty->size == 1 &&
           (ty->encoding == ATE_SIGNED_CHAR || ty->encoding == ATE_UNSIGNED_CHAR);
}

/* The dimensions of array type ty: their count, at most MAX_DIMS. */
static unsigned dims_of(const DebugInfo *d, const DbgType *ty, int64_t *dims)
{
    unsigned n = 0;
    uint32_t self = (uint32_t)(ty - d->types);
    for (uint32_t i = ty->first_field; i < ty->end_field && n < MAX_DIMS; i++)
        if (d->fields[i].parent == self && d->fields[i].kind == DBG_F_DIM)
            dims[n++] = d->fields[i].value;
    return n;
}

static uint64_t mul_size(uint64_t a, int64_t n)
{
    if (a == DBG_NO_SIZE || n < 0 || (n && a > (DBG_NO_SIZE - 1) / (uint64_t)n)) return DBG_NO_SIZE;
    return a * (uint64_t)n;
}

/* Bytes of a value of type t, or DBG_NO_SIZE. */
static uint64_t size_of(const DebugInfo *d, uint64_t t, int hops)
{
    const DbgType *ty = strip(d, t);
    if (!ty || hops > MAX_HOPS) return DBG_NO_SIZE;
    if (ty->kind != DBG_T_ARRAY) return ty->size;
    int64_t dims[MAX_DIMS];
    unsigned n = dims_of(d, ty, dims);
    uint64_t size = size_of(d, ty->base, hops + 1);
    for (unsigned i = 0; i < n; i++) size = mul_size(size, dims[i]);
    return n ? size : DBG_NO_SIZE;
}

/* ---- spelling types ------------------------------------------------------- */

/* A declarator, built from the name outwards: "*", "(*)[3]", "*const". */
typedef struct Decl {
    char s[DECL_CAP];
    size_t len;
    bool cut;
} Decl;

static void decl_insert(Decl *x, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (x->len + n >= DECL_CAP) {
        n = DECL_CAP - 1 - x->len;
        x->cut = true;
    }
    memmove(x->s + at + n, x->s + at, x->len - at);
    memcpy(x->s + at, s, n);
    x->len += n;
    x->s[x->len] = '\0';
}

static void decl_prepend(Decl *x, const char *s) { decl_insert(x, 0, s); }
static void decl_append(Decl *x, const char *s) { decl_insert(x, x->len, s); }

/* A pointer declarator gets parentheses before an array or a function
 * suffix binds to it: "(*)[3]", "(*)(int)". */
static void decl_wrap(Decl *x)
{
    if (x->len && x->s[0] == '*') {
        decl_prepend(x, "(");
        decl_append(x, ")");
    }
}

static void spell(const DebugInfo *d, uint64_t t, Decl *decl, Out *o, int nest);

static void spell_params(const DebugInfo *d, const DbgType *ty, Decl *decl, int nest)
{
    char buf[DECL_CAP];
    unsigned n = 0;
    uint32_t self = (uint32_t)(ty - d->types);
    decl_append(decl, "(");
    for (uint32_t i = ty->first_field; i < ty->end_field; i++) {
        const DbgField *f = &d->fields[i];
        if (f->parent != self || (f->kind != DBG_F_PARAM && f->kind != DBG_F_VARARGS)) continue;
        if (n++) decl_append(decl, ", ");
        if (f->kind == DBG_F_VARARGS || n > MAX_PARAMS || nest >= MAX_SPELL) {
            decl_append(decl, "...");
            break;
        }
        Out po = {buf, sizeof buf, 0, false};
        Decl inner = {{0}, 0, false};
        spell(d, f->type, &inner, &po, nest + 1);
        decl_append(decl, finish(&po));
    }
    decl_append(decl, n ? ")" : "void)");
}

static void spell_array(const DebugInfo *d, const DbgType *ty, Decl *decl)
{
    int64_t dims[MAX_DIMS];
    unsigned n = dims_of(d, ty, dims);
    decl_wrap(decl);
    for (unsigned i = 0; i < n || i == 0; i++) {
        char tmp[32] = "[]";
        if (i < n && dims[i] != DBG_NO_COUNT) snprintf(tmp, sizeof tmp, "[%lld]", (long long)dims[i]);
        decl_append(decl, tmp);
    }
}

/* A qualifier of a pointer follows its '*' ("char *const"); any other
 * comes before the type's name ("const char"). */
static bool qualifies_pointer(const DebugInfo *d, const DbgType *q)
{
    const DbgType *ty = q;
    for (int hop = 0; hop < MAX_HOPS && ty && ty->kind != DBG_T_TYPEDEF && is_alias(ty->kind); hop++)
        ty = type_at(d, ty->base);
    return ty && ty->kind == DBG_T_POINTER;
}

static const char *qualifier(uint8_t kind)
{
    switch (kind) {
    case DBG_T_CONST: return "const";
    case DBG_T_VOLATILE: return "volatile";
    case DBG_T_RESTRICT: return "restrict";
    default: return "_Atomic";
    }
}

static void put_name(Out *o, const DbgType *ty)
{
    const char *tag = ty->kind == DBG_T_STRUCT ? "struct "
                      : ty->kind == DBG_T_UNION ? "union "
                      : ty->kind == DBG_T_ENUM  ? "enum "
                      : ty->kind == DBG_T_CLASS ? "class " : "";
    put(o, tag);
    if (ty->name) put(o, ty->name);
    else put(o, *tag ? "{...}" : ty->kind == DBG_T_UNSPECIFIED ? "void" : "?");
}

/* Writes type t around declarator decl: the qualifiers of the named type,
 * its name, then the declarator ("const char *", "int (*)[3]"). */
static void spell(const DebugInfo *d, uint64_t t, Decl *decl, Out *o, int nest)
{
    char quals[40] = "";
    const DbgType *named = NULL;
    int hop;
    for (hop = 0; hop < MAX_HOPS; hop++) {
        const DbgType *ty = type_at(d, t);
        if (!ty) break;
        if (ty->kind == DBG_T_POINTER) {
            decl_prepend(decl, "*");
        } else if (is_alias(ty->kind) && ty->kind != DBG_T_TYPEDEF) {
            const char *q = qualifier(ty->kind);
            if (qualifies_pointer(d, ty)) {
                decl_prepend(decl, decl->len ? " " : "");
                decl_prepend(decl, q);
            } else if (!strstr(quals, q) && strlen(quals) + strlen(q) + 2 <= sizeof quals) {
                strcat(quals, q);
                strcat(quals, " ");
            }
        } else if (ty->kind == DBG_T_ARRAY) {
            spell_array(d, ty, decl);
        } else if (ty->kind == DBG_T_FUNC) {
            decl_wrap(decl);
            spell_params(d, ty, decl, nest);
        } else {
            named = ty;
            break;
        }
        t = ty->base;
    }
    put(o, quals);
    if (named) put_name(o, named);
    else put(o, t == DBG_NONE && hop < MAX_HOPS ? "void" : "?");
    if (decl->len) {
        put(o, " ");
        put(o, decl->s);
    }
    if (decl->cut) o->cut = true;
}

const char *dbg_var_type(const DebugInfo *d, uint32_t v, char *buf, size_t cap)
{
    Out o = {buf, cap, 0, false};
    if (cap) buf[0] = '\0';
    if (!d || v >= d->nvars) return buf;
    Decl decl = {{0}, 0, false};
    spell(d, d->vars[v].type, &decl, &o, 0);
    return finish(&o);
}

/* ---- reading values ------------------------------------------------------- */

/* Where an object's bytes are: memory at addr, or a wasm value's bytes. */
typedef struct Obj {
    bool in_mem;
    uint64_t addr;
    uint8_t val[8];
    unsigned nval;
} Obj;

typedef struct Fmt {
    const DebugInfo *d;
    const DbgFrameView *fv;
    Out o;
} Fmt;

static bool read_bytes(const Fmt *f, const Obj *ob, uint64_t off, uint64_t n, uint8_t *out)
{
    if (ob->in_mem) {
        uint64_t size = f->fv->mem_size;
        if (!f->fv->mem || off > UINT64_MAX - ob->addr) return false;
        uint64_t at = ob->addr + off;
        if (at > size || n > size - at) return false;
        memcpy(out, f->fv->mem + at, n);
        return true;
    }
    if (off > ob->nval || n > ob->nval - off) return false;
    memcpy(out, ob->val + off, n);
    return true;
}

/* A little-endian integer of n (1..8) bytes at off. */
static bool read_uint(const Fmt *f, const Obj *ob, uint64_t off, uint64_t n, uint64_t *out)
{
    uint8_t b[8];
    if (n == 0 || n > 8 || !read_bytes(f, ob, off, n, b)) return false;
    *out = 0;
    for (uint64_t i = n; i-- > 0;) *out = *out << 8 | b[i];
    return true;
}

static Obj sub_obj(const Obj *ob, uint64_t off)
{
    Obj s = *ob;
    if (ob->in_mem) {
        s.addr = off > UINT64_MAX - ob->addr ? UINT64_MAX : ob->addr + off;
    } else if (off >= ob->nval) {
        s.nval = 0;
    } else {
        memmove(s.val, ob->val + off, ob->nval - off);
        s.nval = ob->nval - (unsigned)off;
    }
    return s;
}

static void cannot_read(Fmt *f, const Obj *ob, uint64_t off)
{
    if (ob->in_mem && off <= UINT64_MAX - ob->addr)
        putf(&f->o, "<cannot read 0x%llx>", (unsigned long long)(ob->addr + off));
    else
        put(&f->o, "<cannot read>");
}

static int64_t sign_extend(uint64_t v, unsigned bits)
{
    if (bits >= 64) return (int64_t)v;
    uint64_t m = (uint64_t)1 << (bits - 1);
    v &= ((uint64_t)1 << bits) - 1;
    return (int64_t)((v ^ m) - m);
}

/* The shortest decimal that reads back as the same value. */
static void put_float(Out *o, double v, bool single)
{
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        double back = strtod(tmp, NULL);
        if (single ? (float)back == (float)v : back == v) break;
    }
    put(o, tmp);
}

static bool is_signed(const DbgType *ty)
{
    return ty && ty->kind == DBG_T_BASE &&
           (ty->encoding == ATE_SIGNED || ty->encoding == ATE_SIGNED_CHAR);
}

/* An integer, character or boolean of the base type ty. */
static void put_scalar(Out *o, const DbgType *ty, uint64_t raw, unsigned bits)
{
    int64_t sv = sign_extend(raw, bits);
    uint64_t uv = bits >= 64 ? raw : raw & (((uint64_t)1 << bits) - 1);
    switch (ty->encoding) {
    case ATE_BOOLEAN: put(o, uv == 0 ? "false" : uv == 1 ? "true" : "true (non-canonical)"); return;
    case ATE_SIGNED: putf(o, "%lld", (long long)sv); return;
    case ATE_SIGNED_CHAR:
    case ATE_UNSIGNED_CHAR:
        if (ty->encoding == ATE_SIGNED_CHAR) putf(o, "%lld '", (long long)sv);
        else putf(o, "%llu '", (unsigned long long)uv);
        put_char(o, (uint8_t)uv, '\'');
        put(o, "'");
        return;
    default: putf(o, "%llu", (unsigned long long)uv); return;
    }
}

static void fmt_base(Fmt *f, const DbgType *ty, const Obj *ob)
{
    uint64_t raw;
    if (ty->size == 0 || ty->size > 8 || ty->size == DBG_NO_SIZE) {
        put(&f->o, "<unsupported type>");
        return;
    }
    if (!read_uint(f, ob, 0, ty->size, &raw)) {
        cannot_read(f, ob, 0);
        return;
    }
    if (ty->encoding == ATE_FLOAT) {
        if (ty->size == 4) {
            float x;
            uint32_t r32 = (uint32_t)raw;
            memcpy(&x, &r32, 4);
            put_float(&f->o, x, true);
        } else if (ty->size == 8) {
            double x;
            memcpy(&x, &raw, 8);
            put_float(&f->o, x, false);
        } else {
            put(&f->o, "<unsupported type>");
        }
        return;
    }
    put_scalar(&f->o, ty, raw, (unsigned)ty->size * 8);
}

/* The C string that starts the object, quoted: up to its NUL, max bytes
 * or MAX_STR bytes (then "..." if it goes on). */
static void put_string(Fmt *f, const Obj *ob, uint64_t max)
{
    uint8_t c = 0;
    uint64_t n = 0;
    if (max && !read_bytes(f, ob, 0, 1, &c)) {
        cannot_read(f, ob, 0);
        return;
    }
    put(&f->o, "\"");
    for (; n < max && n < MAX_STR; n++) {
        if (!read_bytes(f, ob, n, 1, &c)) {
            put(&f->o, "\" ");
            cannot_read(f, ob, n);
            return;
        }
        if (c == 0) break;
        put_char(&f->o, c, '"');
    }
    put(&f->o, "\"");
    if (n == MAX_STR && n < max && read_bytes(f, ob, n, 1, &c) && c != 0) put(&f->o, "...");
}

static void fmt_pointer(Fmt *f, const DbgType *ty, const Obj *ob)
{
    uint64_t p;
    if (ty->size == 0 || ty->size > 8) {
        put(&f->o, "<unsupported type>");
        return;
    }
    if (!read_uint(f, ob, 0, ty->size, &p)) {
        cannot_read(f, ob, 0);
        return;
    }
    putf(&f->o, "0x%llx", (unsigned long long)p);
    if (p && is_char(strip(f->d, ty->base))) {
        Obj s = {.in_mem = true, .addr = p};
        put(&f->o, " ");
        put_string(f, &s, UINT64_MAX);
    }
}

static void fmt_enum(Fmt *f, const DbgType *ty, const Obj *ob)
{
    const DbgType *under = strip(f->d, ty->base);
    uint64_t size = ty->size != DBG_NO_SIZE ? ty->size : under ? under->size : 4, raw;
    if (size == 0 || size > 8) {
        put(&f->o, "<unsupported type>");
        return;
    }
    if (!read_uint(f, ob, 0, size, &raw)) {
        cannot_read(f, ob, 0);
        return;
    }
    unsigned bits = (unsigned)size * 8;
    uint64_t mask = bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
    uint32_t self = (uint32_t)(ty - f->d->types);
    const char *name = NULL;
    for (uint32_t i = ty->first_field; i < ty->end_field && !name; i++) {
        const DbgField *e = &f->d->fields[i];
        /* compared at the enum's size: a constant's form may not say its sign */
        if (e->parent == self && e->kind == DBG_F_ENUMERATOR &&
            ((uint64_t)e->value & mask) == (raw & mask))
            name = e->name;
    }
    if (name) {
        put(&f->o, name);
        put(&f->o, " (");
    }
    if (!under || is_signed(under)) putf(&f->o, "%lld", (long long)sign_extend(raw, bits));
    else putf(&f->o, "%llu", (unsigned long long)(raw & mask));
    if (name) put(&f->o, ")");
}

static void fmt_value(Fmt *f, uint64_t t, const Obj *ob, int level);

static void fmt_bits(Fmt *f, const DbgField *m, const Obj *ob)
{
    const DbgType *ty = strip(f->d, m->type);
    uint64_t raw, nbytes = ((uint64_t)m->bit_off + m->bit_size + 7) / 8;
    if (!read_uint(f, ob, 0, nbytes, &raw)) {
        cannot_read(f, ob, 0);
        return;
    }
    raw >>= m->bit_off;
    if (ty && ty->kind == DBG_T_BASE && ty->encoding != ATE_FLOAT)
        put_scalar(&f->o, ty, raw, m->bit_size);
    else if (ty && ty->kind == DBG_T_ENUM && is_signed(strip(f->d, ty->base)))
        putf(&f->o, "%lld", (long long)sign_extend(raw, m->bit_size));
    else
        putf(&f->o, "%llu", (unsigned long long)(m->bit_size >= 64 ? raw
                                                 : raw & (((uint64_t)1 << m->bit_size) - 1)));
}

static void fmt_member(Fmt *f, const DbgField *m, const Obj *ob)
{
    if (m->name) {
        put(&f->o, m->name);
        put(&f->o, " = ");
    }
    if (m->bit_size == DBG_BAD_BITS || m->value < 0) {
        put(&f->o, "<unsupported location>");
        return;
    }
    Obj mo = sub_obj(ob, (uint64_t)m->value);
    if (m->bit_size) fmt_bits(f, m, &mo);
    else fmt_value(f, m->type, &mo, 1);
}

static void fmt_struct(Fmt *f, const DbgType *ty, const Obj *ob, int level)
{
    if (ty->incomplete) {
        put(&f->o, "<incomplete type>");
        return;
    }
    if (level > 0) {
        put(&f->o, "{...}");
        return;
    }
    unsigned n = 0;
    uint32_t self = (uint32_t)(ty - f->d->types);
    put(&f->o, "{");
    for (uint32_t i = ty->first_field; i < ty->end_field && !f->o.cut; i++) {
        const DbgField *m = &f->d->fields[i];
        if (m->parent != self || m->kind != DBG_F_MEMBER) continue;
        if (n++) put(&f->o, ", ");
        if (n > MAX_MEMBERS) {
            put(&f->o, "...");
            break;
        }
        fmt_member(f, m, ob);
    }
    put(&f->o, "}");
}

/* The elements of an array of dims[0..ndims) elem; inner dimensions are
 * nested aggregates, except that char arrays read as strings anywhere. */
static void fmt_dims(Fmt *f, uint64_t elem, const int64_t *dims, unsigned ndims,
                     const Obj *ob, int level)
{
    if (dims[0] == DBG_NO_COUNT) {
        put(&f->o, "{...}");
        return;
    }
    if (ndims == 1 && is_char(strip(f->d, elem))) {
        put_string(f, ob, (uint64_t)dims[0]);
        return;
    }
    if (level > 0) {
        put(&f->o, "{...}");
        return;
    }
    uint64_t step = size_of(f->d, elem, 0);
    for (unsigned i = 1; i < ndims; i++) step = mul_size(step, dims[i]);
    if (step == DBG_NO_SIZE) {
        put(&f->o, "<unknown size>");
        return;
    }
    put(&f->o, "{");
    for (int64_t k = 0; k < dims[0] && !f->o.cut; k++) {
        if (k) put(&f->o, ", ");
        if (k == MAX_ELEMS) {
            put(&f->o, "...");
            break;
        }
        uint64_t off = mul_size(step, k);
        Obj eo = sub_obj(ob, off == DBG_NO_SIZE ? UINT64_MAX : off);
        if (ndims > 1) fmt_dims(f, elem, dims + 1, ndims - 1, &eo, level + 1);
        else fmt_value(f, elem, &eo, level + 1);
    }
    put(&f->o, "}");
}

static void fmt_array(Fmt *f, const DbgType *ty, const Obj *ob, int level)
{
    int64_t dims[MAX_DIMS];
    unsigned n = dims_of(f->d, ty, dims);
    if (!n) put(&f->o, "{...}");
    else fmt_dims(f, ty->base, dims, n, ob, level);
}

static void fmt_value(Fmt *f, uint64_t t, const Obj *ob, int level)
{
    const DbgType *ty = strip(f->d, t);
    uint8_t byte;
    if (!ty) {
        put(&f->o, t == DBG_NONE ? "<void>" : "<unknown type>");
        return;
    }
    /* an aggregate nowhere readable is one message, not one per element */
    if ((ty->kind == DBG_T_ARRAY || ty->kind == DBG_T_STRUCT || ty->kind == DBG_T_UNION ||
         ty->kind == DBG_T_CLASS) && !read_bytes(f, ob, 0, 1, &byte)) {
        cannot_read(f, ob, 0);
        return;
    }
    switch (ty->kind) {
    case DBG_T_BASE: fmt_base(f, ty, ob); break;
    case DBG_T_POINTER: fmt_pointer(f, ty, ob); break;
    case DBG_T_ENUM: fmt_enum(f, ty, ob); break;
    case DBG_T_STRUCT: case DBG_T_UNION: case DBG_T_CLASS: fmt_struct(f, ty, ob, level); break;
    case DBG_T_ARRAY: fmt_array(f, ty, ob, level); break;
    case DBG_T_FUNC: put(&f->o, "<function>"); break;
    default: put(&f->o, "<unsupported type>"); break;
    }
}

/* ---- where a variable is ---------------------------------------------------- */

/* The bits of the wasm local or global a location names. */
static bool read_wasm(const DbgFrameView *fv, const DbgWhere *w, uint64_t *bits, unsigned *size)
{
    if (w->kind == DBG_AT_LOCAL) return fv->local && fv->local(fv->arg, w->index, bits, size);
    if (w->kind == DBG_AT_GLOBAL) return fv->global && fv->global(fv->arg, w->index, bits, size);
    return false;
}

static void cannot_read_wasm(Out *o, const DbgWhere *w)
{
    putf(o, "<cannot read %s %u>", w->kind == DBG_AT_LOCAL ? "local" : "global", w->index);
}

/* Where variable v is at the stop; false (with the reason written) if it
 * cannot be read. */
static bool locate(Fmt *f, const DbgVar *v, Obj *ob)
{
    const DbgWhere *w = &v->where;
    uint64_t bits;
    unsigned size;
    memset(ob, 0, sizeof *ob);
    switch (w->kind) {
    case DBG_AT_NONE: put(&f->o, "<optimized out>"); return false;
    case DBG_AT_ADDR:
        ob->in_mem = true;
        ob->addr = (uint64_t)w->off;
        return true;
    case DBG_AT_FBREG: {
        const DbgWhere *fb = v->block == DBG_NONE ? NULL
                             : &f->d->blocks[f->d->blocks[v->block].func].frame_base;
        if (!fb || (fb->kind != DBG_AT_LOCAL && fb->kind != DBG_AT_GLOBAL)) break;
        if (!read_wasm(f->fv, fb, &bits, &size)) {
            cannot_read_wasm(&f->o, fb);
            return false;
        }
        /* A local starts at 0 and a frame lies below the stack's top, so a
         * zero frame base means the prologue has not set it yet (a stop
         * at the function's first instruction): there is no value. */
        if (fb->kind == DBG_AT_LOCAL && (uint32_t)bits == 0) {
            put(&f->o, "<frame not set up yet>");
            return false;
        }
        /* The frame base is the local's value, marked so or not (as a
         * register location's frame base is the register's contents);
         * wasm32: it is an i32 and the address arithmetic wraps. */
        ob->in_mem = true;
        ob->addr = (uint32_t)((uint32_t)bits + (uint64_t)w->off);
        return true;
    }
    case DBG_AT_LOCAL:
    case DBG_AT_GLOBAL:
        if (!read_wasm(f->fv, w, &bits, &size) || size > 8) {
            cannot_read_wasm(&f->o, w);
            return false;
        }
        if (w->indirect) {
            ob->in_mem = true;
            ob->addr = (uint32_t)bits;
            return true;
        }
        for (unsigned i = 0; i < size; i++) ob->val[i] = (uint8_t)(bits >> (8 * i));
        ob->nval = size;
        return true;
    default: break;
    }
    put(&f->o, "<unsupported location>");
    return false;
}

const char *dbg_var_format(const DebugInfo *d, uint32_t v, const DbgFrameView *fv,
                           char *buf, size_t cap)
{
    Fmt f = {d, fv, {buf, cap, 0, false}};
    if (cap) buf[0] = '\0';
    if (!d || !fv || v >= d->nvars) return buf;
    Obj ob;
    if (locate(&f, &d->vars[v], &ob)) fmt_value(&f, d->vars[v].type, &ob, 0);
    return finish(&f.o);
}
