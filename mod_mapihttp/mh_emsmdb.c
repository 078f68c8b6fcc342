/*
 * mh_emsmdb.c - the mailbox endpoint's request types ([MS-OXCMAPIHTTP] 2.2.4,
 * server rules 3.2.5): Connect, Execute, Disconnect, NotificationWait.
 * Bodies are decoded/encoded by libmapicodec, ROPs run in libmapiengine,
 * session contexts live in the shared table (mh_session.c).
 */
#include "mh_private.h"

#include "http_protocol.h"

#include "mapi_aux.h"
#include "mapi_emsmdb.h"
#include "mapi_engine.h"
#include "mapistore.h"

#include <stdlib.h>

/* Connect response values ([MS-OXCRPC] 3.1.4.1 pcmsPollsMax, pcRetry,
 * pcmsRetryDelay), as Exchange announces them. */
#define MH_POLLS_MAX_MS 60000
#define MH_RETRY_COUNT 6
#define MH_RETRY_DELAY_MS 10000

/* Writes a finished codec buffer as the response body and frees it. */
static int finish_wr(mh_req_t *q, mapi_wr_t *wr)
{
    if (!mapi_wr_ok(wr)) {
        mapi_wr_free(wr);
        return mh_fail(q, MAPI_RC_UNKNOWN_FAILURE, "response encoding failed (out of memory)");
    }
    mh_finish(q, wr->p, wr->len);
    apr_table_setn(q->r->notes, "mapihttp-bytes-out", apr_psprintf(q->r->pool, "%" APR_SIZE_T_FMT, wr->len));
    mapi_wr_free(wr);
    return OK;
}

static int bad_body(mh_req_t *q, const char *what, int rc)
{
    return mh_fail(q, MAPI_RC_INVALID_REQUEST_BODY,
                   apr_psprintf(q->r->pool, "%s request body: %s", what, mapi_emsmdb_strerror(rc)));
}

/* Parses and logs the auxiliary buffer; a malformed one is an invalid body. */
static int check_aux(mh_req_t *q, const mapi_blob_t *aux)
{
    mapi_aux_t parsed;
    char summary[512];
    int rc = mapi_aux_parse(aux->p, aux->len, &parsed);
    if (rc != 0)
        return mh_fail(q, MAPI_RC_INVALID_REQUEST_BODY,
                       apr_psprintf(q->r->pool, "auxiliary buffer: %s", mapi_aux_strerror(rc)));
    if (parsed.nblocks) {
        mapi_aux_summary(&parsed, summary, sizeof(summary));
        apr_table_setn(q->r->notes, "mapihttp-aux", apr_pstrdup(q->r->pool, summary));
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, q->r, MHLOGNO(00301) "aux: %s", summary);
    }
    mapi_aux_free(&parsed);
    return MAPI_RC_SUCCESS;
}

/* The MailboxId query argument of the endpoint URL (…/?MailboxId=guid@domain). */
static const char *mailbox_id(request_rec *r)
{
    const char *a = r->args, *p;
    size_t n;
    while (a && *a) {
        if (strncasecmp(a, "MailboxId=", 10) == 0) {
            p = a + 10;
            n = strcspn(p, "&");
            return apr_pstrndup(r->pool, p, n);
        }
        a = strchr(a, '&');
        if (a)
            a++;
    }
    return "";
}

static int connect_failure(mh_req_t *q, uint32_t ec, const char *why)
{
    mapi_connect_rsp_t rsp;
    mapi_wr_t wr;
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, q->r, MHLOGNO(00302) "Connect for %s refused (ec 0x%08X): %s",
                  q->r->user, ec, why);
    memset(&rsp, 0, sizeof(rsp));
    rsp.error_code = ec;
    rsp.dn_prefix = "";
    rsp.display_name = "";
    mapi_wr_init(&wr, 0);
    mapi_connect_rsp_encode(&wr, &rsp);
    return finish_wr(q, &wr);
}

/* 2.2.4.1 Connect: creates a session context for the authenticated user. */
int mh_emsmdb_connect(mh_req_t *q)
{
    mapi_connect_req_t req;
    mapi_connect_rsp_t rsp;
    mhs_record_t rec;
    mhs_rc_t rc;
    mapi_wr_t wr, aux;
    uint8_t old[MHS_ID_LEN];
    ms_mailbox_info_t mbx;
    char guid[37];
    const char *why = "";
    uint32_t ec;
    int r = mapi_connect_req_decode(q->body, q->body_len, &req);

    if (r != MAPI_EMSMDB_OK)
        return bad_body(q, "Connect", r);
    if (check_aux(q, &req.aux) != MAPI_RC_SUCCESS)
        return OK;
    if (mh_need_table(q) != MAPI_RC_SUCCESS)
        return OK;
    ec = mh_resolve_mailbox(q, mailbox_id(q->r), &mbx, &why);
    if (ec != MAPI_EC_SUCCESS)
        return connect_failure(q, ec, why);
    mh_guid_text(mbx.guid.b, guid);
    /* A reconnect: the client's previous context of the same user goes. */
    if (mh_read_cookie(q, MH_COOKIE_CONTEXT, old) == MAPI_RC_SUCCESS)
        mhs_destroy(mh_sessions(), old, q->r->user);
    rc = mhs_create(mh_sessions(), MHS_KIND_EMSMDB, q->r->user, guid, req.default_code_page,
                    mhs_now_ms(), &rec);
    if (rc == MHS_USER_LIMIT || rc == MHS_FULL)
        return connect_failure(q, MAPI_EC_SERVER_OOM,
                               rc == MHS_USER_LIMIT ? "MapiHttpMaxSessionsPerUser reached"
                                                    : "MapiHttpMaxSessions reached");
    if (rc != MHS_OK)
        return mh_session_fail(q, rc);
    mh_set_session_cookies(q, &rec);
    apr_table_setn(q->r->notes, "mapihttp-mailbox", apr_pstrdup(q->r->pool, guid));
    memset(&rsp, 0, sizeof(rsp));
    rsp.max_polling_interval = MH_POLLS_MAX_MS;
    rsp.retry_count = MH_RETRY_COUNT;
    rsp.retry_delay = MH_RETRY_DELAY_MS;
    rsp.dn_prefix = MH_DN_PREFIX;
    rsp.display_name = mbx.display_name[0] ? mbx.display_name : q->r->user;
    mapi_wr_init(&aux, 0);
    mapi_aux_encode_server(&aux, 0, 0); /* no packed buffers offered */
    rsp.aux.p = aux.p;
    rsp.aux.len = (uint32_t)aux.len;
    mapi_wr_init(&wr, 0);
    mapi_connect_rsp_encode(&wr, &rsp);
    mapi_wr_free(&aux);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, q->r, MHLOGNO(00303) "Connect: session %s for %s, mailbox %s, code page %u",
                  apr_table_get(q->r->notes, "mapihttp-session"), q->r->user, rec.mailbox, req.default_code_page);
    return finish_wr(q, &wr);
}

static void progress_tick(void *arg) { mh_pending_tick(arg); }

/* 2.2.4.2 Execute: ROPs on the session's objects, one request at a time. */
int mh_emsmdb_execute(mh_req_t *q)
{
    mapi_execute_req_t req;
    mapi_execute_rsp_t rsp;
    mapi_execute_result_t res;
    mapi_engine_ctx_t ctx;
    mapi_objtab_t objs;
    mhs_record_t rec;
    mapi_wr_t wr, state;
    uint8_t id[MHS_ID_LEN], seq[MHS_ID_LEN];
    uint64_t token;
    void *blob;
    size_t blob_len;
    mhs_rc_t rc;
    int r;

    if ((r = mh_read_cookie(q, MH_COOKIE_CONTEXT, id)) != MAPI_RC_SUCCESS)
        return mh_fail(q, r, "Execute without a valid " MH_COOKIE_CONTEXT " cookie");
    if ((r = mh_read_cookie(q, MH_COOKIE_SEQUENCE, seq)) != MAPI_RC_SUCCESS)
        return mh_fail(q, r == MAPI_RC_MISSING_COOKIE ? r : MAPI_RC_INVALID_SEQUENCE,
                       "Execute without a valid " MH_COOKIE_SEQUENCE " cookie");
    r = mapi_execute_req_decode(q->body, q->body_len, &req);
    if (r != MAPI_EMSMDB_OK)
        return bad_body(q, "Execute", r);
    if (check_aux(q, &req.aux) != MAPI_RC_SUCCESS || mh_need_table(q) != MAPI_RC_SUCCESS)
        return OK;
    rc = mhs_begin(mh_sessions(), id, q->r->user, seq, mhs_now_ms(), &rec, &token, &blob, &blob_len);
    if (rc != MHS_OK)
        return mh_session_fail(q, rc);
    mh_set_session_cookies(q, &rec);
    apr_table_setn(q->r->notes, "mapihttp-mailbox", apr_pstrdup(q->r->pool, rec.mailbox));
    mh_begin(q, 1); /* PROCESSING now; PENDING while the ROPs run */
    if (mapi_objtab_load(&objs, blob, blob_len) != 0)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, q->r, MHLOGNO(00304) "session state unreadable: handles reset");
    free(blob);

    memset(&ctx, 0, sizeof(ctx));
    ctx.user = q->r->user;
    ctx.mailbox = rec.mailbox;
    ctx.store = mh_store(q);
    ctx.codepage = rec.codepage;
    ctx.progress = progress_tick;
    ctx.progress_arg = q;
    mapi_engine_execute(&ctx, &objs, req.rop_buffer.p, req.rop_buffer.len, req.flags, req.max_rop_out, &res);
    if (res.error_code != MAPI_EC_SUCCESS)
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, q->r, MHLOGNO(00305) "Execute: ErrorCode 0x%08X: %s",
                      res.error_code, res.why);
    apr_table_setn(q->r->notes, "mapihttp-rops", apr_pstrdup(q->r->pool, res.rop_names));
    apr_table_setn(q->r->notes, "mapihttp-rop-count", apr_psprintf(q->r->pool, "%u", res.rops_in));

    mapi_wr_init(&state, 0);
    mapi_objtab_save(&objs, &state);
    mapi_objtab_free(&objs);
    rc = mhs_end(mh_sessions(), id, token, state.p, state.len, mapi_wr_ok(&state), mhs_now_ms());
    if (rc != MHS_OK && rc != MHS_NOT_FOUND) {
        /* The open objects could not be kept: tell the client rather than
         * answer ROPs whose handles are gone at the next request. */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, q->r, MHLOGNO(00306) "storing session state (%" APR_SIZE_T_FMT
                      " bytes): %s", state.len, mhs_strerror(rc));
        mapi_execute_result_free(&res);
        res.error_code = MAPI_EC_SERVER_OOM;
    }

    mapi_wr_free(&state);
    memset(&rsp, 0, sizeof(rsp));
    rsp.error_code = res.error_code;
    rsp.rop_buffer.p = res.rop_buffer;
    rsp.rop_buffer.len = (uint32_t)res.rop_buffer_len;
    mapi_wr_init(&wr, 0);
    mapi_execute_rsp_encode(&wr, &rsp);
    mapi_execute_result_free(&res);
    return finish_wr(q, &wr);
}

/* 2.2.4.3 Disconnect: ends the session context. */
int mh_emsmdb_disconnect(mh_req_t *q)
{
    mapi_disconnect_req_t req;
    mapi_disconnect_rsp_t rsp;
    mapi_wr_t wr;
    uint8_t id[MHS_ID_LEN];
    mhs_rc_t rc;
    int r;

    if ((r = mh_read_cookie(q, MH_COOKIE_CONTEXT, id)) != MAPI_RC_SUCCESS)
        return mh_fail(q, r, "Disconnect without a valid " MH_COOKIE_CONTEXT " cookie");
    r = mapi_disconnect_req_decode(q->body, q->body_len, &req);
    if (r != MAPI_EMSMDB_OK)
        return bad_body(q, "Disconnect", r);
    if (check_aux(q, &req.aux) != MAPI_RC_SUCCESS || mh_need_table(q) != MAPI_RC_SUCCESS)
        return OK;
    rc = mhs_destroy(mh_sessions(), id, q->r->user);
    if (rc != MHS_OK)
        return mh_session_fail(q, rc);
    mh_clear_session_cookies(q);
    memset(&rsp, 0, sizeof(rsp));
    mapi_wr_init(&wr, 0);
    mapi_disconnect_rsp_encode(&wr, &rsp);
    return finish_wr(q, &wr);
}

/* 2.2.4.4 NotificationWait: held until an event is pending for the context
 * or the wait time ends, with PENDING every X-PendingPeriod meanwhile. */
int mh_emsmdb_notification_wait(mh_req_t *q)
{
    mapi_notifwait_req_t req;
    mapi_notifwait_rsp_t rsp;
    mapi_wr_t wr;
    mhs_record_t rec;
    uint8_t id[MHS_ID_LEN];
    apr_time_t deadline;
    unsigned period = (unsigned)mh_conf_pending_period(q->dconf);
    int pending = 0, r;
    mhs_rc_t rc;

    if ((r = mh_read_cookie(q, MH_COOKIE_CONTEXT, id)) != MAPI_RC_SUCCESS)
        return mh_fail(q, r, "NotificationWait without a valid " MH_COOKIE_CONTEXT " cookie");
    r = mapi_notifwait_req_decode(q->body, q->body_len, &req);
    if (r != MAPI_EMSMDB_OK)
        return bad_body(q, "NotificationWait", r);
    if (check_aux(q, &req.aux) != MAPI_RC_SUCCESS || mh_need_table(q) != MAPI_RC_SUCCESS)
        return OK;
    rc = mhs_touch(mh_sessions(), id, q->r->user, mhs_now_ms(), &rec);
    if (rc != MHS_OK)
        return mh_session_fail(q, rc);
    mh_begin(q, 1);
    mh_status_notify_held(1);
    deadline = apr_time_now() + apr_time_from_sec(mh_conf_notify_wait(q->dconf));
    for (;;) {
        apr_time_t now = apr_time_now(), left = deadline - now;
        unsigned slice;
        if ((rc = mhs_events_pending(mh_sessions(), id, &pending)) != MHS_OK || pending || left <= 0)
            break;
        if (mh_stopping()) {
            mh_status_notify_held(-1);
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, q->r, MHLOGNO(00309) "NotificationWait: ended, the server is stopping");
            mhs_touch(mh_sessions(), id, q->r->user, mhs_now_ms(), &rec);
            return mh_finish_error(q, MAPI_RC_ENDPOINT_SHUTTING_DOWN, "the server is shutting down; wait again");
        }
        if (q->r->connection->aborted) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, q->r, MHLOGNO(00307) "NotificationWait: client went away");
            break;
        }
        slice = (unsigned)apr_time_as_msec(left);
        if (slice > period)
            slice = period;
        mhs_wait_event(mh_sessions(), id, slice ? slice : 1);
        mh_pending_tick(q);
    }
    mh_status_notify_held(-1);
    if (rc != MHS_OK && rc != MHS_NOT_FOUND)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, q->r, MHLOGNO(00308) "NotificationWait: %s: %s",
                      mhs_strerror(rc), mhs_last_error(mh_sessions()));
    /* keep the context alive for the whole wait */
    mhs_touch(mh_sessions(), id, q->r->user, mhs_now_ms(), &rec);
    if (rc == MHS_NOT_FOUND) /* disconnected meanwhile */
        return mh_finish_error(q, MAPI_RC_CONTEXT_NOT_FOUND, "session context ended during the wait");
    memset(&rsp, 0, sizeof(rsp));
    rsp.event_pending = pending ? 1 : 0;
    mapi_wr_init(&wr, 0);
    mapi_notifwait_rsp_encode(&wr, &rsp);
    return finish_wr(q, &wr);
}

/* PING with a context cookie keeps that context alive (errors ignored:
 * PING itself needs no context). */
void mh_ping_touch(mh_req_t *q)
{
    uint8_t id[MHS_ID_LEN];
    mhs_record_t rec;
    if (mh_sessions() && mh_read_cookie(q, MH_COOKIE_CONTEXT, id) == MAPI_RC_SUCCESS)
        mhs_touch(mh_sessions(), id, q->r->user, mhs_now_ms(), &rec);
}
