/*
 * rop_logon.c - logon and store-level ROPs ([MS-OXCSTOR] 2.2.1, server
 * behaviour 3.2.5): RopLogon for the private mailbox, receive folders,
 * store state, long-term ids.
 */
#include "rop_engine.h"
#include "rop_rules.h"

#include "mapi_ids.h"

#include <string.h>
#include <strings.h>
#include <time.h>

/* ResponseFlags ([MS-OXCSTOR] 2.2.1.1.3) */
#define LOGON_RESP_RESERVED 0x01
#define LOGON_RESP_OWNER_RIGHT 0x02
#define LOGON_RESP_SEND_AS_RIGHT 0x04

/* FILETIME now: 100 ns since 1601-01-01. */
static uint64_t filetime_now(void)
{
    return (uint64_t)time(NULL) * 10000000u + 116444736000000000u;
}

static void logon_time(mapi_rop_logon_resp_t *l)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    l->logon_time.sec = (uint8_t)tm.tm_sec;
    l->logon_time.min = (uint8_t)tm.tm_min;
    l->logon_time.hour = (uint8_t)tm.tm_hour;
    l->logon_time.dow = (uint8_t)tm.tm_wday;
    l->logon_time.day = (uint8_t)tm.tm_mday;
    l->logon_time.month = (uint8_t)(tm.tm_mon + 1);
    l->logon_time.year = (uint16_t)(tm.tm_year + 1900);
}

/* 2.2.1.1 RopLogon; 3.2.5.1.1 private mailbox logon. The ESSDN names the
 * mailbox (its legacyExchangeDN); it must be the session's mailbox. Its
 * owner gets OwnerRight and SendAsRight; a delegate ([MS-OXODLGT]: someone
 * with rights on any of its folders) neither, and everyone else
 * ecLoginPerm. Folder ROPs check each folder's rights (rop_perm_rights). */
static uint32_t rop_logon(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mapi_rop_logon_resp_t *l = &resp->u.logon;
    ms_mailbox_info_t info;
    ms_mailbox_t *mbx;
    mapi_obj_t *o;
    mapi_wr_t wr;
    uint32_t ec;
    int i, owner = 0, granted = 0;

    if (!(req->u.logon.logon_flags & MAPI_LOGON_PRIVATE))
        return MAPI_EC_NOT_SUPPORTED; /* no public folders on this server */
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if (ms_mailbox_info(mbx, &info) != MS_OK)
        return MAPI_EC_UNKNOWN_USER;
    if (req->u.logon.essdn.len > 0) {
        const char *dn = (const char *)req->u.logon.essdn.data;
        size_t n = req->u.logon.essdn.len;
        while (n > 0 && dn[n - 1] == '\0')
            n--;
        if (n != strlen(info.legacy_dn) || strncasecmp(dn, info.legacy_dn, n) != 0)
            return MAPI_EC_LOGIN_PERM; /* not the mailbox this session was connected to */
    }
    if ((ec = rop_perm_mailbox_access(c->ectx->store, mbx, c->ectx->user, &owner, &granted)) != MAPI_EC_SUCCESS)
        return ec;
    if (!granted)
        return MAPI_EC_LOGIN_PERM; /* another user's mailbox: no delegation granted */
    if (!(o = rop_new_obj(c, req->out_idx, MAPI_OBJ_LOGON, req->logon_id, &ec)))
        return ec;
    mapi_wr_init(&wr, 0);
    mapi_wr_u8(&wr, req->u.logon.logon_flags);
    mapi_wr_bytes(&wr, info.guid.b, 16);
    rop_obj_set_data(o, &wr);
    mapi_rop_ctx_set_public(&c->ropctx, req->logon_id, 0);

    l->logon_flags = req->u.logon.logon_flags & (MAPI_LOGON_PRIVATE | MAPI_LOGON_UNDERCOVER | MAPI_LOGON_GHOSTED);
    for (i = 0; i < MS_LOGON_FOLDER_COUNT; i++)
        l->folder_ids[i] = ms_special_folder_id((ms_special_t)i);
    l->response_flags = LOGON_RESP_RESERVED | (owner ? LOGON_RESP_OWNER_RIGHT | LOGON_RESP_SEND_AS_RIGHT : 0);
    memcpy(l->mailbox_guid.b, info.guid.b, 16);
    l->repl_id = ms_id_replid(ms_special_folder_id(MS_FOLDER_ROOT));
    memcpy(l->repl_guid.b, info.replica_guid.b, 16);
    logon_time(l);
    l->gwart_time = filetime_now();
    l->store_state = 0;
    return MAPI_EC_SUCCESS;
}

/* The logon object a ROP's InputHandleIndex must name. */
static uint32_t need_logon(rop_ctx_t *c, const mapi_rop_req_t *req, ms_mailbox_t **mbx)
{
    uint32_t ec;
    if (!rop_obj_of(c, req->in_idx, ROP_T(MAPI_OBJ_LOGON), &ec))
        return ec;
    return (*mbx = rop_mailbox(c, &ec)) ? MAPI_EC_SUCCESS : ec;
}

/* 2.2.1.2 RopGetReceiveFolder: the folder for a message class (longest
 * prefix match; "" and "IPM" and unknown classes go to the Inbox). */
static uint32_t rop_get_receive_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint32_t ec = need_logon(c, req, &mbx);
    const char *cls = req->u.get_receive_folder.message_class;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (cls && strlen(cls) > 255)
        return MAPI_EC_INVALID_PARAMETER;
    resp->u.get_receive_folder.folder_id = ms_special_folder_id(MS_FOLDER_INBOX);
    /* the explicit class this answer covers: "" for the default */
    resp->u.get_receive_folder.message_class =
        (cls && strncasecmp(cls, "IPM", 3) == 0) ? mapi_arena_strndup(c->arena, "IPM", 3)
                                                  : mapi_arena_strndup(c->arena, "", 0);
    return MAPI_EC_SUCCESS;
}

/* 2.2.1.5 RopGetStoreState: no search-folder state to report. */
static uint32_t rop_get_store_state(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint32_t ec = need_logon(c, req, &mbx);
    if (ec == MAPI_EC_SUCCESS)
        resp->u.store_state.store_state = 0;
    return ec;
}

/* 2.2.1.8 RopLongTermIdFromId: REPLID 1 is the mailbox's replica GUID. */
static uint32_t rop_long_term_id_from_id(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint32_t ec = need_logon(c, req, &mbx);
    uint64_t id = req->u.id.id;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (mapi_id_replid(id) != ms_id_replid(ms_special_folder_id(MS_FOLDER_ROOT)))
        return MAPI_EC_NOT_FOUND;
    memcpy(resp->u.ltid.ltid.guid.b, ms_mailbox_replica_guid(mbx)->b, 16);
    resp->u.ltid.ltid.globcnt = mapi_id_globcnt(id);
    return MAPI_EC_SUCCESS;
}

/* 2.2.1.9 RopIdFromLongTermId */
static uint32_t rop_id_from_long_term_id(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint32_t ec = need_logon(c, req, &mbx);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (memcmp(req->u.ltid.ltid.guid.b, ms_mailbox_replica_guid(mbx)->b, 16) != 0)
        return MAPI_EC_NOT_FOUND;
    resp->u.id.id = mapi_id_make(ms_id_replid(ms_special_folder_id(MS_FOLDER_ROOT)), req->u.ltid.ltid.globcnt);
    return MAPI_EC_SUCCESS;
}

/* 2.2.1.7 RopPublicFolderIsGhosted / 2.2.1.6 RopGetOwningServers: this
 * server has no public folders. */
static uint32_t rop_no_public_folders(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    uint32_t ec;
    if (!rop_obj_of(c, req->in_idx, ROP_T(MAPI_OBJ_LOGON), &ec))
        return ec;
    return MAPI_EC_NOT_SUPPORTED;
}

const rop_entry_t rop_logon_entries[] = {
    {ROP_LOGON, rop_logon},
    {ROP_GET_RECEIVE_FOLDER, rop_get_receive_folder},
    {ROP_GET_STORE_STATE, rop_get_store_state},
    {ROP_LONG_TERM_ID_FROM_ID, rop_long_term_id_from_id},
    {ROP_ID_FROM_LONG_TERM_ID, rop_id_from_long_term_id},
    {ROP_PUBLIC_FOLDER_IS_GHOSTED, rop_no_public_folders},
    {ROP_GET_OWNING_SERVERS, rop_no_public_folders},
    {0, NULL}};
