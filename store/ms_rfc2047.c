/*
 * ms_rfc2047.c - RFC 2047 encoded-word decoding of unstructured headers.
 *
 * GMime 3.2 joins adjacent base64 words of one charset before decoding and
 * loses everything after a padded word ("=?utf-8?b?...gw==?= =?utf-8?b?6ZSA?="
 * decodes to a truncated subject). Here each word is decoded on its own, the
 * bytes of adjacent words with the same charset are joined (a multibyte
 * character may be split across words, RFC 2047 section 5 allows neither but
 * mailers do it), then converted to UTF-8 once.
 */
#include <ctype.h>
#include <string.h>
#include <gmime/gmime.h>
#include "ms_mime.h"

static int hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode one word's payload into out (B or Q). */
static void word_bytes(char enc, const char *p, size_t n, GByteArray *out)
{
    if (enc == 'B' || enc == 'b') {
        /* re-pad: mailers write "VEVTVA=" for "VEVTVA==" */
        GString *t = g_string_new(NULL);
        for (size_t i = 0; i < n; i++)
            if (p[i] != '=' && !g_ascii_isspace(p[i]))
                g_string_append_c(t, p[i]);
        if (t->len % 4 == 1)
            g_string_truncate(t, t->len - 1);
        while (t->len % 4)
            g_string_append_c(t, '=');
        gint state = 0;
        guint save = 0;
        guchar *buf = g_malloc(t->len * 3 / 4 + 4);
        gsize l = g_base64_decode_step(t->str, t->len, buf, &state, &save);
        g_string_free(t, TRUE);
        g_byte_array_append(out, buf, (guint)l);
        g_free(buf);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        guint8 c = (guint8)p[i];
        if (c == '_')
            c = ' ';
        else if (c == '=' && i + 2 < n && hexv((unsigned char)p[i + 1]) >= 0 &&
                 hexv((unsigned char)p[i + 2]) >= 0) {
            c = (guint8)(hexv((unsigned char)p[i + 1]) * 16 + hexv((unsigned char)p[i + 2]));
            i += 2;
        }
        g_byte_array_append(out, &c, 1);
    }
}

static void flush(GString *res, GByteArray *pending, char *charset, GMimeParserOptions *opts)
{
    if (!pending->len)
        return;
    char *u = NULL;
    if (charset[0]) {
        u = g_convert((const char *)pending->data, pending->len, "UTF-8", charset, NULL, NULL, NULL);
        if (!u)
            u = g_convert((const char *)pending->data, pending->len, "UTF-8",
                          g_mime_charset_canon_name(charset), NULL, NULL, NULL);
    }
    if (!u)
        u = g_mime_utils_decode_8bit(opts, (const char *)pending->data, pending->len);
    if (u) {
        char *v = g_utf8_make_valid(u, -1);
        g_string_append(res, v);
        g_free(v);
    }
    g_free(u);
    g_byte_array_set_size(pending, 0);
}

/* Parse "=?charset?E?text?=" at p; returns the end or NULL. */
static const char *parse_word(const char *p, const char *end, char *cs, size_t cscap, char *enc,
                              const char **text, size_t *tlen)
{
    if (end - p < 8 || p[0] != '=' || p[1] != '?')
        return NULL;
    const char *q = memchr(p + 2, '?', (size_t)(end - p - 2));
    if (!q || q == p + 2 || (size_t)(q - p - 2) >= cscap || end - q < 4 || q[2] != '?')
        return NULL;
    if (q[1] != 'B' && q[1] != 'b' && q[1] != 'Q' && q[1] != 'q')
        return NULL;
    const char *t = q + 3, *e = t;
    while (e + 1 < end && !(e[0] == '?' && e[1] == '='))
        e++;
    if (e + 1 >= end)
        return NULL;
    memcpy(cs, p + 2, (size_t)(q - p - 2));
    cs[q - p - 2] = 0;
    char *star = strchr(cs, '*');   /* RFC 2231 language suffix */
    if (star)
        *star = 0;
    *enc = q[1];
    *text = t;
    *tlen = (size_t)(e - t);
    return e + 2;
}

char *ms__rfc2047_decode(const char *raw, GMimeParserOptions *opts)
{
    /* unfold */
    GString *in = g_string_new(NULL);
    for (const char *s = raw; *s; s++)
        if (*s != '\r' && *s != '\n')
            g_string_append_c(in, *s);
    const char *p = in->str, *end = in->str + in->len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    GString *res = g_string_new(NULL);
    GByteArray *pending = g_byte_array_new();
    char charset[64] = "", cs[64];
    int last_was_word = 0;
    while (p < end) {
        char enc;
        const char *text;
        size_t tlen;
        const char *after = parse_word(p, end, cs, sizeof(cs), &enc, &text, &tlen);
        if (after) {
            if (g_ascii_strcasecmp(cs, charset)) {
                flush(res, pending, charset, opts);
                g_strlcpy(charset, cs, sizeof(charset));
            }
            word_bytes(enc, text, tlen, pending);
            p = after;
            last_was_word = 1;
            continue;
        }
        /* plain text up to the next encoded word */
        const char *next = p + 1;
        while (next < end && !(next[0] == '=' && next + 1 < end && next[1] == '?'))
            next++;
        int only_ws = 1;
        for (const char *w = p; w < next; w++)
            only_ws &= *w == ' ' || *w == '\t';
        char dummy_cs[64], dummy_enc;
        const char *dt;
        size_t dl;
        if (only_ws && last_was_word && next < end &&
            parse_word(next, end, dummy_cs, sizeof(dummy_cs), &dummy_enc, &dt, &dl)) {
            p = next;   /* whitespace between two encoded words is dropped */
            continue;
        }
        flush(res, pending, charset, opts);
        charset[0] = 0;
        char *u = g_mime_utils_decode_8bit(opts, p, (size_t)(next - p));
        char *v = g_utf8_make_valid(u ? u : "", -1);
        g_string_append(res, v);
        g_free(v);
        g_free(u);
        p = next;
        last_was_word = 0;
    }
    flush(res, pending, charset, opts);
    g_byte_array_free(pending, TRUE);
    g_string_free(in, TRUE);
    return g_string_free(res, FALSE);
}
