/* cli_dir.c - mapistore init, db and mailbox subcommands. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static void guid_str(const ms_guid_t *g, char out[37])
{
    const uint8_t *b = g->b;
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[3], b[2],
             b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

int cmd_init(cli_t *c, int argc, char **argv)
{
    const char *db = "db1", *v;
    uint64_t map = 0;
    int nodb = 0;
    for (int i = 0; i < argc; i++) {
        if ((v = cli_opt(argc, argv, &i, "--db")))
            db = v;
        else if ((v = cli_opt(argc, argv, &i, "--map-size"))) {
            if (cli_parse_size(v, &map))
                return cli_usage("bad size '%s'", v);
        } else if (!strcmp(argv[i], "--no-db"))
            nodb = 1;
        else
            return cli_usage("init: unknown argument '%s'", argv[i]);
    }
    ms_err_t rc = ms_store_init(c->root);
    if (rc != MS_OK)
        return cli_fail(rc, "init");
    if (!nodb) {
        ms_store_t *st;
        if ((rc = cli_open(c, 0, &st)) != MS_OK)
            return EX_STORE;
        rc = ms_db_create(st, db, map);
        ms_store_close(st);
        if (rc != MS_OK)
            return cli_fail(rc, "db create");
    }
    printf("initialised %s%s%s\n", c->root, nodb ? "" : " with database ", nodb ? "" : db);
    return EX_OK;
}

int cmd_db(cli_t *c, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage("db: create or list?");
    ms_store_t *st;
    if (!strcmp(argv[0], "create")) {
        if (argc < 2)
            return cli_usage("db create: NAME missing");
        uint64_t map = 0;
        const char *v;
        for (int i = 2; i < argc; i++) {
            if ((v = cli_opt(argc, argv, &i, "--map-size"))) {
                if (cli_parse_size(v, &map))
                    return cli_usage("bad size '%s'", v);
            } else
                return cli_usage("db create: unknown argument '%s'", argv[i]);
        }
        if (cli_open(c, 0, &st) != MS_OK)
            return EX_STORE;
        ms_err_t rc = ms_db_create(st, argv[1], map);
        ms_store_close(st);
        if (rc != MS_OK)
            return cli_fail(rc, "db create");
        printf("created database %s\n", argv[1]);
        return EX_OK;
    }
    if (!strcmp(argv[0], "list")) {
        if (cli_open(c, MS_OPEN_READONLY, &st) != MS_OK)
            return EX_STORE;
        ms_db_info_t *dbs;
        size_t n;
        ms_err_t rc = ms_db_list(st, &dbs, &n);
        if (rc != MS_OK) {
            ms_store_close(st);
            return cli_fail(rc, "db list");
        }
        printf("%-20s %-36s %12s %9s\n", "NAME", "GUID", "MAP SIZE", "MAILBOXES");
        for (size_t i = 0; i < n; i++) {
            char g[37];
            guid_str(&dbs[i].guid, g);
            printf("%-20s %-36s %12llu %9u\n", dbs[i].name, g, (unsigned long long)dbs[i].map_size,
                   dbs[i].mailboxes);
        }
        free(dbs);
        ms_store_close(st);
        return EX_OK;
    }
    return cli_usage("db: unknown subcommand '%s'", argv[0]);
}

static int mailbox_create(cli_t *c, int argc, char **argv)
{
    ms_mailbox_info_t in;
    memset(&in, 0, sizeof(in));
    const char *v;
    for (int i = 0; i < argc; i++) {
        if ((v = cli_opt(argc, argv, &i, "--smtp"))) {
            if (in.nsmtp >= MS_MAX_SMTP)
                return cli_usage("at most %d addresses", MS_MAX_SMTP);
            snprintf(in.smtp[in.nsmtp++], sizeof(in.smtp[0]), "%s", v);
        } else if ((v = cli_opt(argc, argv, &i, "--name")))
            snprintf(in.display_name, sizeof(in.display_name), "%s", v);
        else if ((v = cli_opt(argc, argv, &i, "--login")))
            snprintf(in.login, sizeof(in.login), "%s", v);
        else if ((v = cli_opt(argc, argv, &i, "--dn")))
            snprintf(in.legacy_dn, sizeof(in.legacy_dn), "%s", v);
        else if ((v = cli_opt(argc, argv, &i, "--db")))
            snprintf(in.db, sizeof(in.db), "%s", v);
        else if ((v = cli_opt(argc, argv, &i, "--quota-warn"))) {
            if (cli_parse_size(v, &in.quota_warning))
                return cli_usage("bad size '%s'", v);
        } else if ((v = cli_opt(argc, argv, &i, "--quota-send"))) {
            if (cli_parse_size(v, &in.quota_send))
                return cli_usage("bad size '%s'", v);
        } else if ((v = cli_opt(argc, argv, &i, "--quota-receive"))) {
            if (cli_parse_size(v, &in.quota_receive))
                return cli_usage("bad size '%s'", v);
        } else
            return cli_usage("mailbox create: unknown argument '%s'", argv[i]);
    }
    if (!in.nsmtp)
        return cli_usage("mailbox create: --smtp ADDRESS is required");
    ms_store_t *st;
    if (cli_open(c, 0, &st) != MS_OK)
        return EX_STORE;
    ms_err_t rc = ms_mailbox_create(st, &in);
    ms_store_close(st);
    if (rc != MS_OK)
        return rc == MS_E_INVALID_PARAM || rc == MS_E_DUPLICATE_NAME
                   ? (cli_fail(rc, "mailbox create"), EX_USAGE) : cli_fail(rc, "mailbox create");
    char g[37];
    guid_str(&in.guid, g);
    printf("created mailbox %s %s in %s\n", g, in.smtp[0], in.db);
    return EX_OK;
}

static void show(const ms_mailbox_info_t *i)
{
    char g[37], r[37];
    guid_str(&i->guid, g);
    guid_str(&i->replica_guid, r);
    printf("guid:          %s\nreplica guid:  %s\ndatabase:      %s (mailbox %u)\n", g, r, i->db, i->mbx_id);
    printf("display name:  %s\nlogin:         %s\nlegacyDN:      %s\n", i->display_name, i->login,
           i->legacy_dn);
    for (unsigned k = 0; k < i->nsmtp; k++)
        printf("smtp:          %s%s\n", i->smtp[k], k ? "" : " (primary)");
    printf("size:          %llu bytes in %u messages, %u folders\n", (unsigned long long)i->size,
           i->messages, i->folders);
    printf("quota:         warning %llu, prohibit send %llu, prohibit receive %llu (0 = none)\n",
           (unsigned long long)i->quota_warning, (unsigned long long)i->quota_send,
           (unsigned long long)i->quota_receive);
}

int cmd_mailbox(cli_t *c, int argc, char **argv)
{
    if (argc < 1)
        return cli_usage("mailbox: create, list, show, delete or quota?");
    const char *sub = argv[0];
    if (!strcmp(sub, "create"))
        return mailbox_create(c, argc - 1, argv + 1);
    ms_store_t *st;
    if (!strcmp(sub, "list")) {
        if (cli_open(c, MS_OPEN_READONLY, &st) != MS_OK)
            return EX_STORE;
        ms_mailbox_info_t *l;
        size_t n;
        ms_err_t rc = ms_mailbox_list(st, &l, &n);
        if (rc != MS_OK) {
            ms_store_close(st);
            return cli_fail(rc, "mailbox list");
        }
        printf("%-36s %-30s %-24s %-10s\n", "GUID", "SMTP", "LOGIN", "DATABASE");
        for (size_t i = 0; i < n; i++) {
            char g[37];
            guid_str(&l[i].guid, g);
            printf("%-36s %-30s %-24s %-10s\n", g, l[i].smtp[0], l[i].login, l[i].db);
        }
        free(l);
        ms_store_close(st);
        return EX_OK;
    }
    if (argc < 2)
        return cli_usage("mailbox %s: MAILBOX missing", sub);
    int ro = !strcmp(sub, "show");
    if (strcmp(sub, "show") && strcmp(sub, "delete") && strcmp(sub, "quota"))
        return cli_usage("mailbox: unknown subcommand '%s'", sub);
    if (cli_open(c, ro ? MS_OPEN_READONLY : 0, &st) != MS_OK)
        return EX_STORE;
    ms_mailbox_t *mbx;
    if (cli_mailbox(st, argv[1], &mbx) != MS_OK) {
        ms_store_close(st);
        return EX_STORE;
    }
    ms_mailbox_info_t info;
    ms_err_t rc = ms_mailbox_info(mbx, &info);
    ms_guid_t g = *ms_mailbox_guid(mbx);
    ms_mailbox_close(mbx);
    int ex = EX_OK;
    if (rc != MS_OK) {
        ex = cli_fail(rc, "mailbox");
    } else if (ro) {
        show(&info);
    } else if (!strcmp(sub, "delete")) {
        if ((rc = ms_mailbox_delete(st, &g)) != MS_OK)
            ex = cli_fail(rc, "mailbox delete");
        else
            printf("deleted mailbox %s\n", info.smtp[0]);
    } else {
        const char *v;
        for (int i = 2; i < argc && ex == EX_OK; i++) {
            uint64_t *dst = NULL;
            if ((v = cli_opt(argc, argv, &i, "--warn"))) dst = &info.quota_warning;
            else if ((v = cli_opt(argc, argv, &i, "--send"))) dst = &info.quota_send;
            else if ((v = cli_opt(argc, argv, &i, "--receive"))) dst = &info.quota_receive;
            if (!dst || cli_parse_size(v, dst))
                ex = cli_usage("mailbox quota: bad argument '%s'", argv[i]);
        }
        if (ex == EX_OK && (rc = ms_mailbox_set_quota(st, &g, info.quota_warning, info.quota_send,
                                                      info.quota_receive)) != MS_OK)
            ex = cli_fail(rc, "mailbox quota");
        else if (ex == EX_OK)
            printf("quota of %s: warning %llu, prohibit send %llu, prohibit receive %llu\n", info.smtp[0],
                   (unsigned long long)info.quota_warning, (unsigned long long)info.quota_send,
                   (unsigned long long)info.quota_receive);
    }
    ms_store_close(st);
    return ex;
}
