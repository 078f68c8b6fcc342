/* test_store_mime.c - MIME import/export ([MS-OXCMAIL] core) and bad input:
 * empty, corrupt MIME, huge headers, 8-bit garbage, deep nesting, quota. */
#define _GNU_SOURCE
#include "test_store_util.h"

/* strict UTF-8 check (no overlongs, no surrogates) */
static int utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 && *p >= 0xC2 ? 1 : (*p & 0xF0) == 0xE0 ? 2
              : (*p & 0xF8) == 0xF0 && *p <= 0xF4 ? 3 : -1;
        if (n < 0)
            return 0;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return 0;
    }
    return 1;
}

static const char SIMPLE[] =
    "From: \"Bob Example\" <bob@example.test>\r\n"
    "To: Alice <alice@example.test>, carol@example.test\r\n"
    "Cc: =?utf-8?B?RMOkdmU=?= <dave@example.test>\r\n"
    "Bcc: eve@example.test\r\n"
    "Subject: =?utf-8?B?c3NyL3Zwbui2heS9juS7t+S/gw==?=\r\n =?utf-8?b?6ZSA?=\r\n"
    "Date: Tue, 01 Jun 2021 10:20:30 +0200\r\n"
    "Message-ID: <abc@example.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=\"alt\"\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Gr=FC=DFe aus K=F6ln\r\n"
    "--alt\r\n"
    "Content-Type: multipart/related; boundary=\"rel\"\r\n"
    "\r\n"
    "--rel\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>Hello <img src=\"cid:img1@x\"></p>\r\n"
    "--rel\r\n"
    "Content-Type: image/png\r\n"
    "Content-ID: <img1@x>\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0KGgo=\r\n"
    "--rel--\r\n"
    "--alt--\r\n"
    "--outer\r\n"
    "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
    "Content-Disposition: attachment; filename*=utf-8''r%C3%A9port.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: inner@example.test\r\n"
    "Subject: inner message\r\n"
    "\r\n"
    "inner body\r\n"
    "--outer--\r\n";

static const char *sprop(ms_message_t *m, uint32_t tag)
{
    const ms_propval_t *v = ms_message_get_prop(m, tag);
    return v ? v->value.str : NULL;
}

static void test_simple(ms_store_t *st, ms_mailbox_t *mbx, ms_id_t inbox)
{
    ms_import_result_t res;
    is_int(ms_import_mime(NULL, mbx, inbox, SIMPLE, sizeof(SIMPLE) - 1, &res), MS_OK, "import a rich message");
    is_str(res.message_id, "<abc@example.test>", "result carries the Message-ID");
    is_int(res.attachments, 2, "two visible attachments");
    ms_message_t *m;
    is_int(ms_message_open(NULL, mbx, inbox, res.mid, &m), MS_OK, "open imported message");
    is_str(sprop(m, MS_PR_SUBJECT), "ssr/vpn\xe8\xb6\x85\xe4\xbd\x8e\xe4\xbb\xb7\xe4\xbf\x83\xe9\x94\x80",
           "subject from two base64 words (split UTF-8, padded first word)");
    is_str(sprop(m, MS_PR_SENT_REPRESENTING_NAME), "Bob Example", "From display name");
    is_str(sprop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x0065)), "bob@example.test", "From address");
    is_str(sprop(m, MS_PR_SENDER_NAME), "Bob Example", "sender = From without Sender:");
    is_str(sprop(m, MS_PR_MESSAGE_CLASS), "IPM.Note", "message class");
    const ms_propval_t *t = ms_message_get_prop(m, MS_PR_CLIENT_SUBMIT_TIME);
    /* 2021-06-01T08:20:30Z */
    ok(t && t->value.ft == (1622535630ull + 11644473600ull) * 10000000ull, "Date -> PR_CLIENT_SUBMIT_TIME (UTC)");
    is_str(sprop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1000)), "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln",
           "quoted-printable latin-1 body -> UTF-8 PR_BODY");
    const ms_propval_t *h = ms_message_get_prop(m, MS_PROP_TAG(MS_PT_BINARY, 0x1013));
    ok(h && h->value.bin.cb > 0 && memmem(h->value.bin.pb, h->value.bin.cb, "cid:img1@x", 10), "PR_HTML kept");
    is_int(ms_message_recipient_count(m), 4, "To, To, Cc, Bcc recipients");
    int types[4] = {0};
    for (size_t i = 0; i < ms_message_recipient_count(m); i++) {
        const ms_propval_t *v;
        size_t n;
        ms_message_get_recipient(m, i, &v, &n);
        for (size_t k = 0; k < n; k++)
            if (v[k].tag == MS_PR_RECIPIENT_TYPE && v[k].value.l >= 1 && v[k].value.l <= 3)
                types[v[k].value.l]++;
    }
    ok(types[1] == 2 && types[2] == 1 && types[3] == 1, "recipient types 2x To, Cc, Bcc");
    is_str(sprop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x0E03)), "D\xc3\xa4ve", "PR_DISPLAY_CC with decoded name");
    is_int(ms_message_attach_count(m), 3, "inline image + pdf + message");
    int hidden = 0, pdf = 0, embedded = 0;
    for (size_t i = 0; i < ms_message_attach_count(m); i++) {
        uint32_t num;
        const ms_propval_t *v;
        size_t n;
        ms_message_attach_num(m, i, &num);
        ms_message_get_attach(m, num, &v, &n);
        for (size_t k = 0; k < n; k++) {
            if (v[k].tag == MS_PROP_TAG(MS_PT_BOOLEAN, 0x7FFE) && v[k].value.b)
                hidden++;
            if (v[k].tag == MS_PROP_TAG(MS_PT_UNICODE, 0x3707) && !strcmp(v[k].value.str, "r\xc3\xa9port.pdf"))
                pdf++;
        }
        ms_message_t *emb;
        if (ms_message_embedded(m, num, 0, &emb) == MS_OK) {
            embedded++;
            is_str(sprop(emb, MS_PR_SUBJECT), "inner message", "embedded message/rfc822 subject");
        }
    }
    ok(hidden == 1 && pdf == 1 && embedded == 1, "hidden cid image, RFC 2231 filename, embedded message");
    ms_message_free(m);

    char *out;
    size_t len;
    is_int(ms_export_mime(NULL, mbx, inbox, res.mid, &out, &len), MS_OK, "export");
    ok(strstr(out, "Message-Id: <abc@example.test>") || strstr(out, "Message-ID: <abc@example.test>"), "exported Message-ID");
    ok(strstr(out, "bob@example.test") && strstr(out, "multipart/alternative") && strstr(out, "multipart/related") &&
       strstr(out, "message/rfc822") && strstr(out, "Content-Id: <img1@x>"), "exported structure");
    ms_import_result_t res2;
    is_int(ms_import_mime(NULL, mbx, inbox, out, len, &res2), MS_OK, "re-import the export");
    is_int(res2.attachments, 2, "same visible attachments after the round trip");
    ms_message_open(NULL, mbx, inbox, res2.mid, &m);
    is_str(sprop(m, MS_PR_SUBJECT), "ssr/vpn\xe8\xb6\x85\xe4\xbd\x8e\xe4\xbb\xb7\xe4\xbf\x83\xe9\x94\x80", "subject survives");
    ms_message_free(m);
    free(out);
    is_int(ms_export_mime(NULL, mbx, inbox, ms_id_make(1, 999999), &out, &len), MS_E_NOT_FOUND, "export missing message");
    (void)st;
}

static ms_err_t imp(ms_mailbox_t *mbx, ms_id_t fid, const char *data, size_t len, ms_import_result_t *r)
{
    return ms_import_mime(NULL, mbx, fid, data, len, r);
}

static void test_bad_input(ms_store_t *st, ms_mailbox_t *mbx, ms_id_t fid)
{
    ms_import_result_t r;
    ms_mailbox_info_t before, after;
    ms_mailbox_info(mbx, &before);
    is_int(imp(mbx, fid, "", 0, &r), MS_E_INVALID_PARAM, "zero-length message refused");
    is_str(r.reason, "empty message", "with a reason");
    is_int(imp(mbx, fid, " \r\n\r\n\t\n", 7, &r), MS_E_INVALID_PARAM, "whitespace-only message refused");
    is_int(ms_import_mime(NULL, mbx, fid, NULL, 5, &r), MS_E_INVALID_PARAM, "NULL data refused");
    ms_mailbox_info(mbx, &after);
    is_int(after.messages, before.messages, "nothing stored for refused input");

    static const char nobound[] = "Subject: no boundary\nContent-Type: multipart/mixed\n\n--x\nhello\n";
    is_int(imp(mbx, fid, nobound, sizeof(nobound) - 1, &r), MS_OK, "multipart without boundary stored");
    static const char unclosed[] = "Subject: unclosed\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
                                   "Content-Type: text/plain\n\npart one\n--b\nContent-Type: image/gif\n"
                                   "Content-Transfer-Encoding: base64\n\n!!!not base64!!!";
    is_int(imp(mbx, fid, unclosed, sizeof(unclosed) - 1, &r), MS_OK, "unclosed multipart and bad base64 stored");
    static const char noheaders[] = "just some text\nwithout any header\n";
    is_int(imp(mbx, fid, noheaders, sizeof(noheaders) - 1, &r), MS_OK, "no header block: stored as body");
    ok(strstr(r.reason, "repaired") != NULL, "repair reported (%s)", r.reason);

    /* huge headers: a 1 MB Subject and 20000 To addresses */
    size_t hl = 1 << 20;
    char *huge = malloc(hl + 200);
    int n = snprintf(huge, 200, "Subject: ");
    memset(huge + n, 'A', hl);
    n += (int)hl;
    n += snprintf(huge + n, 100, "\r\n\r\nbody\r\n");
    is_int(imp(mbx, fid, huge, (size_t)n, &r), MS_OK, "1 MB header line");
    free(huge);
    size_t cap = 20000 * 24 + 100;
    char *many = malloc(cap);
    size_t o = (size_t)snprintf(many, cap, "To: ");
    for (int i = 0; i < 20000; i++)
        o += (size_t)snprintf(many + o, cap - o, "u%d@example.test,\r\n ", i);
    o += (size_t)snprintf(many + o, cap - o, "last@example.test\r\nSubject: many\r\n\r\nx\r\n");
    is_int(imp(mbx, fid, many, o, &r), MS_OK, "20000 recipients");
    free(many);

    /* 8-bit garbage, with NULs */
    unsigned seed = 12345;
    char *garbage = malloc(65536);
    for (int i = 0; i < 65536; i++) {
        seed = seed * 1103515245u + 12345u;
        garbage[i] = (char)(seed >> 16);
    }
    ms_err_t rc = imp(mbx, fid, garbage, 65536, &r);
    ok(rc == MS_OK || rc == MS_E_INVALID_PARAM, "random bytes: stored or refused, no crash (%s)", r.reason);
    static const char hdr8[] = "Subject: \xff\xfe\x80 bad\r\nFrom: \xc3\x28@x\r\n\r\n";
    memcpy(garbage, hdr8, sizeof(hdr8) - 1);
    is_int(imp(mbx, fid, garbage, 65536, &r), MS_OK, "8-bit garbage in headers and body stored");
    ms_message_t *m;
    ms_message_open(NULL, mbx, fid, r.mid, &m);
    const char *s = sprop(m, MS_PR_SUBJECT);
    ok(s && utf8_ok(s), "stored subject is valid UTF-8");
    ms_message_free(m);
    free(garbage);

    /* deep nesting: 300 multiparts, 40 nested message/rfc822 */
    size_t dcap = 300 * 80 + 100;
    char *deep = malloc(dcap);
    o = 0;
    for (int i = 0; i < 300; i++)
        o += (size_t)snprintf(deep + o, dcap - o, "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i);
    o += (size_t)snprintf(deep + o, dcap - o, "Content-Type: text/plain\n\ndeep\n");
    is_int(imp(mbx, fid, deep, o, &r), MS_OK, "300 nested multiparts");
    free(deep);
    char *nest = malloc(40 * 60 + 100);
    o = 0;
    for (int i = 0; i < 40; i++)
        o += (size_t)sprintf(nest + o, "Subject: level %d\nContent-Type: message/rfc822\n\n", i);
    o += (size_t)sprintf(nest + o, "Subject: bottom\n\nbottom\n");
    is_int(imp(mbx, fid, nest, o, &r), MS_OK, "40 nested message/rfc822 (depth limited)");
    free(nest);
    /* more parts than a message may have attachments: stored, excess dropped, reported */
    size_t pcap = 2100 * 90 + 200;
    char *parts = malloc(pcap);
    o = (size_t)snprintf(parts, pcap, "Subject: parts\nContent-Type: multipart/mixed; boundary=p\n\n");
    for (int i = 0; i < 2100; i++)
        o += (size_t)snprintf(parts + o, pcap - o, "--p\nContent-Type: application/x-%d\n\n%d\n", i, i);
    o += (size_t)snprintf(parts + o, pcap - o, "--p--\n");
    is_int(imp(mbx, fid, parts, o, &r), MS_OK, "2100 parts: stored");
    ok(strstr(r.reason, "attachment limit") != NULL, "dropped parts reported (%s)", r.reason);
    free(parts);
    is_int(ts_check(st), 0, "check clean after hostile input");
}

/* 400 mutations of SIMPLE (byte flips, truncation, duplicated chunks): every
 * import stores or refuses, nothing crashes, the store stays consistent. */
static void test_mutations(ms_store_t *st, ms_mailbox_t *mbx, ms_id_t fid)
{
    unsigned seed = 777;
    size_t base = sizeof(SIMPLE) - 1;
    char *buf = malloc(base * 2 + 16);
    int stored = 0, refused = 0, other = 0;
    for (int i = 0; i < 400; i++) {
        memcpy(buf, SIMPLE, base);
        size_t len = base;
        seed = seed * 1103515245u + 12345u;
        switch ((seed >> 16) % 4) {
        case 0:   /* flip up to 20 bytes */
            for (int k = 0; k < 20; k++) {
                seed = seed * 1103515245u + 12345u;
                buf[(seed >> 8) % len] = (char)(seed >> 3);
            }
            break;
        case 1:   /* truncate */
            len = (seed >> 4) % len;
            break;
        case 2: {  /* duplicate a chunk */
            size_t from = (seed >> 5) % len, n = (seed >> 9) % 200;
            if (from + n > len)
                n = len - from;
            memcpy(buf + len, buf + from, n);
            len += n;
            break;
        }
        default:   /* cut out a chunk */
        {
            size_t from = (seed >> 5) % len, n = (seed >> 11) % 300;
            if (from + n > len)
                n = len - from;
            memmove(buf + from, buf + from + n, len - from - n);
            len -= n;
        }
        }
        ms_import_result_t r;
        ms_err_t rc = ms_import_mime(NULL, mbx, fid, buf, len, &r);
        if (rc == MS_OK)
            stored++;
        else if (rc == MS_E_INVALID_PARAM)
            refused++;
        else
            other++;
    }
    free(buf);
    ok(other == 0, "400 mutated messages: %d stored, %d refused, %d other errors", stored, refused, other);
    is_int(ts_check(st), 0, "check clean after the mutations");
}

static void test_quota_import(ms_store_t *st, ms_mailbox_t *mbx, ms_id_t fid)
{
    ms_mailbox_info_t info;
    ms_mailbox_info(mbx, &info);
    ms_mailbox_set_quota(st, ms_mailbox_guid(mbx), 0, 0, info.size + 10);
    ms_import_result_t r;
    is_int(ms_import_mime(NULL, mbx, fid, SIMPLE, sizeof(SIMPLE) - 1, &r), MS_E_QUOTA_EXCEEDED, "import over quota refused");
    ms_mailbox_info_t after;
    ms_mailbox_info(mbx, &after);
    ok(after.messages == info.messages && after.size == info.size, "nothing half-imported");
    ms_mailbox_set_quota(st, ms_mailbox_guid(mbx), 0, 0, 0);
}

int main(void)
{
    ms_mailbox_t *mbx;
    ms_store_t *st = ts_setup("mime", 0, &mbx);
    ok(st != NULL, "store set up");
    if (!st)
        return done_testing();
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    test_simple(st, mbx, inbox);
    test_bad_input(st, mbx, inbox);
    test_mutations(st, mbx, inbox);
    test_quota_import(st, mbx, inbox);
    is_int(ts_check(st), 0, "final check clean");
    ms_mailbox_close(mbx);
    ms_store_close(st);
    ts_rmrf(ts_root);
    return done_testing();
}
