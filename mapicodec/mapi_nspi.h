/*
 * mapi_nspi.h - wire codecs for the address book (NSPI) request types of
 * MAPI over HTTP: [MS-OXCMAPIHTTP] 2.2.5 (bodies) and 2.2.1 (the
 * AddressBook* value structures), with the STAT block and Minimal Entry
 * IDs of [MS-OXNSPI] 2.2.8 / 2.2.9.1.
 *
 * Every request type has a request decoder and encoder, and a response
 * encoder and decoder (the server and the test client each use one half).
 * Bodies are described once (nspi_bodies_*.c) and run in both directions,
 * so an encoded body always decodes to the same struct and back.
 *
 * Decoded structs point into the caller's buffer for strings, binaries and
 * the auxiliary buffer; arrays are allocated from an nspi_arena_t which the
 * caller frees in one call. Keep the buffer alive while using the struct.
 *
 * All counts in NSPI bodies are 32-bit ([MS-OXCDATA] 2.11.1: "in the
 * context of ... [MS-OXCMAPIHTTP] section 2.2.5, byte counts for PtypBinary
 * ... and value counts for PtypMultiple ... are 32 bits wide").
 */
#ifndef MAPI_NSPI_H
#define MAPI_NSPI_H

#include <stddef.h>
#include <stdint.h>

#include "mapi_buf.h"
#include "mapi_prop.h"
#include "mapi_restriction.h"

/* ---- results of the codec calls ------------------------------------- */
#define NSPI_OK            0
#define NSPI_E_TRUNCATED  (-1)  /* a field or length runs past the end */
#define NSPI_E_FORMAT     (-2)  /* a value the layout does not allow */
#define NSPI_E_TRAILING   (-3)  /* bytes left after the last field */
#define NSPI_E_NOMEM      (-4)
#define NSPI_E_ENCODE     (-5)  /* the struct cannot be encoded (bad input) */
#define NSPI_E_TOO_COMPLEX (-6) /* restriction nested too deep (answer TooComplex) */
const char *nspi_strerror(int rc);

/* ---- NSPI return values ([MS-OXNSPI] 2.2.1.2 lists the only permitted
 * ones; values from [MS-OXCDATA] 2.4) -------------------------------------- */
#define NSPI_SUCCESS            0x00000000u
#define NSPI_UNBIND_SUCCESS     0x00000001u
#define NSPI_UNBIND_FAILURE     0x00000002u
#define NSPI_ERRORS_RETURNED    0x00040380u
#define NSPI_GENERAL_FAILURE    0x80004005u
#define NSPI_NOT_SUPPORTED      0x80040102u
#define NSPI_INVALID_OBJECT     0x80040108u
#define NSPI_OUT_OF_RESOURCES   0x8004010Eu
#define NSPI_NOT_FOUND          0x8004010Fu
#define NSPI_LOGON_FAILED       0x80040111u
#define NSPI_TOO_COMPLEX        0x80040117u
#define NSPI_INVALID_CODEPAGE   0x8004011Eu
#define NSPI_INVALID_LOCALE     0x8004011Fu
#define NSPI_TABLE_TOO_BIG      0x80040403u
#define NSPI_INVALID_BOOKMARK   0x80040405u
#define NSPI_ACCESS_DENIED      0x80070005u
#define NSPI_NOT_ENOUGH_MEMORY  0x8007000Eu
#define NSPI_INVALID_PARAMETER  0x80070057u
/* 1 if v is one of the codes above (an NSPI server may return no other). */
int nspi_error_permitted(uint32_t v);

/* ---- request types ([MS-OXCMAPIHTTP] 2.2.5.1 - 2.2.5.19) -------------- */
typedef enum {
    NSPI_BIND = 0, NSPI_UNBIND, NSPI_COMPAREMIDS, NSPI_DNTOMID, NSPI_GETMATCHES,
    NSPI_GETPROPLIST, NSPI_GETPROPS, NSPI_GETSPECIALTABLE, NSPI_GETTEMPLATEINFO,
    NSPI_MODLINKATT, NSPI_MODPROPS, NSPI_QUERYCOLUMNS, NSPI_QUERYROWS,
    NSPI_RESOLVENAMES, NSPI_RESORTRESTRICTION, NSPI_SEEKENTRIES, NSPI_UPDATESTAT,
    NSPI_GETMAILBOXURL, NSPI_GETADDRESSBOOKURL,
    NSPI_REQ_COUNT
} nspi_req_type_t;
/* X-RequestType header value <-> type ("Bind", "QueryRows", "DNToMId", ...,
 * compared case-insensitively); -1 if unknown. */
int nspi_req_type_from_name(const char *name);
const char *nspi_req_type_name(nspi_req_type_t t);

/* ---- arena: every array a decoder allocates, freed at once ------------
 * The libmapicodec arena (mapi_prop.h), so restriction trees and NSPI
 * arrays share one lifetime. */
typedef mapi_arena_t nspi_arena_t;
static inline void nspi_arena_init(nspi_arena_t *a, size_t limit) { mapi_arena_init(a, limit); }
static inline void *nspi_arena_alloc(nspi_arena_t *a, size_t n) { return mapi_arena_alloc(a, n); }
static inline void *nspi_arena_array(nspi_arena_t *a, size_t count, size_t size)
{
    return mapi_arena_calloc(a, count, size);
}
static inline void nspi_arena_free(nspi_arena_t *a) { mapi_arena_clear(a); }

/* ---- shared structures ---------------------------------------------- */
/* A byte range: an auxiliary buffer, a binary value, or a string's wire
 * bytes without its terminator (8-bit string: code-page bytes; Unicode
 * string: UTF-16LE, len even). */
typedef struct {
    const uint8_t *p;
    uint32_t len;
} nspi_bytes_t;

/* STAT ([MS-OXNSPI] 2.2.8): 9 x 32-bit, 36 bytes. */
#define NSPI_STAT_SIZE 36
typedef struct {
    uint32_t sort_type;
    uint32_t container_id;
    uint32_t current_rec;
    int32_t delta;
    uint32_t num_pos;
    uint32_t total_recs;
    uint32_t code_page;
    uint32_t template_locale;
    uint32_t sort_locale;
} nspi_stat_t;
void nspi_stat_put(uint8_t out[NSPI_STAT_SIZE], const nspi_stat_t *s);
void nspi_stat_get(nspi_stat_t *s, const uint8_t in[NSPI_STAT_SIZE]);

/* A count and 32-bit values: MinimalEntryID lists ([MS-OXNSPI] 2.2.9.1)
 * and LargePropertyTagArray ([MS-OXCMAPIHTTP] 2.2.1.8). */
typedef struct {
    uint32_t count;
    uint32_t *v;
} nspi_u32_array_t;

/* StringArray / WStringArray of the requests: Count + NUL-terminated
 * strings (8-bit for DNToMId, UTF-16LE for ResolveNames). */
typedef struct {
    uint32_t count;
    nspi_bytes_t *s;
} nspi_strarray_t;

/* ---- property values ([MS-OXCDATA] 2.11.1 types) ---------------------- */
#define NSPI_PT_UNSPECIFIED 0x0000
#define NSPI_PT_NULL        0x0001
#define NSPI_PT_SHORT       0x0002
#define NSPI_PT_LONG        0x0003
#define NSPI_PT_FLOAT       0x0004
#define NSPI_PT_DOUBLE      0x0005
#define NSPI_PT_CURRENCY    0x0006
#define NSPI_PT_APPTIME     0x0007
#define NSPI_PT_ERROR       0x000A
#define NSPI_PT_BOOLEAN     0x000B
#define NSPI_PT_I8          0x0014
#define NSPI_PT_STRING8     0x001E
#define NSPI_PT_UNICODE     0x001F
#define NSPI_PT_SYSTIME     0x0040
#define NSPI_PT_CLSID       0x0048
#define NSPI_PT_BINARY      0x0102
#define NSPI_PT_MV          0x1000
#define NSPI_PROP_TYPE(tag) ((uint16_t)((tag) & 0xFFFF))
#define NSPI_PROP_ID(tag)   ((uint16_t)((tag) >> 16))
#define NSPI_PROP_TAG(id, type) (((uint32_t)(id) << 16) | (uint16_t)(type))
/* 1 if the codec knows how to carry values of this type in NSPI bodies. */
int nspi_type_supported(uint16_t type);
/* 1 for the types whose AddressBookPropertyValue has a HasValue byte
 * (strings, binary, all multi-valued; [MS-OXCMAPIHTTP] 2.2.1.1). */
int nspi_type_has_hasvalue(uint16_t type);

/* One element of a multi-valued string/binary: in NSPI bodies every such
 * element carries its own HasValue byte (0x00 = absent). */
typedef struct {
    uint8_t present;
    nspi_bytes_t b;
} nspi_mv_elem_t;

/* AddressBookPropertyValue ([MS-OXCMAPIHTTP] 2.2.1.1). */
typedef struct {
    uint16_t type;      /* the value's type (never PtypUnspecified) */
    uint8_t present;    /* HasValue; always 1 for fixed-size types */
    union {
        uint16_t i16;               /* SHORT */
        uint32_t i32;               /* LONG, FLOAT bits, ERROR */
        uint8_t b;                  /* BOOLEAN (1 byte) */
        uint64_t i64;               /* DOUBLE/CURRENCY/APPTIME bits, I8, SYSTIME */
        uint8_t guid[16];           /* CLSID */
        nspi_bytes_t bytes;         /* STRING8, UNICODE, BINARY */
        struct {
            uint32_t count;
            union {
                uint16_t *i16;      /* MV_SHORT */
                uint32_t *i32;      /* MV_LONG, MV_FLOAT */
                uint64_t *i64;      /* MV_DOUBLE/CURRENCY/APPTIME/I8/SYSTIME */
                uint8_t (*guid)[16];/* MV_CLSID */
                nspi_mv_elem_t *e;  /* MV_STRING8, MV_UNICODE, MV_BINARY */
            } u;
        } mv;
    } u;
} nspi_propval_t;

/* AddressBookTaggedPropertyValue (2.2.1.2): tag + value (type = tag's). */
typedef struct {
    uint32_t tag;
    nspi_propval_t v;
} nspi_tagged_t;

/* AddressBookPropertyValueList (2.2.1.3). */
typedef struct {
    uint32_t count;
    nspi_tagged_t *v;
} nspi_proplist_t;

/* One column of an AddressBookPropertyRow (2.2.1.4 - 2.2.1.7). */
#define NSPI_FLAG_PRESENT 0x00
#define NSPI_FLAG_MISSING 0x01
#define NSPI_FLAG_ERROR   0x0A
typedef struct {
    uint8_t flag;       /* NSPI_FLAG_*; only PRESENT in a row with flags 0 */
    uint32_t err;       /* the PtypErrorCode value when flag == ERROR */
    nspi_propval_t v;   /* v.type: the column's type, or the explicit type
                         * carried for PtypUnspecified columns */
} nspi_rowval_t;

/* AddressBookPropertyRow (2.2.1.7): Flags 0 = plain values, 1 = flagged. */
typedef struct {
    uint8_t flags;
    nspi_rowval_t *vals;   /* one per column */
} nspi_row_t;
/* Sets row->flags to 1 if any value is not PRESENT, else 0. */
void nspi_row_set_flags(nspi_row_t *row, uint32_t ncols);

/* Columns + RowCount + RowData (the "ColsAndRows" of several responses). */
typedef struct {
    nspi_u32_array_t columns;
    uint32_t row_count;
    nspi_row_t *rows;
} nspi_rowset_t;

/* ---- restrictions ----------------------------------------------------
 * GetMatches' Filter is a restriction ([MS-OXCDATA] 2.12) in the wide
 * widths (32-bit And/Or counts, 32-bit binary and multi-value counts),
 * carried by the libmapicodec restriction codec (mapi_restriction.h). */

/* ---- request bodies (field names as in [MS-OXCMAPIHTTP] 2.2.5) --------
 * has_* fields: 0 = absent; any other value = present (written as 0xFF). */
typedef struct {                     /* 2.2.5.1.1 */
    uint32_t flags;
    uint8_t has_state;
    nspi_stat_t state;
} nspi_bind_req_t;
typedef struct {                     /* 2.2.5.2.1 */
    uint32_t reserved;
} nspi_unbind_req_t;
typedef struct {                     /* 2.2.5.3.1 */
    uint32_t reserved;
    uint8_t has_state;
    nspi_stat_t state;
    uint32_t mid1, mid2;
} nspi_comparemids_req_t;
typedef struct {                     /* 2.2.5.4.1 */
    uint32_t reserved;
    uint8_t has_names;
    nspi_strarray_t names;           /* 8-bit DNs */
} nspi_dntomid_req_t;
typedef struct {                     /* 2.2.5.5.1 */
    uint32_t reserved;
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_mids;
    nspi_u32_array_t mids;
    uint32_t interface_option_flags;
    uint8_t has_filter;
    /* Decoding sets both: the tree, and the bytes it came from. Encoding
     * writes filter_tree when set, else the bytes (which must hold exactly
     * one well-formed restriction). */
    mapi_restriction_t *filter_tree;
    nspi_bytes_t filter;
    uint8_t has_property_name;
    uint8_t property_name_guid[16];
    uint32_t property_name_id;
    uint32_t row_count;
    uint8_t has_columns;
    nspi_u32_array_t columns;
} nspi_getmatches_req_t;
typedef struct {                     /* 2.2.5.6.1 */
    uint32_t flags;
    uint32_t mid;
    uint32_t code_page;
} nspi_getproplist_req_t;
typedef struct {                     /* 2.2.5.7.1 */
    uint32_t flags;
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_proptags;
    nspi_u32_array_t proptags;
} nspi_getprops_req_t;
typedef struct {                     /* 2.2.5.8.1 */
    uint32_t flags;
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_version;
    uint32_t version;
} nspi_getspecialtable_req_t;
typedef struct {                     /* 2.2.5.9.1 */
    uint32_t flags;
    uint32_t display_type;
    uint8_t has_template_dn;
    nspi_bytes_t template_dn;        /* 8-bit */
    uint32_t code_page;
    uint32_t locale_id;
} nspi_gettemplateinfo_req_t;
typedef struct {                     /* 2.2.5.10.1 */
    uint32_t flags;
    uint32_t proptag;
    uint32_t mid;
    uint8_t has_entry_ids;
    uint32_t entry_id_count;
    nspi_bytes_t *entry_ids;         /* each: 32-bit size + EntryID bytes */
} nspi_modlinkatt_req_t;
typedef struct {                     /* 2.2.5.11.1 */
    uint32_t reserved;
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_proptags;
    nspi_u32_array_t proptags;       /* properties to remove */
    uint8_t has_values;
    nspi_proplist_t values;
} nspi_modprops_req_t;
typedef struct {                     /* 2.2.5.13.1 */
    uint32_t reserved;
    uint32_t mapi_flags;
} nspi_querycolumns_req_t;
typedef struct {                     /* 2.2.5.12.1 */
    uint32_t flags;
    uint8_t has_state;
    nspi_stat_t state;
    nspi_u32_array_t explicit_table; /* always present (count may be 0) */
    uint32_t row_count;
    uint8_t has_columns;
    nspi_u32_array_t columns;
} nspi_queryrows_req_t;
typedef struct {                     /* 2.2.5.14.1 */
    uint32_t reserved;
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_proptags;
    nspi_u32_array_t proptags;
    uint8_t has_names;
    nspi_strarray_t names;           /* UTF-16LE */
} nspi_resolvenames_req_t;
typedef struct {                     /* 2.2.5.15.1 */
    uint32_t reserved;
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_mids;
    nspi_u32_array_t mids;
} nspi_resortrestriction_req_t;
typedef struct {                     /* 2.2.5.16.1 */
    uint32_t reserved;
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_target;
    nspi_tagged_t target;
    uint8_t has_explicit_table;
    nspi_u32_array_t explicit_table;
    uint8_t has_columns;
    nspi_u32_array_t columns;
} nspi_seekentries_req_t;
typedef struct {                     /* 2.2.5.17.1 */
    uint32_t reserved;
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t delta_requested;
} nspi_updatestat_req_t;
typedef struct {                     /* 2.2.5.18.1 / 2.2.5.19.1 */
    uint32_t flags;
    nspi_bytes_t dn;                 /* UTF-16LE: ServerDn / UserDn */
} nspi_geturl_req_t;

typedef struct {
    nspi_req_type_t type;
    union {
        nspi_bind_req_t bind;
        nspi_unbind_req_t unbind;
        nspi_comparemids_req_t comparemids;
        nspi_dntomid_req_t dntomid;
        nspi_getmatches_req_t getmatches;
        nspi_getproplist_req_t getproplist;
        nspi_getprops_req_t getprops;
        nspi_getspecialtable_req_t getspecialtable;
        nspi_gettemplateinfo_req_t gettemplateinfo;
        nspi_modlinkatt_req_t modlinkatt;
        nspi_modprops_req_t modprops;
        nspi_querycolumns_req_t querycolumns;
        nspi_queryrows_req_t queryrows;
        nspi_resolvenames_req_t resolvenames;
        nspi_resortrestriction_req_t resortrestriction;
        nspi_seekentries_req_t seekentries;
        nspi_updatestat_req_t updatestat;
        nspi_geturl_req_t geturl;    /* GetMailboxUrl and GetAddressBookUrl */
    } u;
    nspi_bytes_t aux;                /* AuxiliaryBufferSize + AuxiliaryBuffer */
} nspi_request_t;

/* ---- success response bodies (after StatusCode = 0 and ErrorCode) ---- */
typedef struct { uint8_t server_guid[16]; } nspi_bind_rsp_t;
typedef struct { int32_t result; } nspi_comparemids_rsp_t;
typedef struct { uint8_t has_mids; nspi_u32_array_t mids; } nspi_dntomid_rsp_t;
typedef struct {                     /* GetMatches, QueryRows, SeekEntries */
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_mids;                /* GetMatches only */
    nspi_u32_array_t mids;
    uint8_t has_cols_and_rows;
    nspi_rowset_t rows;
} nspi_rows_rsp_t;
typedef struct { uint8_t has_proptags; nspi_u32_array_t proptags; } nspi_proptags_rsp_t;
typedef struct {
    uint32_t code_page;
    uint8_t has_values;
    nspi_proplist_t values;
} nspi_getprops_rsp_t;               /* also GetTemplateInfo (Row) */
typedef struct {
    uint32_t code_page;
    uint8_t has_version;
    uint32_t version;
    uint8_t has_rows;
    uint32_t row_count;
    nspi_proplist_t *rows;
} nspi_getspecialtable_rsp_t;
typedef struct {
    uint32_t code_page;
    uint8_t has_mids;
    nspi_u32_array_t mids;
    uint8_t has_rows_and_cols;
    nspi_rowset_t rows;
} nspi_resolvenames_rsp_t;
typedef struct {
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_mids;
    nspi_u32_array_t mids;
} nspi_resortrestriction_rsp_t;
typedef struct {
    uint8_t has_state;
    nspi_stat_t state;
    uint8_t has_delta;
    int32_t delta;
} nspi_updatestat_rsp_t;
typedef struct { nspi_bytes_t url; } nspi_geturl_rsp_t;  /* UTF-16LE */

typedef struct {
    nspi_req_type_t type;
    uint32_t status_code;            /* != 0: failure body (aux only) */
    uint32_t error_code;             /* success only */
    union {
        nspi_bind_rsp_t bind;
        nspi_comparemids_rsp_t comparemids;
        nspi_dntomid_rsp_t dntomid;
        nspi_rows_rsp_t rows;        /* GetMatches, QueryRows, SeekEntries */
        nspi_proptags_rsp_t proptags;/* GetPropList, QueryColumns */
        nspi_getprops_rsp_t getprops;/* GetProps, GetTemplateInfo */
        nspi_getspecialtable_rsp_t getspecialtable;
        nspi_resolvenames_rsp_t resolvenames;
        nspi_resortrestriction_rsp_t resortrestriction;
        nspi_updatestat_rsp_t updatestat;
        nspi_geturl_rsp_t geturl;    /* GetMailboxUrl, GetAddressBookUrl */
    } u;                             /* Unbind, ModLinkAtt, ModProps: none */
    nspi_bytes_t aux;
} nspi_response_t;

/* ---- the codec calls ---------------------------------------------------
 * Decoders fill *out (zeroed first) from exactly len bytes: truncation,
 * lengths past the end, counts that cannot fit the remaining bytes, bad
 * values and trailing bytes are errors. Encoders append to wr (which the
 * caller initialised with mapi_wr_init) and return NSPI_E_ENCODE for a
 * struct that does not describe a valid body. */
int nspi_request_decode(nspi_req_type_t type, const uint8_t *buf, size_t len,
                        nspi_request_t *out, nspi_arena_t *arena);
int nspi_request_encode(const nspi_request_t *req, mapi_wr_t *wr);
int nspi_response_encode(const nspi_response_t *rsp, mapi_wr_t *wr);
int nspi_response_decode(nspi_req_type_t type, const uint8_t *buf, size_t len,
                         nspi_response_t *out, nspi_arena_t *arena);
/* Failure response body: StatusCode (!= 0), AuxiliaryBufferSize, Aux. */
int nspi_failure_encode(uint32_t status_code, const nspi_bytes_t *aux, mapi_wr_t *wr);

/* ---- strings and code pages -------------------------------------------
 * PtypString8 values travel in the code page the client chose in the
 * Bind request's STAT.CodePage. Supported: those of mapi_prop.h (1252
 * Windows Latin 1, 20127 US-ASCII, 65001 UTF-8). Anything else is
 * refused with NSPI_INVALID_CODEPAGE. 1200 (CP_WINUNICODE) asks for
 * Unicode strings in later requests; Bind refuses it. */
#define NSPI_CP_WINUNICODE 1200u
int nspi_codepage_supported(uint32_t cp);
/* The ErrorCode a Bind request's STAT deserves: NSPI_SUCCESS,
 * NSPI_INVALID_CODEPAGE for an unsupported code page, NSPI_NOT_SUPPORTED
 * for CP_WINUNICODE (NspiBind, [MS-OXNSPI] 3.1.4.1.1). */
uint32_t nspi_bind_check_codepage(const nspi_bind_req_t *req);
/* 8-bit string in code page cp -> malloc'd UTF-8 (NULL: unsupported cp or
 * no memory). Bytes with no mapping become U+FFFD. */
char *nspi_str8_to_utf8(uint32_t cp, const uint8_t *p, size_t len);
/* UTF-8 -> 8-bit string in cp, allocated in the arena (characters the code
 * page lacks become '?'); returns 0 or an NSPI_E_* code. */
int nspi_utf8_to_str8(uint32_t cp, const char *utf8, nspi_arena_t *a, nspi_bytes_t *out);
/* UTF-8 <-> UTF-16LE wire bytes (no terminator in out->len). */
int nspi_utf8_to_utf16(const char *utf8, nspi_arena_t *a, nspi_bytes_t *out);
char *nspi_utf16_to_utf8(const nspi_bytes_t *s);   /* malloc'd */

/* ---- to and from the shared property values (mapi_prop.h) -------------
 * For the engine: a store value -> the wire value for a column of type
 * want_type (PtypUnspecified: the value's own type; String8 <-> Unicode
 * converted through code page cp, CP_WINUNICODE meaning UTF-8). Memory
 * comes from a; binary and String8 bytes may point into src. */
int nspi_propval_from_mapi(nspi_arena_t *a, uint32_t cp, const mapi_propval_t *src,
                           uint16_t want_type, nspi_propval_t *out);
/* A wire value (ModProps values, SeekEntries target) -> a store value with
 * property id prop_id; absent values (HasValue 0) become empty ones. */
int nspi_propval_to_mapi(nspi_arena_t *a, uint16_t prop_id, const nspi_propval_t *src,
                         mapi_propval_t *out);

#endif /* MAPI_NSPI_H */
