#!/bin/bash
# Message, attachment and stream ROPs on the wire ([MS-OXCMSG], [MS-OXCPRPT]);
# the program imports its test message with the store CLI and prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-message"
