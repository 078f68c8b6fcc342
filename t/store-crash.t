#!/bin/bash
# store-crash.t - kill -9 the mapistore CLI at random moments during imports,
# 100 times. After each kill: `mapistore check` is clean, and every message the
# CLI reported as committed ("committed N MID MESSAGE-ID SOURCE") is present.
# TAP output. ITERATIONS (default 100) and MSGS (messages per mbox) tunable.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
BIN=${MAPISTORE_BIN:-${MH_BUILDDIR:-$TOP}/store/mapistore}
ITERATIONS=${ITERATIONS:-100}
MSGS=${MSGS:-300}
if [ ! -x "$BIN" ]; then
    echo "1..0 # SKIP $BIN not built"
    exit 0
fi
TMP=$(mktemp -d /tmp/ms-crash.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
ROOT=$TMP/store
ms() { "$BIN" -r "$ROOT" "$@"; }

n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }

ms init >/dev/null && ms mailbox create --smtp crash@example.test --login crash@EXAMPLE.TEST >/dev/null
ok $? "store and mailbox created"

# One mbox per iteration, small messages with unique Message-IDs.
make_mbox() {  # $1 = iteration, $2 = file
    awk -v it="$1" -v n="$MSGS" 'BEGIN {
        for (i = 1; i <= n; i++) {
            printf "From sender@example.test Mon Jan  1 00:00:00 2024\n";
            printf "From: Sender %d <sender%d@example.test>\n", i % 7, i % 7;
            printf "To: crash@example.test\nSubject: crash %d message %d\n", it, i;
            printf "Date: Mon, 01 Jan 2024 00:%02d:%02d +0000\n", (i / 60) % 60, i % 60;
            printf "Message-ID: <c%d.m%d@crash.test>\n\n", it, i;
            printf "body of message %d in round %d\n>From here on, an escaped line\n\n", i, it;
        } }' > "$2"
}

start=$(date +%s)
for it in $(seq 1 "$ITERATIONS"); do
    make_mbox "$it" "$TMP/in.mbox"
    journal=$TMP/journal.$it
    "$BIN" -r "$ROOT" import crash@example.test --quiet "$TMP/in.mbox" > "$journal" 2>"$TMP/err" &
    pid=$!
    sleep "$(printf '0.%03d' $((RANDOM % 200)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ! out=$(ms check 2>&1); then
        ok 1 "round $it: check after kill -9"
        echo "$out" | head -20 | sed 's/^/# /'
        continue
    fi
    ms ls crash@example.test > "$TMP/ls" 2>&1
    missing=0 reported=0
    while read -r word _ _ msgid _; do
        [ "$word" = committed ] || continue
        reported=$((reported + 1))
        grep -qF "	$msgid	" "$TMP/ls" || { missing=$((missing + 1)); echo "# missing $msgid"; }
    done < "$journal"
    ok $missing "round $it: check clean, $reported reported commits all present"
done
total=$(grep -c . "$TMP/ls" || true)
echo "# $total messages stored over $ITERATIONS rounds in $(( $(date +%s) - start )) s"
ok $([ "$total" -gt 0 ] && echo 0 || echo 1) "some messages were committed before the kills"
echo "1..$n"
[ $failed = 0 ]
