/*
 * nspi_abvalue.c - the address-book value structures of [MS-OXCMAPIHTTP]
 * 2.2.1: AddressBookPropertyValue (2.2.1.1), ...TaggedPropertyValue
 * (2.2.1.2), ...PropertyValueList (2.2.1.3), ...TypedPropertyValue
 * (2.2.1.4), ...FlaggedPropertyValue (2.2.1.5), ...FlaggedPropertyValue-
 * WithType (2.2.1.6), AddressBookPropertyRow (2.2.1.7); and the glue to
 * the restriction codec for GetMatches' Filter ([MS-OXCDATA] 2.12, wide).
 *
 * Value layouts are [MS-OXCDATA] 2.11.1 with the NSPI widths: binary byte
 * counts and multi-value counts are 32-bit. A HasValue byte precedes
 * strings, binaries and multi-valued values, and each element of a
 * multi-valued string or binary carries its own HasValue byte, as Outlook
 * sends them (Microsoft's MAPI inspector: "real MapiHttp traffic will add
 * the magic byte 'FF' for the string or binary based property value").
 */
#include "nspi_io.h"


/* Size of a fixed-width value, 0 for the variable-size types. */
static size_t fixed_size(uint16_t type)
{
    switch (type) {
    case NSPI_PT_BOOLEAN:  return 1;
    case NSPI_PT_SHORT:    return 2;
    case NSPI_PT_LONG:
    case NSPI_PT_FLOAT:
    case NSPI_PT_ERROR:    return 4;
    case NSPI_PT_DOUBLE:
    case NSPI_PT_CURRENCY:
    case NSPI_PT_APPTIME:
    case NSPI_PT_I8:
    case NSPI_PT_SYSTIME:  return 8;
    case NSPI_PT_CLSID:    return 16;
    default:               return 0;
    }
}

int nspi_type_supported(uint16_t type)
{
    uint16_t base = type & (uint16_t)~NSPI_PT_MV;
    if (type & NSPI_PT_MV) {
        if (base == NSPI_PT_BOOLEAN || base == NSPI_PT_ERROR)
            return 0;   /* no multi-valued form in [MS-OXCDATA] 2.11.1 */
        return fixed_size(base) != 0 || base == NSPI_PT_STRING8 ||
               base == NSPI_PT_UNICODE || base == NSPI_PT_BINARY;
    }
    return fixed_size(type) != 0 || type == NSPI_PT_STRING8 ||
           type == NSPI_PT_UNICODE || type == NSPI_PT_BINARY;
}

int nspi_type_has_hasvalue(uint16_t type)
{
    return type == NSPI_PT_STRING8 || type == NSPI_PT_UNICODE ||
           type == NSPI_PT_BINARY || (type & NSPI_PT_MV);
}

static void nio_fixed(nspi_io_t *io, uint16_t type, nspi_propval_t *v)
{
    switch (fixed_size(type)) {
    case 1:  nio_u8(io, &v->u.b); break;
    case 2:  nio_u16(io, &v->u.i16); break;
    case 4:  nio_u32(io, &v->u.i32); break;
    case 8:  nio_u64(io, &v->u.i64); break;
    case 16: nio_raw(io, v->u.guid, 16); break;
    default: nio_fail(io, io->enc ? NSPI_E_ENCODE : NSPI_E_FORMAT); break;
    }
}

static void nio_var(nspi_io_t *io, uint16_t base, nspi_bytes_t *b)
{
    if (base == NSPI_PT_STRING8)
        nio_asciiz(io, b);
    else if (base == NSPI_PT_UNICODE)
        nio_utf16z(io, b);
    else
        nio_sized_bytes(io, b);
}

/* Multi-valued value: 32-bit count, then the elements. */
static void nio_mv(nspi_io_t *io, uint16_t type, nspi_propval_t *v)
{
    uint16_t base = type & (uint16_t)~NSPI_PT_MV;
    size_t fs = fixed_size(base), esize;
    uint32_t i, n;
    void **arr = (void **)&v->u.mv.u;

    nio_u32(io, &v->u.mv.count);
    n = v->u.mv.count;
    if (!nio_count_fits(io, n, fs ? fs : 1))
        return;
    esize = fs == 2 ? sizeof(uint16_t) : fs == 4 ? sizeof(uint32_t) :
            fs == 8 ? sizeof(uint64_t) : fs == 16 ? 16 : sizeof(nspi_mv_elem_t);
    if (io->enc && n && !*arr) {
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(*arr = nio_array(io, n, esize)))
        return;
    for (i = 0; i < n && nio_ok(io); i++) {
        switch (fs) {
        case 2:  nio_u16(io, &v->u.mv.u.i16[i]); break;
        case 4:  nio_u32(io, &v->u.mv.u.i32[i]); break;
        case 8:  nio_u64(io, &v->u.mv.u.i64[i]); break;
        case 16: nio_raw(io, v->u.mv.u.guid[i], 16); break;
        default:
            if (nio_flag(io, &v->u.mv.u.e[i].present))
                nio_var(io, base, &v->u.mv.u.e[i].b);
            break;
        }
    }
}

void nio_propval(nspi_io_t *io, uint16_t type, nspi_propval_t *v)
{
    if (io->rc)
        return;
    if (!nspi_type_supported(type) || (io->enc && v->type != type)) {
        nio_fail(io, io->enc ? NSPI_E_ENCODE : NSPI_E_FORMAT);
        return;
    }
    if (!io->enc)
        v->type = type;
    if (nspi_type_has_hasvalue(type)) {
        if (!nio_flag(io, &v->present))
            return;
    } else if (!io->enc) {
        v->present = 1;
    }
    if (type & NSPI_PT_MV)
        nio_mv(io, type, v);
    else if (fixed_size(type))
        nio_fixed(io, type, v);
    else
        nio_var(io, type, &v->u.bytes);
}

void nio_tagged(nspi_io_t *io, nspi_tagged_t *t)
{
    /* PropertyType (2 bytes) then PropertyId (2 bytes): the LE tag. */
    nio_u32(io, &t->tag);
    nio_propval(io, NSPI_PROP_TYPE(t->tag), &t->v);
}

void nio_proplist(nspi_io_t *io, nspi_proplist_t *l)
{
    uint32_t i;
    nio_u32(io, &l->count);
    if (!nio_count_fits(io, l->count, 5))
        return;
    if (io->enc && l->count && !l->v) {
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(l->v = nio_array(io, l->count, sizeof(nspi_tagged_t))))
        return;
    for (i = 0; i < l->count && nio_ok(io); i++)
        nio_tagged(io, &l->v[i]);
}

/* One column value of a row; coltype is the column's declared type. */
static void nio_rowval(nspi_io_t *io, uint16_t coltype, uint8_t row_flags, nspi_rowval_t *rv)
{
    int typed = coltype == NSPI_PT_UNSPECIFIED;
    if (!io->enc && !typed)
        rv->v.type = coltype;
    if (row_flags == 0) {
        /* AddressBookPropertyValue, or ...TypedPropertyValue (2.2.1.4) */
        if (io->enc && rv->flag != NSPI_FLAG_PRESENT) {
            nio_fail(io, NSPI_E_ENCODE);
            return;
        }
        rv->flag = NSPI_FLAG_PRESENT;
        if (typed)
            nio_u16(io, &rv->v.type);
        nio_propval(io, typed ? rv->v.type : coltype, &rv->v);
        return;
    }
    /* ...FlaggedPropertyValue (2.2.1.5) / ...WithType (2.2.1.6) */
    if (typed)
        nio_u16(io, &rv->v.type);
    nio_u8(io, &rv->flag);
    if (!nio_ok(io))
        return;
    switch (rv->flag) {
    case NSPI_FLAG_PRESENT:
        nio_propval(io, typed ? rv->v.type : coltype, &rv->v);
        break;
    case NSPI_FLAG_MISSING:
        if (typed && !io->enc && !nspi_type_supported(rv->v.type))
            nio_fail(io, NSPI_E_FORMAT);
        break;
    case NSPI_FLAG_ERROR:
        nio_u32(io, &rv->err);
        break;
    default:
        nio_fail(io, io->enc ? NSPI_E_ENCODE : NSPI_E_FORMAT);
        break;
    }
}

static void nio_row(nspi_io_t *io, const nspi_u32_array_t *cols, nspi_row_t *row)
{
    uint32_t i;
    nio_u8(io, &row->flags);
    if (nio_ok(io) && row->flags > 1) {
        nio_fail(io, io->enc ? NSPI_E_ENCODE : NSPI_E_FORMAT);
        return;
    }
    /* every column takes at least one byte (no PtypNull columns) */
    if (!nio_count_fits(io, cols->count, 1))
        return;
    if (io->enc && cols->count && !row->vals) {
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(row->vals = nio_array(io, cols->count, sizeof(nspi_rowval_t))))
        return;
    for (i = 0; i < cols->count && nio_ok(io); i++)
        nio_rowval(io, NSPI_PROP_TYPE(cols->v[i]), row->flags, &row->vals[i]);
}

void nio_rowset(nspi_io_t *io, nspi_rowset_t *rs)
{
    uint32_t i;
    nio_u32_array(io, &rs->columns);
    nio_u32(io, &rs->row_count);
    if (!nio_count_fits(io, rs->row_count, 1))
        return;
    if (io->enc && rs->row_count && !rs->rows) {
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(rs->rows = nio_array(io, rs->row_count, sizeof(nspi_row_t))))
        return;
    for (i = 0; i < rs->row_count && nio_ok(io); i++)
        nio_row(io, &rs->columns, &rs->rows[i]);
}

void nspi_row_set_flags(nspi_row_t *row, uint32_t ncols)
{
    uint32_t i;
    row->flags = 0;
    for (i = 0; i < ncols; i++)
        if (row->vals[i].flag != NSPI_FLAG_PRESENT)
            row->flags = 1;
}

/* ---- restrictions: the libmapicodec restriction codec, wide widths ---- */
static int from_mapi_status(int st)
{
    switch (st) {
    case MAPI_E_TRUNCATED:   return NSPI_E_TRUNCATED;
    case MAPI_E_NOMEM:       return NSPI_E_NOMEM;
    case MAPI_E_TOO_COMPLEX: return NSPI_E_TOO_COMPLEX;
    default:                 return NSPI_E_FORMAT;
    }
}

/* 1 if p/len holds exactly one well-formed wide restriction. */
static int restriction_bytes_ok(const nspi_bytes_t *r)
{
    mapi_arena_t a;
    mapi_rd_t rd;
    mapi_restriction_t *tree = NULL;
    int st;
    if (!r->p || !r->len)
        return 0;
    mapi_arena_init(&a, 0);
    mapi_rd_init(&rd, r->p, r->len);
    st = mapi_restriction_decode(&rd, &a, MAPI_CTX_WIDE, &tree);
    mapi_arena_clear(&a);
    return st == MAPI_OK && mapi_rd_ok(&rd) && mapi_rd_left(&rd) == 0;
}

void nio_restriction(nspi_io_t *io, mapi_restriction_t **tree, nspi_bytes_t *raw)
{
    size_t start;
    int st;
    if (io->rc)
        return;
    if (io->enc) {
        if (*tree) {
            st = mapi_restriction_encode(io->wr, MAPI_CTX_WIDE, *tree);
            if (st != MAPI_OK)
                nio_fail(io, st == MAPI_E_NOMEM ? NSPI_E_NOMEM : NSPI_E_ENCODE);
            return;
        }
        if (!restriction_bytes_ok(raw)) {
            nio_fail(io, NSPI_E_ENCODE);
            return;
        }
        mapi_wr_bytes(io->wr, raw->p, raw->len);
        if (!mapi_wr_ok(io->wr))
            nio_fail(io, NSPI_E_NOMEM);
        return;
    }
    start = io->rd.off;
    st = mapi_restriction_decode(&io->rd, io->arena, MAPI_CTX_WIDE, tree);
    if (st == MAPI_OK && !mapi_rd_ok(&io->rd))
        st = MAPI_E_TRUNCATED;
    if (st != MAPI_OK) {
        *tree = NULL;
        nio_fail(io, from_mapi_status(st));
        return;
    }
    raw->p = io->rd.p + start;
    raw->len = (uint32_t)(io->rd.off - start);
}
