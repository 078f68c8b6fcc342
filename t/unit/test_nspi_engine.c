/* test_nspi_engine.c - the NSPI engine's tables: Bind, Unbind, UpdateStat,
 * QueryRows, SeekEntries, GetMatches, CompareMIds, ResortRestriction over
 * a directory of 1,009 mailboxes ([MS-OXNSPI] 3.1.4.1, 3.1.4.5). */
#include "test_nspi_engine_util.h"

static uint32_t sorted_mid[TN_TOTAL];    /* the GAL in display-name order */
static char *sorted_name[TN_TOTAL];

static nspi_request_t req;
static nspi_response_t rsp;

static void start(nspi_req_type_t t)
{
    memset(&req, 0, sizeof(req));
    memset(&rsp, 0, sizeof(rsp));
    req.type = t;
}

/* Walks the whole GAL with QueryRows (50 rows a page) into sorted_*. */
static void test_queryrows_paging(void)
{
    static uint32_t cols[] = {0x3001001Fu, 0x39FE001Fu};
    uint32_t seen = 0, pages = 0, cur = NSPI_MID_BEGINNING_OF_TABLE;
    int order_ok = 1, stat_ok = 1;
    for (;;) {
        start(NSPI_QUERYROWS);
        req.u.queryrows.has_state = 1;
        tn_stat(&req.u.queryrows.state, cur, 0);
        req.u.queryrows.row_count = 50;
        req.u.queryrows.has_columns = 1;
        req.u.queryrows.columns.count = 2;
        req.u.queryrows.columns.v = cols;
        if (tn_call(&req, &rsp) != NSPI_SUCCESS || !rsp.u.rows.has_cols_and_rows)
            break;
        pages++;
        for (uint32_t i = 0; i < rsp.u.rows.rows.row_count && seen < TN_TOTAL; i++) {
            sorted_name[seen] = strdup(tn_str(&rsp.u.rows.rows.rows[i].vals[0].v, 1252));
            seen++;
        }
        if (rsp.u.rows.state.num_pos != seen || rsp.u.rows.state.total_recs != TN_TOTAL)
            stat_ok = 0;
        cur = rsp.u.rows.state.current_rec;
        if (rsp.u.rows.rows.row_count == 0 || cur == NSPI_MID_END_OF_TABLE)
            break;
    }
    is_int(seen, TN_TOTAL, "QueryRows paging returns every entry once (%u pages)", pages);
    is_int(cur, NSPI_MID_END_OF_TABLE, "after the last page CurrentRec is MID_END_OF_TABLE");
    ok(stat_ok, "NumPos follows the rows read, TotalRecs is the GAL size");
    for (uint32_t i = 1; i < seen; i++)
        if (strcasecmp(sorted_name[i - 1], sorted_name[i]) > 0 && (unsigned char)sorted_name[i][0] < 0x80)
            order_ok = 0;
    ok(order_ok, "rows come in display-name order (case-insensitive)");
    ok(!strcmp(sorted_name[0], "Alice Example"), "first row is Alice Example (got %s)", sorted_name[0]);
    ok(!strcmp(sorted_name[seen - 1], "\xc3\x89mile Zola") || !strcmp(sorted_name[seen - 1], "\xc3\xa9mile Zola"),
       "non-ASCII names sort after ASCII ones (last: %s)", sorted_name[seen - 1]);
    int anna = -1;
    for (uint32_t i = 0; i < seen; i++)
        if (!strcmp(sorted_name[i], "Anna Bell")) {
            anna = (int)i;
            break;
        }
    ok(anna >= 0 && !strcmp(sorted_name[anna + 1], "Anna Bella") && !strcmp(sorted_name[anna + 2], "Annabel Lee"),
       "same-prefix names in order: Anna Bell, Anna Bella, Annabel Lee");
}

/* MIds in order through UpdateStat (one row at a time would be slow:
 * use QueryRows with the EntryId-free InstanceKey column). */
static void collect_mids(void)
{
    static uint32_t cols[] = {0x0FF60102u};
    uint32_t n = 0, cur = NSPI_MID_BEGINNING_OF_TABLE;
    while (n < TN_TOTAL) {
        start(NSPI_QUERYROWS);
        req.u.queryrows.has_state = 1;
        tn_stat(&req.u.queryrows.state, cur, 0);
        req.u.queryrows.row_count = 400;
        req.u.queryrows.has_columns = 1;
        req.u.queryrows.columns.count = 1;
        req.u.queryrows.columns.v = cols;
        if (tn_call(&req, &rsp) != NSPI_SUCCESS || rsp.u.rows.rows.row_count == 0)
            break;
        for (uint32_t i = 0; i < rsp.u.rows.rows.row_count; i++)
            sorted_mid[n++] = mapi_le32(rsp.u.rows.rows.rows[i].vals[0].v.u.bytes.p);
        cur = rsp.u.rows.state.current_rec;
    }
    is_int(n, TN_TOTAL, "PidTagInstanceKey (the MId) of every row");
    int distinct = 1, range = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (sorted_mid[i] < NSPI_MID_USER_BASE || sorted_mid[i] >= NSPI_MID_USER_LIMIT)
            range = 0;
        for (uint32_t j = i + 1; j < n && distinct; j++)
            if (sorted_mid[i] == sorted_mid[j])
                distinct = 0;
    }
    ok(distinct, "MIds are distinct");
    ok(range, "MIds are outside the special values");
}

static void test_bind_unbind(void)
{
    start(NSPI_BIND);
    req.u.bind.has_state = 1;
    tn_stat(&req.u.bind.state, 0, 0);
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "Bind with code page 1252: Success");
    uint8_t zero[16] = {0};
    ok(memcmp(rsp.u.bind.server_guid, zero, 16) != 0, "Bind: a ServerGuid");
    req.u.bind.state.code_page = NSPI_CP_WINUNICODE;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "Bind with CP_WINUNICODE: InvalidCodepage");
    req.u.bind.state.code_page = 1252;
    req.u.bind.flags = 0x20;
    is_int(tn_call(&req, &rsp), NSPI_NOT_SUPPORTED, "Bind with fAnonymousLogin: NotSupported");
    req.u.bind.flags = 0;
    req.u.bind.state.code_page = 932;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "Bind with code page 932: InvalidCodepage");
    req.u.bind.state.code_page = 65001;
    {
        mapi_wr_t in, out;
        nspi_engine_result_t res;
        mapi_wr_init(&in, 0);
        mapi_wr_init(&out, 0);
        nspi_request_encode(&req, &in);
        nspi_engine_handle(&tn_ctx, "bind", in.p, in.len, &out, &res);
        is_int(res.bind_codepage, 65001, "Bind reports the code page to keep (request type case-insensitive)");
        tn_ctx.store = NULL;
        nspi_engine_handle(&tn_ctx, "Bind", in.p, in.len, &out, &res);
        is_int(res.error_code, NSPI_GENERAL_FAILURE, "Bind without a store: GeneralFailure");
        tn_ctx.store = tn_store;
        mapi_wr_free(&in);
        mapi_wr_free(&out);
    }
    start(NSPI_UNBIND);
    is_int(tn_call(&req, &rsp), NSPI_UNBIND_SUCCESS, "Unbind: UnbindSuccess");
    ok(tn_invalid("Unbind", (const uint8_t *)"\0\0", 2), "Unbind: a truncated body is invalid");
    ok(tn_invalid("Bind", (const uint8_t *)"\0\0\0\0\xff", 5), "Bind: STAT missing is invalid");
    ok(tn_invalid("NoSuchType", (const uint8_t *)"", 0), "an unknown request type is refused");
}

static uint32_t updatestat(uint32_t cur, int32_t delta, uint32_t numpos, uint32_t total, nspi_stat_t *out,
                           int32_t *moved)
{
    start(NSPI_UPDATESTAT);
    req.u.updatestat.has_state = 1;
    tn_stat(&req.u.updatestat.state, cur, delta);
    req.u.updatestat.state.num_pos = numpos;
    req.u.updatestat.state.total_recs = total;
    req.u.updatestat.delta_requested = 1;
    uint32_t ec = tn_call(&req, &rsp);
    if (out)
        *out = rsp.u.updatestat.state;
    if (moved)
        *moved = rsp.u.updatestat.delta;
    return ec;
}

static void test_updatestat(void)
{
    nspi_stat_t s;
    int32_t moved;
    is_int(updatestat(NSPI_MID_BEGINNING_OF_TABLE, 10, 0, 0, &s, &moved), NSPI_SUCCESS, "UpdateStat from the start");
    ok(s.current_rec == sorted_mid[10] && s.num_pos == 10 && s.total_recs == TN_TOTAL && s.delta == 0,
       "BEGINNING + 10: row 10, NumPos 10, TotalRecs, Delta 0");
    is_int(moved, 10, "plDelta: moved 10 rows");
    updatestat(sorted_mid[100], -30, 0, 0, &s, &moved);
    ok(s.current_rec == sorted_mid[70] && s.num_pos == 70 && moved == -30, "from row 100, Delta -30: row 70");
    updatestat(NSPI_MID_END_OF_TABLE, -1, 0, 0, &s, &moved);
    ok(s.current_rec == sorted_mid[TN_TOTAL - 1] && s.num_pos == TN_TOTAL - 1, "END - 1: the last row");
    updatestat(NSPI_MID_END_OF_TABLE, 0, 0, 0, &s, NULL);
    ok(s.current_rec == NSPI_MID_END_OF_TABLE && s.num_pos == TN_TOTAL, "END: past the last row");
    updatestat(sorted_mid[5], 5000, 0, 0, &s, &moved);
    ok(s.current_rec == NSPI_MID_END_OF_TABLE && moved == TN_TOTAL - 5, "Delta past the end clamps to END");
    updatestat(sorted_mid[5], -5000, 0, 0, &s, &moved);
    ok(s.current_rec == sorted_mid[0] && moved == -5, "Delta before the start clamps to the first row");
    updatestat(NSPI_MID_CURRENT, 0, 50, 100, &s, NULL);
    ok(s.num_pos == TN_TOTAL / 2 && s.current_rec == sorted_mid[TN_TOTAL / 2],
       "fractional positioning: NumPos 50 of 100 is the middle (%u)", s.num_pos);
    updatestat(NSPI_MID_CURRENT, 3, 1, 1, &s, NULL);
    ok(s.current_rec == NSPI_MID_END_OF_TABLE, "fractional 1/1 is the end");
    updatestat(NSPI_MID_CURRENT, 0, 5, 0, &s, NULL);
    is_int(s.num_pos, 0, "fractional with TotalRecs 0 is the start");
    is_int(updatestat(0x12345, 0, 0, 0, NULL, NULL), NSPI_NOT_FOUND, "UpdateStat with an unknown MId: NotFound");
    start(NSPI_UPDATESTAT);
    req.u.updatestat.has_state = 1;
    tn_stat(&req.u.updatestat.state, 0, 0);
    req.u.updatestat.state.container_id = 77;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_BOOKMARK, "unknown ContainerID: InvalidBookmark");
    ok(!rsp.u.updatestat.has_state, "no STAT in an error answer");
    req.u.updatestat.state.container_id = 0;
    req.u.updatestat.state.code_page = NSPI_CP_WINUNICODE;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "STAT code page CP_WINUNICODE: InvalidCodepage");
    req.u.updatestat.state.code_page = 1252;
    req.u.updatestat.state.sort_type = 7;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "unknown SortType: InvalidParameter");
    req.u.updatestat.has_state = 0;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "no STAT: InvalidParameter");
    req.u.updatestat.has_state = 1;
    req.u.updatestat.state.sort_type = 0;
    req.u.updatestat.delta_requested = 0;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "UpdateStat without plDelta");
    ok(!rsp.u.updatestat.has_delta, "no Delta in the answer when not asked");
}

static uint32_t queryrows(uint32_t cur, int32_t delta, uint32_t count, uint32_t *cols, uint32_t ncols)
{
    start(NSPI_QUERYROWS);
    req.u.queryrows.has_state = 1;
    tn_stat(&req.u.queryrows.state, cur, delta);
    req.u.queryrows.row_count = count;
    if (cols) {
        req.u.queryrows.has_columns = 1;
        req.u.queryrows.columns.count = ncols;
        req.u.queryrows.columns.v = cols;
    }
    return tn_call(&req, &rsp);
}

static void test_queryrows(void)
{
    static uint32_t cols[] = {0x3001001Eu, 0x3001001Fu, 0x3A18001Eu, 0x00000000u | (0x3001u << 16)};
    static uint32_t etable[3];
    nspi_rowset_t *rs = &rsp.u.rows.rows;

    is_int(queryrows(sorted_mid[20], 5, 3, cols, 4), NSPI_SUCCESS, "QueryRows from row 20 + 5");
    ok(rs->row_count == 3 && !strcmp(tn_str(&rs->rows[0].vals[1].v, 1252), sorted_name[25]),
       "three rows starting at row 25");
    is_int(rsp.u.rows.state.current_rec, sorted_mid[28], "STAT: CurrentRec after the rows read");
    ok(rs->rows[0].flags == 1 && rs->rows[0].vals[2].flag == NSPI_FLAG_ERROR &&
           rs->rows[0].vals[2].err == NSPI_NOT_FOUND, "a property the entry lacks: flagged NotFound");
    ok(rs->rows[0].vals[3].v.type == NSPI_PT_UNICODE, "a PtypUnspecified column carries the native type");
    is_int(rs->columns.v[0], 0x3001001E, "String8 column stays String8 with code page 1252");
    /* the non-ASCII entry in String8 / 1252 */
    uint32_t idx = 0;
    while (idx < TN_TOTAL && strncmp(sorted_name[idx], "\xc3\x85ng", 4))
        idx++;
    queryrows(sorted_mid[idx], 0, 1, cols, 2);
    ok(rs->row_count == 1 && rs->rows[0].vals[0].v.u.bytes.len > 0 && rs->rows[0].vals[0].v.u.bytes.p[0] == 0xC5,
       "String8 in code page 1252: A-ring is the byte 0xC5");
    is_str(tn_str(&rs->rows[0].vals[1].v, 0), "\xc3\x85ngstr\xc3\xb6m \xc3\x89lodie", "Unicode column: UTF-16");
    /* CP_WINUNICODE: String8 columns answered in Unicode */
    start(NSPI_QUERYROWS);
    req.u.queryrows.has_state = 1;
    tn_stat(&req.u.queryrows.state, sorted_mid[idx], 0);
    req.u.queryrows.state.code_page = NSPI_CP_WINUNICODE;
    req.u.queryrows.row_count = 1;
    req.u.queryrows.has_columns = 1;
    req.u.queryrows.columns.count = 1;
    req.u.queryrows.columns.v = cols;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "QueryRows with CP_WINUNICODE");
    ok(rs->columns.v[0] == 0x3001001F && rs->rows[0].vals[0].v.type == NSPI_PT_UNICODE,
       "CP_WINUNICODE: the String8 column comes back as PtypString");
    /* default columns */
    is_int(queryrows(NSPI_MID_BEGINNING_OF_TABLE, 0, 2, NULL, 0), NSPI_SUCCESS, "QueryRows without columns");
    ok(rs->columns.count == 7 && rs->columns.v[3] == 0x3001001E, "the default column set (7, DisplayName String8)");
    ok(rs->rows[0].vals[1].v.u.i32 == 6 && rs->rows[0].vals[2].v.u.i32 == 0,
       "ObjectType MAPI_MAILUSER, DisplayType DT_MAILUSER");
    {
        static uint32_t eid[] = {0x0FFF0102u};
        queryrows(sorted_mid[7], 0, 2, eid, 1);
        ok(rs->row_count == 2 && rs->rows[0].vals[0].v.u.bytes.len > 32 && rs->rows[0].vals[0].v.u.bytes.p[0] == 0,
           "PidTagEntryId: permanent by default (Flags 0, longer than an ephemeral id)");
        req.u.queryrows.flags = 2;
        tn_call(&req, &rsp);
        ok(rs->row_count == 2 && rs->rows[1].vals[0].v.u.bytes.len == 32 && rs->rows[1].vals[0].v.u.bytes.p[0] == 0x87 &&
               mapi_le32(rs->rows[1].vals[0].v.u.bytes.p + 28) == sorted_mid[8],
           "fEphID: ephemeral entry ids (type 0x87, the row's MId)");
    }
    /* end of table, bad values */
    is_int(queryrows(NSPI_MID_END_OF_TABLE, 0, 10, cols, 1), NSPI_SUCCESS, "QueryRows at the end");
    is_int(rs->row_count, 0, "no rows past the end");
    is_int(queryrows(0x777777, 0, 10, cols, 1), NSPI_NOT_FOUND, "QueryRows at an unknown MId: NotFound");
    start(NSPI_QUERYROWS);
    req.u.queryrows.row_count = 5;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "neither STAT nor explicit table: InvalidParameter");
    queryrows(NSPI_MID_BEGINNING_OF_TABLE, 0, 5, cols, 1);
    req.u.queryrows.state.code_page = 1;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "QueryRows with code page 1: InvalidCodepage");
    /* explicit table */
    etable[0] = sorted_mid[500];
    etable[1] = 0x4242;
    etable[2] = sorted_mid[3];
    start(NSPI_QUERYROWS);
    req.u.queryrows.explicit_table.count = 3;
    req.u.queryrows.explicit_table.v = etable;
    req.u.queryrows.row_count = 10;
    req.u.queryrows.has_columns = 1;
    req.u.queryrows.columns.count = 2;
    req.u.queryrows.columns.v = cols;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "QueryRows over an explicit table");
    ok(rs->row_count == 3 && !strcmp(tn_str(&rs->rows[0].vals[1].v, 0), sorted_name[500]) &&
           rs->rows[1].vals[1].flag == NSPI_FLAG_ERROR && !strcmp(tn_str(&rs->rows[2].vals[1].v, 0), sorted_name[3]),
       "rows in the table's order; an unknown MId's row is all NotFound");
    req.u.queryrows.row_count = 2;
    tn_call(&req, &rsp);
    is_int(rs->row_count, 2, "RowCount limits an explicit table's rows");
    req.u.queryrows.has_state = 1;
    tn_stat(&req.u.queryrows.state, 0, 0);
    req.u.queryrows.state.container_id = 99;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "with an explicit table the STAT's container does not matter");
    ok(tn_invalid("QueryRows", (const uint8_t *)"\0\0\0\0\0\5\0\0", 8), "QueryRows: truncated body");
}

static uint32_t seek(const char *target, int string8, uint32_t *etable, uint32_t n, int with_cols)
{
    static uint32_t cols[] = {0x3001001Fu};
    start(NSPI_SEEKENTRIES);
    req.u.seekentries.has_state = 1;
    tn_stat(&req.u.seekentries.state, NSPI_MID_BEGINNING_OF_TABLE, 0);
    req.u.seekentries.has_target = 1;
    req.u.seekentries.target.tag = string8 ? 0x3001001Eu : 0x3001001Fu;
    req.u.seekentries.target.v.type = string8 ? NSPI_PT_STRING8 : NSPI_PT_UNICODE;
    req.u.seekentries.target.v.present = 1;
    if (string8) {
        req.u.seekentries.target.v.u.bytes.p = (const uint8_t *)target;
        req.u.seekentries.target.v.u.bytes.len = (uint32_t)strlen(target);
    } else {
        req.u.seekentries.target.v.u.bytes = tn_w(target);
    }
    if (etable) {
        req.u.seekentries.has_explicit_table = 1;
        req.u.seekentries.explicit_table.count = n;
        req.u.seekentries.explicit_table.v = etable;
    }
    if (with_cols) {
        req.u.seekentries.has_columns = 1;
        req.u.seekentries.columns.count = 1;
        req.u.seekentries.columns.v = cols;
    }
    return tn_call(&req, &rsp);
}

static uint32_t index_of(const char *name)
{
    for (uint32_t i = 0; i < TN_TOTAL; i++)
        if (!strcmp(sorted_name[i], name))
            return i;
    return 0;
}

static void test_seekentries(void)
{
    uint32_t anna = index_of("Anna Bell"), et[4];
    is_int(seek("anna", 0, NULL, 0, 0), NSPI_SUCCESS, "SeekEntries 'anna'");
    ok(rsp.u.rows.state.current_rec == sorted_mid[anna] && rsp.u.rows.state.num_pos == anna,
       "positioned on Anna Bell (the first >= 'anna')");
    ok(!rsp.u.rows.has_cols_and_rows, "no rows without columns");
    is_int(seek("Annab", 1, NULL, 0, 1), NSPI_SUCCESS, "SeekEntries with a String8 target and columns");
    ok(rsp.u.rows.rows.row_count == TN_TOTAL - (anna + 2) &&
           !strcmp(tn_str(&rsp.u.rows.rows.rows[0].vals[0].v, 0), "Annabel Lee"),
       "rows from Annabel Lee to the end");
    is_int(seek("\xef\xbf\xbf", 0, NULL, 0, 0), NSPI_NOT_FOUND, "a target after every name: NotFound");
    et[0] = sorted_mid[900];
    et[1] = sorted_mid[anna + 1];
    et[2] = sorted_mid[10];
    et[3] = 0x999;
    is_int(seek("anna", 0, et, 4, 1), NSPI_SUCCESS, "SeekEntries over an explicit table");
    ok(rsp.u.rows.state.current_rec == sorted_mid[anna + 1] && rsp.u.rows.state.total_recs == 3 &&
           rsp.u.rows.state.num_pos == 0 && rsp.u.rows.rows.row_count == 3,
       "the table sorted, position on Anna Bella, rows to its end");
    seek("anna", 0, NULL, 0, 0);
    req.u.seekentries.target.tag = 0x39FE001Fu;
    is_int(tn_call(&req, &rsp), NSPI_GENERAL_FAILURE, "seeking a property that is not PidTagDisplayName: GeneralFailure");
    req.u.seekentries.target.tag = 0x3001001Fu;
    req.u.seekentries.state.sort_type = 3;
    is_int(tn_call(&req, &rsp), NSPI_GENERAL_FAILURE, "SortTypePhoneticDisplayName (not served): GeneralFailure");
    req.u.seekentries.state.sort_type = 0x3E8;
    is_int(tn_call(&req, &rsp), NSPI_GENERAL_FAILURE, "SortTypeDisplayName_RO: GeneralFailure");
    req.u.seekentries.state.sort_type = 0;
    req.u.seekentries.has_target = 0;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "no target: InvalidParameter");
    req.u.seekentries.has_target = 1;
    req.u.seekentries.target.tag = 0x3001001Fu;
    req.u.seekentries.state.container_id = 3;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_BOOKMARK, "SeekEntries in an unknown container: InvalidBookmark");
}

static uint32_t getmatches(mapi_restriction_t *filter, uint32_t max, int with_cols, uint32_t *mids, uint32_t n)
{
    static uint32_t cols[] = {0x3001001Fu, 0x39FE001Fu};
    start(NSPI_GETMATCHES);
    req.u.getmatches.has_state = 1;
    tn_stat(&req.u.getmatches.state, NSPI_MID_BEGINNING_OF_TABLE, 0);
    req.u.getmatches.has_filter = filter != NULL;
    req.u.getmatches.filter_tree = filter;
    req.u.getmatches.row_count = max;
    if (mids) {
        req.u.getmatches.has_mids = 1;
        req.u.getmatches.mids.count = n;
        req.u.getmatches.mids.v = mids;
    }
    if (with_cols) {
        req.u.getmatches.has_columns = 1;
        req.u.getmatches.columns.count = 2;
        req.u.getmatches.columns.v = cols;
    }
    return tn_call(&req, &rsp);
}

static void test_getmatches(void)
{
    mapi_restriction_t content, prop, not_;
    uint32_t mids[3];
    memset(&content, 0, sizeof(content));
    content.type = MAPI_RES_CONTENT;
    content.u.content.fuzzy_low = MAPI_FL_PREFIX;
    content.u.content.fuzzy_high = MAPI_FL_IGNORECASE;
    content.u.content.tag = 0x3001001Fu;
    content.u.content.value.tag = 0x3001001Fu;
    content.u.content.value.v.str = "anna";
    is_int(getmatches(&content, 50, 1, NULL, 0), NSPI_SUCCESS, "GetMatches: display name prefix 'anna'");
    ok(rsp.u.rows.has_mids && rsp.u.rows.mids.count == 3, "three matches");
    ok(rsp.u.rows.rows.row_count == 3 && !strcmp(tn_str(&rsp.u.rows.rows.rows[1].vals[0].v, 0), "Anna Bella") &&
           !strcmp(tn_str(&rsp.u.rows.rows.rows[1].vals[1].v, 0), "anna.bella@gal.test"),
       "rows for the matches, in GAL order");
    ok(rsp.u.rows.state.total_recs == 3 && rsp.u.rows.state.current_rec == NSPI_MID_BEGINNING_OF_TABLE,
       "STAT describes the explicit table");
    is_int(getmatches(&content, 2, 0, NULL, 0), NSPI_TABLE_TOO_BIG, "more matches than requested: TableTooBig");
    memset(&prop, 0, sizeof(prop));
    prop.type = MAPI_RES_PROPERTY;
    prop.u.prop.relop = MAPI_RELOP_EQ;
    prop.u.prop.tag = 0x39FE001Eu;
    prop.u.prop.value.tag = 0x39FE001Eu;
    prop.u.prop.value.v.str = "BOB@gal.test";
    is_int(getmatches(&prop, 10, 0, NULL, 0), NSPI_SUCCESS, "GetMatches: SMTP address equals (String8)");
    ok(rsp.u.rows.mids.count == 1 && rsp.u.rows.mids.v[0] == sorted_mid[index_of("Bob Builder")], "Bob");
    memset(&not_, 0, sizeof(not_));
    not_.type = MAPI_RES_NOT;
    not_.u.not_.sub = &content;
    mids[0] = sorted_mid[index_of("Anna Bell")];
    mids[1] = sorted_mid[0];
    mids[2] = 0x31337;
    is_int(getmatches(&not_, TN_TOTAL, 0, NULL, 0), NSPI_SUCCESS, "GetMatches: NOT prefix 'anna'");
    ok(rsp.u.rows.mids.count == TN_TOTAL - 3 && rsp.u.rows.mids.v[0] == sorted_mid[0], "every entry but the three");
    is_int(getmatches(&content, 10, 0, mids, 3), NSPI_TOO_COMPLEX, "MinimalIds (pReserved) present: TooComplex");
    is_int(getmatches(NULL, 10, 0, NULL, 0), NSPI_GENERAL_FAILURE,
           "no filter and no object at CurrentRec: GeneralFailure");
    getmatches(&content, 50, 0, NULL, 0);
    req.u.getmatches.has_state = 0;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "GetMatches without STAT: InvalidParameter");
    req.u.getmatches.has_state = 1;
    req.u.getmatches.state.container_id = 9;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_BOOKMARK, "GetMatches in an unknown container: InvalidBookmark");
    req.u.getmatches.state.container_id = 0;
    req.u.getmatches.has_filter = 0;
    req.u.getmatches.has_property_name = 1;
    req.u.getmatches.state.current_rec = 0x5555;
    is_int(tn_call(&req, &rsp), NSPI_GENERAL_FAILURE, "a link property of an unknown object: GeneralFailure");
    req.u.getmatches.state.current_rec = sorted_mid[0];
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "a link property of a user");
    is_int(rsp.u.rows.mids.count, 0, "users have no links: an empty table");
    /* a restriction nested deeper than the decoder allows (hand-made body:
     * the encoder refuses such a tree) */
    {
        mapi_wr_t in, out;
        nspi_engine_result_t res;
        uint8_t st[NSPI_STAT_SIZE];
        nspi_stat_t s0;
        tn_stat(&s0, 0, 0);
        nspi_stat_put(st, &s0);
        mapi_wr_init(&in, 0);
        mapi_wr_init(&out, 0);
        mapi_wr_u32(&in, 0);
        mapi_wr_u8(&in, 0xFF);
        mapi_wr_bytes(&in, st, sizeof(st));
        mapi_wr_u8(&in, 0);          /* HasMinimalIds */
        mapi_wr_u32(&in, 0);         /* InterfaceOptionFlags */
        mapi_wr_u8(&in, 0xFF);       /* HasFilter */
        for (int i = 0; i < 70; i++)
            mapi_wr_u8(&in, MAPI_RES_NOT);
        mapi_wr_u8(&in, MAPI_RES_EXIST);
        mapi_wr_u32(&in, 0x3001001Fu);
        mapi_wr_u8(&in, 0);          /* HasPropertyName */
        mapi_wr_u32(&in, 10);        /* RowCount */
        mapi_wr_u8(&in, 0);          /* HasColumns */
        mapi_wr_u32(&in, 0);         /* AuxiliaryBufferSize */
        nspi_engine_handle(&tn_ctx, "GetMatches", in.p, in.len, &out, &res);
        ok(!res.invalid_body && res.error_code == NSPI_TOO_COMPLEX && out.len == 15,
           "a restriction 70 deep: ErrorCode TooComplex, a bare answer");
        in.len = 60;                 /* inside the chain of NOTs */
        out.len = 0;
        nspi_engine_handle(&tn_ctx, "GetMatches", in.p, in.len, &out, &res);
        ok(res.invalid_body, "the same body truncated: invalid");
        mapi_wr_free(&in);
        mapi_wr_free(&out);
    }
}

/* GetMatches with PidTagAnr: ambiguous name resolution per row. */
static void test_getmatches_anr(void)
{
    mapi_restriction_t anr[3], not_, and_;
    memset(anr, 0, sizeof(anr));
    for (int i = 0; i < 3; i++) {
        anr[i].type = MAPI_RES_PROPERTY;
        anr[i].u.prop.relop = MAPI_RELOP_EQ;
        anr[i].u.prop.tag = anr[i].u.prop.value.tag = i == 2 ? 0x360C001Eu : 0x360C001Fu;
    }
    anr[0].u.prop.value.v.str = "zola";
    anr[1].u.prop.value.v.str = "Anna";
    anr[2].u.prop.value.v.str = "bella";
    is_int(getmatches(&anr[0], 10, 1, NULL, 0), NSPI_SUCCESS, "GetMatches PidTagAnr 'zola'");
    ok(rsp.u.rows.mids.count == 1 && !strcmp(tn_str(&rsp.u.rows.rows.rows[0].vals[0].v, 0), "\xc3\xa9mile Zola"),
       "ANR finds a surname (a later word of the display name)");
    getmatches(&anr[1], 10, 0, NULL, 0);
    is_int(rsp.u.rows.mids.count, 3, "ANR 'Anna': three entries");
    memset(&not_, 0, sizeof(not_));
    not_.type = MAPI_RES_NOT;
    not_.u.not_.sub = &anr[2];
    memset(&and_, 0, sizeof(and_));
    and_.type = MAPI_RES_AND;
    and_.u.andor.count = 2;
    mapi_restriction_t subs[2];
    subs[0] = anr[1];
    subs[1] = not_;
    and_.u.andor.subs = subs;
    getmatches(&and_, 10, 1, NULL, 0);
    ok(rsp.u.rows.mids.count == 2 && !strcmp(tn_str(&rsp.u.rows.rows.rows[0].vals[0].v, 0), "Anna Bell") &&
           !strcmp(tn_str(&rsp.u.rows.rows.rows[1].vals[0].v, 0), "Annabel Lee"),
       "AND(ANR 'Anna', NOT ANR 'bella' (String8)): Anna Bell and Annabel Lee");
    anr[0].u.prop.value.v.str = "user00";
    is_int(getmatches(&anr[0], 200, 0, NULL, 0), NSPI_SUCCESS, "ANR by SMTP address / alias prefix");
    is_int(rsp.u.rows.mids.count, 100, "'user00': user0000 .. user0099");
    anr[0].u.prop.value.v.str = "";
    getmatches(&anr[0], 10, 0, NULL, 0);
    is_int(rsp.u.rows.mids.count, 0, "an empty ANR string matches nothing");
}

static void test_comparemids_resort(void)
{
    uint32_t in[5];
    start(NSPI_COMPAREMIDS);
    req.u.comparemids.mid1 = sorted_mid[3];
    req.u.comparemids.mid2 = sorted_mid[700];
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "CompareMIds");
    ok(rsp.u.comparemids.result < 0, "row 3 is before row 700");
    req.u.comparemids.mid1 = sorted_mid[800];
    tn_call(&req, &rsp);
    ok(rsp.u.comparemids.result > 0, "row 800 is after row 700");
    req.u.comparemids.mid2 = sorted_mid[800];
    tn_call(&req, &rsp);
    is_int(rsp.u.comparemids.result, 0, "a row equals itself");
    req.u.comparemids.mid2 = NSPI_MID_END_OF_TABLE;
    is_int(tn_call(&req, &rsp), NSPI_GENERAL_FAILURE, "MID_END_OF_TABLE names no object: GeneralFailure");
    req.u.comparemids.mid2 = 0x66666;
    is_int(tn_call(&req, &rsp), NSPI_GENERAL_FAILURE, "CompareMIds with an unknown MId: GeneralFailure");
    req.u.comparemids.has_state = 1;
    tn_stat(&req.u.comparemids.state, 0, 0);
    req.u.comparemids.state.code_page = 12345;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_CODEPAGE, "CompareMIds with a bad code page: InvalidCodepage");

    in[0] = sorted_mid[40];
    in[1] = sorted_mid[2];
    in[2] = 0x4444;
    in[3] = sorted_mid[999];
    in[4] = sorted_mid[2];
    start(NSPI_RESORTRESTRICTION);
    req.u.resortrestriction.has_state = 1;
    tn_stat(&req.u.resortrestriction.state, sorted_mid[40], 0);
    req.u.resortrestriction.has_mids = 1;
    req.u.resortrestriction.mids.count = 5;
    req.u.resortrestriction.mids.v = in;
    is_int(tn_call(&req, &rsp), NSPI_SUCCESS, "ResortRestriction");
    ok(rsp.u.resortrestriction.mids.count == 3 && rsp.u.resortrestriction.mids.v[0] == sorted_mid[2] &&
           rsp.u.resortrestriction.mids.v[1] == sorted_mid[40] && rsp.u.resortrestriction.mids.v[2] == sorted_mid[999],
       "sorted by display name; unknown and repeated MIds dropped");
    ok(rsp.u.resortrestriction.state.total_recs == 3 && rsp.u.resortrestriction.state.num_pos == 1 &&
           rsp.u.resortrestriction.state.current_rec == sorted_mid[40], "STAT keeps CurrentRec at its new place");
    req.u.resortrestriction.state.sort_type = 3;
    is_int(tn_call(&req, &rsp), NSPI_GENERAL_FAILURE, "ResortRestriction by phonetic name (not served): GeneralFailure");
    req.u.resortrestriction.state.sort_type = 0;
    req.u.resortrestriction.has_mids = 0;
    is_int(tn_call(&req, &rsp), NSPI_INVALID_PARAMETER, "ResortRestriction without MIds: InvalidParameter");
}

int main(void)
{
    if (tn_setup("tables") || tn_populate()) {
        ok(0, "test store");
        return done_testing();
    }
    test_bind_unbind();
    test_queryrows_paging();
    collect_mids();
    test_updatestat();
    test_queryrows();
    test_seekentries();
    test_getmatches();
    test_getmatches_anr();
    test_comparemids_resort();
    for (uint32_t i = 0; i < TN_TOTAL; i++)
        free(sorted_name[i]);
    tn_teardown();
    return done_testing();
}
