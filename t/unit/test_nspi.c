/*
 * Unit tests for the NSPI codec (mapicodec/mapi_nspi.h): byte-exact
 * layouts checked against hand-assembled bodies ([MS-OXCMAPIHTTP] 2.2.5),
 * encode/decode/encode round trips for every request and response type,
 * and negative tests for every decoder (each truncation, trailing bytes,
 * counts and lengths past the end, bad values).
 *
 * With --write-corpus DIR it writes the sample bodies as fuzz seeds
 * (DIR/req_<Type>, DIR/rsp_<Type>; first byte = type, second = direction).
 */
#include "tap.h"
#include "mapi_nspi.h"
#include "test_nspi_samples.h"

#include <stdio.h>

static uint8_t *enc_req(const nspi_request_t *r, size_t *len)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    if (nspi_request_encode(r, &wr) != NSPI_OK) {
        mapi_wr_free(&wr);
        return NULL;
    }
    return mapi_wr_steal(&wr, len);
}

static uint8_t *enc_rsp(const nspi_response_t *r, size_t *len)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    if (nspi_response_encode(r, &wr) != NSPI_OK) {
        mapi_wr_free(&wr);
        return NULL;
    }
    return mapi_wr_steal(&wr, len);
}

/* ---- byte-exact layouts ------------------------------------------------ */
#define STAT_BYTES 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x34, 0x12, 0x00, 0x00, \
    0xFD, 0xFF, 0xFF, 0xFF, 0x05, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00,                \
    0xE4, 0x04, 0x00, 0x00, 0x09, 0x04, 0x00, 0x00, 0x09, 0x04, 0x00, 0x00
#define AUX_BYTES 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00, \
    0x04, 0x00, 0x01, 0x0A

static void test_exact_requests(void)
{
    static const uint8_t bind[] = {0, 0, 0, 0, 0xFF, STAT_BYTES, AUX_BYTES};
    static const uint8_t unbind[] = {0, 0, 0, 0, AUX_BYTES};
    static const uint8_t comparemids[] = {0, 0, 0, 0, 0xFF, STAT_BYTES, 0x11, 0, 0, 0,
                                          0x22, 0, 0, 0, AUX_BYTES};
    static const uint8_t queryrows[] = {
        0, 0, 0, 0, 0xFF, STAT_BYTES,
        3, 0, 0, 0, 0x11, 0, 0, 0, 0x22, 0, 0, 0, 0x33, 0, 0, 0,     /* ExplicitTable */
        50, 0, 0, 0, 0xFF, 4, 0, 0, 0,                               /* RowCount, Columns */
        0x1F, 0x00, 0x01, 0x30, 0x1E, 0x00, 0xFE, 0x39, 0x02, 0x01, 0xFF, 0x0F,
        0x00, 0x00, 0x00, 0x80, AUX_BYTES};
    static const uint8_t geturl[] = {0, 0, 0, 0, 'a', 0, 'l', 0, 'i', 0, 'c', 0, 'e', 0, 0, 0,
                                     AUX_BYTES};
    static const uint8_t updatestat[] = {0, 0, 0, 0, 0xFF, STAT_BYTES, 0xFF, AUX_BYTES};
    static const uint8_t dntomid[] = {0, 0, 0, 0, 0xFF, 1, 0, 0, 0, '/', 'o', '=', 'X', 0,
                                      0, 0, 0, 0};
    nspi_request_t r;
    nspi_arena_t a;
    size_t n = 0;
    uint8_t *b;

    smp_request(NSPI_BIND, &r);
    b = enc_req(&r, &n);
    is_mem(b, n, bind, sizeof(bind), "Bind request: Flags, HasState, STAT, aux");
    free(b);
    smp_request(NSPI_UNBIND, &r);
    b = enc_req(&r, &n);
    is_mem(b, n, unbind, sizeof(unbind), "Unbind request: Reserved, aux");
    free(b);
    smp_request(NSPI_COMPAREMIDS, &r);
    b = enc_req(&r, &n);
    is_mem(b, n, comparemids, sizeof(comparemids), "CompareMIds request layout");
    free(b);
    smp_request(NSPI_QUERYROWS, &r);
    b = enc_req(&r, &n);
    is_mem(b, n, queryrows, sizeof(queryrows), "QueryRows request layout");
    free(b);
    smp_request(NSPI_GETADDRESSBOOKURL, &r);
    b = enc_req(&r, &n);
    is_mem(b, n, geturl, sizeof(geturl), "GetAddressBookUrl request: Flags, UserDn UTF-16");
    free(b);
    smp_request(NSPI_UPDATESTAT, &r);
    b = enc_req(&r, &n);
    is_mem(b, n, updatestat, sizeof(updatestat), "UpdateStat request: DeltaRequested byte");
    free(b);

    smp_request(NSPI_GETMATCHES, &r);
    b = enc_req(&r, &n);
    nspi_arena_init(&a, 0);
    is_int(b ? nspi_request_decode(NSPI_GETMATCHES, b, n, &r, &a) : -99, NSPI_OK,
           "GetMatches request with a filter decodes");
    ok(r.u.getmatches.filter_tree && r.u.getmatches.filter_tree->type == MAPI_RES_AND &&
       r.u.getmatches.filter_tree->u.andor.count == 2 &&
       r.u.getmatches.filter_tree->u.andor.subs[1].u.prop.relop == MAPI_RELOP_EQ,
       "filter decoded to a tree: AND of Exist and Property EQ");
    is_mem(r.u.getmatches.filter.p, r.u.getmatches.filter.len, smp_filter, sizeof(smp_filter),
           "filter bytes kept as received");
    r.u.getmatches.filter.p = NULL;
    r.u.getmatches.filter.len = 0;
    {
        size_t n2 = 0;
        uint8_t *b2 = enc_req(&r, &n2);
        is_mem(b2, n2, b, n, "GetMatches encodes from the tree alone, same bytes");
        free(b2);
    }
    free(b);
    nspi_arena_free(&a);

    nspi_arena_init(&a, 0);
    is_int(nspi_request_decode(NSPI_DNTOMID, dntomid, sizeof(dntomid), &r, &a), NSPI_OK,
           "DNToMId request decodes");
    ok(r.u.dntomid.has_names && r.u.dntomid.names.count == 1 &&
       r.u.dntomid.names.s[0].len == 4 && memcmp(r.u.dntomid.names.s[0].p, "/o=X", 4) == 0,
       "DNToMId: one ASCII DN, pointing into the buffer");
    ok(r.u.dntomid.names.s[0].p == dntomid + 9, "string is not copied");
    is_int(r.aux.len, 0, "empty aux");
    nspi_arena_free(&a);
}

static void test_exact_responses(void)
{
    static const uint8_t getprops[] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0xE4, 0x04, 0, 0, 0xFF, 1, 0, 0, 0,
        0x1F, 0x00, 0x01, 0x30, 0xFF, 'a', 0, 'l', 0, 'i', 0, 'c', 0, 'e', 0, 0, 0,
        0, 0, 0, 0};
    static const uint8_t queryrows[] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xFF,           /* no State, HasColsAndRows */
        2, 0, 0, 0, 0x00, 0x00, 0x00, 0x80, 0x1E, 0x00, 0x01, 0x30,
        1, 0, 0, 0,                                   /* RowCount */
        0x01,                                         /* flagged row */
        0x03, 0x00, 0x00, 0x2A, 0, 0, 0,              /* WithType: LONG, flag 0, 42 */
        0x01,                                         /* String8 column: missing */
        0, 0, 0, 0};
    static const uint8_t failure[] = {0x05, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t unbind[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    uint32_t cols[2] = {0x80000000u, 0x3001001E};
    nspi_rowval_t vals[2];
    nspi_row_t row;
    nspi_tagged_t prop;
    nspi_response_t r;
    nspi_arena_t a;
    mapi_wr_t wr;
    size_t n = 0;
    uint8_t *b;

    memset(&r, 0, sizeof(r));
    r.type = NSPI_GETPROPS;
    r.u.getprops.code_page = 1252;
    r.u.getprops.has_values = 1;
    r.u.getprops.values.count = 1;
    r.u.getprops.values.v = &prop;
    prop = smp_props[0];
    b = enc_rsp(&r, &n);
    is_mem(b, n, getprops, sizeof(getprops), "GetProps response: CodePage, HasValue before string");
    free(b);

    memset(&r, 0, sizeof(r));
    memset(vals, 0, sizeof(vals));
    r.type = NSPI_QUERYROWS;
    r.u.rows.has_cols_and_rows = 1;
    r.u.rows.rows.columns.count = 2;
    r.u.rows.rows.columns.v = cols;
    r.u.rows.rows.row_count = 1;
    r.u.rows.rows.rows = &row;
    row.vals = vals;
    vals[0].v.type = NSPI_PT_LONG;
    vals[0].v.u.i32 = 42;
    vals[1].flag = NSPI_FLAG_MISSING;
    vals[1].v.type = NSPI_PT_STRING8;
    nspi_row_set_flags(&row, 2);
    is_int(row.flags, 1, "a missing value makes the row flagged");
    b = enc_rsp(&r, &n);
    is_mem(b, n, queryrows, sizeof(queryrows), "QueryRows response: flagged row, WithType column");
    free(b);

    nspi_arena_init(&a, 0);
    is_int(nspi_response_decode(NSPI_QUERYROWS, queryrows, sizeof(queryrows), &r, &a), NSPI_OK,
           "QueryRows response decodes");
    ok(r.u.rows.rows.rows[0].vals[0].v.type == NSPI_PT_LONG &&
       r.u.rows.rows.rows[0].vals[0].v.u.i32 == 42 &&
       r.u.rows.rows.rows[0].vals[1].flag == NSPI_FLAG_MISSING, "decoded row values");
    nspi_arena_free(&a);

    mapi_wr_init(&wr, 0);
    is_int(nspi_failure_encode(5, NULL, &wr), NSPI_OK, "failure body encodes");
    is_mem(wr.p, wr.len, failure, sizeof(failure), "failure: StatusCode, empty aux");
    is_int(nspi_failure_encode(0, NULL, &wr), NSPI_E_ENCODE, "failure needs StatusCode != 0");
    mapi_wr_free(&wr);

    smp_response(NSPI_UNBIND, &r);
    r.aux.len = 0;
    b = enc_rsp(&r, &n);
    is_mem(b, n, unbind, sizeof(unbind), "Unbind response: StatusCode, ErrorCode=UnbindSuccess");
    free(b);

    nspi_arena_init(&a, 0);
    is_int(nspi_response_decode(NSPI_QUERYROWS, failure, sizeof(failure), &r, &a), NSPI_OK,
           "failure body decodes for any type");
    is_int(r.status_code, 5, "failure StatusCode");
    nspi_arena_free(&a);

    smp_response(NSPI_BIND, &r);
    r.error_code = 0x80040111u + 1;
    b = enc_rsp(&r, &n);
    ok(b == NULL, "encoder refuses an ErrorCode NSPI may not return");
    free(b);
}

/* ---- round trips and negatives for every type ------------------------- */
static int trunc_all_fail(int req, nspi_req_type_t t, const uint8_t *b, size_t n)
{
    size_t cut;
    nspi_arena_t a;
    nspi_request_t q;
    nspi_response_t s;
    int bad = 0, rc;
    for (cut = 0; cut < n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);   /* exact size: ASan sees overreads */
        memcpy(copy, b, cut);
        nspi_arena_init(&a, 0);
        rc = req ? nspi_request_decode(t, copy, cut, &q, &a)
                 : nspi_response_decode(t, copy, cut, &s, &a);
        if (rc == NSPI_OK)
            bad++;
        nspi_arena_free(&a);
        free(copy);
    }
    return bad;
}

static void check_request_type(nspi_req_type_t t)
{
    const char *nm = nspi_req_type_name(t);
    nspi_request_t r, d;
    nspi_arena_t a;
    uint8_t *b, *b2, *longer;
    size_t n = 0, n2 = 0;

    smp_request(t, &r);
    b = enc_req(&r, &n);
    ok(b != NULL, "%s request encodes (%zu bytes)", nm, n);
    if (!b)
        return;
    nspi_arena_init(&a, 0);
    is_int(nspi_request_decode(t, b, n, &d, &a), NSPI_OK, "%s request decodes", nm);
    b2 = enc_req(&d, &n2);
    is_mem(b2, n2, b, n, "%s request: decode then encode gives the same bytes", nm);
    ok(d.aux.len == sizeof(smp_aux) && d.aux.p == b + n - sizeof(smp_aux),
       "%s request: aux points into the body", nm);
    free(b2);
    nspi_arena_free(&a);

    is_int(trunc_all_fail(1, t, b, n), 0, "%s request: every truncation is refused", nm);
    longer = malloc(n + 1);
    memcpy(longer, b, n);
    longer[n] = 0;
    nspi_arena_init(&a, 0);
    is_int(nspi_request_decode(t, longer, n + 1, &d, &a), NSPI_E_TRAILING,
           "%s request: trailing byte refused", nm);
    nspi_arena_free(&a);
    /* aux size one larger than what follows */
    mapi_put_le32(longer + n - sizeof(smp_aux) - 4, sizeof(smp_aux) + 1);
    nspi_arena_init(&a, 0);
    is_int(nspi_request_decode(t, longer, n, &d, &a), NSPI_E_TRUNCATED,
           "%s request: aux length past the end refused", nm);
    nspi_arena_free(&a);
    free(longer);
    free(b);
}

static void check_response_type(nspi_req_type_t t)
{
    const char *nm = nspi_req_type_name(t);
    nspi_response_t r, d;
    nspi_arena_t a;
    uint8_t *b, *b2;
    size_t n = 0, n2 = 0;

    smp_response(t, &r);
    b = enc_rsp(&r, &n);
    ok(b != NULL, "%s response encodes (%zu bytes)", nm, n);
    if (!b)
        return;
    nspi_arena_init(&a, 0);
    is_int(nspi_response_decode(t, b, n, &d, &a), NSPI_OK, "%s response decodes", nm);
    ok(d.status_code == 0 && d.error_code == r.error_code, "%s response: status and error", nm);
    b2 = enc_rsp(&d, &n2);
    is_mem(b2, n2, b, n, "%s response: decode then encode gives the same bytes", nm);
    free(b2);
    nspi_arena_free(&a);
    is_int(trunc_all_fail(0, t, b, n), 0, "%s response: every truncation is refused", nm);
    free(b);
}

static void test_all_types(void)
{
    int t;
    for (t = 0; t < NSPI_REQ_COUNT; t++) {
        check_request_type((nspi_req_type_t)t);
        check_response_type((nspi_req_type_t)t);
    }
}

/* ---- targeted negatives -------------------------------------------------- */
static int dec_req(nspi_req_type_t t, const uint8_t *b, size_t n)
{
    nspi_arena_t a;
    nspi_request_t r;
    int rc;
    nspi_arena_init(&a, 0);
    rc = nspi_request_decode(t, b, n, &r, &a);
    nspi_arena_free(&a);
    return rc;
}

static int dec_rsp(nspi_req_type_t t, const uint8_t *b, size_t n)
{
    nspi_arena_t a;
    nspi_response_t r;
    int rc;
    nspi_arena_init(&a, 0);
    rc = nspi_response_decode(t, b, n, &r, &a);
    nspi_arena_free(&a);
    return rc;
}

static void test_bad_values(void)
{
    /* QueryRows: ExplicitTableCount 0x40000000 with 8 bytes left */
    static const uint8_t huge_mids[] = {0, 0, 0, 0, 0, 0, 0, 0, 0x40, 1, 0, 0, 0, 0, 0, 0, 0};
    /* ResolveNames: 0x10000000 names */
    static const uint8_t huge_names[] = {0, 0, 0, 0, 0, 0, 0xFF, 0, 0, 0, 0x10, 'a', 0, 0, 0};
    /* GetProps response: unsupported property type 0x0099 */
    static const uint8_t bad_type[] = {0, 0, 0, 0, 0, 0, 0, 0, 0xE4, 4, 0, 0, 0xFF, 1, 0, 0, 0,
                                       0x99, 0x00, 0x01, 0x30, 0, 0, 0, 0};
    /* QueryRows response: row Flags 2 */
    static const uint8_t bad_rowflags[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 1, 0, 0, 0,
                                           3, 0, 0, 0x30, 1, 0, 0, 0, 0x02, 1, 0, 0, 0,
                                           0, 0, 0, 0};
    /* QueryRows response: flagged value with flag 0x05 */
    static const uint8_t bad_flag[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 1, 0, 0, 0,
                                       3, 0, 0, 0x30, 1, 0, 0, 0, 0x01, 0x05, 0, 0, 0, 0};
    /* QueryRows response: RowCount 0xFFFFFFFF, nothing follows */
    static const uint8_t huge_rows[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0, 0, 0, 0,
                                        0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0};
    /* GetMailboxUrl: ServerDn without terminator */
    static const uint8_t no_nul[] = {0, 0, 0, 0, 'a', 0, 'b', 0, 'c'};
    /* GetMatches with an unknown restriction type 0x42 */
    static const uint8_t bad_res[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0x42,
                                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /* ModLinkAtt: EntryId size past the end */
    static const uint8_t bad_eid[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 1, 0, 0, 0,
                                      0x20, 0, 0, 0, 0x87, 0, 0, 0, 0, 0, 0};
    /* MV binary in GetProps response with a HasValue element whose size
     * runs past the end */
    static const uint8_t bad_mvbin[] = {0, 0, 0, 0, 0, 0, 0, 0, 0xE4, 4, 0, 0, 0xFF, 1, 0, 0, 0,
                                        0x02, 0x11, 0x01, 0x30, 0xFF, 1, 0, 0, 0, 0xFF,
                                        0x10, 0, 0, 0, 1, 2, 0, 0, 0, 0};

    is_int(dec_req(NSPI_QUERYROWS, huge_mids, sizeof(huge_mids)), NSPI_E_TRUNCATED,
           "MId count that cannot fit is refused before allocating");
    is_int(dec_req(NSPI_RESOLVENAMES, huge_names, sizeof(huge_names)), NSPI_E_TRUNCATED,
           "name count that cannot fit is refused");
    is_int(dec_rsp(NSPI_GETPROPS, bad_type, sizeof(bad_type)), NSPI_E_FORMAT,
           "unknown property type refused");
    is_int(dec_rsp(NSPI_QUERYROWS, bad_rowflags, sizeof(bad_rowflags)), NSPI_E_FORMAT,
           "row Flags other than 0/1 refused");
    is_int(dec_rsp(NSPI_QUERYROWS, bad_flag, sizeof(bad_flag)), NSPI_E_FORMAT,
           "flagged value with flag 5 refused");
    is_int(dec_rsp(NSPI_QUERYROWS, huge_rows, sizeof(huge_rows)), NSPI_E_TRUNCATED,
           "row count that cannot fit refused");
    is_int(dec_req(NSPI_GETMAILBOXURL, no_nul, sizeof(no_nul)), NSPI_E_TRUNCATED,
           "unterminated Unicode DN refused");
    is_int(dec_req(NSPI_GETMATCHES, bad_res, sizeof(bad_res)), NSPI_E_FORMAT,
           "unknown restriction type refused");
    is_int(dec_req(NSPI_MODLINKATT, bad_eid, sizeof(bad_eid)), NSPI_E_TRUNCATED,
           "EntryId size past the end refused");
    is_int(dec_rsp(NSPI_GETPROPS, bad_mvbin, sizeof(bad_mvbin)), NSPI_E_TRUNCATED,
           "multi-valued binary element past the end refused");
    is_int(dec_req((nspi_req_type_t)NSPI_REQ_COUNT, huge_mids, sizeof(huge_mids)), NSPI_E_FORMAT,
           "unknown request type refused");

    /* GetMatches whose filter nests 400 Nots: TooComplex, no stack exhaustion */
    {
        uint8_t deep[11 + 400 + 1 + 4 + 1 + 4 + 1 + 4]; /* ..., Exist tag, HasPropertyName, RowCount, HasColumns, aux */
        size_t k = 0, j;
        memset(deep, 0, sizeof(deep));
        k = 10;                          /* Reserved, HasState, HasMids, flags */
        deep[k++] = 0xFF;                /* HasFilter */
        for (j = 0; j < 400; j++)
            deep[k++] = 0x02;            /* Not */
        deep[k++] = 0x08;                /* Exist */
        is_int(dec_req(NSPI_GETMATCHES, deep, sizeof(deep)), NSPI_E_TOO_COMPLEX,
               "deeply nested restriction refused as too complex");
    }
}

static void test_encode_refusals(void)
{
    nspi_request_t r;
    nspi_response_t s;
    mapi_wr_t wr;
    static const uint8_t nul_in[] = {'a', 0, 'b'};
    static const uint8_t half_filter[] = {0x00, 0x02, 0x00, 0x00, 0x00, 0x08};

    mapi_wr_init(&wr, 0);
    smp_request(NSPI_DNTOMID, &r);
    r.u.dntomid.names.s[0].p = nul_in;
    r.u.dntomid.names.s[0].len = 3;
    is_int(nspi_request_encode(&r, &wr), NSPI_E_ENCODE, "8-bit string with a NUL inside refused");
    is_int(wr.len, 0, "nothing written on failure");
    smp_init_values();

    smp_request(NSPI_GETMATCHES, &r);
    r.u.getmatches.filter.p = half_filter;
    r.u.getmatches.filter.len = sizeof(half_filter);
    is_int(nspi_request_encode(&r, &wr), NSPI_E_ENCODE, "incomplete restriction refused");

    smp_request(NSPI_GETADDRESSBOOKURL, &r);
    r.u.geturl.dn.len = 3;
    is_int(nspi_request_encode(&r, &wr), NSPI_E_ENCODE, "odd-length UTF-16 refused");

    smp_response(NSPI_QUERYROWS, &s);
    s.u.rows.rows.rows[1].flags = 0;   /* a missing value in an unflagged row */
    is_int(nspi_response_encode(&s, &wr), NSPI_E_ENCODE, "missing value in a plain row refused");
    smp_init_values();

    smp_response(NSPI_GETPROPS, &s);
    s.u.getprops.values.v[1].v.type = NSPI_PT_SHORT;   /* tag says LONG */
    is_int(nspi_response_encode(&s, &wr), NSPI_E_ENCODE, "value type differing from tag refused");
    smp_init_values();
    mapi_wr_free(&wr);

    mapi_wr_init(&wr, 16);
    smp_request(NSPI_QUERYROWS, &r);
    is_int(nspi_request_encode(&r, &wr), NSPI_E_NOMEM, "writer limit reported");
    mapi_wr_free(&wr);
}

/* ---- names, errors, code pages ---------------------------------------- */
static void test_names_and_codes(void)
{
    uint8_t st[NSPI_STAT_SIZE];
    nspi_stat_t s = smp_stat(), s2;
    is_int(nspi_req_type_from_name("QueryRows"), NSPI_QUERYROWS, "QueryRows name");
    is_int(nspi_req_type_from_name("dntomid"), NSPI_DNTOMID, "names compare case-insensitively");
    is_int(nspi_req_type_from_name("Execute"), -1, "EMSMDB name is not NSPI");
    is_str(nspi_req_type_name(NSPI_GETADDRESSBOOKURL), "GetAddressBookUrl", "type name");
    ok(nspi_error_permitted(NSPI_INVALID_CODEPAGE) && nspi_error_permitted(NSPI_UNBIND_SUCCESS),
       "InvalidCodepage and UnbindSuccess permitted");
    ok(!nspi_error_permitted(0x000003EFu), "ecUnknownCodePage is not an NSPI code");
    nspi_stat_put(st, &s);
    nspi_stat_get(&s2, st);
    ok(memcmp(&s, &s2, sizeof(s)) == 0 && st[12] == 0xFD, "STAT put/get, Delta signed");
}

static void test_codepages(void)
{
    nspi_bind_req_t b;
    nspi_arena_t a;
    nspi_bytes_t out;
    char *u;
    static const uint8_t cp1252[] = {'c', 'a', 'f', 0xE9, ' ', 0x80};

    memset(&b, 0, sizeof(b));
    is_int(nspi_bind_check_codepage(&b), NSPI_SUCCESS, "Bind without STAT accepted");
    b.has_state = 1;
    b.state.code_page = 1252;
    is_int(nspi_bind_check_codepage(&b), NSPI_SUCCESS, "code page 1252 accepted");
    b.state.code_page = 932;
    is_int(nspi_bind_check_codepage(&b), NSPI_INVALID_CODEPAGE, "code page 932 refused");
    b.state.code_page = NSPI_CP_WINUNICODE;
    is_int(nspi_bind_check_codepage(&b), NSPI_NOT_SUPPORTED, "CP_WINUNICODE refused in Bind");

    u = nspi_str8_to_utf8(1252, cp1252, sizeof(cp1252));
    is_str(u, "caf\xc3\xa9 \xe2\x82\xac", "1252 -> UTF-8 (e-acute, euro)");
    free(u);
    u = nspi_str8_to_utf8(20127, cp1252, sizeof(cp1252));
    is_str(u, "caf\xef\xbf\xbd \xef\xbf\xbd", "US-ASCII: high bytes become U+FFFD");
    free(u);
    ok(nspi_str8_to_utf8(932, cp1252, 3) == NULL, "unsupported code page: no conversion");
    ok(!nspi_codepage_supported(28591) && nspi_codepage_supported(65001),
       "NSPI code pages are the property codec's");

    nspi_arena_init(&a, 0);
    is_int(nspi_utf8_to_str8(1252, "caf\xc3\xa9 \xe2\x82\xac \xe4\xb8\xad", &a, &out), NSPI_OK,
           "UTF-8 -> 1252");
    is_mem(out.p, out.len, "caf\xe9 \x80 ?", 8, "1252 bytes, unmappable CJK becomes '?'");
    is_int(nspi_utf8_to_str8(65001, "a\xff" "b", &a, &out), NSPI_OK, "UTF-8 -> UTF-8");
    is_mem(out.p, out.len, "a\xef\xbf\xbd" "b", 5, "invalid UTF-8 byte becomes U+FFFD");
    is_int(nspi_utf8_to_utf16("h\xc3\xa9", &a, &out), NSPI_OK, "UTF-8 -> UTF-16");
    is_mem(out.p, out.len, "h\0\xe9\0", 4, "UTF-16LE without terminator");
    u = nspi_utf16_to_utf8(&out);
    is_str(u, "h\xc3\xa9", "and back");
    free(u);
    nspi_arena_free(&a);

    nspi_arena_init(&a, 8);
    ok(nspi_arena_alloc(&a, 9) == NULL, "arena limit enforced");
    nspi_arena_free(&a);
}

static void test_convert(void)
{
    nspi_arena_t a;
    mapi_propval_t m, back;
    nspi_propval_t w;
    char *names[2] = {"Zo\xc3\xab", "x"};
    int32_t longs[2] = {-1, 5};
    uint8_t bin[3] = {1, 2, 3};

    nspi_arena_init(&a, 0);
    memset(&m, 0, sizeof(m));
    m.tag = 0x3001001F;
    m.v.str = "Zo\xc3\xab";
    is_int(nspi_propval_from_mapi(&a, 1252, &m, NSPI_PT_UNICODE, &w), NSPI_OK, "Unicode from store");
    is_mem(w.u.bytes.p, w.u.bytes.len, "Z\0o\0\xeb\0", 6, "UTF-8 became UTF-16LE");
    is_int(nspi_propval_to_mapi(&a, 0x3001, &w, &back), NSPI_OK, "and back");
    is_str(back.v.str, "Zo\xc3\xab", "same UTF-8");
    is_int(back.tag, 0x3001001F, "tag rebuilt");

    is_int(nspi_propval_from_mapi(&a, 1252, &m, NSPI_PT_STRING8, &w), NSPI_OK,
           "String8 column from a Unicode value");
    is_mem(w.u.bytes.p, w.u.bytes.len, "Zo\xeb", 3, "converted to code page 1252");

    m.tag = 0x800F101F;
    m.v.mv.count = 2;
    m.v.mv.v.str = names;
    is_int(nspi_propval_from_mapi(&a, 1252, &m, NSPI_PT_UNSPECIFIED, &w), NSPI_OK, "MV Unicode");
    ok(w.u.mv.count == 2 && w.u.mv.u.e[1].present && w.u.mv.u.e[1].b.len == 2, "MV elements");
    is_int(nspi_propval_to_mapi(&a, 0x800F, &w, &back), NSPI_OK, "MV back");
    is_str(back.v.mv.v.str[0], "Zo\xc3\xab", "MV element 0 back");

    m.tag = 0x80001003;
    m.v.mv.count = 2;
    m.v.mv.v.i32 = longs;
    is_int(nspi_propval_from_mapi(&a, 1252, &m, NSPI_PT_UNSPECIFIED, &w), NSPI_OK, "MV long");
    ok(w.u.mv.u.i32[0] == 0xFFFFFFFFu && w.u.mv.u.i32[1] == 5, "MV long values");

    m.tag = 0x0FFF0102;
    m.v.bin.len = 3;
    m.v.bin.data = bin;
    is_int(nspi_propval_from_mapi(&a, 1252, &m, NSPI_PT_BINARY, &w), NSPI_OK, "binary");
    w.present = 0;
    is_int(nspi_propval_to_mapi(&a, 0x0FFF, &w, &back), NSPI_OK, "absent binary");
    is_int(back.v.bin.len, 0, "absent becomes empty");
    is_int(nspi_propval_from_mapi(&a, 1252, &m, NSPI_PT_LONG, &w), NSPI_E_ENCODE,
           "binary value for a LONG column refused");
    nspi_arena_free(&a);
}

static int write_corpus(const char *dir)
{
    char path[512];
    int t, dirn;
    for (t = 0; t < NSPI_REQ_COUNT; t++) {
        for (dirn = 0; dirn < 2; dirn++) {
            nspi_request_t q;
            nspi_response_t s;
            size_t n = 0;
            uint8_t *b;
            FILE *f;
            if (dirn == 0) {
                smp_request((nspi_req_type_t)t, &q);
                b = enc_req(&q, &n);
            } else {
                smp_response((nspi_req_type_t)t, &s);
                b = enc_rsp(&s, &n);
            }
            snprintf(path, sizeof(path), "%s/%s_%s", dir, dirn ? "rsp" : "req",
                     nspi_req_type_name((nspi_req_type_t)t));
            f = fopen(path, "wb");
            if (!f || !b)
                return 1;
            fputc(t, f);
            fputc(dirn, f);
            fwrite(b, 1, n, f);
            fclose(f);
            free(b);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    smp_init_values();
    if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
        return write_corpus(argv[2]);
    test_exact_requests();
    test_exact_responses();
    test_all_types();
    test_bad_values();
    test_encode_refusals();
    test_names_and_codes();
    test_codepages();
    test_convert();
    return done_testing();
}
