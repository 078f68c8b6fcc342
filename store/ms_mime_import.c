/*
 * ms_mime_import.c - RFC 5322/MIME -> MAPI message, the core of [MS-OXCMAIL]
 * 2.2.3: subject, From/Sender as sent-representing/sender, To/Cc/Bcc as
 * recipients, Date, Message-ID and threading headers, plain/HTML bodies,
 * attachments (by value, inline images hidden with a content id) and
 * message/rfc822 parts as embedded messages. Parsed with GMime 3.
 *
 * Body and attachment choice follow the rule the corpus (and Python's
 * email package) use: the first non-attachment text/plain (or text/html)
 * leaf, multipart/related contributing only its root part; every other leaf
 * that is an attachment, a non-text part or an extra inline text part becomes
 * an attachment; non-root inline parts of multipart/related are hidden.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <gmime/gmime.h>
#include "ms_internal.h"
#include "ms_mime.h"

#define MAX_DEPTH 8
#define HEADERS_MAX (256 * 1024)

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
    g_mime_init();
}

void ms__gmime_init(void)
{
    pthread_once(&gmime_once, gmime_start);
}

/* Valid UTF-8 copy (g_free). */
static char *utf8(const char *s, gssize len)
{
    return g_utf8_make_valid(s ? s : "", s ? len : 0);
}

static uint64_t unix_to_filetime(gint64 t)
{
    if (t < -11644473600LL)
        return 0;
    return (uint64_t)(t + 11644473600LL) * 10000000ull;
}

static ms_err_t set_str(ms_message_t *m, uint32_t tag, const char *s)
{
    if (!s)
        return MS_OK;
    char *c = utf8(s, -1);
    ms_propval_t v = {.tag = tag};
    v.value.str = c;
    ms_err_t rc = ms_message_set_props(m, &v, 1);
    g_free(c);
    return rc;
}

static ms_err_t set_long(ms_message_t *m, uint32_t tag, int32_t l)
{
    ms_propval_t v = {.tag = tag};
    v.value.l = l;
    return ms_message_set_props(m, &v, 1);
}

static ms_err_t set_ft(ms_message_t *m, uint32_t tag, uint64_t ft)
{
    ms_propval_t v = {.tag = tag};
    v.value.ft = ft;
    return ms_message_set_props(m, &v, 1);
}

/* ---- addresses ---- */
typedef struct { const char *name; const char *addr; } addr_t;

static void flatten(InternetAddressList *l, GPtrArray *out, int depth)
{
    if (!l || depth > 8)
        return;
    int n = internet_address_list_length(l);
    for (int i = 0; i < n; i++) {
        InternetAddress *a = internet_address_list_get_address(l, i);
        if (INTERNET_ADDRESS_IS_GROUP(a))
            flatten(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out, depth + 1);
        else if (INTERNET_ADDRESS_IS_MAILBOX(a))
            g_ptr_array_add(out, a);
    }
}

static ms_err_t add_recipients(ms_message_t *m, GMimeMessage *msg, GMimeAddressType type,
                               int32_t rtype, GString *display)
{
    GPtrArray *arr = g_ptr_array_new();
    flatten(g_mime_message_get_addresses(msg, type), arr, 0);
    ms_err_t rc = MS_OK;
    for (guint i = 0; i < arr->len && rc == MS_OK; i++) {
        InternetAddress *a = arr->pdata[i];
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
        const char *name = internet_address_get_name(a);
        char *ca = utf8(addr, -1), *cn = utf8(name && *name ? name : addr, -1);
        ms_propval_t v[6] = {
            {.tag = MS_PR_RECIPIENT_TYPE},
            {.tag = MS_PR_DISPLAY_NAME},
            {.tag = MS_PROP_TAG(MS_PT_UNICODE, 0x3002)},   /* PR_ADDRTYPE */
            {.tag = MS_PROP_TAG(MS_PT_UNICODE, 0x3003)},   /* PR_EMAIL_ADDRESS */
            {.tag = MS_PROP_TAG(MS_PT_UNICODE, 0x39FE)},   /* PR_SMTP_ADDRESS */
            {.tag = MS_PROP_TAG(MS_PT_LONG, 0x3900)},      /* PR_DISPLAY_TYPE: DT_MAILUSER */
        };
        v[0].value.l = rtype;
        v[1].value.str = cn;
        v[2].value.str = (char *)"SMTP";
        v[3].value.str = ca;
        v[4].value.str = ca;
        v[5].value.l = 0;
        rc = ms_message_modify_recipient(m, UINT32_MAX, v, 6);
        if (display->len)
            g_string_append(display, "; ");
        g_string_append(display, cn);
        g_free(ca);
        g_free(cn);
    }
    g_ptr_array_free(arr, TRUE);
    return rc;
}

/* Sender properties from an address list (first mailbox). */
static ms_err_t set_person(ms_message_t *m, InternetAddressList *l, const char *raw,
                           uint16_t name_id, uint16_t type_id, uint16_t email_id, uint16_t smtp_id)
{
    GPtrArray *arr = g_ptr_array_new();
    flatten(l, arr, 0);
    ms_err_t rc = MS_OK;
    if (arr->len) {
        InternetAddress *a = arr->pdata[0];
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
        const char *name = internet_address_get_name(a);
        char *own = NULL;
        if (raw && !strchr(raw, '<'))   /* "addr (comment)": a comment is not a display name */
            name = NULL;
        else if (raw && arr->len == 1 && strstr(raw, "=?")) {
            /* encoded words in the phrase: decode them ourselves (see ms_rfc2047.c) */
            const char *lt = strrchr(raw, '<');
            char *phrase = g_strndup(raw, (gsize)(lt - raw));
            own = ms__rfc2047_decode(g_strstrip(phrase), NULL);
            g_free(phrase);
            g_strstrip(own);
            size_t ol = strlen(own);
            if (ol >= 2 && own[0] == '"' && own[ol - 1] == '"') {
                memmove(own, own + 1, ol - 2);
                own[ol - 2] = 0;
            }
            name = own;
        }
        rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, name_id), name && *name ? name : addr);
        g_free(own);
        if (rc == MS_OK) rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, type_id), "SMTP");
        if (rc == MS_OK) rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, email_id), addr);
        if (rc == MS_OK && smtp_id) rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, smtp_id), addr);
    }
    g_ptr_array_free(arr, TRUE);
    return rc;
}

/* ---- MIME tree ---- */
static int is_attachment_disp(GMimeObject *o)
{
    GMimeContentDisposition *d = g_mime_object_get_content_disposition(o);
    const char *v = d ? g_mime_content_disposition_get_disposition(d) : NULL;
    return v && !g_ascii_strcasecmp(v, "attachment");
}

static int disp_inline_or_absent(GMimeObject *o)
{
    GMimeContentDisposition *d = g_mime_object_get_content_disposition(o);
    const char *v = d ? g_mime_content_disposition_get_disposition(d) : NULL;
    return !v || !*v || !g_ascii_strcasecmp(v, "inline");
}

static int type_is(GMimeObject *o, const char *t, const char *s)
{
    GMimeContentType *ct = g_mime_object_get_content_type(o);
    return ct && g_mime_content_type_is_type(ct, t, s);
}

/* Root part of a multipart/related: the "start" one or the first. */
static GMimeObject *related_root(GMimeMultipart *mp)
{
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(mp));
    const char *start = ct ? g_mime_content_type_get_parameter(ct, "start") : NULL;
    int n = g_mime_multipart_get_count(mp);
    if (start) {
        for (int i = 0; i < n; i++) {
            GMimeObject *p = g_mime_multipart_get_part(mp, i);
            const char *cid = g_mime_object_get_header(p, "Content-Id");
            if (cid && (!strcmp(cid, start) || strstr(start, cid) || strstr(cid, start)))
                return p;
        }
    }
    return n ? g_mime_multipart_get_part(mp, 0) : NULL;
}

static GMimeObject *find_body(GMimeObject *o, const char *subtype, int depth)
{
    if (!o || depth > 64 || is_attachment_disp(o))
        return NULL;
    if (GMIME_IS_PART(o))
        return type_is(o, "text", subtype) ? o : NULL;
    if (!GMIME_IS_MULTIPART(o))
        return NULL;
    GMimeMultipart *mp = GMIME_MULTIPART(o);
    if (type_is(o, "multipart", "related"))
        return find_body(related_root(mp), subtype, depth + 1);
    int n = g_mime_multipart_get_count(mp);
    for (int i = 0; i < n; i++) {
        GMimeObject *b = find_body(g_mime_multipart_get_part(mp, i), subtype, depth + 1);
        if (b)
            return b;
    }
    return NULL;
}

/* Decoded bytes of a leaf part. */
static GByteArray *part_bytes(GMimePart *p)
{
    GMimeDataWrapper *w = g_mime_part_get_content(p);
    GMimeStream *mem = g_mime_stream_mem_new();
    if (w)
        g_mime_data_wrapper_write_to_stream(w, mem);
    GByteArray *ba = g_byte_array_new();
    GByteArray *src = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    if (src && src->len)
        g_byte_array_append(ba, src->data, src->len);
    g_object_unref(mem);
    return ba;
}

/* Text of a text part as valid UTF-8 (charset converted when known). */
static char *part_text(GMimePart *p)
{
    char *t = GMIME_IS_TEXT_PART(p) ? g_mime_text_part_get_text(GMIME_TEXT_PART(p)) : NULL;
    if (t) {
        char *c = utf8(t, -1);
        g_free(t);
        return c;
    }
    GByteArray *ba = part_bytes(p);
    char *c = utf8((const char *)ba->data, (gssize)ba->len);
    g_byte_array_free(ba, TRUE);
    return c;
}

typedef struct {
    ms_message_t *m;
    GMimeObject *plain, *html;
    int depth;
    uint32_t visible;
    uint32_t dropped;      /* parts beyond the attachment limit */
    ms_err_t rc;
} walk_t;

static ms_err_t convert(ms_message_t *m, GMimeMessage *msg, const char *raw, size_t rawlen,
                        int depth, uint32_t *visible, uint32_t *dropped);

static void add_attachment(walk_t *w, GMimeObject *o, int hidden)
{
    uint32_t num;
    ms_message_t *m = w->m;
    if ((w->rc = ms_message_create_attach(m, &num)) != MS_OK) {
        if (w->rc == MS_E_MAX_ATTACHMENTS) {   /* keep the message, drop the excess parts */
            w->rc = MS_OK;
            w->dropped++;
        }
        return;
    }
    GMimeContentType *ct = g_mime_object_get_content_type(o);
    char *mime = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("application/octet-stream");
    ms_propval_t v[8];
    size_t n = 0;
    char *fname = NULL, *cid = NULL;
    const char *fn = GMIME_IS_PART(o) ? g_mime_part_get_filename(GMIME_PART(o))
                   : g_mime_object_get_content_disposition_parameter(o, "filename");
    if (!fn)
        fn = g_mime_object_get_content_type_parameter(o, "name");
    if (fn) {
        fname = utf8(fn, -1);
        v[n].tag = MS_PROP_TAG(MS_PT_UNICODE, 0x3707);   /* PR_ATTACH_LONG_FILENAME */
        v[n++].value.str = fname;
        v[n].tag = MS_PR_DISPLAY_NAME;
        v[n++].value.str = fname;
    }
    v[n].tag = MS_PROP_TAG(MS_PT_UNICODE, 0x370E);       /* PR_ATTACH_MIME_TAG */
    v[n++].value.str = mime;
    v[n].tag = MS_PROP_TAG(MS_PT_LONG, 0x370B);          /* PR_RENDERING_POSITION */
    v[n++].value.l = -1;
    const char *id = g_mime_object_get_content_id(o);
    if (id) {
        cid = utf8(id, -1);
        v[n].tag = MS_PROP_TAG(MS_PT_UNICODE, 0x3712);   /* PR_ATTACH_CONTENT_ID */
        v[n++].value.str = cid;
    }
    if (hidden) {
        v[n].tag = MS_PROP_TAG(MS_PT_BOOLEAN, 0x7FFE);   /* PR_ATTACHMENT_HIDDEN */
        v[n++].value.b = 1;
        v[n].tag = MS_PROP_TAG(MS_PT_LONG, 0x3714);      /* PR_ATTACH_FLAGS: ATT_MHTML_REF */
        v[n++].value.l = 4;
    }
    w->rc = ms_message_set_attach_props(m, num, v, n);
    if (w->rc == MS_OK && GMIME_IS_MESSAGE_PART(o) && w->depth < MAX_DEPTH &&
        g_mime_message_part_get_message(GMIME_MESSAGE_PART(o))) {
        ms_message_t *emb;
        ms_propval_t meth = {.tag = MS_PR_ATTACH_METHOD};
        meth.value.l = 5;   /* ATTACH_EMBEDDED_MSG */
        w->rc = ms_message_embedded(m, num, 1, &emb);
        if (w->rc == MS_OK)
            w->rc = ms_message_set_attach_props(m, num, &meth, 1);
        if (w->rc == MS_OK)
            w->rc = convert(emb, g_mime_message_part_get_message(GMIME_MESSAGE_PART(o)), NULL, 0,
                            w->depth + 1, NULL, &w->dropped);
        const ms_propval_t *s = ms_message_get_prop(emb, MS_PR_SUBJECT);
        if (w->rc == MS_OK && s && !fname) {
            ms_propval_t dn = {.tag = MS_PR_DISPLAY_NAME};
            dn.value.str = s->value.str;
            w->rc = ms_message_set_attach_props(m, num, &dn, 1);
        }
    } else if (w->rc == MS_OK) {
        GByteArray *ba;
        if (GMIME_IS_PART(o)) {
            ba = part_bytes(GMIME_PART(o));
        } else {   /* other message types, or too deep: raw bytes */
            ba = g_byte_array_new();
            char *s = g_mime_object_to_string(o, NULL);
            if (s)
                g_byte_array_append(ba, (const guint8 *)s, (guint)strlen(s));
            g_free(s);
        }
        ms_propval_t d[2] = {{.tag = MS_PR_ATTACH_DATA_BIN}, {.tag = MS_PR_ATTACH_METHOD}};
        d[0].value.bin.cb = ba->len;
        d[0].value.bin.pb = ba->data;
        d[1].value.l = 1;   /* ATTACH_BY_VALUE */
        w->rc = ms_message_set_attach_props(m, num, d, 2);
        g_byte_array_free(ba, TRUE);
    }
    if (!hidden)
        w->visible++;
    g_free(fname);
    g_free(cid);
    g_free(mime);
}

static void walk_tree(walk_t *w, GMimeObject *o, int in_related_nonroot, int depth)
{
    if (!o || w->rc != MS_OK || depth > 64)
        return;
    if (GMIME_IS_MULTIPART(o)) {
        GMimeMultipart *mp = GMIME_MULTIPART(o);
        int related = type_is(o, "multipart", "related");
        GMimeObject *root = related ? related_root(mp) : NULL;
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++) {
            GMimeObject *c = g_mime_multipart_get_part(mp, i);
            walk_tree(w, c, related && c != root, depth + 1);
        }
        return;
    }
    if (o == w->plain || o == w->html)
        return;
    int text = type_is(o, "text", "*");
    int inline_related = in_related_nonroot && disp_inline_or_absent(o);
    if (is_attachment_disp(o) || (!text && !inline_related))
        add_attachment(w, o, 0);
    else if (inline_related)
        add_attachment(w, o, 1);
    else if (type_is(o, "text", "plain") || type_is(o, "text", "html"))
        add_attachment(w, o, 0);   /* an extra inline text part: keep it visible */
    else
        add_attachment(w, o, 1);   /* inline text/calendar, text/enriched...: kept, hidden */
}

static const char *message_class(GMimeObject *body)
{
    if (body && type_is(body, "multipart", "signed"))
        return "IPM.Note.SMIME.MultipartSigned";
    if (body && (type_is(body, "application", "pkcs7-mime") || type_is(body, "application", "x-pkcs7-mime")))
        return "IPM.Note.SMIME";
    return "IPM.Note";
}

static const char *raw_header(GMimeObject *o, const char *name)
{
    GMimeHeader *h = g_mime_header_list_get_header(g_mime_object_get_header_list(o), name);
    return h ? g_mime_header_get_raw_value(h) : NULL;
}

static char *collapse_ws(const char *s)
{
    GString *g = g_string_new(NULL);
    int sp = 0;
    for (; s && *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
            sp = g->len > 0;
            continue;
        }
        if (sp)
            g_string_append_c(g, ' ');
        sp = 0;
        g_string_append_c(g, *s);
    }
    return g_string_free(g, FALSE);
}

static ms_err_t convert(ms_message_t *m, GMimeMessage *msg, const char *raw, size_t rawlen,
                        int depth, uint32_t *visible, uint32_t *dropped)
{
    ms_err_t rc = set_str(m, MS_PR_MESSAGE_CLASS, message_class(g_mime_message_get_mime_part(msg)));
    GMimeObject *mo = GMIME_OBJECT(msg);
    const char *subj = g_mime_message_get_subject(msg);
    const char *rawsubj = raw_header(mo, "Subject");
    if (rc == MS_OK && rawsubj && strstr(rawsubj, "=?")) {
        char *d = ms__rfc2047_decode(rawsubj, NULL);
        rc = set_str(m, MS_PR_SUBJECT, d);
        g_free(d);
    } else if (rc == MS_OK && subj) {
        rc = set_str(m, MS_PR_SUBJECT, subj);
    }
    InternetAddressList *from = g_mime_message_get_from(msg);
    InternetAddressList *sender = g_mime_message_get_sender(msg);
    if (rc == MS_OK)
        rc = set_person(m, from, raw_header(mo, "From"), 0x0042, 0x0064, 0x0065, 0x5D02);
    int has_sender = sender && internet_address_list_length(sender);
    if (rc == MS_OK)
        rc = set_person(m, has_sender ? sender : from,
                        raw_header(mo, has_sender ? "Sender" : "From"),
                        0x0C1A, 0x0C1E, 0x0C1F, 0x5D01);
    GString *to = g_string_new(NULL), *cc = g_string_new(NULL), *bcc = g_string_new(NULL);
    if (rc == MS_OK) rc = add_recipients(m, msg, GMIME_ADDRESS_TYPE_TO, 1, to);
    if (rc == MS_OK) rc = add_recipients(m, msg, GMIME_ADDRESS_TYPE_CC, 2, cc);
    if (rc == MS_OK) rc = add_recipients(m, msg, GMIME_ADDRESS_TYPE_BCC, 3, bcc);
    if (rc == MS_OK) rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, 0x0E04), to->str);   /* PR_DISPLAY_TO */
    if (rc == MS_OK) rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, 0x0E03), cc->str);   /* PR_DISPLAY_CC */
    if (rc == MS_OK) rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, 0x0E02), bcc->str);  /* PR_DISPLAY_BCC */
    g_string_free(to, TRUE);
    g_string_free(cc, TRUE);
    g_string_free(bcc, TRUE);
    GDateTime *date = g_mime_message_get_date(msg);
    uint64_t ft = date ? unix_to_filetime(g_date_time_to_unix(date)) : ms__now_filetime();
    if (rc == MS_OK && date)
        rc = set_ft(m, MS_PR_CLIENT_SUBMIT_TIME, ft);
    if (rc == MS_OK)
        rc = set_ft(m, MS_PR_MESSAGE_DELIVERY_TIME, ft);
    static const struct { const char *h; uint16_t id; } hdrs[] = {
        {"Message-ID", 0x1035}, {"In-Reply-To", 0x1042}, {"References", 0x1039}};
    for (size_t i = 0; i < 3 && rc == MS_OK; i++) {
        const char *v = g_mime_object_get_header(mo, hdrs[i].h);
        if (v) {
            char *c = collapse_ws(v);
            rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, hdrs[i].id), c);
            g_free(c);
        }
    }
    if (rc == MS_OK && raw) {   /* PR_TRANSPORT_MESSAGE_HEADERS: the raw header block */
        size_t hl = 0;
        while (hl < rawlen && hl < HEADERS_MAX) {
            if (raw[hl] == '\n' && hl + 1 < rawlen &&
                (raw[hl + 1] == '\n' || (raw[hl + 1] == '\r' && hl + 2 < rawlen && raw[hl + 2] == '\n')))
                break;
            hl++;
        }
        char *h = utf8(raw, (gssize)hl);
        rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, 0x007D), h);
        g_free(h);
    }
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    walk_t w = {m, find_body(body, "plain", 0), find_body(body, "html", 0), depth, 0, 0, rc};
    if (w.rc == MS_OK && w.plain) {
        char *t = part_text(GMIME_PART(w.plain));
        w.rc = set_str(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1000), t);   /* PR_BODY */
        g_free(t);
    }
    if (w.rc == MS_OK && w.html) {
        char *t = part_text(GMIME_PART(w.html));
        ms_propval_t h = {.tag = MS_PROP_TAG(MS_PT_BINARY, 0x1013)};   /* PR_HTML */
        h.value.bin.cb = (uint32_t)strlen(t);
        h.value.bin.pb = (uint8_t *)t;
        w.rc = ms_message_set_props(m, &h, 1);
        if (w.rc == MS_OK)
            w.rc = set_long(m, MS_PROP_TAG(MS_PT_LONG, 0x3FDE), 65001);   /* PR_INTERNET_CPID */
        g_free(t);
    }
    walk_tree(&w, body, 0, 0);
    if (visible)
        *visible = w.visible;
    if (dropped)
        *dropped += w.dropped;
    return w.rc;
}

static GMimeMessage *parse(const void *data, size_t len, GMimeParserOptions *opts)
{
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, opts);
    g_object_unref(parser);
    g_object_unref(stream);
    return msg;
}

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return 0;
    return 1;
}

ms_err_t ms_import_mime(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, const void *data, size_t len,
                        ms_import_result_t *res)
{
    ms_import_result_t dummy;
    if (!res)
        res = &dummy;
    memset(res, 0, sizeof(*res));
    res->mime_size = len;
    if (!mbx || (len && !data))
        return ms__err(MS_E_INVALID_PARAM, "import: NULL argument");
    if (!len || blank(data, len)) {
        snprintf(res->reason, sizeof(res->reason), "empty message");
        return ms__err(MS_E_INVALID_PARAM, "empty message");
    }
    if (len > 512u * 1024 * 1024) {
        snprintf(res->reason, sizeof(res->reason), "message larger than 512 MB");
        return ms__err(MS_E_INVALID_PARAM, "message too large");
    }
    ms__gmime_init();
    GMimeParserOptions *opts = g_mime_parser_options_new();
    g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
    GMimeMessage *msg = parse(data, len, opts);
    if (!msg) {   /* repair 1: leading blank lines / whitespace / BOM before the headers */
        const char *p = data;
        size_t l = len;
        while (l && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++, l--;
        if (l >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
            p += 3, l -= 3;
        if (l && (msg = parse(p, l, opts)))
            snprintf(res->reason, sizeof(res->reason), "repaired: leading blank lines removed");
    }
    if (!msg) {   /* repair 2: no header block at all: keep the text as the body */
        static const char hdr[] = "Content-Type: text/plain\r\n\r\n";
        char *buf = malloc(sizeof(hdr) - 1 + len);
        if (buf) {
            memcpy(buf, hdr, sizeof(hdr) - 1);
            memcpy(buf + sizeof(hdr) - 1, data, len);
            if ((msg = parse(buf, sizeof(hdr) - 1 + len, opts)))
                snprintf(res->reason, sizeof(res->reason), "repaired: no header block, stored as body text");
            free(buf);
        }
    }
    ms_err_t rc = MS_OK;
    ms_message_t *m = NULL;
    if (!msg) {
        snprintf(res->reason, sizeof(res->reason), "not a MIME message (no header block)");
        rc = ms__err(MS_E_INVALID_PARAM, "unparseable message");
    }
    if (rc == MS_OK)
        rc = ms_message_create(mbx, fid, 0, &m);
    uint32_t dropped = 0;
    if (rc == MS_OK)
        rc = convert(m, msg, data, len, 0, &res->attachments, &dropped);
    if (rc == MS_OK && dropped)
        snprintf(res->reason, sizeof(res->reason), "repaired: %u parts beyond the attachment limit dropped",
                 dropped);
    if (rc == MS_OK)
        rc = ms_message_save(txn, m);
    if (rc == MS_OK) {
        res->mid = ms_message_mid(m);
        const ms_propval_t *id = ms_message_get_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1035));
        snprintf(res->message_id, sizeof(res->message_id), "%s", id ? id->value.str : "");
    } else if (msg) {
        snprintf(res->reason, sizeof(res->reason), "%s", ms_last_error());
    }
    ms_message_free(m);
    if (msg)
        g_object_unref(msg);
    g_mime_parser_options_free(opts);
    return rc;
}
