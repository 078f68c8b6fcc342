/*
 * Wire tests of the rules ([MS-OXORULE]) and permissions ([MS-OXCPERM])
 * ROPs through Apache, on a folder made for the test: GetRulesTable and
 * ModifyRules (add, modify, remove, replace; stored in the store, checked
 * with the store API), GetPermissionsTable and ModifyPermissions (Default
 * and Anonymous always there, add bob by address-book entry id, free/busy
 * flags, remove, replace) and the spec's errors.
 */
#include "tap.h"
#include "ropcli.h"
#include "mapistore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T_RULE_ID 0x66740014u
#define T_RULE_SEQUENCE 0x66760003u
#define T_RULE_STATE 0x66770003u
#define T_RULE_CONDITION 0x667900FDu
#define T_RULE_ACTIONS 0x668000FEu
#define T_RULE_PROVIDER 0x6681001Fu
#define T_RULE_NAME 0x6682001Fu
#define T_RULE_LEVEL 0x66830003u
#define T_MEMBER_ID 0x66710014u
#define T_MEMBER_NAME 0x6672001Fu
#define T_ENTRYID 0x0FFF0102u
#define T_MEMBER_RIGHTS 0x66730003u

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

/* GetXxxTable at out, SetColumns, QueryRows: the rows (count in *n). */
static const mapi_propval_t *table_rows(ropcli_t *rc, uint8_t rop, uint8_t folder, uint8_t out, uint8_t flags,
                                       const mapi_tagarray_t *cols, uint32_t *n)
{
    mapi_rop_req_t r = rq(rop, folder, out);
    mapi_rop_resp_t *p;
    *n = 0;
    r.u.table.table_flags = flags;
    if (ret_of(rc, &r) != 0)
        return NULL;
    r = rq(ROP_SET_COLUMNS, out, 0);
    r.u.set_columns.tags = *cols;
    if (ret_of(rc, &r) != 0)
        return NULL;
    r = rq(ROP_QUERY_ROWS, out, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 100;
    p = one(rc, &r, cols);
    if (!p || p->ret != 0)
        return NULL;
    *n = p->u.query_rows.count;
    return p->u.query_rows.rows.vals;
}

/* ---- rules ---- */

/* One RuleAction buffer ([MS-OXORULE] 2.2.5): NoOfActions 1, an
 * ActionBlock of OP_DELETE (ActionLength 9, type 0x0A, flavor 0, flags 0). */
static uint8_t delete_action[] = {0x01, 0x00, 0x09, 0x00, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0};

static mapi_restriction_t subject_has(const char *s)
{
    mapi_restriction_t res;
    memset(&res, 0, sizeof(res));
    res.type = MAPI_RES_CONTENT;
    res.u.content.fuzzy_low = MAPI_FL_SUBSTRING;
    res.u.content.fuzzy_high = 0x0001; /* IgnoreCase */
    res.u.content.tag = MAPI_PROP_TAG(0x0037, MAPI_PT_UNICODE);
    res.u.content.value.tag = res.u.content.tag;
    res.u.content.value.v.str = (char *)s;
    return res;
}

static uint32_t modify_rules(ropcli_t *rc, uint8_t folder, uint8_t flags, mapi_rop_flagged_props_t *rows, uint16_t n)
{
    mapi_rop_req_t r = rq(ROP_MODIFY_RULES, folder, 0);
    r.u.modify_rules.flags = flags;
    r.u.modify_rules.count = n;
    r.u.modify_rules.rows = rows;
    return ret_of(rc, &r);
}

static void rule_row(mapi_rop_flagged_props_t *row, mapi_propval_t *pv, const char *name, int32_t seq,
                     mapi_restriction_t *cond)
{
    memset(pv, 0, 6 * sizeof(*pv));
    pv[0].tag = T_RULE_NAME;
    pv[0].v.str = (char *)name;
    pv[1].tag = T_RULE_SEQUENCE;
    pv[1].v.i32 = seq;
    pv[2].tag = T_RULE_STATE;
    pv[2].v.i32 = 1; /* ST_ENABLED */
    pv[3].tag = T_RULE_PROVIDER;
    pv[3].v.str = (char *)"RuleOrganizer";
    pv[4].tag = T_RULE_CONDITION;
    pv[4].v.res = cond;
    pv[5].tag = T_RULE_ACTIONS;
    pv[5].v.bin.len = sizeof(delete_action);
    pv[5].v.bin.data = delete_action;
    row->data_flags = 0x01; /* ROW_ADD */
    row->props.count = 6;
    row->props.vals = pv;
}

/* Rule `id` as the store keeps it (rop_rules.c: u32 count, then its
 * TaggedPropertyValues in ROP wire form): the condition and the actions
 * come back exactly as sent. */
static int stored_rule_ok(ms_mailbox_t *mbx, uint64_t fid, int64_t id, const char *cond_text)
{
    ms_rule_t *r = NULL;
    size_t n = 0, i;
    int good = 0;
    if (ms_rules_get(NULL, mbx, fid, &r, &n) != MS_OK)
        return 0;
    for (i = 0; i < n; i++) {
        mapi_arena_t a;
        mapi_rd_t rd;
        mapi_proplist_t pl;
        const mapi_propval_t *c, *act;
        uint32_t cnt;
        if ((int64_t)r[i].id != id)
            continue;
        mapi_arena_init(&a, 1u << 20);
        mapi_rd_init(&rd, r[i].data, r[i].len);
        cnt = mapi_rd_u32(&rd);
        if (mapi_rd_ok(&rd) && mapi_proplist_decode_n(&rd, &a, 0, cnt, &pl) == 0 &&
            (c = mapi_propval_find(pl.vals, pl.count, T_RULE_CONDITION)) &&
            (act = mapi_propval_find(pl.vals, pl.count, T_RULE_ACTIONS)))
            good = c->v.res && c->v.res->type == MAPI_RES_CONTENT && !strcmp(c->v.res->u.content.value.v.str, cond_text) &&
                   act->v.bin.len == sizeof(delete_action) && !memcmp(act->v.bin.data, delete_action, sizeof(delete_action));
        mapi_arena_clear(&a);
    }
    ms_rules_free(r, n);
    return good;
}

/* The number of rules the store keeps for the folder. */
static size_t stored_rules(ms_mailbox_t *mbx, uint64_t fid)
{
    ms_rule_t *r = NULL;
    size_t n = 0;
    if (ms_rules_get(NULL, mbx, fid, &r, &n) != MS_OK)
        return (size_t)-1;
    ms_rules_free(r, n);
    return n;
}

static void test_rules(ropcli_t *rc, ms_mailbox_t *mbx, uint64_t fid)
{
    static uint32_t ctags[] = {T_RULE_ID, T_RULE_NAME, T_RULE_SEQUENCE, T_RULE_PROVIDER, T_RULE_CONDITION,
                               T_RULE_ACTIONS, T_RULE_LEVEL};
    mapi_tagarray_t cols = {7, ctags};
    mapi_restriction_t c1 = subject_has("newsletter"), c2 = subject_has("urgent");
    mapi_rop_flagged_props_t rows[2];
    mapi_propval_t pv[2][6], mv[2];
    const mapi_propval_t *v;
    uint32_t n;
    int64_t id1, id2;

    v = table_rows(rc, ROP_GET_RULES_TABLE, 1, 2, 0x40, &cols, &n);
    ok(v != NULL || n == 0, "GetRulesTable + SetColumns + QueryRows on a new folder");
    is_int(n, 0, "no rules yet");

    rule_row(&rows[0], pv[0], "delete newsletters", 10, &c1);
    rule_row(&rows[1], pv[1], "urgent", 5, &c2);
    is_int(modify_rules(rc, 1, 0, rows, 2), 0, "ModifyRules: add two rules");
    is_int((int)stored_rules(mbx, fid), 2, "the store keeps two rules for the folder");
    v = table_rows(rc, ROP_GET_RULES_TABLE, 1, 2, 0x40, &cols, &n);
    is_int(n, 2, "the rules table has two rows");
    if (n != 2 || !v)
        return;
    ok(v[0].tag == T_RULE_ID && v[7].tag == T_RULE_ID && v[0].v.i64 != v[7].v.i64, "each has its PidTagRuleId");
    id1 = v[0].v.i64;
    id2 = v[7].v.i64;
    ok(stored_rule_ok(mbx, fid, id1, "newsletter") && stored_rule_ok(mbx, fid, id2, "urgent"),
       "the store keeps each rule's condition (PtypRestriction) and actions (PtypRuleAction) as sent");
    ok(v[1].tag == T_RULE_NAME && !strcmp(v[1].v.str, "delete newsletters") && v[2].v.i32 == 10 &&
           v[3].tag == T_RULE_PROVIDER && !strcmp(v[3].v.str, "RuleOrganizer"),
       "name, sequence and provider as added");
    ok(v[6].tag == MAPI_PROP_TAG(0x6683, MAPI_PT_ERROR), "PidTagRuleLevel never set: ecNotFound in the row");
    ok(v[4].tag == T_RULE_CONDITION && v[4].v.res && v[4].v.res->type == MAPI_RES_CONTENT &&
           !strcmp(v[4].v.res->u.content.value.v.str, "newsletter"),
       "PidTagRuleCondition comes back as the restriction (tag 0x%08x)", v[4].tag);
    ok(v[5].tag == T_RULE_ACTIONS && v[5].v.bin.len == sizeof(delete_action) &&
           !memcmp(v[5].v.bin.data, delete_action, sizeof(delete_action)),
       "PidTagRuleActions comes back byte for byte (tag 0x%08x)", v[5].tag);

    /* modify rule 2's sequence and name; remove rule 1 */
    memset(mv, 0, sizeof(mv));
    mv[0].tag = T_RULE_ID;
    mv[0].v.i64 = id2;
    mv[1].tag = T_RULE_NAME;
    mv[1].v.str = (char *)"urgent (renamed)";
    rows[0].data_flags = 0x02; /* ROW_MODIFY */
    rows[0].props.count = 2;
    rows[0].props.vals = mv;
    is_int(modify_rules(rc, 1, 0, rows, 1), 0, "ModifyRules: modify a rule's name");
    v = table_rows(rc, ROP_GET_RULES_TABLE, 1, 2, 0x40, &cols, &n);
    ok(n == 2 && v && !strcmp(v[8].v.str, "urgent (renamed)") && v[9].v.i32 == 5 && v[7].v.i64 == id2,
       "the rule is renamed, keeps its id and sequence");
    mv[0].v.i64 = id1;
    rows[0].data_flags = 0x04; /* ROW_REMOVE */
    rows[0].props.count = 1;
    is_int(modify_rules(rc, 1, 0, rows, 1), 0, "ModifyRules: remove the first rule");
    v = table_rows(rc, ROP_GET_RULES_TABLE, 1, 2, 0x40, &cols, &n);
    ok(n == 1 && v && v[0].v.i64 == id2, "one rule left");

    /* errors */
    is_int(modify_rules(rc, 1, 0, rows, 1), MAPI_EC_NOT_FOUND, "removing it again: ecNotFound");
    rows[0].data_flags = 0x08;
    is_int(modify_rules(rc, 1, 0, rows, 1), MAPI_EC_INVALID_PARAMETER, "RuleDataFlags 0x08: ecInvalidParameter");
    rows[0].data_flags = 0x01;
    rows[0].props.count = 1;
    rows[0].props.vals = &pv[0][0]; /* only a name */
    is_int(modify_rules(rc, 1, 0, rows, 1), MAPI_EC_INVALID_PARAMETER,
           "adding a rule without condition, actions, provider: ecInvalidParameter");
    mv[1].tag = MAPI_PROP_TAG(0x0037, MAPI_PT_UNICODE);
    mv[1].v.str = (char *)"not a rule property";
    mv[0].v.i64 = id2;
    rows[0].data_flags = 0x02;
    rows[0].props.count = 2;
    rows[0].props.vals = mv;
    is_int(modify_rules(rc, 1, 0, rows, 1), MAPI_EC_INVALID_PARAMETER,
           "a property that is not a rule property: ecInvalidParameter");
    rule_row(&rows[0], pv[0], "delete newsletters", 10, &c1);
    is_int(modify_rules(rc, 1, 0x80, rows, 1), MAPI_EC_INVALID_PARAMETER, "ModifyRulesFlag 0x80: ecInvalidParameter");
    is_int(modify_rules(rc, 0, 0, rows, 1), MAPI_EC_NOT_SUPPORTED, "ModifyRules on the logon: ecNotSupported");
    {
        mapi_rop_req_t r = rq(ROP_GET_RULES_TABLE, 1, 2);
        r.u.table.table_flags = 0x01;
        is_int(ret_of(rc, &r), MAPI_EC_INVALID_PARAMETER, "GetRulesTable with TableFlags 0x01: ecInvalidParameter");
    }
    is_int((int)stored_rules(mbx, fid), 1, "failed ModifyRules changed nothing");

    /* replace: the rows become the folder's rules */
    rule_row(&rows[0], pv[0], "a", 1, &c1);
    rule_row(&rows[1], pv[1], "b", 2, &c2);
    is_int(modify_rules(rc, 1, 0x01, rows, 2), 0, "ModifyRules with the Replace flag");
    v = table_rows(rc, ROP_GET_RULES_TABLE, 1, 2, 0x40, &cols, &n);
    ok(n == 2 && v && !strcmp(v[1].v.str, "a") && !strcmp(v[8].v.str, "b"), "exactly the two new rules");
    rows[1].data_flags = 0x02;
    is_int(modify_rules(rc, 1, 0x01, rows, 2), MAPI_EC_INVALID_PARAMETER, "Replace with a ROW_MODIFY row: ecInvalidParameter");
}

/* ---- permissions ---- */

/* An Address Book EntryID ([MS-OXCDATA] 2.2.5.2) for a DN. */
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

static uint32_t modify_perms(ropcli_t *rc, uint8_t folder, uint8_t flags, uint8_t data_flags, mapi_propval_t *pv,
                             uint16_t npv)
{
    mapi_rop_req_t r = rq(ROP_MODIFY_PERMISSIONS, folder, 0);
    mapi_rop_flagged_props_t row;
    row.data_flags = data_flags;
    row.props.count = npv;
    row.props.vals = pv;
    r.u.modify_permissions.flags = flags;
    r.u.modify_permissions.count = 1;
    r.u.modify_permissions.rows = &row;
    return ret_of(rc, &r);
}

/* The rights of member id in the permissions table (-2: not there). */
static int64_t rights_of(ropcli_t *rc, int64_t id, uint8_t flags, uint32_t *nrows, char *name, size_t nlen)
{
    static uint32_t ctags[] = {T_MEMBER_ID, T_MEMBER_NAME, T_ENTRYID, T_MEMBER_RIGHTS};
    mapi_tagarray_t cols = {4, ctags};
    uint32_t n, i;
    const mapi_propval_t *v = table_rows(rc, ROP_GET_PERMISSIONS_TABLE, 1, 3, flags, &cols, &n);
    *nrows = n;
    for (i = 0; v && i < n; i++)
        if (v[4 * i].v.i64 == id) {
            if (name)
                snprintf(name, nlen, "%s", v[4 * i + 1].tag == T_MEMBER_NAME ? v[4 * i + 1].v.str : "?");
            return v[4 * i + 3].v.i32;
        }
    return -2;
}

static void test_permissions(ropcli_t *rc, ms_mailbox_t *mbx, uint64_t fid)
{
    uint8_t eid[400];
    mapi_propval_t pv[2];
    ms_acl_entry_t *acl = NULL;
    size_t nacl = 0;
    uint32_t n;
    char name[256] = "";
    int64_t bob_id = -2;

    is_int(rights_of(rc, 0, 0, &n, name, sizeof(name)), 0, "GetPermissionsTable: Default member, no rights");
    is_str(name, "", "Default's name is empty");
    is_int(rights_of(rc, -1, 0, &n, name, sizeof(name)), 0, "the Anonymous member, no rights");
    is_str(name, "Anonymous", "named Anonymous");
    is_int(n, 2, "just those two");

    memset(pv, 0, sizeof(pv));
    pv[0].tag = T_ENTRYID;
    pv[0].v.bin.len = (uint32_t)ab_entryid(ropcli_user_dn("bob"), eid);
    pv[0].v.bin.data = eid;
    pv[1].tag = T_MEMBER_RIGHTS;
    pv[1].v.i32 = 0x401 | 0x800; /* ReadAny, FolderVisible, FreeBusySimple (ignored without IncludeFreeBusy) */
    is_int(modify_perms(rc, 1, 0, 0x01, pv, 2), 0, "ModifyPermissions: AddRow bob");
    if (ms_acl_get(NULL, mbx, fid, &acl, &nacl) == MS_OK) {
        size_t i;
        for (i = 0; i < nacl; i++)
            if (acl[i].member_id > 0)
                bob_id = acl[i].member_id;
    }
    free(acl);
    ok(bob_id > 0, "the store keeps bob's entry, with a member id");
    is_int(rights_of(rc, bob_id, 0, &n, name, sizeof(name)), 0x401, "bob: ReadAny|FolderVisible, no free/busy");
    ok(strlen(name) > 0 && strcmp(name, "?") != 0, "bob's row has his display name (%s)", name);
    is_int(n, 3, "three members");

    pv[0].tag = T_MEMBER_ID;
    pv[0].v.i64 = bob_id;
    pv[1].v.i32 = 0x401 | 0x1800;
    is_int(modify_perms(rc, 1, 0x02, 0x02, pv, 2), 0, "ModifyRow bob with IncludeFreeBusy");
    is_int(rights_of(rc, bob_id, 0x02, &n, NULL, 0), 0x1C01, "with IncludeFreeBusy the table shows the free/busy flags");
    is_int(rights_of(rc, bob_id, 0, &n, NULL, 0), 0x401, "without it they are left out");
    pv[0].v.i64 = 0;
    pv[1].v.i32 = 0x400;
    is_int(modify_perms(rc, 1, 0, 0x02, pv, 2), 0, "ModifyRow Default: FolderVisible");
    is_int(rights_of(rc, 0, 0, &n, NULL, 0), 0x400, "Default has FolderVisible");

    /* errors */
    pv[0].v.i64 = 999999;
    is_int(modify_perms(rc, 1, 0, 0x02, pv, 2), MAPI_EC_NOT_FOUND, "ModifyRow of an unknown member: ecNotFound");
    pv[0].v.i64 = 0;
    is_int(modify_perms(rc, 1, 0, 0x04, pv, 1), MAPI_EC_INVALID_PARAMETER, "RemoveRow Default: ecInvalidParameter");
    is_int(modify_perms(rc, 1, 0, 0x08, pv, 1), MAPI_EC_INVALID_PARAMETER, "DataFlags 0x08: ecInvalidParameter");
    is_int(modify_perms(rc, 1, 0x80, 0x02, pv, 2), MAPI_EC_INVALID_PARAMETER, "ModifyFlags 0x80: ecInvalidParameter");
    is_int(modify_perms(rc, 1, 0x01, 0x02, pv, 2), MAPI_EC_INVALID_PARAMETER, "ReplaceRows with a ModifyRow: ecInvalidParameter");
    is_int(modify_perms(rc, 0, 0, 0x02, pv, 2), MAPI_EC_NOT_SUPPORTED, "ModifyPermissions on the logon: ecNotSupported");
    pv[0].tag = T_ENTRYID;
    pv[0].v.bin.len = (uint32_t)ab_entryid("/o=nowhere/cn=Recipients/cn=nobody", eid);
    pv[0].v.bin.data = eid;
    is_int(modify_perms(rc, 1, 0, 0x01, pv, 2), MAPI_EC_NOT_FOUND, "AddRow of an unknown user: ecNotFound");
    {
        mapi_rop_req_t r = rq(ROP_GET_PERMISSIONS_TABLE, 0, 3);
        is_int(ret_of(rc, &r), MAPI_EC_NOT_SUPPORTED, "GetPermissionsTable on the logon: ecNotSupported");
        r = rq(ROP_GET_PERMISSIONS_TABLE, 1, 3);
        r.u.table.table_flags = 0x01;
        is_int(ret_of(rc, &r), MAPI_EC_INVALID_PARAMETER, "GetPermissionsTable with TableFlags 0x01: ecInvalidParameter");
    }

    /* remove bob; replace with bob again */
    pv[0].tag = T_MEMBER_ID;
    pv[0].v.i64 = bob_id;
    is_int(modify_perms(rc, 1, 0, 0x04, pv, 1), 0, "RemoveRow bob");
    is_int(rights_of(rc, bob_id, 0, &n, NULL, 0), -2, "bob is gone");
    is_int(n, 2, "Default and Anonymous stay");
    pv[0].tag = T_MEMBER_ID;
    pv[0].v.i64 = -1;
    pv[1].v.i32 = 0x800;
    is_int(modify_perms(rc, 1, 0x02, 0x02, pv, 2), 0, "ModifyRow Anonymous: FreeBusySimple");
    pv[0].tag = T_ENTRYID;
    pv[0].v.bin.len = (uint32_t)ab_entryid(ropcli_user_dn("bob"), eid);
    pv[0].v.bin.data = eid;
    pv[1].v.i32 = 0x1;
    is_int(modify_perms(rc, 1, 0x01, 0x01, pv, 2), 0, "ReplaceRows with bob");
    is_int(rights_of(rc, -1, 0x02, &n, NULL, 0), 0, "ReplaceRows replaced Anonymous' entry: no rights");
    is_int(rights_of(rc, 0, 0, &n, NULL, 0), 0x400, "ReplaceRows keeps the Default entry");
    is_int(n, 3, "Default, Anonymous and bob");
}

/* The folder with rules and a permission list, as a client sees it:
 * HasRules at OpenFolder; the store's own records (0x65D0-0x65D2) are not
 * among its properties. */
static void test_folder_view(ropcli_t *rc, uint64_t fid)
{
    mapi_rop_req_t r = rq(ROP_OPEN_FOLDER, 4, 5);
    mapi_rop_resp_t *p;
    uint32_t i, internal = 0, count = 0;
    r.u.open_folder.folder_id = fid;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.open_folder.has_rules == 1, "OpenFolder of a folder with rules: HasRules 1");
    r = rq(ROP_GET_PROPERTIES_ALL, 5, 0);
    r.u.get_props_all.want_unicode = 1;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0, "GetPropertiesAll on it");
    for (i = 0; p && p->ret == 0 && i < p->u.get_props_all.props.count; i++, count++) {
        uint16_t id = MAPI_PROP_ID(p->u.get_props_all.props.vals[i].tag);
        internal += (id >= 0x65D0 && id <= 0x65D2) || (id >= 0x65F0 && id <= 0x65F3);
    }
    ok(count > 0 && internal == 0, "has %u properties, none of the store's own records", count);
    r = rq(ROP_GET_PROPERTIES_LIST, 5, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0, "GetPropertiesList on it");
    for (i = internal = 0; p && p->ret == 0 && i < p->u.tags.tags.count; i++) {
        uint16_t id = MAPI_PROP_ID(p->u.tags.tags.tags[i]);
        internal += (id >= 0x65D0 && id <= 0x65D2) || (id >= 0x65F0 && id <= 0x65F3);
    }
    ok(p && p->u.tags.tags.count > 0 && internal == 0, "lists none of them either");
}

int main(void)
{
    ropcli_t rc;
    mapi_rop_resp_t logon, *p;
    mapi_rop_req_t r;
    ms_store_t *st = NULL;
    ms_mailbox_t *mbx = NULL;
    const char *root = getenv("MH_STORE"), *guid = getenv("MH_MAILBOX_alice");
    char name[64];
    uint64_t fid;

    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    ok(root && guid && ms_store_open(root, MS_OPEN_READONLY, &st) == MS_OK &&
           ms_mailbox_open(st, MS_LOOKUP_GUID, guid, &mbx) == MS_OK,
       "the test reads alice's mailbox with the store API");
    ok(ropcli_open(&rc, "alice") == 0, "alice connects");
    ok(ropcli_logon(&rc, 0, &logon) == 0, "RopLogon");
    r = rq(ROP_OPEN_FOLDER, 0, 4);
    r.u.open_folder.folder_id = logon.u.logon.folder_ids[4];
    is_int(ret_of(&rc, &r), 0, "OpenFolder(Inbox)");
    r = rq(ROP_CREATE_FOLDER, 4, 1);
    snprintf(name, sizeof(name), "Rules test %d", (int)getpid());
    r.u.create_folder.folder_type = 1;
    r.u.create_folder.use_unicode = 1;
    r.u.create_folder.display_name = name;
    r.u.create_folder.comment = (char *)"";
    p = one(&rc, &r, NULL);
    ok(p && p->ret == 0, "CreateFolder('%s') under the Inbox", name);
    fid = p && p->ret == 0 ? p->u.create_folder.folder_id : 0;
    if (fid && mbx) {
        test_rules(&rc, mbx, fid);
        test_permissions(&rc, mbx, fid);
        test_folder_view(&rc, fid);
        /* the folder goes, and with it the rights bob and Default got on it:
         * other tests expect bob to have none in alice's mailbox */
        r = rq(ROP_DELETE_FOLDER, 4, 0);
        r.u.delete_folder.flags = 0x01 | 0x04 | 0x10;
        r.u.delete_folder.folder_id = fid;
        is_int(ret_of(&rc, &r), 0, "DeleteFolder('%s'): the test leaves no rights behind", name);
    }
    ropcli_close(&rc);
    if (mbx)
        ms_mailbox_close(mbx);
    if (st)
        ms_store_close(st);
    return done_testing();
}
