/*
 * mapicurl_emsmdb.c - mapicurl's mailbox-endpoint helpers: build request
 * bodies for Connect/Execute/Disconnect/NotificationWait ([MS-OXCMAPIHTTP]
 * 2.2.4.x.1) from a few arguments, and print decoded response bodies
 * (2.2.4.x.2, failure layout 2.2.4.1.3) as "rsp: Field: value" lines.
 * Bodies come from libmapicodec.
 */
#include "mapicurl_emsmdb.h"

#include "mapi_emsmdb.h"
#include "mapi_ropbuf.h"
#include "mapi_rpcext.h"
#include "mapi_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int finish(mapi_wr_t *wr, int rc, uint8_t **body, size_t *len)
{
    if (rc != MAPI_EMSMDB_OK || !mapi_wr_ok(wr)) {
        mapi_wr_free(wr);
        return -1;
    }
    *body = mapi_wr_steal(wr, len);
    return 0;
}

/* 2.2.4.1.1 with Outlook's usual code page and locales. */
int mcli_build_connect(const char *user_dn, uint8_t **body, size_t *len)
{
    mapi_connect_req_t r;
    mapi_wr_t wr;
    memset(&r, 0, sizeof(r));
    r.user_dn = user_dn;
    r.default_code_page = 1252;
    r.lcid_sort = 1033;
    r.lcid_string = 1033;
    mapi_wr_init(&wr, 0);
    return finish(&wr, mapi_connect_req_encode(&wr, &r), body, len);
}

int mcli_build_disconnect(uint8_t **body, size_t *len)
{
    mapi_disconnect_req_t r;
    mapi_wr_t wr;
    memset(&r, 0, sizeof(r));
    mapi_wr_init(&wr, 0);
    return finish(&wr, mapi_disconnect_req_encode(&wr, &r), body, len);
}

int mcli_build_notification_wait(uint8_t **body, size_t *len)
{
    mapi_notifwait_req_t r;
    mapi_wr_t wr;
    memset(&r, 0, sizeof(r));
    mapi_wr_init(&wr, 0);
    return finish(&wr, mapi_notifwait_req_encode(&wr, &r), body, len);
}

/* "0x1,2,0xffffffff" -> handles; -1 on a bad list. */
static int parse_handles(const char *s, uint32_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!s || !*s)
        return 0;
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    *out = malloc(cap * sizeof(**out));
    if (!*out)
        return -1;
    while (*s) {
        char *end;
        unsigned long long v = strtoull(s, &end, 0);
        if (end == s || v > 0xFFFFFFFFull || (*end && *end != ',')) {
            free(*out);
            *out = NULL;
            return -1;
        }
        (*out)[(*n)++] = (uint32_t)v;
        s = *end ? end + 1 : end;
    }
    return 0;
}

/* 2.2.4.2.1: Flags NoCompression|NoXorMagic, one RPC_HEADER_EXT frame
 * ([MS-OXCRPC] 2.2.2.1) around RopSize + RopsList + handles
 * ([MS-OXCROPS] 2.2.1). */
int mcli_build_execute(const uint8_t *rops, size_t rops_len, const char *handles,
                       uint32_t max_rop_out, uint8_t **body, size_t *len)
{
    mapi_wr_t plain, framed, wr;
    mapi_execute_req_t r;
    uint32_t *h;
    size_t nh;
    int rc = -1;
    if (parse_handles(handles, &h, &nh) != 0)
        return -1;
    mapi_wr_init(&plain, MAPI_RPCEXT_MAX_PAYLOAD);
    mapi_wr_init(&framed, 0);
    mapi_wr_init(&wr, 0);
    if (mapi_ropbuf_build(&plain, rops, rops_len, h, nh) == MAPI_EC_SUCCESS
        && mapi_rpcext_encode(&framed, plain.p, plain.len, MAPI_RPCEXT_ENC_LAST) == MAPI_RPCEXT_OK) {
        memset(&r, 0, sizeof(r));
        r.flags = MAPI_EXEC_NO_COMPRESSION | MAPI_EXEC_NO_XORMAGIC;
        r.rop_buffer.p = framed.p;
        r.rop_buffer.len = (uint32_t)framed.len;
        r.max_rop_out = max_rop_out;
        rc = finish(&wr, mapi_execute_req_encode(&wr, &r), body, len);
    } else {
        mapi_wr_free(&wr);
    }
    mapi_wr_free(&plain);
    mapi_wr_free(&framed);
    free(h);
    return rc;
}

static void print_hex_line(FILE *f, const char *label, const uint8_t *p, size_t n)
{
    fprintf(f, "rsp: %s: ", label);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
    fputc('\n', f);
}

static void print_codes(FILE *f, uint32_t status, uint32_t error)
{
    fprintf(f, "rsp: StatusCode: %u\n", status);
    if (status == 0)
        fprintf(f, "rsp: ErrorCode: 0x%08X\n", error);
}

/* RopBuffer: frames un-XORed/decompressed, first frame split. */
static void print_rop_buffer(FILE *f, const mapi_blob_t *rb)
{
    mapi_rpcext_chain_t ch;
    mapi_ropbuf_t split;
    int rc = mapi_rpcext_decode_chain(rb->p, rb->len, 0, 0, &ch);
    if (rc != MAPI_RPCEXT_OK) {
        fprintf(f, "rsp: RopBufferError: %s\n", mapi_rpcext_strerror(rc));
        return;
    }
    fprintf(f, "rsp: Frames: %zu\n", ch.nframes);
    for (size_t i = 0; i < ch.nframes; i++) {
        if (mapi_ropbuf_split(ch.data + ch.frames[i].off, ch.frames[i].len, &split) != MAPI_EC_SUCCESS) {
            fprintf(f, "rsp: RopBufferError: frame %zu is no ROP buffer\n", i);
            continue;
        }
        print_hex_line(f, "RopsList", split.rops, split.rops_len);
        fprintf(f, "rsp: Handles:");
        for (size_t k = 0; k < split.handle_count; k++)
            fprintf(f, "%s0x%08X", k ? "," : " ", mapi_ropbuf_handle(&split, k));
        fputc('\n', f);
    }
    mapi_rpcext_chain_free(&ch);
}

static int print_connect(FILE *f, const uint8_t *p, size_t n)
{
    mapi_connect_rsp_t r;
    int rc = mapi_connect_rsp_decode(p, n, &r);
    if (rc != MAPI_EMSMDB_OK)
        return rc;
    print_codes(f, r.status_code, r.error_code);
    if (r.status_code == 0) {
        fprintf(f, "rsp: MaxPollingInterval: %u\n", r.max_polling_interval);
        fprintf(f, "rsp: RetryCount: %u\n", r.retry_count);
        fprintf(f, "rsp: RetryDelay: %u\n", r.retry_delay);
        fprintf(f, "rsp: DnPrefix: %s\n", r.dn_prefix ? r.dn_prefix : "");
        fprintf(f, "rsp: DisplayName: %s\n", r.display_name ? r.display_name : "");
    }
    fprintf(f, "rsp: AuxiliaryBufferSize: %u\n", r.aux.len);
    mapi_connect_rsp_free(&r);
    return rc;
}

static int print_execute(FILE *f, const uint8_t *p, size_t n)
{
    mapi_execute_rsp_t r;
    int rc = mapi_execute_rsp_decode(p, n, &r);
    if (rc != MAPI_EMSMDB_OK)
        return rc;
    print_codes(f, r.status_code, r.error_code);
    if (r.status_code == 0) {
        fprintf(f, "rsp: Flags: 0x%08X\n", r.flags);
        fprintf(f, "rsp: RopBufferSize: %u\n", r.rop_buffer.len);
        if (r.error_code == 0)
            print_rop_buffer(f, &r.rop_buffer);
    }
    fprintf(f, "rsp: AuxiliaryBufferSize: %u\n", r.aux.len);
    return rc;
}

static int print_disconnect(FILE *f, const uint8_t *p, size_t n)
{
    mapi_disconnect_rsp_t r;
    int rc = mapi_disconnect_rsp_decode(p, n, &r);
    if (rc == MAPI_EMSMDB_OK) {
        print_codes(f, r.status_code, r.error_code);
        fprintf(f, "rsp: AuxiliaryBufferSize: %u\n", r.aux.len);
    }
    return rc;
}

static int print_notifwait(FILE *f, const uint8_t *p, size_t n)
{
    mapi_notifwait_rsp_t r;
    int rc = mapi_notifwait_rsp_decode(p, n, &r);
    if (rc == MAPI_EMSMDB_OK) {
        print_codes(f, r.status_code, r.error_code);
        if (r.status_code == 0)
            fprintf(f, "rsp: EventPending: %u\n", r.event_pending);
        fprintf(f, "rsp: AuxiliaryBufferSize: %u\n", r.aux.len);
    }
    return rc;
}

int mcli_print_emsmdb(FILE *f, const char *type, const uint8_t *body, size_t len)
{
    int rc;
    if (!type)
        return 1;
    if (strcasecmp(type, "Connect") == 0)
        rc = print_connect(f, body, len);
    else if (strcasecmp(type, "Execute") == 0)
        rc = print_execute(f, body, len);
    else if (strcasecmp(type, "Disconnect") == 0)
        rc = print_disconnect(f, body, len);
    else if (strcasecmp(type, "NotificationWait") == 0)
        rc = print_notifwait(f, body, len);
    else
        return 1;
    if (rc != MAPI_EMSMDB_OK) {
        fprintf(f, "decode_error: %s\n", mapi_emsmdb_strerror(rc));
        return -1;
    }
    fprintf(f, "decode: ok\n");
    return 0;
}
