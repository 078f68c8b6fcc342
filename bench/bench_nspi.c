/*
 * bench_nspi - the address book engine called directly (no HTTP): requests
 * per second of ResolveNames (one name per request: exact SMTP addresses,
 * and display-name prefixes) and of a 50-row QueryRows at random positions
 * (fractional positioning, 8 columns Outlook asks for), as the directory
 * grows from 1,000 to 100,000 mailboxes. Also the cost of the first
 * request after a directory change (the snapshot rebuild).
 *
 *   bench_nspi [MAX_MAILBOXES] [SECONDS_PER_FIGURE]
 *
 * The first row is a real store of 1,000 mailboxes (in $TMPDIR or
 * /dev/shm, removed at the end); the others hand the engine directory
 * records made in memory (nspi_engine_set_directory), because the store's
 * ms_mailbox_create() re-lists the directory on every call and cannot make
 * 100,000 mailboxes in reasonable time. Prints figures; not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mapi_nspi.h"
#include "mapistore.h"
#include "nspi_engine.h"

#define PREFIX "/o=mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"

static ms_store_t *st;
static nspi_engine_ctx_t ctx;
static const char *first[] = {"Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Jonas", "Mia",
                              "Lukas", "Zoe", "Ivan", "Nora", "Omar", "Lea", "Pablo", "Ines", "Yusuf"};
static const char *last[] = {"Smith", "Garcia", "Muller", "Rossi", "Kowalski", "Nguyen", "Dubois", "Silva",
                             "Jensen", "Novak", "Haddad", "Tanaka", "Okafor", "Berg", "Ivanova", "Costa"};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void fill_info(ms_mailbox_info_t *in, unsigned i)
{
    memset(in, 0, sizeof(*in));
    snprintf(in->display_name, sizeof(in->display_name), "%s %s %06u", last[(i * 7) % 16], first[(i * 5) % 18], i);
    snprintf(in->smtp[0], sizeof(in->smtp[0]), "user%06u@bench.test", i);
    snprintf(in->login, sizeof(in->login), "user%06u@BENCH.TEST", i);
    in->nsmtp = 1;
}

static int add_mailboxes(unsigned from, unsigned to)
{
    ms_mailbox_info_t in;
    for (unsigned i = from; i < to; i++) {
        fill_info(&in, i);
        if (ms_mailbox_create(st, &in) != MS_OK) {
            fprintf(stderr, "bench_nspi: mailbox %u: %s\n", i, ms_last_error());
            return -1;
        }
    }
    return 0;
}

/* Directory records as the store keeps them, made in memory. */
static int inject(unsigned n)
{
    ms_mailbox_info_t *v = calloc(n, sizeof(*v));
    if (!v)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        fill_info(&v[i], i);
        for (int b = 0; b < 16; b++)
            v[i].guid.b[b] = (uint8_t)rand();
    }
    int rc = nspi_engine_set_directory(v, n);
    free(v);
    return rc;
}

static int run(const char *type, const uint8_t *body, size_t len, mapi_wr_t *out)
{
    nspi_engine_result_t res;
    out->len = 0;
    nspi_engine_handle(&ctx, type, body, len, out, &res);
    return res.invalid_body || (res.error_code != 0 && res.error_code != NSPI_ERRORS_RETURNED) ? -1 : 0;
}

static void stat_init(nspi_stat_t *s)
{
    memset(s, 0, sizeof(*s));
    s->code_page = 1252;
    s->template_locale = s->sort_locale = 0x409;
}

/* One ResolveNames body per name. */
static size_t resolve_body(nspi_arena_t *a, const char *name, mapi_wr_t *wr)
{
    static uint32_t cols[] = {0x3001001Fu, 0x39FE001Fu, 0x3003001Fu, 0x0FFF0102u, 0x0FFE0003u, 0x39000003u};
    nspi_request_t q;
    nspi_bytes_t w;
    memset(&q, 0, sizeof(q));
    q.type = NSPI_RESOLVENAMES;
    q.u.resolvenames.has_state = 1;
    stat_init(&q.u.resolvenames.state);
    nspi_utf8_to_utf16(name, a, &w);
    q.u.resolvenames.has_names = 1;
    q.u.resolvenames.names.count = 1;
    q.u.resolvenames.names.s = &w;
    q.u.resolvenames.has_proptags = 1;
    q.u.resolvenames.proptags.count = 6;
    q.u.resolvenames.proptags.v = cols;
    wr->len = 0;
    nspi_request_encode(&q, wr);
    return wr->len;
}

static double bench_resolve(unsigned n, double secs, int by_prefix)
{
    nspi_arena_t a;
    mapi_wr_t in, out;
    char name[64];
    unsigned done = 0, fails = 0;
    double t0 = now(), t;
    nspi_arena_init(&a, 0);
    mapi_wr_init(&in, 0);
    mapi_wr_init(&out, 0);
    do {
        for (int k = 0; k < 64; k++) {
            unsigned i = (unsigned)rand() % n;
            if (by_prefix)   /* a unique display-name prefix: "Last First 00123" minus its last digit */
                snprintf(name, sizeof(name), "%s %s %05u", last[(i * 7) % 16], first[(i * 5) % 18], i / 10);
            else
                snprintf(name, sizeof(name), "user%06u@bench.test", i);
            resolve_body(&a, name, &in);
            fails += run("ResolveNames", in.p, in.len, &out) != 0;
            done++;
        }
        nspi_arena_free(&a);
    } while ((t = now() - t0) < secs);
    if (fails)
        fprintf(stderr, "bench_nspi: %u ResolveNames failed\n", fails);
    mapi_wr_free(&in);
    mapi_wr_free(&out);
    return done / t;
}

static double bench_queryrows(unsigned n, double secs)
{
    static uint32_t cols[] = {0x3001001Fu, 0x39FE001Fu, 0x3003001Fu, 0x3002001Fu,
                              0x0FFF0102u, 0x0FFE0003u, 0x39000003u, 0x0FF60102u};
    nspi_request_t q;
    mapi_wr_t in, out;
    unsigned done = 0, fails = 0;
    double t0 = now(), t;
    mapi_wr_init(&in, 0);
    mapi_wr_init(&out, 0);
    memset(&q, 0, sizeof(q));
    q.type = NSPI_QUERYROWS;
    q.u.queryrows.has_state = 1;
    q.u.queryrows.row_count = 50;
    q.u.queryrows.has_columns = 1;
    q.u.queryrows.columns.count = 8;
    q.u.queryrows.columns.v = cols;
    do {
        for (int k = 0; k < 16; k++) {
            stat_init(&q.u.queryrows.state);
            q.u.queryrows.state.current_rec = 1;          /* MID_CURRENT: fractional */
            q.u.queryrows.state.num_pos = (uint32_t)rand() % n;
            q.u.queryrows.state.total_recs = n;
            in.len = 0;
            nspi_request_encode(&q, &in);
            fails += run("QueryRows", in.p, in.len, &out) != 0;
            done++;
        }
    } while ((t = now() - t0) < secs);
    if (fails)
        fprintf(stderr, "bench_nspi: %u QueryRows failed\n", fails);
    mapi_wr_free(&in);
    mapi_wr_free(&out);
    return done / t;
}

/* The first request after the directory changed rebuilds the snapshot. */
static double first_request_ms(void)
{
    mapi_wr_t in, out;
    nspi_request_t q;
    double t0;
    memset(&q, 0, sizeof(q));
    q.type = NSPI_UPDATESTAT;
    q.u.updatestat.has_state = 1;
    stat_init(&q.u.updatestat.state);
    mapi_wr_init(&in, 0);
    mapi_wr_init(&out, 0);
    nspi_request_encode(&q, &in);
    nspi_engine_flush_cache();
    t0 = now();
    run("UpdateStat", in.p, in.len, &out);
    t0 = now() - t0;
    mapi_wr_free(&in);
    mapi_wr_free(&out);
    return t0 * 1000;
}

static void measure(unsigned n, const char *what, double secs)
{
    double rebuild = first_request_ms();
    double rs = bench_resolve(n, secs, 0), rp = bench_resolve(n, secs, 1);
    double qr = bench_queryrows(n, secs);
    printf("%9u %10s %12.1f %16.0f %18.0f %14.0f\n", n, what, rebuild, rs, rp, qr);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    unsigned max = argc > 1 ? (unsigned)atoi(argv[1]) : 100000;
    double secs = argc > 2 ? atof(argv[2]) : 2.0;
    static const unsigned sizes[] = {1000, 10000, 100000, 1000000};
    const char *tmp = getenv("TMPDIR");
    char root[512], cmd[600];

    if (!tmp)
        tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(root, sizeof(root), "%s/bench-nspi-%d-XXXXXX", tmp, (int)getpid());
    if (!mkdtemp(root) || ms_store_init(root) != MS_OK || ms_store_open(root, 0, &st) != MS_OK ||
        ms_db_create(st, "db1", (uint64_t)1 << 36) != MS_OK) {
        fprintf(stderr, "bench_nspi: cannot create a store in %s: %s\n", root, ms_last_error());
        return 1;
    }
    ctx.store = st;
    ctx.user = "user000000@BENCH.TEST";
    ctx.base_url = "https://bench.test";
    ctx.dn_prefix = PREFIX;
    ctx.codepage = 1252;
    srand(42);
    printf("NSPI engine, direct calls, one thread; %.1f s per figure; store in %s\n", secs, tmp);
    printf("%9s %10s %12s %16s %18s %14s\n", "entries", "directory", "rebuild ms", "Resolve SMTP/s",
           "Resolve prefix/s", "QueryRows50/s");
    /* a real store directory (ms_mailbox_create is O(n) per mailbox in the
     * store today: 1,000 is where it stays quick) */
    double t0 = now();
    if (add_mailboxes(0, 1000))
        return 1;
    double created = now() - t0;
    measure(1000, "store", secs);
    printf("# creating 1,000 mailboxes in the store took %.1f s\n", created);
    /* the same engine over directories of growing size */
    for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]) && sizes[k] <= max; k++) {
        if (inject(sizes[k]))
            break;
        measure(sizes[k], "in memory", secs);
    }
    nspi_engine_set_directory(NULL, 0);
    nspi_engine_flush_cache();
    ms_store_close(st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : 1;
}
