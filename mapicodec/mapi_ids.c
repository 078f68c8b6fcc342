/*
 * mapi_ids.c - FID/MID/CN, GID, LongTermId, XID/PCL and EntryIDs
 * ([MS-OXCDATA] 2.2.1, 2.2.4, 2.2.5; [MS-OXCFXICS] 2.2.2). See mapi_ids.h.
 */
#include "mapi_ids.h"

#include <string.h>

const mapi_guid_t MAPI_MUID_STORE_WRAP = {{0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A,
                                           0xA1, 0xBB, 0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2}};
const mapi_guid_t MAPI_MUID_STORE_PRIVATE = {{0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD,
                                              0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A}};
const mapi_guid_t MAPI_MUID_STORE_PUBLIC = {{0x1C, 0x83, 0x02, 0x10, 0xAA, 0x66, 0x11, 0xCD,
                                             0x9B, 0xC8, 0x00, 0xAA, 0x00, 0x2F, 0xC4, 0x5A}};
const mapi_guid_t MAPI_MUID_ADDRBOOK = {{0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A,
                                         0xB4, 0xB9, 0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82}};
const mapi_guid_t MAPI_MUID_ONEOFF = {{0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                       0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02}};

/* ---- ids ------------------------------------------------------------ */

void mapi_globcnt_put(uint8_t *p, uint64_t g)
{
    int i;
    for (i = 5; i >= 0; i--) {
        p[i] = (uint8_t)g;
        g >>= 8;
    }
}

uint64_t mapi_globcnt_get(const uint8_t *p)
{
    uint64_t g = 0;
    int i;
    for (i = 0; i < 6; i++)
        g = (g << 8) | p[i];
    return g;
}

uint64_t mapi_id_make(uint16_t replid, uint64_t globcnt)
{
    uint8_t b[6];
    uint64_t id = replid;
    int i;
    mapi_globcnt_put(b, globcnt);
    for (i = 0; i < 6; i++)
        id |= (uint64_t)b[i] << (16 + 8 * i);
    return id;
}

uint64_t mapi_id_globcnt(uint64_t id)
{
    uint8_t b[6];
    int i;
    for (i = 0; i < 6; i++)
        b[i] = (uint8_t)(id >> (16 + 8 * i));
    return mapi_globcnt_get(b);
}

void mapi_gid_put(uint8_t *p, const mapi_gid_t *g)
{
    memcpy(p, g->guid.b, 16);
    mapi_globcnt_put(p + 16, g->globcnt);
}

void mapi_gid_get(const uint8_t *p, mapi_gid_t *g)
{
    memcpy(g->guid.b, p, 16);
    g->globcnt = mapi_globcnt_get(p + 16);
}

int mapi_gid_decode(mapi_rd_t *rd, mapi_gid_t *g)
{
    const uint8_t *p = mapi_rd_bytes(rd, MAPI_GID_SIZE);
    if (!p)
        return MAPI_E_TRUNCATED;
    mapi_gid_get(p, g);
    return MAPI_OK;
}

void mapi_gid_encode(mapi_wr_t *wr, const mapi_gid_t *g)
{
    uint8_t *p = mapi_wr_reserve(wr, MAPI_GID_SIZE);
    if (p)
        mapi_gid_put(p, g);
}

int mapi_longtermid_decode(mapi_rd_t *rd, mapi_gid_t *g)
{
    int st = mapi_gid_decode(rd, g);
    mapi_rd_u16(rd); /* Pad: zero when sent, ignored when read */
    return st != MAPI_OK ? st : (mapi_rd_ok(rd) ? MAPI_OK : MAPI_E_TRUNCATED);
}

void mapi_longtermid_encode(mapi_wr_t *wr, const mapi_gid_t *g)
{
    mapi_gid_encode(wr, g);
    mapi_wr_u16(wr, 0);
}

void mapi_sourcekey_make(uint8_t out[MAPI_GID_SIZE], const mapi_guid_t *replguid, uint64_t id)
{
    mapi_gid_t g;
    g.guid = *replguid;
    g.globcnt = mapi_id_globcnt(id);
    mapi_gid_put(out, &g);
}

/* ---- XID / PCL ------------------------------------------------------ */

int mapi_xid_from_bytes(const uint8_t *p, size_t size, mapi_xid_t *x)
{
    if (size < 17 || size > 24)
        return MAPI_E_BAD_VALUE;
    memset(x, 0, sizeof(*x));
    memcpy(x->guid.b, p, 16);
    x->len = (uint8_t)(size - 16);
    memcpy(x->local, p + 16, x->len);
    return MAPI_OK;
}

void mapi_xid_make(mapi_xid_t *x, const mapi_guid_t *guid, uint64_t globcnt)
{
    memset(x, 0, sizeof(*x));
    x->guid = *guid;
    x->len = 6;
    mapi_globcnt_put(x->local, globcnt);
}

uint64_t mapi_xid_local_value(const mapi_xid_t *x)
{
    uint64_t v = 0;
    uint8_t i;
    for (i = 0; i < x->len && i < 8; i++)
        v = (v << 8) | x->local[i];
    return v;
}

static mapi_xid_t *pcl_find(const mapi_pcl_t *pcl, const mapi_guid_t *g)
{
    uint32_t i;
    for (i = 0; i < pcl->count; i++)
        if (mapi_guid_eq(&pcl->xids[i].guid, g))
            return &pcl->xids[i];
    return NULL;
}

/* Adds x to pcl (which has room), keeping the larger LocalId per GUID. */
static void pcl_add(mapi_pcl_t *pcl, const mapi_xid_t *x)
{
    mapi_xid_t *have = pcl_find(pcl, &x->guid);
    if (!have)
        pcl->xids[pcl->count++] = *x;
    else if (mapi_xid_local_value(x) > mapi_xid_local_value(have))
        *have = *x;
}

int mapi_pcl_parse(mapi_arena_t *a, const uint8_t *p, size_t len, mapi_pcl_t *out)
{
    size_t off = 0;
    out->count = 0;
    /* each SizedXid is at least 18 bytes */
    out->xids = mapi_arena_calloc(a, len / 18 + 1, sizeof(mapi_xid_t));
    if (!out->xids)
        return MAPI_E_NOMEM;
    while (off < len) {
        mapi_xid_t x;
        uint8_t size = p[off];
        if (size < 17 || size > 24)
            return MAPI_E_BAD_VALUE;
        if (size > len - off - 1)
            return MAPI_E_TRUNCATED;
        mapi_xid_from_bytes(p + off + 1, size, &x);
        pcl_add(out, &x);
        off += 1 + (size_t)size;
    }
    return MAPI_OK;
}

int mapi_pcl_serialize(mapi_wr_t *wr, const mapi_pcl_t *pcl)
{
    uint32_t i;
    for (i = 0; i < pcl->count; i++) {
        const mapi_xid_t *x = &pcl->xids[i];
        if (x->len < 1 || x->len > 8)
            return MAPI_E_BAD_VALUE;
        mapi_wr_u8(wr, (uint8_t)(16 + x->len));
        mapi_wr_bytes(wr, x->guid.b, 16);
        mapi_wr_bytes(wr, x->local, x->len);
    }
    return mapi_wr_ok(wr) ? MAPI_OK : MAPI_E_NOMEM;
}

int mapi_pcl_merge(mapi_arena_t *a, const mapi_pcl_t *x, const mapi_pcl_t *y, mapi_pcl_t *out)
{
    uint32_t i;
    mapi_pcl_t r;
    r.count = 0;
    r.xids = mapi_arena_calloc(a, (size_t)x->count + y->count + 1, sizeof(mapi_xid_t));
    if (!r.xids)
        return MAPI_E_NOMEM;
    for (i = 0; i < x->count; i++)
        pcl_add(&r, &x->xids[i]);
    for (i = 0; i < y->count; i++)
        pcl_add(&r, &y->xids[i]);
    *out = r;
    return MAPI_OK;
}

int mapi_pcl_includes(const mapi_pcl_t *x, const mapi_pcl_t *y)
{
    uint32_t i;
    for (i = 0; i < y->count; i++) {
        const mapi_xid_t *have = pcl_find(x, &y->xids[i].guid);
        if (!have || mapi_xid_local_value(have) < mapi_xid_local_value(&y->xids[i]))
            return 0;
    }
    return 1;
}

/* ---- folder / message EntryIDs (2.2.4.1, 2.2.4.2) ------------------- */

static int read_guid(mapi_rd_t *rd, mapi_guid_t *g)
{
    const uint8_t *p = mapi_rd_bytes(rd, 16);
    if (!p)
        return 0;
    memcpy(g->b, p, 16);
    return 1;
}

static int read_gid_pad(mapi_rd_t *rd, mapi_gid_t *g)
{
    return mapi_longtermid_decode(rd, g) == MAPI_OK;
}

int mapi_folder_entryid_parse(const uint8_t *p, size_t len, mapi_folder_entryid_t *e)
{
    mapi_rd_t rd;
    if (len != MAPI_FOLDER_ENTRYID_SIZE)
        return len < MAPI_FOLDER_ENTRYID_SIZE ? MAPI_E_TRUNCATED : MAPI_E_BAD_VALUE;
    mapi_rd_init(&rd, p, len);
    e->flags = mapi_rd_u32(&rd);
    read_guid(&rd, &e->provider);
    e->type = mapi_rd_u16(&rd);
    read_gid_pad(&rd, &e->folder);
    if (e->type != MAPI_EITLT_PRIVATE_FOLDER && e->type != MAPI_EITLT_PUBLIC_FOLDER)
        return MAPI_E_BAD_VALUE;
    return MAPI_OK;
}

void mapi_folder_entryid_encode(mapi_wr_t *wr, const mapi_folder_entryid_t *e)
{
    mapi_wr_u32(wr, e->flags);
    mapi_wr_bytes(wr, e->provider.b, 16);
    mapi_wr_u16(wr, e->type);
    mapi_longtermid_encode(wr, &e->folder);
}

int mapi_message_entryid_parse(const uint8_t *p, size_t len, mapi_message_entryid_t *e)
{
    mapi_rd_t rd;
    if (len != MAPI_MESSAGE_ENTRYID_SIZE)
        return len < MAPI_MESSAGE_ENTRYID_SIZE ? MAPI_E_TRUNCATED : MAPI_E_BAD_VALUE;
    mapi_rd_init(&rd, p, len);
    e->flags = mapi_rd_u32(&rd);
    read_guid(&rd, &e->provider);
    e->type = mapi_rd_u16(&rd);
    read_gid_pad(&rd, &e->folder);
    read_gid_pad(&rd, &e->message);
    if (e->type != MAPI_EITLT_PRIVATE_MESSAGE && e->type != MAPI_EITLT_PUBLIC_MESSAGE)
        return MAPI_E_BAD_VALUE;
    return MAPI_OK;
}

void mapi_message_entryid_encode(mapi_wr_t *wr, const mapi_message_entryid_t *e)
{
    mapi_wr_u32(wr, e->flags);
    mapi_wr_bytes(wr, e->provider.b, 16);
    mapi_wr_u16(wr, e->type);
    mapi_longtermid_encode(wr, &e->folder);
    mapi_longtermid_encode(wr, &e->message);
}

/* ---- store object EntryID (2.2.4.3) --------------------------------- */

static const char emsmdb_dll[14] = "emsmdb.dll";

static int dup_asciiz(mapi_rd_t *rd, mapi_arena_t *a, char **out)
{
    size_t n;
    const char *s = mapi_rd_asciiz(rd, &n);
    if (!s)
        return MAPI_E_TRUNCATED;
    return (*out = mapi_arena_strndup(a, s, n)) ? MAPI_OK : MAPI_E_NOMEM;
}

int mapi_store_entryid_parse(mapi_arena_t *a, const uint8_t *p, size_t len, mapi_store_entryid_t *e)
{
    mapi_rd_t rd;
    mapi_guid_t g, wrapped;
    const uint8_t *dll;
    uint32_t type;
    int st;
    memset(e, 0, sizeof(*e));
    mapi_rd_init(&rd, p, len);
    mapi_rd_u32(&rd);
    if (!read_guid(&rd, &g))
        return MAPI_E_TRUNCATED;
    if (!mapi_guid_eq(&g, &MAPI_MUID_STORE_WRAP))
        return MAPI_E_BAD_VALUE;
    mapi_rd_u8(&rd); /* Version */
    mapi_rd_u8(&rd); /* Flag */
    dll = mapi_rd_bytes(&rd, 14);
    mapi_rd_u32(&rd); /* WrappedFlags */
    if (!read_guid(&rd, &wrapped))
        return MAPI_E_TRUNCATED;
    type = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd))
        return MAPI_E_TRUNCATED;
    if (memcmp(dll, emsmdb_dll, 11) != 0)
        return MAPI_E_BAD_VALUE;
    if (mapi_guid_eq(&wrapped, &MAPI_MUID_STORE_PUBLIC) && type == 0x06)
        e->is_public = 1;
    else if (!mapi_guid_eq(&wrapped, &MAPI_MUID_STORE_PRIVATE) || type != 0x0C)
        return MAPI_E_BAD_VALUE;
    if ((st = dup_asciiz(&rd, a, &e->server)) != MAPI_OK)
        return st;
    if (!e->is_public && (st = dup_asciiz(&rd, a, &e->mailbox_dn)) != MAPI_OK)
        return st;
    return MAPI_OK;
}

void mapi_store_entryid_encode(mapi_wr_t *wr, const mapi_store_entryid_t *e)
{
    mapi_wr_u32(wr, 0);
    mapi_wr_bytes(wr, MAPI_MUID_STORE_WRAP.b, 16);
    mapi_wr_u8(wr, 0);
    mapi_wr_u8(wr, 0);
    mapi_wr_bytes(wr, emsmdb_dll, 14);
    mapi_wr_u32(wr, 0);
    mapi_wr_bytes(wr, (e->is_public ? &MAPI_MUID_STORE_PUBLIC : &MAPI_MUID_STORE_PRIVATE)->b, 16);
    mapi_wr_u32(wr, e->is_public ? 0x06 : 0x0C);
    mapi_wr_asciiz(wr, e->server);
    if (!e->is_public)
        mapi_wr_asciiz(wr, e->mailbox_dn);
}

/* ---- address book EntryIDs (2.2.5) ---------------------------------- */

int mapi_ab_entryid_parse(mapi_arena_t *a, const uint8_t *p, size_t len, mapi_ab_entryid_t *e)
{
    mapi_rd_t rd;
    mapi_guid_t g;
    uint32_t version;
    memset(e, 0, sizeof(*e));
    mapi_rd_init(&rd, p, len);
    mapi_rd_u32(&rd);
    if (!read_guid(&rd, &g))
        return MAPI_E_TRUNCATED;
    version = mapi_rd_u32(&rd);
    e->type = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd))
        return MAPI_E_TRUNCATED;
    if (!mapi_guid_eq(&g, &MAPI_MUID_ADDRBOOK) || version != 1)
        return MAPI_E_BAD_VALUE;
    return dup_asciiz(&rd, a, &e->dn);
}

void mapi_ab_entryid_encode(mapi_wr_t *wr, const mapi_ab_entryid_t *e)
{
    mapi_wr_u32(wr, 0);
    mapi_wr_bytes(wr, MAPI_MUID_ADDRBOOK.b, 16);
    mapi_wr_u32(wr, 1);
    mapi_wr_u32(wr, e->type);
    mapi_wr_asciiz(wr, e->dn);
}

int mapi_ab_ephemeral_parse(const uint8_t *p, size_t len, mapi_ab_ephemeral_t *e)
{
    mapi_rd_t rd;
    if (len != MAPI_AB_EPHEMERAL_SIZE)
        return len < MAPI_AB_EPHEMERAL_SIZE ? MAPI_E_TRUNCATED : MAPI_E_BAD_VALUE;
    if (p[0] != 0x87)
        return MAPI_E_BAD_VALUE;
    mapi_rd_init(&rd, p + 4, len - 4);
    read_guid(&rd, &e->server);
    mapi_rd_u32(&rd); /* R4 = 1 */
    e->display_type = mapi_rd_u32(&rd);
    e->mid = mapi_rd_u32(&rd);
    return MAPI_OK;
}

void mapi_ab_ephemeral_encode(mapi_wr_t *wr, const mapi_ab_ephemeral_t *e)
{
    mapi_wr_u32(wr, 0x87);
    mapi_wr_bytes(wr, e->server.b, 16);
    mapi_wr_u32(wr, 1);
    mapi_wr_u32(wr, e->display_type);
    mapi_wr_u32(wr, e->mid);
}

/* One-off: strings in UTF-16LE (flag U) or 8-bit. */
static int oneoff_str(mapi_rd_t *rd, mapi_arena_t *a, int unicode, char **out)
{
    mapi_propval_t v;
    int st;
    memset(&v, 0, sizeof(v));
    st = mapi_propval_decode_value(rd, a, 0, unicode ? MAPI_PT_UNICODE : MAPI_PT_STRING8, &v);
    *out = v.v.str;
    return st;
}

int mapi_oneoff_entryid_parse(mapi_arena_t *a, const uint8_t *p, size_t len, mapi_oneoff_entryid_t *e)
{
    mapi_rd_t rd;
    mapi_guid_t g;
    int st, u;
    memset(e, 0, sizeof(*e));
    mapi_rd_init(&rd, p, len);
    mapi_rd_u32(&rd);
    if (!read_guid(&rd, &g))
        return MAPI_E_TRUNCATED;
    if (!mapi_guid_eq(&g, &MAPI_MUID_ONEOFF))
        return MAPI_E_BAD_VALUE;
    mapi_rd_u16(&rd); /* Version 0 */
    e->flags = mapi_rd_u16(&rd);
    if (!mapi_rd_ok(&rd))
        return MAPI_E_TRUNCATED;
    u = (e->flags & MAPI_ONEOFF_UNICODE) != 0;
    if ((st = oneoff_str(&rd, a, u, &e->display_name)) != MAPI_OK ||
        (st = oneoff_str(&rd, a, u, &e->address_type)) != MAPI_OK ||
        (st = oneoff_str(&rd, a, u, &e->address)) != MAPI_OK)
        return st;
    return MAPI_OK;
}

void mapi_oneoff_entryid_encode(mapi_wr_t *wr, const mapi_oneoff_entryid_t *e)
{
    mapi_wr_u32(wr, 0);
    mapi_wr_bytes(wr, MAPI_MUID_ONEOFF.b, 16);
    mapi_wr_u16(wr, 0);
    mapi_wr_u16(wr, e->flags);
    if (e->flags & MAPI_ONEOFF_UNICODE) {
        mapi_wr_utf16z_from_utf8(wr, e->display_name);
        mapi_wr_utf16z_from_utf8(wr, e->address_type);
        mapi_wr_utf16z_from_utf8(wr, e->address);
    } else {
        mapi_wr_asciiz(wr, e->display_name);
        mapi_wr_asciiz(wr, e->address_type);
        mapi_wr_asciiz(wr, e->address);
    }
}
