/*
 * rop_codec_folder.c - folder ROPs ([MS-OXCROPS] 2.2.4, semantics in
 * [MS-OXCFOLD] 2.2.1): OpenFolder, CreateFolder, DeleteFolder,
 * Set/GetSearchCriteria, MoveCopyMessages, MoveFolder, CopyFolder,
 * EmptyFolder, HardDeleteMessagesAndSubfolders, DeleteMessages,
 * HardDeleteMessages, GetHierarchyTable, GetContentsTable, plus the
 * table-opening GetPermissionsTable/GetRulesTable.
 */
#include "rop_codec_io.h"
#include "mapi_status.h"

/* 2.2.4.1: FolderId, OpenModeFlags -> HasRules, IsGhosted [, servers] */
static void open_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.open_folder.folder_id);
    rio_u8(io, &r->u.open_folder.open_mode);
}

static void open_folder_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.open_folder.has_rules);
    rio_u8(io, &r->u.open_folder.is_ghosted);
    if (rio_ok(io) && r->u.open_folder.is_ghosted)
        rio_servers(io, &r->u.open_folder.servers);
}

/* 2.2.4.2: FolderType, UseUnicodeStrings, OpenExisting, Reserved,
 * DisplayName, Comment (Unicode or 8-bit per UseUnicodeStrings) */
static void create_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.create_folder.folder_type);
    rio_u8(io, &r->u.create_folder.use_unicode);
    rio_u8(io, &r->u.create_folder.open_existing);
    rio_u8(io, &r->u.create_folder.reserved);
    rio_string(io, r->u.create_folder.use_unicode != 0, &r->u.create_folder.display_name);
    rio_string(io, r->u.create_folder.use_unicode != 0, &r->u.create_folder.comment);
}

static void create_folder_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u64(io, &r->u.create_folder.folder_id);
    rio_u8(io, &r->u.create_folder.is_existing);
    if (!rio_ok(io) || !r->u.create_folder.is_existing)
        return;
    rio_u8(io, &r->u.create_folder.has_rules);
    rio_u8(io, &r->u.create_folder.is_ghosted);
    if (rio_ok(io) && r->u.create_folder.is_ghosted)
        rio_servers(io, &r->u.create_folder.servers);
}

/* 2.2.4.3 */
static void delete_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.delete_folder.flags);
    rio_u64(io, &r->u.delete_folder.folder_id);
}

/* PartialCompletion, present whatever the ReturnValue (2.2.4.3.2 ...) */
static void partial_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.partial.partial);
}

/* Move/copy ROPs: ecDstNullObject carries DestHandleIndex u32 first
 * (2.2.4.6.3, 2.2.4.7.3, 2.2.4.8.3) */
static void move_partial_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    if (r->ret == MAPI_EC_DST_NULL_OBJECT)
        rio_u32(io, &r->u.partial.dest_idx);
    rio_u8(io, &r->u.partial.partial);
}

/* 2.2.4.4 */
static void set_search_criteria_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_restriction16(io, &r->u.set_search_criteria.res);
    rio_ids16(io, &r->u.set_search_criteria.nfolders, &r->u.set_search_criteria.folder_ids);
    rio_u32(io, &r->u.set_search_criteria.search_flags);
}

/* 2.2.4.5 */
static void get_search_criteria_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.get_search_criteria.use_unicode);
    rio_u8(io, &r->u.get_search_criteria.include_restriction);
    rio_u8(io, &r->u.get_search_criteria.include_folders);
}

static void get_search_criteria_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_restriction16(io, &r->u.get_search_criteria.res);
    rio_u8(io, &r->u.get_search_criteria.logon_id);
    rio_ids16(io, &r->u.get_search_criteria.nfolders, &r->u.get_search_criteria.folder_ids);
    rio_u32(io, &r->u.get_search_criteria.search_flags);
}

/* 2.2.4.6: MessageIdCount, MessageIds, WantAsynchronous, WantCopy */
static void move_copy_messages_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_ids16(io, &r->u.move_copy_messages.count, &r->u.move_copy_messages.mids);
    rio_u8(io, &r->u.move_copy_messages.want_async);
    rio_u8(io, &r->u.move_copy_messages.want_copy);
}

/* 2.2.4.7: WantAsynchronous, UseUnicode, FolderId, NewFolderName */
static void move_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.move_copy_folder.want_async);
    rio_u8(io, &r->u.move_copy_folder.use_unicode);
    rio_u64(io, &r->u.move_copy_folder.folder_id);
    rio_string(io, r->u.move_copy_folder.use_unicode != 0, &r->u.move_copy_folder.new_name);
}

/* 2.2.4.8: WantAsynchronous, WantRecursive, UseUnicode, FolderId, NewFolderName */
static void copy_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.move_copy_folder.want_async);
    rio_u8(io, &r->u.move_copy_folder.want_recursive);
    rio_u8(io, &r->u.move_copy_folder.use_unicode);
    rio_u64(io, &r->u.move_copy_folder.folder_id);
    rio_string(io, r->u.move_copy_folder.use_unicode != 0, &r->u.move_copy_folder.new_name);
}

/* 2.2.4.9 / 2.2.4.10 */
static void empty_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.empty_folder.want_async);
    rio_u8(io, &r->u.empty_folder.want_delete_associated);
}

/* 2.2.4.11 / 2.2.4.12: WantAsynchronous, NotifyNonRead, MessageIdCount, MessageIds */
static void delete_messages_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.delete_messages.want_async);
    rio_u8(io, &r->u.delete_messages.notify_non_read);
    rio_ids16(io, &r->u.delete_messages.count, &r->u.delete_messages.mids);
}

/* 2.2.4.13 / 2.2.4.14: TableFlags -> RowCount */
static void table_flags_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.table.table_flags);
}

static void row_count_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.table.row_count);
}

const rop_desc_t rop_folder_descs[] = {
    {ROP_OPEN_FOLDER, ROPF_OUT_IDX, "RopOpenFolder", open_folder_req, open_folder_resp},
    {ROP_CREATE_FOLDER, ROPF_OUT_IDX, "RopCreateFolder", create_folder_req, create_folder_resp},
    {ROP_DELETE_FOLDER, ROPF_RESP_ALWAYS, "RopDeleteFolder", delete_folder_req, partial_resp},
    {ROP_SET_SEARCH_CRITERIA, 0, "RopSetSearchCriteria", set_search_criteria_req, rop_no_fields_resp},
    {ROP_GET_SEARCH_CRITERIA, 0, "RopGetSearchCriteria", get_search_criteria_req, get_search_criteria_resp},
    {ROP_MOVE_COPY_MESSAGES, ROPF_OUT_IDX | ROPF_RESP_ALWAYS, "RopMoveCopyMessages",
     move_copy_messages_req, move_partial_resp},
    {ROP_MOVE_FOLDER, ROPF_OUT_IDX | ROPF_RESP_ALWAYS, "RopMoveFolder", move_folder_req, move_partial_resp},
    {ROP_COPY_FOLDER, ROPF_OUT_IDX | ROPF_RESP_ALWAYS, "RopCopyFolder", copy_folder_req, move_partial_resp},
    {ROP_EMPTY_FOLDER, ROPF_RESP_ALWAYS, "RopEmptyFolder", empty_folder_req, partial_resp},
    {ROP_HARD_DELETE_MESSAGES_AND_SUBFOLDERS, ROPF_RESP_ALWAYS, "RopHardDeleteMessagesAndSubfolders",
     empty_folder_req, partial_resp},
    {ROP_DELETE_MESSAGES, ROPF_RESP_ALWAYS, "RopDeleteMessages", delete_messages_req, partial_resp},
    {ROP_HARD_DELETE_MESSAGES, ROPF_RESP_ALWAYS, "RopHardDeleteMessages", delete_messages_req, partial_resp},
    {ROP_GET_HIERARCHY_TABLE, ROPF_OUT_IDX, "RopGetHierarchyTable", table_flags_req, row_count_resp},
    {ROP_GET_CONTENTS_TABLE, ROPF_OUT_IDX, "RopGetContentsTable", table_flags_req, row_count_resp},
    {ROP_GET_PERMISSIONS_TABLE, ROPF_OUT_IDX, "RopGetPermissionsTable", table_flags_req, rop_no_fields_resp},
    {ROP_GET_RULES_TABLE, ROPF_OUT_IDX, "RopGetRulesTable", table_flags_req, rop_no_fields_resp},
};
const size_t rop_folder_descs_count = sizeof(rop_folder_descs) / sizeof(rop_folder_descs[0]);
