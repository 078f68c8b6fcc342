/*
 * mhs_session.h - the session-context table of MAPI/HTTP, shared by every
 * process of the server.
 *
 * A session context ([MS-OXCMAPIHTTP] 3.1.5.1, 3.2.5.x) lives independently of
 * TCP connections and of Apache's processes: its record and the engine's
 * per-session object state are kept in an LMDB environment in a run-time
 * directory (tmpfs in production), whose MAP_SHARED mapping is the shared
 * memory. It survives graceful (and plain) restarts of Apache; stale readers
 * of crashed children are cleared; a request in progress holds a lock token
 * that dies with its process.
 *
 * NotificationWait waiters sleep on a futex in a small shared file of event
 * counters ("events"), so an event raised in any process wakes them at once.
 *
 * No Apache in here: unit-tested on its own (t/unit/session.t).
 */
#ifndef MHS_SESSION_H
#define MHS_SESSION_H

#include <stddef.h>
#include <stdint.h>

#define MHS_ID_LEN 16
#define MHS_USER_MAX 255
#define MHS_MAILBOX_MAX 127

typedef enum {
    MHS_OK = 0,
    MHS_NOT_FOUND,    /* unknown or expired context: Context Not Found (10) */
    MHS_NO_PRIVILEGE, /* context of another user: No Privilege (11) */
    MHS_BAD_SEQUENCE, /* stale/replayed sequence cookie: Invalid Sequence (15) */
    MHS_BUSY,         /* another request of this context is in progress (15) */
    MHS_USER_LIMIT,   /* per-user cap on live contexts reached */
    MHS_FULL,         /* total cap reached, or the table's map is full */
    MHS_TOO_BIG,      /* object state larger than the per-session budget */
    MHS_SYSTEM        /* I/O or LMDB failure (errno / log text in err) */
} mhs_rc_t;

typedef enum { MHS_KIND_EMSMDB = 1, MHS_KIND_NSPI = 2 } mhs_kind_t;

typedef struct {
    uint8_t id[MHS_ID_LEN];
    uint8_t seq[MHS_ID_LEN];   /* the sequence cookie the next request must carry */
    uint32_t kind;             /* mhs_kind_t */
    uint32_t codepage;         /* from Connect/Bind */
    uint64_t created_ms;       /* unix ms */
    uint64_t last_used_ms;
    uint64_t requests;         /* requests served */
    uint32_t busy_pid;         /* owner of the request in progress, 0 if none */
    uint32_t pad_;
    uint64_t busy_token;
    uint64_t busy_since_ms;
    uint64_t events_raised;    /* counts raised events */
    uint64_t events_seen;      /* events_raised when last delivered */
    char user[MHS_USER_MAX + 1];       /* authenticated user (r->user) */
    char mailbox[MHS_MAILBOX_MAX + 1]; /* MailboxId of the URL */
} mhs_record_t;

typedef struct {
    size_t max_sessions;      /* total cap */
    size_t per_user;          /* per-user cap */
    uint64_t idle_timeout_ms; /* expiry */
    size_t state_budget;      /* max bytes of object state per session */
    size_t map_size;          /* LMDB map size (0 = derive from the caps) */
} mhs_limits_t;

typedef struct mhs_table mhs_table_t;

/* Opens (creating as needed) the table in dir. Call after fork, in each
 * process; never share a handle across fork. err gets a message on failure. */
mhs_rc_t mhs_open(const char *dir, const mhs_limits_t *limits, mhs_table_t **out, char *err, size_t errlen);
void mhs_close(mhs_table_t *t);

/* Creates a context for user/mailbox; fills rec (id, first sequence). */
mhs_rc_t mhs_create(mhs_table_t *t, mhs_kind_t kind, const char *user, const char *mailbox,
                    uint32_t codepage, uint64_t now_ms, mhs_record_t *rec);

/* Starts a request on a context: checks it exists and is not expired, that
 * it belongs to user, and (when seq is not NULL) that seq is the current
 * sequence cookie and no other request is in progress. On success it takes
 * the lock (token returned), issues a new sequence cookie (in rec->seq) and
 * copies the object state (malloc'd, *state may be NULL when empty). */
mhs_rc_t mhs_begin(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], const char *user,
                   const uint8_t *seq, uint64_t now_ms, mhs_record_t *rec, uint64_t *token,
                   void **state, size_t *state_len);
/* Ends the request: stores the new object state (state == NULL keeps the
 * old one) and releases the lock if token still holds it. */
mhs_rc_t mhs_end(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], uint64_t token, const void *state,
                 size_t state_len, int store_state, uint64_t now_ms);

/* Keeps a context alive without the sequence check (PING, NotificationWait)
 * after checking owner and expiry; fills rec. */
mhs_rc_t mhs_touch(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], const char *user, uint64_t now_ms,
                   mhs_record_t *rec);

/* Ends a context (Disconnect, Unbind) after checking the owner. */
mhs_rc_t mhs_destroy(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], const char *user);

/* Events for NotificationWait: raise on one context or on every context of a
 * mailbox; pending = raised > seen; ack marks them delivered. */
mhs_rc_t mhs_raise_event(mhs_table_t *t, const uint8_t id[MHS_ID_LEN]);
mhs_rc_t mhs_raise_event_mailbox(mhs_table_t *t, const char *mailbox, size_t *raised);
mhs_rc_t mhs_events_pending(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], int *pending);
mhs_rc_t mhs_events_ack(mhs_table_t *t, const uint8_t id[MHS_ID_LEN]);
/* Sleeps until an event may have been raised for id, or timeout_ms passes.
 * Returns 1 when woken (the caller re-checks mhs_events_pending), 0 on timeout. */
int mhs_wait_event(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], unsigned timeout_ms);

/* Deletes expired contexts; returns how many. Runs by itself from
 * mhs_create at most once a minute. */
size_t mhs_sweep(mhs_table_t *t, uint64_t now_ms);

typedef struct {
    size_t sessions;      /* live contexts */
    size_t bytes_used;    /* bytes of the map in use (pages * page size) */
    size_t state_bytes;   /* bytes of stored object state */
} mhs_stats_t;
mhs_rc_t mhs_stats(mhs_table_t *t, mhs_stats_t *st);
/* The number of live contexts of one user. */
size_t mhs_user_count(mhs_table_t *t, const char *user);

/* Shared counters for status pages (requests by type, codes, gauges):
 * MHS_COUNTERS 64-bit words in a file mapped by every process. */
#define MHS_COUNTERS 256
void mhs_counter_add(mhs_table_t *t, unsigned idx, int64_t delta);
uint64_t mhs_counter_get(mhs_table_t *t, unsigned idx);

/* Cookie text <-> id: 32 lower-case hex digits. */
void mhs_id_to_hex(const uint8_t id[MHS_ID_LEN], char out[2 * MHS_ID_LEN + 1]);
int mhs_id_from_hex(const char *hex, uint8_t id[MHS_ID_LEN]);

const char *mhs_strerror(mhs_rc_t rc);
/* The last LMDB/system error text of the handle (for logs). */
const char *mhs_last_error(const mhs_table_t *t);
uint64_t mhs_now_ms(void);

#endif /* MHS_SESSION_H */
