/*
 * mapi_buf.h - bounds-checked little-endian readers and growable writers,
 * the base of every codec in libmapicodec. All integers on the MAPI/HTTP wire
 * are little-endian ([MS-OXCMAPIHTTP] 2.2, [MS-OXCDATA] 2.11).
 *
 * A reader never reads past its end: once a read fails, `err` stays set and
 * later reads return zero/NULL, so decoders can read a whole structure and
 * check `mapi_rd_ok()` once at the end.
 */
#ifndef MAPI_BUF_H
#define MAPI_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *p;   /* start of the buffer */
    size_t len;         /* total length */
    size_t off;         /* read position */
    int err;            /* sticky: a read ran past the end or met bad data */
} mapi_rd_t;

void mapi_rd_init(mapi_rd_t *rd, const void *p, size_t len);
static inline size_t mapi_rd_left(const mapi_rd_t *rd) { return rd->err ? 0 : rd->len - rd->off; }
static inline int mapi_rd_ok(const mapi_rd_t *rd) { return !rd->err; }
uint8_t mapi_rd_u8(mapi_rd_t *rd);
uint16_t mapi_rd_u16(mapi_rd_t *rd);
uint32_t mapi_rd_u32(mapi_rd_t *rd);
uint64_t mapi_rd_u64(mapi_rd_t *rd);
/* Returns a pointer into the buffer for n bytes, or NULL (and sets err). */
const uint8_t *mapi_rd_bytes(mapi_rd_t *rd, size_t n);
/* NUL-terminated 8-bit string: returns pointer into buffer, *n = length
 * without the NUL; NULL and err when no NUL before the end. */
const char *mapi_rd_asciiz(mapi_rd_t *rd, size_t *n);
/* NUL-terminated UTF-16LE string (2-byte NUL, even length): pointer to the
 * first code unit, *units = number of code units without the NUL. */
const uint8_t *mapi_rd_utf16z(mapi_rd_t *rd, size_t *units);
void mapi_rd_skip(mapi_rd_t *rd, size_t n);
/* Mark the reader failed (bad value found by the caller). */
static inline void mapi_rd_fail(mapi_rd_t *rd) { rd->err = 1; }

typedef struct {
    uint8_t *p;
    size_t len;
    size_t cap;
    size_t limit;   /* 0 = unlimited; writes that would exceed it fail */
    int err;        /* sticky: allocation failure or limit exceeded */
} mapi_wr_t;

void mapi_wr_init(mapi_wr_t *wr, size_t limit);
void mapi_wr_free(mapi_wr_t *wr);
static inline int mapi_wr_ok(const mapi_wr_t *wr) { return !wr->err; }
/* Make room for n more bytes; returns a pointer to them (len advanced) or NULL. */
uint8_t *mapi_wr_reserve(mapi_wr_t *wr, size_t n);
void mapi_wr_u8(mapi_wr_t *wr, uint8_t v);
void mapi_wr_u16(mapi_wr_t *wr, uint16_t v);
void mapi_wr_u32(mapi_wr_t *wr, uint32_t v);
void mapi_wr_u64(mapi_wr_t *wr, uint64_t v);
void mapi_wr_bytes(mapi_wr_t *wr, const void *p, size_t n);
/* Writes the string and its NUL. */
void mapi_wr_asciiz(mapi_wr_t *wr, const char *s);
/* Converts UTF-8 to UTF-16LE and writes it with a 2-byte NUL; invalid
 * UTF-8 sequences become U+FFFD. */
void mapi_wr_utf16z_from_utf8(mapi_wr_t *wr, const char *s);
/* Patch a little-endian value at an earlier offset (for size fields). */
void mapi_wr_put_u16_at(mapi_wr_t *wr, size_t off, uint16_t v);
void mapi_wr_put_u32_at(mapi_wr_t *wr, size_t off, uint32_t v);
/* Hand the buffer to the caller (who frees it with free()); resets wr. */
uint8_t *mapi_wr_steal(mapi_wr_t *wr, size_t *len);

/* Little-endian helpers for code that works on raw bytes. */
static inline uint16_t mapi_le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t mapi_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline void mapi_put_le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void mapi_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* UTF-16LE (n code units) to a malloc'd UTF-8 string; unpaired surrogates
 * become U+FFFD. Returns NULL only on allocation failure. */
char *mapi_utf16le_to_utf8(const uint8_t *p, size_t units);

#endif /* MAPI_BUF_H */
