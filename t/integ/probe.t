#!/bin/bash
# mapiprobe, the self-test probe, against the test server: the steps that
# the server serves succeed, a step that fails names its ROP/request and
# error, --json is valid JSON with the same verdict, and a broken URL or
# bad credentials give a clear failure and a non-zero exit status.
source "$MH_TEST_ENV"
source "$MH_SRCDIR/t/harness/tap.sh"

PROBE="$MH_BUILDDIR/client/mapiprobe"
[ -x "$PROBE" ] || t_skip_all "mapiprobe not built"

# The probe's own unit checks (response reader, XML extractor, JSON), re-emitted here.
"$MH_BUILDDIR/client/probe_selftest" > "$T_TMP/self" 2>&1
self_rc=$?
while IFS= read -r line; do
    case "$line" in
    "ok "*) t_ok 0 "selftest: ${line#ok * - }" ;;
    "not ok "*) t_ok 1 "selftest: ${line#not ok * - }" ;;
    "#"*) echo "$line" ;;
    esac
done < "$T_TMP/self"
t_is "$self_rc" 0 "probe_selftest exit status"

# The probe starts with autodiscover: without that Location nothing else can run.
st=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$MH_CACERT" -X POST --data-binary '<x/>' \
    "$MH_BASE_URL/autodiscover/autodiscover.xml")
if [ "$st" = 404 ]; then
    t_diag "SKIP the server part: no autodiscover Location in the test Apache config (Include autodiscover.conf missing)"
    t_done
    exit $?
fi

# probe AUTH [args...]: runs the probe; stdout in $T_TMP/out, status in $T_TMP/rc
probe() {
    local auth=$1
    shift
    case "$auth" in
    basic:*) "$PROBE" --basic "${auth#basic:}" --cacert "$MH_CACERT" "$@" > "$T_TMP/out" 2> "$T_TMP/err" ;;
    *)
        local ccvar="MH_CCACHE_$auth"
        KRB5CCNAME="${!ccvar}" "$PROBE" --cacert "$MH_CACERT" "$@" > "$T_TMP/out" 2> "$T_TMP/err"
        ;;
    esac
    echo $? > "$T_TMP/rc"
}
rc() { cat "$T_TMP/rc"; }
# row STEP: "Result<TAB>rest of the line" of the table row of STEP
row() { awk -v id="OutlookMapiHttpSelfTestProbe\\\\$1" '$1 == id { r = $4; $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print r "\t" $0 }' "$T_TMP/out"; }
result() { row "$1" | cut -f1; }
text() { row "$1" | cut -f2-; }

ALL_STEPS="Autodiscover Connect Logon OpenFolder GetContentsTable QueryRows OpenMessage GetPropertiesSpecific Bind ResolveNames Unbind Disconnect"
# Served today (transport, logon, NSPI); the folder/table/message ROPs may
# not be yet, and then must fail by name.
MUST_WORK="Autodiscover Connect Logon Bind ResolveNames Unbind Disconnect"
ROP_STEPS="OpenFolder GetContentsTable QueryRows OpenMessage GetPropertiesSpecific"

# A message in alice's Inbox (as t/integ/rop-message.t does) so that the
# probe has one to read; the Inbox may hold other tests' messages too.
subject="Probe self-test $$ $(date +%s)"
printf 'From: Carol <carol@example.test>\r\nTo: alice@%s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <probe-%s@example.test>\r\n\r\nhello\r\n' \
    "$MH_DOMAIN" "$subject" "$(date -R)" "$$" > "$T_TMP/probe.eml"
"$MH_BUILDDIR/store/mapistore" -r "$MH_STORE" import "alice@$MH_DOMAIN" --folder Inbox "$T_TMP/probe.eml" > "$T_TMP/import" 2>&1
t_ok $? "a test message imported into alice's Inbox with the store CLI"

# ---- alice with Kerberos ----------------------------------------------------
probe alice "$MH_BASE_URL" "alice@$MH_DOMAIN"
t_like "$(head -n 1 "$T_TMP/out")" '^MonitorIdentity +StartTime +EndTime +Result +Latency +Error' \
    "[$MH_MPM] table header: MonitorIdentity, StartTime, EndTime, Result, Latency, Error / Exception"
t_is "$(awk 'NR > 1 { sub(/^OutlookMapiHttpSelfTestProbe\\?/, "", $1); printf "%s ", $1 }' "$T_TMP/out")" \
    "$ALL_STEPS  " "one row per step in order, then the summary row"
for s in $MUST_WORK; do
    t_is "$(result $s)" Succeeded "$s: Succeeded"
done
t_like "$(text Autodiscover)" "MailStore $MH_BASE_URL/mapi/emsmdb/\\?MailboxId=$MH_MAILBOX_alice@$MH_DOMAIN" \
    "Autodiscover found alice's MailStore URL"
t_like "$(text ResolveNames)" "alice@$MH_DOMAIN -> MId 0x[0-9A-F]{8} \"Alice Anders\"" "ResolveNames resolved alice to her entry"
failed_rops=0
for s in $ROP_STEPS; do
    r=$(result $s)
    case "$r" in
    Succeeded) t_ok 0 "$s: Succeeded ($(text $s))" ;;
    Skipped) t_like "$(text $s)" '^not run: ' "$s: Skipped, saying why ($(text $s))" ;;
    Failed)
        failed_rops=$((failed_rops + 1))
        t_like "$(text $s)" '^(Execute \()?Rop[A-Za-z]+\)?: ec[A-Za-z]+ \(0x[0-9A-F]{8}\)' \
            "$s: Failed, naming the ROP and its error ($(text $s | cut -c1-60))"
        ;;
    *) t_ok 1 "$s: unexpected Result '$r'" ;;
    esac
done
if [ "$failed_rops" -eq 0 ]; then
    t_is "$(rc)" 0 "every step succeeded (or was skipped for an empty Inbox): exit status 0"
    t_like "$(tail -n 1 "$T_TMP/out")" '^OutlookMapiHttpSelfTestProbe +[^ ]+ +[^ ]+ +Succeeded ' "summary row Succeeded"
else
    t_diag "$failed_rops mailbox step(s) fail today: $(grep ' Failed ' "$T_TMP/out" | awk '$1 ~ /[\\]/ {print $1}' | tr '\n' ' ')"
    t_is "$(rc)" 1 "a failed step: exit status 1"
    t_like "$(tail -n 1 "$T_TMP/out")" '^OutlookMapiHttpSelfTestProbe +[^ ]+ +[^ ]+ +Failed ' "summary row Failed"
fi
if [ "$(result GetPropertiesSpecific)" = Succeeded ]; then
    t_like "$(text GetContentsTable)" '^[1-9][0-9]* row\(s\)' "GetContentsTable counted the Inbox's messages"
    t_like "$(text QueryRows)" '1 row, mid 0x[0-9a-f]{16}' "QueryRows returned one row with its MId"
    got=$(text GetPropertiesSpecific | sed -n 's/^subject "\(.*\)"$/\1/p')
    "$MH_BUILDDIR/store/mapistore" -r "$MH_STORE" ls "alice@$MH_DOMAIN" --folder Inbox | cut -f3 > "$T_TMP/subjects"
    t_ok "$(grep -qxF -- "$got" "$T_TMP/subjects"; echo $?)" "the subject the probe read ('$got') is one the store holds in the Inbox"
elif [ "$(result QueryRows)" = Succeeded ] && [ "$(result OpenMessage)" = Skipped ]; then
    t_ok 1 "the Inbox has a message, so OpenMessage/GetPropertiesSpecific must run ($(text OpenMessage))"
fi
t_like "$(awk '$1 ~ /Connect$/ { print $2 " " $3 }' "$T_TMP/out")" \
    '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z$' \
    "StartTime and EndTime are ISO 8601 UTC"
t_like "$(awk '$1 ~ /Connect$/ { print $5 }' "$T_TMP/out")" '^[0-9]+\.[0-9]ms$' "latency in ms"
alice_rc=$(rc)

# ---- --json ---------------------------------------------------------------
probe alice --json "$MH_BASE_URL" "alice@$MH_DOMAIN"
python3 -m json.tool < "$T_TMP/out" > /dev/null 2>&1
t_ok $? "--json output is valid JSON (python3 -m json.tool)"
check=$(python3 - "$T_TMP/out" "$(rc)" "$ALL_STEPS" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rc = int(sys.argv[2])
want = sys.argv[3].split()
errs = []
steps = d["Steps"]
if [s["Step"] for s in steps] != want: errs.append("steps %s" % [s["Step"] for s in steps])
for s in steps:
    for k in ("MonitorIdentity", "StartTime", "EndTime", "Result", "LatencyMs", "Error", "Exception"):
        if k not in s: errs.append("%s lacks %s" % (s["Step"], k))
    if s["Result"] == "Failed" and not s["Error"]: errs.append("%s failed without Error" % s["Step"])
    if not s["MonitorIdentity"].startswith("OutlookMapiHttpSelfTestProbe\\"): errs.append("identity " + s["MonitorIdentity"])
failed = any(s["Result"] == "Failed" for s in steps)
if d["Result"] != ("Failed" if failed else "Succeeded"): errs.append("overall Result %s" % d["Result"])
if (rc == 0) == failed: errs.append("exit status %d with failed=%s" % (rc, failed))
print("; ".join(errs) or "ok")
PY
)
t_is "$check" ok "--json: every step with the fields, Result consistent with the steps and the exit status"
t_is "$(rc)" "$alice_rc" "--json gives the same exit status as the table"

# ---- bob with Basic -------------------------------------------------------------
probe "basic:bob:$MH_PASSWORD_bob" "$MH_BASE_URL" "bob@$MH_DOMAIN"
t_is "$(result Autodiscover)/$(result Connect)/$(result Logon)" Succeeded/Succeeded/Succeeded \
    "bob with --basic: Autodiscover, Connect, Logon succeed"
t_like "$(text Autodiscover)" "MailboxId=$MH_MAILBOX_bob@" "bob's own MailStore URL"

MAPIPROBE_PASSWORD="$MH_PASSWORD_bob" "$PROBE" --basic bob --cacert "$MH_CACERT" "$MH_BASE_URL" "bob@$MH_DOMAIN" > "$T_TMP/out" 2>&1
t_is "$(result Connect)" Succeeded "--basic USER with the password in \$MAPIPROBE_PASSWORD"
env -u MAPIPROBE_PASSWORD "$PROBE" --basic bob "$MH_BASE_URL" "bob@$MH_DOMAIN" > /dev/null 2>&1
t_is $? 2 "--basic USER without \$MAPIPROBE_PASSWORD: exit status 2"

# ---- failures: clear, non-zero ------------------------------------------------
probe "basic:bob:wrong-password" "$MH_BASE_URL" "bob@$MH_DOMAIN"
t_is "$(rc)" 1 "wrong password: exit status 1"
t_like "$(text Autodiscover)" 'Autodiscover: HTTP 401' "wrong password: Autodiscover fails with HTTP 401"
t_is "$(result Connect)" Skipped "wrong password: later steps are Skipped, not faked"
t_like "$(text Disconnect)" '^not run: Autodiscover failed' "wrong password: says why they did not run"

probe alice "https://localhost:1" "alice@$MH_DOMAIN"
t_is "$(rc)" 1 "closed port: exit status 1"
t_like "$(text Autodiscover)" "Couldn't connect|connect" "closed port: the transport error is shown"

probe alice "$MH_BASE_URL/no/such/place" "alice@$MH_DOMAIN"
t_is "$(rc)/$(result Autodiscover)" 1/Failed "a URL with no autodiscover behind it: Failed, exit status 1"
t_like "$(text Autodiscover)" 'HTTP (404|401)' "... with its HTTP status"

probe alice "$MH_BASE_URL" "bob@$MH_DOMAIN"
t_is "$(rc)" 1 "another user's address: exit status 1"
t_like "$(text Autodiscover)" 'ErrorCode 500' "another user's address: Autodiscover ErrorCode 500"

probe alice --json "https://localhost:1" "alice@$MH_DOMAIN"
python3 -m json.tool < "$T_TMP/out" > /dev/null 2>&1
t_ok $? "--json stays valid JSON on failure"

# ---- usage -------------------------------------------------------------------
"$PROBE" > /dev/null 2>&1
t_is $? 2 "no arguments: exit status 2"
"$PROBE" "$MH_BASE_URL" 'not-an-address' > /dev/null 2>&1
t_is $? 2 "an EMAIL without @: exit status 2"
"$PROBE" "$MH_BASE_URL" 'a<b@x.test' > /dev/null 2>&1
t_is $? 2 "an EMAIL with markup characters: exit status 2"
help=$("$PROBE" --help)
t_is $? 0 "--help: exit status 0"
missing=""
for s in $ALL_STEPS --basic --cacert --insecure --json --external; do
    [[ $help == *"$s"* ]] || missing="$missing $s"
done
t_is "$missing" "" "--help names every step and option"

mh_no_crash
t_ok $? "no child crashed (error log)"
t_done
