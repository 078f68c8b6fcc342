/*
 * ms_rules.c - server rules of a folder ([MS-OXORULE] 2.2.1.3 standard
 * rules), a record list on each folder: u8 version 1, then per rule
 * id(8) len(4) bytes, big-endian. The bytes are the engine's.
 */
#include "ms_blobprop.h"

#include <stdlib.h>
#include <string.h>

#define RULES_VERSION 1

void ms_rules_free(ms_rule_t *r, size_t n)
{
    size_t i;
    if (!r)
        return;
    for (i = 0; i < n; i++)
        free(r[i].data);
    free(r);
}

ms_err_t ms_rules_get(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_rule_t **out, size_t *n)
{
    uint8_t *data;
    size_t len;
    ms_brd_t r;
    ms_err_t rc;
    if (!mbx || !out || !n)
        return MS_E_INVALID_PARAM;
    *out = NULL;
    *n = 0;
    if ((rc = ms_folder_exists(txn, mbx, fid)) != MS_OK)
        return rc;
    rc = ms__blobprop_get(txn, mbx, fid, MS_PR_RULES_DATA, &data, &len);
    if (rc != MS_OK || len == 0)
        return rc;
    r = (ms_brd_t){data, len, 0, 0};
    if (ms__brd_u(&r, 1) != RULES_VERSION)
        r.bad = 1;
    if (!r.bad && !(*out = calloc(MS_RULES_MAX, sizeof(**out))))
        r.bad = 1;
    while (!r.bad && r.off < r.len) {
        ms_rule_t *e;
        const uint8_t *p;
        if (*n >= MS_RULES_MAX) {
            r.bad = 1;
            break;
        }
        e = &(*out)[*n];
        e->id = ms__brd_u(&r, 8);
        e->len = (uint32_t)ms__brd_u(&r, 4);
        if (!(p = ms__brd_bytes(&r, e->len)) || !(e->data = malloc(e->len ? e->len : 1))) {
            r.bad = 1;
            break;
        }
        memcpy(e->data, p, e->len);
        (*n)++;
    }
    free(data);
    if (r.bad) {
        ms_rules_free(*out, *n);
        *out = NULL;
        *n = 0;
        return MS_E_JET; /* damaged record */
    }
    return MS_OK;
}

ms_err_t ms_rules_set(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const ms_rule_t *r, size_t n)
{
    ms_bwr_t w = {0};
    size_t i, j, total = 0;
    ms_err_t rc;
    if (!mbx || (n && !r))
        return MS_E_INVALID_PARAM;
    if (n > MS_RULES_MAX)
        return MS_E_NOMEM;
    for (i = 0; i < n; i++) {
        if (r[i].len && !r[i].data)
            return MS_E_INVALID_PARAM;
        total += r[i].len;
        for (j = 0; j < i; j++)
            if (r[j].id == r[i].id)
                return MS_E_INVALID_PARAM;
    }
    if (total > MS_RULES_MAX_BYTES)
        return MS_E_NOMEM;
    if ((rc = ms_folder_exists(txn, mbx, fid)) != MS_OK)
        return rc;
    if (n == 0)
        return ms__blobprop_set(txn, mbx, fid, MS_PR_RULES_DATA, NULL, 0);
    ms__bwr_u(&w, RULES_VERSION, 1);
    for (i = 0; i < n; i++) {
        ms__bwr_u(&w, r[i].id, 8);
        ms__bwr_u(&w, r[i].len, 4);
        ms__bwr_bytes(&w, r[i].data, r[i].len);
    }
    rc = w.bad ? MS_E_NOMEM : ms__blobprop_set(txn, mbx, fid, MS_PR_RULES_DATA, w.p, w.len);
    free(w.p);
    return rc;
}
