/*
 * mh_config.c - directives of mod_mapihttp and their create/merge functions.
 * Bad values fail the configuration (apachectl configtest) with a message
 * that names the directive.
 */
#include "mh_private.h"

#include "http_core.h"
#include "apr_uri.h"

#include <strings.h>

#include <errno.h>

void *mh_create_dir_conf(apr_pool_t *p, char *dir)
{
    mh_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    c->enabled = MH_UNSET;
    c->pending_period_ms = MH_UNSET;
    c->max_request_size = MH_UNSET;
    c->notify_wait_s = MH_UNSET;
    return c;
}

#define MH_MERGE(field) (add->field != MH_UNSET ? add->field : base->field)

void *mh_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    const mh_dir_conf *base = basev, *add = addv;
    mh_dir_conf *c = apr_pcalloc(p, sizeof(*c));
    c->enabled = MH_MERGE(enabled);
    c->pending_period_ms = MH_MERGE(pending_period_ms);
    c->max_request_size = MH_MERGE(max_request_size);
    c->notify_wait_s = MH_MERGE(notify_wait_s);
    return c;
}

void *mh_create_server_conf(apr_pool_t *p, server_rec *s)
{
    mh_server_conf *c = apr_pcalloc(p, sizeof(*c));
    c->session_timeout_s = MH_UNSET;
    c->sessions_per_user = MH_UNSET;
    c->max_sessions = MH_UNSET;
    return c;
}

void *mh_merge_server_conf(apr_pool_t *p, void *basev, void *addv)
{
    const mh_server_conf *base = basev, *add = addv;
    mh_server_conf *c = apr_pcalloc(p, sizeof(*c));
    c->session_dir = add->session_dir ? add->session_dir : base->session_dir;
    c->store_root = add->store_root ? add->store_root : base->store_root;
    c->session_timeout_s = MH_MERGE(session_timeout_s);
    c->sessions_per_user = MH_MERGE(sessions_per_user);
    c->max_sessions = MH_MERGE(max_sessions);
    c->internal_url = add->internal_url ? add->internal_url : base->internal_url;
    c->external_url = add->external_url ? add->external_url : base->external_url;
    return c;
}

int mh_conf_enabled(const mh_dir_conf *c) { return c->enabled != 0; }

int mh_conf_pending_period(const mh_dir_conf *c)
{
    return c->pending_period_ms == MH_UNSET ? MH_DEFAULT_PENDING_PERIOD_MS : c->pending_period_ms;
}

apr_off_t mh_conf_max_request_size(const mh_dir_conf *c)
{
    return c->max_request_size == MH_UNSET ? MH_DEFAULT_MAX_REQUEST_SIZE : c->max_request_size;
}

int mh_conf_notify_wait(const mh_dir_conf *c)
{
    return c->notify_wait_s == MH_UNSET ? MH_DEFAULT_NOTIFY_WAIT_S : c->notify_wait_s;
}

/* Parses a whole decimal number in [lo, hi]; an error message names the directive. */
static const char *parse_int_range(cmd_parms *cmd, const char *arg, apr_int64_t lo, apr_int64_t hi,
                                   apr_int64_t *out)
{
    char *end = NULL;
    apr_int64_t v;
    if (!arg || !*arg)
        return apr_psprintf(cmd->pool, "%s needs a number", cmd->cmd->name);
    errno = 0;
    v = apr_strtoi64(arg, &end, 10);
    if (errno == ERANGE || !end || *end || v < lo || v > hi)
        return apr_psprintf(cmd->pool, "%s: '%s' is not a whole number from %" APR_INT64_T_FMT
                            " to %" APR_INT64_T_FMT, cmd->cmd->name, arg, lo, hi);
    *out = v;
    return NULL;
}

static const char *set_enabled(cmd_parms *cmd, void *dc, int on)
{
    ((mh_dir_conf *)dc)->enabled = on;
    return NULL;
}

static const char *set_pending_period(cmd_parms *cmd, void *dc, const char *arg)
{
    apr_int64_t v;
    /* milliseconds; the spec's default is 30000, Exchange 2013 used 15000 */
    const char *err = parse_int_range(cmd, arg, 100, 600000, &v);
    if (!err)
        ((mh_dir_conf *)dc)->pending_period_ms = (int)v;
    return err;
}

static const char *set_max_request_size(cmd_parms *cmd, void *dc, const char *arg)
{
    apr_int64_t v;
    const char *err = parse_int_range(cmd, arg, 1024, APR_INT64_C(1) << 31, &v);
    if (!err)
        ((mh_dir_conf *)dc)->max_request_size = (apr_off_t)v;
    return err;
}

static const char *set_notify_wait(cmd_parms *cmd, void *dc, const char *arg)
{
    apr_int64_t v;
    const char *err = parse_int_range(cmd, arg, 1, 3600, &v);
    if (!err)
        ((mh_dir_conf *)dc)->notify_wait_s = (int)v;
    return err;
}

static mh_server_conf *server_conf(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &mapihttp_module);
}

static const char *set_session_timeout(cmd_parms *cmd, void *dc, const char *arg)
{
    apr_int64_t v;
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);
    if (!err)
        err = parse_int_range(cmd, arg, 1, 7 * 24 * 3600, &v);
    if (!err)
        server_conf(cmd)->session_timeout_s = (int)v;
    return err;
}

static const char *set_sessions_per_user(cmd_parms *cmd, void *dc, const char *arg)
{
    apr_int64_t v;
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);
    if (!err)
        err = parse_int_range(cmd, arg, 1, 100000, &v);
    if (!err)
        server_conf(cmd)->sessions_per_user = (int)v;
    return err;
}

static const char *set_max_sessions(cmd_parms *cmd, void *dc, const char *arg)
{
    apr_int64_t v;
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);
    if (!err)
        err = parse_int_range(cmd, arg, 1, 10000000, &v);
    if (!err)
        server_conf(cmd)->max_sessions = (int)v;
    return err;
}

static const char *set_path(cmd_parms *cmd, const char *arg, const char **slot)
{
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    if (!arg || !*arg)
        return apr_psprintf(cmd->pool, "%s needs a directory", cmd->cmd->name);
    *slot = ap_server_root_relative(cmd->pool, arg);
    if (!*slot)
        return apr_psprintf(cmd->pool, "%s: invalid path '%s'", cmd->cmd->name, arg);
    return NULL;
}

static const char *set_session_dir(cmd_parms *cmd, void *dc, const char *arg)
{
    return set_path(cmd, arg, &server_conf(cmd)->session_dir);
}

static const char *set_store_root(cmd_parms *cmd, void *dc, const char *arg)
{
    return set_path(cmd, arg, &server_conf(cmd)->store_root);
}

/* https://host[:port] with no path, query or trailing slash. */
static const char *set_url(cmd_parms *cmd, const char *arg, const char **slot)
{
    apr_uri_t u;
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);
    if (err)
        return err;
    if (apr_uri_parse(cmd->pool, arg, &u) != APR_SUCCESS || !u.scheme || strcasecmp(u.scheme, "https") != 0 ||
        !u.hostname || !*u.hostname || (u.path && strcmp(u.path, "/") != 0 && *u.path) || u.query)
        return apr_psprintf(cmd->pool, "%s: '%s' is not an https://host[:port] URL", cmd->cmd->name, arg);
    *slot = apr_psprintf(cmd->pool, "https://%s%s%s", u.hostname, u.port_str ? ":" : "",
                         u.port_str ? u.port_str : "");
    return NULL;
}

static const char *set_internal_url(cmd_parms *cmd, void *dc, const char *arg)
{
    return set_url(cmd, arg, &server_conf(cmd)->internal_url);
}

static const char *set_external_url(cmd_parms *cmd, void *dc, const char *arg)
{
    return set_url(cmd, arg, &server_conf(cmd)->external_url);
}

/* The base URL of this request as the client addressed it. */
const char *mh_request_base_url(request_rec *r)
{
    const char *host = apr_table_get(r->headers_in, "Host");
    if (!host || !*host)
        host = apr_psprintf(r->pool, "%s:%u", ap_get_server_name(r), ap_get_server_port(r));
    return apr_psprintf(r->pool, "https://%s", host);
}

const char *mh_internal_url(mh_req_t *q)
{
    return q->sconf->internal_url ? q->sconf->internal_url : mh_request_base_url(q->r);
}

const char *mh_external_url(mh_req_t *q)
{
    return q->sconf->external_url ? q->sconf->external_url : mh_internal_url(q);
}

const command_rec mh_cmds[] = {
    AP_INIT_FLAG("MapiHttpEnabled", set_enabled, NULL, RSRC_CONF | ACCESS_CONF,
                 "On|Off: serve MAPI over HTTP here (Off answers as a disabled endpoint)"),
    AP_INIT_TAKE1("MapiHttpPendingPeriod", set_pending_period, NULL, RSRC_CONF | ACCESS_CONF,
                  "milliseconds between PENDING keep-alives (X-PendingPeriod), default 30000"),
    AP_INIT_TAKE1("MapiHttpMaxRequestSize", set_max_request_size, NULL, RSRC_CONF | ACCESS_CONF,
                  "largest request body in bytes, default 16 MiB"),
    AP_INIT_TAKE1("MapiHttpNotificationWaitTime", set_notify_wait, NULL, RSRC_CONF | ACCESS_CONF,
                  "seconds a NotificationWait is held without events, default 300"),
    AP_INIT_TAKE1("MapiHttpSessionTimeout", set_session_timeout, NULL, RSRC_CONF,
                  "seconds an idle session context is kept, default 900"),
    AP_INIT_TAKE1("MapiHttpMaxSessionsPerUser", set_sessions_per_user, NULL, RSRC_CONF,
                  "live session contexts one user may hold, default 64"),
    AP_INIT_TAKE1("MapiHttpMaxSessions", set_max_sessions, NULL, RSRC_CONF,
                  "live session contexts in all, default 20000"),
    AP_INIT_TAKE1("MapiHttpSessionDir", set_session_dir, NULL, RSRC_CONF,
                  "directory of the shared session table (default: the runtime dir)"),
    AP_INIT_TAKE1("MapiHttpStore", set_store_root, NULL, RSRC_CONF,
                  "root directory of the LMDB message store"),
    AP_INIT_TAKE1("MapiHttpInternalUrl", set_internal_url, NULL, RSRC_CONF,
                  "https://host[:port] that autodiscover and NSPI hand to internal clients"),
    AP_INIT_TAKE1("MapiHttpExternalUrl", set_external_url, NULL, RSRC_CONF,
                  "https://host[:port] that autodiscover and NSPI hand to external clients"),
    {NULL}};
