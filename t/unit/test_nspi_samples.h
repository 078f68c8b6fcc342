/*
 * test_nspi_samples.h - one representative request and success response per
 * NSPI request type, shared by the unit tests and the fuzz corpus writer.
 * Every optional field is present, so every field of each layout is
 * exercised; the values are distinct so misplaced fields show.
 */
#ifndef NSPI_SAMPLES_H
#define NSPI_SAMPLES_H

#include <string.h>

#include "mapi_nspi.h"

static const uint8_t smp_aux[] = {0x00, 0x00, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00,
                                  0x04, 0x00, 0x01, 0x0A};
static const uint8_t smp_guid[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                                     0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F};
static uint32_t smp_mids[3] = {0x11, 0x22, 0x33};
static uint32_t smp_tags[4] = {0x3001001F, 0x39FE001E, 0x0FFF0102, 0x80000000};
static const uint8_t smp_dn1[] = "/o=Org/ou=Site/cn=Recipients/cn=alice";
static const uint8_t smp_dn2[] = "/o=Org/ou=Site/cn=Recipients/cn=bob";
static const uint8_t smp_w_alice[] = {'a', 0, 'l', 0, 'i', 0, 'c', 0, 'e', 0};
static const uint8_t smp_w_url[] = {'h', 0, 't', 0, 't', 0, 'p', 0, 's', 0, ':', 0, '/', 0, '/', 0, 'x', 0};
static const uint8_t smp_bin[] = {0x00, 0x00, 0x00, 0x00, 0xDC, 0xA7, 0x40, 0xC8};
/* Exist(PidTagDisplayName) AND Property(EQ, PidTagAccount, "bob") */
static const uint8_t smp_filter[] = {
    0x00, 0x02, 0x00, 0x00, 0x00,                       /* And, 2 */
    0x08, 0x1F, 0x00, 0x01, 0x30,                       /* Exist 0x3001001F */
    0x04, 0x04, 0x1E, 0x00, 0xFF, 0x3A,                 /* Property EQ 0x3AFF001E */
    0x1E, 0x00, 0xFF, 0x3A, 'b', 'o', 'b', 0x00};       /* TaggedPropertyValue "bob" */

static nspi_bytes_t smp_names8[2];
static nspi_bytes_t smp_namesw[1];
static nspi_bytes_t smp_entryids[2];
static nspi_mv_elem_t smp_mv_elems[2];
static uint32_t smp_mv_longs[3] = {7, 8, 9};
static nspi_tagged_t smp_props[5];
static nspi_proplist_t smp_special_rows[2];
static nspi_rowval_t smp_rowvals[2][4];
static nspi_row_t smp_rows[2];

static nspi_stat_t smp_stat(void)
{
    nspi_stat_t s = {0, 0x10, 0x1234, -3, 5, 100, 1252, 0x409, 0x409};
    return s;
}

static void smp_init_values(void)
{
    smp_names8[0].p = smp_dn1; smp_names8[0].len = sizeof(smp_dn1) - 1;
    smp_names8[1].p = smp_dn2; smp_names8[1].len = sizeof(smp_dn2) - 1;
    smp_namesw[0].p = smp_w_alice; smp_namesw[0].len = sizeof(smp_w_alice);
    smp_entryids[0].p = smp_bin; smp_entryids[0].len = sizeof(smp_bin);
    smp_entryids[1].p = smp_guid; smp_entryids[1].len = 16;
    smp_mv_elems[0].present = 1; smp_mv_elems[0].b.p = smp_w_alice;
    smp_mv_elems[0].b.len = sizeof(smp_w_alice);
    smp_mv_elems[1].present = 0;

    memset(smp_props, 0, sizeof(smp_props));
    smp_props[0].tag = 0x3001001F; smp_props[0].v.type = 0x001F; smp_props[0].v.present = 1;
    smp_props[0].v.u.bytes.p = smp_w_alice; smp_props[0].v.u.bytes.len = sizeof(smp_w_alice);
    smp_props[1].tag = 0x39000003; smp_props[1].v.type = 0x0003; smp_props[1].v.present = 1;
    smp_props[1].v.u.i32 = 6;
    smp_props[2].tag = 0x0FFF0102; smp_props[2].v.type = 0x0102; smp_props[2].v.present = 1;
    smp_props[2].v.u.bytes.p = smp_bin; smp_props[2].v.u.bytes.len = sizeof(smp_bin);
    smp_props[3].tag = 0x800F101F; smp_props[3].v.type = 0x101F; smp_props[3].v.present = 1;
    smp_props[3].v.u.mv.count = 2; smp_props[3].v.u.mv.u.e = smp_mv_elems;
    smp_props[4].tag = 0x39FE001E; smp_props[4].v.type = 0x001E; smp_props[4].v.present = 0;

    smp_special_rows[0].count = 2; smp_special_rows[0].v = smp_props;
    smp_special_rows[1].count = 3; smp_special_rows[1].v = smp_props + 1;

    /* rows for columns smp_tags: Unicode, String8, Binary, Unspecified */
    memset(smp_rowvals, 0, sizeof(smp_rowvals));
    smp_rowvals[0][0].v = smp_props[0].v;
    smp_rowvals[0][1].v.type = 0x001E; smp_rowvals[0][1].v.present = 1;
    smp_rowvals[0][1].v.u.bytes.p = smp_dn2; smp_rowvals[0][1].v.u.bytes.len = 3;
    smp_rowvals[0][2].v = smp_props[2].v;
    smp_rowvals[0][3].v.type = 0x1003; smp_rowvals[0][3].v.present = 1;
    smp_rowvals[0][3].v.u.mv.count = 3; smp_rowvals[0][3].v.u.mv.u.i32 = smp_mv_longs;
    smp_rowvals[1][0].v = smp_props[0].v;
    smp_rowvals[1][1].flag = NSPI_FLAG_MISSING; smp_rowvals[1][1].v.type = 0x001E;
    smp_rowvals[1][2].flag = NSPI_FLAG_ERROR; smp_rowvals[1][2].v.type = 0x0102;
    smp_rowvals[1][2].err = NSPI_NOT_FOUND;
    smp_rowvals[1][3].v.type = 0x0003; smp_rowvals[1][3].v.present = 1;
    smp_rowvals[1][3].v.u.i32 = 42;
    smp_rows[0].vals = smp_rowvals[0];
    smp_rows[1].vals = smp_rowvals[1];
    nspi_row_set_flags(&smp_rows[0], 4);
    nspi_row_set_flags(&smp_rows[1], 4);
}

static void smp_rowset(nspi_rowset_t *rs)
{
    rs->columns.count = 4;
    rs->columns.v = smp_tags;
    rs->row_count = 2;
    rs->rows = smp_rows;
}

/* A request of type t with every optional field present. */
static void smp_request(nspi_req_type_t t, nspi_request_t *r)
{
    memset(r, 0, sizeof(*r));
    r->type = t;
    r->aux.p = smp_aux;
    r->aux.len = sizeof(smp_aux);
    switch (t) {
    case NSPI_BIND:
        r->u.bind.flags = 0; r->u.bind.has_state = 1; r->u.bind.state = smp_stat();
        break;
    case NSPI_UNBIND:
        r->u.unbind.reserved = 0;
        break;
    case NSPI_COMPAREMIDS:
        r->u.comparemids.has_state = 1; r->u.comparemids.state = smp_stat();
        r->u.comparemids.mid1 = 0x11; r->u.comparemids.mid2 = 0x22;
        break;
    case NSPI_DNTOMID:
        r->u.dntomid.has_names = 1; r->u.dntomid.names.count = 2;
        r->u.dntomid.names.s = smp_names8;
        break;
    case NSPI_GETMATCHES: {
        nspi_getmatches_req_t *g = &r->u.getmatches;
        g->has_state = 1; g->state = smp_stat();
        g->has_mids = 1; g->mids.count = 3; g->mids.v = smp_mids;
        g->interface_option_flags = 0;
        g->has_filter = 1; g->filter.p = smp_filter; g->filter.len = sizeof(smp_filter);
        g->has_property_name = 1; memcpy(g->property_name_guid, smp_guid, 16);
        g->property_name_id = 0x8005;
        g->row_count = 50;
        g->has_columns = 1; g->columns.count = 4; g->columns.v = smp_tags;
        break;
    }
    case NSPI_GETPROPLIST:
        r->u.getproplist.flags = 2; r->u.getproplist.mid = 0x33;
        r->u.getproplist.code_page = 1252;
        break;
    case NSPI_GETPROPS:
        r->u.getprops.flags = 0; r->u.getprops.has_state = 1; r->u.getprops.state = smp_stat();
        r->u.getprops.has_proptags = 1; r->u.getprops.proptags.count = 4;
        r->u.getprops.proptags.v = smp_tags;
        break;
    case NSPI_GETSPECIALTABLE:
        r->u.getspecialtable.flags = 4; r->u.getspecialtable.has_state = 1;
        r->u.getspecialtable.state = smp_stat();
        r->u.getspecialtable.has_version = 1; r->u.getspecialtable.version = 7;
        break;
    case NSPI_GETTEMPLATEINFO:
        r->u.gettemplateinfo.flags = 1; r->u.gettemplateinfo.display_type = 0;
        r->u.gettemplateinfo.has_template_dn = 1; r->u.gettemplateinfo.template_dn = smp_names8[0];
        r->u.gettemplateinfo.code_page = 1252; r->u.gettemplateinfo.locale_id = 0x409;
        break;
    case NSPI_MODLINKATT:
        r->u.modlinkatt.flags = 1; r->u.modlinkatt.proptag = 0x8009101E;
        r->u.modlinkatt.mid = 0x22; r->u.modlinkatt.has_entry_ids = 1;
        r->u.modlinkatt.entry_id_count = 2; r->u.modlinkatt.entry_ids = smp_entryids;
        break;
    case NSPI_MODPROPS:
        r->u.modprops.has_state = 1; r->u.modprops.state = smp_stat();
        r->u.modprops.has_proptags = 1; r->u.modprops.proptags.count = 1;
        r->u.modprops.proptags.v = smp_tags + 1;
        r->u.modprops.has_values = 1; r->u.modprops.values.count = 5;
        r->u.modprops.values.v = smp_props;
        break;
    case NSPI_QUERYCOLUMNS:
        r->u.querycolumns.mapi_flags = 0x80000000u;
        break;
    case NSPI_QUERYROWS:
        r->u.queryrows.flags = 0; r->u.queryrows.has_state = 1; r->u.queryrows.state = smp_stat();
        r->u.queryrows.explicit_table.count = 3; r->u.queryrows.explicit_table.v = smp_mids;
        r->u.queryrows.row_count = 50;
        r->u.queryrows.has_columns = 1; r->u.queryrows.columns.count = 4;
        r->u.queryrows.columns.v = smp_tags;
        break;
    case NSPI_RESOLVENAMES:
        r->u.resolvenames.has_state = 1; r->u.resolvenames.state = smp_stat();
        r->u.resolvenames.has_proptags = 1; r->u.resolvenames.proptags.count = 4;
        r->u.resolvenames.proptags.v = smp_tags;
        r->u.resolvenames.has_names = 1; r->u.resolvenames.names.count = 1;
        r->u.resolvenames.names.s = smp_namesw;
        break;
    case NSPI_RESORTRESTRICTION:
        r->u.resortrestriction.has_state = 1; r->u.resortrestriction.state = smp_stat();
        r->u.resortrestriction.has_mids = 1; r->u.resortrestriction.mids.count = 3;
        r->u.resortrestriction.mids.v = smp_mids;
        break;
    case NSPI_SEEKENTRIES:
        r->u.seekentries.has_state = 1; r->u.seekentries.state = smp_stat();
        r->u.seekentries.has_target = 1; r->u.seekentries.target = smp_props[0];
        r->u.seekentries.has_explicit_table = 1; r->u.seekentries.explicit_table.count = 3;
        r->u.seekentries.explicit_table.v = smp_mids;
        r->u.seekentries.has_columns = 1; r->u.seekentries.columns.count = 4;
        r->u.seekentries.columns.v = smp_tags;
        break;
    case NSPI_UPDATESTAT:
        r->u.updatestat.has_state = 1; r->u.updatestat.state = smp_stat();
        r->u.updatestat.delta_requested = 1;
        break;
    case NSPI_GETMAILBOXURL:
    case NSPI_GETADDRESSBOOKURL:
        r->u.geturl.flags = 0; r->u.geturl.dn.p = smp_w_alice;
        r->u.geturl.dn.len = sizeof(smp_w_alice);
        break;
    default:
        break;
    }
}

/* A success response of type t with every optional field present. */
static void smp_response(nspi_req_type_t t, nspi_response_t *r)
{
    memset(r, 0, sizeof(*r));
    r->type = t;
    r->error_code = t == NSPI_UNBIND ? NSPI_UNBIND_SUCCESS : NSPI_SUCCESS;
    r->aux.p = smp_aux;
    r->aux.len = sizeof(smp_aux);
    switch (t) {
    case NSPI_BIND:
        memcpy(r->u.bind.server_guid, smp_guid, 16);
        break;
    case NSPI_COMPAREMIDS:
        r->u.comparemids.result = -1;
        break;
    case NSPI_DNTOMID:
        r->u.dntomid.has_mids = 1; r->u.dntomid.mids.count = 3; r->u.dntomid.mids.v = smp_mids;
        break;
    case NSPI_GETMATCHES:
    case NSPI_QUERYROWS:
    case NSPI_SEEKENTRIES:
        r->u.rows.has_state = 1; r->u.rows.state = smp_stat();
        if (t == NSPI_GETMATCHES) {
            r->u.rows.has_mids = 1; r->u.rows.mids.count = 2; r->u.rows.mids.v = smp_mids;
        }
        r->u.rows.has_cols_and_rows = 1;
        smp_rowset(&r->u.rows.rows);
        break;
    case NSPI_GETPROPLIST:
    case NSPI_QUERYCOLUMNS:
        r->u.proptags.has_proptags = 1; r->u.proptags.proptags.count = 4;
        r->u.proptags.proptags.v = smp_tags;
        break;
    case NSPI_GETPROPS:
    case NSPI_GETTEMPLATEINFO:
        r->u.getprops.code_page = 1252; r->u.getprops.has_values = 1;
        r->u.getprops.values.count = 5; r->u.getprops.values.v = smp_props;
        break;
    case NSPI_GETSPECIALTABLE:
        r->u.getspecialtable.code_page = 1252; r->u.getspecialtable.has_version = 1;
        r->u.getspecialtable.version = 9; r->u.getspecialtable.has_rows = 1;
        r->u.getspecialtable.row_count = 2; r->u.getspecialtable.rows = smp_special_rows;
        break;
    case NSPI_RESOLVENAMES:
        r->u.resolvenames.code_page = 1252; r->u.resolvenames.has_mids = 1;
        r->u.resolvenames.mids.count = 1; r->u.resolvenames.mids.v = smp_mids;
        r->u.resolvenames.has_rows_and_cols = 1;
        smp_rowset(&r->u.resolvenames.rows);
        break;
    case NSPI_RESORTRESTRICTION:
        r->u.resortrestriction.has_state = 1; r->u.resortrestriction.state = smp_stat();
        r->u.resortrestriction.has_mids = 1; r->u.resortrestriction.mids.count = 3;
        r->u.resortrestriction.mids.v = smp_mids;
        break;
    case NSPI_UPDATESTAT:
        r->u.updatestat.has_state = 1; r->u.updatestat.state = smp_stat();
        r->u.updatestat.has_delta = 1; r->u.updatestat.delta = -2;
        break;
    case NSPI_GETMAILBOXURL:
    case NSPI_GETADDRESSBOOKURL:
        r->u.geturl.url.p = smp_w_url; r->u.geturl.url.len = sizeof(smp_w_url);
        break;
    default:
        break;
    }
}

#endif /* NSPI_SAMPLES_H */
