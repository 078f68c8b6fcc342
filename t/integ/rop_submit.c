/*
 * Wire tests of the submission and transport ROPs ([MS-OXOMSG] 2.2.3)
 * through Apache: the transport folder and address types, SubmitMessage
 * of a saved message into the store's outgoing queue (checked with the
 * store API: its Sent Items copy rule), AbortSubmit, TransportSend, and
 * the spec's errors (ecNotInQueue, no recipients, read-only message,
 * bad flags, prohibit-send quota).
 */
#include "tap.h"
#include "ropcli.h"
#include "mapistore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EC_NOT_IN_QUEUE 0x80040601u
#define EC_NO_RECIPIENTS 0x80040607u
#define PR_DELETE_AFTER_SUBMIT MS_PROP_TAG(MS_PT_BOOLEAN, 0x0E01)
#define PR_SENTMAIL_ENTRYID MS_PROP_TAG(MS_PT_BINARY, 0x0E0A)
#define PR_EMAIL_ADDRESS MS_PROP_TAG(MS_PT_UNICODE, 0x3003)
#define PR_DISPLAY_NAME_T MS_PROP_TAG(MS_PT_UNICODE, 0x3001)

static mapi_rop_req_t rq(uint8_t rop, uint8_t in, uint8_t out)
{
    mapi_rop_req_t r;
    memset(&r, 0, sizeof(r));
    r.rop_id = rop;
    r.in_idx = in;
    r.out_idx = out;
    return r;
}

static mapi_rop_resp_t *one(ropcli_t *rc, const mapi_rop_req_t *req)
{
    static mapi_rop_resp_t resp;
    size_t n;
    if (ropcli_exec(rc, req, 1, NULL, &resp, &n) != 0 || n != 1)
        return NULL;
    return &resp;
}

static uint32_t ret_of(ropcli_t *rc, const mapi_rop_req_t *req)
{
    mapi_rop_resp_t *r = one(rc, req);
    return r ? r->ret : 0xFFFFFFFFu;
}

/* The test's own handle on alice's mailbox (store API), or NULL. */
static ms_store_t *st;
static ms_mailbox_t *mbx;

static int store_open(void)
{
    const char *root = getenv("MH_STORE"), *guid = getenv("MH_MAILBOX_alice");
    if (!root || !guid || ms_store_open(root, 0, &st) != MS_OK)
        return -1;
    if (ms_mailbox_open(st, MS_LOOKUP_GUID, guid, &mbx) != MS_OK) {
        ms_store_close(st);
        st = NULL;
        return -1;
    }
    return 0;
}

/* Files the test process created in the store belong to Apache's user. */
static void store_give_back(void)
{
    const char *root = getenv("MH_STORE"), *user = getenv("MH_APACHE_USER");
    if (user && *user && root && geteuid() == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd), "chown -R '%s' '%s'", user, root);
        if (system(cmd) != 0)
            diag("chown of the store failed");
    }
}

/* A saved message in fid (with one recipient when with_recip), the copy
 * rule "keep it in Sent Items". Returns its MID or 0. */
static uint64_t seed(uint64_t fid, const char *subject, int with_recip)
{
    ms_message_t *m;
    ms_propval_t v[3], r[2];
    uint8_t eid[MS_FOLDER_ENTRYID_SIZE];
    uint64_t mid = 0;
    if (ms_message_create(mbx, fid, 0, &m) != MS_OK)
        return 0;
    ms_folder_entryid(mbx, ms_special_folder_id(MS_FOLDER_SENT_ITEMS), eid);
    memset(v, 0, sizeof(v));
    v[0].tag = MS_PR_SUBJECT;
    v[0].value.str = (char *)subject;
    v[1].tag = PR_DELETE_AFTER_SUBMIT;
    v[1].value.b = 0;
    v[2].tag = PR_SENTMAIL_ENTRYID;
    v[2].value.bin.cb = sizeof(eid);
    v[2].value.bin.pb = eid;
    memset(r, 0, sizeof(r));
    r[0].tag = PR_DISPLAY_NAME_T;
    r[0].value.str = (char *)"Bob";
    r[1].tag = MS_PR_RECIPIENT_TYPE;
    r[1].value.l = 1;
    if (ms_message_set_props(m, v, 3) == MS_OK && (!with_recip || ms_message_modify_recipient(m, UINT32_MAX, r, 2) == MS_OK) &&
        ms_message_save(NULL, m) == MS_OK)
        mid = ms_message_mid(m);
    ms_message_free(m);
    store_give_back();
    return mid;
}

static uint32_t open_message(ropcli_t *rc, uint8_t out, uint64_t fid, uint64_t mid, uint8_t mode)
{
    mapi_rop_req_t r = rq(ROP_OPEN_MESSAGE, 0, out);
    r.u.open_message.code_page = 0x0FFF;
    r.u.open_message.folder_id = fid;
    r.u.open_message.message_id = mid;
    r.u.open_message.open_mode = mode;
    return ret_of(rc, &r);
}

static uint32_t abort_submit(ropcli_t *rc, uint64_t fid, uint64_t mid)
{
    mapi_rop_req_t r = rq(ROP_ABORT_SUBMIT, 0, 0);
    r.u.abort_submit.folder_id = fid;
    r.u.abort_submit.message_id = mid;
    return ret_of(rc, &r);
}

static void transport_rops(ropcli_t *rc, uint64_t outbox)
{
    mapi_rop_req_t r;
    mapi_rop_resp_t *p;

    r = rq(ROP_GET_TRANSPORT_FOLDER, 0, 0);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.id.id == outbox, "GetTransportFolder: the Outbox");
    r = rq(ROP_GET_ADDRESS_TYPES, 0, 0);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.address_types.count == 2 && !strcmp(p->u.address_types.types[0], "EX") &&
           !strcmp(p->u.address_types.types[1], "SMTP"),
       "GetAddressTypes: EX and SMTP");
    r = rq(ROP_SET_SPOOLER, 0, 0);
    is_int(ret_of(rc, &r), 0, "SetSpooler");
    r = rq(ROP_OPTIONS_DATA, 0, 0);
    r.u.options_data.address_type = (char *)"SMTP";
    r.u.options_data.want_win32 = 1;
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.options_data.reserved == 1 && p->u.options_data.options.len == 0 &&
           p->u.options_data.help.len == 0,
       "OptionsData(SMTP): no option pages, no help file");
    r = rq(ROP_GET_TRANSPORT_FOLDER, 5, 0);
    is_int(ret_of(rc, &r), MAPI_EC_NULL_OBJECT, "GetTransportFolder on an empty slot: ecNullObject");
}

static void submit_and_abort(ropcli_t *rc, uint64_t outbox)
{
    uint64_t mid = seed(outbox, "submit me", 1), bare = seed(outbox, "no recipients", 0);
    ms_queue_entry_t qe;
    mapi_rop_req_t r;
    mapi_rop_resp_t *p;

    ok(mid != 0 && bare != 0, "two saved messages in the Outbox (store API)");
    is_int(open_message(rc, 1, outbox, mid, 1), 0, "OpenMessage read/write");
    r = rq(ROP_SUBMIT_MESSAGE, 1, 0);
    is_int(ret_of(rc, &r), 0, "SubmitMessage");
    is_int(ms_queue_find(NULL, mbx, mid, &qe), MS_OK, "the message is in the outgoing queue");
    ok(qe.fid == outbox && qe.sent_fid == ms_special_folder_id(MS_FOLDER_SENT_ITEMS) &&
           (qe.flags & MS_QF_MOVE_TO_SENT) && !(qe.flags & MS_QF_DELETE_AFTER_SUBMIT) && qe.submit_time != 0,
       "queued with its Sent Items copy rule (PidTagSentMailEntryId, not DeleteAfterSubmit)");
    is_int(abort_submit(rc, outbox + 0x100000000ull, mid), EC_NOT_IN_QUEUE,
           "AbortSubmit naming another folder: ecNotInQueue");
    is_int(abort_submit(rc, outbox, mid), 0, "AbortSubmit");
    is_int(ms_queue_find(NULL, mbx, mid, &qe), MS_E_NOT_FOUND, "no longer queued");
    is_int(abort_submit(rc, outbox, mid), EC_NOT_IN_QUEUE, "AbortSubmit again: ecNotInQueue");

    /* TransportSend: the same submission, NoPropertiesReturned */
    r = rq(ROP_TRANSPORT_SEND, 1, 0);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.transport_send.no_props != 0, "TransportSend: sent, no properties returned");
    is_int(ms_queue_find(NULL, mbx, mid, &qe), MS_OK, "TransportSend queued it");
    is_int(abort_submit(rc, 0, mid), 0, "AbortSubmit with FolderId 0");

    /* errors */
    r = rq(ROP_SUBMIT_MESSAGE, 1, 0);
    r.u.submit.flags = 0x80;
    is_int(ret_of(rc, &r), MAPI_EC_INVALID_PARAMETER, "SubmitFlags 0x80: ecInvalidParameter");
    r = rq(ROP_SUBMIT_MESSAGE, 0, 0);
    is_int(ret_of(rc, &r), MAPI_EC_NOT_SUPPORTED, "SubmitMessage on the logon: ecNotSupported");
    is_int(open_message(rc, 2, outbox, bare, 1), 0, "OpenMessage of the message without recipients");
    r = rq(ROP_SUBMIT_MESSAGE, 2, 0);
    is_int(ret_of(rc, &r), EC_NO_RECIPIENTS, "SubmitMessage without recipients: MAPI_E_NO_RECIPIENTS");
    is_int(ms_queue_find(NULL, mbx, bare, &qe), MS_E_NOT_FOUND, "nothing queued");
    is_int(open_message(rc, 3, outbox, mid, 0), 0, "OpenMessage read-only");
    r = rq(ROP_SUBMIT_MESSAGE, 3, 0);
    is_int(ret_of(rc, &r), MAPI_EC_ACCESS_DENIED, "SubmitMessage of a read-only message: ecAccessDenied");

    /* prohibit-send quota */
    if (ms_mailbox_set_quota(st, ms_mailbox_guid(mbx), 0, 1, 0) == MS_OK) {
        store_give_back();
        r = rq(ROP_SUBMIT_MESSAGE, 1, 0);
        is_int(ret_of(rc, &r), MAPI_EC_QUOTA_EXCEEDED, "over the prohibit-send quota: ecQuotaExceeded");
        is_int(ms_queue_find(NULL, mbx, mid, &qe), MS_E_NOT_FOUND, "nothing queued over quota");
        is_int(ms_mailbox_set_quota(st, ms_mailbox_guid(mbx), 0, 0, 0), MS_OK, "quota lifted");
        store_give_back();
    } else {
        ok(0, "setting the quota with the store API");
    }
    r = rq(ROP_SUBMIT_MESSAGE, 1, 0);
    is_int(ret_of(rc, &r), 0, "SubmitMessage again once under quota");
    is_int(abort_submit(rc, outbox, mid), 0, "and AbortSubmit leaves the queue as it was");
}

int main(void)
{
    ropcli_t rc;
    mapi_rop_resp_t logon;
    uint64_t outbox;

    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    ok(store_open() == 0, "the test opens alice's mailbox with the store API");
    ok(ropcli_open(&rc, "alice") == 0, "alice connects");
    ok(ropcli_logon(&rc, 0, &logon) == 0, "RopLogon");
    outbox = logon.u.logon.folder_ids[5];
    if (!st) {
        ropcli_close(&rc);
        return done_testing();
    }
    transport_rops(&rc, outbox);
    submit_and_abort(&rc, outbox);
    ropcli_close(&rc);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    return done_testing();
}
