/*
 * rop_dispatch.c - the ROP loop ([MS-OXCROPS] 3.2.5.1 processing the ROP
 * input buffer, 3.2.5.2 building the ROP output buffer): ROPs are read and
 * answered in order; handle indexes refer to the ServerObjectHandleTable,
 * which comes back in the same order.
 */
#include "mapi_engine.h"

#include "mapi_ropbuf.h"
#include "mapi_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROP_RELEASE 0x01
#define HANDLE_NONE 0xFFFFFFFFu

static void note_rop(mapi_execute_result_t *res, const char *name)
{
    size_t used = strlen(res->rop_names);
    if (used + strlen(name) + 2 < sizeof(res->rop_names))
        snprintf(res->rop_names + used, sizeof(res->rop_names) - used, "%s%s", used ? "," : "", name);
    res->rops_in++;
}

/* RopRelease ([MS-OXCROPS] 2.2.15.3): RopId, LogonId, InputHandleIndex; no
 * response. An index outside the table is ignored, as there is nothing to
 * answer with. */
static int rop_release(mapi_objtab_t *objs, mapi_rd_t *rd, uint32_t *handles, size_t nh)
{
    uint8_t idx;
    mapi_rd_u8(rd); /* RopId */
    mapi_rd_u8(rd); /* LogonId */
    idx = mapi_rd_u8(rd);
    if (!mapi_rd_ok(rd))
        return -1;
    if (idx < nh && handles[idx] != HANDLE_NONE) {
        mapi_objtab_release(objs, handles[idx]);
        handles[idx] = HANDLE_NONE;
    }
    return 0;
}

uint32_t mapi_rops_process(const mapi_engine_ctx_t *ctx, mapi_objtab_t *objs, const uint8_t *in, size_t in_len,
                           size_t max_out, mapi_wr_t *out, mapi_execute_result_t *res)
{
    mapi_ropbuf_t rb;
    mapi_rd_t rd;
    mapi_wr_t resp;
    uint32_t *handles, ec;
    size_t i;

    ec = mapi_ropbuf_split(in, in_len, &rb);
    if (ec != MAPI_EC_SUCCESS) {
        snprintf(res->why, sizeof(res->why), "ROP input buffer: RopSize or handle table malformed");
        return ec;
    }
    handles = calloc(rb.handle_count ? rb.handle_count : 1, sizeof(*handles));
    if (!handles)
        return MAPI_EC_OUT_OF_MEMORY;
    for (i = 0; i < rb.handle_count; i++)
        handles[i] = mapi_ropbuf_handle(&rb, i);
    mapi_wr_init(&resp, 0);
    mapi_rd_init(&rd, rb.rops, rb.rops_len);
    ec = MAPI_EC_SUCCESS;
    while (mapi_rd_left(&rd) > 0) {
        uint8_t rop_id = rd.p[rd.off];
        if (ctx->progress)
            ctx->progress(ctx->progress_arg);
        if (rop_id == ROP_RELEASE) {
            if (rop_release(objs, &rd, handles, rb.handle_count) != 0) {
                snprintf(res->why, sizeof(res->why), "RopRelease truncated");
                ec = MAPI_EC_RPC_FORMAT;
                break;
            }
            note_rop(res, "Release");
            continue;
        }
        snprintf(res->why, sizeof(res->why), "RopId 0x%02X at offset %zu is not served", rop_id, rd.off);
        ec = MAPI_EC_RPC_FORMAT;
        break;
    }
    if (ec == MAPI_EC_SUCCESS) {
        if (resp.len + 2 + 4 * rb.handle_count > max_out) {
            snprintf(res->why, sizeof(res->why), "ROP output (%zu bytes) over MaxRopOut", resp.len);
            ec = MAPI_EC_BUFFER_TOO_SMALL;
        } else {
            ec = mapi_ropbuf_build(out, resp.p, resp.len, handles, rb.handle_count);
        }
    }
    mapi_wr_free(&resp);
    free(handles);
    return ec;
}
