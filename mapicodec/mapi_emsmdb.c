/*
 * mapi_emsmdb.c - EMSMDB request/response bodies, [MS-OXCMAPIHTTP] 2.2.4.
 */
#include "mapi_emsmdb.h"
#include "mapi_rpcext.h"

#include <stdlib.h>
#include <string.h>

/* Decoder state: the reader plus the first error that was specific. */
typedef struct {
    mapi_rd_t rd;
    int rc;
} body_rd_t;

static void brd_init(body_rd_t *b, const uint8_t *p, size_t len)
{
    mapi_rd_init(&b->rd, p, len);
    b->rc = MAPI_EMSMDB_OK;
}

static uint32_t brd_u32(body_rd_t *b)
{
    uint32_t v = mapi_rd_u32(&b->rd);
    if (!mapi_rd_ok(&b->rd) && b->rc == MAPI_EMSMDB_OK)
        b->rc = MAPI_EMSMDB_E_TRUNCATED;
    return v;
}

/* A u32 size followed by that many bytes. */
static void brd_blob(body_rd_t *b, mapi_blob_t *blob)
{
    uint32_t n = brd_u32(b);
    blob->p = NULL;
    blob->len = 0;
    if (b->rc != MAPI_EMSMDB_OK)
        return;
    if (n > mapi_rd_left(&b->rd)) {
        b->rc = MAPI_EMSMDB_E_LENGTH;
        mapi_rd_fail(&b->rd);
        return;
    }
    blob->p = n ? mapi_rd_bytes(&b->rd, n) : NULL;
    blob->len = n;
}

static const char *brd_asciiz(body_rd_t *b)
{
    const char *s;
    if (b->rc != MAPI_EMSMDB_OK)
        return NULL;
    s = mapi_rd_asciiz(&b->rd, NULL);
    if (!s)
        b->rc = MAPI_EMSMDB_E_STRING;
    return s;
}

/* Every decoder ends here: no trailing bytes after the last field. */
static int brd_finish(body_rd_t *b)
{
    if (b->rc != MAPI_EMSMDB_OK)
        return b->rc;
    if (!mapi_rd_ok(&b->rd))
        return MAPI_EMSMDB_E_TRUNCATED;
    if (mapi_rd_left(&b->rd) != 0)
        return MAPI_EMSMDB_E_TRAILING;
    return MAPI_EMSMDB_OK;
}

static void wr_blob(mapi_wr_t *wr, const mapi_blob_t *blob)
{
    uint32_t n = blob ? blob->len : 0;
    mapi_wr_u32(wr, n);
    if (n)
        mapi_wr_bytes(wr, blob->p, n);
}

static int wr_result(const mapi_wr_t *wr)
{
    return mapi_wr_ok(wr) ? MAPI_EMSMDB_OK : MAPI_EMSMDB_E_NOMEM;
}

/* ---- Connect, 2.2.4.1 ---------------------------------------------- */

/* 2.2.4.1.1 Connect request body */
int mapi_connect_req_decode(const uint8_t *p, size_t len, mapi_connect_req_t *r)
{
    body_rd_t b;
    memset(r, 0, sizeof(*r));
    brd_init(&b, p, len);
    r->user_dn = brd_asciiz(&b);
    r->flags = brd_u32(&b);
    r->default_code_page = brd_u32(&b);
    r->lcid_sort = brd_u32(&b);
    r->lcid_string = brd_u32(&b);
    brd_blob(&b, &r->aux);
    return brd_finish(&b);
}

int mapi_connect_req_encode(mapi_wr_t *wr, const mapi_connect_req_t *r)
{
    mapi_wr_asciiz(wr, r->user_dn);
    mapi_wr_u32(wr, r->flags);
    mapi_wr_u32(wr, r->default_code_page);
    mapi_wr_u32(wr, r->lcid_sort);
    mapi_wr_u32(wr, r->lcid_string);
    wr_blob(wr, &r->aux);
    return wr_result(wr);
}

/* 2.2.4.1.2 success / 2.2.4.1.3 failure */
int mapi_connect_rsp_encode(mapi_wr_t *wr, const mapi_connect_rsp_t *r)
{
    if (r->status_code != 0)
        return mapi_failure_rsp_encode(wr, r->status_code, &r->aux);
    mapi_wr_u32(wr, 0);
    mapi_wr_u32(wr, r->error_code);
    mapi_wr_u32(wr, r->max_polling_interval);
    mapi_wr_u32(wr, r->retry_count);
    mapi_wr_u32(wr, r->retry_delay);
    mapi_wr_asciiz(wr, r->dn_prefix);
    mapi_wr_utf16z_from_utf8(wr, r->display_name);
    wr_blob(wr, &r->aux);
    return wr_result(wr);
}

int mapi_connect_rsp_decode(const uint8_t *p, size_t len, mapi_connect_rsp_t *r)
{
    body_rd_t b;
    const uint8_t *name;
    size_t units = 0;
    int rc;

    memset(r, 0, sizeof(*r));
    brd_init(&b, p, len);
    r->status_code = brd_u32(&b);
    if (b.rc == MAPI_EMSMDB_OK && r->status_code != 0) {
        brd_blob(&b, &r->aux);
        return brd_finish(&b);
    }
    r->error_code = brd_u32(&b);
    r->max_polling_interval = brd_u32(&b);
    r->retry_count = brd_u32(&b);
    r->retry_delay = brd_u32(&b);
    r->dn_prefix = brd_asciiz(&b);
    name = b.rc == MAPI_EMSMDB_OK ? mapi_rd_utf16z(&b.rd, &units) : NULL;
    if (!name && b.rc == MAPI_EMSMDB_OK)
        b.rc = MAPI_EMSMDB_E_STRING;
    brd_blob(&b, &r->aux);
    rc = brd_finish(&b);
    if (rc != MAPI_EMSMDB_OK)
        return rc;
    r->display_name = mapi_utf16le_to_utf8(name, units);
    return r->display_name ? MAPI_EMSMDB_OK : MAPI_EMSMDB_E_NOMEM;
}

void mapi_connect_rsp_free(mapi_connect_rsp_t *r)
{
    if (r) {
        free((char *)r->display_name);
        r->display_name = NULL;
    }
}

/* ---- Execute, 2.2.4.2 ---------------------------------------------- */

/* 2.2.4.2.1 [C] */
int mapi_execute_req_decode(const uint8_t *p, size_t len, mapi_execute_req_t *r)
{
    body_rd_t b;
    memset(r, 0, sizeof(*r));
    brd_init(&b, p, len);
    r->flags = brd_u32(&b);
    brd_blob(&b, &r->rop_buffer);
    r->max_rop_out = brd_u32(&b);
    brd_blob(&b, &r->aux);
    return brd_finish(&b);
}

int mapi_execute_req_encode(mapi_wr_t *wr, const mapi_execute_req_t *r)
{
    mapi_wr_u32(wr, r->flags);
    wr_blob(wr, &r->rop_buffer);
    mapi_wr_u32(wr, r->max_rop_out);
    wr_blob(wr, &r->aux);
    return wr_result(wr);
}

/* 2.2.4.2.2 */
int mapi_execute_rsp_encode(mapi_wr_t *wr, const mapi_execute_rsp_t *r)
{
    if (r->status_code != 0)
        return mapi_failure_rsp_encode(wr, r->status_code, &r->aux);
    mapi_wr_u32(wr, 0);
    mapi_wr_u32(wr, r->error_code);
    mapi_wr_u32(wr, r->flags);
    wr_blob(wr, &r->rop_buffer);
    wr_blob(wr, &r->aux);
    return wr_result(wr);
}

int mapi_execute_rsp_decode(const uint8_t *p, size_t len, mapi_execute_rsp_t *r)
{
    body_rd_t b;
    memset(r, 0, sizeof(*r));
    brd_init(&b, p, len);
    r->status_code = brd_u32(&b);
    if (b.rc == MAPI_EMSMDB_OK && r->status_code == 0) {
        r->error_code = brd_u32(&b);
        r->flags = brd_u32(&b);
        brd_blob(&b, &r->rop_buffer);
    }
    brd_blob(&b, &r->aux);
    return brd_finish(&b);
}

/* ---- Disconnect, 2.2.4.3 ------------------------------------------- */

int mapi_disconnect_req_decode(const uint8_t *p, size_t len, mapi_disconnect_req_t *r)
{
    body_rd_t b;
    memset(r, 0, sizeof(*r));
    brd_init(&b, p, len);
    brd_blob(&b, &r->aux);
    return brd_finish(&b);
}

int mapi_disconnect_req_encode(mapi_wr_t *wr, const mapi_disconnect_req_t *r)
{
    wr_blob(wr, &r->aux);
    return wr_result(wr);
}

int mapi_disconnect_rsp_encode(mapi_wr_t *wr, const mapi_disconnect_rsp_t *r)
{
    if (r->status_code != 0)
        return mapi_failure_rsp_encode(wr, r->status_code, &r->aux);
    mapi_wr_u32(wr, 0);
    mapi_wr_u32(wr, r->error_code);
    wr_blob(wr, &r->aux);
    return wr_result(wr);
}

int mapi_disconnect_rsp_decode(const uint8_t *p, size_t len, mapi_disconnect_rsp_t *r)
{
    body_rd_t b;
    memset(r, 0, sizeof(*r));
    brd_init(&b, p, len);
    r->status_code = brd_u32(&b);
    if (b.rc == MAPI_EMSMDB_OK && r->status_code == 0)
        r->error_code = brd_u32(&b);
    brd_blob(&b, &r->aux);
    return brd_finish(&b);
}

/* ---- NotificationWait, 2.2.4.4 ------------------------------------- */

int mapi_notifwait_req_decode(const uint8_t *p, size_t len, mapi_notifwait_req_t *r)
{
    body_rd_t b;
    memset(r, 0, sizeof(*r));
    brd_init(&b, p, len);
    r->flags = brd_u32(&b);
    brd_blob(&b, &r->aux);
    return brd_finish(&b);
}

int mapi_notifwait_req_encode(mapi_wr_t *wr, const mapi_notifwait_req_t *r)
{
    mapi_wr_u32(wr, r->flags);
    wr_blob(wr, &r->aux);
    return wr_result(wr);
}

int mapi_notifwait_rsp_encode(mapi_wr_t *wr, const mapi_notifwait_rsp_t *r)
{
    if (r->status_code != 0)
        return mapi_failure_rsp_encode(wr, r->status_code, &r->aux);
    mapi_wr_u32(wr, 0);
    mapi_wr_u32(wr, r->error_code);
    mapi_wr_u32(wr, r->event_pending);
    wr_blob(wr, &r->aux);
    return wr_result(wr);
}

int mapi_notifwait_rsp_decode(const uint8_t *p, size_t len, mapi_notifwait_rsp_t *r)
{
    body_rd_t b;
    memset(r, 0, sizeof(*r));
    brd_init(&b, p, len);
    r->status_code = brd_u32(&b);
    if (b.rc == MAPI_EMSMDB_OK && r->status_code == 0) {
        r->error_code = brd_u32(&b);
        r->event_pending = brd_u32(&b);
    }
    brd_blob(&b, &r->aux);
    return brd_finish(&b);
}

/* ---- failure response (2.2.4.1.3 and its siblings) ------------------ */

int mapi_failure_rsp_encode(mapi_wr_t *wr, uint32_t status_code, const mapi_blob_t *aux)
{
    if (status_code == 0)
        return MAPI_EMSMDB_E_ARG;
    mapi_wr_u32(wr, status_code);
    wr_blob(wr, aux);
    return wr_result(wr);
}

int mapi_failure_rsp_decode(const uint8_t *p, size_t len, uint32_t *status_code, mapi_blob_t *aux)
{
    body_rd_t b;
    brd_init(&b, p, len);
    *status_code = brd_u32(&b);
    brd_blob(&b, aux);
    return brd_finish(&b);
}

/* [MS-OXCRPC] 3.1.4.2 */
unsigned mapi_execute_frame_opts(uint32_t exec_flags)
{
    unsigned opts = 0;
    if (!(exec_flags & MAPI_EXEC_NO_COMPRESSION))
        opts |= MAPI_RPCEXT_ENC_COMPRESS;
    if (!(exec_flags & MAPI_EXEC_NO_XORMAGIC))
        opts |= MAPI_RPCEXT_ENC_XOR;
    return opts;
}

const char *mapi_emsmdb_strerror(int rc)
{
    switch (rc) {
    case MAPI_EMSMDB_OK: return "ok";
    case MAPI_EMSMDB_E_TRUNCATED: return "body truncated";
    case MAPI_EMSMDB_E_LENGTH: return "size field runs past the end of the body";
    case MAPI_EMSMDB_E_STRING: return "unterminated string";
    case MAPI_EMSMDB_E_TRAILING: return "trailing bytes after the body";
    case MAPI_EMSMDB_E_NOMEM: return "out of memory";
    case MAPI_EMSMDB_E_ARG: return "invalid argument";
    default: return "unknown EMSMDB body error";
    }
}
