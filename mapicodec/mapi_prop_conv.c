/*
 * mapi_prop_conv.c - PtypString8 code pages and the String8 <-> Unicode
 * conversions the server makes when a client asks for a property in the
 * other string type or with PT_UNSPECIFIED ([MS-OXCDATA] 2.11.1: String8 is
 * "in an externally specified encoding", here the Connect's code page).
 * Supported: 1252 (Windows Western), 20127 (US-ASCII), 65001 (UTF-8).
 */
#include "mapi_prop.h"
#include "mapi_status.h"

#include <string.h>

/* Windows-1252 bytes 0x80..0x9F; the five undefined bytes map to the C1
 * control with the same value, as Windows' MultiByteToWideChar does. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

int mapi_codepage_supported(uint32_t cp)
{
    return cp == MAPI_CP_1252 || cp == MAPI_CP_ASCII || cp == MAPI_CP_UTF8;
}

static uint32_t utf8_decode(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0], min;
    int n, i;
    if (c < 0x80) {
        *s = p + 1;
        return c;
    }
    if ((c & 0xE0) == 0xC0) { n = 1; c &= 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 2; c &= 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 3; c &= 0x07; min = 0x10000; }
    else { *s = p + 1; return 0xFFFD; }
    for (i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s = p + i;
            return 0xFFFD;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    *s = p + n + 1;
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0xFFFD;
    return c;
}

static size_t utf8_put(char *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

int mapi_string8_to_utf8(mapi_arena_t *a, uint32_t cp, const char *s, char **out)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), o = 0;
    char *r;
    if (!mapi_codepage_supported(cp))
        return MAPI_E_CODEPAGE;
    /* every input byte becomes at most 3 output bytes (U+FFFD, U+20AC) */
    if (n > (SIZE_MAX - 1) / 3 || !(r = mapi_arena_alloc(a, n * 3 + 1)))
        return MAPI_E_NOMEM;
    while (*p) {
        uint32_t c;
        if (cp == MAPI_CP_UTF8) {
            c = utf8_decode(&p);
        } else {
            c = *p++;
            if (c >= 0x80)
                c = cp == MAPI_CP_ASCII ? 0xFFFD : (c < 0xA0 ? cp1252_high[c - 0x80] : c);
        }
        o += utf8_put(r + o, c);
    }
    r[o] = 0;
    *out = r;
    return MAPI_OK;
}

static int cp1252_from_unicode(uint32_t c)
{
    int i;
    if (c < 0x80 || (c >= 0xA0 && c <= 0xFF))
        return (int)c;
    for (i = 0; i < 32; i++)
        if (cp1252_high[i] == c)
            return 0x80 + i;
    return '?';
}

int mapi_utf8_to_string8(mapi_arena_t *a, uint32_t cp, const char *s, char **out)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), o = 0;
    char *r;
    if (!mapi_codepage_supported(cp))
        return MAPI_E_CODEPAGE;
    /* never longer than the input (UTF-8 -> UTF-8 repairs to U+FFFD: 3
     * bytes for an invalid byte, so allow 3x there) */
    if (n > (SIZE_MAX - 1) / 3 || !(r = mapi_arena_alloc(a, n * 3 + 1)))
        return MAPI_E_NOMEM;
    while (*p) {
        uint32_t c = utf8_decode(&p);
        if (cp == MAPI_CP_UTF8)
            o += utf8_put(r + o, c);
        else if (cp == MAPI_CP_ASCII)
            r[o++] = (char)(c < 0x80 ? c : '?');
        else
            r[o++] = (char)cp1252_from_unicode(c);
    }
    r[o] = 0;
    *out = r;
    return MAPI_OK;
}

static int convert_mv_strings(mapi_arena_t *a, uint32_t cp, const mapi_mv_t *src, int to_unicode,
                              mapi_mv_t *dst)
{
    uint32_t i;
    int st = MAPI_OK;
    dst->count = src->count;
    dst->v.str = mapi_arena_calloc(a, src->count ? src->count : 1, sizeof(char *));
    if (!dst->v.str)
        return MAPI_E_NOMEM;
    for (i = 0; i < src->count && st == MAPI_OK; i++)
        st = to_unicode ? mapi_string8_to_utf8(a, cp, src->v.str[i], &dst->v.str[i])
                        : mapi_utf8_to_string8(a, cp, src->v.str[i], &dst->v.str[i]);
    return st;
}

int mapi_propval_convert(mapi_arena_t *a, uint32_t cp, const mapi_propval_t *src,
                         uint16_t want_type, mapi_propval_t *dst)
{
    uint16_t have = MAPI_PROP_TYPE(src->tag);
    mapi_propval_t r;
    int st;
    if (want_type == MAPI_PT_UNSPECIFIED || want_type == have) {
        *dst = *src;
        return MAPI_OK;
    }
    memset(&r, 0, sizeof(r));
    r.tag = MAPI_PROP_CHANGE_TYPE(src->tag, want_type);
    if (have == MAPI_PT_STRING8 && want_type == MAPI_PT_UNICODE)
        st = mapi_string8_to_utf8(a, cp, src->v.str, &r.v.str);
    else if (have == MAPI_PT_UNICODE && want_type == MAPI_PT_STRING8)
        st = mapi_utf8_to_string8(a, cp, src->v.str, &r.v.str);
    else if (have == MAPI_PT_MV_STRING8 && want_type == MAPI_PT_MV_UNICODE)
        st = convert_mv_strings(a, cp, &src->v.mv, 1, &r.v.mv);
    else if (have == MAPI_PT_MV_UNICODE && want_type == MAPI_PT_MV_STRING8)
        st = convert_mv_strings(a, cp, &src->v.mv, 0, &r.v.mv);
    else
        return MAPI_E_TYPE_MISMATCH;
    if (st == MAPI_OK)
        *dst = r;
    return st;
}

/* ---- server-side value selection ------------------------------------ */

static uint64_t utf16_size(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    uint64_t n = 0;
    while (*p)
        n += utf8_decode(&p) >= 0x10000 ? 4 : 2;
    return n + 2;
}

uint64_t mapi_propval_size(const mapi_propval_t *pv)
{
    uint16_t t = MAPI_PROP_TYPE(pv->tag);
    uint64_t n = 0;
    uint32_t i;
    switch (t) {
    case MAPI_PT_NULL: return 0;
    case MAPI_PT_BOOLEAN: return 1;
    case MAPI_PT_I2: return 2;
    case MAPI_PT_LONG: case MAPI_PT_FLOAT: case MAPI_PT_ERROR: case MAPI_PT_OBJECT: return 4;
    case MAPI_PT_DOUBLE: case MAPI_PT_APPTIME: case MAPI_PT_CURRENCY: case MAPI_PT_I8:
    case MAPI_PT_SYSTIME: return 8;
    case MAPI_PT_CLSID: return 16;
    case MAPI_PT_STRING8: return (pv->v.str ? strlen(pv->v.str) : 0) + 1;
    case MAPI_PT_UNICODE: return utf16_size(pv->v.str);
    case MAPI_PT_BINARY: case MAPI_PT_SVREID: return pv->v.bin.len;
    case MAPI_PT_MV_I2: return (uint64_t)pv->v.mv.count * 2;
    case MAPI_PT_MV_LONG: case MAPI_PT_MV_FLOAT: return (uint64_t)pv->v.mv.count * 4;
    case MAPI_PT_MV_DOUBLE: case MAPI_PT_MV_APPTIME: case MAPI_PT_MV_CURRENCY: case MAPI_PT_MV_I8:
    case MAPI_PT_MV_SYSTIME: return (uint64_t)pv->v.mv.count * 8;
    case MAPI_PT_MV_CLSID: return (uint64_t)pv->v.mv.count * 16;
    case MAPI_PT_MV_STRING8:
        for (i = 0; i < pv->v.mv.count; i++)
            n += (pv->v.mv.v.str[i] ? strlen(pv->v.mv.v.str[i]) : 0) + 1;
        return n;
    case MAPI_PT_MV_UNICODE:
        for (i = 0; i < pv->v.mv.count; i++)
            n += utf16_size(pv->v.mv.v.str[i]);
        return n;
    case MAPI_PT_MV_BINARY:
        for (i = 0; i < pv->v.mv.count; i++)
            n += pv->v.mv.v.bin[i].len;
        return n;
    default:
        return 0;
    }
}

static void error_value(uint32_t tag, uint32_t ec, mapi_propval_t *out)
{
    memset(out, 0, sizeof(*out));
    out->tag = MAPI_PROP_CHANGE_TYPE(tag, MAPI_PT_ERROR);
    out->v.err = ec;
}

static int is_string_type(uint16_t t, int mv)
{
    return mv ? (t == MAPI_PT_MV_STRING8 || t == MAPI_PT_MV_UNICODE)
              : (t == MAPI_PT_STRING8 || t == MAPI_PT_UNICODE);
}

int mapi_propval_for_request(mapi_arena_t *a, uint32_t cp, int want_unicode, uint32_t req_tag,
                             const mapi_propval_t *have, uint32_t size_limit, mapi_propval_t *out)
{
    uint16_t want = MAPI_PROP_TYPE(req_tag), ht;
    int st;
    if (!have) {
        error_value(req_tag, MAPI_EC_NOT_FOUND, out);
        return MAPI_OK;
    }
    ht = MAPI_PROP_TYPE(have->tag);
    if (ht == MAPI_PT_ERROR) {
        error_value(req_tag, have->v.err, out);
        return MAPI_OK;
    }
    if (want == MAPI_PT_UNSPECIFIED) {
        if (is_string_type(ht, 0))
            want = want_unicode ? MAPI_PT_UNICODE : MAPI_PT_STRING8;
        else if (is_string_type(ht, 1))
            want = want_unicode ? MAPI_PT_MV_UNICODE : MAPI_PT_MV_STRING8;
        else
            want = ht;
    }
    if (want != ht && !(is_string_type(want, 0) && is_string_type(ht, 0)) &&
        !(is_string_type(want, 1) && is_string_type(ht, 1))) {
        error_value(req_tag, MAPI_EC_NOT_FOUND, out);
        return MAPI_OK;
    }
    st = mapi_propval_convert(a, cp, have, want, out);
    if (st != MAPI_OK)
        return st;
    out->tag = MAPI_PROP_CHANGE_TYPE(req_tag, want);
    if (size_limit && mapi_propval_size(out) > size_limit)
        error_value(req_tag, MAPI_EC_OUT_OF_MEMORY, out);
    return MAPI_OK;
}

#define TABLE_VALUE_MAX 510

int mapi_propval_truncate_for_table(mapi_arena_t *a, const mapi_propval_t *pv, mapi_propval_t *out)
{
    uint16_t t = MAPI_PROP_TYPE(pv->tag);
    *out = *pv;
    if ((t == MAPI_PT_BINARY || t == MAPI_PT_SVREID) && pv->v.bin.len > TABLE_VALUE_MAX) {
        out->v.bin.len = TABLE_VALUE_MAX;
    } else if (t == MAPI_PT_STRING8 && pv->v.str && strlen(pv->v.str) > TABLE_VALUE_MAX) {
        if (!(out->v.str = mapi_arena_strndup(a, pv->v.str, TABLE_VALUE_MAX)))
            return MAPI_E_NOMEM;
    } else if (t == MAPI_PT_UNICODE && pv->v.str) {
        const unsigned char *p = (const unsigned char *)pv->v.str, *last = p;
        unsigned units = 0;
        while (*p) {
            uint32_t c = utf8_decode(&p);
            unsigned u = c >= 0x10000 ? 2 : 1;
            if (units + u > TABLE_VALUE_MAX / 2)
                break;
            units += u;
            last = p;
        }
        if (*p && !(out->v.str = mapi_arena_strndup(a, pv->v.str, (size_t)(last - (const unsigned char *)pv->v.str))))
            return MAPI_E_NOMEM;
    }
    return MAPI_OK;
}
