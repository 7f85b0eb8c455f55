# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Setup functions shared by the scenario files (sourced after lib.sh).
# Each runs inside a fresh namespace as `bash -c` with $REF set, and
# creates its entries with the reference binary so that both sides of a
# scenario start from the same table.

# zoo: one entry of every protocol and feature the formatter knows:
# TCP/UDP/UDPlite/SCTP/DCCP (generic on kernels without DCCP
# conntrack)/ICMP/ICMPv6/GRE/unknown protocol 2, IPv4 and IPv6, marks,
# zones, orig/reply zones, SNAT and DNAT, every status bit the save
# format knows. Accounting and timestamps are on.
zoo() {
	sysctl -qw net.netfilter.nf_conntrack_acct=1
	sysctl -qw net.netfilter.nf_conntrack_timestamp=1
	mk() {
		if [ -n "${ZOO_NOMARK:-}" ]; then
			local a=() m=0
			for x in "$@"; do
				if [ "$m" = 1 ]; then m=0; continue; fi
				[ "$x" = -m ] && { m=1; continue; }
				a+=("$x")
			done
			set -- "${a[@]}"
		fi
		"$REF" -I "$@" -t 200 2>/dev/null
	}
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
	mk -p tcp -s 4.4.4.1 -d 4.4.4.3 --sport 1 --dport 2 --state CLOSE_WAIT --reply-zone 5 -m 0x10
	mk -p udplite -s 9.9.9.9 -d 8.8.8.8 --sport 3 --dport 4 -u SEEN_REPLY,ASSURED,FIXED_TIMEOUT -m 0xffffffff
	mk -p tcp -s 2001:db8::5 -d 2001:db8::6 --sport 7 --dport 8 --state FIN_WAIT -u SEEN_REPLY -m 0x11
	mk -p dccp -s 6.6.6.1 -d 6.6.6.2 --sport 1 --dport 2 --state OPEN --role client
	mk -p udp -s 10.1.2.3 -d 10.9.8.7 --sport 53 --dport 5353 -u SEEN_REPLY -m 0x12 -w 3
	mk -p udp -s 2001:db8:1::9 -d 2001:db8:2::9 --sport 53 --dport 53 -g '[2001:db8:3::1]:5353'
	mk -p icmp -s 10.1.2.3 -d 10.1.2.4 --icmp-type 13 --icmp-code 0 --icmp-id 9 -n 10.7.7.7
	mk -p 41 -s 10.1.2.3 -d 10.1.2.5 -m 0x20
	return 0
}

# zoo_nomark: the zoo without marks (upstream's save format drops marks,
# ours keeps them: spec section 5).
zoo_nomark() {
	ZOO_NOMARK=1 zoo
}

# one_tcp: a single TCP entry (for unsorted XML and single-entry output).
one_tcp() {
	sysctl -qw net.netfilter.nf_conntrack_acct=1
	sysctl -qw net.netfilter.nf_conntrack_timestamp=1
	"$REF" -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 \
		--state ESTABLISHED -u SEEN_REPLY,ASSURED -m 7 -w 3 -t 200
}

# one_udp6: a single IPv6 UDP entry without accounting.
one_udp6() {
	"$REF" -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 1 --dport 2 -t 200
}

# one_tcp_seen: an assured TCP flow and a replied (not assured) UDP flow.
one_tcp_seen() {
	"$REF" -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 \
		--state ESTABLISHED -u SEEN_REPLY,ASSURED -t 200
	"$REF" -I -p udp -s 10.1.2.3 -d 10.9.8.7 --sport 53 --dport 5353 \
		-u SEEN_REPLY -t 200
}

# nat_icmp: an SNATed ICMP flow.
nat_icmp() {
	"$REF" -I -p icmp -s 10.1.2.3 -d 10.1.2.4 --icmp-type 13 \
		--icmp-code 0 --icmp-id 9 -n 10.7.7.7 -t 200
}

# zones: a flow in zone 3, one in orig zone 2, one in no zone.
zones() {
	"$REF" -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 \
		--state SYN_SENT -w 3 -t 200
	"$REF" -I -p tcp -s 1.1.1.2 -d 2.2.2.2 --sport 1 --dport 2 \
		--state SYN_SENT --orig-zone 2 -t 200
	"$REF" -I -p tcp -s 1.1.1.3 -d 2.2.2.2 --sport 1 --dport 2 \
		--state SYN_SENT -t 200
}
