/*
 * rop_codec_submit.c - submission and transport ROPs ([MS-OXCROPS] 2.2.7,
 * semantics in [MS-OXOMSG]): SubmitMessage, AbortSubmit, GetAddressTypes,
 * SetSpooler, SpoolerLockMessage, TransportSend, TransportNewMail,
 * GetTransportFolder, OptionsData; ModifyPermissions (2.2.10.1,
 * [MS-OXCPERM]); ModifyRules and UpdateDeferredActionMessages (2.2.11.1,
 * 2.2.11.3, [MS-OXORULE]).
 */
#include "rop_codec_io.h"

#include <string.h>

/* 2.2.7.1: SubmitFlags */
static void submit_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.submit.flags);
}

/* 2.2.7.2: FolderId, MessageId */
static void abort_submit_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.abort_submit.folder_id);
    rio_u64(io, &r->u.abort_submit.message_id);
}

/* 2.2.7.3: -> AddressTypeCount u16, AddressTypeSize u16 (bytes of the
 * strings), AddressTypes (ASCII) */
static void address_types_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    uint16_t i, size = 0;
    size_t start;
    rio_u16(io, &r->u.address_types.count);
    if (io->writing) {
        size_t total = 0;
        for (i = 0; i < r->u.address_types.count; i++)
            total += strlen(r->u.address_types.types[i]) + 1;
        if (total > 0xFFFF) {
            rio_fail(io, MAPI_E_BAD_VALUE);
            return;
        }
        size = (uint16_t)total;
    }
    rio_u16(io, &size);
    if (!io->writing &&
        !(r->u.address_types.types = rio_array(io, r->u.address_types.count, sizeof(char *), 1)))
        return;
    start = io->writing ? 0 : io->rd->off;
    for (i = 0; i < r->u.address_types.count && rio_ok(io); i++)
        rio_asciiz(io, &r->u.address_types.types[i]);
    if (!io->writing && rio_ok(io) && io->rd->off - start != size)
        rio_fail(io, MAPI_E_BAD_VALUE);
}

/* 2.2.7.5: MessageId, LockState */
static void spooler_lock_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.spooler_lock.message_id);
    rio_u8(io, &r->u.spooler_lock.lock_state);
}

/* 2.2.7.6: -> NoPropertiesReturned [, PropertyValueCount, PropertyValues] */
static void transport_send_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.transport_send.no_props);
    if (rio_ok(io) && !r->u.transport_send.no_props)
        rio_proplist16(io, &r->u.transport_send.props);
}

/* 2.2.7.7: MessageId, FolderId, MessageClass (ASCII), MessageFlags */
static void transport_new_mail_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.transport_new_mail.message_id);
    rio_u64(io, &r->u.transport_new_mail.folder_id);
    rio_asciiz(io, &r->u.transport_new_mail.message_class);
    rio_u32(io, &r->u.transport_new_mail.message_flags);
}

/* 2.2.7.8: -> FolderId */
static void transport_folder_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u64(io, &r->u.id.id);
}

/* 2.2.7.9: AddressType (ASCII), WantWin32 -> Reserved, OptionsInfoSize,
 * OptionsInfo, HelpFileSize, HelpFile [, HelpFileName when HelpFileSize] */
static void options_data_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_asciiz(io, &r->u.options_data.address_type);
    rio_u8(io, &r->u.options_data.want_win32);
}

static void options_data_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.options_data.reserved);
    rio_bin16(io, &r->u.options_data.options);
    rio_bin16(io, &r->u.options_data.help);
    if (rio_ok(io) && r->u.options_data.help.len)
        rio_asciiz(io, &r->u.options_data.help_name);
}

/* 2.2.10.1: ModifyFlags, ModifyCount, PermissionsData (DataFlags,
 * PropertyValueCount, PropertyValues) */
static void modify_permissions_req(rop_io_t *io, mapi_rop_req_t *r)
{
    uint16_t i;
    rio_u8(io, &r->u.modify_permissions.flags);
    rio_u16(io, &r->u.modify_permissions.count);
    if (!io->writing && !(r->u.modify_permissions.rows = rio_array(io, r->u.modify_permissions.count,
                                                                  sizeof(mapi_rop_flagged_props_t), 3)))
        return;
    for (i = 0; i < r->u.modify_permissions.count && rio_ok(io); i++) {
        rio_u8(io, &r->u.modify_permissions.rows[i].data_flags);
        rio_proplist16(io, &r->u.modify_permissions.rows[i].props);
    }
}

/* 2.2.11.1: ModifyRulesFlag, RulesCount, RulesData (RuleDataFlags,
 * PropertyValueCount, PropertyValues: the rule's properties, among them
 * PtypRestriction conditions and PtypRuleAction actions) */
static void modify_rules_req(rop_io_t *io, mapi_rop_req_t *r)
{
    uint16_t i;
    rio_u8(io, &r->u.modify_rules.flags);
    rio_u16(io, &r->u.modify_rules.count);
    if (!io->writing && !(r->u.modify_rules.rows = rio_array(io, r->u.modify_rules.count,
                                                             sizeof(mapi_rop_flagged_props_t), 3)))
        return;
    for (i = 0; i < r->u.modify_rules.count && rio_ok(io); i++) {
        rio_u8(io, &r->u.modify_rules.rows[i].data_flags);
        rio_proplist16(io, &r->u.modify_rules.rows[i].props);
    }
}

/* 2.2.11.3: ServerEntryIdSize, ServerEntryId, ClientEntryIdSize, ClientEntryId */
static void update_deferred_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin16(io, &r->u.update_deferred.server_entry_id);
    rio_bin16(io, &r->u.update_deferred.client_entry_id);
}

const rop_desc_t rop_submit_descs[] = {
    {ROP_MODIFY_RULES, 0, "RopModifyRules", modify_rules_req, rop_no_fields_resp},
    {ROP_UPDATE_DEFERRED_ACTION_MESSAGES, 0, "RopUpdateDeferredActionMessages", update_deferred_req,
     rop_no_fields_resp},
    {ROP_SUBMIT_MESSAGE, 0, "RopSubmitMessage", submit_req, rop_no_fields_resp},
    {ROP_ABORT_SUBMIT, 0, "RopAbortSubmit", abort_submit_req, rop_no_fields_resp},
    {ROP_GET_ADDRESS_TYPES, 0, "RopGetAddressTypes", rop_no_fields_req, address_types_resp},
    {ROP_SET_SPOOLER, 0, "RopSetSpooler", rop_no_fields_req, rop_no_fields_resp},
    {ROP_SPOOLER_LOCK_MESSAGE, 0, "RopSpoolerLockMessage", spooler_lock_req, rop_no_fields_resp},
    {ROP_TRANSPORT_SEND, 0, "RopTransportSend", rop_no_fields_req, transport_send_resp},
    {ROP_TRANSPORT_NEW_MAIL, 0, "RopTransportNewMail", transport_new_mail_req, rop_no_fields_resp},
    {ROP_GET_TRANSPORT_FOLDER, 0, "RopGetTransportFolder", rop_no_fields_req, transport_folder_resp},
    {ROP_OPTIONS_DATA, 0, "RopOptionsData", options_data_req, options_data_resp},
    {ROP_MODIFY_PERMISSIONS, 0, "RopModifyPermissions", modify_permissions_req, rop_no_fields_resp},
};
const size_t rop_submit_descs_count = sizeof(rop_submit_descs) / sizeof(rop_submit_descs[0]);
