#!/bin/bash
# Property ROPs on the wire ([MS-OXCPRPT]); the program prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-property"
