/*
 * objtab.c - the server object handle table of a session and its
 * serialization into the session state blob. Layout (little-endian):
 *   u32 magic "OBJ1", u32 next_handle, u32 count,
 *   count x { u32 handle, u8 type, u8 logon_id, u32 data_len, data }
 */
#include "mapi_engine.h"

#include <stdlib.h>
#include <string.h>

#define OBJTAB_MAGIC 0x314A424Fu /* "OBJ1" */
#define OBJTAB_MAX 4096          /* handles one session may hold */

void mapi_objtab_free(mapi_objtab_t *t)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        free(t->objs[i].data);
    free(t->objs);
    memset(t, 0, sizeof(*t));
}

mapi_obj_t *mapi_objtab_find(mapi_objtab_t *t, uint32_t handle)
{
    size_t i;
    for (i = 0; i < t->n; i++)
        if (t->objs[i].handle == handle)
            return &t->objs[i];
    return NULL;
}

mapi_obj_t *mapi_objtab_add(mapi_objtab_t *t, uint8_t type, uint8_t logon_id)
{
    mapi_obj_t *o;
    if (t->n >= OBJTAB_MAX)
        return NULL;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        mapi_obj_t *objs = realloc(t->objs, cap * sizeof(*objs));
        if (!objs)
            return NULL;
        t->objs = objs;
        t->cap = cap;
    }
    if (t->next_handle == 0 || t->next_handle == 0xFFFFFFFFu)
        t->next_handle = 1;
    o = &t->objs[t->n++];
    memset(o, 0, sizeof(*o));
    o->handle = t->next_handle++;
    o->type = type;
    o->logon_id = logon_id;
    return o;
}

int mapi_objtab_release(mapi_objtab_t *t, uint32_t handle)
{
    mapi_obj_t *o = mapi_objtab_find(t, handle);
    if (!o)
        return -1;
    free(o->data);
    *o = t->objs[--t->n];
    return 0;
}

int mapi_objtab_load(mapi_objtab_t *t, const void *blob, size_t len)
{
    mapi_rd_t rd;
    uint32_t count, i;
    memset(t, 0, sizeof(*t));
    t->next_handle = 1;
    if (!blob || len == 0)
        return 0;
    mapi_rd_init(&rd, blob, len);
    if (mapi_rd_u32(&rd) != OBJTAB_MAGIC)
        return -1;
    t->next_handle = mapi_rd_u32(&rd);
    count = mapi_rd_u32(&rd);
    if (!mapi_rd_ok(&rd) || count > OBJTAB_MAX)
        goto bad;
    for (i = 0; i < count; i++) {
        uint32_t handle = mapi_rd_u32(&rd);
        uint8_t type = mapi_rd_u8(&rd), logon = mapi_rd_u8(&rd);
        uint32_t dlen = mapi_rd_u32(&rd);
        const uint8_t *d = mapi_rd_bytes(&rd, dlen);
        mapi_obj_t *o;
        if (!mapi_rd_ok(&rd) || !(o = mapi_objtab_add(t, type, logon)))
            goto bad;
        o->handle = handle;
        if (dlen) {
            if (!(o->data = malloc(dlen)))
                goto bad;
            memcpy(o->data, d, dlen);
            o->data_len = dlen;
        }
    }
    if (mapi_rd_left(&rd) == 0)
        return 0;
bad:
    mapi_objtab_free(t);
    t->next_handle = 1;
    return -1;
}

int mapi_objtab_save(const mapi_objtab_t *t, mapi_wr_t *wr)
{
    size_t i;
    mapi_wr_u32(wr, OBJTAB_MAGIC);
    mapi_wr_u32(wr, t->next_handle);
    mapi_wr_u32(wr, (uint32_t)t->n);
    for (i = 0; i < t->n; i++) {
        mapi_wr_u32(wr, t->objs[i].handle);
        mapi_wr_u8(wr, t->objs[i].type);
        mapi_wr_u8(wr, t->objs[i].logon_id);
        mapi_wr_u32(wr, t->objs[i].data_len);
        mapi_wr_bytes(wr, t->objs[i].data, t->objs[i].data_len);
    }
    return mapi_wr_ok(wr) ? 0 : -1;
}
