/*
 * rop_codec.c - ROP buffer entry points ([MS-OXCROPS] 2.2.1, 3.2.5.1-2) and
 * the two-way field helpers shared by the per-area rop_codec_*.c files.
 */
#include "rop_codec_io.h"
#include "mapi_status.h"

#include <stdlib.h>
#include <string.h>

/* ---- field helpers -------------------------------------------------- */

int rio_ok(rop_io_t *io)
{
    if (io->st != MAPI_OK)
        return 0;
    if (io->writing ? !mapi_wr_ok(io->wr) : !mapi_rd_ok(io->rd)) {
        io->st = io->writing ? MAPI_E_NOMEM : MAPI_E_TRUNCATED;
        return 0;
    }
    return 1;
}

void rio_fail(rop_io_t *io, int st)
{
    if (io->st == MAPI_OK)
        io->st = st;
}

void rio_u8(rop_io_t *io, uint8_t *v)
{
    if (io->writing)
        mapi_wr_u8(io->wr, *v);
    else
        *v = mapi_rd_u8(io->rd);
}

void rio_u16(rop_io_t *io, uint16_t *v)
{
    if (io->writing)
        mapi_wr_u16(io->wr, *v);
    else
        *v = mapi_rd_u16(io->rd);
}

void rio_u32(rop_io_t *io, uint32_t *v)
{
    if (io->writing)
        mapi_wr_u32(io->wr, *v);
    else
        *v = mapi_rd_u32(io->rd);
}

void rio_u64(rop_io_t *io, uint64_t *v)
{
    if (io->writing)
        mapi_wr_u64(io->wr, *v);
    else
        *v = mapi_rd_u64(io->rd);
}

void rio_i32(rop_io_t *io, int32_t *v)
{
    uint32_t u = (uint32_t)*v;
    rio_u32(io, &u);
    *v = (int32_t)u;
}

void rio_i64(rop_io_t *io, int64_t *v)
{
    uint64_t u = (uint64_t)*v;
    rio_u64(io, &u);
    *v = (int64_t)u;
}

void rio_fixed(rop_io_t *io, void *p, size_t n)
{
    if (io->writing) {
        mapi_wr_bytes(io->wr, p, n);
    } else {
        const uint8_t *q = mapi_rd_bytes(io->rd, n);
        if (q)
            memcpy(p, q, n);
    }
}

void rio_guid(rop_io_t *io, mapi_guid_t *g) { rio_fixed(io, g->b, 16); }

void rio_ltid(rop_io_t *io, mapi_gid_t *g)
{
    if (io->writing)
        mapi_longtermid_encode(io->wr, g);
    else if (mapi_longtermid_decode(io->rd, g) != MAPI_OK)
        rio_fail(io, MAPI_E_TRUNCATED);
}

void rio_bin_n(rop_io_t *io, mapi_bin_t *b, size_t n)
{
    if (!rio_ok(io))
        return;
    if (io->writing) {
        mapi_wr_bytes(io->wr, b->data, n);
        return;
    }
    {
        const uint8_t *p = mapi_rd_bytes(io->rd, n);
        if (!p)
            return;
        b->len = (uint32_t)n;
        b->data = mapi_arena_memdup(io->a, p, n);
        if (!b->data)
            rio_fail(io, MAPI_E_NOMEM);
    }
}

void rio_bin16(rop_io_t *io, mapi_bin_t *b)
{
    uint16_t n = (uint16_t)b->len;
    if (io->writing && b->len > 0xFFFF) {
        rio_fail(io, MAPI_E_BAD_VALUE);
        return;
    }
    rio_u16(io, &n);
    rio_bin_n(io, b, n);
}

void rio_bin32(rop_io_t *io, mapi_bin_t *b)
{
    uint32_t n = b->len;
    rio_u32(io, &n);
    rio_bin_n(io, b, n);
}

void rio_bin_rest(rop_io_t *io, mapi_bin_t *b)
{
    rio_bin_n(io, b, io->writing ? b->len : mapi_rd_left(io->rd));
}

void rio_asciiz(rop_io_t *io, char **s)
{
    rio_string(io, 0, s);
}

void rio_string(rop_io_t *io, int unicode, char **s)
{
    mapi_propval_t v;
    int st;
    if (!rio_ok(io))
        return;
    memset(&v, 0, sizeof(v));
    v.tag = unicode ? MAPI_PT_UNICODE : MAPI_PT_STRING8;
    if (io->writing) {
        v.v.str = *s;
        st = mapi_propval_encode_value(io->wr, 0, &v);
    } else {
        st = mapi_propval_decode_value(io->rd, io->a, 0, (uint16_t)v.tag, &v);
        *s = v.v.str;
    }
    rio_fail(io, st);
}

void rio_tags16(rop_io_t *io, mapi_tagarray_t *t)
{
    if (!rio_ok(io))
        return;
    rio_fail(io, io->writing ? mapi_tagarray_encode(io->wr, 0, t)
                            : mapi_tagarray_decode(io->rd, io->a, 0, t));
}

void *rio_array(rop_io_t *io, uint32_t n, size_t sz, size_t min_wire)
{
    void *p;
    if (!rio_ok(io))
        return NULL;
    if (min_wire && n > mapi_rd_left(io->rd) / min_wire) {
        rio_fail(io, MAPI_E_TRUNCATED);
        return NULL;
    }
    p = mapi_arena_calloc(io->a, n ? n : 1, sz);
    if (!p)
        rio_fail(io, MAPI_E_NOMEM);
    return p;
}

void rio_ids16(rop_io_t *io, uint16_t *count, uint64_t **ids)
{
    uint16_t i;
    rio_u16(io, count);
    if (!io->writing && !(*ids = rio_array(io, *count, sizeof(uint64_t), 8)))
        return;
    for (i = 0; i < *count && rio_ok(io); i++)
        rio_u64(io, &(*ids)[i]);
}

void rio_restriction16(rop_io_t *io, mapi_restriction_t **r)
{
    if (!rio_ok(io))
        return;
    if (io->writing) {
        size_t off = io->wr->len;
        mapi_wr_u16(io->wr, 0);
        if (*r) {
            rio_fail(io, mapi_restriction_encode(io->wr, 0, *r));
            if (rio_ok(io)) {
                size_t n = io->wr->len - off - 2;
                if (n > 0xFFFF)
                    rio_fail(io, MAPI_E_BAD_VALUE);
                else
                    mapi_wr_put_u16_at(io->wr, off, (uint16_t)n);
            }
        }
    } else {
        uint16_t n = mapi_rd_u16(io->rd);
        const uint8_t *p = mapi_rd_bytes(io->rd, n);
        mapi_rd_t sub;
        *r = NULL;
        if (!p || n == 0)
            return;
        mapi_rd_init(&sub, p, n);
        rio_fail(io, mapi_restriction_decode(&sub, io->a, 0, r));
        if (rio_ok(io) && mapi_rd_left(&sub) != 0)
            rio_fail(io, MAPI_E_TRAILING);
    }
}

void rio_proplist16(rop_io_t *io, mapi_proplist_t *pl)
{
    uint16_t n = (uint16_t)pl->count;
    if (io->writing && pl->count > 0xFFFF) {
        rio_fail(io, MAPI_E_BAD_VALUE);
        return;
    }
    rio_u16(io, &n);
    if (!rio_ok(io))
        return;
    rio_fail(io, io->writing ? mapi_proplist_encode_n(io->wr, 0, pl)
                            : mapi_proplist_decode_n(io->rd, io->a, 0, n, pl));
}

void rio_problems(rop_io_t *io, mapi_problemarray_t *pa)
{
    if (!rio_ok(io))
        return;
    rio_fail(io, io->writing ? mapi_problemarray_encode(io->wr, pa)
                            : mapi_problemarray_decode(io->rd, io->a, pa));
}

void rio_propname(rop_io_t *io, mapi_propname_t *pn)
{
    if (!rio_ok(io))
        return;
    rio_fail(io, io->writing ? mapi_propname_encode(io->wr, pn)
                            : mapi_propname_decode(io->rd, io->a, pn));
}

void rio_rows(rop_io_t *io, mapi_rop_rows_t *rows, uint32_t nrows)
{
    uint32_t i;
    if (!rio_ok(io))
        return;
    if (io->writing) {
        if (rows->raw.data) {
            mapi_wr_bytes(io->wr, rows->raw.data, rows->raw.len);
            return;
        }
        if (nrows && rows->ncols && !rows->vals) {
            rio_fail(io, MAPI_E_BAD_VALUE);
            return;
        }
        for (i = 0; i < nrows && rio_ok(io); i++)
            rio_fail(io, mapi_proprow_encode(io->wr, 0, rows->cols, rows->ncols,
                                            rows->vals + (size_t)i * rows->ncols));
        return;
    }
    if (!rows->cols) {
        if (!io->rctx || !io->rctx->cols) {
            rio_fail(io, MAPI_E_BAD_VALUE); /* columns unknown: cannot decode */
            return;
        }
        rows->cols = io->rctx->cols;
        rows->ncols = io->rctx->ncols;
    }
    /* each row is at least its flag byte */
    if (nrows && !(rows->vals = rio_array(io, nrows, sizeof(mapi_propval_t) * (rows->ncols ? rows->ncols : 1), 1)))
        return;
    for (i = 0; i < nrows && rio_ok(io); i++)
        rio_fail(io, mapi_proprow_decode(io->rd, io->a, 0, rows->cols, rows->ncols,
                                        rows->vals + (size_t)i * rows->ncols));
}

void rio_servers(rop_io_t *io, mapi_servers_t *s)
{
    uint16_t i;
    rio_u16(io, &s->count);
    rio_u16(io, &s->cheap);
    if (!io->writing && !(s->servers = rio_array(io, s->count, sizeof(char *), 1)))
        return;
    for (i = 0; i < s->count && rio_ok(io); i++)
        rio_asciiz(io, &s->servers[i]);
}

void rio_typed_string(rop_io_t *io, mapi_typed_string_t *t)
{
    rio_u8(io, &t->type);
    if (!rio_ok(io))
        return;
    switch (t->type) {
    case MAPI_TSTR_NONE:
    case MAPI_TSTR_EMPTY:
        if (!io->writing)
            t->str = NULL;
        return;
    case MAPI_TSTR_STRING8:
        rio_asciiz(io, &t->str);
        return;
    case MAPI_TSTR_UNICODE:
        rio_string(io, 1, &t->str);
        return;
    case MAPI_TSTR_REDUCED:
        /* 8-bit string whose bytes are the low bytes of UTF-16 units */
        if (io->writing) {
            /* UTF-8 -> the low bytes of the UTF-16 units (Latin-1); a
             * server picks this form only when every character is < 0x100 */
            const unsigned char *p = (const unsigned char *)(t->str ? t->str : "");
            while (*p) {
                uint32_t c = *p++;
                if (c >= 0xC0 && c < 0xE0 && (*p & 0xC0) == 0x80) {
                    c = ((c & 0x1F) << 6) | (*p++ & 0x3F);
                } else if (c >= 0x80) {
                    while ((*p & 0xC0) == 0x80)
                        p++;
                    c = '?';
                }
                mapi_wr_u8(io->wr, (uint8_t)(c < 0x100 ? c : '?'));
            }
            mapi_wr_u8(io->wr, 0);
        } else {
            size_t n, i, o = 0;
            const char *s = mapi_rd_asciiz(io->rd, &n);
            char *u;
            if (!s)
                return;
            u = mapi_arena_alloc(io->a, n * 2 + 1);
            if (!u) {
                rio_fail(io, MAPI_E_NOMEM);
                return;
            }
            for (i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c < 0x80) {
                    u[o++] = (char)c;
                } else {
                    u[o++] = (char)(0xC0 | (c >> 6));
                    u[o++] = (char)(0x80 | (c & 0x3F));
                }
            }
            u[o] = 0;
            t->str = u;
        }
        return;
    default:
        rio_fail(io, MAPI_E_BAD_VALUE);
    }
}

void rop_no_fields_req(rop_io_t *io, mapi_rop_req_t *r) { (void)io; (void)r; }
void rop_no_fields_resp(rop_io_t *io, mapi_rop_resp_t *r) { (void)io; (void)r; }

/* ---- descriptor lookup ---------------------------------------------- */

static const rop_desc_t *find_desc(uint8_t id)
{
    static const struct { const rop_desc_t *d; const size_t *n; } areas[] = {
        {rop_store_descs, &rop_store_descs_count}, {rop_folder_descs, &rop_folder_descs_count},
        {rop_table_descs, &rop_table_descs_count}, {rop_message_descs, &rop_message_descs_count},
        {rop_property_descs, &rop_property_descs_count}, {rop_stream_descs, &rop_stream_descs_count},
        {rop_notify_descs, &rop_notify_descs_count}, {rop_submit_descs, &rop_submit_descs_count},
        {rop_ics_descs, &rop_ics_descs_count}};
    size_t i, j;
    for (i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
        for (j = 0; j < *areas[i].n; j++)
            if (areas[i].d[j].id == id)
                return &areas[i].d[j];
    return NULL;
}

const char *mapi_rop_name(uint8_t rop_id)
{
    const rop_desc_t *d = find_desc(rop_id);
    return d ? d->name : NULL;
}

int mapi_rop_creates_object(uint8_t rop_id)
{
    const rop_desc_t *d = find_desc(rop_id);
    return d && (d->flags & (ROPF_OUT_IDX | ROPF_LOGON_HDR)) && rop_id != ROP_MOVE_COPY_MESSAGES &&
           rop_id != ROP_MOVE_FOLDER && rop_id != ROP_COPY_FOLDER && rop_id != ROP_COPY_TO &&
           rop_id != ROP_COPY_PROPERTIES && rop_id != ROP_COPY_TO_STREAM;
}

void mapi_rop_ctx_set_public(mapi_rop_ctx_t *c, uint8_t logon_id, int is_public)
{
    if (is_public)
        c->public_logons[logon_id >> 3] |= (uint8_t)(1u << (logon_id & 7));
    else
        c->public_logons[logon_id >> 3] &= (uint8_t)~(1u << (logon_id & 7));
}

int mapi_rop_ctx_is_public(const mapi_rop_ctx_t *c, uint8_t logon_id)
{
    return c && (c->public_logons[logon_id >> 3] >> (logon_id & 7)) & 1;
}

/* ---- requests ------------------------------------------------------- */

static void req_header(rop_io_t *io, const rop_desc_t *d, mapi_rop_req_t *req)
{
    rio_u8(io, &req->logon_id);
    if (d->flags & ROPF_LOGON_HDR) {
        rio_u8(io, &req->out_idx);
    } else if (d->flags & ROPF_RESP_IDX) {
        rio_u8(io, &req->out_idx);
        rio_u8(io, &req->in_idx);
    } else {
        rio_u8(io, &req->in_idx);
        if (d->flags & ROPF_OUT_IDX)
            rio_u8(io, &req->out_idx);
    }
    io->logon_id = req->logon_id;
}

int mapi_rop_decode_next(mapi_rd_t *rd, mapi_arena_t *a, const mapi_rop_ctx_t *ctx,
                         mapi_rop_req_t *req)
{
    rop_io_t io;
    const rop_desc_t *d;
    memset(req, 0, sizeof(*req));
    memset(&io, 0, sizeof(io));
    io.rd = rd;
    io.a = a;
    io.ctx = ctx;
    req->rop_id = mapi_rd_u8(rd);
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    d = find_desc(req->rop_id);
    if (!d || (d->flags & ROPF_RESP_ONLY))
        return MAPI_E_UNKNOWN_ROP;
    req_header(&io, d, req);
    if (rio_ok(&io))
        d->req(&io, req);
    rio_ok(&io);
    return io.st;
}

int mapi_rop_encode_req(mapi_wr_t *wr, const mapi_rop_ctx_t *ctx, const mapi_rop_req_t *req)
{
    rop_io_t io;
    const rop_desc_t *d = find_desc(req->rop_id);
    mapi_rop_req_t *r = (mapi_rop_req_t *)(uintptr_t)req; /* only read when writing */
    if (!d || (d->flags & ROPF_RESP_ONLY))
        return MAPI_E_UNKNOWN_ROP;
    memset(&io, 0, sizeof(io));
    io.writing = 1;
    io.wr = wr;
    io.ctx = ctx;
    mapi_wr_u8(wr, req->rop_id);
    req_header(&io, d, r);
    if (rio_ok(&io))
        d->req(&io, r);
    rio_ok(&io);
    return io.st;
}

/* ---- responses ------------------------------------------------------ */

static int code_resp(rop_io_t *io, mapi_rop_resp_t *resp)
{
    const rop_desc_t *d = find_desc(resp->rop_id);
    if (!d || (d->flags & ROPF_NO_RESP))
        return MAPI_E_UNKNOWN_ROP;
    if (d->flags & ROPF_RESP_RAW) {
        d->resp(io, resp);
    } else {
        rio_u8(io, &resp->handle_idx);
        rio_u32(io, &resp->ret);
        if (rio_ok(io) && (resp->ret == MAPI_EC_SUCCESS || (d->flags & ROPF_RESP_ALWAYS)))
            d->resp(io, resp);
    }
    rio_ok(io);
    return io->st;
}

int mapi_rop_encode_resp(mapi_wr_t *wr, const mapi_rop_ctx_t *ctx, const mapi_rop_resp_t *resp)
{
    rop_io_t io;
    memset(&io, 0, sizeof(io));
    io.writing = 1;
    io.wr = wr;
    io.ctx = ctx;
    mapi_wr_u8(wr, resp->rop_id);
    return code_resp(&io, (mapi_rop_resp_t *)(uintptr_t)resp);
}

int mapi_rop_decode_resp(mapi_rd_t *rd, mapi_arena_t *a, const mapi_rop_resp_ctx_t *ctx,
                         mapi_rop_resp_t *resp)
{
    rop_io_t io;
    memset(resp, 0, sizeof(*resp));
    memset(&io, 0, sizeof(io));
    io.rd = rd;
    io.a = a;
    io.rctx = ctx;
    io.ctx = ctx ? ctx->rop_ctx : NULL;
    if (ctx && ctx->req)
        io.logon_id = ctx->req->logon_id;
    resp->rop_id = mapi_rd_u8(rd);
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    return code_resp(&io, resp);
}

void mapi_rop_error_resp(const mapi_rop_req_t *req, uint32_t ec, mapi_rop_resp_t *resp)
{
    const rop_desc_t *d = find_desc(req->rop_id);
    memset(resp, 0, sizeof(*resp));
    resp->rop_id = req->rop_id;
    resp->ret = ec;
    resp->handle_idx = d && (d->flags & (ROPF_LOGON_HDR | ROPF_RESP_IDX)) ? req->out_idx
                     : mapi_rop_creates_object(req->rop_id) ? req->out_idx : req->in_idx;
}

int mapi_rop_encode_buffer_too_small(mapi_wr_t *wr, uint16_t size_needed, const void *requests, size_t len)
{
    mapi_wr_u8(wr, ROP_BUFFER_TOO_SMALL);
    mapi_wr_u16(wr, size_needed);
    mapi_wr_bytes(wr, requests, len);
    return mapi_wr_ok(wr) ? MAPI_OK : MAPI_E_NOMEM;
}
