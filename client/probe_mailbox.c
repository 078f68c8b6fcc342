/*
 * probe_mailbox.c - the probe's mailbox steps over the emsmdb endpoint:
 * Connect ([MS-OXCMAPIHTTP] 2.2.4.1), one Execute (2.2.4.2) per step with
 * the ROPs of [MS-OXCROPS]: Logon (2.2.3.1), OpenFolder of the Inbox
 * (2.2.4.1; FolderIds[4], [MS-OXCSTOR] 2.2.1.1.3), GetContentsTable
 * (2.2.4.14), SetColumns + QueryRows (2.2.5.1, 2.2.5.4), OpenMessage
 * (2.2.6.1) + GetPropertiesSpecific of its subject (2.2.8.3), then
 * Disconnect (2.2.4.3). A ROP that fails names itself and its ec.
 */
#include "mapiprobe.h"

#include <stdlib.h>
#include <string.h>

#define INBOX_IDX 4
#define TAG_FID 0x67480014u     /* PidTagFolderId */
#define TAG_MID 0x674A0014u     /* PidTagMid */
#define TAG_SUBJECT 0x0037001Fu /* PidTagSubject (Unicode) */
#define PROBE_MAX_ROP_OUT 0x10000

/* One Execute with n ROPs. Returns 0 when every ROP answered ReturnValue
 * 0; otherwise the step has failed with a message naming the cause. */
static int exec_rops(probe_t *p, probe_step_t *st, const mapi_rop_req_t *reqs, size_t n,
                     const mapi_tagarray_t *const *cols, mapi_rop_resp_t *resps)
{
    mapi_wr_t wr;
    mc_response_t resp;
    mc_rop_result_t out;
    mapi_rd_t rd;
    char exc[PROBE_TEXT];
    size_t i, k = 0;
    int rc, ret = -1;

    mapi_wr_init(&wr, 0);
    for (i = 0; i < n; i++)
        if (mapi_rop_encode_req(&wr, &p->ropctx, &reqs[i]) != 0) {
            mapi_wr_free(&wr);
            probe_step_fail(st, "the probe could not encode its own request", "%s: request not encodable",
                            mapi_rop_name(reqs[i].rop_id));
            return -1;
        }
    mc_response_init(&resp);
    memset(&out, 0, sizeof(out));
    rc = mc_execute_rops(p->emsmdb, 0, wr.p, wr.len, p->handles, PROBE_HANDLES, PROBE_MAX_ROP_OUT, &resp, &out);
    mapi_wr_free(&wr);
    if (rc != MC_OK) {
        probe_describe_exchange(p->emsmdb, rc, &resp, exc, sizeof(exc));
        probe_step_fail(st, exc, "Execute (%s): %s", mapi_rop_name(reqs[0].rop_id), mc_emsmdb_strerror(rc));
        goto done;
    }
    if (out.rsp.status_code != 0 || out.rsp.error_code != 0) {
        snprintf(exc, sizeof(exc), "Execute StatusCode %u, ErrorCode 0x%08X", out.rsp.status_code,
                 out.rsp.error_code);
        probe_step_fail(st, exc, "Execute (%s): %s (0x%08X)", mapi_rop_name(reqs[0].rop_id),
                        probe_ec_name(out.rsp.error_code ? out.rsp.error_code : out.rsp.status_code),
                        out.rsp.error_code ? out.rsp.error_code : out.rsp.status_code);
        goto done;
    }
    for (i = 0; i < out.first.handle_count && i < PROBE_HANDLES; i++)
        p->handles[i] = mapi_ropbuf_handle(&out.first, i);
    mapi_rd_init(&rd, out.first.rops, out.first.rops_len);
    for (i = 0; i < n; i++) {
        mapi_rop_resp_ctx_t ctx;
        memset(&ctx, 0, sizeof(ctx));
        ctx.req = &reqs[i];
        ctx.rop_ctx = &p->ropctx;
        if (cols && cols[i]) {
            ctx.cols = cols[i]->tags;
            ctx.ncols = cols[i]->count;
        }
        if (mapi_rd_left(&rd) == 0) {
            probe_step_fail(st, "the ROP output buffer ended early", "%s: no response",
                            mapi_rop_name(reqs[i].rop_id));
            goto done;
        }
        if (mapi_rop_decode_resp(&rd, &p->arena, &ctx, &resps[k]) != 0) {
            probe_step_fail(st, "the ROP response did not decode", "%s: malformed response",
                            mapi_rop_name(reqs[i].rop_id));
            goto done;
        }
        if (resps[k].ret != 0) {
            snprintf(exc, sizeof(exc), "ReturnValue 0x%08X of %s in the Execute response", resps[k].ret,
                     mapi_rop_name(reqs[i].rop_id));
            probe_step_fail(st, exc, "%s: %s (0x%08X)", mapi_rop_name(reqs[i].rop_id), probe_ec_name(resps[k].ret),
                            resps[k].ret);
            goto done;
        }
        k++;
    }
    ret = 0;
done:
    mc_rop_result_free(&out);
    mc_response_free(&resp);
    return ret;
}

static void rop(mapi_rop_req_t *r, uint8_t id, uint8_t in_idx, uint8_t out_idx)
{
    memset(r, 0, sizeof(*r));
    r->rop_id = id;
    r->in_idx = in_idx;
    r->out_idx = out_idx;
}

int probe_connect(probe_t *p)
{
    probe_step_t *st = probe_step_begin(p, "Connect");
    mapi_connect_req_t req;
    mapi_connect_rsp_t rsp;
    mc_response_t resp;
    char exc[PROBE_TEXT];
    int rc, ret = -1;
    size_t i;

    p->emsmdb = probe_new_conn(p, p->mailstore_url);
    if (!p->emsmdb) {
        probe_step_fail(st, p->mailstore_url, "Connect: cannot set up a connection");
        return -1;
    }
    for (i = 0; i < PROBE_HANDLES; i++)
        p->handles[i] = 0xFFFFFFFFu;
    memset(&req, 0, sizeof(req));
    req.user_dn = p->legacy_dn;
    req.default_code_page = 1252;
    req.lcid_sort = req.lcid_string = 1033;
    memset(&rsp, 0, sizeof(rsp));
    mc_response_init(&resp);
    rc = mc_connect(p->emsmdb, &req, &resp, &rsp);
    if (rc != MC_OK) {
        probe_describe_exchange(p->emsmdb, rc, &resp, exc, sizeof(exc));
        probe_step_fail(st, exc, "Connect: %s", mc_emsmdb_strerror(rc));
    } else if (rsp.status_code != 0 || rsp.error_code != 0) {
        uint32_t ec = rsp.error_code ? rsp.error_code : rsp.status_code;
        snprintf(exc, sizeof(exc), "StatusCode %u, ErrorCode 0x%08X for UserDn %s", rsp.status_code,
                 rsp.error_code, p->legacy_dn);
        probe_step_fail(st, exc, "Connect: %s (0x%08X)", probe_ec_name(ec), ec);
    } else {
        probe_step_ok(st, "session for %s", rsp.display_name ? rsp.display_name : p->legacy_dn);
        ret = 0;
    }
    mapi_connect_rsp_free(&rsp);
    mc_response_free(&resp);
    return ret;
}

static int step_logon(probe_t *p)
{
    probe_step_t *st = probe_step_begin(p, "Logon");
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    rop(&r, ROP_LOGON, 0, 0);
    r.u.logon.logon_flags = MAPI_LOGON_PRIVATE;
    r.u.logon.open_flags = 0x0100040C; /* USE_PER_MDB_REPLID_MAPPING | NO_MAIL | TAKE_OWNERSHIP, as Outlook */
    r.u.logon.essdn.data = (uint8_t *)p->legacy_dn;
    r.u.logon.essdn.len = (uint32_t)strlen(p->legacy_dn) + 1;
    if (exec_rops(p, st, &r, 1, NULL, &resp) != 0)
        return -1;
    p->inbox_fid = resp.u.logon.folder_ids[INBOX_IDX];
    if (!p->inbox_fid) {
        probe_step_fail(st, "FolderIds[4] (Inbox) is 0 in the RopLogon response", "Logon: no Inbox folder id");
        return -1;
    }
    probe_step_ok(st, "private logon, Inbox fid 0x%016llx", (unsigned long long)p->inbox_fid);
    return 0;
}

static int step_open_inbox(probe_t *p)
{
    probe_step_t *st = probe_step_begin(p, "OpenFolder");
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    rop(&r, ROP_OPEN_FOLDER, 0, 1);
    r.u.open_folder.folder_id = p->inbox_fid;
    if (exec_rops(p, st, &r, 1, NULL, &resp) != 0)
        return -1;
    probe_step_ok(st, "Inbox opened");
    return 0;
}

static int step_contents_table(probe_t *p)
{
    probe_step_t *st = probe_step_begin(p, "GetContentsTable");
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    rop(&r, ROP_GET_CONTENTS_TABLE, 1, 2);
    if (exec_rops(p, st, &r, 1, NULL, &resp) != 0)
        return -1;
    probe_step_ok(st, "%u row(s)", resp.u.table.row_count);
    return 0;
}

static int step_query_rows(probe_t *p)
{
    static uint32_t tags[] = {TAG_FID, TAG_MID, TAG_SUBJECT};
    static const mapi_tagarray_t cols = {3, tags};
    const mapi_tagarray_t *colv[2] = {NULL, &cols};
    probe_step_t *st = probe_step_begin(p, "QueryRows");
    mapi_rop_req_t r[2];
    mapi_rop_resp_t resp[2];
    const mapi_rop_rows_t *rows;

    rop(&r[0], ROP_SET_COLUMNS, 2, 0);
    r[0].u.set_columns.tags = cols;
    rop(&r[1], ROP_QUERY_ROWS, 2, 0);
    r[1].u.query_rows.forward = 1;
    r[1].u.query_rows.count = 1;
    if (exec_rops(p, st, r, 2, colv, resp) != 0)
        return -1;
    rows = &resp[1].u.query_rows.rows;
    if (resp[1].u.query_rows.count == 0) {
        probe_step_ok(st, "SetColumns + QueryRows: the Inbox is empty");
        return 0;
    }
    if (!rows->vals || rows->ncols != 3 || rows->vals[0].tag != TAG_FID || rows->vals[1].tag != TAG_MID) {
        probe_step_fail(st, "the first row lacks PidTagFolderId/PidTagMid values",
                        "QueryRows: row without folder and message ids");
        return -1;
    }
    p->row_fid = (uint64_t)rows->vals[0].v.i64;
    p->row_mid = (uint64_t)rows->vals[1].v.i64;
    p->have_row = 1;
    probe_step_ok(st, "SetColumns + QueryRows: 1 row, mid 0x%016llx", (unsigned long long)p->row_mid);
    return 0;
}

static int step_read_message(probe_t *p)
{
    static uint32_t tags[] = {TAG_SUBJECT};
    probe_step_t *st = probe_step_begin(p, "OpenMessage");
    mapi_rop_req_t r[2];
    mapi_rop_resp_t resp[2];
    const mapi_propval_t *v;

    rop(&r[0], ROP_OPEN_MESSAGE, 1, 3);
    r[0].u.open_message.code_page = 0x0FFF; /* the logon's code page */
    r[0].u.open_message.folder_id = p->row_fid;
    r[0].u.open_message.message_id = p->row_mid;
    if (exec_rops(p, st, r, 1, NULL, resp) != 0)
        return -1;
    probe_step_ok(st, "message opened");

    st = probe_step_begin(p, "GetPropertiesSpecific");
    rop(&r[1], ROP_GET_PROPERTIES_SPECIFIC, 3, 0);
    r[1].u.get_props_specific.want_unicode = 1;
    r[1].u.get_props_specific.tags.count = 1;
    r[1].u.get_props_specific.tags.tags = tags;
    if (exec_rops(p, st, &r[1], 1, NULL, &resp[1]) != 0)
        return -1;
    v = resp[1].u.get_props_specific.row.vals;
    if (!v || resp[1].u.get_props_specific.row.ncols != 1) {
        probe_step_fail(st, "no property row in the response", "GetPropertiesSpecific: no values");
        return -1;
    }
    if (v[0].tag == TAG_SUBJECT)
        probe_step_ok(st, "subject \"%.200s\"", v[0].v.str ? v[0].v.str : "");
    else if ((v[0].tag & 0xFFFF) == 0x000A && v[0].v.err == MAPI_EC_NOT_FOUND)
        probe_step_ok(st, "the message has no subject");
    else
        probe_step_fail(st, "PidTagSubject came back with another type or an error",
                        "GetPropertiesSpecific: PidTagSubject %s (0x%08X)",
                        (v[0].tag & 0xFFFF) == 0x000A ? probe_ec_name(v[0].v.err) : "unexpected type",
                        (v[0].tag & 0xFFFF) == 0x000A ? v[0].v.err : v[0].tag);
    return 0;
}

/* Logon -> OpenFolder -> GetContentsTable -> QueryRows -> OpenMessage ->
 * GetPropertiesSpecific; after a failure the rest is reported as skipped. */
void probe_mailbox_steps(probe_t *p)
{
    static const char *const rest[] = {"Logon", "OpenFolder", "GetContentsTable", "QueryRows", "OpenMessage",
                                       "GetPropertiesSpecific"};
    int (*const steps[])(probe_t *) = {step_logon, step_open_inbox, step_contents_table, step_query_rows};
    char why[PROBE_TEXT];
    size_t i, j;

    mapi_arena_init(&p->arena, 64u << 20);
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i](p) != 0) {
            snprintf(why, sizeof(why), "not run: %s failed", rest[i]);
            for (j = i + 1; j < sizeof(rest) / sizeof(rest[0]); j++)
                probe_step_skip(p, rest[j], why);
            return;
        }
    if (!p->have_row) {
        probe_step_skip(p, "OpenMessage", "not run: the Inbox is empty");
        probe_step_skip(p, "GetPropertiesSpecific", "not run: the Inbox is empty");
        return;
    }
    step_read_message(p);
}

void probe_disconnect(probe_t *p)
{
    probe_step_t *st = probe_step_begin(p, "Disconnect");
    mapi_disconnect_rsp_t out;
    mc_response_t resp;
    char exc[PROBE_TEXT];
    int rc;

    memset(&out, 0, sizeof(out));
    mc_response_init(&resp);
    rc = mc_disconnect(p->emsmdb, NULL, &resp, &out);
    if (rc != MC_OK) {
        probe_describe_exchange(p->emsmdb, rc, &resp, exc, sizeof(exc));
        probe_step_fail(st, exc, "Disconnect: %s", mc_emsmdb_strerror(rc));
    } else if (out.status_code != 0 || out.error_code != 0) {
        snprintf(exc, sizeof(exc), "StatusCode %u, ErrorCode 0x%08X", out.status_code, out.error_code);
        probe_step_fail(st, exc, "Disconnect: %s", probe_ec_name(out.error_code ? out.error_code : out.status_code));
    } else {
        probe_step_ok(st, "session closed");
    }
    mc_response_free(&resp);
    mapi_arena_clear(&p->arena);
}
