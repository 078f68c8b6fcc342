#!/bin/bash
# Protocol logs and the mod_status section after real traffic: one TSV file
# per service with a fixed number of fields, and counters that add up every
# child process.
source "$MH_TEST_ENV"
source "$MH_SRCDIR/t/harness/tap.sh"
EP="/mapi/emsmdb/?MailboxId=$MH_MAILBOX_alice@$MH_DOMAIN"
J=$T_TMP/jar
mc alice "$J" --connect "/o=x/cn=alice" "$EP"
mc alice "$J" --execute-rops 010000 --handles 1 "$EP"
rid=$(field request_id)
mc alice "$J" --disconnect "$EP"
st=$(mh_post alice /mapi/nspi/ PING --data-binary '')
mh_post alice /mapi/emsmdb/ Bogus --data-binary '' > /dev/null
sleep 0.5 # log lines of the last requests

L="$MH_APACHE_ROOT/mapihttp-emsmdb.log"
t_ok "$([ -s "$L" ]; echo $?)" "[$MH_MPM] the emsmdb protocol log exists"
t_is "$(awk -F'\t' '{print NF}' "$L" | sort -u)" 14 "every emsmdb line has 14 tab-separated fields"
line=$(grep -F "$rid" "$L" | tail -n 1)
t_like "$line" "	alice@$MH_REALM	$MH_MAILBOX_alice	[0-9a-f]{32}	" "an Execute line names user, mailbox and session"
t_like "$line" '	Execute	1	Release	0	[0-9]+	[0-9]+	[0-9]+$' "and the ROPs, the code, bytes and latency"
t_like "$(grep -P '\tBogus\t' "$L" | tail -n 1)" '	5	' "a refused request is logged with its X-ResponseCode"
t_like "$(grep -c . "$MH_APACHE_ROOT/mapihttp-nspi.log")" '^[1-9]' "the nspi log has the PING"
t_like "$(tail -n 1 "$MH_APACHE_ROOT/mapihttp-proxy.log" | awk -F'\t' '{print NF}')" '^14$' "the proxy log has 14 fields"

for i in 1 2 3; do
    status=$(curl -s --cacert "$MH_CACERT" "$MH_BASE_URL/server-status?auto")
    [[ $status =~ MapiHttpSessions ]] && break
    t_diag "server-status without our section: $(echo "$status" | head -c 300)"
    sleep 0.5
done
t_like "$status" 'MapiHttpSessions: [0-9]+' "server-status?auto shows live sessions"
t_like "$(echo "$status" | awk -F': ' '/^MapiHttpRequestsExecute:/ {print $2}')" '^[1-9]' "and Executes counted across children"
t_like "$(echo "$status" | awk -F': ' '/^MapiHttpResponseCode5:/ {print $2}')" '^[1-9]' "and answers by X-ResponseCode"
t_like "$(curl -s --cacert "$MH_CACERT" "$MH_BASE_URL/server-status")" '<h2>mod_mapihttp</h2>' "the HTML page has a mod_mapihttp section"
t_done
