/*
 * bench_rops - ROP-level Executes through the whole stack (TLS, Negotiate,
 * session table, engine, store), side by side with PING, one run:
 *   - Execute { RopLogon + RopGetPropertiesSpecific(logon) + RopRelease }
 *   - Execute { RopSeekRowFractional(random) + RopQueryRows(50) } on the
 *     Inbox contents table (SetColumns/SortTable by delivery time desc done
 *     once), the folder filled by bench/bench-rops
 *   - PING
 * THREADS client threads, each its own session and keep-alive connection.
 * Environment as the test harness writes it (MH_BASE_URL, MH_CACERT,
 * MH_CCACHE_alice, MH_MAILBOX_alice, MH_DOMAIN).
 *   bench_rops SECONDS THREADS
 */
#include "ropcli.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PR_DISPLAY_NAME_W 0x3001001Fu
#define PR_SUBJECT_W 0x0037001Fu
#define PR_SENDER_NAME_W 0x0C1A001Fu
#define PR_MESSAGE_DELIVERY_TIME 0x0E060040u
#define PR_MESSAGE_SIZE 0x0E080003u
#define PR_MESSAGE_FLAGS 0x0E070003u
#define PR_INSTANCE_KEY 0x0FF60102u
#define PR_MID 0x674A0014u

static double seconds;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct {
    int mode; /* 0 PING, 1 Logon+GetProps, 2 QueryRows 50 */
    long done, failed;
    unsigned seed;
    uint32_t rows_total;
} worker_t;

static int logon_getprops(ropcli_t *rc)
{
    static uint32_t tags[] = {PR_DISPLAY_NAME_W};
    mapi_rop_req_t req[3];
    mapi_rop_resp_t resp[3];
    size_t n;
    memset(req, 0, sizeof(req));
    req[0].rop_id = ROP_LOGON;
    req[0].out_idx = 1;
    req[0].u.logon.logon_flags = MAPI_LOGON_PRIVATE;
    req[0].u.logon.open_flags = 0x0100040C;
    req[1].rop_id = ROP_GET_PROPERTIES_SPECIFIC;
    req[1].in_idx = 1;
    req[1].u.get_props_specific.want_unicode = 1;
    req[1].u.get_props_specific.tags.count = 1;
    req[1].u.get_props_specific.tags.tags = tags;
    req[2].rop_id = ROP_RELEASE;
    req[2].in_idx = 1;
    mapi_arena_clear(&rc->arena);
    return ropcli_exec(rc, req, 3, NULL, resp, &n) == 0 && n == 2 && resp[0].ret == 0 && resp[1].ret == 0 ? 0 : -1;
}

static mapi_tagarray_t cols;
static uint32_t col_tags[] = {PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE,
                              PR_MESSAGE_FLAGS, PR_INSTANCE_KEY, PR_MID};

/* Logon, open the Inbox, its contents table with Outlook's columns sorted by
 * delivery time (newest first): handles 0 logon, 1 folder, 2 table. */
static int open_table(ropcli_t *rc, uint32_t *row_count)
{
    mapi_rop_resp_t resp[8];
    mapi_rop_req_t req[4];
    mapi_sort_order_t order = {0x0040, 0x0E06, 1};
    size_t n;
    if (ropcli_logon(rc, 0, &resp[0]) != 0)
        return -1;
    {
        uint64_t inbox = resp[0].u.logon.folder_ids[4];
        memset(req, 0, sizeof(req));
        req[0].rop_id = ROP_OPEN_FOLDER;
        req[0].in_idx = 0;
        req[0].out_idx = 1;
        req[0].u.open_folder.folder_id = inbox;
        req[1].rop_id = ROP_GET_CONTENTS_TABLE;
        req[1].in_idx = 1;
        req[1].out_idx = 2;
        req[2].rop_id = ROP_SET_COLUMNS;
        req[2].in_idx = 2;
        req[2].u.set_columns.tags = cols;
        req[3].rop_id = ROP_SORT_TABLE;
        req[3].in_idx = 2;
        req[3].u.sort_table.count = 1;
        req[3].u.sort_table.orders = &order;
        if (ropcli_exec(rc, req, 4, NULL, resp, &n) != 0 || n != 4 || resp[0].ret || resp[1].ret || resp[2].ret ||
            resp[3].ret)
            return -1;
        *row_count = resp[1].u.table.row_count;
    }
    return 0;
}

static int query_page(ropcli_t *rc, worker_t *w)
{
    mapi_rop_req_t req[2];
    mapi_rop_resp_t resp[2];
    const mapi_tagarray_t *c[2] = {NULL, &cols};
    size_t n;
    memset(req, 0, sizeof(req));
    req[0].rop_id = ROP_SEEK_ROW_FRACTIONAL;
    req[0].in_idx = 2;
    req[0].u.seek_row_fractional.numerator = (uint32_t)(rand_r(&w->seed) % 1000);
    req[0].u.seek_row_fractional.denominator = 1000;
    req[1].rop_id = ROP_QUERY_ROWS;
    req[1].in_idx = 2;
    req[1].u.query_rows.forward = 1;
    req[1].u.query_rows.count = 50;
    mapi_arena_clear(&rc->arena);
    if (ropcli_exec(rc, req, 2, c, resp, &n) != 0 || n != 2 || resp[1].ret != 0)
        return -1;
    w->rows_total += resp[1].u.query_rows.count;
    return 0;
}

static void *worker(void *arg)
{
    worker_t *w = arg;
    ropcli_t rc;
    uint32_t rows = 0;
    double end;
    if (ropcli_open(&rc, "alice") != 0 || (w->mode == 2 && open_table(&rc, &rows) != 0)) {
        w->failed++;
        return NULL;
    }
    end = now() + seconds;
    while (now() < end) {
        int r;
        if (w->mode == 0) {
            mc_response_t resp;
            mc_response_init(&resp);
            r = mc_ping(rc.conn, &resp) == MC_OK ? 0 : -1;
            mc_response_free(&resp);
        } else {
            r = w->mode == 1 ? logon_getprops(&rc) : query_page(&rc, w);
        }
        if (r == 0)
            w->done++;
        else
            w->failed++;
    }
    ropcli_close(&rc);
    return NULL;
}

static double run(int mode, int threads, long *failed, double *rows_per_req)
{
    pthread_t t[64];
    worker_t w[64];
    long done = 0, rows = 0;
    int i;
    memset(w, 0, sizeof(w));
    *failed = 0;
    for (i = 0; i < threads; i++) {
        w[i].mode = mode;
        w[i].seed = (unsigned)(i * 7919 + 17);
        pthread_create(&t[i], NULL, worker, &w[i]);
    }
    for (i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        done += w[i].done;
        *failed += w[i].failed;
        rows += w[i].rows_total;
    }
    if (rows_per_req)
        *rows_per_req = done ? (double)rows / (double)done : 0;
    return (double)done / seconds;
}

int main(int argc, char **argv)
{
    int threads = argc > 2 ? atoi(argv[2]) : 8;
    long f[3];
    double r[3], rows;
    seconds = argc > 1 ? atof(argv[1]) : 5;
    if (threads < 1 || threads > 64)
        threads = 8;
    cols.count = sizeof(col_tags) / sizeof(col_tags[0]);
    cols.tags = col_tags;
    r[0] = run(0, threads, &f[0], NULL);
    r[1] = run(1, threads, &f[1], NULL);
    r[2] = run(2, threads, &f[2], &rows);
    printf("%-58s %12s %8s\n", "Execute / PING (TLS, Negotiate, keep-alive)", "requests/s", "failed");
    printf("%-58s %12.0f %8ld\n", "PING", r[0], f[0]);
    printf("%-58s %12.0f %8ld\n", "Execute: Logon + GetPropertiesSpecific + Release", r[1], f[1]);
    printf("%-58s %12.0f %8ld\n", "Execute: SeekRowFractional + QueryRows(50), Inbox", r[2], f[2]);
    printf("%-58s %12.1f\n", "  rows per QueryRows answer", rows);
    return f[1] || f[2] ? 1 : 0;
}
