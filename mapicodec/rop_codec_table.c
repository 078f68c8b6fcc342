/*
 * rop_codec_table.c - table ROPs ([MS-OXCROPS] 2.2.5, semantics in
 * [MS-OXCTABL] 2.2.2): SetColumns, SortTable, Restrict, QueryRows, Abort,
 * GetStatus, QueryPosition, SeekRow, SeekRowBookmark, SeekRowFractional,
 * CreateBookmark, QueryColumnsAll, FindRow, FreeBookmark, ResetTable,
 * ExpandRow, CollapseRow, GetCollapseState, SetCollapseState.
 */
#include "rop_codec_io.h"

/* 2.2.5.1: SetColumnsFlags, PropertyTagCount, PropertyTags -> TableStatus */
static void set_columns_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.set_columns.flags);
    rio_tags16(io, &r->u.set_columns.tags);
}

static void table_status_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.table_status.status);
}

/* 2.2.5.2: SortTableFlags, SortOrderCount, CategoryCount, ExpandedCount,
 * SortOrders (PropertyType u16, PropertyId u16, Order u8) */
static void sort_table_req(rop_io_t *io, mapi_rop_req_t *r)
{
    uint16_t i;
    rio_u8(io, &r->u.sort_table.flags);
    rio_u16(io, &r->u.sort_table.count);
    rio_u16(io, &r->u.sort_table.categories);
    rio_u16(io, &r->u.sort_table.expanded);
    if (!io->writing &&
        !(r->u.sort_table.orders = rio_array(io, r->u.sort_table.count, sizeof(mapi_sort_order_t), 5)))
        return;
    for (i = 0; i < r->u.sort_table.count && rio_ok(io); i++) {
        mapi_sort_order_t *o = &r->u.sort_table.orders[i];
        rio_u16(io, &o->prop_type);
        rio_u16(io, &o->prop_id);
        rio_u8(io, &o->order);
    }
    /* [MS-OXCTABL] 2.2.2.4.1: categories and expanded within the sort orders */
    if (rio_ok(io) && !io->writing &&
        (r->u.sort_table.categories > r->u.sort_table.count ||
         r->u.sort_table.expanded > r->u.sort_table.categories))
        rio_fail(io, MAPI_E_BAD_VALUE);
}

/* 2.2.5.3: RestrictFlags, RestrictionDataSize, RestrictionData */
static void restrict_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.restrict_.flags);
    rio_restriction16(io, &r->u.restrict_.res);
}

/* 2.2.5.4: QueryRowsFlags, ForwardRead, RowCount -> Origin, RowCount, RowData */
static void query_rows_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.query_rows.flags);
    rio_u8(io, &r->u.query_rows.forward);
    rio_u16(io, &r->u.query_rows.count);
}

static void query_rows_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.query_rows.origin);
    rio_u16(io, &r->u.query_rows.count);
    rio_rows(io, &r->u.query_rows.rows, r->u.query_rows.count);
}

/* 2.2.5.7: Numerator, Denominator */
static void query_position_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.query_position.numerator);
    rio_u32(io, &r->u.query_position.denominator);
}

/* 2.2.5.8: Origin, RowCount (signed), WantRowMovedCount -> HasSoughtLess, RowsSought */
static void seek_row_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.seek_row.origin);
    rio_i32(io, &r->u.seek_row.count);
    rio_u8(io, &r->u.seek_row.want_moved);
}

static void seek_row_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.seek_row.sought_less);
    rio_i32(io, &r->u.seek_row.sought);
}

/* 2.2.5.9: BookmarkSize, Bookmark, RowCount, WantRowMovedCount ->
 * RowNoLongerVisible, HasSoughtLess, RowsSought */
static void seek_row_bookmark_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin16(io, &r->u.seek_row_bookmark.bookmark);
    rio_i32(io, &r->u.seek_row_bookmark.count);
    rio_u8(io, &r->u.seek_row_bookmark.want_moved);
}

static void seek_row_bookmark_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.seek_row_bookmark.no_longer_visible);
    rio_u8(io, &r->u.seek_row_bookmark.sought_less);
    rio_u32(io, &r->u.seek_row_bookmark.sought);
}

/* 2.2.5.10 */
static void seek_row_fractional_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u32(io, &r->u.seek_row_fractional.numerator);
    rio_u32(io, &r->u.seek_row_fractional.denominator);
}

/* 2.2.5.11 / 2.2.5.19: BookmarkSize, Bookmark */
static void bookmark_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_bin16(io, &r->u.bookmark.bookmark);
}

/* 2.2.5.12: PropertyTagCount, PropertyTags */
static void tags_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_tags16(io, &r->u.tags.tags);
}

/* 2.2.5.13: FindRowFlags, RestrictionDataSize, RestrictionData, Origin,
 * BookmarkSize, Bookmark -> RowNoLongerVisible, HasRowData, RowData */
static void find_row_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.find_row.flags);
    rio_restriction16(io, &r->u.find_row.res);
    rio_u8(io, &r->u.find_row.origin);
    rio_bin16(io, &r->u.find_row.bookmark);
}

static void find_row_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.find_row.no_longer_visible);
    rio_u8(io, &r->u.find_row.has_row);
    if (rio_ok(io) && r->u.find_row.has_row)
        rio_rows(io, &r->u.find_row.row, 1);
}

/* 2.2.5.14 */
static void free_bookmark_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin16(io, &r->u.free_bookmark.bookmark);
}

/* 2.2.5.16: MaxRowCount, CategoryId -> ExpandedRowCount, RowCount, RowData */
static void expand_row_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.expand_row.max_rows);
    rio_u64(io, &r->u.expand_row.category_id);
}

static void expand_row_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.expand_row.expanded);
    rio_u16(io, &r->u.expand_row.count);
    rio_rows(io, &r->u.expand_row.rows, r->u.expand_row.count);
}

/* 2.2.5.17 */
static void collapse_row_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.collapse_row.category_id);
}

static void collapse_row_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.collapse_row.collapsed);
}

/* 2.2.5.18: RowId, RowInstanceNumber -> CollapseStateSize, CollapseState */
static void get_collapse_state_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.get_collapse_state.row_id);
    rio_u32(io, &r->u.get_collapse_state.instance);
}

static void get_collapse_state_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_bin16(io, &r->u.collapse_state.state);
}

/* 2.2.5.19: CollapseStateSize, CollapseState -> BookmarkSize, Bookmark */
static void set_collapse_state_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin16(io, &r->u.set_collapse_state.state);
}

const rop_desc_t rop_table_descs[] = {
    {ROP_SET_COLUMNS, 0, "RopSetColumns", set_columns_req, table_status_resp},
    {ROP_SORT_TABLE, 0, "RopSortTable", sort_table_req, table_status_resp},
    {ROP_RESTRICT, 0, "RopRestrict", restrict_req, table_status_resp},
    {ROP_QUERY_ROWS, 0, "RopQueryRows", query_rows_req, query_rows_resp},
    {ROP_ABORT, 0, "RopAbort", rop_no_fields_req, table_status_resp},
    {ROP_GET_STATUS, 0, "RopGetStatus", rop_no_fields_req, table_status_resp},
    {ROP_QUERY_POSITION, 0, "RopQueryPosition", rop_no_fields_req, query_position_resp},
    {ROP_SEEK_ROW, 0, "RopSeekRow", seek_row_req, seek_row_resp},
    {ROP_SEEK_ROW_BOOKMARK, 0, "RopSeekRowBookmark", seek_row_bookmark_req, seek_row_bookmark_resp},
    {ROP_SEEK_ROW_FRACTIONAL, 0, "RopSeekRowFractional", seek_row_fractional_req, rop_no_fields_resp},
    {ROP_CREATE_BOOKMARK, 0, "RopCreateBookmark", rop_no_fields_req, bookmark_resp},
    {ROP_QUERY_COLUMNS_ALL, 0, "RopQueryColumnsAll", rop_no_fields_req, tags_resp},
    {ROP_FIND_ROW, 0, "RopFindRow", find_row_req, find_row_resp},
    {ROP_FREE_BOOKMARK, 0, "RopFreeBookmark", free_bookmark_req, rop_no_fields_resp},
    {ROP_RESET_TABLE, 0, "RopResetTable", rop_no_fields_req, rop_no_fields_resp},
    {ROP_EXPAND_ROW, 0, "RopExpandRow", expand_row_req, expand_row_resp},
    {ROP_COLLAPSE_ROW, 0, "RopCollapseRow", collapse_row_req, collapse_row_resp},
    {ROP_GET_COLLAPSE_STATE, 0, "RopGetCollapseState", get_collapse_state_req, get_collapse_state_resp},
    {ROP_SET_COLLAPSE_STATE, 0, "RopSetCollapseState", set_collapse_state_req, bookmark_resp},
};
const size_t rop_table_descs_count = sizeof(rop_table_descs) / sizeof(rop_table_descs[0]);
