/*
 * test_client_nspi.c - the address book calls (mc_nspi.h) against the
 * loopback fixture, with bodies from libmapicodec on both sides
 * ([MS-OXCMAPIHTTP] 2.2.5.1 Bind, 2.2.5.2 Unbind, 2.2.5.4 DNToMId) and the
 * ways a call fails.
 */
#include "tap.h"
#include "mc_nspi.h"
#include "test_client_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK_HEADERS "Content-Type: application/mapi-http\r\nX-ResponseCode: 0\r\n"
#define META_OK "PROCESSING\r\nDONE\r\nX-ResponseCode: 0\r\n\r\n"

static char url[256];
static char hbuf[512];

static fx_piece_t nspi_whole(const char *headers, const nspi_response_t *rsp, size_t cut)
{
    mapi_wr_t wr;
    size_t ml = strlen(META_OK);
    mapi_wr_init(&wr, 0);
    nspi_response_encode(rsp, &wr);
    size_t n = wr.len > cut ? wr.len - cut : 0;
    uint8_t *b = malloc(ml + n + 1);
    memcpy(b, META_OK, ml);
    if (n)
        memcpy(b + ml, wr.p, n);
    fx_piece_t p = fx_whole("HTTP/1.1 200 OK", headers, b, ml + n);
    free(b);
    mapi_wr_free(&wr);
    return p;
}

int main(void)
{
    static const uint8_t guid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static uint32_t mids[] = {0x10, 0x20, 0x30};
    fx_server_t s;
    fx_response_t script[5];
    nspi_response_t rsp;
    mapi_wr_t wr;
    memset(script, 0, sizeof(script));

    memset(&rsp, 0, sizeof(rsp));
    rsp.type = NSPI_BIND;
    memcpy(rsp.u.bind.server_guid, guid, 16);
    script[0].pieces[0] = nspi_whole(OK_HEADERS "Set-Cookie: MapiContext=ab1; path=/\r\n", &rsp, 0);

    memset(&rsp, 0, sizeof(rsp));
    rsp.type = NSPI_DNTOMID;
    rsp.u.dntomid.has_mids = 1;
    rsp.u.dntomid.mids.count = 3;
    rsp.u.dntomid.mids.v = mids;
    script[1].pieces[0] = nspi_whole(OK_HEADERS, &rsp, 0);
    script[2].pieces[0] = nspi_whole(OK_HEADERS, &rsp, 5);   /* truncated */

    mapi_wr_init(&wr, 0);
    nspi_failure_encode(0x80004005u, &(nspi_bytes_t){NULL, 0}, &wr);
    {
        size_t ml = strlen(META_OK);
        uint8_t b[64];
        memcpy(b, META_OK, ml);
        memcpy(b + ml, wr.p, wr.len);
        script[3].pieces[0] = fx_whole("HTTP/1.1 200 OK", OK_HEADERS, b, ml + wr.len);
    }
    mapi_wr_free(&wr);

    memset(&rsp, 0, sizeof(rsp));
    rsp.type = NSPI_UNBIND;
    rsp.error_code = NSPI_UNBIND_SUCCESS;
    script[4].pieces[0] = nspi_whole(OK_HEADERS "Set-Cookie: MapiContext=; Max-Age=0\r\n", &rsp, 0);
    for (int i = 0; i < 5; i++)
        script[i].n_pieces = 1;
    if (fx_start(&s, script, 5) != 0) {
        ok(0, "fixture server starts");
        return done_testing();
    }
    mc_conn_t *c = mc_conn_new(fx_url(&s, "/mapi/nspi/?MailboxId=alice@test", url, sizeof(url)));
    mc_response_t resp;
    nspi_response_t out;
    nspi_arena_t arena;
    mc_response_init(&resp);
    nspi_arena_init(&arena, 0);

    is_int(mc_nspi_bind(c, 1252, 1033, &resp, &out, &arena), MC_OK, "Bind succeeds");
    is_int(out.status_code, 0, "Bind: StatusCode 0");
    is_mem(out.u.bind.server_guid, 16, guid, 16, "Bind: ServerGuid");
    is_str(mc_cookies_get(mc_conn_cookies(c), "MapiContext"), "ab1", "Bind: context cookie stored");
    const fx_request_t *q = fx_req(&s, 0);
    nspi_request_t seen;
    is_str(fx_req_header(q, "X-RequestType", hbuf, sizeof(hbuf)), "Bind", "Bind: X-RequestType");
    is_int(q ? nspi_request_decode(NSPI_BIND, q->body, q->body_len, &seen, &arena) : -99, NSPI_OK,
           "Bind: the server decodes the request body");
    ok(seen.u.bind.has_state && seen.u.bind.state.code_page == 1252 && seen.u.bind.state.sort_locale == 1033
           && seen.u.bind.state.template_locale == 1033, "Bind: STAT code page and locales on the wire");

    nspi_request_t req;
    static const uint8_t dn[] = "/o=Org/cn=Recipients/cn=alice";
    nspi_bytes_t names[1] = {{dn, sizeof(dn) - 1}};
    memset(&req, 0, sizeof(req));
    req.type = NSPI_DNTOMID;
    req.u.dntomid.has_names = 1;
    req.u.dntomid.names.count = 1;
    req.u.dntomid.names.s = names;
    is_int(mc_nspi_call(c, &req, &resp, &out, &arena), MC_OK, "DNToMId succeeds");
    ok(out.u.dntomid.has_mids && out.u.dntomid.mids.count == 3 && out.u.dntomid.mids.v[2] == 0x30,
       "DNToMId: MId array decoded");
    is_str(fx_req_header(fx_req(&s, 1), "X-RequestType", hbuf, sizeof(hbuf)), "DNToMId",
           "DNToMId: X-RequestType name");
    is_str(fx_req_header(fx_req(&s, 1), "Cookie", hbuf, sizeof(hbuf)), "MapiContext=ab1",
           "DNToMId: context cookie sent back");
    is_int(mc_nspi_call(c, &req, &resp, &out, &arena), MC_ERR_BODY, "truncated DNToMId answer: MC_ERR_BODY");
    is_int(mc_nspi_call(c, &req, &resp, &out, &arena), MC_OK, "failure layout decodes");
    is_int(out.status_code, 0x80004005u, "failure layout: StatusCode");

    is_int(mc_nspi_unbind(c, &resp, &out, &arena), MC_OK, "Unbind succeeds");
    is_int(out.error_code, NSPI_UNBIND_SUCCESS, "Unbind: ErrorCode UNBIND_SUCCESS");
    is_int(mc_conn_cookies(c)->n, 0, "Unbind: context cookie expired");
    is_int(fx_req(&s, 4) ? (long long)fx_req(&s, 4)->body_len : -1, 8, "Unbind body: Reserved + aux size");

    req.type = NSPI_REQ_COUNT;
    is_int(mc_nspi_call(c, &req, &resp, &out, &arena), MC_ERR_ARG, "unknown request type refused");
    is_int(fx_n_requests(&s), 5, "nothing sent for the refused call");
    nspi_arena_free(&arena);
    mc_response_free(&resp);
    mc_conn_free(c);
    fx_stop(&s);
    fx_free_all();
    return done_testing();
}
