#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates tests/data/ct_dump.hex: real ctnetlink dump datagrams for
# tests/unit/check_ct_codec.c. Needs root, nft and build/netns/cttool.
# Everything happens in a scratch namespace (rawct-*) deleted on exit.
#   - `cttool fixtures`: tcp4 zone 3 mark 0x11, udp4 DNAT, icmp, icmpv6
#     with orig zone 9, sctp with vtags, gre keys, proto 253 over v6 with
#     mark 0xffffffff, tcp6 SNAT (all created through ct/encode.c);
#   - Debian's /usr/sbin/conntrack -I udp with --dst-nat and --mark 5;
#   - real loopback traffic with acct and timestamps on: udp4 with label
#     bit 3 (nft ct label), tcp4 through the ftp helper, udp6 one-way.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/tests/data/ct_dump.hex}
ns="rawct-fx$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
X="ip netns exec $ns"
ip -n "$ns" link set lo up
$X sysctl -qw net.netfilter.nf_conntrack_acct=1 \
	net.netfilter.nf_conntrack_timestamp=1
$X nft -f - <<'NFT'
table inet rawct {
	ct helper ftp-std { type "ftp" protocol tcp; }
	chain out {
		type filter hook output priority 0;
		tcp dport 2121 ct helper set "ftp-std"
		udp dport 5555 ct label set 3
		ct state new counter
	}
}
NFT
$X "$top/build/netns/cttool" fixtures
$X /usr/sbin/conntrack -I -p udp -s 192.0.2.50 -d 192.0.2.51 --sport 1111 \
	--dport 2222 -t 50 --dst-nat 10.1.1.1:99 --mark 5 2>/dev/null
$X python3 -c "
import socket
r=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); r.bind(('127.0.0.1',5555))
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('127.0.0.1',4444))
s.sendto(b'y'*50,('127.0.0.1',5555)); d,a=r.recvfrom(100)
r.sendto(b'z'*20,a); s.recvfrom(100)
l=socket.socket(); l.bind(('127.0.0.1',2121)); l.listen()
c=socket.create_connection(('127.0.0.1',2121)); a,_=l.accept()
a.send(b'220 hi\r\n'); c.recv(100)
s6=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); s6.sendto(b'q',('::1',7777))
"
{
	echo "# ctnetlink IPCTNL_MSG_CT_GET dump, one datagram per line (hex),"
	echo "# made by tests/data/make_ct_dump.sh on Linux $(uname -r)."
	$X "$top/build/netns/cttool" capture
} >"$out"
