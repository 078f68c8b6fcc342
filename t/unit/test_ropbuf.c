/* test_ropbuf.c - ROP input/output buffer framing ([MS-OXCROPS] 2.2.1). */
#include "mapi_ropbuf.h"
#include "mapi_status.h"
#include "tap.h"

#include <string.h>

int main(void)
{
    /* [MS-OXCROPS] 4.4: two RopRelease and a 2-entry handle table */
    static const uint8_t ex[] = {0x08, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
                                 0x6F, 0x00, 0x00, 0x00, 0x6E, 0x00, 0x00, 0x00};
    static const uint8_t rops[] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x01};
    const uint32_t handles[] = {0x6F, 0x6E};
    mapi_ropbuf_t rb;
    mapi_wr_t wr;
    uint8_t buf[32];

    is_int(mapi_ropbuf_split(ex, sizeof(ex), &rb), MAPI_EC_SUCCESS, "spec example splits");
    is_mem(rb.rops, rb.rops_len, rops, sizeof(rops), "RopsList is 6 bytes");
    is_int(rb.handle_count, 2, "two handles");
    ok(mapi_ropbuf_handle(&rb, 0) == 0x6F && mapi_ropbuf_handle(&rb, 1) == 0x6E, "handle values");
    is_int(mapi_ropbuf_handle(&rb, 2), 0xFFFFFFFFu, "out-of-range index gives 0xFFFFFFFF");

    mapi_wr_init(&wr, 0);
    is_int(mapi_ropbuf_build(&wr, rops, sizeof(rops), handles, 2), MAPI_EC_SUCCESS, "build");
    is_mem(wr.p, wr.len, ex, sizeof(ex), "build reproduces the example byte for byte");
    mapi_wr_free(&wr);
    mapi_wr_init(&wr, 0);
    is_int(mapi_ropbuf_build(&wr, NULL, 0, NULL, 0), MAPI_EC_SUCCESS, "empty buffer builds");
    ok(wr.len == 2 && mapi_le16(wr.p) == 2, "empty buffer is RopSize 2");
    is_int(mapi_ropbuf_split(wr.p, wr.len, &rb), MAPI_EC_SUCCESS, "RopSize 2, no handles splits");
    ok(rb.rops_len == 0 && rb.handle_count == 0, "nothing inside");
    mapi_wr_free(&wr);
    mapi_wr_init(&wr, 0);
    is_int(mapi_ropbuf_build(&wr, ex, 0xFFFE, NULL, 0), MAPI_EC_RPC_FORMAT,
           "RopsList too long for RopSize refused");
    mapi_wr_free(&wr);

    is_int(mapi_ropbuf_split(ex, 0, &rb), MAPI_EC_RPC_FORMAT, "empty input");
    is_int(mapi_ropbuf_split(ex, 1, &rb), MAPI_EC_RPC_FORMAT, "1 byte");
    is_int(mapi_ropbuf_split(ex, 7, &rb), MAPI_EC_RPC_FORMAT, "RopSize past the end");
    is_int(mapi_ropbuf_split(ex, 15, &rb), MAPI_EC_RPC_FORMAT, "handle table not a multiple of 4");
    memcpy(buf, ex, sizeof(ex));
    buf[0] = 1;
    is_int(mapi_ropbuf_split(buf, sizeof(ex), &rb), MAPI_EC_RPC_FORMAT, "RopSize 1");
    buf[0] = 0;
    is_int(mapi_ropbuf_split(buf, sizeof(ex), &rb), MAPI_EC_RPC_FORMAT, "RopSize 0");
    buf[0] = 0x10;
    is_int(mapi_ropbuf_split(buf, sizeof(ex), &rb), MAPI_EC_SUCCESS, "RopSize = whole buffer");
    is_int(rb.handle_count, 0, "no handle table");
    ok(rb.rops == NULL || rb.rops_len == 14, "RopsList covers the rest");
    is_int(mapi_ropbuf_split(NULL, 4, &rb), MAPI_EC_RPC_FORMAT, "NULL input");
    return done_testing();
}
