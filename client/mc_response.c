/*
 * mc_response.c - incremental parser of a MAPI/HTTP response body.
 *
 * [MS-OXCMAPIHTTP] 2.2.2.2 (response format) and 2.2.7 (meta-tags): a
 * successful response body is
 *     PROCESSING\r\n  PENDING\r\n (0..n)  DONE\r\n
 *     Name: value\r\n ... (additional headers: X-ResponseCode, X-ElapsedTime,
 *     X-StartTime)  \r\n  <binary body>
 * PENDING keep-alives go out every X-PendingPeriod while the server works;
 * the response is chunked so they arrive early (3.2.5.2). The parser takes
 * the bytes in any slicing and stamps each meta-tag with its arrival time.
 * A response with a non-zero X-ResponseCode has no meta-tags: its diagnostic
 * body is kept raw (MC_PS_RAW).
 */
#include "mapiclient.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *mc_meta_name(mc_meta_tag_t tag)
{
    switch (tag) {
    case MC_META_PROCESSING: return "PROCESSING";
    case MC_META_PENDING: return "PENDING";
    case MC_META_DONE: return "DONE";
    }
    return "?";
}

const char *mc_parse_error_name(int err)
{
    static const char *const names[] = {
        "ok", "empty body", "bad meta-tag", "meta-tag order", "no DONE",
        "bad additional header", "no blank line after headers", "bad line end",
        "line too long", "body too large", "out of memory"};
    return (err >= 0 && err <= MC_PARSE_NOMEM) ? names[err] : "unknown";
}

void mc_response_init(mc_response_t *r)
{
    memset(r, 0, sizeof(*r));
    mc_headers_init(&r->headers);
    mc_headers_init(&r->extra);
    r->response_code = -1;
    r->extra_response_code = -1;
}

void mc_response_free(mc_response_t *r)
{
    mc_headers_free(&r->headers);
    mc_headers_free(&r->extra);
    free(r->meta);
    free(r->body);
    mc_response_init(r);
}

int mc_parse_response_code(const char *s)
{
    long v = 0;
    int digits = 0;
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        v = v * 10 + (*s - '0');
        if (v > 0x7fffffffL)
            return -1;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    return (digits && !*s) ? (int)v : -1;
}

void mc_parser_init(mc_parser_t *p, mc_response_t *resp, int raw, size_t body_limit)
{
    memset(p, 0, sizeof(*p));
    p->resp = resp;
    p->state = raw ? MC_PS_RAW : MC_PS_META;
    p->body_limit = body_limit ? body_limit : MC_DEFAULT_BODY_LIMIT;
    resp->meta_layout = !raw;
}

static int fail(mc_parser_t *p, int err)
{
    p->state = MC_PS_ERROR;
    p->resp->parse_error = err;
    return err;
}

static int body_append(mc_parser_t *p, const uint8_t *d, size_t n)
{
    mc_response_t *r = p->resp;
    if (n == 0)
        return MC_PARSE_OK;
    if (n > p->body_limit - r->body_len)
        return fail(p, MC_PARSE_TOO_LARGE);
    if (r->body_len + n > p->body_cap) {
        size_t cap = p->body_cap ? p->body_cap : 256;
        while (cap < r->body_len + n)
            cap *= 2;
        uint8_t *b = realloc(r->body, cap);
        if (!b)
            return fail(p, MC_PARSE_NOMEM);
        r->body = b;
        p->body_cap = cap;
    }
    memcpy(r->body + r->body_len, d, n);
    r->body_len += n;
    return MC_PARSE_OK;
}

static int add_meta(mc_parser_t *p, mc_meta_tag_t tag, double ms)
{
    mc_response_t *r = p->resp;
    /* 2.2.7: PROCESSING comes first and once; PENDING only after it. */
    if (tag == MC_META_PROCESSING ? r->n_meta != 0 : !r->processing_seen)
        return fail(p, MC_PARSE_META_ORDER);
    mc_meta_event_t *m = realloc(r->meta, (r->n_meta + 1) * sizeof(*m));
    if (!m)
        return fail(p, MC_PARSE_NOMEM);
    r->meta = m;
    m[r->n_meta].tag = tag;
    m[r->n_meta].ms = ms;
    r->n_meta++;
    if (tag == MC_META_PROCESSING)
        r->processing_seen = 1;
    else if (tag == MC_META_PENDING)
        r->pending_count++;
    else
        r->done_seen = 1;
    return MC_PARSE_OK;
}

/* One complete text line (CRLF removed) in META or HEADERS state. */
static int text_line(mc_parser_t *p, double ms)
{
    const char *l = p->line;
    size_t n = p->line_len;
    p->line_len = 0;
    if (p->state == MC_PS_META) {
        if (n == 10 && memcmp(l, "PROCESSING", 10) == 0)
            return add_meta(p, MC_META_PROCESSING, ms);
        if (n == 7 && memcmp(l, "PENDING", 7) == 0)
            return add_meta(p, MC_META_PENDING, ms);
        if (n == 4 && memcmp(l, "DONE", 4) == 0) {
            int rc = add_meta(p, MC_META_DONE, ms);
            if (rc == MC_PARSE_OK)
                p->state = MC_PS_HEADERS;
            return rc;
        }
        return fail(p, MC_PARSE_BAD_META);
    }
    /* MC_PS_HEADERS: additional headers until the empty line (2.2.2.2). */
    if (n == 0) {
        p->state = MC_PS_BODY;
        return MC_PARSE_OK;
    }
    int rc = mc_headers_add_line(&p->resp->extra, l, n);
    if (rc == MC_ERR_NOMEM)
        return fail(p, MC_PARSE_NOMEM);
    if (rc != MC_OK)
        return fail(p, MC_PARSE_BAD_HEADER);
    const char *v = p->resp->extra.v[p->resp->extra.n - 1].value;
    if (strcasecmp(p->resp->extra.v[p->resp->extra.n - 1].name, "X-ResponseCode") == 0
        && p->resp->extra_response_code < 0)
        p->resp->extra_response_code = mc_parse_response_code(v);
    return MC_PARSE_OK;
}

/* Consumes text bytes and returns how many were used: it stops after the
 * blank line that switches to BODY, or at an error (p->state MC_PS_ERROR). */
static size_t feed_text(mc_parser_t *p, const uint8_t *d, size_t n, double ms)
{
    size_t i = 0;
    while (i < n && (p->state == MC_PS_META || p->state == MC_PS_HEADERS)) {
        uint8_t c = d[i++];
        if (p->saw_cr) {
            p->saw_cr = 0;
            if (c != '\n') {
                fail(p, MC_PARSE_BAD_LINE_END);
                break;
            }
            p->line[p->line_len] = '\0';
            if (text_line(p, ms) != MC_PARSE_OK)
                break;
            continue;
        }
        if (c == '\r') {
            p->saw_cr = 1;
        } else if (c == '\n' || c == '\0') {
            fail(p, c == '\n' ? MC_PARSE_BAD_LINE_END
                              : (p->state == MC_PS_META ? MC_PARSE_BAD_META
                                                        : MC_PARSE_BAD_HEADER));
            break;
        } else if (p->line_len >= MC_MAX_LINE) {
            fail(p, MC_PARSE_LINE_TOO_LONG);
            break;
        } else {
            p->line[p->line_len++] = (char)c;
        }
    }
    return i;
}

int mc_parser_feed(mc_parser_t *p, const void *data, size_t len, double ms)
{
    const uint8_t *d = data;
    if (p->state == MC_PS_ERROR)
        return p->resp->parse_error;
    p->fed += len;
    if (p->state == MC_PS_META || p->state == MC_PS_HEADERS) {
        size_t used = feed_text(p, d, len, ms);
        if (p->state == MC_PS_ERROR)
            return p->resp->parse_error;
        d += used;
        len -= used;
    }
    if (p->state == MC_PS_BODY || p->state == MC_PS_RAW)
        return body_append(p, d, len);
    return MC_PARSE_OK;
}

int mc_parser_finish(mc_parser_t *p)
{
    mc_response_t *r = p->resp;
    switch (p->state) {
    case MC_PS_ERROR:
        return r->parse_error;
    case MC_PS_META:
        return fail(p, p->fed == 0 ? MC_PARSE_EMPTY : MC_PARSE_NO_DONE);
    case MC_PS_HEADERS:
        return fail(p, MC_PARSE_NO_BLANK_LINE);
    case MC_PS_BODY:
    case MC_PS_RAW:
        break;
    }
    r->parse_error = MC_PARSE_OK;
    return MC_PARSE_OK;
}

int mc_parse_body(mc_response_t *resp, const void *data, size_t len)
{
    mc_parser_t p;
    mc_parser_init(&p, resp, 0, 0);
    mc_parser_feed(&p, data, len, 0.0);
    return mc_parser_finish(&p);
}
