/*
 * rop_codec_stream.c - stream ROPs ([MS-OXCROPS] 2.2.9, semantics in
 * [MS-OXCPRPT] 2.2.14-2.2.26): OpenStream, ReadStream, WriteStream,
 * WriteAndCommitStream, CommitStream, GetStreamSize, SetStreamSize,
 * SeekStream, CopyToStream, LockRegionStream, UnlockRegionStream,
 * CloneStream.
 */
#include "rop_codec_io.h"
#include "mapi_status.h"

/* 2.2.9.1: PropertyTag, OpenModeFlags -> StreamSize */
static void open_stream_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u32(io, &r->u.open_stream.tag);
    rio_u8(io, &r->u.open_stream.open_mode);
}

static void stream_size_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u32(io, &r->u.stream_size.size);
}

/* 2.2.9.2: ByteCount u16 [, MaximumByteCount u32 when ByteCount is 0xBABE]
 * -> DataSize, Data (present whatever the ReturnValue) */
#define READ_STREAM_SENTINEL 0xBABE

static void read_stream_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u16(io, &r->u.read_stream.byte_count);
    if (rio_ok(io) && r->u.read_stream.byte_count == READ_STREAM_SENTINEL)
        rio_u32(io, &r->u.read_stream.max_byte_count);
}

static void read_stream_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_bin16(io, &r->u.read_stream.data);
}

/* 2.2.9.3 / 2.2.9.12: DataSize, Data -> WrittenSize */
static void write_stream_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_bin16(io, &r->u.write_stream.data);
}

static void write_stream_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u16(io, &r->u.write_stream.written);
}

/* 2.2.9.7: StreamSize u64 */
static void set_stream_size_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.set_stream_size.size);
}

/* 2.2.9.8: Origin, Offset (signed) -> NewPosition */
static void seek_stream_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u8(io, &r->u.seek_stream.origin);
    rio_i64(io, &r->u.seek_stream.offset);
    if (rio_ok(io) && r->u.seek_stream.origin > 2)
        rio_fail(io, MAPI_E_BAD_VALUE);
}

static void seek_stream_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    rio_u64(io, &r->u.seek_stream.position);
}

/* 2.2.9.9: ByteCount u64 -> ReadByteCount, WrittenByteCount; ecDstNullObject
 * puts DestHandleIndex u32 first */
static void copy_to_stream_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.copy_to_stream.byte_count);
}

static void copy_to_stream_resp(rop_io_t *io, mapi_rop_resp_t *r)
{
    if (r->ret == MAPI_EC_DST_NULL_OBJECT)
        rio_u32(io, &r->u.copy_to_stream.dest_idx);
    else if (r->ret != MAPI_EC_SUCCESS)
        return;
    rio_u64(io, &r->u.copy_to_stream.read);
    rio_u64(io, &r->u.copy_to_stream.written);
}

/* 2.2.9.10 / 2.2.9.11: RegionOffset, RegionSize, LockFlags */
static void lock_region_req(rop_io_t *io, mapi_rop_req_t *r)
{
    rio_u64(io, &r->u.lock_region.offset);
    rio_u64(io, &r->u.lock_region.size);
    rio_u32(io, &r->u.lock_region.lock_flags);
}

const rop_desc_t rop_stream_descs[] = {
    {ROP_OPEN_STREAM, ROPF_OUT_IDX, "RopOpenStream", open_stream_req, stream_size_resp},
    {ROP_READ_STREAM, ROPF_RESP_ALWAYS, "RopReadStream", read_stream_req, read_stream_resp},
    {ROP_WRITE_STREAM, ROPF_RESP_ALWAYS, "RopWriteStream", write_stream_req, write_stream_resp},
    {ROP_WRITE_AND_COMMIT_STREAM, ROPF_RESP_ALWAYS, "RopWriteAndCommitStream", write_stream_req,
     write_stream_resp},
    {ROP_COMMIT_STREAM, 0, "RopCommitStream", rop_no_fields_req, rop_no_fields_resp},
    {ROP_GET_STREAM_SIZE, 0, "RopGetStreamSize", rop_no_fields_req, stream_size_resp},
    {ROP_SET_STREAM_SIZE, 0, "RopSetStreamSize", set_stream_size_req, rop_no_fields_resp},
    {ROP_SEEK_STREAM, 0, "RopSeekStream", seek_stream_req, seek_stream_resp},
    {ROP_COPY_TO_STREAM, ROPF_OUT_IDX | ROPF_RESP_ALWAYS, "RopCopyToStream", copy_to_stream_req,
     copy_to_stream_resp},
    {ROP_LOCK_REGION_STREAM, 0, "RopLockRegionStream", lock_region_req, rop_no_fields_resp},
    {ROP_UNLOCK_REGION_STREAM, 0, "RopUnlockRegionStream", lock_region_req, rop_no_fields_resp},
    {ROP_CLONE_STREAM, ROPF_OUT_IDX, "RopCloneStream", rop_no_fields_req, rop_no_fields_resp},
};
const size_t rop_stream_descs_count = sizeof(rop_stream_descs) / sizeof(rop_stream_descs[0]);
