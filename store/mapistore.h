/*
 * mapistore.h - the LMDB message store: public API (prefix ms_).
 *
 * No HTTP, no ROP buffers: this is the object model the ROP engine (issue 6),
 * NSPI (issue 7) and the admin CLI build on.
 *
 * Layout on disk (a "store root"):
 *   ROOT/directory/       LMDB env: databases, mailboxes, address -> mailbox
 *   ROOT/db/NAME/         one LMDB env per mailbox database (many mailboxes)
 *
 * Processes and threads
 *   - ms_store_open() in each process AFTER fork (Apache child_init). A store
 *     handle used in another pid than the one that opened it returns
 *     MS_E_NOT_INITIALIZED and touches nothing. Stale readers are cleared
 *     (mdb_reader_check) at open and by ms_store_reader_check().
 *   - Environments are opened MDB_NOTLS: a transaction may move between
 *     threads but is used by one thread at a time.
 *
 * Transactions
 *   Every call that changes something takes an ms_txn_t *txn. It may be a
 *   write transaction the caller commits (one per ROP/request), or NULL: the
 *   call then runs in its own write transaction and commits it. Reads take a
 *   read or write transaction, or NULL (a private read snapshot).
 *   A failed write (quota, MDB_MAP_FULL, ...) poisons the transaction: its
 *   commit returns the first error and rolls everything back.
 *   MDB_MAP_FULL becomes MS_E_STORE_FULL (same ec as a quota error).
 *
 * Identifiers ([MS-OXCDATA] 2.2.1)
 *   ms_id_t is a FID/MID/CN as its 8 wire bytes read as a little-endian u64:
 *   bytes 0-1 ReplicaId (LE), bytes 2-7 GLOBCNT (big-endian). So
 *   ms_id_replid(id) == id & 0xFFFF and ms_id_globcnt() swaps the 6 bytes.
 *   Each mailbox is its own replica: ReplicaId 1 <-> the mailbox's replica
 *   GUID. One GLOBCNT counter per mailbox serves FIDs, MIDs and CNs.
 *   The special folders of [MS-OXOSFLD] have fixed GLOBCNTs (ms_special_t + 1).
 *
 * Property values (how the ROP codec converts)
 *   ms_propval_t = { tag, union value }. tag = (id << 16) | type, types are the
 *   [MS-OXCDATA] 2.11.1 PtypXxx values (MS_PT_*). Representation per type:
 *     PT_SHORT      value.i     (int16_t)
 *     PT_LONG       value.l     (int32_t)       PT_ERROR  value.err (uint32_t ec)
 *     PT_FLOAT      value.flt                   PT_DOUBLE/PT_APPTIME value.dbl
 *     PT_CURRENCY   value.cur  (int64, x10^4)   PT_I8     value.li (int64_t)
 *     PT_BOOLEAN    value.b    (0/1)            PT_SYSTIME value.ft (FILETIME u64)
 *     PT_STRING8 and PT_UNICODE  value.str: NUL-terminated UTF-8 (the codec
 *                   converts to UTF-16LE or the code page on the wire)
 *     PT_CLSID      value.guid (ms_guid_t *, 16 bytes in wire order)
 *     PT_BINARY / PT_SVREID / PT_OBJECT  value.bin {cb, pb}
 *     PT_MV_xxx     value.mv {count, typed array pointer in the union}
 *     PT_NULL       nothing
 *   A getter asked for PT_UNSPECIFIED (0x0000) returns the stored type; asked
 *   for PT_STRING8 or PT_UNICODE it returns either string type as requested.
 *   A missing property in a table row comes back as tag (id << 16)|PT_ERROR
 *   with value.err = MS_E_NOT_FOUND (a FlaggedPropertyValue 0x0A on the wire).
 *   Values owned by the store (message props, table rows) stay valid until the
 *   owning object changes or is freed; ms_propval_dup()/ms_propval_free()
 *   make/free a deep copy.
 *
 * Large values (bodies, attachment data) are stored out of line in chunks of
 * MS_CHUNK_SIZE bytes; ms_stream_* read them piecewise without loading all.
 */
#ifndef MAPISTORE_H
#define MAPISTORE_H

#include <stddef.h>
#include <stdint.h>
#include "mapi_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors: values ARE the [MS-OXCDATA] 2.4 ec codes ---------------- */
typedef enum {
    MS_OK                  = MAPI_EC_SUCCESS,
    MS_E_FAIL              = (int)MAPI_EC_GENERAL_FAILURE,
    MS_E_NOMEM             = (int)MAPI_EC_OUT_OF_MEMORY,
    MS_E_INVALID_PARAM     = (int)MAPI_EC_INVALID_PARAMETER,
    MS_E_ACCESS_DENIED     = (int)MAPI_EC_ACCESS_DENIED,
    MS_E_NOT_SUPPORTED     = (int)MAPI_EC_NOT_SUPPORTED,
    MS_E_INVALID_ENTRYID   = (int)MAPI_EC_INVALID_ENTRYID,
    MS_E_INVALID_OBJECT    = (int)MAPI_EC_INVALID_OBJECT,
    MS_E_OBJECT_MODIFIED   = (int)MAPI_EC_OBJECT_MODIFIED,
    MS_E_OBJECT_DELETED    = (int)MAPI_EC_OBJECT_DELETED,
    MS_E_NOT_FOUND         = (int)MAPI_EC_NOT_FOUND,
    MS_E_TOO_COMPLEX       = (int)MAPI_EC_TOO_COMPLEX,
    MS_E_TABLE_TOO_BIG     = (int)MAPI_EC_TABLE_TOO_BIG,
    MS_E_INVALID_BOOKMARK  = (int)MAPI_EC_INVALID_BOOKMARK,
    MS_E_DUPLICATE_NAME    = (int)MAPI_EC_DUPLICATE_NAME,
    MS_E_NOT_INITIALIZED   = (int)MAPI_EC_NOT_INITIALIZED,
    MS_E_UNKNOWN_USER      = MAPI_EC_UNKNOWN_USER,
    MS_E_BUFFER_TOO_SMALL  = MAPI_EC_BUFFER_TOO_SMALL,
    MS_E_QUOTA_EXCEEDED    = MAPI_EC_QUOTA_EXCEEDED,
    MS_E_MAX_ATTACHMENTS   = MAPI_EC_MAX_ATTACH_EXCEEDED,
    MS_E_JET               = 0x000003EA          /* ecJetError: LMDB I/O/corruption */
} ms_err_t;
/* MDB_MAP_FULL is reported as ecQuotaExceeded too; ms_last_error() tells. */
#define MS_E_STORE_FULL MS_E_QUOTA_EXCEEDED

/* Human text for the last error in this thread (never NULL). */
const char *ms_last_error(void);
const char *ms_strerror(ms_err_t e);

/* ---- property tags and types ([MS-OXCDATA] 2.9, 2.11.1) --------------- */
#define MS_PT_UNSPECIFIED 0x0000
#define MS_PT_NULL        0x0001
#define MS_PT_SHORT       0x0002
#define MS_PT_LONG        0x0003
#define MS_PT_FLOAT       0x0004
#define MS_PT_DOUBLE      0x0005
#define MS_PT_CURRENCY    0x0006
#define MS_PT_APPTIME     0x0007
#define MS_PT_ERROR       0x000A
#define MS_PT_BOOLEAN     0x000B
#define MS_PT_OBJECT      0x000D
#define MS_PT_I8          0x0014
#define MS_PT_STRING8     0x001E
#define MS_PT_UNICODE     0x001F
#define MS_PT_SYSTIME     0x0040
#define MS_PT_CLSID       0x0048
#define MS_PT_SVREID      0x00FB
#define MS_PT_BINARY      0x0102
#define MS_PT_MV          0x1000
#define MS_PT_MV_SHORT    0x1002
#define MS_PT_MV_LONG     0x1003
#define MS_PT_MV_FLOAT    0x1004
#define MS_PT_MV_DOUBLE   0x1005
#define MS_PT_MV_CURRENCY 0x1006
#define MS_PT_MV_APPTIME  0x1007
#define MS_PT_MV_I8       0x1014
#define MS_PT_MV_STRING8  0x101E
#define MS_PT_MV_UNICODE  0x101F
#define MS_PT_MV_SYSTIME  0x1040
#define MS_PT_MV_CLSID    0x1048
#define MS_PT_MV_BINARY   0x1102

#define MS_PROP_TAG(type, id) ((uint32_t)(((uint32_t)(id) << 16) | (uint16_t)(type)))
#define MS_PROP_ID(tag)   ((uint16_t)((tag) >> 16))
#define MS_PROP_TYPE(tag) ((uint16_t)((tag) & 0xFFFF))

/* Tags the store itself computes or maintains (others are stored as given). */
#define MS_PR_ENTRYID                MS_PROP_TAG(MS_PT_BINARY, 0x0FFF)
#define MS_PR_RECORD_KEY             MS_PROP_TAG(MS_PT_BINARY, 0x0FF9)
#define MS_PR_INSTANCE_KEY           MS_PROP_TAG(MS_PT_BINARY, 0x0FF6)
#define MS_PR_PARENT_ENTRYID         MS_PROP_TAG(MS_PT_BINARY, 0x0E09)
#define MS_PR_SOURCE_KEY             MS_PROP_TAG(MS_PT_BINARY, 0x65E0)
#define MS_PR_PARENT_SOURCE_KEY      MS_PROP_TAG(MS_PT_BINARY, 0x65E1)
#define MS_PR_CHANGE_KEY             MS_PROP_TAG(MS_PT_BINARY, 0x65E2)
#define MS_PR_PREDECESSOR_CHANGE_LIST MS_PROP_TAG(MS_PT_BINARY, 0x65E3)
#define MS_PR_CHANGE_NUMBER          MS_PROP_TAG(MS_PT_I8, 0x67A4)
#define MS_PR_FID                    MS_PROP_TAG(MS_PT_I8, 0x6748)
#define MS_PR_PARENT_FID             MS_PROP_TAG(MS_PT_I8, 0x6749)
#define MS_PR_MID                    MS_PROP_TAG(MS_PT_I8, 0x674A)
#define MS_PR_DISPLAY_NAME           MS_PROP_TAG(MS_PT_UNICODE, 0x3001)
#define MS_PR_CONTAINER_CLASS        MS_PROP_TAG(MS_PT_UNICODE, 0x3613)
#define MS_PR_FOLDER_TYPE            MS_PROP_TAG(MS_PT_LONG, 0x3601)
#define MS_PR_CONTENT_COUNT          MS_PROP_TAG(MS_PT_LONG, 0x3602)
#define MS_PR_CONTENT_UNREAD         MS_PROP_TAG(MS_PT_LONG, 0x3603)
#define MS_PR_ASSOC_CONTENT_COUNT    MS_PROP_TAG(MS_PT_LONG, 0x3617)
#define MS_PR_DELETED_COUNT_TOTAL    MS_PROP_TAG(MS_PT_LONG, 0x670B)
#define MS_PR_SUBFOLDERS             MS_PROP_TAG(MS_PT_BOOLEAN, 0x360A)
#define MS_PR_FOLDER_CHILD_COUNT     MS_PROP_TAG(MS_PT_LONG, 0x6638)
#define MS_PR_MESSAGE_SIZE           MS_PROP_TAG(MS_PT_LONG, 0x0E08)
#define MS_PR_MESSAGE_SIZE_EXTENDED  MS_PROP_TAG(MS_PT_I8, 0x0E08)
#define MS_PR_MESSAGE_FLAGS          MS_PROP_TAG(MS_PT_LONG, 0x0E07)
#define MS_PR_MESSAGE_CLASS          MS_PROP_TAG(MS_PT_UNICODE, 0x001A)
#define MS_PR_SUBJECT                MS_PROP_TAG(MS_PT_UNICODE, 0x0037)
#define MS_PR_NORMALIZED_SUBJECT     MS_PROP_TAG(MS_PT_UNICODE, 0x0E1D)
#define MS_PR_MESSAGE_DELIVERY_TIME  MS_PROP_TAG(MS_PT_SYSTIME, 0x0E06)
#define MS_PR_CLIENT_SUBMIT_TIME     MS_PROP_TAG(MS_PT_SYSTIME, 0x0039)
#define MS_PR_CREATION_TIME          MS_PROP_TAG(MS_PT_SYSTIME, 0x3007)
#define MS_PR_LAST_MODIFICATION_TIME MS_PROP_TAG(MS_PT_SYSTIME, 0x3008)
#define MS_PR_SENDER_NAME            MS_PROP_TAG(MS_PT_UNICODE, 0x0C1A)
#define MS_PR_SENT_REPRESENTING_NAME MS_PROP_TAG(MS_PT_UNICODE, 0x0042)
#define MS_PR_HASATTACH              MS_PROP_TAG(MS_PT_BOOLEAN, 0x0E1B)
#define MS_PR_ROWID                  MS_PROP_TAG(MS_PT_LONG, 0x3000)
#define MS_PR_RECIPIENT_TYPE         MS_PROP_TAG(MS_PT_LONG, 0x0C15)
#define MS_PR_ATTACH_NUM             MS_PROP_TAG(MS_PT_LONG, 0x0E21)
#define MS_PR_ATTACH_METHOD          MS_PROP_TAG(MS_PT_LONG, 0x3705)
#define MS_PR_ATTACH_DATA_BIN        MS_PROP_TAG(MS_PT_BINARY, 0x3701)
#define MS_PR_ATTACH_SIZE            MS_PROP_TAG(MS_PT_LONG, 0x0E20)
#define MS_PR_DEPTH                  MS_PROP_TAG(MS_PT_LONG, 0x3005)

/* Message flags ([MS-OXCMSG] 2.2.1.6) the store maintains. */
#define MS_MSGFLAG_READ       0x00000001u
#define MS_MSGFLAG_UNMODIFIED 0x00000002u
#define MS_MSGFLAG_HASATTACH  0x00000010u
#define MS_MSGFLAG_ASSOCIATED 0x00000040u

typedef struct { uint8_t b[16]; } ms_guid_t;
typedef uint64_t ms_id_t;

typedef struct { uint32_t cb; uint8_t *pb; } ms_binary_t;

typedef struct {
    uint32_t count;
    union {
        int16_t *i; int32_t *l; float *flt; double *dbl; int64_t *li;
        uint64_t *ft; char **str; ms_binary_t *bin; ms_guid_t *guid;
    } v;
} ms_mv_t;

typedef struct {
    uint32_t tag;
    union {
        int16_t i; int32_t l; float flt; double dbl; int64_t cur; int64_t li;
        uint32_t err; uint8_t b; uint64_t ft; char *str; ms_guid_t *guid;
        ms_binary_t bin; ms_mv_t mv;
    } value;
} ms_propval_t;

/* Deep copy / free of values the caller owns. */
ms_err_t ms_propval_dup(const ms_propval_t *src, ms_propval_t *dst);
void ms_propval_free(ms_propval_t *v);           /* frees contents, not v */
void ms_propvals_free(ms_propval_t *v, size_t n); /* contents and the array */
/* Total order used by sorts and restrictions: <0, 0, >0 (types must match;
 * strings compare case-insensitively per ASCII, then bytewise). */
int ms_propval_cmp(const ms_propval_t *a, const ms_propval_t *b);

/* ---- identifiers ([MS-OXCDATA] 2.2) ----------------------------------- */
ms_id_t ms_id_make(uint16_t replid, uint64_t globcnt);
uint16_t ms_id_replid(ms_id_t id);
uint64_t ms_id_globcnt(ms_id_t id);
void ms_globcnt_to_bytes(uint64_t globcnt, uint8_t out[6]);   /* big-endian */
uint64_t ms_globcnt_from_bytes(const uint8_t in[6]);
/* 22-byte XID/source key = replica GUID + GLOBCNT. */
#define MS_XID_SIZE 22
void ms_make_xid(const ms_guid_t *replguid, uint64_t globcnt, uint8_t out[MS_XID_SIZE]);
#define MS_FOLDER_ENTRYID_SIZE 46
#define MS_MESSAGE_ENTRYID_SIZE 70

/* ---- store, databases, mailboxes (directory) -------------------------- */
typedef struct ms_store ms_store_t;
typedef struct ms_mailbox ms_mailbox_t;
typedef struct ms_txn ms_txn_t;

#define MS_OPEN_READONLY 0x1u   /* open environments MDB_RDONLY (check, export) */

/* Create an empty store root (directory env + no database). Fails with
 * MS_E_DUPLICATE_NAME if ROOT already holds a store. */
ms_err_t ms_store_init(const char *root);
ms_err_t ms_store_open(const char *root, unsigned flags, ms_store_t **out);
void ms_store_close(ms_store_t *st);
/* Clears stale reader slots in every open environment; returns the count. */
int ms_store_reader_check(ms_store_t *st);
const char *ms_store_root(const ms_store_t *st);

#define MS_DB_DEFAULT_MAPSIZE ((uint64_t)1 << 34)   /* 16 GiB, sparse */
typedef struct {
    char name[64];
    ms_guid_t guid;
    uint64_t map_size;
    uint32_t mailboxes;
} ms_db_info_t;
ms_err_t ms_db_create(ms_store_t *st, const char *name, uint64_t map_size);
ms_err_t ms_db_list(ms_store_t *st, ms_db_info_t **out, size_t *n); /* free(*out) */

#define MS_MAX_SMTP 8
typedef struct {
    ms_guid_t guid;                /* out on create */
    char db[64];                   /* database name ("" = the first) */
    char display_name[256];
    char login[256];               /* Kerberos principal, e.g. alice@EXAMPLE.TEST */
    char legacy_dn[512];           /* "" = derived from the first SMTP local part */
    char smtp[MS_MAX_SMTP][256];   /* [0] is the primary address */
    unsigned nsmtp;
    uint64_t quota_warning;        /* bytes, 0 = none */
    uint64_t quota_send;           /* prohibit send */
    uint64_t quota_receive;        /* prohibit receive */
    /* filled by ms_mailbox_info(): */
    uint32_t mbx_id;               /* number inside the database */
    ms_guid_t replica_guid;
    uint64_t size;                 /* bytes in use */
    uint32_t messages;
    uint32_t folders;
} ms_mailbox_info_t;

ms_err_t ms_mailbox_create(ms_store_t *st, ms_mailbox_info_t *info);
/* Bumped by every change of the directory (databases, mailboxes, addresses,
 * quotas), in any process: address-book caches key on it. 0 for a new store. */
ms_err_t ms_directory_counter(ms_store_t *st, uint64_t *out);
ms_err_t ms_mailbox_list(ms_store_t *st, ms_mailbox_info_t **out, size_t *n); /* free(*out) */
ms_err_t ms_mailbox_delete(ms_store_t *st, const ms_guid_t *guid);
ms_err_t ms_mailbox_set_quota(ms_store_t *st, const ms_guid_t *guid,
                              uint64_t warning, uint64_t send, uint64_t receive);

typedef enum {
    MS_LOOKUP_GUID,    /* key: 32 hex digits or the canonical 8-4-4-4-12 form */
    MS_LOOKUP_SMTP,    /* any of the mailbox's addresses, case-insensitive */
    MS_LOOKUP_LOGIN,   /* login name / Kerberos principal, case-insensitive */
    MS_LOOKUP_LEGACYDN,/* legacyExchangeDN, case-insensitive */
    MS_LOOKUP_ANY      /* try each of the above */
} ms_lookup_t;
ms_err_t ms_mailbox_open(ms_store_t *st, ms_lookup_t by, const char *key, ms_mailbox_t **out);
ms_err_t ms_mailbox_open_guid(ms_store_t *st, const ms_guid_t *guid, ms_mailbox_t **out);
void ms_mailbox_close(ms_mailbox_t *mbx);
/* Directory record plus live size/counts (one read of the database). */
ms_err_t ms_mailbox_info(ms_mailbox_t *mbx, ms_mailbox_info_t *out);
const ms_guid_t *ms_mailbox_guid(const ms_mailbox_t *mbx);
const ms_guid_t *ms_mailbox_replica_guid(const ms_mailbox_t *mbx);

/* Properties of the logon (store) object, for RopLogon / RopGetPropertiesSpecific
 * on the logon handle: PidTagIpmSubtreeEntryId 0x35E0, ...OutboxEntryId 0x35E2,
 * ...WastebasketEntryId 0x35E3, ...SentMailEntryId 0x35E4, PidTagViewsEntryId
 * 0x35E5, PidTagCommonViewsEntryId 0x35E6, PidTagFinderEntryId 0x35E7,
 * PidTagDisplayName, PidTagMailboxOwnerName 0x661C, PidTagMailboxOwnerEntryId
 * 0x661B (address-book entry id of the legacyDN), PidTagStoreRecordKey 0x0FFA,
 * PidTagRecordKey, PidTagMessageSizeExtended, quotas in KB (0x3FF5 storage
 * limit/warning, 0x666E prohibit send, 0x666A prohibit receive).
 * tags NULL: all of them. Missing ones come back as PT_ERROR. */
ms_err_t ms_mailbox_store_props(ms_mailbox_t *mbx, const uint32_t *tags, size_t ntags,
                                ms_propval_t **vals, size_t *nvals);

/* Receive folders ([MS-OXCSTOR] RopGetReceiveFolder / RopSetReceiveFolder):
 * the folder for a message class is the one set for the longest matching
 * prefix ("IPM.Note.X" -> "IPM.Note" -> "IPM" -> ""); *explicit_class (may be
 * NULL, 256 bytes) receives that prefix. New mailboxes map "", "IPM" and
 * "REPORT.IPM" to the Inbox and "IPC" to the root. Class names are ASCII,
 * case-insensitive, at most 255 bytes. fid 0 in set removes the entry. */
ms_err_t ms_receive_folder_get(ms_txn_t *txn, ms_mailbox_t *mbx, const char *msg_class,
                               ms_id_t *fid, char *explicit_class);
ms_err_t ms_receive_folder_set(ms_txn_t *txn, ms_mailbox_t *mbx, const char *msg_class,
                               ms_id_t fid);

/* Quota state ([MS-OXCSTOR]: the ROP engine refuses submit when PROHIBIT_SEND). */
#define MS_QUOTA_WARNING          0x1u
#define MS_QUOTA_PROHIBIT_SEND    0x2u
#define MS_QUOTA_PROHIBIT_RECEIVE 0x4u
ms_err_t ms_mailbox_quota_state(ms_txn_t *txn, ms_mailbox_t *mbx, unsigned *state,
                                uint64_t *size);

/* ---- transactions ---------------------------------------------------- */
#define MS_TXN_READ  0u
#define MS_TXN_WRITE 1u
ms_err_t ms_txn_begin(ms_mailbox_t *mbx, unsigned flags, ms_txn_t **out);
ms_err_t ms_txn_commit(ms_txn_t *txn);  /* always frees txn */
void ms_txn_abort(ms_txn_t *txn);       /* NULL is fine */

/* ---- change counters (watch for notifications / sync) ---------------- */
/* fid 0: the mailbox counter (bumped by every committed change in it);
 * otherwise the folder's (bumped when its properties, hierarchy or contents
 * change). Cheap: one read txn. Another process polls these. */
ms_err_t ms_change_counter(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, uint64_t *out);

/* ---- named properties ([MS-OXCDATA] 2.6) ----------------------------- */
#define MS_MNID_ID     0
#define MS_MNID_STRING 1
typedef struct {
    ms_guid_t guid;
    uint8_t kind;          /* MS_MNID_ID or MS_MNID_STRING */
    uint32_t lid;          /* kind ID */
    char name[256];        /* kind STRING, UTF-8 */
} ms_propname_t;
/* Map a name to a property id (0x8001..0xFFFE). create=0 -> MS_E_NOT_FOUND
 * for unknown names (RopGetPropertyIdsFromNames without the create flag). */
ms_err_t ms_named_get_id(ms_txn_t *txn, ms_mailbox_t *mbx, const ms_propname_t *name,
                         int create, uint16_t *id);
ms_err_t ms_named_get_name(ms_txn_t *txn, ms_mailbox_t *mbx, uint16_t id, ms_propname_t *out);

/* ---- folders ([MS-OXCFOLD], special folders [MS-OXOSFLD]) ------------- */
typedef enum {
    /* the 13 RopLogon FolderIds, in response order ([MS-OXCSTOR] 2.2.1.1.3) */
    MS_FOLDER_ROOT = 0, MS_FOLDER_DEFERRED_ACTION, MS_FOLDER_SPOOLER_QUEUE,
    MS_FOLDER_IPM_SUBTREE, MS_FOLDER_INBOX, MS_FOLDER_OUTBOX, MS_FOLDER_SENT_ITEMS,
    MS_FOLDER_DELETED_ITEMS, MS_FOLDER_COMMON_VIEWS, MS_FOLDER_SCHEDULE,
    MS_FOLDER_FINDER, MS_FOLDER_VIEWS, MS_FOLDER_SHORTCUTS,
    /* the rest of the private mailbox */
    MS_FOLDER_CALENDAR, MS_FOLDER_CONTACTS, MS_FOLDER_JOURNAL, MS_FOLDER_NOTES,
    MS_FOLDER_TASKS, MS_FOLDER_DRAFTS, MS_FOLDER_JUNK, MS_FOLDER_SYNC_ISSUES,
    MS_FOLDER_CONFLICTS, MS_FOLDER_LOCAL_FAILURES, MS_FOLDER_SERVER_FAILURES,
    MS_FOLDER_RSS_FEEDS, MS_FOLDER_CONVERSATION_ACTIONS, MS_FOLDER_QUICKSTEP_SETTINGS,
    MS_FOLDER_REMINDERS, MS_FOLDER_TODO_SEARCH, MS_FOLDER_SUGGESTED_CONTACTS,
    MS_FOLDER_TRACKED_MAIL, MS_FOLDER_FREEBUSY_DATA,
    MS_FOLDER_SPECIAL_COUNT
} ms_special_t;
#define MS_LOGON_FOLDER_COUNT 13
ms_id_t ms_special_folder_id(ms_special_t which);
const char *ms_special_folder_name(ms_special_t which);
/* Special folder by display name ("Inbox", case-insensitive) or -1. */
int ms_special_folder_by_name(const char *name);

/* entry ids ([MS-OXCDATA] 2.2.4.1 / 2.2.4.2), out buffers of the sizes above */
void ms_folder_entryid(ms_mailbox_t *mbx, ms_id_t fid, uint8_t out[MS_FOLDER_ENTRYID_SIZE]);
void ms_message_entryid(ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid,
                        uint8_t out[MS_MESSAGE_ENTRYID_SIZE]);
/* Parse either kind; *mid = 0 for a folder entry id. */
ms_err_t ms_entryid_parse(ms_mailbox_t *mbx, const uint8_t *eid, size_t len,
                          ms_id_t *fid, ms_id_t *mid);

#define MS_FOLDER_GENERIC 1
#define MS_FOLDER_SEARCH  2
#define MS_CREATE_OPEN_IF_EXISTS 0x1u
ms_err_t ms_folder_create(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t parent,
                          const char *name, const char *container_class,
                          unsigned flags, ms_id_t *fid);
ms_err_t ms_folder_exists(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid);
/* Child by display name (case-insensitive). */
ms_err_t ms_folder_find(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t parent,
                        const char *name, ms_id_t *fid);
/* Get props: *vals owned by caller (ms_propvals_free). Computed ones included
 * (PR_FID, PR_PARENT_FID, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_SUBFOLDERS,
 * PR_ENTRYID, PR_SOURCE_KEY, ...). Missing tags come back as PT_ERROR values.
 * tags == NULL: every stored property plus the computed ones. */
ms_err_t ms_folder_get_props(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid,
                             const uint32_t *tags, size_t ntags,
                             ms_propval_t **vals, size_t *nvals);
ms_err_t ms_folder_set_props(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid,
                             const ms_propval_t *vals, size_t n);
ms_err_t ms_folder_delete_props(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid,
                                const uint32_t *tags, size_t n);
/* [MS-OXCFOLD] RopDeleteFolder flags. A folder with messages needs
 * MS_DEL_MESSAGES, one with subfolders MS_DEL_FOLDERS (else MS_E_FAIL);
 * special folders cannot be deleted or moved (MS_E_ACCESS_DENIED). Folder
 * deletion is always hard. */
#define MS_DEL_MESSAGES 0x1u
#define MS_DEL_FOLDERS  0x4u
#define MS_DEL_HARD     0x10u
ms_err_t ms_folder_delete(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, unsigned flags);
ms_err_t ms_folder_move(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid,
                        ms_id_t new_parent, const char *new_name);
ms_err_t ms_folder_copy(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t new_parent,
                        const char *new_name, int recursive, ms_id_t *new_fid);
/* Delete every normal message, soft (into the deleted view) or with
 * MS_DEL_HARD for good; FAI messages stay. MS_DEL_FOLDERS also deletes every
 * subfolder that is not a special folder. */
ms_err_t ms_folder_empty(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, unsigned flags);

/* ---- messages ([MS-OXCMSG]) ------------------------------------------- */
typedef struct ms_message ms_message_t;

/* A message object is a private in-memory copy: changes apply on save, in one
 * transaction ([MS-OXCMSG] RopSaveChangesMessage). */
ms_err_t ms_message_create(ms_mailbox_t *mbx, ms_id_t fid, int associated,
                           ms_message_t **out);
/* fid 0: wherever the message is. Soft-deleted messages open too. */
ms_err_t ms_message_open(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid,
                         ms_message_t **out);
void ms_message_free(ms_message_t *msg);
ms_id_t ms_message_mid(const ms_message_t *msg);   /* 0 until first save */
ms_id_t ms_message_fid(const ms_message_t *msg);

/* Stored value or NULL. Computed tags (PR_MID, PR_FID, PR_MESSAGE_FLAGS,
 * PR_MESSAGE_SIZE, PR_ENTRYID, ...) are available after open/save.
 * Values stored out of line (> MS_INLINE_MAX) are read on first use, in a
 * read transaction of their own; pointers returned earlier stay valid. If the
 * message changed or went away since it was opened, such a value reads as
 * NULL (ms_last_error() says why) and a save returns MS_E_OBJECT_MODIFIED or
 * MS_E_OBJECT_DELETED. ms_message_get_all / ms_message_get_attach read all
 * pending values of the object first. */
const ms_propval_t *ms_message_get_prop(ms_message_t *msg, uint32_t tag);
/* Every property (stored + computed); array owned by the message. */
ms_err_t ms_message_get_all(ms_message_t *msg, const ms_propval_t **vals, size_t *n);
ms_err_t ms_message_set_props(ms_message_t *msg, const ms_propval_t *vals, size_t n);
ms_err_t ms_message_delete_props(ms_message_t *msg, const uint32_t *tags, size_t n);

/* Recipients: rows of properties keyed by PR_ROWID ([MS-OXCMSG] 2.2.1.47). */
size_t ms_message_recipient_count(const ms_message_t *msg);
ms_err_t ms_message_get_recipient(ms_message_t *msg, size_t i, const ms_propval_t **vals,
                                  size_t *n);
/* Add (rowid not present) or replace the row with that PR_ROWID; rowid
 * UINT32_MAX appends with the next free rowid. */
ms_err_t ms_message_modify_recipient(ms_message_t *msg, uint32_t rowid,
                                     const ms_propval_t *vals, size_t n);
ms_err_t ms_message_remove_recipient(ms_message_t *msg, uint32_t rowid);
ms_err_t ms_message_remove_all_recipients(ms_message_t *msg);

/* Attachments ([MS-OXCMSG] 2.2.2): each has PR_ATTACH_NUM and properties,
 * and, when PR_ATTACH_METHOD is 5 (ATTACH_EMBEDDED_MSG), an embedded message
 * owned by the attachment (saved with the parent message). */
size_t ms_message_attach_count(const ms_message_t *msg);
ms_err_t ms_message_create_attach(ms_message_t *msg, uint32_t *attach_num);
ms_err_t ms_message_get_attach(ms_message_t *msg, uint32_t attach_num,
                               const ms_propval_t **vals, size_t *n);
/* i-th attachment's number (0..count-1), for enumeration. */
ms_err_t ms_message_attach_num(const ms_message_t *msg, size_t i, uint32_t *attach_num);
ms_err_t ms_message_set_attach_props(ms_message_t *msg, uint32_t attach_num,
                                     const ms_propval_t *vals, size_t n);
ms_err_t ms_message_delete_attach(ms_message_t *msg, uint32_t attach_num);
/* The embedded message (created on first call when create != 0). Owned by
 * the parent message: do not free; changes are saved by the parent's save. */
ms_err_t ms_message_embedded(ms_message_t *msg, uint32_t attach_num, int create,
                             ms_message_t **out);

/* Save all changes in one transaction (txn NULL: its own). New messages get
 * a MID, source key, change number/key, PCL, entry ids, size; the folder's
 * counts, indexes and change counters are updated. The receive quota applies
 * when a save grows the mailbox. */
ms_err_t ms_message_save(ms_txn_t *txn, ms_message_t *msg);

/* Read state without a full save ([MS-OXCMSG] RopSetMessageReadFlag). */
ms_err_t ms_message_set_read(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid,
                             int read);
/* Soft delete moves the message to the folder's deleted-items view (a
 * contents table opened with MS_TABLE_SOFT_DELETED); hard delete removes it. */
ms_err_t ms_message_delete(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid,
                           const ms_id_t *mids, size_t n, int hard);
/* Move or copy messages; new_mids (may be NULL) receives the new ids. */
ms_err_t ms_message_move(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t src_fid,
                         ms_id_t dst_fid, const ms_id_t *mids, size_t n, int copy,
                         ms_id_t *new_mids);

/* Streams of large values ([MS-OXCPRPT] RopOpenStream): read a property of a
 * saved message or attachment piecewise. attach_num UINT32_MAX = the message. */
ms_err_t ms_stream_size(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid, uint32_t attach_num,
                        uint32_t tag, uint64_t *size);
ms_err_t ms_stream_read(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid, uint32_t attach_num,
                        uint32_t tag, uint64_t offset, void *buf, size_t len, size_t *got);
#define MS_CHUNK_SIZE 65536u
#define MS_INLINE_MAX 2048u     /* values above this are stored out of line */

/* ---- restrictions ([MS-OXCDATA] 2.12), the store's own tree ------------ */
typedef enum {
    MS_RES_AND = 0x00, MS_RES_OR = 0x01, MS_RES_NOT = 0x02, MS_RES_CONTENT = 0x03,
    MS_RES_PROPERTY = 0x04, MS_RES_COMPAREPROPS = 0x05, MS_RES_BITMASK = 0x06,
    MS_RES_SIZE = 0x07, MS_RES_EXIST = 0x08, MS_RES_SUBRESTRICTION = 0x09,
    MS_RES_COMMENT = 0x0A, MS_RES_COUNT = 0x0B
} ms_restype_t;
/* relop (2.12.5.1) */
#define MS_RELOP_LT 0
#define MS_RELOP_LE 1
#define MS_RELOP_GT 2
#define MS_RELOP_GE 3
#define MS_RELOP_EQ 4
#define MS_RELOP_NE 5
#define MS_RELOP_RE 6
/* fuzzy level (2.12.4.1): low word + high word flags */
#define MS_FL_FULLSTRING 0x0000
#define MS_FL_SUBSTRING  0x0001
#define MS_FL_PREFIX     0x0002
#define MS_FL_IGNORECASE 0x00010000
#define MS_FL_IGNORENONSPACE 0x00020000
#define MS_FL_LOOSE      0x00040000
/* bitmask (2.12.6) */
#define MS_BMR_EQZ 0
#define MS_BMR_NEZ 1

typedef struct ms_restriction ms_restriction_t;
struct ms_restriction {
    ms_restype_t type;
    union {
        struct { uint32_t count; ms_restriction_t *res; } andor;   /* AND, OR */
        struct { ms_restriction_t *res; } not_;
        struct { uint32_t fuzzy; uint32_t tag; ms_propval_t val; } content;
        struct { uint8_t relop; uint32_t tag; ms_propval_t val; } prop;
        struct { uint8_t relop; uint32_t tag1, tag2; } compare;
        struct { uint8_t bmr; uint32_t tag; uint32_t mask; } bitmask;
        struct { uint8_t relop; uint32_t tag; uint32_t size; } size;
        struct { uint32_t tag; } exist;
        /* subobject: PR_MESSAGE_RECIPIENTS 0x0E12000D or PR_MESSAGE_ATTACHMENTS 0x0E13000D */
        struct { uint32_t subobject; ms_restriction_t *res; } sub;
        struct { uint32_t nvals; ms_propval_t *vals; ms_restriction_t *res; } comment; /* res may be NULL */
        struct { uint32_t count; ms_restriction_t *res; } count;
    } u;
};
/* Evaluate against a row of values (exposed for tests and search folders). */
int ms_restriction_match(const ms_restriction_t *r, const ms_propval_t *row, size_t n);
/* Deep copy / free (tables keep a copy of the caller's restriction). */
ms_err_t ms_restriction_dup(const ms_restriction_t *src, ms_restriction_t **out);
void ms_restriction_free(ms_restriction_t *r);

/* ---- tables ([MS-OXCTABL]) ------------------------------------------- */
typedef struct ms_table ms_table_t;
typedef enum { MS_TABLE_HIERARCHY, MS_TABLE_CONTENTS } ms_table_kind_t;
#define MS_TABLE_ASSOCIATED   0x02u   /* contents: FAI messages */
#define MS_TABLE_DEPTH        0x04u   /* hierarchy: whole subtree */
#define MS_TABLE_SOFT_DELETED 0x20u   /* contents: soft-deleted messages */

typedef struct { uint32_t tag; uint8_t desc; } ms_sortorder_t;

typedef struct {
    uint32_t count;
    ms_propval_t **rows;   /* rows[i] has ncols values, in column order */
    uint32_t ncols;
} ms_rowset_t;
void ms_rowset_free(ms_rowset_t *rs);

/* A table lives across transactions (held by a ROP handle); each call takes
 * the transaction of the current request (or NULL). */
ms_err_t ms_table_open(ms_txn_t *txn, ms_mailbox_t *mbx, ms_table_kind_t kind, ms_id_t fid,
                       unsigned flags, ms_table_t **out);
void ms_table_close(ms_table_t *t);
ms_err_t ms_table_set_columns(ms_table_t *t, const uint32_t *tags, size_t n);
ms_err_t ms_table_sort(ms_table_t *t, const ms_sortorder_t *sorts, size_t n);
ms_err_t ms_table_restrict(ms_table_t *t, const ms_restriction_t *res); /* NULL clears */
/* True if the current sort is served by an index (delivery time, subject,
 * sender name, size; asc or desc; no restriction needed). */
int ms_table_indexed(const ms_table_t *t);

#define MS_BOOKMARK_BEGINNING 0
#define MS_BOOKMARK_CURRENT   1
#define MS_BOOKMARK_END       2
ms_err_t ms_table_row_count(ms_txn_t *txn, ms_table_t *t, uint32_t *count);
/* Position (0-based row index of the cursor) and the row count. */
ms_err_t ms_table_position(ms_txn_t *txn, ms_table_t *t, uint32_t *pos, uint32_t *count);
ms_err_t ms_table_seek(ms_txn_t *txn, ms_table_t *t, int origin, int32_t offset,
                       int32_t *moved);
/* Read up to n rows forward (or backward) from the cursor and move it. */
ms_err_t ms_table_query(ms_txn_t *txn, ms_table_t *t, uint32_t n, int backward,
                        ms_rowset_t *out);
/* Bookmarks are the cursor's sort key (+ id): valid across changes. */
typedef struct { uint32_t len; uint8_t key[256]; } ms_bookmark_t;
ms_err_t ms_table_bookmark(ms_table_t *t, ms_bookmark_t *bm);
ms_err_t ms_table_seek_bookmark(ms_txn_t *txn, ms_table_t *t, const ms_bookmark_t *bm,
                                int32_t offset, int32_t *moved);
/* [MS-OXCTABL] RopFindRow: the first row matching res from the cursor (or from
 * the beginning / end for those origins), forward or backward. The cursor is
 * left on the row, which comes back in *row (1 row). MS_E_NOT_FOUND if none. */
ms_err_t ms_table_find_row(ms_txn_t *txn, ms_table_t *t, const ms_restriction_t *res,
                           int origin, int backward, ms_rowset_t *row);
/* Id of each row (FID for hierarchy, MID for contents) at the cursor, no move. */
ms_err_t ms_table_current_id(ms_txn_t *txn, ms_table_t *t, ms_id_t *id);

/* ---- check, backup --------------------------------------------------- */
/* Verifies every index, counter and reference; report(line) per problem.
 * *problems = count. Returns MS_OK when it could run. */
ms_err_t ms_store_check(ms_store_t *st, void (*report)(void *ctx, const char *line),
                        void *ctx, unsigned *problems);
/* Hot backup: copy every environment compacted (mdb_env_copy2 MDB_CP_COMPACT)
 * into DEST (must not exist); DEST is a store root itself. */
ms_err_t ms_store_backup(ms_store_t *st, const char *dest);
/* Restore a backup into ROOT (must not exist or be empty). */
ms_err_t ms_store_restore(const char *backup, const char *root);

/* ---- MIME ([MS-OXCMAIL] core), in libmapistore_mime.la (GMime) --------- */
typedef struct {
    ms_id_t mid;
    char message_id[256];
    char reason[256];      /* why it was skipped or repaired ("" if clean) */
    uint32_t attachments;
    uint64_t mime_size;
} ms_import_result_t;
/* Parse one RFC 5322 message and save it into fid in one transaction
 * (txn NULL: its own). Errors: MS_E_INVALID_PARAM (empty / no header block /
 * unparseable: nothing stored), quota/full errors (nothing stored). */
ms_err_t ms_import_mime(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const void *data,
                        size_t len, ms_import_result_t *res);
/* Build RFC 5322 bytes from a saved message. *out is malloc()ed. */
ms_err_t ms_export_mime(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid,
                        char **out, size_t *len);


/* ---- outgoing queue ([MS-OXOMSG] 3.2.5.1 RopSubmitMessage) ------------ */
/* One list per mailbox, kept on the root folder (MS_PR_SUBMIT_QUEUE, a
 * non-transmittable property), in submission order. Mail flow takes
 * entries from it; RopAbortSubmit removes them. Entries are not removed
 * when their message is deleted: readers check that the message exists. */
#define MS_PR_SUBMIT_QUEUE MS_PROP_TAG(MS_PT_BINARY, 0x65D0)
#define MS_QF_DELETE_AFTER_SUBMIT 0x00000001u /* PidTagDeleteAfterSubmit was true */
#define MS_QF_MOVE_TO_SENT        0x00000002u /* PidTagSentMailEntryId named sent_fid */
#define MS_QF_PRE_PROCESS         0x00010000u /* SubmitFlags 0x01 (<< 16) */
#define MS_QF_NEEDS_SPOOLER       0x00020000u /* SubmitFlags 0x02 (<< 16) */
#define MS_QUEUE_MAX 10000
typedef struct {
    ms_id_t fid, mid;       /* where the message is (the Outbox, usually) */
    ms_id_t sent_fid;       /* where its copy goes after sending (0: none) */
    uint64_t submit_time;   /* FILETIME */
    uint32_t flags;         /* MS_QF_* */
} ms_queue_entry_t;
/* Adds e (an entry of the same mid is replaced). MS_E_TABLE_TOO_BIG past
 * MS_QUEUE_MAX entries. */
ms_err_t ms_queue_add(ms_txn_t *txn, ms_mailbox_t *mbx, const ms_queue_entry_t *e);
/* MS_E_NOT_FOUND when mid is not queued. */
ms_err_t ms_queue_remove(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid);
ms_err_t ms_queue_find(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t mid, ms_queue_entry_t *out);
ms_err_t ms_queue_list(ms_txn_t *txn, ms_mailbox_t *mbx, ms_queue_entry_t **out, size_t *n); /* free(*out) */

/* ---- folder permissions ([MS-OXCPERM] 2.2) ----------------------------- */
/* Per folder (MS_PR_ACL_DATA on the folder). Member ids 0 (Default) and -1
 * (Anonymous) are the two members every folder has; the engine supplies
 * them when the list does not hold them. Rights: PidTagMemberRights bits. */
#define MS_PR_ACL_DATA MS_PROP_TAG(MS_PT_BINARY, 0x65D1)
#define MS_ACL_MEMBER_DEFAULT   ((int64_t)0)
#define MS_ACL_MEMBER_ANONYMOUS ((int64_t)-1)
#define MS_ACL_MAX 1000
#define MS_ACL_ENTRYID_MAX 512
typedef struct {
    int64_t member_id;
    uint32_t rights;
    char name[256];                       /* PidTagMemberName, UTF-8 */
    uint32_t entryid_len;
    uint8_t entryid[MS_ACL_ENTRYID_MAX];  /* address-book entry id ([MS-OXCDATA] 2.2.5.2) */
} ms_acl_entry_t;
ms_err_t ms_acl_get(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_acl_entry_t **out, size_t *n); /* free(*out) */
/* Replaces the folder's list (n 0 removes it). MS_E_TABLE_TOO_BIG past MS_ACL_MAX. */
ms_err_t ms_acl_set(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const ms_acl_entry_t *e, size_t n);

/* ---- server rules ([MS-OXORULE] 2.2.1.3) ------------------------------- */
/* Per folder (MS_PR_RULES_DATA on the folder): each rule is an id unique in
 * the folder and its properties as opaque bytes (the engine keeps them as
 * TaggedPropertyValues, conditions and actions in their wire form). */
#define MS_PR_RULES_DATA MS_PROP_TAG(MS_PT_BINARY, 0x65D2)
#define MS_RULES_MAX 256
#define MS_RULES_MAX_BYTES (256u * 1024u)  /* all rules of a folder together */
typedef struct {
    uint64_t id;
    uint32_t len;
    uint8_t *data;
} ms_rule_t;
ms_err_t ms_rules_get(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_rule_t **out, size_t *n);
/* Replaces the folder's rules (n 0 removes them). MS_E_NOMEM past
 * MS_RULES_MAX rules or MS_RULES_MAX_BYTES ([MS-OXORULE] 3.2.5.2:
 * ecNotEnoughMemory), MS_E_INVALID_PARAM for duplicate ids. */
ms_err_t ms_rules_set(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const ms_rule_t *r, size_t n);
void ms_rules_free(ms_rule_t *r, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* MAPISTORE_H */
