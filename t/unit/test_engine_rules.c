/*
 * Unit tests of the rules and permissions area (engine rop_rules.c,
 * rop_perm.c) in-process against a temporary store: rop_perm_rights() for
 * the owner, a member, the Default and Anonymous members and unknown
 * folders; the row sources the table area reads (rule conditions and
 * actions carried as their wire bytes, damaged stored rules left out,
 * free/busy flags masked); ModifyRules/ModifyPermissions handlers with
 * hostile requests; delegate access (rop_perm_mailbox_access,
 * rop_perm_need, the hierarchy visibility filter).
 */
#include "tap.h"
#include "rop_rules.h"
#include "rop_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char root[256], mbx_text[40];
static ms_store_t *store;
static ms_mailbox_t *mbx;
static mapi_engine_ctx_t ectx;
static mapi_objtab_t objs;
static uint32_t handles[8];
static mapi_arena_t arena;
static rop_ctx_t c;
static char bob_dn[512];

static int add_user(const char *local, const char *name, ms_mailbox_info_t *info)
{
    memset(info, 0, sizeof(*info));
    snprintf(info->smtp[0], sizeof(info->smtp[0]), "%s@example.test", local);
    info->nsmtp = 1;
    snprintf(info->display_name, sizeof(info->display_name), "%s", name);
    snprintf(info->login, sizeof(info->login), "%s@EXAMPLE.TEST", local);
    return ms_mailbox_create(store, info) == MS_OK ? 0 : -1;
}

static int setup(void)
{
    ms_mailbox_info_t info, bob;
    const uint8_t *b;
    snprintf(root, sizeof(root), "%s/engrules-%d-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    if (!mkdtemp(root) || ms_store_init(root) != MS_OK || ms_store_open(root, 0, &store) != MS_OK ||
        ms_db_create(store, "db1", (uint64_t)1 << 28) != MS_OK)
        return -1;
    if (add_user("alice", "Alice", &info) != 0 || add_user("bob", "Bob Builder", &bob) != 0)
        return -1;
    snprintf(bob_dn, sizeof(bob_dn), "%s", bob.legacy_dn);
    b = info.guid.b;
    snprintf(mbx_text, sizeof(mbx_text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[3],
             b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    if (ms_mailbox_open_guid(store, &info.guid, &mbx) != MS_OK)
        return -1;
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

/* [MS-OXCDATA] 2.2.5.2 Address Book EntryID of dn. */
static uint32_t ab_entryid(const char *dn, uint8_t *out)
{
    static const uint8_t provider[16] = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                                         0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
    size_t l = strlen(dn) + 1;
    memset(out, 0, 28);
    memcpy(out + 4, provider, 16);
    out[20] = 1;
    memcpy(out + 28, dn, l);
    return (uint32_t)(28 + l);
}

static void test_rights(void)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    ms_acl_entry_t acl[3];
    uint32_t r = 7;

    is_int(rop_perm_rights(&c, inbox, "alice@EXAMPLE.TEST", &r), 0, "rights of the owner");
    is_int(r, PERM_ALL, "the owner has every right");
    rop_perm_rights(&c, inbox, "ALICE@example.test", &r);
    is_int(r, PERM_ALL, "login names compare case-insensitively");
    is_int(rop_perm_rights(&c, inbox, "bob@EXAMPLE.TEST", &r), 0, "rights of bob, no list yet");
    is_int(r, 0, "nothing (Default has none)");
    is_int(rop_perm_rights(&c, ms_id_make(1, 0xABCDEF), "bob@EXAMPLE.TEST", &r), MAPI_EC_NOT_FOUND,
           "an unknown folder: ecNotFound");

    memset(acl, 0, sizeof(acl));
    acl[0].member_id = MS_ACL_MEMBER_DEFAULT;
    acl[0].rights = PERM_FOLDER_VISIBLE;
    acl[1].member_id = MS_ACL_MEMBER_ANONYMOUS;
    acl[1].rights = PERM_FREEBUSY_SIMPLE;
    acl[2].member_id = 1;
    acl[2].rights = PERM_READ_ANY | PERM_CREATE | PERM_FOLDER_VISIBLE;
    acl[2].entryid_len = ab_entryid(bob_dn, acl[2].entryid);
    ok(ms_acl_set(NULL, mbx, inbox, acl, 3) == MS_OK, "a list: Default visible, Anonymous free/busy, bob reviewer+create");
    rop_perm_rights(&c, inbox, "bob@EXAMPLE.TEST", &r);
    is_int(r, PERM_READ_ANY | PERM_CREATE | PERM_FOLDER_VISIBLE, "bob gets his entry's rights");
    rop_perm_rights(&c, inbox, "carol@EXAMPLE.TEST", &r);
    is_int(r, PERM_FOLDER_VISIBLE, "a user not in the list (not even in the directory) gets Default's");
    rop_perm_rights(&c, inbox, NULL, &r);
    is_int(r, PERM_FREEBUSY_SIMPLE, "an anonymous user gets Anonymous'");
    rop_perm_rights(&c, inbox, "", &r);
    is_int(r, PERM_FREEBUSY_SIMPLE, "an empty user name is anonymous too");
    rop_perm_rights(&c, ms_special_folder_id(MS_FOLDER_CALENDAR), "bob@EXAMPLE.TEST", &r);
    is_int(r, 0, "lists are per folder: none on the Calendar");

    {
        static const uint32_t cols[] = {0x66710014, 0x6672001F, 0x0FFF0102, 0x66730003};
        ms_rowset_t rs;
        is_int(rop_permissions_table_rows(&c, inbox, 0, cols, 4, &rs), 0, "permission rows");
        ok(rs.count == 3 && rs.ncols == 4, "three rows of four columns");
        if (rs.count == 3) {
            ok(rs.rows[0][0].value.li == 0 && rs.rows[1][0].value.li == -1 && rs.rows[2][0].value.li == 1,
               "Default, Anonymous, bob");
            ok(rs.rows[2][1].tag == 0x6672001F && !strcmp(rs.rows[2][1].value.str, ""),
               "a name stored empty stays empty (names come from AddRow)");
            is_int(rs.rows[1][3].value.l, 0, "without IncludeFreeBusy Anonymous' free/busy flag is masked");
            ok(rs.rows[2][2].value.bin.cb == acl[2].entryid_len, "bob's entry id");
        }
        ms_rowset_free(&rs);
        is_int(rop_permissions_table_rows(&c, inbox, 0x02, cols, 4, &rs), 0, "rows with IncludeFreeBusy");
        if (rs.count == 3)
            is_int(rs.rows[1][3].value.l, PERM_FREEBUSY_SIMPLE, "the free/busy flag shows");
        ms_rowset_free(&rs);
    }
}

/* A folder object for the handlers at handle index idx (the fid alone is a
 * blob rop_folder_fid() reads). */
static void folder_obj(uint8_t idx, uint64_t fid)
{
    uint32_t ec;
    mapi_obj_t *o = rop_new_obj(&c, idx, MAPI_OBJ_FOLDER, 0, &ec);
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    mapi_wr_u64(&wr, fid);
    if (o)
        rop_obj_set_data(o, &wr);
    else
        mapi_wr_free(&wr);
}

static rop_handler_t handler(uint8_t rop)
{
    const rop_entry_t *e;
    for (e = rop_rules_entries; e->fn; e++)
        if (e->rop_id == rop)
            return e->fn;
    return NULL;
}

static uint32_t modify_rules(uint8_t idx, uint8_t flags, mapi_rop_flagged_props_t *rows, uint16_t n)
{
    mapi_rop_req_t req;
    mapi_rop_resp_t resp;
    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.rop_id = ROP_MODIFY_RULES;
    req.in_idx = idx;
    req.u.modify_rules.flags = flags;
    req.u.modify_rules.count = n;
    req.u.modify_rules.rows = rows;
    return handler(ROP_MODIFY_RULES)(&c, &req, &resp);
}

static void test_rules(void)
{
    static uint8_t actions[] = {0x01, 0x00, 0x09, 0x00, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint32_t cols[] = {0x66740014, 0x6682001F, 0x667900FD, 0x668000FE, 0x66830003};
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    mapi_restriction_t res;
    mapi_propval_t pv[4];
    mapi_rop_flagged_props_t row;
    ms_rowset_t rs;
    ms_rule_t *stored = NULL;
    size_t nstored = 0;

    folder_obj(1, inbox);
    memset(&res, 0, sizeof(res));
    res.type = MAPI_RES_EXIST;
    res.u.exist.tag = 0x0037001F;
    memset(pv, 0, sizeof(pv));
    pv[0].tag = 0x6682001E; /* a String8 name: kept as Unicode */
    pv[0].v.str = (char *)"caf\xe9";
    pv[1].tag = 0x6681001F;
    pv[1].v.str = (char *)"RuleOrganizer";
    pv[2].tag = 0x667900FD;
    pv[2].v.res = &res;
    pv[3].tag = 0x668000FE;
    pv[3].v.bin.len = sizeof(actions);
    pv[3].v.bin.data = actions;
    row.data_flags = 0x01;
    row.props.count = 4;
    row.props.vals = pv;
    is_int(modify_rules(1, 0, &row, 1), 0, "ModifyRules handler: add a rule");
    is_int(rop_rules_table_rows(&c, inbox, 0, cols, 5, &rs), 0, "rule rows");
    ok(rs.count == 1, "one rule");
    if (rs.count == 1) {
        mapi_rd_t rd;
        mapi_restriction_t *back = NULL;
        ok(rs.rows[0][0].tag == 0x66740014 && rs.rows[0][0].value.li == 1, "PidTagRuleId 1");
        ok(rs.rows[0][1].tag == 0x6682001F && !strcmp(rs.rows[0][1].value.str, "caf\xc3\xa9"),
           "the String8 name (code page 1252) kept as Unicode");
        ok(rs.rows[0][2].tag == 0x66790102, "the condition as PT_BINARY of the same id");
        mapi_rd_init(&rd, rs.rows[0][2].value.bin.pb, rs.rows[0][2].value.bin.cb);
        ok(mapi_restriction_decode(&rd, &arena, MAPI_CTX_ROP, &back) == 0 && back && back->type == MAPI_RES_EXIST &&
               back->u.exist.tag == 0x0037001F,
           "holding the restriction's wire form");
        ok(rs.rows[0][3].tag == 0x66800102 && rs.rows[0][3].value.bin.cb == sizeof(actions) &&
               !memcmp(rs.rows[0][3].value.bin.pb, actions, sizeof(actions)),
           "the actions' bytes as PT_BINARY");
        ok(rs.rows[0][4].tag == 0x6683000A && rs.rows[0][4].value.err == (uint32_t)MS_E_NOT_FOUND,
           "a property the rule lacks: ecNotFound");
    }
    ms_rowset_free(&rs);

    /* a damaged stored rule is left out, the others still listed */
    if (ms_rules_get(NULL, mbx, inbox, &stored, &nstored) == MS_OK && nstored == 1) {
        ms_rule_t two[2];
        two[0] = stored[0];
        two[1].id = 9;
        two[1].len = 6;
        two[1].data = (uint8_t *)"\x05\x00\x00\x00\xff\xff";
        ok(ms_rules_set(NULL, mbx, inbox, two, 2) == MS_OK, "a damaged rule written behind the engine's back");
    }
    ms_rules_free(stored, nstored);
    is_int(rop_rules_table_rows(&c, inbox, 0, cols, 5, &rs), 0, "rule rows with a damaged rule");
    is_int(rs.count, 1, "the damaged rule is left out");
    ms_rowset_free(&rs);

    /* hostile requests */
    row.props.count = 0;
    is_int(modify_rules(1, 0, &row, 1), MAPI_EC_INVALID_PARAMETER, "PropertyValueCount 0: ecInvalidParameter");
    row.props.count = 4;
    row.data_flags = 0x03;
    is_int(modify_rules(1, 0, &row, 1), MAPI_EC_INVALID_PARAMETER, "ROW_ADD|ROW_MODIFY: ecInvalidParameter");
    row.data_flags = 0x02; /* modify without PidTagRuleId */
    is_int(modify_rules(1, 0, &row, 1), MAPI_EC_INVALID_PARAMETER, "ROW_MODIFY without PidTagRuleId");
    is_int(modify_rules(5, 0, &row, 1), MAPI_EC_NULL_OBJECT, "an empty handle slot: ecNullObject");
    ectx.user = "bob@EXAMPLE.TEST";
    row.data_flags = 0x01;
    is_int(modify_rules(1, 0, &row, 1), MAPI_EC_ACCESS_DENIED, "bob is no folder owner: ecAccessDenied");
    ectx.user = "alice@EXAMPLE.TEST";
    {
        mapi_rop_flagged_props_t many[MS_RULES_MAX + 1];
        size_t i;
        for (i = 0; i <= MS_RULES_MAX; i++)
            many[i] = row;
        is_int(modify_rules(1, 0x01, many, MS_RULES_MAX + 1), MAPI_EC_OUT_OF_MEMORY,
               "past the folder's rule limit: ecNotEnoughMemory");
    }
}

static ms_acl_entry_t member(int64_t id, const char *dn, uint32_t rights)
{
    ms_acl_entry_t e;
    memset(&e, 0, sizeof(e));
    e.member_id = id;
    e.rights = rights;
    if (dn)
        e.entryid_len = ab_entryid(dn, e.entryid);
    return e;
}

static int access_of(const char *user, int *owner)
{
    int granted = -1;
    *owner = -1;
    if (rop_perm_mailbox_access(store, mbx, user, owner, &granted) != MAPI_EC_SUCCESS)
        return -1;
    return granted;
}

/* Delegate access: who may log on to alice's mailbox, what rop_perm_need
 * answers, which folders a hierarchy table shows a delegate. */
static void test_delegation(void)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX), cal = ms_special_folder_id(MS_FOLDER_CALENDAR);
    ms_acl_entry_t acl[2];
    ms_restriction_t *vis = NULL;
    int owner;

    ok(ms_acl_set(NULL, mbx, inbox, NULL, 0) == MS_OK && ms_acl_set(NULL, mbx, cal, NULL, 0) == MS_OK,
       "no permission lists on the Inbox and the Calendar");
    is_int(access_of("alice@EXAMPLE.TEST", &owner), 1, "alice may log on");
    is_int(owner, 1, "as the owner");
    is_int(access_of("bob@EXAMPLE.TEST", &owner), 0, "bob without rights may not");
    is_int(owner, 0, "and is no owner");
    is_int(access_of(NULL, &owner), 0, "nor an anonymous user");
    ectx.user = "bob@EXAMPLE.TEST";
    is_int(rop_perm_is_owner(&c), 0, "rop_perm_is_owner: bob is not");
    is_int(rop_perm_need(&c, inbox, PERM_FOLDER_VISIBLE), MAPI_EC_ACCESS_DENIED, "rop_perm_need: ecAccessDenied");
    is_int(rop_perm_visible_filter(&c, NULL, ms_special_folder_id(MS_FOLDER_ROOT), 1, &vis), 0,
           "visible filter for bob");
    ok(vis && vis->type == MS_RES_NOT, "nothing visible: a restriction no row matches");

    acl[0] = member(1, bob_dn, PERM_FREEBUSY_SIMPLE | PERM_FREEBUSY_DETAILED);
    ok(ms_acl_set(NULL, mbx, cal, acl, 1) == MS_OK, "bob gets free/busy on the Calendar");
    is_int(access_of("bob@EXAMPLE.TEST", &owner), 0, "free/busy alone is no delegation");
    acl[0] = member(1, bob_dn, PERM_READ_ANY | PERM_FOLDER_VISIBLE);
    ok(ms_acl_set(NULL, mbx, cal, acl, 1) == MS_OK, "bob becomes Reviewer on the Calendar");
    is_int(access_of("bob@EXAMPLE.TEST", &owner), 1, "now bob may log on");
    is_int(owner, 0, "as a delegate");
    is_int(access_of("carol@EXAMPLE.TEST", &owner), 0, "someone else still may not");
    is_int(rop_perm_need(&c, cal, PERM_READ_ANY), 0, "rop_perm_need ReadAny on the Calendar: ok");
    is_int(rop_perm_need(&c, cal, PERM_READ_ANY | PERM_CREATE), MAPI_EC_ACCESS_DENIED, "ReadAny|Create: denied");
    is_int(rop_perm_need(&c, inbox, PERM_READ_ANY), MAPI_EC_ACCESS_DENIED, "ReadAny on the Inbox: denied");
    is_int(rop_perm_need_message(&c, cal, 0, PERM_EDIT_ANY, PERM_EDIT_OWNED), MAPI_EC_ACCESS_DENIED,
           "EditAny/EditOwned without either right: denied");
    is_int(rop_perm_need(&c, ms_id_make(1, 0xABCDEF), PERM_READ_ANY), MAPI_EC_NOT_FOUND, "an unknown folder: ecNotFound");
    vis = NULL;
    is_int(rop_perm_visible_filter(&c, NULL, ms_special_folder_id(MS_FOLDER_ROOT), 1, &vis), 0,
           "visible filter over the whole tree");
    ok(vis && vis->type == MS_RES_OR && vis->u.andor.count == 1 && vis->u.andor.res[0].u.prop.tag == MS_PR_FID &&
           (ms_id_t)vis->u.andor.res[0].u.prop.val.value.li == cal,
       "keeps the Calendar only");
    vis = NULL;
    is_int(rop_perm_visible_filter(&c, NULL, ms_special_folder_id(MS_FOLDER_ROOT), 0, &vis), 0,
           "visible filter of the root's children");
    ok(vis && vis->type == MS_RES_NOT, "the Calendar is no child of the root: nothing");

    acl[0] = member(MS_ACL_MEMBER_DEFAULT, NULL, PERM_FOLDER_VISIBLE);
    ok(ms_acl_set(NULL, mbx, inbox, acl, 1) == MS_OK, "Default gets FolderVisible on the Inbox");
    is_int(access_of("carol@EXAMPLE.TEST", &owner), 1, "so any user may log on (a Default delegation)");
    ectx.user = "alice@EXAMPLE.TEST";
    is_int(rop_perm_is_owner(&c), 1, "rop_perm_is_owner: alice is");
    vis = (ms_restriction_t *)1;
    is_int(rop_perm_visible_filter(&c, NULL, ms_special_folder_id(MS_FOLDER_ROOT), 1, &vis), 0, "filter for alice");
    ok(vis == NULL, "the owner sees every folder: no filter");
    is_int(rop_perm_need(&c, inbox, PERM_ALL), 0, "the owner has every right");
    ms_acl_set(NULL, mbx, inbox, NULL, 0);
    ms_acl_set(NULL, mbx, cal, NULL, 0);
}

int main(void)
{
    ok(setup() == 0, "store with alice and bob");
    if (!mbx)
        return done_testing();
    test_rights();
    test_rules();
    test_delegation();
    mapi_objtab_free(&objs);
    mapi_arena_clear(&arena);
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
