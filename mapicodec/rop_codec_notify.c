/*
 * rop_codec_notify.c - RopRelease (2.2.15.3), RopRegisterNotification
 * (2.2.14.1), and the response-only RopNotify (2.2.14.2), RopPending
 * (2.2.14.3) and RopBufferTooSmall (2.2.15.1) of [MS-OXCROPS].
 */
#include "rop_codec_io.h"

#include <string.h>

/* 2.2.14.1: NotificationTypes, Reserved, WantWholeStore [, FolderId, MessageId] */
static void register_notification_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.register_notification.types);
    rio_u8(io, &r->u.register_notification.reserved);
    rio_u8(io, &r->u.register_notification.whole_store);
    if (rio_ok(io) && !r->u.register_notification.whole_store) {
        rio_u64(io, &r->u.register_notification.folder_id);
        rio_u64(io, &r->u.register_notification.message_id);
    }
}

/* [MS-OXCNOTIF] 2.2.1.4.1.2 NotificationData: which fields are present
 * follows NotificationFlags and TableEventType. */
static void notification_fields(rop_io_t *io, mapi_notification_t *n)
{
    uint16_t type, i;
    int m, table_adm, table_am, moved;
    rio_u16(io, &n->flags);
    if (!rio_ok(io))
        return;
    type = n->flags & MAPI_NOTIF_TYPE_MASK;
    m = (n->flags & MAPI_NOTIF_M) != 0;
    if (type & MAPI_NOTIF_TABLE_MODIFIED) {
        rio_u16(io, &n->table_event);
        if (!rio_ok(io))
            return;
        table_adm = n->table_event == MAPI_TABLE_ROW_ADDED || n->table_event == MAPI_TABLE_ROW_DELETED ||
                    n->table_event == MAPI_TABLE_ROW_MODIFIED;
        table_am = n->table_event == MAPI_TABLE_ROW_ADDED || n->table_event == MAPI_TABLE_ROW_MODIFIED;
        if (table_adm) {
            rio_u64(io, &n->row_fid);
            if (m) {
                rio_u64(io, &n->row_mid);
                rio_u32(io, &n->row_instance);
            }
        }
        if (table_am) {
            rio_u64(io, &n->after_fid);
            if (m) {
                rio_u64(io, &n->after_mid);
                rio_u32(io, &n->after_instance);
            }
            rio_bin16(io, &n->row_data);
        }
    }
    if (!(type & (MAPI_NOTIF_TABLE_MODIFIED | MAPI_NOTIF_EXTENDED))) {
        rio_u64(io, &n->fid);
        if (m)
            rio_u64(io, &n->mid);
    }
    moved = (type & (MAPI_NOTIF_OBJECT_MOVED | MAPI_NOTIF_OBJECT_COPIED)) != 0;
    if ((type & (MAPI_NOTIF_OBJECT_CREATED | MAPI_NOTIF_OBJECT_DELETED)) || moved) {
        int search_msg = (n->flags & MAPI_NOTIF_S) && m;
        int folder = !(n->flags & MAPI_NOTIF_S) && !m;
        if (search_msg || folder)
            rio_u64(io, &n->parent_fid);
    }
    if (moved) {
        rio_u64(io, &n->old_fid);
        if (m)
            rio_u64(io, &n->old_mid);
        else
            rio_u64(io, &n->old_parent_fid);
    }
    if (type & (MAPI_NOTIF_OBJECT_CREATED | MAPI_NOTIF_OBJECT_MODIFIED)) {
        rio_u16(io, &n->tag_count);
        if (rio_ok(io) && n->tag_count != 0xFFFF) {
            if (!io->writing && !(n->tags = rio_array(io, n->tag_count, sizeof(uint32_t), 4)))
                return;
            for (i = 0; i < n->tag_count && rio_ok(io); i++)
                rio_u32(io, &n->tags[i]);
        }
    }
    if (n->flags & MAPI_NOTIF_T)
        rio_u32(io, &n->total);
    if (n->flags & MAPI_NOTIF_U)
        rio_u32(io, &n->unread);
    if (type & MAPI_NOTIF_NEW_MAIL) {
        rio_u32(io, &n->message_flags);
        rio_u8(io, &n->unicode);
        if (rio_ok(io) && n->unicode > 1)
            rio_fail(io, MAPI_E_BAD_VALUE);
        rio_string(io, n->unicode, &n->message_class);
    }
}

int mapi_notification_encode(mapi_wr_t *wr, const mapi_notification_t *n)
{
    rop_io_t io;
    memset(&io, 0, sizeof(io));
    io.writing = 1;
    io.wr = wr;
    notification_fields(&io, (mapi_notification_t *)(uintptr_t)n);
    rio_ok(&io);
    return io.st;
}

int mapi_notification_decode(mapi_rd_t *rd, mapi_arena_t *a, mapi_notification_t *n)
{
    rop_io_t io;
    memset(n, 0, sizeof(*n));
    memset(&io, 0, sizeof(io));
    io.rd = rd;
    io.a = a;
    notification_fields(&io, n);
    rio_ok(&io);
    return io.st;
}

/* 2.2.14.2: RopId, NotificationHandle u32, LogonId, NotificationData. The
 * data is written as given; when decoding, its extent is found by parsing
 * it, and the bytes are kept (decode them with mapi_notification_decode). */
static void notify_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.notify.handle);
    rio_u8(io, &r->u.notify.logon_id);
    if (!rio_ok(io))
        return;
    if (io->writing) {
        mapi_wr_bytes(io->wr, r->u.notify.data.data, r->u.notify.data.len);
    } else {
        mapi_notification_t n;
        size_t start = io->rd->off, end;
        rop_io_t sub = *io; /* shares the reader: parse to find the end, then rewind */
        memset(&n, 0, sizeof(n));
        notification_fields(&sub, &n);
        if (!rio_ok(&sub)) {
            rio_fail(io, sub.st);
            return;
        }
        end = io->rd->off;
        io->rd->off = start;
        rio_bin_n(io, &r->u.notify.data, end - start);
    }
}

/* 2.2.14.3: RopId, SessionIndex u16 */
static void pending_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u16(io, &r->u.pending.session_index);
}

/* 2.2.15.1: RopId, SizeNeeded u16, RequestBuffers (the unprocessed
 * requests, to the end of the RopsList) */
static void buffer_too_small_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u16(io, &r->u.buffer_too_small.size_needed);
    rio_bin_rest(io, &r->u.buffer_too_small.request);
}

const rop_desc_t rop_notify_descs[] = {
    {ROP_RELEASE, ROPF_NO_RESP, "RopRelease", rop_no_fields_req, rop_no_fields_resp},
    {ROP_REGISTER_NOTIFICATION, ROPF_OUT_IDX, "RopRegisterNotification", register_notification_req,
     rop_no_fields_resp},
    {ROP_NOTIFY, ROPF_RESP_ONLY | ROPF_RESP_RAW, "RopNotify", NULL, notify_resp},
    {ROP_PENDING, ROPF_RESP_ONLY | ROPF_RESP_RAW, "RopPending", NULL, pending_resp},
    {ROP_BUFFER_TOO_SMALL, ROPF_RESP_ONLY | ROPF_RESP_RAW, "RopBufferTooSmall", NULL, buffer_too_small_resp},
};
const size_t rop_notify_descs_count = sizeof(rop_notify_descs) / sizeof(rop_notify_descs[0]);
