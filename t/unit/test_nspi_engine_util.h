/* test_nspi_engine_util.h - a store with a generated directory and helpers
 * to drive nspi_engine_handle() with encoded bodies. */
#ifndef TEST_NSPI_ENGINE_UTIL_H
#define TEST_NSPI_ENGINE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapi_nspi.h"
#include "mapistore.h"
#include "nspi_engine.h"
#include "tap.h"

#define TN_PREFIX "/o=mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"
#define TN_BASE_URL "https://mail.gal.test:8443"

static char tn_root[512];
static ms_store_t *tn_store;
static nspi_engine_ctx_t tn_ctx;
static nspi_arena_t tn_arena;          /* request and response memory of a test */

static inline void tn_rmrf(const char *path)
{
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        diag("could not remove %s", path);
}

/* Creates a mailbox; returns its GUID in *g (optional). */
static inline int tn_add(const char *display, const char *login, const char *smtp1, const char *smtp2,
                         ms_guid_t *g)
{
    ms_mailbox_info_t in;
    memset(&in, 0, sizeof(in));
    snprintf(in.display_name, sizeof(in.display_name), "%s", display);
    snprintf(in.login, sizeof(in.login), "%s", login ? login : "");
    snprintf(in.smtp[0], sizeof(in.smtp[0]), "%s", smtp1);
    in.nsmtp = 1;
    if (smtp2) {
        snprintf(in.smtp[1], sizeof(in.smtp[1]), "%s", smtp2);
        in.nsmtp = 2;
    }
    if (ms_mailbox_create(tn_store, &in) != MS_OK) {
        diag("mailbox %s: %s", smtp1, ms_last_error());
        return -1;
    }
    if (g)
        *g = in.guid;
    return 0;
}

/* A store in a temp dir (tmpfs when there is one: creating a mailbox
 * syncs the directory). */
static inline int tn_setup(const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp)
        tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(tn_root, sizeof(tn_root), "%s/nspi-%s-%d-XXXXXX", tmp, tag, (int)getpid());
    if (!mkdtemp(tn_root))
        return -1;
    if (ms_store_init(tn_root) != MS_OK || ms_store_open(tn_root, 0, &tn_store) != MS_OK ||
        ms_db_create(tn_store, "db1", (uint64_t)1 << 34) != MS_OK)
        return -1;
    memset(&tn_ctx, 0, sizeof(tn_ctx));
    tn_ctx.store = tn_store;
    tn_ctx.user = "alice@GAL.TEST";
    tn_ctx.base_url = TN_BASE_URL;
    tn_ctx.dn_prefix = TN_PREFIX;
    tn_ctx.codepage = 1252;
    nspi_arena_init(&tn_arena, 0);
    return 0;
}

static inline void tn_teardown(void)
{
    nspi_engine_flush_cache();
    nspi_arena_free(&tn_arena);
    ms_store_close(tn_store);
    tn_rmrf(tn_root);
}

static inline void tn_stat(nspi_stat_t *s, uint32_t cur, int32_t delta)
{
    memset(s, 0, sizeof(*s));
    s->current_rec = cur;
    s->delta = delta;
    s->code_page = 1252;
    s->template_locale = 0x409;
    s->sort_locale = 0x409;
}

/* Encodes req, runs the engine, decodes the answer into *rsp. Returns the
 * ErrorCode, or 0xDEAD0000 + n when something below the NSPI level failed
 * (n = 1: invalid body, 2: response did not decode). */
static inline uint32_t tn_call(nspi_request_t *req, nspi_response_t *rsp)
{
    mapi_wr_t in, out;
    nspi_engine_result_t res;
    uint32_t ec;
    mapi_wr_init(&in, 0);
    mapi_wr_init(&out, 0);
    if (nspi_request_encode(req, &in) != NSPI_OK) {
        diag("request did not encode");
        return 0xDEAD0003u;
    }
    nspi_engine_handle(&tn_ctx, nspi_req_type_name(req->type), in.p, in.len, &out, &res);
    if (res.invalid_body) {
        diag("invalid body: %s", res.why);
        ec = 0xDEAD0001u;
    } else {
        /* the decoded struct points into the bytes: keep them in the arena */
        uint8_t *keep = mapi_arena_memdup(&tn_arena, out.p, out.len ? out.len : 1);
        if (!keep || nspi_response_decode(req->type, keep, out.len, rsp, &tn_arena) != NSPI_OK)
            ec = 0xDEAD0002u;
        else
            ec = rsp->error_code == res.error_code ? rsp->error_code : 0xDEAD0004u;
    }
    mapi_wr_free(&in);
    mapi_wr_free(&out);
    return ec;
}

/* Raw body: 1 if the engine called it an invalid body. */
static inline int tn_invalid(const char *type, const uint8_t *body, size_t len)
{
    mapi_wr_t out;
    nspi_engine_result_t res;
    mapi_wr_init(&out, 0);
    nspi_engine_handle(&tn_ctx, type, body, len, &out, &res);
    int inv = res.invalid_body && out.len == 0;
    mapi_wr_free(&out);
    return inv;
}

/* UTF-16LE wire bytes of a UTF-8 string. */
static inline nspi_bytes_t tn_w(const char *s)
{
    nspi_bytes_t b = {NULL, 0};
    nspi_utf8_to_utf16(s, &tn_arena, &b);
    return b;
}

/* A Unicode or String8 row/list value as UTF-8 (arena). */
static inline const char *tn_str(const nspi_propval_t *v, uint32_t cp)
{
    char *u = NULL, *r;
    if (v->type == NSPI_PT_UNICODE)
        u = nspi_utf16_to_utf8(&v->u.bytes);
    else if (v->type == NSPI_PT_STRING8)
        u = nspi_str8_to_utf8(cp, v->u.bytes.p, v->u.bytes.len);
    if (!u)
        return "(not a string)";
    r = mapi_arena_strndup(&tn_arena, u, strlen(u));
    free(u);
    return r;
}

/* The test directory: TN_GENERATED generated users, then the tricky ones. */
#define TN_GENERATED 1000
#define TN_TRICKY 9
#define TN_TOTAL (TN_GENERATED + TN_TRICKY)
static ms_guid_t tn_alice_guid;

static inline int tn_populate(void)
{
    static const char *first[] = {"Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Jonas",
                                  "Mia", "Lukas", "Zoe", "Ivan", "Nora", "Omar", "Lea", "Pablo"};
    static const char *last[] = {"Smith", "Garcia", "Muller", "Rossi", "Kowalski", "Nguyen", "Dubois",
                                 "Silva", "Jensen", "Novak", "Haddad", "Tanaka", "Okafor", "Berg"};
    char disp[128], smtp[128], login[128];
    for (int i = 0; i < TN_GENERATED; i++) {
        snprintf(disp, sizeof(disp), "%s %s %04d", last[(i * 5) % 14], first[(i * 3) % 16], i);
        snprintf(smtp, sizeof(smtp), "user%04d@gal.test", i);
        snprintf(login, sizeof(login), "user%04d@GAL.TEST", i);
        if (tn_add(disp, login, smtp, NULL, NULL))
            return -1;
    }
    return tn_add("Alice Example", "alice@GAL.TEST", "alice@gal.test", "alice.example@gal.test", &tn_alice_guid) ||
           tn_add("Bob Builder", "bob@GAL.TEST", "bob@gal.test", NULL, NULL) ||
           tn_add("\xc3\x85ngstr\xc3\xb6m \xc3\x89lodie", "elodie@GAL.TEST", "elodie@gal.test", NULL, NULL) ||
           tn_add("\xc3\xa9mile Zola", "emile@GAL.TEST", "emile@gal.test", NULL, NULL) ||
           tn_add("Anna Bell", "annab@GAL.TEST", "anna.bell@gal.test", NULL, NULL) ||
           tn_add("Anna Bella", "annabella@GAL.TEST", "anna.bella@gal.test", NULL, NULL) ||
           tn_add("Annabel Lee", "annabel@GAL.TEST", "annabel.lee@gal.test", NULL, NULL) ||
           tn_add("Chris Twin", "chris1@GAL.TEST", "chris1@gal.test", NULL, NULL) ||
           tn_add("Chris Twin", "chris2@GAL.TEST", "chris2@gal.test", NULL, NULL) ? -1 : 0;
}

#endif /* TEST_NSPI_ENGINE_UTIL_H */
