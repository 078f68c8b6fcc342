/*
 * ms_internal.h - shared internals of libmapistore (not for other layers).
 *
 * Records are stored in native byte order (one store = one architecture);
 * keys are big-endian so that cursors walk them in order.
 */
#ifndef MS_INTERNAL_H
#define MS_INTERNAL_H

#include <lmdb.h>
#include <pthread.h>
#include <sys/types.h>
#include "mapistore.h"

#define MS_REPLID 1
#define MS_SUBJ_KEY 64
#define MS_SENDER_KEY 64

/* ---- per-database env ---- */
typedef struct ms_db {
    char name[64];
    char *path;
    MDB_env *env;
    MDB_dbi meta, mbx, folders, children, msgs, objs, blobs, cindex, named;
} ms_db_t;

struct ms_store {
    char *root;
    pid_t pid;
    unsigned flags;
    MDB_env *dir;
    MDB_dbi d_dbs, d_mbx, d_addr;
    pthread_mutex_t lock;     /* guards dbs/ndbs (threads of one process) */
    ms_db_t **dbs;
    size_t ndbs;
};

struct ms_mailbox {
    ms_store_t *st;
    ms_db_t *db;
    uint32_t mbx_id;
    ms_guid_t guid, replguid;
};

/* Mailbox record in a database (dbi "mbx", key mbx_id BE). */
typedef struct {
    uint32_t version;
    uint32_t messages;
    ms_guid_t guid, replguid;
    uint64_t next_globcnt;
    uint64_t change_counter;
    uint64_t size;
    uint64_t quota_warning, quota_send, quota_receive;
    uint64_t next_blob;
    uint32_t next_named;
    uint32_t folders;
} ms_mbx_rec_t;

/* Folder record (dbi "folders", key mbx|globcnt6). */
typedef struct {
    uint64_t parent;          /* globcnt, 0 for the root */
    uint64_t change_counter;
    uint64_t cn;              /* globcnt of the last change number */
    uint32_t type;            /* MS_FOLDER_GENERIC / SEARCH */
    uint32_t count, unread, assoc, deleted, children;
} ms_folder_rec_t;

/* Message header (dbi "msgs", key mbx|globcnt6). */
#define MS_MSTATE_NORMAL  0
#define MS_MSTATE_DELETED 1
#define MS_MSTATE_EMBEDDED 2
typedef struct {
    uint64_t fid;             /* globcnt; for embedded: parent message globcnt */
    uint64_t delivery;        /* FILETIME */
    uint64_t cn;
    uint32_t flags;           /* PR_MESSAGE_FLAGS incl. read */
    uint32_t size;
    uint8_t state;
    uint8_t assoc;
    uint8_t pad[6];
    char subj[MS_SUBJ_KEY];
    char sender[MS_SENDER_KEY];
} ms_msg_rec_t;

/* Index views and sort kinds of dbi "cindex":
 * key mbx(4)|fid(6)|view(1)|kind(1)|sortkey|mid(6). */
#define MS_VIEW_NORMAL 0
#define MS_VIEW_ASSOC 1
#define MS_VIEW_DELETED 2
enum { MS_IDX_MID = 0, MS_IDX_DELIVERY, MS_IDX_SUBJECT, MS_IDX_SENDER, MS_IDX_SIZE, MS_IDX_COUNT };
size_t ms__idx_sortkey(int kind, const ms_msg_rec_t *m, uint8_t *out);
size_t ms__idx_key(uint32_t mbx, uint64_t fid, int view, int kind, const ms_msg_rec_t *m,
                   uint64_t mid, uint8_t *out);
int ms__msg_view(const ms_msg_rec_t *m);

/* object kinds in dbi "objs": key mbx(4)|kind(1)|globcnt(6)|sub(4) */
#define MS_OBJ_FOLDER 'F'
#define MS_OBJ_MESSAGE 'M'
#define MS_OBJ_RECIP 'R'
#define MS_OBJ_ATTACH 'A'
#define MS_OBJ_EMBED 'E'   /* value: embedded message globcnt (8 bytes) */
#define MS_OBJKEY_LEN 15

struct ms_txn {
    ms_mailbox_t *mbx;
    ms_db_t *db;
    MDB_txn *txn;
    int write;
    ms_err_t err;            /* first error (poisons a write txn) */
    int rec_loaded, rec_dirty;
    ms_mbx_rec_t rec;
};

/* ---- util ---- */
ms_err_t ms__err(ms_err_t e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ms_err_t ms__mdb(int rc, const char *what);
void ms__random_guid(ms_guid_t *g);
void ms__guid_to_str(const ms_guid_t *g, char out[37]);
int ms__guid_from_str(const char *s, ms_guid_t *g);
void ms__put_be(uint8_t *p, uint64_t v, int n);
uint64_t ms__get_be(const uint8_t *p, int n);
uint64_t ms__now_filetime(void);
void ms__lower(char *s);
int ms__check_pid(const ms_store_t *st);
void ms__key_mbx(uint8_t *k, uint32_t mbx);
size_t ms__objkey(uint8_t *k, uint32_t mbx, char kind, uint64_t gc, uint32_t sub);
void *ms__xmalloc(size_t n);

/* ---- txn helpers: txn may be NULL (own txn) ---- */
ms_err_t ms__txn_enter(ms_txn_t **txn, ms_mailbox_t *mbx, int write, int *own);
ms_err_t ms__txn_leave(ms_txn_t *txn, int own, ms_err_t rc);
ms_err_t ms__txn_fail(ms_txn_t *txn, ms_err_t rc);
ms_err_t ms__mbx_rec(ms_txn_t *txn, ms_mbx_rec_t **rec);   /* cached, write marks dirty */
ms_err_t ms__alloc_globcnt(ms_txn_t *txn, uint64_t *gc);
ms_err_t ms__put(ms_txn_t *txn, MDB_dbi dbi, const void *k, size_t kl, const void *v, size_t vl);
ms_err_t ms__del(ms_txn_t *txn, MDB_dbi dbi, const void *k, size_t kl);
ms_err_t ms__get(ms_txn_t *txn, MDB_dbi dbi, const void *k, size_t kl, MDB_val *v);
ms_db_t *ms__db_open(ms_store_t *st, const char *name);
int ms__dir_bump(ms_store_t *st, MDB_txn *t);   /* directory change counter */
ms_err_t ms__mbx_read(ms_db_t *db, MDB_txn *t, uint32_t mbx, ms_mbx_rec_t *rec);

/* ---- property sets (ms_prop.c) ---- */
typedef struct {
    ms_propval_t *v;
    size_t n, cap;
} ms_propset_t;
void ms__ps_free(ms_propset_t *ps);
ms_err_t ms__ps_reserve(ms_propset_t *ps, size_t cap);
ms_propval_t *ms__ps_find(const ms_propset_t *ps, uint32_t tag);
ms_err_t ms__ps_set(ms_propset_t *ps, const ms_propval_t *v);
ms_err_t ms__ps_set_take(ms_propset_t *ps, ms_propval_t *v);  /* takes ownership */
int ms__ps_del(ms_propset_t *ps, uint32_t tag);
ms_err_t ms__ps_copy(ms_propset_t *dst, const ms_propset_t *src);
ms_err_t ms__ps_set_long(ms_propset_t *ps, uint32_t tag, int32_t v);
ms_err_t ms__ps_set_i8(ms_propset_t *ps, uint32_t tag, int64_t v);
ms_err_t ms__ps_set_str(ms_propset_t *ps, uint32_t tag, const char *s);
ms_err_t ms__ps_set_bin(ms_propset_t *ps, uint32_t tag, const void *p, size_t n);
ms_err_t ms__ps_set_bool(ms_propset_t *ps, uint32_t tag, int b);
ms_err_t ms__ps_set_ft(ms_propset_t *ps, uint32_t tag, uint64_t ft);
int ms__tag_match(uint32_t want, uint32_t have);
int ms__type_valid(uint16_t type);
size_t ms__propval_size(const ms_propval_t *v);
/* object records in dbi objs (large values into blobs) */
ms_err_t ms__obj_write(ms_txn_t *txn, const uint8_t *key, size_t kl, const ms_propset_t *ps);
ms_err_t ms__obj_read(ms_txn_t *txn, const uint8_t *key, size_t kl, ms_propset_t *ps);
/* Like ms__obj_read, but values stored out of line go to *lazy (ms_lazylist_t). */
ms_err_t ms__obj_read_lazy(ms_txn_t *txn, const uint8_t *key, size_t kl, ms_propset_t *ps,
                           void *lazy);
/* Read one out-of-line value into *out (tag set by the caller). */
ms_err_t ms__blob_value(ms_txn_t *txn, uint64_t blob, uint64_t len, ms_propval_t *out);
ms_err_t ms__obj_delete(ms_txn_t *txn, const uint8_t *key, size_t kl);
/* walks an object record's blob refs (check) */
ms_err_t ms__obj_blobs(const void *rec, size_t len, void (*cb)(void *, uint64_t, uint64_t),
                       void *ctx);
ms_err_t ms__obj_blob_stream(ms_txn_t *txn, const uint8_t *key, size_t kl, uint32_t tag,
                             uint64_t off, void *buf, size_t len, size_t *got, uint64_t *size);

ms_err_t ms__receive_folder_put(ms_txn_t *txn, const char *cls, uint64_t fgc);
ms_err_t ms__receive_folder_forget(ms_txn_t *txn, uint64_t fgc);

/* ---- ids ---- */
void ms__folder_eid(const ms_mailbox_t *mbx, uint64_t fgc, uint8_t *out);
void ms__message_eid(const ms_mailbox_t *mbx, uint64_t fgc, uint64_t mgc, uint8_t *out);

/* ---- folders ---- */
ms_err_t ms__folder_rec(ms_txn_t *txn, uint64_t fgc, ms_folder_rec_t *r);
ms_err_t ms__folder_rec_put(ms_txn_t *txn, uint64_t fgc, const ms_folder_rec_t *r);
ms_err_t ms__folder_touch(ms_txn_t *txn, uint64_t fgc);
ms_err_t ms__create_special_folders(ms_txn_t *txn);
ms_err_t ms__folder_computed(ms_txn_t *txn, uint64_t fgc, const ms_folder_rec_t *r,
                             ms_propset_t *ps);

/* ---- messages (ms_message.c, ms_message_ops.c) ---- */
/* A large value not loaded yet: opening a message reads only its small
 * values; out-of-line ones are read when asked for (or before a save). */
typedef struct { uint32_t tag; uint64_t blob, len; } ms_lazy_t;
typedef struct { ms_lazy_t *v; size_t n; } ms_lazylist_t;

typedef struct {
    uint32_t num;
    ms_propset_t ps;
    ms_lazylist_t lazy;
    ms_message_t *embedded;
    int dirty;                  /* changed since loaded: rewrite on save */
} ms_attach_t;

struct ms_message {
    ms_mailbox_t *mbx;
    uint64_t fgc, mgc;          /* mgc 0 until saved */
    int assoc, embedded, depth;
    ms_propset_t ps;            /* stored + computed */
    ms_lazylist_t lazy;         /* large values of ps not loaded yet */
    ms_propset_t *recips;
    size_t nrecips;
    ms_attach_t *atts;
    size_t natts;
    uint32_t next_attach;
    uint32_t next_rowid;        /* above every PR_ROWID in recips */
    ms_msg_rec_t rec;
    int saved;
    int dirty;                  /* changed since loaded or saved */
};

ms_err_t ms__msg_rec(ms_txn_t *txn, uint64_t mgc, ms_msg_rec_t *m);
ms_err_t ms__msg_index(ms_txn_t *txn, uint64_t mgc, const ms_msg_rec_t *m, int add);
ms_err_t ms__msg_hard_delete(ms_txn_t *txn, uint64_t mgc);
/* Row of a message for tables: small values, plus the large ones matching
 * want[] (want NULL: all of them). */
ms_err_t ms__msg_load_row(ms_txn_t *txn, uint64_t mgc, const ms_msg_rec_t *m, ms_propset_t *ps,
                          const uint32_t *want, size_t nwant);
ms_err_t ms__msg_load_subobjs(ms_txn_t *txn, uint64_t mgc, char kind, ms_propset_t **rows,
                              size_t *n);
size_t ms__mkey(uint8_t *k, const ms_txn_t *txn, uint64_t mgc);
ms_err_t ms__msg_rec_put(ms_txn_t *txn, uint64_t mgc, const ms_msg_rec_t *m);
ms_err_t ms__folder_account(ms_txn_t *txn, const ms_msg_rec_t *r, int sign);
ms_err_t ms__msg_load(ms_txn_t *txn, ms_mailbox_t *mbx, uint64_t mgc, int depth, ms_message_t **out);
ms_err_t ms__msg_write(ms_txn_t *txn, ms_message_t *m, uint64_t parent_gc);
void ms__msg_mark_saved(ms_message_t *m, int saved);
ms_err_t ms__msg_check_vals(const ms_propval_t *vals, size_t n);
/* large values of an opened object, read on demand (ms_message.c) */
ms_err_t ms__lazy_load(ms_txn_t *txn, ms_mailbox_t *mbx, ms_propset_t *ps, ms_lazylist_t *l,
                       uint32_t tag);
void ms__lazy_drop(ms_lazylist_t *l, uint32_t tag);
void ms__lazy_free(ms_lazylist_t *l);
ms_err_t ms__msg_delete_subobjs(ms_txn_t *txn, uint64_t mgc, int depth);

#endif /* MS_INTERNAL_H */
