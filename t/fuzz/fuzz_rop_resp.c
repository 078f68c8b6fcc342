/*
 * fuzz_rop_resp.c - the client's ROP response decoder: byte 0 picks the
 * RopId of the request the response answers (for GetPropertiesSpecific and
 * Logon contexts), byte 1 the number of columns of a fixed column set; the
 * rest is decoded as responses with mapi_rop_decode_resp(). Whatever decodes
 * must encode, and encode stably after one more decode.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_rop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t cols[] = {0x0037001F, 0x0E080003, 0x67480014, 0x0FFF0102, 0x001A001E,
                                0x0E06000B, 0x8001101F, 0x00170000};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mapi_rop_req_t req;
    mapi_rop_resp_ctx_t ctx;
    mapi_arena_t a;
    mapi_rd_t rd;
    if (size < 2)
        return 0;
    memset(&req, 0, sizeof(req));
    req.rop_id = data[0];
    req.u.get_props_specific.tags.count = data[1] % 9;
    req.u.get_props_specific.tags.tags = (uint32_t *)(uintptr_t)cols;
    memset(&ctx, 0, sizeof(ctx));
    ctx.req = &req;
    ctx.cols = cols;
    ctx.ncols = data[1] % 9;
    mapi_arena_init(&a, 1u << 24);
    mapi_rd_init(&rd, data + 2, size - 2);
    while (mapi_rd_left(&rd) > 0) {
        mapi_rop_resp_t resp, again;
        mapi_wr_t w1, w2;
        mapi_rd_t r2;
        if (mapi_rop_decode_resp(&rd, &a, &ctx, &resp) != MAPI_OK)
            break;
        mapi_wr_init(&w1, 0);
        mapi_wr_init(&w2, 0);
        if (mapi_rop_encode_resp(&w1, NULL, &resp) != MAPI_OK)
            abort();
        mapi_rd_init(&r2, w1.p, w1.len);
        if (mapi_rop_decode_resp(&r2, &a, &ctx, &again) != MAPI_OK || r2.off != w1.len ||
            mapi_rop_encode_resp(&w2, NULL, &again) != MAPI_OK || w2.len != w1.len ||
            memcmp(w1.p, w2.p, w1.len) != 0)
            abort();
        mapi_wr_free(&w1);
        mapi_wr_free(&w2);
    }
    mapi_arena_clear(&a);
    return 0;
}
