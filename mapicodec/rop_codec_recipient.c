/*
 * rop_codec_recipient.c - the RecipientRow structure ([MS-OXCDATA] 2.8.3)
 * carried opaque inside OpenMessage, ReadRecipients, ModifyRecipients and
 * OpenEmbeddedMessage. Field presence follows RecipientFlags (2.8.3.1):
 * X500 fields for type X500DN, EntryID/SearchKey for the PDL types,
 * AddressType for type none with O set, then E/D/I/T strings, then
 * RecipientColumnCount and a PropertyRow of that many RecipientColumns.
 */
#include "rop_codec_io.h"

#include <string.h>

static void recipient_fields(rop_io_t *io, const mapi_tagarray_t *columns, mapi_recipient_t *r)
{
    uint16_t f, type;
    int u;
    rio_u16(io, &r->flags);
    if (!rio_ok(io))
        return;
    f = r->flags;
    type = f & MAPI_RECIP_TYPE_MASK;
    u = (f & MAPI_RECIP_UNICODE) != 0;
    if (type == MAPI_RECIP_TYPE_X500DN) {
        rio_u8(io, &r->prefix_used);
        rio_u8(io, &r->display_type);
        rio_asciiz(io, &r->x500dn);
    }
    if (type == MAPI_RECIP_TYPE_PDL1 || type == MAPI_RECIP_TYPE_PDL2) {
        rio_bin16(io, &r->entry_id);
        rio_bin16(io, &r->search_key);
    }
    if (type == 0 && (f & MAPI_RECIP_OUTOFSTANDARD))
        rio_asciiz(io, &r->address_type); /* ASCII whatever U says */
    if (f & MAPI_RECIP_EMAIL)
        rio_string(io, u, &r->email);
    if (f & MAPI_RECIP_DISPLAY)
        rio_string(io, u, &r->display_name);
    if (f & MAPI_RECIP_SIMPLE)
        rio_string(io, u, &r->simple_name);
    if (f & MAPI_RECIP_TRANSMITTABLE)
        rio_string(io, u, &r->transmittable_name);
    rio_u16(io, &r->ncols);
    if (!rio_ok(io))
        return;
    if (r->ncols > columns->count) {
        rio_fail(io, MAPI_E_BAD_VALUE);
        return;
    }
    if (io->writing) {
        rio_fail(io, mapi_proprow_encode(io->wr, 0, columns->tags, r->ncols, r->vals));
    } else {
        if (!(r->vals = rio_array(io, r->ncols, sizeof(mapi_propval_t), 0)))
            return;
        rio_fail(io, mapi_proprow_decode(io->rd, io->a, 0, columns->tags, r->ncols, r->vals));
    }
}

int mapi_recipient_row_decode(const mapi_bin_t *row, mapi_arena_t *a, const mapi_tagarray_t *columns,
                              mapi_recipient_t *out)
{
    rop_io_t io;
    mapi_rd_t rd;
    memset(out, 0, sizeof(*out));
    memset(&io, 0, sizeof(io));
    mapi_rd_init(&rd, row->data, row->len);
    io.rd = &rd;
    io.a = a;
    recipient_fields(&io, columns, out);
    if (rio_ok(&io) && mapi_rd_left(&rd) != 0)
        rio_fail(&io, MAPI_E_TRAILING);
    return io.st;
}

int mapi_recipient_row_encode(mapi_wr_t *wr, const mapi_tagarray_t *columns, const mapi_recipient_t *r)
{
    rop_io_t io;
    memset(&io, 0, sizeof(io));
    io.writing = 1;
    io.wr = wr;
    recipient_fields(&io, columns, (mapi_recipient_t *)(uintptr_t)r);
    rio_ok(&io);
    return io.st;
}
