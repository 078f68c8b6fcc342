/*
 * mh_response.c - writes MAPI/HTTP responses.
 *
 * Success ([MS-OXCMAPIHTTP] 2.2.2.2, 2.2.7, 3.2.5.2): the HTTP headers, then a
 * body that starts with the PROCESSING meta-tag (flushed at once), PENDING
 * keep-alives every X-PendingPeriod while the server works, then DONE, the
 * additional headers (X-ResponseCode, X-ElapsedTime, X-StartTime), a blank
 * line and the binary response body. Apache sends it chunked.
 *
 * Failure (2.2.3.3.3): HTTP 200 with a non-zero X-ResponseCode and a short
 * diagnostic body; never an Apache error page.
 */
#include "mh_private.h"

#include "http_protocol.h"
#include "apr_date.h"

static const char *endpoint_name(mh_endpoint_t ep)
{
    return ep == MH_EP_EMSMDB ? "emsmdb" : ep == MH_EP_NSPI ? "nspi" : "-";
}

void mh_set_common_headers(mh_req_t *q, int response_code)
{
    request_rec *r = q->r;
    apr_table_t *h = r->headers_out;
    q->response_code = response_code;
    /* Echo what identifies the request (2.2.3.3.1, 2.2.3.3.2, 2.2.3.3.4). */
    if (q->request_type)
        apr_table_setn(h, "X-RequestType", q->request_type);
    if (q->request_id)
        apr_table_setn(h, "X-RequestId", q->request_id);
    if (q->client_info)
        apr_table_setn(h, "X-ClientInfo", q->client_info);
    apr_table_setn(h, "X-ResponseCode", apr_itoa(r->pool, response_code));
    apr_table_setn(h, "X-ServerApplication", MH_SERVER_APPLICATION);
    apr_table_setn(h, "X-PendingPeriod", apr_itoa(r->pool, mh_conf_pending_period(q->dconf)));
    apr_table_setn(h, "X-ExpirationInfo",
                   apr_psprintf(r->pool, "%d", mh_session_timeout(q->sconf) * 1000));
    apr_table_setn(h, "Cache-Control", "private");
    /* For the protocol log (LogFormat %{mapihttp-...}n). */
    apr_table_setn(r->notes, "mapihttp-response-code", apr_itoa(r->pool, response_code));
    apr_table_setn(r->notes, "mapihttp-endpoint", endpoint_name(q->endpoint));
}

int mh_fail(mh_req_t *q, int response_code, const char *why)
{
    request_rec *r = q->r;
    const char *name = mapi_response_code_name(response_code);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  MHLOGNO(00101) "%s %s: X-ResponseCode %d (%s): %s [user %s, request id %s]",
                  r->method, r->uri, response_code, name, why, r->user ? r->user : "-",
                  q->request_id ? q->request_id : "-");
    if (q->headers_sent)
        return mh_finish_error(q, response_code, why);
    mh_set_common_headers(q, response_code);
    r->status = HTTP_OK;
    ap_set_content_type(r, "text/html");
    ap_rprintf(r,
               "<html><head><title>%s</title></head><body>"
               "<p>X-ResponseCode: %d (%s)</p><p>%s</p></body></html>\n",
               name, response_code, name, ap_escape_html(r->pool, why));
    return OK;
}

/* Writes a piece of the body and pushes it to the client now. */
static void write_flush(mh_req_t *q, const char *s, apr_size_t n)
{
    ap_rwrite(s, (int)n, q->r);
    ap_rflush(q->r);
    q->last_write = apr_time_now();
}

int mh_begin(mh_req_t *q, int flush)
{
    if (q->headers_sent)
        return OK;
    mh_set_common_headers(q, MAPI_RC_SUCCESS);
    q->r->status = HTTP_OK;
    ap_set_content_type(q->r, MH_CONTENT_TYPE);
    q->headers_sent = 1;
    if (flush) {
        /* Long requests: the client sees PROCESSING at once (3.2.5.2). */
        write_flush(q, "PROCESSING\r\n", 12);
    } else {
        /* Quick ones go out in one piece with a Content-Length. */
        ap_rwrite("PROCESSING\r\n", 12, q->r);
        q->last_write = apr_time_now();
    }
    return OK;
}

void mh_pending_tick(mh_req_t *q)
{
    apr_time_t period = apr_time_from_msec(mh_conf_pending_period(q->dconf));
    if (!q->headers_sent || apr_time_now() - q->last_write < period)
        return;
    q->pending_sent++;
    write_flush(q, "PENDING\r\n", 9);
}

/* DONE, the additional headers (2.2.7; X-ElapsedTime in ms, 2.2.3.3.x), blank line. */
static void write_trailer(mh_req_t *q, int response_code)
{
    request_rec *r = q->r;
    char date[APR_RFC822_DATE_LEN];
    apr_rfc822_date(date, q->start);
    ap_rprintf(r, "DONE\r\nX-ResponseCode: %d\r\nX-ElapsedTime: %" APR_TIME_T_FMT "\r\n"
                  "X-StartTime: %s\r\n\r\n",
               response_code, apr_time_as_msec(apr_time_now() - q->start), date);
}

int mh_finish(mh_req_t *q, const void *body, apr_size_t len)
{
    mh_begin(q, 0);
    write_trailer(q, MAPI_RC_SUCCESS);
    if (len)
        ap_rwrite(body, (int)len, q->r);
    return OK;
}

int mh_finish_error(mh_req_t *q, int response_code, const char *why)
{
    /* The status line already went out: the final chunk carries the code. */
    q->response_code = response_code;
    apr_table_setn(q->r->notes, "mapihttp-response-code", apr_itoa(q->r->pool, response_code));
    write_trailer(q, response_code);
    ap_rprintf(q->r, "%s\n", why);
    return OK;
}
