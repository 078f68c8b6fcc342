/* test_transport.c - the transport codecs together, as the test client and
 * the server glue use them: Connect with aux, Execute with packed request
 * buffers and a chained response ([MS-OXCMAPIHTTP] 2.2.4, [MS-OXCRPC]
 * 3.1.4.2.1 / 4.3, [MS-OXCROPS] 2.2.1). */
#include "mapi_aux.h"
#include "mapi_emsmdb.h"
#include "mapi_ropbuf.h"
#include "mapi_rpcext.h"
#include "mapi_status.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static void test_connect_flow(void)
{
    static const uint8_t guid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    mapi_wr_t aux_w, req_w, rsp_w;
    mapi_connect_req_t q = {0}, sq;
    mapi_connect_rsp_t s = {0}, cs;
    mapi_aux_t aux;
    size_t start;
    char line[200];

    /* client */
    mapi_wr_init(&aux_w, 0);
    start = mapi_aux_begin(&aux_w);
    mapi_aux_add_client_info(&aux_w, 1, "HOST1", "bob", NULL, 0, 1);
    mapi_aux_add_connection_info(&aux_w, guid, 1, 0, NULL);
    is_int(mapi_aux_end(&aux_w, start), MAPI_AUX_OK, "client aux built");
    q.user_dn = "/o=Org/ou=Exchange/cn=Recipients/cn=bob";
    q.default_code_page = 1252;
    q.lcid_sort = q.lcid_string = 0x409;
    q.aux.p = aux_w.p;
    q.aux.len = (uint32_t)aux_w.len;
    mapi_wr_init(&req_w, 0);
    is_int(mapi_connect_req_encode(&req_w, &q), MAPI_EMSMDB_OK, "client encodes Connect");

    /* server */
    is_int(mapi_connect_req_decode(req_w.p, req_w.len, &sq), MAPI_EMSMDB_OK, "server decodes Connect");
    is_int(mapi_aux_parse(sq.aux.p, sq.aux.len, &aux), MAPI_AUX_OK, "server parses its aux");
    mapi_aux_summary(&aux, line, sizeof(line));
    is_str(line,
           "2 aux blocks; machine=HOST1 user=bob ip=- mode=1; "
           "conn={04030201-0605-0807-090a-0b0c0d0e0f10} attempts=1 flags=0x0 info=-",
           "server log line");
    mapi_aux_free(&aux);
    mapi_wr_init(&rsp_w, 0);
    s.max_polling_interval = 60000;
    s.retry_count = 6;
    s.retry_delay = 10000;
    s.dn_prefix = "/o=Org/ou=Exchange/";
    s.display_name = "Bob";
    {
        mapi_wr_t srv_aux;
        mapi_wr_init(&srv_aux, 0);
        mapi_aux_encode_server(&srv_aux, MAPI_SERVERCAP_PACKED_FAST_TRANSFER_UPLOAD, 0);
        s.aux.p = srv_aux.p;
        s.aux.len = (uint32_t)srv_aux.len;
        is_int(mapi_connect_rsp_encode(&rsp_w, &s), MAPI_EMSMDB_OK, "server encodes Connect response");
        mapi_wr_free(&srv_aux);
    }

    /* client */
    is_int(mapi_connect_rsp_decode(rsp_w.p, rsp_w.len, &cs), MAPI_EMSMDB_OK, "client decodes response");
    is_str(cs.display_name, "Bob", "DisplayName");
    is_int(mapi_aux_parse(cs.aux.p, cs.aux.len, &aux), MAPI_AUX_OK, "client parses server aux");
    ok(mapi_aux_find(&aux, MAPI_AUX_SERVER_CAPABILITIES) &&
           mapi_aux_find(&aux, MAPI_AUX_SERVER_CAPABILITIES)->u.flags.flags == 1,
       "server capability seen by the client");
    mapi_aux_free(&aux);
    mapi_connect_rsp_free(&cs);
    mapi_wr_free(&aux_w);
    mapi_wr_free(&req_w);
    mapi_wr_free(&rsp_w);
}

static void test_execute_flow(void)
{
    static const uint8_t release2[] = {0x01, 0x00, 0x00, 0x01, 0x00, 0x01};
    uint32_t handles[2] = {0x6F, 0x6E};
    mapi_wr_t rb1, rb2, frames, req_w, rsp_w, out1, out2, out_frames;
    mapi_execute_req_t q = {0}, sq;
    mapi_execute_rsp_t s = {0}, cs;
    mapi_rpcext_chain_t chain;
    mapi_ropbuf_t split;
    mapi_iov_t iov[2];
    uint8_t *rows = malloc(20000);
    size_t i;

    /* client: two packed request buffers, compressed + obfuscated */
    mapi_wr_init(&rb1, 0);
    mapi_wr_init(&rb2, 0);
    mapi_ropbuf_build(&rb1, release2, sizeof(release2), handles, 2);
    mapi_ropbuf_build(&rb2, release2, 3, handles, 1);
    iov[0].p = rb1.p;
    iov[0].len = rb1.len;
    iov[1].p = rb2.p;
    iov[1].len = rb2.len;
    mapi_wr_init(&frames, 0);
    is_int(mapi_rpcext_encode_chain(&frames, iov, 2, MAPI_RPCEXT_ENC_XOR), MAPI_RPCEXT_OK,
           "client frames two ROP buffers");
    q.flags = MAPI_EXEC_CHAIN;
    q.rop_buffer.p = frames.p;
    q.rop_buffer.len = (uint32_t)frames.len;
    q.max_rop_out = 0x40000;
    mapi_wr_init(&req_w, 0);
    is_int(mapi_execute_req_encode(&req_w, &q), MAPI_EMSMDB_OK, "client encodes Execute");

    /* server */
    is_int(mapi_execute_req_decode(req_w.p, req_w.len, &sq), MAPI_EMSMDB_OK, "server decodes Execute");
    is_int(mapi_rpcext_decode_chain(sq.rop_buffer.p, sq.rop_buffer.len, 0, 0, &chain), MAPI_RPCEXT_OK,
           "server unframes the RopBuffer");
    is_int(chain.nframes, 2, "two packed buffers");
    is_int(mapi_ropbuf_split(chain.data + chain.frames[0].off, chain.frames[0].len, &split),
           MAPI_EC_SUCCESS, "first ROP buffer splits");
    ok(split.rops_len == 6 && split.handle_count == 2 && mapi_ropbuf_handle(&split, 1) == 0x6E,
       "first buffer: 2 RopRelease, 2 handles");
    is_int(mapi_ropbuf_split(chain.data + chain.frames[1].off, chain.frames[1].len, &split),
           MAPI_EC_SUCCESS, "second ROP buffer splits");
    ok(split.rops_len == 3 && split.handle_count == 1, "second buffer: 1 RopRelease, 1 handle");
    mapi_rpcext_chain_free(&chain);
    is_int(mapi_execute_frame_opts(sq.flags), MAPI_RPCEXT_ENC_COMPRESS | MAPI_RPCEXT_ENC_XOR,
           "Chain flag alone allows compression and XOR");
    is_int(mapi_execute_frame_opts(3), 0, "Flags 0x3: neither");

    /* server: two chained response buffers (QueryRows-like filler) */
    for (i = 0; i < 20000; i++)
        rows[i] = (uint8_t)("row data "[i % 9]);
    mapi_wr_init(&out1, 0);
    mapi_wr_init(&out2, 0);
    mapi_ropbuf_build(&out1, rows, 20000, handles, 2);
    mapi_ropbuf_build(&out2, rows, 5000, handles, 2);
    iov[0].p = out1.p;
    iov[0].len = out1.len;
    iov[1].p = out2.p;
    iov[1].len = out2.len;
    mapi_wr_init(&out_frames, 0);
    is_int(mapi_rpcext_encode_chain(&out_frames, iov, 2, mapi_execute_frame_opts(sq.flags)),
           MAPI_RPCEXT_OK, "server frames a chained response");
    ok(out_frames.len < 2000, "compressed response is small (%zu bytes)", out_frames.len);
    s.rop_buffer.p = out_frames.p;
    s.rop_buffer.len = (uint32_t)out_frames.len;
    mapi_wr_init(&rsp_w, 0);
    is_int(mapi_execute_rsp_encode(&rsp_w, &s), MAPI_EMSMDB_OK, "server encodes Execute response");

    /* client */
    is_int(mapi_execute_rsp_decode(rsp_w.p, rsp_w.len, &cs), MAPI_EMSMDB_OK, "client decodes response");
    is_int(mapi_rpcext_decode_chain(cs.rop_buffer.p, cs.rop_buffer.len, 0, 0, &chain), MAPI_RPCEXT_OK,
           "client unframes the response");
    ok(chain.nframes == 2 && chain.frames[0].len == out1.len && chain.frames[1].len == out2.len,
       "two response buffers of the right sizes");
    is_int(mapi_ropbuf_split(chain.data + chain.frames[0].off, chain.frames[0].len, &split),
           MAPI_EC_SUCCESS, "response buffer splits");
    is_mem(split.rops, split.rops_len, rows, 20000, "response RopsList intact");
    mapi_rpcext_chain_free(&chain);

    free(rows);
    mapi_wr_free(&rb1);
    mapi_wr_free(&rb2);
    mapi_wr_free(&frames);
    mapi_wr_free(&req_w);
    mapi_wr_free(&rsp_w);
    mapi_wr_free(&out1);
    mapi_wr_free(&out2);
    mapi_wr_free(&out_frames);
}

int main(void)
{
    test_connect_flow();
    test_execute_flow();
    return done_testing();
}
