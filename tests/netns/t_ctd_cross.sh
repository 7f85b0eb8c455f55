#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The control protocol across vendors, Stats mode: our client against the
# reference daemon (/usr/sbin/conntrackd, 1.4.7) and the reference client
# against ours. Every request is asked of each daemon by both clients and
# the answers (exit code, stdout, stderr; for the requests that change
# something, the log lines they add and what they leave behind) must be
# the same whichever client asked; the same-vendor pairs must agree with
# each other too (with the numbers that vary masked). Also: ours answers
# `-s json` with valid JSON, and its client gets nothing (exit 0) from a
# daemon that does not know that request.
. "$(dirname "$0")/ctd_lib.sh"

CTD_REF=${CTD_REF:-/usr/sbin/conntrackd}
CT=${CT:-/usr/sbin/conntrack}
VENDORS="ref ours"
# set by setup (eval), read through eval but by case_json
# shellcheck disable=SC2034
NS_ref="" NS_ours="" DIR_ref="" DIR_ours=""

t_prereq() {
	[ -x "$NLPROBE" ] || { echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"; return; }
	[ -x "$CONNTRACKD" ] || { echo "FAIL $CONNTRACKD missing (make all)"; return; }
	[ -x "$CTD_REF" ] || { echo "SKIP reference $CTD_REF missing (apt-get install conntrackd)"; return; }
	[ -x "$CT" ] || echo "SKIP $CT missing (apt-get install conntrack)"
}

bin_of() {
	case $1 in
	ref) echo "$CTD_REF" ;;
	ours) echo "$CONNTRACKD" ;;
	esac
}

# Each vendor's daemon has a namespace and a directory of its own:
# NS_ref, NS_ours, DIR_ref, DIR_ours.
flows() {
	ns_exec "$1" "$CT" -I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 \
		--state ESTABLISHED -t 100 -u ASSURED,SEEN_REPLY -m 9 &&
	ns_exec "$1" "$CT" -I -s 1.1.1.3 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100 &&
	ns_exec "$1" "$CT" -I -s 2001:db8::1 -d 2001:db8::2 -p icmpv6 \
		--icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 7 -t 100 &&
	ns_exec "$1" "$CT" -I -s 3.3.3.3 -d 4.4.4.4 -p gre --srckey 5 --dstkey 6 -t 100
} 2>/dev/null

# start VENDOR: its daemon over the four flows, then a fifth seen as an
# event (so the counters of -s move).
start() {
	local v=$1 ns dir
	eval "ns=\$NS_$v dir=\$DIR_$v"
	ns_exec "$ns" "$CT" -D -s 7.7.7.7 >/dev/null 2>&1
	CONNTRACKD=$(bin_of "$v") ctd_start "$ns" "$dir"
	eval "PID_$v=\$CTD_PID"
	ns_exec "$ns" "$CT" -I -s 7.7.7.7 -d 8.8.8.8 -p udp --sport 9 --dport 10 \
		-t 100 2>/dev/null || t_fail "conntrack -I"
	CONNTRACKD=$(bin_of "$v") ctd_wait_active "$ns" "$dir" 5
}

# setup: a namespace, the flows and a configuration per vendor; the
# daemons are started by the case (start).
setup() {
	local v ns
	trap ctd_cleanup EXIT
	for v in $VENDORS; do
		ns_new ns
		ns_require_ctnetlink "$ns"
		flows "$ns" || t_fail "conntrack -I"
		eval "NS_$v=\$ns DIR_$v=\$T_TMP/\$v"
		ctd_conf "$T_TMP/$v" "Stats { LogFile DIR/flows }"
	done
}

# norm: what legitimately varies between two runs of one request
norm() {
	sed -E -e 's/^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4}\] \(pid=[0-9]+\)/[DATE] (pid=N)/' \
		-e 's/\[active since [0-9]+s\]/[active since Ns]/g' \
		-e 's#<id>[0-9]+</id>#<id>N</id>#g' \
		-e "s#$T_TMP/(ref|ours)#DIR#g"
}

# ask DAEMON CLIENT ARGS...: the client's answer, as a document
ask() {
	local d=$1 c=$2 ns dir
	shift 2
	eval "ns=\$NS_$d dir=\$DIR_$d"
	LC_ALL=C timeout 20 ip netns exec "$ns" "$(bin_of "$c")" \
		-C "$dir/c.conf" "$@" >"$T_TMP/o" 2>"$T_TMP/e" </dev/null
	echo "exit: $?"
	if [ "$SORT" = 1 ]; then norm <"$T_TMP/o" | LC_ALL=C sort; else norm <"$T_TMP/o"; fi
	echo "--- stderr"
	norm <"$T_TMP/e"
}

# same WHAT A B: fails the case with a diff unless A and B are equal
same() {
	[ "$2" = "$3" ] && return 0
	diff -u --label "$1 (first)" --label "$1 (second)" \
		<(printf '%s\n' "$2") <(printf '%s\n' "$3") >"$T_TMP/detail"
	t_fail "$1 differ"
}

# mask the counters that differ between two daemons' runs
mask() {
	sed -E -e 's/daemon uptime: .*/daemon uptime: T/' \
		-e 's/(current buffer size \(in bytes\):\t) *[0-9]+/\1N/' \
		-e 's/(local unknown request:\t\t) *[0-9]+/\1N/'
}

# cross ARGS...: both clients against each daemon, then the vendors'
# own pairs against each other (masked)
cross() {
	local d r o own_ref="" own_ours=""
	for d in $VENDORS; do
		r=$(ask "$d" ref "$@")
		o=$(ask "$d" ours "$@")
		same "$* to the $d daemon: reference client, our client" "$r" "$o"
		if [ "$d" = ref ]; then own_ref=$r; else own_ours=$o; fi
	done
	same "$*: reference pair, our pair" "$(mask <<<"$own_ref")" \
		"$(mask <<<"$own_ours")"
}

case_read() {
	setup
	start ref
	start ours
	SORT=0
	for a in -s "-s ct" "-s cache" "-s runtime" "-s process" \
		"-s network" "-s link" "-s queue" "-s rsqueue" "-s expect" \
		-e "-e -x" "-i expect" -n -B -t -c "-c ct"; do
		# shellcheck disable=SC2086
		cross $a
	done
	SORT=1
	cross -i
	cross -i ct
	cross -i -x
	SORT=0
	# -s runtime after the unknown requests: both clients alike
	for d in $VENDORS; do
		same "-s runtime of $d after unknown requests" \
			"$(ask "$d" ref -s runtime)" "$(ask "$d" ours -s runtime)"
	done
	# the one counter the vendors' pairs differ on: upstream's Stats
	# mode counts no request as unknown, ours counts the 13 codes above
	# that Stats mode does not serve, asked by two clients each
	t_eq "unknown requests, reference" "$(unknown ref)" 0
	t_eq "unknown requests, ours" "$(unknown ours)" 26
}

unknown() {
	ask "$1" "$1" -s runtime | awk '/local unknown request/ { print $NF }'
}

# after DAEMON CLIENT WANT ARGS...: the answer to a request and what it
# changed: the log lines it added, then the cache's size (once it is
# WANT, or after 5 s: a flush of the kernel table reaches the cache
# through events) and, with KERNEL set, the kernel table's
after() {
	local d=$1 c=$2 want=$3 ns dir n
	shift 3
	eval "ns=\$NS_$d dir=\$DIR_$d"
	n=$(wc -l <"$dir/log")
	ask "$d" "$c" "$@"
	for _ in $(seq 1 250); do
		[ "$(CONNTRACKD=$(bin_of "$d") ctd_active "$ns" "$dir")" = "$want" ] &&
			break
		sleep 0.02
	done
	sleep 0.1
	echo "--- log"
	tail -n +"$((n + 1))" "$dir/log" | norm
	echo "--- active: $(CONNTRACKD=$(bin_of "$d") ctd_active "$ns" "$dir")"
	[ "$KERNEL" = 1 ] && echo "--- kernel: $(ns_exec "$ns" "$CT" -C)"
}

# restore VENDOR: the cache (and the kernel table) as start left them
restore() {
	local d=$1 ns dir
	eval "ns=\$NS_$d dir=\$DIR_$d"
	if [ "$(ns_exec "$ns" "$CT" -C)" = 0 ]; then
		flows "$ns"
		ns_exec "$ns" "$CT" -I -s 7.7.7.7 -d 8.8.8.8 -p udp --sport 9 \
			--dport 10 -t 100 2>/dev/null
	fi
	ns_exec "$ns" "$CONNTRACKD" -C "$dir/c.conf" -R 2>/dev/null
	# either client resyncs either daemon (asserted by the cases)
	CONNTRACKD=$(bin_of "$d") ctd_wait_active "$ns" "$dir" 5
}

# change [--no-vendor] WANT ARGS...: a request that changes the
# daemon's state (WANT: the cache's size it leads to), asked by each
# client of each daemon in turn (restored between)
change() {
	local d r o vendor=1 own_ref="" own_ours="" want
	[ "$1" = --no-vendor ] && { vendor=0; shift; }
	want=$1
	shift
	for d in $VENDORS; do
		r=$(after "$d" ref "$want" "$@")
		restore "$d"
		o=$(after "$d" ours "$want" "$@")
		restore "$d"
		same "$* to the $d daemon: reference client, our client" "$r" "$o"
		if [ "$d" = ref ]; then own_ref=$r; else own_ours=$o; fi
	done
	[ "$vendor" = 1 ] && same "$*: reference pair, our pair" \
		"$own_ref" "$own_ours"
	return 0
}

case_change() {
	setup
	start ref
	start ours
	KERNEL=0
	change 0 -f internal
	change 0 -f int
	# bare -f: ours flushes the Stats cache, upstream ignores it
	change --no-vendor 0 -f
	change 5 -R
	change 5 -R ct
	# Stats mode has no external cache: nothing happens
	change 5 -f external
	KERNEL=1
	change 0 -F
	change 0 -F ct
}

# -k: each client stops each daemon (restarted for the second)
case_kill() {
	local d c ns dir pid doc own_ref="" own_ours="" first
	setup
	for d in $VENDORS; do
		eval "ns=\$NS_$d dir=\$DIR_$d"
		first=""
		for c in $VENDORS; do
			start "$d"
			eval "pid=\$PID_$d"
			doc=$(ask "$d" "$c" -k
				for _ in $(seq 1 500); do
					kill -0 "$pid" 2>/dev/null || break
					sleep 0.01
				done
				kill -0 "$pid" 2>/dev/null && echo "--- still running"
				echo "--- last log line: $(tail -n 1 "$dir/log" | norm)"
				[ -e "$dir/sock" ] && echo "--- socket left"
				[ -e "$dir/lock" ] && echo "--- lock left")
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			rm -f "$dir/lock"
			if [ -z "$first" ]; then
				first=$doc
			else
				same "-k to the $d daemon: reference client, our client" \
					"$first" "$doc"
			fi
		done
		eval "own_$d=\$doc"
	done
	same "-k: reference pair, our pair" "$own_ref" "$own_ours"
}

case_json() {
	local out
	command -v python3 >/dev/null || t_skip "python3 missing"
	setup
	start ours
	out=$(ns_exec "$NS_ours" "$CONNTRACKD" -C "$DIR_ours/c.conf" -s json) ||
		t_fail "-s json exited nonzero"
	python3 -c '
import json, sys
d = json.load(sys.stdin)
c = d["caches"]["stats"]
assert c["active"] == 5 and c["created"] == 5, c
assert d["netlink"]["events_received"] >= 1, d["netlink"]
assert d["traffic"] == {"bytes": 0, "packets": 0}, d["traffic"]
assert isinstance(d["uptime"], int) and d["uptime"] >= 0
' <<<"$out" 2>"$T_TMP/py" || t_fail "-s json: $(tail -n 1 "$T_TMP/py"): $out"
	# our client against the reference: an unknown request, no answer
	start ref
	out=$(ask ref ours -s json)
	t_eq "-s json to the reference" "$out" "exit: 0
--- stderr"
	ask ref ref -s >/dev/null
	grep -q "^exit: 0" <<<"$(ask ref ref -s)" ||
		t_fail "the reference stopped answering after -s json"
}

t_case ctd_cross_read case_read
t_case ctd_cross_change case_change
t_case ctd_cross_kill case_kill
t_case ctd_cross_json case_json
t_done
