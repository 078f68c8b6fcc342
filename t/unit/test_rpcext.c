/* test_rpcext.c - RPC_HEADER_EXT chains ([MS-OXCRPC] 2.2.2.1), XorMagic
 * (3.1.4.1.1.3) and compression in frames (3.1.4.1.1.2). */
#include "mapi_lz77.h"
#include "mapi_rpcext.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static void put_hdr(uint8_t *p, uint16_t ver, uint16_t flags, uint16_t size, uint16_t actual)
{
    mapi_put_le16(p, ver);
    mapi_put_le16(p + 2, flags);
    mapi_put_le16(p + 4, size);
    mapi_put_le16(p + 6, actual);
}

static int decode(const uint8_t *p, size_t n, unsigned opts)
{
    mapi_rpcext_chain_t c;
    int rc = mapi_rpcext_decode_chain(p, n, opts, 0, &c);
    mapi_rpcext_chain_free(&c);
    return rc;
}

static void test_xor(void)
{
    uint8_t b[4] = {0x00, 0xA5, 0xFF, 0x5A};
    mapi_xor_magic(b, 4);
    ok(b[0] == 0xA5 && b[1] == 0x00 && b[2] == 0x5A && b[3] == 0xFF, "XorMagic is XOR 0xA5");
    mapi_xor_magic(b, 4);
    ok(b[0] == 0x00 && b[1] == 0xA5 && b[2] == 0xFF && b[3] == 0x5A, "XorMagic twice is identity");
}

static void test_decode_plain(void)
{
    uint8_t buf[64];
    mapi_rpcext_chain_t c;
    /* one frame, Last, 4-byte payload; then XOR'd second variant */
    put_hdr(buf, 0, MAPI_RPCEXT_LAST, 4, 4);
    memcpy(buf + 8, "ROPS", 4);
    is_int(mapi_rpcext_decode_chain(buf, 12, 0, 0, &c), MAPI_RPCEXT_OK, "single Last frame");
    is_mem(c.data, c.len, "ROPS", 4, "payload returned");
    ok(c.nframes == 1 && c.consumed == 12 && c.frames[0].flags == MAPI_RPCEXT_LAST,
       "one frame, 12 bytes consumed");
    mapi_rpcext_chain_free(&c);

    put_hdr(buf, 0, MAPI_RPCEXT_LAST | MAPI_RPCEXT_XORMAGIC, 4, 4);
    memcpy(buf + 8, "ROPS", 4);
    mapi_xor_magic(buf + 8, 4);
    is_int(mapi_rpcext_decode_chain(buf, 12, 0, 0, &c), MAPI_RPCEXT_OK, "XorMagic frame");
    is_mem(c.data, c.len, "ROPS", 4, "XorMagic payload un-XORed");
    mapi_rpcext_chain_free(&c);

    /* chain of two: "AB" then "CDE" (Last) */
    put_hdr(buf, 0, 0, 2, 2);
    memcpy(buf + 8, "AB", 2);
    put_hdr(buf + 10, 0, MAPI_RPCEXT_LAST, 3, 3);
    memcpy(buf + 18, "CDE", 3);
    is_int(mapi_rpcext_decode_chain(buf, 21, 0, 0, &c), MAPI_RPCEXT_OK, "chain of two frames");
    is_mem(c.data, c.len, "ABCDE", 5, "payloads concatenated");
    ok(c.nframes == 2 && c.frames[1].off == 2 && c.frames[1].len == 3,
       "each payload located separately");
    mapi_rpcext_chain_free(&c);
    is_int(decode(buf, 21, MAPI_RPCEXT_SINGLE), MAPI_RPCEXT_E_NO_LAST,
           "SINGLE: first frame without Last rejected");
    is_int(mapi_rpcext_decode_chain(buf, 21, 0, 1, &c), MAPI_RPCEXT_E_TOO_MANY,
           "frame limit enforced");
    ok(c.data == NULL && c.bad_frame == 1, "failed decode leaves nothing allocated");

    /* empty Last frame */
    put_hdr(buf, 0, MAPI_RPCEXT_LAST, 0, 0);
    is_int(mapi_rpcext_decode_chain(buf, 8, 0, 0, &c), MAPI_RPCEXT_OK, "empty Last frame");
    ok(c.len == 0 && c.nframes == 1, "empty payload");
    mapi_rpcext_chain_free(&c);
}

static void test_decode_errors(void)
{
    uint8_t buf[64];
    mapi_rpcext_chain_t c;
    mapi_rpcext_hdr_t h;

    is_int(decode(buf, 0, 0), MAPI_RPCEXT_E_EMPTY, "empty input");
    put_hdr(buf, 0, MAPI_RPCEXT_LAST, 4, 4);
    memcpy(buf + 8, "ROPS", 4);
    is_int(decode(buf, 7, 0), MAPI_RPCEXT_E_SHORT_HEADER, "7-byte header");
    is_int(decode(buf, 11, 0), MAPI_RPCEXT_E_PAST_END, "Size past end");
    is_int(decode(buf, 13, 0), MAPI_RPCEXT_E_TRAILING, "byte after Last payload");
    is_int(mapi_rpcext_decode_chain(buf, 13, MAPI_RPCEXT_ALLOW_TRAILING, 0, &c), MAPI_RPCEXT_OK,
           "trailing bytes allowed on request");
    is_int(c.consumed, 12, "consumed stops at the Last payload");
    mapi_rpcext_chain_free(&c);
    put_hdr(buf, 1, MAPI_RPCEXT_LAST, 4, 4);
    is_int(decode(buf, 12, 0), MAPI_RPCEXT_E_VERSION, "Version 1 rejected");
    put_hdr(buf, 0, MAPI_RPCEXT_LAST | 0x8, 4, 4);
    is_int(decode(buf, 12, 0), MAPI_RPCEXT_E_FLAGS, "undefined flag rejected");
    put_hdr(buf, 0, MAPI_RPCEXT_LAST, 4, 5);
    is_int(decode(buf, 12, 0), MAPI_RPCEXT_E_SIZE_MISMATCH, "Size != SizeActual uncompressed");
    put_hdr(buf, 0, MAPI_RPCEXT_LAST | MAPI_RPCEXT_COMPRESSED, 4, 4);
    is_int(decode(buf, 12, 0), MAPI_RPCEXT_E_NOT_SMALLER, "compressed Size == SizeActual");
    put_hdr(buf, 0, MAPI_RPCEXT_LAST | MAPI_RPCEXT_COMPRESSED, 4, 0x8001);
    is_int(decode(buf, 12, 0), MAPI_RPCEXT_E_TOO_LARGE, "SizeActual > 32 KB");
    put_hdr(buf, 0, MAPI_RPCEXT_LAST | MAPI_RPCEXT_COMPRESSED, 4, 100);
    memset(buf + 8, 0, 4);
    is_int(mapi_rpcext_decode_chain(buf, 12, 0, 0, &c), MAPI_RPCEXT_E_DECOMPRESS,
           "bad LZ77 stream");
    is_int(c.lz77_rc, MAPI_LZ77_E_TRUNCATED, "LZ77 cause reported");
    put_hdr(buf, 0, 0, 4, 4);
    is_int(decode(buf, 12, 0), MAPI_RPCEXT_E_NO_LAST, "chain ends without Last");
    is_int(mapi_rpcext_parse_header(buf, 12, &h), MAPI_RPCEXT_OK, "parse_header alone");
    ok(h.size == 4 && h.size_actual == 4 && h.flags == 0, "header fields");
    put_hdr(buf, 0, 0, 4, 4);
    memcpy(buf + 8, "ABCD", 4);
    put_hdr(buf + 12, 0, MAPI_RPCEXT_LAST, 4, 4);
    memcpy(buf + 20, "EFGH", 4);
    is_int(mapi_rpcext_decode_chain_limit(buf, 24, 0, 0, 7, &c), MAPI_RPCEXT_E_TOO_MUCH,
           "total decoded size limit enforced");
    is_int(mapi_rpcext_decode_chain_limit(buf, 24, 0, 0, 8, &c), MAPI_RPCEXT_OK,
           "limit equal to the total accepted");
    mapi_rpcext_chain_free(&c);
    is_str(mapi_rpcext_strerror(MAPI_RPCEXT_E_NO_LAST), "no RPC_HEADER_EXT with the Last flag",
           "error text");
}

static void test_encode(void)
{
    uint8_t *big = malloc(0x10000);
    mapi_wr_t wr;
    mapi_rpcext_chain_t c;
    size_t i;
    int opts;

    for (i = 0; i < 0x10000; i++)
        big[i] = (uint8_t)("property row "[i % 13] + (i / 4096));
    for (opts = 0; opts < 4; opts++) {
        mapi_wr_init(&wr, 0);
        is_int(mapi_rpcext_encode(&wr, big, 5000, (unsigned)opts | MAPI_RPCEXT_ENC_LAST),
               MAPI_RPCEXT_OK, "encode opts %d", opts);
        ok(((mapi_le16(wr.p + 2) & MAPI_RPCEXT_COMPRESSED) != 0) ==
               ((opts & MAPI_RPCEXT_ENC_COMPRESS) != 0),
           "Compressed flag follows option %d", opts);
        ok(((mapi_le16(wr.p + 2) & MAPI_RPCEXT_XORMAGIC) != 0) == ((opts & MAPI_RPCEXT_ENC_XOR) != 0),
           "XorMagic flag follows option %d", opts);
        is_int(mapi_rpcext_decode_chain(wr.p, wr.len, 0, 0, &c), MAPI_RPCEXT_OK,
               "round trip opts %d", opts);
        is_mem(c.data, c.len, big, 5000, "payload intact opts %d", opts);
        mapi_rpcext_chain_free(&c);
        mapi_wr_free(&wr);
    }
    /* incompressible payload: sent uncompressed even if allowed */
    {
        uint8_t rnd[200];
        uint32_t x = 7;
        for (i = 0; i < sizeof(rnd); i++) {
            x = x * 1103515245u + 12345u;
            rnd[i] = (uint8_t)(x >> 16);
        }
        mapi_wr_init(&wr, 0);
        mapi_rpcext_encode(&wr, rnd, sizeof(rnd), MAPI_RPCEXT_ENC_COMPRESS | MAPI_RPCEXT_ENC_LAST);
        ok(mapi_le16(wr.p + 2) == MAPI_RPCEXT_LAST && mapi_le16(wr.p + 4) == 200,
           "incompressible payload sent as is");
        mapi_wr_free(&wr);
    }
    mapi_wr_init(&wr, 0);
    is_int(mapi_rpcext_encode(&wr, big, 0x8001, MAPI_RPCEXT_ENC_LAST), MAPI_RPCEXT_E_TOO_LARGE,
           "payload over 32 KB refused");
    is_int(mapi_rpcext_encode(&wr, NULL, 0, MAPI_RPCEXT_ENC_LAST), MAPI_RPCEXT_OK, "empty payload");
    is_int(wr.len, 8, "empty payload is a bare header");
    mapi_wr_free(&wr);

    /* split 0x10000 bytes into 32 KB frames: 2 frames + the Last one */
    mapi_wr_init(&wr, 0);
    is_int(mapi_rpcext_encode_split(&wr, big, 0x10000 + 0 * 1, 0x8000,
                                    MAPI_RPCEXT_ENC_COMPRESS | MAPI_RPCEXT_ENC_XOR),
           MAPI_RPCEXT_OK, "split 64 KB");
    is_int(mapi_rpcext_decode_chain(wr.p, wr.len, 0, 0, &c), MAPI_RPCEXT_OK, "split decodes");
    ok(c.nframes == 2 && c.len == 0x10000 && memcmp(c.data, big, 0x10000) == 0,
       "split: 2 frames, data intact");
    ok(!(c.frames[0].flags & MAPI_RPCEXT_LAST) && (c.frames[1].flags & MAPI_RPCEXT_LAST),
       "Last only on the final frame");
    mapi_rpcext_chain_free(&c);
    mapi_wr_free(&wr);
    mapi_wr_init(&wr, 0);
    is_int(mapi_rpcext_encode_split(&wr, big, 0, 0x8000, 0), MAPI_RPCEXT_OK, "split empty");
    ok(wr.len == 8 && mapi_le16(wr.p + 2) == MAPI_RPCEXT_LAST, "one empty Last frame");
    mapi_wr_free(&wr);
    mapi_wr_init(&wr, 0);
    is_int(mapi_rpcext_encode_split(&wr, big, 10, 0x8001, 0), MAPI_RPCEXT_E_ARG,
           "max payload over 32 KB refused");
    mapi_wr_free(&wr);

    /* chain of explicit payloads */
    {
        mapi_iov_t iov[3] = {{big, 100}, {big + 100, 0}, {big + 100, 7000}};
        mapi_wr_init(&wr, 0);
        is_int(mapi_rpcext_encode_chain(&wr, iov, 3, MAPI_RPCEXT_ENC_COMPRESS), MAPI_RPCEXT_OK,
               "encode chain of 3");
        is_int(mapi_rpcext_decode_chain(wr.p, wr.len, 0, 0, &c), MAPI_RPCEXT_OK,
               "chain of 3 decodes");
        ok(c.nframes == 3 && c.frames[2].len == 7000 && c.len == 7100 &&
               memcmp(c.data, big, 7100) == 0,
           "chain of 3: frames and data");
        mapi_rpcext_chain_free(&c);
        mapi_wr_free(&wr);
    }
    free(big);
}

static void test_garbage(void)
{
    uint8_t buf[128];
    uint32_t x = 99;
    int i, accepted = 0;
    for (i = 0; i < 20000; i++) {
        size_t n, k;
        mapi_rpcext_chain_t c;
        x = x * 1103515245u + 12345u;
        n = (x >> 8) % sizeof(buf);
        for (k = 0; k < n; k++) {
            x = x * 1103515245u + 12345u;
            buf[k] = (uint8_t)(x >> 16);
        }
        if (n >= 8) { /* make the header plausible half of the time */
            buf[0] = buf[1] = 0;
            if (i & 1)
                buf[2] &= 7, buf[3] = 0, buf[5] = 0, buf[7] = 0;
        }
        if (mapi_rpcext_decode_chain(buf, n, 0, 0, &c) == MAPI_RPCEXT_OK) {
            accepted++;
            if (c.consumed != n)
                accepted = -100000;
        }
        mapi_rpcext_chain_free(&c);
    }
    ok(accepted >= 0, "20000 random buffers: no crash, accepted ones consume all input (%d)",
       accepted);
}

int main(void)
{
    test_xor();
    test_decode_plain();
    test_decode_errors();
    test_encode();
    test_garbage();
    return done_testing();
}
