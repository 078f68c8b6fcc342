/*
 * nspi_names.c - name resolution and object properties ([MS-OXNSPI]
 * 3.1.4.1.13 NspiResolveNamesW, 3.1.4.1.9 NspiDNToMId, 3.1.4.1.7
 * NspiGetProps, 3.1.4.1.6 NspiGetPropList, 3.1.4.1.5 NspiQueryColumns).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "nspi_internal.h"

long nspi_own_entry(const nspi_rq_t *rq)
{
    long i;
    if (!rq->ctx->user || !*rq->ctx->user)
        return -1;
    if ((i = nspi_gal_find_key(rq->gal, NSPI_KEY_LOGIN, rq->ctx->user)) >= 0)
        return i;
    return nspi_gal_find_key(rq->gal, NSPI_KEY_SMTP, rq->ctx->user);
}

/* ---- ResolveNames ------------------------------------------------------
 * A name resolves, case-insensitively, by (1) an exact SMTP address
 * ("SMTP:" prefix allowed), login name, alias or legacyExchangeDN, which
 * are unique; else (2) ambiguous name resolution over the prefixes of the
 * display names and of their later words (surnames), aliases and SMTP
 * addresses: one entry -> MID_RESOLVED and a row for it, none ->
 * MID_UNRESOLVED, several -> MID_AMBIGUOUS unless exactly one of them has
 * the name as its whole display name. */
static void trim(char *s)
{
    size_t n = strlen(s), b = 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = 0;
    while (s[b] == ' ' || s[b] == '\t')
        b++;
    memmove(s, s + b, n - b + 1);
}

typedef struct {
    long found[2];
    unsigned n;
    long exact;          /* the one candidate whose display name is the name */
    unsigned nexact;
} nspi_anr_t;

static void anr_add(nspi_anr_t *a, long idx)
{
    for (unsigned i = 0; i < a->n; i++)
        if (a->found[i] == idx)
            return;
    if (a->n < 2)
        a->found[a->n] = idx;
    a->n++;
}

/* Entries whose key of `kind` starts with the name. */
static void anr_keys(const nspi_gal_t *g, char kind, const char *name, nspi_anr_t *a)
{
    size_t n = strlen(name), lo = 0, hi = g->nkeys;
    char *k = malloc(n + 2);
    if (!k)
        return;
    k[0] = kind;
    for (size_t i = 0; i <= n; i++)
        k[i + 1] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] + 32) : name[i];
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (strcmp(g->keys[m].key, k) < 0)
            lo = m + 1;
        else
            hi = m;
    }
    for (; lo < g->nkeys && !strncmp(g->keys[lo].key, k, n + 1) && a->n < 3; lo++)
        anr_add(a, (long)g->keys[lo].idx);
    free(k);
}

static uint32_t resolve_one(const nspi_gal_t *g, char *name, long *idx)
{
    static const char kinds[] = {NSPI_KEY_SMTP, NSPI_KEY_LOGIN, NSPI_KEY_ALIAS, NSPI_KEY_DN};
    nspi_anr_t a;
    char *fold;
    long i;

    trim(name);
    if (!*name)
        return NSPI_MID_UNRESOLVED;
    if (!strncasecmp(name, "SMTP:", 5))
        name += 5;
    for (unsigned k = 0; k < sizeof(kinds); k++)
        if ((i = nspi_gal_find_key(g, kinds[k], name)) >= 0) {
            *idx = i;
            return g->e[i].mid;
        }
    memset(&a, 0, sizeof(a));
    a.exact = -1;
    if (!(fold = nspi_fold(name)))
        return NSPI_MID_UNRESOLVED;
    /* the names equal to the prefix sort first among those it starts */
    for (uint32_t p = nspi_gal_lower_bound(g, name); p < g->n && nspi_fold_has_prefix(g->e[p].fold, fold); p++) {
        if (!strcmp(g->e[p].fold, fold)) {
            a.exact = (long)p;
            a.nexact++;
        } else if (a.n >= 2) {
            break;
        }
        anr_add(&a, (long)p);
    }
    anr_keys(g, NSPI_KEY_WORD, fold, &a);
    free(fold);
    anr_keys(g, NSPI_KEY_ALIAS, name, &a);
    anr_keys(g, NSPI_KEY_SMTP, name, &a);
    if (a.n == 0)
        return NSPI_MID_UNRESOLVED;
    if (a.n > 1 && a.nexact != 1)
        return NSPI_MID_AMBIGUOUS;
    *idx = a.n == 1 ? a.found[0] : a.exact;
    return g->e[*idx].mid;
}

int nspi_anr_match(const nspi_entry_t *e, const char *fold)
{
    size_t n = strlen(fold);
    if (!n)
        return 0;
    if (!strncmp(e->fold, fold, n) || !strncasecmp(e->alias, fold, n) || !strncasecmp(e->login, fold, n))
        return 1;
    for (const char *p = e->fold + 1; *p; p++)
        if (nspi_is_word_sep(p[-1]) && !nspi_is_word_sep(*p) && !strncmp(p, fold, n))
            return 1;
    for (unsigned k = 0; k < e->nsmtp; k++)
        if (!strncasecmp(e->smtp[k], fold, n))
            return 1;
    return 0;
}

uint32_t nspi_do_resolvenames(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_resolvenames_req_t *q = &req->u.resolvenames;
    nspi_resolvenames_rsp_t *r = &rsp->u.resolvenames;
    nspi_u32_array_t cols;
    uint32_t err, n = q->has_names ? q->names.count : 0, nres = 0;
    long *idx;

    if (!q->has_state)
        return NSPI_INVALID_PARAMETER;
    if ((err = nspi_stat_check(&q->state, 0)))
        return err;
    if (q->has_proptags)
        cols = q->proptags;
    else
        nspi_default_columns(&cols, 1);
    r->code_page = q->state.code_page;
    r->has_mids = 1;
    r->mids.count = n;
    r->mids.v = nspi_arena_array(rq->arena, n ? n : 1, sizeof(uint32_t));
    idx = nspi_arena_array(rq->arena, n ? n : 1, sizeof(long));
    if (!r->mids.v || !idx)
        return NSPI_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < n; i++) {
        char *name = nspi_utf16_to_utf8(&q->names.s[i]);
        long k = -1;
        if (!name)
            return NSPI_NOT_ENOUGH_MEMORY;
        r->mids.v[i] = resolve_one(rq->gal, name, &k);
        free(name);
        if (r->mids.v[i] != NSPI_MID_UNRESOLVED && r->mids.v[i] != NSPI_MID_AMBIGUOUS) {
            /* [MS-OXNSPI] 3.1.4.7: a name mapped to one object is
             * MID_RESOLVED; its row says which object */
            r->mids.v[i] = NSPI_MID_RESOLVED;
            idx[nres++] = k;
        }
    }
    /* one row per resolved name, in the order of the names */
    r->has_rows_and_cols = 1;
    return nspi_rows_build(rq, &cols, idx, nres, &r->rows);
}

/* ---- DNToMId: 0 for a DN we do not know ------------------------------ */
uint32_t nspi_do_dntomid(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_dntomid_req_t *q = &req->u.dntomid;
    nspi_dntomid_rsp_t *r = &rsp->u.dntomid;
    uint32_t n = q->has_names ? q->names.count : 0;

    r->has_mids = 1;
    r->mids.count = n;
    if (!(r->mids.v = nspi_arena_array(rq->arena, n ? n : 1, sizeof(uint32_t))))
        return NSPI_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < n; i++) {
        char *dn = mapi_arena_strndup(rq->arena, (const char *)q->names.s[i].p, q->names.s[i].len);
        long k;
        if (!dn)
            return NSPI_NOT_ENOUGH_MEMORY;
        k = nspi_gal_find_key(rq->gal, NSPI_KEY_DN, dn);
        r->mids.v[i] = k >= 0 ? rq->gal->e[k].mid : 0;
    }
    return NSPI_SUCCESS;
}

/* ---- property lists --------------------------------------------------- */
/* String tags in the form the code page asks for. */
static uint32_t string_form(uint32_t tag, int unicode)
{
    uint16_t t = MAPI_PROP_TYPE(tag);
    if (t == MAPI_PT_UNICODE || t == MAPI_PT_STRING8)
        return MAPI_PROP_CHANGE_TYPE(tag, unicode ? MAPI_PT_UNICODE : MAPI_PT_STRING8);
    if (t == MAPI_PT_MV_UNICODE || t == MAPI_PT_MV_STRING8)
        return MAPI_PROP_CHANGE_TYPE(tag, unicode ? MAPI_PT_MV_UNICODE : MAPI_PT_MV_STRING8);
    return tag;
}

static uint32_t tag_list(nspi_rq_t *rq, const uint32_t *tags, size_t n, int unicode, nspi_u32_array_t *out)
{
    out->count = (uint32_t)n;
    if (!(out->v = nspi_arena_array(rq->arena, n ? n : 1, sizeof(uint32_t))))
        return NSPI_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < n; i++)
        out->v[i] = string_form(tags[i], unicode);
    return NSPI_SUCCESS;
}

/* 3.1.4.1.6 NspiGetPropList */
uint32_t nspi_do_getproplist(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_getproplist_req_t *q = &req->u.getproplist;
    const uint32_t *tags;
    size_t n;
    long k;

    if (q->code_page != NSPI_CP_WINUNICODE && !nspi_codepage_supported(q->code_page))
        return NSPI_INVALID_CODEPAGE;
    if ((k = nspi_gal_find_mid(rq->gal, q->mid)) < 0)
        return NSPI_NOT_FOUND;
    (void)k;
    tags = nspi_prop_list(0, &n);
    rsp->u.proptags.has_proptags = 1;
    return tag_list(rq, tags, n, q->code_page == NSPI_CP_WINUNICODE, &rsp->u.proptags.proptags);
}

/* 3.1.4.1.5 NspiQueryColumns: every property the server knows. */
uint32_t nspi_do_querycolumns(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    uint32_t all[64];
    size_t nu, nc, n = 0;
    const uint32_t *u = nspi_prop_list(0, &nu);
    const uint32_t *c = nspi_prop_list(1, &nc);
    static const uint32_t extra[] = {NSPI_TAG_PRIMARY_TELEPHONE, NSPI_TAG_DEPARTMENT_NAME,
                                     NSPI_TAG_OFFICE_LOCATION, NSPI_TAG_USER_X509_CERT, NSPI_TAG_AB_X509_CERT};
    for (size_t i = 0; i < nu; i++)
        all[n++] = u[i];
    for (size_t i = 0; i < nc + 5; i++) {
        uint32_t t = i < nc ? c[i] : extra[i - nc];
        size_t j;
        for (j = 0; j < n && MAPI_PROP_ID(all[j]) != MAPI_PROP_ID(t); j++)
            ;
        if (j == n)
            all[n++] = t;
    }
    rsp->u.proptags.has_proptags = 1;
    return tag_list(rq, all, n, (req->u.querycolumns.mapi_flags & NSPI_UNICODE_PROPTYPES) != 0,
                    &rsp->u.proptags.proptags);
}

/* ---- GetProps ------------------------------------------------------------ */
static int tagged_value(nspi_rq_t *rq, const nspi_entry_t *e, uint32_t tag, nspi_tagged_t *out)
{
    nspi_rowval_t rv;
    int rc = nspi_prop_rowval(rq, e, tag, &rv);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        out->tag = MAPI_PROP_CHANGE_TYPE(tag, rv.v.type);
        out->v = rv.v;
        return 1;
    }
    out->tag = MAPI_PROP_CHANGE_TYPE(tag, NSPI_PT_ERROR);
    out->v.type = NSPI_PT_ERROR;
    out->v.present = 1;
    out->v.u.i32 = NSPI_NOT_FOUND;
    return 0;
}

uint32_t nspi_proplist_build(nspi_rq_t *rq, const nspi_entry_t *e, const nspi_u32_array_t *tags,
                             nspi_proplist_t *out)
{
    uint32_t missing = 0;
    out->count = tags->count;
    if (!(out->v = nspi_arena_array(rq->arena, tags->count ? tags->count : 1, sizeof(nspi_tagged_t))))
        return NSPI_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < tags->count; i++) {
        int rc = tagged_value(rq, e, tags->v[i], &out->v[i]);
        if (rc < 0)
            return NSPI_NOT_ENOUGH_MEMORY;
        missing += rc == 0;
    }
    return missing ? NSPI_ERRORS_RETURNED : NSPI_SUCCESS;
}

/* Every tag as PtypErrorCode NotFound: ErrorsReturned. */
static uint32_t no_values(nspi_rq_t *rq, const nspi_u32_array_t *tags, nspi_proplist_t *out)
{
    out->count = tags->count;
    if (!(out->v = nspi_arena_array(rq->arena, tags->count ? tags->count : 1, sizeof(nspi_tagged_t))))
        return NSPI_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < tags->count; i++) {
        out->v[i].tag = MAPI_PROP_CHANGE_TYPE(tags->v[i], NSPI_PT_ERROR);
        out->v[i].v.type = NSPI_PT_ERROR;
        out->v[i].v.present = 1;
        out->v[i].v.u.i32 = NSPI_NOT_FOUND;
    }
    return NSPI_ERRORS_RETURNED;
}

/* 3.1.4.1.7 NspiGetProps: the object is STAT.CurrentRec. */
uint32_t nspi_do_getprops(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_getprops_req_t *q = &req->u.getprops;
    nspi_getprops_rsp_t *r = &rsp->u.getprops;
    nspi_u32_array_t tags;
    const nspi_entry_t *e;
    uint32_t err;
    long k;

    if (!q->has_state)
        return NSPI_INVALID_PARAMETER;
    if (q->state.code_page != NSPI_CP_WINUNICODE && !nspi_codepage_supported(q->state.code_page))
        return NSPI_INVALID_CODEPAGE;
    /* constraint 11: an object the server cannot locate (MID_CURRENT and
     * the other special MIds included) is one with no values; the
     * container is not checked (Exchange answers ErrorsReturned too) */
    k = nspi_gal_find_mid(rq->gal, q->state.current_rec);
    e = k >= 0 ? &rq->gal->e[k] : NULL;
    rq->ephemeral = (q->flags & NSPI_FEPHID) != 0;
    if (q->has_proptags) {
        tags = q->proptags;
    } else {
        size_t n;
        const uint32_t *all = nspi_prop_list(0, &n);
        if ((err = tag_list(rq, all, n, q->state.code_page == NSPI_CP_WINUNICODE, &tags)))
            return err;
    }
    r->code_page = q->state.code_page;
    r->has_values = 1;
    if (!e)
        return no_values(rq, &tags, &r->values);
    return nspi_proplist_build(rq, e, &tags, &r->values);
}
