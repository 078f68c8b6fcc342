/*
 * bench_lz77.c - throughput of the LZ77+DIRECT2 codec ([MS-OXCRPC]
 * 3.1.4.1.1.2) on 32 KB buffers, the largest RPC_HEADER_EXT payload:
 * ROP-like property rows (repetitive), text, and random data. Prints
 * compress/decompress MB/s and the compression ratio.
 *
 *   bench_lz77 [seconds-per-case]   (default 1)
 */
#include "mapi_lz77.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUF 32768

static uint32_t rng_state = 2463534242u;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* QueryRows-like output: rows of (PidTagDisplayName UTF-16, PidTagMessageSize,
 * a FID/MID with a changing counter, flags) - repetitive with variation. */
static void fill_rows(uint8_t *p, size_t n)
{
    static const char *subjects[] = {"Weekly report", "Re: lunch?", "Invoice 2024-", "Meeting notes",
                                     "Build failed", "Welcome"};
    size_t i = 0;
    uint32_t row = 0;
    while (i < n) {
        uint8_t r[96];
        size_t k = 0, j;
        const char *s = subjects[rng() % 6];
        r[k++] = 0x00; /* row flag */
        for (j = 0; s[j] && k < 60; j++) {
            r[k++] = (uint8_t)s[j];
            r[k++] = 0;
        }
        r[k++] = 0;
        r[k++] = 0;
        r[k++] = (uint8_t)(rng() & 0x3f); /* message size */
        r[k++] = (uint8_t)(row >> 2);
        r[k++] = 0;
        r[k++] = 0;
        r[k++] = 0x01; /* MID: replica 1, counter */
        r[k++] = 0x00;
        r[k++] = (uint8_t)row;
        r[k++] = (uint8_t)(row >> 8);
        r[k++] = 0;
        r[k++] = 0;
        r[k++] = 0;
        r[k++] = 0;
        r[k++] = 0x09; /* flags */
        r[k++] = 0;
        r[k++] = 0;
        r[k++] = 0;
        for (j = 0; j < k && i < n; j++)
            p[i++] = r[j];
        row++;
    }
}

static void fill_text(uint8_t *p, size_t n)
{
    static const char *w[] = {"the ", "server ", "sends ", "mail ", "to ", "Outlook ", "over ",
                              "HTTP ", "and ", "a ", "folder ", "\r\n"};
    size_t i = 0;
    while (i < n) {
        const char *s = w[rng() % 12];
        while (*s && i < n)
            p[i++] = (uint8_t)*s++;
    }
}

static void fill_random(uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = (uint8_t)rng();
}

static void run_case(const char *name, void (*fill)(uint8_t *, size_t), double secs, void *work)
{
    static uint8_t in[BUF], comp[BUF + BUF / 8 + 64], out[BUF];
    size_t clen = 0;
    long iters = 0, diters = 0;
    double t0, t, ctime, dtime;
    int rc, sent_compressed;

    fill(in, BUF);
    rc = mapi_lz77_encode_raw(in, BUF, comp, sizeof(comp), &clen, work);
    if (rc != MAPI_LZ77_OK || mapi_lz77_decompress(comp, clen, out, BUF) != MAPI_LZ77_OK ||
        memcmp(in, out, BUF) != 0) {
        printf("%-8s  round trip FAILED (rc %d)\n", name, rc);
        exit(1);
    }
    t0 = now();
    do {
        size_t l;
        mapi_lz77_encode_raw(in, BUF, comp, sizeof(comp), &l, work);
        iters++;
        t = now();
    } while (t - t0 < secs);
    ctime = (t - t0) / (double)iters;
    t0 = now();
    do {
        mapi_lz77_decompress(comp, clen, out, BUF);
        diters++;
        t = now();
    } while (t - t0 < secs);
    dtime = (t - t0) / (double)diters;
    {
        size_t tmp = 0;
        sent_compressed = mapi_lz77_compress_work(in, BUF, comp, sizeof(comp), &tmp, work) == MAPI_LZ77_OK;
    }
    printf("%-8s  32768 -> %5zu bytes  ratio %5.3f  %s  compress %7.1f MB/s  decompress %7.1f MB/s\n",
           name, clen, (double)clen / BUF, sent_compressed ? "sent compressed  " : "sent uncompressed",
           BUF / ctime / 1e6, BUF / dtime / 1e6);
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    void *work = malloc(MAPI_LZ77_WORK_SIZE);
    if (!work || secs <= 0)
        return 1;
    printf("LZ77+DIRECT2 on 32 KB buffers (%.1f s per case)\n", secs);
    run_case("rows", fill_rows, secs, work);
    run_case("text", fill_text, secs, work);
    run_case("random", fill_random, secs, work);
    free(work);
    return 0;
}
