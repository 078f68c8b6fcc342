#!/bin/bash
# Table ROPs on the wire ([MS-OXCTABL]): first start, Inbox view, cursor; the program prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-table"
