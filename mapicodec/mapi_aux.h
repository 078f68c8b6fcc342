/*
 * mapi_aux.h - auxiliary buffers, [MS-OXCRPC] 2.2.2.2 and 3.1.4.1.2.
 *
 * An AuxiliaryBuffer is one RPC_HEADER_EXT (Last set) whose payload is a
 * list of blocks, each an AUX_HEADER (Size u16 incl. header, Version u8,
 * Type u8) followed by the block body. Offsets inside a block count from
 * the start of its AUX_HEADER.
 *
 * Layouts read on the spec pages [C]: PERF_PROCESSINFO (2.2.2.2.6),
 * PERF_ACCOUNTINFO (2.2.2.2.18), CLIENT_CONTROL (2.2.2.2.15),
 * PERF_SERVERINFO (2.2.2.2.5), SERVER_SESSION_INFO (2.2.2.2.22).
 * From memory, unverified [U]: PERF_CLIENTINFO (2.2.2.2.4),
 * PERF_SESSIONINFO(_V2), OSVERSIONINFO, EXORGINFO, SERVER_CAPABILITIES,
 * ENDPOINT_CAPABILITIES, CLIENT_CONNECTION_INFO and the type numbers.
 */
#ifndef MAPI_AUX_H
#define MAPI_AUX_H

#include <stddef.h>
#include <stdint.h>

#include "mapi_buf.h"

#define MAPI_AUX_HDR_SIZE 4u
#define MAPI_AUX_VERSION_1 0x01u
#define MAPI_AUX_VERSION_2 0x02u
#define MAPI_AUX_MAX_SIZE 0x1008u  /* cbAuxIn/pcbAuxOut range, [MS-OXCRPC] 3.1.4.1 */

enum {
    MAPI_AUX_PERF_REQUESTID = 0x01,
    MAPI_AUX_PERF_CLIENTINFO = 0x02,
    MAPI_AUX_PERF_SERVERINFO = 0x03,
    MAPI_AUX_PERF_SESSIONINFO = 0x04,
    MAPI_AUX_PERF_DEFMDB_SUCCESS = 0x05,
    MAPI_AUX_PERF_DEFGC_SUCCESS = 0x06,
    MAPI_AUX_PERF_MDB_SUCCESS = 0x07,
    MAPI_AUX_PERF_GC_SUCCESS = 0x08,
    MAPI_AUX_PERF_FAILURE = 0x09,
    MAPI_AUX_CLIENT_CONTROL = 0x0A,
    MAPI_AUX_PERF_PROCESSINFO = 0x0B,
    MAPI_AUX_OSVERSIONINFO = 0x16,
    MAPI_AUX_EXORGINFO = 0x17,
    MAPI_AUX_PERF_ACCOUNTINFO = 0x18,
    MAPI_AUX_SERVER_CAPABILITIES = 0x46,
    MAPI_AUX_ENDPOINT_CAPABILITIES = 0x48,
    MAPI_AUX_EXCEPTION_TRACE = 0x49,
    MAPI_AUX_CLIENT_CONNECTION_INFO = 0x4A,
    MAPI_AUX_SERVER_SESSION_INFO = 0x4B,
    MAPI_AUX_PROTOCOL_DEVICE_IDENTIFICATION = 0x4E
};

/* AUX_SERVER_CAPABILITIES flags (2.2.2.2.19) */
#define MAPI_SERVERCAP_PACKED_FAST_TRANSFER_UPLOAD 0x00000001u
#define MAPI_SERVERCAP_PACKED_WRITE_STREAM_UPLOAD 0x00000002u
/* AUX_ENDPOINT_CAPABILITIES flags (2.2.2.2.20) */
#define MAPI_ENDPOINTCAP_SINGLE_ENDPOINT 0x00000001u
/* AUX_EXORGINFO flags (2.2.2.2.17) */
#define MAPI_EXORG_PUBLIC_FOLDERS_ENABLED 0x00000001u
#define MAPI_EXORG_USE_AUTODISCOVER_FOR_PF 0x00000002u

enum {
    MAPI_AUX_OK = 0,
    MAPI_AUX_E_FRAME = -1,          /* RPC_HEADER_EXT invalid: see rpcext_rc */
    MAPI_AUX_E_BLOCK_SIZE = -2,     /* AUX_HEADER Size < 4 */
    MAPI_AUX_E_BLOCK_PAST_END = -3, /* AUX_HEADER Size (or a header) runs past the payload */
    MAPI_AUX_E_BLOCK_SHORT = -4,    /* known block shorter than its fixed fields */
    MAPI_AUX_E_BLOCK_OFFSET = -5,   /* string/bytes offset+size outside the block */
    MAPI_AUX_E_BLOCK_STRING = -6,   /* string not terminated inside the block */
    MAPI_AUX_E_NOMEM = -7,
    MAPI_AUX_E_TOO_LARGE = -8,      /* encoder: more than MAPI_AUX_MAX_SIZE bytes */
    MAPI_AUX_E_ARG = -9
};

typedef struct {
    uint8_t version, type;
    uint16_t size;            /* AUX_HEADER Size */
    const uint8_t *body;      /* after the AUX_HEADER, inside mapi_aux_t.payload */
    size_t body_len;
    int decoded;              /* 1 when `u` holds the decoded fields */
    union {
        struct { uint16_t session_id, request_id; } request_id;
        struct {
            uint32_t adapter_speed;
            uint16_t client_id, client_mode;
            char *machine_name, *user_name, *adapter_name;  /* UTF-8, malloc'd, may be NULL */
            const uint8_t *client_ip, *client_ip_mask, *mac_address;
            uint16_t client_ip_len, client_ip_mask_len, mac_address_len;
        } client_info;
        struct { uint16_t session_id; uint8_t guid[16]; int has_connection_id; uint32_t connection_id; } session_info;
        struct { uint16_t process_id; uint8_t guid[16]; char *process_name; } process_info;
        struct { uint32_t enable_flags, expiry_time; } client_control;
        struct { uint32_t info_size, major, minor, build; uint16_t sp_major, sp_minor; } os_version;
        struct { uint32_t flags; } flags;  /* EXORGINFO, SERVER_ / ENDPOINT_CAPABILITIES */
        struct { uint16_t client_id; uint8_t account[16]; } account_info;
        struct { uint8_t guid[16]; uint32_t attempts, flags; char *context_info; } connection_info;
        struct { char *context_info; } server_session;
    } u;
} mapi_aux_block_t;

typedef struct {
    uint8_t *payload;         /* decoded RPC_HEADER_EXT payload (malloc'd) */
    size_t payload_len;
    mapi_aux_block_t *blocks; /* malloc'd */
    size_t nblocks;
    int rpcext_rc;            /* MAPI_RPCEXT_* when MAPI_AUX_E_FRAME */
    size_t bad_block;         /* index of the block that failed */
} mapi_aux_t;

/* [MS-OXCRPC] 2.2.2.2, 3.1.4.1.1.1.1: parse an AuxiliaryBuffer (RPC_HEADER_EXT
 * with Last + blocks). len 0 is a valid empty buffer. Unknown types are
 * kept undecoded. On error, everything is freed. */
int mapi_aux_parse(const uint8_t *buf, size_t len, mapi_aux_t *aux);
/* The same on an already unframed payload (copied). */
int mapi_aux_parse_payload(const uint8_t *payload, size_t len, mapi_aux_t *aux);
void mapi_aux_free(mapi_aux_t *aux);

/* First block of a type, or NULL. */
const mapi_aux_block_t *mapi_aux_find(const mapi_aux_t *aux, uint8_t type);

/* One-line summary for logs, e.g.
 * "5 blocks; machine=PC1 user=bob ip=10.0.0.5; process=OUTLOOK.EXE; conn={...} attempts=1".
 * Always NUL-terminates (if cap > 0); returns buf. */
char *mapi_aux_summary(const mapi_aux_t *aux, char *buf, size_t cap);

/* Name of a block type ("CLIENT_CONNECTION_INFO"), or NULL if unknown. */
const char *mapi_aux_type_name(uint8_t type);

/* ---- encoding ---------------------------------------------------------
 * mapi_aux_begin() writes an RPC_HEADER_EXT placeholder and returns its
 * offset; add blocks; mapi_aux_end() sets Size/SizeActual and Last. */
size_t mapi_aux_begin(mapi_wr_t *wr);
void mapi_aux_add_block(mapi_wr_t *wr, uint8_t version, uint8_t type, const void *body, size_t len);
void mapi_aux_add_u32(mapi_wr_t *wr, uint8_t version, uint8_t type, uint32_t value);
/* AUX_PERF_CLIENTINFO (for the test client). ip may be NULL. */
void mapi_aux_add_client_info(mapi_wr_t *wr, uint16_t client_id, const char *machine,
                              const char *user, const uint8_t *ip, uint16_t ip_len,
                              uint16_t client_mode);
/* AUX_PERF_PROCESSINFO */
void mapi_aux_add_process_info(mapi_wr_t *wr, uint16_t process_id, const uint8_t guid[16],
                               const char *name);
/* AUX_CLIENT_CONNECTION_INFO */
void mapi_aux_add_connection_info(mapi_wr_t *wr, const uint8_t guid[16], uint32_t attempts,
                                  uint32_t flags, const char *context_info);
int mapi_aux_end(mapi_wr_t *wr, size_t start);

/* The server's aux output for Connect/Execute ([MS-OXCRPC] 3.1.4.1.2.1):
 * AUX_SERVER_CAPABILITIES and AUX_ENDPOINT_CAPABILITIES blocks for the
 * non-zero flag words; nothing at all (an empty aux buffer) if both are 0. */
int mapi_aux_encode_server(mapi_wr_t *wr, uint32_t server_caps, uint32_t endpoint_caps);

/* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" from a wire GUID ([MS-DTYP] 2.3.4.2). */
void mapi_guid_format(const uint8_t guid[16], char out[39]);

const char *mapi_aux_strerror(int rc);

#endif /* MAPI_AUX_H */
