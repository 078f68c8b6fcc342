/*
 * nspi_engine.h - the address book (NSPI) engine: answers the 19 request
 * types of the /mapi/nspi endpoint ([MS-OXCMAPIHTTP] 2.2.5) with the
 * semantics of [MS-OXNSPI] 3.1.4.1 over the store's mailbox directory, and
 * the object model of [MS-OXOABK].
 *
 * The glue (mod_mapihttp) owns the transport: headers, cookies, the session
 * context (created on a successful Bind, destroyed on Unbind). The engine
 * only turns a request body into a response body; it keeps no per-session
 * state, so any process can answer any request of a session.
 *
 * Content (documented choices where the specs leave room):
 *   - One address book container, the Global Address List, with Minimal
 *     Entry ID 0 (STAT.ContainerID 0 = the GAL). GetSpecialTable returns it
 *     as the only row of the hierarchy table.
 *   - The GAL = every mailbox of the store directory (mail users), sorted by
 *     display name case-insensitively (ASCII and Latin-1/Latin Extended-A
 *     letters folded), ties kept in directory (GUID) order.
 *   - Minimal Entry IDs: NSPI_MID_USER_BASE + FNV-1a(mailbox GUID) modulo the
 *     user range, collisions resolved by probing upwards in directory order.
 *     The same directory gives the same MIds in every process and across
 *     restarts; adding mailboxes never moves an existing MId unless two GUIDs
 *     hash to the same slot (then only the later one in GUID order moves).
 *   - legacyExchangeDN: the directory's DN when it starts with the
 *     configured DnPrefix, else DnPrefix + "/cn=Recipients/cn=" + the last
 *     "cn=" element of the directory's DN (the alias). DNToMId accepts both.
 *   - Name resolution (ResolveNames, and GetMatches restrictions on
 *     PidTagAnr): exact SMTP address / login / alias / DN first, else the
 *     prefixes of display names, of their later words (surnames), of
 *     aliases and SMTP addresses, case-insensitively.
 *   - The directory is read into a process-wide snapshot, shared by the
 *     threads of the process, rebuilt when the directory file changes
 *     (about 0.4 s and 50 MB for 100,000 mailboxes, plus the store's
 *     ms_mailbox_list() copy of the directory while it is read).
 */
#ifndef NSPI_ENGINE_H
#define NSPI_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "mapi_buf.h"
#include "mapistore.h"

/* Special Minimal Entry IDs ([MS-OXNSPI] 2.2.1.8). */
#define NSPI_MID_BEGINNING_OF_TABLE 0x00000000u
#define NSPI_MID_CURRENT            0x00000001u
#define NSPI_MID_END_OF_TABLE       0x00000002u
/* ResolveNames results ([MS-OXNSPI] 2.2.1.9). */
#define NSPI_MID_UNRESOLVED         0x00000000u
#define NSPI_MID_AMBIGUOUS          0x00000001u
#define NSPI_MID_RESOLVED           0x00000002u
/* The GAL container's MId (ContainerID 0). */
#define NSPI_MID_GAL                0x00000000u
/* User MIds live in [NSPI_MID_USER_BASE, NSPI_MID_USER_LIMIT). */
#define NSPI_MID_USER_BASE          0x00010000u
#define NSPI_MID_USER_LIMIT         0x7FFF0000u

/* Rows a single QueryRows/SeekEntries/GetMatches answer carries at most. */
#define NSPI_MAX_ROWS 4096u

typedef struct {
    ms_store_t *store;        /* opened by the glue in this process; NULL -> GeneralFailure */
    const char *user;         /* authenticated login name, e.g. alice@MAPI.TEST */
    const char *base_url;     /* "https://host:port" for GetMailboxUrl/GetAddressBookUrl */
    const char *dn_prefix;    /* "/o=.../ou=Exchange Administrative Group (FYDIBOHF23SPDLT)" */
    uint32_t codepage;        /* from the session's Bind (0 before Bind) */
    const uint8_t *server_guid; /* 16 bytes for Bind's ServerGuid and ephemeral entry ids;
                                 * NULL: a fixed GUID derived from dn_prefix */
} nspi_engine_ctx_t;

typedef struct {
    int invalid_body;         /* 1: the request body did not decode -> X-ResponseCode 12 */
    uint32_t error_code;      /* the NSPI ErrorCode put in the response (for logs) */
    uint32_t bind_codepage;   /* Bind: the code page to keep in the session */
    char why[200];            /* for the log */
} nspi_engine_result_t;

/* Decodes the request body of request_type (the X-RequestType value, e.g.
 * "QueryRows"), answers it, appends the response body to rsp (initialised
 * by the caller). An unknown request type or an undecodable body sets
 * res->invalid_body and appends nothing. Every ErrorCode is one of
 * [MS-OXNSPI] 2.2.1.2. Thread-safe. */
void nspi_engine_handle(const nspi_engine_ctx_t *ctx, const char *request_type, const uint8_t *body,
                        size_t len, mapi_wr_t *rsp, nspi_engine_result_t *res);

/* Drops this process's directory snapshot (tests, or after a fork when the
 * store is reopened). The next request reads the directory again. */
void nspi_engine_flush_cache(void);

/* Benchmarks: serve the GAL of this process from these directory records
 * (copied) instead of the store's directory, which ms_mailbox_create()
 * cannot fill with 100,000 mailboxes in reasonable time; NULL returns to
 * the store. The request path is the same either way. */
int nspi_engine_set_directory(const ms_mailbox_info_t *infos, size_t n);

/* The MId the engine gives a mailbox of the store (0 if it has none), and
 * the DN it reports for it (malloc'd, NULL if none): for tests and tools. */
uint32_t nspi_engine_mid_of(ms_store_t *store, const char *dn_prefix, const char *smtp);
char *nspi_engine_dn_of(ms_store_t *store, const char *dn_prefix, const char *smtp);

#endif /* NSPI_ENGINE_H */
