/*
 * mh_private.h - shared declarations of the mod_mapihttp Apache glue.
 *
 * The glue reads requests, checks the transport rules of [MS-OXCMAPIHTTP]
 * 2.2.2-2.2.3, hands bodies to libmapicodec and the engine, and writes the
 * response layout of 2.2.2.2 / 2.2.7 (meta-tags, additional headers, body).
 */
#ifndef MH_PRIVATE_H
#define MH_PRIVATE_H

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"
#include "apr_strings.h"

#include "mapi_status.h"
#include "mhs_session.h"
#include "mapistore.h"

extern module AP_MODULE_DECLARE_DATA mapihttp_module;
#if defined(APLOG_USE_MODULE) && !defined(MH_MODULE_MAIN)
APLOG_USE_MODULE(mapihttp);
#endif

/* Every log line carries a stable tag "MHnnnnn" (the APLOGNO idea). */
#define MHLOGNO(n) "MH" #n ": "

#define MH_SERVER_APPLICATION "mod_mapihttp/" PACKAGE_VERSION_STR
#ifndef PACKAGE_VERSION_STR
#define PACKAGE_VERSION_STR "0.1.0"
#endif

#define MH_CONTENT_TYPE "application/mapi-http"

/* The X.500 prefix of every legacyExchangeDN: Connect's DnPrefix and the
 * address book's DNs (the store derives its mailbox DNs from the same). */
#define MH_DN_PREFIX "/o=mod_mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"

/* Defaults ([MS-OXCMAPIHTTP] 2.2.3.3.5: X-PendingPeriod defaults to 30000 ms). */
#define MH_DEFAULT_PENDING_PERIOD_MS 30000
#define MH_DEFAULT_SESSION_TIMEOUT_S (15 * 60) /* Exchange: 15 min idle */
#define MH_DEFAULT_MAX_REQUEST_SIZE (16 * 1024 * 1024)
#define MH_DEFAULT_NOTIFY_WAIT_S 300
#define MH_DEFAULT_SESSIONS_PER_USER 64
#define MH_DEFAULT_MAX_SESSIONS 20000

#define MH_UNSET -1

/* Session cookies: names as Exchange uses them; values are opaque. */
#define MH_COOKIE_CONTEXT "MapiContext"
#define MH_COOKIE_SEQUENCE "MapiSequence"
/* Bytes of engine object state one session may keep. */
#define MH_SESSION_STATE_BUDGET (1024 * 1024)

/* Per-directory (<Location>) settings; merged child-over-parent. */
typedef struct {
    int enabled;               /* MapiHttpEnabled */
    int pending_period_ms;     /* MapiHttpPendingPeriod */
    apr_off_t max_request_size;/* MapiHttpMaxRequestSize */
    int notify_wait_s;         /* MapiHttpNotificationWaitTime */
} mh_dir_conf;

/* Per-server settings. */
typedef struct {
    const char *session_dir;   /* MapiHttpSessionDir (runtime dir by default) */
    const char *store_root;    /* MapiHttpStore */
    int session_timeout_s;     /* MapiHttpSessionTimeout */
    int sessions_per_user;     /* MapiHttpMaxSessionsPerUser */
    int max_sessions;          /* MapiHttpMaxSessions */
    const char *internal_url;  /* MapiHttpInternalUrl: https://host[:port] for clients inside */
    const char *external_url;  /* MapiHttpExternalUrl: the same as seen from outside (proxy) */
} mh_server_conf;

typedef enum { MH_EP_NONE = 0, MH_EP_EMSMDB, MH_EP_NSPI } mh_endpoint_t;

/* One MAPI/HTTP request being answered. */
typedef struct {
    request_rec *r;
    const mh_dir_conf *dconf;
    const mh_server_conf *sconf;
    mh_endpoint_t endpoint;
    const char *request_type;  /* X-RequestType as sent */
    const char *request_id;    /* X-RequestId */
    const char *client_info;   /* X-ClientInfo */
    apr_time_t start;
    apr_time_t last_write;     /* last meta-tag flushed, for PENDING */
    int headers_sent;          /* PROCESSING written: status is now fixed */
    int pending_sent;          /* number of PENDING meta-tags */
    int response_code;         /* X-ResponseCode finally given */
    const unsigned char *body; /* request body, read under the size limit */
    apr_size_t body_len;
} mh_req_t;

/* mh_config.c */
extern const command_rec mh_cmds[];
void *mh_create_dir_conf(apr_pool_t *p, char *dir);
void *mh_merge_dir_conf(apr_pool_t *p, void *base, void *add);
void *mh_create_server_conf(apr_pool_t *p, server_rec *s);
void *mh_merge_server_conf(apr_pool_t *p, void *base, void *add);
int mh_conf_enabled(const mh_dir_conf *c);
int mh_conf_pending_period(const mh_dir_conf *c);
apr_off_t mh_conf_max_request_size(const mh_dir_conf *c);
int mh_conf_notify_wait(const mh_dir_conf *c);

/* The URL clients use: MapiHttpInternalUrl/ExternalUrl, else the request's own. */
const char *mh_internal_url(mh_req_t *q);
const char *mh_external_url(mh_req_t *q);
const char *mh_request_base_url(request_rec *r);

/* mod_mapihttp.c: request types by number (NULL / -1 past the list). */
const char *mh_request_type_at(int i);
int mh_request_type_index(const char *type);

/* 1 when Apache is stopping this process ([MS-OXCMAPIHTTP] X-ResponseCode 18). */
int mh_stopping(void);

/* mh_response.c: the response layout of [MS-OXCMAPIHTTP] 2.2.2.2 and 2.2.7. */
void mh_set_common_headers(mh_req_t *q, int response_code);
int mh_fail(mh_req_t *q, int response_code, const char *why);
int mh_begin(mh_req_t *q, int flush);
void mh_pending_tick(mh_req_t *q);
int mh_finish(mh_req_t *q, const void *body, apr_size_t len);
int mh_finish_error(mh_req_t *q, int response_code, const char *why);

/* mh_session.c: the shared session table and the cookies. */
int mh_session_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
void mh_session_child_init(apr_pool_t *p, server_rec *s);
mhs_table_t *mh_sessions(void);
int mh_session_timeout(const mh_server_conf *c);
void mh_set_session_cookies(mh_req_t *q, const mhs_record_t *rec);
void mh_clear_session_cookies(mh_req_t *q);
int mh_read_cookie(mh_req_t *q, const char *name, uint8_t id[MHS_ID_LEN]);
int mh_session_rc(mhs_rc_t rc);
int mh_session_fail(mh_req_t *q, mhs_rc_t rc);
int mh_need_table(mh_req_t *q);

/* mh_store.c: the store handle of this process, mailbox resolution. */
ms_store_t *mh_store(mh_req_t *q);
void mh_guid_text(const uint8_t b[16], char out[37]);
uint32_t mh_resolve_mailbox(mh_req_t *q, const char *mailbox_id, ms_mailbox_info_t *info, const char **why);

/* mh_emsmdb.c: the mailbox endpoint ([MS-OXCMAPIHTTP] 2.2.4). */
int mh_emsmdb_connect(mh_req_t *q);
int mh_emsmdb_execute(mh_req_t *q);
int mh_emsmdb_disconnect(mh_req_t *q);
int mh_emsmdb_notification_wait(mh_req_t *q);
void mh_ping_touch(mh_req_t *q);

/* mh_status.c: mod_status section and request counters. */
void mh_status_register(void);
void mh_status_notify_held(int delta);

/* mh_nspi.c: the address book endpoint ([MS-OXCMAPIHTTP] 2.2.5). */
int mh_nspi_dispatch(mh_req_t *q);

/* mh_autodiscover.c: POX Autodiscover ([MS-OXDSCLI]) for SetHandler mapihttp-autodiscover. */
int mh_autodiscover_handler(request_rec *r);

#endif /* MH_PRIVATE_H */
