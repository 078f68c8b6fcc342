/* test_store_check.c - every property type through save/open, value helpers,
 * and `check` finding deliberate damage (records edited with LMDB directly);
 * damaged records give errors, never crashes. */
#include <lmdb.h>
#include "test_store_util.h"

static ms_guid_t g1 = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};

static void test_value_helpers(void)
{
    int16_t shorts[3] = {1, -2, 3};
    char *strs[2] = {"a", "b\xc3\xa9"};
    uint8_t b1[3] = {1, 2, 3};
    ms_binary_t bins[2] = {{3, b1}, {0, NULL}};
    ms_propval_t src[4] = {{.tag = MS_PROP_TAG(MS_PT_MV_SHORT, 0x8001)}, {.tag = MS_PROP_TAG(MS_PT_MV_UNICODE, 0x8002)},
                           {.tag = MS_PROP_TAG(MS_PT_MV_BINARY, 0x8003)}, {.tag = MS_PROP_TAG(MS_PT_CLSID, 0x8004)}};
    src[0].value.mv.count = 3;
    src[0].value.mv.v.i = shorts;
    src[1].value.mv.count = 2;
    src[1].value.mv.v.str = strs;
    src[2].value.mv.count = 2;
    src[2].value.mv.v.bin = bins;
    src[3].value.guid = &g1;
    ms_propval_t d[4];
    for (int i = 0; i < 4; i++) {
        is_int(ms_propval_dup(&src[i], &d[i]), MS_OK, "dup type 0x%04x", MS_PROP_TYPE(src[i].tag));
        is_int(ms_propval_cmp(&src[i], &d[i]), 0, "copy compares equal");
    }
    ok(d[1].value.mv.v.str[1] != strs[1] && !strcmp(d[1].value.mv.v.str[1], strs[1]), "deep copy of strings");
    for (int i = 0; i < 4; i++)
        ms_propval_free(&d[i]);
    ms_propval_t bad = {.tag = MS_PROP_TAG(0x0033, 1)}, out;
    is_int(ms_propval_dup(&bad, &out), MS_E_INVALID_PARAM, "unknown type refused");
    ms_propval_t nobin = {.tag = MS_PROP_TAG(MS_PT_BINARY, 1)};
    nobin.value.bin.cb = 5;
    is_int(ms_propval_dup(&nobin, &out), MS_E_INVALID_PARAM, "binary length without data refused");
    ms_propval_t a = {.tag = MS_PR_SUBJECT}, b = {.tag = MS_PROP_TAG(MS_PT_STRING8, 0x0037)};
    a.value.str = "abc";
    b.value.str = "ABD";
    ok(ms_propval_cmp(&a, &b) < 0, "strings compare case-insensitively");
    ms_propval_t x = {.tag = MS_PR_MESSAGE_SIZE}, y = {.tag = MS_PR_MESSAGE_SIZE};
    x.value.l = -5;
    y.value.l = 3;
    ok(ms_propval_cmp(&x, &y) < 0 && ms_propval_cmp(&y, &x) > 0, "signed integers compare");
    is_str(ms_strerror(MS_E_NOT_FOUND), "not found", "ms_strerror");
    ok(ms_last_error() != NULL, "ms_last_error never NULL");
}

static void test_all_types(ms_mailbox_t *mbx, ms_id_t fid)
{
    ms_message_t *m;
    ms_message_create(mbx, fid, 1, &m);
    int32_t longs[3] = {7, -8, 9};
    double dbls[2] = {1.5, -2.25};
    uint64_t fts[2] = {1, 2};
    ms_guid_t guids[2] = {g1, g1};
    char *strs[3] = {"one", "", "three"};
    uint8_t bigbin[5000];
    for (int i = 0; i < 5000; i++)
        bigbin[i] = (uint8_t)i;
    ms_binary_t bins[2] = {{5000, bigbin}, {1, bigbin}};
    ms_propval_t v[14];
    memset(v, 0, sizeof(v));
    v[0].tag = MS_PROP_TAG(MS_PT_SHORT, 0x8101); v[0].value.i = -12;
    v[1].tag = MS_PROP_TAG(MS_PT_LONG, 0x8102); v[1].value.l = 123456;
    v[2].tag = MS_PROP_TAG(MS_PT_FLOAT, 0x8103); v[2].value.flt = 1.25f;
    v[3].tag = MS_PROP_TAG(MS_PT_DOUBLE, 0x8104); v[3].value.dbl = 3.5;
    v[4].tag = MS_PROP_TAG(MS_PT_CURRENCY, 0x8105); v[4].value.cur = 99990000;
    v[5].tag = MS_PROP_TAG(MS_PT_BOOLEAN, 0x8106); v[5].value.b = 1;
    v[6].tag = MS_PROP_TAG(MS_PT_I8, 0x8107); v[6].value.li = -1234567890123LL;
    v[7].tag = MS_PROP_TAG(MS_PT_SYSTIME, 0x8108); v[7].value.ft = 133000000000000000ull;
    v[8].tag = MS_PROP_TAG(MS_PT_CLSID, 0x8109); v[8].value.guid = &g1;
    v[9].tag = MS_PROP_TAG(MS_PT_MV_LONG, 0x810A); v[9].value.mv.count = 3; v[9].value.mv.v.l = longs;
    v[10].tag = MS_PROP_TAG(MS_PT_MV_DOUBLE, 0x810B); v[10].value.mv.count = 2; v[10].value.mv.v.dbl = dbls;
    v[11].tag = MS_PROP_TAG(MS_PT_MV_SYSTIME, 0x810C); v[11].value.mv.count = 2; v[11].value.mv.v.ft = fts;
    v[12].tag = MS_PROP_TAG(MS_PT_MV_UNICODE, 0x810D); v[12].value.mv.count = 3; v[12].value.mv.v.str = strs;
    v[13].tag = MS_PROP_TAG(MS_PT_MV_BINARY, 0x810E); v[13].value.mv.count = 2; v[13].value.mv.v.bin = bins;
    is_int(ms_message_set_props(m, v, 14), MS_OK, "set one property of every type");
    ms_propval_t mvg = {.tag = MS_PROP_TAG(MS_PT_MV_CLSID, 0x810F)};
    mvg.value.mv.count = 2;
    mvg.value.mv.v.guid = guids;
    is_int(ms_message_set_props(m, &mvg, 1), MS_OK, "multi-valued GUIDs");
    is_int(ms_message_save(NULL, m), MS_OK, "save (FAI message)");
    ms_id_t mid = ms_message_mid(m);
    ms_message_free(m);
    is_int(ms_message_open(NULL, mbx, fid, mid, &m), MS_OK, "reopen");
    int same = 1;
    for (int i = 0; i < 14; i++) {
        const ms_propval_t *g = ms_message_get_prop(m, v[i].tag);
        if (!g || ms_propval_cmp(g, &v[i]) != 0) {
            diag("type 0x%04x differs", MS_PROP_TYPE(v[i].tag));
            same = 0;
        }
    }
    ok(same, "every type round-trips through the store");
    const ms_propval_t *g = ms_message_get_prop(m, v[13].tag);
    ok(g && g->value.mv.v.bin[0].cb == 5000 && !memcmp(g->value.mv.v.bin[0].pb, bigbin, 5000), "large multi-value kept (out of line)");
    g = ms_message_get_prop(m, v[12].tag);
    ok(g && !strcmp(g->value.mv.v.str[2], "three") && !g->value.mv.v.str[1][0], "MV strings incl. an empty one");
    g = ms_message_get_prop(m, MS_PR_MESSAGE_FLAGS);
    ok(g && (g->value.l & MS_MSGFLAG_ASSOCIATED), "FAI flag");
    const ms_propval_t *all;
    size_t n;
    is_int(ms_message_get_all(m, &all, &n), MS_OK, "get all properties");
    ok(n >= 15, "stored and computed properties listed (%zu)", n);
    is_int(ms_message_remove_all_recipients(m), MS_OK, "remove all recipients");
    ms_message_free(m);
    ms_table_t *t;
    uint32_t count;
    ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, fid, MS_TABLE_ASSOCIATED, &t);
    ms_table_row_count(NULL, t, &count);
    is_int(count, 1, "FAI contents table has it");
    ms_table_close(t);
    ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, fid, 0, &t);
    ms_table_row_count(NULL, t, &count);
    is_int(count, 0, "normal contents table does not");
    ms_table_close(t);
}

/* Open the database environment directly and run fn on one dbi. */
static int damage(const char *dbname, int (*fn)(MDB_txn *, MDB_dbi))
{
    char path[400];
    snprintf(path, sizeof(path), "%s/db/db1", ts_root);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    int r = mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 16);
    if (!r) r = mdb_env_open(env, path, 0, 0660);
    if (!r) r = mdb_txn_begin(env, NULL, 0, &txn);
    if (!r) r = mdb_dbi_open(txn, dbname, 0, &dbi);
    if (!r) r = fn(txn, dbi);
    if (!r)
        r = mdb_txn_commit(txn);
    mdb_env_close(env);
    return r;
}

static int del_first(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_cursor *c;
    MDB_val k, v;
    int r = mdb_cursor_open(txn, dbi, &c);
    if (!r) r = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    if (!r) r = mdb_cursor_del(c, 0);
    mdb_cursor_close(c);
    return r;
}

static int truncate_first(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_cursor *c;
    MDB_val k, v;
    int r = mdb_cursor_open(txn, dbi, &c);
    /* first 'M' object record: cut it to 7 bytes */
    for (r = mdb_cursor_get(c, &k, &v, MDB_FIRST); !r; r = mdb_cursor_get(c, &k, &v, MDB_NEXT))
        if (k.mv_size == 15 && ((uint8_t *)k.mv_data)[4] == 'M' && v.mv_size > 7)
            break;
    if (!r) {
        uint8_t buf[7];
        memcpy(buf, v.mv_data, 7);
        MDB_val nv = {7, buf};
        r = mdb_cursor_put(c, &k, &nv, MDB_CURRENT);
    }
    mdb_cursor_close(c);
    return r;
}

static int bump_folder_count(MDB_txn *txn, MDB_dbi dbi)
{
    MDB_cursor *c;
    MDB_val k, v;
    int r = mdb_cursor_open(txn, dbi, &c);
    if (!r) r = mdb_cursor_get(c, &k, &v, MDB_FIRST);
    if (!r) {
        uint8_t buf[256];
        memcpy(buf, v.mv_data, v.mv_size);
        buf[28] ^= 0x40;   /* ms_folder_rec_t.count of the root folder */
        MDB_val nv = {v.mv_size, buf};
        r = mdb_cursor_put(c, &k, &nv, MDB_CURRENT);
    }
    mdb_cursor_close(c);
    return r;
}

/* LMDB must not have one environment open twice in a process: close the
 * store around each direct edit. */
static ms_store_t *st;
static ms_mailbox_t *mbx;

static int saw_corrupt;
static void find_corrupt(void *ctx, const char *line)
{
    (void)ctx;
    if (strstr(line, "corrupt object record"))
        saw_corrupt = 1;
}

static int damage_closed(const char *dbname, int (*fn)(MDB_txn *, MDB_dbi))
{
    ms_mailbox_close(mbx);
    ms_store_close(st);
    int r = damage(dbname, fn);
    if (ms_store_open(ts_root, 0, &st) != MS_OK ||
        ms_mailbox_open(st, MS_LOOKUP_SMTP, "alice@example.test", &mbx) != MS_OK)
        return -1;
    return r;
}

static void test_check_finds_damage(ms_id_t fid)
{
    is_int(ts_check(st), 0, "clean before damage");
    unsigned p0 = 0, p1;
    is_int(damage_closed("cindex", del_first), 0, "delete an index entry behind the store's back");
    ok((p1 = ts_check(st)) > p0, "check reports the missing index entry");
    p0 = p1;
    is_int(damage_closed("folders", bump_folder_count), 0, "corrupt a folder counter");
    ok((p1 = ts_check(st)) > p0, "check reports the counter");
    p0 = p1;
    is_int(damage_closed("blobs", del_first), 0, "delete a blob chunk");
    ok((p1 = ts_check(st)) > p0, "check reports the missing chunk");
    p0 = p1;
    is_int(damage_closed("objs", truncate_first), 0, "truncate a property record");
    unsigned probs = 0;
    saw_corrupt = 0;
    ms_store_check(st, find_corrupt, NULL, &probs);
    ok(saw_corrupt && probs > 0, "check reports the truncated record");
    /* opening damaged messages fails cleanly */
    ms_table_t *t;
    ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, fid, MS_TABLE_ASSOCIATED, &t);
    uint32_t col = MS_PR_MID;
    ms_table_set_columns(t, &col, 1);
    ms_rowset_t rs;
    ms_err_t rc = ms_table_query(NULL, t, 10, 0, &rs);
    ok(rc == MS_OK || rc == MS_E_JET || rc == MS_E_NOT_FOUND, "table over damaged records: error or rows, no crash");
    ms_rowset_free(&rs);
    ms_table_close(t);
    int errors = 0;
    for (uint64_t gc = 1; gc < 200; gc++) {
        ms_message_t *m;
        rc = ms_message_open(NULL, mbx, 0, ms_id_make(1, gc), &m);
        if (rc == MS_OK)
            ms_message_free(m);
        else if (rc == MS_E_JET)
            errors++;
    }
    ok(errors > 0, "damaged messages open with ecJetError (%d)", errors);
}

int main(void)
{
    test_value_helpers();
    st = ts_setup("check", 0, &mbx);
    ok(st != NULL, "store set up");
    if (!st)
        return done_testing();
    is_str(ms_store_root(st), ts_root, "store root");
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    test_all_types(mbx, inbox);
    for (int i = 0; i < 5; i++)
        ts_message(mbx, inbox, "filler", "Someone", (uint64_t)i);
    test_check_finds_damage(inbox);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    ts_rmrf(ts_root);
    return done_testing();
}
