/*
 * nspi_io.h - internal to the NSPI codec: one description of each wire
 * field that both decodes and encodes. A body function calls nio_*() for
 * its fields in wire order; with io->enc set the value is written from the
 * struct, otherwise it is read into it. Errors are sticky (nio_ok()).
 */
#ifndef NSPI_IO_H
#define NSPI_IO_H

#include "mapi_nspi.h"

typedef struct {
    int enc;              /* 1: struct -> wr; 0: rd -> struct */
    mapi_rd_t rd;
    mapi_wr_t *wr;
    nspi_arena_t *arena;
    int rc;               /* first error (NSPI_E_*), 0 while fine */
} nspi_io_t;

void nio_init_dec(nspi_io_t *io, const uint8_t *buf, size_t len, nspi_arena_t *a);
void nio_init_enc(nspi_io_t *io, mapi_wr_t *wr);
static inline int nio_ok(const nspi_io_t *io) { return io->rc == 0; }
void nio_fail(nspi_io_t *io, int rc);
/* After the body: the reader must be exactly at the end; returns rc. */
int nio_finish(nspi_io_t *io);
/* Bytes left to read (decode) or a large number (encode). */
size_t nio_left(const nspi_io_t *io);
/* Decode: fail unless count items of at least min_size bytes each can fit
 * in what is left. Always true when encoding. */
int nio_count_fits(nspi_io_t *io, uint32_t count, size_t min_size);
void *nio_array(nspi_io_t *io, uint32_t count, size_t size);

void nio_u8(nspi_io_t *io, uint8_t *v);
void nio_u16(nspi_io_t *io, uint16_t *v);
void nio_u32(nspi_io_t *io, uint32_t *v);
void nio_i32(nspi_io_t *io, int32_t *v);
void nio_u64(nspi_io_t *io, uint64_t *v);
void nio_raw(nspi_io_t *io, uint8_t *p, size_t n);        /* fixed-size copy */
/* Has* byte: returns 1 if the optional field follows. */
int nio_flag(nspi_io_t *io, uint8_t *has);
void nio_stat(nspi_io_t *io, nspi_stat_t *s);
void nio_opt_stat(nspi_io_t *io, uint8_t *has, nspi_stat_t *s);
void nio_u32_array(nspi_io_t *io, nspi_u32_array_t *a);
void nio_opt_u32_array(nspi_io_t *io, uint8_t *has, nspi_u32_array_t *a);
void nio_sized_bytes(nspi_io_t *io, nspi_bytes_t *b);     /* u32 size + bytes */
void nio_aux(nspi_io_t *io, nspi_bytes_t *b);
void nio_asciiz(nspi_io_t *io, nspi_bytes_t *s);
void nio_utf16z(nspi_io_t *io, nspi_bytes_t *s);
void nio_strarray(nspi_io_t *io, nspi_strarray_t *a, int unicode);

/* nspi_abvalue.c */
void nio_propval(nspi_io_t *io, uint16_t type, nspi_propval_t *v);
void nio_tagged(nspi_io_t *io, nspi_tagged_t *t);
void nio_proplist(nspi_io_t *io, nspi_proplist_t *l);
void nio_rowset(nspi_io_t *io, nspi_rowset_t *rs);
void nio_restriction(nspi_io_t *io, mapi_restriction_t **tree, nspi_bytes_t *raw);

/* nspi_bodies_req.c / nspi_bodies_rsp.c */
void nio_request_body(nspi_io_t *io, nspi_request_t *r);
void nio_response_body(nspi_io_t *io, nspi_response_t *r);

#endif /* NSPI_IO_H */
