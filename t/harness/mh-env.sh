# mh-env.sh - a real server to test against: a private Kerberos realm and
# Apache (mod_ssl, mod_auth_gssapi, mod_mapihttp) on 127.0.0.1, generated into
# a scratch directory. Sourced by t/run-tests, the demo and the benchmarks.
#
#   mh_env_init DIR          scratch dir, realm, krb5.conf
#   mh_kdc_start             KDC + principals + keytabs (service and users)
#   mh_tls_init              self-signed certificate for localhost/127.0.0.1
#   mh_apache_start NAME MPM [PORT] [EXTRA-DIRECTIVES]
#   mh_apache_graceful NAME | mh_apache_stop NAME
#   mh_kinit USER            a ccache for USER (alice, bob), path printed
#   mh_env_stop              stops everything started
# Everything listens on 127.0.0.1 only.

MH_SRCDIR=${MH_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
MH_BUILDDIR=${MH_BUILDDIR:-$MH_SRCDIR}
MH_REALM=${MH_REALM:-MAPI.TEST}
MH_HOST=localhost
MH_PASSWORD_alice='alice-Pw-1'
MH_PASSWORD_bob='bob-Pw-2'
MH_USERS="alice bob"
MH_NAME_alice='Alice Anders'
MH_NAME_bob='Bob Berg'
MH_DOMAIN=mapi.test

mh_log() { echo "# [harness] $*" >&2; }
mh_die() { echo "# [harness] FATAL: $*" >&2; exit 1; }

# A TCP port on 127.0.0.1 that nothing listens on.
mh_free_port() {
    local p i
    for i in $(seq 1 200); do
        p=$(( (RANDOM % 30000) + 20000 ))
        if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

mh_wait_port() {
    local port=$1 i
    for i in $(seq 1 100); do
        (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

mh_env_init() {
    MH_SCRATCH=$1
    mkdir -p "$MH_SCRATCH"
    MH_SCRATCH=$(cd "$MH_SCRATCH" && pwd)
    chmod 755 "$MH_SCRATCH"
    mkdir -p "$MH_SCRATCH/krb5kdc" "$MH_SCRATCH/ccache" "$MH_SCRATCH/tls"
    export MH_SCRATCH MH_REALM MH_HOST MH_SRCDIR MH_BUILDDIR
    export KRB5_CONFIG="$MH_SCRATCH/krb5.conf"
    export KRB5_KDC_PROFILE="$MH_SCRATCH/krb5kdc/kdc.conf"
    export KRB5_TRACE_OFF=1
    unset KRB5CCNAME
    MH_PIDS_FILE="$MH_SCRATCH/pids"
    : > "$MH_PIDS_FILE"
    if [ "$(id -u)" = 0 ]; then
        MH_APACHE_USER=www-data
    else
        MH_APACHE_USER=""
    fi
}

mh_kdc_start() {
    local kdc_port kdb="$MH_SCRATCH/krb5kdc"
    kdc_port=$(mh_free_port) || mh_die "no free port for the KDC"
    MH_KDC_PORT=$kdc_port
    cat > "$KRB5_CONFIG" <<KRB
[libdefaults]
    default_realm = $MH_REALM
    dns_lookup_realm = false
    dns_lookup_kdc = false
    rdns = false
    dns_canonicalize_hostname = false
    ignore_acceptor_hostname = true
    udp_preference_limit = 1
    forwardable = true
[realms]
    $MH_REALM = {
        kdc = 127.0.0.1:$kdc_port
        admin_server = 127.0.0.1:$kdc_port
    }
[domain_realm]
    localhost = $MH_REALM
    127.0.0.1 = $MH_REALM
KRB
    cat > "$KRB5_KDC_PROFILE" <<KDC
[kdcdefaults]
    kdc_listen = 127.0.0.1:$kdc_port
    kdc_tcp_listen = 127.0.0.1:$kdc_port
[realms]
    $MH_REALM = {
        database_name = $kdb/principal
        key_stash_file = $kdb/stash
        acl_file = $kdb/kadm5.acl
        max_life = 10h
        max_renewable_life = 7d
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }
[logging]
    kdc = FILE:$kdb/kdc.log
KDC
    : > "$kdb/kadm5.acl"
    kdb5_util -r "$MH_REALM" -P "master-$$-pw" create -s > "$kdb/create.log" 2>&1 ||
        mh_die "kdb5_util create failed: $(cat "$kdb/create.log")"
    local u
    for u in $MH_USERS; do
        local pwvar="MH_PASSWORD_$u"
        kadmin.local -r "$MH_REALM" -q "addprinc -pw ${!pwvar} $u" > /dev/null 2>&1 ||
            mh_die "addprinc $u failed"
    done
    kadmin.local -r "$MH_REALM" -q "addprinc -randkey HTTP/localhost" > /dev/null 2>&1
    kadmin.local -r "$MH_REALM" -q "addprinc -randkey HTTP/127.0.0.1" > /dev/null 2>&1
    MH_KEYTAB="$MH_SCRATCH/http.keytab"
    kadmin.local -r "$MH_REALM" -q "ktadd -k $MH_KEYTAB HTTP/localhost HTTP/127.0.0.1" > /dev/null 2>&1 ||
        mh_die "ktadd failed"
    if [ -n "$MH_APACHE_USER" ]; then
        chgrp "$MH_APACHE_USER" "$MH_KEYTAB" && chmod 640 "$MH_KEYTAB"
    fi
    krb5kdc -n -P "$kdb/kdc.pid" > "$kdb/kdc.out" 2>&1 &
    echo "$! kdc" >> "$MH_PIDS_FILE"
    mh_wait_port "$kdc_port" || mh_die "KDC did not start: $(cat "$kdb/kdc.out" "$kdb/kdc.log" 2>/dev/null)"
    export MH_KDC_PORT MH_KEYTAB
    mh_log "KDC for $MH_REALM on 127.0.0.1:$kdc_port"
}

# Prints the ccache path of USER, getting a ticket with the password.
mh_kinit() {
    local u=$1 pwvar="MH_PASSWORD_$1" cc="$MH_SCRATCH/ccache/$1"
    if ! KRB5CCNAME="FILE:$cc" klist -s 2>/dev/null; then
        echo "${!pwvar}" | KRB5CCNAME="FILE:$cc" kinit "$u@$MH_REALM" > /dev/null 2>&1 ||
            mh_die "kinit $u failed"
    fi
    echo "FILE:$cc"
}

mh_tls_init() {
    local d="$MH_SCRATCH/tls"
    MH_CERT="$d/server.crt"
    MH_KEY="$d/server.key"
    if [ ! -s "$MH_CERT" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "basicConstraints=critical,CA:FALSE" \
            -keyout "$MH_KEY" -out "$MH_CERT" > "$d/openssl.log" 2>&1 || mh_die "openssl req failed"
    fi
    chmod 644 "$MH_CERT"
    export MH_CERT MH_KEY
}

# apache2 as a command (-k graceful/stop, -t): with the sanitizer runtime
# preloaded when the configuration (-f FILE) loads a sanitizer-built module.
mh_apache2() {
    local conf="" prev="" a mod preload=""
    for a in "$@"; do
        [ "$prev" = "-f" ] && conf=$a
        prev=$a
    done
    mod=$(awk '$1 == "LoadModule" && $2 == "mapihttp_module" {print $3}' "$conf" 2>/dev/null)
    if [ -n "$mod" ] && ldd "$mod" 2>/dev/null | grep -q libasan; then
        preload=$(ldd "$mod" | awk '/libasan/ {print $3}')
        ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}" LD_PRELOAD="$preload" apache2 "$@"
        return
    fi
    apache2 "$@"
}

# The message store every Apache of this run serves: one database, a mailbox
# per test user (alice@mapi.test, bob@mapi.test, login user@REALM).
mh_store_setup() {
    local st="$MH_SCRATCH/store" cli="$MH_BUILDDIR/store/mapistore" u out namevar
    [ -x "$cli" ] || mh_die "store CLI not built: $cli"
    rm -rf "$st"
    "$cli" -r "$st" init > "$MH_SCRATCH/store-init.log" 2>&1 || mh_die "mapistore init: $(cat "$MH_SCRATCH/store-init.log")"
    for u in $MH_USERS; do
        namevar="MH_NAME_$u"
        out=$("$cli" -r "$st" mailbox create --smtp "$u@$MH_DOMAIN" --name "${!namevar}" --login "$u@$MH_REALM" 2>&1) ||
            mh_die "mailbox create $u: $out"
        eval "MH_MAILBOX_$u=$(echo "$out" | awk '/^created mailbox/ {print $3}')"
        export "MH_MAILBOX_$u"
    done
    [ -n "$MH_APACHE_USER" ] && chown -R "$MH_APACHE_USER" "$st"
    MH_STORE=$st
    export MH_STORE
    mh_log "store $st: mailboxes $(for u in $MH_USERS; do v=MH_MAILBOX_$u; printf '%s=%s ' "$u" "${!v}"; done)"
}

# mh_apache_start NAME MPM [PORT] [EXTRA]: generated config in $MH_SCRATCH/apache-NAME.
mh_apache_start_once() {
    local name=$1 mpm=$2 port=${3:-} extra=${4:-}
    local root="$MH_SCRATCH/apache-$name" module hello user_group="" threads=${MH_THREADS:-64}
    [ -n "$port" ] || port=$(mh_free_port) || mh_die "no free port"
    module="$MH_BUILDDIR/mod_mapihttp/.libs/mod_mapihttp.so"
    hello="$MH_BUILDDIR/bench/.libs/mod_mapihello.so"
    [ -f "$module" ] || mh_die "module not built: $module"
    mkdir -p "$root/run/sessions" "$MH_SCRATCH/store"
    if [ -n "$MH_APACHE_USER" ]; then
        user_group="User $MH_APACHE_USER
Group $MH_APACHE_USER"
        chown -R "$MH_APACHE_USER" "$root/run" "$MH_SCRATCH/store"
    fi
    sed -e "s|@SERVER_ROOT@|$root|g" -e "s|@PORT@|$port|g" -e "s|@MPM@|$mpm|g" \
        -e "s|@MODULE@|$module|g" -e "s|@HELLO_MODULE@|$hello|g" \
        -e "s|@CERT@|$MH_CERT|g" -e "s|@KEY@|$MH_KEY|g" -e "s|@KEYTAB@|$MH_KEYTAB|g" \
        -e "s|@CONF_DIR@|$MH_SRCDIR/apache-conf|g" -e "s|@STORE@|$MH_SCRATCH/store|g" \
        -e "s|@THREADS@|$threads|g" -e "s|@MAX_WORKERS@|$((threads * ${MH_SERVER_LIMIT:-4}))|g" \
        -e "s|@SERVER_LIMIT@|${MH_SERVER_LIMIT:-4}|g" \
        -e "s|@START_SERVERS@|${MH_START_SERVERS:-2}|g" \
        "$MH_SRCDIR/apache-conf/httpd-test.conf.in" > "$root/httpd.conf.tmp"
    # multi-line substitutions
    awk -v ug="$user_group" -v ex="$extra" '{ gsub(/@USER_GROUP@/, ug); gsub(/@EXTRA@/, ex); print }' \
        "$root/httpd.conf.tmp" > "$root/httpd.conf" && rm -f "$root/httpd.conf.tmp"
    mh_apache2 -t -f "$root/httpd.conf" > "$root/configtest.log" 2>&1 ||
        mh_die "configtest failed for $name: $(cat "$root/configtest.log")"
    # A sanitizer-built module reports into files beside the logs.
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:log_path=$root/asan" \
        UBSAN_OPTIONS="print_stacktrace=1:log_path=$root/ubsan" \
        KRB5_KTNAME="$MH_KEYTAB" mh_apache2 -f "$root/httpd.conf" -k start > "$root/start.log" 2>&1 ||
        return 1
    mh_wait_port "$port" || mh_die "apache $name not listening: $(cat "$root/error.log")"
    echo "apache:$root apache" >> "$MH_PIDS_FILE"
    eval "MH_PORT_$name=$port"
    export "MH_PORT_$name"
    mh_log "apache '$name' ($mpm MPM) on https://localhost:$port/"
}

# A port found free can be taken by someone else before Apache binds it:
# retry on a new port (unless the caller fixed the port).
mh_apache_start() {
    local try
    for try in 1 2 3 4 5; do
        mh_apache_start_once "$@" && return 0
        [ -n "${3:-}" ] && break
        grep -q "Address already in use" "$MH_SCRATCH/apache-$1/start.log" 2>/dev/null || break
        mh_log "port taken, retrying apache '$1' on another port"
    done
    mh_die "apache $1 did not start: $(cat "$MH_SCRATCH/apache-$1/start.log" "$MH_SCRATCH/apache-$1/error.log" 2>/dev/null)"
}

mh_apache_graceful() {
    local root="$MH_SCRATCH/apache-$1"
    mh_apache2 -f "$root/httpd.conf" -k graceful > /dev/null 2>&1
}

mh_apache_stop() {
    local root="$MH_SCRATCH/apache-$1" pid i
    [ -f "$root/httpd.pid" ] || return 0
    pid=$(cat "$root/httpd.pid" 2>/dev/null)
    mh_apache2 -f "$root/httpd.conf" -k stop > /dev/null 2>&1
    for i in $(seq 1 50); do
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    return 0
}

mh_env_stop() {
    [ -n "${MH_PIDS_FILE:-}" ] && [ -f "$MH_PIDS_FILE" ] || return 0
    local what kind
    while read -r what kind; do
        case "$what" in
        apache:*) mh_apache_stop "$(basename "${what#apache:}" | sed 's/^apache-//')" ;;
        *) kill "$what" 2>/dev/null ;;
        esac
    done < "$MH_PIDS_FILE"
    : > "$MH_PIDS_FILE"
}

# Writes $MH_SCRATCH/env-NAME.sh: what a test needs to reach server NAME.
mh_write_test_env() {
    local name=$1 mpm=$2 portvar="MH_PORT_$1"
    cat > "$MH_SCRATCH/env-$name.sh" <<ENV
export MH_SRCDIR='$MH_SRCDIR' MH_BUILDDIR='$MH_BUILDDIR' MH_SCRATCH='$MH_SCRATCH'
export MH_SERVER='$name' MH_MPM='$mpm' MH_PORT='${!portvar}'
export MH_BASE_URL='https://localhost:${!portvar}'
export MH_CACERT='$MH_CERT' MH_REALM='$MH_REALM'
export KRB5_CONFIG='$KRB5_CONFIG'
export MH_CCACHE_alice='$(mh_kinit alice)' MH_CCACHE_bob='$(mh_kinit bob)'
export MH_PASSWORD_alice='$MH_PASSWORD_alice' MH_PASSWORD_bob='$MH_PASSWORD_bob'
export MH_APACHE_ROOT='$MH_SCRATCH/apache-$name'
export MH_APACHE_CONF='$MH_SCRATCH/apache-$name/httpd.conf'
export MH_ERROR_LOG='$MH_SCRATCH/apache-$name/error.log'
export MH_SESSION_DIR='$MH_SCRATCH/apache-$name/run/sessions'
export MH_STORE='$MH_SCRATCH/store' MH_DOMAIN='$MH_DOMAIN'
export MH_MAILBOX_alice='${MH_MAILBOX_alice:-}' MH_MAILBOX_bob='${MH_MAILBOX_bob:-}'
export MH_KEYTAB='$MH_KEYTAB' MH_CERT='$MH_CERT' MH_KEY='$MH_KEY' MH_APACHE_USER='$MH_APACHE_USER'
export MH_PIDS_FILE='$MH_SCRATCH/pids-tests'
ENV
}
