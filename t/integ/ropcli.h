/*
 * ropcli.h - a ROP-level client for the wire tests: connects to the test
 * Apache as one of the test users, sends ROP requests in an Execute and
 * decodes the responses ([MS-OXCROPS] 2.2.1), keeping the server object
 * handle table between calls like Outlook does.
 */
#ifndef ROPCLI_H
#define ROPCLI_H

#include "mapiclient.h"
#include "mc_emsmdb.h"
#include "mapi_rop.h"
#include "mapi_status.h"

#define ROPCLI_HANDLES 32

typedef struct {
    mc_conn_t *conn;
    uint32_t handles[ROPCLI_HANDLES];
    size_t nh;
    mapi_arena_t arena;      /* decoded responses live here until ropcli_reset_arena */
    mapi_rop_ctx_t ropctx;
    uint32_t error_code;     /* Execute ErrorCode of the last call */
    char user[64];
    char owner[64];          /* whose mailbox: user, or another user's for a delegate */
} ropcli_t;

/* Connects USER (alice|bob: Negotiate with the harness's ccache) to their
 * own mailbox via the env of the test server. 0 on success. */
int ropcli_open(ropcli_t *rc, const char *user);
/* Connects USER to the mailbox of OWNER (its GUID from MH_MAILBOX_<owner>),
 * as a delegate does; rc->error_code is Connect's ErrorCode. 0 on success. */
int ropcli_open_mailbox(ropcli_t *rc, const char *user, const char *owner);
void ropcli_close(ropcli_t *rc);
/* Sends n requests in one Execute; fills resps (one per request that has a
 * response: RopRelease has none) and *nresp. cols[i] gives the table
 * columns for row-carrying responses (may be NULL). 0 when the Execute
 * came back with ErrorCode 0 and every response decoded. */
int ropcli_exec(ropcli_t *rc, const mapi_rop_req_t *reqs, size_t n, const mapi_tagarray_t *const *cols,
                mapi_rop_resp_t *resps, size_t *nresp);
/* Logon to the private mailbox opened (the owner's ESSDN) into handle
 * index out_idx; 0 when it came back ecSuccess. */
int ropcli_logon(ropcli_t *rc, uint8_t out_idx, mapi_rop_resp_t *resp);
/* The legacyExchangeDN of a test user's mailbox (from the harness env). */
const char *ropcli_user_dn(const char *user);

#endif
