/*
 * rop_codec_message.c - message and attachment ROPs ([MS-OXCROPS] 2.2.6,
 * semantics in [MS-OXCMSG] 2.2.3): OpenMessage, CreateMessage,
 * SaveChangesMessage, RemoveAllRecipients, ModifyRecipients, ReadRecipients,
 * ReloadCachedInformation, Set/GetMessageStatus, SetReadFlags,
 * SetMessageReadFlag, GetAttachmentTable, Open/Create/Delete/
 * SaveChangesAttachment, OpenEmbeddedMessage, GetValidAttachments.
 */
#include "rop_codec_io.h"

/* OpenRecipientRow (2.2.6.1.2.1): RecipientType, CodePageId, Reserved,
 * RecipientRowSize, RecipientRow */
static void open_recipient_row(rop_io_t *io, mapi_recipient_row_t *row)
{
    uint16_t reserved = 0;
    rio_u8(io, &row->recipient_type);
    rio_u16(io, &row->code_page);
    rio_u16(io, &reserved);
    rio_bin16(io, &row->row);
}

/* OpenMessage/ReloadCachedInformation/OpenEmbeddedMessage body */
static void message_info(rop_io_t *io, mapi_rop_message_info_t *m)
{
    uint8_t i;
    rio_u8(io, &m->has_named_props);
    rio_typed_string(io, &m->subject_prefix);
    rio_typed_string(io, &m->normalized_subject);
    rio_u16(io, &m->recipient_count);
    rio_tags16(io, &m->columns);
    rio_u8(io, &m->row_count);
    if (!io->writing && !(m->rows = rio_array(io, m->row_count, sizeof(mapi_recipient_row_t), 7)))
        return;
    for (i = 0; i < m->row_count && rio_ok(io); i++)
        open_recipient_row(io, &m->rows[i]);
}

/* 2.2.6.1: CodePageId, FolderId, OpenModeFlags, MessageId */
static void open_message_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.open_message.code_page);
    rio_u64(io, &r->u.open_message.folder_id);
    rio_u8(io, &r->u.open_message.open_mode);
    rio_u64(io, &r->u.open_message.message_id);
}

static void message_info_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    message_info(io, &r->u.open_message);
}

/* 2.2.6.2: CodePageId, FolderId, AssociatedFlag -> HasMessageId [, MessageId] */
static void create_message_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.create_message.code_page);
    rio_u64(io, &r->u.create_message.folder_id);
    rio_u8(io, &r->u.create_message.associated);
}

static void create_message_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.create_message.has_mid);
    if (rio_ok(io) && r->u.create_message.has_mid)
        rio_u64(io, &r->u.create_message.message_id);
}

/* 2.2.6.3 / 2.2.6.15: SaveFlags */
static void save_flags_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.save_changes.save_flags);
}

/* 2.2.6.3.2: InputHandleIndex, MessageId */
static void save_changes_message_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.save_changes_message.in_idx);
    rio_u64(io, &r->u.save_changes_message.message_id);
}

/* 2.2.6.4: Reserved u32 */
static void remove_all_recipients_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u32(io, &r->u.remove_all_recipients.reserved);
}

/* 2.2.6.5: ColumnCount, RecipientColumns, RowCount, ModifyRecipientRows
 * (RowId u32, RecipientType u8, RecipientRowSize u16, RecipientRow) */
static void modify_recipients_req(rop_io_t *io, mapi_rop_req_t *r)
{
    uint16_t i;
    rio_tags16(io, &r->u.modify_recipients.columns);
    rio_u16(io, &r->u.modify_recipients.count);
    if (!io->writing && !(r->u.modify_recipients.rows =
                              rio_array(io, r->u.modify_recipients.count, sizeof(mapi_recipient_row_t), 7)))
        return;
    for (i = 0; i < r->u.modify_recipients.count && rio_ok(io); i++) {
        mapi_recipient_row_t *row = &r->u.modify_recipients.rows[i];
        rio_u32(io, &row->row_id);
        rio_u8(io, &row->recipient_type);
        rio_bin16(io, &row->row);
    }
}

/* 2.2.6.6: RowId, Reserved -> RowCount u8, ReadRecipientRows (RowId,
 * RecipientType, CodePageId, Reserved, RecipientRowSize, RecipientRow) */
static void read_recipients_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u32(io, &r->u.read_recipients.row_id);
    rio_u16(io, &r->u.read_recipients.reserved);
}

static void read_recipients_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    uint8_t i;
    rio_u8(io, &r->u.read_recipients.count);
    if (!io->writing &&
        !(r->u.read_recipients.rows = rio_array(io, r->u.read_recipients.count, sizeof(mapi_recipient_row_t), 11)))
        return;
    for (i = 0; i < r->u.read_recipients.count && rio_ok(io); i++) {
        mapi_recipient_row_t *row = &r->u.read_recipients.rows[i];
        rio_u32(io, &row->row_id);
        open_recipient_row(io, row);
    }
}

/* 2.2.6.7: Reserved u16 */
static void reload_cached_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.reload_cached.reserved);
}

/* 2.2.6.8: MessageId, MessageStatusFlags, MessageStatusMask -> flags */
static void set_message_status_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.set_message_status.message_id);
    rio_u32(io, &r->u.set_message_status.flags);
    rio_u32(io, &r->u.set_message_status.mask);
}

static void message_status_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.message_status.flags);
}

/* 2.2.6.9: MessageId */
static void get_message_status_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.id.id);
}

/* 2.2.6.10: WantAsynchronous, ReadFlags, MessageIdCount, MessageIds -> PartialCompletion */
static void set_read_flags_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.set_read_flags.want_async);
    rio_u8(io, &r->u.set_read_flags.read_flags);
    rio_ids16(io, &r->u.set_read_flags.count, &r->u.set_read_flags.mids);
}

static void partial_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.partial.partial);
}

/* 2.2.6.11: ReadFlags [, ClientData on a public-folder logon] ->
 * ReadStatusChanged [, LogonId, ClientData when changed, public logon] */
static void set_message_read_flag_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.set_message_read_flag.read_flags);
    r->u.set_message_read_flag.has_client_data = mapi_rop_ctx_is_public(io->ctx, io->logon_id);
    if (r->u.set_message_read_flag.has_client_data)
        rio_fixed(io, r->u.set_message_read_flag.client_data, 24);
}

static void set_message_read_flag_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.set_message_read_flag.changed);
    if (!rio_ok(io) || !r->u.set_message_read_flag.changed || !mapi_rop_ctx_is_public(io->ctx, io->logon_id))
        return;
    r->u.set_message_read_flag.has_client_data = 1;
    rio_u8(io, &r->u.set_message_read_flag.logon_id);
    rio_fixed(io, r->u.set_message_read_flag.client_data, 24);
}

/* 2.2.6.17: TableFlags */
static void table_flags_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.table.table_flags);
}

/* 2.2.6.12: OpenAttachmentFlags, AttachmentID */
static void open_attachment_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.open_attachment.flags);
    rio_u32(io, &r->u.open_attachment.attach_id);
}

/* 2.2.6.13: -> AttachmentID */
static void create_attachment_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.create_attachment.attach_id);
}

/* 2.2.6.14: AttachmentID */
static void delete_attachment_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u32(io, &r->u.delete_attachment.attach_id);
}

/* 2.2.6.16: CodePageId, OpenModeFlags -> Reserved, MessageId, message info */
static void open_embedded_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.open_embedded.code_page);
    rio_u8(io, &r->u.open_embedded.open_mode);
}

static void open_embedded_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.open_embedded.reserved);
    rio_u64(io, &r->u.open_embedded.message_id);
    message_info(io, &r->u.open_embedded.info);
}

/* 2.2.6.18: -> AttachmentIdCount u16, AttachmentIdArray u32 */
static void valid_attachments_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    uint16_t i;
    rio_u16(io, &r->u.valid_attachments.count);
    if (!io->writing &&
        !(r->u.valid_attachments.ids = rio_array(io, r->u.valid_attachments.count, sizeof(uint32_t), 4)))
        return;
    for (i = 0; i < r->u.valid_attachments.count && rio_ok(io); i++)
        rio_u32(io, &r->u.valid_attachments.ids[i]);
}

const rop_desc_t rop_message_descs[] = {
    {ROP_OPEN_MESSAGE, ROPF_OUT_IDX, "RopOpenMessage", open_message_req, message_info_resp},
    {ROP_CREATE_MESSAGE, ROPF_OUT_IDX, "RopCreateMessage", create_message_req, create_message_resp},
    {ROP_SAVE_CHANGES_MESSAGE, ROPF_RESP_IDX, "RopSaveChangesMessage", save_flags_req, save_changes_message_resp},
    {ROP_REMOVE_ALL_RECIPIENTS, 0, "RopRemoveAllRecipients", remove_all_recipients_req, rop_no_fields_resp},
    {ROP_MODIFY_RECIPIENTS, 0, "RopModifyRecipients", modify_recipients_req, rop_no_fields_resp},
    {ROP_READ_RECIPIENTS, 0, "RopReadRecipients", read_recipients_req, read_recipients_resp},
    {ROP_RELOAD_CACHED_INFORMATION, 0, "RopReloadCachedInformation", reload_cached_req, message_info_resp},
    {ROP_SET_MESSAGE_STATUS, 0, "RopSetMessageStatus", set_message_status_req, message_status_resp},
    {ROP_GET_MESSAGE_STATUS, 0, "RopGetMessageStatus", get_message_status_req, message_status_resp},
    {ROP_SET_READ_FLAGS, ROPF_RESP_ALWAYS, "RopSetReadFlags", set_read_flags_req, partial_resp},
    {ROP_SET_MESSAGE_READ_FLAG, ROPF_RESP_IDX, "RopSetMessageReadFlag", set_message_read_flag_req,
     set_message_read_flag_resp},
    {ROP_GET_ATTACHMENT_TABLE, ROPF_OUT_IDX, "RopGetAttachmentTable", table_flags_req, rop_no_fields_resp},
    {ROP_OPEN_ATTACHMENT, ROPF_OUT_IDX, "RopOpenAttachment", open_attachment_req, rop_no_fields_resp},
    {ROP_CREATE_ATTACHMENT, ROPF_OUT_IDX, "RopCreateAttachment", rop_no_fields_req, create_attachment_resp},
    {ROP_DELETE_ATTACHMENT, 0, "RopDeleteAttachment", delete_attachment_req, rop_no_fields_resp},
    {ROP_SAVE_CHANGES_ATTACHMENT, ROPF_RESP_IDX, "RopSaveChangesAttachment", save_flags_req, rop_no_fields_resp},
    {ROP_OPEN_EMBEDDED_MESSAGE, ROPF_OUT_IDX, "RopOpenEmbeddedMessage", open_embedded_req, open_embedded_resp},
    {ROP_GET_VALID_ATTACHMENTS, 0, "RopGetValidAttachments", rop_no_fields_req, valid_attachments_resp},
};
const size_t rop_message_descs_count = sizeof(rop_message_descs) / sizeof(rop_message_descs[0]);
