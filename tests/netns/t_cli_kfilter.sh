#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel dump filter (CTA_FILTER, mark, status, zone, family) is only
# an optimisation: with RAWCT_NO_KFILTER=1 (a test hook of cmd/) conntrack dumps everything and
# filters in userspace, and -L and -D must give identical results. The
# same holds with RAWCT_NO_PIPE=1 (no helper threads) against the default.
. "$(dirname "$0")/lib.sh"

NS=""

# table: a mixed table in $NS (v4/v6, tcp/udp/icmp, marks, zones, status).
table() {
	local i
	for ((i = 0; i < 60; i++)); do
		case $((i % 6)) in
		0) echo "-I -s 10.5.0.$i -d 10.6.0.$((i % 4)) -p tcp --sport $((1000 + i % 3)) --dport 80 --state ESTABLISHED -t 100 -m $((i % 4)) -w $((i % 3))" ;;
		1) echo "-I -s 10.5.0.$i -d 10.6.0.$((i % 4)) -p udp --sport $((1000 + i % 3)) --dport 53 -t 100 -m $((i % 4)) -u SEEN_REPLY" ;;
		2) echo "-I -s 10.5.0.$i -d 10.6.0.1 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id $i -t 100" ;;
		3) echo "-I -s 2001:db8::$i -d 2001:db8:1::$((i % 4)) -p tcp --sport 1000 --dport 443 --state ESTABLISHED -t 100 -m $((i % 4))" ;;
		4) echo "-I -s 2001:db8::$i -d 2001:db8:1::1 -p udp --sport $((1000 + i % 3)) --dport 53 -t 100 -w 2" ;;
		5) echo "-I -s 10.5.0.$i -d 10.6.0.$((i % 4)) -p udp --sport 1000 --dport 53 -t 100 --src-nat 7.7.7.$i" ;;
		esac
	done
}

FILTERS='-p tcp
-p udp --dport 53
-p udp --sport 1001
-f ipv6 -p tcp
-s 10.5.0.6
-d 10.6.0.2
-d 2001:db8:1::1
-s 10.5.0.0/28
-m 1
-m 0x2/0x2
-w 2
-w 0 -p tcp
-u SEEN_REPLY
-p icmp --icmp-id 8
-r 10.6.0.1
-q 10.5.0.7 -p udp
-n
-f ipv4 -m 2 -p tcp --dport 80'

# list_identical HOOK: -L gives the same entries with the environment
# variable HOOK set (a test hook of cmd/) as without.
list_identical() {
	local hook=$1 f k u
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
	table >"$T_TMP/t"
	ns_exec "$NS" "$CONNTRACK" -R "$T_TMP/t" || t_fail "-R table"
	while read -r f; do
		# same entries, same lines; the order may differ (a filter
		# without a family is sent as an IPv4 then an IPv6 dump) and
		# the timeout may tick between the two runs
		# shellcheck disable=SC2086
		k=$(ns_exec "$NS" "$CONNTRACK" -L $f 2>&1 | awk '{$3=""; print}' | sort)
		# shellcheck disable=SC2086
		u=$(env "$hook=1" ip netns exec "$NS" "$CONNTRACK" -L $f 2>&1 | awk '{$3=""; print}' | sort)
		if [ "$k" != "$u" ]; then
			diff <(echo "$k") <(echo "$u") >"$T_TMP/detail"
			t_fail "-L $f differs"
		fi
		case $k in
		*" 0 flow entries"*) t_fail "-L $f matched nothing: a weak case" ;;
		esac
	done <<<"$FILTERS"
}

# delete_identical HOOK: -D deletes and prints the same entries, and
# leaves the same table, with HOOK set as without.
delete_identical() {
	local hook=$1 f k u n1 n2
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new n1
	ns_new n2
	ns_require_ctnetlink "$n1"
	table >"$T_TMP/t"
	while read -r f; do
		ns_exec "$n1" "$CONNTRACK" -F 2>/dev/null
		ns_exec "$n2" "$CONNTRACK" -F 2>/dev/null
		ns_exec "$n1" "$CONNTRACK" -R "$T_TMP/t" || t_fail "-R table"
		ns_exec "$n2" "$CONNTRACK" -R "$T_TMP/t" || t_fail "-R table"
		# two namespaces hash differently: compare sorted
		# shellcheck disable=SC2086
		k=$(ns_exec "$n1" "$CONNTRACK" -D $f 2>&1 | awk '{$3=""; print}' | sort)
		# shellcheck disable=SC2086
		u=$(env "$hook=1" ip netns exec "$n2" "$CONNTRACK" -D $f 2>&1 | awk '{$3=""; print}' | sort)
		if [ "$k" != "$u" ]; then
			diff <(echo "$k") <(echo "$u") >"$T_TMP/detail"
			t_fail "-D $f differs"
		fi
		# what is left, without the timeouts (seconds pass)
		k=$(ns_exec "$n1" "$CONNTRACK" -L 2>&1 | awk '{$3=""; print}' | sort)
		u=$(ns_exec "$n2" "$CONNTRACK" -L 2>&1 | awk '{$3=""; print}' | sort)
		[ "$k" = "$u" ] || t_fail "tables differ after -D $f"
	done <<<"$FILTERS"
}

case_list_identical() { list_identical RAWCT_NO_KFILTER; }
case_delete_identical() { delete_identical RAWCT_NO_KFILTER; }
# piped dumps (a receiver thread; both halves of a split dump at once)
# and deletes sent from a helper thread, against the one-thread path
case_list_pipe() { need_threads; list_identical RAWCT_NO_PIPE; }
case_delete_pipe() { need_threads; delete_identical RAWCT_NO_PIPE; }

# A reader slower than the dump: the ring of datagrams fills, receivers
# wait for buffers and the lister wakes them. 20000 entries, IPv4 and
# IPv6 (so a filter without a family runs two dumps at once), read a
# line at a time by the shell; the same lines as with one thread.
# big_table: 20000 entries in $NS, half IPv4, half IPv6, all tcp.
big_table() {
	local i
	ns_new NS
	ns_require_ctnetlink "$NS"
	for ((i = 0; i < 20000; i++)); do
		if ((i % 2)); then
			echo "-I -s 10.7.$((i / 256 % 256)).$((i % 256)) -d 10.8.0.1 -p tcp --sport 1000 --dport $((1 + i % 3)) --state ESTABLISHED -t 200"
		else
			printf -- '-I -s 2001:db8::%x -d 2001:db8:1::1 -p tcp --sport 1000 --dport %d --state ESTABLISHED -t 200\n' "$i" $((1 + i % 3))
		fi
	done >"$T_TMP/t"
	ns_exec "$NS" "$CONNTRACK" -R "$T_TMP/t" || t_fail "-R table"
}

# like_one_thread HOW F LINES: LINES (-L F's lines, run HOW, sorted
# without the timeouts) must be the one-thread run's, and many.
like_one_thread() {
	local how=$1 f=$2 k=$3 u
	# shellcheck disable=SC2086
	u=$(RAWCT_NO_PIPE=1 ip netns exec "$NS" "$CONNTRACK" -L $f 2>&1 |
		awk '{$3=""; print}' | sort)
	[ "$(echo "$k" | wc -l)" -gt 6000 ] ||
		t_fail "-L $f: only $(echo "$k" | wc -l) lines"
	if [ "$k" != "$u" ]; then
		diff <(echo "$k") <(echo "$u") >"$T_TMP/detail"
		t_fail "-L $f $how differs"
	fi
}

case_pipe_slow_reader() {
	local f k
	need_threads
	big_table
	for f in "" "-p tcp --dport 2"; do
		# shellcheck disable=SC2086
		k=$(ns_exec "$NS" "$CONNTRACK" -L $f 2>&1 |
			while IFS= read -r l; do printf '%s\n' "$l"; done |
			awk '{$3=""; print}' | sort)
		like_one_thread "through a slow reader" "$f" "$k"
	done
}

# A caller that looks for datagrams only every 200 ms
# (RAWCT_PIPE_HOLD_US): with one dump the receiver wakes it when the
# ring is full; with two (a filter without a family) the caller receives
# the IPv4 dump and the helper thread walks the IPv6 one itself, while
# the caller waits for it. Either way, the lines of the one-thread run.
case_pipe_lazy_caller() {
	local f k
	need_threads
	big_table
	for f in "" "-p tcp --dport 2" "-p tcp"; do
		# shellcheck disable=SC2086
		k=$(RAWCT_PIPE_HOLD_US=200000 ip netns exec "$NS" "$CONNTRACK" -L $f 2>&1 |
			awk '{$3=""; print}' | sort)
		like_one_thread "with a lazy caller" "$f" "$k"
	done
}

t_case kfilter_list_identical case_list_identical
t_case kfilter_delete_identical case_delete_identical
t_case pipe_list_identical case_list_pipe
t_case pipe_delete_identical case_delete_pipe
t_case pipe_slow_reader case_pipe_slow_reader
t_case pipe_lazy_caller case_pipe_lazy_caller
t_done
