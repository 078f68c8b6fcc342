/*
 * rop_table.h - what the folder and table ROP files share: the state of a
 * table object ([MS-OXCTABL] 3.2.1: columns, sort order, restriction,
 * cursor, bookmarks) kept as the object's serialized blob, and the
 * restriction adapter (wire tree -> store tree).
 */
#ifndef ROP_TABLE_H
#define ROP_TABLE_H

#include "rop_engine.h"

/* Table kinds behind a MAPI_OBJ_TABLE handle that this area serves. */
#define ROP_TABLE_HIERARCHY 1
#define ROP_TABLE_CONTENTS  2
#define ROP_TABLE_SEARCH    3 /* contents of a search folder: rows gathered from its scope */
#define ROP_TABLE_ATTACH    4 /* attachments of a message object (fid holds its handle) */
#define ROP_TABLE_RULES       5 /* [MS-OXORULE] rules of folder fid: rows from rop_rules_table_rows() */
#define ROP_TABLE_PERMISSIONS 6 /* [MS-OXCPERM] permissions of folder fid: rop_permissions_table_rows() */

/* Where the engine keeps a search folder's criteria and its kind (the
 * store creates generic folders only): properties in the non-transmittable
 * user range ([MS-OXPROPS] 0x6000-0x65FF). The restriction is kept in its
 * ROP wire form, the folder ids as 8-byte FIDs. */
#define ROP_TAG_SEARCH_RES     MS_PROP_TAG(MS_PT_BINARY, 0x65F0)
#define ROP_TAG_SEARCH_FOLDERS MS_PROP_TAG(MS_PT_BINARY, 0x65F1)
#define ROP_TAG_SEARCH_FLAGS   MS_PROP_TAG(MS_PT_LONG, 0x65F2)
#define ROP_TAG_IS_SEARCH      MS_PROP_TAG(MS_PT_BOOLEAN, 0x65F3)
#define ROP_SEARCH_RECURSIVE   0x00000004u /* RECURSIVE_SEARCH ([MS-OXCFOLD] 2.2.1.4.1) */

/* TableFlags of RopGetHierarchyTable / RopGetContentsTable
 * ([MS-OXCFOLD] 2.2.1.13.1, 2.2.1.14.1). */
#define ROP_TF_ASSOCIATED   0x02
#define ROP_TF_DEPTH        0x04
#define ROP_TF_DEFERRED     0x08
#define ROP_TF_NO_NOTIFY    0x10
#define ROP_TF_SOFT_DELETES 0x20
#define ROP_TF_UNICODE      0x40
#define ROP_TF_SUPPRESS     0x80 /* hierarchy: SuppressesNotifications; contents: ConversationMembers */

#define ROP_TABLE_MAX_BOOKMARKS 64

typedef struct {
    uint32_t id;
    uint32_t len;
    uint8_t key[256];
} rop_bookmark_t;

typedef struct {
    uint8_t kind;          /* ROP_TABLE_* */
    uint8_t flags;         /* TableFlags */
    uint64_t fid;
    uint32_t ncols;        /* 0 = SetColumns not sent yet */
    uint32_t *cols;        /* as the client sent them (MV-instance bit kept) */
    uint32_t nsorts;
    mapi_sort_order_t *sorts;
    uint16_t categories, expanded;
    mapi_bin_t res;        /* Restrict: the restriction in its ROP wire form (empty: none) */
    mapi_bin_t cursor;     /* store bookmark of the cursor (empty: beginning) */
    uint32_t next_bm;
    uint32_t nbms;
    rop_bookmark_t *bms;
    uint32_t ntoggles;     /* categorized views: categories not in their default state */
    uint64_t *toggles;
} rop_table_state_t;

#define ROP_TABLE_MAX_TOGGLES 1024

/* State blob <-> struct (arena memory). Decoding refuses bad blobs (-1). */
int rop_table_state_decode(mapi_arena_t *a, const uint8_t *p, size_t len, rop_table_state_t *st);
int rop_table_state_encode(mapi_wr_t *wr, const rop_table_state_t *st);

/* Creates a table object at out_idx over folder fid (GetHierarchyTable /
 * GetContentsTable); *rows gets the row count. */
uint32_t rop_table_open(rop_ctx_t *c, const mapi_rop_req_t *req, uint8_t kind, uint64_t fid, uint8_t flags,
                        uint32_t *rows);

/* A table as the table ROPs see it: a store table, or the rows of a search
 * folder gathered by the engine (rop_table_search.c). Same calls, same
 * meaning as the ms_table_* ones. */
/* Rows the engine holds itself (search folders, attachments, categorized
 * views): each row has `ncols` values - the columns asked for (`outcols`:
 * the client's, the hidden id at id_col, extras), then the sort keys, then
 * `ntail` more. `owned` (when set) holds every row to free; `rows` then
 * only points at the visible ones. */
typedef struct rop_search {
    ms_propval_t **rows;
    uint32_t n, cap;
    uint32_t ncols;
    uint32_t outcols;
    uint32_t id_col;
    const rop_table_state_t *st;
    uint32_t pos;
    ms_propval_t **owned;
    uint32_t nowned;
    uint8_t *vstate;  /* categorized: per visible row ROP_VROW_*, and its level */
    uint8_t *vlevel;
    int bm_row_gone;  /* the last bookmark seek did not find its row */
} rop_search_t;
#define ROP_VROW_LEAF      0
#define ROP_VROW_EXPANDED  1
#define ROP_VROW_COLLAPSED 2
uint32_t rop_rows_new(rop_ctx_t *c, const rop_table_state_t *st, const uint32_t *cols, size_t ncols,
                      const uint32_t *tail, size_t ntail, rop_search_t **out, uint32_t **all);
/* Appends the rows of folder fid (store table flags `flags`) that match res. */
uint32_t rop_rows_gather(rop_search_t *s, ms_txn_t *txn, ms_mailbox_t *mbx, uint64_t fid, unsigned flags,
                         const uint32_t *cols, const ms_restriction_t *res);
void rop_rows_sort(rop_search_t *s);
void rop_rows_free(rop_search_t *s);
/* rop_table_mvi.c: 1 if a column has the MV-instance bit; one row per
 * value of that (first such) column's property, before sorting. */
int rop_table_has_mvi(const rop_table_state_t *st);
uint32_t rop_rows_expand_mvi(rop_search_t *s);
/* rop_table_categ.c: turns sorted leaf rows into the categorized view of
 * [MS-OXCTABL] 3.2.5.2 (header rows, collapsed categories hidden). The
 * leaf rows carry PR_MESSAGE_FLAGS as their last value. */
uint32_t rop_categ_view(rop_ctx_t *c, rop_search_t *s);
/* The id of a row of the engine's rows (MID, attachment number, category). */
uint64_t rop_rows_id(const rop_search_t *s, uint32_t i);
/* Flips a category between its default and the other state. -1 when the
 * state holds too many. */
int rop_categ_toggle(rop_table_state_t *st, uint64_t id);
/* Contents table of one folder built by the engine: categorized or with
 * multi-valued instance columns. */
uint32_t rop_categ_build(rop_ctx_t *c, ms_txn_t *txn, const rop_table_state_t *st, const uint32_t *cols,
                         size_t ncols, rop_search_t **out);

typedef struct {
    ms_table_t *t;
    rop_search_t *s;
} rop_vtab_t;
ms_err_t rop_vt_query(ms_txn_t *txn, rop_vtab_t *vt, uint32_t n, int backward, ms_rowset_t *out);
ms_err_t rop_vt_seek(ms_txn_t *txn, rop_vtab_t *vt, int origin, int32_t offset, int32_t *moved);
ms_err_t rop_vt_position(ms_txn_t *txn, rop_vtab_t *vt, uint32_t *pos, uint32_t *count);
ms_err_t rop_vt_row_count(ms_txn_t *txn, rop_vtab_t *vt, uint32_t *count);
ms_err_t rop_vt_bookmark(rop_vtab_t *vt, ms_bookmark_t *bm);
ms_err_t rop_vt_seek_bookmark(ms_txn_t *txn, rop_vtab_t *vt, const ms_bookmark_t *bm, int32_t offset,
                              int32_t *moved);
void rop_vt_close(rop_vtab_t *vt);
/* The rows of search folder st->fid: its criteria over its scope, the
 * state's restriction and sort order applied; columns `cols` (the client's,
 * the hidden id, extras). */
uint32_t rop_search_build(rop_ctx_t *c, ms_txn_t *txn, const rop_table_state_t *st, const uint32_t *cols,
                          size_t ncols, rop_search_t **out);
/* The rows of a table whose rows another area makes: attachments of
 * message object (uint32_t)st->fid (rop_attach_table_rows, [MS-OXCMSG]
 * 2.2.3.17), rules and permissions of folder st->fid (below). Sort,
 * restriction, cursor and bookmarks are the table area's. */
uint32_t rop_source_rows_build(rop_ctx_t *c, const rop_table_state_t *st, const uint32_t *cols, size_t ncols,
                               rop_search_t **out);
/* Row sources the rules/permissions area defines (weak: without them those
 * tables answer ecNotSupported). To serve RopGetRulesTable /
 * RopGetPermissionsTable, that area calls
 *     rop_table_open(c, req, ROP_TABLE_RULES (or _PERMISSIONS), fid, table_flags, &rows)
 * and defines the function: one row per rule / permission entry with the
 * values of `cols` in that order (a value the row lacks: PT_ERROR
 * ecNotFound; out->ncols = ncols), the hidden id column being PidTagRuleId
 * (0x66740014) / PidTagMemberId (0x66710014). Freed with ms_rowset_free(). */
uint32_t rop_rules_table_rows(rop_ctx_t *c, uint64_t fid, uint8_t table_flags, const uint32_t *cols, size_t ncols,
                              ms_rowset_t *out) __attribute__((weak));
uint32_t rop_permissions_table_rows(rop_ctx_t *c, uint64_t fid, uint8_t table_flags, const uint32_t *cols,
                                    size_t ncols, ms_rowset_t *out) __attribute__((weak));
/* 1 if fid is a search folder (store-made or created with FolderType 2). */
int rop_is_search_folder(ms_mailbox_t *mbx, ms_txn_t *txn, uint64_t fid);

/* The table object at idx and its state (ecNotSupported for a table object
 * of another area); storing writes the state back into the object. */
uint32_t rop_table_load(rop_ctx_t *c, uint8_t idx, mapi_obj_t **o, rop_table_state_t *st);
uint32_t rop_table_store(mapi_obj_t *o, const rop_table_state_t *st);
/* The store table the state describes: columns (plus a hidden id column
 * and `extra` columns after the client's), sort, restriction and, with
 * with_cursor, the cursor. Close with rop_vt_close(). */
uint32_t rop_table_build(rop_ctx_t *c, ms_txn_t *txn, const rop_table_state_t *st, const uint32_t *extra,
                         size_t nextra, int with_cursor, rop_vtab_t **out);
/* Remembers the table's cursor in the state. */
uint32_t rop_table_save_cursor(rop_ctx_t *c, rop_vtab_t *t, rop_table_state_t *st);
/* PR_MID for contents (and search) tables, PR_FID for hierarchy tables,
 * PR_ATTACH_NUM for attachment tables, PidTagRuleId / PidTagMemberId. */
uint32_t rop_table_id_tag(const rop_table_state_t *st);
/* The state's restriction as a wire tree in the arena (NULL: none). */
uint32_t rop_table_restriction(rop_ctx_t *c, const rop_table_state_t *st, mapi_restriction_t **out);

/* rop_table_rows.c: one PropertyRow ([MS-OXCDATA] 2.8.1) of the table's
 * columns from a store row (the client's columns then the hidden id),
 * computed columns filled in (instance key/num, row type, depth, access...). */
int rop_table_encode_row(rop_ctx_t *c, const rop_table_state_t *st, const ms_propval_t *row, mapi_wr_t *wr);

/* rop_table.c, shared with rop_table_categ.c: a table ROP's table - the
 * object, its state, a read transaction and the table rebuilt from it. */
typedef struct {
    mapi_obj_t *o;
    rop_table_state_t st;
    ms_txn_t *txn;
    rop_vtab_t *t;
} rop_tbl_t;
uint32_t rop_tbl_open(rop_ctx_t *c, const mapi_rop_req_t *req, rop_tbl_t *x, const uint32_t *extra, size_t nextra);
/* Stores the state (and the cursor, with save_cursor) when ec is success;
 * releases the table; returns ec. */
uint32_t rop_tbl_close(rop_ctx_t *c, rop_tbl_t *x, int save_cursor, uint32_t ec);
uint32_t rop_tbl_add_bookmark(rop_ctx_t *c, rop_tbl_t *x, mapi_bin_t *out);
/* The rows of rs that fit one response, as PropertyRows (table order). */
uint32_t rop_tbl_encode_rows(rop_ctx_t *c, const rop_table_state_t *st, const ms_rowset_t *rs, int backward,
                             mapi_bin_t *out, uint32_t *fit);
/* rop_table_categ.c: 2.2.2.17-20 */
uint32_t rop_expand_row(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_collapse_row(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_get_collapse_state(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_set_collapse_state(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);

/* restrict_adapt.c: [MS-OXCDATA] 2.12 wire tree -> the store's tree, in the
 * arena (values borrowed from the wire tree; String8 converted from code
 * page cp). MAPI_EC_SUCCESS, MAPI_EC_TOO_COMPLEX (too deep / unsupported
 * relop) or MAPI_EC_INVALID_PARAMETER. */
uint32_t rop_restriction_to_store(mapi_arena_t *a, uint32_t cp, const mapi_restriction_t *in,
                                  ms_restriction_t **out);
/* Adds the property tags a restriction reads to tags[] (deduplicated by id);
 * returns the new count (never above max). */
size_t rop_restriction_tags(const mapi_restriction_t *r, uint32_t *tags, size_t n, size_t max);

#endif /* ROP_TABLE_H */
