/*
 * nspi_special.c - the address book hierarchy ([MS-OXNSPI] 3.1.4.1.3
 * NspiGetSpecialTable), templates (3.1.4.1.18 NspiGetTemplateInfo) and the
 * endpoint URLs ([MS-OXCMAPIHTTP] 2.2.5.18 GetMailboxUrl, 2.2.5.19
 * GetAddressBookUrl).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nspi_internal.h"

/* The hierarchy never changes: one version for its lifetime. */
#define NSPI_HIERARCHY_VERSION 1u

/* TI_* flags of GetTemplateInfo ([MS-OXNSPI] 2.2.1.6). */
#define NSPI_TI_TEMPLATE          0x00000001u
#define NSPI_TI_SCRIPT            0x00000004u
#define NSPI_TI_EMT               0x00000010u
#define NSPI_TI_HELPFILE_NAME     0x00000020u
#define NSPI_TI_HELPFILE_CONTENTS 0x00000040u

/* 3.1.4.1.3: the hierarchy table (one row: the GAL), or the address
 * creation templates table (none: zero rows). */
uint32_t nspi_do_getspecialtable(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_getspecialtable_req_t *q = &req->u.getspecialtable;
    nspi_getspecialtable_rsp_t *r = &rsp->u.getspecialtable;
    int unicode = (q->flags & NSPI_UNICODE_STRINGS) != 0;
    uint32_t tags[16], err;
    nspi_u32_array_t cols;
    size_t n;
    const uint32_t *all;

    rq->cp = q->has_state ? q->state.code_page : rq->ctx->codepage;
    if (!unicode && !nspi_codepage_supported(rq->cp))
        return NSPI_INVALID_CODEPAGE;
    r->code_page = rq->cp;
    if (q->flags & NSPI_ADDRESS_CREATION_TMPL) {
        r->has_rows = 1;
        r->row_count = 0;
        return NSPI_SUCCESS;
    }
    r->has_version = 1;
    r->version = NSPI_HIERARCHY_VERSION;
    if (q->has_version && q->version == NSPI_HIERARCHY_VERSION)
        return NSPI_SUCCESS;            /* the client's copy is current */
    all = nspi_prop_list(1, &n);
    for (size_t i = 0; i < n; i++) {
        uint16_t t = MAPI_PROP_TYPE(all[i]);
        tags[i] = t == MAPI_PT_UNICODE ? MAPI_PROP_CHANGE_TYPE(all[i], unicode ? MAPI_PT_UNICODE : MAPI_PT_STRING8)
                                       : all[i];
    }
    cols.count = (uint32_t)n;
    cols.v = tags;
    if (unicode)
        rq->cp = NSPI_CP_WINUNICODE;
    r->has_rows = 1;
    r->row_count = 1;
    if (!(r->rows = nspi_arena_array(rq->arena, 1, sizeof(nspi_proplist_t))))
        return NSPI_NOT_ENOUGH_MEMORY;
    err = nspi_proplist_build(rq, NULL, &cols, &r->rows[0]);
    return err == NSPI_ERRORS_RETURNED ? NSPI_SUCCESS : err;
}

/* 3.1.4.1.18: this server has no display or address-entry templates: after
 * the code page checks (CP_WINUNICODE and unknown ones: InvalidCodepage)
 * every lookup fails to locate a template, which constraint 5 answers with
 * InvalidLocale. */
uint32_t nspi_do_gettemplateinfo(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_gettemplateinfo_req_t *q = &req->u.gettemplateinfo;
    (void)rsp;
    (void)rq;
    if (!nspi_codepage_supported(q->code_page))
        return NSPI_INVALID_CODEPAGE;
    if (q->locale_id == 0)
        return NSPI_INVALID_LOCALE;
    if (q->flags & NSPI_TI_HELPFILE_CONTENTS && !(q->flags & NSPI_TI_HELPFILE_NAME))
        return NSPI_INVALID_PARAMETER;
    return NSPI_INVALID_LOCALE;
}

/* canonical 8-4-4-4-12 form of a GUID in wire order ([MS-DTYP] 2.3.4.3) */
static void guid_str(const ms_guid_t *g, char out[37])
{
    const uint8_t *b = g->b;
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[3], b[2], b[1],
             b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* 2.2.5.18 / 2.2.5.19: the user's own mailbox's endpoint URLs,
 * base_url + "/mapi/emsmdb/?MailboxId=<guid>@<domain>" (nspi: /mapi/nspi/). */
uint32_t nspi_do_geturl(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    long k = nspi_own_entry(rq);
    const nspi_entry_t *e;
    const char *at;
    char g[37], *url;
    size_t n;

    if (k < 0)
        return NSPI_NOT_FOUND;
    e = &rq->gal->e[k];
    at = e->nsmtp ? strchr(e->smtp[0], '@') : NULL;
    if (!at || !rq->ctx->base_url)
        return NSPI_GENERAL_FAILURE;
    guid_str(&e->guid, g);
    n = strlen(rq->ctx->base_url) + strlen(at) + 80;
    if (!(url = mapi_arena_alloc(rq->arena, n)))
        return NSPI_NOT_ENOUGH_MEMORY;
    snprintf(url, n, "%s/mapi/%s/?MailboxId=%s%s", rq->ctx->base_url,
             req->type == NSPI_GETMAILBOXURL ? "emsmdb" : "nspi", g, at);
    return nspi_utf8_to_utf16(url, rq->arena, &rsp->u.geturl.url) == NSPI_OK ? NSPI_SUCCESS
                                                                               : NSPI_NOT_ENOUGH_MEMORY;
}
