#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates tests/data/ct_events.hex: real ctnetlink event datagrams
# (one per line, hex) for tests/unit/check_bpf.c. Needs root, nft and
# build/netns/evtool + build/netns/cttool. Everything happens in a scratch
# namespace (rawct-*) deleted on exit. Events, in order:
#   - Debian's conntrack -I, ours -U/-D: tcp4 mark 7 zone 3 (NEW, UPDATE mark 9,
#     DESTROY), udp6 with orig zone 5 (NEW, DESTROY), icmp (NEW)
#   - cttool create 3 / delete 0 2 1: tcp4 NEW and DESTROY (batched)
#   - loopback traffic: udp4 NEW (kernel-made, portid 0), its UPDATE
#     (SEEN_REPLY) and a gre entry via conntrack -I
#   - flush: DESTROY of everything left
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/tests/data/ct_events.hex}
ns="rawct-ev$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
tmp=$(mktemp -d)
ip netns add "$ns"
trap 'ip netns del "$ns"; rm -rf "$tmp"' EXIT
X="ip netns exec $ns"
CT=/usr/sbin/conntrack
OURS=$top/conntrack	# -U/-D with zones (1.4.7 misses zoned entries)
ip -n "$ns" link set lo up
$X nft -f - <<'NFT'
table inet rawct {
	chain out {
		type filter hook output priority 0;
		ct state new counter
	}
}
NFT
$X "$top/build/netns/evtool" -x -t 1500 -r "$tmp/ready" >"$tmp/hex" &
pid=$!
while [ ! -e "$tmp/ready" ]; do sleep 0.05; done
$X $CT -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 -t 100 \
	--state ESTABLISHED -u SEEN_REPLY,ASSURED -m 7 -w 3 2>/dev/null
$X "$OURS" -U -p tcp -s 1.1.1.1 -m 9 2>/dev/null
$X $CT -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 53 --dport 5353 \
	-t 50 --orig-zone 5 2>/dev/null
$X $CT -I -p icmp -s 3.3.3.3 -d 4.4.4.4 --icmp-type 8 --icmp-code 0 \
	--icmp-id 77 -t 30 2>/dev/null
$X "$OURS" -D -p tcp -s 1.1.1.1 2>/dev/null
$X "$OURS" -D -p udp -s 2001:db8::1 2>/dev/null
$X "$top/build/netns/cttool" create 3 >/dev/null
$X "$top/build/netns/cttool" delete 0 2 1 >/dev/null
$X python3 -c "
import socket
r=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); r.bind(('127.0.0.1',5555))
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('127.0.0.1',4444))
s.sendto(b'y'*50,('127.0.0.1',5555)); d,a=r.recvfrom(100)
r.sendto(b'z'*20,a); s.recvfrom(100)
"
$X $CT -I -p gre -s 5.5.5.5 -d 6.6.6.6 --srckey 0x11 --dstkey 0x22 -t 40 \
	2>/dev/null || true
$X "$OURS" -F 2>/dev/null
wait "$pid"
{
	echo "# ctnetlink conntrack events (NFNLGRP_CONNTRACK_NEW/UPDATE/DESTROY),"
	echo "# one datagram per line (hex), made by tests/data/make_events.sh"
	echo "# on Linux $(uname -r)."
	cat "$tmp/hex"
} >"$out"
