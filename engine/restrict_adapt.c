/*
 * restrict_adapt.c - restrictions from the ROP codec's tree ([MS-OXCDATA]
 * 2.12, as RopRestrict / RopFindRow / RopSetSearchCriteria carry them) to
 * the store's tree (ms_restriction_t), which ms_table_restrict() copies.
 */
#include "rop_table.h"

#include <string.h>

#define ADAPT_MAX_DEPTH 64

static uint32_t adapt(mapi_arena_t *a, uint32_t cp, const mapi_restriction_t *in, ms_restriction_t *out,
                      int depth);

static uint32_t adapt_value(mapi_arena_t *a, uint32_t cp, const mapi_propval_t *in, ms_propval_t *out)
{
    uint16_t type = MAPI_PROP_TYPE(in->tag);
    if (type == MAPI_PT_SRESTRICTION || type == MAPI_PT_ACTIONS || type == MAPI_PT_UNSPECIFIED)
        return MAPI_EC_TOO_COMPLEX;
    return rop_prop_to_store(a, cp, in, out) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_INVALID_PARAMETER;
}

static ms_restriction_t *adapt_list(mapi_arena_t *a, uint32_t cp, const mapi_restriction_t *subs, uint32_t n,
                                    int depth, uint32_t *ec)
{
    ms_restriction_t *out = mapi_arena_calloc(a, n ? n : 1, sizeof(*out));
    uint32_t i;
    if (!out) {
        *ec = MAPI_EC_SERVER_OOM;
        return NULL;
    }
    for (i = 0; i < n; i++)
        if ((*ec = adapt(a, cp, &subs[i], &out[i], depth + 1)) != MAPI_EC_SUCCESS)
            return NULL;
    *ec = MAPI_EC_SUCCESS;
    return out;
}

static uint32_t adapt(mapi_arena_t *a, uint32_t cp, const mapi_restriction_t *in, ms_restriction_t *out,
                      int depth)
{
    uint32_t ec = MAPI_EC_SUCCESS;
    if (depth > ADAPT_MAX_DEPTH)
        return MAPI_EC_TOO_COMPLEX;
    memset(out, 0, sizeof(*out));
    out->type = (ms_restype_t)in->type;
    switch (in->type) {
    case MAPI_RES_AND:
    case MAPI_RES_OR:
        out->u.andor.count = in->u.andor.count;
        out->u.andor.res = adapt_list(a, cp, in->u.andor.subs, in->u.andor.count, depth, &ec);
        return ec;
    case MAPI_RES_NOT:
        if (!in->u.not_.sub)
            return MAPI_EC_INVALID_PARAMETER;
        out->u.not_.res = adapt_list(a, cp, in->u.not_.sub, 1, depth, &ec);
        return ec;
    case MAPI_RES_CONTENT:
        out->u.content.fuzzy = (uint32_t)in->u.content.fuzzy_low | ((uint32_t)in->u.content.fuzzy_high << 16);
        out->u.content.tag = in->u.content.tag;
        return adapt_value(a, cp, &in->u.content.value, &out->u.content.val);
    case MAPI_RES_PROPERTY:
        if (in->u.prop.relop > MAPI_RELOP_RE)
            return MAPI_EC_TOO_COMPLEX; /* RELOP_MEMBER_OF_DL: no distribution lists here */
        out->u.prop.relop = in->u.prop.relop;
        out->u.prop.tag = in->u.prop.tag;
        return adapt_value(a, cp, &in->u.prop.value, &out->u.prop.val);
    case MAPI_RES_COMPAREPROPS:
        if (in->u.compare.relop > MAPI_RELOP_NE)
            return MAPI_EC_TOO_COMPLEX;
        out->u.compare.relop = in->u.compare.relop;
        out->u.compare.tag1 = in->u.compare.tag1;
        out->u.compare.tag2 = in->u.compare.tag2;
        return MAPI_EC_SUCCESS;
    case MAPI_RES_BITMASK:
        if (in->u.bitmask.relop > MAPI_BMR_NEZ)
            return MAPI_EC_INVALID_PARAMETER;
        out->u.bitmask.bmr = in->u.bitmask.relop;
        out->u.bitmask.tag = in->u.bitmask.tag;
        out->u.bitmask.mask = in->u.bitmask.mask;
        return MAPI_EC_SUCCESS;
    case MAPI_RES_SIZE:
        if (in->u.size.relop > MAPI_RELOP_NE)
            return MAPI_EC_INVALID_PARAMETER;
        out->u.size.relop = in->u.size.relop;
        out->u.size.tag = in->u.size.tag;
        out->u.size.size = in->u.size.size;
        return MAPI_EC_SUCCESS;
    case MAPI_RES_EXIST:
        out->u.exist.tag = in->u.exist.tag;
        return MAPI_EC_SUCCESS;
    case MAPI_RES_SUBOBJECT:
        if (!in->u.subobj.sub)
            return MAPI_EC_INVALID_PARAMETER;
        out->u.sub.subobject = in->u.subobj.subobject;
        out->u.sub.res = adapt_list(a, cp, in->u.subobj.sub, 1, depth, &ec);
        return ec;
    case MAPI_RES_COMMENT: {
        uint32_t i;
        out->u.comment.nvals = in->u.comment.count;
        out->u.comment.vals = mapi_arena_calloc(a, in->u.comment.count ? in->u.comment.count : 1,
                                                sizeof(ms_propval_t));
        if (!out->u.comment.vals)
            return MAPI_EC_SERVER_OOM;
        for (i = 0; i < in->u.comment.count; i++)
            if ((ec = adapt_value(a, cp, &in->u.comment.values[i], &out->u.comment.vals[i])) != MAPI_EC_SUCCESS)
                return ec;
        if (in->u.comment.sub)
            out->u.comment.res = adapt_list(a, cp, in->u.comment.sub, 1, depth, &ec);
        return ec;
    }
    case MAPI_RES_COUNT:
        if (!in->u.count.sub)
            return MAPI_EC_INVALID_PARAMETER;
        out->u.count.count = in->u.count.count;
        out->u.count.res = adapt_list(a, cp, in->u.count.sub, 1, depth, &ec);
        return ec;
    }
    return MAPI_EC_INVALID_PARAMETER;
}

uint32_t rop_restriction_to_store(mapi_arena_t *a, uint32_t cp, const mapi_restriction_t *in,
                                  ms_restriction_t **out)
{
    ms_restriction_t *r;
    uint32_t ec;
    *out = NULL;
    if (!in)
        return MAPI_EC_SUCCESS;
    if (!(r = mapi_arena_calloc(a, 1, sizeof(*r))))
        return MAPI_EC_SERVER_OOM;
    ec = adapt(a, cp, in, r, 0);
    if (ec == MAPI_EC_SUCCESS)
        *out = r;
    return ec;
}

static size_t add_tag(uint32_t *tags, size_t n, size_t max, uint32_t tag)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (MAPI_PROP_ID(tags[i]) == MAPI_PROP_ID(tag))
            return n;
    if (n < max)
        tags[n++] = tag;
    return n;
}

static size_t tags_rec(const mapi_restriction_t *r, uint32_t *tags, size_t n, size_t max, int depth)
{
    uint32_t i;
    if (!r || depth > ADAPT_MAX_DEPTH)
        return n;
    switch (r->type) {
    case MAPI_RES_AND:
    case MAPI_RES_OR:
        for (i = 0; i < r->u.andor.count; i++)
            n = tags_rec(&r->u.andor.subs[i], tags, n, max, depth + 1);
        return n;
    case MAPI_RES_NOT: return tags_rec(r->u.not_.sub, tags, n, max, depth + 1);
    case MAPI_RES_CONTENT: return add_tag(tags, n, max, r->u.content.tag);
    case MAPI_RES_PROPERTY: return add_tag(tags, n, max, r->u.prop.tag);
    case MAPI_RES_COMPAREPROPS:
        n = add_tag(tags, n, max, r->u.compare.tag1);
        return add_tag(tags, n, max, r->u.compare.tag2);
    case MAPI_RES_BITMASK: return add_tag(tags, n, max, r->u.bitmask.tag);
    case MAPI_RES_SIZE: return add_tag(tags, n, max, r->u.size.tag);
    case MAPI_RES_EXIST: return add_tag(tags, n, max, r->u.exist.tag);
    case MAPI_RES_COMMENT: return tags_rec(r->u.comment.sub, tags, n, max, depth + 1);
    case MAPI_RES_COUNT: return tags_rec(r->u.count.sub, tags, n, max, depth + 1);
    default: return n; /* SubObject reads the recipient/attachment rows, not columns */
    }
}

size_t rop_restriction_tags(const mapi_restriction_t *r, uint32_t *tags, size_t n, size_t max)
{
    return tags_rec(r, tags, n, max, 0);
}
