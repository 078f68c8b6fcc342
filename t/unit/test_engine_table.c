/*
 * Unit tests of the table side of the ROP engine: the table object's state
 * blob (round trip, every truncation, bad counts and lengths), the
 * restriction adapter (every restriction type evaluated by the store,
 * code pages, depth, bad relops) and table rows (computed columns,
 * flagged errors, Unicode/String8 choice, MV instances, 510-byte cut).
 */
#include "tap.h"
#include "rop_table.h"

#include <stdlib.h>
#include <string.h>

static mapi_arena_t arena;

/* ---- state blob ---- */

static void sample_state(rop_table_state_t *st)
{
    static uint32_t cols[] = {0x0037001F, 0x674A0014, 0x3001101F | 0x2000};
    static mapi_sort_order_t sorts[] = {{MAPI_PT_SYSTIME, 0x0E06, 1}, {MAPI_PT_UNICODE, 0x0037, 0}};
    static uint8_t res[] = {0x08, 0x1F, 0x00, 0x37, 0x00}; /* Exist(PidTagSubject) */
    static uint8_t cur[] = {0, 0, 0, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8};
    static rop_bookmark_t bms[ROP_TABLE_MAX_BOOKMARKS];
    static uint64_t toggles[2] = {0x1234567800000000ull, 0xABCD000000010000ull};
    memset(st, 0, sizeof(*st));
    st->ntoggles = 2;
    st->toggles = toggles;
    st->kind = ROP_TABLE_CONTENTS;
    st->flags = ROP_TF_UNICODE | ROP_TF_ASSOCIATED;
    st->fid = 0x0500000000000001ull;
    st->ncols = 3;
    st->cols = cols;
    st->nsorts = 2;
    st->sorts = sorts;
    st->categories = 1;
    st->expanded = 1;
    st->res.data = res;
    st->res.len = sizeof(res);
    st->cursor.data = cur;
    st->cursor.len = sizeof(cur);
    st->next_bm = 9;
    st->nbms = 2;
    st->bms = bms;
    bms[0].id = 4;
    bms[0].len = 5;
    memcpy(bms[0].key, "\0\0\0\1\0", 5);
    bms[1].id = 9;
    bms[1].len = 13;
    memcpy(bms[1].key, cur, 13);
}

static void test_state(void)
{
    rop_table_state_t st, back;
    mapi_wr_t wr;
    size_t cut;
    int all_refused = 1;

    sample_state(&st);
    mapi_wr_init(&wr, 0);
    ok(rop_table_state_encode(&wr, &st) == 0, "state encodes");
    ok(rop_table_state_decode(&arena, wr.p, wr.len, &back) == 0, "and decodes");
    ok(back.kind == st.kind && back.flags == st.flags && back.fid == st.fid, "kind, flags, folder id");
    ok(back.ncols == 3 && memcmp(back.cols, st.cols, 12) == 0, "columns (MV-instance bit kept)");
    ok(back.nsorts == 2 && back.sorts[0].prop_id == 0x0E06 && back.sorts[0].order == 1 && back.sorts[1].prop_type == MAPI_PT_UNICODE,
       "sort orders");
    ok(back.categories == 1 && back.expanded == 1, "categories");
    is_mem(back.res.data, back.res.len, st.res.data, st.res.len, "restriction bytes");
    is_mem(back.cursor.data, back.cursor.len, st.cursor.data, st.cursor.len, "cursor");
    ok(back.next_bm == 9 && back.nbms == 2 && back.bms[1].id == 9 && back.bms[1].len == 13 &&
           memcmp(back.bms[1].key, st.cursor.data, 13) == 0,
       "bookmarks");
    ok(back.ntoggles == 2 && back.toggles[0] == 0x1234567800000000ull && back.toggles[1] == 0xABCD000000010000ull,
       "collapse toggles");
    for (cut = 0; cut < wr.len; cut++)
        if (rop_table_state_decode(&arena, wr.p, cut, &back) == 0)
            all_refused = 0;
    ok(all_refused, "every truncation (%zu of them) is refused", wr.len);
    {
        uint8_t *p = malloc(wr.len + 1);
        memcpy(p, wr.p, wr.len);
        p[wr.len] = 0;
        ok(rop_table_state_decode(&arena, p, wr.len + 1, &back) != 0, "a trailing byte is refused");
        p[0] ^= 0xFF;
        ok(rop_table_state_decode(&arena, p, wr.len, &back) != 0, "a bad magic is refused");
        p[0] ^= 0xFF;
        p[4] = 7;
        ok(rop_table_state_decode(&arena, p, wr.len, &back) != 0, "an unknown table kind is refused");
        p[4] = ROP_TABLE_CONTENTS;
        p[14] = 0xFF; /* ncols low byte: past the end */
        ok(rop_table_state_decode(&arena, p, wr.len, &back) != 0, "a column count past the end is refused");
        p[14] = 3;
        p[17] = 0x40; /* ncols > 4096 */
        ok(rop_table_state_decode(&arena, p, wr.len, &back) != 0, "a huge column count is refused");
        free(p);
    }
    mapi_wr_free(&wr);

    /* too many bookmarks, a bookmark longer than a store key */
    sample_state(&st);
    st.nbms = ROP_TABLE_MAX_BOOKMARKS + 1;
    {
        static rop_bookmark_t many[ROP_TABLE_MAX_BOOKMARKS + 1];
        st.bms = many;
        mapi_wr_init(&wr, 0);
        rop_table_state_encode(&wr, &st);
        ok(rop_table_state_decode(&arena, wr.p, wr.len, &back) != 0, "more than %d bookmarks are refused",
           ROP_TABLE_MAX_BOOKMARKS);
        mapi_wr_free(&wr);
    }
    sample_state(&st);
    {
        static uint64_t many_toggles[ROP_TABLE_MAX_TOGGLES + 1];
        st.ntoggles = ROP_TABLE_MAX_TOGGLES + 1;
        st.toggles = many_toggles;
        mapi_wr_init(&wr, 0);
        rop_table_state_encode(&wr, &st);
        ok(rop_table_state_decode(&arena, wr.p, wr.len, &back) != 0, "more than %d collapse toggles are refused",
           ROP_TABLE_MAX_TOGGLES);
        mapi_wr_free(&wr);
    }
    sample_state(&st);
    st.categories = 3; /* more categories than sort keys */
    mapi_wr_init(&wr, 0);
    rop_table_state_encode(&wr, &st);
    ok(rop_table_state_decode(&arena, wr.p, wr.len, &back) != 0, "more categories than sort orders are refused");
    mapi_wr_free(&wr);
    ok(rop_table_state_decode(&arena, NULL, 0, &back) != 0, "an empty blob is refused");
}

/* ---- restriction adapter ---- */

static ms_propval_t row[6];

static void init_row(void)
{
    static char subj[] = "Caf\xc3\xa9 meeting notes";
    static uint8_t bin[3] = {1, 2, 3};
    memset(row, 0, sizeof(row));
    row[0].tag = MS_PR_SUBJECT;
    row[0].value.str = subj;
    row[1].tag = MS_PR_MESSAGE_FLAGS;
    row[1].value.l = 0x11;
    row[2].tag = MS_PR_MESSAGE_SIZE;
    row[2].value.l = 5000;
    row[3].tag = MS_PR_CONTENT_COUNT;
    row[3].value.l = 5000;
    row[4].tag = MS_PROP_TAG(MS_PT_BINARY, 0x3010);
    row[4].value.bin.cb = 3;
    row[4].value.bin.pb = bin;
    row[5].tag = MS_PROP_TAG(MS_PT_ERROR, 0x0C1A);
    row[5].value.err = MAPI_EC_NOT_FOUND;
}

/* Adapts r and evaluates it against the row; -1 when the adapter refuses. */
static int eval(const mapi_restriction_t *r, uint32_t cp)
{
    ms_restriction_t *s;
    if (rop_restriction_to_store(&arena, cp, r, &s) != MAPI_EC_SUCCESS)
        return -1;
    return ms_restriction_match(s, row, 6) ? 1 : 0;
}

static mapi_restriction_t prop(uint8_t relop, uint32_t tag, int32_t l)
{
    mapi_restriction_t r;
    memset(&r, 0, sizeof(r));
    r.type = MAPI_RES_PROPERTY;
    r.u.prop.relop = relop;
    r.u.prop.tag = tag;
    r.u.prop.value.tag = tag;
    r.u.prop.value.v.i32 = l;
    return r;
}

static void test_restrictions(void)
{
    mapi_restriction_t r, subs[2], deep[80];
    ms_restriction_t *s;
    uint32_t tags[8];
    size_t n;
    int i;

    init_row();
    ok(rop_restriction_to_store(&arena, 1252, NULL, &s) == MAPI_EC_SUCCESS && s == NULL, "no restriction: NULL");
    r = prop(MAPI_RELOP_EQ, 0x0E070003, 0x11);
    is_int(eval(&r, 1252), 1, "Property EQ matches");
    r = prop(MAPI_RELOP_GT, 0x0E080003, 6000);
    is_int(eval(&r, 1252), 0, "Property GT does not");
    subs[0] = prop(MAPI_RELOP_EQ, 0x0E070003, 0x11);
    subs[1] = prop(MAPI_RELOP_GT, 0x0E080003, 6000);
    memset(&r, 0, sizeof(r));
    r.type = MAPI_RES_AND;
    r.u.andor.count = 2;
    r.u.andor.subs = subs;
    is_int(eval(&r, 1252), 0, "AND of a match and a miss");
    r.type = MAPI_RES_OR;
    is_int(eval(&r, 1252), 1, "OR of a match and a miss");
    {
        mapi_restriction_t inner = subs[1];
        memset(&r, 0, sizeof(r));
        r.type = MAPI_RES_NOT;
        r.u.not_.sub = &inner;
        is_int(eval(&r, 1252), 1, "NOT of a miss");
    }
    memset(&r, 0, sizeof(r));
    r.type = MAPI_RES_CONTENT;
    r.u.content.fuzzy_low = MAPI_FL_SUBSTRING;
    r.u.content.fuzzy_high = MAPI_FL_IGNORECASE;
    r.u.content.tag = 0x0037001E;
    r.u.content.value.tag = 0x0037001E;
    r.u.content.value.v.str = (char *)"Caf\xe9 MEET"; /* String8 in code page 1252 */
    is_int(eval(&r, 1252), 1, "Content substring/ignore-case with a String8 value in cp1252");
    r.u.content.fuzzy_high = 0;
    is_int(eval(&r, 1252), 0, "the same without IgnoreCase does not match (fuzzy high word kept)");
    memset(&r, 0, sizeof(r));
    r.type = MAPI_RES_COMPAREPROPS;
    r.u.compare.relop = MAPI_RELOP_EQ;
    r.u.compare.tag1 = 0x0E080003;
    r.u.compare.tag2 = 0x36020003;
    is_int(eval(&r, 1252), 1, "CompareProps EQ");
    memset(&r, 0, sizeof(r));
    r.type = MAPI_RES_BITMASK;
    r.u.bitmask.relop = MAPI_BMR_NEZ;
    r.u.bitmask.tag = 0x0E070003;
    r.u.bitmask.mask = 0x10;
    is_int(eval(&r, 1252), 1, "Bitmask NEZ");
    r.u.bitmask.relop = MAPI_BMR_EQZ;
    is_int(eval(&r, 1252), 0, "Bitmask EQZ");
    r.u.bitmask.relop = 5;
    is_int(eval(&r, 1252), -1, "Bitmask with relop 5 is refused");
    memset(&r, 0, sizeof(r));
    r.type = MAPI_RES_SIZE;
    r.u.size.relop = MAPI_RELOP_EQ;
    r.u.size.tag = 0x30100102;
    r.u.size.size = 3;
    is_int(eval(&r, 1252), 1, "Size EQ 3 on a 3-byte binary");
    memset(&r, 0, sizeof(r));
    r.type = MAPI_RES_EXIST;
    r.u.exist.tag = 0x0037001F;
    is_int(eval(&r, 1252), 1, "Exist(subject)");
    r.u.exist.tag = 0x0C1A001F;
    is_int(eval(&r, 1252), 0, "Exist of a column the row lacks (PtypErrorCode) is false");
    {
        mapi_restriction_t inner = prop(MAPI_RELOP_EQ, 0x0E070003, 0x11);
        mapi_propval_t cv;
        memset(&cv, 0, sizeof(cv));
        cv.tag = 0x00010003;
        memset(&r, 0, sizeof(r));
        r.type = MAPI_RES_COMMENT;
        r.u.comment.count = 1;
        r.u.comment.values = &cv;
        r.u.comment.sub = &inner;
        is_int(eval(&r, 1252), 1, "Comment evaluates its restriction");
        memset(&r, 0, sizeof(r));
        r.type = MAPI_RES_COUNT;
        r.u.count.count = 5;
        r.u.count.sub = &inner;
        is_int(eval(&r, 1252), 1, "Count evaluates its restriction");
        memset(&r, 0, sizeof(r));
        r.type = MAPI_RES_SUBOBJECT;
        r.u.subobj.subobject = 0x0E12000D;
        r.u.subobj.sub = &inner;
        ok(rop_restriction_to_store(&arena, 1252, &r, &s) == MAPI_EC_SUCCESS && s->type == MS_RES_SUBRESTRICTION &&
               s->u.sub.subobject == 0x0E12000D && s->u.sub.res->type == MS_RES_PROPERTY,
           "SubObject adapts (recipients)");
        r.u.subobj.sub = NULL;
        is_int(eval(&r, 1252), -1, "SubObject without its restriction is refused");
    }
    r = prop(MAPI_RELOP_MEMBER_OF_DL, 0x0E070003, 1);
    ok(rop_restriction_to_store(&arena, 1252, &r, &s) == MAPI_EC_TOO_COMPLEX, "RELOP_MEMBER_OF_DL: ecTooComplex");
    memset(&r, 0, sizeof(r));
    r.type = 0x0C;
    ok(rop_restriction_to_store(&arena, 1252, &r, &s) == MAPI_EC_INVALID_PARAMETER, "unknown type: ecInvalidParameter");
    memset(&r, 0, sizeof(r));
    r.type = MAPI_RES_PROPERTY;
    r.u.prop.relop = MAPI_RELOP_EQ;
    r.u.prop.tag = 0x0037001E;
    r.u.prop.value.tag = 0x0037001E;
    r.u.prop.value.v.str = (char *)"x";
    ok(rop_restriction_to_store(&arena, 4242, &r, &s) == MAPI_EC_INVALID_PARAMETER,
       "String8 in an unknown code page: ecInvalidParameter");
    for (i = 0; i < 80; i++) {
        memset(&deep[i], 0, sizeof(deep[i]));
        deep[i].type = MAPI_RES_NOT;
        deep[i].u.not_.sub = i + 1 < 80 ? &deep[i + 1] : NULL;
    }
    deep[79].type = MAPI_RES_EXIST;
    deep[79].u.exist.tag = 0x0037001F;
    ok(rop_restriction_to_store(&arena, 1252, &deep[0], &s) == MAPI_EC_TOO_COMPLEX, "80 levels deep: ecTooComplex");
    ok(rop_restriction_to_store(&arena, 1252, &deep[30], &s) == MAPI_EC_SUCCESS, "50 levels deep are fine");

    r.type = MAPI_RES_AND;
    r.u.andor.count = 2;
    r.u.andor.subs = subs;
    subs[1] = prop(MAPI_RELOP_EQ, 0x0E070003, 1); /* same tag twice */
    n = rop_restriction_tags(&r, tags, 0, 8);
    ok(n == 1 && tags[0] == 0x0E070003, "tags of a restriction, deduplicated (%zu)", n);
    subs[1] = prop(MAPI_RELOP_EQ, 0x0E080003, 1);
    n = rop_restriction_tags(&r, tags, 0, 1);
    ok(n == 1, "never more than max tags");
}

/* ---- rows ---- */

static void test_rows(void)
{
    mapi_engine_ctx_t ectx;
    rop_ctx_t c;
    rop_table_state_t st;
    uint32_t cols[8] = {MAPI_PROP_TAG(0x0037, MAPI_PT_UNSPECIFIED), MAPI_PROP_TAG(0x674E, MAPI_PT_LONG),
                        MAPI_PROP_TAG(0x0FF5, MAPI_PT_LONG), MAPI_PROP_TAG(0x0C1A, MAPI_PT_UNICODE),
                        MAPI_PROP_TAG(0x3010, MAPI_PT_BINARY), MAPI_PROP_TAG(0x8001, MAPI_PT_MV_LONG | MAPI_PT_MV_INSTANCE),
                        MAPI_PROP_TAG(0x0FF4, MAPI_PT_LONG), MAPI_PROP_TAG(0x674D, MAPI_PT_I8)};
    ms_propval_t srow[9];
    static uint8_t big[800];
    static int32_t mv[2] = {42, 43};
    mapi_propval_t back[8];
    mapi_wr_t wr;
    mapi_rd_t rd;

    memset(&ectx, 0, sizeof(ectx));
    ectx.codepage = 1252;
    memset(&c, 0, sizeof(c));
    c.ectx = &ectx;
    c.arena = &arena;
    memset(&st, 0, sizeof(st));
    st.kind = ROP_TABLE_CONTENTS;
    st.ncols = 8;
    st.cols = cols;
    memset(srow, 0, sizeof(srow));
    srow[0].tag = MS_PR_SUBJECT;
    srow[0].value.str = (char *)"Caf\xc3\xa9";
    srow[1].tag = MS_PROP_TAG(MS_PT_ERROR, 0x674E);
    srow[1].value.err = MAPI_EC_NOT_FOUND;
    srow[2].tag = MS_PROP_TAG(MS_PT_ERROR, 0x0FF5);
    srow[2].value.err = MAPI_EC_NOT_FOUND;
    srow[3].tag = MS_PROP_TAG(MS_PT_ERROR, 0x0C1A);
    srow[3].value.err = MAPI_EC_NOT_FOUND;
    srow[4].tag = MS_PROP_TAG(MS_PT_BINARY, 0x3010);
    srow[4].value.bin.cb = sizeof(big);
    srow[4].value.bin.pb = big;
    srow[5].tag = MS_PROP_TAG(MS_PT_MV_LONG, 0x8001);
    srow[5].value.mv.count = 2;
    srow[5].value.mv.v.l = mv;
    srow[6].tag = MS_PROP_TAG(MS_PT_ERROR, 0x0FF4);
    srow[6].value.err = MAPI_EC_NOT_FOUND;
    srow[7].tag = MS_PROP_TAG(MS_PT_ERROR, 0x674D);
    srow[7].value.err = MAPI_EC_NOT_FOUND;
    srow[8].tag = MS_PR_MID; /* the hidden id column */
    srow[8].value.li = 0x0F00000000000001ll;

    mapi_wr_init(&wr, 0);
    ok(rop_table_encode_row(&c, &st, srow, &wr) == 0, "a row encodes");
    mapi_rd_init(&rd, wr.p, wr.len);
    ok(wr.len > 0 && wr.p[0] == 1, "as a FlaggedPropertyRow (it has missing columns)");
    ok(mapi_proprow_decode(&rd, &arena, MAPI_CTX_ROP, cols, 8, back) == 0 && mapi_rd_left(&rd) == 0, "which decodes");
    ok(back[0].tag == MAPI_PROP_TAG(0x0037, MAPI_PT_STRING8) && strcmp(back[0].v.str, "Caf\xe9") == 0,
       "an untyped string column without UseUnicode: String8 in the code page");
    ok(back[1].tag == MAPI_PROP_TAG(0x674E, MAPI_PT_LONG) && back[1].v.i32 == 0, "PidTagInstanceNum computed: 0");
    ok(back[2].tag == MAPI_PROP_TAG(0x0FF5, MAPI_PT_LONG) && back[2].v.i32 == 1, "PidTagRowType computed: leaf");
    ok(MAPI_PROP_TYPE(back[3].tag) == MAPI_PT_ERROR && back[3].v.err == MAPI_EC_NOT_FOUND,
       "a missing column: PtypErrorCode ecNotFound");
    ok(back[4].tag == MAPI_PROP_TAG(0x3010, MAPI_PT_BINARY) && back[4].v.bin.len == 510, "binary cut to 510 bytes");
    ok(back[5].tag == MAPI_PROP_TAG(0x8001, MAPI_PT_LONG) && back[5].v.i32 == 42, "an MV-instance column: the first value");
    ok(back[6].v.i32 == 0x07, "PidTagAccess of a message row");
    ok(back[7].tag == MAPI_PROP_TAG(0x674D, MAPI_PT_I8) && (uint64_t)back[7].v.i64 == 0x0F00000000000001ull,
       "PidTagInstID is the row's id");
    mapi_wr_free(&wr);

    st.flags = ROP_TF_UNICODE;
    mapi_wr_init(&wr, 0);
    ok(rop_table_encode_row(&c, &st, srow, &wr) == 0, "with UseUnicode");
    mapi_rd_init(&rd, wr.p, wr.len);
    ok(mapi_proprow_decode(&rd, &arena, MAPI_CTX_ROP, cols, 8, back) == 0 &&
           back[0].tag == MAPI_PROP_TAG(0x0037, MAPI_PT_UNICODE) && strcmp(back[0].v.str, "Caf\xc3\xa9") == 0,
       "the untyped string column comes as Unicode");
    mapi_wr_free(&wr);

    st.kind = ROP_TABLE_HIERARCHY;
    srow[8].tag = MS_PR_FID;
    mapi_wr_init(&wr, 0);
    rop_table_encode_row(&c, &st, srow, &wr);
    mapi_rd_init(&rd, wr.p, wr.len);
    ok(mapi_proprow_decode(&rd, &arena, MAPI_CTX_ROP, cols, 8, back) == 0 && back[6].v.i32 == 0x3F,
       "PidTagAccess of a folder row");
    mapi_wr_free(&wr);

    srow[0].tag = MS_PROP_TAG(MS_PT_ERROR, 0x0037);
    srow[0].value.err = MAPI_EC_ACCESS_DENIED;
    mapi_wr_init(&wr, 0);
    rop_table_encode_row(&c, &st, srow, &wr);
    mapi_rd_init(&rd, wr.p, wr.len);
    ok(mapi_proprow_decode(&rd, &arena, MAPI_CTX_ROP, cols, 8, back) == 0 && MAPI_PROP_TYPE(back[0].tag) == MAPI_PT_ERROR &&
           back[0].v.err == MAPI_EC_ACCESS_DENIED,
       "a per-value error from the store passes through");
    mapi_wr_free(&wr);
}

/* ---- categorized views (rop_categ_view) ---- */

static ms_propval_t *leaf(const char *sender, const char *subject, uint64_t ft, int64_t mid, int32_t flags)
{
    /* columns: sender, subject, row type, depth, content count | id | sort keys x3 | flags */
    ms_propval_t v[10], *lr = calloc(10, sizeof(*lr));
    int i;
    memset(v, 0, sizeof(v));
    v[0].tag = MS_PR_SENDER_NAME;
    v[0].value.str = (char *)sender;
    v[1].tag = MS_PR_SUBJECT;
    v[1].value.str = (char *)subject;
    v[2].tag = MS_PROP_TAG(MS_PT_ERROR, 0x0FF5);
    v[2].value.err = MAPI_EC_NOT_FOUND;
    v[3].tag = MS_PROP_TAG(MS_PT_ERROR, 0x3005);
    v[3].value.err = MAPI_EC_NOT_FOUND;
    v[4].tag = MS_PROP_TAG(MS_PT_ERROR, 0x3602);
    v[4].value.err = MAPI_EC_NOT_FOUND;
    v[5].tag = MS_PR_MID;
    v[5].value.li = mid;
    v[6] = v[0];
    v[7] = v[1];
    v[8].tag = MS_PR_MESSAGE_DELIVERY_TIME;
    v[8].value.ft = ft;
    v[9].tag = MS_PR_MESSAGE_FLAGS;
    v[9].value.l = flags;
    for (i = 0; i < 10; i++)
        ms_propval_dup(&v[i], &lr[i]);
    return lr;
}

static rop_search_t *categ_rows(const rop_table_state_t *st)
{
    rop_search_t *s = calloc(1, sizeof(*s));
    s->st = st;
    s->outcols = 6;
    s->id_col = 5;
    s->ncols = 10;
    s->cap = 4;
    s->rows = calloc(4, sizeof(*s->rows));
    s->rows[s->n++] = leaf("Bob", "x", 3, 0x0100000000000001ll, 1);
    s->rows[s->n++] = leaf("Bob", "x", 2, 0x0200000000000001ll, 0);
    s->rows[s->n++] = leaf("Bob", "y", 1, 0x0300000000000001ll, 0);
    s->rows[s->n++] = leaf("Carol", "z", 0, 0x0400000000000001ll, 1);
    return s;
}

static void test_categories(void)
{
    static uint32_t cols[5] = {MAPI_PROP_TAG(0x0C1A, MAPI_PT_UNICODE), MAPI_PROP_TAG(0x0037, MAPI_PT_UNICODE),
                               MAPI_PROP_TAG(0x0FF5, MAPI_PT_LONG), MAPI_PROP_TAG(0x3005, MAPI_PT_LONG),
                               MAPI_PROP_TAG(0x3602, MAPI_PT_LONG)};
    static mapi_sort_order_t sorts[3] = {{MAPI_PT_UNICODE, 0x0C1A, 0}, {MAPI_PT_UNICODE, 0x0037, 0},
                                         {MAPI_PT_SYSTIME, 0x0E06, 1}};
    static uint64_t toggles[ROP_TABLE_MAX_TOGGLES];
    mapi_engine_ctx_t ectx;
    rop_ctx_t c;
    rop_table_state_t st;
    rop_search_t *s;
    uint64_t bob = 0, bob_x = 0;
    static const uint8_t want_state[5] = {ROP_VROW_EXPANDED, ROP_VROW_COLLAPSED, ROP_VROW_COLLAPSED,
                                          ROP_VROW_EXPANDED, ROP_VROW_COLLAPSED};
    static const uint8_t want_level[5] = {0, 1, 1, 0, 1};
    int i, same = 1;

    memset(&ectx, 0, sizeof(ectx));
    memset(&c, 0, sizeof(c));
    c.ectx = &ectx;
    c.arena = &arena;
    memset(&st, 0, sizeof(st));
    st.kind = ROP_TABLE_CONTENTS;
    st.ncols = 5;
    st.cols = cols;
    st.nsorts = 3;
    st.sorts = sorts;
    st.categories = 2;
    st.expanded = 1;
    st.toggles = toggles;

    s = categ_rows(&st);
    ok(rop_categ_view(&c, s) == MAPI_EC_SUCCESS, "two category levels, the first expanded");
    is_int(s->n, 5, "5 visible rows: Bob, Bob/x, Bob/y, Carol, Carol/z");
    for (i = 0; i < 5 && s->n == 5; i++)
        same &= s->vstate[i] == want_state[i] && s->vlevel[i] == want_level[i];
    ok(same, "headers expanded at level 0, collapsed at level 1");
    if (s->n == 5) {
        ok(s->rows[0][0].tag == MS_PR_SENDER_NAME && strcmp(s->rows[0][0].value.str, "Bob") == 0 &&
               MS_PROP_TYPE(s->rows[0][1].tag) == MS_PT_ERROR,
           "Bob's header carries the sender, not the subject");
        ok(s->rows[1][1].tag == MS_PR_SUBJECT && strcmp(s->rows[1][1].value.str, "x") == 0, "Bob/x carries both");
        ok(s->rows[0][2].value.l == 3 && s->rows[1][2].value.l == 4, "PidTagRowType expanded (3) / collapsed (4)");
        ok(s->rows[0][4].value.l == 3 && s->rows[1][4].value.l == 2 && s->rows[3][4].value.l == 1,
           "content counts 3, 2 and 1");
        ok(s->rows[1][3].value.l == 1, "a level-1 header has depth 1");
        bob = rop_rows_id(s, 0);
        bob_x = rop_rows_id(s, 1);
        ok(bob && bob_x && bob != bob_x && (bob & 0xFFFF) == 0 && rop_rows_id(s, 3) != bob,
           "category ids are distinct and never MIDs");
    }
    rop_rows_free(s);

    ok(rop_categ_toggle(&st, bob_x) == 0, "expand Bob/x");
    s = categ_rows(&st);
    ok(rop_categ_view(&c, s) == MAPI_EC_SUCCESS && s->n == 7, "7 visible rows (%u)", s->n);
    if (s->n == 7)
        ok(s->vstate[2] == ROP_VROW_LEAF && s->vlevel[2] == 2 && s->rows[2][3].value.l == 2 &&
               rop_rows_id(s, 2) == 0x0100000000000001ull,
           "Bob/x's leaves show, newest first, at depth 2");
    rop_rows_free(s);
    ok(rop_categ_toggle(&st, bob) == 0, "collapse Bob");
    s = categ_rows(&st);
    ok(rop_categ_view(&c, s) == MAPI_EC_SUCCESS && s->n == 3 && s->vstate[0] == ROP_VROW_COLLAPSED,
       "3 visible rows: Bob collapsed hides everything under it");
    rop_rows_free(s);
    ok(rop_categ_toggle(&st, bob_x) == 0 && st.ntoggles == 1, "toggling twice restores the default");
}

/* ---- tables of other areas' rows (rules) ---- */

static uint64_t rules_fid_seen;

/* Three rules (id, name, sequence), as the rules area would give them. */
uint32_t rop_rules_table_rows(rop_ctx_t *c, uint64_t fid, uint8_t table_flags, const uint32_t *cols, size_t ncols,
                              ms_rowset_t *out)
{
    static const char *names[3] = {"move newsletters", "flag boss", "delete spam"};
    static const int32_t seq[3] = {20, 10, 30};
    uint32_t i;
    size_t k;
    (void)c;
    (void)table_flags;
    rules_fid_seen = fid;
    memset(out, 0, sizeof(*out));
    out->ncols = (uint32_t)ncols;
    out->rows = calloc(3, sizeof(*out->rows));
    for (i = 0; i < 3; i++) {
        ms_propval_t *r = calloc(ncols, sizeof(*r));
        out->rows[out->count++] = r;
        for (k = 0; k < ncols; k++) {
            ms_propval_t v;
            memset(&v, 0, sizeof(v));
            switch (MS_PROP_ID(cols[k])) {
            case 0x6674: v.tag = MS_PROP_TAG(MS_PT_I8, 0x6674); v.value.li = 100 + i; break;
            case 0x6682: v.tag = MS_PROP_TAG(MS_PT_UNICODE, 0x6682); v.value.str = (char *)names[i]; break;
            case 0x6676: v.tag = MS_PROP_TAG(MS_PT_LONG, 0x6676); v.value.l = seq[i]; break;
            default: v.tag = MS_PROP_TAG(MS_PT_ERROR, MS_PROP_ID(cols[k])); v.value.err = MAPI_EC_NOT_FOUND;
            }
            ms_propval_dup(&v, &r[k]);
        }
    }
    return MAPI_EC_SUCCESS;
}

static void test_rules_source(void)
{
    static uint32_t cols[2] = {MAPI_PROP_TAG(0x6682, MAPI_PT_UNICODE), MAPI_PROP_TAG(0x6676, MAPI_PT_LONG)};
    static mapi_sort_order_t by_seq = {MAPI_PT_LONG, 0x6676, 0};
    mapi_engine_ctx_t ectx;
    rop_ctx_t c;
    rop_table_state_t st;
    rop_vtab_t *vt;
    ms_rowset_t rs;
    mapi_restriction_t res;
    mapi_wr_t wr;
    uint32_t count;

    memset(&ectx, 0, sizeof(ectx));
    ectx.codepage = 1252;
    memset(&c, 0, sizeof(c));
    c.ectx = &ectx;
    c.arena = &arena;
    memset(&st, 0, sizeof(st));
    st.kind = ROP_TABLE_RULES;
    st.fid = 0x0400000000000001ull;
    st.ncols = 2;
    st.cols = cols;
    st.nsorts = 1;
    st.sorts = &by_seq;
    ok(rop_table_build(&c, NULL, &st, NULL, 0, 0, &vt) == MAPI_EC_SUCCESS, "a rules table over the area's rows");
    ok(rules_fid_seen == st.fid, "the row source gets the folder");
    ok(rop_vt_query(NULL, vt, 10, 0, &rs) == MS_OK && rs.count == 3 && rs.ncols == 3, "3 rows (2 columns + the hidden id)");
    if (rs.count == 3)
        ok(rs.rows[0][1].value.l == 10 && rs.rows[1][1].value.l == 20 && rs.rows[2][1].value.l == 30 &&
               rs.rows[0][2].tag == MS_PROP_TAG(MS_PT_I8, 0x6674) && rs.rows[0][2].value.li == 101,
           "sorted by sequence, PidTagRuleId as the row id");
    ms_rowset_free(&rs);
    rop_vt_close(vt);

    memset(&res, 0, sizeof(res));
    res.type = MAPI_RES_CONTENT;
    res.u.content.fuzzy_low = MAPI_FL_SUBSTRING;
    res.u.content.tag = MAPI_PROP_TAG(0x6682, MAPI_PT_UNICODE);
    res.u.content.value.tag = res.u.content.tag;
    res.u.content.value.v.str = (char *)"spam";
    mapi_wr_init(&wr, 0);
    mapi_restriction_encode(&wr, MAPI_CTX_ROP, &res);
    st.res.data = mapi_arena_memdup(&arena, wr.p, wr.len);
    st.res.len = (uint32_t)wr.len;
    mapi_wr_free(&wr);
    st.cols = cols + 1; /* the restriction reads a column the table does not show */
    st.ncols = 1;
    ok(rop_table_build(&c, NULL, &st, NULL, 0, 0, &vt) == MAPI_EC_SUCCESS &&
           rop_vt_row_count(NULL, vt, &count) == MS_OK && count == 1,
       "restricted to the rule named '...spam' (on a column not shown)");
    rop_vt_close(vt);
}

int main(void)
{
    mapi_arena_init(&arena, 64u << 20);
    test_state();
    test_restrictions();
    test_rows();
    test_categories();
    test_rules_source();
    mapi_arena_clear(&arena);
    return done_testing();
}
