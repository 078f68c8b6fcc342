/*
 * rop_table_mvi.c - multi-valued instance columns ([MS-OXCTABL] 2.2.2.1.2,
 * 3.2.5.1: a column whose type has the MVI bit 0x2000 gives one row per
 * value of the property, the column carrying that single value). The
 * store returns the whole multi-valued property; the engine expands the
 * rows before sorting (the sort key of that property becomes the value).
 * PidTagInstanceNum numbers the instances from 1; PidTagInstanceKey gets
 * the instance appended so every row keeps its own key.
 */
#include "rop_table.h"

#include <stdlib.h>
#include <string.h>

#define MVI_MAX_ROWS 200000u

int rop_table_has_mvi(const rop_table_state_t *st)
{
    uint32_t i;
    for (i = 0; i < st->ncols; i++)
        if ((MAPI_PROP_TYPE(st->cols[i]) & (MAPI_PT_MV_INSTANCE | MAPI_PT_MV_FLAG)) ==
            (MAPI_PT_MV_INSTANCE | MAPI_PT_MV_FLAG))
            return 1;
    return 0;
}

/* Value i of a multi-valued property as a single value (copy). */
static ms_err_t mv_item(const ms_propval_t *mv, uint32_t i, ms_propval_t *out)
{
    ms_propval_t v;
    uint16_t base = (uint16_t)(MS_PROP_TYPE(mv->tag) & ~MS_PT_MV);
    memset(&v, 0, sizeof(v));
    v.tag = MS_PROP_TAG(base, MS_PROP_ID(mv->tag));
    switch (base) {
    case MS_PT_SHORT: v.value.i = mv->value.mv.v.i[i]; break;
    case MS_PT_LONG: v.value.l = mv->value.mv.v.l[i]; break;
    case MS_PT_FLOAT: v.value.flt = mv->value.mv.v.flt[i]; break;
    case MS_PT_DOUBLE:
    case MS_PT_APPTIME: v.value.dbl = mv->value.mv.v.dbl[i]; break;
    case MS_PT_CURRENCY:
    case MS_PT_I8: v.value.li = mv->value.mv.v.li[i]; break;
    case MS_PT_SYSTIME: v.value.ft = mv->value.mv.v.ft[i]; break;
    case MS_PT_STRING8:
    case MS_PT_UNICODE: v.value.str = mv->value.mv.v.str[i]; break;
    case MS_PT_BINARY: v.value.bin = mv->value.mv.v.bin[i]; break;
    case MS_PT_CLSID: v.value.guid = &mv->value.mv.v.guid[i]; break;
    default: return MS_E_NOT_SUPPORTED;
    }
    return ms_propval_dup(&v, out);
}

static int is_mv(const ms_propval_t *v)
{
    return (MS_PROP_TYPE(v->tag) & MS_PT_MV) && MS_PROP_TYPE(v->tag) != MS_PT_ERROR;
}

/* Row `src` for instance i (0-based) of the MV value in column m. */
static ms_propval_t *instance_row(const rop_search_t *s, const ms_propval_t *src, uint32_t m, uint32_t i)
{
    const rop_table_state_t *st = s->st;
    ms_propval_t *row = calloc(s->ncols, sizeof(ms_propval_t));
    uint16_t pid = MS_PROP_ID(src[m].tag);
    uint32_t k;
    ms_err_t rc = row ? MS_OK : MS_E_NOMEM;
    for (k = 0; rc == MS_OK && k < s->ncols; k++) {
        int same = MS_PROP_ID(src[k].tag) == pid && is_mv(&src[k]) && (k == m || k >= s->outcols);
        if (same)
            rc = mv_item(&src[k], i, &row[k]);
        else
            rc = ms_propval_dup(&src[k], &row[k]);
    }
    for (k = 0; rc == MS_OK && k < st->ncols; k++) {
        uint16_t cid = MS_PROP_ID(st->cols[k]);
        if (cid == 0x674E) { /* PidTagInstanceNum */
            ms_propval_free(&row[k]);
            row[k].tag = MS_PROP_TAG(MS_PT_LONG, cid);
            row[k].value.l = (int32_t)i + 1;
        } else if (cid == 0x0FF6 && MS_PROP_TYPE(row[k].tag) == MS_PT_BINARY) { /* PidTagInstanceKey */
            ms_propval_t key;
            uint8_t buf[64];
            uint32_t len = row[k].value.bin.cb > 60 ? 60 : row[k].value.bin.cb;
            memcpy(buf, row[k].value.bin.pb, len);
            buf[len] = (uint8_t)(i >> 24);
            buf[len + 1] = (uint8_t)(i >> 16);
            buf[len + 2] = (uint8_t)(i >> 8);
            buf[len + 3] = (uint8_t)i;
            key.tag = row[k].tag;
            key.value.bin.cb = len + 4;
            key.value.bin.pb = buf;
            ms_propval_free(&row[k]);
            rc = ms_propval_dup(&key, &row[k]);
        }
    }
    if (rc != MS_OK && row) {
        ms_propvals_free(row, s->ncols);
        row = NULL;
    }
    return row;
}

uint32_t rop_rows_expand_mvi(rop_search_t *s)
{
    const rop_table_state_t *st = s->st;
    ms_propval_t **out;
    uint32_t m, i, j, n = 0, cap = s->n ? s->n : 1;

    for (m = 0; m < st->ncols; m++)
        if ((MAPI_PROP_TYPE(st->cols[m]) & (MAPI_PT_MV_INSTANCE | MAPI_PT_MV_FLAG)) ==
            (MAPI_PT_MV_INSTANCE | MAPI_PT_MV_FLAG))
            break;
    if (m == st->ncols)
        return MAPI_EC_SUCCESS;
    if (!(out = calloc(cap, sizeof(*out))))
        return MAPI_EC_SERVER_OOM;
    for (i = 0; i < s->n; i++) {
        ms_propval_t *src = s->rows[i];
        uint32_t k = is_mv(&src[m]) ? src[m].value.mv.count : 0;
        if (k <= 1 || n + k > MVI_MAX_ROWS) { /* no value or one: the row as it is (first value) */
            if (k == 1) {
                ms_propval_t *one = instance_row(s, src, m, 0);
                if (one) {
                    ms_propvals_free(src, s->ncols);
                    src = one;
                }
            }
            if (n == cap) {
                ms_propval_t **g = realloc(out, (size_t)cap * 2 * sizeof(*out));
                if (!g)
                    goto oom;
                out = g;
                cap *= 2;
            }
            out[n++] = src;
            s->rows[i] = NULL;
            continue;
        }
        while (n + k > cap) {
            ms_propval_t **g = realloc(out, (size_t)cap * 2 * sizeof(*out));
            if (!g)
                goto oom;
            out = g;
            cap *= 2;
        }
        for (j = 0; j < k; j++) {
            ms_propval_t *r = instance_row(s, src, m, j);
            if (!r)
                goto oom;
            out[n++] = r;
        }
        ms_propvals_free(src, s->ncols);
        s->rows[i] = NULL;
    }
    free(s->rows);
    s->rows = out;
    s->n = n;
    s->cap = cap;
    return MAPI_EC_SUCCESS;
oom:
    /* keep what is owned: the rows made so far replace the ones consumed */
    for (j = i; j < s->n; j++)
        if (s->rows[j] && n < cap)
            out[n++] = s->rows[j];
    free(s->rows);
    s->rows = out;
    s->n = n;
    s->cap = cap;
    return MAPI_EC_SERVER_OOM;
}
