/*
 * Wire tests of the folder ROPs ([MS-OXCFOLD]) through Apache: create,
 * open, move, copy, delete folders, move/copy/delete messages, empty
 * folders, search criteria, and the spec's error for each ROP.
 */
#include "tap.h"
#include "ropcli.h"
#include "mapistore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T_CONTENT MAPI_PROP_TAG(0x3602, MAPI_PT_LONG)
#define T_SUBJECT MAPI_PROP_TAG(0x0037, MAPI_PT_UNICODE)
#define T_DISPLAY_NAME MAPI_PROP_TAG(0x3001, MAPI_PT_UNICODE)

static mapi_rop_req_t rq(uint8_t rop, uint8_t in, uint8_t out)
{
    mapi_rop_req_t r;
    memset(&r, 0, sizeof(r));
    r.rop_id = rop;
    r.in_idx = in;
    r.out_idx = out;
    return r;
}

static mapi_rop_resp_t *one(ropcli_t *rc, const mapi_rop_req_t *req)
{
    static mapi_rop_resp_t resp;
    size_t n;
    if (ropcli_exec(rc, req, 1, NULL, &resp, &n) != 0 || n != 1)
        return NULL;
    return &resp;
}

static uint32_t ret_of(ropcli_t *rc, const mapi_rop_req_t *req)
{
    mapi_rop_resp_t *r = one(rc, req);
    return r ? r->ret : 0xFFFFFFFFu;
}

/* n messages into folder fid with the store API; mids[] gets their ids. */
static int seed_named(uint64_t fid, int n, const char *prefix, uint64_t *mids)
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
    for (i = 0; i < n && r == 0; i++) {
        ms_message_t *m;
        ms_propval_t v;
        char subj[64];
        snprintf(subj, sizeof(subj), "%s %d", prefix, i);
        v.tag = MS_PR_SUBJECT;
        v.value.str = subj;
        if (ms_message_create(mbx, fid, 0, &m) != MS_OK)
            r = -1;
        else {
            if (ms_message_set_props(m, &v, 1) != MS_OK || ms_message_save(NULL, m) != MS_OK)
                r = -1;
            mids[i] = ms_message_mid(m);
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

static int seed(uint64_t fid, int n, uint64_t *mids)
{
    return seed_named(fid, n, "folder test message", mids);
}

static uint64_t create_folder(ropcli_t *rc, uint8_t parent, uint8_t out, const char *name, uint8_t type,
                              uint32_t *ec)
{
    mapi_rop_req_t r = rq(ROP_CREATE_FOLDER, parent, out);
    mapi_rop_resp_t *p;
    r.u.create_folder.folder_type = type;
    r.u.create_folder.use_unicode = 1;
    r.u.create_folder.display_name = (char *)name;
    r.u.create_folder.comment = (char *)"made by the wire test";
    p = one(rc, &r);
    *ec = p ? p->ret : 0xFFFFFFFFu;
    return p && p->ret == 0 ? p->u.create_folder.folder_id : 0;
}

/* Row count of a folder's contents table (handle index 9 is scratch). */
static int64_t contents_count(ropcli_t *rc, uint8_t folder)
{
    mapi_rop_req_t r = rq(ROP_GET_CONTENTS_TABLE, folder, 9);
    mapi_rop_resp_t *p = one(rc, &r);
    return p && p->ret == 0 ? (int64_t)p->u.table.row_count : -1;
}

static int64_t hierarchy_count(ropcli_t *rc, uint8_t folder)
{
    mapi_rop_req_t r = rq(ROP_GET_HIERARCHY_TABLE, folder, 9);
    mapi_rop_resp_t *p = one(rc, &r);
    return p && p->ret == 0 ? (int64_t)p->u.table.row_count : -1;
}

static uint32_t open_folder(ropcli_t *rc, uint8_t in, uint8_t out, uint64_t fid)
{
    mapi_rop_req_t r = rq(ROP_OPEN_FOLDER, in, out);
    r.u.open_folder.folder_id = fid;
    return ret_of(rc, &r);
}

/* The contents table of the search folder at handle 11: the messages of
 * its scope that match, from several folders, sorted, restricted. */
static void test_search_contents(ropcli_t *rc, uint64_t inbox)
{
    uint32_t tags[2] = {T_SUBJECT, MAPI_PROP_TAG(0x6748, MAPI_PT_I8)};
    mapi_tagarray_t cols = {2, tags};
    const mapi_tagarray_t *cl[1] = {&cols};
    mapi_sort_order_t by_subject = {MAPI_PT_UNICODE, 0x0037, 1};
    mapi_restriction_t res;
    mapi_rop_req_t r;
    mapi_rop_resp_t *p, q;
    char needle[64], hay[64], yname[64], want[80];
    uint64_t yfid, inbox_mid[1], y_mids[2], hay_mid[1];
    uint8_t bm[4] = {0};
    uint32_t ec, i;
    size_t n;

    snprintf(needle, sizeof(needle), "Needle %d", (int)getpid());
    snprintf(hay, sizeof(hay), "hay %d", (int)getpid());
    snprintf(yname, sizeof(yname), "Needles %d", (int)getpid());
    yfid = create_folder(rc, 2, 8, yname, 1, &ec);
    ok(ec == 0 && yfid, "a folder for the needles under the Inbox");
    ok(seed_named(yfid, 2, needle, y_mids) == 0 && seed_named(yfid, 1, hay, hay_mid) == 0 &&
           seed_named(inbox, 1, needle, inbox_mid) == 0,
       "two needles and some hay in it, one needle in the Inbox (store API)");
    memset(&res, 0, sizeof(res));
    res.type = MAPI_RES_CONTENT;
    res.u.content.fuzzy_low = MAPI_FL_SUBSTRING;
    res.u.content.fuzzy_high = MAPI_FL_IGNORECASE;
    res.u.content.tag = T_SUBJECT;
    res.u.content.value.tag = T_SUBJECT;
    res.u.content.value.v.str = needle;
    r = rq(ROP_SET_SEARCH_CRITERIA, 11, 0);
    r.u.set_search_criteria.res = &res;
    r.u.set_search_criteria.nfolders = 1;
    r.u.set_search_criteria.folder_ids = &inbox;
    r.u.set_search_criteria.search_flags = 0x02 | 0x04;
    is_int(ret_of(rc, &r), 0, "SetSearchCriteria(subject contains the needle, Inbox, recursive)");
    r = rq(ROP_GET_CONTENTS_TABLE, 11, 12);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.table.row_count == 3, "the search folder's contents table has the 3 needles (%u)",
       p ? p->u.table.row_count : 0);
    r = rq(ROP_SET_COLUMNS, 12, 0);
    r.u.set_columns.tags = cols;
    is_int(ret_of(rc, &r), 0, "SetColumns(subject, folder id)");
    r = rq(ROP_SORT_TABLE, 12, 0);
    r.u.sort_table.count = 1;
    r.u.sort_table.orders = &by_subject;
    is_int(ret_of(rc, &r), 0, "SortTable(subject desc)");
    r = rq(ROP_QUERY_ROWS, 12, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 10;
    ok(ropcli_exec(rc, &r, 1, cl, &q, &n) == 0 && n == 1 && q.ret == 0 && q.u.query_rows.count == 3 &&
           q.u.query_rows.origin == 2,
       "QueryRows: 3 rows, Origin BOOKMARK_END");
    if (q.ret == 0 && q.u.query_rows.count == 3) {
        int inbox_rows = 0, y_rows = 0;
        snprintf(want, sizeof(want), "%s 1", needle);
        ok(strcmp(q.u.query_rows.rows.vals[0].v.str, want) == 0, "sorted by subject, descending ('%s' first)", want);
        for (i = 0; i < 3; i++) {
            uint64_t f = (uint64_t)q.u.query_rows.rows.vals[2 * i + 1].v.i64;
            inbox_rows += f == inbox;
            y_rows += f == yfid;
        }
        ok(inbox_rows == 1 && y_rows == 2, "rows come from both folders, with their own folder ids");
    }
    r = rq(ROP_SEEK_ROW, 12, 0);
    r.u.seek_row.origin = 2;
    r.u.seek_row.count = -1;
    r.u.seek_row.want_moved = 1;
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.seek_row.sought == -1, "SeekRow(end, -1) in the search table");
    r = rq(ROP_QUERY_POSITION, 12, 0);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.query_position.numerator == 2 && p->u.query_position.denominator == 3,
       "QueryPosition 2 of 3");
    snprintf(want, sizeof(want), "%s 1", needle);
    memset(&res, 0, sizeof(res));
    res.type = MAPI_RES_PROPERTY;
    res.u.prop.relop = MAPI_RELOP_EQ;
    res.u.prop.tag = T_SUBJECT;
    res.u.prop.value.tag = T_SUBJECT;
    res.u.prop.value.v.str = want;
    r = rq(ROP_RESTRICT, 12, 0);
    r.u.restrict_.res = &res;
    is_int(ret_of(rc, &r), 0, "Restrict on the search table");
    r = rq(ROP_QUERY_ROWS, 12, 0);
    r.u.query_rows.forward = 1;
    r.u.query_rows.count = 10;
    ok(ropcli_exec(rc, &r, 1, cl, &q, &n) == 0 && n == 1 && q.ret == 0 && q.u.query_rows.count == 1 &&
           (uint64_t)q.u.query_rows.rows.vals[1].v.i64 == yfid,
       "one row left");
    r = rq(ROP_SEEK_ROW, 12, 0);
    ret_of(rc, &r);
    r = rq(ROP_CREATE_BOOKMARK, 12, 0);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.bookmark.bookmark.len == 4, "CreateBookmark on that row");
    if (p && p->u.bookmark.bookmark.len == 4)
        memcpy(bm, p->u.bookmark.bookmark.data, 4);
    r = rq(ROP_DELETE_MESSAGES, 11, 0);
    r.u.delete_messages.count = 1;
    r.u.delete_messages.mids = y_mids + 1;
    p = one(rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "DeleteMessages through the search folder");
    r = rq(ROP_SEEK_ROW_BOOKMARK, 12, 0);
    r.u.seek_row_bookmark.bookmark.data = bm;
    r.u.seek_row_bookmark.bookmark.len = 4;
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.seek_row_bookmark.no_longer_visible, "SeekRowBookmark: RowNoLongerVisible");
    r = rq(ROP_GET_CONTENTS_TABLE, 11, 12);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.table.row_count == 2, "2 needles left");
    r = rq(ROP_GET_CONTENTS_TABLE, 8, 12);
    r.u.table.table_flags = 0x20;
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.table.row_count == 1, "the deleted one is soft-deleted in its own folder");
    r = rq(ROP_SET_SEARCH_CRITERIA, 11, 0);
    r.u.set_search_criteria.search_flags = 0x02 | 0x08; /* same criteria and folders, shallow */
    is_int(ret_of(rc, &r), 0, "SetSearchCriteria(shallow, the rest reused)");
    r = rq(ROP_GET_CONTENTS_TABLE, 11, 12);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.table.row_count == 1, "a shallow search finds the Inbox needle only");
    r = rq(ROP_HARD_DELETE_MESSAGES, 2, 0);
    r.u.delete_messages.count = 1;
    r.u.delete_messages.mids = inbox_mid;
    p = one(rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "the Inbox needle goes");
    r = rq(ROP_GET_CONTENTS_TABLE, 11, 12);
    p = one(rc, &r);
    ok(p && p->ret == 0 && p->u.table.row_count == 0, "and the search folder follows");
    r = rq(ROP_DELETE_FOLDER, 2, 0);
    r.u.delete_folder.folder_id = yfid;
    r.u.delete_folder.flags = 0x15;
    p = one(rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "the needle folder goes");
}

int main(void)
{
    ropcli_t rc;
    mapi_rop_resp_t logon, *p;
    mapi_rop_req_t r;
    char name[64], sub[64];
    uint64_t fid, fid2, subfid, mids[4], bogus[2];
    uint64_t inbox, deleted, ipm, finder;
    uint32_t ec;

    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    ok(ropcli_open(&rc, "alice") == 0, "alice connects");
    ok(ropcli_logon(&rc, 0, &logon) == 0, "RopLogon");
    ipm = logon.u.logon.folder_ids[3];
    inbox = logon.u.logon.folder_ids[4];
    deleted = logon.u.logon.folder_ids[7];
    finder = logon.u.logon.folder_ids[10];

    /* OpenFolder: from the logon, by id; unknown ids are ecNotFound */
    is_int(open_folder(&rc, 0, 1, ipm), 0, "OpenFolder(IPM subtree) from the logon handle");
    is_int(open_folder(&rc, 1, 2, inbox), 0, "OpenFolder(Inbox) from a folder handle");
    is_int(open_folder(&rc, 0, 3, deleted), 0, "OpenFolder(Deleted Items)");
    is_int(open_folder(&rc, 0, 5, inbox + 0x7777000000000000ull), MAPI_EC_NOT_FOUND, "OpenFolder(no such folder): ecNotFound");
    is_int(open_folder(&rc, 12, 5, inbox), MAPI_EC_NULL_OBJECT, "OpenFolder on an empty slot: ecNullObject");

    /* CreateFolder */
    snprintf(name, sizeof(name), "Folder test %d", (int)getpid());
    snprintf(sub, sizeof(sub), "Sub %d", (int)getpid());
    fid = create_folder(&rc, 2, 4, name, 1, &ec);
    ok(ec == 0 && fid != 0, "CreateFolder('%s') under the Inbox", name);
    create_folder(&rc, 2, 5, name, 1, &ec);
    is_int(ec, MAPI_EC_DUPLICATE_NAME, "the same name again: ecDuplicateName");
    r = rq(ROP_CREATE_FOLDER, 2, 5);
    r.u.create_folder.folder_type = 1;
    r.u.create_folder.use_unicode = 1;
    r.u.create_folder.open_existing = 1;
    r.u.create_folder.display_name = name;
    r.u.create_folder.comment = (char *)"";
    p = one(&rc, &r);
    ok(p && p->ret == 0 && p->u.create_folder.folder_id == fid, "with OpenExisting: the existing folder");
    create_folder(&rc, 2, 5, "bad type", 7, &ec);
    is_int(ec, MAPI_EC_INVALID_PARAMETER, "FolderType 7: ecInvalidParameter");
    subfid = create_folder(&rc, 4, 6, sub, 1, &ec);
    ok(ec == 0 && subfid != 0, "a subfolder in it");
    is_int(hierarchy_count(&rc, 4), 1, "its hierarchy table has one row");
    r = rq(ROP_GET_HIERARCHY_TABLE, 4, 9);
    r.u.table.table_flags = 0x01;
    is_int(ret_of(&rc, &r), MAPI_EC_INVALID_PARAMETER, "GetHierarchyTable with a bad flag: ecInvalidParameter");
    r = rq(ROP_GET_CONTENTS_TABLE, 4, 9);
    r.u.table.table_flags = 0x04;
    is_int(ret_of(&rc, &r), MAPI_EC_INVALID_PARAMETER, "GetContentsTable with Depth: ecInvalidParameter");
    r = rq(ROP_GET_CONTENTS_TABLE, 0, 9);
    is_int(ret_of(&rc, &r), MAPI_EC_NOT_SUPPORTED, "GetContentsTable on the logon: ecNotSupported");
    {
        mapi_rop_req_t h = rq(ROP_GET_HIERARCHY_TABLE, 1, 9);
        h.u.table.table_flags = 0x20; /* SoftDeletes */
        p = one(&rc, &h);
        ok(p && p->ret == 0 && p->u.table.row_count == 0, "no soft-deleted folders");
    }

    /* messages: move, copy, delete */
    ok(seed(fid, 4, mids) == 0, "four messages in the test folder (store API)");
    is_int(contents_count(&rc, 4), 4, "GetContentsTable: 4 rows");
    fid2 = create_folder(&rc, 2, 7, sub, 1, &ec); /* same name as the subfolder, elsewhere: fine */
    ok(ec == 0 && fid2 != 0, "a second folder under the Inbox");
    r = rq(ROP_MOVE_COPY_MESSAGES, 4, 7);
    r.u.move_copy_messages.count = 2;
    r.u.move_copy_messages.mids = mids;
    r.u.move_copy_messages.want_copy = 1;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "MoveCopyMessages(copy 2)");
    is_int(contents_count(&rc, 7), 2, "the copies are there");
    is_int(contents_count(&rc, 4), 4, "the originals stay");
    r.u.move_copy_messages.want_copy = 0;
    r.u.move_copy_messages.mids = mids + 2;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "MoveCopyMessages(move 2)");
    is_int(contents_count(&rc, 7), 4, "4 in the destination");
    is_int(contents_count(&rc, 4), 2, "2 left in the source");
    bogus[0] = mids[2]; /* moved away already */
    bogus[1] = 0x7777000000000001ull; /* no such message */
    r.u.move_copy_messages.mids = bogus;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && p->u.partial.partial, "moving a message that is not there: PartialCompletion");
    r.out_idx = 13;
    p = one(&rc, &r);
    ok(p && p->ret == MAPI_EC_DST_NULL_OBJECT && p->u.partial.dest_idx == 13,
       "an empty destination slot: ecDstNullObject with DestHandleIndex");
    r = rq(ROP_DELETE_MESSAGES, 4, 0);
    r.u.delete_messages.count = 2;
    r.u.delete_messages.mids = mids;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "DeleteMessages(the 2 left)");
    is_int(contents_count(&rc, 4), 0, "the source folder is empty");
    {
        mapi_rop_req_t t = rq(ROP_GET_CONTENTS_TABLE, 4, 9);
        t.u.table.table_flags = 0x20;
        p = one(&rc, &t);
        ok(p && p->ret == 0 && p->u.table.row_count == 2, "the soft-deleted messages are in the SoftDeletes view");
        p = one(&rc, &r);
        ok(p && p->ret == 0 && !p->u.partial.partial, "deleting them again purges them");
        p = one(&rc, &t);
        ok(p && p->ret == 0 && p->u.table.row_count == 0, "the SoftDeletes view is empty");
        p = one(&rc, &r);
        ok(p && p->ret == 0 && p->u.partial.partial, "deleting a message that is gone: PartialCompletion");
    }
    {
        /* moved and copied messages have new ids: read one from the table */
        uint32_t mt = MAPI_PROP_TAG(0x674A, MAPI_PT_I8);
        mapi_tagarray_t cols = {1, &mt};
        const mapi_tagarray_t *cl[1] = {&cols};
        mapi_rop_req_t t = rq(ROP_GET_CONTENTS_TABLE, 7, 9);
        mapi_rop_resp_t q;
        size_t n;
        uint64_t victim = 0;
        is_int(ret_of(&rc, &t), 0, "GetContentsTable(second folder)");
        t = rq(ROP_SET_COLUMNS, 9, 0);
        t.u.set_columns.tags = cols;
        is_int(ret_of(&rc, &t), 0, "SetColumns(mid)");
        t = rq(ROP_QUERY_ROWS, 9, 0);
        t.u.query_rows.forward = 1;
        t.u.query_rows.count = 1;
        if (ropcli_exec(&rc, &t, 1, cl, &q, &n) == 0 && n == 1 && q.ret == 0 && q.u.query_rows.count == 1)
            victim = (uint64_t)q.u.query_rows.rows.vals[0].v.i64;
        ok(victim != 0, "a message id from the table");
        r = rq(ROP_HARD_DELETE_MESSAGES, 7, 0);
        r.u.delete_messages.count = 1;
        r.u.delete_messages.mids = &victim;
        p = one(&rc, &r);
        ok(p && p->ret == 0 && !p->u.partial.partial, "HardDeleteMessages(1)");
        is_int(contents_count(&rc, 7), 3, "3 left in the second folder");
        t = rq(ROP_GET_CONTENTS_TABLE, 7, 9);
        t.u.table.table_flags = 0x20;
        p = one(&rc, &t);
        ok(p && p->ret == 0 && p->u.table.row_count == 0, "a hard-deleted message is not in the SoftDeletes view");
    }
    r = rq(ROP_DELETE_MESSAGES, 12, 0);
    is_int(ret_of(&rc, &r), MAPI_EC_NULL_OBJECT, "DeleteMessages on an empty slot: ecNullObject");

    /* EmptyFolder / HardDeleteMessagesAndSubfolders */
    r = rq(ROP_EMPTY_FOLDER, 1, 0);
    is_int(ret_of(&rc, &r), MAPI_EC_NOT_SUPPORTED, "EmptyFolder on the IPM subtree: ecNotSupported");
    r = rq(ROP_EMPTY_FOLDER, 7, 0);
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "EmptyFolder");
    is_int(contents_count(&rc, 7), 0, "leaves no message");
    r = rq(ROP_HARD_DELETE_MESSAGES_AND_SUBFOLDERS, 0, 0);
    is_int(ret_of(&rc, &r), MAPI_EC_NOT_SUPPORTED, "HardDeleteMessagesAndSubfolders on the logon: ecNotSupported");

    /* MoveFolder / CopyFolder */
    r = rq(ROP_COPY_FOLDER, 2, 7);
    r.u.move_copy_folder.want_recursive = 1;
    r.u.move_copy_folder.use_unicode = 1;
    r.u.move_copy_folder.folder_id = fid;
    r.u.move_copy_folder.new_name = (char *)"copied";
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "CopyFolder(recursive) into the second folder");
    is_int(hierarchy_count(&rc, 7), 1, "the copy is there");
    is_int(ret_of(&rc, &r), MAPI_EC_DUPLICATE_NAME, "copying again under the same name: ecDuplicateName");
    r = rq(ROP_MOVE_FOLDER, 2, 3);
    r.u.move_copy_folder.use_unicode = 1;
    r.u.move_copy_folder.folder_id = fid;
    r.u.move_copy_folder.new_name = name;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "MoveFolder into Deleted Items");
    is_int(open_folder(&rc, 3, 5, fid), 0, "the moved folder opens with the same id");
    p = one(&rc, &r);
    ok(p && p->ret == MAPI_EC_NOT_FOUND, "moving it again from the Inbox: ecNotFound (not a child)");
    r.out_idx = 13;
    p = one(&rc, &r);
    ok(p && p->ret == MAPI_EC_DST_NULL_OBJECT, "MoveFolder to an empty slot: ecDstNullObject");

    /* DeleteFolder */
    r = rq(ROP_DELETE_FOLDER, 3, 0);
    r.u.delete_folder.folder_id = fid;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && p->u.partial.partial, "DeleteFolder without DEL_FOLDERS on a folder with a subfolder: PartialCompletion");
    is_int(open_folder(&rc, 0, 5, fid), 0, "and the folder stays");
    r.u.delete_folder.flags = 0x40;
    is_int(ret_of(&rc, &r), MAPI_EC_INVALID_PARAMETER, "DeleteFolder with an unknown flag: ecInvalidParameter");
    r.u.delete_folder.flags = 0x01 | 0x04 | 0x10;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "DeleteFolder(DEL_MESSAGES|DEL_FOLDERS|HARD)");
    is_int(open_folder(&rc, 0, 5, fid), MAPI_EC_NOT_FOUND, "the folder is gone");
    is_int(open_folder(&rc, 0, 5, subfid), MAPI_EC_NOT_FOUND, "and its subfolder");
    r = rq(ROP_DELETE_FOLDER, 1, 0);
    r.u.delete_folder.folder_id = inbox;
    r.u.delete_folder.flags = 0x15;
    is_int(ret_of(&rc, &r), MAPI_EC_ACCESS_DENIED, "DeleteFolder(Inbox): ecAccessDenied");
    r = rq(ROP_DELETE_FOLDER, 3, 0);
    r.u.delete_folder.folder_id = fid2;
    r.u.delete_folder.flags = 0x15;
    is_int(ret_of(&rc, &r), MAPI_EC_NOT_FOUND, "DeleteFolder of a folder that is not a child: ecNotFound");

    /* HardDeleteMessagesAndSubfolders on the second folder, then delete it */
    ok(seed(fid2, 1, mids) == 0, "one more message (store API)");
    r = rq(ROP_HARD_DELETE_MESSAGES_AND_SUBFOLDERS, 7, 0);
    r.u.empty_folder.want_delete_associated = 1;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "HardDeleteMessagesAndSubfolders");
    is_int(contents_count(&rc, 7), 0, "no messages");
    is_int(hierarchy_count(&rc, 7), 0, "no subfolders");
    r = rq(ROP_DELETE_FOLDER, 2, 0);
    r.u.delete_folder.folder_id = fid2;
    p = one(&rc, &r);
    ok(p && p->ret == 0 && !p->u.partial.partial, "an empty folder deletes without flags");

    /* search folders */
    {
        mapi_restriction_t res;
        uint64_t scope[1];
        char sname[64];
        uint64_t sfid;
        is_int(open_folder(&rc, 0, 10, finder), 0, "OpenFolder(Finder)");
        snprintf(sname, sizeof(sname), "Search %d", (int)getpid());
        sfid = create_folder(&rc, 10, 11, sname, 2, &ec);
        ok(ec == 0 && sfid != 0, "CreateFolder(search folder)");
        r = rq(ROP_GET_SEARCH_CRITERIA, 11, 0);
        r.u.get_search_criteria.include_restriction = 1;
        r.u.get_search_criteria.include_folders = 1;
        is_int(ret_of(&rc, &r), MAPI_EC_NOT_INITIALIZED, "GetSearchCriteria before any criteria: ecNotInitialized");
        memset(&res, 0, sizeof(res));
        res.type = MAPI_RES_EXIST;
        res.u.exist.tag = T_SUBJECT;
        scope[0] = inbox;
        r = rq(ROP_SET_SEARCH_CRITERIA, 11, 0);
        r.u.set_search_criteria.res = &res;
        r.u.set_search_criteria.nfolders = 1;
        r.u.set_search_criteria.folder_ids = scope;
        r.u.set_search_criteria.search_flags = 0x02 | 0x04; /* RESTART_SEARCH | RECURSIVE_SEARCH */
        is_int(ret_of(&rc, &r), 0, "SetSearchCriteria(subject exists, Inbox, recursive)");
        r.u.set_search_criteria.search_flags = 0x01 | 0x02;
        is_int(ret_of(&rc, &r), MAPI_EC_INVALID_PARAMETER, "STOP_SEARCH with RESTART_SEARCH: ecInvalidParameter");
        r.in_idx = 2;
        r.u.set_search_criteria.search_flags = 0x02;
        is_int(ret_of(&rc, &r), MAPI_EC_NOT_SUPPORTED, "SetSearchCriteria on a generic folder: ecNotSupported");
        r = rq(ROP_GET_SEARCH_CRITERIA, 11, 0);
        r.u.get_search_criteria.include_restriction = 1;
        r.u.get_search_criteria.include_folders = 1;
        p = one(&rc, &r);
        ok(p && p->ret == 0 && p->u.get_search_criteria.res && p->u.get_search_criteria.res->type == MAPI_RES_EXIST &&
               p->u.get_search_criteria.res->u.exist.tag == T_SUBJECT,
           "GetSearchCriteria gives the restriction back");
        ok(p && p->u.get_search_criteria.nfolders == 1 && p->u.get_search_criteria.folder_ids[0] == inbox,
           "and the folder list");
        ok(p && (p->u.get_search_criteria.search_flags & 0x04) && (p->u.get_search_criteria.search_flags & 0x1000),
           "and SEARCH_RECURSIVE | SEARCH_COMPLETE (0x%X)", p ? p->u.get_search_criteria.search_flags : 0);
        test_search_contents(&rc, inbox);
        r = rq(ROP_DELETE_FOLDER, 10, 0);
        r.u.delete_folder.folder_id = sfid;
        r.u.delete_folder.flags = 0x15;
        p = one(&rc, &r);
        ok(p && p->ret == 0, "the search folder deletes");
    }
    ropcli_close(&rc);
    return done_testing();
}
