/*
 * mc_lists.c - ordered name/value lists for HTTP headers, the Session Context
 * cookie jar ([MS-OXCMAPIHTTP] 3.1.5.1: store every cookie the server sets;
 * 3.1.5.2: send all of them back), and small text helpers.
 */
#include "mapiclient.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void mc_headers_init(mc_headers_t *h)
{
    h->v = NULL;
    h->n = h->cap = 0;
}

void mc_headers_clear(mc_headers_t *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].name);
        free(h->v[i].value);
    }
    h->n = 0;
}

void mc_headers_free(mc_headers_t *h)
{
    mc_headers_clear(h);
    free(h->v);
    mc_headers_init(h);
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int mc_headers_add(mc_headers_t *h, const char *name, size_t nlen,
                   const char *value, size_t vlen)
{
    if (h->n == h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 8;
        mc_nv_t *nv = realloc(h->v, ncap * sizeof(*nv));
        if (!nv)
            return MC_ERR_NOMEM;
        h->v = nv;
        h->cap = ncap;
    }
    char *n = dup_n(name, nlen), *v = dup_n(value, vlen);
    if (!n || !v) {
        free(n);
        free(v);
        return MC_ERR_NOMEM;
    }
    h->v[h->n].name = n;
    h->v[h->n].value = v;
    h->n++;
    return MC_OK;
}

const char *mc_headers_get(const mc_headers_t *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->v[i].name, name) == 0)
            return h->v[i].value;
    return NULL;
}

size_t mc_headers_count(const mc_headers_t *h, const char *name)
{
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->v[i].name, name) == 0)
            k++;
    return k;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* RFC 9110 5.1 field-name = token; we only reject what would break parsing. */
static int valid_name(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == ':')
            return 0;
    }
    return 1;
}

int mc_headers_add_line(mc_headers_t *h, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    if (!colon || !valid_name(line, (size_t)(colon - line)))
        return MC_ERR_ARG;
    const char *v = colon + 1, *end = line + len;
    while (v < end && is_blank(*v))
        v++;
    while (end > v && is_blank(end[-1]))
        end--;
    return mc_headers_add(h, line, (size_t)(colon - line), v, (size_t)(end - v));
}

/* ---- cookie jar -------------------------------------------------------- */

static mc_nv_t *cookie_find(const mc_cookies_t *jar, const char *name, size_t nlen)
{
    for (size_t i = 0; i < jar->n; i++)
        if (strlen(jar->v[i].name) == nlen && memcmp(jar->v[i].name, name, nlen) == 0)
            return &jar->v[i];
    return NULL;
}

static int cookie_set_n(mc_cookies_t *jar, const char *name, size_t nlen,
                        const char *value, size_t vlen)
{
    mc_nv_t *c = cookie_find(jar, name, nlen);
    if (!c)
        return mc_headers_add(jar, name, nlen, value, vlen);
    char *v = dup_n(value, vlen);
    if (!v)
        return MC_ERR_NOMEM;
    free(c->value);
    c->value = v;
    return MC_OK;
}

int mc_cookies_set(mc_cookies_t *jar, const char *name, const char *value)
{
    if (!name || !*name || !value)
        return MC_ERR_ARG;
    return cookie_set_n(jar, name, strlen(name), value, strlen(value));
}

static int cookie_remove_n(mc_cookies_t *jar, const char *name, size_t nlen)
{
    mc_nv_t *c = cookie_find(jar, name, nlen);
    if (!c)
        return 0;
    size_t i = (size_t)(c - jar->v);
    free(c->name);
    free(c->value);
    memmove(&jar->v[i], &jar->v[i + 1], (jar->n - i - 1) * sizeof(*jar->v));
    jar->n--;
    return 1;
}

int mc_cookies_remove(mc_cookies_t *jar, const char *name)
{
    return cookie_remove_n(jar, name, strlen(name));
}

const char *mc_cookies_get(const mc_cookies_t *jar, const char *name)
{
    mc_nv_t *c = cookie_find(jar, name, strlen(name));
    return c ? c->value : NULL;
}

/* Trims blanks of [*s, *e). */
static void trim(const char **s, const char **e)
{
    while (*s < *e && is_blank(**s))
        (*s)++;
    while (*e > *s && is_blank((*e)[-1]))
        (*e)--;
}

/* Does this attribute ("Max-Age=0", "Expires=<past>") end the cookie? */
static int attr_expires(const char *a, size_t n)
{
    char buf[128];
    if (n >= sizeof(buf))
        return 0;
    memcpy(buf, a, n);
    buf[n] = '\0';
    if (strncasecmp(buf, "Max-Age=", 8) == 0) {
        char *end;
        errno = 0;
        long v = strtol(buf + 8, &end, 10);
        return end != buf + 8 && errno == 0 && v <= 0;
    }
    if (strncasecmp(buf, "Expires=", 8) == 0) {
        time_t t = curl_getdate(buf + 8, NULL);
        return t != (time_t)-1 && t <= time(NULL);
    }
    return 0;
}

/* RFC 6265 5.2: name=value up to the first ';', then attributes. */
int mc_cookies_apply_set_cookie(mc_cookies_t *jar, const char *set_cookie)
{
    const char *end = set_cookie + strlen(set_cookie);
    const char *semi = memchr(set_cookie, ';', (size_t)(end - set_cookie));
    const char *pair_end = semi ? semi : end;
    const char *eq = memchr(set_cookie, '=', (size_t)(pair_end - set_cookie));
    if (!eq)
        return MC_ERR_ARG;
    const char *ns = set_cookie, *ne = eq, *vs = eq + 1, *ve = pair_end;
    trim(&ns, &ne);
    trim(&vs, &ve);
    if (ns == ne)
        return MC_ERR_ARG;
    int expired = 0;
    for (const char *a = semi; a && a < end;) {
        const char *as = a + 1;
        const char *next = memchr(as, ';', (size_t)(end - as));
        const char *ae = next ? next : end;
        trim(&as, &ae);
        if (attr_expires(as, (size_t)(ae - as)))
            expired = 1;
        a = next;
    }
    if (expired) {
        cookie_remove_n(jar, ns, (size_t)(ne - ns));
        return MC_OK;
    }
    return cookie_set_n(jar, ns, (size_t)(ne - ns), vs, (size_t)(ve - vs));
}

char *mc_cookies_header(const mc_cookies_t *jar)
{
    size_t len = 1;
    for (size_t i = 0; i < jar->n; i++)
        len += strlen(jar->v[i].name) + strlen(jar->v[i].value) + 3;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    *p = '\0';
    for (size_t i = 0; i < jar->n; i++) {
        int w = snprintf(p, len - (size_t)(p - s), "%s%s=%s", i ? "; " : "",
                         jar->v[i].name, jar->v[i].value);
        p += w;
    }
    return s;
}

int mc_cookies_load(mc_cookies_t *jar, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? MC_OK : MC_ERR_IO;
    char line[MC_MAX_LINE];
    int rc = MC_OK;
    while (rc == MC_OK && fgets(line, sizeof(line), f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *eq = strchr(line, '=');
        if (!eq || eq == line) {
            rc = MC_ERR_IO;
            break;
        }
        rc = cookie_set_n(jar, line, (size_t)(eq - line), eq + 1, strlen(eq + 1));
    }
    if (ferror(f))
        rc = MC_ERR_IO;
    fclose(f);
    return rc;
}

int mc_cookies_save(const mc_cookies_t *jar, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return MC_ERR_IO;
    fputs("# mapicurl cookie jar: name=value per line\n", f);
    for (size_t i = 0; i < jar->n; i++)
        fprintf(f, "%s=%s\n", jar->v[i].name, jar->v[i].value);
    return fclose(f) == 0 ? MC_OK : MC_ERR_IO;
}

/* ---- small helpers ----------------------------------------------------- */

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mc_hex_decode(const char *hex, uint8_t **out, size_t *outlen)
{
    size_t n = strlen(hex);
    uint8_t *b = malloc(n / 2 + 1);
    size_t k = 0;
    int hi = -1;
    if (!b)
        return MC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        char c = hex[i];
        if (c == ' ' || c == ':' || c == '\n' || c == '\t' || c == '\r')
            continue;
        int v = hex_val(c);
        if (v < 0) {
            free(b);
            return MC_ERR_ARG;
        }
        if (hi < 0) {
            hi = v;
        } else {
            b[k++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0) {
        free(b);
        return MC_ERR_ARG;
    }
    *out = b;
    *outlen = k;
    return MC_OK;
}

void mc_guid_string(char out[39])
{
    uint8_t g[16];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(g, 1, sizeof(g), f) : 0;
    if (f)
        fclose(f);
    if (got != sizeof(g)) {
        static unsigned seed;
        seed ^= (unsigned)time(NULL) ^ (unsigned)clock();
        for (size_t i = 0; i < sizeof(g); i++)
            g[i] = (uint8_t)(rand_r(&seed) >> 7);
    }
    g[6] = (uint8_t)((g[6] & 0x0f) | 0x40);   /* RFC 4122 version 4 */
    g[8] = (uint8_t)((g[8] & 0x3f) | 0x80);
    snprintf(out, 39,
             "{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11],
             g[12], g[13], g[14], g[15]);
}

const char *mc_strerror(int err)
{
    switch (err) {
    case MC_OK: return "success";
    case MC_ERR_NOMEM: return "out of memory";
    case MC_ERR_ARG: return "bad argument";
    case MC_ERR_TRANSPORT: return "transport error";
    case MC_ERR_IO: return "file I/O error";
    default: return "unknown error";
    }
}
