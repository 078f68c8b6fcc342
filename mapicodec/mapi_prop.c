/*
 * mapi_prop.c - property values, tag arrays, rows, problems and property
 * names ([MS-OXCDATA] 2.6.1, 2.7, 2.8, 2.9, 2.10, 2.11), the arena, and
 * String8 code page conversion. See mapi_prop.h.
 */
#include "mapi_prop.h"
#include "mapi_restriction.h"
#include "mapi_status.h"

#include <stdlib.h>
#include <string.h>

/* ---- arena ---------------------------------------------------------- */

struct mapi_arena_blk {
    mapi_arena_blk_t *next;
    size_t size, used;
    /* data follows, 16-aligned */
};

#define ARENA_HDR ((sizeof(mapi_arena_blk_t) + 15) & ~(size_t)15)
#define ARENA_BLOCK 4096

void mapi_arena_init(mapi_arena_t *a, size_t limit)
{
    a->head = NULL;
    a->used = 0;
    a->limit = limit;
}

void *mapi_arena_alloc(mapi_arena_t *a, size_t n)
{
    mapi_arena_blk_t *b = a->head;
    uint8_t *p;
    n = n ? (n + 15) & ~(size_t)15 : 16;
    if (n > SIZE_MAX / 2 || (a->limit && (n > a->limit || a->used > a->limit - n)))
        return NULL;
    if (!b || b->size - b->used < n) {
        size_t sz = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = malloc(ARENA_HDR + sz);
        if (!b)
            return NULL;
        b->size = sz;
        b->used = 0;
        if (a->head && n > ARENA_BLOCK) {
            /* keep the current block as head: it still has room */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    p = (uint8_t *)b + ARENA_HDR + b->used;
    b->used += n;
    a->used += n;
    memset(p, 0, n);
    return p;
}

void *mapi_arena_calloc(mapi_arena_t *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return mapi_arena_alloc(a, n * size);
}

void *mapi_arena_memdup(mapi_arena_t *a, const void *p, size_t n)
{
    void *q = mapi_arena_alloc(a, n);
    if (q && n)
        memcpy(q, p, n);
    return q;
}

char *mapi_arena_strndup(mapi_arena_t *a, const char *s, size_t n)
{
    char *q = n < SIZE_MAX ? mapi_arena_alloc(a, n + 1) : NULL;
    if (q && n)
        memcpy(q, s, n);
    return q;
}

void mapi_arena_clear(mapi_arena_t *a)
{
    mapi_arena_blk_t *b = a->head, *next;
    for (; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
    a->used = 0;
}

/* ---- status --------------------------------------------------------- */

const char *mapi_codec_strerror(int status)
{
    switch (status) {
    case MAPI_OK: return "ok";
    case MAPI_E_TRUNCATED: return "truncated input";
    case MAPI_E_BAD_TYPE: return "unknown property type";
    case MAPI_E_BAD_VALUE: return "invalid field value";
    case MAPI_E_NOMEM: return "out of memory";
    case MAPI_E_CODEPAGE: return "unsupported code page";
    case MAPI_E_TOO_COMPLEX: return "restriction too complex";
    case MAPI_E_UNKNOWN_ROP: return "unknown RopId";
    case MAPI_E_TYPE_MISMATCH: return "property type mismatch";
    case MAPI_E_TRAILING: return "trailing bytes";
    default: return "unknown status";
    }
}

uint32_t mapi_codec_status_to_ec(int status)
{
    switch (status) {
    case MAPI_OK: return MAPI_EC_SUCCESS;
    case MAPI_E_NOMEM: return MAPI_EC_SERVER_OOM;
    case MAPI_E_CODEPAGE: return MAPI_EC_UNKNOWN_CODEPAGE;
    case MAPI_E_TOO_COMPLEX: return MAPI_EC_TOO_COMPLEX;
    case MAPI_E_BAD_TYPE:
    case MAPI_E_TYPE_MISMATCH:
    case MAPI_E_BAD_VALUE: return MAPI_EC_INVALID_PARAMETER;
    default: return MAPI_EC_RPC_FORMAT;
    }
}

/* ---- types ---------------------------------------------------------- */

int mapi_prop_type_known(uint16_t type)
{
    switch (type & ~MAPI_PT_MV_INSTANCE) {
    case MAPI_PT_NULL: case MAPI_PT_I2: case MAPI_PT_LONG: case MAPI_PT_FLOAT:
    case MAPI_PT_DOUBLE: case MAPI_PT_CURRENCY: case MAPI_PT_APPTIME: case MAPI_PT_ERROR:
    case MAPI_PT_BOOLEAN: case MAPI_PT_OBJECT: case MAPI_PT_I8: case MAPI_PT_STRING8:
    case MAPI_PT_UNICODE: case MAPI_PT_SYSTIME: case MAPI_PT_CLSID: case MAPI_PT_SVREID:
    case MAPI_PT_SRESTRICTION: case MAPI_PT_ACTIONS: case MAPI_PT_BINARY:
    case MAPI_PT_MV_I2: case MAPI_PT_MV_LONG: case MAPI_PT_MV_FLOAT: case MAPI_PT_MV_DOUBLE:
    case MAPI_PT_MV_CURRENCY: case MAPI_PT_MV_APPTIME: case MAPI_PT_MV_I8:
    case MAPI_PT_MV_STRING8: case MAPI_PT_MV_UNICODE: case MAPI_PT_MV_SYSTIME:
    case MAPI_PT_MV_CLSID: case MAPI_PT_MV_BINARY:
        return 1;
    default:
        return 0;
    }
}

int mapi_guid_eq(const mapi_guid_t *a, const mapi_guid_t *b)
{
    return memcmp(a->b, b->b, 16) == 0;
}

/* Wire size of one element of a fixed-width MV type; 0 for variable ones. */
static size_t mv_elem_wire_size(uint16_t type)
{
    switch (type) {
    case MAPI_PT_MV_I2: return 2;
    case MAPI_PT_MV_LONG: case MAPI_PT_MV_FLOAT: return 4;
    case MAPI_PT_MV_DOUBLE: case MAPI_PT_MV_CURRENCY: case MAPI_PT_MV_APPTIME:
    case MAPI_PT_MV_I8: case MAPI_PT_MV_SYSTIME: return 8;
    case MAPI_PT_MV_CLSID: return 16;
    default: return 0;
    }
}

static size_t mv_elem_mem_size(uint16_t type)
{
    switch (type) {
    case MAPI_PT_MV_I2: return sizeof(int16_t);
    case MAPI_PT_MV_LONG: return sizeof(int32_t);
    case MAPI_PT_MV_FLOAT: return sizeof(float);
    case MAPI_PT_MV_DOUBLE: case MAPI_PT_MV_APPTIME: return sizeof(double);
    case MAPI_PT_MV_CURRENCY: case MAPI_PT_MV_I8: case MAPI_PT_MV_SYSTIME: return sizeof(int64_t);
    case MAPI_PT_MV_CLSID: return sizeof(mapi_guid_t);
    case MAPI_PT_MV_STRING8: case MAPI_PT_MV_UNICODE: return sizeof(char *);
    case MAPI_PT_MV_BINARY: return sizeof(mapi_bin_t);
    default: return 0;
    }
}

/* ---- decode --------------------------------------------------------- */

static int rd_status(const mapi_rd_t *rd) { return mapi_rd_ok(rd) ? MAPI_OK : MAPI_E_TRUNCATED; }

static int decode_string8(mapi_rd_t *rd, mapi_arena_t *a, char **out)
{
    size_t n;
    const char *s = mapi_rd_asciiz(rd, &n);
    if (!s)
        return MAPI_E_TRUNCATED;
    return (*out = mapi_arena_strndup(a, s, n)) ? MAPI_OK : MAPI_E_NOMEM;
}

static int decode_unicode(mapi_rd_t *rd, mapi_arena_t *a, char **out)
{
    size_t units;
    const uint8_t *s = mapi_rd_utf16z(rd, &units);
    char *tmp;
    if (!s)
        return MAPI_E_TRUNCATED;
    tmp = mapi_utf16le_to_utf8(s, units);
    if (!tmp)
        return MAPI_E_NOMEM;
    *out = mapi_arena_strndup(a, tmp, strlen(tmp));
    free(tmp);
    return *out ? MAPI_OK : MAPI_E_NOMEM;
}

static int decode_binary(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_bin_t *out)
{
    uint32_t n = wide ? mapi_rd_u32(rd) : mapi_rd_u16(rd);
    const uint8_t *p;
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    p = mapi_rd_bytes(rd, n);
    if (!p)
        return MAPI_E_TRUNCATED;
    out->len = n;
    out->data = mapi_arena_memdup(a, p, n);
    return out->data ? MAPI_OK : MAPI_E_NOMEM;
}

/* PtypRuleAction ([MS-OXORULE] 2.2.5): NoOfActions (u16, u32 when wide)
 * ActionBlocks, each ActionLength (u16/u32) + that many bytes (ActionType,
 * ActionFlavor, ActionFlags, ActionData). Kept as the raw bytes. */
static int decode_actions(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_bin_t *out)
{
    size_t start = rd->off;
    uint32_t i, n = wide ? mapi_rd_u32(rd) : mapi_rd_u16(rd);
    const uint8_t *p;
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    if (n == 0)
        return MAPI_E_BAD_VALUE; /* "MUST be greater than zero" */
    for (i = 0; i < n; i++) {
        uint32_t len = wide ? mapi_rd_u32(rd) : mapi_rd_u16(rd);
        if (!mapi_rd_ok(rd))
            return MAPI_E_TRUNCATED;
        if (len < 9)
            return MAPI_E_BAD_VALUE; /* ActionType + ActionFlavor + ActionFlags */
        if (!mapi_rd_bytes(rd, len))
            return MAPI_E_TRUNCATED;
    }
    if (rd->off - start > UINT32_MAX)
        return MAPI_E_BAD_VALUE;
    p = rd->p + start;
    out->len = (uint32_t)(rd->off - start);
    out->data = mapi_arena_memdup(a, p, out->len);
    return out->data ? MAPI_OK : MAPI_E_NOMEM;
}

static double rd_f64(mapi_rd_t *rd)
{
    uint64_t u = mapi_rd_u64(rd);
    double d;
    memcpy(&d, &u, sizeof(d));
    return d;
}

static float rd_f32(mapi_rd_t *rd)
{
    uint32_t u = mapi_rd_u32(rd);
    float f;
    memcpy(&f, &u, sizeof(f));
    return f;
}

static int decode_mv(mapi_rd_t *rd, mapi_arena_t *a, int wide, uint16_t type, mapi_mv_t *mv)
{
    uint32_t i, n = mapi_rd_u32(rd);
    size_t wsz = mv_elem_wire_size(type), min = wsz ? wsz : (type == MAPI_PT_MV_UNICODE ? 2 : 1);
    int st = MAPI_OK;
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    if (type == MAPI_PT_MV_BINARY)
        min = wide ? 4 : 2;
    if (n > mapi_rd_left(rd) / min)
        return MAPI_E_TRUNCATED; /* a count past the end of the buffer */
    mv->count = n;
    mv->v.i32 = mapi_arena_calloc(a, n ? n : 1, mv_elem_mem_size(type));
    if (!mv->v.i32)
        return MAPI_E_NOMEM;
    for (i = 0; i < n && st == MAPI_OK; i++) {
        switch (type) {
        case MAPI_PT_MV_I2: mv->v.i16[i] = (int16_t)mapi_rd_u16(rd); break;
        case MAPI_PT_MV_LONG: mv->v.i32[i] = (int32_t)mapi_rd_u32(rd); break;
        case MAPI_PT_MV_FLOAT: mv->v.f32[i] = rd_f32(rd); break;
        case MAPI_PT_MV_DOUBLE: case MAPI_PT_MV_APPTIME: mv->v.f64[i] = rd_f64(rd); break;
        case MAPI_PT_MV_CURRENCY: case MAPI_PT_MV_I8: mv->v.i64[i] = (int64_t)mapi_rd_u64(rd); break;
        case MAPI_PT_MV_SYSTIME: mv->v.u64[i] = mapi_rd_u64(rd); break;
        case MAPI_PT_MV_CLSID: {
            const uint8_t *g = mapi_rd_bytes(rd, 16);
            if (g)
                memcpy(mv->v.guid[i].b, g, 16);
            break;
        }
        case MAPI_PT_MV_STRING8: st = decode_string8(rd, a, &mv->v.str[i]); break;
        case MAPI_PT_MV_UNICODE: st = decode_unicode(rd, a, &mv->v.str[i]); break;
        case MAPI_PT_MV_BINARY: st = decode_binary(rd, a, wide, &mv->v.bin[i]); break;
        default: return MAPI_E_BAD_TYPE;
        }
    }
    return st != MAPI_OK ? st : rd_status(rd);
}

int mapi_propval_decode_value(mapi_rd_t *rd, mapi_arena_t *a, int wide, uint16_t type,
                              mapi_propval_t *out)
{
    const uint8_t *g;
    out->tag = MAPI_PROP_CHANGE_TYPE(out->tag, type);
    memset(&out->v, 0, sizeof(out->v));
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    switch (type) {
    case MAPI_PT_NULL: return MAPI_OK;
    case MAPI_PT_I2: out->v.i16 = (int16_t)mapi_rd_u16(rd); break;
    case MAPI_PT_LONG: case MAPI_PT_OBJECT: out->v.i32 = (int32_t)mapi_rd_u32(rd); break;
    case MAPI_PT_FLOAT: out->v.f32 = rd_f32(rd); break;
    case MAPI_PT_DOUBLE: case MAPI_PT_APPTIME: out->v.f64 = rd_f64(rd); break;
    case MAPI_PT_CURRENCY: case MAPI_PT_I8: out->v.i64 = (int64_t)mapi_rd_u64(rd); break;
    case MAPI_PT_SYSTIME: out->v.time = mapi_rd_u64(rd); break;
    case MAPI_PT_ERROR: out->v.err = mapi_rd_u32(rd); break;
    case MAPI_PT_BOOLEAN: out->v.b = mapi_rd_u8(rd); break;
    case MAPI_PT_CLSID:
        if ((g = mapi_rd_bytes(rd, 16)) != NULL)
            memcpy(out->v.guid.b, g, 16);
        break;
    case MAPI_PT_STRING8: return decode_string8(rd, a, &out->v.str);
    case MAPI_PT_UNICODE: return decode_unicode(rd, a, &out->v.str);
    case MAPI_PT_BINARY: case MAPI_PT_SVREID: return decode_binary(rd, a, wide, &out->v.bin);
    case MAPI_PT_SRESTRICTION:
        return mapi_restriction_decode(rd, a, wide, &out->v.res);
    case MAPI_PT_ACTIONS:
        return decode_actions(rd, a, wide, &out->v.bin);
    default:
        if (mapi_prop_type_is_mv(type) && mv_elem_mem_size(type))
            return decode_mv(rd, a, wide, type, &out->v.mv);
        return MAPI_E_BAD_TYPE;
    }
    return rd_status(rd);
}

int mapi_propval_decode_typed(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_propval_t *out)
{
    uint16_t type = mapi_rd_u16(rd);
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    out->tag = 0;
    return mapi_propval_decode_value(rd, a, wide, type, out);
}

int mapi_propval_decode_tagged(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_propval_t *out)
{
    uint32_t tag = mapi_rd_u32(rd);
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    if (MAPI_PROP_TYPE(tag) == MAPI_PT_UNSPECIFIED)
        return MAPI_E_BAD_TYPE;
    out->tag = tag;
    return mapi_propval_decode_value(rd, a, wide, MAPI_PROP_TYPE(tag), out);
}

/* ---- encode --------------------------------------------------------- */

static int wr_status(const mapi_wr_t *wr) { return mapi_wr_ok(wr) ? MAPI_OK : MAPI_E_NOMEM; }

static void wr_f64(mapi_wr_t *wr, double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof(u));
    mapi_wr_u64(wr, u);
}

static void wr_f32(mapi_wr_t *wr, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof(u));
    mapi_wr_u32(wr, u);
}

static int encode_binary(mapi_wr_t *wr, int wide, const mapi_bin_t *b)
{
    if (wide) {
        mapi_wr_u32(wr, b->len);
    } else {
        if (b->len > 0xFFFF)
            return MAPI_E_BAD_VALUE;
        mapi_wr_u16(wr, (uint16_t)b->len);
    }
    mapi_wr_bytes(wr, b->data, b->len);
    return wr_status(wr);
}

static int encode_mv(mapi_wr_t *wr, int wide, uint16_t type, const mapi_mv_t *mv)
{
    uint32_t i;
    int st = MAPI_OK;
    mapi_wr_u32(wr, mv->count);
    for (i = 0; i < mv->count && st == MAPI_OK; i++) {
        switch (type) {
        case MAPI_PT_MV_I2: mapi_wr_u16(wr, (uint16_t)mv->v.i16[i]); break;
        case MAPI_PT_MV_LONG: mapi_wr_u32(wr, (uint32_t)mv->v.i32[i]); break;
        case MAPI_PT_MV_FLOAT: wr_f32(wr, mv->v.f32[i]); break;
        case MAPI_PT_MV_DOUBLE: case MAPI_PT_MV_APPTIME: wr_f64(wr, mv->v.f64[i]); break;
        case MAPI_PT_MV_CURRENCY: case MAPI_PT_MV_I8: mapi_wr_u64(wr, (uint64_t)mv->v.i64[i]); break;
        case MAPI_PT_MV_SYSTIME: mapi_wr_u64(wr, mv->v.u64[i]); break;
        case MAPI_PT_MV_CLSID: mapi_wr_bytes(wr, mv->v.guid[i].b, 16); break;
        case MAPI_PT_MV_STRING8: mapi_wr_asciiz(wr, mv->v.str[i]); break;
        case MAPI_PT_MV_UNICODE: mapi_wr_utf16z_from_utf8(wr, mv->v.str[i]); break;
        case MAPI_PT_MV_BINARY: st = encode_binary(wr, wide, &mv->v.bin[i]); break;
        default: return MAPI_E_BAD_TYPE;
        }
    }
    return st != MAPI_OK ? st : wr_status(wr);
}

int mapi_propval_encode_value(mapi_wr_t *wr, int wide, const mapi_propval_t *pv)
{
    uint16_t type = MAPI_PROP_TYPE(pv->tag);
    switch (type) {
    case MAPI_PT_NULL: break;
    case MAPI_PT_I2: mapi_wr_u16(wr, (uint16_t)pv->v.i16); break;
    case MAPI_PT_LONG: case MAPI_PT_OBJECT: mapi_wr_u32(wr, (uint32_t)pv->v.i32); break;
    case MAPI_PT_FLOAT: wr_f32(wr, pv->v.f32); break;
    case MAPI_PT_DOUBLE: case MAPI_PT_APPTIME: wr_f64(wr, pv->v.f64); break;
    case MAPI_PT_CURRENCY: case MAPI_PT_I8: mapi_wr_u64(wr, (uint64_t)pv->v.i64); break;
    case MAPI_PT_SYSTIME: mapi_wr_u64(wr, pv->v.time); break;
    case MAPI_PT_ERROR: mapi_wr_u32(wr, pv->v.err); break;
    case MAPI_PT_BOOLEAN: mapi_wr_u8(wr, pv->v.b ? 1 : 0); break;
    case MAPI_PT_CLSID: mapi_wr_bytes(wr, pv->v.guid.b, 16); break;
    case MAPI_PT_STRING8: mapi_wr_asciiz(wr, pv->v.str); break;
    case MAPI_PT_UNICODE: mapi_wr_utf16z_from_utf8(wr, pv->v.str); break;
    case MAPI_PT_BINARY: case MAPI_PT_SVREID: return encode_binary(wr, wide, &pv->v.bin);
    case MAPI_PT_SRESTRICTION:
        if (!pv->v.res)
            return MAPI_E_BAD_VALUE;
        return mapi_restriction_encode(wr, wide, pv->v.res);
    case MAPI_PT_ACTIONS: /* raw RuleAction bytes, already in this context's widths */
        if (!pv->v.bin.len)
            return MAPI_E_BAD_VALUE;
        mapi_wr_bytes(wr, pv->v.bin.data, pv->v.bin.len);
        break;
    default:
        if (mapi_prop_type_is_mv(type) && mv_elem_mem_size(type))
            return encode_mv(wr, wide, type, &pv->v.mv);
        return MAPI_E_BAD_TYPE;
    }
    return wr_status(wr);
}

int mapi_propval_encode_typed(mapi_wr_t *wr, int wide, const mapi_propval_t *pv)
{
    mapi_wr_u16(wr, MAPI_PROP_TYPE(pv->tag));
    return mapi_propval_encode_value(wr, wide, pv);
}

int mapi_propval_encode_tagged(mapi_wr_t *wr, int wide, const mapi_propval_t *pv)
{
    if (MAPI_PROP_TYPE(pv->tag) == MAPI_PT_UNSPECIFIED)
        return MAPI_E_BAD_TYPE;
    mapi_wr_u32(wr, pv->tag);
    return mapi_propval_encode_value(wr, wide, pv);
}

/* ---- copy / find ---------------------------------------------------- */

static int copy_bin(mapi_arena_t *a, mapi_bin_t *d, const mapi_bin_t *s)
{
    d->len = s->len;
    d->data = mapi_arena_memdup(a, s->data, s->len);
    return d->data ? MAPI_OK : MAPI_E_NOMEM;
}

static int copy_str(mapi_arena_t *a, char **d, const char *s)
{
    *d = mapi_arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
    return *d ? MAPI_OK : MAPI_E_NOMEM;
}

int mapi_propval_copy(mapi_arena_t *a, mapi_propval_t *dst, const mapi_propval_t *src)
{
    uint16_t type = MAPI_PROP_TYPE(src->tag);
    uint32_t i;
    int st = MAPI_OK;
    *dst = *src;
    switch (type) {
    case MAPI_PT_STRING8: case MAPI_PT_UNICODE: return copy_str(a, &dst->v.str, src->v.str);
    case MAPI_PT_BINARY: case MAPI_PT_SVREID: case MAPI_PT_ACTIONS:
        return copy_bin(a, &dst->v.bin, &src->v.bin);
    case MAPI_PT_SRESTRICTION:
        dst->v.res = mapi_restriction_copy(a, src->v.res);
        return dst->v.res || !src->v.res ? MAPI_OK : MAPI_E_NOMEM;
    default: break;
    }
    if (!mapi_prop_type_is_mv(type))
        return MAPI_OK;
    dst->v.mv.v.i32 = mapi_arena_calloc(a, src->v.mv.count ? src->v.mv.count : 1, mv_elem_mem_size(type));
    if (!dst->v.mv.v.i32)
        return MAPI_E_NOMEM;
    if (type == MAPI_PT_MV_STRING8 || type == MAPI_PT_MV_UNICODE) {
        for (i = 0; i < src->v.mv.count && st == MAPI_OK; i++)
            st = copy_str(a, &dst->v.mv.v.str[i], src->v.mv.v.str[i]);
    } else if (type == MAPI_PT_MV_BINARY) {
        for (i = 0; i < src->v.mv.count && st == MAPI_OK; i++)
            st = copy_bin(a, &dst->v.mv.v.bin[i], &src->v.mv.v.bin[i]);
    } else if (src->v.mv.count) {
        memcpy(dst->v.mv.v.i32, src->v.mv.v.i32, src->v.mv.count * mv_elem_mem_size(type));
    }
    return st;
}

const mapi_propval_t *mapi_propval_find(const mapi_propval_t *vals, size_t n, uint32_t tag)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (MAPI_PROP_TYPE(tag) == MAPI_PT_UNSPECIFIED
                ? MAPI_PROP_ID(vals[i].tag) == MAPI_PROP_ID(tag)
                : vals[i].tag == tag)
            return &vals[i];
    }
    return NULL;
}

/* ---- arrays --------------------------------------------------------- */

int mapi_tagarray_decode(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_tagarray_t *out)
{
    uint32_t i, n = wide ? mapi_rd_u32(rd) : mapi_rd_u16(rd);
    if (!mapi_rd_ok(rd) || n > mapi_rd_left(rd) / 4)
        return MAPI_E_TRUNCATED;
    out->count = n;
    out->tags = mapi_arena_calloc(a, n ? n : 1, sizeof(uint32_t));
    if (!out->tags)
        return MAPI_E_NOMEM;
    for (i = 0; i < n; i++)
        out->tags[i] = mapi_rd_u32(rd);
    return rd_status(rd);
}

int mapi_tagarray_encode(mapi_wr_t *wr, int wide, const mapi_tagarray_t *ta)
{
    uint32_t i;
    if (wide) {
        mapi_wr_u32(wr, ta->count);
    } else {
        if (ta->count > 0xFFFF)
            return MAPI_E_BAD_VALUE;
        mapi_wr_u16(wr, (uint16_t)ta->count);
    }
    for (i = 0; i < ta->count; i++)
        mapi_wr_u32(wr, ta->tags[i]);
    return wr_status(wr);
}

int mapi_proplist_decode_n(mapi_rd_t *rd, mapi_arena_t *a, int wide, uint32_t count,
                           mapi_proplist_t *out)
{
    uint32_t i;
    int st = MAPI_OK;
    /* each TaggedPropertyValue is at least a 4-byte tag */
    if (count > mapi_rd_left(rd) / 4)
        return MAPI_E_TRUNCATED;
    out->count = count;
    out->vals = mapi_arena_calloc(a, count ? count : 1, sizeof(mapi_propval_t));
    if (!out->vals)
        return MAPI_E_NOMEM;
    for (i = 0; i < count && st == MAPI_OK; i++)
        st = mapi_propval_decode_tagged(rd, a, wide, &out->vals[i]);
    return st;
}

int mapi_proplist_encode_n(mapi_wr_t *wr, int wide, const mapi_proplist_t *pl)
{
    uint32_t i;
    int st = MAPI_OK;
    for (i = 0; i < pl->count && st == MAPI_OK; i++)
        st = mapi_propval_encode_tagged(wr, wide, &pl->vals[i]);
    return st;
}

/* ---- rows ([MS-OXCDATA] 2.8.1) -------------------------------------- */

static int row_value_needs_flag(uint16_t coltype, uint16_t valtype)
{
    if (coltype == MAPI_PT_UNSPECIFIED || coltype == valtype)
        return 0;
    return valtype == MAPI_PT_ERROR || valtype == MAPI_PT_NULL;
}

int mapi_proprow_encode(mapi_wr_t *wr, int wide, const uint32_t *cols, uint32_t ncols,
                        const mapi_propval_t *vals)
{
    uint32_t i;
    int flagged = 0, st = MAPI_OK;
    for (i = 0; i < ncols; i++) {
        uint16_t ct = mapi_prop_row_type(MAPI_PROP_TYPE(cols[i]));
        uint16_t vt = MAPI_PROP_TYPE(vals[i].tag);
        if (row_value_needs_flag(ct, vt))
            flagged = 1;
        else if (ct != MAPI_PT_UNSPECIFIED && ct != vt)
            return MAPI_E_TYPE_MISMATCH;
    }
    mapi_wr_u8(wr, (uint8_t)flagged);
    for (i = 0; i < ncols && st == MAPI_OK; i++) {
        uint16_t ct = mapi_prop_row_type(MAPI_PROP_TYPE(cols[i]));
        uint16_t vt = MAPI_PROP_TYPE(vals[i].tag);
        if (ct == MAPI_PT_UNSPECIFIED)
            mapi_wr_u16(wr, vt);
        if (flagged) {
            if (ct != MAPI_PT_UNSPECIFIED && vt == MAPI_PT_NULL && ct != MAPI_PT_NULL) {
                mapi_wr_u8(wr, MAPI_PVFLAG_ABSENT);
                continue;
            }
            mapi_wr_u8(wr, (vt == MAPI_PT_ERROR && ct != MAPI_PT_ERROR) ? MAPI_PVFLAG_ERROR
                                                                        : MAPI_PVFLAG_VALUE);
        }
        st = mapi_propval_encode_value(wr, wide, &vals[i]);
    }
    return st != MAPI_OK ? st : wr_status(wr);
}

int mapi_proprow_decode(mapi_rd_t *rd, mapi_arena_t *a, int wide, const uint32_t *cols,
                        uint32_t ncols, mapi_propval_t *vals)
{
    uint32_t i;
    int st = MAPI_OK;
    uint8_t flagged = mapi_rd_u8(rd);
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    if (flagged > 1)
        return MAPI_E_BAD_VALUE;
    for (i = 0; i < ncols && st == MAPI_OK; i++) {
        uint16_t type = mapi_prop_row_type(MAPI_PROP_TYPE(cols[i]));
        vals[i].tag = cols[i];
        if (type == MAPI_PT_UNSPECIFIED)
            type = mapi_rd_u16(rd);
        if (flagged) {
            uint8_t f = mapi_rd_u8(rd);
            if (f == MAPI_PVFLAG_ABSENT) {
                vals[i].tag = MAPI_PROP_CHANGE_TYPE(cols[i], MAPI_PT_NULL);
                memset(&vals[i].v, 0, sizeof(vals[i].v));
                continue;
            }
            if (f == MAPI_PVFLAG_ERROR)
                type = MAPI_PT_ERROR;
            else if (f != MAPI_PVFLAG_VALUE)
                return mapi_rd_ok(rd) ? MAPI_E_BAD_VALUE : MAPI_E_TRUNCATED;
        }
        st = mapi_propval_decode_value(rd, a, wide, type, &vals[i]);
    }
    return st != MAPI_OK ? st : rd_status(rd);
}

/* ---- problems ([MS-OXCDATA] 2.7) ------------------------------------ */

int mapi_problemarray_decode(mapi_rd_t *rd, mapi_arena_t *a, mapi_problemarray_t *out)
{
    uint32_t i, n = mapi_rd_u16(rd);
    if (!mapi_rd_ok(rd) || n > mapi_rd_left(rd) / 10)
        return MAPI_E_TRUNCATED;
    out->count = n;
    out->probs = mapi_arena_calloc(a, n ? n : 1, sizeof(mapi_propproblem_t));
    if (!out->probs)
        return MAPI_E_NOMEM;
    for (i = 0; i < n; i++) {
        out->probs[i].index = mapi_rd_u16(rd);
        out->probs[i].tag = mapi_rd_u32(rd);
        out->probs[i].err = mapi_rd_u32(rd);
    }
    return rd_status(rd);
}

int mapi_problemarray_encode(mapi_wr_t *wr, const mapi_problemarray_t *pa)
{
    uint32_t i;
    if (pa->count > 0xFFFF)
        return MAPI_E_BAD_VALUE;
    mapi_wr_u16(wr, (uint16_t)pa->count);
    for (i = 0; i < pa->count; i++) {
        mapi_wr_u16(wr, pa->probs[i].index);
        mapi_wr_u32(wr, pa->probs[i].tag);
        mapi_wr_u32(wr, pa->probs[i].err);
    }
    return wr_status(wr);
}

/* ---- property names ([MS-OXCDATA] 2.6.1) ---------------------------- */

int mapi_propname_decode(mapi_rd_t *rd, mapi_arena_t *a, mapi_propname_t *out)
{
    const uint8_t *g;
    memset(out, 0, sizeof(*out));
    out->kind = mapi_rd_u8(rd);
    if (mapi_rd_ok(rd) && out->kind == MAPI_MNID_NONE)
        return MAPI_OK; /* "no other return data" ([MS-OXCPRPT] 3.2.5.9) */
    g = mapi_rd_bytes(rd, 16);
    if (!g)
        return MAPI_E_TRUNCATED;
    memcpy(out->guid.b, g, 16);
    if (out->kind == MAPI_MNID_ID) {
        out->lid = mapi_rd_u32(rd);
    } else if (out->kind == MAPI_MNID_STRING) {
        uint8_t size = mapi_rd_u8(rd);
        const uint8_t *p = mapi_rd_bytes(rd, size);
        size_t units;
        char *tmp;
        if (!p)
            return MAPI_E_TRUNCATED;
        if (size & 1)
            return MAPI_E_BAD_VALUE;
        units = size / 2;
        if (units && p[2 * units - 2] == 0 && p[2 * units - 1] == 0)
            units--; /* the terminating NUL is counted in NameSize */
        tmp = mapi_utf16le_to_utf8(p, units);
        if (!tmp)
            return MAPI_E_NOMEM;
        out->name = mapi_arena_strndup(a, tmp, strlen(tmp));
        free(tmp);
        if (!out->name)
            return MAPI_E_NOMEM;
    } else {
        return MAPI_E_BAD_VALUE;
    }
    return rd_status(rd);
}

int mapi_propname_encode(mapi_wr_t *wr, const mapi_propname_t *pn)
{
    mapi_wr_u8(wr, pn->kind);
    if (pn->kind == MAPI_MNID_NONE)
        return wr_status(wr);
    mapi_wr_bytes(wr, pn->guid.b, 16);
    if (pn->kind == MAPI_MNID_ID) {
        mapi_wr_u32(wr, pn->lid);
    } else if (pn->kind == MAPI_MNID_STRING) {
        size_t off = wr->len, n;
        mapi_wr_u8(wr, 0);
        mapi_wr_utf16z_from_utf8(wr, pn->name);
        n = wr->len - off - 1;
        if (!mapi_wr_ok(wr))
            return MAPI_E_NOMEM;
        if (n > 0xFF)
            return MAPI_E_BAD_VALUE;
        wr->p[off] = (uint8_t)n;
    } else {
        return MAPI_E_BAD_VALUE;
    }
    return wr_status(wr);
}
