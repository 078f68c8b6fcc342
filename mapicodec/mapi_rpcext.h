/*
 * mapi_rpcext.h - RPC_HEADER_EXT framing of ROP and auxiliary buffers,
 * [MS-OXCRPC] 2.2.2.1, with XorMagic obfuscation (3.1.4.1.1.3) and
 * LZ77 compression (3.1.4.1.1.2, mapi_lz77.h).
 *
 *   Version u16 (MUST be 0) | Flags u16 | Size u16 | SizeActual u16 | payload[Size]
 *
 * A buffer is a chain of header+payload pairs; the last one has Flags.Last.
 */
#ifndef MAPI_RPCEXT_H
#define MAPI_RPCEXT_H

#include <stddef.h>
#include <stdint.h>

#include "mapi_buf.h"

#define MAPI_RPCEXT_HDR_SIZE 8u
#define MAPI_RPCEXT_VERSION 0x0000u
#define MAPI_RPCEXT_COMPRESSED 0x0001u
#define MAPI_RPCEXT_XORMAGIC 0x0002u
#define MAPI_RPCEXT_LAST 0x0004u
#define MAPI_RPCEXT_FLAGS_MASK 0x0007u
#define MAPI_RPCEXT_MAX_PAYLOAD 0x8000u   /* 32 KB, [MS-OXCRPC] 3.1.4.1.1 / 3.1.4.2.1 */
#define MAPI_XOR_MAGIC 0xA5u

/* Distinct failure codes so the glue can log exactly what was wrong. */
enum {
    MAPI_RPCEXT_OK = 0,
    MAPI_RPCEXT_E_EMPTY = -1,          /* no bytes at all where a header was required */
    MAPI_RPCEXT_E_SHORT_HEADER = -2,   /* fewer than 8 bytes left for a header */
    MAPI_RPCEXT_E_VERSION = -3,        /* Version != 0 */
    MAPI_RPCEXT_E_FLAGS = -4,          /* undefined bits in Flags */
    MAPI_RPCEXT_E_PAST_END = -5,       /* Size runs past the end of the buffer */
    MAPI_RPCEXT_E_SIZE_MISMATCH = -6,  /* not compressed but Size != SizeActual */
    MAPI_RPCEXT_E_NOT_SMALLER = -7,    /* compressed but Size >= SizeActual */
    MAPI_RPCEXT_E_TOO_LARGE = -8,      /* SizeActual (or an encoder payload) > 32 KB */
    MAPI_RPCEXT_E_DECOMPRESS = -9,     /* LZ77 stream invalid (see lz77_rc) */
    MAPI_RPCEXT_E_NO_LAST = -10,       /* buffer ended without a Last header */
    MAPI_RPCEXT_E_TRAILING = -11,      /* bytes after the Last payload */
    MAPI_RPCEXT_E_TOO_MANY = -12,      /* more frames than the caller allows */
    MAPI_RPCEXT_E_NOMEM = -13,
    MAPI_RPCEXT_E_ARG = -14,
    MAPI_RPCEXT_E_TOO_MUCH = -15       /* decoded payloads exceed the caller's total limit */
};

/* Default cap on the decoded size of one chain: compressed frames expand up
 * to ~1800x, so an unbounded decoder would let a small request allocate a
 * lot of memory. */
#define MAPI_RPCEXT_DEFAULT_MAX_TOTAL (4u * 1024u * 1024u)

typedef struct {
    uint16_t version, flags, size, size_actual;
} mapi_rpcext_hdr_t;

/* One decoded payload inside mapi_rpcext_chain_t.data. */
typedef struct {
    size_t off, len;     /* position in chain->data */
    uint16_t flags;      /* header flags as received */
    uint16_t wire_size;  /* Size field (bytes on the wire) */
} mapi_rpcext_frame_t;

typedef struct {
    uint8_t *data;                 /* all payloads, decoded, back to back (malloc'd) */
    size_t len;
    mapi_rpcext_frame_t *frames;   /* malloc'd, nframes entries */
    size_t nframes;
    size_t consumed;               /* input bytes used, headers included */
    int lz77_rc;                   /* MAPI_LZ77_* code when E_DECOMPRESS */
    size_t bad_frame;              /* index of the frame that failed */
} mapi_rpcext_chain_t;

/* Decoder options. */
#define MAPI_RPCEXT_ALLOW_TRAILING 0x1u  /* bytes after the Last payload are left for the caller */
#define MAPI_RPCEXT_SINGLE 0x2u          /* exactly one frame: Last must be set on the first */

/* [MS-OXCRPC] 2.2.2.1: parse and validate one 8-byte header. */
int mapi_rpcext_parse_header(const uint8_t *p, size_t len, mapi_rpcext_hdr_t *h);

/* [MS-OXCRPC] 2.2.2.1, 3.1.4.1.1.2, 3.1.4.1.1.3: walk a chain of headers,
 * un-XOR and decompress each payload, validate, and return the payloads.
 * max_frames = 0 means no limit; the decoded total is capped at
 * MAPI_RPCEXT_DEFAULT_MAX_TOTAL. On failure the chain is freed and zeroed
 * except lz77_rc/bad_frame. */
int mapi_rpcext_decode_chain(const uint8_t *in, size_t in_len, unsigned opts, size_t max_frames,
                             mapi_rpcext_chain_t *chain);
/* The same with an explicit cap on the total decoded size (0 = the default). */
int mapi_rpcext_decode_chain_limit(const uint8_t *in, size_t in_len, unsigned opts,
                                   size_t max_frames, size_t max_total, mapi_rpcext_chain_t *chain);
void mapi_rpcext_chain_free(mapi_rpcext_chain_t *chain);

/* Encoder options. */
#define MAPI_RPCEXT_ENC_COMPRESS 0x1u  /* compress when it makes the payload smaller */
#define MAPI_RPCEXT_ENC_XOR 0x2u       /* obfuscate with XorMagic */
#define MAPI_RPCEXT_ENC_LAST 0x4u      /* set Last on this frame */

/* [MS-OXCRPC] 2.2.2.1: append header + payload (<= 32 KB) to wr. */
int mapi_rpcext_encode(mapi_wr_t *wr, const uint8_t *payload, size_t len, unsigned opts);

/* Frames several payloads (e.g. ROP output buffers cut at ROP boundaries by
 * the caller) as one chained buffer, Last on the final one
 * ([MS-OXCRPC] 3.1.4.2.1, 4.3). opts: ENC_COMPRESS / ENC_XOR. */
typedef struct {
    const uint8_t *p;
    size_t len;
} mapi_iov_t;
int mapi_rpcext_encode_chain(mapi_wr_t *wr, const mapi_iov_t *payloads, size_t n, unsigned opts);

/* Cuts a byte stream into frames of at most max_payload (<= 32 KB) bytes
 * each, Last on the final one. An empty stream gives one empty frame. */
int mapi_rpcext_encode_split(mapi_wr_t *wr, const uint8_t *data, size_t len, size_t max_payload,
                             unsigned opts);

/* [MS-OXCRPC] 3.1.4.1.1.3: XOR every byte with 0xA5 (its own inverse). */
void mapi_xor_magic(uint8_t *p, size_t n);

const char *mapi_rpcext_strerror(int rc);

#endif /* MAPI_RPCEXT_H */
