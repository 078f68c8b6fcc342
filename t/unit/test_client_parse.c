/*
 * test_client_parse.c - the MAPI/HTTP response parser ([MS-OXCMAPIHTTP]
 * 2.2.2.2, 2.2.7, 3.2.5.2), header lists and the cookie jar (3.1.5.1,
 * 3.1.5.2), without any network.
 */
#include "tap.h"
#include "mapiclient.h"

#include <stdint.h>
#include <unistd.h>

static const char GOOD[] =
    "PROCESSING\r\n"
    "PENDING\r\n"
    "PENDING\r\n"
    "DONE\r\n"
    "X-ResponseCode: 0\r\n"
    "X-ElapsedTime: 3\r\n"
    "X-StartTime: Wed, 25 Nov 2026 22:00:00 GMT\r\n"
    "\r\n"
    "\x00\x00\x00\x00\r\n\x01\x02\x00\xff";
#define GOOD_LEN (sizeof(GOOD) - 1)
#define GOOD_BODY_OFF (GOOD_LEN - 10)   /* offset of the binary body */

static void check_good(const mc_response_t *r, const char *how)
{
    static const uint8_t body[] = {0, 0, 0, 0, '\r', '\n', 1, 2, 0, 0xff};
    is_int(r->parse_error, MC_PARSE_OK, "%s: parses", how);
    is_int(r->n_meta, 4, "%s: four meta-tags", how);
    ok(r->n_meta == 4 && r->meta[0].tag == MC_META_PROCESSING && r->meta[1].tag == MC_META_PENDING
           && r->meta[2].tag == MC_META_PENDING && r->meta[3].tag == MC_META_DONE,
       "%s: PROCESSING PENDING PENDING DONE in order", how);
    is_int(r->pending_count, 2, "%s: two PENDING", how);
    ok(r->processing_seen && r->done_seen, "%s: PROCESSING and DONE seen", how);
    is_int(r->extra.n, 3, "%s: three additional headers", how);
    is_str(mc_headers_get(&r->extra, "x-elapsedtime"), "3", "%s: X-ElapsedTime (any case)", how);
    is_str(mc_headers_get(&r->extra, "X-StartTime"), "Wed, 25 Nov 2026 22:00:00 GMT",
           "%s: X-StartTime value with its colons", how);
    is_int(r->extra_response_code, 0, "%s: X-ResponseCode among additional headers", how);
    is_mem(r->body, r->body_len, body, sizeof(body), "%s: binary body (CRLF and NUL kept)", how);
}

static void test_good_whole(void)
{
    mc_response_t r;
    mc_response_init(&r);
    mc_parse_body(&r, GOOD, GOOD_LEN);
    check_good(&r, "whole");
    mc_response_free(&r);
}

/* Byte by byte with a clock: each meta-tag gets the time its line ended. */
static void test_good_bytewise_timing(void)
{
    mc_response_t r;
    mc_parser_t p;
    mc_response_init(&r);
    mc_parser_init(&p, &r, 0, 0);
    for (size_t i = 0; i < GOOD_LEN; i++)
        mc_parser_feed(&p, GOOD + i, 1, (double)i);
    mc_parser_finish(&p);
    check_good(&r, "bytewise");
    if (r.n_meta == 4) {
        is_int((long long)r.meta[0].ms, 11, "PROCESSING stamped at its LF (byte 11)");
        is_int((long long)r.meta[1].ms, 20, "first PENDING at byte 20");
        is_int((long long)r.meta[2].ms, 29, "second PENDING at byte 29");
        is_int((long long)r.meta[3].ms, 35, "DONE at byte 35");
    }
    mc_response_free(&r);
}

/* Every two-piece split gives the same result. */
static void test_good_all_splits(void)
{
    int bad = 0;
    for (size_t cut = 0; cut <= GOOD_LEN; cut++) {
        mc_response_t r;
        mc_parser_t p;
        mc_response_init(&r);
        mc_parser_init(&p, &r, 0, 0);
        mc_parser_feed(&p, GOOD, cut, 0);
        mc_parser_feed(&p, GOOD + cut, GOOD_LEN - cut, 1);
        if (mc_parser_finish(&p) != MC_PARSE_OK || r.pending_count != 2 || r.body_len != 10
            || r.extra.n != 3)
            bad++;
        mc_response_free(&r);
    }
    is_int(bad, 0, "all %zu two-piece splits parse identically", GOOD_LEN + 1);
}

/* Every truncation: an error until the blank line is complete, then OK
 * with a shorter body. */
static void test_truncations(void)
{
    int wrong = 0;
    for (size_t n = 0; n < GOOD_LEN; n++) {
        mc_response_t r;
        mc_response_init(&r);
        int rc = mc_parse_body(&r, GOOD, n);
        int want_ok = n >= GOOD_BODY_OFF;
        if (want_ok ? (rc != MC_PARSE_OK || r.body_len != n - GOOD_BODY_OFF) : rc == MC_PARSE_OK)
            wrong++;
        mc_response_free(&r);
    }
    is_int(wrong, 0, "every truncated prefix: error before the blank line, OK after");
}

static int parse_str(const char *s)
{
    mc_response_t r;
    mc_response_init(&r);
    int rc = mc_parse_body(&r, s, strlen(s));
    is_int(r.parse_error, rc, "parse_error field matches the return value");
    mc_response_free(&r);
    return rc;
}

static void test_ping_layout(void)
{
    mc_response_t r;
    const char *s = "PROCESSING\r\nDONE\r\nX-ElapsedTime: 0\r\nX-StartTime: x\r\n\r\n";
    mc_response_init(&r);
    is_int(mc_parse_body(&r, s, strlen(s)), MC_PARSE_OK, "PING: meta block only parses");
    is_int(r.body_len, 0, "PING: empty body");
    is_int(r.pending_count, 0, "PING: no PENDING");
    is_int(r.extra_response_code, -1, "PING: no X-ResponseCode in the block (gromox style)");
    mc_response_free(&r);
    is_int(parse_str("PROCESSING\r\nDONE\r\n\r\n"), MC_PARSE_OK, "DONE then blank line, no headers");
}

static void test_malformed(void)
{
    char *longline;
    is_int(parse_str(""), MC_PARSE_EMPTY, "empty body");
    is_int(parse_str("PROCESSING\r\nPENDING\r\n"), MC_PARSE_NO_DONE, "ends before DONE");
    is_int(parse_str("PROCESSING\r\nPEND"), MC_PARSE_NO_DONE, "ends inside a meta-tag");
    is_int(parse_str("garbage"), MC_PARSE_NO_DONE, "garbage without line end");
    is_int(parse_str("<html><body>Error</body></html>\r\n"), MC_PARSE_BAD_META, "HTML instead of meta-tags");
    is_int(parse_str("processing\r\nDONE\r\n\r\n"), MC_PARSE_BAD_META, "meta-tags are upper case");
    is_int(parse_str("PROCESSING \r\nDONE\r\n\r\n"), MC_PARSE_BAD_META, "trailing blank in a meta-tag");
    is_int(parse_str("PROCESSING\r\n\r\n"), MC_PARSE_BAD_META, "blank line before DONE");
    is_int(parse_str("PENDING\r\nDONE\r\n\r\n"), MC_PARSE_META_ORDER, "PENDING before PROCESSING");
    is_int(parse_str("DONE\r\n\r\n"), MC_PARSE_META_ORDER, "DONE without PROCESSING");
    is_int(parse_str("PROCESSING\r\nPROCESSING\r\nDONE\r\n\r\n"), MC_PARSE_META_ORDER, "PROCESSING twice");
    is_int(parse_str("PROCESSING\r\nDONE\r\nX-ElapsedTime: 1\r\n"), MC_PARSE_NO_BLANK_LINE,
           "headers not closed by a blank line");
    is_int(parse_str("PROCESSING\r\nDONE\r\n"), MC_PARSE_NO_BLANK_LINE, "nothing after DONE");
    is_int(parse_str("PROCESSING\r\nDONE\r\nX-ElapsedTime 1\r\n\r\n"), MC_PARSE_BAD_HEADER,
           "additional header without a colon");
    is_int(parse_str("PROCESSING\r\nDONE\r\n: 1\r\n\r\n"), MC_PARSE_BAD_HEADER, "empty header name");
    is_int(parse_str("PROCESSING\r\nDONE\r\nX Y: 1\r\n\r\n"), MC_PARSE_BAD_HEADER, "blank in header name");
    is_int(parse_str("PROCESSING\nDONE\n\n"), MC_PARSE_BAD_LINE_END, "bare LF line ends");
    is_int(parse_str("PROCESSING\rDONE\r\n\r\n"), MC_PARSE_BAD_LINE_END, "CR not followed by LF");
    is_int(parse_str("PROCESSING\r\nDONE\r\nA: b\n\r\n"), MC_PARSE_BAD_LINE_END, "bare LF in headers");
    {
        static const char nul[] = "PROC\0ESSING\r\n";
        mc_response_t r;
        mc_response_init(&r);
        is_int(mc_parse_body(&r, nul, sizeof(nul) - 1), MC_PARSE_BAD_META, "NUL inside a meta-tag");
        mc_response_free(&r);
    }
    longline = malloc(MC_MAX_LINE + 100);
    memset(longline, 'A', MC_MAX_LINE + 50);
    strcpy(longline + MC_MAX_LINE + 50, "\r\n");
    is_int(parse_str(longline), MC_PARSE_LINE_TOO_LONG, "line over MC_MAX_LINE");
    memcpy(longline, "PROCESSING\r\nDONE\r\nX-Long: ", 26);
    is_int(parse_str(longline), MC_PARSE_LINE_TOO_LONG, "additional header over MC_MAX_LINE");
    free(longline);
}

static void test_sticky_and_limit(void)
{
    mc_response_t r;
    mc_parser_t p;
    mc_response_init(&r);
    mc_parser_init(&p, &r, 0, 0);
    is_int(mc_parser_feed(&p, "BOGUS\r\n", 7, 0), MC_PARSE_BAD_META, "error returned at once");
    is_int(mc_parser_feed(&p, "PROCESSING\r\nDONE\r\n\r\n", 20, 0), MC_PARSE_BAD_META,
           "error is sticky: later good bytes do not reset it");
    is_int(mc_parser_finish(&p), MC_PARSE_BAD_META, "finish keeps the error");
    is_int(r.n_meta, 0, "nothing recorded after the error");
    mc_response_free(&r);

    mc_response_init(&r);
    mc_parser_init(&p, &r, 0, 8);
    mc_parser_feed(&p, "PROCESSING\r\nDONE\r\n\r\n12345678", 28, 0);
    is_int(mc_parser_finish(&p), MC_PARSE_OK, "body exactly at the limit is fine");
    mc_parser_feed(&p, "9", 1, 0);
    is_int(mc_parser_finish(&p), MC_PARSE_TOO_LARGE, "one byte over the body limit");
    mc_response_free(&r);
}

static void test_raw_mode(void)
{
    mc_response_t r;
    mc_parser_t p;
    const char *html = "<html>PROCESSING\r\nContext Not Found</html>";
    mc_response_init(&r);
    mc_parser_init(&p, &r, 1, 0);
    mc_parser_feed(&p, html, 10, 0);
    mc_parser_feed(&p, html + 10, strlen(html) - 10, 1);
    is_int(mc_parser_finish(&p), MC_PARSE_OK, "raw body: no meta-tags expected");
    is_int(r.meta_layout, 0, "raw body flagged");
    is_int(r.n_meta, 0, "raw body: meta-like text not taken as meta-tags");
    is_mem(r.body, r.body_len, html, strlen(html), "raw body kept whole");
    mc_response_free(&r);

    mc_response_init(&r);
    mc_parser_init(&p, &r, 1, 0);
    is_int(mc_parser_finish(&p), MC_PARSE_OK, "empty raw body is fine");
    ok(r.body == NULL && r.body_len == 0, "empty raw body: no buffer");
    mc_response_free(&r);
}

/* Random bytes, random slicing: never a crash, always a known code. */
static void test_random(void)
{
    unsigned seed = 12345;
    int bad = 0;
    uint8_t buf[300];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = (size_t)(rand_r(&seed) % sizeof(buf));
        /* Half the runs start from the good layout with a few bytes flipped. */
        if (iter & 1) {
            n = n < GOOD_LEN ? n : GOOD_LEN;
            memcpy(buf, GOOD, n);
            for (int k = 0; k < 3 && n; k++)
                buf[rand_r(&seed) % n] = (uint8_t)rand_r(&seed);
        } else {
            for (size_t i = 0; i < n; i++)
                buf[i] = (uint8_t)("PROCESINGDA\r\n: X"[rand_r(&seed) % 16]);
        }
        mc_response_t r;
        mc_parser_t p;
        mc_response_init(&r);
        mc_parser_init(&p, &r, 0, 0);
        for (size_t off = 0; off < n;) {
            size_t step = 1 + (size_t)(rand_r(&seed) % 17);
            if (step > n - off)
                step = n - off;
            mc_parser_feed(&p, buf + off, step, (double)off);
            off += step;
        }
        int rc = mc_parser_finish(&p);
        if (rc < MC_PARSE_OK || rc > MC_PARSE_NOMEM || (rc == MC_PARSE_OK && !r.done_seen))
            bad++;
        mc_response_free(&r);
    }
    is_int(bad, 0, "3000 random/mutated bodies: known result, OK only with DONE");
}

static void test_headers(void)
{
    mc_headers_t h;
    mc_headers_init(&h);
    is_int(mc_headers_add_line(&h, "X-ResponseCode:   7  ", 21), MC_OK, "header line parses");
    is_str(mc_headers_get(&h, "x-responsecode"), "7", "value trimmed, name case-insensitive");
    mc_headers_add_line(&h, "Set-Cookie: a=1", 15);
    mc_headers_add_line(&h, "set-cookie: b=2", 15);
    is_int(mc_headers_count(&h, "SET-COOKIE"), 2, "duplicates kept and counted");
    is_str(mc_headers_get(&h, "Set-Cookie"), "a=1", "first duplicate returned");
    is_int(mc_headers_add_line(&h, "X-Empty:", 8), MC_OK, "empty value allowed");
    is_str(mc_headers_get(&h, "X-Empty"), "", "empty value read back");
    is_int(mc_headers_add_line(&h, "NoColon", 7), MC_ERR_ARG, "no colon rejected");
    is_int(mc_headers_add_line(&h, ":x", 2), MC_ERR_ARG, "empty name rejected");
    ok(mc_headers_get(&h, "Missing") == NULL, "absent header is NULL");
    mc_headers_free(&h);

    is_int(mc_parse_response_code("0"), 0, "X-ResponseCode 0");
    is_int(mc_parse_response_code(" 15 "), 15, "X-ResponseCode with blanks");
    is_int(mc_parse_response_code("1x"), -1, "X-ResponseCode junk");
    is_int(mc_parse_response_code(""), -1, "X-ResponseCode empty");
    is_int(mc_parse_response_code("-1"), -1, "X-ResponseCode negative");
    is_int(mc_parse_response_code("99999999999"), -1, "X-ResponseCode overflow");
    is_int(mc_parse_response_code(NULL), -1, "X-ResponseCode absent");
}

static void test_cookies(void)
{
    mc_cookies_t jar;
    char *hdr;
    mc_headers_init(&jar);
    is_int(mc_cookies_apply_set_cookie(&jar, "MapiContext=ctx1; path=/mapi/emsmdb/; secure; HttpOnly"),
           MC_OK, "Set-Cookie with attributes");
    mc_cookies_apply_set_cookie(&jar, " MapiSequence = seq1 ;Path=/");
    is_str(mc_cookies_get(&jar, "MapiContext"), "ctx1", "context cookie value without attributes");
    is_str(mc_cookies_get(&jar, "MapiSequence"), "seq1", "sequence cookie, blanks trimmed");
    mc_cookies_apply_set_cookie(&jar, "MapiSequence=seq2; path=/");
    is_int(jar.n, 2, "same name replaces, no duplicate");
    is_str(mc_cookies_get(&jar, "MapiSequence"), "seq2", "new sequence value");
    ok(mc_cookies_get(&jar, "mapisequence") == NULL, "cookie names are case-sensitive");
    hdr = mc_cookies_header(&jar);
    is_str(hdr, "MapiContext=ctx1; MapiSequence=seq2", "Cookie header carries all, in order");
    free(hdr);
    mc_cookies_apply_set_cookie(&jar, "Opaque=a=b=c");
    is_str(mc_cookies_get(&jar, "Opaque"), "a=b=c", "value may contain '='");
    is_int(mc_cookies_apply_set_cookie(&jar, "MapiSequence=; Max-Age=0"), MC_OK, "Max-Age=0");
    ok(mc_cookies_get(&jar, "MapiSequence") == NULL, "Max-Age=0 removes the cookie");
    mc_cookies_apply_set_cookie(&jar, "Opaque=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    ok(mc_cookies_get(&jar, "Opaque") == NULL, "Expires in the past removes the cookie");
    mc_cookies_apply_set_cookie(&jar, "Later=y; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=60");
    is_str(mc_cookies_get(&jar, "Later"), "y", "future expiry keeps the cookie");
    is_int(mc_cookies_apply_set_cookie(&jar, "novalue"), MC_ERR_ARG, "Set-Cookie without '=' rejected");
    is_int(mc_cookies_apply_set_cookie(&jar, "=v"), MC_ERR_ARG, "Set-Cookie with empty name rejected");
    is_int(mc_cookies_apply_set_cookie(&jar, "k=v; =; ;; Max-Age=junk"), MC_OK, "odd attributes ignored");
    is_str(mc_cookies_get(&jar, "k"), "v", "cookie with odd attributes stored");
    is_int(mc_cookies_set(&jar, "MapiContext", "stale"), MC_OK, "replace by hand");
    is_str(mc_cookies_get(&jar, "MapiContext"), "stale", "replaced value");
    is_int(mc_cookies_remove(&jar, "k"), 1, "remove present cookie");
    is_int(mc_cookies_remove(&jar, "k"), 0, "remove absent cookie");

    char path[] = "/tmp/mc_jar_XXXXXX";
    int fd = mkstemp(path);
    ok(fd >= 0, "temp file for the jar");
    if (fd >= 0) {
        mc_cookies_t back;
        close(fd);
        is_int(mc_cookies_save(&jar, path), MC_OK, "jar saved");
        mc_headers_init(&back);
        is_int(mc_cookies_load(&back, path), MC_OK, "jar loaded");
        is_int(back.n, jar.n, "same number of cookies after the round trip");
        is_str(mc_cookies_get(&back, "MapiContext"), "stale", "value after the round trip");
        mc_headers_free(&back);
        unlink(path);
        mc_headers_init(&back);
        is_int(mc_cookies_load(&back, path), MC_OK, "missing jar file loads nothing");
        is_int(back.n, 0, "missing jar: empty");
        mc_headers_free(&back);
    }
    mc_headers_clear(&jar);
    hdr = mc_cookies_header(&jar);
    is_str(hdr, "", "empty jar gives an empty Cookie value");
    free(hdr);
    mc_headers_free(&jar);
}

static void test_helpers(void)
{
    uint8_t *b = NULL;
    size_t n = 0;
    char g[39];
    is_int(mc_hex_decode("00 ff:10\n7A", &b, &n), MC_OK, "hex with separators");
    is_mem(b, n, "\x00\xff\x10\x7a", 4, "hex bytes");
    free(b);
    is_int(mc_hex_decode("abc", &b, &n), MC_ERR_ARG, "odd hex digit count rejected");
    is_int(mc_hex_decode("zz", &b, &n), MC_ERR_ARG, "non-hex rejected");
    is_int(mc_hex_decode("", &b, &n), MC_OK, "empty hex is an empty body");
    is_int(n, 0, "empty hex length");
    free(b);
    mc_guid_string(g);
    ok(strlen(g) == 38 && g[0] == '{' && g[37] == '}' && g[9] == '-' && g[14] == '-'
           && g[19] == '-' && g[24] == '-' && g[15] == '4',
       "GUID string {8-4-4-4-12}, version 4: %s", g);
    char g2[39];
    mc_guid_string(g2);
    ok(strcmp(g, g2) != 0, "two GUIDs differ");
    is_str(mc_meta_name(MC_META_PENDING), "PENDING", "meta-tag name");
    is_str(mc_parse_error_name(MC_PARSE_NO_DONE), "no DONE", "parse error name");
    is_str(mc_parse_error_name(99), "unknown", "unknown parse error name");
}

int main(void)
{
    test_good_whole();
    test_good_bytewise_timing();
    test_good_all_splits();
    test_truncations();
    test_ping_layout();
    test_malformed();
    test_sticky_and_limit();
    test_raw_mode();
    test_random();
    test_headers();
    test_cookies();
    test_helpers();
    return done_testing();
}
