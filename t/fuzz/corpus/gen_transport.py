#!/usr/bin/env python3
"""Writes the seed corpora of the transport fuzz targets (t/fuzz/fuzz_<name>.c)
into t/fuzz/corpus/<name>/: small valid inputs and typical invalid ones.
Run from anywhere; the files are committed, so this only needs rerunning when
the seeds change."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def hdr(flags, size, actual, version=0):
    return u16(version) + u16(flags) + u16(size) + u16(actual)


LAST, COMP, XOR = 4, 1, 2
# [MS-XCA] 3.1 plain LZ77 examples (the DIRECT2 bit stream of MS-OXCRPC)
EX1 = bytes([0x3f, 0, 0, 0]) + b"abcdefghijklmnopqrstuvwxyz"
EX2 = bytes([0xff, 0xff, 0xff, 0x1f, 0x61, 0x62, 0x63, 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01])


def xor(b):
    return bytes(x ^ 0xA5 for x in b)


def wstr(s):
    return s.encode("utf-16-le") + b"\0\0"


def aux_block(version, typ, body):
    return u16(len(body) + 4) + bytes([version, typ]) + body


def client_info(machine, user, ip):
    fixed_len = 4 + 28
    m = wstr(machine)
    u = wstr(user)
    body = bytearray(28)
    struct.pack_into("<IHHHHHHHHHHHH", body, 0, 100000000, 1, fixed_len, fixed_len + len(m),
                     len(ip), fixed_len + len(m) + len(u), 0, 0, 0, 0, 0, 1, 0)
    return aux_block(1, 0x02, bytes(body) + m + u + ip)


def aux_payload():
    guid = bytes(range(16))
    p = client_info("WS-ALICE", "alice", bytes([192, 0, 2, 17]))
    p += aux_block(1, 0x0B, u16(3) + u16(0) + guid + u16(28) + u16(0) + wstr("OUTLOOK.EXE"))
    p += aux_block(2, 0x04, u16(5) + u16(0) + guid + u32(7))
    p += aux_block(1, 0x4A, guid + u16(32) + u16(0) + u32(1) + u32(0) + wstr("ctx"))
    p += aux_block(1, 0x16, u32(156) + u32(10) + u32(0) + u32(19045) + bytes(132) + u16(0) + u16(0) + u32(0))
    p += aux_block(1, 0x46, u32(3)) + aux_block(1, 0x48, u32(1)) + aux_block(1, 0x99, b"xyz")
    return p


def framed(payload, flags=LAST):
    return hdr(flags, len(payload), len(payload)) + payload


def main():
    # lz77: u16 SizeActual + stream
    put("lz77", "ex1", u16(26) + EX1)
    put("lz77", "ex2", u16(300) + EX2)
    put("lz77", "ex2_short_out", u16(299) + EX2)
    put("lz77", "ex2_truncated", u16(300) + EX2[:10])
    put("lz77", "bad_offset", u16(3) + bytes([0, 0, 0, 0x80, 0, 0]))
    put("lz77", "shared_nibble", u16(24) + bytes([0, 0, 0, 0x60, ord("a"), 7, 0, 0x21, 7, 0]))
    put("lz77", "bad_u16_len", u16(64) + bytes([0, 0, 0, 0x40, ord("a"), 7, 0, 0x0f, 0xff, 5, 0]))
    put("lz77", "text", u16(0) + b"Subject: MAPI over HTTP\r\n" * 8)

    # rpcext: byte 0 = options, then a chain
    rops = u16(8) + bytes([1, 0, 0, 1, 0, 1]) + u32(0x6F) + u32(0x6E)
    put("rpcext", "single", b"\0" + framed(rops))
    put("rpcext", "xor", b"\0" + hdr(LAST | XOR, len(rops), len(rops)) + xor(rops))
    put("rpcext", "compressed", b"\0" + hdr(LAST | COMP, len(EX2), 300) + EX2)
    put("rpcext", "comp_xor", b"\0" + hdr(LAST | COMP | XOR, len(EX2), 300) + xor(EX2))
    put("rpcext", "chain2", b"\0" + framed(b"AB", 0) + framed(b"CDE"))
    put("rpcext", "trailing_allowed", b"\1" + framed(rops) + b"zz")
    put("rpcext", "no_last", b"\0" + framed(rops, 0))
    put("rpcext", "bad_version", b"\0" + hdr(LAST, 4, 4, version=1) + b"ROPS")
    put("rpcext", "size_mismatch", b"\0" + hdr(LAST, 4, 5) + b"ROPS")
    put("rpcext", "past_end", b"\0" + hdr(LAST, 40, 40) + b"ROPS")
    put("rpcext", "empty", b"\0")

    # aux: byte 0 bit 0 = bare payload
    p = aux_payload()
    put("aux", "client_framed", b"\0" + framed(p))
    put("aux", "client_payload", b"\1" + p)
    put("aux", "server_caps", b"\0" + framed(aux_block(1, 0x46, u32(3)) + aux_block(1, 0x48, u32(1))))
    put("aux", "empty", b"\0")
    put("aux", "size_3", b"\1" + u16(3) + b"\1\2")
    put("aux", "past_end", b"\1" + u16(40) + b"\1\2abcd")
    put("aux", "short_known", b"\1" + aux_block(1, 0x46, b"\1\2"))
    put("aux", "bad_offset", b"\1" + aux_block(1, 0x0B, u16(3) + u16(0) + bytes(16) + u16(200) + u16(0)))
    put("aux", "no_last", b"\0" + framed(p, 0))

    # ropbuf
    put("ropbuf", "spec_4_4", rops)
    put("ropbuf", "empty_list", u16(2))
    put("ropbuf", "odd_table", rops[:-1])
    put("ropbuf", "size_past_end", u16(50) + rops[2:])
    put("ropbuf", "size_1", u16(1) + rops[2:])

    aux_in = framed(p)
    dn = b"/o=Org/ou=Exchange/cn=Recipients/cn=alice\0"
    put("emsmdb_connect", "valid", dn + u32(0) + u32(1252) + u32(0x409) + u32(0x409) + u32(len(aux_in)) + aux_in)
    put("emsmdb_connect", "no_aux", dn + u32(0) + u32(1252) + u32(0x409) + u32(0x409) + u32(0))
    put("emsmdb_connect", "aux_past_end", dn + u32(0) + u32(1252) + u32(0x409) + u32(0x409) + u32(99))
    put("emsmdb_connect", "no_nul", dn[:-1])
    put("emsmdb_connect", "trailing", dn + u32(0) * 4 + u32(0) + b"x")

    rb = framed(rops)
    put("emsmdb_execute", "valid", u32(3) + u32(len(rb)) + rb + u32(0x40000) + u32(len(aux_in)) + aux_in)
    put("emsmdb_execute", "chain", u32(7) + u32(len(rb)) + rb + u32(0x40000) + u32(0))
    put("emsmdb_execute", "rop_past_end", u32(3) + u32(0xFFFFFFFF) + rb)
    put("emsmdb_execute", "truncated", u32(3) + u32(len(rb)) + rb)

    put("emsmdb_disconnect", "valid", u32(len(aux_in)) + aux_in)
    put("emsmdb_disconnect", "empty_aux", u32(0))
    put("emsmdb_disconnect", "past_end", u32(5) + b"abc")

    put("emsmdb_notifwait", "valid", u32(0) + u32(0))
    put("emsmdb_notifwait", "with_aux", u32(0) + u32(len(aux_in)) + aux_in)
    put("emsmdb_notifwait", "trailing", u32(0) + u32(0) + b"\0")

    srv_aux = framed(aux_block(1, 0x46, u32(3)))
    put("emsmdb_rsp", "connect_ok", b"\0" + u32(0) + u32(0) + u32(60000) + u32(6) + u32(10000) +
        b"/o=Org/ou=Exchange\0" + wstr("Alice") + u32(len(srv_aux)) + srv_aux)
    put("emsmdb_rsp", "connect_fail", b"\0" + u32(0x80004005) + u32(0))
    put("emsmdb_rsp", "execute_ok", b"\1" + u32(0) + u32(0) + u32(0) + u32(len(rb)) + rb + u32(0))
    put("emsmdb_rsp", "disconnect_ok", b"\2" + u32(0) + u32(0) + u32(0))
    put("emsmdb_rsp", "notifwait_pending", b"\3" + u32(0) + u32(0) + u32(1) + u32(0))
    put("emsmdb_rsp", "odd_utf16", b"\0" + u32(0) * 5 + b"\0" + b"A\0\0")


if __name__ == "__main__":
    main()
