#!/bin/bash
# The address book endpoint end to end ([MS-OXCMAPIHTTP] 2.2.5 with the
# semantics of [MS-OXNSPI]): every request type in alice's session against
# the test store (alice@mapi.test "Alice Anders", bob@mapi.test "Bob Berg"),
# positive and negative (bad STAT, bad MIds, wrong code page, bad bodies).
# Bodies are built and read by t/integ/nspi-body.
source "$MH_TEST_ENV"
source "$MH_SRCDIR/t/harness/tap.sh"
NB="$MH_BUILDDIR/t/integ/nspi-body"
EP="/mapi/nspi/?MailboxId=${MH_MAILBOX_alice:-0bd9a4c2-5a3b-4d7e-9f10-2a3b4c5d6e7f}@mapi.test"
J=$T_TMP/jar-alice
PREFIX="/o=mod_mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"
ALICE_DN="$PREFIX/cn=Recipients/cn=alice"
BOB_DN="$PREFIX/cn=Recipients/cn=bob"
[ -x "$NB" ] || t_skip_all "nspi-body not built"

# nspi TYPE [nspi-body encode options]: one request in alice's session
# (jar $J, or $JAR); the decoded answer goes to $T_TMP/d.
nspi() {
    local type=$1 hex
    shift
    : > "$T_TMP/d"
    hex=$("$NB" encode "$type" "$@") || { t_diag "cannot encode $type $*"; return; }
    mc "${USER_:-alice}" "${JAR:-$J}" --type "$type" --body-hex "$hex" --body-out "$T_TMP/rsp" "$EP"
    [ "$(field response_code)" = 0 ] && "$NB" decode "$type" "$T_TMP/rsp" > "$T_TMP/d"
}
# d NAME: a field of the decoded answer.
d() { awk -v n="$1: " 'index($0, n) == 1 { print substr($0, length(n) + 1); exit }' "$T_TMP/d"; }
lower() { tr 'A-Z' 'a-z'; }

# --- Bind (skip everything until the endpoint serves the address book)
mc alice "$J" --bind 1252 "$EP"
[ "$(field response_code)" = 5 ] && t_skip_all "the nspi endpoint does not serve Bind yet (X-ResponseCode 5)"
t_is "$(field http_status)/$(field response_code)" 200/0 "[$MH_MPM] Bind: HTTP 200, X-ResponseCode 0"
t_is "$(field 'rsp: ErrorCode')" 0x00000000 "Bind with code page 1252: Success"
t_like "$(field 'rsp: ServerGuid')" '^[0-9a-f]{8}-' "Bind: a ServerGuid"
mc alice "$T_TMP/jar-x" --bind 1200 "$EP"
t_is "$(field 'rsp: ErrorCode')" 0x8004011E "Bind with CP_WINUNICODE: InvalidCodepage"
mc alice "$T_TMP/jar-y" --bind 932 "$EP"
t_is "$(field 'rsp: ErrorCode')" 0x8004011E "Bind with code page 932: InvalidCodepage"

# --- the hierarchy
nspi GetSpecialTable --stat 0 --flags 4
t_is "$(d ErrorCode)/$(d Rows)" 0x00000000/1 "GetSpecialTable: one container"
t_is "$(d row.FFFD0003)" 0 "the GAL's PidTagAddressBookContainerId is 0"
t_is "$(d row.3001001F)" "Global Address List" "the GAL's display name"
nspi GetSpecialTable --stat 0 --flags 4 --version 1
t_is "$(d ErrorCode)/$(d Rows)" 0x00000000/ "GetSpecialTable with the current version: no rows"

# --- DNToMId
nspi DNToMId --names "$ALICE_DN|$BOB_DN|/o=nowhere/cn=nobody"
ALICE=$(d MIds | awk '{print $1}')
BOB=$(d MIds | awk '{print $2}')
t_like "$ALICE" '^0x[0-9A-F]{8}$' "DNToMId: Alice's MId ($ALICE)"
t_ok "$([ "$ALICE" != 0x00000000 ] && [ "$BOB" != 0x00000000 ] && [ "$ALICE" != "$BOB" ]; echo $?)" \
    "DNToMId: two distinct MIds"
t_is "$(d MIds | awk '{print $3}')" 0x00000000 "DNToMId: an unknown DN gives 0"

# --- QueryRows, UpdateStat, SeekEntries: the GAL in display-name order
nspi QueryRows --stat 0 --count 50 --cols 3001001F,39FE001F,3001001E
t_is "$(d ErrorCode)/$(d Rows)" 0x00000000/2 "QueryRows: both users"
t_is "$(d 'row[0].3001001F')|$(d 'row[1].3001001F')" "Alice Anders|Bob Berg" "rows in display-name order"
t_is "$(d 'row[1].39FE001F')" "bob@mapi.test" "PidTagSmtpAddress"
t_is "$(d 'row[0].3001001E')" "Alice Anders" "a String8 column"
t_is "$(d State.CurrentRec)/$(d State.NumPos)/$(d State.TotalRecs)" 0x00000002/2/2 \
    "STAT after the rows: MID_END_OF_TABLE, NumPos 2, TotalRecs 2"
nspi QueryRows --stat "$ALICE,1" --count 5 --cols 3001001F
t_is "$(d Rows)/$(d 'row[0].3001001F')" "1/Bob Berg" "QueryRows from Alice + 1: Bob"
nspi QueryRows --stat 0 --count 5
t_is "$(d Columns)" "FFFD0003 0FFE0003 39000003 3001001E 3A08001E 3A18001E 3A19001E" \
    "QueryRows without columns: the default set"
nspi QueryRows --stat 0x1234 --count 5 --cols 3001001F
t_is "$(d ErrorCode)" 0x8004010F "QueryRows at an unknown MId: NotFound"
nspi QueryRows --stat 0 --count 5 --cols 3001001F --cp 932
t_is "$(d ErrorCode)" 0x8004011E "QueryRows with code page 932: InvalidCodepage"
nspi QueryRows --mids "${BOB#0x},12345" --count 5 --cols 3001001F
t_is "$(d Rows)/$(d 'row[0].3001001F')/$(d 'row[1].3001001F')" "2/Bob Berg/error 0x8004010F" \
    "QueryRows over an explicit table: an unknown MId's row is NotFound"
nspi UpdateStat --stat 0,1 --delta-requested
t_is "$(d State.CurrentRec)/$(d Delta)" "$BOB/1" "UpdateStat BEGINNING + 1: Bob, moved 1"
nspi UpdateStat --stat 0x00000002,-2 --delta-requested
t_is "$(d State.CurrentRec)/$(d State.NumPos)" "$ALICE/0" "UpdateStat END - 2: Alice"
nspi UpdateStat --stat 0 --container 7
t_is "$(d ErrorCode)" 0x80040405 "UpdateStat in an unknown container: InvalidBookmark"
nspi UpdateStat --stat 0 --sort 9
t_is "$(d ErrorCode)" 0x80070057 "UpdateStat with an unknown SortType: InvalidParameter"
nspi UpdateStat
t_is "$(d ErrorCode)" 0x80070057 "UpdateStat without STAT: InvalidParameter"
nspi SeekEntries --stat 0 --target "b" --cols 3001001F
t_is "$(d State.CurrentRec)/$(d Rows)/$(d 'row[0].3001001F')" "$BOB/1/Bob Berg" "SeekEntries 'b': Bob"
nspi SeekEntries --stat 0 --target "zz"
t_is "$(d ErrorCode)" 0x8004010F "SeekEntries past every name: NotFound"

# --- GetMatches, CompareMIds, ResortRestriction
nspi GetMatches --stat 0 --prefix ali --cols 3001001F,3003001F
t_is "$(d ErrorCode)/$(d MIdCount)/$(d 'row[0].3001001F')" "0x00000000/1/Alice Anders" \
    "GetMatches display-name prefix 'ali': Alice"
t_is "$(d 'row[0].3003001F')" "$ALICE_DN" "PidTagEmailAddress is the legacyExchangeDN"
nspi GetMatches --stat 0 --eq-smtp BOB@mapi.test
t_is "$(d MIds)" "$BOB" "GetMatches SMTP address equals (case-insensitive): Bob"
nspi GetMatches --stat 0 --anr anders --cols 3001001F
t_is "$(d MIds)/$(d 'row[0].3001001F')" "$ALICE/Alice Anders" "GetMatches PidTagAnr 'anders' (a surname): Alice"
nspi ResolveNames --stat 0 --names "berg"
t_is "$(d MIds)" "0x00000002" "ResolveNames by surname: resolved"
nspi GetMatches --stat 0 --prefix "" --count 1
t_is "$(d ErrorCode)" 0x80040403 "GetMatches with more matches than requested: TableTooBig"
nspi GetMatches --count 5 --prefix a
t_is "$(d ErrorCode)" 0x80070057 "GetMatches without STAT: InvalidParameter"
nspi GetMatches --stat 0 --count 5 --prefix a --mids "${ALICE#0x}"
t_is "$(d ErrorCode)" 0x80040117 "GetMatches with MinimalIds (pReserved): TooComplex"
nspi SeekEntries --stat 0 --target "b" --sort 3
t_is "$(d ErrorCode)" 0x80004005 "SeekEntries by phonetic name (not served): GeneralFailure"
nspi CompareMIds --mid "$ALICE" --mid2 "$BOB"
t_is "$(d ErrorCode)/$(d Result)" 0x00000000/-1 "CompareMIds: Alice before Bob"
nspi CompareMIds --mid "$ALICE" --mid2 0x777
t_is "$(d ErrorCode)" 0x80004005 "CompareMIds with an unknown MId: GeneralFailure"
nspi ResortRestriction --stat 0 --mids "${BOB#0x},${ALICE#0x},999"
t_is "$(d MIds)" "$ALICE $BOB" "ResortRestriction: sorted, unknown MId dropped"

# --- ResolveNames
nspi ResolveNames --stat 0 --names "alice@mapi.test|bob|b|nobody|SMTP:ALICE@MAPI.TEST" --cols 3001001F,39FE001F
t_is "$(d MIds)" "0x00000002 0x00000002 0x00000002 0x00000000 0x00000002" \
    "ResolveNames: SMTP address, alias, unique prefix, unknown, SMTP: prefix (MID_RESOLVED/UNRESOLVED)"
t_is "$(d Rows)|$(d 'row[0].39FE001F')|$(d 'row[1].39FE001F')|$(d 'row[2].39FE001F')|$(d 'row[3].39FE001F')" \
    "4|alice@mapi.test|bob@mapi.test|bob@mapi.test|alice@mapi.test" "a row per resolved name, in order"
nspi ResolveNames --stat 0 --names "a|alice" --cp 1200
t_is "$(d ErrorCode)" 0x8004011E "ResolveNames with CP_WINUNICODE in STAT: InvalidCodepage"

# --- properties
nspi GetProps --stat "$ALICE" --cols 3001001F,39FE001F,3002001F,3A00001F,0FFE0003,800F101F,3A18001F
t_is "$(d ErrorCode)" 0x00040380 "GetProps with a missing property: ErrorsReturned"
t_is "$(d value.3001001F)|$(d value.39FE001F)|$(d value.3002001F)|$(d value.3A00001F)|$(d value.0FFE0003)" \
    "Alice Anders|alice@mapi.test|EX|alice|6" "GetProps: name, SMTP, EX, account, MAPI_MAILUSER"
t_is "$(d value.800F101F)" "SMTP:alice@mapi.test" "PidTagAddressBookProxyAddresses"
t_is "$(d value.3A18000A)" "error 0x8004010F" "a missing property: PtypErrorCode NotFound"
nspi GetProps --stat 0x31337 --cols 3001001F
t_is "$(d ErrorCode)/$(d value.3001000A)" "0x00040380/error 0x8004010F" \
    "GetProps of an unknown MId: an object without values (ErrorsReturned)"
nspi GetPropList --mid "$BOB"
t_like "$(d PropTags)" '(^| )3001001E( |$)' "GetPropList: PidTagDisplayName (String8)"
nspi GetPropList --mid 0x42
t_is "$(d ErrorCode)" 0x8004010F "GetPropList of an unknown MId: NotFound"
nspi QueryColumns --flags 0x80000000
t_like "$(d PropTags)" '(^| )3001001F( |$)' "QueryColumns: Unicode tags"
nspi GetTemplateInfo --flags 1 --locale 0x409
t_is "$(d ErrorCode)" 0x8004011F "GetTemplateInfo: no template to locate, InvalidLocale"
nspi GetTemplateInfo --flags 1 --locale 0x409 --cp 77
t_is "$(d ErrorCode)" 0x8004011E "GetTemplateInfo with code page 77: InvalidCodepage"

# --- changes: one's own entry only
nspi ModProps --stat "$ALICE" --cert "ALICE-CERT"
t_is "$(d ErrorCode)" 0x00000000 "ModProps: Alice sets her own certificate"
nspi GetProps --stat "$ALICE" --cols 3A701102
t_is "$(d value.3A701102)" "1 values" "and reads it back"
nspi ModProps --stat "$BOB" --cert "X"
t_is "$(d ErrorCode)" 0x80070005 "ModProps on Bob's entry: AccessDenied"
nspi ModProps --stat 0x123 --cert "X"
t_is "$(d ErrorCode)" 0x80070057 "ModProps of an unknown MId: InvalidParameter"
nspi ModLinkAtt --proptag 0x8015000D --mid "$BOB" --entryid-dn "$ALICE_DN"
t_is "$(d ErrorCode)" 0x80070005 "ModLinkAtt on Bob's entry: AccessDenied"
nspi ModLinkAtt --proptag 0x8015000D --mid "$ALICE" --entryid-dn "$BOB_DN"
t_is "$(d ErrorCode)" 0x00000000 "ModLinkAtt: Alice adds Bob as a delegate"

# --- URLs
nspi GetMailboxUrl --dn "$ALICE_DN"
t_like "$(d Url | lower)" "^https://.*/mapi/emsmdb/\\?mailboxid=$(echo "${MH_MAILBOX_alice:-x}" | lower)@mapi\\.test\$" \
    "GetMailboxUrl: the emsmdb URL of alice's mailbox"
nspi GetAddressBookUrl --dn "$ALICE_DN"
t_like "$(d Url | lower)" "^https://.*/mapi/nspi/\\?mailboxid=$(echo "${MH_MAILBOX_alice:-x}" | lower)@mapi\\.test\$" \
    "GetAddressBookUrl: the nspi URL"
mc bob "$T_TMP/jar-bob" --bind 1252 "$EP"
USER_=bob JAR="$T_TMP/jar-bob" nspi GetMailboxUrl --dn "$BOB_DN"
t_like "$(d Url | lower)" "mailboxid=$(echo "${MH_MAILBOX_bob:-x}" | lower)@mapi\\.test\$" "bob's session: bob's URL"

# --- bad bodies, then the session goes on
mc alice "$J" --type QueryRows --body-hex 00000000ff0000 "$EP"
t_is "$(field response_code)" 12 "a truncated QueryRows body: X-ResponseCode 12"
mc alice "$J" --type GetProps --body-hex "$("$NB" encode GetProps --stat 0)00" "$EP"
t_is "$(field response_code)" 12 "a GetProps body with a trailing byte: 12"
nspi UpdateStat --stat 0
t_is "$(field response_code)/$(d ErrorCode)" 0/0x00000000 "the session survives bad bodies"

# --- Unbind
nspi Unbind
t_is "$(d ErrorCode)" 0x00000001 "Unbind: UnbindSuccess"
t_ok "$(mh_no_crash; echo $?)" "no child crashed"
t_done
