/*
 * nspi_gal.c - the Global Address List as a read-only snapshot of the store
 * directory ([MS-OXNSPI] 3.1.4.4: tables sorted by display name; 2.2.9.1
 * Minimal Entry IDs), shared by the threads of a process and rebuilt when
 * the directory's data file changes.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "nspi_internal.h"

/* ---- case folding --------------------------------------------------- */
static uint32_t fold_cp(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
        return c | 1;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c + 1 : c;
    if (c == 0x178)
        return 0xFF;
    return c;
}

char *nspi_fold(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    const unsigned char *p = (const unsigned char *)s;
    if (!out)
        return NULL;
    while (*p) {
        if (p[0] < 0x80) {
            *o++ = (char)fold_cp(p[0]);
            p++;
        } else if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
            /* two-byte sequences fold to two-byte sequences (U+0080..U+07FF) */
            uint32_t c = fold_cp(((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F));
            *o++ = (char)(0xC0 | (c >> 6));
            *o++ = (char)(0x80 | (c & 0x3F));
            p += 2;
        } else {
            *o++ = (char)*p++;
        }
    }
    *o = 0;
    return out;
}

int nspi_fold_has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- building a snapshot -------------------------------------------- */
static uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static char *adup(mapi_arena_t *a, const char *s)
{
    return mapi_arena_strndup(a, s, strlen(s));
}

static char *alower(mapi_arena_t *a, char kind, const char *s)
{
    size_t n = strlen(s);
    char *r = mapi_arena_alloc(a, n + 2);
    if (!r)
        return NULL;
    r[0] = kind;
    for (size_t i = 0; i < n; i++)
        r[i + 1] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    r[n + 1] = 0;
    return r;
}

/* The alias: what follows the last "/cn=" of a DN, else the local part of
 * the primary SMTP address. */
static const char *alias_of(mapi_arena_t *a, const ms_mailbox_info_t *in)
{
    const char *dn = in->legacy_dn, *last = NULL;
    for (const char *p = dn; *p; p++)
        if (p[0] == '/' && strncasecmp(p, "/cn=", 4) == 0)
            last = p + 4;
    if (last && *last)
        return adup(a, last);
    const char *at = strchr(in->smtp[0], '@');
    return mapi_arena_strndup(a, in->smtp[0], at ? (size_t)(at - in->smtp[0]) : strlen(in->smtp[0]));
}

static const char *dn_of(mapi_arena_t *a, const char *prefix, const char *dir_dn, const char *alias)
{
    size_t pl = strlen(prefix);
    if (pl && strncasecmp(dir_dn, prefix, pl) == 0 && dir_dn[pl] == '/')
        return adup(a, dir_dn);
    size_t n = pl + strlen("/cn=Recipients/cn=") + strlen(alias) + 1;
    char *r = mapi_arena_alloc(a, n);
    if (r)
        snprintf(r, n, "%s/cn=Recipients/cn=%s", prefix, alias);
    return r;
}

static int cmp_entry(const void *x, const void *y)
{
    const nspi_entry_t *a = x, *b = y;
    int c = strcmp(a->fold, b->fold);
    if (c)
        return c;
    return a->dir_index < b->dir_index ? -1 : a->dir_index > b->dir_index;
}

static const nspi_gal_t *sort_gal;   /* qsort has no context argument */
static int cmp_by_mid(const void *x, const void *y)
{
    uint32_t a = sort_gal->e[*(const uint32_t *)x].mid, b = sort_gal->e[*(const uint32_t *)y].mid;
    return a < b ? -1 : a > b;
}

static int cmp_key(const void *x, const void *y)
{
    return strcmp(((const nspi_key_t *)x)->key, ((const nspi_key_t *)y)->key);
}

/* MIds in directory order: hash, then probe upwards past taken slots. */
static int assign_mids(nspi_entry_t *e, uint32_t n)
{
    size_t cap = 16;
    while (cap < (size_t)n * 2)
        cap <<= 1;
    uint32_t *set = calloc(cap, sizeof(*set));
    if (!set)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t mid = NSPI_MID_USER_BASE + fnv1a(e[i].guid.b, 16) % (NSPI_MID_USER_LIMIT - NSPI_MID_USER_BASE);
        for (;;) {
            size_t h = (mid * 2654435761u) & (cap - 1);
            int taken = 0;
            while (set[h]) {
                if (set[h] == mid) {
                    taken = 1;
                    break;
                }
                h = (h + 1) & (cap - 1);
            }
            if (!taken) {
                set[h] = mid;
                break;
            }
            mid = mid + 1 >= NSPI_MID_USER_LIMIT ? NSPI_MID_USER_BASE : mid + 1;
        }
        e[i].mid = mid;
    }
    free(set);
    return 0;
}

static int add_key(nspi_gal_t *g, size_t *cap, char kind, const char *v, uint32_t idx)
{
    if (!v || !*v)
        return 0;
    if (g->nkeys == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        nspi_key_t *nk = realloc(g->keys, nc * sizeof(*nk));
        if (!nk)
            return -1;
        g->keys = nk;
        *cap = nc;
    }
    if (!(g->keys[g->nkeys].key = alower(&g->arena, kind, v)))
        return -1;
    g->keys[g->nkeys++].idx = idx;
    return 0;
}

static void gal_free(nspi_gal_t *g)
{
    if (!g)
        return;
    free(g->e);
    free(g->by_mid);
    free(g->keys);
    free(g->dn_prefix);
    mapi_arena_clear(&g->arena);
    free(g);
}

static int fill_entry(nspi_gal_t *g, nspi_entry_t *d, const ms_mailbox_info_t *in, uint32_t i)
{
    mapi_arena_t *a = &g->arena;
    char *f = nspi_fold(in->display_name);
    if (!f)
        return -1;
    d->dir_index = i;
    d->guid = in->guid;
    d->display = adup(a, in->display_name);
    d->fold = adup(a, f);
    free(f);
    d->alias = alias_of(a, in);
    d->dir_dn = adup(a, in->legacy_dn);
    d->login = adup(a, in->login);
    d->nsmtp = in->nsmtp > MS_MAX_SMTP ? MS_MAX_SMTP : in->nsmtp;
    for (unsigned k = 0; k < d->nsmtp; k++)
        d->smtp[k] = adup(a, in->smtp[k]);
    if (!d->display || !d->fold || !d->alias || !d->dir_dn || !d->login)
        return -1;
    d->dn = dn_of(a, g->dn_prefix, d->dir_dn, d->alias);
    return d->dn ? 0 : -1;
}

/* The display name from each of its later words on, for ANR by surname. */
static int add_words(nspi_gal_t *g, size_t *cap, const nspi_entry_t *e, uint32_t i)
{
    for (const char *p = e->fold; *p; p++)
        if (p != e->fold && nspi_is_word_sep(p[-1]) && !nspi_is_word_sep(*p) && add_key(g, cap, NSPI_KEY_WORD, p, i))
            return -1;
    return 0;
}

static int build_keys(nspi_gal_t *g)
{
    size_t cap = 0;
    for (uint32_t i = 0; i < g->n; i++) {
        const nspi_entry_t *e = &g->e[i];
        if (add_words(g, &cap, e, i))
            return -1;
        for (unsigned k = 0; k < e->nsmtp; k++)
            if (add_key(g, &cap, NSPI_KEY_SMTP, e->smtp[k], i))
                return -1;
        if (add_key(g, &cap, NSPI_KEY_LOGIN, e->login, i) || add_key(g, &cap, NSPI_KEY_ALIAS, e->alias, i) ||
            add_key(g, &cap, NSPI_KEY_DN, e->dn, i) ||
            (strcasecmp(e->dn, e->dir_dn) && add_key(g, &cap, NSPI_KEY_DN, e->dir_dn, i)))
            return -1;
    }
    qsort(g->keys, g->nkeys, sizeof(*g->keys), cmp_key);
    return 0;
}

/* Directory records set by nspi_engine_set_directory() (benchmarks). */
static ms_mailbox_info_t *injected;
static size_t ninjected;
static unsigned injected_gen;

static nspi_gal_t *gal_build(ms_store_t *st, const char *dn_prefix, uint32_t *err)
{
    ms_mailbox_info_t *infos = NULL;
    size_t n = 0;
    nspi_gal_t *g;

    if (injected) {
        infos = injected;       /* read under cache_mu, like every change to it */
        n = ninjected;
    } else if (ms_mailbox_list(st, &infos, &n) != MS_OK) {
        *err = NSPI_GENERAL_FAILURE;
        return NULL;
    }
    if (n > NSPI_MID_USER_LIMIT - NSPI_MID_USER_BASE || !(g = calloc(1, sizeof(*g)))) {
        if (infos != injected)
            free(infos);
        *err = NSPI_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    mapi_arena_init(&g->arena, 0);
    g->refs = 1;
    g->n = (uint32_t)n;
    g->dn_prefix = strdup(dn_prefix);
    g->e = calloc(n ? n : 1, sizeof(*g->e));
    g->by_mid = calloc(n ? n : 1, sizeof(*g->by_mid));
    int bad = !g->dn_prefix || !g->e || !g->by_mid;
    for (uint32_t i = 0; !bad && i < n; i++)
        bad = fill_entry(g, &g->e[i], &infos[i], i);
    if (infos != injected)
        free(infos);
    if (bad || assign_mids(g->e, g->n)) {
        gal_free(g);
        *err = NSPI_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    qsort(g->e, n, sizeof(*g->e), cmp_entry);
    for (uint32_t i = 0; i < g->n; i++)
        g->by_mid[i] = i;
    sort_gal = g;
    qsort(g->by_mid, n, sizeof(*g->by_mid), cmp_by_mid);
    sort_gal = NULL;
    if (build_keys(g)) {
        gal_free(g);
        *err = NSPI_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    return g;
}

/* ---- the process-wide cache -------------------------------------------
 * One snapshot per process, keyed by the store handle, the DN prefix and
 * the directory data file's identity (inode, size, mtime). File times move
 * in coarse ticks, so a write in the tick of an earlier one may leave the
 * mtime as it was: a snapshot whose read began less than
 * NSPI_GAL_MTIME_MARGIN after the file's mtime is not trusted, and the next
 * request reads the directory again (at most once more: that read begins
 * later). */
#define NSPI_GAL_MTIME_MARGIN_NS 100000000LL      /* 100 ms */
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    nspi_gal_t *g;
    const ms_store_t *st;
    struct stat sb;
    struct timespec read_at;   /* when the snapshot's directory read began */
    unsigned injected_gen;
} cache;

static int dir_stat(ms_store_t *st, struct stat *sb)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/directory/data.mdb", ms_store_root(st));
    return stat(path, sb);
}

static long long ts_ns(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int cache_fresh(ms_store_t *st, const char *dn_prefix, const struct stat *sb, int have_sb)
{
    if (injected)
        return cache.g && cache.st == st && cache.injected_gen == injected_gen &&
               !strcmp(cache.g->dn_prefix, dn_prefix);
    return !cache.injected_gen && cache.g && cache.st == st && have_sb && !strcmp(cache.g->dn_prefix, dn_prefix) &&
           cache.sb.st_ino == sb->st_ino && cache.sb.st_size == sb->st_size &&
           ts_ns(&cache.sb.st_mtim) == ts_ns(&sb->st_mtim) &&
           ts_ns(&cache.read_at) > ts_ns(&sb->st_mtim) + NSPI_GAL_MTIME_MARGIN_NS;
}

nspi_gal_t *nspi_gal_acquire(ms_store_t *st, const char *dn_prefix, uint32_t *err)
{
    struct stat sb;
    nspi_gal_t *g;
    int have_sb;

    *err = NSPI_SUCCESS;
    if (!st) {
        *err = NSPI_GENERAL_FAILURE;
        return NULL;
    }
    if (!dn_prefix)
        dn_prefix = "";
    pthread_mutex_lock(&cache_mu);
    have_sb = dir_stat(st, &sb) == 0;
    if (!cache_fresh(st, dn_prefix, &sb, have_sb)) {
        struct timespec read_at;
        clock_gettime(CLOCK_REALTIME, &read_at);
        g = gal_build(st, dn_prefix, err);
        if (!g) {
            pthread_mutex_unlock(&cache_mu);
            return NULL;
        }
        if (cache.g && --cache.g->refs == 0)
            gal_free(cache.g);
        cache.g = g;
        cache.st = st;
        cache.sb = sb;
        cache.read_at = read_at;
        cache.injected_gen = injected ? injected_gen : 0;
        if (!have_sb)
            memset(&cache.read_at, 0, sizeof(cache.read_at));
    }
    g = cache.g;
    g->refs++;
    pthread_mutex_unlock(&cache_mu);
    return g;
}

void nspi_gal_release(nspi_gal_t *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&cache_mu);
    if (--g->refs == 0)
        gal_free(g);
    pthread_mutex_unlock(&cache_mu);
}

int nspi_engine_set_directory(const ms_mailbox_info_t *infos, size_t n)
{
    ms_mailbox_info_t *copy = NULL;
    if (infos && !(copy = malloc(n * sizeof(*copy) + 1)))
        return -1;
    if (copy)
        memcpy(copy, infos, n * sizeof(*copy));
    pthread_mutex_lock(&cache_mu);
    free(injected);
    injected = copy;
    ninjected = copy ? n : 0;
    injected_gen++;
    if (!injected_gen)
        injected_gen = 1;
    pthread_mutex_unlock(&cache_mu);
    return 0;
}

void nspi_engine_flush_cache(void)
{
    pthread_mutex_lock(&cache_mu);
    if (cache.g && --cache.g->refs == 0)
        gal_free(cache.g);
    memset(&cache, 0, sizeof(cache));
    pthread_mutex_unlock(&cache_mu);
}

/* ---- lookups ---------------------------------------------------------- */
long nspi_gal_find_mid(const nspi_gal_t *g, uint32_t mid)
{
    uint32_t lo = 0, hi = g->n;
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2, v = g->e[g->by_mid[m]].mid;
        if (v == mid)
            return (long)g->by_mid[m];
        if (v < mid)
            lo = m + 1;
        else
            hi = m;
    }
    return -1;
}

long nspi_gal_find_key(const nspi_gal_t *g, char kind, const char *value)
{
    size_t n = strlen(value), lo = 0, hi = g->nkeys;
    char *k = malloc(n + 2);
    long found = -1;
    if (!k)
        return -1;
    k[0] = kind;
    for (size_t i = 0; i <= n; i++)
        k[i + 1] = (value[i] >= 'A' && value[i] <= 'Z') ? (char)(value[i] + 32) : value[i];
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        int c = strcmp(g->keys[m].key, k);
        if (c < 0)
            lo = m + 1;
        else
            hi = m;
    }
    if (lo < g->nkeys && !strcmp(g->keys[lo].key, k))
        found = (long)g->keys[lo].idx;
    free(k);
    return found;
}

uint32_t nspi_gal_lower_bound(const nspi_gal_t *g, const char *s)
{
    char *f = nspi_fold(s);
    uint32_t lo = 0, hi = g->n;
    if (!f)
        return g->n;
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        if (strcmp(g->e[m].fold, f) < 0)
            lo = m + 1;
        else
            hi = m;
    }
    free(f);
    return lo;
}

uint32_t nspi_engine_mid_of(ms_store_t *store, const char *dn_prefix, const char *smtp)
{
    uint32_t err, mid = 0;
    nspi_gal_t *g = nspi_gal_acquire(store, dn_prefix, &err);
    long i;
    if (!g)
        return 0;
    if ((i = nspi_gal_find_key(g, NSPI_KEY_SMTP, smtp)) >= 0)
        mid = g->e[i].mid;
    nspi_gal_release(g);
    return mid;
}

char *nspi_engine_dn_of(ms_store_t *store, const char *dn_prefix, const char *smtp)
{
    uint32_t err;
    char *dn = NULL;
    nspi_gal_t *g = nspi_gal_acquire(store, dn_prefix, &err);
    long i;
    if (!g)
        return NULL;
    if ((i = nspi_gal_find_key(g, NSPI_KEY_SMTP, smtp)) >= 0)
        dn = strdup(g->e[i].dn);
    nspi_gal_release(g);
    return dn;
}
