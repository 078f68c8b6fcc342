/*
 * ms_acl.c - folder permission lists ([MS-OXCPERM] 2.2: members with
 * PidTagMemberId, PidTagMemberName, PidTagEntryId, PidTagMemberRights),
 * a record list on each folder. Record: u8 version 1, then per member
 * id(8) rights(4) name_len(2) name entryid_len(2) entryid, big-endian.
 */
#include "ms_blobprop.h"

#include <stdlib.h>
#include <string.h>

#define ACL_VERSION 1

ms_err_t ms_acl_get(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_acl_entry_t **out, size_t *n)
{
    uint8_t *data;
    size_t len, cap = 0;
    ms_brd_t r;
    ms_err_t rc;
    if (!mbx || !out || !n)
        return MS_E_INVALID_PARAM;
    *out = NULL;
    *n = 0;
    if ((rc = ms_folder_exists(txn, mbx, fid)) != MS_OK)
        return rc;
    rc = ms__blobprop_get(txn, mbx, fid, MS_PR_ACL_DATA, &data, &len);
    if (rc != MS_OK || len == 0)
        return rc;
    r = (ms_brd_t){data, len, 0, 0};
    if (ms__brd_u(&r, 1) != ACL_VERSION)
        r.bad = 1;
    while (!r.bad && r.off < r.len) {
        ms_acl_entry_t *e;
        size_t nl, el;
        const uint8_t *p;
        if (*n == cap) {
            ms_acl_entry_t *ne;
            cap = cap ? cap * 2 : 8;
            if (cap > MS_ACL_MAX || !(ne = realloc(*out, cap * sizeof(**out)))) {
                r.bad = 1;
                break;
            }
            *out = ne;
        }
        e = &(*out)[*n];
        memset(e, 0, sizeof(*e));
        e->member_id = (int64_t)ms__brd_u(&r, 8);
        e->rights = (uint32_t)ms__brd_u(&r, 4);
        nl = (size_t)ms__brd_u(&r, 2);
        if (nl >= sizeof(e->name) || !(p = ms__brd_bytes(&r, nl))) {
            r.bad = 1;
            break;
        }
        memcpy(e->name, p, nl);
        el = (size_t)ms__brd_u(&r, 2);
        if (el > MS_ACL_ENTRYID_MAX || !(p = ms__brd_bytes(&r, el))) {
            r.bad = 1;
            break;
        }
        memcpy(e->entryid, p, el);
        e->entryid_len = (uint32_t)el;
        (*n)++;
    }
    free(data);
    if (r.bad) {
        free(*out);
        *out = NULL;
        *n = 0;
        return MS_E_JET; /* damaged record */
    }
    return MS_OK;
}

ms_err_t ms_acl_set(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const ms_acl_entry_t *e, size_t n)
{
    ms_bwr_t w = {0};
    ms_err_t rc;
    size_t i;
    if (!mbx || (n && !e))
        return MS_E_INVALID_PARAM;
    if (n > MS_ACL_MAX)
        return MS_E_TABLE_TOO_BIG;
    if ((rc = ms_folder_exists(txn, mbx, fid)) != MS_OK)
        return rc;
    if (n == 0)
        return ms__blobprop_set(txn, mbx, fid, MS_PR_ACL_DATA, NULL, 0);
    ms__bwr_u(&w, ACL_VERSION, 1);
    for (i = 0; i < n; i++) {
        size_t nl = strnlen(e[i].name, sizeof(e[i].name) - 1);
        if (e[i].entryid_len > MS_ACL_ENTRYID_MAX) {
            free(w.p);
            return MS_E_INVALID_PARAM;
        }
        ms__bwr_u(&w, (uint64_t)e[i].member_id, 8);
        ms__bwr_u(&w, e[i].rights, 4);
        ms__bwr_u(&w, nl, 2);
        ms__bwr_bytes(&w, e[i].name, nl);
        ms__bwr_u(&w, e[i].entryid_len, 2);
        ms__bwr_bytes(&w, e[i].entryid, e[i].entryid_len);
    }
    rc = w.bad ? MS_E_NOMEM : ms__blobprop_set(txn, mbx, fid, MS_PR_ACL_DATA, w.p, w.len);
    free(w.p);
    return rc;
}
