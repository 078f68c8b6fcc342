/* test_store.c - store core: ids, directory, folders, messages, named props. */
#include "test_store_util.h"

static void test_ids(void)
{
    ms_id_t id = ms_id_make(1, 0x0000123456789Aull);
    is_int(ms_id_replid(id), 1, "replid round trip");
    is_int(ms_id_globcnt(id), 0x123456789Aull, "globcnt round trip");
    /* wire bytes: 01 00 | 00 12 34 56 78 9A (GLOBCNT big-endian) */
    uint8_t wire[8];
    for (int i = 0; i < 8; i++)
        wire[i] = (uint8_t)(id >> (8 * i));
    static const uint8_t want[8] = {0x01, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9A};
    is_mem(wire, 8, want, 8, "FID wire layout ReplicaId LE + GLOBCNT BE");
    uint8_t g[6];
    ms_globcnt_to_bytes(0x010203040506ull, g);
    is_int(g[0], 1, "globcnt big-endian first byte");
    is_int(ms_globcnt_from_bytes(g), 0x010203040506ull, "globcnt bytes round trip");
    ms_guid_t rg;
    memset(rg.b, 0xAB, 16);
    uint8_t xid[MS_XID_SIZE];
    ms_make_xid(&rg, 7, xid);
    ok(xid[0] == 0xAB && xid[21] == 7 && xid[16] == 0, "XID = GUID + 6-byte GLOBCNT");
    is_int(ms_special_folder_id(MS_FOLDER_ROOT), ms_id_make(1, 1), "root folder id");
    is_int(ms_special_folder_id(MS_FOLDER_SPECIAL_COUNT), 0, "out-of-range special folder");
    is_int(ms_special_folder_by_name("inbox"), MS_FOLDER_INBOX, "special folder by name");
    is_int(ms_special_folder_by_name("nope"), -1, "unknown special folder name");
}

static void test_directory(ms_store_t *st)
{
    ms_mailbox_t *m = NULL;
    is_int(ms_mailbox_open(st, MS_LOOKUP_LOGIN, "ALICE@example.test", &m), MS_OK, "lookup by login, any case");
    ms_mailbox_info_t info;
    is_int(ms_mailbox_info(m, &info), MS_OK, "mailbox info");
    is_str(info.display_name, "Alice", "display name kept");
    ok(strstr(info.legacy_dn, "/cn=alice") != NULL, "legacyDN derived from the address");
    is_int(info.folders, MS_FOLDER_SPECIAL_COUNT, "all special folders created");
    char dn[512];
    snprintf(dn, sizeof(dn), "%s", info.legacy_dn);
    ms_mailbox_close(m);
    is_int(ms_mailbox_open(st, MS_LOOKUP_LEGACYDN, dn, &m), MS_OK, "lookup by legacyDN");
    ms_mailbox_close(m);
    is_int(ms_mailbox_open(st, MS_LOOKUP_ANY, "alice@EXAMPLE.test", &m), MS_OK, "lookup any");
    char gs[40];
    const uint8_t *b = ms_mailbox_guid(m)->b;
    snprintf(gs, sizeof(gs), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    ms_mailbox_close(m);
    is_int(ms_mailbox_open(st, MS_LOOKUP_GUID, gs, &m), MS_OK, "lookup by GUID text");
    ms_mailbox_close(m);
    m = NULL;
    is_int(ms_mailbox_open(st, MS_LOOKUP_SMTP, "bob@example.test", &m), MS_E_UNKNOWN_USER, "unknown address");
    is_int(ms_mailbox_open(st, MS_LOOKUP_GUID, "not-a-guid", &m), MS_E_UNKNOWN_USER, "bad GUID text");
    is_int(ms_mailbox_open(st, MS_LOOKUP_SMTP, "", &m), MS_E_INVALID_PARAM, "empty key");

    uint64_t dc0, dc1, dc2;
    is_int(ms_directory_counter(st, &dc0), MS_OK, "directory counter");
    ok(dc0 >= 2, "bumped by db create and mailbox create (%llu)", (unsigned long long)dc0);
    ms_mailbox_info_t bad;
    memset(&bad, 0, sizeof(bad));
    is_int(ms_mailbox_create(st, &bad), MS_E_INVALID_PARAM, "mailbox without address refused");
    ms_directory_counter(st, &dc1);
    is_int(dc1, dc0, "a refused create does not move it");
    snprintf(bad.smtp[0], sizeof(bad.smtp[0]), "no-at-sign");
    bad.nsmtp = 1;
    is_int(ms_mailbox_create(st, &bad), MS_E_INVALID_PARAM, "bad address refused");
    snprintf(bad.smtp[0], sizeof(bad.smtp[0]), "ALICE@example.test");
    is_int(ms_mailbox_create(st, &bad), MS_E_DUPLICATE_NAME, "address in use refused");
    memset(&bad, 0, sizeof(bad));
    snprintf(bad.smtp[0], sizeof(bad.smtp[0]), "bob@example.test");
    snprintf(bad.smtp[1], sizeof(bad.smtp[1]), "robert@example.test");
    bad.nsmtp = 2;
    snprintf(bad.login, sizeof(bad.login), "bob@EXAMPLE.TEST");
    snprintf(bad.db, sizeof(bad.db), "nosuchdb");
    ok(ms_mailbox_create(st, &bad) != MS_OK, "unknown database refused");
    bad.db[0] = 0;
    is_int(ms_mailbox_create(st, &bad), MS_OK, "second mailbox with two addresses");
    is_int(ms_mailbox_open(st, MS_LOOKUP_SMTP, "robert@example.test", &m), MS_OK, "alias resolves");
    ok(!memcmp(ms_mailbox_guid(m)->b, bad.guid.b, 16), "alias resolves to bob");
    ms_mailbox_close(m);
    ms_mailbox_info_t *list;
    size_t n;
    is_int(ms_mailbox_list(st, &list, &n), MS_OK, "list mailboxes");
    is_int(n, 2, "two mailboxes");
    free(list);
    ms_db_info_t *dbs;
    is_int(ms_db_list(st, &dbs, &n), MS_OK, "list databases");
    ok(n == 1 && dbs[0].mailboxes == 2, "one database with two mailboxes");
    free(dbs);
    is_int(ms_db_create(st, "db1", 0), MS_E_DUPLICATE_NAME, "duplicate database refused");
    is_int(ms_db_create(st, "../evil", 0), MS_E_INVALID_PARAM, "path in database name refused");
    is_int(ms_db_create(st, "db2", 1 << 20), MS_OK, "second database");
    ms_directory_counter(st, &dc1);
    ok(dc1 > dc0, "a new mailbox moves it");
    is_int(ms_mailbox_delete(st, &bad.guid), MS_OK, "delete bob");
    ms_directory_counter(st, &dc2);
    ok(dc2 > dc1, "a deletion moves it");
    is_int(ms_mailbox_open(st, MS_LOOKUP_SMTP, "robert@example.test", &m), MS_E_UNKNOWN_USER, "bob's alias gone");
    is_int(ms_mailbox_delete(st, &bad.guid), MS_E_UNKNOWN_USER, "delete twice");
    is_int(ts_check(st), 0, "check clean after directory operations");
}

static void test_special_folders(ms_mailbox_t *mbx)
{
    ms_propval_t *v;
    size_t n;
    uint32_t tags[] = {MS_PR_DISPLAY_NAME, MS_PR_CONTAINER_CLASS, MS_PR_PARENT_FID, MS_PR_ENTRYID,
                       MS_PROP_TAG(MS_PT_BINARY, 0x36D7), MS_PROP_TAG(MS_PT_MV_BINARY, 0x36D8)};
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    is_int(ms_folder_get_props(NULL, mbx, inbox, tags, 6, &v, &n), MS_OK, "inbox props");
    is_str(v[0].value.str, "Inbox", "inbox name");
    is_str(v[1].value.str, "IPF.Note", "inbox container class");
    is_int(v[2].value.li, ms_special_folder_id(MS_FOLDER_IPM_SUBTREE), "inbox under IPM subtree");
    uint8_t eid[MS_FOLDER_ENTRYID_SIZE];
    ms_folder_entryid(mbx, inbox, eid);
    is_mem(v[3].value.bin.pb, v[3].value.bin.cb, eid, sizeof(eid), "inbox entry id");
    ms_folder_entryid(mbx, ms_special_folder_id(MS_FOLDER_DRAFTS), eid);
    is_mem(v[4].value.bin.pb, v[4].value.bin.cb, eid, sizeof(eid), "PidTagIpmDraftsEntryId on inbox");
    is_int(v[5].value.mv.count, 5, "PidTagAdditionalRenEntryIds has 5 entries");
    ms_folder_entryid(mbx, ms_special_folder_id(MS_FOLDER_JUNK), eid);
    is_mem(v[5].value.mv.v.bin[4].pb, v[5].value.mv.v.bin[4].cb, eid, sizeof(eid), "[4] is Junk E-mail");
    ms_propvals_free(v, n);
    ms_id_t fid, mid;
    is_int(ms_entryid_parse(mbx, eid, sizeof(eid), &fid, &mid), MS_OK, "parse folder entry id");
    ok(fid == ms_special_folder_id(MS_FOLDER_JUNK) && mid == 0, "parsed ids");
    eid[20] = 9;
    is_int(ms_entryid_parse(mbx, eid, sizeof(eid), &fid, &mid), MS_E_INVALID_ENTRYID, "bad folder type");
    is_int(ms_entryid_parse(mbx, eid, 10, &fid, &mid), MS_E_INVALID_ENTRYID, "truncated entry id");
    static const struct { ms_special_t f; const char *cls; } want[] = {
        {MS_FOLDER_CALENDAR, "IPF.Appointment"}, {MS_FOLDER_CONTACTS, "IPF.Contact"},
        {MS_FOLDER_TASKS, "IPF.Task"}, {MS_FOLDER_NOTES, "IPF.StickyNote"},
        {MS_FOLDER_JOURNAL, "IPF.Journal"}, {MS_FOLDER_REMINDERS, "Outlook.Reminder"}};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        uint32_t t = MS_PR_CONTAINER_CLASS;
        ms_folder_get_props(NULL, mbx, ms_special_folder_id(want[i].f), &t, 1, &v, &n);
        is_str(MS_PROP_TYPE(v[0].tag) == MS_PT_UNICODE ? v[0].value.str : "(missing)", want[i].cls,
               "%s container class", ms_special_folder_name(want[i].f));
        ms_propvals_free(v, n);
    }
    is_int(ms_folder_delete(NULL, mbx, inbox, MS_DEL_MESSAGES | MS_DEL_FOLDERS), MS_E_ACCESS_DENIED,
           "special folder cannot be deleted");

    /* logon object properties */
    uint32_t st[4] = {MS_PROP_TAG(MS_PT_BINARY, 0x35E0), MS_PROP_TAG(MS_PT_UNICODE, 0x661C),
                      MS_PROP_TAG(MS_PT_BINARY, 0x661B), MS_PROP_TAG(MS_PT_LONG, 0x6699)};
    is_int(ms_mailbox_store_props(mbx, st, 4, &v, &n), MS_OK, "store properties");
    ms_folder_entryid(mbx, ms_special_folder_id(MS_FOLDER_IPM_SUBTREE), eid);
    is_mem(v[0].value.bin.pb, v[0].value.bin.cb, eid, sizeof(eid), "PidTagIpmSubtreeEntryId");
    is_str(v[1].value.str, "Alice", "mailbox owner name");
    ok(v[2].value.bin.cb > 28 && strstr((const char *)v[2].value.bin.pb + 28, "/cn=alice") != NULL,
       "owner entry id carries the legacyDN");
    is_int(MS_PROP_TYPE(v[3].tag), MS_PT_ERROR, "unknown store property is an error value");
    ms_propvals_free(v, n);
    is_int(ms_mailbox_store_props(mbx, NULL, 3, &v, &n), MS_E_INVALID_PARAM, "tags NULL with a count refused");
}

static void test_folders(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX), a = 0, b = 0, c = 0, x = 0;
    is_int(ms_folder_create(NULL, mbx, inbox, "Projects", "IPF.Note", 0, &a), MS_OK, "create folder");
    is_int(ms_folder_create(NULL, mbx, inbox, "projects", NULL, 0, &x), MS_E_DUPLICATE_NAME, "duplicate name (case-insensitive)");
    is_int(ms_folder_create(NULL, mbx, inbox, "PROJECTS", NULL, MS_CREATE_OPEN_IF_EXISTS, &x), MS_OK, "open if exists");
    is_int(x, a, "same folder returned");
    is_int(ms_folder_create(NULL, mbx, inbox, "", NULL, 0, &x), MS_E_INVALID_PARAM, "empty name refused");
    is_int(ms_folder_create(NULL, mbx, ms_id_make(1, 999999), "X", NULL, 0, &x), MS_E_NOT_FOUND, "missing parent");
    is_int(ms_folder_create(NULL, mbx, a, "Sub", NULL, 0, &b), MS_OK, "create subfolder");
    is_int(ms_folder_find(NULL, mbx, a, "SUB", &x), MS_OK, "find by name");
    is_int(x, b, "found the subfolder");
    uint64_t cc0, cc1;
    ms_change_counter(NULL, mbx, a, &cc0);
    ms_propval_t p = ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x3004), "a comment");
    is_int(ms_folder_set_props(NULL, mbx, a, &p, 1), MS_OK, "set folder property");
    ms_change_counter(NULL, mbx, a, &cc1);
    ok(cc1 > cc0, "folder change counter moved");
    p = ts_str(MS_PR_DISPLAY_NAME, "Inbox");
    ms_propval_t *v;
    size_t n;
    uint32_t t = MS_PROP_TAG(MS_PT_UNICODE, 0x3004);
    is_int(ms_folder_get_props(NULL, mbx, a, &t, 1, &v, &n), MS_OK, "get folder property");
    is_str(v[0].value.str, "a comment", "value kept");
    ms_propvals_free(v, n);
    is_int(ms_folder_delete_props(NULL, mbx, a, &t, 1), MS_OK, "delete folder property");
    ms_folder_get_props(NULL, mbx, a, &t, 1, &v, &n);
    is_int(MS_PROP_TYPE(v[0].tag), MS_PT_ERROR, "deleted property reads as error");
    ms_propvals_free(v, n);
    is_int(ms_folder_move(NULL, mbx, a, b, NULL), MS_E_INVALID_PARAM, "move into own subfolder refused");
    ms_id_t ipm = ms_special_folder_id(MS_FOLDER_IPM_SUBTREE);
    is_int(ms_folder_move(NULL, mbx, a, ipm, "Inbox"), MS_E_DUPLICATE_NAME, "move onto existing name refused");
    is_int(ms_folder_move(NULL, mbx, a, ipm, "Work"), MS_OK, "move and rename");
    is_int(ms_folder_find(NULL, mbx, ipm, "work", &x), MS_OK, "moved folder found");
    ts_message(mbx, b, "in sub", "Carol", 1000);
    is_int(ms_folder_copy(NULL, mbx, a, inbox, NULL, 1, &c), MS_OK, "recursive copy");
    ms_id_t csub;
    is_int(ms_folder_find(NULL, mbx, c, "Sub", &csub), MS_OK, "copied subfolder");
    uint32_t cnt = MS_PR_CONTENT_COUNT;
    ms_folder_get_props(NULL, mbx, csub, &cnt, 1, &v, &n);
    is_int(v[0].value.l, 1, "copied subfolder has the message");
    ms_propvals_free(v, n);
    is_int(ms_folder_delete(NULL, mbx, a, 0), MS_E_FAIL, "non-empty folder needs flags");
    is_int(ms_folder_delete(NULL, mbx, a, MS_DEL_MESSAGES | MS_DEL_FOLDERS), MS_OK, "delete tree");
    is_int(ms_folder_exists(NULL, mbx, b), MS_E_NOT_FOUND, "subfolder gone too");
    is_int(ms_folder_empty(NULL, mbx, c, MS_DEL_FOLDERS | MS_DEL_HARD), MS_OK, "empty folder");
    ms_folder_get_props(NULL, mbx, c, &cnt, 1, &v, &n);
    is_int(v[0].value.l, 0, "emptied");
    ms_propvals_free(v, n);
    is_int(ts_check(st), 0, "check clean after folder operations");
}

static void test_messages(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    ms_message_t *m;
    is_int(ms_message_create(mbx, inbox, 0, &m), MS_OK, "create message");
    ms_propval_t v[4] = {ts_str(MS_PR_SUBJECT, "RE: Hello"), ts_str(MS_PR_SENDER_NAME, "Bob"),
                         ts_long(MS_PROP_TAG(MS_PT_LONG, 0x0017), 2),
                         ts_str(MS_PROP_TAG(MS_PT_STRING8, 0x1035), "<id@x>")};
    is_int(ms_message_set_props(m, v, 4), MS_OK, "set properties");
    ms_propval_t bad = {.tag = MS_PROP_TAG(0x0999, 0x1234)};
    is_int(ms_message_set_props(m, &bad, 1), MS_E_INVALID_PARAM, "bad type refused");
    ms_propval_t nullstr = {.tag = MS_PR_SUBJECT};
    is_int(ms_message_set_props(m, &nullstr, 1), MS_E_INVALID_PARAM, "NULL string refused");
    /* large body: chunked out of line */
    size_t big = 3 * MS_CHUNK_SIZE + 123;
    char *body = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        body[i] = (char)('a' + i % 26);
    body[big] = 0;
    ms_propval_t bv = ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x1000), body);
    is_int(ms_message_set_props(m, &bv, 1), MS_OK, "set large body");
    ms_propval_t r1[3] = {ts_str(MS_PR_DISPLAY_NAME, "Carol"), ts_long(MS_PR_RECIPIENT_TYPE, 1),
                          ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x3003), "carol@example.test")};
    is_int(ms_message_modify_recipient(m, UINT32_MAX, r1, 3), MS_OK, "add recipient");
    r1[0] = ts_str(MS_PR_DISPLAY_NAME, "Dave");
    is_int(ms_message_modify_recipient(m, UINT32_MAX, r1, 3), MS_OK, "add second recipient");
    is_int(ms_message_recipient_count(m), 2, "two recipients");
    uint32_t an;
    is_int(ms_message_create_attach(m, &an), MS_OK, "create attachment");
    uint8_t *data = malloc(200000);
    for (int i = 0; i < 200000; i++)
        data[i] = (uint8_t)(i * 7);
    ms_propval_t av[2] = {ts_bin(MS_PR_ATTACH_DATA_BIN, data, 200000),
                          ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x3707), "data.bin")};
    is_int(ms_message_set_attach_props(m, an, av, 2), MS_OK, "attachment data");
    uint32_t en;
    ms_message_t *emb;
    is_int(ms_message_create_attach(m, &en), MS_OK, "second attachment");
    is_int(ms_message_embedded(m, en, 0, &emb), MS_E_NOT_FOUND, "no embedded message yet");
    is_int(ms_message_embedded(m, en, 1, &emb), MS_OK, "create embedded message");
    ms_propval_t es = ts_str(MS_PR_SUBJECT, "inner");
    ms_message_set_props(emb, &es, 1);
    is_int(ms_message_save(NULL, emb), MS_E_INVALID_PARAM, "embedded saved only via parent");
    is_int(ms_message_save(NULL, m), MS_OK, "save message");
    ms_id_t mid = ms_message_mid(m);
    ok(mid != 0, "message got a MID");
    const ms_propval_t *p = ms_message_get_prop(m, MS_PR_SOURCE_KEY);
    ok(p && p->value.bin.cb == MS_XID_SIZE, "source key is 22 bytes");
    p = ms_message_get_prop(m, MS_PR_NORMALIZED_SUBJECT);
    is_str(p ? p->value.str : NULL, "Hello", "normalized subject computed");
    p = ms_message_get_prop(m, MS_PR_MESSAGE_FLAGS);
    ok(p && (p->value.l & MS_MSGFLAG_HASATTACH), "has-attachment flag");
    p = ms_message_get_prop(m, MS_PR_MESSAGE_SIZE);
    ok(p && p->value.l > 396000, "size counts body and attachment");
    p = ms_message_get_prop(m, MS_PR_ENTRYID);
    ms_id_t ef, em;
    ok(p && ms_entryid_parse(mbx, p->value.bin.pb, p->value.bin.cb, &ef, &em) == MS_OK && ef == inbox &&
       em == mid, "message entry id parses back");
    const ms_propval_t *ck1 = ms_message_get_prop(m, MS_PR_CHANGE_KEY);
    uint8_t ck_before[MS_XID_SIZE];
    memcpy(ck_before, ck1->value.bin.pb, MS_XID_SIZE);
    ms_message_free(m);

    is_int(ms_message_open(NULL, mbx, inbox, mid, &m), MS_OK, "open message");
    p = ms_message_get_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1000));
    ok(p && strlen(p->value.str) == big && !memcmp(p->value.str, body, big), "large body round trip");
    p = ms_message_get_prop(m, MS_PROP_TAG(MS_PT_UNSPECIFIED, 0x1035));
    ok(p && MS_PROP_TYPE(p->tag) == MS_PT_STRING8, "PT_UNSPECIFIED returns the stored type");
    p = ms_message_get_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1035));
    is_str(p ? p->value.str : NULL, "<id@x>", "string8 readable as unicode");
    is_int(ms_message_recipient_count(m), 2, "recipients loaded");
    const ms_propval_t *rv;
    size_t rn;
    ms_message_get_recipient(m, 1, &rv, &rn);
    int found_dave = 0;
    for (size_t i = 0; i < rn; i++)
        if (rv[i].tag == MS_PR_DISPLAY_NAME && !strcmp(rv[i].value.str, "Dave"))
            found_dave = 1;
    ok(found_dave, "second recipient is Dave");
    is_int(ms_message_attach_count(m), 2, "attachments loaded");
    const ms_propval_t *attv;
    size_t attn;
    is_int(ms_message_get_attach(m, an, &attv, &attn), MS_OK, "get attachment");
    int data_ok = 0;
    for (size_t i = 0; i < attn; i++)
        if (attv[i].tag == MS_PR_ATTACH_DATA_BIN && attv[i].value.bin.cb == 200000 &&
            !memcmp(attv[i].value.bin.pb, data, 200000))
            data_ok = 1;
    ok(data_ok, "attachment data round trip");
    is_int(ms_message_embedded(m, en, 0, &emb), MS_OK, "embedded message loaded");
    p = ms_message_get_prop(emb, MS_PR_SUBJECT);
    is_str(p ? p->value.str : NULL, "inner", "embedded subject");
    /* stream read of the out-of-line body */
    uint64_t ssize;
    is_int(ms_stream_size(NULL, mbx, mid, UINT32_MAX, MS_PROP_TAG(MS_PT_UNICODE, 0x1000), &ssize), MS_OK, "stream size");
    is_int(ssize, big, "stream size is the body length");
    char buf[100];
    size_t got;
    is_int(ms_stream_read(NULL, mbx, mid, UINT32_MAX, MS_PROP_TAG(MS_PT_UNICODE, 0x1000), MS_CHUNK_SIZE - 10, buf, 100, &got), MS_OK, "stream read across chunks");
    ok(got == 100 && !memcmp(buf, body + MS_CHUNK_SIZE - 10, 100), "stream bytes right");
    is_int(ms_stream_read(NULL, mbx, mid, an, MS_PR_ATTACH_DATA_BIN, 199990, buf, 100, &got), MS_OK, "attachment stream tail");
    ok(got == 10 && (uint8_t)buf[0] == (uint8_t)(199990 * 7), "short read at the end");
    is_int(ms_stream_read(NULL, mbx, mid, 77, MS_PR_ATTACH_DATA_BIN, 0, buf, 10, &got), MS_E_NOT_FOUND, "stream of missing attachment");
    /* modify and save again: new change key, recipients replaced */
    is_int(ms_message_remove_recipient(m, 0), MS_OK, "remove recipient");
    is_int(ms_message_remove_recipient(m, 42), MS_E_NOT_FOUND, "remove missing recipient");
    is_int(ms_message_delete_attach(m, an), MS_OK, "delete attachment");
    uint32_t del = MS_PROP_TAG(MS_PT_UNICODE, 0x1000);
    ms_message_delete_props(m, &del, 1);
    is_int(ms_message_save(NULL, m), MS_OK, "save changes");
    ck1 = ms_message_get_prop(m, MS_PR_CHANGE_KEY);
    ok(memcmp(ck_before, ck1->value.bin.pb, MS_XID_SIZE) != 0, "change key moved");
    ms_message_free(m);
    ms_message_open(NULL, mbx, inbox, mid, &m);
    is_int(ms_message_recipient_count(m), 1, "one recipient left");
    is_int(ms_message_attach_count(m), 1, "one attachment left");
    ok(ms_message_get_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1000)) == NULL, "body deleted");
    ms_message_free(m);
    is_int(ts_check(st), 0, "check clean after message saves (no orphan blobs)");

    /* read state and counters */
    uint32_t tags[2] = {MS_PR_CONTENT_COUNT, MS_PR_CONTENT_UNREAD};
    ms_propval_t *fv;
    size_t fn;
    ms_folder_get_props(NULL, mbx, inbox, tags, 2, &fv, &fn);
    int c0 = fv[0].value.l, u0 = fv[1].value.l;
    ms_propvals_free(fv, fn);
    is_int(ms_message_set_read(NULL, mbx, inbox, mid, 1), MS_OK, "mark read");
    ms_folder_get_props(NULL, mbx, inbox, tags, 2, &fv, &fn);
    ok(fv[0].value.l == c0 && fv[1].value.l == u0 - 1, "unread count dropped");
    ms_propvals_free(fv, fn);
    is_int(ms_message_set_read(NULL, mbx, ms_special_folder_id(MS_FOLDER_DRAFTS), mid, 0), MS_E_NOT_FOUND, "wrong folder");
    is_int(ms_message_open(NULL, mbx, ms_special_folder_id(MS_FOLDER_DRAFTS), mid, &m), MS_E_NOT_FOUND, "open in wrong folder");
    /* copy / move / soft and hard delete */
    ms_id_t drafts = ms_special_folder_id(MS_FOLDER_DRAFTS), copy;
    is_int(ms_message_move(NULL, mbx, inbox, drafts, &mid, 1, 1, &copy), MS_OK, "copy message");
    ok(copy != mid, "copy has a new MID");
    is_int(ms_message_open(NULL, mbx, drafts, copy, &m), MS_OK, "copy opens");
    is_int(ms_message_attach_count(m), 1, "copy has the attachment");
    ms_message_free(m);
    is_int(ms_message_move(NULL, mbx, inbox, drafts, &mid, 1, 0, NULL), MS_OK, "move message");
    is_int(ms_message_open(NULL, mbx, drafts, mid, &m), MS_OK, "moved message opens in target");
    ms_message_free(m);
    is_int(ms_message_delete(NULL, mbx, drafts, &mid, 1, 0), MS_OK, "soft delete");
    ms_folder_get_props(NULL, mbx, drafts, tags, 1, &fv, &fn);
    is_int(fv[0].value.l, 1, "soft-deleted message left the count");
    ms_propvals_free(fv, fn);
    ms_table_t *t;
    uint32_t rows;
    ms_table_open(NULL, mbx, MS_TABLE_CONTENTS, drafts, MS_TABLE_SOFT_DELETED, &t);
    ms_table_row_count(NULL, t, &rows);
    is_int(rows, 1, "soft-deleted view has it");
    ms_table_close(t);
    is_int(ms_message_delete(NULL, mbx, drafts, &mid, 1, 1), MS_OK, "hard delete");
    is_int(ms_message_open(NULL, mbx, 0, mid, &m), MS_E_NOT_FOUND, "hard-deleted message gone");
    is_int(ms_message_delete(NULL, mbx, drafts, &mid, 1, 1), MS_E_NOT_FOUND, "delete twice");
    is_int(ts_check(st), 0, "check clean after delete/move/copy");
    free(body);
    free(data);
}

/* Large values are read when asked for: pointers stay valid, saves keep them,
 * a value deleted under an open message reads as missing (no crash). */
static void test_lazy(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    ms_message_t *m;
    ms_message_create(mbx, inbox, 0, &m);
    size_t big = 300000;
    char *body = malloc(big + 1);
    memset(body, 'b', big);
    body[big] = 0;
    uint8_t *data = malloc(big);
    memset(data, 0xA5, big);
    ms_propval_t v[2] = {ts_str(MS_PR_SUBJECT, "lazy"), ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x1000), body)};
    ms_message_set_props(m, v, 2);
    uint32_t an;
    ms_message_create_attach(m, &an);
    ms_propval_t av = ts_bin(MS_PR_ATTACH_DATA_BIN, data, (uint32_t)big);
    ms_message_set_attach_props(m, an, &av, 1);
    ms_message_save(NULL, m);
    ms_id_t mid = ms_message_mid(m);
    ms_message_free(m);

    ms_message_open(NULL, mbx, inbox, mid, &m);
    const ms_propval_t *subj = ms_message_get_prop(m, MS_PR_SUBJECT);
    const ms_propval_t *b = ms_message_get_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1000));
    ok(b && strlen(b->value.str) == big, "large body read on demand");
    is_str(subj ? subj->value.str : NULL, "lazy", "earlier pointer still valid after the lazy read");
    /* change something small and save: the untouched large values survive */
    ms_propval_t ns = ts_str(MS_PR_SUBJECT, "lazy 2");
    ms_message_set_props(m, &ns, 1);
    is_int(ms_message_save(NULL, m), MS_OK, "save with a large attachment never read");
    ms_message_free(m);
    ms_message_open(NULL, mbx, inbox, mid, &m);
    const ms_propval_t *av2;
    size_t n;
    int found = 0;
    if (ms_message_get_attach(m, an, &av2, &n) == MS_OK)
        for (size_t i = 0; i < n; i++)
            if (av2[i].tag == MS_PR_ATTACH_DATA_BIN && av2[i].value.bin.cb == big &&
                !memcmp(av2[i].value.bin.pb, data, big))
                found = 1;
    ok(found, "attachment data intact after the save");
    b = ms_message_get_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1000));
    ok(b && strlen(b->value.str) == big, "body intact after the save");
    ms_message_free(m);
    /* deleted while open */
    ms_message_open(NULL, mbx, inbox, mid, &m);
    ms_message_delete(NULL, mbx, inbox, &mid, 1, 1);
    ok(ms_message_get_prop(m, MS_PROP_TAG(MS_PT_UNICODE, 0x1000)) == NULL, "value of a deleted message: missing, no crash");
    is_int(ms_message_save(NULL, m), MS_E_OBJECT_DELETED, "saving it reports the deletion");
    ms_message_free(m);
    free(body);
    free(data);
    is_int(ts_check(st), 0, "check clean after lazy loads");
}

/* Saving rewrites only the attachments that changed: an untouched embedded
 * message keeps its MID, a changed one gets a new one. */
static ms_id_t emb_mid(ms_mailbox_t *mbx, ms_id_t mid, uint32_t an, const char **subj)
{
    ms_message_t *m, *e;
    ms_id_t r = 0;
    if (ms_message_open(NULL, mbx, 0, mid, &m) != MS_OK)
        return 0;
    if (ms_message_embedded(m, an, 0, &e) == MS_OK) {
        const ms_propval_t *v = ms_message_get_prop(e, MS_PR_MID);
        r = v ? (ms_id_t)v->value.li : 0;
        static char buf[64];
        v = ms_message_get_prop(e, MS_PR_SUBJECT);
        snprintf(buf, sizeof(buf), "%s", v ? v->value.str : "");
        *subj = buf;
    }
    ms_message_free(m);
    return r;
}

static void test_partial_save(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX);
    ms_message_t *m, *e;
    ms_message_create(mbx, inbox, 0, &m);
    uint32_t a1, a2;
    ms_message_create_attach(m, &a1);
    uint8_t data[10000];
    memset(data, 7, sizeof(data));
    ms_propval_t d = ts_bin(MS_PR_ATTACH_DATA_BIN, data, sizeof(data));
    ms_message_set_attach_props(m, a1, &d, 1);
    ms_message_create_attach(m, &a2);
    ms_message_embedded(m, a2, 1, &e);
    ms_propval_t es = ts_str(MS_PR_SUBJECT, "inner v1");
    ms_message_set_props(e, &es, 1);
    ms_message_save(NULL, m);
    ms_id_t mid = ms_message_mid(m);
    ms_message_free(m);
    const char *subj;
    ms_id_t e1 = emb_mid(mbx, mid, a2, &subj);
    ok(e1 != 0, "embedded message stored");

    ms_message_open(NULL, mbx, inbox, mid, &m);
    ms_propval_t s1 = ts_str(MS_PR_SUBJECT, "outer changed");
    ms_message_set_props(m, &s1, 1);
    is_int(ms_message_save(NULL, m), MS_OK, "save a change of the message only");
    ms_message_free(m);
    is_int(emb_mid(mbx, mid, a2, &subj), e1, "untouched embedded message not rewritten");

    ms_message_open(NULL, mbx, inbox, mid, &m);
    ms_propval_t fn = ts_str(MS_PROP_TAG(MS_PT_UNICODE, 0x3707), "data.bin");
    ms_message_set_attach_props(m, a1, &fn, 1);
    is_int(ms_message_save(NULL, m), MS_OK, "save a change of the first attachment");
    ms_message_free(m);
    is_int(emb_mid(mbx, mid, a2, &subj), e1, "the other attachment still untouched");

    ms_message_open(NULL, mbx, inbox, mid, &m);
    ms_message_embedded(m, a2, 0, &e);
    ms_propval_t es2 = ts_str(MS_PR_SUBJECT, "inner v2");
    ms_message_set_props(e, &es2, 1);
    is_int(ms_message_save(NULL, m), MS_OK, "save a change inside the embedded message");
    ms_message_free(m);
    ms_id_t e2 = emb_mid(mbx, mid, a2, &subj);
    ok(e2 != 0 && e2 != e1, "changed embedded message rewritten");
    is_str(subj, "inner v2", "with the change");

    ms_message_open(NULL, mbx, inbox, mid, &m);
    const ms_propval_t *av;
    size_t n;
    int ok_data = 0, ok_name = 0;
    ms_message_get_attach(m, a1, &av, &n);
    for (size_t i = 0; i < n; i++) {
        if (av[i].tag == MS_PR_ATTACH_DATA_BIN && av[i].value.bin.cb == sizeof(data) && !memcmp(av[i].value.bin.pb, data, sizeof(data)))
            ok_data = 1;
        if (av[i].tag == MS_PROP_TAG(MS_PT_UNICODE, 0x3707) && !strcmp(av[i].value.str, "data.bin"))
            ok_name = 1;
    }
    ok(ok_data && ok_name, "first attachment has its data and its new name");
    ms_message_delete_attach(m, a1);
    is_int(ms_message_save(NULL, m), MS_OK, "save after deleting an attachment");
    ms_message_free(m);
    ms_message_open(NULL, mbx, inbox, mid, &m);
    is_int(ms_message_attach_count(m), 1, "one attachment left");
    ms_message_free(m);
    is_int(emb_mid(mbx, mid, a2, &subj), e2, "embedded message kept");
    is_int(ts_check(st), 0, "check clean after partial saves");
}

static void test_named(ms_mailbox_t *mbx)
{
    ms_propname_t n;
    memset(&n, 0, sizeof(n));
    memset(n.guid.b, 0x11, 16);
    n.kind = MS_MNID_ID;
    n.lid = 0x8503;
    uint16_t id1, id2, id3;
    is_int(ms_named_get_id(NULL, mbx, &n, 0, &id1), MS_E_NOT_FOUND, "unmapped name without create");
    is_int(ms_named_get_id(NULL, mbx, &n, 1, &id1), MS_OK, "map a numeric name");
    ok(id1 >= 0x8001, "id from 0x8001 up");
    is_int(ms_named_get_id(NULL, mbx, &n, 1, &id2), MS_OK, "map again");
    is_int(id2, id1, "stable id");
    n.kind = MS_MNID_STRING;
    snprintf(n.name, sizeof(n.name), "Keywords");
    is_int(ms_named_get_id(NULL, mbx, &n, 1, &id3), MS_OK, "map a string name");
    ok(id3 != id1, "different id");
    ms_propname_t back;
    is_int(ms_named_get_name(NULL, mbx, id3, &back), MS_OK, "reverse lookup");
    is_str(back.name, "Keywords", "name round trip");
    is_int(ms_named_get_name(NULL, mbx, 0x1234, &back), MS_E_INVALID_PARAM, "non-named id");
    is_int(ms_named_get_name(NULL, mbx, 0xFFF0, &back), MS_E_NOT_FOUND, "unknown id");
    n.kind = 7;
    is_int(ms_named_get_id(NULL, mbx, &n, 1, &id3), MS_E_INVALID_PARAM, "bad kind");
}

static void test_receive_folders(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_id_t f, inbox = ms_special_folder_id(MS_FOLDER_INBOX), tasks = ms_special_folder_id(MS_FOLDER_TASKS);
    char cls[256];
    is_int(ms_receive_folder_get(NULL, mbx, "IPM.Note.Custom", &f, cls), MS_OK, "receive folder by prefix");
    is_int(f, inbox, "IPM.* goes to the Inbox");
    is_str(cls, "IPM", "explicit class is the matching prefix");
    ms_receive_folder_get(NULL, mbx, "IPC.Whatever", &f, cls);
    is_int(f, ms_special_folder_id(MS_FOLDER_ROOT), "IPC.* goes to the root");
    ms_receive_folder_get(NULL, mbx, "Other", &f, cls);
    ok(f == inbox && cls[0] == 0, "unknown class: the default entry");
    is_int(ms_receive_folder_set(NULL, mbx, "IPM.Task", tasks), MS_OK, "set a receive folder");
    ms_receive_folder_get(NULL, mbx, "ipm.task.special", &f, cls);
    ok(f == tasks && !strcmp(cls, "ipm.task"), "case-insensitive longest prefix");
    is_int(ms_receive_folder_set(NULL, mbx, "IPM.Task", 0), MS_OK, "remove it");
    ms_receive_folder_get(NULL, mbx, "IPM.Task", &f, cls);
    is_int(f, inbox, "back to IPM");
    is_int(ms_receive_folder_set(NULL, mbx, "", 0), MS_E_ACCESS_DENIED, "default cannot be removed");
    is_int(ms_receive_folder_set(NULL, mbx, "IPM.X", ms_id_make(1, 888888)), MS_E_NOT_FOUND, "missing folder refused");
    is_int(ms_receive_folder_set(NULL, mbx, "bad\x01class", inbox), MS_E_INVALID_PARAM, "control characters refused");
    ms_id_t tmp;
    ms_folder_create(NULL, mbx, inbox, "Receiver", NULL, 0, &tmp);
    ms_receive_folder_set(NULL, mbx, "IPM.Special", tmp);
    is_int(ms_folder_delete(NULL, mbx, tmp, 0), MS_OK, "delete a receive folder");
    ms_receive_folder_get(NULL, mbx, "IPM.Special", &f, cls);
    is_int(f, inbox, "its entry went with it");
    is_int(ts_check(st), 0, "check clean after receive-folder changes");
}

static void test_txn(ms_store_t *st, ms_mailbox_t *mbx)
{
    ms_txn_t *txn;
    ms_id_t inbox = ms_special_folder_id(MS_FOLDER_INBOX), f;
    is_int(ms_txn_begin(mbx, MS_TXN_WRITE, &txn), MS_OK, "begin write txn");
    is_int(ms_folder_create(txn, mbx, inbox, "Rolled back", NULL, 0, &f), MS_OK, "create in txn");
    is_int(ms_folder_exists(txn, mbx, f), MS_OK, "visible inside the txn");
    ms_txn_abort(txn);
    is_int(ms_folder_exists(NULL, mbx, f), MS_E_NOT_FOUND, "gone after abort");
    is_int(ms_txn_begin(mbx, MS_TXN_READ, &txn), MS_OK, "begin read txn");
    is_int(ms_folder_create(txn, mbx, inbox, "X", NULL, 0, &f), MS_E_ACCESS_DENIED, "write in read txn refused");
    ms_txn_abort(txn);
    uint64_t c0, c1;
    ms_change_counter(NULL, mbx, 0, &c0);
    ts_message(mbx, inbox, "counter", "Eve", 5);
    ms_change_counter(NULL, mbx, 0, &c1);
    ok(c1 > c0, "mailbox change counter moved");
    is_int(ms_txn_commit(NULL), MS_E_INVALID_PARAM, "commit NULL");
    (void)st;
}

int main(void)
{
    test_ids();
    ms_mailbox_t *mbx = NULL;
    ms_store_t *st = ts_setup("core", 0, &mbx);
    ok(st && mbx, "store set up");
    if (!st || !mbx)
        return done_testing();
    ms_store_t *again;
    is_int(ms_store_init(ts_root), MS_E_DUPLICATE_NAME, "init twice refused");
    is_int(ms_store_open("/nonexistent/store", 0, &again), MS_E_NOT_FOUND, "open missing root");
    test_directory(st);
    test_special_folders(mbx);
    test_folders(st, mbx);
    test_messages(st, mbx);
    test_lazy(st, mbx);
    test_partial_save(st, mbx);
    test_named(mbx);
    test_receive_folders(st, mbx);
    test_txn(st, mbx);
    is_int(ts_check(st), 0, "final check clean");
    ms_mailbox_close(mbx);
    ms_store_close(st);
    ts_rmrf(ts_root);
    return done_testing();
}
