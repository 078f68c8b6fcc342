#!/bin/bash
# Folder ROPs on the wire ([MS-OXCFOLD]); the program prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-folder"
