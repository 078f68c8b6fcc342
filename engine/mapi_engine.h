/*
 * mapi_engine.h - the ROP engine: turns decoded EMSMDB requests into work on
 * the session's server objects ([MS-OXCROPS] 3.2.5). No Apache in here.
 *
 * The per-session object state (server object handle table and what stands
 * behind each handle) is a blob the glue loads from the shared session table
 * at the start of a request and stores back at the end, so consecutive
 * requests of one session may run in different processes.
 */
#ifndef MAPI_ENGINE_H
#define MAPI_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "mapi_buf.h"

struct ms_store;

typedef struct {
    const char *user;       /* authenticated user (login name) */
    const char *mailbox;    /* GUID text of the session's mailbox */
    struct ms_store *store; /* this process's store handle (may be NULL) */
    uint32_t codepage;      /* from Connect */
    /* Called between units of work; the glue sends PENDING from it. */
    void (*progress)(void *arg);
    void *progress_arg;
} mapi_engine_ctx_t;

/* Server objects of a session ([MS-OXCROPS] 2.2.1 ServerObjectHandleTable). */
typedef enum {
    MAPI_OBJ_NONE = 0,
    MAPI_OBJ_LOGON = 1,
    MAPI_OBJ_FOLDER = 2,
    MAPI_OBJ_MESSAGE = 3,
    MAPI_OBJ_TABLE = 4,
    MAPI_OBJ_STREAM = 5,
    MAPI_OBJ_ATTACHMENT = 6
} mapi_objtype_t;

typedef struct {
    uint32_t handle;
    uint8_t type;       /* mapi_objtype_t */
    uint8_t logon_id;
    uint8_t *data;      /* object-specific serialized state (malloc'd) */
    uint32_t data_len;
} mapi_obj_t;

typedef struct {
    mapi_obj_t *objs;
    size_t n, cap;
    uint32_t next_handle;
} mapi_objtab_t;

/* Object table <-> session state blob. A blob that does not decode gives an
 * empty table (and returns -1) rather than a crash. */
int mapi_objtab_load(mapi_objtab_t *t, const void *blob, size_t len);
int mapi_objtab_save(const mapi_objtab_t *t, mapi_wr_t *wr);
void mapi_objtab_free(mapi_objtab_t *t);
mapi_obj_t *mapi_objtab_find(mapi_objtab_t *t, uint32_t handle);
mapi_obj_t *mapi_objtab_add(mapi_objtab_t *t, uint8_t type, uint8_t logon_id);
int mapi_objtab_release(mapi_objtab_t *t, uint32_t handle);

typedef struct {
    uint32_t error_code;   /* Execute ErrorCode (ecRpcFormat when the input is unusable) */
    uint8_t *rop_buffer;   /* RPC_HEADER_EXT-framed ROP output (malloc'd) */
    size_t rop_buffer_len;
    unsigned rops_in;      /* ROPs read */
    size_t frames_out;     /* RPC_HEADER_EXT frames in the answer (> 1: chained) */
    char rop_names[256];   /* "Logon,GetReceiveFolder,..." for the protocol log */
    char why[200];         /* what was wrong with the input, for the log */
} mapi_execute_result_t;

/* [MS-OXCMAPIHTTP] 2.2.4.2 / [MS-OXCRPC] 3.1.4.2: one Execute. rop_buffer is
 * the request's RopBuffer (RPC_HEADER_EXT frames); flags the request's Flags
 * (NoCompression, NoXorMagic, Chain); max_rop_out its MaxRopOut. objs is the
 * session's object table, updated in place. */
void mapi_engine_execute(const mapi_engine_ctx_t *ctx, mapi_objtab_t *objs, const uint8_t *rop_buffer,
                         size_t rop_buffer_len, uint32_t flags, uint32_t max_rop_out,
                         mapi_execute_result_t *res);
void mapi_execute_result_free(mapi_execute_result_t *res);

/* The ROP loop itself, on an unframed ROP input buffer (RopSize, RopsList,
 * handle table): writes the ROP output buffer to outs[0] (max_out bytes at
 * most). When max_extra > 0 (the client set the Chain flag) and the list
 * ends with RopQueryRows or RopReadStream that had more to give, the server
 * runs that ROP again into further complete ROP output buffers outs[1..]
 * ([MS-OXCRPC] 3.1.4.2.1.1, extended buffer packing of responses) while
 * they fit in max_extra bytes. *nouts = buffers written. Returns an ec. */
#define MAPI_MAX_CHAINED 96
uint32_t mapi_rops_process(const mapi_engine_ctx_t *ctx, mapi_objtab_t *objs, const uint8_t *in, size_t in_len,
                           size_t max_out, size_t max_extra, mapi_wr_t *outs, size_t *nouts,
                           mapi_execute_result_t *res);

#endif /* MAPI_ENGINE_H */
