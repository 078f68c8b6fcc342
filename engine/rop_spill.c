/*
 * rop_spill.c - spill files for large pending values ([MS-OXCPRPT] streams
 * written to a message or attachment that is not saved yet). The session
 * state has a small budget, and the store has no staging area, so a value
 * written through a stream past MOBJ_SPILL_MIN bytes goes to a file
 * ROOT/spool/<32 hex digits> beside the store's environments; the object's
 * journal names it (MJ_SET_SPILL) and every process of the session reads it
 * from there. Files go away when the top message is saved; files of
 * sessions that never saved are removed after MOBJ_SPILL_MAX_AGE.
 */
#include "rop_msgobj.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MOBJ_SPILL_MAX_AGE (2 * 24 * 3600)

static int spool_dir(rop_ctx_t *c, char *out, size_t n)
{
    const char *root = c->ectx->store ? ms_store_root(c->ectx->store) : NULL;
    if (!root || snprintf(out, n, "%s/spool", root) >= (int)n)
        return -1;
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int mobj_spill_name_ok(const char *name)
{
    size_t i;
    for (i = 0; i < MOBJ_SPILL_NAME; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return 0;
    return name[MOBJ_SPILL_NAME] == '\0';
}

static int spill_path(rop_ctx_t *c, const char *name, char *out, size_t n)
{
    char dir[1024];
    if (!mobj_spill_name_ok(name) || spool_dir(c, dir, sizeof(dir)) != 0)
        return -1;
    return snprintf(out, n, "%s/%s", dir, name) < (int)n ? 0 : -1;
}

/* Removes spill files older than MOBJ_SPILL_MAX_AGE (sessions that went
 * away without saving). */
static void sweep(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    time_t now = time(NULL);
    if (!d)
        return;
    while ((e = readdir(d))) {
        char p[1400];
        struct stat sb;
        if (!mobj_spill_name_ok(e->d_name))
            continue;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (stat(p, &sb) == 0 && now - sb.st_mtime > MOBJ_SPILL_MAX_AGE)
            unlink(p);
    }
    closedir(d);
}

static int write_all(int fd, const uint8_t *p, size_t n, off_t off)
{
    while (n > 0) {
        ssize_t w = pwrite(fd, p, n, off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
        off += w;
    }
    return 0;
}

int mobj_spill_create(rop_ctx_t *c, const uint8_t *data, size_t len, char name[MOBJ_SPILL_NAME + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint8_t rnd[MOBJ_SPILL_NAME / 2];
    char dir[1024], path[1400];
    int fd, i;
    if (spool_dir(c, dir, sizeof(dir)) != 0 || getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
        return -1;
    for (i = 0; i < MOBJ_SPILL_NAME / 2; i++) {
        name[2 * i] = hex[rnd[i] >> 4];
        name[2 * i + 1] = hex[rnd[i] & 15];
    }
    name[MOBJ_SPILL_NAME] = '\0';
    if (rnd[0] < 8) /* now and then */
        sweep(dir);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
        return -1;
    if (write_all(fd, data, len, 0) != 0) {
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    return 0;
}

int mobj_spill_write(rop_ctx_t *c, const char *name, uint64_t off, const uint8_t *data, size_t len)
{
    char path[1400];
    int fd, rc;
    if (spill_path(c, name, path, sizeof(path)) != 0 || (fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
        return -1; /* gone: saved since (the caller starts a new one) */
    rc = write_all(fd, data, len, (off_t)off);
    close(fd);
    return rc;
}

int mobj_spill_truncate(rop_ctx_t *c, const char *name, uint64_t len)
{
    char path[1400];
    if (spill_path(c, name, path, sizeof(path)) != 0)
        return -1;
    return truncate(path, (off_t)len);
}

uint8_t *mobj_spill_read(rop_ctx_t *c, const char *name, uint32_t *len)
{
    char path[1400];
    struct stat sb;
    uint8_t *buf;
    size_t got = 0;
    int fd;
    if (spill_path(c, name, path, sizeof(path)) != 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return NULL;
    if (fstat(fd, &sb) != 0 || sb.st_size < 0 || (uint64_t)sb.st_size > MOBJ_SPILL_MAX ||
        !(buf = mapi_arena_alloc(c->arena, (size_t)sb.st_size + 2))) {
        close(fd);
        return NULL;
    }
    while (got < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = buf[got + 1] = 0;
    *len = (uint32_t)got;
    return buf;
}

void mobj_spill_remove_journal(rop_ctx_t *c, const uint8_t *j, size_t len, int depth)
{
    mapi_rd_t rd;
    if (depth > 8)
        return;
    mapi_rd_init(&rd, j, len);
    while (mapi_rd_left(&rd) > 0) {
        uint8_t op = mapi_rd_u8(&rd);
        uint32_t n = mapi_rd_u32(&rd);
        const uint8_t *p = mapi_rd_bytes(&rd, n);
        if (!mapi_rd_ok(&rd))
            return;
        if (op == MJ_SET_SPILL && n == 4 + 1 + MOBJ_SPILL_NAME && p[4] == MOBJ_SPILL_NAME) {
            char name[MOBJ_SPILL_NAME + 1], path[1400];
            memcpy(name, p + 5, MOBJ_SPILL_NAME);
            name[MOBJ_SPILL_NAME] = '\0';
            if (spill_path(c, name, path, sizeof(path)) == 0)
                unlink(path);
        } else if (op == MJ_ATT_APPLY && n >= 4) {
            mobj_spill_remove_journal(c, p + 4, n - 4, depth + 1);
        } else if (op == MJ_EMB_APPLY) {
            mobj_spill_remove_journal(c, p, n, depth + 1);
        }
    }
}
