/*
 * nspi_bodies_rsp.c - response bodies of the address book endpoint,
 * [MS-OXCMAPIHTTP] 2.2.5.x.2 (success: StatusCode = 0, ErrorCode, the
 * fields below, AuxiliaryBufferSize, AuxiliaryBuffer) and 2.2.5.x.3
 * (failure: StatusCode != 0, AuxiliaryBufferSize, AuxiliaryBuffer).
 * Each body is described once in wire order (see nspi_io.h).
 */
#include "nspi_io.h"

/* GetMatches (2.2.5.5.2), QueryRows (2.2.5.12.2), SeekEntries (2.2.5.16.2):
 * HasState, State, [GetMatches: HasMinimalIds, MinimalIdCount, MinimalIds],
 * HasColsAndRows, Columns, RowCount, RowData */
static void nio_rows_rsp(nspi_io_t *io, nspi_rows_rsp_t *r, int with_mids)
{
    nio_opt_stat(io, &r->has_state, &r->state);
    if (with_mids)
        nio_opt_u32_array(io, &r->has_mids, &r->mids);
    if (nio_flag(io, &r->has_cols_and_rows))
        nio_rowset(io, &r->rows);
}

/* GetProps (2.2.5.7.2): CodePage, HasPropertyValues, PropertyValues;
 * GetTemplateInfo (2.2.5.9.2): CodePage, HasRow, Row */
static void nio_getprops_rsp(nspi_io_t *io, nspi_getprops_rsp_t *r)
{
    nio_u32(io, &r->code_page);
    if (nio_flag(io, &r->has_values))
        nio_proplist(io, &r->values);
}

/* GetSpecialTable (2.2.5.8.2): CodePage, HasVersion, Version, HasRows,
 * RowsCount, Rows (AddressBookPropertyValueList each) */
static void nio_getspecialtable_rsp(nspi_io_t *io, nspi_getspecialtable_rsp_t *r)
{
    uint32_t i;
    nio_u32(io, &r->code_page);
    if (nio_flag(io, &r->has_version))
        nio_u32(io, &r->version);
    if (!nio_flag(io, &r->has_rows))
        return;
    nio_u32(io, &r->row_count);
    if (!nio_count_fits(io, r->row_count, 4))
        return;
    if (io->enc && r->row_count && !r->rows) {
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(r->rows = nio_array(io, r->row_count, sizeof(nspi_proplist_t))))
        return;
    for (i = 0; i < r->row_count && nio_ok(io); i++)
        nio_proplist(io, &r->rows[i]);
}

/* ResolveNames (2.2.5.14.2): CodePage, HasMinimalIds, MinimalIdCount,
 * MinimalIds, HasRowsAndCols, PropertyTags, RowCount, RowData */
static void nio_resolvenames_rsp(nspi_io_t *io, nspi_resolvenames_rsp_t *r)
{
    nio_u32(io, &r->code_page);
    nio_opt_u32_array(io, &r->has_mids, &r->mids);
    if (nio_flag(io, &r->has_rows_and_cols))
        nio_rowset(io, &r->rows);
}

static void nio_success_body(nspi_io_t *io, nspi_response_t *r)
{
    switch (r->type) {
    case NSPI_BIND:                                         /* 2.2.5.1.2 */
        nio_raw(io, r->u.bind.server_guid, 16);
        break;
    case NSPI_UNBIND:                                       /* 2.2.5.2.2 */
    case NSPI_MODLINKATT:                                   /* 2.2.5.10.2 */
    case NSPI_MODPROPS:                                     /* 2.2.5.11.2 */
        break;
    case NSPI_COMPAREMIDS:                                  /* 2.2.5.3.2 */
        nio_i32(io, &r->u.comparemids.result);
        break;
    case NSPI_DNTOMID:                                      /* 2.2.5.4.2 */
        nio_opt_u32_array(io, &r->u.dntomid.has_mids, &r->u.dntomid.mids);
        break;
    case NSPI_GETMATCHES:
        nio_rows_rsp(io, &r->u.rows, 1);
        break;
    case NSPI_QUERYROWS:
    case NSPI_SEEKENTRIES:
        nio_rows_rsp(io, &r->u.rows, 0);
        break;
    case NSPI_GETPROPLIST:                                  /* 2.2.5.6.2 */
    case NSPI_QUERYCOLUMNS:                                 /* 2.2.5.13.2 */
        nio_opt_u32_array(io, &r->u.proptags.has_proptags, &r->u.proptags.proptags);
        break;
    case NSPI_GETPROPS:
    case NSPI_GETTEMPLATEINFO:
        nio_getprops_rsp(io, &r->u.getprops);
        break;
    case NSPI_GETSPECIALTABLE:
        nio_getspecialtable_rsp(io, &r->u.getspecialtable);
        break;
    case NSPI_RESOLVENAMES:
        nio_resolvenames_rsp(io, &r->u.resolvenames);
        break;
    case NSPI_RESORTRESTRICTION:                            /* 2.2.5.15.2 */
        nio_opt_stat(io, &r->u.resortrestriction.has_state, &r->u.resortrestriction.state);
        nio_opt_u32_array(io, &r->u.resortrestriction.has_mids, &r->u.resortrestriction.mids);
        break;
    case NSPI_UPDATESTAT:                                   /* 2.2.5.17.2 */
        nio_opt_stat(io, &r->u.updatestat.has_state, &r->u.updatestat.state);
        if (nio_flag(io, &r->u.updatestat.has_delta))
            nio_i32(io, &r->u.updatestat.delta);
        break;
    case NSPI_GETMAILBOXURL:                                /* 2.2.5.18.2 */
    case NSPI_GETADDRESSBOOKURL:                            /* 2.2.5.19.2 */
        nio_utf16z(io, &r->u.geturl.url);
        break;
    default:
        nio_fail(io, io->enc ? NSPI_E_ENCODE : NSPI_E_FORMAT);
        break;
    }
}

void nio_response_body(nspi_io_t *io, nspi_response_t *r)
{
    nio_u32(io, &r->status_code);
    if (nio_ok(io) && r->status_code == 0) {
        nio_u32(io, &r->error_code);
        nio_success_body(io, r);
    }
    nio_aux(io, &r->aux);
}
