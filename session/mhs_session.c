/*
 * mhs_session.c - the shared session-context table (see mhs_session.h).
 *
 * Keys: sessions/state by the 16-byte random id; by_user and by_mailbox are
 * DUPSORT indexes (name -> id). Every change is one LMDB write transaction;
 * LMDB serialises writers across processes with its own robust mutex.
 */
#include "mhs_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SWEEP_EVERY_MS 60000u
/* A request that holds its context longer than this is presumed dead. */
#define LOCK_STALE_MS (30u * 60u * 1000u)

uint64_t mhs_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const char *mhs_strerror(mhs_rc_t rc)
{
    switch (rc) {
    case MHS_OK: return "ok";
    case MHS_NOT_FOUND: return "session context not found or expired";
    case MHS_NO_PRIVILEGE: return "session context belongs to another user";
    case MHS_BAD_SEQUENCE: return "stale or replayed sequence cookie";
    case MHS_BUSY: return "another request of this session context is in progress";
    case MHS_USER_LIMIT: return "the user has the most session contexts allowed";
    case MHS_FULL: return "the session table is full";
    case MHS_TOO_BIG: return "session object state over its budget";
    case MHS_SYSTEM: return "session table I/O error";
    }
    return "unknown";
}

const char *mhs_last_error(const mhs_table_t *t) { return t->err; }

static mhs_rc_t sys_fail(mhs_table_t *t, const char *what, int rc)
{
    snprintf(t->err, sizeof(t->err), "%s: %s", what, rc > 0 ? strerror(rc) : mdb_strerror(rc));
    return rc == MDB_MAP_FULL ? MHS_FULL : MHS_SYSTEM;
}

static int random_bytes(uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

void mhs_id_to_hex(const uint8_t id[MHS_ID_LEN], char out[2 * MHS_ID_LEN + 1])
{
    static const char hx[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < MHS_ID_LEN; i++) {
        out[2 * i] = hx[id[i] >> 4];
        out[2 * i + 1] = hx[id[i] & 15];
    }
    out[2 * MHS_ID_LEN] = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int mhs_id_from_hex(const char *hex, uint8_t id[MHS_ID_LEN])
{
    size_t i;
    if (!hex || strlen(hex) != 2 * MHS_ID_LEN)
        return -1;
    for (i = 0; i < MHS_ID_LEN; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        id[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

mhs_rc_t mhs_open(const char *dir, const mhs_limits_t *limits, mhs_table_t **out, char *err, size_t errlen)
{
    mhs_table_t *t = calloc(1, sizeof(*t));
    MDB_txn *txn = NULL;
    int rc;
    size_t map;

    *out = NULL;
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return MHS_SYSTEM;
    }
    t->limits = *limits;
    map = limits->map_size;
    if (!map) /* room for every session at its full state budget, plus indexes */
        map = (limits->max_sessions + 64) * (limits->state_budget + 4096);
    if (map < (size_t)64 << 20)
        map = (size_t)64 << 20;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
        free(t);
        return MHS_SYSTEM;
    }
    if ((rc = mdb_env_create(&t->env)) || (rc = mdb_env_set_maxdbs(t->env, 8)) ||
        (rc = mdb_env_set_mapsize(t->env, map)) || (rc = mdb_env_set_maxreaders(t->env, 1024)) ||
        (rc = mdb_env_open(t->env, dir, MDB_NOSYNC | MDB_NOMETASYNC | MDB_NOTLS, 0600))) {
        snprintf(err, errlen, "session table %s: %s", dir, mdb_strerror(rc));
        goto fail;
    }
    {
        int dead = 0;
        mdb_reader_check(t->env, &dead); /* readers left by crashed processes */
    }
    if ((rc = mdb_txn_begin(t->env, NULL, 0, &txn)) ||
        (rc = mdb_dbi_open(txn, "sessions", MDB_CREATE, &t->sessions)) ||
        (rc = mdb_dbi_open(txn, "state", MDB_CREATE, &t->state)) ||
        (rc = mdb_dbi_open(txn, "by_user", MDB_CREATE | MDB_DUPSORT, &t->by_user)) ||
        (rc = mdb_dbi_open(txn, "by_mailbox", MDB_CREATE | MDB_DUPSORT, &t->by_mailbox)) ||
        (rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &t->meta)) || (rc = mdb_txn_commit(txn))) {
        txn = NULL;
        snprintf(err, errlen, "session table %s: %s", dir, mdb_strerror(rc));
        goto fail;
    }
    if (mhs_events_open(t, dir) != 0 || mhs_counters_open(t, dir) != 0) {
        snprintf(err, errlen, "session events file in %s: %s", dir, strerror(errno));
        goto fail;
    }
    *out = t;
    return MHS_OK;
fail:
    if (txn)
        mdb_txn_abort(txn);
    if (t->env)
        mdb_env_close(t->env);
    free(t);
    return MHS_SYSTEM;
}

void mhs_close(mhs_table_t *t)
{
    if (!t)
        return;
    mhs_events_close(t);
    mdb_env_close(t->env);
    free(t);
}

static MDB_val val_of(const void *p, size_t n)
{
    MDB_val v;
    v.mv_data = (void *)p;
    v.mv_size = n;
    return v;
}

/* Reads the record of id into rec; MHS_NOT_FOUND if absent. */
static mhs_rc_t get_record(mhs_table_t *t, MDB_txn *txn, const uint8_t *id, mhs_record_t *rec)
{
    MDB_val k = val_of(id, MHS_ID_LEN), v;
    int rc = mdb_get(txn, t->sessions, &k, &v);
    if (rc == MDB_NOTFOUND)
        return MHS_NOT_FOUND;
    if (rc)
        return sys_fail(t, "read session", rc);
    if (v.mv_size != sizeof(*rec))
        return MHS_NOT_FOUND; /* a record of another layout: treat as gone */
    memcpy(rec, v.mv_data, sizeof(*rec));
    return MHS_OK;
}

static mhs_rc_t put_record(mhs_table_t *t, MDB_txn *txn, const mhs_record_t *rec)
{
    MDB_val k = val_of(rec->id, MHS_ID_LEN), v = val_of(rec, sizeof(*rec));
    int rc = mdb_put(txn, t->sessions, &k, &v, 0);
    return rc ? sys_fail(t, "write session", rc) : MHS_OK;
}

static void delete_session(mhs_table_t *t, MDB_txn *txn, const mhs_record_t *rec)
{
    MDB_val k = val_of(rec->id, MHS_ID_LEN), u = val_of(rec->user, strlen(rec->user) + 1),
            m = val_of(rec->mailbox, strlen(rec->mailbox) + 1), idv = val_of(rec->id, MHS_ID_LEN);
    mdb_del(txn, t->sessions, &k, NULL);
    mdb_del(txn, t->state, &k, NULL);
    mdb_del(txn, t->by_user, &u, &idv);
    mdb_del(txn, t->by_mailbox, &m, &idv);
}

static int expired(const mhs_table_t *t, const mhs_record_t *rec, uint64_t now)
{
    return t->limits.idle_timeout_ms && now > rec->last_used_ms &&
           now - rec->last_used_ms > t->limits.idle_timeout_ms && rec->busy_pid == 0;
}

static size_t user_count_txn(mhs_table_t *t, MDB_txn *txn, const char *user)
{
    MDB_cursor *c;
    MDB_val k = val_of(user, strlen(user) + 1), v;
    size_t n = 0;
    if (mdb_cursor_open(txn, t->by_user, &c))
        return 0;
    if (mdb_cursor_get(c, &k, &v, MDB_SET) == 0)
        mdb_cursor_count(c, &n);
    mdb_cursor_close(c);
    return (size_t)n;
}

size_t mhs_user_count(mhs_table_t *t, const char *user)
{
    MDB_txn *txn;
    size_t n;
    if (mdb_txn_begin(t->env, NULL, MDB_RDONLY, &txn))
        return 0;
    n = user_count_txn(t, txn, user);
    mdb_txn_abort(txn);
    return n;
}

static size_t sweep_txn(mhs_table_t *t, MDB_txn *txn, uint64_t now)
{
    MDB_cursor *c;
    MDB_val k, v;
    size_t n = 0;
    int rc;
    if (mdb_cursor_open(txn, t->sessions, &c))
        return 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        mhs_record_t rec;
        if (v.mv_size != sizeof(rec))
            continue;
        memcpy(&rec, v.mv_data, sizeof(rec));
        if (expired(t, &rec, now)) {
            MDB_val u = val_of(rec.user, strlen(rec.user) + 1), m = val_of(rec.mailbox, strlen(rec.mailbox) + 1),
                    idv = val_of(rec.id, MHS_ID_LEN);
            mdb_del(txn, t->state, &k, NULL);
            mdb_del(txn, t->by_user, &u, &idv);
            mdb_del(txn, t->by_mailbox, &m, &idv);
            mdb_cursor_del(c, 0);
            n++;
        }
    }
    mdb_cursor_close(c);
    return n;
}

size_t mhs_sweep(mhs_table_t *t, uint64_t now_ms)
{
    MDB_txn *txn;
    size_t n;
    if (mdb_txn_begin(t->env, NULL, 0, &txn))
        return 0;
    n = sweep_txn(t, txn, now_ms);
    if (mdb_txn_commit(txn))
        return 0;
    return n;
}

/* Sweeps if the last sweep (by any process) is over a minute old. */
static void maybe_sweep(mhs_table_t *t, MDB_txn *txn, uint64_t now)
{
    MDB_val k = val_of("last_sweep", 10), v;
    uint64_t last = 0;
    if (mdb_get(txn, t->meta, &k, &v) == 0 && v.mv_size == sizeof(last))
        memcpy(&last, v.mv_data, sizeof(last));
    if (now - last < SWEEP_EVERY_MS && last <= now)
        return;
    sweep_txn(t, txn, now);
    v = val_of(&now, sizeof(now));
    mdb_put(txn, t->meta, &k, &v, 0);
}

mhs_rc_t mhs_create(mhs_table_t *t, mhs_kind_t kind, const char *user, const char *mailbox,
                    uint32_t codepage, uint64_t now_ms, mhs_record_t *rec)
{
    MDB_txn *txn;
    MDB_stat st;
    MDB_val u, m, idv;
    mhs_rc_t r;
    int rc;

    if (!user || !*user || strlen(user) > MHS_USER_MAX || (mailbox && strlen(mailbox) > MHS_MAILBOX_MAX))
        return MHS_NO_PRIVILEGE;
    memset(rec, 0, sizeof(*rec));
    if (random_bytes(rec->id, MHS_ID_LEN) || random_bytes(rec->seq, MHS_ID_LEN))
        return sys_fail(t, "getrandom", errno);
    rec->kind = kind;
    rec->codepage = codepage;
    rec->created_ms = rec->last_used_ms = now_ms;
    strcpy(rec->user, user);
    strcpy(rec->mailbox, mailbox ? mailbox : "");

    if ((rc = mdb_txn_begin(t->env, NULL, 0, &txn)))
        return sys_fail(t, "begin", rc);
    maybe_sweep(t, txn, now_ms);
    mdb_stat(txn, t->sessions, &st);
    if (t->limits.max_sessions && st.ms_entries >= t->limits.max_sessions) {
        mdb_txn_abort(txn);
        return MHS_FULL;
    }
    if (t->limits.per_user && user_count_txn(t, txn, user) >= t->limits.per_user) {
        mdb_txn_abort(txn);
        return MHS_USER_LIMIT;
    }
    u = val_of(rec->user, strlen(rec->user) + 1);
    m = val_of(rec->mailbox, strlen(rec->mailbox) + 1);
    idv = val_of(rec->id, MHS_ID_LEN);
    if ((r = put_record(t, txn, rec)) != MHS_OK) {
        mdb_txn_abort(txn);
        return r;
    }
    if ((rc = mdb_put(txn, t->by_user, &u, &idv, 0)) || (rc = mdb_put(txn, t->by_mailbox, &m, &idv, 0))) {
        mdb_txn_abort(txn);
        return sys_fail(t, "create session", rc);
    }
    if ((rc = mdb_txn_commit(txn))) /* a failed commit has freed txn */
        return sys_fail(t, "create session", rc);
    return MHS_OK;
}

/* Opens a write txn and loads id, checking expiry and owner. */
static mhs_rc_t load_owned(mhs_table_t *t, const uint8_t *id, const char *user, uint64_t now, MDB_txn **txn,
                           mhs_record_t *rec)
{
    mhs_rc_t r;
    int rc = mdb_txn_begin(t->env, NULL, 0, txn);
    if (rc)
        return sys_fail(t, "begin", rc);
    r = get_record(t, *txn, id, rec);
    if (r == MHS_OK && expired(t, rec, now)) {
        delete_session(t, *txn, rec);
        mdb_txn_commit(*txn);
        *txn = NULL;
        return MHS_NOT_FOUND;
    }
    if (r == MHS_OK && user && strcmp(rec->user, user) != 0)
        r = MHS_NO_PRIVILEGE;
    if (r != MHS_OK) {
        mdb_txn_abort(*txn);
        *txn = NULL;
    }
    return r;
}

static int lock_held(const mhs_record_t *rec, uint64_t now)
{
    if (!rec->busy_pid)
        return 0;
    if (kill((pid_t)rec->busy_pid, 0) != 0 && errno == ESRCH)
        return 0; /* its process died: the lock died with it */
    return now - rec->busy_since_ms < LOCK_STALE_MS;
}

mhs_rc_t mhs_begin(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], const char *user, const uint8_t *seq,
                   uint64_t now_ms, mhs_record_t *rec, uint64_t *token, void **state, size_t *state_len)
{
    MDB_txn *txn;
    MDB_val k = val_of(id, MHS_ID_LEN), v;
    mhs_rc_t r = load_owned(t, id, user, now_ms, &txn, rec);
    int rc;

    *state = NULL;
    *state_len = 0;
    if (r != MHS_OK)
        return r;
    if (seq && memcmp(seq, rec->seq, MHS_ID_LEN) != 0) {
        mdb_txn_abort(txn);
        return MHS_BAD_SEQUENCE;
    }
    if (lock_held(rec, now_ms)) {
        mdb_txn_abort(txn);
        return MHS_BUSY;
    }
    if (random_bytes(rec->seq, MHS_ID_LEN) || random_bytes((uint8_t *)token, sizeof(*token))) {
        mdb_txn_abort(txn);
        return sys_fail(t, "getrandom", errno);
    }
    rec->busy_pid = (uint32_t)getpid();
    rec->busy_token = *token;
    rec->busy_since_ms = now_ms;
    rec->last_used_ms = now_ms;
    rec->requests++;
    if (mdb_get(txn, t->state, &k, &v) == 0 && v.mv_size > 0) {
        *state = malloc(v.mv_size);
        if (!*state) {
            mdb_txn_abort(txn);
            return MHS_SYSTEM;
        }
        memcpy(*state, v.mv_data, v.mv_size);
        *state_len = v.mv_size;
    }
    if ((r = put_record(t, txn, rec)) != MHS_OK) {
        mdb_txn_abort(txn);
        free(*state);
        *state = NULL;
        return r;
    }
    if ((rc = mdb_txn_commit(txn))) {
        free(*state);
        *state = NULL;
        return sys_fail(t, "commit", rc);
    }
    return MHS_OK;
}

mhs_rc_t mhs_end(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], uint64_t token, const void *state,
                 size_t state_len, int store_state, uint64_t now_ms)
{
    MDB_txn *txn;
    MDB_val k = val_of(id, MHS_ID_LEN), v;
    mhs_record_t rec;
    mhs_rc_t r = load_owned(t, id, NULL, 0, &txn, &rec);
    int rc;

    if (r != MHS_OK)
        return r; /* ended meanwhile (Disconnect): nothing to keep */
    if (rec.busy_token != token) {
        mdb_txn_abort(txn);
        return MHS_BUSY;
    }
    if (store_state && t->limits.state_budget && state_len > t->limits.state_budget)
        r = MHS_TOO_BIG; /* keep the old state; release the lock anyway */
    else if (store_state && state_len) {
        v = val_of(state, state_len);
        if ((rc = mdb_put(txn, t->state, &k, &v, 0))) {
            mdb_txn_abort(txn);
            return sys_fail(t, "store state", rc);
        }
    } else if (store_state) {
        mdb_del(txn, t->state, &k, NULL);
    }
    rec.busy_pid = 0;
    rec.busy_token = 0;
    rec.last_used_ms = now_ms;
    if (put_record(t, txn, &rec) != MHS_OK || (rc = mdb_txn_commit(txn)))
        return MHS_SYSTEM;
    return r;
}

mhs_rc_t mhs_touch(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], const char *user, uint64_t now_ms,
                   mhs_record_t *rec)
{
    MDB_txn *txn;
    mhs_rc_t r = load_owned(t, id, user, now_ms, &txn, rec);
    if (r != MHS_OK)
        return r;
    rec->last_used_ms = now_ms;
    if ((r = put_record(t, txn, rec)) != MHS_OK) {
        mdb_txn_abort(txn);
        return r;
    }
    return mdb_txn_commit(txn) ? MHS_SYSTEM : MHS_OK;
}

mhs_rc_t mhs_destroy(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], const char *user)
{
    MDB_txn *txn;
    mhs_record_t rec;
    mhs_rc_t r = load_owned(t, id, user, 0, &txn, &rec);
    if (r != MHS_OK)
        return r;
    delete_session(t, txn, &rec);
    if (mdb_txn_commit(txn))
        return MHS_SYSTEM;
    mhs_events_wake(t, id); /* a NotificationWait on it returns now */
    return MHS_OK;
}

mhs_rc_t mhs_raise_event(mhs_table_t *t, const uint8_t id[MHS_ID_LEN])
{
    MDB_txn *txn;
    mhs_record_t rec;
    mhs_rc_t r = load_owned(t, id, NULL, 0, &txn, &rec);
    if (r != MHS_OK)
        return r;
    rec.events_raised++;
    if ((r = put_record(t, txn, &rec)) != MHS_OK) {
        mdb_txn_abort(txn);
        return r;
    }
    if (mdb_txn_commit(txn))
        return MHS_SYSTEM;
    mhs_events_wake(t, id);
    return MHS_OK;
}

mhs_rc_t mhs_raise_event_mailbox(mhs_table_t *t, const char *mailbox, size_t *raised)
{
    MDB_txn *txn;
    MDB_cursor *c;
    MDB_val k = val_of(mailbox, strlen(mailbox) + 1), v;
    uint8_t (*ids)[MHS_ID_LEN] = NULL;
    size_t n = 0, cap = 0, i;
    int rc;

    *raised = 0;
    if ((rc = mdb_txn_begin(t->env, NULL, 0, &txn)))
        return sys_fail(t, "begin", rc);
    if ((rc = mdb_cursor_open(txn, t->by_mailbox, &c))) {
        mdb_txn_abort(txn);
        return sys_fail(t, "cursor", rc);
    }
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
        mhs_record_t rec;
        if (v.mv_size != MHS_ID_LEN || get_record(t, txn, v.mv_data, &rec) != MHS_OK)
            continue;
        if (n == cap) {
            void *bigger = realloc(ids, (cap ? cap * 2 : 64) * sizeof(*ids));
            if (!bigger)
                break;
            ids = bigger;
            cap = cap ? cap * 2 : 64;
        }
        rec.events_raised++;
        put_record(t, txn, &rec);
        memcpy(ids[n++], rec.id, MHS_ID_LEN);
    }
    mdb_cursor_close(c);
    if ((rc = mdb_txn_commit(txn))) {
        free(ids);
        return sys_fail(t, "commit", rc);
    }
    for (i = 0; i < n; i++)
        mhs_events_wake(t, ids[i]);
    free(ids);
    *raised = n;
    return MHS_OK;
}

mhs_rc_t mhs_events_pending(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], int *pending)
{
    MDB_txn *txn;
    mhs_record_t rec;
    mhs_rc_t r;
    if (mdb_txn_begin(t->env, NULL, MDB_RDONLY, &txn))
        return MHS_SYSTEM;
    r = get_record(t, txn, id, &rec);
    mdb_txn_abort(txn);
    *pending = r == MHS_OK && rec.events_raised != rec.events_seen;
    return r;
}

mhs_rc_t mhs_events_ack(mhs_table_t *t, const uint8_t id[MHS_ID_LEN])
{
    MDB_txn *txn;
    mhs_record_t rec;
    mhs_rc_t r = load_owned(t, id, NULL, 0, &txn, &rec);
    if (r != MHS_OK)
        return r;
    rec.events_seen = rec.events_raised;
    if ((r = put_record(t, txn, &rec)) != MHS_OK) {
        mdb_txn_abort(txn);
        return r;
    }
    return mdb_txn_commit(txn) ? MHS_SYSTEM : MHS_OK;
}

int mhs_wait_event(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], unsigned timeout_ms)
{
    uint32_t seen = mhs_events_snapshot(t, id);
    int pending = 0;
    /* re-check after taking the snapshot: an event raised in between is not lost */
    if (mhs_events_pending(t, id, &pending) != MHS_OK || pending)
        return 1;
    return mhs_events_sleep(t, id, seen, timeout_ms);
}

mhs_rc_t mhs_stats(mhs_table_t *t, mhs_stats_t *st)
{
    MDB_txn *txn;
    MDB_stat s1, s2;
    MDB_envinfo info;
    MDB_stat envst;
    memset(st, 0, sizeof(*st));
    if (mdb_txn_begin(t->env, NULL, MDB_RDONLY, &txn))
        return MHS_SYSTEM;
    mdb_stat(txn, t->sessions, &s1);
    mdb_stat(txn, t->state, &s2);
    mdb_txn_abort(txn);
    mdb_env_info(t->env, &info);
    mdb_env_stat(t->env, &envst);
    st->sessions = s1.ms_entries;
    st->bytes_used = (size_t)(info.me_last_pgno + 1) * envst.ms_psize;
    st->state_bytes = (s2.ms_branch_pages + s2.ms_leaf_pages + s2.ms_overflow_pages) * (size_t)s2.ms_psize;
    return MHS_OK;
}
