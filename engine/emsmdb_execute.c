/*
 * emsmdb_execute.c - one Execute request ([MS-OXCMAPIHTTP] 2.2.4.2,
 * [MS-OXCRPC] 3.1.4.2): unframe the RopBuffer (RPC_HEADER_EXT, LZ77,
 * XorMagic), run the ROPs, frame the ROP output the way the client allows.
 */
#include "mapi_engine.h"

#include "mapi_emsmdb.h"
#include "mapi_rpcext.h"
#include "mapi_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The smallest MaxRopOut that can carry a header and an empty ROP buffer. */
#define MIN_ROP_OUT (MAPI_RPCEXT_HDR_SIZE + 2)

void mapi_execute_result_free(mapi_execute_result_t *res)
{
    free(res->rop_buffer);
    res->rop_buffer = NULL;
    res->rop_buffer_len = 0;
}

static void fail(mapi_execute_result_t *res, uint32_t ec, const char *why)
{
    res->error_code = ec;
    snprintf(res->why, sizeof(res->why), "%s", why);
}

void mapi_engine_execute(const mapi_engine_ctx_t *ctx, mapi_objtab_t *objs, const uint8_t *rop_buffer,
                         size_t rop_buffer_len, uint32_t flags, uint32_t max_rop_out,
                         mapi_execute_result_t *res)
{
    mapi_rpcext_chain_t chain;
    mapi_wr_t framed;
    size_t limit;
    unsigned opts = MAPI_RPCEXT_ENC_LAST;
    int rc;

    memset(res, 0, sizeof(*res));
    if (max_rop_out < MIN_ROP_OUT) {
        fail(res, MAPI_EC_BUFFER_TOO_SMALL, "MaxRopOut cannot hold any response");
        return;
    }
    /* We advertise no packed buffers: the request is one frame with Last. */
    rc = mapi_rpcext_decode_chain(rop_buffer, rop_buffer_len, MAPI_RPCEXT_SINGLE, 1, &chain);
    if (rc != MAPI_RPCEXT_OK) {
        char why[160];
        snprintf(why, sizeof(why), "RopBuffer: %s", mapi_rpcext_strerror(rc));
        fail(res, MAPI_EC_RPC_FORMAT, why);
        return;
    }
    /* One response frame of at most 32 KB, within MaxRopOut; with the Chain
     * flag, more frames while MaxRopOut has room ([MS-OXCRPC] 3.1.4.2.1.1). */
    limit = max_rop_out - MAPI_RPCEXT_HDR_SIZE;
    if (limit > MAPI_RPCEXT_MAX_PAYLOAD)
        limit = MAPI_RPCEXT_MAX_PAYLOAD;
    {
        mapi_wr_t outs[MAPI_MAX_CHAINED];
        size_t nouts = 0, i, extra = 0;
        for (i = 0; i < MAPI_MAX_CHAINED; i++)
            mapi_wr_init(&outs[i], MAPI_RPCEXT_MAX_PAYLOAD);
        if ((flags & MAPI_EXEC_CHAIN) && max_rop_out > MAPI_RPCEXT_HDR_SIZE + limit)
            extra = max_rop_out - MAPI_RPCEXT_HDR_SIZE - limit;
        res->error_code =
            mapi_rops_process(ctx, objs, chain.data, chain.len, limit, extra, outs, &nouts, res);
        mapi_rpcext_chain_free(&chain);
        if (!(flags & MAPI_EXEC_NO_COMPRESSION))
            opts |= MAPI_RPCEXT_ENC_COMPRESS;
        if (!(flags & MAPI_EXEC_NO_XORMAGIC))
            opts |= MAPI_RPCEXT_ENC_XOR;
        mapi_wr_init(&framed, 0);
        rc = MAPI_RPCEXT_OK;
        for (i = 0; res->error_code == MAPI_EC_SUCCESS && i < nouts && rc == MAPI_RPCEXT_OK; i++)
            rc = mapi_rpcext_encode(&framed, outs[i].p, outs[i].len,
                                    (opts & ~MAPI_RPCEXT_ENC_LAST) | (i + 1 == nouts ? MAPI_RPCEXT_ENC_LAST : 0));
        for (i = 0; i < MAPI_MAX_CHAINED; i++)
            mapi_wr_free(&outs[i]);
        if (res->error_code != MAPI_EC_SUCCESS) {
            mapi_wr_free(&framed);
            return;
        }
        res->frames_out = nouts;
    }
    if (rc != MAPI_RPCEXT_OK) {
        mapi_wr_free(&framed);
        fail(res, MAPI_EC_GENERAL_FAILURE, mapi_rpcext_strerror(rc));
        return;
    }
    res->rop_buffer = mapi_wr_steal(&framed, &res->rop_buffer_len);
}
