/*
 * rop_table_search.c - the contents table of a search folder ([MS-OXCFOLD]
 * 2.2.1.4 / [MS-OXOSRCH]): the store keeps no search results, so the rows
 * are gathered per request from the folders of the criteria (and their
 * subfolders for a recursive search) with the criteria and the table's
 * restriction applied, then sorted here. The cursor is a position plus
 * the MID of the row under it. The same row lists serve attachment tables
 * (rows from rop_attach_table_rows) and categorized views
 * (rop_table_categ.c). Also the rop_vt_* calls that send each table ROP to
 * the store table or to these rows.
 */
#define _GNU_SOURCE /* qsort_r */
#include "rop_table.h"
#include "rop_msgobj.h"

#include <stdlib.h>
#include <string.h>

#define SEARCH_MAX_FOLDERS 1024
#define SEARCH_MAX_ROWS 100000u
#define SEARCH_BM_TAG 'S'

int rop_is_search_folder(ms_mailbox_t *mbx, ms_txn_t *txn, uint64_t fid)
{
    uint32_t tags[2] = {MS_PR_FOLDER_TYPE, ROP_TAG_IS_SEARCH};
    ms_propval_t *v;
    size_t n;
    int yes = 0;
    if (ms_folder_get_props(txn, mbx, fid, tags, 2, &v, &n) != MS_OK)
        return 0;
    if (n == 2)
        yes = (v[0].tag == MS_PR_FOLDER_TYPE && v[0].value.l == MS_FOLDER_SEARCH) ||
              (v[1].tag == ROP_TAG_IS_SEARCH && v[1].value.b);
    ms_propvals_free(v, n);
    return yes;
}

void rop_rows_free(rop_search_t *s)
{
    uint32_t i;
    if (!s)
        return;
    if (s->owned) {
        for (i = 0; i < s->nowned; i++)
            ms_propvals_free(s->owned[i], s->ncols);
        free(s->owned);
        free(s->vstate);
        free(s->vlevel);
    } else {
        for (i = 0; i < s->n; i++)
            ms_propvals_free(s->rows[i], s->ncols);
    }
    free(s->rows);
    free(s);
}

static int missing(const ms_propval_t *v)
{
    return MS_PROP_TYPE(v->tag) == MS_PT_ERROR;
}

/* The row's id: a MID, an attachment number or a category id. */
uint64_t rop_rows_id(const rop_search_t *s, uint32_t i)
{
    const ms_propval_t *v = &s->rows[i][s->id_col];
    return MS_PROP_TYPE(v->tag) == MS_PT_I8 ? (uint64_t)v->value.li
         : MS_PROP_TYPE(v->tag) == MS_PT_LONG ? (uint64_t)(uint32_t)v->value.l : 0;
}

static int row_cmp(const void *a, const void *b, void *ctx)
{
    const rop_search_t *s = ctx;
    const ms_propval_t *x = *(ms_propval_t *const *)a, *y = *(ms_propval_t *const *)b;
    uint32_t i;
    int r;
    for (i = 0; i < s->st->nsorts; i++) {
        const ms_propval_t *p = &x[s->outcols + i], *q = &y[s->outcols + i];
        r = missing(p) ? (missing(q) ? 0 : -1) : missing(q) ? 1 : ms_propval_cmp(p, q);
        if (r)
            return (s->st->sorts[i].order & 1) ? -r : r;
    }
    r = ms_propval_cmp(&x[s->id_col], &y[s->id_col]);
    return r;
}

/* Folders searched: the criteria's, with their subfolders when recursive. */
static uint32_t scope_folders(ms_txn_t *txn, ms_mailbox_t *mbx, uint64_t self, const ms_binary_t *ids,
                              int recursive, uint64_t *out, size_t *nout)
{
    static const uint32_t fidcol[] = {MS_PR_FID};
    size_t i, k, n = 0;
    for (i = 0; i + 8 <= ids->cb && n < SEARCH_MAX_FOLDERS; i += 8) {
        uint64_t f;
        memcpy(&f, ids->pb + i, 8);
        if (f == self || ms_folder_exists(txn, mbx, f) != MS_OK)
            continue;
        out[n++] = f;
        if (recursive) {
            ms_table_t *t;
            ms_rowset_t rs;
            if (ms_table_open(txn, mbx, MS_TABLE_HIERARCHY, f, MS_TABLE_DEPTH, &t) != MS_OK)
                continue;
            if (ms_table_set_columns(t, fidcol, 1) == MS_OK && ms_table_query(txn, t, SEARCH_MAX_FOLDERS, 0, &rs) == MS_OK) {
                for (k = 0; k < rs.count && n < SEARCH_MAX_FOLDERS; k++)
                    if (MS_PROP_TYPE(rs.rows[k][0].tag) == MS_PT_I8 && (uint64_t)rs.rows[k][0].value.li != self)
                        out[n++] = (uint64_t)rs.rows[k][0].value.li;
                ms_rowset_free(&rs);
            }
            ms_table_close(t);
        }
    }
    /* a folder named twice (or inside another named one) is searched once */
    for (i = 0; i < n; i++)
        for (k = i + 1; k < n;)
            if (out[k] == out[i])
                out[k] = out[--n];
            else
                k++;
    *nout = n;
    return MAPI_EC_SUCCESS;
}

/* The criteria AND the table's restriction, as a store tree (NULL: none). */
static uint32_t combined_restriction(rop_ctx_t *c, const rop_table_state_t *st, const ms_binary_t *crit,
                                     ms_restriction_t **out)
{
    mapi_restriction_t *wcrit = NULL, *wres = NULL;
    ms_restriction_t *a = NULL, *b = NULL, *and_;
    mapi_rd_t rd;
    uint32_t ec;
    *out = NULL;
    mapi_rd_init(&rd, crit->pb, crit->cb);
    if (crit->cb && mapi_restriction_decode(&rd, c->arena, MAPI_CTX_ROP, &wcrit) != 0)
        return MAPI_EC_GENERAL_FAILURE;
    if ((ec = rop_table_restriction(c, st, &wres)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = rop_restriction_to_store(c->arena, c->ectx->codepage, wcrit, &a)) != MAPI_EC_SUCCESS ||
        (ec = rop_restriction_to_store(c->arena, c->ectx->codepage, wres, &b)) != MAPI_EC_SUCCESS)
        return ec;
    if (!a || !b) {
        *out = a ? a : b;
        return MAPI_EC_SUCCESS;
    }
    if (!(and_ = mapi_arena_calloc(c->arena, 1, sizeof(*and_))) ||
        !(and_->u.andor.res = mapi_arena_calloc(c->arena, 2, sizeof(ms_restriction_t))))
        return MAPI_EC_SERVER_OOM;
    and_->type = MS_RES_AND;
    and_->u.andor.count = 2;
    and_->u.andor.res[0] = *a;
    and_->u.andor.res[1] = *b;
    *out = and_;
    return MAPI_EC_SUCCESS;
}

/* Appends the matching rows of one folder. */
uint32_t rop_rows_gather(rop_search_t *s, ms_txn_t *txn, ms_mailbox_t *mbx, uint64_t fid, unsigned flags,
                         const uint32_t *cols, const ms_restriction_t *res)
{
    ms_table_t *t;
    ms_rowset_t rs;
    uint32_t ec = rop_ec(ms_table_open(txn, mbx, MS_TABLE_CONTENTS, fid, flags, &t)), i;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(ms_table_set_columns(t, cols, s->ncols));
    if (ec == MAPI_EC_SUCCESS && res)
        ec = rop_ec(ms_table_restrict(t, res));
    while (ec == MAPI_EC_SUCCESS && s->n < SEARCH_MAX_ROWS &&
           (ec = rop_ec(ms_table_query(txn, t, 1024, 0, &rs))) == MAPI_EC_SUCCESS) {
        uint32_t got = rs.count;
        if (s->n + got > s->cap) {
            uint32_t nc = s->cap ? s->cap * 2 : 1024;
            ms_propval_t **nr;
            while (nc < s->n + got)
                nc *= 2;
            if (!(nr = realloc(s->rows, nc * sizeof(*nr)))) {
                ms_rowset_free(&rs);
                ec = MAPI_EC_SERVER_OOM;
                break;
            }
            s->rows = nr;
            s->cap = nc;
        }
        for (i = 0; i < got; i++)
            s->rows[s->n++] = rs.rows[i];
        rs.count = 0; /* the rows are ours now */
        ms_rowset_free(&rs);
        if (got == 0)
            break;
    }
    ms_table_close(t);
    return ec;
}

/* A row list for the state: columns `cols`, the sort keys, `tail`. */
uint32_t rop_rows_new(rop_ctx_t *c, const rop_table_state_t *st, const uint32_t *cols, size_t ncols,
                      const uint32_t *tail, size_t ntail, rop_search_t **out, uint32_t **all)
{
    rop_search_t *s;
    size_t i;
    if (!(s = calloc(1, sizeof(*s))))
        return MAPI_EC_SERVER_OOM;
    s->st = st;
    s->outcols = (uint32_t)ncols;
    s->id_col = st->ncols;
    s->ncols = (uint32_t)(ncols + st->nsorts + ntail);
    if (!(*all = mapi_arena_calloc(c->arena, s->ncols, sizeof(uint32_t)))) {
        rop_rows_free(s);
        return MAPI_EC_SERVER_OOM;
    }
    memcpy(*all, cols, ncols * sizeof(uint32_t));
    for (i = 0; i < st->nsorts; i++)
        (*all)[ncols + i] = MS_PROP_TAG(st->sorts[i].prop_type & ~MAPI_PT_MV_INSTANCE, st->sorts[i].prop_id);
    for (i = 0; i < ntail; i++)
        (*all)[ncols + st->nsorts + i] = tail[i];
    *out = s;
    return MAPI_EC_SUCCESS;
}

void rop_rows_sort(rop_search_t *s)
{
    if (s->n > 1)
        qsort_r(s->rows, s->n, sizeof(*s->rows), row_cmp, s);
}

uint32_t rop_search_build(rop_ctx_t *c, ms_txn_t *txn, const rop_table_state_t *st, const uint32_t *cols,
                          size_t ncols, rop_search_t **out)
{
    uint32_t tags[3] = {ROP_TAG_SEARCH_RES, ROP_TAG_SEARCH_FOLDERS, ROP_TAG_SEARCH_FLAGS};
    const uint32_t flags_tag = MS_PR_MESSAGE_FLAGS;
    ms_mailbox_t *mbx;
    ms_propval_t *v = NULL;
    size_t nv = 0, nf = 0, i;
    uint64_t *folders = NULL;
    uint32_t *all, ec;
    ms_restriction_t *res;
    rop_search_t *s;

    *out = NULL;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_rows_new(c, st, cols, ncols, &flags_tag, st->categories ? 1 : 0, &s, &all)) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(ms_folder_get_props(txn, mbx, st->fid, tags, 3, &v, &nv));
    if (ec == MAPI_EC_SUCCESS && nv == 3 && v[0].tag == ROP_TAG_SEARCH_RES && v[1].tag == ROP_TAG_SEARCH_FOLDERS) {
        int recursive = v[2].tag == ROP_TAG_SEARCH_FLAGS && ((uint32_t)v[2].value.l & ROP_SEARCH_RECURSIVE);
        if (!(folders = calloc(SEARCH_MAX_FOLDERS, sizeof(uint64_t))))
            ec = MAPI_EC_SERVER_OOM;
        if (ec == MAPI_EC_SUCCESS)
            ec = scope_folders(txn, mbx, st->fid, &v[1].value.bin, recursive, folders, &nf);
        if (ec == MAPI_EC_SUCCESS)
            ec = combined_restriction(c, st, &v[0].value.bin, &res);
        for (i = 0; ec == MAPI_EC_SUCCESS && i < nf; i++)
            ec = rop_rows_gather(s, txn, mbx, folders[i], 0, all, res);
    } /* criteria never set: no rows */
    if (v)
        ms_propvals_free(v, nv);
    free(folders);
    if (ec != MAPI_EC_SUCCESS) {
        rop_rows_free(s);
        return ec;
    }
    if ((ec = rop_rows_expand_mvi(s)) != MAPI_EC_SUCCESS) {
        rop_rows_free(s);
        return ec;
    }
    rop_rows_sort(s);
    if (st->categories && (ec = rop_categ_view(c, s)) != MAPI_EC_SUCCESS) {
        rop_rows_free(s);
        return ec;
    }
    *out = s;
    return MAPI_EC_SUCCESS;
}

/* The rows of the table's source area for columns cols[0..n). */
static uint32_t source_rows(rop_ctx_t *c, const rop_table_state_t *st, const uint32_t *cols, size_t n,
                            ms_rowset_t *rs)
{
    memset(rs, 0, sizeof(*rs));
    switch (st->kind) {
    case ROP_TABLE_ATTACH:
        return rop_attach_table_rows(c, (uint32_t)st->fid, cols, n, rs);
    case ROP_TABLE_RULES:
        return rop_rules_table_rows ? rop_rules_table_rows(c, st->fid, st->flags, cols, n, rs)
                                    : MAPI_EC_NOT_SUPPORTED;
    case ROP_TABLE_PERMISSIONS:
        return rop_permissions_table_rows ? rop_permissions_table_rows(c, st->fid, st->flags, cols, n, rs)
                                          : MAPI_EC_NOT_SUPPORTED;
    }
    return MAPI_EC_NOT_SUPPORTED;
}

uint32_t rop_source_rows_build(rop_ctx_t *c, const rop_table_state_t *st, const uint32_t *cols, size_t ncols,
                               rop_search_t **out)
{
    uint32_t *all, ec, i, keep = 0, *rcols, nr;
    mapi_restriction_t *wres;
    ms_restriction_t *res = NULL;
    ms_rowset_t rs;
    rop_search_t *s;

    *out = NULL;
    if ((ec = rop_table_restriction(c, st, &wres)) != MAPI_EC_SUCCESS ||
        (ec = rop_restriction_to_store(c->arena, c->ectx->codepage, wres, &res)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = rop_rows_new(c, st, cols, ncols, NULL, 0, &s, &all)) != MAPI_EC_SUCCESS)
        return ec;
    /* the columns, the sort keys, and what the restriction reads */
    if (!(rcols = mapi_arena_calloc(c->arena, s->ncols + 64, sizeof(uint32_t)))) {
        rop_rows_free(s);
        return MAPI_EC_SERVER_OOM;
    }
    memcpy(rcols, all, s->ncols * sizeof(uint32_t));
    nr = (uint32_t)rop_restriction_tags(wres, rcols, s->ncols, s->ncols + 64);
    if ((ec = source_rows(c, st, rcols, nr, &rs)) != MAPI_EC_SUCCESS) {
        rop_rows_free(s);
        return ec;
    }
    if (rs.count && rs.ncols != nr) { /* a source that answers other columns than asked */
        ms_rowset_free(&rs);
        rop_rows_free(s);
        return MAPI_EC_GENERAL_FAILURE;
    }
    free(s->rows);
    s->rows = rs.rows;
    s->cap = rs.count;
    for (i = 0; i < rs.count; i++) {
        ms_propval_t *row = rs.rows[i];
        if (res && !ms_restriction_match(res, row, nr)) {
            ms_propvals_free(row, nr);
            continue;
        }
        if (nr > s->ncols) { /* drop the restriction-only columns */
            uint32_t k;
            for (k = s->ncols; k < nr; k++)
                ms_propval_free(&row[k]);
        }
        s->rows[keep++] = row;
    }
    s->n = keep;
    rop_rows_sort(s);
    *out = s;
    return MAPI_EC_SUCCESS;
}

/* ---- the cursor over the gathered rows ---- */

static ms_err_t search_query(rop_search_t *s, uint32_t n, int backward, ms_rowset_t *out)
{
    uint32_t from, to, i, k;
    memset(out, 0, sizeof(*out));
    if (!backward) {
        from = s->pos;
        to = s->n - s->pos < n ? s->n : s->pos + n;
        s->pos = to;
    } else {
        to = s->pos;
        from = to > n ? to - n : 0;
        s->pos = from;
    }
    out->ncols = s->outcols;
    if (!(out->rows = calloc(to - from ? to - from : 1, sizeof(ms_propval_t *))))
        return MS_E_NOMEM;
    for (i = from; i < to; i++) {
        ms_propval_t *row = calloc(s->outcols, sizeof(ms_propval_t));
        if (!row)
            return MS_E_NOMEM;
        out->rows[out->count++] = row;
        for (k = 0; k < s->outcols; k++)
            if (ms_propval_dup(&s->rows[i][k], &row[k]) != MS_OK)
                return MS_E_NOMEM;
    }
    return MS_OK;
}

static ms_err_t search_seek(rop_search_t *s, int origin, int32_t offset, int32_t *moved)
{
    int64_t base, target;
    if (origin < MS_BOOKMARK_BEGINNING || origin > MS_BOOKMARK_END)
        return MS_E_INVALID_PARAM;
    base = origin == MS_BOOKMARK_BEGINNING ? 0 : origin == MS_BOOKMARK_END ? (int64_t)s->n : (int64_t)s->pos;
    target = base + offset;
    if (target < 0)
        target = 0;
    if (target > (int64_t)s->n)
        target = s->n;
    if (moved)
        *moved = (int32_t)(target - (origin == MS_BOOKMARK_CURRENT ? (int64_t)s->pos : base));
    s->pos = (uint32_t)target;
    return MS_OK;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
    int i;
    for (i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t get_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    int i;
    for (i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Bookmark: 'S', position (4), id of the row at the cursor (8, 0 at the end). */
static ms_err_t search_bookmark(rop_search_t *s, ms_bookmark_t *bm)
{
    memset(bm, 0, sizeof(*bm));
    bm->key[0] = SEARCH_BM_TAG;
    put_be(bm->key + 1, s->pos, 4);
    put_be(bm->key + 5, s->pos < s->n ? rop_rows_id(s, s->pos) : 0, 8);
    bm->len = 13;
    return MS_OK;
}

static ms_err_t search_seek_bookmark(rop_search_t *s, const ms_bookmark_t *bm, int32_t offset, int32_t *moved)
{
    uint32_t pos, i;
    uint64_t mid;
    if (bm->len != 13 || bm->key[0] != SEARCH_BM_TAG)
        return MS_E_INVALID_BOOKMARK;
    pos = (uint32_t)get_be(bm->key + 1, 4);
    mid = get_be(bm->key + 5, 8);
    s->pos = pos > s->n ? s->n : pos; /* a row that is gone: where it was */
    if (mid && s->pos < s->n && rop_rows_id(s, s->pos) == mid) { /* still there (instances share an id) */
        s->bm_row_gone = 0;
        return search_seek(s, MS_BOOKMARK_CURRENT, offset, moved);
    }
    s->bm_row_gone = mid != 0;
    for (i = 0; mid && i < s->n; i++)
        if (rop_rows_id(s, i) == mid) {
            s->pos = i;
            s->bm_row_gone = 0;
            break;
        }
    return search_seek(s, MS_BOOKMARK_CURRENT, offset, moved);
}

/* ---- rop_vt_*: the store table or the search rows ---- */

ms_err_t rop_vt_query(ms_txn_t *txn, rop_vtab_t *vt, uint32_t n, int backward, ms_rowset_t *out)
{
    ms_err_t rc;
    if (!vt->s)
        return ms_table_query(txn, vt->t, n, backward, out);
    if ((rc = search_query(vt->s, n, backward, out)) != MS_OK)
        ms_rowset_free(out);
    return rc;
}

ms_err_t rop_vt_seek(ms_txn_t *txn, rop_vtab_t *vt, int origin, int32_t offset, int32_t *moved)
{
    return vt->s ? search_seek(vt->s, origin, offset, moved) : ms_table_seek(txn, vt->t, origin, offset, moved);
}

ms_err_t rop_vt_position(ms_txn_t *txn, rop_vtab_t *vt, uint32_t *pos, uint32_t *count)
{
    if (!vt->s)
        return ms_table_position(txn, vt->t, pos, count);
    *pos = vt->s->pos;
    *count = vt->s->n;
    return MS_OK;
}

ms_err_t rop_vt_row_count(ms_txn_t *txn, rop_vtab_t *vt, uint32_t *count)
{
    if (!vt->s)
        return ms_table_row_count(txn, vt->t, count);
    *count = vt->s->n;
    return MS_OK;
}

ms_err_t rop_vt_bookmark(rop_vtab_t *vt, ms_bookmark_t *bm)
{
    return vt->s ? search_bookmark(vt->s, bm) : ms_table_bookmark(vt->t, bm);
}

ms_err_t rop_vt_seek_bookmark(ms_txn_t *txn, rop_vtab_t *vt, const ms_bookmark_t *bm, int32_t offset,
                              int32_t *moved)
{
    return vt->s ? search_seek_bookmark(vt->s, bm, offset, moved)
                 : ms_table_seek_bookmark(txn, vt->t, bm, offset, moved);
}

void rop_vt_close(rop_vtab_t *vt)
{
    if (!vt)
        return;
    if (vt->t)
        ms_table_close(vt->t);
    rop_rows_free(vt->s);
    free(vt);
}
