/* test_aux.c - auxiliary buffers ([MS-OXCRPC] 2.2.2.2): client blocks,
 * server output, summary line, and malformed blocks. */
#include "mapi_aux.h"
#include "mapi_rpcext.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t guid1[16] = {0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde,
                                  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

/* A client-like aux buffer: client info, process, session v2, connection
 * info, OS version, and one unknown block. */
static void build_client_aux(mapi_wr_t *wr)
{
    static const uint8_t ip[4] = {192, 0, 2, 17};
    uint8_t sess[24] = {0}, os[156] = {0}, unk[3] = {1, 2, 3};
    size_t start = mapi_aux_begin(wr);
    mapi_aux_add_client_info(wr, 7, "WS-ALICE", "alice", ip, 4, 1);
    mapi_aux_add_process_info(wr, 3, guid1, "OUTLOOK.EXE");
    mapi_put_le16(sess, 5);
    memcpy(sess + 4, guid1, 16);
    mapi_put_le32(sess + 20, 0x11223344);
    mapi_aux_add_block(wr, MAPI_AUX_VERSION_2, MAPI_AUX_PERF_SESSIONINFO, sess, sizeof(sess));
    mapi_aux_add_connection_info(wr, guid1, 2, 0x1, "ctx");
    mapi_put_le32(os, 156);
    mapi_put_le32(os + 4, 10);
    mapi_put_le32(os + 12, 19045);
    mapi_aux_add_block(wr, MAPI_AUX_VERSION_1, MAPI_AUX_OSVERSIONINFO, os, sizeof(os));
    mapi_aux_add_block(wr, MAPI_AUX_VERSION_1, 0x99, unk, sizeof(unk));
    mapi_aux_end(wr, start);
}

static void test_client_blocks(void)
{
    mapi_wr_t wr;
    mapi_aux_t aux;
    const mapi_aux_block_t *b;
    char line[256];

    mapi_wr_init(&wr, 0);
    build_client_aux(&wr);
    ok(mapi_wr_ok(&wr) && mapi_le16(wr.p + 2) == MAPI_RPCEXT_LAST, "aux framed with Last");
    is_int(mapi_aux_parse(wr.p, wr.len, &aux), MAPI_AUX_OK, "client aux parses");
    is_int(aux.nblocks, 6, "six blocks");
    b = mapi_aux_find(&aux, MAPI_AUX_PERF_CLIENTINFO);
    ok(b && b->decoded, "client info decoded");
    if (b) {
        is_str(b->u.client_info.machine_name, "WS-ALICE", "machine name");
        is_str(b->u.client_info.user_name, "alice", "user name");
        ok(b->u.client_info.client_ip_len == 4 && memcmp(b->u.client_info.client_ip, "\xc0\x00\x02\x11", 4) == 0,
           "client IP bytes");
        ok(b->u.client_info.client_id == 7 && b->u.client_info.client_mode == 1 &&
               b->u.client_info.adapter_name == NULL,
           "client id, mode, no adapter");
    }
    b = mapi_aux_find(&aux, MAPI_AUX_PERF_PROCESSINFO);
    ok(b && b->decoded && b->u.process_info.process_id == 3 &&
           memcmp(b->u.process_info.guid, guid1, 16) == 0,
       "process info");
    is_str(b ? b->u.process_info.process_name : NULL, "OUTLOOK.EXE", "process name");
    b = mapi_aux_find(&aux, MAPI_AUX_PERF_SESSIONINFO);
    ok(b && b->version == 2 && b->u.session_info.has_connection_id &&
           b->u.session_info.connection_id == 0x11223344,
       "session info v2 with connection id");
    b = mapi_aux_find(&aux, MAPI_AUX_CLIENT_CONNECTION_INFO);
    ok(b && b->decoded && b->u.connection_info.attempts == 2 && b->u.connection_info.flags == 1 &&
           memcmp(b->u.connection_info.guid, guid1, 16) == 0,
       "connection info guid, attempts, flags");
    is_str(b ? b->u.connection_info.context_info : NULL, "ctx", "connection context info");
    b = mapi_aux_find(&aux, MAPI_AUX_OSVERSIONINFO);
    ok(b && b->u.os_version.major == 10 && b->u.os_version.build == 19045, "OS version");
    b = mapi_aux_find(&aux, 0x99);
    ok(b && !b->decoded && b->body_len == 3, "unknown block kept, undecoded");
    mapi_aux_summary(&aux, line, sizeof(line));
    is_str(line,
           "6 aux blocks; machine=WS-ALICE user=alice ip=192.0.2.17 mode=1; process=OUTLOOK.EXE; "
           "session={12345678-9abc-def0-0102-030405060708}; "
           "conn={12345678-9abc-def0-0102-030405060708} attempts=2 flags=0x1 info=ctx; "
           "os=10.0.19045; 1 unknown",
           "summary line");
    mapi_aux_summary(&aux, line, 10);
    is_int(strlen(line), 9, "summary truncates to the buffer");
    mapi_aux_free(&aux);

    /* the same payload, XOR-obfuscated, still parses */
    {
        mapi_wr_t w2;
        mapi_wr_init(&w2, 0);
        mapi_rpcext_encode(&w2, wr.p + 8, wr.len - 8,
                           MAPI_RPCEXT_ENC_XOR | MAPI_RPCEXT_ENC_COMPRESS | MAPI_RPCEXT_ENC_LAST);
        is_int(mapi_aux_parse(w2.p, w2.len, &aux), MAPI_AUX_OK, "obfuscated/compressed aux parses");
        is_int(aux.nblocks, 6, "same six blocks");
        mapi_aux_free(&aux);
        mapi_wr_free(&w2);
    }
    mapi_wr_free(&wr);
}

static void test_server_output(void)
{
    mapi_wr_t wr;
    mapi_aux_t aux;
    const mapi_aux_block_t *b;

    mapi_wr_init(&wr, 0);
    is_int(mapi_aux_encode_server(&wr, 0, 0), MAPI_AUX_OK, "empty server aux");
    is_int(wr.len, 0, "no flags: empty aux buffer");
    is_int(mapi_aux_parse(wr.p, wr.len, &aux), MAPI_AUX_OK, "empty aux parses");
    is_int(aux.nblocks, 0, "no blocks");
    mapi_aux_free(&aux);
    is_int(mapi_aux_encode_server(&wr, MAPI_SERVERCAP_PACKED_FAST_TRANSFER_UPLOAD |
                                           MAPI_SERVERCAP_PACKED_WRITE_STREAM_UPLOAD,
                                  MAPI_ENDPOINTCAP_SINGLE_ENDPOINT),
           MAPI_AUX_OK, "server caps encode");
    is_int(wr.len, 8 + 8 + 8, "header + two 8-byte blocks");
    is_int(mapi_aux_parse(wr.p, wr.len, &aux), MAPI_AUX_OK, "server aux parses");
    b = mapi_aux_find(&aux, MAPI_AUX_SERVER_CAPABILITIES);
    ok(b && b->version == 1 && b->u.flags.flags == 3, "SERVER_CAPABILITIES flags 3");
    b = mapi_aux_find(&aux, MAPI_AUX_ENDPOINT_CAPABILITIES);
    ok(b && b->u.flags.flags == 1, "ENDPOINT_CAPABILITIES SINGLE_ENDPOINT");
    mapi_aux_free(&aux);
    mapi_wr_free(&wr);

    /* too large */
    {
        uint8_t big[1000] = {0};
        size_t start;
        int i;
        mapi_wr_init(&wr, 0);
        start = mapi_aux_begin(&wr);
        for (i = 0; i < 5; i++)
            mapi_aux_add_block(&wr, 1, 0x99, big, sizeof(big));
        is_int(mapi_aux_end(&wr, start), MAPI_AUX_E_TOO_LARGE, "aux over 0x1008 bytes refused");
        mapi_wr_free(&wr);
    }
}

/* Payload-level negatives (no framing). */
static void test_bad_blocks(void)
{
    mapi_aux_t aux;
    uint8_t p[64];
    mapi_wr_t wr;

    memset(p, 0, sizeof(p));
    mapi_put_le16(p, 3);
    is_int(mapi_aux_parse_payload(p, 8, &aux), MAPI_AUX_E_BLOCK_SIZE, "Size 3 rejected");
    mapi_put_le16(p, 0);
    is_int(mapi_aux_parse_payload(p, 8, &aux), MAPI_AUX_E_BLOCK_SIZE, "Size 0 rejected");
    mapi_put_le16(p, 9);
    is_int(mapi_aux_parse_payload(p, 8, &aux), MAPI_AUX_E_BLOCK_PAST_END, "Size past end");
    mapi_put_le16(p, 4);
    is_int(mapi_aux_parse_payload(p, 6, &aux), MAPI_AUX_E_BLOCK_PAST_END, "partial second header");
    is_int(aux.bad_block, 1, "failing block index reported");
    mapi_put_le16(p, 6);
    p[2] = 1;
    p[3] = MAPI_AUX_SERVER_CAPABILITIES;
    is_int(mapi_aux_parse_payload(p, 6, &aux), MAPI_AUX_E_BLOCK_SHORT, "short known block");
    /* client info with a machine-name offset past the block */
    mapi_put_le16(p, 32);
    p[3] = MAPI_AUX_PERF_CLIENTINFO;
    mapi_put_le16(p + 4 + 6, 40);
    is_int(mapi_aux_parse_payload(p, 32, &aux), MAPI_AUX_E_BLOCK_OFFSET, "string offset past block");
    mapi_put_le16(p + 4 + 6, 0);
    mapi_put_le16(p + 4 + 10, 8); /* ClientIPSize 8 at offset 28: 28+8 > 32 */
    mapi_put_le16(p + 4 + 12, 28);
    is_int(mapi_aux_parse_payload(p, 32, &aux), MAPI_AUX_E_BLOCK_OFFSET, "IP bytes past block");
    mapi_put_le16(p + 4 + 10, 0);
    mapi_put_le16(p + 4 + 12, 0);
    /* unterminated user name in the last 4 bytes */
    mapi_put_le16(p + 4 + 8, 28);
    memset(p + 28, 'x', 4);
    is_int(mapi_aux_parse_payload(p, 32, &aux), MAPI_AUX_E_BLOCK_STRING, "unterminated string");
    memset(p + 28, 0, 4);
    is_int(mapi_aux_parse_payload(p, 32, &aux), MAPI_AUX_OK, "fixed block parses");
    is_str(mapi_aux_find(&aux, MAPI_AUX_PERF_CLIENTINFO)->u.client_info.user_name, "", "empty user name");
    mapi_aux_free(&aux);

    /* framing errors are reported with the RPC_HEADER_EXT cause */
    mapi_wr_init(&wr, 0);
    mapi_rpcext_encode(&wr, p, 32, 0); /* no Last */
    is_int(mapi_aux_parse(wr.p, wr.len, &aux), MAPI_AUX_E_FRAME, "aux without Last rejected");
    is_int(aux.rpcext_rc, MAPI_RPCEXT_E_NO_LAST, "cause: no Last");
    mapi_wr_free(&wr);
    mapi_wr_init(&wr, 0);
    mapi_rpcext_encode(&wr, p, 32, MAPI_RPCEXT_ENC_LAST);
    mapi_wr_u8(&wr, 0);
    is_int(mapi_aux_parse(wr.p, wr.len, &aux), MAPI_AUX_E_FRAME, "byte after aux payload rejected");
    is_int(aux.rpcext_rc, MAPI_RPCEXT_E_TRAILING, "cause: trailing");
    mapi_wr_free(&wr);
    is_str(mapi_aux_type_name(MAPI_AUX_CLIENT_CONNECTION_INFO), "CLIENT_CONNECTION_INFO", "type name");
    is_str(mapi_aux_strerror(MAPI_AUX_E_BLOCK_SIZE), "AUX_HEADER Size below 4", "error text");
}

static void test_garbage(void)
{
    uint8_t p[200];
    uint32_t x = 5;
    int i, n_ok = 0;
    for (i = 0; i < 20000; i++) {
        size_t n, k;
        mapi_aux_t aux;
        char line[128];
        x = x * 1103515245u + 12345u;
        n = (x >> 8) % sizeof(p);
        for (k = 0; k < n; k++) {
            x = x * 1103515245u + 12345u;
            p[k] = (uint8_t)(x >> 16);
        }
        /* plausible block sizes and known types half the time */
        if (n >= 4 && (i & 1)) {
            mapi_put_le16(p, (uint16_t)(4 + (x % (n - 3))));
            p[3] = (uint8_t)((x >> 4) % 0x50);
        }
        if (mapi_aux_parse_payload(p, n, &aux) == MAPI_AUX_OK) {
            n_ok++;
            mapi_aux_summary(&aux, line, sizeof(line));
        }
        mapi_aux_free(&aux);
    }
    ok(n_ok > 0, "20000 random payloads without a crash (%d parsed)", n_ok);
}

int main(void)
{
    test_client_blocks();
    test_server_output();
    test_bad_blocks();
    test_garbage();
    return done_testing();
}
