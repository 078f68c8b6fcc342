/* test_emsmdb.c - EMSMDB bodies ([MS-OXCMAPIHTTP] 2.2.4): both directions,
 * every truncation, trailing bytes and bad lengths. */
#include "mapi_emsmdb.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

typedef int (*decode_fn)(const uint8_t *p, size_t len, void *out);

static int dec_connect_req(const uint8_t *p, size_t n, void *o) { return mapi_connect_req_decode(p, n, o); }
static int dec_execute_req(const uint8_t *p, size_t n, void *o) { return mapi_execute_req_decode(p, n, o); }
static int dec_disc_req(const uint8_t *p, size_t n, void *o) { return mapi_disconnect_req_decode(p, n, o); }
static int dec_nw_req(const uint8_t *p, size_t n, void *o) { return mapi_notifwait_req_decode(p, n, o); }
static int dec_execute_rsp(const uint8_t *p, size_t n, void *o) { return mapi_execute_rsp_decode(p, n, o); }
static int dec_disc_rsp(const uint8_t *p, size_t n, void *o) { return mapi_disconnect_rsp_decode(p, n, o); }
static int dec_nw_rsp(const uint8_t *p, size_t n, void *o) { return mapi_notifwait_rsp_decode(p, n, o); }
static int dec_connect_rsp(const uint8_t *p, size_t n, void *o)
{
    int rc = mapi_connect_rsp_decode(p, n, o);
    mapi_connect_rsp_free(o);
    return rc;
}

/* Every strict prefix fails, one extra byte fails; uses a copy so that
 * ASan sees reads past the prefix. */
static void check_bounds(const char *name, const mapi_wr_t *wr, decode_fn fn)
{
    union {
        mapi_connect_req_t a;
        mapi_connect_rsp_t b;
        mapi_execute_req_t c;
        mapi_execute_rsp_t d;
        mapi_notifwait_rsp_t e;
    } out;
    size_t i;
    int bad = 0;
    uint8_t *copy;
    for (i = 0; i < wr->len; i++) {
        copy = malloc(i ? i : 1);
        memcpy(copy, wr->p, i);
        if (fn(copy, i, &out) == MAPI_EMSMDB_OK)
            bad++;
        free(copy);
    }
    is_int(bad, 0, "%s: all %zu truncations rejected", name, wr->len);
    copy = malloc(wr->len + 1);
    memcpy(copy, wr->p, wr->len);
    copy[wr->len] = 0;
    is_int(fn(copy, wr->len + 1, &out), MAPI_EMSMDB_E_TRAILING, "%s: trailing byte rejected", name);
    free(copy);
}

static const uint8_t aux_bytes[] = {0, 0, 4, 0, 4, 0, 4, 0, 8, 1, 0x46, 0, 1, 0, 0, 0};

static void test_connect(void)
{
    mapi_wr_t wr;
    mapi_connect_req_t q = {"/o=Org/ou=Exchange/cn=Recipients/cn=alice", 0, 1252, 0x409, 0x409,
                            {aux_bytes, sizeof(aux_bytes)}},
                       q2;
    mapi_connect_rsp_t s = {0, 0, 60000, 6, 10000, "/o=Org/ou=Exchange", "Alice \xc3\x84lm", {NULL, 0}},
                       s2;

    mapi_wr_init(&wr, 0);
    is_int(mapi_connect_req_encode(&wr, &q), MAPI_EMSMDB_OK, "Connect request encodes");
    is_int(wr.len, strlen(q.user_dn) + 1 + 16 + 4 + sizeof(aux_bytes), "Connect request size");
    is_int(mapi_connect_req_decode(wr.p, wr.len, &q2), MAPI_EMSMDB_OK, "Connect request decodes");
    is_str(q2.user_dn, q.user_dn, "UserDn");
    ok(q2.flags == 0 && q2.default_code_page == 1252 && q2.lcid_sort == 0x409 &&
           q2.lcid_string == 0x409,
       "Flags, DefaultCodePage, LcidSort, LcidString");
    is_mem(q2.aux.p, q2.aux.len, aux_bytes, sizeof(aux_bytes), "AuxiliaryBuffer");
    check_bounds("Connect request", &wr, dec_connect_req);
    /* aux size past the end */
    mapi_put_le32(wr.p + wr.len - sizeof(aux_bytes) - 4, sizeof(aux_bytes) + 1);
    is_int(mapi_connect_req_decode(wr.p, wr.len, &q2), MAPI_EMSMDB_E_LENGTH,
           "AuxiliaryBufferSize past end");
    memset(wr.p, 'A', wr.len);
    is_int(mapi_connect_req_decode(wr.p, wr.len, &q2), MAPI_EMSMDB_E_STRING, "unterminated UserDn");
    mapi_wr_free(&wr);

    mapi_wr_init(&wr, 0);
    is_int(mapi_connect_rsp_encode(&wr, &s), MAPI_EMSMDB_OK, "Connect response encodes");
    is_int(mapi_connect_rsp_decode(wr.p, wr.len, &s2), MAPI_EMSMDB_OK, "Connect response decodes");
    ok(s2.status_code == 0 && s2.max_polling_interval == 60000 && s2.retry_count == 6 &&
           s2.retry_delay == 10000,
       "polling, retry fields");
    is_str(s2.dn_prefix, "/o=Org/ou=Exchange", "DnPrefix");
    is_str(s2.display_name, "Alice \xc3\x84lm", "DisplayName through UTF-16");
    is_int(s2.aux.len, 0, "empty aux");
    mapi_connect_rsp_free(&s2);
    /* DisplayName is UTF-16LE: "A" = 41 00 right after the ASCII DnPrefix */
    ok(memcmp(wr.p + 20 + strlen(s.dn_prefix) + 1, "A\0l\0", 4) == 0, "DisplayName is UTF-16LE");
    check_bounds("Connect response", &wr, dec_connect_rsp);
    mapi_wr_free(&wr);

    s.status_code = 0x80004005u;
    s.aux.p = aux_bytes;
    s.aux.len = sizeof(aux_bytes);
    mapi_wr_init(&wr, 0);
    is_int(mapi_connect_rsp_encode(&wr, &s), MAPI_EMSMDB_OK, "Connect failure encodes");
    is_int(wr.len, 8 + sizeof(aux_bytes), "failure body: StatusCode, size, aux");
    is_int(mapi_connect_rsp_decode(wr.p, wr.len, &s2), MAPI_EMSMDB_OK, "Connect failure decodes");
    ok(s2.status_code == 0x80004005u && s2.display_name == NULL && s2.aux.len == sizeof(aux_bytes),
       "failure fields");
    mapi_connect_rsp_free(&s2);
    mapi_wr_free(&wr);
}

static void test_execute(void)
{
    static const uint8_t rops[] = {0, 0, 4, 0, 12, 0, 12, 0, 10, 0, 1, 0, 0, 0, 1, 0, 0xff, 0xff, 0xff, 0xff};
    mapi_wr_t wr;
    mapi_execute_req_t q = {MAPI_EXEC_NO_COMPRESSION | MAPI_EXEC_NO_XORMAGIC, {rops, sizeof(rops)},
                            0x40000, {aux_bytes, sizeof(aux_bytes)}},
                       q2;
    mapi_execute_rsp_t s = {0, 0, 0, {rops, sizeof(rops)}, {NULL, 0}}, s2;

    mapi_wr_init(&wr, 0);
    is_int(mapi_execute_req_encode(&wr, &q), MAPI_EMSMDB_OK, "Execute request encodes");
    is_int(mapi_le32(wr.p), 3, "Flags first");
    is_int(mapi_le32(wr.p + 4), sizeof(rops), "RopBufferSize second");
    is_int(mapi_execute_req_decode(wr.p, wr.len, &q2), MAPI_EMSMDB_OK, "Execute request decodes");
    ok(q2.flags == 3 && q2.max_rop_out == 0x40000, "Flags, MaxRopOut");
    is_mem(q2.rop_buffer.p, q2.rop_buffer.len, rops, sizeof(rops), "RopBuffer");
    is_mem(q2.aux.p, q2.aux.len, aux_bytes, sizeof(aux_bytes), "aux");
    ok(q2.rop_buffer.p == wr.p + 8, "RopBuffer points into the request");
    check_bounds("Execute request", &wr, dec_execute_req);
    mapi_put_le32(wr.p + 4, 0xFFFFFFFFu);
    is_int(mapi_execute_req_decode(wr.p, wr.len, &q2), MAPI_EMSMDB_E_LENGTH,
           "RopBufferSize 0xFFFFFFFF rejected");
    mapi_wr_free(&wr);

    mapi_wr_init(&wr, 0);
    is_int(mapi_execute_rsp_encode(&wr, &s), MAPI_EMSMDB_OK, "Execute response encodes");
    is_int(mapi_execute_rsp_decode(wr.p, wr.len, &s2), MAPI_EMSMDB_OK, "Execute response decodes");
    is_mem(s2.rop_buffer.p, s2.rop_buffer.len, rops, sizeof(rops), "response RopBuffer");
    check_bounds("Execute response", &wr, dec_execute_rsp);
    mapi_wr_free(&wr);
    s.status_code = 9;
    mapi_wr_init(&wr, 0);
    mapi_execute_rsp_encode(&wr, &s);
    is_int(mapi_execute_rsp_decode(wr.p, wr.len, &s2), MAPI_EMSMDB_OK, "Execute failure decodes");
    ok(s2.status_code == 9 && s2.rop_buffer.len == 0 && wr.len == 8, "Execute failure layout");
    mapi_wr_free(&wr);
}

static void test_disconnect_notifwait(void)
{
    mapi_wr_t wr;
    mapi_disconnect_req_t dq = {{aux_bytes, sizeof(aux_bytes)}}, dq2;
    mapi_disconnect_rsp_t ds = {0, 0x4b9, {NULL, 0}}, ds2;
    mapi_notifwait_req_t nq = {0, {NULL, 0}}, nq2;
    mapi_notifwait_rsp_t ns = {0, 0, 1, {aux_bytes, sizeof(aux_bytes)}}, ns2;
    uint32_t status;
    mapi_blob_t aux;

    mapi_wr_init(&wr, 0);
    mapi_disconnect_req_encode(&wr, &dq);
    is_int(mapi_disconnect_req_decode(wr.p, wr.len, &dq2), MAPI_EMSMDB_OK, "Disconnect request");
    is_mem(dq2.aux.p, dq2.aux.len, aux_bytes, sizeof(aux_bytes), "Disconnect aux");
    check_bounds("Disconnect request", &wr, dec_disc_req);
    mapi_wr_free(&wr);

    mapi_wr_init(&wr, 0);
    mapi_disconnect_rsp_encode(&wr, &ds);
    is_int(mapi_disconnect_rsp_decode(wr.p, wr.len, &ds2), MAPI_EMSMDB_OK, "Disconnect response");
    ok(ds2.status_code == 0 && ds2.error_code == 0x4b9, "Disconnect ErrorCode");
    check_bounds("Disconnect response", &wr, dec_disc_rsp);
    mapi_wr_free(&wr);

    mapi_wr_init(&wr, 0);
    mapi_notifwait_req_encode(&wr, &nq);
    is_int(wr.len, 8, "NotificationWait request is Flags + empty aux");
    is_int(mapi_notifwait_req_decode(wr.p, wr.len, &nq2), MAPI_EMSMDB_OK, "NotificationWait request");
    check_bounds("NotificationWait request", &wr, dec_nw_req);
    mapi_wr_free(&wr);

    mapi_wr_init(&wr, 0);
    mapi_notifwait_rsp_encode(&wr, &ns);
    is_int(mapi_notifwait_rsp_decode(wr.p, wr.len, &ns2), MAPI_EMSMDB_OK, "NotificationWait response");
    ok(ns2.event_pending == 1 && ns2.aux.len == sizeof(aux_bytes), "EventPending, aux");
    check_bounds("NotificationWait response", &wr, dec_nw_rsp);
    mapi_wr_free(&wr);

    mapi_wr_init(&wr, 0);
    is_int(mapi_failure_rsp_encode(&wr, 0, NULL), MAPI_EMSMDB_E_ARG, "failure with StatusCode 0 refused");
    is_int(mapi_failure_rsp_encode(&wr, 1, NULL), MAPI_EMSMDB_OK, "generic failure encodes");
    is_int(mapi_failure_rsp_decode(wr.p, wr.len, &status, &aux), MAPI_EMSMDB_OK, "generic failure decodes");
    ok(status == 1 && aux.len == 0 && wr.len == 8, "generic failure fields");
    is_int(mapi_failure_rsp_decode(wr.p, 7, &status, &aux), MAPI_EMSMDB_E_TRUNCATED,
           "truncated failure body");
    mapi_wr_free(&wr);
    is_str(mapi_emsmdb_strerror(MAPI_EMSMDB_E_TRAILING), "trailing bytes after the body", "error text");
}

int main(void)
{
    test_connect();
    test_execute();
    test_disconnect_notifwait();
    return done_testing();
}
