/*
 * form.c - attribute values: reading each DWARF 2-5 form (so that unknown
 * attributes can be stepped over exactly) and resolving the indexed ones
 * (strx, addrx) through the unit's base offsets.  Blocks (location
 * expressions) are not copied: the value points into the section.
 */
#include "debug/dwarf.h"

enum {
    FORM_ADDR = 0x01, FORM_BLOCK2 = 0x03, FORM_BLOCK4 = 0x04,
    FORM_DATA2 = 0x05, FORM_DATA4 = 0x06, FORM_DATA8 = 0x07,
    FORM_STRING = 0x08, FORM_BLOCK = 0x09, FORM_BLOCK1 = 0x0a,
    FORM_DATA1 = 0x0b, FORM_FLAG = 0x0c, FORM_SDATA = 0x0d, FORM_STRP = 0x0e,
    FORM_UDATA = 0x0f, FORM_REF_ADDR = 0x10, FORM_REF1 = 0x11,
    FORM_REF2 = 0x12, FORM_REF4 = 0x13, FORM_REF8 = 0x14,
    FORM_REF_UDATA = 0x15, FORM_INDIRECT = 0x16, FORM_SEC_OFFSET = 0x17,
    FORM_EXPRLOC = 0x18, FORM_FLAG_PRESENT = 0x19, FORM_STRX = 0x1a,
    FORM_ADDRX = 0x1b, FORM_REF_SUP4 = 0x1c, FORM_STRP_SUP = 0x1d,
    FORM_DATA16 = 0x1e, FORM_LINE_STRP = 0x1f, FORM_REF_SIG8 = 0x20,
    FORM_IMPLICIT_CONST = 0x21, FORM_LOCLISTX = 0x22, FORM_RNGLISTX = 0x23,
    FORM_REF_SUP8 = 0x24, FORM_STRX1 = 0x25, FORM_STRX2 = 0x26,
    FORM_STRX3 = 0x27, FORM_STRX4 = 0x28, FORM_ADDRX1 = 0x29,
    FORM_ADDRX2 = 0x2a, FORM_ADDRX3 = 0x2b, FORM_ADDRX4 = 0x2c,
    FORM_GNU_ADDR_INDEX = 0x1f01, FORM_GNU_STR_INDEX = 0x1f02,
    FORM_GNU_REF_ALT = 0x1f20, FORM_GNU_STRP_ALT = 0x1f21,
};

static void set(DwValue *v, DwClass cls, uint64_t u)
{
    *v = (DwValue){cls, u, NULL, NULL};
}

/* A block of n bytes at the cursor (location expressions live in them). */
static void block(DwCursor *c, uint64_t n, DwValue *v)
{
    const uint8_t *at = c->p;
    dc_skip(c, n);
    if (!c->bad) *v = (DwValue){DWV_BLOCK, n, NULL, at};
}

/* Forms whose value is a block of bytes. */
static bool read_block(DwCursor *c, uint64_t form, DwValue *v)
{
    switch (form) {
    case FORM_BLOCK1: block(c, dc_u8(c), v); return true;
    case FORM_BLOCK2: block(c, dc_u16(c), v); return true;
    case FORM_BLOCK4: block(c, dc_u32(c), v); return true;
    case FORM_BLOCK:
    case FORM_EXPRLOC: block(c, dc_uleb(c), v); return true;
    case FORM_DATA16: dc_skip(c, 16); return true;
    default: return false;
    }
}

static bool read_form(DwCursor *c, uint64_t form, int64_t implicit,
                      const DwUnit *u, DwValue *v, int depth)
{
    set(v, DWV_NONE, 0);
    uint64_t cu = u->off;
    switch (form) {
    case FORM_ADDR: set(v, DWV_ADDR, dc_uint(c, u->addr_size)); break;
    case FORM_DATA1: case FORM_FLAG: set(v, DWV_CONST, dc_u8(c)); break;
    case FORM_DATA2: set(v, DWV_CONST, dc_u16(c)); break;
    case FORM_DATA4: set(v, DWV_CONST, dc_u32(c)); break;
    case FORM_DATA8: set(v, DWV_CONST, dc_u64(c)); break;
    case FORM_UDATA: set(v, DWV_CONST, dc_uleb(c)); break;
    case FORM_SDATA: set(v, DWV_CONST, (uint64_t)dc_sleb(c)); break;
    case FORM_IMPLICIT_CONST: set(v, DWV_CONST, (uint64_t)implicit); break;
    case FORM_FLAG_PRESENT: set(v, DWV_CONST, 1); break;
    case FORM_STRING: v->cls = DWV_STR; v->str = dc_str(c); break;
    case FORM_STRP:
        v->cls = DWV_STR;
        v->str = dw_str_at(u->sec->str, dc_offset(c, u->is64));
        break;
    case FORM_LINE_STRP:
        v->cls = DWV_STR;
        v->str = dw_str_at(u->sec->line_str, dc_offset(c, u->is64));
        break;
    case FORM_STRX: set(v, DWV_STRX, dc_uleb(c)); break;
    case FORM_STRX1: set(v, DWV_STRX, dc_u8(c)); break;
    case FORM_STRX2: set(v, DWV_STRX, dc_u16(c)); break;
    case FORM_STRX3: set(v, DWV_STRX, dc_uint(c, 3)); break;
    case FORM_STRX4: set(v, DWV_STRX, dc_u32(c)); break;
    case FORM_ADDRX: set(v, DWV_ADDRX, dc_uleb(c)); break;
    case FORM_ADDRX1: set(v, DWV_ADDRX, dc_u8(c)); break;
    case FORM_ADDRX2: set(v, DWV_ADDRX, dc_u16(c)); break;
    case FORM_ADDRX3: set(v, DWV_ADDRX, dc_uint(c, 3)); break;
    case FORM_ADDRX4: set(v, DWV_ADDRX, dc_u32(c)); break;
    case FORM_REF1: set(v, DWV_REF, cu + dc_u8(c)); break;
    case FORM_REF2: set(v, DWV_REF, cu + dc_u16(c)); break;
    case FORM_REF4: set(v, DWV_REF, cu + dc_u32(c)); break;
    case FORM_REF8: set(v, DWV_REF, cu + dc_u64(c)); break;
    case FORM_REF_UDATA: set(v, DWV_REF, cu + dc_uleb(c)); break;
    case FORM_REF_ADDR:
        /* DWARF 2 wrote it address-sized, later versions offset-sized */
        set(v, DWV_REF, u->version <= 2 ? dc_uint(c, u->addr_size)
                                        : dc_offset(c, u->is64));
        break;
    case FORM_SEC_OFFSET: set(v, DWV_SECOFF, dc_offset(c, u->is64)); break;
    case FORM_RNGLISTX: set(v, DWV_RNGLISTX, dc_uleb(c)); break;
    case FORM_LOCLISTX: set(v, DWV_LOCLISTX, dc_uleb(c)); break;
    case FORM_GNU_ADDR_INDEX: case FORM_GNU_STR_INDEX: dc_uleb(c); break;
    case FORM_STRP_SUP: case FORM_GNU_REF_ALT: case FORM_GNU_STRP_ALT:
        dc_offset(c, u->is64);
        break;
    case FORM_REF_SUP4: dc_skip(c, 4); break;
    case FORM_REF_SUP8: case FORM_REF_SIG8: dc_skip(c, 8); break;
    case FORM_INDIRECT:
        /* the form is in the data; one level is all DWARF has a use for */
        if (depth > 0) return false;
        return read_form(c, dc_uleb(c), implicit, u, v, depth + 1);
    default:
        if (!read_block(c, form, v)) return false;
        break;
    }
    return !c->bad;
}

bool dw_form(DwCursor *c, uint64_t form, int64_t implicit, const DwUnit *u,
             DwValue *v)
{
    return read_form(c, form, implicit, u, v, 0);
}

/* Entry `index` of a table of `size`-byte entries at base in s. */
static bool indexed(DwSlice s, uint64_t base, uint64_t index, unsigned size,
                    uint64_t *out)
{
    if (base == DW_ABSENT || index > (UINT64_MAX - base) / size) return false;
    DwCursor c = dc_at(s, base + index * size);
    *out = dc_uint(&c, size);
    return !c.bad;
}

const char *dw_value_str(const DwUnit *u, const DwValue *v)
{
    if (v->cls == DWV_STR) return v->str;
    uint64_t off;
    if (v->cls == DWV_STRX &&
        indexed(u->sec->str_offsets, u->str_offsets_base, v->u, u->is64 ? 8 : 4, &off))
        return dw_str_at(u->sec->str, off);
    return NULL;
}

bool dw_value_addr(const DwUnit *u, const DwValue *v, uint64_t *out)
{
    if (v->cls == DWV_ADDR) {
        *out = v->u;
        return true;
    }
    return v->cls == DWV_ADDRX &&
           indexed(u->sec->addr, u->addr_base, v->u, u->addr_size, out);
}
