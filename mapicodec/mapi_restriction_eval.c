/*
 * mapi_restriction_eval.c - evaluating a restriction against one object
 * ([MS-OXCDATA] 2.12 semantics; the fuzzy levels, relops and bitmap relops
 * as the MAPI SRestriction reference defines them).
 */
#include "mapi_restriction.h"

#include <string.h>

/* ---- strings -------------------------------------------------------- */

static uint32_t u8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    int n, i;
    if (c < 0x80) { *s = p + 1; return c; }
    if ((c & 0xE0) == 0xC0) { n = 1; c &= 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; c &= 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; c &= 0x07; }
    else { *s = p + 1; return 0xFFFD; }
    for (i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) { *s = p + i; return 0xFFFD; }
        c = (c << 6) | (p[i] & 0x3F);
    }
    *s = p + n + 1;
    return c;
}

/* Simple case folding: ASCII, Latin-1, Latin Extended-A pairs, Greek and
 * Cyrillic basic letters. */
static uint32_t fold(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x100 && c <= 0x17F && !(c & 1) && c != 0x130)
        return c + 1;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 32;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

/* Decodes UTF-8 into code points (folded if asked); returns the count. */
static size_t to_codepoints(const char *s, int ic, uint32_t *out, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p && n < max) {
        uint32_t c = u8_next(&p);
        out[n++] = ic ? fold(c) : c;
    }
    return n;
}

static int str_cmp(const char *a, const char *b, int ic)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *q) {
        uint32_t x = u8_next(&p), y = u8_next(&q);
        if (ic) {
            x = fold(x);
            y = fold(y);
        }
        if (x != y)
            return x < y ? -1 : 1;
    }
    return *p ? 1 : (*q ? -1 : 0);
}

/* Content match on code point arrays. */
static int cp_match(const uint32_t *h, size_t hn, const uint32_t *n, size_t nn, uint16_t low)
{
    size_t i;
    if (low == MAPI_FL_FULLSTRING)
        return hn == nn && (nn == 0 || memcmp(h, n, nn * sizeof(*h)) == 0);
    if (nn > hn)
        return 0;
    if (low == MAPI_FL_PREFIX)
        return nn == 0 || memcmp(h, n, nn * sizeof(*h)) == 0;
    for (i = 0; i + nn <= hn; i++)
        if (nn == 0 || memcmp(h + i, n, nn * sizeof(*h)) == 0)
            return 1;
    return 0;
}

#define CP_STACK 256

static int str_content(const char *hay, const char *needle, uint16_t low, int ic)
{
    uint32_t hb[CP_STACK], nb[CP_STACK];
    size_t hl = strlen(hay), nl = strlen(needle);
    if (hl < CP_STACK && nl < CP_STACK) {
        size_t hn = to_codepoints(hay, ic, hb, CP_STACK), nn = to_codepoints(needle, ic, nb, CP_STACK);
        return cp_match(hb, hn, nb, nn, low);
    }
    /* long strings: byte-wise on the UTF-8 form, folding ASCII only */
    {
        size_t i, j;
        if (low == MAPI_FL_FULLSTRING)
            return str_cmp(hay, needle, ic) == 0;
        if (nl > hl)
            return 0;
        for (i = 0; i + nl <= hl; i++) {
            for (j = 0; j < nl; j++) {
                unsigned char x = (unsigned char)hay[i + j], y = (unsigned char)needle[j];
                if (ic && x < 0x80 && y < 0x80) {
                    x = (unsigned char)fold(x);
                    y = (unsigned char)fold(y);
                }
                if (x != y)
                    break;
            }
            if (j == nl)
                return 1;
            if (low == MAPI_FL_PREFIX)
                return 0;
        }
        return 0;
    }
}

static int bin_content(const mapi_bin_t *h, const mapi_bin_t *n, uint16_t low)
{
    uint32_t i;
    if (low == MAPI_FL_FULLSTRING)
        return h->len == n->len && (n->len == 0 || memcmp(h->data, n->data, n->len) == 0);
    if (n->len > h->len)
        return 0;
    if (low == MAPI_FL_PREFIX)
        return n->len == 0 || memcmp(h->data, n->data, n->len) == 0;
    for (i = 0; i + n->len <= h->len; i++)
        if (n->len == 0 || memcmp(h->data + i, n->data, n->len) == 0)
            return 1;
    return 0;
}

/* ---- scalar comparison ---------------------------------------------- */

static int is_int_type(uint16_t t)
{
    return t == MAPI_PT_I2 || t == MAPI_PT_LONG || t == MAPI_PT_I8 || t == MAPI_PT_CURRENCY ||
           t == MAPI_PT_BOOLEAN || t == MAPI_PT_ERROR;
}

static int64_t int_of(const mapi_propval_t *v)
{
    switch (MAPI_PROP_TYPE(v->tag)) {
    case MAPI_PT_I2: return v->v.i16;
    case MAPI_PT_LONG: return v->v.i32;
    case MAPI_PT_BOOLEAN: return v->v.b ? 1 : 0;
    case MAPI_PT_ERROR: return v->v.err;
    default: return v->v.i64;
    }
}

static int is_str_type(uint16_t t) { return t == MAPI_PT_STRING8 || t == MAPI_PT_UNICODE; }

/* UTF-8 form of a string value (String8 converted through cp). */
static const char *utf8_of(const mapi_propval_t *v, uint32_t cp, mapi_arena_t *tmp)
{
    char *out = NULL;
    if (MAPI_PROP_TYPE(v->tag) == MAPI_PT_UNICODE || cp == MAPI_CP_UTF8)
        return v->v.str ? v->v.str : "";
    if (mapi_string8_to_utf8(tmp, mapi_codepage_supported(cp) ? cp : MAPI_CP_1252, v->v.str, &out) != MAPI_OK)
        return NULL;
    return out;
}

static int sgn(int64_t d) { return d < 0 ? -1 : d > 0; }

int mapi_propval_compare(const mapi_propval_t *a, const mapi_propval_t *b, uint32_t cp,
                         int ignore_case, int *cmp)
{
    uint16_t ta = MAPI_PROP_TYPE(a->tag), tb = MAPI_PROP_TYPE(b->tag);
    if (is_int_type(ta) && is_int_type(tb)) {
        int64_t x = int_of(a), y = int_of(b);
        *cmp = x < y ? -1 : x > y;
        return 1;
    }
    if (is_str_type(ta) && is_str_type(tb)) {
        mapi_arena_t tmp;
        const char *x, *y;
        int ok;
        mapi_arena_init(&tmp, 0);
        x = utf8_of(a, cp, &tmp);
        y = utf8_of(b, cp, &tmp);
        ok = x && y;
        if (ok)
            *cmp = str_cmp(x, y, ignore_case);
        mapi_arena_clear(&tmp);
        return ok;
    }
    if (ta != tb)
        return 0;
    switch (ta) {
    case MAPI_PT_FLOAT: *cmp = a->v.f32 < b->v.f32 ? -1 : a->v.f32 > b->v.f32; return 1;
    case MAPI_PT_DOUBLE: case MAPI_PT_APPTIME:
        *cmp = a->v.f64 < b->v.f64 ? -1 : a->v.f64 > b->v.f64;
        return 1;
    case MAPI_PT_SYSTIME: *cmp = a->v.time < b->v.time ? -1 : a->v.time > b->v.time; return 1;
    case MAPI_PT_CLSID: *cmp = sgn(memcmp(a->v.guid.b, b->v.guid.b, 16)); return 1;
    case MAPI_PT_NULL: *cmp = 0; return 1;
    case MAPI_PT_BINARY: case MAPI_PT_SVREID: {
        uint32_t n = a->v.bin.len < b->v.bin.len ? a->v.bin.len : b->v.bin.len;
        int c = n ? memcmp(a->v.bin.data, b->v.bin.data, n) : 0;
        *cmp = c ? sgn(c) : (a->v.bin.len < b->v.bin.len ? -1 : a->v.bin.len > b->v.bin.len);
        return 1;
    }
    default:
        return 0;
    }
}

/* The i-th element of an MV value as a single value. */
static void mv_elem(const mapi_propval_t *mv, uint32_t i, mapi_propval_t *out)
{
    uint16_t t = (uint16_t)(MAPI_PROP_TYPE(mv->tag) & ~MAPI_PT_MV_FLAG);
    memset(out, 0, sizeof(*out));
    out->tag = MAPI_PROP_CHANGE_TYPE(mv->tag, t);
    switch (t) {
    case MAPI_PT_I2: out->v.i16 = mv->v.mv.v.i16[i]; break;
    case MAPI_PT_LONG: out->v.i32 = mv->v.mv.v.i32[i]; break;
    case MAPI_PT_FLOAT: out->v.f32 = mv->v.mv.v.f32[i]; break;
    case MAPI_PT_DOUBLE: case MAPI_PT_APPTIME: out->v.f64 = mv->v.mv.v.f64[i]; break;
    case MAPI_PT_CURRENCY: case MAPI_PT_I8: out->v.i64 = mv->v.mv.v.i64[i]; break;
    case MAPI_PT_SYSTIME: out->v.time = mv->v.mv.v.u64[i]; break;
    case MAPI_PT_CLSID: out->v.guid = mv->v.mv.v.guid[i]; break;
    case MAPI_PT_STRING8: case MAPI_PT_UNICODE: out->v.str = mv->v.mv.v.str[i]; break;
    case MAPI_PT_BINARY: out->v.bin = mv->v.mv.v.bin[i]; break;
    default: break;
    }
}

static int relop_holds(uint8_t relop, int c)
{
    switch (relop) {
    case MAPI_RELOP_LT: return c < 0;
    case MAPI_RELOP_LE: return c <= 0;
    case MAPI_RELOP_GT: return c > 0;
    case MAPI_RELOP_GE: return c >= 0;
    case MAPI_RELOP_EQ: return c == 0;
    case MAPI_RELOP_NE: return c != 0;
    default: return 0; /* RELOP_RE, RELOP_MEMBER_OF_DL: not supported */
    }
}

static int compare_relop(const mapi_propval_t *have, const mapi_propval_t *want, uint8_t relop,
                         uint32_t cp)
{
    uint16_t th = MAPI_PROP_TYPE(have->tag), tw = MAPI_PROP_TYPE(want->tag);
    int c;
    if (mapi_prop_type_is_mv(th) && !mapi_prop_type_is_mv(tw)) {
        uint32_t i;
        mapi_propval_t e;
        for (i = 0; i < have->v.mv.count; i++) {
            mv_elem(have, i, &e);
            if (mapi_propval_compare(&e, want, cp, 1, &c) && relop_holds(relop, c))
                return 1;
        }
        return 0;
    }
    if (mapi_prop_type_is_mv(th) && th == tw) {
        /* whole-array comparison: element by element, then by count */
        uint32_t i, n = have->v.mv.count < want->v.mv.count ? have->v.mv.count : want->v.mv.count;
        mapi_propval_t x, y;
        for (i = 0; i < n; i++) {
            mv_elem(have, i, &x);
            mv_elem(want, i, &y);
            if (!mapi_propval_compare(&x, &y, cp, 1, &c))
                return 0;
            if (c)
                return relop_holds(relop, c);
        }
        c = have->v.mv.count < want->v.mv.count ? -1 : have->v.mv.count > want->v.mv.count;
        return relop_holds(relop, c);
    }
    return mapi_propval_compare(have, want, cp, 1, &c) && relop_holds(relop, c);
}

/* ---- nodes ---------------------------------------------------------- */

static int content_one(const mapi_propval_t *have, const mapi_propval_t *want, uint16_t low,
                       int ic, uint32_t cp)
{
    uint16_t th = MAPI_PROP_TYPE(have->tag), tw = MAPI_PROP_TYPE(want->tag);
    if (th == MAPI_PT_BINARY && tw == MAPI_PT_BINARY)
        return bin_content(&have->v.bin, &want->v.bin, low);
    if (is_str_type(th) && is_str_type(tw)) {
        mapi_arena_t tmp;
        const char *h, *n;
        int r = 0;
        mapi_arena_init(&tmp, 0);
        h = utf8_of(have, cp, &tmp);
        n = utf8_of(want, cp, &tmp);
        if (h && n)
            r = str_content(h, n, low, ic);
        mapi_arena_clear(&tmp);
        return r;
    }
    return 0;
}

static int eval_content(const mapi_restriction_t *r, const mapi_propval_t *have, uint32_t cp)
{
    const mapi_propval_t *want = &r->u.content.value;
    uint16_t low = r->u.content.fuzzy_low;
    int ic = (r->u.content.fuzzy_high & (MAPI_FL_IGNORECASE | MAPI_FL_LOOSE)) != 0;
    if (low > MAPI_FL_PREFIX)
        return 0;
    if (mapi_prop_type_is_mv(MAPI_PROP_TYPE(have->tag))) {
        uint32_t i;
        mapi_propval_t e;
        for (i = 0; i < have->v.mv.count; i++) {
            mv_elem(have, i, &e);
            if (content_one(&e, want, low, ic, cp))
                return 1;
        }
        return 0;
    }
    return content_one(have, want, low, ic, cp);
}

static int eval_bitmask(const mapi_restriction_t *r, const mapi_propval_t *have)
{
    uint16_t t = MAPI_PROP_TYPE(have->tag);
    uint32_t v;
    if (t == MAPI_PT_LONG)
        v = (uint32_t)have->v.i32;
    else if (t == MAPI_PT_I2)
        v = (uint16_t)have->v.i16;
    else
        return 0;
    if (r->u.bitmask.relop == MAPI_BMR_EQZ)
        return (v & r->u.bitmask.mask) == 0;
    if (r->u.bitmask.relop == MAPI_BMR_NEZ)
        return (v & r->u.bitmask.mask) != 0;
    return 0;
}

/* Size in bytes of a value as MAPI counts it (strings with terminator,
 * Unicode in UTF-16 units). */
static uint64_t utf16_bytes(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    uint64_t n = 0;
    while (*p)
        n += u8_next(&p) >= 0x10000 ? 4 : 2;
    return n + 2;
}

static uint64_t value_size(const mapi_propval_t *v)
{
    uint16_t t = MAPI_PROP_TYPE(v->tag);
    uint64_t n = 0;
    uint32_t i;
    switch (t) {
    case MAPI_PT_I2: return 2;
    case MAPI_PT_LONG: case MAPI_PT_FLOAT: case MAPI_PT_ERROR: case MAPI_PT_OBJECT: return 4;
    case MAPI_PT_BOOLEAN: return 1;
    case MAPI_PT_DOUBLE: case MAPI_PT_APPTIME: case MAPI_PT_CURRENCY: case MAPI_PT_I8:
    case MAPI_PT_SYSTIME: return 8;
    case MAPI_PT_CLSID: return 16;
    case MAPI_PT_STRING8: return (v->v.str ? strlen(v->v.str) : 0) + 1;
    case MAPI_PT_UNICODE: return utf16_bytes(v->v.str);
    case MAPI_PT_BINARY: case MAPI_PT_SVREID: return v->v.bin.len;
    default: break;
    }
    if (!mapi_prop_type_is_mv(t))
        return 0;
    for (i = 0; i < v->v.mv.count; i++) {
        mapi_propval_t e;
        mv_elem(v, i, &e);
        n += value_size(&e);
    }
    return n;
}

static int eval(mapi_restriction_t *r, const mapi_restriction_ops_t *ops, void *ctx, int depth);

static int eval_count(mapi_restriction_t *r, const mapi_restriction_ops_t *ops, void *ctx, int depth)
{
    if (r->u.count.seen >= r->u.count.count)
        return 0;
    if (!eval(r->u.count.sub, ops, ctx, depth + 1))
        return 0;
    r->u.count.seen++;
    return 1;
}

static const mapi_propval_t *get_present(const mapi_restriction_ops_t *ops, void *ctx, uint32_t tag)
{
    const mapi_propval_t *v = ops->get_prop(ctx, tag);
    /* an error value in place of the property means it is not there */
    if (v && MAPI_PROP_TYPE(v->tag) == MAPI_PT_ERROR && MAPI_PROP_TYPE(tag) != MAPI_PT_ERROR)
        return NULL;
    return v;
}

static int eval(mapi_restriction_t *r, const mapi_restriction_ops_t *ops, void *ctx, int depth)
{
    const mapi_propval_t *v, *w;
    uint32_t i, cp = ops->codepage ? ops->codepage : MAPI_CP_1252;
    int c;
    if (!r || depth > MAPI_RESTRICTION_MAX_DEPTH)
        return 0;
    switch (r->type) {
    case MAPI_RES_AND:
        for (i = 0; i < r->u.andor.count; i++)
            if (!eval(&r->u.andor.subs[i], ops, ctx, depth + 1))
                return 0;
        return 1;
    case MAPI_RES_OR:
        for (i = 0; i < r->u.andor.count; i++)
            if (eval(&r->u.andor.subs[i], ops, ctx, depth + 1))
                return 1;
        return 0;
    case MAPI_RES_NOT:
        return !eval(r->u.not_.sub, ops, ctx, depth + 1);
    case MAPI_RES_CONTENT:
        v = get_present(ops, ctx, r->u.content.tag);
        return v && eval_content(r, v, cp);
    case MAPI_RES_PROPERTY:
        v = get_present(ops, ctx, r->u.prop.tag);
        return v && compare_relop(v, &r->u.prop.value, r->u.prop.relop, cp);
    case MAPI_RES_COMPAREPROPS:
        v = get_present(ops, ctx, r->u.compare.tag1);
        if (!v)
            return 0;
        {
            /* the getter may reuse its storage: keep a copy of the first */
            mapi_propval_t first = *v;
            w = get_present(ops, ctx, r->u.compare.tag2);
            return w && mapi_propval_compare(&first, w, cp, 1, &c) &&
                   relop_holds(r->u.compare.relop, c);
        }
    case MAPI_RES_BITMASK:
        v = get_present(ops, ctx, r->u.bitmask.tag);
        return v && eval_bitmask(r, v);
    case MAPI_RES_SIZE:
        v = get_present(ops, ctx, r->u.size.tag);
        if (!v)
            return 0;
        {
            uint64_t s = value_size(v), want = r->u.size.size;
            return relop_holds(r->u.size.relop, s < want ? -1 : s > want);
        }
    case MAPI_RES_EXIST:
        return get_present(ops, ctx, r->u.exist.tag) != NULL;
    case MAPI_RES_SUBOBJECT:
        return ops->match_subobject &&
               ops->match_subobject(ctx, r->u.subobj.subobject, r->u.subobj.sub);
    case MAPI_RES_COMMENT:
        return r->u.comment.sub ? eval(r->u.comment.sub, ops, ctx, depth + 1) : 1;
    case MAPI_RES_COUNT:
        return eval_count(r, ops, ctx, depth);
    default:
        return 0;
    }
}

int mapi_restriction_match_ex(mapi_restriction_t *r, const mapi_restriction_ops_t *ops, void *ctx)
{
    return ops && ops->get_prop ? eval(r, ops, ctx, 0) : 0;
}

int mapi_restriction_match(mapi_restriction_t *r, mapi_get_prop_fn get_prop, void *ctx)
{
    mapi_restriction_ops_t ops;
    memset(&ops, 0, sizeof(ops));
    ops.get_prop = get_prop;
    return mapi_restriction_match_ex(r, &ops, ctx);
}

static void reset(mapi_restriction_t *r, int depth)
{
    uint32_t i;
    if (!r || depth > MAPI_RESTRICTION_MAX_DEPTH)
        return;
    switch (r->type) {
    case MAPI_RES_AND: case MAPI_RES_OR:
        for (i = 0; i < r->u.andor.count; i++)
            reset(&r->u.andor.subs[i], depth + 1);
        break;
    case MAPI_RES_NOT: reset(r->u.not_.sub, depth + 1); break;
    case MAPI_RES_SUBOBJECT: reset(r->u.subobj.sub, depth + 1); break;
    case MAPI_RES_COMMENT: reset(r->u.comment.sub, depth + 1); break;
    case MAPI_RES_COUNT:
        r->u.count.seen = 0;
        reset(r->u.count.sub, depth + 1);
        break;
    default: break;
    }
}

void mapi_restriction_reset(mapi_restriction_t *r) { reset(r, 0); }
