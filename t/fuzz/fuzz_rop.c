/*
 * fuzz_rop.c - the server's ROP request decoder ([MS-OXCROPS] 2.2): decode
 * a RopsList one request at a time with mapi_rop_decode_next(); every
 * decoded request must re-encode, and the re-encoded bytes must decode and
 * encode again to the very same bytes. Odd LogonIds are treated as
 * public-folder logons so both layouts of the logon-dependent ROPs run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_rop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_stable(const mapi_rop_ctx_t *ctx, const mapi_rop_req_t *req)
{
    mapi_arena_t a;
    mapi_wr_t w1, w2;
    mapi_rd_t rd;
    mapi_rop_req_t again;
    mapi_wr_init(&w1, 0);
    mapi_wr_init(&w2, 0);
    mapi_arena_init(&a, 1u << 24);
    if (mapi_rop_encode_req(&w1, ctx, req) != MAPI_OK)
        abort(); /* whatever decodes must encode */
    mapi_rd_init(&rd, w1.p, w1.len);
    if (mapi_rop_decode_next(&rd, &a, ctx, &again) != MAPI_OK || rd.off != w1.len)
        abort();
    if (mapi_rop_encode_req(&w2, ctx, &again) != MAPI_OK || w2.len != w1.len ||
        memcmp(w1.p, w2.p, w1.len) != 0)
        abort();
    mapi_arena_clear(&a);
    mapi_wr_free(&w1);
    mapi_wr_free(&w2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mapi_rop_ctx_t ctx;
    mapi_arena_t a;
    mapi_rd_t rd;
    int i;
    memset(&ctx, 0, sizeof(ctx));
    for (i = 1; i < 256; i += 2)
        mapi_rop_ctx_set_public(&ctx, (uint8_t)i, 1);
    mapi_arena_init(&a, 1u << 24);
    mapi_rd_init(&rd, data, size);
    while (mapi_rd_left(&rd) > 0) {
        mapi_rop_req_t req;
        size_t start = rd.off;
        int st = mapi_rop_decode_next(&rd, &a, &ctx, &req);
        if (st != MAPI_OK)
            break;
        if (rd.off <= start)
            abort(); /* progress on every request */
        check_stable(&ctx, &req);
    }
    mapi_arena_clear(&a);
    return 0;
}
