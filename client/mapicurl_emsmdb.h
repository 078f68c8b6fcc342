/*
 * mapicurl_emsmdb.h - request builders and response printers of mapicurl
 * for the mailbox endpoint ([MS-OXCMAPIHTTP] 2.2.4) and the address book
 * endpoint (2.2.5). Bodies are malloc'd.
 */
#ifndef MAPICURL_EMSMDB_H
#define MAPICURL_EMSMDB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int mcli_build_connect(const char *user_dn, uint8_t **body, size_t *len);
int mcli_build_disconnect(uint8_t **body, size_t *len);
int mcli_build_notification_wait(uint8_t **body, size_t *len);
/* handles: comma-separated u32 list ("0xffffffff,1"), may be NULL. */
int mcli_build_execute(const uint8_t *rops, size_t rops_len, const char *handles,
                       uint32_t max_rop_out, uint8_t **body, size_t *len);

/* Address book (mapicurl_nspi.c): Bind with a STAT for code_page and
 * locale 1033; Unbind. */
int mcli_build_bind(uint32_t code_page, uint8_t **body, size_t *len);
int mcli_build_unbind(uint8_t **body, size_t *len);
/* Like mcli_print_emsmdb for the NSPI request types. */
int mcli_print_nspi(FILE *f, const char *type, const uint8_t *body, size_t len);

/* Prints "rsp: ..." lines and "decode: ok" or "decode_error: ...".
 * Returns 0 decoded, -1 decode error, 1 no decoder for this type. */
int mcli_print_emsmdb(FILE *f, const char *type, const uint8_t *body, size_t len);

#endif
