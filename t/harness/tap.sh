# tap.sh - TAP for the bash integration tests, and MAPI/HTTP request helpers.
# Source it after the server's env file ($MH_TEST_ENV).
T_N=0
T_FAIL=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mhtest.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT

t_ok() { # t_ok STATUS NAME
    local st=$1
    shift
    T_N=$((T_N + 1))
    if [ "$st" -eq 0 ]; then
        echo "ok $T_N - $*"
    else
        T_FAIL=$((T_FAIL + 1))
        echo "not ok $T_N - $*"
    fi
    return "$st"
}
t_is() { # t_is GOT WANT NAME
    local got=$1 want=$2
    shift 2
    if [ "$got" = "$want" ]; then t_ok 0 "$*"; else
        t_ok 1 "$*"
        echo "#   got: '$got'"
        echo "#   expected: '$want'"
    fi
}
t_like() { # t_like GOT ERE NAME
    local got=$1 re=$2
    shift 2
    if [[ $got =~ $re ]]; then t_ok 0 "$*"; else
        t_ok 1 "$*"
        echo "#   got: '$got'"
        echo "#   expected to match: /$re/"
    fi
}
t_diag() { echo "# $*"; }
t_done() {
    echo "1..$T_N"
    [ "$T_FAIL" -eq 0 ]
}
t_skip_all() {
    echo "1..0 # SKIP $*"
    exit 0
}

# mh_post AUTH URLPATH TYPE [curl args...]: one request; AUTH is alice|bob
# (Negotiate with that user's ticket), basic:USER:PASS, or none. Headers go to
# $T_TMP/h, the body to $T_TMP/b; prints the HTTP status.
MH_REQ_N=0
echo 0 > "$T_TMP/n"
mh_post() {
    local auth=$1 path=$2 type=$3
    shift 3
    local args=(-sS -o "$T_TMP/b" -D "$T_TMP/h" -w '%{http_code}' --cacert "$MH_CACERT" -X POST)
    MH_REQ_N=$(( $(cat "$T_TMP/n") + 1 ))
    echo "$MH_REQ_N" > "$T_TMP/n"
    case "$auth" in
    none) ;;
    basic:*) args+=(-u "${auth#basic:}") ;;
    *)
        local ccvar="MH_CCACHE_$auth"
        args+=(--negotiate -u :)
        export KRB5CCNAME="${!ccvar}"
        ;;
    esac
    [ -n "$type" ] && args+=(-H "X-RequestType: $type")
    args+=(-H "X-RequestId: ${MH_RID-{6bb3e7a0-7f2c-4a3e-9d0f-$(printf '%012d' $$)\}:$MH_REQ_N}"
        -H "X-ClientInfo: {0b3f5a61-1c2d-4e5f-8a9b-0c1d2e3f4a5b}-$MH_REQ_N"
        -H "X-ClientApplication: MapiHttpTests/1.0"
        -H "Content-Type: ${MH_CT-application/mapi-http}")
    curl "${args[@]}" "$@" "$MH_BASE_URL$path"
}
# The request number of the last mh_post.
last_n() { cat "$T_TMP/n"; }
# The last body on one line: CR shown as ^M, each LF as $|.
body_line() { cat -A "$T_TMP/b" | tr '\n' '|'; }
# hdr NAME: a response header's value from the last mh_post.
hdr() {
    tr -d '\r' < "$T_TMP/h" | awk -v n="$1" 'BEGIN{IGNORECASE=1} { i=index($0,":"); if (i && tolower(substr($0,1,i-1))==tolower(n)) { v=substr($0,i+1); sub(/^[ \t]+/,"",v); print v } }' | tail -n 1
}
# The error log must show no crashed child.
mh_no_crash() {
    ! grep -E 'exit signal|Segmentation|AddressSanitizer|runtime error' "$MH_ERROR_LOG" > /dev/null &&
        ! cat "$MH_APACHE_ROOT"/asan* "$MH_APACHE_ROOT"/ubsan* 2>/dev/null | grep -q .
}

# mc USER JAR [mapicurl args...] PATH: one request with the test client;
# USER is alice|bob (Negotiate) or basic:U:P. Output in $T_TMP/mc.out.
MAPICURL="$MH_BUILDDIR/client/mapicurl"
mc() {
    local user=$1 jar=$2
    shift 2
    local auth=(--negotiate) url="$MH_BASE_URL${*: -1}"
    case "$user" in
    basic:*) auth=(--basic "${user#basic:}") ;;
    *)
        local ccvar="MH_CCACHE_$user"
        export KRB5CCNAME="${!ccvar}"
        ;;
    esac
    "$MAPICURL" "${auth[@]}" --cacert "$MH_CACERT" --cookie-jar "$jar" --decode "${@:1:$#-1}" "$url" \
        > "$T_TMP/mc.out" 2> "$T_TMP/mc.err" || sed "s/^/# mapicurl: /" "$T_TMP/mc.err"
}
# field NAME: the value of a "NAME: value" line of the last mc output (first match).
field() { awk -v n="$1: " 'index($0, n) == 1 { print substr($0, length(n) + 1); exit }' "$T_TMP/mc.out"; }
# jar_get JAR NAME: a cookie value in a mapicurl cookie jar.
jar_get() { grep -h "^$2=" "$1" 2>/dev/null | head -n 1 | cut -d= -f2 | cut -d';' -f1; }
