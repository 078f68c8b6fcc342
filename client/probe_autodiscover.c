/*
 * probe_autodiscover.c - the probe's first step: POX Autodiscover
 * ([MS-OXDSCLI] 3.1.4 request with X-MapiHttpCapability, 2.2.2.1) and the
 * few response elements it needs: User/LegacyDN, DisplayName, and the
 * MailStore / AddressBook URLs of <Protocol Type="mapiHttp">
 * (2.2.4.1.1.2.6), or Error/ErrorCode (2.2.4.1.1.3).
 *
 * The extractor is deliberately small: it looks for elements by local name
 * (any namespace prefix), within bounds, and decodes the predefined
 * entities and character references of their text.
 */
#define _GNU_SOURCE /* asprintf */
#include "mapiprobe.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define AD_REQUEST_SCHEMA "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
#define AD_RESPONSE_SCHEMA "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define AD_MAX_RESPONSE (1024 * 1024)

static const char *find_mem(const char *s, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    for (; s && (size_t)(end - s) >= n; s++)
        if (memcmp(s, lit, n) == 0)
            return s;
    return NULL;
}

/* At '<' of a tag: does its (local) name equal `name`? closing: "</x". */
static int tag_is(const char *s, const char *end, const char *name, int closing)
{
    const char *p = s + 1 + (closing ? 1 : 0), *q;
    size_t n = strlen(name);
    if (p >= end || (closing && s[1] != '/') || (!closing && (s[1] == '/' || s[1] == '?' || s[1] == '!')))
        return 0;
    for (q = p; q < end && (isalnum((unsigned char)*q) || *q == '_' || *q == '-' || *q == '.'); q++)
        ;
    if (q < end && *q == ':') /* a prefix: the local name follows */
        p = q + 1;
    if ((size_t)(end - p) < n + 1 || memcmp(p, name, n) != 0)
        return 0;
    p += n;
    return *p == '>' || *p == '/' || isspace((unsigned char)*p);
}

int probe_xml_find(const char *s, const char *end, const char *name, const char **cs, const char **ce)
{
    const char *p, *gt;
    for (p = s; p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++) {
        if (!tag_is(p, end, name, 0))
            continue;
        gt = memchr(p, '>', (size_t)(end - p));
        if (!gt)
            return -1;
        if (gt[-1] == '/') { /* <x/>: empty */
            *cs = *ce = gt + 1;
            return 0;
        }
        for (*cs = gt + 1, p = gt + 1; p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL; p++)
            if (tag_is(p, end, name, 1)) {
                *ce = p;
                return 0;
            }
        return -1;
    }
    return -1;
}

/* Text with &lt; &gt; &amp; &quot; &apos; &#N; &#xN; (ASCII only) decoded. */
static char *decode_text(const char *s, const char *e)
{
    char *out = malloc((size_t)(e - s) + 1), *o = out;
    if (!out)
        return NULL;
    while (s < e) {
        if (*s != '&') {
            *o++ = *s++;
            continue;
        }
        if (find_mem(s, e, ";") == NULL) { /* a bare '&': kept */
            *o++ = *s++;
            continue;
        }
        if (strncmp(s, "&lt;", 4) == 0) *o++ = '<', s += 4;
        else if (strncmp(s, "&gt;", 4) == 0) *o++ = '>', s += 4;
        else if (strncmp(s, "&amp;", 5) == 0) *o++ = '&', s += 5;
        else if (strncmp(s, "&quot;", 6) == 0) *o++ = '"', s += 6;
        else if (strncmp(s, "&apos;", 6) == 0) *o++ = '\'', s += 6;
        else if (s + 2 < e && s[1] == '#') {
            long v = s[2] == 'x' ? strtol(s + 3, NULL, 16) : strtol(s + 2, NULL, 10);
            *o++ = v > 0 && v < 0x80 ? (char)v : '?';
            s = find_mem(s, e, ";") + 1;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    /* trim blanks */
    for (o = out; isspace((unsigned char)*o); o++)
        ;
    memmove(out, o, strlen(o) + 1);
    for (o = out + strlen(out); o > out && isspace((unsigned char)o[-1]); o--)
        o[-1] = '\0';
    return out;
}

char *probe_xml_text(const char *s, const char *end, const char *name, const char **after)
{
    const char *cs, *ce;
    if (probe_xml_find(s, end, name, &cs, &ce) != 0)
        return NULL;
    if (after)
        *after = ce;
    return decode_text(cs, ce);
}

/* The <Protocol ...> start tag whose Type attribute is "mapiHttp"; its
 * content range and Version. */
static int find_mapihttp_protocol(const char *s, const char *end, const char **cs, const char **ce, long *version)
{
    const char *p = s;
    while (probe_xml_find(p, end, "Protocol", cs, ce) == 0) {
        const char *open = *cs, *tag;
        for (tag = open - 1; tag > p && *tag != '<'; tag--)
            ;
        if (find_mem(tag, open, "Type=\"mapiHttp\"") || find_mem(tag, open, "Type='mapiHttp'")) {
            const char *v = find_mem(tag, open, "Version=");
            *version = 0;
            if (v)
                for (v += 9; v < open && isdigit((unsigned char)*v) && *version < 100000; v++)
                    *version = *version * 10 + (*v - '0');
            return 0;
        }
        p = *ce + 1;
    }
    return -1;
}

static char *url_of(const char *cs, const char *ce, const char *block, int external)
{
    const char *bs, *be;
    char *u;
    if (probe_xml_find(cs, ce, block, &bs, &be) != 0)
        return NULL;
    u = probe_xml_text(bs, be, external ? "ExternalUrl" : "InternalUrl", NULL);
    if (!u || !*u) {
        free(u);
        u = probe_xml_text(bs, be, external ? "InternalUrl" : "ExternalUrl", NULL);
    }
    return u;
}

/* Interprets a 200 response; fills p or the step's failure. */
int probe_read_autodiscover(probe_t *p, probe_step_t *st, const char *x, size_t len)
{
    const char *end = x + len, *cs, *ce;
    long version = 0;
    char *code;

    if ((code = probe_xml_text(x, end, "ErrorCode", NULL)) != NULL) {
        char *msg = probe_xml_text(x, end, "Message", NULL);
        probe_step_fail(st, msg ? msg : "", "Autodiscover: ErrorCode %s for %s", code, p->email);
        free(code);
        free(msg);
        return -1;
    }
    if (probe_xml_find(x, end, "Autodiscover", &cs, &ce) != 0) {
        probe_step_fail(st, "the body is not an Autodiscover response", "Autodiscover: no Autodiscover element");
        return -1;
    }
    p->legacy_dn = probe_xml_text(x, end, "LegacyDN", NULL);
    p->display_name = probe_xml_text(x, end, "DisplayName", NULL);
    if (find_mapihttp_protocol(x, end, &cs, &ce, &version) != 0) {
        probe_step_fail(st, "the response has no <Protocol Type=\"mapiHttp\"> (MAPI/HTTP not offered: "
                            "MapiHttpEnabled Off?)", "Autodiscover: MAPI/HTTP not offered for %s", p->email);
        return -1;
    }
    p->mailstore_url = url_of(cs, ce, "MailStore", p->use_external);
    p->addressbook_url = url_of(cs, ce, "AddressBook", p->use_external);
    if (!p->mailstore_url || !*p->mailstore_url || !p->addressbook_url || !*p->addressbook_url) {
        probe_step_fail(st, "a mapiHttp Protocol without MailStore and AddressBook URLs",
                        "Autodiscover: MailStore or AddressBook URL missing");
        return -1;
    }
    if (!p->legacy_dn || !*p->legacy_dn) {
        probe_step_fail(st, "User/LegacyDN is missing or empty", "Autodiscover: no LegacyDN");
        return -1;
    }
    if (version < 1) {
        probe_step_fail(st, "Protocol Version is missing or not a positive integer",
                        "Autodiscover: bad mapiHttp Version");
        return -1;
    }
    probe_step_ok(st, "mapiHttp v%ld MailStore %s", version, p->mailstore_url);
    return 0;
}

int probe_autodiscover(probe_t *p)
{
    probe_step_t *st = probe_step_begin(p, "Autodiscover");
    char *url = NULL, *body = NULL, exc[PROBE_TEXT];
    const char *hdrs[] = {"Content-Type: text/xml; charset=utf-8", "X-MapiHttpCapability: 1",
                          "X-RequestType:", "X-RequestId:"};
    mc_request_t req;
    mc_response_t resp;
    mc_conn_t *c;
    size_t n = strlen(p->base_url);
    int rc, ret = -1;

    while (n && p->base_url[n - 1] == '/')
        n--;
    if (asprintf(&url, "%.*s/autodiscover/autodiscover.xml", (int)n, p->base_url) < 0 ||
        asprintf(&body,
                 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                 "<Autodiscover xmlns=\"" AD_REQUEST_SCHEMA "\"><Request>"
                 "<EMailAddress>%s</EMailAddress>"
                 "<AcceptableResponseSchema>" AD_RESPONSE_SCHEMA "</AcceptableResponseSchema>"
                 "</Request></Autodiscover>\r\n",
                 p->email) < 0) {
        probe_step_fail(st, "out of memory", "Autodiscover: out of memory");
        free(url);
        return -1;
    }
    c = probe_new_conn(p, url);
    if (!c) {
        probe_step_fail(st, url, "Autodiscover: cannot set up a connection");
        free(url);
        free(body);
        return -1;
    }
    mc_conn_set_body_limit(c, AD_MAX_RESPONSE);
    memset(&req, 0, sizeof(req));
    req.body = body;
    req.body_len = strlen(body);
    req.headers = hdrs;
    req.n_headers = sizeof(hdrs) / sizeof(hdrs[0]);
    req.raw = 1;
    req.no_cookies = 1;
    mc_response_init(&resp);
    rc = mc_conn_request(c, &req, &resp);
    if (rc != MC_OK || resp.http_status != 200) {
        probe_describe_exchange(c, rc, &resp, exc, sizeof(exc));
        probe_step_fail(st, exc, "Autodiscover: %s",
                        rc != MC_OK ? "no answer" : resp.http_status == 401 ? "HTTP 401 (authentication failed)"
                                                                            : "HTTP error");
    } else {
        ret = probe_read_autodiscover(p, st, (const char *)resp.body, resp.body ? resp.body_len : 0);
    }
    mc_response_free(&resp);
    mc_conn_free(c);
    free(url);
    free(body);
    return ret;
}
