/*
 * test_client_emsmdb.c - the high-level mailbox calls (mc_emsmdb.h) against
 * the loopback fixture: bodies built and read by libmapicodec on both sides
 * ([MS-OXCMAPIHTTP] 2.2.4.1-2.2.4.4, 2.2.6; [MS-OXCRPC] 2.2.2.1 frames;
 * [MS-OXCROPS] 2.2.1 ROP buffers), cookies across a session, and each way a
 * call can fail.
 */
#include "tap.h"
#include "mc_emsmdb.h"
#include "test_client_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK_HEADERS "Content-Type: application/mapi-http\r\nX-ResponseCode: 0\r\n"
#define META_OK "PROCESSING\r\nDONE\r\nX-ResponseCode: 0\r\nX-ElapsedTime: 1\r\n\r\n"

static char url[256];
static char hbuf[512];

/* Meta block + a codec-built body as one Content-Length response. */
static fx_piece_t mapi_whole(const char *headers, mapi_wr_t *wr)
{
    size_t ml = strlen(META_OK);
    uint8_t *b = malloc(ml + wr->len + 1);
    memcpy(b, META_OK, ml);
    if (wr->len)
        memcpy(b + ml, wr->p, wr->len);
    fx_piece_t p = fx_whole("HTTP/1.1 200 OK", headers, b, ml + wr->len);
    free(b);
    mapi_wr_free(wr);
    return p;
}

static void build_connect_rsp(mapi_wr_t *wr)
{
    mapi_connect_rsp_t r;
    memset(&r, 0, sizeof(r));
    r.max_polling_interval = 60000;
    r.retry_count = 6;
    r.retry_delay = 10000;
    r.dn_prefix = "/o=Test Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)";
    r.display_name = "Alice Ärger";
    mapi_wr_init(wr, 0);
    mapi_connect_rsp_encode(wr, &r);
}

/* Execute response: ROP output buffer {rops_out, handles_out} framed with
 * compression and XorMagic so the client has to undo both. */
static void build_execute_rsp(mapi_wr_t *wr)
{
    static const uint8_t rops_out[] = {0xFE, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    static const uint32_t handles_out[] = {0x00000011};
    mapi_wr_t plain, framed;
    mapi_execute_rsp_t r;
    mapi_wr_init(&plain, 0);
    mapi_wr_init(&framed, 0);
    mapi_ropbuf_build(&plain, rops_out, sizeof(rops_out), handles_out, 1);
    mapi_rpcext_encode(&framed, plain.p, plain.len,
                       MAPI_RPCEXT_ENC_LAST | MAPI_RPCEXT_ENC_COMPRESS | MAPI_RPCEXT_ENC_XOR);
    memset(&r, 0, sizeof(r));
    r.rop_buffer.p = framed.p;
    r.rop_buffer.len = (uint32_t)framed.len;
    mapi_wr_init(wr, 0);
    mapi_execute_rsp_encode(wr, &r);
    mapi_wr_free(&plain);
    mapi_wr_free(&framed);
}

static void test_session(void)
{
    fx_server_t s;
    fx_response_t script[6];
    mapi_wr_t wr;
    char done[1024];
    memset(script, 0, sizeof(script));

    build_connect_rsp(&wr);
    script[0].pieces[0] = mapi_whole(OK_HEADERS "Set-Cookie: MapiContext=c1; path=/\r\n"
                                     "Set-Cookie: MapiSequence=s1; path=/\r\n", &wr);
    script[1].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, "PROCESSING\r\nDONE\r\n\r\n", 20);

    /* Execute answered chunked with one PENDING. */
    build_execute_rsp(&wr);
    size_t dl = (size_t)snprintf(done, sizeof(done), "DONE\r\nX-ResponseCode: 0\r\n\r\n");
    memcpy(done + dl, wr.p, wr.len);
    dl += wr.len;
    mapi_wr_free(&wr);
    script[2].pieces[0] = fx_chunked_head("HTTP/1.1 200 OK", OK_HEADERS "Set-Cookie: MapiSequence=s2\r\n");
    script[2].pieces[1] = fx_chunk("PROCESSING\r\n", 12);
    script[2].pieces[2] = fx_delayed(fx_chunk("PENDING\r\n", 9), 100);
    script[2].pieces[3] = fx_chunk(done, dl);
    script[2].pieces[4] = fx_last_chunk();
    script[2].n_pieces = 5;

    mapi_notifwait_rsp_t nw;
    memset(&nw, 0, sizeof(nw));
    nw.event_pending = 1;
    mapi_wr_init(&wr, 0);
    mapi_notifwait_rsp_encode(&wr, &nw);
    dl = (size_t)snprintf(done, sizeof(done), "DONE\r\nX-ResponseCode: 0\r\n\r\n");
    memcpy(done + dl, wr.p, wr.len);
    dl += wr.len;
    mapi_wr_free(&wr);
    script[3].pieces[0] = fx_chunked_head("HTTP/1.1 200 OK", OK_HEADERS);
    script[3].pieces[1] = fx_chunk("PROCESSING\r\n", 12);
    script[3].pieces[2] = fx_delayed(fx_chunk("PENDING\r\n", 9), 100);
    script[3].pieces[3] = fx_delayed(fx_chunk("PENDING\r\n", 9), 100);
    script[3].pieces[4] = fx_chunk(done, dl);
    script[3].pieces[5] = fx_last_chunk();
    script[3].n_pieces = 6;

    mapi_disconnect_rsp_t dr;
    memset(&dr, 0, sizeof(dr));
    mapi_wr_init(&wr, 0);
    mapi_disconnect_rsp_encode(&wr, &dr);
    script[4].pieces[0] = mapi_whole(OK_HEADERS "Set-Cookie: MapiContext=; Max-Age=0\r\n"
                                     "Set-Cookie: MapiSequence=; Max-Age=0\r\n", &wr);
    for (int i = 0; i < 5; i++)
        if (!script[i].n_pieces)
            script[i].n_pieces = 1;
    if (fx_start(&s, script, 5) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    mc_conn_t *c = mc_conn_new(fx_url(&s, "/mapi/emsmdb/?MailboxId=alice@test", url, sizeof(url)));
    mc_response_t resp;
    mc_response_init(&resp);

    /* Connect */
    mapi_connect_req_t creq;
    mapi_connect_rsp_t crsp;
    static const uint8_t aux_in[] = {0, 0, 4, 0, 0, 0, 0, 0};
    memset(&creq, 0, sizeof(creq));
    creq.user_dn = "/o=Test Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice";
    creq.default_code_page = 1252;
    creq.lcid_sort = 1033;
    creq.lcid_string = 1033;
    creq.aux.p = aux_in;
    creq.aux.len = sizeof(aux_in);
    is_int(mc_connect(c, &creq, &resp, &crsp), MC_OK, "Connect succeeds");
    is_int(crsp.status_code, 0, "Connect: StatusCode 0");
    is_int(crsp.max_polling_interval, 60000, "Connect: MaxPollingInterval");
    is_int(crsp.retry_count, 6, "Connect: RetryCount");
    is_int(crsp.retry_delay, 10000, "Connect: RetryDelay");
    is_str(crsp.dn_prefix, "/o=Test Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)", "Connect: DnPrefix");
    is_str(crsp.display_name, "Alice Ärger", "Connect: DisplayName from UTF-16");
    mapi_connect_rsp_free(&crsp);
    is_str(mc_cookies_get(mc_conn_cookies(c), "MapiContext"), "c1", "Connect: context cookie kept");
    const fx_request_t *q = fx_req(&s, 0);
    mapi_connect_req_t seen;
    is_str(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)), "Connect", "Connect: X-RequestType");
    is_int(q ? mapi_connect_req_decode(q->body, q->body_len, &seen) : -99, MAPI_EMSMDB_OK,
           "Connect: the server decodes the request body");
    if (q) {
        is_str(seen.user_dn, creq.user_dn, "Connect: UserDn on the wire");
        is_int(seen.default_code_page, 1252, "Connect: DefaultCodePage on the wire");
        is_mem(seen.aux.p, seen.aux.len, aux_in, sizeof(aux_in), "Connect: aux buffer on the wire");
    }

    /* PING */
    is_int(mc_ping(c, &resp), MC_OK, "PING succeeds");
    is_str(fx_req_header(fx_req(&s, 1), "Cookie", hbuf, sizeof(hbuf)), "MapiContext=c1; MapiSequence=s1",
           "PING carries the context cookies");

    /* Execute */
    static const uint8_t rops_in[] = {0xFE, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00};
    static const uint32_t handles_in[] = {0xFFFFFFFFu};
    mc_rop_result_t rr;
    is_int(mc_execute_rops(c, MAPI_EXEC_NO_COMPRESSION | MAPI_EXEC_NO_XORMAGIC, rops_in, sizeof(rops_in),
                           handles_in, 1, 0x8000, &resp, &rr), MC_OK, "Execute succeeds");
    is_int(rr.rsp.status_code, 0, "Execute: StatusCode 0");
    is_int(rr.rpcext_rc, MAPI_RPCEXT_OK, "Execute: response frames decode (LZ77 + XorMagic undone)");
    is_int(rr.first.rops_len, 20, "Execute: RopsList length");
    ok(rr.first.rops && rr.first.rops[0] == 0xFE, "Execute: first ROP is RopLogon (0xFE)");
    is_int(rr.first.handle_count, 1, "Execute: one handle");
    if (rr.first.handle_count == 1)
        is_int(mapi_ropbuf_handle(&rr.first, 0), 0x11, "Execute: handle value");
    is_int(resp.pending_count, 1, "Execute: one PENDING seen");
    mc_rop_result_free(&rr);
    q = fx_req(&s, 2);
    is_str(fx_req_header(q, "Cookie", hbuf, sizeof(hbuf)), "MapiContext=c1; MapiSequence=s1",
           "Execute carries the sequence cookie of the last response");
    mapi_execute_req_t ereq;
    is_int(q ? mapi_execute_req_decode(q->body, q->body_len, &ereq) : -99, MAPI_EMSMDB_OK,
           "Execute: the server decodes the request body");
    if (q) {
        mapi_rpcext_chain_t ch;
        mapi_ropbuf_t rb;
        is_int(ereq.flags, 3, "Execute: Flags NoCompression|NoXorMagic");
        is_int(ereq.max_rop_out, 0x8000, "Execute: MaxRopOut");
        is_int(mapi_rpcext_decode_chain(ereq.rop_buffer.p, ereq.rop_buffer.len, 0, 0, &ch), MAPI_RPCEXT_OK,
               "Execute: request RopBuffer frame decodes");
        if (ch.nframes == 1) {
            ok(ch.frames[0].flags == MAPI_RPCEXT_LAST, "Execute: one frame, Last, not compressed or XORed");
            is_int(mapi_ropbuf_split(ch.data, ch.len, &rb), MAPI_EC_SUCCESS, "Execute: ROP buffer splits");
            is_mem(rb.rops, rb.rops_len, rops_in, sizeof(rops_in), "Execute: RopsList on the wire");
            ok(rb.handle_count == 1 && mapi_ropbuf_handle(&rb, 0) == 0xFFFFFFFFu, "Execute: handle table");
        }
        mapi_rpcext_chain_free(&ch);
    }
    is_str(mc_cookies_get(mc_conn_cookies(c), "MapiSequence"), "s2", "Execute: new sequence cookie");

    /* NotificationWait */
    mapi_notifwait_rsp_t nwr;
    is_int(mc_notification_wait(c, NULL, &resp, &nwr), MC_OK, "NotificationWait succeeds");
    is_int(nwr.event_pending, 1, "NotificationWait: EventPending 1");
    is_int(resp.pending_count, 2, "NotificationWait: two PENDING keep-alives");
    q = fx_req(&s, 3);
    mapi_notifwait_req_t nreq;
    is_int(q ? mapi_notifwait_req_decode(q->body, q->body_len, &nreq) : -99, MAPI_EMSMDB_OK,
           "NotificationWait: the server decodes the request body");
    is_str(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)), "NotificationWait",
           "NotificationWait: X-RequestType");

    /* Disconnect */
    mapi_disconnect_rsp_t drsp;
    is_int(mc_disconnect(c, NULL, &resp, &drsp), MC_OK, "Disconnect succeeds");
    is_int(drsp.status_code, 0, "Disconnect: StatusCode 0");
    is_int(mc_conn_cookies(c)->n, 0, "Disconnect: expired cookies removed from the jar");
    is_str(fx_req_header(fx_req(&s, 4), "X-RequestType", hbuf, sizeof(hbuf)), "Disconnect",
           "Disconnect: X-RequestType");
    is_int(fx_req(&s, 4) ? (long long)fx_req(&s, 4)->body_len : -1, 4, "Disconnect: body is an empty aux (4 bytes)");
    mc_response_free(&resp);
    mc_conn_free(c);
    fx_stop(&s);
}

static void test_failures(void)
{
    fx_server_t s;
    fx_response_t script[6];
    mapi_wr_t wr;
    memset(script, 0, sizeof(script));
    script[0].pieces[0] = fx_whole("HTTP/1.1 200 OK", "Content-Type: text/html\r\nX-ResponseCode: 10\r\n",
                                   "<html>Context Not Found</html>", 30);
    script[1].pieces[0] = fx_whole("HTTP/1.1 500 Internal Server Error", "Content-Type: text/html\r\n", "x", 1);
    /* Connect answer cut short: body does not decode. */
    build_connect_rsp(&wr);
    wr.len -= 7;
    script[2].pieces[0] = mapi_whole(OK_HEADERS, &wr);
    /* Connect failure layout (2.2.4.1.3): StatusCode != 0, aux. */
    mapi_wr_init(&wr, 0);
    mapi_failure_rsp_encode(&wr, 0x000004B6u, &(mapi_blob_t){NULL, 0});
    script[3].pieces[0] = mapi_whole(OK_HEADERS, &wr);
    /* Execute answer with a RopBuffer that is no RPC_HEADER_EXT frame. */
    mapi_execute_rsp_t er;
    static const uint8_t junk[] = {1, 0, 0, 0, 9, 9};
    memset(&er, 0, sizeof(er));
    er.rop_buffer.p = junk;
    er.rop_buffer.len = sizeof(junk);
    mapi_wr_init(&wr, 0);
    mapi_execute_rsp_encode(&wr, &er);
    script[4].pieces[0] = mapi_whole(OK_HEADERS, &wr);
    /* PING answered without meta-tags. */
    script[5].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, "", 0);
    for (int i = 0; i < 6; i++)
        script[i].n_pieces = 1;
    if (fx_start(&s, script, 6) != 0) {
        ok(0, "fixture server starts");
        return;
    }
    mc_conn_t *c = mc_conn_new(fx_url(&s, "/mapi/emsmdb/", url, sizeof(url)));
    mc_response_t resp;
    mapi_connect_req_t creq;
    mapi_connect_rsp_t crsp;
    mc_rop_result_t rr;
    static const uint8_t rop[] = {0x01};
    mc_response_init(&resp);
    memset(&creq, 0, sizeof(creq));
    creq.user_dn = "/o=x/cn=y";
    is_int(mc_connect(c, &creq, &resp, &crsp), MC_ERR_RESPONSE_CODE, "X-ResponseCode 10: MC_ERR_RESPONSE_CODE");
    is_int(resp.response_code, 10, "the code is in resp");
    is_int(mc_connect(c, &creq, &resp, &crsp), MC_ERR_HTTP, "HTTP 500: MC_ERR_HTTP");
    is_int(mc_connect(c, &creq, &resp, &crsp), MC_ERR_BODY, "truncated Connect body: MC_ERR_BODY");
    is_int(mc_connect(c, &creq, &resp, &crsp), MC_OK, "failure layout decodes");
    is_int(crsp.status_code, 0x4B6, "failure layout: StatusCode reported");
    mapi_connect_rsp_free(&crsp);
    is_int(mc_execute_rops(c, MAPI_EXEC_NO_COMPRESSION | MAPI_EXEC_NO_XORMAGIC, rop, 1, NULL, 0, 0x8000,
                           &resp, &rr), MC_ERR_ROPBUF, "junk RopBuffer: MC_ERR_ROPBUF");
    ok(rr.rpcext_rc != MAPI_RPCEXT_OK, "frame decoder's reason kept: %s", mapi_rpcext_strerror(rr.rpcext_rc));
    mc_rop_result_free(&rr);
    is_int(mc_ping(c, &resp), MC_ERR_LAYOUT, "PING without meta-tags: MC_ERR_LAYOUT");
    is_int(resp.parse_error, MC_PARSE_EMPTY, "layout error detail");
    uint8_t *big = calloc(1, 0x10000);
    is_int(mc_execute_rops(c, 0, big, 0xFFF0, NULL, 0, 0x8000, &resp, &rr), MC_ERR_ARG,
           "ROP buffer over 32 KB refused before sending");
    free(big);
    is_int(fx_n_requests(&s), 6, "the refused Execute was never sent");
    is_str(mc_emsmdb_strerror(MC_ERR_ROPBUF), "RopBuffer is malformed", "strerror");
    mc_response_free(&resp);
    mc_conn_free(c);
    fx_stop(&s);

    c = mc_conn_new("http://127.0.0.1:1/");
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", fx_dead_port());
    mc_conn_set_url(c, url);
    mc_response_init(&resp);
    is_int(mc_ping(c, &resp), MC_ERR_TRANSPORT, "transport errors pass through");
    mc_response_free(&resp);
    mc_conn_free(c);
}

int main(void)
{
    test_session();
    test_failures();
    fx_free_all();
    return done_testing();
}
