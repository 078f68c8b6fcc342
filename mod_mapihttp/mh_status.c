/*
 * mh_status.c - what mod_status shows (ExtendedStatus): live session
 * contexts, requests by type, answers by X-ResponseCode, NotificationWaits
 * held now. The counters live in the shared session directory, so the page
 * adds up every child process of every generation.
 */
#include "mh_private.h"

#include "http_protocol.h"
#include "mod_status.h"

/* Counter layout (mhs_counter_*): */
#define C_TYPE(i) (i)            /* 0..39: requests by request type */
#define C_CODE(rc) (40 + (rc))   /* 40..58: answers by X-ResponseCode */
#define C_NOTIFY_HELD 64         /* gauge */
#define C_TOTAL 65

void mh_status_notify_held(int delta)
{
    mhs_counter_add(mh_sessions(), C_NOTIFY_HELD, delta);
}

/* Counts each MAPI/HTTP request once it is answered. */
static int mh_status_log(request_rec *r)
{
    const char *type, *code;
    int i;
    if (!r->handler || strcmp(r->handler, "mapihttp") != 0 || !mh_sessions())
        return DECLINED;
    type = apr_table_get(r->notes, "mapihttp-request-type");
    code = apr_table_get(r->notes, "mapihttp-response-code");
    mhs_counter_add(mh_sessions(), C_TOTAL, 1);
    if ((i = mh_request_type_index(type)) >= 0)
        mhs_counter_add(mh_sessions(), C_TYPE(i), 1);
    if (code && (i = atoi(code)) >= 0 && i <= MAPI_RC_MAX_)
        mhs_counter_add(mh_sessions(), C_CODE(i), 1);
    return DECLINED;
}

static int mh_status_hook(request_rec *r, int flags)
{
    mhs_table_t *t = mh_sessions();
    mhs_stats_t st;
    int i, short_report = flags & AP_STATUS_SHORT;

    if (!t)
        return OK;
    mhs_stats(t, &st);
    if (short_report) {
        ap_rprintf(r, "MapiHttpSessions: %" APR_SIZE_T_FMT "\nMapiHttpSessionBytes: %" APR_SIZE_T_FMT "\nMapiHttpRequests: %" APR_UINT64_T_FMT
                      "\nMapiHttpNotificationWaitsHeld: %" APR_UINT64_T_FMT "\n",
                   st.sessions, st.bytes_used, mhs_counter_get(t, C_TOTAL), mhs_counter_get(t, C_NOTIFY_HELD));
        for (i = 0; mh_request_type_at(i); i++)
            ap_rprintf(r, "MapiHttpRequests%s: %" APR_UINT64_T_FMT "\n", mh_request_type_at(i),
                       mhs_counter_get(t, C_TYPE(i)));
        for (i = 0; i <= MAPI_RC_MAX_; i++)
            ap_rprintf(r, "MapiHttpResponseCode%d: %" APR_UINT64_T_FMT "\n", i, mhs_counter_get(t, C_CODE(i)));
        return OK;
    }
    ap_rputs("<hr />\n<h2>mod_mapihttp</h2>\n<dl>\n", r);
    ap_rprintf(r, "<dt>Live session contexts: %" APR_SIZE_T_FMT " (%" APR_SIZE_T_FMT " bytes of shared table, %" APR_SIZE_T_FMT " of object state)</dt>\n",
               st.sessions, st.bytes_used, st.state_bytes);
    ap_rprintf(r, "<dt>NotificationWait requests held now: %" APR_UINT64_T_FMT "</dt>\n",
               mhs_counter_get(t, C_NOTIFY_HELD));
    ap_rprintf(r, "<dt>Requests answered: %" APR_UINT64_T_FMT "</dt>\n</dl>\n", mhs_counter_get(t, C_TOTAL));
    ap_rputs("<table border=\"1\"><tr><th>request type</th><th>count</th></tr>\n", r);
    for (i = 0; mh_request_type_at(i); i++)
        if (mhs_counter_get(t, C_TYPE(i)))
            ap_rprintf(r, "<tr><td>%s</td><td>%" APR_UINT64_T_FMT "</td></tr>\n", mh_request_type_at(i),
                       mhs_counter_get(t, C_TYPE(i)));
    ap_rputs("</table>\n<table border=\"1\"><tr><th>X-ResponseCode</th><th>count</th></tr>\n", r);
    for (i = 0; i <= MAPI_RC_MAX_; i++)
        if (mhs_counter_get(t, C_CODE(i)))
            ap_rprintf(r, "<tr><td>%d %s</td><td>%" APR_UINT64_T_FMT "</td></tr>\n", i, mapi_response_code_name(i),
                       mhs_counter_get(t, C_CODE(i)));
    ap_rputs("</table>\n", r);
    return OK;
}

void mh_status_register(void)
{
    APR_OPTIONAL_HOOK(ap, status_hook, mh_status_hook, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(mh_status_log, NULL, NULL, APR_HOOK_MIDDLE);
}
