/* Unit tests for mapicodec/mapi_ids.c: id byte layout, GID/LongTermId,
 * XID/PCL parse/merge/serialize, EntryIDs with known bytes, bad input. */
#include "tap.h"
#include "mapi_ids.h"

static mapi_arena_t A;
static const mapi_guid_t G1 = {{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00}};
static const mapi_guid_t G2 = {{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}};

static void test_id_layout(void)
{
    uint64_t id = mapi_id_make(0x0001, 0x000000000123ull);
    mapi_wr_t wr;
    static const uint8_t want[] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x23};
    uint8_t gc[6];
    mapi_wr_init(&wr, 0);
    mapi_wr_u64(&wr, id);
    is_mem(wr.p, wr.len, want, 8, "FID 1-0x123: ReplicaId LE then GLOBCNT big-endian");
    mapi_wr_free(&wr);
    is_int(mapi_id_replid(id), 1, "replid back");
    is_int(mapi_id_globcnt(id), 0x123, "globcnt back");
    is_int(mapi_id_globcnt(mapi_id_make(5, MAPI_GLOBCNT_MAX)), MAPI_GLOBCNT_MAX, "48-bit max round trip");
    mapi_globcnt_put(gc, 0x0102030405ull);
    ok(gc[0] == 0 && gc[1] == 1 && gc[5] == 5, "GLOBCNT is big-endian");
    is_int(mapi_globcnt_get(gc), 0x0102030405ll, "GLOBCNT get");
}

static void test_gid(void)
{
    mapi_gid_t g = {G1, 0x1234}, back;
    mapi_wr_t wr;
    mapi_rd_t rd;
    uint8_t sk[22];
    static const uint8_t ltid[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC,
                                   0xDD, 0xEE, 0xFF, 0x00, 0, 0, 0, 0, 0x12, 0x34, 0, 0};
    mapi_wr_init(&wr, 0);
    mapi_longtermid_encode(&wr, &g);
    is_mem(wr.p, wr.len, ltid, sizeof(ltid), "LongTermId: GUID + GLOBCNT BE + 2 pad bytes = 24");
    mapi_wr_free(&wr);
    mapi_rd_init(&rd, ltid, sizeof(ltid));
    is_int(mapi_longtermid_decode(&rd, &back), MAPI_OK, "LongTermId decodes");
    ok(mapi_guid_eq(&back.guid, &G1) && back.globcnt == 0x1234, "LongTermId fields");
    mapi_rd_init(&rd, ltid, 23);
    is_int(mapi_longtermid_decode(&rd, &back), MAPI_E_TRUNCATED, "23 bytes: truncated");
    mapi_sourcekey_make(sk, &G1, mapi_id_make(1, 0x1234));
    is_mem(sk, 22, ltid, 22, "source key = GID of the id");
}

static void test_pcl(void)
{
    uint8_t buf[64 * 3];
    size_t n = 0;
    mapi_pcl_t p, q, m;
    mapi_xid_t x;
    mapi_wr_t wr;
    static const uint8_t bad[] = {0x10, 0, 0, 0};
    static const uint8_t past[] = {0x16, 1, 2, 3};

    /* G1:5, G2:7, G1:9 (a duplicate GUID: larger kept) */
    buf[n++] = 22; memcpy(buf + n, G1.b, 16); n += 16; mapi_globcnt_put(buf + n, 5); n += 6;
    buf[n++] = 22; memcpy(buf + n, G2.b, 16); n += 16; mapi_globcnt_put(buf + n, 7); n += 6;
    is_int(mapi_pcl_parse(&A, buf, n, &p), MAPI_OK, "PCL of 2 parses");
    is_int(p.count, 2, "2 XIDs");
    mapi_wr_init(&wr, 0);
    is_int(mapi_pcl_serialize(&wr, &p), MAPI_OK, "serializes");
    is_mem(wr.p, wr.len, buf, n, "PCL round trip");
    mapi_wr_free(&wr);
    buf[n++] = 22; memcpy(buf + n, G1.b, 16); n += 16; mapi_globcnt_put(buf + n, 9); n += 6;
    is_int(mapi_pcl_parse(&A, buf, n, &q), MAPI_OK, "PCL with duplicate GUID parses");
    is_int(q.count, 2, "duplicate GUID merged");
    is_int(mapi_xid_local_value(&q.xids[0]), 9, "larger LocalId kept");

    ok(mapi_pcl_includes(&q, &p), "{G1:9,G2:7} includes {G1:5,G2:7}");
    ok(!mapi_pcl_includes(&p, &q), "{G1:5,G2:7} does not include {G1:9}");

    mapi_xid_make(&x, &G1, 3);
    p.count = 1; p.xids = &x;
    mapi_xid_make(&x, &G1, 3);
    {
        mapi_xid_t y[1];
        mapi_pcl_t r;
        mapi_xid_make(&y[0], &G2, 11);
        r.count = 1; r.xids = y;
        is_int(mapi_pcl_merge(&A, &p, &r, &m), MAPI_OK, "merge");
        ok(m.count == 2 && mapi_xid_local_value(&m.xids[1]) == 11, "merge keeps both GUIDs");
        ok(mapi_pcl_includes(&m, &p) && mapi_pcl_includes(&m, &r), "merge includes both");
    }
    is_int(mapi_pcl_parse(&A, bad, sizeof(bad), &p), MAPI_E_BAD_VALUE, "XidSize 16 rejected");
    is_int(mapi_pcl_parse(&A, past, sizeof(past), &p), MAPI_E_TRUNCATED, "XidSize past the end");
    is_int(mapi_pcl_parse(&A, buf, n - 1, &p), MAPI_E_TRUNCATED, "PCL cut short");
    is_int(mapi_xid_from_bytes(buf + 1, 25, &x), MAPI_E_BAD_VALUE, "25-byte XID rejected");
}

static void test_entryids(void)
{
    mapi_folder_entryid_t f, fb;
    mapi_message_entryid_t m, mb;
    mapi_wr_t wr;
    uint8_t want[70];

    memset(&f, 0, sizeof(f));
    f.provider = G2;
    f.type = MAPI_EITLT_PRIVATE_FOLDER;
    f.folder.guid = G1;
    f.folder.globcnt = 0x10;
    memset(want, 0, sizeof(want));
    memcpy(want + 4, G2.b, 16);
    want[20] = 0x01;
    memcpy(want + 22, G1.b, 16);
    want[43] = 0x10;
    mapi_wr_init(&wr, 0);
    mapi_folder_entryid_encode(&wr, &f);
    is_mem(wr.p, wr.len, want, 46, "folder EntryID: 46 bytes, known layout");
    is_int(mapi_folder_entryid_parse(wr.p, wr.len, &fb), MAPI_OK, "folder EntryID parses");
    ok(fb.folder.globcnt == 0x10 && mapi_guid_eq(&fb.provider, &G2), "folder EntryID fields");
    is_int(mapi_folder_entryid_parse(wr.p, 45, &fb), MAPI_E_TRUNCATED, "45 bytes: truncated");
    wr.p[20] = 0x07;
    is_int(mapi_folder_entryid_parse(wr.p, 46, &fb), MAPI_E_BAD_VALUE, "message type in folder EntryID");
    mapi_wr_free(&wr);

    memset(&m, 0, sizeof(m));
    m.provider = G2;
    m.type = MAPI_EITLT_PRIVATE_MESSAGE;
    m.folder = f.folder;
    m.message.guid = G1;
    m.message.globcnt = 0x20;
    want[20] = 0x07;
    memcpy(want + 46, G1.b, 16);
    want[67] = 0x20;
    mapi_wr_init(&wr, 0);
    mapi_message_entryid_encode(&wr, &m);
    is_mem(wr.p, wr.len, want, 70, "message EntryID: 70 bytes, known layout");
    is_int(mapi_message_entryid_parse(wr.p, wr.len, &mb), MAPI_OK, "message EntryID parses");
    ok(mb.message.globcnt == 0x20 && mb.folder.globcnt == 0x10, "message EntryID fields");
    is_int(mapi_message_entryid_parse(wr.p, 71, &mb), MAPI_E_BAD_VALUE, "71 bytes rejected");
    mapi_wr_free(&wr);
}

static void test_store_ab(void)
{
    mapi_store_entryid_t s, sb;
    mapi_ab_entryid_t ab, abb;
    mapi_ab_ephemeral_t ep, epb;
    mapi_oneoff_entryid_t oo, oob;
    mapi_wr_t wr;
    static const uint8_t store_head[] = {0, 0, 0, 0, 0x38, 0xA1, 0xBB, 0x10, 0x05, 0xE5, 0x10, 0x1A, 0xA1, 0xBB,
                                         0x08, 0x00, 0x2B, 0x2A, 0x56, 0xC2, 0, 0, 'e', 'm', 's', 'm', 'd', 'b',
                                         '.', 'd', 'l', 'l', 0, 0, 0, 0, 0, 0, 0, 0,
                                         0x1B, 0x55, 0xFA, 0x20, 0xAA, 0x66, 0x11, 0xCD, 0x9B, 0xC8, 0x00, 0xAA,
                                         0x00, 0x2F, 0xC4, 0x5A, 0x0C, 0, 0, 0, 's', 'r', 'v', 0, '/', 'o', 0};
    static const uint8_t ab_want[] = {0, 0, 0, 0, 0xDC, 0xA7, 0x40, 0xC8, 0xC0, 0x42, 0x10, 0x1A, 0xB4, 0xB9,
                                      0x08, 0x00, 0x2B, 0x2F, 0xE1, 0x82, 1, 0, 0, 0, 0, 0, 0, 0,
                                      '/', 'o', '=', 'x', 0};
    static const uint8_t oo_want[] = {0, 0, 0, 0, 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E,
                                      0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02, 0, 0, 0x01, 0x80,
                                      'B', 0, 0, 0, 'S', 0, 'M', 0, 'T', 0, 'P', 0, 0, 0,
                                      'b', 0, '@', 0, 'x', 0, 0, 0};

    memset(&s, 0, sizeof(s));
    s.server = (char *)"srv";
    s.mailbox_dn = (char *)"/o";
    mapi_wr_init(&wr, 0);
    mapi_store_entryid_encode(&wr, &s);
    is_mem(wr.p, wr.len, store_head, sizeof(store_head), "private store EntryID bytes");
    is_int(mapi_store_entryid_parse(&A, wr.p, wr.len, &sb), MAPI_OK, "store EntryID parses");
    ok(!sb.is_public && strcmp(sb.server, "srv") == 0 && strcmp(sb.mailbox_dn, "/o") == 0, "store fields");
    is_int(mapi_store_entryid_parse(&A, wr.p, wr.len - 1, &sb), MAPI_E_TRUNCATED, "store EntryID without DN NUL");
    wr.p[4] ^= 1;
    is_int(mapi_store_entryid_parse(&A, wr.p, wr.len, &sb), MAPI_E_BAD_VALUE, "wrong provider UID");
    mapi_wr_free(&wr);

    ab.type = 0;
    ab.dn = (char *)"/o=x";
    mapi_wr_init(&wr, 0);
    mapi_ab_entryid_encode(&wr, &ab);
    is_mem(wr.p, wr.len, ab_want, sizeof(ab_want), "address book permanent EntryID bytes");
    is_int(mapi_ab_entryid_parse(&A, wr.p, wr.len, &abb), MAPI_OK, "AB EntryID parses");
    is_str(abb.dn, "/o=x", "AB DN");
    is_int(mapi_ab_entryid_parse(&A, wr.p, 27, &abb), MAPI_E_TRUNCATED, "AB EntryID truncated");
    mapi_wr_free(&wr);

    ep.server = G1;
    ep.display_type = 0;
    ep.mid = 0x42;
    mapi_wr_init(&wr, 0);
    mapi_ab_ephemeral_encode(&wr, &ep);
    ok(wr.len == 32 && wr.p[0] == 0x87 && wr.p[28] == 0x42, "ephemeral EntryID: 32 bytes, 0x87, MId last");
    is_int(mapi_ab_ephemeral_parse(wr.p, wr.len, &epb), MAPI_OK, "ephemeral parses");
    ok(epb.mid == 0x42 && mapi_guid_eq(&epb.server, &G1), "ephemeral fields");
    wr.p[0] = 0;
    is_int(mapi_ab_ephemeral_parse(wr.p, wr.len, &epb), MAPI_E_BAD_VALUE, "ephemeral type byte checked");
    mapi_wr_free(&wr);

    oo.flags = MAPI_ONEOFF_UNICODE | MAPI_ONEOFF_NO_RICH_INFO;
    oo.display_name = (char *)"B";
    oo.address_type = (char *)"SMTP";
    oo.address = (char *)"b@x";
    mapi_wr_init(&wr, 0);
    mapi_oneoff_entryid_encode(&wr, &oo);
    is_mem(wr.p, wr.len, oo_want, sizeof(oo_want), "one-off EntryID (Unicode) bytes");
    is_int(mapi_oneoff_entryid_parse(&A, wr.p, wr.len, &oob), MAPI_OK, "one-off parses");
    ok(strcmp(oob.address_type, "SMTP") == 0 && strcmp(oob.address, "b@x") == 0, "one-off fields");
    is_int(mapi_oneoff_entryid_parse(&A, wr.p, wr.len - 1, &oob), MAPI_E_TRUNCATED, "one-off truncated");
    mapi_wr_free(&wr);
    oo.flags = 0;
    mapi_wr_init(&wr, 0);
    mapi_oneoff_entryid_encode(&wr, &oo);
    is_int(mapi_oneoff_entryid_parse(&A, wr.p, wr.len, &oob), MAPI_OK, "8-bit one-off parses");
    ok(wr.len == 24 + 2 + 5 + 4 && strcmp(oob.display_name, "B") == 0, "8-bit one-off strings");
    mapi_wr_free(&wr);
}

int main(void)
{
    mapi_arena_init(&A, 0);
    test_id_layout();
    test_gid();
    test_pcl();
    test_entryids();
    test_store_ab();
    mapi_arena_clear(&A);
    return done_testing();
}
