/*
 * ms_message.c - messages ([MS-OXCMSG]): properties, recipients, attachments,
 * embedded messages, save in one transaction, read state, delete, move/copy.
 *
 * dbi "msgs": mbx|mid(6) -> ms_msg_rec_t (folder, flags, size, sort keys);
 * "objs": 'M' mid 0 = properties, 'R' mid rowid = recipient rows,
 * 'A' mid num = attachments, 'E' mid num -> embedded message globcnt;
 * "cindex": one entry per maintained sort (see ms_internal.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ms_internal.h"

#define MAX_EMBED_DEPTH 16

/* Properties the store computes: never stored, ignored when set. */
static int computed_tag(uint32_t tag)
{
    static const uint16_t ids[] = {0x674A, 0x6748, 0x0FFF, 0x0E09, 0x0FF6, 0x0FF9, 0x65E0,
                                   0x65E1, 0x65E2, 0x65E3, 0x67A4, 0x0E08, 0x0E07, 0x0E1B};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        if (MS_PROP_ID(tag) == ids[i])
            return 1;
    return 0;
}

/* ---- large values loaded on demand ---- */
static int lazy_has(const ms_lazylist_t *l, uint32_t tag)
{
    for (size_t i = 0; i < l->n; i++)
        if (!tag || ms__tag_match(tag, l->v[i].tag))
            return 1;
    return 0;
}

/* Load the lazy values matching tag (0: all) into ps. txn NULL: own read txn. */
ms_err_t ms__lazy_load(ms_txn_t *txn, ms_mailbox_t *mbx, ms_propset_t *ps, ms_lazylist_t *l,
                          uint32_t tag)
{
    if (!lazy_has(l, tag))
        return MS_OK;
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    for (size_t i = 0; rc == MS_OK && i < l->n;) {
        if (tag && !ms__tag_match(tag, l->v[i].tag)) {
            i++;
            continue;
        }
        ms_propval_t v = {.tag = l->v[i].tag};
        rc = ms__blob_value(txn, l->v[i].blob, l->v[i].len, &v);
        if (rc == MS_OK)
            rc = ms__ps_set_take(ps, &v);
        else
            ms_propval_free(&v);
        if (rc == MS_OK)
            l->v[i] = l->v[--l->n];
    }
    if (own && txn)
        ms_txn_abort(txn);
    return rc;
}

void ms__lazy_drop(ms_lazylist_t *l, uint32_t tag)
{
    for (size_t i = 0; i < l->n;)
        if (MS_PROP_ID(l->v[i].tag) == MS_PROP_ID(tag))
            l->v[i] = l->v[--l->n];
        else
            i++;
}

void ms__lazy_free(ms_lazylist_t *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int tree_dirty(const ms_message_t *m);
static ms_err_t delete_recipients(ms_txn_t *txn, uint64_t mgc);
static ms_err_t stored_attachments(ms_txn_t *txn, uint64_t mgc, uint32_t **nums, size_t *n);
static ms_err_t delete_attachment_records(ms_txn_t *txn, uint64_t mgc, uint32_t num, int depth);

/* An attachment is rewritten on save when it or its embedded message changed. */
static int att_dirty(const ms_attach_t *a)
{
    return a->dirty || (a->embedded && tree_dirty(a->embedded));
}

static int tree_dirty(const ms_message_t *m)
{
    if (m->dirty || !m->saved)
        return 1;
    for (size_t i = 0; i < m->natts; i++)
        if (att_dirty(&m->atts[i]))
            return 1;
    return 0;
}

/* What a save rewrites, in memory (before old records and blobs go): the
 * message's own values and every attachment that changed (all when all). */
static ms_err_t materialize(ms_txn_t *txn, ms_message_t *m, int all)
{
    ms_err_t rc = ms__lazy_load(txn, m->mbx, &m->ps, &m->lazy, 0);
    for (size_t i = 0; rc == MS_OK && i < m->natts; i++) {
        if (!all && !att_dirty(&m->atts[i]))
            continue;
        rc = ms__lazy_load(txn, m->mbx, &m->atts[i].ps, &m->atts[i].lazy, 0);
        if (rc == MS_OK && m->atts[i].embedded)
            rc = materialize(txn, m->atts[i].embedded, 1);
    }
    return rc;
}

/* Before a save of a stored message: drop its recipients and the attachments
 * that changed or went away; unchanged attachments stay as they are. */
static ms_err_t prune_subobjs(ms_txn_t *txn, ms_message_t *m)
{
    ms_err_t rc = delete_recipients(txn, m->mgc);
    uint32_t *nums = NULL;
    size_t n = 0;
    if (rc == MS_OK)
        rc = stored_attachments(txn, m->mgc, &nums, &n);
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        const ms_attach_t *a = NULL;
        for (size_t j = 0; j < m->natts && !a; j++)
            if (m->atts[j].num == nums[i])
                a = &m->atts[j];
        if (!a || att_dirty(a))
            rc = delete_attachment_records(txn, m->mgc, nums[i], 0);
    }
    free(nums);
    return rc;
}

/* ---- index keys ---- */
static void text_key(const ms_propset_t *ps, uint32_t t1, uint32_t t2, char *out, size_t n)
{
    const ms_propval_t *v = ms__ps_find(ps, t1);
    if (!v && t2)
        v = ms__ps_find(ps, t2);
    memset(out, 0, n);
    if (!v || !v->value.str)
        return;
    size_t i = 0;
    for (const char *s = v->value.str; *s && i < n; s++)
        out[i++] = (char)tolower((unsigned char)*s);
}

size_t ms__idx_sortkey(int kind, const ms_msg_rec_t *m, uint8_t *out)
{
    switch (kind) {
    case MS_IDX_DELIVERY: ms__put_be(out, m->delivery, 8); return 8;
    case MS_IDX_SUBJECT: memcpy(out, m->subj, MS_SUBJ_KEY); return MS_SUBJ_KEY;
    case MS_IDX_SENDER: memcpy(out, m->sender, MS_SENDER_KEY); return MS_SENDER_KEY;
    case MS_IDX_SIZE: ms__put_be(out, m->size, 4); return 4;
    default: return 0;
    }
}

size_t ms__idx_key(uint32_t mbx, uint64_t fid, int view, int kind, const ms_msg_rec_t *m,
                   uint64_t mid, uint8_t *out)
{
    ms__key_mbx(out, mbx);
    ms__put_be(out + 4, fid, 6);
    out[10] = (uint8_t)view;
    out[11] = (uint8_t)kind;
    size_t l = 12 + ms__idx_sortkey(kind, m, out + 12);
    ms__put_be(out + l, mid, 6);
    return l + 6;
}

int ms__msg_view(const ms_msg_rec_t *m)
{
    if (m->state == MS_MSTATE_DELETED)
        return MS_VIEW_DELETED;
    return m->assoc ? MS_VIEW_ASSOC : MS_VIEW_NORMAL;
}

ms_err_t ms__msg_index(ms_txn_t *txn, uint64_t mgc, const ms_msg_rec_t *m, int add)
{
    if (m->state == MS_MSTATE_EMBEDDED)
        return MS_OK;
    uint8_t k[128];
    for (int kind = 0; kind < MS_IDX_COUNT; kind++) {
        size_t kl = ms__idx_key(txn->mbx->mbx_id, m->fid, ms__msg_view(m), kind, m, mgc, k);
        ms_err_t rc = add ? ms__put(txn, txn->db->cindex, k, kl, "", 0)
                          : ms__del(txn, txn->db->cindex, k, kl);
        if (rc == MS_E_NOT_FOUND && !add)
            rc = ms__txn_fail(txn, ms__err(MS_E_JET, "index entry missing"));
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

size_t ms__mkey(uint8_t *k, const ms_txn_t *txn, uint64_t mgc)
{
    ms__key_mbx(k, txn->mbx->mbx_id);
    ms__put_be(k + 4, mgc, 6);
    return 10;
}

ms_err_t ms__msg_rec(ms_txn_t *txn, uint64_t mgc, ms_msg_rec_t *m)
{
    uint8_t k[10];
    MDB_val v;
    ms_err_t rc = ms__get(txn, txn->db->msgs, k, ms__mkey(k, txn, mgc), &v);
    if (rc == MS_E_NOT_FOUND)
        return ms__err(MS_E_NOT_FOUND, "no message %llu", (unsigned long long)mgc);
    if (rc != MS_OK)
        return rc;
    if (v.mv_size != sizeof(*m))
        return ms__err(MS_E_JET, "message record has wrong size");
    memcpy(m, v.mv_data, sizeof(*m));
    return MS_OK;
}

ms_err_t ms__msg_rec_put(ms_txn_t *txn, uint64_t mgc, const ms_msg_rec_t *m)
{
    uint8_t k[10];
    return ms__put(txn, txn->db->msgs, k, ms__mkey(k, txn, mgc), m, sizeof(*m));
}

/* Sub-objects of kind ('R', 'A', 'E') of a message: (sub id, key) pairs. */
typedef struct { uint32_t sub; } subref_t;

static ms_err_t list_sub(ms_txn_t *txn, uint64_t mgc, char kind, uint32_t **subs, size_t *n)
{
    *subs = NULL;
    *n = 0;
    uint8_t pre[MS_OBJKEY_LEN];
    ms__objkey(pre, txn->mbx->mbx_id, kind, mgc, 0);
    MDB_cursor *c;
    int r = mdb_cursor_open(txn->txn, txn->db->objs, &c);
    if (r)
        return ms__mdb(r, "cursor");
    MDB_val k = {MS_OBJKEY_LEN, pre}, v;
    size_t cap = 0;
    ms_err_t rc = MS_OK;
    for (int g = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); !g; g = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != MS_OBJKEY_LEN || memcmp(k.mv_data, pre, 11))
            break;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            uint32_t *nn = realloc(*subs, cap * sizeof(uint32_t));
            if (!nn) {
                rc = MS_E_NOMEM;
                break;
            }
            *subs = nn;
        }
        (*subs)[(*n)++] = (uint32_t)ms__get_be((const uint8_t *)k.mv_data + 11, 4);
    }
    mdb_cursor_close(c);
    return rc;
}

ms_err_t ms__msg_load_subobjs(ms_txn_t *txn, uint64_t mgc, char kind, ms_propset_t **rows,
                              size_t *n)
{
    uint32_t *subs;
    size_t ns;
    ms_err_t rc = list_sub(txn, mgc, kind, &subs, &ns);
    *rows = NULL;
    *n = 0;
    if (rc != MS_OK)
        return rc;
    *rows = calloc(ns ? ns : 1, sizeof(ms_propset_t));
    if (!*rows) {
        free(subs);
        return MS_E_NOMEM;
    }
    for (size_t i = 0; i < ns && rc == MS_OK; i++) {
        uint8_t k[MS_OBJKEY_LEN];
        rc = ms__obj_read(txn, k, ms__objkey(k, txn->mbx->mbx_id, kind, mgc, subs[i]), &(*rows)[i]);
        *n = i + 1;
    }
    free(subs);
    return rc;
}

/* Remove a message's sub-objects (and embedded messages, recursively). */
/* Records of one attachment: its properties, its embedded-message link and
 * the embedded message tree. */
static ms_err_t delete_attachment_records(ms_txn_t *txn, uint64_t mgc, uint32_t num, int depth)
{
    uint8_t k[MS_OBJKEY_LEN];
    size_t kl = ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_EMBED, mgc, num);
    MDB_val v;
    uint64_t egc = 0;
    ms_err_t rc = ms__get(txn, txn->db->objs, k, kl, &v);
    if (rc == MS_OK && v.mv_size == 8)
        memcpy(&egc, v.mv_data, 8);
    if (rc == MS_E_NOT_FOUND)
        rc = MS_OK;
    else if (rc == MS_OK && egc && depth < MAX_EMBED_DEPTH) {
        uint8_t ek[MS_OBJKEY_LEN], mk[10];
        rc = ms__msg_delete_subobjs(txn, egc, depth + 1);
        if (rc == MS_OK)
            rc = ms__obj_delete(txn, ek, ms__objkey(ek, txn->mbx->mbx_id, MS_OBJ_MESSAGE, egc, 0));
        if (rc == MS_OK && (rc = ms__del(txn, txn->db->msgs, mk, ms__mkey(mk, txn, egc))) == MS_E_NOT_FOUND)
            rc = MS_OK;
        if (rc == MS_OK && (rc = ms__del(txn, txn->db->objs, k, kl)) == MS_E_NOT_FOUND)
            rc = MS_OK;
    } else if (rc == MS_OK && (rc = ms__del(txn, txn->db->objs, k, kl)) == MS_E_NOT_FOUND) {
        rc = MS_OK;
    }
    if (rc == MS_OK)
        rc = ms__obj_delete(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_ATTACH, mgc, num));
    return rc;
}

static ms_err_t delete_recipients(ms_txn_t *txn, uint64_t mgc)
{
    uint32_t *subs;
    size_t ns;
    ms_err_t rc = list_sub(txn, mgc, MS_OBJ_RECIP, &subs, &ns);
    for (size_t i = 0; rc == MS_OK && i < ns; i++) {
        uint8_t k[MS_OBJKEY_LEN];
        rc = ms__obj_delete(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_RECIP, mgc, subs[i]));
    }
    free(subs);
    return rc;
}

/* Attachment numbers stored for a message (from 'A' and 'E' records). */
static ms_err_t stored_attachments(ms_txn_t *txn, uint64_t mgc, uint32_t **nums, size_t *n)
{
    uint32_t *a, *e;
    size_t na, ne;
    ms_err_t rc = list_sub(txn, mgc, MS_OBJ_ATTACH, &a, &na);
    if (rc != MS_OK)
        return rc;
    if ((rc = list_sub(txn, mgc, MS_OBJ_EMBED, &e, &ne)) != MS_OK) {
        free(a);
        return rc;
    }
    uint32_t *all = realloc(a, (na + ne + 1) * sizeof(uint32_t));
    if (!all) {
        free(a);
        free(e);
        return MS_E_NOMEM;
    }
    for (size_t i = 0; i < ne; i++) {   /* an 'E' link without its 'A' record too */
        int seen = 0;
        for (size_t j = 0; j < na && !seen; j++)
            seen = all[j] == e[i];
        if (!seen)
            all[na++] = e[i];
    }
    free(e);
    *nums = all;
    *n = na;
    return MS_OK;
}

ms_err_t ms__msg_delete_subobjs(ms_txn_t *txn, uint64_t mgc, int depth)
{
    ms_err_t rc = delete_recipients(txn, mgc);
    uint32_t *nums = NULL;
    size_t n = 0;
    if (rc == MS_OK)
        rc = stored_attachments(txn, mgc, &nums, &n);
    for (size_t i = 0; rc == MS_OK && i < n; i++)
        rc = delete_attachment_records(txn, mgc, nums[i], depth);
    free(nums);
    return rc;
}

/* ---- in-memory object ---- */
ms_err_t ms_message_create(ms_mailbox_t *mbx, ms_id_t fid, int associated, ms_message_t **out)
{
    if (!mbx || !out)
        return ms__err(MS_E_INVALID_PARAM, "message_create: NULL");
    ms_message_t *m = ms__xmalloc(sizeof(*m));
    if (!m)
        return MS_E_NOMEM;
    m->mbx = mbx;
    m->fgc = ms_id_globcnt(fid);
    m->assoc = !!associated;
    m->rec.flags = MS_MSGFLAG_UNMODIFIED | (associated ? MS_MSGFLAG_ASSOCIATED : 0);
    *out = m;
    if (ms__ps_set_str(&m->ps, MS_PR_MESSAGE_CLASS, "IPM.Note") != MS_OK) {
        ms_message_free(m);
        *out = NULL;
        return MS_E_NOMEM;
    }
    return MS_OK;
}

void ms_message_free(ms_message_t *m)
{
    if (!m)
        return;
    ms__ps_free(&m->ps);
    ms__lazy_free(&m->lazy);
    for (size_t i = 0; i < m->nrecips; i++)
        ms__ps_free(&m->recips[i]);
    free(m->recips);
    for (size_t i = 0; i < m->natts; i++) {
        ms__ps_free(&m->atts[i].ps);
        ms__lazy_free(&m->atts[i].lazy);
        ms_message_free(m->atts[i].embedded);
    }
    free(m->atts);
    free(m);
}

ms_id_t ms_message_mid(const ms_message_t *m)
{
    return m && m->mgc ? ms_id_make(MS_REPLID, m->mgc) : 0;
}

ms_id_t ms_message_fid(const ms_message_t *m)
{
    return m ? ms_id_make(MS_REPLID, m->fgc) : 0;
}

/* Computed properties after open/save. */
static ms_err_t set_computed(ms_message_t *m)
{
    const ms_mailbox_t *mbx = m->mbx;
    uint8_t eid[MS_MESSAGE_ENTRYID_SIZE], feid[MS_FOLDER_ENTRYID_SIZE], xid[MS_XID_SIZE];
    uint8_t pcl[MS_XID_SIZE + 1];
    ms_err_t rc = ms__ps_set_i8(&m->ps, MS_PR_MID, (int64_t)ms_id_make(MS_REPLID, m->mgc));
    if (rc == MS_OK) rc = ms__ps_set_i8(&m->ps, MS_PR_FID, (int64_t)ms_id_make(MS_REPLID, m->fgc));
    if (!m->embedded) {
        ms__message_eid(mbx, m->fgc, m->mgc, eid);
        ms__folder_eid(mbx, m->fgc, feid);
        if (rc == MS_OK) rc = ms__ps_set_bin(&m->ps, MS_PR_ENTRYID, eid, sizeof(eid));
        if (rc == MS_OK) rc = ms__ps_set_bin(&m->ps, MS_PR_RECORD_KEY, eid, sizeof(eid));
        if (rc == MS_OK) rc = ms__ps_set_bin(&m->ps, MS_PR_PARENT_ENTRYID, feid, sizeof(feid));
        ms_make_xid(&mbx->replguid, m->fgc, xid);
        if (rc == MS_OK) rc = ms__ps_set_bin(&m->ps, MS_PR_PARENT_SOURCE_KEY, xid, sizeof(xid));
    }
    ms_make_xid(&mbx->replguid, m->mgc, xid);
    if (rc == MS_OK) rc = ms__ps_set_bin(&m->ps, MS_PR_SOURCE_KEY, xid, sizeof(xid));
    if (rc == MS_OK) rc = ms__ps_set_bin(&m->ps, MS_PR_INSTANCE_KEY, xid + 16, 6);
    ms_make_xid(&mbx->replguid, m->rec.cn, xid);
    if (rc == MS_OK) rc = ms__ps_set_bin(&m->ps, MS_PR_CHANGE_KEY, xid, sizeof(xid));
    pcl[0] = MS_XID_SIZE;
    memcpy(pcl + 1, xid, MS_XID_SIZE);
    if (rc == MS_OK) rc = ms__ps_set_bin(&m->ps, MS_PR_PREDECESSOR_CHANGE_LIST, pcl, sizeof(pcl));
    if (rc == MS_OK) rc = ms__ps_set_i8(&m->ps, MS_PR_CHANGE_NUMBER, (int64_t)ms_id_make(MS_REPLID, m->rec.cn));
    if (rc == MS_OK) rc = ms__ps_set_long(&m->ps, MS_PR_MESSAGE_SIZE, (int32_t)m->rec.size);
    if (rc == MS_OK) rc = ms__ps_set_long(&m->ps, MS_PR_MESSAGE_FLAGS, (int32_t)m->rec.flags);
    if (rc == MS_OK) rc = ms__ps_set_bool(&m->ps, MS_PR_HASATTACH, m->natts > 0);
    return rc;
}

static uint32_t mbx_id_of(const ms_message_t *m)
{
    return m->mbx->mbx_id;
}

static ms_err_t load_attachments(ms_txn_t *txn, ms_message_t *m)
{
    uint32_t *subs;
    size_t ns;
    ms_err_t rc = list_sub(txn, m->mgc, MS_OBJ_ATTACH, &subs, &ns);
    if (rc != MS_OK)
        return rc;
    m->atts = calloc(ns ? ns : 1, sizeof(ms_attach_t));
    if (!m->atts)
        rc = MS_E_NOMEM;
    for (size_t i = 0; rc == MS_OK && i < ns; i++) {
        ms_attach_t *a = &m->atts[m->natts++];
        a->num = subs[i];
        if (subs[i] >= m->next_attach)
            m->next_attach = subs[i] + 1;
        uint8_t k[MS_OBJKEY_LEN];
        rc = ms__obj_read_lazy(txn, k, ms__objkey(k, mbx_id_of(m), MS_OBJ_ATTACH, m->mgc, subs[i]), &a->ps,
                               &a->lazy);
        if (rc == MS_OK)   /* room for the lazy values: get_attach pointers stay valid */
            rc = ms__ps_reserve(&a->ps, a->ps.n + a->lazy.n + 4);
        MDB_val v;
        ms_err_t er = ms__get(txn, txn->db->objs, k,
                              ms__objkey(k, mbx_id_of(m), MS_OBJ_EMBED, m->mgc, subs[i]), &v);
        if (rc == MS_OK && er == MS_OK && v.mv_size == 8) {
            uint64_t egc;
            memcpy(&egc, v.mv_data, 8);
            if (m->depth >= MAX_EMBED_DEPTH)
                rc = ms__err(MS_E_TOO_COMPLEX, "embedded messages nested too deep");
            else
                rc = ms__msg_load(txn, m->mbx, egc, m->depth + 1, &a->embedded);
        } else if (rc == MS_OK && er != MS_E_NOT_FOUND && er != MS_OK) {
            rc = er;
        }
    }
    free(subs);
    return rc;
}

ms_err_t ms__msg_load(ms_txn_t *txn, ms_mailbox_t *mbx, uint64_t mgc, int depth,
                             ms_message_t **out)
{
    ms_message_t *m = ms__xmalloc(sizeof(*m));
    if (!m)
        return MS_E_NOMEM;
    m->mbx = mbx;
    m->mgc = mgc;
    m->depth = depth;
    m->saved = 1;
    ms_err_t rc = ms__msg_rec(txn, mgc, &m->rec);
    if (rc == MS_OK) {
        m->embedded = m->rec.state == MS_MSTATE_EMBEDDED;
        m->fgc = m->embedded ? 0 : m->rec.fid;
        m->assoc = m->rec.assoc;
        uint8_t k[MS_OBJKEY_LEN];
        rc = ms__obj_read_lazy(txn, k, ms__objkey(k, mbx->mbx_id, MS_OBJ_MESSAGE, mgc, 0), &m->ps, &m->lazy);
    }
    if (rc == MS_OK)   /* computed props + lazy values without moving the array */
        rc = ms__ps_reserve(&m->ps, m->ps.n + m->lazy.n + 32);
    if (rc == MS_OK)
        rc = ms__msg_load_subobjs(txn, mgc, MS_OBJ_RECIP, &m->recips, &m->nrecips);
    for (size_t i = 0; rc == MS_OK && i < m->nrecips; i++) {
        const ms_propval_t *r = ms__ps_find(&m->recips[i], MS_PR_ROWID);
        if (r && (uint32_t)r->value.l >= m->next_rowid)
            m->next_rowid = (uint32_t)r->value.l + 1;
    }
    if (rc == MS_OK)
        rc = load_attachments(txn, m);
    if (rc == MS_OK)
        rc = set_computed(m);
    if (rc != MS_OK) {
        ms_message_free(m);
        return rc;
    }
    *out = m;
    return MS_OK;
}

ms_err_t ms_message_open(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid,
                         ms_message_t **out)
{
    if (!mbx || !out)
        return ms__err(MS_E_INVALID_PARAM, "message_open: NULL");
    *out = NULL;
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    ms_msg_rec_t r;
    uint64_t mgc = ms_id_globcnt(mid);
    rc = ms__msg_rec(txn, mgc, &r);
    if (rc == MS_OK && (r.state == MS_MSTATE_EMBEDDED || (fid && r.fid != ms_id_globcnt(fid))))
        rc = ms__err(MS_E_NOT_FOUND, "message not in that folder");
    if (rc == MS_OK)
        rc = ms__msg_load(txn, mbx, mgc, 0, out);
    if (own)
        ms_txn_abort(txn);
    return rc;
}

/* ---- properties ---- */
const ms_propval_t *ms_message_get_prop(ms_message_t *m, uint32_t tag)
{
    if (!m || ms__lazy_load(NULL, m->mbx, &m->ps, &m->lazy, tag) != MS_OK)
        return NULL;
    return ms__ps_find(&m->ps, tag);
}

ms_err_t ms_message_get_all(ms_message_t *m, const ms_propval_t **vals, size_t *n)
{
    if (!m || !vals || !n)
        return ms__err(MS_E_INVALID_PARAM, "message_get_all: NULL");
    ms_err_t rc = ms__lazy_load(NULL, m->mbx, &m->ps, &m->lazy, 0);
    if (rc != MS_OK)
        return rc;
    *vals = m->ps.v;
    *n = m->ps.n;
    return MS_OK;
}

ms_err_t ms__msg_check_vals(const ms_propval_t *vals, size_t n)
{
    if (n && !vals)
        return ms__err(MS_E_INVALID_PARAM, "NULL property array");
    for (size_t i = 0; i < n; i++) {
        uint16_t t = MS_PROP_TYPE(vals[i].tag);
        if (!ms__type_valid(t) || t == MS_PT_ERROR || t == MS_PT_NULL || t == MS_PT_OBJECT)
            return ms__err(MS_E_INVALID_PARAM, "cannot store property 0x%08x", vals[i].tag);
        if ((t == MS_PT_STRING8 || t == MS_PT_UNICODE) && !vals[i].value.str)
            return ms__err(MS_E_INVALID_PARAM, "NULL string in 0x%08x", vals[i].tag);
    }
    return MS_OK;
}

ms_err_t ms_message_set_props(ms_message_t *m, const ms_propval_t *vals, size_t n)
{
    if (!m)
        return ms__err(MS_E_INVALID_PARAM, "message_set_props: NULL");
    ms_err_t rc = ms__msg_check_vals(vals, n);
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        if (vals[i].tag == MS_PR_MESSAGE_FLAGS && !m->saved) {   /* settable before first save */
            m->rec.flags = ((uint32_t)vals[i].value.l & ~MS_MSGFLAG_ASSOCIATED) |
                           (m->assoc ? MS_MSGFLAG_ASSOCIATED : 0);
            continue;
        }
        if (computed_tag(vals[i].tag))
            continue;
        ms__lazy_drop(&m->lazy, vals[i].tag);
        rc = ms__ps_set(&m->ps, &vals[i]);
        m->dirty = 1;
    }
    return rc;
}

ms_err_t ms_message_delete_props(ms_message_t *m, const uint32_t *tags, size_t n)
{
    if (!m || (n && !tags))
        return ms__err(MS_E_INVALID_PARAM, "message_delete_props: NULL");
    for (size_t i = 0; i < n; i++)
        if (!computed_tag(tags[i])) {
            ms__ps_del(&m->ps, tags[i]);
            ms__lazy_drop(&m->lazy, tags[i]);
            m->dirty = 1;
        }
    return MS_OK;
}

/* ---- save ---- */
static uint64_t ps_size(const ms_propset_t *ps)
{
    uint64_t s = 0;
    for (size_t i = 0; i < ps->n; i++)
        if (!computed_tag(ps->v[i].tag))
            s += ms__propval_size(&ps->v[i]) + 4;
    return s;
}

/* Adjust the folder's counters for a message record (+1 / -1). */
ms_err_t ms__folder_account(ms_txn_t *txn, const ms_msg_rec_t *r, int sign)
{
    if (r->state == MS_MSTATE_EMBEDDED)
        return MS_OK;
    ms_folder_rec_t f;
    ms_err_t rc = ms__folder_rec(txn, r->fid, &f);
    if (rc != MS_OK)
        return rc;
    uint32_t *c = r->state == MS_MSTATE_DELETED ? &f.deleted : r->assoc ? &f.assoc : &f.count;
    *c = (uint32_t)((int64_t)*c + sign);
    if (r->state == MS_MSTATE_NORMAL && !r->assoc && !(r->flags & MS_MSGFLAG_READ))
        f.unread = (uint32_t)((int64_t)f.unread + sign);
    f.change_counter++;
    return ms__folder_rec_put(txn, r->fid, &f);
}

static void normalize_subject(ms_propset_t *ps)
{
    const ms_propval_t *s = ms__ps_find(ps, MS_PR_SUBJECT);
    if (!s || ms__ps_find(ps, MS_PR_NORMALIZED_SUBJECT))
        return;
    /* [MS-OXCMSG] 2.2.1.9: a prefix is up to 3 chars ending in ':' + space */
    const char *p = s->value.str, *colon = strchr(p, ':');
    if (colon && colon - p <= 3 && colon > p && colon[1] == ' ') {
        int alpha = 1;
        for (const char *q = p; q < colon; q++)
            alpha &= isalpha((unsigned char)*q) != 0;
        if (alpha)
            p = colon + 2;
    }
    ms__ps_set_str(ps, MS_PR_NORMALIZED_SUBJECT, p);
}

static ms_err_t write_parts(ms_txn_t *txn, ms_message_t *m, int is_new, uint64_t *size)
{
    uint32_t mbx = m->mbx->mbx_id;
    uint8_t k[MS_OBJKEY_LEN];
    ms_propset_t st = {0};
    ms_err_t rc = MS_OK;
    for (size_t i = 0; rc == MS_OK && i < m->ps.n; i++)
        if (!computed_tag(m->ps.v[i].tag))
            rc = ms__ps_set(&st, &m->ps.v[i]);
    if (rc == MS_OK)
        rc = ms__obj_write(txn, k, ms__objkey(k, mbx, MS_OBJ_MESSAGE, m->mgc, 0), &st);
    *size = ps_size(&st);
    ms__ps_free(&st);
    for (size_t i = 0; rc == MS_OK && i < m->nrecips; i++) {
        const ms_propval_t *rid = ms__ps_find(&m->recips[i], MS_PR_ROWID);
        uint32_t row = rid ? (uint32_t)rid->value.l : (uint32_t)i;
        rc = ms__obj_write(txn, k, ms__objkey(k, mbx, MS_OBJ_RECIP, m->mgc, row), &m->recips[i]);
        *size += ps_size(&m->recips[i]);
    }
    for (size_t i = 0; rc == MS_OK && i < m->natts; i++) {
        ms_attach_t *a = &m->atts[i];
        uint64_t asz = ps_size(&a->ps);
        if (!is_new && !att_dirty(a)) {   /* unchanged: its records stay */
            for (size_t k2 = 0; k2 < a->lazy.n; k2++)
                asz += a->lazy.v[k2].len + 4;
            if (a->embedded)
                asz += a->embedded->rec.size;
            *size += asz;
            continue;
        }
        if (a->embedded) {
            a->embedded->mgc = 0;
            a->embedded->saved = 0;
            rc = ms__msg_write(txn, a->embedded, m->mgc);
            if (rc == MS_OK)
                rc = ms__put(txn, txn->db->objs, k, ms__objkey(k, mbx, MS_OBJ_EMBED, m->mgc, a->num),
                             &a->embedded->mgc, 8);
            asz += a->embedded->rec.size;
        }
        if (rc == MS_OK)
            rc = ms__ps_set_long(&a->ps, MS_PR_ATTACH_SIZE, (int32_t)(asz > INT32_MAX ? INT32_MAX : asz));
        if (rc == MS_OK)
            rc = ms__obj_write(txn, k, ms__objkey(k, mbx, MS_OBJ_ATTACH, m->mgc, a->num), &a->ps);
        *size += asz;
    }
    return rc;
}

ms_err_t ms__msg_write(ms_txn_t *txn, ms_message_t *m, uint64_t parent_gc)
{
    int is_new = !m->saved;
    ms_msg_rec_t old;
    ms_err_t rc = MS_OK;
    if (!is_new && (rc = ms__msg_rec(txn, m->mgc, &old)) == MS_E_NOT_FOUND)
        rc = ms__err(MS_E_OBJECT_DELETED, "the message was deleted");
    if (rc == MS_OK)
        rc = materialize(txn, m, is_new);   /* before old records and blobs go */
    if (rc != MS_OK)
        return rc;
    if (is_new)
        rc = ms__alloc_globcnt(txn, &m->mgc);
    else
        rc = prune_subobjs(txn, m);
    if (rc != MS_OK)
        return rc;
    uint64_t now = ms__now_filetime();
    if (!ms__ps_find(&m->ps, MS_PR_CREATION_TIME))
        rc = ms__ps_set_ft(&m->ps, MS_PR_CREATION_TIME, now);
    if (rc == MS_OK)
        rc = ms__ps_set_ft(&m->ps, MS_PR_LAST_MODIFICATION_TIME, now);
    if (rc == MS_OK && !m->embedded && !ms__ps_find(&m->ps, MS_PR_MESSAGE_DELIVERY_TIME))
        rc = ms__ps_set_ft(&m->ps, MS_PR_MESSAGE_DELIVERY_TIME, now);
    normalize_subject(&m->ps);
    uint64_t size = 0;
    if (rc == MS_OK)
        rc = write_parts(txn, m, is_new, &size);
    ms_msg_rec_t *r = &m->rec;
    if (rc == MS_OK)
        rc = ms__alloc_globcnt(txn, &r->cn);
    if (rc != MS_OK)
        return rc;
    r->fid = m->embedded ? parent_gc : m->fgc;
    r->state = m->embedded ? MS_MSTATE_EMBEDDED : (is_new ? MS_MSTATE_NORMAL : old.state);
    r->assoc = (uint8_t)m->assoc;
    r->size = (uint32_t)(size > UINT32_MAX ? UINT32_MAX : size);
    const ms_propval_t *dt = ms__ps_find(&m->ps, MS_PR_MESSAGE_DELIVERY_TIME);
    r->delivery = dt ? dt->value.ft : 0;
    if (m->natts)
        r->flags |= MS_MSGFLAG_HASATTACH;
    else
        r->flags &= ~MS_MSGFLAG_HASATTACH;
    if (!is_new)
        r->flags &= ~MS_MSGFLAG_UNMODIFIED;
    text_key(&m->ps, MS_PR_NORMALIZED_SUBJECT, MS_PR_SUBJECT, r->subj, MS_SUBJ_KEY);
    text_key(&m->ps, MS_PR_SENT_REPRESENTING_NAME, MS_PR_SENDER_NAME, r->sender, MS_SENDER_KEY);
    if (!m->embedded) {
        ms_mbx_rec_t *mr;
        if ((rc = ms__mbx_rec(txn, &mr)) != MS_OK)
            return rc;
        uint64_t before = mr->size, after = mr->size - (is_new ? 0 : old.size) + r->size;
        if (after > before && mr->quota_receive && after > mr->quota_receive)
            return ms__txn_fail(txn, ms__err(MS_E_QUOTA_EXCEEDED,
                                "mailbox quota: %llu bytes would exceed the limit of %llu",
                                (unsigned long long)after, (unsigned long long)mr->quota_receive));
        mr->size = after;
        if (is_new)
            mr->messages++;
        if (!is_new && (rc = ms__msg_index(txn, m->mgc, &old, 0)) == MS_OK)
            rc = ms__folder_account(txn, &old, -1);
        if (rc == MS_OK)
            rc = ms__msg_index(txn, m->mgc, r, 1);
        if (rc == MS_OK)
            rc = ms__folder_account(txn, r, +1);
    }
    if (rc == MS_OK)
        rc = ms__msg_rec_put(txn, m->mgc, r);
    return rc;
}

void ms__msg_mark_saved(ms_message_t *m, int saved)
{
    m->saved = saved;
    if (!saved)
        m->mgc = 0;
    else
        m->dirty = 0;
    for (size_t i = 0; i < m->natts; i++) {
        if (saved)
            m->atts[i].dirty = 0;
        if (m->atts[i].embedded)
            ms__msg_mark_saved(m->atts[i].embedded, saved);
    }
}

ms_err_t ms_message_save(ms_txn_t *txn, ms_message_t *m)
{
    if (!m)
        return ms__err(MS_E_INVALID_PARAM, "message_save: NULL");
    if (m->embedded)
        return ms__err(MS_E_INVALID_PARAM, "embedded messages are saved with their parent");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, m->mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    int was_saved = m->saved;
    uint64_t old_mgc = m->mgc;
    ms_folder_rec_t f;
    rc = ms__folder_rec(txn, m->fgc, &f);
    if (rc == MS_OK)
        rc = ms__msg_write(txn, m, 0);
    rc = ms__txn_leave(txn, own, rc);
    if (rc != MS_OK) {
        ms__msg_mark_saved(m, 0);
        m->saved = was_saved;
        m->mgc = old_mgc;
        return rc;
    }
    ms__msg_mark_saved(m, 1);
    return set_computed(m);
}

/* Stored + computed properties of a message for a table row (no sub-objects). */
ms_err_t ms__msg_load_row(ms_txn_t *txn, uint64_t mgc, const ms_msg_rec_t *r, ms_propset_t *ps,
                          const uint32_t *want, size_t nwant)
{
    uint8_t k[MS_OBJKEY_LEN];
    ms_lazylist_t lazy = {0};
    ms_err_t rc = ms__obj_read_lazy(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_MESSAGE, mgc, 0), ps, &lazy);
    for (size_t i = 0; rc == MS_OK && i < lazy.n; i++) {
        int needed = !want;
        for (size_t j = 0; !needed && j < nwant; j++)
            needed = ms__tag_match(want[j], lazy.v[i].tag);
        if (!needed)
            continue;   /* a body nobody asked for stays on disk */
        ms_propval_t v = {.tag = lazy.v[i].tag};
        rc = ms__blob_value(txn, lazy.v[i].blob, lazy.v[i].len, &v);
        if (rc == MS_OK)
            rc = ms__ps_set_take(ps, &v);
        else
            ms_propval_free(&v);
    }
    ms__lazy_free(&lazy);
    if (rc != MS_OK)
        return rc;
    ms_message_t m;
    memset(&m, 0, sizeof(m));
    m.mbx = txn->mbx;
    m.mgc = mgc;
    m.fgc = r->fid;
    m.rec = *r;
    m.ps = *ps;
    m.natts = (r->flags & MS_MSGFLAG_HASATTACH) ? 1 : 0;   /* only for PR_HASATTACH */
    rc = set_computed(&m);
    *ps = m.ps;
    return rc;
}
