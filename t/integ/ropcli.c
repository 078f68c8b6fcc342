/* ropcli.c - see ropcli.h */
#include "ropcli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ropcli_user_dn(const char *user)
{
    static char dn[256];
    snprintf(dn, sizeof(dn), "/o=mod_mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=%s",
             user);
    return dn;
}

/* Kerberos credentials are the process's (KRB5CCNAME): a test that runs
 * two users switches them before each request. */
static void use_creds(const ropcli_t *rc)
{
    char var[96];
    const char *cc;
    snprintf(var, sizeof(var), "MH_CCACHE_%s", rc->user);
    if ((cc = getenv(var)) != NULL)
        setenv("KRB5CCNAME", cc, 1);
}

int ropcli_open(ropcli_t *rc, const char *user)
{
    return ropcli_open_mailbox(rc, user, user);
}

int ropcli_open_mailbox(ropcli_t *rc, const char *user, const char *owner)
{
    char url[512], var[64];
    const char *base = getenv("MH_BASE_URL"), *mbx, *cc;
    mapi_connect_req_t req;
    mapi_connect_rsp_t rsp;
    mc_response_t resp;
    int r;
    size_t i;

    memset(rc, 0, sizeof(*rc));
    snprintf(rc->user, sizeof(rc->user), "%s", user);
    snprintf(rc->owner, sizeof(rc->owner), "%s", owner);
    snprintf(var, sizeof(var), "MH_MAILBOX_%s", owner);
    mbx = getenv(var);
    snprintf(var, sizeof(var), "MH_CCACHE_%s", user);
    cc = getenv(var);
    if (!base || !mbx || !cc)
        return -1;
    setenv("KRB5CCNAME", cc, 1);
    snprintf(url, sizeof(url), "%s/mapi/emsmdb/?MailboxId=%s@%s", base, mbx, getenv("MH_DOMAIN"));
    rc->conn = mc_conn_new(url);
    if (!rc->conn)
        return -1;
    mc_conn_set_auth(rc->conn, MC_AUTH_NEGOTIATE, NULL, NULL);
    mc_conn_set_tls(rc->conn, getenv("MH_CACERT"), 0);
    mc_conn_set_timeouts(rc->conn, 10000, 120000);
    mapi_arena_init(&rc->arena, 256u << 20);
    for (i = 0; i < ROPCLI_HANDLES; i++)
        rc->handles[i] = 0xFFFFFFFFu;
    rc->nh = 16;
    memset(&req, 0, sizeof(req));
    req.user_dn = ropcli_user_dn(user);
    req.default_code_page = 1252;
    req.lcid_sort = req.lcid_string = 1033;
    mc_response_init(&resp);
    memset(&rsp, 0, sizeof(rsp));
    r = mc_connect(rc->conn, &req, &resp, &rsp);
    rc->error_code = r == MC_OK ? rsp.error_code : 0xFFFFFFFFu;
    r = (r == MC_OK && rsp.status_code == 0 && rsp.error_code == 0) ? 0 : -1;
    mapi_connect_rsp_free(&rsp);
    mc_response_free(&resp);
    return r;
}

void ropcli_close(ropcli_t *rc)
{
    if (rc->conn) {
        mc_response_t resp;
        mapi_disconnect_rsp_t out;
        use_creds(rc);
        mc_response_init(&resp);
        mc_disconnect(rc->conn, NULL, &resp, &out);
        mc_response_free(&resp);
        mc_conn_free(rc->conn);
    }
    mapi_arena_clear(&rc->arena);
    rc->conn = NULL;
}

int ropcli_exec(ropcli_t *rc, const mapi_rop_req_t *reqs, size_t n, const mapi_tagarray_t *const *cols,
                mapi_rop_resp_t *resps, size_t *nresp)
{
    mapi_wr_t wr;
    mc_response_t resp;
    mc_rop_result_t out;
    mapi_rd_t rd;
    size_t i, k = 0;
    int r;

    *nresp = 0;
    mapi_wr_init(&wr, 0);
    for (i = 0; i < n; i++)
        if (mapi_rop_encode_req(&wr, &rc->ropctx, &reqs[i]) != 0) {
            mapi_wr_free(&wr);
            return -1;
        }
    use_creds(rc);
    mc_response_init(&resp);
    memset(&out, 0, sizeof(out));
    r = mc_execute_rops(rc->conn, 0, wr.p, wr.len, rc->handles, rc->nh, 0x10000, &resp, &out);
    mapi_wr_free(&wr);
    rc->error_code = out.rsp.error_code;
    if (r != MC_OK || out.rsp.error_code != 0) {
        mc_rop_result_free(&out);
        mc_response_free(&resp);
        return -1;
    }
    for (i = 0; i < out.first.handle_count && i < ROPCLI_HANDLES; i++)
        rc->handles[i] = mapi_ropbuf_handle(&out.first, i);
    mapi_rd_init(&rd, out.first.rops, out.first.rops_len);
    for (i = 0; i < n && mapi_rd_left(&rd) > 0; i++) {
        mapi_rop_resp_ctx_t ctx;
        if (reqs[i].rop_id == ROP_RELEASE)
            continue;
        memset(&ctx, 0, sizeof(ctx));
        ctx.req = &reqs[i];
        ctx.rop_ctx = &rc->ropctx;
        if (cols && cols[i]) {
            ctx.cols = cols[i]->tags;
            ctx.ncols = cols[i]->count;
        }
        if (mapi_rop_decode_resp(&rd, &rc->arena, &ctx, &resps[k]) != 0)
            break;
        k++;
    }
    *nresp = k;
    mc_rop_result_free(&out);
    mc_response_free(&resp);
    return 0;
}

int ropcli_logon(ropcli_t *rc, uint8_t out_idx, mapi_rop_resp_t *resp)
{
    mapi_rop_req_t req;
    size_t n;
    const char *dn = ropcli_user_dn(rc->owner[0] ? rc->owner : rc->user);
    memset(&req, 0, sizeof(req));
    req.rop_id = ROP_LOGON;
    req.out_idx = out_idx;
    req.u.logon.logon_flags = MAPI_LOGON_PRIVATE;
    req.u.logon.open_flags = 0x0100040C; /* as Outlook sends ([MS-OXODLGT] 4.1.1) */
    req.u.logon.essdn.data = (uint8_t *)dn;
    req.u.logon.essdn.len = (uint32_t)strlen(dn) + 1;
    if (ropcli_exec(rc, &req, 1, NULL, resp, &n) != 0 || n != 1)
        return -1;
    return resp->ret == 0 ? 0 : -1;
}
