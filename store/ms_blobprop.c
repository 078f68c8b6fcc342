/*
 * ms_blobprop.c - record lists stored as one binary folder property
 * (see ms_blobprop.h).
 */
#include "ms_blobprop.h"
#include "ms_internal.h"

#include <stdlib.h>
#include <string.h>

ms_err_t ms__blobprop_get(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, uint32_t tag, uint8_t **data,
                          size_t *len)
{
    ms_propval_t *vals = NULL;
    size_t n = 0;
    ms_err_t rc;
    *data = NULL;
    *len = 0;
    rc = ms_folder_get_props(txn, mbx, fid, &tag, 1, &vals, &n);
    if (rc != MS_OK)
        return rc;
    if (n == 1 && vals[0].tag == tag && vals[0].value.bin.cb > 0) {
        *data = malloc(vals[0].value.bin.cb);
        if (!*data) {
            ms_propvals_free(vals, n);
            return ms__err(MS_E_NOMEM, "blobprop: out of memory");
        }
        memcpy(*data, vals[0].value.bin.pb, vals[0].value.bin.cb);
        *len = vals[0].value.bin.cb;
    }
    ms_propvals_free(vals, n);
    return MS_OK;
}

ms_err_t ms__blobprop_set(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, uint32_t tag, const uint8_t *data,
                          size_t len)
{
    ms_propval_t v;
    if (len == 0)
        return ms_folder_delete_props(txn, mbx, fid, &tag, 1);
    if (len > UINT32_MAX)
        return ms__err(MS_E_INVALID_PARAM, "blobprop: too large");
    memset(&v, 0, sizeof(v));
    v.tag = tag;
    v.value.bin.cb = (uint32_t)len;
    v.value.bin.pb = (uint8_t *)data;
    return ms_folder_set_props(txn, mbx, fid, &v, 1);
}

uint64_t ms__brd_u(ms_brd_t *r, int n)
{
    uint64_t v;
    if (r->bad || r->len - r->off < (size_t)n) {
        r->bad = 1;
        return 0;
    }
    v = ms__get_be(r->p + r->off, n);
    r->off += (size_t)n;
    return v;
}

const uint8_t *ms__brd_bytes(ms_brd_t *r, size_t n)
{
    const uint8_t *p;
    if (r->bad || r->len - r->off < n) {
        r->bad = 1;
        return NULL;
    }
    p = r->p + r->off;
    r->off += n;
    return p;
}

static int bwr_reserve(ms_bwr_t *w, size_t n)
{
    if (w->bad)
        return -1;
    if (w->cap - w->len < n) {
        size_t cap = w->cap ? w->cap : 256;
        uint8_t *p;
        while (cap - w->len < n)
            cap *= 2;
        if (!(p = realloc(w->p, cap))) {
            w->bad = 1;
            return -1;
        }
        w->p = p;
        w->cap = cap;
    }
    return 0;
}

void ms__bwr_u(ms_bwr_t *w, uint64_t v, int n)
{
    if (bwr_reserve(w, (size_t)n) == 0) {
        ms__put_be(w->p + w->len, v, n);
        w->len += (size_t)n;
    }
}

void ms__bwr_bytes(ms_bwr_t *w, const void *p, size_t n)
{
    if (n && bwr_reserve(w, n) == 0) {
        memcpy(w->p + w->len, p, n);
        w->len += n;
    }
}
