/*
 * mapiclient.h - a libcurl MAPI over HTTP client ([MS-OXCMAPIHTTP]) for the
 * probe and the integration tests.
 *
 * Three parts:
 *  - mc_headers_t / mc_cookies_t: small ordered name/value lists (headers are
 *    looked up case-insensitively; cookies keep the server's spelling).
 *  - mc_parser_t: the incremental parser of a response body ([MS-OXCMAPIHTTP]
 *    2.2.2.2 layout, 2.2.7 meta-tags, 3.2.5.2 chunked keep-alives). Pure: it
 *    needs no network and is unit-tested on its own.
 *  - mc_conn_t: one session (base URL, auth, TLS, one reused CURL easy handle,
 *    the cookie jar of the Session Context, 3.1.5.1/3.1.5.2) that sends one
 *    request at a time with mc_conn_request().
 *
 * Nothing here calls exit() or prints: errors come back as MC_ERR_* codes and
 * mc_conn_error() gives the text.
 */
#ifndef MAPICLIENT_H
#define MAPICLIENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- result codes ------------------------------------------------------ */
enum {
    MC_OK = 0,
    MC_ERR_NOMEM = -1,
    MC_ERR_ARG = -2,          /* bad argument from the caller */
    MC_ERR_TRANSPORT = -3,    /* libcurl failed: see mc_conn_error() */
    MC_ERR_IO = -4            /* a file could not be read or written */
};

/* Response parse results (mc_response_t.parse_error, mc_parser_*()). */
typedef enum {
    MC_PARSE_OK = 0,
    MC_PARSE_EMPTY = 1,          /* no body at all where meta-tags were due */
    MC_PARSE_BAD_META = 2,       /* a line before DONE that is no meta-tag */
    MC_PARSE_META_ORDER = 3,     /* PROCESSING not first / twice, PENDING before it */
    MC_PARSE_NO_DONE = 4,        /* body ended before DONE */
    MC_PARSE_BAD_HEADER = 5,     /* an additional header line without "Name:" */
    MC_PARSE_NO_BLANK_LINE = 6,  /* body ended inside the additional headers */
    MC_PARSE_BAD_LINE_END = 7,   /* bare LF, or CR not followed by LF */
    MC_PARSE_LINE_TOO_LONG = 8,  /* a text line over MC_MAX_LINE bytes */
    MC_PARSE_TOO_LARGE = 9,      /* body over the parser's limit */
    MC_PARSE_NOMEM = 10
} mc_parse_error_t;

const char *mc_parse_error_name(int err);
const char *mc_strerror(int err);

#define MC_MAX_LINE 4096
#define MC_DEFAULT_BODY_LIMIT (64u * 1024u * 1024u)

/* ---- name/value lists -------------------------------------------------- */
typedef struct {
    char *name;
    char *value;
} mc_nv_t;

typedef struct {
    mc_nv_t *v;
    size_t n, cap;
} mc_headers_t;

void mc_headers_init(mc_headers_t *h);
void mc_headers_free(mc_headers_t *h);
void mc_headers_clear(mc_headers_t *h);
/* Appends (duplicates allowed, order kept). MC_OK or MC_ERR_NOMEM. */
int mc_headers_add(mc_headers_t *h, const char *name, size_t nlen,
                   const char *value, size_t vlen);
/* First value whose name matches case-insensitively, or NULL. */
const char *mc_headers_get(const mc_headers_t *h, const char *name);
/* How many entries have this name (case-insensitive). */
size_t mc_headers_count(const mc_headers_t *h, const char *name);
/* Parses one "Name: value" line (no CRLF; surrounding blanks of the value
 * are trimmed) and appends it. MC_ERR_ARG when there is no colon or the
 * name is empty or holds blanks. */
int mc_headers_add_line(mc_headers_t *h, const char *line, size_t len);

/* The Session Context cookie jar (3.1.5.1, 3.1.5.2): every cookie the server
 * set is kept by name and all are sent back, whatever their attributes. */
typedef mc_headers_t mc_cookies_t;

/* Stores name=value; replaces the value of an existing cookie of that name
 * (exact, case-sensitive match as in RFC 6265). */
int mc_cookies_set(mc_cookies_t *jar, const char *name, const char *value);
/* Forgets every cookie (e.g. to present no Session Context at all). */
static inline void mc_cookies_clear(mc_cookies_t *jar) { mc_headers_clear(jar); }
/* Removes a cookie; returns 1 if it was there, 0 if not. */
int mc_cookies_remove(mc_cookies_t *jar, const char *name);
const char *mc_cookies_get(const mc_cookies_t *jar, const char *name);
/* Applies one Set-Cookie header value: "name=value; attr; ...". A cookie
 * with Max-Age <= 0 or an Expires date in the past is removed instead.
 * MC_ERR_ARG when the value has no "name=". */
int mc_cookies_apply_set_cookie(mc_cookies_t *jar, const char *set_cookie);
/* "a=1; b=2" in jar order, malloc'd (caller frees); "" when empty. NULL on
 * allocation failure. */
char *mc_cookies_header(const mc_cookies_t *jar);
/* Plain file of "name=value" lines (for mapicurl --cookie-jar). Load adds to
 * the jar; a missing file loads nothing and is not an error. */
int mc_cookies_load(mc_cookies_t *jar, const char *path);
int mc_cookies_save(const mc_cookies_t *jar, const char *path);

/* ---- response ---------------------------------------------------------- */
typedef enum {
    MC_META_PROCESSING = 1,
    MC_META_PENDING = 2,
    MC_META_DONE = 3
} mc_meta_tag_t;

const char *mc_meta_name(mc_meta_tag_t tag);

typedef struct {
    mc_meta_tag_t tag;
    double ms;          /* arrival, in ms since the request started */
} mc_meta_event_t;

typedef struct {
    long http_status;           /* final status (after any 401 round trips) */
    mc_headers_t headers;       /* headers of the final HTTP response */
    int response_code;          /* X-ResponseCode header, -1 when absent/bad */
    int meta_layout;            /* 1: body parsed as meta-tags + headers + body;
                                   0: raw body (error/diagnostic/non-MAPI) */
    mc_meta_event_t *meta;      /* meta-tags in arrival order */
    size_t n_meta;
    unsigned pending_count;
    int processing_seen, done_seen;
    mc_headers_t extra;         /* additional headers after DONE (2.2.2.2) */
    int extra_response_code;    /* X-ResponseCode among them, -1 when absent */
    uint8_t *body;              /* binary body (or the raw body); may be NULL */
    size_t body_len;
    int parse_error;            /* mc_parse_error_t */
    double total_ms;            /* request start to last byte */
    long new_connections;       /* connections libcurl opened (0 = reused) */
    int http_responses;         /* HTTP responses in the exchange: 2 or more
                                   when auth (401) or 1xx round trips happened */
} mc_response_t;

void mc_response_init(mc_response_t *r);
void mc_response_free(mc_response_t *r);
/* Parses an X-ResponseCode value: decimal 0..2^31-1, blanks trimmed; -1 if bad. */
int mc_parse_response_code(const char *s);

/* ---- incremental body parser ------------------------------------------- */
typedef enum {
    MC_PS_META = 0,     /* reading meta-tag lines */
    MC_PS_HEADERS,      /* after DONE: additional header lines */
    MC_PS_BODY,         /* after the blank line: binary body */
    MC_PS_RAW,          /* whole body is raw (non-zero X-ResponseCode, ...) */
    MC_PS_ERROR
} mc_parse_state_t;

typedef struct {
    mc_response_t *resp;        /* receives meta/extra/body/parse_error */
    mc_parse_state_t state;
    char line[MC_MAX_LINE + 1];
    size_t line_len;
    int saw_cr;                 /* last byte was a CR of a text line */
    size_t body_cap;
    size_t body_limit;
    size_t fed;                 /* total bytes fed */
} mc_parser_t;

/* raw != 0: the whole body is kept as-is (no meta-tags expected). */
void mc_parser_init(mc_parser_t *p, mc_response_t *resp, int raw, size_t body_limit);
/* Feeds bytes that arrived at `ms` since the request start. Returns
 * MC_PARSE_OK, or the sticky parse error (later calls are no-ops). */
int mc_parser_feed(mc_parser_t *p, const void *data, size_t len, double ms);
/* End of body: checks that the layout was complete; returns the result
 * (also stored in resp->parse_error). */
int mc_parser_finish(mc_parser_t *p);

/* One-shot convenience: parses a complete meta-layout body into resp
 * (meta, extra, body, parse_error). Returns resp->parse_error. */
int mc_parse_body(mc_response_t *resp, const void *data, size_t len);

/* ---- connection -------------------------------------------------------- */
typedef enum {
    MC_AUTH_NONE = 0,
    MC_AUTH_BASIC,
    MC_AUTH_NEGOTIATE       /* Kerberos/SPNEGO from the process's ccache */
} mc_auth_t;

typedef struct mc_conn mc_conn_t;

/* url: the endpoint, e.g. https://localhost:8443/mapi/emsmdb/?MailboxId=x@y */
mc_conn_t *mc_conn_new(const char *url);
void mc_conn_free(mc_conn_t *c);

int mc_conn_set_url(mc_conn_t *c, const char *url);
const char *mc_conn_url(const mc_conn_t *c);
/* user/password only for MC_AUTH_BASIC. */
int mc_conn_set_auth(mc_conn_t *c, mc_auth_t mode, const char *user, const char *password);
/* cafile may be NULL (system store); insecure skips peer and host checks. */
int mc_conn_set_tls(mc_conn_t *c, const char *cafile, int insecure);
/* 0 = no limit for total_ms; connect_ms default 10000, total_ms 120000. */
void mc_conn_set_timeouts(mc_conn_t *c, long connect_ms, long total_ms);
void mc_conn_set_verbose(mc_conn_t *c, int verbose);
/* Limit on the stored body (default MC_DEFAULT_BODY_LIMIT). */
void mc_conn_set_body_limit(mc_conn_t *c, size_t limit);

/* Default request headers: X-ClientApplication (default
 * "Outlook/16.0.17928.20114"), X-ClientInfo (default "{GUID}-1"). */
int mc_conn_set_client_application(mc_conn_t *c, const char *value);
int mc_conn_set_client_info(mc_conn_t *c, const char *value);
/* Persistent extra header sent on every request: "Name: value". A header
 * named like a default one replaces it; "Name:" (empty value) removes it
 * (and, for headers libcurl adds itself, disables them). */
int mc_conn_add_header(mc_conn_t *c, const char *line);
void mc_conn_clear_headers(mc_conn_t *c);

/* The connection's cookie jar: read, change or clear it directly. */
mc_cookies_t *mc_conn_cookies(mc_conn_t *c);

/* The X-RequestId GUID ("{...}") and the counter of the last request. */
const char *mc_conn_request_guid(const mc_conn_t *c);
unsigned long mc_conn_request_counter(const mc_conn_t *c);
/* The X-RequestId value of the last request ("{GUID}:<counter>"). */
const char *mc_conn_last_request_id(const mc_conn_t *c);
/* Text of the last MC_ERR_* from this connection ("" when none). */
const char *mc_conn_error(const mc_conn_t *c);

typedef struct {
    const char *request_type;   /* X-RequestType; NULL: header not sent */
    const void *body;
    size_t body_len;
    const char *method;         /* NULL or "POST": POST; "GET", or any verb */
    const char *const *headers; /* per-request "Name: value" lines, same
                                   override/remove rules as mc_conn_add_header */
    size_t n_headers;
    int no_cookies;             /* 1: send no Cookie header this time */
    int raw;                    /* 1: never parse meta-tags, keep body raw */
} mc_request_t;

/* Sends one request and fills resp (which the caller initialised with
 * mc_response_init; it is cleared first). Stores every Set-Cookie of the
 * final response into the jar. MC_OK when the HTTP exchange completed, even
 * with an error status or X-ResponseCode or a parse error (see
 * resp->parse_error); MC_ERR_TRANSPORT etc. otherwise. */
int mc_conn_request(mc_conn_t *c, const mc_request_t *req, mc_response_t *resp);

/* Small helpers shared with mapicurl and the tests. */
/* Random {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} (39 bytes with the NUL). */
void mc_guid_string(char out[39]);
/* Hex string (blanks and ':' ignored) -> malloc'd bytes; MC_ERR_ARG on bad hex. */
int mc_hex_decode(const char *hex, uint8_t **out, size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif /* MAPICLIENT_H */
