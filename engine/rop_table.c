/*
 * rop_table.c - table ROPs on hierarchy and contents tables ([MS-OXCTABL]
 * 2.2.2, server behaviour 3.2.5). Each ROP rebuilds the store table from
 * the object's state (rop_table_state.c), works, and stores the state back
 * (cursor as a store bookmark key).
 */
#include "rop_table.h"

#include <string.h>

#define TBLSTAT_COMPLETE 0x00
#define EC_UNABLE_TO_ABORT 0x80040114u
/* QueryRows: bytes of rows per response (whole rows only, 3.2.5.5) and rows
 * read from the store per call. */
#define ROWS_BUDGET 0x7000u
#define ROWS_READ_MAX 4096u
#define QUERY_NO_ADVANCE 0x01
#define FIND_BACKWARD 0x01
#define BOOKMARK_CUSTOM 0x03

/* Loads the table object and rebuilds its store table (read transaction). */
uint32_t rop_tbl_open(rop_ctx_t *c, const mapi_rop_req_t *req, rop_tbl_t *x, const uint32_t *extra, size_t nextra)
{
    ms_mailbox_t *mbx;
    uint32_t ec;
    memset(x, 0, sizeof(*x));
    if ((ec = rop_table_load(c, req->in_idx, &x->o, &x->st)) != MAPI_EC_SUCCESS)
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_READ, &x->txn))) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_table_build(c, x->txn, &x->st, extra, nextra, 1, &x->t);
    if (ec != MAPI_EC_SUCCESS) {
        ms_txn_abort(x->txn);
        x->txn = NULL;
    }
    return ec;
}

/* Saves the cursor (when save_cursor) and the state; releases the table. */
uint32_t rop_tbl_close(rop_ctx_t *c, rop_tbl_t *x, int save_cursor, uint32_t ec)
{
    if (ec == MAPI_EC_SUCCESS && save_cursor)
        ec = rop_table_save_cursor(c, x->t, &x->st);
    if (ec == MAPI_EC_SUCCESS && save_cursor)
        ec = rop_table_store(x->o, &x->st);
    rop_vt_close(x->t);
    ms_txn_abort(x->txn);
    x->t = NULL;
    x->txn = NULL;
    return ec;
}

/* 2.2.2.2 RopSetColumns */
static uint32_t rop_set_columns(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    uint32_t ec, i, n = req->u.set_columns.tags.count;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    if (n == 0) /* 3.2.5.2: an empty column set is invalid */
        return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
    for (i = 0; i < n; i++) {
        uint16_t type = MAPI_PROP_TYPE(req->u.set_columns.tags.tags[i]);
        if ((type & MAPI_PT_MV_INSTANCE) && !(type & MAPI_PT_MV_FLAG))
            return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
        if (type != MAPI_PT_UNSPECIFIED && !mapi_prop_type_known((uint16_t)(type & ~MAPI_PT_MV_INSTANCE)))
            return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
    }
    x.st.ncols = n;
    x.st.cols = req->u.set_columns.tags.tags;
    resp->u.table_status.status = TBLSTAT_COMPLETE;
    return rop_tbl_close(c, &x, 1, MAPI_EC_SUCCESS); /* the cursor stays where it was */
}

/* 2.2.2.3 RopSortTable: the cursor goes back to the beginning. With
 * CategorizedCount > 0 on a contents table the view is categorized
 * (rop_table_categ.c); hierarchy and attachment tables stay flat. */
static uint32_t rop_sort_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    uint32_t ec, i;
    const uint16_t n = req->u.sort_table.count;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    if (req->u.sort_table.categories > n || req->u.sort_table.expanded > req->u.sort_table.categories)
        return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
    for (i = 0; i < n; i++) {
        uint8_t ord = req->u.sort_table.orders[i].order;
        if (ord != 0 && ord != 1 && !((ord == 4 || ord == 8) && i < req->u.sort_table.categories + 1u))
            return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
    }
    x.st.nsorts = n;
    x.st.sorts = req->u.sort_table.orders;
    x.st.categories = req->u.sort_table.categories;
    x.st.expanded = req->u.sort_table.expanded;
    x.st.ntoggles = 0; /* a new view: every category in its default state */
    x.st.cursor.len = 0;
    rop_vt_close(x.t);
    x.t = NULL;
    ec = rop_table_build(c, x.txn, &x.st, NULL, 0, 0, &x.t); /* the store refuses what it cannot sort */
    if (ec != MAPI_EC_SUCCESS) {
        ms_txn_abort(x.txn);
        return ec == MAPI_EC_INVALID_PARAMETER ? MAPI_EC_TOO_COMPLEX : ec;
    }
    resp->u.table_status.status = TBLSTAT_COMPLETE;
    return rop_tbl_close(c, &x, 1, MAPI_EC_SUCCESS);
}

/* 2.2.2.4 RopRestrict: kept in its wire form; the cursor goes back to the
 * beginning. The table is rebuilt with it, so what the store refuses fails
 * here. */
static uint32_t rop_restrict(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    mapi_wr_t wr;
    ms_restriction_t *sres;
    uint32_t ec;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    memset(&x.st.res, 0, sizeof(x.st.res));
    x.st.cursor.len = 0;
    if (req->u.restrict_.res) {
        ec = rop_restriction_to_store(c->arena, c->ectx->codepage, req->u.restrict_.res, &sres);
        if (ec != MAPI_EC_SUCCESS)
            return rop_tbl_close(c, &x, 0, ec);
        mapi_wr_init(&wr, 0);
        if (mapi_restriction_encode(&wr, MAPI_CTX_ROP, req->u.restrict_.res) != 0 || !mapi_wr_ok(&wr)) {
            mapi_wr_free(&wr);
            return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
        }
        x.st.res.len = (uint32_t)wr.len;
        x.st.res.data = mapi_arena_memdup(c->arena, wr.p, wr.len);
        mapi_wr_free(&wr);
        if (!x.st.res.data)
            return rop_tbl_close(c, &x, 0, MAPI_EC_SERVER_OOM);
    }
    rop_vt_close(x.t);
    x.t = NULL;
    if ((ec = rop_table_build(c, x.txn, &x.st, NULL, 0, 0, &x.t)) != MAPI_EC_SUCCESS) {
        ms_txn_abort(x.txn);
        return ec;
    }
    resp->u.table_status.status = TBLSTAT_COMPLETE;
    return rop_tbl_close(c, &x, 1, MAPI_EC_SUCCESS);
}

/* Encodes the rows of rs that fit the budget, whole rows only, taken from
 * the start (forward) or from the end (backward: the rows next to the
 * cursor), into one buffer; *fit gets their count. */
uint32_t rop_tbl_encode_rows(rop_ctx_t *c, const rop_table_state_t *st, const ms_rowset_t *rs, int backward,
                            mapi_bin_t *out, uint32_t *fit)
{
    mapi_wr_t wr;
    size_t *ends, used = 0;
    uint32_t k, i, from;

    *fit = 0;
    memset(out, 0, sizeof(*out));
    if (!(ends = mapi_arena_calloc(c->arena, rs->count ? rs->count : 1, sizeof(size_t))))
        return MAPI_EC_SERVER_OOM;
    mapi_wr_init(&wr, 0);
    for (k = 0; k < rs->count; k++) { /* k-th row in reading order */
        size_t before = wr.len;
        i = backward ? rs->count - 1 - k : k;
        if (rop_table_encode_row(c, st, rs->rows[i], &wr) != 0 || !mapi_wr_ok(&wr)) {
            mapi_wr_free(&wr);
            return MAPI_EC_SERVER_OOM;
        }
        if (used + (wr.len - before) > ROWS_BUDGET) {
            wr.len = before;
            break;
        }
        used += wr.len - before;
        ends[k] = wr.len;
    }
    *fit = k;
    if (!(out->data = mapi_arena_alloc(c->arena, wr.len ? wr.len : 1))) {
        mapi_wr_free(&wr);
        return MAPI_EC_SERVER_OOM;
    }
    out->len = (uint32_t)wr.len;
    if (!backward) {
        if (wr.len)
            memcpy(out->data, wr.p, wr.len);
    } else { /* encoded nearest-first: lay them out in table order */
        size_t pos = 0;
        for (from = k; from-- > 0;) {
            size_t start = from ? ends[from - 1] : 0;
            memcpy(out->data + pos, wr.p + start, ends[from] - start);
            pos += ends[from] - start;
        }
    }
    mapi_wr_free(&wr);
    return MAPI_EC_SUCCESS;
}

/* 2.2.2.5 RopQueryRows; 3.2.5.5: as many whole rows as fit, Origin tells
 * where the cursor is afterwards. */
static uint32_t rop_query_rows(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    ms_rowset_t rs;
    uint32_t ec, want = req->u.query_rows.count, fit, pos, count;
    int backward = !req->u.query_rows.forward;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    if (!x.st.ncols) /* 3.1.5: SetColumns first */
        return rop_tbl_close(c, &x, 0, MAPI_EC_NULL_OBJECT);
    if (want > ROWS_READ_MAX)
        want = ROWS_READ_MAX;
    if ((ec = rop_ec(rop_vt_query(x.txn, x.t, want, backward, &rs))) != MAPI_EC_SUCCESS)
        return rop_tbl_close(c, &x, 0, ec);
    ec = rop_tbl_encode_rows(c, &x.st, &rs, backward, &resp->u.query_rows.rows.raw, &fit);
    if (ec == MAPI_EC_SUCCESS && fit == 0 && rs.count > 0)
        ec = MAPI_EC_BUFFER_TOO_SMALL; /* 3.2.5.5: not even one row fits */
    if (ec == MAPI_EC_SUCCESS && fit < rs.count) /* give back the rows that did not fit */
        rop_vt_seek(x.txn, x.t, MS_BOOKMARK_CURRENT, backward ? (int32_t)(rs.count - fit) : -(int32_t)(rs.count - fit),
                    NULL);
    ms_rowset_free(&rs);
    if (ec == MAPI_EC_SUCCESS)
        ec = rop_ec(rop_vt_position(x.txn, x.t, &pos, &count));
    if (ec != MAPI_EC_SUCCESS)
        return rop_tbl_close(c, &x, 0, ec);
    if (!backward)
        resp->u.query_rows.origin = pos >= count ? MS_BOOKMARK_END : MS_BOOKMARK_CURRENT;
    else
        resp->u.query_rows.origin = pos == 0 ? MS_BOOKMARK_BEGINNING : MS_BOOKMARK_CURRENT;
    resp->u.query_rows.count = (uint16_t)fit;
    resp->u.query_rows.rows.cols = x.st.cols;
    resp->u.query_rows.rows.ncols = x.st.ncols;
    return rop_tbl_close(c, &x, !(req->u.query_rows.flags & QUERY_NO_ADVANCE), MAPI_EC_SUCCESS);
}

/* 2.2.2.6 RopAbort: nothing runs asynchronously here (3.2.5.6). */
static uint32_t rop_abort(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mapi_obj_t *o;
    rop_table_state_t st;
    uint32_t ec = rop_table_load(c, req->in_idx, &o, &st);
    (void)resp;
    return ec != MAPI_EC_SUCCESS ? ec : EC_UNABLE_TO_ABORT;
}

/* 2.2.2.7 RopGetStatus */
static uint32_t rop_get_status(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mapi_obj_t *o;
    rop_table_state_t st;
    uint32_t ec = rop_table_load(c, req->in_idx, &o, &st);
    resp->u.table_status.status = TBLSTAT_COMPLETE;
    return ec;
}

/* 2.2.2.8 RopQueryPosition */
static uint32_t rop_query_position(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    uint32_t ec;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(rop_vt_position(x.txn, x.t, &resp->u.query_position.numerator,
                                  &resp->u.query_position.denominator));
    return rop_tbl_close(c, &x, 0, ec);
}

/* 2.2.2.9 RopSeekRow */
static uint32_t rop_seek_row(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    int32_t moved = 0, want = req->u.seek_row.count;
    uint32_t ec;
    if (req->u.seek_row.origin > MS_BOOKMARK_END)
        return MAPI_EC_INVALID_PARAMETER;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(rop_vt_seek(x.txn, x.t, req->u.seek_row.origin, want, &moved));
    resp->u.seek_row.sought = moved;
    resp->u.seek_row.sought_less = moved != want;
    return rop_tbl_close(c, &x, 1, ec);
}

static rop_bookmark_t *find_bookmark(rop_table_state_t *st, const mapi_bin_t *b)
{
    uint32_t i, id;
    if (b->len != 4)
        return NULL;
    id = (uint32_t)b->data[0] | (uint32_t)b->data[1] << 8 | (uint32_t)b->data[2] << 16 | (uint32_t)b->data[3] << 24;
    for (i = 0; i < st->nbms; i++)
        if (st->bms[i].id == id)
            return &st->bms[i];
    return NULL;
}

/* Positions t on a client bookmark and moves `count` rows. */
static uint32_t seek_bookmark(rop_tbl_t *x, const mapi_bin_t *b, int32_t count, int32_t *moved)
{
    rop_bookmark_t *bm = find_bookmark(&x->st, b);
    ms_bookmark_t sb;
    if (!bm)
        return MAPI_EC_INVALID_BOOKMARK;
    memset(&sb, 0, sizeof(sb));
    sb.len = bm->len;
    memcpy(sb.key, bm->key, bm->len);
    return rop_ec(rop_vt_seek_bookmark(x->txn, x->t, &sb, count, moved));
}

/* 2.2.2.10 RopSeekRowBookmark */
static uint32_t rop_seek_row_bookmark(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    int32_t moved = 0, want = req->u.seek_row_bookmark.count;
    uint32_t ec;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    ec = seek_bookmark(&x, &req->u.seek_row_bookmark.bookmark, want, &moved);
    /* 3.2.5.10: known for the engine's rows; the store's bookmarks are sort keys and stay valid */
    resp->u.seek_row_bookmark.no_longer_visible = x.t->s ? (uint8_t)x.t->s->bm_row_gone : 0;
    resp->u.seek_row_bookmark.sought_less = moved != want;
    resp->u.seek_row_bookmark.sought = (uint32_t)moved;
    return rop_tbl_close(c, &x, ec == MAPI_EC_SUCCESS, ec);
}

/* 2.2.2.11 RopSeekRowFractional: row = count * numerator / denominator. */
static uint32_t rop_seek_row_fractional(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    uint32_t ec, count, num = req->u.seek_row_fractional.numerator, den = req->u.seek_row_fractional.denominator;
    uint64_t row;
    (void)resp;
    if (den == 0)
        return MAPI_EC_INVALID_PARAMETER;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = rop_ec(rop_vt_row_count(x.txn, x.t, &count))) != MAPI_EC_SUCCESS)
        return rop_tbl_close(c, &x, 0, ec);
    row = num >= den ? count : (uint64_t)count * num / den;
    ec = rop_ec(rop_vt_seek(x.txn, x.t, MS_BOOKMARK_BEGINNING, (int32_t)row, NULL));
    return rop_tbl_close(c, &x, 1, ec);
}

uint32_t rop_tbl_add_bookmark(rop_ctx_t *c, rop_tbl_t *x, mapi_bin_t *out)
{
    ms_bookmark_t sb;
    rop_bookmark_t *bm;
    uint8_t *p;
    if (x->st.nbms >= ROP_TABLE_MAX_BOOKMARKS)
        return MAPI_EC_SERVER_OOM;
    if (rop_vt_bookmark(x->t, &sb) != MS_OK || sb.len > sizeof(bm->key))
        return MAPI_EC_GENERAL_FAILURE;
    bm = &x->st.bms[x->st.nbms++];
    bm->id = ++x->st.next_bm;
    bm->len = sb.len;
    memcpy(bm->key, sb.key, sb.len);
    if (!(p = mapi_arena_alloc(c->arena, 4)))
        return MAPI_EC_SERVER_OOM;
    p[0] = (uint8_t)bm->id;
    p[1] = (uint8_t)(bm->id >> 8);
    p[2] = (uint8_t)(bm->id >> 16);
    p[3] = (uint8_t)(bm->id >> 24);
    out->data = p;
    out->len = 4;
    return MAPI_EC_SUCCESS;
}

/* 2.2.2.12 RopCreateBookmark */
static uint32_t rop_create_bookmark(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    uint32_t ec;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_tbl_add_bookmark(c, &x, &resp->u.bookmark.bookmark);
    return rop_tbl_close(c, &x, ec == MAPI_EC_SUCCESS, ec);
}

/* 2.2.2.15 RopFreeBookmark */
static uint32_t rop_free_bookmark(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mapi_obj_t *o;
    rop_table_state_t st;
    rop_bookmark_t *bm;
    uint32_t ec = rop_table_load(c, req->in_idx, &o, &st);
    (void)resp;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!(bm = find_bookmark(&st, &req->u.free_bookmark.bookmark)))
        return MAPI_EC_INVALID_BOOKMARK;
    *bm = st.bms[--st.nbms];
    return rop_table_store(o, &st);
}

/* 2.2.2.16 RopResetTable: no columns, sort order, restriction; cursor at
 * the beginning; bookmarks gone. */
static uint32_t rop_reset_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mapi_obj_t *o;
    rop_table_state_t st, fresh;
    uint32_t ec = rop_table_load(c, req->in_idx, &o, &st);
    (void)resp;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    memset(&fresh, 0, sizeof(fresh));
    fresh.kind = st.kind;
    fresh.flags = st.flags;
    fresh.fid = st.fid;
    fresh.next_bm = st.next_bm;
    return rop_table_store(o, &fresh);
}

/* 2.2.2.14 RopFindRow; 3.2.5.14: the first row from the origin (in the
 * direction asked) that matches; the cursor is left on it. */
static uint32_t rop_find_row(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    uint32_t extra[64], ec;
    size_t nextra = rop_restriction_tags(req->u.find_row.res, extra, 0, 64);
    ms_restriction_t *sres = NULL;
    int backward = (req->u.find_row.flags & FIND_BACKWARD) != 0;
    uint8_t origin = req->u.find_row.origin;
    int found = 0, gone = 0;

    if (origin > BOOKMARK_CUSTOM)
        return MAPI_EC_INVALID_PARAMETER;
    if ((ec = rop_tbl_open(c, req, &x, extra, nextra)) != MAPI_EC_SUCCESS)
        return ec;
    if (!x.st.ncols)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NULL_OBJECT);
    if ((ec = rop_restriction_to_store(c->arena, c->ectx->codepage, req->u.find_row.res, &sres)) != MAPI_EC_SUCCESS)
        return rop_tbl_close(c, &x, 0, ec);
    if (origin == BOOKMARK_CUSTOM) {
        ec = seek_bookmark(&x, &req->u.find_row.bookmark, 0, NULL);
        gone = x.t->s ? x.t->s->bm_row_gone : 0;
    }
    else if (origin != MS_BOOKMARK_CURRENT)
        ec = rop_ec(rop_vt_seek(x.txn, x.t, origin, 0, NULL));
    if (ec != MAPI_EC_SUCCESS)
        return rop_tbl_close(c, &x, 0, ec);
    for (;;) {
        ms_rowset_t rs;
        uint32_t i;
        if ((ec = rop_ec(rop_vt_query(x.txn, x.t, 64, backward, &rs))) != MAPI_EC_SUCCESS)
            return rop_tbl_close(c, &x, 0, ec);
        for (i = 0; i < rs.count && !found; i++) {
            uint32_t r = backward ? rs.count - 1 - i : i;
            if (!sres || ms_restriction_match(sres, rs.rows[r], rs.ncols)) {
                mapi_wr_t wr;
                found = 1;
                mapi_wr_init(&wr, 0);
                if (rop_table_encode_row(c, &x.st, rs.rows[r], &wr) == 0 && mapi_wr_ok(&wr)) {
                    resp->u.find_row.row.raw.data = mapi_arena_memdup(c->arena, wr.p, wr.len);
                    resp->u.find_row.row.raw.len = (uint32_t)wr.len;
                } else {
                    ec = MAPI_EC_SERVER_OOM;
                }
                mapi_wr_free(&wr);
                /* put the cursor on the row: forward reads passed it, backward ones stopped before it */
                rop_vt_seek(x.txn, x.t, MS_BOOKMARK_CURRENT,
                              backward ? (int32_t)r : -(int32_t)(rs.count - r), NULL);
            }
        }
        i = rs.count;
        ms_rowset_free(&rs);
        if (found || i == 0 || ec != MAPI_EC_SUCCESS)
            break;
    }
    if (ec != MAPI_EC_SUCCESS)
        return rop_tbl_close(c, &x, 0, ec);
    if (!found)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NOT_FOUND);
    resp->u.find_row.has_row = 1;
    resp->u.find_row.no_longer_visible = (uint8_t)gone;
    resp->u.find_row.row.cols = x.st.cols;
    resp->u.find_row.row.ncols = x.st.ncols;
    return rop_tbl_close(c, &x, 1, MAPI_EC_SUCCESS);
}

/* Columns every row of the kind has (store-computed and rop_table_rows.c). */
static const uint32_t common_cols[] = {
    MS_PR_ENTRYID, MS_PR_RECORD_KEY, MS_PR_INSTANCE_KEY, MS_PR_PARENT_ENTRYID, MS_PR_SOURCE_KEY,
    MS_PR_PARENT_SOURCE_KEY, MS_PR_CHANGE_KEY, MS_PR_PREDECESSOR_CHANGE_LIST, MS_PR_CHANGE_NUMBER, MS_PR_FID,
    MAPI_PROP_TAG(0x0FF5, MAPI_PT_LONG), MAPI_PROP_TAG(0x674E, MAPI_PT_LONG), MAPI_PROP_TAG(0x674D, MAPI_PT_I8),
    MAPI_PROP_TAG(0x3005, MAPI_PT_LONG), MAPI_PROP_TAG(0x0FF4, MAPI_PT_LONG), MAPI_PROP_TAG(0x0FF7, MAPI_PT_LONG)};
static const uint32_t contents_cols[] = {MS_PR_MID, MS_PR_MESSAGE_SIZE, MS_PR_MESSAGE_FLAGS, MS_PR_HASATTACH};
static const uint32_t hierarchy_cols[] = {MS_PR_PARENT_FID, MS_PR_FOLDER_TYPE, MS_PR_CONTENT_COUNT,
                                          MS_PR_CONTENT_UNREAD, MS_PR_ASSOC_CONTENT_COUNT, MS_PR_DELETED_COUNT_TOTAL,
                                          MS_PR_SUBFOLDERS, MS_PR_FOLDER_CHILD_COUNT};

static const uint32_t attach_cols[] = {MS_PR_ATTACH_NUM, MS_PR_ATTACH_METHOD, MS_PR_ATTACH_SIZE,
                                       MAPI_PROP_TAG(0x0FFE, MAPI_PT_LONG), MAPI_PROP_TAG(0x370B, MAPI_PT_LONG),
                                       MAPI_PROP_TAG(0x3704, MAPI_PT_UNICODE), MAPI_PROP_TAG(0x3707, MAPI_PT_UNICODE),
                                       MAPI_PROP_TAG(0x370E, MAPI_PT_UNICODE)};

#define ALL_COLS_MAX 1024
#define ALL_COLS_ROWS 50

static void add_col(uint32_t *tags, uint32_t *n, uint32_t tag)
{
    uint32_t i;
    if (MAPI_PROP_TYPE(tag) == MAPI_PT_ERROR || MAPI_PROP_TYPE(tag) == MAPI_PT_OBJECT)
        return;
    for (i = 0; i < *n; i++)
        if (tags[i] == tag)
            return;
    if (*n < ALL_COLS_MAX)
        tags[(*n)++] = tag;
}

static void add_stored_cols(rop_ctx_t *c, rop_tbl_t *x, uint64_t id, uint32_t *tags, uint32_t *n)
{
    ms_mailbox_t *mbx;
    uint32_t ec;
    size_t i, nv;
    if (!(mbx = rop_mailbox(c, &ec)))
        return;
    if (x->st.kind != ROP_TABLE_CONTENTS && x->st.kind != ROP_TABLE_HIERARCHY) {
        return; /* rows of several folders, other areas' rows: the computed columns only */
    } else if (x->st.kind == ROP_TABLE_CONTENTS) {
        ms_message_t *m;
        const ms_propval_t *v;
        if (ms_message_open(x->txn, mbx, x->st.fid, id, &m) != MS_OK)
            return;
        if (ms_message_get_all(m, &v, &nv) == MS_OK)
            for (i = 0; i < nv; i++)
                add_col(tags, n, v[i].tag);
        ms_message_free(m);
    } else {
        ms_propval_t *v;
        if (ms_folder_get_props(x->txn, mbx, id, NULL, 0, &v, &nv) != MS_OK)
            return;
        for (i = 0; i < nv; i++)
            add_col(tags, n, v[i].tag);
        ms_propvals_free(v, nv);
    }
}

/* 2.2.2.13 RopQueryColumnsAll; 3.2.5.13: every column the table can give -
 * the computed ones and those stored on its first rows. */
static uint32_t rop_query_columns_all(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    ms_rowset_t rs;
    uint32_t ec, n = 0, i, *tags = mapi_arena_calloc(c->arena, ALL_COLS_MAX, sizeof(uint32_t));
    if (!tags)
        return MAPI_EC_SERVER_OOM;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    for (i = 0; i < sizeof(common_cols) / sizeof(common_cols[0]); i++)
        if (x.st.kind < ROP_TABLE_ATTACH || i >= 10 || common_cols[i] == MS_PR_INSTANCE_KEY ||
            common_cols[i] == MS_PR_RECORD_KEY) /* attachments: keys and the computed ones */
            add_col(tags, &n, common_cols[i]);
    if (x.st.kind == ROP_TABLE_ATTACH)
        for (i = 0; i < sizeof(attach_cols) / sizeof(attach_cols[0]); i++)
            add_col(tags, &n, attach_cols[i]);
    else if (x.st.kind != ROP_TABLE_HIERARCHY)
        for (i = 0; i < sizeof(contents_cols) / sizeof(contents_cols[0]); i++)
            add_col(tags, &n, contents_cols[i]);
    else
        for (i = 0; i < sizeof(hierarchy_cols) / sizeof(hierarchy_cols[0]); i++)
            add_col(tags, &n, hierarchy_cols[i]);
    rop_vt_seek(x.txn, x.t, MS_BOOKMARK_BEGINNING, 0, NULL);
    if (rop_vt_query(x.txn, x.t, ALL_COLS_ROWS, 0, &rs) == MS_OK) {
        for (i = 0; i < rs.count; i++) {
            const ms_propval_t *idv = &rs.rows[i][x.st.ncols];
            if (MS_PROP_TYPE(idv->tag) == MS_PT_I8)
                add_stored_cols(c, &x, (uint64_t)idv->value.li, tags, &n);
        }
        ms_rowset_free(&rs);
    }
    resp->u.tags.tags.count = n;
    resp->u.tags.tags.tags = tags;
    return rop_tbl_close(c, &x, 0, MAPI_EC_SUCCESS);
}

/* [MS-OXCMSG] 2.2.3.17 RopGetAttachmentTable: a table over the message
 * object's attachments (its pending changes included); TableFlags may ask
 * for Unicode (0x40), other bits are ignored. */
static uint32_t rop_get_attachment_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mapi_obj_t *m;
    uint32_t ec, rows;
    (void)resp;
    if (!(m = rop_obj_of(c, req->in_idx, ROP_T(MAPI_OBJ_MESSAGE), &ec)))
        return ec;
    return rop_table_open(c, req, ROP_TABLE_ATTACH, m->handle, req->u.table.table_flags & ROP_TF_UNICODE, &rows);
}

const rop_entry_t rop_table_entries[] = {
    {ROP_GET_ATTACHMENT_TABLE, rop_get_attachment_table},
    {ROP_SET_COLUMNS, rop_set_columns},
    {ROP_SORT_TABLE, rop_sort_table},
    {ROP_RESTRICT, rop_restrict},
    {ROP_QUERY_ROWS, rop_query_rows},
    {ROP_ABORT, rop_abort},
    {ROP_GET_STATUS, rop_get_status},
    {ROP_QUERY_POSITION, rop_query_position},
    {ROP_SEEK_ROW, rop_seek_row},
    {ROP_SEEK_ROW_BOOKMARK, rop_seek_row_bookmark},
    {ROP_SEEK_ROW_FRACTIONAL, rop_seek_row_fractional},
    {ROP_CREATE_BOOKMARK, rop_create_bookmark},
    {ROP_FREE_BOOKMARK, rop_free_bookmark},
    {ROP_RESET_TABLE, rop_reset_table},
    {ROP_FIND_ROW, rop_find_row},
    {ROP_QUERY_COLUMNS_ALL, rop_query_columns_all},
    {ROP_EXPAND_ROW, rop_expand_row},
    {ROP_COLLAPSE_ROW, rop_collapse_row},
    {ROP_GET_COLLAPSE_STATE, rop_get_collapse_state},
    {ROP_SET_COLLAPSE_STATE, rop_set_collapse_state},
    {0, NULL}};
