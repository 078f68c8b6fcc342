/*
 * mc_nspi.h - address book endpoint calls ([MS-OXCMAPIHTTP] 2.2.5) on top of
 * mc_conn_request() and libmapicodec's NSPI bodies (mapi_nspi.h). Needs
 * -I mapicodec. The connection's URL should be the nspi endpoint
 * (https://HOST/mapi/nspi/?MailboxId=...).
 *
 * Decoded arrays come from the caller's arena and byte fields may point
 * into resp->body: keep both alive while using *out.
 */
#ifndef MC_NSPI_H
#define MC_NSPI_H

#include "mc_emsmdb.h"   /* MC_ERR_HTTP ... MC_ERR_BODY, mc_check_transport() */
#include "mapi_nspi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Any of the 19 request types: encodes req, sends it with the matching
 * X-RequestType, checks the transport layer and decodes the response
 * (a non-zero StatusCode decodes as the failure layout: out->status_code). */
int mc_nspi_call(mc_conn_t *c, const nspi_request_t *req, mc_response_t *resp,
                 nspi_response_t *out, nspi_arena_t *arena);

/* 2.2.5.1 Bind with a STAT holding code_page and locale (both sort and
 * template locale), flags 0. Sets the Session Context cookies. */
int mc_nspi_bind(mc_conn_t *c, uint32_t code_page, uint32_t locale, mc_response_t *resp,
                 nspi_response_t *out, nspi_arena_t *arena);

/* 2.2.5.2 Unbind (Reserved 0, empty aux). */
int mc_nspi_unbind(mc_conn_t *c, mc_response_t *resp, nspi_response_t *out, nspi_arena_t *arena);

#ifdef __cplusplus
}
#endif

#endif /* MC_NSPI_H */
