/*
 * mc_nspi.c - the address book endpoint's request types as single calls
 * ([MS-OXCMAPIHTTP] 2.2.5.1 - 2.2.5.19). libmapicodec builds and reads the
 * bodies; this file only sends them with mc_conn_request().
 */
#include "mc_nspi.h"

#include <string.h>

#define MC_MAX_NSPI_REQUEST (16u * 1024u * 1024u)

int mc_nspi_call(mc_conn_t *c, const nspi_request_t *req, mc_response_t *resp,
                 nspi_response_t *out, nspi_arena_t *arena)
{
    mapi_wr_t wr;
    mc_request_t r;
    const char *type;
    int rc;
    memset(out, 0, sizeof(*out));
    if (!c || !req || (unsigned)req->type >= NSPI_REQ_COUNT)
        return MC_ERR_ARG;
    type = nspi_req_type_name(req->type);
    mapi_wr_init(&wr, MC_MAX_NSPI_REQUEST);
    rc = nspi_request_encode(req, &wr);
    if (rc != NSPI_OK || !mapi_wr_ok(&wr)) {
        mapi_wr_free(&wr);
        return rc == NSPI_E_NOMEM ? MC_ERR_NOMEM : MC_ERR_ARG;
    }
    memset(&r, 0, sizeof(r));
    r.request_type = type;
    r.body = wr.p;
    r.body_len = wr.len;
    rc = mc_conn_request(c, &r, resp);
    mapi_wr_free(&wr);
    if (rc == MC_OK)
        rc = mc_check_transport(resp);
    if (rc != MC_OK)
        return rc;
    rc = nspi_response_decode(req->type, resp->body, resp->body_len, out, arena);
    return rc == NSPI_OK ? MC_OK : rc == NSPI_E_NOMEM ? MC_ERR_NOMEM : MC_ERR_BODY;
}

int mc_nspi_bind(mc_conn_t *c, uint32_t code_page, uint32_t locale, mc_response_t *resp,
                 nspi_response_t *out, nspi_arena_t *arena)
{
    nspi_request_t req;
    memset(&req, 0, sizeof(req));
    req.type = NSPI_BIND;
    req.u.bind.has_state = 1;
    req.u.bind.state.code_page = code_page;
    req.u.bind.state.sort_locale = locale;
    req.u.bind.state.template_locale = locale;
    return mc_nspi_call(c, &req, resp, out, arena);
}

int mc_nspi_unbind(mc_conn_t *c, mc_response_t *resp, nspi_response_t *out, nspi_arena_t *arena)
{
    nspi_request_t req;
    memset(&req, 0, sizeof(req));
    req.type = NSPI_UNBIND;
    return mc_nspi_call(c, &req, resp, out, arena);
}
