#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seeds of the nfct harnesses (fuzz/tmo.c, fuzz/cth.c, fuzz/nfct_args.c).

tmo: every message of the kernel's real cttimeout answers captured in
tests/data/tmo_replies.hex (tests/data/make_tmo.sh), one file each.
cth: cthelper replies as the kernel's nfnl_cthelper_fill_info() writes
them (uapi nfnetlink_cthelper.h), one per built-in helper and family,
since the kernels here have no nfnetlink_cthelper to capture from.
nfct_args: command lines, words separated by newlines.

usage: fuzz/nfct_seeds.py [TOP]   (writes TOP/fuzz/corpus/{tmo,cth,nfct_args})
"""
import os
import struct
import sys

top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
corpus = os.path.join(top, "fuzz", "corpus")


def write(harness, name, data):
    d = os.path.join(corpus, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def tmo_seeds():
    n = 0
    with open(os.path.join(top, "tests", "data", "tmo_replies.hex")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            dgram = bytes.fromhex(line)
            off = 0
            while off + 16 <= len(dgram):
                ln = struct.unpack_from("<I", dgram, off)[0]
                if ln < 16 or off + ln > len(dgram):
                    break
                write("tmo", "cap-%02d" % n, dgram[off:off + ln])
                n += 1
                off += (ln + 3) & ~3
    return n


def attr(t, payload, nested=False):
    a = struct.pack("<HH", 4 + len(payload), t | (0x8000 if nested else 0)) + payload
    return a + b"\0" * (-len(a) % 4)


def cth_reply(name, l3, l4, priv, classes, status=1, queue=0):
    pol = attr(1, struct.pack(">I", len(classes)))
    for i, (cname, emax, etmo) in enumerate(classes):
        body = attr(1, cname.encode() + b"\0") + attr(2, struct.pack(">I", emax)) \
            + attr(3, struct.pack(">I", etmo))
        pol += attr(2 + i, body, True)
    body = attr(1, name.encode() + b"\0") + attr(3, struct.pack(">I", queue)) \
        + attr(2, attr(1, struct.pack(">H", l3)) + attr(2, bytes([l4])), True) \
        + attr(4, pol, True) + attr(5, struct.pack(">I", priv)) \
        + attr(6, struct.pack(">I", status))
    hdr = struct.pack("<IHHII", 16 + 4 + len(body), 9 << 8, 2, 1, 0)
    return hdr + struct.pack("BBH", 0, 0, 0) + body


BUILTINS = [("amanda", 17, 0, 3, 180), ("dhcpv6", 17, 0, 1, 300),
            ("ftp", 6, 24, 1, 300), ("mdns", 17, 0, 8, 30),
            ("rpc", 6, 16, 1, 300), ("rpc", 17, 16, 1, 300),
            ("sane", 6, 4, 1, 300), ("slp", 17, 0, 8, 16),
            ("ssdp", 17, 0, 8, 300), ("ssdp", 6, 0, 8, 300),
            ("tftp", 17, 0, 1, 300), ("tns", 6, 1, 1, 300)]


def cth_seeds():
    n = 0
    for name, l4, priv, emax, etmo in BUILTINS:
        for l3 in (2, 10):
            write("cth", "uapi-%s-%d-%d" % (name, l4, l3),
                  cth_reply(name, l3, l4, priv, [(name, emax, etmo)],
                            status=l3 == 2, queue=n))
            n += 1
    write("cth", "uapi-four-classes",
          cth_reply("four", 2, 6, 8, [("a", 1, 2), ("b", 3, 4), ("c", 5, 6),
                                      ("d", 7, 8)]))
    return n + 1


ARGS = [
    "list timeout", "timeout list", "l\nt", "list\nversion", "help",
    "version", "list\nhelp", "add\ntimeout\nt\ninet\ntcp\nsyn_sent\n1\nUNACKNOWLEDGED\n2",
    "add\ntimeout\nt\ninet6\nsctp\nSHUTDOWN_ACK_SENT\n5", "add\ntimeout\nt\ninet\ngeneric\ntimeout\n9",
    "add\ntimeout\nt\ninet\nicmpv6\nTIMEOUT\n4294967295", "delete\ntimeout\nt",
    "get\ntimeout\nt", "flush\ntimeout", "default-set\ntimeout\ninet\nudp\nreplied\n77",
    "default-get\ntimeout\ninet6\nipv6-icmp", "add\nhelper\nftp\ninet\ntcp",
    "disable\nhelper\nssdp\ninet6\nudp", "delete\nhelper\nrpc\ninet\nudp",
    "get\nhelper\ntns", "flush\nhelper", "list\nhelper", "default-get\nhelper",
    "add\ntimeout\nt\ninet\ntcp\nclose\nabc", "bogus\nlist",
]


def args_seeds():
    for i, a in enumerate(ARGS):
        write("nfct_args", "seed-%02d" % i, a.encode())
    return len(ARGS)


if __name__ == "__main__":
    print("nfct_seeds: %d tmo, %d cth, %d nfct_args seeds" %
          (tmo_seeds(), cth_seeds(), args_seeds()))
