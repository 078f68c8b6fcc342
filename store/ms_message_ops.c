/*
 * ms_message_ops.c - operations on saved messages ([MS-OXCMSG], [MS-OXCFOLD]):
 * read flag, soft and hard delete, move and copy between folders, and
 * streams over large values ([MS-OXCPRPT] RopOpenStream, read side).
 */
#include <stdlib.h>
#include <string.h>
#include "ms_internal.h"

/* ---- read state, delete, move/copy ---- */
ms_err_t ms_message_set_read(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid, int read)
{
    if (!mbx)
        return ms__err(MS_E_INVALID_PARAM, "set_read: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    uint64_t mgc = ms_id_globcnt(mid);
    ms_msg_rec_t r;
    rc = ms__msg_rec(txn, mgc, &r);
    if (rc == MS_OK && (r.state == MS_MSTATE_EMBEDDED || (fid && r.fid != ms_id_globcnt(fid))))
        rc = ms__err(MS_E_NOT_FOUND, "message not in that folder");
    if (rc == MS_OK && !!(r.flags & MS_MSGFLAG_READ) != !!read) {
        rc = ms__folder_account(txn, &r, -1);
        if (read)
            r.flags |= MS_MSGFLAG_READ;
        else
            r.flags &= ~MS_MSGFLAG_READ;
        if (rc == MS_OK)
            rc = ms__folder_account(txn, &r, +1);
        if (rc == MS_OK)
            rc = ms__msg_rec_put(txn, mgc, &r);
        ms_mbx_rec_t *mr;
        if (rc == MS_OK)
            rc = ms__mbx_rec(txn, &mr);
    }
    return ms__txn_leave(txn, own, rc);
}

ms_err_t ms__msg_hard_delete(ms_txn_t *txn, uint64_t mgc)
{
    ms_msg_rec_t r;
    ms_err_t rc = ms__msg_rec(txn, mgc, &r);
    if (rc == MS_OK)
        rc = ms__msg_index(txn, mgc, &r, 0);
    if (rc == MS_OK)
        rc = ms__folder_account(txn, &r, -1);
    if (rc == MS_OK)
        rc = ms__msg_delete_subobjs(txn, mgc, 0);
    uint8_t k[MS_OBJKEY_LEN];
    if (rc == MS_OK)
        rc = ms__obj_delete(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_MESSAGE, mgc, 0));
    if (rc == MS_OK)
        rc = ms__del(txn, txn->db->msgs, k, ms__mkey(k, txn, mgc));
    ms_mbx_rec_t *mr;
    if (rc == MS_OK && (rc = ms__mbx_rec(txn, &mr)) == MS_OK) {
        mr->size -= r.size;
        mr->messages--;
    }
    return rc;
}

ms_err_t ms_message_delete(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const ms_id_t *mids,
                           size_t n, int hard)
{
    if (!mbx || (n && !mids))
        return ms__err(MS_E_INVALID_PARAM, "message_delete: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    uint64_t fgc = ms_id_globcnt(fid);
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        uint64_t mgc = ms_id_globcnt(mids[i]);
        ms_msg_rec_t r;
        rc = ms__msg_rec(txn, mgc, &r);
        if (rc == MS_OK && (r.state == MS_MSTATE_EMBEDDED || r.fid != fgc))
            rc = ms__err(MS_E_NOT_FOUND, "message not in that folder");
        if (rc != MS_OK)
            break;
        if (hard || r.state == MS_MSTATE_DELETED) {
            rc = ms__msg_hard_delete(txn, mgc);
            continue;
        }
        rc = ms__msg_index(txn, mgc, &r, 0);
        if (rc == MS_OK)
            rc = ms__folder_account(txn, &r, -1);
        r.state = MS_MSTATE_DELETED;
        if (rc == MS_OK)
            rc = ms__msg_index(txn, mgc, &r, 1);
        if (rc == MS_OK)
            rc = ms__folder_account(txn, &r, +1);
        if (rc == MS_OK)
            rc = ms__msg_rec_put(txn, mgc, &r);
    }
    return ms__txn_leave(txn, own, rc);
}

ms_err_t ms_message_move(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t src_fid, ms_id_t dst_fid,
                         const ms_id_t *mids, size_t n, int copy, ms_id_t *new_mids)
{
    if (!mbx || (n && !mids))
        return ms__err(MS_E_INVALID_PARAM, "message_move: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    uint64_t sgc = ms_id_globcnt(src_fid), dgc = ms_id_globcnt(dst_fid);
    ms_folder_rec_t df;
    rc = ms__folder_rec(txn, dgc, &df);
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        uint64_t mgc = ms_id_globcnt(mids[i]);
        ms_msg_rec_t r;
        rc = ms__msg_rec(txn, mgc, &r);
        if (rc == MS_OK && (r.state != MS_MSTATE_NORMAL || r.fid != sgc))
            rc = ms__err(MS_E_NOT_FOUND, "message not in the source folder");
        if (rc != MS_OK)
            break;
        if (copy) {
            ms_message_t *m;
            rc = ms__msg_load(txn, mbx, mgc, 0, &m);
            if (rc == MS_OK) {
                ms__msg_mark_saved(m, 0);
                m->fgc = dgc;
                m->rec.flags &= ~MS_MSGFLAG_UNMODIFIED;
                rc = ms__msg_write(txn, m, 0);
                if (rc == MS_OK && new_mids)
                    new_mids[i] = ms_id_make(MS_REPLID, m->mgc);
                ms_message_free(m);
            }
            continue;
        }
        rc = ms__msg_index(txn, mgc, &r, 0);
        if (rc == MS_OK)
            rc = ms__folder_account(txn, &r, -1);
        r.fid = dgc;
        if (rc == MS_OK)
            rc = ms__alloc_globcnt(txn, &r.cn);
        if (rc == MS_OK)
            rc = ms__msg_index(txn, mgc, &r, 1);
        if (rc == MS_OK)
            rc = ms__folder_account(txn, &r, +1);
        if (rc == MS_OK)
            rc = ms__msg_rec_put(txn, mgc, &r);
        if (rc == MS_OK && new_mids)
            new_mids[i] = mids[i];
    }
    return ms__txn_leave(txn, own, rc);
}

/* ---- streams ---- */
static ms_err_t stream_op(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid, uint32_t attach_num,
                          uint32_t tag, uint64_t off, void *buf, size_t len, size_t *got,
                          uint64_t *size)
{
    if (!mbx)
        return ms__err(MS_E_INVALID_PARAM, "stream: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    uint8_t k[MS_OBJKEY_LEN];
    uint64_t mgc = ms_id_globcnt(mid);
    size_t kl = attach_num == UINT32_MAX ? ms__objkey(k, mbx->mbx_id, MS_OBJ_MESSAGE, mgc, 0)
                                         : ms__objkey(k, mbx->mbx_id, MS_OBJ_ATTACH, mgc, attach_num);
    rc = ms__obj_blob_stream(txn, k, kl, tag, off, buf, len, got, size);
    if (rc == MS_E_NOT_FOUND && !size)
        rc = ms__err(MS_E_NOT_FOUND, "no such property or object");
    if (own)
        ms_txn_abort(txn);
    return rc;
}

ms_err_t ms_stream_size(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid, uint32_t attach_num,
                        uint32_t tag, uint64_t *size)
{
    if (!size)
        return ms__err(MS_E_INVALID_PARAM, "stream_size: NULL");
    return stream_op(txn, mbx, mid, attach_num, tag, 0, NULL, 0, NULL, size);
}

ms_err_t ms_stream_read(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid, uint32_t attach_num,
                        uint32_t tag, uint64_t offset, void *buf, size_t len, size_t *got)
{
    uint64_t size;
    if (!buf || !got)
        return ms__err(MS_E_INVALID_PARAM, "stream_read: NULL");
    *got = 0;
    return stream_op(txn, mbx, mid, attach_num, tag, offset, buf, len, got, &size);
}

