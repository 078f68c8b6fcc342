/*
 * rop_table_categ.c - categorized views ([MS-OXCTABL] 2.2.2.4 RopSortTable
 * CategorizedCount/ExpandedCount, 3.2.5.2; 2.2.2.17-20 ExpandRow,
 * CollapseRow, Get/SetCollapseState). The store sorts flat tables only, so
 * the engine gathers the leaf rows, sorts them, and puts a header row
 * before each run of leaves that share the first k category values
 * (k = 1..CategorizedCount). A header's id is a hash of its level and
 * values (low 16 bits zero, so never a MID); the state keeps the ids of
 * the categories the client expanded or collapsed against their default
 * (the first ExpandedCount levels start expanded).
 */
#include "rop_table.h"

#include <stdlib.h>
#include <string.h>

#define CATEG_MAX_LEVELS 16
#define TBL_LEAF_ROW 1
#define TBL_EXPANDED_CATEGORY 3
#define TBL_COLLAPSED_CATEGORY 4

typedef struct {
    uint8_t header, level;
    uint32_t leaf;       /* leaf row index, or the first leaf of the category */
    uint32_t nleaves, unread;
    uint64_t id;
} entry_t;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n--)
        h = (h ^ *b++) * 0x100000001B3ull;
    return h;
}

static uint64_t hash_value(uint64_t h, const ms_propval_t *v)
{
    uint16_t type = MS_PROP_TYPE(v->tag);
    int64_t i;
    h = fnv(h, &type, sizeof(type));
    switch (type) {
    case MS_PT_SHORT: i = v->value.i; return fnv(h, &i, 8);
    case MS_PT_LONG: i = v->value.l; return fnv(h, &i, 8);
    case MS_PT_BOOLEAN: i = v->value.b; return fnv(h, &i, 8);
    case MS_PT_I8:
    case MS_PT_CURRENCY: return fnv(h, &v->value.li, 8);
    case MS_PT_SYSTIME: return fnv(h, &v->value.ft, 8);
    case MS_PT_DOUBLE:
    case MS_PT_APPTIME: return fnv(h, &v->value.dbl, 8);
    case MS_PT_FLOAT: return fnv(h, &v->value.flt, 4);
    case MS_PT_STRING8:
    case MS_PT_UNICODE: return v->value.str ? fnv(h, v->value.str, strlen(v->value.str)) : h;
    case MS_PT_BINARY: return fnv(h, v->value.bin.pb, v->value.bin.cb);
    case MS_PT_CLSID: return v->value.guid ? fnv(h, v->value.guid->b, 16) : h;
    }
    return h; /* missing (PT_ERROR) and other types: the type alone */
}

static int key_equal(const ms_propval_t *a, const ms_propval_t *b)
{
    int ma = MS_PROP_TYPE(a->tag) == MS_PT_ERROR, mb = MS_PROP_TYPE(b->tag) == MS_PT_ERROR;
    if (ma || mb)
        return ma && mb;
    return ms_propval_cmp(a, b) == 0;
}

static int toggled(const rop_table_state_t *st, uint64_t id)
{
    uint32_t i;
    for (i = 0; i < st->ntoggles; i++)
        if (st->toggles[i] == id)
            return 1;
    return 0;
}

int rop_categ_toggle(rop_table_state_t *st, uint64_t id)
{
    uint32_t i;
    for (i = 0; i < st->ntoggles; i++)
        if (st->toggles[i] == id) {
            st->toggles[i] = st->toggles[--st->ntoggles];
            return 0;
        }
    if (st->ntoggles >= ROP_TABLE_MAX_TOGGLES)
        return -1;
    st->toggles[st->ntoggles++] = id;
    return 0;
}

/* Header rows and leaves in display order, with their counts. */
static entry_t *categorize(rop_search_t *s, uint32_t levels, uint32_t *nent)
{
    const rop_table_state_t *st = s->st;
    entry_t *e = calloc((size_t)s->n * (levels + 1) + 1, sizeof(*e));
    uint32_t open[CATEG_MAX_LEVELS], i, l, n = 0, flags_col = s->outcols + st->nsorts;
    if (!e)
        return NULL;
    for (i = 0; i < s->n; i++) {
        const ms_propval_t *row = s->rows[i], *prev = i ? s->rows[i - 1] : NULL;
        uint32_t from = 0;
        int unread = MS_PROP_TYPE(row[flags_col].tag) == MS_PT_LONG && !(row[flags_col].value.l & MS_MSGFLAG_READ);
        if (prev)
            for (from = 0; from < levels && key_equal(&prev[s->outcols + from], &row[s->outcols + from]); from++)
                ;
        else
            from = 0;
        for (l = from; prev && l < levels; l++) /* close the categories that end here */
            e[open[l]].nleaves = i - e[open[l]].leaf;
        for (l = (prev ? from : 0); l < levels; l++) { /* and open the new ones */
            uint64_t h = 0xCBF29CE484222325ull;
            uint32_t k;
            uint8_t lv = (uint8_t)l;
            h = fnv(h, &lv, 1);
            for (k = 0; k <= l; k++)
                h = hash_value(h, &row[s->outcols + k]);
            h &= ~(uint64_t)0xFFFF;
            e[n].header = 1;
            e[n].level = (uint8_t)l;
            e[n].leaf = i;
            e[n].id = h ? h : 0x10000;
            open[l] = n++;
        }
        for (l = 0; l < levels; l++)
            e[open[l]].unread += unread;
        e[n].level = (uint8_t)levels;
        e[n].leaf = i;
        e[n].id = rop_rows_id(s, i);
        n++;
    }
    for (l = 0; s->n && l < levels; l++)
        e[open[l]].nleaves = s->n - e[open[l]].leaf;
    *nent = n;
    return e;
}

static void set_long(ms_propval_t *v, uint32_t col, int32_t value)
{
    ms_propval_free(v);
    v->tag = MS_PROP_TAG(MS_PT_LONG, MS_PROP_ID(col));
    v->value.l = value;
}

/* A header row: the category values up to its level, its counts and
 * computed columns; every other column missing. */
static ms_propval_t *header_row(rop_search_t *s, const entry_t *h, int expanded)
{
    const rop_table_state_t *st = s->st;
    const ms_propval_t *leaf = s->rows[h->leaf];
    ms_propval_t *row = calloc(s->ncols, sizeof(ms_propval_t));
    uint32_t c, k;
    uint8_t key[8];
    if (!row)
        return NULL;
    for (c = 0; c < s->ncols; c++) {
        row[c].tag = MS_PROP_TAG(MS_PT_ERROR, MS_PROP_ID(leaf[c].tag));
        row[c].value.err = (uint32_t)MS_E_NOT_FOUND;
    }
    for (c = 0; c < st->ncols; c++) {
        uint16_t pid = MS_PROP_ID(st->cols[c]);
        for (k = 0; k <= h->level; k++)
            if (pid == st->sorts[k].prop_id && ms_propval_dup(&leaf[c], &row[c]) != MS_OK)
                row[c].tag = MS_PROP_TAG(MS_PT_ERROR, pid);
        switch (pid) {
        case 0x0FF5: set_long(&row[c], st->cols[c], expanded ? TBL_EXPANDED_CATEGORY : TBL_COLLAPSED_CATEGORY); break;
        case 0x3005: set_long(&row[c], st->cols[c], h->level); break;
        case 0x674E: set_long(&row[c], st->cols[c], 0); break;
        case 0x3602: set_long(&row[c], st->cols[c], (int32_t)h->nleaves); break;
        case 0x3603: set_long(&row[c], st->cols[c], (int32_t)h->unread); break;
        case 0x0FF6: {
            ms_propval_t ik;
            for (k = 0; k < 8; k++)
                key[k] = (uint8_t)(h->id >> (56 - 8 * k));
            ik.tag = MS_PR_INSTANCE_KEY;
            ik.value.bin.cb = 8;
            ik.value.bin.pb = key;
            ms_propval_free(&row[c]);
            if (ms_propval_dup(&ik, &row[c]) != MS_OK)
                row[c].tag = MS_PROP_TAG(MS_PT_ERROR, pid);
            break;
        }
        }
    }
    row[st->ncols].tag = MS_PROP_TAG(MS_PT_I8, MS_PROP_ID(row[st->ncols].tag));
    row[st->ncols].value.li = (int64_t)h->id; /* the hidden id column */
    return row;
}

uint32_t rop_categ_view(rop_ctx_t *c, rop_search_t *s)
{
    const rop_table_state_t *st = s->st;
    uint32_t levels = st->categories < st->nsorts ? st->categories : st->nsorts;
    uint32_t nent = 0, i, col, nvis = 0, nown = 0;
    int hidden_level = -1;
    entry_t *e;
    ms_propval_t **vis = NULL, **own = NULL;
    uint8_t *vstate = NULL, *vlevel = NULL;
    (void)c;

    if (levels > CATEG_MAX_LEVELS)
        levels = CATEG_MAX_LEVELS;
    if (!(e = categorize(s, levels, &nent)))
        return MAPI_EC_SERVER_OOM;
    vis = calloc(nent + 1, sizeof(*vis));
    own = calloc(nent + 1, sizeof(*own));
    vstate = calloc(nent + 1, 1);
    vlevel = calloc(nent + 1, 1);
    if (!vis || !own || !vstate || !vlevel)
        goto oom;
    for (i = 0; i < s->n; i++) { /* leaves sit at depth CategorizedCount */
        own[nown++] = s->rows[i];
        for (col = 0; col < st->ncols; col++)
            if (MS_PROP_ID(st->cols[col]) == 0x3005)
                set_long(&s->rows[i][col], st->cols[col], (int32_t)levels);
    }
    for (i = 0; i < nent; i++) {
        int visible, expanded;
        if (hidden_level >= 0 && e[i].level <= hidden_level)
            hidden_level = -1;
        visible = hidden_level < 0;
        if (!e[i].header) {
            if (visible) {
                vstate[nvis] = ROP_VROW_LEAF;
                vlevel[nvis] = e[i].level;
                vis[nvis++] = s->rows[e[i].leaf];
            }
            continue;
        }
        expanded = (e[i].level < st->expanded) != toggled(st, e[i].id);
        if (visible) {
            ms_propval_t *h = header_row(s, &e[i], expanded);
            if (!h)
                goto oom;
            own[nown++] = h;
            vstate[nvis] = expanded ? ROP_VROW_EXPANDED : ROP_VROW_COLLAPSED;
            vlevel[nvis] = e[i].level;
            vis[nvis++] = h;
            if (!expanded)
                hidden_level = e[i].level;
        }
    }
    free(e);
    free(s->rows);
    s->rows = vis;
    s->n = nvis;
    s->cap = nent + 1;
    s->owned = own;
    s->nowned = nown;
    s->vstate = vstate;
    s->vlevel = vlevel;
    return MAPI_EC_SUCCESS;
oom:
    for (i = s->n; i < nown; i++) /* the header rows made so far */
        ms_propvals_free(own[i], s->ncols);
    free(e);
    free(vis);
    free(own);
    free(vstate);
    free(vlevel);
    return MAPI_EC_SERVER_OOM;
}

uint32_t rop_categ_build(rop_ctx_t *c, ms_txn_t *txn, const rop_table_state_t *st, const uint32_t *cols,
                         size_t ncols, rop_search_t **out)
{
    const uint32_t flags_tag = MS_PR_MESSAGE_FLAGS;
    ms_mailbox_t *mbx;
    mapi_restriction_t *wres;
    ms_restriction_t *res = NULL;
    rop_search_t *s;
    uint32_t *all, ec;
    unsigned flags = 0;

    *out = NULL;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_table_restriction(c, st, &wres)) != MAPI_EC_SUCCESS ||
        (ec = rop_restriction_to_store(c->arena, c->ectx->codepage, wres, &res)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = rop_rows_new(c, st, cols, ncols, &flags_tag, 1, &s, &all)) != MAPI_EC_SUCCESS)
        return ec;
    if (st->flags & ROP_TF_ASSOCIATED)
        flags |= MS_TABLE_ASSOCIATED;
    if (st->flags & ROP_TF_SOFT_DELETES)
        flags |= MS_TABLE_SOFT_DELETED;
    ec = rop_rows_gather(s, txn, mbx, st->fid, flags, all, res);
    if (ec == MAPI_EC_SUCCESS)
        ec = rop_rows_expand_mvi(s);
    if (ec == MAPI_EC_SUCCESS) {
        rop_rows_sort(s);
        if (st->categories)
            ec = rop_categ_view(c, s);
    }
    if (ec != MAPI_EC_SUCCESS) {
        rop_rows_free(s);
        return ec;
    }
    *out = s;
    return MAPI_EC_SUCCESS;
}

/* ---- the ROPs ---- */

/* The visible header row with that id, or -1. */
static int64_t find_header(const rop_search_t *s, uint64_t id)
{
    uint32_t i;
    for (i = 0; s->vstate && i < s->n; i++)
        if (s->vstate[i] != ROP_VROW_LEAF && rop_rows_id(s, i) == id)
            return i;
    return -1;
}

/* Visible rows under the header at h (until the next row at its level or above). */
static uint32_t rows_under(const rop_search_t *s, uint32_t h)
{
    uint32_t i = h + 1;
    while (i < s->n && s->vlevel[i] > s->vlevel[h])
        i++;
    return i - h - 1;
}

static int categorized(const rop_tbl_t *x)
{
    return x->t->s && x->t->s->vstate;
}

/* 2.2.2.17 RopExpandRow; 3.2.5.17: the category's rows become visible; the
 * answer carries up to MaxRowCount of them. */
uint32_t rop_expand_row(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    int64_t h;
    uint32_t ec, under, fit = 0, want;
    ms_rowset_t rs;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    if (!categorized(&x) || (h = find_header(x.t->s, req->u.expand_row.category_id)) < 0)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NOT_FOUND);
    if (x.t->s->vstate[h] == ROP_VROW_EXPANDED)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NOT_COLLAPSED);
    if (rop_categ_toggle(&x.st, req->u.expand_row.category_id) != 0)
        return rop_tbl_close(c, &x, 0, MAPI_EC_SERVER_OOM);
    rop_vt_close(x.t);
    x.t = NULL;
    if ((ec = rop_table_build(c, x.txn, &x.st, NULL, 0, 1, &x.t)) != MAPI_EC_SUCCESS) {
        ms_txn_abort(x.txn);
        return ec;
    }
    if ((h = find_header(x.t->s, req->u.expand_row.category_id)) < 0)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NOT_FOUND);
    under = rows_under(x.t->s, (uint32_t)h);
    want = req->u.expand_row.max_rows < under ? req->u.expand_row.max_rows : under;
    memset(&rs, 0, sizeof(rs));
    rs.rows = x.t->s->rows + h + 1;
    rs.count = want;
    rs.ncols = x.t->s->outcols;
    ec = rop_tbl_encode_rows(c, &x.st, &rs, 0, &resp->u.expand_row.rows.raw, &fit);
    resp->u.expand_row.expanded = under;
    resp->u.expand_row.count = (uint16_t)fit;
    resp->u.expand_row.rows.cols = x.st.cols;
    resp->u.expand_row.rows.ncols = x.st.ncols;
    return rop_tbl_close(c, &x, 1, ec);
}

/* 2.2.2.18 RopCollapseRow; 3.2.5.18 */
uint32_t rop_collapse_row(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    int64_t h;
    uint32_t ec;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    if (!categorized(&x) || (h = find_header(x.t->s, req->u.collapse_row.category_id)) < 0)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NOT_FOUND);
    if (x.t->s->vstate[h] == ROP_VROW_COLLAPSED)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NOT_EXPANDED);
    resp->u.collapse_row.collapsed = rows_under(x.t->s, (uint32_t)h);
    if (rop_categ_toggle(&x.st, req->u.collapse_row.category_id) != 0)
        return rop_tbl_close(c, &x, 0, MAPI_EC_SERVER_OOM);
    return rop_tbl_close(c, &x, 1, MAPI_EC_SUCCESS);
}

#define COLLAPSE_MAGIC 0x32535443u /* "CTS2" */

/* 2.2.2.19 RopGetCollapseState; 3.2.5.19: which categories differ from
 * their default, and a bookmark on the row RowId names (the cursor's row
 * when the table is not categorized or the row is not visible). */
uint32_t rop_get_collapse_state(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    mapi_wr_t wr;
    ms_bookmark_t sb;
    uint32_t ec, i;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    if (!x.st.ncols)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NULL_OBJECT);
    if (categorized(&x))
        for (i = 0; i < x.t->s->n; i++)
            if (rop_rows_id(x.t->s, i) == req->u.get_collapse_state.row_id) {
                x.t->s->pos = i;
                break;
            }
    if (rop_vt_bookmark(x.t, &sb) != MS_OK)
        return rop_tbl_close(c, &x, 0, MAPI_EC_GENERAL_FAILURE);
    mapi_wr_init(&wr, 0);
    mapi_wr_u32(&wr, COLLAPSE_MAGIC);
    mapi_wr_u32(&wr, x.st.ntoggles);
    for (i = 0; i < x.st.ntoggles; i++)
        mapi_wr_u64(&wr, x.st.toggles[i]);
    mapi_wr_u32(&wr, sb.len);
    mapi_wr_bytes(&wr, sb.key, sb.len);
    if (mapi_wr_ok(&wr)) {
        resp->u.collapse_state.state.data = mapi_arena_memdup(c->arena, wr.p, wr.len);
        resp->u.collapse_state.state.len = (uint32_t)wr.len;
    } else {
        ec = MAPI_EC_SERVER_OOM;
    }
    mapi_wr_free(&wr);
    return rop_tbl_close(c, &x, 0, ec);
}

/* 2.2.2.20 RopSetCollapseState; 3.2.5.20: the categories as saved, the
 * cursor on the saved row; the answer is a bookmark on it. */
uint32_t rop_set_collapse_state(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    rop_tbl_t x;
    mapi_rd_t rd;
    ms_bookmark_t sb;
    uint32_t ec, n, len, i;
    const uint8_t *key;
    if ((ec = rop_tbl_open(c, req, &x, NULL, 0)) != MAPI_EC_SUCCESS)
        return ec;
    if (!x.st.ncols)
        return rop_tbl_close(c, &x, 0, MAPI_EC_NULL_OBJECT);
    mapi_rd_init(&rd, req->u.set_collapse_state.state.data, req->u.set_collapse_state.state.len);
    if (mapi_rd_u32(&rd) != COLLAPSE_MAGIC)
        return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
    n = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || n > ROP_TABLE_MAX_TOGGLES || (size_t)n * 8 > mapi_rd_left(&rd) || !x.st.toggles)
        return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
    for (i = 0; i < n; i++)
        x.st.toggles[i] = mapi_rd_u64(&rd);
    x.st.ntoggles = n;
    len = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || len > sizeof(sb.key) || len != mapi_rd_left(&rd))
        return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
    key = mapi_rd_bytes(&rd, len);
    memset(&sb, 0, sizeof(sb));
    sb.len = len;
    memcpy(sb.key, key, len);
    rop_vt_close(x.t);
    x.t = NULL;
    if ((ec = rop_table_build(c, x.txn, &x.st, NULL, 0, 0, &x.t)) != MAPI_EC_SUCCESS) {
        ms_txn_abort(x.txn);
        return ec;
    }
    if (rop_vt_seek_bookmark(x.txn, x.t, &sb, 0, NULL) != MS_OK)
        return rop_tbl_close(c, &x, 0, MAPI_EC_INVALID_PARAMETER);
    ec = rop_tbl_add_bookmark(c, &x, &resp->u.bookmark.bookmark);
    return rop_tbl_close(c, &x, ec == MAPI_EC_SUCCESS, ec);
}
