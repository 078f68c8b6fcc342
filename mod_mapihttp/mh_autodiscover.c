/*
 * mh_autodiscover.c - POX Autodiscover for Outlook ([MS-OXDSCLI]) with the
 * mapiHttp protocol block, for <Location .../autodiscover/autodiscover.xml>
 * with "SetHandler mapihttp-autodiscover".
 *
 * Request ([MS-OXDSCLI] 2.2.3, 3.1.4): POST of
 *   <Autodiscover xmlns=".../outlook/requestschema/2006"><Request>
 *     <EMailAddress>..</EMailAddress>            (or <LegacyDN>..</LegacyDN>)
 *     <AcceptableResponseSchema>.../outlook/responseschema/2006a</AcceptableResponseSchema>
 *   </Request></Autodiscover>
 * read by a small bounded parser of our own (no DTDs, no entity expansion
 * beyond the five predefined ones and character references, depth and size
 * limits). Response ([MS-OXDSCLI] 2.2.4): User and Account, and, only when
 * the request carries X-MapiHttpCapability (2.2.2.1) and MapiHttpEnabled is
 * On, <Protocol Type="mapiHttp" Version="n"> (2.2.4.1.1.2.6) with MailStore
 * and AddressBook Internal/External URLs. Failures are the Error element of
 * 2.2.4.1.1.3 with its ErrorCode values (500 address not
 * found, 600 invalid request, 601 schema not available, 603 internal error).
 *
 * Privacy: an address that exists but belongs to another user gets exactly
 * the answer of an unknown address (500); only the error log tells them apart.
 */
#include "mh_private.h"

#include "http_core.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_lib.h"

#include <stdlib.h>
#include <string.h>

/* Registered by mod_mapihttp.c (declared in mh_private.h there too). */
int mh_autodiscover_handler(request_rec *r);

#define AD_NS_RESPONSE "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
#define AD_NS_OUTLOOK_2006A "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define AD_NS_OUTLOOK_2006A_TLS "https://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"

/* Requests from Outlook are well under 1 KB; anything near this is abuse. */
#define AD_MAX_BODY (64 * 1024)
#define AD_MAX_DEPTH 16
#define AD_MAX_NAME 64
#define AD_MAX_VALUE 512 /* a legacyExchangeDN; an address is at most 320 (RFC 5321) */
/* The mapiHttp protocol versions this server speaks (2.2.4.1.1.2.6). */
#define AD_MAPIHTTP_VERSION 1

/* [MS-OXDSCLI] ErrorCode values (child of Error, 2.2.4.1.1.3). */
#define AD_ERR_NO_ADDRESS 500
#define AD_ERR_INVALID_REQUEST 600
#define AD_ERR_NO_PROVIDER 601
#define AD_ERR_INTERNAL 603

/* ---- the request parser ---------------------------------------------- */

/* The Request children we read: EMailAddress, or LegacyDN instead (the POX
 * request's alternative way to name the mailbox), AcceptableResponseSchema. */
enum { AD_V_NONE = 0, AD_V_EMAIL, AD_V_SCHEMA, AD_V_LEGACYDN, AD_V_COUNT };

typedef struct {
    const char *p, *end;
    int depth;
    char stack[AD_MAX_DEPTH][AD_MAX_NAME + 1]; /* local names of open elements */
    int capture;                               /* which value the open leaf fills (AD_V_*) */
    char value[AD_V_COUNT][AD_MAX_VALUE + 1];
    size_t value_len[AD_V_COUNT];
    int seen[AD_V_COUNT];
    int root_done;
    const char *err;
} ad_parser_t;


static int ad_fail(ad_parser_t *x, const char *why)
{
    if (!x->err)
        x->err = why;
    return -1;
}

static int starts(const ad_parser_t *x, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(x->end - x->p) >= n && memcmp(x->p, lit, n) == 0;
}

static void skip_ws(ad_parser_t *x)
{
    while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' || *x->p == '\r' || *x->p == '\n'))
        x->p++;
}

static int name_char(unsigned char c, int first)
{
    if (apr_isalpha(c) || c == '_' || c == ':' || c >= 0x80)
        return 1;
    return !first && (apr_isdigit(c) || c == '-' || c == '.');
}

/* An XML Name; copies its local part (after any prefix) into out. */
static int parse_name(ad_parser_t *x, char out[AD_MAX_NAME + 1], const char **full, size_t *full_len)
{
    const char *s = x->p, *local;
    if (x->p >= x->end || !name_char((unsigned char)*x->p, 1))
        return ad_fail(x, "a name was expected");
    while (x->p < x->end && name_char((unsigned char)*x->p, 0))
        x->p++;
    if (x->p - s > 2 * AD_MAX_NAME)
        return ad_fail(x, "a name is too long");
    local = memchr(s, ':', (size_t)(x->p - s));
    local = local ? local + 1 : s;
    if (x->p - local > AD_MAX_NAME || x->p == local)
        return ad_fail(x, "a name is too long or empty");
    memcpy(out, local, (size_t)(x->p - local));
    out[x->p - local] = '\0';
    if (full) {
        *full = s;
        *full_len = (size_t)(x->p - s);
    }
    return 0;
}

/* Appends a UTF-8 encoded code point to the captured value. */
static int put_char(ad_parser_t *x, unsigned long cp)
{
    char u[4];
    size_t n, i;
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return ad_fail(x, "a character reference names no valid character");
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (x->capture == AD_V_NONE)
        return 0;
    if (x->value_len[x->capture] + n > AD_MAX_VALUE)
        return ad_fail(x, "a value is too long");
    for (i = 0; i < n; i++)
        x->value[x->capture][x->value_len[x->capture]++] = u[i];
    x->value[x->capture][x->value_len[x->capture]] = '\0';
    return 0;
}

/* &lt; &gt; &amp; &quot; &apos; &#N; &#xN; - nothing else (no DTD). */
static int parse_reference(ad_parser_t *x)
{
    static const struct { const char *name; char c; } named[] = {
        {"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
    size_t i;
    x->p++; /* '&' */
    for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (starts(x, named[i].name)) {
            x->p += strlen(named[i].name);
            return put_char(x, (unsigned char)named[i].c);
        }
    if (starts(x, "#")) {
        unsigned long cp = 0;
        int hex = 0, digits = 0;
        x->p++;
        if (x->p < x->end && *x->p == 'x') {
            hex = 1;
            x->p++;
        }
        while (x->p < x->end && (hex ? apr_isxdigit(*x->p) : apr_isdigit(*x->p)) && digits < 8) {
            int d = apr_isdigit(*x->p) ? *x->p - '0' : (apr_tolower(*x->p) - 'a' + 10);
            cp = cp * (hex ? 16 : 10) + (unsigned long)d;
            x->p++;
            digits++;
        }
        if (!digits || x->p >= x->end || *x->p != ';')
            return ad_fail(x, "a malformed character reference");
        x->p++;
        return put_char(x, cp);
    }
    return ad_fail(x, "an entity reference other than the predefined five");
}

/* Character data up to the next '<'. Outside the root only blanks. */
static int parse_text(ad_parser_t *x)
{
    while (x->p < x->end && *x->p != '<') {
        unsigned char c = (unsigned char)*x->p;
        if (c == '&') {
            if (x->depth == 0)
                return ad_fail(x, "text outside the root element");
            if (parse_reference(x) != 0)
                return -1;
            continue;
        }
        if (c == 0 || (c < 0x20 && c != '\t' && c != '\r' && c != '\n'))
            return ad_fail(x, "a control character in the text");
        if (x->depth == 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return ad_fail(x, "text outside the root element");
        if (x->capture != AD_V_NONE) {
            if (x->value_len[x->capture] >= AD_MAX_VALUE)
                return ad_fail(x, "a value is too long");
            x->value[x->capture][x->value_len[x->capture]++] = (char)c;
            x->value[x->capture][x->value_len[x->capture]] = '\0';
        }
        x->p++;
    }
    return 0;
}

/* Skips past the terminator of a comment, PI or CDATA section. */
static int skip_past(ad_parser_t *x, const char *term, const char *what)
{
    size_t n = strlen(term);
    while ((size_t)(x->end - x->p) >= n) {
        if (memcmp(x->p, term, n) == 0) {
            x->p += n;
            return 0;
        }
        if (*x->p == '\0')
            return ad_fail(x, "a NUL byte");
        x->p++;
    }
    return ad_fail(x, what);
}

/* Attributes up to '>' or '/>': quoted values, no '<' in them. */
static int parse_attributes(ad_parser_t *x)
{
    for (;;) {
        char name[AD_MAX_NAME + 1], q;
        int had_ws = x->p < x->end && apr_isspace(*x->p);
        skip_ws(x);
        if (x->p >= x->end)
            return ad_fail(x, "the document ends inside a tag");
        if (*x->p == '>' || *x->p == '/')
            return 0;
        if (!had_ws)
            return ad_fail(x, "attributes must be separated by blanks");
        if (parse_name(x, name, NULL, NULL) != 0)
            return -1;
        skip_ws(x);
        if (x->p >= x->end || *x->p != '=')
            return ad_fail(x, "an attribute without a value");
        x->p++;
        skip_ws(x);
        if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
            return ad_fail(x, "an unquoted attribute value");
        q = *x->p++;
        while (x->p < x->end && *x->p != q) {
            if (*x->p == '<' || *x->p == '\0')
                return ad_fail(x, "'<' or NUL in an attribute value");
            x->p++;
        }
        if (x->p >= x->end)
            return ad_fail(x, "an unterminated attribute value");
        x->p++;
    }
}

/* Which value an element at the current depth fills (Autodiscover/Request/X). */
static int capture_of(const ad_parser_t *x, const char *name)
{
    if (x->depth != 2 || strcmp(x->stack[0], "Autodiscover") != 0 || strcmp(x->stack[1], "Request") != 0)
        return AD_V_NONE;
    if (strcmp(name, "EMailAddress") == 0)
        return AD_V_EMAIL;
    if (strcmp(name, "AcceptableResponseSchema") == 0)
        return AD_V_SCHEMA;
    if (strcmp(name, "LegacyDN") == 0)
        return AD_V_LEGACYDN;
    return AD_V_NONE;
}

static int parse_start_tag(ad_parser_t *x)
{
    char name[AD_MAX_NAME + 1];
    int cap;
    x->p++; /* '<' */
    if (x->root_done)
        return ad_fail(x, "a second root element");
    if (x->capture != AD_V_NONE)
        return ad_fail(x, "an element inside a value element");
    if (parse_name(x, name, NULL, NULL) != 0 || parse_attributes(x) != 0)
        return -1;
    if (x->depth == 0 && strcmp(name, "Autodiscover") != 0)
        return ad_fail(x, "the root element is not Autodiscover");
    if (x->depth >= AD_MAX_DEPTH)
        return ad_fail(x, "elements nested too deep");
    cap = capture_of(x, name);
    if (cap != AD_V_NONE) {
        if (x->seen[cap])
            return ad_fail(x, "an element given twice");
        x->seen[cap] = 1;
    }
    if (*x->p == '/') { /* empty element */
        if (x->p + 1 >= x->end || x->p[1] != '>')
            return ad_fail(x, "'/' not followed by '>'");
        x->p += 2;
        if (x->depth == 0)
            x->root_done = 1;
        return 0;
    }
    x->p++; /* '>' */
    memcpy(x->stack[x->depth], name, sizeof(name));
    x->depth++;
    x->capture = cap;
    return 0;
}

static int parse_end_tag(ad_parser_t *x)
{
    char name[AD_MAX_NAME + 1];
    x->p += 2; /* "</" */
    if (parse_name(x, name, NULL, NULL) != 0)
        return -1;
    skip_ws(x);
    if (x->p >= x->end || *x->p != '>')
        return ad_fail(x, "a malformed end tag");
    x->p++;
    if (x->depth == 0 || strcmp(x->stack[x->depth - 1], name) != 0)
        return ad_fail(x, "an end tag that does not match its start tag");
    x->depth--;
    x->capture = AD_V_NONE;
    if (x->depth == 0)
        x->root_done = 1;
    return 0;
}

/* Parses the whole request; returns 0 when it is well-formed. */
static int ad_parse(ad_parser_t *x, const char *buf, size_t len)
{
    memset(x, 0, sizeof(*x));
    x->p = buf;
    x->end = buf + len;
    if (starts(x, "\xEF\xBB\xBF"))
        x->p += 3;
    while (x->p < x->end) {
        if (*x->p != '<') {
            if (parse_text(x) != 0)
                return -1;
            continue;
        }
        if (starts(x, "<?")) {
            if (skip_past(x, "?>", "an unterminated processing instruction") != 0)
                return -1;
        } else if (starts(x, "<!--")) {
            if (skip_past(x, "-->", "an unterminated comment") != 0)
                return -1;
        } else if (starts(x, "<![CDATA[")) {
            const char *s;
            if (x->depth == 0)
                return ad_fail(x, "CDATA outside the root element");
            x->p += 9;
            s = x->p;
            if (skip_past(x, "]]>", "an unterminated CDATA section") != 0)
                return -1;
            if (x->capture != AD_V_NONE) {
                size_t n = (size_t)(x->p - 3 - s);
                if (x->value_len[x->capture] + n > AD_MAX_VALUE)
                    return ad_fail(x, "a value is too long");
                memcpy(x->value[x->capture] + x->value_len[x->capture], s, n);
                x->value_len[x->capture] += n;
                x->value[x->capture][x->value_len[x->capture]] = '\0';
            }
        } else if (starts(x, "<!")) {
            return ad_fail(x, "DOCTYPE and other declarations are not accepted");
        } else if (starts(x, "</")) {
            if (parse_end_tag(x) != 0)
                return -1;
        } else if (parse_start_tag(x) != 0) {
            return -1;
        }
    }
    if (!x->root_done)
        return ad_fail(x, x->depth ? "the document ends inside an element" : "no Autodiscover element");
    return 0;
}

/* The captured value with surrounding blanks removed (XML schema "token"). */
static const char *ad_value(apr_pool_t *p, const ad_parser_t *x, int which)
{
    const char *s = x->value[which];
    size_t n = x->value_len[which];
    while (n && apr_isspace(*s))
        s++, n--;
    while (n && apr_isspace(s[n - 1]))
        n--;
    return apr_pstrmemdup(p, s, n);
}

/* ---- responses ------------------------------------------------------- */

static const char *xml_escape(apr_pool_t *p, const char *s)
{
    return ap_escape_html2(p, s ? s : "", 0);
}

static void ad_send(request_rec *r, const char *xml)
{
    ap_set_content_type(r, "text/xml; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "private");
    ap_set_content_length(r, (apr_off_t)strlen(xml));
    ap_rputs(xml, r);
}

/* Error/@Id: a number naming this server (FNV-1a of its ServerName). */
static unsigned server_id(request_rec *r)
{
    const unsigned char *s = (const unsigned char *)ap_get_server_name(r);
    apr_uint32_t h = 2166136261u;
    for (; s && *s; s++)
        h = (h ^ *s) * 16777619u;
    return (unsigned)h;
}

/* [MS-OXDSCLI] 2.2.4.1.1.3: Error with Time (hh:mm:ss.fffffff) and Id. */
static int ad_error(request_rec *r, int code, const char *message)
{
    apr_time_exp_t t;
    const char *xml;
    apr_time_exp_gmt(&t, apr_time_now());
    xml = apr_psprintf(r->pool,
                       "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                       "<Autodiscover xmlns=\"" AD_NS_RESPONSE "\">"
                       "<Response>"
                       "<Error Time=\"%02d:%02d:%02d.%06d\" Id=\"%u\">"
                       "<ErrorCode>%d</ErrorCode><Message>%s</Message><DebugData />"
                       "</Error></Response></Autodiscover>\r\n",
                       t.tm_hour, t.tm_min, t.tm_sec, t.tm_usec,
                       server_id(r), code,
                       xml_escape(r->pool, message));
    apr_table_setn(r->notes, "mapihttp-autodiscover-error", apr_psprintf(r->pool, "%d", code));
    ad_send(r, xml);
    return OK;
}

/* X-MapiHttpCapability: a positive decimal integer; 0 when absent or bad. */
static int mapihttp_capability(request_rec *r)
{
    const char *v = apr_table_get(r->headers_in, "X-MapiHttpCapability");
    long n = 0;
    int digits = 0;
    if (!v)
        return 0;
    while (apr_isspace(*v))
        v++;
    for (; apr_isdigit(*v) && digits < 6; v++, digits++)
        n = n * 10 + (*v - '0');
    while (apr_isspace(*v))
        v++;
    return digits && !*v && n > 0 ? (int)n : 0;
}

/* DeploymentId: one GUID for the whole deployment (the first database's). */
static const char *deployment_id(mh_req_t *q, ms_store_t *st)
{
    ms_db_info_t *dbs = NULL;
    size_t n = 0;
    char g[37] = "";
    if (ms_db_list(st, &dbs, &n) == MS_OK && n > 0)
        mh_guid_text(dbs[0].guid.b, g);
    free(dbs);
    return apr_pstrdup(q->r->pool, g);
}

/* The mapiHttp Protocol element (2.2.4.1.1.2.6, MailStore, AddressBook). */
static const char *mapihttp_protocol(mh_req_t *q, int version, const char *mailbox_id)
{
    apr_pool_t *p = q->r->pool;
    const char *in = xml_escape(p, mh_internal_url(q)), *ex = xml_escape(p, mh_external_url(q));
    const char *id = xml_escape(p, mailbox_id);
    return apr_psprintf(p,
                        "<Protocol Type=\"mapiHttp\" Version=\"%d\">"
                        "<MailStore>"
                        "<InternalUrl>%s/mapi/emsmdb/?MailboxId=%s</InternalUrl>"
                        "<ExternalUrl>%s/mapi/emsmdb/?MailboxId=%s</ExternalUrl>"
                        "</MailStore>"
                        "<AddressBook>"
                        "<InternalUrl>%s/mapi/nspi/?MailboxId=%s</InternalUrl>"
                        "<ExternalUrl>%s/mapi/nspi/?MailboxId=%s</ExternalUrl>"
                        "</AddressBook>"
                        "</Protocol>",
                        version, in, id, ex, id, in, id, ex, id);
}

/*
 * [MS-OXDSCLI] 2.2.4.1.1.2.2 Action "redirectUrl" with RedirectUrl
 * (2.2.4.1.1.2.9): where the administrator configured one (environment
 * variable MAPIHTTP_AUTODISCOVER_REDIRECT_URL, e.g. SetEnv or SetEnvIf on
 * this Location), addresses this server does not serve are sent to that
 * Autodiscover server instead of getting ErrorCode 500. Only https URLs.
 */
static const char *redirect_url(request_rec *r)
{
    const char *u = apr_table_get(r->subprocess_env, "MAPIHTTP_AUTODISCOVER_REDIRECT_URL");
    const char *c;
    if (!u || !*u)
        return NULL;
    for (c = u; *c; c++)
        if (!apr_isgraph(*c))
            break;
    if (strncasecmp(u, "https://", 8) != 0 || *c || strlen(u) > 2048) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, MHLOGNO(00709) "autodiscover: "
                      "MAPIHTTP_AUTODISCOVER_REDIRECT_URL '%s' is not an https URL: ignored",
                      ap_escape_logitem(r->pool, u));
        return NULL;
    }
    return u;
}

static int ad_redirect(request_rec *r, const char *url)
{
    apr_pool_t *p = r->pool;
    apr_table_setn(r->notes, "mapihttp-autodiscover-protocol", "redirectUrl");
    ad_send(r, apr_pstrcat(p,
                           "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                           "<Autodiscover xmlns=\"" AD_NS_RESPONSE "\">"
                           "<Response xmlns=\"" AD_NS_OUTLOOK_2006A "\">"
                           "<Account>"
                           "<AccountType>email</AccountType>"
                           "<Action>redirectUrl</Action>"
                           "<RedirectUrl>", xml_escape(p, url), "</RedirectUrl>"
                           "</Account>"
                           "</Response>"
                           "</Autodiscover>\r\n", NULL));
    return OK;
}

static int ad_settings(mh_req_t *q, ms_store_t *st, const ms_mailbox_info_t *info)
{
    request_rec *r = q->r;
    apr_pool_t *p = r->pool;
    char g[37];
    const char *primary = info->nsmtp ? info->smtp[0] : "", *domain = strchr(primary, '@');
    const char *protocol = "";
    int cap = mapihttp_capability(r);

    mh_guid_text(info->guid.b, g);
    if (cap > 0 && mh_conf_enabled(q->dconf)) {
        int version = cap < AD_MAPIHTTP_VERSION ? cap : AD_MAPIHTTP_VERSION;
        protocol = mapihttp_protocol(q, version, apr_pstrcat(p, g, "@", domain ? domain + 1 : "", NULL));
        apr_table_setn(r->notes, "mapihttp-autodiscover-protocol", "mapiHttp");
    } else {
        apr_table_setn(r->notes, "mapihttp-autodiscover-protocol", cap > 0 ? "disabled" : "none");
    }
    ad_send(r, apr_pstrcat(p,
                           "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                           "<Autodiscover xmlns=\"" AD_NS_RESPONSE "\">"
                           "<Response xmlns=\"" AD_NS_OUTLOOK_2006A "\">"
                           "<User>"
                           "<DisplayName>", xml_escape(p, info->display_name), "</DisplayName>"
                           "<LegacyDN>", xml_escape(p, info->legacy_dn), "</LegacyDN>"
                           "<AutoDiscoverSMTPAddress>", xml_escape(p, primary), "</AutoDiscoverSMTPAddress>"
                           "<DeploymentId>", deployment_id(q, st), "</DeploymentId>"
                           "</User>"
                           "<Account>"
                           "<AccountType>email</AccountType>"
                           "<Action>settings</Action>",
                           protocol,
                           "</Account>"
                           "</Response>"
                           "</Autodiscover>\r\n", NULL));
    return OK;
}

/* Reads the body (at most AD_MAX_BODY). Returns OK, or an HTTP status. */
static int ad_read_body(request_rec *r, char **out, apr_size_t *out_len)
{
    char *buf = apr_palloc(r->pool, AD_MAX_BODY + 1);
    apr_size_t len = 0;
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    long n;

    if (cl && apr_atoi64(cl) > AD_MAX_BODY)
        return HTTP_REQUEST_ENTITY_TOO_LARGE;
    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK)
        return HTTP_BAD_REQUEST;
    if (ap_should_client_block(r)) {
        while ((n = ap_get_client_block(r, buf + len, AD_MAX_BODY + 1 - len)) > 0) {
            len += (apr_size_t)n;
            if (len > AD_MAX_BODY)
                return HTTP_REQUEST_ENTITY_TOO_LARGE;
        }
        if (n < 0)
            return HTTP_BAD_REQUEST;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return OK;
}

static int schema_ok(const char *s)
{
    return strcmp(s, AD_NS_OUTLOOK_2006A) == 0 || strcmp(s, AD_NS_OUTLOOK_2006A_TLS) == 0;
}

/* Looks the address up; 0 with *info filled, or an ErrorCode. */
static int ad_lookup(mh_req_t *q, ms_store_t *st, ms_lookup_t by, const char *email, ms_mailbox_info_t *info)
{
    request_rec *r = q->r;
    ms_mailbox_t *mbx = NULL;
    ms_err_t rc = ms_mailbox_open(st, by, email, &mbx);
    if (rc != MS_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, MHLOGNO(00703) "autodiscover: user %s asked for %s: no such address (%s)",
                      r->user, ap_escape_logitem(r->pool, email), ms_last_error());
        return AD_ERR_NO_ADDRESS;
    }
    rc = ms_mailbox_info(mbx, info);
    ms_mailbox_close(mbx);
    if (rc != MS_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, MHLOGNO(00704) "autodiscover: mailbox of %s unreadable: %s",
                      ap_escape_logitem(r->pool, email), ms_last_error());
        return AD_ERR_INTERNAL;
    }
    if (strcasecmp(info->login, r->user) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, MHLOGNO(00705) "autodiscover: user %s asked for %s, the address of %s: "
                      "answered as unknown", r->user, ap_escape_logitem(r->pool, email), info->login);
        return AD_ERR_NO_ADDRESS;
    }
    return 0;
}

int mh_autodiscover_handler(request_rec *r)
{
    mh_req_t q;
    ad_parser_t *x;
    ms_store_t *st;
    ms_mailbox_info_t info;
    const char *email, *schema;
    ms_lookup_t by;
    char *body = NULL;
    apr_size_t len = 0;
    int rc;

    if (!r->handler || strcmp(r->handler, "mapihttp-autodiscover") != 0)
        return DECLINED;
    memset(&q, 0, sizeof(q));
    q.r = r;
    q.start = r->request_time;
    q.dconf = ap_get_module_config(r->per_dir_config, &mapihttp_module);
    q.sconf = ap_get_module_config(r->server->module_config, &mapihttp_module);
    apr_table_setn(r->notes, "mapihttp-request-type", "Autodiscover");

    if (!r->user || !*r->user) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, MHLOGNO(00701) "autodiscover: anonymous request; configure "
                      "authentication (Require valid-user) for this Location");
        return HTTP_FORBIDDEN;
    }
    if (r->method_number != M_POST) {
        ap_discard_request_body(r);
        return ad_error(r, AD_ERR_INVALID_REQUEST, "Invalid Request");
    }
    if ((rc = ad_read_body(r, &body, &len)) != OK) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, MHLOGNO(00702) "autodiscover: request body refused (HTTP %d, "
                      "limit %d bytes)", rc, AD_MAX_BODY);
        return rc;
    }
    x = apr_palloc(r->pool, sizeof(*x));
    if (ad_parse(x, body, len) != 0 || !(x->seen[AD_V_EMAIL] || x->seen[AD_V_LEGACYDN]) || !x->seen[AD_V_SCHEMA]) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, MHLOGNO(00706) "autodiscover: invalid request XML from %s: %s",
                      r->user, x->err ? x->err : "EMailAddress/LegacyDN or AcceptableResponseSchema missing");
        return ad_error(r, AD_ERR_INVALID_REQUEST, "Invalid Request");
    }
    by = x->seen[AD_V_EMAIL] ? MS_LOOKUP_SMTP : MS_LOOKUP_LEGACYDN;
    email = ad_value(r->pool, x, x->seen[AD_V_EMAIL] ? AD_V_EMAIL : AD_V_LEGACYDN);
    schema = ad_value(r->pool, x, AD_V_SCHEMA);
    if (!schema_ok(schema)) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, MHLOGNO(00707) "autodiscover: response schema '%s' not provided",
                      ap_escape_logitem(r->pool, schema));
        return ad_error(r, AD_ERR_NO_PROVIDER, "The Autodiscover server was unable to provide configuration "
                                               "information of the requested type");
    }
    if (by == MS_LOOKUP_SMTP ? !strchr(email, '@') || strlen(email) > 320 : *email != '/')
        return ad_error(r, AD_ERR_INVALID_REQUEST, "Invalid Request");
    if (!(st = mh_store(&q))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, MHLOGNO(00708) "autodiscover: %s",
                      q.sconf->store_root ? "the message store cannot be opened" : "no MapiHttpStore configured");
        return ad_error(r, AD_ERR_INTERNAL, "The Autodiscover server threw an internal error");
    }
    memset(&info, 0, sizeof(info));
    rc = ad_lookup(&q, st, by, email, &info);
    if (rc == AD_ERR_NO_ADDRESS) {
        const char *to = redirect_url(r);
        return to ? ad_redirect(r, to) : ad_error(r, rc, "The e-mail address cannot be found.");
    }
    if (rc != 0)
        return ad_error(r, rc, "The Autodiscover server threw an internal error");
    return ad_settings(&q, st, &info);
}
