#!/bin/bash
# Delegate access on the wire ([MS-OXCPERM] rights, [MS-OXCSTOR] logon); the program prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-delegate"
