/*
 * rop_table_util.h - what the table wire tests share: property tags and
 * one-ROP helpers over ropcli.
 */
#ifndef ROP_TABLE_UTIL_H
#define ROP_TABLE_UTIL_H

#include "ropcli.h"

#include <string.h>

#define T_DISPLAY_NAME MAPI_PROP_TAG(0x3001, MAPI_PT_UNICODE)
#define T_FID          MAPI_PROP_TAG(0x6748, MAPI_PT_I8)
#define T_MID          MAPI_PROP_TAG(0x674A, MAPI_PT_I8)
#define T_CONTENT      MAPI_PROP_TAG(0x3602, MAPI_PT_LONG)
#define T_UNREAD       MAPI_PROP_TAG(0x3603, MAPI_PT_LONG)
#define T_SUBFOLDERS   MAPI_PROP_TAG(0x360A, MAPI_PT_BOOLEAN)
#define T_CLASS        MAPI_PROP_TAG(0x3613, MAPI_PT_UNICODE)
#define T_SUBJECT      MAPI_PROP_TAG(0x0037, MAPI_PT_UNICODE)
#define T_SENDER       MAPI_PROP_TAG(0x0C1A, MAPI_PT_UNICODE)
#define T_DELIVERY     MAPI_PROP_TAG(0x0E06, MAPI_PT_SYSTIME)
#define T_SIZE         MAPI_PROP_TAG(0x0E08, MAPI_PT_LONG)
#define T_FLAGS        MAPI_PROP_TAG(0x0E07, MAPI_PT_LONG)
#define T_INSTANCE_KEY MAPI_PROP_TAG(0x0FF6, MAPI_PT_BINARY)
#define T_INSTANCE_NUM MAPI_PROP_TAG(0x674E, MAPI_PT_LONG)
#define T_ROW_TYPE     MAPI_PROP_TAG(0x0FF5, MAPI_PT_LONG)
#define T_NO_SUCH      MAPI_PROP_TAG(0x7F7F, MAPI_PT_UNICODE)
#define EC_UNABLE_TO_ABORT 0x80040114u


static inline mapi_rop_req_t rq(uint8_t rop, uint8_t in, uint8_t out)
{
    mapi_rop_req_t r;
    memset(&r, 0, sizeof(r));
    r.rop_id = rop;
    r.in_idx = in;
    r.out_idx = out;
    return r;
}

/* One ROP, one answer; NULL when the Execute or the decoding failed. */
static inline mapi_rop_resp_t *one(ropcli_t *rc, const mapi_rop_req_t *req, const mapi_tagarray_t *cols)
{
    static mapi_rop_resp_t resp;
    const mapi_tagarray_t *cl[1] = {cols};
    size_t n;
    if (ropcli_exec(rc, req, 1, cols ? cl : NULL, &resp, &n) != 0 || n != 1)
        return NULL;
    return &resp;
}

static inline uint32_t ret_of(ropcli_t *rc, const mapi_rop_req_t *req)
{
    mapi_rop_resp_t *r = one(rc, req, NULL);
    return r ? r->ret : 0xFFFFFFFFu;
}

static inline const mapi_propval_t *col(const mapi_rop_resp_t *r, const mapi_tagarray_t *cols, uint32_t row, uint32_t tag)
{
    uint32_t i;
    for (i = 0; i < cols->count; i++)
        if (cols->tags[i] == tag)
            return &r->u.query_rows.rows.vals[(size_t)row * cols->count + i];
    return NULL;
}

static inline uint32_t set_columns(ropcli_t *rc, uint8_t idx, mapi_tagarray_t *cols)
{
    mapi_rop_req_t r = rq(ROP_SET_COLUMNS, idx, 0);
    r.u.set_columns.tags = *cols;
    return ret_of(rc, &r);
}

#endif
