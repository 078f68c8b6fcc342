/* cli_mail.c - mapistore import (.eml, mbox, Maildir), export, ls and dump. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"

typedef struct {
    ms_mailbox_t *mbx;
    ms_id_t fid;
    int progress;
    unsigned long committed, skipped, files_done, files_total;
    double started;
    int stop;              /* a store error ends the batch */
} imp_t;

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Map a mail file read-only (mbox files can be larger than memory). */
static char *map_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat sb;
    char *p = NULL;
    if (!fstat(fd, &sb) && S_ISREG(sb.st_mode)) {
        *len = (size_t)sb.st_size;
        p = *len ? mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0) : (char *)"";
        if (p == MAP_FAILED)
            p = NULL;
    } else {
        errno = EINVAL;
    }
    close(fd);
    return p;
}

static void unmap_file(char *p, size_t len)
{
    if (p && len)
        munmap(p, len);
}

static void show_progress(imp_t *s, int final)
{
    if (!s->progress)
        return;
    double el = mono() - s->started;
    unsigned long done = s->committed + s->skipped;
    int width = 30, fill = s->files_total ? (int)(width * s->files_done / s->files_total) : 0;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    fprintf(stderr, "\r[%s] files %lu/%lu  messages %lu (%lu skipped)  %.0f/s ", bar, s->files_done,
            s->files_total, done, s->skipped, el > 0.001 ? done / el : 0.0);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

static void import_one(imp_t *s, const char *data, size_t len, const char *source)
{
    ms_import_result_t res;
    ms_err_t rc = ms_import_mime(NULL, s->mbx, s->fid, data, len, &res);
    if (rc == MS_OK) {
        s->committed++;
        printf("committed %lu %016llx %s %s\n", s->committed, (unsigned long long)res.mid,
               res.message_id[0] && !strpbrk(res.message_id, " \t") ? res.message_id : "-", source);
        fflush(stdout);
        if (res.reason[0])
            fprintf(stderr, "%s%s: %s\n", s->progress ? "\n" : "", source, res.reason);
    } else if (rc != MS_E_QUOTA_EXCEEDED && rc != MS_E_JET && rc != MS_E_NOMEM &&
               rc != MS_E_ACCESS_DENIED && rc != MS_E_NOT_INITIALIZED && rc != MS_E_NOT_FOUND) {
        /* this message is bad (unparseable, too complex...): report, go on */
        s->skipped++;
        if (s->progress)
            fputc('\n', stderr);
        fprintf(stderr, "skipped %s: %s\n", source, res.reason[0] ? res.reason : ms_last_error());
    } else {
        s->skipped++;
        cli_fail(rc, source);
        s->stop = 1;
    }
    if ((s->committed + s->skipped) % 25 == 0)
        show_progress(s, 0);
}

/* mbox: a message starts at a "From " line at the start of the file or after
 * an empty line; ">From " lines are unescaped (mboxrd). */
static int from_line(const char *p, const char *start, const char *end)
{
    if (end - p < 5 || memcmp(p, "From ", 5))
        return 0;
    if (p == start)
        return 1;
    return (p - start >= 2 && p[-1] == '\n' && p[-2] == '\n') ||
           (p - start >= 3 && p[-1] == '\n' && p[-2] == '\r' && p[-3] == '\n');
}

static void import_mbox(imp_t *s, const char *buf, size_t len, const char *path)
{
    const char *end = buf + len, *p = buf;
    unsigned n = 0;
    while (p < end && !s->stop) {
        const char *body = memchr(p, '\n', (size_t)(end - p));
        body = body ? body + 1 : end;
        const char *q = body;
        while (q < end) {
            const char *nl = memchr(q, '\n', (size_t)(end - q));
            if (!nl)
                break;
            if (from_line(nl + 1, buf, end))
                break;
            q = nl + 1;
        }
        const char *stop = q < end ? memchr(q, '\n', (size_t)(end - q)) : NULL;
        stop = stop ? stop + 1 : end;
        if (q >= end)
            stop = end;
        /* unescape >From lines into a copy */
        size_t ml = (size_t)(stop - body);
        char *copy = malloc(ml + 1);
        size_t o = 0;
        for (const char *l = body; copy && l < stop;) {
            const char *nl = memchr(l, '\n', (size_t)(stop - l));
            nl = nl ? nl + 1 : stop;
            const char *gt = l;
            while (gt < nl && *gt == '>')
                gt++;
            if (gt > l && nl - gt >= 5 && !memcmp(gt, "From ", 5))
                l++;
            memcpy(copy + o, l, (size_t)(nl - l));
            o += (size_t)(nl - l);
            l = nl;
        }
        char src[4200];
        snprintf(src, sizeof(src), "%s#%u", path, ++n);
        if (copy)
            import_one(s, copy, o, src);
        free(copy);
        p = stop;
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static void import_file(imp_t *s, const char *path)
{
    size_t len = 0;
    errno = 0;
    char *buf = map_file(path, &len);
    if (!buf) {
        s->skipped++;
        fprintf(stderr, "skipped %s: cannot read: %s\n", path, strerror(errno ? errno : EIO));
    } else if (len >= 5 && !memcmp(buf, "From ", 5) && !ends_with(path, ".eml")) {
        import_mbox(s, buf, len, path);
    } else if (len >= 5 && !memcmp(buf, "From ", 5)) {   /* one message with a From_ line */
        const char *nl = memchr(buf, '\n', len);
        size_t skip = nl ? (size_t)(nl - buf) + 1 : len;
        import_one(s, buf + skip, len - skip, path);
    } else {
        import_one(s, buf, len, path);
    }
    unmap_file(buf, len);
    s->files_done++;
}

typedef struct { char **v; size_t n, cap; } paths_t;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(paths_t *p, const char *path, int depth)
{
    struct stat sb;
    if (stat(path, &sb) || depth > 16)
        return;
    if (!S_ISDIR(sb.st_mode)) {
        if (p->n == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 256;
            char **nv = realloc(p->v, p->cap * sizeof(char *));
            if (!nv)
                return;
            p->v = nv;
        }
        p->v[p->n++] = strdup(path);
        return;
    }
    DIR *d = opendir(path);
    if (!d)
        return;
    paths_t sub = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char child[4096];
        snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
        if (sub.n == sub.cap) {
            sub.cap = sub.cap ? sub.cap * 2 : 64;
            char **nv = realloc(sub.v, sub.cap * sizeof(char *));
            if (!nv)
                break;
            sub.v = nv;
        }
        sub.v[sub.n++] = strdup(child);
    }
    closedir(d);
    if (sub.n)
        qsort(sub.v, sub.n, sizeof(char *), cmp_str);
    /* a Maildir's tmp/ holds half-delivered mail: skip it */
    for (size_t i = 0; i < sub.n; i++) {
        const char *base = strrchr(sub.v[i], '/') + 1;
        if (strcmp(base, "tmp"))
            collect(p, sub.v[i], depth + 1);
        free(sub.v[i]);
    }
    free(sub.v);
}

int cmd_import(cli_t *c, int argc, char **argv)
{
    const char *folder = NULL, *v, *mailbox = NULL;
    paths_t paths = {0};
    int quiet = 0;
    for (int i = 0; i < argc; i++) {
        if ((v = cli_opt(argc, argv, &i, "--folder")))
            folder = v;
        else if (!strcmp(argv[i], "--quiet"))
            quiet = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage("import: unknown option '%s'", argv[i]);
        else if (!mailbox)
            mailbox = argv[i];
        else {
            struct stat sb;
            if (stat(argv[i], &sb)) {
                fprintf(stderr, "mapistore: %s: %s\n", argv[i], strerror(errno));
                return EX_USAGE;
            }
            collect(&paths, argv[i], 0);
        }
    }
    if (!mailbox || !paths.n) {
        free(paths.v);
        return cli_usage("import: MAILBOX and at least one PATH with mail are needed");
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    ms_store_t *st;
    ms_mailbox_t *mbx = NULL;
    imp_t s = {0};
    int ex = EX_STORE;
    if (cli_open(c, 0, &st) != MS_OK)
        goto out_paths;
    if (cli_mailbox(st, mailbox, &mbx) != MS_OK || cli_folder(mbx, folder, 1, &s.fid) != MS_OK)
        goto out;
    s.mbx = mbx;
    s.progress = !quiet && isatty(2);
    s.files_total = paths.n;
    s.started = mono();
    for (size_t i = 0; i < paths.n && !s.stop; i++)
        import_file(&s, paths.v[i]);
    show_progress(&s, 1);
    fprintf(stderr, "imported %lu messages, skipped %lu\n", s.committed, s.skipped);
    ex = s.stop ? EX_STORE : s.skipped ? EX_PROBLEMS : EX_OK;
out:
    ms_mailbox_close(mbx);
    ms_store_close(st);
out_paths:
    for (size_t i = 0; i < paths.n; i++)
        free(paths.v[i]);
    free(paths.v);
    return ex;
}

/* Every MID of a folder, in MID order. */
static ms_err_t folder_mids(ms_mailbox_t *mbx, ms_id_t fid, ms_id_t **out, size_t *n)
{
    ms_table_t *t = NULL;
    *out = NULL;
    *n = 0;
    ms_err_t rc = ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, fid, 0, &t);
    uint32_t col = MS_PR_MID;
    if (rc == MS_OK)
        rc = ms_table_set_columns(t, &col, 1);
    size_t cap = 0;
    while (rc == MS_OK) {
        ms_rowset_t rs;
        if ((rc = ms_table_query(NULL, t, 1000, 0, &rs)) != MS_OK || !rs.count) {
            ms_rowset_free(&rs);
            break;
        }
        if (*n + rs.count > cap) {
            cap = (*n + rs.count) * 2;
            ms_id_t *nv = realloc(*out, cap * sizeof(ms_id_t));
            if (!nv)
                rc = MS_E_NOMEM;
            else
                *out = nv;
        }
        for (uint32_t i = 0; rc == MS_OK && i < rs.count; i++)
            (*out)[(*n)++] = (ms_id_t)rs.rows[i][0].value.li;
        ms_rowset_free(&rs);
    }
    ms_table_close(t);
    return rc;
}

typedef int (*per_msg_fn)(ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid, void *ctx);

static int for_each(cli_t *c, int argc, char **argv, int need_arg, per_msg_fn fn, void *ctx,
                    const char **arg)
{
    const char *folder = NULL, *mailbox = NULL, *v;
    for (int i = 0; i < argc; i++) {
        if ((v = cli_opt(argc, argv, &i, "--folder")))
            folder = v;
        else if (argv[i][0] == '-')
            return cli_usage("unknown option '%s'", argv[i]);
        else if (!mailbox)
            mailbox = argv[i];
        else if (need_arg && !*arg)
            *arg = argv[i];
        else
            return cli_usage("unexpected argument '%s'", argv[i]);
    }
    if (!mailbox || (need_arg && !*arg))
        return cli_usage("MAILBOX%s missing", need_arg ? " or OUTDIR" : "");
    ms_store_t *st;
    if (cli_open(c, MS_OPEN_READONLY, &st) != MS_OK)
        return EX_STORE;
    ms_mailbox_t *mbx = NULL;
    ms_id_t fid, *mids = NULL;
    size_t n = 0;
    int ex = EX_STORE;
    if (cli_mailbox(st, mailbox, &mbx) == MS_OK && cli_folder(mbx, folder, 0, &fid) == MS_OK) {
        ms_err_t rc = folder_mids(mbx, fid, &mids, &n);
        ex = rc == MS_OK ? EX_OK : cli_fail(rc, "list messages");
        for (size_t i = 0; ex == EX_OK && i < n; i++)
            ex = fn(mbx, fid, mids[i], ctx);
    }
    free(mids);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    return ex;
}

static int export_one(ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid, void *ctx)
{
    char *data;
    size_t len;
    ms_err_t rc = ms_export_mime(NULL, mbx, fid, mid, &data, &len);
    if (rc != MS_OK)
        return cli_fail(rc, "export");
    char path[4200];
    snprintf(path, sizeof(path), "%s/%016llx.eml", (const char *)ctx, (unsigned long long)mid);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f))
        ok = 0;
    free(data);
    if (!ok) {
        fprintf(stderr, "mapistore: %s: %s\n", path, strerror(errno));
        return EX_STORE;
    }
    return EX_OK;
}

int cmd_export(cli_t *c, int argc, char **argv)
{
    const char *outdir = NULL;
    int pos = 0;   /* OUTDIR is the second positional argument: create it first */
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--folder")) {
            i++;
            continue;
        }
        if (argv[i][0] != '-' && ++pos == 2)
            outdir = argv[i];
    }
    if (outdir && mkdir(outdir, 0750) && errno != EEXIST) {
        fprintf(stderr, "mapistore: %s: %s\n", outdir, strerror(errno));
        return EX_USAGE;
    }
    const char *arg = NULL;
    return for_each(c, argc, argv, 1, export_one, (void *)(uintptr_t)outdir, &arg);
}

static const char *str_prop(ms_message_t *m, uint32_t tag)
{
    const ms_propval_t *v = ms_message_get_prop(m, tag);
    return v && (MS_PROP_TYPE(v->tag) == MS_PT_UNICODE || MS_PROP_TYPE(v->tag) == MS_PT_STRING8)
               ? v->value.str : NULL;
}

static int ls_one(ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid, void *ctx)
{
    ms_message_t *m;
    ms_err_t rc = ms_message_open(NULL, mbx, fid, mid, &m);
    if (rc != MS_OK)
        return cli_fail(rc, "open message");
    const char *id = str_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1035));
    const char *subj = str_prop(m, MS_PR_SUBJECT);
    printf("%016llx\t%s\t%s\n", (unsigned long long)mid, id ? id : "-", subj ? subj : "");
    ms_message_free(m);
    return EX_OK;
}

int cmd_ls(cli_t *c, int argc, char **argv)
{
    const char *arg = NULL;
    return for_each(c, argc, argv, 0, ls_one, NULL, &arg);
}

static void json_field(const char *name, const char *v, int comma)
{
    printf("%s\"%s\":", comma ? "," : "", name);
    if (v)
        cli_json_str(stdout, v);
    else
        fputs("null", stdout);
}

/* One JSON object per message with what a MIME import must keep (tests). */
static int dump_one(ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid, void *ctx)
{
    ms_message_t *m;
    ms_err_t rc = ms_message_open(NULL, mbx, fid, mid, &m);
    if (rc != MS_OK)
        return cli_fail(rc, "open message");
    char mids[32];
    snprintf(mids, sizeof(mids), "%016llx", (unsigned long long)mid);
    fputc('{', stdout);
    json_field("mid", mids, 0);
    json_field("subject", str_prop(m, MS_PR_SUBJECT), 1);
    json_field("from_name", str_prop(m, MS_PR_SENT_REPRESENTING_NAME), 1);
    json_field("from_addr", str_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x0065)), 1);
    json_field("message_id", str_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1035)), 1);
    const ms_propval_t *t = ms_message_get_prop(m, MS_PR_CLIENT_SUBMIT_TIME);
    char date[40] = "";
    if (t) {
        time_t secs = (time_t)(t->value.ft / 10000000ull) - (time_t)11644473600LL;
        struct tm tm;
        gmtime_r(&secs, &tm);
        strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    json_field("date", t ? date : NULL, 1);
    json_field("body", str_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1000)), 1);
    printf(",\"has_html\":%s", ms_message_get_prop(m, MS_PROP_TAG(MS_PT_BINARY, 0x1013)) ? "true" : "false");
    for (int kind = 1; kind <= 2; kind++) {
        printf(",\"%s\":[", kind == 1 ? "to" : "cc");
        int first = 1;
        for (size_t i = 0; i < ms_message_recipient_count(m); i++) {
            const ms_propval_t *v;
            size_t n;
            ms_message_get_recipient(m, i, &v, &n);
            int32_t rt = -1;
            const char *addr = NULL;
            for (size_t k = 0; k < n; k++) {
                if (v[k].tag == MS_PR_RECIPIENT_TYPE)
                    rt = v[k].value.l;
                if (v[k].tag == MS_PROP_TAG(MS_PT_UNICODE, 0x39FE))
                    addr = v[k].value.str;
            }
            if (rt == kind && addr) {
                if (!first)
                    fputc(',', stdout);
                cli_json_str(stdout, addr);
                first = 0;
            }
        }
        fputc(']', stdout);
    }
    unsigned visible = 0, hidden = 0;
    fputs(",\"filenames\":[", stdout);
    for (size_t i = 0; i < ms_message_attach_count(m); i++) {
        uint32_t num;
        const ms_propval_t *v;
        size_t n;
        ms_message_attach_num(m, i, &num);
        ms_message_get_attach(m, num, &v, &n);
        int h = 0;
        const char *fn = NULL;
        for (size_t k = 0; k < n; k++) {
            if (v[k].tag == MS_PROP_TAG(MS_PT_BOOLEAN, 0x7FFE))
                h = v[k].value.b;
            if (v[k].tag == MS_PROP_TAG(MS_PT_UNICODE, 0x3707))
                fn = v[k].value.str;
        }
        if (h) {
            hidden++;
            continue;
        }
        if (visible++)
            fputc(',', stdout);
        if (fn)
            cli_json_str(stdout, fn);
        else
            fputs("null", stdout);
    }
    printf("],\"attachments\":%u,\"hidden\":%u}\n", visible, hidden);
    ms_message_free(m);
    return EX_OK;
}

int cmd_dump(cli_t *c, int argc, char **argv)
{
    const char *arg = NULL;
    return for_each(c, argc, argv, 0, dump_one, NULL, &arg);
}
