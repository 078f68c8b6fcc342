/*
 * mc_emsmdb.c - the mailbox endpoint's request types as single calls:
 * PING (2.2.6), Connect (2.2.4.1), Execute (2.2.4.2), Disconnect (2.2.4.3),
 * NotificationWait (2.2.4.4) of [MS-OXCMAPIHTTP]. Bodies are built and read
 * by libmapicodec; this file only glues them to mc_conn_request().
 */
#include "mc_emsmdb.h"

#include <stdlib.h>
#include <string.h>

/* Largest request body we build; the server's own limit is lower. */
#define MC_MAX_REQUEST (16u * 1024u * 1024u)

const char *mc_emsmdb_strerror(int rc)
{
    switch (rc) {
    case MC_ERR_HTTP: return "HTTP status is not 200";
    case MC_ERR_RESPONSE_CODE: return "X-ResponseCode is not 0";
    case MC_ERR_LAYOUT: return "response meta-tag layout is malformed";
    case MC_ERR_BODY: return "response body does not decode";
    case MC_ERR_ROPBUF: return "RopBuffer is malformed";
    default: return mc_strerror(rc);
    }
}

int mc_check_transport(const mc_response_t *resp)
{
    if (resp->http_status != 200)
        return MC_ERR_HTTP;
    if (resp->response_code != 0)
        return MC_ERR_RESPONSE_CODE;
    if (!resp->meta_layout || resp->parse_error != MC_PARSE_OK)
        return MC_ERR_LAYOUT;
    return MC_OK;
}

/* Sends a built body; returns MC_OK when the transport layer succeeded. */
static int send_body(mc_conn_t *c, const char *type, mapi_wr_t *wr, int enc_rc,
                     mc_response_t *resp)
{
    mc_request_t req;
    int rc;
    if (enc_rc != MAPI_EMSMDB_OK || !mapi_wr_ok(wr)) {
        mapi_wr_free(wr);
        return enc_rc == MAPI_EMSMDB_E_NOMEM ? MC_ERR_NOMEM : MC_ERR_ARG;
    }
    memset(&req, 0, sizeof(req));
    req.request_type = type;
    req.body = wr->p;
    req.body_len = wr->len;
    rc = mc_conn_request(c, &req, resp);
    mapi_wr_free(wr);
    return rc != MC_OK ? rc : mc_check_transport(resp);
}

static int body_rc(int codec_rc)
{
    return codec_rc == MAPI_EMSMDB_OK ? MC_OK
         : codec_rc == MAPI_EMSMDB_E_NOMEM ? MC_ERR_NOMEM : MC_ERR_BODY;
}

int mc_ping(mc_conn_t *c, mc_response_t *resp)
{
    mc_request_t req;
    memset(&req, 0, sizeof(req));
    req.request_type = "PING";
    int rc = mc_conn_request(c, &req, resp);
    return rc != MC_OK ? rc : mc_check_transport(resp);
}

int mc_connect(mc_conn_t *c, const mapi_connect_req_t *req, mc_response_t *resp,
               mapi_connect_rsp_t *out)
{
    mapi_wr_t wr;
    memset(out, 0, sizeof(*out));
    mapi_wr_init(&wr, MC_MAX_REQUEST);
    int rc = send_body(c, "Connect", &wr, mapi_connect_req_encode(&wr, req), resp);
    if (rc != MC_OK)
        return rc;
    return body_rc(mapi_connect_rsp_decode(resp->body, resp->body_len, out));
}

int mc_execute(mc_conn_t *c, const mapi_execute_req_t *req, mc_response_t *resp,
               mapi_execute_rsp_t *out)
{
    mapi_wr_t wr;
    memset(out, 0, sizeof(*out));
    mapi_wr_init(&wr, MC_MAX_REQUEST);
    int rc = send_body(c, "Execute", &wr, mapi_execute_req_encode(&wr, req), resp);
    if (rc != MC_OK)
        return rc;
    return body_rc(mapi_execute_rsp_decode(resp->body, resp->body_len, out));
}

/* [MS-OXCROPS] 2.2.1 ROP input buffer inside one RPC_HEADER_EXT frame
 * ([MS-OXCRPC] 2.2.2.1), compressed/obfuscated only if the flags ask. */
static int build_rop_buffer(uint32_t exec_flags, const uint8_t *rops, size_t rops_len,
                            const uint32_t *handles, size_t n_handles, mapi_wr_t *framed)
{
    mapi_wr_t plain;
    unsigned opts = MAPI_RPCEXT_ENC_LAST;
    int rc = MC_OK;
    mapi_wr_init(&plain, MAPI_RPCEXT_MAX_PAYLOAD);
    if (mapi_ropbuf_build(&plain, rops, rops_len, handles, n_handles) != MAPI_EC_SUCCESS)
        rc = MC_ERR_ARG;
    if (!(exec_flags & MAPI_EXEC_NO_COMPRESSION))
        opts |= MAPI_RPCEXT_ENC_COMPRESS;
    if (!(exec_flags & MAPI_EXEC_NO_XORMAGIC))
        opts |= MAPI_RPCEXT_ENC_XOR;
    if (rc == MC_OK && mapi_rpcext_encode(framed, plain.p, plain.len, opts) != MAPI_RPCEXT_OK)
        rc = MC_ERR_ARG;
    mapi_wr_free(&plain);
    return rc;
}

int mc_execute_rops(mc_conn_t *c, uint32_t exec_flags, const uint8_t *rops, size_t rops_len,
                    const uint32_t *handles, size_t n_handles, uint32_t max_rop_out,
                    mc_response_t *resp, mc_rop_result_t *out)
{
    mapi_wr_t framed;
    mapi_execute_req_t req;
    int rc;
    memset(out, 0, sizeof(*out));
    mapi_wr_init(&framed, MC_MAX_REQUEST);
    rc = build_rop_buffer(exec_flags, rops, rops_len, handles, n_handles, &framed);
    if (rc != MC_OK) {
        mapi_wr_free(&framed);
        return rc;
    }
    memset(&req, 0, sizeof(req));
    req.flags = exec_flags;
    req.rop_buffer.p = framed.p;
    req.rop_buffer.len = (uint32_t)framed.len;
    req.max_rop_out = max_rop_out;
    rc = mc_execute(c, &req, resp, &out->rsp);
    mapi_wr_free(&framed);
    if (rc != MC_OK || out->rsp.status_code != 0 || out->rsp.error_code != 0)
        return rc;
    /* [MS-OXCRPC] 3.1.4.2.1: the response RopBuffer may hold several frames. */
    out->rpcext_rc = mapi_rpcext_decode_chain(out->rsp.rop_buffer.p, out->rsp.rop_buffer.len, 0, 0,
                                              &out->chain);
    if (out->rpcext_rc != MAPI_RPCEXT_OK || out->chain.nframes == 0)
        return MC_ERR_ROPBUF;
    if (mapi_ropbuf_split(out->chain.data + out->chain.frames[0].off, out->chain.frames[0].len,
                          &out->first) != MAPI_EC_SUCCESS)
        return MC_ERR_ROPBUF;
    return MC_OK;
}

void mc_rop_result_free(mc_rop_result_t *r)
{
    mapi_rpcext_chain_free(&r->chain);
    memset(r, 0, sizeof(*r));
}

int mc_disconnect(mc_conn_t *c, const mapi_blob_t *aux, mc_response_t *resp,
                  mapi_disconnect_rsp_t *out)
{
    mapi_disconnect_req_t req;
    mapi_wr_t wr;
    memset(out, 0, sizeof(*out));
    memset(&req, 0, sizeof(req));
    if (aux)
        req.aux = *aux;
    mapi_wr_init(&wr, MC_MAX_REQUEST);
    int rc = send_body(c, "Disconnect", &wr, mapi_disconnect_req_encode(&wr, &req), resp);
    if (rc != MC_OK)
        return rc;
    return body_rc(mapi_disconnect_rsp_decode(resp->body, resp->body_len, out));
}

int mc_notification_wait(mc_conn_t *c, const mapi_blob_t *aux, mc_response_t *resp,
                         mapi_notifwait_rsp_t *out)
{
    mapi_notifwait_req_t req;
    mapi_wr_t wr;
    memset(out, 0, sizeof(*out));
    memset(&req, 0, sizeof(req));
    if (aux)
        req.aux = *aux;
    mapi_wr_init(&wr, MC_MAX_REQUEST);
    int rc = send_body(c, "NotificationWait", &wr, mapi_notifwait_req_encode(&wr, &req), resp);
    if (rc != MC_OK)
        return rc;
    return body_rc(mapi_notifwait_rsp_decode(resp->body, resp->body_len, out));
}
