/*
 * rop_stream.c - stream ROPs ([MS-OXCPRPT] 2.2.14-2.2.26, server behaviour
 * 3.2.5.13-3.2.5.23) on a property of a folder, message or attachment.
 *
 * A stream object holds no data: its blob ("STM2") is
 *   u32 magic, u32 parent handle, u32 tag, u8 mode, u8 emptied, u32 position,
 *   u8 spill name length (0 or 32), spill name
 * and every read takes the bytes from the parent's current value (a message
 * or attachment rebuilt with its pending changes). Writes go straight into
 * the parent's pending changes (one coalesced SetProperties of the tag), so
 * they are there whether the client commits or releases the stream; the
 * parent's own save persists them (folders: at once). A value past
 * MOBJ_SPILL_MIN lives in a spill file (rop_spill.c) that later writes
 * update in place.
 * Byte forms: PtypBinary as is; PtypString8 in the session code page;
 * PtypUnicode UTF-16LE; neither with a terminator.
 */
#include "rop_msgobj.h"
#include "rop_rules.h"

#include <stdlib.h>
#include <string.h>

#define STM_MAGIC 0x324D5453u /* "STM2" */
#define STM_READ_ONLY 0x00    /* OpenModeFlags (2.2.14.1) */
#define STM_READ_WRITE 0x01
#define STM_CREATE 0x02
#define STM_MAX_SIZE 0x7FFFFFFFu /* 2^31 - 1 */
#define STM_READ_MAX 0x7800u     /* bytes one ReadStream answers at most: the response frame holds 32 KB */
#define READ_USE_MAX 0xBAD0u     /* ByteCount meaning "see MaximumByteCount" */

#define EC_STREAM_ACCESS_DENIED 0x80030005u
#define EC_STREAM_SEEK_ERROR 0x80030019u
#define EC_STREAM_INVALID_PARAM 0x80030057u
#define EC_STREAM_SIZE_ERROR 0x80030070u

typedef struct {
    uint32_t parent, tag;
    uint8_t mode, emptied;
    uint32_t pos;
    char spill[MOBJ_SPILL_NAME + 1]; /* "" when the value is inline */
} stm_state_t;

static int stm_decode(const mapi_obj_t *o, stm_state_t *s)
{
    mapi_rd_t rd;
    if (!o->data)
        return -1;
    mapi_rd_init(&rd, o->data, o->data_len);
    if (mapi_rd_u32(&rd) != STM_MAGIC)
        return -1;
    s->parent = mapi_rd_u32(&rd);
    s->tag = mapi_rd_u32(&rd);
    s->mode = mapi_rd_u8(&rd);
    s->emptied = mapi_rd_u8(&rd);
    s->pos = mapi_rd_u32(&rd);
    s->spill[0] = '\0';
    {
        uint8_t nl = mapi_rd_u8(&rd);
        const uint8_t *np = mapi_rd_bytes(&rd, nl);
        if (nl == MOBJ_SPILL_NAME && np) {
            memcpy(s->spill, np, MOBJ_SPILL_NAME);
            s->spill[MOBJ_SPILL_NAME] = '\0';
            if (!mobj_spill_name_ok(s->spill))
                return -1;
        } else if (nl != 0) {
            return -1;
        }
    }
    return mapi_rd_ok(&rd) && mapi_rd_left(&rd) == 0 ? 0 : -1;
}

static int stm_store(mapi_obj_t *o, const stm_state_t *s)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    mapi_wr_u32(&wr, STM_MAGIC);
    mapi_wr_u32(&wr, s->parent);
    mapi_wr_u32(&wr, s->tag);
    mapi_wr_u8(&wr, s->mode);
    mapi_wr_u8(&wr, s->emptied);
    mapi_wr_u32(&wr, s->pos);
    mapi_wr_u8(&wr, s->spill[0] ? MOBJ_SPILL_NAME : 0);
    if (s->spill[0])
        mapi_wr_bytes(&wr, s->spill, MOBJ_SPILL_NAME);
    return rop_obj_set_data(o, &wr);
}

static int streamable_type(uint16_t t)
{
    return t == MAPI_PT_BINARY || t == MAPI_PT_STRING8 || t == MAPI_PT_UNICODE || t == MAPI_PT_OBJECT;
}

/* The stream's bytes now (arena). Absent property: *found = 0, no bytes. */
static uint32_t stream_bytes(rop_ctx_t *c, const mapi_obj_t *parent, uint32_t tag, uint8_t **data, uint32_t *len,
                             int *found)
{
    mapi_propval_t *all, v;
    const mapi_propval_t *have;
    size_t n;
    uint32_t ec = rop_object_props(c, parent, &all, &n);
    uint16_t t = MAPI_PROP_TYPE(tag);
    *data = NULL;
    *len = 0;
    *found = 0;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    have = mapi_propval_find(all, n, MAPI_PROP_CHANGE_TYPE(tag, MAPI_PT_UNSPECIFIED));
    if (!have)
        return MAPI_EC_SUCCESS;
    if (t == MAPI_PT_OBJECT)
        t = MAPI_PT_BINARY;
    if (mapi_propval_for_request(c->arena, c->ectx->codepage, 1, MAPI_PROP_CHANGE_TYPE(tag, t), have, 0, &v) != 0)
        return MAPI_EC_SERVER_OOM;
    if (MAPI_PROP_TYPE(v.tag) == MAPI_PT_ERROR)
        return MAPI_EC_SUCCESS; /* another type: not this stream */
    *found = 1;
    if (t == MAPI_PT_BINARY) {
        *data = v.v.bin.data;
        *len = v.v.bin.len;
    } else if (t == MAPI_PT_STRING8) {
        *data = (uint8_t *)v.v.str;
        *len = (uint32_t)strlen(v.v.str);
    } else {
        mapi_wr_t wr;
        mapi_wr_init(&wr, 0);
        mapi_wr_utf16z_from_utf8(&wr, v.v.str ? v.v.str : "");
        if (!mapi_wr_ok(&wr) || wr.len < 2) {
            mapi_wr_free(&wr);
            return MAPI_EC_SERVER_OOM;
        }
        *len = (uint32_t)wr.len - 2; /* without the terminator */
        *data = mapi_arena_memdup(c->arena, wr.p, wr.len);
        mapi_wr_free(&wr);
    }
    return MAPI_EC_SUCCESS;
}

/* Writes the stream's whole new content into the parent. */
static uint32_t stream_put(rop_ctx_t *c, mapi_obj_t *parent, uint32_t tag, const uint8_t *data, uint32_t len)
{
    mapi_propval_t v;
    mapi_problemarray_t probs;
    uint16_t t = MAPI_PROP_TYPE(tag);
    uint32_t ec;
    memset(&v, 0, sizeof(v));
    if (t == MAPI_PT_OBJECT)
        t = MAPI_PT_BINARY;
    v.tag = MAPI_PROP_CHANGE_TYPE(tag, t);
    if (t == MAPI_PT_BINARY) {
        v.v.bin.data = (uint8_t *)data;
        v.v.bin.len = len;
    } else if (t == MAPI_PT_STRING8) {
        v.v.str = mapi_arena_strndup(c->arena, (const char *)data, len);
    } else {
        char *s = mapi_utf16le_to_utf8(data, len / 2); /* an odd last byte waits for its pair */
        v.v.str = s ? mapi_arena_strndup(c->arena, s, strlen(s)) : NULL;
        free(s);
    }
    if (t != MAPI_PT_BINARY && !v.v.str)
        return MAPI_EC_SERVER_OOM;
    ec = rop_object_set_props(c, parent, &v, 1, &probs);
    if (ec == MAPI_EC_SUCCESS && probs.count)
        ec = probs.probs[0].err;
    return ec == MAPI_EC_OUT_OF_MEMORY ? EC_STREAM_SIZE_ERROR : ec;
}

static mapi_obj_t *stream_obj(rop_ctx_t *c, uint8_t idx, stm_state_t *s, mapi_obj_t **parent, uint32_t *ec)
{
    mapi_obj_t *o = rop_obj_of(c, idx, ROP_T(MAPI_OBJ_STREAM), ec);
    if (!o)
        return NULL;
    if (stm_decode(o, s) != 0) {
        *ec = MAPI_EC_INVALID_OBJECT;
        return NULL;
    }
    if (!(*parent = mapi_objtab_find(c->objs, s->parent))) {
        *ec = MAPI_EC_OBJECT_DELETED; /* the object it belongs to was released */
        return NULL;
    }
    return o;
}

/* A binary property of a saved message or attachment without pending
 * changes is read from the store piecewise ([MS-OXCPRPT] streams of large
 * attachments), not rebuilt for every ReadStream. */
static int store_backed(rop_ctx_t *c, const stm_state_t *s, const mapi_obj_t *p, uint64_t *mid, uint32_t *att)
{
    mobj_state_t st, pst;
    const mapi_obj_t *po;
    uint16_t t = MAPI_PROP_TYPE(s->tag);
    if (s->emptied || (t != MAPI_PT_BINARY && t != MAPI_PT_OBJECT) || mobj_decode(p, &st) != 0 || st.journal_len)
        return 0;
    if (p->type == MAPI_OBJ_MESSAGE && st.kind == MOBJ_TOP && st.mid) {
        *mid = st.mid;
        *att = UINT32_MAX;
        return 1;
    }
    if (p->type != MAPI_OBJ_ATTACHMENT || st.kind != MOBJ_ATTACH || !(po = mapi_objtab_find(c->objs, st.parent)) ||
        mobj_decode(po, &pst) != 0 || pst.kind != MOBJ_TOP || !pst.mid || pst.journal_len)
        return 0;
    *mid = pst.mid;
    *att = st.attach_num;
    return 1;
}

/* Size and, with want > 0, the bytes at pos from the store; -1 when the
 * store cannot answer (then the object is rebuilt). */
static int store_slice(rop_ctx_t *c, const stm_state_t *s, const mapi_obj_t *p, uint32_t pos, uint32_t want,
                       uint8_t **data, uint32_t *got, uint32_t *size)
{
    ms_mailbox_t *mbx;
    uint64_t mid, total;
    uint32_t att, ec;
    size_t n = 0;
    if (!store_backed(c, s, p, &mid, &att) || !(mbx = rop_mailbox(c, &ec)))
        return -1;
    if (ms_stream_size(NULL, mbx, mid, att, MAPI_PROP_CHANGE_TYPE(s->tag, MAPI_PT_BINARY), &total) != MS_OK ||
        total > STM_MAX_SIZE)
        return -1;
    *size = (uint32_t)total;
    *got = 0;
    if (want == 0 || pos >= total)
        return 0;
    if (want > total - pos)
        want = (uint32_t)(total - pos);
    if (!(*data = mapi_arena_alloc(c->arena, want)))
        return -1;
    if (ms_stream_read(NULL, mbx, mid, att, MAPI_PROP_CHANGE_TYPE(s->tag, MAPI_PT_BINARY), pos, *data, want, &n) !=
        MS_OK)
        return -1;
    *got = (uint32_t)n;
    return 0;
}

/* The current content: what the parent has, unless opened with Create
 * and not written yet. */
static uint32_t current(rop_ctx_t *c, const stm_state_t *s, const mapi_obj_t *parent, uint8_t **data, uint32_t *len)
{
    int found;
    if (s->emptied) {
        *data = NULL;
        *len = 0;
        return MAPI_EC_SUCCESS;
    }
    return stream_bytes(c, parent, s->tag, data, len, &found);
}

/* 2.2.14 RopOpenStream; 3.2.5.13 */
static uint32_t rop_open_stream(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    unsigned mask = ROP_T(MAPI_OBJ_FOLDER) | ROP_T(MAPI_OBJ_MESSAGE) | ROP_T(MAPI_OBJ_ATTACHMENT);
    uint32_t ec, len, tag = req->u.open_stream.tag, parent_handle;
    uint8_t mode = req->u.open_stream.open_mode, *data;
    int found;
    stm_state_t s;
    mapi_obj_t *o, *p = rop_obj_of(c, req->in_idx, mask, &ec);
    mobj_state_t ms;
    if (!p)
        return ec;
    if (!streamable_type(MAPI_PROP_TYPE(tag)))
        return MAPI_EC_NOT_SUPPORTED;
    if (mode > STM_CREATE)
        return MAPI_EC_INVALID_PARAMETER;
    if (mode != STM_READ_ONLY && p->type != MAPI_OBJ_FOLDER && (mobj_decode(p, &ms) != 0 || !(ms.flags & MOBJ_F_WRITE)))
        return MAPI_EC_ACCESS_DENIED;
    /* writing a folder's property takes FolderOwner ([MS-OXCPERM] 2.2.7) */
    if (mode != STM_READ_ONLY && p->type == MAPI_OBJ_FOLDER && rop_folder_fid(p) &&
        (ec = rop_perm_need(c, rop_folder_fid(p), PERM_FOLDER_OWNER)) != MAPI_EC_SUCCESS)
        return ec;
    memset(&s, 0, sizeof(s));
    s.tag = tag;
    s.mode = mode;
    s.emptied = mode == STM_CREATE;
    if (store_slice(c, &s, p, 0, 0, &data, &ec, &len) == 0) {
        found = 1;
    } else {
        if ((ec = stream_bytes(c, p, tag, &data, &len, &found)) != MAPI_EC_SUCCESS)
            return ec;
        if (!found && mode == STM_READ_ONLY)
            return MAPI_EC_NOT_FOUND;
    }
    parent_handle = p->handle;
    if (!(o = rop_new_obj(c, req->out_idx, MAPI_OBJ_STREAM, req->logon_id, &ec)))
        return ec;
    s.parent = parent_handle;
    resp->u.stream_size.size = s.emptied ? 0 : len;
    return stm_store(o, &s) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* 2.2.15 RopReadStream */
static uint32_t rop_read_stream(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s;
    mapi_obj_t *p, *o;
    uint32_t ec, len, want = req->u.read_stream.byte_count;
    uint8_t *data;
    if (!(o = stream_obj(c, req->in_idx, &s, &p, &ec)))
        return ec;
    if (want == READ_USE_MAX)
        want = req->u.read_stream.max_byte_count;
    if (want > STM_READ_MAX)
        want = STM_READ_MAX;
    if (store_slice(c, &s, p, s.pos, want, &data, &want, &len) == 0) {
        resp->u.read_stream.data.data = want ? data : NULL;
    } else {
        if ((ec = current(c, &s, p, &data, &len)) != MAPI_EC_SUCCESS)
            return ec;
        if (s.pos >= len)
            want = 0;
        else if (want > len - s.pos)
            want = len - s.pos;
        resp->u.read_stream.data.data = want ? data + s.pos : NULL;
    }
    resp->u.read_stream.data.len = want;
    s.pos += want;
    return stm_store(o, &s) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* The stream's whole new value into the parent: inline, or for a large
 * value of a message or attachment a spill file the journal names. */
static uint32_t put_value(rop_ctx_t *c, stm_state_t *s, mapi_obj_t *p, const uint8_t *buf, uint32_t len)
{
    mobj_state_t ps;
    uint8_t payload[5 + MOBJ_SPILL_NAME];
    char name[MOBJ_SPILL_NAME + 1];
    uint32_t ec, tag = s->tag;
    s->spill[0] = '\0';
    if (len <= MOBJ_SPILL_MIN || p->type == MAPI_OBJ_FOLDER)
        return stream_put(c, p, s->tag, buf, len);
    if (len > MOBJ_SPILL_MAX)
        return EC_STREAM_SIZE_ERROR;
    if (mobj_decode(p, &ps) != 0 || !(ps.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    if (MAPI_PROP_TYPE(tag) == MAPI_PT_OBJECT)
        tag = MAPI_PROP_CHANGE_TYPE(tag, MAPI_PT_BINARY);
    if (mobj_spill_create(c, buf, len, name) != 0)
        return EC_STREAM_SIZE_ERROR; /* no room for it */
    mapi_put_le32(payload, tag);
    payload[4] = MOBJ_SPILL_NAME;
    memcpy(payload + 5, name, MOBJ_SPILL_NAME);
    if ((ec = mobj_journal_add(c, p, MJ_SET_SPILL, payload, sizeof(payload))) != MAPI_EC_SUCCESS)
        return ec == MAPI_EC_OUT_OF_MEMORY ? EC_STREAM_SIZE_ERROR : ec;
    memcpy(s->spill, name, sizeof(name));
    return MAPI_EC_SUCCESS;
}

/* Writes bytes at the position (zeros fill a gap), moves the position. */
static uint32_t write_at(rop_ctx_t *c, mapi_obj_t *o, stm_state_t *s, mapi_obj_t *p, const uint8_t *in, uint32_t n)
{
    uint8_t *old, *buf;
    uint32_t ec, len, nlen;
    if (s->mode == STM_READ_ONLY)
        return EC_STREAM_ACCESS_DENIED;
    if ((uint64_t)s->pos + n > STM_MAX_SIZE)
        return EC_STREAM_SIZE_ERROR;
    if (s->spill[0] && !s->emptied) {
        if ((uint64_t)s->pos + n > MOBJ_SPILL_MAX)
            return EC_STREAM_SIZE_ERROR;
        if (mobj_spill_write(c, s->spill, s->pos, in, n) == 0) {
            s->pos += n;
            return stm_store(o, s) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
        }
        s->spill[0] = '\0'; /* its message was saved since: start from its value */
    }
    if ((ec = current(c, s, p, &old, &len)) != MAPI_EC_SUCCESS)
        return ec;
    nlen = s->pos + n > len ? s->pos + n : len;
    buf = mapi_arena_calloc(c->arena, nlen + 1, 1);
    if (!buf)
        return MAPI_EC_SERVER_OOM;
    if (len)
        memcpy(buf, old, len);
    if (n)
        memcpy(buf + s->pos, in, n);
    if ((ec = put_value(c, s, p, buf, nlen)) != MAPI_EC_SUCCESS)
        return ec;
    s->pos += n;
    s->emptied = 0;
    return stm_store(o, s) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* 2.2.16 RopWriteStream / 2.2.26 RopWriteAndCommitStream */
static uint32_t rop_write_stream(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s;
    mapi_obj_t *p, *o;
    uint32_t ec;
    if (!(o = stream_obj(c, req->in_idx, &s, &p, &ec)))
        return ec;
    if (req->rop_id == ROP_WRITE_AND_COMMIT_STREAM && p->type == MAPI_OBJ_FOLDER)
        return MAPI_EC_NOT_SUPPORTED; /* 2.2.26: not on folder streams */
    ec = write_at(c, o, &s, p, req->u.write_stream.data.data, req->u.write_stream.data.len);
    resp->u.write_stream.written = ec == MAPI_EC_SUCCESS ? (uint16_t)req->u.write_stream.data.len : 0;
    return ec;
}

/* 2.2.18 RopCommitStream: writes are in the parent already. */
static uint32_t rop_commit_stream(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s;
    mapi_obj_t *p, *o;
    uint32_t ec;
    (void)resp;
    if (!(o = stream_obj(c, req->in_idx, &s, &p, &ec)))
        return ec;
    if (s.emptied && s.mode == STM_CREATE) /* created and committed empty */
        return stream_put(c, p, s.tag, (const uint8_t *)"", 0);
    return MAPI_EC_SUCCESS;
}

/* 2.2.19 RopGetStreamSize */
static uint32_t rop_get_stream_size(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s;
    mapi_obj_t *p;
    uint8_t *data;
    uint32_t ec, len;
    if (!stream_obj(c, req->in_idx, &s, &p, &ec))
        return ec;
    if (store_slice(c, &s, p, 0, 0, &data, &ec, &len) != 0 &&
        (ec = current(c, &s, p, &data, &len)) != MAPI_EC_SUCCESS)
        return ec;
    resp->u.stream_size.size = len;
    return MAPI_EC_SUCCESS;
}

/* 2.2.20 RopSetStreamSize: cut or zero-extend. */
static uint32_t rop_set_stream_size(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s;
    mapi_obj_t *p, *o;
    uint8_t *data, *buf;
    uint32_t ec, len;
    uint64_t want = req->u.set_stream_size.size;
    (void)resp;
    if (!(o = stream_obj(c, req->in_idx, &s, &p, &ec)))
        return ec;
    if (s.mode == STM_READ_ONLY)
        return EC_STREAM_ACCESS_DENIED;
    if (want > STM_MAX_SIZE || (s.spill[0] && want > MOBJ_SPILL_MAX))
        return EC_STREAM_SIZE_ERROR;
    if (s.spill[0] && !s.emptied && mobj_spill_truncate(c, s.spill, want) == 0)
        return MAPI_EC_SUCCESS; /* the file is the value */
    if ((ec = current(c, &s, p, &data, &len)) != MAPI_EC_SUCCESS)
        return ec;
    buf = mapi_arena_calloc(c->arena, (size_t)want + 1, 1);
    if (!buf)
        return MAPI_EC_SERVER_OOM;
    memcpy(buf, data ? data : buf, len < want ? len : (size_t)want);
    if ((ec = put_value(c, &s, p, buf, (uint32_t)want)) != MAPI_EC_SUCCESS)
        return ec;
    s.emptied = 0;
    return stm_store(o, &s) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* 2.2.21 RopSeekStream; 3.2.5.18 */
static uint32_t rop_seek_stream(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s;
    mapi_obj_t *p, *o;
    uint8_t *data;
    uint32_t ec, len;
    int64_t base, to;
    if (!(o = stream_obj(c, req->in_idx, &s, &p, &ec)))
        return ec;
    switch (req->u.seek_stream.origin) {
    case 0: base = 0; break;
    case 1: base = s.pos; break;
    case 2:
        if ((ec = current(c, &s, p, &data, &len)) != MAPI_EC_SUCCESS)
            return ec;
        base = len;
        break;
    default: return EC_STREAM_INVALID_PARAM;
    }
    if (req->u.seek_stream.offset > (int64_t)STM_MAX_SIZE || req->u.seek_stream.offset < -(int64_t)STM_MAX_SIZE)
        return EC_STREAM_SEEK_ERROR;
    to = base + req->u.seek_stream.offset;
    if (to < 0 || to > (int64_t)STM_MAX_SIZE)
        return EC_STREAM_SEEK_ERROR;
    s.pos = (uint32_t)to;
    resp->u.seek_stream.position = (uint64_t)to;
    return stm_store(o, &s) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

/* 2.2.22 RopCopyToStream: ByteCount bytes from the source position to the
 * destination stream's position. */
static uint32_t rop_copy_to_stream(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s, d;
    mapi_obj_t *sp, *dp, *so, *dobj;
    uint8_t *data;
    uint32_t ec, len, n;
    if (!(so = stream_obj(c, req->in_idx, &s, &sp, &ec)))
        return ec;
    if (!rop_obj(c, req->out_idx, &ec)) {
        resp->ret = MAPI_EC_DST_NULL_OBJECT;
        resp->u.copy_to_stream.dest_idx = req->out_idx;
        return MAPI_EC_DST_NULL_OBJECT;
    }
    if (!(dobj = stream_obj(c, req->out_idx, &d, &dp, &ec)))
        return ec;
    if ((ec = current(c, &s, sp, &data, &len)) != MAPI_EC_SUCCESS)
        return ec;
    n = s.pos >= len ? 0 : len - s.pos;
    if (req->u.copy_to_stream.byte_count < n)
        n = (uint32_t)req->u.copy_to_stream.byte_count;
    if (so == dobj) {
        d = s;
    }
    if ((ec = write_at(c, dobj, &d, dp, data + (n ? s.pos : 0), n)) != MAPI_EC_SUCCESS)
        return ec;
    if (so != dobj) {
        s.pos += n;
        if (stm_store(so, &s) != 0)
            return MAPI_EC_SERVER_OOM;
    }
    resp->u.copy_to_stream.read = n;
    resp->u.copy_to_stream.written = n;
    return MAPI_EC_SUCCESS;
}

/* 2.2.24 RopLockRegionStream / 2.2.25 RopUnlockRegionStream: a stream is
 * only ever seen by its own session here (writes land in that session's
 * pending changes), so there is nobody to lock out: the request is
 * checked and accepted. */
static uint32_t rop_lock_region(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s;
    mapi_obj_t *p;
    uint32_t ec;
    (void)resp;
    if (!stream_obj(c, req->in_idx, &s, &p, &ec))
        return ec;
    if (req->u.lock_region.offset > STM_MAX_SIZE)
        return EC_STREAM_INVALID_PARAM;
    return MAPI_EC_SUCCESS;
}

/* 2.2.23 RopCloneStream: a second stream on the same property and position. */
static uint32_t rop_clone_stream(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    stm_state_t s;
    mapi_obj_t *p, *o;
    uint32_t ec;
    (void)resp;
    if (!(o = stream_obj(c, req->in_idx, &s, &p, &ec)))
        return ec;
    if (!(o = rop_new_obj(c, req->out_idx, MAPI_OBJ_STREAM, req->logon_id, &ec)))
        return ec;
    return stm_store(o, &s) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

const rop_entry_t rop_stream_entries[] = {
    {ROP_OPEN_STREAM, rop_open_stream},
    {ROP_READ_STREAM, rop_read_stream},
    {ROP_WRITE_STREAM, rop_write_stream},
    {ROP_WRITE_AND_COMMIT_STREAM, rop_write_stream},
    {ROP_COMMIT_STREAM, rop_commit_stream},
    {ROP_GET_STREAM_SIZE, rop_get_stream_size},
    {ROP_SET_STREAM_SIZE, rop_set_stream_size},
    {ROP_SEEK_STREAM, rop_seek_stream},
    {ROP_COPY_TO_STREAM, rop_copy_to_stream},
    {ROP_LOCK_REGION_STREAM, rop_lock_region},
    {ROP_UNLOCK_REGION_STREAM, rop_lock_region},
    {ROP_CLONE_STREAM, rop_clone_stream},
    {0, NULL}};
