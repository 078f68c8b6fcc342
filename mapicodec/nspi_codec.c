/*
 * nspi_codec.c - the public entry points of the NSPI codec (mapi_nspi.h):
 * request/response decode and encode, the failure body, request type
 * names ([MS-OXCMAPIHTTP] 2.2.5 / the X-RequestType values of 2.2.3.3.1),
 * the STAT block and the permitted error codes ([MS-OXNSPI] 2.2.1.2).
 */
#include "nspi_io.h"

#include <string.h>
#include <strings.h>

const char *nspi_strerror(int rc)
{
    switch (rc) {
    case NSPI_OK:          return "ok";
    case NSPI_E_TRUNCATED: return "truncated body or length past the end";
    case NSPI_E_FORMAT:    return "value not allowed by the layout";
    case NSPI_E_TRAILING:  return "bytes after the last field";
    case NSPI_E_NOMEM:     return "out of memory";
    case NSPI_E_ENCODE:    return "struct cannot be encoded";
    case NSPI_E_TOO_COMPLEX: return "restriction nested too deep";
    default:               return "unknown error";
    }
}

int nspi_error_permitted(uint32_t v)
{
    static const uint32_t ok[] = {
        NSPI_SUCCESS, NSPI_UNBIND_SUCCESS, NSPI_UNBIND_FAILURE, NSPI_ERRORS_RETURNED,
        NSPI_GENERAL_FAILURE, NSPI_NOT_SUPPORTED, NSPI_INVALID_OBJECT,
        NSPI_OUT_OF_RESOURCES, NSPI_NOT_FOUND, NSPI_LOGON_FAILED, NSPI_TOO_COMPLEX,
        NSPI_INVALID_CODEPAGE, NSPI_INVALID_LOCALE, NSPI_TABLE_TOO_BIG,
        NSPI_INVALID_BOOKMARK, NSPI_ACCESS_DENIED, NSPI_NOT_ENOUGH_MEMORY,
        NSPI_INVALID_PARAMETER};
    size_t i;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (ok[i] == v)
            return 1;
    return 0;
}

static const char *const req_names[NSPI_REQ_COUNT] = {
    "Bind", "Unbind", "CompareMIds", "DNToMId", "GetMatches", "GetPropList",
    "GetProps", "GetSpecialTable", "GetTemplateInfo", "ModLinkAtt", "ModProps",
    "QueryColumns", "QueryRows", "ResolveNames", "ResortRestriction",
    "SeekEntries", "UpdateStat", "GetMailboxUrl", "GetAddressBookUrl"};

int nspi_req_type_from_name(const char *name)
{
    int i;
    if (!name)
        return -1;
    for (i = 0; i < NSPI_REQ_COUNT; i++)
        if (strcasecmp(name, req_names[i]) == 0)
            return i;
    return -1;
}

const char *nspi_req_type_name(nspi_req_type_t t)
{
    return ((unsigned)t < NSPI_REQ_COUNT) ? req_names[t] : "Unknown";
}

void nspi_stat_put(uint8_t out[NSPI_STAT_SIZE], const nspi_stat_t *s)
{
    mapi_put_le32(out + 0, s->sort_type);
    mapi_put_le32(out + 4, s->container_id);
    mapi_put_le32(out + 8, s->current_rec);
    mapi_put_le32(out + 12, (uint32_t)s->delta);
    mapi_put_le32(out + 16, s->num_pos);
    mapi_put_le32(out + 20, s->total_recs);
    mapi_put_le32(out + 24, s->code_page);
    mapi_put_le32(out + 28, s->template_locale);
    mapi_put_le32(out + 32, s->sort_locale);
}

void nspi_stat_get(nspi_stat_t *s, const uint8_t in[NSPI_STAT_SIZE])
{
    s->sort_type = mapi_le32(in + 0);
    s->container_id = mapi_le32(in + 4);
    s->current_rec = mapi_le32(in + 8);
    s->delta = (int32_t)mapi_le32(in + 12);
    s->num_pos = mapi_le32(in + 16);
    s->total_recs = mapi_le32(in + 20);
    s->code_page = mapi_le32(in + 24);
    s->template_locale = mapi_le32(in + 28);
    s->sort_locale = mapi_le32(in + 32);
}

int nspi_request_decode(nspi_req_type_t type, const uint8_t *buf, size_t len,
                        nspi_request_t *out, nspi_arena_t *arena)
{
    nspi_io_t io;
    memset(out, 0, sizeof(*out));
    if ((unsigned)type >= NSPI_REQ_COUNT)
        return NSPI_E_FORMAT;
    out->type = type;
    nio_init_dec(&io, buf, len, arena);
    nio_request_body(&io, out);
    return nio_finish(&io);
}

int nspi_request_encode(const nspi_request_t *req, mapi_wr_t *wr)
{
    nspi_io_t io;
    size_t start = wr->len;
    int rc;
    nio_init_enc(&io, wr);
    /* encoding only reads the struct; the io layer shares its signature
     * with decoding, hence the cast */
    nio_request_body(&io, (nspi_request_t *)req);
    rc = nio_finish(&io);
    if (rc && mapi_wr_ok(wr))
        wr->len = start;    /* no half-written body */
    return rc;
}

int nspi_response_encode(const nspi_response_t *rsp, mapi_wr_t *wr)
{
    nspi_io_t io;
    size_t start = wr->len;
    int rc;
    if ((unsigned)rsp->type >= NSPI_REQ_COUNT)
        return NSPI_E_ENCODE;
    if (rsp->status_code == 0 && !nspi_error_permitted(rsp->error_code))
        return NSPI_E_ENCODE;
    nio_init_enc(&io, wr);
    nio_response_body(&io, (nspi_response_t *)rsp);
    rc = nio_finish(&io);
    if (rc && mapi_wr_ok(wr))
        wr->len = start;
    return rc;
}

int nspi_response_decode(nspi_req_type_t type, const uint8_t *buf, size_t len,
                         nspi_response_t *out, nspi_arena_t *arena)
{
    nspi_io_t io;
    memset(out, 0, sizeof(*out));
    if ((unsigned)type >= NSPI_REQ_COUNT)
        return NSPI_E_FORMAT;
    out->type = type;
    nio_init_dec(&io, buf, len, arena);
    nio_response_body(&io, out);
    return nio_finish(&io);
}

int nspi_failure_encode(uint32_t status_code, const nspi_bytes_t *aux, mapi_wr_t *wr)
{
    nspi_bytes_t none = {NULL, 0};
    if (status_code == 0)
        return NSPI_E_ENCODE;
    if (!aux)
        aux = &none;
    if (aux->len && !aux->p)
        return NSPI_E_ENCODE;
    mapi_wr_u32(wr, status_code);
    mapi_wr_u32(wr, aux->len);
    mapi_wr_bytes(wr, aux->p, aux->len);
    return mapi_wr_ok(wr) ? NSPI_OK : NSPI_E_NOMEM;
}
