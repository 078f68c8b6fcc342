/*
 * mapiprobe - the MAPI/HTTP self-test probe (see mapiprobe.h): one run of
 * Autodiscover -> Connect -> Execute (Logon, Inbox, contents table, one
 * message) -> NSPI Bind / ResolveNames / Unbind -> Disconnect against a
 * server, a report per step, exit status 0 only when every step succeeded.
 */
#include "mapiprobe.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#define EXIT_PROBE_FAILED 1
#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mapiprobe [options] BASE_URL EMAIL\n"
            "\n"
            "The MAPI over HTTP self-test probe (like Test-OutlookConnectivity -ProbeIdentity\n"
            "OutlookMapiHttpSelfTestProbe). It runs, as EMAIL:\n"
            "  Autodiscover      POST BASE_URL/autodiscover/autodiscover.xml (X-MapiHttpCapability: 1)\n"
            "  Connect           to the MailStore URL autodiscover gave\n"
            "  Logon, OpenFolder (Inbox), GetContentsTable, QueryRows (SetColumns + QueryRows),\n"
            "  OpenMessage, GetPropertiesSpecific (subject; only when the Inbox has a message)\n"
            "  Bind, ResolveNames (EMAIL), Unbind   on the AddressBook URL\n"
            "  Disconnect\n"
            "and prints MonitorIdentity, StartTime, EndTime, Result, latency, Error and Exception\n"
            "of each step, then a summary line.\n"
            "\n"
            "options:\n"
            "  --negotiate          Kerberos/SPNEGO with the ticket in $KRB5CCNAME (default)\n"
            "  --basic USER[:PASS]  HTTP Basic instead (TLS only); without :PASS the password\n"
            "                       comes from $MAPIPROBE_PASSWORD (keeps it out of ps)\n"
            "  --cacert FILE        trust the CA certificate(s) in FILE\n"
            "  --insecure           do not verify the server certificate\n"
            "  --external           use the ExternalUrl values (default: InternalUrl)\n"
            "  --timeout SECONDS    per request (default 60)\n"
            "  --json               one JSON object on stdout instead of the table\n"
            "  --verbose            libcurl's trace on stderr\n"
            "  --help               this text\n"
            "\n"
            "exit status: 0 every step succeeded (steps skipped because the Inbox is empty\n"
            "count as success), 1 a step failed, 2 bad usage.\n");
}

mc_conn_t *probe_new_conn(const probe_t *p, const char *url)
{
    mc_conn_t *c = mc_conn_new(url);
    if (!c)
        return NULL;
    if (mc_conn_set_auth(c, p->auth, p->user, p->password) != MC_OK ||
        mc_conn_set_tls(c, p->cacert, p->insecure) != MC_OK ||
        mc_conn_set_client_application(c, "Outlook/16.0.17928.20114 MapiHttpSelfTestProbe/1.0") != MC_OK) {
        mc_conn_free(c);
        return NULL;
    }
    mc_conn_set_timeouts(c, 10000, p->timeout_ms);
    mc_conn_set_verbose(c, p->verbose);
    return c;
}

/* An address we can put into the request XML and the NSPI call as is. */
static int email_ok(const char *e)
{
    const char *at = strchr(e, '@');
    size_t n = strlen(e);
    if (!at || at == e || !at[1] || n > 320)
        return 0;
    for (; *e; e++)
        if ((unsigned char)*e < 0x21 || strchr("<>&\"'", *e))
            return 0;
    return 1;
}

static int parse_args(probe_t *p, int argc, char **argv)
{
    static const struct option opts[] = {
        {"negotiate", no_argument, NULL, 'n'}, {"basic", required_argument, NULL, 'b'},
        {"cacert", required_argument, NULL, 'c'}, {"insecure", no_argument, NULL, 'k'},
        {"external", no_argument, NULL, 'e'}, {"timeout", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'}, {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    char *colon, *end;
    long t;

    p->auth = MC_AUTH_NEGOTIATE;
    p->timeout_ms = 60000;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n': p->auth = MC_AUTH_NEGOTIATE; break;
        case 'b':
            colon = strchr(optarg, ':');
            p->auth = MC_AUTH_BASIC;
            p->user = optarg;
            if (colon) {
                *colon = '\0';
                p->password = colon + 1;
            } else if (!(p->password = getenv("MAPIPROBE_PASSWORD"))) {
                fprintf(stderr, "mapiprobe: --basic USER needs MAPIPROBE_PASSWORD in the environment\n");
                return -1;
            }
            break;
        case 'c': p->cacert = optarg; break;
        case 'k': p->insecure = 1; break;
        case 'e': p->use_external = 1; break;
        case 't':
            t = strtol(optarg, &end, 10);
            if (*end || t <= 0 || t > 3600) {
                fprintf(stderr, "mapiprobe: --timeout wants 1..3600 seconds\n");
                return -1;
            }
            p->timeout_ms = t * 1000;
            break;
        case 'j': p->json = 1; break;
        case 'v': p->verbose = 1; break;
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "mapiprobe: BASE_URL and EMAIL expected\n");
        return -1;
    }
    p->base_url = argv[optind];
    p->email = argv[optind + 1];
    if (strncmp(p->base_url, "https://", 8) != 0 && strncmp(p->base_url, "http://", 7) != 0) {
        fprintf(stderr, "mapiprobe: BASE_URL must be http(s)://host[:port]\n");
        return -1;
    }
    if (!email_ok(p->email)) {
        fprintf(stderr, "mapiprobe: '%s' is not a plain e-mail address\n", p->email);
        return -1;
    }
    return 0;
}

static void skip_all(probe_t *p, const char *const *names, size_t n, const char *why)
{
    size_t i;
    for (i = 0; i < n; i++)
        probe_step_skip(p, names[i], why);
}

int main(int argc, char **argv)
{
    static const char *const mailbox[] = {"Connect", "Logon", "OpenFolder", "GetContentsTable", "QueryRows",
                                          "OpenMessage", "GetPropertiesSpecific"};
    static const char *const book[] = {"Bind", "ResolveNames", "Unbind"};
    probe_t p;
    int connected = 0, ok;

    memset(&p, 0, sizeof(p));
    if (parse_args(&p, argc, argv) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    clock_gettime(CLOCK_REALTIME, &p.start);

    if (probe_autodiscover(&p) != 0) {
        skip_all(&p, mailbox, sizeof(mailbox) / sizeof(mailbox[0]), "not run: Autodiscover failed");
        skip_all(&p, book, sizeof(book) / sizeof(book[0]), "not run: Autodiscover failed");
        probe_step_skip(&p, "Disconnect", "not run: Autodiscover failed");
    } else {
        if (probe_connect(&p) == 0) {
            connected = 1;
            probe_mailbox_steps(&p);
        } else {
            skip_all(&p, mailbox + 1, sizeof(mailbox) / sizeof(mailbox[0]) - 1, "not run: Connect failed");
        }
        probe_address_book(&p);
        if (connected)
            probe_disconnect(&p);
        else
            probe_step_skip(&p, "Disconnect", "not run: Connect failed");
    }
    clock_gettime(CLOCK_REALTIME, &p.end);

    if (p.json)
        probe_print_json(&p, stdout);
    else
        probe_print_table(&p, stdout);
    ok = probe_all_succeeded(&p);
    if (p.emsmdb)
        mc_conn_free(p.emsmdb);
    free(p.legacy_dn);
    free(p.display_name);
    free(p.mailstore_url);
    free(p.addressbook_url);
    curl_global_cleanup();
    return ok ? 0 : EXIT_PROBE_FAILED;
}
