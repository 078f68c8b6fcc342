/*
 * test_client_http.c - mc_conn_request() against the scripted loopback
 * server: request headers of [MS-OXCMAPIHTTP] 2.2.2.1, cookies of the
 * Session Context (3.1.5.1, 3.1.5.2), chunked PENDING keep-alives (3.2.5.2)
 * and their arrival times, keep-alive reuse, raw error bodies (2.2.2.2),
 * header overrides for negative tests, and transport failures.
 */
#include "tap.h"
#include "mapiclient.h"
#include "test_client_fixture.h"

#include <stdio.h>
#include <string.h>

#define OK_HEADERS "Content-Type: application/mapi-http\r\nX-ResponseCode: 0\r\n"

static const char PING_BODY[] =
    "PROCESSING\r\nDONE\r\nX-ElapsedTime: 0\r\nX-StartTime: Wed, 25 Nov 2026 22:00:00 GMT\r\n\r\n";
static const uint8_t EXEC_BODY[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0xAA, 0x0D};

static char hbuf[1024];
static char url[256];

/* PING, then an Execute answered in chunks with two PENDING 200 ms apart,
 * both over one kept-alive connection, cookies carried between them. */
static void test_ping_then_execute(void)
{
    fx_server_t s;
    fx_response_t script[2];
    char done[256];
    int dlen;
    memset(script, 0, sizeof(script));
    script[0].pieces[0] = fx_whole("HTTP/1.1 200 OK",
                                   OK_HEADERS "X-RequestType: PING\r\n"
                                   "Set-Cookie: MapiContext=ctx-1; path=/mapi/; HttpOnly\r\n"
                                   "Set-Cookie: MapiSequence=seq-1; path=/mapi/\r\n",
                                   PING_BODY, sizeof(PING_BODY) - 1);
    script[0].n_pieces = 1;
    dlen = snprintf(done, sizeof(done), "DONE\r\nX-ResponseCode: 0\r\nX-ElapsedTime: 1\r\n\r\n");
    memcpy(done + dlen, EXEC_BODY, sizeof(EXEC_BODY));
    script[1].pieces[0] = fx_chunked_head("HTTP/1.1 200 OK",
                                          OK_HEADERS "X-PendingPeriod: 200\r\n"
                                          "Set-Cookie: MapiSequence=seq-2; path=/mapi/\r\n");
    script[1].pieces[1] = fx_chunk("PROCESSING\r\n", 12);
    script[1].pieces[2] = fx_delayed(fx_chunk("PENDING\r\n", 9), 200);
    script[1].pieces[3] = fx_delayed(fx_chunk("PENDING\r\n", 9), 200);
    script[1].pieces[4] = fx_delayed(fx_chunk(done, (size_t)dlen + sizeof(EXEC_BODY)), 150);
    script[1].pieces[5] = fx_last_chunk();
    script[1].n_pieces = 6;
    if (fx_start(&s, script, 2) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    mc_conn_t *c = mc_conn_new(fx_url(&s, "/mapi/emsmdb/?MailboxId=u@example.test", url, sizeof(url)));
    ok(c != NULL, "connection object");
    mc_response_t r;
    mc_response_init(&r);
    mc_request_t ping = {.request_type = "PING"};
    is_int(mc_conn_request(c, &ping, &r), MC_OK, "PING exchange completes");
    is_int(r.http_status, 200, "PING: HTTP 200");
    is_int(r.response_code, 0, "PING: X-ResponseCode 0");
    is_int(r.meta_layout, 1, "PING: meta-tag layout");
    is_int(r.parse_error, MC_PARSE_OK, "PING: body parses");
    ok(r.processing_seen && r.done_seen && r.pending_count == 0, "PING: PROCESSING, DONE, no PENDING");
    is_str(mc_headers_get(&r.extra, "X-ElapsedTime"), "0", "PING: X-ElapsedTime additional header");
    is_int(r.body_len, 0, "PING: empty body after the meta block");
    is_int(mc_headers_count(&r.headers, "set-cookie"), 2, "PING: both Set-Cookie headers kept");
    is_str(mc_cookies_get(mc_conn_cookies(c), "MapiContext"), "ctx-1", "jar: context cookie stored");
    is_str(mc_cookies_get(mc_conn_cookies(c), "MapiSequence"), "seq-1", "jar: sequence cookie stored");
    is_int(r.new_connections, 1, "PING opened one connection");
    is_int(r.http_responses, 1, "PING: one HTTP response, no auth round trip");

    const fx_request_t *q = fx_req(&s, 0);
    char m[16], want[96];
    ok(q != NULL, "server saw the PING");
    is_str(fx_req_method(q, m, sizeof(m)), "POST", "PING: POST");
    static const char line1[] = "POST /mapi/emsmdb/?MailboxId=u@example.test HTTP/1.1\r\n";
    ok(q && strncmp(q->head, line1, sizeof(line1) - 1) == 0,
       "PING: request line with the MailboxId query");
    is_str(fx_req_header(q, "Content-Type", hbuf, sizeof(hbuf)), "application/mapi-http",
           "PING: Content-Type application/mapi-http");
    is_str(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)), "PING", "PING: X-RequestType");
    snprintf(want, sizeof(want), "%s:1", mc_conn_request_guid(c));
    is_str(fx_req_header(q, "X-RequestId", hbuf, sizeof(hbuf)), want, "PING: X-RequestId {GUID}:1");
    is_str(mc_conn_last_request_id(c), want, "last request id accessor");
    ok(fx_req_header(q, "X-ClientInfo", hbuf, sizeof(hbuf)) && hbuf[0] == '{'
           && strcmp(hbuf + 38, "-1") == 0, "PING: X-ClientInfo {GUID}-1 (%s)", hbuf);
    ok(fx_req_header(q, "X-ClientApplication", hbuf, sizeof(hbuf))
           && strncmp(hbuf, "Outlook/16.0.", 13) == 0, "PING: X-ClientApplication Outlook/16.0.x");
    is_str(fx_req_header(q, "Content-Length", hbuf, sizeof(hbuf)), "0", "PING: Content-Length 0");
    ok(fx_req_header(q, "Cookie", hbuf, sizeof(hbuf)) == NULL, "PING: no cookie yet");
    ok(fx_req_header(q, "Expect", hbuf, sizeof(hbuf)) == NULL, "PING: no Expect header");

    static const uint8_t exec_req[] = {3, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4, 0, 0x80, 0, 0, 0, 0, 0, 0};
    mc_request_t exec = {.request_type = "Execute", .body = exec_req, .body_len = sizeof(exec_req)};
    is_int(mc_conn_request(c, &exec, &r), MC_OK, "Execute exchange completes");
    is_int(r.parse_error, MC_PARSE_OK, "Execute: chunked body parses");
    is_int(r.pending_count, 2, "Execute: two PENDING keep-alives");
    is_int(r.n_meta, 4, "Execute: PROCESSING PENDING PENDING DONE");
    if (r.n_meta == 4) {
        double p1 = r.meta[1].ms, p2 = r.meta[2].ms, d = r.meta[3].ms;
        diag("PROCESSING %.1f ms, PENDING %.1f / %.1f ms, DONE %.1f ms", r.meta[0].ms, p1, p2, d);
        /* Loose bounds: a loaded CI machine may delay a read, never hasten one. */
        ok(r.meta[0].ms < 180, "PROCESSING arrived before the first keep-alive was due");
        ok(p1 >= 190 && p1 < 1000, "first PENDING after ~200 ms (%.0f)", p1);
        ok(p2 >= 390 && p2 - p1 >= 100, "second PENDING ~200 ms later (%.0f)", p2 - p1);
        ok(d >= 540 && d - p1 >= 250, "DONE stamped at its own arrival, after the keep-alives (%.0f)", d);
    }
    is_str(mc_headers_get(&r.headers, "Transfer-Encoding"), "chunked", "Execute: response was chunked");
    is_mem(r.body, r.body_len, EXEC_BODY, sizeof(EXEC_BODY), "Execute: binary body after the blank line");
    is_int(r.extra_response_code, 0, "Execute: X-ResponseCode 0 in the DONE block");
    is_int(r.new_connections, 0, "Execute reused the kept-alive connection");
    is_int(fx_accepts(&s), 1, "server accepted one TCP connection for both");
    ok(r.total_ms >= 500, "total time covers the keep-alives (%.0f ms)", r.total_ms);
    is_str(mc_cookies_get(mc_conn_cookies(c), "MapiSequence"), "seq-2", "jar: sequence cookie replaced");
    is_str(mc_cookies_get(mc_conn_cookies(c), "MapiContext"), "ctx-1", "jar: context cookie kept");

    q = fx_req(&s, 1);
    is_str(fx_req_header(q, "Cookie", hbuf, sizeof(hbuf)), "MapiContext=ctx-1; MapiSequence=seq-1",
           "Execute: sent back every cookie of the previous response");
    is_int(fx_req_header_count(q, "Cookie"), 1, "Execute: one Cookie header");
    snprintf(want, sizeof(want), "%s:2", mc_conn_request_guid(c));
    is_str(fx_req_header(q, "X-RequestId", hbuf, sizeof(hbuf)), want, "Execute: X-RequestId counter 2");
    is_str(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)), "Execute", "Execute: X-RequestType");
    ok(q && q->body_len == sizeof(exec_req) && memcmp(q->body, exec_req, sizeof(exec_req)) == 0,
       "Execute: binary request body sent exactly");
    is_int(mc_conn_request_counter(c), 2, "two requests counted");
    mc_response_free(&r);
    mc_conn_free(c);
    fx_stop(&s);
}

/* Non-zero X-ResponseCode: diagnostic body kept raw (2.2.2.2). */
static void test_error_body_raw(void)
{
    fx_server_t s;
    fx_response_t script[4];
    static const char html[] = "<html><body>X-ResponseCode: 10 Context Not Found</body></html>";
    memset(script, 0, sizeof(script));
    script[0].pieces[0] = fx_whole("HTTP/1.1 200 OK",
                                   "Content-Type: text/html\r\nX-ResponseCode: 10\r\n",
                                   html, sizeof(html) - 1);
    script[0].n_pieces = 1;
    script[1].pieces[0] = fx_whole("HTTP/1.1 401 Unauthorized",
                                   "WWW-Authenticate: Negotiate\r\nContent-Type: text/html\r\n",
                                   "denied", 6);
    script[1].n_pieces = 1;
    /* HTTP 200, X-ResponseCode 0, but the layout is broken: parse error. */
    script[2].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, "PROCESSING\r\nPEND", 16);
    script[2].n_pieces = 1;
    /* An interim 100 response first: only the final one's headers count. */
    script[3].pieces[0] = (fx_piece_t){0, "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n", 39};
    script[3].pieces[1] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS "X-Final: 1\r\n",
                                   "PROCESSING\r\nDONE\r\n\r\n", 20);
    script[3].n_pieces = 2;
    if (fx_start(&s, script, 4) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    mc_conn_t *c = mc_conn_new(fx_url(&s, "/mapi/emsmdb/", url, sizeof(url)));
    mc_response_t r;
    mc_request_t req = {.request_type = "Execute"};
    mc_response_init(&r);
    is_int(mc_conn_request(c, &req, &r), MC_OK, "error response: exchange completes");
    is_int(r.response_code, 10, "X-ResponseCode 10 read from the header");
    is_int(r.meta_layout, 0, "non-zero X-ResponseCode: body not parsed for meta-tags");
    is_int(r.parse_error, MC_PARSE_OK, "raw body is no parse error");
    is_mem(r.body, r.body_len, html, sizeof(html) - 1, "diagnostic body exposed raw");

    is_int(mc_conn_request(c, &req, &r), MC_OK, "401: exchange completes");
    is_int(r.http_status, 401, "401 status reported");
    is_int(r.response_code, -1, "401: no X-ResponseCode");
    is_int(r.meta_layout, 0, "401: raw body");
    is_mem(r.body, r.body_len, "denied", 6, "401 body");

    is_int(mc_conn_request(c, &req, &r), MC_OK, "malformed layout: still MC_OK (HTTP worked)");
    is_int(r.meta_layout, 1, "X-ResponseCode 0: meta layout expected");
    is_int(r.parse_error, MC_PARSE_NO_DONE, "malformed layout: parse error NO_DONE");

    is_int(mc_conn_request(c, &req, &r), MC_OK, "interim 100 then 200: completes");
    is_int(r.http_responses, 2, "two HTTP responses counted");
    is_int(r.http_status, 200, "final status kept");
    ok(mc_headers_get(&r.headers, "X-Interim") == NULL && mc_headers_get(&r.headers, "X-Final") != NULL,
       "headers are the final response's only");
    is_int(r.parse_error, MC_PARSE_OK, "final body parsed");
    mc_response_free(&r);
    mc_conn_free(c);
    fx_stop(&s);
}

/* Negative-test controls: override/remove headers, GET, stale or foreign
 * cookies, Basic auth, persistent headers. */
static void test_overrides(void)
{
    fx_server_t s;
    fx_response_t script[5];
    memset(script, 0, sizeof(script));
    for (int i = 0; i < 5; i++) {
        script[i].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, PING_BODY, sizeof(PING_BODY) - 1);
        script[i].n_pieces = 1;
    }
    /* The fourth answer ends the context: Max-Age=0 removes the cookie. */
    script[3].pieces[0] = fx_whole("HTTP/1.1 200 OK",
                                   OK_HEADERS "Set-Cookie: MapiContext=; Max-Age=0; path=/\r\n",
                                   PING_BODY, sizeof(PING_BODY) - 1);
    if (fx_start(&s, script, 5) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    mc_conn_t *c = mc_conn_new(fx_url(&s, "/mapi/nspi/", url, sizeof(url)));
    mc_response_t r;
    char m[16];
    mc_response_init(&r);
    mc_cookies_set(mc_conn_cookies(c), "MapiContext", "stale-context");
    mc_cookies_set(mc_conn_cookies(c), "Foreign", "x");
    const char *hdrs1[] = {"Content-Type: text/plain", "X-RequestType:", "X-Extra: yes"};
    mc_request_t bad = {.request_type = "PING", .method = "GET", .headers = hdrs1, .n_headers = 3};
    is_int(mc_conn_request(c, &bad, &r), MC_OK, "GET with overrides completes");
    const fx_request_t *q = fx_req(&s, 0);
    is_str(fx_req_method(q, m, sizeof(m)), "GET", "method GET sent");
    is_str(fx_req_header(q, "Content-Type", hbuf, sizeof(hbuf)), "text/plain", "Content-Type overridden");
    is_int(fx_req_header_count(q, "Content-Type"), 1, "only the overriding Content-Type");
    ok(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)) == NULL, "X-RequestType removed");
    is_str(fx_req_header(q, "X-Extra", hbuf, sizeof(hbuf)), "yes", "extra header added");
    is_str(fx_req_header(q, "Cookie", hbuf, sizeof(hbuf)), "MapiContext=stale-context; Foreign=x",
           "stale and foreign cookies presented");

    const char *hdrs2[] = {"Cookie: MapiContext=forged", "Content-Type:", "X-RequestId:"};
    mc_request_t forged = {.request_type = "PING", .headers = hdrs2, .n_headers = 3};
    mc_conn_set_auth(c, MC_AUTH_BASIC, "alice", "s3cret");
    mc_conn_set_client_application(c, "Outlook/16.0.99999.1");
    is_int(mc_conn_request(c, &forged, &r), MC_OK, "forged cookie request completes");
    q = fx_req(&s, 1);
    is_str(fx_req_method(q, m, sizeof(m)), "POST", "default method POST");
    is_str(fx_req_header(q, "Cookie", hbuf, sizeof(hbuf)), "MapiContext=forged",
           "caller's Cookie header replaces the jar");
    ok(fx_req_header(q, "Content-Type", hbuf, sizeof(hbuf)) == NULL, "Content-Type removed entirely");
    ok(fx_req_header(q, "X-RequestId", hbuf, sizeof(hbuf)) == NULL, "X-RequestId removed");
    is_str(fx_req_header(q, "Authorization", hbuf, sizeof(hbuf)), "Basic YWxpY2U6czNjcmV0",
           "Basic credentials sent");
    is_str(fx_req_header(q, "X-ClientApplication", hbuf, sizeof(hbuf)), "Outlook/16.0.99999.1",
           "X-ClientApplication configurable");

    mc_request_t nocookie = {.request_type = "PING", .no_cookies = 1};
    is_int(mc_conn_add_header(c, "X-ClientInfo: custom-info"), MC_OK, "persistent header accepted");
    is_int(mc_conn_add_header(c, "bad header"), MC_ERR_ARG, "header without colon refused");
    mc_conn_set_auth(c, MC_AUTH_NONE, NULL, NULL);
    is_int(mc_conn_request(c, &nocookie, &r), MC_OK, "no-cookie request completes");
    q = fx_req(&s, 2);
    ok(fx_req_header(q, "Cookie", hbuf, sizeof(hbuf)) == NULL, "no_cookies: no Cookie header");
    is_str(fx_req_header(q, "X-ClientInfo", hbuf, sizeof(hbuf)), "custom-info",
           "persistent header replaces X-ClientInfo");
    is_int(fx_req_header_count(q, "X-ClientInfo"), 1, "one X-ClientInfo");
    ok(fx_req_header(q, "Authorization", hbuf, sizeof(hbuf)) == NULL, "auth none: no Authorization");

    is_int(mc_conn_request(c, &nocookie, &r), MC_OK, "context-ending response completes");
    ok(mc_cookies_get(mc_conn_cookies(c), "MapiContext") == NULL, "Max-Age=0 removed the context cookie");
    is_str(mc_cookies_get(mc_conn_cookies(c), "Foreign"), "x", "other cookies stay");

    mc_conn_clear_headers(c);
    mc_cookies_clear(mc_conn_cookies(c));
    mc_request_t plain = {.request_type = "PING"};
    is_int(mc_conn_request(c, &plain, &r), MC_OK, "request after clearing");
    q = fx_req(&s, 4);
    ok(fx_req_header(q, "Cookie", hbuf, sizeof(hbuf)) == NULL, "cleared jar: no Cookie header");
    ok(fx_req_header(q, "X-ClientInfo", hbuf, sizeof(hbuf)) && hbuf[0] == '{',
       "cleared overrides: default X-ClientInfo back");
    const char *bad_hdr[] = {"no-colon"};
    mc_request_t badreq = {.request_type = "PING", .headers = bad_hdr, .n_headers = 1};
    is_int(mc_conn_request(c, &badreq, &r), MC_ERR_ARG, "malformed per-request header refused");
    mc_response_free(&r);
    mc_conn_free(c);
    fx_stop(&s);
}

/* A large body goes out at once: no "Expect: 100-continue" wait. */
static void test_large_body(void)
{
    fx_server_t s;
    fx_response_t script[1];
    size_t n = 200000;
    uint8_t *big = malloc(n);
    for (size_t i = 0; i < n; i++)
        big[i] = (uint8_t)(i * 7);
    memset(script, 0, sizeof(script));
    script[0].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, PING_BODY, sizeof(PING_BODY) - 1);
    script[0].n_pieces = 1;
    if (fx_start(&s, script, 1) != 0) {
        ok(0, "fixture server starts");
        free(big);
        return;
    }
    mc_conn_t *c = mc_conn_new(fx_url(&s, "/mapi/emsmdb/", url, sizeof(url)));
    mc_response_t r;
    mc_request_t req = {.request_type = "Execute", .body = big, .body_len = n};
    mc_response_init(&r);
    is_int(mc_conn_request(c, &req, &r), MC_OK, "200 kB request completes");
    const fx_request_t *q = fx_req(&s, 0);
    ok(fx_req_header(q, "Expect", hbuf, sizeof(hbuf)) == NULL, "large body: no Expect header");
    ok(q && q->body_len == n && memcmp(q->body, big, n) == 0, "large body arrives intact");
    ok(r.total_ms < 900, "no 100-continue wait (%.0f ms)", r.total_ms);
    mc_response_free(&r);
    mc_conn_free(c);
    fx_stop(&s);
    free(big);
}

/* Transport failures come back as MC_ERR_TRANSPORT with a message. */
static void test_transport_errors(void)
{
    fx_server_t s;
    fx_response_t script[2];
    mc_response_t r;
    mc_request_t req = {.request_type = "PING"};
    mc_response_init(&r);

    snprintf(url, sizeof(url), "http://127.0.0.1:%d/mapi/emsmdb/", fx_dead_port());
    mc_conn_t *c = mc_conn_new(url);
    is_int(mc_conn_request(c, &req, &r), MC_ERR_TRANSPORT, "connection refused: transport error");
    ok(strlen(mc_conn_error(c)) > 0, "error text: %s", mc_conn_error(c));
    mc_conn_free(c);

    memset(script, 0, sizeof(script));
    /* Promises 100 bytes, sends 5, closes. */
    script[0].pieces[0] = (fx_piece_t){0, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nPROCE", 45};
    script[0].n_pieces = 1;
    script[0].close_after = 1;
    /* Answers only after 2 s. */
    script[1].pieces[0] = fx_delayed(fx_whole("HTTP/1.1 200 OK", OK_HEADERS, PING_BODY,
                                              sizeof(PING_BODY) - 1), 1500);
    script[1].n_pieces = 1;
    if (fx_start(&s, script, 2) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    c = mc_conn_new(fx_url(&s, "/mapi/emsmdb/", url, sizeof(url)));
    is_int(mc_conn_request(c, &req, &r), MC_ERR_TRANSPORT, "short body then close: transport error");
    ok(strlen(mc_conn_error(c)) > 0, "error text: %s", mc_conn_error(c));
    mc_conn_set_timeouts(c, 2000, 300);
    is_int(mc_conn_request(c, &req, &r), MC_ERR_TRANSPORT, "slow server: timeout");
    ok(strstr(mc_conn_error(c), "imeout") || strstr(mc_conn_error(c), "timed out"),
       "timeout named: %s", mc_conn_error(c));
    ok(r.total_ms < 1200, "timeout honoured (%.0f ms)", r.total_ms);
    mc_response_free(&r);
    mc_conn_free(c);
    fx_stop(&s);

    ok(mc_conn_new(NULL) == NULL, "no URL: no connection");
    c = mc_conn_new("http://127.0.0.1:1/");
    is_int(mc_conn_set_auth(c, MC_AUTH_BASIC, "user", NULL), MC_ERR_ARG, "Basic needs a password");
    is_int(mc_conn_request(c, NULL, &r), MC_ERR_ARG, "NULL request refused");
    mc_conn_free(c);
}

int main(void)
{
    test_ping_then_execute();
    test_error_body_raw();
    test_overrides();
    test_large_body();
    test_transport_errors();
    fx_free_all();
    return done_testing();
}
