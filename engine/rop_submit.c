/*
 * rop_submit.c - submission and transport ROPs ([MS-OXOMSG] 2.2.3, server
 * behaviour 3.2.5; wire layouts [MS-OXCROPS] 2.2.7): SubmitMessage puts a
 * message in the mailbox's outgoing queue (store/ms_queue.c) with what
 * happens to it after sending (PidTagDeleteAfterSubmit, the Sent Items
 * folder of PidTagSentMailEntryId); AbortSubmit takes it out again;
 * GetAddressTypes, SetSpooler, GetTransportFolder, OptionsData and
 * TransportSend. Handing queued messages to an MTA is mail flow's job.
 */
#include "rop_msgobj.h"

#include <string.h>
#include <time.h>

/* [MS-OXCDATA] 2.4.2 error codes of this area */
#define EC_NOT_IN_QUEUE    0x80040601u /* ecNotInQueue */
#define EC_NO_RECIPIENTS   0x80040607u /* MAPI_E_NO_RECIPIENTS (IMessage::SubmitMessage: empty recipient table) */

#define PR_DELETE_AFTER_SUBMIT MS_PROP_TAG(MS_PT_BOOLEAN, 0x0E01)
#define PR_SENTMAIL_ENTRYID    MS_PROP_TAG(MS_PT_BINARY, 0x0E0A)
#define PR_CHANGE_NUMBER_TAG   MS_PROP_TAG(MS_PT_I8, 0x67A4)

/* SubmitFlags ([MS-OXOMSG] 2.2.3.1.1) */
#define SUBMIT_PRE_PROCESS  0x01
#define SUBMIT_NEEDS_SPOOLER 0x02

static uint64_t filetime_now(void)
{
    return (uint64_t)time(NULL) * 10000000u + 116444736000000000u;
}

static uint32_t need_logon(rop_ctx_t *c, const mapi_rop_req_t *req, ms_mailbox_t **mbx)
{
    uint32_t ec;
    if (!rop_obj_of(c, req->in_idx, ROP_T(MAPI_OBJ_LOGON), &ec))
        return ec;
    return (*mbx = rop_mailbox(c, &ec)) ? MAPI_EC_SUCCESS : ec;
}

static uint64_t change_number_of(ms_message_t *msg)
{
    const ms_propval_t *v = ms_message_get_prop(msg, PR_CHANGE_NUMBER_TAG);
    return v ? (uint64_t)v->value.li : 0;
}

/* The queue entry for message msg: the copy rule after sending. */
static void queue_entry(ms_mailbox_t *mbx, ms_message_t *msg, uint8_t submit_flags, ms_queue_entry_t *e)
{
    const ms_propval_t *del = ms_message_get_prop(msg, PR_DELETE_AFTER_SUBMIT);
    const ms_propval_t *sent = ms_message_get_prop(msg, PR_SENTMAIL_ENTRYID);
    ms_id_t fid = 0, mid = 0;
    memset(e, 0, sizeof(*e));
    e->fid = ms_message_fid(msg);
    e->mid = ms_message_mid(msg);
    e->submit_time = filetime_now();
    e->flags = (uint32_t)submit_flags << 16;
    if (del && del->value.b)
        e->flags |= MS_QF_DELETE_AFTER_SUBMIT;
    /* a folder entry id of this mailbox; anything else is no copy rule */
    if (sent && ms_entryid_parse(mbx, sent->value.bin.pb, sent->value.bin.cb, &fid, &mid) == MS_OK && fid &&
        !mid) {
        e->sent_fid = fid;
        e->flags |= MS_QF_MOVE_TO_SENT;
    }
}

/* PidTagClientSubmitTime. (PidTagMessageFlags' mfSubmitted is not kept:
 * the store fixes a message's flags at its first save except for the read
 * state; the queue itself says what is submitted.) */
static uint32_t stamp_submit_time(ms_message_t *msg)
{
    ms_propval_t v;
    memset(&v, 0, sizeof(v));
    v.tag = MS_PR_CLIENT_SUBMIT_TIME;
    v.value.ft = filetime_now();
    return rop_ec(ms_message_set_props(msg, &v, 1));
}

/* 3.2.5.1 / 3.2.5.6: the message object at req->in_idx joins the outgoing
 * queue. As MAPI's IMessage::SubmitMessage, changes not saved yet are saved
 * with it and a message without recipients cannot be sent
 * (MAPI_E_NO_RECIPIENTS); a mailbox over its prohibit-send quota cannot
 * send (ecQuotaExceeded, the store's MS_QUOTA_PROHIBIT_SEND). */
static uint32_t submit_core(rop_ctx_t *c, const mapi_rop_req_t *req, uint8_t submit_flags)
{
    ms_mailbox_t *mbx;
    ms_txn_t *txn = NULL;
    ms_queue_entry_t qe;
    mobj_state_t st;
    mapi_obj_t *o;
    mobj_t m;
    unsigned quota = 0;
    uint64_t size = 0;
    uint32_t ec;

    if (!(o = rop_obj_of(c, req->in_idx, ROP_T(MAPI_OBJ_MESSAGE), &ec)))
        return ec;
    if (mobj_decode(o, &st) != 0)
        return MAPI_EC_INVALID_OBJECT;
    if (st.kind != MOBJ_TOP)
        return MAPI_EC_NOT_SUPPORTED; /* an embedded message is sent with its parent */
    if (!(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_WRITE, &txn))) != MAPI_EC_SUCCESS)
        return ec;
    memset(&m, 0, sizeof(m));
    ec = mobj_load(c, txn, o, &m);
    if (ec == MAPI_EC_SUCCESS && st.mid && change_number_of(m.top) != st.cn)
        ec = MAPI_EC_OBJECT_MODIFIED; /* saved by someone else since it was opened */
    if (ec == MAPI_EC_SUCCESS && ms_mailbox_quota_state(txn, mbx, &quota, &size) == MS_OK &&
        (quota & MS_QUOTA_PROHIBIT_SEND))
        ec = MAPI_EC_QUOTA_EXCEEDED;
    if (ec == MAPI_EC_SUCCESS && ms_message_recipient_count(m.top) == 0)
        ec = EC_NO_RECIPIENTS;
    if (ec == MAPI_EC_SUCCESS)
        ec = stamp_submit_time(m.top);
    if (ec == MAPI_EC_SUCCESS)
        ec = rop_ec(ms_message_save(txn, m.top));
    if (ec == MAPI_EC_SUCCESS) {
        queue_entry(mbx, m.top, submit_flags, &qe);
        ec = rop_ec(ms_queue_add(txn, mbx, &qe));
    }
    if (ec == MAPI_EC_SUCCESS) {
        ec = rop_ec(ms_txn_commit(txn));
        txn = NULL;
    }
    ms_txn_abort(txn);
    if (ec == MAPI_EC_SUCCESS) {
        mobj_spill_remove_journal(c, st.journal, st.journal_len, 0); /* saved: no longer pending */
        st.mid = ms_message_mid(m.top);
        st.cn = change_number_of(m.top);
        st.flags &= (uint8_t)~MOBJ_F_NEW;
        st.journal = NULL;
        st.journal_len = 0;
        if (mobj_store(o, &st) != 0)
            ec = MAPI_EC_SERVER_OOM;
    }
    if (m.top)
        mobj_free(&m);
    return ec;
}

/* 2.2.3.1 RopSubmitMessage */
static uint32_t rop_submit_message(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    (void)resp;
    if (req->u.submit.flags & ~(SUBMIT_PRE_PROCESS | SUBMIT_NEEDS_SPOOLER))
        return MAPI_EC_INVALID_PARAMETER;
    return submit_core(c, req, req->u.submit.flags);
}

/* 2.2.3.2 RopAbortSubmit: the message leaves the queue and is an ordinary
 * (unsent) message again, where it is. ecNotInQueue when it is not queued
 * (or queued from another folder than FolderId says). */
static uint32_t rop_abort_submit(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    ms_txn_t *txn = NULL;
    ms_queue_entry_t qe;
    uint64_t fid = req->u.abort_submit.folder_id, mid = req->u.abort_submit.message_id;
    uint32_t ec;
    ms_err_t rc;
    (void)resp;
    if (!rop_obj_of(c, req->in_idx, ROP_T(MAPI_OBJ_LOGON) | ROP_T(MAPI_OBJ_FOLDER) | ROP_T(MAPI_OBJ_MESSAGE), &ec))
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_WRITE, &txn))) != MAPI_EC_SUCCESS)
        return ec;
    rc = ms_queue_find(txn, mbx, mid, &qe);
    if (rc == MS_E_NOT_FOUND || (rc == MS_OK && fid && qe.fid != fid))
        ec = EC_NOT_IN_QUEUE;
    else
        ec = rop_ec(rc);
    if (ec == MAPI_EC_SUCCESS)
        ec = rop_ec(ms_queue_remove(txn, mbx, mid));
    if (ec == MAPI_EC_SUCCESS) {
        ec = rop_ec(ms_txn_commit(txn));
        txn = NULL;
    }
    ms_txn_abort(txn);
    return ec;
}

/* 2.2.3.3 RopGetAddressTypes: the recipient address types this server
 * sends to. */
static uint32_t rop_get_address_types(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    static const char *const types[] = {"EX", "SMTP"};
    ms_mailbox_t *mbx;
    uint32_t ec = need_logon(c, req, &mbx);
    char **out;
    size_t i;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!(out = mapi_arena_calloc(c->arena, 2, sizeof(char *))))
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < 2; i++)
        if (!(out[i] = mapi_arena_strndup(c->arena, types[i], strlen(types[i]))))
            return MAPI_EC_SERVER_OOM;
    resp->u.address_types.count = 2;
    resp->u.address_types.types = out;
    return MAPI_EC_SUCCESS;
}

/* 2.2.3.4 RopSetSpooler: the client says it acts as the spooler; the
 * server's transport does the sending, so there is nothing to hand over. */
static uint32_t rop_set_spooler(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    (void)resp;
    return need_logon(c, req, &mbx);
}

/* 2.2.3.6 RopTransportSend: submission without the spooler; no
 * properties are returned (NoPropertiesReturned). */
static uint32_t rop_transport_send(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    uint32_t ec = submit_core(c, req, 0);
    if (ec == MAPI_EC_SUCCESS)
        resp->u.transport_send.no_props = 1;
    return ec;
}

/* 2.2.3.8 RopGetTransportFolder: the Outbox. */
static uint32_t rop_get_transport_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint32_t ec = need_logon(c, req, &mbx);
    if (ec == MAPI_EC_SUCCESS)
        resp->u.id.id = ms_special_folder_id(MS_FOLDER_OUTBOX);
    return ec;
}

/* 2.2.3.9 RopOptionsData: no transport option pages and no help file for
 * any address type (Reserved is 1, both blobs empty). */
static uint32_t rop_options_data(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint32_t ec = need_logon(c, req, &mbx);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!req->u.options_data.address_type)
        return MAPI_EC_INVALID_PARAMETER;
    resp->u.options_data.reserved = 1;
    resp->u.options_data.options.len = 0;
    resp->u.options_data.help.len = 0;
    return MAPI_EC_SUCCESS;
}

const rop_entry_t rop_submit_entries[] = {
    {ROP_SUBMIT_MESSAGE, rop_submit_message},
    {ROP_ABORT_SUBMIT, rop_abort_submit},
    {ROP_GET_ADDRESS_TYPES, rop_get_address_types},
    {ROP_SET_SPOOLER, rop_set_spooler},
    {ROP_TRANSPORT_SEND, rop_transport_send},
    {ROP_GET_TRANSPORT_FOLDER, rop_get_transport_folder},
    {ROP_OPTIONS_DATA, rop_options_data},
    {0, NULL}};
