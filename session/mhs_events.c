/*
 * mhs_events.c - wake-ups across processes for NotificationWait.
 *
 * A file of 65536 32-bit counters mapped MAP_SHARED by every process. A
 * context hashes to one slot; raising an event increments the slot and wakes
 * its futex waiters (shared futex: keyed on the file page, so it works across
 * processes). A collision only causes a spurious wake-up: the waiter
 * re-checks its own context in the table.
 */
#include "mhs_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MHS_EVENT_SLOTS 65536u

/* Maps DIR/NAME (created and sized as needed) shared between processes. */
static void *map_shared_file(const char *dir, const char *name, size_t size)
{
    char path[4096];
    struct stat st;
    void *p;
    int fd;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || ((size_t)st.st_size < size && ftruncate(fd, (off_t)size) != 0)) {
        close(fd);
        return NULL;
    }
    p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

int mhs_events_open(mhs_table_t *t, const char *dir)
{
    t->events_size = MHS_EVENT_SLOTS * sizeof(uint32_t);
    t->events = map_shared_file(dir, "events", t->events_size);
    return t->events ? 0 : -1;
}

void mhs_events_close(mhs_table_t *t)
{
    if (t->events)
        munmap(t->events, t->events_size);
    t->events = NULL;
    if (t->counters)
        munmap(t->counters, t->counters_size);
    t->counters = NULL;
}

/* The status counters live in a second small shared file, "counters". */
int mhs_counters_open(mhs_table_t *t, const char *dir)
{
    t->counters_size = MHS_COUNTERS * sizeof(uint64_t);
    t->counters = map_shared_file(dir, "counters", t->counters_size);
    return t->counters ? 0 : -1;
}

void mhs_counter_add(mhs_table_t *t, unsigned idx, int64_t delta)
{
    if (t && t->counters && idx < MHS_COUNTERS)
        __atomic_add_fetch(&t->counters[idx], (uint64_t)delta, __ATOMIC_RELAXED);
}

uint64_t mhs_counter_get(mhs_table_t *t, unsigned idx)
{
    return (t && t->counters && idx < MHS_COUNTERS) ? __atomic_load_n(&t->counters[idx], __ATOMIC_RELAXED) : 0;
}

static uint32_t *slot_of(mhs_table_t *t, const uint8_t id[MHS_ID_LEN])
{
    /* ids are random: their first bytes are a fine hash */
    uint32_t h = (uint32_t)id[0] | ((uint32_t)id[1] << 8);
    return &t->events[h % MHS_EVENT_SLOTS];
}

void mhs_events_wake(mhs_table_t *t, const uint8_t id[MHS_ID_LEN])
{
    uint32_t *slot;
    if (!t->events)
        return;
    slot = slot_of(t, id);
    __atomic_add_fetch(slot, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, slot, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

uint32_t mhs_events_snapshot(mhs_table_t *t, const uint8_t id[MHS_ID_LEN])
{
    return t->events ? __atomic_load_n(slot_of(t, id), __ATOMIC_SEQ_CST) : 0;
}

int mhs_events_sleep(mhs_table_t *t, const uint8_t id[MHS_ID_LEN], uint32_t seen, unsigned timeout_ms)
{
    struct timespec ts;
    long r;
    if (!t->events) {
        usleep(timeout_ms * 1000u);
        return 0;
    }
    ts.tv_sec = timeout_ms / 1000;
    ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
    r = syscall(SYS_futex, slot_of(t, id), FUTEX_WAIT, seen, &ts, NULL, 0);
    if (r == 0)
        return 1;
    return errno == EAGAIN ? 1 : 0; /* EAGAIN: the counter moved before we slept */
}
