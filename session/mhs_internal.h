/* mhs_internal.h - private parts of the session table. */
#ifndef MHS_INTERNAL_H
#define MHS_INTERNAL_H

#include "mhs_session.h"

#include <lmdb.h>
#include <stdio.h>

struct mhs_table {
    MDB_env *env;
    MDB_dbi sessions;   /* id -> mhs_record_t */
    MDB_dbi state;      /* id -> object state blob */
    MDB_dbi by_user;    /* user -> id (DUPSORT) */
    MDB_dbi by_mailbox; /* mailbox -> id (DUPSORT) */
    MDB_dbi meta;       /* "last_sweep" -> u64 */
    mhs_limits_t limits;
    uint32_t *events;
    size_t events_size;
    uint64_t *counters;
    size_t counters_size;
    char err[256];
};

int mhs_events_open(mhs_table_t *t, const char *dir);
void mhs_events_close(mhs_table_t *t);
int mhs_counters_open(mhs_table_t *t, const char *dir);
void mhs_events_wake(mhs_table_t *t, const uint8_t id[MHS_ID_LEN]);
uint32_t mhs_events_snapshot(mhs_table_t *t, const uint8_t id[MHS_ID_LEN]);
int mhs_events_sleep(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], uint32_t seen, unsigned timeout_ms);

#endif
