/*
 * mapi_aux.c - AUX_HEADER blocks in auxiliary buffers, [MS-OXCRPC] 2.2.2.2.
 */
#include "mapi_aux.h"
#include "mapi_rpcext.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- decoding helpers ------------------------------------------------ */

/* A UTF-16LE string at `off` from the AUX_HEADER start; 0 = absent. */
static int block_wstr(const uint8_t *blk, size_t size, uint16_t off, char **out)
{
    size_t i;
    *out = NULL;
    if (off == 0)
        return MAPI_AUX_OK;
    if (off < MAPI_AUX_HDR_SIZE || off >= size)
        return MAPI_AUX_E_BLOCK_OFFSET;
    for (i = off; i + 1 < size; i += 2) {
        if (blk[i] == 0 && blk[i + 1] == 0) {
            *out = mapi_utf16le_to_utf8(blk + off, (i - off) / 2);
            return *out ? MAPI_AUX_OK : MAPI_AUX_E_NOMEM;
        }
    }
    return MAPI_AUX_E_BLOCK_STRING;
}

/* A byte range (offset, size) inside the block; 0/0 = absent. */
static int block_bytes(size_t size, uint16_t off, uint16_t len, const uint8_t *blk,
                       const uint8_t **out)
{
    *out = NULL;
    if (len == 0)
        return MAPI_AUX_OK;
    if (off < MAPI_AUX_HDR_SIZE || off > size || len > size - off)
        return MAPI_AUX_E_BLOCK_OFFSET;
    *out = blk + off;
    return MAPI_AUX_OK;
}

#define NEED(n) do { if (b->body_len < (n)) return MAPI_AUX_E_BLOCK_SHORT; } while (0)
#define TRY(x) do { int rc_ = (x); if (rc_ != MAPI_AUX_OK) return rc_; } while (0)

/* AUX_PERF_CLIENTINFO, 2.2.2.2.4 [U]: 28 bytes of fixed fields. */
static int decode_client_info(mapi_aux_block_t *b)
{
    const uint8_t *blk = b->body - MAPI_AUX_HDR_SIZE, *q = b->body;
    NEED(28);
    b->u.client_info.adapter_speed = mapi_le32(q);
    b->u.client_info.client_id = mapi_le16(q + 4);
    b->u.client_info.client_ip_len = mapi_le16(q + 10);
    b->u.client_info.client_ip_mask_len = mapi_le16(q + 14);
    b->u.client_info.mac_address_len = mapi_le16(q + 20);
    b->u.client_info.client_mode = mapi_le16(q + 24);
    TRY(block_wstr(blk, b->size, mapi_le16(q + 6), &b->u.client_info.machine_name));
    TRY(block_wstr(blk, b->size, mapi_le16(q + 8), &b->u.client_info.user_name));
    TRY(block_bytes(b->size, mapi_le16(q + 12), b->u.client_info.client_ip_len, blk,
                    &b->u.client_info.client_ip));
    TRY(block_bytes(b->size, mapi_le16(q + 16), b->u.client_info.client_ip_mask_len, blk,
                    &b->u.client_info.client_ip_mask));
    TRY(block_wstr(blk, b->size, mapi_le16(q + 18), &b->u.client_info.adapter_name));
    TRY(block_bytes(b->size, mapi_le16(q + 22), b->u.client_info.mac_address_len, blk,
                    &b->u.client_info.mac_address));
    return MAPI_AUX_OK;
}

/* Known blocks: decode the fields ([MS-OXCRPC] 2.2.2.2.x). */
static int decode_block(mapi_aux_block_t *b)
{
    const uint8_t *blk = b->body - MAPI_AUX_HDR_SIZE, *q = b->body;
    switch (b->type) {
    case MAPI_AUX_PERF_REQUESTID: /* 2.2.2.2.2 */
        NEED(4);
        b->u.request_id.session_id = mapi_le16(q);
        b->u.request_id.request_id = mapi_le16(q + 2);
        break;
    case MAPI_AUX_PERF_CLIENTINFO:
        TRY(decode_client_info(b));
        break;
    case MAPI_AUX_PERF_SESSIONINFO: /* 2.2.2.2.7 / _V2 2.2.2.2.8 [U] */
        NEED(b->version == MAPI_AUX_VERSION_2 ? 24 : 20);
        b->u.session_info.session_id = mapi_le16(q);
        memcpy(b->u.session_info.guid, q + 4, 16);
        if (b->version == MAPI_AUX_VERSION_2) {
            b->u.session_info.has_connection_id = 1;
            b->u.session_info.connection_id = mapi_le32(q + 20);
        }
        break;
    case MAPI_AUX_PERF_PROCESSINFO: /* 2.2.2.2.6 [C] */
        NEED(24);
        b->u.process_info.process_id = mapi_le16(q);
        memcpy(b->u.process_info.guid, q + 4, 16);
        TRY(block_wstr(blk, b->size, mapi_le16(q + 20), &b->u.process_info.process_name));
        break;
    case MAPI_AUX_CLIENT_CONTROL: /* 2.2.2.2.15 [C] */
        NEED(8);
        b->u.client_control.enable_flags = mapi_le32(q);
        b->u.client_control.expiry_time = mapi_le32(q + 4);
        break;
    case MAPI_AUX_OSVERSIONINFO: /* 2.2.2.2.16 [U]: 16 + 132 reserved + 8 */
        NEED(156);
        b->u.os_version.info_size = mapi_le32(q);
        b->u.os_version.major = mapi_le32(q + 4);
        b->u.os_version.minor = mapi_le32(q + 8);
        b->u.os_version.build = mapi_le32(q + 12);
        b->u.os_version.sp_major = mapi_le16(q + 148);
        b->u.os_version.sp_minor = mapi_le16(q + 150);
        break;
    case MAPI_AUX_EXORGINFO:             /* 2.2.2.2.17 */
    case MAPI_AUX_SERVER_CAPABILITIES:   /* 2.2.2.2.19 */
    case MAPI_AUX_ENDPOINT_CAPABILITIES: /* 2.2.2.2.20 */
        NEED(4);
        b->u.flags.flags = mapi_le32(q);
        break;
    case MAPI_AUX_PERF_ACCOUNTINFO: /* 2.2.2.2.18 [C] */
        NEED(20);
        b->u.account_info.client_id = mapi_le16(q);
        memcpy(b->u.account_info.account, q + 4, 16);
        break;
    case MAPI_AUX_CLIENT_CONNECTION_INFO: /* 2.2.2.2.21 [U] */
        NEED(28);
        memcpy(b->u.connection_info.guid, q, 16);
        b->u.connection_info.attempts = mapi_le32(q + 20);
        b->u.connection_info.flags = mapi_le32(q + 24);
        TRY(block_wstr(blk, b->size, mapi_le16(q + 16), &b->u.connection_info.context_info));
        break;
    case MAPI_AUX_SERVER_SESSION_INFO: /* 2.2.2.2.22 [C] */
        NEED(2);
        TRY(block_wstr(blk, b->size, mapi_le16(q), &b->u.server_session.context_info));
        break;
    default:
        return MAPI_AUX_OK;
    }
    b->decoded = 1;
    return MAPI_AUX_OK;
}

static void free_block(mapi_aux_block_t *b)
{
    if (!b->decoded && b->type != MAPI_AUX_PERF_CLIENTINFO && b->type != MAPI_AUX_PERF_PROCESSINFO &&
        b->type != MAPI_AUX_CLIENT_CONNECTION_INFO && b->type != MAPI_AUX_SERVER_SESSION_INFO)
        return;
    switch (b->type) {
    case MAPI_AUX_PERF_CLIENTINFO:
        free(b->u.client_info.machine_name);
        free(b->u.client_info.user_name);
        free(b->u.client_info.adapter_name);
        break;
    case MAPI_AUX_PERF_PROCESSINFO:
        free(b->u.process_info.process_name);
        break;
    case MAPI_AUX_CLIENT_CONNECTION_INFO:
        free(b->u.connection_info.context_info);
        break;
    case MAPI_AUX_SERVER_SESSION_INFO:
        free(b->u.server_session.context_info);
        break;
    default:
        break;
    }
}

void mapi_aux_free(mapi_aux_t *aux)
{
    size_t i;
    if (!aux)
        return;
    for (i = 0; i < aux->nblocks; i++)
        free_block(&aux->blocks[i]);
    free(aux->blocks);
    free(aux->payload);
    aux->blocks = NULL;
    aux->payload = NULL;
    aux->nblocks = aux->payload_len = 0;
}

static int aux_fail(mapi_aux_t *aux, int rc)
{
    size_t bad = aux->bad_block;
    int rrc = aux->rpcext_rc;
    mapi_aux_free(aux);
    aux->bad_block = bad;
    aux->rpcext_rc = rrc;
    return rc;
}

/* Walks the AUX_HEADER list in aux->payload ([MS-OXCRPC] 2.2.2.2). */
static int parse_blocks(mapi_aux_t *aux)
{
    size_t off = 0, cap = 0;
    while (off < aux->payload_len) {
        mapi_aux_block_t *b;
        uint16_t size;
        int rc;
        aux->bad_block = aux->nblocks;
        if (aux->payload_len - off < MAPI_AUX_HDR_SIZE)
            return aux_fail(aux, MAPI_AUX_E_BLOCK_PAST_END);
        size = mapi_le16(aux->payload + off);
        if (size < MAPI_AUX_HDR_SIZE)
            return aux_fail(aux, MAPI_AUX_E_BLOCK_SIZE);
        if (size > aux->payload_len - off)
            return aux_fail(aux, MAPI_AUX_E_BLOCK_PAST_END);
        if (aux->nblocks == cap) {
            mapi_aux_block_t *nb;
            cap = cap ? cap * 2 : 8;
            nb = realloc(aux->blocks, cap * sizeof(*nb));
            if (!nb)
                return aux_fail(aux, MAPI_AUX_E_NOMEM);
            aux->blocks = nb;
        }
        b = &aux->blocks[aux->nblocks++];
        memset(b, 0, sizeof(*b));
        b->size = size;
        b->version = aux->payload[off + 2];
        b->type = aux->payload[off + 3];
        b->body = aux->payload + off + MAPI_AUX_HDR_SIZE;
        b->body_len = size - MAPI_AUX_HDR_SIZE;
        rc = decode_block(b);
        if (rc != MAPI_AUX_OK)
            return aux_fail(aux, rc);
        off += size;
    }
    return MAPI_AUX_OK;
}

/* [MS-OXCRPC] 2.2.2.2 */
int mapi_aux_parse_payload(const uint8_t *payload, size_t len, mapi_aux_t *aux)
{
    if (!aux || (!payload && len))
        return MAPI_AUX_E_ARG;
    memset(aux, 0, sizeof(*aux));
    aux->payload = malloc(len ? len : 1);
    if (!aux->payload)
        return MAPI_AUX_E_NOMEM;
    if (len)
        memcpy(aux->payload, payload, len);
    aux->payload_len = len;
    return parse_blocks(aux);
}

/* [MS-OXCRPC] 3.1.4.1.1.1.1: rgbAuxIn = one RPC_HEADER_EXT with Last. */
int mapi_aux_parse(const uint8_t *buf, size_t len, mapi_aux_t *aux)
{
    mapi_rpcext_chain_t chain;
    int rc;
    if (!aux || (!buf && len))
        return MAPI_AUX_E_ARG;
    memset(aux, 0, sizeof(*aux));
    if (len == 0)
        return MAPI_AUX_OK;
    rc = mapi_rpcext_decode_chain(buf, len, MAPI_RPCEXT_SINGLE, 1, &chain);
    if (rc != MAPI_RPCEXT_OK) {
        aux->rpcext_rc = rc;
        return MAPI_AUX_E_FRAME;
    }
    aux->payload = chain.data;
    aux->payload_len = chain.len;
    chain.data = NULL;
    mapi_rpcext_chain_free(&chain);
    if (!aux->payload) {
        aux->payload = malloc(1);
        if (!aux->payload)
            return MAPI_AUX_E_NOMEM;
    }
    return parse_blocks(aux);
}

const mapi_aux_block_t *mapi_aux_find(const mapi_aux_t *aux, uint8_t type)
{
    size_t i;
    for (i = 0; aux && i < aux->nblocks; i++)
        if (aux->blocks[i].type == type)
            return &aux->blocks[i];
    return NULL;
}

/* ---- summary ---------------------------------------------------------- */

void mapi_guid_format(const uint8_t g[16], char out[39])
{
    snprintf(out, 39, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned)mapi_le32(g),
             (unsigned)mapi_le16(g + 4), (unsigned)mapi_le16(g + 6), g[8], g[9], g[10], g[11],
             g[12], g[13], g[14], g[15]);
}

typedef struct {
    char *buf;
    size_t cap, len;
} sbuf_t;

static void sb_add(sbuf_t *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(sbuf_t *sb, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (sb->len + 1 >= sb->cap)
        return;
    va_start(ap, fmt);
    n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        sb->len = (size_t)n >= sb->cap - sb->len ? sb->cap - 1 : sb->len + (size_t)n;
}

/* Printable copy of a client string for a log line (no control chars). */
static const char *clean(const char *s, char *tmp, size_t cap)
{
    size_t i;
    if (!s)
        return "-";
    for (i = 0; s[i] && i + 1 < cap; i++)
        tmp[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == ' ') ? '?' : s[i];
    tmp[i] = 0;
    return tmp;
}

static void summary_client(sbuf_t *sb, const mapi_aux_block_t *b)
{
    char t1[64], t2[64], ip[INET6_ADDRSTRLEN] = "-";
    if (b->u.client_info.client_ip_len == 4)
        inet_ntop(AF_INET, b->u.client_info.client_ip, ip, sizeof(ip));
    else if (b->u.client_info.client_ip_len == 16)
        inet_ntop(AF_INET6, b->u.client_info.client_ip, ip, sizeof(ip));
    sb_add(sb, "; machine=%s user=%s ip=%s mode=%u",
           clean(b->u.client_info.machine_name, t1, sizeof(t1)),
           clean(b->u.client_info.user_name, t2, sizeof(t2)), ip,
           (unsigned)b->u.client_info.client_mode);
}

char *mapi_aux_summary(const mapi_aux_t *aux, char *buf, size_t cap)
{
    sbuf_t sb = {buf, cap, 0};
    const mapi_aux_block_t *b;
    char tmp[64], guid[39];
    size_t i, unknown = 0;
    if (!buf || cap == 0)
        return buf;
    buf[0] = 0;
    sb_add(&sb, "%zu aux blocks", aux ? aux->nblocks : 0);
    if (!aux)
        return buf;
    if ((b = mapi_aux_find(aux, MAPI_AUX_PERF_CLIENTINFO)) && b->decoded)
        summary_client(&sb, b);
    if ((b = mapi_aux_find(aux, MAPI_AUX_PERF_PROCESSINFO)) && b->decoded)
        sb_add(&sb, "; process=%s", clean(b->u.process_info.process_name, tmp, sizeof(tmp)));
    if ((b = mapi_aux_find(aux, MAPI_AUX_PERF_SESSIONINFO)) && b->decoded) {
        mapi_guid_format(b->u.session_info.guid, guid);
        sb_add(&sb, "; session=%s", guid);
    }
    if ((b = mapi_aux_find(aux, MAPI_AUX_CLIENT_CONNECTION_INFO)) && b->decoded) {
        mapi_guid_format(b->u.connection_info.guid, guid);
        sb_add(&sb, "; conn=%s attempts=%u flags=0x%x info=%s", guid,
               (unsigned)b->u.connection_info.attempts, (unsigned)b->u.connection_info.flags,
               clean(b->u.connection_info.context_info, tmp, sizeof(tmp)));
    }
    if ((b = mapi_aux_find(aux, MAPI_AUX_OSVERSIONINFO)) && b->decoded)
        sb_add(&sb, "; os=%u.%u.%u", (unsigned)b->u.os_version.major,
               (unsigned)b->u.os_version.minor, (unsigned)b->u.os_version.build);
    for (i = 0; i < aux->nblocks; i++)
        if (!mapi_aux_type_name(aux->blocks[i].type))
            unknown++;
    if (unknown)
        sb_add(&sb, "; %zu unknown", unknown);
    return buf;
}

const char *mapi_aux_type_name(uint8_t type)
{
    switch (type) {
    case MAPI_AUX_PERF_REQUESTID: return "PERF_REQUESTID";
    case MAPI_AUX_PERF_CLIENTINFO: return "PERF_CLIENTINFO";
    case MAPI_AUX_PERF_SERVERINFO: return "PERF_SERVERINFO";
    case MAPI_AUX_PERF_SESSIONINFO: return "PERF_SESSIONINFO";
    case MAPI_AUX_PERF_DEFMDB_SUCCESS: return "PERF_DEFMDB_SUCCESS";
    case MAPI_AUX_PERF_DEFGC_SUCCESS: return "PERF_DEFGC_SUCCESS";
    case MAPI_AUX_PERF_MDB_SUCCESS: return "PERF_MDB_SUCCESS";
    case MAPI_AUX_PERF_GC_SUCCESS: return "PERF_GC_SUCCESS";
    case MAPI_AUX_PERF_FAILURE: return "PERF_FAILURE";
    case MAPI_AUX_CLIENT_CONTROL: return "CLIENT_CONTROL";
    case MAPI_AUX_PERF_PROCESSINFO: return "PERF_PROCESSINFO";
    case 0x0C: case 0x0D: case 0x0E: case 0x0F: case 0x10: return "PERF_BG";
    case 0x11: case 0x12: case 0x13: case 0x14: case 0x15: return "PERF_FG";
    case MAPI_AUX_OSVERSIONINFO: return "OSVERSIONINFO";
    case MAPI_AUX_EXORGINFO: return "EXORGINFO";
    case MAPI_AUX_PERF_ACCOUNTINFO: return "PERF_ACCOUNTINFO";
    case MAPI_AUX_SERVER_CAPABILITIES: return "SERVER_CAPABILITIES";
    case MAPI_AUX_ENDPOINT_CAPABILITIES: return "ENDPOINT_CAPABILITIES";
    case MAPI_AUX_EXCEPTION_TRACE: return "EXCEPTION_TRACE";
    case MAPI_AUX_CLIENT_CONNECTION_INFO: return "CLIENT_CONNECTION_INFO";
    case MAPI_AUX_SERVER_SESSION_INFO: return "SERVER_SESSION_INFO";
    case MAPI_AUX_PROTOCOL_DEVICE_IDENTIFICATION: return "PROTOCOL_DEVICE_IDENTIFICATION";
    default: return NULL;
    }
}

/* ---- encoding ----------------------------------------------------------- */

size_t mapi_aux_begin(mapi_wr_t *wr)
{
    size_t start = wr->len;
    uint8_t *h = mapi_wr_reserve(wr, MAPI_RPCEXT_HDR_SIZE);
    if (h)
        memset(h, 0, MAPI_RPCEXT_HDR_SIZE);
    return start;
}

/* [MS-OXCRPC] 2.2.2.2 AUX_HEADER + body */
void mapi_aux_add_block(mapi_wr_t *wr, uint8_t version, uint8_t type, const void *body, size_t len)
{
    if (len > 0xFFFFu - MAPI_AUX_HDR_SIZE) {
        wr->err = 1;
        return;
    }
    mapi_wr_u16(wr, (uint16_t)(len + MAPI_AUX_HDR_SIZE));
    mapi_wr_u8(wr, version);
    mapi_wr_u8(wr, type);
    mapi_wr_bytes(wr, body, len);
}

void mapi_aux_add_u32(mapi_wr_t *wr, uint8_t version, uint8_t type, uint32_t value)
{
    uint8_t b[4];
    mapi_put_le32(b, value);
    mapi_aux_add_block(wr, version, type, b, 4);
}

/* Appends a UTF-16 string to a block under construction and stores its
 * offset (from the AUX_HEADER at blk_start) at off_at. */
static void put_wstr(mapi_wr_t *wr, size_t blk_start, size_t off_at, const char *s)
{
    if (!s)
        return;
    mapi_wr_put_u16_at(wr, off_at, (uint16_t)(wr->len - blk_start));
    mapi_wr_utf16z_from_utf8(wr, s);
}

static void finish_block(mapi_wr_t *wr, size_t blk_start)
{
    if (wr->len - blk_start > 0xFFFFu)
        wr->err = 1;
    mapi_wr_put_u16_at(wr, blk_start, (uint16_t)(wr->len - blk_start));
}

/* AUX_PERF_CLIENTINFO, 2.2.2.2.4 [U] */
void mapi_aux_add_client_info(mapi_wr_t *wr, uint16_t client_id, const char *machine,
                              const char *user, const uint8_t *ip, uint16_t ip_len,
                              uint16_t client_mode)
{
    size_t start = wr->len;
    uint8_t *f = mapi_wr_reserve(wr, MAPI_AUX_HDR_SIZE + 28);
    if (!f)
        return;
    memset(f, 0, MAPI_AUX_HDR_SIZE + 28);
    f[2] = MAPI_AUX_VERSION_1;
    f[3] = MAPI_AUX_PERF_CLIENTINFO;
    mapi_put_le16(f + 4 + 4, client_id);
    mapi_put_le16(f + 4 + 24, client_mode);
    put_wstr(wr, start, start + 4 + 6, machine);
    put_wstr(wr, start, start + 4 + 8, user);
    if (ip && ip_len) {
        mapi_wr_put_u16_at(wr, start + 4 + 10, ip_len);
        mapi_wr_put_u16_at(wr, start + 4 + 12, (uint16_t)(wr->len - start));
        mapi_wr_bytes(wr, ip, ip_len);
    }
    finish_block(wr, start);
}

/* AUX_PERF_PROCESSINFO, 2.2.2.2.6 [C] */
void mapi_aux_add_process_info(mapi_wr_t *wr, uint16_t process_id, const uint8_t guid[16],
                               const char *name)
{
    size_t start = wr->len;
    uint8_t *f = mapi_wr_reserve(wr, MAPI_AUX_HDR_SIZE + 24);
    if (!f)
        return;
    memset(f, 0, MAPI_AUX_HDR_SIZE + 24);
    f[2] = MAPI_AUX_VERSION_1;
    f[3] = MAPI_AUX_PERF_PROCESSINFO;
    mapi_put_le16(f + 4, process_id);
    if (guid)
        memcpy(f + 8, guid, 16);
    put_wstr(wr, start, start + 4 + 20, name);
    finish_block(wr, start);
}

/* AUX_CLIENT_CONNECTION_INFO, 2.2.2.2.21 [U] */
void mapi_aux_add_connection_info(mapi_wr_t *wr, const uint8_t guid[16], uint32_t attempts,
                                  uint32_t flags, const char *context_info)
{
    size_t start = wr->len;
    uint8_t *f = mapi_wr_reserve(wr, MAPI_AUX_HDR_SIZE + 28);
    if (!f)
        return;
    memset(f, 0, MAPI_AUX_HDR_SIZE + 28);
    f[2] = MAPI_AUX_VERSION_1;
    f[3] = MAPI_AUX_CLIENT_CONNECTION_INFO;
    if (guid)
        memcpy(f + 4, guid, 16);
    mapi_put_le32(f + 4 + 20, attempts);
    mapi_put_le32(f + 4 + 24, flags);
    put_wstr(wr, start, start + 4 + 16, context_info);
    finish_block(wr, start);
}

/* Closes the RPC_HEADER_EXT opened by mapi_aux_begin (uncompressed, Last). */
int mapi_aux_end(mapi_wr_t *wr, size_t start)
{
    size_t payload;
    if (!mapi_wr_ok(wr))
        return MAPI_AUX_E_NOMEM;
    if (start + MAPI_RPCEXT_HDR_SIZE > wr->len)
        return MAPI_AUX_E_ARG;
    payload = wr->len - start - MAPI_RPCEXT_HDR_SIZE;
    if (payload + MAPI_RPCEXT_HDR_SIZE > MAPI_AUX_MAX_SIZE)
        return MAPI_AUX_E_TOO_LARGE;
    mapi_wr_put_u16_at(wr, start, MAPI_RPCEXT_VERSION);
    mapi_wr_put_u16_at(wr, start + 2, MAPI_RPCEXT_LAST);
    mapi_wr_put_u16_at(wr, start + 4, (uint16_t)payload);
    mapi_wr_put_u16_at(wr, start + 6, (uint16_t)payload);
    return MAPI_AUX_OK;
}

/* [MS-OXCRPC] 3.1.4.1.2.1: server topology/capability blocks. */
int mapi_aux_encode_server(mapi_wr_t *wr, uint32_t server_caps, uint32_t endpoint_caps)
{
    size_t start;
    if (!server_caps && !endpoint_caps)
        return mapi_wr_ok(wr) ? MAPI_AUX_OK : MAPI_AUX_E_NOMEM;
    start = mapi_aux_begin(wr);
    if (server_caps)
        mapi_aux_add_u32(wr, MAPI_AUX_VERSION_1, MAPI_AUX_SERVER_CAPABILITIES, server_caps);
    if (endpoint_caps)
        mapi_aux_add_u32(wr, MAPI_AUX_VERSION_1, MAPI_AUX_ENDPOINT_CAPABILITIES, endpoint_caps);
    return mapi_aux_end(wr, start);
}

const char *mapi_aux_strerror(int rc)
{
    switch (rc) {
    case MAPI_AUX_OK: return "ok";
    case MAPI_AUX_E_FRAME: return "auxiliary buffer RPC_HEADER_EXT invalid";
    case MAPI_AUX_E_BLOCK_SIZE: return "AUX_HEADER Size below 4";
    case MAPI_AUX_E_BLOCK_PAST_END: return "AUX block runs past the end";
    case MAPI_AUX_E_BLOCK_SHORT: return "AUX block shorter than its fixed fields";
    case MAPI_AUX_E_BLOCK_OFFSET: return "AUX block offset outside the block";
    case MAPI_AUX_E_BLOCK_STRING: return "AUX block string not terminated";
    case MAPI_AUX_E_NOMEM: return "out of memory";
    case MAPI_AUX_E_TOO_LARGE: return "auxiliary buffer too large";
    case MAPI_AUX_E_ARG: return "invalid argument";
    default: return "unknown aux error";
    }
}
