/*
 * rop_codec_notify.c - RopRelease (2.2.15.3), RopRegisterNotification
 * (2.2.14.1), and the response-only RopNotify (2.2.14.2), RopPending
 * (2.2.14.3) and RopBufferTooSmall (2.2.15.1) of [MS-OXCROPS].
 */
#include "rop_codec_io.h"

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

/* 2.2.14.2: RopId, NotificationHandle u32, LogonId, NotificationData
 * ([MS-OXCNOTIF] 2.2.1.4.1.2). The data is coded as given; when decoding,
 * this codec does not parse it and takes the rest of the buffer. */
static void notify_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.notify.handle);
    rio_u8(io, &r->u.notify.logon_id);
    rio_bin_rest(io, &r->u.notify.data);
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
