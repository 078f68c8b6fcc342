/*
 * nspi_internal.h - shared by the nspi_*.c files of the engine: the
 * directory snapshot (nspi_gal.c), address book properties (nspi_props.c),
 * table positioning (nspi_table.c) and the per-request context.
 */
#ifndef NSPI_INTERNAL_H
#define NSPI_INTERNAL_H

#include "mapi_nspi.h"
#include "mapi_restriction.h"
#include "nspi_engine.h"

/* ---- the directory snapshot (nspi_gal.c) ------------------------------ */
typedef struct {
    uint32_t mid;
    uint32_t dir_index;       /* position in directory (GUID) order */
    ms_guid_t guid;
    const char *display;      /* UTF-8 */
    const char *fold;         /* case-folded display name: the sort key */
    const char *alias;        /* last cn= element of the directory DN */
    const char *dir_dn;       /* the directory's legacyExchangeDN */
    const char *dn;           /* the DN we report (see nspi_engine.h) */
    const char *login;
    const char *smtp[MS_MAX_SMTP];
    unsigned nsmtp;
} nspi_entry_t;

typedef struct {
    const char *key;          /* kind char + lower-case value */
    uint32_t idx;             /* index into e[] */
} nspi_key_t;

typedef struct nspi_gal {
    unsigned refs;
    mapi_arena_t arena;       /* every string of the snapshot */
    nspi_entry_t *e;          /* sorted by display name */
    uint32_t n;
    uint32_t *by_mid;         /* indexes into e[], sorted by MId */
    nspi_key_t *keys;         /* sorted by key */
    size_t nkeys;
    char *dn_prefix;
} nspi_gal_t;

/* Key kinds. */
#define NSPI_KEY_SMTP  's'
#define NSPI_KEY_LOGIN 'l'
#define NSPI_KEY_ALIAS 'a'
#define NSPI_KEY_DN    'd'    /* both the reported and the directory DN */
#define NSPI_KEY_WORD  'w'    /* the folded display name from its 2nd, 3rd .. word */

/* The current snapshot of st's directory (a reference; NULL on failure with
 * *err set to an NSPI error code). Release with nspi_gal_release(). */
nspi_gal_t *nspi_gal_acquire(ms_store_t *st, const char *dn_prefix, uint32_t *err);
void nspi_gal_release(nspi_gal_t *g);
/* Entry index of a user MId, or -1. */
long nspi_gal_find_mid(const nspi_gal_t *g, uint32_t mid);
/* Entry index by key kind + value (case-insensitive), or -1. */
long nspi_gal_find_key(const nspi_gal_t *g, char kind, const char *value);
/* First index whose folded display name is >= the folded s (n if none). */
uint32_t nspi_gal_lower_bound(const nspi_gal_t *g, const char *s);
/* Case fold (ASCII, Latin-1, Latin Extended-A) into a malloc'd string. */
char *nspi_fold(const char *utf8);
/* 1 if folded string `s` starts with folded `prefix`. */
int nspi_fold_has_prefix(const char *s, const char *prefix);

/* ---- one request -------------------------------------------------------- */
typedef struct {
    const nspi_engine_ctx_t *ctx;
    nspi_gal_t *gal;
    nspi_arena_t *arena;      /* response memory */
    uint32_t cp;              /* code page for String8 values */
    uint8_t server_guid[16];
    int ephemeral;            /* fEphID: PidTagEntryId in ephemeral form */
} nspi_rq_t;

/* Flags of several requests ([MS-OXNSPI] 2.2.1.7 / 2.2.1.3). */
#define NSPI_FSKIPOBJECTS            0x00000001u
#define NSPI_FEPHID                  0x00000002u
#define NSPI_UNICODE_STRINGS         0x00000004u   /* GetSpecialTable */
#define NSPI_ADDRESS_CREATION_TMPL   0x00000002u   /* GetSpecialTable */
#define NSPI_UNICODE_PROPTYPES       0x80000000u   /* QueryColumns */
/* SortType values ([MS-OXNSPI] 2.2.1.11). */
#define NSPI_SORT_DISPLAYNAME        0x00000000u
#define NSPI_SORT_PHONETIC           0x00000003u
#define NSPI_SORT_DISPLAYNAME_RO     0x000003E8u
#define NSPI_SORT_DISPLAYNAME_W      0x000003E9u

/* ---- properties (nspi_props.c) ------------------------------------------ */
/* The value of `tag` on entry e (e == NULL: the GAL container) in its
 * native type (strings: PT_UNICODE, UTF-8), memory from rq->arena.
 * 1 if the object has the property, 0 if not. */
int nspi_prop_get(nspi_rq_t *rq, const nspi_entry_t *e, uint32_t tag, mapi_propval_t *out);
/* The tags a user (or the container) has, in their native types; the
 * array is static. */
const uint32_t *nspi_prop_list(int container, size_t *n);
/* Values of tags on e (NULL: the container), missing ones as PtypErrorCode
 * NotFound: Success, or ErrorsReturned when one is missing. */
uint32_t nspi_proplist_build(nspi_rq_t *rq, const nspi_entry_t *e, const nspi_u32_array_t *tags,
                             nspi_proplist_t *out);
/* Properties kept in the user's mailbox (ModProps on one's own entry):
 * 1 and *out (arena) if e has tag's value there, else 0. */
int nspi_stored_prop(nspi_rq_t *rq, const nspi_entry_t *e, uint32_t tag, mapi_propval_t *out);
/* One row value for column `tag`: present (value converted to the column
 * type; PT_UNSPECIFIED: native type), or flagged ERROR NotFound. Returns 1
 * if present, 0 if not, -1 on memory failure. */
int nspi_prop_rowval(nspi_rq_t *rq, const nspi_entry_t *e, uint32_t tag, nspi_rowval_t *out);
/* The column list to put in a response: String8 columns become Unicode
 * when the code page is CP_WINUNICODE ([MS-OXNSPI] GetProps/QueryRows). */
uint32_t nspi_column_tag(const nspi_rq_t *rq, uint32_t tag);
/* Rows for entries idx[0..n) (idx -1: an MId we do not know: every column
 * NotFound) into rs (columns copied). NSPI_OK or an NSPI error code. */
uint32_t nspi_rows_build(nspi_rq_t *rq, const nspi_u32_array_t *cols, const long *idx, uint32_t n,
                         nspi_rowset_t *rs);
/* mapi_get_prop_fn for restrictions over entries: ctx is an nspi_eval_t. */
typedef struct {
    nspi_rq_t *rq;
    const nspi_entry_t *e;
    mapi_propval_t v;
} nspi_eval_t;
const mapi_propval_t *nspi_eval_get(void *ctx, uint32_t tag);
/* The default columns of QueryRows and ResolveNames ([MS-OXNSPI] 3.1.4.1.8). */
void nspi_default_columns(nspi_u32_array_t *cols, int unicode);
/* Permanent entry id of an entry / the container into out (arena). */
int nspi_permanent_entryid(nspi_rq_t *rq, const nspi_entry_t *e, mapi_bin_t *out);

/* Tags ([MS-OXPROPS]). */
#define NSPI_TAG_ENTRYID              0x0FFF0102u
#define NSPI_TAG_INSTANCE_KEY         0x0FF60102u
#define NSPI_TAG_MAPPING_SIGNATURE    0x0FF80102u
#define NSPI_TAG_RECORD_KEY           0x0FF90102u
#define NSPI_TAG_OBJECT_TYPE          0x0FFE0003u
#define NSPI_TAG_DISPLAY_NAME         0x3001001Fu
#define NSPI_TAG_ADDRTYPE             0x3002001Fu
#define NSPI_TAG_EMAIL_ADDRESS        0x3003001Fu
#define NSPI_TAG_DEPTH                0x30050003u
#define NSPI_TAG_SEARCH_KEY           0x300B0102u
#define NSPI_TAG_CONTAINER_FLAGS      0x36000003u
#define NSPI_TAG_DISPLAY_TYPE         0x39000003u
#define NSPI_TAG_TEMPLATEID           0x39020102u
#define NSPI_TAG_SMTP_ADDRESS         0x39FE001Fu
#define NSPI_TAG_DISPLAY_NAME_PRINTABLE 0x39FF001Fu
#define NSPI_TAG_ACCOUNT              0x3A00001Fu
#define NSPI_TAG_TRANSMITTABLE_DISPLAY_NAME 0x3A20001Fu
#define NSPI_TAG_PROXY_ADDRESSES      0x800F101Fu
#define NSPI_TAG_OBJECT_GUID          0x8C6D0102u
#define NSPI_TAG_AB_IS_MASTER         0xFFFB000Bu
#define NSPI_TAG_AB_CONTAINER_ID      0xFFFD0003u
#define NSPI_TAG_PRIMARY_TELEPHONE    0x3A08001Eu
#define NSPI_TAG_DEPARTMENT_NAME      0x3A18001Eu
#define NSPI_TAG_OFFICE_LOCATION      0x3A19001Eu
#define NSPI_TAG_USER_X509_CERT       0x3A701102u
#define NSPI_TAG_AB_X509_CERT         0x8C6A1102u
#define NSPI_TAG_AB_MEMBER            0x8009000Du
#define NSPI_TAG_AB_PUBLIC_DELEGATES  0x8015000Du
/* PidTagAddressBookPublicDelegates as kept: the delegates' permanent ids */
#define NSPI_TAG_DELEGATES_STORED     0x80151102u

/* Display and object types ([MS-OXOABK] 2.2.3.10 / 2.2.3.11). */
#define NSPI_DT_MAILUSER   0x00000000u
#define NSPI_DT_CONTAINER  0x00000100u
#define NSPI_DT_GLOBAL     0x00020000u
#define NSPI_OT_ABCONT     0x00000004u
#define NSPI_OT_MAILUSER   0x00000006u

/* ---- table positioning (nspi_table.c) ----------------------------------- */
/* [MS-OXNSPI] 3.1.4.5: the Current Position (0..total) the STAT describes
 * in the GAL, or an error (InvalidBookmark, NotFound, InvalidParameter). */
uint32_t nspi_stat_position(const nspi_rq_t *rq, const nspi_stat_t *st, uint32_t *pos, uint32_t *initial);
/* Writes position `pos` back into the STAT (CurrentRec, NumPos, TotalRecs,
 * Delta 0). */
void nspi_stat_set_position(const nspi_rq_t *rq, nspi_stat_t *st, uint32_t pos);
/* Common STAT checks: sort type, container, code page. NSPI_SUCCESS or the
 * error to answer. */
uint32_t nspi_stat_check(const nspi_stat_t *st, int allow_unicode_cp);

/* ---- handlers: each fills rsp (type and status set by the caller) ------- */
typedef uint32_t (*nspi_handler_fn)(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_updatestat(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_queryrows(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_seekentries(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_comparemids(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_resortrestriction(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_getmatches(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_resolvenames(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_dntomid(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_getprops(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_getproplist(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_querycolumns(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_getspecialtable(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_gettemplateinfo(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_modprops(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_modlinkatt(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);
uint32_t nspi_do_geturl(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp);

/* Ambiguous name resolution of one entry ([MS-OXNSPI] 3.1.4.7): 1 if the
 * folded string starts the display name or one of its words, the alias,
 * the login or an SMTP address (case-insensitive). */
int nspi_anr_match(const nspi_entry_t *e, const char *fold);
/* Characters that end a word of a display name. */
static inline int nspi_is_word_sep(char c)
{
    return c == ' ' || c == '\t' || c == '-' || c == ',' || c == '.' || c == '(' || c == '"' || c == '\'';
}
#define NSPI_TAG_ANR_ID 0x360C      /* PidTagAnr: restrictions on it mean ANR */

/* Entry of the authenticated user (by login, then SMTP), or -1. */
long nspi_own_entry(const nspi_rq_t *rq);

#endif /* NSPI_INTERNAL_H */
