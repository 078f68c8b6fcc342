/*
 * ms_queue.c - the mailbox's outgoing queue ([MS-OXOMSG] 3.2.5.1: a
 * submitted message waits here for the transport), a record list on the
 * root folder. Record: u8 version 1, then per entry fid(8) mid(8)
 * sent_fid(8) submit_time(8) flags(4), big-endian.
 */
#include "ms_blobprop.h"

#include <stdlib.h>
#include <string.h>

#define QUEUE_VERSION 1
#define QUEUE_ENTRY 36

static ms_id_t queue_home(void)
{
    return ms_special_folder_id(MS_FOLDER_ROOT);
}

static ms_err_t queue_load(ms_txn_t *txn, ms_mailbox_t *mbx, ms_queue_entry_t **out, size_t *n)
{
    uint8_t *data;
    size_t len, i, cnt;
    ms_brd_t r;
    ms_err_t rc = ms__blobprop_get(txn, mbx, queue_home(), MS_PR_SUBMIT_QUEUE, &data, &len);
    *out = NULL;
    *n = 0;
    if (rc != MS_OK || len == 0)
        return rc;
    if (data[0] != QUEUE_VERSION || (len - 1) % QUEUE_ENTRY != 0) {
        free(data);
        return MS_E_JET; /* damaged record */
    }
    cnt = (len - 1) / QUEUE_ENTRY;
    if (!(*out = calloc(cnt ? cnt : 1, sizeof(**out)))) {
        free(data);
        return MS_E_NOMEM;
    }
    r = (ms_brd_t){data, len, 1, 0};
    for (i = 0; i < cnt; i++) {
        (*out)[i].fid = ms__brd_u(&r, 8);
        (*out)[i].mid = ms__brd_u(&r, 8);
        (*out)[i].sent_fid = ms__brd_u(&r, 8);
        (*out)[i].submit_time = ms__brd_u(&r, 8);
        (*out)[i].flags = (uint32_t)ms__brd_u(&r, 4);
    }
    free(data);
    *n = cnt;
    return MS_OK;
}

static ms_err_t queue_save(ms_txn_t *txn, ms_mailbox_t *mbx, const ms_queue_entry_t *e, size_t n)
{
    ms_bwr_t w = {0};
    ms_err_t rc;
    size_t i;
    if (n == 0)
        return ms__blobprop_set(txn, mbx, queue_home(), MS_PR_SUBMIT_QUEUE, NULL, 0);
    ms__bwr_u(&w, QUEUE_VERSION, 1);
    for (i = 0; i < n; i++) {
        ms__bwr_u(&w, e[i].fid, 8);
        ms__bwr_u(&w, e[i].mid, 8);
        ms__bwr_u(&w, e[i].sent_fid, 8);
        ms__bwr_u(&w, e[i].submit_time, 8);
        ms__bwr_u(&w, e[i].flags, 4);
    }
    rc = w.bad ? MS_E_NOMEM : ms__blobprop_set(txn, mbx, queue_home(), MS_PR_SUBMIT_QUEUE, w.p, w.len);
    free(w.p);
    return rc;
}

/* Read-modify-write in one write transaction (the caller's or our own). */
static ms_err_t queue_change(ms_txn_t *txn, ms_mailbox_t *mbx, const ms_queue_entry_t *add, ms_id_t del)
{
    ms_txn_t *own = NULL;
    ms_queue_entry_t *e = NULL, *ne;
    size_t n = 0, i, j;
    int found = 0;
    ms_err_t rc;
    if (!txn) {
        if ((rc = ms_txn_begin(mbx, MS_TXN_WRITE, &own)) != MS_OK)
            return rc;
        txn = own;
    }
    rc = queue_load(txn, mbx, &e, &n);
    for (i = j = 0; rc == MS_OK && i < n; i++) {
        if (e[i].mid == (add ? add->mid : del)) {
            found = 1;
            continue;
        }
        e[j++] = e[i];
    }
    n = j;
    if (rc == MS_OK && !add && !found)
        rc = MS_E_NOT_FOUND;
    if (rc == MS_OK && add) {
        if (n >= MS_QUEUE_MAX)
            rc = MS_E_TABLE_TOO_BIG;
        else if (!(ne = realloc(e, (n + 1) * sizeof(*e))))
            rc = MS_E_NOMEM;
        else {
            e = ne;
            e[n++] = *add;
        }
    }
    if (rc == MS_OK)
        rc = queue_save(txn, mbx, e, n);
    free(e);
    if (own) {
        if (rc == MS_OK)
            return ms_txn_commit(own);
        ms_txn_abort(own);
    }
    return rc;
}

ms_err_t ms_queue_add(ms_txn_t *txn, ms_mailbox_t *mbx, const ms_queue_entry_t *e)
{
    if (!mbx || !e || !e->mid)
        return MS_E_INVALID_PARAM;
    return queue_change(txn, mbx, e, 0);
}

ms_err_t ms_queue_remove(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid)
{
    if (!mbx || !mid)
        return MS_E_INVALID_PARAM;
    return queue_change(txn, mbx, NULL, mid);
}

ms_err_t ms_queue_list(ms_txn_t *txn, ms_mailbox_t *mbx, ms_queue_entry_t **out, size_t *n)
{
    if (!mbx || !out || !n)
        return MS_E_INVALID_PARAM;
    return queue_load(txn, mbx, out, n);
}

ms_err_t ms_queue_find(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid, ms_queue_entry_t *out)
{
    ms_queue_entry_t *e;
    size_t n, i;
    ms_err_t rc;
    if (!mbx || !out)
        return MS_E_INVALID_PARAM;
    if ((rc = queue_load(txn, mbx, &e, &n)) != MS_OK)
        return rc;
    rc = MS_E_NOT_FOUND;
    for (i = 0; i < n; i++)
        if (e[i].mid == mid) {
            *out = e[i];
            rc = MS_OK;
            break;
        }
    free(e);
    return rc;
}
