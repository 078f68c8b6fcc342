/* test_lz77.c - LZ77 + DIRECT2 ([MS-OXCRPC] 3.1.4.1.1.2): spec examples,
 * round trips, and hostile input. */
#include "mapi_lz77.h"
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Worked examples of the plain LZ77 bit stream that MS-OXCRPC's DIRECT2
 * encoding uses ([MS-XCA] 3.1 examples). */
static const uint8_t ex1_in[] = "abcdefghijklmnopqrstuvwxyz";
static const uint8_t ex1_out[] = {0x3f, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
                                  'h',  'i',  'j',  'k',  'l', 'm', 'n', 'o', 'p', 'q', 'r',
                                  's',  't',  'u',  'v',  'w', 'x', 'y', 'z'};
static const uint8_t ex2_out[] = {0xff, 0xff, 0xff, 0x1f, 0x61, 0x62, 0x63,
                                  0x17, 0x00, 0x0f, 0xff, 0x26, 0x01};

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

enum { KIND_RANDOM, KIND_TEXT, KIND_REPEAT, KIND_ROWS };

static void fill(uint8_t *p, size_t n, int kind)
{
    static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ",
                                  "lazy ", "dog ", "Inbox ", "Subject: ", "MAPI ", "\r\n"};
    size_t i = 0;
    switch (kind) {
    case KIND_RANDOM:
        for (i = 0; i < n; i++)
            p[i] = (uint8_t)rng();
        break;
    case KIND_TEXT:
        while (i < n) {
            const char *w = words[rng() % 12];
            while (*w && i < n)
                p[i++] = (uint8_t)*w++;
        }
        break;
    case KIND_REPEAT:
        for (i = 0; i < n; i++)
            p[i] = (uint8_t)"0123456789abcdef"[(i / 3) % 16];
        break;
    default: /* property rows: tags, small ints, a changing id */
        while (i < n) {
            uint8_t row[24] = {0x1f, 0x00, 0x37, 0x00, 'H', 0, 'e', 0, 'l', 0, 'l', 0,
                               'o', 0, 0, 0, 0x03, 0x00, 0x07, 0x0e, 0, 0, 0, 0};
            size_t k;
            row[20] = (uint8_t)(i >> 4);
            row[21] = (uint8_t)rng();
            for (k = 0; k < sizeof(row) && i < n; k++)
                p[i++] = row[k];
        }
        break;
    }
}

static void test_examples(void *work)
{
    uint8_t out[400], exp2[300];
    size_t n = 0, i;

    is_int(mapi_lz77_decompress(ex1_out, sizeof(ex1_out), out, 26), MAPI_LZ77_OK,
           "example 1 (26 literals) decodes");
    is_mem(out, 26, ex1_in, 26, "example 1 output byte for byte");
    is_int(mapi_lz77_encode_raw(ex1_in, 26, out, sizeof(out), &n, work), MAPI_LZ77_OK,
           "example 1 encodes (raw)");
    is_mem(out, n, ex1_out, sizeof(ex1_out), "encoder reproduces example 1");
    is_int(mapi_lz77_compress(ex1_in, 26, out, sizeof(out), &n), MAPI_LZ77_NOT_SMALLER,
           "literal-only input is reported as not smaller");

    for (i = 0; i < 300; i++)
        exp2[i] = (uint8_t)("abc"[i % 3]);
    is_int(mapi_lz77_decompress(ex2_out, sizeof(ex2_out), out, 300), MAPI_LZ77_OK,
           "example 2 (abc x 100) decodes");
    is_mem(out, 300, exp2, 300, "example 2 output byte for byte");
    is_int(mapi_lz77_compress(exp2, 300, out, sizeof(out), &n), MAPI_LZ77_OK,
           "example 2 compresses");
    is_mem(out, n, ex2_out, sizeof(ex2_out), "encoder reproduces example 2");
}

static void test_round_trips(void *work)
{
    static const size_t sizes[] = {0,    1,    2,    3,    5,    6,    7,     31,    32,    33,
                                   100,  1000, 4095, 4096, 8191, 8192, 8193,  10000, 16384, 20000,
                                   30000, 32767, 32768};
    const size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
    uint8_t *in = malloc(32768), *c = malloc(40000), *d = malloc(32768);
    int kind;
    for (kind = KIND_RANDOM; kind <= KIND_ROWS; kind++) {
        size_t s, bad = 0, compressed = 0, skipped = 0, big = 0, big_compressed = 0;
        for (s = 0; s < nsizes; s++) {
            size_t n = sizes[s], clen = 0;
            int rc;
            fill(in, n, kind);
            if (n >= 100)
                big++;
            rc = mapi_lz77_compress_work(in, n, c, 32768, &clen, work);
            if (rc == MAPI_LZ77_NOT_SMALLER) {
                skipped++;
                /* the raw encoder still has to round trip */
                rc = mapi_lz77_encode_raw(in, n, c, 40000, &clen, work);
                if (rc != MAPI_LZ77_OK)
                    continue;
            } else if (rc != MAPI_LZ77_OK || clen >= n) {
                bad++;
                continue;
            } else {
                compressed++;
                if (n >= 100)
                    big_compressed++;
            }
            memset(d, 0xEE, n);
            if (mapi_lz77_decompress(c, clen, d, n) != MAPI_LZ77_OK || (n && memcmp(d, in, n)))
                bad++;
        }
        is_int(bad, 0, "kind %d: every size 0..32768 round-trips", kind);
        if (kind == KIND_RANDOM)
            ok(skipped >= nsizes - 3, "random data: not smaller reported (%zu of %zu)", skipped,
               nsizes);
        else
            ok(big_compressed == big, "kind %d: every size >= 100 compresses (%zu of %zu)",
               kind, big_compressed, big);
    }
    /* many random sizes of mixed content */
    {
        int i, bad = 0;
        for (i = 0; i < 200; i++) {
            size_t n = rng() % 32769, clen = 0, half = n / 2;
            fill(in, half, KIND_TEXT);
            fill(in + half, n - half, (int)(rng() % 4));
            if (mapi_lz77_encode_raw(in, n, c, 40000, &clen, work) != MAPI_LZ77_OK) {
                bad++;
                continue;
            }
            if (mapi_lz77_decompress(c, clen, d, n) != MAPI_LZ77_OK || (n && memcmp(d, in, n)))
                bad++;
        }
        is_int(bad, 0, "200 mixed random-size buffers round-trip");
    }
    /* a repeat 10000 bytes back is outside the 8 KB window */
    {
        size_t clen = 0;
        fill(in, 10000, KIND_RANDOM);
        memcpy(in + 10000, in, 10000);
        ok(mapi_lz77_encode_raw(in, 20000, c, 40000, &clen, work) == MAPI_LZ77_OK &&
               mapi_lz77_decompress(c, clen, d, 20000) == MAPI_LZ77_OK &&
               memcmp(d, in, 20000) == 0,
           "repeat beyond the window round-trips");
        ok(clen > 20000, "repeat beyond the window is not matched (%zu bytes)", clen);
        memcpy(in + 5000, in, 5000);
        ok(mapi_lz77_compress_work(in, 10000, c, 32768, &clen, work) == MAPI_LZ77_OK &&
               clen < 5700 && mapi_lz77_decompress(c, clen, d, 10000) == MAPI_LZ77_OK &&
               memcmp(d, in, 10000) == 0,
           "repeat 5000 back is matched (%zu bytes)", clen);
    }
    free(in);
    free(c);
    free(d);
}

static void test_handcrafted(void)
{
    uint8_t out[64];
    static const uint8_t shared[] = {0x00, 0x00, 0x00, 0x60, 'a', 0x07, 0x00, 0x21, 0x07, 0x00};
    static const uint8_t before_start[] = {0x00, 0x00, 0x00, 0x80, 0x00, 0x00};
    static const uint8_t rle[] = {0x00, 0x00, 0x00, 0x40, 'a', 0x00, 0x00};
    static const uint8_t bad_len[] = {0x00, 0x00, 0x00, 0x40, 'a', 0x07, 0x00,
                                      0x0f, 0xff, 0x05, 0x00};
    static const uint8_t far[] = {0x00, 0x00, 0x00, 0x40, 'a', 0x08, 0x00};
    uint8_t buf[64];
    size_t i;
    int all = 1;

    is_int(mapi_lz77_decompress(shared, sizeof(shared), out, 24), MAPI_LZ77_OK,
           "two long matches share one nibble byte");
    for (i = 0; i < 24; i++)
        all &= out[i] == 'a';
    ok(all, "shared-nibble output is 24 x 'a'");
    is_int(mapi_lz77_decompress(rle, sizeof(rle), out, 4), MAPI_LZ77_OK, "overlapping copy");
    ok(memcmp(out, "aaaa", 4) == 0, "overlapping copy repeats the byte");
    is_int(mapi_lz77_decompress(before_start, sizeof(before_start), out, 3),
           MAPI_LZ77_E_BAD_OFFSET, "match before start of output rejected");
    is_int(mapi_lz77_decompress(far, sizeof(far), out, 4), MAPI_LZ77_E_BAD_OFFSET,
           "distance 2 after one byte rejected");
    is_int(mapi_lz77_decompress(rle, sizeof(rle), out, 2), MAPI_LZ77_E_OVERRUN,
           "match longer than SizeActual rejected");
    is_int(mapi_lz77_decompress(bad_len, sizeof(bad_len), out, 64), MAPI_LZ77_E_BAD_LENGTH,
           "16-bit length below 22 rejected");
    is_int(mapi_lz77_decompress(ex1_out, 3, out, 26), MAPI_LZ77_E_TRUNCATED,
           "truncated bitmask rejected");
    is_int(mapi_lz77_decompress(ex1_out, sizeof(ex1_out), out, 27), MAPI_LZ77_E_TRUNCATED,
           "SizeActual larger than the stream rejected");
    is_int(mapi_lz77_decompress(rle, 6, out, 4), MAPI_LZ77_E_TRUNCATED,
           "truncated metadata rejected");
    is_int(mapi_lz77_decompress(bad_len, 7, out, 64), MAPI_LZ77_E_TRUNCATED,
           "missing nibble byte rejected");
    is_int(mapi_lz77_decompress(bad_len, 8, out, 64), MAPI_LZ77_E_TRUNCATED,
           "missing length byte rejected");
    is_int(mapi_lz77_decompress(bad_len, 10, out, 64), MAPI_LZ77_E_TRUNCATED,
           "half of the 16-bit length rejected");
    memcpy(buf, ex1_out, sizeof(ex1_out));
    memset(buf + sizeof(ex1_out), 0xff, 5);
    is_int(mapi_lz77_decompress(buf, sizeof(ex1_out) + 4, out, 26), MAPI_LZ77_OK,
           "one trailing end bitmask accepted");
    is_int(mapi_lz77_decompress(buf, sizeof(ex1_out) + 5, out, 26), MAPI_LZ77_E_TRAILING,
           "more trailing bytes rejected");
    is_int(mapi_lz77_decompress(NULL, 0, NULL, 0), MAPI_LZ77_OK, "empty in, empty out");
    is_int(mapi_lz77_decompress(NULL, 4, out, 1), MAPI_LZ77_E_ARG, "NULL input rejected");
    {
        int bad = 0;
        uint8_t big[300];
        for (i = 0; i < sizeof(ex2_out); i++)
            if (mapi_lz77_decompress(ex2_out, i, big, 300) == MAPI_LZ77_OK)
                bad++;
        is_int(bad, 0, "every truncation of example 2 is an error");
    }
}

/* Random garbage: never crashes (run under ASan), never claims success
 * with the wrong length. */
static void test_garbage(void)
{
    uint8_t in[256], out[512];
    int i, okc = 0;
    for (i = 0; i < 20000; i++) {
        size_t n = rng() % sizeof(in), m = rng() % sizeof(out), k;
        for (k = 0; k < n; k++)
            in[k] = (uint8_t)rng();
        if (mapi_lz77_decompress(in, n, out, m) == MAPI_LZ77_OK)
            okc++;
    }
    ok(1, "20000 random inputs decoded without crashing (%d accepted)", okc);
}

/* Every match length from 3 to 700 and a few long ones: the in-line 3 bits,
 * the shared nibble, the extra byte and the 16-bit form all round-trip. */
static void test_length_boundaries(void *work)
{
    static uint8_t in[34000], c[40000], d[34000];
    static const size_t longs[] = {1000, 4096, 8192, 20000, 32000};
    size_t lens[700], nlens = 0, i, bad = 0;
    for (i = 3; i <= 690; i++)
        lens[nlens++] = i;
    for (i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
        lens[nlens++] = longs[i];
    for (i = 0; i < nlens; i++) {
        size_t len = lens[i], n = 300 + len + 1, clen = 0, k;
        for (k = 0; k < 300; k++)
            in[k] = (uint8_t)rng();
        for (k = 0; k < len; k++)
            in[300 + k] = in[k % 300];
        in[300 + len] = (uint8_t)(in[len % 300] ^ 0xFF);
        if (mapi_lz77_encode_raw(in, n, c, sizeof(c), &clen, work) != MAPI_LZ77_OK ||
            mapi_lz77_decompress(c, clen, d, n) != MAPI_LZ77_OK || memcmp(d, in, n) != 0)
            bad++;
    }
    is_int(bad, 0, "match lengths 3..690 and up to 32000 round-trip (%zu cases)", nlens);
}

int main(void)
{
    void *work = malloc(MAPI_LZ77_WORK_SIZE);
    test_examples(work);
    test_round_trips(work);
    test_handcrafted();
    test_length_boundaries(work);
    test_garbage();
    is_str(mapi_lz77_strerror(MAPI_LZ77_E_BAD_OFFSET), "match offset before start of output",
           "error strings");
    free(work);
    return done_testing();
}
