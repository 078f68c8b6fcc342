/*
 * mh_store.c - the message store as the glue sees it: one store handle per
 * process, opened on first use after fork (an LMDB environment is never
 * shared across fork), and the mapping of a request's MailboxId and
 * authenticated user to a mailbox ([MS-OXCMAPIHTTP] 2.2.4.1, [MS-OXCRPC]
 * 3.1.4.1 return values).
 */
#include "mh_private.h"

#include "mapistore.h"
#include "rop_rules.h"

#include <pthread.h>
#include <strings.h>

static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static ms_store_t *store;
static const char *store_failed; /* set once opening failed, for the log */

ms_store_t *mh_store(mh_req_t *q)
{
    ms_store_t *st;
    pthread_mutex_lock(&store_lock);
    if (!store && q->sconf->store_root && !store_failed) {
        ms_err_t rc = ms_store_open(q->sconf->store_root, 0, &store);
        if (rc != MS_OK) {
            store = NULL;
            store_failed = apr_psprintf(q->r->server->process->pool, "%s: %s", q->sconf->store_root,
                                        ms_last_error());
            ap_log_rerror(APLOG_MARK, APLOG_CRIT, 0, q->r, MHLOGNO(00401) "cannot open the store %s",
                          store_failed);
        }
    }
    st = store;
    pthread_mutex_unlock(&store_lock);
    return st;
}

void mh_guid_text(const uint8_t b[16], char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[3], b[2], b[1],
             b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/*
 * Resolves the mailbox a request is for: the GUID part of MailboxId
 * ("<guid>@<domain>", as autodiscover hands it out) or, when the URL has
 * none, the user's own mailbox. Returns an ec value for Connect's ErrorCode:
 * ecUnknownUser when there is no such mailbox (or no store), ecLoginPerm
 * when the user may not open it: another user's mailbox opens only for a
 * delegate, who has rights on one of its folders ([MS-OXCPERM],
 * rop_perm_mailbox_access); the folder ROPs check the rest.
 */
uint32_t mh_resolve_mailbox(mh_req_t *q, const char *mailbox_id, ms_mailbox_info_t *info, const char **why)
{
    ms_store_t *st = mh_store(q);
    ms_mailbox_t *mbx = NULL;
    ms_err_t rc;
    char *key;
    int owner = 0, granted = 0;
    uint32_t ec;

    if (!st) {
        *why = q->sconf->store_root ? "the message store cannot be opened (see the error log)"
                                    : "no MapiHttpStore configured";
        return MAPI_EC_BAD_CONFIG;
    }
    if (mailbox_id && *mailbox_id) {
        key = apr_pstrdup(q->r->pool, mailbox_id);
        if (strchr(key, '@'))
            *strchr(key, '@') = '\0';
        rc = ms_mailbox_open(st, MS_LOOKUP_GUID, key, &mbx);
    } else {
        rc = ms_mailbox_open(st, MS_LOOKUP_LOGIN, q->r->user, &mbx);
    }
    if (rc != MS_OK) {
        *why = apr_psprintf(q->r->pool, "no mailbox for '%s': %s", mailbox_id && *mailbox_id ? mailbox_id : q->r->user,
                            ms_last_error());
        return MAPI_EC_UNKNOWN_USER;
    }
    rc = ms_mailbox_info(mbx, info);
    if (rc != MS_OK) {
        ms_mailbox_close(mbx);
        *why = apr_psprintf(q->r->pool, "mailbox unreadable: %s", ms_last_error());
        return MAPI_EC_UNKNOWN_USER;
    }
    if (strcasecmp(info->login, q->r->user) == 0) {
        ms_mailbox_close(mbx);
        return MAPI_EC_SUCCESS;
    }
    ec = rop_perm_mailbox_access(st, mbx, q->r->user, &owner, &granted);
    ms_mailbox_close(mbx);
    if (ec != MAPI_EC_SUCCESS) {
        *why = apr_psprintf(q->r->pool, "permissions of the mailbox of %s unreadable: %s", info->login,
                            ms_last_error());
        return MAPI_EC_UNKNOWN_USER;
    }
    if (!granted) {
        *why = apr_psprintf(q->r->pool, "%s may not open the mailbox of %s", q->r->user, info->login);
        return MAPI_EC_LOGIN_PERM;
    }
    return MAPI_EC_SUCCESS;
}
