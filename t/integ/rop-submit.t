#!/bin/bash
# Submission and transport ROPs on the wire ([MS-OXOMSG]); the program prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-submit"
