/*
 * mh_nspi.c - the address book endpoint ([MS-OXCMAPIHTTP] 2.2.5): the glue
 * around the NSPI engine. Bind creates a session context (its code page is
 * kept there), Unbind ends it, every other request needs the context cookie
 * of its user. NSPI requests carry no object state, so they take no lock
 * and any number may run at once for one context.
 */
#include "mh_private.h"

#include "nspi_engine.h"

static int run_engine(mh_req_t *q, uint32_t codepage, nspi_engine_result_t *res, mapi_wr_t *wr)
{
    nspi_engine_ctx_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.store = mh_store(q);
    ctx.user = q->r->user;
    ctx.base_url = mh_internal_url(q);
    ctx.dn_prefix = MH_DN_PREFIX;
    ctx.codepage = codepage;
    memset(res, 0, sizeof(*res));
    mapi_wr_init(wr, 0);
    nspi_engine_handle(&ctx, q->request_type, q->body, q->body_len, wr, res);
    if (res->invalid_body) {
        mapi_wr_free(wr);
        mh_fail(q, MAPI_RC_INVALID_REQUEST_BODY,
                apr_psprintf(q->r->pool, "%s request body: %s", q->request_type, res->why));
        return -1;
    }
    apr_table_setn(q->r->notes, "mapihttp-nspi-error", apr_psprintf(q->r->pool, "0x%08X", res->error_code));
    if (res->error_code)
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, q->r, MHLOGNO(00501) "NSPI %s: ErrorCode 0x%08X %s",
                      q->request_type, res->error_code, res->why);
    return 0;
}

static int send_body(mh_req_t *q, mapi_wr_t *wr)
{
    if (!mapi_wr_ok(wr)) {
        mapi_wr_free(wr);
        return mh_fail(q, MAPI_RC_UNKNOWN_FAILURE, "response encoding failed");
    }
    mh_finish(q, wr->p, wr->len);
    mapi_wr_free(wr);
    return OK;
}

/* 2.2.5.1 Bind */
static int nspi_bind(mh_req_t *q)
{
    nspi_engine_result_t res;
    mhs_record_t rec;
    mapi_wr_t wr;
    uint8_t old[MHS_ID_LEN];
    mhs_rc_t rc;

    if (mh_need_table(q) != MAPI_RC_SUCCESS)
        return OK;
    if (run_engine(q, 0, &res, &wr) != 0)
        return OK;
    if (res.error_code == 0) {
        if (mh_read_cookie(q, MH_COOKIE_CONTEXT, old) == MAPI_RC_SUCCESS)
            mhs_destroy(mh_sessions(), old, q->r->user); /* a re-Bind replaces the old context */
        rc = mhs_create(mh_sessions(), MHS_KIND_NSPI, q->r->user, "", res.bind_codepage, mhs_now_ms(), &rec);
        if (rc != MHS_OK) {
            mapi_wr_free(&wr);
            return mh_session_fail(q, rc == MHS_USER_LIMIT || rc == MHS_FULL ? MHS_SYSTEM : rc);
        }
        mh_set_session_cookies(q, &rec);
    }
    return send_body(q, &wr);
}

/* Any NSPI request after Bind: the context must exist and be the user's. */
static int nspi_in_session(mh_req_t *q)
{
    nspi_engine_result_t res;
    mhs_record_t rec;
    mapi_wr_t wr;
    uint8_t id[MHS_ID_LEN];
    mhs_rc_t rc;
    int r, unbind = strcmp(q->request_type, "Unbind") == 0;

    if ((r = mh_read_cookie(q, MH_COOKIE_CONTEXT, id)) != MAPI_RC_SUCCESS)
        return mh_fail(q, r, apr_psprintf(q->r->pool, "%s without a valid " MH_COOKIE_CONTEXT " cookie",
                                          q->request_type));
    if (mh_need_table(q) != MAPI_RC_SUCCESS)
        return OK;
    rc = mhs_touch(mh_sessions(), id, q->r->user, mhs_now_ms(), &rec);
    if (rc != MHS_OK)
        return mh_session_fail(q, rc);
    if (rec.kind != MHS_KIND_NSPI)
        return mh_fail(q, MAPI_RC_CONTEXT_NOT_FOUND, "the cookie names a mailbox (emsmdb) context, not an address book one");
    if (run_engine(q, rec.codepage, &res, &wr) != 0)
        return OK;
    if (unbind) {
        mhs_destroy(mh_sessions(), id, q->r->user);
        mh_clear_session_cookies(q);
    }
    return send_body(q, &wr);
}

int mh_nspi_dispatch(mh_req_t *q)
{
    if (strcmp(q->request_type, "Bind") == 0)
        return nspi_bind(q);
    return nspi_in_session(q);
}
