/*
 * mh_session.c - session contexts in the Apache glue: the shared table (one
 * handle per process, opened in child_init), the MapiContext / MapiSequence
 * cookies ([MS-OXCMAPIHTTP] 3.1.5.1, 3.2.5.x) and the mapping of table
 * results to X-ResponseCode values.
 */
#include "mh_private.h"

#include "http_protocol.h"
#include "unixd.h"
#include "util_cookies.h"

#include <unistd.h>

static mhs_table_t *mh_table;  /* this process's handle */
static const char *mh_table_dir;
static char mh_table_err[256];

/* The main server's settings govern the one table of the instance. */
static const mh_server_conf *main_conf(server_rec *s)
{
    while (s->next && s->is_virtual)
        s = s->next;
    return ap_get_module_config(s->module_config, &mapihttp_module);
}

static const char *table_dir(apr_pool_t *p, const mh_server_conf *c)
{
    return c->session_dir ? c->session_dir : ap_runtime_dir_relative(p, "mapihttp-sessions");
}

int mh_session_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    const char *dir = table_dir(pconf, main_conf(s));
    apr_status_t rv = apr_dir_make_recursive(dir, APR_FPROT_OS_DEFAULT, ptemp);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, MHLOGNO(00201) "cannot create MapiHttpSessionDir %s", dir);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    /* Children open the table after dropping privileges: let them write. */
    if (geteuid() == 0 && chown(dir, ap_unixd_config.user_id, ap_unixd_config.group_id) != 0)
        ap_log_error(APLOG_MARK, APLOG_WARNING, errno, s, MHLOGNO(00202) "cannot chown %s to the server user", dir);
    return OK;
}

static mhs_limits_t limits_of(const mh_server_conf *c)
{
    mhs_limits_t l;
    memset(&l, 0, sizeof(l));
    l.max_sessions = c->max_sessions == MH_UNSET ? MH_DEFAULT_MAX_SESSIONS : (size_t)c->max_sessions;
    l.per_user = c->sessions_per_user == MH_UNSET ? MH_DEFAULT_SESSIONS_PER_USER : (size_t)c->sessions_per_user;
    l.idle_timeout_ms = 1000u * (uint64_t)mh_session_timeout(c);
    l.state_budget = MH_SESSION_STATE_BUDGET;
    return l;
}

void mh_session_child_init(apr_pool_t *p, server_rec *s)
{
    const mh_server_conf *c = main_conf(s);
    mhs_limits_t l = limits_of(c);
    mh_table_dir = table_dir(p, c);
    /* Opened after fork, never inherited ([LMDB] rule). */
    if (mhs_open(mh_table_dir, &l, &mh_table, mh_table_err, sizeof(mh_table_err)) != MHS_OK) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, MHLOGNO(00203) "session table unavailable: %s", mh_table_err);
        mh_table = NULL;
    }
}

mhs_table_t *mh_sessions(void) { return mh_table; }

int mh_session_timeout(const mh_server_conf *c)
{
    return c->session_timeout_s == MH_UNSET ? MH_DEFAULT_SESSION_TIMEOUT_S : c->session_timeout_s;
}

/* Path of the cookies: the endpoint's URL path, e.g. /mapi/emsmdb/. */
static const char *cookie_path(request_rec *r)
{
    const char *u = r->uri;
    size_t n = strlen(u);
    return (n && u[n - 1] == '/') ? u : apr_pstrcat(r->pool, u, "/", NULL);
}

void mh_set_session_cookies(mh_req_t *q, const mhs_record_t *rec)
{
    request_rec *r = q->r;
    char ctx[2 * MHS_ID_LEN + 1], seq[2 * MHS_ID_LEN + 1];
    const char *attrs = apr_psprintf(r->pool, "Path=%s; Secure; HttpOnly", cookie_path(r));
    mhs_id_to_hex(rec->id, ctx);
    mhs_id_to_hex(rec->seq, seq);
    apr_table_addn(r->err_headers_out, "Set-Cookie",
                   apr_psprintf(r->pool, "%s=%s; %s", MH_COOKIE_CONTEXT, ctx, attrs));
    apr_table_addn(r->err_headers_out, "Set-Cookie",
                   apr_psprintf(r->pool, "%s=%s; %s", MH_COOKIE_SEQUENCE, seq, attrs));
    apr_table_setn(r->notes, "mapihttp-session", apr_pstrdup(r->pool, ctx));
}

void mh_clear_session_cookies(mh_req_t *q)
{
    request_rec *r = q->r;
    const char *attrs =
        apr_psprintf(r->pool, "Path=%s; Secure; HttpOnly; Expires=Thu, 01 Jan 1970 00:00:00 GMT", cookie_path(r));
    apr_table_addn(r->err_headers_out, "Set-Cookie", apr_psprintf(r->pool, "%s=; %s", MH_COOKIE_CONTEXT, attrs));
    apr_table_addn(r->err_headers_out, "Set-Cookie", apr_psprintf(r->pool, "%s=; %s", MH_COOKIE_SEQUENCE, attrs));
}

/* Reads a cookie: 0 and id when present and well-formed; else the
 * X-ResponseCode (13 Missing Cookie, 6 Invalid Context Cookie). */
int mh_read_cookie(mh_req_t *q, const char *name, uint8_t id[MHS_ID_LEN])
{
    const char *v = NULL;
    if (ap_cookie_read(q->r, name, &v, 0) != APR_SUCCESS || !v || !*v)
        return MAPI_RC_MISSING_COOKIE;
    if (mhs_id_from_hex(v, id) != 0)
        return MAPI_RC_INVALID_CONTEXT_COOKIE;
    return MAPI_RC_SUCCESS;
}

/* Table result -> X-ResponseCode (2.2.3.3.3). */
int mh_session_rc(mhs_rc_t rc)
{
    switch (rc) {
    case MHS_OK: return MAPI_RC_SUCCESS;
    case MHS_NOT_FOUND: return MAPI_RC_CONTEXT_NOT_FOUND;
    case MHS_NO_PRIVILEGE: return MAPI_RC_NO_PRIVILEGE;
    case MHS_BAD_SEQUENCE:
    case MHS_BUSY: return MAPI_RC_INVALID_SEQUENCE;
    default: return MAPI_RC_UNKNOWN_FAILURE;
    }
}

int mh_session_fail(mh_req_t *q, mhs_rc_t rc)
{
    const char *why = apr_psprintf(q->r->pool, "session context: %s%s%s", mhs_strerror(rc),
                                   rc == MHS_SYSTEM ? ": " : "",
                                   rc == MHS_SYSTEM && mh_table ? mhs_last_error(mh_table) : "");
    if (rc == MHS_NO_PRIVILEGE)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, q->r,
                      MHLOGNO(00204) "user %s presented a session context cookie of another user", q->r->user);
    return mh_fail(q, mh_session_rc(rc), why);
}

/* The table, or a failure answer when this process has none. */
int mh_need_table(mh_req_t *q)
{
    if (mh_table)
        return MAPI_RC_SUCCESS;
    mh_fail(q, MAPI_RC_UNKNOWN_FAILURE,
            apr_psprintf(q->r->pool, "session table unavailable (%s): see the error log", mh_table_err));
    return MAPI_RC_UNKNOWN_FAILURE;
}
