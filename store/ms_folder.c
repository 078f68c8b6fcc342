/*
 * ms_folder.c - folders ([MS-OXCFOLD]) and the private mailbox's special
 * folders ([MS-OXOSFLD] 2.2.1, entry-id properties 2.2.3 / 2.2.4).
 * dbi "folders": mbx|fid(6) -> ms_folder_rec_t; dbi "children":
 * mbx|parent(6)|child(6) -> empty; properties in "objs" kind 'F'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ms_internal.h"

static const struct {
    int parent;              /* ms_special_t, -1 for the root */
    const char *name;
    const char *cls;         /* PR_CONTAINER_CLASS or NULL */
    int search;
} specials[MS_FOLDER_SPECIAL_COUNT] = {
    [MS_FOLDER_ROOT] = {-1, "Root", NULL, 0},
    [MS_FOLDER_DEFERRED_ACTION] = {MS_FOLDER_ROOT, "Deferred Action", NULL, 0},
    [MS_FOLDER_SPOOLER_QUEUE] = {MS_FOLDER_ROOT, "Spooler Queue", NULL, 0},
    [MS_FOLDER_IPM_SUBTREE] = {MS_FOLDER_ROOT, "Top of Information Store", NULL, 0},
    [MS_FOLDER_INBOX] = {MS_FOLDER_IPM_SUBTREE, "Inbox", "IPF.Note", 0},
    [MS_FOLDER_OUTBOX] = {MS_FOLDER_IPM_SUBTREE, "Outbox", "IPF.Note", 0},
    [MS_FOLDER_SENT_ITEMS] = {MS_FOLDER_IPM_SUBTREE, "Sent Items", "IPF.Note", 0},
    [MS_FOLDER_DELETED_ITEMS] = {MS_FOLDER_IPM_SUBTREE, "Deleted Items", "IPF.Note", 0},
    [MS_FOLDER_COMMON_VIEWS] = {MS_FOLDER_ROOT, "Common Views", NULL, 0},
    [MS_FOLDER_SCHEDULE] = {MS_FOLDER_ROOT, "Schedule", NULL, 0},
    [MS_FOLDER_FINDER] = {MS_FOLDER_ROOT, "Finder", NULL, 0},
    [MS_FOLDER_VIEWS] = {MS_FOLDER_ROOT, "Views", NULL, 0},
    [MS_FOLDER_SHORTCUTS] = {MS_FOLDER_ROOT, "Shortcuts", NULL, 0},
    [MS_FOLDER_CALENDAR] = {MS_FOLDER_IPM_SUBTREE, "Calendar", "IPF.Appointment", 0},
    [MS_FOLDER_CONTACTS] = {MS_FOLDER_IPM_SUBTREE, "Contacts", "IPF.Contact", 0},
    [MS_FOLDER_JOURNAL] = {MS_FOLDER_IPM_SUBTREE, "Journal", "IPF.Journal", 0},
    [MS_FOLDER_NOTES] = {MS_FOLDER_IPM_SUBTREE, "Notes", "IPF.StickyNote", 0},
    [MS_FOLDER_TASKS] = {MS_FOLDER_IPM_SUBTREE, "Tasks", "IPF.Task", 0},
    [MS_FOLDER_DRAFTS] = {MS_FOLDER_IPM_SUBTREE, "Drafts", "IPF.Note", 0},
    [MS_FOLDER_JUNK] = {MS_FOLDER_IPM_SUBTREE, "Junk E-mail", "IPF.Note", 0},
    [MS_FOLDER_SYNC_ISSUES] = {MS_FOLDER_IPM_SUBTREE, "Sync Issues", "IPF.Note", 0},
    [MS_FOLDER_CONFLICTS] = {MS_FOLDER_SYNC_ISSUES, "Conflicts", "IPF.Note", 0},
    [MS_FOLDER_LOCAL_FAILURES] = {MS_FOLDER_SYNC_ISSUES, "Local Failures", "IPF.Note", 0},
    [MS_FOLDER_SERVER_FAILURES] = {MS_FOLDER_SYNC_ISSUES, "Server Failures", "IPF.Note", 0},
    [MS_FOLDER_RSS_FEEDS] = {MS_FOLDER_IPM_SUBTREE, "RSS Feeds", "IPF.Note.OutlookHomepage", 0},
    [MS_FOLDER_CONVERSATION_ACTIONS] = {MS_FOLDER_IPM_SUBTREE, "Conversation Action Settings",
                                        "IPF.Configuration", 0},
    [MS_FOLDER_QUICKSTEP_SETTINGS] = {MS_FOLDER_IPM_SUBTREE, "Quick Step Settings",
                                      "IPF.Configuration", 0},
    [MS_FOLDER_REMINDERS] = {MS_FOLDER_ROOT, "Reminders", "Outlook.Reminder", 1},
    [MS_FOLDER_TODO_SEARCH] = {MS_FOLDER_ROOT, "To-Do Search", "IPF.Task", 1},
    [MS_FOLDER_SUGGESTED_CONTACTS] = {MS_FOLDER_IPM_SUBTREE, "Suggested Contacts", "IPF.Contact", 0},
    [MS_FOLDER_TRACKED_MAIL] = {MS_FOLDER_ROOT, "Tracked Mail Processing", NULL, 0},
    [MS_FOLDER_FREEBUSY_DATA] = {MS_FOLDER_ROOT, "Freebusy Data", NULL, 0},
};

ms_id_t ms_special_folder_id(ms_special_t which)
{
    if ((int)which < 0 || which >= MS_FOLDER_SPECIAL_COUNT)
        return 0;
    return ms_id_make(MS_REPLID, (uint64_t)which + 1);
}

const char *ms_special_folder_name(ms_special_t which)
{
    if ((int)which < 0 || which >= MS_FOLDER_SPECIAL_COUNT)
        return NULL;
    return specials[which].name;
}

int ms_special_folder_by_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < MS_FOLDER_SPECIAL_COUNT; i++)
        if (!strcasecmp(name, specials[i].name))
            return i;
    if (!strcasecmp(name, "IPM_SUBTREE") || !strcasecmp(name, "IPM"))
        return MS_FOLDER_IPM_SUBTREE;
    return -1;
}

static int is_special(uint64_t fgc)
{
    return fgc >= 1 && fgc <= MS_FOLDER_SPECIAL_COUNT;
}

static size_t fkey(uint8_t *k, const ms_txn_t *txn, uint64_t fgc)
{
    ms__key_mbx(k, txn->mbx->mbx_id);
    ms__put_be(k + 4, fgc, 6);
    return 10;
}

static size_t ckey(uint8_t *k, const ms_txn_t *txn, uint64_t parent, uint64_t child)
{
    ms__key_mbx(k, txn->mbx->mbx_id);
    ms__put_be(k + 4, parent, 6);
    ms__put_be(k + 10, child, 6);
    return 16;
}

ms_err_t ms__folder_rec(ms_txn_t *txn, uint64_t fgc, ms_folder_rec_t *r)
{
    uint8_t k[10];
    MDB_val v;
    ms_err_t rc = ms__get(txn, txn->db->folders, k, fkey(k, txn, fgc), &v);
    if (rc == MS_E_NOT_FOUND)
        return ms__err(MS_E_NOT_FOUND, "no folder %llu", (unsigned long long)fgc);
    if (rc != MS_OK)
        return rc;
    if (v.mv_size != sizeof(*r))
        return ms__err(MS_E_JET, "folder record has wrong size");
    memcpy(r, v.mv_data, sizeof(*r));
    return MS_OK;
}

ms_err_t ms__folder_rec_put(ms_txn_t *txn, uint64_t fgc, const ms_folder_rec_t *r)
{
    uint8_t k[10];
    return ms__put(txn, txn->db->folders, k, fkey(k, txn, fgc), r, sizeof(*r));
}

ms_err_t ms__folder_touch(ms_txn_t *txn, uint64_t fgc)
{
    ms_folder_rec_t r;
    ms_err_t rc = ms__folder_rec(txn, fgc, &r);
    if (rc != MS_OK)
        return rc;
    r.change_counter++;
    ms_mbx_rec_t *mr;
    if ((rc = ms__mbx_rec(txn, &mr)) != MS_OK)
        return rc;
    return ms__folder_rec_put(txn, fgc, &r);
}

/* Children of a folder (globcnts), allocated. */
static ms_err_t list_children(ms_txn_t *txn, uint64_t parent, uint64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    MDB_cursor *c;
    int r = mdb_cursor_open(txn->txn, txn->db->children, &c);
    if (r)
        return ms__mdb(r, "cursor");
    uint8_t pre[16];
    ckey(pre, txn, parent, 0);
    MDB_val k = {10, pre}, v;
    size_t cap = 0;
    ms_err_t rc = MS_OK;
    for (int g = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); !g; g = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 16 || memcmp(k.mv_data, pre, 10))
            break;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            uint64_t *nn = realloc(*out, cap * sizeof(uint64_t));
            if (!nn) {
                rc = MS_E_NOMEM;
                break;
            }
            *out = nn;
        }
        (*out)[(*n)++] = ms__get_be((const uint8_t *)k.mv_data + 10, 6);
    }
    mdb_cursor_close(c);
    return rc;
}

/* Child with this display name (case-insensitive), 0 if none. */
static ms_err_t find_child(ms_txn_t *txn, uint64_t parent, const char *name, uint64_t *found)
{
    uint64_t *ch;
    size_t n;
    *found = 0;
    ms_err_t rc = list_children(txn, parent, &ch, &n);
    for (size_t i = 0; rc == MS_OK && i < n && !*found; i++) {
        uint8_t k[MS_OBJKEY_LEN];
        ms_propset_t ps = {0};
        rc = ms__obj_read(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_FOLDER, ch[i], 0), &ps);
        if (rc == MS_E_NOT_FOUND)
            rc = MS_OK;
        ms_propval_t *dn = ms__ps_find(&ps, MS_PR_DISPLAY_NAME);
        if (dn && !strcasecmp(dn->value.str, name))
            *found = ch[i];
        ms__ps_free(&ps);
    }
    free(ch);
    return rc;
}

static ms_err_t new_cn(ms_txn_t *txn, ms_folder_rec_t *r)
{
    return ms__alloc_globcnt(txn, &r->cn);
}

/* Create a folder with a given globcnt (0 = allocate). */
static ms_err_t folder_create(ms_txn_t *txn, uint64_t parent, uint64_t fgc, const char *name,
                              const char *cls, uint32_t type, ms_propset_t *extra,
                              uint64_t *out)
{
    ms_err_t rc = MS_OK;
    if (!fgc && (rc = ms__alloc_globcnt(txn, &fgc)) != MS_OK)
        return rc;
    ms_folder_rec_t r;
    memset(&r, 0, sizeof(r));
    r.parent = parent;
    r.type = type;
    r.change_counter = 1;
    if ((rc = new_cn(txn, &r)) != MS_OK)
        return rc;
    ms_propset_t ps = {0};
    uint64_t now = ms__now_filetime();
    if (extra)
        rc = ms__ps_copy(&ps, extra);
    if (rc == MS_OK) rc = ms__ps_set_str(&ps, MS_PR_DISPLAY_NAME, name);
    if (rc == MS_OK && cls) rc = ms__ps_set_str(&ps, MS_PR_CONTAINER_CLASS, cls);
    if (rc == MS_OK) rc = ms__ps_set_ft(&ps, MS_PR_CREATION_TIME, now);
    if (rc == MS_OK) rc = ms__ps_set_ft(&ps, MS_PR_LAST_MODIFICATION_TIME, now);
    uint8_t k[MS_OBJKEY_LEN], ck[16];
    if (rc == MS_OK)
        rc = ms__obj_write(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_FOLDER, fgc, 0), &ps);
    ms__ps_free(&ps);
    if (rc == MS_OK)
        rc = ms__folder_rec_put(txn, fgc, &r);
    if (rc == MS_OK && parent) {
        rc = ms__put(txn, txn->db->children, ck, ckey(ck, txn, parent, fgc), "", 0);
        ms_folder_rec_t pr;
        if (rc == MS_OK && (rc = ms__folder_rec(txn, parent, &pr)) == MS_OK) {
            pr.children++;
            pr.change_counter++;
            rc = ms__folder_rec_put(txn, parent, &pr);
        }
    }
    ms_mbx_rec_t *mr;
    if (rc == MS_OK && (rc = ms__mbx_rec(txn, &mr)) == MS_OK)
        mr->folders++;
    if (rc == MS_OK && out)
        *out = fgc;
    return rc;
}

static ms_err_t set_eid_prop(ms_propset_t *ps, const ms_mailbox_t *mbx, uint16_t propid,
                             ms_special_t which)
{
    uint8_t eid[MS_FOLDER_ENTRYID_SIZE];
    ms__folder_eid(mbx, (uint64_t)which + 1, eid);
    return ms__ps_set_bin(ps, MS_PROP_TAG(MS_PT_BINARY, propid), eid, sizeof(eid));
}

/* The entry-id properties clients read on the root and the Inbox. */
static ms_err_t special_eid_props(const ms_mailbox_t *mbx, ms_propset_t *ps)
{
    static const struct { uint16_t id; ms_special_t f; } one[] = {
        {0x36D0, MS_FOLDER_CALENDAR}, {0x36D1, MS_FOLDER_CONTACTS}, {0x36D2, MS_FOLDER_JOURNAL},
        {0x36D3, MS_FOLDER_NOTES}, {0x36D4, MS_FOLDER_TASKS}, {0x36D5, MS_FOLDER_REMINDERS},
        {0x36D7, MS_FOLDER_DRAFTS}};
    ms_err_t rc = MS_OK;
    for (size_t i = 0; i < sizeof(one) / sizeof(one[0]) && rc == MS_OK; i++)
        rc = set_eid_prop(ps, mbx, one[i].id, one[i].f);
    /* PidTagAdditionalRenEntryIds [MS-OXOSFLD] 2.2.4: Conflicts, Sync Issues,
     * Local Failures, Server Failures, Junk E-mail. */
    static const ms_special_t ren[] = {MS_FOLDER_CONFLICTS, MS_FOLDER_SYNC_ISSUES,
                                       MS_FOLDER_LOCAL_FAILURES, MS_FOLDER_SERVER_FAILURES,
                                       MS_FOLDER_JUNK};
    uint8_t eids[5][MS_FOLDER_ENTRYID_SIZE];
    ms_binary_t bins[5];
    for (int i = 0; i < 5; i++) {
        ms__folder_eid(mbx, (uint64_t)ren[i] + 1, eids[i]);
        bins[i].cb = MS_FOLDER_ENTRYID_SIZE;
        bins[i].pb = eids[i];
    }
    ms_propval_t mv = {.tag = MS_PROP_TAG(MS_PT_MV_BINARY, 0x36D8)};
    mv.value.mv.count = 5;
    mv.value.mv.v.bin = bins;
    if (rc == MS_OK)
        rc = ms__ps_set(ps, &mv);
    /* PidTagFreeBusyEntryIds: [3] is the Freebusy Data folder. */
    uint8_t fb[MS_FOLDER_ENTRYID_SIZE];
    ms__folder_eid(mbx, (uint64_t)MS_FOLDER_FREEBUSY_DATA + 1, fb);
    ms_binary_t fbb[4] = {{0, NULL}, {0, NULL}, {0, NULL}, {sizeof(fb), fb}};
    mv.tag = MS_PROP_TAG(MS_PT_MV_BINARY, 0x36E4);
    mv.value.mv.count = 4;
    mv.value.mv.v.bin = fbb;
    if (rc == MS_OK)
        rc = ms__ps_set(ps, &mv);
    return rc;
}

ms_err_t ms__create_special_folders(ms_txn_t *txn)
{
    ms_err_t rc = MS_OK;
    ms_propset_t eids = {0};
    rc = special_eid_props(txn->mbx, &eids);
    for (int i = 0; i < MS_FOLDER_SPECIAL_COUNT && rc == MS_OK; i++) {
        uint64_t parent = specials[i].parent < 0 ? 0 : (uint64_t)specials[i].parent + 1;
        int with_eids = i == MS_FOLDER_ROOT || i == MS_FOLDER_INBOX;
        rc = folder_create(txn, parent, (uint64_t)i + 1, specials[i].name, specials[i].cls,
                           specials[i].search ? MS_FOLDER_SEARCH : MS_FOLDER_GENERIC,
                           with_eids ? &eids : NULL, NULL);
    }
    /* default receive folders ([MS-OXCSTOR] 3.2.5.2) */
    static const struct { const char *cls; ms_special_t f; } recv[] = {
        {"", MS_FOLDER_INBOX}, {"IPM", MS_FOLDER_INBOX}, {"REPORT.IPM", MS_FOLDER_INBOX},
        {"IPC", MS_FOLDER_ROOT}};
    for (size_t i = 0; rc == MS_OK && i < sizeof(recv) / sizeof(recv[0]); i++)
        rc = ms__receive_folder_put(txn, recv[i].cls, (uint64_t)recv[i].f + 1);
    ms__ps_free(&eids);
    return rc;
}

ms_err_t ms_folder_create(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t parent, const char *name,
                          const char *cls, unsigned flags, ms_id_t *fid)
{
    if (!mbx || !name || !*name || strlen(name) > 255)
        return ms__err(MS_E_INVALID_PARAM, "folder_create: bad name");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    uint64_t pgc = ms_id_globcnt(parent), existing = 0, fgc = 0;
    ms_folder_rec_t pr;
    rc = ms__folder_rec(txn, pgc, &pr);
    if (rc == MS_OK)
        rc = find_child(txn, pgc, name, &existing);
    if (rc == MS_OK && existing) {
        if (flags & MS_CREATE_OPEN_IF_EXISTS)
            fgc = existing;
        else
            rc = ms__err(MS_E_DUPLICATE_NAME, "a folder named '%s' exists", name);
    }
    if (rc == MS_OK && !fgc)
        rc = folder_create(txn, pgc, 0, name, cls, MS_FOLDER_GENERIC, NULL, &fgc);
    if (rc == MS_OK && fid)
        *fid = ms_id_make(MS_REPLID, fgc);
    return ms__txn_leave(txn, own, rc);
}

ms_err_t ms_folder_exists(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid)
{
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    ms_folder_rec_t r;
    rc = ms__folder_rec(txn, ms_id_globcnt(fid), &r);
    if (own)
        ms_txn_abort(txn);
    return rc;
}

ms_err_t ms_folder_find(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t parent, const char *name,
                        ms_id_t *fid)
{
    if (!mbx || !name || !fid)
        return ms__err(MS_E_INVALID_PARAM, "folder_find: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    uint64_t f = 0;
    rc = find_child(txn, ms_id_globcnt(parent), name, &f);
    if (rc == MS_OK && !f)
        rc = ms__err(MS_E_NOT_FOUND, "no folder named '%s'", name);
    if (rc == MS_OK)
        *fid = ms_id_make(MS_REPLID, f);
    if (own)
        ms_txn_abort(txn);
    return rc;
}

/* Computed folder properties (not stored). */
ms_err_t ms__folder_computed(ms_txn_t *txn, uint64_t fgc, const ms_folder_rec_t *r,
                             ms_propset_t *ps)
{
    const ms_mailbox_t *mbx = txn->mbx;
    uint8_t eid[MS_FOLDER_ENTRYID_SIZE], xid[MS_XID_SIZE], pcl[MS_XID_SIZE + 1];
    ms_err_t rc = ms__ps_set_i8(ps, MS_PR_FID, (int64_t)ms_id_make(MS_REPLID, fgc));
    if (rc == MS_OK) rc = ms__ps_set_i8(ps, MS_PR_PARENT_FID, r->parent ? (int64_t)ms_id_make(MS_REPLID, r->parent) : 0);
    ms__folder_eid(mbx, fgc, eid);
    if (rc == MS_OK) rc = ms__ps_set_bin(ps, MS_PR_ENTRYID, eid, sizeof(eid));
    if (rc == MS_OK) rc = ms__ps_set_bin(ps, MS_PR_RECORD_KEY, eid, sizeof(eid));
    if (rc == MS_OK) rc = ms__ps_set_bin(ps, MS_PR_INSTANCE_KEY, eid + 38, 8);
    if (r->parent) {
        ms__folder_eid(mbx, r->parent, eid);
        if (rc == MS_OK) rc = ms__ps_set_bin(ps, MS_PR_PARENT_ENTRYID, eid, sizeof(eid));
        ms_make_xid(&mbx->replguid, r->parent, xid);
        if (rc == MS_OK) rc = ms__ps_set_bin(ps, MS_PR_PARENT_SOURCE_KEY, xid, sizeof(xid));
    }
    ms_make_xid(&mbx->replguid, fgc, xid);
    if (rc == MS_OK) rc = ms__ps_set_bin(ps, MS_PR_SOURCE_KEY, xid, sizeof(xid));
    ms_make_xid(&mbx->replguid, r->cn, xid);
    if (rc == MS_OK) rc = ms__ps_set_bin(ps, MS_PR_CHANGE_KEY, xid, sizeof(xid));
    pcl[0] = MS_XID_SIZE;
    memcpy(pcl + 1, xid, MS_XID_SIZE);
    if (rc == MS_OK) rc = ms__ps_set_bin(ps, MS_PR_PREDECESSOR_CHANGE_LIST, pcl, sizeof(pcl));
    if (rc == MS_OK) rc = ms__ps_set_i8(ps, MS_PR_CHANGE_NUMBER, (int64_t)ms_id_make(MS_REPLID, r->cn));
    if (rc == MS_OK) rc = ms__ps_set_long(ps, MS_PR_FOLDER_TYPE, (int32_t)r->type);
    if (rc == MS_OK) rc = ms__ps_set_long(ps, MS_PR_CONTENT_COUNT, (int32_t)r->count);
    if (rc == MS_OK) rc = ms__ps_set_long(ps, MS_PR_CONTENT_UNREAD, (int32_t)r->unread);
    if (rc == MS_OK) rc = ms__ps_set_long(ps, MS_PR_ASSOC_CONTENT_COUNT, (int32_t)r->assoc);
    if (rc == MS_OK) rc = ms__ps_set_long(ps, MS_PR_DELETED_COUNT_TOTAL, (int32_t)r->deleted);
    if (rc == MS_OK) rc = ms__ps_set_bool(ps, MS_PR_SUBFOLDERS, r->children > 0);
    if (rc == MS_OK) rc = ms__ps_set_long(ps, MS_PR_FOLDER_CHILD_COUNT, (int32_t)r->children);
    return rc;
}

/* Stored + computed properties of a folder. */
static ms_err_t folder_props(ms_txn_t *txn, uint64_t fgc, ms_propset_t *ps)
{
    ms_folder_rec_t r;
    ms_err_t rc = ms__folder_rec(txn, fgc, &r);
    uint8_t k[MS_OBJKEY_LEN];
    if (rc == MS_OK)
        rc = ms__obj_read(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_FOLDER, fgc, 0), ps);
    if (rc == MS_E_NOT_FOUND)
        rc = MS_OK;
    if (rc == MS_OK)
        rc = ms__folder_computed(txn, fgc, &r, ps);
    return rc;
}

/* Pick requested tags out of a property set; missing ones as PT_ERROR. */
static ms_err_t pick(const ms_propset_t *ps, const uint32_t *tags, size_t nt, ms_propval_t **vals,
                     size_t *nv)
{
    size_t n = tags ? nt : ps->n;
    ms_propval_t *out = calloc(n ? n : 1, sizeof(*out));
    if (!out)
        return MS_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const ms_propval_t *v = tags ? ms__ps_find(ps, tags[i]) : &ps->v[i];
        ms_err_t rc = MS_OK;
        if (v) {
            rc = ms_propval_dup(v, &out[i]);
            if (rc == MS_OK && tags && MS_PROP_TYPE(tags[i]) != MS_PT_UNSPECIFIED)
                out[i].tag = tags[i];   /* string8 <-> unicode as asked */
        } else {
            out[i].tag = MS_PROP_TAG(MS_PT_ERROR, MS_PROP_ID(tags[i]));
            out[i].value.err = (uint32_t)MS_E_NOT_FOUND;
        }
        if (rc != MS_OK) {
            ms_propvals_free(out, i + 1);
            return rc;
        }
    }
    *vals = out;
    *nv = n;
    return MS_OK;
}

ms_err_t ms_folder_get_props(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const uint32_t *tags,
                             size_t ntags, ms_propval_t **vals, size_t *nvals)
{
    if (!mbx || !vals || !nvals)
        return ms__err(MS_E_INVALID_PARAM, "folder_get_props: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    ms_propset_t ps = {0};
    rc = folder_props(txn, ms_id_globcnt(fid), &ps);
    if (rc == MS_OK)
        rc = pick(&ps, tags, ntags, vals, nvals);
    ms__ps_free(&ps);
    if (own)
        ms_txn_abort(txn);
    return rc;
}

static int computed_tag(uint32_t tag)
{
    static const uint32_t ro[] = {MS_PR_FID, MS_PR_PARENT_FID, MS_PR_ENTRYID, MS_PR_RECORD_KEY,
        MS_PR_INSTANCE_KEY, MS_PR_PARENT_ENTRYID, MS_PR_SOURCE_KEY, MS_PR_PARENT_SOURCE_KEY,
        MS_PR_CHANGE_KEY, MS_PR_PREDECESSOR_CHANGE_LIST, MS_PR_CHANGE_NUMBER, MS_PR_FOLDER_TYPE,
        MS_PR_CONTENT_COUNT, MS_PR_CONTENT_UNREAD, MS_PR_ASSOC_CONTENT_COUNT,
        MS_PR_DELETED_COUNT_TOTAL, MS_PR_SUBFOLDERS, MS_PR_FOLDER_CHILD_COUNT};
    for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
        if (MS_PROP_ID(ro[i]) == MS_PROP_ID(tag))
            return 1;
    return 0;
}

/* Read-modify-write of a folder's stored properties (one change number). */
static ms_err_t folder_modify(ms_txn_t *txn, uint64_t fgc, const ms_propval_t *vals, size_t n,
                              const uint32_t *dels, size_t nd)
{
    ms_folder_rec_t r;
    ms_err_t rc = ms__folder_rec(txn, fgc, &r);
    if (rc != MS_OK)
        return rc;
    uint8_t k[MS_OBJKEY_LEN];
    size_t kl = ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_FOLDER, fgc, 0);
    ms_propset_t ps = {0};
    rc = ms__obj_read(txn, k, kl, &ps);
    if (rc == MS_E_NOT_FOUND)
        rc = MS_OK;
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        if (computed_tag(vals[i].tag))
            continue;
        if (MS_PROP_ID(vals[i].tag) == MS_PROP_ID(MS_PR_DISPLAY_NAME) && r.parent) {
            uint64_t other = 0;
            if (!vals[i].value.str || !*vals[i].value.str)
                rc = ms__err(MS_E_INVALID_PARAM, "empty folder name");
            else if ((rc = find_child(txn, r.parent, vals[i].value.str, &other)) == MS_OK &&
                     other && other != fgc)
                rc = ms__err(MS_E_DUPLICATE_NAME, "a folder named '%s' exists", vals[i].value.str);
        }
        if (rc == MS_OK)
            rc = ms__ps_set(&ps, &vals[i]);
    }
    for (size_t i = 0; rc == MS_OK && i < nd; i++)
        if (!computed_tag(dels[i]) && MS_PROP_ID(dels[i]) != MS_PROP_ID(MS_PR_DISPLAY_NAME))
            ms__ps_del(&ps, dels[i]);
    if (rc == MS_OK) rc = ms__ps_set_ft(&ps, MS_PR_LAST_MODIFICATION_TIME, ms__now_filetime());
    if (rc == MS_OK) rc = ms__obj_write(txn, k, kl, &ps);
    ms__ps_free(&ps);
    if (rc == MS_OK && (rc = new_cn(txn, &r)) == MS_OK) {
        r.change_counter++;
        rc = ms__folder_rec_put(txn, fgc, &r);
    }
    if (rc == MS_OK && r.parent)   /* the parent's hierarchy table shows these props */
        rc = ms__folder_touch(txn, r.parent);
    return rc;
}

ms_err_t ms_folder_set_props(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid,
                             const ms_propval_t *vals, size_t n)
{
    if (!mbx || (n && !vals))
        return ms__err(MS_E_INVALID_PARAM, "folder_set_props: NULL");
    for (size_t i = 0; i < n; i++)
        if (!ms__type_valid(MS_PROP_TYPE(vals[i].tag)))
            return ms__err(MS_E_INVALID_PARAM, "bad property type in 0x%08x", vals[i].tag);
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    rc = folder_modify(txn, ms_id_globcnt(fid), vals, n, NULL, 0);
    return ms__txn_leave(txn, own, rc);
}

ms_err_t ms_folder_delete_props(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid,
                                const uint32_t *tags, size_t n)
{
    if (!mbx || (n && !tags))
        return ms__err(MS_E_INVALID_PARAM, "folder_delete_props: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    rc = folder_modify(txn, ms_id_globcnt(fid), NULL, 0, tags, n);
    return ms__txn_leave(txn, own, rc);
}

/* Every message globcnt of a folder view (index kind MID). */
static ms_err_t list_messages(ms_txn_t *txn, uint64_t fgc, int view, uint64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    uint8_t pre[12];
    ms__key_mbx(pre, txn->mbx->mbx_id);
    ms__put_be(pre + 4, fgc, 6);
    pre[10] = (uint8_t)view;
    pre[11] = MS_IDX_MID;
    MDB_cursor *c;
    int r = mdb_cursor_open(txn->txn, txn->db->cindex, &c);
    if (r)
        return ms__mdb(r, "cursor");
    MDB_val k = {12, pre}, v;
    size_t cap = 0;
    ms_err_t rc = MS_OK;
    for (int g = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); !g; g = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size < 18 || memcmp(k.mv_data, pre, 12))
            break;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            uint64_t *nn = realloc(*out, cap * sizeof(uint64_t));
            if (!nn) {
                rc = MS_E_NOMEM;
                break;
            }
            *out = nn;
        }
        (*out)[(*n)++] = ms__get_be((const uint8_t *)k.mv_data + k.mv_size - 6, 6);
    }
    mdb_cursor_close(c);
    return rc;
}

ms_err_t ms_message_delete(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const ms_id_t *mids,
                           size_t n, int hard);

static ms_err_t delete_view(ms_txn_t *txn, uint64_t fgc, int view, int hard)
{
    uint64_t *m;
    size_t n;
    ms_err_t rc = list_messages(txn, fgc, view, &m, &n);
    ms_id_t *ids = rc == MS_OK ? calloc(n ? n : 1, sizeof(ms_id_t)) : NULL;
    if (rc == MS_OK && !ids)
        rc = MS_E_NOMEM;
    for (size_t i = 0; rc == MS_OK && i < n; i++)
        ids[i] = ms_id_make(MS_REPLID, m[i]);
    if (rc == MS_OK && n)
        rc = ms_message_delete(txn, txn->mbx, ms_id_make(MS_REPLID, fgc), ids, n, hard);
    free(ids);
    free(m);
    return rc;
}

static ms_err_t folder_delete_tree(ms_txn_t *txn, uint64_t fgc)
{
    uint64_t *ch;
    size_t n;
    ms_err_t rc = list_children(txn, fgc, &ch, &n);
    for (size_t i = 0; rc == MS_OK && i < n; i++)
        rc = folder_delete_tree(txn, ch[i]);
    free(ch);
    for (int view = 0; rc == MS_OK && view < 3; view++)
        rc = delete_view(txn, fgc, view, 1);
    ms_folder_rec_t r;
    if (rc == MS_OK)
        rc = ms__folder_rec(txn, fgc, &r);
    uint8_t k[MS_OBJKEY_LEN], ck[16];
    if (rc == MS_OK)
        rc = ms__obj_delete(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_FOLDER, fgc, 0));
    if (rc == MS_OK)
        rc = ms__del(txn, txn->db->folders, k, fkey(k, txn, fgc));
    if (rc == MS_OK)
        rc = ms__receive_folder_forget(txn, fgc);
    if (rc == MS_OK && r.parent) {
        rc = ms__del(txn, txn->db->children, ck, ckey(ck, txn, r.parent, fgc));
        ms_folder_rec_t pr;
        if (rc == MS_OK && (rc = ms__folder_rec(txn, r.parent, &pr)) == MS_OK) {
            pr.children--;
            pr.change_counter++;
            rc = ms__folder_rec_put(txn, r.parent, &pr);
        }
    }
    ms_mbx_rec_t *mr;
    if (rc == MS_OK && (rc = ms__mbx_rec(txn, &mr)) == MS_OK)
        mr->folders--;
    return rc;
}

ms_err_t ms_folder_delete(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, unsigned flags)
{
    if (!mbx)
        return ms__err(MS_E_INVALID_PARAM, "folder_delete: NULL");
    uint64_t fgc = ms_id_globcnt(fid);
    if (is_special(fgc))
        return ms__err(MS_E_ACCESS_DENIED, "special folders cannot be deleted");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    ms_folder_rec_t r;
    rc = ms__folder_rec(txn, fgc, &r);
    if (rc == MS_OK && (r.count || r.assoc) && !(flags & MS_DEL_MESSAGES))
        rc = ms__err(MS_E_FAIL, "folder has messages (use the delete-messages flag)");
    if (rc == MS_OK && r.children && !(flags & MS_DEL_FOLDERS))
        rc = ms__err(MS_E_FAIL, "folder has subfolders (use the delete-folders flag)");
    if (rc == MS_OK)
        rc = folder_delete_tree(txn, fgc);
    return ms__txn_leave(txn, own, rc);
}

ms_err_t ms_folder_empty(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, unsigned flags)
{
    if (!mbx)
        return ms__err(MS_E_INVALID_PARAM, "folder_empty: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    uint64_t fgc = ms_id_globcnt(fid);
    ms_folder_rec_t r;
    rc = ms__folder_rec(txn, fgc, &r);
    if (rc == MS_OK)
        rc = delete_view(txn, fgc, MS_VIEW_NORMAL, (flags & MS_DEL_HARD) != 0);
    if (rc == MS_OK && (flags & MS_DEL_FOLDERS)) {
        uint64_t *ch;
        size_t n;
        rc = list_children(txn, fgc, &ch, &n);
        for (size_t i = 0; rc == MS_OK && i < n; i++)
            rc = is_special(ch[i]) ? MS_OK : folder_delete_tree(txn, ch[i]);
        free(ch);
    }
    if (rc == MS_OK)
        rc = ms__folder_touch(txn, fgc);
    return ms__txn_leave(txn, own, rc);
}

ms_err_t ms_folder_move(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t new_parent,
                        const char *new_name)
{
    if (!mbx)
        return ms__err(MS_E_INVALID_PARAM, "folder_move: NULL");
    uint64_t fgc = ms_id_globcnt(fid), np = ms_id_globcnt(new_parent);
    if (is_special(fgc))
        return ms__err(MS_E_ACCESS_DENIED, "special folders cannot be moved");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    ms_folder_rec_t r, pr;
    rc = ms__folder_rec(txn, fgc, &r);
    if (rc == MS_OK)
        rc = ms__folder_rec(txn, np, &pr);
    /* the new parent must not be the folder or one of its descendants */
    for (uint64_t a = np; rc == MS_OK && a; a = pr.parent) {
        if (a == fgc) {
            rc = ms__err(MS_E_INVALID_PARAM, "cannot move a folder into itself");
            break;
        }
        if ((rc = ms__folder_rec(txn, a, &pr)) != MS_OK)
            break;
    }
    ms_propset_t ps = {0};
    uint8_t k[MS_OBJKEY_LEN];
    size_t kl = ms__objkey(k, mbx->mbx_id, MS_OBJ_FOLDER, fgc, 0);
    if (rc == MS_OK && (rc = ms__obj_read(txn, k, kl, &ps)) == MS_E_NOT_FOUND)
        rc = MS_OK;
    const ms_propval_t *dn = ms__ps_find(&ps, MS_PR_DISPLAY_NAME);
    const char *name = new_name && *new_name ? new_name : dn ? dn->value.str : "";
    uint64_t other = 0;
    if (rc == MS_OK && (rc = find_child(txn, np, name, &other)) == MS_OK && other && other != fgc)
        rc = ms__err(MS_E_DUPLICATE_NAME, "a folder named '%s' exists there", name);
    if (rc == MS_OK && new_name && *new_name) {
        rc = ms__ps_set_str(&ps, MS_PR_DISPLAY_NAME, new_name);
        if (rc == MS_OK)
            rc = ms__obj_write(txn, k, kl, &ps);
    }
    ms__ps_free(&ps);
    uint8_t ck[16];
    if (rc == MS_OK && r.parent != np) {
        rc = ms__del(txn, txn->db->children, ck, ckey(ck, txn, r.parent, fgc));
        if (rc == MS_OK)
            rc = ms__put(txn, txn->db->children, ck, ckey(ck, txn, np, fgc), "", 0);
        ms_folder_rec_t x;
        if (rc == MS_OK && (rc = ms__folder_rec(txn, r.parent, &x)) == MS_OK) {
            x.children--;
            x.change_counter++;
            rc = ms__folder_rec_put(txn, r.parent, &x);
        }
        if (rc == MS_OK && (rc = ms__folder_rec(txn, np, &x)) == MS_OK) {
            x.children++;
            x.change_counter++;
            rc = ms__folder_rec_put(txn, np, &x);
        }
        r.parent = np;
    }
    if (rc == MS_OK && (rc = new_cn(txn, &r)) == MS_OK) {
        r.change_counter++;
        rc = ms__folder_rec_put(txn, fgc, &r);
    }
    return ms__txn_leave(txn, own, rc);
}

static ms_err_t folder_copy(ms_txn_t *txn, uint64_t fgc, uint64_t np, const char *name,
                            int recursive, uint64_t *out)
{
    ms_propset_t ps = {0};
    uint8_t k[MS_OBJKEY_LEN];
    ms_err_t rc = ms__obj_read(txn, k, ms__objkey(k, txn->mbx->mbx_id, MS_OBJ_FOLDER, fgc, 0), &ps);
    if (rc == MS_E_NOT_FOUND)
        rc = MS_OK;
    ms_folder_rec_t r;
    if (rc == MS_OK)
        rc = ms__folder_rec(txn, fgc, &r);
    const ms_propval_t *dn = ms__ps_find(&ps, MS_PR_DISPLAY_NAME);
    if (!name || !*name)
        name = dn ? dn->value.str : "Folder";
    uint64_t other = 0, nf = 0;
    if (rc == MS_OK && (rc = find_child(txn, np, name, &other)) == MS_OK && other)
        rc = ms__err(MS_E_DUPLICATE_NAME, "a folder named '%s' exists there", name);
    char *nm = strdup(name);
    if (rc == MS_OK && !nm)
        rc = MS_E_NOMEM;
    if (rc == MS_OK)
        rc = folder_create(txn, np, 0, nm, NULL, r.type, &ps, &nf);
    free(nm);
    ms__ps_free(&ps);
    uint64_t *m = NULL;
    size_t n = 0;
    for (int view = 0; view < 2 && rc == MS_OK; view++) {
        rc = list_messages(txn, fgc, view, &m, &n);
        ms_id_t *src = rc == MS_OK ? calloc(n ? n : 1, sizeof(ms_id_t)) : NULL;
        if (rc == MS_OK && !src)
            rc = MS_E_NOMEM;
        for (size_t i = 0; rc == MS_OK && i < n; i++)
            src[i] = ms_id_make(MS_REPLID, m[i]);
        if (rc == MS_OK && n)
            rc = ms_message_move(txn, txn->mbx, ms_id_make(MS_REPLID, fgc),
                                 ms_id_make(MS_REPLID, nf), src, n, 1, NULL);
        free(src);
        free(m);
    }
    if (rc == MS_OK && recursive) {
        uint64_t *ch;
        rc = list_children(txn, fgc, &ch, &n);
        for (size_t i = 0; rc == MS_OK && i < n; i++)
            rc = folder_copy(txn, ch[i], nf, NULL, 1, NULL);
        free(ch);
    }
    if (rc == MS_OK && out)
        *out = nf;
    return rc;
}

ms_err_t ms_folder_copy(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t new_parent,
                        const char *new_name, int recursive, ms_id_t *new_fid)
{
    if (!mbx)
        return ms__err(MS_E_INVALID_PARAM, "folder_copy: NULL");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 1, &own);
    if (rc != MS_OK)
        return rc;
    uint64_t fgc = ms_id_globcnt(fid), np = ms_id_globcnt(new_parent), nf = 0;
    ms_folder_rec_t pr;
    rc = ms__folder_rec(txn, np, &pr);
    /* copying into its own subtree would recurse forever */
    for (uint64_t a = np; rc == MS_OK && a && recursive; a = pr.parent) {
        if (a == fgc) {
            rc = ms__err(MS_E_INVALID_PARAM, "cannot copy a folder into itself");
            break;
        }
        if ((rc = ms__folder_rec(txn, a, &pr)) != MS_OK)
            break;
    }
    if (rc == MS_OK)
        rc = folder_copy(txn, fgc, np, new_name, recursive, &nf);
    if (rc == MS_OK && new_fid)
        *new_fid = ms_id_make(MS_REPLID, nf);
    return ms__txn_leave(txn, own, rc);
}

/* ---- named properties ([MS-OXCDATA] 2.6.1): dbi "named",
 * mbx|'N'|guid|kind|lid-or-name -> id (u16); mbx|'I'|id(2) -> ms_propname_t ---- */
static size_t named_key(uint8_t *k, uint32_t mbx, const ms_propname_t *n)
{
    ms__key_mbx(k, mbx);
    k[4] = 'N';
    memcpy(k + 5, n->guid.b, 16);
    k[21] = n->kind;
    if (n->kind == MS_MNID_ID) {
        ms__put_be(k + 22, n->lid, 4);
        return 26;
    }
    size_t l = strlen(n->name);
    memcpy(k + 22, n->name, l);
    return 22 + l;
}

ms_err_t ms_named_get_id(ms_txn_t *txn, ms_mailbox_t *mbx, const ms_propname_t *name,
                         int create, uint16_t *id)
{
    if (!mbx || !name || !id || name->kind > MS_MNID_STRING)
        return ms__err(MS_E_INVALID_PARAM, "named_get_id: bad argument");
    if (name->kind == MS_MNID_STRING && (!name->name[0] || !memchr(name->name, 0, sizeof(name->name))))
        return ms__err(MS_E_INVALID_PARAM, "named property without a name");
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, create, &own);
    if (rc != MS_OK)
        return rc;
    uint8_t k[300];
    size_t kl = named_key(k, mbx->mbx_id, name);
    MDB_val v;
    rc = ms__get(txn, txn->db->named, k, kl, &v);
    if (rc == MS_OK && v.mv_size == 2) {
        memcpy(id, v.mv_data, 2);
    } else if (rc == MS_E_NOT_FOUND && !create) {
        rc = ms__err(MS_E_NOT_FOUND, "named property not mapped");
    } else if (rc == MS_E_NOT_FOUND) {
        ms_mbx_rec_t *mr;
        rc = ms__mbx_rec(txn, &mr);
        if (rc == MS_OK && mr->next_named > 0xFFFE)
            rc = ms__err(MS_E_FAIL, "named property ids exhausted");
        if (rc == MS_OK) {
            uint16_t nid = (uint16_t)mr->next_named++;
            uint8_t ik[7];
            ms__key_mbx(ik, mbx->mbx_id);
            ik[4] = 'I';
            ms__put_be(ik + 5, nid, 2);
            rc = ms__put(txn, txn->db->named, k, kl, &nid, 2);
            if (rc == MS_OK)
                rc = ms__put(txn, txn->db->named, ik, 7, name, sizeof(*name));
            if (rc == MS_OK)
                *id = nid;
        }
    } else if (rc == MS_OK) {
        rc = ms__err(MS_E_JET, "named property record corrupt");
    }
    return ms__txn_leave(txn, own, rc);
}

ms_err_t ms_named_get_name(ms_txn_t *txn, ms_mailbox_t *mbx, uint16_t id, ms_propname_t *out)
{
    if (!mbx || !out)
        return ms__err(MS_E_INVALID_PARAM, "named_get_name: NULL");
    if (id < 0x8000)
        return ms__err(MS_E_INVALID_PARAM, "0x%04x is not a named property id", id);
    int own;
    ms_err_t rc = ms__txn_enter(&txn, mbx, 0, &own);
    if (rc != MS_OK)
        return rc;
    uint8_t ik[7];
    ms__key_mbx(ik, mbx->mbx_id);
    ik[4] = 'I';
    ms__put_be(ik + 5, id, 2);
    MDB_val v;
    rc = ms__get(txn, txn->db->named, ik, 7, &v);
    if (rc == MS_OK && v.mv_size == sizeof(*out))
        memcpy(out, v.mv_data, sizeof(*out));
    else if (rc == MS_OK)
        rc = ms__err(MS_E_JET, "named property record corrupt");
    else if (rc == MS_E_NOT_FOUND)
        rc = ms__err(MS_E_NOT_FOUND, "no named property 0x%04x", id);
    if (own)
        ms_txn_abort(txn);
    return rc;
}
