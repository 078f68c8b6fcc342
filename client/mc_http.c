/*
 * mc_http.c - one MAPI/HTTP session over one reused libcurl easy handle.
 *
 * [MS-OXCMAPIHTTP] 2.2.2.1: every request is a POST with Content-Type
 * application/mapi-http, X-RequestType, X-RequestId, X-ClientInfo and
 * X-ClientApplication. 3.1.5.1/3.1.5.2: the client stores every cookie of a
 * response and sends them all on the next request of the Session Context.
 * 3.2.5.2: Execute/NotificationWait answers are chunked with PENDING
 * keep-alives, parsed as they arrive (mc_response.c).
 *
 * Tests need to send broken requests too, so every default header can be
 * replaced or removed, the verb changed, and the cookie jar edited.
 */
#include "mapiclient.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MC_DEFAULT_CLIENT_APP "Outlook/16.0.17928.20114"

struct mc_conn {
    CURL *curl;
    char *url;
    mc_auth_t auth;
    char *user, *password;
    char *cafile;
    int insecure;
    long connect_ms, total_ms;
    int verbose;
    size_t body_limit;
    char *client_app, *client_info;
    mc_headers_t headers;          /* persistent overrides, name -> value */
    mc_cookies_t jar;
    char guid[39];
    unsigned long counter;
    char request_id[64];
    char curl_err[CURL_ERROR_SIZE];
    char err[CURL_ERROR_SIZE + 64];
};

/* State of one transfer, seen by the libcurl callbacks. */
typedef struct {
    mc_conn_t *c;
    const mc_request_t *req;
    mc_response_t *resp;
    mc_parser_t parser;
    int parser_ready;
    struct timespec t0;
} mc_xfer_t;

static int set_str(char **dst, const char *src)
{
    char *d = NULL;
    if (src && !(d = strdup(src)))
        return MC_ERR_NOMEM;
    free(*dst);
    *dst = d;
    return MC_OK;
}

mc_conn_t *mc_conn_new(const char *url)
{
    char info[48];
    mc_conn_t *c;
    if (!url || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return NULL;
    c = calloc(1, sizeof(*c));
    if (!c) {
        curl_global_cleanup();
        return NULL;
    }
    mc_headers_init(&c->headers);
    mc_headers_init(&c->jar);
    c->connect_ms = 10000;
    c->total_ms = 120000;
    c->body_limit = MC_DEFAULT_BODY_LIMIT;
    mc_guid_string(c->guid);
    mc_guid_string(info);
    strcat(info, "-1");
    c->curl = curl_easy_init();
    if (!c->curl || set_str(&c->url, url) || set_str(&c->client_app, MC_DEFAULT_CLIENT_APP)
        || set_str(&c->client_info, info)) {
        mc_conn_free(c);
        return NULL;
    }
    return c;
}

void mc_conn_free(mc_conn_t *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    free(c->url);
    free(c->user);
    free(c->password);
    free(c->cafile);
    free(c->client_app);
    free(c->client_info);
    mc_headers_free(&c->headers);
    mc_headers_free(&c->jar);
    free(c);
    curl_global_cleanup();
}

int mc_conn_set_url(mc_conn_t *c, const char *url)
{
    return url ? set_str(&c->url, url) : MC_ERR_ARG;
}

const char *mc_conn_url(const mc_conn_t *c) { return c->url; }

int mc_conn_set_auth(mc_conn_t *c, mc_auth_t mode, const char *user, const char *password)
{
    if (mode == MC_AUTH_BASIC && (!user || !password))
        return MC_ERR_ARG;
    c->auth = mode;
    if (set_str(&c->user, mode == MC_AUTH_BASIC ? user : NULL)
        || set_str(&c->password, mode == MC_AUTH_BASIC ? password : NULL))
        return MC_ERR_NOMEM;
    return MC_OK;
}

int mc_conn_set_tls(mc_conn_t *c, const char *cafile, int insecure)
{
    c->insecure = insecure;
    return set_str(&c->cafile, cafile);
}

void mc_conn_set_timeouts(mc_conn_t *c, long connect_ms, long total_ms)
{
    c->connect_ms = connect_ms;
    c->total_ms = total_ms;
}

void mc_conn_set_verbose(mc_conn_t *c, int verbose) { c->verbose = verbose; }

void mc_conn_set_body_limit(mc_conn_t *c, size_t limit)
{
    c->body_limit = limit ? limit : MC_DEFAULT_BODY_LIMIT;
}

int mc_conn_set_client_application(mc_conn_t *c, const char *value)
{
    return value ? set_str(&c->client_app, value) : MC_ERR_ARG;
}

int mc_conn_set_client_info(mc_conn_t *c, const char *value)
{
    return value ? set_str(&c->client_info, value) : MC_ERR_ARG;
}

/* "Name: value", "Name:" (remove) or "Name;" (send empty, libcurl syntax):
 * the name's length, or 0 when the line is unusable. */
static size_t override_name_len(const char *line)
{
    size_t n = strcspn(line, ":;");
    if (n == 0 || line[n] == '\0' || (line[n] == ';' && line[n + 1] != '\0'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)line[i] <= 0x20 || (unsigned char)line[i] >= 0x7f)
            return 0;
    return n;
}

int mc_conn_add_header(mc_conn_t *c, const char *line)
{
    size_t n = line ? override_name_len(line) : 0;
    if (n == 0)
        return MC_ERR_ARG;
    /* Kept whole: the name for matching, the line as libcurl gets it. */
    return mc_headers_add(&c->headers, line, n, line, strlen(line));
}

void mc_conn_clear_headers(mc_conn_t *c) { mc_headers_clear(&c->headers); }

mc_cookies_t *mc_conn_cookies(mc_conn_t *c) { return &c->jar; }

const char *mc_conn_request_guid(const mc_conn_t *c) { return c->guid; }

unsigned long mc_conn_request_counter(const mc_conn_t *c) { return c->counter; }

const char *mc_conn_last_request_id(const mc_conn_t *c) { return c->request_id; }

const char *mc_conn_error(const mc_conn_t *c) { return c->err; }

/* ---- request headers --------------------------------------------------- */

static int overridden(const mc_conn_t *c, const mc_request_t *req, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < c->headers.n; i++)
        if (strcasecmp(c->headers.v[i].name, name) == 0)
            return 1;
    for (size_t i = 0; i < req->n_headers; i++) {
        const char *l = req->headers[i];
        if (override_name_len(l) == nlen && strncasecmp(l, name, nlen) == 0)
            return 1;
    }
    return 0;
}

static int push(struct curl_slist **list, const char *line)
{
    struct curl_slist *n = curl_slist_append(*list, line);
    if (!n)
        return MC_ERR_NOMEM;
    *list = n;
    return MC_OK;
}

static int push_default(struct curl_slist **list, const mc_conn_t *c,
                        const mc_request_t *req, const char *name, const char *value)
{
    char line[MC_MAX_LINE];
    if (!value || overridden(c, req, name))
        return MC_OK;
    if (snprintf(line, sizeof(line), "%s: %s", name, value) >= (int)sizeof(line))
        return MC_ERR_ARG;
    return push(list, line);
}

/* 2.2.2.1 request headers, then the caller's overrides in their order. */
static int build_headers(mc_conn_t *c, const mc_request_t *req, struct curl_slist **out)
{
    struct curl_slist *l = NULL;
    char *cookie = NULL;
    int rc;
    if (!req->no_cookies && c->jar.n && !(cookie = mc_cookies_header(&c->jar)))
        return MC_ERR_NOMEM;
    rc = push_default(&l, c, req, "Content-Type", "application/mapi-http");
    if (!rc) rc = push_default(&l, c, req, "X-RequestType", req->request_type);
    if (!rc) rc = push_default(&l, c, req, "X-RequestId", c->request_id);
    if (!rc) rc = push_default(&l, c, req, "X-ClientInfo", c->client_info);
    if (!rc) rc = push_default(&l, c, req, "X-ClientApplication", c->client_app);
    if (!rc) rc = push_default(&l, c, req, "Cookie", cookie);
    /* No "Expect: 100-continue" round trip: the server answers at once. */
    if (!rc) rc = push_default(&l, c, req, "Expect", "");
    for (size_t i = 0; !rc && i < c->headers.n; i++)
        rc = push(&l, c->headers.v[i].value);
    for (size_t i = 0; !rc && i < req->n_headers; i++)
        rc = override_name_len(req->headers[i]) ? push(&l, req->headers[i]) : MC_ERR_ARG;
    free(cookie);
    if (rc) {
        curl_slist_free_all(l);
        return rc;
    }
    *out = l;
    return MC_OK;
}

/* ---- libcurl callbacks ------------------------------------------------- */

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) * 1e3 + (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Every response header line; a status line starts a new response (401
 * round trips of Negotiate, 1xx), so only the final one's headers stay. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    mc_xfer_t *x = ud;
    size_t len = size * nmemb, n = len;
    while (n && (data[n - 1] == '\r' || data[n - 1] == '\n'))
        n--;
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        const char *sp = memchr(data, ' ', n);
        mc_headers_clear(&x->resp->headers);
        x->resp->http_status = sp ? strtol(sp + 1, NULL, 10) : 0;
        x->resp->http_responses++;
    } else if (n > 0 && data[0] != ' ' && data[0] != '\t') {
        /* Malformed lines are dropped; folded continuation lines too. */
        if (mc_headers_add_line(&x->resp->headers, data, n) == MC_ERR_NOMEM)
            return 0;
    }
    return len;
}

/* Decides how to read the body once the final headers are known: meta-tag
 * layout only for 200 with X-ResponseCode 0 (or absent but typed
 * application/mapi-http); anything else is kept raw (2.2.2.2: a non-zero
 * X-ResponseCode carries a diagnostic body). */
static void parser_start(mc_xfer_t *x)
{
    mc_response_t *r = x->resp;
    const char *ct = mc_headers_get(&r->headers, "Content-Type");
    int raw = x->req->raw || r->http_status != 200;
    r->response_code = mc_parse_response_code(mc_headers_get(&r->headers, "X-ResponseCode"));
    if (!raw) {
        if (mc_headers_get(&r->headers, "X-ResponseCode"))
            raw = r->response_code != 0;
        else
            raw = !ct || strncasecmp(ct, "application/mapi-http", 21) != 0;
    }
    mc_parser_init(&x->parser, r, raw, x->c->body_limit);
    x->parser_ready = 1;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    mc_xfer_t *x = ud;
    size_t len = size * nmemb;
    if (!x->parser_ready)
        parser_start(x);
    /* A parse error is recorded, not a transport error: keep reading. */
    mc_parser_feed(&x->parser, data, len, elapsed_ms(&x->t0));
    return len;
}

/* ---- the request ------------------------------------------------------- */

static int set_method(CURL *h, const mc_request_t *req)
{
    const char *m = req->method ? req->method : "POST";
    const char *body = req->body ? (const char *)req->body : "";
    if (strcmp(m, "GET") == 0)
        return curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) != CURLE_OK;
    if (strcmp(m, "HEAD") == 0)
        return curl_easy_setopt(h, CURLOPT_NOBODY, 1L) != CURLE_OK;
    /* POST fields are in memory, so Negotiate/Basic retries can resend them. */
    if (curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len) != CURLE_OK
        || curl_easy_setopt(h, CURLOPT_POSTFIELDS, body) != CURLE_OK)
        return 1;
    if (strcmp(m, "POST") != 0)
        return curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m) != CURLE_OK;
    return 0;
}

static int set_auth_tls(mc_conn_t *c)
{
    CURL *h = c->curl;
    int bad = 0;
    if (c->auth == MC_AUTH_NEGOTIATE) {
        /* SPNEGO from the process's Kerberos ccache; ":" = no password. */
        bad |= curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_NEGOTIATE) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_USERPWD, ":") != CURLE_OK;
    } else if (c->auth == MC_AUTH_BASIC) {
        bad |= curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_USERNAME, c->user) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_PASSWORD, c->password) != CURLE_OK;
    }
    if (c->cafile)
        bad |= curl_easy_setopt(h, CURLOPT_CAINFO, c->cafile) != CURLE_OK;
    if (c->insecure) {
        bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L) != CURLE_OK;
    }
    return bad;
}

static int set_options(mc_conn_t *c, mc_xfer_t *x, struct curl_slist *hdrs)
{
    CURL *h = c->curl;
    int bad = 0;
    /* Reset keeps live connections, so keep-alive reuse still happens. */
    curl_easy_reset(h);
    bad |= curl_easy_setopt(h, CURLOPT_URL, c->url) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_err) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_ms) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->total_ms) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_VERBOSE, (long)c->verbose) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HEADERDATA, x) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_WRITEDATA, x) != CURLE_OK;
    bad |= set_auth_tls(c);
    bad |= set_method(h, x->req);
    return bad ? MC_ERR_ARG : MC_OK;
}

/* 3.1.5.1: keep every cookie the final response set. */
static void store_cookies(mc_conn_t *c, const mc_response_t *r)
{
    for (size_t i = 0; i < r->headers.n; i++)
        if (strcasecmp(r->headers.v[i].name, "Set-Cookie") == 0)
            mc_cookies_apply_set_cookie(&c->jar, r->headers.v[i].value);
}

static void set_err(mc_conn_t *c, const char *what, const char *detail)
{
    snprintf(c->err, sizeof(c->err), "%s%s%s", what, detail && *detail ? ": " : "",
             detail ? detail : "");
}

int mc_conn_request(mc_conn_t *c, const mc_request_t *req, mc_response_t *resp)
{
    mc_xfer_t x;
    struct curl_slist *hdrs = NULL;
    CURLcode cc;
    long conns = 0;
    int rc;

    if (!c || !req || !resp)
        return MC_ERR_ARG;
    mc_response_free(resp);
    c->err[0] = c->curl_err[0] = '\0';
    c->counter++;
    snprintf(c->request_id, sizeof(c->request_id), "%s:%lu", c->guid, c->counter);
    rc = build_headers(c, req, &hdrs);
    if (rc) {
        set_err(c, "cannot build request headers", mc_strerror(rc));
        return rc;
    }
    memset(&x, 0, sizeof(x));
    x.c = c;
    x.req = req;
    x.resp = resp;
    rc = set_options(c, &x, hdrs);
    if (rc) {
        curl_slist_free_all(hdrs);
        set_err(c, "libcurl refused an option", NULL);
        return rc;
    }
    clock_gettime(CLOCK_MONOTONIC, &x.t0);
    cc = curl_easy_perform(c->curl);
    resp->total_ms = elapsed_ms(&x.t0);
    curl_easy_getinfo(c->curl, CURLINFO_NUM_CONNECTS, &conns);
    resp->new_connections = conns;
    curl_slist_free_all(hdrs);
    if (cc != CURLE_OK) {
        set_err(c, curl_easy_strerror(cc), c->curl_err);
        return MC_ERR_TRANSPORT;
    }
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->http_status);
    if (!x.parser_ready)
        parser_start(&x);
    mc_parser_finish(&x.parser);
    store_cookies(c, resp);
    return MC_OK;
}
