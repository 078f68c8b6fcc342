#!/bin/bash
# Directive parsing: good values pass `apache2 -t`, bad ones fail it with a
# message that names the directive.
source "$MH_TEST_ENV"
source "$MH_SRCDIR/t/harness/tap.sh"
MOD="$MH_BUILDDIR/mod_mapihttp/.libs/mod_mapihttp.so"
source "$MH_SRCDIR/t/harness/mh-env.sh" # mh_apache2: preloads a sanitizer runtime

conf() { # conf DIRECTIVES... -> runs configtest, output in $T_TMP/ct
    {
        echo "ServerRoot $T_TMP"
        echo "Listen 127.0.0.1:1"
        echo "LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so"
        echo "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so"
        echo "LoadModule mapihttp_module $MOD"
        echo "ErrorLog $T_TMP/err.log"
        echo "PidFile $T_TMP/pid"
        printf '%s\n' "$@"
    } > "$T_TMP/test.conf"
    mh_apache2 -t -f "$T_TMP/test.conf" > "$T_TMP/ct" 2>&1
}
good() { conf "$@"; t_ok $? "accepted: $*"; }
bad() { # bad DIRECTIVE-NAME LINES...
    local name=$1
    shift
    conf "$@"
    local st=$?
    t_ok "$([ $st -ne 0 ]; echo $?)" "refused: $*"
    t_like "$(cat "$T_TMP/ct")" "$name" "  and the message names $name"
}

good "<Location /mapi>" "SetHandler mapihttp" "MapiHttpEnabled Off" "</Location>"
good "MapiHttpSessionTimeout 900" "MapiHttpMaxSessionsPerUser 10" "MapiHttpMaxSessions 5000"
good "MapiHttpInternalUrl https://mail.example.com" "MapiHttpExternalUrl https://mail.example.com:8443/"
good "<Location /mapi>" "MapiHttpPendingPeriod 15000" "MapiHttpMaxRequestSize 1048576" \
    "MapiHttpNotificationWaitTime 60" "</Location>"
bad MapiHttpEnabled "MapiHttpEnabled maybe"
bad MapiHttpSessionTimeout "MapiHttpSessionTimeout 0"
bad MapiHttpSessionTimeout "MapiHttpSessionTimeout 15min"
bad MapiHttpMaxSessionsPerUser "MapiHttpMaxSessionsPerUser -1"
bad MapiHttpMaxSessions "MapiHttpMaxSessions 99999999999"
bad MapiHttpPendingPeriod "<Location /mapi>" "MapiHttpPendingPeriod 10" "</Location>"
bad MapiHttpMaxRequestSize "<Location /mapi>" "MapiHttpMaxRequestSize lots" "</Location>"
bad MapiHttpNotificationWaitTime "<Location /mapi>" "MapiHttpNotificationWaitTime 0" "</Location>"
bad MapiHttpInternalUrl "MapiHttpInternalUrl http://mail.example.com"
bad MapiHttpExternalUrl "MapiHttpExternalUrl https://mail.example.com/mapi/emsmdb/?x=1"
bad MapiHttpSessionTimeout "<Location /mapi>" "MapiHttpSessionTimeout 60" "</Location>"
t_done
