/*
 * ms_prop.c - typed property values ([MS-OXCDATA] 2.11.1), property sets and
 * their storage: one record per object in dbi "objs", values larger than
 * MS_INLINE_MAX out of line in MS_CHUNK_SIZE chunks in dbi "blobs".
 *
 * Record: u32 count, then per property: u32 tag, u8 where (0 inline, 1 blob),
 * inline: u32 len + encoded bytes; blob: u64 blob id + u64 len.
 * Encoding: fixed types raw (native order), strings UTF-8 without NUL,
 * binaries raw, MV: u32 count + elements (variable ones with u32 len).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ms_internal.h"

static size_t fixed_size(uint16_t t)
{
    switch (t & ~MS_PT_MV) {
    case MS_PT_SHORT: return 2;
    case MS_PT_LONG: case MS_PT_FLOAT: case MS_PT_ERROR: return 4;
    case MS_PT_DOUBLE: case MS_PT_CURRENCY: case MS_PT_APPTIME: case MS_PT_I8:
    case MS_PT_SYSTIME: return 8;
    case MS_PT_BOOLEAN: return 1;
    case MS_PT_CLSID: return 16;
    case MS_PT_NULL: return 0;
    default: return (size_t)-1;
    }
}

int ms__type_valid(uint16_t t)
{
    uint16_t b = t & (uint16_t)~MS_PT_MV;
    if (t & MS_PT_MV) {
        switch (b) {
        case MS_PT_SHORT: case MS_PT_LONG: case MS_PT_FLOAT: case MS_PT_DOUBLE:
        case MS_PT_CURRENCY: case MS_PT_APPTIME: case MS_PT_I8: case MS_PT_STRING8:
        case MS_PT_UNICODE: case MS_PT_SYSTIME: case MS_PT_CLSID: case MS_PT_BINARY:
            return (t & 0xE000) == 0;
        default: return 0;
        }
    }
    switch (t) {
    case MS_PT_NULL: case MS_PT_SHORT: case MS_PT_LONG: case MS_PT_FLOAT: case MS_PT_DOUBLE:
    case MS_PT_CURRENCY: case MS_PT_APPTIME: case MS_PT_ERROR: case MS_PT_BOOLEAN:
    case MS_PT_OBJECT: case MS_PT_I8: case MS_PT_STRING8: case MS_PT_UNICODE:
    case MS_PT_SYSTIME: case MS_PT_CLSID: case MS_PT_SVREID: case MS_PT_BINARY:
        return 1;
    default: return 0;
    }
}

static int is_str(uint16_t t) { return t == MS_PT_STRING8 || t == MS_PT_UNICODE; }
static int is_bin(uint16_t t) { return t == MS_PT_BINARY || t == MS_PT_SVREID || t == MS_PT_OBJECT; }

/* Does a stored tag satisfy a requested one (PT_UNSPECIFIED, string types)? */
int ms__tag_match(uint32_t want, uint32_t have)
{
    if (MS_PROP_ID(want) != MS_PROP_ID(have))
        return 0;
    uint16_t wt = MS_PROP_TYPE(want), ht = MS_PROP_TYPE(have);
    if (wt == ht || wt == MS_PT_UNSPECIFIED)
        return 1;
    if (is_str(wt) && is_str(ht))
        return 1;
    if ((wt & MS_PT_MV) && (ht & MS_PT_MV) && is_str(wt & ~MS_PT_MV) && is_str(ht & ~MS_PT_MV))
        return 1;
    return 0;
}

void ms_propval_free(ms_propval_t *v)
{
    if (!v)
        return;
    uint16_t t = MS_PROP_TYPE(v->tag);
    if (is_str(t))
        free(v->value.str);
    else if (is_bin(t))
        free(v->value.bin.pb);
    else if (t == MS_PT_CLSID)
        free(v->value.guid);
    else if (t & MS_PT_MV) {
        uint16_t b = t & (uint16_t)~MS_PT_MV;
        for (uint32_t i = 0; i < v->value.mv.count; i++) {
            if (is_str(b) && v->value.mv.v.str)
                free(v->value.mv.v.str[i]);
            else if (b == MS_PT_BINARY && v->value.mv.v.bin)
                free(v->value.mv.v.bin[i].pb);
        }
        free(v->value.mv.v.str);   /* any member: same pointer */
    }
    memset(&v->value, 0, sizeof(v->value));
}

void ms_propvals_free(ms_propval_t *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        ms_propval_free(&v[i]);
    free(v);
}

static void *memdup(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    if (q && n)
        memcpy(q, p, n);
    return q;
}

ms_err_t ms_propval_dup(const ms_propval_t *src, ms_propval_t *dst)
{
    if (!src || !dst)
        return ms__err(MS_E_INVALID_PARAM, "propval_dup: NULL");
    uint16_t t = MS_PROP_TYPE(src->tag);
    if (!ms__type_valid(t))
        return ms__err(MS_E_INVALID_PARAM, "property type 0x%04x not supported", t);
    *dst = *src;
    if (is_str(t)) {
        dst->value.str = strdup(src->value.str ? src->value.str : "");
        return dst->value.str ? MS_OK : MS_E_NOMEM;
    }
    if (is_bin(t)) {
        if (src->value.bin.cb && !src->value.bin.pb)
            return ms__err(MS_E_INVALID_PARAM, "binary value without data");
        dst->value.bin.pb = memdup(src->value.bin.pb, src->value.bin.cb);
        return dst->value.bin.pb ? MS_OK : MS_E_NOMEM;
    }
    if (t == MS_PT_CLSID) {
        if (!src->value.guid)
            return ms__err(MS_E_INVALID_PARAM, "GUID value NULL");
        dst->value.guid = memdup(src->value.guid, 16);
        return dst->value.guid ? MS_OK : MS_E_NOMEM;
    }
    if (!(t & MS_PT_MV))
        return MS_OK;
    uint16_t b = t & (uint16_t)~MS_PT_MV;
    uint32_t n = src->value.mv.count;
    if (n && !src->value.mv.v.str)
        return ms__err(MS_E_INVALID_PARAM, "multi-value without array");
    memset(&dst->value.mv, 0, sizeof(dst->value.mv));
    if (is_str(b)) {
        char **a = calloc(n ? n : 1, sizeof(char *));
        if (!a)
            return MS_E_NOMEM;
        dst->value.mv.v.str = a;
        dst->value.mv.count = n;
        for (uint32_t i = 0; i < n; i++)
            if (!(a[i] = strdup(src->value.mv.v.str[i] ? src->value.mv.v.str[i] : "")))
                return MS_E_NOMEM;
    } else if (b == MS_PT_BINARY) {
        ms_binary_t *a = calloc(n ? n : 1, sizeof(ms_binary_t));
        if (!a)
            return MS_E_NOMEM;
        dst->value.mv.v.bin = a;
        dst->value.mv.count = n;
        for (uint32_t i = 0; i < n; i++) {
            a[i].cb = src->value.mv.v.bin[i].cb;
            if (!(a[i].pb = memdup(src->value.mv.v.bin[i].pb, a[i].cb)))
                return MS_E_NOMEM;
        }
    } else {
        size_t es = fixed_size(b);
        dst->value.mv.v.str = memdup(src->value.mv.v.str, es * n);
        if (!dst->value.mv.v.str)
            return MS_E_NOMEM;
        dst->value.mv.count = n;
    }
    return MS_OK;
}

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }
static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }
static int cmp_dbl(double a, double b) { return a < b ? -1 : a > b; }

static int cmp_bytes(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? (c < 0 ? -1 : 1) : cmp_u64(al, bl);
}

int ms_propval_cmp(const ms_propval_t *a, const ms_propval_t *b)
{
    uint16_t t = MS_PROP_TYPE(a->tag), u = MS_PROP_TYPE(b->tag);
    if (is_str(t) && is_str(u)) {
        const char *x = a->value.str ? a->value.str : "", *y = b->value.str ? b->value.str : "";
        int c = strcasecmp(x, y);
        if (!c)
            c = strcmp(x, y);
        return c < 0 ? -1 : c > 0;
    }
    if (t != u)
        return cmp_u64(t, u);
    switch (t) {
    case MS_PT_SHORT: return cmp_i64(a->value.i, b->value.i);
    case MS_PT_LONG: return cmp_i64(a->value.l, b->value.l);
    case MS_PT_ERROR: return cmp_u64(a->value.err, b->value.err);
    case MS_PT_FLOAT: return cmp_dbl(a->value.flt, b->value.flt);
    case MS_PT_DOUBLE: case MS_PT_APPTIME: return cmp_dbl(a->value.dbl, b->value.dbl);
    case MS_PT_CURRENCY: case MS_PT_I8: return cmp_i64(a->value.li, b->value.li);
    case MS_PT_SYSTIME: return cmp_u64(a->value.ft, b->value.ft);
    case MS_PT_BOOLEAN: return cmp_i64(!!a->value.b, !!b->value.b);
    case MS_PT_CLSID: return cmp_bytes(a->value.guid->b, 16, b->value.guid->b, 16);
    case MS_PT_BINARY: case MS_PT_SVREID: case MS_PT_OBJECT:
        return cmp_bytes(a->value.bin.pb, a->value.bin.cb, b->value.bin.pb, b->value.bin.cb);
    case MS_PT_NULL: return 0;
    default:   /* multi-values: by count, then element-wise is rarely needed */
        return cmp_u64(a->value.mv.count, b->value.mv.count);
    }
}

size_t ms__propval_size(const ms_propval_t *v)
{
    uint16_t t = MS_PROP_TYPE(v->tag);
    if (is_str(t))
        return v->value.str ? strlen(v->value.str) : 0;
    if (is_bin(t))
        return v->value.bin.cb;
    if (t & MS_PT_MV) {
        uint16_t b = t & (uint16_t)~MS_PT_MV;
        size_t s = 0;
        for (uint32_t i = 0; i < v->value.mv.count; i++)
            s += is_str(b) ? strlen(v->value.mv.v.str[i])
               : b == MS_PT_BINARY ? v->value.mv.v.bin[i].cb : fixed_size(b);
        return s;
    }
    return fixed_size(t);
}

/* ---- property sets ---- */
void ms__ps_free(ms_propset_t *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < ps->n; i++)
        ms_propval_free(&ps->v[i]);
    free(ps->v);
    memset(ps, 0, sizeof(*ps));
}

/* Room for cap values: later appends up to cap do not move the array (so
 * pointers handed out by ms_message_get_prop stay valid). */
ms_err_t ms__ps_reserve(ms_propset_t *ps, size_t cap)
{
    if (cap <= ps->cap)
        return MS_OK;
    ms_propval_t *nv = realloc(ps->v, cap * sizeof(*nv));
    if (!nv)
        return MS_E_NOMEM;
    ps->v = nv;
    ps->cap = cap;
    return MS_OK;
}

ms_propval_t *ms__ps_find(const ms_propset_t *ps, uint32_t tag)
{
    for (size_t i = 0; i < ps->n; i++)
        if (ms__tag_match(tag, ps->v[i].tag))
            return &ps->v[i];
    return NULL;
}

static ms_propval_t *ps_slot(ms_propset_t *ps, uint32_t tag)
{
    for (size_t i = 0; i < ps->n; i++)
        if (MS_PROP_ID(ps->v[i].tag) == MS_PROP_ID(tag)) {
            ms_propval_free(&ps->v[i]);
            return &ps->v[i];
        }
    if (ps->n == ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 16;
        ms_propval_t *nv = realloc(ps->v, nc * sizeof(*nv));
        if (!nv)
            return NULL;
        ps->v = nv;
        ps->cap = nc;
    }
    memset(&ps->v[ps->n], 0, sizeof(ps->v[0]));
    return &ps->v[ps->n++];
}

ms_err_t ms__ps_set_take(ms_propset_t *ps, ms_propval_t *v)
{
    ms_propval_t *s = ps_slot(ps, v->tag);
    if (!s) {
        ms_propval_free(v);
        return MS_E_NOMEM;
    }
    *s = *v;
    return MS_OK;
}

ms_err_t ms__ps_set(ms_propset_t *ps, const ms_propval_t *v)
{
    ms_propval_t c;
    ms_err_t rc = ms_propval_dup(v, &c);
    if (rc != MS_OK) {
        ms_propval_free(&c);
        return rc;
    }
    return ms__ps_set_take(ps, &c);
}

int ms__ps_del(ms_propset_t *ps, uint32_t tag)
{
    for (size_t i = 0; i < ps->n; i++)
        if (MS_PROP_ID(ps->v[i].tag) == MS_PROP_ID(tag)) {
            ms_propval_free(&ps->v[i]);
            ps->v[i] = ps->v[--ps->n];
            return 1;
        }
    return 0;
}

ms_err_t ms__ps_copy(ms_propset_t *dst, const ms_propset_t *src)
{
    for (size_t i = 0; i < src->n; i++) {
        ms_err_t rc = ms__ps_set(dst, &src->v[i]);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

ms_err_t ms__ps_set_long(ms_propset_t *ps, uint32_t tag, int32_t v)
{
    ms_propval_t p = {.tag = tag};
    p.value.l = v;
    return ms__ps_set(ps, &p);
}

ms_err_t ms__ps_set_i8(ms_propset_t *ps, uint32_t tag, int64_t v)
{
    ms_propval_t p = {.tag = tag};
    p.value.li = v;
    return ms__ps_set(ps, &p);
}

ms_err_t ms__ps_set_bool(ms_propset_t *ps, uint32_t tag, int b)
{
    ms_propval_t p = {.tag = tag};
    p.value.b = (uint8_t)!!b;
    return ms__ps_set(ps, &p);
}

ms_err_t ms__ps_set_ft(ms_propset_t *ps, uint32_t tag, uint64_t ft)
{
    ms_propval_t p = {.tag = tag};
    p.value.ft = ft;
    return ms__ps_set(ps, &p);
}

ms_err_t ms__ps_set_str(ms_propset_t *ps, uint32_t tag, const char *s)
{
    ms_propval_t p = {.tag = tag};
    p.value.str = (char *)(uintptr_t)s;
    return ms__ps_set(ps, &p);
}

ms_err_t ms__ps_set_bin(ms_propset_t *ps, uint32_t tag, const void *d, size_t n)
{
    ms_propval_t p = {.tag = tag};
    p.value.bin.cb = (uint32_t)n;
    p.value.bin.pb = (uint8_t *)(uintptr_t)d;
    return ms__ps_set(ps, &p);
}

/* ---- encoding ---- */
typedef struct { uint8_t *p; size_t n, cap; int oom; } wbuf_t;

static void wb_put(wbuf_t *w, const void *d, size_t n)
{
    if (w->oom)
        return;
    if (w->n + n > w->cap) {
        size_t nc = w->cap ? w->cap : 256;
        while (nc < w->n + n)
            nc *= 2;
        uint8_t *np = realloc(w->p, nc);
        if (!np) {
            w->oom = 1;
            return;
        }
        w->p = np;
        w->cap = nc;
    }
    if (n)
        memcpy(w->p + w->n, d, n);
    w->n += n;
}

static void wb_u32(wbuf_t *w, uint32_t v) { wb_put(w, &v, 4); }

static void encode_value(wbuf_t *w, const ms_propval_t *v)
{
    uint16_t t = MS_PROP_TYPE(v->tag);
    if (is_str(t)) {
        wb_put(w, v->value.str ? v->value.str : "", v->value.str ? strlen(v->value.str) : 0);
    } else if (is_bin(t)) {
        wb_put(w, v->value.bin.pb, v->value.bin.cb);
    } else if (t == MS_PT_CLSID) {
        wb_put(w, v->value.guid->b, 16);
    } else if (t & MS_PT_MV) {
        uint16_t b = t & (uint16_t)~MS_PT_MV;
        wb_u32(w, v->value.mv.count);
        for (uint32_t i = 0; i < v->value.mv.count; i++) {
            if (is_str(b)) {
                size_t l = strlen(v->value.mv.v.str[i]);
                wb_u32(w, (uint32_t)l);
                wb_put(w, v->value.mv.v.str[i], l);
            } else if (b == MS_PT_BINARY) {
                wb_u32(w, v->value.mv.v.bin[i].cb);
                wb_put(w, v->value.mv.v.bin[i].pb, v->value.mv.v.bin[i].cb);
            } else {
                size_t es = fixed_size(b);
                wb_put(w, (const uint8_t *)v->value.mv.v.str + es * i, es);
            }
        }
    } else {
        size_t es = fixed_size(t);
        switch (t) {
        case MS_PT_SHORT: wb_put(w, &v->value.i, es); break;
        case MS_PT_LONG: wb_put(w, &v->value.l, es); break;
        case MS_PT_FLOAT: wb_put(w, &v->value.flt, es); break;
        case MS_PT_ERROR: wb_put(w, &v->value.err, es); break;
        case MS_PT_DOUBLE: case MS_PT_APPTIME: wb_put(w, &v->value.dbl, es); break;
        case MS_PT_CURRENCY: case MS_PT_I8: wb_put(w, &v->value.li, es); break;
        case MS_PT_SYSTIME: wb_put(w, &v->value.ft, es); break;
        case MS_PT_BOOLEAN: wb_put(w, &v->value.b, es); break;
        default: break;
        }
    }
}

/* Decode bytes of a given type into v (v->tag set by caller). */
static ms_err_t decode_value(ms_propval_t *v, const uint8_t *p, size_t n)
{
    uint16_t t = MS_PROP_TYPE(v->tag);
    memset(&v->value, 0, sizeof(v->value));
    if (is_str(t)) {
        if (!(v->value.str = malloc(n + 1)))
            return MS_E_NOMEM;
        memcpy(v->value.str, p, n);
        v->value.str[n] = 0;
        return MS_OK;
    }
    if (is_bin(t)) {
        v->value.bin.cb = (uint32_t)n;
        return (v->value.bin.pb = memdup(p, n)) ? MS_OK : MS_E_NOMEM;
    }
    if (t == MS_PT_CLSID) {
        if (n != 16)
            return ms__err(MS_E_JET, "corrupt GUID value");
        return (v->value.guid = memdup(p, 16)) ? MS_OK : MS_E_NOMEM;
    }
    if (t & MS_PT_MV) {
        uint16_t b = t & (uint16_t)~MS_PT_MV;
        uint32_t cnt;
        if (n < 4)
            return ms__err(MS_E_JET, "corrupt multi-value");
        memcpy(&cnt, p, 4);
        p += 4;
        n -= 4;
        size_t es = fixed_size(b);
        if (!is_str(b) && b != MS_PT_BINARY) {
            if ((uint64_t)cnt * es != n)
                return ms__err(MS_E_JET, "corrupt multi-value");
            if (!(v->value.mv.v.str = memdup(p, n)))
                return MS_E_NOMEM;
            v->value.mv.count = cnt;
            return MS_OK;
        }
        if (cnt > n / 4)
            return ms__err(MS_E_JET, "corrupt multi-value count");
        void *arr = calloc(cnt ? cnt : 1, is_str(b) ? sizeof(char *) : sizeof(ms_binary_t));
        if (!arr)
            return MS_E_NOMEM;
        v->value.mv.v.str = arr;
        for (uint32_t i = 0; i < cnt; i++) {
            uint32_t l;
            if (n < 4)
                return ms__err(MS_E_JET, "corrupt multi-value");
            memcpy(&l, p, 4);
            p += 4;
            n -= 4;
            if (l > n)
                return ms__err(MS_E_JET, "corrupt multi-value");
            v->value.mv.count = i + 1;
            if (is_str(b)) {
                char *s = malloc((size_t)l + 1);
                if (!s)
                    return MS_E_NOMEM;
                memcpy(s, p, l);
                s[l] = 0;
                v->value.mv.v.str[i] = s;
            } else {
                v->value.mv.v.bin[i].cb = l;
                if (!(v->value.mv.v.bin[i].pb = memdup(p, l)))
                    return MS_E_NOMEM;
            }
            p += l;
            n -= l;
        }
        return MS_OK;
    }
    size_t es = fixed_size(t);
    if (es == (size_t)-1 || es != n)
        return ms__err(MS_E_JET, "corrupt value of type 0x%04x", t);
    switch (t) {
    case MS_PT_SHORT: memcpy(&v->value.i, p, es); break;
    case MS_PT_LONG: memcpy(&v->value.l, p, es); break;
    case MS_PT_FLOAT: memcpy(&v->value.flt, p, es); break;
    case MS_PT_ERROR: memcpy(&v->value.err, p, es); break;
    case MS_PT_DOUBLE: case MS_PT_APPTIME: memcpy(&v->value.dbl, p, es); break;
    case MS_PT_CURRENCY: case MS_PT_I8: memcpy(&v->value.li, p, es); break;
    case MS_PT_SYSTIME: memcpy(&v->value.ft, p, es); break;
    case MS_PT_BOOLEAN: v->value.b = p[0]; break;
    default: break;
    }
    return MS_OK;
}

/* ---- blobs: key mbx(4)|blob id(8)|chunk(4) ---- */
static size_t blobkey(uint8_t *k, uint32_t mbx, uint64_t id, uint32_t chunk)
{
    ms__put_be(k, mbx, 4);
    ms__put_be(k + 4, id, 8);
    ms__put_be(k + 12, chunk, 4);
    return 16;
}

static ms_err_t blob_write(ms_txn_t *txn, const uint8_t *p, size_t n, uint64_t *id)
{
    ms_mbx_rec_t *rec;
    ms_err_t rc = ms__mbx_rec(txn, &rec);
    if (rc != MS_OK)
        return rc;
    *id = ++rec->next_blob;
    uint8_t k[16];
    for (uint32_t c = 0; (size_t)c * MS_CHUNK_SIZE < n; c++) {
        size_t off = (size_t)c * MS_CHUNK_SIZE;
        size_t l = n - off < MS_CHUNK_SIZE ? n - off : MS_CHUNK_SIZE;
        rc = ms__put(txn, txn->db->blobs, k, blobkey(k, txn->mbx->mbx_id, *id, c), p + off, l);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

static ms_err_t blob_delete(ms_txn_t *txn, uint64_t id, uint64_t len)
{
    uint8_t k[16];
    for (uint32_t c = 0; (uint64_t)c * MS_CHUNK_SIZE < len; c++) {
        ms_err_t rc = ms__del(txn, txn->db->blobs, k, blobkey(k, txn->mbx->mbx_id, id, c));
        if (rc != MS_OK && rc != MS_E_NOT_FOUND)
            return rc;
    }
    return MS_OK;
}

/* Read [off, off+len) of a blob. */
static ms_err_t blob_read(ms_txn_t *txn, uint64_t id, uint64_t total, uint64_t off, uint8_t *out,
                          size_t len)
{
    uint8_t k[16];
    while (len) {
        uint32_t c = (uint32_t)(off / MS_CHUNK_SIZE);
        size_t in = (size_t)(off % MS_CHUNK_SIZE);
        MDB_val v;
        ms_err_t rc = ms__get(txn, txn->db->blobs, k, blobkey(k, txn->mbx->mbx_id, id, c), &v);
        if (rc != MS_OK)
            return rc == MS_E_NOT_FOUND ? ms__err(MS_E_JET, "blob %llu chunk %u missing",
                                                  (unsigned long long)id, c) : rc;
        uint64_t expect = total - (uint64_t)c * MS_CHUNK_SIZE;
        if (expect > MS_CHUNK_SIZE)
            expect = MS_CHUNK_SIZE;
        if (v.mv_size != expect || in >= v.mv_size)
            return ms__err(MS_E_JET, "blob %llu chunk %u has wrong size",
                           (unsigned long long)id, c);
        size_t l = v.mv_size - in < len ? v.mv_size - in : len;
        memcpy(out, (const uint8_t *)v.mv_data + in, l);
        out += l;
        off += l;
        len -= l;
    }
    return MS_OK;
}

/* Iterate the entries of a record: cb(tag, where, data, len, blobid, bloblen). */
typedef int (*rec_cb)(void *ctx, uint32_t tag, int where, const uint8_t *d, uint32_t l,
                      uint64_t bid, uint64_t blen);

static ms_err_t rec_walk(const uint8_t *p, size_t n, rec_cb cb, void *ctx)
{
    uint32_t cnt;
    if (n < 4)
        return ms__err(MS_E_JET, "corrupt object record (short)");
    memcpy(&cnt, p, 4);
    size_t o = 4;
    for (uint32_t i = 0; i < cnt; i++) {
        uint32_t tag;
        if (n - o < 5)
            return ms__err(MS_E_JET, "corrupt object record (entry %u)", i);
        memcpy(&tag, p + o, 4);
        int where = p[o + 4];
        o += 5;
        if (where == 0) {
            uint32_t l;
            if (n - o < 4)
                return ms__err(MS_E_JET, "corrupt object record");
            memcpy(&l, p + o, 4);
            o += 4;
            if (l > n - o)
                return ms__err(MS_E_JET, "corrupt object record (length)");
            if (cb(ctx, tag, 0, p + o, l, 0, 0))
                return MS_E_NOMEM;
            o += l;
        } else if (where == 1) {
            uint64_t bid, blen;
            if (n - o < 16)
                return ms__err(MS_E_JET, "corrupt object record");
            memcpy(&bid, p + o, 8);
            memcpy(&blen, p + o + 8, 8);
            o += 16;
            if (cb(ctx, tag, 1, NULL, 0, bid, blen))
                return MS_E_NOMEM;
        } else {
            return ms__err(MS_E_JET, "corrupt object record (kind %d)", where);
        }
    }
    return o == n ? MS_OK : ms__err(MS_E_JET, "corrupt object record (trailing bytes)");
}

typedef struct { ms_txn_t *txn; ms_err_t rc; } del_ctx_t;

static int del_blob_cb(void *c, uint32_t tag, int where, const uint8_t *d, uint32_t l,
                       uint64_t bid, uint64_t blen)
{
    del_ctx_t *x = c;
    if (where == 1 && x->rc == MS_OK)
        x->rc = blob_delete(x->txn, bid, blen);
    return 0;
}

static ms_err_t delete_old_blobs(ms_txn_t *txn, const uint8_t *key, size_t kl)
{
    MDB_val v;
    ms_err_t rc = ms__get(txn, txn->db->objs, key, kl, &v);
    if (rc == MS_E_NOT_FOUND)
        return MS_OK;
    if (rc != MS_OK)
        return rc;
    del_ctx_t x = {txn, MS_OK};
    /* copy: deleting pages may invalidate v */
    uint8_t *copy = memdup(v.mv_data, v.mv_size);
    if (!copy)
        return MS_E_NOMEM;
    rc = rec_walk(copy, v.mv_size, del_blob_cb, &x);
    free(copy);
    return rc != MS_OK ? rc : x.rc;
}

ms_err_t ms__obj_write(ms_txn_t *txn, const uint8_t *key, size_t kl, const ms_propset_t *ps)
{
    ms_err_t rc = delete_old_blobs(txn, key, kl);
    if (rc != MS_OK)
        return rc;
    wbuf_t w = {0}, val = {0};
    uint32_t cnt = (uint32_t)ps->n;
    wb_u32(&w, cnt);
    for (size_t i = 0; i < ps->n && rc == MS_OK; i++) {
        val.n = 0;
        encode_value(&val, &ps->v[i]);
        if (val.oom) {
            rc = MS_E_NOMEM;
            break;
        }
        wb_u32(&w, ps->v[i].tag);
        if (val.n <= MS_INLINE_MAX) {
            uint8_t where = 0;
            wb_put(&w, &where, 1);
            wb_u32(&w, (uint32_t)val.n);
            wb_put(&w, val.p, val.n);
        } else {
            uint8_t where = 1;
            uint64_t bid, blen = val.n;
            rc = blob_write(txn, val.p, val.n, &bid);
            wb_put(&w, &where, 1);
            wb_put(&w, &bid, 8);
            wb_put(&w, &blen, 8);
        }
    }
    if (rc == MS_OK && w.oom)
        rc = MS_E_NOMEM;
    if (rc == MS_OK)
        rc = ms__put(txn, txn->db->objs, key, kl, w.p, w.n);
    free(w.p);
    free(val.p);
    return rc;
}

typedef struct { ms_txn_t *txn; ms_propset_t *ps; ms_err_t rc; ms_lazylist_t *lazy; } load_ctx_t;

static int load_cb(void *c, uint32_t tag, int where, const uint8_t *d, uint32_t l,
                   uint64_t bid, uint64_t blen)
{
    load_ctx_t *x = c;
    if (x->rc != MS_OK)
        return 0;
    uint8_t *tmp = NULL;
    if (where == 1 && x->lazy) {
        ms_lazy_t *nv = realloc(x->lazy->v, (x->lazy->n + 1) * sizeof(ms_lazy_t));
        if (!nv) {
            x->rc = MS_E_NOMEM;
            return 0;
        }
        x->lazy->v = nv;
        nv[x->lazy->n].tag = tag;
        nv[x->lazy->n].blob = bid;
        nv[x->lazy->n++].len = blen;
        return 0;
    }
    if (where == 1) {
        if (blen > UINT32_MAX || !(tmp = malloc(blen ? blen : 1))) {
            x->rc = MS_E_NOMEM;
            return 0;
        }
        x->rc = blob_read(x->txn, bid, blen, 0, tmp, blen);
        d = tmp;
        l = (uint32_t)blen;
    }
    if (x->rc == MS_OK) {
        ms_propval_t v = {.tag = tag};
        x->rc = decode_value(&v, d, l);
        if (x->rc == MS_OK)
            x->rc = ms__ps_set_take(x->ps, &v);
        else
            ms_propval_free(&v);
    }
    free(tmp);
    return 0;
}

ms_err_t ms__obj_read(ms_txn_t *txn, const uint8_t *key, size_t kl, ms_propset_t *ps)
{
    MDB_val v;
    ms_err_t rc = ms__get(txn, txn->db->objs, key, kl, &v);
    if (rc != MS_OK)
        return rc;
    load_ctx_t x = {txn, ps, MS_OK, NULL};
    rc = rec_walk(v.mv_data, v.mv_size, load_cb, &x);
    return rc != MS_OK ? rc : x.rc;
}

ms_err_t ms__obj_read_lazy(ms_txn_t *txn, const uint8_t *key, size_t kl, ms_propset_t *ps, void *lazy)
{
    MDB_val v;
    ms_err_t rc = ms__get(txn, txn->db->objs, key, kl, &v);
    if (rc != MS_OK)
        return rc;
    load_ctx_t x = {txn, ps, MS_OK, lazy};
    rc = rec_walk(v.mv_data, v.mv_size, load_cb, &x);
    return rc != MS_OK ? rc : x.rc;
}

ms_err_t ms__blob_value(ms_txn_t *txn, uint64_t blob, uint64_t len, ms_propval_t *out)
{
    if (len > UINT32_MAX)
        return ms__err(MS_E_NOMEM, "value too large");
    uint8_t *tmp = malloc(len ? len : 1);
    if (!tmp)
        return MS_E_NOMEM;
    ms_err_t rc = blob_read(txn, blob, len, 0, tmp, len);
    if (rc == MS_E_NOT_FOUND || rc == MS_E_JET)
        rc = ms__err(MS_E_OBJECT_MODIFIED, "a large value changed since the message was opened");
    if (rc == MS_OK)
        rc = decode_value(out, tmp, len);
    free(tmp);
    return rc;
}

ms_err_t ms__obj_delete(ms_txn_t *txn, const uint8_t *key, size_t kl)
{
    ms_err_t rc = delete_old_blobs(txn, key, kl);
    if (rc != MS_OK)
        return rc;
    rc = ms__del(txn, txn->db->objs, key, kl);
    return rc == MS_E_NOT_FOUND ? MS_OK : rc;
}

typedef struct { void (*cb)(void *, uint64_t, uint64_t); void *ctx; } blobs_ctx_t;

static int blobs_cb(void *c, uint32_t tag, int where, const uint8_t *d, uint32_t l,
                    uint64_t bid, uint64_t blen)
{
    blobs_ctx_t *x = c;
    if (where == 1)
        x->cb(x->ctx, bid, blen);
    return 0;
}

ms_err_t ms__obj_blobs(const void *rec, size_t len, void (*cb)(void *, uint64_t, uint64_t),
                       void *ctx)
{
    blobs_ctx_t x = {cb, ctx};
    return rec_walk(rec, len, blobs_cb, &x);
}

typedef struct {
    uint32_t tag; int found, where; const uint8_t *d; uint32_t l; uint64_t bid, blen;
} find_ctx_t;

static int find_cb(void *c, uint32_t tag, int where, const uint8_t *d, uint32_t l,
                   uint64_t bid, uint64_t blen)
{
    find_ctx_t *x = c;
    if (!x->found && ms__tag_match(x->tag, tag)) {
        x->found = 1;
        x->where = where;
        x->d = d;
        x->l = l;
        x->bid = bid;
        x->blen = blen;
    }
    return 0;
}

/* Piecewise read of one value of a stored object (strings/binaries only). */
ms_err_t ms__obj_blob_stream(ms_txn_t *txn, const uint8_t *key, size_t kl, uint32_t tag,
                             uint64_t off, void *buf, size_t len, size_t *got, uint64_t *size)
{
    uint16_t t = MS_PROP_TYPE(tag);
    if (!is_str(t) && !is_bin(t))
        return ms__err(MS_E_NOT_SUPPORTED, "streams are for string and binary properties");
    MDB_val v;
    ms_err_t rc = ms__get(txn, txn->db->objs, key, kl, &v);
    if (rc != MS_OK)
        return rc;
    find_ctx_t x = {.tag = tag};
    rc = rec_walk(v.mv_data, v.mv_size, find_cb, &x);
    if (rc != MS_OK)
        return rc;
    if (!x.found)
        return ms__err(MS_E_NOT_FOUND, "property 0x%08x not set", tag);
    uint64_t total = x.where ? x.blen : x.l;
    if (size)
        *size = total;
    if (!buf)
        return MS_OK;
    size_t n = off >= total ? 0 : (total - off < len ? (size_t)(total - off) : len);
    if (got)
        *got = n;
    if (!n)
        return MS_OK;
    if (!x.where) {
        memcpy(buf, x.d + off, n);
        return MS_OK;
    }
    return blob_read(txn, x.bid, x.blen, off, buf, n);
}
