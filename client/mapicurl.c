/*
 * mapicurl - send one MAPI over HTTP request ([MS-OXCMAPIHTTP] 2.2.2.1) and
 * print the parsed response (2.2.2.2, 2.2.7) in a stable, grep-able form:
 *
 *   http_status: 200
 *   request_id: {GUID}:1
 *   header: X-ResponseCode: 0          (every final response header)
 *   response_code: 0                   (X-ResponseCode, "none" when absent)
 *   layout: meta | raw
 *   meta: PROCESSING / meta: PENDING / meta: DONE
 *   meta_ms: PENDING 1002              (arrival since request start, ms)
 *   extra: X-ElapsedTime: 3            (additional headers after DONE)
 *   parse: ok | parse_error: <reason>
 *   body_len: N
 *   body_hex: ...                      (first 256 bytes)
 *   body_text: ...                     (raw bodies only, escaped, 256 bytes)
 *   rsp: Field: value / decode: ok     (--decode, or a body builder below:
 *                                       the EMSMDB body decoded by type)
 *   cookie: name=value                 (the jar after the response)
 *   new_connections: N                 (0: a kept-alive connection was reused)
 *   http_responses: N                  (2+: a 401 auth round trip happened)
 *   total_ms: N
 *
 * Exit status: 0 when the HTTP exchange completed (whatever the status or
 * X-ResponseCode), 2 usage, 3 transport error, 4 file error, 5 parse or
 * decode error with --strict.
 *
 * Body builders (libmapicodec, [MS-OXCMAPIHTTP] 2.2.4): --connect USERDN,
 * --execute-rops HEX [--handles LIST] [--max-rop-out N], --disconnect,
 * --notification-wait; address book: --bind CODEPAGE, --unbind. Each sets
 * X-RequestType unless --type is given.
 */
#include "mapiclient.h"
#include "mapicurl_emsmdb.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRINT_MAX 256

enum { EXIT_USAGE = 2, EXIT_TRANSPORT = 3, EXIT_FILE = 4, EXIT_PARSE = 5 };

typedef struct {
    const char *url;
    mc_auth_t auth;
    char *basic;                 /* "user:pass" */
    const char *cafile;
    int insecure;
    const char *type;
    const char *body_file, *body_hex, *body_out;
    const char *method;
    const char **headers;
    size_t n_headers;
    const char **cookies;
    size_t n_cookies;
    const char *cookie_jar;
    const char *client_app, *client_info;
    long connect_ms, total_ms;
    int verbose, strict, raw, no_cookies;
    const char *connect_dn, *execute_rops, *handles;
    unsigned long max_rop_out;
    int disconnect, notification_wait, decode, unbind;
    long bind_cp;                /* -1: no --bind */
} opts_t;

static void usage(FILE *f)
{
    fputs("usage: mapicurl [--negotiate | --basic user:pass] [--cacert F | --insecure]\n"
          "                [--type PING|Connect|Execute|...] [--body-file F | --body-hex HEX]\n"
          "                [--header 'Name: value']... [--cookie name=value]...\n"
          "                [--cookie-jar FILE] [--no-cookies] [--method VERB]\n"
          "                [--client-app S] [--client-info S] [--timeout MS]\n"
          "                [--connect-timeout MS] [--body-out FILE] [--raw] [--strict]\n"
          "                [--decode] [--connect USERDN | --execute-rops HEX [--handles LIST]\n"
          "                [--max-rop-out N] | --disconnect | --notification-wait |\n"
          "                --bind CODEPAGE | --unbind] [--verbose] URL\n"
          "--header 'Name:' removes a default header; --type unset sends no X-RequestType.\n",
          f);
}

static int push_str(const char ***arr, size_t *n, const char *s)
{
    const char **a = realloc(*arr, (*n + 1) * sizeof(*a));
    if (!a)
        return -1;
    a[(*n)++] = s;
    *arr = a;
    return 0;
}

static int parse_args(int argc, char **argv, opts_t *o)
{
    static const struct option longopts[] = {
        {"negotiate", no_argument, NULL, 'n'},
        {"basic", required_argument, NULL, 'b'},
        {"cacert", required_argument, NULL, 'C'},
        {"insecure", no_argument, NULL, 'k'},
        {"type", required_argument, NULL, 't'},
        {"body-file", required_argument, NULL, 'f'},
        {"body-hex", required_argument, NULL, 'x'},
        {"body-out", required_argument, NULL, 'o'},
        {"header", required_argument, NULL, 'H'},
        {"cookie", required_argument, NULL, 'c'},
        {"cookie-jar", required_argument, NULL, 'j'},
        {"no-cookies", no_argument, NULL, 'N'},
        {"method", required_argument, NULL, 'X'},
        {"client-app", required_argument, NULL, 'A'},
        {"client-info", required_argument, NULL, 'I'},
        {"timeout", required_argument, NULL, 'T'},
        {"connect-timeout", required_argument, NULL, 'W'},
        {"raw", no_argument, NULL, 'r'},
        {"strict", no_argument, NULL, 's'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"decode", no_argument, NULL, 'D'},
        {"connect", required_argument, NULL, 1001},
        {"execute-rops", required_argument, NULL, 1002},
        {"handles", required_argument, NULL, 1003},
        {"max-rop-out", required_argument, NULL, 1004},
        {"disconnect", no_argument, NULL, 1005},
        {"notification-wait", no_argument, NULL, 1006},
        {"bind", required_argument, NULL, 1007},
        {"unbind", no_argument, NULL, 1008},
        {NULL, 0, NULL, 0}};
    int ch;
    memset(o, 0, sizeof(*o));
    o->connect_ms = 10000;
    o->total_ms = 120000;
    o->max_rop_out = 0x8000;
    o->bind_cp = -1;
    while ((ch = getopt_long(argc, argv, "nb:C:kt:f:x:o:H:c:j:NX:A:I:T:W:rsvhD", longopts, NULL)) != -1) {
        switch (ch) {
        case 'n': o->auth = MC_AUTH_NEGOTIATE; break;
        case 'b': o->auth = MC_AUTH_BASIC; o->basic = optarg; break;
        case 'C': o->cafile = optarg; break;
        case 'k': o->insecure = 1; break;
        case 't': o->type = optarg; break;
        case 'f': o->body_file = optarg; break;
        case 'x': o->body_hex = optarg; break;
        case 'o': o->body_out = optarg; break;
        case 'H': if (push_str(&o->headers, &o->n_headers, optarg)) return -1; break;
        case 'c': if (push_str(&o->cookies, &o->n_cookies, optarg)) return -1; break;
        case 'j': o->cookie_jar = optarg; break;
        case 'N': o->no_cookies = 1; break;
        case 'X': o->method = optarg; break;
        case 'A': o->client_app = optarg; break;
        case 'I': o->client_info = optarg; break;
        case 'T': o->total_ms = strtol(optarg, NULL, 10); break;
        case 'W': o->connect_ms = strtol(optarg, NULL, 10); break;
        case 'r': o->raw = 1; break;
        case 's': o->strict = 1; break;
        case 'v': o->verbose = 1; break;
        case 'h': usage(stdout); exit(0);
        case 'D': o->decode = 1; break;
        case 1001: o->connect_dn = optarg; break;
        case 1002: o->execute_rops = optarg; break;
        case 1003: o->handles = optarg; break;
        case 1004: o->max_rop_out = strtoul(optarg, NULL, 0); break;
        case 1005: o->disconnect = 1; break;
        case 1006: o->notification_wait = 1; break;
        case 1007: o->bind_cp = strtol(optarg, NULL, 0); break;
        case 1008: o->unbind = 1; break;
        default: return -1;
        }
    }
    int sources = !!o->body_file + !!o->body_hex + !!o->connect_dn + !!o->execute_rops
                  + o->disconnect + o->notification_wait + (o->bind_cp >= 0) + o->unbind;
    if (optind != argc - 1 || sources > 1) {
        fputs("mapicurl: need exactly one URL, and at most one body source\n", stderr);
        return -1;
    }
    if (o->auth == MC_AUTH_BASIC && !strchr(o->basic, ':')) {
        fputs("mapicurl: --basic wants user:password\n", stderr);
        return -1;
    }
    o->url = argv[optind];
    if (sources && !o->body_file && !o->body_hex) {
        o->decode = 1;
        if (!o->type)
            o->type = o->connect_dn ? "Connect" : o->execute_rops ? "Execute"
                    : o->disconnect ? "Disconnect" : o->notification_wait ? "NotificationWait"
                    : o->unbind ? "Unbind" : "Bind";
    }
    return 0;
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    uint8_t *b = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return -1;
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(b, cap = cap ? cap * 2 : 4096);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = !b || ferror(f);
    if (f != stdin)
        fclose(f);
    if (err) {
        free(b);
        return -1;
    }
    *out = b;
    *len = n;
    return 0;
}

/* The EMSMDB body builders (mapicurl_emsmdb.c). */
static int build_body(const opts_t *o, uint8_t **body, size_t *len)
{
    int rc = 0;
    if (o->connect_dn)
        rc = mcli_build_connect(o->connect_dn, body, len);
    else if (o->disconnect)
        rc = mcli_build_disconnect(body, len);
    else if (o->notification_wait)
        rc = mcli_build_notification_wait(body, len);
    else if (o->bind_cp >= 0)
        rc = mcli_build_bind((uint32_t)o->bind_cp, body, len);
    else if (o->unbind)
        rc = mcli_build_unbind(body, len);
    else if (o->execute_rops) {
        uint8_t *rops;
        size_t n;
        if (mc_hex_decode(o->execute_rops, &rops, &n) != MC_OK) {
            fputs("mapicurl: --execute-rops is not valid hex\n", stderr);
            return EXIT_USAGE;
        }
        rc = mcli_build_execute(rops, n, o->handles, (uint32_t)o->max_rop_out, body, len);
        free(rops);
    }
    if (rc != 0) {
        fputs("mapicurl: cannot build the request body (bad --handles, or ROPs over 32 KB?)\n", stderr);
        return EXIT_USAGE;
    }
    return 0;
}

static int load_body(const opts_t *o, uint8_t **body, size_t *len)
{
    *body = NULL;
    *len = 0;
    if (o->body_file && read_file(o->body_file, body, len) != 0) {
        fprintf(stderr, "mapicurl: cannot read %s\n", o->body_file);
        return EXIT_FILE;
    }
    if (o->body_hex && mc_hex_decode(o->body_hex, body, len) != MC_OK) {
        fputs("mapicurl: --body-hex is not valid hex\n", stderr);
        return EXIT_USAGE;
    }
    return build_body(o, body, len);
}

static int setup_conn(mc_conn_t *c, const opts_t *o)
{
    mc_cookies_t *jar = mc_conn_cookies(c);
    if (o->auth == MC_AUTH_BASIC) {
        char *colon = strchr(o->basic, ':');
        *colon = '\0';
        mc_conn_set_auth(c, MC_AUTH_BASIC, o->basic, colon + 1);
        *colon = ':';
    } else {
        mc_conn_set_auth(c, o->auth, NULL, NULL);
    }
    mc_conn_set_tls(c, o->cafile, o->insecure);
    mc_conn_set_timeouts(c, o->connect_ms, o->total_ms);
    mc_conn_set_verbose(c, o->verbose);
    if (o->client_app)
        mc_conn_set_client_application(c, o->client_app);
    if (o->client_info)
        mc_conn_set_client_info(c, o->client_info);
    if (o->cookie_jar && mc_cookies_load(jar, o->cookie_jar) != MC_OK) {
        fprintf(stderr, "mapicurl: cannot read cookie jar %s\n", o->cookie_jar);
        return EXIT_FILE;
    }
    for (size_t i = 0; i < o->n_cookies; i++) {
        const char *eq = strchr(o->cookies[i], '=');
        char name[MC_MAX_LINE];
        size_t n = eq ? (size_t)(eq - o->cookies[i]) : 0;
        if (n == 0 || n >= sizeof(name)) {
            fprintf(stderr, "mapicurl: --cookie wants name=value: %s\n", o->cookies[i]);
            return EXIT_USAGE;
        }
        memcpy(name, o->cookies[i], n);
        name[n] = '\0';
        mc_cookies_set(jar, name, eq + 1);
    }
    return 0;
}

static void print_hex(const uint8_t *p, size_t n)
{
    fputs("body_hex: ", stdout);
    for (size_t i = 0; i < n && i < PRINT_MAX; i++)
        printf("%02x", p[i]);
    fputc('\n', stdout);
}

static void print_text(const uint8_t *p, size_t n)
{
    fputs("body_text: ", stdout);
    for (size_t i = 0; i < n && i < PRINT_MAX; i++) {
        if (p[i] == '\n')
            fputs("\\n", stdout);
        else if (p[i] == '\r')
            fputs("\\r", stdout);
        else if (p[i] == '\\')
            fputs("\\\\", stdout);
        else if (p[i] >= 0x20 && p[i] < 0x7f)
            fputc(p[i], stdout);
        else
            printf("\\x%02x", p[i]);
    }
    fputc('\n', stdout);
}

static void print_response(mc_conn_t *c, const mc_response_t *r)
{
    printf("http_status: %ld\n", r->http_status);
    printf("request_id: %s\n", mc_conn_last_request_id(c));
    for (size_t i = 0; i < r->headers.n; i++)
        printf("header: %s: %s\n", r->headers.v[i].name, r->headers.v[i].value);
    if (r->response_code >= 0)
        printf("response_code: %d\n", r->response_code);
    else
        printf("response_code: none\n");
    printf("layout: %s\n", r->meta_layout ? "meta" : "raw");
    for (size_t i = 0; i < r->n_meta; i++)
        printf("meta: %s\n", mc_meta_name(r->meta[i].tag));
    for (size_t i = 0; i < r->n_meta; i++)
        printf("meta_ms: %s %.0f\n", mc_meta_name(r->meta[i].tag), r->meta[i].ms);
    for (size_t i = 0; i < r->extra.n; i++)
        printf("extra: %s: %s\n", r->extra.v[i].name, r->extra.v[i].value);
    if (r->parse_error)
        printf("parse_error: %s\n", mc_parse_error_name(r->parse_error));
    else
        printf("parse: ok\n");
    printf("body_len: %zu\n", r->body_len);
    print_hex(r->body, r->body_len);
    if (!r->meta_layout)
        print_text(r->body, r->body_len);
}

/* --decode: only a successful transport exchange has a body to decode. */
static int print_decoded(const opts_t *o, const mc_response_t *r)
{
    if (!o->decode)
        return 0;
    if (r->http_status != 200 || r->response_code != 0 || !r->meta_layout || r->parse_error) {
        printf("decode: skipped (no successful MAPI response)\n");
        return 0;
    }
    int rc = mcli_print_emsmdb(stdout, o->type, r->body, r->body_len);
    if (rc == 1)
        rc = mcli_print_nspi(stdout, o->type, r->body, r->body_len);
    if (rc == 1)
        printf("decode: no decoder for this request type\n");
    return rc < 0 ? -1 : 0;
}

static void print_trailer(mc_conn_t *c, const mc_response_t *r)
{
    const mc_cookies_t *jar = mc_conn_cookies(c);
    for (size_t i = 0; i < jar->n; i++)
        printf("cookie: %s=%s\n", jar->v[i].name, jar->v[i].value);
    printf("new_connections: %ld\n", r->new_connections);
    printf("http_responses: %d\n", r->http_responses);
    printf("total_ms: %.0f\n", r->total_ms);
}

static int write_body(const char *path, const mc_response_t *r)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = r->body_len ? fwrite(r->body, 1, r->body_len, f) : 0;
    return (fclose(f) != 0 || w != r->body_len) ? -1 : 0;
}

static int run(const opts_t *o, mc_conn_t *c)
{
    mc_request_t req;
    mc_response_t resp;
    uint8_t *body;
    size_t body_len;
    int ex = load_body(o, &body, &body_len);
    if (ex)
        return ex;
    memset(&req, 0, sizeof(req));
    req.request_type = o->type;
    req.body = body;
    req.body_len = body_len;
    req.method = o->method;
    req.headers = o->headers;
    req.n_headers = o->n_headers;
    req.no_cookies = o->no_cookies;
    req.raw = o->raw;
    mc_response_init(&resp);
    int rc = mc_conn_request(c, &req, &resp);
    free(body);
    if (rc != MC_OK) {
        fprintf(stderr, "mapicurl: %s: %s\n", mc_strerror(rc), mc_conn_error(c));
        mc_response_free(&resp);
        return rc == MC_ERR_ARG ? EXIT_USAGE : EXIT_TRANSPORT;
    }
    print_response(c, &resp);
    int decode_bad = print_decoded(o, &resp);
    print_trailer(c, &resp);
    if (o->body_out && write_body(o->body_out, &resp) != 0) {
        fprintf(stderr, "mapicurl: cannot write %s\n", o->body_out);
        ex = EXIT_FILE;
    }
    if (!ex && o->cookie_jar && mc_cookies_save(mc_conn_cookies(c), o->cookie_jar) != MC_OK) {
        fprintf(stderr, "mapicurl: cannot write cookie jar %s\n", o->cookie_jar);
        ex = EXIT_FILE;
    }
    if (!ex && o->strict && (resp.parse_error || decode_bad))
        ex = EXIT_PARSE;
    mc_response_free(&resp);
    return ex;
}

int main(int argc, char **argv)
{
    opts_t o;
    mc_conn_t *c;
    int ex;
    if (parse_args(argc, argv, &o) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    c = mc_conn_new(o.url);
    if (!c) {
        fputs("mapicurl: cannot set up libcurl\n", stderr);
        ex = EXIT_TRANSPORT;
    } else {
        ex = setup_conn(c, &o);
        if (!ex)
            ex = run(&o, c);
        mc_conn_free(c);
    }
    free(o.headers);
    free(o.cookies);
    fflush(stdout);
    return ex;
}
