/*
 * nspi_props.c - the properties of address book objects ([MS-OXOABK] 2.2:
 * mail users and the GAL container) and rows built from them
 * ([MS-OXCMAPIHTTP] 2.2.1.7 AddressBookPropertyRow).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_ids.h"
#include "nspi_internal.h"

/* Properties every mail user has (native types). */
static const uint32_t user_tags[] = {
    NSPI_TAG_ENTRYID, NSPI_TAG_INSTANCE_KEY, NSPI_TAG_MAPPING_SIGNATURE, NSPI_TAG_RECORD_KEY,
    NSPI_TAG_OBJECT_TYPE, NSPI_TAG_DISPLAY_NAME, NSPI_TAG_ADDRTYPE, NSPI_TAG_EMAIL_ADDRESS,
    NSPI_TAG_SEARCH_KEY, NSPI_TAG_DISPLAY_TYPE, NSPI_TAG_TEMPLATEID, NSPI_TAG_SMTP_ADDRESS,
    NSPI_TAG_DISPLAY_NAME_PRINTABLE, NSPI_TAG_ACCOUNT, NSPI_TAG_TRANSMITTABLE_DISPLAY_NAME,
    NSPI_TAG_PROXY_ADDRESSES, NSPI_TAG_OBJECT_GUID, NSPI_TAG_AB_CONTAINER_ID,
};
/* The GAL container's ([MS-OXOABK] 2.2.2: hierarchy table rows). */
static const uint32_t container_tags[] = {
    NSPI_TAG_ENTRYID, NSPI_TAG_CONTAINER_FLAGS, NSPI_TAG_DEPTH, NSPI_TAG_AB_CONTAINER_ID,
    NSPI_TAG_DISPLAY_NAME, NSPI_TAG_AB_IS_MASTER, NSPI_TAG_DISPLAY_TYPE, NSPI_TAG_OBJECT_TYPE,
};

#define GAL_DISPLAY_NAME "Global Address List"
#define AB_RECIPIENTS   0x00000001u
#define AB_UNMODIFIABLE 0x00000008u

const uint32_t *nspi_prop_list(int container, size_t *n)
{
    if (container) {
        *n = sizeof(container_tags) / sizeof(container_tags[0]);
        return container_tags;
    }
    *n = sizeof(user_tags) / sizeof(user_tags[0]);
    return user_tags;
}

/* ---- value builders ----------------------------------------------------- */
static void set_str(mapi_propval_t *v, uint16_t id, const char *s)
{
    v->tag = MAPI_PROP_TAG(id, MAPI_PT_UNICODE);
    v->v.str = (char *)(uintptr_t)s;
}

static void set_long(mapi_propval_t *v, uint16_t id, uint32_t x)
{
    v->tag = MAPI_PROP_TAG(id, MAPI_PT_LONG);
    v->v.i32 = (int32_t)x;
}

static int set_bin(nspi_rq_t *rq, mapi_propval_t *v, uint16_t id, const void *p, size_t n)
{
    v->tag = MAPI_PROP_TAG(id, MAPI_PT_BINARY);
    v->v.bin.len = (uint32_t)n;
    v->v.bin.data = mapi_arena_memdup(rq->arena, p, n ? n : 1);
    return v->v.bin.data != NULL;
}

static int wr_to_bin(nspi_rq_t *rq, mapi_wr_t *wr, mapi_bin_t *out)
{
    int ok = mapi_wr_ok(wr);
    if (ok) {
        out->len = (uint32_t)wr->len;
        out->data = mapi_arena_memdup(rq->arena, wr->p, wr->len);
        ok = out->data != NULL;
    }
    mapi_wr_free(wr);
    return ok;
}

/* [MS-OXCDATA] 2.2.5.2: Flags 0, ProviderUID, Version 1, Type, X500DN. */
int nspi_permanent_entryid(nspi_rq_t *rq, const nspi_entry_t *e, mapi_bin_t *out)
{
    mapi_ab_entryid_t id;
    mapi_wr_t wr;
    id.type = e ? NSPI_DT_MAILUSER : NSPI_DT_GLOBAL;
    id.dn = (char *)(uintptr_t)(e ? e->dn : "/");
    mapi_wr_init(&wr, 0);
    mapi_ab_entryid_encode(&wr, &id);
    return wr_to_bin(rq, &wr, out);
}

/* [MS-OXNSPI] 2.2.9.2: Type 0x87, server GUID, R4 1, DisplayType, MId. */
static int ephemeral_entryid(nspi_rq_t *rq, const nspi_entry_t *e, mapi_bin_t *out)
{
    mapi_ab_ephemeral_t id;
    mapi_wr_t wr;
    memcpy(id.server.b, rq->server_guid, 16);
    id.display_type = e ? NSPI_DT_MAILUSER : NSPI_DT_GLOBAL;
    id.mid = e ? e->mid : NSPI_MID_GAL;
    mapi_wr_init(&wr, 0);
    mapi_ab_ephemeral_encode(&wr, &id);
    return wr_to_bin(rq, &wr, out);
}

/* PidTagSearchKey ([MS-OXOABK] 2.2.3.7): "EX:" + upper-case DN + NUL. */
static int search_key(nspi_rq_t *rq, const nspi_entry_t *e, mapi_propval_t *v)
{
    size_t n = strlen(e->dn) + 4;
    char *k = mapi_arena_alloc(rq->arena, n);
    if (!k)
        return 0;
    snprintf(k, n, "EX:%s", e->dn);
    for (char *p = k; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    v->tag = NSPI_TAG_SEARCH_KEY;
    v->v.bin.data = (uint8_t *)k;
    v->v.bin.len = (uint32_t)n;
    return 1;
}

/* PidTagAddressBookProxyAddresses: "SMTP:" primary, "smtp:" the others. */
static int proxy_addresses(nspi_rq_t *rq, const nspi_entry_t *e, mapi_propval_t *v)
{
    char **s = mapi_arena_calloc(rq->arena, e->nsmtp ? e->nsmtp : 1, sizeof(char *));
    if (!s || !e->nsmtp)
        return 0;
    for (unsigned i = 0; i < e->nsmtp; i++) {
        size_t n = strlen(e->smtp[i]) + 6;
        if (!(s[i] = mapi_arena_alloc(rq->arena, n)))
            return 0;
        snprintf(s[i], n, "%s:%s", i ? "smtp" : "SMTP", e->smtp[i]);
    }
    v->tag = NSPI_TAG_PROXY_ADDRESSES;
    v->v.mv.count = e->nsmtp;
    v->v.mv.v.str = s;
    return 1;
}

/* PidTagAddressBookDisplayNamePrintable: the display name's ASCII
 * characters (the alias when none is left). */
static int printable_name(nspi_rq_t *rq, const nspi_entry_t *e, mapi_propval_t *v)
{
    size_t n = strlen(e->display), k = 0;
    char *s = mapi_arena_alloc(rq->arena, n + 1);
    if (!s)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)e->display[i] >= 0x20 && (unsigned char)e->display[i] < 0x7F)
            s[k++] = e->display[i];
    s[k] = 0;
    set_str(v, MAPI_PROP_ID(NSPI_TAG_DISPLAY_NAME_PRINTABLE), k ? s : e->alias);
    return 1;
}

static int container_prop(nspi_rq_t *rq, uint16_t id, mapi_propval_t *v)
{
    switch (id) {
    case MAPI_PROP_ID(NSPI_TAG_ENTRYID):
        v->tag = NSPI_TAG_ENTRYID;
        return rq->ephemeral ? ephemeral_entryid(rq, NULL, &v->v.bin) : nspi_permanent_entryid(rq, NULL, &v->v.bin);
    case MAPI_PROP_ID(NSPI_TAG_CONTAINER_FLAGS): set_long(v, id, AB_RECIPIENTS | AB_UNMODIFIABLE); return 1;
    case MAPI_PROP_ID(NSPI_TAG_DEPTH):           set_long(v, id, 0); return 1;
    case MAPI_PROP_ID(NSPI_TAG_AB_CONTAINER_ID): set_long(v, id, NSPI_MID_GAL); return 1;
    case MAPI_PROP_ID(NSPI_TAG_DISPLAY_NAME):    set_str(v, id, GAL_DISPLAY_NAME); return 1;
    case MAPI_PROP_ID(NSPI_TAG_DISPLAY_TYPE):    set_long(v, id, NSPI_DT_GLOBAL); return 1;
    case MAPI_PROP_ID(NSPI_TAG_OBJECT_TYPE):     set_long(v, id, NSPI_OT_ABCONT); return 1;
    case MAPI_PROP_ID(NSPI_TAG_AB_IS_MASTER):
        v->tag = NSPI_TAG_AB_IS_MASTER;
        v->v.b = 0;
        return 1;
    default:
        return 0;
    }
}

int nspi_prop_get(nspi_rq_t *rq, const nspi_entry_t *e, uint32_t tag, mapi_propval_t *v)
{
    uint16_t id = MAPI_PROP_ID(tag);
    uint8_t key[4];

    memset(v, 0, sizeof(*v));
    if (!e)
        return container_prop(rq, id, v);
    switch (id) {
    case MAPI_PROP_ID(NSPI_TAG_ENTRYID):
        v->tag = NSPI_TAG_ENTRYID;
        return rq->ephemeral ? ephemeral_entryid(rq, e, &v->v.bin) : nspi_permanent_entryid(rq, e, &v->v.bin);
    case MAPI_PROP_ID(NSPI_TAG_RECORD_KEY):
    case MAPI_PROP_ID(NSPI_TAG_TEMPLATEID):
        v->tag = MAPI_PROP_TAG(id, MAPI_PT_BINARY);
        return nspi_permanent_entryid(rq, e, &v->v.bin);
    case MAPI_PROP_ID(NSPI_TAG_INSTANCE_KEY):
        mapi_put_le32(key, e->mid);
        return set_bin(rq, v, id, key, 4);
    case MAPI_PROP_ID(NSPI_TAG_MAPPING_SIGNATURE):
        return set_bin(rq, v, id, MAPI_MUID_ADDRBOOK.b, 16);
    case MAPI_PROP_ID(NSPI_TAG_OBJECT_GUID):
        return set_bin(rq, v, id, e->guid.b, 16);
    case MAPI_PROP_ID(NSPI_TAG_OBJECT_TYPE):     set_long(v, id, NSPI_OT_MAILUSER); return 1;
    case MAPI_PROP_ID(NSPI_TAG_DISPLAY_TYPE):    set_long(v, id, NSPI_DT_MAILUSER); return 1;
    case MAPI_PROP_ID(NSPI_TAG_AB_CONTAINER_ID): set_long(v, id, NSPI_MID_GAL); return 1;
    case MAPI_PROP_ID(NSPI_TAG_DISPLAY_NAME):
    case MAPI_PROP_ID(NSPI_TAG_TRANSMITTABLE_DISPLAY_NAME):
        set_str(v, id, e->display);
        return 1;
    case MAPI_PROP_ID(NSPI_TAG_ADDRTYPE):       set_str(v, id, "EX"); return 1;
    case MAPI_PROP_ID(NSPI_TAG_EMAIL_ADDRESS):  set_str(v, id, e->dn); return 1;
    case MAPI_PROP_ID(NSPI_TAG_SMTP_ADDRESS):   set_str(v, id, e->smtp[0]); return e->nsmtp > 0;
    case MAPI_PROP_ID(NSPI_TAG_ACCOUNT):        set_str(v, id, e->alias); return 1;
    case MAPI_PROP_ID(NSPI_TAG_SEARCH_KEY):     return search_key(rq, e, v);
    case MAPI_PROP_ID(NSPI_TAG_PROXY_ADDRESSES): return proxy_addresses(rq, e, v);
    case MAPI_PROP_ID(NSPI_TAG_DISPLAY_NAME_PRINTABLE): return printable_name(rq, e, v);
    case MAPI_PROP_ID(NSPI_TAG_USER_X509_CERT):
    case MAPI_PROP_ID(NSPI_TAG_AB_X509_CERT):
        return nspi_stored_prop(rq, e, MAPI_PROP_CHANGE_TYPE(tag, MAPI_PT_MV_BINARY), v);
    case MAPI_PROP_ID(NSPI_TAG_AB_PUBLIC_DELEGATES):
        return nspi_stored_prop(rq, e, NSPI_TAG_DELEGATES_STORED, v);
    default:
        return 0;
    }
}

uint32_t nspi_column_tag(const nspi_rq_t *rq, uint32_t tag)
{
    uint16_t t = MAPI_PROP_TYPE(tag);
    if (rq->cp == NSPI_CP_WINUNICODE && (t == MAPI_PT_STRING8 || t == MAPI_PT_MV_STRING8))
        return MAPI_PROP_CHANGE_TYPE(tag, t == MAPI_PT_STRING8 ? MAPI_PT_UNICODE : MAPI_PT_MV_UNICODE);
    return tag;
}

/* 1 if the native type can be given as want (conversions between the
 * string types only). */
static int type_fits(uint16_t native, uint16_t want)
{
    if (want == MAPI_PT_UNSPECIFIED || want == native)
        return 1;
    if ((native == MAPI_PT_UNICODE || native == MAPI_PT_STRING8) &&
        (want == MAPI_PT_UNICODE || want == MAPI_PT_STRING8))
        return 1;
    return (native == MAPI_PT_MV_UNICODE || native == MAPI_PT_MV_STRING8) &&
           (want == MAPI_PT_MV_UNICODE || want == MAPI_PT_MV_STRING8);
}

int nspi_prop_rowval(nspi_rq_t *rq, const nspi_entry_t *e, uint32_t tag, nspi_rowval_t *out)
{
    mapi_propval_t v;
    uint16_t want = MAPI_PROP_TYPE(nspi_column_tag(rq, tag));
    memset(out, 0, sizeof(*out));
    if (nspi_prop_get(rq, e, tag, &v) && type_fits(MAPI_PROP_TYPE(v.tag), want)) {
        int rc = nspi_propval_from_mapi(rq->arena, rq->cp, &v, want, &out->v);
        if (rc == NSPI_OK) {
            out->flag = NSPI_FLAG_PRESENT;
            return 1;
        }
        if (rc == NSPI_E_NOMEM)
            return -1;
    }
    memset(out, 0, sizeof(*out));
    out->flag = NSPI_FLAG_ERROR;
    out->err = NSPI_NOT_FOUND;
    out->v.type = want == MAPI_PT_UNSPECIFIED ? NSPI_PT_ERROR : want;
    return 0;
}

uint32_t nspi_rows_build(nspi_rq_t *rq, const nspi_u32_array_t *cols, const long *idx, uint32_t n,
                         nspi_rowset_t *rs)
{
    memset(rs, 0, sizeof(*rs));
    rs->columns.count = cols->count;
    rs->columns.v = nspi_arena_array(rq->arena, cols->count ? cols->count : 1, sizeof(uint32_t));
    rs->rows = nspi_arena_array(rq->arena, n ? n : 1, sizeof(nspi_row_t));
    if (!rs->columns.v || !rs->rows)
        return NSPI_NOT_ENOUGH_MEMORY;
    for (uint32_t c = 0; c < cols->count; c++)
        rs->columns.v[c] = nspi_column_tag(rq, cols->v[c]);
    for (uint32_t r = 0; r < n; r++) {
        nspi_row_t *row = &rs->rows[r];
        if (!(row->vals = nspi_arena_array(rq->arena, cols->count ? cols->count : 1, sizeof(nspi_rowval_t))))
            return NSPI_NOT_ENOUGH_MEMORY;
        for (uint32_t c = 0; c < cols->count; c++) {
            if (idx[r] < 0) {
                uint16_t t = MAPI_PROP_TYPE(rs->columns.v[c]);
                row->vals[c].flag = NSPI_FLAG_ERROR;
                row->vals[c].err = NSPI_NOT_FOUND;
                row->vals[c].v.type = t == MAPI_PT_UNSPECIFIED ? NSPI_PT_ERROR : t;
            } else if (nspi_prop_rowval(rq, &rq->gal->e[idx[r]], cols->v[c], &row->vals[c]) < 0) {
                return NSPI_NOT_ENOUGH_MEMORY;
            }
        }
        nspi_row_set_flags(row, cols->count);
    }
    rs->row_count = n;
    return NSPI_SUCCESS;
}

const mapi_propval_t *nspi_eval_get(void *ctx, uint32_t tag)
{
    nspi_eval_t *ev = ctx;
    if (!nspi_prop_get(ev->rq, ev->e, tag, &ev->v))
        return NULL;
    return &ev->v;
}

/* [MS-OXNSPI] 3.1.4.1.8: the columns when the client names none. */
void nspi_default_columns(nspi_u32_array_t *cols, int unicode)
{
    static uint32_t str8[] = {
        NSPI_TAG_AB_CONTAINER_ID, NSPI_TAG_OBJECT_TYPE, NSPI_TAG_DISPLAY_TYPE,
        MAPI_PROP_CHANGE_TYPE(NSPI_TAG_DISPLAY_NAME, MAPI_PT_STRING8), NSPI_TAG_PRIMARY_TELEPHONE,
        NSPI_TAG_DEPARTMENT_NAME, NSPI_TAG_OFFICE_LOCATION,
    };
    static uint32_t wide[] = {
        NSPI_TAG_AB_CONTAINER_ID, NSPI_TAG_OBJECT_TYPE, NSPI_TAG_DISPLAY_TYPE, NSPI_TAG_DISPLAY_NAME,
        MAPI_PROP_CHANGE_TYPE(NSPI_TAG_PRIMARY_TELEPHONE, MAPI_PT_UNICODE),
        MAPI_PROP_CHANGE_TYPE(NSPI_TAG_DEPARTMENT_NAME, MAPI_PT_UNICODE),
        MAPI_PROP_CHANGE_TYPE(NSPI_TAG_OFFICE_LOCATION, MAPI_PT_UNICODE),
    };
    cols->count = 7;
    cols->v = unicode ? wide : str8;
}
