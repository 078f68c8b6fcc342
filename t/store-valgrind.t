#!/bin/bash
# store-valgrind.t - run the store unit tests under valgrind (memcheck, leak
# check for definite and indirect leaks). Skipped without valgrind or when the
# tests are built with AddressSanitizer (the two do not mix). TAP output.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
UNIT=${MH_BUILDDIR:-$(dirname "$HERE")}/t/unit
if ! command -v valgrind >/dev/null 2>&1; then
    echo "1..0 # SKIP valgrind not installed"
    exit 0
fi
if [ ! -x "$UNIT/store.t" ]; then
    echo "1..0 # SKIP store unit tests not built"
    exit 0
fi
if nm "$UNIT/store.t" 2>/dev/null | grep -q __asan_init; then
    echo "1..0 # SKIP built with AddressSanitizer"
    exit 0
fi
n=0 failed=0
for t in store store_table store_quota store_mime store_check; do
    n=$((n + 1))
    log=$(mktemp)
    if valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
        --child-silent-after-fork=yes "$UNIT/$t.t" > "$log" 2>&1; then
        echo "ok $n - $t.t is valgrind-clean"
    else
        echo "not ok $n - $t.t under valgrind"
        grep -v '^ok' "$log" | head -40 | sed 's/^/# /'
        failed=$((failed + 1))
    fi
    rm -f "$log"
done
echo "1..$n"
[ $failed = 0 ]
