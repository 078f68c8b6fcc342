/* test_store_acl.c - the outgoing queue, folder permission lists and
 * folder rules of the store (ms_queue.c, ms_acl.c, ms_rules.c). */
#include "test_store_util.h"

static void test_queue(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t outbox = ms_special_folder_id(MS_FOLDER_OUTBOX);
    ms_queue_entry_t e = {outbox, 0, ms_special_folder_id(MS_FOLDER_SENT_ITEMS), 123456789, MS_QF_MOVE_TO_SENT};
    ms_queue_entry_t *list = NULL, got;
    size_t n = 99;

    is_int(ms_queue_list(NULL, mbx, &list, &n), MS_OK, "queue: empty list");
    is_int((int)n, 0, "queue: nothing queued");
    free(list);
    is_int(ms_queue_add(NULL, mbx, &e), MS_E_INVALID_PARAM, "queue: mid 0 refused");
    e.mid = ms_id_make(1, 1000);
    is_int(ms_queue_add(NULL, mbx, &e), MS_OK, "queue: add");
    e.mid = ms_id_make(1, 1001);
    e.flags = MS_QF_DELETE_AFTER_SUBMIT;
    is_int(ms_queue_add(NULL, mbx, &e), MS_OK, "queue: add second");
    e.flags |= MS_QF_PRE_PROCESS;
    is_int(ms_queue_add(NULL, mbx, &e), MS_OK, "queue: same mid again replaces");
    is_int(ms_queue_list(NULL, mbx, &list, &n), MS_OK, "queue: list");
    is_int((int)n, 2, "queue: two entries");
    ok(n == 2 && list[0].mid == ms_id_make(1, 1000) && list[0].sent_fid == ms_special_folder_id(MS_FOLDER_SENT_ITEMS)
           && list[0].submit_time == 123456789 && list[0].flags == MS_QF_MOVE_TO_SENT,
       "queue: first entry round trip");
    ok(n == 2 && list[1].flags == (MS_QF_DELETE_AFTER_SUBMIT | MS_QF_PRE_PROCESS), "queue: replaced entry flags");
    free(list);
    is_int(ms_queue_find(NULL, mbx, ms_id_make(1, 1001), &got), MS_OK, "queue: find");
    ok(got.fid == outbox, "queue: found entry's folder");
    is_int(ms_queue_remove(NULL, mbx, ms_id_make(1, 1000)), MS_OK, "queue: remove");
    is_int(ms_queue_remove(NULL, mbx, ms_id_make(1, 1000)), MS_E_NOT_FOUND, "queue: remove again -> not found");
    is_int(ms_queue_find(NULL, mbx, ms_id_make(1, 1000), &got), MS_E_NOT_FOUND, "queue: removed one not found");

    /* inside a caller's transaction that is rolled back */
    ms_txn_t *txn;
    is_int(ms_txn_begin(mbx, MS_TXN_WRITE, &txn), MS_OK, "queue: write txn");
    e.mid = ms_id_make(1, 1002);
    is_int(ms_queue_add(txn, mbx, &e), MS_OK, "queue: add in txn");
    is_int(ms_queue_find(txn, mbx, e.mid, &got), MS_OK, "queue: visible in the txn");
    ms_txn_abort(txn);
    is_int(ms_queue_find(NULL, mbx, e.mid, &got), MS_E_NOT_FOUND, "queue: gone after abort");
    is_int((int)ts_check(st), 0, "queue: store check clean");
}

static void test_acl(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    ms_acl_entry_t e[3], *out = NULL;
    size_t n = 9;

    memset(e, 0, sizeof(e));
    is_int(ms_acl_get(NULL, mbx, inbox, &out, &n), MS_OK, "acl: empty");
    is_int((int)n, 0, "acl: no members stored");
    free(out);
    e[0].member_id = MS_ACL_MEMBER_DEFAULT;
    e[0].rights = 0x400;
    e[1].member_id = 7;
    e[1].rights = 0x49B;
    snprintf(e[1].name, sizeof(e[1].name), "Bob \xc3\xa9");
    e[1].entryid_len = 5;
    memcpy(e[1].entryid, "\x00\x01\x02\x03\x04", 5);
    is_int(ms_acl_set(NULL, mbx, inbox, e, 2), MS_OK, "acl: set two");
    is_int(ms_acl_get(NULL, mbx, inbox, &out, &n), MS_OK, "acl: get");
    is_int((int)n, 2, "acl: two members");
    ok(n == 2 && out[0].member_id == 0 && out[0].rights == 0x400 && out[0].entryid_len == 0, "acl: default member");
    ok(n == 2 && out[1].member_id == 7 && out[1].rights == 0x49B && !strcmp(out[1].name, "Bob \xc3\xa9")
           && out[1].entryid_len == 5 && !memcmp(out[1].entryid, "\x00\x01\x02\x03\x04", 5),
       "acl: member round trip");
    free(out);
    e[2].entryid_len = MS_ACL_ENTRYID_MAX + 1;
    is_int(ms_acl_set(NULL, mbx, inbox, e, 3), MS_E_INVALID_PARAM, "acl: oversized entry id refused");
    is_int(ms_acl_set(NULL, mbx, inbox, e, MS_ACL_MAX + 1), MS_E_TABLE_TOO_BIG, "acl: too many members");
    is_int(ms_acl_get(NULL, mbx, ms_id_make(1, 999999), &out, &n), MS_E_NOT_FOUND, "acl: unknown folder");
    is_int(ms_acl_set(NULL, mbx, inbox, NULL, 0), MS_OK, "acl: clear");
    is_int(ms_acl_get(NULL, mbx, inbox, &out, &n), MS_OK, "acl: get after clear");
    is_int((int)n, 0, "acl: cleared");
    free(out);
    is_int((int)ts_check(st), 0, "acl: store check clean");
}

static void test_rules(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    uint8_t big[3000];
    ms_rule_t r[2] = {{1, 3, (uint8_t *)"abc"}, {2, sizeof(big), big}}, *out = NULL;
    size_t n = 9;

    memset(big, 0x5A, sizeof(big));
    is_int(ms_rules_get(NULL, mbx, inbox, &out, &n), MS_OK, "rules: empty");
    is_int((int)n, 0, "rules: none");
    ms_rules_free(out, n);
    is_int(ms_rules_set(NULL, mbx, inbox, r, 2), MS_OK, "rules: set (one value out of line)");
    is_int(ms_rules_get(NULL, mbx, inbox, &out, &n), MS_OK, "rules: get");
    ok(n == 2 && out[0].id == 1 && out[0].len == 3 && !memcmp(out[0].data, "abc", 3), "rules: first round trip");
    ok(n == 2 && out[1].id == 2 && out[1].len == sizeof(big) && !memcmp(out[1].data, big, sizeof(big)),
       "rules: large rule round trip");
    ms_rules_free(out, n);
    r[1].id = 1;
    is_int(ms_rules_set(NULL, mbx, inbox, r, 2), MS_E_INVALID_PARAM, "rules: duplicate ids refused");
    is_int(ms_rules_set(NULL, mbx, inbox, r, MS_RULES_MAX + 1), MS_E_NOMEM, "rules: too many -> ecNotEnoughMemory");
    is_int((int)ts_check(st), 0, "rules: store check clean");
    is_int(ms_rules_set(NULL, mbx, inbox, NULL, 0), MS_OK, "rules: clear");
    is_int(ms_rules_get(NULL, mbx, inbox, &out, &n), MS_OK, "rules: get after clear");
    is_int((int)n, 0, "rules: cleared");
    ms_rules_free(out, n);
}

/* Damaged records (every truncation of a valid one, bad versions, lengths
 * past the end) give MS_E_JET or a shorter list, never a crash. */
static void test_damaged(ms_mailbox_t *mbx)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX), root = ms_special_folder_id(MS_FOLDER_ROOT);
    static const uint32_t tags[3] = {MS_PR_SUBMIT_QUEUE, MS_PR_ACL_DATA, MS_PR_RULES_DATA};
    ms_acl_entry_t acl;
    ms_rule_t rule = {5, 4, (uint8_t *)"data"};
    ms_queue_entry_t qe = {inbox, ms_id_make(1, 4242), 0, 1, 0};
    int t, bad = 0, crashed_free = 1;

    memset(&acl, 0, sizeof(acl));
    acl.member_id = 3;
    acl.rights = 1;
    snprintf(acl.name, sizeof(acl.name), "Bob");
    acl.entryid_len = 3;
    ms_queue_add(NULL, mbx, &qe);
    ms_acl_set(NULL, mbx, inbox, &acl, 1);
    ms_rules_set(NULL, mbx, inbox, &rule, 1);
    for (t = 0; t < 3; t++) {
        ms_id_t fid = t == 0 ? root : inbox;
        ms_propval_t *vals = NULL;
        size_t n = 0, len, cut;
        uint8_t *orig;
        if (ms_folder_get_props(NULL, mbx, fid, &tags[t], 1, &vals, &n) != MS_OK || n != 1 ||
            vals[0].tag != tags[t]) {
            bad++;
            ms_propvals_free(vals, n);
            continue;
        }
        len = vals[0].value.bin.cb;
        orig = malloc(len);
        memcpy(orig, vals[0].value.bin.pb, len);
        ms_propvals_free(vals, n);
        for (cut = 1; cut <= len + 2; cut++) {
            uint8_t buf[1024];
            ms_propval_t v = {.tag = tags[t]};
            ms_err_t rc;
            size_t got = 0;
            memset(buf, 0xEE, sizeof(buf));
            memcpy(buf, orig, cut < len ? cut : len);
            if (cut == len + 1)
                buf[0] = 9; /* unknown version */
            v.value.bin.cb = (uint32_t)(cut <= len ? cut : len + 1);
            v.value.bin.pb = buf;
            ms_folder_set_props(NULL, mbx, fid, &v, 1);
            if (t == 0) {
                ms_queue_entry_t *e = NULL;
                rc = ms_queue_list(NULL, mbx, &e, &got);
                free(e);
            } else if (t == 1) {
                ms_acl_entry_t *e = NULL;
                rc = ms_acl_get(NULL, mbx, fid, &e, &got);
                free(e);
            } else {
                ms_rule_t *e = NULL;
                rc = ms_rules_get(NULL, mbx, fid, &e, &got);
                ms_rules_free(e, got);
            }
            if (rc != MS_OK && rc != MS_E_JET)
                crashed_free = 0;
            if (cut != len && rc == MS_OK && got > 1)
                crashed_free = 0;
        }
        free(orig);
    }
    is_int(bad, 0, "damaged: the three records were there to damage");
    ok(crashed_free, "damaged: every truncation / bad version / trailing byte gives ecJetError or at most the intact entries");
    ms_folder_delete_props(NULL, mbx, root, &tags[0], 1);
    ms_folder_delete_props(NULL, mbx, inbox, &tags[1], 2);
}

/* `mapistore queue MAILBOX` lists the queue (the CLI next to this test's
 * build tree: ARGV0/../../store/mapistore). */
static void test_queue_cli(ms_mailbox_t *mbx, const char *argv0)
{
    char cli[600], cmd[1400], out[4096];
    const char *slash = strrchr(argv0, '/');
    ms_message_t *m;
    ms_propval_t v = {.tag = MS_PR_SUBJECT};
    ms_queue_entry_t e = {ms_special_folder_id(MS_FOLDER_OUTBOX), 0, 0, 0, MS_QF_DELETE_AFTER_SUBMIT};
    size_t got;
    FILE *p;

    snprintf(cli, sizeof(cli), "%.*s/../../store/mapistore", slash ? (int)(slash - argv0) : 1, slash ? argv0 : ".");
    if (access(cli, X_OK) != 0) {
        diag("no %s: queue CLI not checked", cli);
        return;
    }
    v.value.str = (char *)"queued subject";
    ok(ms_message_create(mbx, e.fid, 0, &m) == MS_OK && ms_message_set_props(m, &v, 1) == MS_OK &&
           ms_message_save(NULL, m) == MS_OK,
       "cli: a message in the Outbox");
    e.mid = ms_message_mid(m);
    e.submit_time = 133000000000000000ull; /* 2022-06-18T04:26:40Z */
    ms_message_free(m);
    is_int(ms_queue_add(NULL, mbx, &e), MS_OK, "cli: queued");
    snprintf(cmd, sizeof(cmd), "'%s' -r '%s' queue alice@example.test", cli, ts_root);
    p = popen(cmd, "r");
    got = p ? fread(out, 1, sizeof(out) - 1, p) : 0;
    out[got] = 0;
    is_int(p ? pclose(p) : -1, 0, "cli: mapistore queue exits 0");
    ok(strstr(out, "2022-06-18T04:26:40Z delete queued subject") != NULL, "cli: the entry's time, fate and subject");
    ok(strstr(out, "(gone)") != NULL, "cli: an entry whose message is gone says so");
    ms_queue_remove(NULL, mbx, e.mid);
}

int main(int argc, char **argv)
{
    ms_mailbox_t *mbx = NULL;
    ms_store_t *st = ts_setup("acl", 1u << 26, &mbx);
    ok(st != NULL, "store set up");
    if (!st)
        return done_testing();
    test_queue(st, mbx);
    /* an entry without a message (deleted after submission) */
    {
        ms_queue_entry_t g = {ms_special_folder_id(MS_FOLDER_OUTBOX), ms_id_make(1, 5000), 0, 0, 0};
        ms_queue_add(NULL, mbx, &g);
        test_queue_cli(mbx, argc > 0 ? argv[0] : "./x");
        ms_queue_remove(NULL, mbx, g.mid);
    }
    test_acl(st, mbx);
    test_rules(st, mbx);
    test_damaged(mbx);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    ts_rmrf(ts_root);
    return done_testing();
}
