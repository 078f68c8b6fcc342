/*
 * mapi_ids.h - identifiers: FID/MID/CN, GLOBCNT, GID, LongTermId, source
 * keys ([MS-OXCDATA] 2.2.1), XID/SizedXid/PCL ([MS-OXCFXICS] 2.2.2.2-2.2.2.4),
 * folder/message/store EntryIDs (2.2.4) and address book EntryIDs (2.2.5).
 *
 * A FID/MID/CN is handled as the uint64_t you get by reading its 8 wire
 * bytes little-endian: the low 16 bits are the ReplicaId, the upper 48 bits
 * the GLOBCNT bytes, which are big-endian on the wire. mapi_id_make() and
 * mapi_id_globcnt() convert between that and the counter's numeric value,
 * so ids written with mapi_wr_u64() have the spec's byte layout.
 */
#ifndef MAPI_IDS_H
#define MAPI_IDS_H

#include "mapi_prop.h"

/* ---- FID / MID / CN / GLOBCNT -------------------------------------- */

#define MAPI_GLOBCNT_MAX 0xFFFFFFFFFFFFull

uint64_t mapi_id_make(uint16_t replid, uint64_t globcnt);
static inline uint16_t mapi_id_replid(uint64_t id) { return (uint16_t)(id & 0xFFFF); }
uint64_t mapi_id_globcnt(uint64_t id);
/* 6 bytes, big-endian. */
void mapi_globcnt_put(uint8_t *p, uint64_t globcnt);
uint64_t mapi_globcnt_get(const uint8_t *p);

/* ---- GID / LongTermId / source key ---------------------------------- */

/* GID (2.2.1.3): DatabaseGuid 16 + GlobalCounter 6 = 22 bytes. A source key
 * (PidTagSourceKey) is a GID, i.e. an XID with a 6-byte LocalId. */
typedef struct {
    mapi_guid_t guid;
    uint64_t globcnt;
} mapi_gid_t;
#define MAPI_GID_SIZE 22
#define MAPI_LONGTERMID_SIZE 24

void mapi_gid_put(uint8_t *p, const mapi_gid_t *g);
void mapi_gid_get(const uint8_t *p, mapi_gid_t *g);
int mapi_gid_decode(mapi_rd_t *rd, mapi_gid_t *g);
void mapi_gid_encode(mapi_wr_t *wr, const mapi_gid_t *g);
/* LongTermId (2.2.1.3.1): GID + Pad u16 (0) = 24 bytes. */
int mapi_longtermid_decode(mapi_rd_t *rd, mapi_gid_t *g);
void mapi_longtermid_encode(mapi_wr_t *wr, const mapi_gid_t *g);
/* Source key bytes (22) for an id, given the GUID of its replica. */
void mapi_sourcekey_make(uint8_t out[MAPI_GID_SIZE], const mapi_guid_t *replguid, uint64_t id);

/* ---- XID / SizedXid / PCL ([MS-OXCFXICS] 2.2.2.2 - 2.2.2.4) -------- */

typedef struct {
    mapi_guid_t guid;
    uint8_t len;        /* LocalId length, 1..8 */
    uint8_t local[8];   /* LocalId bytes as on the wire (big-endian counter) */
} mapi_xid_t;

/* An XID of `size` bytes (17..24) from raw bytes (e.g. a change key). */
int mapi_xid_from_bytes(const uint8_t *p, size_t size, mapi_xid_t *x);
/* XID with a 6-byte GLOBCNT LocalId: the usual change key (22 bytes). */
void mapi_xid_make(mapi_xid_t *x, const mapi_guid_t *guid, uint64_t globcnt);
/* LocalId as a number (big-endian, up to 8 bytes). */
uint64_t mapi_xid_local_value(const mapi_xid_t *x);

/* PCL: at most one XID per namespace GUID. */
typedef struct {
    uint32_t count;
    mapi_xid_t *xids;
} mapi_pcl_t;

/* Parses concatenated SizedXids (XidSize u8, then XID). Bad sizes (< 17 or
 * > 24) are MAPI_E_BAD_VALUE; a size past the end MAPI_E_TRUNCATED. Two XIDs
 * with one GUID are merged (the larger LocalId kept). */
int mapi_pcl_parse(mapi_arena_t *a, const uint8_t *p, size_t len, mapi_pcl_t *out);
/* Serialized as SizedXids, in the order held. */
int mapi_pcl_serialize(mapi_wr_t *wr, const mapi_pcl_t *pcl);
/* Merge: for each GUID the larger LocalId of the two. Result in arena. */
int mapi_pcl_merge(mapi_arena_t *a, const mapi_pcl_t *x, const mapi_pcl_t *y, mapi_pcl_t *out);
/* 1 if x includes y: every XID of y has an XID in x with the same GUID and
 * a LocalId >= it (the conflict test of [MS-OXCFXICS] 3.1.5.6). */
int mapi_pcl_includes(const mapi_pcl_t *x, const mapi_pcl_t *y);

/* ---- EntryIDs ([MS-OXCDATA] 2.2.4, 2.2.5) -------------------------- */

#define MAPI_EITLT_PRIVATE_FOLDER  0x0001
#define MAPI_EITLT_PUBLIC_FOLDER   0x0003
#define MAPI_EITLT_PRIVATE_MESSAGE 0x0007
#define MAPI_EITLT_PUBLIC_MESSAGE  0x0009
#define MAPI_FOLDER_ENTRYID_SIZE  46
#define MAPI_MESSAGE_ENTRYID_SIZE 70

typedef struct {
    uint32_t flags;          /* 0 for long-term ids */
    mapi_guid_t provider;    /* the store's mailbox GUID */
    uint16_t type;           /* MAPI_EITLT_*_FOLDER */
    mapi_gid_t folder;
} mapi_folder_entryid_t;

typedef struct {
    uint32_t flags;
    mapi_guid_t provider;
    uint16_t type;           /* MAPI_EITLT_*_MESSAGE */
    mapi_gid_t folder;
    mapi_gid_t message;
} mapi_message_entryid_t;

/* Parse exactly len bytes (MAPI_E_BAD_VALUE on wrong size or type). */
int mapi_folder_entryid_parse(const uint8_t *p, size_t len, mapi_folder_entryid_t *e);
void mapi_folder_entryid_encode(mapi_wr_t *wr, const mapi_folder_entryid_t *e);
int mapi_message_entryid_parse(const uint8_t *p, size_t len, mapi_message_entryid_t *e);
void mapi_message_entryid_encode(mapi_wr_t *wr, const mapi_message_entryid_t *e);

/* Store object EntryID (2.2.4.3), wrapping emsmdb.dll. */
typedef struct {
    int is_public;
    char *server;     /* ServerShortname, ASCII */
    char *mailbox_dn; /* MailboxDN, ASCII (private stores only) */
} mapi_store_entryid_t;
int mapi_store_entryid_parse(mapi_arena_t *a, const uint8_t *p, size_t len, mapi_store_entryid_t *e);
void mapi_store_entryid_encode(mapi_wr_t *wr, const mapi_store_entryid_t *e);

/* Address book permanent EntryID (2.2.5.2): Flags 0, ProviderUID
 * MAPI_MUID_ADDRBOOK, Version 1, Type (display type),
 * X500DN. */
typedef struct {
    uint32_t type;
    char *dn;
} mapi_ab_entryid_t;
int mapi_ab_entryid_parse(mapi_arena_t *a, const uint8_t *p, size_t len, mapi_ab_entryid_t *e);
void mapi_ab_entryid_encode(mapi_wr_t *wr, const mapi_ab_entryid_t *e);

/* Address book ephemeral EntryID ([MS-OXNSPI] 2.2.9.2, 32 bytes): Type 0x87,
 * 3 reserved bytes, ProviderUID = server GUID, R4 = 1, DisplayType, MId. */
typedef struct {
    mapi_guid_t server;
    uint32_t display_type;
    uint32_t mid;
} mapi_ab_ephemeral_t;
#define MAPI_AB_EPHEMERAL_SIZE 32
int mapi_ab_ephemeral_parse(const uint8_t *p, size_t len, mapi_ab_ephemeral_t *e);
void mapi_ab_ephemeral_encode(mapi_wr_t *wr, const mapi_ab_ephemeral_t *e);

/* One-off EntryID (2.2.5.1): Flags 0, ProviderUID MAPI_MUID_ONEOFF, Version u16 0, flags u16, then DisplayName,
 * AddressType, EmailAddress, Unicode when MAPI_ONEOFF_UNICODE is set,
 * String8 otherwise. In memory strings are UTF-8 (Unicode) or code-page
 * bytes (String8). */
#define MAPI_ONEOFF_UNICODE      0x8000
#define MAPI_ONEOFF_NO_RICH_INFO 0x0001
typedef struct {
    uint16_t flags;
    char *display_name;
    char *address_type;
    char *address;
} mapi_oneoff_entryid_t;
int mapi_oneoff_entryid_parse(mapi_arena_t *a, const uint8_t *p, size_t len, mapi_oneoff_entryid_t *e);
void mapi_oneoff_entryid_encode(mapi_wr_t *wr, const mapi_oneoff_entryid_t *e);

/* Provider UIDs, as the byte sequences the spec lists (wire order). */
extern const mapi_guid_t MAPI_MUID_STORE_WRAP;     /* 38 A1 BB 10 05 E5 10 1A A1 BB 08 00 2B 2A 56 C2 */
extern const mapi_guid_t MAPI_MUID_STORE_PRIVATE;  /* 1B 55 FA 20 AA 66 11 CD 9B C8 00 AA 00 2F C4 5A */
extern const mapi_guid_t MAPI_MUID_STORE_PUBLIC;   /* 1C 83 02 10 AA 66 11 CD 9B C8 00 AA 00 2F C4 5A */
extern const mapi_guid_t MAPI_MUID_ADDRBOOK;       /* DC A7 40 C8 C0 42 10 1A B4 B9 08 00 2B 2F E1 82 */
extern const mapi_guid_t MAPI_MUID_ONEOFF;         /* 81 2B 1F A4 BE A3 10 19 9D 6E 00 DD 01 0F 54 02 */

#endif /* MAPI_IDS_H */
