/*
 * mapi_rop.h - ROP request and response codecs ([MS-OXCROPS] 2.2).
 *
 * Server side: mapi_rop_decode_next() takes ONE request off a RopsList
 * reader; mapi_rop_encode_resp() appends one response. Client side (for the
 * tests and the client library): mapi_rop_encode_req() and
 * mapi_rop_decode_resp(). One function per ROP serves both directions (see
 * rop_codec_*.c), so the two sides cannot drift apart.
 *
 * Requests start RopId, LogonId, InputHandleIndex, then OutputHandleIndex for
 * ROPs that create an object (2.2.1 / 3.2.5.1). Responses start RopId, the
 * handle index the ROP echoes (OutputHandleIndex for creating ROPs, the
 * ResponseHandleIndex for SaveChangesMessage/SetMessageReadFlag/
 * SaveChangesAttachment, else InputHandleIndex), ReturnValue; most ROPs
 * carry more fields only on success. Strings that are "ASCII" in the spec
 * are kept as bytes; String8 values stay in the session code page (convert
 * with mapi_propval_convert()); Unicode values are UTF-8 in memory.
 * All decoded memory belongs to the arena passed in.
 */
#ifndef MAPI_ROP_H
#define MAPI_ROP_H

#include "mapi_prop.h"
#include "mapi_restriction.h"
#include "mapi_ids.h"

/* ---- RopIds ([MS-OXCROPS] 2.2; table in spec README 4.2) ------------ */
enum {
    ROP_RELEASE = 0x01, ROP_OPEN_FOLDER = 0x02, ROP_OPEN_MESSAGE = 0x03,
    ROP_GET_HIERARCHY_TABLE = 0x04, ROP_GET_CONTENTS_TABLE = 0x05, ROP_CREATE_MESSAGE = 0x06,
    ROP_GET_PROPERTIES_SPECIFIC = 0x07, ROP_GET_PROPERTIES_ALL = 0x08,
    ROP_GET_PROPERTIES_LIST = 0x09, ROP_SET_PROPERTIES = 0x0A, ROP_DELETE_PROPERTIES = 0x0B,
    ROP_SAVE_CHANGES_MESSAGE = 0x0C, ROP_REMOVE_ALL_RECIPIENTS = 0x0D,
    ROP_MODIFY_RECIPIENTS = 0x0E, ROP_READ_RECIPIENTS = 0x0F,
    ROP_RELOAD_CACHED_INFORMATION = 0x10, ROP_SET_MESSAGE_READ_FLAG = 0x11,
    ROP_SET_COLUMNS = 0x12, ROP_SORT_TABLE = 0x13, ROP_RESTRICT = 0x14, ROP_QUERY_ROWS = 0x15,
    ROP_GET_STATUS = 0x16, ROP_QUERY_POSITION = 0x17, ROP_SEEK_ROW = 0x18,
    ROP_SEEK_ROW_BOOKMARK = 0x19, ROP_SEEK_ROW_FRACTIONAL = 0x1A, ROP_CREATE_BOOKMARK = 0x1B,
    ROP_CREATE_FOLDER = 0x1C, ROP_DELETE_FOLDER = 0x1D, ROP_DELETE_MESSAGES = 0x1E,
    ROP_GET_MESSAGE_STATUS = 0x1F, ROP_SET_MESSAGE_STATUS = 0x20,
    ROP_GET_ATTACHMENT_TABLE = 0x21, ROP_OPEN_ATTACHMENT = 0x22, ROP_CREATE_ATTACHMENT = 0x23,
    ROP_DELETE_ATTACHMENT = 0x24, ROP_SAVE_CHANGES_ATTACHMENT = 0x25,
    ROP_SET_RECEIVE_FOLDER = 0x26, ROP_GET_RECEIVE_FOLDER = 0x27,
    ROP_REGISTER_NOTIFICATION = 0x29, ROP_NOTIFY = 0x2A, ROP_OPEN_STREAM = 0x2B,
    ROP_READ_STREAM = 0x2C, ROP_WRITE_STREAM = 0x2D, ROP_SEEK_STREAM = 0x2E,
    ROP_SET_STREAM_SIZE = 0x2F, ROP_SET_SEARCH_CRITERIA = 0x30, ROP_GET_SEARCH_CRITERIA = 0x31,
    ROP_SUBMIT_MESSAGE = 0x32, ROP_MOVE_COPY_MESSAGES = 0x33, ROP_ABORT_SUBMIT = 0x34,
    ROP_MOVE_FOLDER = 0x35, ROP_COPY_FOLDER = 0x36, ROP_QUERY_COLUMNS_ALL = 0x37,
    ROP_ABORT = 0x38, ROP_COPY_TO = 0x39, ROP_COPY_TO_STREAM = 0x3A, ROP_CLONE_STREAM = 0x3B,
    ROP_GET_PERMISSIONS_TABLE = 0x3E, ROP_GET_RULES_TABLE = 0x3F,
    ROP_MODIFY_PERMISSIONS = 0x40, ROP_MODIFY_RULES = 0x41, ROP_GET_OWNING_SERVERS = 0x42,
    ROP_UPDATE_DEFERRED_ACTION_MESSAGES = 0x57,
    /* FastTransfer / ICS ([MS-OXCROPS] 2.2.12, 2.2.13; semantics [MS-OXCFXICS]) */
    ROP_FAST_TRANSFER_SOURCE_COPY_MESSAGES = 0x4B, ROP_FAST_TRANSFER_SOURCE_COPY_FOLDER = 0x4C,
    ROP_FAST_TRANSFER_SOURCE_COPY_TO = 0x4D, ROP_FAST_TRANSFER_DESTINATION_CONFIGURE = 0x53,
    ROP_FAST_TRANSFER_DESTINATION_PUT_BUFFER = 0x54, ROP_FAST_TRANSFER_SOURCE_COPY_PROPERTIES = 0x69,
    ROP_SYNCHRONIZATION_CONFIGURE = 0x70, ROP_SYNCHRONIZATION_IMPORT_MESSAGE_CHANGE = 0x72,
    ROP_SYNCHRONIZATION_IMPORT_HIERARCHY_CHANGE = 0x73, ROP_SYNCHRONIZATION_IMPORT_DELETES = 0x74,
    ROP_SYNCHRONIZATION_UPLOAD_STATE_STREAM_BEGIN = 0x75,
    ROP_SYNCHRONIZATION_UPLOAD_STATE_STREAM_CONTINUE = 0x76,
    ROP_SYNCHRONIZATION_UPLOAD_STATE_STREAM_END = 0x77, ROP_SYNCHRONIZATION_IMPORT_MESSAGE_MOVE = 0x78,
    ROP_SYNCHRONIZATION_OPEN_COLLECTOR = 0x7E, ROP_GET_LOCAL_REPLICA_IDS = 0x7F,
    ROP_SYNCHRONIZATION_IMPORT_READ_STATE_CHANGES = 0x80, ROP_SYNCHRONIZATION_GET_TRANSFER_STATE = 0x82,
    ROP_TELL_VERSION = 0x86,
    ROP_LONG_TERM_ID_FROM_ID = 0x43, ROP_ID_FROM_LONG_TERM_ID = 0x44,
    ROP_PUBLIC_FOLDER_IS_GHOSTED = 0x45, ROP_OPEN_EMBEDDED_MESSAGE = 0x46,
    ROP_SET_SPOOLER = 0x47, ROP_SPOOLER_LOCK_MESSAGE = 0x48, ROP_GET_ADDRESS_TYPES = 0x49,
    ROP_TRANSPORT_SEND = 0x4A, ROP_FAST_TRANSFER_SOURCE_GET_BUFFER = 0x4E, ROP_FIND_ROW = 0x4F,
    ROP_PROGRESS = 0x50, ROP_TRANSPORT_NEW_MAIL = 0x51, ROP_GET_VALID_ATTACHMENTS = 0x52,
    ROP_GET_NAMES_FROM_PROPERTY_IDS = 0x55, ROP_GET_PROPERTY_IDS_FROM_NAMES = 0x56,
    ROP_EMPTY_FOLDER = 0x58, ROP_EXPAND_ROW = 0x59, ROP_COLLAPSE_ROW = 0x5A,
    ROP_LOCK_REGION_STREAM = 0x5B, ROP_UNLOCK_REGION_STREAM = 0x5C, ROP_COMMIT_STREAM = 0x5D,
    ROP_GET_STREAM_SIZE = 0x5E, ROP_QUERY_NAMED_PROPERTIES = 0x5F,
    ROP_GET_PER_USER_LONG_TERM_IDS = 0x60, ROP_GET_PER_USER_GUID = 0x61,
    ROP_READ_PER_USER_INFORMATION = 0x63, ROP_WRITE_PER_USER_INFORMATION = 0x64,
    ROP_SET_READ_FLAGS = 0x66, ROP_COPY_PROPERTIES = 0x67, ROP_GET_RECEIVE_FOLDER_TABLE = 0x68,
    ROP_GET_COLLAPSE_STATE = 0x6B, ROP_SET_COLLAPSE_STATE = 0x6C,
    ROP_GET_TRANSPORT_FOLDER = 0x6D, ROP_PENDING = 0x6E, ROP_OPTIONS_DATA = 0x6F,
    ROP_SET_PROPERTIES_NO_REPLICATE = 0x79, ROP_DELETE_PROPERTIES_NO_REPLICATE = 0x7A,
    ROP_GET_STORE_STATE = 0x7B, ROP_RESET_TABLE = 0x81, ROP_FREE_BOOKMARK = 0x89,
    ROP_WRITE_AND_COMMIT_STREAM = 0x90, ROP_HARD_DELETE_MESSAGES = 0x91,
    ROP_HARD_DELETE_MESSAGES_AND_SUBFOLDERS = 0x92, ROP_BACKOFF = 0xF9, ROP_LOGON = 0xFE,
    ROP_BUFFER_TOO_SMALL = 0xFF
};

/* Name of a RopId ("RopLogon"), or NULL when this codec does not know it. */
const char *mapi_rop_name(uint8_t rop_id);
/* 1 if the request carries an OutputHandleIndex (the ROP creates an object). */
int mapi_rop_creates_object(uint8_t rop_id);

/* LogonFlags ([MS-OXCSTOR] 2.2.1.1.1) */
#define MAPI_LOGON_PRIVATE    0x01
#define MAPI_LOGON_UNDERCOVER 0x02
#define MAPI_LOGON_GHOSTED    0x04

/* Context some layouts depend on: which LogonIds are public-folder logons
 * (SetMessageReadFlag ClientData, WritePerUserInformation ReplGuid). NULL
 * context = all logons private. */
typedef struct {
    uint8_t public_logons[32]; /* bit set per LogonId */
} mapi_rop_ctx_t;
void mapi_rop_ctx_set_public(mapi_rop_ctx_t *c, uint8_t logon_id, int is_public);
int mapi_rop_ctx_is_public(const mapi_rop_ctx_t *c, uint8_t logon_id);

/* TypedString ([MS-OXCROPS] 2.2.6.1.2, OpenMessage subject fields). */
#define MAPI_TSTR_NONE    0x00
#define MAPI_TSTR_EMPTY   0x01
#define MAPI_TSTR_STRING8 0x02
#define MAPI_TSTR_REDUCED 0x03  /* Unicode chars < 0x100 sent as bytes */
#define MAPI_TSTR_UNICODE 0x04
typedef struct {
    uint8_t type;
    char *str;   /* UTF-8 for REDUCED/UNICODE, code-page bytes for STRING8 */
} mapi_typed_string_t;

/* A recipient row as received/sent: its RecipientRow ([MS-OXCDATA] 2.8.3)
 * bytes are kept opaque. */
typedef struct {
    uint32_t row_id;        /* ModifyRecipients / ReadRecipients */
    uint8_t recipient_type;
    uint16_t code_page;     /* OpenMessage / ReadRecipients */
    mapi_bin_t row;         /* RecipientRowSize + RecipientRow */
} mapi_recipient_row_t;

typedef struct {
    uint16_t prop_type, prop_id;
    uint8_t order;          /* 0 ascending, 1 descending, 4 max category, 8 min category */
} mapi_sort_order_t;

/* Ghost info: ServersCount u16, CheapServersCount u16, Servers (ASCII). */
typedef struct {
    uint16_t count, cheap;
    char **servers;
} mapi_servers_t;

typedef struct {
    uint8_t data_flags;
    mapi_proplist_t props;  /* PropertyValueCount u16 + TaggedPropertyValues */
} mapi_rop_flagged_props_t;

/* ---- requests ------------------------------------------------------- */

typedef struct {
    uint8_t rop_id;
    uint8_t logon_id;
    uint8_t in_idx;     /* InputHandleIndex (SourceHandleIndex for copy/move ROPs) */
    uint8_t out_idx;    /* OutputHandleIndex (creating ROPs), ResponseHandleIndex
                         * (SaveChangesMessage, SetMessageReadFlag, SaveChangesAttachment),
                         * DestHandleIndex (move/copy ROPs) */
    union {
        struct { uint8_t logon_flags; uint32_t open_flags, store_state; mapi_bin_t essdn; } logon;
        struct { char *message_class; } get_receive_folder;
        struct { uint64_t folder_id; char *message_class; } set_receive_folder;
        struct { uint64_t id; } id;                 /* LongTermIdFromId, GetOwningServers,
                                                     * PublicFolderIsGhosted, GetMessageStatus */
        struct { mapi_gid_t ltid; } ltid;           /* IdFromLongTermId, GetPerUserGuid */
        struct { mapi_guid_t guid; } per_user_ltids;
        struct { mapi_gid_t folder; uint8_t reserved; uint32_t offset; uint16_t max_size; } read_per_user;
        struct { mapi_gid_t folder; uint8_t has_finished; uint32_t offset; mapi_bin_t data;
                 int has_repl_guid; mapi_guid_t repl_guid; } write_per_user;
        struct { uint64_t folder_id; uint8_t open_mode; } open_folder;
        struct { uint8_t folder_type, use_unicode, open_existing, reserved;
                 char *display_name, *comment; } create_folder;
        struct { uint8_t flags; uint64_t folder_id; } delete_folder;
        struct { mapi_restriction_t *res; uint16_t nfolders; uint64_t *folder_ids;
                 uint32_t search_flags; } set_search_criteria;
        struct { uint8_t use_unicode, include_restriction, include_folders; } get_search_criteria;
        struct { uint16_t count; uint64_t *mids; uint8_t want_async, want_copy; } move_copy_messages;
        struct { uint8_t want_async, want_recursive, use_unicode; uint64_t folder_id;
                 char *new_name; } move_copy_folder;     /* MoveFolder (no want_recursive) / CopyFolder */
        struct { uint8_t want_async, want_delete_associated; } empty_folder;
        struct { uint8_t want_async, notify_non_read; uint16_t count; uint64_t *mids; } delete_messages;
        struct { uint8_t table_flags; } table;          /* Get*Table, GetAttachmentTable */
        struct { uint8_t flags; mapi_tagarray_t tags; } set_columns;
        struct { uint8_t flags; uint16_t count, categories, expanded;
                 mapi_sort_order_t *orders; } sort_table;
        struct { uint8_t flags; mapi_restriction_t *res; } restrict_;
        struct { uint8_t flags, forward; uint16_t count; } query_rows;
        struct { uint8_t origin; int32_t count; uint8_t want_moved; } seek_row;
        struct { mapi_bin_t bookmark; int32_t count; uint8_t want_moved; } seek_row_bookmark;
        struct { uint32_t numerator, denominator; } seek_row_fractional;
        struct { uint8_t flags; mapi_restriction_t *res; uint8_t origin; mapi_bin_t bookmark; } find_row;
        struct { mapi_bin_t bookmark; } free_bookmark;
        struct { uint16_t max_rows; uint64_t category_id; } expand_row;
        struct { uint64_t category_id; } collapse_row;
        struct { uint64_t row_id; uint32_t instance; } get_collapse_state;
        struct { mapi_bin_t state; } set_collapse_state;
        struct { uint16_t code_page; uint64_t folder_id; uint8_t open_mode; uint64_t message_id; } open_message;
        struct { uint16_t code_page; uint64_t folder_id; uint8_t associated; } create_message;
        struct { uint8_t save_flags; } save_changes;     /* SaveChangesMessage / SaveChangesAttachment */
        struct { uint32_t reserved; } remove_all_recipients;
        struct { mapi_tagarray_t columns; uint16_t count; mapi_recipient_row_t *rows; } modify_recipients;
        struct { uint32_t row_id; uint16_t reserved; } read_recipients;
        struct { uint16_t reserved; } reload_cached;
        struct { uint64_t message_id; uint32_t flags, mask; } set_message_status;
        struct { uint8_t want_async, read_flags; uint16_t count; uint64_t *mids; } set_read_flags;
        struct { uint8_t read_flags; int has_client_data; uint8_t client_data[24]; } set_message_read_flag;
        struct { uint8_t flags; uint32_t attach_id; } open_attachment;
        struct { uint32_t attach_id; } delete_attachment;
        struct { uint16_t code_page; uint8_t open_mode; } open_embedded;
        struct { uint16_t size_limit, want_unicode; mapi_tagarray_t tags; } get_props_specific;
        struct { uint16_t size_limit, want_unicode; } get_props_all;
        struct { mapi_proplist_t props; } set_props;    /* + NoReplicate */
        struct { mapi_tagarray_t tags; } delete_props;  /* + NoReplicate */
        struct { uint8_t flags, has_guid; mapi_guid_t guid; } query_named;
        struct { uint8_t want_async, want_subobjects, copy_flags; mapi_tagarray_t tags; } copy_props;
        struct { uint8_t flags; uint16_t count; mapi_propname_t *names; } get_ids_from_names;
        struct { uint16_t count; uint16_t *ids; } get_names_from_ids;
        struct { uint8_t want_cancel; } progress;
        struct { uint32_t tag; uint8_t open_mode; } open_stream;
        struct { uint16_t byte_count; uint32_t max_byte_count; } read_stream;
        struct { mapi_bin_t data; } write_stream;       /* + WriteAndCommitStream */
        struct { uint64_t size; } set_stream_size;
        struct { uint8_t origin; int64_t offset; } seek_stream;
        struct { uint64_t byte_count; } copy_to_stream;
        struct { uint64_t offset, size; uint32_t lock_flags; } lock_region;
        struct { uint8_t types, reserved, whole_store; uint64_t folder_id, message_id; } register_notification;
        struct { uint8_t flags; } submit;
        struct { uint64_t folder_id, message_id; } abort_submit;
        struct { uint64_t message_id; uint8_t lock_state; } spooler_lock;
        struct { uint64_t message_id, folder_id; char *message_class; uint32_t message_flags; } transport_new_mail;
        struct { char *address_type; uint8_t want_win32; } options_data;
        struct { uint8_t flags; uint16_t count; mapi_rop_flagged_props_t *rows; } modify_permissions;
        struct { uint8_t flags; uint16_t count; mapi_rop_flagged_props_t *rows; } modify_rules;
        /* FastTransfer / ICS */
        struct { uint16_t buffer_size, max_buffer_size; } ft_get_buffer;
        struct { uint16_t count; uint64_t *mids; uint8_t copy_flags, send_options; } ft_copy_messages;
        struct { uint8_t copy_flags, send_options; } ft_copy_folder;
        struct { uint8_t level; uint32_t copy_flags; uint8_t send_options; mapi_tagarray_t tags; } ft_copy_to;
        struct { uint8_t level, copy_flags, send_options; mapi_tagarray_t tags; } ft_copy_properties;
        struct { uint8_t source_operation, copy_flags; } ft_dest_configure;
        struct { mapi_bin_t data; } ft_put_buffer;
        struct { uint8_t sync_type, send_options; uint16_t sync_flags; mapi_restriction_t *res;
                 uint32_t extra_flags; mapi_tagarray_t tags; } sync_configure;
        struct { uint8_t import_flag; mapi_proplist_t props; } import_message_change;
        struct { mapi_proplist_t hierarchy, props; } import_hierarchy_change;
        struct { uint8_t flags; mapi_proplist_t props; } import_deletes;
        struct { mapi_bin_t source_fid, source_mid, pcl, dest_mid, cn; } import_message_move;
        struct { mapi_bin_t states; } import_read_states;
        struct { uint32_t state_property, size; } upload_state_begin;
        struct { mapi_bin_t data; } upload_state_continue;
        struct { uint8_t is_contents; } open_collector;
        struct { uint32_t count; } local_replica_ids;
        struct { uint16_t version[3]; } tell_version;
        struct { mapi_bin_t server_entry_id, client_entry_id; } update_deferred;
    } u;
} mapi_rop_req_t;

/* ---- responses ------------------------------------------------------ */

typedef struct {
    uint8_t logon_flags;
    uint64_t folder_ids[13];
    uint8_t response_flags;           /* private */
    mapi_guid_t mailbox_guid;         /* private */
    uint16_t repl_id;
    mapi_guid_t repl_guid;
    struct { uint8_t sec, min, hour, dow, day, month; uint16_t year; } logon_time; /* private */
    uint64_t gwart_time;              /* private */
    uint32_t store_state;             /* private */
    mapi_guid_t per_user_guid;        /* public */
    char *server_name;                /* redirect (ReturnValue ecWrongServer) */
} mapi_rop_logon_resp_t;

typedef struct {
    uint8_t has_named_props;
    mapi_typed_string_t subject_prefix, normalized_subject;
    uint16_t recipient_count;
    mapi_tagarray_t columns;          /* ColumnCount u16 + tags */
    uint8_t row_count;
    mapi_recipient_row_t *rows;       /* OpenRecipientRows */
} mapi_rop_message_info_t;

/* Rows for QueryRows/FindRow/ExpandRow/GetReceiveFolderTable: either values
 * (count x ncols, encoded with cols) or `raw` bytes already encoded by the
 * caller (so it can stop adding rows when the buffer is full). */
typedef struct {
    const uint32_t *cols;
    uint32_t ncols;
    mapi_propval_t *vals;
    mapi_bin_t raw;
} mapi_rop_rows_t;

typedef struct {
    uint8_t rop_id;
    uint8_t handle_idx;     /* the index the response echoes (see top of file) */
    uint32_t ret;           /* ReturnValue */
    union {
        mapi_rop_logon_resp_t logon;
        struct { uint64_t folder_id; char *message_class; } get_receive_folder;
        struct { uint32_t count; mapi_rop_rows_t rows; } receive_folder_table;
        struct { uint32_t store_state; } store_state;
        struct { mapi_gid_t ltid; } ltid;                /* LongTermIdFromId */
        struct { uint64_t id; } id;                      /* IdFromLongTermId, GetTransportFolder */
        struct { mapi_guid_t guid; } guid;               /* GetPerUserGuid */
        struct { uint16_t count; mapi_gid_t *ltids; } per_user_ltids;
        struct { uint8_t has_finished; mapi_bin_t data; } read_per_user;
        struct { mapi_servers_t servers; } owning_servers;
        struct { uint8_t is_ghosted; mapi_servers_t servers; } ghosted;
        struct { uint8_t has_rules, is_ghosted; mapi_servers_t servers; } open_folder;
        struct { uint64_t folder_id; uint8_t is_existing, has_rules, is_ghosted;
                 mapi_servers_t servers; } create_folder;
        struct { uint8_t partial; uint32_t dest_idx; } partial;  /* dest_idx: ecDstNullObject form */
        struct { mapi_restriction_t *res; uint8_t logon_id; uint16_t nfolders; uint64_t *folder_ids;
                 uint32_t search_flags; } get_search_criteria;
        struct { uint32_t row_count; } table;            /* GetHierarchyTable/GetContentsTable */
        struct { uint8_t status; } table_status;         /* SetColumns/SortTable/Restrict/Abort/GetStatus */
        struct { uint8_t origin; uint16_t count; mapi_rop_rows_t rows; } query_rows;
        struct { uint32_t numerator, denominator; } query_position;
        struct { uint8_t sought_less; int32_t sought; } seek_row;
        struct { uint8_t no_longer_visible, sought_less; uint32_t sought; } seek_row_bookmark;
        struct { mapi_bin_t bookmark; } bookmark;        /* CreateBookmark, SetCollapseState */
        struct { mapi_tagarray_t tags; } tags;           /* QueryColumnsAll, GetPropertiesList */
        struct { uint8_t no_longer_visible, has_row; mapi_rop_rows_t row; } find_row;
        struct { uint32_t expanded; uint16_t count; mapi_rop_rows_t rows; } expand_row;
        struct { uint32_t collapsed; } collapse_row;
        struct { mapi_bin_t state; } collapse_state;
        mapi_rop_message_info_t open_message;           /* OpenMessage, ReloadCachedInformation */
        struct { uint8_t reserved; uint64_t message_id; mapi_rop_message_info_t info; } open_embedded;
        struct { uint8_t has_mid; uint64_t message_id; } create_message;
        struct { uint8_t in_idx; uint64_t message_id; } save_changes_message;
        struct { uint8_t count; mapi_recipient_row_t *rows; } read_recipients;
        struct { uint32_t flags; } message_status;       /* Set/GetMessageStatus */
        struct { uint8_t changed; uint8_t logon_id; int has_client_data;
                 uint8_t client_data[24]; } set_message_read_flag;
        struct { uint32_t attach_id; } create_attachment;
        struct { uint16_t count; uint32_t *ids; } valid_attachments;
        struct { mapi_rop_rows_t row; } get_props_specific;  /* cols = the requested tags */
        struct { mapi_proplist_t props; } get_props_all;     /* count u16 + tagged values */
        struct { mapi_problemarray_t problems; uint32_t dest_idx; } problems;
        struct { uint16_t count; uint16_t *ids; mapi_propname_t *names; } query_named;
        struct { uint16_t count; uint16_t *ids; } prop_ids;      /* GetPropertyIdsFromNames */
        struct { uint16_t count; mapi_propname_t *names; } prop_names;
        struct { uint8_t logon_id; uint32_t completed, total; } progress;
        struct { uint32_t size; } stream_size;           /* OpenStream, GetStreamSize */
        struct { mapi_bin_t data; } read_stream;
        struct { uint16_t written; } write_stream;
        struct { uint64_t position; } seek_stream;
        struct { uint32_t dest_idx; uint64_t read, written; } copy_to_stream;
        struct { uint16_t count; char **types; } address_types;
        struct { uint8_t no_props; mapi_proplist_t props; } transport_send;
        struct { uint8_t reserved; mapi_bin_t options, help; char *help_name; } options_data;
        /* data: NotificationData bytes (build them with mapi_notification_encode) */
        struct { uint32_t handle; uint8_t logon_id; mapi_bin_t data; } notify;
        struct { uint16_t session_index; } pending;
        struct { uint16_t size_needed; mapi_bin_t request; } buffer_too_small;
        struct { uint8_t logon_id; uint32_t duration; mapi_bin_t rops; } backoff;
        /* FastTransferSourceGetBuffer success; backoff_time when ecServerBusy */
        struct { uint16_t status, in_progress, total_steps; uint8_t reserved; mapi_bin_t buffer;
                 uint32_t backoff_time; } ft_get_buffer;
        struct { uint16_t status, in_progress, total_steps; uint8_t reserved; uint16_t used; } ft_put_buffer;
        struct { mapi_guid_t repl_guid; uint64_t globcnt; } local_replica_ids;
    } u;
} mapi_rop_resp_t;

/* What a client needs to decode a response: the request it answers and
 * the table's columns for row-carrying responses (QueryRows, FindRow,
 * ExpandRow). GetPropertiesSpecific uses the request's tags. */
typedef struct {
    const mapi_rop_req_t *req;
    const uint32_t *cols;
    uint32_t ncols;
    const mapi_rop_ctx_t *rop_ctx;
} mapi_rop_resp_ctx_t;

/* ---- RecipientRow ([MS-OXCDATA] 2.8.3) ------------------------------ */

/* RecipientFlags (2.8.3.1) as a little-endian u16. */
#define MAPI_RECIP_TYPE_MASK      0x0007 /* 0 none, 1 X500DN, 2 MsMail, 3 SMTP, 4 Fax,
                                          * 5 ProfessionalOfficeSystem, 6/7 PDL1/PDL2 */
#define MAPI_RECIP_EMAIL          0x0008 /* E: EmailAddress present */
#define MAPI_RECIP_DISPLAY        0x0010 /* D: DisplayName present */
#define MAPI_RECIP_TRANSMITTABLE  0x0020 /* T: TransmittableDisplayName present */
#define MAPI_RECIP_SENDNORICHINFO 0x0040 /* S */
#define MAPI_RECIP_RESPONSIBLE    0x0080 /* R */
#define MAPI_RECIP_NONRICH        0x0100 /* N */
#define MAPI_RECIP_UNICODE        0x0200 /* U: strings are UTF-16LE */
#define MAPI_RECIP_SIMPLE         0x0400 /* I: SimpleDisplayName present */
#define MAPI_RECIP_OUTOFSTANDARD  0x8000 /* O: AddressType present (type none) */
#define MAPI_RECIP_TYPE_X500DN    1
#define MAPI_RECIP_TYPE_SMTP      3
#define MAPI_RECIP_TYPE_PDL1      6
#define MAPI_RECIP_TYPE_PDL2      7

typedef struct {
    uint16_t flags;
    uint8_t prefix_used, display_type;  /* X500DN type */
    char *x500dn;                       /* X500DN type, ASCII */
    mapi_bin_t entry_id, search_key;    /* PDL types */
    char *address_type, *email, *display_name, *simple_name, *transmittable_name;
    uint16_t ncols;                     /* RecipientColumnCount */
    mapi_propval_t *vals;               /* RecipientProperties: first ncols columns */
} mapi_recipient_t;

/* Decode the RecipientRow bytes of a recipient row (e.g. ModifyRecipients)
 * given the ROP's RecipientColumns. Strings: UTF-8 when the U flag is set,
 * code-page bytes otherwise. */
int mapi_recipient_row_decode(const mapi_bin_t *row, mapi_arena_t *a, const mapi_tagarray_t *columns,
                              mapi_recipient_t *out);
/* Append a RecipientRow; `columns` are the RecipientColumns (r->ncols of
 * them are used). */
int mapi_recipient_row_encode(mapi_wr_t *wr, const mapi_tagarray_t *columns, const mapi_recipient_t *r);

/* ---- NotificationData ([MS-OXCNOTIF] 2.2.1.4.1.2), the body of RopNotify */

#define MAPI_NOTIF_NEW_MAIL        0x0002
#define MAPI_NOTIF_OBJECT_CREATED  0x0004
#define MAPI_NOTIF_OBJECT_DELETED  0x0008
#define MAPI_NOTIF_OBJECT_MODIFIED 0x0010
#define MAPI_NOTIF_OBJECT_MOVED    0x0020
#define MAPI_NOTIF_OBJECT_COPIED   0x0040
#define MAPI_NOTIF_SEARCH_COMPLETE 0x0080
#define MAPI_NOTIF_TABLE_MODIFIED  0x0100
#define MAPI_NOTIF_EXTENDED        0x0400
#define MAPI_NOTIF_TYPE_MASK       0x0FFF
#define MAPI_NOTIF_T 0x1000 /* TotalMessageCount present */
#define MAPI_NOTIF_U 0x2000 /* UnreadMessageCount present */
#define MAPI_NOTIF_S 0x4000 /* search folder event */
#define MAPI_NOTIF_M 0x8000 /* message (not folder) event */
#define MAPI_TABLE_CHANGED      0x0001
#define MAPI_TABLE_ROW_ADDED    0x0003
#define MAPI_TABLE_ROW_DELETED  0x0004
#define MAPI_TABLE_ROW_MODIFIED 0x0005
#define MAPI_TABLE_RESTRICTION_CHANGED 0x0007

typedef struct {
    uint16_t flags;                  /* NotificationFlags: type | T | U | S | M */
    uint16_t table_event;            /* TABLE_MODIFIED */
    uint64_t row_fid, row_mid;       /* row added/deleted/modified (mid: M) */
    uint32_t row_instance;
    uint64_t after_fid, after_mid;   /* row added/modified (mid, instance: M) */
    uint32_t after_instance;
    mapi_bin_t row_data;             /* TableRowDataSize + TableRowData: a PropertyRow
                                      * the caller encodes with the table's columns */
    uint64_t fid, mid;               /* not table/extended (mid: M) */
    uint64_t parent_fid;             /* created/deleted/moved/copied, folder or S+M */
    uint64_t old_fid, old_mid, old_parent_fid; /* moved/copied (old_mid: M, old_parent: !M) */
    uint16_t tag_count;              /* created/modified; 0xFFFF: no tag list */
    uint32_t *tags;
    uint32_t total, unread;          /* T, U */
    uint32_t message_flags;          /* NEW_MAIL */
    uint8_t unicode;                 /* NEW_MAIL: MessageClass in UTF-16 */
    char *message_class;
} mapi_notification_t;

int mapi_notification_encode(mapi_wr_t *wr, const mapi_notification_t *n);
int mapi_notification_decode(mapi_rd_t *rd, mapi_arena_t *a, mapi_notification_t *n);

/* ---- API ------------------------------------------------------------ */

/* Decodes ONE request from a RopsList reader. MAPI_E_UNKNOWN_ROP for RopIds
 * this codec does not know (the rest of the list cannot be parsed then),
 * MAPI_E_TRUNCATED when the request runs past the end, other statuses for
 * bad values. On error rd->off is unspecified. */
int mapi_rop_decode_next(mapi_rd_t *rd, mapi_arena_t *a, const mapi_rop_ctx_t *ctx,
                         mapi_rop_req_t *req);
int mapi_rop_encode_resp(mapi_wr_t *wr, const mapi_rop_ctx_t *ctx, const mapi_rop_resp_t *resp);
/* Client side. */
int mapi_rop_encode_req(mapi_wr_t *wr, const mapi_rop_ctx_t *ctx, const mapi_rop_req_t *req);
int mapi_rop_decode_resp(mapi_rd_t *rd, mapi_arena_t *a, const mapi_rop_resp_ctx_t *ctx,
                         mapi_rop_resp_t *resp);

/* The response a server sends when a ROP fails: header only, handle index
 * chosen as the ROP defines. (Logon redirect and null-destination errors
 * carry more: fill a mapi_rop_resp_t for those.) */
void mapi_rop_error_resp(const mapi_rop_req_t *req, uint32_t ec, mapi_rop_resp_t *resp);

/* The RopBufferTooSmall response (2.2.15.1) and RopPending (2.2.14.3). */
int mapi_rop_encode_buffer_too_small(mapi_wr_t *wr, uint16_t size_needed, const void *requests, size_t len);

#endif /* MAPI_ROP_H */
