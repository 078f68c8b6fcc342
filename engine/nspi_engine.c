/*
 * nspi_engine.c - entry point of the address book engine: decode the
 * request body ([MS-OXCMAPIHTTP] 2.2.5), run the [MS-OXNSPI] 3.1.4.1
 * method over the directory snapshot, encode the response body.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nspi_internal.h"

/* Decoder memory per request (names, restrictions, explicit tables). */
#define NSPI_REQUEST_ARENA_LIMIT ((size_t)64 << 20)

static const nspi_handler_fn handlers[NSPI_REQ_COUNT] = {
    [NSPI_COMPAREMIDS] = nspi_do_comparemids,
    [NSPI_DNTOMID] = nspi_do_dntomid,
    [NSPI_GETMATCHES] = nspi_do_getmatches,
    [NSPI_GETPROPLIST] = nspi_do_getproplist,
    [NSPI_GETPROPS] = nspi_do_getprops,
    [NSPI_GETSPECIALTABLE] = nspi_do_getspecialtable,
    [NSPI_GETTEMPLATEINFO] = nspi_do_gettemplateinfo,
    [NSPI_MODLINKATT] = nspi_do_modlinkatt,
    [NSPI_MODPROPS] = nspi_do_modprops,
    [NSPI_QUERYCOLUMNS] = nspi_do_querycolumns,
    [NSPI_QUERYROWS] = nspi_do_queryrows,
    [NSPI_RESOLVENAMES] = nspi_do_resolvenames,
    [NSPI_RESORTRESTRICTION] = nspi_do_resortrestriction,
    [NSPI_SEEKENTRIES] = nspi_do_seekentries,
    [NSPI_UPDATESTAT] = nspi_do_updatestat,
    [NSPI_GETMAILBOXURL] = nspi_do_geturl,
    [NSPI_GETADDRESSBOOKURL] = nspi_do_geturl,
};

static void why(nspi_engine_result_t *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(nspi_engine_result_t *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->why, sizeof(res->why), fmt, ap);
    va_end(ap);
}

/* A server GUID stable for a DN prefix (FNV-1a rounds), unless the glue
 * gives one. */
static void server_guid(const nspi_engine_ctx_t *ctx, uint8_t out[16])
{
    const char *s = ctx->dn_prefix ? ctx->dn_prefix : "";
    if (ctx->server_guid) {
        memcpy(out, ctx->server_guid, 16);
        return;
    }
    for (int r = 0; r < 4; r++) {
        uint32_t h = 2166136261u ^ (uint32_t)r;
        for (const char *p = s; *p; p++)
            h = (h ^ (uint8_t)*p) * 16777619u;
        mapi_put_le32(out + 4 * r, h);
    }
    out[7] = (uint8_t)((out[7] & 0x0F) | 0x40);     /* version 4 */
    out[8] = (uint8_t)((out[8] & 0x3F) | 0x80);     /* variant */
}

/* The code page of a request's String8 values: its STAT's, else the one
 * the session bound with (1252 if none). */
static uint32_t request_codepage(const nspi_engine_ctx_t *ctx, const nspi_request_t *req)
{
    const nspi_stat_t *st = NULL;
    switch (req->type) {
    case NSPI_QUERYROWS:     if (req->u.queryrows.has_state) st = &req->u.queryrows.state; break;
    case NSPI_GETPROPS:      if (req->u.getprops.has_state) st = &req->u.getprops.state; break;
    case NSPI_GETMATCHES:    if (req->u.getmatches.has_state) st = &req->u.getmatches.state; break;
    case NSPI_SEEKENTRIES:   if (req->u.seekentries.has_state) st = &req->u.seekentries.state; break;
    case NSPI_RESOLVENAMES:  if (req->u.resolvenames.has_state) st = &req->u.resolvenames.state; break;
    case NSPI_GETPROPLIST:   return req->u.getproplist.code_page;
    default: break;
    }
    if (st)
        return st->code_page;
    return ctx->codepage ? ctx->codepage : 1252;
}

/* [MS-OXNSPI] 3.1.4.1.1 NspiBind: the code page check; the session itself
 * is the glue's. */
#define NSPI_FANONYMOUSLOGIN 0x00000020u

static uint32_t do_bind(const nspi_engine_ctx_t *ctx, const nspi_request_t *req, nspi_response_t *rsp,
                        nspi_engine_result_t *res)
{
    uint32_t err;
    /* fAnonymousLogin is not served (Exchange 2010 and later answer
     * NotSupported); a code page the server will not serve, CP_WINUNICODE
     * included, is InvalidCodepage (3.1.4.1.1, constraint 5) */
    if (req->u.bind.flags & NSPI_FANONYMOUSLOGIN)
        return NSPI_NOT_SUPPORTED;
    if (req->u.bind.has_state && req->u.bind.state.code_page == NSPI_CP_WINUNICODE)
        return NSPI_INVALID_CODEPAGE;
    if ((err = nspi_bind_check_codepage(&req->u.bind)))
        return err;
    if (!ctx->store)
        return NSPI_GENERAL_FAILURE;
    server_guid(ctx, rsp->u.bind.server_guid);
    res->bind_codepage = req->u.bind.has_state ? req->u.bind.state.code_page : 1252;
    return NSPI_SUCCESS;
}

static uint32_t run(const nspi_engine_ctx_t *ctx, const nspi_request_t *req, nspi_response_t *rsp,
                    nspi_arena_t *arena, nspi_engine_result_t *res)
{
    nspi_rq_t rq;
    uint32_t err;

    if (req->type == NSPI_BIND)
        return do_bind(ctx, req, rsp, res);
    if (req->type == NSPI_UNBIND)
        return NSPI_UNBIND_SUCCESS;
    memset(&rq, 0, sizeof(rq));
    rq.ctx = ctx;
    rq.arena = arena;
    rq.cp = request_codepage(ctx, req);
    server_guid(ctx, rq.server_guid);
    if (!(rq.gal = nspi_gal_acquire(ctx->store, ctx->dn_prefix, &err))) {
        why(res, "directory unavailable");
        return err;
    }
    err = handlers[req->type](&rq, req, rsp);
    nspi_gal_release(rq.gal);
    return err;
}

void nspi_engine_handle(const nspi_engine_ctx_t *ctx, const char *request_type, const uint8_t *body,
                        size_t len, mapi_wr_t *rsp, nspi_engine_result_t *res)
{
    int t = request_type ? nspi_req_type_from_name(request_type) : -1;
    nspi_request_t req;
    nspi_response_t out;
    nspi_arena_t arena;
    size_t start = rsp->len;
    int rc;

    memset(res, 0, sizeof(*res));
    if (t < 0) {
        res->invalid_body = 1;
        why(res, "unknown request type");
        return;
    }
    nspi_arena_init(&arena, NSPI_REQUEST_ARENA_LIMIT);
    memset(&out, 0, sizeof(out));
    out.type = (nspi_req_type_t)t;
    rc = nspi_request_decode((nspi_req_type_t)t, body, len, &req, &arena);
    if (rc == NSPI_E_TOO_COMPLEX) {
        out.error_code = NSPI_TOO_COMPLEX;       /* a restriction nested too deep */
        why(res, "%s: restriction too complex", nspi_req_type_name((nspi_req_type_t)t));
    } else if (rc != NSPI_OK) {
        res->invalid_body = 1;
        why(res, "%s body: %s", nspi_req_type_name((nspi_req_type_t)t), nspi_strerror(rc));
        nspi_arena_free(&arena);
        return;
    } else {
        out.error_code = run(ctx, &req, &out, &arena, res);
    }
    if (out.error_code != NSPI_SUCCESS && out.error_code != NSPI_ERRORS_RETURNED &&
        out.error_code != NSPI_UNBIND_SUCCESS)
        memset(&out.u, 0, sizeof(out.u));
    if (nspi_response_encode(&out, rsp) != NSPI_OK || !mapi_wr_ok(rsp)) {
        /* cannot happen with a well-formed struct; answer a bare failure */
        rsp->len = start;
        rsp->err = 0;
        memset(&out.u, 0, sizeof(out.u));
        out.error_code = NSPI_GENERAL_FAILURE;
        why(res, "%s: response did not encode", nspi_req_type_name((nspi_req_type_t)t));
        nspi_response_encode(&out, rsp);
    }
    res->error_code = out.error_code;
    if (!res->why[0] && out.error_code != NSPI_SUCCESS && out.error_code != NSPI_UNBIND_SUCCESS)
        why(res, "%s: ErrorCode 0x%08X", nspi_req_type_name((nspi_req_type_t)t), out.error_code);
    nspi_arena_free(&arena);
}
