/*
 * mapi_restriction.h - restrictions ([MS-OXCDATA] 2.12): the tree, its wire
 * codec in the ROP widths (16-bit And/Or counts) and the extended/NSPI
 * widths (32-bit counts), and an evaluator shared by the store's tables,
 * search folders and NSPI GetMatches.
 */
#ifndef MAPI_RESTRICTION_H
#define MAPI_RESTRICTION_H

#include "mapi_prop.h"

/* RestrictType values (2.12.1 - 2.12.12). */
#define MAPI_RES_AND        0x00
#define MAPI_RES_OR         0x01
#define MAPI_RES_NOT        0x02
#define MAPI_RES_CONTENT    0x03
#define MAPI_RES_PROPERTY   0x04
#define MAPI_RES_COMPAREPROPS 0x05
#define MAPI_RES_BITMASK    0x06
#define MAPI_RES_SIZE       0x07
#define MAPI_RES_EXIST      0x08
#define MAPI_RES_SUBOBJECT  0x09
#define MAPI_RES_COMMENT    0x0A
#define MAPI_RES_COUNT      0x0B

/* RelOp (2.12.5.1). */
#define MAPI_RELOP_LT 0x00
#define MAPI_RELOP_LE 0x01
#define MAPI_RELOP_GT 0x02
#define MAPI_RELOP_GE 0x03
#define MAPI_RELOP_EQ 0x04
#define MAPI_RELOP_NE 0x05
#define MAPI_RELOP_RE 0x06            /* regular expression: not evaluated */
#define MAPI_RELOP_MEMBER_OF_DL 0x64  /* not evaluated */

/* FuzzyLevelLow / FuzzyLevelHigh (2.12.4.1). */
#define MAPI_FL_FULLSTRING 0x0000
#define MAPI_FL_SUBSTRING  0x0001
#define MAPI_FL_PREFIX     0x0002
#define MAPI_FL_IGNORECASE 0x0001
#define MAPI_FL_IGNORENONSPACE 0x0002
#define MAPI_FL_LOOSE      0x0004

/* BitmapRelOp (2.12.7.1). */
#define MAPI_BMR_EQZ 0x00
#define MAPI_BMR_NEZ 0x01

/* Deepest nesting accepted by the decoder (deeper: MAPI_E_TOO_COMPLEX). */
#define MAPI_RESTRICTION_MAX_DEPTH 64

typedef struct mapi_restriction {
    uint8_t type;
    union {
        struct { uint32_t count; struct mapi_restriction *subs; } andor;   /* AND, OR */
        struct { struct mapi_restriction *sub; } not_;
        struct { uint16_t fuzzy_low, fuzzy_high; uint32_t tag; mapi_propval_t value; } content;
        struct { uint8_t relop; uint32_t tag; mapi_propval_t value; } prop;
        struct { uint8_t relop; uint32_t tag1, tag2; } compare;
        struct { uint8_t relop; uint32_t tag; uint32_t mask; } bitmask;
        struct { uint8_t relop; uint32_t tag; uint32_t size; } size;
        struct { uint32_t tag; } exist;
        struct { uint32_t subobject; struct mapi_restriction *sub; } subobj;
        struct { uint8_t count; mapi_propval_t *values; struct mapi_restriction *sub; } comment;
        /* `seen` is evaluation state: rows matched so far */
        struct { uint32_t count; uint32_t seen; struct mapi_restriction *sub; } count;
    } u;
} mapi_restriction_t;

/* Decode one restriction from rd (arena-allocated tree). */
int mapi_restriction_decode(mapi_rd_t *rd, mapi_arena_t *a, int wide, mapi_restriction_t **out);
int mapi_restriction_encode(mapi_wr_t *wr, int wide, const mapi_restriction_t *r);
/* Deep copy into arena a (NULL on failure or r == NULL). */
mapi_restriction_t *mapi_restriction_copy(mapi_arena_t *a, const mapi_restriction_t *r);

/* Standalone trees that own their memory (for tables and search folders
 * that keep a restriction past the request): parse from bytes, or dup an
 * arena tree; release with mapi_restriction_free(). *consumed (optional)
 * gets the bytes used. NULL with *status set on failure. */
mapi_restriction_t *mapi_restriction_parse(const void *buf, size_t len, int wide,
                                           size_t *consumed, int *status);
mapi_restriction_t *mapi_restriction_dup(const mapi_restriction_t *r);
void mapi_restriction_free(mapi_restriction_t *r);

/* ---- evaluation ----------------------------------------------------- */

/* Returns the object's value for `tag` (a PT_UNSPECIFIED type in tag means
 * "any type"), or NULL when the object lacks it. The value must stay valid
 * until the next call. */
typedef const mapi_propval_t *(*mapi_get_prop_fn)(void *ctx, uint32_t tag);

typedef struct {
    mapi_get_prop_fn get_prop;
    /* SubObject (2.12.10): 1 if a row of the subobject table `subobject`
     * (PidTagMessageRecipients or PidTagMessageAttachments) matches r.
     * NULL: SubObject never matches. */
    int (*match_subobject)(void *ctx, uint32_t subobject, mapi_restriction_t *r);
    /* Code page for comparing String8 with Unicode values (default 1252). */
    uint32_t codepage;
} mapi_restriction_ops_t;

/* 1 if the object matches, 0 if not. Missing properties never match a
 * Property/Content/Bitmask/Size/CompareProps node (use Exist). Multi-valued
 * properties match a single-valued comparand if any value matches. String
 * comparisons with relops are case-insensitive (ASCII and Latin-1 letters),
 * as Exchange sorts and compares. Count nodes keep state: reset with
 * mapi_restriction_reset() before a new pass over a table. */
int mapi_restriction_match(mapi_restriction_t *r, mapi_get_prop_fn get_prop, void *ctx);
int mapi_restriction_match_ex(mapi_restriction_t *r, const mapi_restriction_ops_t *ops, void *ctx);
void mapi_restriction_reset(mapi_restriction_t *r);

/* Compare two values: sets *cmp to <0, 0, >0 and returns 1, or returns 0
 * when the types cannot be compared. Integers of different widths compare
 * numerically; String8 and Unicode compare after conversion (code page cp);
 * strings ignore case when ignore_case is set. */
int mapi_propval_compare(const mapi_propval_t *a, const mapi_propval_t *b, uint32_t cp,
                         int ignore_case, int *cmp);

#endif /* MAPI_RESTRICTION_H */
