/*
 * nspi_io.c - the arena and the two-way field primitives of the NSPI codec
 * (see nspi_io.h). Widths follow [MS-OXCMAPIHTTP] 2.2.5: every integer is
 * little-endian, every count 32-bit, every Has* field one byte.
 */
#include "nspi_io.h"

#include <stdlib.h>
#include <string.h>

/* ---- io state --------------------------------------------------------- */
void io_init_dec(nspi_io_t *io, const uint8_t *buf, size_t len, nspi_arena_t *a)
{
    memset(io, 0, sizeof(*io));
    mapi_rd_init(&io->rd, buf, len);
    io->arena = a;
}

void io_init_enc(nspi_io_t *io, mapi_wr_t *wr)
{
    memset(io, 0, sizeof(*io));
    io->enc = 1;
    io->wr = wr;
}

void io_fail(nspi_io_t *io, int rc)
{
    if (io->rc == 0)
        io->rc = rc;
}

/* Folds the reader's/writer's sticky error into rc. */
static int io_sync(nspi_io_t *io)
{
    if (io->rc)
        return 0;
    if (io->enc ? !mapi_wr_ok(io->wr) : !mapi_rd_ok(&io->rd)) {
        io->rc = io->enc ? NSPI_E_NOMEM : NSPI_E_TRUNCATED;
        return 0;
    }
    return 1;
}

int io_finish(nspi_io_t *io)
{
    if (!io_sync(io))
        return io->rc;
    if (!io->enc && mapi_rd_left(&io->rd) != 0)
        io->rc = NSPI_E_TRAILING;
    return io->rc;
}

size_t io_left(const nspi_io_t *io)
{
    return io->enc ? SIZE_MAX : mapi_rd_left(&io->rd);
}

int io_count_fits(nspi_io_t *io, uint32_t count, size_t min_size)
{
    if (io->enc || io->rc)
        return io->rc == 0;
    if (min_size && (size_t)count > mapi_rd_left(&io->rd) / min_size) {
        io_fail(io, NSPI_E_TRUNCATED);
        return 0;
    }
    return 1;
}

void *io_array(nspi_io_t *io, uint32_t count, size_t size)
{
    void *p;
    if (io->rc)
        return NULL;
    p = nspi_arena_array(io->arena, count, size);
    if (!p)
        io_fail(io, NSPI_E_NOMEM);
    return p;
}

/* ---- scalars ---------------------------------------------------------- */
void io_u8(nspi_io_t *io, uint8_t *v)
{
    if (io->rc)
        return;
    if (io->enc)
        mapi_wr_u8(io->wr, *v);
    else
        *v = mapi_rd_u8(&io->rd);
    io_sync(io);
}

void io_u16(nspi_io_t *io, uint16_t *v)
{
    if (io->rc)
        return;
    if (io->enc)
        mapi_wr_u16(io->wr, *v);
    else
        *v = mapi_rd_u16(&io->rd);
    io_sync(io);
}

void io_u32(nspi_io_t *io, uint32_t *v)
{
    if (io->rc)
        return;
    if (io->enc)
        mapi_wr_u32(io->wr, *v);
    else
        *v = mapi_rd_u32(&io->rd);
    io_sync(io);
}

void io_i32(nspi_io_t *io, int32_t *v)
{
    uint32_t u = (uint32_t)*v;
    io_u32(io, &u);
    if (!io->enc)
        *v = (int32_t)u;
}

void io_u64(nspi_io_t *io, uint64_t *v)
{
    if (io->rc)
        return;
    if (io->enc)
        mapi_wr_u64(io->wr, *v);
    else
        *v = mapi_rd_u64(&io->rd);
    io_sync(io);
}

void io_raw(nspi_io_t *io, uint8_t *p, size_t n)
{
    const uint8_t *q;
    if (io->rc)
        return;
    if (io->enc) {
        mapi_wr_bytes(io->wr, p, n);
    } else if ((q = mapi_rd_bytes(&io->rd, n)) != NULL) {
        memcpy(p, q, n);
    }
    io_sync(io);
}

int io_flag(nspi_io_t *io, uint8_t *has)
{
    uint8_t b = *has ? 0xFF : 0x00;
    io_u8(io, &b);
    if (!io->enc)
        *has = b;
    return io_ok(io) && b != 0;
}

/* ---- STAT ([MS-OXNSPI] 2.2.8) ------------------------------------------ */
void io_stat(nspi_io_t *io, nspi_stat_t *s)
{
    io_u32(io, &s->sort_type);
    io_u32(io, &s->container_id);
    io_u32(io, &s->current_rec);
    io_i32(io, &s->delta);
    io_u32(io, &s->num_pos);
    io_u32(io, &s->total_recs);
    io_u32(io, &s->code_page);
    io_u32(io, &s->template_locale);
    io_u32(io, &s->sort_locale);
}

void io_opt_stat(nspi_io_t *io, uint8_t *has, nspi_stat_t *s)
{
    if (io_flag(io, has))
        io_stat(io, s);
}

/* ---- arrays ------------------------------------------------------------ */
void io_u32_array(nspi_io_t *io, nspi_u32_array_t *a)
{
    uint32_t i;
    io_u32(io, &a->count);
    if (!io_count_fits(io, a->count, 4))
        return;
    if (io->enc && a->count && !a->v) {
        io_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(a->v = io_array(io, a->count, sizeof(uint32_t))))
        return;
    for (i = 0; i < a->count && io_ok(io); i++)
        io_u32(io, &a->v[i]);
}

void io_opt_u32_array(nspi_io_t *io, uint8_t *has, nspi_u32_array_t *a)
{
    if (io_flag(io, has))
        io_u32_array(io, a);
}

void io_sized_bytes(nspi_io_t *io, nspi_bytes_t *b)
{
    io_u32(io, &b->len);
    if (io->rc)
        return;
    if (io->enc) {
        if (b->len && !b->p) {
            io_fail(io, NSPI_E_ENCODE);
            return;
        }
        mapi_wr_bytes(io->wr, b->p, b->len);
    } else {
        b->p = mapi_rd_bytes(&io->rd, b->len);
    }
    io_sync(io);
}

void io_aux(nspi_io_t *io, nspi_bytes_t *b)
{
    io_sized_bytes(io, b);
}

/* ---- strings ----------------------------------------------------------- */
void io_asciiz(nspi_io_t *io, nspi_bytes_t *s)
{
    size_t n = 0;
    if (io->rc)
        return;
    if (io->enc) {
        if ((s->len && !s->p) || (s->len && memchr(s->p, 0, s->len))) {
            io_fail(io, NSPI_E_ENCODE);
            return;
        }
        mapi_wr_bytes(io->wr, s->p, s->len);
        mapi_wr_u8(io->wr, 0);
    } else {
        s->p = (const uint8_t *)mapi_rd_asciiz(&io->rd, &n);
        s->len = (uint32_t)n;
    }
    io_sync(io);
}

void io_utf16z(nspi_io_t *io, nspi_bytes_t *s)
{
    size_t units = 0, i;
    if (io->rc)
        return;
    if (io->enc) {
        if ((s->len & 1) || (s->len && !s->p)) {
            io_fail(io, NSPI_E_ENCODE);
            return;
        }
        for (i = 0; i < s->len; i += 2)
            if (s->p[i] == 0 && s->p[i + 1] == 0) {
                io_fail(io, NSPI_E_ENCODE);
                return;
            }
        mapi_wr_bytes(io->wr, s->p, s->len);
        mapi_wr_u16(io->wr, 0);
    } else {
        s->p = mapi_rd_utf16z(&io->rd, &units);
        s->len = (uint32_t)(units * 2);
    }
    io_sync(io);
}

void io_strarray(nspi_io_t *io, nspi_strarray_t *a, int unicode)
{
    uint32_t i;
    io_u32(io, &a->count);
    if (!io_count_fits(io, a->count, unicode ? 2 : 1))
        return;
    if (io->enc && a->count && !a->s) {
        io_fail(io, NSPI_E_ENCODE);
        return;
    }
    if (!io->enc && !(a->s = io_array(io, a->count, sizeof(nspi_bytes_t))))
        return;
    for (i = 0; i < a->count && io_ok(io); i++) {
        if (unicode)
            io_utf16z(io, &a->s[i]);
        else
            io_asciiz(io, &a->s[i]);
    }
}
