/*
 * rop_folder.c - folder ROPs ([MS-OXCFOLD] 2.2.1, server behaviour 3.2.5):
 * open, create, delete, move, copy, empty folders, delete/move/copy their
 * messages, their hierarchy and contents tables, search criteria.
 * A folder object's state is its FID (and the logon in o->logon_id).
 */
#include "rop_rules.h"
#include "rop_table.h"

#include <string.h>

#define FOLDER_STATE_MAGIC 0x31444C46u /* "FLD1" */

/* FolderType (2.2.1.2.1) */
#define FOLDER_GENERIC 1
#define FOLDER_SEARCH  2
/* DeleteFolderFlags (2.2.1.3.1) */
#define DEL_MESSAGES       0x01
#define DEL_FOLDERS        0x04
#define DELETE_HARD_DELETE 0x10
/* SearchFlags (2.2.1.4.1 request, 2.2.1.5.2 response) */
#define STOP_SEARCH      0x00000001u
#define RESTART_SEARCH   0x00000002u
#define RECURSIVE_SEARCH 0x00000004u
#define SHALLOW_SEARCH   0x00000008u
#define SEARCH_REQ_VALID 0x000700FFu
#define SEARCH_RUNNING   0x00000001u
#define SEARCH_RECURSIVE 0x00000004u
#define SEARCH_COMPLETE  0x00001000u
#define SEARCH_STATIC    0x00010000u
#define STATIC_SEARCH    0x00040000u

#define TAG_COMMENT        MS_PROP_TAG(MS_PT_UNICODE, 0x3004)
#define TAG_HAS_RULES      MS_PROP_TAG(MS_PT_BOOLEAN, 0x663A)

/* ---- folder objects ---- */

static uint32_t folder_new(rop_ctx_t *c, const mapi_rop_req_t *req, uint64_t fid)
{
    mapi_obj_t *o;
    mapi_wr_t wr;
    uint32_t ec;
    if (!(o = rop_new_obj(c, req->out_idx, MAPI_OBJ_FOLDER, req->logon_id, &ec)))
        return ec;
    mapi_wr_init(&wr, 0);
    mapi_wr_u32(&wr, FOLDER_STATE_MAGIC);
    mapi_wr_u64(&wr, fid);
    return rop_obj_set_data(o, &wr) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* The FID behind a folder object (logon objects stand for the root folder
 * where the spec allows them: OpenFolder). */
static uint32_t folder_fid(rop_ctx_t *c, uint8_t idx, int logon_ok, uint64_t *fid)
{
    mapi_obj_t *o;
    mapi_rd_t rd;
    uint32_t ec;
    unsigned mask = ROP_T(MAPI_OBJ_FOLDER) | (logon_ok ? ROP_T(MAPI_OBJ_LOGON) : 0);
    if (!(o = rop_obj_of(c, idx, mask, &ec)))
        return ec;
    if (o->type == MAPI_OBJ_LOGON) {
        *fid = ms_special_folder_id(MS_FOLDER_ROOT);
        return MAPI_EC_SUCCESS;
    }
    mapi_rd_init(&rd, o->data, o->data_len);
    if (mapi_rd_u32(&rd) != FOLDER_STATE_MAGIC)
        return MAPI_EC_NOT_SUPPORTED;
    *fid = mapi_rd_u64(&rd);
    return mapi_rd_ok(&rd) ? MAPI_EC_SUCCESS : MAPI_EC_NOT_SUPPORTED;
}

/* The mailbox and the FID of the folder object at idx. */
static uint32_t need_folder(rop_ctx_t *c, uint8_t idx, ms_mailbox_t **mbx, uint64_t *fid)
{
    uint32_t ec = folder_fid(c, idx, 0, fid);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    return (*mbx = rop_mailbox(c, &ec)) ? MAPI_EC_SUCCESS : ec;
}

/* A folder id of this mailbox (REPLID 1) that exists. */
static uint32_t folder_exists(ms_mailbox_t *mbx, uint64_t fid)
{
    if (ms_id_replid(fid) != ms_id_replid(ms_special_folder_id(MS_FOLDER_ROOT)))
        return MAPI_EC_NOT_FOUND;
    return ms_folder_exists(NULL, mbx, fid) == MS_OK ? MAPI_EC_SUCCESS : MAPI_EC_NOT_FOUND;
}

static uint32_t folder_long(ms_mailbox_t *mbx, uint64_t fid, uint32_t tag, int32_t *out)
{
    ms_propval_t *v;
    size_t n;
    uint32_t ec = rop_ec(ms_folder_get_props(NULL, mbx, fid, &tag, 1, &v, &n));
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (n != 1 || MS_PROP_TYPE(v[0].tag) == MS_PT_ERROR)
        ec = MAPI_EC_NOT_FOUND;
    else if (MS_PROP_TYPE(tag) == MS_PT_I8)
        *out = (int32_t)(v[0].value.li != 0);
    else if (MS_PROP_TYPE(tag) == MS_PT_BOOLEAN)
        *out = v[0].value.b;
    else
        *out = v[0].value.l;
    ms_propvals_free(v, n);
    return ec;
}

/* The parent FID of a folder, or 0. */
static uint64_t folder_parent(ms_mailbox_t *mbx, uint64_t fid)
{
    uint32_t tag = MS_PR_PARENT_FID;
    ms_propval_t *v;
    size_t n;
    uint64_t p = 0;
    if (ms_folder_get_props(NULL, mbx, fid, &tag, 1, &v, &n) != MS_OK)
        return 0;
    if (n == 1 && MS_PROP_TYPE(v[0].tag) == MS_PT_I8)
        p = (uint64_t)v[0].value.li;
    ms_propvals_free(v, n);
    return p;
}

/* A request string in UTF-8: Unicode strings are already, String8 ones are
 * in the session's code page. */
static char *utf8_name(rop_ctx_t *c, int unicode, const char *s)
{
    char *out = NULL;
    if (!s)
        return NULL;
    if (unicode)
        return (char *)s;
    return mapi_string8_to_utf8(c->arena, c->ectx->codepage, s, &out) == 0 ? out : NULL;
}

/* ---- 2.2.1.1 RopOpenFolder ---- */
static uint32_t rop_open_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint64_t in_fid, fid = req->u.open_folder.folder_id;
    uint32_t ec = folder_fid(c, req->in_idx, 1, &in_fid);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = folder_exists(mbx, fid)) != MAPI_EC_SUCCESS)
        return ec; /* 3.2.5.1: ecNotFound */
    if ((ec = rop_perm_need(c, fid, PERM_FOLDER_VISIBLE)) != MAPI_EC_SUCCESS)
        return ec; /* [MS-OXCPERM] 2.2.7: not visible to this user */
    {
        int32_t has_rules = 0;
        folder_long(mbx, fid, TAG_HAS_RULES, &has_rules); /* PidTagHasRules, kept by RopModifyRules */
        resp->u.open_folder.has_rules = has_rules != 0;
    }
    resp->u.open_folder.is_ghosted = 0; /* private mailbox: never ghosted */
    return folder_new(c, req, fid);
}

/* ---- 2.2.1.2 RopCreateFolder; 3.2.5.2 ---- */
static uint32_t rop_create_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint64_t parent, fid = 0;
    const int unicode = req->u.create_folder.use_unicode != 0;
    char *name, *comment;
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &parent);
    ms_err_t rc;

    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (req->u.create_folder.folder_type != FOLDER_GENERIC && req->u.create_folder.folder_type != FOLDER_SEARCH)
        return MAPI_EC_INVALID_PARAMETER;
    name = utf8_name(c, unicode, req->u.create_folder.display_name);
    comment = utf8_name(c, unicode, req->u.create_folder.comment);
    if (!name || !*name)
        return MAPI_EC_INVALID_PARAMETER;
    if ((ec = rop_perm_need(c, parent, PERM_CREATE_SUBFOLDER)) != MAPI_EC_SUCCESS)
        return ec;
    rc = ms_folder_find(NULL, mbx, parent, name, &fid);
    if (rc == MS_OK) {
        if (!req->u.create_folder.open_existing)
            return MAPI_EC_DUPLICATE_NAME;
    } else if (rc != MS_E_NOT_FOUND) {
        return rop_ec(rc);
    } else {
        ms_txn_t *txn;
        ms_propval_t props[2];
        size_t np = 0;
        if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_WRITE, &txn))) != MAPI_EC_SUCCESS)
            return ec;
        rc = ms_folder_create(txn, mbx, parent, name, NULL, 0, &fid);
        memset(props, 0, sizeof(props));
        if (comment && *comment) {
            props[np].tag = TAG_COMMENT;
            props[np++].value.str = comment;
        }
        if (req->u.create_folder.folder_type == FOLDER_SEARCH) {
            props[np].tag = ROP_TAG_IS_SEARCH;
            props[np++].value.b = 1;
        }
        if (rc == MS_OK && np)
            rc = ms_folder_set_props(txn, mbx, fid, props, np);
        if (rc != MS_OK) {
            ms_txn_abort(txn);
            return rop_ec(rc);
        }
        if ((ec = rop_ec(ms_txn_commit(txn))) != MAPI_EC_SUCCESS)
            return ec;
    }
    resp->u.create_folder.folder_id = fid;
    resp->u.create_folder.is_existing = 0; /* 2.2.1.2.2: public folders only */
    return folder_new(c, req, fid);
}

/* ---- 2.2.1.3 RopDeleteFolder; 3.2.5.3 ---- */
static uint32_t rop_delete_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint64_t parent, fid = req->u.delete_folder.folder_id;
    uint8_t flags = req->u.delete_folder.flags;
    int32_t n;
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &parent);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (flags & ~(DEL_MESSAGES | DEL_FOLDERS | DELETE_HARD_DELETE))
        return MAPI_EC_INVALID_PARAMETER;
    if (folder_exists(mbx, fid) != MAPI_EC_SUCCESS || folder_parent(mbx, fid) != parent)
        return MAPI_EC_NOT_FOUND;
    if ((ec = rop_perm_need(c, fid, PERM_FOLDER_OWNER)) != MAPI_EC_SUCCESS)
        return ec;
    /* a folder that is not empty stays unless the flags allow: PartialCompletion */
    if (!(flags & DEL_MESSAGES) &&
        ((folder_long(mbx, fid, MS_PR_CONTENT_COUNT, &n) == MAPI_EC_SUCCESS && n > 0) ||
         (folder_long(mbx, fid, MS_PR_ASSOC_CONTENT_COUNT, &n) == MAPI_EC_SUCCESS && n > 0))) {
        resp->u.partial.partial = 1;
        return MAPI_EC_SUCCESS;
    }
    if (!(flags & DEL_FOLDERS) && folder_long(mbx, fid, MS_PR_FOLDER_CHILD_COUNT, &n) == MAPI_EC_SUCCESS && n > 0) {
        resp->u.partial.partial = 1;
        return MAPI_EC_SUCCESS;
    }
    /* the store removes folders for good: soft and hard deletes alike */
    ec = rop_ec(ms_folder_delete(NULL, mbx, fid, MS_DEL_MESSAGES | MS_DEL_FOLDERS | MS_DEL_HARD));
    resp->u.partial.partial = 0;
    return ec;
}

/* The destination folder of a move/copy ROP (DestHandleIndex in out_idx);
 * an empty slot answers ecDstNullObject with the index (2.2.4.6.3). */
static uint32_t dest_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp, uint64_t *fid)
{
    uint32_t ec = folder_fid(c, req->out_idx, 0, fid);
    if (ec == MAPI_EC_NULL_OBJECT) {
        resp->ret = MAPI_EC_DST_NULL_OBJECT;
        resp->u.partial.dest_idx = req->out_idx;
        return MAPI_EC_DST_NULL_OBJECT;
    }
    return ec;
}

/* ---- 2.2.1.7 RopMoveFolder / 2.2.1.8 RopCopyFolder; 3.2.5.7/8 ---- */
static uint32_t move_copy_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp, int copy)
{
    ms_mailbox_t *mbx;
    uint64_t src, dst, fid = req->u.move_copy_folder.folder_id, new_fid;
    char *name;
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &src);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = dest_folder(c, req, resp, &dst)) != MAPI_EC_SUCCESS)
        return ec;
    if (folder_exists(mbx, fid) != MAPI_EC_SUCCESS || folder_parent(mbx, fid) != src ||
        folder_exists(mbx, dst) != MAPI_EC_SUCCESS)
        return MAPI_EC_NOT_FOUND;
    /* moving takes ownership of the folder, copying reading it; both make a subfolder of dst */
    if ((ec = rop_perm_need(c, fid, copy ? PERM_READ_ANY : PERM_FOLDER_OWNER)) != MAPI_EC_SUCCESS ||
        (ec = rop_perm_need(c, dst, PERM_CREATE_SUBFOLDER)) != MAPI_EC_SUCCESS)
        return ec;
    name = utf8_name(c, req->u.move_copy_folder.use_unicode != 0, req->u.move_copy_folder.new_name);
    if (!name)
        return MAPI_EC_INVALID_PARAMETER;
    if (copy)
        ec = rop_ec(ms_folder_copy(NULL, mbx, fid, dst, name, req->u.move_copy_folder.want_recursive != 0, &new_fid));
    else
        ec = rop_ec(ms_folder_move(NULL, mbx, fid, dst, name));
    resp->u.partial.partial = 0;
    return ec;
}

static uint32_t rop_move_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return move_copy_folder(c, req, resp, 0);
}

static uint32_t rop_copy_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return move_copy_folder(c, req, resp, 1);
}

/* Deletes the FAI messages of a folder (the store's empty keeps them). */
static uint32_t delete_associated(rop_ctx_t *c, ms_mailbox_t *mbx, uint64_t fid, int hard)
{
    static const uint32_t cols[] = {MS_PR_MID};
    ms_table_t *t;
    ms_rowset_t rs;
    uint32_t ec = rop_ec(ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, fid, MS_TABLE_ASSOCIATED, &t));
    (void)c;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(ms_table_set_columns(t, cols, 1));
    while (ec == MAPI_EC_SUCCESS && (ec = rop_ec(ms_table_query(NULL, t, 256, 0, &rs))) == MAPI_EC_SUCCESS) {
        uint32_t i, n = rs.count;
        for (i = 0; i < n && ec == MAPI_EC_SUCCESS; i++) {
            ms_id_t mid = (ms_id_t)rs.rows[i][0].value.li;
            ec = rop_ec(ms_message_delete(NULL, mbx, fid, &mid, 1, hard));
        }
        ms_rowset_free(&rs);
        if (n == 0)
            break;
    }
    ms_table_close(t);
    return ec;
}

/* ---- 2.2.1.9 RopEmptyFolder / 2.2.1.10 RopHardDeleteMessagesAndSubfolders ---- */
static uint32_t empty_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp, int hard)
{
    ms_mailbox_t *mbx;
    uint64_t fid;
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &fid);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (fid == ms_special_folder_id(MS_FOLDER_ROOT) || fid == ms_special_folder_id(MS_FOLDER_IPM_SUBTREE))
        return MAPI_EC_NOT_SUPPORTED; /* 3.2.5.9: not on the root or the IPM subtree */
    if ((ec = rop_perm_need(c, fid, PERM_DELETE_ANY)) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(ms_folder_empty(NULL, mbx, fid, MS_DEL_FOLDERS | (hard ? MS_DEL_HARD : 0)));
    if (ec == MAPI_EC_SUCCESS && req->u.empty_folder.want_delete_associated)
        ec = delete_associated(c, mbx, fid, hard);
    resp->u.partial.partial = ec != MAPI_EC_SUCCESS;
    return ec;
}

static uint32_t rop_empty_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return empty_folder(c, req, resp, 0);
}

static uint32_t rop_hard_empty_folder(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return empty_folder(c, req, resp, 1);
}

/* The folder a message of folder `src` really is in: src itself, or for a
 * search folder, the folder the message was found in. */
static uint64_t real_folder(ms_mailbox_t *mbx, uint64_t src, int src_is_search, uint64_t mid)
{
    ms_message_t *m;
    uint64_t fid = src;
    if (src_is_search && ms_message_open(NULL, mbx, 0, mid, &m) == MS_OK) {
        fid = ms_message_fid(m);
        ms_message_free(m);
    }
    return fid;
}

/* The session user's rights on fid. */
static uint32_t rights_on(rop_ctx_t *c, uint64_t fid, uint32_t *rights)
{
    return rop_perm_rights(c, fid, c->ectx->user, rights);
}

/* Taking message mid out of folder fid (deleting or moving it):
 * [MS-OXCPERM] DeleteAny, or DeleteOwned for the user's own messages. */
static int may_remove(rop_ctx_t *c, uint32_t rights, uint64_t fid, uint64_t mid)
{
    if (rights & PERM_DELETE_ANY)
        return 1;
    return rop_perm_need_message(c, fid, mid, PERM_DELETE_ANY, PERM_DELETE_OWNED) == MAPI_EC_SUCCESS;
}

/* ---- 2.2.1.6 RopMoveCopyMessages: each message on its own; the ones that
 * fail (not in the source folder, not the user's own to move...) make
 * PartialCompletion. A search folder as the source gives the messages it
 * shows. Rights: ReadAny on the source, Create on the destination, and for
 * a move DeleteAny (or DeleteOwned) on the source. ---- */
static uint32_t rop_move_copy_messages(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint64_t src, dst;
    uint16_t i, failed = 0;
    uint32_t rights = 0;
    int search, copy = req->u.move_copy_messages.want_copy != 0;
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &src);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = dest_folder(c, req, resp, &dst)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = rights_on(c, src, &rights)) != MAPI_EC_SUCCESS)
        return ec;
    if (!(rights & PERM_READ_ANY) || (!copy && !(rights & (PERM_DELETE_ANY | PERM_DELETE_OWNED))))
        return MAPI_EC_ACCESS_DENIED;
    if ((ec = rop_perm_need(c, dst, PERM_CREATE)) != MAPI_EC_SUCCESS)
        return ec;
    search = rop_is_search_folder(mbx, NULL, src);
    for (i = 0; i < req->u.move_copy_messages.count; i++) {
        ms_id_t mid = req->u.move_copy_messages.mids[i], nmid;
        uint64_t from = real_folder(mbx, src, search, mid);
        if ((!copy && !may_remove(c, rights, from, mid)) ||
            ms_message_move(NULL, mbx, from, dst, &mid, 1, copy, &nmid) != MS_OK)
            failed++;
    }
    resp->u.partial.partial = failed > 0;
    return MAPI_EC_SUCCESS;
}

/* ---- 2.2.1.11 RopDeleteMessages / 2.2.1.12 RopHardDeleteMessages (from a
 * search folder: from the folders the messages are in). Rights: DeleteAny,
 * or DeleteOwned for the user's own messages (others: PartialCompletion). */
static uint32_t delete_messages(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp, int hard)
{
    ms_mailbox_t *mbx;
    uint64_t fid;
    uint16_t i, failed = 0;
    uint32_t rights = 0;
    int search;
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &fid);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = rights_on(c, fid, &rights)) != MAPI_EC_SUCCESS)
        return ec;
    if (!(rights & (PERM_DELETE_ANY | PERM_DELETE_OWNED)))
        return MAPI_EC_ACCESS_DENIED;
    search = rop_is_search_folder(mbx, NULL, fid);
    for (i = 0; i < req->u.delete_messages.count; i++) {
        ms_id_t mid = req->u.delete_messages.mids[i];
        uint64_t from = real_folder(mbx, fid, search, mid);
        if (!may_remove(c, rights, from, mid) || ms_message_delete(NULL, mbx, from, &mid, 1, hard) != MS_OK)
            failed++;
    }
    resp->u.partial.partial = failed > 0;
    return MAPI_EC_SUCCESS;
}

static uint32_t rop_delete_messages(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return delete_messages(c, req, resp, 0);
}

static uint32_t rop_hard_delete_messages(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return delete_messages(c, req, resp, 1);
}

/* ---- 2.2.1.13 RopGetHierarchyTable / 2.2.1.14 RopGetContentsTable ---- */
static uint32_t get_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp, uint8_t kind)
{
    ms_mailbox_t *mbx;
    uint64_t fid;
    uint8_t flags = req->u.table.table_flags;
    uint8_t valid = kind == ROP_TABLE_HIERARCHY
                        ? (ROP_TF_DEPTH | ROP_TF_DEFERRED | ROP_TF_NO_NOTIFY | ROP_TF_SOFT_DELETES | ROP_TF_UNICODE |
                           ROP_TF_SUPPRESS)
                        : (ROP_TF_ASSOCIATED | ROP_TF_DEFERRED | ROP_TF_NO_NOTIFY | ROP_TF_SOFT_DELETES |
                           ROP_TF_UNICODE | ROP_TF_SUPPRESS);
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &fid);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (flags & ~valid)
        return MAPI_EC_INVALID_PARAMETER;
    /* [MS-OXCPERM] 2.2.7: the subfolders of a visible folder; the messages of a readable one */
    if ((ec = rop_perm_need(c, fid, kind == ROP_TABLE_HIERARCHY ? PERM_FOLDER_VISIBLE : PERM_READ_ANY)) !=
        MAPI_EC_SUCCESS)
        return ec;
    /* a search folder's contents are the messages its criteria find */
    if (kind == ROP_TABLE_CONTENTS && !(flags & (ROP_TF_ASSOCIATED | ROP_TF_SOFT_DELETES)) &&
        rop_is_search_folder(mbx, NULL, fid))
        kind = ROP_TABLE_SEARCH;
    return rop_table_open(c, req, kind, fid, flags, &resp->u.table.row_count);
}

static uint32_t rop_get_hierarchy_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return get_table(c, req, resp, ROP_TABLE_HIERARCHY);
}

static uint32_t rop_get_contents_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return get_table(c, req, resp, ROP_TABLE_CONTENTS);
}

/* ---- 2.2.1.4 RopSetSearchCriteria; 3.2.5.4 ---- */
static uint32_t rop_set_search_criteria(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint64_t fid;
    ms_propval_t props[3], *old;
    size_t np = 0, nold;
    uint32_t tags[2] = {ROP_TAG_SEARCH_RES, ROP_TAG_SEARCH_FOLDERS};
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &fid), flags = req->u.set_search_criteria.search_flags;
    uint16_t i;
    int have_res = 0, have_folders = 0;
    (void)resp;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!rop_is_search_folder(mbx, NULL, fid))
        return MAPI_EC_NOT_SUPPORTED;
    if ((ec = rop_perm_need(c, fid, PERM_FOLDER_OWNER)) != MAPI_EC_SUCCESS)
        return ec;
    if ((flags & ~SEARCH_REQ_VALID) || ((flags & STOP_SEARCH) && (flags & RESTART_SEARCH)) ||
        ((flags & RECURSIVE_SEARCH) && (flags & SHALLOW_SEARCH)))
        return MAPI_EC_INVALID_PARAMETER;
    if (ms_folder_get_props(NULL, mbx, fid, tags, 2, &old, &nold) == MS_OK) {
        have_res = nold > 0 && MS_PROP_TYPE(old[0].tag) != MS_PT_ERROR;
        have_folders = nold > 1 && MS_PROP_TYPE(old[1].tag) != MS_PT_ERROR;
        ms_propvals_free(old, nold);
    }
    memset(props, 0, sizeof(props));
    if (req->u.set_search_criteria.res) {
        ms_restriction_t *sres;
        mapi_wr_t wr;
        if ((ec = rop_restriction_to_store(c->arena, c->ectx->codepage, req->u.set_search_criteria.res, &sres)) !=
            MAPI_EC_SUCCESS)
            return ec;
        mapi_wr_init(&wr, 0);
        if (mapi_restriction_encode(&wr, MAPI_CTX_ROP, req->u.set_search_criteria.res) != 0 || !mapi_wr_ok(&wr)) {
            mapi_wr_free(&wr);
            return MAPI_EC_INVALID_PARAMETER;
        }
        props[np].tag = ROP_TAG_SEARCH_RES;
        props[np].value.bin.cb = (uint32_t)wr.len;
        props[np++].value.bin.pb = mapi_arena_memdup(c->arena, wr.p, wr.len);
        mapi_wr_free(&wr);
    } else if (!have_res) {
        return MAPI_EC_INVALID_PARAMETER; /* 2.2.1.4.1: not empty on the first search */
    }
    if (req->u.set_search_criteria.nfolders) {
        uint8_t *ids = mapi_arena_calloc(c->arena, req->u.set_search_criteria.nfolders, 8);
        if (!ids)
            return MAPI_EC_SERVER_OOM;
        for (i = 0; i < req->u.set_search_criteria.nfolders; i++) {
            uint64_t f = req->u.set_search_criteria.folder_ids[i];
            if (folder_exists(mbx, f) != MAPI_EC_SUCCESS)
                return MAPI_EC_NOT_FOUND;
            memcpy(ids + 8 * i, &f, 8); /* host order: read back by this code only */
        }
        props[np].tag = ROP_TAG_SEARCH_FOLDERS;
        props[np].value.bin.cb = 8u * req->u.set_search_criteria.nfolders;
        props[np++].value.bin.pb = ids;
    } else if (!have_folders) {
        return MAPI_EC_INVALID_PARAMETER;
    }
    props[np].tag = ROP_TAG_SEARCH_FLAGS;
    props[np++].value.l = (int32_t)flags;
    return rop_ec(ms_folder_set_props(NULL, mbx, fid, props, np));
}

/* ---- 2.2.1.5 RopGetSearchCriteria; 3.2.5.5 ---- */
static uint32_t rop_get_search_criteria(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint64_t fid;
    uint32_t tags[3] = {ROP_TAG_SEARCH_RES, ROP_TAG_SEARCH_FOLDERS, ROP_TAG_SEARCH_FLAGS}, flags, out;
    ms_propval_t *v;
    size_t n;
    uint32_t ec = need_folder(c, req->in_idx, &mbx, &fid);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!rop_is_search_folder(mbx, NULL, fid))
        return MAPI_EC_NOT_SUPPORTED;
    if ((ec = rop_ec(ms_folder_get_props(NULL, mbx, fid, tags, 3, &v, &n))) != MAPI_EC_SUCCESS)
        return ec;
    if (n != 3 || MS_PROP_TYPE(v[0].tag) == MS_PT_ERROR || MS_PROP_TYPE(v[2].tag) == MS_PT_ERROR) {
        ms_propvals_free(v, n);
        return MAPI_EC_NOT_INITIALIZED; /* criteria never set */
    }
    if (req->u.get_search_criteria.include_restriction) {
        mapi_rd_t rd;
        mapi_rd_init(&rd, v[0].value.bin.pb, v[0].value.bin.cb);
        if (mapi_restriction_decode(&rd, c->arena, MAPI_CTX_ROP, &resp->u.get_search_criteria.res) != 0)
            ec = MAPI_EC_GENERAL_FAILURE;
    }
    if (ec == MAPI_EC_SUCCESS && req->u.get_search_criteria.include_folders && MS_PROP_TYPE(v[1].tag) == MS_PT_BINARY) {
        uint32_t i, nf = v[1].value.bin.cb / 8;
        resp->u.get_search_criteria.folder_ids = mapi_arena_calloc(c->arena, nf ? nf : 1, sizeof(uint64_t));
        if (!resp->u.get_search_criteria.folder_ids)
            ec = MAPI_EC_SERVER_OOM;
        for (i = 0; ec == MAPI_EC_SUCCESS && i < nf; i++)
            memcpy(&resp->u.get_search_criteria.folder_ids[i], v[1].value.bin.pb + 8 * i, 8);
        resp->u.get_search_criteria.nfolders = (uint16_t)nf;
    }
    flags = (uint32_t)v[2].value.l;
    ms_propvals_free(v, n);
    out = SEARCH_COMPLETE;
    if (!(flags & STOP_SEARCH))
        out |= SEARCH_RUNNING;
    if (flags & RECURSIVE_SEARCH)
        out |= SEARCH_RECURSIVE;
    if (flags & STATIC_SEARCH)
        out |= SEARCH_STATIC;
    resp->u.get_search_criteria.search_flags = out;
    resp->u.get_search_criteria.logon_id = req->logon_id;
    return ec;
}

const rop_entry_t rop_folder_entries[] = {
    {ROP_OPEN_FOLDER, rop_open_folder},
    {ROP_CREATE_FOLDER, rop_create_folder},
    {ROP_DELETE_FOLDER, rop_delete_folder},
    {ROP_MOVE_FOLDER, rop_move_folder},
    {ROP_COPY_FOLDER, rop_copy_folder},
    {ROP_EMPTY_FOLDER, rop_empty_folder},
    {ROP_HARD_DELETE_MESSAGES_AND_SUBFOLDERS, rop_hard_empty_folder},
    {ROP_MOVE_COPY_MESSAGES, rop_move_copy_messages},
    {ROP_DELETE_MESSAGES, rop_delete_messages},
    {ROP_HARD_DELETE_MESSAGES, rop_hard_delete_messages},
    {ROP_GET_HIERARCHY_TABLE, rop_get_hierarchy_table},
    {ROP_GET_CONTENTS_TABLE, rop_get_contents_table},
    {ROP_SET_SEARCH_CRITERIA, rop_set_search_criteria},
    {ROP_GET_SEARCH_CRITERIA, rop_get_search_criteria},
    {0, NULL}};
