/*
 * rop_msgobj.h - message, attachment and stream objects of the ROP engine
 * ([MS-OXCMSG] 3.2.5, [MS-OXCPRPT] 3.2.5), shared by rop_message.c,
 * rop_attach.c, rop_property.c and rop_stream.c.
 *
 * A message or attachment object is a base (fid, mid, attach number) plus
 * a journal of the changes not saved yet. Each request rebuilds the store's
 * in-memory message from the base and replays the journal, so an object
 * being edited survives being continued in another process. Blob ("MOB1"):
 *   u32 magic, u8 kind, u8 flags, u16 code page, u64 fid, u64 mid,
 *   u64 change number at open, u32 parent handle, u32 attach number,
 *   u32 journal length, journal
 * kind MOBJ_TOP: a message of a folder (mid 0 until its first save);
 * kind MOBJ_EMBEDDED: the embedded message of the attachment object whose
 * handle is `parent`; kind MOBJ_ATTACH: attachment `attach_num` of the
 * message object `parent`.
 * Journal: ops { u8 op, u32 len, payload } (see rop_msgobj.c).
 * Folder objects (rop_folder.c) are read through rop_folder_fid().
 */
#ifndef ROP_MSGOBJ_H
#define ROP_MSGOBJ_H

#include "rop_engine.h"

#define MOBJ_TOP 0
#define MOBJ_EMBEDDED 1
#define MOBJ_ATTACH 2

#define MOBJ_F_WRITE 0x01    /* opened read/write */
#define MOBJ_F_ASSOC 0x02    /* FAI message */
#define MOBJ_F_NEW 0x04      /* created, never saved */

#define MOBJ_NO_ATTACH 0xFFFFFFFFu
/* The largest object state kept per object (the session budget is 256 KB
 * for all of them; large values live in spill files, rop_spill.c). */
#define MOBJ_BLOB_MAX (96u * 1024u)

/* journal ops */
enum {
    MJ_SET = 1,         /* u32 n, n TaggedPropertyValues */
    MJ_DEL = 2,         /* u32 n, n tags */
    MJ_RECIP_SET = 3,   /* u32 rowid, u32 n, values (replace the row) */
    MJ_RECIP_DEL = 4,   /* u32 rowid */
    MJ_RECIP_CLEAR = 5, /* - */
    MJ_ATT_CREATE = 6,  /* u32 expected attach number */
    MJ_ATT_DEL = 7,     /* u32 attach number */
    MJ_ATT_APPLY = 8,   /* u32 attach number, journal of the attachment */
    MJ_EMB_APPLY = 9,   /* journal of the attachment's embedded message */
    MJ_SET_SPILL = 10   /* u32 tag, u8 32, 32 hex digits: the value is that spill file */
};

typedef struct {
    uint8_t kind, flags;
    uint16_t code_page;
    uint64_t fid, mid, cn;
    uint32_t parent;
    uint32_t attach_num;
    const uint8_t *journal;
    uint32_t journal_len;
} mobj_state_t;

/* A rebuilt object: `top` owns the memory; `msg` is the message the object
 * is or belongs to; `attach_num` the attachment (MOBJ_NO_ATTACH for
 * message objects). */
typedef struct {
    ms_message_t *top;
    ms_message_t *msg;
    uint32_t attach_num;
    mobj_state_t st;
} mobj_t;

int mobj_decode(const mapi_obj_t *o, mobj_state_t *st);
int mobj_store(mapi_obj_t *o, const mobj_state_t *st);
/* Rebuilds the object behind o (message or attachment). txn may be NULL. */
uint32_t mobj_load(rop_ctx_t *c, ms_txn_t *txn, const mapi_obj_t *o, mobj_t *m);
void mobj_free(mobj_t *m);
/* Appends an op to o's journal. An op that sets or deletes properties
 * (MJ_SET, MJ_SET_SPILL, MJ_DEL) first drops the earlier values of its
 * tags from the journal (removing spill files no longer named), so the
 * journal holds each property's latest change once. */
uint32_t mobj_journal_add(rop_ctx_t *c, mapi_obj_t *o, uint8_t op, const uint8_t *payload, size_t len);
/* The latest PtypInteger32 value of tag the journal's own MJ_SET ops set
 * (1 if found). */
int mobj_journal_long(rop_ctx_t *c, const mobj_state_t *st, uint32_t tag, int32_t *out);
/* Encodes an MJ_SET payload of n wire values. */
int mobj_encode_set(mapi_wr_t *wr, const mapi_propval_t *vals, size_t n);
/* Applies a journal to message msg (attach_num MOBJ_NO_ATTACH) or to an
 * attachment of msg. */
uint32_t mobj_apply(rop_ctx_t *c, ms_message_t *msg, uint32_t attach_num, const uint8_t *j, size_t len,
                    int depth);

/* rop_spill.c: large pending values in files ROOT/spool/<name> (name: 32
 * lowercase hex digits). */
#define MOBJ_SPILL_NAME 32
#define MOBJ_SPILL_MIN (16u * 1024u)         /* values above this are spilled */
#define MOBJ_SPILL_MAX (32u * 1024u * 1024u) /* largest value a stream may build */
int mobj_spill_name_ok(const char *name);
int mobj_spill_create(rop_ctx_t *c, const uint8_t *data, size_t len, char name[MOBJ_SPILL_NAME + 1]);
/* -1 when the file is gone (its message was saved meanwhile). */
int mobj_spill_write(rop_ctx_t *c, const char *name, uint64_t off, const uint8_t *data, size_t len);
int mobj_spill_truncate(rop_ctx_t *c, const char *name, uint64_t len);
/* The file's bytes (arena, two NULs after them), NULL if unreadable. */
uint8_t *mobj_spill_read(rop_ctx_t *c, const char *name, uint32_t *len);
/* Unlinks the spill files a journal names (after the message's save). */
void mobj_spill_remove_journal(rop_ctx_t *c, const uint8_t *j, size_t len, int depth);

/* Properties of any object (logon, folder, message, attachment) in wire
 * form, every one (stored + computed) or NULL tags. */
uint32_t rop_object_props(rop_ctx_t *c, const mapi_obj_t *o, mapi_propval_t **vals, size_t *n);
/* Sets / deletes properties on a folder, message or attachment object.
 * problems: per-value errors (arena). */
uint32_t rop_object_set_props(rop_ctx_t *c, mapi_obj_t *o, const mapi_propval_t *vals, size_t n,
                              mapi_problemarray_t *problems);
uint32_t rop_object_delete_props(rop_ctx_t *c, mapi_obj_t *o, const uint32_t *tags, size_t n,
                                 mapi_problemarray_t *problems);

/* The folder id behind a folder object (rop_folder.c's blob starts with
 * u32 magic "FLD1" and u64 fid, or with the u64 fid alone); 0 if unknown. */
uint64_t rop_folder_fid(const mapi_obj_t *o);
/* The folder a ROP names: a folder object's own fid, or for a logon object
 * the id given (OpenMessage / CreateMessage take either). */
uint32_t rop_obj_folder(rop_ctx_t *c, uint8_t idx, uint64_t *fid, mapi_obj_t **obj);

/* PidTagSubjectPrefix of a message: stored, or what PidTagSubject has
 * before PidTagNormalizedSubject (arena); NULL if neither tells. */
const char *mobj_subject_prefix(rop_ctx_t *c, ms_message_t *msg);

/* rop_message.c: the OpenMessage / ReloadCachedInformation /
 * OpenEmbeddedMessage body of a message ([MS-OXCROPS] 2.2.6.1.2). */
uint32_t rop_message_info(rop_ctx_t *c, ms_message_t *msg, mapi_rop_message_info_t *info);

/* rop_attach.c: attachment ROPs ([MS-OXCMSG] 2.2.3.12-2.2.3.18). */
uint32_t rop_open_attachment(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_create_attachment(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_delete_attachment(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_save_changes_attachment(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_get_valid_attachments(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
uint32_t rop_open_embedded_message(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
/* The rows of a message's attachment table, for the table ROPs
 * (RopGetAttachmentTable, [MS-OXCMSG] 2.2.3.17): one row per attachment of
 * the message object `msg_handle` with its pending changes, columns `cols`
 * (PidTagInstanceKey/RecordKey = the attach number as 4 bytes,
 * PidTagObjectType 7, PidTagRenderingPosition -1 and PidTagAttachSize
 * computed when not stored; others missing -> PT_ERROR ecNotFound).
 * Free with ms_rowset_free(). */
uint32_t rop_attach_table_rows(rop_ctx_t *c, uint32_t msg_handle, const uint32_t *cols, size_t ncols,
                               ms_rowset_t *out);
/* RopCopyTo with WantSubObjects between two message objects: dst's
 * recipients become src's, src's attachments (and one level of embedded
 * message) are added to dst, as pending changes of dst. */
uint32_t mobj_copy_subobjects(rop_ctx_t *c, const mapi_obj_t *src, mapi_obj_t *dst, int recipients,
                              int attachments);

#endif /* ROP_MSGOBJ_H */
