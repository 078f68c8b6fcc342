/*
 * ms_env.c - store root, LMDB environments and transactions.
 * One environment per mailbox database plus the directory environment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "ms_internal.h"

#define DIR_MAPSIZE ((size_t)1 << 30)

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

static ms_err_t env_open(const char *path, size_t mapsize, unsigned maxdbs, int rdonly,
                         MDB_env **out)
{
    MDB_env *env;
    int rc = mdb_env_create(&env);
    if (rc)
        return ms__mdb(rc, "mdb_env_create");
    mdb_env_set_maxdbs(env, maxdbs);
    mdb_env_set_maxreaders(env, 2048);   /* every thread of every Apache child */
    if (mapsize)
        mdb_env_set_mapsize(env, mapsize);
    rc = mdb_env_open(env, path, MDB_NOTLS | (rdonly ? MDB_RDONLY : 0), 0660);
    if (rc) {
        mdb_env_close(env);
        return ms__mdb(rc, path);
    }
    int dead = 0;
    mdb_reader_check(env, &dead);
    *out = env;
    return MS_OK;
}

ms_err_t ms_store_init(const char *root)
{
    if (!root || !*root)
        return ms__err(MS_E_INVALID_PARAM, "store root not given");
    if (mkdir(root, 0750) && errno != EEXIST)
        return ms__err(MS_E_ACCESS_DENIED, "mkdir %s: %s", root, strerror(errno));
    char *dir = path_join(root, "directory"), *dbd = path_join(root, "db");
    ms_err_t rc = MS_OK;
    if (!dir || !dbd) {
        rc = MS_E_NOMEM;
        goto out;
    }
    if (mkdir(dir, 0750)) {
        rc = errno == EEXIST ? ms__err(MS_E_DUPLICATE_NAME, "%s already holds a store", root)
                             : ms__err(MS_E_ACCESS_DENIED, "mkdir %s: %s", dir, strerror(errno));
        goto out;
    }
    if (mkdir(dbd, 0750) && errno != EEXIST) {
        rc = ms__err(MS_E_ACCESS_DENIED, "mkdir %s: %s", dbd, strerror(errno));
        goto out;
    }
    MDB_env *env;
    rc = env_open(dir, DIR_MAPSIZE, 8, 0, &env);
    if (rc == MS_OK) {
        MDB_txn *t;
        MDB_dbi d;
        int r = mdb_txn_begin(env, NULL, 0, &t);
        if (!r) r = mdb_dbi_open(t, "dbs", MDB_CREATE, &d);
        if (!r) r = mdb_dbi_open(t, "mbx", MDB_CREATE, &d);
        if (!r) r = mdb_dbi_open(t, "addr", MDB_CREATE, &d);
        if (!r)
            r = mdb_txn_commit(t);
        else
            mdb_txn_abort(t);
        rc = ms__mdb(r, "init directory");
        mdb_env_close(env);
    }
out:
    free(dir);
    free(dbd);
    return rc;
}

ms_err_t ms_store_open(const char *root, unsigned flags, ms_store_t **out)
{
    if (!root || !out)
        return ms__err(MS_E_INVALID_PARAM, "store_open: NULL argument");
    *out = NULL;
    ms_store_t *st = ms__xmalloc(sizeof(*st));
    if (!st || !(st->root = strdup(root))) {
        free(st);
        return MS_E_NOMEM;
    }
    st->pid = getpid();
    st->flags = flags;
    pthread_mutex_init(&st->lock, NULL);
    char *dir = path_join(root, "directory");
    struct stat sb;
    ms_err_t rc;
    if (!dir)
        rc = MS_E_NOMEM;
    else if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
        rc = ms__err(MS_E_NOT_FOUND, "%s is not a store root (run init)", root);
    else
        rc = env_open(dir, DIR_MAPSIZE, 8, (flags & MS_OPEN_READONLY) != 0, &st->dir);
    free(dir);
    if (rc == MS_OK) {
        MDB_txn *t;
        int r = mdb_txn_begin(st->dir, NULL, MDB_RDONLY, &t);
        if (!r) r = mdb_dbi_open(t, "dbs", 0, &st->d_dbs);
        if (!r) r = mdb_dbi_open(t, "mbx", 0, &st->d_mbx);
        if (!r) r = mdb_dbi_open(t, "addr", 0, &st->d_addr);
        if (!r)
            r = mdb_txn_commit(t);
        else
            mdb_txn_abort(t);
        rc = ms__mdb(r, "open directory");
    }
    if (rc != MS_OK) {
        ms_store_close(st);
        return rc;
    }
    *out = st;
    return MS_OK;
}

void ms_store_close(ms_store_t *st)
{
    if (!st)
        return;
    /* Never close an environment inherited across fork: only the opener may. */
    int mine = st->pid == getpid();
    for (size_t i = 0; i < st->ndbs; i++) {
        if (mine && st->dbs[i]->env)
            mdb_env_close(st->dbs[i]->env);
        free(st->dbs[i]->path);
        free(st->dbs[i]);
    }
    free(st->dbs);
    if (mine && st->dir)
        mdb_env_close(st->dir);
    pthread_mutex_destroy(&st->lock);
    free(st->root);
    free(st);
}

const char *ms_store_root(const ms_store_t *st)
{
    return st ? st->root : NULL;
}

int ms_store_reader_check(ms_store_t *st)
{
    if (!ms__check_pid(st))
        return 0;
    int total = 0, dead = 0;
    if (st->dir && !mdb_reader_check(st->dir, &dead))
        total += dead;
    pthread_mutex_lock(&st->lock);
    for (size_t i = 0; i < st->ndbs; i++) {
        dead = 0;
        if (st->dbs[i]->env && !mdb_reader_check(st->dbs[i]->env, &dead))
            total += dead;
    }
    pthread_mutex_unlock(&st->lock);
    return total;
}

static int db_dbis(ms_db_t *db, int create)
{
    MDB_txn *t;
    unsigned f = create ? MDB_CREATE : 0;
    int r = mdb_txn_begin(db->env, NULL, create ? 0 : MDB_RDONLY, &t);
    if (r)
        return r;
    if (!r) r = mdb_dbi_open(t, "meta", f, &db->meta);
    if (!r) r = mdb_dbi_open(t, "mbx", f, &db->mbx);
    if (!r) r = mdb_dbi_open(t, "folders", f, &db->folders);
    if (!r) r = mdb_dbi_open(t, "children", f, &db->children);
    if (!r) r = mdb_dbi_open(t, "msgs", f, &db->msgs);
    if (!r) r = mdb_dbi_open(t, "objs", f, &db->objs);
    if (!r) r = mdb_dbi_open(t, "blobs", f, &db->blobs);
    if (!r) r = mdb_dbi_open(t, "cindex", f, &db->cindex);
    if (!r) r = mdb_dbi_open(t, "named", f, &db->named);
    if (r) {
        mdb_txn_abort(t);
        return r;
    }
    return mdb_txn_commit(t);
}

static ms_err_t db_info_get(ms_store_t *st, const char *name, ms_db_info_t *info)
{
    MDB_txn *t;
    int r = mdb_txn_begin(st->dir, NULL, MDB_RDONLY, &t);
    if (r)
        return ms__mdb(r, "directory");
    MDB_val k = {strlen(name), (void *)(uintptr_t)name}, v;
    r = mdb_get(t, st->d_dbs, &k, &v);
    if (!r && v.mv_size == sizeof(*info))
        memcpy(info, v.mv_data, sizeof(*info));
    mdb_txn_abort(t);
    if (r == MDB_NOTFOUND)
        return ms__err(MS_E_NOT_FOUND, "no database named '%s'", name);
    return ms__mdb(r, "directory");
}

static ms_db_t *db_open_locked(ms_store_t *st, const char *name);

/* Open (once per process) the environment of database NAME. */
ms_db_t *ms__db_open(ms_store_t *st, const char *name)
{
    pthread_mutex_lock(&st->lock);
    ms_db_t *db = db_open_locked(st, name);
    pthread_mutex_unlock(&st->lock);
    return db;
}

static ms_db_t *db_open_locked(ms_store_t *st, const char *name)
{
    for (size_t i = 0; i < st->ndbs; i++)
        if (!strcmp(st->dbs[i]->name, name))
            return st->dbs[i];
    ms_db_info_t info;
    if (db_info_get(st, name, &info) != MS_OK)
        return NULL;
    ms_db_t *db = ms__xmalloc(sizeof(*db));
    char *sub = path_join("db", name);
    if (!db || !sub) {
        free(db);
        free(sub);
        return NULL;
    }
    snprintf(db->name, sizeof(db->name), "%s", name);
    db->path = path_join(st->root, sub);
    free(sub);
    ms_db_t **nd = realloc(st->dbs, (st->ndbs + 1) * sizeof(*nd));
    if (!db->path || !nd ||
        env_open(db->path, info.map_size, 16, (st->flags & MS_OPEN_READONLY) != 0, &db->env)) {
        free(db->path);
        free(db);
        if (nd)
            st->dbs = nd;
        return NULL;
    }
    st->dbs = nd;
    int r = db_dbis(db, 0);
    if (r) {
        ms__mdb(r, "open database");
        mdb_env_close(db->env);
        free(db->path);
        free(db);
        return NULL;
    }
    st->dbs[st->ndbs++] = db;
    return db;
}

static int valid_name(const char *n)
{
    if (!n || !*n || strlen(n) >= 64 || n[0] == '.')
        return 0;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
              *n == '-' || *n == '_' || *n == '.'))
            return 0;
    return 1;
}

ms_err_t ms_db_create(ms_store_t *st, const char *name, uint64_t map_size)
{
    if (!ms__check_pid(st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    if (!valid_name(name))
        return ms__err(MS_E_INVALID_PARAM, "database name must be 1-63 of [A-Za-z0-9._-]");
    if (!map_size)
        map_size = MS_DB_DEFAULT_MAPSIZE;
    if (map_size < 65536)
        return ms__err(MS_E_INVALID_PARAM, "map size too small");
    ms_db_info_t info;
    memset(&info, 0, sizeof(info));
    if (db_info_get(st, name, &info) == MS_OK)
        return ms__err(MS_E_DUPLICATE_NAME, "database '%s' exists", name);
    snprintf(info.name, sizeof(info.name), "%s", name);
    info.map_size = map_size;
    ms__random_guid(&info.guid);
    char *sub = path_join("db", name), *path = sub ? path_join(st->root, sub) : NULL;
    free(sub);
    if (!path)
        return MS_E_NOMEM;
    ms_err_t rc = MS_OK;
    if (mkdir(path, 0750) && errno != EEXIST)
        rc = ms__err(MS_E_ACCESS_DENIED, "mkdir %s: %s", path, strerror(errno));
    ms_db_t db;
    memset(&db, 0, sizeof(db));
    if (rc == MS_OK)
        rc = env_open(path, map_size, 16, 0, &db.env);
    free(path);
    if (rc != MS_OK)
        return rc;
    int r = db_dbis(&db, 1);
    if (!r) {
        MDB_txn *t;
        r = mdb_txn_begin(db.env, NULL, 0, &t);
        if (!r) {
            MDB_val k = {4, "guid"}, v = {16, info.guid.b};
            r = mdb_put(t, db.meta, &k, &v, 0);
            r = r ? (mdb_txn_abort(t), r) : mdb_txn_commit(t);
        }
    }
    mdb_env_close(db.env);
    if (r)
        return ms__mdb(r, "create database");
    MDB_txn *t;
    r = mdb_txn_begin(st->dir, NULL, 0, &t);
    if (!r) {
        MDB_val k = {strlen(name), (void *)(uintptr_t)name}, v = {sizeof(info), &info};
        r = mdb_put(t, st->d_dbs, &k, &v, MDB_NOOVERWRITE);
        if (!r)
            r = ms__dir_bump(st, t);
        r = r ? (mdb_txn_abort(t), r) : mdb_txn_commit(t);
    }
    if (r == MDB_KEYEXIST)
        return ms__err(MS_E_DUPLICATE_NAME, "database '%s' exists", name);
    return ms__mdb(r, "directory");
}

ms_err_t ms_db_list(ms_store_t *st, ms_db_info_t **out, size_t *n)
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
    r = mdb_cursor_open(t, st->d_dbs, &c);
    MDB_val k, v;
    size_t cap = 0;
    for (int op = MDB_FIRST; !r && !mdb_cursor_get(c, &k, &v, op); op = MDB_NEXT) {
        if (v.mv_size != sizeof(ms_db_info_t))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            ms_db_info_t *nn = realloc(*out, cap * sizeof(**out));
            if (!nn)
                break;
            *out = nn;
        }
        memcpy(&(*out)[*n], v.mv_data, sizeof(ms_db_info_t));
        (*out)[*n].mailboxes = 0;
        (*n)++;
    }
    if (!r)
        mdb_cursor_close(c);
    mdb_txn_abort(t);
    /* count mailboxes per db from the directory records */
    ms_mailbox_info_t *mb;
    size_t nm;
    if (ms_mailbox_list(st, &mb, &nm) == MS_OK) {
        for (size_t i = 0; i < nm; i++)
            for (size_t j = 0; j < *n; j++)
                if (!strcmp(mb[i].db, (*out)[j].name))
                    (*out)[j].mailboxes++;
        free(mb);
    }
    return MS_OK;
}

/* ---- transactions ---- */
ms_err_t ms_txn_begin(ms_mailbox_t *mbx, unsigned flags, ms_txn_t **out)
{
    if (!mbx || !out)
        return ms__err(MS_E_INVALID_PARAM, "txn_begin: NULL argument");
    if (!ms__check_pid(mbx->st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    ms_txn_t *txn = ms__xmalloc(sizeof(*txn));
    if (!txn)
        return MS_E_NOMEM;
    txn->mbx = mbx;
    txn->db = mbx->db;
    txn->write = (flags & MS_TXN_WRITE) != 0;
    int r = mdb_txn_begin(mbx->db->env, NULL, txn->write ? 0 : MDB_RDONLY, &txn->txn);
    if (r == MDB_READERS_FULL) {   /* stale readers of dead processes: clear, retry */
        int dead;
        mdb_reader_check(mbx->db->env, &dead);
        r = mdb_txn_begin(mbx->db->env, NULL, txn->write ? 0 : MDB_RDONLY, &txn->txn);
    }
    if (r) {
        free(txn);
        return ms__mdb(r, "begin transaction");
    }
    *out = txn;
    return MS_OK;
}

void ms_txn_abort(ms_txn_t *txn)
{
    if (!txn)
        return;
    mdb_txn_abort(txn->txn);
    free(txn);
}

ms_err_t ms_txn_commit(ms_txn_t *txn)
{
    if (!txn)
        return ms__err(MS_E_INVALID_PARAM, "commit: NULL txn");
    ms_err_t rc = txn->err;
    if (rc == MS_OK && txn->write && txn->rec_dirty) {
        txn->rec.change_counter++;
        uint8_t k[4];
        ms__key_mbx(k, txn->mbx->mbx_id);
        MDB_val key = {4, k}, val = {sizeof(txn->rec), &txn->rec};
        rc = ms__mdb(mdb_put(txn->txn, txn->db->mbx, &key, &val, 0), "save mailbox record");
    }
    if (rc != MS_OK) {
        ms_txn_abort(txn);
        return rc;
    }
    int r = mdb_txn_commit(txn->txn);
    free(txn);
    return ms__mdb(r, "commit");
}

ms_err_t ms__txn_fail(ms_txn_t *txn, ms_err_t rc)
{
    if (rc != MS_OK && txn && txn->write && txn->err == MS_OK)
        txn->err = rc;
    return rc;
}

ms_err_t ms__txn_enter(ms_txn_t **txn, ms_mailbox_t *mbx, int write, int *own)
{
    *own = 0;
    if (*txn) {
        if (write && !(*txn)->write)
            return ms__err(MS_E_ACCESS_DENIED, "write needs a write transaction");
        if ((*txn)->mbx->db != mbx->db || (*txn)->mbx->mbx_id != mbx->mbx_id)
            return ms__err(MS_E_INVALID_PARAM, "transaction belongs to another mailbox");
        if ((*txn)->err != MS_OK)
            return (*txn)->err;
        return MS_OK;
    }
    *own = 1;
    return ms_txn_begin(mbx, write ? MS_TXN_WRITE : MS_TXN_READ, txn);
}

ms_err_t ms__txn_leave(ms_txn_t *txn, int own, ms_err_t rc)
{
    if (!own)
        return ms__txn_fail(txn, rc);
    if (rc != MS_OK || !txn->write) {
        ms_txn_abort(txn);
        return rc;
    }
    return ms_txn_commit(txn);
}

ms_err_t ms__mbx_read(ms_db_t *db, MDB_txn *t, uint32_t mbx, ms_mbx_rec_t *rec)
{
    uint8_t k[4];
    ms__key_mbx(k, mbx);
    MDB_val key = {4, k}, v;
    int r = mdb_get(t, db->mbx, &key, &v);
    if (r)
        return r == MDB_NOTFOUND ? ms__err(MS_E_NOT_FOUND, "mailbox %u not in database", mbx)
                                 : ms__mdb(r, "mailbox record");
    if (v.mv_size != sizeof(*rec))
        return ms__err(MS_E_JET, "mailbox record has wrong size");
    memcpy(rec, v.mv_data, sizeof(*rec));
    return MS_OK;
}

ms_err_t ms__mbx_rec(ms_txn_t *txn, ms_mbx_rec_t **rec)
{
    if (!txn->rec_loaded) {
        ms_err_t rc = ms__mbx_read(txn->db, txn->txn, txn->mbx->mbx_id, &txn->rec);
        if (rc != MS_OK)
            return rc;
        txn->rec_loaded = 1;
    }
    if (txn->write)
        txn->rec_dirty = 1;
    *rec = &txn->rec;
    return MS_OK;
}

ms_err_t ms__alloc_globcnt(ms_txn_t *txn, uint64_t *gc)
{
    ms_mbx_rec_t *rec;
    ms_err_t rc = ms__mbx_rec(txn, &rec);
    if (rc != MS_OK)
        return rc;
    if (rec->next_globcnt >= ((uint64_t)1 << 48) - 1)
        return ms__err(MS_E_FAIL, "GLOBCNT space exhausted");
    *gc = rec->next_globcnt++;
    return MS_OK;
}

ms_err_t ms__put(ms_txn_t *txn, MDB_dbi dbi, const void *k, size_t kl, const void *v, size_t vl)
{
    if (!txn->write)
        return ms__err(MS_E_ACCESS_DENIED, "write in a read transaction");
    MDB_val key = {kl, (void *)(uintptr_t)k}, val = {vl, (void *)(uintptr_t)v};
    return ms__txn_fail(txn, ms__mdb(mdb_put(txn->txn, dbi, &key, &val, 0), "put"));
}

ms_err_t ms__del(ms_txn_t *txn, MDB_dbi dbi, const void *k, size_t kl)
{
    MDB_val key = {kl, (void *)(uintptr_t)k};
    int r = mdb_del(txn->txn, dbi, &key, NULL);
    if (r == MDB_NOTFOUND)
        return MS_E_NOT_FOUND;
    return ms__txn_fail(txn, ms__mdb(r, "delete"));
}

ms_err_t ms__get(ms_txn_t *txn, MDB_dbi dbi, const void *k, size_t kl, MDB_val *v)
{
    MDB_val key = {kl, (void *)(uintptr_t)k};
    int r = mdb_get(txn->txn, dbi, &key, v);
    if (r == MDB_NOTFOUND)
        return MS_E_NOT_FOUND;
    return ms__mdb(r, "get");
}

ms_err_t ms_change_counter(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, uint64_t *out)
{
    if (!mbx || !out)
        return ms__err(MS_E_INVALID_PARAM, "change_counter: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    if (!fid) {
        ms_mbx_rec_t r;
        rc = ms__mbx_read(txn->db, txn->txn, mbx->mbx_id, &r);
        if (rc == MS_OK)
            *out = r.change_counter;
    } else {
        ms_folder_rec_t f;
        rc = ms__folder_rec(txn, ms_id_globcnt(fid), &f);
        if (rc == MS_OK)
            *out = f.change_counter;
    }
    if (own)
        ms_txn_abort(txn);
    return rc;
}

/* The directory change counter lives in dbi "dbs" under a key no database
 * name can have. */
static MDB_val dir_counter_key = {8, (void *)"\001counter"};

int ms__dir_bump(ms_store_t *st, MDB_txn *t)
{
    MDB_val v;
    uint64_t c = 0;
    if (!mdb_get(t, st->d_dbs, &dir_counter_key, &v) && v.mv_size == 8)
        memcpy(&c, v.mv_data, 8);
    c++;
    v.mv_size = 8;
    v.mv_data = &c;
    return mdb_put(t, st->d_dbs, &dir_counter_key, &v, 0);
}

ms_err_t ms_directory_counter(ms_store_t *st, uint64_t *out)
{
    if (!out)
        return ms__err(MS_E_INVALID_PARAM, "directory_counter: NULL");
    if (!ms__check_pid(st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    MDB_txn *t;
    int r = mdb_txn_begin(st->dir, NULL, MDB_RDONLY, &t);
    if (r)
        return ms__mdb(r, "directory");
    MDB_val v;
    *out = 0;
    if (!mdb_get(t, st->d_dbs, &dir_counter_key, &v) && v.mv_size == 8)
        memcpy(out, v.mv_data, 8);
    mdb_txn_abort(t);
    return MS_OK;
}
