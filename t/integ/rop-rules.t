#!/bin/bash
# Rules and permissions ROPs on the wire ([MS-OXORULE], [MS-OXCPERM]); the program prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-rules"
