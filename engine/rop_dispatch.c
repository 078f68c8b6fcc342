/*
 * rop_dispatch.c - the ROP loop ([MS-OXCROPS] 3.2.5.1 processing the ROP
 * input buffer, 3.2.5.2 building the ROP output buffer). ROPs are decoded
 * one at a time (libmapicodec), run by the area handler for their RopId and
 * answered in order; handle indexes refer to the ServerObjectHandleTable,
 * which comes back in the same order. A ROP that fails answers with its
 * ReturnValue and the rest still run. When the answers would not fit in
 * the client's buffer, RopBufferTooSmall ends the list (2.2.15.1) with the
 * requests not yet answered.
 */
#include "rop_engine.h"

#include "mapi_ropbuf.h"
#include "mapi_rpcext.h"

#define MAPI_RPCEXT_FRAME_HDR MAPI_RPCEXT_HDR_SIZE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The size of RopBufferTooSmall's fixed part: RopId, SizeNeeded u16. */
#define BTS_HEADER 3

static const rop_entry_t *const *area_tables(void)
{
    static const rop_entry_t *tables[10];
    size_t n = 0;
    if (tables[0] == NULL) {
        if (rop_logon_entries) tables[n++] = rop_logon_entries;
        if (rop_folder_entries) tables[n++] = rop_folder_entries;
        if (rop_table_entries) tables[n++] = rop_table_entries;
        if (rop_message_entries) tables[n++] = rop_message_entries;
        if (rop_property_entries) tables[n++] = rop_property_entries;
        if (rop_stream_entries) tables[n++] = rop_stream_entries;
        if (rop_notify_entries) tables[n++] = rop_notify_entries;
        if (rop_submit_entries) tables[n++] = rop_submit_entries;
        if (rop_rules_entries) tables[n++] = rop_rules_entries;
        tables[n] = NULL;
    }
    return tables;
}

static rop_handler_t handler_for(uint8_t rop_id)
{
    const rop_entry_t *const *t;
    const rop_entry_t *e;
    for (t = area_tables(); *t; t++)
        for (e = *t; e->fn; e++)
            if (e->rop_id == rop_id)
                return e->fn;
    return NULL;
}

mapi_obj_t *rop_obj(rop_ctx_t *c, uint8_t idx, uint32_t *ec)
{
    mapi_obj_t *o = NULL;
    if (idx < c->nh && c->handles[idx] != ROP_HANDLE_NONE)
        o = mapi_objtab_find(c->objs, c->handles[idx]);
    *ec = o ? MAPI_EC_SUCCESS : MAPI_EC_NULL_OBJECT;
    return o;
}

mapi_obj_t *rop_obj_of(rop_ctx_t *c, uint8_t idx, unsigned mask, uint32_t *ec)
{
    mapi_obj_t *o = rop_obj(c, idx, ec);
    if (o && !(mask & ROP_T(o->type))) {
        *ec = MAPI_EC_NOT_SUPPORTED;
        return NULL;
    }
    return o;
}

mapi_obj_t *rop_new_obj(rop_ctx_t *c, uint8_t out_idx, uint8_t type, uint8_t logon_id, uint32_t *ec)
{
    mapi_obj_t *o;
    if (out_idx >= c->nh) {
        *ec = MAPI_EC_NULL_OBJECT;
        return NULL;
    }
    o = mapi_objtab_add(c->objs, type, logon_id);
    if (!o) {
        *ec = MAPI_EC_SERVER_OOM; /* too many open objects in this session */
        return NULL;
    }
    c->handles[out_idx] = o->handle;
    *ec = MAPI_EC_SUCCESS;
    return o;
}

int rop_obj_set_data(mapi_obj_t *o, mapi_wr_t *wr)
{
    size_t len;
    uint8_t *p;
    if (!mapi_wr_ok(wr)) {
        mapi_wr_free(wr);
        return -1;
    }
    p = mapi_wr_steal(wr, &len);
    free(o->data);
    o->data = p;
    o->data_len = (uint32_t)len;
    return 0;
}

ms_mailbox_t *rop_mailbox(rop_ctx_t *c, uint32_t *ec)
{
    ms_err_t rc;
    *ec = MAPI_EC_SUCCESS;
    if (c->mbx)
        return c->mbx;
    if (!c->ectx->store) {
        *ec = MAPI_EC_UNKNOWN_USER;
        return NULL;
    }
    rc = ms_mailbox_open(c->ectx->store, MS_LOOKUP_GUID, c->ectx->mailbox, &c->mbx);
    if (rc != MS_OK) {
        *ec = rop_ec(rc);
        c->mbx = NULL;
    }
    return c->mbx;
}

static void note_rop(mapi_execute_result_t *res, uint8_t rop_id)
{
    const char *name = mapi_rop_name(rop_id);
    size_t used = strlen(res->rop_names);
    if (name && strncmp(name, "Rop", 3) == 0)
        name += 3;
    if (used + (name ? strlen(name) : 4) + 2 < sizeof(res->rop_names))
        snprintf(res->rop_names + used, sizeof(res->rop_names) - used, "%s%s", used ? "," : "",
                 name ? name : "?");
    res->rops_in++;
}

/* Runs one decoded ROP; appends its response (if it has one) to resp_wr and
 * leaves it in *out_resp (arena memory) for the caller to inspect. */
static void run_rop(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_wr_t *resp_wr, mapi_rop_resp_t *out_resp)
{
    mapi_rop_resp_t resp;
    rop_handler_t fn;
    uint32_t ec;
    int creates = mapi_rop_creates_object(req->rop_id);

    memset(out_resp, 0, sizeof(*out_resp));
    out_resp->rop_id = req->rop_id;
    if (req->rop_id == ROP_RELEASE) { /* 2.2.15.3: no response */
        if (req->in_idx < c->nh && c->handles[req->in_idx] != ROP_HANDLE_NONE) {
            mapi_objtab_release(c->objs, c->handles[req->in_idx]);
            c->handles[req->in_idx] = ROP_HANDLE_NONE;
        }
        return;
    }
    memset(&resp, 0, sizeof(resp));
    mapi_rop_error_resp(req, MAPI_EC_SUCCESS, &resp);
    fn = handler_for(req->rop_id);
    ec = fn ? fn(c, req, &resp) : MAPI_EC_NOT_SUPPORTED;
    if (ec != MAPI_EC_SUCCESS) {
        int keep = resp.ret == ec && fn != NULL; /* a handler that filled an error body (redirect) */
        if (!keep) {
            memset(&resp, 0, sizeof(resp));
            mapi_rop_error_resp(req, ec, &resp);
        }
        resp.ret = ec;
        if (creates && req->out_idx < c->nh && !keep)
            c->handles[req->out_idx] = ROP_HANDLE_NONE;
    }
    *out_resp = resp;
    if (mapi_rop_encode_resp(resp_wr, &c->ropctx, &resp) != 0) {
        /* a response the codec refuses is a server bug: answer the ROP with an error */
        mapi_rop_resp_t err;
        memset(&err, 0, sizeof(err));
        mapi_rop_error_resp(req, MAPI_EC_GENERAL_FAILURE, &err);
        mapi_rop_encode_resp(resp_wr, &c->ropctx, &err);
    }
}

/* Room one more QueryRows/ReadStream answer may take: the table engine fills
 * at most 0x7000 bytes of rows; ReadStream is asked for at most this much. */
#define CHAIN_PIECE 0x7000u
#define CHAIN_OVERHEAD 64u

/* [MS-OXCRPC] 3.1.4.2.1.1: after the list, repeat a trailing QueryRows or
 * ReadStream that had more to give into further ROP output buffers. */
static void chain_more(rop_ctx_t *c, const mapi_rop_req_t *last, const mapi_rop_resp_t *first, size_t room,
                       mapi_wr_t *outs, size_t *nouts)
{
    mapi_rop_req_t req = *last;
    mapi_rop_resp_t resp = *first;
    size_t table_bytes = 2 + 4 * c->nh;

    for (;;) {
        mapi_wr_t rops;
        size_t got;
        if (resp.ret != MAPI_EC_SUCCESS || *nouts >= MAPI_MAX_CHAINED)
            return;
        if (req.rop_id == ROP_QUERY_ROWS) {
            got = resp.u.query_rows.count;
            if (got == 0 || got >= req.u.query_rows.count || resp.u.query_rows.origin == 0x02)
                return; /* all asked for, or the cursor is at the end (BOOKMARK_END) */
            req.u.query_rows.count = (uint16_t)(req.u.query_rows.count - got);
        } else {
            got = resp.u.read_stream.data.len;
            if (got == 0 || got >= req.u.read_stream.byte_count)
                return;
            req.u.read_stream.byte_count = (uint16_t)(req.u.read_stream.byte_count - got);
            if (req.u.read_stream.byte_count > CHAIN_PIECE)
                req.u.read_stream.byte_count = CHAIN_PIECE;
        }
        /* run it only when its answer surely fits: rows read are never dropped */
        if (room < MAPI_RPCEXT_FRAME_HDR + CHAIN_PIECE + CHAIN_OVERHEAD + table_bytes)
            return;
        mapi_wr_init(&rops, 0);
        run_rop(c, &req, &rops, &resp);
        if (!mapi_wr_ok(&rops) || resp.ret != MAPI_EC_SUCCESS ||
            mapi_ropbuf_build(&outs[*nouts], rops.p, rops.len, c->handles, c->nh) != MAPI_EC_SUCCESS) {
            mapi_wr_free(&rops);
            return;
        }
        room -= MAPI_RPCEXT_FRAME_HDR + outs[*nouts].len;
        (*nouts)++;
        mapi_wr_free(&rops);
    }
}

uint32_t mapi_rops_process(const mapi_engine_ctx_t *ctx, mapi_objtab_t *objs, const uint8_t *in, size_t in_len,
                           size_t max_out, size_t max_extra, mapi_wr_t *outs, size_t *nouts,
                           mapi_execute_result_t *res)
{
    mapi_ropbuf_t rb;
    mapi_rd_t rd;
    mapi_wr_t resp;
    mapi_arena_t arena;
    mapi_rop_req_t last_req;
    mapi_rop_resp_t last_resp;
    rop_ctx_t c;
    uint32_t ec;
    size_t i, table_bytes;
    int chainable = 0;

    *nouts = 0;
    ec = mapi_ropbuf_split(in, in_len, &rb);
    if (ec != MAPI_EC_SUCCESS) {
        snprintf(res->why, sizeof(res->why), "ROP input buffer: RopSize or handle table malformed");
        return ec;
    }
    memset(&c, 0, sizeof(c));
    c.ectx = ctx;
    c.objs = objs;
    c.res = res;
    c.nh = rb.handle_count;
    c.handles = calloc(c.nh ? c.nh : 1, sizeof(*c.handles));
    if (!c.handles)
        return MAPI_EC_OUT_OF_MEMORY;
    for (i = 0; i < c.nh; i++)
        c.handles[i] = mapi_ropbuf_handle(&rb, i);
    table_bytes = 2 + 4 * c.nh;
    mapi_arena_init(&arena, 64u << 20);
    c.arena = &arena;
    mapi_wr_init(&resp, 0);
    mapi_rd_init(&rd, rb.rops, rb.rops_len);
    ec = MAPI_EC_SUCCESS;
    while (mapi_rd_left(&rd) > 0) {
        mapi_rop_req_t req;
        size_t start = rd.off, before = resp.len;
        int st;
        memset(&req, 0, sizeof(req));
        st = mapi_rop_decode_next(&rd, &arena, &c.ropctx, &req);
        if (st != 0) {
            snprintf(res->why, sizeof(res->why), "ROP 0x%02X at offset %zu: %s", rb.rops[start], start,
                     mapi_codec_strerror(st));
            ec = MAPI_EC_RPC_FORMAT; /* the rest of the list cannot be parsed (3.2.5.1) */
            break;
        }
        note_rop(res, req.rop_id);
        if (ctx->progress)
            ctx->progress(ctx->progress_arg);
        run_rop(&c, &req, &resp, &last_resp);
        last_req = req;
        chainable = req.rop_id == ROP_QUERY_ROWS || req.rop_id == ROP_READ_STREAM;
        if (resp.len + table_bytes > max_out) {
            /* 2.2.15.1: drop this answer, tell the size needed, hand back the requests */
            size_t need = (resp.len - before) + table_bytes + BTS_HEADER + (rb.rops_len - start);
            resp.len = before;
            mapi_rop_encode_buffer_too_small(&resp, (uint16_t)(need > 0xFFFF ? 0xFFFF : need), rb.rops + start,
                                             rb.rops_len - start);
            chainable = 0;
            break;
        }
    }
    if (ec == MAPI_EC_SUCCESS && mapi_wr_ok(&resp))
        ec = mapi_ropbuf_build(&outs[0], resp.p, resp.len, c.handles, c.nh);
    else if (ec == MAPI_EC_SUCCESS)
        ec = MAPI_EC_SERVER_OOM;
    if (ec == MAPI_EC_SUCCESS) {
        *nouts = 1;
        if (chainable && max_extra > 0)
            chain_more(&c, &last_req, &last_resp, max_extra, outs, nouts);
    }
    if (c.mbx)
        ms_mailbox_close(c.mbx);
    mapi_wr_free(&resp);
    mapi_arena_clear(&arena);
    free(c.handles);
    return ec;
}
