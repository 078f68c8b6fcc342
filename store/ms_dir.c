/*
 * ms_dir.c - the directory: mailboxes, their addresses and their database.
 * dbi "mbx": GUID(16) -> ms_mailbox_info_t; dbi "addr": "s:"smtp / "l:"login /
 * "d:"legacyDN (lower case) -> GUID.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ms_internal.h"

#define DEFAULT_ORG "/o=mod_mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients"

static size_t addr_key(char *out, size_t cap, char kind, const char *s)
{
    snprintf(out, cap, "%c:%s", kind, s);
    ms__lower(out);
    return strlen(out);
}

static ms_err_t dir_get(ms_store_t *st, MDB_txn *t, const ms_guid_t *g, ms_mailbox_info_t *info)
{
    MDB_val k = {16, (void *)(uintptr_t)g->b}, v;
    int r = mdb_get(t, st->d_mbx, &k, &v);
    if (r == MDB_NOTFOUND)
        return ms__err(MS_E_UNKNOWN_USER, "no such mailbox");
    if (r)
        return ms__mdb(r, "directory");
    if (v.mv_size != sizeof(*info))
        return ms__err(MS_E_JET, "directory record has wrong size");
    memcpy(info, v.mv_data, sizeof(*info));
    return MS_OK;
}

static int addr_put(MDB_txn *t, MDB_dbi d, char kind, const char *s, const ms_guid_t *g)
{
    char key[600];
    size_t kl = addr_key(key, sizeof(key), kind, s);
    if (kl > 500)
        return MDB_BAD_VALSIZE;
    MDB_val k = {kl, key}, v = {16, (void *)(uintptr_t)g->b};
    return mdb_put(t, d, &k, &v, MDB_NOOVERWRITE);
}

static void addr_del(MDB_txn *t, MDB_dbi d, char kind, const char *s)
{
    char key[600];
    size_t kl = addr_key(key, sizeof(key), kind, s);
    MDB_val k = {kl, key};
    mdb_del(t, d, &k, NULL);
}

static ms_err_t validate(ms_mailbox_info_t *in)
{
    if (in->nsmtp < 1 || in->nsmtp > MS_MAX_SMTP)
        return ms__err(MS_E_INVALID_PARAM, "a mailbox needs 1 to %d SMTP addresses", MS_MAX_SMTP);
    for (unsigned i = 0; i < in->nsmtp; i++) {
        const char *a = in->smtp[i], *at = strchr(a, '@');
        if (!at || at == a || !at[1] || strchr(at + 1, '@') || strpbrk(a, " \t\r\n<>,;\""))
            return ms__err(MS_E_INVALID_PARAM, "bad SMTP address '%s'", a);
    }
    if (in->login[0] && strpbrk(in->login, " \t\r\n"))
        return ms__err(MS_E_INVALID_PARAM, "bad login name '%s'", in->login);
    if (!in->display_name[0])
        snprintf(in->display_name, sizeof(in->display_name), "%s", in->smtp[0]);
    if (!in->legacy_dn[0]) {
        char local[256];
        snprintf(local, sizeof(local), "%s", in->smtp[0]);
        *strchr(local, '@') = 0;
        snprintf(in->legacy_dn, sizeof(in->legacy_dn), "%s/cn=%s", DEFAULT_ORG, local);
    }
    return MS_OK;
}

static ms_err_t first_db(ms_store_t *st, char *name, size_t cap)
{
    ms_db_info_t *dbs;
    size_t n;
    ms_err_t rc = ms_db_list(st, &dbs, &n);
    if (rc != MS_OK)
        return rc;
    if (!n) {
        free(dbs);
        return ms__err(MS_E_NOT_FOUND, "no mailbox database: create one first (db create)");
    }
    snprintf(name, cap, "%s", dbs[0].name);
    free(dbs);
    return MS_OK;
}

/* Allocate the mailbox number, write its record and folder tree in the db. */
static ms_err_t create_in_db(ms_store_t *st, ms_db_t *db, ms_mailbox_info_t *info)
{
    MDB_txn *t;
    int r = mdb_txn_begin(db->env, NULL, 0, &t);
    if (r)
        return ms__mdb(r, "begin");
    MDB_val k = {8, "next_mbx"}, v;
    uint32_t id = 1;
    r = mdb_get(t, db->meta, &k, &v);
    if (!r && v.mv_size == 4)
        memcpy(&id, v.mv_data, 4);
    uint32_t next = id + 1;
    v.mv_size = 4;
    v.mv_data = &next;
    r = mdb_put(t, db->meta, &k, &v, 0);
    ms_mbx_rec_t rec;
    memset(&rec, 0, sizeof(rec));
    rec.version = 1;
    rec.guid = info->guid;
    ms__random_guid(&rec.replguid);
    rec.next_globcnt = MS_FOLDER_SPECIAL_COUNT + 1;
    rec.quota_warning = info->quota_warning;
    rec.quota_send = info->quota_send;
    rec.quota_receive = info->quota_receive;
    rec.next_named = 0x8001;
    uint8_t kb[4];
    ms__key_mbx(kb, id);
    MDB_val key = {4, kb}, val = {sizeof(rec), &rec};
    if (!r)
        r = mdb_put(t, db->mbx, &key, &val, MDB_NOOVERWRITE);
    if (r) {
        mdb_txn_abort(t);
        return ms__mdb(r, "create mailbox");
    }
    ms_mailbox_t mbx = {st, db, id, info->guid, rec.replguid};
    ms_txn_t txn = {&mbx, db, t, 1, MS_OK, 1, 1, rec};
    ms_err_t rc = ms__create_special_folders(&txn);
    if (rc != MS_OK) {
        mdb_txn_abort(t);
        return rc;
    }
    val.mv_data = &txn.rec;
    r = mdb_put(t, db->mbx, &key, &val, 0);
    if (r) {
        mdb_txn_abort(t);
        return ms__mdb(r, "create mailbox");
    }
    r = mdb_txn_commit(t);
    if (r)
        return ms__mdb(r, "commit");
    info->mbx_id = id;
    info->replica_guid = rec.replguid;
    return MS_OK;
}

static ms_err_t purge_mailbox_data(ms_db_t *db, uint32_t mbx_id);

ms_err_t ms_mailbox_create(ms_store_t *st, ms_mailbox_info_t *in)
{
    if (!ms__check_pid(st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    if (!in)
        return ms__err(MS_E_INVALID_PARAM, "mailbox_create: NULL");
    ms_err_t rc = validate(in);
    if (rc == MS_OK && !in->db[0])
        rc = first_db(st, in->db, sizeof(in->db));
    if (rc != MS_OK)
        return rc;
    ms_db_t *db = ms__db_open(st, in->db);
    if (!db)
        return ms__err(MS_E_NOT_FOUND, "cannot open database '%s'", in->db);
    ms__random_guid(&in->guid);
    MDB_txn *t;
    int r = mdb_txn_begin(st->dir, NULL, 0, &t);
    if (r)
        return ms__mdb(r, "directory");
    const char *clash = NULL;
    for (unsigned i = 0; i < in->nsmtp && !r; i++)
        if ((r = addr_put(t, st->d_addr, 's', in->smtp[i], &in->guid)))
            clash = in->smtp[i];
    if (!r && in->login[0] && (r = addr_put(t, st->d_addr, 'l', in->login, &in->guid)))
        clash = in->login;
    if (!r && (r = addr_put(t, st->d_addr, 'd', in->legacy_dn, &in->guid)))
        clash = in->legacy_dn;
    if (r) {
        mdb_txn_abort(t);
        return r == MDB_KEYEXIST ? ms__err(MS_E_DUPLICATE_NAME, "'%s' is already in use", clash)
                                 : ms__mdb(r, "directory");
    }
    rc = create_in_db(st, db, in);
    if (rc != MS_OK) {
        mdb_txn_abort(t);
        return rc;
    }
    MDB_val k = {16, in->guid.b}, v = {sizeof(*in), in};
    r = mdb_put(t, st->d_mbx, &k, &v, MDB_NOOVERWRITE);
    if (!r)
        r = ms__dir_bump(st, t);
    r = r ? (mdb_txn_abort(t), r) : mdb_txn_commit(t);
    if (r) {   /* roll the database part back too */
        purge_mailbox_data(db, in->mbx_id);
        return ms__mdb(r, "directory");
    }
    return MS_OK;
}

ms_err_t ms_mailbox_list(ms_store_t *st, ms_mailbox_info_t **out, size_t *n)
{
    if (!ms__check_pid(st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    *out = NULL;
    *n = 0;
    MDB_txn *t;
    MDB_cursor *c;
    int r = mdb_txn_begin(st->dir, NULL, MDB_RDONLY, &t);
    if (r)
        return ms__mdb(r, "directory");
    if ((r = mdb_cursor_open(t, st->d_mbx, &c))) {
        mdb_txn_abort(t);
        return ms__mdb(r, "directory");
    }
    MDB_val k, v;
    size_t cap = 0;
    ms_err_t rc = MS_OK;
    for (int op = MDB_FIRST; !mdb_cursor_get(c, &k, &v, op); op = MDB_NEXT) {
        if (v.mv_size != sizeof(ms_mailbox_info_t))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            ms_mailbox_info_t *nn = realloc(*out, cap * sizeof(**out));
            if (!nn) {
                rc = MS_E_NOMEM;
                break;
            }
            *out = nn;
        }
        memcpy(&(*out)[(*n)++], v.mv_data, sizeof(ms_mailbox_info_t));
    }
    mdb_cursor_close(c);
    mdb_txn_abort(t);
    return rc;
}

/* Remove every record of one mailbox from every table of its database. */
static ms_err_t purge_mailbox_data(ms_db_t *db, uint32_t mbx_id)
{
    MDB_txn *t;
    int r = mdb_txn_begin(db->env, NULL, 0, &t);
    if (r)
        return ms__mdb(r, "begin");
    MDB_dbi dbis[] = {db->mbx, db->folders, db->children, db->msgs, db->objs, db->blobs,
                      db->cindex, db->named};
    uint8_t pre[4];
    ms__key_mbx(pre, mbx_id);
    for (size_t i = 0; i < sizeof(dbis) / sizeof(dbis[0]) && !r; i++) {
        MDB_cursor *c;
        if ((r = mdb_cursor_open(t, dbis[i], &c)))
            break;
        MDB_val k = {4, pre}, v;
        int g = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
        while (!g && k.mv_size >= 4 && !memcmp(k.mv_data, pre, 4)) {
            if ((r = mdb_cursor_del(c, 0)))
                break;
            g = mdb_cursor_get(c, &k, &v, MDB_GET_CURRENT);
            if (g == MDB_NOTFOUND || g)
                g = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
        }
        mdb_cursor_close(c);
    }
    r = r ? (mdb_txn_abort(t), r) : mdb_txn_commit(t);
    return ms__mdb(r, "delete mailbox data");
}

ms_err_t ms_mailbox_delete(ms_store_t *st, const ms_guid_t *guid)
{
    if (!ms__check_pid(st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    MDB_txn *t;
    int r = mdb_txn_begin(st->dir, NULL, 0, &t);
    if (r)
        return ms__mdb(r, "directory");
    ms_mailbox_info_t info;
    ms_err_t rc = dir_get(st, t, guid, &info);
    if (rc != MS_OK) {
        mdb_txn_abort(t);
        return rc;
    }
    for (unsigned i = 0; i < info.nsmtp; i++)
        addr_del(t, st->d_addr, 's', info.smtp[i]);
    if (info.login[0])
        addr_del(t, st->d_addr, 'l', info.login);
    addr_del(t, st->d_addr, 'd', info.legacy_dn);
    MDB_val k = {16, info.guid.b};
    mdb_del(t, st->d_mbx, &k, NULL);
    if ((r = ms__dir_bump(st, t))) {
        mdb_txn_abort(t);
        return ms__mdb(r, "directory");
    }
    if ((r = mdb_txn_commit(t)))
        return ms__mdb(r, "directory");
    ms_db_t *db = ms__db_open(st, info.db);
    return db ? purge_mailbox_data(db, info.mbx_id) : MS_OK;
}

ms_err_t ms_mailbox_set_quota(ms_store_t *st, const ms_guid_t *guid, uint64_t warning,
                              uint64_t send, uint64_t receive)
{
    ms_mailbox_t *mbx;
    ms_err_t rc = ms_mailbox_open_guid(st, guid, &mbx);
    if (rc != MS_OK)
        return rc;
    ms_txn_t *txn;
    rc = ms_txn_begin(mbx, MS_TXN_WRITE, &txn);
    if (rc == MS_OK) {
        ms_mbx_rec_t *rec;
        rc = ms__mbx_rec(txn, &rec);
        if (rc == MS_OK) {
            rec->quota_warning = warning;
            rec->quota_send = send;
            rec->quota_receive = receive;
            rc = ms_txn_commit(txn);
        } else {
            ms_txn_abort(txn);
        }
    }
    ms_mailbox_close(mbx);
    if (rc != MS_OK)
        return rc;
    MDB_txn *t;
    int r = mdb_txn_begin(st->dir, NULL, 0, &t);
    if (r)
        return ms__mdb(r, "directory");
    ms_mailbox_info_t info;
    rc = dir_get(st, t, guid, &info);
    if (rc == MS_OK) {
        info.quota_warning = warning;
        info.quota_send = send;
        info.quota_receive = receive;
        MDB_val k = {16, info.guid.b}, v = {sizeof(info), &info};
        r = mdb_put(t, st->d_mbx, &k, &v, 0);
        if (!r)
            r = ms__dir_bump(st, t);
        r = r ? (mdb_txn_abort(t), r) : mdb_txn_commit(t);
        return ms__mdb(r, "directory");
    }
    mdb_txn_abort(t);
    return rc;
}

ms_err_t ms_mailbox_open_guid(ms_store_t *st, const ms_guid_t *guid, ms_mailbox_t **out)
{
    if (!ms__check_pid(st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    if (!guid || !out)
        return ms__err(MS_E_INVALID_PARAM, "mailbox_open: NULL");
    *out = NULL;
    MDB_txn *t;
    int r = mdb_txn_begin(st->dir, NULL, MDB_RDONLY, &t);
    if (r)
        return ms__mdb(r, "directory");
    ms_mailbox_info_t info;
    ms_err_t rc = dir_get(st, t, guid, &info);
    mdb_txn_abort(t);
    if (rc != MS_OK)
        return rc;
    ms_db_t *db = ms__db_open(st, info.db);
    if (!db)
        return ms__err(MS_E_JET, "cannot open database '%s' of the mailbox", info.db);
    ms_mailbox_t *m = ms__xmalloc(sizeof(*m));
    if (!m)
        return MS_E_NOMEM;
    m->st = st;
    m->db = db;
    m->mbx_id = info.mbx_id;
    m->guid = info.guid;
    m->replguid = info.replica_guid;
    *out = m;
    return MS_OK;
}

static ms_err_t lookup_addr(ms_store_t *st, char kind, const char *key, ms_guid_t *g)
{
    char k[600];
    size_t kl = addr_key(k, sizeof(k), kind, key);
    MDB_txn *t;
    int r = mdb_txn_begin(st->dir, NULL, MDB_RDONLY, &t);
    if (r)
        return ms__mdb(r, "directory");
    MDB_val mk = {kl, k}, v;
    r = mdb_get(t, st->d_addr, &mk, &v);
    if (!r && v.mv_size == 16)
        memcpy(g->b, v.mv_data, 16);
    mdb_txn_abort(t);
    if (r == MDB_NOTFOUND)
        return ms__err(MS_E_UNKNOWN_USER, "unknown mailbox '%s'", key);
    return ms__mdb(r, "directory");
}

ms_err_t ms_mailbox_open(ms_store_t *st, ms_lookup_t by, const char *key, ms_mailbox_t **out)
{
    if (!ms__check_pid(st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    if (!key || !*key || !out)
        return ms__err(MS_E_INVALID_PARAM, "mailbox_open: no key");
    ms_guid_t g;
    ms_err_t rc = MS_E_UNKNOWN_USER;
    if (by == MS_LOOKUP_GUID || by == MS_LOOKUP_ANY) {
        if (!ms__guid_from_str(key, &g) && ms_mailbox_open_guid(st, &g, out) == MS_OK)
            return MS_OK;
        if (by == MS_LOOKUP_GUID)
            return ms__err(MS_E_UNKNOWN_USER, "no mailbox with GUID '%s'", key);
    }
    static const char kinds[] = {'s', 'l', 'd'};
    for (int i = 0; i < 3; i++) {
        if (by != MS_LOOKUP_ANY && by != (ms_lookup_t)(MS_LOOKUP_SMTP + i))
            continue;
        rc = lookup_addr(st, kinds[i], key, &g);
        if (rc == MS_OK)
            return ms_mailbox_open_guid(st, &g, out);
        if (rc != MS_E_UNKNOWN_USER)
            return rc;
    }
    return ms__err(MS_E_UNKNOWN_USER, "unknown mailbox '%s'", key);
}

void ms_mailbox_close(ms_mailbox_t *mbx)
{
    free(mbx);
}

const ms_guid_t *ms_mailbox_guid(const ms_mailbox_t *mbx)
{
    return &mbx->guid;
}

const ms_guid_t *ms_mailbox_replica_guid(const ms_mailbox_t *mbx)
{
    return &mbx->replguid;
}

ms_err_t ms_mailbox_info(ms_mailbox_t *mbx, ms_mailbox_info_t *out)
{
    if (!mbx || !out)
        return ms__err(MS_E_INVALID_PARAM, "mailbox_info: NULL");
    MDB_txn *t;
    int r = mdb_txn_begin(mbx->st->dir, NULL, MDB_RDONLY, &t);
    if (r)
        return ms__mdb(r, "directory");
    ms_err_t rc = dir_get(mbx->st, t, &mbx->guid, out);
    mdb_txn_abort(t);
    if (rc != MS_OK)
        return rc;
    ms_txn_t *txn;
    if ((rc = ms_txn_begin(mbx, MS_TXN_READ, &txn)) != MS_OK)
        return rc;
    ms_mbx_rec_t rec;
    rc = ms__mbx_read(mbx->db, txn->txn, mbx->mbx_id, &rec);
    ms_txn_abort(txn);
    if (rc == MS_OK) {
        out->size = rec.size;
        out->messages = rec.messages;
        out->folders = rec.folders;
        out->quota_warning = rec.quota_warning;
        out->quota_send = rec.quota_send;
        out->quota_receive = rec.quota_receive;
        out->replica_guid = rec.replguid;
    }
    return rc;
}

ms_err_t ms_mailbox_quota_state(ms_txn_t *txn, ms_mailbox_t *mbx, unsigned *state,
                                uint64_t *size)
{
    if (!mbx || !state)
        return ms__err(MS_E_INVALID_PARAM, "quota_state: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    ms_mbx_rec_t rec;
    if (txn->rec_loaded)
        rec = txn->rec;
    else
        rc = ms__mbx_read(txn->db, txn->txn, mbx->mbx_id, &rec);
    if (own)
        ms_txn_abort(txn);
    if (rc != MS_OK)
        return rc;
    *state = 0;
    if (rec.quota_warning && rec.size >= rec.quota_warning)
        *state |= MS_QUOTA_WARNING;
    if (rec.quota_send && rec.size >= rec.quota_send)
        *state |= MS_QUOTA_PROHIBIT_SEND;
    if (rec.quota_receive && rec.size >= rec.quota_receive)
        *state |= MS_QUOTA_PROHIBIT_RECEIVE;
    if (size)
        *size = rec.size;
    return MS_OK;
}
