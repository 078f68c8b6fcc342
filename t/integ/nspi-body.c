/*
 * nspi-body - address book bodies for the integration tests:
 *
 *   nspi-body encode TYPE [options]   prints the request body as hex
 *   nspi-body decode TYPE FILE        prints a response body as lines
 *
 * Encode options (each sets the field of the same meaning, where TYPE has it):
 *   --stat CUR[,DELTA[,NUMPOS,TOTAL]]  STAT with code page --cp (1252)
 *   --cp N  --container N  --sort N    STAT fields
 *   --cols T,T,..    columns / property tags (hex)   --count N  row count
 *   --mids M,M,..    explicit table / MIds (hex)     --flags N
 *   --names A|B|..   ResolveNames (UTF-8 -> UTF-16), DNToMId (8-bit)
 *   --mid M  --mid2 M  --target TEXT  --prefix TEXT (GetMatches content
 *   filter on the display name)  --eq-smtp TEXT (property filter)
 *   --anr TEXT (GetMatches: PidTagAnr equals TEXT, ambiguous name resolution)
 *   --delta-requested  --version N  --locale N  --dn TEXT  --proptag T
 *   --entryid-dn DN (ModLinkAtt)  --cert TEXT (ModProps, user certificate)
 * Decode output: "Field: value" lines (StatusCode, ErrorCode, State.*,
 * Delta, MIds, Columns, Rows, row[i].TAG, value.TAG, CodePage, Version,
 * Url, Result, ServerGuid).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapi_ids.h"
#include "mapi_nspi.h"

typedef struct {
    nspi_request_t req;
    nspi_arena_t arena;
    nspi_stat_t stat;
    int has_stat;
    uint32_t cp, count, flags, mid, mid2, version, locale, proptag;
    int count_set, delta_requested, has_version;
    nspi_u32_array_t cols, mids;
    int has_cols, has_mids;
    char *names, *target, *prefix, *eq_smtp, *anr, *dn, *entryid_dn, *cert;
    uint32_t container, sort;
} opts_t;

static uint32_t num(const char *s)
{
    return (uint32_t)strtoul(s, NULL, 0);
}

static void u32_list(nspi_arena_t *a, const char *s, nspi_u32_array_t *out)
{
    char *dup = strdup(s), *save = NULL;
    uint32_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    out->v = nspi_arena_array(a, n, sizeof(uint32_t));
    out->count = 0;
    for (char *t = strtok_r(dup, ",", &save); t && out->v; t = strtok_r(NULL, ",", &save))
        out->v[out->count++] = (uint32_t)strtoul(t, NULL, 16);
    free(dup);
}

static void parse_stat(opts_t *o, const char *s)
{
    char *dup = strdup(s), *save = NULL, *t;
    int i = 0;
    memset(&o->stat, 0, sizeof(o->stat));
    for (t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save), i++) {
        uint32_t v = (uint32_t)strtoul(t, NULL, 0);
        if (i == 0) o->stat.current_rec = v;
        if (i == 1) o->stat.delta = (int32_t)strtol(t, NULL, 0);
        if (i == 2) o->stat.num_pos = v;
        if (i == 3) o->stat.total_recs = v;
    }
    free(dup);
    o->has_stat = 1;
}

static nspi_strarray_t strings(opts_t *o, const char *s, int wide)
{
    nspi_strarray_t a;
    char *dup = strdup(s), *save = NULL;
    uint32_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == '|';
    a.s = nspi_arena_array(&o->arena, n, sizeof(nspi_bytes_t));
    a.count = 0;
    for (char *t = strtok_r(dup, "|", &save); t && a.s; t = strtok_r(NULL, "|", &save)) {
        if (wide) {
            nspi_utf8_to_utf16(t, &o->arena, &a.s[a.count]);
        } else {
            a.s[a.count].len = (uint32_t)strlen(t);
            a.s[a.count].p = (const uint8_t *)mapi_arena_strndup(&o->arena, t, strlen(t));
        }
        a.count++;
    }
    free(dup);
    return a;
}

static mapi_restriction_t *filter(opts_t *o)
{
    mapi_restriction_t *r = mapi_arena_calloc(&o->arena, 1, sizeof(*r));
    if (o->anr) {
        r->type = MAPI_RES_PROPERTY;
        r->u.prop.relop = MAPI_RELOP_EQ;
        r->u.prop.tag = r->u.prop.value.tag = 0x360C001Fu;     /* PidTagAnr */
        r->u.prop.value.v.str = o->anr;
    } else if (o->prefix) {
        r->type = MAPI_RES_CONTENT;
        r->u.content.fuzzy_low = MAPI_FL_PREFIX;
        r->u.content.fuzzy_high = MAPI_FL_IGNORECASE;
        r->u.content.tag = r->u.content.value.tag = 0x3001001Fu;
        r->u.content.value.v.str = o->prefix;
    } else {
        r->type = MAPI_RES_PROPERTY;
        r->u.prop.relop = MAPI_RELOP_EQ;
        r->u.prop.tag = r->u.prop.value.tag = 0x39FE001Fu;
        r->u.prop.value.v.str = o->eq_smtp;
    }
    return r;
}

static void fill(opts_t *o)
{
    nspi_request_t *q = &o->req;
    nspi_stat_t st = o->stat;
    st.code_page = o->cp;
    st.container_id = o->container;
    st.sort_type = o->sort;
    st.template_locale = st.sort_locale = 0x409;
#define STAT(f) do { q->u.f.has_state = (uint8_t)o->has_stat; q->u.f.state = st; } while (0)
#define COLS(f, hf) do { q->u.f.hf = (uint8_t)o->has_cols; if (o->has_cols) q->u.f.columns = o->cols; } while (0)
    switch (q->type) {
    case NSPI_BIND: STAT(bind); q->u.bind.flags = o->flags; break;
    case NSPI_UPDATESTAT: STAT(updatestat); q->u.updatestat.delta_requested = (uint8_t)o->delta_requested; break;
    case NSPI_QUERYROWS:
        STAT(queryrows);
        q->u.queryrows.flags = o->flags;
        q->u.queryrows.row_count = o->count_set ? o->count : 50;
        if (o->has_mids)
            q->u.queryrows.explicit_table = o->mids;
        COLS(queryrows, has_columns);
        break;
    case NSPI_SEEKENTRIES:
        STAT(seekentries);
        if (o->target) {
            q->u.seekentries.has_target = 1;
            q->u.seekentries.target.tag = 0x3001001Fu;
            q->u.seekentries.target.v.type = NSPI_PT_UNICODE;
            q->u.seekentries.target.v.present = 1;
            nspi_utf8_to_utf16(o->target, &o->arena, &q->u.seekentries.target.v.u.bytes);
        }
        if (o->has_mids) {
            q->u.seekentries.has_explicit_table = 1;
            q->u.seekentries.explicit_table = o->mids;
        }
        COLS(seekentries, has_columns);
        break;
    case NSPI_GETMATCHES:
        STAT(getmatches);
        if (o->prefix || o->eq_smtp || o->anr) {
            q->u.getmatches.has_filter = 1;
            q->u.getmatches.filter_tree = filter(o);
        }
        if (o->has_mids) {
            q->u.getmatches.has_mids = 1;
            q->u.getmatches.mids = o->mids;
        }
        q->u.getmatches.row_count = o->count_set ? o->count : 50;
        COLS(getmatches, has_columns);
        break;
    case NSPI_RESOLVENAMES:
        STAT(resolvenames);
        if (o->names) {
            q->u.resolvenames.has_names = 1;
            q->u.resolvenames.names = strings(o, o->names, 1);
        }
        if (o->has_cols) {
            q->u.resolvenames.has_proptags = 1;
            q->u.resolvenames.proptags = o->cols;
        }
        break;
    case NSPI_DNTOMID:
        if (o->names) {
            q->u.dntomid.has_names = 1;
            q->u.dntomid.names = strings(o, o->names, 0);
        }
        break;
    case NSPI_GETPROPS:
        STAT(getprops);
        q->u.getprops.flags = o->flags;
        if (o->has_cols) {
            q->u.getprops.has_proptags = 1;
            q->u.getprops.proptags = o->cols;
        }
        break;
    case NSPI_GETPROPLIST:
        q->u.getproplist.flags = o->flags;
        q->u.getproplist.mid = o->mid;
        q->u.getproplist.code_page = o->cp;
        break;
    case NSPI_QUERYCOLUMNS: q->u.querycolumns.mapi_flags = o->flags; break;
    case NSPI_COMPAREMIDS:
        STAT(comparemids);
        q->u.comparemids.mid1 = o->mid;
        q->u.comparemids.mid2 = o->mid2;
        break;
    case NSPI_RESORTRESTRICTION:
        STAT(resortrestriction);
        if (o->has_mids) {
            q->u.resortrestriction.has_mids = 1;
            q->u.resortrestriction.mids = o->mids;
        }
        break;
    case NSPI_GETSPECIALTABLE:
        STAT(getspecialtable);
        q->u.getspecialtable.flags = o->flags;
        q->u.getspecialtable.has_version = (uint8_t)o->has_version;
        q->u.getspecialtable.version = o->version;
        break;
    case NSPI_GETTEMPLATEINFO:
        q->u.gettemplateinfo.flags = o->flags;
        q->u.gettemplateinfo.code_page = o->cp;
        q->u.gettemplateinfo.locale_id = o->locale;
        break;
    case NSPI_MODPROPS:
        STAT(modprops);
        if (o->cert) {
            nspi_tagged_t *v = nspi_arena_array(&o->arena, 1, sizeof(*v));
            nspi_mv_elem_t *e = nspi_arena_array(&o->arena, 1, sizeof(*e));
            v->tag = 0x3A701102u;
            v->v.type = 0x1102;
            v->v.present = 1;
            v->v.u.mv.count = 1;
            v->v.u.mv.u.e = e;
            e->present = 1;
            e->b.p = (const uint8_t *)o->cert;
            e->b.len = (uint32_t)strlen(o->cert);
            q->u.modprops.has_values = 1;
            q->u.modprops.values.count = 1;
            q->u.modprops.values.v = v;
            /* PropertyTags: the property is replaced (removed, then set) */
            q->u.modprops.has_proptags = 1;
            q->u.modprops.proptags.count = 1;
            q->u.modprops.proptags.v = &v->tag;
        }
        break;
    case NSPI_MODLINKATT:
        q->u.modlinkatt.flags = o->flags;
        q->u.modlinkatt.proptag = o->proptag;
        q->u.modlinkatt.mid = o->mid;
        if (o->entryid_dn) {
            mapi_wr_t wr;
            mapi_ab_entryid_t id = {0, o->entryid_dn};
            mapi_wr_init(&wr, 0);
            mapi_ab_entryid_encode(&wr, &id);
            q->u.modlinkatt.has_entry_ids = 1;
            q->u.modlinkatt.entry_id_count = 1;
            q->u.modlinkatt.entry_ids = nspi_arena_array(&o->arena, 1, sizeof(nspi_bytes_t));
            q->u.modlinkatt.entry_ids[0].p = mapi_arena_memdup(&o->arena, wr.p, wr.len);
            q->u.modlinkatt.entry_ids[0].len = (uint32_t)wr.len;
            mapi_wr_free(&wr);
        }
        break;
    case NSPI_GETMAILBOXURL:
    case NSPI_GETADDRESSBOOKURL:
        q->u.geturl.flags = o->flags;
        nspi_utf8_to_utf16(o->dn ? o->dn : "", &o->arena, &q->u.geturl.dn);
        break;
    default:
        break;
    }
#undef STAT
#undef COLS
}

static int encode(int argc, char **argv)
{
    opts_t o;
    mapi_wr_t wr;
    memset(&o, 0, sizeof(o));
    nspi_arena_init(&o.arena, 0);
    o.cp = 1252;
    int t = nspi_req_type_from_name(argv[0]);
    if (t < 0) {
        fprintf(stderr, "nspi-body: unknown type %s\n", argv[0]);
        return 2;
    }
    o.req.type = (nspi_req_type_t)t;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        int takes = 1;
        if (!strcmp(a, "--stat")) parse_stat(&o, v);
        else if (!strcmp(a, "--cp")) o.cp = num(v);
        else if (!strcmp(a, "--container")) o.container = num(v);
        else if (!strcmp(a, "--sort")) o.sort = num(v);
        else if (!strcmp(a, "--cols")) { u32_list(&o.arena, v, &o.cols); o.has_cols = 1; }
        else if (!strcmp(a, "--mids")) { u32_list(&o.arena, v, &o.mids); o.has_mids = 1; }
        else if (!strcmp(a, "--count")) { o.count = num(v); o.count_set = 1; }
        else if (!strcmp(a, "--flags")) o.flags = num(v);
        else if (!strcmp(a, "--names")) o.names = argv[i + 1];
        else if (!strcmp(a, "--mid")) o.mid = num(v);
        else if (!strcmp(a, "--mid2")) o.mid2 = num(v);
        else if (!strcmp(a, "--target")) o.target = argv[i + 1];
        else if (!strcmp(a, "--prefix")) o.prefix = argv[i + 1];
        else if (!strcmp(a, "--eq-smtp")) o.eq_smtp = argv[i + 1];
        else if (!strcmp(a, "--anr")) o.anr = argv[i + 1];
        else if (!strcmp(a, "--version")) { o.version = num(v); o.has_version = 1; }
        else if (!strcmp(a, "--locale")) o.locale = num(v);
        else if (!strcmp(a, "--dn")) o.dn = argv[i + 1];
        else if (!strcmp(a, "--proptag")) o.proptag = num(v);
        else if (!strcmp(a, "--entryid-dn")) o.entryid_dn = argv[i + 1];
        else if (!strcmp(a, "--cert")) o.cert = argv[i + 1];
        else if (!strcmp(a, "--delta-requested")) { o.delta_requested = 1; takes = 0; }
        else {
            fprintf(stderr, "nspi-body: unknown option %s\n", a);
            return 2;
        }
        if (takes && i + 1 >= argc) {
            fprintf(stderr, "nspi-body: %s needs a value\n", a);
            return 2;
        }
        i += takes;
    }
    fill(&o);
    mapi_wr_init(&wr, 0);
    if (nspi_request_encode(&o.req, &wr) != NSPI_OK) {
        fprintf(stderr, "nspi-body: the request does not encode\n");
        return 1;
    }
    for (size_t i = 0; i < wr.len; i++)
        printf("%02x", wr.p[i]);
    printf("\n");
    mapi_wr_free(&wr);
    nspi_arena_free(&o.arena);
    return 0;
}

/* ---- decoding ----------------------------------------------------------- */
static void print_value(const char *label, uint32_t tag, const nspi_propval_t *v, uint32_t cp)
{
    char *s = NULL;
    printf("%s.%08X: ", label, tag);
    if (!v->present) {
        printf("(absent)\n");
        return;
    }
    switch (v->type) {
    case NSPI_PT_UNICODE: s = nspi_utf16_to_utf8(&v->u.bytes); break;
    case NSPI_PT_STRING8: s = nspi_str8_to_utf8(cp, v->u.bytes.p, v->u.bytes.len); break;
    case NSPI_PT_LONG: printf("%u\n", v->u.i32); return;
    case NSPI_PT_ERROR: printf("error 0x%08X\n", v->u.i32); return;
    case NSPI_PT_BOOLEAN: printf("%u\n", v->u.b); return;
    case NSPI_PT_BINARY:
        for (uint32_t i = 0; i < v->u.bytes.len; i++)
            printf("%02x", v->u.bytes.p[i]);
        printf("\n");
        return;
    case 0x101F:
        for (uint32_t i = 0; i < v->u.mv.count; i++) {
            char *e = nspi_utf16_to_utf8(&v->u.mv.u.e[i].b);
            printf("%s%s", i ? " | " : "", e ? e : "?");
            free(e);
        }
        printf("\n");
        return;
    case 0x1102:
        printf("%u values\n", v->u.mv.count);
        return;
    default: printf("(type 0x%04X)\n", v->type); return;
    }
    printf("%s\n", s ? s : "?");
    free(s);
}

static void print_stat(const nspi_stat_t *s)
{
    printf("State.CurrentRec: 0x%08X\nState.Delta: %d\nState.NumPos: %u\nState.TotalRecs: %u\n"
           "State.ContainerID: %u\n", s->current_rec, s->delta, s->num_pos, s->total_recs, s->container_id);
}

static void print_mids(const nspi_u32_array_t *m)
{
    printf("MIds:");
    for (uint32_t i = 0; i < m->count; i++)
        printf(" 0x%08X", m->v[i]);
    printf("\nMIdCount: %u\n", m->count);
}

static void print_rows(const nspi_rowset_t *rs, uint32_t cp)
{
    char label[32];
    printf("Columns:");
    for (uint32_t c = 0; c < rs->columns.count; c++)
        printf(" %08X", rs->columns.v[c]);
    printf("\nRows: %u\n", rs->row_count);
    for (uint32_t r = 0; r < rs->row_count; r++)
        for (uint32_t c = 0; c < rs->columns.count; c++) {
            const nspi_rowval_t *v = &rs->rows[r].vals[c];
            snprintf(label, sizeof(label), "row[%u]", r);
            if (v->flag == NSPI_FLAG_PRESENT)
                print_value(label, rs->columns.v[c], &v->v, cp);
            else
                printf("%s.%08X: error 0x%08X\n", label, rs->columns.v[c], v->flag == NSPI_FLAG_ERROR ? v->err : 0);
        }
}

static int decode(const char *type, const char *file)
{
    FILE *f = fopen(file, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;
    nspi_response_t r;
    nspi_arena_t arena;
    int t = nspi_req_type_from_name(type);
    if (!f || t < 0) {
        fprintf(stderr, "nspi-body: cannot read %s / unknown type %s\n", file, type);
        return 2;
    }
    do {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0 && buf);
    fclose(f);
    nspi_arena_init(&arena, 0);
    int rc = nspi_response_decode((nspi_req_type_t)t, buf, len, &r, &arena);
    if (rc != NSPI_OK) {
        printf("decode_error: %s\n", nspi_strerror(rc));
        nspi_arena_free(&arena);
        free(buf);
        return 1;
    }
    printf("StatusCode: %u\nErrorCode: 0x%08X\n", r.status_code, r.error_code);
    switch (t) {
    case NSPI_BIND:
        printf("ServerGuid: ");
        for (int i = 0; i < 16; i++)
            printf("%02x", r.u.bind.server_guid[i]);
        printf("\n");
        break;
    case NSPI_COMPAREMIDS: printf("Result: %d\n", r.u.comparemids.result); break;
    case NSPI_DNTOMID: if (r.u.dntomid.has_mids) print_mids(&r.u.dntomid.mids); break;
    case NSPI_GETMATCHES:
    case NSPI_QUERYROWS:
    case NSPI_SEEKENTRIES:
        if (r.u.rows.has_state) print_stat(&r.u.rows.state);
        if (r.u.rows.has_mids) print_mids(&r.u.rows.mids);
        if (r.u.rows.has_cols_and_rows) print_rows(&r.u.rows.rows, 1252);
        break;
    case NSPI_GETPROPLIST:
    case NSPI_QUERYCOLUMNS:
        if (r.u.proptags.has_proptags) {
            printf("PropTags:");
            for (uint32_t i = 0; i < r.u.proptags.proptags.count; i++)
                printf(" %08X", r.u.proptags.proptags.v[i]);
            printf("\n");
        }
        break;
    case NSPI_GETPROPS:
    case NSPI_GETTEMPLATEINFO:
        printf("CodePage: %u\n", r.u.getprops.code_page);
        for (uint32_t i = 0; r.u.getprops.has_values && i < r.u.getprops.values.count; i++)
            print_value("value", r.u.getprops.values.v[i].tag, &r.u.getprops.values.v[i].v, r.u.getprops.code_page);
        break;
    case NSPI_GETSPECIALTABLE:
        printf("CodePage: %u\n", r.u.getspecialtable.code_page);
        if (r.u.getspecialtable.has_version) printf("Version: %u\n", r.u.getspecialtable.version);
        if (r.u.getspecialtable.has_rows) printf("Rows: %u\n", r.u.getspecialtable.row_count);
        for (uint32_t i = 0; r.u.getspecialtable.has_rows && i < r.u.getspecialtable.row_count; i++)
            for (uint32_t j = 0; j < r.u.getspecialtable.rows[i].count; j++)
                print_value("row", r.u.getspecialtable.rows[i].v[j].tag, &r.u.getspecialtable.rows[i].v[j].v,
                            r.u.getspecialtable.code_page);
        break;
    case NSPI_RESOLVENAMES:
        printf("CodePage: %u\n", r.u.resolvenames.code_page);
        if (r.u.resolvenames.has_mids) print_mids(&r.u.resolvenames.mids);
        if (r.u.resolvenames.has_rows_and_cols) print_rows(&r.u.resolvenames.rows, r.u.resolvenames.code_page);
        break;
    case NSPI_RESORTRESTRICTION:
        if (r.u.resortrestriction.has_state) print_stat(&r.u.resortrestriction.state);
        if (r.u.resortrestriction.has_mids) print_mids(&r.u.resortrestriction.mids);
        break;
    case NSPI_UPDATESTAT:
        if (r.u.updatestat.has_state) print_stat(&r.u.updatestat.state);
        if (r.u.updatestat.has_delta) printf("Delta: %d\n", r.u.updatestat.delta);
        break;
    case NSPI_GETMAILBOXURL:
    case NSPI_GETADDRESSBOOKURL: {
        char *u = nspi_utf16_to_utf8(&r.u.geturl.url);
        printf("Url: %s\n", u ? u : "");
        free(u);
        break;
    }
    default:
        break;
    }
    nspi_arena_free(&arena);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "encode"))
        return encode(argc - 2, argv + 2);
    if (argc == 4 && !strcmp(argv[1], "decode"))
        return decode(argv[2], argv[3]);
    fprintf(stderr, "usage: nspi-body encode TYPE [options] | decode TYPE FILE\n");
    return 2;
}
