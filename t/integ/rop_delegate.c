/*
 * Wire test of delegate access ([MS-OXCPERM] 2.2.7 rights, [MS-OXCSTOR]
 * 3.2.5.1.1 logon): alice grants bob Reviewer (ReadAny|FolderVisible) on
 * her Inbox with RopModifyPermissions; bob Connects to alice's mailbox,
 * logs on (no OwnerRight), opens the Inbox, reads its contents table and a
 * message, and is refused (ecAccessDenied) what the grant does not cover:
 * writing, creating messages, other folders. As Author he changes and
 * deletes his own messages, not alice's. Without the grant bob gets
 * ecLoginPerm at Connect and at RopLogon.
 */
#include "tap.h"
#include "ropcli.h"
#include "mapistore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_ENTRYID 0x0FFF0102u
#define T_MEMBER_ID 0x66710014u
#define T_MEMBER_RIGHTS 0x66730003u
#define T_SUBJECT 0x0037001Fu
#define T_MID 0x674A0014u
#define REVIEWER 0x401u /* ReadAny | FolderVisible */
#define AUTHOR 0x41Bu   /* + Create, EditOwned, DeleteOwned */
#define EC_LOGIN_PERM 0x3F2u
#define EC_ACCESS_DENIED 0x80070005u

static mapi_rop_req_t rq(uint8_t rop, uint8_t in, uint8_t out)
{
    mapi_rop_req_t r;
    memset(&r, 0, sizeof(r));
    r.rop_id = rop;
    r.in_idx = in;
    r.out_idx = out;
    return r;
}

static mapi_rop_resp_t *one(ropcli_t *rc, const mapi_rop_req_t *req, const mapi_tagarray_t *cols)
{
    static mapi_rop_resp_t resp;
    const mapi_tagarray_t *cl[1] = {cols};
    size_t n;
    if (ropcli_exec(rc, req, 1, cols ? cl : NULL, &resp, &n) != 0 || n != 1)
        return NULL;
    return &resp;
}

static uint32_t ret_of(ropcli_t *rc, const mapi_rop_req_t *req)
{
    mapi_rop_resp_t *r = one(rc, req, NULL);
    return r ? r->ret : 0xFFFFFFFFu;
}

static size_t ab_entryid(const char *dn, uint8_t *out)
{
    static const uint8_t provider[16] = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                                         0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
    size_t l = strlen(dn) + 1;
    memset(out, 0, 28);
    memcpy(out + 4, provider, 16);
    out[20] = 1; /* Version */
    memcpy(out + 28, dn, l);
    return 28 + l;
}

/* ModifyPermissions on the folder at idx: one row. */
static uint32_t modify_perms(ropcli_t *rc, uint8_t idx, uint8_t data_flags, mapi_propval_t *pv, uint16_t npv)
{
    mapi_rop_req_t r = rq(ROP_MODIFY_PERMISSIONS, idx, 0);
    mapi_rop_flagged_props_t row;
    row.data_flags = data_flags;
    row.props.count = npv;
    row.props.vals = pv;
    r.u.modify_permissions.count = 1;
    r.u.modify_permissions.rows = &row;
    return ret_of(rc, &r);
}

/* Bob's member id in the permissions table of the folder at idx, or 0. */
static int64_t bob_member(ropcli_t *rc, uint8_t idx)
{
    static uint32_t ctags[] = {T_MEMBER_ID, T_MEMBER_RIGHTS};
    mapi_tagarray_t cols = {2, ctags};
    mapi_rop_req_t r = rq(ROP_GET_PERMISSIONS_TABLE, idx, 9);
    mapi_rop_resp_t *p;
    uint32_t i;
    if (ret_of(rc, &r) != 0)
        return 0;
    r = rq(ROP_SET_COLUMNS, 9, 0);
    r.u.set_columns.tags = cols;
    if (ret_of(rc, &r) != 0)
        return 0;
    r = rq(ROP_QUERY_ROWS, 9, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 100;
    if (!(p = one(rc, &r, &cols)) || p->ret != 0)
        return 0;
    for (i = 0; i < p->u.query_rows.count; i++)
        if (p->u.query_rows.rows.vals[2 * i].v.i64 > 0 && p->u.query_rows.rows.vals[2 * i + 1].v.i32 == REVIEWER)
            return p->u.query_rows.rows.vals[2 * i].v.i64;
    return 0;
}

/* PidTagAccess and PidTagAccessLevel of the object at idx (-1: not read). */
static void access_of(ropcli_t *rc, uint8_t idx, int32_t *access, int32_t *level)
{
    static uint32_t tags[] = {0x0FF40003u, 0x0FF70003u};
    mapi_rop_req_t r = rq(ROP_GET_PROPERTIES_SPECIFIC, idx, 0);
    mapi_rop_resp_t *p;
    *access = *level = -1;
    r.u.get_props_specific.tags.count = 2;
    r.u.get_props_specific.tags.tags = tags;
    p = one(rc, &r, NULL);
    if (p && p->ret == 0 && p->u.get_props_specific.row.vals) {
        if (p->u.get_props_specific.row.vals[0].tag == tags[0])
            *access = p->u.get_props_specific.row.vals[0].v.i32;
        if (p->u.get_props_specific.row.vals[1].tag == tags[1])
            *level = p->u.get_props_specific.row.vals[1].v.i32;
    }
}

/* alice makes a subfolder of the Inbox (handle 1) at handle out; its FID. */
static uint64_t alice_subfolder(ropcli_t *rc, uint8_t out, const char *name)
{
    mapi_rop_req_t r = rq(ROP_CREATE_FOLDER, 1, out);
    mapi_rop_resp_t *p;
    r.u.create_folder.folder_type = 1;
    r.u.create_folder.use_unicode = 1;
    r.u.create_folder.open_existing = 1;
    r.u.create_folder.display_name = (char *)name;
    r.u.create_folder.comment = (char *)"";
    p = one(rc, &r, NULL);
    return p && p->ret == 0 ? p->u.create_folder.folder_id : 0;
}

/* alice puts a message in her Inbox (handle 1); its MID. */
static uint64_t alice_message(ropcli_t *rc, uint64_t inbox)
{
    mapi_rop_req_t r = rq(ROP_CREATE_MESSAGE, 1, 2);
    mapi_rop_resp_t *p;
    mapi_propval_t pv;
    r.u.create_message.code_page = 0x0FFF;
    r.u.create_message.folder_id = inbox;
    if (ret_of(rc, &r) != 0)
        return 0;
    r = rq(ROP_SET_PROPERTIES, 2, 0);
    pv.tag = T_SUBJECT;
    pv.v.str = (char *)"for the delegate";
    r.u.set_props.props.count = 1;
    r.u.set_props.props.vals = &pv;
    if (ret_of(rc, &r) != 0)
        return 0;
    r = rq(ROP_SAVE_CHANGES_MESSAGE, 2, 0);
    r.u.save_changes.save_flags = 0x02;
    p = one(rc, &r, NULL);
    return p && p->ret == 0 ? p->u.save_changes_message.message_id : 0;
}

static void bob_as_reviewer(ropcli_t *bob, uint64_t inbox, uint64_t mid)
{
    mapi_rop_resp_t logon, *p;
    mapi_rop_req_t r;

    ok(ropcli_logon(bob, 0, &logon) == 0, "bob: RopLogon with alice's ESSDN succeeds");
    is_int(logon.u.logon.response_flags & 0x02, 0, "without OwnerRight");
    is_int(logon.u.logon.response_flags & 0x04, 0, "and without SendAsRight");

    r = rq(ROP_OPEN_FOLDER, 0, 1);
    r.u.open_folder.folder_id = inbox;
    is_int(ret_of(bob, &r), 0, "bob: OpenFolder(alice's Inbox)");
    r = rq(ROP_GET_CONTENTS_TABLE, 1, 3);
    p = one(bob, &r, NULL);
    ok(p && p->ret == 0, "bob: GetContentsTable of the Inbox");
    ok(p && p->ret == 0 && p->u.table.row_count >= 1, "with alice's messages (%u rows)",
       p ? p->u.table.row_count : 0);
    {
        static uint32_t ctags[] = {0x0FF40003u, 0x0FF70003u};
        mapi_tagarray_t cols = {2, ctags};
        int32_t access, level;
        access_of(bob, 1, &access, &level);
        is_int(access, 0x02, "bob: the Inbox's PidTagAccess is Read only");
        is_int(level, 0, "and PidTagAccessLevel 0 (read-only)");
        r = rq(ROP_SET_COLUMNS, 3, 0);
        r.u.set_columns.tags = cols;
        ret_of(bob, &r);
        r = rq(ROP_QUERY_ROWS, 3, 0);
        r.u.query_rows.forward = 1;
        r.u.query_rows.count = 1;
        p = one(bob, &r, &cols);
        ok(p && p->ret == 0 && p->u.query_rows.count == 1 && p->u.query_rows.rows.vals[0].v.i32 == 0x02 &&
               p->u.query_rows.rows.vals[1].v.i32 == 0,
           "the contents table's rows say Read, level 0, too");
    }
    r = rq(ROP_GET_HIERARCHY_TABLE, 1, 4);
    p = one(bob, &r, NULL);
    ok(p && p->ret == 0, "bob: GetHierarchyTable of the Inbox (FolderVisible)");
    ok(p && p->ret == 0 && p->u.table.row_count == 1, "shows the one subfolder bob may see (%u rows)",
       p ? p->u.table.row_count : 0);
    {
        static uint32_t ctags[] = {0x3001001Fu}; /* PidTagDisplayName */
        mapi_tagarray_t cols = {1, ctags};
        r = rq(ROP_SET_COLUMNS, 4, 0);
        r.u.set_columns.tags = cols;
        ret_of(bob, &r);
        r = rq(ROP_QUERY_ROWS, 4, 0);
        r.u.query_rows.forward = 1;
        r.u.query_rows.count = 10;
        p = one(bob, &r, &cols);
        ok(p && p->ret == 0 && p->u.query_rows.count == 1 && p->u.query_rows.rows.vals[0].tag == ctags[0] &&
               !strcmp(p->u.query_rows.rows.vals[0].v.str, "Delegate shared"),
           "QueryRows: the shared subfolder, not the private one");
    }

    r = rq(ROP_OPEN_MESSAGE, 1, 2);
    r.u.open_message.code_page = 0x0FFF;
    r.u.open_message.folder_id = inbox;
    r.u.open_message.message_id = mid;
    r.u.open_message.open_mode = 0x00;
    p = one(bob, &r, NULL);
    ok(p && p->ret == 0, "bob: OpenMessage read-only");
    ok(p && p->ret == 0 && p->u.open_message.normalized_subject.str && strstr(p->u.open_message.normalized_subject.str, "delegate"),
       "and reads its subject");
    r.u.open_message.open_mode = 0x01;
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: OpenMessage read/write: ecAccessDenied (no EditAny)");
    r.u.open_message.open_mode = 0x03;
    is_int(ret_of(bob, &r), 0, "bob: OpenMessage BestAccess opens it read-only");
    r = rq(ROP_SAVE_CHANGES_MESSAGE, 2, 0);
    r.u.save_changes.save_flags = 0x02;
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "and SaveChangesMessage on it: ecAccessDenied");

    r = rq(ROP_CREATE_MESSAGE, 1, 2);
    r.u.create_message.code_page = 0x0FFF;
    r.u.create_message.folder_id = inbox;
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: CreateMessage in the Inbox: ecAccessDenied");
    r = rq(ROP_DELETE_MESSAGES, 1, 0);
    r.u.delete_messages.count = 1;
    r.u.delete_messages.mids = &mid;
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: DeleteMessages: ecAccessDenied");
    r = rq(ROP_CREATE_FOLDER, 1, 2);
    r.u.create_folder.folder_type = 1;
    r.u.create_folder.use_unicode = 1;
    r.u.create_folder.display_name = (char *)"bob was here";
    r.u.create_folder.comment = (char *)"";
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: CreateFolder under the Inbox: ecAccessDenied");
    {
        mapi_propval_t pv;
        r = rq(ROP_SET_PROPERTIES, 1, 0);
        pv.tag = 0x3004001Fu; /* PidTagComment */
        pv.v.str = (char *)"renamed by bob";
        r.u.set_props.props.count = 1;
        r.u.set_props.props.vals = &pv;
        is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: SetProperties on the Inbox: ecAccessDenied (no FolderOwner)");
    }
    r = rq(ROP_OPEN_STREAM, 1, 2);
    r.u.open_stream.tag = 0x3004001Fu;
    r.u.open_stream.open_mode = 0x01; /* ReadWrite */
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: OpenStream read/write on a property of the Inbox: ecAccessDenied");
    r = rq(ROP_EMPTY_FOLDER, 1, 0);
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: EmptyFolder: ecAccessDenied");
    r = rq(ROP_GET_PERMISSIONS_TABLE, 1, 2);
    is_int(ret_of(bob, &r), 0, "bob: GetPermissionsTable opens");
    {
        uint8_t eid[400];
        mapi_propval_t pv[2];
        memset(pv, 0, sizeof(pv));
        pv[0].tag = T_ENTRYID;
        pv[0].v.bin.len = (uint32_t)ab_entryid(ropcli_user_dn("bob"), eid);
        pv[0].v.bin.data = eid;
        pv[1].tag = T_MEMBER_RIGHTS;
        pv[1].v.i32 = 0x7FB;
        is_int(modify_perms(bob, 1, 0x01, pv, 2), EC_ACCESS_DENIED,
               "bob: ModifyPermissions to give himself more: ecAccessDenied");
    }

    r = rq(ROP_OPEN_FOLDER, 0, 2);
    r.u.open_folder.folder_id = ms_special_folder_id(MS_FOLDER_DRAFTS);
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: OpenFolder(Drafts): ecAccessDenied");
    r.u.open_folder.folder_id = ms_special_folder_id(MS_FOLDER_ROOT);
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "bob: OpenFolder(root): ecAccessDenied");
}

/* Author (ReadAny|Create|EditOwned|DeleteOwned|FolderVisible): bob makes
 * a message in alice's Inbox, may change and delete it, not hers. */
static void bob_as_author(ropcli_t *bob, uint64_t inbox, uint64_t alice_mid)
{
    mapi_rop_resp_t logon, *p;
    mapi_rop_req_t r;
    mapi_propval_t pv;
    uint64_t mid = 0;

    ok(ropcli_logon(bob, 0, &logon) == 0, "author: RopLogon");
    r = rq(ROP_OPEN_FOLDER, 0, 1);
    r.u.open_folder.folder_id = inbox;
    is_int(ret_of(bob, &r), 0, "author: OpenFolder(Inbox)");
    {
        int32_t access, level;
        access_of(bob, 1, &access, &level);
        is_int(access, 0x12, "author: the Inbox's PidTagAccess is Read|CreateContents");
        is_int(level, 1, "and PidTagAccessLevel 1");
    }
    r = rq(ROP_CREATE_MESSAGE, 1, 2);
    r.u.create_message.code_page = 0x0FFF;
    r.u.create_message.folder_id = inbox;
    is_int(ret_of(bob, &r), 0, "author: CreateMessage in alice's Inbox");
    r = rq(ROP_SET_PROPERTIES, 2, 0);
    pv.tag = T_SUBJECT;
    pv.v.str = (char *)"from bob";
    r.u.set_props.props.count = 1;
    r.u.set_props.props.vals = &pv;
    is_int(ret_of(bob, &r), 0, "author: SetProperties on it");
    r = rq(ROP_SAVE_CHANGES_MESSAGE, 2, 0);
    r.u.save_changes.save_flags = 0x02;
    p = one(bob, &r, NULL);
    ok(p && p->ret == 0, "author: SaveChangesMessage (Create)");
    mid = p && p->ret == 0 ? p->u.save_changes_message.message_id : 0;

    r = rq(ROP_OPEN_MESSAGE, 1, 3);
    r.u.open_message.code_page = 0x0FFF;
    r.u.open_message.folder_id = inbox;
    r.u.open_message.message_id = mid;
    r.u.open_message.open_mode = 0x01;
    is_int(ret_of(bob, &r), 0, "author: OpenMessage read/write on his own message (EditOwned)");
    r = rq(ROP_SAVE_CHANGES_MESSAGE, 3, 0);
    r.u.save_changes.save_flags = 0x02;
    is_int(ret_of(bob, &r), 0, "author: and saves it again");
    r = rq(ROP_OPEN_MESSAGE, 1, 4);
    r.u.open_message.code_page = 0x0FFF;
    r.u.open_message.folder_id = inbox;
    r.u.open_message.message_id = alice_mid;
    r.u.open_message.open_mode = 0x01;
    is_int(ret_of(bob, &r), EC_ACCESS_DENIED, "author: OpenMessage read/write on alice's: ecAccessDenied");

    r = rq(ROP_DELETE_MESSAGES, 1, 0);
    r.u.delete_messages.count = 1;
    r.u.delete_messages.mids = &alice_mid;
    p = one(bob, &r, NULL);
    ok(p && p->ret == 0 && p->u.partial.partial == 1, "author: DeleteMessages of alice's: PartialCompletion, kept");
    r = rq(ROP_HARD_DELETE_MESSAGES, 1, 0);
    r.u.delete_messages.count = 1;
    r.u.delete_messages.mids = &mid;
    p = one(bob, &r, NULL);
    ok(p && p->ret == 0 && p->u.partial.partial == 0, "author: HardDeleteMessages of his own (DeleteOwned)");
    r = rq(ROP_OPEN_MESSAGE, 1, 4);
    r.u.open_message.code_page = 0x0FFF;
    r.u.open_message.folder_id = inbox;
    r.u.open_message.message_id = alice_mid;
    is_int(ret_of(bob, &r), 0, "alice's message is still there");
    r.u.open_message.message_id = mid;
    ok(ret_of(bob, &r) != 0, "bob's is gone");
}

int main(void)
{
    ropcli_t alice, bob;
    mapi_rop_resp_t logon;
    mapi_rop_req_t r;
    uint8_t eid[400];
    mapi_propval_t pv[2];
    uint64_t inbox = ms_special_folder_id(MS_FOLDER_INBOX), mid;
    int64_t member;
    uint64_t shared, priv;

    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    ok(ropcli_open(&alice, "alice") == 0, "alice connects");
    ok(ropcli_logon(&alice, 0, &logon) == 0, "alice: RopLogon");
    is_int(logon.u.logon.response_flags & 0x06, 0x06, "alice owns her mailbox: OwnerRight, SendAsRight");
    r = rq(ROP_OPEN_FOLDER, 0, 1);
    r.u.open_folder.folder_id = inbox;
    is_int(ret_of(&alice, &r), 0, "alice: OpenFolder(Inbox)");
    {
        int32_t access, level;
        access_of(&alice, 1, &access, &level);
        is_int(access, 0x3F, "alice: her Inbox's PidTagAccess has every bit");
        is_int(level, 1, "and PidTagAccessLevel 1");
    }
    mid = alice_message(&alice, inbox);
    ok(mid != 0, "alice saves a message in her Inbox");

    /* no grant yet */
    ok(ropcli_open_mailbox(&bob, "bob", "alice") != 0, "bob cannot Connect to alice's mailbox before the grant");
    is_int(bob.error_code, EC_LOGIN_PERM, "Connect: ecLoginPerm");
    ropcli_close(&bob);

    memset(pv, 0, sizeof(pv));
    pv[0].tag = T_ENTRYID;
    pv[0].v.bin.len = (uint32_t)ab_entryid(ropcli_user_dn("bob"), eid);
    pv[0].v.bin.data = eid;
    pv[1].tag = T_MEMBER_RIGHTS;
    pv[1].v.i32 = REVIEWER;
    is_int(modify_perms(&alice, 1, 0x01, pv, 2), 0, "alice grants bob Reviewer on her Inbox");
    member = bob_member(&alice, 1);
    ok(member > 0, "bob is in the Inbox's permissions table");
    shared = alice_subfolder(&alice, 7, "Delegate shared");
    priv = alice_subfolder(&alice, 8, "Delegate private");
    ok(shared && priv, "alice makes two subfolders of her Inbox");
    pv[0].tag = T_ENTRYID;
    pv[1].v.i32 = 0x400;
    is_int(modify_perms(&alice, 7, 0x01, pv, 2), 0, "alice lets bob see one of them (FolderVisible)");

    ok(ropcli_open_mailbox(&bob, "bob", "alice") == 0, "bob Connects to alice's mailbox (a delegate)");
    if (bob.conn && bob.error_code == 0)
        bob_as_reviewer(&bob, inbox, mid);

    /* Author instead of Reviewer */
    pv[0].tag = T_MEMBER_ID;
    pv[0].v.i64 = member;
    pv[1].v.i32 = AUTHOR;
    is_int(modify_perms(&alice, 1, 0x02, pv, 2), 0, "alice makes bob Author on her Inbox");
    if (bob.conn && bob.error_code == 0)
        bob_as_author(&bob, inbox, mid);

    r = rq(ROP_DELETE_FOLDER, 1, 0);
    r.u.delete_folder.flags = 0x01 | 0x04 | 0x10;
    r.u.delete_folder.folder_id = shared;
    is_int(ret_of(&alice, &r), 0, "alice deletes the shared subfolder (and bob's rights on it)");
    r.u.delete_folder.folder_id = priv;
    is_int(ret_of(&alice, &r), 0, "and the private one");

    /* alice takes the grant back */
    pv[0].tag = T_MEMBER_ID;
    pv[0].v.i64 = member;
    is_int(modify_perms(&alice, 1, 0x04, pv, 1), 0, "alice removes bob's rights");
    r = rq(ROP_OPEN_FOLDER, 0, 5);
    r.u.open_folder.folder_id = inbox;
    is_int(ret_of(&bob, &r), EC_ACCESS_DENIED, "bob's open session: OpenFolder(Inbox) now ecAccessDenied");
    {
        mapi_rop_resp_t lg;
        ok(ropcli_logon(&bob, 6, &lg) != 0 && lg.ret == EC_LOGIN_PERM, "a new RopLogon: ecLoginPerm");
    }
    ropcli_close(&bob);
    ok(ropcli_open_mailbox(&bob, "bob", "alice") != 0, "a new Connect is refused");
    is_int(bob.error_code, EC_LOGIN_PERM, "with ecLoginPerm");
    ropcli_close(&bob);

    r = rq(ROP_HARD_DELETE_MESSAGES, 1, 0);
    r.u.delete_messages.count = 1;
    r.u.delete_messages.mids = &mid;
    is_int(ret_of(&alice, &r), 0, "alice deletes the test message");
    ropcli_close(&alice);
    return done_testing();
}
