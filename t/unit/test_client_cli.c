/*
 * test_client_cli.c - the mapicurl program against the scripted loopback
 * server: its grep-able output, cookie-jar chaining between runs, body
 * input/output, negative-test switches and exit codes.
 */
#include "tap.h"
#include "test_client_fixture.h"
#include "mapi_emsmdb.h"
#include "mapi_ropbuf.h"
#include "mapi_rpcext.h"
#include "mapi_status.h"
#include "mapi_nspi.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAPICURL
#error "MAPICURL must name the mapicurl binary"
#endif

#define OK_HEADERS "Content-Type: application/mapi-http\r\nX-ResponseCode: 0\r\n"

static const char PING_BODY[] = "PROCESSING\r\nDONE\r\nX-ElapsedTime: 0\r\n\r\n";

static char out[65536];
static char cmd[4096];
static char hbuf[1024];
static char url[256];
static char tmpdir[] = "/tmp/mc_cli_XXXXXX";

/* Runs cmd (stderr merged), output into `out`; returns the exit status. */
static int run(const char *c)
{
    char full[4200];
    size_t n = 0;
    snprintf(full, sizeof(full), "%s 2>&1", c);
    FILE *p = popen(full, "r");
    if (!p)
        return -1;
    while (n < sizeof(out) - 1) {
        size_t got = fread(out + n, 1, sizeof(out) - 1 - n, p);
        if (got == 0)
            break;
        n += got;
    }
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int has_line(const char *line)
{
    size_t n = strlen(line);
    for (const char *p = out; (p = strstr(p, line)) != NULL; p++)
        if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            return 1;
    return 0;
}

static int count_lines(const char *line)
{
    int k = 0;
    size_t n = strlen(line);
    for (const char *p = out; (p = strstr(p, line)) != NULL; p++)
        if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
            k++;
    return k;
}

static void slurp(const char *path, char *buf, size_t size, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *len = f ? fread(buf, 1, size, f) : 0;
    if (f)
        fclose(f);
}

static void test_chain(void)
{
    fx_server_t s;
    fx_response_t script[2];
    static const char done[] = "DONE\r\nX-ResponseCode: 0\r\nX-ElapsedTime: 1\r\n\r\n\x00\x00\x00\x00\x7f\xfe";
    char jar[300], bodyout[300], buf[256];
    size_t len;
    memset(script, 0, sizeof(script));
    script[0].pieces[0] = fx_whole("HTTP/1.1 200 OK",
                                   OK_HEADERS "Set-Cookie: MapiContext=ctx-1; path=/\r\n"
                                   "Set-Cookie: MapiSequence=seq-1; path=/\r\n",
                                   PING_BODY, sizeof(PING_BODY) - 1);
    script[0].n_pieces = 1;
    script[1].pieces[0] = fx_chunked_head("HTTP/1.1 200 OK",
                                          OK_HEADERS "Set-Cookie: MapiSequence=seq-2\r\n");
    script[1].pieces[1] = fx_chunk("PROCESSING\r\n", 12);
    script[1].pieces[2] = fx_delayed(fx_chunk("PENDING\r\n", 9), 100);
    script[1].pieces[3] = fx_delayed(fx_chunk("PENDING\r\n", 9), 100);
    script[1].pieces[4] = fx_chunk(done, sizeof(done) - 1);
    script[1].pieces[5] = fx_last_chunk();
    script[1].n_pieces = 6;
    if (fx_start(&s, script, 2) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    snprintf(jar, sizeof(jar), "%s/jar", tmpdir);
    snprintf(bodyout, sizeof(bodyout), "%s/body.bin", tmpdir);
    fx_url(&s, "/mapi/emsmdb/?MailboxId=a@b", url, sizeof(url));

    snprintf(cmd, sizeof(cmd), "%s --type PING --cookie-jar %s '%s'", MAPICURL, jar, url);
    is_int(run(cmd), 0, "mapicurl PING: exit 0");
    ok(has_line("http_status: 200"), "PING: http_status line");
    ok(has_line("header: X-ResponseCode: 0"), "PING: header line");
    ok(has_line("response_code: 0"), "PING: response_code line");
    ok(has_line("layout: meta"), "PING: layout meta");
    ok(has_line("meta: PROCESSING") && has_line("meta: DONE"), "PING: meta lines");
    is_int(count_lines("meta: PENDING"), 0, "PING: no PENDING line");
    ok(has_line("extra: X-ElapsedTime: 0"), "PING: extra line");
    ok(has_line("parse: ok"), "PING: parse ok");
    ok(has_line("body_len: 0"), "PING: body_len 0");
    ok(has_line("cookie: MapiContext=ctx-1") && has_line("cookie: MapiSequence=seq-1"),
       "PING: cookie lines for the jar");
    slurp(jar, buf, sizeof(buf) - 1, &len);
    buf[len] = '\0';
    ok(strstr(buf, "MapiContext=ctx-1\n") && strstr(buf, "MapiSequence=seq-1\n"), "cookie jar file written");

    snprintf(cmd, sizeof(cmd),
             "%s --type Execute --cookie-jar %s --body-hex '03000000 0200 0000 abcd' "
             "--header 'X-Test: 1' --client-app Outlook/16.0.1.2 --body-out %s '%s'",
             MAPICURL, jar, bodyout, url);
    is_int(run(cmd), 0, "mapicurl Execute: exit 0");
    is_int(count_lines("meta: PENDING"), 2, "Execute: two PENDING lines");
    ok(has_line("body_len: 6"), "Execute: body_len 6");
    ok(has_line("body_hex: 000000007ffe"), "Execute: body_hex");
    ok(has_line("cookie: MapiSequence=seq-2") && has_line("cookie: MapiContext=ctx-1"),
       "Execute: jar updated");
    ok(strstr(out, "meta_ms: PENDING ") != NULL, "Execute: PENDING arrival times printed");
    slurp(bodyout, buf, sizeof(buf), &len);
    is_mem(buf, len, "\x00\x00\x00\x00\x7f\xfe", 6, "--body-out wrote the binary body");
    const fx_request_t *q = fx_req(&s, 1);
    is_str(fx_req_header(q, "Cookie", hbuf, sizeof(hbuf)), "MapiContext=ctx-1; MapiSequence=seq-1",
           "second run sent the cookies the first run saved");
    is_str(fx_req_header(q, "X-Test", hbuf, sizeof(hbuf)), "1", "--header added");
    is_str(fx_req_header(q, "X-ClientApplication", hbuf, sizeof(hbuf)), "Outlook/16.0.1.2",
           "--client-app");
    is_str(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)), "Execute", "--type");
    ok(q && q->body_len == 10 && memcmp(q->body, "\x03\x00\x00\x00\x02\x00\x00\x00\xab\xcd", 10) == 0,
       "--body-hex sent as bytes");
    slurp(jar, buf, sizeof(buf) - 1, &len);
    buf[len] = '\0';
    ok(strstr(buf, "MapiSequence=seq-2\n") != NULL, "jar file has the new sequence cookie");
    fx_stop(&s);
}

static void test_errors_and_switches(void)
{
    fx_server_t s;
    fx_response_t script[5];
    char m[16], bodyfile[300];
    static const char html[] = "<html>Context Not Found</html>\n";
    memset(script, 0, sizeof(script));
    script[0].pieces[0] = fx_whole("HTTP/1.1 200 OK", "Content-Type: text/html\r\nX-ResponseCode: 10\r\n",
                                   html, sizeof(html) - 1);
    script[1].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, "PROCESSING\r\nPEND", 16);
    script[2].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, "PROCESSING\r\nPEND", 16);
    for (int i = 3; i < 5; i++)
        script[i].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, PING_BODY, sizeof(PING_BODY) - 1);
    for (int i = 0; i < 5; i++)
        script[i].n_pieces = 1;
    if (fx_start(&s, script, 5) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    fx_url(&s, "/mapi/emsmdb/", url, sizeof(url));

    snprintf(cmd, sizeof(cmd), "%s --type Execute --cookie MapiContext=stale '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "X-ResponseCode 10: still exit 0");
    ok(has_line("response_code: 10") && has_line("layout: raw"), "error response: raw layout, code 10");
    ok(has_line("body_text: <html>Context Not Found</html>\\n"), "diagnostic body printed as text");
    is_str(fx_req_header(fx_req(&s, 0), "Cookie", hbuf, sizeof(hbuf)), "MapiContext=stale",
           "--cookie presented");

    snprintf(cmd, sizeof(cmd), "%s --type Execute '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "malformed body: exit 0 without --strict");
    ok(has_line("parse_error: no DONE"), "parse_error line");
    snprintf(cmd, sizeof(cmd), "%s --strict --type Execute '%s'", MAPICURL, url);
    is_int(run(cmd), 5, "malformed body with --strict: exit 5");

    snprintf(cmd, sizeof(cmd), "%s --method GET --header 'Content-Type:' --header 'X-RequestId:' '%s'",
             MAPICURL, url);
    is_int(run(cmd), 0, "GET: exit 0");
    const fx_request_t *q = fx_req(&s, 3);
    is_str(fx_req_method(q, m, sizeof(m)), "GET", "--method GET");
    ok(fx_req_header(q, "Content-Type", hbuf, sizeof(hbuf)) == NULL, "--header 'Content-Type:' removes it");
    ok(fx_req_header(q, "X-RequestId", hbuf, sizeof(hbuf)) == NULL, "--header 'X-RequestId:' removes it");
    ok(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)) == NULL, "no --type: no X-RequestType");

    snprintf(bodyfile, sizeof(bodyfile), "%s/req.bin", tmpdir);
    FILE *f = fopen(bodyfile, "wb");
    if (f) {
        fwrite("\x00\x01\x02", 1, 3, f);
        fclose(f);
    }
    snprintf(cmd, sizeof(cmd), "%s --basic 'alice:pw:x' --type Disconnect --body-file %s '%s'",
             MAPICURL, bodyfile, url);
    is_int(run(cmd), 0, "Basic + body file: exit 0");
    q = fx_req(&s, 4);
    is_str(fx_req_header(q, "Authorization", hbuf, sizeof(hbuf)), "Basic YWxpY2U6cHc6eA==",
           "--basic user:pass (password may hold ':')");
    ok(q && q->body_len == 3 && memcmp(q->body, "\x00\x01\x02", 3) == 0, "--body-file sent as is");
    fx_stop(&s);

    snprintf(cmd, sizeof(cmd), "%s --type PING http://127.0.0.1:%d/", MAPICURL, fx_dead_port());
    is_int(run(cmd), 3, "connection refused: exit 3");
    ok(strstr(out, "mapicurl: transport error") != NULL, "clear transport message: %.80s", out);
    is_int(run(MAPICURL " --type PING"), 2, "no URL: usage exit 2");
    ok(strstr(out, "usage: mapicurl") != NULL, "usage printed");
    is_int(run(MAPICURL " --body-hex zz http://127.0.0.1:1/"), 2, "bad hex: exit 2");
    is_int(run(MAPICURL " --body-file /nonexistent/x http://127.0.0.1:1/"), 4, "missing body file: exit 4");
    is_int(run(MAPICURL " --basic nocolon http://127.0.0.1:1/"), 2, "--basic without ':': exit 2");
    is_int(run(MAPICURL " --cookie novalue http://127.0.0.1:1/"), 2, "--cookie without '=': exit 2");
    is_int(run(MAPICURL " --help"), 0, "--help: exit 0");
}

#define META_OK "PROCESSING\r\nDONE\r\nX-ResponseCode: 0\r\n\r\n"

/* Meta block + codec-built body; frees wr. */
static fx_piece_t mapi_whole(mapi_wr_t *wr)
{
    size_t ml = strlen(META_OK);
    uint8_t *b = malloc(ml + wr->len + 1);
    memcpy(b, META_OK, ml);
    if (wr->len)
        memcpy(b + ml, wr->p, wr->len);
    fx_piece_t p = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, b, ml + wr->len);
    free(b);
    mapi_wr_free(wr);
    return p;
}

/* --connect / --execute-rops / --disconnect / --notification-wait build the
 * bodies with libmapicodec and print the decoded answers. */
static void test_emsmdb_builders(void)
{
    fx_server_t s;
    fx_response_t script[7];
    mapi_wr_t wr, plain, framed;
    memset(script, 0, sizeof(script));

    mapi_connect_rsp_t cr;
    memset(&cr, 0, sizeof(cr));
    cr.max_polling_interval = 60000;
    cr.retry_count = 6;
    cr.retry_delay = 10000;
    cr.dn_prefix = "/o=Org";
    cr.display_name = "Alice";
    mapi_wr_init(&wr, 0);
    mapi_connect_rsp_encode(&wr, &cr);
    script[0].pieces[0] = mapi_whole(&wr);

    static const uint8_t rops_out[] = {0xFE, 0x01, 0x00, 0x00, 0x00, 0x00};
    static const uint32_t h_out[] = {0x11, 0x22};
    mapi_execute_rsp_t er;
    mapi_wr_init(&plain, 0);
    mapi_wr_init(&framed, 0);
    mapi_ropbuf_build(&plain, rops_out, sizeof(rops_out), h_out, 2);
    mapi_rpcext_encode(&framed, plain.p, plain.len, MAPI_RPCEXT_ENC_LAST | MAPI_RPCEXT_ENC_XOR);
    memset(&er, 0, sizeof(er));
    er.rop_buffer.p = framed.p;
    er.rop_buffer.len = (uint32_t)framed.len;
    mapi_wr_init(&wr, 0);
    mapi_execute_rsp_encode(&wr, &er);
    script[1].pieces[0] = mapi_whole(&wr);
    mapi_wr_free(&plain);
    mapi_wr_free(&framed);

    mapi_notifwait_rsp_t nw;
    memset(&nw, 0, sizeof(nw));
    nw.event_pending = 1;
    mapi_wr_init(&wr, 0);
    mapi_notifwait_rsp_encode(&wr, &nw);
    script[2].pieces[0] = mapi_whole(&wr);

    mapi_disconnect_rsp_t dr;
    memset(&dr, 0, sizeof(dr));
    mapi_wr_init(&wr, 0);
    mapi_disconnect_rsp_encode(&wr, &dr);
    script[3].pieces[0] = mapi_whole(&wr);

    /* Truncated Connect answer, a failure layout, an error response. */
    mapi_wr_init(&wr, 0);
    mapi_connect_rsp_encode(&wr, &cr);
    wr.len -= 3;
    script[4].pieces[0] = mapi_whole(&wr);
    mapi_wr_init(&wr, 0);
    mapi_failure_rsp_encode(&wr, 0x4B6, &(mapi_blob_t){NULL, 0});
    script[5].pieces[0] = mapi_whole(&wr);
    script[6].pieces[0] = fx_whole("HTTP/1.1 200 OK", "Content-Type: text/html\r\nX-ResponseCode: 10\r\n", "x", 1);
    for (int i = 0; i < 7; i++)
        script[i].n_pieces = 1;
    if (fx_start(&s, script, 7) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    fx_url(&s, "/mapi/emsmdb/", url, sizeof(url));

    snprintf(cmd, sizeof(cmd), "%s --connect '/o=Org/cn=Recipients/cn=alice' '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "--connect: exit 0");
    ok(has_line("rsp: StatusCode: 0") && has_line("rsp: ErrorCode: 0x00000000"), "--connect: codes");
    ok(has_line("rsp: MaxPollingInterval: 60000") && has_line("rsp: RetryCount: 6")
           && has_line("rsp: RetryDelay: 10000"), "--connect: polling and retry fields");
    ok(has_line("rsp: DnPrefix: /o=Org") && has_line("rsp: DisplayName: Alice"), "--connect: names");
    ok(has_line("decode: ok"), "--connect: decode ok");
    const fx_request_t *q = fx_req(&s, 0);
    mapi_connect_req_t creq;
    is_str(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)), "Connect", "--connect sets X-RequestType");
    ok(q && mapi_connect_req_decode(q->body, q->body_len, &creq) == MAPI_EMSMDB_OK
           && strcmp(creq.user_dn, "/o=Org/cn=Recipients/cn=alice") == 0 && creq.default_code_page == 1252,
       "--connect body: UserDn and code page 1252");

    snprintf(cmd, sizeof(cmd), "%s --execute-rops 'fe 00 00 01' --handles 0xffffffff,7 '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "--execute-rops: exit 0");
    ok(has_line("rsp: Frames: 1"), "--execute-rops: one response frame");
    ok(has_line("rsp: RopsList: fe0100000000"), "--execute-rops: RopsList un-XORed");
    ok(has_line("rsp: Handles: 0x00000011,0x00000022"), "--execute-rops: handle table");
    q = fx_req(&s, 1);
    mapi_execute_req_t ereq;
    mapi_rpcext_chain_t ch;
    mapi_ropbuf_t rb;
    int good = q && mapi_execute_req_decode(q->body, q->body_len, &ereq) == MAPI_EMSMDB_OK
               && ereq.flags == 3 && ereq.max_rop_out == 0x8000
               && mapi_rpcext_decode_chain(ereq.rop_buffer.p, ereq.rop_buffer.len, 0, 0, &ch) == MAPI_RPCEXT_OK;
    ok(good, "--execute-rops body: Flags 3, MaxRopOut 0x8000, one frame");
    if (good) {
        ok(mapi_ropbuf_split(ch.data, ch.len, &rb) == MAPI_EC_SUCCESS && rb.rops_len == 4
               && memcmp(rb.rops, "\xfe\x00\x00\x01", 4) == 0 && rb.handle_count == 2
               && mapi_ropbuf_handle(&rb, 0) == 0xffffffffu && mapi_ropbuf_handle(&rb, 1) == 7,
           "--execute-rops body: RopsList and handles");
        mapi_rpcext_chain_free(&ch);
    }

    snprintf(cmd, sizeof(cmd), "%s --notification-wait '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "--notification-wait: exit 0");
    ok(has_line("rsp: EventPending: 1"), "--notification-wait: EventPending");
    is_str(fx_req_header(fx_req(&s, 2), "X-RequestType", hbuf, sizeof(hbuf)), "NotificationWait",
           "--notification-wait sets X-RequestType");
    is_int(fx_req(&s, 2) ? (long long)fx_req(&s, 2)->body_len : -1, 8, "NotificationWait body: Flags + aux size");

    snprintf(cmd, sizeof(cmd), "%s --disconnect '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "--disconnect: exit 0");
    ok(has_line("rsp: StatusCode: 0") && has_line("decode: ok"), "--disconnect: decoded");

    snprintf(cmd, sizeof(cmd), "%s --strict --connect /o=x '%s'", MAPICURL, url);
    is_int(run(cmd), 5, "truncated Connect answer with --strict: exit 5");
    ok(strstr(out, "decode_error: ") != NULL, "decode_error line");
    snprintf(cmd, sizeof(cmd), "%s --connect /o=x '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "failure layout: exit 0");
    ok(has_line("rsp: StatusCode: 1206") && has_line("decode: ok"), "failure layout: StatusCode shown");
    snprintf(cmd, sizeof(cmd), "%s --type Connect --decode --body-hex 00 '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "error response with --decode: exit 0");
    ok(has_line("decode: skipped (no successful MAPI response)"), "nothing decoded for X-ResponseCode 10");
    fx_stop(&s);

    is_int(run(MAPICURL " --execute-rops fe --handles 1,x http://127.0.0.1:1/"), 2, "bad --handles: exit 2");
    is_int(run(MAPICURL " --connect /o=x --disconnect http://127.0.0.1:1/"), 2, "two body sources: exit 2");
}

static fx_piece_t nspi_whole(const nspi_response_t *rsp)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    nspi_response_encode(rsp, &wr);
    return mapi_whole(&wr);
}

/* --bind / --unbind and --decode of address book answers. */
static void test_nspi_builders(void)
{
    fx_server_t s;
    fx_response_t script[4];
    nspi_response_t r;
    nspi_arena_t arena;
    memset(script, 0, sizeof(script));
    nspi_arena_init(&arena, 0);
    memset(&r, 0, sizeof(r));
    r.type = NSPI_BIND;
    for (int i = 0; i < 16; i++)
        r.u.bind.server_guid[i] = (uint8_t)(i + 1);
    script[0].pieces[0] = nspi_whole(&r);
    memset(&r, 0, sizeof(r));
    r.type = NSPI_GETMAILBOXURL;
    nspi_utf8_to_utf16("https://mail.test/mapi/emsmdb/?MailboxId=a@b", &arena, &r.u.geturl.url);
    script[1].pieces[0] = nspi_whole(&r);
    memset(&r, 0, sizeof(r));
    r.type = NSPI_UNBIND;
    r.error_code = NSPI_UNBIND_SUCCESS;
    script[2].pieces[0] = nspi_whole(&r);
    script[3].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, PING_BODY, sizeof(PING_BODY) - 1);
    for (int i = 0; i < 4; i++)
        script[i].n_pieces = 1;
    if (fx_start(&s, script, 4) != 0) {
        ok(0, "fixture server starts");
        nspi_arena_free(&arena);
        return;
    }
    fx_url(&s, "/mapi/nspi/", url, sizeof(url));

    snprintf(cmd, sizeof(cmd), "%s --bind 1252 '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "--bind: exit 0");
    ok(has_line("rsp: StatusCode: 0") && has_line("rsp: ErrorCode: 0x00000000"), "--bind: codes");
    ok(has_line("rsp: ServerGuid: 04030201-0605-0807-090a-0b0c0d0e0f10"), "--bind: ServerGuid");
    ok(has_line("decode: ok"), "--bind: decode ok");
    const fx_request_t *q = fx_req(&s, 0);
    nspi_request_t req;
    is_str(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)), "Bind", "--bind sets X-RequestType");
    ok(q && nspi_request_decode(NSPI_BIND, q->body, q->body_len, &req, &arena) == NSPI_OK
           && req.u.bind.has_state && req.u.bind.state.code_page == 1252,
       "--bind body: STAT with code page 1252");

    snprintf(cmd, sizeof(cmd), "%s --type GetMailboxUrl --decode --body-hex 00 '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "GetMailboxUrl --decode: exit 0");
    ok(has_line("rsp: Url: https://mail.test/mapi/emsmdb/?MailboxId=a@b"), "GetMailboxUrl: Url from UTF-16");

    snprintf(cmd, sizeof(cmd), "%s --unbind '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "--unbind: exit 0");
    ok(has_line("rsp: ErrorCode: 0x00000001"), "--unbind: UNBIND_SUCCESS");
    is_int(fx_req(&s, 2) ? (long long)fx_req(&s, 2)->body_len : -1, 8, "--unbind body: Reserved + aux size");

    snprintf(cmd, sizeof(cmd), "%s --type PING --decode '%s'", MAPICURL, url);
    is_int(run(cmd), 0, "PING --decode: exit 0");
    ok(has_line("decode: no decoder for this request type"), "PING has no body to decode");
    fx_stop(&s);
    nspi_arena_free(&arena);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        ok(0, "temporary directory");
        return done_testing();
    }
    test_chain();
    test_errors_and_switches();
    test_emsmdb_builders();
    test_nspi_builders();
    fx_free_all();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        diag("could not remove %s", tmpdir);
    return done_testing();
}
