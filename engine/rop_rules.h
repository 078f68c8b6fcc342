/*
 * rop_rules.h - rules ([MS-OXORULE]) and permissions ([MS-OXCPERM]) of
 * folders: the ROPs (rop_rules.c, rop_perm.c), the rights check other
 * areas call (rop_perm_rights), and the small tables RopGetRulesTable and
 * RopGetPermissionsTable return.
 *
 * The tables of RopGetRulesTable and RopGetPermissionsTable are the table
 * area's (rop_table.h: kinds ROP_TABLE_RULES / ROP_TABLE_PERMISSIONS, with
 * its SetColumns, QueryRows, sort, restriction, bookmarks); their rows come
 * from the row sources rop_rules_table_rows() and
 * rop_permissions_table_rows() defined here.
 */
#ifndef ROP_RULES_H
#define ROP_RULES_H

#include "rop_engine.h"

/* PidTagMemberRights bits ([MS-OXCPERM] 2.2.7) */
#define PERM_READ_ANY          0x00000001u
#define PERM_CREATE            0x00000002u
#define PERM_EDIT_OWNED        0x00000008u
#define PERM_DELETE_OWNED      0x00000010u
#define PERM_EDIT_ANY          0x00000020u
#define PERM_DELETE_ANY        0x00000040u
#define PERM_CREATE_SUBFOLDER  0x00000080u
#define PERM_FOLDER_OWNER      0x00000100u
#define PERM_FOLDER_CONTACT    0x00000200u
#define PERM_FOLDER_VISIBLE    0x00000400u
#define PERM_FREEBUSY_SIMPLE   0x00000800u
#define PERM_FREEBUSY_DETAILED 0x00001000u
#define PERM_ALL               0x00001FFBu /* every flag the spec defines: the mailbox owner's rights */
#define PERM_FREEBUSY          (PERM_FREEBUSY_SIMPLE | PERM_FREEBUSY_DETAILED)

/* The rights `user` (a login name as the session has it; NULL or "" for
 * an anonymous user) has on folder fid of the session's mailbox: all
 * (PERM_ALL) for the mailbox's owner; otherwise the folder's permission
 * list - the member whose address-book entry id names the user's
 * mailbox, else the Default member (the Anonymous member for anonymous
 * users). ecNotFound when the folder does not exist. */
uint32_t rop_perm_rights(rop_ctx_t *c, ms_id_t fid, const char *user, uint32_t *rights);

/* ecSuccess when the session's user has every right of `need` on fid,
 * ecAccessDenied when not (ecNotFound: no such folder). */
uint32_t rop_perm_need(rop_ctx_t *c, ms_id_t fid, uint32_t need);
/* The same for message mid of fid: the rights `any`, or else `owned`
 * (PERM_EDIT_OWNED, PERM_DELETE_OWNED; 0 for none) on a message the user
 * created (its PidTagCreatorEntryId names the user; mid 0: a new one). */
uint32_t rop_perm_need_message(rop_ctx_t *c, ms_id_t fid, ms_id_t mid, uint32_t any, uint32_t owned);
/* PidTagCreatorEntryId, and the user's address-book entry id for it
 * ([MS-OXCDATA] 2.2.5.2) into out; its length, 0 when unknown. */
uint32_t rop_perm_creator_tag(void);
/* Whether the session's user owns the session's mailbox. */
int rop_perm_is_owner(rop_ctx_t *c);
size_t rop_perm_user_entryid(rop_ctx_t *c, uint8_t *out, size_t size);
/* For a hierarchy table of parent (depth: the whole subtree) seen by a
 * user who does not own the mailbox: a store restriction that keeps the
 * folders with FolderVisible for the user (arena memory); NULL for the
 * owner, who sees every folder. */
uint32_t rop_perm_visible_filter(rop_ctx_t *c, ms_txn_t *txn, ms_id_t parent, int depth, ms_restriction_t **out);
/* PidTagAccess ([MS-OXCPRPT] 2.2.1.1) and PidTagAccessLevel (2.2.1.2) of
 * a folder / of the messages in a folder, for someone with `rights` on it
 * (the *Owned rights, which depend on the message, are not counted). */
void rop_perm_folder_access(uint32_t rights, int32_t *access, int32_t *level);
void rop_perm_message_access(uint32_t rights, int32_t *access, int32_t *level);
/* Delegate access ([MS-OXCSTOR] 3.2.5.1.1): *owner when user owns mbx;
 * *granted when user owns it or has rights (other than free/busy) on any
 * of its folders, directly or as the Default member. For Connect and
 * RopLogon; needs no session (st: to find the user's own mailbox). */
uint32_t rop_perm_mailbox_access(ms_store_t *st, ms_mailbox_t *mbx, const char *user, int *owner, int *granted);

/* ---- shared by rop_rules.c and rop_perm.c ---- */
/* Rows (each a list of wire values) as the table area's row sources give
 * them: per row the values of cols (by property id; PT_ERROR ecNotFound
 * when absent). PtypRestriction and PtypRuleAction values, which store
 * values cannot hold, become PT_BINARY values of the same id holding their
 * ROP wire form. Free with ms_rowset_free(). */
uint32_t rop_rules_rowset(rop_ctx_t *c, const mapi_proplist_t *rows, uint32_t n, const uint32_t *cols,
                          size_t ncols, ms_rowset_t *out);
/* rop_perm.c: [MS-OXCPERM] 2.2.1 RopGetPermissionsTable, 2.2.2 RopModifyPermissions */
uint32_t rop_get_permissions_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_modify_permissions(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
/* The folder a ROP's input handle names (a folder object). */
uint32_t rop_rules_folder(rop_ctx_t *c, uint8_t idx, uint64_t *fid);

#endif /* ROP_RULES_H */
