/*
 * rop_codec_property.c - property ROPs ([MS-OXCROPS] 2.2.8, semantics in
 * [MS-OXCPRPT] 2.2): GetPropertiesSpecific, GetPropertiesAll,
 * GetPropertiesList, SetProperties(NoReplicate), DeleteProperties
 * (NoReplicate), QueryNamedProperties, CopyProperties, CopyTo,
 * GetPropertyIdsFromNames, GetNamesFromPropertyIds, Progress.
 */
#include "rop_codec_io.h"
#include "mapi_status.h"

/* 2.2.8.3: PropertySizeLimit, WantUnicode, PropertyTagCount, PropertyTags
 * -> RowData: a PropertyRow whose columns are the requested tags */
static void get_props_specific_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.get_props_specific.size_limit);
    rio_u16(io, &r->u.get_props_specific.want_unicode);
    rio_tags16(io, &r->u.get_props_specific.tags);
}

static void get_props_specific_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    mapi_rop_rows_t *row = &r->u.get_props_specific.row;
    if (!io->writing && !row->cols && io->rctx && io->rctx->req &&
        io->rctx->req->rop_id == ROP_GET_PROPERTIES_SPECIFIC) {
        row->cols = io->rctx->req->u.get_props_specific.tags.tags;
        row->ncols = io->rctx->req->u.get_props_specific.tags.count;
    }
    rio_rows(io, row, 1);
}

/* 2.2.8.4: PropertySizeLimit, WantUnicode -> PropertyValueCount, PropertyValues */
static void get_props_all_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.get_props_all.size_limit);
    rio_u16(io, &r->u.get_props_all.want_unicode);
}

static void get_props_all_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_proplist16(io, &r->u.get_props_all.props);
}

/* 2.2.8.5: -> PropertyTagCount, PropertyTags */
static void tags_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_tags16(io, &r->u.tags.tags);
}

/* 2.2.8.6 / 2.2.8.7: PropertyValueSize (bytes of the count and the values),
 * PropertyValueCount, PropertyValues */
static void set_props_req(rop_io_t *io, mapi_rop_req_t *r)
{
    if (!rio_ok(io))
        return;
    if (io->writing) {
        size_t off = io->wr->len, n;
        mapi_wr_u16(io->wr, 0);
        rio_proplist16(io, &r->u.set_props.props);
        n = io->wr->len - off - 2;
        if (rio_ok(io) && n > 0xFFFF)
            rio_fail(io, MAPI_E_BAD_VALUE);
        else
            mapi_wr_put_u16_at(io->wr, off, (uint16_t)n);
    } else {
        uint16_t size = mapi_rd_u16(io->rd);
        const uint8_t *p = mapi_rd_bytes(io->rd, size);
        mapi_rd_t sub, *outer = io->rd;
        if (!p)
            return;
        mapi_rd_init(&sub, p, size);
        io->rd = &sub;
        rio_proplist16(io, &r->u.set_props.props);
        rio_ok(io);
        io->rd = outer;
    }
}

/* 2.2.8.6.2 ...: PropertyProblemCount, PropertyProblems */
static void problems_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_problems(io, &r->u.problems.problems);
}

/* 2.2.8.8 / 2.2.8.9: PropertyTagCount, PropertyTags */
static void delete_props_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_tags16(io, &r->u.delete_props.tags);
}

/* 2.2.8.10: QueryFlags, HasGuid [, PropertyGuid] -> IdCount, PropertyIds,
 * PropertyNames */
static void query_named_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.query_named.flags);
    rio_u8(io, &r->u.query_named.has_guid);
    if (rio_ok(io) && r->u.query_named.has_guid)
        rio_guid(io, &r->u.query_named.guid);
}

static void query_named_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    uint16_t i, n;
    rio_u16(io, &r->u.query_named.count);
    n = r->u.query_named.count;
    if (!io->writing &&
        (!(r->u.query_named.ids = rio_array(io, n, sizeof(uint16_t), 2 + 1)) ||
         !(r->u.query_named.names = rio_array(io, n, sizeof(mapi_propname_t), 0))))
        return;
    for (i = 0; i < n && rio_ok(io); i++)
        rio_u16(io, &r->u.query_named.ids[i]);
    for (i = 0; i < n && rio_ok(io); i++)
        rio_propname(io, &r->u.query_named.names[i]);
}

/* 2.2.8.11: WantAsynchronous, CopyFlags, PropertyTagCount, PropertyTags */
static void copy_properties_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.copy_props.want_async);
    rio_u8(io, &r->u.copy_props.copy_flags);
    rio_tags16(io, &r->u.copy_props.tags);
}

/* 2.2.8.12: WantAsynchronous, WantSubObjects, CopyFlags, ExcludedTags */
static void copy_to_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.copy_props.want_async);
    rio_u8(io, &r->u.copy_props.want_subobjects);
    rio_u8(io, &r->u.copy_props.copy_flags);
    rio_tags16(io, &r->u.copy_props.tags);
}

/* success: problems; ecDstNullObject: DestHandleIndex u32 (2.2.8.11.3) */
static void copy_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    if (r->ret == MAPI_EC_DST_NULL_OBJECT)
        rio_u32(io, &r->u.problems.dest_idx);
    else if (r->ret == MAPI_EC_SUCCESS)
        rio_problems(io, &r->u.problems.problems);
}

/* 2.2.8.1: Flags, PropertyNameCount, PropertyNames -> PropertyIdCount, PropertyIds */
static void get_ids_from_names_req(rop_io_t *io, mapi_rop_req_t *r)
{
    uint16_t i;
    rio_u8(io, &r->u.get_ids_from_names.flags);
    rio_u16(io, &r->u.get_ids_from_names.count);
    if (!io->writing && !(r->u.get_ids_from_names.names =
                              rio_array(io, r->u.get_ids_from_names.count, sizeof(mapi_propname_t), 1)))
        return;
    for (i = 0; i < r->u.get_ids_from_names.count && rio_ok(io); i++)
        rio_propname(io, &r->u.get_ids_from_names.names[i]);
}

static void u16_ids(rop_io_t *io, uint16_t *count, uint16_t **ids)
{
    uint16_t i;
    rio_u16(io, count);
    if (!io->writing && !(*ids = rio_array(io, *count, sizeof(uint16_t), 2)))
        return;
    for (i = 0; i < *count && rio_ok(io); i++)
        rio_u16(io, &(*ids)[i]);
}

static void prop_ids_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    u16_ids(io, &r->u.prop_ids.count, &r->u.prop_ids.ids);
}

/* 2.2.8.2: PropertyIdCount, PropertyIds -> PropertyNameCount, PropertyNames */
static void get_names_from_ids_req(rop_io_t *io, mapi_rop_req_t *r)
{
    u16_ids(io, &r->u.get_names_from_ids.count, &r->u.get_names_from_ids.ids);
}

static void prop_names_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    uint16_t i;
    rio_u16(io, &r->u.prop_names.count);
    if (!io->writing &&
        !(r->u.prop_names.names = rio_array(io, r->u.prop_names.count, sizeof(mapi_propname_t), 1)))
        return;
    for (i = 0; i < r->u.prop_names.count && rio_ok(io); i++)
        rio_propname(io, &r->u.prop_names.names[i]);
}

/* 2.2.8.13: WantCancel -> LogonId, CompletedTaskCount, TotalTaskCount */
static void progress_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.progress.want_cancel);
}

static void progress_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u8(io, &r->u.progress.logon_id);
    rio_u32(io, &r->u.progress.completed);
    rio_u32(io, &r->u.progress.total);
}

const rop_desc_t rop_property_descs[] = {
    {ROP_GET_PROPERTIES_SPECIFIC, 0, "RopGetPropertiesSpecific", get_props_specific_req, get_props_specific_resp},
    {ROP_GET_PROPERTIES_ALL, 0, "RopGetPropertiesAll", get_props_all_req, get_props_all_resp},
    {ROP_GET_PROPERTIES_LIST, 0, "RopGetPropertiesList", rop_no_fields_req, tags_resp},
    {ROP_SET_PROPERTIES, 0, "RopSetProperties", set_props_req, problems_resp},
    {ROP_SET_PROPERTIES_NO_REPLICATE, 0, "RopSetPropertiesNoReplicate", set_props_req, problems_resp},
    {ROP_DELETE_PROPERTIES, 0, "RopDeleteProperties", delete_props_req, problems_resp},
    {ROP_DELETE_PROPERTIES_NO_REPLICATE, 0, "RopDeletePropertiesNoReplicate", delete_props_req, problems_resp},
    {ROP_QUERY_NAMED_PROPERTIES, 0, "RopQueryNamedProperties", query_named_req, query_named_resp},
    {ROP_COPY_PROPERTIES, ROPF_OUT_IDX | ROPF_RESP_ALWAYS, "RopCopyProperties", copy_properties_req, copy_resp},
    {ROP_COPY_TO, ROPF_OUT_IDX | ROPF_RESP_ALWAYS, "RopCopyTo", copy_to_req, copy_resp},
    {ROP_GET_PROPERTY_IDS_FROM_NAMES, 0, "RopGetPropertyIdsFromNames", get_ids_from_names_req, prop_ids_resp},
    {ROP_GET_NAMES_FROM_PROPERTY_IDS, 0, "RopGetNamesFromPropertyIds", get_names_from_ids_req, prop_names_resp},
    {ROP_PROGRESS, 0, "RopProgress", progress_req, progress_resp},
};
const size_t rop_property_descs_count = sizeof(rop_property_descs) / sizeof(rop_property_descs[0]);
