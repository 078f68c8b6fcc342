/* mapi_ropbuf.c - ROP buffer framing, [MS-OXCROPS] 2.2.1. */
#include "mapi_ropbuf.h"
#include "mapi_status.h"

#include <string.h>

/* [MS-OXCROPS] 2.2.1 */
uint32_t mapi_ropbuf_split(const uint8_t *p, size_t len, mapi_ropbuf_t *out)
{
    uint16_t rop_size;
    memset(out, 0, sizeof(*out));
    if (!p || len < 2)
        return MAPI_EC_RPC_FORMAT;
    rop_size = mapi_le16(p);
    if (rop_size < 2 || rop_size > len || (len - rop_size) % 4 != 0)
        return MAPI_EC_RPC_FORMAT;
    out->rops = p + 2;
    out->rops_len = (size_t)rop_size - 2;
    out->handles = p + rop_size;
    out->handle_count = (len - rop_size) / 4;
    return MAPI_EC_SUCCESS;
}

uint32_t mapi_ropbuf_handle(const mapi_ropbuf_t *rb, size_t i)
{
    return i < rb->handle_count ? mapi_le32(rb->handles + 4 * i) : 0xFFFFFFFFu;
}

/* [MS-OXCROPS] 2.2.1, 3.2.5.2 (building the output buffer) */
uint32_t mapi_ropbuf_build(mapi_wr_t *wr, const uint8_t *rops, size_t rops_len,
                           const uint32_t *handles, size_t handle_count)
{
    size_t i;
    if (rops_len > 0xFFFFu - 2 || (!rops && rops_len) || (!handles && handle_count))
        return MAPI_EC_RPC_FORMAT;
    mapi_wr_u16(wr, (uint16_t)(rops_len + 2));
    mapi_wr_bytes(wr, rops, rops_len);
    for (i = 0; i < handle_count; i++)
        mapi_wr_u32(wr, handles[i]);
    return mapi_wr_ok(wr) ? MAPI_EC_SUCCESS : MAPI_EC_OUT_OF_MEMORY;
}
