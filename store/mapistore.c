/*
 * mapistore - admin CLI of the LMDB message store.
 * Subcommands live in cli_dir.c (init, db, mailbox), cli_mail.c (import,
 * export, ls, dump) and cli_admin.c (check, backup, restore).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"

static void usage(FILE *f)
{
    fputs("usage: mapistore [-r ROOT] COMMAND ...   (ROOT defaults to $MAPISTORE_ROOT)\n"
          "  init [--db NAME] [--map-size SIZE] [--no-db]   create a store root (+ database)\n"
          "  db create NAME [--map-size SIZE] | db list\n"
          "  mailbox create --smtp ADDR [--smtp ADDR...] [--name NAME] [--login PRINCIPAL]\n"
          "                 [--dn LEGACYDN] [--db NAME] [--quota-warn SIZE] [--quota-send SIZE]\n"
          "                 [--quota-receive SIZE]\n"
          "  mailbox list | show MAILBOX | delete MAILBOX\n"
          "  mailbox quota MAILBOX [--warn SIZE] [--send SIZE] [--receive SIZE]\n"
          "  import MAILBOX [--folder NAME] [--quiet] PATH...   .eml files, mbox files, Maildirs,\n"
          "                 directories of .eml files; prints 'committed N MID MESSAGE-ID SOURCE'\n"
          "  export MAILBOX [--folder NAME] OUTDIR               one .eml per message\n"
          "  ls MAILBOX [--folder NAME]                          MID, Message-ID, subject\n"
          "  dump MAILBOX [--folder NAME]                        one JSON object per message\n"
          "  check                                               verify every index and counter\n"
          "  queue MAILBOX                                       outgoing queue: MID FID TIME AFTER SUBJECT\n"
          "  backup DEST | restore BACKUP                        hot compacting copy / restore\n"
          "MAILBOX: SMTP address, login name, legacyExchangeDN or GUID. SIZE: bytes, or K/M/G.\n"
          "exit status: 0 ok, 1 problems found or messages skipped, 2 bad arguments,\n"
          "3 store error (missing root, full, quota)\n", f);
}

int cli_fail(ms_err_t rc, const char *what)
{
    fprintf(stderr, "mapistore: %s: %s (%s, ec 0x%08x)\n", what, ms_last_error(), ms_strerror(rc),
            (unsigned)rc);
    return EX_STORE;
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mapistore: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n(run 'mapistore help' for usage)\n", stderr);
    va_end(ap);
    return EX_USAGE;
}

const char *cli_opt(int argc, char **argv, int *i, const char *name)
{
    size_t l = strlen(name);
    if (strncmp(argv[*i], name, l))
        return NULL;
    if (argv[*i][l] == '=')
        return argv[*i] + l + 1;
    if (argv[*i][l] || *i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

int cli_parse_size(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t mul = 1;
    if (*end == 'K' || *end == 'k') mul = 1024, end++;
    else if (*end == 'M' || *end == 'm') mul = 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g') mul = 1024ull * 1024 * 1024, end++;
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v > UINT64_MAX / mul)
        return -1;
    *out = v * mul;
    return 0;
}

ms_err_t cli_open(cli_t *c, unsigned flags, ms_store_t **st)
{
    ms_err_t rc = ms_store_open(c->root, flags, st);
    if (rc != MS_OK)
        cli_fail(rc, "open store");
    return rc;
}

ms_err_t cli_mailbox(ms_store_t *st, const char *key, ms_mailbox_t **mbx)
{
    ms_err_t rc = ms_mailbox_open(st, MS_LOOKUP_ANY, key, mbx);
    if (rc != MS_OK)
        cli_fail(rc, key);
    return rc;
}

/* A special folder name, or a folder under the IPM subtree (created on demand). */
ms_err_t cli_folder(ms_mailbox_t *mbx, const char *name, int create, ms_id_t *fid)
{
    int sp = ms_special_folder_by_name(name ? name : "Inbox");
    if (sp >= 0) {
        *fid = ms_special_folder_id((ms_special_t)sp);
        return MS_OK;
    }
    ms_id_t ipm = ms_special_folder_id(MS_FOLDER_IPM_SUBTREE);
    ms_err_t rc = create ? ms_folder_create(NULL, mbx, ipm, name, "IPF.Note", MS_CREATE_OPEN_IF_EXISTS, fid)
                         : ms_folder_find(NULL, mbx, ipm, name, fid);
    if (rc != MS_OK)
        cli_fail(rc, name);
    return rc;
}

void cli_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

int main(int argc, char **argv)
{
    cli_t c = {getenv("MAPISTORE_ROOT"), 0};
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "-r")) || (v = cli_opt(argc, argv, &i, "--root")))
            c.root = v;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return EX_OK;
        } else
            return cli_usage("unknown option '%s'", argv[i]);
        i++;
    }
    if (i >= argc) {
        usage(stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[i];
    if (!strcmp(cmd, "help")) {
        usage(stdout);
        return EX_OK;
    }
    if (!c.root || !*c.root)
        return cli_usage("no store root: pass -r ROOT or set MAPISTORE_ROOT");
    static const struct { const char *name; int (*fn)(cli_t *, int, char **); } cmds[] = {
        {"init", cmd_init}, {"db", cmd_db}, {"mailbox", cmd_mailbox}, {"import", cmd_import},
        {"export", cmd_export}, {"ls", cmd_ls}, {"dump", cmd_dump}, {"check", cmd_check},
        {"backup", cmd_backup}, {"restore", cmd_restore}, {"queue", cmd_queue}};
    for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++)
        if (!strcmp(cmd, cmds[k].name))
            return cmds[k].fn(&c, argc - i - 1, argv + i + 1);
    return cli_usage("unknown command '%s'", cmd);
}
