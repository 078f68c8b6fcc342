/*
 * mapiprobe.h - mapiprobe, the MAPI/HTTP self-test probe (in the spirit of
 * Test-OutlookConnectivity -ProbeIdentity OutlookMapiHttpSelfTestProbe):
 * Autodiscover ([MS-OXDSCLI]) -> Connect -> Execute (Logon, Inbox, contents
 * table, one message) -> NSPI Bind/ResolveNames/Unbind -> Disconnect
 * ([MS-OXCMAPIHTTP] 2.2.4, 2.2.5), each step timed and reported.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "mapiclient.h"
#include "mc_emsmdb.h"
#include "mc_nspi.h"
#include "mapi_rop.h"

#define PROBE_IDENTITY "OutlookMapiHttpSelfTestProbe"
#define PROBE_TEXT 512

typedef enum { PROBE_NOT_RUN = 0, PROBE_SUCCEEDED, PROBE_FAILED, PROBE_SKIPPED } probe_result_t;

typedef struct {
    const char *name;            /* "Autodiscover", "Connect", "OpenFolder", ... */
    probe_result_t result;
    struct timespec start, end;  /* wall clock (CLOCK_REALTIME) */
    double latency_ms;           /* CLOCK_MONOTONIC */
    char error[PROBE_TEXT];      /* short: "OpenFolder: ecNotSupported (0x80040102)" */
    char exception[PROBE_TEXT];  /* detail: HTTP status, X-ResponseCode, transport text */
    char detail[PROBE_TEXT];     /* what a success found (URL, row count, subject) */
    struct timespec mono0;
} probe_step_t;

#define PROBE_MAX_STEPS 16
#define PROBE_HANDLES 16

typedef struct {
    /* options */
    const char *base_url, *email;
    mc_auth_t auth;
    const char *user, *password;
    const char *cacert;
    int insecure, json, verbose, use_external;
    long timeout_ms;
    /* what autodiscover found */
    char *legacy_dn, *mailstore_url, *addressbook_url, *display_name;
    /* the mailbox session */
    mc_conn_t *emsmdb;
    uint32_t handles[PROBE_HANDLES];
    mapi_arena_t arena;
    mapi_rop_ctx_t ropctx;
    uint64_t inbox_fid, row_fid, row_mid;
    int have_row;
    /* the report */
    probe_step_t steps[PROBE_MAX_STEPS];
    size_t nsteps;
    struct timespec start, end;
} probe_t;

/* probe_report.c */
probe_step_t *probe_step_begin(probe_t *p, const char *name);
void probe_step_ok(probe_step_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void probe_step_fail(probe_step_t *s, const char *exception, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void probe_step_skip(probe_t *p, const char *name, const char *why);
int probe_all_succeeded(const probe_t *p);
void probe_print_table(const probe_t *p, FILE *out);
void probe_print_json(const probe_t *p, FILE *out);
const char *probe_ec_name(uint32_t ec);
/* "HTTP 401", "X-ResponseCode 4 (Invalid Header)", the transport text...:
 * why a finished exchange did not work, for Exception. */
void probe_describe_exchange(mc_conn_t *c, int rc, const mc_response_t *resp, char *out, size_t n);

/* probe_autodiscover.c */
int probe_autodiscover(probe_t *p);
/* Reads an Autodiscover response body of len bytes (no NUL needed): fills
 * p->legacy_dn, display_name, mailstore_url, addressbook_url and ends the
 * step (ok or failed with the reason). 0 when usable. */
int probe_read_autodiscover(probe_t *p, probe_step_t *st, const char *x, size_t len);
/* Exposed for the parser's own checks: the text of the first element named
 * `name` (local name, any prefix) inside [s, end), entities decoded,
 * malloc'd; NULL when absent. *after (may be NULL) points past its end tag. */
char *probe_xml_text(const char *s, const char *end, const char *name, const char **after);
/* The content range of the first element `name` inside [s, end). */
int probe_xml_find(const char *s, const char *end, const char *name, const char **cs, const char **ce);

/* probe_mailbox.c */
int probe_connect(probe_t *p);
void probe_mailbox_steps(probe_t *p);
void probe_disconnect(probe_t *p);

/* probe_nspi.c */
void probe_address_book(probe_t *p);

/* mapiprobe.c */
mc_conn_t *probe_new_conn(const probe_t *p, const char *url);

#endif /* PROBE_H */
