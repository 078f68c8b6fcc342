/*
 * rop_codec_store.c - logon and store ROPs ([MS-OXCROPS] 2.2.3, semantics in
 * [MS-OXCSTOR] 2.2.1): Logon, Get/SetReceiveFolder, GetReceiveFolderTable,
 * GetStoreState, LongTermIdFromId, IdFromLongTermId, GetPerUserLongTermIds,
 * GetPerUserGuid, Read/WritePerUserInformation, GetOwningServers,
 * PublicFolderIsGhosted.
 */
#include "rop_codec_io.h"
#include "mapi_status.h"

#include <string.h>

/* 2.2.3.1.1: LogonFlags, OpenFlags, StoreState, EssdnSize, Essdn */
static void logon_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.logon.logon_flags);
    rio_u32(io, &r->u.logon.open_flags);
    rio_u32(io, &r->u.logon.store_state);
    rio_bin16(io, &r->u.logon.essdn);
}

/* 2.2.3.1.2 private / 2.2.3.1.3 public success, 2.2.3.1.4 redirect */
static void logon_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    mapi_rop_logon_resp_t *l = &r->u.logon;
    int i;
    if (r->ret == MAPI_EC_WRONG_SERVER) {
        mapi_bin_t name = {0, (uint8_t *)l->server_name};
        uint8_t n = 0;
        rio_u8(io, &l->logon_flags);
        if (io->writing) {
            size_t len = l->server_name ? strlen(l->server_name) + 1 : 1;
            if (len > 0xFF) {
                rio_fail(io, MAPI_E_BAD_VALUE);
                return;
            }
            n = (uint8_t)len;
        }
        rio_u8(io, &n);
        if (io->writing) {
            mapi_wr_asciiz(io->wr, l->server_name);
        } else {
            rio_bin_n(io, &name, n);
            if (rio_ok(io) && (n == 0 || name.data[n - 1] != 0))
                rio_fail(io, MAPI_E_BAD_VALUE);
            l->server_name = (char *)name.data;
        }
        return;
    }
    if (r->ret != MAPI_EC_SUCCESS)
        return;
    rio_u8(io, &l->logon_flags);
    for (i = 0; i < 13; i++)
        rio_u64(io, &l->folder_ids[i]);
    if (l->logon_flags & MAPI_LOGON_PRIVATE) {
        rio_u8(io, &l->response_flags);
        rio_guid(io, &l->mailbox_guid);
        rio_u16(io, &l->repl_id);
        rio_guid(io, &l->repl_guid);
        rio_u8(io, &l->logon_time.sec);
        rio_u8(io, &l->logon_time.min);
        rio_u8(io, &l->logon_time.hour);
        rio_u8(io, &l->logon_time.dow);
        rio_u8(io, &l->logon_time.day);
        rio_u8(io, &l->logon_time.month);
        rio_u16(io, &l->logon_time.year);
        rio_u64(io, &l->gwart_time);
        rio_u32(io, &l->store_state);
    } else {
        rio_u16(io, &l->repl_id);
        rio_guid(io, &l->repl_guid);
        rio_guid(io, &l->per_user_guid);
    }
}

/* 2.2.3.2: MessageClass (ASCII) -> FolderId, ExplicitMessageClass */
static void get_receive_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_asciiz(io, &r->u.get_receive_folder.message_class);
}

static void get_receive_folder_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u64(io, &r->u.get_receive_folder.folder_id);
    rio_asciiz(io, &r->u.get_receive_folder.message_class);
}

/* 2.2.3.3 */
static void set_receive_folder_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.set_receive_folder.folder_id);
    rio_asciiz(io, &r->u.set_receive_folder.message_class);
}

/* 2.2.3.4: RowCount u32 + rows of PidTagFolderId, PidTagMessageClass
 * (String8), PidTagLastModificationTime ([MS-OXCSTOR] 2.2.1.4.2) */
static const uint32_t receive_folder_cols[3] = {0x67480014, 0x001A001E, 0x30080040};

static void receive_folder_table_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.receive_folder_table.count);
    if (!io->writing) {
        r->u.receive_folder_table.rows.cols = receive_folder_cols;
        r->u.receive_folder_table.rows.ncols = 3;
    }
    rio_rows(io, &r->u.receive_folder_table.rows, r->u.receive_folder_table.count);
}

/* 2.2.3.5 */
static void store_state_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.store_state.store_state);
}

/* 2.2.3.8 / 2.2.3.6 / 2.2.3.7: an 8-byte id */
static void id_req(rop_io_t *io, mapi_rop_req_t *r) { rio_u64(io, &r->u.id.id); }
static void ltid_resp(rop_io_t *io, mapi_rop_resp_t *r) { rio_ltid(io, &r->u.ltid.ltid); }

/* 2.2.3.9 / 2.2.3.11: a LongTermId */
static void ltid_req(rop_io_t *io, mapi_rop_req_t *r) { rio_ltid(io, &r->u.ltid.ltid); }
static void id_resp(rop_io_t *io, mapi_rop_resp_t *r) { rio_u64(io, &r->u.id.id); }
static void guid_resp(rop_io_t *io, mapi_rop_resp_t *r) { rio_guid(io, &r->u.guid.guid); }

/* 2.2.3.10 */
static void per_user_ltids_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_guid(io, &r->u.per_user_ltids.guid);
}

static void per_user_ltids_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    uint16_t i;
    rio_u16(io, &r->u.per_user_ltids.count);
    if (!io->writing &&
        !(r->u.per_user_ltids.ltids = rio_array(io, r->u.per_user_ltids.count, sizeof(mapi_gid_t), 24)))
        return;
    for (i = 0; i < r->u.per_user_ltids.count && rio_ok(io); i++)
        rio_ltid(io, &r->u.per_user_ltids.ltids[i]);
}

/* 2.2.3.12: FolderId (LongTermId), Reserved, DataOffset, MaxDataSize */
static void read_per_user_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_ltid(io, &r->u.read_per_user.folder);
    rio_u8(io, &r->u.read_per_user.reserved);
    rio_u32(io, &r->u.read_per_user.offset);
    rio_u16(io, &r->u.read_per_user.max_size);
}

static void read_per_user_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.read_per_user.has_finished);
    rio_bin16(io, &r->u.read_per_user.data);
}

/* 2.2.3.13: ReplGuid only at DataOffset 0 on a private logon */
static void write_per_user_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_ltid(io, &r->u.write_per_user.folder);
    rio_u8(io, &r->u.write_per_user.has_finished);
    rio_u32(io, &r->u.write_per_user.offset);
    rio_bin16(io, &r->u.write_per_user.data);
    if (!rio_ok(io))
        return;
    r->u.write_per_user.has_repl_guid =
        r->u.write_per_user.offset == 0 && !mapi_rop_ctx_is_public(io->ctx, io->logon_id);
    if (r->u.write_per_user.has_repl_guid)
        rio_guid(io, &r->u.write_per_user.repl_guid);
}

/* 2.2.3.6 */
static void owning_servers_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_servers(io, &r->u.owning_servers.servers);
}

/* 2.2.3.7: IsGhosted, then the server list when set */
static void ghosted_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.ghosted.is_ghosted);
    if (rio_ok(io) && r->u.ghosted.is_ghosted)
        rio_servers(io, &r->u.ghosted.servers);
}

const rop_desc_t rop_store_descs[] = {
    {ROP_LOGON, ROPF_LOGON_HDR | ROPF_RESP_ALWAYS, "RopLogon", logon_req, logon_resp},
    {ROP_GET_RECEIVE_FOLDER, 0, "RopGetReceiveFolder", get_receive_folder_req, get_receive_folder_resp},
    {ROP_SET_RECEIVE_FOLDER, 0, "RopSetReceiveFolder", set_receive_folder_req, rop_no_fields_resp},
    {ROP_GET_RECEIVE_FOLDER_TABLE, 0, "RopGetReceiveFolderTable", rop_no_fields_req, receive_folder_table_resp},
    {ROP_GET_STORE_STATE, 0, "RopGetStoreState", rop_no_fields_req, store_state_resp},
    {ROP_LONG_TERM_ID_FROM_ID, 0, "RopLongTermIdFromId", id_req, ltid_resp},
    {ROP_ID_FROM_LONG_TERM_ID, 0, "RopIdFromLongTermId", ltid_req, id_resp},
    {ROP_GET_PER_USER_LONG_TERM_IDS, 0, "RopGetPerUserLongTermIds", per_user_ltids_req, per_user_ltids_resp},
    {ROP_GET_PER_USER_GUID, 0, "RopGetPerUserGuid", ltid_req, guid_resp},
    {ROP_READ_PER_USER_INFORMATION, 0, "RopReadPerUserInformation", read_per_user_req, read_per_user_resp},
    {ROP_WRITE_PER_USER_INFORMATION, 0, "RopWritePerUserInformation", write_per_user_req, rop_no_fields_resp},
    {ROP_GET_OWNING_SERVERS, 0, "RopGetOwningServers", id_req, owning_servers_resp},
    {ROP_PUBLIC_FOLDER_IS_GHOSTED, 0, "RopPublicFolderIsGhosted", id_req, ghosted_resp},
};
const size_t rop_store_descs_count = sizeof(rop_store_descs) / sizeof(rop_store_descs[0]);
