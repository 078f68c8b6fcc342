#!/bin/bash
# store-cli.t - the mapistore admin CLI: commands, exit codes, error texts,
# .eml / mbox / Maildir import, skip reports, quota stop, export, backup/restore.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
BIN=${MAPISTORE_BIN:-${MH_BUILDDIR:-$TOP}/store/mapistore}
if [ ! -x "$BIN" ]; then
    echo "1..0 # SKIP $BIN not built"
    exit 0
fi
TMP=$(mktemp -d /tmp/ms-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
R=$TMP/store
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
# is_exit WANT DESCRIPTION CMD...
is_exit() {
    local want=$1 desc=$2; shift 2
    "$@" > "$TMP/out" 2> "$TMP/err"
    local got=$?
    ok $([ $got = "$want" ] && echo 0 || echo 1) "$desc (exit $got, want $want)"
    [ $got = "$want" ] || sed 's/^/# /' "$TMP/err" | head -5
}
has() { grep -q -- "$1" "$2"; ok $? "$3"; }

is_exit 2 "no command" "$BIN"
is_exit 0 "help" "$BIN" help
is_exit 2 "no root" env -u MAPISTORE_ROOT "$BIN" check
is_exit 3 "check of a missing root" "$BIN" -r "$TMP/nothing" check
has "not a store root" "$TMP/err" "error says what is wrong"
is_exit 0 "init" "$BIN" -r "$R" init
is_exit 3 "init twice" "$BIN" -r "$R" init
is_exit 2 "unknown command" "$BIN" -r "$R" frobnicate
is_exit 2 "mailbox create without --smtp" "$BIN" -r "$R" mailbox create --name X
is_exit 2 "bad address" "$BIN" -r "$R" mailbox create --smtp nobody
is_exit 2 "bad quota size" "$BIN" -r "$R" mailbox create --smtp a@example.test --quota-send 12Q
is_exit 0 "mailbox create" "$BIN" -r "$R" mailbox create --smtp alice@example.test --smtp al@example.test \
    --name "Alice A" --login alice@EXAMPLE.TEST
is_exit 2 "duplicate address" "$BIN" -r "$R" mailbox create --smtp AL@example.test
is_exit 0 "db create" "$BIN" -r "$R" db create second --map-size 64M
is_exit 0 "db list" "$BIN" -r "$R" db list
has "second" "$TMP/out" "db list shows the new database"
is_exit 0 "mailbox in the second db" "$BIN" -r "$R" mailbox create --smtp bob@example.test --db second
is_exit 0 "mailbox list" "$BIN" -r "$R" mailbox list
has "bob@example.test" "$TMP/out" "list shows bob"
is_exit 0 "mailbox show by login" "$BIN" -r "$R" mailbox show ALICE@example.TEST
has "al@example.test" "$TMP/out" "show lists the alias"
is_exit 3 "show unknown mailbox" "$BIN" -r "$R" mailbox show carol@example.test
has "unknown mailbox" "$TMP/err" "says unknown mailbox"

# mail in three forms, plus bad mail
mkdir -p "$TMP/md/cur" "$TMP/md/new" "$TMP/md/tmp"
printf 'From: x@example.test\nSubject: maildir new\nMessage-ID: <md1@t>\n\nhi\n' > "$TMP/md/new/1"
printf 'From: x@example.test\nSubject: maildir cur\nMessage-ID: <md2@t>\n\nhi\n' > "$TMP/md/cur/2:2,S"
printf 'Subject: half delivered\n\nx\n' > "$TMP/md/tmp/3"
printf 'From a Mon Jan  1 00:00:00 2024\nSubject: mbox one\nMessage-ID: <mb1@t>\n\n>From the start\n\nFrom b Mon Jan  1 00:00:00 2024\nSubject: mbox two\nMessage-ID: <mb2@t>\n\nbody\n' > "$TMP/box.mbox"
printf 'Subject: single\nMessage-ID: <one@t>\n\nbody\n' > "$TMP/one.eml"
: > "$TMP/empty.eml"
is_exit 2 "import of a missing path" "$BIN" -r "$R" import alice@example.test "$TMP/nope.eml"
is_exit 3 "import into an unknown mailbox" "$BIN" -r "$R" import zed@example.test "$TMP/one.eml"
is_exit 1 "import with one bad message exits 1" "$BIN" -r "$R" import alice@example.test \
    "$TMP/one.eml" "$TMP/box.mbox" "$TMP/md" "$TMP/empty.eml"
has "skipped $TMP/empty.eml: empty message" "$TMP/err" "empty message skipped with a reason"
c=$(grep -c '^committed' "$TMP/out")
ok $([ "$c" = 5 ] && echo 0 || echo 1) "5 messages committed (.eml, 2 from mbox, 2 from Maildir; not tmp/) ($c)"
has "<mb2@t>" "$TMP/out" "second mbox message"
is_exit 0 "ls" "$BIN" -r "$R" ls alice@example.test
has "mbox one" "$TMP/out" "ls shows subjects"
ok $(grep -c 'half delivered' "$TMP/out" | grep -q '^0$'; echo $?) "Maildir tmp/ skipped"
is_exit 0 "import into a new folder" "$BIN" -r "$R" import alice@example.test --folder Archive "$TMP/one.eml"
is_exit 0 "ls of that folder" "$BIN" -r "$R" ls alice@example.test --folder archive
has "single" "$TMP/out" "message in Archive"
is_exit 3 "ls of a missing folder" "$BIN" -r "$R" ls alice@example.test --folder Nope
is_exit 0 "export" "$BIN" -r "$R" export alice@example.test "$TMP/exp"
e=$(ls "$TMP/exp" | wc -l)
ok $([ "$e" = 5 ] && echo 0 || echo 1) "5 .eml files exported ($e)"
grep -l 'mbox one' "$TMP"/exp/*.eml > /dev/null
ok $? "exported message has its subject"
is_exit 0 "dump" "$BIN" -r "$R" dump alice@example.test
has '"message_id":"<md1@t>"' "$TMP/out" "dump is JSON with message ids"
# quota: a full mailbox stops the batch with exit 3, nothing half-imported
is_exit 0 "set quota" "$BIN" -r "$R" mailbox quota bob@example.test --receive 1K
head -c 3000 /dev/zero | tr '\0' 'x' > "$TMP/big.txt"
{ printf 'Subject: big\n\n'; cat "$TMP/big.txt"; } > "$TMP/big.eml"
is_exit 3 "import over quota stops" "$BIN" -r "$R" import bob@example.test "$TMP/big.eml" "$TMP/one.eml"
has "quota" "$TMP/err" "error mentions the quota"
is_exit 0 "check" "$BIN" -r "$R" check
has "clean" "$TMP/out" "check prints clean"
is_exit 0 "backup" "$BIN" -r "$R" backup "$TMP/bak"
is_exit 3 "backup onto an existing directory" "$BIN" -r "$R" backup "$TMP/bak"
is_exit 0 "restore" "$BIN" -r "$TMP/restored" restore "$TMP/bak"
is_exit 0 "restored store checks clean" "$BIN" -r "$TMP/restored" check
is_exit 0 "restored mailbox" "$BIN" -r "$TMP/restored" ls alice@example.test
has "mbox two" "$TMP/out" "restored content"
is_exit 0 "mailbox delete" "$BIN" -r "$R" mailbox delete bob@example.test
is_exit 3 "deleted mailbox is gone" "$BIN" -r "$R" mailbox show bob@example.test
is_exit 0 "check after delete" "$BIN" -r "$R" check
echo "1..$n"
[ $failed = 0 ]
