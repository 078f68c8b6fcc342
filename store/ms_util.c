/*
 * ms_util.c - errors, GUIDs, byte order, identifiers and entry ids.
 * Identifiers: [MS-OXCDATA] 2.2.1 (FID/MID/GLOBCNT), 2.2.4 (entry ids).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include "ms_internal.h"

static __thread char ms_errbuf[512];

const char *ms_last_error(void)
{
    return ms_errbuf[0] ? ms_errbuf : "no error";
}

ms_err_t ms__err(ms_err_t e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ms_errbuf, sizeof(ms_errbuf), fmt, ap);
    va_end(ap);
    return e;
}

const char *ms_strerror(ms_err_t e)
{
    switch (e) {
    case MS_OK: return "success";
    case MS_E_FAIL: return "general failure";
    case MS_E_NOMEM: return "out of memory";
    case MS_E_INVALID_PARAM: return "invalid parameter";
    case MS_E_ACCESS_DENIED: return "access denied";
    case MS_E_NOT_SUPPORTED: return "not supported";
    case MS_E_INVALID_ENTRYID: return "invalid entry id";
    case MS_E_INVALID_OBJECT: return "invalid object";
    case MS_E_OBJECT_MODIFIED: return "object modified";
    case MS_E_OBJECT_DELETED: return "object deleted";
    case MS_E_NOT_FOUND: return "not found";
    case MS_E_TOO_COMPLEX: return "too complex";
    case MS_E_TABLE_TOO_BIG: return "table too big";
    case MS_E_INVALID_BOOKMARK: return "invalid bookmark";
    case MS_E_DUPLICATE_NAME: return "duplicate name";
    case MS_E_NOT_INITIALIZED: return "not initialized";
    case MS_E_UNKNOWN_USER: return "unknown user";
    case MS_E_BUFFER_TOO_SMALL: return "buffer too small";
    case MS_E_QUOTA_EXCEEDED: return "quota exceeded or store full";
    case MS_E_MAX_ATTACHMENTS: return "too many attachments";
    case MS_E_JET: return "database error";
    }
    return "unknown error";
}

/* LMDB return code -> ms_err_t, with the text kept for ms_last_error(). */
ms_err_t ms__mdb(int rc, const char *what)
{
    switch (rc) {
    case MDB_SUCCESS: return MS_OK;
    case MDB_NOTFOUND: return ms__err(MS_E_NOT_FOUND, "%s: not found", what);
    case MDB_MAP_FULL:
        return ms__err(MS_E_STORE_FULL, "%s: store full (LMDB map size reached)", what);
    case ENOMEM: return ms__err(MS_E_NOMEM, "%s: out of memory", what);
    case EACCES: return ms__err(MS_E_ACCESS_DENIED, "%s: %s", what, mdb_strerror(rc));
    case ENOENT: return ms__err(MS_E_NOT_FOUND, "%s: %s", what, mdb_strerror(rc));
    default: return ms__err(MS_E_JET, "%s: %s", what, mdb_strerror(rc));
    }
}

void *ms__xmalloc(size_t n)
{
    return calloc(1, n ? n : 1);
}

void ms__random_guid(ms_guid_t *g)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    if (fd >= 0) {
        while (got < 16) {
            ssize_t r = read(fd, g->b + got, 16 - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        close(fd);
    }
    if (got < 16) {   /* no /dev/urandom: time and pid, still unique enough */
        struct timeval tv;
        gettimeofday(&tv, NULL);
        uint64_t a = (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
        uint64_t b = (uint64_t)getpid() ^ ((uint64_t)rand() << 20);
        memcpy(g->b, &a, 8);
        memcpy(g->b + 8, &b, 8);
    }
    g->b[7] = (uint8_t)((g->b[7] & 0x0F) | 0x40);   /* version 4 (LE Data3 high byte) */
    g->b[8] = (uint8_t)((g->b[8] & 0x3F) | 0x80);
}

/* Canonical text form; the 16 bytes are the wire (little-endian Data1-3) form. */
void ms__guid_to_str(const ms_guid_t *g, char out[37])
{
    const uint8_t *b = g->b;
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int ms__guid_from_str(const char *s, ms_guid_t *g)
{
    static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    uint8_t raw[16];
    int n = 0;
    for (; *s && n < 32; s++) {
        if (*s == '-' || *s == '{' || *s == '}')
            continue;
        int v = hexval((unsigned char)*s);
        if (v < 0)
            return -1;
        if (n % 2 == 0)
            raw[n / 2] = (uint8_t)(v << 4);
        else
            raw[n / 2] |= (uint8_t)v;
        n++;
    }
    while (*s == '}')
        s++;
    if (n != 32 || *s)
        return -1;
    for (int i = 0; i < 16; i++)
        g->b[order[i]] = raw[i];
    return 0;
}

void ms__put_be(uint8_t *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

uint64_t ms__get_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

uint64_t ms__now_filetime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100;
}

void ms__lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

int ms__check_pid(const ms_store_t *st)
{
    return st && st->pid == getpid();
}

void ms__key_mbx(uint8_t *k, uint32_t mbx)
{
    ms__put_be(k, mbx, 4);
}

size_t ms__objkey(uint8_t *k, uint32_t mbx, char kind, uint64_t gc, uint32_t sub)
{
    ms__put_be(k, mbx, 4);
    k[4] = (uint8_t)kind;
    ms__put_be(k + 5, gc, 6);
    ms__put_be(k + 11, sub, 4);
    return MS_OBJKEY_LEN;
}

/* ---- [MS-OXCDATA] 2.2.1.1: FID/MID = ReplicaId (2, LE) + GLOBCNT (6, BE) ---- */
ms_id_t ms_id_make(uint16_t replid, uint64_t globcnt)
{
    uint8_t b[8];
    b[0] = (uint8_t)replid;
    b[1] = (uint8_t)(replid >> 8);
    ms__put_be(b + 2, globcnt, 6);
    uint64_t id = 0;
    for (int i = 7; i >= 0; i--)
        id = (id << 8) | b[i];
    return id;
}

uint16_t ms_id_replid(ms_id_t id)
{
    return (uint16_t)(id & 0xFFFF);
}

uint64_t ms_id_globcnt(ms_id_t id)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(id >> (8 * i));
    return ms__get_be(b + 2, 6);
}

void ms_globcnt_to_bytes(uint64_t globcnt, uint8_t out[6])
{
    ms__put_be(out, globcnt, 6);
}

uint64_t ms_globcnt_from_bytes(const uint8_t in[6])
{
    return ms__get_be(in, 6);
}

void ms_make_xid(const ms_guid_t *replguid, uint64_t globcnt, uint8_t out[MS_XID_SIZE])
{
    memcpy(out, replguid->b, 16);
    ms__put_be(out + 16, globcnt, 6);
}

/* [MS-OXCDATA] 2.2.4.1 Folder EntryID: Flags, ProviderUID (mailbox GUID),
 * FolderType 0x0001, DatabaseGuid (replica GUID), GlobalCounter, Pad. */
void ms__folder_eid(const ms_mailbox_t *mbx, uint64_t fgc, uint8_t *out)
{
    memset(out, 0, MS_FOLDER_ENTRYID_SIZE);
    memcpy(out + 4, mbx->guid.b, 16);
    out[20] = 0x01;
    memcpy(out + 22, mbx->replguid.b, 16);
    ms__put_be(out + 38, fgc, 6);
}

/* [MS-OXCDATA] 2.2.4.2 Message EntryID, MessageType 0x0007 (private). */
void ms__message_eid(const ms_mailbox_t *mbx, uint64_t fgc, uint64_t mgc, uint8_t *out)
{
    memset(out, 0, MS_MESSAGE_ENTRYID_SIZE);
    memcpy(out + 4, mbx->guid.b, 16);
    out[20] = 0x07;
    memcpy(out + 22, mbx->replguid.b, 16);
    ms__put_be(out + 38, fgc, 6);
    memcpy(out + 46, mbx->replguid.b, 16);
    ms__put_be(out + 62, mgc, 6);
}

void ms_folder_entryid(ms_mailbox_t *mbx, ms_id_t fid, uint8_t out[MS_FOLDER_ENTRYID_SIZE])
{
    ms__folder_eid(mbx, ms_id_globcnt(fid), out);
}

void ms_message_entryid(ms_mailbox_t *mbx, ms_id_t fid, ms_id_t mid,
                        uint8_t out[MS_MESSAGE_ENTRYID_SIZE])
{
    ms__message_eid(mbx, ms_id_globcnt(fid), ms_id_globcnt(mid), out);
}

ms_err_t ms_entryid_parse(ms_mailbox_t *mbx, const uint8_t *eid, size_t len, ms_id_t *fid,
                          ms_id_t *mid)
{
    if (!mbx || !eid || !fid || !mid)
        return ms__err(MS_E_INVALID_PARAM, "entryid: NULL argument");
    if (len != MS_FOLDER_ENTRYID_SIZE && len != MS_MESSAGE_ENTRYID_SIZE)
        return ms__err(MS_E_INVALID_ENTRYID, "entryid: length %zu", len);
    if (eid[0] || eid[1] || eid[2] || eid[3] || memcmp(eid + 4, mbx->guid.b, 16) != 0)
        return ms__err(MS_E_INVALID_ENTRYID, "entryid: not this mailbox");
    uint16_t type = (uint16_t)(eid[20] | eid[21] << 8);
    if (memcmp(eid + 22, mbx->replguid.b, 16) != 0)
        return ms__err(MS_E_INVALID_ENTRYID, "entryid: unknown database guid");
    *fid = ms_id_make(MS_REPLID, ms__get_be(eid + 38, 6));
    if (len == MS_FOLDER_ENTRYID_SIZE) {
        if (type != 0x0001)
            return ms__err(MS_E_INVALID_ENTRYID, "entryid: folder type %u", type);
        *mid = 0;
        return MS_OK;
    }
    if (type != 0x0007 || memcmp(eid + 46, mbx->replguid.b, 16) != 0)
        return ms__err(MS_E_INVALID_ENTRYID, "entryid: message type %u", type);
    *mid = ms_id_make(MS_REPLID, ms__get_be(eid + 62, 6));
    return MS_OK;
}
