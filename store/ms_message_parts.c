/*
 * ms_message_parts.c - recipients ([MS-OXCMSG] 2.2.1.47, rows keyed by
 * PR_ROWID) and attachments ([MS-OXCMSG] 2.2.2, embedded messages) of an
 * in-memory message object; they reach the store when the message is saved.
 */
#include <stdlib.h>
#include <string.h>
#include "ms_internal.h"

#define MAX_ATTACHMENTS 2048
#define MAX_EMBED_DEPTH 16

/* ---- recipients ---- */
size_t ms_message_recipient_count(const ms_message_t *m)
{
    return m ? m->nrecips : 0;
}

ms_err_t ms_message_get_recipient(ms_message_t *m, size_t i, const ms_propval_t **vals, size_t *n)
{
    if (!m || !vals || !n || i >= m->nrecips)
        return ms__err(MS_E_NOT_FOUND, "no recipient %zu", i);
    *vals = m->recips[i].v;
    *n = m->recips[i].n;
    return MS_OK;
}

static long find_row(const ms_message_t *m, uint32_t rowid)
{
    for (size_t i = 0; i < m->nrecips; i++) {
        const ms_propval_t *r = ms__ps_find(&m->recips[i], MS_PR_ROWID);
        if (r && (uint32_t)r->value.l == rowid)
            return (long)i;
    }
    return -1;
}

ms_err_t ms_message_modify_recipient(ms_message_t *m, uint32_t rowid, const ms_propval_t *vals,
                                     size_t n)
{
    if (!m)
        return ms__err(MS_E_INVALID_PARAM, "modify_recipient: NULL");
    ms_err_t rc = ms__msg_check_vals(vals, n);
    if (rc != MS_OK)
        return rc;
    long at = -1;
    if (rowid == UINT32_MAX)
        rowid = m->next_rowid;
    else
        at = find_row(m, rowid);
    if (rowid >= m->next_rowid)
        m->next_rowid = rowid + 1;
    ms_propset_t row = {0};
    for (size_t i = 0; rc == MS_OK && i < n; i++)
        if (MS_PROP_ID(vals[i].tag) != MS_PROP_ID(MS_PR_ROWID))
            rc = ms__ps_set(&row, &vals[i]);
    if (rc == MS_OK)
        rc = ms__ps_set_long(&row, MS_PR_ROWID, (int32_t)rowid);
    if (rc != MS_OK) {
        ms__ps_free(&row);
        return rc;
    }
    m->dirty = 1;
    if (at >= 0) {
        ms__ps_free(&m->recips[at]);
        m->recips[at] = row;
        return MS_OK;
    }
    ms_propset_t *nr = realloc(m->recips, (m->nrecips + 1) * sizeof(*nr));
    if (!nr) {
        ms__ps_free(&row);
        return MS_E_NOMEM;
    }
    m->recips = nr;
    m->recips[m->nrecips++] = row;
    return MS_OK;
}

ms_err_t ms_message_remove_recipient(ms_message_t *m, uint32_t rowid)
{
    long at = m ? find_row(m, rowid) : -1;
    if (at < 0)
        return ms__err(MS_E_NOT_FOUND, "no recipient row %u", rowid);
    ms__ps_free(&m->recips[at]);
    memmove(&m->recips[at], &m->recips[at + 1], (m->nrecips - (size_t)at - 1) * sizeof(ms_propset_t));
    m->nrecips--;
    m->dirty = 1;
    return MS_OK;
}

ms_err_t ms_message_remove_all_recipients(ms_message_t *m)
{
    if (!m)
        return ms__err(MS_E_INVALID_PARAM, "NULL message");
    for (size_t i = 0; i < m->nrecips; i++)
        ms__ps_free(&m->recips[i]);
    m->nrecips = 0;
    m->dirty = 1;
    return MS_OK;
}

/* ---- attachments ---- */
size_t ms_message_attach_count(const ms_message_t *m)
{
    return m ? m->natts : 0;
}

static ms_attach_t *find_att(const ms_message_t *m, uint32_t num)
{
    for (size_t i = 0; m && i < m->natts; i++)
        if (m->atts[i].num == num)
            return &m->atts[i];
    return NULL;
}

ms_err_t ms_message_create_attach(ms_message_t *m, uint32_t *num)
{
    if (!m || !num)
        return ms__err(MS_E_INVALID_PARAM, "create_attach: NULL");
    if (m->natts >= MAX_ATTACHMENTS)
        return ms__err(MS_E_MAX_ATTACHMENTS, "more than %d attachments", MAX_ATTACHMENTS);
    ms_attach_t *na = realloc(m->atts, (m->natts + 1) * sizeof(*na));
    if (!na)
        return MS_E_NOMEM;
    m->atts = na;
    ms_attach_t *a = &m->atts[m->natts];
    memset(a, 0, sizeof(*a));
    a->num = m->next_attach++;
    a->dirty = 1;
    m->dirty = 1;
    if (ms__ps_set_long(&a->ps, MS_PR_ATTACH_NUM, (int32_t)a->num) != MS_OK) {
        ms__ps_free(&a->ps);
        return MS_E_NOMEM;
    }
    m->natts++;
    *num = a->num;
    return MS_OK;
}

ms_err_t ms_message_attach_num(const ms_message_t *m, size_t i, uint32_t *num)
{
    if (!m || !num || i >= m->natts)
        return ms__err(MS_E_NOT_FOUND, "no attachment %zu", i);
    *num = m->atts[i].num;
    return MS_OK;
}

ms_err_t ms_message_get_attach(ms_message_t *m, uint32_t num, const ms_propval_t **vals, size_t *n)
{
    ms_attach_t *a = find_att(m, num);
    if (!a || !vals || !n)
        return ms__err(MS_E_NOT_FOUND, "no attachment %u", num);
    ms_err_t rc = ms__lazy_load(NULL, m->mbx, &a->ps, &a->lazy, 0);
    if (rc != MS_OK)
        return rc;
    *vals = a->ps.v;
    *n = a->ps.n;
    return MS_OK;
}

ms_err_t ms_message_set_attach_props(ms_message_t *m, uint32_t num, const ms_propval_t *vals,
                                     size_t n)
{
    ms_attach_t *a = find_att(m, num);
    if (!a)
        return ms__err(MS_E_NOT_FOUND, "no attachment %u", num);
    ms_err_t rc = ms__msg_check_vals(vals, n);
    for (size_t i = 0; rc == MS_OK && i < n; i++)
        if (MS_PROP_ID(vals[i].tag) != MS_PROP_ID(MS_PR_ATTACH_NUM)) {
            ms__lazy_drop(&a->lazy, vals[i].tag);
            rc = ms__ps_set(&a->ps, &vals[i]);
            a->dirty = 1;
        }
    return rc;
}

ms_err_t ms_message_delete_attach(ms_message_t *m, uint32_t num)
{
    ms_attach_t *a = find_att(m, num);
    if (!a)
        return ms__err(MS_E_NOT_FOUND, "no attachment %u", num);
    ms__ps_free(&a->ps);
    ms__lazy_free(&a->lazy);
    ms_message_free(a->embedded);
    size_t i = (size_t)(a - m->atts);
    memmove(a, a + 1, (m->natts - i - 1) * sizeof(*a));
    m->natts--;
    m->dirty = 1;
    return MS_OK;
}

ms_err_t ms_message_embedded(ms_message_t *m, uint32_t num, int create, ms_message_t **out)
{
    ms_attach_t *a = find_att(m, num);
    if (!a || !out)
        return ms__err(MS_E_NOT_FOUND, "no attachment %u", num);
    if (!a->embedded) {
        if (!create)
            return ms__err(MS_E_NOT_FOUND, "attachment %u has no embedded message", num);
        if (m->depth + 1 >= MAX_EMBED_DEPTH)
            return ms__err(MS_E_TOO_COMPLEX, "embedded messages nested too deep");
        ms_err_t rc = ms_message_create(m->mbx, 0, 0, &a->embedded);
        if (rc != MS_OK)
            return rc;
        a->embedded->embedded = 1;
        a->embedded->depth = m->depth + 1;
        a->dirty = 1;
        rc = ms__ps_set_long(&a->ps, MS_PR_ATTACH_METHOD, 5);
        if (rc != MS_OK)
            return rc;
    }
    *out = a->embedded;
    return MS_OK;
}

