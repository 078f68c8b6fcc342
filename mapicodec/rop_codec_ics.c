/*
 * rop_codec_ics.c - FastTransfer and ICS ROPs ([MS-OXCROPS] 2.2.12 and
 * 2.2.13, semantics in [MS-OXCFXICS] 2.2.3): the ROPs Outlook's cached mode
 * sends. Decoding them lets a server that does not implement them answer
 * each with an error instead of failing the whole ROP buffer.
 */
#include "rop_codec_io.h"
#include "mapi_status.h"

#define GET_BUFFER_SENTINEL 0xBABE
#define EC_SERVER_BUSY 0x00000480u

/* 2.2.12.4: BufferSize [, MaximumBufferSize when 0xBABE] -> TransferStatus,
 * InProgressCount, TotalStepCount, Reserved, TransferBufferSize,
 * TransferBuffer; ecServerBusy carries BackoffTime */
static void ft_get_buffer_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.ft_get_buffer.buffer_size);
    if (rio_ok(io) && r->u.ft_get_buffer.buffer_size == GET_BUFFER_SENTINEL)
        rio_u16(io, &r->u.ft_get_buffer.max_buffer_size);
}

static void ft_get_buffer_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    if (r->ret == EC_SERVER_BUSY) {
        rio_u32(io, &r->u.ft_get_buffer.backoff_time);
        return;
    }
    if (r->ret != MAPI_EC_SUCCESS)
        return;
    rio_u16(io, &r->u.ft_get_buffer.status);
    rio_u16(io, &r->u.ft_get_buffer.in_progress);
    rio_u16(io, &r->u.ft_get_buffer.total_steps);
    rio_u8(io, &r->u.ft_get_buffer.reserved);
    rio_bin16(io, &r->u.ft_get_buffer.buffer);
}

/* 2.2.12.6: MessageIdCount, MessageIds, CopyFlags, SendOptions */
static void ft_copy_messages_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_ids16(io, &r->u.ft_copy_messages.count, &r->u.ft_copy_messages.mids);
    rio_u8(io, &r->u.ft_copy_messages.copy_flags);
    rio_u8(io, &r->u.ft_copy_messages.send_options);
}

/* 2.2.12.5: CopyFlags, SendOptions */
static void ft_copy_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.ft_copy_folder.copy_flags);
    rio_u8(io, &r->u.ft_copy_folder.send_options);
}

/* 2.2.12.7: Level, CopyFlags u32, SendOptions, PropertyTagCount, PropertyTags */
static void ft_copy_to_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.ft_copy_to.level);
    rio_u32(io, &r->u.ft_copy_to.copy_flags);
    rio_u8(io, &r->u.ft_copy_to.send_options);
    rio_tags16(io, &r->u.ft_copy_to.tags);
}

/* 2.2.12.8: Level, CopyFlags, SendOptions, PropertyTagCount, PropertyTags */
static void ft_copy_properties_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.ft_copy_properties.level);
    rio_u8(io, &r->u.ft_copy_properties.copy_flags);
    rio_u8(io, &r->u.ft_copy_properties.send_options);
    rio_tags16(io, &r->u.ft_copy_properties.tags);
}

/* 2.2.12.1: SourceOperation, CopyFlags */
static void ft_dest_configure_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.ft_dest_configure.source_operation);
    rio_u8(io, &r->u.ft_dest_configure.copy_flags);
}

/* 2.2.12.2: TransferDataSize, TransferData -> TransferStatus, InProgressCount,
 * TotalStepCount, Reserved, BufferUsedSize */
static void ft_put_buffer_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin16(io, &r->u.ft_put_buffer.data);
}

static void ft_put_buffer_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u16(io, &r->u.ft_put_buffer.status);
    rio_u16(io, &r->u.ft_put_buffer.in_progress);
    rio_u16(io, &r->u.ft_put_buffer.total_steps);
    rio_u8(io, &r->u.ft_put_buffer.reserved);
    rio_u16(io, &r->u.ft_put_buffer.used);
}

/* 2.2.13.1: SynchronizationType, SendOptions, SynchronizationFlags u16,
 * RestrictionDataSize, RestrictionData, SynchronizationExtraFlags,
 * PropertyTagCount, PropertyTags */
static void sync_configure_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.sync_configure.sync_type);
    rio_u8(io, &r->u.sync_configure.send_options);
    rio_u16(io, &r->u.sync_configure.sync_flags);
    rio_restriction16(io, &r->u.sync_configure.res);
    rio_u32(io, &r->u.sync_configure.extra_flags);
    rio_tags16(io, &r->u.sync_configure.tags);
}

/* 2.2.13.2: ImportFlag, PropertyValueCount, PropertyValues -> MessageId */
static void import_message_change_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.import_message_change.import_flag);
    rio_proplist16(io, &r->u.import_message_change.props);
}

static void id_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u64(io, &r->u.id.id);
}

/* 2.2.13.4: HierarchyValueCount, HierarchyValues, PropertyValueCount,
 * PropertyValues -> FolderId */
static void import_hierarchy_change_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_proplist16(io, &r->u.import_hierarchy_change.hierarchy);
    rio_proplist16(io, &r->u.import_hierarchy_change.props);
}

/* 2.2.13.5: ImportDeleteFlags, PropertyValueCount, PropertyValues */
static void import_deletes_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.import_deletes.flags);
    rio_proplist16(io, &r->u.import_deletes.props);
}

/* 2.2.13.6: five u32-sized byte fields -> MessageId */
static void import_message_move_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin32(io, &r->u.import_message_move.source_fid);
    rio_bin32(io, &r->u.import_message_move.source_mid);
    rio_bin32(io, &r->u.import_message_move.pcl);
    rio_bin32(io, &r->u.import_message_move.dest_mid);
    rio_bin32(io, &r->u.import_message_move.cn);
}

/* 2.2.13.3: MessageReadStatesSize, MessageReadStates */
static void import_read_states_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin16(io, &r->u.import_read_states.states);
}

/* 2.2.13.9: StateProperty, TransferBufferSize */
static void upload_state_begin_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u32(io, &r->u.upload_state_begin.state_property);
    rio_u32(io, &r->u.upload_state_begin.size);
}

/* 2.2.13.10: StreamDataSize u32, StreamData */
static void upload_state_continue_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin32(io, &r->u.upload_state_continue.data);
}

/* 2.2.13.7: IsContentsCollector */
static void open_collector_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.open_collector.is_contents);
}

/* 2.2.13.13: IdCount u32 -> ReplGuid, GlobalCount (6 bytes) */
static void local_replica_ids_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u32(io, &r->u.local_replica_ids.count);
}

static void local_replica_ids_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    uint8_t gc[6];
    rio_guid(io, &r->u.local_replica_ids.repl_guid);
    if (io->writing)
        mapi_globcnt_put(gc, r->u.local_replica_ids.globcnt);
    rio_fixed(io, gc, 6);
    if (!io->writing)
        r->u.local_replica_ids.globcnt = mapi_globcnt_get(gc);
}

/* 2.2.12.9: Version (three u16) */
static void tell_version_req(rop_io_t *io, mapi_rop_req_t *r)
{
    int i;
    for (i = 0; i < 3; i++)
        rio_u16(io, &r->u.tell_version.version[i]);
}

const rop_desc_t rop_ics_descs[] = {
    {ROP_FAST_TRANSFER_SOURCE_GET_BUFFER, ROPF_RESP_ALWAYS, "RopFastTransferSourceGetBuffer",
     ft_get_buffer_req, ft_get_buffer_resp},
    {ROP_FAST_TRANSFER_SOURCE_COPY_MESSAGES, ROPF_OUT_IDX, "RopFastTransferSourceCopyMessages",
     ft_copy_messages_req, rop_no_fields_resp},
    {ROP_FAST_TRANSFER_SOURCE_COPY_FOLDER, ROPF_OUT_IDX, "RopFastTransferSourceCopyFolder",
     ft_copy_folder_req, rop_no_fields_resp},
    {ROP_FAST_TRANSFER_SOURCE_COPY_TO, ROPF_OUT_IDX, "RopFastTransferSourceCopyTo", ft_copy_to_req,
     rop_no_fields_resp},
    {ROP_FAST_TRANSFER_SOURCE_COPY_PROPERTIES, ROPF_OUT_IDX, "RopFastTransferSourceCopyProperties",
     ft_copy_properties_req, rop_no_fields_resp},
    {ROP_FAST_TRANSFER_DESTINATION_CONFIGURE, ROPF_OUT_IDX, "RopFastTransferDestinationConfigure",
     ft_dest_configure_req, rop_no_fields_resp},
    {ROP_FAST_TRANSFER_DESTINATION_PUT_BUFFER, 0, "RopFastTransferDestinationPutBuffer", ft_put_buffer_req,
     ft_put_buffer_resp},
    {ROP_SYNCHRONIZATION_CONFIGURE, ROPF_OUT_IDX, "RopSynchronizationConfigure", sync_configure_req,
     rop_no_fields_resp},
    {ROP_SYNCHRONIZATION_IMPORT_MESSAGE_CHANGE, ROPF_OUT_IDX, "RopSynchronizationImportMessageChange",
     import_message_change_req, id_resp},
    {ROP_SYNCHRONIZATION_IMPORT_HIERARCHY_CHANGE, 0, "RopSynchronizationImportHierarchyChange",
     import_hierarchy_change_req, id_resp},
    {ROP_SYNCHRONIZATION_IMPORT_DELETES, 0, "RopSynchronizationImportDeletes", import_deletes_req,
     rop_no_fields_resp},
    {ROP_SYNCHRONIZATION_IMPORT_MESSAGE_MOVE, 0, "RopSynchronizationImportMessageMove",
     import_message_move_req, id_resp},
    {ROP_SYNCHRONIZATION_IMPORT_READ_STATE_CHANGES, 0, "RopSynchronizationImportReadStateChanges",
     import_read_states_req, rop_no_fields_resp},
    {ROP_SYNCHRONIZATION_UPLOAD_STATE_STREAM_BEGIN, 0, "RopSynchronizationUploadStateStreamBegin",
     upload_state_begin_req, rop_no_fields_resp},
    {ROP_SYNCHRONIZATION_UPLOAD_STATE_STREAM_CONTINUE, 0, "RopSynchronizationUploadStateStreamContinue",
     upload_state_continue_req, rop_no_fields_resp},
    {ROP_SYNCHRONIZATION_UPLOAD_STATE_STREAM_END, 0, "RopSynchronizationUploadStateStreamEnd",
     rop_no_fields_req, rop_no_fields_resp},
    {ROP_SYNCHRONIZATION_OPEN_COLLECTOR, ROPF_OUT_IDX, "RopSynchronizationOpenCollector", open_collector_req,
     rop_no_fields_resp},
    {ROP_GET_LOCAL_REPLICA_IDS, 0, "RopGetLocalReplicaIds", local_replica_ids_req, local_replica_ids_resp},
    {ROP_SYNCHRONIZATION_GET_TRANSFER_STATE, ROPF_OUT_IDX, "RopSynchronizationGetTransferState",
     rop_no_fields_req, rop_no_fields_resp},
    {ROP_TELL_VERSION, 0, "RopTellVersion", tell_version_req, rop_no_fields_resp},
};
const size_t rop_ics_descs_count = sizeof(rop_ics_descs) / sizeof(rop_ics_descs[0]);
