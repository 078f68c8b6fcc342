/*
 * ms_table.c - hierarchy and contents tables ([MS-OXCTABL]): columns, sort
 * orders, restrictions, a cursor with positions and bookmarks.
 *
 * Index path: a contents table sorted by one of the maintained keys
 * (none = MID order, delivery time, normalized subject, sent-representing
 * name, size; asc or desc) walks dbi "cindex" directly: a page of n rows
 * costs O(log N + n) whatever the folder size. The cursor is the index key
 * of the row at the current position, so relative moves cost O(distance).
 * Fallback path: other sorts and hierarchy tables build a sorted snapshot of
 * the matching ids, rebuilt when the folder's change counter moves.
 */
#define _GNU_SOURCE   /* qsort_r */
#include <stdlib.h>
#include <string.h>
#include "ms_internal.h"
#include "ms_table.h"

#define IDX_NONE (-1)
#define KEYMAX 128

struct ms_table {
    ms_mailbox_t *mbx;
    ms_table_kind_t kind;
    uint64_t fgc;
    unsigned flags;
    int view;
    uint32_t *cols;
    size_t ncols;
    ms_sortorder_t *sorts;
    size_t nsorts;
    ms_restriction_t *res;
    int idx, desc;
    /* cursor */
    uint32_t pos;
    int at_end;
    uint8_t key[KEYMAX];
    size_t keylen;            /* 0 = at the beginning */
    /* fallback snapshot */
    uint64_t *ids;
    uint32_t *depths;
    size_t nids;
    int snap_valid;
    uint64_t snap_cc;
};

static ms_err_t txn_in(ms_txn_t **txn, ms_table_t *t, int *own)
{
    if (!t)
        return ms__err(MS_E_INVALID_PARAM, "NULL table");
    return ms__txn_enter(txn, t->mbx, 0, own);
}

static void txn_out(ms_txn_t *txn, int own)
{
    if (own)
        ms_txn_abort(txn);
}

ms_err_t ms_table_open(ms_txn_t *txn, ms_mailbox_t *mbx, ms_table_kind_t kind, ms_id_t fid,
                       unsigned flags, ms_table_t **out)
{
    if (!mbx || !out || (kind != MS_TABLE_HIERARCHY && kind != MS_TABLE_CONTENTS))
        return ms__err(MS_E_INVALID_PARAM, "table_open: bad argument");
    ms_err_t rc = ms_folder_exists(txn, mbx, fid);
    if (rc != MS_OK)
        return rc;
    ms_table_t *t = ms__xmalloc(sizeof(*t));
    if (!t)
        return MS_E_NOMEM;
    t->mbx = mbx;
    t->kind = kind;
    t->fgc = ms_id_globcnt(fid);
    t->flags = flags;
    t->view = (flags & MS_TABLE_SOFT_DELETED) ? MS_VIEW_DELETED
            : (flags & MS_TABLE_ASSOCIATED) ? MS_VIEW_ASSOC : MS_VIEW_NORMAL;
    t->idx = kind == MS_TABLE_CONTENTS ? MS_IDX_MID : IDX_NONE;
    static const uint32_t hcols[] = {MS_PR_FID, MS_PR_DISPLAY_NAME};
    static const uint32_t ccols[] = {MS_PR_MID, MS_PR_SUBJECT};
    rc = ms_table_set_columns(t, kind == MS_TABLE_CONTENTS ? ccols : hcols, 2);
    if (rc != MS_OK) {
        ms_table_close(t);
        return rc;
    }
    *out = t;
    return MS_OK;
}

void ms_table_close(ms_table_t *t)
{
    if (!t)
        return;
    free(t->cols);
    free(t->sorts);
    ms_restriction_free(t->res);
    free(t->ids);
    free(t->depths);
    free(t);
}

static void reset_cursor(ms_table_t *t)
{
    t->pos = 0;
    t->at_end = 0;
    t->keylen = 0;
}

static void drop_snapshot(ms_table_t *t)
{
    free(t->ids);
    free(t->depths);
    t->ids = NULL;
    t->depths = NULL;
    t->nids = 0;
    t->snap_valid = 0;
}

ms_err_t ms_table_set_columns(ms_table_t *t, const uint32_t *tags, size_t n)
{
    if (!t || !tags || !n || n > 4096)
        return ms__err(MS_E_INVALID_PARAM, "set_columns: bad column list");
    for (size_t i = 0; i < n; i++) {
        uint16_t ty = MS_PROP_TYPE(tags[i]) & (uint16_t)~0x2000;   /* MV instance bit */
        if (ty != MS_PT_UNSPECIFIED && !ms__type_valid(ty) && ty != MS_PT_ERROR)
            return ms__err(MS_E_INVALID_PARAM, "bad column tag 0x%08x", tags[i]);
    }
    uint32_t *c = malloc(n * sizeof(uint32_t));
    if (!c)
        return MS_E_NOMEM;
    for (size_t i = 0; i < n; i++)
        c[i] = tags[i] & ~(uint32_t)0x2000;
    free(t->cols);
    t->cols = c;
    t->ncols = n;
    return MS_OK;
}

/* Which index serves a sort, or IDX_NONE. */
static int pick_index(const ms_table_t *t, const ms_sortorder_t *s, size_t n, int *desc)
{
    *desc = 0;
    if (t->kind != MS_TABLE_CONTENTS)
        return IDX_NONE;
    if (n == 0)
        return MS_IDX_MID;
    if (n != 1)
        return IDX_NONE;
    *desc = s[0].desc != 0;
    switch (MS_PROP_ID(s[0].tag)) {
    case 0x0E06: return MS_PROP_TYPE(s[0].tag) == MS_PT_SYSTIME ? MS_IDX_DELIVERY : IDX_NONE;
    case 0x0E1D: return MS_IDX_SUBJECT;
    case 0x0042: return MS_IDX_SENDER;
    case 0x0E08: return MS_PROP_TYPE(s[0].tag) == MS_PT_LONG ? MS_IDX_SIZE : IDX_NONE;
    case 0x674A: return MS_IDX_MID;
    default: return IDX_NONE;
    }
}

ms_err_t ms_table_sort(ms_table_t *t, const ms_sortorder_t *sorts, size_t n)
{
    if (!t || (n && !sorts) || n > 64)
        return ms__err(MS_E_INVALID_PARAM, "sort: bad sort order");
    for (size_t i = 0; i < n; i++)
        if (!ms__type_valid(MS_PROP_TYPE(sorts[i].tag)) || (MS_PROP_TYPE(sorts[i].tag) & MS_PT_MV))
            return ms__err(MS_E_TOO_COMPLEX, "cannot sort on 0x%08x", sorts[i].tag);
    ms_sortorder_t *s = malloc((n ? n : 1) * sizeof(*s));
    if (!s)
        return MS_E_NOMEM;
    if (n)
        memcpy(s, sorts, n * sizeof(*s));
    free(t->sorts);
    t->sorts = s;
    t->nsorts = n;
    t->idx = pick_index(t, s, n, &t->desc);
    if (t->idx == MS_IDX_MID && n == 0)
        t->desc = 0;
    drop_snapshot(t);
    reset_cursor(t);
    return MS_OK;
}

ms_err_t ms_table_restrict(ms_table_t *t, const ms_restriction_t *res)
{
    if (!t)
        return ms__err(MS_E_INVALID_PARAM, "restrict: NULL table");
    ms_restriction_t *copy = NULL;
    if (res) {
        ms_err_t rc = ms_restriction_dup(res, &copy);
        if (rc != MS_OK)
            return rc;
    }
    ms_restriction_free(t->res);
    t->res = copy;
    drop_snapshot(t);
    reset_cursor(t);
    return MS_OK;
}

int ms_table_indexed(const ms_table_t *t)
{
    return t && t->idx != IDX_NONE;
}

/* ---- row loading and matching ---- */
typedef struct { ms_txn_t *txn; uint64_t mgc; } subctx_t;

static ms_err_t load_subrows(void *c, uint32_t subobject, ms_propset_t **rows, size_t *n)
{
    subctx_t *x = c;
    char kind = MS_PROP_ID(subobject) == MS_PROP_ID(MS_PR_MESSAGE_RECIPIENTS) ? MS_OBJ_RECIP
              : MS_PROP_ID(subobject) == MS_PROP_ID(MS_PR_MESSAGE_ATTACHMENTS) ? MS_OBJ_ATTACH : 0;
    if (!kind)
        return MS_E_NOT_SUPPORTED;
    return ms__msg_load_subobjs(x->txn, x->mgc, kind, rows, n);
}

/* want: the tags the caller needs among the large values (NULL: all). */
static ms_err_t load_row(ms_table_t *t, ms_txn_t *txn, uint64_t id, uint32_t depth,
                         ms_propset_t *ps, const uint32_t *want, size_t nwant)
{
    if (t->kind == MS_TABLE_CONTENTS) {
        ms_msg_rec_t r;
        ms_err_t rc = ms__msg_rec(txn, id, &r);
        return rc == MS_OK ? ms__msg_load_row(txn, id, &r, ps, want, nwant) : rc;
    }
    ms_folder_rec_t f;
    ms_err_t rc = ms__folder_rec(txn, id, &f);
    uint8_t k[MS_OBJKEY_LEN];
    if (rc == MS_OK && (rc = ms__obj_read(txn, k, ms__objkey(k, t->mbx->mbx_id, MS_OBJ_FOLDER, id, 0), ps)) == MS_E_NOT_FOUND)
        rc = MS_OK;
    if (rc == MS_OK)
        rc = ms__folder_computed(txn, id, &f, ps);
    if (rc == MS_OK)
        rc = ms__ps_set_long(ps, MS_PR_DEPTH, (int32_t)depth);
    return rc;
}

static int row_matches(ms_table_t *t, ms_txn_t *txn, uint64_t id, uint32_t depth, ms_err_t *err)
{
    if (!t->res)
        return 1;
    ms_propset_t ps = {0};
    *err = load_row(t, txn, id, depth, &ps, NULL, 0);
    int m = 0;
    if (*err == MS_OK) {
        subctx_t sc = {txn, id};
        m = ms__res_eval(t->res, ps.v, ps.n, t->kind == MS_TABLE_CONTENTS ? load_subrows : NULL,
                         &sc, 0);
    }
    ms__ps_free(&ps);
    return m;
}

/* ---- index path ---- */
typedef struct { ms_table_t *t; ms_txn_t *txn; MDB_cursor *c; MDB_val k; uint8_t pre[12]; } ix_t;

static int ix_inprefix(ix_t *x)
{
    return x->k.mv_size > 18 - 6 && !memcmp(x->k.mv_data, x->pre, 12);
}

static uint64_t ix_id(const ix_t *x)
{
    return ms__get_be((const uint8_t *)x->k.mv_data + x->k.mv_size - 6, 6);
}

static int ix_raw(ix_t *x, MDB_cursor_op op)
{
    MDB_val v;
    return mdb_cursor_get(x->c, &x->k, &v, op) == 0 && ix_inprefix(x);
}

/* first key >= key (asc) */
static int ix_ge(ix_t *x, const uint8_t *key, size_t kl)
{
    x->k.mv_data = (void *)(uintptr_t)key;
    x->k.mv_size = kl;
    return ix_raw(x, MDB_SET_RANGE);
}

/* last key <= key */
static int ix_le(ix_t *x, const uint8_t *key, size_t kl)
{
    MDB_val v;
    x->k.mv_data = (void *)(uintptr_t)key;
    x->k.mv_size = kl;
    int r = mdb_cursor_get(x->c, &x->k, &v, MDB_SET_RANGE);
    if (r == 0) {
        if (x->k.mv_size == kl && !memcmp(x->k.mv_data, key, kl))
            return ix_inprefix(x);
        return ix_raw(x, MDB_PREV);
    }
    return ix_raw(x, MDB_LAST);
}

/* Move in table order: dir +1 next, -1 prev; 0 = first, 2 = last. Skips
 * non-matching rows when restricted. Returns 1 if on a row. */
static int ix_step(ix_t *x, int how, ms_err_t *err)
{
    int found;
    uint8_t end[12];
    int fwd = x->t->desc ? 0 : 1;
    if (how == 0 || how == 2) {
        int want_low = (how == 0) == fwd;
        if (want_low) {
            found = ix_ge(x, x->pre, 12);
        } else {
            memcpy(end, x->pre, 12);
            end[11]++;   /* kind < 255: no carry needed */
            found = ix_le(x, end, 12);
            if (found && x->k.mv_size == 12)
                found = ix_raw(x, MDB_PREV);
        }
    } else {
        found = ix_raw(x, (how > 0) == fwd ? MDB_NEXT : MDB_PREV);
    }
    int dir = how == 0 ? 1 : how == 2 ? -1 : how;
    while (found && !row_matches(x->t, x->txn, ix_id(x), 0, err)) {
        if (*err != MS_OK)
            return 0;
        found = ix_raw(x, (dir > 0) == fwd ? MDB_NEXT : MDB_PREV);
    }
    return found;
}

/* Position on the row at the cursor (first row at or after the saved key). */
static int ix_locate(ix_t *x, ms_err_t *err)
{
    if (x->t->at_end)
        return 0;
    if (!x->t->keylen)
        return ix_step(x, 0, err);
    int found = x->t->desc ? ix_le(x, x->t->key, x->t->keylen) : ix_ge(x, x->t->key, x->t->keylen);
    int fwd = !x->t->desc;
    while (found && !row_matches(x->t, x->txn, ix_id(x), 0, err)) {
        if (*err != MS_OK)
            return 0;
        found = ix_raw(x, fwd ? MDB_NEXT : MDB_PREV);
    }
    return found;
}

static void ix_save(ix_t *x, int on_row)
{
    if (!on_row) {
        x->t->at_end = 1;
        x->t->keylen = 0;
        return;
    }
    x->t->at_end = 0;
    x->t->keylen = x->k.mv_size < KEYMAX ? x->k.mv_size : KEYMAX;
    memcpy(x->t->key, x->k.mv_data, x->t->keylen);
}

static ms_err_t ix_open(ix_t *x, ms_table_t *t, ms_txn_t *txn)
{
    memset(x, 0, sizeof(*x));
    x->t = t;
    x->txn = txn;
    ms__key_mbx(x->pre, t->mbx->mbx_id);
    ms__put_be(x->pre + 4, t->fgc, 6);
    x->pre[10] = (uint8_t)t->view;
    x->pre[11] = (uint8_t)t->idx;
    return ms__mdb(mdb_cursor_open(txn->txn, txn->db->cindex, &x->c), "cursor");
}

typedef struct { uint64_t *v; uint32_t *d; size_t n, cap; } idlist_t;

static int idl_push(idlist_t *l, uint64_t id, uint32_t depth)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        uint64_t *nv = realloc(l->v, nc * sizeof(uint64_t));
        if (!nv)
            return -1;
        l->v = nv;
        uint32_t *nd = realloc(l->d, nc * sizeof(uint32_t));
        if (!nd)
            return -1;
        l->d = nd;
        l->cap = nc;
    }
    l->v[l->n] = id;
    l->d[l->n++] = depth;
    return 0;
}

/* Walk n rows forward/backward from the cursor; ids in table order. */
static ms_err_t ix_walk(ms_table_t *t, ms_txn_t *txn, uint32_t n, int backward, idlist_t *out)
{
    ix_t x;
    ms_err_t rc = ix_open(&x, t, txn), err = MS_OK;
    if (rc != MS_OK)
        return rc;
    if (!backward) {
        int on = ix_locate(&x, &err);
        while (on && out->n < n && err == MS_OK) {
            if (idl_push(out, ix_id(&x), 0)) {
                err = MS_E_NOMEM;
                break;
            }
            on = ix_step(&x, +1, &err);
        }
        if (err == MS_OK) {
            ix_save(&x, on);
            t->pos += (uint32_t)out->n;
        }
    } else {
        int on;
        if (t->at_end)
            on = ix_step(&x, 2, &err);
        else if (!t->keylen)
            on = 0;
        else
            on = ix_locate(&x, &err) ? ix_step(&x, -1, &err) : ix_step(&x, 2, &err);
        uint8_t last[KEYMAX];
        size_t lastlen = 0;
        while (on && out->n < n && err == MS_OK) {
            if (idl_push(out, ix_id(&x), 0)) {
                err = MS_E_NOMEM;
                break;
            }
            lastlen = x.k.mv_size < KEYMAX ? x.k.mv_size : KEYMAX;
            memcpy(last, x.k.mv_data, lastlen);
            on = ix_step(&x, -1, &err);
        }
        if (err == MS_OK && out->n) {
            t->at_end = 0;
            t->keylen = lastlen;
            memcpy(t->key, last, lastlen);
            t->pos = t->pos >= out->n ? t->pos - (uint32_t)out->n : 0;
            if (!on)
                t->keylen = 0, t->pos = 0;   /* reached the first row: canonical "beginning" */
            for (size_t i = 0; i < out->n / 2; i++) {   /* back to table order */
                uint64_t tmp = out->v[i];
                out->v[i] = out->v[out->n - 1 - i];
                out->v[out->n - 1 - i] = tmp;
            }
        }
    }
    mdb_cursor_close(x.c);
    return err;
}

static ms_err_t ix_count(ms_table_t *t, ms_txn_t *txn, uint32_t *count)
{
    if (!t->res) {
        ms_folder_rec_t f;
        ms_err_t rc = ms__folder_rec(txn, t->fgc, &f);
        if (rc == MS_OK)
            *count = t->view == MS_VIEW_DELETED ? f.deleted : t->view == MS_VIEW_ASSOC ? f.assoc : f.count;
        return rc;
    }
    ix_t x;
    ms_err_t rc = ix_open(&x, t, txn), err = MS_OK;
    if (rc != MS_OK)
        return rc;
    uint32_t n = 0;
    for (int on = ix_step(&x, 0, &err); on && err == MS_OK; on = ix_step(&x, +1, &err))
        n++;
    mdb_cursor_close(x.c);
    *count = n;
    return err;
}

/* ---- fallback path: sorted snapshot ---- */
typedef struct { uint64_t id; uint32_t depth; ms_propval_t *keys; } snaprow_t;

static int missing(const ms_propval_t *v)
{
    return MS_PROP_TYPE(v->tag) == MS_PT_ERROR;
}

static int snap_cmp(const void *a, const void *b, void *ctx)
{
    const snaprow_t *x = a, *y = b;
    const ms_table_t *sort_table = ctx;
    for (size_t i = 0; i < sort_table->nsorts; i++) {
        const ms_propval_t *p = &x->keys[i], *q = &y->keys[i];
        int c = missing(p) ? (missing(q) ? 0 : -1) : missing(q) ? 1 : ms_propval_cmp(p, q);
        if (c)
            return sort_table->sorts[i].desc ? -c : c;
    }
    int c = x->id < y->id ? -1 : x->id > y->id;
    return (sort_table->nsorts && sort_table->sorts[sort_table->nsorts - 1].desc) ? -c : c;
}

static ms_err_t collect_ids(ms_table_t *t, ms_txn_t *txn, idlist_t *l)
{
    if (t->kind == MS_TABLE_CONTENTS) {
        ix_t x;
        int saved_idx = t->idx, saved_desc = t->desc;
        ms_restriction_t *res = t->res;
        t->idx = MS_IDX_MID;
        t->desc = 0;
        t->res = NULL;
        ms_err_t rc = ix_open(&x, t, txn), err = MS_OK;
        if (rc == MS_OK) {
            for (int on = ix_step(&x, 0, &err); on && err == MS_OK; on = ix_step(&x, +1, &err))
                if (idl_push(l, ix_id(&x), 0))
                    err = MS_E_NOMEM;
            mdb_cursor_close(x.c);
        }
        t->idx = saved_idx;
        t->desc = saved_desc;
        t->res = res;
        return rc != MS_OK ? rc : err;
    }
    /* hierarchy: children (depth-first when MS_TABLE_DEPTH) */
    idlist_t stack = {0};
    ms_err_t rc = idl_push(&stack, t->fgc, 0) ? MS_E_NOMEM : MS_OK;
    while (rc == MS_OK && stack.n) {
        stack.n--;
        uint64_t parent = stack.v[stack.n];
        uint32_t d = stack.d[stack.n];
        MDB_cursor *c;
        int r = mdb_cursor_open(txn->txn, txn->db->children, &c);
        if (r) {
            rc = ms__mdb(r, "cursor");
            break;
        }
        uint8_t pre[10];
        ms__key_mbx(pre, t->mbx->mbx_id);
        ms__put_be(pre + 4, parent, 6);
        MDB_val k = {10, pre}, v;
        for (int g = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); !g; g = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
            if (k.mv_size != 16 || memcmp(k.mv_data, pre, 10))
                break;
            uint64_t child = ms__get_be((const uint8_t *)k.mv_data + 10, 6);
            if (idl_push(l, child, d) ||
                ((t->flags & MS_TABLE_DEPTH) && d < 1000 && idl_push(&stack, child, d + 1))) {
                rc = MS_E_NOMEM;
                break;
            }
        }
        mdb_cursor_close(c);
    }
    free(stack.v);
    free(stack.d);
    return rc;
}

static ms_err_t change_counter_of(ms_table_t *t, ms_txn_t *txn, uint64_t *cc)
{
    if (t->kind == MS_TABLE_HIERARCHY && (t->flags & MS_TABLE_DEPTH)) {
        ms_mbx_rec_t r;
        ms_err_t rc = ms__mbx_read(txn->db, txn->txn, t->mbx->mbx_id, &r);
        *cc = r.change_counter + (txn->rec_dirty ? 1 : 0);
        return rc;
    }
    ms_folder_rec_t f;
    ms_err_t rc = ms__folder_rec(txn, t->fgc, &f);
    *cc = f.change_counter;
    return rc;
}

static ms_err_t build_snapshot(ms_table_t *t, ms_txn_t *txn)
{
    uint64_t cc;
    ms_err_t rc = change_counter_of(t, txn, &cc);
    if (rc != MS_OK)
        return rc;
    if (t->snap_valid && cc == t->snap_cc)
        return MS_OK;
    uint64_t cur = t->snap_valid && t->pos < t->nids ? t->ids[t->pos] : 0;
    idlist_t l = {0};
    rc = collect_ids(t, txn, &l);
    snaprow_t *rows = rc == MS_OK ? calloc(l.n ? l.n : 1, sizeof(snaprow_t)) : NULL;
    if (rc == MS_OK && !rows)
        rc = MS_E_NOMEM;
    size_t nr = 0;
    for (size_t i = 0; rc == MS_OK && i < l.n; i++) {
        ms_propset_t ps = {0};
        uint32_t sorttags[64];
        for (size_t k = 0; k < t->nsorts && k < 64; k++)
            sorttags[k] = t->sorts[k].tag;
        rc = load_row(t, txn, l.v[i], l.d[i], &ps, t->res ? NULL : sorttags, t->nsorts);
        int keep = rc == MS_OK;
        if (keep && t->res) {
            subctx_t sc = {txn, l.v[i]};
            keep = ms__res_eval(t->res, ps.v, ps.n, t->kind == MS_TABLE_CONTENTS ? load_subrows : NULL,
                                &sc, 0);
        }
        if (keep && t->nsorts) {
            rows[nr].keys = calloc(t->nsorts, sizeof(ms_propval_t));
            if (!rows[nr].keys)
                rc = MS_E_NOMEM;
            for (size_t s = 0; rc == MS_OK && s < t->nsorts; s++) {
                const ms_propval_t *v = ms__ps_find(&ps, t->sorts[s].tag);
                if (v)
                    rc = ms_propval_dup(v, &rows[nr].keys[s]);
                else
                    rows[nr].keys[s].tag = MS_PROP_TAG(MS_PT_ERROR, MS_PROP_ID(t->sorts[s].tag));
            }
        }
        if (keep) {
            rows[nr].id = l.v[i];
            rows[nr].depth = l.d[i];
            nr++;
        }
        ms__ps_free(&ps);
    }
    if (rc == MS_OK && t->nsorts) {
        qsort_r(rows, nr, sizeof(snaprow_t), snap_cmp, t);
    }
    if (rc == MS_OK) {
        drop_snapshot(t);
        t->ids = l.v;
        t->depths = l.d;
        l.v = NULL;
        l.d = NULL;
        for (size_t i = 0; i < nr; i++) {
            t->ids[i] = rows[i].id;
            t->depths[i] = rows[i].depth;
        }
        t->nids = nr;
        t->snap_valid = 1;
        t->snap_cc = cc;
        if (cur) {   /* keep the cursor on the same row if it still exists */
            for (size_t i = 0; i < nr; i++)
                if (t->ids[i] == cur)
                    t->pos = (uint32_t)i;
        }
        if (t->pos > nr)
            t->pos = (uint32_t)nr;
    }
    for (size_t i = 0; rows && i < nr; i++)
        if (rows[i].keys)
            ms_propvals_free(rows[i].keys, t->nsorts);
    free(rows);
    free(l.v);
    free(l.d);
    return rc;
}

static ms_err_t walk(ms_table_t *t, ms_txn_t *txn, uint32_t n, int backward, idlist_t *out)
{
    if (t->idx != IDX_NONE)
        return ix_walk(t, txn, n, backward, out);
    ms_err_t rc = build_snapshot(t, txn);
    if (rc != MS_OK)
        return rc;
    size_t from, to;
    if (!backward) {
        from = t->pos;
        to = t->pos + (size_t)n > t->nids ? t->nids : t->pos + (size_t)n;
        t->pos = (uint32_t)to;
    } else {
        to = t->pos > t->nids ? t->nids : t->pos;
        from = to > n ? to - n : 0;
        t->pos = (uint32_t)from;
    }
    for (size_t i = from; i < to; i++)
        if (idl_push(out, t->ids[i], t->depths[i]))
            return MS_E_NOMEM;
    return MS_OK;
}

/* ---- public cursor API ---- */
ms_err_t ms_table_row_count(ms_txn_t *txn, ms_table_t *t, uint32_t *count)
{
    if (!count)
        return ms__err(MS_E_INVALID_PARAM, "row_count: NULL");
    int own;
    ms_err_t rc = txn_in(&txn, t, &own);
    if (rc != MS_OK)
        return rc;
    if (t->idx != IDX_NONE)
        rc = ix_count(t, txn, count);
    else if ((rc = build_snapshot(t, txn)) == MS_OK)
        *count = (uint32_t)t->nids;
    txn_out(txn, own);
    return rc;
}

ms_err_t ms_table_position(ms_txn_t *txn, ms_table_t *t, uint32_t *pos, uint32_t *count)
{
    if (!pos || !count)
        return ms__err(MS_E_INVALID_PARAM, "position: NULL");
    ms_err_t rc = ms_table_row_count(txn, t, count);
    if (rc != MS_OK)
        return rc;
    if (t->idx != IDX_NONE && t->at_end)
        t->pos = *count;
    *pos = t->pos > *count ? *count : t->pos;
    return MS_OK;
}

static ms_err_t move(ms_table_t *t, ms_txn_t *txn, int32_t offset, int32_t *moved)
{
    idlist_t l = {0};
    ms_err_t rc = MS_OK;
    if (offset > 0)
        rc = walk(t, txn, (uint32_t)offset, 0, &l);
    else if (offset < 0)
        rc = walk(t, txn, offset == INT32_MIN ? (uint32_t)INT32_MAX + 1u : (uint32_t)-offset, 1, &l);
    if (moved)
        *moved = offset >= 0 ? (int32_t)l.n : -(int32_t)l.n;
    free(l.v);
    free(l.d);
    return rc;
}

ms_err_t ms_table_seek(ms_txn_t *txn, ms_table_t *t, int origin, int32_t offset, int32_t *moved)
{
    if (origin < MS_BOOKMARK_BEGINNING || origin > MS_BOOKMARK_END)
        return ms__err(MS_E_INVALID_PARAM, "seek: bad origin %d", origin);
    int own;
    ms_err_t rc = txn_in(&txn, t, &own);
    if (rc != MS_OK)
        return rc;
    if (origin == MS_BOOKMARK_BEGINNING) {
        reset_cursor(t);
    } else if (origin == MS_BOOKMARK_END) {
        uint32_t count;
        if (t->idx != IDX_NONE) {
            rc = ix_count(t, txn, &count);
            t->at_end = 1;
            t->keylen = 0;
        } else {
            rc = build_snapshot(t, txn);
            count = (uint32_t)t->nids;
        }
        t->pos = count;
    }
    if (rc == MS_OK)
        rc = move(t, txn, offset, moved);
    txn_out(txn, own);
    return rc;
}

static ms_err_t build_rows(ms_table_t *t, ms_txn_t *txn, const idlist_t *l, ms_rowset_t *out)
{
    out->rows = calloc(l->n ? l->n : 1, sizeof(ms_propval_t *));
    out->ncols = (uint32_t)t->ncols;
    out->count = 0;
    if (!out->rows)
        return MS_E_NOMEM;
    for (size_t i = 0; i < l->n; i++) {
        ms_propset_t ps = {0};
        ms_err_t rc = load_row(t, txn, l->v[i], l->d[i], &ps, t->cols, t->ncols);
        ms_propval_t *row = rc == MS_OK ? calloc(t->ncols, sizeof(ms_propval_t)) : NULL;
        if (rc == MS_OK && !row)
            rc = MS_E_NOMEM;
        for (size_t c = 0; rc == MS_OK && c < t->ncols; c++) {
            const ms_propval_t *v = ms__ps_find(&ps, t->cols[c]);
            if (v) {
                rc = ms_propval_dup(v, &row[c]);
                if (MS_PROP_TYPE(t->cols[c]) != MS_PT_UNSPECIFIED)
                    row[c].tag = t->cols[c];
            } else {
                row[c].tag = MS_PROP_TAG(MS_PT_ERROR, MS_PROP_ID(t->cols[c]));
                row[c].value.err = (uint32_t)MS_E_NOT_FOUND;
            }
        }
        ms__ps_free(&ps);
        if (rc != MS_OK) {
            if (row)
                ms_propvals_free(row, t->ncols);
            return rc;
        }
        out->rows[out->count++] = row;
    }
    return MS_OK;
}

ms_err_t ms_table_query(ms_txn_t *txn, ms_table_t *t, uint32_t n, int backward, ms_rowset_t *out)
{
    if (!out)
        return ms__err(MS_E_INVALID_PARAM, "query: NULL");
    memset(out, 0, sizeof(*out));
    int own;
    ms_err_t rc = txn_in(&txn, t, &own);
    if (rc != MS_OK)
        return rc;
    idlist_t l = {0};
    rc = walk(t, txn, n, backward, &l);
    if (rc == MS_OK)
        rc = build_rows(t, txn, &l, out);
    if (rc != MS_OK)
        ms_rowset_free(out);
    free(l.v);
    free(l.d);
    txn_out(txn, own);
    return rc;
}

void ms_rowset_free(ms_rowset_t *rs)
{
    if (!rs)
        return;
    for (uint32_t i = 0; i < rs->count; i++)
        ms_propvals_free(rs->rows[i], rs->ncols);
    free(rs->rows);
    memset(rs, 0, sizeof(*rs));
}

/* Bookmark: pos(4) | at_end(1) | index key or row id. */
ms_err_t ms_table_bookmark(ms_table_t *t, ms_bookmark_t *bm)
{
    if (!t || !bm)
        return ms__err(MS_E_INVALID_PARAM, "bookmark: NULL");
    memset(bm, 0, sizeof(*bm));
    ms__put_be(bm->key, t->pos, 4);
    bm->key[4] = (uint8_t)t->at_end;
    if (t->idx != IDX_NONE) {
        memcpy(bm->key + 5, t->key, t->keylen);
        bm->len = 5 + (uint32_t)t->keylen;
    } else {
        uint64_t id = t->snap_valid && t->pos < t->nids ? t->ids[t->pos] : 0;
        ms__put_be(bm->key + 5, id, 8);
        bm->len = 13;
    }
    return MS_OK;
}

ms_err_t ms_table_seek_bookmark(ms_txn_t *txn, ms_table_t *t, const ms_bookmark_t *bm,
                                int32_t offset, int32_t *moved)
{
    if (!t || !bm || bm->len < 5 || bm->len > sizeof(bm->key) ||
        (t->idx != IDX_NONE && bm->len - 5 > KEYMAX) || (t->idx == IDX_NONE && bm->len != 13))
        return ms__err(MS_E_INVALID_BOOKMARK, "invalid bookmark");
    int own;
    ms_err_t rc = txn_in(&txn, t, &own);
    if (rc != MS_OK)
        return rc;
    uint32_t pos = (uint32_t)ms__get_be(bm->key, 4);
    if (t->idx != IDX_NONE) {
        ix_t x;
        memset(&x, 0, sizeof(x));
        ms__key_mbx(x.pre, t->mbx->mbx_id);
        ms__put_be(x.pre + 4, t->fgc, 6);
        x.pre[10] = (uint8_t)t->view;
        x.pre[11] = (uint8_t)t->idx;
        if (bm->len > 5 && (bm->len - 5 < 18 || memcmp(bm->key + 5, x.pre, 12)))
            rc = ms__err(MS_E_INVALID_BOOKMARK, "bookmark of another table or sort order");
        if (rc == MS_OK) {
            t->pos = pos;
            t->at_end = bm->key[4] != 0;
            t->keylen = bm->len - 5;
            memcpy(t->key, bm->key + 5, t->keylen);
        }
    } else if ((rc = build_snapshot(t, txn)) == MS_OK) {
        uint64_t id = ms__get_be(bm->key + 5, 8);
        t->pos = pos > t->nids ? (uint32_t)t->nids : pos;
        for (size_t i = 0; id && i < t->nids; i++)
            if (t->ids[i] == id)
                t->pos = (uint32_t)i;
    }
    if (rc == MS_OK)
        rc = move(t, txn, offset, moved);
    txn_out(txn, own);
    return rc;
}

ms_err_t ms_table_current_id(ms_txn_t *txn, ms_table_t *t, ms_id_t *id)
{
    if (!id)
        return ms__err(MS_E_INVALID_PARAM, "current_id: NULL");
    int own;
    ms_err_t rc = txn_in(&txn, t, &own);
    if (rc != MS_OK)
        return rc;
    if (t->idx != IDX_NONE) {
        ix_t x;
        ms_err_t err = MS_OK;
        if ((rc = ix_open(&x, t, txn)) == MS_OK) {
            if (ix_locate(&x, &err))
                *id = ms_id_make(MS_REPLID, ix_id(&x));
            else
                rc = err != MS_OK ? err : ms__err(MS_E_NOT_FOUND, "cursor is past the last row");
            mdb_cursor_close(x.c);
        }
    } else if ((rc = build_snapshot(t, txn)) == MS_OK) {
        if (t->pos < t->nids)
            *id = ms_id_make(MS_REPLID, t->ids[t->pos]);
        else
            rc = ms__err(MS_E_NOT_FOUND, "cursor is past the last row");
    }
    txn_out(txn, own);
    return rc;
}

ms_err_t ms_table_find_row(ms_txn_t *txn, ms_table_t *t, const ms_restriction_t *res, int origin,
                           int backward, ms_rowset_t *row)
{
    if (!res || !row || origin < MS_BOOKMARK_BEGINNING || origin > MS_BOOKMARK_END)
        return ms__err(MS_E_INVALID_PARAM, "find_row: bad argument");
    memset(row, 0, sizeof(*row));
    ms_err_t rc = origin == MS_BOOKMARK_CURRENT ? MS_OK : ms_table_seek(txn, t, origin, 0, NULL);
    int own;
    if (rc == MS_OK)
        rc = txn_in(&txn, t, &own);
    if (rc != MS_OK)
        return rc;
    for (;;) {
        idlist_t l = {0};
        rc = walk(t, txn, 1, backward, &l);
        if (rc == MS_OK && !l.n)
            rc = ms__err(MS_E_NOT_FOUND, "no matching row");
        int hit = 0;
        if (rc == MS_OK) {
            ms_propset_t ps = {0};
            rc = load_row(t, txn, l.v[0], l.d[0], &ps, NULL, 0);
            subctx_t sc = {txn, l.v[0]};
            hit = rc == MS_OK && ms__res_eval(res, ps.v, ps.n,
                                              t->kind == MS_TABLE_CONTENTS ? load_subrows : NULL, &sc, 0);
            ms__ps_free(&ps);
        }
        if (rc == MS_OK && hit) {
            if (!backward)
                rc = move(t, txn, -1, NULL);   /* back onto the row */
            if (rc == MS_OK)
                rc = build_rows(t, txn, &l, row);
        }
        free(l.v);
        free(l.d);
        if (rc != MS_OK || hit)
            break;
    }
    if (rc != MS_OK)
        ms_rowset_free(row);
    txn_out(txn, own);
    return rc;
}
