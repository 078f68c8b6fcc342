#!/bin/bash
# Chained Execute responses; fills bob's Inbox with 900 messages first (other tests use alice's).
source "$MH_TEST_ENV"
if [ ! -f "$MH_SCRATCH/chain-filled" ]; then
    awk 'BEGIN { for (i = 0; i < 900; i++) printf "From c@example.test Mon Nov 23 10:00:00 2026\nFrom: c@example.test\nTo: bob@mapi.test\nSubject: Chained rows %d, a subject long enough to fill the frames a little faster\nMessage-ID: <chain-%d@example.test>\n\nbody\n\n", i, i }' \
        > "$MH_SCRATCH/chain.mbox"
    "$MH_BUILDDIR/store/mapistore" -r "$MH_STORE" import "bob@$MH_DOMAIN" --folder Inbox --quiet "$MH_SCRATCH/chain.mbox" \
        > /dev/null 2>&1
    [ -n "$MH_APACHE_USER" ] && chown -R "$MH_APACHE_USER" "$MH_STORE"
    touch "$MH_SCRATCH/chain-filled"
fi
exec "$MH_BUILDDIR/t/integ/mh-rop-chain"
