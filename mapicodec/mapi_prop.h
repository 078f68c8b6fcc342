/*
 * mapi_prop.h - property tags, types and values as they travel in ROP
 * buffers and in the MAPI/HTTP NSPI bodies ([MS-OXCDATA] 2.8, 2.9, 2.11,
 * 2.6.1), plus the small arena every libmapicodec decoder allocates from.
 *
 * Widths ([MS-OXCDATA] 2.11.1.1): in ROP buffers PtypBinary byte counts (and
 * the PtypServerId count) are 16-bit and PtypMultiple value counts 32-bit;
 * in the MAPI/HTTP NSPI bodies and extended rules both are 32-bit. Every
 * codec takes a `wide` flag: MAPI_CTX_ROP (0) or MAPI_CTX_WIDE (1).
 *
 * In memory: PtypString8 values are kept as the raw bytes of the session code
 * page (NUL-terminated), PtypString (Unicode) values as UTF-8; they are
 * converted to UTF-16LE on the wire. All decoded memory belongs to the arena.
 */
#ifndef MAPI_PROP_H
#define MAPI_PROP_H

#include <stddef.h>
#include <stdint.h>

#include "mapi_buf.h"

/* ---- arena ---------------------------------------------------------- */

typedef struct mapi_arena_blk mapi_arena_blk_t;
typedef struct {
    mapi_arena_blk_t *head;
    size_t used;    /* bytes handed out so far */
    size_t limit;   /* 0 = unlimited; allocations beyond it fail */
} mapi_arena_t;

void mapi_arena_init(mapi_arena_t *a, size_t limit);
/* Zeroed, 16-byte aligned memory that lives until mapi_arena_clear(); NULL
 * on failure or when the limit would be passed. */
void *mapi_arena_alloc(mapi_arena_t *a, size_t n);
/* n * size with overflow check. */
void *mapi_arena_calloc(mapi_arena_t *a, size_t n, size_t size);
void *mapi_arena_memdup(mapi_arena_t *a, const void *p, size_t n);
/* Copy of n bytes plus a NUL. */
char *mapi_arena_strndup(mapi_arena_t *a, const char *s, size_t n);
void mapi_arena_clear(mapi_arena_t *a);

/* ---- codec status --------------------------------------------------- */

/* Results of every libmapicodec ROP-level decoder/encoder (0 = success). */
typedef enum {
    MAPI_OK = 0,
    MAPI_E_TRUNCATED = -1,     /* input ended inside a structure */
    MAPI_E_BAD_TYPE = -2,      /* unknown or unsupported property type */
    MAPI_E_BAD_VALUE = -3,     /* a field holds a value the spec forbids */
    MAPI_E_NOMEM = -4,         /* allocation or output limit */
    MAPI_E_CODEPAGE = -5,      /* String8 code page not supported */
    MAPI_E_TOO_COMPLEX = -6,   /* restriction nested too deep */
    MAPI_E_UNKNOWN_ROP = -7,   /* RopId not known to the decoder */
    MAPI_E_TYPE_MISMATCH = -8, /* value type differs from the column/tag type */
    MAPI_E_TRAILING = -9       /* bytes left where the structure must end */
} mapi_codec_status_t;

const char *mapi_codec_strerror(int status);
/* The [MS-OXCDATA] 2.4 error code a server reports for a codec status:
 * truncation/bad values -> ecRpcFormat or InvalidParameter, too deep ->
 * ecTooComplex, code page -> ecUnknownCodePage, memory -> ecServerOOM. */
uint32_t mapi_codec_status_to_ec(int status);

/* ---- property tags and types ([MS-OXCDATA] 2.9, 2.11.1) ------------- */

#define MAPI_CTX_ROP  0
#define MAPI_CTX_WIDE 1

#define MAPI_PROP_TAG(id, type) ((uint32_t)(((uint32_t)(id) << 16) | (uint16_t)(type)))
#define MAPI_PROP_ID(tag) ((uint16_t)((uint32_t)(tag) >> 16))
#define MAPI_PROP_TYPE(tag) ((uint16_t)((tag) & 0xFFFFu))
#define MAPI_PROP_CHANGE_TYPE(tag, type) MAPI_PROP_TAG(MAPI_PROP_ID(tag), (type))

#define MAPI_PT_UNSPECIFIED   0x0000
#define MAPI_PT_NULL          0x0001
#define MAPI_PT_I2            0x0002
#define MAPI_PT_LONG          0x0003
#define MAPI_PT_FLOAT         0x0004
#define MAPI_PT_DOUBLE        0x0005
#define MAPI_PT_CURRENCY      0x0006
#define MAPI_PT_APPTIME       0x0007
#define MAPI_PT_ERROR         0x000A
#define MAPI_PT_BOOLEAN       0x000B
#define MAPI_PT_OBJECT        0x000D
#define MAPI_PT_I8            0x0014
#define MAPI_PT_STRING8       0x001E
#define MAPI_PT_UNICODE       0x001F
#define MAPI_PT_SYSTIME       0x0040
#define MAPI_PT_CLSID         0x0048
#define MAPI_PT_SVREID        0x00FB
#define MAPI_PT_SRESTRICTION  0x00FD
#define MAPI_PT_ACTIONS       0x00FE
#define MAPI_PT_BINARY        0x0102
#define MAPI_PT_MV_FLAG       0x1000
#define MAPI_PT_MV_INSTANCE   0x2000 /* SetColumns: one row per value */
#define MAPI_PT_MV_I2         0x1002
#define MAPI_PT_MV_LONG       0x1003
#define MAPI_PT_MV_FLOAT      0x1004
#define MAPI_PT_MV_DOUBLE     0x1005
#define MAPI_PT_MV_CURRENCY   0x1006
#define MAPI_PT_MV_APPTIME    0x1007
#define MAPI_PT_MV_I8         0x1014
#define MAPI_PT_MV_STRING8    0x101E
#define MAPI_PT_MV_UNICODE    0x101F
#define MAPI_PT_MV_SYSTIME    0x1040
#define MAPI_PT_MV_CLSID      0x1048
#define MAPI_PT_MV_BINARY     0x1102

/* 1 if `type` (without the 0x2000 instance bit) has a known wire form. */
int mapi_prop_type_known(uint16_t type);
static inline int mapi_prop_type_is_mv(uint16_t type) { return (type & MAPI_PT_MV_FLAG) != 0; }
/* The type a column of type `type` carries per row: with the MV-instance
 * bit set, the single-valued base type. */
static inline uint16_t mapi_prop_row_type(uint16_t type)
{
    return (type & MAPI_PT_MV_INSTANCE) ? (uint16_t)(type & ~(MAPI_PT_MV_INSTANCE | MAPI_PT_MV_FLAG)) : type;
}

/* GUID in wire (FlatUID, little-endian) byte order ([MS-OXCDATA] 2.5.1). */
typedef struct { uint8_t b[16]; } mapi_guid_t;
int mapi_guid_eq(const mapi_guid_t *a, const mapi_guid_t *b);

typedef struct {
    uint32_t len;
    uint8_t *data;
} mapi_bin_t;

typedef struct {
    uint32_t count;
    union {
        int16_t *i16;
        int32_t *i32;
        float *f32;
        double *f64;
        int64_t *i64;       /* PT_MV_I8, PT_MV_CURRENCY */
        uint64_t *u64;      /* PT_MV_SYSTIME */
        char **str;         /* PT_MV_STRING8 (code-page bytes), PT_MV_UNICODE (UTF-8) */
        mapi_bin_t *bin;
        mapi_guid_t *guid;
    } v;
} mapi_mv_t;

struct mapi_restriction;

/* One property value. The type in `tag` selects the union member:
 * I2 i16, LONG/OBJECT i32, FLOAT f32, DOUBLE/APPTIME f64, CURRENCY/I8 i64,
 * SYSTIME time, ERROR err, BOOLEAN b, CLSID guid, STRING8 str, UNICODE str
 * (UTF-8), BINARY/SVREID bin, SRESTRICTION res, MV_* mv, NULL nothing;
 * ACTIONS bin = the raw RuleAction bytes ([MS-OXORULE] 2.2.5), counts in the
 * width of the context they were decoded in (checked, not interpreted). */
typedef struct {
    uint32_t tag;
    union {
        int16_t i16;
        int32_t i32;
        float f32;
        double f64;
        int64_t i64;
        uint64_t time;
        uint32_t err;
        uint8_t b;
        mapi_guid_t guid;
        char *str;
        mapi_bin_t bin;
        mapi_mv_t mv;
        struct mapi_restriction *res;
    } v;
} mapi_propval_t;

/* ---- single values -------------------------------------------------- */

/* PropertyValue (2.11.2): the bare value of the given type. */
int mapi_propval_decode_value(mapi_rd_t *rd, mapi_arena_t *a, int wide, uint16_t type,
                              mapi_propval_t *out);
int mapi_propval_encode_value(mapi_wr_t *wr, int wide, const mapi_propval_t *pv);
/* TypedPropertyValue (2.11.3): u16 type + value. out->tag gets id 0. */
int mapi_propval_decode_typed(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_propval_t *out);
int mapi_propval_encode_typed(mapi_wr_t *wr, int wide, const mapi_propval_t *pv);
/* TaggedPropertyValue (2.11.4): u32 tag + value. Rejects PT_UNSPECIFIED. */
int mapi_propval_decode_tagged(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_propval_t *out);
int mapi_propval_encode_tagged(mapi_wr_t *wr, int wide, const mapi_propval_t *pv);

/* FlaggedPropertyValue (2.11.5) flags. */
#define MAPI_PVFLAG_VALUE   0x00
#define MAPI_PVFLAG_ABSENT  0x01
#define MAPI_PVFLAG_ERROR   0x0A

/* Deep copy into arena `a`. */
int mapi_propval_copy(mapi_arena_t *a, mapi_propval_t *dst, const mapi_propval_t *src);
/* Lookup in an array of values by tag (exact) or by id when type is
 * PT_UNSPECIFIED. NULL when absent. */
const mapi_propval_t *mapi_propval_find(const mapi_propval_t *vals, size_t n, uint32_t tag);

/* ---- arrays and rows ------------------------------------------------ */

/* PropertyTagArray (2.10): u16 count (u32 when wide) + u32 tags. */
typedef struct {
    uint32_t count;
    uint32_t *tags;
} mapi_tagarray_t;
int mapi_tagarray_decode(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_tagarray_t *out);
int mapi_tagarray_encode(mapi_wr_t *wr, int wide, const mapi_tagarray_t *ta);

/* A list of TaggedPropertyValues (the body of SetProperties, recipient
 * rows ...): `count` values. */
typedef struct {
    uint32_t count;
    mapi_propval_t *vals;
} mapi_proplist_t;
int mapi_proplist_decode_n(mapi_rd_t *rd, mapi_arena_t *a, int wide, uint32_t count,
                           mapi_proplist_t *out);
int mapi_proplist_encode_n(mapi_wr_t *wr, int wide, const mapi_proplist_t *pl);

/* PropertyRow (2.8.1): Flag u8 (0 StandardPropertyRow, 1 FlaggedPropertyRow)
 * then one value per column. In memory a row is `ncols` values; a value whose
 * type is PT_ERROR where the column is not is sent flagged 0x0A (error), a
 * PT_NULL value where the column is not PT_NULL is sent flagged 0x01
 * (absent). Columns of type PT_UNSPECIFIED carry the real type on the wire.
 * Any other type difference is MAPI_E_TYPE_MISMATCH (convert first). */
int mapi_proprow_encode(mapi_wr_t *wr, int wide, const uint32_t *cols, uint32_t ncols,
                        const mapi_propval_t *vals);
/* Decodes into `vals` (ncols entries, caller-provided); absent values come
 * back as PT_NULL, errors as PT_ERROR, both with the column's id. */
int mapi_proprow_decode(mapi_rd_t *rd, mapi_arena_t *a, int wide, const uint32_t *cols,
                        uint32_t ncols, mapi_propval_t *vals);

/* PropertyProblem (2.7): Index u16, PropertyTag u32, ErrorCode u32. */
typedef struct {
    uint16_t index;
    uint32_t tag;
    uint32_t err;
} mapi_propproblem_t;
typedef struct {
    uint32_t count;
    mapi_propproblem_t *probs;
} mapi_problemarray_t;
/* PropertyProblemArray: u16 count + problems. */
int mapi_problemarray_decode(mapi_rd_t *rd, mapi_arena_t *a, mapi_problemarray_t *out);
int mapi_problemarray_encode(mapi_wr_t *wr, const mapi_problemarray_t *pa);

/* ---- named properties ([MS-OXCDATA] 2.6.1) -------------------------- */

#define MAPI_MNID_ID     0x00
#define MAPI_MNID_STRING 0x01
#define MAPI_MNID_NONE   0xFF

typedef struct {
    uint8_t kind;
    mapi_guid_t guid;
    uint32_t lid;   /* kind MNID_ID */
    char *name;     /* kind MNID_STRING, UTF-8 */
} mapi_propname_t;
/* Kind u8, GUID 16, then LID u32 (kind 0) or NameSize u8 + UTF-16LE name
 * with its 2-byte NUL counted in NameSize (kind 1); kind 0xFF (no name, in
 * GetNamesFromPropertyIds responses) is the Kind byte alone. */
int mapi_propname_decode(mapi_rd_t *rd, mapi_arena_t *a, mapi_propname_t *out);
int mapi_propname_encode(mapi_wr_t *wr, const mapi_propname_t *pn);

/* ---- code pages and conversion -------------------------------------- */

#define MAPI_CP_ASCII   20127
#define MAPI_CP_1252    1252
#define MAPI_CP_UTF8    65001

int mapi_codepage_supported(uint32_t cp);
/* String8 bytes in code page cp -> UTF-8 (arena). Undefined bytes become
 * U+FFFD (ASCII > 0x7F, invalid UTF-8). MAPI_E_CODEPAGE for others. */
int mapi_string8_to_utf8(mapi_arena_t *a, uint32_t cp, const char *s, char **out);
/* UTF-8 -> String8 in code page cp (arena). Characters the code page lacks
 * become '?'. */
int mapi_utf8_to_string8(mapi_arena_t *a, uint32_t cp, const char *s, char **out);
/* Converts `src` to `want_type` (PT_UNSPECIFIED or the same type: copy of
 * the value as is). Supports String8 <-> Unicode and their MV forms; other
 * pairs are MAPI_E_TYPE_MISMATCH. The result keeps src's property id. */
int mapi_propval_convert(mapi_arena_t *a, uint32_t cp, const mapi_propval_t *src,
                         uint16_t want_type, mapi_propval_t *dst);

/* The value a server returns for one requested column/tag (GetProperties*,
 * QueryRows, FindRow): `have` is the object's value for the tag's id (NULL
 * when absent). Absent -> PT_ERROR ecNotFound (0x8004010F) with the tag's
 * id. A PT_UNSPECIFIED request gets the stored type, except that strings
 * (and MV strings) come as Unicode when want_unicode, else String8 in code
 * page cp. A String8/Unicode request gets the stored string converted. Any
 * other type mismatch -> PT_ERROR ecNotFound. size_limit (0 = none): a
 * larger value becomes PT_ERROR NotEnoughMemory (0x8007000E), as
 * [MS-OXCPRPT] 2.2.2.1 / 2.2.3.1 specify for PropertySizeLimit. */
int mapi_propval_for_request(mapi_arena_t *a, uint32_t cp, int want_unicode, uint32_t req_tag,
                             const mapi_propval_t *have, uint32_t size_limit, mapi_propval_t *out);
/* Table rows carry at most 510 bytes per value ([MS-OXCTABL] 2.2.2.5.2):
 * binary values are cut to 510 bytes, String8 to 510 bytes, Unicode to 255
 * UTF-16 code units (without splitting a character). Other values are left
 * alone. The result may share memory with pv. */
int mapi_propval_truncate_for_table(mapi_arena_t *a, const mapi_propval_t *pv, mapi_propval_t *out);
/* Bytes a value takes as PropertySizeLimit counts them (strings with their
 * terminator, Unicode in UTF-16). */
uint64_t mapi_propval_size(const mapi_propval_t *pv);

#endif /* MAPI_PROP_H */
