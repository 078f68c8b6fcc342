/*
 * nspi_modify.c - changes to address book objects ([MS-OXNSPI] 3.1.4.1.14
 * NspiModProps, 3.1.4.1.15 NspiModLinkAtt). The server decides what a
 * client may change; here, as in Exchange, a user may change only their
 * own entry's certificates (PidTagUserX509Certificate,
 * PidTagAddressBookX509Certificate) and public delegates
 * (PidTagAddressBookPublicDelegates). The directory record has no room for
 * them, so they are kept as properties of the user's mailbox root folder
 * and read back from there. Everything else is AccessDenied.
 */
#include <stdlib.h>
#include <string.h>

#include "mapi_ids.h"
#include "nspi_internal.h"

#define NSPI_MODLINK_DELETE 0x00000001u   /* fDelete */

static ms_id_t root_fid(void)
{
    return ms_special_folder_id(MS_FOLDER_ROOT);
}

int nspi_stored_prop(nspi_rq_t *rq, const nspi_entry_t *e, uint32_t tag, mapi_propval_t *out)
{
    ms_mailbox_t *mbx = NULL;
    ms_propval_t *vals = NULL;
    size_t n = 0;
    int found = 0;

    if (!rq->ctx->store || ms_mailbox_open_guid(rq->ctx->store, &e->guid, &mbx) != MS_OK)
        return 0;
    if (ms_folder_get_props(NULL, mbx, root_fid(), &tag, 1, &vals, &n) == MS_OK && n == 1 &&
        vals[0].tag == tag && vals[0].value.mv.count) {
        uint32_t c = vals[0].value.mv.count;
        mapi_bin_t *b = mapi_arena_calloc(rq->arena, c, sizeof(*b));
        found = b != NULL;
        for (uint32_t i = 0; found && i < c; i++) {
            b[i].len = vals[0].value.mv.v.bin[i].cb;
            b[i].data = mapi_arena_memdup(rq->arena, vals[0].value.mv.v.bin[i].pb, b[i].len ? b[i].len : 1);
            found = b[i].data != NULL;
        }
        out->tag = tag;
        out->v.mv.count = c;
        out->v.mv.v.bin = b;
    }
    if (vals)
        ms_propvals_free(vals, n);
    ms_mailbox_close(mbx);
    return found;
}

/* Replace (or with count 0 remove) one MV_BINARY property of the root
 * folder of e's mailbox. */
static uint32_t store_mv_binary(nspi_rq_t *rq, const nspi_entry_t *e, uint32_t tag, const ms_binary_t *v,
                                uint32_t count)
{
    ms_mailbox_t *mbx = NULL;
    ms_err_t rc;
    if (!rq->ctx->store || ms_mailbox_open_guid(rq->ctx->store, &e->guid, &mbx) != MS_OK)
        return NSPI_GENERAL_FAILURE;
    if (count == 0) {
        rc = ms_folder_delete_props(NULL, mbx, root_fid(), &tag, 1);
    } else {
        ms_propval_t pv;
        pv.tag = tag;
        pv.value.mv.count = count;
        pv.value.mv.v.bin = (ms_binary_t *)(uintptr_t)v;
        rc = ms_folder_set_props(NULL, mbx, root_fid(), &pv, 1);
    }
    ms_mailbox_close(mbx);
    return rc == MS_OK ? NSPI_SUCCESS : NSPI_GENERAL_FAILURE;
}

static int is_certificate(uint32_t tag)
{
    uint16_t id = MAPI_PROP_ID(tag);
    return id == MAPI_PROP_ID(NSPI_TAG_USER_X509_CERT) || id == MAPI_PROP_ID(NSPI_TAG_AB_X509_CERT);
}

/* The object of a MId, which must be the user's own entry: an object the
 * server cannot locate is InvalidParameter (ModProps constraint 6,
 * ModLinkAtt constraint 4), someone else's AccessDenied. */
static uint32_t own_target(nspi_rq_t *rq, uint32_t mid, const nspi_entry_t **e)
{
    long k = nspi_gal_find_mid(rq->gal, mid);
    if (k < 0)
        return NSPI_INVALID_PARAMETER;
    if (k != nspi_own_entry(rq))
        return NSPI_ACCESS_DENIED;
    *e = &rq->gal->e[k];
    return NSPI_SUCCESS;
}

/* 3.1.4.1.14 NspiModProps: remove the properties of PropertyTags, then set
 * the values of PropertyValues, on the object at STAT.CurrentRec. */
uint32_t nspi_do_modprops(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_modprops_req_t *q = &req->u.modprops;
    const nspi_entry_t *e = NULL;
    uint32_t err;
    (void)rsp;

    /* constraint 5: PropertyTags absent is InvalidParameter */
    if (!q->has_state || !q->has_proptags || !q->has_values)
        return NSPI_INVALID_PARAMETER;
    if ((err = nspi_stat_check(&q->state, 0)) || (err = own_target(rq, q->state.current_rec, &e)))
        return err;
    for (uint32_t i = 0; q->has_proptags && i < q->proptags.count; i++)
        if (!is_certificate(q->proptags.v[i]))
            return NSPI_ACCESS_DENIED;
    for (uint32_t i = 0; i < q->values.count; i++) {
        if (!is_certificate(q->values.v[i].tag))
            return NSPI_ACCESS_DENIED;
        if (MAPI_PROP_TYPE(q->values.v[i].tag) != MAPI_PT_MV_BINARY)
            return NSPI_INVALID_PARAMETER;
    }
    for (uint32_t i = 0; q->has_proptags && i < q->proptags.count; i++)
        if ((err = store_mv_binary(rq, e, MAPI_PROP_CHANGE_TYPE(q->proptags.v[i], MAPI_PT_MV_BINARY), NULL, 0)))
            return err;
    for (uint32_t i = 0; i < q->values.count; i++) {
        const nspi_propval_t *v = &q->values.v[i].v;
        uint32_t c = v->present ? v->u.mv.count : 0, k = 0;
        ms_binary_t *b = nspi_arena_array(rq->arena, c ? c : 1, sizeof(*b));
        if (!b)
            return NSPI_NOT_ENOUGH_MEMORY;
        for (uint32_t j = 0; j < c; j++)
            if (v->u.mv.u.e[j].present) {
                b[k].cb = v->u.mv.u.e[j].b.len;
                b[k++].pb = (uint8_t *)(uintptr_t)v->u.mv.u.e[j].b.p;
            }
        if ((err = store_mv_binary(rq, e, q->values.v[i].tag, b, k)))
            return err;
    }
    return NSPI_SUCCESS;
}

/* An address book entry id (permanent or ephemeral) -> GAL index, or -1. */
static long entry_of_entryid(nspi_rq_t *rq, const nspi_bytes_t *id)
{
    mapi_ab_ephemeral_t eph;
    mapi_ab_entryid_t perm;
    if (mapi_ab_ephemeral_parse(id->p, id->len, &eph) == MAPI_OK)
        return nspi_gal_find_mid(rq->gal, eph.mid);
    if (mapi_ab_entryid_parse(rq->arena, id->p, id->len, &perm) == MAPI_OK && perm.dn)
        return nspi_gal_find_key(rq->gal, NSPI_KEY_DN, perm.dn);
    return -1;
}

/* 3.1.4.1.15 NspiModLinkAtt: add or remove entries of a link property.
 * PidTagAddressBookMember needs a distribution list (there are none);
 * PidTagAddressBookPublicDelegates may change on one's own entry only. */
uint32_t nspi_do_modlinkatt(nspi_rq_t *rq, const nspi_request_t *req, nspi_response_t *rsp)
{
    const nspi_modlinkatt_req_t *q = &req->u.modlinkatt;
    const nspi_entry_t *e = NULL;
    mapi_propval_t cur;
    uint32_t err, n = 0, cap;
    ms_binary_t *list;
    (void)rsp;

    /* constraint 3: a proptag the server does not recognize is NotFound */
    if (MAPI_PROP_ID(q->proptag) != MAPI_PROP_ID(NSPI_TAG_AB_MEMBER) &&
        MAPI_PROP_ID(q->proptag) != MAPI_PROP_ID(NSPI_TAG_AB_PUBLIC_DELEGATES))
        return NSPI_NOT_FOUND;
    if (!q->has_entry_ids || q->entry_id_count == 0)
        return NSPI_INVALID_PARAMETER;
    if ((err = own_target(rq, q->mid, &e)))
        return err;
    if (MAPI_PROP_ID(q->proptag) == MAPI_PROP_ID(NSPI_TAG_AB_MEMBER))
        return NSPI_ACCESS_DENIED;       /* a user is not a distribution list */
    memset(&cur, 0, sizeof(cur));
    if (!nspi_stored_prop(rq, e, NSPI_TAG_DELEGATES_STORED, &cur))
        cur.v.mv.count = 0;
    cap = cur.v.mv.count + q->entry_id_count;
    if (!(list = nspi_arena_array(rq->arena, cap ? cap : 1, sizeof(*list))))
        return NSPI_NOT_ENOUGH_MEMORY;
    for (uint32_t i = 0; i < cur.v.mv.count; i++) {
        list[n].cb = cur.v.mv.v.bin[i].len;
        list[n++].pb = cur.v.mv.v.bin[i].data;
    }
    for (uint32_t i = 0; i < q->entry_id_count; i++) {
        long k = entry_of_entryid(rq, &q->entry_ids[i]);
        mapi_bin_t perm;
        uint32_t j;
        if (k < 0)
            return NSPI_ACCESS_DENIED;   /* constraint 8: cannot apply it */
        if (!nspi_permanent_entryid(rq, &rq->gal->e[k], &perm))
            return NSPI_NOT_ENOUGH_MEMORY;
        for (j = 0; j < n && !(list[j].cb == perm.len && !memcmp(list[j].pb, perm.data, perm.len)); j++)
            ;
        if (q->flags & NSPI_MODLINK_DELETE) {
            if (j < n)
                list[j] = list[--n];
        } else if (j == n) {
            list[n].cb = perm.len;
            list[n++].pb = perm.data;
        }
    }
    return store_mv_binary(rq, e, NSPI_TAG_DELEGATES_STORED, list, n);
}
