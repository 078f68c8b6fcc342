/*
 * rop_attach.c - attachment ROPs ([MS-OXCMSG] 2.2.3.12-2.2.3.18, server
 * behaviour 3.2.5.6-3.2.5.11). An attachment object journals its changes;
 * RopSaveChangesAttachment hands them to the message object, whose save
 * persists them. An embedded message journals into its attachment.
 */
#include "rop_msgobj.h"

#include <stdlib.h>
#include <string.h>

#define ATT_OPEN_READ_WRITE 0x01 /* OpenAttachmentFlags (2.2.3.12.1) */
#define ATT_OPEN_BEST_ACCESS 0x02
#define EMB_OPEN_READ_WRITE 0x01 /* OpenModeFlags of OpenEmbeddedMessage (2.2.3.16.1) */
#define EMB_OPEN_CREATE 0x02

static mapi_obj_t *typed_obj(rop_ctx_t *c, uint8_t idx, uint8_t type, mobj_state_t *st, uint32_t *ec)
{
    mapi_obj_t *o = rop_obj_of(c, idx, ROP_T(type), ec);
    if (o && mobj_decode(o, st) != 0) {
        *ec = MAPI_EC_INVALID_OBJECT;
        return NULL;
    }
    return o;
}

static uint32_t new_attach_obj(rop_ctx_t *c, const mapi_rop_req_t *req, const mapi_obj_t *msg_obj,
                               const mobj_state_t *mst, uint32_t num, int rw)
{
    mobj_state_t st;
    mapi_obj_t *o;
    uint32_t ec, parent = msg_obj->handle;
    if (!(o = rop_new_obj(c, req->out_idx, MAPI_OBJ_ATTACHMENT, req->logon_id, &ec)))
        return ec;
    memset(&st, 0, sizeof(st));
    st.kind = MOBJ_ATTACH;
    st.flags = rw ? MOBJ_F_WRITE : 0;
    st.code_page = mst->code_page;
    st.fid = mst->fid;
    st.mid = mst->mid;
    st.parent = parent;
    st.attach_num = num;
    return mobj_store(o, &st) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* 2.2.3.12 RopOpenAttachment; 3.2.5.6 */
uint32_t rop_open_attachment(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    mobj_t m;
    const ms_propval_t *v;
    size_t n;
    uint32_t ec;
    uint8_t fl = req->u.open_attachment.flags;
    int rw;
    mapi_obj_t *o = typed_obj(c, req->in_idx, MAPI_OBJ_MESSAGE, &st, &ec);
    (void)resp;
    if (!o)
        return ec;
    if (fl & ~(ATT_OPEN_READ_WRITE | ATT_OPEN_BEST_ACCESS))
        return MAPI_EC_INVALID_PARAMETER;
    rw = (fl & ATT_OPEN_READ_WRITE) || ((fl & ATT_OPEN_BEST_ACCESS) && (st.flags & MOBJ_F_WRITE));
    if (rw && !(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    ec = ms_message_get_attach(m.msg, req->u.open_attachment.attach_id, &v, &n) == MS_OK ? MAPI_EC_SUCCESS
                                                                                        : MAPI_EC_NOT_FOUND;
    mobj_free(&m);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    return new_attach_obj(c, req, o, &st, req->u.open_attachment.attach_id, rw);
}

/* 2.2.3.13 RopCreateAttachment; 3.2.5.7: the number is taken now (the
 * message's journal records the creation). */
uint32_t rop_create_attachment(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    mobj_t m;
    uint32_t ec, num = 0;
    uint8_t payload[4];
    mapi_obj_t *o = typed_obj(c, req->in_idx, MAPI_OBJ_MESSAGE, &st, &ec);
    if (!o)
        return ec;
    if (!(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_ec(ms_message_create_attach(m.msg, &num));
    mobj_free(&m);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    mapi_put_le32(payload, num);
    if ((ec = mobj_journal_add(c, o, MJ_ATT_CREATE, payload, 4)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = mobj_decode(o, &st) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_INVALID_OBJECT) != MAPI_EC_SUCCESS)
        return ec;
    ec = new_attach_obj(c, req, o, &st, num, 1);
    if (ec == MAPI_EC_SUCCESS)
        resp->u.create_attachment.attach_id = num;
    return ec;
}

/* 2.2.3.14 RopDeleteAttachment */
uint32_t rop_delete_attachment(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    mobj_t m;
    const ms_propval_t *v;
    size_t n;
    uint32_t ec;
    uint8_t payload[4];
    mapi_obj_t *o = typed_obj(c, req->in_idx, MAPI_OBJ_MESSAGE, &st, &ec);
    (void)resp;
    if (!o)
        return ec;
    if (!(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    ec = ms_message_get_attach(m.msg, req->u.delete_attachment.attach_id, &v, &n) == MS_OK ? MAPI_EC_SUCCESS
                                                                                          : MAPI_EC_NOT_FOUND;
    mobj_free(&m);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    mapi_put_le32(payload, req->u.delete_attachment.attach_id);
    return mobj_journal_add(c, o, MJ_ATT_DEL, payload, 4);
}

/* 2.2.3.15 RopSaveChangesAttachment: the changes join the message's. */
uint32_t rop_save_changes_attachment(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    mapi_obj_t *msg_obj;
    mapi_wr_t wr;
    uint32_t ec;
    mapi_obj_t *o = typed_obj(c, req->in_idx, MAPI_OBJ_ATTACHMENT, &st, &ec);
    (void)resp;
    if (!o)
        return ec;
    if (!(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    if (!(msg_obj = mapi_objtab_find(c->objs, st.parent)))
        return MAPI_EC_OBJECT_DELETED;
    if (st.journal_len == 0)
        return MAPI_EC_SUCCESS;
    mapi_wr_init(&wr, MOBJ_BLOB_MAX);
    mapi_wr_u32(&wr, st.attach_num);
    mapi_wr_bytes(&wr, st.journal, st.journal_len);
    ec = mapi_wr_ok(&wr) ? mobj_journal_add(c, msg_obj, MJ_ATT_APPLY, wr.p, wr.len) : MAPI_EC_OUT_OF_MEMORY;
    mapi_wr_free(&wr);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (mobj_decode(o, &st) != 0)
        return MAPI_EC_INVALID_OBJECT;
    st.journal = NULL;
    st.journal_len = 0;
    return mobj_store(o, &st) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* 2.2.3.17 RopGetValidAttachments */
uint32_t rop_get_valid_attachments(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    mobj_t m;
    size_t i, n;
    uint32_t ec;
    mapi_obj_t *o = typed_obj(c, req->in_idx, MAPI_OBJ_MESSAGE, &st, &ec);
    if (!o)
        return ec;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    n = ms_message_attach_count(m.msg);
    if (n > 0xFFFF)
        n = 0xFFFF;
    resp->u.valid_attachments.ids = mapi_arena_calloc(c->arena, n ? n : 1, sizeof(uint32_t));
    if (!resp->u.valid_attachments.ids)
        ec = MAPI_EC_SERVER_OOM;
    for (i = 0; ec == MAPI_EC_SUCCESS && i < n; i++)
        ms_message_attach_num(m.msg, i, &resp->u.valid_attachments.ids[i]);
    resp->u.valid_attachments.count = (uint16_t)n;
    mobj_free(&m);
    return ec;
}

/* 2.2.3.16 RopOpenEmbeddedMessage; 3.2.5.10 */
uint32_t rop_open_embedded_message(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st, est;
    mobj_t m;
    ms_message_t *emb = NULL;
    mapi_obj_t *eo;
    uint32_t ec, att_handle;
    uint8_t mode = req->u.open_embedded.open_mode;
    int rw = (mode & (EMB_OPEN_READ_WRITE | EMB_OPEN_CREATE)) != 0;
    mapi_obj_t *o = typed_obj(c, req->in_idx, MAPI_OBJ_ATTACHMENT, &st, &ec);
    if (!o)
        return ec;
    if (mode & ~(EMB_OPEN_READ_WRITE | EMB_OPEN_CREATE))
        return MAPI_EC_INVALID_PARAMETER;
    if (rw && !(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    if (ms_message_embedded(m.msg, m.attach_num, 0, &emb) != MS_OK) {
        emb = NULL;
        if (!(mode & EMB_OPEN_CREATE))
            ec = MAPI_EC_NOT_FOUND;
        else if ((ec = rop_ec(ms_message_embedded(m.msg, m.attach_num, 1, &emb))) == MAPI_EC_SUCCESS)
            ec = mobj_journal_add(c, o, MJ_EMB_APPLY, NULL, 0); /* it exists from now on */
    }
    if (ec == MAPI_EC_SUCCESS)
        ec = rop_message_info(c, emb, &resp->u.open_embedded.info);
    if (ec == MAPI_EC_SUCCESS)
        resp->u.open_embedded.message_id = ms_message_mid(emb);
    mobj_free(&m);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    att_handle = o->handle; /* o moves when the table grows */
    if (!(eo = rop_new_obj(c, req->out_idx, MAPI_OBJ_MESSAGE, req->logon_id, &ec)))
        return ec;
    memset(&est, 0, sizeof(est));
    est.kind = MOBJ_EMBEDDED;
    est.flags = rw ? MOBJ_F_WRITE : 0;
    est.code_page = req->u.open_embedded.code_page;
    est.fid = st.fid;
    est.parent = att_handle;
    est.attach_num = MOBJ_NO_ATTACH;
    return mobj_store(eo, &est) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* ---- rows of the attachment table ([MS-OXCMSG] 2.2.3.17 RopGetAttachmentTable) ---- */

#define PR_INSTANCE_KEY_TAG MS_PROP_TAG(MS_PT_BINARY, 0x0FF6)
#define PR_RECORD_KEY_TAG MS_PROP_TAG(MS_PT_BINARY, 0x0FF9)
#define PR_OBJECT_TYPE_TAG MS_PROP_TAG(MS_PT_LONG, 0x0FFE)
#define PR_RENDERING_POSITION MS_PROP_TAG(MS_PT_LONG, 0x370B)

/* The value of column `tag` for one attachment (computed ones included);
 * a missing one is PT_ERROR ecNotFound. */
static ms_err_t attach_cell(const ms_propval_t *v, size_t n, uint32_t num, uint32_t tag, ms_propval_t *out)
{
    uint8_t key[4];
    size_t i;
    uint16_t t = MS_PROP_TYPE(tag);
    memset(out, 0, sizeof(*out));
    for (i = 0; i < n; i++)
        if (MS_PROP_ID(v[i].tag) == MS_PROP_ID(tag) &&
            (t == MS_PT_UNSPECIFIED || t == MS_PROP_TYPE(v[i].tag) ||
             ((t == MS_PT_UNICODE || t == MS_PT_STRING8) &&
              (MS_PROP_TYPE(v[i].tag) == MS_PT_UNICODE || MS_PROP_TYPE(v[i].tag) == MS_PT_STRING8)))) {
            ms_err_t rc = ms_propval_dup(&v[i], out);
            if (rc == MS_OK && t != MS_PT_UNSPECIFIED)
                out->tag = tag; /* strings as the column asks */
            return rc;
        }
    mapi_put_le32(key, num);
    if (tag == PR_INSTANCE_KEY_TAG || tag == PR_RECORD_KEY_TAG) {
        ms_propval_t k = {tag, {0}};
        k.value.bin.cb = 4;
        k.value.bin.pb = key;
        return ms_propval_dup(&k, out);
    }
    out->tag = tag;
    if (tag == PR_OBJECT_TYPE_TAG) {
        out->value.l = 7; /* MAPI_ATTACH */
        return MS_OK;
    }
    if (tag == PR_RENDERING_POSITION) {
        out->value.l = -1; /* not rendered in the body */
        return MS_OK;
    }
    if (tag == MS_PR_ATTACH_SIZE) {
        int64_t size = 0;
        for (i = 0; i < n; i++)
            if (MS_PROP_TYPE(v[i].tag) == MS_PT_BINARY)
                size += v[i].value.bin.cb;
            else if (MS_PROP_TYPE(v[i].tag) == MS_PT_UNICODE || MS_PROP_TYPE(v[i].tag) == MS_PT_STRING8)
                size += v[i].value.str ? (int64_t)strlen(v[i].value.str) : 0;
        out->value.l = (int32_t)(size > 0x7FFFFFFF ? 0x7FFFFFFF : size);
        return MS_OK;
    }
    out->tag = MS_PROP_TAG(MS_PT_ERROR, MS_PROP_ID(tag));
    out->value.err = MAPI_EC_NOT_FOUND;
    return MS_OK;
}

uint32_t rop_attach_table_rows(rop_ctx_t *c, uint32_t msg_handle, const uint32_t *cols, size_t ncols,
                               ms_rowset_t *out)
{
    const mapi_obj_t *o = mapi_objtab_find(c->objs, msg_handle);
    mobj_t m;
    size_t i, k, n;
    uint32_t ec;
    memset(out, 0, sizeof(*out));
    if (!o || o->type != MAPI_OBJ_MESSAGE)
        return MAPI_EC_OBJECT_DELETED;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    n = ms_message_attach_count(m.msg);
    out->ncols = (uint32_t)ncols;
    out->rows = calloc(n ? n : 1, sizeof(*out->rows));
    if (!out->rows)
        ec = MAPI_EC_SERVER_OOM;
    for (i = 0; ec == MAPI_EC_SUCCESS && i < n; i++) {
        const ms_propval_t *v;
        size_t nv;
        uint32_t num;
        ms_propval_t *row = calloc(ncols ? ncols : 1, sizeof(*row));
        if (!row) {
            ec = MAPI_EC_SERVER_OOM;
            break;
        }
        out->rows[out->count++] = row;
        if (ms_message_attach_num(m.msg, i, &num) != MS_OK || ms_message_get_attach(m.msg, num, &v, &nv) != MS_OK)
            continue;
        for (k = 0; ec == MAPI_EC_SUCCESS && k < ncols; k++)
            ec = rop_ec(attach_cell(v, nv, num, cols[k], &row[k]));
    }
    mobj_free(&m);
    if (ec != MAPI_EC_SUCCESS)
        ms_rowset_free(out);
    return ec;
}

/* ---- copying recipients and attachments (RopCopyTo WantSubObjects,
 * [MS-OXCPRPT] 3.2.5.11) ---- */

/* Store values as an MJ_SET payload (wire values), computed ones left out. */
static uint32_t set_payload(rop_ctx_t *c, mapi_wr_t *wr, const ms_propval_t *v, size_t n)
{
    static const uint16_t computed[] = {0x0FFF, 0x0FF9, 0x0FF6, 0x0E09, 0x65E0, 0x65E1, 0x65E2, 0x65E3, 0x67A4,
                                        0x6748, 0x6749, 0x674A, 0x0E08, 0x0E1B, 0x0E21};
    mapi_propval_t *w = mapi_arena_calloc(c->arena, n ? n : 1, sizeof(*w));
    size_t i, k, m = 0;
    if (!w)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < n; i++) {
        int skip = MS_PROP_TYPE(v[i].tag) == MS_PT_ERROR || MS_PROP_TYPE(v[i].tag) == MS_PT_OBJECT ||
                   ((MS_PROP_TYPE(v[i].tag) & MS_PT_MV) && v[i].value.mv.count == 0);
        for (k = 0; k < sizeof(computed) / sizeof(computed[0]); k++)
            skip |= MS_PROP_ID(v[i].tag) == computed[k];
        if (skip)
            continue;
        if (rop_prop_from_store(c->arena, c->ectx->codepage, &v[i], &w[m]) != 0)
            return MAPI_EC_SERVER_OOM;
        if (MAPI_PROP_TYPE(w[m].tag) != MAPI_PT_ERROR)
            m++;
    }
    return mobj_encode_set(wr, w, m) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_OUT_OF_MEMORY;
}

/* One op { u8 op, u32 len, payload } appended to a journal being built. */
static void put_op(mapi_wr_t *j, uint8_t op, const mapi_wr_t *payload)
{
    mapi_wr_u8(j, op);
    mapi_wr_u32(j, (uint32_t)payload->len);
    mapi_wr_bytes(j, payload->p, payload->len);
}

/* The journal that makes a message's recipients (after clearing) those of src. */
static uint32_t recipients_journal(rop_ctx_t *c, ms_message_t *src, mapi_wr_t *j)
{
    size_t i, n = ms_message_recipient_count(src);
    uint32_t ec = MAPI_EC_SUCCESS;
    mapi_wr_u8(j, MJ_RECIP_CLEAR);
    mapi_wr_u32(j, 0);
    for (i = 0; ec == MAPI_EC_SUCCESS && i < n; i++) {
        const ms_propval_t *v;
        size_t nv, k;
        uint32_t rowid = (uint32_t)i;
        mapi_wr_t p;
        if (ms_message_get_recipient(src, i, &v, &nv) != MS_OK)
            continue;
        for (k = 0; k < nv; k++)
            if (v[k].tag == MS_PR_ROWID)
                rowid = (uint32_t)v[k].value.l;
        mapi_wr_init(&p, MOBJ_BLOB_MAX);
        mapi_wr_u32(&p, rowid);
        ec = set_payload(c, &p, v, nv);
        if (ec == MAPI_EC_SUCCESS)
            put_op(j, MJ_RECIP_SET, &p);
        mapi_wr_free(&p);
    }
    return ec;
}

uint32_t mobj_copy_subobjects(rop_ctx_t *c, const mapi_obj_t *src, mapi_obj_t *dst, int recipients, int attachments)
{
    mobj_t s, d;
    mapi_wr_t j;
    size_t i, n;
    uint32_t ec;
    if ((ec = mobj_load(c, NULL, src, &s)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = mobj_load(c, NULL, dst, &d)) != MAPI_EC_SUCCESS) {
        mobj_free(&s);
        return ec;
    }
    mapi_wr_init(&j, MOBJ_BLOB_MAX);
    if (recipients)
        ec = recipients_journal(c, s.msg, &j);
    n = attachments ? ms_message_attach_count(s.msg) : 0;
    for (i = 0; ec == MAPI_EC_SUCCESS && i < n; i++) {
        const ms_propval_t *v;
        size_t nv;
        uint32_t snum, dnum;
        ms_message_t *emb;
        mapi_wr_t p, aj;
        if (ms_message_attach_num(s.msg, i, &snum) != MS_OK || ms_message_get_attach(s.msg, snum, &v, &nv) != MS_OK)
            continue;
        if ((ec = rop_ec(ms_message_create_attach(d.msg, &dnum))) != MAPI_EC_SUCCESS)
            break; /* numbers as the replay will give them */
        mapi_wr_u8(&j, MJ_ATT_CREATE);
        mapi_wr_u32(&j, 4);
        mapi_wr_u32(&j, dnum);
        mapi_wr_init(&aj, MOBJ_BLOB_MAX);
        mapi_wr_init(&p, MOBJ_BLOB_MAX);
        ec = set_payload(c, &p, v, nv);
        if (ec == MAPI_EC_SUCCESS)
            put_op(&aj, MJ_SET, &p);
        mapi_wr_free(&p);
        if (ec == MAPI_EC_SUCCESS && ms_message_embedded(s.msg, snum, 0, &emb) == MS_OK) {
            /* an embedded message: its properties and recipients (one level) */
            const ms_propval_t *ev;
            size_t nev;
            mapi_wr_t ej;
            mapi_wr_init(&ej, MOBJ_BLOB_MAX);
            mapi_wr_init(&p, MOBJ_BLOB_MAX);
            if (ms_message_get_all(emb, &ev, &nev) == MS_OK && (ec = set_payload(c, &p, ev, nev)) == MAPI_EC_SUCCESS)
                put_op(&ej, MJ_SET, &p);
            if (ec == MAPI_EC_SUCCESS)
                ec = recipients_journal(c, emb, &ej);
            if (ec == MAPI_EC_SUCCESS)
                put_op(&aj, MJ_EMB_APPLY, &ej);
            mapi_wr_free(&p);
            mapi_wr_free(&ej);
        }
        if (ec == MAPI_EC_SUCCESS) {
            mapi_wr_u8(&j, MJ_ATT_APPLY);
            mapi_wr_u32(&j, (uint32_t)aj.len + 4);
            mapi_wr_u32(&j, dnum);
            mapi_wr_bytes(&j, aj.p, aj.len);
        }
        if (!mapi_wr_ok(&aj))
            ec = MAPI_EC_OUT_OF_MEMORY;
        mapi_wr_free(&aj);
    }
    mobj_free(&s);
    mobj_free(&d);
    if (ec == MAPI_EC_SUCCESS && !mapi_wr_ok(&j))
        ec = MAPI_EC_OUT_OF_MEMORY;
    /* the ops go in as one batch: appended op by op so the journal stays a list */
    if (ec == MAPI_EC_SUCCESS) {
        mapi_rd_t rd;
        mapi_rd_init(&rd, j.p, j.len);
        while (ec == MAPI_EC_SUCCESS && mapi_rd_left(&rd) > 0) {
            uint8_t op = mapi_rd_u8(&rd);
            uint32_t len = mapi_rd_u32(&rd);
            const uint8_t *pl = mapi_rd_bytes(&rd, len);
            ec = mapi_rd_ok(&rd) ? mobj_journal_add(c, dst, op, pl, len) : MAPI_EC_SERVER_OOM;
        }
    }
    mapi_wr_free(&j);
    return ec;
}
