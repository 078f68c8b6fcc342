/* Unit tests for session/: the shared session-context table. */
#include "tap.h"
#include "mhs_session.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[256];

static mhs_table_t *open_table(size_t max, size_t per_user, uint64_t timeout_ms, size_t budget)
{
    mhs_limits_t lim = {max, per_user, timeout_ms, budget, 0};
    mhs_table_t *t = NULL;
    char err[256] = "";
    mhs_rc_t rc = mhs_open(dir, &lim, &t, err, sizeof(err));
    if (rc != MHS_OK)
        diag("mhs_open: %s", err);
    return t;
}

static void test_ids(void)
{
    uint8_t id[MHS_ID_LEN] = {0x00, 0x01, 0xab, 0xff}, back[MHS_ID_LEN];
    char hex[2 * MHS_ID_LEN + 1];
    mhs_id_to_hex(id, hex);
    is_str(hex, "0001abff000000000000000000000000", "id to hex");
    ok(mhs_id_from_hex(hex, back) == 0 && memcmp(id, back, MHS_ID_LEN) == 0, "hex to id round trip");
    ok(mhs_id_from_hex("0001abff00000000000000000000000", back) != 0, "hex of the wrong length refused");
    ok(mhs_id_from_hex("0001abff00000000000000000000000g", back) != 0, "non-hex digit refused");
    ok(mhs_id_from_hex(NULL, back) != 0, "NULL refused");
}

static void test_lifecycle(mhs_table_t *t)
{
    mhs_record_t rec, rec2;
    uint8_t seq1[MHS_ID_LEN], id[MHS_ID_LEN];
    uint64_t tok = 0, tok2 = 0, now = 1000000;
    void *state;
    size_t len;

    is_int(mhs_create(t, MHS_KIND_EMSMDB, "alice@R", "mbx-a", 1252, now, &rec), MHS_OK, "create");
    memcpy(id, rec.id, MHS_ID_LEN);
    memcpy(seq1, rec.seq, MHS_ID_LEN);
    is_int(mhs_begin(t, id, "alice@R", seq1, now + 1, &rec, &tok, &state, &len), MHS_OK, "begin with the sequence");
    ok(memcmp(seq1, rec.seq, MHS_ID_LEN) != 0, "begin issues a new sequence cookie");
    ok(state == NULL && len == 0, "no object state yet");
    is_int(mhs_begin(t, id, "alice@R", rec.seq, now + 2, &rec2, &tok2, &state, &len), MHS_BUSY,
           "a second request while one is in progress: busy");
    is_int(mhs_end(t, id, tok, "STATE-1", 7, 1, now + 3), MHS_OK, "end stores the state");
    is_int(mhs_begin(t, id, "alice@R", seq1, now + 4, &rec2, &tok2, &state, &len), MHS_BAD_SEQUENCE,
           "the old sequence cookie is refused (replay)");
    is_int(mhs_begin(t, id, "bob@R", rec.seq, now + 4, &rec2, &tok2, &state, &len), MHS_NO_PRIVILEGE,
           "another user's request: no privilege");
    is_int(mhs_begin(t, id, "alice@R", rec.seq, now + 5, &rec2, &tok2, &state, &len), MHS_OK,
           "begin with the new sequence");
    is_mem(state, len, "STATE-1", 7, "object state comes back");
    free(state);
    is_int(mhs_end(t, id, tok, NULL, 0, 0, now + 6), MHS_BUSY, "end with a stale token does not unlock");
    {
        char big[300];
        memset(big, 'x', sizeof(big));
        is_int(mhs_end(t, id, tok2, big, sizeof(big), 1, now + 6), MHS_TOO_BIG, "state over budget refused");
    }
    is_int(mhs_begin(t, id, "alice@R", rec2.seq, now + 7, &rec, &tok, &state, &len), MHS_OK,
           "the lock was released even so");
    is_mem(state, len, "STATE-1", 7, "and the old state kept");
    free(state);
    is_int(mhs_end(t, id, tok, NULL, 0, 0, now + 8), MHS_OK, "end without storing");
    is_int(mhs_touch(t, id, "alice@R", now + 9, &rec2), MHS_OK, "touch (PING) keeps it alive");
    is_int(mhs_touch(t, id, "mallory@R", now + 9, &rec2), MHS_NO_PRIVILEGE, "touch by another user refused");
    is_int(mhs_destroy(t, id, "bob@R"), MHS_NO_PRIVILEGE, "another user cannot end it");
    is_int(mhs_destroy(t, id, "alice@R"), MHS_OK, "Disconnect ends it");
    is_int(mhs_touch(t, id, "alice@R", now + 10, &rec2), MHS_NOT_FOUND, "then it is gone");
    {
        uint8_t unknown[MHS_ID_LEN] = {9, 9, 9};
        is_int(mhs_begin(t, unknown, "alice@R", NULL, now, &rec2, &tok, &state, &len), MHS_NOT_FOUND,
               "an unknown id: not found");
    }
}

static void test_expiry_and_caps(mhs_table_t *t)
{
    mhs_record_t rec, r2;
    uint64_t now = 5000000;
    size_t n;
    int i;
    mhs_rc_t rc = MHS_OK;

    is_int(mhs_create(t, MHS_KIND_EMSMDB, "carol@R", "mbx-c", 0, now, &rec), MHS_OK, "create carol");
    is_int(mhs_touch(t, rec.id, "carol@R", now + 60000, &r2), MHS_OK, "alive after 60 s idle");
    is_int(mhs_touch(t, rec.id, "carol@R", now + 60000 + 120001, &r2), MHS_NOT_FOUND,
           "expired after the idle timeout");
    for (i = 0; i < 3; i++)
        mhs_create(t, MHS_KIND_NSPI, "dave@R", "mbx-d", 0, now, &rec);
    is_int(mhs_user_count(t, "dave@R"), 3, "three contexts for dave");
    is_int(mhs_create(t, MHS_KIND_NSPI, "dave@R", "mbx-d", 0, now, &rec), MHS_USER_LIMIT,
           "the fourth is over the per-user cap");
    n = mhs_sweep(t, now + 10 * 60000);
    ok(n >= 3, "sweep removes expired contexts (%zu)", n);
    is_int(mhs_user_count(t, "dave@R"), 0, "dave's contexts are gone");
    for (i = 0; i < 10 && rc == MHS_OK; i++) {
        char user[32];
        snprintf(user, sizeof(user), "u%d@R", i);
        rc = mhs_create(t, MHS_KIND_EMSMDB, user, "m", 0, now + 20 * 60000, &rec);
    }
    is_int(rc, MHS_FULL, "the total cap answers full, not a crash");
}

static void test_cross_process_wakeup(void)
{
    mhs_table_t *t = open_table(100, 10, 600000, 4096);
    mhs_record_t rec;
    struct timespec a, b;
    pid_t pid;
    int woke, status, pending = 0;
    double ms;

    mhs_create(t, MHS_KIND_EMSMDB, "erin@R", "mbx-e", 0, mhs_now_ms(), &rec);
    pid = fork();
    if (pid == 0) {
        mhs_table_t *ct = open_table(100, 10, 600000, 4096); /* open after fork */
        usleep(200000);
        _exit(ct && mhs_raise_event_mailbox(ct, "mbx-e", &(size_t){0}) == MHS_OK ? 0 : 1);
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    woke = 0;
    while (!woke) {
        woke = mhs_wait_event(t, rec.id, 3000);
        mhs_events_pending(t, rec.id, &pending);
        if (!pending && woke)
            woke = 0; /* spurious */
        clock_gettime(CLOCK_MONOTONIC, &b);
        if ((b.tv_sec - a.tv_sec) > 3)
            break;
    }
    ms = (double)(b.tv_sec - a.tv_sec) * 1000.0 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "another process raised an event on the mailbox");
    ok(pending, "the waiter sees the event pending");
    ok(ms >= 150 && ms < 400, "woken %.1f ms after starting to wait (event raised at 200 ms)", ms);
    is_int(mhs_events_ack(t, rec.id), MHS_OK, "ack");
    mhs_events_pending(t, rec.id, &pending);
    ok(!pending, "no event pending after ack");
    ok(mhs_wait_event(t, rec.id, 100) == 0, "a wait with no event times out");

    /* a request whose process died does not lock the context forever */
    pid = fork();
    if (pid == 0) {
        mhs_table_t *ct = open_table(100, 10, 600000, 4096);
        mhs_record_t r;
        uint64_t tok;
        void *st;
        size_t len;
        _exit(mhs_begin(ct, rec.id, "erin@R", rec.seq, mhs_now_ms(), &r, &tok, &st, &len) == MHS_OK ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a child took the lock and died");
    {
        mhs_record_t r;
        uint64_t tok;
        void *st;
        size_t len;
        mhs_touch(t, rec.id, "erin@R", mhs_now_ms(), &r);
        is_int(mhs_begin(t, rec.id, "erin@R", r.seq, mhs_now_ms(), &r, &tok, &st, &len), MHS_OK,
               "the dead process's lock is broken");
        free(st);
    }
    mhs_close(t);
}

static void test_concurrent_creates(void)
{
    int i, status, okc = 0;
    mhs_table_t *t;
    mhs_stats_t st;
    for (i = 0; i < 4; i++) {
        if (fork() == 0) {
            mhs_table_t *ct = open_table(100000, 1000, 600000, 4096);
            mhs_record_t rec;
            int j, fails = 0;
            char user[32];
            snprintf(user, sizeof(user), "proc%d@R", i);
            for (j = 0; j < 250; j++)
                fails += mhs_create(ct, MHS_KIND_EMSMDB, user, "m", 0, mhs_now_ms(), &rec) != MHS_OK;
            _exit(fails ? 1 : 0);
        }
    }
    for (i = 0; i < 4; i++) {
        wait(&status);
        okc += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    is_int(okc, 4, "four processes created 250 contexts each");
    t = open_table(100000, 1000, 600000, 4096);
    is_int(mhs_user_count(t, "proc0@R") + mhs_user_count(t, "proc3@R"), 500, "all of them are there");
    mhs_stats(t, &st);
    ok(st.sessions >= 1000, "stats count %zu live contexts", st.sessions);
    diag("map in use: %zu bytes for %zu contexts (%.0f bytes each)", st.bytes_used, st.sessions,
         (double)st.bytes_used / (double)st.sessions);
    mhs_close(t);
}

int main(void)
{
    mhs_table_t *t;
    char err[64];
    mhs_limits_t lim = {1, 1, 1, 1, 0};
    snprintf(dir, sizeof(dir), "/tmp/mhs-test.%d", (int)getpid());
    test_ids();
    t = open_table(8, 3, 120000, 256);
    ok(t != NULL, "open a new table");
    if (t) {
        test_lifecycle(t);
        test_expiry_and_caps(t);
        mhs_close(t);
    }
    ok(mhs_open("/proc/nonexistent/dir", &lim, &t, err, sizeof(err)) != MHS_OK, "open in a bad directory fails");
    test_cross_process_wakeup();
    test_concurrent_creates();
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return done_testing();
}
