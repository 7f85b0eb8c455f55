#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A NOTRACK primary that loses messages on cue, for tests/netns/t_sync_link.sh.

  notrack_peer.py ME PEER PORT mid|tail F1 F2 F3 F4

F1..F4 are CT_NEW messages as hex (synctool build, sequence 0), each sent
in a datagram of its own from ME:PORT to PEER:PORT with the sequence
number stamped here. The peer (our conntrackd, NOTRACK, UDP) is told:
  1. F1 F2 F4 (sequences 1-3), then F3 with sequence 5: a gap, so it
     asks for a resync with a token T1 (a RESYNC whose from = to = T1);
  2. the answer, incomplete: F2's message lost, a gap again: with `mid'
     F1, F3, the gap before F3, then the ACK carrying T1; with `tail'
     F1, F3, then the ACK after the gap, the ACK itself revealing it;
  3. if it asks again (T2), the whole answer: F1 F2 F3, ACK T2.
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


def wait_request(s, secs, old):
    """The token of the next RESYNC request other than @old."""
    end = time.time() + secs
    while time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        off = 0
        while off + 8 <= len(data):
            typ = data[off] & 15
            flags = data[off + 1]
            ln = struct.unpack("!H", data[off + 2:off + 4])[0]
            if ln < 8 or off + ln > len(data):
                break
            if typ == CTL and flags & F_RESYNC and ln >= 16:
                token = struct.unpack("!I", data[off + 8:off + 12])[0]
                if token and token != old:
                    return token
            off += (ln + 3) & ~3
    return None


def main():
    me, peer, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    where = sys.argv[4]
    f1, f2, f3, f4 = (bytes.fromhex(h) for h in sys.argv[5:9])
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
    send(10, f1)
    send(11, f2)
    send(12, f3)
    s.sendto(ack(13, t2), dst)
    print("tokens %d %d" % (t1, t2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
