/*
 * rop_perm.c - folder permissions ([MS-OXCPERM] 2.2.1-2.2.7, server
 * behaviour 3.2.5): RopGetPermissionsTable, RopModifyPermissions, and
 * rop_perm_rights() for the areas that enforce them. The list is kept
 * per folder in the store (ms_acl_get/set); the Default (id 0) and
 * Anonymous (id -1) members are always in the table, with no rights until
 * they are given some.
 */
#include "rop_rules.h"
#include "rop_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PR_MEMBER_ID     0x66710014u
#define PR_MEMBER_NAME   0x6672001Fu
#define PR_MEMBER_RIGHTS 0x66730003u
#define PR_ENTRYID_TAG   0x0FFF0102u

/* ModifyFlags (2.2.2.1), DataFlags of PermissionData (2.2.2.1.1),
 * TableFlags of RopGetPermissionsTable (2.2.1.1) */
#define MODIFY_REPLACE_ROWS      0x01
#define MODIFY_INCLUDE_FREEBUSY  0x02
#define ROW_ADD    0x01
#define ROW_MODIFY 0x02
#define ROW_REMOVE 0x04
#define TABLE_INCLUDE_FREEBUSY   0x02

/* Address Book EntryID ([MS-OXCDATA] 2.2.5.2): Flags, ProviderUID,
 * Version 1, Type, X500DN (NUL-terminated). */
static const uint8_t AB_PROVIDER[16] = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                                        0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
#define AB_EID_HEADER 28

/* The X500 DN an address-book entry id names (points into eid), or NULL. */
static const char *eid_dn(const uint8_t *eid, size_t len, size_t *dn_len)
{
    const uint8_t *nul;
    if (len <= AB_EID_HEADER || memcmp(eid + 4, AB_PROVIDER, 16) != 0)
        return NULL;
    nul = memchr(eid + AB_EID_HEADER, 0, len - AB_EID_HEADER);
    *dn_len = nul ? (size_t)(nul - (eid + AB_EID_HEADER)) : len - AB_EID_HEADER;
    return *dn_len ? (const char *)eid + AB_EID_HEADER : NULL;
}

static int same_member(const ms_acl_entry_t *a, const uint8_t *eid, size_t len)
{
    size_t la, lb;
    const char *da = eid_dn(a->entryid, a->entryid_len, &la), *db = eid_dn(eid, len, &lb);
    return da && db && la == lb && strncasecmp(da, db, la) == 0;
}

/* The list with Default and Anonymous present (malloc'd). */
static uint32_t acl_load(ms_txn_t *txn, ms_mailbox_t *mbx, uint64_t fid, ms_acl_entry_t **out, size_t *n)
{
    ms_acl_entry_t *e = NULL, *ne;
    int have_def = 0, have_anon = 0;
    size_t i;
    uint32_t ec = rop_ec(ms_acl_get(txn, mbx, fid, &e, n));
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    for (i = 0; i < *n; i++) {
        have_def |= e[i].member_id == MS_ACL_MEMBER_DEFAULT;
        have_anon |= e[i].member_id == MS_ACL_MEMBER_ANONYMOUS;
    }
    if (!(ne = realloc(e, (*n + 2) * sizeof(*e)))) {
        free(e);
        return MAPI_EC_SERVER_OOM;
    }
    e = ne;
    if (!have_def) {
        memmove(e + 1, e, *n * sizeof(*e));
        memset(e, 0, sizeof(*e));
        e[0].member_id = MS_ACL_MEMBER_DEFAULT;
        (*n)++;
    }
    if (!have_anon) {
        memmove(e + 2, e + 1, (*n - 1) * sizeof(*e));
        memset(e + 1, 0, sizeof(*e));
        e[1].member_id = MS_ACL_MEMBER_ANONYMOUS;
        snprintf(e[1].name, sizeof(e[1].name), "Anonymous");
        (*n)++;
    }
    *out = e;
    return MAPI_EC_SUCCESS;
}

/* The legacyExchangeDN of a login's own mailbox, or -1 (unknown user). */
static int login_dn(ms_store_t *st, const char *user, char *dn, size_t size)
{
    ms_mailbox_t *umbx = NULL;
    ms_mailbox_info_t *uinfo;
    int r = -1;
    if (!st || !user || !*user || ms_mailbox_open(st, MS_LOOKUP_LOGIN, user, &umbx) != MS_OK)
        return -1;
    if ((uinfo = malloc(sizeof(*uinfo))) && ms_mailbox_info(umbx, uinfo) == MS_OK && uinfo->legacy_dn[0]) {
        snprintf(dn, size, "%s", uinfo->legacy_dn);
        r = 0;
    }
    free(uinfo);
    ms_mailbox_close(umbx);
    return r;
}

/* 3.2.5.1: the member whose entry id names dn, else the Default member
 * (Anonymous for anonymous users); absent members have no rights. */
static uint32_t acl_rights(const ms_acl_entry_t *e, size_t n, const char *dn, int anonymous)
{
    int64_t want = anonymous ? MS_ACL_MEMBER_ANONYMOUS : MS_ACL_MEMBER_DEFAULT;
    size_t i, dl = dn ? strlen(dn) : 0;
    uint32_t r = 0;
    for (i = 0; dn && i < n; i++) {
        size_t l;
        const char *d = eid_dn(e[i].entryid, e[i].entryid_len, &l);
        if (d && l == dl && strncasecmp(d, dn, l) == 0)
            return e[i].rights;
    }
    for (i = 0; i < n; i++)
        if (e[i].member_id == want)
            r = e[i].rights;
    return r;
}

/* The owner: the login the mailbox was created for. */
static int is_owner(ms_mailbox_t *mbx, const char *user, uint32_t *ec)
{
    ms_mailbox_info_t *info = malloc(sizeof(*info));
    int r = 0;
    *ec = MAPI_EC_SUCCESS;
    if (!info)
        *ec = MAPI_EC_SERVER_OOM;
    else if (ms_mailbox_info(mbx, info) != MS_OK)
        *ec = MAPI_EC_UNKNOWN_USER;
    else
        r = user && *user && strcasecmp(user, info->login) == 0;
    free(info);
    return r;
}

/* The rights of a non-owner (dn NULL: unknown or anonymous) on fid. */
static uint32_t member_rights(ms_mailbox_t *mbx, ms_id_t fid, const char *dn, int anonymous, uint32_t *rights)
{
    ms_acl_entry_t *e = NULL;
    size_t n = 0;
    uint32_t ec = rop_ec(ms_acl_get(NULL, mbx, fid, &e, &n));
    if (ec == MAPI_EC_SUCCESS)
        *rights = acl_rights(e, n, dn, anonymous);
    free(e);
    return ec;
}

uint32_t rop_perm_rights(rop_ctx_t *c, ms_id_t fid, const char *user, uint32_t *rights)
{
    ms_mailbox_t *mbx;
    char dn[512];
    uint32_t ec;
    int anonymous = !user || !*user;
    *rights = 0;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_folder_exists(NULL, mbx, fid))) != MAPI_EC_SUCCESS)
        return ec;
    if (is_owner(mbx, user, &ec)) {
        *rights = PERM_ALL;
        return MAPI_EC_SUCCESS;
    }
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (anonymous || login_dn(c->ectx->store, user, dn, sizeof(dn)) != 0)
        return member_rights(mbx, fid, NULL, anonymous, rights);
    return member_rights(mbx, fid, dn, 0, rights);
}

uint32_t rop_perm_need(rop_ctx_t *c, ms_id_t fid, uint32_t need)
{
    uint32_t rights = 0, ec = rop_perm_rights(c, fid, c->ectx->user, &rights);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    return (rights & need) == need ? MAPI_EC_SUCCESS : MAPI_EC_ACCESS_DENIED;
}

/* PidTagCreatorEntryId: the address-book entry id of the user who created
 * a message, which the *Owned rights go by. */
#define PR_CREATOR_ENTRYID_TAG 0x3FF90102u

size_t rop_perm_user_entryid(rop_ctx_t *c, uint8_t *out, size_t size)
{
    char dn[512];
    size_t dl;
    if (login_dn(c->ectx->store, c->ectx->user, dn, sizeof(dn)) != 0)
        return 0;
    dl = strlen(dn);
    if (AB_EID_HEADER + dl + 1 > size)
        return 0;
    memset(out, 0, AB_EID_HEADER);
    memcpy(out + 4, AB_PROVIDER, 16);
    out[20] = 1; /* Version */
    memcpy(out + AB_EID_HEADER, dn, dl + 1); /* Type 0: a mailbox user */
    return AB_EID_HEADER + dl + 1;
}

int rop_perm_is_owner(rop_ctx_t *c)
{
    ms_mailbox_t *mbx;
    uint32_t ec;
    return (mbx = rop_mailbox(c, &ec)) != NULL && is_owner(mbx, c->ectx->user, &ec);
}

uint32_t rop_perm_creator_tag(void)
{
    return PR_CREATOR_ENTRYID_TAG;
}

/* Whether the message's creator (entry id eid) is the session's user. */
static int created_by_user(rop_ctx_t *c, const uint8_t *eid, size_t len)
{
    char dn[512];
    size_t l;
    const char *d = eid ? eid_dn(eid, len, &l) : NULL;
    return d && login_dn(c->ectx->store, c->ectx->user, dn, sizeof(dn)) == 0 && l == strlen(dn) &&
           strncasecmp(d, dn, l) == 0;
}

uint32_t rop_perm_need_message(rop_ctx_t *c, ms_id_t fid, ms_id_t mid, uint32_t any, uint32_t owned)
{
    ms_mailbox_t *mbx;
    ms_message_t *m;
    const ms_propval_t *v;
    uint32_t rights = 0, ec = rop_perm_rights(c, fid, c->ectx->user, &rights);
    int mine = 0;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if ((rights & any) == any)
        return MAPI_EC_SUCCESS;
    if (!owned || (rights & owned) != owned || !mid)
        return MAPI_EC_ACCESS_DENIED;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if (ms_message_open(NULL, mbx, fid, mid, &m) != MS_OK)
        return MAPI_EC_ACCESS_DENIED;
    v = ms_message_get_prop(m, PR_CREATOR_ENTRYID_TAG);
    mine = v && MS_PROP_TYPE(v->tag) == MS_PT_BINARY && created_by_user(c, v->value.bin.pb, v->value.bin.cb);
    ms_message_free(m);
    return mine ? MAPI_EC_SUCCESS : MAPI_EC_ACCESS_DENIED;
}

uint32_t rop_perm_visible_filter(rop_ctx_t *c, ms_txn_t *txn, ms_id_t parent, int depth, ms_restriction_t **out)
{
    static const uint32_t cols[] = {MS_PR_FID};
    ms_mailbox_t *mbx;
    ms_table_t *t;
    ms_rowset_t rs;
    ms_restriction_t *r, *any;
    char dn[512];
    const char *udn = NULL;
    uint32_t i, n, ec, rights, cap = 16, count = 0;
    int anonymous = !c->ectx->user || !*c->ectx->user;
    *out = NULL;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if (is_owner(mbx, c->ectx->user, &ec) || ec != MAPI_EC_SUCCESS)
        return ec;
    if (!anonymous && login_dn(c->ectx->store, c->ectx->user, dn, sizeof(dn)) == 0)
        udn = dn;
    if (!(r = mapi_arena_calloc(c->arena, 1, sizeof(*r))) || !(any = mapi_arena_calloc(c->arena, cap, sizeof(*any))))
        return MAPI_EC_SERVER_OOM;
    if ((ec = rop_ec(ms_table_open(txn, mbx, MS_TABLE_HIERARCHY, parent, depth ? MS_TABLE_DEPTH : 0, &t))) !=
        MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(ms_table_set_columns(t, cols, 1));
    while (ec == MAPI_EC_SUCCESS && (ec = rop_ec(ms_table_query(txn, t, 256, 0, &rs))) == MAPI_EC_SUCCESS) {
        n = rs.count;
        for (i = 0; i < n && ec == MAPI_EC_SUCCESS; i++) {
            ms_id_t fid;
            if (MS_PROP_TYPE(rs.rows[i][0].tag) != MS_PT_I8)
                continue;
            fid = (ms_id_t)rs.rows[i][0].value.li;
            rights = 0;
            if (member_rights(mbx, fid, udn, anonymous, &rights) != MAPI_EC_SUCCESS ||
                !(rights & PERM_FOLDER_VISIBLE))
                continue;
            if (count == cap) {
                ms_restriction_t *bigger = mapi_arena_calloc(c->arena, cap * 2, sizeof(*bigger));
                if (!bigger) {
                    ec = MAPI_EC_SERVER_OOM;
                    break;
                }
                memcpy(bigger, any, cap * sizeof(*any));
                any = bigger;
                cap *= 2;
            }
            any[count].type = MS_RES_PROPERTY;
            any[count].u.prop.relop = MS_RELOP_EQ;
            any[count].u.prop.tag = MS_PR_FID;
            any[count].u.prop.val.tag = MS_PR_FID;
            any[count++].u.prop.val.value.li = (int64_t)fid;
        }
        ms_rowset_free(&rs);
        if (n == 0)
            break;
    }
    ms_table_close(t);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (count == 0) { /* nothing visible: NOT(EXISTS PidTagFolderId) matches no row */
        any[0].type = MS_RES_EXIST;
        any[0].u.exist.tag = MS_PR_FID;
        r->type = MS_RES_NOT;
        r->u.not_.res = any;
    } else {
        r->type = MS_RES_OR;
        r->u.andor.count = count;
        r->u.andor.res = any;
    }
    *out = r;
    return MAPI_EC_SUCCESS;
}

/* PidTagAccess bits ([MS-OXCPRPT] 2.2.1.1) */
#define ACCESS_MODIFY    0x01
#define ACCESS_READ      0x02
#define ACCESS_DELETE    0x04
#define ACCESS_HIERARCHY 0x08
#define ACCESS_CONTENTS  0x10
#define ACCESS_ASSOC     0x20

void rop_perm_folder_access(uint32_t rights, int32_t *access, int32_t *level)
{
    int32_t a = 0;
    if (rights & (PERM_FOLDER_VISIBLE | PERM_READ_ANY))
        a |= ACCESS_READ;
    if (rights & PERM_FOLDER_OWNER)
        a |= ACCESS_MODIFY | ACCESS_DELETE | ACCESS_ASSOC;
    if (rights & PERM_CREATE_SUBFOLDER)
        a |= ACCESS_HIERARCHY;
    if (rights & PERM_CREATE)
        a |= ACCESS_CONTENTS;
    *access = a;
    *level = (a & (ACCESS_MODIFY | ACCESS_CONTENTS)) ? 1 : 0;
}

void rop_perm_message_access(uint32_t rights, int32_t *access, int32_t *level)
{
    int32_t a = 0;
    if (rights & PERM_READ_ANY)
        a |= ACCESS_READ;
    if (rights & PERM_EDIT_ANY)
        a |= ACCESS_MODIFY;
    if (rights & PERM_DELETE_ANY)
        a |= ACCESS_DELETE;
    *access = a;
    *level = (a & ACCESS_MODIFY) ? 1 : 0;
}

/* Every folder of the mailbox (the root and its whole subtree), in turn. */
static uint32_t any_folder_rights(ms_mailbox_t *mbx, const char *dn, int *granted)
{
    static const uint32_t cols[] = {MS_PR_FID};
    ms_table_t *t;
    ms_rowset_t rs;
    uint32_t rights = 0, i, n, ec = member_rights(mbx, ms_special_folder_id(MS_FOLDER_ROOT), dn, 0, &rights);
    *granted = ec == MAPI_EC_SUCCESS && (rights & ~PERM_FREEBUSY) != 0;
    if (ec != MAPI_EC_SUCCESS || *granted)
        return ec;
    if ((ec = rop_ec(ms_table_open(NULL, mbx, MS_TABLE_HIERARCHY, ms_special_folder_id(MS_FOLDER_ROOT),
                                   MS_TABLE_DEPTH, &t))) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(ms_table_set_columns(t, cols, 1));
    while (ec == MAPI_EC_SUCCESS && !*granted && (ec = rop_ec(ms_table_query(NULL, t, 256, 0, &rs))) == MAPI_EC_SUCCESS) {
        n = rs.count;
        for (i = 0; i < n && !*granted && ec == MAPI_EC_SUCCESS; i++)
            if (MS_PROP_TYPE(rs.rows[i][0].tag) == MS_PT_I8 &&
                (ec = member_rights(mbx, (ms_id_t)rs.rows[i][0].value.li, dn, 0, &rights)) == MAPI_EC_SUCCESS)
                *granted = (rights & ~PERM_FREEBUSY) != 0;
        ms_rowset_free(&rs);
        if (n == 0)
            break;
    }
    ms_table_close(t);
    return ec;
}

uint32_t rop_perm_mailbox_access(ms_store_t *st, ms_mailbox_t *mbx, const char *user, int *owner, int *granted)
{
    char dn[512];
    uint32_t ec;
    *granted = 0;
    if ((*owner = is_owner(mbx, user, &ec)) != 0) {
        *granted = 1;
        return MAPI_EC_SUCCESS;
    }
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!user || !*user)
        return MAPI_EC_SUCCESS; /* no anonymous logons */
    return any_folder_rights(mbx, login_dn(st, user, dn, sizeof(dn)) == 0 ? dn : NULL, granted);
}

static uint32_t perm_rows(rop_ctx_t *c, uint64_t fid, uint8_t flags, mapi_proplist_t **rows, uint32_t *n)
{
    ms_mailbox_t *mbx;
    ms_acl_entry_t *e;
    size_t ne, i;
    uint32_t ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = acl_load(NULL, mbx, fid, &e, &ne)) != MAPI_EC_SUCCESS)
        return ec;
    if (!(*rows = mapi_arena_calloc(c->arena, ne, sizeof(**rows)))) {
        free(e);
        return MAPI_EC_SERVER_OOM;
    }
    for (i = 0; i < ne; i++) {
        mapi_propval_t *v = mapi_arena_calloc(c->arena, 4, sizeof(*v));
        if (!v || !(v[1].v.str = mapi_arena_strndup(c->arena, e[i].name, strlen(e[i].name)))) {
            free(e);
            return MAPI_EC_SERVER_OOM;
        }
        v[0].tag = PR_MEMBER_ID;
        v[0].v.i64 = e[i].member_id;
        v[1].tag = PR_MEMBER_NAME;
        v[2].tag = PR_ENTRYID_TAG; /* empty for Default and Anonymous (2.2.4) */
        v[2].v.bin.len = e[i].entryid_len;
        v[2].v.bin.data = e[i].entryid_len ? mapi_arena_memdup(c->arena, e[i].entryid, e[i].entryid_len) : NULL;
        v[3].tag = PR_MEMBER_RIGHTS;
        /* without IncludeFreeBusy the free/busy flags are not shown (2.2.1.1) */
        v[3].v.i32 = (int32_t)(flags & TABLE_INCLUDE_FREEBUSY ? e[i].rights : e[i].rights & ~PERM_FREEBUSY);
        (*rows)[i].vals = v;
        (*rows)[i].count = 4;
    }
    *n = (uint32_t)ne;
    free(e);
    return MAPI_EC_SUCCESS;
}

/* The table area's row source for ROP_TABLE_PERMISSIONS (rop_table.h). */
uint32_t rop_permissions_table_rows(rop_ctx_t *c, uint64_t fid, uint8_t table_flags, const uint32_t *cols,
                                    size_t ncols, ms_rowset_t *out)
{
    mapi_proplist_t *rows = NULL;
    uint32_t n = 0, ec;
    if ((ec = perm_rows(c, fid, table_flags, &rows, &n)) != MAPI_EC_SUCCESS)
        return ec;
    return rop_rules_rowset(c, rows, n, cols, ncols, out);
}

/* 2.2.1 RopGetPermissionsTable (on a folder). */
uint32_t rop_get_permissions_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    uint64_t fid;
    uint32_t rows, ec = rop_rules_folder(c, req->in_idx, &fid);
    ms_mailbox_t *mbx;
    (void)resp;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (req->u.table.table_flags & ~TABLE_INCLUDE_FREEBUSY)
        return MAPI_EC_INVALID_PARAMETER;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_folder_exists(NULL, mbx, fid))) != MAPI_EC_SUCCESS)
        return ec;
    return rop_table_open(c, req, ROP_TABLE_PERMISSIONS, fid, req->u.table.table_flags, &rows);
}

/* ---- RopModifyPermissions ---- */

typedef struct {
    ms_acl_entry_t *e;
    size_t n;
} acl_t;

static ms_acl_entry_t *acl_find(acl_t *a, int64_t id)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (a->e[i].member_id == id)
            return &a->e[i];
    return NULL;
}

/* New rights; without IncludeFreeBusy the member's free/busy flags stay. */
static uint32_t new_rights(uint32_t old, int32_t asked, uint8_t modify_flags)
{
    uint32_t r = (uint32_t)asked & PERM_ALL;
    if (!(modify_flags & MODIFY_INCLUDE_FREEBUSY))
        r = (r & ~PERM_FREEBUSY) | (old & PERM_FREEBUSY);
    return r;
}

/* AddRow: PidTagEntryId names a mailbox of the directory; the member's
 * name is its display name. A member already in the list is updated. */
static uint32_t acl_add(rop_ctx_t *c, acl_t *a, const mapi_proplist_t *pl, uint8_t mflags)
{
    const mapi_propval_t *eid = mapi_propval_find(pl->vals, pl->count, PR_ENTRYID_TAG);
    const mapi_propval_t *rt = mapi_propval_find(pl->vals, pl->count, PR_MEMBER_RIGHTS);
    ms_mailbox_t *umbx = NULL;
    ms_mailbox_info_t *info;
    ms_acl_entry_t *e;
    char dn[MS_ACL_ENTRYID_MAX + 1];
    const char *d;
    size_t dl, i;
    int64_t id = 1;
    uint32_t ec = MAPI_EC_SUCCESS;
    if (!eid || !rt || eid->v.bin.len > MS_ACL_ENTRYID_MAX || !(d = eid_dn(eid->v.bin.data, eid->v.bin.len, &dl)))
        return MAPI_EC_INVALID_PARAMETER;
    for (i = 0; i < a->n; i++) {
        if (same_member(&a->e[i], eid->v.bin.data, eid->v.bin.len)) {
            a->e[i].rights = new_rights(a->e[i].rights, rt->v.i32, mflags);
            return MAPI_EC_SUCCESS;
        }
        if (a->e[i].member_id >= id)
            id = a->e[i].member_id + 1;
    }
    if (a->n >= MS_ACL_MAX)
        return MAPI_EC_TABLE_TOO_BIG;
    memcpy(dn, d, dl);
    dn[dl] = '\0';
    if (!c->ectx->store || ms_mailbox_open(c->ectx->store, MS_LOOKUP_LEGACYDN, dn, &umbx) != MS_OK)
        return MAPI_EC_NOT_FOUND; /* no such user in the directory */
    if (!(info = malloc(sizeof(*info)))) {
        ms_mailbox_close(umbx);
        return MAPI_EC_SERVER_OOM;
    }
    if (ms_mailbox_info(umbx, info) != MS_OK)
        ec = MAPI_EC_NOT_FOUND;
    if (ec == MAPI_EC_SUCCESS) {
        e = &a->e[a->n++];
        memset(e, 0, sizeof(*e));
        e->member_id = id;
        e->rights = new_rights(0, rt->v.i32, mflags);
        snprintf(e->name, sizeof(e->name), "%s", info->display_name);
        e->entryid_len = eid->v.bin.len;
        memcpy(e->entryid, eid->v.bin.data, eid->v.bin.len);
    }
    free(info);
    ms_mailbox_close(umbx);
    return ec;
}

static uint32_t apply_perm_row(rop_ctx_t *c, acl_t *a, const mapi_rop_flagged_props_t *row, uint8_t mflags)
{
    const mapi_propval_t *mid = mapi_propval_find(row->props.vals, row->props.count, PR_MEMBER_ID);
    const mapi_propval_t *rt = mapi_propval_find(row->props.vals, row->props.count, PR_MEMBER_RIGHTS);
    ms_acl_entry_t *e;
    switch (row->data_flags) {
    case ROW_ADD:
        return acl_add(c, a, &row->props, mflags);
    case ROW_MODIFY:
        if (!mid || !rt)
            return MAPI_EC_INVALID_PARAMETER;
        if (!(e = acl_find(a, mid->v.i64)))
            return MAPI_EC_NOT_FOUND;
        e->rights = new_rights(e->rights, rt->v.i32, mflags);
        return MAPI_EC_SUCCESS;
    case ROW_REMOVE:
        if (!mid)
            return MAPI_EC_INVALID_PARAMETER;
        if (mid->v.i64 == MS_ACL_MEMBER_DEFAULT || mid->v.i64 == MS_ACL_MEMBER_ANONYMOUS)
            return MAPI_EC_INVALID_PARAMETER; /* they are always there; ModifyRow sets their rights */
        if (!(e = acl_find(a, mid->v.i64)))
            return MAPI_EC_NOT_FOUND;
        *e = a->e[--a->n];
        return MAPI_EC_SUCCESS;
    }
    return MAPI_EC_INVALID_PARAMETER;
}

/* 2.2.2 RopModifyPermissions; 3.2.5.2: every change or none. With
 * ReplaceRows every entry but the Default member's is replaced by the
 * rows, which must all be AddRow (Anonymous stays in the table, with no
 * rights unless a row gives some). Only a folder owner may change them. */
uint32_t rop_modify_permissions(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    ms_txn_t *txn = NULL;
    ms_acl_entry_t *loaded = NULL;
    acl_t a;
    size_t n = 0, i, keep;
    uint64_t fid;
    uint32_t ec, rights = 0;
    uint8_t flags = req->u.modify_permissions.flags;
    (void)resp;
    if ((ec = rop_rules_folder(c, req->in_idx, &fid)) != MAPI_EC_SUCCESS)
        return ec;
    if (flags & ~(MODIFY_REPLACE_ROWS | MODIFY_INCLUDE_FREEBUSY))
        return MAPI_EC_INVALID_PARAMETER;
    if ((ec = rop_perm_rights(c, fid, c->ectx->user, &rights)) != MAPI_EC_SUCCESS)
        return ec;
    if (!(rights & PERM_FOLDER_OWNER))
        return MAPI_EC_ACCESS_DENIED;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_WRITE, &txn))) != MAPI_EC_SUCCESS)
        return ec;
    ec = acl_load(txn, mbx, fid, &loaded, &n);
    a.e = NULL;
    a.n = 0;
    if (ec == MAPI_EC_SUCCESS && !(a.e = calloc(n + req->u.modify_permissions.count + 1, sizeof(*a.e))))
        ec = MAPI_EC_SERVER_OOM;
    for (i = keep = 0; ec == MAPI_EC_SUCCESS && i < n; i++)
        if (!(flags & MODIFY_REPLACE_ROWS) || loaded[i].member_id == MS_ACL_MEMBER_DEFAULT)
            a.e[keep++] = loaded[i]; /* Anonymous is replaced too: it comes back with no rights */
    a.n = keep;
    for (i = 0; ec == MAPI_EC_SUCCESS && i < req->u.modify_permissions.count; i++) {
        const mapi_rop_flagged_props_t *row = &req->u.modify_permissions.rows[i];
        if ((flags & MODIFY_REPLACE_ROWS) && row->data_flags != ROW_ADD)
            ec = MAPI_EC_INVALID_PARAMETER;
        else
            ec = apply_perm_row(c, &a, row, flags);
    }
    if (ec == MAPI_EC_SUCCESS)
        ec = rop_ec(ms_acl_set(txn, mbx, fid, a.e, a.n));
    if (ec == MAPI_EC_SUCCESS) {
        ec = rop_ec(ms_txn_commit(txn));
        txn = NULL;
    }
    ms_txn_abort(txn);
    free(loaded);
    free(a.e);
    return ec;
}
