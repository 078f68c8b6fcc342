/*
 * fuzz_emsmdb_rsp.c - the EMSMDB response decoders the test client uses
 * ([MS-OXCMAPIHTTP] 2.2.4.x.2/.3). Input: byte 0 = response type (mod 4:
 * Connect, Execute, Disconnect, NotificationWait), then the body. Whatever
 * decodes is encoded and must decode again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_emsmdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void connect_rsp(const uint8_t *p, size_t n)
{
    mapi_connect_rsp_t r, r2;
    mapi_wr_t wr;
    if (mapi_connect_rsp_decode(p, n, &r) != MAPI_EMSMDB_OK)
        return;
    mapi_wr_init(&wr, 0);
    if (mapi_connect_rsp_encode(&wr, &r) != MAPI_EMSMDB_OK ||
        mapi_connect_rsp_decode(wr.p, wr.len, &r2) != MAPI_EMSMDB_OK ||
        r2.status_code != r.status_code || r2.aux.len != r.aux.len)
        abort();
    mapi_connect_rsp_free(&r2);
    mapi_connect_rsp_free(&r);
    mapi_wr_free(&wr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mapi_wr_t wr;
    int rc = MAPI_EMSMDB_E_ARG;
    if (size < 1)
        return 0;
    mapi_wr_init(&wr, 0);
    switch (data[0] & 3) {
    case 0:
        connect_rsp(data + 1, size - 1);
        break;
    case 1: {
        mapi_execute_rsp_t r;
        if (mapi_execute_rsp_decode(data + 1, size - 1, &r) == MAPI_EMSMDB_OK)
            rc = mapi_execute_rsp_encode(&wr, &r);
        break;
    }
    case 2: {
        mapi_disconnect_rsp_t r;
        if (mapi_disconnect_rsp_decode(data + 1, size - 1, &r) == MAPI_EMSMDB_OK)
            rc = mapi_disconnect_rsp_encode(&wr, &r);
        break;
    }
    default: {
        mapi_notifwait_rsp_t r;
        if (mapi_notifwait_rsp_decode(data + 1, size - 1, &r) == MAPI_EMSMDB_OK)
            rc = mapi_notifwait_rsp_encode(&wr, &r);
        break;
    }
    }
    /* fixed layouts re-encode to the identical body */
    if (rc == MAPI_EMSMDB_OK && (wr.len != size - 1 || memcmp(wr.p, data + 1, size - 1) != 0))
        abort();
    mapi_wr_free(&wr);
    return 0;
}
