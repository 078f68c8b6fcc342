/*
 * bench_sessions - what an idle session context costs: creates N contexts
 * (as Connect does), each with an object-state blob like a logged-on
 * Outlook session's, and prints bytes of the shared table per context, plus
 * create / begin+end (one Execute's bookkeeping) / touch rates.
 *   bench_sessions [N] [STATE_BYTES]
 */
#include "mhs_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 20000, state = argc > 2 ? (size_t)atol(argv[2]) : 200, i;
    mhs_limits_t lim = {n + 10, n + 10, 900000, 256 * 1024, 0};
    mhs_record_t *recs = calloc(n, sizeof(*recs));
    char dir[128], err[256], user[64], *blob = malloc(state);
    mhs_table_t *t;
    mhs_stats_t st;
    double a, b, c, d;

    snprintf(dir, sizeof(dir), "/tmp/bench-sessions.%d", (int)getpid());
    if (!recs || !blob || mhs_open(dir, &lim, &t, err, sizeof(err)) != MHS_OK) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    memset(blob, 'x', state);
    a = now();
    for (i = 0; i < n; i++) {
        snprintf(user, sizeof(user), "user%zu@EXAMPLE.TEST", i % 1000);
        if (mhs_create(t, MHS_KIND_EMSMDB, user, "0123abcd-0000-4000-8000-00000000abcd", 1252, mhs_now_ms(), &recs[i]) !=
            MHS_OK) {
            fprintf(stderr, "create %zu failed\n", i);
            return 1;
        }
    }
    b = now();
    for (i = 0; i < n; i++) {
        uint64_t tok;
        void *s;
        size_t len;
        mhs_record_t r;
        snprintf(user, sizeof(user), "user%zu@EXAMPLE.TEST", i % 1000);
        mhs_begin(t, recs[i].id, user, recs[i].seq, mhs_now_ms(), &r, &tok, &s, &len);
        free(s);
        mhs_end(t, recs[i].id, tok, blob, state, 1, mhs_now_ms());
    }
    c = now();
    for (i = 0; i < n; i++) {
        mhs_record_t r;
        snprintf(user, sizeof(user), "user%zu@EXAMPLE.TEST", i % 1000);
        mhs_touch(t, recs[i].id, user, mhs_now_ms(), &r);
    }
    d = now();
    mhs_stats(t, &st);
    printf("idle session contexts:              %zu (object state %zu bytes each)\n", st.sessions, state);
    printf("shared table in use:                %zu bytes = %.0f bytes per idle session\n", st.bytes_used,
           (double)st.bytes_used / (double)st.sessions);
    printf("Connect bookkeeping (create):       %.0f /s\n", (double)n / (b - a));
    printf("Execute bookkeeping (begin+end):    %.0f /s\n", (double)n / (c - b));
    printf("PING/NotificationWait (touch):      %.0f /s\n", (double)n / (d - c));
    mhs_close(t);
    snprintf(err, sizeof(err), "rm -rf %s", dir);
    return system(err) == 0 ? 0 : 1;
}
