/* Unit tests for the ROP codecs (mapicodec/rop_codec*.c): byte-exact
 * requests/responses from the spec examples ([MS-OXCFOLD] 4, [MS-OXCTABL] 4,
 * [MS-OXCPRPT] 4, [MS-OXORULE] 4, [MS-OXCROPS] 4.4), a symmetric round trip
 * and truncation sweep over every ROP the codec knows, and bad input. */
#include "tap.h"
#include "mapi_rop.h"
#include "mapi_status.h"

#include <sys/stat.h>

static mapi_arena_t A;

/* --write-corpus DIR: every request/response tested here becomes a seed in
 * DIR/rop/ and DIR/rop_resp/ for the fuzz targets. */
static const char *corpus_dir;
static int corpus_n;

static void seed(const char *sub, uint8_t b0, uint8_t b1, int with_prefix, const uint8_t *p, size_t n)
{
    char path[512];
    FILE *f;
    if (!corpus_dir)
        return;
    snprintf(path, sizeof(path), "%s/%s", corpus_dir, sub);
    mkdir(path, 0777);
    snprintf(path, sizeof(path), "%s/%s/seed-%03d", corpus_dir, sub, corpus_n++);
    if (!(f = fopen(path, "wb")))
        return;
    if (with_prefix) {
        fputc(b0, f);
        fputc(b1, f);
    }
    fwrite(p, 1, n, f);
    fclose(f);
}

/* Decode `b` as one request; it must consume everything; re-encode must give
 * the same bytes; every truncation must fail. Returns the decoded request. */
static mapi_rop_req_t check_req(const uint8_t *b, size_t n, const mapi_rop_ctx_t *ctx, const char *name)
{
    mapi_rop_req_t req;
    mapi_rd_t rd;
    mapi_wr_t wr;
    size_t cut;
    int st, all_fail = 1;
    seed("rop", 0, 0, 0, b, n);
    mapi_rd_init(&rd, b, n);
    st = mapi_rop_decode_next(&rd, &A, ctx, &req);
    is_int(st, MAPI_OK, "%s: request decodes", name);
    is_int(rd.off, n, "%s: request consumes %zu bytes", name, n);
    mapi_wr_init(&wr, 0);
    is_int(mapi_rop_encode_req(&wr, ctx, &req), MAPI_OK, "%s: request re-encodes", name);
    is_mem(wr.p, wr.len, b, n, "%s: request bytes round trip", name);
    mapi_wr_free(&wr);
    for (cut = 0; cut < n; cut++) {
        mapi_rop_req_t t;
        mapi_rd_init(&rd, b, cut);
        if (mapi_rop_decode_next(&rd, &A, ctx, &t) == MAPI_OK)
            all_fail = 0;
    }
    ok(all_fail, "%s: every truncated request is an error", name);
    return req;
}

static void check_resp_bytes(const mapi_rop_resp_t *resp, const uint8_t *b, size_t n, const char *name)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    is_int(mapi_rop_encode_resp(&wr, NULL, resp), MAPI_OK, "%s: response encodes", name);
    seed("rop_resp", resp->rop_id, 0, 1, wr.p, wr.len);
    is_mem(wr.p, wr.len, b, n, "%s: response bytes", name);
    mapi_wr_free(&wr);
}

static void test_spec_examples(void)
{
    /* [MS-OXCFOLD] 4.3.1 / 4.3.2 RopDeleteMessages */
    static const uint8_t delmsg[] = {0x1E, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0E, 0x8E,
                                     0xF1, 0x48, 0x01, 0x00, 0x00, 0x00, 0x0E, 0x8E, 0xC3, 0x02};
    static const uint8_t delmsg_resp[] = {0x1E, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    /* [MS-OXCFOLD] 4.2.1 RopDeleteFolder */
    static const uint8_t delfld[] = {0x1D, 0x00, 0x01, 0x05, 0x01, 0x00, 0x00, 0x00, 0x0E, 0x8E, 0xDF, 0x36};
    /* [MS-OXCFOLD] 4.1.1 / 4.1.2 RopCreateFolder */
    static const uint8_t crfld[] = {0x1C, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x00, 0x46, 0x00, 0x6F, 0x00, 0x6C,
                                    0x00, 0x64, 0x00, 0x65, 0x00, 0x72, 0x00, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00};
    static const uint8_t crfld_resp[] = {0x1C, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
                                         0x00, 0x00, 0x0E, 0x91, 0x52, 0x12, 0x00};
    /* [MS-OXCFOLD] 4.5.1 RopMoveFolder, 4.6.1 RopCopyFolder */
    static const uint8_t mvfld[] = {0x35, 0x00, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x0E, 0x8E, 0xDF,
                                    0x36, 0x46, 0x00, 0x6F, 0x00, 0x6C, 0x00, 0x64, 0x00, 0x65, 0x00, 0x72, 0x00,
                                    0x31, 0x00, 0x00, 0x00};
    static const uint8_t cpfld[] = {0x36, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x0E, 0x8E,
                                    0xDF, 0x36, 0x46, 0x00, 0x6F, 0x00, 0x6C, 0x00, 0x64, 0x00, 0x65, 0x00, 0x72,
                                    0x00, 0x31, 0x00, 0x00, 0x00};
    /* [MS-OXCTABL] 4.1.1 RopGetContentsTable, 4.2.1 RopSetColumns */
    static const uint8_t gct[] = {0x05, 0x00, 0x00, 0x01, 0x00};
    static const uint8_t setcols[] = {0x12, 0x00, 0x01, 0x00, 0x06, 0x00, 0x14, 0x00, 0x48, 0x67, 0x14, 0x00,
                                      0x4a, 0x67, 0x14, 0x00, 0x4d, 0x67, 0x03, 0x00, 0x4e, 0x67, 0x1f, 0x00,
                                      0x37, 0x00, 0x40, 0x00, 0x06, 0x0e};
    static const uint8_t sort_resp[] = {0x13, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00};
    /* [MS-OXCPRPT] 4.3.1 RopGetPropertiesSpecific, 4.1.2 GetPropertyIdsFromNames
     * response, 4.2.2 RopSetProperties response */
    static const uint8_t gps[] = {0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00, 0x0B, 0x00,
                                  0x3E, 0x86, 0x03, 0x00, 0x3F, 0x86, 0x02, 0x01, 0xE2, 0x65};
    static const uint8_t gpid_resp[] = {0x56, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x3E, 0x86, 0x3F, 0x86};
    static const uint8_t setp_resp[] = {0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    static uint16_t ids[] = {0x863E, 0x863F};

    r = check_req(delmsg, sizeof(delmsg), NULL, "RopDeleteMessages (OXCFOLD 4.3.1)");
    ok(r.u.delete_messages.notify_non_read == 1 && r.u.delete_messages.count == 2 &&
       mapi_id_replid(r.u.delete_messages.mids[0]) == 1 &&
       mapi_id_globcnt(r.u.delete_messages.mids[0]) == 0x0E8EF148ull &&
       mapi_id_globcnt(r.u.delete_messages.mids[1]) == 0x0E8EC302ull, "MIDs 0001-00000E8EF148, 0001-00000E8EC302");
    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_DELETE_MESSAGES;
    check_resp_bytes(&resp, delmsg_resp, sizeof(delmsg_resp), "RopDeleteMessages (OXCFOLD 4.3.2)");

    r = check_req(delfld, sizeof(delfld), NULL, "RopDeleteFolder (OXCFOLD 4.2.1)");
    ok(r.in_idx == 1 && r.u.delete_folder.flags == 5 &&
       r.u.delete_folder.folder_id == mapi_id_make(1, 0x0E8EDF36ull), "DeleteFolder fields");

    r = check_req(crfld, sizeof(crfld), NULL, "RopCreateFolder (OXCFOLD 4.1.1)");
    ok(r.out_idx == 1 && r.u.create_folder.use_unicode == 1 &&
       strcmp(r.u.create_folder.display_name, "Folder1") == 0 && strcmp(r.u.create_folder.comment, "") == 0,
       "CreateFolder fields");
    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_CREATE_FOLDER;
    resp.handle_idx = 1;
    resp.u.create_folder.folder_id = mapi_id_make(1, 0x0E915212ull);
    check_resp_bytes(&resp, crfld_resp, sizeof(crfld_resp), "RopCreateFolder (OXCFOLD 4.1.2)");

    r = check_req(mvfld, sizeof(mvfld), NULL, "RopMoveFolder (OXCFOLD 4.5.1)");
    ok(r.in_idx == 1 && r.out_idx == 2 && strcmp(r.u.move_copy_folder.new_name, "Folder1") == 0, "MoveFolder fields");
    r = check_req(cpfld, sizeof(cpfld), NULL, "RopCopyFolder (OXCFOLD 4.6.1)");
    ok(r.u.move_copy_folder.want_recursive == 1 && r.out_idx == 1, "CopyFolder fields");

    r = check_req(gct, sizeof(gct), NULL, "RopGetContentsTable (OXCTABL 4.1.1)");
    ok(r.out_idx == 1 && r.u.table.table_flags == 0, "GetContentsTable fields");
    r = check_req(setcols, sizeof(setcols), NULL, "RopSetColumns (OXCTABL 4.2.1)");
    ok(r.u.set_columns.tags.count == 6 && r.u.set_columns.tags.tags[5] == 0x0E060040, "SetColumns tags");
    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_SORT_TABLE;
    resp.handle_idx = 1;
    check_resp_bytes(&resp, sort_resp, sizeof(sort_resp), "RopSortTable response (OXCTABL 4.3.2)");

    r = check_req(gps, sizeof(gps), NULL, "RopGetPropertiesSpecific (OXCPRPT 4.3.1)");
    ok(r.u.get_props_specific.want_unicode == 1 && r.u.get_props_specific.tags.count == 3 &&
       r.u.get_props_specific.tags.tags[2] == 0x65E20102, "GetPropertiesSpecific fields");
    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_GET_PROPERTY_IDS_FROM_NAMES;
    resp.u.prop_ids.count = 2;
    resp.u.prop_ids.ids = ids;
    check_resp_bytes(&resp, gpid_resp, sizeof(gpid_resp), "RopGetPropertyIdsFromNames response (OXCPRPT 4.1.2)");
    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_SET_PROPERTIES;
    check_resp_bytes(&resp, setp_resp, sizeof(setp_resp), "RopSetProperties response (OXCPRPT 4.2.2)");
}

/* [MS-OXORULE] 4.2.2: RopQueryRows over a rules table, one standard row of
 * (I8, binary, Unicode) */
static void test_query_rows_example(void)
{
    static const uint8_t b[] = {0x15, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
                                0x00, 0x01, 0x3f, 0xf8, 0x56, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00,
                                0x00, 0x00, 0x55, 0x55, 0x55, 0x55, 0xd1, 0x44, 0xe3, 0x40, 0x50, 0x00, 0x72,
                                0x00, 0x6f, 0x00, 0x6a, 0x00, 0x65, 0x00, 0x63, 0x00, 0x74, 0x00, 0x20, 0x00,
                                0x58, 0x00, 0x00, 0x00};
    static const uint32_t cols[] = {0x66740014, 0x66750102, 0x6682001F};
    mapi_rop_resp_ctx_t ctx;
    mapi_rop_resp_t resp;
    mapi_rd_t rd;
    mapi_wr_t wr;
    size_t cut;
    int all_fail = 1;

    memset(&ctx, 0, sizeof(ctx));
    ctx.cols = cols;
    ctx.ncols = 3;
    seed("rop_resp", ROP_QUERY_ROWS, 3, 1, b, sizeof(b));
    mapi_rd_init(&rd, b, sizeof(b));
    is_int(mapi_rop_decode_resp(&rd, &A, &ctx, &resp), MAPI_OK, "QueryRows response (OXORULE 4.2.2) decodes");
    is_int(rd.off, sizeof(b), "consumes all bytes");
    ok(resp.u.query_rows.origin == 2 && resp.u.query_rows.count == 1, "origin END, 1 row");
    ok(resp.u.query_rows.rows.vals[0].v.i64 == 0x56F83F0100000001LL, "rule id 0x56F83F0100000001");
    is_int(resp.u.query_rows.rows.vals[1].v.bin.len, 16, "16-byte binary");
    is_str(resp.u.query_rows.rows.vals[2].v.str, "Project X", "rule name");
    mapi_wr_init(&wr, 0);
    is_int(mapi_rop_encode_resp(&wr, NULL, &resp), MAPI_OK, "re-encodes");
    is_mem(wr.p, wr.len, b, sizeof(b), "QueryRows response bytes round trip");
    mapi_wr_free(&wr);
    for (cut = 0; cut < sizeof(b); cut++) {
        mapi_rop_resp_t t;
        mapi_rd_init(&rd, b, cut);
        if (mapi_rop_decode_resp(&rd, &A, &ctx, &t) == MAPI_OK)
            all_fail = 0;
    }
    ok(all_fail, "every truncated QueryRows response is an error");
    mapi_rd_init(&rd, b, sizeof(b));
    ctx.cols = NULL;
    is_int(mapi_rop_decode_resp(&rd, &A, &ctx, &resp), MAPI_E_BAD_VALUE, "rows without known columns refused");
}

static void test_logon(void)
{
    static const char essdn[] = "/o=org/ou=x/cn=Recipients/cn=user";
    mapi_rop_req_t req, back;
    mapi_rop_resp_t resp, rb;
    mapi_rop_resp_ctx_t ctx;
    mapi_wr_t wr;
    mapi_rd_t rd;
    int i;

    memset(&req, 0, sizeof(req));
    req.rop_id = ROP_LOGON;
    req.out_idx = 0;
    req.u.logon.logon_flags = MAPI_LOGON_PRIVATE;
    req.u.logon.open_flags = 0x0100040C;
    req.u.logon.essdn.data = (uint8_t *)(uintptr_t)essdn;
    req.u.logon.essdn.len = sizeof(essdn);
    mapi_wr_init(&wr, 0);
    is_int(mapi_rop_encode_req(&wr, NULL, &req), MAPI_OK, "Logon request encodes");
    ok(wr.len == 3 + 1 + 4 + 4 + 2 + sizeof(essdn) && wr.p[0] == 0xFE && wr.p[2] == 0 && wr.p[3] == 1 &&
       wr.p[4] == 0x0C && wr.p[7] == 0x01, "Logon request layout (no InputHandleIndex)");
    check_req(wr.p, wr.len, NULL, "RopLogon");
    mapi_rd_init(&rd, wr.p, wr.len);
    mapi_rop_decode_next(&rd, &A, NULL, &back);
    ok(back.u.logon.essdn.len == sizeof(essdn) && memcmp(back.u.logon.essdn.data, essdn, sizeof(essdn)) == 0,
       "Essdn with its NUL");
    mapi_wr_free(&wr);

    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_LOGON;
    resp.u.logon.logon_flags = MAPI_LOGON_PRIVATE;
    for (i = 0; i < 13; i++)
        resp.u.logon.folder_ids[i] = mapi_id_make(1, 0x100 + (uint64_t)i);
    resp.u.logon.response_flags = 0x07;
    resp.u.logon.repl_id = 1;
    resp.u.logon.logon_time.year = 2026;
    resp.u.logon.logon_time.month = 11;
    resp.u.logon.store_state = 0;
    mapi_wr_init(&wr, 0);
    is_int(mapi_rop_encode_resp(&wr, NULL, &resp), MAPI_OK, "private Logon response encodes");
    is_int(wr.len, 6 + 1 + 104 + 1 + 16 + 2 + 16 + 8 + 8 + 4, "private Logon response is 166 bytes");
    ok(wr.p[7 + 104] == 0x07 && wr.p[7] == 0x01 && wr.p[13] == 0x01, "ResponseFlags after the 13 FolderIds");
    memset(&ctx, 0, sizeof(ctx));
    ctx.req = &req;
    mapi_rd_init(&rd, wr.p, wr.len);
    is_int(mapi_rop_decode_resp(&rd, &A, &ctx, &rb), MAPI_OK, "private Logon response decodes");
    ok(rb.u.logon.folder_ids[12] == resp.u.logon.folder_ids[12] && rb.u.logon.logon_time.year == 2026 &&
       rd.off == wr.len, "Logon response fields");
    mapi_wr_free(&wr);

    resp.u.logon.logon_flags = 0;
    mapi_wr_init(&wr, 0);
    mapi_rop_encode_resp(&wr, NULL, &resp);
    is_int(wr.len, 6 + 1 + 104 + 2 + 16 + 16, "public Logon response is 145 bytes");
    mapi_wr_free(&wr);

    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_LOGON;
    resp.ret = MAPI_EC_WRONG_SERVER;
    resp.u.logon.logon_flags = 1;
    resp.u.logon.server_name = (char *)"srv";
    mapi_wr_init(&wr, 0);
    mapi_rop_encode_resp(&wr, NULL, &resp);
    {
        static const uint8_t want[] = {0xFE, 0x00, 0x78, 0x04, 0x00, 0x00, 0x01, 0x04, 's', 'r', 'v', 0};
        is_mem(wr.p, wr.len, want, sizeof(want), "Logon redirect: LogonFlags, ServerNameSize, ServerName");
    }
    mapi_rd_init(&rd, wr.p, wr.len);
    is_int(mapi_rop_decode_resp(&rd, &A, &ctx, &rb), MAPI_OK, "redirect decodes");
    is_str(rb.u.logon.server_name, "srv", "redirect server");
    mapi_wr_free(&wr);
}

/* Every ROP: an all-zero request/response encodes, decodes to the same bytes,
 * and every truncation of it is an error. */
static void test_all_rops_symmetric(void)
{
    static const uint32_t nocols[1] = {0};
    unsigned id;
    int nreq = 0, nresp = 0, req_ok = 1, resp_ok = 1, trunc_ok = 1;
    for (id = 0; id < 256; id++) {
        mapi_rop_req_t req, back;
        mapi_rop_resp_t resp, rback;
        mapi_rop_resp_ctx_t ctx;
        mapi_wr_t wr, wr2;
        mapi_rd_t rd;
        size_t cut;
        if (!mapi_rop_name((uint8_t)id))
            continue;
        memset(&req, 0, sizeof(req));
        req.rop_id = (uint8_t)id;
        req.logon_id = 3;
        req.in_idx = 1;
        req.out_idx = 2;
        mapi_wr_init(&wr, 0);
        if (mapi_rop_encode_req(&wr, NULL, &req) == MAPI_OK) {
            nreq++;
            seed("rop", 0, 0, 0, wr.p, wr.len);
            mapi_rd_init(&rd, wr.p, wr.len);
            mapi_wr_init(&wr2, 0);
            if (mapi_rop_decode_next(&rd, &A, NULL, &back) != MAPI_OK || rd.off != wr.len ||
                mapi_rop_encode_req(&wr2, NULL, &back) != MAPI_OK || wr2.len != wr.len ||
                memcmp(wr.p, wr2.p, wr.len) != 0) {
                req_ok = 0;
                diag("request round trip fails for %s", mapi_rop_name((uint8_t)id));
            }
            for (cut = 0; cut < wr.len; cut++) {
                mapi_rd_init(&rd, wr.p, cut);
                if (mapi_rop_decode_next(&rd, &A, NULL, &back) == MAPI_OK) {
                    trunc_ok = 0;
                    diag("%s decodes from %zu of %zu bytes", mapi_rop_name((uint8_t)id), cut, wr.len);
                }
            }
            mapi_wr_free(&wr2);
        }
        mapi_wr_free(&wr);

        memset(&resp, 0, sizeof(resp));
        resp.rop_id = (uint8_t)id;
        resp.handle_idx = 1;
        if (id == ROP_NOTIFY) { /* the smallest NotificationData: TableChanged */
            static uint8_t tc[] = {0x00, 0x01, 0x01, 0x00};
            resp.u.notify.data.data = tc;
            resp.u.notify.data.len = sizeof(tc);
        }
        mapi_wr_init(&wr, 0);
        if (mapi_rop_encode_resp(&wr, NULL, &resp) == MAPI_OK) {
            nresp++;
            seed("rop_resp", (uint8_t)id, 0, 1, wr.p, wr.len);
            memset(&ctx, 0, sizeof(ctx));
            ctx.req = &req;
            ctx.cols = nocols;
            ctx.ncols = 0;
            mapi_rd_init(&rd, wr.p, wr.len);
            mapi_wr_init(&wr2, 0);
            if (mapi_rop_decode_resp(&rd, &A, &ctx, &rback) != MAPI_OK || rd.off != wr.len ||
                mapi_rop_encode_resp(&wr2, NULL, &rback) != MAPI_OK || wr2.len != wr.len ||
                memcmp(wr.p, wr2.p, wr.len) != 0) {
                resp_ok = 0;
                diag("response round trip fails for %s", mapi_rop_name((uint8_t)id));
            }
            mapi_wr_free(&wr2);
        }
        mapi_wr_free(&wr);
    }
    ok(nreq >= 100, "request codecs for %d ROPs", nreq);
    ok(nresp >= 100, "response codecs for %d ROPs", nresp);
    ok(req_ok, "every request round-trips byte for byte");
    ok(trunc_ok, "every truncated request is an error");
    ok(resp_ok, "every response round-trips byte for byte");
}

static void test_bad_input(void)
{
    static const uint8_t unknown[] = {0x28, 0x00, 0x00};
    static const uint8_t resp_only[] = {0xFF, 0x00, 0x00};
    static const uint8_t notify[] = {0x2A, 0x00, 0x00};
    static const uint8_t badcount[] = {0x1E, 0x00, 0x00, 0x00, 0x01, 0xFF, 0xFF, 0x01};
    static const uint8_t badres[] = {0x14, 0x00, 0x01, 0x00, 0x03, 0x00, 0x0C, 0x00, 0x00};
    static const uint8_t trailing_res[] = {0x14, 0x00, 0x01, 0x00, 0x06, 0x00, 0x08, 0x1F, 0x00, 0x37, 0x00, 0xEE};
    static const uint8_t sort_bad[] = {0x13, 0x00, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00,
                                       0x1F, 0x00, 0x37, 0x00, 0x00};
    static const uint8_t seek_bad[] = {0x2E, 0x00, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0};
    mapi_rop_req_t req;
    mapi_rd_t rd;

    mapi_rd_init(&rd, unknown, sizeof(unknown));
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_UNKNOWN_ROP, "RopId 0x28 is unknown");
    mapi_rd_init(&rd, resp_only, sizeof(resp_only));
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_UNKNOWN_ROP, "RopBufferTooSmall is not a request");
    mapi_rd_init(&rd, notify, sizeof(notify));
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_UNKNOWN_ROP, "RopNotify is not a request");
    mapi_rd_init(&rd, unknown, 0);
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_TRUNCATED, "empty buffer: truncated");
    mapi_rd_init(&rd, badcount, sizeof(badcount));
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_TRUNCATED, "MessageIdCount past the end");
    mapi_rd_init(&rd, badres, sizeof(badres));
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_BAD_VALUE, "Restrict with bad RestrictType");
    mapi_rd_init(&rd, trailing_res, sizeof(trailing_res));
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_TRAILING, "RestrictionDataSize larger than the restriction");
    mapi_rd_init(&rd, sort_bad, sizeof(sort_bad));
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_BAD_VALUE, "SortTable CategoryCount > SortOrderCount");
    mapi_rd_init(&rd, seek_bad, sizeof(seek_bad));
    is_int(mapi_rop_decode_next(&rd, &A, NULL, &req), MAPI_E_BAD_VALUE, "SeekStream origin 3");
    is_int(mapi_codec_status_to_ec(MAPI_E_UNKNOWN_ROP), MAPI_EC_RPC_FORMAT, "unknown ROP -> ecRpcFormat");
}

static void test_rops_list(void)
{
    /* [MS-OXCROPS] 4.4: two RopRelease in one RopsList */
    static const uint8_t rel[] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x01};
    /* Logon, GetReceiveFolder(""), GetPropertiesSpecific(1 tag) */
    static const uint8_t list[] = {0xFE, 0x00, 0x00, 0x01, 0x0C, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                                   0x02, 0x00, 'x', 0x00,
                                   0x27, 0x00, 0x00, 0x00,
                                   0x07, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x1F, 0x00, 0x01, 0x30};
    mapi_rop_req_t req;
    mapi_rd_t rd;
    int n = 0, st = MAPI_OK;
    uint8_t ids[4] = {0};

    mapi_rd_init(&rd, rel, sizeof(rel));
    while (mapi_rd_left(&rd) && (st = mapi_rop_decode_next(&rd, &A, NULL, &req)) == MAPI_OK)
        ids[n++ & 3] = req.in_idx;
    ok(st == MAPI_OK && n == 2 && ids[0] == 0 && ids[1] == 1, "two RopRelease (OXCROPS 4.4)");

    n = 0;
    seed("rop", 0, 0, 0, list, sizeof(list));
    mapi_rd_init(&rd, list, sizeof(list));
    while (mapi_rd_left(&rd) && (st = mapi_rop_decode_next(&rd, &A, NULL, &req)) == MAPI_OK)
        ids[n++ & 3] = req.rop_id;
    ok(st == MAPI_OK && n == 3 && ids[0] == 0xFE && ids[1] == 0x27 && ids[2] == 0x07,
       "Logon + GetReceiveFolder + GetPropertiesSpecific decoded in order");
}

static void test_more_rops(void)
{
    mapi_rop_req_t req, back;
    mapi_rop_resp_t resp, rb;
    mapi_rop_ctx_t pub;
    mapi_rop_resp_ctx_t rctx;
    mapi_wr_t wr;
    mapi_rd_t rd;
    mapi_propval_t vals[2];
    static char subj[] = "Hi";
    mapi_restriction_t res;
    int i;

    /* SetProperties: PropertyValueSize covers the count and the values */
    memset(&req, 0, sizeof(req));
    memset(vals, 0, sizeof(vals));
    vals[0].tag = 0x0037001F; vals[0].v.str = subj;
    vals[1].tag = 0x0E070003; vals[1].v.i32 = 1;
    req.rop_id = ROP_SET_PROPERTIES;
    req.u.set_props.props.count = 2;
    req.u.set_props.props.vals = vals;
    mapi_wr_init(&wr, 0);
    mapi_rop_encode_req(&wr, NULL, &req);
    {
        static const uint8_t want[] = {0x0A, 0x00, 0x00, 0x14, 0x00, 0x02, 0x00, 0x1F, 0x00, 0x37, 0x00, 'H', 0,
                                       'i', 0, 0, 0, 0x03, 0x00, 0x07, 0x0E, 0x01, 0x00, 0x00, 0x00};
        is_mem(wr.p, wr.len, want, sizeof(want), "SetProperties: PropertyValueSize 0x14");
        back = check_req(want, sizeof(want), NULL, "RopSetProperties");
        ok(back.u.set_props.props.count == 2 && strcmp(back.u.set_props.props.vals[0].v.str, "Hi") == 0,
           "SetProperties values");
    }
    mapi_wr_free(&wr);

    /* ModifyRules: one ROW_ADD with a sequence number and an action */
    {
        static const uint8_t mr[] = {0x41, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x02, 0x00,
                                     0x03, 0x00, 0x76, 0x66, 0x0A, 0x00, 0x00, 0x00,
                                     0xFE, 0x00, 0x80, 0x66, 0x01, 0x00, 0x09, 0x00, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0};
        back = check_req(mr, sizeof(mr), NULL, "RopModifyRules");
        ok(back.u.modify_rules.count == 1 && back.u.modify_rules.rows[0].data_flags == 1 &&
           back.u.modify_rules.rows[0].props.count == 2 &&
           back.u.modify_rules.rows[0].props.vals[1].tag == 0x668000FE, "ModifyRules rule properties");
    }

    /* ICS: SynchronizationConfigure (contents, no restriction, 1 tag), GetBuffer
     * with the 0xBABE sentinel, and their responses */
    {
        static const uint8_t sc[] = {0x70, 0x00, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x1F, 0x00, 0x37, 0x00};
        static const uint8_t gb[] = {0x4E, 0x00, 0x01, 0xBE, 0xBA, 0x00, 0x80};
        static const uint8_t gb_resp[] = {0x4E, 0x01, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01, 0x00, 0x02,
                                          0x00, 0x00, 0x02, 0x00, 0xAA, 0xBB};
        static const uint8_t busy[] = {0x4E, 0x01, 0x80, 0x04, 0x00, 0x00, 0xE8, 0x03, 0x00, 0x00};
        static const uint8_t lri_resp[] = {0x7F, 0x00, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                           15, 16, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00};
        mapi_rop_resp_t g;
        back = check_req(sc, sizeof(sc), NULL, "RopSynchronizationConfigure");
        ok(back.out_idx == 1 && back.u.sync_configure.sync_type == 1 && back.u.sync_configure.sync_flags == 1 &&
           back.u.sync_configure.res == NULL && back.u.sync_configure.tags.count == 1, "SynchronizationConfigure fields");
        back = check_req(gb, sizeof(gb), NULL, "RopFastTransferSourceGetBuffer 0xBABE");
        is_int(back.u.ft_get_buffer.max_buffer_size, 0x8000, "MaximumBufferSize");
        memset(&g, 0, sizeof(g));
        g.rop_id = ROP_FAST_TRANSFER_SOURCE_GET_BUFFER;
        g.handle_idx = 1;
        g.u.ft_get_buffer.status = 3;
        g.u.ft_get_buffer.in_progress = 1;
        g.u.ft_get_buffer.total_steps = 2;
        g.u.ft_get_buffer.buffer.len = 2;
        g.u.ft_get_buffer.buffer.data = (uint8_t *)"\xAA\xBB";
        check_resp_bytes(&g, gb_resp, sizeof(gb_resp), "FastTransferSourceGetBuffer response");
        memset(&g, 0, sizeof(g));
        g.rop_id = ROP_FAST_TRANSFER_SOURCE_GET_BUFFER;
        g.handle_idx = 1;
        g.ret = 0x480;
        g.u.ft_get_buffer.backoff_time = 1000;
        check_resp_bytes(&g, busy, sizeof(busy), "FastTransferSourceGetBuffer ecServerBusy: BackoffTime");
        memset(&g, 0, sizeof(g));
        g.rop_id = ROP_GET_LOCAL_REPLICA_IDS;
        for (i = 0; i < 16; i++)
            g.u.local_replica_ids.repl_guid.b[i] = (uint8_t)(i + 1);
        g.u.local_replica_ids.globcnt = 0x100;
        check_resp_bytes(&g, lri_resp, sizeof(lri_resp), "GetLocalReplicaIds: ReplGuid + big-endian GLOBCNT");
    }

    /* Restrict with a tree */
    memset(&res, 0, sizeof(res));
    res.type = MAPI_RES_EXIST;
    res.u.exist.tag = 0x0037001F;
    memset(&req, 0, sizeof(req));
    req.rop_id = ROP_RESTRICT;
    req.in_idx = 1;
    req.u.restrict_.res = &res;
    mapi_wr_init(&wr, 0);
    mapi_rop_encode_req(&wr, NULL, &req);
    {
        static const uint8_t want[] = {0x14, 0x00, 0x01, 0x00, 0x05, 0x00, 0x08, 0x1F, 0x00, 0x37, 0x00};
        is_mem(wr.p, wr.len, want, sizeof(want), "Restrict: RestrictionDataSize + Exist");
        back = check_req(want, sizeof(want), NULL, "RopRestrict");
        ok(back.u.restrict_.res && back.u.restrict_.res->type == MAPI_RES_EXIST, "Restrict tree");
    }
    mapi_wr_free(&wr);

    /* ReadStream with the 0xBABE sentinel carries MaximumByteCount */
    {
        static const uint8_t rs[] = {0x2C, 0x00, 0x01, 0xBE, 0xBA, 0x00, 0x00, 0x01, 0x00};
        static const uint8_t rs2[] = {0x2C, 0x00, 0x01, 0x00, 0x10};
        back = check_req(rs, sizeof(rs), NULL, "RopReadStream 0xBABE");
        is_int(back.u.read_stream.max_byte_count, 0x10000, "MaximumByteCount");
        check_req(rs2, sizeof(rs2), NULL, "RopReadStream plain");
    }

    /* SetMessageReadFlag: ClientData only on a public logon */
    {
        static const uint8_t priv[] = {0x11, 0x00, 0x01, 0x02, 0x01};
        uint8_t publ[5 + 24];
        memset(&pub, 0, sizeof(pub));
        mapi_rop_ctx_set_public(&pub, 0, 1);
        back = check_req(priv, sizeof(priv), NULL, "RopSetMessageReadFlag (private)");
        ok(back.out_idx == 1 && back.in_idx == 2 && !back.u.set_message_read_flag.has_client_data,
           "ResponseHandleIndex first, no ClientData");
        memcpy(publ, priv, 5);
        memset(publ + 5, 0xAB, 24);
        back = check_req(publ, sizeof(publ), &pub, "RopSetMessageReadFlag (public logon)");
        ok(back.u.set_message_read_flag.has_client_data && back.u.set_message_read_flag.client_data[23] == 0xAB,
           "ClientData read");
    }

    /* GetPropertiesSpecific response: a row with the requested tags */
    {
        static const uint8_t want[] = {0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0A, 0x0F, 0x01, 0x04, 0x80,
                                       0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
        static uint32_t tags[] = {0x0037001F, 0x0E070003, 0x0FFF0102};
        mapi_propval_t rv[3];
        memset(rv, 0, sizeof(rv));
        rv[0].tag = 0x0037000A; rv[0].v.err = MAPI_EC_NOT_FOUND;
        rv[1].tag = 0x0E070003; rv[1].v.i32 = 1;
        rv[2].tag = 0x0FFF0102; rv[2].v.bin.len = 1; rv[2].v.bin.data = (uint8_t *)"";
        memset(&resp, 0, sizeof(resp));
        resp.rop_id = ROP_GET_PROPERTIES_SPECIFIC;
        resp.u.get_props_specific.row.cols = tags;
        resp.u.get_props_specific.row.ncols = 3;
        resp.u.get_props_specific.row.vals = rv;
        check_resp_bytes(&resp, want, sizeof(want), "GetPropertiesSpecific response: flagged row with an error");
        memset(&req, 0, sizeof(req));
        req.rop_id = ROP_GET_PROPERTIES_SPECIFIC;
        req.u.get_props_specific.tags.count = 3;
        req.u.get_props_specific.tags.tags = tags;
        memset(&rctx, 0, sizeof(rctx));
        rctx.req = &req;
        mapi_rd_init(&rd, want, sizeof(want));
        is_int(mapi_rop_decode_resp(&rd, &A, &rctx, &rb), MAPI_OK, "client decodes it with the request's tags");
        ok(rb.u.get_props_specific.row.vals[0].v.err == MAPI_EC_NOT_FOUND &&
           rb.u.get_props_specific.row.vals[1].v.i32 == 1, "row values");
    }

    /* error responses */
    memset(&req, 0, sizeof(req));
    req.rop_id = ROP_OPEN_FOLDER;
    req.in_idx = 0;
    req.out_idx = 1;
    mapi_rop_error_resp(&req, MAPI_EC_NOT_FOUND, &resp);
    {
        static const uint8_t want[] = {0x02, 0x01, 0x0F, 0x01, 0x04, 0x80};
        check_resp_bytes(&resp, want, sizeof(want), "OpenFolder failure: OutputHandleIndex + ReturnValue only");
    }
    req.rop_id = ROP_MOVE_COPY_MESSAGES;
    req.in_idx = 1;
    req.out_idx = 2;
    mapi_rop_error_resp(&req, MAPI_EC_DST_NULL_OBJECT, &resp);
    resp.u.partial.dest_idx = 2;
    {
        static const uint8_t want[] = {0x33, 0x01, 0x03, 0x05, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00};
        check_resp_bytes(&resp, want, sizeof(want), "MoveCopyMessages null destination: DestHandleIndex u32");
    }
    req.rop_id = ROP_SAVE_CHANGES_MESSAGE;
    req.in_idx = 2;
    req.out_idx = 1;
    mapi_rop_error_resp(&req, MAPI_EC_OBJECT_MODIFIED, &resp);
    ok(resp.handle_idx == 1, "SaveChangesMessage error echoes ResponseHandleIndex");

    /* BufferTooSmall and Pending */
    mapi_wr_init(&wr, 0);
    mapi_rop_encode_buffer_too_small(&wr, 0x1234, "\x15\x00\x01", 3);
    {
        static const uint8_t want[] = {0xFF, 0x34, 0x12, 0x15, 0x00, 0x01};
        is_mem(wr.p, wr.len, want, sizeof(want), "RopBufferTooSmall: SizeNeeded + the unprocessed requests");
    }
    mapi_wr_free(&wr);
    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_PENDING;
    resp.u.pending.session_index = 5;
    {
        static const uint8_t want[] = {0x6E, 0x05, 0x00};
        check_resp_bytes(&resp, want, sizeof(want), "RopPending: SessionIndex");
    }
    ok(strcmp(mapi_rop_name(ROP_LOGON), "RopLogon") == 0 && mapi_rop_creates_object(ROP_OPEN_FOLDER) &&
       !mapi_rop_creates_object(ROP_MOVE_FOLDER) && !mapi_rop_creates_object(ROP_QUERY_ROWS),
       "names and object-creating ROPs");
}

static void test_recipient_rows(void)
{
    /* SMTP recipient, Unicode, EmailAddress + DisplayName, 1 column */
    static const uint8_t smtp[] = {0x1B, 0x02, 'a', 0, '@', 0, 'b', 0, 0, 0, 'A', 0, 0, 0,
                                   0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    /* X500DN recipient, 8-bit DisplayName, no columns (an empty PropertyRow is its flag byte) */
    static const uint8_t x500[] = {0x11, 0x00, 0x00, 0x00, '/', 'o', '=', 'x', 0, 'N', 0, 0x00, 0x00, 0x00};
    static uint32_t coltags[] = {0x0C150003, 0x3001001F};
    mapi_tagarray_t cols = {2, coltags};
    mapi_recipient_t r;
    mapi_bin_t b;
    mapi_wr_t wr;
    size_t cut;
    int all_fail = 1;

    b.data = (uint8_t *)(uintptr_t)smtp;
    b.len = sizeof(smtp);
    is_int(mapi_recipient_row_decode(&b, &A, &cols, &r), MAPI_OK, "SMTP RecipientRow decodes");
    ok((r.flags & MAPI_RECIP_TYPE_MASK) == MAPI_RECIP_TYPE_SMTP && strcmp(r.email, "a@b") == 0 &&
       strcmp(r.display_name, "A") == 0 && r.ncols == 1 && r.vals[0].v.i32 == 1, "SMTP RecipientRow fields");
    mapi_wr_init(&wr, 0);
    is_int(mapi_recipient_row_encode(&wr, &cols, &r), MAPI_OK, "re-encodes");
    is_mem(wr.p, wr.len, smtp, sizeof(smtp), "SMTP RecipientRow bytes round trip");
    mapi_wr_free(&wr);
    for (cut = 0; cut < sizeof(smtp); cut++) {
        b.len = (uint32_t)cut;
        if (mapi_recipient_row_decode(&b, &A, &cols, &r) == MAPI_OK)
            all_fail = 0;
    }
    ok(all_fail, "every truncated RecipientRow is an error");

    b.data = (uint8_t *)(uintptr_t)x500;
    b.len = sizeof(x500);
    is_int(mapi_recipient_row_decode(&b, &A, &cols, &r), MAPI_OK, "X500 RecipientRow decodes");
    ok(strcmp(r.x500dn, "/o=x") == 0 && strcmp(r.display_name, "N") == 0 && r.ncols == 0, "X500 fields");
    mapi_wr_init(&wr, 0);
    mapi_recipient_row_encode(&wr, &cols, &r);
    is_mem(wr.p, wr.len, x500, sizeof(x500), "X500 RecipientRow round trip");
    mapi_wr_free(&wr);

    cols.count = 0;
    b.data = (uint8_t *)(uintptr_t)smtp;
    b.len = sizeof(smtp);
    is_int(mapi_recipient_row_decode(&b, &A, &cols, &r), MAPI_E_BAD_VALUE,
           "RecipientColumnCount larger than the ROP's columns");
    cols.count = 2;
    {
        uint8_t extra[sizeof(x500) + 1];
        memcpy(extra, x500, sizeof(x500));
        extra[sizeof(x500)] = 0;
        b.data = extra;
        b.len = sizeof(extra);
        is_int(mapi_recipient_row_decode(&b, &A, &cols, &r), MAPI_E_TRAILING, "bytes after the RecipientRow");
    }
    {
        /* the same row inside RopModifyRecipients */
        uint8_t req[64];
        size_t n = 0;
        mapi_rop_req_t mr;
        mapi_rd_t rd;
        static const uint8_t head[] = {0x0E, 0x00, 0x01, 0x02, 0x00, 0x03, 0x00, 0x15, 0x0C, 0x1F, 0x00, 0x01,
                                       0x30, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
        memcpy(req, head, sizeof(head));
        n = sizeof(head);
        req[n++] = (uint8_t)sizeof(smtp);
        req[n++] = 0;
        memcpy(req + n, smtp, sizeof(smtp));
        n += sizeof(smtp);
        mr = check_req(req, n, NULL, "RopModifyRecipients");
        ok(mr.u.modify_recipients.count == 1 && mr.u.modify_recipients.rows[0].recipient_type == 1 &&
           mr.u.modify_recipients.rows[0].row.len == sizeof(smtp), "ModifyRecipients row");
        mapi_rd_init(&rd, req, n);
        is_int(mapi_recipient_row_decode(&mr.u.modify_recipients.rows[0].row, &A,
                                         &mr.u.modify_recipients.columns, &r), MAPI_OK,
               "its RecipientRow decodes with the ROP's columns");
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
        corpus_dir = argv[2];
    mapi_arena_init(&A, 0);
    test_spec_examples();
    test_query_rows_example();
    test_logon();
    test_all_rops_symmetric();
    test_bad_input();
    test_rops_list();
    test_more_rops();
    test_recipient_rows();
    mapi_arena_clear(&A);
    return done_testing();
}
