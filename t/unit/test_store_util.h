/* test_store_util.h - helpers shared by the store unit tests. */
#ifndef TEST_STORE_UTIL_H
#define TEST_STORE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mapistore.h"
#include "tap.h"

static char ts_root[256];

static inline void ts_rmrf(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        diag("could not remove %s", path);
}

/* Fresh store root with one database and one mailbox alice@example.test. */
static inline ms_store_t *ts_setup(const char *tag, uint64_t mapsize, ms_mailbox_t **mbx)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(ts_root, sizeof(ts_root), "%s/ms-%s-%d-XXXXXX", tmp, tag, (int)getpid());
    if (!mkdtemp(ts_root))
        return NULL;
    ms_store_t *st = NULL;
    if (ms_store_init(ts_root) != MS_OK || ms_store_open(ts_root, 0, &st) != MS_OK ||
        ms_db_create(st, "db1", mapsize) != MS_OK)
        return NULL;
    ms_mailbox_info_t info;
    memset(&info, 0, sizeof(info));
    snprintf(info.smtp[0], sizeof(info.smtp[0]), "alice@example.test");
    info.nsmtp = 1;
    snprintf(info.display_name, sizeof(info.display_name), "Alice");
    snprintf(info.login, sizeof(info.login), "alice@EXAMPLE.TEST");
    if (ms_mailbox_create(st, &info) != MS_OK)
        return NULL;
    if (mbx && ms_mailbox_open(st, MS_LOOKUP_SMTP, "alice@example.test", mbx) != MS_OK)
        return NULL;
    return st;
}

static inline void ts_report(void *ctx, const char *line)
{
    (void)ctx;
    diag("check: %s", line);
}

static inline unsigned ts_check(ms_store_t *st)
{
    unsigned problems = 999;
    if (ms_store_check(st, ts_report, NULL, &problems) != MS_OK)
        return 999;
    return problems;
}

static inline ms_propval_t ts_str(uint32_t tag, const char *s)
{
    ms_propval_t v = {.tag = tag};
    v.value.str = (char *)(uintptr_t)s;
    return v;
}

static inline ms_propval_t ts_long(uint32_t tag, int32_t l)
{
    ms_propval_t v = {.tag = tag};
    v.value.l = l;
    return v;
}

static inline ms_propval_t ts_ft(uint32_t tag, uint64_t ft)
{
    ms_propval_t v = {.tag = tag};
    v.value.ft = ft;
    return v;
}

static inline ms_propval_t ts_bin(uint32_t tag, const void *p, uint32_t n)
{
    ms_propval_t v = {.tag = tag};
    v.value.bin.cb = n;
    v.value.bin.pb = (uint8_t *)(uintptr_t)p;
    return v;
}

/* Save a simple message; returns its MID (0 on failure). */
static inline ms_id_t ts_message(ms_mailbox_t *mbx, ms_id_t fid, const char *subject,
                                 const char *sender, uint64_t delivery)
{
    ms_message_t *m;
    if (ms_message_create(mbx, fid, 0, &m) != MS_OK)
        return 0;
    ms_propval_t v[3] = {ts_str(MS_PR_SUBJECT, subject), ts_str(MS_PR_SENT_REPRESENTING_NAME, sender),
                         ts_ft(MS_PR_MESSAGE_DELIVERY_TIME, delivery)};
    ms_id_t mid = 0;
    if (ms_message_set_props(m, v, 3) == MS_OK && ms_message_save(NULL, m) == MS_OK)
        mid = ms_message_mid(m);
    ms_message_free(m);
    return mid;
}

#endif
