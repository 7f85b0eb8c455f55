#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""NOTRACK peers on cue, for tests/netns/t_sync_link.sh.

  notrack_peer.py ME PEER PORT mid|tail|giveup F1 F2 F3 F4
      a primary that loses messages, below
  notrack_peer.py ME PEER PORT early N
      a backup that asks a starting primary with N flows for a resync
      (RESYNC with a token, as ours asks) every millisecond until it
      answers, so that the first requests come while the primary's
      start-up dump is still filling its internal cache; then once more
      2 s later. Each ACK carrying one of its tokens must follow at
      least N flow messages received since that request went out (the
      whole table, not the part dumped so far). Prints "ack TOKEN FLOWS"
      per ACK and exits 1 if one came too early or the last request got
      no ACK within 5 s.

The primary:

F1..F4 are CT_NEW messages as hex (synctool build, sequence 0), each sent
in a datagram of its own from ME:PORT to PEER:PORT with the sequence
number stamped here. The peer (our conntrackd, NOTRACK, UDP) is told:
  1. F1 F2 F4 (sequences 1-3), then F3 with sequence 5: a gap, so it
     asks for a resync with a token T1 (a RESYNC whose from = to = T1);
  2. the answer, incomplete: F2's message lost, a gap again: with `mid'
     F1, F3, the gap before F3, then the ACK carrying T1; with `tail'
     F1, F3, then the ACK after the gap, the ACK itself revealing it;
  3. if it asks again (T2), the whole answer: F1 F2 F3, ACK T2; with
     `giveup', an answer that loses F2 again, to every request, until
     none comes within 4 s: prints "requests N", exits 1 unless N is 4.
F4 is in neither answer: the primary no longer has it. Prints "tokens T1
T2" and exits 0 once both requests came; exits 1 if one did not come
within 5 s.
"""
import socket
import struct
import sys
import time

CTL = 10
F_RESYNC = 1 << 1
F_ACK = 1 << 3


def stamp(msg, seq):
    return msg[:4] + struct.pack("!I", seq) + msg[8:]


def ack(seq, token):
    return struct.pack("!BBHIII", 1 << 4 | CTL, F_ACK, 16, seq, token, token)


def messages(data):
    """(type, flags, token) of each message of a datagram; token is the
    `from' of a control message that has one, else None."""
    off = 0
    while off + 8 <= len(data):
        typ = data[off] & 15
        flags = data[off + 1]
        ln = struct.unpack("!H", data[off + 2:off + 4])[0]
        if ln < 8 or off + ln > len(data):
            return
        token = None
        if typ == CTL and ln >= 16:
            token = struct.unpack("!I", data[off + 8:off + 12])[0]
        yield typ, flags, token
        off += (ln + 3) & ~3


def wait_request(s, secs, old):
    """The token of the next RESYNC request other than @old."""
    end = time.time() + secs
    while time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        for typ, flags, token in messages(data):
            if typ == CTL and flags & F_RESYNC and token and token != old:
                return token
    return None


def resync(token):
    return struct.pack("!BBHIII", 1 << 4 | CTL, F_RESYNC, 16, 0, token,
                       token)


def early(s, dst, n):
    """The backup of the `early' mode; returns the exit status."""
    flows = 0
    since = {}
    acks = []

    def take(data):
        nonlocal flows
        for typ, flags, token in messages(data):
            if typ in (0, 1):
                flows += 1
            elif flags & F_ACK and token in since:
                acks.append((token, flows - since[token]))

    def drain(secs, until=None):
        end = time.time() + secs
        while time.time() < end:
            if until is not None and any(t == until for t, _ in acks):
                return
            s.settimeout(max(0.001, min(0.05, end - time.time())))
            try:
                take(s.recv(65536))
            except socket.timeout:
                pass

    token, end = 1, time.time() + 20
    while time.time() < end:
        since[token] = flows
        s.sendto(resync(token), dst)
        token += 1
        s.settimeout(0.001)
        try:
            take(s.recv(65536))
            break
        except socket.timeout:
            pass
    else:
        print("the primary never answered")
        return 1
    drain(2)
    last = 1000000
    since[last] = flows
    s.sendto(resync(last), dst)
    drain(5, last)
    status = 0
    for t, got in acks:
        print("ack %d %d" % (t, got))
        if got < n:
            status = 1
    if not any(t == last for t, _ in acks):
        print("no ACK for the last request")
        status = 1
    return status


def give_up(s, send, dst, f, token):
    """`giveup': every answer loses F2's message; after the fourth
    request none may come."""
    seq, n = 10, 2
    while True:
        send(seq, f[0])
        send(seq + 2, f[2])
        s.sendto(ack(seq + 3, token), dst)
        seq += 4
        nxt = wait_request(s, 4, token)
        if nxt is None:
            break
        token, n = nxt, n + 1
    print("requests %d" % n)
    return 0 if n == 4 else 1


def main():
    me, peer, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if sys.argv[4] == "early":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE
        s.bind((me, port))
        return early(s, (peer, port), int(sys.argv[5]))
    where = sys.argv[4]
    f1, f2, f3, f4 = f = [bytes.fromhex(h) for h in sys.argv[5:9]]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((me, port))
    dst = (peer, port)

    def send(seq, msg):
        s.sendto(stamp(msg, seq), dst)
        time.sleep(0.02)

    send(1, f1)
    send(2, f2)
    send(3, f4)
    time.sleep(0.3)
    send(5, f3)
    t1 = wait_request(s, 5, 0)
    if t1 is None:
        print("no request after the first gap")
        return 1
    send(6, f1)
    if where == "mid":
        send(8, f3)
    else:
        send(7, f3)
    s.sendto(ack(9, t1), dst)
    t2 = wait_request(s, 5, t1)
    if t2 is None:
        print("no request after the incomplete answer (token %d)" % t1)
        return 1
    if where == "giveup":
        return give_up(s, send, dst, f, t2)
    send(10, f1)
    send(11, f2)
    send(12, f3)
    s.sendto(ack(13, t2), dst)
    print("tokens %d %d" % (t1, t2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
