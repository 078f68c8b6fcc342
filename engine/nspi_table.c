/*
 * nspi_table.c - tables and positions ([MS-OXNSPI] 3.1.4.5 Positioning in
 * a Table, 3.1.4.4 Status-Based and Explicit Tables): UpdateStat,
 * QueryRows, SeekEntries, CompareMIds, ResortRestriction, GetMatches.
 */
#include <stdlib.h>
#include <string.h>

#include "nspi_internal.h"

uint32_t nspi_stat_check(const nspi_stat_t *st, int allow_unicode_cp)
{
    if (st->code_page == NSPI_CP_WINUNICODE) {
        if (!allow_unicode_cp)
            return NSPI_INVALID_CODEPAGE;
    } else if (!nspi_codepage_supported(st->code_page)) {
        return NSPI_INVALID_CODEPAGE;
    }
    if (st->sort_type != NSPI_SORT_DISPLAYNAME && st->sort_type != NSPI_SORT_PHONETIC &&
        st->sort_type != NSPI_SORT_DISPLAYNAME_RO && st->sort_type != NSPI_SORT_DISPLAYNAME_W)
        return NSPI_INVALID_PARAMETER;
    /* the GAL is the only container (3.1.4.5: unknown container) */
    if (st->container_id != NSPI_MID_GAL)
        return NSPI_INVALID_BOOKMARK;
    return NSPI_SUCCESS;
}

/* 3.1.4.5.1 Absolute Positioning (CurrentRec a MId or a special MId) and
 * 3.1.4.5.2 Fractional Positioning (CurrentRec MID_CURRENT: NumPos over
 * the client's TotalRecs), then Delta rows, clamped to the table. */
uint32_t nspi_stat_position(const nspi_rq_t *rq, const nspi_stat_t *st, uint32_t *pos, uint32_t *initial)
{
    uint32_t total = rq->gal->n;
    int64_t p;

    if (st->current_rec == NSPI_MID_BEGINNING_OF_TABLE) {
        p = 0;
    } else if (st->current_rec == NSPI_MID_END_OF_TABLE) {
        p = total;
    } else if (st->current_rec == NSPI_MID_CURRENT) {
        p = st->total_recs ? (int64_t)((uint64_t)total * st->num_pos / st->total_recs) : 0;
        if (p > total)
            p = total;
    } else {
        long i = nspi_gal_find_mid(rq->gal, st->current_rec);
        if (i < 0)
            return NSPI_NOT_FOUND;
        p = i;
    }
    if (initial)
        *initial = (uint32_t)p;
    p += st->delta;
    if (p < 0)
        p = 0;
    if (p > total)
        p = total;
    *pos = (uint32_t)p;
    return NSPI_SUCCESS;
}

void nspi_stat_set_position(const nspi_rq_t *rq, nspi_stat_t *st, uint32_t pos)
{
    st->current_rec = pos < rq->gal->n ? rq->gal->e[pos].mid : NSPI_MID_END_OF_TABLE;
    st->delta = 0;
    st->num_pos = pos;
    st->total_recs = rq->gal->n;
}

/* 3.1.4.1.4 NspiUpdateStat */
uint32_t nspi_do_updatestat(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_updatestat_req_t *q = &req->u.updatestat;
    nspi_updatestat_rsp_t *r = &rsp->u.updatestat;
    uint32_t pos, initial, err;

    if (!q->has_state)
        return NSPI_INVALID_PARAMETER;
    if ((err = nspi_stat_check(&q->state, 0)) || (err = nspi_stat_position(rq, &q->state, &pos, &initial)))
        return err;
    r->has_state = 1;
    r->state = q->state;
    nspi_stat_set_position(rq, &r->state, pos);
    if (q->delta_requested) {
        r->has_delta = 1;
        r->delta = (int32_t)((int64_t)pos - initial);
    }
    return NSPI_SUCCESS;
}

static long *idx_array(nspi_rq_t *rq, uint32_t n)
{
    return nspi_arena_array(rq->arena, n ? n : 1, sizeof(long));
}

/* 3.1.4.1.8 NspiQueryRows */
uint32_t nspi_do_queryrows(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_queryrows_req_t *q = &req->u.queryrows;
    nspi_rows_rsp_t *r = &rsp->u.rows;
    nspi_u32_array_t cols;
    uint32_t pos = 0, n, err;
    long *idx;

    if (q->has_columns)
        cols = q->columns;
    else
        nspi_default_columns(&cols, 0);
    rq->ephemeral = (q->flags & NSPI_FEPHID) != 0;
    if (q->explicit_table.count) {
        /* an Explicit Table: rows for its MIds in its order, STAT kept; the
         * container matters only without one (constraint 5) */
        if (q->has_state && q->state.code_page != NSPI_CP_WINUNICODE &&
            !nspi_codepage_supported(q->state.code_page))
            return NSPI_INVALID_CODEPAGE;
        n = q->explicit_table.count;
        if (n > q->row_count)
            n = q->row_count;
        if (n > NSPI_MAX_ROWS)
            n = NSPI_MAX_ROWS;
        if (!(idx = idx_array(rq, n)))
            return NSPI_NOT_ENOUGH_MEMORY;
        for (uint32_t i = 0; i < n; i++)
            idx[i] = nspi_gal_find_mid(rq->gal, q->explicit_table.v[i]);
        if (q->has_state) {
            r->has_state = 1;
            r->state = q->state;
            r->state.delta = 0;
        }
    } else {
        if (!q->has_state)
            return NSPI_INVALID_PARAMETER;
        if ((err = nspi_stat_check(&q->state, 1)) || (err = nspi_stat_position(rq, &q->state, &pos, NULL)))
            return err;
        n = rq->gal->n - pos;
        if (n > q->row_count)
            n = q->row_count;
        if (n > NSPI_MAX_ROWS)
            n = NSPI_MAX_ROWS;
        if (!(idx = idx_array(rq, n)))
            return NSPI_NOT_ENOUGH_MEMORY;
        for (uint32_t i = 0; i < n; i++)
            idx[i] = (long)(pos + i);
        r->has_state = 1;
        r->state = q->state;
        nspi_stat_set_position(rq, &r->state, pos + n);
    }
    r->has_cols_and_rows = 1;
    return nspi_rows_build(rq, &cols, idx, n, &r->rows);
}

/* The UTF-8 text of a string value (String8 in code page cp). */
static char *target_text(const nspi_propval_t *v, uint32_t cp)
{
    if (!v->present)
        return strdup("");
    if (v->type == NSPI_PT_STRING8)
        return nspi_str8_to_utf8(cp, v->u.bytes.p, v->u.bytes.len);
    if (v->type == NSPI_PT_UNICODE)
        return nspi_utf16_to_utf8(&v->u.bytes);
    return NULL;
}

static int cmp_long(const void *x, const void *y)
{
    long a = *(const long *)x, b = *(const long *)y;
    return a < b ? -1 : a > b;
}

/* Known MIds of an explicit table as GAL indexes in display-name order
 * (duplicates and unknown MIds dropped). */
static uint32_t sorted_explicit(nspi_rq_t *rq, const nspi_u32_array_t *mids, long **out)
{
    long *idx = idx_array(rq, mids->count);
    uint32_t n = 0;
    if (!idx)
        return 0;
    for (uint32_t i = 0; i < mids->count; i++) {
        long k = nspi_gal_find_mid(rq->gal, mids->v[i]);
        if (k >= 0)
            idx[n++] = k;
    }
    qsort(idx, n, sizeof(*idx), cmp_long);
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!m || idx[m - 1] != idx[i])
            idx[m++] = idx[i];
    *out = idx;
    return m;
}

/* 3.1.4.1.9 NspiSeekEntries: the first row whose sort key (the display
 * name) is >= the target. */
uint32_t nspi_do_seekentries(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_seekentries_req_t *q = &req->u.seekentries;
    nspi_rows_rsp_t *r = &rsp->u.rows;
    uint32_t err, pos, total, n;
    long *idx = NULL;
    char *text, *fold;

    if (!q->has_state || !q->has_target)
        return NSPI_INVALID_PARAMETER;
    /* constraints 9-12: only SortTypeDisplayName (no phonetic names here),
     * and only PidTagDisplayName can be sought; else GeneralFailure */
    err = nspi_stat_check(&q->state, 0);
    if (err == NSPI_INVALID_PARAMETER || (!err && q->state.sort_type != NSPI_SORT_DISPLAYNAME))
        return NSPI_GENERAL_FAILURE;
    if (err)
        return err;
    if (MAPI_PROP_ID(q->target.tag) != MAPI_PROP_ID(NSPI_TAG_DISPLAY_NAME) ||
        !(text = target_text(&q->target.v, q->state.code_page)))
        return NSPI_GENERAL_FAILURE;
    fold = nspi_fold(text);
    free(text);
    if (!fold)
        return NSPI_NOT_ENOUGH_MEMORY;
    if (q->has_explicit_table && q->explicit_table.count) {
        total = sorted_explicit(rq, &q->explicit_table, &idx);
        for (pos = 0; pos < total && strcmp(rq->gal->e[idx[pos]].fold, fold) < 0; pos++)
            ;
    } else {
        total = rq->gal->n;
        pos = nspi_gal_lower_bound(rq->gal, fold);
    }
    free(fold);
    if (pos >= total)
        return NSPI_NOT_FOUND;
    r->has_state = 1;
    r->state = q->state;
    if (idx) {
        r->state.current_rec = rq->gal->e[idx[pos]].mid;
        r->state.delta = 0;
        r->state.num_pos = pos;
        r->state.total_recs = total;
    } else {
        nspi_stat_set_position(rq, &r->state, pos);
    }
    if (!q->has_columns)
        return NSPI_SUCCESS;
    n = total - pos > NSPI_MAX_ROWS ? NSPI_MAX_ROWS : total - pos;
    long *rows = idx_array(rq, n);
    if (!rows)
        return NSPI_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < n; i++)
        rows[i] = idx ? idx[pos + i] : (long)(pos + i);
    r->has_cols_and_rows = 1;
    return nspi_rows_build(rq, &q->columns, rows, n, &r->rows);
}

/* Position of an object's MId for CompareMIds (the special MIds name no
 * object: constraint 5, GeneralFailure). */
static int mid_position(const nspi_rq_t *rq, uint32_t mid, int64_t *pos)
{
    long i;
    if ((i = nspi_gal_find_mid(rq->gal, mid)) < 0)
        return 0;
    *pos = i;
    return 1;
}

/* 3.1.4.1.13 NspiCompareMIds */
uint32_t nspi_do_comparemids(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_comparemids_req_t *q = &req->u.comparemids;
    int64_t a, b;
    uint32_t err;

    if (q->has_state && (err = nspi_stat_check(&q->state, 0)))
        return err;
    if (!mid_position(rq, q->mid1, &a) || !mid_position(rq, q->mid2, &b))
        return NSPI_GENERAL_FAILURE;
    rsp->u.comparemids.result = a < b ? -1 : a > b ? 1 : 0;
    return NSPI_SUCCESS;
}

/* 3.1.4.1.11 NspiResortRestriction: the explicit table in display-name
 * order; the STAT describes the new table. */
uint32_t nspi_do_resortrestriction(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_resortrestriction_req_t *q = &req->u.resortrestriction;
    nspi_resortrestriction_rsp_t *r = &rsp->u.resortrestriction;
    uint32_t err, n;
    long *idx = NULL;

    if (!q->has_state || !q->has_mids)
        return NSPI_INVALID_PARAMETER;
    if ((err = nspi_stat_check(&q->state, 0)))
        return err;
    if (q->state.sort_type == NSPI_SORT_PHONETIC)
        return NSPI_GENERAL_FAILURE;     /* constraint 5: no phonetic names */
    n = sorted_explicit(rq, &q->mids, &idx);
    if (!idx)
        return NSPI_NOT_ENOUGH_MEMORY;
    r->has_mids = 1;
    r->mids.count = n;
    if (!(r->mids.v = nspi_arena_array(rq->arena, n ? n : 1, sizeof(uint32_t))))
        return NSPI_NOT_ENOUGH_MEMORY;
    r->has_state = 1;
    r->state = q->state;
    r->state.delta = 0;
    r->state.num_pos = 0;
    r->state.total_recs = n;
    for (uint32_t i = 0; i < n; i++) {
        r->mids.v[i] = rq->gal->e[idx[i]].mid;
        if (r->mids.v[i] == q->state.current_rec)
            r->state.num_pos = i;
    }
    if (r->state.num_pos == 0 && (n == 0 || r->mids.v[0] != q->state.current_rec))
        r->state.current_rec = NSPI_MID_BEGINNING_OF_TABLE;
    return NSPI_SUCCESS;
}

/* ---- restrictions with ANR ---------------------------------------------
 * A Property or Content restriction on PidTagAnr asks for ambiguous name
 * resolution of its value (Outlook's "Check Names" list): such nodes are
 * evaluated with nspi_anr_match(), AND/OR/NOT around them here, every
 * other node by the shared evaluator. */
#define NSPI_ANR_MAX 16
typedef struct {
    const mapi_restriction_t *node[NSPI_ANR_MAX];
    char *fold[NSPI_ANR_MAX];
    unsigned n;
    int overflow;
} nspi_anr_set_t;

static const mapi_propval_t *anr_value(const mapi_restriction_t *r)
{
    if (r->type == MAPI_RES_PROPERTY && MAPI_PROP_ID(r->u.prop.tag) == NSPI_TAG_ANR_ID)
        return &r->u.prop.value;
    if (r->type == MAPI_RES_CONTENT && MAPI_PROP_ID(r->u.content.tag) == NSPI_TAG_ANR_ID)
        return &r->u.content.value;
    return NULL;
}

/* Collects the ANR nodes and their folded values; 1 if there is one. */
static int anr_collect(const mapi_restriction_t *r, uint32_t cp, nspi_anr_set_t *set)
{
    const mapi_propval_t *v = anr_value(r);
    int found = 0;
    if (v) {
        char *u = NULL;
        if (MAPI_PROP_TYPE(v->tag) == MAPI_PT_STRING8 && v->v.str)
            u = nspi_str8_to_utf8(cp, (const uint8_t *)v->v.str, strlen(v->v.str));
        else if (MAPI_PROP_TYPE(v->tag) == MAPI_PT_UNICODE && v->v.str)
            u = strdup(v->v.str);
        if (set->n < NSPI_ANR_MAX) {
            set->node[set->n] = r;
            set->fold[set->n++] = u ? nspi_fold(u) : NULL;
        } else {
            set->overflow = 1;
        }
        free(u);
        return 1;
    }
    if (r->type == MAPI_RES_AND || r->type == MAPI_RES_OR)
        for (uint32_t i = 0; i < r->u.andor.count; i++)
            found |= anr_collect(&r->u.andor.subs[i], cp, set);
    else if (r->type == MAPI_RES_NOT)
        found = anr_collect(r->u.not_.sub, cp, set);
    return found;
}

static int anr_eval(mapi_restriction_t *r, const nspi_anr_set_t *set, const mapi_restriction_ops_t *ops,
                    nspi_eval_t *ev)
{
    if (anr_value(r)) {
        for (unsigned i = 0; i < set->n; i++)
            if (set->node[i] == r)
                return set->fold[i] && nspi_anr_match(ev->e, set->fold[i]);
        return 0;
    }
    switch (r->type) {
    case MAPI_RES_AND:
        for (uint32_t i = 0; i < r->u.andor.count; i++)
            if (!anr_eval(&r->u.andor.subs[i], set, ops, ev))
                return 0;
        return 1;
    case MAPI_RES_OR:
        for (uint32_t i = 0; i < r->u.andor.count; i++)
            if (anr_eval(&r->u.andor.subs[i], set, ops, ev))
                return 1;
        return 0;
    case MAPI_RES_NOT:
        return !anr_eval(r->u.not_.sub, set, ops, ev);
    default:
        return mapi_restriction_match_ex(r, ops, ev);
    }
}

/* 3.1.4.1.10 NspiGetMatches: an Explicit Table of the rows of the GAL that
 * match the restriction. More matches than the client asked for:
 * TableTooBig. */
uint32_t nspi_do_getmatches(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_getmatches_req_t *q = &req->u.getmatches;
    nspi_rows_rsp_t *r = &rsp->u.rows;
    uint32_t err, ncand, nmatch = 0;
    long *match;

    if (!q->has_state)
        return NSPI_INVALID_PARAMETER;
    /* MinimalIds is NspiGetMatches' pReserved: it must be absent (TooComplex) */
    if (q->has_mids)
        return NSPI_TOO_COMPLEX;
    if ((err = nspi_stat_check(&q->state, 0)))
        return err;
    ncand = rq->gal->n;
    if (!(match = idx_array(rq, ncand)))
        return NSPI_NOT_ENOUGH_MEMORY;
    if (q->has_filter && q->filter_tree) {
        mapi_restriction_ops_t ops = {nspi_eval_get, NULL, rq->cp == NSPI_CP_WINUNICODE ? 1252 : rq->cp};
        nspi_eval_t ev = {rq, NULL, {0, {0}}};
        nspi_anr_set_t anr;
        int has_anr;
        memset(&anr, 0, sizeof(anr));
        has_anr = anr_collect(q->filter_tree, ops.codepage, &anr);
        mapi_restriction_reset(q->filter_tree);
        for (uint32_t i = 0; i < ncand && !anr.overflow; i++) {
            ev.e = &rq->gal->e[i];
            int hit = has_anr ? anr_eval(q->filter_tree, &anr, &ops, &ev)
                              : mapi_restriction_match_ex(q->filter_tree, &ops, &ev);
            if (hit)
                match[nmatch++] = (long)i;
        }
        for (unsigned i = 0; i < anr.n; i++)
            free(anr.fold[i]);
        if (anr.overflow)
            return NSPI_TOO_COMPLEX;
    } else {
        /* no filter: the values of a link property of the object at
         * CurrentRec (constraint 10: GeneralFailure when there is no such
         * object); no user has link values, so the table is empty */
        if (nspi_gal_find_mid(rq->gal, q->state.current_rec) < 0)
            return NSPI_GENERAL_FAILURE;
    }
    if (nmatch > q->row_count || nmatch > NSPI_MAX_ROWS)
        return NSPI_TABLE_TOO_BIG;
    r->has_state = 1;
    r->state = q->state;
    r->state.current_rec = NSPI_MID_BEGINNING_OF_TABLE;
    r->state.delta = 0;
    r->state.num_pos = 0;
    r->state.total_recs = nmatch;
    r->has_mids = 1;
    r->mids.count = nmatch;
    if (!(r->mids.v = nspi_arena_array(rq->arena, nmatch ? nmatch : 1, sizeof(uint32_t))))
        return NSPI_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < nmatch; i++)
        r->mids.v[i] = rq->gal->e[match[i]].mid;
    if (!q->has_columns)
        return NSPI_SUCCESS;
    r->has_cols_and_rows = 1;
    return nspi_rows_build(rq, &q->columns, match, nmatch, &r->rows);
}
