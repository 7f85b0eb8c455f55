#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""An FTFW peer that never acknowledges, for tests/netns/t_sync_link.sh.

  ftfw_peer.py ME PEER PORT N

Listens on ME:PORT for our conntrackd (FTFW, UDP, a small
ResendQueueSize) at PEER:PORT, acknowledging nothing, until N flow
messages came (the daemon's resend queue has overflowed by then); then
sends, from ME:PORT, a NACK for the first of them, long fallen out of
that queue, and counts the flow messages that follow. Prints "first SEQ
after K" and exits 0 once K reaches N (the whole cache sent again)
within 5 s; exits 1 if the N messages or the resync do not come.
"""
import socket
import struct
import sys
import time

CTL = 10
F_UNUSED = 1 << 0
F_NACK = 1 << 2


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


def collect(sock, n, deadline):
    """Flow messages until n came; their seqs."""
    got = []
    while len(got) < n and time.monotonic() < deadline:
        try:
            dgram = sock.recv(65536)
        except socket.timeout:
            continue
        got += data_seqs(dgram)
    return got


def main():
    me, peer, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        int(sys.argv[4])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((me, port))
    sock.settimeout(0.2)
    first = collect(sock, n, time.monotonic() + 10)
    if len(first) < n:
        print("only %d flow messages came" % len(first))
        return 1
    nack = struct.pack("!BBHIII", 1 << 4 | CTL, F_NACK | F_UNUSED, 16, 1,
                       first[0], first[0])
    sock.sendto(nack, (peer, port))
    after = collect(sock, n, time.monotonic() + 5)
    print("first %d after %d" % (first[0], len(after)))
    return 0 if len(after) >= n else 1


if __name__ == "__main__":
    sys.exit(main())
