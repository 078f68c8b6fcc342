/*
 * rop_rules.c - server rules of a folder ([MS-OXORULE] 2.2.1, 2.2.2,
 * server behaviour 3.2.5.1-3.2.5.2): RopGetRulesTable and RopModifyRules.
 * The rules are kept per folder in the store (ms_rules_get/set), each one
 * as its TaggedPropertyValues in ROP wire form (conditions as
 * PtypRestriction, actions as PtypRuleAction bytes, strings as Unicode),
 * its PidTagRuleId as the store's rule id. Running rules on delivery is
 * mail flow's part. Also the area table of rules and permissions ROPs.
 */
#include "rop_rules.h"
#include "rop_msgobj.h"
#include "rop_table.h"

#include <stdlib.h>
#include <string.h>

/* Rule properties ([MS-OXORULE] 2.2.1.3.1) */
#define PR_RULE_ID            0x66740014u
#define PR_RULE_SEQUENCE      0x66760003u
#define PR_RULE_STATE         0x66770003u
#define PR_RULE_USER_FLAGS    0x66780003u
#define PR_RULE_CONDITION     0x667900FDu
#define PR_RULE_ACTIONS       0x668000FEu
#define PR_RULE_PROVIDER      0x6681001Fu
#define PR_RULE_NAME          0x6682001Fu
#define PR_RULE_LEVEL         0x66830003u
#define PR_RULE_PROVIDER_DATA 0x66840102u
#define PR_HAS_RULES          0x663A000Bu /* PidTagHasRules ([MS-OXORULE] 2.2.8.1) */

/* ModifyRulesFlag and RuleDataFlags (2.2.1, 2.2.1.3) */
#define MODIFY_RULES_REPLACE 0x01
#define ROW_ADD    0x01
#define ROW_MODIFY 0x02
#define ROW_REMOVE 0x04
/* TableFlags of RopGetRulesTable (2.2.2.1): U, strings as Unicode */
#define RULES_TABLE_UNICODE 0x40

uint32_t rop_rules_folder(rop_ctx_t *c, uint8_t idx, uint64_t *fid)
{
    uint32_t ec;
    mapi_obj_t *o = rop_obj_of(c, idx, ROP_T(MAPI_OBJ_FOLDER), &ec);
    if (!o)
        return ec;
    *fid = rop_folder_fid(o);
    return *fid ? MAPI_EC_SUCCESS : MAPI_EC_INVALID_OBJECT;
}

/* The id part of a tag must match one of the standard rule properties,
 * with its type (String8 names and providers are taken too). */
static int rule_prop_ok(uint32_t tag)
{
    static const uint32_t tags[] = {PR_RULE_ID, PR_RULE_SEQUENCE, PR_RULE_STATE, PR_RULE_USER_FLAGS,
                                    PR_RULE_CONDITION, PR_RULE_ACTIONS, PR_RULE_PROVIDER, PR_RULE_NAME,
                                    PR_RULE_LEVEL, PR_RULE_PROVIDER_DATA};
    size_t i;
    for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        if (tag == tags[i])
            return 1;
        if ((tags[i] & 0xFFFF) == MAPI_PT_UNICODE && tag == ((tags[i] & 0xFFFF0000u) | MAPI_PT_STRING8))
            return 1;
    }
    return 0;
}

/* A rule as kept in the store: u32 count, TaggedPropertyValues. */
static int rule_decode(rop_ctx_t *c, const ms_rule_t *r, mapi_proplist_t *out)
{
    mapi_rd_t rd;
    uint32_t n;
    mapi_rd_init(&rd, r->data, r->len);
    n = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || n > 64)
        return -1;
    if (mapi_proplist_decode_n(&rd, c->arena, 0, n, out) != 0 || mapi_rd_left(&rd) != 0)
        return -1;
    return 0;
}

static int rule_encode(rop_ctx_t *c, const mapi_proplist_t *pl, ms_rule_t *r)
{
    mapi_wr_t wr;
    size_t len;
    uint8_t *p;
    mapi_wr_init(&wr, 0);
    mapi_wr_u32(&wr, pl->count);
    if (mapi_proplist_encode_n(&wr, 0, pl) != 0 || !mapi_wr_ok(&wr)) {
        mapi_wr_free(&wr);
        return -1;
    }
    p = mapi_wr_steal(&wr, &len);
    r->data = mapi_arena_memdup(c->arena, p, len);
    r->len = (uint32_t)len;
    free(p);
    return r->data || !len ? 0 : -1;
}

/* Every rule of folder fid as a row of wire values, PidTagRuleId first. */
static uint32_t rules_rows(rop_ctx_t *c, uint64_t fid, mapi_proplist_t **rows, uint32_t *n)
{
    ms_mailbox_t *mbx;
    ms_rule_t *rules = NULL;
    size_t nr = 0, i;
    uint32_t ec;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_rules_get(NULL, mbx, fid, &rules, &nr))) != MAPI_EC_SUCCESS)
        return ec;
    *n = 0;
    if (!(*rows = mapi_arena_calloc(c->arena, nr ? nr : 1, sizeof(**rows)))) {
        ms_rules_free(rules, nr);
        return MAPI_EC_SERVER_OOM;
    }
    for (i = 0; i < nr; i++) {
        mapi_proplist_t pl;
        mapi_propval_t *v;
        if (rule_decode(c, &rules[i], &pl) != 0)
            continue; /* a damaged rule is left out rather than failing the table */
        if (!(v = mapi_arena_calloc(c->arena, pl.count + 1, sizeof(*v)))) {
            ms_rules_free(rules, nr);
            return MAPI_EC_SERVER_OOM;
        }
        v[0].tag = PR_RULE_ID;
        v[0].v.i64 = (int64_t)rules[i].id;
        memcpy(v + 1, pl.vals, pl.count * sizeof(*v));
        (*rows)[*n].vals = v;
        (*rows)[(*n)++].count = pl.count + 1;
    }
    ms_rules_free(rules, nr);
    return MAPI_EC_SUCCESS;
}

/* One column's store value of a row (owned by the caller). */
static void row_value(rop_ctx_t *c, const mapi_proplist_t *row, uint32_t col, ms_propval_t *out)
{
    const mapi_propval_t *v = mapi_propval_find(row->vals, row->count, col & 0xFFFF0000u);
    ms_propval_t sv;
    mapi_wr_t wr;
    int ok = 0;
    memset(out, 0, sizeof(*out));
    memset(&sv, 0, sizeof(sv));
    out->tag = (col & 0xFFFF0000u) | MS_PT_ERROR;
    out->value.err = (uint32_t)MS_E_NOT_FOUND;
    if (!v)
        return;
    mapi_wr_init(&wr, 0);
    switch (v->tag & 0xFFFF) {
    case MAPI_PT_SRESTRICTION:
        sv.tag = (v->tag & 0xFFFF0000u) | MS_PT_BINARY;
        ok = mapi_restriction_encode(&wr, MAPI_CTX_ROP, v->v.res) == 0 && mapi_wr_ok(&wr);
        sv.value.bin.cb = (uint32_t)wr.len;
        sv.value.bin.pb = wr.p;
        break;
    case MAPI_PT_ACTIONS:
        sv.tag = (v->tag & 0xFFFF0000u) | MS_PT_BINARY;
        sv.value.bin.cb = v->v.bin.len;
        sv.value.bin.pb = v->v.bin.data;
        ok = 1;
        break;
    default:
        ok = rop_prop_to_store(c->arena, c->ectx->codepage, v, &sv) == 0;
    }
    if (!ok || ms_propval_dup(&sv, out) != MS_OK) {
        memset(out, 0, sizeof(*out));
        out->tag = (col & 0xFFFF0000u) | MS_PT_ERROR;
        out->value.err = MAPI_EC_NOT_SUPPORTED;
    }
    mapi_wr_free(&wr);
}

uint32_t rop_rules_rowset(rop_ctx_t *c, const mapi_proplist_t *rows, uint32_t n, const uint32_t *cols,
                          size_t ncols, ms_rowset_t *out)
{
    uint32_t i;
    size_t k;
    memset(out, 0, sizeof(*out));
    out->ncols = (uint32_t)ncols;
    if (!(out->rows = calloc(n ? n : 1, sizeof(*out->rows))))
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < n; i++) {
        ms_propval_t *r = calloc(ncols ? ncols : 1, sizeof(*r));
        if (!r) {
            ms_rowset_free(out);
            return MAPI_EC_SERVER_OOM;
        }
        out->rows[out->count++] = r;
        for (k = 0; k < ncols; k++)
            row_value(c, &rows[i], cols[k], &r[k]);
    }
    return MAPI_EC_SUCCESS;
}

/* The table area's row source for ROP_TABLE_RULES (rop_table.h). */
uint32_t rop_rules_table_rows(rop_ctx_t *c, uint64_t fid, uint8_t table_flags, const uint32_t *cols, size_t ncols,
                              ms_rowset_t *out)
{
    mapi_proplist_t *rows = NULL;
    uint32_t n = 0, ec;
    (void)table_flags;
    if ((ec = rules_rows(c, fid, &rows, &n)) != MAPI_EC_SUCCESS)
        return ec;
    return rop_rules_rowset(c, rows, n, cols, ncols, out);
}

/* 2.2.2 RopGetRulesTable (on a folder). */
static uint32_t rop_get_rules_table(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    uint64_t fid;
    uint32_t rows;
    uint32_t ec = rop_rules_folder(c, req->in_idx, &fid);
    (void)resp;
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    if (req->u.table.table_flags & ~RULES_TABLE_UNICODE)
        return MAPI_EC_INVALID_PARAMETER;
    return rop_table_open(c, req, ROP_TABLE_RULES, fid, req->u.table.table_flags, &rows);
}

/* ---- RopModifyRules ---- */

typedef struct {
    ms_rule_t *r;     /* arena copies */
    size_t n, cap;
} rules_t;

static ms_rule_t *rules_find(rules_t *rs, uint64_t id)
{
    size_t i;
    for (i = 0; i < rs->n; i++)
        if (rs->r[i].id == id)
            return &rs->r[i];
    return NULL;
}

/* Checks a RuleData's values and converts String8 to Unicode (arena). */
static uint32_t rule_values(rop_ctx_t *c, const mapi_proplist_t *in, mapi_proplist_t *out, int64_t *id)
{
    uint32_t i;
    *id = -1;
    out->count = 0;
    if (!(out->vals = mapi_arena_calloc(c->arena, in->count ? in->count : 1, sizeof(*out->vals))))
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < in->count; i++) {
        const mapi_propval_t *v = &in->vals[i];
        if (!rule_prop_ok(v->tag))
            return MAPI_EC_INVALID_PARAMETER; /* only standard rule properties (2.2.1.3) */
        if (v->tag == PR_RULE_ID) {
            *id = v->v.i64;
            continue;
        }
        if ((v->tag & 0xFFFF) == MAPI_PT_STRING8) {
            if (mapi_propval_convert(c->arena, c->ectx->codepage, v, MAPI_PT_UNICODE, &out->vals[out->count]) != 0)
                return MAPI_EC_INVALID_PARAMETER;
            out->vals[out->count].tag = (v->tag & 0xFFFF0000u) | MAPI_PT_UNICODE;
            out->count++;
        } else {
            out->vals[out->count++] = *v;
        }
    }
    return MAPI_EC_SUCCESS;
}

static uint32_t rule_add(rop_ctx_t *c, rules_t *rs, const mapi_proplist_t *pl)
{
    uint64_t id = 1;
    size_t i;
    ms_rule_t *nr;
    /* a new rule needs its provider, condition and actions (3.1.4.2.1) */
    if (!mapi_propval_find(pl->vals, pl->count, PR_RULE_PROVIDER) ||
        !mapi_propval_find(pl->vals, pl->count, PR_RULE_CONDITION) ||
        !mapi_propval_find(pl->vals, pl->count, PR_RULE_ACTIONS))
        return MAPI_EC_INVALID_PARAMETER;
    for (i = 0; i < rs->n; i++)
        if (rs->r[i].id >= id)
            id = rs->r[i].id + 1;
    if (rs->n >= MS_RULES_MAX)
        return MAPI_EC_OUT_OF_MEMORY; /* the folder's rule limit: ecNotEnoughMemory (3.2.5.2) */
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 8;
        if (!(nr = mapi_arena_calloc(c->arena, cap, sizeof(*nr))))
            return MAPI_EC_SERVER_OOM;
        if (rs->n)
            memcpy(nr, rs->r, rs->n * sizeof(*nr));
        rs->r = nr;
        rs->cap = cap;
    }
    rs->r[rs->n].id = id;
    if (rule_encode(c, pl, &rs->r[rs->n]) != 0)
        return MAPI_EC_SERVER_OOM;
    rs->n++;
    return MAPI_EC_SUCCESS;
}

/* ROW_MODIFY: the given values replace the rule's values of the same ids. */
static uint32_t rule_modify(rop_ctx_t *c, ms_rule_t *r, const mapi_proplist_t *pl)
{
    mapi_proplist_t old, merged;
    uint32_t i;
    if (rule_decode(c, r, &old) != 0)
        old.count = 0;
    merged.count = 0;
    if (!(merged.vals = mapi_arena_calloc(c->arena, old.count + pl->count + 1, sizeof(*merged.vals))))
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < old.count; i++)
        if (!mapi_propval_find(pl->vals, pl->count, old.vals[i].tag & 0xFFFF0000u))
            merged.vals[merged.count++] = old.vals[i];
    for (i = 0; i < pl->count; i++)
        merged.vals[merged.count++] = pl->vals[i];
    return rule_encode(c, &merged, r) == 0 ? MAPI_EC_SUCCESS : MAPI_EC_SERVER_OOM;
}

static uint32_t rules_load(rop_ctx_t *c, ms_txn_t *txn, ms_mailbox_t *mbx, uint64_t fid, rules_t *rs)
{
    ms_rule_t *r = NULL;
    size_t n = 0, i;
    uint32_t ec = rop_ec(ms_rules_get(txn, mbx, fid, &r, &n));
    memset(rs, 0, sizeof(*rs));
    if (ec != MAPI_EC_SUCCESS)
        return ec;
    rs->cap = n + 8;
    if (!(rs->r = mapi_arena_calloc(c->arena, rs->cap, sizeof(*rs->r)))) {
        ms_rules_free(r, n);
        return MAPI_EC_SERVER_OOM;
    }
    for (i = 0; i < n; i++) {
        rs->r[i].id = r[i].id;
        rs->r[i].len = r[i].len;
        if (!(rs->r[i].data = mapi_arena_memdup(c->arena, r[i].data, r[i].len)) && r[i].len) {
            ms_rules_free(r, n);
            return MAPI_EC_SERVER_OOM;
        }
    }
    rs->n = n;
    ms_rules_free(r, n);
    return MAPI_EC_SUCCESS;
}

static uint32_t apply_rule_row(rop_ctx_t *c, rules_t *rs, const mapi_rop_flagged_props_t *row)
{
    mapi_proplist_t pl;
    int64_t id;
    ms_rule_t *r;
    uint32_t ec;
    if (row->props.count == 0)
        return MAPI_EC_INVALID_PARAMETER; /* PropertyValueCount MUST be > 0 */
    if ((ec = rule_values(c, &row->props, &pl, &id)) != MAPI_EC_SUCCESS)
        return ec;
    switch (row->data_flags) {
    case ROW_ADD:
        return rule_add(c, rs, &pl); /* a PidTagRuleId the client sent is ignored: the server assigns it */
    case ROW_MODIFY:
        if (id < 0)
            return MAPI_EC_INVALID_PARAMETER;
        if (!(r = rules_find(rs, (uint64_t)id)))
            return MAPI_EC_NOT_FOUND;
        return rule_modify(c, r, &pl);
    case ROW_REMOVE:
        if (id < 0)
            return MAPI_EC_INVALID_PARAMETER;
        if (!(r = rules_find(rs, (uint64_t)id)))
            return MAPI_EC_NOT_FOUND;
        *r = rs->r[--rs->n];
        return MAPI_EC_SUCCESS;
    }
    return MAPI_EC_INVALID_PARAMETER;
}

/* 2.2.1 RopModifyRules; 3.2.5.2: every change or none. */
static uint32_t rop_modify_rules(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp)
{
    ms_mailbox_t *mbx;
    ms_txn_t *txn = NULL;
    rules_t rs;
    uint64_t fid;
    uint32_t ec, i, rights = 0;
    uint8_t flags = req->u.modify_rules.flags;
    (void)resp;
    if ((ec = rop_rules_folder(c, req->in_idx, &fid)) != MAPI_EC_SUCCESS)
        return ec;
    if (flags & ~MODIFY_RULES_REPLACE)
        return MAPI_EC_INVALID_PARAMETER;
    if ((ec = rop_perm_rights(c, fid, c->ectx->user, &rights)) != MAPI_EC_SUCCESS)
        return ec;
    if (!(rights & PERM_FOLDER_OWNER))
        return MAPI_EC_ACCESS_DENIED;
    if (!(mbx = rop_mailbox(c, &ec)))
        return ec;
    if ((ec = rop_ec(ms_txn_begin(mbx, MS_TXN_WRITE, &txn))) != MAPI_EC_SUCCESS)
        return ec;
    ec = rules_load(c, txn, mbx, fid, &rs);
    if (ec == MAPI_EC_SUCCESS && (flags & MODIFY_RULES_REPLACE))
        rs.n = 0; /* R: the rows replace every rule of the folder */
    for (i = 0; ec == MAPI_EC_SUCCESS && i < req->u.modify_rules.count; i++) {
        if ((flags & MODIFY_RULES_REPLACE) && req->u.modify_rules.rows[i].data_flags != ROW_ADD)
            ec = MAPI_EC_INVALID_PARAMETER;
        else
            ec = apply_rule_row(c, &rs, &req->u.modify_rules.rows[i]);
    }
    if (ec == MAPI_EC_SUCCESS)
        ec = rop_ec(ms_rules_set(txn, mbx, fid, rs.r, rs.n));
    if (ec == MAPI_EC_SUCCESS) {
        /* PidTagHasRules follows the rules (2.2.8.1) */
        ms_propval_t hr;
        memset(&hr, 0, sizeof(hr));
        hr.tag = PR_HAS_RULES;
        hr.value.b = rs.n > 0;
        ec = rop_ec(ms_folder_set_props(txn, mbx, fid, &hr, 1));
    }
    if (ec == MAPI_EC_SUCCESS) {
        ec = rop_ec(ms_txn_commit(txn));
        txn = NULL;
    }
    ms_txn_abort(txn);
    return ec;
}

const rop_entry_t rop_rules_entries[] = {
    {ROP_GET_RULES_TABLE, rop_get_rules_table},
    {ROP_MODIFY_RULES, rop_modify_rules},
    {ROP_GET_PERMISSIONS_TABLE, rop_get_permissions_table},
    {ROP_MODIFY_PERMISSIONS, rop_modify_permissions},
    {0, NULL}};
