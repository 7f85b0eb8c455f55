#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An FTFW peer that never acknowledges, for tests/netns/t_sync_link.sh.

  ftfw_peer.py ME PEER PORT N [READY]

Listens on ME:PORT (then creates the file READY, for the caller to wait
on: a datagram sent before the socket is bound is lost for good) for our conntrackd (FTFW, UDP, a small
ResendQueueSize) at PEER:PORT, acknowledging nothing, until N flow
messages came (the daemon's resend queue has overflowed by then); then
sends, from ME:PORT, a NACK for the first of them, long fallen out of
that queue, and an ACK of the others, and counts the flow messages that
follow, acknowledging each datagram's as it comes (the daemon's bulk is
paced by acknowledgements). Prints "first SEQ after K" and exits 0 once
K reaches N (the whole cache sent again) within 5 s; exits 1 if the N
messages or the resync do not come.
"""
import socket
import struct
import sys
import time

CTL = 10
F_UNUSED = 1 << 0
F_NACK = 1 << 2
F_ACK = 1 << 3


def data_seqs(dgram):
    """The sequence numbers of the flow messages of a datagram."""
    off, seqs = 0, []
    while off + 8 <= len(dgram):
        typ = dgram[off] & 15
        ln, seq = struct.unpack("!HI", dgram[off + 2:off + 8])
        if ln < 8:
            break
        if typ <= 5:
            seqs.append(seq)
        off += ln
    return seqs


class Ctl:
    """Our control messages to the daemon, with our own sequence."""

    def __init__(self, sock, peer, port):
        self.sock, self.to, self.seq = sock, (peer, port), 0

    def send(self, flag, first, last):
        self.seq += 1
        self.sock.sendto(struct.pack("!BBHIII", 1 << 4 | CTL,
                                     flag | F_UNUSED, 16, self.seq, first,
                                     last), self.to)


def collect(sock, n, deadline, ctl=None):
    """Flow messages until n came; their seqs. With ctl, each datagram's
    are acknowledged."""
    got = []
    while len(got) < n and time.monotonic() < deadline:
        try:
            dgram = sock.recv(65536)
        except socket.timeout:
            continue
        seqs = data_seqs(dgram)
        got += seqs
        if ctl and seqs:
            ctl.send(F_ACK, min(seqs), max(seqs))
    return got


def main():
    me, peer, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        int(sys.argv[4])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((me, port))
    if len(sys.argv) > 5:
        open(sys.argv[5], "w").close()
    sock.settimeout(0.2)
    first = collect(sock, n, time.monotonic() + 10)
    if len(first) < n:
        print("only %d flow messages came" % len(first))
        return 1
    ctl = Ctl(sock, peer, port)
    ctl.send(F_NACK, first[0], first[0])
    ctl.send(F_ACK, first[1], max(first))
    after = collect(sock, n, time.monotonic() + 5, ctl)
    print("first %d after %d" % (first[0], len(after)))
    return 0 if len(after) >= n else 1


if __name__ == "__main__":
    sys.exit(main())
