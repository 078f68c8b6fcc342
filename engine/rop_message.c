/*
 * rop_message.c - message ROPs ([MS-OXCMSG] 2.2.3, server behaviour
 * 3.2.5): OpenMessage, CreateMessage, SaveChangesMessage (change number
 * conflict check), recipients, ReloadCachedInformation, message status and
 * read flags. Object state: rop_msgobj.h.
 */
#include "rop_msgobj.h"
#include "rop_rules.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#define OPEN_READ_WRITE 0x01    /* OpenModeFlags (2.2.3.1.1) */
#define OPEN_BEST_ACCESS 0x03
#define OPEN_SOFT_DELETED 0x04
#define SAVE_KEEP_READ_ONLY 0x01 /* SaveFlags (2.2.3.3.1) */
#define SAVE_KEEP_READ_WRITE 0x02
#define SAVE_FORCE 0x04

#define PR_SUBJECT_PREFIX_W MAPI_PROP_TAG(0x003D, MAPI_PT_UNICODE)
#define PR_NORMALIZED_SUBJECT_W MAPI_PROP_TAG(0x0E1D, MAPI_PT_UNICODE)
#define PR_MESSAGE_STATUS MAPI_PROP_TAG(0x0E17, MAPI_PT_LONG)
#define PR_ROWID_TAG MAPI_PROP_TAG(0x3000, MAPI_PT_LONG)
#define PR_RECIPIENT_TYPE_TAG MAPI_PROP_TAG(0x0C15, MAPI_PT_LONG)
#define PR_DISPLAY_NAME_W MAPI_PROP_TAG(0x3001, MAPI_PT_UNICODE)
#define PR_ADDRTYPE_W MAPI_PROP_TAG(0x3002, MAPI_PT_UNICODE)
#define PR_EMAIL_ADDRESS_W MAPI_PROP_TAG(0x3003, MAPI_PT_UNICODE)
#define PR_TRANSMITABLE_DISPLAY_NAME_W MAPI_PROP_TAG(0x3A20, MAPI_PT_UNICODE)
#define PR_7BIT_DISPLAY_NAME_W MAPI_PROP_TAG(0x39FF, MAPI_PT_UNICODE)
#define PR_ENTRYID_TAG MAPI_PROP_TAG(0x0FFF, MAPI_PT_BINARY)
#define PR_SEARCH_KEY_TAG MAPI_PROP_TAG(0x300B, MAPI_PT_BINARY)
#define PR_MESSAGE_CLASS_W MAPI_PROP_TAG(0x001A, MAPI_PT_UNICODE)
#define PR_IMPORTANCE MAPI_PROP_TAG(0x0017, MAPI_PT_LONG)
#define PR_SENSITIVITY MAPI_PROP_TAG(0x0036, MAPI_PT_LONG)
#define PR_MESSAGE_FLAGS_TAG MAPI_PROP_TAG(0x0E07, MAPI_PT_LONG)
#define PR_CHANGE_NUMBER_TAG MAPI_PROP_TAG(0x67A4, MAPI_PT_I8)
#define PR_CREATION_TIME_TAG MAPI_PROP_TAG(0x3007, MAPI_PT_SYSTIME)
#define PR_LAST_MODIFICATION_TIME_TAG MAPI_PROP_TAG(0x3008, MAPI_PT_SYSTIME)
#define PR_DISPLAY_TO_W MAPI_PROP_TAG(0x0E04, MAPI_PT_UNICODE)
#define PR_DISPLAY_CC_W MAPI_PROP_TAG(0x0E03, MAPI_PT_UNICODE)
#define PR_DISPLAY_BCC_W MAPI_PROP_TAG(0x0E02, MAPI_PT_UNICODE)
#define MSGFLAG_READ 0x01
#define MSGFLAG_UNSENT 0x08
#define MAX_RECIP_COLUMNS 64

/* ---- recipients: store rows <-> RecipientRow ([MS-OXCDATA] 2.8.3) ---- */

/* Tags the fixed part of a RecipientRow carries. */
static int fixed_recipient_tag(uint32_t tag)
{
    static const uint16_t ids[] = {0x3000, 0x0C15, 0x3001, 0x3002, 0x3003, 0x3A20, 0x39FF};
    size_t i;
    for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        if (MAPI_PROP_ID(tag) == ids[i])
            return 1;
    return 0;
}

static const char *row_str(const ms_propval_t *v, size_t n, uint16_t id)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (MS_PROP_ID(v[i].tag) == id &&
            (MS_PROP_TYPE(v[i].tag) == MS_PT_UNICODE || MS_PROP_TYPE(v[i].tag) == MS_PT_STRING8))
            return v[i].value.str;
    return NULL;
}

static int32_t row_long(const ms_propval_t *v, size_t n, uint32_t tag, int32_t dflt)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (v[i].tag == tag)
            return v[i].value.l;
    return dflt;
}

/* The RecipientColumns: every non-fixed tag any recipient has. */
static uint32_t recipient_columns(rop_ctx_t *c, ms_message_t *msg, mapi_tagarray_t *cols)
{
    size_t r, i, k, nr = ms_message_recipient_count(msg);
    cols->count = 0;
    cols->tags = mapi_arena_calloc(c->arena, MAX_RECIP_COLUMNS, sizeof(uint32_t));
    if (!cols->tags)
        return MAPI_EC_SERVER_OOM;
    for (r = 0; r < nr; r++) {
        const ms_propval_t *v;
        size_t n;
        if (ms_message_get_recipient(msg, r, &v, &n) != MS_OK)
            continue;
        for (i = 0; i < n; i++) {
            uint16_t t = MS_PROP_TYPE(v[i].tag);
            int seen = 0;
            if (fixed_recipient_tag(v[i].tag) || t == MS_PT_ERROR || t == MS_PT_OBJECT || t == MS_PT_NULL)
                continue;
            for (k = 0; k < cols->count; k++)
                seen |= cols->tags[k] == v[i].tag;
            if (!seen && cols->count < MAX_RECIP_COLUMNS)
                cols->tags[cols->count++] = v[i].tag;
        }
    }
    return MAPI_EC_SUCCESS;
}

/* One store recipient as an OpenRecipientRow. */
static uint32_t recipient_row(rop_ctx_t *c, const ms_propval_t *v, size_t n, const mapi_tagarray_t *cols,
                              mapi_recipient_row_t *out)
{
    mapi_recipient_t r;
    mapi_wr_t wr;
    const char *addrtype = row_str(v, n, 0x3002), *email = row_str(v, n, 0x3003);
    size_t i, k;
    memset(&r, 0, sizeof(r));
    r.flags = MAPI_RECIP_UNICODE;
    if (addrtype && strcasecmp(addrtype, "SMTP") == 0) {
        r.flags |= MAPI_RECIP_TYPE_SMTP;
    } else if (addrtype && strcasecmp(addrtype, "EX") == 0 && email) {
        r.flags |= MAPI_RECIP_TYPE_X500DN;
        r.x500dn = (char *)email;
    } else if (addrtype && *addrtype) {
        r.flags |= MAPI_RECIP_OUTOFSTANDARD;
        r.address_type = (char *)addrtype;
    }
    if (email) {
        r.flags |= MAPI_RECIP_EMAIL;
        r.email = (char *)email;
    }
    if ((r.display_name = (char *)row_str(v, n, 0x3001)))
        r.flags |= MAPI_RECIP_DISPLAY;
    if ((r.transmittable_name = (char *)row_str(v, n, 0x3A20)))
        r.flags |= MAPI_RECIP_TRANSMITTABLE;
    if ((r.simple_name = (char *)row_str(v, n, 0x39FF)))
        r.flags |= MAPI_RECIP_SIMPLE;
    r.ncols = (uint16_t)cols->count;
    r.vals = mapi_arena_calloc(c->arena, cols->count ? cols->count : 1, sizeof(mapi_propval_t));
    if (!r.vals)
        return MAPI_EC_SERVER_OOM;
    for (k = 0; k < cols->count; k++) {
        r.vals[k].tag = MAPI_PROP_CHANGE_TYPE(cols->tags[k], MAPI_PT_NULL); /* absent */
        for (i = 0; i < n; i++)
            if (v[i].tag == cols->tags[k] &&
                rop_prop_from_store(c->arena, c->ectx->codepage, &v[i], &r.vals[k]) != 0)
                return MAPI_EC_SERVER_OOM;
    }
    out->row_id = (uint32_t)row_long(v, n, PR_ROWID_TAG, 0);
    out->recipient_type = (uint8_t)row_long(v, n, PR_RECIPIENT_TYPE_TAG, 1);
    out->code_page = 1200; /* strings are Unicode */
    mapi_wr_init(&wr, 0xFFFF);
    if (mapi_recipient_row_encode(&wr, cols, &r) != 0 || !mapi_wr_ok(&wr)) {
        mapi_wr_free(&wr);
        return MAPI_EC_SERVER_OOM;
    }
    out->row.len = (uint32_t)wr.len;
    out->row.data = mapi_arena_memdup(c->arena, wr.p, wr.len);
    mapi_wr_free(&wr);
    return out->row.data ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

static void typed_string(rop_ctx_t *c, const ms_propval_t *v, mapi_typed_string_t *ts)
{
    if (!v || (MS_PROP_TYPE(v->tag) != MS_PT_UNICODE && MS_PROP_TYPE(v->tag) != MS_PT_STRING8) || !v->value.str) {
        ts->type = MAPI_TSTR_NONE;
        return;
    }
    if (!*v->value.str) {
        ts->type = MAPI_TSTR_EMPTY;
        return;
    }
    ts->type = MAPI_TSTR_UNICODE;
    ts->str = mapi_arena_strndup(c->arena, v->value.str, strlen(v->value.str));
}

/* Recipient rows that fit in one response (OpenMessage: RowCount is a u8;
 * the client reads the rest with RopReadRecipients). */
#define OPEN_RECIP_ROWS_MAX 64
#define OPEN_RECIP_BYTES_MAX 16000

uint32_t rop_message_info(rop_ctx_t *c, ms_message_t *msg, mapi_rop_message_info_t *info)
{
    const ms_propval_t *all;
    size_t i, n, nr = ms_message_recipient_count(msg), bytes = 0;
    uint32_t ec;
    memset(info, 0, sizeof(*info));
    if (ms_message_get_all(msg, &all, &n) == MS_OK)
        for (i = 0; i < n; i++)
            if (MS_PROP_ID(all[i].tag) >= 0x8000)
                info->has_named_props = 1;
    {
        ms_propval_t pre;
        memset(&pre, 0, sizeof(pre));
        pre.tag = PR_SUBJECT_PREFIX_W;
        pre.value.str = (char *)mobj_subject_prefix(c, msg);
        typed_string(c, pre.value.str ? &pre : NULL, &info->subject_prefix);
    }
    typed_string(c, ms_message_get_prop(msg, PR_NORMALIZED_SUBJECT_W), &info->normalized_subject);
    info->recipient_count = (uint16_t)(nr > 0xFFFF ? 0xFFFF : nr);
    if ((ec = recipient_columns(c, msg, &info->columns)) != MAPI_EC_SUCCESS)
        return ec;
    info->rows = mapi_arena_calloc(c->arena, OPEN_RECIP_ROWS_MAX, sizeof(*info->rows));
    if (!info->rows)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < nr && i < OPEN_RECIP_ROWS_MAX && bytes < OPEN_RECIP_BYTES_MAX; i++) {
        const ms_propval_t *v;
        size_t nv;
        if (ms_message_get_recipient(msg, i, &v, &nv) != MS_OK)
            break;
        if ((ec = recipient_row(c, v, nv, &info->columns, &info->rows[i])) != MAPI_EC_SUCCESS)
            return ec;
        bytes += info->rows[i].row.len + 8;
        info->row_count++;
    }
    return MAPI_EC_SUCCESS;
}

/* ---- opening and creating ---- */

static uint64_t change_number(ms_message_t *msg)
{
    const ms_propval_t *v = ms_message_get_prop(msg, PR_CHANGE_NUMBER_TAG);
    return v ? (uint64_t)v->value.li : 0;
}

/* 2.2.3.1 RopOpenMessage; 3.2.5.1 */
static uint32_t rop_open_message(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    ms_message_t *msg;
    mapi_obj_t *o;
    mobj_state_t st;
    uint64_t fid = req->u.open_message.folder_id;
    uint8_t mode = req->u.open_message.open_mode;
    uint32_t ec;

    if ((ec = rop_obj_folder(c, req->in_idx, &fid, NULL)) != MAPI_EC_SUCCESS)
        return ec;
    if (req->u.open_message.folder_id != fid && req->u.open_message.folder_id != 0)
        fid = req->u.open_message.folder_id; /* FolderId names the message's folder */
    if (mode & ~(OPEN_BEST_ACCESS | OPEN_SOFT_DELETED))
        return MAPI_EC_INVALID_PARAMETER;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_message_open(NULL, mbx, fid, req->u.open_message.message_id, &msg))) != MAPI_EC_SUCCESS)
        return ec;
    /* [MS-OXCPERM] 2.2.7: reading takes ReadAny; writing EditAny, or
     * EditOwned on the user's own message; BestAccess opens read-only then */
    if ((ec = rop_perm_need(c, fid, PERM_READ_ANY)) == MAPI_EC_SUCCESS && (mode & OPEN_READ_WRITE) &&
        rop_perm_need_message(c, fid, req->u.open_message.message_id, PERM_EDIT_ANY, PERM_EDIT_OWNED) !=
            MAPI_EC_SUCCESS) {
        if ((mode & OPEN_BEST_ACCESS) == OPEN_BEST_ACCESS)
            mode &= (uint8_t)~OPEN_BEST_ACCESS;
        else
            ec = MAPI_EC_ACCESS_DENIED;
    }
    if (ec != MAPI_EC_SUCCESS) {
        ms_message_free(msg);
        return ec;
    }
    ec = rop_message_info(c, msg, &resp->u.open_message);
    memset(&st, 0, sizeof(st));
    st.kind = MOBJ_TOP;
    st.flags = (mode & OPEN_READ_WRITE) ? MOBJ_F_WRITE : 0;
    if (ms_message_get_prop(msg, MS_PR_MESSAGE_FLAGS) &&
        (ms_message_get_prop(msg, MS_PR_MESSAGE_FLAGS)->value.l & MS_MSGFLAG_ASSOCIATED))
        st.flags |= MOBJ_F_ASSOC;
    st.code_page = req->u.open_message.code_page;
    st.fid = fid;
    st.mid = req->u.open_message.message_id;
    st.cn = change_number(msg);
    st.attach_num = MOBJ_NO_ATTACH;
    ms_message_free(msg);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (!(o = rop_new_obj(c, req->out_idx, MAPI_OBJ_MESSAGE, req->logon_id, &ec)))
        return ec;
    return mobj_store(o, &st) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

static uint64_t filetime_now(void)
{
    return (uint64_t)time(NULL) * 10000000u + 116444736000000000u;
}

/* 2.2.3.2 RopCreateMessage; 3.2.5.2: a new message with the initial
 * properties of 3.2.5.2 (class, importance, sensitivity, flags, ...). */
static uint32_t rop_create_message(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    mapi_obj_t *o;
    mobj_state_t st;
    mapi_propval_t init[10];
    mapi_wr_t wr;
    uint64_t fid = req->u.create_message.folder_id;
    uint32_t ec;
    size_t ninit = 9;
    uint8_t *creator;

    if ((ec = rop_obj_folder(c, req->in_idx, &fid, NULL)) != MAPI_EC_SUCCESS)
        return ec;
    if (req->u.create_message.folder_id)
        fid = req->u.create_message.folder_id;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_folder_exists(NULL, mbx, fid))) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = rop_perm_need(c, fid, PERM_CREATE)) != MAPI_EC_SUCCESS)
        return ec; /* [MS-OXCPERM] 2.2.7 Create */
    if (!(o = rop_new_obj(c, req->out_idx, MAPI_OBJ_MESSAGE, req->logon_id, &ec)))
        return ec;
    memset(&st, 0, sizeof(st));
    st.kind = MOBJ_TOP;
    st.flags = MOBJ_F_WRITE | MOBJ_F_NEW | (req->u.create_message.associated ? MOBJ_F_ASSOC : 0);
    st.code_page = req->u.create_message.code_page;
    st.fid = fid;
    st.attach_num = MOBJ_NO_ATTACH;
    if (mobj_store(o, &st) != 0)
        return MAPI_EC_SERVER_OOM;
    memset(init, 0, sizeof(init));
    init[0].tag = PR_MESSAGE_CLASS_W;
    init[0].v.str = "IPM.Note";
    init[1].tag = PR_IMPORTANCE;
    init[1].v.i32 = 1;
    init[2].tag = PR_SENSITIVITY;
    init[2].v.i32 = 0;
    init[3].tag = PR_MESSAGE_FLAGS_TAG;
    init[3].v.i32 = MSGFLAG_READ | MSGFLAG_UNSENT;
    init[4].tag = PR_CREATION_TIME_TAG;
    init[4].v.time = filetime_now();
    init[5].tag = PR_LAST_MODIFICATION_TIME_TAG;
    init[5].v.time = init[4].v.time;
    init[6].tag = PR_DISPLAY_TO_W;
    init[6].v.str = "";
    init[7].tag = PR_DISPLAY_CC_W;
    init[7].v.str = "";
    init[8].tag = PR_DISPLAY_BCC_W;
    init[8].v.str = "";
    /* a delegate's message records who made it: the *Owned rights go by it */
    if (!rop_perm_is_owner(c) && (creator = mapi_arena_alloc(c->arena, 600)) != NULL &&
        (init[9].v.bin.len = (uint32_t)rop_perm_user_entryid(c, creator, 600)) > 0) {
        init[9].tag = rop_perm_creator_tag();
        init[9].v.bin.data = creator;
        ninit = 10;
    }
    mapi_wr_init(&wr, 0);
    ec = mobj_encode_set(&wr, init, ninit) == 0 ? mobj_journal_add(c, o, MJ_SET, wr.p, wr.len) : MAPI_EC_SERVER_OOM;
    mapi_wr_free(&wr);
    resp->u.create_message.has_mid = 0; /* the MID comes with the first save */
    return ec;
}

/* The message object at idx, decoded. */
static mapi_obj_t *message_obj(rop_ctx_t *c, uint8_t idx, mobj_state_t *st, uint32_t *ec)
{
    mapi_obj_t *o = rop_obj_of(c, idx, ROP_T(MAPI_OBJ_MESSAGE), ec);
    if (o && mobj_decode(o, st) != 0) {
        *ec = MAPI_EC_INVALID_OBJECT;
        return NULL;
    }
    return o;
}

/* Saves a top-level message: conflict check, rebuild, save, one txn. */
static uint32_t save_top(rop_ctx_t *c, mapi_obj_t *o, mobj_state_t *st, uint8_t flags)
{
    ms_mailbox_t *mbx;
    ms_txn_t *txn;
    mobj_t m;
    uint32_t ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_WRITE, &txn))) != MAPI_EC_SUCCESS)
        return ec;
    ec = mobj_load(c, txn, o, &m);
    if (ec == MAPI_EC_SUCCESS && st->mid && !(flags & SAVE_FORCE) && change_number(m.top) != st->cn)
        ec = MAPI_EC_OBJECT_MODIFIED; /* someone saved it since we opened it (3.2.5.3) */
    if (ec == MAPI_EC_SUCCESS) {
        mapi_propval_t lm;
        ms_propval_t sv;
        lm.tag = PR_LAST_MODIFICATION_TIME_TAG;
        lm.v.time = filetime_now();
        rop_prop_to_store(c->arena, c->ectx->codepage, &lm, &sv);
        ms_message_set_props(m.top, &sv, 1);
        ec = rop_ec(ms_message_save(txn, m.top));
    }
    if (ec == MAPI_EC_SUCCESS) {
        ec = rop_ec(ms_txn_commit(txn));
        txn = NULL;
    } else {
        ms_txn_abort(txn);
    }
    if (ec == MAPI_EC_SUCCESS) {
        mobj_spill_remove_journal(c, st->journal, st->journal_len, 0); /* saved: no longer pending */
        st->mid = ms_message_mid(m.top);
        st->cn = change_number(m.top);
        st->flags &= (uint8_t)~MOBJ_F_NEW;
    }
    if (m.top)
        mobj_free(&m);
    return ec;
}

/* 2.2.3.3 RopSaveChangesMessage; 3.2.5.3 */
static uint32_t rop_save_changes_message(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    uint32_t ec;
    uint8_t flags = req->u.save_changes.save_flags;
    mapi_obj_t *o = message_obj(c, req->in_idx, &st, &ec);
    if (!o)
        return ec;
    if (!(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    /* [MS-OXCPERM] 2.2.7: a new message takes Create, a change EditAny or EditOwned */
    if (st.kind != MOBJ_EMBEDDED &&
        (ec = (st.flags & MOBJ_F_NEW) || !st.mid
                  ? rop_perm_need(c, st.fid, PERM_CREATE)
                  : rop_perm_need_message(c, st.fid, st.mid, PERM_EDIT_ANY, PERM_EDIT_OWNED)) != MAPI_EC_SUCCESS)
        return ec;
    if (st.kind == MOBJ_EMBEDDED) {
        /* saved into the attachment; the top message's save persists it */
        mapi_obj_t *att = mapi_objtab_find(c->objs, st.parent);
        if (!att)
            return MAPI_EC_OBJECT_DELETED;
        ec = mobj_journal_add(c, att, MJ_EMB_APPLY, st.journal, st.journal_len);
        if (ec != MAPI_EC_SUCCESS)
            return ec;
        if (mobj_decode(o, &st) != 0)
            return MAPI_EC_INVALID_OBJECT;
    } else if ((ec = save_top(c, o, &st, flags)) != MAPI_EC_SUCCESS) {
        return ec;
    }
    st.journal = NULL;
    st.journal_len = 0;
    if ((flags & (SAVE_KEEP_READ_ONLY | SAVE_KEEP_READ_WRITE)) == SAVE_KEEP_READ_ONLY)
        st.flags &= (uint8_t)~MOBJ_F_WRITE;
    if (mobj_store(o, &st) != 0)
        return MAPI_EC_SERVER_OOM;
    resp->u.save_changes_message.in_idx = req->in_idx;
    resp->u.save_changes_message.message_id = st.mid;
    return MAPI_EC_SUCCESS;
}

/* ---- recipients ---- */

static char *row_text(rop_ctx_t *c, const char *s, int unicode)
{
    char *out = NULL;
    if (!s)
        return NULL;
    if (unicode)
        return (char *)s;
    return mapi_string8_to_utf8(c->arena, c->ectx->codepage, s, &out) == 0 ? out : NULL;
}

static void put_str(mapi_propval_t *v, size_t *n, uint32_t tag, char *s)
{
    if (!s)
        return;
    v[*n].tag = tag;
    v[*n].v.str = s;
    (*n)++;
}

/* A ModifyRecipientRow as the recipient's properties (wire values). */
static uint32_t recipient_props(rop_ctx_t *c, const mapi_tagarray_t *cols, const mapi_recipient_row_t *row,
                                mapi_propval_t **out, size_t *n)
{
    mapi_recipient_t r;
    mapi_propval_t *v;
    int u;
    uint16_t type;
    uint32_t i;
    memset(&r, 0, sizeof(r));
    if (mapi_recipient_row_decode(&row->row, c->arena, cols, &r) != 0)
        return MAPI_EC_INVALID_PARAMETER;
    v = mapi_arena_calloc(c->arena, r.ncols + 10, sizeof(*v));
    if (!v)
        return MAPI_EC_SERVER_OOM;
    *n = 0;
    u = (r.flags & MAPI_RECIP_UNICODE) != 0;
    type = r.flags & MAPI_RECIP_TYPE_MASK;
    v[*n].tag = PR_RECIPIENT_TYPE_TAG;
    v[(*n)++].v.i32 = row->recipient_type;
    if (type == MAPI_RECIP_TYPE_SMTP)
        put_str(v, n, PR_ADDRTYPE_W, "SMTP");
    else if (type == MAPI_RECIP_TYPE_X500DN) {
        put_str(v, n, PR_ADDRTYPE_W, "EX");
        if (!(r.flags & MAPI_RECIP_EMAIL))
            put_str(v, n, PR_EMAIL_ADDRESS_W, r.x500dn);
    } else if (r.address_type)
        put_str(v, n, PR_ADDRTYPE_W, r.address_type);
    put_str(v, n, PR_EMAIL_ADDRESS_W, row_text(c, r.email, u));
    put_str(v, n, PR_DISPLAY_NAME_W, row_text(c, r.display_name, u));
    put_str(v, n, PR_TRANSMITABLE_DISPLAY_NAME_W, row_text(c, r.transmittable_name, u));
    put_str(v, n, PR_7BIT_DISPLAY_NAME_W, row_text(c, r.simple_name, u));
    if (type == MAPI_RECIP_TYPE_PDL1 || type == MAPI_RECIP_TYPE_PDL2) {
        v[*n].tag = PR_ENTRYID_TAG;
        v[(*n)++].v.bin = r.entry_id;
        v[*n].tag = PR_SEARCH_KEY_TAG;
        v[(*n)++].v.bin = r.search_key;
    }
    for (i = 0; i < r.ncols; i++) {
        uint16_t t = MAPI_PROP_TYPE(r.vals[i].tag);
        size_t k;
        int dup = 0;
        if (t == MAPI_PT_NULL || t == MAPI_PT_ERROR || ((t & MAPI_PT_MV_FLAG) && r.vals[i].v.mv.count == 0))
            continue;
        for (k = 0; k < *n; k++)
            dup |= MAPI_PROP_ID(v[k].tag) == MAPI_PROP_ID(r.vals[i].tag);
        if (!dup && MAPI_PROP_ID(r.vals[i].tag) != 0x3000)
            v[(*n)++] = r.vals[i];
    }
    *out = v;
    return MAPI_EC_SUCCESS;
}

/* 2.2.3.5 RopModifyRecipients; 3.2.5.5: rows replace the row with their
 * RowId; an empty RecipientRow removes it. */
static uint32_t rop_modify_recipients(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    uint32_t ec, i;
    const mapi_tagarray_t *cols = &req->u.modify_recipients.columns;
    mapi_obj_t *o = message_obj(c, req->in_idx, &st, &ec);
    (void)resp;
    if (!o)
        return ec;
    if (!(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    for (i = 0; i < cols->count; i++) {
        uint16_t t = MAPI_PROP_TYPE(cols->tags[i]);
        if (t == MAPI_PT_UNSPECIFIED || t == MAPI_PT_ERROR || t == MAPI_PT_OBJECT || !mapi_prop_type_known(t))
            return MAPI_EC_INVALID_PARAMETER;
    }
    for (i = 0; i < req->u.modify_recipients.count; i++) {
        const mapi_recipient_row_t *row = &req->u.modify_recipients.rows[i];
        mapi_wr_t wr;
        mapi_wr_init(&wr, MOBJ_BLOB_MAX);
        mapi_wr_u32(&wr, row->row_id);
        if (row->row.len == 0) {
            ec = mobj_journal_add(c, o, MJ_RECIP_DEL, wr.p, wr.len);
        } else {
            mapi_propval_t *v;
            size_t n;
            ec = recipient_props(c, cols, row, &v, &n);
            if (ec == MAPI_EC_SUCCESS)
                ec = mobj_encode_set(&wr, v, n) == 0 ? mobj_journal_add(c, o, MJ_RECIP_SET, wr.p, wr.len)
                                                     : MAPI_EC_OUT_OF_MEMORY;
        }
        mapi_wr_free(&wr);
        if (ec != MAPI_EC_SUCCESS)
            return ec;
    }
    return MAPI_EC_SUCCESS;
}

/* 2.2.3.6 RopReadRecipients: rows from RowId on, as many as fit. */
static uint32_t rop_read_recipients(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    mobj_t m;
    mapi_tagarray_t cols;
    size_t i, nr, bytes = 0;
    uint32_t ec;
    mapi_obj_t *o = message_obj(c, req->in_idx, &st, &ec);
    if (!o)
        return ec;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    nr = ms_message_recipient_count(m.msg);
    ec = recipient_columns(c, m.msg, &cols);
    resp->u.read_recipients.rows = mapi_arena_calloc(c->arena, 255, sizeof(mapi_recipient_row_t));
    if (!resp->u.read_recipients.rows)
        ec = MAPI_EC_SERVER_OOM;
    for (i = 0; ec == MAPI_EC_SUCCESS && i < nr && resp->u.read_recipients.count < 255 && bytes < 16000; i++) {
        const ms_propval_t *v;
        size_t nv;
        mapi_recipient_row_t *row = &resp->u.read_recipients.rows[resp->u.read_recipients.count];
        if (ms_message_get_recipient(m.msg, i, &v, &nv) != MS_OK ||
            (uint32_t)row_long(v, nv, PR_ROWID_TAG, 0) < req->u.read_recipients.row_id)
            continue;
        if ((ec = recipient_row(c, v, nv, &cols, row)) == MAPI_EC_SUCCESS) {
            bytes += row->row.len + 12;
            resp->u.read_recipients.count++;
        }
    }
    mobj_free(&m);
    if (ec == MAPI_EC_SUCCESS && resp->u.read_recipients.count == 0)
        ec = MAPI_EC_NOT_FOUND; /* no row at or after RowId */
    return ec;
}

/* 2.2.3.4 RopRemoveAllRecipients */
static uint32_t rop_remove_all_recipients(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    uint32_t ec;
    mapi_obj_t *o = message_obj(c, req->in_idx, &st, &ec);
    (void)resp;
    if (!o)
        return ec;
    if (!(st.flags & MOBJ_F_WRITE))
        return MAPI_EC_ACCESS_DENIED;
    return mobj_journal_add(c, o, MJ_RECIP_CLEAR, NULL, 0);
}

/* 2.2.3.7 RopReloadCachedInformation: OpenMessage's answer, now. */
static uint32_t rop_reload_cached(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    mobj_t m;
    uint32_t ec;
    mapi_obj_t *o = message_obj(c, req->in_idx, &st, &ec);
    if (!o)
        return ec;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    ec = rop_message_info(c, m.msg, &resp->u.open_message);
    mobj_free(&m);
    return ec;
}

/* ---- status and read flags ---- */

static uint32_t status_of(ms_message_t *msg)
{
    const ms_propval_t *v = ms_message_get_prop(msg, PR_MESSAGE_STATUS);
    return v ? (uint32_t)v->value.l : 0;
}

/* 2.2.3.9 RopGetMessageStatus (on the folder) */
static uint32_t rop_get_message_status(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    ms_message_t *msg;
    uint64_t fid = 0;
    uint32_t ec;
    if ((ec = rop_obj_folder(c, req->in_idx, &fid, NULL)) != MAPI_EC_SUCCESS)
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_message_open(NULL, mbx, fid, req->u.id.id, &msg))) != MAPI_EC_SUCCESS)
        return ec;
    resp->u.message_status.flags = status_of(msg);
    ms_message_free(msg);
    return MAPI_EC_SUCCESS;
}

/* 2.2.3.8 RopSetMessageStatus: answers the old status. */
static uint32_t rop_set_message_status(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    ms_message_t *msg;
    ms_propval_t v;
    uint64_t fid = 0;
    uint32_t ec, old, mask = req->u.set_message_status.mask;
    if ((ec = rop_obj_folder(c, req->in_idx, &fid, NULL)) != MAPI_EC_SUCCESS)
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_message_open(NULL, mbx, fid, req->u.set_message_status.message_id, &msg))) !=
        MAPI_EC_SUCCESS)
        return ec;
    old = status_of(msg);
    memset(&v, 0, sizeof(v));
    v.tag = PR_MESSAGE_STATUS;
    v.value.l = (int32_t)((old & ~mask) | (req->u.set_message_status.flags & mask));
    ec = rop_ec(ms_message_set_props(msg, &v, 1));
    if (ec == MAPI_EC_SUCCESS)
        ec = rop_ec(ms_message_save(NULL, msg));
    ms_message_free(msg);
    resp->u.message_status.flags = old;
    return ec;
}

#define RF_SUPPRESS_RECEIPT 0x01 /* ReadFlags ([MS-OXCMSG] 2.2.3.10.1) */
#define RF_CLEAR_READ 0x04
#define RF_GENERATE_RECEIPT_ONLY 0x10
#define RF_CLEAR_NOTIFY_READ 0x20
#define RF_CLEAR_NOTIFY_UNREAD 0x40

/* 2.2.3.10 RopSetReadFlags (on the folder) */
static uint32_t rop_set_read_flags(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    uint64_t fid = 0;
    uint32_t ec, i;
    uint8_t rf = req->u.set_read_flags.read_flags;
    mapi_obj_t *fo;
    if ((ec = rop_obj_folder(c, req->in_idx, &fid, &fo)) != MAPI_EC_SUCCESS)
        return ec;
    if (fo->type != MAPI_OBJ_FOLDER)
        return MAPI_EC_NOT_SUPPORTED;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_perm_need(c, fid, PERM_READ_ANY)) != MAPI_EC_SUCCESS)
        return ec;
    resp->u.partial.partial = 0;
    if (rf & RF_GENERATE_RECEIPT_ONLY)
        return MAPI_EC_SUCCESS; /* no read state change; receipts come with mail flow */
    for (i = 0; i < req->u.set_read_flags.count; i++)
        if (ms_message_set_read(NULL, mbx, fid, req->u.set_read_flags.mids[i], !(rf & RF_CLEAR_READ)) != MS_OK)
            resp->u.partial.partial = 1;
    return MAPI_EC_SUCCESS;
}

/* 2.2.3.11 RopSetMessageReadFlag: ReadStatusChanged tells whether the flag moved. */
static uint32_t rop_set_message_read_flag(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mobj_state_t st;
    mobj_t m;
    ms_mailbox_t *mbx;
    uint32_t ec;
    int was_read, want_read = !(req->u.set_message_read_flag.read_flags & RF_CLEAR_READ);
    int32_t flags = 0;
    const ms_propval_t *fl;
    mapi_obj_t *o = message_obj(c, req->in_idx, &st, &ec);
    if (!o)
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if (st.fid && (ec = rop_perm_need(c, st.fid, PERM_READ_ANY)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = mobj_load(c, NULL, o, &m)) != MAPI_EC_SUCCESS)
        return ec;
    fl = ms_message_get_prop(m.msg, MS_PR_MESSAGE_FLAGS);
    flags = fl ? fl->value.l : 0;
    if (!fl && !(st.kind == MOBJ_TOP && st.mid))
        mobj_journal_long(c, &st, MS_PR_MESSAGE_FLAGS, &flags);
    was_read = (flags & MS_MSGFLAG_READ) != 0;
    mobj_free(&m);
    resp->u.set_message_read_flag.logon_id = req->logon_id;
    if (req->u.set_message_read_flag.read_flags & RF_GENERATE_RECEIPT_ONLY) {
        resp->u.set_message_read_flag.changed = 0;
        return MAPI_EC_SUCCESS;
    }
    resp->u.set_message_read_flag.changed = was_read != want_read;
    if (was_read == want_read)
        return MAPI_EC_SUCCESS;
    if (st.kind == MOBJ_TOP && st.mid) {
        ec = rop_ec(ms_message_set_read(NULL, mbx, st.fid, st.mid, want_read));
        if (ec == MAPI_EC_SUCCESS) { /* our own change: no conflict on a later save */
            ms_message_t *msg;
            if (ms_message_open(NULL, mbx, st.fid, st.mid, &msg) == MS_OK) {
                mobj_decode(o, &st);
                st.cn = change_number(msg);
                ms_message_free(msg);
                if (mobj_store(o, &st) != 0)
                    ec = MAPI_EC_SERVER_OOM;
            }
        }
        return ec;
    }
    { /* an unsaved message: PidTagMessageFlags is still settable and comes with its save */
        mapi_propval_t v;
        mapi_wr_t wr;
        v.tag = PR_MESSAGE_FLAGS_TAG;
        v.v.i32 = (int32_t)(((uint32_t)flags & ~MS_MSGFLAG_READ) | (want_read ? MS_MSGFLAG_READ : 0));
        mapi_wr_init(&wr, 0);
        ec = mobj_encode_set(&wr, &v, 1) == 0 ? mobj_journal_add(c, o, MJ_SET, wr.p, wr.len) : MAPI_EC_SERVER_OOM;
        mapi_wr_free(&wr);
        return ec;
    }
}

const rop_entry_t rop_message_entries[] = {
    {ROP_OPEN_MESSAGE, rop_open_message},
    {ROP_CREATE_MESSAGE, rop_create_message},
    {ROP_SAVE_CHANGES_MESSAGE, rop_save_changes_message},
    {ROP_MODIFY_RECIPIENTS, rop_modify_recipients},
    {ROP_READ_RECIPIENTS, rop_read_recipients},
    {ROP_REMOVE_ALL_RECIPIENTS, rop_remove_all_recipients},
    {ROP_RELOAD_CACHED_INFORMATION, rop_reload_cached},
    {ROP_GET_MESSAGE_STATUS, rop_get_message_status},
    {ROP_SET_MESSAGE_STATUS, rop_set_message_status},
    {ROP_SET_READ_FLAGS, rop_set_read_flags},
    {ROP_SET_MESSAGE_READ_FLAG, rop_set_message_read_flag},
    {ROP_OPEN_ATTACHMENT, rop_open_attachment},
    {ROP_CREATE_ATTACHMENT, rop_create_attachment},
    {ROP_DELETE_ATTACHMENT, rop_delete_attachment},
    {ROP_SAVE_CHANGES_ATTACHMENT, rop_save_changes_attachment},
    {ROP_GET_VALID_ATTACHMENTS, rop_get_valid_attachments},
    {ROP_OPEN_EMBEDDED_MESSAGE, rop_open_embedded_message},
    {0, NULL}};
