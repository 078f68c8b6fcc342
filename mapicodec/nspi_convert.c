/*
 * nspi_convert.c - between the property values of the rest of the code
 * (mapi_propval_t, mapi_prop.h: Unicode as UTF-8, String8 as code-page
 * bytes) and the wire form of NSPI bodies (nspi_propval_t: Unicode as
 * UTF-16LE bytes, HasValue flags; [MS-OXCMAPIHTTP] 2.2.1.1).
 */
#include "nspi_io.h"

#include <stdlib.h>
#include <string.h>

static int bytes_of_str(const char *s, nspi_bytes_t *b)
{
    size_t n = s ? strlen(s) : 0;
    if (n > UINT32_MAX)
        return NSPI_E_ENCODE;
    b->p = (const uint8_t *)(s ? s : "");
    b->len = (uint32_t)n;
    return NSPI_OK;
}

static int utf16_of_str(nspi_arena_t *a, const char *s, nspi_bytes_t *b)
{
    return nspi_utf8_to_utf16(s ? s : "", a, b);
}

static int mv_from_mapi(nspi_arena_t *a, uint16_t type, const mapi_mv_t *mv, nspi_propval_t *out)
{
    uint16_t base = type & (uint16_t)~NSPI_PT_MV;
    uint32_t i, n = mv->count;
    int rc = NSPI_OK;
    out->u.mv.count = n;
    switch (base) {
    case NSPI_PT_SHORT:
        if (!(out->u.mv.u.i16 = nspi_arena_array(a, n, 2)))
            return NSPI_E_NOMEM;
        for (i = 0; i < n; i++)
            out->u.mv.u.i16[i] = (uint16_t)mv->v.i16[i];
        return NSPI_OK;
    case NSPI_PT_LONG:
    case NSPI_PT_FLOAT:
        if (!(out->u.mv.u.i32 = nspi_arena_array(a, n, 4)))
            return NSPI_E_NOMEM;
        if (n)
            memcpy(out->u.mv.u.i32, base == NSPI_PT_LONG ? (const void *)mv->v.i32
                                                          : (const void *)mv->v.f32, (size_t)n * 4);
        return NSPI_OK;
    case NSPI_PT_DOUBLE:
    case NSPI_PT_APPTIME:
    case NSPI_PT_CURRENCY:
    case NSPI_PT_I8:
    case NSPI_PT_SYSTIME:
        if (!(out->u.mv.u.i64 = nspi_arena_array(a, n, 8)))
            return NSPI_E_NOMEM;
        if (n)
            memcpy(out->u.mv.u.i64, base == NSPI_PT_DOUBLE || base == NSPI_PT_APPTIME
                                        ? (const void *)mv->v.f64
                                        : base == NSPI_PT_SYSTIME ? (const void *)mv->v.u64
                                                                  : (const void *)mv->v.i64,
                   (size_t)n * 8);
        return NSPI_OK;
    case NSPI_PT_CLSID:
        if (!(out->u.mv.u.guid = nspi_arena_array(a, n, 16)))
            return NSPI_E_NOMEM;
        for (i = 0; i < n; i++)
            memcpy(out->u.mv.u.guid[i], mv->v.guid[i].b, 16);
        return NSPI_OK;
    default:
        break;
    }
    if (!(out->u.mv.u.e = nspi_arena_array(a, n, sizeof(nspi_mv_elem_t))))
        return NSPI_E_NOMEM;
    for (i = 0; i < n && rc == NSPI_OK; i++) {
        nspi_mv_elem_t *e = &out->u.mv.u.e[i];
        e->present = 1;
        if (base == NSPI_PT_BINARY) {
            e->b.p = mv->v.bin[i].data;
            e->b.len = mv->v.bin[i].len;
        } else if (base == NSPI_PT_UNICODE) {
            rc = utf16_of_str(a, mv->v.str[i], &e->b);
        } else {
            rc = bytes_of_str(mv->v.str[i], &e->b);
        }
    }
    return rc;
}

int nspi_propval_from_mapi(nspi_arena_t *a, uint32_t cp, const mapi_propval_t *src,
                           uint16_t want_type, nspi_propval_t *out)
{
    mapi_propval_t conv;
    const mapi_propval_t *v = src;
    uint16_t type;

    memset(out, 0, sizeof(*out));
    if (cp == NSPI_CP_WINUNICODE)
        cp = 65001;      /* only used for String8 <-> Unicode; Unicode session */
    if (want_type != NSPI_PT_UNSPECIFIED && want_type != MAPI_PROP_TYPE(src->tag)) {
        int st = mapi_propval_convert(a, cp, src, want_type, &conv);
        if (st != MAPI_OK)
            return st == MAPI_E_NOMEM ? NSPI_E_NOMEM : NSPI_E_ENCODE;
        v = &conv;
    }
    type = MAPI_PROP_TYPE(v->tag);
    if (!nspi_type_supported(type))
        return NSPI_E_ENCODE;
    out->type = type;
    out->present = 1;
    if (type & NSPI_PT_MV)
        return mv_from_mapi(a, type, &v->v.mv, out);
    switch (type) {
    case NSPI_PT_SHORT:    out->u.i16 = (uint16_t)v->v.i16; break;
    case NSPI_PT_LONG:     out->u.i32 = (uint32_t)v->v.i32; break;
    case NSPI_PT_FLOAT:    memcpy(&out->u.i32, &v->v.f32, 4); break;
    case NSPI_PT_ERROR:    out->u.i32 = v->v.err; break;
    case NSPI_PT_BOOLEAN:  out->u.b = v->v.b ? 1 : 0; break;
    case NSPI_PT_DOUBLE:
    case NSPI_PT_APPTIME:  memcpy(&out->u.i64, &v->v.f64, 8); break;
    case NSPI_PT_CURRENCY:
    case NSPI_PT_I8:       out->u.i64 = (uint64_t)v->v.i64; break;
    case NSPI_PT_SYSTIME:  out->u.i64 = v->v.time; break;
    case NSPI_PT_CLSID:    memcpy(out->u.guid, v->v.guid.b, 16); break;
    case NSPI_PT_STRING8:  return bytes_of_str(v->v.str, &out->u.bytes);
    case NSPI_PT_UNICODE:  return utf16_of_str(a, v->v.str, &out->u.bytes);
    case NSPI_PT_BINARY:
        out->u.bytes.p = v->v.bin.data;
        out->u.bytes.len = v->v.bin.len;
        break;
    default:
        return NSPI_E_ENCODE;
    }
    return NSPI_OK;
}

/* ---- wire -> mapi_propval_t ------------------------------------------- */
static char *str_of_bytes(nspi_arena_t *a, uint16_t base, const nspi_bytes_t *b, int present)
{
    char *u, *r;
    if (!present)
        return mapi_arena_strndup(a, "", 0);
    if (base == NSPI_PT_STRING8)
        return mapi_arena_strndup(a, (const char *)b->p, b->len);
    if (!(u = nspi_utf16_to_utf8(b)))
        return NULL;
    r = mapi_arena_strndup(a, u, strlen(u));
    free(u);
    return r;
}

static int bin_of_bytes(nspi_arena_t *a, const nspi_bytes_t *b, int present, mapi_bin_t *out)
{
    out->len = present ? b->len : 0;
    out->data = NULL;
    if (out->len && !(out->data = mapi_arena_memdup(a, b->p, b->len)))
        return NSPI_E_NOMEM;
    return NSPI_OK;
}

static int mv_to_mapi(nspi_arena_t *a, uint16_t type, const nspi_propval_t *src, mapi_mv_t *mv)
{
    uint16_t base = type & (uint16_t)~NSPI_PT_MV;
    uint32_t i, n = src->present ? src->u.mv.count : 0;
    size_t es;
    mv->count = n;
    switch (base) {
    case NSPI_PT_SHORT:   es = 2; break;
    case NSPI_PT_LONG:
    case NSPI_PT_FLOAT:   es = 4; break;
    case NSPI_PT_CLSID:   es = 16; break;
    case NSPI_PT_STRING8:
    case NSPI_PT_UNICODE: es = sizeof(char *); break;
    case NSPI_PT_BINARY:  es = sizeof(mapi_bin_t); break;
    default:              es = 8; break;
    }
    if (!(mv->v.i32 = (void *)nspi_arena_array(a, n ? n : 1, es)))
        return NSPI_E_NOMEM;
    if (es <= 8 && base != NSPI_PT_STRING8 && base != NSPI_PT_UNICODE && base != NSPI_PT_BINARY) {
        if (n)
            memcpy(mv->v.i32, es == 2 ? (const void *)src->u.mv.u.i16
                              : es == 4 ? (const void *)src->u.mv.u.i32
                                        : (const void *)src->u.mv.u.i64, (size_t)n * es);
        return NSPI_OK;
    }
    for (i = 0; i < n; i++) {
        const nspi_mv_elem_t *e;
        if (base == NSPI_PT_CLSID) {
            memcpy(mv->v.guid[i].b, src->u.mv.u.guid[i], 16);
            continue;
        }
        e = &src->u.mv.u.e[i];
        if (base == NSPI_PT_BINARY) {
            if (bin_of_bytes(a, &e->b, e->present, &mv->v.bin[i]) != NSPI_OK)
                return NSPI_E_NOMEM;
        } else if (!(mv->v.str[i] = str_of_bytes(a, base, &e->b, e->present))) {
            return NSPI_E_NOMEM;
        }
    }
    return NSPI_OK;
}

int nspi_propval_to_mapi(nspi_arena_t *a, uint16_t prop_id, const nspi_propval_t *src,
                         mapi_propval_t *out)
{
    uint16_t type = src->type;
    memset(out, 0, sizeof(*out));
    if (!nspi_type_supported(type))
        return NSPI_E_FORMAT;
    out->tag = MAPI_PROP_TAG(prop_id, type);
    if (type & NSPI_PT_MV)
        return mv_to_mapi(a, type, src, &out->v.mv);
    switch (type) {
    case NSPI_PT_SHORT:    out->v.i16 = (int16_t)src->u.i16; break;
    case NSPI_PT_LONG:     out->v.i32 = (int32_t)src->u.i32; break;
    case NSPI_PT_FLOAT:    memcpy(&out->v.f32, &src->u.i32, 4); break;
    case NSPI_PT_ERROR:    out->v.err = src->u.i32; break;
    case NSPI_PT_BOOLEAN:  out->v.b = src->u.b ? 1 : 0; break;
    case NSPI_PT_DOUBLE:
    case NSPI_PT_APPTIME:  memcpy(&out->v.f64, &src->u.i64, 8); break;
    case NSPI_PT_CURRENCY:
    case NSPI_PT_I8:       out->v.i64 = (int64_t)src->u.i64; break;
    case NSPI_PT_SYSTIME:  out->v.time = src->u.i64; break;
    case NSPI_PT_CLSID:    memcpy(out->v.guid.b, src->u.guid, 16); break;
    case NSPI_PT_STRING8:
    case NSPI_PT_UNICODE:
        if (!(out->v.str = str_of_bytes(a, type, &src->u.bytes, src->present)))
            return NSPI_E_NOMEM;
        break;
    case NSPI_PT_BINARY:
        return bin_of_bytes(a, &src->u.bytes, src->present, &out->v.bin);
    default:
        return NSPI_E_FORMAT;
    }
    return NSPI_OK;
}
