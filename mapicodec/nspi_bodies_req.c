/*
 * nspi_bodies_req.c - request bodies of the address book endpoint,
 * [MS-OXCMAPIHTTP] 2.2.5.x.1, each described once in wire order (decode
 * and encode run the same function, see nspi_io.h). Field order checked
 * against Microsoft's MAPI inspector parsers (MSOXCMAPIHTTP.cs), which
 * follow the spec's tables, and against a server implementation's pull
 * functions. Every body ends with AuxiliaryBufferSize + AuxiliaryBuffer.
 */
#include "nspi_io.h"

/* 2.2.5.1.1 Bind: Flags, HasState, State */
static void nio_bind(nspi_io_t *io, nspi_bind_req_t *r)
{
    nio_u32(io, &r->flags);
    nio_opt_stat(io, &r->has_state, &r->state);
}

/* 2.2.5.2.1 Unbind: Reserved */
static void nio_unbind(nspi_io_t *io, nspi_unbind_req_t *r)
{
    nio_u32(io, &r->reserved);
}

/* 2.2.5.3.1 CompareMIds: Reserved, HasState, State, MinimalId1, MinimalId2 */
static void nio_comparemids(nspi_io_t *io, nspi_comparemids_req_t *r)
{
    nio_u32(io, &r->reserved);
    nio_opt_stat(io, &r->has_state, &r->state);
    nio_u32(io, &r->mid1);
    nio_u32(io, &r->mid2);
}

/* 2.2.5.4.1 DNToMId: Reserved, HasNames, NameCount, NameValues (8-bit) */
static void nio_dntomid(nspi_io_t *io, nspi_dntomid_req_t *r)
{
    nio_u32(io, &r->reserved);
    if (nio_flag(io, &r->has_names))
        nio_strarray(io, &r->names, 0);
}

/* 2.2.5.5.1 GetMatches */
static void nio_getmatches(nspi_io_t *io, nspi_getmatches_req_t *r)
{
    nio_u32(io, &r->reserved);
    nio_opt_stat(io, &r->has_state, &r->state);
    nio_opt_u32_array(io, &r->has_mids, &r->mids);
    nio_u32(io, &r->interface_option_flags);
    if (nio_flag(io, &r->has_filter))
        nio_restriction(io, &r->filter_tree, &r->filter);
    if (nio_flag(io, &r->has_property_name)) {
        nio_raw(io, r->property_name_guid, 16);
        nio_u32(io, &r->property_name_id);
    }
    nio_u32(io, &r->row_count);
    nio_opt_u32_array(io, &r->has_columns, &r->columns);
}

/* 2.2.5.6.1 GetPropList: Flags, MinimalId, CodePage */
static void nio_getproplist(nspi_io_t *io, nspi_getproplist_req_t *r)
{
    nio_u32(io, &r->flags);
    nio_u32(io, &r->mid);
    nio_u32(io, &r->code_page);
}

/* 2.2.5.7.1 GetProps: Flags, HasState, State, HasPropertyTags, PropertyTags */
static void nio_getprops(nspi_io_t *io, nspi_getprops_req_t *r)
{
    nio_u32(io, &r->flags);
    nio_opt_stat(io, &r->has_state, &r->state);
    nio_opt_u32_array(io, &r->has_proptags, &r->proptags);
}

/* 2.2.5.8.1 GetSpecialTable: Flags, HasState, State, HasVersion, Version */
static void nio_getspecialtable(nspi_io_t *io, nspi_getspecialtable_req_t *r)
{
    nio_u32(io, &r->flags);
    nio_opt_stat(io, &r->has_state, &r->state);
    if (nio_flag(io, &r->has_version))
        nio_u32(io, &r->version);
}

/* 2.2.5.9.1 GetTemplateInfo: Flags, DisplayType, HasTemplateDn, TemplateDn,
 * CodePage, LocaleId */
static void nio_gettemplateinfo(nspi_io_t *io, nspi_gettemplateinfo_req_t *r)
{
    nio_u32(io, &r->flags);
    nio_u32(io, &r->display_type);
    if (nio_flag(io, &r->has_template_dn))
        nio_asciiz(io, &r->template_dn);
    nio_u32(io, &r->code_page);
    nio_u32(io, &r->locale_id);
}

/* 2.2.5.10.1 ModLinkAtt: Flags, PropertyTag, MinimalId, HasEntryIds,
 * EntryIdCount, EntryIds (each a 32-bit size and the EntryID's bytes) */
static void nio_modlinkatt(nspi_io_t *io, nspi_modlinkatt_req_t *r)
{
    uint32_t i;
    nio_u32(io, &r->flags);
    nio_u32(io, &r->proptag);
    nio_u32(io, &r->mid);
    if (!nio_flag(io, &r->has_entry_ids))
        return;
    nio_u32(io, &r->entry_id_count);
    if (!nio_count_fits(io, r->entry_id_count, 4))
        return;
    if (io->enc && r->entry_id_count && !r->entry_ids) {
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(r->entry_ids = nio_array(io, r->entry_id_count, sizeof(nspi_bytes_t))))
        return;
    for (i = 0; i < r->entry_id_count && nio_ok(io); i++)
        nio_sized_bytes(io, &r->entry_ids[i]);
}

/* 2.2.5.11.1 ModProps: Reserved, HasState, State, HasPropertyTags,
 * PropertyTags, HasPropertyValues, PropertyValues */
static void nio_modprops(nspi_io_t *io, nspi_modprops_req_t *r)
{
    nio_u32(io, &r->reserved);
    nio_opt_stat(io, &r->has_state, &r->state);
    nio_opt_u32_array(io, &r->has_proptags, &r->proptags);
    if (nio_flag(io, &r->has_values))
        nio_proplist(io, &r->values);
}

/* 2.2.5.12.1 QueryRows: Flags, HasState, State, ExplicitTableCount,
 * ExplicitTable, RowCount, HasColumns, Columns */
static void nio_queryrows(nspi_io_t *io, nspi_queryrows_req_t *r)
{
    nio_u32(io, &r->flags);
    nio_opt_stat(io, &r->has_state, &r->state);
    nio_u32_array(io, &r->explicit_table);
    nio_u32(io, &r->row_count);
    nio_opt_u32_array(io, &r->has_columns, &r->columns);
}

/* 2.2.5.13.1 QueryColumns: Reserved, MapiFlags */
static void nio_querycolumns(nspi_io_t *io, nspi_querycolumns_req_t *r)
{
    nio_u32(io, &r->reserved);
    nio_u32(io, &r->mapi_flags);
}

/* 2.2.5.14.1 ResolveNames: Reserved, HasState, State, HasPropertyTags,
 * PropertyTags, HasNames, Names (WStringArray: count + UTF-16 strings) */
static void nio_resolvenames(nspi_io_t *io, nspi_resolvenames_req_t *r)
{
    nio_u32(io, &r->reserved);
    nio_opt_stat(io, &r->has_state, &r->state);
    nio_opt_u32_array(io, &r->has_proptags, &r->proptags);
    if (nio_flag(io, &r->has_names))
        nio_strarray(io, &r->names, 1);
}

/* 2.2.5.15.1 ResortRestriction: Reserved, HasState, State, HasMinimalIds,
 * MinimalIdCount, MinimalIds */
static void nio_resortrestriction(nspi_io_t *io, nspi_resortrestriction_req_t *r)
{
    nio_u32(io, &r->reserved);
    nio_opt_stat(io, &r->has_state, &r->state);
    nio_opt_u32_array(io, &r->has_mids, &r->mids);
}

/* 2.2.5.16.1 SeekEntries: Reserved, HasState, State, HasTarget, Target,
 * HasExplicitTable, ExplicitTable, HasColumns, Columns */
static void nio_seekentries(nspi_io_t *io, nspi_seekentries_req_t *r)
{
    nio_u32(io, &r->reserved);
    nio_opt_stat(io, &r->has_state, &r->state);
    if (nio_flag(io, &r->has_target))
        nio_tagged(io, &r->target);
    nio_opt_u32_array(io, &r->has_explicit_table, &r->explicit_table);
    nio_opt_u32_array(io, &r->has_columns, &r->columns);
}

/* 2.2.5.17.1 UpdateStat: Reserved, HasState, State, DeltaRequested */
static void nio_updatestat(nspi_io_t *io, nspi_updatestat_req_t *r)
{
    nio_u32(io, &r->reserved);
    nio_opt_stat(io, &r->has_state, &r->state);
    nio_flag(io, &r->delta_requested);
}

/* 2.2.5.18.1 GetMailboxUrl: Flags, ServerDn; 2.2.5.19.1 GetAddressBookUrl:
 * Flags, UserDn (both null-terminated Unicode) */
static void nio_geturl(nspi_io_t *io, nspi_geturl_req_t *r)
{
    nio_u32(io, &r->flags);
    nio_utf16z(io, &r->dn);
}

void nio_request_body(nspi_io_t *io, nspi_request_t *r)
{
    switch (r->type) {
    case NSPI_BIND:              nio_bind(io, &r->u.bind); break;
    case NSPI_UNBIND:            nio_unbind(io, &r->u.unbind); break;
    case NSPI_COMPAREMIDS:       nio_comparemids(io, &r->u.comparemids); break;
    case NSPI_DNTOMID:           nio_dntomid(io, &r->u.dntomid); break;
    case NSPI_GETMATCHES:        nio_getmatches(io, &r->u.getmatches); break;
    case NSPI_GETPROPLIST:       nio_getproplist(io, &r->u.getproplist); break;
    case NSPI_GETPROPS:          nio_getprops(io, &r->u.getprops); break;
    case NSPI_GETSPECIALTABLE:   nio_getspecialtable(io, &r->u.getspecialtable); break;
    case NSPI_GETTEMPLATEINFO:   nio_gettemplateinfo(io, &r->u.gettemplateinfo); break;
    case NSPI_MODLINKATT:        nio_modlinkatt(io, &r->u.modlinkatt); break;
    case NSPI_MODPROPS:          nio_modprops(io, &r->u.modprops); break;
    case NSPI_QUERYCOLUMNS:      nio_querycolumns(io, &r->u.querycolumns); break;
    case NSPI_QUERYROWS:         nio_queryrows(io, &r->u.queryrows); break;
    case NSPI_RESOLVENAMES:      nio_resolvenames(io, &r->u.resolvenames); break;
    case NSPI_RESORTRESTRICTION: nio_resortrestriction(io, &r->u.resortrestriction); break;
    case NSPI_SEEKENTRIES:       nio_seekentries(io, &r->u.seekentries); break;
    case NSPI_UPDATESTAT:        nio_updatestat(io, &r->u.updatestat); break;
    case NSPI_GETMAILBOXURL:
    case NSPI_GETADDRESSBOOKURL: nio_geturl(io, &r->u.geturl); break;
    default:
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    nio_aux(io, &r->aux);
}
