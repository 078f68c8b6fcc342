/* test_store_table.c - contents/hierarchy tables: sorts (index and fallback),
 * paging, seek, bookmarks, restrictions ([MS-OXCDATA] 2.12). */
#include "test_store_util.h"

#define N 300

static ms_id_t mids[N];

/* delivery time i*10 for message i, subject "subj NNN" reversed order, sender by i%7 */
static void fill(ms_mailbox_t *mbx, ms_id_t fid)
{
    ms_txn_t *txn;
    ms_txn_begin(mbx, MS_TXN_WRITE, &txn);
    for (int i = 0; i < N; i++) {
        char subj[32], sender[32];
        snprintf(subj, sizeof(subj), "subj %03d", N - 1 - i);
        snprintf(sender, sizeof(sender), "Sender %d", i % 7);
        ms_message_t *m;
        ms_message_create(mbx, fid, 0, &m);
        ms_propval_t v[4] = {ts_str(MS_PR_SUBJECT, subj), ts_str(MS_PR_SENT_REPRESENTING_NAME, sender),
                             ts_ft(MS_PR_MESSAGE_DELIVERY_TIME, (uint64_t)i * 10 + 1000),
                             ts_long(MS_PROP_TAG(MS_PT_LONG, 0x0E17), i % 3)};
        ms_message_set_props(m, v, 4);
        if (i % 5 == 0) {
            ms_propval_t r[2] = {ts_str(MS_PR_DISPLAY_NAME, "Zed"), ts_long(MS_PR_RECIPIENT_TYPE, 2)};
            ms_message_modify_recipient(m, UINT32_MAX, r, 2);
        }
        ms_message_save(txn, m);
        mids[i] = ms_message_mid(m);
        ms_message_free(m);
    }
    is_int(ms_txn_commit(txn), MS_OK, "%d messages in one transaction", N);
}

static int row_index(const ms_propval_t *row)
{
    for (int i = 0; i < N; i++)
        if ((ms_id_t)row[0].value.li == mids[i])
            return i;
    return -1;
}

static void test_index_sorts(ms_mailbox_t *mbx, ms_id_t fid)
{
    ms_table_t *t;
    is_int(ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, fid, 0, &t), MS_OK, "open contents table");
    uint32_t cols[3] = {MS_PR_MID, MS_PR_SUBJECT, MS_PR_MESSAGE_DELIVERY_TIME};
    is_int(ms_table_set_columns(t, cols, 3), MS_OK, "set columns");
    ms_sortorder_t s = {MS_PR_MESSAGE_DELIVERY_TIME, 1};
    is_int(ms_table_sort(t, &s, 1), MS_OK, "sort by delivery time desc");
    ok(ms_table_indexed(t), "served by an index");
    uint32_t count, pos;
    is_int(ms_table_row_count(NULL, t, &count), MS_OK, "row count");
    is_int(count, N, "row count = messages");
    ms_rowset_t rs;
    is_int(ms_table_query(NULL, t, 50, 0, &rs), MS_OK, "first page");
    is_int(rs.count, 50, "50 rows");
    is_int(row_index(rs.rows[0]), N - 1, "newest first");
    is_int(row_index(rs.rows[49]), N - 50, "page ends at the 50th newest");
    ms_rowset_free(&rs);
    ms_table_position(NULL, t, &pos, &count);
    is_int(pos, 50, "cursor after the page");
    ms_bookmark_t bm;
    is_int(ms_table_bookmark(t, &bm), MS_OK, "bookmark");
    ms_table_query(NULL, t, 10, 0, &rs);
    is_int(row_index(rs.rows[0]), N - 51, "second page continues");
    ms_rowset_free(&rs);
    int32_t moved;
    is_int(ms_table_seek_bookmark(NULL, t, &bm, 0, &moved), MS_OK, "seek to bookmark");
    ms_table_query(NULL, t, 1, 0, &rs);
    is_int(row_index(rs.rows[0]), N - 51, "bookmark lands on the same row");
    ms_rowset_free(&rs);
    ms_bookmark_t junk = bm;
    junk.key[6] ^= 0xFF;
    is_int(ms_table_seek_bookmark(NULL, t, &junk, 0, &moved), MS_E_INVALID_BOOKMARK, "foreign bookmark refused");
    junk.len = 2;
    is_int(ms_table_seek_bookmark(NULL, t, &junk, 0, &moved), MS_E_INVALID_BOOKMARK, "short bookmark refused");
    is_int(ms_table_seek(NULL, t, MS_BOOKMARK_END, -10, &moved), MS_OK, "seek end - 10");
    is_int(moved, -10, "moved back 10");
    ms_table_position(NULL, t, &pos, &count);
    is_int(pos, N - 10, "position end - 10");
    ms_table_query(NULL, t, 50, 0, &rs);
    is_int(rs.count, 10, "only 10 rows left");
    is_int(row_index(rs.rows[9]), 0, "oldest last");
    ms_rowset_free(&rs);
    ms_table_query(NULL, t, 50, 0, &rs);
    is_int(rs.count, 0, "nothing after the end");
    ms_rowset_free(&rs);
    is_int(ms_table_query(NULL, t, 5, 1, &rs), MS_OK, "query backward from the end");
    is_int(rs.count, 5, "5 rows backward");
    is_int(row_index(rs.rows[4]), 0, "backward rows in table order, last is oldest");
    is_int(row_index(rs.rows[0]), 4, "first of them");
    ms_rowset_free(&rs);
    ms_table_position(NULL, t, &pos, &count);
    is_int(pos, N - 5, "cursor moved back");
    is_int(ms_table_seek(NULL, t, MS_BOOKMARK_BEGINNING, 100, &moved), MS_OK, "seek beginning + 100");
    ms_table_query(NULL, t, 1, 0, &rs);
    is_int(row_index(rs.rows[0]), N - 101, "101st newest");
    ms_rowset_free(&rs);
    is_int(ms_table_seek(NULL, t, MS_BOOKMARK_CURRENT, -1000, &moved), MS_OK, "seek before the start");
    is_int(moved, -101, "clamped at the beginning");
    ms_id_t cur;
    is_int(ms_table_current_id(NULL, t, &cur), MS_OK, "current id");
    is_int(cur, mids[N - 1], "at the first row");
    is_int(ms_table_seek(NULL, t, 9, 0, &moved), MS_E_INVALID_PARAM, "bad origin");

    /* ascending subject index */
    ms_sortorder_t ss = {MS_PR_NORMALIZED_SUBJECT, 0};
    ms_table_sort(t, &ss, 1);
    ok(ms_table_indexed(t), "normalized subject sort indexed");
    ms_table_query(NULL, t, 3, 0, &rs);
    ok(rs.count == 3 && !strcmp(rs.rows[0][1].value.str, "subj 000") && !strcmp(rs.rows[2][1].value.str, "subj 002"),
       "subjects ascending");
    ms_rowset_free(&rs);
    /* size index */
    ms_sortorder_t sz = {MS_PR_MESSAGE_SIZE, 1};
    ms_table_sort(t, &sz, 1);
    ok(ms_table_indexed(t), "size sort indexed");
    ms_table_query(NULL, t, N, 0, &rs);
    is_int(rs.count, N, "all rows");
    ms_rowset_free(&rs);

    /* restriction on the index path: subject prefix + bitmask */
    ms_table_sort(t, &s, 1);
    ms_restriction_t sub[2];
    memset(sub, 0, sizeof(sub));
    sub[0].type = MS_RES_CONTENT;
    sub[0].u.content.fuzzy = MS_FL_PREFIX | MS_FL_IGNORECASE;
    sub[0].u.content.tag = MS_PR_SUBJECT;
    sub[0].u.content.val = ts_str(MS_PR_SUBJECT, "SUBJ 01");
    sub[1].type = MS_RES_PROPERTY;
    sub[1].u.prop.relop = MS_RELOP_EQ;
    sub[1].u.prop.tag = MS_PROP_TAG(MS_PT_LONG, 0x0E17);
    sub[1].u.prop.val = ts_long(MS_PROP_TAG(MS_PT_LONG, 0x0E17), 0);
    ms_restriction_t and_ = {.type = MS_RES_AND};
    and_.u.andor.count = 2;
    and_.u.andor.res = sub;
    is_int(ms_table_restrict(t, &and_), MS_OK, "restrict");
    ms_table_row_count(NULL, t, &count);
    int want = 0;
    for (int i = 0; i < N; i++)
        if ((N - 1 - i) >= 10 && (N - 1 - i) <= 19 && i % 3 == 0)
            want++;
    is_int(count, want, "restricted row count");
    ms_table_query(NULL, t, 100, 0, &rs);
    is_int(rs.count, want, "restricted rows");
    int okrows = 1;
    for (uint32_t i = 0; i < rs.count; i++)
        okrows &= !strncmp(rs.rows[i][1].value.str, "subj 01", 7);
    ok(okrows, "every row matches");
    ms_rowset_free(&rs);
    ms_table_restrict(t, NULL);

    /* RopFindRow: subject "subj 150" is message N-1-150 */
    ms_restriction_t fr = {.type = MS_RES_CONTENT};
    fr.u.content.tag = MS_PR_SUBJECT;
    fr.u.content.val = ts_str(MS_PR_SUBJECT, "subj 150");
    ms_table_sort(t, &s, 1);
    is_int(ms_table_find_row(NULL, t, &fr, MS_BOOKMARK_BEGINNING, 0, &rs), MS_OK, "find row forward");
    ok(rs.count == 1 && row_index(rs.rows[0]) == N - 1 - 150, "found the row");
    ms_rowset_free(&rs);
    ms_table_position(NULL, t, &pos, &count);
    is_int(pos, 150, "cursor on the found row (newest first)");
    is_int(ms_table_find_row(NULL, t, &fr, MS_BOOKMARK_END, 1, &rs), MS_OK, "find row backward from the end");
    ms_table_current_id(NULL, t, &cur);
    is_int(cur, mids[N - 1 - 150], "cursor on it");
    ms_rowset_free(&rs);
    fr.u.content.val = ts_str(MS_PR_SUBJECT, "no such subject");
    is_int(ms_table_find_row(NULL, t, &fr, MS_BOOKMARK_BEGINNING, 0, &rs), MS_E_NOT_FOUND, "no match");
    is_int(ms_table_find_row(NULL, t, NULL, MS_BOOKMARK_BEGINNING, 0, &rs), MS_E_INVALID_PARAM, "NULL restriction");
    ms_table_close(t);
}

static void test_fallback(ms_mailbox_t *mbx, ms_id_t fid)
{
    ms_table_t *t;
    ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, fid, 0, &t);
    uint32_t cols[3] = {MS_PR_MID, MS_PR_SENT_REPRESENTING_NAME, MS_PR_MESSAGE_DELIVERY_TIME};
    ms_table_set_columns(t, cols, 3);
    ms_sortorder_t s[2] = {{MS_PR_SENT_REPRESENTING_NAME, 0}, {MS_PR_MESSAGE_DELIVERY_TIME, 1}};
    is_int(ms_table_sort(t, s, 2), MS_OK, "two-column sort");
    ok(!ms_table_indexed(t), "falls back");
    ms_rowset_t rs;
    ms_table_query(NULL, t, N, 0, &rs);
    is_int(rs.count, N, "all rows via fallback");
    int sorted = 1;
    for (uint32_t i = 1; i < rs.count; i++) {
        int c = strcmp(rs.rows[i - 1][1].value.str, rs.rows[i][1].value.str);
        if (c > 0 || (c == 0 && rs.rows[i - 1][2].value.ft < rs.rows[i][2].value.ft))
            sorted = 0;
    }
    ok(sorted, "sender asc, then delivery desc");
    ms_rowset_free(&rs);
    /* sub-restriction on recipients */
    ms_restriction_t inner = {.type = MS_RES_CONTENT};
    inner.u.content.fuzzy = MS_FL_FULLSTRING;
    inner.u.content.tag = MS_PR_DISPLAY_NAME;
    inner.u.content.val = ts_str(MS_PR_DISPLAY_NAME, "Zed");
    ms_restriction_t r = {.type = MS_RES_SUBRESTRICTION};
    r.u.sub.subobject = MS_PROP_TAG(MS_PT_OBJECT, 0x0E12);
    r.u.sub.res = &inner;
    is_int(ms_table_restrict(t, &r), MS_OK, "recipient sub-restriction");
    uint32_t count;
    ms_table_row_count(NULL, t, &count);
    is_int(count, N / 5, "messages with a recipient named Zed");
    /* snapshot follows changes */
    ts_message(mbx, fid, "late", "Aaron", 1);
    ms_table_restrict(t, NULL);
    ms_table_row_count(NULL, t, &count);
    is_int(count, N + 1, "new message appears in the fallback table");
    ms_table_close(t);
}

static void test_hierarchy(ms_mailbox_t *mbx)
{
    ms_table_t *t;
    ms_id_t root = ms_special_folder_id(MS_FOLDER_ROOT);
    is_int(ms_table_open(NULL, mbx, MS_TABLE_HIERARCHY, root, MS_TABLE_DEPTH, &t), MS_OK, "deep hierarchy table");
    uint32_t cols[3] = {MS_PR_FID, MS_PR_DISPLAY_NAME, MS_PR_DEPTH};
    ms_table_set_columns(t, cols, 3);
    uint32_t count;
    ms_table_row_count(NULL, t, &count);
    ok(count >= MS_FOLDER_SPECIAL_COUNT - 1, "every folder below the root (%u)", count);
    ms_sortorder_t s = {MS_PR_DISPLAY_NAME, 0};
    ms_table_sort(t, &s, 1);
    ms_rowset_t rs;
    ms_table_query(NULL, t, 2, 0, &rs);
    is_str(rs.rows[0][1].value.str, "Big", "sorted by name");
    is_str(rs.rows[1][1].value.str, "Calendar", "sorted by name, second");
    ms_rowset_free(&rs);
    ms_restriction_t r = {.type = MS_RES_PROPERTY};
    r.u.prop.relop = MS_RELOP_EQ;
    r.u.prop.tag = MS_PR_DEPTH;
    r.u.prop.val = ts_long(MS_PR_DEPTH, 2);
    ms_table_restrict(t, &r);
    ms_table_query(NULL, t, 100, 0, &rs);
    int ok_depth = rs.count > 0;
    for (uint32_t i = 0; i < rs.count; i++)
        ok_depth &= rs.rows[i][2].value.l == 2;
    ok(ok_depth, "depth restriction (%u rows at depth 2)", rs.count);
    ms_rowset_free(&rs);
    ms_table_close(t);
    /* a one-level table follows a child's rename */
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX), big;
    ms_table_open(NULL, mbx, MS_TABLE_HIERARCHY, inbox, 0, &t);
    ms_table_set_columns(t, cols, 3);
    ms_table_query(NULL, t, 10, 0, &rs);
    is_str(rs.count ? rs.rows[0][1].value.str : NULL, "Big", "inbox child listed");
    ms_rowset_free(&rs);
    ms_folder_find(NULL, mbx, inbox, "Big", &big);
    ms_propval_t dn = ts_str(MS_PR_DISPLAY_NAME, "Huge");
    is_int(ms_folder_set_props(NULL, mbx, big, &dn, 1), MS_OK, "rename the child");
    ms_table_seek(NULL, t, MS_BOOKMARK_BEGINNING, 0, NULL);
    ms_table_query(NULL, t, 10, 0, &rs);
    is_str(rs.count ? rs.rows[0][1].value.str : NULL, "Huge", "hierarchy table shows the new name");
    ms_rowset_free(&rs);
    ms_table_close(t);
    ms_table_t *bad;
    is_int(ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, ms_id_make(1, 77777), 0, &bad), MS_E_NOT_FOUND, "table of missing folder");
}

/* Large values (bodies) are read for rows only when a column, sort or
 * restriction needs them. */
static void test_large_columns(ms_mailbox_t *mbx)
{
    ms_id_t fid;
    ms_folder_create(NULL, mbx, ms_special_folder_id(MS_FOLDER_INBOX), "Bodies", NULL, 0, &fid);
    size_t big = 100000;
    char *body = malloc(big + 1);
    memset(body, 'z', big);
    memcpy(body + big - 6, "needle", 6);
    body[big] = 0;
    for (int i = 0; i < 3; i++) {
        ms_message_t *m;
        ms_message_create(mbx, fid, 0, &m);
        ms_propval_t v[2] = {ts_str(MS_PR_SUBJECT, "with body"),
                             ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x1000), i == 1 ? body : "small")};
        ms_message_set_props(m, v, 2);
        ms_message_save(NULL, m);
        ms_message_free(m);
    }
    ms_table_t *t;
    ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, fid, 0, &t);
    uint32_t cols[2] = {MS_PR_SUBJECT, MS_PROP_TAG(MS_PT_UNICODE, 0x1000)};
    ms_table_set_columns(t, cols, 2);
    ms_rowset_t rs;
    ms_table_query(NULL, t, 10, 0, &rs);
    ok(rs.count == 3 && MS_PROP_TYPE(rs.rows[1][1].tag) == MS_PT_UNICODE && strlen(rs.rows[1][1].value.str) == big,
       "a large body column is filled");
    ms_rowset_free(&rs);
    ms_restriction_t r = {.type = MS_RES_CONTENT};
    r.u.content.tag = MS_PROP_TAG(MS_PT_UNICODE, 0x1000);
    r.u.content.fuzzy = MS_FL_SUBSTRING;
    r.u.content.val = ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x1000), "needle");
    ms_table_restrict(t, &r);
    uint32_t count;
    ms_table_row_count(NULL, t, &count);
    is_int(count, 1, "content restriction reaches into a large body");
    ms_table_close(t);
    free(body);
}

static void test_restriction_eval(void)
{
    ms_propval_t row[3] = {ts_str(MS_PR_SUBJECT, "Quarterly Report"), ts_long(MS_PR_MESSAGE_FLAGS, 0x11),
                           ts_long(MS_PR_MESSAGE_SIZE, 5000)};
    ms_restriction_t r = {.type = MS_RES_CONTENT};
    r.u.content.tag = MS_PR_SUBJECT;
    r.u.content.fuzzy = MS_FL_SUBSTRING | MS_FL_IGNORECASE;
    r.u.content.val = ts_str(MS_PR_SUBJECT, "REPORT");
    ok(ms_restriction_match(&r, row, 3), "substring ignore case");
    r.u.content.fuzzy = MS_FL_SUBSTRING;
    ok(!ms_restriction_match(&r, row, 3), "substring case-sensitive");
    ms_restriction_t b = {.type = MS_RES_BITMASK};
    b.u.bitmask.tag = MS_PR_MESSAGE_FLAGS;
    b.u.bitmask.mask = 0x1;
    b.u.bitmask.bmr = MS_BMR_NEZ;
    ok(ms_restriction_match(&b, row, 3), "bitmask NEZ");
    b.u.bitmask.bmr = MS_BMR_EQZ;
    ok(!ms_restriction_match(&b, row, 3), "bitmask EQZ");
    ms_restriction_t not_ = {.type = MS_RES_NOT};
    not_.u.not_.res = &b;
    ok(ms_restriction_match(&not_, row, 3), "NOT");
    ms_restriction_t e = {.type = MS_RES_EXIST};
    e.u.exist.tag = MS_PR_SENDER_NAME;
    ok(!ms_restriction_match(&e, row, 3), "EXIST missing");
    ms_restriction_t sz = {.type = MS_RES_SIZE};
    sz.u.size.tag = MS_PR_SUBJECT;
    sz.u.size.relop = MS_RELOP_GT;
    sz.u.size.size = 10;
    ok(ms_restriction_match(&sz, row, 3), "SIZE");
    ms_restriction_t cp = {.type = MS_RES_COMPAREPROPS};
    cp.u.compare.relop = MS_RELOP_LT;
    cp.u.compare.tag1 = MS_PR_MESSAGE_FLAGS;
    cp.u.compare.tag2 = MS_PR_MESSAGE_SIZE;
    ok(ms_restriction_match(&cp, row, 3), "COMPAREPROPS");
    ms_restriction_t p = {.type = MS_RES_PROPERTY};
    p.u.prop.relop = MS_RELOP_RE;
    p.u.prop.tag = MS_PR_SUBJECT;
    p.u.prop.val = ts_str(MS_PR_SUBJECT, ".*");
    ok(!ms_restriction_match(&p, row, 3), "RELOP_RE unsupported -> no match");
    p.u.prop.relop = MS_RELOP_GE;
    p.u.prop.val = ts_long(MS_PROP_TAG(MS_PT_LONG, 0x0037), 1);
    ok(!ms_restriction_match(&p, row, 3), "type mismatch -> no match");
    ms_restriction_t cm = {.type = MS_RES_COMMENT};
    ok(ms_restriction_match(&cm, row, 3), "COMMENT without restriction matches");
    ms_restriction_t *copy;
    ms_restriction_t or_ = {.type = MS_RES_OR};
    ms_restriction_t kids[2] = {b, r};
    or_.u.andor.count = 2;
    or_.u.andor.res = kids;
    is_int(ms_restriction_dup(&or_, &copy), MS_OK, "deep copy");
    is_int(ms_restriction_match(copy, row, 3), ms_restriction_match(&or_, row, 3), "copy evaluates the same");
    ms_restriction_free(copy);
    ms_restriction_t bogus = {.type = (ms_restype_t)0x7F};
    ok(ms_restriction_dup(&bogus, &copy) != MS_OK, "unknown restriction type refused");
    ms_restriction_t deep[80];
    for (int i = 0; i < 80; i++) {
        deep[i].type = MS_RES_NOT;
        deep[i].u.not_.res = i + 1 < 80 ? &deep[i + 1] : &e;
    }
    is_int(ms_restriction_dup(&deep[0], &copy), MS_E_TOO_COMPLEX, "too deep refused");
    ok(!ms_restriction_match(&deep[0], row, 3) || 1, "deep evaluation does not crash");
}

int main(void)
{
    ms_mailbox_t *mbx;
    ms_store_t *st = ts_setup("table", 0, &mbx);
    ok(st != NULL, "store set up");
    if (!st)
        return done_testing();
    ms_id_t fid;
    ms_folder_create(NULL, mbx, ms_special_folder_id(MS_FOLDER_INBOX), "Big", NULL, 0, &fid);
    fill(mbx, fid);
    test_index_sorts(mbx, fid);
    test_fallback(mbx, fid);
    test_hierarchy(mbx);
    test_large_columns(mbx);
    test_restriction_eval();
    is_int(ts_check(st), 0, "check clean");
    ms_mailbox_close(mbx);
    ms_store_close(st);
    ts_rmrf(ts_root);
    return done_testing();
}
