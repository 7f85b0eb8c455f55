#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Differential check of ct/format against the reference conntrack: in a
# throw-away namespace (rawct-<random>, deleted by the EXIT trap) the
# reference creates one entry of each kind, then `conntrack -L` with
# -o (none) | extended | extended,ktimestamp,id | xml | save is compared
# byte for byte with build/fmtdump printing the same dump through
# ct/format. Timeouts tick, so a mismatch is retried a few times.
# Needs root; prints PASS/FAIL per format and a summary line.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
REF=${REF:-/usr/sbin/conntrack}
FMTDUMP=${FMTDUMP:-$TOP/build/fmtdump}
if [ "$(id -u)" != 0 ] || [ ! -x "$REF" ] || [ ! -x "$FMTDUMP" ]; then
	echo "SKIP format_diff: needs root, $REF and $FMTDUMP"
	exit 0
fi
NS=rawct-fmt-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
TMP=$(mktemp -d)
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
ip netns add "$NS" || { echo "SKIP format_diff: no netns"; exit 0; }
in_ns() { ip netns exec "$NS" "$@"; }
in_ns sysctl -qw net.netfilter.nf_conntrack_acct=1 2>/dev/null
in_ns sysctl -qw net.netfilter.nf_conntrack_timestamp=1 2>/dev/null

mk() { in_ns "$REF" -I "$@" -t 200 2>/dev/null || echo "note: could not create: $*"; }
mk -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 --state ESTABLISHED -u SEEN_REPLY,ASSURED -m 7 -w 3
mk -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 1 --dport 2
mk -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 1226 -u SEEN_REPLY
mk -p icmpv6 -s 2001:db8::1 -d 2001:db8::2 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 7
mk -p 2 -s 0.0.0.0 -d 224.0.0.22
mk -p gre -s 3.3.3.3 -d 4.4.4.4 --srckey 5 --dstkey 0x16
mk -p tcp -s 5.5.5.5 -d 6.6.6.6 --sport 10 --dport 20 --state SYN_SENT --dst-nat 7.7.7.7:80
mk -p tcp -s 5.5.5.6 -d 6.6.6.6 --sport 10 --dport 20 --state TIME_WAIT -u ASSURED --src-nat 8.8.8.8
mk -p sctp -s 3.3.3.3 -d 4.4.4.4 --sport 5 --dport 6 --state ESTABLISHED --orig-vtag 100 --reply-vtag 200
mk -p tcp -s 4.4.4.1 -d 4.4.4.2 --sport 1 --dport 2 --state SYN_RECV --orig-zone 2
mk -p udplite -s 9.9.9.9 -d 8.8.8.8 --sport 3 --dport 4 -u SEEN_REPLY,ASSURED,FIXED_TIMEOUT -m 0xffffffff
mk -p tcp -s 2001:db8::5 -d 2001:db8::6 --sport 7 --dport 8 --state FIN_WAIT -u SEEN_REPLY
mk -p dccp -s 6.6.6.1 -d 6.6.6.2 --sport 1 --dport 2 --state OPEN --role client

pass=0 fail=0
check() {	# name, ref -o args, fmtdump mode
	local name=$1 oargs=$2 mode=$3 try
	for try in 1 2 3; do
		in_ns "$REF" -L $oargs >"$TMP/ref" 2>/dev/null
		in_ns "$FMTDUMP" "$mode" >"$TMP/ours" 2>&1
		in_ns "$REF" -L $oargs >"$TMP/ref2" 2>/dev/null
		if cmp -s "$TMP/ref" "$TMP/ours" || cmp -s "$TMP/ref2" "$TMP/ours"; then
			echo "PASS format_diff $name ($(wc -l <"$TMP/ours") lines)"
			pass=$((pass + 1))
			return
		fi
		sleep 0.3
	done
	echo "FAIL format_diff $name"
	diff -u "$TMP/ref" "$TMP/ours" | head -40
	fail=$((fail + 1))
}
check default "" default
check extended "-o extended" extended
check ktimestamp "-o extended,ktimestamp,id" ktimestamp
check xml "-o xml" xml
check save "-o save" save
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
