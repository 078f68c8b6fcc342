/*
 * mapi_rpcext.c - RPC_HEADER_EXT chains ([MS-OXCRPC] 2.2.2.1), XorMagic
 * (3.1.4.1.1.3) and the compression hook (3.1.4.1.1.2).
 */
#include "mapi_rpcext.h"
#include "mapi_lz77.h"

#include <stdlib.h>
#include <string.h>

/* [MS-OXCRPC] 3.1.4.1.1.3 */
void mapi_xor_magic(uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        p[i] ^= MAPI_XOR_MAGIC;
}

/* [MS-OXCRPC] 2.2.2.1 */
int mapi_rpcext_parse_header(const uint8_t *p, size_t len, mapi_rpcext_hdr_t *h)
{
    if (len == 0)
        return MAPI_RPCEXT_E_EMPTY;
    if (len < MAPI_RPCEXT_HDR_SIZE)
        return MAPI_RPCEXT_E_SHORT_HEADER;
    h->version = mapi_le16(p);
    h->flags = mapi_le16(p + 2);
    h->size = mapi_le16(p + 4);
    h->size_actual = mapi_le16(p + 6);
    if (h->version != MAPI_RPCEXT_VERSION)
        return MAPI_RPCEXT_E_VERSION;
    if (h->flags & ~MAPI_RPCEXT_FLAGS_MASK)
        return MAPI_RPCEXT_E_FLAGS;
    if (h->size_actual > MAPI_RPCEXT_MAX_PAYLOAD)
        return MAPI_RPCEXT_E_TOO_LARGE;
    if (h->flags & MAPI_RPCEXT_COMPRESSED) {
        if (h->size >= h->size_actual)
            return MAPI_RPCEXT_E_NOT_SMALLER;
    } else if (h->size != h->size_actual) {
        return MAPI_RPCEXT_E_SIZE_MISMATCH;
    }
    if (len - MAPI_RPCEXT_HDR_SIZE < h->size)
        return MAPI_RPCEXT_E_PAST_END;
    return MAPI_RPCEXT_OK;
}

void mapi_rpcext_chain_free(mapi_rpcext_chain_t *chain)
{
    if (!chain)
        return;
    free(chain->data);
    free(chain->frames);
    chain->data = NULL;
    chain->frames = NULL;
    chain->len = chain->nframes = chain->consumed = 0;
}

/* Decodes the payload of one frame into dst (h->size_actual bytes). */
static int decode_payload(const mapi_rpcext_hdr_t *h, const uint8_t *src, uint8_t *dst, int *lz_rc)
{
    if (!(h->flags & MAPI_RPCEXT_COMPRESSED)) {
        if (h->size)
            memcpy(dst, src, h->size);
        if (h->flags & MAPI_RPCEXT_XORMAGIC)
            mapi_xor_magic(dst, h->size);
        return MAPI_RPCEXT_OK;
    }
    /* Compressed then obfuscated on send: undo the XOR first (2.2.2.1). */
    if (h->flags & MAPI_RPCEXT_XORMAGIC) {
        uint8_t *tmp = malloc(h->size ? h->size : 1);
        int rc;
        if (!tmp)
            return MAPI_RPCEXT_E_NOMEM;
        memcpy(tmp, src, h->size);
        mapi_xor_magic(tmp, h->size);
        rc = mapi_lz77_decompress(tmp, h->size, dst, h->size_actual);
        free(tmp);
        *lz_rc = rc;
        return rc == MAPI_LZ77_OK ? MAPI_RPCEXT_OK : MAPI_RPCEXT_E_DECOMPRESS;
    }
    *lz_rc = mapi_lz77_decompress(src, h->size, dst, h->size_actual);
    return *lz_rc == MAPI_LZ77_OK ? MAPI_RPCEXT_OK : MAPI_RPCEXT_E_DECOMPRESS;
}

static int chain_fail(mapi_rpcext_chain_t *chain, int rc)
{
    int lz = chain->lz77_rc;
    size_t bad = chain->bad_frame;
    mapi_rpcext_chain_free(chain);
    chain->lz77_rc = lz;
    chain->bad_frame = bad;
    return rc;
}

/* [MS-OXCRPC] 2.2.2.1 / 3.1.4.2.1: a chain of extended buffers. */
int mapi_rpcext_decode_chain(const uint8_t *in, size_t in_len, unsigned opts, size_t max_frames,
                             mapi_rpcext_chain_t *chain)
{
    return mapi_rpcext_decode_chain_limit(in, in_len, opts, max_frames, 0, chain);
}

int mapi_rpcext_decode_chain_limit(const uint8_t *in, size_t in_len, unsigned opts,
                                   size_t max_frames, size_t max_total, mapi_rpcext_chain_t *chain)
{
    static const uint8_t empty[1];
    size_t off = 0, cap_frames = 0;
    if (!chain || (!in && in_len))
        return MAPI_RPCEXT_E_ARG;
    if (!in)
        in = empty;
    if (max_total == 0)
        max_total = MAPI_RPCEXT_DEFAULT_MAX_TOTAL;
    memset(chain, 0, sizeof(*chain));
    for (;;) {
        mapi_rpcext_hdr_t h;
        uint8_t *grown;
        int rc;
        chain->bad_frame = chain->nframes;
        rc = mapi_rpcext_parse_header(in + off, in_len - off, &h);
        if (rc == MAPI_RPCEXT_E_EMPTY && chain->nframes > 0)
            rc = MAPI_RPCEXT_E_NO_LAST;
        if (rc != MAPI_RPCEXT_OK)
            return chain_fail(chain, rc);
        if ((max_frames && chain->nframes >= max_frames) ||
            ((opts & MAPI_RPCEXT_SINGLE) && !(h.flags & MAPI_RPCEXT_LAST)))
            return chain_fail(chain, (opts & MAPI_RPCEXT_SINGLE) ? MAPI_RPCEXT_E_NO_LAST
                                                                 : MAPI_RPCEXT_E_TOO_MANY);
        if (h.size_actual > max_total - chain->len)
            return chain_fail(chain, MAPI_RPCEXT_E_TOO_MUCH);
        if (chain->nframes == cap_frames) {
            mapi_rpcext_frame_t *f;
            cap_frames = cap_frames ? cap_frames * 2 : 4;
            f = realloc(chain->frames, cap_frames * sizeof(*f));
            if (!f)
                return chain_fail(chain, MAPI_RPCEXT_E_NOMEM);
            chain->frames = f;
        }
        grown = realloc(chain->data, chain->len + h.size_actual + 1);
        if (!grown)
            return chain_fail(chain, MAPI_RPCEXT_E_NOMEM);
        chain->data = grown;
        rc = decode_payload(&h, in + off + MAPI_RPCEXT_HDR_SIZE, chain->data + chain->len,
                            &chain->lz77_rc);
        if (rc != MAPI_RPCEXT_OK)
            return chain_fail(chain, rc);
        chain->frames[chain->nframes].off = chain->len;
        chain->frames[chain->nframes].len = h.size_actual;
        chain->frames[chain->nframes].flags = h.flags;
        chain->frames[chain->nframes].wire_size = h.size;
        chain->nframes++;
        chain->len += h.size_actual;
        off += MAPI_RPCEXT_HDR_SIZE + h.size;
        if (h.flags & MAPI_RPCEXT_LAST)
            break;
    }
    chain->consumed = off;
    if (off != in_len && !(opts & MAPI_RPCEXT_ALLOW_TRAILING))
        return chain_fail(chain, MAPI_RPCEXT_E_TRAILING);
    return MAPI_RPCEXT_OK;
}

/* [MS-OXCRPC] 2.2.2.1: frame one payload; compress first, then XOR. */
int mapi_rpcext_encode(mapi_wr_t *wr, const uint8_t *payload, size_t len, unsigned opts)
{
    uint16_t flags = (opts & MAPI_RPCEXT_ENC_LAST) ? MAPI_RPCEXT_LAST : 0;
    size_t hdr_off, wire_len = len;
    uint8_t *dst;

    if (!wr || (!payload && len))
        return MAPI_RPCEXT_E_ARG;
    if (len > MAPI_RPCEXT_MAX_PAYLOAD)
        return MAPI_RPCEXT_E_TOO_LARGE;
    hdr_off = wr->len;
    if (!mapi_wr_reserve(wr, MAPI_RPCEXT_HDR_SIZE))
        return MAPI_RPCEXT_E_NOMEM;
    /* Reserve the worst case (uncompressed) and shrink afterwards. */
    dst = mapi_wr_reserve(wr, len);
    if (!dst && len)
        return MAPI_RPCEXT_E_NOMEM;
    if (opts & MAPI_RPCEXT_ENC_COMPRESS) {
        size_t clen = 0;
        int rc = mapi_lz77_compress(payload, len, dst, len, &clen);
        if (rc == MAPI_LZ77_OK) {
            flags |= MAPI_RPCEXT_COMPRESSED;
            wire_len = clen;
        } else if (rc != MAPI_LZ77_NOT_SMALLER) {
            return MAPI_RPCEXT_E_NOMEM;
        }
    }
    if (!(flags & MAPI_RPCEXT_COMPRESSED) && len)
        memcpy(dst, payload, len);
    if (opts & MAPI_RPCEXT_ENC_XOR) {
        flags |= MAPI_RPCEXT_XORMAGIC;
        mapi_xor_magic(dst, wire_len);
    }
    wr->len = hdr_off + MAPI_RPCEXT_HDR_SIZE + wire_len;
    mapi_wr_put_u16_at(wr, hdr_off, MAPI_RPCEXT_VERSION);
    mapi_wr_put_u16_at(wr, hdr_off + 2, flags);
    mapi_wr_put_u16_at(wr, hdr_off + 4, (uint16_t)wire_len);
    mapi_wr_put_u16_at(wr, hdr_off + 6, (uint16_t)len);
    return MAPI_RPCEXT_OK;
}

/* [MS-OXCRPC] 3.1.4.2.1 / 4.3: chained response buffers. */
int mapi_rpcext_encode_chain(mapi_wr_t *wr, const mapi_iov_t *payloads, size_t n, unsigned opts)
{
    size_t i;
    opts &= MAPI_RPCEXT_ENC_COMPRESS | MAPI_RPCEXT_ENC_XOR;
    if (!wr || !payloads || n == 0)
        return MAPI_RPCEXT_E_ARG;
    for (i = 0; i < n; i++) {
        int rc = mapi_rpcext_encode(wr, payloads[i].p, payloads[i].len,
                                    opts | (i + 1 == n ? MAPI_RPCEXT_ENC_LAST : 0));
        if (rc != MAPI_RPCEXT_OK)
            return rc;
    }
    return MAPI_RPCEXT_OK;
}

int mapi_rpcext_encode_split(mapi_wr_t *wr, const uint8_t *data, size_t len, size_t max_payload,
                             unsigned opts)
{
    size_t off = 0;
    opts &= MAPI_RPCEXT_ENC_COMPRESS | MAPI_RPCEXT_ENC_XOR;
    if (!wr || max_payload == 0 || max_payload > MAPI_RPCEXT_MAX_PAYLOAD || (!data && len))
        return MAPI_RPCEXT_E_ARG;
    do {
        size_t n = len - off < max_payload ? len - off : max_payload;
        int rc = mapi_rpcext_encode(wr, data + off, n,
                                    opts | (off + n == len ? MAPI_RPCEXT_ENC_LAST : 0));
        if (rc != MAPI_RPCEXT_OK)
            return rc;
        off += n;
    } while (off < len);
    return MAPI_RPCEXT_OK;
}

const char *mapi_rpcext_strerror(int rc)
{
    switch (rc) {
    case MAPI_RPCEXT_OK: return "ok";
    case MAPI_RPCEXT_E_EMPTY: return "empty extended buffer";
    case MAPI_RPCEXT_E_SHORT_HEADER: return "RPC_HEADER_EXT truncated";
    case MAPI_RPCEXT_E_VERSION: return "RPC_HEADER_EXT Version is not 0";
    case MAPI_RPCEXT_E_FLAGS: return "RPC_HEADER_EXT has undefined Flags bits";
    case MAPI_RPCEXT_E_PAST_END: return "RPC_HEADER_EXT Size runs past the end";
    case MAPI_RPCEXT_E_SIZE_MISMATCH: return "uncompressed payload with Size != SizeActual";
    case MAPI_RPCEXT_E_NOT_SMALLER: return "compressed payload with Size >= SizeActual";
    case MAPI_RPCEXT_E_TOO_LARGE: return "payload larger than 32 KB";
    case MAPI_RPCEXT_E_DECOMPRESS: return "LZ77 decompression failed";
    case MAPI_RPCEXT_E_NO_LAST: return "no RPC_HEADER_EXT with the Last flag";
    case MAPI_RPCEXT_E_TRAILING: return "data after the Last payload";
    case MAPI_RPCEXT_E_TOO_MANY: return "too many chained buffers";
    case MAPI_RPCEXT_E_NOMEM: return "out of memory";
    case MAPI_RPCEXT_E_ARG: return "invalid argument";
    case MAPI_RPCEXT_E_TOO_MUCH: return "decoded payloads exceed the size limit";
    default: return "unknown RPC_HEADER_EXT error";
    }
}
