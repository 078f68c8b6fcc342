/* Unit tests for the ROP codecs, part 2: hand-written request/response
 * byte vectors for the ROPs of an Outlook session, the OpenMessage response,
 * and NotificationData/RopNotify. (Part 1 is test_rop.c.) */
#include "tap.h"
#include "mapi_rop.h"
#include "mapi_status.h"

#include <sys/stat.h>

static mapi_arena_t A;

/* --write-corpus DIR: every request/response tested here becomes a seed in
 * DIR/rop/ and DIR/rop_resp/ for the fuzz targets. */
static const char *corpus_dir;
static int corpus_n;

static void seed(const char *sub, uint8_t b0, uint8_t b1, int with_prefix, const uint8_t *p, size_t n)
{
    char path[512];
    FILE *f;
    if (!corpus_dir)
        return;
    snprintf(path, sizeof(path), "%s/%s", corpus_dir, sub);
    mkdir(path, 0777);
    snprintf(path, sizeof(path), "%s/%s/seed-s%03d", corpus_dir, sub, corpus_n++);
    if (!(f = fopen(path, "wb")))
        return;
    if (with_prefix) {
        fputc(b0, f);
        fputc(b1, f);
    }
    fwrite(p, 1, n, f);
    fclose(f);
}

/* Decode `b` as one request; it must consume everything; re-encode must give
 * the same bytes; every truncation must fail. Returns the decoded request. */
static mapi_rop_req_t check_req(const uint8_t *b, size_t n, const mapi_rop_ctx_t *ctx, const char *name)
{
    mapi_rop_req_t req;
    mapi_rd_t rd;
    mapi_wr_t wr;
    size_t cut;
    int st, all_fail = 1;
    seed("rop", 0, 0, 0, b, n);
    mapi_rd_init(&rd, b, n);
    st = mapi_rop_decode_next(&rd, &A, ctx, &req);
    is_int(st, MAPI_OK, "%s: request decodes", name);
    is_int(rd.off, n, "%s: request consumes %zu bytes", name, n);
    mapi_wr_init(&wr, 0);
    is_int(mapi_rop_encode_req(&wr, ctx, &req), MAPI_OK, "%s: request re-encodes", name);
    is_mem(wr.p, wr.len, b, n, "%s: request bytes round trip", name);
    mapi_wr_free(&wr);
    for (cut = 0; cut < n; cut++) {
        mapi_rop_req_t t;
        mapi_rd_init(&rd, b, cut);
        if (mapi_rop_decode_next(&rd, &A, ctx, &t) == MAPI_OK)
            all_fail = 0;
    }
    ok(all_fail, "%s: every truncated request is an error", name);
    return req;
}

static void check_resp_bytes(const mapi_rop_resp_t *resp, const uint8_t *b, size_t n, const char *name)
{
    mapi_wr_t wr;
    mapi_wr_init(&wr, 0);
    is_int(mapi_rop_encode_resp(&wr, NULL, resp), MAPI_OK, "%s: response encodes", name);
    seed("rop_resp", resp->rop_id, 0, 1, wr.p, wr.len);
    is_mem(wr.p, wr.len, b, n, "%s: response bytes", name);
    mapi_wr_free(&wr);
}

static void test_open_message_resp(void)
{
    /* OpenMessage response: named props, reduced-Unicode prefix "Re: ", Unicode
     * subject, 1 recipient with 1 column */
    static const uint8_t want[] = {0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 'R', 'e', ':', ' ', 0x00,
                                   0x04, 'h', 0, 0xE9, 0, 0, 0, 0x01, 0x00, 0x01, 0x00, 0x03, 0x00, 0x15, 0x0C,
                                   0x01, 0x01, 0xE4, 0x04, 0x00, 0x00, 0x03, 0x00, 0xAA, 0xBB, 0xCC};
    static uint32_t tags[] = {0x0C150003};
    static uint8_t rowb[] = {0xAA, 0xBB, 0xCC};
    mapi_recipient_row_t row;
    mapi_rop_resp_t resp, back;
    mapi_rd_t rd;
    memset(&resp, 0, sizeof(resp));
    resp.rop_id = ROP_OPEN_MESSAGE;
    resp.handle_idx = 1;
    resp.u.open_message.has_named_props = 1;
    resp.u.open_message.subject_prefix.type = MAPI_TSTR_REDUCED;
    resp.u.open_message.subject_prefix.str = (char *)"Re: ";
    resp.u.open_message.normalized_subject.type = MAPI_TSTR_UNICODE;
    resp.u.open_message.normalized_subject.str = (char *)"h\xc3\xa9";
    resp.u.open_message.recipient_count = 1;
    resp.u.open_message.columns.count = 1;
    resp.u.open_message.columns.tags = tags;
    resp.u.open_message.row_count = 1;
    memset(&row, 0, sizeof(row));
    row.recipient_type = 1;
    row.code_page = 1252;
    row.row.len = 3;
    row.row.data = rowb;
    resp.u.open_message.rows = &row;
    check_resp_bytes(&resp, want, sizeof(want), "RopOpenMessage response");
    mapi_rd_init(&rd, want, sizeof(want));
    is_int(mapi_rop_decode_resp(&rd, &A, NULL, &back), MAPI_OK, "OpenMessage response decodes");
    ok(strcmp(back.u.open_message.subject_prefix.str, "Re: ") == 0 &&
       strcmp(back.u.open_message.normalized_subject.str, "h\xc3\xa9") == 0 &&
       back.u.open_message.rows[0].code_page == 1252 && back.u.open_message.rows[0].row.len == 3,
       "OpenMessage response fields");
    resp.u.open_message.subject_prefix.str = (char *)"\xc3\xa9\xe2\x82\xac";
    {
        mapi_wr_t wr;
        mapi_wr_init(&wr, 0);
        mapi_rop_encode_resp(&wr, NULL, &resp);
        ok(wr.p[8] == 0xE9 && wr.p[9] == '?' && wr.p[10] == 0, "reduced Unicode: Latin-1 bytes, '?' beyond U+00FF");
        mapi_wr_free(&wr);
    }
}

/* encode n, compare with want, decode back, compare again, sweep truncations */
static void check_notification(const mapi_notification_t *n, const uint8_t *want, size_t wlen, const char *name)
{
    mapi_wr_t wr, wr2;
    mapi_rd_t rd;
    mapi_notification_t back;
    size_t cut;
    int all_fail = 1;
    mapi_wr_init(&wr, 0);
    is_int(mapi_notification_encode(&wr, n), MAPI_OK, "%s: encodes", name);
    is_mem(wr.p, wr.len, want, wlen, "%s: bytes", name);
    mapi_rd_init(&rd, want, wlen);
    is_int(mapi_notification_decode(&rd, &A, &back), MAPI_OK, "%s: decodes", name);
    is_int(rd.off, wlen, "%s: consumes all", name);
    mapi_wr_init(&wr2, 0);
    mapi_notification_encode(&wr2, &back);
    is_mem(wr2.p, wr2.len, want, wlen, "%s: round trip", name);
    for (cut = 0; cut < wlen; cut++) {
        mapi_rd_init(&rd, want, cut);
        if (mapi_notification_decode(&rd, &A, &back) == MAPI_OK)
            all_fail = 0;
    }
    ok(all_fail, "%s: every truncation is an error", name);
    mapi_wr_free(&wr);
    mapi_wr_free(&wr2);
}

static void test_notifications(void)
{
    mapi_notification_t n;
    static uint32_t tags[] = {0x0E070003};
    static uint8_t row[] = {0x00, 0x05, 0x00, 0x00, 0x00};
    mapi_wr_t wr;
    mapi_rd_t rd;
    mapi_rop_resp_t resp, rb;

    memset(&n, 0, sizeof(n));
    n.flags = MAPI_NOTIF_NEW_MAIL | MAPI_NOTIF_M;
    n.fid = mapi_id_make(1, 0x10);
    n.mid = mapi_id_make(1, 0x20);
    n.message_flags = 0;
    n.unicode = 1;
    n.message_class = (char *)"IPM";
    {
        static const uint8_t want[] = {0x02, 0x80, 1, 0, 0, 0, 0, 0, 0, 0x10, 1, 0, 0, 0, 0, 0, 0, 0x20,
                                       0, 0, 0, 0, 0x01, 'I', 0, 'P', 0, 'M', 0, 0, 0};
        check_notification(&n, want, sizeof(want), "NewMail");
    }
    memset(&n, 0, sizeof(n));
    n.flags = MAPI_NOTIF_TABLE_MODIFIED | MAPI_NOTIF_M;
    n.table_event = MAPI_TABLE_ROW_ADDED;
    n.row_fid = mapi_id_make(1, 0x10);
    n.row_mid = mapi_id_make(1, 0x21);
    n.after_fid = mapi_id_make(1, 0x10);
    n.after_mid = mapi_id_make(1, 0x20);
    n.row_data.data = row;
    n.row_data.len = sizeof(row);
    {
        static const uint8_t want[] = {0x00, 0x81, 0x03, 0x00, 1, 0, 0, 0, 0, 0, 0, 0x10, 1, 0, 0, 0, 0, 0, 0,
                                       0x21, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x10, 1, 0, 0, 0, 0, 0, 0, 0x20,
                                       0, 0, 0, 0, 0x05, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00};
        check_notification(&n, want, sizeof(want), "contents table TableRowAdded");
    }
    n.flags = MAPI_NOTIF_TABLE_MODIFIED;
    {
        static const uint8_t want[] = {0x00, 0x01, 0x03, 0x00, 1, 0, 0, 0, 0, 0, 0, 0x10, 1, 0, 0, 0, 0, 0, 0,
                                       0x10, 0x05, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00};
        check_notification(&n, want, sizeof(want), "hierarchy table TableRowAdded (no message ids)");
    }
    memset(&n, 0, sizeof(n));
    n.flags = MAPI_NOTIF_OBJECT_MOVED;
    n.fid = 1; n.parent_fid = 2; n.old_fid = 3; n.old_parent_fid = 4;
    {
        static const uint8_t want[] = {0x20, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0,
                                       3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0};
        check_notification(&n, want, sizeof(want), "folder ObjectMoved");
    }
    memset(&n, 0, sizeof(n));
    n.flags = MAPI_NOTIF_OBJECT_MODIFIED | MAPI_NOTIF_T | MAPI_NOTIF_U;
    n.fid = 7; n.tag_count = 1; n.tags = tags; n.total = 10; n.unread = 3;
    {
        static const uint8_t want[] = {0x10, 0x30, 7, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x03, 0x00, 0x07, 0x0E,
                                       10, 0, 0, 0, 3, 0, 0, 0};
        check_notification(&n, want, sizeof(want), "folder ObjectModified with counts");
        memset(&resp, 0, sizeof(resp));
        resp.rop_id = ROP_NOTIFY;
        resp.u.notify.handle = 0x11223344;
        resp.u.notify.logon_id = 2;
        mapi_wr_init(&wr, 0);
        mapi_notification_encode(&wr, &n);
        resp.u.notify.data.data = wr.p;
        resp.u.notify.data.len = (uint32_t)wr.len;
        {
            mapi_wr_t out;
            mapi_wr_init(&out, 0);
            mapi_rop_encode_resp(&out, NULL, &resp);
            mapi_rop_encode_buffer_too_small(&out, 100, "", 0); /* something after it */
            ok(out.len == 1 + 4 + 1 + sizeof(want) + 3 && out.p[0] == 0x2A && out.p[1] == 0x44 && out.p[5] == 2,
               "RopNotify: RopId, NotificationHandle, LogonId, NotificationData");
            mapi_rd_init(&rd, out.p, out.len);
            is_int(mapi_rop_decode_resp(&rd, &A, NULL, &rb), MAPI_OK, "client decodes RopNotify");
            ok(rb.u.notify.data.len == sizeof(want) && rd.off == out.len - 3,
               "its NotificationData ends where the next response begins");
            mapi_wr_free(&out);
        }
        mapi_wr_free(&wr);
    }
    {
        static const uint8_t bad[] = {0x02, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 'x', 0};
        mapi_rd_init(&rd, bad, sizeof(bad));
        is_int(mapi_notification_decode(&rd, &A, &n), MAPI_E_BAD_VALUE, "NewMail UnicodeFlag 2 refused");
    }
}

/* Hand-written request and success-response bytes, laid out field by field
 * from [MS-OXCROPS] 2.2.x, for the ROPs an Outlook session uses most. Each
 * request must decode completely and re-encode to the same bytes (and fail
 * when cut short); each response must decode and re-encode the same. */
typedef struct {
    const char *name;
    const uint8_t *req;
    size_t req_len;
    const uint8_t *resp;
    size_t resp_len;
} rop_vector_t;

#define B(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define FID 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x42
#define LTID 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 0, 0, 0, 0, 0x42, 0, 0

static const rop_vector_t vectors[] = {
    /* 2.2.3.2 GetReceiveFolder "IPM" -> FolderId, ExplicitMessageClass "IPM" */
    {"RopGetReceiveFolder", B(0x27, 0x00, 0x00, 'I', 'P', 'M', 0),
     B(0x27, 0x00, 0, 0, 0, 0, FID, 'I', 'P', 'M', 0)},
    /* 2.2.4.1 OpenFolder -> HasRules 0, IsGhosted 0 */
    {"RopOpenFolder", B(0x02, 0x00, 0x00, 0x01, FID, 0x00), B(0x02, 0x01, 0, 0, 0, 0, 0x00, 0x00)},
    /* 2.2.4.13 GetHierarchyTable TableFlags 0x04 (Depth) -> RowCount 5 */
    {"RopGetHierarchyTable", B(0x04, 0x00, 0x00, 0x01, 0x04), B(0x04, 0x01, 0, 0, 0, 0, 5, 0, 0, 0)},
    /* 2.2.5.7 QueryPosition -> Numerator 3, Denominator 10 */
    {"RopQueryPosition", B(0x17, 0x00, 0x01), B(0x17, 0x01, 0, 0, 0, 0, 3, 0, 0, 0, 10, 0, 0, 0)},
    /* 2.2.5.8 SeekRow BOOKMARK_BEGINNING, -1, WantRowMovedCount -> HasSoughtLess, RowsSought */
    {"RopSeekRow", B(0x18, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
     B(0x18, 0x01, 0, 0, 0, 0, 0x01, 0xFF, 0xFF, 0xFF, 0xFF)},
    /* 2.2.5.13 FindRow: flags, Exist restriction, origin, 4-byte bookmark -> no row */
    {"RopFindRow", B(0x4F, 0x00, 0x01, 0x00, 0x05, 0x00, 0x08, 0x1F, 0x00, 0x37, 0x00, 0x03, 0x04, 0x00, 1, 2, 3, 4),
     B(0x4F, 0x01, 0, 0, 0, 0, 0x00, 0x00)},
    /* 2.2.8.4 GetPropertiesAll -> 1 value */
    {"RopGetPropertiesAll", B(0x08, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00),
     B(0x08, 0x00, 0, 0, 0, 0, 0x01, 0x00, 0x03, 0x00, 0x07, 0x0E, 0x01, 0, 0, 0)},
    /* 2.2.8.5 GetPropertiesList -> 2 tags */
    {"RopGetPropertiesList", B(0x09, 0x00, 0x00),
     B(0x09, 0x00, 0, 0, 0, 0, 0x02, 0x00, 0x1F, 0x00, 0x37, 0x00, 0x03, 0x00, 0x07, 0x0E)},
    /* 2.2.8.8 DeleteProperties 1 tag -> 1 problem */
    {"RopDeleteProperties", B(0x0B, 0x00, 0x00, 0x01, 0x00, 0x1F, 0x00, 0x37, 0x00),
     B(0x0B, 0x00, 0, 0, 0, 0, 0x01, 0x00, 0x00, 0x00, 0x1F, 0x00, 0x37, 0x00, 0x05, 0x00, 0x07, 0x80)},
    /* 2.2.8.2 GetNamesFromPropertyIds 2 ids -> a LID name and a 0xFF */
    {"RopGetNamesFromPropertyIds", B(0x55, 0x00, 0x00, 0x02, 0x00, 0x01, 0x80, 0x02, 0x80),
     B(0x55, 0x00, 0, 0, 0, 0, 0x02, 0x00, 0x00, 0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00,
       0x00, 0x00, 0x00, 0x00, 0x00, 0x46, 0x03, 0x85, 0x00, 0x00, 0xFF)},
    /* 2.2.8.1 GetPropertyIdsFromNames create, 1 string name */
    {"RopGetPropertyIdsFromNames", B(0x56, 0x00, 0x00, 0x02, 0x01, 0x00, 0x01, 0x29, 0x03, 0x02, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
                                     0x04, 'K', 0, 0, 0),
     B(0x56, 0x00, 0, 0, 0, 0, 0x01, 0x00, 0x01, 0x80)},
    /* 2.2.6.2 CreateMessage cp 0x0FFF, FID, not FAI -> no MessageId yet */
    {"RopCreateMessage", B(0x06, 0x00, 0x00, 0x01, 0xFF, 0x0F, FID, 0x00), B(0x06, 0x01, 0, 0, 0, 0, 0x00)},
    /* 2.2.6.3 SaveChangesMessage ResponseHandleIndex 0, InputHandleIndex 1, KeepOpenReadWrite */
    {"RopSaveChangesMessage", B(0x0C, 0x00, 0x00, 0x01, 0x02),
     B(0x0C, 0x00, 0, 0, 0, 0, 0x01, FID)},
    /* 2.2.6.6 ReadRecipients from row 0 -> one row */
    {"RopReadRecipients", B(0x0F, 0x00, 0x01, 0, 0, 0, 0, 0, 0),
     B(0x0F, 0x01, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0x01, 0xE4, 0x04, 0x00, 0x00, 0x02, 0x00, 0x08, 0x00)},
    /* 2.2.9.1 OpenStream PidTagBody, read-only -> StreamSize 1000 */
    {"RopOpenStream", B(0x2B, 0x00, 0x01, 0x02, 0x1F, 0x00, 0x00, 0x10, 0x00),
     B(0x2B, 0x02, 0, 0, 0, 0, 0xE8, 0x03, 0x00, 0x00)},
    /* 2.2.9.3 WriteStream 3 bytes -> WrittenSize 3 */
    {"RopWriteStream", B(0x2D, 0x00, 0x02, 0x03, 0x00, 'a', 'b', 'c'), B(0x2D, 0x02, 0, 0, 0, 0, 0x03, 0x00)},
    {"RopCommitStream", B(0x5D, 0x00, 0x02), B(0x5D, 0x02, 0, 0, 0, 0)},
    {"RopGetStreamSize", B(0x5E, 0x00, 0x02), B(0x5E, 0x02, 0, 0, 0, 0, 0x10, 0, 0, 0)},
    {"RopSetStreamSize", B(0x2F, 0x00, 0x02, 0x10, 0, 0, 0, 0, 0, 0, 0), B(0x2F, 0x02, 0, 0, 0, 0)},
    /* 2.2.9.8 SeekStream from the end, -4 -> NewPosition 12 */
    {"RopSeekStream", B(0x2E, 0x00, 0x02, 0x02, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF),
     B(0x2E, 0x02, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0)},
    /* 2.2.4.6 MoveCopyMessages 1 MID, sync, copy -> PartialCompletion 0 */
    {"RopMoveCopyMessages", B(0x33, 0x00, 0x00, 0x01, 0x01, 0x00, FID, 0x00, 0x01),
     B(0x33, 0x00, 0, 0, 0, 0, 0x00)},
    {"RopHardDeleteMessages", B(0x91, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, FID), B(0x91, 0x00, 0, 0, 0, 0, 0x00)},
    {"RopEmptyFolder", B(0x58, 0x00, 0x00, 0x00, 0x01), B(0x58, 0x00, 0, 0, 0, 0, 0x00)},
    /* 2.2.6.10 SetReadFlags sync, rfClearReadFlag|rfSuppressReceipt, 1 MID */
    {"RopSetReadFlags", B(0x66, 0x00, 0x00, 0x00, 0x05, 0x01, 0x00, FID), B(0x66, 0x00, 0, 0, 0, 0, 0x00)},
    {"RopGetAttachmentTable", B(0x21, 0x00, 0x01, 0x02, 0x00), B(0x21, 0x02, 0, 0, 0, 0)},
    {"RopOpenAttachment", B(0x22, 0x00, 0x01, 0x02, 0x00, 0x03, 0, 0, 0), B(0x22, 0x02, 0, 0, 0, 0)},
    {"RopCreateAttachment", B(0x23, 0x00, 0x01, 0x02), B(0x23, 0x02, 0, 0, 0, 0, 0x04, 0, 0, 0)},
    {"RopSaveChangesAttachment", B(0x25, 0x00, 0x01, 0x02, 0x0A), B(0x25, 0x01, 0, 0, 0, 0)},
    /* 2.2.14.1 RegisterNotification NewMail|ObjectCreated on one folder (not whole store) */
    {"RopRegisterNotification", B(0x29, 0x00, 0x00, 0x01, 0x06, 0x00, 0x00, FID, 0, 0, 0, 0, 0, 0, 0, 0),
     B(0x29, 0x01, 0, 0, 0, 0)},
    {"RopLongTermIdFromId", B(0x43, 0x00, 0x00, FID), B(0x43, 0x00, 0, 0, 0, 0, LTID)},
    {"RopIdFromLongTermId", B(0x44, 0x00, 0x00, LTID), B(0x44, 0x00, 0, 0, 0, 0, FID)},
    {"RopGetPerUserGuid", B(0x61, 0x00, 0x00, LTID),
     B(0x61, 0x00, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)},
    {"RopGetStoreState", B(0x7B, 0x00, 0x00), B(0x7B, 0x00, 0, 0, 0, 0, 0, 0, 0, 0)},
};

static void test_vectors(void)
{
    size_t i;
    for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        const rop_vector_t *v = &vectors[i];
        mapi_rop_req_t req = check_req(v->req, v->req_len, NULL, v->name);
        mapi_rop_resp_ctx_t ctx;
        mapi_rop_resp_t resp;
        mapi_rd_t rd;
        mapi_wr_t wr;
        int st;
        memset(&ctx, 0, sizeof(ctx));
        ctx.req = &req;
        mapi_rd_init(&rd, v->resp, v->resp_len);
        st = mapi_rop_decode_resp(&rd, &A, &ctx, &resp);
        ok(st == MAPI_OK && rd.off == v->resp_len, "%s: response decodes (%zu bytes)", v->name, v->resp_len);
        mapi_wr_init(&wr, 0);
        mapi_rop_encode_resp(&wr, NULL, &resp);
        is_mem(wr.p, wr.len, v->resp, v->resp_len, "%s: response bytes round trip", v->name);
        mapi_wr_free(&wr);
        seed("rop", 0, 0, 0, v->req, v->req_len);
        seed("rop_resp", v->resp[0], 0, 1, v->resp, v->resp_len);
    }
}

static void test_vector_fields(void)
{
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    mapi_rd_t rd;
    mapi_rop_resp_ctx_t ctx;
    r = check_req(vectors[4].req, vectors[4].req_len, NULL, "SeekRow fields");
    ok(r.u.seek_row.count == -1 && r.u.seek_row.want_moved == 1, "SeekRow RowCount is signed");
    r = check_req(vectors[10].req, vectors[10].req_len, NULL, "GetPropertyIdsFromNames fields");
    ok(r.u.get_ids_from_names.flags == 2 && r.u.get_ids_from_names.names[0].kind == MAPI_MNID_STRING &&
       strcmp(r.u.get_ids_from_names.names[0].name, "K") == 0, "named property by string");
    r = check_req(vectors[19].req, vectors[19].req_len, NULL, "SeekStream fields");
    ok(r.u.seek_stream.origin == 2 && r.u.seek_stream.offset == -4, "SeekStream Offset is signed");
    r = check_req(vectors[28].req, vectors[28].req_len, NULL, "RegisterNotification fields");
    ok(r.u.register_notification.types == 6 && !r.u.register_notification.whole_store &&
       mapi_id_globcnt(r.u.register_notification.folder_id) == 0x42, "RegisterNotification folder");
    memset(&ctx, 0, sizeof(ctx));
    mapi_rd_init(&rd, vectors[9].resp, vectors[9].resp_len);
    mapi_rop_decode_resp(&rd, &A, &ctx, &resp);
    ok(resp.u.prop_names.count == 2 && resp.u.prop_names.names[0].lid == 0x8503 &&
       resp.u.prop_names.names[1].kind == MAPI_MNID_NONE, "GetNamesFromPropertyIds names");
    mapi_rd_init(&rd, vectors[29].resp, vectors[29].resp_len);
    mapi_rop_decode_resp(&rd, &A, &ctx, &resp);
    ok(resp.u.ltid.ltid.globcnt == 0x42 && resp.u.ltid.ltid.guid.b[0] == 1, "LongTermIdFromId LongTermId");
}


int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
        corpus_dir = argv[2];
    mapi_arena_init(&A, 0);
    test_open_message_resp();
    test_notifications();
    test_vectors();
    test_vector_fields();
    mapi_arena_clear(&A);
    return done_testing();
}
