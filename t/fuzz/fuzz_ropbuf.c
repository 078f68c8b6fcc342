/*
 * fuzz_ropbuf.c - ROP buffer framing ([MS-OXCROPS] 2.2.1). What splits must
 * build back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_ropbuf.h"
#include "mapi_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mapi_ropbuf_t rb;
    uint32_t *h;
    mapi_wr_t wr;
    size_t i;
    if (mapi_ropbuf_split(data, size, &rb) != MAPI_EC_SUCCESS)
        return 0;
    h = malloc((rb.handle_count ? rb.handle_count : 1) * sizeof(*h));
    if (!h)
        abort();
    for (i = 0; i < rb.handle_count; i++)
        h[i] = mapi_ropbuf_handle(&rb, i);
    mapi_wr_init(&wr, 0);
    if (mapi_ropbuf_build(&wr, rb.rops, rb.rops_len, h, rb.handle_count) != MAPI_EC_SUCCESS ||
        wr.len != size || memcmp(wr.p, data, size) != 0)
        abort();
    mapi_wr_free(&wr);
    free(h);
    return 0;
}
