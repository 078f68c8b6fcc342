/*
 * ms_store_props.c - properties of the private store (logon) object:
 * special-folder entry ids ([MS-OXOSFLD] 2.2.2, [MS-OXCSTOR] 2.2.2), owner,
 * record keys, size and quotas.
 */
#include <stdlib.h>
#include <string.h>
#include "ms_internal.h"

/* [MS-OXCDATA] 2.2.5.2 Address Book EntryID (permanent), X500 DN. */
static ms_err_t ab_entryid(ms_propset_t *ps, uint32_t tag, const char *dn)
{
    static const uint8_t uid[16] = {0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                                    0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82};
    size_t dl = strlen(dn), n = 4 + 16 + 4 + 4 + dl + 1;
    uint8_t *b = calloc(1, n);
    if (!b)
        return MS_E_NOMEM;
    memcpy(b + 4, uid, 16);
    b[20] = 1;              /* Version 1 (LE u32) */
    /* Type 0: DT_MAILUSER */
    memcpy(b + 28, dn, dl);
    ms_err_t rc = ms__ps_set_bin(ps, tag, b, n);
    free(b);
    return rc;
}

ms_err_t ms_mailbox_store_props(ms_mailbox_t *mbx, const uint32_t *tags, size_t ntags,
                                ms_propval_t **vals, size_t *nvals)
{
    if (!mbx || !vals || !nvals || (ntags && !tags))
        return ms__err(MS_E_INVALID_PARAM, "store_props: bad argument");
    ms_mailbox_info_t info;
    ms_err_t rc = ms_mailbox_info(mbx, &info);
    if (rc != MS_OK)
        return rc;
    static const struct { uint16_t id; ms_special_t f; } eids[] = {
        {0x35E0, MS_FOLDER_IPM_SUBTREE}, {0x35E2, MS_FOLDER_OUTBOX}, {0x35E3, MS_FOLDER_DELETED_ITEMS},
        {0x35E4, MS_FOLDER_SENT_ITEMS}, {0x35E5, MS_FOLDER_VIEWS}, {0x35E6, MS_FOLDER_COMMON_VIEWS},
        {0x35E7, MS_FOLDER_FINDER}};
    ms_propset_t ps = {0};
    uint8_t eid[MS_FOLDER_ENTRYID_SIZE];
    for (size_t i = 0; rc == MS_OK && i < sizeof(eids) / sizeof(eids[0]); i++) {
        ms_folder_entryid(mbx, ms_special_folder_id(eids[i].f), eid);
        rc = ms__ps_set_bin(&ps, MS_PROP_TAG(MS_PT_BINARY, eids[i].id), eid, sizeof(eid));
    }
    if (rc == MS_OK) rc = ms__ps_set_str(&ps, MS_PR_DISPLAY_NAME, info.display_name);
    if (rc == MS_OK) rc = ms__ps_set_str(&ps, MS_PROP_TAG(MS_PT_UNICODE, 0x661C), info.display_name);
    if (rc == MS_OK) rc = ab_entryid(&ps, MS_PROP_TAG(MS_PT_BINARY, 0x661B), info.legacy_dn);
    if (rc == MS_OK) rc = ms__ps_set_bin(&ps, MS_PROP_TAG(MS_PT_BINARY, 0x0FFA), mbx->guid.b, 16);
    if (rc == MS_OK) rc = ms__ps_set_bin(&ps, MS_PR_RECORD_KEY, mbx->guid.b, 16);
    if (rc == MS_OK) rc = ms__ps_set_i8(&ps, MS_PR_MESSAGE_SIZE_EXTENDED, (int64_t)info.size);
    if (rc == MS_OK && info.quota_warning)
        rc = ms__ps_set_long(&ps, MS_PROP_TAG(MS_PT_LONG, 0x3FF5), (int32_t)(info.quota_warning / 1024));
    if (rc == MS_OK && info.quota_send)
        rc = ms__ps_set_long(&ps, MS_PROP_TAG(MS_PT_LONG, 0x666E), (int32_t)(info.quota_send / 1024));
    if (rc == MS_OK && info.quota_receive)
        rc = ms__ps_set_long(&ps, MS_PROP_TAG(MS_PT_LONG, 0x666A), (int32_t)(info.quota_receive / 1024));
    size_t n = tags ? ntags : ps.n;
    ms_propval_t *out = rc == MS_OK ? calloc(n ? n : 1, sizeof(*out)) : NULL;
    if (rc == MS_OK && !out)
        rc = MS_E_NOMEM;
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        const ms_propval_t *v = tags ? ms__ps_find(&ps, tags[i]) : &ps.v[i];
        if (v) {
            rc = ms_propval_dup(v, &out[i]);
            if (rc == MS_OK && tags && MS_PROP_TYPE(tags[i]) != MS_PT_UNSPECIFIED)
                out[i].tag = tags[i];
        } else {
            out[i].tag = MS_PROP_TAG(MS_PT_ERROR, MS_PROP_ID(tags[i]));
            out[i].value.err = (uint32_t)MS_E_NOT_FOUND;
        }
    }
    ms__ps_free(&ps);
    if (rc != MS_OK) {
        ms_propvals_free(out, n);
        return rc;
    }
    *vals = out;
    *nvals = n;
    return MS_OK;
}
