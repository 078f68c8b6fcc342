/*
 * Unit tests of the message/attachment/stream object state (engine
 * rop_msgobj.c, rop_message.c, rop_stream.c) in-process: ROP buffers run
 * through mapi_rops_process() against a temporary store, the object table
 * saved and reloaded between requests as another process would, and
 * hostile object blobs and change journals that must give errors, never
 * crashes (run under ASan/UBSan in CI).
 */
#include "tap.h"
#include "rop_msgobj.h"
#include "mapi_ropbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* test_engine_message_link.c */
extern const void *const test_engine_areas[];

static char root[256], mbx_text[40];
static ms_store_t *store;
static mapi_engine_ctx_t ectx;
static mapi_objtab_t objs;
static uint32_t handles[8];
static mapi_arena_t arena;

static int setup(void)
{
    ms_mailbox_info_t info;
    const uint8_t *b;
    snprintf(root, sizeof(root), "%s/engmsg-%d-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    if (!mkdtemp(root) || ms_store_init(root) != MS_OK || ms_store_open(root, 0, &store) != MS_OK ||
        ms_db_create(store, "db1", (uint64_t)1 << 30) != MS_OK)
        return -1;
    memset(&info, 0, sizeof(info));
    snprintf(info.smtp[0], sizeof(info.smtp[0]), "alice@example.test");
    info.nsmtp = 1;
    snprintf(info.display_name, sizeof(info.display_name), "Alice");
    snprintf(info.login, sizeof(info.login), "alice@EXAMPLE.TEST");
    if (ms_mailbox_create(store, &info) != MS_OK)
        return -1;
    b = info.guid.b;
    snprintf(mbx_text, sizeof(mbx_text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[3],
             b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    memset(&ectx, 0, sizeof(ectx));
    ectx.user = "alice@EXAMPLE.TEST";
    ectx.mailbox = mbx_text;
    ectx.store = store;
    ectx.codepage = 1252;
    mapi_objtab_load(&objs, NULL, 0);
    memset(handles, 0xFF, sizeof(handles));
    mapi_arena_init(&arena, 64u << 20);
    return 0;
}

/* Saves the object table and loads it back: the next request may run in
 * another process. */
static void next_process(void)
{
    mapi_wr_t wr;
    mapi_objtab_t t;
    mapi_wr_init(&wr, 0);
    mapi_objtab_save(&objs, &wr);
    mapi_objtab_free(&objs);
    mapi_objtab_load(&t, wr.p, wr.len);
    objs = t;
    mapi_wr_free(&wr);
}

/* Runs n requests in one ROP buffer; decodes the answers. Returns the
 * number of responses. */
static int run(mapi_rop_req_t *req, int n, mapi_rop_resp_t *resp)
{
    mapi_wr_t rops, in, out;
    mapi_ropbuf_t rb;
    mapi_rd_t rd;
    mapi_execute_result_t res;
    mapi_rop_ctx_t rctx;
    int i, k = 0;
    uint32_t ec;
    memset(&rctx, 0, sizeof(rctx));
    mapi_wr_init(&rops, 0);
    for (i = 0; i < n; i++)
        mapi_rop_encode_req(&rops, &rctx, &req[i]);
    mapi_wr_init(&in, 0);
    mapi_ropbuf_build(&in, rops.p, rops.len, handles, 8);
    mapi_wr_init(&out, 0);
    memset(&res, 0, sizeof(res));
    {
        size_t nouts = 0;
        ec = mapi_rops_process(&ectx, &objs, in.p, in.len, 0x10000, 0, &out, &nouts, &res);
    }
    if (ec == 0 && mapi_ropbuf_split(out.p, out.len, &rb) == 0) {
        for (i = 0; i < 8 && (size_t)i < rb.handle_count; i++)
            handles[i] = mapi_ropbuf_handle(&rb, (size_t)i);
        mapi_rd_init(&rd, rb.rops, rb.rops_len);
        for (i = 0; i < n && mapi_rd_left(&rd) > 0; i++) {
            mapi_rop_resp_ctx_t ctx;
            if (req[i].rop_id == ROP_RELEASE)
                continue;
            memset(&ctx, 0, sizeof(ctx));
            ctx.req = &req[i];
            ctx.rop_ctx = &rctx;
            if (mapi_rop_decode_resp(&rd, &arena, &ctx, &resp[k]) != 0)
                break;
            k++;
        }
    }
    mapi_wr_free(&rops);
    mapi_wr_free(&in);
    mapi_wr_free(&out);
    next_process();
    return k;
}

static uint32_t run1(mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    return run(req, 1, resp) == 1 ? resp->ret : 0xFFFFFFFFu;
}

static void rq(mapi_rop_req_t *r, uint8_t rop, uint8_t in, uint8_t out)
{
    memset(r, 0, sizeof(*r));
    r->rop_id = rop;
    r->in_idx = in;
    r->out_idx = out;
}

static mapi_obj_t *obj_at(int idx)
{
    return mapi_objtab_find(&objs, handles[idx]);
}

#define PR_SUBJECT_W 0x0037001Fu
#define PR_BODY_W 0x1000001Fu
#define PR_HTML 0x10130102u

static void test_state_across_processes(void)
{
    mapi_rop_req_t r[3];
    mapi_rop_resp_t resp[3];
    mapi_propval_t pv;
    uint32_t tags[] = {PR_SUBJECT_W};
    rq(&r[0], ROP_LOGON, 0, 0);
    r[0].u.logon.logon_flags = MAPI_LOGON_PRIVATE;
    is_int(run1(&r[0], resp), 0, "Logon");
    rq(&r[0], ROP_CREATE_MESSAGE, 0, 1);
    r[0].u.create_message.folder_id = ms_special_folder_id(MS_FOLDER_INBOX);
    is_int(run1(&r[0], resp), 0, "CreateMessage");
    pv.tag = PR_SUBJECT_W;
    pv.v.str = "kept in the object's journal";
    rq(&r[0], ROP_SET_PROPERTIES, 1, 0);
    r[0].u.set_props.props.count = 1;
    r[0].u.set_props.props.vals = &pv;
    is_int(run1(&r[0], resp), 0, "SetProperties");
    rq(&r[0], ROP_GET_PROPERTIES_SPECIFIC, 1, 0);
    r[0].u.get_props_specific.want_unicode = 1;
    r[0].u.get_props_specific.tags.count = 1;
    r[0].u.get_props_specific.tags.tags = tags;
    ok(run1(&r[0], resp) == 0 && resp[0].u.get_props_specific.row.vals[0].tag == PR_SUBJECT_W &&
           strcmp(resp[0].u.get_props_specific.row.vals[0].v.str, "kept in the object's journal") == 0,
       "the unsaved value is there in the next request (object table reloaded)");
    {
        uint32_t ft[] = {0x0E070003u};
        rq(&r[0], ROP_GET_PROPERTIES_SPECIFIC, 1, 0);
        r[0].u.get_props_specific.tags.count = 1;
        r[0].u.get_props_specific.tags.tags = ft;
        ok(run1(&r[0], resp) == 0 && resp[0].u.get_props_specific.row.vals[0].tag == 0x0E070003u &&
               resp[0].u.get_props_specific.row.vals[0].v.i32 == 9,
           "a new message's PidTagMessageFlags: mfRead | mfUnsent");
        rq(&r[0], ROP_SET_MESSAGE_READ_FLAG, 1, 1);
        r[0].u.set_message_read_flag.read_flags = 0x04;
        rq(&r[1], ROP_GET_PROPERTIES_SPECIFIC, 1, 0);
        r[1].u.get_props_specific.tags.count = 1;
        r[1].u.get_props_specific.tags.tags = ft;
        ok(run(r, 2, resp) == 2 && resp[0].ret == 0 && resp[0].u.set_message_read_flag.changed &&
               resp[1].u.get_props_specific.row.vals[0].v.i32 == 8,
           "SetMessageReadFlag(clear) on it: changed, flags 8");
        rq(&r[0], ROP_SET_MESSAGE_READ_FLAG, 1, 1);
        r[0].u.set_message_read_flag.read_flags = 0x00;
        ok(run1(&r[0], resp) == 0 && resp[0].u.set_message_read_flag.changed, "and read again");
    }
}

/* Outlook edits a draft with many SetProperties between saves: the journal
 * keeps each property's latest value once. */
static void test_journal_pruning(void)
{
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    mapi_propval_t pv[20];
    char text[20][64];
    uint32_t round, k, first = 0, tags[] = {0x6800001Fu, 0x68130003u}, good = 1;
    for (round = 0; round < 200; round++) {
        for (k = 0; k < 20; k++) {
            snprintf(text[k], sizeof(text[k]), "value %u of property %u, edited", round, k);
            pv[k].tag = MAPI_PROP_TAG(0x6800 + k, k % 2 ? MAPI_PT_LONG : MAPI_PT_UNICODE);
            if (k % 2)
                pv[k].v.i32 = (int32_t)(round * 100 + k);
            else
                pv[k].v.str = text[k];
        }
        rq(&r, ROP_SET_PROPERTIES, 1, 0);
        r.u.set_props.props.count = 20 - round % 3; /* not always the same set */
        r.u.set_props.props.vals = pv;
        good &= run1(&r, &resp) == 0;
        if (round == 0)
            first = obj_at(1)->data_len;
    }
    ok(good, "200 SetProperties of 18-20 properties");
    ok(obj_at(1)->data_len < first + 2000, "the state stays the size of one set (%u bytes, %u after the first)",
       obj_at(1)->data_len, first);
    rq(&r, ROP_GET_PROPERTIES_SPECIFIC, 1, 0);
    r.u.get_props_specific.want_unicode = 1;
    r.u.get_props_specific.tags.count = 2;
    r.u.get_props_specific.tags.tags = tags;
    if (ok(run1(&r, &resp) == 0, "GetPropertiesSpecific"))
        ok(strcmp(resp.u.get_props_specific.row.vals[0].v.str, "value 199 of property 0, edited") == 0 &&
               resp.u.get_props_specific.row.vals[1].v.i32 == 19819,
           "the latest values win (%d)", resp.u.get_props_specific.row.vals[1].v.i32);
}

/* Files in the spool directory (spill files of pending values). */
static int spool_files(void)
{
    char cmd[400], line[64];
    FILE *f;
    int n = -1;
    snprintf(cmd, sizeof(cmd), "ls '%s/spool' 2>/dev/null | wc -l", root);
    if ((f = popen(cmd, "r"))) {
        if (fgets(line, sizeof(line), f))
            n = atoi(line);
        pclose(f);
    }
    return n;
}

/* 100 WriteStream calls: coalesced in the journal while small, then in a
 * spill file written in place; the save persists it and removes the file. */
static void test_stream_writes(void)
{
    mapi_rop_req_t r[3];
    mapi_rop_resp_t resp[3];
    uint8_t chunk[1000];
    uint32_t blob_after_10 = 0, blob_after_30 = 0, i, ec;
    int good = 1;
    rq(&r[0], ROP_OPEN_STREAM, 1, 2);
    r[0].u.open_stream.tag = PR_HTML;
    r[0].u.open_stream.open_mode = 2;
    is_int(run1(&r[0], resp), 0, "OpenStream(Create) on the new message");
    for (i = 0; i < 100; i++) {
        memset(chunk, 'a' + (int)(i % 26), sizeof(chunk));
        rq(&r[0], ROP_WRITE_STREAM, 2, 0);
        r[0].u.write_stream.data.data = chunk;
        r[0].u.write_stream.data.len = sizeof(chunk);
        if (run1(&r[0], resp) != 0 || resp[0].u.write_stream.written != sizeof(chunk))
            good = 0;
        if (i == 9)
            blob_after_10 = obj_at(1)->data_len;
        if (i == 29)
            blob_after_30 = obj_at(1)->data_len;
    }
    ok(good, "100 WriteStream calls of 1000 bytes");
    ok(blob_after_10 > 10000 && blob_after_10 < 12500, "while small, the message's state holds the value once (%u bytes)",
       blob_after_10);
    ok(blob_after_30 < 2000 && obj_at(1)->data_len < 2000, "past %u bytes it names a spill file instead (%u, %u bytes)",
       MOBJ_SPILL_MIN, blob_after_30, obj_at(1)->data_len);
    is_int(spool_files(), 1, "one spill file");
    {
        static char big_text[20000];
        mapi_propval_t bv;
        uint32_t t[] = {PR_BODY_W};
        memset(big_text, 'q', sizeof(big_text) - 1);
        bv.tag = PR_BODY_W;
        bv.v.str = big_text;
        rq(&r[0], ROP_SET_PROPERTIES, 1, 0);
        r[0].u.set_props.props.count = 1;
        r[0].u.set_props.props.vals = &bv;
        ec = run1(&r[0], resp);
        ok(ec == 0 && obj_at(1)->data_len < 2000 && spool_files() == 2,
           "SetProperties of a 40 KB Unicode body spills it too (state %u bytes)", obj_at(1)->data_len);
        rq(&r[0], ROP_OPEN_STREAM, 1, 3);
        r[0].u.open_stream.tag = PR_BODY_W;
        rq(&r[1], ROP_GET_PROPERTIES_SPECIFIC, 1, 0);
        r[1].u.get_props_specific.tags.count = 1;
        r[1].u.get_props_specific.tags.tags = t;
        ok(run(r, 2, resp) == 2 && resp[0].ret == 0 && resp[0].u.stream_size.size == 2 * (sizeof(big_text) - 1),
           "its stream has the UTF-16 size");
        ok(resp[1].ret == 0 && resp[1].u.get_props_specific.row.vals[0].tag == 0x1000000Au,
           "GetPropertiesSpecific answers NotEnoughMemory for it");
        rq(&r[0], ROP_RELEASE, 3, 0);
        run(r, 1, resp);
    }
    rq(&r[0], ROP_SEEK_STREAM, 2, 0);
    r[0].u.seek_stream.origin = 0;
    r[0].u.seek_stream.offset = 55500;
    rq(&r[1], ROP_READ_STREAM, 2, 0);
    r[1].u.read_stream.byte_count = 4;
    ok(run(r, 2, resp) == 2 && resp[1].ret == 0 && resp[1].u.read_stream.data.len == 4 &&
           memcmp(resp[1].u.read_stream.data.data, "dddd", 4) == 0,
       "reads back what the 56th write put there");
    {
        static uint8_t big[60000];
        memset(big, 'z', sizeof(big));
        good = 1;
        for (i = 0; i < 4; i++) {
            rq(&r[0], ROP_WRITE_STREAM, 2, 0);
            r[0].u.write_stream.data.data = big;
            r[0].u.write_stream.data.len = sizeof(big);
            good &= run1(&r[0], resp) == 0;
        }
        ok(good, "four more writes of 60000 bytes: far past the session state budget");
        rq(&r[0], ROP_GET_STREAM_SIZE, 2, 0);
        ec = run1(&r[0], resp);
        ok(ec == 0 && resp[0].u.stream_size.size == 55504 + 240000, "GetStreamSize %u", resp[0].u.stream_size.size);
        rq(&r[0], ROP_SET_STREAM_SIZE, 2, 0);
        r[0].u.set_stream_size.size = 295000;
        rq(&r[1], ROP_GET_STREAM_SIZE, 2, 0);
        ok(run(r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].u.stream_size.size == 295000,
           "SetStreamSize cuts the spilled value");
        rq(&r[0], ROP_SEEK_STREAM, 2, 0);
        r[0].u.seek_stream.origin = 0;
        r[0].u.seek_stream.offset = (int64_t)MOBJ_SPILL_MAX;
        rq(&r[1], ROP_WRITE_STREAM, 2, 0);
        r[1].u.write_stream.data.data = big;
        r[1].u.write_stream.data.len = 10;
        ok(run(r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].ret == 0x80030070u,
           "past %u bytes: StreamSizeError", MOBJ_SPILL_MAX);
    }
    rq(&r[0], ROP_RELEASE, 2, 0);
    run(r, 1, resp);
}

/* Hostile state: truncated and garbled blobs, random journals. */
static void test_hostile_state(void)
{
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    mapi_obj_t *o = obj_at(1);
    uint8_t *saved = malloc(o->data_len);
    uint32_t saved_len = o->data_len, cut, crashes = 0, errors = 0, it;
    memcpy(saved, o->data, saved_len);
    for (cut = 0; cut < 64 && cut < saved_len; cut += 3) {
        o = obj_at(1);
        o->data_len = cut; /* truncated blob */
        rq(&r, ROP_GET_PROPERTIES_ALL, 1, 0);
        if (run1(&r, &resp) == MAPI_EC_INVALID_OBJECT)
            errors++;
        o = obj_at(1);
        o->data = realloc(o->data, saved_len);
        memcpy(o->data, saved, saved_len);
        o->data_len = saved_len;
    }
    ok(errors == (cut + 2) / 3, "truncated message state: ecInvalidObject every time (%u)", errors);
    /* random journals replayed on a real message */
    {
        rop_ctx_t c;
        ms_message_t *msg;
        ms_mailbox_t *mbx;
        uint8_t j[256];
        unsigned seed = 12345;
        memset(&c, 0, sizeof(c));
        c.ectx = &ectx;
        c.objs = &objs;
        c.arena = &arena;
        ok(ms_mailbox_open(store, MS_LOOKUP_GUID, mbx_text, &mbx) == MS_OK, "mailbox for the journal fuzz");
        c.mbx = mbx;
        for (it = 0; it < 3000; it++) {
            size_t i, len = (size_t)(rand_r(&seed) % sizeof(j));
            uint32_t ec;
            for (i = 0; i < len; i++)
                j[i] = (uint8_t)rand_r(&seed);
            if (len > 5 && it % 2) { /* a plausible op header with a random body */
                j[0] = (uint8_t)(1 + rand_r(&seed) % 10);
                mapi_put_le32(j + 1, (uint32_t)(len - 5));
            }
            if (ms_message_create(mbx, ms_special_folder_id(MS_FOLDER_INBOX), 0, &msg) != MS_OK)
                break;
            ec = mobj_apply(&c, msg, MOBJ_NO_ATTACH, j, len, 0);
            if (ec != MAPI_EC_SUCCESS && ec != MAPI_EC_INVALID_OBJECT && ec != MAPI_EC_INVALID_PARAMETER &&
                ec != MAPI_EC_NOT_FOUND && ec != MAPI_EC_OBJECT_MODIFIED && ec != MAPI_EC_NOT_SUPPORTED &&
                ec != MAPI_EC_TOO_COMPLEX && ec != MAPI_EC_MAX_ATTACH_EXCEEDED)
                crashes++;
            ms_message_free(msg);
            mapi_arena_clear(&arena);
        }
        is_int(it, 3000, "3000 random journals replayed");
        { /* a spill op naming a path outside the spool directory */
            uint8_t op[5 + 5 + 32];
            op[0] = MJ_SET_SPILL;
            mapi_put_le32(op + 1, 5 + 32);
            mapi_put_le32(op + 5, 0x10130102u);
            op[9] = 32;
            memcpy(op + 10, "../../../../../../../etc/passwd", 32);
            if (ms_message_create(mbx, ms_special_folder_id(MS_FOLDER_INBOX), 0, &msg) == MS_OK) {
                is_int(mobj_apply(&c, msg, MOBJ_NO_ATTACH, op, sizeof(op), 0), MAPI_EC_INVALID_OBJECT,
                       "a spill name that is not 32 hex digits is refused");
                memcpy(op + 10, "0123456789abcdef0123456789abcdef", 32);
                is_int(mobj_apply(&c, msg, MOBJ_NO_ATTACH, op, sizeof(op), 0), MAPI_EC_INVALID_OBJECT,
                       "a spill file that does not exist: ecInvalidObject");
                ms_message_free(msg);
            }
        }
        is_int(crashes, 0, "each one applies or gives a spec error");
        ms_mailbox_close(mbx);
    }
    /* random blobs decode or are refused */
    {
        mapi_obj_t fake;
        mobj_state_t st;
        uint8_t b[80];
        unsigned seed = 777;
        int decoded = 0;
        memset(&fake, 0, sizeof(fake));
        fake.type = MAPI_OBJ_MESSAGE;
        fake.data = b;
        for (it = 0; it < 5000; it++) {
            size_t i;
            fake.data_len = (uint32_t)(rand_r(&seed) % sizeof(b));
            for (i = 0; i < sizeof(b); i++)
                b[i] = (uint8_t)rand_r(&seed);
            if (it % 2 && fake.data_len >= 4)
                memcpy(b, "MOB1", 4);
            if (mobj_decode(&fake, &st) == 0) {
                decoded++;
                if (st.journal_len > fake.data_len)
                    decoded = -100000;
            }
        }
        ok(decoded >= 0, "random blobs: decoded ones never claim more journal than they hold (%d)", decoded);
    }
    free(saved);
    /* a stream object whose state is garbage */
    {
        mapi_rop_req_t rr[2];
        mapi_rop_resp_t rs[2];
        mapi_obj_t *so;
        rq(&rr[0], ROP_OPEN_STREAM, 1, 4);
        rr[0].u.open_stream.tag = 0x0037001Fu;
        rr[0].u.open_stream.open_mode = 1;
        ok(run1(&rr[0], rs) == 0 && (so = obj_at(4)) != NULL, "a stream on the subject");
        so = obj_at(4);
        if (ok(so && so->data_len == 19, "its state is 19 bytes")) {
            so->data[18] = 7; /* spill name length that is neither 0 nor 32 */
            rq(&rr[0], ROP_READ_STREAM, 4, 0);
            rr[0].u.read_stream.byte_count = 10;
            is_int(run1(&rr[0], rs), MAPI_EC_INVALID_OBJECT, "a stream with a bad state: ecInvalidObject");
            so = obj_at(4);
            so->data_len = 3;
            rq(&rr[0], ROP_GET_STREAM_SIZE, 4, 0);
            is_int(run1(&rr[0], rs), MAPI_EC_INVALID_OBJECT, "a truncated stream state: ecInvalidObject");
        }
        rq(&rr[0], ROP_RELEASE, 4, 0);
        run(rr, 1, rs);
    }
}

static void test_save_and_conflict(void)
{
    mapi_rop_req_t r[2];
    mapi_rop_resp_t resp[2];
    mapi_propval_t pv;
    uint64_t mid;
    uint32_t ec;
    rq(&r[0], ROP_SET_PROPERTIES, 1, 0);
    pv.tag = PR_BODY_W;
    pv.v.str = "body";
    r[0].u.set_props.props.count = 1;
    r[0].u.set_props.props.vals = &pv;
    rq(&r[1], ROP_SAVE_CHANGES_MESSAGE, 1, 1);
    r[1].u.save_changes.save_flags = 0x02;
    ok(run(r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].ret == 0, "save the message");
    mid = resp[1].u.save_changes_message.message_id;
    ok(mid != 0, "it has a MID");
    is_int(spool_files(), 0, "the save removed the spill file");
    {
        uint32_t t[] = {PR_HTML};
        rq(&r[0], ROP_GET_PROPERTIES_SPECIFIC, 1, 0);
        r[0].u.get_props_specific.tags.count = 1;
        r[0].u.get_props_specific.tags.tags = t;
        r[0].u.get_props_specific.size_limit = 0;
        ec = run1(&r[0], resp);
        ok(ec == 0 && resp[0].u.get_props_specific.row.vals[0].tag == 0x1013000Au,
           "the saved 295000-byte value is too big for GetPropertiesSpecific (0x%08X)",
           resp[0].u.get_props_specific.row.vals[0].v.err);
        rq(&r[0], ROP_OPEN_STREAM, 1, 2);
        r[0].u.open_stream.tag = PR_HTML;
        ok(run1(&r[0], resp) == 0 && resp[0].u.stream_size.size == 295000, "and its stream is stored (%u bytes)",
           resp[0].u.stream_size.size);
        rq(&r[0], ROP_RELEASE, 2, 0);
        run(r, 1, resp);
    }
    rq(&r[0], ROP_OPEN_MESSAGE, 0, 3);
    r[0].u.open_message.folder_id = ms_special_folder_id(MS_FOLDER_INBOX);
    r[0].u.open_message.message_id = mid;
    r[0].u.open_message.open_mode = 1;
    is_int(run1(&r[0], resp), 0, "a second handle on it");
    rq(&r[0], ROP_SAVE_CHANGES_MESSAGE, 1, 1);
    r[0].u.save_changes.save_flags = 0x02;
    is_int(run1(&r[0], resp), 0, "the first handle saves again");
    rq(&r[0], ROP_SAVE_CHANGES_MESSAGE, 3, 3);
    r[0].u.save_changes.save_flags = 0x02;
    is_int(run1(&r[0], resp), MAPI_EC_OBJECT_MODIFIED, "the second: ecObjectModified");
    /* the message deleted under an open handle */
    {
        ms_mailbox_t *mbx;
        if (ms_mailbox_open(store, MS_LOOKUP_GUID, mbx_text, &mbx) == MS_OK) {
            ms_message_delete(NULL, mbx, ms_special_folder_id(MS_FOLDER_INBOX), &mid, 1, 1);
            ms_mailbox_close(mbx);
        }
        rq(&r[0], ROP_GET_PROPERTIES_ALL, 3, 0);
        ec = run1(&r[0], resp);
        is_int(ec, MAPI_EC_OBJECT_DELETED, "a message deleted since it was opened: ecObjectDeleted");
    }
    /* children of a released parent */
    rq(&r[0], ROP_CREATE_MESSAGE, 0, 4);
    r[0].u.create_message.folder_id = ms_special_folder_id(MS_FOLDER_INBOX);
    rq(&r[1], ROP_CREATE_ATTACHMENT, 4, 5);
    ok(run(r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].ret == 0, "a message with an attachment object");
    rq(&r[0], ROP_RELEASE, 4, 0);
    rq(&r[1], ROP_GET_PROPERTIES_ALL, 5, 0);
    ok(run(r, 2, resp) == 1 && resp[0].ret == MAPI_EC_OBJECT_DELETED,
       "the attachment of a released message: ecObjectDeleted");
}

/* The attachment table's rows (served by the table ROPs). */
static void test_attach_rows(void)
{
    mapi_rop_req_t r[4];
    mapi_rop_resp_t resp[4];
    mapi_propval_t pv[2];
    uint32_t cols[] = {0x0E210003u, 0x3707001Fu, 0x0FF60102u, 0x0E200003u, 0x6666001Fu, 0x0FFE0003u};
    ms_rowset_t rs;
    rop_ctx_t c;
    ms_mailbox_t *mbx = NULL;
    uint32_t ec;
    int i;
    rq(&r[0], ROP_CREATE_MESSAGE, 0, 6);
    r[0].u.create_message.folder_id = ms_special_folder_id(MS_FOLDER_INBOX);
    is_int(run1(&r[0], resp), 0, "a message for the attachment table");
    for (i = 0; i < 2; i++) {
        rq(&r[0], ROP_CREATE_ATTACHMENT, 6, 7);
        rq(&r[1], ROP_SET_PROPERTIES, 7, 0);
        pv[0].tag = 0x3707001Fu;
        pv[0].v.str = i ? "second.txt" : "first.txt";
        pv[1].tag = MS_PR_ATTACH_DATA_BIN;
        pv[1].v.bin.data = (uint8_t *)"0123456789";
        pv[1].v.bin.len = (uint32_t)(5 + i * 5);
        r[1].u.set_props.props.count = 2;
        r[1].u.set_props.props.vals = pv;
        rq(&r[2], ROP_SAVE_CHANGES_ATTACHMENT, 7, 7);
        rq(&r[3], ROP_RELEASE, 7, 0);
        ok(run(r, 4, resp) == 3 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0, "attachment %d saved into the message", i);
    }
    memset(&c, 0, sizeof(c));
    c.ectx = &ectx;
    c.objs = &objs;
    c.arena = &arena;
    ms_mailbox_open(store, MS_LOOKUP_GUID, mbx_text, &mbx);
    c.mbx = mbx;
    ec = rop_attach_table_rows(&c, handles[6], cols, 6, &rs);
    is_int(ec, 0, "rop_attach_table_rows");
    ok(ec == 0 && rs.count == 2 && rs.ncols == 6, "two rows of six columns");
    if (ec == 0 && rs.count == 2) {
        ok(rs.rows[0][0].value.l == 0 && rs.rows[1][0].value.l == 1, "PR_ATTACH_NUM 0 and 1");
        ok(rs.rows[1][1].tag == 0x3707001Fu && strcmp(rs.rows[1][1].value.str, "second.txt") == 0, "the file names");
        ok(rs.rows[1][2].value.bin.cb == 4 && rs.rows[1][2].value.bin.pb[0] == 1, "PR_INSTANCE_KEY from the number");
        ok(rs.rows[0][3].value.l >= 5 && rs.rows[1][3].value.l > rs.rows[0][3].value.l, "PR_ATTACH_SIZE computed");
        ok(rs.rows[0][4].tag == 0x6666000Au && rs.rows[0][4].value.err == MAPI_EC_NOT_FOUND, "a missing column: ecNotFound");
        ok(rs.rows[0][5].value.l == 7, "PR_OBJECT_TYPE MAPI_ATTACH");
        ms_rowset_free(&rs);
    }
    is_int(rop_attach_table_rows(&c, 0xFFFF, cols, 6, &rs), MAPI_EC_OBJECT_DELETED, "a handle that is gone");

    /* CopyTo with sub-objects: a recipient and both attachments go along */
    {
        uint32_t rcols_tags[] = {0x39FE001Fu};
        mapi_tagarray_t rcols = {1, rcols_tags};
        mapi_recipient_t rr;
        mapi_propval_t rv;
        mapi_recipient_row_t row;
        mapi_wr_t w;
        memset(&rr, 0, sizeof(rr));
        rr.flags = MAPI_RECIP_TYPE_SMTP | MAPI_RECIP_EMAIL | MAPI_RECIP_DISPLAY | MAPI_RECIP_UNICODE;
        rr.email = "carol@example.test";
        rr.display_name = "Carol";
        rv.tag = 0x39FE001Fu;
        rv.v.str = "carol@example.test";
        rr.ncols = 1;
        rr.vals = &rv;
        mapi_wr_init(&w, 0);
        mapi_recipient_row_encode(&w, &rcols, &rr);
        memset(&row, 0, sizeof(row));
        row.recipient_type = 1;
        row.row.data = w.p;
        row.row.len = (uint32_t)w.len;
        rq(&r[0], ROP_MODIFY_RECIPIENTS, 6, 0);
        r[0].u.modify_recipients.columns = rcols;
        r[0].u.modify_recipients.count = 1;
        r[0].u.modify_recipients.rows = &row;
        rq(&r[1], ROP_CREATE_MESSAGE, 0, 7);
        r[1].u.create_message.folder_id = ms_special_folder_id(MS_FOLDER_INBOX);
        rq(&r[2], ROP_COPY_TO, 6, 7);
        r[2].u.copy_props.want_subobjects = 1;
        rq(&r[3], ROP_RELOAD_CACHED_INFORMATION, 7, 0);
        ok(run(r, 4, resp) == 4 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0 && resp[3].ret == 0,
           "ModifyRecipients, CreateMessage, CopyTo(WantSubObjects), ReloadCachedInformation");
        is_int(resp[3].u.open_message.recipient_count, 1, "the copy has the recipient");
        mapi_wr_free(&w);
        ec = rop_attach_table_rows(&c, handles[7], cols, 6, &rs);
        ok(ec == 0 && rs.count == 2 && rs.rows[1][1].tag == 0x3707001Fu &&
               strcmp(rs.rows[1][1].value.str, "second.txt") == 0,
           "and both attachments");
        if (ec == 0)
            ms_rowset_free(&rs);
        rq(&r[0], ROP_SAVE_CHANGES_MESSAGE, 7, 7);
        r[0].u.save_changes.save_flags = 0x02;
        is_int(run1(&r[0], resp), 0, "the copy saves");
    }
    mapi_arena_clear(&arena);
    ms_mailbox_close(mbx);
}

int main(void)
{
    if (setup() != 0) {
        printf("1..0 # SKIP cannot create a store\n");
        return 0;
    }
    ok(test_engine_areas[0] && test_engine_areas[1], "the ROP area tables are linked in");
    test_state_across_processes();
    test_journal_pruning();
    test_stream_writes();
    test_hostile_state();
    test_save_and_conflict();
    test_attach_rows();
    mapi_objtab_free(&objs);
    mapi_arena_clear(&arena);
    ms_store_close(store);
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        if (system(cmd) != 0)
            diag("could not remove %s", root);
    }
    return done_testing();
}
