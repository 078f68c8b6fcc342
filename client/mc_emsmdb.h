/*
 * mc_emsmdb.h - high-level calls of the mailbox endpoint ([MS-OXCMAPIHTTP]
 * 2.2.4, 2.2.6) on top of mc_conn_request() and libmapicodec's body codecs
 * (mapi_emsmdb.h, mapi_rpcext.h, mapi_ropbuf.h). Needs -I mapicodec.
 *
 * Every call sends one request and, when the transport layer succeeded
 * (HTTP 200, X-ResponseCode 0, a complete meta-tag layout), decodes the body.
 * Decoded pointers point into resp->body: keep resp alive while using them.
 * A non-zero StatusCode in the body still returns MC_OK (the failure layout
 * of 2.2.4.1.3 decodes fine): check out->status_code.
 */
#ifndef MC_EMSMDB_H
#define MC_EMSMDB_H

#include "mapiclient.h"
#include "mapi_emsmdb.h"
#include "mapi_ropbuf.h"
#include "mapi_rpcext.h"
#include "mapi_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Extra results of the high-level calls (besides MC_OK / MC_ERR_*). */
enum {
    MC_ERR_HTTP = -10,           /* HTTP status is not 200 */
    MC_ERR_RESPONSE_CODE = -11,  /* X-ResponseCode is not 0 (or missing) */
    MC_ERR_LAYOUT = -12,         /* meta-tag layout broken: resp->parse_error */
    MC_ERR_BODY = -13,           /* body did not decode (codec error) */
    MC_ERR_ROPBUF = -14          /* RopBuffer frames or ROP buffer malformed */
};

const char *mc_emsmdb_strerror(int rc);

/* Checks the transport layer of a completed exchange: MC_OK or one of
 * MC_ERR_HTTP / MC_ERR_RESPONSE_CODE / MC_ERR_LAYOUT. */
int mc_check_transport(const mc_response_t *resp);

/* 2.2.6 PING: empty body, the response is the meta block only. */
int mc_ping(mc_conn_t *c, mc_response_t *resp);

/* 2.2.4.1 Connect: stores the context cookies in the connection's jar.
 * out->display_name is malloc'd: release with mapi_connect_rsp_free(). */
int mc_connect(mc_conn_t *c, const mapi_connect_req_t *req, mc_response_t *resp,
               mapi_connect_rsp_t *out);

/* 2.2.4.2 Execute with a ready RopBuffer (RPC_HEADER_EXT frames). */
int mc_execute(mc_conn_t *c, const mapi_execute_req_t *req, mc_response_t *resp,
               mapi_execute_rsp_t *out);

/* Execute from plain ROP requests: frames RopSize + RopsList + handle table
 * ([MS-OXCROPS] 2.2.1) in one RPC_HEADER_EXT with Last ([MS-OXCRPC]
 * 2.2.2.1; flags NoCompression|NoXorMagic unless exec_flags says more),
 * and on return un-frames the response (decompress/un-XOR) and splits the
 * first frame's ROP output buffer. */
typedef struct {
    mapi_execute_rsp_t rsp;      /* StatusCode, ErrorCode, raw RopBuffer, aux */
    mapi_rpcext_chain_t chain;   /* decoded RopBuffer payloads (malloc'd) */
    mapi_ropbuf_t first;         /* first frame: RopsList + handle table */
    int rpcext_rc;               /* MAPI_RPCEXT_* of the un-framing */
} mc_rop_result_t;

int mc_execute_rops(mc_conn_t *c, uint32_t exec_flags, const uint8_t *rops, size_t rops_len,
                    const uint32_t *handles, size_t n_handles, uint32_t max_rop_out,
                    mc_response_t *resp, mc_rop_result_t *out);
void mc_rop_result_free(mc_rop_result_t *r);

/* 2.2.4.3 Disconnect (aux may be NULL: empty auxiliary buffer). */
int mc_disconnect(mc_conn_t *c, const mapi_blob_t *aux, mc_response_t *resp,
                  mapi_disconnect_rsp_t *out);

/* 2.2.4.4 NotificationWait: the server holds it, sending PENDING, until an
 * event or its timeout; resp->meta has the keep-alive arrival times. */
int mc_notification_wait(mc_conn_t *c, const mapi_blob_t *aux, mc_response_t *resp,
                         mapi_notifwait_rsp_t *out);

#ifdef __cplusplus
}
#endif

#endif /* MC_EMSMDB_H */
