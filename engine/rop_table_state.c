/*
 * rop_table_state.c - a table object's state ([MS-OXCTABL] 3.2.1: columns,
 * sort order, restriction, cursor, bookmarks) as a blob that outlives the
 * request, and the rebuilding of the store table it describes. The cursor
 * is kept as a store bookmark key (never as materialised rows), so a table
 * continues where it was in any process.
 */
#include "rop_table.h"
#include "rop_rules.h"

#include <stdlib.h>
#include <string.h>

#define STATE_MAGIC 0x32425454u /* "TTB2" */
#define MAX_COLS 4096
#define MAX_SORTS 64
#define MAX_RES_BYTES (1u << 20)

static int rd_bin(mapi_rd_t *rd, mapi_arena_t *a, uint32_t max, mapi_bin_t *out)
{
    uint32_t len = mapi_rd_u32(rd);
    const uint8_t *p;
    if (!mapi_rd_ok(rd) || len > max || len > mapi_rd_left(rd))
        return -1;
    p = mapi_rd_bytes(rd, len);
    out->len = len;
    out->data = len ? mapi_arena_memdup(a, p, len) : NULL;
    return (len && !out->data) ? -1 : 0;
}

int rop_table_state_decode(mapi_arena_t *a, const uint8_t *p, size_t len, rop_table_state_t *st)
{
    mapi_rd_t rd;
    uint32_t i;
    memset(st, 0, sizeof(*st));
    mapi_rd_init(&rd, p, len);
    if (mapi_rd_u32(&rd) != STATE_MAGIC)
        return -1;
    st->kind = mapi_rd_u8(&rd);
    st->flags = mapi_rd_u8(&rd);
    st->fid = mapi_rd_u64(&rd);
    st->ncols = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || st->kind < ROP_TABLE_HIERARCHY || st->kind > ROP_TABLE_PERMISSIONS ||
        st->ncols > MAX_COLS || (size_t)st->ncols * 4 > mapi_rd_left(&rd))
        return -1;
    st->cols = mapi_arena_calloc(a, st->ncols ? st->ncols : 1, sizeof(uint32_t));
    if (!st->cols)
        return -1;
    for (i = 0; i < st->ncols; i++)
        st->cols[i] = mapi_rd_u32(&rd);
    st->nsorts = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || st->nsorts > MAX_SORTS)
        return -1;
    st->sorts = mapi_arena_calloc(a, st->nsorts ? st->nsorts : 1, sizeof(mapi_sort_order_t));
    if (!st->sorts)
        return -1;
    for (i = 0; i < st->nsorts; i++) {
        st->sorts[i].prop_type = mapi_rd_u16(&rd);
        st->sorts[i].prop_id = mapi_rd_u16(&rd);
        st->sorts[i].order = mapi_rd_u8(&rd);
    }
    st->categories = mapi_rd_u16(&rd);
    st->expanded = mapi_rd_u16(&rd);
    if (st->categories > st->nsorts || st->expanded > st->categories)
        return -1;
    if (rd_bin(&rd, a, MAX_RES_BYTES, &st->res) != 0 || rd_bin(&rd, a, sizeof(((ms_bookmark_t *)0)->key), &st->cursor))
        return -1;
    st->next_bm = mapi_rd_u32(&rd);
    st->nbms = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || st->nbms > ROP_TABLE_MAX_BOOKMARKS)
        return -1;
    st->bms = mapi_arena_calloc(a, ROP_TABLE_MAX_BOOKMARKS, sizeof(rop_bookmark_t));
    if (!st->bms)
        return -1;
    for (i = 0; i < st->nbms; i++) {
        const uint8_t *k;
        st->bms[i].id = mapi_rd_u32(&rd);
        st->bms[i].len = mapi_rd_u32(&rd);
        if (!mapi_rd_ok(&rd) || st->bms[i].len > sizeof(st->bms[i].key))
            return -1;
        k = mapi_rd_bytes(&rd, st->bms[i].len);
        if (!mapi_rd_ok(&rd))
            return -1;
        memcpy(st->bms[i].key, k, st->bms[i].len);
    }
    st->ntoggles = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || st->ntoggles > ROP_TABLE_MAX_TOGGLES || (size_t)st->ntoggles * 8 > mapi_rd_left(&rd))
        return -1;
    st->toggles = mapi_arena_calloc(a, ROP_TABLE_MAX_TOGGLES, sizeof(uint64_t));
    if (!st->toggles)
        return -1;
    for (i = 0; i < st->ntoggles; i++)
        st->toggles[i] = mapi_rd_u64(&rd);
    return mapi_rd_ok(&rd) && mapi_rd_left(&rd) == 0 ? 0 : -1;
}

int rop_table_state_encode(mapi_wr_t *wr, const rop_table_state_t *st)
{
    uint32_t i;
    mapi_wr_u32(wr, STATE_MAGIC);
    mapi_wr_u8(wr, st->kind);
    mapi_wr_u8(wr, st->flags);
    mapi_wr_u64(wr, st->fid);
    mapi_wr_u32(wr, st->ncols);
    for (i = 0; i < st->ncols; i++)
        mapi_wr_u32(wr, st->cols[i]);
    mapi_wr_u32(wr, st->nsorts);
    for (i = 0; i < st->nsorts; i++) {
        mapi_wr_u16(wr, st->sorts[i].prop_type);
        mapi_wr_u16(wr, st->sorts[i].prop_id);
        mapi_wr_u8(wr, st->sorts[i].order);
    }
    mapi_wr_u16(wr, st->categories);
    mapi_wr_u16(wr, st->expanded);
    mapi_wr_u32(wr, st->res.len);
    mapi_wr_bytes(wr, st->res.data, st->res.len);
    mapi_wr_u32(wr, st->cursor.len);
    mapi_wr_bytes(wr, st->cursor.data, st->cursor.len);
    mapi_wr_u32(wr, st->next_bm);
    mapi_wr_u32(wr, st->nbms);
    for (i = 0; i < st->nbms; i++) {
        mapi_wr_u32(wr, st->bms[i].id);
        mapi_wr_u32(wr, st->bms[i].len);
        mapi_wr_bytes(wr, st->bms[i].key, st->bms[i].len);
    }
    mapi_wr_u32(wr, st->ntoggles);
    for (i = 0; i < st->ntoggles; i++)
        mapi_wr_u64(wr, st->toggles[i]);
    return mapi_wr_ok(wr) ? 0 : -1;
}

uint32_t rop_table_load(rop_ctx_t *c, uint8_t idx, mapi_obj_t **o, rop_table_state_t *st)
{
    uint32_t ec;
    if (!(*o = rop_obj_of(c, idx, ROP_T(MAPI_OBJ_TABLE), &ec)))
        return ec;
    if (rop_table_state_decode(c->arena, (*o)->data, (*o)->data_len, st) != 0)
        return MAPI_EC_NOT_SUPPORTED; /* a table of another area (attachments, rules...) */
    return MAPI_EC_SUCCESS;
}

uint32_t rop_table_store(mapi_obj_t *o, const rop_table_state_t *st)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    if (rop_table_state_encode(&wr, st) != 0 || rop_obj_set_data(o, &wr) != 0) {
        mapi_wr_free(&wr);
        return MAPI_EC_SERVER_OOM;
    }
    return MAPI_EC_SUCCESS;
}

uint32_t rop_table_id_tag(const rop_table_state_t *st)
{
    switch (st->kind) {
    case ROP_TABLE_HIERARCHY: return MS_PR_FID;
    case ROP_TABLE_ATTACH: return MS_PR_ATTACH_NUM;
    case ROP_TABLE_RULES: return MS_PROP_TAG(MS_PT_I8, 0x6674);       /* PidTagRuleId */
    case ROP_TABLE_PERMISSIONS: return MS_PROP_TAG(MS_PT_I8, 0x6671); /* PidTagMemberId */
    default: return MS_PR_MID;
    }
}

/* The restriction of the state as a wire tree (NULL: none). */
uint32_t rop_table_restriction(rop_ctx_t *c, const rop_table_state_t *st, mapi_restriction_t **out)
{
    mapi_rd_t rd;
    *out = NULL;
    if (!st->res.len)
        return MAPI_EC_SUCCESS;
    mapi_rd_init(&rd, st->res.data, st->res.len);
    if (mapi_restriction_decode(&rd, c->arena, MAPI_CTX_ROP, out) != 0)
        return MAPI_EC_INVALID_PARAMETER;
    return MAPI_EC_SUCCESS;
}

static uint32_t apply_sort(ms_table_t *t, const rop_table_state_t *st, mapi_arena_t *a)
{
    ms_sortorder_t *s;
    uint32_t i;
    if (!st->nsorts)
        return MAPI_EC_SUCCESS;
    if (!(s = mapi_arena_calloc(a, st->nsorts, sizeof(*s))))
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < st->nsorts; i++) {
        uint16_t type = (uint16_t)(st->sorts[i].prop_type & ~MAPI_PT_MV_INSTANCE);
        s[i].tag = MS_PROP_TAG(type, st->sorts[i].prop_id);
        s[i].desc = (st->sorts[i].order & 0x01) ? 1 : 0;
    }
    return rop_ec(ms_table_sort(t, s, st->nsorts));
}

/* 3.2.5.3 ([MS-OXCFOLD] 2.2.1.13.1 SoftDeletes on a hierarchy table): the
 * store keeps no soft-deleted folders, so that table has no rows. */
static uint32_t restrict_nothing(ms_table_t *t)
{
    ms_restriction_t exist, not_;
    memset(&exist, 0, sizeof(exist));
    memset(&not_, 0, sizeof(not_));
    exist.type = MS_RES_EXIST;
    exist.u.exist.tag = MS_PR_FID;
    not_.type = MS_RES_NOT;
    not_.u.not_.res = &exist;
    return rop_ec(ms_table_restrict(t, &not_));
}

/* The store table of a hierarchy or contents table state. */
static uint32_t build_store_table(rop_ctx_t *c, ms_txn_t *txn, const rop_table_state_t *st, const uint32_t *cols,
                                  size_t n, ms_table_t **out)
{
    ms_mailbox_t *mbx;
    ms_table_t *t = NULL;
    unsigned flags = 0;
    uint32_t ec;
    mapi_restriction_t *wres;
    ms_restriction_t *sres = NULL, *visible = NULL;

    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if (st->flags & ROP_TF_ASSOCIATED)
        flags |= MS_TABLE_ASSOCIATED;
    if (st->flags & ROP_TF_DEPTH)
        flags |= MS_TABLE_DEPTH;
    if ((st->flags & ROP_TF_SOFT_DELETES) && st->kind == ROP_TABLE_CONTENTS)
        flags |= MS_TABLE_SOFT_DELETED;
    ec = rop_ec(ms_table_open(txn, mbx, st->kind == ROP_TABLE_CONTENTS ? MS_TABLE_CONTENTS : MS_TABLE_HIERARCHY,
                              st->fid, flags, &t));
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(ms_table_set_columns(t, cols, n));
    if (ec == MAPI_EC_SUCCESS)
        ec = apply_sort(t, st, c->arena);
    if (ec == MAPI_EC_SUCCESS && st->kind == ROP_TABLE_HIERARCHY && (st->flags & ROP_TF_SOFT_DELETES))
        ec = restrict_nothing(t);
    else if (ec == MAPI_EC_SUCCESS && (ec = rop_table_restriction(c, st, &wres)) == MAPI_EC_SUCCESS && wres)
        ec = rop_restriction_to_store(c->arena, c->ectx->codepage, wres, &sres);
    /* a delegate sees the folders with FolderVisible only ([MS-OXCPERM] 2.2.7) */
    if (ec == MAPI_EC_SUCCESS && st->kind == ROP_TABLE_HIERARCHY && !(st->flags & ROP_TF_SOFT_DELETES))
        ec = rop_perm_visible_filter(c, txn, st->fid, (st->flags & ROP_TF_DEPTH) != 0, &visible);
    if (ec == MAPI_EC_SUCCESS && visible && sres) {
        ms_restriction_t *both = mapi_arena_calloc(c->arena, 2, sizeof(*both)), *and_;
        if (!both || !(and_ = mapi_arena_calloc(c->arena, 1, sizeof(*and_)))) {
            ec = MAPI_EC_SERVER_OOM;
        } else {
            both[0] = *visible;
            both[1] = *sres;
            and_->type = MS_RES_AND;
            and_->u.andor.count = 2;
            and_->u.andor.res = both;
            sres = and_;
        }
    } else if (visible) {
        sres = visible;
    }
    if (ec == MAPI_EC_SUCCESS && sres)
        ec = rop_ec(ms_table_restrict(t, sres));
    if (ec != MAPI_EC_SUCCESS) {
        ms_table_close(t);
        return ec;
    }
    *out = t;
    return MAPI_EC_SUCCESS;
}

uint32_t rop_table_build(rop_ctx_t *c, ms_txn_t *txn, const rop_table_state_t *st, const uint32_t *extra,
                         size_t nextra, int with_cursor, rop_vtab_t **out)
{
    rop_vtab_t *vt;
    uint32_t ec, *cols, n = 0, i;

    *out = NULL;
    if (!(cols = mapi_arena_calloc(c->arena, st->ncols + 1 + nextra, sizeof(uint32_t))))
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < st->ncols; i++)
        cols[n++] = st->cols[i];
    cols[n++] = rop_table_id_tag(st); /* hidden: the row's id, for computed columns */
    for (i = 0; i < nextra; i++)
        cols[n++] = extra[i];
    if (!(vt = calloc(1, sizeof(*vt))))
        return MAPI_EC_SERVER_OOM;
    if (st->kind == ROP_TABLE_SEARCH)
        ec = rop_search_build(c, txn, st, cols, n, &vt->s);
    else if (st->kind == ROP_TABLE_CONTENTS && (st->categories || rop_table_has_mvi(st)))
        ec = rop_categ_build(c, txn, st, cols, n, &vt->s);
    else if (st->kind == ROP_TABLE_ATTACH || st->kind == ROP_TABLE_RULES || st->kind == ROP_TABLE_PERMISSIONS)
        ec = rop_source_rows_build(c, st, cols, n, &vt->s);
    else
        ec = build_store_table(c, txn, st, cols, n, &vt->t);
    if (ec == MAPI_EC_SUCCESS && with_cursor && st->cursor.len) {
        ms_bookmark_t bm;
        memset(&bm, 0, sizeof(bm));
        bm.len = st->cursor.len;
        memcpy(bm.key, st->cursor.data, st->cursor.len);
        if (rop_vt_seek_bookmark(txn, vt, &bm, 0, NULL) != MS_OK)
            ec = rop_ec(rop_vt_seek(txn, vt, MS_BOOKMARK_BEGINNING, 0, NULL));
    }
    if (ec != MAPI_EC_SUCCESS) {
        rop_vt_close(vt);
        return ec;
    }
    *out = vt;
    return MAPI_EC_SUCCESS;
}

uint32_t rop_table_save_cursor(rop_ctx_t *c, rop_vtab_t *t, rop_table_state_t *st)
{
    ms_bookmark_t bm;
    if (rop_vt_bookmark(t, &bm) != MS_OK)
        return MAPI_EC_GENERAL_FAILURE;
    st->cursor.len = bm.len;
    st->cursor.data = mapi_arena_memdup(c->arena, bm.key, bm.len);
    return (bm.len && !st->cursor.data) ? MAPI_EC_SERVER_OOM : MAPI_EC_SUCCESS;
}

uint32_t rop_table_open(rop_ctx_t *c, const mapi_rop_req_t *req, uint8_t kind, uint64_t fid, uint8_t flags,
                        uint32_t *rows)
{
    rop_table_state_t st;
    rop_vtab_t *t;
    mapi_obj_t *o;
    uint32_t ec;

    memset(&st, 0, sizeof(st));
    st.kind = kind;
    st.flags = flags;
    st.fid = fid;
    ec = rop_table_build(c, NULL, &st, NULL, 0, 0, &t);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(rop_vt_row_count(NULL, t, rows));
    rop_vt_close(t);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!(o = rop_new_obj(c, req->out_idx, MAPI_OBJ_TABLE, req->logon_id, &ec)))
        return ec;
    return rop_table_store(o, &st);
}
