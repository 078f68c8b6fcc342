/*
 * nspi_io.c - the arena and the two-way field primitives of the NSPI codec
 * (see nspi_io.h). Widths follow [MS-OXCMAPIHTTP] 2.2.5: every integer is
 * little-endian, every count 32-bit, every Has* field one byte.
 */
#include "nspi_io.h"

#include <stdlib.h>
#include <string.h>

/* ---- io state --------------------------------------------------------- */
void nio_init_dec(nspi_io_t *io, const uint8_t *buf, size_t len, nspi_arena_t *a)
{
    memset(io, 0, sizeof(*io));
    mapi_rd_init(&io->rd, buf, len);
    io->arena = a;
}

void nio_init_enc(nspi_io_t *io, mapi_wr_t *wr)
{
    memset(io, 0, sizeof(*io));
    io->enc = 1;
    io->wr = wr;
}

void nio_fail(nspi_io_t *io, int rc)
{
    if (io->rc == 0)
        io->rc = rc;
}

/* Folds the reader's/writer's sticky error into rc. */
static int nio_sync(nspi_io_t *io)
{
    if (io->rc)
        return 0;
    if (io->enc ? !mapi_wr_ok(io->wr) : !mapi_rd_ok(&io->rd)) {
        io->rc = io->enc ? NSPI_E_NOMEM : NSPI_E_TRUNCATED;
        return 0;
    }
    return 1;
}

int nio_finish(nspi_io_t *io)
{
    if (!nio_sync(io))
        return io->rc;
    if (!io->enc && mapi_rd_left(&io->rd) != 0)
        io->rc = NSPI_E_TRAILING;
    return io->rc;
}

size_t nio_left(const nspi_io_t *io)
{
    return io->enc ? SIZE_MAX : mapi_rd_left(&io->rd);
}

int nio_count_fits(nspi_io_t *io, uint32_t count, size_t min_size)
{
    if (io->enc || io->rc)
        return io->rc == 0;
    if (min_size && (size_t)count > mapi_rd_left(&io->rd) / min_size) {
        nio_fail(io, NSPI_E_TRUNCATED);
        return 0;
    }
    return 1;
}

void *nio_array(nspi_io_t *io, uint32_t count, size_t size)
{
    void *p;
    if (io->rc)
        return NULL;
    p = nspi_arena_array(io->arena, count, size);
    if (!p)
        nio_fail(io, NSPI_E_NOMEM);
    return p;
}

/* ---- scalars ---------------------------------------------------------- */
void nio_u8(nspi_io_t *io, uint8_t *v)
{
    if (io->rc)
        return;
    if (io->enc)
        mapi_wr_u8(io->wr, *v);
    else
        *v = mapi_rd_u8(&io->rd);
    nio_sync(io);
}

void nio_u16(nspi_io_t *io, uint16_t *v)
{
    if (io->rc)
        return;
    if (io->enc)
        mapi_wr_u16(io->wr, *v);
    else
        *v = mapi_rd_u16(&io->rd);
    nio_sync(io);
}

void nio_u32(nspi_io_t *io, uint32_t *v)
{
    if (io->rc)
        return;
    if (io->enc)
        mapi_wr_u32(io->wr, *v);
    else
        *v = mapi_rd_u32(&io->rd);
    nio_sync(io);
}

void nio_i32(nspi_io_t *io, int32_t *v)
{
    uint32_t u = (uint32_t)*v;
    nio_u32(io, &u);
    if (!io->enc)
        *v = (int32_t)u;
}

void nio_u64(nspi_io_t *io, uint64_t *v)
{
    if (io->rc)
        return;
    if (io->enc)
        mapi_wr_u64(io->wr, *v);
    else
        *v = mapi_rd_u64(&io->rd);
    nio_sync(io);
}

void nio_raw(nspi_io_t *io, uint8_t *p, size_t n)
{
    const uint8_t *q;
    if (io->rc)
        return;
    if (io->enc) {
        mapi_wr_bytes(io->wr, p, n);
    } else if ((q = mapi_rd_bytes(&io->rd, n)) != NULL) {
        memcpy(p, q, n);
    }
    nio_sync(io);
}

int nio_flag(nspi_io_t *io, uint8_t *has)
{
    uint8_t b = *has ? 0xFF : 0x00;
    nio_u8(io, &b);
    if (!io->enc)
        *has = b;
    return nio_ok(io) && b != 0;
}

/* ---- STAT ([MS-OXNSPI] 2.2.8) ------------------------------------------ */
void nio_stat(nspi_io_t *io, nspi_stat_t *s)
{
    nio_u32(io, &s->sort_type);
    nio_u32(io, &s->container_id);
    nio_u32(io, &s->current_rec);
    nio_i32(io, &s->delta);
    nio_u32(io, &s->num_pos);
    nio_u32(io, &s->total_recs);
    nio_u32(io, &s->code_page);
    nio_u32(io, &s->template_locale);
    nio_u32(io, &s->sort_locale);
}

void nio_opt_stat(nspi_io_t *io, uint8_t *has, nspi_stat_t *s)
{
    if (nio_flag(io, has))
        nio_stat(io, s);
}

/* ---- arrays ------------------------------------------------------------ */
void nio_u32_array(nspi_io_t *io, nspi_u32_array_t *a)
{
    uint32_t i;
    nio_u32(io, &a->count);
    if (!nio_count_fits(io, a->count, 4))
        return;
    if (io->enc && a->count && !a->v) {
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(a->v = nio_array(io, a->count, sizeof(uint32_t))))
        return;
    for (i = 0; i < a->count && nio_ok(io); i++)
        nio_u32(io, &a->v[i]);
}

void nio_opt_u32_array(nspi_io_t *io, uint8_t *has, nspi_u32_array_t *a)
{
    if (nio_flag(io, has))
        nio_u32_array(io, a);
}

void nio_sized_bytes(nspi_io_t *io, nspi_bytes_t *b)
{
    nio_u32(io, &b->len);
    if (io->rc)
        return;
    if (io->enc) {
        if (b->len && !b->p) {
            nio_fail(io, NSPI_E_ENCODE);
            return;
        }
        mapi_wr_bytes(io->wr, b->p, b->len);
    } else {
        b->p = mapi_rd_bytes(&io->rd, b->len);
    }
    nio_sync(io);
}

void nio_aux(nspi_io_t *io, nspi_bytes_t *b)
{
    nio_sized_bytes(io, b);
}

/* ---- strings ----------------------------------------------------------- */
void nio_asciiz(nspi_io_t *io, nspi_bytes_t *s)
{
    size_t n = 0;
    if (io->rc)
        return;
    if (io->enc) {
        if ((s->len && !s->p) || (s->len && memchr(s->p, 0, s->len))) {
            nio_fail(io, NSPI_E_ENCODE);
            return;
        }
        mapi_wr_bytes(io->wr, s->p, s->len);
        mapi_wr_u8(io->wr, 0);
    } else {
        s->p = (const uint8_t *)mapi_rd_asciiz(&io->rd, &n);
        s->len = (uint32_t)n;
    }
    nio_sync(io);
}

void nio_utf16z(nspi_io_t *io, nspi_bytes_t *s)
{
    size_t units = 0, i;
    if (io->rc)
        return;
    if (io->enc) {
        if ((s->len & 1) || (s->len && !s->p)) {
            nio_fail(io, NSPI_E_ENCODE);
            return;
        }
        for (i = 0; i < s->len; i += 2)
            if (s->p[i] == 0 && s->p[i + 1] == 0) {
                nio_fail(io, NSPI_E_ENCODE);
                return;
            }
        mapi_wr_bytes(io->wr, s->p, s->len);
        mapi_wr_u16(io->wr, 0);
    } else {
        s->p = mapi_rd_utf16z(&io->rd, &units);
        s->len = (uint32_t)(units * 2);
    }
    nio_sync(io);
}

void nio_strarray(nspi_io_t *io, nspi_strarray_t *a, int unicode)
{
    uint32_t i;
    nio_u32(io, &a->count);
    if (!nio_count_fits(io, a->count, unicode ? 2 : 1))
        return;
    if (io->enc && a->count && !a->s) {
        nio_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(a->s = nio_array(io, a->count, sizeof(nspi_bytes_t))))
        return;
    for (i = 0; i < a->count && nio_ok(io); i++) {
        if (unicode)
            nio_utf16z(io, &a->s[i]);
        else
            nio_asciiz(io, &a->s[i]);
    }
}
