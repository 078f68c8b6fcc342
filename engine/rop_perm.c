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

uint32_t rop_perm_rights(rop_ctx_t *c, ms_id_t fid, const char *user, uint32_t *rights)
{
    ms_mailbox_info_t info;
    ms_mailbox_info_t *uinfo = NULL;
    ms_mailbox_t *mbx, *umbx = NULL;
    ms_acl_entry_t *e;
    size_t n, i;
    uint32_t ec;
    int64_t want = user && *user ? MS_ACL_MEMBER_DEFAULT : MS_ACL_MEMBER_ANONYMOUS;
    *rights = 0;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_folder_exists(NULL, mbx, fid))) != MAPI_EC_SUCCESS)
        return ec;
    if (ms_mailbox_info(mbx, &info) != MS_OK)
        return MAPI_EC_UNKNOWN_USER;
    if (user && *user && strcasecmp(user, info.login) == 0) {
        *rights = PERM_ALL; /* the owner */
        return MAPI_EC_SUCCESS;
    }
    if ((ec = acl_load(NULL, mbx, fid, &e, &n)) != MAPI_EC_SUCCESS)
        return ec;
    if (user && *user && c->ectx->store &&
        ms_mailbox_open(c->ectx->store, MS_LOOKUP_LOGIN, user, &umbx) == MS_OK &&
        (uinfo = malloc(sizeof(*uinfo))) && ms_mailbox_info(umbx, uinfo) == MS_OK) {
        size_t dl = strlen(uinfo->legacy_dn);
        for (i = 0; i < n; i++) {
            size_t l;
            const char *dn = eid_dn(e[i].entryid, e[i].entryid_len, &l);
            if (dn && l == dl && strncasecmp(dn, uinfo->legacy_dn, l) == 0) {
                *rights = e[i].rights;
                want = 1; /* found: no fallback */
                break;
            }
        }
    }
    if (umbx)
        ms_mailbox_close(umbx);
    free(uinfo);
    if (want <= 0)
        for (i = 0; i < n; i++)
            if (e[i].member_id == want)
                *rights = e[i].rights;
    free(e);
    return MAPI_EC_SUCCESS;
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
