/*
 * Wire tests of the message, attachment and stream ROPs ([MS-OXCMSG],
 * [MS-OXCPRPT] streams) through Apache, in the order Outlook uses them:
 * read a delivered message with a body and an attachment through streams,
 * write a draft over several Executes and read it back, then the spec's
 * error cases.
 */
#include "tap.h"
#include "ropcli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PR_SUBJECT_W 0x0037001Fu
#define PR_SUBJECT_A 0x0037001Eu
#define PR_SUBJECT_PREFIX_W 0x003D001Fu
#define PR_MESSAGE_CLASS_U 0x001A0000u
#define PR_MESSAGE_CLASS_W 0x001A001Fu
#define PR_BODY_W 0x1000001Fu
#define PR_HTML 0x10130102u
#define PR_IMPORTANCE 0x00170003u
#define PR_MID 0x674A0014u
#define PR_HASATTACH 0x0E1B000Bu
#define PR_MESSAGE_FLAGS 0x0E070003u
#define PR_ENTRYID 0x0FFF0102u
#define PR_ACCESS_LEVEL 0x0FF70003u
#define PR_ATTACH_DATA_BIN 0x37010102u
#define PR_ATTACH_LONG_FILENAME_W 0x3707001Fu
#define PR_ATTACH_METHOD 0x37050003u
#define PR_DISPLAY_TYPE 0x39000003u
#define PR_SMTP_ADDRESS_W 0x39FE001Fu
#define PR_IPM_DRAFTS_ENTRYID 0x36D70102u
#define INBOX_IDX 4

static char body_text[24000];
static uint8_t attach_data[3000];
static uint64_t inbox_mid;

/* ---- helpers ---- */

static int exec_n(ropcli_t *rc, mapi_rop_req_t *req, size_t n, mapi_rop_resp_t *resp)
{
    size_t got = 0;
    return ropcli_exec(rc, req, n, NULL, resp, &got) == 0 ? (int)got : -1;
}

static uint32_t exec1(ropcli_t *rc, mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return exec_n(rc, req, 1, resp) == 1 ? resp->ret : 0xFFFFFFFFu;
}

static void rq(mapi_rop_req_t *r, uint8_t rop, uint8_t in, uint8_t out)
{
    memset(r, 0, sizeof(*r));
    r->rop_id = rop;
    r->in_idx = in;
    r->out_idx = out;
}

static const mapi_propval_t *find(const mapi_propval_t *v, size_t n, uint32_t tag)
{
    return mapi_propval_find(v, n, tag);
}

/* GetPropertiesSpecific: the row values (arena), NULL on failure. */
static mapi_propval_t *get_props(ropcli_t *rc, uint8_t idx, const uint32_t *tags, uint32_t n, uint32_t *ec)
{
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    rq(&r, ROP_GET_PROPERTIES_SPECIFIC, idx, 0);
    r.u.get_props_specific.want_unicode = 1;
    r.u.get_props_specific.tags.count = n;
    r.u.get_props_specific.tags.tags = (uint32_t *)tags;
    *ec = exec1(rc, &r, &resp);
    return *ec == 0 ? resp.u.get_props_specific.row.vals : NULL;
}

/* The folder id in a folder entry id ([MS-OXCDATA] 2.2.4.1): REPLID 1 and
 * the GLOBCNT at offset 38. */
static uint64_t fid_from_entryid(const mapi_bin_t *b)
{
    uint64_t id = 1;
    int i;
    if (b->len != 46)
        return 0;
    for (i = 0; i < 6; i++)
        id |= (uint64_t)b->data[38 + i] << (16 + 8 * i);
    return id;
}

static char *utf16_to_utf8(const uint8_t *p, size_t len)
{
    return mapi_utf16le_to_utf8(p, len / 2);
}

/* Reads a stream to its end in chunks of `chunk`; returns malloc'd bytes. */
static uint8_t *read_all(ropcli_t *rc, uint8_t idx, uint16_t chunk, size_t *len, int *calls)
{
    uint8_t *buf = NULL;
    *len = 0;
    *calls = 0;
    for (;;) {
        mapi_rop_req_t r;
        mapi_rop_resp_t resp;
        uint8_t *nb;
        rq(&r, ROP_READ_STREAM, idx, 0);
        r.u.read_stream.byte_count = chunk;
        if (exec1(rc, &r, &resp) != 0 || (*calls)++ > 1000)
            break;
        if (resp.u.read_stream.data.len == 0)
            return buf ? buf : calloc(1, 1);
        nb = realloc(buf, *len + resp.u.read_stream.data.len);
        if (!nb)
            break;
        buf = nb;
        memcpy(buf + *len, resp.u.read_stream.data.data, resp.u.read_stream.data.len);
        *len += resp.u.read_stream.data.len;
    }
    free(buf);
    return NULL;
}

/* What Outlook relies on for every message (OUTLOOK-NOTES: identifiers
 * and change tracking): 22-byte source and change keys, a PCL holding the
 * change key, record/instance keys, the parent entry id, the last
 * modification time and the size. Returns the change key (arena). */
static mapi_bin_t check_identity(ropcli_t *rc, uint8_t idx, const char *what)
{
    uint32_t tags[] = {0x65E00102u, 0x65E20102u, 0x65E30102u, 0x0FF90102u, 0x0FF60102u, 0x0E090102u, 0x30080040u,
                       0x0E080003u};
    uint32_t ec;
    mapi_bin_t none = {0, NULL};
    mapi_propval_t *v = get_props(rc, idx, tags, 8, &ec);
    if (!ok(v != NULL, "%s: identity properties", what))
        return none;
    ok(v[0].tag == tags[0] && v[0].v.bin.len == 22, "%s: PidTagSourceKey is 22 bytes", what);
    ok(v[1].tag == tags[1] && v[1].v.bin.len == 22, "%s: PidTagChangeKey is 22 bytes", what);
    ok(v[2].tag == tags[2] && v[1].tag == tags[1] && v[2].v.bin.len >= 23 && v[2].v.bin.data[0] == 22 &&
           memcmp(v[2].v.bin.data + 1, v[1].v.bin.data, 22) == 0,
       "%s: the PCL holds the change key", what);
    ok(v[3].tag == tags[3] && v[3].v.bin.len > 0, "%s: PidTagRecordKey", what);
    ok(v[4].tag == tags[4] && v[4].v.bin.len > 0, "%s: PidTagInstanceKey", what);
    ok(v[5].tag == tags[5] && v[5].v.bin.len == 46, "%s: PidTagParentEntryId is a folder entry id", what);
    ok(v[6].tag == tags[6] && v[6].v.time > 0x01D0000000000000ULL, "%s: PidTagLastModificationTime", what);
    ok(v[7].tag == tags[7] && v[7].v.i32 > 0, "%s: PidTagMessageSize (%d)", what, v[7].v.i32);
    return v[1].v.bin;
}

/* ---- the delivered message ---- */

static void make_content(void)
{
    size_t i, off = 0;
    for (i = 0; off + 80 < sizeof(body_text) - 100 && i < 300; i++)
        off += (size_t)snprintf(body_text + off, sizeof(body_text) - off,
                                "Line %03zu of the quarterly report: caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9.\r\n", i);
    snprintf(body_text + off, sizeof(body_text) - off, "Regards, Bob");
    for (i = 0; i < sizeof(attach_data); i++)
        attach_data[i] = (uint8_t)((i * 7 + 3) ^ (i >> 5));
}

static void b64(FILE *f, const uint8_t *p, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, col = 0;
    for (i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        fputc(t[v >> 18], f);
        fputc(t[(v >> 12) & 63], f);
        fputc(i + 1 < n ? t[(v >> 6) & 63] : '=', f);
        fputc(i + 2 < n ? t[v & 63] : '=', f);
        if ((col += 4) >= 76) {
            fputs("\r\n", f);
            col = 0;
        }
    }
    fputs("\r\n", f);
}

/* Puts a message into alice's Inbox with the store CLI; its MID. */
static uint64_t import_message(void)
{
    char path[256], cmd[1024], line[512];
    const char *bd = getenv("MH_BUILDDIR"), *st = getenv("MH_STORE"), *mbx = getenv("MH_MAILBOX_alice");
    const char *au = getenv("MH_APACHE_USER");
    FILE *f;
    uint64_t mid = 0;
    if (!bd || !st || !mbx)
        return 0;
    snprintf(path, sizeof(path), "%s/rop-message-%ld.eml", getenv("MH_SCRATCH") ? getenv("MH_SCRATCH") : "/tmp",
             (long)getpid());
    if (!(f = fopen(path, "w")))
        return 0;
    fprintf(f, "From: Bob Builder <bob@example.test>\r\nTo: Alice Archer <alice@example.test>\r\n"
               "Subject: RE: Quarterly report\r\nMessage-ID: <rop-message-%ld@example.test>\r\n"
               "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
               "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n--b1\r\n"
               "Content-Type: application/octet-stream; name=\"figures.bin\"\r\n"
               "Content-Disposition: attachment; filename=\"figures.bin\"\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n",
            (long)getpid(), body_text);
    b64(f, attach_data, sizeof(attach_data));
    fputs("--b1--\r\n", f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "'%s/store/mapistore' -r '%s' import '%s' --folder Inbox '%s' 2>&1", bd, st, mbx, path);
    if (!(f = popen(cmd, "r")))
        return 0;
    while (fgets(line, sizeof(line), f)) {
        unsigned long long v;
        if (sscanf(line, "committed %*u %llx", &v) == 1)
            mid = v;
    }
    pclose(f);
    unlink(path);
    if (au && *au && geteuid() == 0) {
        snprintf(cmd, sizeof(cmd), "chown -R '%s' '%s'", au, st);
        if (system(cmd) != 0)
            diag("chown of the store failed");
    }
    return mid;
}

static void test_read_message(ropcli_t *rc, const uint64_t *fids)
{
    mapi_rop_req_t r[4];
    mapi_rop_resp_t resp[4];
    uint32_t ec;
    uint8_t folder_idx = 1;

    /* OpenFolder(Inbox), then OpenMessage in it */
    rq(&r[0], ROP_OPEN_FOLDER, 0, 1);
    r[0].u.open_folder.folder_id = fids[INBOX_IDX];
    if (exec1(rc, &r[0], resp) != 0) {
        diag("OpenFolder failed (0x%08X): opening messages through the logon object", resp[0].ret);
        folder_idx = 0;
    }
    rq(&r[0], ROP_OPEN_MESSAGE, folder_idx, 2);
    r[0].u.open_message.code_page = 0x0FFF;
    r[0].u.open_message.folder_id = fids[INBOX_IDX];
    r[0].u.open_message.message_id = inbox_mid;
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "OpenMessage of the delivered message");
    if (ec != 0)
        return;
    {
        mapi_rop_message_info_t *mi = &resp[0].u.open_message;
        mapi_recipient_t rr;
        ok(mi->normalized_subject.str && strcmp(mi->normalized_subject.str, "Quarterly report") == 0,
           "NormalizedSubject is 'Quarterly report' (%s)", mi->normalized_subject.str ? mi->normalized_subject.str : "-");
        ok(mi->subject_prefix.str && strcmp(mi->subject_prefix.str, "RE: ") == 0, "SubjectPrefix 'RE: '");
        is_int(mi->recipient_count, 1, "RecipientCount 1");
        is_int(mi->row_count, 1, "one recipient row in the answer");
        memset(&rr, 0, sizeof(rr));
        ok(mi->row_count == 1 && mapi_recipient_row_decode(&mi->rows[0].row, &rc->arena, &mi->columns, &rr) == 0,
           "the RecipientRow decodes with the RecipientColumns");
        ok(rr.display_name && strcmp(rr.display_name, "Alice Archer") == 0, "recipient display name");
        ok(rr.email && strcmp(rr.email, "alice@example.test") == 0, "recipient address");
        is_int(rr.flags & MAPI_RECIP_TYPE_MASK, MAPI_RECIP_TYPE_SMTP, "recipient type SMTP");
        is_int(mi->rows[0].recipient_type, 1, "RecipientType To");
    }

    check_identity(rc, 2, "delivered message");

    /* GetPropertiesAll with Unicode strings */
    rq(&r[0], ROP_GET_PROPERTIES_ALL, 2, 0);
    r[0].u.get_props_all.want_unicode = 1;
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "GetPropertiesAll");
    if (ec == 0) {
        const mapi_propval_t *v = resp[0].u.get_props_all.props.vals;
        size_t n = resp[0].u.get_props_all.props.count, i;
        int empty_mv = 0, errors = 0;
        const mapi_propval_t *p = find(v, n, PR_SUBJECT_W);
        ok(p && strcmp(p->v.str, "RE: Quarterly report") == 0, "PR_SUBJECT among them, Unicode");
        p = find(v, n, PR_MID);
        ok(p && (uint64_t)p->v.i64 == inbox_mid, "PR_MID is the message id");
        p = find(v, n, PR_HASATTACH);
        ok(p && p->v.b, "PR_HASATTACH true");
        for (i = 0; i < n; i++) {
            if ((v[i].tag & MAPI_PT_MV_FLAG) && v[i].v.mv.count == 0)
                empty_mv++;
            if (MAPI_PROP_TYPE(v[i].tag) == MAPI_PT_STRING8)
                errors++;
        }
        is_int(empty_mv, 0, "no empty multi-valued properties");
        is_int(errors, 0, "no String8 values when Unicode was asked for");
    }

    /* GetPropertiesSpecific: types per request, per-value errors */
    {
        uint32_t tags[] = {PR_SUBJECT_W, PR_SUBJECT_A, PR_MESSAGE_CLASS_U, 0x6666001Fu, 0x00370003u, PR_ENTRYID,
                           PR_ACCESS_LEVEL};
        mapi_propval_t *v = get_props(rc, 2, tags, 7, &ec);
        is_int(ec, 0, "GetPropertiesSpecific with good, missing and mistyped tags succeeds as a whole");
        if (v) {
            ok(v[0].tag == PR_SUBJECT_W && strcmp(v[0].v.str, "RE: Quarterly report") == 0, "Unicode subject");
            ok(v[1].tag == PR_SUBJECT_A && strcmp(v[1].v.str, "RE: Quarterly report") == 0,
               "String8 subject in the code page");
            ok(v[2].tag == PR_MESSAGE_CLASS_W && strcmp(v[2].v.str, "IPM.Note") == 0,
               "PT_UNSPECIFIED gets the stored type (0x%08X)", v[2].tag);
            ok(v[3].tag == 0x6666000Au && v[3].v.err == MAPI_EC_NOT_FOUND, "a missing property: ecNotFound in the row");
            ok(v[4].tag == 0x0037000Au && v[4].v.err == MAPI_EC_NOT_FOUND, "a mistyped request: ecNotFound in the row");
            ok(v[5].tag == PR_ENTRYID && v[5].v.bin.len == 70, "a 70-byte message entry id");
            ok(v[6].tag == PR_ACCESS_LEVEL && v[6].v.i32 == 0, "PidTagAccessLevel read-only");
        }
    }

    {
        uint32_t tags[] = {PR_BODY_W, PR_SUBJECT_W};
        mapi_propval_t *v = get_props(rc, 2, tags, 2, &ec);
        ok(v && v[0].tag == 0x1000000Au && v[0].v.err == MAPI_EC_OUT_OF_MEMORY,
           "a 34 KB body in GetPropertiesSpecific: NotEnoughMemory, read it through a stream");
        ok(v && v[1].tag == PR_SUBJECT_W, "the other values still come");
    }

    /* the body through a stream, read in 4 KB pieces */
    rq(&r[0], ROP_OPEN_STREAM, 2, 3);
    r[0].u.open_stream.tag = PR_BODY_W;
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "OpenStream(PR_BODY_W) read-only");
    if (ec == 0) {
        size_t len;
        int calls;
        uint32_t size = resp[0].u.stream_size.size;
        uint8_t *b = read_all(rc, 3, 4096, &len, &calls);
        char *txt = b ? utf16_to_utf8(b, len) : NULL;
        ok(b != NULL, "ReadStream to the end (%d calls)", calls);
        is_int(len, size, "the bytes read are StreamSize");
        ok(calls > 2, "it took several ReadStream calls");
        ok(txt && strcmp(txt, body_text) == 0, "the body's bytes are the message's text (UTF-16LE)");
        free(txt);
        free(b);
        rq(&r[0], ROP_SEEK_STREAM, 3, 0);
        r[0].u.seek_stream.origin = 0;
        r[0].u.seek_stream.offset = 10;
        rq(&r[1], ROP_READ_STREAM, 3, 0);
        r[1].u.read_stream.byte_count = 8;
        rq(&r[2], ROP_GET_STREAM_SIZE, 3, 0);
        ok(exec_n(rc, r, 3, resp) == 3 && resp[0].ret == 0 && resp[0].u.seek_stream.position == 10,
           "SeekStream to 10");
        ok(resp[1].ret == 0 && resp[1].u.read_stream.data.len == 8, "ReadStream after the seek");
        {
            mapi_wr_t w;
            mapi_wr_init(&w, 0);
            mapi_wr_utf16z_from_utf8(&w, body_text);
            ok(resp[1].u.read_stream.data.len == 8 && memcmp(resp[1].u.read_stream.data.data, w.p + 10, 8) == 0,
               "reads the bytes at that offset");
            is_int(resp[2].u.stream_size.size, w.len - 2, "GetStreamSize");
            mapi_wr_free(&w);
        }
        /* errors on a read-only stream */
        rq(&r[0], ROP_WRITE_STREAM, 3, 0);
        r[0].u.write_stream.data.data = (uint8_t *)"xx";
        r[0].u.write_stream.data.len = 2;
        is_int(exec1(rc, &r[0], resp), 0x80030005u, "WriteStream on a read-only stream: StreamAccessDenied");
        rq(&r[0], ROP_SEEK_STREAM, 3, 0);
        r[0].u.seek_stream.origin = 1;
        r[0].u.seek_stream.offset = (int64_t)1 << 31;
        is_int(exec1(rc, &r[0], resp), 0x80030019u, "SeekStream past 2^31: StreamSeekError");
        rq(&r[0], ROP_SEEK_STREAM, 3, 0);
        r[0].u.seek_stream.origin = 0;
        r[0].u.seek_stream.offset = -5;
        is_int(exec1(rc, &r[0], resp), 0x80030019u, "SeekStream before the start: StreamSeekError");
    }

    /* the attachment table as Outlook reads it: GetAttachmentTable,
     * SetColumns, QueryRows (served by the table ROPs over our rows) */
    {
        uint32_t ctags[] = {0x0E210003u, PR_ATTACH_LONG_FILENAME_W, 0x0E200003u, PR_ATTACH_METHOD};
        mapi_tagarray_t cols = {4, ctags};
        const mapi_tagarray_t *colv[3] = {NULL, NULL, &cols};
        size_t got = 0;
        rq(&r[0], ROP_GET_ATTACHMENT_TABLE, 2, 6);
        r[0].u.table.table_flags = 0x40; /* Unicode */
        rq(&r[1], ROP_SET_COLUMNS, 6, 0);
        r[1].u.set_columns.tags = cols;
        rq(&r[2], ROP_QUERY_ROWS, 6, 0);
        r[2].u.query_rows.forward = 1;
        r[2].u.query_rows.count = 10;
        ok(ropcli_exec(rc, r, 3, colv, resp, &got) == 0 && got == 3 && resp[0].ret == 0 && resp[1].ret == 0 &&
               resp[2].ret == 0,
           "GetAttachmentTable, SetColumns, QueryRows");
        ok(got == 3 && resp[2].u.query_rows.count == 1, "one attachment row");
        if (got == 3 && resp[2].u.query_rows.count == 1) {
            const mapi_propval_t *v = resp[2].u.query_rows.rows.vals;
            ok(v[1].tag == PR_ATTACH_LONG_FILENAME_W && strcmp(v[1].v.str, "figures.bin") == 0 &&
                   v[3].tag == PR_ATTACH_METHOD && v[3].v.i32 == 1,
               "its number, file name and method");
        }
        rq(&r[0], ROP_RELEASE, 6, 0);
        exec_n(rc, r, 1, resp);
    }

    /* the attachment */
    rq(&r[0], ROP_GET_VALID_ATTACHMENTS, 2, 0);
    ec = exec1(rc, &r[0], resp);
    ok(ec == 0 && resp[0].u.valid_attachments.count == 1, "GetValidAttachments: one attachment");
    if (ec == 0 && resp[0].u.valid_attachments.count == 1) {
        uint32_t id = resp[0].u.valid_attachments.ids[0];
        uint32_t tags[] = {PR_ATTACH_LONG_FILENAME_W, PR_ATTACH_METHOD, 0x0E200003u, 0x0FF90102u};
        mapi_propval_t *v;
        rq(&r[0], ROP_OPEN_ATTACHMENT, 2, 4);
        r[0].u.open_attachment.attach_id = id;
        is_int(exec1(rc, &r[0], resp), 0, "OpenAttachment");
        v = get_props(rc, 4, tags, 4, &ec);
        ok(v && v[2].tag == 0x0E200003u && v[2].v.i32 >= (int32_t)sizeof(attach_data), "PidTagAttachSize (%d)",
           v ? v[2].v.i32 : 0);
        ok(v && v[3].tag == 0x0FF90102u && v[3].v.bin.len > 0, "the attachment's PidTagRecordKey");
        ok(v && v[0].tag == PR_ATTACH_LONG_FILENAME_W && strcmp(v[0].v.str, "figures.bin") == 0,
           "the attachment's file name");
        ok(v && v[1].tag == PR_ATTACH_METHOD && v[1].v.i32 == 1, "attached by value");
        rq(&r[0], ROP_OPEN_STREAM, 4, 5);
        r[0].u.open_stream.tag = PR_ATTACH_DATA_BIN;
        ec = exec1(rc, &r[0], resp);
        is_int(ec, 0, "OpenStream(PR_ATTACH_DATA_BIN)");
        if (ec == 0) {
            size_t len;
            int calls;
            uint8_t *b = read_all(rc, 5, 1000, &len, &calls);
            is_mem(b, len, attach_data, sizeof(attach_data), "the attachment's bytes");
            free(b);
        }
        rq(&r[0], ROP_OPEN_ATTACHMENT, 2, 6);
        r[0].u.open_attachment.attach_id = id + 100;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_FOUND, "OpenAttachment of a missing number: ecNotFound");
        rq(&r[0], ROP_OPEN_ATTACHMENT, 2, 6);
        r[0].u.open_attachment.attach_id = id;
        r[0].u.open_attachment.flags = 1;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED,
               "OpenAttachment read/write on a read-only message: ecAccessDenied");
    }

    /* errors */
    {
        mapi_propval_t pv;
        pv.tag = PR_IMPORTANCE;
        pv.v.i32 = 2;
        rq(&r[0], ROP_SET_PROPERTIES, 2, 0);
        r[0].u.set_props.props.count = 1;
        r[0].u.set_props.props.vals = &pv;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "SetProperties on a read-only message: ecAccessDenied");
        rq(&r[0], ROP_OPEN_STREAM, 2, 6);
        r[0].u.open_stream.tag = PR_HTML;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_FOUND, "OpenStream read-only of a missing property: ecNotFound");
        rq(&r[0], ROP_OPEN_STREAM, 2, 6);
        r[0].u.open_stream.tag = PR_HTML;
        r[0].u.open_stream.open_mode = 1;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "OpenStream read/write on a read-only message");
        rq(&r[0], ROP_OPEN_STREAM, 2, 6);
        r[0].u.open_stream.tag = PR_IMPORTANCE;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "OpenStream on a PtypInteger32: ecNotSupported");
        rq(&r[0], ROP_OPEN_MESSAGE, folder_idx, 6);
        r[0].u.open_message.folder_id = fids[INBOX_IDX];
        r[0].u.open_message.message_id = inbox_mid + ((uint64_t)0x7777 << 40);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_FOUND, "OpenMessage of a missing message: ecNotFound");
        rq(&r[0], ROP_SAVE_CHANGES_MESSAGE, 3, 3); /* a stream handle */
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "SaveChangesMessage on a stream: ecNotSupported");
        rq(&r[0], ROP_READ_STREAM, 2, 0); /* a message handle */
        r[0].u.read_stream.byte_count = 4;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "ReadStream on a message: ecNotSupported");
        rq(&r[0], ROP_READ_RECIPIENTS, 2, 0);
        r[0].u.read_recipients.row_id = 50;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_FOUND, "ReadRecipients past the last row: ecNotFound");
        rq(&r[0], ROP_READ_RECIPIENTS, 9, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NULL_OBJECT, "a ROP on an empty handle slot: ecNullObject");
        rq(&r[0], ROP_MODIFY_RECIPIENTS, 2, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "ModifyRecipients on a read-only message: ecAccessDenied");
        rq(&r[0], ROP_REMOVE_ALL_RECIPIENTS, 2, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "RemoveAllRecipients on it: ecAccessDenied");
        rq(&r[0], ROP_CREATE_ATTACHMENT, 2, 6);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "CreateAttachment on it: ecAccessDenied");
        rq(&r[0], ROP_SAVE_CHANGES_MESSAGE, 2, 2);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "SaveChangesMessage on it: ecAccessDenied");
        rq(&r[0], ROP_SAVE_CHANGES_ATTACHMENT, 4, 4);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "SaveChangesAttachment on a read-only attachment");
        rq(&r[0], ROP_OPEN_EMBEDDED_MESSAGE, 4, 6);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_FOUND, "OpenEmbeddedMessage of a by-value attachment: ecNotFound");
        rq(&r[0], ROP_OPEN_EMBEDDED_MESSAGE, 4, 6);
        r[0].u.open_embedded.open_mode = 2;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "creating one in a read-only attachment: ecAccessDenied");
        rq(&r[0], ROP_GET_VALID_ATTACHMENTS, 0, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "GetValidAttachments on the logon object: ecNotSupported");
        rq(&r[0], ROP_OPEN_ATTACHMENT, 4, 6);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "OpenAttachment on an attachment: ecNotSupported");
        rq(&r[0], ROP_SET_READ_FLAGS, 2, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "SetReadFlags on a message: ecNotSupported");
        rq(&r[0], ROP_SET_MESSAGE_READ_FLAG, 0, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "SetMessageReadFlag on the logon object: ecNotSupported");
        rq(&r[0], ROP_COPY_TO, 2, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "CopyTo from a message to the logon object: ecNotSupported");
    }

    /* read flag: a delivered message is unread; read it, then clear it */
    rq(&r[0], ROP_SET_MESSAGE_READ_FLAG, 2, 2);
    r[0].u.set_message_read_flag.read_flags = 0x00; /* rfDefault: read */
    ec = exec1(rc, &r[0], resp);
    ok(ec == 0 && resp[0].u.set_message_read_flag.changed, "SetMessageReadFlag(read): ReadStatusChanged");
    rq(&r[0], ROP_SET_MESSAGE_READ_FLAG, 2, 2);
    ec = exec1(rc, &r[0], resp);
    ok(ec == 0 && !resp[0].u.set_message_read_flag.changed, "reading it again changes nothing");
    rq(&r[0], ROP_SET_MESSAGE_READ_FLAG, 2, 2);
    r[0].u.set_message_read_flag.read_flags = 0x04; /* rfClearReadFlag */
    ec = exec1(rc, &r[0], resp);
    ok(ec == 0 && resp[0].u.set_message_read_flag.changed, "SetMessageReadFlag(clear) changes it back");
    {
        uint32_t tags[] = {PR_MESSAGE_FLAGS};
        mapi_propval_t *v = get_props(rc, 2, tags, 1, &ec);
        ok(v && !(v[0].v.i32 & 1), "PR_MESSAGE_FLAGS lost mfRead");
    }
    if (folder_idx == 1) {
        uint64_t mid = inbox_mid;
        rq(&r[0], ROP_SET_READ_FLAGS, 1, 0);
        r[0].u.set_read_flags.count = 1;
        r[0].u.set_read_flags.mids = &mid;
        ec = exec1(rc, &r[0], resp);
        ok(ec == 0 && resp[0].u.partial.partial == 0, "SetReadFlags on the folder marks it read again");
        rq(&r[0], ROP_GET_MESSAGE_STATUS, 1, 0);
        r[0].u.id.id = mid;
        ok(exec1(rc, &r[0], resp) == 0 && resp[0].u.message_status.flags == 0, "GetMessageStatus: 0");
        rq(&r[0], ROP_SET_MESSAGE_STATUS, 1, 0);
        r[0].u.set_message_status.message_id = mid;
        r[0].u.set_message_status.flags = 0x00001000; /* msRemoteDownload */
        r[0].u.set_message_status.mask = 0x00001000;
        ok(exec1(rc, &r[0], resp) == 0 && resp[0].u.message_status.flags == 0, "SetMessageStatus answers the old status");
        rq(&r[0], ROP_GET_MESSAGE_STATUS, 1, 0);
        r[0].u.id.id = mid;
        ok(exec1(rc, &r[0], resp) == 0 && resp[0].u.message_status.flags == 0x1000, "and the new one sticks");
    }
    for (ec = 1; ec <= 6; ec++) {
        rq(&r[0], ROP_RELEASE, (uint8_t)ec, 0);
        exec_n(rc, r, 1, resp);
    }
}

/* ---- a draft, over several Executes ---- */

static uint64_t drafts_fid(ropcli_t *rc, const uint64_t *fids)
{
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    uint32_t tags[] = {PR_IPM_DRAFTS_ENTRYID}, ec;
    mapi_propval_t *v;
    uint64_t fid = 0;
    rq(&r, ROP_OPEN_FOLDER, 0, 1);
    r.u.open_folder.folder_id = fids[0]; /* the root holds PidTagIpmDraftsEntryId ([MS-OXOSFLD] 2.2.4) */
    if (exec1(rc, &r, &resp) != 0)
        return 0;
    v = get_props(rc, 1, tags, 1, &ec);
    if (v && v[0].tag == PR_IPM_DRAFTS_ENTRYID)
        fid = fid_from_entryid(&v[0].v.bin);
    rq(&r, ROP_RELEASE, 1, 0);
    exec_n(rc, &r, 1, &resp);
    return fid;
}

static mapi_bin_t recipient_row(mapi_arena_t *a, const mapi_tagarray_t *cols, const char *name, const char *addr,
                                int32_t dtype)
{
    mapi_recipient_t r;
    mapi_propval_t vals[2];
    mapi_wr_t w;
    mapi_bin_t out;
    memset(&r, 0, sizeof(r));
    r.flags = MAPI_RECIP_TYPE_SMTP | MAPI_RECIP_EMAIL | MAPI_RECIP_DISPLAY | MAPI_RECIP_UNICODE;
    r.email = (char *)addr;
    r.display_name = (char *)name;
    vals[0].tag = PR_SMTP_ADDRESS_W;
    vals[0].v.str = (char *)addr;
    vals[1].tag = PR_DISPLAY_TYPE;
    vals[1].v.i32 = dtype;
    r.ncols = 2;
    r.vals = vals;
    mapi_wr_init(&w, 0);
    mapi_recipient_row_encode(&w, cols, &r);
    out.len = (uint32_t)w.len;
    out.data = mapi_arena_memdup(a, w.p, w.len);
    mapi_wr_free(&w);
    return out;
}

static const char html_part1[] = "<html><body><p>Draft body, part one.</p>";
static const char html_part2[] = "<p>Part two.</p></body></html>";

static void test_draft(ropcli_t *rc, const uint64_t *fids)
{
    mapi_rop_req_t r[4];
    mapi_rop_resp_t resp[4];
    mapi_propval_t pv[5];
    uint32_t ec, cols_tags[] = {PR_SMTP_ADDRESS_W, PR_DISPLAY_TYPE};
    mapi_tagarray_t cols = {2, cols_tags};
    mapi_recipient_row_t rows[2];
    uint64_t drafts = drafts_fid(rc, fids), mid = 0;
    uint32_t attach_id = 0;

    ok(drafts != 0, "the root folder gives PidTagIpmDraftsEntryId");
    if (!drafts)
        return;
    /* Execute 1: CreateMessage + SetProperties */
    rq(&r[0], ROP_CREATE_MESSAGE, 0, 1);
    r[0].u.create_message.code_page = 0x0FFF;
    r[0].u.create_message.folder_id = drafts;
    rq(&r[1], ROP_SET_PROPERTIES, 1, 0);
    pv[0].tag = PR_SUBJECT_W;
    pv[0].v.str = "Draft: budget \xe2\x82\xac 2027";
    pv[1].tag = PR_IMPORTANCE;
    pv[1].v.i32 = 2;
    pv[2].tag = PR_BODY_W;
    pv[2].v.str = "Plain body of the draft.";
    pv[3].tag = PR_ENTRYID; /* computed: a problem, not a failure */
    pv[3].v.bin.len = 4;
    pv[3].v.bin.data = (uint8_t *)"abcd";
    r[1].u.set_props.props.count = 4;
    r[1].u.set_props.props.vals = pv;
    ok(exec_n(rc, r, 2, resp) == 2, "CreateMessage + SetProperties in one Execute");
    is_int(resp[0].ret, 0, "CreateMessage in Drafts");
    is_int(resp[0].u.create_message.has_mid, 0, "no MID before the first save");
    is_int(resp[1].ret, 0, "SetProperties");
    ok(resp[1].u.problems.problems.count == 1 && resp[1].u.problems.problems.probs[0].index == 3 &&
           resp[1].u.problems.problems.probs[0].tag == PR_ENTRYID,
       "the computed PR_ENTRYID comes back as a property problem");

    /* Execute 2: recipients */
    rq(&r[0], ROP_MODIFY_RECIPIENTS, 1, 0);
    r[0].u.modify_recipients.columns = cols;
    memset(rows, 0, sizeof(rows));
    rows[0].row_id = 0;
    rows[0].recipient_type = 1;
    rows[0].row = recipient_row(&rc->arena, &cols, "Carol Cooper", "carol@example.test", 0);
    rows[1].row_id = 1;
    rows[1].recipient_type = 2;
    rows[1].row = recipient_row(&rc->arena, &cols, "Dave Dunn", "dave@example.test", 6);
    r[0].u.modify_recipients.count = 2;
    r[0].u.modify_recipients.rows = rows;
    is_int(exec1(rc, &r[0], resp), 0, "ModifyRecipients: To and Cc");

    /* Execute 3: an attachment, saved into the message */
    rq(&r[0], ROP_CREATE_ATTACHMENT, 1, 2);
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "CreateAttachment");
    attach_id = resp[0].u.create_attachment.attach_id;
    rq(&r[0], ROP_SET_PROPERTIES, 2, 0);
    pv[0].tag = PR_ATTACH_LONG_FILENAME_W;
    pv[0].v.str = "notes.txt";
    pv[1].tag = PR_ATTACH_METHOD;
    pv[1].v.i32 = 1;
    pv[2].tag = PR_ATTACH_DATA_BIN;
    pv[2].v.bin.data = (uint8_t *)"attachment text";
    pv[2].v.bin.len = 15;
    r[0].u.set_props.props.count = 3;
    r[0].u.set_props.props.vals = pv;
    rq(&r[1], ROP_SAVE_CHANGES_ATTACHMENT, 2, 2);
    ok(exec_n(rc, r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].ret == 0,
       "SetProperties + SaveChangesAttachment");

    /* Execute 4 and 5: an HTML body through a created stream */
    rq(&r[0], ROP_OPEN_STREAM, 1, 3);
    r[0].u.open_stream.tag = PR_HTML;
    r[0].u.open_stream.open_mode = 2; /* Create */
    rq(&r[1], ROP_WRITE_STREAM, 3, 0);
    r[1].u.write_stream.data.data = (uint8_t *)html_part1;
    r[1].u.write_stream.data.len = (uint32_t)strlen(html_part1);
    ok(exec_n(rc, r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].ret == 0 &&
           resp[1].u.write_stream.written == strlen(html_part1),
       "OpenStream(PR_HTML, Create) + WriteStream");
    rq(&r[0], ROP_WRITE_STREAM, 3, 0);
    r[0].u.write_stream.data.data = (uint8_t *)html_part2;
    r[0].u.write_stream.data.len = (uint32_t)strlen(html_part2);
    rq(&r[1], ROP_COMMIT_STREAM, 3, 0);
    rq(&r[2], ROP_GET_STREAM_SIZE, 3, 0);
    ok(exec_n(rc, r, 3, resp) == 3 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0,
       "WriteStream + CommitStream in the next Execute");
    is_int(resp[2].u.stream_size.size, strlen(html_part1) + strlen(html_part2), "GetStreamSize counts both writes");

    /* Execute 6: save */
    rq(&r[0], ROP_RELEASE, 3, 0);
    rq(&r[1], ROP_SAVE_CHANGES_MESSAGE, 1, 1);
    r[1].u.save_changes.save_flags = 0x02; /* KeepOpenReadWrite */
    ok(exec_n(rc, r, 2, resp) == 1 && resp[0].ret == 0, "SaveChangesMessage");
    mid = resp[0].u.save_changes_message.message_id;
    ok(mid != 0, "the saved draft has a MID");
    {
        mapi_bin_t ck1 = check_identity(rc, 1, "saved draft"), ck2;
        rq(&r[0], ROP_SAVE_CHANGES_MESSAGE, 1, 1);
        r[0].u.save_changes.save_flags = 0x02;
        is_int(exec1(rc, &r[0], resp), 0, "saving again (no changes)");
        ck2 = check_identity(rc, 1, "saved twice");
        ok(ck1.len == 22 && ck2.len == 22 && memcmp(ck1.data, ck2.data, 22) != 0, "each save makes a new change key");
    }

    /* reopen in another Execute and check every value */
    rq(&r[0], ROP_RELEASE, 1, 0);
    rq(&r[1], ROP_RELEASE, 2, 0);
    rq(&r[2], ROP_OPEN_MESSAGE, 0, 1);
    r[2].u.open_message.code_page = 0x0FFF;
    r[2].u.open_message.folder_id = drafts;
    r[2].u.open_message.message_id = mid;
    ok(exec_n(rc, r, 3, resp) == 1 && resp[0].ret == 0, "OpenMessage of the saved draft");
    is_int(resp[0].u.open_message.recipient_count, 2, "two recipients");
    {
        uint32_t tags[] = {PR_SUBJECT_W, PR_IMPORTANCE, PR_BODY_W, PR_MESSAGE_CLASS_W, PR_HASATTACH, PR_MID,
                           PR_MESSAGE_FLAGS, PR_HTML};
        mapi_propval_t *v = get_props(rc, 1, tags, 8, &ec);
        is_int(ec, 0, "GetPropertiesSpecific on the reopened draft");
        if (v) {
            ok(v[0].tag == PR_SUBJECT_W && strcmp(v[0].v.str, "Draft: budget \xe2\x82\xac 2027") == 0, "subject");
            ok(v[1].tag == PR_IMPORTANCE && v[1].v.i32 == 2, "importance");
            ok(v[2].tag == PR_BODY_W && strcmp(v[2].v.str, "Plain body of the draft.") == 0, "plain body");
            ok(v[3].tag == PR_MESSAGE_CLASS_W && strcmp(v[3].v.str, "IPM.Note") == 0, "CreateMessage's IPM.Note");
            ok(v[4].tag == PR_HASATTACH && v[4].v.b, "PR_HASATTACH");
            ok(v[5].tag == PR_MID && (uint64_t)v[5].v.i64 == mid, "PR_MID");
            ok(v[6].tag == PR_MESSAGE_FLAGS && (v[6].v.i32 & 0x08), "mfUnsent");
            ok(v[7].tag == PR_HTML && v[7].v.bin.len == strlen(html_part1) + strlen(html_part2) &&
                   memcmp(v[7].v.bin.data, html_part1, strlen(html_part1)) == 0 &&
                   memcmp(v[7].v.bin.data + strlen(html_part1), html_part2, strlen(html_part2)) == 0,
               "the HTML body written through the stream");
        }
    }
    rq(&r[0], ROP_READ_RECIPIENTS, 1, 0);
    ec = exec1(rc, &r[0], resp);
    ok(ec == 0 && resp[0].u.read_recipients.count == 2, "ReadRecipients: two rows");
    if (ec == 0 && resp[0].u.read_recipients.count == 2) {
        int good = 0, k;
        for (k = 0; k < 2; k++) {
            mapi_recipient_row_t *row = &resp[0].u.read_recipients.rows[k];
            mapi_recipient_t rr;
            /* the columns are those of OpenMessage's answer; decode with what we sent */
            mapi_rop_req_t o;
            mapi_rop_resp_t oresp;
            rq(&o, ROP_RELOAD_CACHED_INFORMATION, 1, 0);
            if (exec1(rc, &o, &oresp) != 0)
                break;
            memset(&rr, 0, sizeof(rr));
            if (mapi_recipient_row_decode(&row->row, &rc->arena, &oresp.u.open_message.columns, &rr) != 0)
                continue;
            if (row->row_id == 0 && row->recipient_type == 1 && rr.display_name &&
                strcmp(rr.display_name, "Carol Cooper") == 0 && rr.email && strcmp(rr.email, "carol@example.test") == 0)
                good++;
            if (row->row_id == 1 && row->recipient_type == 2 && rr.display_name &&
                strcmp(rr.display_name, "Dave Dunn") == 0)
                good++;
        }
        is_int(good, 2, "both recipients with RowId, type, name and address");
    }
    rq(&r[0], ROP_OPEN_ATTACHMENT, 1, 2);
    r[0].u.open_attachment.attach_id = attach_id;
    rq(&r[1], ROP_OPEN_STREAM, 2, 3);
    r[1].u.open_stream.tag = PR_ATTACH_DATA_BIN;
    rq(&r[2], ROP_READ_STREAM, 3, 0);
    r[2].u.read_stream.byte_count = 100;
    ok(exec_n(rc, r, 3, resp) == 3 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0, "the draft's attachment");
    is_mem(resp[2].u.read_stream.data.data, resp[2].u.read_stream.data.len, "attachment text", 15,
           "its data as written");

    /* conflict: two handles on the draft, both change it */
    rq(&r[0], ROP_OPEN_MESSAGE, 0, 4);
    r[0].u.open_message.folder_id = drafts;
    r[0].u.open_message.message_id = mid;
    r[0].u.open_message.open_mode = 1;
    rq(&r[1], ROP_OPEN_MESSAGE, 0, 5);
    r[1].u.open_message = r[0].u.open_message;
    ok(exec_n(rc, r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].ret == 0, "the draft opened twice read/write");
    pv[0].tag = PR_SUBJECT_W;
    pv[0].v.str = "first writer";
    rq(&r[0], ROP_SET_PROPERTIES, 4, 0);
    r[0].u.set_props.props.count = 1;
    r[0].u.set_props.props.vals = pv;
    rq(&r[1], ROP_SAVE_CHANGES_MESSAGE, 4, 4);
    r[1].u.save_changes.save_flags = 0x02;
    ok(exec_n(rc, r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].ret == 0, "the first handle saves");
    pv[1].tag = PR_SUBJECT_W;
    pv[1].v.str = "second writer";
    rq(&r[0], ROP_SET_PROPERTIES, 5, 0);
    r[0].u.set_props.props.count = 1;
    r[0].u.set_props.props.vals = &pv[1];
    rq(&r[1], ROP_SAVE_CHANGES_MESSAGE, 5, 5);
    r[1].u.save_changes.save_flags = 0x02;
    ok(exec_n(rc, r, 2, resp) == 2, "the second handle tries");
    is_int(resp[1].ret, MAPI_EC_OBJECT_MODIFIED, "and gets ecObjectModified");
    rq(&r[0], ROP_SAVE_CHANGES_MESSAGE, 5, 5);
    r[0].u.save_changes.save_flags = 0x02 | 0x04; /* ForceSave */
    is_int(exec1(rc, &r[0], resp), 0, "ForceSave overrides");
    {
        uint32_t tags[] = {PR_SUBJECT_W};
        mapi_propval_t *v;
        rq(&r[0], ROP_RELEASE, 4, 0);
        rq(&r[1], ROP_OPEN_MESSAGE, 0, 4);
        r[1].u.open_message.folder_id = drafts;
        r[1].u.open_message.message_id = mid;
        exec_n(rc, r, 2, resp);
        v = get_props(rc, 4, tags, 1, &ec);
        ok(v && strcmp(v[0].v.str, "second writer") == 0, "the forced save's subject is stored");
        rq(&r[0], ROP_RELOAD_CACHED_INFORMATION, 4, 0);
        ok(exec1(rc, &r[0], resp) == 0 && resp[0].u.open_message.normalized_subject.str &&
               strcmp(resp[0].u.open_message.normalized_subject.str, "second writer") == 0,
           "the normalized subject follows a changed subject");
    }

    /* RemoveAllRecipients + DeleteAttachment, saved */
    rq(&r[0], ROP_REMOVE_ALL_RECIPIENTS, 5, 0);
    rq(&r[1], ROP_DELETE_ATTACHMENT, 5, 0);
    r[1].u.delete_attachment.attach_id = attach_id;
    rq(&r[2], ROP_SAVE_CHANGES_MESSAGE, 5, 5);
    r[2].u.save_changes.save_flags = 0x02;
    ok(exec_n(rc, r, 3, resp) == 3 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0,
       "RemoveAllRecipients + DeleteAttachment + save");
    rq(&r[0], ROP_RELOAD_CACHED_INFORMATION, 5, 0);
    rq(&r[1], ROP_GET_VALID_ATTACHMENTS, 5, 0);
    ok(exec_n(rc, r, 2, resp) == 2 && resp[0].ret == 0 && resp[0].u.open_message.recipient_count == 0,
       "ReloadCachedInformation: no recipients left");
    ok(resp[1].ret == 0 && resp[1].u.valid_attachments.count == 0, "and no attachments");
    for (ec = 1; ec <= 6; ec++) {
        rq(&r[0], ROP_RELEASE, (uint8_t)ec, 0);
        exec_n(rc, r, 1, resp);
    }
}

/* A large attachment the way Outlook adds one: CreateAttachment, then
 * OpenStream(PR_ATTACH_DATA_BIN, Create) and WriteStream in 30 KB pieces
 * over many Executes (each may run in another process), far past the
 * session's object state budget; saved, reopened and read back. */
static void test_large_attachment(ropcli_t *rc, const uint64_t *fids)
{
    mapi_rop_req_t r[4];
    mapi_rop_resp_t resp[4];
    mapi_propval_t pv;
    uint64_t drafts = drafts_fid(rc, fids), mid;
    size_t total = 700000, off, len;
    uint8_t *data = malloc(total), *back;
    uint32_t att, i;
    int good = 1, calls;
    if (!drafts || !data)
        return;
    for (i = 0; i < total; i++)
        data[i] = (uint8_t)(i * 131 + (i >> 9));
    rq(&r[0], ROP_CREATE_MESSAGE, 0, 1);
    r[0].u.create_message.folder_id = drafts;
    rq(&r[1], ROP_CREATE_ATTACHMENT, 1, 2);
    rq(&r[2], ROP_OPEN_STREAM, 2, 3);
    r[2].u.open_stream.tag = 0x37010102u;
    r[2].u.open_stream.open_mode = 2;
    ok(exec_n(rc, r, 3, resp) == 3 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0,
       "CreateMessage, CreateAttachment, OpenStream(PR_ATTACH_DATA_BIN, Create)");
    att = resp[1].u.create_attachment.attach_id;
    for (off = 0; off < total; off += 30000) {
        rq(&r[0], ROP_WRITE_STREAM, 3, 0);
        r[0].u.write_stream.data.data = data + off;
        r[0].u.write_stream.data.len = (uint32_t)(total - off < 30000 ? total - off : 30000);
        if (exec1(rc, &r[0], resp) != 0 || resp[0].u.write_stream.written != r[0].u.write_stream.data.len)
            good = 0;
    }
    ok(good, "%zu bytes written in %zu WriteStream Executes", total, (total + 29999) / 30000);
    pv.tag = 0x3707001Fu;
    pv.v.str = "big.bin";
    rq(&r[0], ROP_COMMIT_STREAM, 3, 0);
    rq(&r[1], ROP_SET_PROPERTIES, 2, 0);
    r[1].u.set_props.props.count = 1;
    r[1].u.set_props.props.vals = &pv;
    rq(&r[2], ROP_SAVE_CHANGES_ATTACHMENT, 2, 2);
    rq(&r[3], ROP_SAVE_CHANGES_MESSAGE, 1, 1);
    ok(exec_n(rc, r, 4, resp) == 4 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0 && resp[3].ret == 0,
       "CommitStream, SaveChangesAttachment, SaveChangesMessage");
    mid = resp[3].u.save_changes_message.message_id;
    rq(&r[0], ROP_RELEASE, 3, 0);
    rq(&r[1], ROP_RELEASE, 2, 0);
    rq(&r[2], ROP_RELEASE, 1, 0);
    exec_n(rc, r, 3, resp);
    rq(&r[0], ROP_OPEN_MESSAGE, 0, 1);
    r[0].u.open_message.folder_id = drafts;
    r[0].u.open_message.message_id = mid;
    rq(&r[1], ROP_OPEN_ATTACHMENT, 1, 2);
    r[1].u.open_attachment.attach_id = att;
    rq(&r[2], ROP_OPEN_STREAM, 2, 3);
    r[2].u.open_stream.tag = 0x37010102u;
    ok(exec_n(rc, r, 3, resp) == 3 && resp[2].ret == 0 && resp[2].u.stream_size.size == total,
       "reopened: the attachment's stream has %zu bytes", total);
    back = read_all(rc, 3, 0xF000, &len, &calls); /* more than a response frame holds: the server gives less */
    ok(back && len == total && memcmp(back, data, total) == 0, "and they read back as written (%zu bytes, %d calls)",
       len, calls);
    free(back);
    free(data);
    for (i = 1; i <= 3; i++) {
        rq(&r[0], ROP_RELEASE, (uint8_t)i, 0);
        exec_n(rc, r, 1, resp);
    }
}

/* An embedded message: created in an attachment, saved through both. */
static void test_embedded(ropcli_t *rc, const uint64_t *fids)
{
    mapi_rop_req_t r[6];
    mapi_rop_resp_t resp[6];
    mapi_propval_t pv;
    uint64_t drafts = drafts_fid(rc, fids), mid;
    uint32_t att, ec;
    if (!drafts)
        return;
    rq(&r[0], ROP_CREATE_MESSAGE, 0, 1);
    r[0].u.create_message.folder_id = drafts;
    rq(&r[1], ROP_CREATE_ATTACHMENT, 1, 2);
    rq(&r[2], ROP_OPEN_EMBEDDED_MESSAGE, 2, 3);
    r[2].u.open_embedded.open_mode = 2; /* Create */
    ok(exec_n(rc, r, 3, resp) == 3 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0,
       "CreateMessage, CreateAttachment, OpenEmbeddedMessage(Create)");
    att = resp[1].u.create_attachment.attach_id;
    pv.tag = PR_SUBJECT_W;
    pv.v.str = "the inner message";
    rq(&r[0], ROP_SET_PROPERTIES, 3, 0);
    r[0].u.set_props.props.count = 1;
    r[0].u.set_props.props.vals = &pv;
    rq(&r[1], ROP_SAVE_CHANGES_MESSAGE, 3, 3);
    rq(&r[2], ROP_SAVE_CHANGES_ATTACHMENT, 2, 2);
    rq(&r[3], ROP_SAVE_CHANGES_MESSAGE, 1, 1);
    ok(exec_n(rc, r, 4, resp) == 4 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0 && resp[3].ret == 0,
       "save the embedded message, its attachment, the message");
    mid = resp[3].u.save_changes_message.message_id;
    rq(&r[0], ROP_RELEASE, 3, 0);
    rq(&r[1], ROP_RELEASE, 2, 0);
    rq(&r[2], ROP_RELEASE, 1, 0);
    rq(&r[3], ROP_OPEN_MESSAGE, 0, 1);
    r[3].u.open_message.folder_id = drafts;
    r[3].u.open_message.message_id = mid;
    rq(&r[4], ROP_OPEN_ATTACHMENT, 1, 2);
    r[4].u.open_attachment.attach_id = att;
    rq(&r[5], ROP_OPEN_EMBEDDED_MESSAGE, 2, 3);
    ok(exec_n(rc, r, 6, resp) == 3 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0,
       "reopened: message, attachment, embedded message");
    ok(resp[2].u.open_embedded.info.normalized_subject.str &&
           strcmp(resp[2].u.open_embedded.info.normalized_subject.str, "the inner message") == 0,
       "the embedded message kept its subject");
    {
        uint32_t tags[] = {PR_ATTACH_METHOD};
        mapi_propval_t *v = get_props(rc, 2, tags, 1, &ec);
        ok(v && v[0].v.i32 == 5, "the attachment is ATTACH_EMBEDDED_MSG");
    }
    rq(&r[0], ROP_SET_PROPERTIES, 3, 0);
    r[0].u.set_props.props.count = 1;
    r[0].u.set_props.props.vals = &pv;
    is_int(exec1(rc, &r[0], resp), MAPI_EC_ACCESS_DENIED, "a read-only embedded message refuses changes");
    for (ec = 1; ec <= 3; ec++) {
        rq(&r[0], ROP_RELEASE, (uint8_t)ec, 0);
        exec_n(rc, r, 1, resp);
    }
}

int main(void)
{
    ropcli_t rc;
    mapi_rop_resp_t lr;
    uint64_t fids[13];
    int i;
    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    make_content();
    inbox_mid = import_message();
    ok(inbox_mid != 0, "a message with a body and an attachment imported into alice's Inbox");
    if (!ok(ropcli_open(&rc, "alice") == 0 && ropcli_logon(&rc, 0, &lr) == 0, "alice connects and logs on"))
        return done_testing();
    for (i = 0; i < 13; i++)
        fids[i] = lr.u.logon.folder_ids[i];
    if (inbox_mid)
        test_read_message(&rc, fids);
    test_draft(&rc, fids);
    test_embedded(&rc, fids);
    test_large_attachment(&rc, fids);
    ropcli_close(&rc);
    return done_testing();
}
