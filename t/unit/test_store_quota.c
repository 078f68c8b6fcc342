/* test_store_quota.c - quotas, a full store (tiny LMDB map), fork safety,
 * reader check, backup and restore. */
#include <pthread.h>
#include <sys/wait.h>
#include "test_store_util.h"

static ms_err_t save_big(ms_mailbox_t *mbx, ms_id_t fid, size_t size, ms_id_t *mid)
{
    ms_message_t *m;
    ms_err_t rc = ms_message_create(mbx, fid, 0, &m);
    if (rc != MS_OK)
        return rc;
    char *body = malloc(size + 1);
    memset(body, 'x', size);
    body[size] = 0;
    ms_propval_t v[2] = {ts_str(MS_PR_SUBJECT, "big"), ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x1000), body)};
    ms_message_set_props(m, v, 2);
    rc = ms_message_save(NULL, m);
    if (mid)
        *mid = ms_message_mid(m);
    ms_message_free(m);
    free(body);
    return rc;
}

static void test_quota(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    is_int(ms_mailbox_set_quota(st, ms_mailbox_guid(mbx), 50000, 100000, 150000), MS_OK, "set quota");
    unsigned state;
    uint64_t size;
    is_int(ms_mailbox_quota_state(NULL, mbx, &state, &size), MS_OK, "quota state");
    is_int(state, 0, "under every limit");
    is_int(save_big(mbx, inbox, 60000, NULL), MS_OK, "60 KB message");
    ms_mailbox_quota_state(NULL, mbx, &state, &size);
    is_int(state, MS_QUOTA_WARNING, "warning reached");
    ms_id_t second;
    is_int(save_big(mbx, inbox, 60000, &second), MS_OK, "second 60 KB message");
    ms_mailbox_quota_state(NULL, mbx, &state, &size);
    is_int(state, MS_QUOTA_WARNING | MS_QUOTA_PROHIBIT_SEND, "prohibit send reached");
    uint64_t before = size;
    is_int(save_big(mbx, inbox, 60000, NULL), MS_E_QUOTA_EXCEEDED, "receive quota refuses the third");
    ok(strstr(ms_last_error(), "quota") != NULL, "error text says quota");
    ms_mailbox_quota_state(NULL, mbx, &state, &size);
    is_int(size, before, "nothing half-written");
    ms_mailbox_info_t info;
    ms_mailbox_info(mbx, &info);
    is_int(info.quota_receive, 150000, "quota visible in info");
    is_int(info.messages, 2, "two messages");
    /* quota error inside a caller transaction poisons it */
    ms_txn_t *txn;
    ms_txn_begin(mbx, MS_TXN_WRITE, &txn);
    ms_id_t f;
    ms_folder_create(txn, mbx, inbox, "in-txn", NULL, 0, &f);
    ms_message_t *m;
    ms_message_create(mbx, inbox, 0, &m);
    char *body = malloc(100001);
    memset(body, 'y', 100000);
    body[100000] = 0;
    ms_propval_t bv = ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x1000), body);
    ms_message_set_props(m, &bv, 1);
    is_int(ms_message_save(txn, m), MS_E_QUOTA_EXCEEDED, "quota in a shared txn");
    is_int(ms_message_mid(m), 0, "message not marked saved");
    is_int(ms_folder_create(txn, mbx, inbox, "after", NULL, 0, &f), MS_E_QUOTA_EXCEEDED, "txn poisoned");
    is_int(ms_txn_commit(txn), MS_E_QUOTA_EXCEEDED, "commit reports the error");
    ms_id_t x;
    is_int(ms_folder_find(NULL, mbx, inbox, "in-txn", &x), MS_E_NOT_FOUND, "whole txn rolled back");
    ms_message_free(m);
    free(body);
    is_int(ms_message_delete(NULL, mbx, inbox, &second, 1, 1), MS_OK, "delete frees space");
    ms_mailbox_quota_state(NULL, mbx, &state, &size);
    is_int(state, MS_QUOTA_WARNING, "back under prohibit send");
    ms_mailbox_set_quota(st, ms_mailbox_guid(mbx), 0, 0, 0);
    is_int(ts_check(st), 0, "check clean after quota paths");
}

static void test_full_store(void)
{
    char saved[256];
    snprintf(saved, sizeof(saved), "%s", ts_root);
    ms_mailbox_t *mbx;
    ms_store_t *st = ts_setup("full", 1 << 20, &mbx);   /* 1 MiB map */
    ok(st != NULL, "tiny store set up");
    if (!st)
        return;
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    ms_err_t rc = MS_OK;
    int saved_n = 0;
    for (int i = 0; i < 100 && rc == MS_OK; i++) {
        rc = save_big(mbx, inbox, 100000, NULL);
        if (rc == MS_OK)
            saved_n++;
    }
    is_int(rc, MS_E_STORE_FULL, "MDB_MAP_FULL reported as quota/full");
    ok(strstr(ms_last_error(), "full") != NULL, "error text says full (%s)", ms_last_error());
    ok(saved_n > 0 && saved_n < 100, "some messages fit (%d)", saved_n);
    ms_mailbox_info_t info;
    ms_mailbox_info(mbx, &info);
    is_int(info.messages, saved_n, "failed write rolled back");
    is_int(ts_check(st), 0, "full store checks clean");
    ms_mailbox_close(mbx);
    ms_store_close(st);
    ts_rmrf(ts_root);
    snprintf(ts_root, sizeof(ts_root), "%s", saved);
}

static void test_fork(ms_store_t *st, ms_mailbox_t *mbx)
{
    uint64_t mc0, fc0, mc1, fc1;
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    ms_change_counter(NULL, mbx, 0, &mc0);
    ms_change_counter(NULL, mbx, inbox, &fc0);
    pid_t pid = fork();
    if (pid == 0) {
        /* the parent's handle must refuse; a fresh open works */
        ms_txn_t *txn;
        int bad = ms_txn_begin(mbx, MS_TXN_READ, &txn) == MS_E_NOT_INITIALIZED;
        ms_store_t *mine;
        ms_mailbox_t *m2;
        int good = ms_store_open(ts_root, 0, &mine) == MS_OK &&
                   ms_mailbox_open(mine, MS_LOOKUP_SMTP, "alice@example.test", &m2) == MS_OK &&
                   ts_message(m2, ms_special_folder_id(MS_FOLDER_INBOX), "from child", "Kid", 9) != 0;
        _exit(bad && good ? 0 : 1);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "inherited handle refused, reopen after fork works");
    ms_change_counter(NULL, mbx, 0, &mc1);
    ms_change_counter(NULL, mbx, inbox, &fc1);
    ok(mc1 > mc0 && fc1 > fc0, "another process sees the mailbox and folder change counters move");
    ms_table_t *t;
    ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, ms_special_folder_id(MS_FOLDER_INBOX), 0, &t);
    ms_restriction_t r = {.type = MS_RES_CONTENT};
    r.u.content.tag = MS_PR_SUBJECT;
    r.u.content.val = ts_str(MS_PR_SUBJECT, "from child");
    ms_table_restrict(t, &r);
    uint32_t count = 0;
    ms_table_row_count(NULL, t, &count);
    is_int(count, 1, "child's message visible to the parent");
    ms_table_close(t);
    ok(ms_store_reader_check(st) >= 0, "reader check runs");
}

static void test_backup(ms_store_t *st)
{
    char dest[300], restored[300];
    snprintf(dest, sizeof(dest), "%s.bak", ts_root);
    snprintf(restored, sizeof(restored), "%s.restored", ts_root);
    is_int(ms_store_backup(st, dest), MS_OK, "hot backup");
    is_int(ms_store_backup(st, dest), MS_E_DUPLICATE_NAME, "backup onto existing dir refused");
    is_int(ms_store_restore(dest, ts_root), MS_E_DUPLICATE_NAME, "restore over a live store refused");
    is_int(ms_store_restore("/nonexistent", restored), MS_E_NOT_FOUND, "restore from nothing");
    is_int(ms_store_restore(dest, restored), MS_OK, "restore");
    ms_store_t *r;
    ms_mailbox_t *m;
    is_int(ms_store_open(restored, 0, &r), MS_OK, "open restored store");
    is_int(ms_mailbox_open(r, MS_LOOKUP_LOGIN, "alice@EXAMPLE.TEST", &m), MS_OK, "mailbox in restored store");
    ms_mailbox_info_t a, b;
    ms_mailbox_t *orig;
    ms_mailbox_open(st, MS_LOOKUP_LOGIN, "alice@EXAMPLE.TEST", &orig);
    ms_mailbox_info(orig, &a);
    ms_mailbox_info(m, &b);
    ok(a.messages == b.messages && a.size == b.size, "same content after restore");
    is_int(ts_check(r), 0, "restored store checks clean");
    ms_mailbox_close(m);
    ms_mailbox_close(orig);
    ms_store_close(r);
    ts_rmrf(dest);
    ts_rmrf(restored);
}

/* Threads of one process share the store handle (Apache worker/event MPM). */
static ms_store_t *shared_st;
static void *worker(void *arg)
{
    long id = (long)arg, good = 0;
    ms_mailbox_t *m;
    if (ms_mailbox_open(shared_st, MS_LOOKUP_SMTP, "alice@example.test", &m) != MS_OK)
        return (void *)0;
    ms_id_t fid;
    char name[32];
    snprintf(name, sizeof(name), "thread %ld", id);
    if (ms_folder_create(NULL, m, ms_special_folder_id(MS_FOLDER_INBOX), name, NULL, 0, &fid) == MS_OK) {
        for (int i = 0; i < 50; i++)
            good += ts_message(m, fid, name, "T", (uint64_t)i) != 0;
        ms_table_t *t;
        uint32_t count = 0;
        if (ms_table_open(NULL, m, MS_TABLE_CONTENTS, fid, 0, &t) == MS_OK) {
            ms_table_row_count(NULL, t, &count);
            ms_table_close(t);
        }
        good = good == 50 && count == 50;
    }
    ms_mailbox_close(m);
    return (void *)good;
}

static void test_threads(void)
{
    ms_store_t *st;
    ms_store_open(ts_root, 0, &st);   /* a fresh handle: no database opened yet */
    shared_st = st;
    pthread_t th[4];
    for (long i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, worker, (void *)i);
    int all = 1;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        all &= r == (void *)1;
    }
    ok(all, "4 threads sharing one store handle write and read");
    is_int(ts_check(st), 0, "check clean after the threads");
    ms_store_close(st);
}

int main(void)
{
    ms_mailbox_t *mbx;
    ms_store_t *st = ts_setup("quota", 0, &mbx);
    ok(st != NULL, "store set up");
    if (!st)
        return done_testing();
    test_quota(st, mbx);
    test_fork(st, mbx);
    test_backup(st);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    test_threads();   /* after the close: LMDB wants one handle per env and process */
    ts_rmrf(ts_root);
    test_full_store();
    return done_testing();
}
