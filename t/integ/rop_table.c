/*
 * Wire tests of the folder-table ROPs ([MS-OXCTABL]) through Apache: the
 * first start of Outlook (folder list, Inbox view) and an error case per
 * table ROP. Messages are put into alice's Inbox with the store API.
 */
#include "tap.h"
#include "rop_table_util.h"
#include "mapistore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NMSG 3
static uint64_t seeded_mid[NMSG];
static char seeded_subject[NMSG][64];
static uint64_t seeded_time[NMSG];

/* Three messages in alice's Inbox, delivered in the future so that they
 * come first when the view is sorted by delivery time, newest first. */
static int seed_inbox(void)
{
    const char *root = getenv("MH_STORE"), *guid = getenv("MH_MAILBOX_alice"), *user = getenv("MH_APACHE_USER");
    ms_store_t *st;
    ms_mailbox_t *mbx;
    int i, r = 0;
    if (!root || !guid || ms_store_open(root, 0, &st) != MS_OK)
        return -1;
    if (ms_mailbox_open(st, MS_LOOKUP_GUID, guid, &mbx) != MS_OK) {
        ms_store_close(st);
        return -1;
    }
    for (i = 0; i < NMSG && r == 0; i++) {
        ms_message_t *m;
        ms_propval_t v[4];
        snprintf(seeded_subject[i], sizeof(seeded_subject[i]), "table test %d %c", (int)getpid(), 'A' + i);
        /* 2090-01-01 plus i hours plus the pid, so reruns sort after each other */
        seeded_time[i] = 148250880000000000ull + (uint64_t)getpid() * 10000000ull + (uint64_t)i * 36000000000ull;
        memset(v, 0, sizeof(v));
        v[0].tag = MS_PR_SUBJECT;
        v[0].value.str = seeded_subject[i];
        v[1].tag = MS_PR_SENDER_NAME;
        v[1].value.str = (char *)(i == 1 ? "Bob Sender" : "Carol Sender");
        v[2].tag = MS_PR_MESSAGE_DELIVERY_TIME;
        v[2].value.ft = seeded_time[i];
        v[3].tag = MS_PR_MESSAGE_FLAGS;
        v[3].value.l = i == 0 ? (int32_t)MS_MSGFLAG_READ : 0;
        if (ms_message_create(mbx, ms_special_folder_id(MS_FOLDER_INBOX), 0, &m) != MS_OK)
            r = -1;
        else {
            if (ms_message_set_props(m, v, 4) != MS_OK || ms_message_save(NULL, m) != MS_OK)
                r = -1;
            seeded_mid[i] = ms_message_mid(m);
            ms_message_free(m);
        }
    }
    ms_mailbox_close(mbx);
    ms_store_close(st);
    if (user && *user && geteuid() == 0) { /* Apache's user must keep reading and writing the store */
        char cmd[1024];
        snprintf(cmd, sizeof(cmd), "chown -R '%s' '%s'", user, root);
        if (system(cmd) != 0)
            r = -1;
    }
    return r;
}

static uint64_t attach_mid;

/* A message with three attachments in alice's Inbox (store API). */
static int seed_attachments(void)
{
    static const char *names[3] = {"beta.txt", "alpha.txt", "gamma.txt"};
    const char *root = getenv("MH_STORE"), *guid = getenv("MH_MAILBOX_alice"), *user = getenv("MH_APACHE_USER");
    ms_store_t *st;
    ms_mailbox_t *mbx;
    ms_message_t *m;
    int i, r = 0;
    if (!root || !guid || ms_store_open(root, 0, &st) != MS_OK)
        return -1;
    if (ms_mailbox_open(st, MS_LOOKUP_GUID, guid, &mbx) != MS_OK) {
        ms_store_close(st);
        return -1;
    }
    if (ms_message_create(mbx, ms_special_folder_id(MS_FOLDER_INBOX), 0, &m) != MS_OK)
        r = -1;
    for (i = 0; r == 0 && i < 3; i++) {
        uint32_t num;
        ms_propval_t v[3];
        memset(v, 0, sizeof(v));
        v[0].tag = MS_PROP_TAG(MS_PT_UNICODE, 0x3707);
        v[0].value.str = (char *)names[i];
        v[1].tag = MS_PR_ATTACH_METHOD;
        v[1].value.l = 1;
        v[2].tag = MS_PR_ATTACH_DATA_BIN;
        v[2].value.bin.cb = (uint32_t)(10 * (i + 1));
        v[2].value.bin.pb = (uint8_t *)"0123456789012345678901234567890123456789";
        if (ms_message_create_attach(m, &num) != MS_OK || ms_message_set_attach_props(m, num, v, 3) != MS_OK)
            r = -1;
    }
    if (r == 0 && ms_message_save(NULL, m) != MS_OK)
        r = -1;
    if (r == 0)
        attach_mid = ms_message_mid(m);
    if (m)
        ms_message_free(m);
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

/* Logon -> IPM subtree -> hierarchy table: every special folder of
 * [MS-OXOSFLD] 2.2 with its container class. */
static void test_folder_list(ropcli_t *rc, const mapi_rop_resp_t *logon)
{
    static const struct { const char *name; const char *cls; int which; } specials[] = {
        {"Inbox", "IPF.Note", 4},        {"Outbox", "IPF.Note", 5},     {"Sent Items", "IPF.Note", 6},
        {"Deleted Items", "IPF.Note", 7}, {"Calendar", "IPF.Appointment", -1},
        {"Contacts", "IPF.Contact", -1}, {"Journal", "IPF.Journal", -1}, {"Notes", "IPF.StickyNote", -1},
        {"Tasks", "IPF.Task", -1},        {"Drafts", "IPF.Note", -1},    {"Junk E-mail", "IPF.Note", -1}};
    uint32_t tags[] = {T_DISPLAY_NAME, T_FID, T_CONTENT, T_UNREAD, T_SUBFOLDERS, T_CLASS};
    mapi_tagarray_t cols = {6, tags};
    mapi_rop_req_t r = rq(ROP_OPEN_FOLDER, 0, 1);
    mapi_rop_resp_t *p;
    uint32_t nrows, i, k;

    r.u.open_folder.folder_id = logon->u.logon.folder_ids[3];
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0, "OpenFolder(IPM subtree)");
    r = rq(ROP_GET_HIERARCHY_TABLE, 1, 2);
    r.u.table.table_flags = 0x40; /* UseUnicode */
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.table.row_count >= 11, "GetHierarchyTable: %u rows", p ? p->u.table.row_count : 0);
    nrows = p ? p->u.table.row_count : 0;
    is_int(set_columns(rc, 2, &cols), 0, "SetColumns(display name, folder id, counts, subfolders, class)");
    r = rq(ROP_QUERY_ROWS, 2, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 200;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0, "QueryRows");
    if (!p || p->ret != 0)
        return;
    is_int(p->u.query_rows.count, nrows, "every row in one answer");
    is_int(p->u.query_rows.origin, 2, "Origin BOOKMARK_END after reading all");
    for (k = 0; k < sizeof(specials) / sizeof(specials[0]); k++) {
        int found = 0;
        for (i = 0; i < p->u.query_rows.count; i++) {
            const mapi_propval_t *dn = col(p, &cols, i, T_DISPLAY_NAME), *cl = col(p, &cols, i, T_CLASS);
            const mapi_propval_t *fid = col(p, &cols, i, T_FID), *cnt = col(p, &cols, i, T_CONTENT);
            const mapi_propval_t *sub = col(p, &cols, i, T_SUBFOLDERS);
            if (dn->tag != T_DISPLAY_NAME || strcmp(dn->v.str, specials[k].name) != 0)
                continue;
            found = 1;
            ok(cl->tag == T_CLASS && strcmp(cl->v.str, specials[k].cls) == 0, "%s has class %s (%s)",
               specials[k].name, specials[k].cls, cl->tag == T_CLASS ? cl->v.str : "none");
            if (specials[k].which >= 0)
                ok(fid->tag == T_FID && (uint64_t)fid->v.i64 == logon->u.logon.folder_ids[specials[k].which],
                   "%s row has the folder id RopLogon gave", specials[k].name);
            ok(cnt->tag == T_CONTENT && cnt->v.i32 >= 0 && sub->tag == T_SUBFOLDERS,
               "%s row has a content count (%d) and PidTagSubfolders", specials[k].name, cnt->v.i32);
        }
        ok(found, "%s is in the IPM subtree", specials[k].name);
    }
}

/* The whole folder tree from the root (Depth): nested folders come with
 * their depth right after their parent. */
static void test_depth(ropcli_t *rc)
{
    uint32_t tags[3] = {T_DISPLAY_NAME, MAPI_PROP_TAG(0x3005, MAPI_PT_LONG), T_FID};
    mapi_tagarray_t cols = {3, tags};
    mapi_rop_req_t r = rq(ROP_GET_HIERARCHY_TABLE, 0, 5);
    mapi_rop_resp_t *p;
    uint32_t i, n;
    int ipm_depth = -1, inbox_depth = -1, conflicts_depth = -1, plain;

    is_int(ret_of(rc, &r), MAPI_EC_NOT_SUPPORTED, "GetHierarchyTable on the logon: ecNotSupported");
    r = rq(ROP_OPEN_FOLDER, 0, 5);
    r.u.open_folder.folder_id = ms_special_folder_id(MS_FOLDER_ROOT);
    is_int(ret_of(rc, &r), 0, "OpenFolder(root)");
    r = rq(ROP_GET_HIERARCHY_TABLE, 5, 6);
    p = one(rc, &r, NULL);
    plain = p && p->ret == 0 ? (int)p->u.table.row_count : -1;
    r.u.table.table_flags = 0x04 | 0x40; /* Depth | UseUnicode */
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && (int)p->u.table.row_count > plain && plain > 0,
       "with Depth the root's table has every folder (%d > %d)", p ? (int)p->u.table.row_count : -1, plain);
    n = p ? p->u.table.row_count : 0;
    is_int(set_columns(rc, 6, &cols), 0, "SetColumns(name, depth, fid)");
    r = rq(ROP_QUERY_ROWS, 6, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 500;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == n, "QueryRows gets them all");
    for (i = 0; p && p->ret == 0 && i < p->u.query_rows.count; i++) {
        const mapi_propval_t *v = &p->u.query_rows.rows.vals[3 * i];
        if (v[0].tag != T_DISPLAY_NAME || v[1].tag != MAPI_PROP_TAG(0x3005, MAPI_PT_LONG))
            continue;
        if (strcmp(v[0].v.str, "Top of Information Store") == 0)
            ipm_depth = v[1].v.i32;
        else if (strcmp(v[0].v.str, "Inbox") == 0)
            inbox_depth = v[1].v.i32;
        else if (strcmp(v[0].v.str, "Conflicts") == 0)
            conflicts_depth = v[1].v.i32;
    }
    ok(ipm_depth == 0 && inbox_depth == 1 && conflicts_depth == 2,
       "PidTagDepth: IPM subtree 0, Inbox 1, Sync Issues/Conflicts 2 (%d %d %d)", ipm_depth, inbox_depth,
       conflicts_depth);
}

/* The Inbox view as Outlook opens it. */
static void test_inbox_view(ropcli_t *rc, const mapi_rop_resp_t *logon)
{
    uint32_t tags[] = {T_SUBJECT, T_SENDER, T_DELIVERY, T_SIZE, T_FLAGS, T_INSTANCE_KEY, T_MID, T_NO_SUCH,
                       T_INSTANCE_NUM, T_ROW_TYPE};
    mapi_tagarray_t cols = {10, tags};
    mapi_sort_order_t by_time = {MAPI_PT_SYSTIME, 0x0E06, 1};
    mapi_rop_req_t r = rq(ROP_OPEN_FOLDER, 0, 3);
    mapi_rop_resp_t *p;
    uint32_t total, i;
    int j;

    r.u.open_folder.folder_id = logon->u.logon.folder_ids[4];
    ok((p = one(rc, &r, NULL)) && p->ret == 0, "OpenFolder(Inbox)");
    r = rq(ROP_GET_CONTENTS_TABLE, 3, 4);
    r.u.table.table_flags = 0x40;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.table.row_count >= NMSG, "GetContentsTable: %u rows", p ? p->u.table.row_count : 0);
    total = p ? p->u.table.row_count : 0;

    r = rq(ROP_QUERY_ROWS, 4, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 10;
    is_int(ret_of(rc, &r), MAPI_EC_NULL_OBJECT, "QueryRows before SetColumns: ecNullObject");

    is_int(set_columns(rc, 4, &cols), 0, "SetColumns(subject, sender, delivery time, size, flags, instance key, mid...)");
    r = rq(ROP_SORT_TABLE, 4, 0);
    r.u.sort_table.count = 1;
    r.u.sort_table.orders = &by_time;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.table_status.status == 0, "SortTable(delivery time desc): TBLSTAT_COMPLETE");

    r = rq(ROP_QUERY_ROWS, 4, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = NMSG;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == NMSG, "QueryRows(%d)", NMSG);
    if (!p || p->ret != 0 || p->u.query_rows.count != NMSG)
        return;
    is_int(p->u.query_rows.origin, total > NMSG ? 1 : 2, "Origin says where the cursor is");
    for (j = NMSG - 1, i = 0; j >= 0; j--, i++) { /* newest first */
        const mapi_propval_t *v;
        v = col(p, &cols, i, T_SUBJECT);
        ok(v->tag == T_SUBJECT && strcmp(v->v.str, seeded_subject[j]) == 0, "row %u is '%s'", i, seeded_subject[j]);
        v = col(p, &cols, i, T_SENDER);
        ok(v->tag == T_SENDER && strcmp(v->v.str, j == 1 ? "Bob Sender" : "Carol Sender") == 0, "row %u sender", i);
        v = col(p, &cols, i, T_DELIVERY);
        ok(v->tag == T_DELIVERY && v->v.time == seeded_time[j], "row %u delivery time", i);
        v = col(p, &cols, i, T_SIZE);
        ok(v->tag == T_SIZE && v->v.i32 > 0, "row %u size %d", i, v->v.i32);
        v = col(p, &cols, i, T_FLAGS);
        ok(v->tag == T_FLAGS && (v->v.i32 & 1) == (j == 0), "row %u read flag", i);
        v = col(p, &cols, i, T_MID);
        ok(v->tag == T_MID && (uint64_t)v->v.i64 == seeded_mid[j], "row %u mid", i);
        v = col(p, &cols, i, T_INSTANCE_KEY);
        ok(v->tag == T_INSTANCE_KEY && v->v.bin.len > 0, "row %u instance key", i);
        if (i > 0) {
            const mapi_propval_t *prev = col(p, &cols, i - 1, T_INSTANCE_KEY);
            ok(prev->v.bin.len != v->v.bin.len || memcmp(prev->v.bin.data, v->v.bin.data, v->v.bin.len) != 0,
               "instance keys differ between rows");
        }
        v = col(p, &cols, i, T_NO_SUCH);
        ok(MAPI_PROP_TYPE(v->tag) == MAPI_PT_ERROR && v->v.err == MAPI_EC_NOT_FOUND,
           "a column the row lacks is a flagged ecNotFound");
        v = col(p, &cols, i, T_INSTANCE_NUM);
        ok(v->tag == T_INSTANCE_NUM && v->v.i32 == 0, "PidTagInstanceNum 0");
        v = col(p, &cols, i, T_ROW_TYPE);
        ok(v->tag == T_ROW_TYPE && v->v.i32 == 1, "PidTagRowType TBL_LEAF_ROW");
    }
}

/* The cursor and the rest of the table ROPs on the Inbox table (index 4). */
static void test_cursor(ropcli_t *rc)
{
    uint32_t tags[] = {T_SUBJECT, T_MID};
    mapi_tagarray_t cols = {2, tags};
    mapi_rop_req_t r;
    mapi_rop_resp_t *p;
    mapi_restriction_t res;
    uint8_t bm[4] = {0};
    uint8_t bad_bm[4] = {0xEE, 0xEE, 0xEE, 0xEE};
    mapi_bin_t state = {0, NULL};
    uint32_t pos;

    is_int(set_columns(rc, 4, &cols), 0, "SetColumns keeps the cursor");
    r = rq(ROP_QUERY_POSITION, 4, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.query_position.numerator == NMSG, "QueryPosition: %d after reading %d rows",
       p ? (int)p->u.query_position.numerator : -1, NMSG);
    pos = p ? p->u.query_position.denominator : 0;

    r = rq(ROP_CREATE_BOOKMARK, 4, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.bookmark.bookmark.len == 4, "CreateBookmark");
    if (p && p->u.bookmark.bookmark.len == 4)
        memcpy(bm, p->u.bookmark.bookmark.data, 4);

    r = rq(ROP_SEEK_ROW, 4, 0);
    r.u.seek_row.origin = 0;
    r.u.seek_row.count = 1;
    r.u.seek_row.want_moved = 1;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.seek_row.sought == 1 && !p->u.seek_row.sought_less, "SeekRow(beginning, +1)");
    r = rq(ROP_QUERY_ROWS, 4, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 1;
    r.u.query_rows.flags = 1; /* NoAdvance */
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 1 && strcmp(p->u.query_rows.rows.vals[0].v.str, seeded_subject[1]) == 0,
       "the second row is the middle message");
    r = rq(ROP_QUERY_POSITION, 4, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.query_position.numerator == 1, "NoAdvance left the cursor on row 1");

    r = rq(ROP_SEEK_ROW, 4, 0);
    r.u.seek_row.origin = 0;
    r.u.seek_row.count = -5;
    r.u.seek_row.want_moved = 1;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.seek_row.sought == 0 && p->u.seek_row.sought_less, "SeekRow before the first row: moved 0, sought less");
    r.u.seek_row.origin = 7;
    is_int(ret_of(rc, &r), MAPI_EC_INVALID_PARAMETER, "SeekRow with a bad origin: ecInvalidParameter");

    r = rq(ROP_SEEK_ROW_BOOKMARK, 4, 0);
    r.u.seek_row_bookmark.bookmark.data = bm;
    r.u.seek_row_bookmark.bookmark.len = 4;
    r.u.seek_row_bookmark.count = -1;
    r.u.seek_row_bookmark.want_moved = 1;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.seek_row_bookmark.sought == (uint32_t)-1, "SeekRowBookmark(bookmark, -1)");
    r = rq(ROP_QUERY_ROWS, 4, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 1;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 1 && strcmp(p->u.query_rows.rows.vals[0].v.str, seeded_subject[0]) == 0,
       "one row before the bookmark is the oldest of the three");
    r = rq(ROP_SEEK_ROW_BOOKMARK, 4, 0);
    r.u.seek_row_bookmark.bookmark.data = bad_bm;
    r.u.seek_row_bookmark.bookmark.len = 4;
    is_int(ret_of(rc, &r), MAPI_EC_INVALID_BOOKMARK, "SeekRowBookmark with an unknown bookmark: ecInvalidBookmark");
    r = rq(ROP_FREE_BOOKMARK, 4, 0);
    r.u.free_bookmark.bookmark.data = bm;
    r.u.free_bookmark.bookmark.len = 4;
    is_int(ret_of(rc, &r), 0, "FreeBookmark");
    is_int(ret_of(rc, &r), MAPI_EC_INVALID_BOOKMARK, "FreeBookmark twice: ecInvalidBookmark");

    r = rq(ROP_SEEK_ROW_FRACTIONAL, 4, 0);
    r.u.seek_row_fractional.numerator = 1;
    r.u.seek_row_fractional.denominator = 1;
    is_int(ret_of(rc, &r), 0, "SeekRowFractional(1/1)");
    r = rq(ROP_QUERY_POSITION, 4, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.query_position.numerator == pos, "is the end (%u of %u)", p ? p->u.query_position.numerator : 0, pos);
    r = rq(ROP_SEEK_ROW_FRACTIONAL, 4, 0);
    r.u.seek_row_fractional.numerator = 1;
    r.u.seek_row_fractional.denominator = 0;
    is_int(ret_of(rc, &r), MAPI_EC_INVALID_PARAMETER, "SeekRowFractional(1/0): ecInvalidParameter");

    /* backward read from the end reaches the beginning */
    r = rq(ROP_QUERY_ROWS, 4, 0);
    r.u.query_rows.forward = 0;
    r.u.query_rows.count = 0xFFFF;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == pos && p->u.query_rows.origin == 0,
       "QueryRows backward from the end: %u rows, Origin BOOKMARK_BEGINNING", p ? p->u.query_rows.count : 0);

    /* FindRow */
    memset(&res, 0, sizeof(res));
    res.type = MAPI_RES_PROPERTY;
    res.u.prop.relop = MAPI_RELOP_EQ;
    res.u.prop.tag = T_SUBJECT;
    res.u.prop.value.tag = T_SUBJECT;
    res.u.prop.value.v.str = seeded_subject[0];
    r = rq(ROP_FIND_ROW, 4, 0);
    r.u.find_row.res = &res;
    r.u.find_row.origin = 0;
    {
        const mapi_tagarray_t *cl[1] = {&cols};
        size_t n;
        mapi_rop_resp_t fr;
        ok(ropcli_exec(rc, &r, 1, cl, &fr, &n) == 0 && n == 1 && fr.ret == 0 && fr.u.find_row.has_row &&
               strcmp(fr.u.find_row.row.vals[0].v.str, seeded_subject[0]) == 0,
           "FindRow(subject = oldest) finds it");
    }
    r = rq(ROP_QUERY_POSITION, 4, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.query_position.numerator == NMSG - 1, "and leaves the cursor on it");
    res.u.prop.value.v.str = "no such subject anywhere";
    r = rq(ROP_FIND_ROW, 4, 0);
    r.u.find_row.res = &res;
    is_int(ret_of(rc, &r), MAPI_EC_NOT_FOUND, "FindRow without a match: ecNotFound");
    {
        /* backward from the end: the first match met is the last in table order */
        mapi_restriction_t ex;
        const mapi_tagarray_t *cl[1] = {&cols};
        size_t n;
        mapi_rop_resp_t fr;
        memset(&ex, 0, sizeof(ex));
        ex.type = MAPI_RES_CONTENT;
        ex.u.content.fuzzy_low = MAPI_FL_PREFIX;
        ex.u.content.tag = T_SUBJECT;
        ex.u.content.value.tag = T_SUBJECT;
        ex.u.content.value.v.str = (char *)"table test ";
        r = rq(ROP_FIND_ROW, 4, 0);
        r.u.find_row.res = &ex;
        r.u.find_row.flags = 1; /* backward */
        r.u.find_row.origin = 2;
        ok(ropcli_exec(rc, &r, 1, cl, &fr, &n) == 0 && n == 1 && fr.ret == 0 && fr.u.find_row.has_row &&
               strncmp(fr.u.find_row.row.vals[0].v.str, "table test ", 11) == 0,
           "FindRow backward from the end finds a match");
        /* from a custom bookmark: the newest test message, searching forward for the oldest */
        r = rq(ROP_SEEK_ROW, 4, 0);
        r.u.seek_row.origin = 0;
        ret_of(rc, &r);
        r = rq(ROP_CREATE_BOOKMARK, 4, 0);
        p = one(rc, &r, NULL);
        ok(p && p->ret == 0, "CreateBookmark at the beginning");
        if (p && p->ret == 0) {
            uint8_t b[4];
            memcpy(b, p->u.bookmark.bookmark.data, 4);
            res.u.prop.value.v.str = seeded_subject[0];
            r = rq(ROP_FIND_ROW, 4, 0);
            r.u.find_row.res = &res;
            r.u.find_row.origin = 3; /* custom */
            r.u.find_row.bookmark.data = b;
            r.u.find_row.bookmark.len = 4;
            ok(ropcli_exec(rc, &r, 1, cl, &fr, &n) == 0 && n == 1 && fr.ret == 0 &&
                   strcmp(fr.u.find_row.row.vals[0].v.str, seeded_subject[0]) == 0,
               "FindRow from a custom bookmark");
            b[0] ^= 0x55;
            is_int(ret_of(rc, &r), MAPI_EC_INVALID_BOOKMARK, "FindRow from an unknown bookmark: ecInvalidBookmark");
        }
    }

    /* Restrict */
    res.u.prop.value.v.str = seeded_subject[1];
    r = rq(ROP_RESTRICT, 4, 0);
    r.u.restrict_.res = &res;
    is_int(ret_of(rc, &r), 0, "Restrict(subject = middle)");
    r = rq(ROP_QUERY_ROWS, 4, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 100;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 1 && (uint64_t)p->u.query_rows.rows.vals[1].v.i64 == seeded_mid[1],
       "the restricted table has that one row");
    res.u.prop.relop = MAPI_RELOP_MEMBER_OF_DL;
    r = rq(ROP_RESTRICT, 4, 0);
    r.u.restrict_.res = &res;
    is_int(ret_of(rc, &r), MAPI_EC_TOO_COMPLEX, "Restrict with RELOP_MEMBER_OF_DL: ecTooComplex");
    r = rq(ROP_RESTRICT, 4, 0);
    r.u.restrict_.res = NULL;
    is_int(ret_of(rc, &r), 0, "Restrict(none) clears it");

    /* the rest */
    r = rq(ROP_GET_STATUS, 4, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.table_status.status == 0, "GetStatus: TBLSTAT_COMPLETE");
    r = rq(ROP_ABORT, 4, 0);
    is_int(ret_of(rc, &r), EC_UNABLE_TO_ABORT, "Abort with nothing running: ecUnableToAbort");
    r = rq(ROP_QUERY_COLUMNS_ALL, 4, 0);
    p = one(rc, &r, NULL);
    {
        int has_subject = 0, has_mid = 0;
        uint32_t i;
        for (i = 0; p && p->ret == 0 && i < p->u.tags.tags.count; i++) {
            has_subject |= MAPI_PROP_ID(p->u.tags.tags.tags[i]) == 0x0037;
            has_mid |= p->u.tags.tags.tags[i] == T_MID;
        }
        ok(has_subject && has_mid, "QueryColumnsAll lists the subject and the mid (%u columns)",
           p ? p->u.tags.tags.count : 0);
    }
    r = rq(ROP_EXPAND_ROW, 4, 0);
    r.u.expand_row.max_rows = 10;
    r.u.expand_row.category_id = seeded_mid[0];
    is_int(ret_of(rc, &r), MAPI_EC_NOT_FOUND, "ExpandRow in a table that is not categorized: ecNotFound");
    r = rq(ROP_COLLAPSE_ROW, 4, 0);
    r.u.collapse_row.category_id = seeded_mid[0];
    is_int(ret_of(rc, &r), MAPI_EC_NOT_FOUND, "CollapseRow in a table that is not categorized: ecNotFound");
    r = rq(ROP_GET_COLLAPSE_STATE, 4, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.collapse_state.state.len > 0, "GetCollapseState");
    if (p && p->ret == 0) {
        state.len = p->u.collapse_state.state.len;
        state.data = p->u.collapse_state.state.data;
    }
    r = rq(ROP_SET_COLLAPSE_STATE, 4, 0);
    r.u.set_collapse_state.state = state;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.bookmark.bookmark.len == 4, "SetCollapseState gives a bookmark");
    r.u.set_collapse_state.state.len = 3;
    is_int(ret_of(rc, &r), MAPI_EC_INVALID_PARAMETER, "SetCollapseState with garbage: ecInvalidParameter");

    r = rq(ROP_SET_COLUMNS, 4, 0);
    r.u.set_columns.tags.count = 0;
    is_int(ret_of(rc, &r), MAPI_EC_INVALID_PARAMETER, "SetColumns with no columns: ecInvalidParameter");
    {
        mapi_sort_order_t s = {MAPI_PT_SYSTIME, 0x0E06, 2};
        r = rq(ROP_SORT_TABLE, 4, 0);
        r.u.sort_table.count = 1;
        r.u.sort_table.orders = &s;
        is_int(ret_of(rc, &r), MAPI_EC_INVALID_PARAMETER, "SortTable with an unknown order: ecInvalidParameter");
        s.prop_type = MAPI_PT_MV_UNICODE;
        s.prop_id = 0x8001;
        s.order = 0;
        is_int(ret_of(rc, &r), MAPI_EC_TOO_COMPLEX, "SortTable on a multi-valued column: ecTooComplex");
    }
    r = rq(ROP_RESET_TABLE, 4, 0);
    is_int(ret_of(rc, &r), 0, "ResetTable");
    r = rq(ROP_QUERY_ROWS, 4, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 1;
    is_int(ret_of(rc, &r), MAPI_EC_NULL_OBJECT, "after ResetTable the columns are gone");
    r = rq(ROP_QUERY_POSITION, 3, 0);
    is_int(ret_of(rc, &r), MAPI_EC_NOT_SUPPORTED, "a table ROP on a folder handle: ecNotSupported");
    {
        static const uint8_t rops[] = {ROP_GET_STATUS, ROP_CREATE_BOOKMARK, ROP_QUERY_COLUMNS_ALL, ROP_RESET_TABLE,
                                       ROP_ABORT, ROP_GET_COLLAPSE_STATE};
        size_t i;
        int all_ns = 1, all_null = 1;
        for (i = 0; i < sizeof(rops); i++) {
            r = rq(rops[i], 3, 0);
            all_ns &= ret_of(rc, &r) == MAPI_EC_NOT_SUPPORTED;
            r = rq(rops[i], 14, 0);
            all_null &= ret_of(rc, &r) == MAPI_EC_NULL_OBJECT;
        }
        ok(all_ns, "GetStatus, CreateBookmark, QueryColumnsAll, ResetTable, Abort, GetCollapseState on a folder: ecNotSupported");
        ok(all_null, "and on an empty handle slot: ecNullObject");
    }
}

/* [MS-OXCMSG] 2.2.3.17 RopGetAttachmentTable and the table ROPs on it. */
static void test_attachment_table(ropcli_t *rc, const mapi_rop_resp_t *logon)
{
    uint32_t tags[4] = {MAPI_PROP_TAG(0x3707, MAPI_PT_UNICODE), MAPI_PROP_TAG(0x0E21, MAPI_PT_LONG),
                        MAPI_PROP_TAG(0x0E20, MAPI_PT_LONG), T_INSTANCE_KEY};
    mapi_tagarray_t cols = {4, tags};
    mapi_sort_order_t by_name = {MAPI_PT_UNICODE, 0x3707, 0};
    mapi_rop_req_t r;
    mapi_rop_resp_t *p;
    uint64_t mid[1];

    ok(seed_attachments() == 0, "a message with three attachments (store API)");
    r = rq(ROP_OPEN_MESSAGE, 0, 5);
    r.u.open_message.code_page = 0x0FFF;
    r.u.open_message.folder_id = logon->u.logon.folder_ids[4];
    r.u.open_message.message_id = attach_mid;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0, "OpenMessage");
    r = rq(ROP_GET_ATTACHMENT_TABLE, 5, 6);
    r.u.table.table_flags = 0x40;
    is_int(ret_of(rc, &r), 0, "GetAttachmentTable");
    is_int(set_columns(rc, 6, &cols), 0, "SetColumns(file name, number, size, instance key)");
    r = rq(ROP_SORT_TABLE, 6, 0);
    r.u.sort_table.count = 1;
    r.u.sort_table.orders = &by_name;
    is_int(ret_of(rc, &r), 0, "SortTable(file name)");
    r = rq(ROP_QUERY_ROWS, 6, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 10;
    p = one(rc, &r, &cols);
    ok(p && p->ret == 0 && p->u.query_rows.count == 3, "QueryRows: 3 attachments");
    if (p && p->ret == 0 && p->u.query_rows.count == 3) {
        const mapi_propval_t *v = p->u.query_rows.rows.vals;
        ok(strcmp(v[0].v.str, "alpha.txt") == 0 && strcmp(v[4].v.str, "beta.txt") == 0 &&
               strcmp(v[8].v.str, "gamma.txt") == 0,
           "sorted by name");
        ok(v[1].tag == MAPI_PROP_TAG(0x0E21, MAPI_PT_LONG) && v[3].tag == T_INSTANCE_KEY && v[3].v.bin.len > 0,
           "with attachment numbers and instance keys");
    }
    r = rq(ROP_QUERY_POSITION, 6, 0);
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && p->u.query_position.numerator == 3 && p->u.query_position.denominator == 3,
       "QueryPosition 3 of 3");
    r = rq(ROP_GET_ATTACHMENT_TABLE, 3, 7);
    is_int(ret_of(rc, &r), MAPI_EC_NOT_SUPPORTED, "GetAttachmentTable on a folder: ecNotSupported");
    mid[0] = attach_mid;
    r = rq(ROP_HARD_DELETE_MESSAGES, 3, 0);
    r.u.delete_messages.count = 1;
    r.u.delete_messages.mids = mid;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && !p->u.partial.partial, "the message goes");
}

static void cleanup(ropcli_t *rc)
{
    mapi_rop_req_t r = rq(ROP_HARD_DELETE_MESSAGES, 3, 0);
    mapi_rop_resp_t *p;
    r.u.delete_messages.count = NMSG;
    r.u.delete_messages.mids = seeded_mid;
    p = one(rc, &r, NULL);
    ok(p && p->ret == 0 && !p->u.partial.partial, "HardDeleteMessages removes the test messages");
}

int main(void)
{
    ropcli_t rc;
    mapi_rop_resp_t logon;
    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    ok(seed_inbox() == 0, "%d messages put into alice's Inbox with the store API", NMSG);
    ok(ropcli_open(&rc, "alice") == 0, "alice connects");
    ok(ropcli_logon(&rc, 0, &logon) == 0, "RopLogon");
    test_folder_list(&rc, &logon);
    test_depth(&rc);
    test_inbox_view(&rc, &logon);
    test_cursor(&rc);
    test_attachment_table(&rc, &logon);
    cleanup(&rc);
    ropcli_close(&rc);
    return done_testing();
}
