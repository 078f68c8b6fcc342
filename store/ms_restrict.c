/*
 * ms_restrict.c - evaluation of [MS-OXCDATA] 2.12 restrictions against rows.
 * The tree is the store's own (ms_restriction_t); the wire codec lives in
 * the ROP layer.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ms_internal.h"
#include "ms_table.h"

static const ms_propval_t *find(const ms_propval_t *row, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (MS_PROP_TYPE(row[i].tag) != MS_PT_ERROR && ms__tag_match(tag, row[i].tag))
            return &row[i];
    return NULL;
}

static int relop_ok(int relop, int c)
{
    switch (relop) {
    case MS_RELOP_LT: return c < 0;
    case MS_RELOP_LE: return c <= 0;
    case MS_RELOP_GT: return c > 0;
    case MS_RELOP_GE: return c >= 0;
    case MS_RELOP_EQ: return c == 0;
    case MS_RELOP_NE: return c != 0;
    default: return 0;   /* RELOP_RE (regular expressions) is not supported */
    }
}

static int strcase_prefix(const char *s, const char *p, int icase)
{
    size_t l = strlen(p);
    return icase ? strncasecmp(s, p, l) == 0 : strncmp(s, p, l) == 0;
}

static int strcase_sub(const char *s, const char *p, int icase)
{
    if (!icase)
        return strstr(s, p) != NULL;
    size_t l = strlen(p);
    for (; *s; s++)
        if (!strncasecmp(s, p, l))
            return 1;
    return l == 0;
}

static int content_str(const char *s, const char *p, uint32_t fuzzy)
{
    int icase = (fuzzy & (MS_FL_IGNORECASE | MS_FL_LOOSE)) != 0;
    switch (fuzzy & 0xFFFF) {
    case MS_FL_SUBSTRING: return strcase_sub(s, p, icase);
    case MS_FL_PREFIX: return strcase_prefix(s, p, icase);
    default: return icase ? !strcasecmp(s, p) : !strcmp(s, p);
    }
}

static int content_bin(const ms_binary_t *b, const ms_binary_t *p, uint32_t fuzzy)
{
    switch (fuzzy & 0xFFFF) {
    case MS_FL_SUBSTRING:
        if (p->cb == 0)
            return 1;
        for (uint32_t i = 0; i + p->cb <= b->cb; i++)
            if (!memcmp(b->pb + i, p->pb, p->cb))
                return 1;
        return 0;
    case MS_FL_PREFIX: return b->cb >= p->cb && (!p->cb || !memcmp(b->pb, p->pb, p->cb));
    default: return b->cb == p->cb && (!p->cb || !memcmp(b->pb, p->pb, p->cb));
    }
}

/* [MS-OXCDATA] 2.12.4: strings and binaries; a multi-value matches if any value does. */
static int eval_content(const ms_restriction_t *r, const ms_propval_t *v)
{
    uint16_t t = MS_PROP_TYPE(v->tag), rt = MS_PROP_TYPE(r->u.content.val.tag);
    int rstr = rt == MS_PT_UNICODE || rt == MS_PT_STRING8;
    if (t == MS_PT_UNICODE || t == MS_PT_STRING8)
        return rstr && content_str(v->value.str, r->u.content.val.value.str, r->u.content.fuzzy);
    if (t == MS_PT_BINARY)
        return rt == MS_PT_BINARY && content_bin(&v->value.bin, &r->u.content.val.value.bin,
                                                 r->u.content.fuzzy);
    if ((t == MS_PT_MV_UNICODE || t == MS_PT_MV_STRING8) && rstr) {
        for (uint32_t i = 0; i < v->value.mv.count; i++)
            if (content_str(v->value.mv.v.str[i], r->u.content.val.value.str, r->u.content.fuzzy))
                return 1;
        return 0;
    }
    if (t == MS_PT_MV_BINARY && rt == MS_PT_BINARY) {
        for (uint32_t i = 0; i < v->value.mv.count; i++)
            if (content_bin(&v->value.mv.v.bin[i], &r->u.content.val.value.bin, r->u.content.fuzzy))
                return 1;
        return 0;
    }
    return 0;
}

static int same_family(uint16_t a, uint16_t b)
{
    int as = a == MS_PT_UNICODE || a == MS_PT_STRING8, bs = b == MS_PT_UNICODE || b == MS_PT_STRING8;
    return as ? bs : a == b;
}

static int eval_property(const ms_restriction_t *r, const ms_propval_t *v)
{
    uint16_t t = MS_PROP_TYPE(v->tag), rt = MS_PROP_TYPE(r->u.prop.val.tag);
    if (t & MS_PT_MV) {   /* any element: build a single value view */
        uint16_t b = t & (uint16_t)~MS_PT_MV;
        if (!same_family(b, rt))
            return 0;
        for (uint32_t i = 0; i < v->value.mv.count; i++) {
            ms_propval_t e = {.tag = MS_PROP_TAG(b, 0)};
            switch (b) {
            case MS_PT_SHORT: e.value.i = v->value.mv.v.i[i]; break;
            case MS_PT_LONG: e.value.l = v->value.mv.v.l[i]; break;
            case MS_PT_FLOAT: e.value.flt = v->value.mv.v.flt[i]; break;
            case MS_PT_DOUBLE: case MS_PT_APPTIME: e.value.dbl = v->value.mv.v.dbl[i]; break;
            case MS_PT_CURRENCY: case MS_PT_I8: e.value.li = v->value.mv.v.li[i]; break;
            case MS_PT_SYSTIME: e.value.ft = v->value.mv.v.ft[i]; break;
            case MS_PT_STRING8: case MS_PT_UNICODE: e.value.str = v->value.mv.v.str[i]; break;
            case MS_PT_BINARY: e.value.bin = v->value.mv.v.bin[i]; break;
            case MS_PT_CLSID: e.value.guid = &v->value.mv.v.guid[i]; break;
            default: return 0;
            }
            ms_propval_t rv = r->u.prop.val;
            rv.tag = MS_PROP_TAG(rt, 0);
            if (relop_ok(r->u.prop.relop, ms_propval_cmp(&e, &rv)))
                return 1;
        }
        return 0;
    }
    if (!same_family(t, rt))
        return 0;
    return relop_ok(r->u.prop.relop, ms_propval_cmp(v, &r->u.prop.val));
}

int ms__res_eval(const ms_restriction_t *r, const ms_propval_t *row, size_t n,
                 ms_subrows_fn sub, void *ctx, int depth)
{
    if (!r || depth > 64)
        return 0;
    const ms_propval_t *v, *w;
    switch (r->type) {
    case MS_RES_AND:
        for (uint32_t i = 0; i < r->u.andor.count; i++)
            if (!ms__res_eval(&r->u.andor.res[i], row, n, sub, ctx, depth + 1))
                return 0;
        return 1;
    case MS_RES_OR:
        for (uint32_t i = 0; i < r->u.andor.count; i++)
            if (ms__res_eval(&r->u.andor.res[i], row, n, sub, ctx, depth + 1))
                return 1;
        return 0;
    case MS_RES_NOT:
        return !ms__res_eval(r->u.not_.res, row, n, sub, ctx, depth + 1);
    case MS_RES_CONTENT:
        v = find(row, n, r->u.content.tag);
        return v && eval_content(r, v);
    case MS_RES_PROPERTY:
        v = find(row, n, r->u.prop.tag);
        return v && eval_property(r, v);
    case MS_RES_COMPAREPROPS:
        v = find(row, n, r->u.compare.tag1);
        w = find(row, n, r->u.compare.tag2);
        return v && w && same_family(MS_PROP_TYPE(v->tag), MS_PROP_TYPE(w->tag)) &&
               relop_ok(r->u.compare.relop, ms_propval_cmp(v, w));
    case MS_RES_BITMASK:
        v = find(row, n, r->u.bitmask.tag);
        if (!v || MS_PROP_TYPE(v->tag) != MS_PT_LONG)
            return 0;
        return r->u.bitmask.bmr == MS_BMR_EQZ ? ((uint32_t)v->value.l & r->u.bitmask.mask) == 0
                                              : ((uint32_t)v->value.l & r->u.bitmask.mask) != 0;
    case MS_RES_SIZE: {
        v = find(row, n, r->u.size.tag);
        if (!v)
            return 0;
        size_t s = ms__propval_size(v);
        return relop_ok(r->u.size.relop, s < r->u.size.size ? -1 : s > r->u.size.size);
    }
    case MS_RES_EXIST:
        return find(row, n, r->u.exist.tag) != NULL;
    case MS_RES_SUBRESTRICTION: {
        if (!sub)
            return 0;
        ms_propset_t *rows = NULL;
        size_t nr = 0;
        int hit = 0;
        if (sub(ctx, r->u.sub.subobject, &rows, &nr) == MS_OK)
            for (size_t i = 0; i < nr && !hit; i++)
                hit = ms__res_eval(r->u.sub.res, rows[i].v, rows[i].n, NULL, NULL, depth + 1);
        for (size_t i = 0; i < nr; i++)
            ms__ps_free(&rows[i]);
        free(rows);
        return hit;
    }
    case MS_RES_COMMENT:
        return r->u.comment.res ? ms__res_eval(r->u.comment.res, row, n, sub, ctx, depth + 1) : 1;
    case MS_RES_COUNT:
        /* the count limit needs table state; evaluated as its sub-restriction */
        return ms__res_eval(r->u.count.res, row, n, sub, ctx, depth + 1);
    }
    return 0;
}

int ms_restriction_match(const ms_restriction_t *r, const ms_propval_t *row, size_t n)
{
    return ms__res_eval(r, row, n, NULL, NULL, 0);
}

static ms_err_t res_copy(const ms_restriction_t *s, ms_restriction_t *d, int depth);

static ms_err_t res_array(const ms_restriction_t *s, uint32_t n, ms_restriction_t **out, int depth)
{
    *out = NULL;
    if (!n)
        return MS_OK;
    if (!s)
        return ms__err(MS_E_INVALID_PARAM, "restriction array NULL");
    *out = calloc(n, sizeof(ms_restriction_t));
    if (!*out)
        return MS_E_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        ms_err_t rc = res_copy(&s[i], &(*out)[i], depth + 1);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

static ms_err_t res_copy(const ms_restriction_t *s, ms_restriction_t *d, int depth)
{
    if (depth > 64)
        return ms__err(MS_E_TOO_COMPLEX, "restriction nested too deep");
    memset(d, 0, sizeof(*d));
    d->type = s->type;
    switch (s->type) {
    case MS_RES_AND: case MS_RES_OR:
        d->u.andor.count = s->u.andor.count;
        return res_array(s->u.andor.res, s->u.andor.count, &d->u.andor.res, depth);
    case MS_RES_NOT:
        return res_array(s->u.not_.res, 1, &d->u.not_.res, depth);
    case MS_RES_CONTENT:
        d->u.content.fuzzy = s->u.content.fuzzy;
        d->u.content.tag = s->u.content.tag;
        return ms_propval_dup(&s->u.content.val, &d->u.content.val);
    case MS_RES_PROPERTY:
        d->u.prop.relop = s->u.prop.relop;
        d->u.prop.tag = s->u.prop.tag;
        if (s->u.prop.relop > MS_RELOP_RE)
            return ms__err(MS_E_INVALID_PARAM, "bad relop %u", s->u.prop.relop);
        return ms_propval_dup(&s->u.prop.val, &d->u.prop.val);
    case MS_RES_COMPAREPROPS: d->u.compare = s->u.compare; return MS_OK;
    case MS_RES_BITMASK: d->u.bitmask = s->u.bitmask; return MS_OK;
    case MS_RES_SIZE: d->u.size = s->u.size; return MS_OK;
    case MS_RES_EXIST: d->u.exist = s->u.exist; return MS_OK;
    case MS_RES_SUBRESTRICTION:
        d->u.sub.subobject = s->u.sub.subobject;
        return res_array(s->u.sub.res, 1, &d->u.sub.res, depth);
    case MS_RES_COMMENT: {
        uint32_t n = s->u.comment.nvals;
        if (n && !s->u.comment.vals)
            return ms__err(MS_E_INVALID_PARAM, "comment values NULL");
        d->u.comment.vals = calloc(n ? n : 1, sizeof(ms_propval_t));
        if (!d->u.comment.vals)
            return MS_E_NOMEM;
        for (uint32_t i = 0; i < n; i++) {
            ms_err_t rc = ms_propval_dup(&s->u.comment.vals[i], &d->u.comment.vals[i]);
            d->u.comment.nvals = i + 1;
            if (rc != MS_OK)
                return rc;
        }
        return s->u.comment.res ? res_array(s->u.comment.res, 1, &d->u.comment.res, depth) : MS_OK;
    }
    case MS_RES_COUNT:
        d->u.count.count = s->u.count.count;
        return res_array(s->u.count.res, 1, &d->u.count.res, depth);
    }
    return ms__err(MS_E_INVALID_PARAM, "unknown restriction type %d", (int)s->type);
}

static void res_clear(ms_restriction_t *r)
{
    switch (r->type) {
    case MS_RES_AND: case MS_RES_OR:
        for (uint32_t i = 0; i < r->u.andor.count && r->u.andor.res; i++)
            res_clear(&r->u.andor.res[i]);
        free(r->u.andor.res);
        break;
    case MS_RES_NOT: if (r->u.not_.res) res_clear(r->u.not_.res); free(r->u.not_.res); break;
    case MS_RES_CONTENT: ms_propval_free(&r->u.content.val); break;
    case MS_RES_PROPERTY: ms_propval_free(&r->u.prop.val); break;
    case MS_RES_SUBRESTRICTION: if (r->u.sub.res) res_clear(r->u.sub.res); free(r->u.sub.res); break;
    case MS_RES_COMMENT:
        for (uint32_t i = 0; i < r->u.comment.nvals; i++)
            ms_propval_free(&r->u.comment.vals[i]);
        free(r->u.comment.vals);
        if (r->u.comment.res) res_clear(r->u.comment.res);
        free(r->u.comment.res);
        break;
    case MS_RES_COUNT: if (r->u.count.res) res_clear(r->u.count.res); free(r->u.count.res); break;
    default: break;
    }
}

ms_err_t ms_restriction_dup(const ms_restriction_t *src, ms_restriction_t **out)
{
    if (!src || !out)
        return ms__err(MS_E_INVALID_PARAM, "restriction_dup: NULL");
    ms_restriction_t *r = calloc(1, sizeof(*r));
    if (!r)
        return MS_E_NOMEM;
    ms_err_t rc = res_copy(src, r, 0);
    if (rc != MS_OK) {
        ms_restriction_free(r);
        return rc;
    }
    *out = r;
    return MS_OK;
}

void ms_restriction_free(ms_restriction_t *r)
{
    if (!r)
        return;
    res_clear(r);
    free(r);
}
