/*
 * Wire tests of the property ROPs ([MS-OXCPRPT]) through Apache: the logon
 * object's properties Outlook reads first, the special folder entry ids on
 * the root and Inbox, every property type through SetProperties and back,
 * String8/Unicode conversions, problem arrays, Delete, Copy, named
 * properties and the spec's errors.
 */
#include "tap.h"
#include "ropcli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PR_DISPLAY_NAME_W 0x3001001Fu
#define PR_DISPLAY_NAME_A 0x3001001Eu
#define PR_COMMENT_W 0x3004001Fu
#define PR_SUBJECT_W 0x0037001Fu
#define PR_SUBJECT_A 0x0037001Eu
#define PR_CONTENT_COUNT 0x36020003u
#define PR_IMPORTANCE 0x00170003u
#define PR_ENTRYID 0x0FFF0102u
#define INBOX_IDX 4

static mapi_guid_t PS_PUBLIC_STRINGS = {{0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00,
                                         0x00, 0x00, 0x00, 0x46}};
static mapi_guid_t PS_MAPI = {{0x28, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00,
                               0x00, 0x46}};

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

static mapi_propval_t *get_props(ropcli_t *rc, uint8_t idx, const uint32_t *tags, uint32_t n, int unicode,
                                 uint32_t *ec)
{
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    rq(&r, ROP_GET_PROPERTIES_SPECIFIC, idx, 0);
    r.u.get_props_specific.want_unicode = (uint16_t)unicode;
    r.u.get_props_specific.tags.count = n;
    r.u.get_props_specific.tags.tags = (uint32_t *)tags;
    *ec = exec1(rc, &r, &resp);
    return *ec == 0 ? resp.u.get_props_specific.row.vals : NULL;
}

static uint32_t set_props(ropcli_t *rc, uint8_t idx, mapi_propval_t *v, uint32_t n, mapi_problemarray_t *probs)
{
    mapi_rop_req_t r;
    mapi_rop_resp_t resp;
    uint32_t ec;
    rq(&r, ROP_SET_PROPERTIES, idx, 0);
    r.u.set_props.props.count = n;
    r.u.set_props.props.vals = v;
    ec = exec1(rc, &r, &resp);
    if (probs)
        *probs = resp.u.problems.problems;
    return ec;
}

static uint64_t fid_from_entryid(const mapi_propval_t *v)
{
    uint64_t id = 1;
    int i;
    if (MAPI_PROP_TYPE(v->tag) != MAPI_PT_BINARY || v->v.bin.len != 46)
        return 0;
    for (i = 0; i < 6; i++)
        id |= (uint64_t)v->v.bin.data[38 + i] << (16 + 8 * i);
    return id;
}

static void test_logon_props(ropcli_t *rc, const uint64_t *fids)
{
    /* [MS-OXCSTOR] 2.2.2.1 / [MS-OXOSFLD] 2.2.2: what Outlook reads first */
    uint32_t tags[] = {0x35E00102u, 0x35E20102u, 0x35E30102u, 0x35E40102u, 0x35E50102u, 0x35E60102u, 0x35E70102u,
                       PR_DISPLAY_NAME_W, 0x661C001Fu, 0x661B0102u, 0x66190102u, 0x340D0003u, 0x0FF90102u,
                       0x0FFA0102u, 0x0FFB0102u, 0x0E080014u};
    /* IpmSubtree, Outbox, Wastebasket, SentMail, Views, CommonViews, Finder */
    static const int logon_idx[] = {3, 5, 7, 6, 11, 8, 10};
    uint32_t ec;
    int i, good = 0;
    mapi_propval_t *v = get_props(rc, 0, tags, 16, 1, &ec);
    is_int(ec, 0, "GetPropertiesSpecific on the logon object");
    if (!v)
        return;
    for (i = 0; i < 7; i++)
        good += fid_from_entryid(&v[i]) == fids[logon_idx[i]];
    is_int(good, 7, "the seven special folder entry ids name RopLogon's folders");
    ok(v[7].tag == PR_DISPLAY_NAME_W && v[7].v.str[0], "mailbox display name (%s)",
       v[7].tag == PR_DISPLAY_NAME_W ? v[7].v.str : "-");
    ok(v[8].tag == 0x661C001Fu && v[8].v.str[0], "PidTagMailboxOwnerName");
    ok(v[9].tag == 0x661B0102u && v[9].v.bin.len > 28, "PidTagMailboxOwnerEntryId");
    ok(v[10].tag == 0x66190102u && v[10].v.bin.len == v[9].v.bin.len &&
           memcmp(v[10].v.bin.data, v[9].v.bin.data, v[9].v.bin.len) == 0,
       "PidTagUserEntryId: the owner is the user");
    ok(v[11].tag == 0x340D0003u && (v[11].v.i32 & 0x00040000), "PidTagStoreSupportMask with STORE_UNICODE_OK");
    ok(v[12].tag == 0x0FF90102u && v[12].v.bin.len == 16, "PidTagRecordKey");
    ok(v[13].tag == 0x0FFA0102u && v[13].v.bin.len == 16, "PidTagStoreRecordKey");
    {
        mapi_store_entryid_t se;
        memset(&se, 0, sizeof(se));
        ok(v[14].tag == 0x0FFB0102u && mapi_store_entryid_parse(&rc->arena, v[14].v.bin.data, v[14].v.bin.len, &se) == 0 &&
               se.mailbox_dn && strcmp(se.mailbox_dn, ropcli_user_dn("alice")) == 0,
           "PidTagStoreEntryId wraps emsmdb.dll with alice's DN");
    }
    ok(v[15].tag == 0x0E080014u, "PidTagMessageSizeExtended");

    /* the same name as String8 */
    {
        uint32_t t2[] = {PR_DISPLAY_NAME_A, 0x30010000u};
        mapi_propval_t *w = get_props(rc, 0, t2, 2, 0, &ec);
        ok(w && w[0].tag == PR_DISPLAY_NAME_A && strcmp(w[0].v.str, v[7].v.str) == 0, "String8 when asked for");
        ok(w && w[1].tag == PR_DISPLAY_NAME_A, "PT_UNSPECIFIED without WantUnicode: String8 (0x%08X)",
           w ? w[1].tag : 0);
    }
    {
        mapi_rop_req_t r;
        mapi_rop_resp_t resp;
        mapi_propval_t pv = {PR_COMMENT_W, {0}};
        pv.v.str = "x";
        is_int(set_props(rc, 0, &pv, 1, NULL), MAPI_EC_NOT_SUPPORTED, "SetProperties on the logon object: ecNotSupported");
        rq(&r, ROP_PROGRESS, 0, 0);
        ok(exec1(rc, &r, &resp) == 0 && resp.u.progress.total == 0, "Progress: nothing pending");
    }
}

static void test_folder_props(ropcli_t *rc, const uint64_t *fids)
{
    mapi_rop_req_t r[3];
    mapi_rop_resp_t resp[3];
    uint32_t ec, tags[] = {0x36D00102u, 0x36D10102u, 0x36D20102u, 0x36D30102u, 0x36D40102u, 0x36D70102u};
    mapi_propval_t *v;
    int i, k, distinct = 1;
    rq(&r[0], ROP_OPEN_FOLDER, 0, 1);
    r[0].u.open_folder.folder_id = fids[INBOX_IDX];
    if (!ok(exec1(rc, &r[0], resp) == 0, "OpenFolder(Inbox)"))
        return;
    v = get_props(rc, 1, tags, 6, 1, &ec);
    is_int(ec, 0, "the Inbox's special folder entry ids ([MS-OXOSFLD] 2.2.4)");
    for (i = 0; v && i < 6; i++)
        for (k = 0; k < i; k++)
            if (!fid_from_entryid(&v[i]) || fid_from_entryid(&v[i]) == fid_from_entryid(&v[k]))
                distinct = 0;
    ok(v && distinct, "Calendar, Contacts, Journal, Notes, Tasks, Drafts: six distinct folders");

    /* GetPropertiesAll / List on a folder */
    rq(&r[0], ROP_GET_PROPERTIES_ALL, 1, 0);
    r[0].u.get_props_all.want_unicode = 1;
    rq(&r[1], ROP_GET_PROPERTIES_LIST, 1, 0);
    ok(exec_n(rc, r, 2, resp) == 2 && resp[0].ret == 0 && resp[1].ret == 0, "GetPropertiesAll + GetPropertiesList");
    ok(resp[0].u.get_props_all.props.count == resp[1].u.tags.tags.count && resp[1].u.tags.tags.count > 5,
       "the same %u properties", resp[1].u.tags.tags.count);
    ok(mapi_propval_find(resp[0].u.get_props_all.props.vals, resp[0].u.get_props_all.props.count, PR_CONTENT_COUNT) !=
           NULL,
       "PR_CONTENT_COUNT is among them");

    /* set, problems, delete */
    {
        mapi_propval_t pv[3];
        mapi_problemarray_t pa;
        uint32_t t1[] = {PR_COMMENT_W};
        pv[0].tag = PR_COMMENT_W;
        pv[0].v.str = "Folder comment \xc3\xa9";
        pv[1].tag = PR_CONTENT_COUNT;
        pv[1].v.i32 = 999;
        ec = set_props(rc, 1, pv, 2, &pa);
        is_int(ec, 0, "SetProperties on the folder with one read-only value");
        ok(pa.count == 1 && pa.probs[0].index == 1 && pa.probs[0].tag == PR_CONTENT_COUNT &&
               pa.probs[0].err == MAPI_EC_ACCESS_DENIED,
           "PR_CONTENT_COUNT comes back as a problem (ecAccessDenied)");
        v = get_props(rc, 1, t1, 1, 1, &ec);
        ok(v && v[0].tag == PR_COMMENT_W && strcmp(v[0].v.str, "Folder comment \xc3\xa9") == 0, "the comment is stored");
        rq(&r[0], ROP_DELETE_PROPERTIES, 1, 0);
        r[0].u.delete_props.tags.count = 1;
        r[0].u.delete_props.tags.tags = t1;
        is_int(exec1(rc, &r[0], resp), 0, "DeleteProperties");
        v = get_props(rc, 1, t1, 1, 1, &ec);
        ok(v && v[0].tag == 0x3004000Au && v[0].v.err == MAPI_EC_NOT_FOUND, "the comment is gone");
    }
}

/* Every type through SetProperties, SaveChangesMessage and back. */
static void test_types(ropcli_t *rc, const uint64_t *fids, uint64_t drafts)
{
    mapi_rop_req_t r[3];
    mapi_rop_resp_t resp[3];
    mapi_propval_t pv[12], *v;
    mapi_problemarray_t pa;
    char *mvs[] = {"alpha", "b\xc3\xa9ta"};
    int32_t mvl[] = {7, -8, 9};
    mapi_guid_t g = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
    uint32_t tags[10], ec;
    uint64_t mid;
    int i;
    (void)fids;
    rq(&r[0], ROP_CREATE_MESSAGE, 0, 2);
    r[0].u.create_message.folder_id = drafts;
    r[0].u.create_message.code_page = 0x0FFF;
    if (!ok(exec1(rc, &r[0], resp) == 0, "CreateMessage in Drafts"))
        return;
    memset(pv, 0, sizeof(pv));
    pv[0].tag = 0x6700001Fu; pv[0].v.str = "unicode \xe2\x82\xac";
    pv[1].tag = 0x6701001Eu; pv[1].v.str = "caf\xe9"; /* String8, code page 1252 */
    pv[2].tag = 0x67020003u; pv[2].v.i32 = -12345;
    pv[3].tag = 0x67030014u; pv[3].v.i64 = 0x123456789ABCLL;
    pv[4].tag = 0x67040005u; pv[4].v.f64 = 3.25;
    pv[5].tag = 0x6705000Bu; pv[5].v.b = 1;
    pv[6].tag = 0x67060040u; pv[6].v.time = 0x01DB000000000000ULL;
    pv[7].tag = 0x67070048u; pv[7].v.guid = g;
    pv[8].tag = 0x6708101Fu; pv[8].v.mv.count = 2; pv[8].v.mv.v.str = mvs;
    pv[9].tag = 0x67091003u; pv[9].v.mv.count = 3; pv[9].v.mv.v.i32 = mvl;
    pv[10].tag = 0x670A101Fu; pv[10].v.mv.count = 0; pv[10].v.mv.v.str = mvs; /* empty MV: refused */
    pv[11].tag = 0x670B0002u; pv[11].v.i16 = -3;
    ec = set_props(rc, 2, pv, 12, &pa);
    is_int(ec, 0, "SetProperties with twelve values of eleven types");
    ok(pa.count == 1 && pa.probs[0].index == 10, "the empty multi-valued one is a problem");
    rq(&r[0], ROP_SAVE_CHANGES_MESSAGE, 2, 2);
    r[0].u.save_changes.save_flags = 0x01;
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "SaveChangesMessage");
    mid = resp[0].u.save_changes_message.message_id;
    rq(&r[0], ROP_RELEASE, 2, 0);
    rq(&r[1], ROP_OPEN_MESSAGE, 0, 2);
    r[1].u.open_message.folder_id = drafts;
    r[1].u.open_message.message_id = mid;
    r[1].u.open_message.open_mode = 1;
    ok(exec_n(rc, r, 2, resp) == 1 && resp[0].ret == 0, "reopened in another Execute");
    for (i = 0; i < 10; i++)
        tags[i] = pv[i].tag;
    tags[1] = 0x6701001Fu; /* the String8 value read as Unicode */
    tags[0] = 0x67000000u; /* and the Unicode one as PT_UNSPECIFIED */
    v = get_props(rc, 2, tags, 10, 1, &ec);
    is_int(ec, 0, "GetPropertiesSpecific of all of them");
    if (v) {
        ok(v[0].tag == 0x6700001Fu && strcmp(v[0].v.str, "unicode \xe2\x82\xac") == 0, "Unicode");
        ok(v[1].tag == 0x6701001Fu && strcmp(v[1].v.str, "caf\xc3\xa9") == 0, "String8 in 1252 read back as Unicode");
        ok(v[2].v.i32 == -12345, "Integer32");
        ok(v[3].v.i64 == 0x123456789ABCLL, "Integer64");
        ok(v[4].v.f64 == 3.25, "Floating64");
        ok(v[5].v.b == 1, "Boolean");
        ok(v[6].v.time == 0x01DB000000000000ULL, "Time");
        ok(memcmp(v[7].v.guid.b, g.b, 16) == 0, "Guid");
        ok(v[8].v.mv.count == 2 && strcmp(v[8].v.mv.v.str[1], "b\xc3\xa9ta") == 0, "MultipleString");
        ok(v[9].v.mv.count == 3 && v[9].v.mv.v.i32[1] == -8, "MultipleInteger32");
    }
    {
        uint32_t t2[] = {0x6701001Eu, 0x670A101Fu, 0x670B0002u};
        v = get_props(rc, 2, t2, 3, 0, &ec);
        ok(v && v[0].tag == 0x6701001Eu && strcmp(v[0].v.str, "caf\xe9") == 0, "String8 back in code page 1252");
        ok(v && v[1].tag == 0x670A000Au, "the refused empty multi-valued property is absent");
        ok(v && v[2].tag == 0x670B0002u && v[2].v.i16 == -3, "Integer16");
    }
    /* DeletePropertiesNoReplicate + SetPropertiesNoReplicate, saved */
    {
        uint32_t t3[] = {0x67020003u, 0x67030014u};
        mapi_propval_t np = {0x670C0003u, {0}};
        np.v.i32 = 42;
        rq(&r[0], ROP_DELETE_PROPERTIES_NO_REPLICATE, 2, 0);
        r[0].u.delete_props.tags.count = 2;
        r[0].u.delete_props.tags.tags = t3;
        rq(&r[1], ROP_SET_PROPERTIES_NO_REPLICATE, 2, 0);
        r[1].u.set_props.props.count = 1;
        r[1].u.set_props.props.vals = &np;
        rq(&r[2], ROP_SAVE_CHANGES_MESSAGE, 2, 2);
        r[2].u.save_changes.save_flags = 0x02;
        ok(exec_n(rc, r, 3, resp) == 3 && resp[0].ret == 0 && resp[1].ret == 0 && resp[2].ret == 0,
           "DeletePropertiesNoReplicate + SetPropertiesNoReplicate + save");
        {
            uint32_t t4[] = {0x67020003u, 0x67030014u, 0x670C0003u};
            v = get_props(rc, 2, t4, 3, 1, &ec);
            ok(v && v[0].tag == 0x6702000Au && v[1].tag == 0x6703000Au, "the deleted ones are gone");
            ok(v && v[2].tag == 0x670C0003u && v[2].v.i32 == 42, "the new one is there");
        }
    }

    /* CopyProperties / CopyTo to a second message */
    rq(&r[0], ROP_CREATE_MESSAGE, 0, 3);
    r[0].u.create_message.folder_id = drafts;
    ok(exec1(rc, &r[0], resp) == 0, "a second message");
    {
        uint32_t ct[] = {0x6700001Fu, 0x67090000u, 0x6777001Fu};
        uint32_t t5[] = {0x6700001Fu, 0x67091003u, 0x670C0003u, 0x6705000Bu};
        mapi_propval_t pre = {0x670C0003u, {0}};
        pre.v.i32 = 1;
        set_props(rc, 3, &pre, 1, NULL);
        rq(&r[0], ROP_COPY_PROPERTIES, 2, 3);
        r[0].u.copy_props.copy_flags = 0x02; /* NoOverwrite */
        r[0].u.copy_props.tags.count = 3;
        r[0].u.copy_props.tags.tags = ct;
        ec = exec1(rc, &r[0], resp);
        is_int(ec, 0, "CopyProperties of two present tags and a missing one");
        ok(resp[0].u.problems.problems.count == 1 && resp[0].u.problems.problems.probs[0].index == 2 &&
               resp[0].u.problems.problems.probs[0].err == MAPI_EC_NOT_FOUND,
           "the missing one is a problem (ecNotFound)");
        v = get_props(rc, 3, t5, 4, 1, &ec);
        ok(v && v[0].tag == 0x6700001Fu && strcmp(v[0].v.str, "unicode \xe2\x82\xac") == 0 && v[1].v.mv.count == 3,
           "the destination has the copied values");
        ok(v && v[2].v.i32 == 1, "CopyProperties does not copy what was not asked for");
        ok(v && v[3].tag == 0x6705000Au, "nor other properties");
        {
            uint32_t ex[] = {0x670C0003u};
            rq(&r[0], ROP_COPY_TO, 2, 3);
            r[0].u.copy_props.copy_flags = 0x02; /* NoOverwrite */
            r[0].u.copy_props.tags.count = 1;
            r[0].u.copy_props.tags.tags = ex;
            is_int(exec1(rc, &r[0], resp), 0, "CopyTo everything but one tag, no overwrite");
            v = get_props(rc, 3, t5, 4, 1, &ec);
            ok(v && v[3].tag == 0x6705000Bu && v[3].v.b == 1 && v[2].v.i32 == 1,
               "copies the rest and keeps the excluded and existing ones");
        }
        rq(&r[0], ROP_COPY_PROPERTIES, 2, 9);
        r[0].u.copy_props.tags.count = 1;
        r[0].u.copy_props.tags.tags = ct;
        ok(exec1(rc, &r[0], resp) == MAPI_EC_DST_NULL_OBJECT && resp[0].u.problems.dest_idx == 9,
           "CopyProperties to an empty slot: ecDstNullObject with the DestHandleIndex");
        rq(&r[0], ROP_COPY_PROPERTIES, 2, 0);
        r[0].u.copy_props.tags.count = 1;
        r[0].u.copy_props.tags.tags = ct;
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "CopyProperties from a message to the logon object");
    }
    rq(&r[0], ROP_RELEASE, 2, 0);
    rq(&r[1], ROP_RELEASE, 3, 0);
    exec_n(rc, r, 2, resp);
}

static void test_named(ropcli_t *rc)
{
    mapi_rop_req_t r[3];
    mapi_rop_resp_t resp[3];
    mapi_propname_t names[3];
    uint16_t id, ids[3];
    uint32_t ec;
    char uniq[64];
    snprintf(uniq, sizeof(uniq), "X-Test-Name-%d", rand());
    memset(names, 0, sizeof(names));
    names[0].kind = MAPI_MNID_STRING;
    names[0].guid = PS_PUBLIC_STRINGS;
    names[0].name = uniq;
    names[1].kind = MAPI_MNID_ID;
    names[1].guid = PS_MAPI;
    names[1].lid = 0x0037;
    rq(&r[0], ROP_GET_PROPERTY_IDS_FROM_NAMES, 0, 0);
    r[0].u.get_ids_from_names.count = 2;
    r[0].u.get_ids_from_names.names = names;
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "GetPropertyIdsFromNames of an unknown name succeeds ([MS-OXCPRPT] 2.2.12.2)");
    ok(resp[0].u.prop_ids.count == 2 && resp[0].u.prop_ids.ids[0] == 0 && resp[0].u.prop_ids.ids[1] == 0x0037,
       "the unknown name maps to 0, a PS_MAPI name to its id");
    r[0].u.get_ids_from_names.flags = 0x02; /* Create */
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "with the Create flag");
    id = resp[0].u.prop_ids.count == 2 ? resp[0].u.prop_ids.ids[0] : 0;
    ok(id >= 0x8000, "a named property id (0x%04X)", id);
    r[0].u.get_ids_from_names.flags = 0;
    ok(exec1(rc, &r[0], resp) == 0 && resp[0].u.prop_ids.ids[0] == id, "the same id without Create now");
    rq(&r[0], ROP_GET_PROPERTY_IDS_FROM_NAMES, 0, 0); /* no names: every registered id */
    ec = exec1(rc, &r[0], resp);
    {
        int seen = 0;
        uint16_t i;
        for (i = 0; ec == 0 && i < resp[0].u.prop_ids.count; i++)
            seen += resp[0].u.prop_ids.ids[i] == id;
        ok(ec == 0 && seen == 1, "PropertyNameCount 0 lists every registered id (%u)", resp[0].u.prop_ids.count);
    }
    ids[0] = id;
    ids[1] = 0x0037;
    ids[2] = 0xFFF0;
    rq(&r[0], ROP_GET_NAMES_FROM_PROPERTY_IDS, 0, 0);
    r[0].u.get_names_from_ids.count = 3;
    r[0].u.get_names_from_ids.ids = ids;
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "GetNamesFromPropertyIds");
    if (ec == 0 && resp[0].u.prop_names.count == 3) {
        mapi_propname_t *n = resp[0].u.prop_names.names;
        ok(n[0].kind == MAPI_MNID_STRING && strcmp(n[0].name, uniq) == 0 && mapi_guid_eq(&n[0].guid, &PS_PUBLIC_STRINGS),
           "the new id's name");
        ok(n[1].kind == MAPI_MNID_ID && n[1].lid == 0x0037 && mapi_guid_eq(&n[1].guid, &PS_MAPI), "a tagged id is PS_MAPI");
        is_int(n[2].kind, MAPI_MNID_NONE, "an unknown id: Kind 0xFF");
    }
    rq(&r[0], ROP_QUERY_NAMED_PROPERTIES, 0, 0);
    r[0].u.query_named.flags = 0x02; /* NoIds */
    r[0].u.query_named.has_guid = 1;
    r[0].u.query_named.guid = PS_PUBLIC_STRINGS;
    ec = exec1(rc, &r[0], resp);
    is_int(ec, 0, "QueryNamedProperties(NoIds, PS_PUBLIC_STRINGS)");
    {
        int found = 0, others = 0;
        uint16_t i;
        for (i = 0; ec == 0 && i < resp[0].u.query_named.count; i++) {
            if (resp[0].u.query_named.ids[i] == id)
                found++;
            if (resp[0].u.query_named.names[i].kind != MAPI_MNID_STRING ||
                !mapi_guid_eq(&resp[0].u.query_named.names[i].guid, &PS_PUBLIC_STRINGS))
                others++;
        }
        is_int(found, 1, "lists the new name");
        is_int(others, 0, "and only string names of that set");
    }
}

static void test_errors(ropcli_t *rc)
{
    mapi_rop_req_t r[2];
    mapi_rop_resp_t resp[2];
    uint32_t tags[] = {PR_DISPLAY_NAME_W};
    rq(&r[0], ROP_GET_PROPERTIES_SPECIFIC, 7, 0);
    r[0].u.get_props_specific.tags.count = 1;
    r[0].u.get_props_specific.tags.tags = tags;
    is_int(exec1(rc, &r[0], resp), MAPI_EC_NULL_OBJECT, "GetPropertiesSpecific on an empty slot: ecNullObject");
    rq(&r[0], ROP_GET_CONTENTS_TABLE, 1, 4);
    if (exec1(rc, &r[0], resp) == 0) {
        rq(&r[0], ROP_GET_PROPERTIES_ALL, 4, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "GetPropertiesAll on a table: ecNotSupported");
        rq(&r[0], ROP_SET_PROPERTIES, 4, 0);
        is_int(exec1(rc, &r[0], resp), MAPI_EC_NOT_SUPPORTED, "SetProperties on a table: ecNotSupported");
    } else {
        diag("no contents table (0x%08X): table object checks skipped", resp[0].ret);
    }
}

int main(void)
{
    ropcli_t rc;
    mapi_rop_resp_t lr;
    uint64_t fids[13], drafts = 0;
    int i;
    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    srand((unsigned)getpid());
    if (!ok(ropcli_open(&rc, "alice") == 0 && ropcli_logon(&rc, 0, &lr) == 0, "alice connects and logs on"))
        return done_testing();
    for (i = 0; i < 13; i++)
        fids[i] = lr.u.logon.folder_ids[i];
    test_logon_props(&rc, fids);
    test_folder_props(&rc, fids);
    {
        uint32_t ec, t[] = {0x36D70102u};
        mapi_propval_t *v = get_props(&rc, 1, t, 1, 1, &ec);
        if (v)
            drafts = fid_from_entryid(&v[0]);
    }
    if (ok(drafts != 0, "the Drafts folder id"))
        test_types(&rc, fids, drafts);
    test_named(&rc);
    test_errors(&rc);
    ropcli_close(&rc);
    return done_testing();
}
