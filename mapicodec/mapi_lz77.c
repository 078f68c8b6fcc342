/*
 * mapi_lz77.c - LZ77 + DIRECT2 codec, [MS-OXCRPC] 3.1.4.1.1.2 and
 * subsections (bit stream as in [MS-XCA] 2.3/2.4 "plain LZ77").
 */
#include "mapi_lz77.h"

#include <stdlib.h>
#include <string.h>

#define NIBBLE_NONE ((size_t)-1)
#define MAX_CHAIN 48
#define NICE_LEN 64   /* stop searching once a match this long is found */
#define MAX_MATCH (0xFFFFu + 3u)

static uint32_t rd_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Reads the length extension of a match whose 3-bit length is b'111'
 * ([MS-OXCRPC] 3.1.4.1.1.2.2: shared nibble, then byte, then 16 bits).
 * Returns length-3, or a negative error. */
static long read_long_length(const uint8_t *in, size_t in_len, size_t *ip, size_t *nibble_pos)
{
    long len = 7;
    unsigned n, b;
    if (*nibble_pos == NIBBLE_NONE) {
        if (*ip >= in_len)
            return MAPI_LZ77_E_TRUNCATED;
        *nibble_pos = *ip;
        n = in[(*ip)++] & 0x0F;
    } else {
        n = in[*nibble_pos] >> 4;
        *nibble_pos = NIBBLE_NONE;
    }
    len += n;
    if (n < 15)
        return len;
    if (*ip >= in_len)
        return MAPI_LZ77_E_TRUNCATED;
    b = in[(*ip)++];
    len += b;
    if (b < 255)
        return len;
    if (in_len - *ip < 2)
        return MAPI_LZ77_E_TRUNCATED;
    len = (long)(in[*ip] | (in[*ip + 1] << 8));
    *ip += 2;
    if (len < 15 + 7)
        return MAPI_LZ77_E_BAD_LENGTH;
    return len;
}

/* [MS-OXCRPC] 3.1.4.1.1.2: decompression of one payload. */
int mapi_lz77_decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    size_t ip = 0, op = 0, nibble_pos = NIBBLE_NONE;
    uint32_t flags = 0;
    unsigned nbits = 0;

    if ((!in && in_len) || (!out && out_len))
        return MAPI_LZ77_E_ARG;
    while (op < out_len) {
        size_t dist, len, i;
        long ext;
        unsigned md;
        if (nbits == 0) {
            if (in_len - ip < 4)
                return MAPI_LZ77_E_TRUNCATED;
            flags = rd_le32(in + ip);
            ip += 4;
            nbits = 32;
        }
        nbits--;
        if (!((flags >> nbits) & 1)) {
            if (ip >= in_len)
                return MAPI_LZ77_E_TRUNCATED;
            out[op++] = in[ip++];
            continue;
        }
        if (in_len - ip < 2)
            return MAPI_LZ77_E_TRUNCATED;
        md = (unsigned)(in[ip] | (in[ip + 1] << 8));
        ip += 2;
        dist = (md >> 3) + 1;
        if ((md & 7) == 7) {
            ext = read_long_length(in, in_len, &ip, &nibble_pos);
            if (ext < 0)
                return (int)ext;
            len = (size_t)ext + 3;
        } else {
            len = (md & 7) + 3;
        }
        if (dist > op)
            return MAPI_LZ77_E_BAD_OFFSET;
        if (len > out_len - op)
            return MAPI_LZ77_E_OVERRUN;
        /* byte by byte: source and destination may overlap */
        for (i = 0; i < len; i++, op++)
            out[op] = out[op - dist];
    }
    /* An encoder that filled its last bitmask exactly leaves one more
     * (all-ones) bitmask behind; anything beyond that is garbage. */
    if (in_len - ip > 4)
        return MAPI_LZ77_E_TRAILING;
    return MAPI_LZ77_OK;
}

/* ---- encoder ---------------------------------------------------------- */

typedef struct {
    uint8_t *out;
    size_t op, limit;
    size_t flag_pos, nibble_pos;
    uint32_t flags;
    unsigned nflags;
    int full;        /* a write would exceed limit */
} lz_out_t;

static void put_byte(lz_out_t *o, uint8_t b)
{
    if (o->op >= o->limit) {
        o->full = 1;
        return;
    }
    o->out[o->op++] = b;
}

static void put_le16(lz_out_t *o, unsigned v)
{
    put_byte(o, (uint8_t)v);
    put_byte(o, (uint8_t)(v >> 8));
}

static void put_le32_at(lz_out_t *o, size_t at, uint32_t v)
{
    o->out[at] = (uint8_t)v;
    o->out[at + 1] = (uint8_t)(v >> 8);
    o->out[at + 2] = (uint8_t)(v >> 16);
    o->out[at + 3] = (uint8_t)(v >> 24);
}

/* Reserves room for the next 32-bit bitmask (DIRECT2 3.1.4.1.1.2.2). */
static void reserve_flags(lz_out_t *o)
{
    if (o->op > o->limit || o->limit - o->op < 4) {
        o->full = 1;
        return;
    }
    o->flag_pos = o->op;
    o->op += 4;
}

static void push_flag(lz_out_t *o, unsigned bit)
{
    o->flags = (o->flags << 1) | bit;
    if (++o->nflags == 32) {
        put_le32_at(o, o->flag_pos, o->flags);
        o->flags = 0;
        o->nflags = 0;
        reserve_flags(o);
    }
}

/* DIRECT2 metadata for one match ([MS-OXCRPC] 3.1.4.1.1.2.2). */
static void put_match(lz_out_t *o, size_t dist, size_t len)
{
    size_t l = len - 3, d = dist - 1;
    if (l < 7) {
        put_le16(o, (unsigned)((d << 3) | l));
    } else {
        unsigned nib;
        put_le16(o, (unsigned)((d << 3) | 7));
        l -= 7;
        nib = l < 15 ? (unsigned)l : 15u;
        if (o->nibble_pos == NIBBLE_NONE) {
            if (o->op < o->limit)
                o->nibble_pos = o->op;
            put_byte(o, (uint8_t)nib);
        } else {
            o->out[o->nibble_pos] |= (uint8_t)(nib << 4);
            o->nibble_pos = NIBBLE_NONE;
        }
        if (l >= 15) {
            l -= 15;
            if (l < 255) {
                put_byte(o, (uint8_t)l);
            } else {
                put_byte(o, 255);
                put_le16(o, (unsigned)(len - 3));
            }
        }
    }
    push_flag(o, 1);
}

static uint32_t hash3(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
    return (v * 2654435761u) >> (32 - MAPI_LZ77_HASH_BITS);
}

/* Longest match for position pos among earlier positions with the same
 * 3-byte hash, at most MAPI_LZ77_WINDOW back. */
static size_t find_match(const uint8_t *in, size_t n, size_t pos, const int32_t *head,
                         const int32_t *prev, size_t *dist_out)
{
    size_t best = 0, maxlen = n - pos;
    int32_t cand = head[hash3(in + pos)] - 1;
    int depth = MAX_CHAIN;
    if (maxlen > MAX_MATCH)
        maxlen = MAX_MATCH;
    while (cand >= 0 && pos - (size_t)cand <= MAPI_LZ77_WINDOW && depth-- > 0) {
        const uint8_t *a = in + cand, *b = in + pos;
        if (a[best] == b[best] && a[0] == b[0]) {
            size_t len = 0;
            while (len < maxlen && a[len] == b[len])
                len++;
            if (len > best) {
                best = len;
                *dist_out = pos - (size_t)cand;
                if (len == maxlen || len >= NICE_LEN)
                    break;
            }
        }
        {
            int32_t next = prev[(size_t)cand & (MAPI_LZ77_WINDOW - 1)] - 1;
            if (next >= cand)
                break;
            cand = next;
        }
    }
    return best;
}

static void insert_pos(const uint8_t *in, size_t n, size_t pos, int32_t *head, int32_t *prev)
{
    uint32_t h;
    if (pos + 3 > n)
        return;
    h = hash3(in + pos);
    prev[pos & (MAPI_LZ77_WINDOW - 1)] = head[h];
    head[h] = (int32_t)pos + 1;
}

/* [MS-OXCRPC] 3.1.4.1.1.2.1 LZ77 with DIRECT2 output, into at most limit bytes. */
static int encode(const uint8_t *in, size_t in_len, uint8_t *out, size_t limit, size_t *out_len,
                  void *work)
{
    int32_t *head = work, *prev = head + ((size_t)1 << MAPI_LZ77_HASH_BITS);
    lz_out_t o;
    size_t pos = 0;

    memset(head, 0, ((size_t)1 << MAPI_LZ77_HASH_BITS) * sizeof(*head));
    memset(&o, 0, sizeof(o));
    o.out = out;
    o.limit = limit;
    o.nibble_pos = NIBBLE_NONE;
    reserve_flags(&o);
    while (pos < in_len && !o.full) {
        size_t dist = 0, len = pos + 3 <= in_len ? find_match(in, in_len, pos, head, prev, &dist) : 0;
        if (len >= 3) {
            size_t end = pos + len;
            put_match(&o, dist, len);
            for (; pos < end; pos++)
                insert_pos(in, in_len, pos, head, prev);
        } else {
            insert_pos(in, in_len, pos, head, prev);
            put_byte(&o, in[pos++]);
            push_flag(&o, 0);
        }
    }
    if (o.full)
        return MAPI_LZ77_NOT_SMALLER;
    /* Unused flag bits are set to 1 (end of stream, [MS-XCA] 2.3). */
    if (o.nflags == 0)
        put_le32_at(&o, o.flag_pos, 0xFFFFFFFFu);
    else
        put_le32_at(&o, o.flag_pos,
                    (o.flags << (32 - o.nflags)) | ((1u << (32 - o.nflags)) - 1));
    *out_len = o.op;
    return MAPI_LZ77_OK;
}

int mapi_lz77_encode_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                         size_t *out_len, void *work)
{
    if (!out_len || !work || (!in && in_len) || (!out && out_cap) || in_len > 0x7FFFFFF0u)
        return MAPI_LZ77_E_ARG;
    *out_len = 0;
    return encode(in, in_len, out, out_cap, out_len, work);
}

int mapi_lz77_compress_work(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                            size_t *out_len, void *work)
{
    if (!out_len || !work || (!in && in_len) || (!out && out_cap))
        return MAPI_LZ77_E_ARG;
    *out_len = 0;
    if (in_len < 6 || in_len > 0x7FFFFFF0u)
        return MAPI_LZ77_NOT_SMALLER;
    return encode(in, in_len, out, out_cap < in_len - 1 ? out_cap : in_len - 1, out_len, work);
}

int mapi_lz77_compress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                       size_t *out_len)
{
    void *work = malloc(MAPI_LZ77_WORK_SIZE);
    int rc;
    if (!work)
        return MAPI_LZ77_E_NOMEM;
    rc = mapi_lz77_compress_work(in, in_len, out, out_cap, out_len, work);
    free(work);
    return rc;
}

const char *mapi_lz77_strerror(int rc)
{
    switch (rc) {
    case MAPI_LZ77_OK: return "ok";
    case MAPI_LZ77_E_TRUNCATED: return "compressed data truncated";
    case MAPI_LZ77_E_BAD_OFFSET: return "match offset before start of output";
    case MAPI_LZ77_E_OVERRUN: return "match length past SizeActual";
    case MAPI_LZ77_E_BAD_LENGTH: return "invalid extended match length";
    case MAPI_LZ77_E_TRAILING: return "data after end of compressed stream";
    case MAPI_LZ77_NOT_SMALLER: return "compressed output not smaller";
    case MAPI_LZ77_E_NOMEM: return "out of memory";
    case MAPI_LZ77_E_ARG: return "invalid argument";
    default: return "unknown lz77 error";
    }
}
