/*
 * prop_adapt.c - property values between the store (ms_propval_t, strings
 * always UTF-8) and the wire codec (mapi_propval_t, String8 in the session's
 * code page, Unicode as UTF-8), [MS-OXCDATA] 2.11.1.
 */
#include "rop_engine.h"

#include <string.h>

static int mv_from_store(mapi_arena_t *a, uint32_t cp, uint16_t type, const ms_mv_t *in, mapi_mv_t *out)
{
    size_t i, n = in->count;
    out->count = in->count;
    switch (type & ~MAPI_PT_MV_FLAG) {
    case MS_PT_SHORT:
        out->v.i16 = mapi_arena_memdup(a, in->v.i, n * sizeof(int16_t));
        return n && !out->v.i16 ? -1 : 0;
    case MS_PT_LONG:
        out->v.i32 = mapi_arena_memdup(a, in->v.l, n * sizeof(int32_t));
        return n && !out->v.i32 ? -1 : 0;
    case MS_PT_FLOAT:
        out->v.f32 = mapi_arena_memdup(a, in->v.flt, n * sizeof(float));
        return n && !out->v.f32 ? -1 : 0;
    case MS_PT_DOUBLE:
    case MS_PT_APPTIME:
        out->v.f64 = mapi_arena_memdup(a, in->v.dbl, n * sizeof(double));
        return n && !out->v.f64 ? -1 : 0;
    case MS_PT_CURRENCY:
    case MS_PT_I8:
        out->v.i64 = mapi_arena_memdup(a, in->v.li, n * sizeof(int64_t));
        return n && !out->v.i64 ? -1 : 0;
    case MS_PT_SYSTIME:
        out->v.u64 = mapi_arena_memdup(a, in->v.ft, n * sizeof(uint64_t));
        return n && !out->v.u64 ? -1 : 0;
    case MS_PT_CLSID:
        out->v.guid = mapi_arena_memdup(a, in->v.guid, n * sizeof(mapi_guid_t));
        return n && !out->v.guid ? -1 : 0;
    case MS_PT_STRING8:
    case MS_PT_UNICODE:
        out->v.str = mapi_arena_calloc(a, n ? n : 1, sizeof(char *));
        if (!out->v.str)
            return -1;
        for (i = 0; i < n; i++) {
            const char *s = in->v.str[i] ? in->v.str[i] : "";
            if ((type & ~MAPI_PT_MV_FLAG) == MS_PT_STRING8) {
                if (mapi_utf8_to_string8(a, cp, s, &out->v.str[i]) != 0)
                    return -1;
            } else if (!(out->v.str[i] = mapi_arena_strndup(a, s, strlen(s)))) {
                return -1;
            }
        }
        return 0;
    case MS_PT_BINARY:
        out->v.bin = mapi_arena_calloc(a, n ? n : 1, sizeof(mapi_bin_t));
        if (!out->v.bin)
            return -1;
        for (i = 0; i < n; i++) {
            out->v.bin[i].len = in->v.bin[i].cb;
            out->v.bin[i].data = mapi_arena_memdup(a, in->v.bin[i].pb, in->v.bin[i].cb);
        }
        return 0;
    }
    return -1;
}

int rop_prop_from_store(mapi_arena_t *a, uint32_t cp, const ms_propval_t *in, mapi_propval_t *out)
{
    uint16_t type = (uint16_t)(in->tag & 0xFFFF);
    memset(out, 0, sizeof(*out));
    out->tag = in->tag;
    if (type & MAPI_PT_MV_FLAG)
        return mv_from_store(a, cp, type, &in->value.mv, &out->v.mv);
    switch (type) {
    case MS_PT_NULL: return 0;
    case MS_PT_SHORT: out->v.i16 = in->value.i; return 0;
    case MS_PT_LONG: out->v.i32 = in->value.l; return 0;
    case MS_PT_FLOAT: out->v.f32 = in->value.flt; return 0;
    case MS_PT_DOUBLE:
    case MS_PT_APPTIME: out->v.f64 = in->value.dbl; return 0;
    case MS_PT_CURRENCY: out->v.i64 = in->value.cur; return 0;
    case MS_PT_I8: out->v.i64 = in->value.li; return 0;
    case MS_PT_SYSTIME: out->v.time = in->value.ft; return 0;
    case MS_PT_ERROR: out->v.err = in->value.err; return 0;
    case MS_PT_BOOLEAN: out->v.b = in->value.b ? 1 : 0; return 0;
    case MS_PT_CLSID:
        if (in->value.guid)
            memcpy(out->v.guid.b, in->value.guid->b, 16);
        return 0;
    case MS_PT_STRING8:
        return mapi_utf8_to_string8(a, cp, in->value.str ? in->value.str : "", &out->v.str);
    case MS_PT_UNICODE:
        out->v.str = mapi_arena_strndup(a, in->value.str ? in->value.str : "",
                                        in->value.str ? strlen(in->value.str) : 0);
        return out->v.str ? 0 : -1;
    case MS_PT_BINARY:
    case MS_PT_SVREID:
        out->v.bin.len = in->value.bin.cb;
        out->v.bin.data = mapi_arena_memdup(a, in->value.bin.pb, in->value.bin.cb);
        return 0;
    case MS_PT_OBJECT:
        out->v.i32 = 0;
        return 0;
    }
    /* a type the wire cannot carry: report it per value */
    out->tag = (in->tag & 0xFFFF0000u) | MS_PT_ERROR;
    out->v.err = MAPI_EC_NOT_SUPPORTED;
    return 0;
}

static int mv_to_store(mapi_arena_t *a, uint32_t cp, uint16_t type, const mapi_mv_t *in, ms_mv_t *out)
{
    size_t i;
    out->count = in->count;
    switch (type & ~MAPI_PT_MV_FLAG) {
    case MS_PT_SHORT: out->v.i = in->v.i16; return 0;
    case MS_PT_LONG: out->v.l = in->v.i32; return 0;
    case MS_PT_FLOAT: out->v.flt = in->v.f32; return 0;
    case MS_PT_DOUBLE:
    case MS_PT_APPTIME: out->v.dbl = in->v.f64; return 0;
    case MS_PT_CURRENCY:
    case MS_PT_I8: out->v.li = in->v.i64; return 0;
    case MS_PT_SYSTIME: out->v.ft = in->v.u64; return 0;
    case MS_PT_CLSID: out->v.guid = (ms_guid_t *)in->v.guid; return 0;
    case MS_PT_UNICODE: out->v.str = in->v.str; return 0;
    case MS_PT_STRING8:
        out->v.str = mapi_arena_calloc(a, in->count ? in->count : 1, sizeof(char *));
        if (!out->v.str)
            return -1;
        for (i = 0; i < in->count; i++)
            if (mapi_string8_to_utf8(a, cp, in->v.str[i] ? in->v.str[i] : "", &out->v.str[i]) != 0)
                return -1;
        return 0;
    case MS_PT_BINARY:
        out->v.bin = mapi_arena_calloc(a, in->count ? in->count : 1, sizeof(ms_binary_t));
        if (!out->v.bin)
            return -1;
        for (i = 0; i < in->count; i++) {
            out->v.bin[i].cb = in->v.bin[i].len;
            out->v.bin[i].pb = in->v.bin[i].data;
        }
        return 0;
    }
    return -1;
}

int rop_prop_to_store(mapi_arena_t *a, uint32_t cp, const mapi_propval_t *in, ms_propval_t *out)
{
    uint16_t type = (uint16_t)(in->tag & 0xFFFF);
    memset(out, 0, sizeof(*out));
    out->tag = in->tag;
    if (type & MAPI_PT_MV_FLAG)
        return mv_to_store(a, cp, type, &in->v.mv, &out->value.mv);
    switch (type) {
    case MS_PT_NULL: return 0;
    case MS_PT_SHORT: out->value.i = in->v.i16; return 0;
    case MS_PT_LONG: out->value.l = in->v.i32; return 0;
    case MS_PT_FLOAT: out->value.flt = in->v.f32; return 0;
    case MS_PT_DOUBLE:
    case MS_PT_APPTIME: out->value.dbl = in->v.f64; return 0;
    case MS_PT_CURRENCY: out->value.cur = in->v.i64; return 0;
    case MS_PT_I8: out->value.li = in->v.i64; return 0;
    case MS_PT_SYSTIME: out->value.ft = in->v.time; return 0;
    case MS_PT_ERROR: out->value.err = in->v.err; return 0;
    case MS_PT_BOOLEAN: out->value.b = in->v.b ? 1 : 0; return 0;
    case MS_PT_CLSID: out->value.guid = (ms_guid_t *)&in->v.guid; return 0;
    case MS_PT_UNICODE: out->value.str = in->v.str; return 0;
    case MS_PT_STRING8: return mapi_string8_to_utf8(a, cp, in->v.str ? in->v.str : "", &out->value.str);
    case MS_PT_BINARY:
    case MS_PT_SVREID:
        out->value.bin.cb = in->v.bin.len;
        out->value.bin.pb = in->v.bin.data;
        return 0;
    }
    return -1;
}
