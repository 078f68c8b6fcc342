/*
 * probe_report.c - the probe's steps and their report: a table like
 * Test-OutlookConnectivity's (MonitorIdentity, StartTime, EndTime, Result,
 * Error, Exception, latency) or JSON for machines.
 */
#include "mapiprobe.h"

#include <stdarg.h>
#include <string.h>

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) * 1000.0 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

probe_step_t *probe_step_begin(probe_t *p, const char *name)
{
    probe_step_t *s = &p->steps[p->nsteps < PROBE_MAX_STEPS ? p->nsteps++ : PROBE_MAX_STEPS - 1];
    memset(s, 0, sizeof(*s));
    s->name = name;
    clock_gettime(CLOCK_REALTIME, &s->start);
    clock_gettime(CLOCK_MONOTONIC, &s->mono0);
    return s;
}

static void step_end(probe_step_t *s, probe_result_t r)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &s->end);
    clock_gettime(CLOCK_MONOTONIC, &now);
    s->latency_ms = ms_between(&s->mono0, &now);
    s->result = r;
}

void probe_step_ok(probe_step_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
    va_end(ap);
    step_end(s, PROBE_SUCCEEDED);
}

void probe_step_fail(probe_step_t *s, const char *exception, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof(s->error), fmt, ap);
    va_end(ap);
    snprintf(s->exception, sizeof(s->exception), "%s", exception ? exception : "");
    step_end(s, PROBE_FAILED);
}

void probe_step_skip(probe_t *p, const char *name, const char *why)
{
    probe_step_t *s = probe_step_begin(p, name);
    snprintf(s->error, sizeof(s->error), "%s", why);
    step_end(s, PROBE_SKIPPED);
    s->latency_ms = 0;
}

/* Skipped steps are not failures (an empty Inbox has no message to read);
 * a probe with no step at all did not succeed either. */
int probe_all_succeeded(const probe_t *p)
{
    size_t i, ok = 0;
    for (i = 0; i < p->nsteps; i++) {
        if (p->steps[i].result == PROBE_FAILED || p->steps[i].result == PROBE_NOT_RUN)
            return 0;
        ok += p->steps[i].result == PROBE_SUCCEEDED;
    }
    return ok > 0;
}

static const char *result_name(probe_result_t r)
{
    switch (r) {
    case PROBE_SUCCEEDED: return "Succeeded";
    case PROBE_FAILED: return "Failed";
    case PROBE_SKIPPED: return "Skipped";
    default: return "NotRun";
    }
}

/* 2026-11-25T23:10:48.087Z */
static void iso_time(const struct timespec *t, char out[64])
{
    struct tm tm;
    time_t sec = t->tv_sec;
    gmtime_r(&sec, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, t->tv_nsec / 1000000L);
}

/* [MS-OXCDATA] 2.4 names of the codes a probe is likely to meet. */
const char *probe_ec_name(uint32_t ec)
{
    static const struct { uint32_t ec; const char *name; } names[] = {
        {MAPI_EC_SUCCESS, "ecSuccess"},
        {MAPI_EC_GENERAL_FAILURE, "ecError"},
        {MAPI_EC_OUT_OF_MEMORY, "ecOutOfMemory"},
        {MAPI_EC_INVALID_PARAMETER, "ecInvalidParam"},
        {MAPI_EC_ACCESS_DENIED, "ecAccessDenied"},
        {MAPI_EC_NOT_SUPPORTED, "ecNotSupported"},
        {MAPI_EC_INVALID_ENTRYID, "ecInvalidEntryId"},
        {MAPI_EC_INVALID_OBJECT, "ecInvalidObject"},
        {MAPI_EC_OBJECT_MODIFIED, "ecObjectModified"},
        {MAPI_EC_OBJECT_DELETED, "ecObjectDeleted"},
        {MAPI_EC_NOT_FOUND, "ecNotFound"},
        {MAPI_EC_LOGON_FAILED, "ecLoginFailure"},
        {MAPI_EC_TOO_COMPLEX, "ecTooComplex"},
        {MAPI_EC_TABLE_TOO_BIG, "ecTableTooBig"},
        {MAPI_EC_INVALID_BOOKMARK, "ecInvalidBookmark"},
        {MAPI_EC_NOT_INITIALIZED, "ecNotInitialized"},
        {MAPI_EC_UNKNOWN_USER, "ecUnknownUser"},
        {MAPI_EC_BAD_CONFIG, "ecBadConfig"},
        {MAPI_EC_UNKNOWN_CODEPAGE, "ecUnknownCodePage"},
        {MAPI_EC_SERVER_OOM, "ecServerOOM"},
        {MAPI_EC_LOGIN_PERM, "ecLoginPerm"},
        {MAPI_EC_WRONG_SERVER, "ecWrongServer"},
        {MAPI_EC_BUFFER_TOO_SMALL, "ecBufferTooSmall"},
        {MAPI_EC_RPC_FORMAT, "ecRpcFormat"},
        {MAPI_EC_NULL_OBJECT, "ecNullObject"},
        {MAPI_EC_QUOTA_EXCEEDED, "ecQuotaExceeded"},
        {MAPI_EC_MAILBOX_DISABLED, "ecMailboxDisabled"},
    };
    size_t i;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].ec == ec)
            return names[i].name;
    return "ecUnknown";
}

void probe_describe_exchange(mc_conn_t *c, int rc, const mc_response_t *resp, char *out, size_t n)
{
    const char *srv = mc_headers_get(&resp->headers, "X-ServerApplication");
    if (rc == MC_ERR_TRANSPORT || rc == MC_ERR_NOMEM || rc == MC_ERR_ARG || rc == MC_ERR_IO) {
        snprintf(out, n, "%s: %s", mc_strerror(rc), mc_conn_error(c));
        return;
    }
    if (resp->http_status != 200) {
        snprintf(out, n, "HTTP %ld from %s", resp->http_status, mc_conn_url(c));
        return;
    }
    if (resp->response_code != 0) {
        snprintf(out, n, "HTTP 200, X-ResponseCode %d (%s)%s%s", resp->response_code,
                 mapi_response_code_name(resp->response_code), srv ? " from " : "", srv ? srv : "");
        return;
    }
    if (resp->parse_error)
        snprintf(out, n, "response body layout broken: %s", mc_parse_error_name(resp->parse_error));
    else
        snprintf(out, n, "%s (HTTP 200, X-ResponseCode 0)", mc_emsmdb_strerror(rc));
}

/* ---- table ----------------------------------------------------------- */

void probe_print_table(const probe_t *p, FILE *out)
{
    size_t i;
    char t0[64], t1[64];
    fprintf(out, "%-51s %-24s %-24s %-9s %10s  %s\n", "MonitorIdentity", "StartTime", "EndTime", "Result",
            "Latency", "Error / Exception (Detail when Succeeded)");
    for (i = 0; i < p->nsteps; i++) {
        const probe_step_t *s = &p->steps[i];
        char ident[64];
        snprintf(ident, sizeof(ident), "%s\\%s", PROBE_IDENTITY, s->name);
        iso_time(&s->start, t0);
        iso_time(&s->end, t1);
        fprintf(out, "%-51s %-24s %-24s %-9s %8.1fms  %s", ident, t0, t1, result_name(s->result),
                s->latency_ms, s->result == PROBE_SUCCEEDED ? s->detail : s->error);
        if (s->exception[0])
            fprintf(out, " | Exception: %s", s->exception);
        fputc('\n', out);
    }
    iso_time(&p->start, t0);
    iso_time(&p->end, t1);
    fprintf(out, "%-51s %-24s %-24s %-9s %8.1fms  %s %s\n", PROBE_IDENTITY, t0, t1,
            probe_all_succeeded(p) ? "Succeeded" : "Failed", ms_between(&p->start, &p->end), p->base_url,
            p->email);
}

/* ---- JSON ------------------------------------------------------------ */

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void json_field(FILE *out, const char *name, const char *value, int comma)
{
    json_str(out, name);
    fputs(": ", out);
    if (value)
        json_str(out, value);
    else
        fputs("null", out);
    if (comma)
        fputs(", ", out);
}

void probe_print_json(const probe_t *p, FILE *out)
{
    size_t i;
    char t0[64], t1[64];
    iso_time(&p->start, t0);
    iso_time(&p->end, t1);
    fputs("{", out);
    json_field(out, "MonitorIdentity", PROBE_IDENTITY, 1);
    json_field(out, "Target", p->base_url, 1);
    json_field(out, "EMailAddress", p->email, 1);
    json_field(out, "StartTime", t0, 1);
    json_field(out, "EndTime", t1, 1);
    json_field(out, "Result", probe_all_succeeded(p) ? "Succeeded" : "Failed", 1);
    fprintf(out, "\"LatencyMs\": %.3f, ", ms_between(&p->start, &p->end));
    json_field(out, "MailStoreUrl", p->mailstore_url, 1);
    json_field(out, "AddressBookUrl", p->addressbook_url, 1);
    fputs("\"Steps\": [", out);
    for (i = 0; i < p->nsteps; i++) {
        const probe_step_t *s = &p->steps[i];
        char ident[64];
        snprintf(ident, sizeof(ident), "%s\\%s", PROBE_IDENTITY, s->name);
        iso_time(&s->start, t0);
        iso_time(&s->end, t1);
        fputs(i ? ",\n  {" : "\n  {", out);
        json_field(out, "MonitorIdentity", ident, 1);
        json_field(out, "Step", s->name, 1);
        json_field(out, "StartTime", t0, 1);
        json_field(out, "EndTime", t1, 1);
        json_field(out, "Result", result_name(s->result), 1);
        fprintf(out, "\"LatencyMs\": %.3f, ", s->latency_ms);
        json_field(out, "Error", s->error[0] ? s->error : NULL, 1);
        json_field(out, "Exception", s->exception[0] ? s->exception : NULL, 1);
        json_field(out, "Detail", s->detail[0] ? s->detail : NULL, 0);
        fputs("}", out);
    }
    fputs("\n]}\n", out);
}
