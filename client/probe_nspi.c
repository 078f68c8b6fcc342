/*
 * probe_nspi.c - the probe's address book steps over the nspi endpoint
 * ([MS-OXCMAPIHTTP] 2.2.5): Bind (2.2.5.1), ResolveNames of the probed
 * address (2.2.5.14; [MS-OXNSPI] 3.1.4.1.17: MID_UNRESOLVED 0 and
 * MID_AMBIGUOUS 1 are failures), Unbind (2.2.5.2).
 */
#include "mapiprobe.h"

#include <stdlib.h>
#include <string.h>

#define TAG_DISPLAY_NAME_W 0x3001001Fu
#define TAG_SMTP_ADDRESS_W 0x39FE001Fu

/* Runs one NSPI call; 0 on StatusCode 0 and an acceptable ErrorCode. */
static int nspi_step(probe_step_t *st, mc_conn_t *c, int rc, mc_response_t *resp, const nspi_response_t *out,
                     uint32_t ok_ec)
{
    char exc[PROBE_TEXT];
    if (rc != MC_OK) {
        probe_describe_exchange(c, rc, resp, exc, sizeof(exc));
        probe_step_fail(st, exc, "%s: %s", st->name, mc_emsmdb_strerror(rc));
        return -1;
    }
    if (out->status_code != 0 || (out->error_code != 0 && out->error_code != ok_ec)) {
        uint32_t ec = out->status_code ? out->status_code : out->error_code;
        snprintf(exc, sizeof(exc), "StatusCode %u, ErrorCode 0x%08X", out->status_code, out->error_code);
        probe_step_fail(st, exc, "%s: %s (0x%08X)", st->name, probe_ec_name(ec), ec);
        return -1;
    }
    return 0;
}

static int resolve_names(probe_t *p, mc_conn_t *c, nspi_arena_t *arena)
{
    static uint32_t tags[] = {TAG_DISPLAY_NAME_W, TAG_SMTP_ADDRESS_W};
    probe_step_t *st = probe_step_begin(p, "ResolveNames");
    nspi_request_t req;
    nspi_response_t out;
    mc_response_t resp;
    nspi_bytes_t name;
    const nspi_resolvenames_rsp_t *rn;
    char *display = NULL;
    int rc, ret = -1;
    uint32_t i;

    memset(&req, 0, sizeof(req));
    memset(&out, 0, sizeof(out));
    if (nspi_utf8_to_utf16(p->email, arena, &name) != 0) {
        probe_step_fail(st, "the address is not valid UTF-8", "ResolveNames: bad address");
        return -1;
    }
    req.type = NSPI_RESOLVENAMES;
    req.u.resolvenames.has_state = 1;
    req.u.resolvenames.state.code_page = 1252;
    req.u.resolvenames.state.sort_locale = req.u.resolvenames.state.template_locale = 1033;
    req.u.resolvenames.has_proptags = 1;
    req.u.resolvenames.proptags.count = 2;
    req.u.resolvenames.proptags.v = tags;
    req.u.resolvenames.has_names = 1;
    req.u.resolvenames.names.count = 1;
    req.u.resolvenames.names.s = &name;
    mc_response_init(&resp);
    rc = mc_nspi_call(c, &req, &resp, &out, arena);
    if (nspi_step(st, c, rc, &resp, &out, NSPI_SUCCESS) != 0)
        goto done;
    rn = &out.u.resolvenames;
    if (!rn->has_mids || rn->mids.count != 1) {
        probe_step_fail(st, "the answer carries no MId list of one entry", "ResolveNames: no MIds");
        goto done;
    }
    if (rn->mids.v[0] <= 1) {
        probe_step_fail(st, rn->mids.v[0] ? "MID_AMBIGUOUS" : "MID_UNRESOLVED", "ResolveNames: %s not %s",
                        p->email, rn->mids.v[0] ? "unique" : "resolved");
        goto done;
    }
    if (rn->has_rows_and_cols && rn->rows.row_count == 1)
        for (i = 0; i < rn->rows.columns.count; i++)
            if (rn->rows.columns.v[i] == TAG_DISPLAY_NAME_W && rn->rows.rows[0].vals[i].flag == NSPI_FLAG_PRESENT)
                display = nspi_utf16_to_utf8(&rn->rows.rows[0].vals[i].v.u.bytes);
    probe_step_ok(st, "%s -> MId 0x%08X \"%.200s\"", p->email, rn->mids.v[0], display ? display : "");
    free(display);
    ret = 0;
done:
    mc_response_free(&resp);
    return ret;
}

void probe_address_book(probe_t *p)
{
    probe_step_t *st = probe_step_begin(p, "Bind");
    mc_conn_t *c = probe_new_conn(p, p->addressbook_url);
    nspi_arena_t arena;
    nspi_response_t out;
    mc_response_t resp;
    int rc;

    if (!c) {
        probe_step_fail(st, p->addressbook_url, "Bind: cannot set up a connection");
        probe_step_skip(p, "ResolveNames", "not run: Bind failed");
        probe_step_skip(p, "Unbind", "not run: Bind failed");
        return;
    }
    nspi_arena_init(&arena, 16u << 20);
    memset(&out, 0, sizeof(out));
    mc_response_init(&resp);
    rc = mc_nspi_bind(c, 1252, 1033, &resp, &out, &arena);
    if (nspi_step(st, c, rc, &resp, &out, NSPI_SUCCESS) != 0) {
        mc_response_free(&resp);
        probe_step_skip(p, "ResolveNames", "not run: Bind failed");
        probe_step_skip(p, "Unbind", "not run: Bind failed");
        goto out;
    }
    probe_step_ok(st, "address book session");
    mc_response_free(&resp);

    resolve_names(p, c, &arena);

    st = probe_step_begin(p, "Unbind");
    memset(&out, 0, sizeof(out));
    mc_response_init(&resp);
    rc = mc_nspi_unbind(c, &resp, &out, &arena);
    if (nspi_step(st, c, rc, &resp, &out, NSPI_UNBIND_SUCCESS) == 0)
        probe_step_ok(st, "address book session closed");
    mc_response_free(&resp);
out:
    nspi_arena_free(&arena);
    mc_conn_free(c);
}
