#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrack(8) commands against the real kernel, each case in a fresh
# namespace: -I/-A/-G/-U/-D/-L on tcp, udp, icmp, icmpv6, sctp, gre and an
# unknown protocol over IPv4 and IPv6; NAT creates and the NAT filters;
# zones; marks with masks; CIDR and status filters; -F, -C, -S.
. "$(dirname "$0")/lib.sh"

NS=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }

# ct_count ARGS...: the N of "N flow entries have been ..." of conntrack ARGS.
ct_count() {
	ct "$@" 2>&1 >/dev/null | sed -n 's/.*: \([0-9]*\) flow entries have been.*/\1/p'
}

setup() {
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
}

case_protocols() {
	local spec key n out
	setup
	while IFS='|' read -r spec key; do
		[ -n "$spec" ] || continue
		# shellcheck disable=SC2086
		ct -I $spec $key -t 100 >/dev/null 2>&1 || t_fail "-I $spec $key"
		# shellcheck disable=SC2086
		out=$(ct -I $spec $key -t 100 2>&1)
		[ $? = 1 ] || t_fail "second -I $spec: not exit 1"
		case $out in
		*"Operation failed: Such conntrack exists, try -U to update"*) ;;
		*) t_fail "second -I $spec: $out" ;;
		esac
		# shellcheck disable=SC2086
		n=$(ct_count -A $spec $key -t 200)
		t_eq "-A $spec" "$n" 1
		# shellcheck disable=SC2086
		n=$(ct_count -G $spec $key)
		t_eq "-G $spec" "$n" 1
		# shellcheck disable=SC2086
		out=$(ct -G $spec $key 2>/dev/null)
		# 200 less what has elapsed: 200 itself when the kernel's
		# clock has not ticked since (it rounds down)
		case $out in
		*" 19"[0-9]" "* | *" 200 "*) ;;
		*) t_fail "-A did not update the timeout of $spec: $out" ;;
		esac
	done <<'TABLE'
-s 10.0.0.1 -d 10.0.0.2 -p tcp|--sport 1 --dport 2 --state ESTABLISHED
-s 10.0.0.1 -d 10.0.0.2 -p udp|--sport 1 --dport 2
-s 10.0.0.1 -d 10.0.0.2 -p icmp|--icmp-type 8 --icmp-code 0 --icmp-id 7
-s 10.0.0.1 -d 10.0.0.2 -p sctp|--sport 1 --dport 2 --state ESTABLISHED --orig-vtag 5 --reply-vtag 6
-s 10.0.0.1 -d 10.0.0.2 -p gre|--srckey 0x10 --dstkey 0x20
-s 10.0.0.1 -d 10.0.0.2 -p 99|
-s 2001:db8::1 -d 2001:db8::2 -p tcp|--sport 1 --dport 2 --state ESTABLISHED
-s 2001:db8::1 -d 2001:db8::2 -p udp|--sport 1 --dport 2
-s 2001:db8::1 -d 2001:db8::2 -p icmpv6|--icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 9
-s 2001:db8::1 -d 2001:db8::2 -p sctp|--sport 1 --dport 2 --state ESTABLISHED --orig-vtag 5 --reply-vtag 6
-s 2001:db8::1 -d 2001:db8::2 -p gre|--srckey 0x10 --dstkey 0x20
-s 2001:db8::1 -d 2001:db8::2 -p 99|
TABLE
	t_eq "-C" "$(ct -C)" 12
	t_eq "-L" "$(ct_count -L)" 12
	t_eq "-L -f ipv6" "$(ct_count -L -f ipv6)" 6
	t_eq "-L -p gre" "$(ct_count -L -p gre)" 2
	t_eq "-L -p 99" "$(ct_count -L -p 99)" 2
	t_eq "-U -p icmp -m 3" "$(ct_count -U -p icmp -m 3)" 1
	t_eq "-L -m 3" "$(ct_count -L -m 3)" 1
	t_eq "-D -f ipv4 -p sctp" "$(ct_count -D -f ipv4 -p sctp)" 1
	t_eq "-D -p icmpv6" "$(ct_count -D -p icmpv6)" 1
	t_eq "-D -s 2001:db8::1" "$(ct_count -D -s 2001:db8::1)" 5
	t_eq "-C after -D" "$(ct -C)" 5
	out=$(ct -S)
	case $out in
	cpu=0*found=*) ;;
	*) t_fail "-S: $out" ;;
	esac
	ct -F >/dev/null 2>&1 || t_fail "-F failed"
	t_eq "-C after -F" "$(ct -C)" 0
}

case_nat() {
	local out
	setup
	ct -I -s 10.0.0.1 -d 10.0.0.2 -p tcp --sport 10 --dport 20 \
		--state ESTABLISHED -t 100 --src-nat 5.5.5.5 2>/dev/null ||
		t_fail "-I --src-nat"
	ct -I -s 10.0.0.1 -d 10.0.0.3 -p udp --sport 10 --dport 20 -t 100 \
		--dst-nat 6.6.6.6:99 2>/dev/null || t_fail "-I --dst-nat"
	ct -I -s 10.0.0.1 -d 10.0.0.4 -p udp --sport 10 --dport 20 -t 100 \
		2>/dev/null || t_fail "-I plain"
	out=$(ct -G -s 10.0.0.1 -d 10.0.0.3 -p udp --sport 10 --dport 20 2>/dev/null)
	case $out in
	*"src=6.6.6.6 dst=10.0.0.1 sport=99 dport=10"*) ;;
	*) t_fail "dst-nat reply tuple: $out" ;;
	esac
	t_eq "-L -n" "$(ct_count -L -n)" 1
	t_eq "-L -g" "$(ct_count -L -g)" 1
	t_eq "-L -j" "$(ct_count -L -j)" 2
	t_eq "-L --src-nat 5.5.5.5" "$(ct_count -L --src-nat 5.5.5.5)" 1
	t_eq "-L --src-nat 5.5.5.6" "$(ct_count -L --src-nat 5.5.5.6)" 0
	t_eq "-L --dst-nat 6.6.6.6:99" "$(ct_count -L --dst-nat 6.6.6.6:99)" 1
	t_eq "-D -g" "$(ct_count -D -g)" 1
	t_eq "-C" "$(ct -C)" 2
}

case_zones() {
	local z out
	setup
	for z in 0 3 7; do
		ct -I -s 10.0.0.1 -d 10.0.0.2 -p udp --sport 1 --dport 2 -t 100 \
			-w $z 2>/dev/null || t_fail "-I -w $z"
	done
	t_eq "-L -w 3" "$(ct_count -L -w 3)" 1
	t_eq "-L -w 0" "$(ct_count -L -w 0)" 1
	# a complete tuple and a zone: that entry only
	out=$(ct -D -s 10.0.0.1 -d 10.0.0.2 -p udp --sport 1 --dport 2 -w 3 2>/dev/null)
	case $out in
	*"zone=3"*) ;;
	*) t_fail "-D -w 3 printed: $out" ;;
	esac
	t_eq "-C after -D -w 3" "$(ct -C)" 2
	t_eq "-D -w 3 again" "$(ct_count -D -s 10.0.0.1 -d 10.0.0.2 -p udp --sport 1 --dport 2 -w 3)" 0
	# without a zone upstream matches the tuple in every zone
	t_eq "-D without zone" "$(ct_count -D -s 10.0.0.1 -d 10.0.0.2 -p udp --sport 1 --dport 2)" 2
	t_eq "-C" "$(ct -C)" 0
}

case_marks() {
	local m out rc
	setup
	for m in 0x11 0x12 0x21; do
		ct -I -s 10.0.0.1 -d 10.0.0.2 -p udp --sport 1 --dport "$((m))" \
			-t 100 -m $m 2>/dev/null || t_fail "-I -m $m"
	done
	t_eq "-L -m 0x1/0xf" "$(ct_count -L -m 0x1/0xf)" 2
	t_eq "-L -m 0x10/0xf0" "$(ct_count -L -m 0x10/0xf0)" 2
	t_eq "-U -m 0x100/0xf00" "$(ct_count -U -m 0x100/0xf00)" 3
	t_eq "-L -m 0x100/0xf00" "$(ct_count -L -m 0x100/0xf00)" 3
	t_eq "-L -m 0x111" "$(ct_count -L -m 0x111)" 1
	out=$(ct -U -p udp --dport 17 -m 42 2>/dev/null)
	case $out in
	*"mark=42"*) ;;
	*) t_fail "-U printed: $out" ;;
	esac
	# already 42: nothing changes, 0 updated, exit 1 (testsuite 05mark)
	out=$(ct -U -p udp --dport 17 -m 42 2>&1)
	rc=$?
	t_eq "second -U exit" "$rc" 1
	case $out in
	*"0 flow entries have been updated."*) ;;
	*) t_fail "second -U: $out" ;;
	esac
	t_eq "-D -m 0x100/0xf00" "$(ct_count -D -m 0x100/0xf00)" 2
}

case_cidr_status() {
	local a
	setup
	for a in 10.0.0.1 10.0.0.200 10.0.1.1; do
		ct -I -s $a -d 10.9.9.9 -p udp --sport 1 --dport 2 -t 100 \
			2>/dev/null || t_fail "-I -s $a"
	done
	ct -I -s 2001:db8::1 -d 2001:db8:1::1 -p udp --sport 1 --dport 2 -t 100 \
		-u SEEN_REPLY,ASSURED 2>/dev/null || t_fail "-I v6 ASSURED"
	ct -I -s 2001:db9::1 -d 2001:db8:1::1 -p udp --sport 1 --dport 2 -t 100 \
		2>/dev/null || t_fail "-I v6"
	t_eq "-L -s 10.0.0.0/24" "$(ct_count -L -s 10.0.0.0/24)" 2
	t_eq "-L -s 10.0.0.0/16" "$(ct_count -L -s 10.0.0.0/16)" 3
	t_eq "-L -s 2001:db8::/32" "$(ct_count -L -s 2001:db8::/32)" 1
	t_eq "-L -d 2001:db8::/32" "$(ct_count -L -d 2001:db8::/32)" 2
	t_eq "-L -u ASSURED" "$(ct_count -L -u ASSURED)" 1
	t_eq "-U -s 10.0.0.0/24 -u ASSURED" "$(ct_count -U -s 10.0.0.0/24 -u ASSURED)" 2
	t_eq "-L -u ASSURED after -U" "$(ct_count -L -u ASSURED)" 3
	t_eq "-D -s 10.0.0.0/25" "$(ct_count -D -s 10.0.0.0/25)" 1
	t_eq "-F -f ipv6 leaves ipv4" "$(ct -F -f ipv6 2>/dev/null; ct -C)" 2
}

t_case cli_protocols case_protocols
t_case cli_nat case_nat
t_case cli_zones case_zones
t_case cli_marks case_marks
t_case cli_cidr_status case_cidr_status
t_done
