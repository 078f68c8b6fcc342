/*
 * Chained Execute responses on the wire ([MS-OXCRPC] 3.1.4.2.1.1): with the
 * Chain flag and a large MaxRopOut, a QueryRows that asks for more rows than
 * one 32 KB response buffer holds comes back in several RPC_HEADER_EXT
 * frames, each a complete ROP output buffer, Last only on the final one, and
 * no row is lost or repeated; without the flag, one frame.
 */
#include "tap.h"
#include "ropcli.h"

#include <stdlib.h>
#include <string.h>

#define PR_SUBJECT_W 0x0037001Fu
#define PR_MID 0x674A0014u

static uint32_t col_tags[] = {PR_MID, PR_SUBJECT_W};
static mapi_tagarray_t cols = {2, col_tags};

/* Opens the Inbox contents table into handle 2; returns its row count. */
static int open_inbox_table(ropcli_t *rc, uint32_t *rows)
{
    mapi_rop_resp_t resp[4];
    mapi_rop_req_t req[3];
    size_t n;
    if (ropcli_logon(rc, 0, &resp[0]) != 0)
        return -1;
    memset(req, 0, sizeof(req));
    req[0].rop_id = ROP_OPEN_FOLDER;
    req[0].out_idx = 1;
    req[0].u.open_folder.folder_id = resp[0].u.logon.folder_ids[4];
    req[1].rop_id = ROP_GET_CONTENTS_TABLE;
    req[1].in_idx = 1;
    req[1].out_idx = 2;
    req[2].rop_id = ROP_SET_COLUMNS;
    req[2].in_idx = 2;
    req[2].u.set_columns.tags = cols;
    if (ropcli_exec(rc, req, 3, NULL, resp, &n) != 0 || n != 3 || resp[1].ret || resp[2].ret)
        return -1;
    *rows = resp[1].u.table.row_count;
    return 0;
}

/* QueryRows(count) from the beginning with the given Execute flags; counts
 * frames and rows over all of them; checks MIDs are distinct. */
static int query(ropcli_t *rc, uint32_t flags, uint16_t count, size_t *frames, size_t *rows, int *lasts_ok,
                 int *distinct)
{
    mapi_rop_req_t req[2];
    mapi_wr_t wr;
    mc_response_t resp;
    mc_rop_result_t out;
    size_t f;
    uint64_t *mids = calloc(70000, sizeof(uint64_t));
    size_t nm = 0, i, j;

    memset(req, 0, sizeof(req));
    req[0].rop_id = ROP_SEEK_ROW;
    req[0].in_idx = 2;
    req[0].u.seek_row.origin = 0; /* BOOKMARK_BEGINNING */
    req[1].rop_id = ROP_QUERY_ROWS;
    req[1].in_idx = 2;
    req[1].u.query_rows.forward = 1;
    req[1].u.query_rows.count = count;
    mapi_wr_init(&wr, 0);
    mapi_rop_encode_req(&wr, &rc->ropctx, &req[0]);
    mapi_rop_encode_req(&wr, &rc->ropctx, &req[1]);
    mc_response_init(&resp);
    memset(&out, 0, sizeof(out));
    if (mc_execute_rops(rc->conn, flags, wr.p, wr.len, rc->handles, rc->nh, 0x40000, &resp, &out) != MC_OK ||
        out.rsp.error_code != 0) {
        mapi_wr_free(&wr);
        free(mids);
        return -1;
    }
    mapi_wr_free(&wr);
    *frames = out.chain.nframes;
    *rows = 0;
    *lasts_ok = 1;
    for (f = 0; f < out.chain.nframes; f++) {
        mapi_ropbuf_t rb;
        mapi_rd_t rd;
        int is_last = (out.chain.frames[f].flags & 0x0004) != 0;
        if (is_last != (f + 1 == out.chain.nframes))
            *lasts_ok = 0;
        if (mapi_ropbuf_split(out.chain.data + out.chain.frames[f].off, out.chain.frames[f].len, &rb) != 0)
            break;
        mapi_rd_init(&rd, rb.rops, rb.rops_len);
        for (i = (f == 0 ? 0 : 1); i < 2 && mapi_rd_left(&rd) > 0; i++) {
            mapi_rop_resp_ctx_t ctx;
            mapi_rop_resp_t r;
            memset(&ctx, 0, sizeof(ctx));
            ctx.req = &req[i];
            ctx.rop_ctx = &rc->ropctx;
            ctx.cols = cols.tags;
            ctx.ncols = cols.count;
            if (mapi_rop_decode_resp(&rd, &rc->arena, &ctx, &r) != 0)
                break;
            if (i == 1 && r.ret == 0) {
                *rows += r.u.query_rows.count;
                if (r.u.query_rows.rows.vals)
                    for (j = 0; j < r.u.query_rows.count && nm < 70000; j++)
                        mids[nm++] = r.u.query_rows.rows.vals[j * cols.count].v.i64;
            }
        }
    }
    *distinct = 1;
    for (i = 0; i < nm && *distinct; i++)
        for (j = i + 1; j < nm; j++)
            if (mids[i] == mids[j]) {
                *distinct = 0;
                break;
            }
    free(mids);
    mc_rop_result_free(&out);
    mc_response_free(&resp);
    return 0;
}

int main(void)
{
    ropcli_t rc;
    uint32_t total = 0;
    size_t frames = 0, rows = 0, want;
    int lasts = 0, distinct = 0;

    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    ok(ropcli_open(&rc, "bob") == 0, "bob connects (his Inbox is filled for this test)");
    {
        int r = open_inbox_table(&rc, &total);
        ok(r == 0, "Inbox contents table (%u rows)", total);
    }
    if (total < 600) {
        diag("the Inbox has too few rows for several frames; the wrapper fills it first");
        ropcli_close(&rc);
        return done_testing();
    }
    want = total < 2000 ? total : 2000;
    ok(query(&rc, 0x4, (uint16_t)want, &frames, &rows, &lasts, &distinct) == 0, "QueryRows(%zu) with the Chain flag",
       want);
    ok(frames > 1, "the answer comes in %zu RPC_HEADER_EXT frames", frames);
    is_int(rows, want, "all rows asked for arrive, across the frames");
    ok(lasts, "Last is set on the final frame only");
    ok(distinct, "no row twice (MIDs distinct)");
    ok(query(&rc, 0x0, (uint16_t)want, &frames, &rows, &lasts, &distinct) == 0, "the same without the Chain flag");
    is_int(frames, 1, "one frame");
    ok(rows > 0 && rows < want, "holding the rows that fit (%zu); the client asks again", rows);
    {
        int r = query(&rc, 0x7, (uint16_t)want, &frames, &rows, &lasts, &distinct);
        ok(r == 0 && frames > 1 && rows == want && distinct,
           "Chain with NoCompression|NoXorMagic: %zu frames, %zu rows", frames, rows);
    }
    ropcli_close(&rc);
    return done_testing();
}
