/*
 * mapicurl_nspi.c - mapicurl's address book helpers ([MS-OXCMAPIHTTP]
 * 2.2.5): Bind/Unbind request bodies, and "rsp: Field: value" lines for the
 * responses of every NSPI request type (StatusCode/ErrorCode, plus the
 * fields of Bind, CompareMIds, DNToMId, GetMailboxUrl/GetAddressBookUrl and
 * the row counts of the table calls). Bodies come from libmapicodec.
 */
#include "mapicurl_emsmdb.h"

#include "mapi_nspi.h"

#include <stdlib.h>
#include <string.h>

static int encode(const nspi_request_t *req, uint8_t **body, size_t *len)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    if (nspi_request_encode(req, &wr) != NSPI_OK || !mapi_wr_ok(&wr)) {
        mapi_wr_free(&wr);
        return -1;
    }
    *body = mapi_wr_steal(&wr, len);
    return 0;
}

/* 2.2.5.1.1: Flags 0, a STAT with the code page and locale. */
int mcli_build_bind(uint32_t code_page, uint8_t **body, size_t *len)
{
    nspi_request_t req;
    memset(&req, 0, sizeof(req));
    req.type = NSPI_BIND;
    req.u.bind.has_state = 1;
    req.u.bind.state.code_page = code_page;
    req.u.bind.state.sort_locale = 1033;
    req.u.bind.state.template_locale = 1033;
    return encode(&req, body, len);
}

/* 2.2.5.2.1: Reserved 0, empty aux. */
int mcli_build_unbind(uint8_t **body, size_t *len)
{
    nspi_request_t req;
    memset(&req, 0, sizeof(req));
    req.type = NSPI_UNBIND;
    return encode(&req, body, len);
}

static void print_mids(FILE *f, const char *label, uint8_t has, const nspi_u32_array_t *a)
{
    if (!has)
        return;
    fprintf(f, "rsp: %s:", label);
    for (uint32_t i = 0; i < a->count; i++)
        fprintf(f, "%s0x%08X", i ? "," : " ", a->v[i]);
    fputc('\n', f);
}

static void print_fields(FILE *f, const nspi_response_t *r)
{
    const uint8_t *g = r->u.bind.server_guid;
    char *url;
    switch (r->type) {
    case NSPI_BIND:
        fprintf(f, "rsp: ServerGuid: %02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                   "%02x%02x%02x%02x%02x%02x\n", g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
                g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
        break;
    case NSPI_COMPAREMIDS:
        fprintf(f, "rsp: Result: %d\n", r->u.comparemids.result);
        break;
    case NSPI_DNTOMID:
        print_mids(f, "MIds", r->u.dntomid.has_mids, &r->u.dntomid.mids);
        break;
    case NSPI_GETMATCHES:
    case NSPI_QUERYROWS:
    case NSPI_SEEKENTRIES:
        print_mids(f, "MIds", r->u.rows.has_mids, &r->u.rows.mids);
        if (r->u.rows.has_cols_and_rows)
            fprintf(f, "rsp: RowCount: %u\n", r->u.rows.rows.row_count);
        break;
    case NSPI_RESOLVENAMES:
        print_mids(f, "MIds", r->u.resolvenames.has_mids, &r->u.resolvenames.mids);
        break;
    case NSPI_GETMAILBOXURL:
    case NSPI_GETADDRESSBOOKURL:
        url = nspi_utf16_to_utf8(&r->u.geturl.url);
        fprintf(f, "rsp: Url: %s\n", url ? url : "");
        free(url);
        break;
    default:
        break;
    }
}

int mcli_print_nspi(FILE *f, const char *type, const uint8_t *body, size_t len)
{
    nspi_response_t r;
    nspi_arena_t arena;
    int t = type ? nspi_req_type_from_name(type) : -1;
    if (t < 0)
        return 1;
    nspi_arena_init(&arena, 0);
    int rc = nspi_response_decode((nspi_req_type_t)t, body, len, &r, &arena);
    if (rc != NSPI_OK) {
        fprintf(f, "decode_error: %s\n", nspi_strerror(rc));
        nspi_arena_free(&arena);
        return -1;
    }
    fprintf(f, "rsp: StatusCode: %u\n", r.status_code);
    if (r.status_code == 0) {
        fprintf(f, "rsp: ErrorCode: 0x%08X\n", r.error_code);
        print_fields(f, &r);
    }
    fprintf(f, "rsp: AuxiliaryBufferSize: %u\n", r.aux.len);
    fprintf(f, "decode: ok\n");
    nspi_arena_free(&arena);
    return 0;
}
