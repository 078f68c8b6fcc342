/*
 * mapi_emsmdb.h - request and response bodies of the mailbox (EMSMDB)
 * endpoint, [MS-OXCMAPIHTTP] 2.2.4: Connect (2.2.4.1), Execute (2.2.4.2),
 * Disconnect (2.2.4.3), NotificationWait (2.2.4.4), and the common failure
 * response (StatusCode != 0, AuxiliaryBufferSize, AuxiliaryBuffer).
 *
 * Both directions exist for every body: the server decodes requests and
 * encodes responses, the test client does the reverse. Decoded byte and
 * ASCII fields point into the caller's buffer (which must outlive the
 * struct); a decoded Unicode DisplayName is converted to a malloc'd UTF-8
 * string released by mapi_emsmdb_connect_rsp_free(). Decoders reject
 * lengths past the end and trailing bytes.
 *
 * Field layouts: Execute request [C] (2.2.4.2.1, read on the page), Connect
 * failure [C] (2.2.4.1.3); the others follow the EcDoConnectEx /
 * EcDoRpcExt2 parameter order ([MS-OXCRPC] 3.1.4.1, 3.1.4.2) as the spec
 * index records them [U].
 */
#ifndef MAPI_EMSMDB_H
#define MAPI_EMSMDB_H

#include <stddef.h>
#include <stdint.h>

#include "mapi_buf.h"

enum {
    MAPI_EMSMDB_OK = 0,
    MAPI_EMSMDB_E_TRUNCATED = -1,   /* body ends inside a fixed field */
    MAPI_EMSMDB_E_LENGTH = -2,      /* a size field runs past the end */
    MAPI_EMSMDB_E_STRING = -3,      /* string without its terminating NUL */
    MAPI_EMSMDB_E_TRAILING = -4,    /* bytes after the last field */
    MAPI_EMSMDB_E_NOMEM = -5,
    MAPI_EMSMDB_E_ARG = -6
};

/* Execute Flags = pulFlags of EcDoRpcExt2 ([MS-OXCRPC] 3.1.4.2). */
#define MAPI_EXEC_NO_COMPRESSION 0x00000001u
#define MAPI_EXEC_NO_XORMAGIC 0x00000002u
#define MAPI_EXEC_CHAIN 0x00000004u

typedef struct {
    const uint8_t *p;
    uint32_t len;
} mapi_blob_t;

/* 2.2.4.1.1 */
typedef struct {
    const char *user_dn;          /* ASCII ESSDN */
    uint32_t flags;
    uint32_t default_code_page;
    uint32_t lcid_sort;
    uint32_t lcid_string;
    mapi_blob_t aux;
} mapi_connect_req_t;

/* 2.2.4.1.2 (and 2.2.4.1.3 when status_code != 0: only aux is set) */
typedef struct {
    uint32_t status_code;
    uint32_t error_code;
    uint32_t max_polling_interval; /* ms */
    uint32_t retry_count;
    uint32_t retry_delay;          /* ms */
    const char *dn_prefix;         /* ASCII */
    const char *display_name;      /* UTF-8: encoder input / decoder output (malloc'd) */
    mapi_blob_t aux;
} mapi_connect_rsp_t;

/* 2.2.4.2.1 */
typedef struct {
    uint32_t flags;
    mapi_blob_t rop_buffer;  /* RPC_HEADER_EXT frame(s) + ROP input buffer */
    uint32_t max_rop_out;
    mapi_blob_t aux;
} mapi_execute_req_t;

/* 2.2.4.2.2 */
typedef struct {
    uint32_t status_code;
    uint32_t error_code;
    uint32_t flags;          /* reserved, 0 */
    mapi_blob_t rop_buffer;
    mapi_blob_t aux;
} mapi_execute_rsp_t;

/* 2.2.4.3.1 */
typedef struct {
    mapi_blob_t aux;
} mapi_disconnect_req_t;

/* 2.2.4.3.2 */
typedef struct {
    uint32_t status_code;
    uint32_t error_code;
    mapi_blob_t aux;
} mapi_disconnect_rsp_t;

/* 2.2.4.4.1 */
typedef struct {
    uint32_t flags;          /* reserved, 0 */
    mapi_blob_t aux;
} mapi_notifwait_req_t;

/* 2.2.4.4.2 */
typedef struct {
    uint32_t status_code;
    uint32_t error_code;
    uint32_t event_pending;  /* 1: events are queued, send an Execute */
    mapi_blob_t aux;
} mapi_notifwait_rsp_t;

/* Requests: decode (server) and encode (client). */
int mapi_connect_req_decode(const uint8_t *p, size_t len, mapi_connect_req_t *r);
int mapi_connect_req_encode(mapi_wr_t *wr, const mapi_connect_req_t *r);
int mapi_execute_req_decode(const uint8_t *p, size_t len, mapi_execute_req_t *r);
int mapi_execute_req_encode(mapi_wr_t *wr, const mapi_execute_req_t *r);
int mapi_disconnect_req_decode(const uint8_t *p, size_t len, mapi_disconnect_req_t *r);
int mapi_disconnect_req_encode(mapi_wr_t *wr, const mapi_disconnect_req_t *r);
int mapi_notifwait_req_decode(const uint8_t *p, size_t len, mapi_notifwait_req_t *r);
int mapi_notifwait_req_encode(mapi_wr_t *wr, const mapi_notifwait_req_t *r);

/* Responses: encode (server) and decode (client). A response whose
 * StatusCode is not 0 uses the failure layout for every request type. */
int mapi_connect_rsp_encode(mapi_wr_t *wr, const mapi_connect_rsp_t *r);
int mapi_connect_rsp_decode(const uint8_t *p, size_t len, mapi_connect_rsp_t *r);
void mapi_connect_rsp_free(mapi_connect_rsp_t *r);
int mapi_execute_rsp_encode(mapi_wr_t *wr, const mapi_execute_rsp_t *r);
int mapi_execute_rsp_decode(const uint8_t *p, size_t len, mapi_execute_rsp_t *r);
int mapi_disconnect_rsp_encode(mapi_wr_t *wr, const mapi_disconnect_rsp_t *r);
int mapi_disconnect_rsp_decode(const uint8_t *p, size_t len, mapi_disconnect_rsp_t *r);
int mapi_notifwait_rsp_encode(mapi_wr_t *wr, const mapi_notifwait_rsp_t *r);
int mapi_notifwait_rsp_decode(const uint8_t *p, size_t len, mapi_notifwait_rsp_t *r);

/* Generic failure response (e.g. 2.2.4.1.3): StatusCode (must not be 0),
 * AuxiliaryBufferSize, AuxiliaryBuffer. */
int mapi_failure_rsp_encode(mapi_wr_t *wr, uint32_t status_code, const mapi_blob_t *aux);
int mapi_failure_rsp_decode(const uint8_t *p, size_t len, uint32_t *status_code, mapi_blob_t *aux);

/* MAPI_RPCEXT_ENC_* framing options an Execute response may use, from the
 * request's Flags ([MS-OXCRPC] 3.1.4.2 pulFlags: 0x1 NoCompression,
 * 0x2 NoXorMagic). The caller can still drop XOR on TLS (3.1.4.1.1). */
unsigned mapi_execute_frame_opts(uint32_t exec_flags);

const char *mapi_emsmdb_strerror(int rc);

#endif /* MAPI_EMSMDB_H */
