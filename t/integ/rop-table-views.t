#!/bin/bash
# Table views on the wire ([MS-OXCTABL]): full answers, categories, MV instances; the program prints TAP.
source "$MH_TEST_ENV"
exec "$MH_BUILDDIR/t/integ/mh-rop-table-views"
