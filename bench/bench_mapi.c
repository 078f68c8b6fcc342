/*
 * bench_mapi - load on a running mod_mapihttp (started by bench/bench-http).
 *
 *   bench_mapi rate BASE USER PASS SECONDS THREADS
 *       requests/s of the trivial handler (/hello), PING and Execute with a
 *       no-op ROP buffer (RopRelease of an empty slot), side by side: THREADS
 *       client threads, each on its own keep-alive TLS connection (Basic,
 *       connection-bound), each Execute thread on its own session context.
 *   bench_mapi waiters BASE USER PASS N SESSION_DIR MAILBOX
 *       N concurrent NotificationWait requests held by the server, then one
 *       event raised on the mailbox from this process wakes them all.
 */
#include "mapiclient.h"
#include "mc_emsmdb.h"
#include "mhs_session.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* mod_mapihttp's status counter of NotificationWaits held (mh_status.c). */
#define MH_COUNTER_NOTIFY_HELD 64

static const char *base, *user, *pass;
static double run_seconds;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static mc_conn_t *new_conn(const char *path)
{
    char url[512];
    mc_conn_t *c;
    snprintf(url, sizeof(url), "%s%s", base, path);
    c = mc_conn_new(url);
    if (!c)
        return NULL;
    mc_conn_set_auth(c, MC_AUTH_BASIC, user, pass);
    mc_conn_set_tls(c, NULL, 1);
    mc_conn_set_timeouts(c, 10000, 600000);
    return c;
}

typedef enum { MODE_HELLO, MODE_PING, MODE_EXECUTE } mode_t_;

typedef struct {
    mode_t_ mode;
    long done, failed;
} worker_t;

static int connect_session(mc_conn_t *c)
{
    mapi_connect_req_t req;
    mapi_connect_rsp_t rsp;
    mc_response_t resp;
    int rc;
    memset(&req, 0, sizeof(req));
    req.user_dn = "/o=mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=bench";
    req.default_code_page = 1252;
    req.lcid_sort = req.lcid_string = 1033;
    mc_response_init(&resp);
    memset(&rsp, 0, sizeof(rsp));
    rc = mc_connect(c, &req, &resp, &rsp);
    rc = rc == MC_OK && rsp.status_code == 0 && rsp.error_code == 0 ? 0 : -1;
    mapi_connect_rsp_free(&rsp);
    mc_response_free(&resp);
    return rc;
}

static int one_request(worker_t *w, mc_conn_t *c)
{
    static const uint8_t release[] = {0x01, 0x00, 0x00};
    static const uint32_t handles[] = {0xFFFFFFFFu};
    mc_response_t resp;
    int ok;
    mc_response_init(&resp);
    if (w->mode == MODE_HELLO) {
        mc_request_t req;
        memset(&req, 0, sizeof(req));
        req.body = "";
        req.raw = 1;
        ok = mc_conn_request(c, &req, &resp) == MC_OK && resp.http_status == 200;
    } else if (w->mode == MODE_PING) {
        ok = mc_ping(c, &resp) == MC_OK;
    } else {
        mc_rop_result_t out;
        memset(&out, 0, sizeof(out));
        ok = mc_execute_rops(c, 0x3, release, sizeof(release), handles, 1, 0x8000, &resp, &out) == MC_OK &&
             out.rsp.error_code == 0;
        mc_rop_result_free(&out);
    }
    mc_response_free(&resp);
    return ok;
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    char ep[300];
    const char *path = ep;
    mc_conn_t *c;
    snprintf(ep, sizeof(ep), "/mapi/emsmdb/?MailboxId=%s", getenv("BENCH_MAILBOX") ? getenv("BENCH_MAILBOX") : "");
    if (w->mode == MODE_HELLO)
        path = "/hello";
    c = new_conn(path);
    double end;
    if (!c || (w->mode == MODE_EXECUTE && connect_session(c) != 0)) {
        w->failed++;
        if (c)
            mc_conn_free(c);
        return NULL;
    }
    one_request(w, c); /* warm: authenticate the connection */
    end = now_s() + run_seconds;
    while (now_s() < end) {
        if (one_request(w, c))
            w->done++;
        else
            w->failed++;
    }
    mc_conn_free(c);
    return NULL;
}

static double run_rate(mode_t_ mode, int threads, long *failed)
{
    pthread_t *t = calloc((size_t)threads, sizeof(*t));
    worker_t *w = calloc((size_t)threads, sizeof(*w));
    long total = 0;
    int i;
    *failed = 0;
    for (i = 0; i < threads; i++) {
        w[i].mode = mode;
        pthread_create(&t[i], NULL, worker_main, &w[i]);
    }
    for (i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        total += w[i].done;
        *failed += w[i].failed;
    }
    free(t);
    free(w);
    return (double)total / run_seconds;
}

static int cmd_rate(int threads)
{
    static const char *names[] = {"trivial handler (/hello)", "PING", "Execute, no-op ROP buffer"};
    double r[3];
    long failed[3];
    int m;
    for (m = 0; m < 3; m++)
        r[m] = run_rate((mode_t_)m, threads, &failed[m]);
    printf("%-44s %12s %8s\n", "request (TLS, Basic, keep-alive)", "requests/s", "failed");
    for (m = 0; m < 3; m++)
        printf("%-44s %12.0f %8ld\n", names[m], r[m], failed[m]);
    if (r[0] > 0) {
        printf("%-44s %12.3f\n", "ratio PING / trivial handler", r[1] / r[0]);
        printf("%-44s %12.3f\n", "ratio Execute / trivial handler", r[2] / r[0]);
    }
    return failed[1] || failed[2] ? 1 : 0;
}

typedef struct {
    mc_conn_t *c;
    int ok, event, pendings;
    double done_at;
} waiter_t;

static void *waiter_main(void *arg)
{
    waiter_t *w = arg;
    mc_response_t resp;
    mapi_notifwait_rsp_t out;
    mc_response_init(&resp);
    memset(&out, 0, sizeof(out));
    w->ok = mc_notification_wait(w->c, NULL, &resp, &out) == MC_OK;
    w->event = out.event_pending == 1;
    w->pendings = (int)resp.pending_count;
    w->done_at = now_s();
    mc_response_free(&resp);
    return NULL;
}

static int cmd_waiters(int n, const char *session_dir, const char *mailbox)
{
    waiter_t *w = calloc((size_t)n, sizeof(*w));
    pthread_t *t = calloc((size_t)n, sizeof(*t));
    pthread_attr_t attr;
    mhs_table_t *table;
    mhs_limits_t lim = {0, 0, 0, 0, 0};
    char err[256], path[256];
    size_t raised = 0;
    int i, ok = 0, events = 0, pend = 0, connected = 0;
    double t0, t_raise, last = 0;

    snprintf(path, sizeof(path), "/mapi/fast/emsmdb/?MailboxId=%s", mailbox);
    t0 = now_s();
    for (i = 0; i < n; i++) {
        w[i].c = new_conn(path);
        if (w[i].c && connect_session(w[i].c) == 0)
            connected++;
    }
    printf("sessions connected: %d of %d in %.1f s\n", connected, n, now_s() - t0);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (i = 0; i < n; i++)
        pthread_create(&t[i], &attr, waiter_main, &w[i]);
    if (mhs_open(session_dir, &lim, &table, err, sizeof(err)) != MHS_OK) {
        fprintf(stderr, "session table: %s\n", err);
        return 1;
    }
    /* Wait until the server holds them all (its gauge, counter 64 of
     * mod_mapihttp's status counters), at most a minute. */
    t0 = now_s();
    while (mhs_counter_get(table, MH_COUNTER_NOTIFY_HELD) < (uint64_t)n && now_s() - t0 < 60)
        usleep(100000);
    printf("NotificationWait held at once by the server: %llu (reached after %.1f s)\n",
           (unsigned long long)mhs_counter_get(table, MH_COUNTER_NOTIFY_HELD), now_s() - t0);
    sleep(2); /* PENDING keep-alives flowing */
    t_raise = now_s();
    {
        char key[128];
        snprintf(key, sizeof(key), "%s", mailbox); /* session key: the GUID part */
        if (strchr(key, '@'))
            *strchr(key, '@') = 0;
        mhs_raise_event_mailbox(table, key, &raised);
    }
    while (mhs_counter_get(table, MH_COUNTER_NOTIFY_HELD) > 0 && now_s() - t_raise < 60)
        usleep(10000);
    printf("server released them all %.0f ms after the event\n", (now_s() - t_raise) * 1000.0);
    mhs_close(table);
    for (i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        ok += w[i].ok;
        events += w[i].event;
        pend += w[i].pendings > 0;
        if (w[i].done_at > last)
            last = w[i].done_at;
        mc_conn_free(w[i].c);
    }
    printf("client: %d answered, %d saw PENDING keep-alives, %d with EventPending=1 (event raised on %zu "
           "contexts); last answer %.0f ms after the event\n",
           ok, pend, events, raised, (last - t_raise) * 1000.0);
    free(w);
    free(t);
    return events == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 7 && strcmp(argv[1], "rate") == 0) {
        base = argv[2], user = argv[3], pass = argv[4];
        run_seconds = atof(argv[5]);
        return cmd_rate(atoi(argv[6]));
    }
    if (argc >= 8 && strcmp(argv[1], "waiters") == 0) {
        base = argv[2], user = argv[3], pass = argv[4];
        return cmd_waiters(atoi(argv[5]), argv[6], argv[7]);
    }
    fprintf(stderr, "usage: bench_mapi rate BASE USER PASS SECONDS THREADS\n"
                    "       bench_mapi waiters BASE USER PASS N SESSION_DIR MAILBOX\n");
    return 2;
}
