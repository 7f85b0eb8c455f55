#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The third node on a sync link, for tests/netns/t_sync_auth.sh.

  auth_probe.py sniff IFACE PORT SECS OUT
      records, for SECS seconds, the IPv4/UDP datagrams to PORT seen on
      IFACE (a bridge port: every frame that crosses it), one line each
      in OUT: "SRC DST PAYLOADHEX"
  auth_probe.py send SRC DST PORT HEX...
      sends each HEX as the payload of one IPv4/UDP datagram from SRC
      (any address: a raw socket writes the IP header) to DST:PORT, the
      UDP checksum left out (zero), as an IPv4 sender may
  auth_probe.py tcp SRC DST PORT HEX...
      connects from SRC (an address of this namespace) to DST:PORT, writes each HEX,
      waits 0.3 s and prints "closed" if the peer closed the connection,
      else "open"
"""
import socket
import struct
import sys
import time


def sniff(iface, port, secs, out):
    # every protocol: a bridge port's frames pass the taps of ETH_P_ALL
    # only, before the bridge takes them
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((iface, 0))
    s.settimeout(0.05)
    end = time.time() + secs
    with open(out, "w") as f:
        while time.time() < end:
            try:
                pkt, addr = s.recvfrom(70000)
            except socket.timeout:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            if pkt[12:14] != b"\x08\x00":
                continue
            ip = pkt[14:]
            if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
                continue
            ihl = (ip[0] & 15) * 4
            udp = ip[ihl:]
            if len(udp) < 8 or struct.unpack("!H", udp[2:4])[0] != port:
                continue
            ulen = struct.unpack("!H", udp[4:6])[0]
            f.write("%s %s %s\n" % (socket.inet_ntoa(ip[12:16]),
                                    socket.inet_ntoa(ip[16:20]),
                                    udp[8:ulen].hex()))
            f.flush()


def send(src, dst, port, payloads):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for hx in payloads:
        data = bytes.fromhex(hx)
        udp = struct.pack("!HHHH", port, port, 8 + len(data), 0) + data
        total = 20 + len(udp)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 1, 17,
                         0, socket.inet_aton(src), socket.inet_aton(dst))
        s.sendto(ip + udp, (dst, 0))
        time.sleep(0.01)


def tcp(src, dst, port, payloads):
    s = socket.create_connection((dst, port), timeout=2,
                                 source_address=(src, 0))
    for hx in payloads:
        s.sendall(bytes.fromhex(hx))
    time.sleep(0.3)
    s.setblocking(False)
    try:
        closed = s.recv(1) == b""
    except BlockingIOError:
        closed = False
    except ConnectionError:
        closed = True
    print("closed" if closed else "open")


def main(a):
    if a[:1] == ["sniff"] and len(a) == 5:
        sniff(a[1], int(a[2]), float(a[3]), a[4])
    elif a[:1] == ["send"] and len(a) >= 4:
        send(a[1], a[2], int(a[3]), a[4:])
    elif a[:1] == ["tcp"] and len(a) >= 4:
        tcp(a[1], a[2], int(a[3]), a[4:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
