#!/bin/bash
# The mailbox endpoint's session contexts end to end ([MS-OXCMAPIHTTP] 2.2.4,
# 3.2.5): Connect, Execute, Disconnect, NotificationWait; the MapiContext /
# MapiSequence cookies and every X-ResponseCode they can produce; a session
# across a graceful restart; two users; expiry and caps.
source "$MH_TEST_ENV"
source "$MH_SRCDIR/t/harness/tap.sh"
source "$MH_SRCDIR/t/harness/mh-env.sh"
EP="/mapi/emsmdb/?MailboxId=$MH_MAILBOX_alice@$MH_DOMAIN"
J=$T_TMP/jar-alice
RAISE="$MH_BUILDDIR/t/integ/mh-raise-event"

# --- Connect
mc alice "$J" --connect "/o=mapihttp/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice" "$EP"
t_is "$(field http_status)/$(field response_code)" 200/0 "[$MH_MPM] Connect: HTTP 200, X-ResponseCode 0"
t_is "$(field 'rsp: StatusCode')/$(field 'rsp: ErrorCode')" 0/0x00000000 "Connect: StatusCode 0, ErrorCode 0"
t_like "$(field 'rsp: DnPrefix')" '^/o=' "Connect: DnPrefix is an X.500 DN"
t_is "$(field 'rsp: DisplayName')" "Alice Anders" "Connect: DisplayName is the mailbox's display name"
t_like "$(field 'rsp: MaxPollingInterval')" '^[1-9][0-9]*$' "Connect: MaxPollingInterval"
ctx1=$(jar_get "$J" MapiContext)
seq1=$(jar_get "$J" MapiSequence)
t_like "$ctx1" '^[0-9a-f]{32}$' "Connect sets a 128-bit MapiContext cookie"
t_like "$seq1" '^[0-9a-f]{32}$' "Connect sets a MapiSequence cookie"
t_like "$(grep -i '^header: Set-Cookie: MapiContext' "$T_TMP/mc.out")" 'Path=/mapi/emsmdb/; Secure; HttpOnly' \
    "the cookie is Secure, HttpOnly, scoped to the endpoint"

# --- Connect to a mailbox that is not there, or not ours
mc alice "$T_TMP/jar-x" --connect "/o=x/cn=alice" "/mapi/emsmdb/?MailboxId=00000000-1111-2222-3333-444444444444@$MH_DOMAIN"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x000003EB "Connect to an unknown MailboxId: ecUnknownUser"
t_is "$(jar_get "$T_TMP/jar-x" MapiContext)" "" "and no session context"
mc bob "$T_TMP/jar-x" --connect "/o=x/cn=bob" "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x000003F2 "bob connecting to alice's mailbox: ecLoginPerm"
t_like "$(grep -c "MH00302.*bob@$MH_REALM may not open" "$MH_ERROR_LOG")" '^[1-9]' "with a log line"
mc bob "$T_TMP/jar-bob" --connect "/o=x/cn=bob" "/mapi/emsmdb/"
t_is "$(field 'rsp: ErrorCode')/$(field 'rsp: DisplayName')" "0x00000000/Bob Berg" \
    "a URL without MailboxId opens the user's own mailbox"

# --- Execute (RopRelease: framing level) in a new process each time under prefork
mc alice "$J" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x00000000 "Execute RopRelease: X-ResponseCode 0, ErrorCode 0"
t_is "$(field 'rsp: Handles' | tr -d ' ')" "0xFFFFFFFF" "Execute: released handle comes back empty"
t_like "$(grep -c '^meta: ' "$T_TMP/mc.out")" '^[2-9]' "Execute: PROCESSING ... DONE"
seq2=$(jar_get "$J" MapiSequence)
t_ok "$([ "$seq2" != "$seq1" ] && [ -n "$seq2" ]; echo $?)" "Execute issues a new sequence cookie"
t_is "$(jar_get "$J" MapiContext)" "$ctx1" "the context cookie stays"
for i in 1 2 3; do mc alice "$J" --execute-rops 010000 --handles 1 "$EP"; done
t_is "$(field response_code)" 0 "three more Executes in a row (new processes under prefork)"

# --- sequence, cookies, privileges
cp "$J" "$T_TMP/jar-old"
mc alice "$J" --execute-rops 010000 --handles 1 "$EP"
mc alice "$T_TMP/jar-old" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 15 "a replayed MapiSequence: X-ResponseCode 15 (Invalid Sequence)"
mc alice /dev/null --cookie "MapiContext=$ctx1" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 13 "Execute without MapiSequence: 13 (Missing Cookie)"
mc alice /dev/null --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 13 "Execute without cookies: 13 (Missing Cookie)"
mc alice /dev/null --cookie "MapiContext=not-a-context" --cookie "MapiSequence=$seq1" --execute-rops 010000 "$EP"
t_is "$(field response_code)" 6 "a malformed MapiContext: 6 (Invalid Context Cookie)"
mc alice /dev/null --cookie "MapiContext=00112233445566778899aabbccddeeff" --cookie "MapiSequence=$seq1" \
    --execute-rops 010000 "$EP"
t_is "$(field response_code)" 10 "an unknown context: 10 (Context Not Found)"
cp "$J" "$T_TMP/jar-stolen"
mc bob "$T_TMP/jar-stolen" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 11 "bob presenting alice's cookies: 11 (No Privilege)"
t_like "$(grep -c "MH00204.*bob@$MH_REALM" "$MH_ERROR_LOG")" '^[1-9]' "and a log line names the user"
mc alice "$J" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 0 "alice's session is still usable after that"

# --- bad bodies
mc alice "$J" --type Execute --body-hex 0000000004000000 "$EP"
t_is "$(field response_code)" 12 "a truncated Execute body: 12 (Invalid Request Body)"
mc alice "$J" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 0 "the session survives a bad body"
# Flags 3, RopBufferSize 12, an RPC_HEADER_EXT with Version 1, MaxRopOut, aux 0
mc alice "$J" --type Execute --body-hex 030000000c0000000100040004000400020000000080000000000000 "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x000004B6 \
    "an RPC_HEADER_EXT with a bad version: ErrorCode ecRpcFormat"
# Flags 0, RopBufferSize 12: a Compressed|Last frame (Size 4 < SizeActual 100) of garbage LZ77
mc alice "$J" --type Execute --body-hex 000000000c0000000000050004006400ffffffff0080000000000000 "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x000004B6 "a bad LZ77 stream: ErrorCode ecRpcFormat"
t_like "$(grep -c 'MH00305.*0x000004B6.*RopBuffer' "$MH_ERROR_LOG")" '^[1-9]' "logged with what was wrong"
# an XorMagic|Last frame whose un-XORed RopSize (0xA5A5) runs past the buffer
mc alice "$J" --type Execute --body-hex 000000000c0000000000060004000400000000000080000000000000 "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x000004B6 "a ROP buffer that un-XORs to nonsense: ecRpcFormat"
# a RopBufferSize that points past the end of the body
mc alice "$J" --type Execute --body-hex 00000000ff000000000004000000000000800000 "$EP"
t_is "$(field response_code)" 12 "a RopBufferSize past the end of the body: 12"
mc alice "$J" --execute-rops 020000 --handles 1 "$EP"
t_is "$(field 'rsp: ErrorCode')" 0x000004B6 "a ROP the server cannot parse: ecRpcFormat"
mc alice "$J" --type Connect --body-hex 41424344 "$EP"
t_is "$(field response_code)" 12 "a Connect body without its NUL: 12"

# --- graceful restart between two Executes of one session; a NotificationWait
# held by a process that is told to stop ends with X-ResponseCode 18
SLOW="/mapi/slow/emsmdb/?MailboxId=$MH_MAILBOX_alice@$MH_DOMAIN"
cp "$J" "$T_TMP/jar-slow"
mc alice "$J" --execute-rops 010000 --handles 1 "$EP"
( KRB5CCNAME=$MH_CCACHE_alice "$MAPICURL" --negotiate --cacert "$MH_CACERT" --cookie-jar "$T_TMP/jar-slow" \
    --notification-wait --timeout 40000 --decode "$MH_BASE_URL$SLOW" > "$T_TMP/slow.out" 2>&1 ) &
slow_pid=$!
sleep 1.5
start=$(date +%s%N)
mh_apache2 -f "$MH_APACHE_CONF" -k graceful
wait $slow_pid
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_like "$(grep '^extra: X-ResponseCode' "$T_TMP/slow.out")" 'X-ResponseCode: 18' \
    "a NotificationWait held across a graceful restart ends with 18 (Endpoint Shutting Down)"
t_ok "$([ $ms -lt 5000 ]; echo $?)" "at once ($ms ms), not at the end of its 30 s wait"
sleep 1.5
mc alice "$J" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x00000000 "the session survives apachectl -k graceful"

# --- NotificationWait: held with PENDING, times out with no event
FAST="/mapi/fast/emsmdb/?MailboxId=$MH_MAILBOX_alice@$MH_DOMAIN"
cp "$J" "$T_TMP/jar-fast"
start=$(date +%s%N)
mc alice "$T_TMP/jar-fast" --notification-wait --timeout 10000 "$FAST"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_is "$(field response_code)/$(field 'rsp: EventPending')" 0/0 "NotificationWait with no event ends with EventPending 0"
t_ok "$([ $ms -ge 1900 ] && [ $ms -lt 6000 ]; echo $?)" "after the wait time (2 s; took $ms ms)"
t_like "$(grep -c '^meta: PENDING' "$T_TMP/mc.out")" '^([5-9]|[1-9][0-9])$' "PENDING every 200 ms meanwhile"
# an event raised by another process wakes it at once
( sleep 0.7; "$RAISE" "$MH_SESSION_DIR" "$MH_MAILBOX_alice" > "$T_TMP/raise.out" 2>&1 ) &
start=$(date +%s%N)
mc alice "$J" --notification-wait --timeout 10000 "$FAST"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
wait
t_is "$(field response_code)/$(field 'rsp: EventPending')" 0/1 "an event from another process: EventPending 1"
t_ok "$([ $ms -ge 600 ] && [ $ms -lt 1500 ]; echo $?)" "woken right after the event (raised at 700 ms, answered at $ms ms)"
t_like "$(cat "$T_TMP/raise.out")" 'raised on [1-9]' "the event reached the session"

# --- PING with the context keeps it; Disconnect ends it
st=$(KRB5CCNAME=$MH_CCACHE_alice curl -s -o /dev/null -w '%{http_code}' --negotiate -u : --cacert "$MH_CACERT" -X POST \
    -H 'Content-Type: application/mapi-http' -H 'X-RequestType: PING' -H 'X-RequestId: {p}:1' \
    -b "MapiContext=$(jar_get "$J" MapiContext)" --data-binary '' "$MH_BASE_URL$EP")
t_is "$st" 200 "PING with the context cookie"
mc alice "$J" --disconnect "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x00000000 "Disconnect"
mc alice /dev/null --cookie "MapiContext=$ctx1" --cookie "MapiSequence=$(jar_get "$T_TMP/jar-stolen" MapiSequence)" \
    --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 10 "after Disconnect the context is gone: 10"
mc alice /dev/null --cookie "MapiContext=$ctx1" --disconnect "$EP"
t_is "$(field response_code)" 10 "a second Disconnect: 10"

mh_no_crash
t_ok $? "no child crashed (error log, sanitizer logs)"
t_done
