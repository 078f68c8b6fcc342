/*
 * mapi_restriction.c - restriction wire codec ([MS-OXCDATA] 2.12) and tree
 * copies. RestrictType is one byte; And/Or RestrictCount is a COUNT (16-bit
 * in ROP buffers, 32-bit in the extended/NSPI contexts, 2.12.1.1); Comment's
 * TaggedValuesCount is one byte (2.12.11.1).
 */
#include "mapi_restriction.h"

#include <stdlib.h>
#include <string.h>

static int decode_node(mapi_rd_t *rd, mapi_arena_t *a, int wide, int depth,
                       mapi_restriction_t *r);

static int decode_sub(mapi_rd_t *rd, mapi_arena_t *a, int wide, int depth,
                      mapi_restriction_t **out)
{
    *out = mapi_arena_alloc(a, sizeof(**out));
    if (!*out)
        return MAPI_E_NOMEM;
    return decode_node(rd, a, wide, depth + 1, *out);
}

static int decode_andor(mapi_rd_t *rd, mapi_arena_t *a, int wide, int depth,
                        mapi_restriction_t *r)
{
    uint32_t i, n = wide ? mapi_rd_u32(rd) : mapi_rd_u16(rd);
    int st = MAPI_OK;
    /* each subrestriction is at least its 1-byte RestrictType */
    if (!mapi_rd_ok(rd) || n > mapi_rd_left(rd))
        return MAPI_E_TRUNCATED;
    r->u.andor.count = n;
    r->u.andor.subs = mapi_arena_calloc(a, n ? n : 1, sizeof(mapi_restriction_t));
    if (!r->u.andor.subs)
        return MAPI_E_NOMEM;
    for (i = 0; i < n && st == MAPI_OK; i++)
        st = decode_node(rd, a, wide, depth + 1, &r->u.andor.subs[i]);
    return st;
}

/* Content and Property carry a TaggedPropertyValue whose type must be the
 * type of the PropertyTag (the id may differ). MV comparands are allowed
 * only where the tag is MV too. */
/* A value inside a restriction may not itself be a restriction: that
 * would nest without the depth limit seeing it. */
static int next_value_is_restriction(const mapi_rd_t *rd)
{
    return mapi_rd_left(rd) >= 4 && mapi_le16(rd->p + rd->off) == MAPI_PT_SRESTRICTION;
}

static int decode_comparand(mapi_rd_t *rd, mapi_arena_t *a, int wide, uint32_t tag,
                            mapi_propval_t *v)
{
    int st;
    uint16_t vt, tt;
    if (next_value_is_restriction(rd))
        return MAPI_E_TOO_COMPLEX;
    st = mapi_propval_decode_tagged(rd, a, wide, v);
    if (st != MAPI_OK)
        return st;
    vt = MAPI_PROP_TYPE(v->tag) & ~MAPI_PT_MV_FLAG;
    tt = mapi_prop_row_type(MAPI_PROP_TYPE(tag)) & ~MAPI_PT_MV_FLAG;
    if (vt == tt)
        return MAPI_OK;
    /* String8 against Unicode is compared after conversion */
    if ((vt == MAPI_PT_STRING8 || vt == MAPI_PT_UNICODE) &&
        (tt == MAPI_PT_STRING8 || tt == MAPI_PT_UNICODE))
        return MAPI_OK;
    return MAPI_E_TYPE_MISMATCH;
}

static int decode_comment(mapi_rd_t *rd, mapi_arena_t *a, int wide, int depth,
                          mapi_restriction_t *r)
{
    uint8_t i, n = mapi_rd_u8(rd), present;
    int st = MAPI_OK;
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    r->u.comment.count = n;
    r->u.comment.values = mapi_arena_calloc(a, n ? n : 1, sizeof(mapi_propval_t));
    if (!r->u.comment.values)
        return MAPI_E_NOMEM;
    for (i = 0; i < n && st == MAPI_OK; i++)
        st = next_value_is_restriction(rd) ? MAPI_E_TOO_COMPLEX
                                           : mapi_propval_decode_tagged(rd, a, wide, &r->u.comment.values[i]);
    if (st != MAPI_OK)
        return st;
    present = mapi_rd_u8(rd);
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    if (present)
        return decode_sub(rd, a, wide, depth, &r->u.comment.sub);
    return MAPI_OK;
}

static int decode_node(mapi_rd_t *rd, mapi_arena_t *a, int wide, int depth,
                       mapi_restriction_t *r)
{
    if (depth > MAPI_RESTRICTION_MAX_DEPTH)
        return MAPI_E_TOO_COMPLEX;
    r->type = mapi_rd_u8(rd);
    if (!mapi_rd_ok(rd))
        return MAPI_E_TRUNCATED;
    switch (r->type) {
    case MAPI_RES_AND:
    case MAPI_RES_OR:
        return decode_andor(rd, a, wide, depth, r);
    case MAPI_RES_NOT:
        return decode_sub(rd, a, wide, depth, &r->u.not_.sub);
    case MAPI_RES_CONTENT:
        r->u.content.fuzzy_low = mapi_rd_u16(rd);
        r->u.content.fuzzy_high = mapi_rd_u16(rd);
        r->u.content.tag = mapi_rd_u32(rd);
        if (!mapi_rd_ok(rd))
            return MAPI_E_TRUNCATED;
        return decode_comparand(rd, a, wide, r->u.content.tag, &r->u.content.value);
    case MAPI_RES_PROPERTY:
        r->u.prop.relop = mapi_rd_u8(rd);
        r->u.prop.tag = mapi_rd_u32(rd);
        if (!mapi_rd_ok(rd))
            return MAPI_E_TRUNCATED;
        return decode_comparand(rd, a, wide, r->u.prop.tag, &r->u.prop.value);
    case MAPI_RES_COMPAREPROPS:
        r->u.compare.relop = mapi_rd_u8(rd);
        r->u.compare.tag1 = mapi_rd_u32(rd);
        r->u.compare.tag2 = mapi_rd_u32(rd);
        break;
    case MAPI_RES_BITMASK:
        r->u.bitmask.relop = mapi_rd_u8(rd);
        r->u.bitmask.tag = mapi_rd_u32(rd);
        r->u.bitmask.mask = mapi_rd_u32(rd);
        break;
    case MAPI_RES_SIZE:
        r->u.size.relop = mapi_rd_u8(rd);
        r->u.size.tag = mapi_rd_u32(rd);
        r->u.size.size = mapi_rd_u32(rd);
        break;
    case MAPI_RES_EXIST:
        r->u.exist.tag = mapi_rd_u32(rd);
        break;
    case MAPI_RES_SUBOBJECT:
        r->u.subobj.subobject = mapi_rd_u32(rd);
        if (!mapi_rd_ok(rd))
            return MAPI_E_TRUNCATED;
        return decode_sub(rd, a, wide, depth, &r->u.subobj.sub);
    case MAPI_RES_COMMENT:
        return decode_comment(rd, a, wide, depth, r);
    case MAPI_RES_COUNT:
        r->u.count.count = mapi_rd_u32(rd);
        if (!mapi_rd_ok(rd))
            return MAPI_E_TRUNCATED;
        return decode_sub(rd, a, wide, depth, &r->u.count.sub);
    default:
        return MAPI_E_BAD_VALUE;
    }
    return mapi_rd_ok(rd) ? MAPI_OK : MAPI_E_TRUNCATED;
}

int mapi_restriction_decode(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_restriction_t **out)
{
    *out = mapi_arena_alloc(a, sizeof(**out));
    if (!*out)
        return MAPI_E_NOMEM;
    return decode_node(rd, a, wide, 0, *out);
}

/* ---- encode --------------------------------------------------------- */

static int encode_node(mapi_wr_t *wr, int wide, int depth, const mapi_restriction_t *r)
{
    uint32_t i;
    int st = MAPI_OK;
    if (depth > MAPI_RESTRICTION_MAX_DEPTH)
        return MAPI_E_TOO_COMPLEX;
    if (!r)
        return MAPI_E_BAD_VALUE;
    mapi_wr_u8(wr, r->type);
    switch (r->type) {
    case MAPI_RES_AND:
    case MAPI_RES_OR:
        if (wide) {
            mapi_wr_u32(wr, r->u.andor.count);
        } else {
            if (r->u.andor.count > 0xFFFF)
                return MAPI_E_BAD_VALUE;
            mapi_wr_u16(wr, (uint16_t)r->u.andor.count);
        }
        for (i = 0; i < r->u.andor.count && st == MAPI_OK; i++)
            st = encode_node(wr, wide, depth + 1, &r->u.andor.subs[i]);
        return st;
    case MAPI_RES_NOT:
        return encode_node(wr, wide, depth + 1, r->u.not_.sub);
    case MAPI_RES_CONTENT:
        mapi_wr_u16(wr, r->u.content.fuzzy_low);
        mapi_wr_u16(wr, r->u.content.fuzzy_high);
        mapi_wr_u32(wr, r->u.content.tag);
        return mapi_propval_encode_tagged(wr, wide, &r->u.content.value);
    case MAPI_RES_PROPERTY:
        mapi_wr_u8(wr, r->u.prop.relop);
        mapi_wr_u32(wr, r->u.prop.tag);
        return mapi_propval_encode_tagged(wr, wide, &r->u.prop.value);
    case MAPI_RES_COMPAREPROPS:
        mapi_wr_u8(wr, r->u.compare.relop);
        mapi_wr_u32(wr, r->u.compare.tag1);
        mapi_wr_u32(wr, r->u.compare.tag2);
        break;
    case MAPI_RES_BITMASK:
        mapi_wr_u8(wr, r->u.bitmask.relop);
        mapi_wr_u32(wr, r->u.bitmask.tag);
        mapi_wr_u32(wr, r->u.bitmask.mask);
        break;
    case MAPI_RES_SIZE:
        mapi_wr_u8(wr, r->u.size.relop);
        mapi_wr_u32(wr, r->u.size.tag);
        mapi_wr_u32(wr, r->u.size.size);
        break;
    case MAPI_RES_EXIST:
        mapi_wr_u32(wr, r->u.exist.tag);
        break;
    case MAPI_RES_SUBOBJECT:
        mapi_wr_u32(wr, r->u.subobj.subobject);
        return encode_node(wr, wide, depth + 1, r->u.subobj.sub);
    case MAPI_RES_COMMENT:
        mapi_wr_u8(wr, r->u.comment.count);
        for (i = 0; i < r->u.comment.count && st == MAPI_OK; i++)
            st = mapi_propval_encode_tagged(wr, wide, &r->u.comment.values[i]);
        if (st != MAPI_OK)
            return st;
        mapi_wr_u8(wr, r->u.comment.sub ? 1 : 0);
        if (r->u.comment.sub)
            return encode_node(wr, wide, depth + 1, r->u.comment.sub);
        break;
    case MAPI_RES_COUNT:
        mapi_wr_u32(wr, r->u.count.count);
        return encode_node(wr, wide, depth + 1, r->u.count.sub);
    default:
        return MAPI_E_BAD_VALUE;
    }
    return mapi_wr_ok(wr) ? MAPI_OK : MAPI_E_NOMEM;
}

int mapi_restriction_encode(mapi_wr_t *wr, int wide, const mapi_restriction_t *r)
{
    int st = encode_node(wr, wide, 0, r);
    if (st == MAPI_OK && !mapi_wr_ok(wr))
        st = MAPI_E_NOMEM;
    return st;
}

/* ---- copies --------------------------------------------------------- */

static int copy_node(mapi_arena_t *a, mapi_restriction_t *d, const mapi_restriction_t *s, int depth);

static int copy_sub(mapi_arena_t *a, mapi_restriction_t **d, const mapi_restriction_t *s, int depth)
{
    if (!s) {
        *d = NULL;
        return MAPI_OK;
    }
    *d = mapi_arena_alloc(a, sizeof(**d));
    return *d ? copy_node(a, *d, s, depth + 1) : MAPI_E_NOMEM;
}

static int copy_node(mapi_arena_t *a, mapi_restriction_t *d, const mapi_restriction_t *s, int depth)
{
    uint32_t i;
    int st = MAPI_OK;
    if (depth > MAPI_RESTRICTION_MAX_DEPTH)
        return MAPI_E_TOO_COMPLEX;
    *d = *s;
    switch (s->type) {
    case MAPI_RES_AND:
    case MAPI_RES_OR:
        d->u.andor.subs = mapi_arena_calloc(a, s->u.andor.count ? s->u.andor.count : 1,
                                            sizeof(mapi_restriction_t));
        if (!d->u.andor.subs)
            return MAPI_E_NOMEM;
        for (i = 0; i < s->u.andor.count && st == MAPI_OK; i++)
            st = copy_node(a, &d->u.andor.subs[i], &s->u.andor.subs[i], depth + 1);
        return st;
    case MAPI_RES_NOT: return copy_sub(a, &d->u.not_.sub, s->u.not_.sub, depth);
    case MAPI_RES_CONTENT: return mapi_propval_copy(a, &d->u.content.value, &s->u.content.value);
    case MAPI_RES_PROPERTY: return mapi_propval_copy(a, &d->u.prop.value, &s->u.prop.value);
    case MAPI_RES_SUBOBJECT: return copy_sub(a, &d->u.subobj.sub, s->u.subobj.sub, depth);
    case MAPI_RES_COUNT: return copy_sub(a, &d->u.count.sub, s->u.count.sub, depth);
    case MAPI_RES_COMMENT:
        d->u.comment.values = mapi_arena_calloc(a, s->u.comment.count ? s->u.comment.count : 1,
                                                sizeof(mapi_propval_t));
        if (!d->u.comment.values)
            return MAPI_E_NOMEM;
        for (i = 0; i < s->u.comment.count && st == MAPI_OK; i++)
            st = mapi_propval_copy(a, &d->u.comment.values[i], &s->u.comment.values[i]);
        return st != MAPI_OK ? st : copy_sub(a, &d->u.comment.sub, s->u.comment.sub, depth);
    default:
        return MAPI_OK;
    }
}

mapi_restriction_t *mapi_restriction_copy(mapi_arena_t *a, const mapi_restriction_t *r)
{
    mapi_restriction_t *d;
    if (!r || !(d = mapi_arena_alloc(a, sizeof(*d))))
        return NULL;
    return copy_node(a, d, r, 0) == MAPI_OK ? d : NULL;
}

/* A standalone tree: the root lives right after its own arena. */
typedef struct {
    mapi_arena_t arena;
    mapi_restriction_t root;
} owned_tree_t;

static owned_tree_t *owned_new(void)
{
    owned_tree_t *t = calloc(1, sizeof(*t));
    if (t)
        mapi_arena_init(&t->arena, 0);
    return t;
}

mapi_restriction_t *mapi_restriction_parse(const void *buf, size_t len, int wide,
                                           size_t *consumed, int *status)
{
    owned_tree_t *t = owned_new();
    mapi_rd_t rd;
    int st;
    if (!t) {
        if (status)
            *status = MAPI_E_NOMEM;
        return NULL;
    }
    mapi_rd_init(&rd, buf, len);
    st = decode_node(&rd, &t->arena, wide, 0, &t->root);
    if (status)
        *status = st;
    if (st != MAPI_OK) {
        mapi_arena_clear(&t->arena);
        free(t);
        return NULL;
    }
    if (consumed)
        *consumed = rd.off;
    return &t->root;
}

mapi_restriction_t *mapi_restriction_dup(const mapi_restriction_t *r)
{
    owned_tree_t *t;
    if (!r || !(t = owned_new()))
        return NULL;
    if (copy_node(&t->arena, &t->root, r, 0) != MAPI_OK) {
        mapi_arena_clear(&t->arena);
        free(t);
        return NULL;
    }
    return &t->root;
}

void mapi_restriction_free(mapi_restriction_t *r)
{
    owned_tree_t *t;
    if (!r)
        return;
    t = (owned_tree_t *)(void *)((char *)r - offsetof(owned_tree_t, root));
    mapi_arena_clear(&t->arena);
    free(t);
}
