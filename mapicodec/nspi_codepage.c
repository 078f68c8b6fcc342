/*
 * nspi_codepage.c - the code pages of PtypString8 values in NSPI bodies.
 * The client names its code page in the Bind request's STAT.CodePage
 * ([MS-OXNSPI] 2.2.8, 3.1.4.1.1); 8-bit strings then travel in it, and an
 * unsupported code page is refused with InvalidCodepage (MAPI_E_UNKNOWN_
 * CPID). CP_WINUNICODE (1200) only names "Unicode" for later calls; Bind
 * refuses it with NotSupported, as [MS-OXNSPI] NspiBind prescribes.
 */
#include "nspi_io.h"

#include <stdlib.h>
#include <string.h>

#define CP_1252   1252u
#define CP_LATIN1 28591u
#define CP_ASCII  20127u
#define CP_UTF8   65001u

int nspi_codepage_supported(uint32_t cp)
{
    return cp == CP_1252 || cp == CP_LATIN1 || cp == CP_ASCII || cp == CP_UTF8;
}

uint32_t nspi_bind_check_codepage(const nspi_bind_req_t *req)
{
    if (!req->has_state)
        return NSPI_SUCCESS;
    if (req->state.code_page == NSPI_CP_WINUNICODE)
        return NSPI_NOT_SUPPORTED;
    return nspi_codepage_supported(req->state.code_page) ? NSPI_SUCCESS : NSPI_INVALID_CODEPAGE;
}

/* Windows-1252 0x80..0x9F (0 = unassigned). */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

static uint32_t byte_to_cp(uint32_t cp, uint8_t c)
{
    if (c < 0x80)
        return c;
    if (cp == CP_ASCII)
        return 0xFFFD;
    if (cp == CP_1252 && c < 0xA0)
        return cp1252_hi[c - 0x80] ? cp1252_hi[c - 0x80] : 0xFFFD;
    return c;   /* Latin 1, and 1252 from 0xA0 on */
}

static int cp_to_byte(uint32_t cp, uint32_t u)
{
    int i;
    if (u < 0x80)
        return (int)u;
    if (cp == CP_ASCII)
        return -1;
    if (cp == CP_1252) {
        for (i = 0; i < 32; i++)
            if (cp1252_hi[i] == u)
                return 0x80 + i;
        return (u >= 0xA0 && u <= 0xFF) ? (int)u : -1;
    }
    return u <= 0xFF ? (int)u : -1;
}

/* Decodes one UTF-8 sequence at s[*i] (len n); bad input gives U+FFFD and
 * consumes one byte. */
static uint32_t utf8_next(const uint8_t *s, size_t n, size_t *i)
{
    uint8_t c = s[*i];
    uint32_t u, min;
    size_t k, need;
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) { need = 1; u = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; u = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; u = c & 0x07; min = 0x10000; }
    else { (*i)++; return 0xFFFD; }
    if (need > n - *i - 1) {
        (*i)++;
        return 0xFFFD;
    }
    for (k = 1; k <= need; k++) {
        if ((s[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        u = (u << 6) | (s[*i + k] & 0x3F);
    }
    if (u < min || u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) {
        (*i)++;
        return 0xFFFD;
    }
    *i += need + 1;
    return u;
}

static size_t utf8_put(uint8_t *o, uint32_t u)
{
    if (u < 0x80) { o[0] = (uint8_t)u; return 1; }
    if (u < 0x800) { o[0] = (uint8_t)(0xC0 | (u >> 6)); o[1] = (uint8_t)(0x80 | (u & 0x3F)); return 2; }
    if (u < 0x10000) {
        o[0] = (uint8_t)(0xE0 | (u >> 12));
        o[1] = (uint8_t)(0x80 | ((u >> 6) & 0x3F));
        o[2] = (uint8_t)(0x80 | (u & 0x3F));
        return 3;
    }
    o[0] = (uint8_t)(0xF0 | (u >> 18));
    o[1] = (uint8_t)(0x80 | ((u >> 12) & 0x3F));
    o[2] = (uint8_t)(0x80 | ((u >> 6) & 0x3F));
    o[3] = (uint8_t)(0x80 | (u & 0x3F));
    return 4;
}

char *nspi_str8_to_utf8(uint32_t cp, const uint8_t *p, size_t len)
{
    uint8_t *out;
    size_t i = 0, o = 0;
    if (!nspi_codepage_supported(cp) || len > (SIZE_MAX - 1) / 4)
        return NULL;
    out = malloc(len * 4 + 1);   /* 3 bytes per char suffice; 4 for UTF-8 input */
    if (!out)
        return NULL;
    while (i < len) {
        uint32_t u = cp == CP_UTF8 ? utf8_next(p, len, &i) : byte_to_cp(cp, p[i++]);
        o += utf8_put(out + o, u);
    }
    out[o] = 0;
    return (char *)out;
}

int nspi_utf8_to_str8(uint32_t cp, const char *utf8, nspi_arena_t *a, nspi_bytes_t *out)
{
    const uint8_t *s = (const uint8_t *)utf8;
    size_t n = strlen(utf8), i = 0, o = 0;
    uint8_t *buf;
    if (!nspi_codepage_supported(cp))
        return NSPI_E_ENCODE;
    if (n > UINT32_MAX - 1 || !(buf = nspi_arena_alloc(a, n + 1)))
        return NSPI_E_NOMEM;
    while (i < n) {
        size_t start = i;
        uint32_t u = utf8_next(s, n, &i);
        if (cp == CP_UTF8) {
            if (u == 0xFFFD && i == start + 1 && s[start] >= 0x80)
                buf[o++] = '?';      /* invalid input byte */
            else {
                memcpy(buf + o, s + start, i - start);
                o += i - start;
            }
        } else {
            int c = cp_to_byte(cp, u);
            buf[o++] = (uint8_t)(c < 0 ? '?' : c);
        }
    }
    out->p = buf;
    out->len = (uint32_t)o;
    return NSPI_OK;
}

int nspi_utf8_to_utf16(const char *utf8, nspi_arena_t *a, nspi_bytes_t *out)
{
    mapi_wr_t wr;
    uint8_t *buf;
    mapi_wr_init(&wr, 0);
    mapi_wr_utf16z_from_utf8(&wr, utf8);
    if (!mapi_wr_ok(&wr) || wr.len < 2 || wr.len - 2 > UINT32_MAX) {
        mapi_wr_free(&wr);
        return NSPI_E_NOMEM;
    }
    buf = nspi_arena_alloc(a, wr.len);
    if (!buf) {
        mapi_wr_free(&wr);
        return NSPI_E_NOMEM;
    }
    memcpy(buf, wr.p, wr.len);
    out->p = buf;
    out->len = (uint32_t)(wr.len - 2);
    mapi_wr_free(&wr);
    return NSPI_OK;
}

char *nspi_utf16_to_utf8(const nspi_bytes_t *s)
{
    static const uint8_t empty[2] = {0, 0};
    return mapi_utf16le_to_utf8(s->len ? s->p : empty, s->len / 2);
}
