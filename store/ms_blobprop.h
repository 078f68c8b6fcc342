/*
 * ms_blobprop.h - internal to store/: a record list kept as one binary
 * folder property in the non-transmittable range ([MS-OXPROPS] 0x6000-0x65FF),
 * used by the outgoing queue (ms_queue.c), folder permissions (ms_acl.c)
 * and server rules (ms_rules.c). Values past MS_INLINE_MAX go out of line
 * like any other property, so `mapistore check` covers them.
 */
#ifndef MS_BLOBPROP_H
#define MS_BLOBPROP_H

#include "mapistore.h"

/* The property's bytes (malloc'd, *data NULL and *len 0 when absent). */
ms_err_t ms__blobprop_get(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, uint32_t tag, uint8_t **data,
                          size_t *len);
/* Replaces it (len 0 deletes it). txn must be a write transaction or NULL. */
ms_err_t ms__blobprop_set(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, uint32_t tag, const uint8_t *data,
                          size_t len);

/* Bounded big-endian reader over a record list. */
typedef struct {
    const uint8_t *p;
    size_t len, off;
    int bad;
} ms_brd_t;
uint64_t ms__brd_u(ms_brd_t *r, int n);
const uint8_t *ms__brd_bytes(ms_brd_t *r, size_t n);

/* Growable big-endian writer. */
typedef struct {
    uint8_t *p;
    size_t len, cap;
    int bad;
} ms_bwr_t;
void ms__bwr_u(ms_bwr_t *w, uint64_t v, int n);
void ms__bwr_bytes(ms_bwr_t *w, const void *p, size_t n);

#endif /* MS_BLOBPROP_H */
