/*
 * mapi_status.h - status values shared by every layer.
 *
 * X-ResponseCode: [MS-OXCMAPIHTTP] 2.2.3.3.3. A non-zero code means the body
 * is diagnostic only; the HTTP status stays 200 (2.2.2.2).
 * ec* values: [MS-OXCDATA] 2.4 (the ReturnValue/ErrorCode of ROPs and calls).
 */
#ifndef MAPI_STATUS_H
#define MAPI_STATUS_H

#include <stdint.h>

typedef enum {
    MAPI_RC_SUCCESS = 0,
    MAPI_RC_UNKNOWN_FAILURE = 1,
    MAPI_RC_INVALID_VERB = 2,
    MAPI_RC_INVALID_PATH = 3,
    MAPI_RC_INVALID_HEADER = 4,
    MAPI_RC_INVALID_REQUEST_TYPE = 5,
    MAPI_RC_INVALID_CONTEXT_COOKIE = 6,
    MAPI_RC_MISSING_HEADER = 7,
    MAPI_RC_ANONYMOUS_NOT_ALLOWED = 8,
    MAPI_RC_TOO_LARGE = 9,
    MAPI_RC_CONTEXT_NOT_FOUND = 10,
    MAPI_RC_NO_PRIVILEGE = 11,
    MAPI_RC_INVALID_REQUEST_BODY = 12,
    MAPI_RC_MISSING_COOKIE = 13,
    MAPI_RC_RESERVED = 14,
    MAPI_RC_INVALID_SEQUENCE = 15,
    MAPI_RC_ENDPOINT_DISABLED = 16,
    MAPI_RC_INVALID_RESPONSE = 17,
    MAPI_RC_ENDPOINT_SHUTTING_DOWN = 18,
    MAPI_RC_MAX_ = 18
} mapi_response_code_t;

/* The name the spec's table gives each code ("Invalid Verb", ...). */
static inline const char *mapi_response_code_name(int rc)
{
    static const char *const names[] = {
        "Success", "Unknown Failure", "Invalid Verb", "Invalid Path", "Invalid Header",
        "Invalid Request Type", "Invalid Context Cookie", "Missing Header",
        "Anonymous Not Allowed", "Too Large", "Context Not Found", "No Privilege",
        "Invalid Request Body", "Missing Cookie", "Reserved", "Invalid Sequence",
        "Endpoint Disabled", "Invalid Response", "Endpoint Shutting Down"};
    return (rc >= 0 && rc <= MAPI_RC_MAX_) ? names[rc] : "Unknown";
}

/* [MS-OXCDATA] 2.4.1 / 2.4.2 error codes used across layers. */
#define MAPI_EC_SUCCESS              0x00000000u
#define MAPI_EC_GENERAL_FAILURE      0x80004005u /* ecError, MAPI_E_CALL_FAILED */
#define MAPI_EC_OUT_OF_MEMORY        0x8007000Eu
#define MAPI_EC_INVALID_PARAMETER    0x80070057u
#define MAPI_EC_ACCESS_DENIED        0x80070005u
#define MAPI_EC_NOT_SUPPORTED        0x80040102u
#define MAPI_EC_INVALID_ENTRYID      0x80040107u
#define MAPI_EC_INVALID_OBJECT       0x80040108u
#define MAPI_EC_OBJECT_MODIFIED      0x80040109u
#define MAPI_EC_OBJECT_DELETED       0x8004010Au
#define MAPI_EC_NOT_FOUND            0x8004010Fu
#define MAPI_EC_LOGON_FAILED         0x80040111u
#define MAPI_EC_TOO_COMPLEX          0x80040117u
#define MAPI_EC_TABLE_TOO_BIG        0x80040403u
#define MAPI_EC_INVALID_BOOKMARK     0x80040405u
#define MAPI_EC_DUPLICATE_NAME       0x80040604u
#define MAPI_EC_NOT_INITIALIZED      0x80040605u
#define MAPI_EC_WARN_WITH_ERRORS     0x00040380u
#define MAPI_EC_UNKNOWN_USER         0x000003EBu
#define MAPI_EC_BAD_CONFIG           0x000003EEu
#define MAPI_EC_UNKNOWN_CODEPAGE     0x000003EFu
#define MAPI_EC_SERVER_OOM           0x000003F0u
#define MAPI_EC_LOGIN_PERM           0x000003F2u
#define MAPI_EC_NO_RECEIVE_FOLDER    0x00000463u
#define MAPI_EC_WRONG_SERVER         0x00000478u
#define MAPI_EC_BUFFER_TOO_SMALL     0x0000047Du
#define MAPI_EC_RPC_FORMAT           0x000004B6u
#define MAPI_EC_NULL_OBJECT          0x000004B9u
#define MAPI_EC_QUOTA_EXCEEDED       0x000004D9u
#define MAPI_EC_MAX_ATTACH_EXCEEDED  0x000004DBu
#define MAPI_EC_NOT_EXPANDED         0x000004F7u
#define MAPI_EC_NOT_COLLAPSED        0x000004F8u
#define MAPI_EC_DST_NULL_OBJECT      0x00000503u
#define MAPI_EC_MAILBOX_DISABLED     0x0000096Cu

#endif /* MAPI_STATUS_H */
