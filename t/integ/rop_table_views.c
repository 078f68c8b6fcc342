/*
 * Wire tests of table views ([MS-OXCTABL]): answers that stop at whole
 * rows when the buffer is full (3.2.5.5), categorized views (3.2.5.2,
 * ExpandRow/CollapseRow/collapse state) and multi-valued instance columns.
 * Folders and messages are made with the store API in alice's mailbox and
 * removed with RopDeleteFolder.
 */
#include "tap.h"
#include "rop_table_util.h"
#include "mapistore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NBIG 150
static uint64_t big_fid;

/* A folder under the Inbox with NBIG messages whose rows are ~500 bytes
 * each, more than one QueryRows answer holds. */
static int seed_big_folder(void)
{
    const char *root = getenv("MH_STORE"), *guid = getenv("MH_MAILBOX_alice"), *user = getenv("MH_APACHE_USER");
    ms_store_t *st;
    ms_mailbox_t *mbx;
    ms_txn_t *txn;
    char name[64], subj[300];
    int i, r = 0;
    if (!root || !guid || ms_store_open(root, 0, &st) != MS_OK)
        return -1;
    if (ms_mailbox_open(st, MS_LOOKUP_GUID, guid, &mbx) != MS_OK) {
        ms_store_close(st);
        return -1;
    }
    snprintf(name, sizeof(name), "big %d", (int)getpid());
    if (ms_txn_begin(mbx, MS_TXN_WRITE, &txn) != MS_OK ||
        ms_folder_create(txn, mbx, ms_special_folder_id(MS_FOLDER_INBOX), name, NULL, 0, &big_fid) != MS_OK)
        r = -1;
    for (i = 0; r == 0 && i < NBIG; i++) {
        ms_message_t *m;
        ms_propval_t v;
        memset(subj, 'x', 240);
        snprintf(subj + 240, sizeof(subj) - 240, " %03d", i); /* subject order = creation order */
        v.tag = MS_PR_SUBJECT;
        v.value.str = subj;
        if (ms_message_create(mbx, big_fid, 0, &m) != MS_OK)
            r = -1;
        else {
            if (ms_message_set_props(m, &v, 1) != MS_OK || ms_message_save(txn, m) != MS_OK)
                r = -1;
            ms_message_free(m);
        }
    }
    if (r == 0 && ms_txn_commit(txn) != MS_OK)
        r = -1;
    else if (r != 0)
        ms_txn_abort(txn);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    if (user && *user && geteuid() == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd), "chown -R '%s' '%s'", user, root);
        if (system(cmd) != 0)
            r = -1;
    }
    return r;
}

/* 3.2.5.5: whole rows, as many as fit; the cursor stays after the last
 * row sent, forward and backward. */
static void test_big_pages(ropcli_t *rc)
{
    uint32_t tags[1] = {T_SUBJECT};
    mapi_tagarray_t cols = {1, tags};
    mapi_sort_order_t by_subject = {MAPI_PT_UNICODE, 0x0037, 0};
    mapi_rop_req_t r;
    mapi_rop_resp_t *p;
    uint32_t got = 0, pages = 0, first_page = 0, i;
    int in_order = 1;
    char want[16];
    struct timespec t0, t1;

    ok(seed_big_folder() == 0, "%d messages with long subjects in a new folder (store API)", NBIG);
    r = rq(ROP_OPEN_FOLDER, 0, 7);
    r.u.open_folder.folder_id = big_fid;
    is_int(ret_of(rc, &r), 0, "OpenFolder");
    r = rq(ROP_GET_CONTENTS_TABLE, 7, 8);
    r.u.table.table_flags = 0x40;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.table.row_count == NBIG, "GetContentsTable: %d rows", NBIG);
    is_int(set_columns(rc, 8, &cols), 0, "SetColumns(subject)");
    r = rq(ROP_SORT_TABLE, 8, 0);
    r.u.sort_table.count = 1;
    r.u.sort_table.orders = &by_subject;
    is_int(ret_of(rc, &r), 0, "SortTable(subject)");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (got < NBIG && pages < 20) {
        r = rq(ROP_QUERY_ROWS, 8, 0);
        r.u.query_rows.forward = 1;
        r.u.query_rows.count = 1000;
        p = one(rc, &r, &cols);
        if (!p || p->ret != 0 || p->u.query_rows.count == 0)
            break;
        if (!pages)
            first_page = p->u.query_rows.count;
        for (i = 0; i < p->u.query_rows.count; i++) {
            snprintf(want, sizeof(want), " %03u", got + i);
            if (strlen(p->u.query_rows.rows.vals[i].v.str) < 4 ||
                strcmp(p->u.query_rows.rows.vals[i].v.str + strlen(p->u.query_rows.rows.vals[i].v.str) - 4, want) != 0)
                in_order = 0;
        }
        got += p->u.query_rows.count;
        pages++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    diag("%u QueryRows pages of ~28 KB over HTTPS: %.1f ms each", pages,
         pages ? ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) / pages : 0.0);
    ok(first_page > 0 && first_page < NBIG, "one answer holds %u of the %d rows", first_page, NBIG);
    ok(got == NBIG && pages > 1, "%u pages bring every row (%u)", pages, got);
    ok(in_order, "in order, none skipped or repeated");
    r = rq(ROP_QUERY_ROWS, 8, 0);
    r.u.query_rows.forward = 0;
    r.u.query_rows.count = 1000;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count > 0 && p->u.query_rows.count < NBIG, "backward from the end: %u rows",
       p ? p->u.query_rows.count : 0);
    if (p && p->ret == 0 && p->u.query_rows.count > 0) {
        uint32_t k = p->u.query_rows.count;
        const char *last = p->u.query_rows.rows.vals[k - 1].v.str, *firstr = p->u.query_rows.rows.vals[0].v.str;
        snprintf(want, sizeof(want), " %03d", NBIG - 1);
        ok(strcmp(last + strlen(last) - 4, want) == 0, "the last row is the table's last");
        snprintf(want, sizeof(want), " %03u", NBIG - k);
        ok(strcmp(firstr + strlen(firstr) - 4, want) == 0, "rows in table order, the first is row %u", NBIG - k);
        r = rq(ROP_QUERY_POSITION, 8, 0);
        p = one(rc, &r, NULL);
        ok(p && p->ret == 0 && p->u.query_position.numerator == NBIG - k, "the cursor is on that first row");
    }
    r = rq(ROP_DELETE_FOLDER, 3, 0);
    r.u.delete_folder.folder_id = big_fid;
    r.u.delete_folder.flags = 0x15;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && !p->u.partial.partial, "the big folder goes");
}

static uint64_t cat_fid;

/* A folder with 3 messages from Bob (one unread) and 2 from Carol. */
static int seed_categories(void)
{
    const char *root = getenv("MH_STORE"), *guid = getenv("MH_MAILBOX_alice"), *user = getenv("MH_APACHE_USER");
    ms_store_t *st;
    ms_mailbox_t *mbx;
    char name[64], subj[64];
    int i, r = 0;
    if (!root || !guid || ms_store_open(root, 0, &st) != MS_OK)
        return -1;
    if (ms_mailbox_open(st, MS_LOOKUP_GUID, guid, &mbx) != MS_OK) {
        ms_store_close(st);
        return -1;
    }
    snprintf(name, sizeof(name), "categories %d", (int)getpid());
    if (ms_folder_create(NULL, mbx, ms_special_folder_id(MS_FOLDER_INBOX), name, NULL, 0, &cat_fid) != MS_OK)
        r = -1;
    for (i = 0; r == 0 && i < 5; i++) {
        ms_message_t *m;
        ms_propval_t v[4];
        snprintf(subj, sizeof(subj), "categorized %d", i);
        memset(v, 0, sizeof(v));
        v[0].tag = MS_PR_SUBJECT;
        v[0].value.str = subj;
        v[1].tag = MS_PR_SENDER_NAME;
        v[1].value.str = (char *)(i < 3 ? "Bob" : "Carol");
        v[2].tag = MS_PR_MESSAGE_DELIVERY_TIME;
        v[2].value.ft = 133000000000000000ull + (uint64_t)i * 10000000ull;
        v[3].tag = MS_PR_MESSAGE_FLAGS;
        v[3].value.l = i == 1 ? 0 : (int32_t)MS_MSGFLAG_READ;
        if (ms_message_create(mbx, cat_fid, 0, &m) != MS_OK)
            r = -1;
        else {
            if (ms_message_set_props(m, v, 4) != MS_OK || ms_message_save(NULL, m) != MS_OK)
                r = -1;
            ms_message_free(m);
        }
    }
    ms_mailbox_close(mbx);
    ms_store_close(st);
    if (user && *user && geteuid() == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd), "chown -R '%s' '%s'", user, root);
        if (system(cmd) != 0)
            r = -1;
    }
    return r;
}

#define T_DEPTH MAPI_PROP_TAG(0x3005, MAPI_PT_LONG)
#define T_INST_ID MAPI_PROP_TAG(0x674D, MAPI_PT_I8)
#define NCAT 7

/* Rows of the categorized table at handle 10 from the beginning. */
static mapi_rop_resp_t *cat_rows(ropcli_t *rc, mapi_tagarray_t *cols)
{
    mapi_rop_req_t r = rq(ROP_SEEK_ROW, 10, 0);
    ret_of(rc, &r);
    r = rq(ROP_QUERY_ROWS, 10, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 100;
    return one(rc, &r, cols);
}

/* [MS-OXCTABL] 3.2.5.2 categorized views: header rows, expand, collapse,
 * collapse state. */
static void test_categories(ropcli_t *rc)
{
    uint32_t tags[NCAT] = {T_SENDER, T_SUBJECT, T_ROW_TYPE, T_DEPTH, T_INST_ID, T_CONTENT, T_UNREAD};
    mapi_tagarray_t cols = {NCAT, tags};
    mapi_sort_order_t orders[2] = {{MAPI_PT_UNICODE, 0x0C1A, 0}, {MAPI_PT_SYSTIME, 0x0E06, 1}};
    mapi_rop_req_t r;
    mapi_rop_resp_t *p;
    uint64_t bob = 0, carol = 0;
    mapi_bin_t state = {0, NULL};
    uint8_t statebuf[256];

    ok(seed_categories() == 0, "5 messages from two senders in a new folder (store API)");
    r = rq(ROP_OPEN_FOLDER, 0, 9);
    r.u.open_folder.folder_id = cat_fid;
    is_int(ret_of(rc, &r), 0, "OpenFolder");
    r = rq(ROP_GET_CONTENTS_TABLE, 9, 10);
    r.u.table.table_flags = 0x40;
    is_int(ret_of(rc, &r), 0, "GetContentsTable");
    is_int(set_columns(rc, 10, &cols), 0, "SetColumns(sender, subject, row type, depth, inst id, counts)");
    r = rq(ROP_SORT_TABLE, 10, 0);
    r.u.sort_table.count = 2;
    r.u.sort_table.categories = 1;
    r.u.sort_table.expanded = 1;
    r.u.sort_table.orders = orders;
    is_int(ret_of(rc, &r), 0, "SortTable(by sender, categorized, expanded; then delivery time desc)");
    p = cat_rows(rc, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 7, "7 rows: 2 headers and 5 leaves (%u)", p ? p->u.query_rows.count : 0);
    if (p && p->ret == 0 && p->u.query_rows.count == 7) {
        const mapi_propval_t *v = p->u.query_rows.rows.vals;
        ok(v[0].tag == T_SENDER && strcmp(v[0].v.str, "Bob") == 0 && v[2].v.i32 == 3 && v[3].v.i32 == 0,
           "row 0: Bob's header, expanded, depth 0");
        ok(v[5].tag == T_CONTENT && v[5].v.i32 == 3 && v[6].tag == T_UNREAD && v[6].v.i32 == 1,
           "with 3 messages, 1 unread");
        ok(MAPI_PROP_TYPE(v[1].tag) == MAPI_PT_ERROR, "a header has no subject");
        ok(v[NCAT + 2].v.i32 == 1 && v[NCAT + 3].v.i32 == 1 && strcmp(v[NCAT + 1].v.str, "categorized 2") == 0,
           "row 1: a leaf at depth 1, the newest of Bob's");
        ok(strcmp(v[4 * NCAT].v.str, "Carol") == 0 && v[4 * NCAT + 2].v.i32 == 3 && v[4 * NCAT + 5].v.i32 == 2,
           "row 4: Carol's header with 2 messages");
        bob = (uint64_t)v[4].v.i64;
        carol = (uint64_t)v[4 * NCAT + 4].v.i64;
        ok(bob && carol && bob != carol, "headers have distinct category ids");
    }
    r = rq(ROP_COLLAPSE_ROW, 10, 0);
    r.u.collapse_row.category_id = bob;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.collapse_row.collapsed == 3, "CollapseRow(Bob) hides 3 rows");
    is_int(ret_of(rc, &r), MAPI_EC_NOT_EXPANDED, "CollapseRow twice: ecNotExpanded");
    p = cat_rows(rc, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 4 && p->u.query_rows.rows.vals[2].v.i32 == 4,
       "4 rows now, Bob's header collapsed (TBL_COLLAPSED_CATEGORY)");
    r = rq(ROP_GET_COLLAPSE_STATE, 10, 0);
    r.u.get_collapse_state.row_id = carol;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.collapse_state.state.len > 0 && p->u.collapse_state.state.len <= sizeof(statebuf),
       "GetCollapseState");
    if (p && p->ret == 0 && p->u.collapse_state.state.len <= sizeof(statebuf)) {
        memcpy(statebuf, p->u.collapse_state.state.data, p->u.collapse_state.state.len);
        state.data = statebuf;
        state.len = p->u.collapse_state.state.len;
    }
    r = rq(ROP_EXPAND_ROW, 10, 0);
    r.u.expand_row.category_id = bob;
    r.u.expand_row.max_rows = 2;
    {
        const mapi_tagarray_t *cl[1] = {&cols};
        mapi_rop_resp_t er;
        size_t n;
        ok(ropcli_exec(rc, &r, 1, cl, &er, &n) == 0 && n == 1 && er.ret == 0 && er.u.expand_row.expanded == 3 &&
               er.u.expand_row.count == 2 && er.u.expand_row.rows.vals[1].tag == T_SUBJECT,
           "ExpandRow(Bob, 2): 3 rows expanded, the first 2 sent");
    }
    is_int(ret_of(rc, &r), MAPI_EC_NOT_COLLAPSED, "ExpandRow twice: ecNotCollapsed");
    r.u.expand_row.category_id = 0x1234000000000000ull;
    is_int(ret_of(rc, &r), MAPI_EC_NOT_FOUND, "ExpandRow of no category: ecNotFound");
    p = cat_rows(rc, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 7, "7 rows again");
    r = rq(ROP_SET_COLLAPSE_STATE, 10, 0);
    r.u.set_collapse_state.state = state;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.bookmark.bookmark.len == 4, "SetCollapseState gives a bookmark");
    r = rq(ROP_QUERY_POSITION, 10, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.query_position.numerator == 1 && p->u.query_position.denominator == 4,
       "Bob collapsed again, the cursor on Carol's header (row 1 of 4)");
    r = rq(ROP_SORT_TABLE, 10, 0);
    r.u.sort_table.count = 2;
    r.u.sort_table.categories = 1;
    r.u.sort_table.expanded = 0;
    r.u.sort_table.orders = orders;
    is_int(ret_of(rc, &r), 0, "SortTable(categorized, none expanded)");
    p = cat_rows(rc, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 2, "2 header rows, all collapsed (a new sort starts from the defaults; %u rows)",
       p ? p->u.query_rows.count : 0);
    r = rq(ROP_DELETE_FOLDER, 3, 0);
    r.u.delete_folder.folder_id = cat_fid;
    r.u.delete_folder.flags = 0x15;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && !p->u.partial.partial, "the folder goes");
}

#define T_KEYWORDS_MV MAPI_PROP_TAG(0x7FF0, MAPI_PT_MV_UNICODE)
#define T_KEYWORDS_MVI MAPI_PROP_TAG(0x7FF0, MAPI_PT_MV_UNICODE | MAPI_PT_MV_INSTANCE)
static uint64_t mvi_fid;

/* Three messages with keywords {red, blue}, {red} and none. */
static int seed_keywords(void)
{
    static char *both[2] = {(char *)"red", (char *)"blue"}, *red[1] = {(char *)"red"};
    const char *root = getenv("MH_STORE"), *guid = getenv("MH_MAILBOX_alice"), *user = getenv("MH_APACHE_USER");
    ms_store_t *st;
    ms_mailbox_t *mbx;
    char name[64];
    int i, r = 0;
    if (!root || !guid || ms_store_open(root, 0, &st) != MS_OK)
        return -1;
    if (ms_mailbox_open(st, MS_LOOKUP_GUID, guid, &mbx) != MS_OK) {
        ms_store_close(st);
        return -1;
    }
    snprintf(name, sizeof(name), "keywords %d", (int)getpid());
    if (ms_folder_create(NULL, mbx, ms_special_folder_id(MS_FOLDER_INBOX), name, NULL, 0, &mvi_fid) != MS_OK)
        r = -1;
    for (i = 0; r == 0 && i < 3; i++) {
        ms_message_t *m;
        ms_propval_t v[2];
        memset(v, 0, sizeof(v));
        v[0].tag = MS_PR_SUBJECT;
        v[0].value.str = (char *)(i == 0 ? "both" : i == 1 ? "red only" : "none");
        v[1].tag = MS_PROP_TAG(MS_PT_MV_UNICODE, 0x7FF0);
        v[1].value.mv.count = i == 0 ? 2 : 1;
        v[1].value.mv.v.str = i == 0 ? both : red;
        if (ms_message_create(mbx, mvi_fid, 0, &m) != MS_OK)
            r = -1;
        else {
            if (ms_message_set_props(m, v, i == 2 ? 1 : 2) != MS_OK || ms_message_save(NULL, m) != MS_OK)
                r = -1;
            ms_message_free(m);
        }
    }
    ms_mailbox_close(mbx);
    ms_store_close(st);
    if (user && *user && geteuid() == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof(cmd), "chown -R '%s' '%s'", user, root);
        if (system(cmd) != 0)
            r = -1;
    }
    return r;
}

/* [MS-OXCTABL] 2.2.2.1.2 multi-valued instance columns: one row per value;
 * grouped by that column, as Outlook groups by categories. */
static void test_mv_instances(ropcli_t *rc)
{
    uint32_t tags[4] = {T_KEYWORDS_MVI, T_SUBJECT, T_INSTANCE_NUM, T_ROW_TYPE};
    mapi_tagarray_t cols = {4, tags};
    mapi_sort_order_t by_kw[2] = {{MAPI_PT_MV_UNICODE | MAPI_PT_MV_INSTANCE, 0x7FF0, 0}, {MAPI_PT_UNICODE, 0x0037, 0}};
    mapi_rop_req_t r;
    mapi_rop_resp_t *p;

    ok(seed_keywords() == 0, "messages with keywords {red, blue}, {red} and none (store API)");
    r = rq(ROP_OPEN_FOLDER, 0, 11);
    r.u.open_folder.folder_id = mvi_fid;
    is_int(ret_of(rc, &r), 0, "OpenFolder");
    r = rq(ROP_GET_CONTENTS_TABLE, 11, 12);
    r.u.table.table_flags = 0x40;
    is_int(ret_of(rc, &r), 0, "GetContentsTable");
    is_int(set_columns(rc, 12, &cols), 0, "SetColumns(keywords with the MV-instance bit, subject, instance num)");
    r = rq(ROP_SORT_TABLE, 12, 0);
    r.u.sort_table.count = 2;
    r.u.sort_table.orders = by_kw;
    is_int(ret_of(rc, &r), 0, "SortTable(keyword, subject)");
    r = rq(ROP_QUERY_ROWS, 12, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 20;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 4, "4 rows: one per keyword, one without (%u)",
       p ? p->u.query_rows.count : 0);
    if (p && p->ret == 0 && p->u.query_rows.count == 4) {
        const mapi_propval_t *v = p->u.query_rows.rows.vals;
        ok(MAPI_PROP_TYPE(v[0].tag) == MAPI_PT_ERROR && strcmp(v[1].v.str, "none") == 0,
           "the message without keywords first (missing sorts low)");
        ok(v[4].tag == MAPI_PROP_TAG(0x7FF0, MAPI_PT_UNICODE) && strcmp(v[4].v.str, "blue") == 0 &&
               strcmp(v[5].v.str, "both") == 0 && v[6].v.i32 == 2,
           "then 'blue' (the second instance of 'both')");
        ok(strcmp(v[8].v.str, "red") == 0 && strcmp(v[9].v.str, "both") == 0 && v[10].v.i32 == 1 &&
               strcmp(v[12].v.str, "red") == 0 && strcmp(v[13].v.str, "red only") == 0,
           "then the two 'red' rows, single values of the column's base type");
    }
    r = rq(ROP_SORT_TABLE, 12, 0);
    r.u.sort_table.count = 2;
    r.u.sort_table.categories = 1;
    r.u.sort_table.expanded = 0;
    r.u.sort_table.orders = by_kw;
    is_int(ret_of(rc, &r), 0, "SortTable(grouped by keyword, collapsed)");
    r = rq(ROP_QUERY_ROWS, 12, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 20;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 3 && p->u.query_rows.rows.vals[3].v.i32 == 4,
       "3 collapsed headers: none, blue, red (%u)", p ? p->u.query_rows.count : 0);
    r = rq(ROP_DELETE_FOLDER, 3, 0);
    r.u.delete_folder.folder_id = mvi_fid;
    r.u.delete_folder.flags = 0x15;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && !p->u.partial.partial, "the folder goes");
}

int main(void)
{
    ropcli_t rc;
    mapi_rop_resp_t logon;
    mapi_rop_req_t r;
    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    ok(ropcli_open(&rc, "alice") == 0, "alice connects");
    ok(ropcli_logon(&rc, 0, &logon) == 0, "RopLogon");
    r = rq(ROP_OPEN_FOLDER, 0, 3); /* the parent of the test folders */
    r.u.open_folder.folder_id = logon.u.logon.folder_ids[4];
    is_int(ret_of(&rc, &r), 0, "OpenFolder(Inbox)");
    test_big_pages(&rc);
    test_categories(&rc);
    test_mv_instances(&rc);
    ropcli_close(&rc);
    return done_testing();
}
