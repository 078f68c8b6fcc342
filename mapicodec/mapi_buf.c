/* mapi_buf.c - bounds-checked readers and growable writers (see mapi_buf.h). */
#include "mapi_buf.h"

#include <stdlib.h>
#include <string.h>

void mapi_rd_init(mapi_rd_t *rd, const void *p, size_t len)
{
    rd->p = p;
    rd->len = p ? len : 0;
    rd->off = 0;
    rd->err = 0;
}

const uint8_t *mapi_rd_bytes(mapi_rd_t *rd, size_t n)
{
    const uint8_t *q;
    if (rd->err || n > rd->len - rd->off) {
        rd->err = 1;
        return NULL;
    }
    q = rd->p + rd->off;
    rd->off += n;
    return q;
}

void mapi_rd_skip(mapi_rd_t *rd, size_t n) { (void)mapi_rd_bytes(rd, n); }

uint8_t mapi_rd_u8(mapi_rd_t *rd)
{
    const uint8_t *q = mapi_rd_bytes(rd, 1);
    return q ? q[0] : 0;
}

uint16_t mapi_rd_u16(mapi_rd_t *rd)
{
    const uint8_t *q = mapi_rd_bytes(rd, 2);
    return q ? mapi_le16(q) : 0;
}

uint32_t mapi_rd_u32(mapi_rd_t *rd)
{
    const uint8_t *q = mapi_rd_bytes(rd, 4);
    return q ? mapi_le32(q) : 0;
}

uint64_t mapi_rd_u64(mapi_rd_t *rd)
{
    const uint8_t *q = mapi_rd_bytes(rd, 8);
    return q ? ((uint64_t)mapi_le32(q) | ((uint64_t)mapi_le32(q + 4) << 32)) : 0;
}

const char *mapi_rd_asciiz(mapi_rd_t *rd, size_t *n)
{
    const uint8_t *start, *nul;
    size_t left = mapi_rd_left(rd);
    if (rd->err || left == 0) {
        rd->err = 1;
        return NULL;
    }
    start = rd->p + rd->off;
    nul = memchr(start, 0, left);
    if (!nul) {
        rd->err = 1;
        return NULL;
    }
    if (n)
        *n = (size_t)(nul - start);
    rd->off += (size_t)(nul - start) + 1;
    return (const char *)start;
}

const uint8_t *mapi_rd_utf16z(mapi_rd_t *rd, size_t *units)
{
    size_t i, left = mapi_rd_left(rd);
    const uint8_t *start = rd->err ? NULL : rd->p + rd->off;
    for (i = 0; start && i + 1 < left; i += 2) {
        if (start[i] == 0 && start[i + 1] == 0) {
            if (units)
                *units = i / 2;
            rd->off += i + 2;
            return start;
        }
    }
    rd->err = 1;
    return NULL;
}

void mapi_wr_init(mapi_wr_t *wr, size_t limit)
{
    memset(wr, 0, sizeof(*wr));
    wr->limit = limit;
}

void mapi_wr_free(mapi_wr_t *wr)
{
    free(wr->p);
    memset(wr, 0, sizeof(*wr));
}

uint8_t *mapi_wr_reserve(mapi_wr_t *wr, size_t n)
{
    uint8_t *q;
    if (wr->err)
        return NULL;
    if (n > SIZE_MAX - wr->len || (wr->limit && wr->len + n > wr->limit)) {
        wr->err = 1;
        return NULL;
    }
    if (wr->len + n > wr->cap) {
        size_t cap = wr->cap ? wr->cap : 256;
        while (cap < wr->len + n)
            cap = cap > SIZE_MAX / 2 ? wr->len + n : cap * 2;
        q = realloc(wr->p, cap);
        if (!q) {
            wr->err = 1;
            return NULL;
        }
        wr->p = q;
        wr->cap = cap;
    }
    q = wr->p + wr->len;
    wr->len += n;
    return q;
}

void mapi_wr_u8(mapi_wr_t *wr, uint8_t v)
{
    uint8_t *q = mapi_wr_reserve(wr, 1);
    if (q)
        q[0] = v;
}

void mapi_wr_u16(mapi_wr_t *wr, uint16_t v)
{
    uint8_t *q = mapi_wr_reserve(wr, 2);
    if (q)
        mapi_put_le16(q, v);
}

void mapi_wr_u32(mapi_wr_t *wr, uint32_t v)
{
    uint8_t *q = mapi_wr_reserve(wr, 4);
    if (q)
        mapi_put_le32(q, v);
}

void mapi_wr_u64(mapi_wr_t *wr, uint64_t v)
{
    uint8_t *q = mapi_wr_reserve(wr, 8);
    if (q) {
        mapi_put_le32(q, (uint32_t)v);
        mapi_put_le32(q + 4, (uint32_t)(v >> 32));
    }
}

void mapi_wr_bytes(mapi_wr_t *wr, const void *p, size_t n)
{
    uint8_t *q = mapi_wr_reserve(wr, n);
    if (q && n)
        memcpy(q, p, n);
}

void mapi_wr_asciiz(mapi_wr_t *wr, const char *s)
{
    mapi_wr_bytes(wr, s ? s : "", (s ? strlen(s) : 0) + 1);
}

/* Decodes one UTF-8 sequence; returns the code point or 0xFFFD, advancing *s. */
static uint32_t utf8_next(const unsigned char **s)
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

void mapi_wr_utf16z_from_utf8(mapi_wr_t *wr, const char *str)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    while (*s) {
        uint32_t c = utf8_next(&s);
        if (c >= 0x10000) {
            c -= 0x10000;
            mapi_wr_u16(wr, (uint16_t)(0xD800 | (c >> 10)));
            mapi_wr_u16(wr, (uint16_t)(0xDC00 | (c & 0x3FF)));
        } else {
            mapi_wr_u16(wr, (uint16_t)c);
        }
    }
    mapi_wr_u16(wr, 0);
}

void mapi_wr_put_u16_at(mapi_wr_t *wr, size_t off, uint16_t v)
{
    if (!wr->err && off + 2 <= wr->len)
        mapi_put_le16(wr->p + off, v);
}

void mapi_wr_put_u32_at(mapi_wr_t *wr, size_t off, uint32_t v)
{
    if (!wr->err && off + 4 <= wr->len)
        mapi_put_le32(wr->p + off, v);
}

uint8_t *mapi_wr_steal(mapi_wr_t *wr, size_t *len)
{
    uint8_t *p = wr->p;
    if (len)
        *len = wr->len;
    memset(wr, 0, sizeof(*wr));
    return p;
}

char *mapi_utf16le_to_utf8(const uint8_t *p, size_t units)
{
    size_t i, o = 0;
    char *out = malloc(units * 3 + 1);
    if (!out)
        return NULL;
    for (i = 0; i < units; i++) {
        uint32_t c = mapi_le16(p + 2 * i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
            uint32_t lo = mapi_le16(p + 2 * i + 2);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | (c >> 12));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            /* a surrogate pair: 2 units in, 4 bytes out, within 3 per unit */
            out[o++] = (char)(0xF0 | (c >> 18));
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
    return out;
}
