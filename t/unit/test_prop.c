/* Unit tests for mapicodec/mapi_prop.c and mapi_prop_conv.c: property value
 * wire forms in both widths, rows, arrays, names, code pages, bad input. */
#include "tap.h"
#include "mapi_prop.h"
#include "mapi_status.h"

static mapi_arena_t A;

/* Encode pv as a TaggedPropertyValue and compare with want; then decode
 * the bytes again and re-encode: the result must be identical. */
static void check_tagged(const mapi_propval_t *pv, int wide, const uint8_t *want, size_t wlen,
                         const char *name)
{
    mapi_wr_t wr, wr2;
    mapi_rd_t rd;
    mapi_propval_t back;
    int st;
    mapi_wr_init(&wr, 0);
    st = mapi_propval_encode_tagged(&wr, wide, pv);
    is_int(st, MAPI_OK, "%s: encodes", name);
    is_mem(wr.p, wr.len, want, wlen, "%s: bytes", name);
    mapi_rd_init(&rd, want, wlen);
    st = mapi_propval_decode_tagged(&rd, &A, wide, &back);
    is_int(st, MAPI_OK, "%s: decodes", name);
    is_int(rd.off, wlen, "%s: consumes all", name);
    is_int(back.tag, pv->tag, "%s: tag", name);
    mapi_wr_init(&wr2, 0);
    mapi_propval_encode_tagged(&wr2, wide, &back);
    is_mem(wr2.p, wr2.len, want, wlen, "%s: round trip", name);
    /* every truncation fails cleanly */
    {
        size_t cut;
        int all_fail = 1;
        for (cut = 0; cut < wlen; cut++) {
            mapi_propval_t t;
            mapi_rd_init(&rd, want, cut);
            if (mapi_propval_decode_tagged(&rd, &A, wide, &t) == MAPI_OK)
                all_fail = 0;
        }
        ok(all_fail, "%s: every truncation is an error", name);
    }
    mapi_wr_free(&wr);
    mapi_wr_free(&wr2);
}

static void test_scalars(void)
{
    mapi_propval_t pv;
    static const uint8_t l[] = {0x03, 0x00, 0x08, 0x0E, 0x34, 0x12, 0x00, 0x00};
    static const uint8_t u[] = {0x1F, 0x00, 0x37, 0x00, 'H', 0, 0xE9, 0, 0, 0};
    static const uint8_t s8[] = {0x1E, 0x00, 0x1A, 0x00, 'I', 'P', 'M', 0};
    static const uint8_t b[] = {0x0B, 0x00, 0x0A, 0x0E, 0x01};
    static const uint8_t i2[] = {0x02, 0x00, 0x01, 0x10, 0xFE, 0xFF};
    static const uint8_t i8[] = {0x14, 0x00, 0x48, 0x67, 1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t tm[] = {0x40, 0x00, 0x07, 0x30, 0x00, 0x80, 0x3E, 0xD5, 0xDE, 0xB1, 0x9D, 0x01};
    static const uint8_t db[] = {0x05, 0x00, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F};
    static const uint8_t fl[] = {0x04, 0x00, 0x00, 0x80, 0, 0, 0xC0, 0x3F};
    static const uint8_t er[] = {0x0A, 0x00, 0x37, 0x00, 0x0F, 0x01, 0x04, 0x80};
    static const uint8_t nu[] = {0x01, 0x00, 0x00, 0x00};
    static const uint8_t bin_rop[] = {0x02, 0x01, 0xF9, 0x0F, 0x03, 0x00, 0xAA, 0xBB, 0xCC};
    static const uint8_t bin_wide[] = {0x02, 0x01, 0xF9, 0x0F, 0x03, 0x00, 0x00, 0x00, 0xAA, 0xBB, 0xCC};
    static const uint8_t gd[] = {0x48, 0x00, 0x00, 0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    static const uint8_t sid[] = {0xFB, 0x00, 0x00, 0x80, 0x02, 0x00, 0x01, 0x02};
    static uint8_t bytes[] = {0xAA, 0xBB, 0xCC};
    static char hi[] = "H\xc3\xa9", ipm[] = "IPM";
    static uint8_t sidb[] = {1, 2};
    int k;

    memset(&pv, 0, sizeof(pv));
    pv.tag = 0x0E080003; pv.v.i32 = 0x1234;
    check_tagged(&pv, MAPI_CTX_ROP, l, sizeof(l), "PT_LONG");
    pv.tag = 0x0037001F; pv.v.str = hi;
    check_tagged(&pv, MAPI_CTX_ROP, u, sizeof(u), "PT_UNICODE (UTF-8 in memory)");
    pv.tag = 0x001A001E; pv.v.str = ipm;
    check_tagged(&pv, MAPI_CTX_ROP, s8, sizeof(s8), "PT_STRING8");
    pv.tag = 0x0E0A000B; pv.v.b = 1;
    check_tagged(&pv, MAPI_CTX_ROP, b, sizeof(b), "PT_BOOLEAN is 1 byte");
    pv.tag = 0x10010002; pv.v.i16 = -2;
    check_tagged(&pv, MAPI_CTX_ROP, i2, sizeof(i2), "PT_I2");
    pv.tag = 0x67480014; pv.v.i64 = 0x0807060504030201LL;
    check_tagged(&pv, MAPI_CTX_ROP, i8, sizeof(i8), "PT_I8");
    pv.tag = 0x30070040; pv.v.time = 0x019DB1DED53E8000ULL;
    check_tagged(&pv, MAPI_CTX_ROP, tm, sizeof(tm), "PT_SYSTIME");
    pv.tag = 0x80000005; pv.v.f64 = 1.5;
    check_tagged(&pv, MAPI_CTX_ROP, db, sizeof(db), "PT_DOUBLE");
    pv.tag = 0x80000004; pv.v.f32 = 1.5f;
    check_tagged(&pv, MAPI_CTX_ROP, fl, sizeof(fl), "PT_FLOAT");
    pv.tag = 0x0037000A; pv.v.err = 0x8004010F;
    check_tagged(&pv, MAPI_CTX_ROP, er, sizeof(er), "PT_ERROR");
    pv.tag = 0x00000001;
    check_tagged(&pv, MAPI_CTX_ROP, nu, sizeof(nu), "PT_NULL has no value bytes");
    pv.tag = 0x0FF90102; pv.v.bin.len = 3; pv.v.bin.data = bytes;
    check_tagged(&pv, MAPI_CTX_ROP, bin_rop, sizeof(bin_rop), "PT_BINARY, ROP 16-bit count");
    check_tagged(&pv, MAPI_CTX_WIDE, bin_wide, sizeof(bin_wide), "PT_BINARY, wide 32-bit count");
    pv.tag = 0x80000048;
    for (k = 0; k < 16; k++)
        pv.v.guid.b[k] = (uint8_t)k;
    check_tagged(&pv, MAPI_CTX_ROP, gd, sizeof(gd), "PT_CLSID");
    pv.tag = 0x800000FB; pv.v.bin.len = 2; pv.v.bin.data = sidb;
    check_tagged(&pv, MAPI_CTX_ROP, sid, sizeof(sid), "PT_SVREID, 16-bit count");
}

static void test_mv(void)
{
    mapi_propval_t pv;
    static int32_t longs[] = {1, -1};
    static const uint8_t ml[] = {0x03, 0x10, 0x00, 0x80, 2, 0, 0, 0, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF};
    static char a[] = "a", e[] = "\xe2\x82\xac";
    static char *strs[] = {a, e};
    static const uint8_t mu[] = {0x1F, 0x10, 0x00, 0x80, 2, 0, 0, 0, 'a', 0, 0, 0, 0xAC, 0x20, 0, 0};
    static uint8_t b1[] = {9};
    static mapi_bin_t bins[] = {{1, b1}, {0, NULL}};
    static const uint8_t mb[] = {0x02, 0x11, 0xD8, 0x36, 2, 0, 0, 0, 1, 0, 9, 0, 0};
    static const uint8_t mbw[] = {0x02, 0x11, 0xD8, 0x36, 2, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 0};
    static int16_t shorts[] = {7};
    static const uint8_t ms[] = {0x02, 0x10, 0x00, 0x80, 1, 0, 0, 0, 7, 0};

    memset(&pv, 0, sizeof(pv));
    pv.tag = 0x80001003; pv.v.mv.count = 2; pv.v.mv.v.i32 = longs;
    check_tagged(&pv, MAPI_CTX_ROP, ml, sizeof(ml), "PT_MV_LONG 32-bit count");
    pv.tag = 0x8000101F; pv.v.mv.count = 2; pv.v.mv.v.str = strs;
    check_tagged(&pv, MAPI_CTX_ROP, mu, sizeof(mu), "PT_MV_UNICODE");
    pv.tag = 0x36D81102; pv.v.mv.count = 2; pv.v.mv.v.bin = bins;
    check_tagged(&pv, MAPI_CTX_ROP, mb, sizeof(mb), "PT_MV_BINARY ROP: u32 count, u16 lengths");
    check_tagged(&pv, MAPI_CTX_WIDE, mbw, sizeof(mbw), "PT_MV_BINARY wide: u32 lengths");
    pv.tag = 0x80001002; pv.v.mv.count = 1; pv.v.mv.v.i16 = shorts;
    check_tagged(&pv, MAPI_CTX_ROP, ms, sizeof(ms), "PT_MV_I2");
}

static void test_bad_values(void)
{
    static const uint8_t huge_mv[] = {0x03, 0x10, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0};
    static const uint8_t bin_past[] = {0x02, 0x01, 0x00, 0x80, 0x10, 0x00, 1, 2};
    static const uint8_t unknown[] = {0x99, 0x00, 0x00, 0x80, 1, 2, 3, 4};
    static const uint8_t unspec[] = {0x00, 0x00, 0x00, 0x80, 1, 2, 3, 4};
    static const uint8_t nonul[] = {0x1E, 0x00, 0x00, 0x80, 'a', 'b'};
    static const uint8_t oddu[] = {0x1F, 0x00, 0x00, 0x80, 'a', 0, 'b'};
    static const uint8_t mvs_past[] = {0x1E, 0x10, 0x00, 0x80, 3, 0, 0, 0, 'a', 0, 'b', 0};
    mapi_rd_t rd;
    mapi_propval_t pv;
    mapi_wr_t wr;
    static uint8_t big[70000];

    mapi_rd_init(&rd, huge_mv, sizeof(huge_mv));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_TRUNCATED, "MV count past the end");
    mapi_rd_init(&rd, bin_past, sizeof(bin_past));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_TRUNCATED, "binary length past the end");
    mapi_rd_init(&rd, unknown, sizeof(unknown));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_BAD_TYPE, "unknown type 0x0099");
    mapi_rd_init(&rd, unspec, sizeof(unspec));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_BAD_TYPE, "tagged PT_UNSPECIFIED rejected");
    mapi_rd_init(&rd, nonul, sizeof(nonul));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_TRUNCATED, "String8 without NUL");
    mapi_rd_init(&rd, oddu, sizeof(oddu));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_TRUNCATED, "Unicode without 2-byte NUL");
    mapi_rd_init(&rd, mvs_past, sizeof(mvs_past));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_TRUNCATED, "MV string count > strings present");

    memset(&pv, 0, sizeof(pv));
    pv.tag = 0x80000102; pv.v.bin.len = sizeof(big); pv.v.bin.data = big;
    mapi_wr_init(&wr, 0);
    is_int(mapi_propval_encode_tagged(&wr, MAPI_CTX_ROP, &pv), MAPI_E_BAD_VALUE, "binary > 64K cannot go in a ROP buffer");
    mapi_wr_free(&wr);
    mapi_wr_init(&wr, 0);
    is_int(mapi_propval_encode_tagged(&wr, MAPI_CTX_WIDE, &pv), MAPI_OK, "binary > 64K fine in wide context");
    mapi_wr_free(&wr);
    pv.tag = 0x80000099;
    mapi_wr_init(&wr, 0);
    is_int(mapi_propval_encode_tagged(&wr, MAPI_CTX_ROP, &pv), MAPI_E_BAD_TYPE, "encoding unknown type fails");
    mapi_wr_free(&wr);
}

static void test_rule_actions(void)
{
    /* PidTagRuleActions with one ActionBlock of 9 bytes (type, flavor, flags) */
    static const uint8_t rop[] = {0xFE, 0x00, 0x80, 0x66, 0x01, 0x00, 0x09, 0x00, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t wide[] = {0xFE, 0x00, 0x80, 0x66, 0x01, 0, 0, 0, 0x09, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t none[] = {0xFE, 0x00, 0x80, 0x66, 0x00, 0x00};
    static const uint8_t shortb[] = {0xFE, 0x00, 0x80, 0x66, 0x01, 0x00, 0x05, 0x00, 0x0A, 0, 0, 0, 0};
    mapi_propval_t pv;
    mapi_rd_t rd;

    mapi_rd_init(&rd, rop, sizeof(rop));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_OK, "PtypRuleAction decodes (ROP widths)");
    is_int(pv.v.bin.len, 13, "kept as its 13 raw bytes");
    check_tagged(&pv, MAPI_CTX_ROP, rop, sizeof(rop), "PtypRuleAction");
    mapi_rd_init(&rd, wide, sizeof(wide));
    is_int(mapi_propval_decode_tagged(&rd, &A, 1, &pv), MAPI_OK, "PtypRuleAction decodes (extended widths)");
    is_int(rd.off, sizeof(wide), "32-bit NoOfActions and ActionLength");
    mapi_rd_init(&rd, none, sizeof(none));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_BAD_VALUE, "NoOfActions 0 refused");
    mapi_rd_init(&rd, shortb, sizeof(shortb));
    is_int(mapi_propval_decode_tagged(&rd, &A, 0, &pv), MAPI_E_BAD_VALUE, "ActionLength below 9 refused");
}

static void test_typed(void)
{
    static const uint8_t want[] = {0x03, 0x00, 0x05, 0x00, 0x00, 0x00};
    mapi_propval_t pv, back;
    mapi_wr_t wr;
    mapi_rd_t rd;
    memset(&pv, 0, sizeof(pv));
    pv.tag = 0x0E170003; pv.v.i32 = 5;
    mapi_wr_init(&wr, 0);
    is_int(mapi_propval_encode_typed(&wr, 0, &pv), MAPI_OK, "typed encodes");
    is_mem(wr.p, wr.len, want, sizeof(want), "TypedPropertyValue bytes: u16 type + value");
    mapi_rd_init(&rd, want, sizeof(want));
    is_int(mapi_propval_decode_typed(&rd, &A, 0, &back), MAPI_OK, "typed decodes");
    is_int(back.tag, 0x00000003, "typed value has type, id 0");
    is_int(back.v.i32, 5, "typed value");
    mapi_wr_free(&wr);
}

static void test_rows(void)
{
    uint32_t cols[3] = {0x0037001F, 0x0E080003, 0x00170000 /* unspecified */};
    mapi_propval_t vals[3], back[3];
    static char subj[] = "S";
    static const uint8_t std[] = {0x00, 'S', 0, 0, 0, 0x10, 0, 0, 0, 0x03, 0x00, 0x01, 0, 0, 0};
    static const uint8_t flg[] = {0x01, 0x00, 'S', 0, 0, 0, 0x0A, 0x0F, 0x01, 0x04, 0x80,
                                  0x03, 0x00, 0x00, 0x01, 0, 0, 0};
    static const uint8_t absent[] = {0x01, 0x00, 'S', 0, 0, 0, 0x01, 0x03, 0x00, 0x00, 0x01, 0, 0, 0};
    mapi_wr_t wr;
    mapi_rd_t rd;

    memset(vals, 0, sizeof(vals));
    vals[0].tag = 0x0037001F; vals[0].v.str = subj;
    vals[1].tag = 0x0E080003; vals[1].v.i32 = 16;
    vals[2].tag = 0x00170003; vals[2].v.i32 = 1;
    mapi_wr_init(&wr, 0);
    is_int(mapi_proprow_encode(&wr, 0, cols, 3, vals), MAPI_OK, "standard row encodes");
    is_mem(wr.p, wr.len, std, sizeof(std), "StandardPropertyRow bytes (typed value for PT_UNSPECIFIED column)");
    mapi_wr_free(&wr);
    mapi_rd_init(&rd, std, sizeof(std));
    is_int(mapi_proprow_decode(&rd, &A, 0, cols, 3, back), MAPI_OK, "standard row decodes");
    is_str(back[0].v.str, "S", "row value 0");
    is_int(back[2].tag, 0x00170003, "unspecified column gets real type");

    vals[1].tag = 0x0E08000A; vals[1].v.err = 0x8004010F;
    mapi_wr_init(&wr, 0);
    is_int(mapi_proprow_encode(&wr, 0, cols, 3, vals), MAPI_OK, "row with an error encodes");
    is_mem(wr.p, wr.len, flg, sizeof(flg), "FlaggedPropertyRow with 0x0A error and typed flagged value");
    mapi_wr_free(&wr);
    mapi_rd_init(&rd, flg, sizeof(flg));
    is_int(mapi_proprow_decode(&rd, &A, 0, cols, 3, back), MAPI_OK, "flagged row decodes");
    is_int(back[1].tag, 0x0E08000A, "error value keeps column id");
    is_int(back[1].v.err, 0x8004010F, "error code");

    vals[1].tag = 0x0E080001;
    mapi_wr_init(&wr, 0);
    is_int(mapi_proprow_encode(&wr, 0, cols, 3, vals), MAPI_OK, "row with absent value encodes");
    is_mem(wr.p, wr.len, absent, sizeof(absent), "flag 0x01 for an absent value");
    mapi_wr_free(&wr);

    vals[1].tag = 0x0E080014;
    mapi_wr_init(&wr, 0);
    is_int(mapi_proprow_encode(&wr, 0, cols, 3, vals), MAPI_E_TYPE_MISMATCH, "type mismatch in row rejected");
    mapi_wr_free(&wr);

    {
        static const uint8_t badflag[] = {0x02, 'S', 0, 0, 0};
        static const uint8_t badvflag[] = {0x01, 0x07, 'S', 0, 0, 0};
        mapi_rd_init(&rd, badflag, sizeof(badflag));
        is_int(mapi_proprow_decode(&rd, &A, 0, cols, 1, back), MAPI_E_BAD_VALUE, "row flag 2 rejected");
        mapi_rd_init(&rd, badvflag, sizeof(badvflag));
        is_int(mapi_proprow_decode(&rd, &A, 0, cols, 1, back), MAPI_E_BAD_VALUE, "value flag 7 rejected");
        mapi_rd_init(&rd, std, 6);
        is_int(mapi_proprow_decode(&rd, &A, 0, cols, 3, back), MAPI_E_TRUNCATED, "truncated row");
    }
}

static void test_arrays(void)
{
    static const uint8_t ta[] = {0x02, 0x00, 0x1F, 0x00, 0x37, 0x00, 0x03, 0x00, 0x08, 0x0E};
    static const uint8_t tap[] = {0x05, 0x00, 0x1F, 0x00, 0x37, 0x00};
    static const uint8_t pa[] = {0x01, 0x00, 0x02, 0x00, 0x1F, 0x00, 0x37, 0x00, 0x05, 0x00, 0x07, 0x80};
    mapi_tagarray_t t;
    mapi_problemarray_t p;
    mapi_rd_t rd;
    mapi_wr_t wr;

    mapi_rd_init(&rd, ta, sizeof(ta));
    is_int(mapi_tagarray_decode(&rd, &A, 0, &t), MAPI_OK, "PropertyTagArray decodes");
    ok(t.count == 2 && t.tags[1] == 0x0E080003, "tags");
    mapi_wr_init(&wr, 0);
    mapi_tagarray_encode(&wr, 0, &t);
    is_mem(wr.p, wr.len, ta, sizeof(ta), "PropertyTagArray re-encodes");
    mapi_wr_free(&wr);
    mapi_rd_init(&rd, tap, sizeof(tap));
    is_int(mapi_tagarray_decode(&rd, &A, 0, &t), MAPI_E_TRUNCATED, "tag count past the end");

    mapi_rd_init(&rd, pa, sizeof(pa));
    is_int(mapi_problemarray_decode(&rd, &A, &p), MAPI_OK, "PropertyProblemArray decodes");
    ok(p.count == 1 && p.probs[0].index == 2 && p.probs[0].tag == 0x0037001F &&
       p.probs[0].err == 0x80070005, "problem fields");
    mapi_wr_init(&wr, 0);
    mapi_problemarray_encode(&wr, &p);
    is_mem(wr.p, wr.len, pa, sizeof(pa), "PropertyProblemArray re-encodes");
    mapi_wr_free(&wr);
    mapi_rd_init(&rd, pa, 11);
    is_int(mapi_problemarray_decode(&rd, &A, &p), MAPI_E_TRUNCATED, "truncated problem array");
}

static void test_names(void)
{
    static const uint8_t lid[] = {0x00, 0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x46, 0x03, 0x85, 0x00, 0x00};
    static const uint8_t str[] = {0x01, 0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x46, 0x08, 'K', 0, 'e', 0, 'y', 0, 0, 0};
    static const uint8_t badkind[] = {0x05, 0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x46};
    mapi_propname_t pn;
    mapi_rd_t rd;
    mapi_wr_t wr;

    mapi_rd_init(&rd, lid, sizeof(lid));
    is_int(mapi_propname_decode(&rd, &A, &pn), MAPI_OK, "PropertyName LID decodes");
    ok(pn.kind == 0 && pn.lid == 0x8503 && pn.guid.b[0] == 0x08, "PSETID_Common/0x8503");
    mapi_wr_init(&wr, 0);
    mapi_propname_encode(&wr, &pn);
    is_mem(wr.p, wr.len, lid, sizeof(lid), "LID name re-encodes");
    mapi_wr_free(&wr);

    mapi_rd_init(&rd, str, sizeof(str));
    is_int(mapi_propname_decode(&rd, &A, &pn), MAPI_OK, "PropertyName string decodes");
    is_str(pn.name, "Key", "name without its NUL");
    mapi_wr_init(&wr, 0);
    mapi_propname_encode(&wr, &pn);
    is_mem(wr.p, wr.len, str, sizeof(str), "string name re-encodes, NameSize counts the NUL");
    mapi_wr_free(&wr);

    mapi_rd_init(&rd, str, sizeof(str) - 1);
    is_int(mapi_propname_decode(&rd, &A, &pn), MAPI_E_TRUNCATED, "NameSize past the end");
    {
        static const uint8_t none[] = {0xFF, 0x00};
        mapi_rd_init(&rd, none, sizeof(none));
        is_int(mapi_propname_decode(&rd, &A, &pn), MAPI_OK, "kind 0xFF decodes");
        is_int(rd.off, 1, "kind 0xFF is one byte ([MS-OXCPRPT] 3.2.5.9)");
        mapi_wr_init(&wr, 0);
        mapi_propname_encode(&wr, &pn);
        is_mem(wr.p, wr.len, none, 1, "kind 0xFF encodes to one byte");
        mapi_wr_free(&wr);
    }
    mapi_rd_init(&rd, badkind, sizeof(badkind));
    is_int(mapi_propname_decode(&rd, &A, &pn), MAPI_E_BAD_VALUE, "kind 5 rejected");
}

static void test_codepages(void)
{
    char *out = NULL;
    mapi_propval_t s8, u, mv, r;
    static char euro1252[] = "\x80uro \xe9t\xe9", utf[] = "\xe2\x82\xac \xc3\xa9 \xe4\xb8\xad";
    static char *list[] = {euro1252};

    is_int(mapi_string8_to_utf8(&A, 1252, euro1252, &out), MAPI_OK, "1252 -> UTF-8");
    is_str(out, "\xe2\x82\xacuro \xc3\xa9t\xc3\xa9", "0x80 is the euro sign, 0xE9 e-acute");
    is_int(mapi_utf8_to_string8(&A, 1252, utf, &out), MAPI_OK, "UTF-8 -> 1252");
    is_str(out, "\x80 \xe9 ?", "euro back to 0x80, CJK to '?'");
    is_int(mapi_utf8_to_string8(&A, 20127, utf, &out), MAPI_OK, "UTF-8 -> ASCII");
    is_str(out, "? ? ?", "non-ASCII to '?'");
    is_int(mapi_string8_to_utf8(&A, 20127, "a\xe9", &out), MAPI_OK, "ASCII -> UTF-8");
    is_str(out, "a\xef\xbf\xbd", "high byte is U+FFFD");
    is_int(mapi_string8_to_utf8(&A, 65001, utf, &out), MAPI_OK, "65001 passes UTF-8");
    is_str(out, utf, "UTF-8 unchanged");
    is_int(mapi_string8_to_utf8(&A, 932, "x", &out), MAPI_E_CODEPAGE, "code page 932 rejected");
    is_int(mapi_utf8_to_string8(&A, 0, "x", &out), MAPI_E_CODEPAGE, "code page 0 rejected");

    memset(&s8, 0, sizeof(s8));
    s8.tag = 0x0037001E; s8.v.str = euro1252;
    is_int(mapi_propval_convert(&A, 1252, &s8, MAPI_PT_UNICODE, &u), MAPI_OK, "String8 -> Unicode");
    is_int(u.tag, 0x0037001F, "converted tag");
    is_str(u.v.str, "\xe2\x82\xacuro \xc3\xa9t\xc3\xa9", "converted value");
    is_int(mapi_propval_convert(&A, 1252, &u, MAPI_PT_STRING8, &r), MAPI_OK, "Unicode -> String8");
    is_str(r.v.str, euro1252, "and back");
    is_int(mapi_propval_convert(&A, 1252, &s8, MAPI_PT_UNSPECIFIED, &r), MAPI_OK, "PT_UNSPECIFIED: as is");
    is_int(r.tag, 0x0037001E, "keeps String8");
    is_int(mapi_propval_convert(&A, 1252, &s8, MAPI_PT_LONG, &r), MAPI_E_TYPE_MISMATCH, "String8 -> LONG refused");
    is_int(mapi_propval_convert(&A, 932, &s8, MAPI_PT_UNICODE, &r), MAPI_E_CODEPAGE, "unknown code page in conversion");
    memset(&mv, 0, sizeof(mv));
    mv.tag = 0x8000101E; mv.v.mv.count = 1; mv.v.mv.v.str = list;
    is_int(mapi_propval_convert(&A, 1252, &mv, MAPI_PT_MV_UNICODE, &r), MAPI_OK, "MV String8 -> MV Unicode");
    ok(r.v.mv.count == 1 && strcmp(r.v.mv.v.str[0], "\xe2\x82\xacuro \xc3\xa9t\xc3\xa9") == 0, "MV value converted");
}

static void test_arena_copy(void)
{
    mapi_arena_t small;
    mapi_propval_t pv, cp;
    static char *strs[2];
    static char x[] = "x", y[] = "yy";
    mapi_rd_t rd;
    static const uint8_t mvl[] = {0x03, 0x10, 0x00, 0x80, 0x40, 0, 0, 0};
    uint8_t buf[8 + 256];
    const mapi_propval_t *f;

    strs[0] = x; strs[1] = y;
    memset(&pv, 0, sizeof(pv));
    pv.tag = 0x8000101F; pv.v.mv.count = 2; pv.v.mv.v.str = strs;
    is_int(mapi_propval_copy(&A, &cp, &pv), MAPI_OK, "deep copy");
    ok(cp.v.mv.v.str != strs && cp.v.mv.v.str[1] != y && strcmp(cp.v.mv.v.str[1], "yy") == 0,
       "copy owns its strings");
    f = mapi_propval_find(&cp, 1, 0x80000000);
    ok(f == &cp, "find by id with PT_UNSPECIFIED");
    ok(mapi_propval_find(&cp, 1, 0x80000003) == NULL, "find by exact tag misses other type");

    mapi_arena_init(&small, 128);
    memset(buf, 0, sizeof(buf));
    memcpy(buf, mvl, sizeof(mvl));
    mapi_rd_init(&rd, buf, sizeof(buf));
    is_int(mapi_propval_decode_tagged(&rd, &small, 0, &pv), MAPI_E_NOMEM, "arena limit -> NOMEM");
    mapi_arena_clear(&small);
    is_int(mapi_codec_status_to_ec(MAPI_E_CODEPAGE), 0x3EF, "codepage status -> ecUnknownCodePage");
    is_int(mapi_codec_status_to_ec(MAPI_E_TRUNCATED), 0x4B6, "truncated -> ecRpcFormat");
}

static void test_for_request(void)
{
    mapi_propval_t have, out;
    static char s8[] = "caf\xe9", big[600];
    static uint8_t bytes[600];
    char uni[700];
    size_t i;

    is_int(mapi_propval_for_request(&A, 1252, 1, 0x0037001F, NULL, 0, &out), MAPI_OK, "absent: ok");
    ok(out.tag == 0x0037000A && out.v.err == MAPI_EC_NOT_FOUND, "absent -> PT_ERROR ecNotFound with the id");
    memset(&have, 0, sizeof(have));
    have.tag = 0x0037001E;
    have.v.str = s8;
    mapi_propval_for_request(&A, 1252, 1, 0x00370000, &have, 0, &out);
    ok(out.tag == 0x0037001F && strcmp(out.v.str, "caf\xc3\xa9") == 0, "PT_UNSPECIFIED + WantUnicode: String8 -> Unicode");
    mapi_propval_for_request(&A, 1252, 0, 0x00370000, &have, 0, &out);
    ok(out.tag == 0x0037001E && strcmp(out.v.str, s8) == 0, "PT_UNSPECIFIED without WantUnicode: String8");
    mapi_propval_for_request(&A, 1252, 0, 0x0037001F, &have, 0, &out);
    ok(out.tag == 0x0037001F, "explicit Unicode request converts");
    mapi_propval_for_request(&A, 1252, 0, 0x00370003, &have, 0, &out);
    ok(out.tag == 0x0037000A && out.v.err == MAPI_EC_NOT_FOUND, "LONG request of a string -> ecNotFound");
    mapi_propval_for_request(&A, 1252, 1, 0x0037001F, &have, 4, &out);
    ok(out.tag == 0x0037000A && out.v.err == MAPI_EC_OUT_OF_MEMORY, "PropertySizeLimit exceeded -> NotEnoughMemory");
    have.tag = 0x0E080003;
    have.v.i32 = 9;
    mapi_propval_for_request(&A, 1252, 1, 0x0E080000, &have, 0, &out);
    ok(out.tag == 0x0E080003 && out.v.i32 == 9, "PT_UNSPECIFIED LONG stays LONG");
    have.tag = 0x0E08000A;
    have.v.err = 0x80040102;
    mapi_propval_for_request(&A, 1252, 1, 0x0E080003, &have, 0, &out);
    ok(out.tag == 0x0E08000A && out.v.err == 0x80040102, "a stored error is passed on");
    is_int(mapi_propval_for_request(&A, 932, 1, 0x00370000, &(mapi_propval_t){.tag = 0x0037001E, .v.str = s8}, 0, &out),
           MAPI_E_CODEPAGE, "unsupported code page reported");

    memset(big, 'x', sizeof(big) - 1);
    have.tag = 0x1000001E;
    have.v.str = big;
    mapi_propval_truncate_for_table(&A, &have, &out);
    is_int(strlen(out.v.str), 510, "String8 cut to 510 bytes in tables");
    have.tag = 0x10000102;
    have.v.bin.len = sizeof(bytes);
    have.v.bin.data = bytes;
    mapi_propval_truncate_for_table(&A, &have, &out);
    is_int(out.v.bin.len, 510, "binary cut to 510 bytes");
    for (i = 0; i < 300; i++) {
        uni[2 * i] = (char)0xC3;
        uni[2 * i + 1] = (char)0xA9;
    }
    uni[600] = 0;
    have.tag = 0x1000001F;
    have.v.str = uni;
    mapi_propval_truncate_for_table(&A, &have, &out);
    ok(strlen(out.v.str) == 510 && mapi_propval_size(&out) == 512, "Unicode cut to 255 characters (510 bytes + NUL)");
    have.v.str = (char *)"short";
    mapi_propval_truncate_for_table(&A, &have, &out);
    ok(out.v.str == have.v.str, "short values untouched");
}

int main(void)
{
    mapi_arena_init(&A, 0);
    test_scalars();
    test_mv();
    test_bad_values();
    test_rule_actions();
    test_typed();
    test_rows();
    test_arrays();
    test_names();
    test_codepages();
    test_arena_copy();
    test_for_request();
    mapi_arena_clear(&A);
    return done_testing();
}
