/* Unit tests for mapicodec/mapi_restriction*.c: wire forms of every
 * restriction type in both widths, depth limit, bad input, evaluation. */
#include "tap.h"
#include "mapi_restriction.h"
#include "mapi_status.h"

#include <sys/stat.h>

static mapi_arena_t A;

/* --write-corpus DIR: the restrictions tested here become fuzz seeds in
 * DIR/restriction/ (first byte: 0 ROP widths, 1 wide). */
static const char *corpus_dir;
static int corpus_n;

static void seed(int wide, const uint8_t *p, size_t n)
{
    char path[512];
    FILE *f;
    if (!corpus_dir)
        return;
    snprintf(path, sizeof(path), "%s/restriction", corpus_dir);
    mkdir(path, 0777);
    snprintf(path, sizeof(path), "%s/restriction/seed-%03d", corpus_dir, corpus_n++);
    if (!(f = fopen(path, "wb")))
        return;
    fputc(wide ? 1 : 0, f);
    fwrite(p, 1, n, f);
    fclose(f);
}

static mapi_restriction_t *dec(const uint8_t *b, size_t n, int wide, int *st)
{
    mapi_rd_t rd;
    mapi_restriction_t *r = NULL;
    seed(wide, b, n);
    mapi_rd_init(&rd, b, n);
    *st = mapi_restriction_decode(&rd, &A, wide, &r);
    if (*st == MAPI_OK && rd.off != n)
        *st = MAPI_E_TRAILING;
    return *st == MAPI_OK ? r : NULL;
}

/* decode, re-encode byte-exact, and fail on every truncation */
static mapi_restriction_t *check(const uint8_t *b, size_t n, int wide, const char *name)
{
    int st, all_fail = 1;
    size_t cut;
    mapi_wr_t wr;
    mapi_restriction_t *r = dec(b, n, wide, &st);
    is_int(st, MAPI_OK, "%s: decodes", name);
    mapi_wr_init(&wr, 0);
    if (r)
        is_int(mapi_restriction_encode(&wr, wide, r), MAPI_OK, "%s: encodes", name);
    is_mem(wr.p, wr.len, b, n, "%s: byte-exact round trip", name);
    mapi_wr_free(&wr);
    for (cut = 0; cut < n; cut++) {
        mapi_rd_t rd;
        mapi_restriction_t *t;
        mapi_rd_init(&rd, b, cut);
        if (mapi_restriction_decode(&rd, &A, wide, &t) == MAPI_OK)
            all_fail = 0;
    }
    ok(all_fail, "%s: every truncation is an error", name);
    return r;
}

/* PidTagMessageClass (0x001A001F) == "IPM" */
static const uint8_t prop_eq[] = {0x04, 0x04, 0x1F, 0x00, 0x1A, 0x00,
                                  0x1F, 0x00, 0x1A, 0x00, 'I', 0, 'P', 0, 'M', 0, 0, 0};

static void test_codec(void)
{
    mapi_restriction_t *r;
    /* AND(Exist PidTagSubject, Bitmask NEZ PidTagMessageFlags 0x1) */
    static const uint8_t and_rop[] = {0x00, 0x02, 0x00,
                                      0x08, 0x1F, 0x00, 0x37, 0x00,
                                      0x06, 0x01, 0x03, 0x00, 0x07, 0x0E, 0x01, 0x00, 0x00, 0x00};
    static const uint8_t and_wide[] = {0x00, 0x02, 0x00, 0x00, 0x00,
                                       0x08, 0x1F, 0x00, 0x37, 0x00,
                                       0x06, 0x01, 0x03, 0x00, 0x07, 0x0E, 0x01, 0x00, 0x00, 0x00};
    /* Content substring|ignorecase PidTagSubject "ab" */
    static const uint8_t content[] = {0x03, 0x01, 0x00, 0x01, 0x00, 0x1F, 0x00, 0x37, 0x00,
                                      0x1F, 0x00, 0x37, 0x00, 'a', 0, 'b', 0, 0, 0};
    /* OR(NOT(CompareProps LT a b), Size GE PidTagBody 10) */
    static const uint8_t orr[] = {0x01, 0x02, 0x00,
                                  0x02, 0x05, 0x00, 0x03, 0x00, 0x01, 0x80, 0x03, 0x00, 0x02, 0x80,
                                  0x07, 0x03, 0x1F, 0x00, 0x00, 0x10, 0x0A, 0x00, 0x00, 0x00};
    /* SubObject recipients (0x0E12000D) Exist PidTagDisplayName */
    static const uint8_t sub[] = {0x09, 0x0D, 0x00, 0x12, 0x0E, 0x08, 0x1F, 0x00, 0x01, 0x30};
    /* Comment with one tagged value and a restriction; and one without */
    static const uint8_t com[] = {0x0A, 0x01, 0x03, 0x00, 0x01, 0x80, 0x07, 0x00, 0x00, 0x00,
                                  0x01, 0x08, 0x1F, 0x00, 0x37, 0x00};
    static const uint8_t com0[] = {0x0A, 0x00, 0x00};
    /* Count 5 of Exist */
    static const uint8_t cnt[] = {0x0B, 0x05, 0x00, 0x00, 0x00, 0x08, 0x1F, 0x00, 0x37, 0x00};

    r = check(prop_eq, sizeof(prop_eq), 0, "Property EQ");
    ok(r && r->type == MAPI_RES_PROPERTY && r->u.prop.relop == MAPI_RELOP_EQ &&
       r->u.prop.tag == 0x001A001F && strcmp(r->u.prop.value.v.str, "IPM") == 0, "Property fields");
    r = check(and_rop, sizeof(and_rop), 0, "And, ROP 16-bit count");
    ok(r && r->u.andor.count == 2 && r->u.andor.subs[1].type == MAPI_RES_BITMASK &&
       r->u.andor.subs[1].u.bitmask.mask == 1, "And fields");
    r = check(and_wide, sizeof(and_wide), 1, "And, wide 32-bit count");
    ok(r && r->u.andor.count == 2, "wide And count");
    r = check(content, sizeof(content), 0, "Content");
    ok(r && r->u.content.fuzzy_low == 1 && r->u.content.fuzzy_high == 1, "fuzzy levels");
    r = check(orr, sizeof(orr), 0, "Or/Not/CompareProps/Size");
    ok(r && r->u.andor.subs[0].u.not_.sub->type == MAPI_RES_COMPAREPROPS &&
       r->u.andor.subs[1].u.size.size == 10, "nested fields");
    r = check(sub, sizeof(sub), 0, "SubObject");
    ok(r && r->u.subobj.subobject == 0x0E12000D, "subobject tag");
    r = check(com, sizeof(com), 0, "Comment");
    ok(r && r->u.comment.count == 1 && r->u.comment.values[0].v.i32 == 7 && r->u.comment.sub, "comment fields");
    r = check(com0, sizeof(com0), 0, "Comment without restriction");
    ok(r && !r->u.comment.sub, "no subrestriction");
    r = check(cnt, sizeof(cnt), 0, "Count");
    ok(r && r->u.count.count == 5, "count");
}

static void test_bad(void)
{
    int st;
    uint8_t deep[200];
    size_t i;
    static const uint8_t badtype[] = {0x0C, 0, 0, 0, 0};
    static const uint8_t andpast[] = {0x00, 0xFF, 0xFF, 0x08, 0x1F, 0x00, 0x37, 0x00};
    static const uint8_t mismatch[] = {0x04, 0x04, 0x03, 0x00, 0x08, 0x0E,
                                       0x1F, 0x00, 0x08, 0x0E, 'x', 0, 0, 0};

    dec(badtype, sizeof(badtype), 0, &st);
    is_int(st, MAPI_E_BAD_VALUE, "RestrictType 0x0C rejected");
    dec(andpast, sizeof(andpast), 0, &st);
    is_int(st, MAPI_E_TRUNCATED, "And count past the end");
    dec(mismatch, sizeof(mismatch), 0, &st);
    is_int(st, MAPI_E_TYPE_MISMATCH, "Property tag LONG with Unicode value");

    {
        static const uint8_t nested[] = {0x04, 0x04, 0xFD, 0x00, 0x01, 0x00, 0xFD, 0x00, 0x01, 0x00,
                                         0x08, 0x1F, 0x00, 0x37, 0x00};
        static const uint8_t resval[] = {0xFD, 0x00, 0x01, 0x00, 0x08, 0x1F, 0x00, 0x37, 0x00};
        mapi_rd_t rd;
        mapi_propval_t pv;
        dec(nested, sizeof(nested), 0, &st);
        is_int(st, MAPI_E_TOO_COMPLEX, "a restriction value inside a restriction is refused");
        mapi_rd_init(&rd, resval, sizeof(resval));
        is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_OK, "PtypRestriction property value decodes");
        ok(pv.v.res && pv.v.res->type == MAPI_RES_EXIST && pv.v.res->u.exist.tag == 0x0037001F,
           "PtypRestriction value holds the tree");
    }
    for (i = 0; i < 64; i++)
        deep[i] = MAPI_RES_NOT;
    memcpy(deep + 64, "\x08\x1F\x00\x37\x00", 5);
    ok(dec(deep, 69, 0, &st) != NULL, "64 nested Nots are accepted");
    for (i = 0; i < 100; i++)
        deep[i] = MAPI_RES_NOT;
    memcpy(deep + 100, "\x08\x1F\x00\x37\x00", 5);
    dec(deep, 105, 0, &st);
    is_int(st, MAPI_E_TOO_COMPLEX, "100 nested Nots: too complex");
    is_int(mapi_codec_status_to_ec(st), MAPI_EC_TOO_COMPLEX, "maps to ecTooComplex");
}

static void test_owned(void)
{
    int st = 1;
    size_t used = 0;
    mapi_restriction_t *r = mapi_restriction_parse(prop_eq, sizeof(prop_eq), 0, &used, &st), *d;
    ok(r != NULL && st == MAPI_OK && used == sizeof(prop_eq), "parse standalone tree");
    d = mapi_restriction_dup(r);
    mapi_restriction_free(r);
    ok(d && strcmp(d->u.prop.value.v.str, "IPM") == 0, "dup survives freeing the original");
    mapi_restriction_free(d);
    ok(mapi_restriction_parse(prop_eq, 5, 0, NULL, &st) == NULL && st == MAPI_E_TRUNCATED,
       "parse of truncated bytes fails");
    mapi_restriction_free(NULL);
}

/* ---- evaluation ----------------------------------------------------- */

typedef struct {
    mapi_propval_t props[8];
    size_t n;
    int sub_result;
} obj_t;

static const mapi_propval_t *getp(void *ctx, uint32_t tag)
{
    obj_t *o = ctx;
    return mapi_propval_find(o->props, o->n, MAPI_PROP_CHANGE_TYPE(tag, MAPI_PT_UNSPECIFIED));
}

static int subobj(void *ctx, uint32_t subobject, mapi_restriction_t *r)
{
    obj_t *o = ctx;
    return subobject == 0x0E12000D && o->sub_result;
}

static mapi_restriction_t *R(const char *hex_ignored, const uint8_t *b, size_t n)
{
    int st;
    (void)hex_ignored;
    return dec(b, n, 0, &st);
}

static void test_eval(void)
{
    obj_t o;
    static char subj[] = "Hello World", cls[] = "IPM.Note", red[] = "Red", blue[] = "Blue";
    static char *cats[] = {red, blue};
    static uint8_t bin[] = {1, 2, 3, 4};
    mapi_restriction_ops_t ops;
    mapi_restriction_t *r;

    memset(&o, 0, sizeof(o));
    o.props[0].tag = 0x0037001F; o.props[0].v.str = subj;
    o.props[1].tag = 0x001A001E; o.props[1].v.str = cls;          /* String8 */
    o.props[2].tag = 0x0E070003; o.props[2].v.i32 = 0x0001;       /* flags: read */
    o.props[3].tag = 0x0E080003; o.props[3].v.i32 = 100;          /* size */
    o.props[4].tag = 0x8001101F; o.props[4].v.mv.count = 2; o.props[4].v.mv.v.str = cats;
    o.props[5].tag = 0x0FFF0102; o.props[5].v.bin.len = 4; o.props[5].v.bin.data = bin;
    o.props[6].tag = 0x80020003; o.props[6].v.i32 = 100;
    o.n = 7;
    memset(&ops, 0, sizeof(ops));
    ops.get_prop = getp;
    ops.match_subobject = subobj;

    {   /* MessageClass (String8 on the object) == Unicode "ipm.note": case-insensitive */
        static const uint8_t b[] = {0x04, 0x04, 0x1F, 0x00, 0x1A, 0x00, 0x1F, 0x00, 0x1A, 0x00,
                                    'i', 0, 'p', 0, 'm', 0, '.', 0, 'n', 0, 'o', 0, 't', 0, 'e', 0, 0, 0};
        r = R("", b, sizeof(b));
        ok(r && mapi_restriction_match(r, getp, &o), "String8 value EQ Unicode comparand, ignoring case");
    }
    {   /* size LONG: relops */
        uint8_t b[] = {0x04, 0x00, 0x03, 0x00, 0x08, 0x0E, 0x03, 0x00, 0x08, 0x0E, 100, 0, 0, 0};
        int want[] = {0, 1, 0, 1, 1, 0}, relop;
        for (relop = 0; relop <= 5; relop++) {
            b[1] = (uint8_t)relop;
            r = R("", b, sizeof(b));
            is_int(r ? mapi_restriction_match(r, getp, &o) : -1, want[relop], "100 relop %d 100", relop);
        }
        b[10] = 50;
        b[1] = MAPI_RELOP_GT;
        r = R("", b, sizeof(b));
        ok(r && mapi_restriction_match(r, getp, &o), "100 > 50");
        b[1] = MAPI_RELOP_RE;
        r = R("", b, sizeof(b));
        ok(r && !mapi_restriction_match(r, getp, &o), "RELOP_RE is never true");
        b[4] = 0x09; b[8] = 0x09; /* a property the object lacks */
        b[1] = MAPI_RELOP_NE;
        r = R("", b, sizeof(b));
        ok(r && !mapi_restriction_match(r, getp, &o), "missing property does not match, even NE");
    }
    {   /* Content on subject */
        uint8_t b[] = {0x03, 0x00, 0x00, 0x00, 0x00, 0x1F, 0x00, 0x37, 0x00, 0x1F, 0x00, 0x37, 0x00,
                       'w', 0, 'o', 0, 'r', 0, 'l', 0, 'd', 0, 0, 0};
        r = R("", b, sizeof(b));
        ok(r && !mapi_restriction_match(r, getp, &o), "FULLSTRING 'world' does not match 'Hello World'");
        b[1] = MAPI_FL_SUBSTRING;
        r = R("", b, sizeof(b));
        ok(r && !mapi_restriction_match(r, getp, &o), "SUBSTRING 'world' case-sensitive: no");
        b[3] = MAPI_FL_IGNORECASE;
        r = R("", b, sizeof(b));
        ok(r && mapi_restriction_match(r, getp, &o), "SUBSTRING|IGNORECASE 'world': yes");
        b[1] = MAPI_FL_PREFIX;
        r = R("", b, sizeof(b));
        ok(r && !mapi_restriction_match(r, getp, &o), "PREFIX 'world': no");
    }
    {   /* Content prefix on MV categories: any value */
        static const uint8_t b[] = {0x03, 0x02, 0x00, 0x01, 0x00, 0x1F, 0x10, 0x01, 0x80, 0x1F, 0x00, 0x01, 0x80,
                                    'b', 0, 'l', 0, 0, 0};
        r = R("", b, sizeof(b));
        ok(r && mapi_restriction_match(r, getp, &o), "PREFIX|IGNORECASE 'bl' matches MV value 'Blue'");
    }
    {   /* binary content */
        static const uint8_t b[] = {0x03, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0xFF, 0x0F,
                                    0x02, 0x01, 0xFF, 0x0F, 0x02, 0x00, 2, 3};
        r = R("", b, sizeof(b));
        ok(r && mapi_restriction_match(r, getp, &o), "binary SUBSTRING 02 03");
    }
    {   /* bitmask */
        uint8_t b[] = {0x06, 0x00, 0x03, 0x00, 0x07, 0x0E, 0x01, 0x00, 0x00, 0x00};
        r = R("", b, sizeof(b));
        ok(r && !mapi_restriction_match(r, getp, &o), "BMR_EQZ read flag: no (message is read)");
        b[1] = MAPI_BMR_NEZ;
        r = R("", b, sizeof(b));
        ok(r && mapi_restriction_match(r, getp, &o), "BMR_NEZ read flag: yes");
    }
    {   /* size of subject: 11 chars -> 24 bytes in UTF-16 with NUL */
        uint8_t b[] = {0x07, MAPI_RELOP_EQ, 0x1F, 0x00, 0x37, 0x00, 24, 0, 0, 0};
        r = R("", b, sizeof(b));
        ok(r && mapi_restriction_match(r, getp, &o), "Size of Unicode subject = 24 bytes");
        b[1] = MAPI_RELOP_LT;
        r = R("", b, sizeof(b));
        ok(r && !mapi_restriction_match(r, getp, &o), "Size < 24: no");
    }
    {   /* exist, compare props, not, and, or */
        static const uint8_t ex[] = {0x08, 0x1F, 0x00, 0x37, 0x00};
        static const uint8_t nex[] = {0x02, 0x08, 0x1F, 0x00, 0x99, 0x00};
        static const uint8_t cmp[] = {0x05, MAPI_RELOP_EQ, 0x03, 0x00, 0x08, 0x0E, 0x03, 0x00, 0x02, 0x80};
        static const uint8_t andb[] = {0x00, 0x02, 0x00, 0x08, 0x1F, 0x00, 0x37, 0x00, 0x08, 0x1F, 0x00, 0x99, 0x00};
        static const uint8_t orb[] = {0x01, 0x02, 0x00, 0x08, 0x1F, 0x00, 0x37, 0x00, 0x08, 0x1F, 0x00, 0x99, 0x00};
        static const uint8_t and0[] = {0x00, 0x00, 0x00};
        static const uint8_t or0[] = {0x01, 0x00, 0x00};
        r = R("", ex, sizeof(ex));
        ok(r && mapi_restriction_match(r, getp, &o), "Exist subject");
        r = R("", nex, sizeof(nex));
        ok(r && mapi_restriction_match(r, getp, &o), "Not Exist 0x0099");
        r = R("", cmp, sizeof(cmp));
        ok(r && mapi_restriction_match(r, getp, &o), "CompareProps EQ 100 == 100");
        r = R("", andb, sizeof(andb));
        ok(r && !mapi_restriction_match(r, getp, &o), "And with a false member");
        r = R("", orb, sizeof(orb));
        ok(r && mapi_restriction_match(r, getp, &o), "Or with a true member");
        r = R("", and0, sizeof(and0));
        ok(r && mapi_restriction_match(r, getp, &o), "empty And is true");
        r = R("", or0, sizeof(or0));
        ok(r && !mapi_restriction_match(r, getp, &o), "empty Or is false");
    }
    {   /* subobject through the callback, comment, count */
        static const uint8_t sub[] = {0x09, 0x0D, 0x00, 0x12, 0x0E, 0x08, 0x1F, 0x00, 0x01, 0x30};
        static const uint8_t com0[] = {0x0A, 0x00, 0x00};
        static const uint8_t cnt[] = {0x0B, 0x02, 0x00, 0x00, 0x00, 0x08, 0x1F, 0x00, 0x37, 0x00};
        r = R("", sub, sizeof(sub));
        ok(r && !mapi_restriction_match(r, getp, &o), "SubObject without callback: no");
        o.sub_result = 1;
        ok(r && mapi_restriction_match_ex(r, &ops, &o), "SubObject through callback: yes");
        o.sub_result = 0;
        ok(r && !mapi_restriction_match_ex(r, &ops, &o), "SubObject callback says no");
        r = R("", com0, sizeof(com0));
        ok(r && mapi_restriction_match(r, getp, &o), "Comment without restriction is true");
        r = R("", cnt, sizeof(cnt));
        ok(r && mapi_restriction_match(r, getp, &o) && mapi_restriction_match(r, getp, &o) &&
           !mapi_restriction_match(r, getp, &o), "Count 2: two rows match, the third not");
        mapi_restriction_reset(r);
        ok(r && mapi_restriction_match(r, getp, &o), "Count reset");
    }
    {   /* error values count as missing; String8 vs Unicode compare; guid/time compare */
        mapi_propval_t x, y;
        int c = 99;
        memset(&x, 0, sizeof(x));
        memset(&y, 0, sizeof(y));
        x.tag = MAPI_PT_SYSTIME; x.v.time = 5;
        y.tag = MAPI_PT_SYSTIME; y.v.time = 7;
        ok(mapi_propval_compare(&x, &y, 1252, 0, &c) && c < 0, "time 5 < 7");
        y.tag = MAPI_PT_UNICODE; y.v.str = subj;
        ok(!mapi_propval_compare(&x, &y, 1252, 0, &c), "time vs string: not comparable");
        x.tag = MAPI_PT_I2; x.v.i16 = 3;
        y.tag = MAPI_PT_I8; y.v.i64 = 3;
        ok(mapi_propval_compare(&x, &y, 1252, 0, &c) && c == 0, "I2 3 == I8 3");
        x.tag = MAPI_PT_STRING8; x.v.str = (char *)"\xc9t\xe9";
        y.tag = MAPI_PT_UNICODE; y.v.str = (char *)"\xc3\xa9T\xc3\x89";
        ok(mapi_propval_compare(&x, &y, 1252, 1, &c) && c == 0, "1252 '\\xc9t\\xe9' == Unicode 'eTE' ignoring case (Latin-1)");
        o.props[7].tag = 0x0E06000A; o.props[7].v.err = 0x8004010F;
        o.n = 8;
        {
            static const uint8_t b[] = {0x08, 0x40, 0x00, 0x06, 0x0E};
            r = R("", b, sizeof(b));
            ok(r && !mapi_restriction_match(r, getp, &o), "an error value does not satisfy Exist");
        }
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
        corpus_dir = argv[2];
    mapi_arena_init(&A, 0);
    test_codec();
    test_bad();
    test_owned();
    test_eval();
    mapi_arena_clear(&A);
    return done_testing();
}
