/*
 * fuzz_emsmdb_execute.c - the execute request body ([MS-OXCMAPIHTTP] 2.2.4.2.1).
 * Whatever decodes must encode back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_emsmdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mapi_execute_req_t r;
    mapi_wr_t wr;
    if (mapi_execute_req_decode(data, size, &r) != MAPI_EMSMDB_OK)
        return 0;
    mapi_wr_init(&wr, 0);
    if (mapi_execute_req_encode(&wr, &r) != MAPI_EMSMDB_OK || wr.len != size ||
        memcmp(wr.p, data, size) != 0)
        abort();
    mapi_wr_free(&wr);
    return 0;
}
