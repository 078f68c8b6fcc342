/*
 * cli_queue.c - `mapistore queue MAILBOX`: the mailbox's outgoing queue
 * (messages submitted with RopSubmitMessage and not sent yet, ms_queue.c),
 * one line per entry: MID, folder, submit time (UTC), what happens after
 * sending, subject ("(gone)" when the message was deleted meanwhile).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print_entry(ms_mailbox_t *mbx, const ms_queue_entry_t *e)
{
    ms_message_t *m = NULL;
    const ms_propval_t *subj = NULL;
    const char *after = (e->flags & MS_QF_DELETE_AFTER_SUBMIT) ? "delete"
                        : (e->flags & MS_QF_MOVE_TO_SENT)      ? "sent-items"
                                                               : "keep";
    time_t secs = (time_t)(e->submit_time / 10000000ull) - (time_t)11644473600LL;
    struct tm tm;
    char when[32] = "-";
    if (e->submit_time && gmtime_r(&secs, &tm))
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (ms_message_open(NULL, mbx, e->fid, e->mid, &m) == MS_OK)
        subj = ms_message_get_prop(m, MS_PR_SUBJECT);
    printf("%016llx %016llx %s %s %s\n", (unsigned long long)e->mid, (unsigned long long)e->fid, when, after,
           !m ? "(gone)" : subj && subj->value.str ? subj->value.str : "");
    if (m)
        ms_message_free(m);
}

int cmd_queue(cli_t *c, int argc, char **argv)
{
    ms_store_t *st;
    ms_mailbox_t *mbx;
    ms_queue_entry_t *e = NULL;
    size_t n = 0, i;
    ms_err_t rc;
    if (argc != 1)
        return cli_usage("queue MAILBOX");
    if (cli_open(c, MS_OPEN_READONLY, &st) != MS_OK)
        return EX_STORE;
    if (cli_mailbox(st, argv[0], &mbx) != MS_OK) {
        ms_store_close(st);
        return EX_STORE;
    }
    rc = ms_queue_list(NULL, mbx, &e, &n);
    if (rc != MS_OK)
        cli_fail(rc, "queue");
    for (i = 0; rc == MS_OK && i < n; i++)
        print_entry(mbx, &e[i]);
    free(e);
    ms_mailbox_close(mbx);
    ms_store_close(st);
    return rc == MS_OK ? EX_OK : EX_STORE;
}
