/*
 * bench_store - figures for the LMDB message store:
 *   1. MIME import rate (messages/s, one durable transaction per message) and
 *      store size relative to the MIME size, on a generated corpus;
 *   2. time to read a 50-row page sorted by delivery time (descending) from
 *      folders of 1k, 100k and 1M messages (filled through the library in
 *      batches, not through MIME).
 * usage: bench_store [--quick] [--max N] [--dir D]   (prints figures; not a test)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "mapistore.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char root[512];

static ms_store_t *setup(const char *dir, const char *tag, ms_mailbox_t **mbx)
{
    snprintf(root, sizeof(root), "%s/bench-store-%s-%d", dir, tag, (int)getpid());
    ms_store_t *st;
    ms_mailbox_info_t info;
    memset(&info, 0, sizeof(info));
    snprintf(info.smtp[0], sizeof(info.smtp[0]), "bench@example.test");
    info.nsmtp = 1;
    if (ms_store_init(root) || ms_store_open(root, 0, &st) || ms_db_create(st, "db1", (uint64_t)64 << 30) ||
        ms_mailbox_create(st, &info) || ms_mailbox_open(st, MS_LOOKUP_SMTP, "bench@example.test", mbx)) {
        fprintf(stderr, "setup failed: %s\n", ms_last_error());
        exit(1);
    }
    return st;
}

static void rmrf(const char *p)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);
    if (system(cmd))
        fprintf(stderr, "could not remove %s\n", p);
}

static unsigned rnd_state = 42;
static unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

/* A plausible message: 1-6 KB text, every 5th with a 24 KB base64 attachment. */
static char *gen_mime(int i, size_t *len)
{
    static const char *words[] = {"meeting", "report", "budget", "review", "project", "status",
                                  "update", "the", "and", "quarterly", "please", "attached"};
    size_t cap = 64 * 1024;
    char *b = malloc(cap);
    size_t o = (size_t)snprintf(b, cap,
        "From: User %u <user%u@example.test>\r\nTo: bench@example.test\r\nSubject: %s %s %d\r\n"
        "Date: Mon, 01 Jan 2024 %02d:%02d:%02d +0000\r\nMessage-ID: <bench.%d@example.test>\r\n"
        "MIME-Version: 1.0\r\n", rnd() % 50, rnd() % 50, words[rnd() % 12], words[rnd() % 12], i,
        (i / 3600) % 24, (i / 60) % 60, i % 60, i);
    int att = i % 5 == 0;
    if (att)
        o += (size_t)snprintf(b + o, cap - o, "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n");
    o += (size_t)snprintf(b + o, cap - o, "Content-Type: text/plain; charset=utf-8\r\n\r\n");
    size_t body = 1000 + rnd() % 5000;
    while (body > 0 && o < cap - 40000) {
        int n = snprintf(b + o, cap - o, "%s ", words[rnd() % 12]);
        o += (size_t)n;
        body = body > (size_t)n ? body - (size_t)n : 0;
        if (rnd() % 12 == 0)
            o += (size_t)snprintf(b + o, cap - o, "\r\n");
    }
    if (att) {
        o += (size_t)snprintf(b + o, cap - o, "\r\n--B\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n"
                                             "Content-Transfer-Encoding: base64\r\n\r\n");
        for (int l = 0; l < 440; l++) {
            for (int k = 0; k < 76; k++)
                b[o++] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rnd() % 64];
            b[o++] = '\r';
            b[o++] = '\n';
        }
        o += (size_t)snprintf(b + o, cap - o, "--B--\r\n");
    }
    *len = o;
    return b;
}

static uint64_t dir_size(const char *path)
{
    char p[700];
    snprintf(p, sizeof(p), "%s/db/db1/data.mdb", path);
    struct stat sb;
    return stat(p, &sb) ? 0 : (uint64_t)sb.st_size;
}

static void bench_import(const char *dir, int n)
{
    ms_mailbox_t *mbx;
    ms_store_t *st = setup(dir, "import", &mbx);
    char **msgs = malloc((size_t)n * sizeof(char *));
    size_t *lens = malloc((size_t)n * sizeof(size_t));
    uint64_t mime = 0;
    for (int i = 0; i < n; i++) {
        msgs[i] = gen_mime(i, &lens[i]);
        mime += lens[i];
    }
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    double t0 = now();
    int okc = 0;
    for (int i = 0; i < n; i++)
        okc += ms_import_mime(NULL, mbx, inbox, msgs[i], lens[i], NULL) == MS_OK;
    double t1 = now();
    /* batched: 100 messages per transaction (bulk import, one fsync per batch) */
    ms_id_t sent = ms_special_folder_id(MS_FOLDER_SENT_ITEMS);
    double t2 = now();
    for (int i = 0; i < n; i += 100) {
        ms_txn_t *txn;
        ms_txn_begin(mbx, MS_TXN_WRITE, &txn);
        for (int k = i; k < i + 100 && k < n; k++)
            ms_import_mime(txn, mbx, sent, msgs[k], lens[k], NULL);
        ms_txn_commit(txn);
    }
    double t3 = now();
    char bak[600];
    snprintf(bak, sizeof(bak), "%s.bak", root);
    ms_store_backup(st, bak);
    uint64_t stored = dir_size(bak);
    printf("import: %d messages, %.1f MB of MIME\n", n, mime / 1048576.0);
    printf("  one transaction per message: %d ok, %.0f messages/s (%.2f ms each, fsync per commit)\n",
           okc, n / (t1 - t0), 1000.0 * (t1 - t0) / n);
    printf("  100 messages per transaction: %.0f messages/s\n", n / (t3 - t2));
    printf("  store size (compacted, both copies): %.1f MB = %.2f x the MIME size of one copy\n",
           stored / 1048576.0, (double)stored / 2.0 / (double)mime);
    for (int i = 0; i < n; i++)
        free(msgs[i]);
    free(msgs);
    free(lens);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    rmrf(root);
    rmrf(bak);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Add messages to fid until it holds `target`; batches of 10000 per txn. */
static void fill(ms_mailbox_t *mbx, ms_id_t fid, int have, int target)
{
    char subj[64], sender[32];
    for (int i = have; i < target;) {
        ms_txn_t *txn;
        if (ms_txn_begin(mbx, MS_TXN_WRITE, &txn) != MS_OK)
            exit(1);
        for (int k = 0; k < 10000 && i < target; k++, i++) {
            ms_message_t *m;
            snprintf(subj, sizeof(subj), "message %d about %u", i, rnd() % 1000);
            snprintf(sender, sizeof(sender), "Sender %u", rnd() % 200);
            ms_propval_t v[4];
            memset(v, 0, sizeof(v));
            v[0].tag = MS_PR_SUBJECT;
            v[0].value.str = subj;
            v[1].tag = MS_PR_SENT_REPRESENTING_NAME;
            v[1].value.str = sender;
            v[2].tag = MS_PR_MESSAGE_DELIVERY_TIME;
            v[2].value.ft = 133000000000000000ull + (uint64_t)rnd() * 1000;
            v[3].tag = MS_PROP_TAG(MS_PT_UNICODE, 0x1000);
            v[3].value.str = "A short body.";
            ms_message_create(mbx, fid, 0, &m);
            ms_message_set_props(m, v, 4);
            if (ms_message_save(txn, m) != MS_OK) {
                fprintf(stderr, "fill: %s\n", ms_last_error());
                exit(1);
            }
            ms_message_free(m);
        }
        if (ms_txn_commit(txn) != MS_OK) {
            fprintf(stderr, "fill commit: %s\n", ms_last_error());
            exit(1);
        }
    }
}

/* Median time of: open table, sort delivery desc, read 50 rows (first page,
 * page after a bookmark, last page). */
static void page_times(ms_mailbox_t *mbx, ms_id_t fid, int size)
{
    uint32_t cols[4] = {MS_PR_MID, MS_PR_SUBJECT, MS_PR_SENT_REPRESENTING_NAME, MS_PR_MESSAGE_DELIVERY_TIME};
    ms_sortorder_t s = {MS_PR_MESSAGE_DELIVERY_TIME, 1};
    enum { RUNS = 21 };
    double first[RUNS], next[RUNS], last[RUNS];
    for (int r = 0; r < RUNS; r++) {
        ms_table_t *t;
        ms_rowset_t rs;
        double a = now();
        ms_txn_t *txn;
        ms_txn_begin(mbx, MS_TXN_READ, &txn);
        ms_table_open(txn, mbx, MS_TABLE_CONTENTS, fid, 0, &t);
        ms_table_set_columns(t, cols, 4);
        ms_table_sort(t, &s, 1);
        ms_table_query(txn, t, 50, 0, &rs);
        double b = now();
        if (rs.count != 50)
            fprintf(stderr, "short page: %u\n", rs.count);
        ms_rowset_free(&rs);
        ms_bookmark_t bm;
        ms_table_bookmark(t, &bm);
        ms_txn_abort(txn);
        double c = now();
        ms_txn_begin(mbx, MS_TXN_READ, &txn);
        ms_table_seek_bookmark(txn, t, &bm, 0, NULL);
        ms_table_query(txn, t, 50, 0, &rs);
        ms_rowset_free(&rs);
        ms_txn_abort(txn);
        double d = now();
        ms_txn_begin(mbx, MS_TXN_READ, &txn);
        ms_table_seek(txn, t, MS_BOOKMARK_END, -50, NULL);
        ms_table_query(txn, t, 50, 0, &rs);
        ms_rowset_free(&rs);
        ms_txn_abort(txn);
        double e = now();
        ms_table_close(t);
        first[r] = b - a;
        next[r] = d - c;
        last[r] = e - d;
    }
    qsort(first, RUNS, sizeof(double), cmp_dbl);
    qsort(next, RUNS, sizeof(double), cmp_dbl);
    qsort(last, RUNS, sizeof(double), cmp_dbl);
    printf("  %8d messages: first page %.3f ms, next page %.3f ms, last page %.3f ms (median of %d)\n",
           size, first[RUNS / 2] * 1e3, next[RUNS / 2] * 1e3, last[RUNS / 2] * 1e3, RUNS);
}

static void bench_pages(const char *dir, int max)
{
    ms_mailbox_t *mbx;
    ms_store_t *st = setup(dir, "pages", &mbx);
    ms_id_t fid = ms_special_folder_id(MS_FOLDER_INBOX);
    int sizes[] = {1000, 100000, 1000000};
    int have = 0;
    printf("50-row page sorted by delivery time (desc), index-served:\n");
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && sizes[i] <= max; i++) {
        double t0 = now();
        fill(mbx, fid, have, sizes[i]);
        double t1 = now();
        if (sizes[i] > have)
            printf("  (filled %d messages through the library: %.0f messages/s)\n", sizes[i] - have,
                   (sizes[i] - have) / (t1 - t0));
        have = sizes[i];
        page_times(mbx, fid, sizes[i]);
    }
    printf("  store size with %d messages: %.1f MB\n", have, dir_size(root) / 1048576.0);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    rmrf(root);
}

int main(int argc, char **argv)
{
    int max = 1000000, nimport = 2000;
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            max = 100000;
            nimport = 500;
        } else if (!strcmp(argv[i], "--max") && i + 1 < argc) {
            max = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            dir = argv[++i];
        } else {
            fprintf(stderr, "usage: bench_store [--quick] [--max N] [--dir D]\n");
            return 2;
        }
    }
    bench_import(dir, nimport);
    bench_pages(dir, max);
    return 0;
}
