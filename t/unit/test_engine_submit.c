/*
 * Unit tests of the submission ROPs (engine rop_submit.c) in-process
 * against a temporary store: SubmitMessage into the outgoing queue with
 * the copy rule and SubmitFlags, the object state after it, AbortSubmit,
 * prohibit-send quota, and hostile object blobs (errors, never crashes;
 * run under ASan/UBSan in CI).
 */
#include "tap.h"
#include "rop_msgobj.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const void *const test_submit_areas[];

static char root[256], mbx_text[40];
static ms_store_t *store;
static ms_mailbox_t *mbx;
static mapi_engine_ctx_t ectx;
static mapi_objtab_t objs;
static uint32_t handles[8];
static mapi_arena_t arena;
static rop_ctx_t c;

static int setup(void)
{
    ms_mailbox_info_t info;
    const uint8_t *b;
    snprintf(root, sizeof(root), "%s/engsub-%d-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    if (!mkdtemp(root) || ms_store_init(root) != MS_OK || ms_store_open(root, 0, &store) != MS_OK ||
        ms_db_create(store, "db1", (uint64_t)1 << 28) != MS_OK)
        return -1;
    memset(&info, 0, sizeof(info));
    snprintf(info.smtp[0], sizeof(info.smtp[0]), "alice@example.test");
    info.nsmtp = 1;
    snprintf(info.login, sizeof(info.login), "alice@EXAMPLE.TEST");
    if (ms_mailbox_create(store, &info) != MS_OK || ms_mailbox_open_guid(store, &info.guid, &mbx) != MS_OK)
        return -1;
    b = info.guid.b;
    snprintf(mbx_text, sizeof(mbx_text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[3],
             b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    memset(&ectx, 0, sizeof(ectx));
    ectx.user = "alice@EXAMPLE.TEST";
    ectx.mailbox = mbx_text;
    ectx.store = store;
    ectx.codepage = 1252;
    mapi_objtab_load(&objs, NULL, 0);
    memset(handles, 0xFF, sizeof(handles));
    mapi_arena_init(&arena, 64u << 20);
    memset(&c, 0, sizeof(c));
    c.ectx = &ectx;
    c.objs = &objs;
    c.arena = &arena;
    c.handles = handles;
    c.nh = 8;
    return 0;
}

static uint32_t run(const rop_entry_t *area, mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    const rop_entry_t *e;
    memset(resp, 0, sizeof(*resp));
    for (e = area; e->fn; e++)
        if (e->rop_id == req->rop_id)
            return e->fn(&c, req, resp);
    return 0xFFFFFFFFu;
}

static mapi_rop_req_t rq(uint8_t rop, uint8_t in, uint8_t out)
{
    mapi_rop_req_t r;
    memset(&r, 0, sizeof(r));
    r.rop_id = rop;
    r.in_idx = in;
    r.out_idx = out;
    return r;
}

/* A saved message with one recipient and PidTagDeleteAfterSubmit. */
static ms_id_t seed(ms_id_t fid)
{
    ms_message_t *m;
    ms_propval_t v[2], r[2];
    ms_id_t mid = 0;
    memset(v, 0, sizeof(v));
    memset(r, 0, sizeof(r));
    v[0].tag = MS_PR_SUBJECT;
    v[0].value.str = (char *)"to be sent";
    v[1].tag = MS_PROP_TAG(MS_PT_BOOLEAN, 0x0E01);
    v[1].value.b = 1;
    r[0].tag = MS_PROP_TAG(MS_PT_UNICODE, 0x3001);
    r[0].value.str = (char *)"Bob";
    r[1].tag = MS_PR_RECIPIENT_TYPE;
    r[1].value.l = 1;
    if (ms_message_create(mbx, fid, 0, &m) != MS_OK)
        return 0;
    if (ms_message_set_props(m, v, 2) == MS_OK && ms_message_modify_recipient(m, UINT32_MAX, r, 2) == MS_OK &&
        ms_message_save(NULL, m) == MS_OK)
        mid = ms_message_mid(m);
    ms_message_free(m);
    return mid;
}

int main(void)
{
    const rop_entry_t *msg_area = (const rop_entry_t *)test_submit_areas[0];
    const rop_entry_t *sub_area = (const rop_entry_t *)test_submit_areas[1];
    const rop_entry_t *prop_area = (const rop_entry_t *)test_submit_areas[2];
    ms_id_t outbox = ms_special_folder_id(MS_FOLDER_OUTBOX), mid;
    ms_queue_entry_t qe;
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    mapi_obj_t *o;
    mobj_state_t st;
    uint32_t ec;
    uint8_t *saved;
    uint32_t saved_len;

    ok(setup() == 0, "store with alice");
    if (!mbx)
        return done_testing();
    mid = seed(outbox);
    ok(mid != 0, "a saved message in the Outbox");
    ok(rop_new_obj(&c, 0, MAPI_OBJ_LOGON, 0, &ec) != NULL, "a logon object");
    r = rq(ROP_OPEN_MESSAGE, 0, 1);
    r.u.open_message.code_page = 0x0FFF;
    r.u.open_message.folder_id = outbox;
    r.u.open_message.message_id = mid;
    r.u.open_message.open_mode = 1;
    is_int(run(msg_area, &r, &resp), 0, "OpenMessage read/write");

    {
        mapi_propval_t pv;
        pv.tag = 0x0037001F;
        pv.v.str = (char *)"changed before sending";
        r = rq(ROP_SET_PROPERTIES, 1, 0);
        r.u.set_props.props.count = 1;
        r.u.set_props.props.vals = &pv;
        is_int(run(prop_area, &r, &resp), 0, "SetProperties: a change not saved yet");
    }
    r = rq(ROP_SUBMIT_MESSAGE, 1, 0);
    r.u.submit.flags = 0x01; /* PreProcess */
    is_int(run(sub_area, &r, &resp), 0, "SubmitMessage with PreProcess");
    is_int(ms_queue_find(NULL, mbx, mid, &qe), MS_OK, "queued");
    ok((qe.flags & MS_QF_DELETE_AFTER_SUBMIT) && (qe.flags & MS_QF_PRE_PROCESS) && !(qe.flags & MS_QF_MOVE_TO_SENT) &&
           qe.sent_fid == 0 && qe.fid == outbox,
       "DeleteAfterSubmit and PreProcess recorded, no Sent Items copy");
    o = mapi_objtab_find(&objs, handles[1]);
    ok(o && mobj_decode(o, &st) == 0 && st.mid == mid && st.journal_len == 0,
       "the object still names the message, nothing pending");
    {
        ms_message_t *m = NULL;
        const ms_propval_t *sv;
        ok(ms_message_open(NULL, mbx, outbox, mid, &m) == MS_OK && (sv = ms_message_get_prop(m, MS_PR_SUBJECT)) &&
               !strcmp(sv->value.str, "changed before sending") &&
               ms_message_get_prop(m, MS_PR_CLIENT_SUBMIT_TIME) != NULL,
           "the pending change was saved with the submission, PidTagClientSubmitTime set");
        if (m)
            ms_message_free(m);
    }
    is_int(run(sub_area, &r, &resp), 0, "submitting again (same message, one entry)");
    {
        ms_queue_entry_t *all = NULL;
        size_t n = 0;
        ms_queue_list(NULL, mbx, &all, &n);
        is_int((int)n, 1, "still one queue entry");
        free(all);
    }
    r = rq(ROP_ABORT_SUBMIT, 0, 0);
    r.u.abort_submit.folder_id = outbox;
    r.u.abort_submit.message_id = mid;
    is_int(run(sub_area, &r, &resp), 0, "AbortSubmit");
    is_int(run(sub_area, &r, &resp), 0x80040601u, "AbortSubmit again: ecNotInQueue");
    r = rq(ROP_ABORT_SUBMIT, 6, 0);
    is_int(run(sub_area, &r, &resp), MAPI_EC_NULL_OBJECT, "AbortSubmit on an empty slot: ecNullObject");

    /* quota */
    ok(ms_mailbox_set_quota(store, ms_mailbox_guid(mbx), 0, 1, 0) == MS_OK, "prohibit-send quota of 1 byte");
    r = rq(ROP_SUBMIT_MESSAGE, 1, 0);
    is_int(run(sub_area, &r, &resp), MAPI_EC_QUOTA_EXCEEDED, "SubmitMessage over quota: ecQuotaExceeded");
    ms_mailbox_set_quota(store, ms_mailbox_guid(mbx), 0, 0, 0);

    /* the message changed behind the object's back: ecObjectModified */
    {
        ms_message_t *m;
        ms_propval_t v = {.tag = MS_PR_SUBJECT};
        v.value.str = (char *)"edited elsewhere";
        if (ms_message_open(NULL, mbx, outbox, mid, &m) == MS_OK) {
            ms_message_set_props(m, &v, 1);
            ms_message_save(NULL, m);
            ms_message_free(m);
        }
        is_int(run(sub_area, &r, &resp), MAPI_EC_OBJECT_MODIFIED, "saved elsewhere since opened: ecObjectModified");
    }

    /* hostile object blobs */
    saved = o ? o->data : NULL;
    saved_len = o ? o->data_len : 0;
    if (o) {
        static uint8_t junk[] = {'M', 'O', 'B', '1', 0xFF, 0xFF, 0xFF};
        o->data = junk;
        o->data_len = sizeof(junk);
        is_int(run(sub_area, &r, &resp), MAPI_EC_INVALID_OBJECT, "a truncated message blob: ecInvalidObject");
        o->data_len = 0;
        is_int(run(sub_area, &r, &resp), MAPI_EC_INVALID_OBJECT, "an empty message blob: ecInvalidObject");
        o->data = saved;
        o->data_len = saved_len;
    }
    r = rq(ROP_GET_ADDRESS_TYPES, 1, 0);
    is_int(run(sub_area, &r, &resp), MAPI_EC_NOT_SUPPORTED, "GetAddressTypes on a message: ecNotSupported");
    r = rq(ROP_GET_TRANSPORT_FOLDER, 0, 0);
    ok(run(sub_area, &r, &resp) == 0 && resp.u.id.id == outbox, "GetTransportFolder: the Outbox");

    mapi_objtab_free(&objs);
    mapi_arena_clear(&arena);
    if (c.mbx)
        ms_mailbox_close(c.mbx);
    ms_mailbox_close(mbx);
    ms_store_close(store);
    {
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        if (system(cmd) != 0)
            diag("could not remove %s", root);
    }
    return done_testing();
}
