/*
 * mod_mapihttp.c - MAPI over HTTP ([MS-OXCMAPIHTTP]) for Apache httpd.
 *
 * The handler checks the transport rules every request must meet (2.2.2.1
 * common request format, 2.2.3 headers), reads the body under a size limit and
 * dispatches on the endpoint (emsmdb / nspi) and X-RequestType. Protocol
 * bodies are decoded by libmapicodec; nothing here parses wire structures.
 */
#define MH_MODULE_MAIN
#include "mh_private.h"

#include "http_core.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_lib.h"
#include "ap_mpm.h"

/* X-RequestType values and the endpoints that take them ([MS-OXCMAPIHTTP]
 * 2.2.3.3.1); the status counters number request types by this order. */
#define EP_E (1u << MH_EP_EMSMDB)
#define EP_N (1u << MH_EP_NSPI)
static const struct {
    const char *name;
    unsigned endpoints;
} request_types[] = {
    {"PING", EP_E | EP_N}, {"Connect", EP_E}, {"Execute", EP_E}, {"Disconnect", EP_E},
    {"NotificationWait", EP_E}, {"Bind", EP_N}, {"Unbind", EP_N}, {"CompareMIds", EP_N},
    {"DNToMId", EP_N}, {"GetMatches", EP_N}, {"GetPropList", EP_N}, {"GetProps", EP_N},
    {"GetSpecialTable", EP_N}, {"GetTemplateInfo", EP_N}, {"ModLinkAtt", EP_N}, {"ModProps", EP_N},
    {"QueryRows", EP_N}, {"QueryColumns", EP_N}, {"ResolveNames", EP_N}, {"ResortRestriction", EP_N},
    {"SeekEntries", EP_N}, {"UpdateStat", EP_N}, {"GetMailboxUrl", EP_N}, {"GetAddressBookUrl", EP_N},
    {NULL, 0}};

const char *mh_request_type_at(int i)
{
    return (i >= 0 && (size_t)i < sizeof(request_types) / sizeof(request_types[0])) ? request_types[i].name : NULL;
}

int mh_request_type_index(const char *type)
{
    int i;
    for (i = 0; type && request_types[i].name; i++)
        if (strcmp(request_types[i].name, type) == 0)
            return i;
    return -1;
}

/* Header values we echo must be sane: printable and bounded. */
#define MH_MAX_ECHO_HEADER 512

/* The endpoint is the last path segment of the URL: .../emsmdb[/] or .../nspi[/]. */
static mh_endpoint_t endpoint_of(const char *uri)
{
    const char *end = uri + strlen(uri), *seg;
    while (end > uri && end[-1] == '/')
        end--;
    seg = end;
    while (seg > uri && seg[-1] != '/')
        seg--;
    if (end - seg == 6 && strncasecmp(seg, "emsmdb", 6) == 0)
        return MH_EP_EMSMDB;
    if (end - seg == 4 && strncasecmp(seg, "nspi", 4) == 0)
        return MH_EP_NSPI;
    return MH_EP_NONE;
}

/* Returns the canonical spelling of a request type valid on this endpoint, or NULL. */
static const char *known_request_type(mh_endpoint_t ep, const char *type)
{
    int i;
    for (i = 0; request_types[i].name; i++)
        if ((request_types[i].endpoints & (1u << ep)) && strcasecmp(request_types[i].name, type) == 0)
            return request_types[i].name;
    return NULL;
}

static int header_value_ok(const char *v)
{
    size_t n = 0;
    for (; *v; v++, n++)
        if (!apr_isprint(*v) || n >= MH_MAX_ECHO_HEADER)
            return 0;
    return n > 0;
}

/* 1 when Apache is stopping this process (graceful stop or restart). */
int mh_stopping(void)
{
    int state = AP_MPMQ_RUNNING;
    return ap_mpm_query(AP_MPMQ_MPM_STATE, &state) == APR_SUCCESS && state == AP_MPMQ_STOPPING;
}

/* Content-Type must be application/mapi-http (parameters allowed). */
static int content_type_ok(const char *ct)
{
    size_t n = strlen(MH_CONTENT_TYPE);
    return strncasecmp(ct, MH_CONTENT_TYPE, n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ' || ct[n] == '\t');
}

/* Reads the whole body; returns an X-ResponseCode (0 when read). */
static int read_body(mh_req_t *q, const char **why)
{
    request_rec *r = q->r;
    apr_off_t limit = mh_conf_max_request_size(q->dconf);
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    const char *te = apr_table_get(r->headers_in, "Transfer-Encoding");
    apr_size_t cap, len = 0;
    unsigned char *buf;
    long n;

    if (!cl && !te) {
        *why = "Content-Length header missing";
        return MAPI_RC_MISSING_HEADER;
    }
    if (r->remaining > limit || (cl && apr_atoi64(cl) > limit)) {
        *why = apr_psprintf(r->pool, "request body larger than MapiHttpMaxRequestSize (%" APR_OFF_T_FMT ")", limit);
        return MAPI_RC_TOO_LARGE;
    }
    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK) {
        *why = "request body unreadable";
        return MAPI_RC_INVALID_REQUEST_BODY;
    }
    cap = r->remaining > 0 ? (apr_size_t)r->remaining : 8192;
    buf = apr_palloc(r->pool, cap + 1);
    if (ap_should_client_block(r)) {
        for (;;) {
            if (len == cap) {
                unsigned char *bigger;
                if ((apr_off_t)cap >= limit) {
                    *why = "chunked request body larger than MapiHttpMaxRequestSize";
                    return MAPI_RC_TOO_LARGE;
                }
                bigger = apr_palloc(r->pool, cap * 2 + 1);
                memcpy(bigger, buf, len);
                buf = bigger;
                cap *= 2;
            }
            n = ap_get_client_block(r, (char *)buf + len, cap - len);
            if (n == 0)
                break;
            if (n < 0) {
                *why = "client aborted or sent a malformed body";
                return MAPI_RC_INVALID_REQUEST_BODY;
            }
            len += (apr_size_t)n;
            if ((apr_off_t)len > limit) {
                *why = "request body larger than MapiHttpMaxRequestSize";
                return MAPI_RC_TOO_LARGE;
            }
        }
    }
    q->body = buf;
    q->body_len = len;
    return MAPI_RC_SUCCESS;
}

/* [MS-OXCMAPIHTTP] 2.2.2.1: the checks every request must pass, in order. */
static int check_request(mh_req_t *q, const char **why)
{
    request_rec *r = q->r;
    const char *ct, *canonical;

    if (q->endpoint == MH_EP_NONE) {
        *why = "the URL names no MAPI/HTTP endpoint (.../emsmdb/ or .../nspi/)";
        return MAPI_RC_INVALID_PATH;
    }
    if (mh_stopping()) {
        *why = "this server process is shutting down; retry";
        return MAPI_RC_ENDPOINT_SHUTTING_DOWN;
    }
    if (!mh_conf_enabled(q->dconf)) {
        *why = "MAPI over HTTP is disabled here (MapiHttpEnabled Off)";
        return MAPI_RC_ENDPOINT_DISABLED;
    }
    if (r->method_number != M_POST) {
        *why = apr_psprintf(r->pool, "method %s: MAPI/HTTP requests are POST", r->method);
        return MAPI_RC_INVALID_VERB;
    }
    if (!apr_table_get(r->headers_in, "X-RequestType")) {
        *why = "X-RequestType header missing";
        return MAPI_RC_MISSING_HEADER;
    }
    if (!apr_table_get(r->headers_in, "X-RequestId")) {
        *why = "X-RequestId header missing";
        return MAPI_RC_MISSING_HEADER;
    }
    ct = apr_table_get(r->headers_in, "Content-Type");
    if (!ct) {
        *why = "Content-Type header missing";
        return MAPI_RC_MISSING_HEADER;
    }
    if (!content_type_ok(ct)) {
        *why = apr_psprintf(r->pool, "Content-Type '%s' is not " MH_CONTENT_TYPE, ct);
        return MAPI_RC_INVALID_HEADER;
    }
    if (!q->request_id || (apr_table_get(r->headers_in, "X-ClientInfo") && !q->client_info)) {
        *why = "X-RequestId or X-ClientInfo empty, too long or not printable";
        return MAPI_RC_INVALID_HEADER;
    }
    if (!q->request_type || !(canonical = known_request_type(q->endpoint, q->request_type))) {
        *why = apr_psprintf(r->pool, "X-RequestType '%s' is not a request type of this endpoint",
                            ap_escape_logitem(r->pool, apr_table_get(r->headers_in, "X-RequestType")));
        return MAPI_RC_INVALID_REQUEST_TYPE;
    }
    q->request_type = canonical;
    if (!r->user || !*r->user) {
        *why = "anonymous request; configure authentication (Require valid-user)";
        return MAPI_RC_ANONYMOUS_NOT_ALLOWED;
    }
    return read_body(q, why);
}

/* PING ([MS-OXCMAPIHTTP] 2.2.6): no body either way; keeps nothing alive
 * except the connection. */
static int handle_ping(mh_req_t *q)
{
    mh_ping_touch(q);
    return mh_finish(q, NULL, 0);
}

typedef struct {
    const char *type;
    int (*handler)(mh_req_t *q);
} mh_route_t;

static const mh_route_t emsmdb_routes[] = {
    {"PING", handle_ping},
    {"Connect", mh_emsmdb_connect},
    {"Execute", mh_emsmdb_execute},
    {"Disconnect", mh_emsmdb_disconnect},
    {"NotificationWait", mh_emsmdb_notification_wait},
    {NULL, NULL}};

static const mh_route_t nspi_routes[] = {{"PING", handle_ping}, {NULL, NULL}};

static int dispatch(mh_req_t *q)
{
    const mh_route_t *rt = q->endpoint == MH_EP_EMSMDB ? emsmdb_routes : nspi_routes;
    apr_table_setn(q->r->notes, "mapihttp-bytes-in", apr_psprintf(q->r->pool, "%" APR_SIZE_T_FMT, q->body_len));
    for (; rt->type; rt++)
        if (strcmp(rt->type, q->request_type) == 0)
            return rt->handler(q);
    if (q->endpoint == MH_EP_NSPI)
        return mh_nspi_dispatch(q); /* the 19 address book requests */
    return mh_fail(q, MAPI_RC_INVALID_REQUEST_TYPE,
                   apr_psprintf(q->r->pool, "request type %s is not served yet", q->request_type));
}

static int mh_handler(request_rec *r)
{
    mh_req_t *q;
    const char *why = NULL;
    int rc;

    if (!r->handler || strcmp(r->handler, "mapihttp") != 0)
        return DECLINED;
    q = apr_pcalloc(r->pool, sizeof(*q));
    q->r = r;
    q->start = r->request_time;
    q->dconf = ap_get_module_config(r->per_dir_config, &mapihttp_module);
    q->sconf = ap_get_module_config(r->server->module_config, &mapihttp_module);
    q->endpoint = endpoint_of(r->uri);
    q->request_type = apr_table_get(r->headers_in, "X-RequestType");
    q->request_id = apr_table_get(r->headers_in, "X-RequestId");
    q->client_info = apr_table_get(r->headers_in, "X-ClientInfo");
    if (q->request_id && !header_value_ok(q->request_id))
        q->request_id = NULL; /* never echo junk; check_request reports it */
    if (q->client_info && !header_value_ok(q->client_info))
        q->client_info = NULL;
    if (q->request_type && !header_value_ok(q->request_type))
        q->request_type = NULL;
    apr_table_setn(r->notes, "mapihttp-request-type", q->request_type ? q->request_type : "-");

    rc = check_request(q, &why);
    if (rc != MAPI_RC_SUCCESS) {
        ap_discard_request_body(r);
        return mh_fail(q, rc, why);
    }
    return dispatch(q);
}

static int mh_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    /* post_config runs twice at start-up; the first is a dry run */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return OK;
    return mh_session_post_config(pconf, plog, ptemp, s);
}

static void mh_child_init(apr_pool_t *p, server_rec *s)
{
    mh_session_child_init(p, s);
}

static void mh_register_hooks(apr_pool_t *p)
{
    ap_hook_post_config(mh_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mh_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mh_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(mh_autodiscover_handler, NULL, NULL, APR_HOOK_MIDDLE);
    mh_status_register();
}

AP_DECLARE_MODULE(mapihttp) = {
    STANDARD20_MODULE_STUFF,
    mh_create_dir_conf,
    mh_merge_dir_conf,
    mh_create_server_conf,
    mh_merge_server_conf,
    mh_cmds,
    mh_register_hooks,
    0};
