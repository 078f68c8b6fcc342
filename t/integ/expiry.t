#!/bin/bash
# Session expiry and caps need server-level directives, so this test starts
# its own Apache (same KDC, certificate and store) with MapiHttpSessionTimeout 8
# and MapiHttpMaxSessionsPerUser 2, under the MPM of this run.
source "$MH_TEST_ENV"
source "$MH_SRCDIR/t/harness/tap.sh"
source "$MH_SRCDIR/t/harness/mh-env.sh"
NAME="expiry_$MH_MPM"
mh_apache_start "$NAME" "$MH_MPM" "" "MapiHttpSessionTimeout 8
    MapiHttpMaxSessionsPerUser 2" > /dev/null 2>&1
eval "port=\${MH_PORT_$NAME:-}"
trap 'mh_apache_stop "$NAME"; rm -rf "$T_TMP"' EXIT
t_ok "$([ -n "$port" ]; echo $?)" "[$MH_MPM] a second Apache with an 8 s session timeout and 2 sessions per user"
MH_BASE_URL="https://localhost:$port"
MH_ERROR_LOG="$MH_SCRATCH/apache-$NAME/error.log"
EP="/mapi/emsmdb/?MailboxId=$MH_MAILBOX_alice@$MH_DOMAIN"

mc alice "$T_TMP/j1" --connect "/o=x/cn=alice" "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x00000000 "first Connect"
t_is "$(field 'header: X-ExpirationInfo')" 8000 "X-ExpirationInfo announces 8000 ms"
mc alice "$T_TMP/j2" --connect "/o=x/cn=alice" "$EP"
t_is "$(field 'rsp: ErrorCode')" 0x00000000 "second Connect"
mc alice "$T_TMP/j3" --connect "/o=x/cn=alice" "$EP"
t_is "$(field response_code)/$(field 'rsp: ErrorCode')" 0/0x000003F0 "a third live session is over the per-user cap: ecServerOOM"
t_is "$(jar_get "$T_TMP/j3" MapiContext)" "" "and gets no context"
t_like "$(grep -c 'MH00302.*MapiHttpMaxSessionsPerUser' "$MH_ERROR_LOG")" '^[1-9]' "the log says which limit"
mc bob "$T_TMP/jb" --connect "/o=x/cn=bob" "/mapi/emsmdb/"
t_is "$(field 'rsp: ErrorCode')" 0x00000000 "the cap is per user: bob still connects"

for i in 1 2 3 4 5; do
    sleep 2
    mc alice "$T_TMP/j1" --execute-rops 010000 --handles 1 "$EP"
done
t_is "$(field response_code)" 0 "a session used every 2 s stays alive past the timeout"
sleep 10
mc alice "$T_TMP/j1" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 10 "after 10 s idle: 10 (Context Not Found)"
mc alice "$T_TMP/j2" --execute-rops 010000 --handles 1 "$EP"
t_is "$(field response_code)" 10 "the other idle one too"
mc alice "$T_TMP/j4" --connect "/o=x/cn=alice" "$EP"
t_is "$(field 'rsp: ErrorCode')" 0x00000000 "expired sessions no longer count against the cap"
mh_no_crash
t_ok $? "no child crashed"
t_done
