#!/bin/bash
# Logon and store ROPs on the wire ([MS-OXCSTOR]); the program prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-logon"
