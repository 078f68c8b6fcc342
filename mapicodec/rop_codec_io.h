/*
 * rop_codec_io.h - internal to the rop_codec_*.c files: a two-way field
 * stream (decode into / encode from the same struct) and the ROP
 * descriptor tables each spec area exports. Not part of the public API.
 */
#ifndef ROP_CODEC_IO_H
#define ROP_CODEC_IO_H

#include "mapi_rop.h"

typedef struct {
    int writing;
    mapi_rd_t *rd;                   /* reading */
    mapi_wr_t *wr;                   /* writing */
    mapi_arena_t *a;                 /* reading */
    const mapi_rop_ctx_t *ctx;       /* may be NULL */
    const mapi_rop_resp_ctx_t *rctx; /* client response decoding */
    uint8_t logon_id;                /* of the request being coded */
    int st;                          /* first semantic error */
} rop_io_t;

/* io still good: no error recorded and the reader/writer not failed. */
int rio_ok(rop_io_t *io);
void rio_fail(rop_io_t *io, int st);

void rio_u8(rop_io_t *io, uint8_t *v);
void rio_u16(rop_io_t *io, uint16_t *v);
void rio_u32(rop_io_t *io, uint32_t *v);
void rio_u64(rop_io_t *io, uint64_t *v);
void rio_i32(rop_io_t *io, int32_t *v);
void rio_i64(rop_io_t *io, int64_t *v);
void rio_fixed(rop_io_t *io, void *p, size_t n);
void rio_guid(rop_io_t *io, mapi_guid_t *g);
void rio_ltid(rop_io_t *io, mapi_gid_t *g);
/* u16 byte count + bytes */
void rio_bin16(rop_io_t *io, mapi_bin_t *b);
/* u32 byte count + bytes */
void rio_bin32(rop_io_t *io, mapi_bin_t *b);
/* exactly n bytes (reading: b->len = n) */
void rio_bin_n(rop_io_t *io, mapi_bin_t *b, size_t n);
/* all bytes left in the reader (reading) / b (writing) */
void rio_bin_rest(rop_io_t *io, mapi_bin_t *b);
void rio_asciiz(rop_io_t *io, char **s);
/* Unicode (UTF-16LE <-> UTF-8) when unicode, else 8-bit NUL-terminated */
void rio_string(rop_io_t *io, int unicode, char **s);
/* PropertyTagArray with u16 count */
void rio_tags16(rop_io_t *io, mapi_tagarray_t *t);
/* u16 count + u64 ids */
void rio_ids16(rop_io_t *io, uint16_t *count, uint64_t **ids);
/* RestrictionDataSize u16 + restriction (size 0: none) */
void rio_restriction16(rop_io_t *io, mapi_restriction_t **r);
/* u16 count + TaggedPropertyValues */
void rio_proplist16(rop_io_t *io, mapi_proplist_t *pl);
void rio_problems(rop_io_t *io, mapi_problemarray_t *pa);
void rio_propname(rop_io_t *io, mapi_propname_t *pn);
/* `nrows` PropertyRows (columns from rows->cols, or the response context
 * when reading) */
void rio_rows(rop_io_t *io, mapi_rop_rows_t *rows, uint32_t nrows);
/* ServersCount u16, CheapServersCount u16, Servers */
void rio_servers(rop_io_t *io, mapi_servers_t *s);
void rio_typed_string(rop_io_t *io, mapi_typed_string_t *t);
/* reading: allocate n elements of size sz, checking n against the bytes left
 * (each element needs at least min_wire bytes); NULL on failure */
void *rio_array(rop_io_t *io, uint32_t n, size_t sz, size_t min_wire);

/* ---- descriptors ---------------------------------------------------- */

#define ROPF_OUT_IDX    0x01 /* request: InputHandleIndex then OutputHandleIndex */
#define ROPF_LOGON_HDR  0x02 /* request: OutputHandleIndex only (RopLogon) */
#define ROPF_RESP_IDX   0x04 /* request: ResponseHandleIndex then InputHandleIndex */
#define ROPF_NO_RESP    0x08 /* no response (RopRelease) */
#define ROPF_RESP_ONLY  0x10 /* never a request (Notify, Pending, BufferTooSmall, Backoff) */
#define ROPF_RESP_RAW   0x20 /* response has no handle index / ReturnValue */
#define ROPF_RESP_ALWAYS 0x40 /* response body coded even when ReturnValue != 0 */

typedef struct {
    uint8_t id;
    uint8_t flags;
    const char *name;
    void (*req)(rop_io_t *io, mapi_rop_req_t *r);    /* fields after the header */
    void (*resp)(rop_io_t *io, mapi_rop_resp_t *r);  /* fields after ReturnValue */
} rop_desc_t;

#define ROP_AREA(name) extern const rop_desc_t name[]; extern const size_t name##_count
ROP_AREA(rop_store_descs);
ROP_AREA(rop_folder_descs);
ROP_AREA(rop_table_descs);
ROP_AREA(rop_message_descs);
ROP_AREA(rop_property_descs);
ROP_AREA(rop_stream_descs);
ROP_AREA(rop_notify_descs);
ROP_AREA(rop_submit_descs);
ROP_AREA(rop_ics_descs);

/* for ROPs with no fields */
void rop_no_fields_req(rop_io_t *io, mapi_rop_req_t *r);
void rop_no_fields_resp(rop_io_t *io, mapi_rop_resp_t *r);

#endif /* ROP_CODEC_IO_H */
