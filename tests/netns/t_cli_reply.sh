#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrack(8) naming entries by their reply tuple, or by both tuples,
# against the real kernel: ICMP and ICMPv6 entries created with both
# tuples (the reply one paired: echo reply for echo), in either option
# order and through -A and -R; every protocol created, got, updated and
# deleted by its reply tuple alone, in and out of -w, --orig-zone and
# --reply-zone zones, with entries of the same tuple in other zones left
# alone; l4 fields left out sent as 0.
. "$(dirname "$0")/lib.sh"

NS=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }

# ct_count ARGS...: the N of "N flow entries have been ..." of conntrack ARGS.
ct_count() {
	ct "$@" 2>&1 >/dev/null | sed -n 's/.*: \([0-9]*\) flow entries have been.*/\1/p'
}

# lines PATTERN: the number of -L lines matching the extended PATTERN.
lines() {
	ct -L 2>/dev/null | grep -cE -- "$1"
}

setup() {
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
}

I4='-s 1.1.1.1 -d 2.2.2.2'
R4='-r 2.2.2.2 -q 1.1.1.1'
I6='-s 2001:db8::1 -d 2001:db8::2'
R6='-r 2001:db8::2 -q 2001:db8::1'
ECHO4='src=1.1.1.1 dst=2.2.2.2 type=8 code=0 id=1226 src=2.2.2.2 dst=1.1.1.1 type=0 code=0 id=1226'
ECHO6='src=2001:db8::1 dst=2001:db8::2 type=128 code=0 id=1226 src=2001:db8::2 dst=2001:db8::1 type=129 code=0 id=1226'

# The first example of the issue, and the same through -A, -R, ICMPv6
# and with the ICMP options first.
case_icmp_both() {
	local out
	setup
	# shellcheck disable=SC2086
	t_run out ct -I -t 29 -u SEEN_REPLY $I4 $R4 -p icmp --icmp-type 8 \
		--icmp-code 0 --icmp-id 1226
	t_eq "-I both tuples" "$(lines "$ECHO4 mark=0 use=1")" 1
	# shellcheck disable=SC2086
	t_run out ct -A -t 50 -u SEEN_REPLY -p icmp --icmp-type 8 \
		--icmp-code 0 --icmp-id 1226 $I4 $R4
	t_eq "-A on it" "$(lines "^icmp +1 (4[0-9]|50) $ECHO4")" 1
	t_eq "-D by both" "$(ct_count -D $I4 $R4 -p icmp --icmp-type 8)" 1
	printf '%s\n' "-I -t 29 -u SEEN_REPLY -w 3 $I6 $R6 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 1226" \
		"-A -t 29 -u SEEN_REPLY $R4 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 1226" \
		>"$T_TMP/load"
	t_run out ct -R "$T_TMP/load"
	t_eq "-R icmpv6 both" "$(lines "$ECHO6 .*zone=3")" 1
	t_eq "-R icmp reply only" "$(lines "$ECHO4")" 1
	# shellcheck disable=SC2086
	t_eq "-G icmp by reply" \
		"$(ct_count -G $R4 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 1226)" 1
	# no --icmp-id: id 0, both directions
	# shellcheck disable=SC2086
	t_run out ct -I -t 29 -s 3.3.3.3 -d 4.4.4.4 -r 4.4.4.4 -q 3.3.3.3 \
		-p icmp --icmp-type 13 --icmp-code 0
	t_eq "no id" "$(lines 'type=13 code=0 id=0 .*type=14 code=0 id=0')" 1
	t_eq "-C" "$(ct -C)" 3
}

# name|orig|reply|-I extras|the reply part of its -L line
PROTOS='tcp|-p tcp --sport 21 --dport 11|-p tcp --reply-port-src 11 --reply-port-dst 21|--state LISTEN|src=2.2.2.2 dst=1.1.1.1 sport=11 dport=21
udp|-p udp --sport 21 --dport 11|-p udp --reply-port-src 11 --reply-port-dst 21||src=2.2.2.2 dst=1.1.1.1 sport=11 dport=21
udplite|-p udplite --sport 21 --dport 11|-p udplite --reply-port-src 11 --reply-port-dst 21||src=2.2.2.2 dst=1.1.1.1 sport=11 dport=21
sctp|-p sctp --sport 21 --dport 11|-p sctp --reply-port-src 11 --reply-port-dst 21|--state ESTABLISHED --orig-vtag 1 --reply-vtag 2|src=2.2.2.2 dst=1.1.1.1 sport=11 dport=21
icmp|-p icmp --icmp-type 8 --icmp-code 0 --icmp-id 7|-p icmp --icmp-type 8 --icmp-code 0 --icmp-id 7||src=2.2.2.2 dst=1.1.1.1 type=0 code=0 id=7
gre|-p gre --srckey 21 --dstkey 11|-p gre --reply-key-src 11 --reply-key-dst 21||src=2.2.2.2 dst=1.1.1.1 srckey=0xb dstkey=0x15
unknown|-p 2|-p 2||src=2.2.2.2 dst=1.1.1.1'

# The second example of the issue for every protocol (DCCP aside: 6.18
# tracks it as generic, without ports) and every zone option: the same
# tuple in zones 0, 11 and 12 (-w), then orig/reply zone 11 each on
# their own addresses' entry; each deleted by its reply tuple alone,
# directly and through -R, the others left.
case_delete_by_reply() {
	local p o r ex rl n
	setup
	while IFS='|' read -r p o r ex rl; do
		ct -F >/dev/null 2>&1
		for z in "" "-w 11" "-w 12"; do
			# shellcheck disable=SC2086
			ct -I -t 100 $z $I4 $o $ex >/dev/null 2>&1 ||
				t_fail "$p: -I $z"
		done
		# shellcheck disable=SC2086
		n=$(ct_count -D -w 11 $R4 $r)
		t_eq "$p: -D -w 11 by reply" "$n" 1
		t_eq "$p: zone 11 gone" "$(lines "$rl .*zone=11 ")" 0
		t_eq "$p: others left" "$(ct -C)" 2
		echo "-D -w 12 $R4 $r" >"$T_TMP/load"
		ct -R "$T_TMP/load" >/dev/null 2>&1 || t_fail "$p: -R -D -w 12"
		t_eq "$p: -R zone 12 gone" "$(lines "zone=12")" 0
		# shellcheck disable=SC2086
		t_eq "$p: -G by reply" "$(ct_count -G $R4 $r)" 1
		# shellcheck disable=SC2086
		t_eq "$p: -U by reply" "$(ct_count -U $R4 $r -m 9)" 1
		t_eq "$p: mark" "$(lines "$rl .*mark=9 ")" 1
		# shellcheck disable=SC2086
		t_eq "$p: -D by reply" "$(ct_count -D $R4 $r)" 1
		for z in --orig-zone --reply-zone; do
			# shellcheck disable=SC2086
			ct -I -t 100 $z 11 $R4 $r $ex >/dev/null 2>&1 ||
				t_fail "$p: -I $z by reply"
			# shellcheck disable=SC2086
			t_eq "$p: -D $z 12" "$(ct_count -D $z 12 $R4 $r)" 0
			# shellcheck disable=SC2086
			t_eq "$p: -D $z 11" "$(ct_count -D $z 11 $R4 $r)" 1
		done
		t_eq "$p: empty" "$(ct -C)" 0
	done <<<"$PROTOS"
}

# -G with both tuples compares the one it did not look up by; reply
# ports with orig addresses look up orig ports 0.
case_get_both() {
	local out
	setup
	# shellcheck disable=SC2086
	t_run out ct -I -t 100 $I4 -p tcp --sport 21 --dport 11 --state LISTEN
	t_eq "-G both" "$(ct_count -G $I4 $R4 -p tcp --sport 21 --dport 11 \
		--reply-port-src 11 --reply-port-dst 21)" 1
	t_eq "-G other reply" "$(ct_count -G $I4 $R4 -p tcp --sport 21 \
		--dport 11 --reply-port-src 11 --reply-port-dst 22)" 0
	out=$(ct -G $I4 $R4 -p tcp --reply-port-src 11 --reply-port-dst 21 2>&1)
	case $out in
	*"such conntrack doesn't exist"*) ;;
	*) t_fail "-G orig addresses, reply ports: $out" ;;
	esac
	t_run out ct -I -t 100 -s 5.5.5.5 -d 6.6.6.6 -r 6.6.6.6 -q 5.5.5.5 \
		-p tcp --reply-port-src 11 --reply-port-dst 21 --state LISTEN
	t_eq "orig ports 0" \
		"$(lines 'src=5.5.5.5 dst=6.6.6.6 sport=0 dport=0 .*sport=11 dport=21')" 1
}

t_case icmp_both case_icmp_both
t_case delete_by_reply case_delete_by_reply
t_case get_both case_get_both
t_done
