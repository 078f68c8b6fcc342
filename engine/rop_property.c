/*
 * rop_property.c - property ROPs ([MS-OXCPRPT] 2.2.2-2.2.8, server
 * behaviour 3.2.5) on logon, folder, message and attachment objects:
 * GetProperties*, Set/DeleteProperties(+NoReplicate) with problem arrays,
 * CopyProperties, CopyTo, named properties, Progress.
 */
#include "rop_msgobj.h"
#include "rop_rules.h"

#include <string.h>

#define PROP_OBJECTS (ROP_T(MAPI_OBJ_LOGON) | ROP_T(MAPI_OBJ_FOLDER) | ROP_T(MAPI_OBJ_MESSAGE) | ROP_T(MAPI_OBJ_ATTACHMENT))
#define GETIDS_CREATE 0x02       /* RopGetPropertyIdsFromNames Flags (2.2.8.1.1) */
#define QN_NO_STRINGS 0x01       /* RopQueryNamedProperties QueryFlags (2.2.8.3.1) */
#define QN_NO_IDS 0x02
#define COPY_MOVE 0x01           /* CopyFlags (2.2.8.11.1) */
#define COPY_NO_OVERWRITE 0x02

/* PS_MAPI {00020328-0000-0000-C000-000000000046}: names of tagged ids */
static const mapi_guid_t PS_MAPI = {{0x28, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x46}};

/* The largest value GetProperties* answer inline: larger ones are
 * PT_ERROR NotEnoughMemory (0x8007000E), and the client opens a stream
 * ([MS-OXCPRPT] 3.2.5.1: a value that does not fit the response). The
 * response frame holds 32 KB ([MS-OXCRPC] 3.1.4.2.1.1), so the values of
 * one answer together stay under PROP_ANSWER_MAX too. */
#define PROP_VALUE_MAX 0x4000u
#define PROP_ANSWER_MAX 0x6800u

/* Turns the largest values into NotEnoughMemory errors until the answer fits. */
static void fit_answer(mapi_propval_t *v, size_t n)
{
    uint64_t total = 0;
    size_t i;
    for (i = 0; i < n; i++)
        total += mapi_propval_size(&v[i]) + 4;
    while (total > PROP_ANSWER_MAX) {
        size_t big = n;
        uint64_t bs = 0;
        for (i = 0; i < n; i++)
            if (MAPI_PROP_TYPE(v[i].tag) != MAPI_PT_ERROR && mapi_propval_size(&v[i]) > bs) {
                bs = mapi_propval_size(&v[i]);
                big = i;
            }
        if (big == n || bs <= 4)
            return;
        total -= bs;
        total += 4;
        v[big].tag = MAPI_PROP_CHANGE_TYPE(v[big].tag, MAPI_PT_ERROR);
        v[big].v.err = MAPI_EC_OUT_OF_MEMORY;
    }
}

/* The store's own folder records (outgoing queue, permission list, rules:
 * 0x65D0-0x65D2; search criteria: 0x65F0-0x65F3) are no client's
 * properties: GetPropertiesAll and GetPropertiesList leave them out. */
static int internal_prop(const mapi_obj_t *o, uint32_t tag)
{
    uint16_t id = MAPI_PROP_ID(tag);
    if (o->type != MAPI_OBJ_FOLDER && o->type != MAPI_OBJ_LOGON)
        return 0;
    return (id >= 0x65D0 && id <= 0x65D2) || (id >= 0x65F0 && id <= 0x65F3);
}

/* Changing a folder's properties takes FolderOwner ([MS-OXCPERM] 2.2.7). */
static uint32_t may_change(rop_ctx_t *c, uint8_t idx, const mapi_obj_t *o)
{
    uint64_t fid;
    uint32_t ec;
    if (o->type != MAPI_OBJ_FOLDER)
        return MAPI_EC_SUCCESS;
    if ((ec = rop_obj_folder(c, idx, &fid, NULL)) != MAPI_EC_SUCCESS)
        return ec;
    return rop_perm_need(c, fid, PERM_FOLDER_OWNER);
}

static uint32_t size_limit(uint16_t asked)
{
    return asked && asked < PROP_VALUE_MAX ? asked : PROP_VALUE_MAX;
}

/* A delegate's PidTagAccess and PidTagAccessLevel on a folder follow his
 * rights on it ([MS-OXCPERM] 2.2.7); the owner's stay as computed. */
static void folder_access(rop_ctx_t *c, const mapi_obj_t *o, mapi_propval_t *vals, size_t n)
{
    uint64_t fid = rop_folder_fid(o);
    uint32_t rights = 0;
    int32_t access, level;
    size_t i;
    if (!fid || rop_perm_is_owner(c) || rop_perm_rights(c, fid, c->ectx->user, &rights) != MAPI_EC_SUCCESS)
        return;
    rop_perm_folder_access(rights, &access, &level);
    for (i = 0; i < n; i++)
        if (vals[i].tag == MAPI_PROP_TAG(0x0FF4, MAPI_PT_LONG))
            vals[i].v.i32 = access;
        else if (vals[i].tag == MAPI_PROP_TAG(0x0FF7, MAPI_PT_LONG))
            vals[i].v.i32 = level;
}

static uint32_t props_of(rop_ctx_t *c, uint8_t idx, mapi_obj_t **o, mapi_propval_t **vals, size_t *n)
{
    uint32_t ec;
    if (!(*o = rop_obj_of(c, idx, PROP_OBJECTS, &ec)))
        return ec;
    if ((ec = rop_object_props(c, *o, vals, n)) == MAPI_EC_SUCCESS && (*o)->type == MAPI_OBJ_FOLDER)
        folder_access(c, *o, *vals, *n);
    return ec;
}

/* 2.2.2.1 RopGetPropertiesSpecific: one value per requested tag; absent
 * or unconvertible ones are PtypErrorCode values in the row. */
static uint32_t rop_get_props_specific(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    const mapi_tagarray_t *tags = &req->u.get_props_specific.tags;
    mapi_propval_t *all, *row;
    mapi_obj_t *o;
    size_t n, i;
    uint32_t ec = props_of(c, req->in_idx, &o, &all, &n);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    row = mapi_arena_calloc(c->arena, tags->count ? tags->count : 1, sizeof(*row));
    if (!row)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < tags->count; i++) {
        uint32_t tag = tags->tags[i];
        uint16_t t = MAPI_PROP_TYPE(tag);
        const mapi_propval_t *have = mapi_propval_find(all, n, MAPI_PROP_CHANGE_TYPE(tag, MAPI_PT_UNSPECIFIED));
        if (t != MAPI_PT_UNSPECIFIED && (!mapi_prop_type_known(t) || t == MAPI_PT_ERROR)) {
            row[i].tag = MAPI_PROP_CHANGE_TYPE(tag, MAPI_PT_ERROR);
            row[i].v.err = MAPI_EC_INVALID_PARAMETER;
            continue;
        }
        if (mapi_propval_for_request(c->arena, c->ectx->codepage, req->u.get_props_specific.want_unicode != 0, tag,
                                     have, size_limit(req->u.get_props_specific.size_limit), &row[i]) != 0)
            return MAPI_EC_SERVER_OOM;
    }
    fit_answer(row, tags->count);
    resp->u.get_props_specific.row.cols = tags->tags;
    resp->u.get_props_specific.row.ncols = tags->count;
    resp->u.get_props_specific.row.vals = row;
    return MAPI_EC_SUCCESS;
}

/* 2.2.2.4 RopGetPropertiesAll: strings in the form WantUnicode asks. */
static uint32_t rop_get_props_all(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mapi_propval_t *all, *out;
    mapi_obj_t *o;
    size_t n, i, k = 0;
    uint32_t ec = props_of(c, req->in_idx, &o, &all, &n);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    out = mapi_arena_calloc(c->arena, n ? n : 1, sizeof(*out));
    if (!out)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < n; i++) {
        uint32_t want = MAPI_PROP_CHANGE_TYPE(all[i].tag, MAPI_PT_UNSPECIFIED);
        if (internal_prop(o, all[i].tag))
            continue;
        if (mapi_propval_for_request(c->arena, c->ectx->codepage, req->u.get_props_all.want_unicode != 0, want,
                                     &all[i], size_limit(req->u.get_props_all.size_limit), &out[k++]) != 0)
            return MAPI_EC_SERVER_OOM;
    }
    n = k;
    fit_answer(out, n);
    resp->u.get_props_all.props.count = (uint32_t)n;
    resp->u.get_props_all.props.vals = out;
    return MAPI_EC_SUCCESS;
}

/* 2.2.2.5 RopGetPropertiesList */
static uint32_t rop_get_props_list(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    mapi_propval_t *all;
    mapi_obj_t *o;
    size_t n, i, k = 0;
    uint32_t ec = props_of(c, req->in_idx, &o, &all, &n);
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    resp->u.tags.tags.tags = mapi_arena_calloc(c->arena, n ? n : 1, sizeof(uint32_t));
    if (!resp->u.tags.tags.tags)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < n; i++)
        if (!internal_prop(o, all[i].tag))
            resp->u.tags.tags.tags[k++] = all[i].tag;
    resp->u.tags.tags.count = (uint32_t)k;
    return MAPI_EC_SUCCESS;
}

/* 2.2.2.6 RopSetProperties / 2.2.2.7 RopSetPropertiesNoReplicate */
static uint32_t rop_set_props(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    uint32_t ec;
    mapi_obj_t *o = rop_obj_of(c, req->in_idx, PROP_OBJECTS, &ec);
    if (!o)
        return ec;
    if ((ec = may_change(c, req->in_idx, o)) != MAPI_EC_SUCCESS)
        return ec;
    return rop_object_set_props(c, o, req->u.set_props.props.vals, req->u.set_props.props.count,
                                &resp->u.problems.problems);
}

/* 2.2.2.8 RopDeleteProperties / 2.2.2.9 RopDeletePropertiesNoReplicate */
static uint32_t rop_delete_props(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    uint32_t ec;
    mapi_obj_t *o = rop_obj_of(c, req->in_idx, PROP_OBJECTS, &ec);
    if (!o)
        return ec;
    if ((ec = may_change(c, req->in_idx, o)) != MAPI_EC_SUCCESS)
        return ec;
    return rop_object_delete_props(c, o, req->u.delete_props.tags.tags, req->u.delete_props.tags.count,
                                   &resp->u.problems.problems);
}

/* ---- copying ---- */

static int tag_listed(const mapi_tagarray_t *t, uint32_t tag)
{
    uint32_t i;
    for (i = 0; i < t->count; i++)
        if (MAPI_PROP_ID(t->tags[i]) == MAPI_PROP_ID(tag))
            return 1;
    return 0;
}

/* Copies (tags listed, or all but the listed ones when `exclude`) from the
 * source object to the destination ([MS-OXCPRPT] 3.2.5.10 / 3.2.5.11). */
static uint32_t copy_props(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp, int exclude)
{
    const mapi_tagarray_t *tags = &req->u.copy_props.tags;
    mapi_obj_t *src, *dst;
    mapi_propval_t *sv, *dv, *put;
    size_t ns, nd, i, k = 0;
    uint32_t ec;
    uint8_t flags = req->u.copy_props.copy_flags;
    mapi_problemarray_t probs;

    if (!(src = rop_obj_of(c, req->in_idx, PROP_OBJECTS & ~ROP_T(MAPI_OBJ_LOGON), &ec)))
        return ec;
    if (!(dst = rop_obj(c, req->out_idx, &ec))) {
        resp->ret = MAPI_EC_DST_NULL_OBJECT; /* answered with the DestHandleIndex */
        resp->u.problems.dest_idx = req->out_idx;
        return MAPI_EC_DST_NULL_OBJECT;
    }
    if (dst->type != src->type)
        return MAPI_EC_NOT_SUPPORTED; /* 3.2.5.10: source and destination of one kind */
    if (flags & ~(COPY_MOVE | COPY_NO_OVERWRITE))
        return MAPI_EC_INVALID_PARAMETER;
    /* a folder's properties change: FolderOwner on the destination (and on the source of a move) */
    if ((ec = may_change(c, req->out_idx, dst)) != MAPI_EC_SUCCESS ||
        ((flags & COPY_MOVE) && (ec = may_change(c, req->in_idx, src)) != MAPI_EC_SUCCESS))
        return ec;
    if ((ec = rop_object_props(c, src, &sv, &ns)) != MAPI_EC_SUCCESS)
        return ec;
    if ((ec = rop_object_props(c, dst, &dv, &nd)) != MAPI_EC_SUCCESS)
        return ec;
    put = mapi_arena_calloc(c->arena, ns ? ns : 1, sizeof(*put));
    if (!put)
        return MAPI_EC_SERVER_OOM;
    memset(&resp->u.problems.problems, 0, sizeof(resp->u.problems.problems));
    for (i = 0; i < ns; i++) {
        if (exclude ? tag_listed(tags, sv[i].tag) : !tag_listed(tags, sv[i].tag))
            continue;
        if ((flags & COPY_NO_OVERWRITE) && mapi_propval_find(dv, nd, MAPI_PROP_CHANGE_TYPE(sv[i].tag, 0)))
            continue;
        put[k++] = sv[i];
    }
    if (!exclude) { /* tags asked for that the source lacks: problems */
        mapi_problemarray_t *pa = &resp->u.problems.problems;
        pa->probs = mapi_arena_calloc(c->arena, tags->count ? tags->count : 1, sizeof(*pa->probs));
        if (!pa->probs)
            return MAPI_EC_SERVER_OOM;
        for (i = 0; i < tags->count; i++)
            if (!mapi_propval_find(sv, ns, MAPI_PROP_CHANGE_TYPE(tags->tags[i], 0))) {
                pa->probs[pa->count].index = (uint16_t)i;
                pa->probs[pa->count].tag = tags->tags[i];
                pa->probs[pa->count].err = MAPI_EC_NOT_FOUND;
                pa->count++;
            }
    }
    if (k == 0)
        return MAPI_EC_SUCCESS;
    /* read-only computed values are skipped (no problem rows for them) */
    ec = rop_object_set_props(c, dst, put, k, &probs);
    if (ec == MAPI_EC_SUCCESS && (flags & COPY_MOVE)) {
        uint32_t *del = mapi_arena_calloc(c->arena, k, sizeof(uint32_t));
        if (!del)
            return MAPI_EC_SERVER_OOM;
        for (i = 0; i < k; i++)
            del[i] = put[i].tag;
        ec = rop_object_delete_props(c, src, del, k, &probs);
    }
    return ec;
}

/* 2.2.2.11 RopCopyProperties */
static uint32_t rop_copy_properties(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return copy_props(c, req, resp, 0);
}

#define PR_MESSAGE_RECIPIENTS MAPI_PROP_TAG(0x0E12, MAPI_PT_OBJECT)
#define PR_MESSAGE_ATTACHMENTS MAPI_PROP_TAG(0x0E13, MAPI_PT_OBJECT)

/* 2.2.2.12 RopCopyTo: everything but the excluded tags; with
 * WantSubObjects, a message's recipients and attachments too unless
 * PidTagMessageRecipients / PidTagMessageAttachments are excluded. */
static uint32_t rop_copy_to(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    const mapi_tagarray_t *ex = &req->u.copy_props.tags;
    mapi_obj_t *src, *dst;
    uint32_t ec;
    if (req->u.copy_props.want_subobjects && (src = rop_obj(c, req->in_idx, &ec)) && src->type == MAPI_OBJ_FOLDER)
        return MAPI_EC_NOT_SUPPORTED; /* folder contents: RopCopyFolder */
    ec = copy_props(c, req, resp, 1);
    if (ec != MAPI_EC_SUCCESS || !req->u.copy_props.want_subobjects)
        return ec;
    src = rop_obj(c, req->in_idx, &ec);
    dst = rop_obj(c, req->out_idx, &ec);
    if (!src || !dst || src->type != MAPI_OBJ_MESSAGE)
        return MAPI_EC_SUCCESS; /* attachments have no sub-objects but an embedded message */
    return mobj_copy_subobjects(c, src, dst, !tag_listed(ex, PR_MESSAGE_RECIPIENTS),
                                !tag_listed(ex, PR_MESSAGE_ATTACHMENTS));
}

/* ---- named properties ([MS-OXCPRPT] 2.2.8, [MS-OXCDATA] 2.6) ---- */

static void name_to_store(const mapi_propname_t *in, ms_propname_t *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->guid.b, in->guid.b, 16);
    out->kind = in->kind == MAPI_MNID_STRING ? MS_MNID_STRING : MS_MNID_ID;
    out->lid = in->lid;
    if (in->kind == MAPI_MNID_STRING && in->name) {
        size_t l = strlen(in->name);
        memcpy(out->name, in->name, l < sizeof(out->name) - 1 ? l : sizeof(out->name) - 1);
    }
}

static void name_from_store(rop_ctx_t *c, const ms_propname_t *in, mapi_propname_t *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->guid.b, in->guid.b, 16);
    out->kind = in->kind == MS_MNID_STRING ? MAPI_MNID_STRING : MAPI_MNID_ID;
    out->lid = in->lid;
    if (out->kind == MAPI_MNID_STRING)
        out->name = mapi_arena_strndup(c->arena, in->name, strlen(in->name));
}

/* Every registered named property id, for a PropertyNameCount of 0. */
static uint32_t all_named_ids(rop_ctx_t *c, ms_mailbox_t *mbx, mapi_rop_resp_t *resp);

/* 2.2.8.1 RopGetPropertyIdsFromNames; [MS-OXCPRPT] 2.2.12.2: names that
 * cannot be mapped (unknown without Create, PS_MAPI names of another kind)
 * get id 0 in a success response. */
static uint32_t rop_get_ids_from_names(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    mapi_obj_t *o;
    uint32_t ec, i;
    int create = (req->u.get_ids_from_names.flags & GETIDS_CREATE) != 0;
    if (!(o = rop_obj_of(c, req->in_idx, PROP_OBJECTS, &ec)))
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if (req->u.get_ids_from_names.count == 0)
        return all_named_ids(c, mbx, resp);
    resp->u.prop_ids.count = req->u.get_ids_from_names.count;
    resp->u.prop_ids.ids = mapi_arena_calloc(c->arena, resp->u.prop_ids.count + 1u, sizeof(uint16_t));
    if (!resp->u.prop_ids.ids)
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < req->u.get_ids_from_names.count; i++) {
        const mapi_propname_t *pn = &req->u.get_ids_from_names.names[i];
        ms_propname_t sn;
        uint16_t id = 0;
        if (mapi_guid_eq(&pn->guid, &PS_MAPI)) {
            if (pn->kind == MAPI_MNID_ID && pn->lid < 0x8000)
                resp->u.prop_ids.ids[i] = (uint16_t)pn->lid; /* PS_MAPI names are the tagged ids */
            continue;
        }
        if (pn->kind != MAPI_MNID_ID && pn->kind != MAPI_MNID_STRING)
            continue;
        name_to_store(pn, &sn);
        ec = rop_ec(ms_named_get_id(NULL, mbx, &sn, create, &id));
        if (ec == MAPI_EC_SUCCESS)
            resp->u.prop_ids.ids[i] = id;
        else if (ec != MAPI_EC_NOT_FOUND)
            return ec;
    }
    return MAPI_EC_SUCCESS;
}

/* 2.2.8.2 RopGetNamesFromPropertyIds: ids below 0x8000 are PS_MAPI names;
 * unknown ids get the Kind 0xFF entry. */
static uint32_t rop_get_names_from_ids(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    mapi_obj_t *o;
    ms_txn_t *txn = NULL;
    uint32_t ec, i;
    if (!(o = rop_obj_of(c, req->in_idx, PROP_OBJECTS, &ec)))
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    resp->u.prop_names.count = req->u.get_names_from_ids.count;
    resp->u.prop_names.names = mapi_arena_calloc(c->arena, resp->u.prop_names.count + 1u, sizeof(mapi_propname_t));
    if (!resp->u.prop_names.names)
        return MAPI_EC_SERVER_OOM;
    ms_txn_begin(mbx, MS_TXN_READ, &txn);
    for (i = 0; i < req->u.get_names_from_ids.count; i++) {
        uint16_t id = req->u.get_names_from_ids.ids[i];
        mapi_propname_t *out = &resp->u.prop_names.names[i];
        ms_propname_t sn;
        if (id < 0x8000) {
            out->kind = MAPI_MNID_ID;
            out->guid = PS_MAPI;
            out->lid = id;
        } else if (ms_named_get_name(txn, mbx, id, &sn) == MS_OK) {
            name_from_store(c, &sn, out);
        } else {
            out->kind = MAPI_MNID_NONE;
        }
    }
    ms_txn_abort(txn);
    return MAPI_EC_SUCCESS;
}

/* How far past the last known id QueryNamedProperties keeps looking. */
#define QN_GAP 256

static uint32_t all_named_ids(rop_ctx_t *c, ms_mailbox_t *mbx, mapi_rop_resp_t *resp)
{
    ms_txn_t *txn = NULL;
    uint32_t ec, id, last = 0x8000;
    resp->u.prop_ids.count = 0;
    resp->u.prop_ids.ids = mapi_arena_calloc(c->arena, 0x8000, sizeof(uint16_t));
    if (!resp->u.prop_ids.ids)
        return MAPI_EC_SERVER_OOM;
    if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_READ, &txn))) != MAPI_EC_SUCCESS)
        return ec;
    for (id = 0x8000; id <= 0xFFFE && id <= last + QN_GAP; id++) {
        ms_propname_t sn;
        if (ms_named_get_name(txn, mbx, (uint16_t)id, &sn) != MS_OK)
            continue;
        last = id;
        resp->u.prop_ids.ids[resp->u.prop_ids.count++] = (uint16_t)id;
    }
    ms_txn_abort(txn);
    return MAPI_EC_SUCCESS;
}

/* 2.2.8.3 RopQueryNamedProperties: every named property of the mailbox
 * (optionally of one property set), strings and/or ids. */
static uint32_t rop_query_named(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    mapi_obj_t *o;
    ms_txn_t *txn = NULL;
    uint32_t ec, id, last = 0x8000, cap = 64;
    uint8_t qf = req->u.query_named.flags;
    if (!(o = rop_obj_of(c, req->in_idx, PROP_OBJECTS, &ec)))
        return ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if (qf & ~(QN_NO_STRINGS | QN_NO_IDS))
        return MAPI_EC_INVALID_PARAMETER;
    resp->u.query_named.ids = mapi_arena_calloc(c->arena, cap, sizeof(uint16_t));
    resp->u.query_named.names = mapi_arena_calloc(c->arena, cap, sizeof(mapi_propname_t));
    if (!resp->u.query_named.ids || !resp->u.query_named.names)
        return MAPI_EC_SERVER_OOM;
    if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_READ, &txn))) != MAPI_EC_SUCCESS)
        return ec;
    for (id = 0x8000; id <= 0xFFFE && id <= last + QN_GAP; id++) {
        ms_propname_t sn;
        uint16_t k = resp->u.query_named.count;
        if (ms_named_get_name(txn, mbx, (uint16_t)id, &sn) != MS_OK)
            continue;
        last = id;
        if ((sn.kind == MS_MNID_STRING && (qf & QN_NO_STRINGS)) || (sn.kind == MS_MNID_ID && (qf & QN_NO_IDS)))
            continue;
        if (req->u.query_named.has_guid && memcmp(sn.guid.b, req->u.query_named.guid.b, 16) != 0)
            continue;
        if (k == cap) {
            uint16_t *ni = mapi_arena_calloc(c->arena, cap * 2, sizeof(uint16_t));
            mapi_propname_t *nn = mapi_arena_calloc(c->arena, cap * 2, sizeof(mapi_propname_t));
            if (!ni || !nn) {
                ms_txn_abort(txn);
                return MAPI_EC_SERVER_OOM;
            }
            memcpy(ni, resp->u.query_named.ids, cap * sizeof(uint16_t));
            memcpy(nn, resp->u.query_named.names, cap * sizeof(mapi_propname_t));
            resp->u.query_named.ids = ni;
            resp->u.query_named.names = nn;
            cap *= 2;
        }
        resp->u.query_named.ids[k] = (uint16_t)id;
        name_from_store(c, &sn, &resp->u.query_named.names[k]);
        resp->u.query_named.count++;
    }
    ms_txn_abort(txn);
    return MAPI_EC_SUCCESS;
}

/* 2.2.8.13 RopProgress: every operation here completes synchronously, so
 * there is nothing in progress: 0 of 0 done. */
static uint32_t rop_progress(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    uint32_t ec;
    if (!rop_obj(c, req->in_idx, &ec))
        return ec;
    resp->u.progress.logon_id = req->logon_id;
    resp->u.progress.completed = 0;
    resp->u.progress.total = 0;
    return MAPI_EC_SUCCESS;
}

const rop_entry_t rop_property_entries[] = {
    {ROP_GET_PROPERTIES_SPECIFIC, rop_get_props_specific},
    {ROP_GET_PROPERTIES_ALL, rop_get_props_all},
    {ROP_GET_PROPERTIES_LIST, rop_get_props_list},
    {ROP_SET_PROPERTIES, rop_set_props},
    {ROP_SET_PROPERTIES_NO_REPLICATE, rop_set_props},
    {ROP_DELETE_PROPERTIES, rop_delete_props},
    {ROP_DELETE_PROPERTIES_NO_REPLICATE, rop_delete_props},
    {ROP_COPY_PROPERTIES, rop_copy_properties},
    {ROP_COPY_TO, rop_copy_to},
    {ROP_GET_PROPERTY_IDS_FROM_NAMES, rop_get_ids_from_names},
    {ROP_GET_NAMES_FROM_PROPERTY_IDS, rop_get_names_from_ids},
    {ROP_QUERY_NAMED_PROPERTIES, rop_query_named},
    {ROP_PROGRESS, rop_progress},
    {0, NULL}};
