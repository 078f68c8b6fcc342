/* cli_admin.c - mapistore check, backup and restore. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void print_problem(void *ctx, const char *line)
{
    (void)ctx;
    printf("problem: %s\n", line);
}

int cmd_check(cli_t *c, int argc, char **argv)
{
    if (argc)
        return cli_usage("check takes no arguments");
    ms_store_t *st;
    if (cli_open(c, MS_OPEN_READONLY, &st) != MS_OK)
        return EX_STORE;
    unsigned problems = 0;
    ms_err_t rc = ms_store_check(st, print_problem, NULL, &problems);
    ms_store_close(st);
    if (rc != MS_OK)
        return cli_fail(rc, "check");
    if (problems) {
        printf("%u problem%s found\n", problems, problems == 1 ? "" : "s");
        return EX_PROBLEMS;
    }
    printf("clean\n");
    return EX_OK;
}

int cmd_backup(cli_t *c, int argc, char **argv)
{
    if (argc != 1)
        return cli_usage("backup DEST");
    ms_store_t *st;
    if (cli_open(c, 0, &st) != MS_OK)
        return EX_STORE;
    ms_err_t rc = ms_store_backup(st, argv[0]);
    ms_store_close(st);
    if (rc != MS_OK)
        return cli_fail(rc, "backup");
    printf("backup written to %s\n", argv[0]);
    return EX_OK;
}

int cmd_restore(cli_t *c, int argc, char **argv)
{
    if (argc != 1)
        return cli_usage("restore BACKUP   (restores into the store root given with -r)");
    ms_err_t rc = ms_store_restore(argv[0], c->root);
    if (rc != MS_OK)
        return cli_fail(rc, "restore");
    printf("restored %s into %s\n", argv[0], c->root);
    return EX_OK;
}
