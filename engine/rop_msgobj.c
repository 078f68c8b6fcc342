/*
 * rop_msgobj.c - the state of message and attachment objects across
 * requests (see rop_msgobj.h): blob, change journal, rebuilding the store's
 * message, and property access common to every object type
 * ([MS-OXCPRPT] 3.2.5).
 */
#include "rop_msgobj.h"

#include "mapi_ids.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MOBJ_MAGIC 0x31424F4Du /* "MOB1" */
#define MOBJ_MAX_DEPTH 8

int mobj_decode(const mapi_obj_t *o, mobj_state_t *st)
{
    mapi_rd_t rd;
    memset(st, 0, sizeof(*st));
    if (!o->data)
        return -1;
    mapi_rd_init(&rd, o->data, o->data_len);
    if (mapi_rd_u32(&rd) != MOBJ_MAGIC)
        return -1;
    st->kind = mapi_rd_u8(&rd);
    st->flags = mapi_rd_u8(&rd);
    st->code_page = mapi_rd_u16(&rd);
    st->fid = mapi_rd_u64(&rd);
    st->mid = mapi_rd_u64(&rd);
    st->cn = mapi_rd_u64(&rd);
    st->parent = mapi_rd_u32(&rd);
    st->attach_num = mapi_rd_u32(&rd);
    st->journal_len = mapi_rd_u32(&rd);
    st->journal = mapi_rd_bytes(&rd, st->journal_len);
    if (!mapi_rd_ok(&rd) || mapi_rd_left(&rd) != 0 || st->kind > MOBJ_ATTACH)
        return -1;
    return 0;
}

int mobj_store(mapi_obj_t *o, const mobj_state_t *st)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, MOBJ_BLOB_MAX);
    mapi_wr_u32(&wr, MOBJ_MAGIC);
    mapi_wr_u8(&wr, st->kind);
    mapi_wr_u8(&wr, st->flags);
    mapi_wr_u16(&wr, st->code_page);
    mapi_wr_u64(&wr, st->fid);
    mapi_wr_u64(&wr, st->mid);
    mapi_wr_u64(&wr, st->cn);
    mapi_wr_u32(&wr, st->parent);
    mapi_wr_u32(&wr, st->attach_num);
    mapi_wr_u32(&wr, st->journal_len);
    mapi_wr_bytes(&wr, st->journal, st->journal_len);
    return rop_obj_set_data(o, &wr);
}

/* The property ids an op sets or deletes (arena); 0 for other ops. */
static size_t op_ids(rop_ctx_t *c, uint8_t op, const uint8_t *p, size_t len, uint16_t **ids)
{
    mapi_rd_t rd;
    uint32_t i, n;
    mapi_rd_init(&rd, p, len);
    if (op == MJ_SET_SPILL) {
        if (len < 4 || !(*ids = mapi_arena_alloc(c->arena, sizeof(uint16_t))))
            return 0;
        (*ids)[0] = MAPI_PROP_ID(mapi_le32(p));
        return 1;
    }
    if (op != MJ_SET && op != MJ_DEL)
        return 0;
    n = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || n > len / 4 || !(*ids = mapi_arena_calloc(c->arena, n ? n : 1, sizeof(uint16_t))))
        return 0;
    for (i = 0; i < n; i++) {
        mapi_propval_t pv;
        if (op == MJ_DEL) {
            (*ids)[i] = MAPI_PROP_ID(mapi_rd_u32(&rd));
        } else {
            if (mapi_propval_decode_tagged(&rd, c->arena, MAPI_CTX_WIDE, &pv) != 0)
                return 0;
            (*ids)[i] = MAPI_PROP_ID(pv.tag);
        }
    }
    return mapi_rd_ok(&rd) ? n : 0;
}

static int id_in(const uint16_t *ids, size_t n, uint16_t id)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* Copies journal j to out without the values of ids in its top-level
 * MJ_SET / MJ_SET_SPILL / MJ_DEL ops. -1 when j does not parse. */
static int prune(rop_ctx_t *c, const uint8_t *j, size_t len, const uint16_t *ids, size_t nids, mapi_wr_t *out)
{
    mapi_rd_t rd;
    mapi_rd_init(&rd, j, len);
    while (mapi_rd_left(&rd) > 0) {
        size_t start = rd.off;
        uint8_t op = mapi_rd_u8(&rd);
        uint32_t n = mapi_rd_u32(&rd), i, cnt, kept = 0;
        const uint8_t *p = mapi_rd_bytes(&rd, n);
        mapi_rd_t v;
        mapi_wr_t body;
        if (!mapi_rd_ok(&rd))
            return -1;
        if (op == MJ_SET_SPILL && n >= 4) {
            if (id_in(ids, nids, MAPI_PROP_ID(mapi_le32(p))))
                mobj_spill_remove_journal(c, j + start, 5 + n, 0);
            else
                mapi_wr_bytes(out, j + start, 5 + n);
            continue;
        }
        if (op != MJ_SET && op != MJ_DEL) {
            mapi_wr_bytes(out, j + start, 5 + n);
            continue;
        }
        mapi_rd_init(&v, p, n);
        cnt = mapi_rd_u32(&v);
        mapi_wr_init(&body, 0);
        mapi_wr_u32(&body, 0);
        for (i = 0; i < cnt && mapi_rd_ok(&v); i++) {
            size_t vs = v.off;
            uint16_t id;
            if (op == MJ_DEL) {
                id = MAPI_PROP_ID(mapi_rd_u32(&v));
            } else {
                mapi_propval_t pv;
                if (mapi_propval_decode_tagged(&v, c->arena, MAPI_CTX_WIDE, &pv) != 0)
                    break;
                id = MAPI_PROP_ID(pv.tag);
            }
            if (!id_in(ids, nids, id)) {
                mapi_wr_bytes(&body, p + vs, v.off - vs);
                kept++;
            }
        }
        if (i != cnt || !mapi_rd_ok(&v)) {
            mapi_wr_free(&body);
            return -1;
        }
        if (kept) {
            mapi_wr_put_u32_at(&body, 0, kept);
            mapi_wr_u8(out, op);
            mapi_wr_u32(out, (uint32_t)body.len);
            mapi_wr_bytes(out, body.p, body.len);
        }
        mapi_wr_free(&body);
    }
    return 0;
}

uint32_t mobj_journal_add(rop_ctx_t *c, mapi_obj_t *o, uint8_t op, const uint8_t *payload, size_t len)
{
    mobj_state_t st;
    mapi_wr_t j;
    uint16_t *ids = NULL;
    size_t nids;
    uint32_t ec = MAPI_EC_SUCCESS;
    if (mobj_decode(o, &st) != 0)
        return MAPI_EC_INVALID_OBJECT;
    mapi_wr_init(&j, MOBJ_BLOB_MAX);
    nids = op_ids(c, op, payload, len, &ids);
    if (!nids || prune(c, st.journal, st.journal_len, ids, nids, &j) != 0) {
        j.len = 0;
        mapi_wr_bytes(&j, st.journal, st.journal_len);
    }
    mapi_wr_u8(&j, op);
    mapi_wr_u32(&j, (uint32_t)len);
    mapi_wr_bytes(&j, payload, len);
    if (!mapi_wr_ok(&j)) {
        mapi_wr_free(&j);
        return MAPI_EC_OUT_OF_MEMORY; /* more pending changes than the object state may hold */
    }
    st.journal = j.p;
    st.journal_len = (uint32_t)j.len;
    if (mobj_store(o, &st) != 0)
        ec = MAPI_EC_OUT_OF_MEMORY;
    mapi_wr_free(&j);
    return ec;
}

int mobj_journal_long(rop_ctx_t *c, const mobj_state_t *st, uint32_t tag, int32_t *out)
{
    mapi_rd_t rd;
    int found = 0;
    mapi_rd_init(&rd, st->journal, st->journal_len);
    while (mapi_rd_left(&rd) > 0) {
        uint8_t op = mapi_rd_u8(&rd);
        uint32_t n = mapi_rd_u32(&rd), i, cnt;
        const uint8_t *p = mapi_rd_bytes(&rd, n);
        mapi_rd_t v;
        if (!mapi_rd_ok(&rd))
            break;
        if (op != MJ_SET)
            continue;
        mapi_rd_init(&v, p, n);
        cnt = mapi_rd_u32(&v);
        for (i = 0; i < cnt && mapi_rd_ok(&v); i++) {
            mapi_propval_t pv;
            if (mapi_propval_decode_tagged(&v, c->arena, MAPI_CTX_WIDE, &pv) != 0)
                break;
            if (pv.tag == tag) {
                *out = pv.v.i32;
                found = 1;
            }
        }
    }
    return found;
}

int mobj_encode_set(mapi_wr_t *wr, const mapi_propval_t *vals, size_t n)
{
    size_t i;
    mapi_wr_u32(wr, (uint32_t)n);
    for (i = 0; i < n; i++)
        if (mapi_propval_encode_tagged(wr, MAPI_CTX_WIDE, &vals[i]) != 0)
            return -1;
    return mapi_wr_ok(wr) ? 0 : -1;
}

/* Reads an MJ_SET payload into store values (arena). */
static uint32_t decode_set(rop_ctx_t *c, mapi_rd_t *rd, ms_propval_t **out, size_t *n)
{
    uint32_t i, count = mapi_rd_u32(rd);
    mapi_propval_t *pv;
    if (!mapi_rd_ok(rd) || count > mapi_rd_left(rd) / 4)
        return MAPI_EC_INVALID_OBJECT;
    *out = mapi_arena_calloc(c->arena, count ? count : 1, sizeof(**out));
    pv = mapi_arena_calloc(c->arena, count ? count : 1, sizeof(*pv)); /* store values point into these */
    if (!*out || !pv)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < count; i++) {
        if (mapi_propval_decode_tagged(rd, c->arena, MAPI_CTX_WIDE, &pv[i]) != 0 ||
            rop_prop_to_store(c->arena, c->ectx->codepage, &pv[i], &(*out)[i]) != 0)
            return MAPI_EC_INVALID_OBJECT;
    }
    *n = count;
    return MAPI_EC_SUCCESS;
}

/* MJ_SET_SPILL: the value of `tag` is the spill file's bytes (Unicode as
 * UTF-16LE, String8 in the session code page, binary as is). */
static uint32_t apply_spill(rop_ctx_t *c, ms_message_t *msg, uint32_t att, mapi_rd_t *rd)
{
    uint32_t tag = mapi_rd_u32(rd), len = 0;
    uint8_t nl = mapi_rd_u8(rd);
    const uint8_t *np = mapi_rd_bytes(rd, nl);
    char name[MOBJ_SPILL_NAME + 1];
    uint8_t *data;
    mapi_propval_t pv;
    ms_propval_t sv;
    uint16_t t = MAPI_PROP_TYPE(tag);
    if (!mapi_rd_ok(rd) || nl != MOBJ_SPILL_NAME)
        return MAPI_EC_INVALID_OBJECT;
    memcpy(name, np, MOBJ_SPILL_NAME);
    name[MOBJ_SPILL_NAME] = '\0';
    if (!(data = mobj_spill_read(c, name, &len)))
        return MAPI_EC_INVALID_OBJECT; /* the file is gone */
    memset(&pv, 0, sizeof(pv));
    pv.tag = tag;
    if (t == MAPI_PT_BINARY) {
        pv.v.bin.data = data;
        pv.v.bin.len = len;
    } else if (t == MAPI_PT_STRING8) {
        pv.v.str = (char *)data;
    } else if (t == MAPI_PT_UNICODE) {
        char *u = mapi_utf16le_to_utf8(data, len / 2);
        pv.v.str = u ? mapi_arena_strndup(c->arena, u, strlen(u)) : NULL;
        free(u);
        if (!pv.v.str)
            return MAPI_EC_SERVER_OOM;
    } else {
        return MAPI_EC_INVALID_OBJECT;
    }
    if (rop_prop_to_store(c->arena, c->ectx->codepage, &pv, &sv) != 0)
        return MAPI_EC_INVALID_OBJECT;
    return rop_ec(att == MOBJ_NO_ATTACH ? ms_message_set_props(msg, &sv, 1)
                                        : ms_message_set_attach_props(msg, att, &sv, 1));
}

static uint32_t apply_op(rop_ctx_t *c, ms_message_t *msg, uint32_t att, uint8_t op, mapi_rd_t *rd, int depth)
{
    ms_propval_t *vals;
    size_t n;
    uint32_t ec, num, i;
    switch (op) {
    case MJ_SET:
        if ((ec = decode_set(c, rd, &vals, &n)) != MAPI_EC_SUCCESS)
            return ec;
        return rop_ec(att == MOBJ_NO_ATTACH ? ms_message_set_props(msg, vals, n)
                                            : ms_message_set_attach_props(msg, att, vals, n));
    case MJ_SET_SPILL:
        return apply_spill(c, msg, att, rd);
    case MJ_DEL: {
        uint32_t count = mapi_rd_u32(rd), *tags;
        if (!mapi_rd_ok(rd) || count > mapi_rd_left(rd) / 4)
            return MAPI_EC_INVALID_OBJECT;
        tags = mapi_arena_calloc(c->arena, count ? count : 1, sizeof(*tags));
        if (!tags)
            return MAPI_EC_SERVER_OOM;
        for (i = 0; i < count; i++)
            tags[i] = mapi_rd_u32(rd);
        if (att == MOBJ_NO_ATTACH)
            return rop_ec(ms_message_delete_props(msg, tags, count));
        return MAPI_EC_NOT_SUPPORTED; /* the store cannot remove attachment properties */
    }
    case MJ_RECIP_SET:
        num = mapi_rd_u32(rd);
        if ((ec = decode_set(c, rd, &vals, &n)) != MAPI_EC_SUCCESS)
            return ec;
        return rop_ec(ms_message_modify_recipient(msg, num, vals, n));
    case MJ_RECIP_DEL:
        num = mapi_rd_u32(rd);
        ms_message_remove_recipient(msg, num); /* absent rows are fine */
        return MAPI_EC_SUCCESS;
    case MJ_RECIP_CLEAR:
        return rop_ec(ms_message_remove_all_recipients(msg));
    case MJ_ATT_CREATE: {
        uint32_t want = mapi_rd_u32(rd), got;
        if ((ec = rop_ec(ms_message_create_attach(msg, &got))) != MAPI_EC_SUCCESS)
            return ec;
        return got == want ? MAPI_EC_SUCCESS : MAPI_EC_OBJECT_MODIFIED;
    }
    case MJ_ATT_DEL:
        num = mapi_rd_u32(rd);
        ms_message_delete_attach(msg, num);
        return MAPI_EC_SUCCESS;
    case MJ_ATT_APPLY:
        num = mapi_rd_u32(rd);
        if (!mapi_rd_ok(rd))
            return MAPI_EC_INVALID_OBJECT;
        ec = mobj_apply(c, msg, num, rd->p + rd->off, mapi_rd_left(rd), depth + 1);
        rd->off = rd->len;
        return ec;
    case MJ_EMB_APPLY: {
        ms_message_t *emb;
        if (att == MOBJ_NO_ATTACH)
            return MAPI_EC_INVALID_OBJECT;
        if ((ec = rop_ec(ms_message_embedded(msg, att, 1, &emb))) != MAPI_EC_SUCCESS)
            return ec;
        ec = mobj_apply(c, emb, MOBJ_NO_ATTACH, rd->p + rd->off, mapi_rd_left(rd), depth + 1);
        rd->off = rd->len;
        return ec;
    }
    }
    return MAPI_EC_INVALID_OBJECT;
}

uint32_t mobj_apply(rop_ctx_t *c, ms_message_t *msg, uint32_t att, const uint8_t *j, size_t len, int depth)
{
    mapi_rd_t rd;
    if (depth > MOBJ_MAX_DEPTH)
        return MAPI_EC_TOO_COMPLEX;
    mapi_rd_init(&rd, j, len);
    while (mapi_rd_left(&rd) > 0) {
        uint8_t op = mapi_rd_u8(&rd);
        uint32_t n = mapi_rd_u32(&rd), ec;
        const uint8_t *p = mapi_rd_bytes(&rd, n);
        mapi_rd_t sub;
        if (!mapi_rd_ok(&rd))
            return MAPI_EC_INVALID_OBJECT;
        mapi_rd_init(&sub, p, n);
        ec = apply_op(c, msg, att, op, &sub, depth);
        if (ec != MAPI_EC_SUCCESS)
            return ec;
        if (!mapi_rd_ok(&sub))
            return MAPI_EC_INVALID_OBJECT;
    }
    return MAPI_EC_SUCCESS;
}

static uint32_t load_depth(rop_ctx_t *c, ms_txn_t *txn, const mapi_obj_t *o, mobj_t *m, int depth)
{
    ms_mailbox_t *mbx;
    uint32_t ec;
    memset(m, 0, sizeof(*m));
    m->attach_num = MOBJ_NO_ATTACH;
    if (depth > MOBJ_MAX_DEPTH)
        return MAPI_EC_TOO_COMPLEX;
    if (mobj_decode(o, &m->st) != 0)
        return MAPI_EC_INVALID_OBJECT;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if (m->st.kind == MOBJ_TOP) {
        ec = m->st.mid ? rop_ec(ms_message_open(txn, mbx, m->st.fid, m->st.mid, &m->top))
                       : rop_ec(ms_message_create(mbx, m->st.fid, (m->st.flags & MOBJ_F_ASSOC) != 0, &m->top));
        if (ec == MAPI_EC_NOT_FOUND)
            ec = MAPI_EC_OBJECT_DELETED; /* deleted since it was opened */
        if (ec != MAPI_EC_SUCCESS)
            return ec;
        m->msg = m->top;
    } else {
        mobj_t parent;
        mobj_state_t keep = m->st;
        const mapi_obj_t *po = mapi_objtab_find(c->objs, m->st.parent);
        if (!po)
            return MAPI_EC_OBJECT_DELETED; /* its parent was released */
        ec = load_depth(c, txn, po, &parent, depth + 1);
        if (ec != MAPI_EC_SUCCESS)
            return ec;
        m->top = parent.top;
        m->msg = parent.msg;
        m->st = keep;
        if (m->st.kind == MOBJ_EMBEDDED) {
            if (parent.attach_num == MOBJ_NO_ATTACH)
                ec = MAPI_EC_INVALID_OBJECT;
            else
                ec = rop_ec(ms_message_embedded(parent.msg, parent.attach_num, 1, &m->msg));
        } else {
            const ms_propval_t *v;
            size_t n;
            m->attach_num = m->st.attach_num;
            if (ms_message_get_attach(m->msg, m->attach_num, &v, &n) != MS_OK)
                ec = MAPI_EC_OBJECT_DELETED;
        }
        if (ec != MAPI_EC_SUCCESS) {
            mobj_free(m);
            return ec;
        }
    }
    ec = mobj_apply(c, m->msg, m->attach_num, m->st.journal, m->st.journal_len, 0);
    if (ec != MAPI_EC_SUCCESS)
        mobj_free(m);
    return ec;
}

uint32_t mobj_load(rop_ctx_t *c, ms_txn_t *txn, const mapi_obj_t *o, mobj_t *m)
{
    return load_depth(c, txn, o, m, 0);
}

void mobj_free(mobj_t *m)
{
    ms_message_free(m->top);
    m->top = m->msg = NULL;
}

uint64_t rop_folder_fid(const mapi_obj_t *o)
{
    if (!o || o->type != MAPI_OBJ_FOLDER || !o->data)
        return 0;
    if (o->data_len >= 12 && memcmp(o->data, "FLD1", 4) == 0)
        return (uint64_t)mapi_le32(o->data + 4) | ((uint64_t)mapi_le32(o->data + 8) << 32);
    if (o->data_len >= 8)
        return (uint64_t)mapi_le32(o->data) | ((uint64_t)mapi_le32(o->data + 4) << 32);
    return 0;
}

uint32_t rop_obj_folder(rop_ctx_t *c, uint8_t idx, uint64_t *fid, mapi_obj_t **obj)
{
    uint32_t ec;
    mapi_obj_t *o = rop_obj_of(c, idx, ROP_T(MAPI_OBJ_FOLDER) | ROP_T(MAPI_OBJ_LOGON), &ec);
    if (!o)
        return ec;
    if (obj)
        *obj = o;
    if (o->type == MAPI_OBJ_FOLDER) {
        uint64_t f = rop_folder_fid(o);
        if (!f)
            return MAPI_EC_INVALID_OBJECT;
        *fid = f;
    }
    return MAPI_EC_SUCCESS;
}

/* ---- subject parts ([MS-OXCMSG] 2.2.1.9, 2.2.1.10) ---- */

/* Length of the prefix of a subject: up to 3 letters, a colon, a space. */
static size_t prefix_len(const char *s)
{
    const char *colon = strchr(s, ':'), *q;
    if (!colon || colon == s || colon - s > 3 || colon[1] != ' ')
        return 0;
    for (q = s; q < colon; q++)
        if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')))
            return 0;
    return (size_t)(colon - s) + 2;
}

const char *mobj_subject_prefix(rop_ctx_t *c, ms_message_t *msg)
{
    const ms_propval_t *p = ms_message_get_prop(msg, MS_PROP_TAG(MS_PT_UNICODE, 0x003D));
    const ms_propval_t *s = ms_message_get_prop(msg, MS_PR_SUBJECT);
    const ms_propval_t *ns = ms_message_get_prop(msg, MS_PR_NORMALIZED_SUBJECT);
    size_t sl, nl;
    if (p && p->value.str)
        return p->value.str;
    if (!s || !s->value.str || !ns || !ns->value.str)
        return NULL;
    sl = strlen(s->value.str);
    nl = strlen(ns->value.str);
    if (nl > sl || strcmp(s->value.str + (sl - nl), ns->value.str) != 0)
        return NULL;
    return mapi_arena_strndup(c->arena, s->value.str, sl - nl);
}

/* ---- properties of any object ---- */

static uint32_t from_store_array(rop_ctx_t *c, const ms_propval_t *in, size_t n, mapi_propval_t **vals,
                                 size_t *nout, size_t extra)
{
    size_t i, k = 0;
    mapi_propval_t *out = mapi_arena_calloc(c->arena, n + extra + 1, sizeof(*out));
    if (!out)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < n; i++) {
        uint16_t t = MS_PROP_TYPE(in[i].tag);
        if (t == MS_PT_ERROR)
            continue; /* absent: not listed */
        if ((t & MS_PT_MV) && in[i].value.mv.count == 0)
            continue; /* no empty multi-valued properties */
        if (rop_prop_from_store(c->arena, c->ectx->codepage, &in[i], &out[k]) != 0)
            return MAPI_EC_SERVER_OOM;
        if (MAPI_PROP_TYPE(out[k].tag) == MAPI_PT_ERROR)
            continue;
        k++;
    }
    *vals = out;
    *nout = k;
    return MAPI_EC_SUCCESS;
}

static void add_long(mapi_propval_t *vals, size_t *n, uint32_t tag, int32_t v)
{
    if (mapi_propval_find(vals, *n, tag))
        return;
    vals[*n].tag = tag;
    vals[*n].v.i32 = v;
    (*n)++;
}

/* PidTagAccess bits ([MS-OXCPRPT] 2.2.1.1): modify, read, delete. */
#define ACCESS_MODIFY 0x01
#define ACCESS_READ 0x02
#define ACCESS_DELETE 0x04
#define ACCESS_HIERARCHY 0x08
#define ACCESS_CONTENTS 0x10
#define ACCESS_ASSOC 0x20
#define PR_ACCESS MAPI_PROP_TAG(0x0FF4, MAPI_PT_LONG)
#define PR_ACCESS_LEVEL MAPI_PROP_TAG(0x0FF7, MAPI_PT_LONG)
#define PR_OBJECT_TYPE MAPI_PROP_TAG(0x0FFE, MAPI_PT_LONG)
#define PR_STORE_SUPPORT_MASK MAPI_PROP_TAG(0x340D, MAPI_PT_LONG)
#define PR_ATTACH_SIZE_TAG MAPI_PROP_TAG(0x0E20, MAPI_PT_LONG)

/* PidTagStoreSupportMask ([MS-OXCSTOR] 2.2.2.1): entry ids unique,
 * read-only no, modify, create, attachments, OLE, notify, RTF/HTML aware,
 * Unicode, pusher ok, item proc, body ok/create. */
#define STORE_SUPPORT_MASK 0x00240D6Du

static uint32_t message_props(rop_ctx_t *c, const mapi_obj_t *o, mapi_propval_t **vals, size_t *n)
{
    mobj_t m;
    const ms_propval_t *in;
    size_t nin;
    uint32_t ec = mobj_load(c, NULL, o, &m);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (m.attach_num == MOBJ_NO_ATTACH)
        ec = rop_ec(ms_message_get_all(m.msg, &in, &nin));
    else
        ec = rop_ec(ms_message_get_attach(m.msg, m.attach_num, &in, &nin));
    if (ec == MAPI_EC_SUCCESS)
        ec = from_store_array(c, in, nin, vals, n, 8);
    if (ec == MAPI_EC_SUCCESS && m.attach_num == MOBJ_NO_ATTACH &&
        !mapi_propval_find(*vals, *n, MAPI_PROP_TAG(0x003D, MAPI_PT_UNSPECIFIED))) {
        const char *pre = mobj_subject_prefix(c, m.msg);
        if (pre) {
            (*vals)[*n].tag = MAPI_PROP_TAG(0x003D, MAPI_PT_UNICODE);
            (*vals)[(*n)++].v.str = (char *)pre;
        }
    }
    if (ec == MAPI_EC_SUCCESS && m.attach_num != MOBJ_NO_ATTACH) {
        /* [MS-OXCMSG] 2.2.2: PidTagAttachSize and the attachment's record key */
        int64_t size = 0;
        size_t i;
        uint8_t *key = mapi_arena_alloc(c->arena, 4);
        for (i = 0; i < nin; i++)
            if (MS_PROP_TYPE(in[i].tag) == MS_PT_BINARY)
                size += in[i].value.bin.cb;
            else if ((MS_PROP_TYPE(in[i].tag) == MS_PT_UNICODE || MS_PROP_TYPE(in[i].tag) == MS_PT_STRING8) &&
                     in[i].value.str)
                size += (int64_t)strlen(in[i].value.str);
        add_long(*vals, n, PR_ATTACH_SIZE_TAG, (int32_t)(size > 0x7FFFFFFF ? 0x7FFFFFFF : size));
        if (key && !mapi_propval_find(*vals, *n, MS_PR_RECORD_KEY)) {
            mapi_put_le32(key, m.attach_num);
            (*vals)[*n].tag = MS_PR_RECORD_KEY;
            (*vals)[*n].v.bin.len = 4;
            (*vals)[(*n)++].v.bin.data = key;
        }
    }
    if (ec == MAPI_EC_SUCCESS && m.st.kind == MOBJ_TOP && !m.st.mid &&
        !mapi_propval_find(*vals, *n, MS_PR_MESSAGE_FLAGS)) {
        int32_t fl; /* a new message's flags live in the store's record until its save */
        if (mobj_journal_long(c, &m.st, MS_PR_MESSAGE_FLAGS, &fl))
            add_long(*vals, n, MS_PR_MESSAGE_FLAGS, fl);
    }
    if (ec == MAPI_EC_SUCCESS) {
        int rw = (m.st.flags & MOBJ_F_WRITE) != 0;
        add_long(*vals, n, PR_ACCESS, ACCESS_READ | (rw ? ACCESS_MODIFY | ACCESS_DELETE : 0));
        add_long(*vals, n, PR_ACCESS_LEVEL, rw ? 1 : 0);
        add_long(*vals, n, PR_OBJECT_TYPE, m.attach_num == MOBJ_NO_ATTACH ? 5 : 7); /* MAPI_MESSAGE / MAPI_ATTACH */
    }
    mobj_free(&m);
    return ec;
}

#define PR_STORE_ENTRYID MAPI_PROP_TAG(0x0FFB, MAPI_PT_BINARY)
#define PR_USER_ENTRYID MAPI_PROP_TAG(0x6619, MAPI_PT_BINARY)
#define PR_MAILBOX_OWNER_ENTRYID MAPI_PROP_TAG(0x661B, MAPI_PT_BINARY)

/* Logon properties the store does not keep: PidTagStoreEntryId ([MS-OXCDATA]
 * 2.2.4.3, wrapping emsmdb.dll with this host and the mailbox DN) and
 * PidTagUserEntryId (the session's user owns the mailbox: Connect refuses
 * others). vals has room for two more. */
static uint32_t logon_extra(rop_ctx_t *c, ms_mailbox_t *mbx, mapi_propval_t *vals, size_t *n)
{
    ms_mailbox_info_t info;
    mapi_store_entryid_t se;
    mapi_wr_t wr;
    char host[256];
    const mapi_propval_t *owner = mapi_propval_find(vals, *n, PR_MAILBOX_OWNER_ENTRYID);
    if (owner && !mapi_propval_find(vals, *n, PR_USER_ENTRYID)) {
        vals[*n] = *owner;
        vals[(*n)++].tag = PR_USER_ENTRYID;
    }
    if (ms_mailbox_info(mbx, &info) != MS_OK)
        return MAPI_EC_SUCCESS;
    if (gethostname(host, sizeof(host)) != 0)
        strcpy(host, "localhost");
    host[sizeof(host) - 1] = '\0';
    {
        char *dot = strchr(host, '.');
        if (dot)
            *dot = '\0'; /* ServerShortname */
    }
    memset(&se, 0, sizeof(se));
    se.server = host;
    se.mailbox_dn = info.legacy_dn;
    mapi_wr_init(&wr, 0);
    mapi_store_entryid_encode(&wr, &se);
    if (mapi_wr_ok(&wr)) {
        vals[*n].tag = PR_STORE_ENTRYID;
        vals[*n].v.bin.len = (uint32_t)wr.len;
        vals[*n].v.bin.data = mapi_arena_memdup(c->arena, wr.p, wr.len);
        if (vals[*n].v.bin.data)
            (*n)++;
    }
    mapi_wr_free(&wr);
    return MAPI_EC_SUCCESS;
}

uint32_t rop_object_props(rop_ctx_t *c, const mapi_obj_t *o, mapi_propval_t **vals, size_t *n)
{
    ms_mailbox_t *mbx;
    ms_propval_t *sv = NULL;
    size_t ns = 0;
    uint32_t ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    switch (o->type) {
    case MAPI_OBJ_MESSAGE:
    case MAPI_OBJ_ATTACHMENT:
        return message_props(c, o, vals, n);
    case MAPI_OBJ_LOGON:
        ec = rop_ec(ms_mailbox_store_props(mbx, NULL, 0, &sv, &ns));
        if (ec == MAPI_EC_SUCCESS)
            ec = from_store_array(c, sv, ns, vals, n, 4);
        if (ec == MAPI_EC_SUCCESS) {
            add_long(*vals, n, PR_STORE_SUPPORT_MASK, (int32_t)STORE_SUPPORT_MASK);
            add_long(*vals, n, PR_OBJECT_TYPE, 1); /* MAPI_STORE */
            ec = logon_extra(c, mbx, *vals, n);
        }
        break;
    case MAPI_OBJ_FOLDER: {
        uint64_t fid = rop_folder_fid(o);
        if (!fid)
            return MAPI_EC_INVALID_OBJECT;
        ec = rop_ec(ms_folder_get_props(NULL, mbx, fid, NULL, 0, &sv, &ns));
        if (ec == MAPI_EC_SUCCESS)
            ec = from_store_array(c, sv, ns, vals, n, 3);
        if (ec == MAPI_EC_SUCCESS) {
            add_long(*vals, n, PR_ACCESS,
                     ACCESS_MODIFY | ACCESS_READ | ACCESS_DELETE | ACCESS_HIERARCHY | ACCESS_CONTENTS | ACCESS_ASSOC);
            add_long(*vals, n, PR_ACCESS_LEVEL, 1);
            add_long(*vals, n, PR_OBJECT_TYPE, 3); /* MAPI_FOLDER */
        }
        break;
    }
    default:
        return MAPI_EC_NOT_SUPPORTED;
    }
    ms_propvals_free(sv, ns);
    return ec;
}

/* Tags nobody may set ([MS-OXCPRPT] 2.2.1: read-only computed properties). */
static int read_only_tag(uint32_t tag)
{
    static const uint16_t ids[] = {0x0FFF, 0x0FF9, 0x0FF6, 0x0E09, 0x65E0, 0x65E1, 0x67A4, 0x6748,
                                   0x6749, 0x674A, 0x0E08, 0x0FF4, 0x0FF7, 0x0FFE, 0x3602, 0x3603,
                                   0x360A, 0x3617, 0x0E21, 0x0E1B};
    size_t i;
    for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        if (MAPI_PROP_ID(tag) == ids[i])
            return 1;
    return 0;
}

static void add_problem(rop_ctx_t *c, mapi_problemarray_t *p, size_t max, uint16_t idx, uint32_t tag, uint32_t err)
{
    if (!p->probs)
        p->probs = mapi_arena_calloc(c->arena, max ? max : 1, sizeof(*p->probs));
    if (!p->probs || p->count >= max)
        return;
    p->probs[p->count].index = idx;
    p->probs[p->count].tag = tag;
    p->probs[p->count].err = err;
    p->count++;
}

/* A value the store can keep (right type, no PT_ERROR/PT_NULL/PT_OBJECT). */
static int storable(const mapi_propval_t *v)
{
    uint16_t t = MAPI_PROP_TYPE(v->tag);
    if (t == MAPI_PT_ERROR || t == MAPI_PT_NULL || t == MAPI_PT_OBJECT || t == MAPI_PT_UNSPECIFIED ||
        t == MAPI_PT_SRESTRICTION || t == MAPI_PT_ACTIONS || !mapi_prop_type_known(t))
        return 0;
    if ((t & MAPI_PT_MV_FLAG) && v->v.mv.count == 0)
        return 0;
    return 1;
}

/* A new PidTagSubject without its parts: the server splits it into
 * PidTagSubjectPrefix and PidTagNormalizedSubject (2.2.1.9-10). vals has
 * room for two more. */
static size_t subject_parts(rop_ctx_t *c, mapi_propval_t *vals, size_t k)
{
    const mapi_propval_t *subj = NULL;
    char *u = NULL;
    size_t i, pl;
    for (i = 0; i < k; i++) {
        uint16_t id = MAPI_PROP_ID(vals[i].tag), t = MAPI_PROP_TYPE(vals[i].tag);
        if (id == 0x003D || id == 0x0E1D)
            return k; /* the client gave the parts itself */
        if (id == 0x0037 && (t == MAPI_PT_UNICODE || t == MAPI_PT_STRING8))
            subj = &vals[i];
    }
    if (!subj || !subj->v.str)
        return k;
    if (MAPI_PROP_TYPE(subj->tag) == MAPI_PT_STRING8) {
        if (mapi_string8_to_utf8(c->arena, c->ectx->codepage, subj->v.str, &u) != 0)
            return k;
    } else {
        u = subj->v.str;
    }
    pl = prefix_len(u);
    vals[k].tag = MAPI_PROP_TAG(0x003D, MAPI_PT_UNICODE);
    vals[k++].v.str = mapi_arena_strndup(c->arena, u, pl);
    vals[k].tag = MAPI_PROP_TAG(0x0E1D, MAPI_PT_UNICODE);
    vals[k++].v.str = u + pl;
    if (!vals[k - 2].v.str)
        k -= 2;
    return k;
}

/* Bytes a value takes in a spill file (0: not a spillable type). */
static uint64_t spill_size(const mapi_propval_t *v)
{
    switch (MAPI_PROP_TYPE(v->tag)) {
    case MAPI_PT_BINARY: return v->v.bin.len;
    case MAPI_PT_STRING8: return v->v.str ? strlen(v->v.str) : 0;
    case MAPI_PT_UNICODE: return mapi_propval_size(v);
    }
    return 0;
}

/* One value into a spill file named by an MJ_SET_SPILL op (rop_spill.c). */
static uint32_t spill_value(rop_ctx_t *c, mapi_obj_t *o, const mapi_propval_t *v)
{
    uint8_t payload[5 + MOBJ_SPILL_NAME];
    char name[MOBJ_SPILL_NAME + 1];
    const uint8_t *data;
    size_t len;
    mapi_wr_t u16;
    int rc;
    mapi_wr_init(&u16, 0);
    if (MAPI_PROP_TYPE(v->tag) == MAPI_PT_BINARY) {
        data = v->v.bin.data;
        len = v->v.bin.len;
    } else if (MAPI_PROP_TYPE(v->tag) == MAPI_PT_STRING8) {
        data = (const uint8_t *)v->v.str;
        len = strlen(v->v.str);
    } else {
        mapi_wr_utf16z_from_utf8(&u16, v->v.str ? v->v.str : "");
        if (!mapi_wr_ok(&u16) || u16.len < 2) {
            mapi_wr_free(&u16);
            return MAPI_EC_SERVER_OOM;
        }
        data = u16.p;
        len = u16.len - 2;
    }
    if (len > MOBJ_SPILL_MAX) {
        mapi_wr_free(&u16);
        return MAPI_EC_OUT_OF_MEMORY;
    }
    rc = mobj_spill_create(c, data, len, name);
    mapi_wr_free(&u16);
    if (rc != 0)
        return MAPI_EC_OUT_OF_MEMORY;
    mapi_put_le32(payload, v->tag);
    payload[4] = MOBJ_SPILL_NAME;
    memcpy(payload + 5, name, MOBJ_SPILL_NAME);
    return mobj_journal_add(c, o, MJ_SET_SPILL, payload, sizeof(payload));
}

static int writable(const mapi_obj_t *o)
{
    mobj_state_t st;
    if (o->type == MAPI_OBJ_FOLDER)
        return 1;
    return mobj_decode(o, &st) == 0 && (st.flags & MOBJ_F_WRITE);
}

uint32_t rop_object_set_props(rop_ctx_t *c, mapi_obj_t *o, const mapi_propval_t *vals, size_t n,
                              mapi_problemarray_t *problems)
{
    mapi_propval_t *ok_vals;
    size_t i, k = 0;
    uint32_t ec;
    memset(problems, 0, sizeof(*problems));
    if (o->type == MAPI_OBJ_LOGON)
        return MAPI_EC_NOT_SUPPORTED; /* the store's properties are the server's */
    if (o->type != MAPI_OBJ_FOLDER && o->type != MAPI_OBJ_MESSAGE && o->type != MAPI_OBJ_ATTACHMENT)
        return MAPI_EC_NOT_SUPPORTED;
    if (!writable(o))
        return MAPI_EC_ACCESS_DENIED;
    ok_vals = mapi_arena_calloc(c->arena, n + 2, sizeof(*ok_vals));
    if (!ok_vals)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < n; i++) {
        if (!storable(&vals[i]))
            add_problem(c, problems, n, (uint16_t)i, vals[i].tag, MAPI_EC_INVALID_PARAMETER);
        else if (read_only_tag(vals[i].tag))
            add_problem(c, problems, n, (uint16_t)i, vals[i].tag, MAPI_EC_ACCESS_DENIED);
        else
            ok_vals[k++] = vals[i];
    }
    if (k == 0)
        return MAPI_EC_SUCCESS;
    if (o->type == MAPI_OBJ_MESSAGE)
        k = subject_parts(c, ok_vals, k);
    if (o->type == MAPI_OBJ_FOLDER) {
        ms_mailbox_t *mbx = rop_mailbox(c, &ec);
        ms_propval_t *sv = mapi_arena_calloc(c->arena, k, sizeof(*sv));
        if (!mbx)
            return ec;
        if (!sv)
            return MAPI_EC_SERVER_OOM;
        for (i = 0; i < k; i++)
            if (rop_prop_to_store(c->arena, c->ectx->codepage, &ok_vals[i], &sv[i]) != 0)
                return MAPI_EC_INVALID_PARAMETER;
        return rop_ec(ms_folder_set_props(NULL, mbx, rop_folder_fid(o), sv, k));
    }
    for (i = 0; i < k;) { /* large values go to spill files, not into the session state */
        if (spill_size(&ok_vals[i]) > MOBJ_SPILL_MIN) {
            if ((ec = spill_value(c, o, &ok_vals[i])) != MAPI_EC_SUCCESS)
                return ec;
            ok_vals[i] = ok_vals[--k];
        } else {
            i++;
        }
    }
    if (k == 0)
        return MAPI_EC_SUCCESS;
    {
        mapi_wr_t wr;
        mapi_wr_init(&wr, MOBJ_BLOB_MAX);
        if (mobj_encode_set(&wr, ok_vals, k) != 0) {
            mapi_wr_free(&wr);
            return MAPI_EC_OUT_OF_MEMORY;
        }
        ec = mobj_journal_add(c, o, MJ_SET, wr.p, wr.len);
        mapi_wr_free(&wr);
    }
    return ec;
}

uint32_t rop_object_delete_props(rop_ctx_t *c, mapi_obj_t *o, const uint32_t *tags, size_t n,
                                 mapi_problemarray_t *problems)
{
    size_t i, k = 0;
    uint32_t *ok_tags, ec;
    memset(problems, 0, sizeof(*problems));
    if (o->type != MAPI_OBJ_FOLDER && o->type != MAPI_OBJ_MESSAGE && o->type != MAPI_OBJ_ATTACHMENT)
        return MAPI_EC_NOT_SUPPORTED;
    if (!writable(o))
        return MAPI_EC_ACCESS_DENIED;
    ok_tags = mapi_arena_calloc(c->arena, n ? n : 1, sizeof(*ok_tags));
    if (!ok_tags)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < n; i++) {
        if (read_only_tag(tags[i]))
            add_problem(c, problems, n, (uint16_t)i, tags[i], MAPI_EC_ACCESS_DENIED);
        else
            ok_tags[k++] = tags[i];
    }
    if (k == 0)
        return MAPI_EC_SUCCESS;
    if (o->type == MAPI_OBJ_FOLDER) {
        ms_mailbox_t *mbx = rop_mailbox(c, &ec);
        if (!mbx)
            return ec;
        return rop_ec(ms_folder_delete_props(NULL, mbx, rop_folder_fid(o), ok_tags, k));
    }
    if (o->type == MAPI_OBJ_ATTACHMENT)
        return MAPI_EC_NOT_SUPPORTED; /* the store cannot remove attachment properties */
    {
        mapi_wr_t wr;
        mapi_wr_init(&wr, MOBJ_BLOB_MAX);
        mapi_wr_u32(&wr, (uint32_t)k);
        for (i = 0; i < k; i++)
            mapi_wr_u32(&wr, ok_tags[i]);
        ec = mapi_wr_ok(&wr) ? mobj_journal_add(c, o, MJ_DEL, wr.p, wr.len) : MAPI_EC_OUT_OF_MEMORY;
        mapi_wr_free(&wr);
    }
    return ec;
}
