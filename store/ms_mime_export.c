/*
 * ms_mime_export.c - MAPI message -> RFC 5322/MIME ([MS-OXCMAIL] 2.2.2 core):
 * headers from the sender/recipient/date/id properties, text/plain and
 * text/html bodies (multipart/alternative), hidden attachments with a content
 * id under multipart/related, other attachments under multipart/mixed and
 * embedded messages as message/rfc822.
 */
#include <stdlib.h>
#include <string.h>
#include <gmime/gmime.h>
#include "ms_internal.h"
#include "ms_mime.h"

#define PR_BODY MS_PROP_TAG(MS_PT_UNICODE, 0x1000)
#define PR_HTML MS_PROP_TAG(MS_PT_BINARY, 0x1013)

static const char *str_of(const ms_propval_t *v, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (MS_PROP_ID(v[i].tag) == MS_PROP_ID(tag) &&
            (MS_PROP_TYPE(v[i].tag) == MS_PT_UNICODE || MS_PROP_TYPE(v[i].tag) == MS_PT_STRING8))
            return v[i].value.str;
    return NULL;
}

static const ms_propval_t *val_of(const ms_propval_t *v, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].tag == tag)
            return &v[i];
    return NULL;
}

static const char *mstr(ms_message_t *m, uint32_t tag)
{
    const ms_propval_t *v = ms_message_get_prop(m, tag);
    return v && (MS_PROP_TYPE(v->tag) == MS_PT_UNICODE || MS_PROP_TYPE(v->tag) == MS_PT_STRING8)
               ? v->value.str : NULL;
}

static GMimeObject *text_part(const char *subtype, const char *text)
{
    GMimeTextPart *t = g_mime_text_part_new_with_subtype(subtype);
    g_mime_text_part_set_text(t, text);   /* sets charset=utf-8 */
    GMimePart *p = GMIME_PART(t);
    g_mime_part_set_content_encoding(p, g_mime_part_get_best_content_encoding(p, GMIME_ENCODING_CONSTRAINT_7BIT));
    return GMIME_OBJECT(t);
}

static GMimeMessage *build(ms_message_t *m, int depth);

static GMimeObject *attachment_part(ms_message_t *m, uint32_t num, const ms_propval_t *v, size_t n,
                                    int depth, int *hidden)
{
    const ms_propval_t *h = val_of(v, n, MS_PROP_TAG(MS_PT_BOOLEAN, 0x7FFE));
    *hidden = h && h->value.b;
    const char *fname = str_of(v, n, MS_PROP_TAG(MS_PT_UNICODE, 0x3707));
    if (!fname)
        fname = str_of(v, n, MS_PROP_TAG(MS_PT_UNICODE, 0x3704));
    const char *cid = str_of(v, n, MS_PROP_TAG(MS_PT_UNICODE, 0x3712));
    ms_message_t *emb;
    if (depth < 8 && ms_message_embedded(m, num, 0, &emb) == MS_OK) {
        GMimeMessage *inner = build(emb, depth + 1);
        if (!inner)
            return NULL;
        GMimeMessagePart *mp = g_mime_message_part_new_with_message("rfc822", inner);
        g_object_unref(inner);
        GMimeContentDisposition *d = g_mime_content_disposition_parse(NULL, "attachment");
        if (fname)
            g_mime_content_disposition_set_parameter(d, "filename", fname);
        g_mime_object_set_content_disposition(GMIME_OBJECT(mp), d);
        g_object_unref(d);
        return GMIME_OBJECT(mp);
    }
    const char *mime = str_of(v, n, MS_PROP_TAG(MS_PT_UNICODE, 0x370E));
    char *type = g_strdup(mime && strchr(mime, '/') ? mime : "application/octet-stream");
    char *slash = strchr(type, '/');
    *slash = 0;
    GMimePart *p = g_mime_part_new_with_type(type, slash + 1);
    g_free(type);
    const ms_propval_t *data = val_of(v, n, MS_PR_ATTACH_DATA_BIN);
    GMimeStream *s = g_mime_stream_mem_new();
    if (data && data->value.bin.cb)
        g_mime_stream_write(s, (const char *)data->value.bin.pb, data->value.bin.cb);
    g_mime_stream_reset(s);
    GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
    g_mime_part_set_content(p, w);
    g_object_unref(w);
    g_object_unref(s);
    g_mime_part_set_content_encoding(p, GMIME_CONTENT_ENCODING_BASE64);
    GMimeContentDisposition *d = g_mime_content_disposition_parse(NULL, *hidden ? "inline" : "attachment");
    g_mime_object_set_content_disposition(GMIME_OBJECT(p), d);
    g_object_unref(d);
    if (fname)
        g_mime_part_set_filename(p, fname);
    if (cid)
        g_mime_object_set_content_id(GMIME_OBJECT(p), cid);
    return GMIME_OBJECT(p);
}

static void add_addresses(GMimeMessage *msg, ms_message_t *m)
{
    for (size_t i = 0; i < ms_message_recipient_count(m); i++) {
        const ms_propval_t *v;
        size_t n;
        if (ms_message_get_recipient(m, i, &v, &n) != MS_OK)
            continue;
        const ms_propval_t *t = val_of(v, n, MS_PR_RECIPIENT_TYPE);
        const char *addr = str_of(v, n, MS_PROP_TAG(MS_PT_UNICODE, 0x39FE));
        if (!addr)
            addr = str_of(v, n, MS_PROP_TAG(MS_PT_UNICODE, 0x3003));
        const char *name = str_of(v, n, MS_PR_DISPLAY_NAME);
        if (!addr)
            continue;
        GMimeAddressType type = !t || (t->value.l & 0xF) == 1 ? GMIME_ADDRESS_TYPE_TO
                              : (t->value.l & 0xF) == 2 ? GMIME_ADDRESS_TYPE_CC : GMIME_ADDRESS_TYPE_BCC;
        g_mime_message_add_mailbox(msg, type, name && strcmp(name, addr) ? name : NULL, addr);
    }
}

static GMimeMessage *build(ms_message_t *m, int depth)
{
    GMimeMessage *msg = g_mime_message_new(TRUE);
    const char *s;
    const char *fe = mstr(m, MS_PROP_TAG(MS_PT_UNICODE, 0x0065)), *fn = mstr(m, MS_PR_SENT_REPRESENTING_NAME);
    if (fe)
        g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, fn && strcmp(fn, fe) ? fn : NULL, fe);
    const char *se = mstr(m, MS_PROP_TAG(MS_PT_UNICODE, 0x0C1F)), *sn = mstr(m, MS_PR_SENDER_NAME);
    if (se && (!fe || g_ascii_strcasecmp(se, fe)))
        g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_SENDER, sn && strcmp(sn, se) ? sn : NULL, se);
    add_addresses(msg, m);
    if ((s = mstr(m, MS_PR_SUBJECT)))
        g_mime_message_set_subject(msg, s, "utf-8");
    const ms_propval_t *t = ms_message_get_prop(m, MS_PR_CLIENT_SUBMIT_TIME);
    if (!t)
        t = ms_message_get_prop(m, MS_PR_MESSAGE_DELIVERY_TIME);
    if (t && t->value.ft >= 116444736000000000ull) {
        GDateTime *d = g_date_time_new_from_unix_utc((gint64)(t->value.ft / 10000000ull) - 11644473600LL);
        if (d) {
            g_mime_message_set_date(msg, d);
            g_date_time_unref(d);
        }
    }
    if ((s = mstr(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1035)))) {
        char *id = g_strstrip(g_strdup(s));
        size_t l = strlen(id);
        if (l > 2 && id[0] == '<' && id[l - 1] == '>') {
            id[l - 1] = 0;
            g_mime_message_set_message_id(msg, id + 1);
        } else if (l) {
            g_mime_message_set_message_id(msg, id);
        }
        g_free(id);
    }
    if ((s = mstr(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1042))))
        g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", s, NULL);
    if ((s = mstr(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1039))))
        g_mime_object_set_header(GMIME_OBJECT(msg), "References", s, NULL);

    /* bodies */
    const char *plain = mstr(m, PR_BODY);
    const ms_propval_t *hv = ms_message_get_prop(m, PR_HTML);
    char *html = hv && MS_PROP_TYPE(hv->tag) == MS_PT_BINARY
                     ? g_utf8_make_valid((const char *)hv->value.bin.pb, hv->value.bin.cb) : NULL;
    GMimeObject *htmlpart = html ? text_part("html", html) : NULL;
    g_free(html);
    GMimeMultipart *related = NULL, *mixed = NULL;
    size_t na = ms_message_attach_count(m);
    for (size_t i = 0; i < na; i++) {
        uint32_t num;
        const ms_propval_t *v;
        size_t n;
        int hidden;
        if (ms_message_attach_num(m, i, &num) != MS_OK || ms_message_get_attach(m, num, &v, &n) != MS_OK)
            continue;
        GMimeObject *p = attachment_part(m, num, v, n, depth, &hidden);
        if (!p)
            continue;
        if (hidden && htmlpart) {
            if (!related) {
                related = g_mime_multipart_new_with_subtype("related");
                g_mime_multipart_add(related, htmlpart);
                g_object_unref(htmlpart);
            }
            g_mime_multipart_add(related, p);
        } else {
            if (!mixed)
                mixed = g_mime_multipart_new_with_subtype("mixed");
            g_mime_multipart_add(mixed, p);
        }
        g_object_unref(p);
    }
    GMimeObject *htmlblock = related ? GMIME_OBJECT(related) : htmlpart;
    GMimeObject *body;
    if (plain && htmlblock) {
        GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
        GMimeObject *tp = text_part("plain", plain);
        g_mime_multipart_add(alt, tp);
        g_mime_multipart_add(alt, htmlblock);
        g_object_unref(tp);
        g_object_unref(htmlblock);
        body = GMIME_OBJECT(alt);
    } else if (htmlblock) {
        body = htmlblock;
    } else {
        body = text_part("plain", plain ? plain : "");
    }
    if (mixed) {
        /* body first, then the attachments */
        GMimeMultipart *outer = g_mime_multipart_new_with_subtype("mixed");
        g_mime_multipart_add(outer, body);
        g_object_unref(body);
        int n = g_mime_multipart_get_count(mixed);
        for (int i = 0; i < n; i++)
            g_mime_multipart_add(outer, g_mime_multipart_get_part(mixed, i));
        g_object_unref(mixed);
        body = GMIME_OBJECT(outer);
    }
    g_mime_message_set_mime_part(msg, body);
    g_object_unref(body);
    return msg;
}

ms_err_t ms_export_mime(ms_txn_t *txn, ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid, char **out,
                        size_t *len)
{
    if (!mbx || !out || !len)
        return ms__err(MS_E_INVALID_PARAM, "export: NULL argument");
    *out = NULL;
    *len = 0;
    ms_message_t *m;
    ms_err_t rc = ms_message_open(txn, mbx, fid, mid, &m);
    if (rc != MS_OK)
        return rc;
    ms__gmime_init();
    GMimeMessage *msg = build(m, 0);
    ms_message_free(m);
    GMimeFormatOptions *fo = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
    char *s = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
    g_mime_format_options_free(fo);
    g_object_unref(msg);
    if (!s)
        return ms__err(MS_E_FAIL, "could not serialise the message");
    *len = strlen(s);
    *out = malloc(*len + 1);
    if (*out)
        memcpy(*out, s, *len + 1);
    g_free(s);
    return *out ? MS_OK : MS_E_NOMEM;
}
