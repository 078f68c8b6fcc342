/*
 * ms_check.c - consistency check of a store root (every index, counter and
 * reference), hot backup (mdb_env_copy2 + MDB_CP_COMPACT) and restore.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "ms_internal.h"

typedef struct {
    void (*report)(void *, const char *);
    void *ctx;
    unsigned problems;
} chk_t;

static void problem(chk_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(chk_t *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    c->problems++;
    if (c->report && c->problems <= 1000)
        c->report(c->ctx, buf);
}

typedef struct {
    uint64_t fgc, parent;
    uint32_t count, unread, assoc, deleted, children;
    ms_folder_rec_t rec;
} fstat_t;

typedef struct { uint64_t *v; size_t n, cap; } u64set_t;

static int set_add(u64set_t *s, uint64_t x)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 256;
        uint64_t *nv = realloc(s->v, nc * sizeof(uint64_t));
        if (!nv)
            return -1;
        s->v = nv;
        s->cap = nc;
    }
    s->v[s->n++] = x;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int set_has(const u64set_t *s, uint64_t x)
{
    return s->n && bsearch(&x, s->v, s->n, sizeof(uint64_t), cmp_u64) != NULL;
}

static void set_sort(u64set_t *s)
{
    if (s->n)
        qsort(s->v, s->n, sizeof(uint64_t), cmp_u64);
}

typedef struct {
    chk_t *c;
    uint32_t mbx;
    u64set_t *blobs;      /* blob ids referenced */
    uint64_t next_blob;
} blobctx_t;

static void blob_ref(void *x, uint64_t id, uint64_t len)
{
    blobctx_t *b = x;
    if (id > b->next_blob)
        problem(b->c, "mailbox %u: blob %llu beyond the blob counter", b->mbx, (unsigned long long)id);
    if (set_add(b->blobs, id))
        problem(b->c, "out of memory");
}

static fstat_t *find_f(fstat_t *f, size_t n, uint64_t gc)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].fgc == gc)
            return &f[i];
    return NULL;
}

/* Iterate the keys of dbi with the 4-byte mailbox prefix. */
#define FOR_PREFIX(cur, k, v, pre)                                                             \
    for (int g_ = mdb_cursor_get(cur, &(k), &(v), MDB_SET_RANGE);                              \
         !g_ && (k).mv_size >= 4 && !memcmp((k).mv_data, pre, 4);                              \
         g_ = mdb_cursor_get(cur, &(k), &(v), MDB_NEXT))

static void check_mailbox(chk_t *c, ms_store_t *st, ms_db_t *db, MDB_txn *t, uint32_t mbx,
                          const ms_mbx_rec_t *rec)
{
    uint8_t pre[4];
    ms__key_mbx(pre, mbx);
    MDB_cursor *cur;
    MDB_val k, v;
    fstat_t *fs = NULL;
    size_t nf = 0, cap = 0;
    /* mailbox in the directory? */
    MDB_txn *dt;
    if (!mdb_txn_begin(st->dir, NULL, MDB_RDONLY, &dt)) {
        MDB_val gk = {16, (void *)(uintptr_t)rec->guid.b}, gv;
        if (mdb_get(dt, st->d_mbx, &gk, &gv) || gv.mv_size != sizeof(ms_mailbox_info_t))
            problem(c, "db %s mailbox %u: not in the directory (orphan)", db->name, mbx);
        else {
            const ms_mailbox_info_t *mi = gv.mv_data;
            if (mi->mbx_id != mbx || strcmp(mi->db, db->name))
                problem(c, "db %s mailbox %u: directory points elsewhere", db->name, mbx);
        }
        mdb_txn_abort(dt);
    }
    /* folders */
    mdb_cursor_open(t, db->folders, &cur);
    k.mv_size = 4;
    k.mv_data = pre;
    FOR_PREFIX(cur, k, v, pre) {
        if (k.mv_size != 10 || v.mv_size != sizeof(ms_folder_rec_t)) {
            problem(c, "mailbox %u: malformed folder record", mbx);
            continue;
        }
        if (nf == cap) {
            cap = cap ? cap * 2 : 64;
            fstat_t *n = realloc(fs, cap * sizeof(*fs));
            if (!n)
                break;
            fs = n;
        }
        memset(&fs[nf], 0, sizeof(fs[nf]));
        fs[nf].fgc = ms__get_be((const uint8_t *)k.mv_data + 4, 6);
        memcpy(&fs[nf].rec, v.mv_data, sizeof(ms_folder_rec_t));
        nf++;
    }
    mdb_cursor_close(cur);
    if (nf != rec->folders)
        problem(c, "mailbox %u: folder counter %u, %zu folders", mbx, rec->folders, nf);
    for (size_t i = 0; i < nf; i++) {
        if (fs[i].fgc >= rec->next_globcnt || fs[i].rec.cn >= rec->next_globcnt)
            problem(c, "mailbox %u: folder %llu id or change number beyond GLOBCNT", mbx,
                    (unsigned long long)fs[i].fgc);
        if (fs[i].rec.parent && !find_f(fs, nf, fs[i].rec.parent))
            problem(c, "mailbox %u: folder %llu has a missing parent", mbx, (unsigned long long)fs[i].fgc);
        if (!fs[i].rec.parent && fs[i].fgc != 1)
            problem(c, "mailbox %u: folder %llu has no parent", mbx, (unsigned long long)fs[i].fgc);
        uint8_t ok[MS_OBJKEY_LEN];
        MDB_val okv = {ms__objkey(ok, mbx, MS_OBJ_FOLDER, fs[i].fgc, 0), ok}, ov;
        if (mdb_get(t, db->objs, &okv, &ov))
            problem(c, "mailbox %u: folder %llu has no property record", mbx, (unsigned long long)fs[i].fgc);
    }
    for (int s = 0; s < MS_FOLDER_SPECIAL_COUNT; s++)
        if (!find_f(fs, nf, (uint64_t)s + 1))
            problem(c, "mailbox %u: special folder '%s' missing", mbx, ms_special_folder_name(s));
    /* hierarchy links */
    mdb_cursor_open(t, db->children, &cur);
    k.mv_size = 4;
    k.mv_data = pre;
    FOR_PREFIX(cur, k, v, pre) {
        uint64_t p = ms__get_be((const uint8_t *)k.mv_data + 4, 6);
        uint64_t ch = k.mv_size == 16 ? ms__get_be((const uint8_t *)k.mv_data + 10, 6) : 0;
        fstat_t *pf = find_f(fs, nf, p), *cf = find_f(fs, nf, ch);
        if (!pf || !cf || cf->rec.parent != p)
            problem(c, "mailbox %u: bad hierarchy link %llu -> %llu", mbx, (unsigned long long)p,
                    (unsigned long long)ch);
        else
            pf->children++;
    }
    mdb_cursor_close(cur);
    /* messages */
    uint64_t size = 0, nmsg = 0, indexed = 0;
    u64set_t embedded = {0}, msgs = {0}, blobs = {0};
    mdb_cursor_open(t, db->msgs, &cur);
    k.mv_size = 4;
    k.mv_data = pre;
    FOR_PREFIX(cur, k, v, pre) {
        if (k.mv_size != 10 || v.mv_size != sizeof(ms_msg_rec_t)) {
            problem(c, "mailbox %u: malformed message record", mbx);
            continue;
        }
        uint64_t mgc = ms__get_be((const uint8_t *)k.mv_data + 4, 6);
        ms_msg_rec_t m;
        memcpy(&m, v.mv_data, sizeof(m));
        set_add(&msgs, mgc);
        if (mgc >= rec->next_globcnt || m.cn >= rec->next_globcnt)
            problem(c, "mailbox %u: message %llu id or change number beyond GLOBCNT", mbx, (unsigned long long)mgc);
        uint8_t ok[MS_OBJKEY_LEN];
        MDB_val okv = {ms__objkey(ok, mbx, MS_OBJ_MESSAGE, mgc, 0), ok}, ov;
        if (mdb_get(t, db->objs, &okv, &ov))
            problem(c, "mailbox %u: message %llu has no property record", mbx, (unsigned long long)mgc);
        if (m.state == MS_MSTATE_EMBEDDED) {
            set_add(&embedded, mgc);
            continue;
        }
        if (m.state != MS_MSTATE_NORMAL && m.state != MS_MSTATE_DELETED) {
            problem(c, "mailbox %u: message %llu has bad state %u", mbx, (unsigned long long)mgc, m.state);
            continue;
        }
        nmsg++;
        size += m.size;
        fstat_t *f = find_f(fs, nf, m.fid);
        if (!f) {
            problem(c, "mailbox %u: message %llu in missing folder %llu", mbx, (unsigned long long)mgc,
                    (unsigned long long)m.fid);
            continue;
        }
        if (m.state == MS_MSTATE_DELETED)
            f->deleted++;
        else if (m.assoc)
            f->assoc++;
        else {
            f->count++;
            if (!(m.flags & MS_MSGFLAG_READ))
                f->unread++;
        }
        for (int kind = 0; kind < MS_IDX_COUNT; kind++) {
            uint8_t ik[128];
            MDB_val ikv = {ms__idx_key(mbx, m.fid, ms__msg_view(&m), kind, &m, mgc, ik), ik}, iv;
            if (mdb_get(t, db->cindex, &ikv, &iv))
                problem(c, "mailbox %u: message %llu missing from index %d", mbx, (unsigned long long)mgc, kind);
            else
                indexed++;
        }
    }
    mdb_cursor_close(cur);
    set_sort(&msgs);
    /* index entries must all point at live messages (counted above) */
    uint64_t entries = 0;
    mdb_cursor_open(t, db->cindex, &cur);
    k.mv_size = 4;
    k.mv_data = pre;
    FOR_PREFIX(cur, k, v, pre) {
        entries++;
        uint64_t mgc = ms__get_be((const uint8_t *)k.mv_data + k.mv_size - 6, 6);
        if (!set_has(&msgs, mgc))
            problem(c, "mailbox %u: index entry for missing message %llu", mbx, (unsigned long long)mgc);
    }
    mdb_cursor_close(cur);
    if (entries != indexed)
        problem(c, "mailbox %u: %llu index entries, %llu expected", mbx, (unsigned long long)entries,
                (unsigned long long)indexed);
    for (size_t i = 0; i < nf; i++) {
        const fstat_t *f = &fs[i];
        if (f->count != f->rec.count || f->unread != f->rec.unread || f->assoc != f->rec.assoc ||
            f->deleted != f->rec.deleted || f->children != f->rec.children)
            problem(c, "mailbox %u: folder %llu counters %u/%u/%u/%u/%u, actual %u/%u/%u/%u/%u", mbx,
                    (unsigned long long)f->fgc, f->rec.count, f->rec.unread, f->rec.assoc,
                    f->rec.deleted, f->rec.children, f->count, f->unread, f->assoc, f->deleted,
                    f->children);
    }
    if (size != rec->size || nmsg != rec->messages)
        problem(c, "mailbox %u: size/messages %llu/%u, actual %llu/%llu", mbx,
                (unsigned long long)rec->size, rec->messages, (unsigned long long)size,
                (unsigned long long)nmsg);
    /* objects: owners exist, embedded references, blob references */
    blobctx_t bc = {c, mbx, &blobs, rec->next_blob};
    u64set_t embref = {0};
    mdb_cursor_open(t, db->objs, &cur);
    k.mv_size = 4;
    k.mv_data = pre;
    FOR_PREFIX(cur, k, v, pre) {
        if (k.mv_size != MS_OBJKEY_LEN) {
            problem(c, "mailbox %u: malformed object key", mbx);
            continue;
        }
        char kind = (char)((const uint8_t *)k.mv_data)[4];
        uint64_t gc = ms__get_be((const uint8_t *)k.mv_data + 5, 6);
        if (kind == MS_OBJ_FOLDER ? !find_f(fs, nf, gc) : !set_has(&msgs, gc))
            problem(c, "mailbox %u: object '%c' %llu has no owner", mbx, kind, (unsigned long long)gc);
        if (kind == MS_OBJ_EMBED) {
            uint64_t egc = 0;
            if (v.mv_size == 8)
                memcpy(&egc, v.mv_data, 8);
            set_add(&embref, egc);
            continue;
        }
        if (ms__obj_blobs(v.mv_data, v.mv_size, blob_ref, &bc) != MS_OK)
            problem(c, "mailbox %u: object '%c' %llu: %s", mbx, kind, (unsigned long long)gc, ms_last_error());
    }
    mdb_cursor_close(cur);
    set_sort(&embref);
    for (size_t i = 0; i < embedded.n; i++)
        if (!set_has(&embref, embedded.v[i]))
            problem(c, "mailbox %u: embedded message %llu not referenced", mbx, (unsigned long long)embedded.v[i]);
    set_sort(&embedded);
    for (size_t i = 0; i < embref.n; i++)
        if (!set_has(&embedded, embref.v[i]))
            problem(c, "mailbox %u: attachment references missing embedded message %llu", mbx,
                    (unsigned long long)embref.v[i]);
    set_sort(&blobs);
    for (size_t i = 1; i < blobs.n; i++)
        if (blobs.v[i] == blobs.v[i - 1])
            problem(c, "mailbox %u: blob %llu referenced twice", mbx, (unsigned long long)blobs.v[i]);
    u64set_t seen = {0};
    mdb_cursor_open(t, db->blobs, &cur);
    k.mv_size = 4;
    k.mv_data = pre;
    FOR_PREFIX(cur, k, v, pre) {
        uint64_t id = k.mv_size == 16 ? ms__get_be((const uint8_t *)k.mv_data + 4, 8) : 0;
        if (!set_has(&blobs, id))
            problem(c, "mailbox %u: orphan blob chunk %llu", mbx, (unsigned long long)id);
        else if (!seen.n || seen.v[seen.n - 1] != id)
            set_add(&seen, id);
    }
    mdb_cursor_close(cur);
    if (seen.n != blobs.n)
        problem(c, "mailbox %u: %zu blobs referenced, %zu stored", mbx, blobs.n, seen.n);
    /* named properties: both directions agree */
    mdb_cursor_open(t, db->named, &cur);
    k.mv_size = 4;
    k.mv_data = pre;
    size_t nn = 0, ni = 0;
    FOR_PREFIX(cur, k, v, pre) {
        const uint8_t *kb = k.mv_data;
        if (k.mv_size > 4 && kb[4] == 'N' && v.mv_size == 2) {
            nn++;
            uint16_t id;
            memcpy(&id, v.mv_data, 2);
            uint8_t ik[7];
            memcpy(ik, pre, 4);
            ik[4] = 'I';
            ms__put_be(ik + 5, id, 2);
            MDB_val ikv = {7, ik}, iv;
            if (id < 0x8001 || id >= rec->next_named || mdb_get(t, db->named, &ikv, &iv))
                problem(c, "mailbox %u: named property 0x%04x has no reverse entry", mbx, id);
        } else if (k.mv_size == 7 && kb[4] == 'I') {
            ni++;
        } else if (k.mv_size >= 5 && kb[4] == 'C' && v.mv_size == 8) {
            uint64_t fg;
            memcpy(&fg, v.mv_data, 8);
            if (!find_f(fs, nf, fg))
                problem(c, "mailbox %u: receive folder entry points to missing folder %llu", mbx,
                        (unsigned long long)fg);
        } else {
            problem(c, "mailbox %u: malformed named-property entry", mbx);
        }
    }
    mdb_cursor_close(cur);
    if (nn != ni)
        problem(c, "mailbox %u: %zu named-property names, %zu ids", mbx, nn, ni);
    free(fs);
    free(embedded.v);
    free(msgs.v);
    free(blobs.v);
    free(embref.v);
    free(seen.v);
}

static void check_db(chk_t *c, ms_store_t *st, ms_db_t *db)
{
    MDB_txn *t;
    int r = mdb_txn_begin(db->env, NULL, MDB_RDONLY, &t);
    if (r) {
        problem(c, "db %s: %s", db->name, mdb_strerror(r));
        return;
    }
    MDB_cursor *cur;
    MDB_val k, v;
    mdb_cursor_open(t, db->mbx, &cur);
    for (int g = mdb_cursor_get(cur, &k, &v, MDB_FIRST); !g; g = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 4 || v.mv_size != sizeof(ms_mbx_rec_t)) {
            problem(c, "db %s: malformed mailbox record", db->name);
            continue;
        }
        ms_mbx_rec_t rec;
        memcpy(&rec, v.mv_data, sizeof(rec));
        check_mailbox(c, st, db, t, (uint32_t)ms__get_be(k.mv_data, 4), &rec);
    }
    mdb_cursor_close(cur);
    mdb_txn_abort(t);
}

static void check_directory(chk_t *c, ms_store_t *st)
{
    ms_mailbox_info_t *mb;
    size_t n;
    if (ms_mailbox_list(st, &mb, &n) != MS_OK) {
        problem(c, "directory: %s", ms_last_error());
        return;
    }
    for (size_t i = 0; i < n; i++) {
        ms_mailbox_t *m;
        if (ms_mailbox_open_guid(st, &mb[i].guid, &m) != MS_OK) {
            problem(c, "directory: mailbox %s: %s", mb[i].smtp[0], ms_last_error());
            continue;
        }
        ms_txn_t *txn;
        if (ms_txn_begin(m, MS_TXN_READ, &txn) == MS_OK) {
            ms_mbx_rec_t rec;
            if (ms__mbx_read(m->db, txn->txn, m->mbx_id, &rec) != MS_OK ||
                memcmp(rec.guid.b, mb[i].guid.b, 16))
                problem(c, "directory: mailbox %s missing from database %s", mb[i].smtp[0], mb[i].db);
            ms_txn_abort(txn);
        }
        ms_mailbox_close(m);
        struct { ms_lookup_t by; const char *key; } keys[MS_MAX_SMTP + 2];
        size_t nk = 0;
        for (unsigned s = 0; s < mb[i].nsmtp && s < MS_MAX_SMTP; s++)
            keys[nk].by = MS_LOOKUP_SMTP, keys[nk++].key = mb[i].smtp[s];
        if (mb[i].login[0])
            keys[nk].by = MS_LOOKUP_LOGIN, keys[nk++].key = mb[i].login;
        keys[nk].by = MS_LOOKUP_LEGACYDN, keys[nk++].key = mb[i].legacy_dn;
        for (size_t j = 0; j < nk; j++) {
            if (ms_mailbox_open(st, keys[j].by, keys[j].key, &m) != MS_OK) {
                problem(c, "directory: '%s' does not resolve", keys[j].key);
                continue;
            }
            if (memcmp(m->guid.b, mb[i].guid.b, 16))
                problem(c, "directory: '%s' resolves to another mailbox", keys[j].key);
            ms_mailbox_close(m);
        }
    }
    free(mb);
}

ms_err_t ms_store_check(ms_store_t *st, void (*report)(void *, const char *), void *ctx,
                        unsigned *problems)
{
    if (!ms__check_pid(st))
        return ms__err(MS_E_NOT_INITIALIZED, "store handle used across fork");
    chk_t c = {report, ctx, 0};
    check_directory(&c, st);
    ms_db_info_t *dbs;
    size_t n;
    ms_err_t rc = ms_db_list(st, &dbs, &n);
    if (rc != MS_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        ms_db_t *db = ms__db_open(st, dbs[i].name);
        if (!db)
            problem(&c, "db %s: cannot open: %s", dbs[i].name, ms_last_error());
        else
            check_db(&c, st, db);
    }
    free(dbs);
    if (problems)
        *problems = c.problems;
    return MS_OK;
}

/* ---- backup / restore ---- */
static char *join3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + (c ? strlen(c) : 0) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, c ? "%s/%s/%s" : "%s/%s", a, b, c ? c : "");
    return p;
}

static ms_err_t copy_env(MDB_env *env, const char *dir)
{
    if (mkdir(dir, 0750))
        return ms__err(MS_E_ACCESS_DENIED, "mkdir %s: %s", dir, strerror(errno));
    int r = mdb_env_copy2(env, dir, MDB_CP_COMPACT);
    return r ? ms__mdb(r, "mdb_env_copy2") : MS_OK;
}

ms_err_t ms_store_backup(ms_store_t *st, const char *dest)
{
    if (!ms__check_pid(st) || !dest)
        return ms__err(MS_E_INVALID_PARAM, "backup: bad argument");
    if (mkdir(dest, 0750))
        return ms__err(errno == EEXIST ? MS_E_DUPLICATE_NAME : MS_E_ACCESS_DENIED, "mkdir %s: %s",
                       dest, strerror(errno));
    char *p = join3(dest, "directory", NULL), *q = join3(dest, "db", NULL);
    ms_err_t rc = p && q ? MS_OK : MS_E_NOMEM;
    if (rc == MS_OK)
        rc = copy_env(st->dir, p);
    if (rc == MS_OK && mkdir(q, 0750))
        rc = ms__err(MS_E_ACCESS_DENIED, "mkdir %s: %s", q, strerror(errno));
    free(p);
    free(q);
    ms_db_info_t *dbs = NULL;
    size_t n = 0;
    if (rc == MS_OK)
        rc = ms_db_list(st, &dbs, &n);
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        ms_db_t *db = ms__db_open(st, dbs[i].name);
        char *d = join3(dest, "db", dbs[i].name);
        if (!db)
            rc = ms__err(MS_E_JET, "cannot open database %s", dbs[i].name);
        else if (!d)
            rc = MS_E_NOMEM;
        else
            rc = copy_env(db->env, d);
        free(d);
    }
    free(dbs);
    return rc;
}

static ms_err_t copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return ms__err(MS_E_NOT_FOUND, "%s: %s", from, strerror(errno));
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (out < 0) {
        close(in);
        return ms__err(MS_E_ACCESS_DENIED, "%s: %s", to, strerror(errno));
    }
    char buf[65536];
    ssize_t r;
    ms_err_t rc = MS_OK;
    while ((r = read(in, buf, sizeof(buf))) > 0)
        if (write(out, buf, (size_t)r) != r) {
            rc = ms__err(MS_E_FAIL, "%s: %s", to, strerror(errno));
            break;
        }
    if (r < 0)
        rc = ms__err(MS_E_FAIL, "%s: %s", from, strerror(errno));
    if (rc == MS_OK && fsync(out))
        rc = ms__err(MS_E_FAIL, "fsync %s: %s", to, strerror(errno));
    close(in);
    close(out);
    return rc;
}

static ms_err_t restore_env(const char *bdir, const char *rdir)
{
    char *from = join3(bdir, "data.mdb", NULL), *to = join3(rdir, "data.mdb", NULL);
    ms_err_t rc = from && to ? MS_OK : MS_E_NOMEM;
    if (rc == MS_OK && mkdir(rdir, 0750) && errno != EEXIST)
        rc = ms__err(MS_E_ACCESS_DENIED, "mkdir %s: %s", rdir, strerror(errno));
    if (rc == MS_OK)
        rc = copy_file(from, to);
    free(from);
    free(to);
    return rc;
}

ms_err_t ms_store_restore(const char *backup, const char *root)
{
    if (!backup || !root)
        return ms__err(MS_E_INVALID_PARAM, "restore: bad argument");
    struct stat sb;
    char *bd = join3(backup, "directory", NULL), *rd = join3(root, "directory", NULL);
    ms_err_t rc = bd && rd ? MS_OK : MS_E_NOMEM;
    if (rc == MS_OK && stat(bd, &sb))
        rc = ms__err(MS_E_NOT_FOUND, "%s is not a backup (no directory/)", backup);
    if (rc == MS_OK && !stat(rd, &sb))
        rc = ms__err(MS_E_DUPLICATE_NAME, "%s already holds a store", root);
    if (rc == MS_OK && mkdir(root, 0750) && errno != EEXIST)
        rc = ms__err(MS_E_ACCESS_DENIED, "mkdir %s: %s", root, strerror(errno));
    if (rc == MS_OK)
        rc = restore_env(bd, rd);
    free(bd);
    free(rd);
    /* databases: read the list from the restored directory */
    ms_store_t *st = NULL;
    if (rc == MS_OK) {
        char *dbroot = join3(root, "db", NULL);
        if (!dbroot || (mkdir(dbroot, 0750) && errno != EEXIST))
            rc = ms__err(MS_E_ACCESS_DENIED, "cannot create %s/db", root);
        free(dbroot);
    }
    if (rc == MS_OK)
        rc = ms_store_open(root, 0, &st);
    ms_db_info_t *dbs = NULL;
    size_t n = 0;
    if (rc == MS_OK)
        rc = ms_db_list(st, &dbs, &n);
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        char *from = join3(backup, "db", dbs[i].name), *to = join3(root, "db", dbs[i].name);
        rc = from && to ? restore_env(from, to) : MS_E_NOMEM;
        free(from);
        free(to);
    }
    free(dbs);
    ms_store_close(st);
    return rc;
}
