/* cli.h - shared pieces of the mapistore admin CLI. */
#ifndef MS_CLI_H
#define MS_CLI_H
#include <stdio.h>
#include "mapistore.h"

/* exit codes */
#define EX_OK 0
#define EX_PROBLEMS 1   /* check found problems / some messages skipped */
#define EX_USAGE 2      /* bad arguments */
#define EX_STORE 3      /* the store failed (cannot open, full, ...) */

typedef struct {
    const char *root;
    int quiet;
} cli_t;

int cli_fail(ms_err_t rc, const char *what);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "--name value" / "--name=value"; advances *i. Returns value or NULL. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);
int cli_parse_size(const char *s, uint64_t *out);
ms_err_t cli_open(cli_t *c, unsigned flags, ms_store_t **st);
ms_err_t cli_mailbox(ms_store_t *st, const char *key, ms_mailbox_t **mbx);
ms_err_t cli_folder(ms_mailbox_t *mbx, const char *name, int create, ms_id_t *fid);
void cli_json_str(FILE *f, const char *s);

int cmd_init(cli_t *c, int argc, char **argv);
int cmd_db(cli_t *c, int argc, char **argv);
int cmd_mailbox(cli_t *c, int argc, char **argv);
int cmd_import(cli_t *c, int argc, char **argv);
int cmd_export(cli_t *c, int argc, char **argv);
int cmd_ls(cli_t *c, int argc, char **argv);
int cmd_dump(cli_t *c, int argc, char **argv);
int cmd_check(cli_t *c, int argc, char **argv);
int cmd_backup(cli_t *c, int argc, char **argv);
int cmd_restore(cli_t *c, int argc, char **argv);
int cmd_queue(cli_t *c, int argc, char **argv);
#endif
