/*
 * rop_table_rows.c - table rows on the wire ([MS-OXCTABL] 2.2.2.5.2 RowData:
 * PropertyRows of the table's columns, [MS-OXCDATA] 2.8.1). A column the
 * row lacks is a flagged PtypErrorCode ecNotFound; values are cut to 510
 * bytes; the columns Outlook expects in every row and the store does not
 * keep are computed here.
 */
#include "rop_table.h"
#include "rop_rules.h"
#include "mapi_restriction.h"

#include <string.h>

#define TAG_ROW_TYPE      MAPI_PROP_TAG(0x0FF5, MAPI_PT_LONG)
#define TAG_INSTANCE_NUM  MAPI_PROP_TAG(0x674E, MAPI_PT_LONG)
#define TAG_INST_ID       MAPI_PROP_TAG(0x674D, MAPI_PT_I8)
#define TAG_DEPTH         MAPI_PROP_TAG(0x3005, MAPI_PT_LONG)
#define TAG_ACCESS        MAPI_PROP_TAG(0x0FF4, MAPI_PT_LONG)
#define TAG_ACCESS_LEVEL  MAPI_PROP_TAG(0x0FF7, MAPI_PT_LONG)
#define TAG_CONTENT_COUNT MAPI_PROP_TAG(0x3602, MAPI_PT_LONG)

#define TBL_LEAF_ROW 1
/* PidTagAccess bits ([MS-OXCPRPT] 2.2.1.1) */
#define ACCESS_MESSAGE 0x07 /* modify, read, delete */
#define ACCESS_FOLDER  0x3F /* + create hierarchy, contents, associated */

static int computed(const rop_table_state_t *st, uint32_t col, uint64_t id, mapi_propval_t *out)
{
    uint16_t pid = MAPI_PROP_ID(col);
    memset(out, 0, sizeof(*out));
    if (pid == MAPI_PROP_ID(TAG_ROW_TYPE)) {
        out->tag = TAG_ROW_TYPE;
        out->v.i32 = TBL_LEAF_ROW;
    } else if (pid == MAPI_PROP_ID(TAG_INSTANCE_NUM)) {
        out->tag = TAG_INSTANCE_NUM;
        out->v.i32 = 0; /* no multi-valued instance expansion: one row per object */
    } else if (pid == MAPI_PROP_ID(TAG_INST_ID)) {
        out->tag = TAG_INST_ID;
        out->v.i64 = (int64_t)id;
    } else if (pid == MAPI_PROP_ID(TAG_DEPTH)) {
        out->tag = TAG_DEPTH;
        out->v.i32 = 0;
    } else if (pid == MAPI_PROP_ID(TAG_ACCESS)) {
        out->tag = TAG_ACCESS;
        out->v.i32 = st->kind == ROP_TABLE_HIERARCHY ? ACCESS_FOLDER : ACCESS_MESSAGE;
    } else if (pid == MAPI_PROP_ID(TAG_ACCESS_LEVEL)) {
        out->tag = TAG_ACCESS_LEVEL;
        out->v.i32 = 1; /* read/write: the owner's own mailbox */
    } else {
        return 0;
    }
    return 1;
}

/* The first value of a multi-valued property, for a column with the
 * MV-instance bit ([MS-OXCTABL] 2.2.2.1.2). 0 when there is none. */
static int first_instance(const mapi_propval_t *mv, mapi_propval_t *out)
{
    uint16_t base = (uint16_t)(MAPI_PROP_TYPE(mv->tag) & ~MAPI_PT_MV_FLAG);
    if (!(MAPI_PROP_TYPE(mv->tag) & MAPI_PT_MV_FLAG) || mv->v.mv.count == 0)
        return 0;
    memset(out, 0, sizeof(*out));
    out->tag = MAPI_PROP_TAG(MAPI_PROP_ID(mv->tag), base);
    switch (base) {
    case MAPI_PT_I2: out->v.i16 = mv->v.mv.v.i16[0]; return 1;
    case MAPI_PT_LONG: out->v.i32 = mv->v.mv.v.i32[0]; return 1;
    case MAPI_PT_FLOAT: out->v.f32 = mv->v.mv.v.f32[0]; return 1;
    case MAPI_PT_DOUBLE:
    case MAPI_PT_APPTIME: out->v.f64 = mv->v.mv.v.f64[0]; return 1;
    case MAPI_PT_CURRENCY:
    case MAPI_PT_I8: out->v.i64 = mv->v.mv.v.i64[0]; return 1;
    case MAPI_PT_SYSTIME: out->v.time = mv->v.mv.v.u64[0]; return 1;
    case MAPI_PT_STRING8:
    case MAPI_PT_UNICODE: out->v.str = mv->v.mv.v.str[0]; return 1;
    case MAPI_PT_BINARY: out->v.bin = mv->v.mv.v.bin[0]; return 1;
    case MAPI_PT_CLSID: out->v.guid = mv->v.mv.v.guid[0]; return 1;
    }
    return 0;
}

/* A PtypRestriction or PtypRuleAction column whose row value the row source
 * gave as PT_BINARY wire bytes (the store cannot hold those types: the
 * rules table, rop_rules.h): the restriction decoded ([MS-OXCDATA] 2.12,
 * ROP widths), the RuleAction bytes ([MS-OXORULE] 2.2.5) as they are.
 * 0 when the column is no such column. */
static int rule_cell(rop_ctx_t *c, uint32_t col, const ms_propval_t *sv, mapi_propval_t *out)
{
    uint16_t ctype = MAPI_PROP_TYPE(col);
    mapi_rd_t rd;
    if ((ctype != MAPI_PT_SRESTRICTION && ctype != MAPI_PT_ACTIONS) || MS_PROP_TYPE(sv->tag) != MS_PT_BINARY ||
        MS_PROP_ID(sv->tag) != MAPI_PROP_ID(col))
        return 0;
    memset(out, 0, sizeof(*out));
    out->tag = col;
    if (ctype == MAPI_PT_ACTIONS) {
        out->v.bin.len = sv->value.bin.cb;
        out->v.bin.data = sv->value.bin.cb ? mapi_arena_memdup(c->arena, sv->value.bin.pb, sv->value.bin.cb) : NULL;
        if (sv->value.bin.cb && !out->v.bin.data) {
            out->tag = MAPI_PROP_TAG(MAPI_PROP_ID(col), MAPI_PT_ERROR);
            out->v.err = MAPI_EC_SERVER_OOM;
        }
        return 1;
    }
    mapi_rd_init(&rd, sv->value.bin.pb, sv->value.bin.cb);
    if (mapi_restriction_decode(&rd, c->arena, MAPI_CTX_ROP, &out->v.res) != 0 || !mapi_rd_ok(&rd) ||
        mapi_rd_left(&rd) != 0 || !out->v.res) {
        out->tag = MAPI_PROP_TAG(MAPI_PROP_ID(col), MAPI_PT_ERROR);
        out->v.err = MAPI_EC_NOT_FOUND; /* damaged: as if absent */
    }
    return 1;
}

/* For a user who does not own the mailbox, PidTagAccess and
 * PidTagAccessLevel of a row follow his rights ([MS-OXCPERM] 2.2.7): on
 * the row's folder (hierarchy), or on the table's folder (contents).
 * 0 when the row keeps the owner's values. */
static int delegate_access(rop_ctx_t *c, const rop_table_state_t *st, uint64_t id, int32_t acc[2])
{
    uint32_t i, ec, rights = 0;
    int wanted = 0;
    if (!c->ectx->store || !rop_mailbox(c, &ec))
        return 0; /* no mailbox to ask (rows of a test): the owner's values */
    for (i = 0; i < st->ncols; i++)
        wanted |= MAPI_PROP_ID(st->cols[i]) == MAPI_PROP_ID(TAG_ACCESS) ||
                  MAPI_PROP_ID(st->cols[i]) == MAPI_PROP_ID(TAG_ACCESS_LEVEL);
    if (!wanted || (st->kind != ROP_TABLE_HIERARCHY && st->kind != ROP_TABLE_CONTENTS) || rop_perm_is_owner(c))
        return 0;
    if (rop_perm_rights(c, st->kind == ROP_TABLE_HIERARCHY ? id : st->fid, c->ectx->user, &rights) != MAPI_EC_SUCCESS)
        rights = 0;
    if (st->kind == ROP_TABLE_HIERARCHY)
        rop_perm_folder_access(rights, &acc[0], &acc[1]);
    else
        rop_perm_message_access(rights, &acc[0], &acc[1]);
    return 1;
}

static void cell(rop_ctx_t *c, const rop_table_state_t *st, uint32_t col, const ms_propval_t *sv, uint64_t id,
                 const int32_t *acc, mapi_propval_t *out)
{
    mapi_propval_t have, inst, conv;
    const mapi_propval_t *hp = NULL;
    uint16_t ctype = MAPI_PROP_TYPE(col);
    uint32_t want = MAPI_PROP_TAG(MAPI_PROP_ID(col), mapi_prop_row_type(ctype));
    uint32_t cp = c->ectx->codepage;

    if (rule_cell(c, col, sv, out))
        return;
    if (MS_PROP_TYPE(sv->tag) == MS_PT_ERROR && sv->value.err != (uint32_t)MS_E_NOT_FOUND) {
        memset(out, 0, sizeof(*out));
        out->tag = MAPI_PROP_TAG(MAPI_PROP_ID(col), MAPI_PT_ERROR);
        out->v.err = sv->value.err;
        return;
    }
    if (MS_PROP_TYPE(sv->tag) == MS_PT_ERROR) {
        if (computed(st, col, id, &have))
            hp = &have;
        if (hp && acc && have.tag == TAG_ACCESS)
            have.v.i32 = acc[0];
        else if (hp && acc && have.tag == TAG_ACCESS_LEVEL)
            have.v.i32 = acc[1];
    } else if (rop_prop_from_store(c->arena, cp, sv, &have) == 0) {
        hp = &have;
        if ((ctype & MAPI_PT_MV_INSTANCE) && (MAPI_PROP_TYPE(have.tag) & MAPI_PT_MV_FLAG))
            hp = first_instance(&have, &inst) ? &inst : NULL; /* not expanded (hierarchy): the first value */
    }
    if (mapi_propval_for_request(c->arena, cp, (st->flags & ROP_TF_UNICODE) != 0, want, hp, 0, &conv) != 0) {
        memset(&conv, 0, sizeof(conv));
        conv.tag = MAPI_PROP_TAG(MAPI_PROP_ID(col), MAPI_PT_ERROR);
        conv.v.err = MAPI_EC_NOT_FOUND;
    }
    if (mapi_propval_truncate_for_table(c->arena, &conv, out) != 0)
        *out = conv;
}

int rop_table_encode_row(rop_ctx_t *c, const rop_table_state_t *st, const ms_propval_t *row, mapi_wr_t *wr)
{
    mapi_propval_t *vals;
    const ms_propval_t *idv = &row[st->ncols];
    uint64_t id = MS_PROP_TYPE(idv->tag) == MS_PT_I8     ? (uint64_t)idv->value.li
                : MS_PROP_TYPE(idv->tag) == MS_PT_LONG ? (uint64_t)(uint32_t)idv->value.l
                                                       : 0;
    uint32_t i;
    int32_t acc[2];
    int delegate = delegate_access(c, st, id, acc);

    if (!(vals = mapi_arena_calloc(c->arena, st->ncols ? st->ncols : 1, sizeof(*vals))))
        return -1;
    for (i = 0; i < st->ncols; i++)
        cell(c, st, st->cols[i], &row[i], id, delegate ? acc : NULL, &vals[i]);
    return mapi_proprow_encode(wr, MAPI_CTX_ROP, st->cols, st->ncols, vals) == 0 ? 0 : -1;
}
