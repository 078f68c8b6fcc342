/* Wire tests of the logon/store ROPs ([MS-OXCSTOR]) through Apache. */
#include "tap.h"
#include "ropcli.h"

#include <stdlib.h>
#include <string.h>

static void test_logon(void)
{
    ropcli_t rc;
    mapi_rop_resp_t resp[4];
    mapi_rop_req_t req[3];
    size_t n;
    int i, distinct = 1;

    ok(ropcli_open(&rc, "alice") == 0, "alice connects");
    ok(ropcli_logon(&rc, 0, &resp[0]) == 0, "RopLogon to her private mailbox succeeds");
    ok(rc.handles[0] != 0xFFFFFFFFu, "the logon object has a handle (0x%08X)", rc.handles[0]);
    is_int(resp[0].u.logon.logon_flags, MAPI_LOGON_PRIVATE, "LogonFlags echoes Private");
    ok(resp[0].u.logon.response_flags & 0x01, "ResponseFlags has Reserved set");
    ok(resp[0].u.logon.response_flags & 0x02, "and OwnerRight");
    for (i = 0; i < 13; i++)
        if (resp[0].u.logon.folder_ids[i] == 0)
            distinct = 0;
    for (i = 1; i < 13 && distinct; i++)
        if (resp[0].u.logon.folder_ids[i] == resp[0].u.logon.folder_ids[i - 1])
            distinct = 0;
    ok(distinct, "13 special folder ids, non-zero and distinct");
    is_int(resp[0].u.logon.repl_id, 1, "ReplId 1");
    ok(resp[0].u.logon.logon_time.year >= 2024, "LogonTime is now (%u)", resp[0].u.logon.logon_time.year);

    /* GetReceiveFolder, GetStoreState and a long-term id round trip in one Execute */
    memset(req, 0, sizeof(req));
    req[0].rop_id = ROP_GET_RECEIVE_FOLDER;
    req[0].u.get_receive_folder.message_class = "IPM.Note";
    req[1].rop_id = ROP_LONG_TERM_ID_FROM_ID;
    req[1].u.id.id = resp[0].u.logon.folder_ids[4];
    req[2].rop_id = ROP_GET_STORE_STATE;
    {
        uint64_t inbox = resp[0].u.logon.folder_ids[4];
        ok(ropcli_exec(&rc, req, 3, NULL, resp, &n) == 0 && n == 3, "three ROPs in one Execute, three answers");
        is_int(resp[0].ret, 0, "GetReceiveFolder succeeds");
        ok(resp[0].u.get_receive_folder.folder_id == inbox, "IPM.Note goes to the Inbox");
        is_int(resp[1].ret, 0, "LongTermIdFromId succeeds");
        is_int(resp[2].ret, 0, "GetStoreState succeeds");
        memset(req, 0, sizeof(req));
        req[0].rop_id = ROP_ID_FROM_LONG_TERM_ID;
        req[0].u.ltid.ltid = resp[1].u.ltid.ltid;
        ok(ropcli_exec(&rc, req, 1, NULL, resp, &n) == 0 && n == 1 && resp[0].ret == 0 && resp[0].u.id.id == inbox,
           "IdFromLongTermId gives the Inbox id back");
    }

    /* errors that do not abort the rest of the buffer */
    memset(req, 0, sizeof(req));
    req[0].rop_id = ROP_GET_STORE_STATE;
    req[0].in_idx = 5; /* an empty slot */
    req[1].rop_id = ROP_GET_RECEIVE_FOLDER;
    req[1].u.get_receive_folder.message_class = "";
    ok(ropcli_exec(&rc, req, 2, NULL, resp, &n) == 0 && n == 2, "a failing ROP and a good one");
    is_int(resp[0].ret, MAPI_EC_NULL_OBJECT, "a ROP on an empty handle slot: ecNullObject");
    is_int(resp[1].ret, 0, "the next ROP still runs");
    memset(req, 0, sizeof(req));
    req[0].rop_id = ROP_SET_COLUMNS; /* a table ROP on the logon object */
    ok(ropcli_exec(&rc, req, 1, NULL, resp, &n) == 0 && n == 1, "a table ROP on a logon handle");
    ok(resp[0].ret == MAPI_EC_NOT_SUPPORTED || resp[0].ret == MAPI_EC_NULL_OBJECT,
       "answers the spec's error (0x%08X), not a crash", resp[0].ret);

    /* handles survive across requests (and processes): release and reuse */
    memset(req, 0, sizeof(req));
    req[0].rop_id = ROP_RELEASE;
    req[0].in_idx = 0;
    req[1].rop_id = ROP_GET_STORE_STATE;
    req[1].in_idx = 0;
    ok(ropcli_exec(&rc, req, 2, NULL, resp, &n) == 0 && n == 1, "RopRelease has no answer");
    is_int(resp[0].ret, MAPI_EC_NULL_OBJECT, "a released handle is gone");

    /* someone else's mailbox by ESSDN */
    {
        mapi_rop_req_t lg;
        const char *dn = ropcli_user_dn("bob");
        memset(&lg, 0, sizeof(lg));
        lg.rop_id = ROP_LOGON;
        lg.out_idx = 1;
        lg.u.logon.logon_flags = MAPI_LOGON_PRIVATE;
        lg.u.logon.essdn.data = (uint8_t *)dn;
        lg.u.logon.essdn.len = (uint32_t)strlen(dn) + 1;
        ok(ropcli_exec(&rc, &lg, 1, NULL, resp, &n) == 0 && n == 1, "logon to bob's mailbox");
        is_int(resp[0].ret, MAPI_EC_LOGIN_PERM, "is refused: ecLoginPerm");
        lg.u.logon.logon_flags = 0; /* public folders */
        ok(ropcli_exec(&rc, &lg, 1, NULL, resp, &n) == 0 && n == 1, "a public folder logon");
        is_int(resp[0].ret, MAPI_EC_NOT_SUPPORTED, "is answered ecNotSupported (no public folders)");
    }
    ropcli_close(&rc);
}

int main(void)
{
    if (!getenv("MH_BASE_URL")) {
        printf("1..0 # SKIP no test server (run through t/run-tests)\n");
        return 0;
    }
    test_logon();
    return done_testing();
}
