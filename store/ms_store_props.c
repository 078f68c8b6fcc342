/*
 * ms_store_props.c - properties of the private store (logon) object:
 * special-folder entry ids ([MS-OXOSFLD] 2.2.2, [MS-OXCSTOR] 2.2.2), owner,
 * record keys, size and quotas.
 */
#include <stdlib.h>
#include <string.h>
#include "ms_internal.h"

/* [MS-OXCDATA] 2.2.5.2 Address Book EntryID (permanent), X500 DN. */
static ms_err_t ab_entryid(ms_propset_t *ps, uint32_t tag, const char *dn)
{
    static const uint8_t uid[16] = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                                    0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
    size_t dl = strlen(dn), n = 4 + 16 + 4 + 4 + dl + 1;
    uint8_t *b = calloc(1, n);
    if (!b)
        return MS_E_NOMEM;
    memcpy(b + 4, uid, 16);
    b[20] = 1;              /* Version 1 (LE u32) */
    /* Type 0: DT_MAILUSER */
    memcpy(b + 28, dn, dl);
    ms_err_t rc = ms__ps_set_bin(ps, tag, b, n);
    free(b);
    return rc;
}

ms_err_t ms_mailbox_store_props(ms_mailbox_t *mbx, const uint32_t *tags, size_t ntags,
                                ms_propval_t **vals, size_t *nvals)
{
    if (!mbx || !vals || !nvals || (ntags && !tags))
        return ms__err(MS_E_INVALID_PARAM, "store_props: bad argument");
    ms_mailbox_info_t info;
    ms_err_t rc = ms_mailbox_info(mbx, &info);
    if (rc != MS_OK)
        return rc;
    static const struct { uint16_t id; ms_special_t f; } eids[] = {
        {0x35E0, MS_FOLDER_IPM_SUBTREE}, {0x35E2, MS_FOLDER_OUTBOX}, {0x35E3, MS_FOLDER_DELETED_ITEMS},
        {0x35E4, MS_FOLDER_SENT_ITEMS}, {0x35E5, MS_FOLDER_VIEWS}, {0x35E6, MS_FOLDER_COMMON_VIEWS},
        {0x35E7, MS_FOLDER_FINDER}};
    ms_propset_t ps = {0};
    uint8_t eid[MS_FOLDER_ENTRYID_SIZE];
    for (size_t i = 0; rc == MS_OK && i < sizeof(eids) / sizeof(eids[0]); i++) {
        ms_folder_entryid(mbx, ms_special_folder_id(eids[i].f), eid);
        rc = ms__ps_set_bin(&ps, MS_PROP_TAG(MS_PT_BINARY, eids[i].id), eid, sizeof(eid));
    }
    if (rc == MS_OK) rc = ms__ps_set_str(&ps, MS_PR_DISPLAY_NAME, info.display_name);
    if (rc == MS_OK) rc = ms__ps_set_str(&ps, MS_PROP_TAG(MS_PT_UNICODE, 0x661C), info.display_name);
    if (rc == MS_OK) rc = ab_entryid(&ps, MS_PROP_TAG(MS_PT_BINARY, 0x661B), info.legacy_dn);
    if (rc == MS_OK) rc = ms__ps_set_bin(&ps, MS_PROP_TAG(MS_PT_BINARY, 0x0FFA), mbx->guid.b, 16);
    if (rc == MS_OK) rc = ms__ps_set_bin(&ps, MS_PR_RECORD_KEY, mbx->guid.b, 16);
    if (rc == MS_OK) rc = ms__ps_set_i8(&ps, MS_PR_MESSAGE_SIZE_EXTENDED, (int64_t)info.size);
    if (rc == MS_OK && info.quota_warning)
        rc = ms__ps_set_long(&ps, MS_PROP_TAG(MS_PT_LONG, 0x3FF5), (int32_t)(info.quota_warning / 1024));
    if (rc == MS_OK && info.quota_send)
        rc = ms__ps_set_long(&ps, MS_PROP_TAG(MS_PT_LONG, 0x666E), (int32_t)(info.quota_send / 1024));
    if (rc == MS_OK && info.quota_receive)
        rc = ms__ps_set_long(&ps, MS_PROP_TAG(MS_PT_LONG, 0x666A), (int32_t)(info.quota_receive / 1024));
    size_t n = tags ? ntags : ps.n;
    ms_propval_t *out = rc == MS_OK ? calloc(n ? n : 1, sizeof(*out)) : NULL;
    if (rc == MS_OK && !out)
        rc = MS_E_NOMEM;
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        const ms_propval_t *v = tags ? ms__ps_find(&ps, tags[i]) : &ps.v[i];
        if (v) {
            rc = ms_propval_dup(v, &out[i]);
            if (rc == MS_OK && tags && MS_PROP_TYPE(tags[i]) != MS_PT_UNSPECIFIED)
                out[i].tag = tags[i];
        } else {
            out[i].tag = MS_PROP_TAG(MS_PT_ERROR, MS_PROP_ID(tags[i]));
            out[i].value.err = (uint32_t)MS_E_NOT_FOUND;
        }
    }
    ms__ps_free(&ps);
    if (rc != MS_OK) {
        ms_propvals_free(out, n);
        return rc;
    }
    *vals = out;
    *nvals = n;
    return MS_OK;
}

/* ---- receive folders: dbi "named", key mbx|'C'|lower-case class -> fid globcnt ---- */
static int class_ok(const char *c)
{
    if (!c || strlen(c) > 255)
        return 0;
    for (; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7E)
            return 0;
    return 1;
}

static size_t class_key(uint8_t *k, uint32_t mbx, const char *cls, size_t len)
{
    ms__key_mbx(k, mbx);
    k[4] = 'C';
    for (size_t i = 0; i < len; i++)
        k[5 + i] = (uint8_t)((cls[i] >= 'A' && cls[i] <= 'Z') ? cls[i] + 32 : cls[i]);
    return 5 + len;
}

ms_err_t ms__receive_folder_put(ms_txn_t *txn, const char *cls, uint64_t fgc)
{
    uint8_t k[300];
    size_t kl = class_key(k, txn->mbx->mbx_id, cls, strlen(cls));
    if (!fgc) {
        ms_err_t rc = ms__del(txn, txn->db->named, k, kl);
        return rc == MS_E_NOT_FOUND ? MS_OK : rc;
    }
    return ms__put(txn, txn->db->named, k, kl, &fgc, 8);
}

ms_err_t ms_receive_folder_set(ms_txn_t *txn, ms_mailbox_t *mbx, const char *msg_class, ms_id_t fid)
{
    if (!mbx || !class_ok(msg_class))
        return ms__err(MS_E_INVALID_PARAM, "bad message class");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    ms_folder_rec_t f;
    if (fid && (rc = ms__folder_rec(txn, ms_id_globcnt(fid), &f)) != MS_OK) {
        ms__txn_leave(txn, own, MS_OK);
        return rc;   /* a missing folder does not poison the caller's txn */
    }
    if (!fid && !*msg_class)
        rc = ms__err(MS_E_ACCESS_DENIED, "the default receive folder cannot be removed");
    if (rc == MS_OK)
        rc = ms__receive_folder_put(txn, msg_class, fid ? ms_id_globcnt(fid) : 0);
    if (rc == MS_OK) {
        ms_mbx_rec_t *mr;
        rc = ms__mbx_rec(txn, &mr);   /* counts as a mailbox change */
    }
    return ms__txn_leave(txn, own, rc);
}

ms_err_t ms_receive_folder_get(ms_txn_t *txn, ms_mailbox_t *mbx, const char *msg_class, ms_id_t *fid,
                               char *explicit_class)
{
    if (!mbx || !fid || !class_ok(msg_class))
        return ms__err(MS_E_INVALID_PARAM, "bad message class");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    size_t len = strlen(msg_class);
    uint8_t k[300];
    for (;;) {
        MDB_val v;
        rc = ms__get(txn, txn->db->named, k, class_key(k, mbx->mbx_id, msg_class, len), &v);
        if (rc == MS_OK && v.mv_size == 8) {
            uint64_t g;
            memcpy(&g, v.mv_data, 8);
            *fid = ms_id_make(1, g);
            if (explicit_class) {
                memcpy(explicit_class, msg_class, len);
                explicit_class[len] = 0;
            }
            break;
        }
        if (rc != MS_OK && rc != MS_E_NOT_FOUND)
            break;
        if (!len) {
            rc = ms__err(MS_E_NOT_FOUND, "no receive folder");
            break;
        }
        while (len && msg_class[len - 1] != '.')
            len--;
        if (len)
            len--;   /* drop the dot */
    }
    if (own)
        ms_txn_abort(txn);
    return rc;
}

/* A deleted folder stops being a receive folder. */
ms_err_t ms__receive_folder_forget(ms_txn_t *txn, uint64_t fgc)
{
    MDB_cursor *c;
    int r = mdb_cursor_open(txn->txn, txn->db->named, &c);
    if (r)
        return ms__mdb(r, "cursor");
    uint8_t pre[5];
    ms__key_mbx(pre, txn->mbx->mbx_id);
    pre[4] = 'C';
    MDB_val k = {5, pre}, v;
    ms_err_t rc = MS_OK;
    for (int g = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); !g && k.mv_size >= 5 && !memcmp(k.mv_data, pre, 5);) {
        uint64_t f = 0;
        if (v.mv_size == 8)
            memcpy(&f, v.mv_data, 8);
        if (f == fgc) {
            if ((r = mdb_cursor_del(c, 0))) {
                rc = ms__txn_fail(txn, ms__mdb(r, "delete receive folder"));
                break;
            }
            g = mdb_cursor_get(c, &k, &v, MDB_GET_CURRENT);
        } else {
            g = mdb_cursor_get(c, &k, &v, MDB_NEXT);
        }
    }
    mdb_cursor_close(c);
    return rc;
}
