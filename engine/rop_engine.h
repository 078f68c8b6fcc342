/*
 * rop_engine.h - what the per-area ROP files share ([MS-OXCROPS] 3.2.5).
 *
 * Each area file (rop_logon.c for [MS-OXCSTOR], rop_folder.c for
 * [MS-OXCFOLD], rop_table.c for [MS-OXCTABL], rop_message.c for [MS-OXCMSG],
 * rop_property.c / rop_stream.c for [MS-OXCPRPT], ...) defines a table
 *     const rop_entry_t rop_<area>_entries[] = {{ROP_X, handler}, ..., {0, NULL}};
 * that rop_dispatch.c finds (weak references: an area that is not built
 * simply has no entries; its ROPs are answered ecNotSupported).
 *
 * A handler gets the decoded request and fills the response fields (the
 * header - RopId, handle index, ReturnValue - is preset); it returns the
 * ReturnValue (an ec). On failure the response is sent header-only.
 * Objects behind handles keep their state as a serialized blob (o->data),
 * so the session can continue in another process.
 */
#ifndef ROP_ENGINE_H
#define ROP_ENGINE_H

#include "mapi_engine.h"
#include "mapi_rop.h"
#include "mapi_status.h"
#include "mapistore.h"

#define ROP_HANDLE_NONE 0xFFFFFFFFu

typedef struct rop_ctx {
    const mapi_engine_ctx_t *ectx; /* user, mailbox, code page, store */
    mapi_objtab_t *objs;           /* the session's objects (persisted) */
    mapi_arena_t *arena;           /* per-request memory */
    uint32_t *handles;             /* ServerObjectHandleTable, updated in place */
    size_t nh;
    mapi_rop_ctx_t ropctx;
    ms_mailbox_t *mbx;             /* the session's mailbox, opened on first use */
    mapi_execute_result_t *res;
} rop_ctx_t;

typedef uint32_t (*rop_handler_t)(rop_ctx_t *c, const mapi_rop_req_t *req, mapi_rop_resp_t *resp);
typedef struct {
    uint8_t rop_id;
    rop_handler_t fn;
} rop_entry_t;

/* The object at handle index idx; NULL with *ec = ecNullObject when the
 * index is out of the table or holds no object ([MS-OXCROPS] 3.2.5.1). */
mapi_obj_t *rop_obj(rop_ctx_t *c, uint8_t idx, uint32_t *ec);
/* The same, requiring one of the types in mask (1u << MAPI_OBJ_x); an object
 * of another type gives ecNotSupported. */
mapi_obj_t *rop_obj_of(rop_ctx_t *c, uint8_t idx, unsigned mask, uint32_t *ec);
#define ROP_T(t) (1u << (t))
/* Creates an object and puts its handle at out_idx. */
mapi_obj_t *rop_new_obj(rop_ctx_t *c, uint8_t out_idx, uint8_t type, uint8_t logon_id, uint32_t *ec);
/* Replaces an object's state blob with wr's bytes (wr is freed). */
int rop_obj_set_data(mapi_obj_t *o, mapi_wr_t *wr);
/* The session's mailbox (opened once per request). */
ms_mailbox_t *rop_mailbox(rop_ctx_t *c, uint32_t *ec);
/* Store error -> ROP ReturnValue (ms_err_t values are ec values already). */
static inline uint32_t rop_ec(ms_err_t e) { return (uint32_t)e; }

/* prop_adapt.c: store values <-> wire values. from_store copies into the
 * arena (String8 converted to the session code page cp; a type the wire
 * cannot carry becomes a PtypErrorCode value); to_store borrows the wire
 * value's memory (String8 converted to UTF-8 in the arena). 0 or -1. */
int rop_prop_from_store(mapi_arena_t *a, uint32_t cp, const ms_propval_t *in, mapi_propval_t *out);
int rop_prop_to_store(mapi_arena_t *a, uint32_t cp, const mapi_propval_t *in, ms_propval_t *out);

/* Area tables (weak: see top). */
extern const rop_entry_t rop_logon_entries[] __attribute__((weak));
extern const rop_entry_t rop_folder_entries[] __attribute__((weak));
extern const rop_entry_t rop_table_entries[] __attribute__((weak));
extern const rop_entry_t rop_message_entries[] __attribute__((weak));
extern const rop_entry_t rop_property_entries[] __attribute__((weak));
extern const rop_entry_t rop_stream_entries[] __attribute__((weak));
extern const rop_entry_t rop_notify_entries[] __attribute__((weak));
extern const rop_entry_t rop_submit_entries[] __attribute__((weak));
extern const rop_entry_t rop_rules_entries[] __attribute__((weak));

#endif /* ROP_ENGINE_H */
