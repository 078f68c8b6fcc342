#!/bin/bash
# PING end to end ([MS-OXCMAPIHTTP] 2.2.2-2.2.4, 2.2.6) and the transport
# checks every request meets (2.2.3.3.3 X-ResponseCode), through Apache with
# TLS and Kerberos, under the MPM named by $MH_MPM.
source "$MH_TEST_ENV"
source "$MH_SRCDIR/t/harness/tap.sh"

for ep in emsmdb nspi; do
    st=$(mh_post alice /mapi/$ep/ PING --data-binary '')
    t_is "$st" 200 "[$MH_MPM] $ep PING with Negotiate: HTTP 200"
    t_is "$(hdr Content-Type)" application/mapi-http "$ep PING: Content-Type"
    t_is "$(hdr X-ResponseCode)" 0 "$ep PING: X-ResponseCode 0"
    t_is "$(hdr X-RequestType)" PING "$ep PING: X-RequestType echoed"
    t_like "$(hdr X-RequestId)" "^\{6bb3e7a0-.*\}:$(last_n)\$" "$ep PING: X-RequestId echoed"
    t_like "$(hdr X-ClientInfo)" "^\{0b3f5a61-.*\}-$(last_n)\$" "$ep PING: X-ClientInfo echoed"
    t_like "$(hdr X-ServerApplication)" '^mod_mapihttp/[0-9.]+$' "$ep PING: X-ServerApplication"
    t_is "$(hdr X-PendingPeriod)" 30000 "$ep PING: X-PendingPeriod is the spec's default"
    t_is "$(hdr X-ExpirationInfo)" 900000 "$ep PING: X-ExpirationInfo announces 15 min"
    t_is "$(hdr Cache-Control)" private "$ep PING: Cache-Control private"
    t_like "$(body_line)" '^PROCESSING\^M\$\|DONE\^M\$\|X-ResponseCode: 0\^M\$\|X-ElapsedTime: [0-9]+\^M\$\|X-StartTime: [A-Z][a-z][a-z], [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT\^M\$\|\^M\$\|$' \
        "$ep PING: body is PROCESSING, DONE, additional headers, blank line"
done

st=$(mh_post basic:bob:$MH_PASSWORD_bob /mapi/emsmdb/ PING --data-binary '')
t_is "$st/$(hdr X-ResponseCode)" 200/0 "Basic over TLS (GssapiBasicAuth) works for PING"

st=$(mh_post none /mapi/emsmdb/ PING --data-binary '')
t_is "$st" 401 "no credentials: 401"
t_like "$(grep -i '^WWW-Authenticate:' "$T_TMP/h" | tr -d '\r' | head -n 1)" '^WWW-Authenticate: Negotiate' \
    "401 offers Negotiate"
st=$(mh_post basic:bob:wrong-password /mapi/emsmdb/ PING --data-binary '')
t_is "$st" 401 "wrong Basic password: 401"

# Each transport error: HTTP 200, the spec's X-ResponseCode, a diagnostic body.
check_error() { # check_error CODE NAME -- mh_post args
    local code=$1 name=$2
    shift 3
    local st
    st=$(mh_post "$@")
    t_is "$st/$(hdr X-ResponseCode)" "200/$code" "$name: HTTP 200 and X-ResponseCode $code"
    t_like "$(cat "$T_TMP/b")" "X-ResponseCode: $code" "$name: diagnostic body names the code"
    t_like "$(hdr X-RequestId)" '^\{6bb3e7a0-' "$name: X-RequestId still echoed"
}
check_error 2 "GET instead of POST" -- alice /mapi/emsmdb/ PING -X GET
check_error 2 "PUT instead of POST" -- alice /mapi/emsmdb/ PING -X PUT --data-binary ''
check_error 5 "unknown X-RequestType" -- alice /mapi/emsmdb/ Frobnicate --data-binary ''
check_error 5 "an NSPI request type on emsmdb" -- alice /mapi/emsmdb/ Bind --data-binary ''
check_error 5 "an emsmdb request type on nspi" -- alice /mapi/nspi/ Connect --data-binary ''
check_error 7 "missing X-RequestType" -- alice /mapi/emsmdb/ '' --data-binary ''
MH_CT=text/plain check_error 4 "wrong Content-Type" -- alice /mapi/emsmdb/ PING --data-binary ''
check_error 3 "a path that names no endpoint" -- alice /mapi/nosuch/ PING --data-binary ''
check_error 16 "MapiHttpEnabled Off" -- alice /mapi/off/emsmdb/ PING --data-binary ''
check_error 9 "body over MapiHttpMaxRequestSize" -- alice /mapi/limits/emsmdb/ PING --data-binary "$(head -c 2000 /dev/zero | tr '\0' x)"

st=$(MH_RID= mh_post alice /mapi/emsmdb/ PING --data-binary '')
t_is "$st/$(hdr X-ResponseCode)" 200/7 "missing X-RequestId: X-ResponseCode 7"
st=$(MH_CT= mh_post alice /mapi/emsmdb/ PING --data-binary '')
t_is "$st/$(hdr X-ResponseCode)" 200/7 "missing Content-Type: X-ResponseCode 7"
st=$(MH_RID="$(head -c 600 /dev/zero | tr '\0' a)" mh_post alice /mapi/emsmdb/ PING --data-binary '')
t_is "$st/$(hdr X-ResponseCode)" 200/4 "an over-long X-RequestId: X-ResponseCode 4"
st=$(mh_post alice /mapi/emsmdb/ ping --data-binary '')
t_is "$st/$(hdr X-ResponseCode)/$(hdr X-RequestType)" 200/0/PING "request type names are matched without case"

mh_no_crash
t_ok $? "no child crashed (error log)"
t_like "$(grep -c 'MH00101' "$MH_ERROR_LOG")" '^[1-9][0-9]*$' "each refused request left a tagged log line"
t_done
