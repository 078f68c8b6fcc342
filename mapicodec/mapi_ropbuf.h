/*
 * mapi_ropbuf.h - ROP input/output buffer framing, [MS-OXCROPS] 2.2.1:
 *
 *   RopSize u16 (size of RopSize + RopsList) | RopsList | ServerObjectHandleTable (u32 x n)
 *
 * This is the payload inside an RPC_HEADER_EXT frame of Execute's RopBuffer.
 * Individual ROPs are not parsed here.
 */
#ifndef MAPI_ROPBUF_H
#define MAPI_ROPBUF_H

#include <stddef.h>
#include <stdint.h>

#include "mapi_buf.h"

typedef struct {
    const uint8_t *rops;      /* RopsList (points into the input) */
    size_t rops_len;
    const uint8_t *handles;   /* ServerObjectHandleTable, raw LE u32s */
    size_t handle_count;
} mapi_ropbuf_t;

/* [MS-OXCROPS] 2.2.1: split a ROP buffer. Returns MAPI_EC_SUCCESS or
 * MAPI_EC_RPC_FORMAT (RopSize < 2 or past the end, handle table not a
 * multiple of 4 bytes). */
uint32_t mapi_ropbuf_split(const uint8_t *p, size_t len, mapi_ropbuf_t *out);

/* Handle i of the table (i < handle_count). */
uint32_t mapi_ropbuf_handle(const mapi_ropbuf_t *rb, size_t i);

/* [MS-OXCROPS] 2.2.1: append RopSize + RopsList + handle table to wr.
 * Returns MAPI_EC_SUCCESS, MAPI_EC_RPC_FORMAT (RopsList too long for the
 * 16-bit RopSize) or MAPI_EC_OUT_OF_MEMORY. */
uint32_t mapi_ropbuf_build(mapi_wr_t *wr, const uint8_t *rops, size_t rops_len,
                           const uint32_t *handles, size_t handle_count);

#endif /* MAPI_ROPBUF_H */
