#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates tests/data/tmo_replies.hex and tmo_replies.txt: what the
# kernel's nfnetlink_cttimeout answers (one datagram per hex line) and
# what the Debian reference nfct prints for the same objects, which
# tests/unit/check_tmo.c holds our decoder and format to byte for byte.
# Needs root, build/netns/tmotool and /usr/sbin/nfct. Everything happens
# in a scratch namespace (rawct-*) deleted on exit:
#   1. policies of every protocol with state names, both families, added
#      by the reference nfct, then the dump of them all;
#   2. one of them by name (the object, then the acknowledgement);
#   3. the defaults of every protocol for inet and inet6;
#   4. a name that is not there (an NLMSG_ERROR, ENOENT).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
hex=${1:-$top/tests/data/tmo_replies.hex}
txt=${2:-$top/tests/data/tmo_replies.txt}
REF=${REF:-/usr/sbin/nfct}
T="$top/build/netns/tmotool"
ns="rawct-$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')"
trap 'ip netns del "$ns" 2>/dev/null' EXIT
ip netns add "$ns"
run() { ip netns exec "$ns" "$@"; }
run "$REF" add timeout tcp-long inet tcp established 3600 syn_sent 5 \
	UNACKNOWLEDGED 42
run "$REF" add timeout udp6 inet6 udp unreplied 10 replied 20
run "$REF" add timeout lite inet udplite replied 7
run "$REF" add timeout sctp6 inet6 sctp cookie_wait 1 shutdown_ack_sent 2
run "$REF" add timeout icmp4 inet icmp timeout 11
run "$REF" add timeout icmp6 inet6 icmpv6 timeout 12
run "$REF" add timeout gre inet gre unreplied 13
run "$REF" add timeout any inet generic timeout 14
run "$REF" add timeout 0123456789012345678901234567890 inet tcp close 1
protos="1 6 17 47 58 132 136 255"
{
	echo "# nfnetlink_cttimeout answers, one datagram per line (hex),"
	echo "# made by tests/data/make_tmo.sh on Linux $(uname -r):"
	echo "# the dump; get tcp-long; the defaults of protocols $protos"
	echo "# for inet then inet6; get of a missing name (ENOENT)."
	run "$T" dump
	run "$T" get tcp-long
	for l3 in 2 10; do
		for p in $protos; do run "$T" default "$l3" "$p"; done
	done
	run "$T" get nothere
} >"$hex"
name() { case $1 in 1) echo icmp ;; 6) echo tcp ;; 17) echo udp ;;
	47) echo gre ;; 58) echo icmpv6 ;; 132) echo sctp ;;
	136) echo udplite ;; 255) echo generic ;; esac; }
{
	run "$REF" list timeout
	run "$REF" get timeout tcp-long
	for l3 in inet inet6; do
		for p in $protos; do
			run "$REF" default-get timeout "$l3" "$(name "$p")"
		done
	done
} >"$txt"
