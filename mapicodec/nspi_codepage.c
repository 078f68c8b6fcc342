/*
 * nspi_codepage.c - the code pages of PtypString8 values in NSPI bodies.
 * The client names its code page in the Bind request's STAT.CodePage
 * ([MS-OXNSPI] 2.2.8, 3.1.4.1.1); 8-bit strings then travel in it, and an
 * unsupported code page is refused with InvalidCodepage (MAPI_E_UNKNOWN_
 * CPID). CP_WINUNICODE (1200) only names "Unicode" for later calls; Bind
 * refuses it with NotSupported, as [MS-OXNSPI] NspiBind prescribes.
 * Supported: 1252, 20127 (US-ASCII), 65001 (UTF-8), as mapi_prop.h.
 */
#include "nspi_io.h"

#include <stdlib.h>
#include <string.h>

int nspi_codepage_supported(uint32_t cp)
{
    return mapi_codepage_supported(cp);
}

uint32_t nspi_bind_check_codepage(const nspi_bind_req_t *req)
{
    if (!req->has_state)
        return NSPI_SUCCESS;
    if (req->state.code_page == NSPI_CP_WINUNICODE)
        return NSPI_NOT_SUPPORTED;
    return nspi_codepage_supported(req->state.code_page) ? NSPI_SUCCESS : NSPI_INVALID_CODEPAGE;
}

/* The conversions are the libmapicodec ones (mapi_prop.h), so the code
 * pages NSPI accepts are exactly those the property codec converts. */
char *nspi_str8_to_utf8(uint32_t cp, const uint8_t *p, size_t len)
{
    mapi_arena_t a;
    char *tmp, *u8 = NULL, *out = NULL;
    if (!nspi_codepage_supported(cp))
        return NULL;
    mapi_arena_init(&a, 0);
    tmp = mapi_arena_strndup(&a, (const char *)p, len);
    if (tmp && mapi_string8_to_utf8(&a, cp, tmp, &u8) == MAPI_OK && u8)
        out = strdup(u8);
    mapi_arena_clear(&a);
    return out;
}

int nspi_utf8_to_str8(uint32_t cp, const char *utf8, nspi_arena_t *a, nspi_bytes_t *out)
{
    char *s8 = NULL;
    size_t n;
    if (!nspi_codepage_supported(cp))
        return NSPI_E_ENCODE;
    if (mapi_utf8_to_string8(a, cp, utf8, &s8) != MAPI_OK || !s8)
        return NSPI_E_NOMEM;
    n = strlen(s8);
    if (n > UINT32_MAX)
        return NSPI_E_NOMEM;
    out->p = (const uint8_t *)s8;
    out->len = (uint32_t)n;
    return NSPI_OK;
}

int nspi_utf8_to_utf16(const char *utf8, nspi_arena_t *a, nspi_bytes_t *out)
{
    mapi_wr_t wr;
    uint8_t *buf;
    mapi_wr_init(&wr, 0);
    mapi_wr_utf16z_from_utf8(&wr, utf8);
    if (!mapi_wr_ok(&wr) || wr.len < 2 || wr.len - 2 > UINT32_MAX) {
        mapi_wr_free(&wr);
        return NSPI_E_NOMEM;
    }
    buf = nspi_arena_alloc(a, wr.len);
    if (!buf) {
        mapi_wr_free(&wr);
        return NSPI_E_NOMEM;
    }
    memcpy(buf, wr.p, wr.len);
    out->p = buf;
    out->len = (uint32_t)(wr.len - 2);
    mapi_wr_free(&wr);
    return NSPI_OK;
}

char *nspi_utf16_to_utf8(const nspi_bytes_t *s)
{
    static const uint8_t empty[2] = {0, 0};
    return mapi_utf16le_to_utf8(s->len ? s->p : empty, s->len / 2);
}
