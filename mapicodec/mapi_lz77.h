/*
 * mapi_lz77.h - LZ77 + DIRECT2 compression of RPC_HEADER_EXT payloads,
 * [MS-OXCRPC] 3.1.4.1.1.2 (3.1.4.1.1.2.1 LZ77, 3.1.4.1.1.2.2 DIRECT2).
 * The bit stream is the "plain LZ77" format of [MS-XCA] 2.3/2.4:
 *   32-bit LE bitmask, read MSB first: 0 = literal byte, 1 = match;
 *   a match is a 16-bit LE metadata word: distance-1 in the high 13 bits
 *   (window 8 KB), length-3 in the low 3 bits; b'111' extends the length
 *   with a shared nibble, then a byte, then a 16-bit value.
 *
 * Both functions work on caller buffers and never read or write outside
 * them, whatever the input.
 */
#ifndef MAPI_LZ77_H
#define MAPI_LZ77_H

#include <stddef.h>
#include <stdint.h>

enum {
    MAPI_LZ77_OK = 0,
    MAPI_LZ77_E_TRUNCATED = -1,   /* input ended before SizeActual bytes were produced */
    MAPI_LZ77_E_BAD_OFFSET = -2,  /* match distance reaches before the start of the output */
    MAPI_LZ77_E_OVERRUN = -3,     /* match length runs past SizeActual */
    MAPI_LZ77_E_BAD_LENGTH = -4,  /* 16-bit length extension too small to be valid */
    MAPI_LZ77_E_TRAILING = -5,    /* more input after the output was complete */
    MAPI_LZ77_NOT_SMALLER = -6,   /* encoder: output would not be smaller; send uncompressed */
    MAPI_LZ77_E_NOMEM = -7,
    MAPI_LZ77_E_ARG = -8
};

#define MAPI_LZ77_WINDOW 8192u

/* Decompress `in` into exactly `out_len` bytes ([MS-OXCRPC] 3.1.4.1.1.2).
 * Succeeds only if exactly out_len bytes are produced; at most one trailing
 * (end-of-stream) bitmask may follow. */
int mapi_lz77_decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len);

/* Compress with a hash-chain match finder over an 8 KB window (greedy,
 * deterministic). Writes at most out_cap bytes. Returns MAPI_LZ77_OK and
 * *out_len < in_len, or MAPI_LZ77_NOT_SMALLER when the result would not be
 * shorter than the input (or would not fit out_cap). */
int mapi_lz77_compress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                       size_t *out_len);

/* Same, with a reusable work area (for loops that compress many buffers);
 * the work area is MAPI_LZ77_WORK_SIZE bytes of any alignment-suitable memory. */
#define MAPI_LZ77_HASH_BITS 13
#define MAPI_LZ77_WORK_SIZE ((((size_t)1 << MAPI_LZ77_HASH_BITS) + MAPI_LZ77_WINDOW) * sizeof(int32_t))
int mapi_lz77_compress_work(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                            size_t *out_len, void *work);

/* The encoder without the "must be smaller" rule (for tests and tools):
 * MAPI_LZ77_NOT_SMALLER here means the output did not fit out_cap. */
int mapi_lz77_encode_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                         size_t *out_len, void *work);

const char *mapi_lz77_strerror(int rc);

#endif /* MAPI_LZ77_H */
