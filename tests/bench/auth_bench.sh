#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What authentication costs on conntrackd's event path: two of our daemons
# (FTFW over UDP between two namespaces), N new flows loaded into A's
# table in one conntrack -R batch, timed until B's external cache has
# them all, with Sync { Authentication } off, on (in clear) and on with
# Encrypt on, interleaved round by round. Figures to read, never
# assertions: medians of REPS rounds of
#   event_ms     the load until B has all N
#   flows/s      N / event_ms
#   cpu_us/flow  CPU time (user + system) of both daemons' processes
#                during it, per flow
# and the ratios of on and encrypt to off (below 1 is better).
#
#   tests/bench/auth_bench.sh [-n N] [-r REPS]      (N 50000, REPS 3)
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
CTD=${CTD:-$top/conntrackd}
CT=${CT:-$top/conntrack}
N=50000
REPS=3
while getopts n:r: opt; do
	case $opt in
	n) N=$OPTARG ;;
	r) REPS=$OPTARG ;;
	*) echo "usage: $0 [-n N] [-r REPS]" >&2; exit 2 ;;
	esac
done
die() { echo "auth_bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -x "$CTD" ] && [ -x "$CT" ] || die "build first (make)"

tmp=$(mktemp -d /tmp/rawct-authbench.XXXXXX)
A=rawct-ab-$$-a
B=rawct-ab-$$-b
PIDS=""
cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	sleep 0.2
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$A" && ip netns add "$B" || die "cannot make namespaces"
ip link add vs0 netns "$A" type veth peer name vs0 netns "$B" || die "no veth"
ip -n "$A" addr add 10.77.0.1/24 dev vs0
ip -n "$B" addr add 10.77.0.2/24 dev vs0
for ns in "$A" "$B"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set vs0 up
done
key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
printf '1 %s send\n' "$key" >"$tmp/key"
chmod 600 "$tmp/key"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	printf "-I -s 10.%d.%d.1 -d 10.200.0.1 -p udp --sport %d --dport 53 -t 300\n",
		int(i / 250) % 250, i % 250, 1024 + i % 60000 }' >"$tmp/flows"

# conf SIDE VARIANT
conf() {
	local me=10.77.0.1 peer=10.77.0.2 auth=""
	[ "$1" = b ] && me=10.77.0.2 peer=10.77.0.1
	case $2 in
	on) auth="Authentication { KeyFile $tmp/key
		Encrypt off }" ;;
	enc) auth="Authentication { KeyFile $tmp/key
		Encrypt on }" ;;
	esac
	mkdir -p "$tmp/$1"
	cat >"$tmp/$1/c.conf" <<EOF
General {
	HashSize 65536
	HashLimit 1000000
	LogFile $tmp/$1/log
	Syslog off
	LockFile $tmp/$1/lock
	UNIX { Path $tmp/$1/sock }
	NetlinkBufferSize 8388608
	NetlinkBufferSizeMaxGrowth 67108864
}
Sync {
	Mode FTFW { }
	UDP {
		IPv4_address $me
		IPv4_Destination_Address $peer
		Port 3780
		Interface vs0
		SndSocketBuffer 1249280
		RcvSocketBuffer 1249280
	}
	$auth
}
EOF
}

# start SIDE NS: the daemon, its pid in PID_SIDE.
start() {
	rm -f "$tmp/$1/sock"
	ip netns exec "$2" "$CTD" -C "$tmp/$1/c.conf" >/dev/null 2>&1 &
	printf -v "PID_$1" '%s' "$!"
	PIDS="$PIDS $!"
	for _ in $(seq 1 500); do
		[ -S "$tmp/$1/sock" ] && return 0
		sleep 0.01
	done
	die "daemon $1 did not start"
}

# ticks PID...: user + system clock ticks of the processes and their
# children (the privilege-separated child does the work).
ticks() {
	local t=0 p c
	for p in "$@"; do
		for c in $p $(cat /proc/"$p"/task/*/children 2>/dev/null); do
			[ -r /proc/"$c"/stat ] || continue
			t=$((t + $(awk '{ print $14 + $15 }' /proc/"$c"/stat)))
		done
	done
	echo "$t"
}

ext_count() {
	ip netns exec "$B" "$CTD" -C "$tmp/b/c.conf" -s 2>/dev/null |
		awk '/^cache external:/ { e = 1 } e && /current active connections:/ { print $NF; exit }'
}

now_ms() { date +%s%3N; }

# round VARIANT: prints "event_ms cpu_us_per_flow"
round() {
	local t0 t1 c0 c1 hz
	conf a "$1"
	conf b "$1"
	start a "$A"
	start b "$B"
	sleep 1.5		# the handshake, the initial dumps
	c0=$(ticks "$PID_a" "$PID_b")
	t0=$(now_ms)
	ip netns exec "$A" "$CT" -R "$tmp/flows" >/dev/null 2>&1
	while [ "$(ext_count)" != "$N" ]; do
		[ $(($(now_ms) - t0)) -gt 60000 ] && die "$1: B never got $N flows"
		sleep 0.02
	done
	t1=$(now_ms)
	c1=$(ticks "$PID_a" "$PID_b")
	hz=$(getconf CLK_TCK)
	echo "$((t1 - t0)) $(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$N" 'BEGIN { printf "%.2f", c * 1e6 / hz / n }')"
	for s in a b; do
		ip netns exec "$([ $s = a ] && echo "$A" || echo "$B")" \
			"$CTD" -C "$tmp/$s/c.conf" -k >/dev/null 2>&1
	done
	wait "$PID_a" "$PID_b" 2>/dev/null
	ip netns exec "$A" "$CT" -F >/dev/null 2>&1
	ip netns exec "$B" "$CT" -F >/dev/null 2>&1
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for r in $(seq 1 "$REPS"); do
	for v in off on enc; do
		round "$v" >>"$tmp/res.$v" || exit 1
	done
done
printf '%-8s %10s %10s %12s\n' auth event_ms flows/s cpu_us/flow
for v in off on enc; do
	ms=$(awk '{ print $1 }' "$tmp/res.$v" | median)
	cpu=$(awk '{ print $2 }' "$tmp/res.$v" | median)
	printf '%-8s %10s %10s %12s\n' "$v" "$ms" "$((N * 1000 / (ms ? ms : 1)))" "$cpu"
	eval "MS_$v=$ms CPU_$v=$cpu"
done
awk -v a="$MS_on" -v b="$MS_enc" -v o="$MS_off" -v ca="$CPU_on" \
	-v cb="$CPU_enc" -v co="$CPU_off" 'BEGIN {
	printf "ratio on/off:  time %.2f  cpu %.2f\n", a / o, ca / co
	printf "ratio enc/off: time %.2f  cpu %.2f\n", b / o, cb / co }'
