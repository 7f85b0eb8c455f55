#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd in Stats mode, ours and the reference side by side in one
# run, each in a scratch namespace of its own, rounds interleaved A/B:
#   dump   the initial dump of an N-flow table into the cache: time from
#          the daemon's start until `-s` reports N active connections
#          (asked every ms over the control socket by ctl_poll.py, up
#          before the daemon starts), and the daemon's RSS growth per flow
#          against the same daemon started on an empty table;
#   -i     the client's `-i` of that cache, to /dev/null;
#   events both daemons subscribed in ONE namespace at the same time while
#          a loader (our conntrack: -R, then one -D) creates N flows and deletes them
#          (2N events): CPU per event of each daemon (/proc/PID/schedstat),
#          events it received and overruns (`-s runtime`), at the
#          reference's default netlink buffer (NetlinkBufferSize unset);
#   alone  the same, each daemon alone in a namespace of its own (ours,
#          then the reference): on two CPUs the loader and two daemons
#          compete for the CPUs in "events", and the reference's SCHED_RR
#          99 takes one of them whenever it wants; here each daemon has
#          one CPU beside the loader, as on a firewall;
#          and ev_floor (below) alone, at the normal scheduler: what a
#          listener that does nothing overruns at the default buffer;
#   floor  the same events with the reference beside build/bench/ev_floor
#          (make build/bench/ev_floor), which only receives: the CPU per
#          event that receiving alone costs, as a ratio to the reference.
# Figures to read, never assertions; ratios are ours/ref (lower is better
# for times, CPU and memory).
#
#   tests/bench/ctd_bench.sh [-n N] [-r ROUNDS] [-o REPORT]   N = 100000
# env SCHED: a Scheduler section for both daemons' General (default none:
# the reference runs SCHED_RR 99, ours the normal scheduler; with SCHED="Scheduler
# { Type RR; Priority 99 }" both compete for the CPUs at the same rank).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
OURS=${OURS:-$top/conntrackd}
REF=${REF:-/usr/sbin/conntrackd}
SCHED=${SCHED:-}
SCHED=${SCHED//;/$'\n'}
CT=${CT:-$top/conntrack}
FLOOR=${FLOOR:-$top/build/bench/ev_floor}
POLL=$top/tests/bench/ctl_poll.py
n=100000
rounds=3
out=

while getopts n:r:o: opt; do
	case $opt in
	n) n=$OPTARG ;;
	r) rounds=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-n N] [-r rounds] [-o report]" >&2; exit 2 ;;
	esac
done

die() { echo "ctd_bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -x "$OURS" ] || die "build first: $OURS missing (make)"
[ -x "$REF" ] || die "reference $REF missing (tests/deps.sh installs it)"
[ -x "$CT" ] || die "build first: $CT missing (make)"

work=$(mktemp -d "${TMPDIR:-/tmp}/rawct-ctdbench.XXXXXX") || exit 1
max_file=/proc/sys/net/netfilter/nf_conntrack_max
old_max=$(cat "$max_file")
nss=""
cleanup() {
	local p ns
	for p in $(cat "$work/pids" 2>/dev/null); do
		kill -KILL "$p" $(cat /proc/"$p"/task/*/children 2>/dev/null) 2>/dev/null
	done
	for ns in $(cat "$work/nss" 2>/dev/null); do ip netns del "$ns" 2>/dev/null; done
	echo "$old_max" >"$max_file"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ "$old_max" -ge "$((2 * n + 1000))" ] || echo "$((2 * n + 1000))" >"$max_file"

newns() {	# VAR
	local name="rawct-ctdb-$$-$RANDOM"
	ip netns add "$name" || die "cannot create namespace"
	nss="$nss $name"
	echo "$name" >>"$work/nss"
	eval "$1=\$name"
}

# The -R file of N creates (tcp and udp); they are deleted by one
# CIDR-filtered -D (N single -D lines would cost the loader a filtered
# walk each).
awk -v n="$n" -v c="$work/create" 'BEGIN {
	for (i = 0; i < n; i++) {
		s = sprintf("10.%d.%d.%d", int(i / 65536) % 256,
			    int(i / 256) % 256, i % 256);
		p = (i % 3) ? "tcp" : "udp";
		st = p == "tcp" ? " --state ESTABLISHED" : "";
		t = sprintf("-s %s -d 192.0.2.1 -p %s --sport 1024 --dport 80", s, p);
		print "-I " t st " -t 3600" > c;
	}
}'

conf() {	# DIR: a Stats-mode configuration using DIR for its files
	cat >"$1/c.conf" <<EOF
General {
	HashSize 65536
	HashLimit $((4 * n + 1000))
	LogFile $1/log
	LockFile $1/lock
	UNIX { Path $1/sock }
$SCHED
}
Stats {
	LogFile off
}
EOF
}

# A daemon's processes: PID and its children (ours forks a
# privilege-separated child that runs the event loop).
procs() { echo "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); }
sum_procs() {	# PID FILE AWK: the sum over the processes of AWK on /proc/P/FILE
	local p t=0 r
	for p in $(procs "$1"); do
		r=$(awk "$3" "/proc/$p/$2" 2>/dev/null)
		t=$((t + ${r:-0}))
	done
	echo "$t"
}
rss_kb() { sum_procs "$1" status '$1 == "VmRSS:" { print $2 }'; }
cpu_ns() {	# PID: CPU time so far of its processes, every thread of them
	local p f r t=0
	for p in $(procs "$1"); do
		for f in /proc/"$p"/task/*/schedstat; do
			r=$(awk '{ print $1 }' "$f" 2>/dev/null)
			t=$((t + ${r:-0}))
		done
	done
	echo "$t"
}
now() { date +%s.%N; }

# start NS BIN DIR: runs the daemon in NS, sets $dpid, waits for its socket
start() {
	rm -f "$3/sock" "$3/lock"
	ip netns exec "$1" "$2" -C "$3/c.conf" >"$3/out" 2>&1 &
	dpid=$!
	echo "$dpid" >>"$work/pids"
	for _ in $(seq 1 500); do
		[ -S "$3/sock" ] && return 0
		sleep 0.01
	done
	die "$2 did not start: $(cat "$3/out")"
}
stop() {	# NS BIN DIR: -k, then SIGTERM if it is still there after 5 s
	ip netns exec "$1" "$2" -C "$3/c.conf" -k >/dev/null 2>&1
	for _ in $(seq 1 250); do
		kill -0 "$dpid" 2>/dev/null || break
		sleep 0.02
	done
	if kill -0 "$dpid" 2>/dev/null; then
		echo "ctd_bench: $2 ignored -k, SIGTERM" >&2
		kill -TERM "$dpid"
	fi
	wait "$dpid" 2>/dev/null
}

# dump_round WHO BIN: prints "seconds kb_per_flow i_seconds"
dump_round() {
	local who=$1 bin=$2 ns d t0 t1 idle full i0 i1 ppid
	d="$work/$who"
	mkdir -p "$d"
	conf "$d"
	newns ns
	start "$ns" "$bin" "$d"
	sleep 0.3
	idle=$(rss_kb "$dpid")
	stop "$ns" "$bin" "$d"
	ip netns exec "$ns" "$CT" -R "$work/create" >/dev/null || die "-R failed"
	# the poller is up and waiting for the socket before the daemon
	# starts, and asks every millisecond (a client process per poll
	# would cost several ms each and blur a ~100 ms measure)
	rm -f "$d/sock" "$d/poll" "$d/ready"
	"$POLL" --wait "$d/ready" "$d/sock" stats "$n" 60 >"$d/poll" &
	ppid=$!
	for _ in $(seq 1 500); do
		[ -e "$d/ready" ] && break
		sleep 0.01
	done
	sleep 0.05
	t0=$(now)
	start "$ns" "$bin" "$d"
	wait "$ppid" || die "$who: the cache did not reach $n flows"
	t1=$(cat "$d/poll")
	full=$(rss_kb "$dpid")
	i0=$(now)
	ip netns exec "$ns" "$bin" -C "$d/c.conf" -i >"$d/i.out"
	i1=$(now)
	[ "$(wc -l <"$d/i.out")" -ge "$n" ] || echo "ctd_bench: $who -i gave $(wc -l <"$d/i.out") lines" >&2
	stop "$ns" "$bin" "$d"
	ip netns del "$ns"
	echo "$t0 $t1 $idle $full $i0 $i1" |
		awk -v n="$n" '{ printf "%.3f %.1f %.3f\n", $2 - $1, ($4 - $3) * 1024 / n, $6 - $5 }'
}

event_round() {
	local ns po pr so sr eo er a b last stable
	newns ns
	mkdir -p "$work/eo" "$work/er"
	conf "$work/eo"; conf "$work/er"
	start "$ns" "$OURS" "$work/eo"; po=$dpid
	start "$ns" "$REF" "$work/er"; pr=$dpid
	sleep 0.3
	so=$(cpu_ns "$po") sr=$(cpu_ns "$pr")
	ip netns exec "$ns" "$CT" -R "$work/create" >/dev/null || die "-R create failed"
	ip netns exec "$ns" "$CT" -D -s 10.0.0.0/8 >/dev/null 2>&1 || die "-D failed"
	last="" stable=0
	while [ "$stable" -lt 4 ]; do	# until neither daemon's CPU moves
		sleep 0.25
		a="$(cpu_ns "$po").$(cpu_ns "$pr")"
		if [ "$a" = "$last" ]; then stable=$((stable + 1)); else stable=0; fi
		last=$a
	done
	eo=$(cpu_ns "$po") er=$(cpu_ns "$pr")
	for who in eo er; do
		b=$OURS; [ "$who" = er ] && b=$REF
		ip netns exec "$ns" "$b" -C "$work/$who/c.conf" -s runtime >"$work/$who/rt" 2>&1
	done
	dpid=$po; stop "$ns" "$OURS" "$work/eo"
	dpid=$pr; stop "$ns" "$REF" "$work/er"
	ip netns del "$ns"
	awk -v n="$((2 * n))" -v so="$so" -v eo="$eo" -v sr="$sr" -v er="$er" \
	    -v fo="$work/eo/rt" -v fr="$work/er/rt" '
	function get(f, key,    l, v) {
		v = "?";
		while ((getline l < f) > 0)
			if (index(l, key)) { sub(/.*:[ \t]*/, "", l); v = l + 0 }
		close(f);
		return v;
	}
	BEGIN {
		co = (eo - so) / n; cr = (er - sr) / n;
		printf "events: ours %.2f us/ev (received %s, overruns %s)  ref %.2f us/ev (received %s, overruns %s)  ratio %.3f\n",
			co / 1e3, get(fo, "events received"), get(fo, "netlink overrun"),
			cr / 1e3, get(fr, "events received"), get(fr, "netlink overrun"),
			cr ? co / cr : 0;
	}'
}

# alone_round WHO BIN: event_round's load with BIN alone in its namespace;
# prints "cpu_ns_per_event received overruns"
alone_round() {
	local who=$1 bin=$2 ns d s e a last stable
	d="$work/a$who"
	mkdir -p "$d"
	conf "$d"
	newns ns
	start "$ns" "$bin" "$d"
	sleep 0.3
	s=$(cpu_ns "$dpid")
	ip netns exec "$ns" "$CT" -R "$work/create" >/dev/null || die "-R create failed"
	ip netns exec "$ns" "$CT" -D -s 10.0.0.0/8 >/dev/null 2>&1 || die "-D failed"
	last="" stable=0
	while [ "$stable" -lt 4 ]; do
		sleep 0.25
		a=$(cpu_ns "$dpid")
		if [ "$a" = "$last" ]; then stable=$((stable + 1)); else stable=0; fi
		last=$a
	done
	e=$(cpu_ns "$dpid")
	ip netns exec "$ns" "$bin" -C "$d/c.conf" -s runtime >"$d/rt" 2>&1
	stop "$ns" "$bin" "$d"
	ip netns del "$ns"
	awk -v c="$(( (e - s) / (2 * n) ))" '
	/events received/ { r = $NF } /netlink overrun/ { o = $NF }
	END { print c, r, o }' "$d/rt"
}

# floor_round: the events of event_round with the reference beside
# build/bench/ev_floor, a listener that receives and drops: receiving
# alone costs that much per event received, whatever a daemon does with
# them.
floor_round() {
	local ns pr sr er f
	newns ns
	mkdir -p "$work/fr"
	conf "$work/fr"
	start "$ns" "$REF" "$work/fr"; pr=$dpid
	# at SCHED_RR 10 (ours with a Scheduler section without Type), not
	# starved by the reference's SCHED_RR 99
	ip netns exec "$ns" chrt -r 10 "$FLOOR" 1000 >"$work/floor" \
		2>"$work/floor.err" &
	f=$!
	for _ in $(seq 1 500); do
		grep -q ready "$work/floor.err" 2>/dev/null && break
		sleep 0.01
	done
	sleep 0.3
	sr=$(cpu_ns "$pr")
	ip netns exec "$ns" "$CT" -R "$work/create" >/dev/null || die "-R create failed"
	ip netns exec "$ns" "$CT" -D -s 10.0.0.0/8 >/dev/null 2>&1 || die "-D failed"
	wait "$f"
	sleep 1
	er=$(cpu_ns "$pr")
	dpid=$pr; stop "$ns" "$REF" "$work/fr"
	ip netns del "$ns"
	tr ' ' '\n' <"$work/floor" | awk -F= -v n="$((2 * n))" -v sr="$sr" -v er="$er" '
	{ v[$1] = $2 }
	END {
		cf = v["events"] ? v["cpu_ns"] / v["events"] : 0; cr = (er - sr) / n;
		printf "floor: ev_floor %.2f us/ev (received %s, overruns %s)  ref %.2f us/ev  ratio %.3f\n",
			cf / 1e3, v["events"], v["overruns"], cr / 1e3, cr ? cf / cr : 0;
	}'
}

# floor_alone_round: the events of alone_round with build/bench/ev_floor
# alone in its namespace, at the normal scheduler as ours by default:
# the overruns of a listener that does nothing with what it receives,
# at the default buffer (it never grows it). Prints "cpu_ns_per_event
# received overruns".
floor_alone_round() {
	local ns
	newns ns
	ip netns exec "$ns" "$FLOOR" 1000 >"$work/floor1" \
		2>"$work/floor1.err" &
	local f=$!
	for _ in $(seq 1 500); do
		grep -q ready "$work/floor1.err" 2>/dev/null && break
		sleep 0.01
	done
	sleep 0.3
	ip netns exec "$ns" "$CT" -R "$work/create" >/dev/null || die "-R create failed"
	ip netns exec "$ns" "$CT" -D -s 10.0.0.0/8 >/dev/null 2>&1 || die "-D failed"
	wait "$f"
	ip netns del "$ns"
	tr ' ' '\n' <"$work/floor1" | awk -F= '{ v[$1] = $2 }
	END { printf "%.0f %s %s\n", v["events"] ? v["cpu_ns"] / v["events"] : 0,
		v["events"], v["overruns"] }'
}

{
	echo "ctd_bench: N=$n, $rounds rounds, $(nproc) CPUs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "ours: $OURS   reference: $REF"
} | tee "$work/report"
for r in $(seq 1 "$rounds"); do
	o=$(dump_round ours "$OURS")
	f=$(dump_round ref "$REF")
	echo "$o $f" | awk -v r="$r" '{
		printf "round %d dump: ours %.3fs ref %.3fs ratio %.3f | bytes/flow: ours %.0f ref %.0f ratio %.3f | -i: ours %.3fs ref %.3fs ratio %.3f\n",
			r, $1, $4, $4 ? $1 / $4 : 0, $2, $5, $5 ? $2 / $5 : 0, $3, $6, $6 ? $3 / $6 : 0
	}' | tee -a "$work/report"
	event_round | sed "s/^/round $r /" | tee -a "$work/report"
	o=$(alone_round o "$OURS")
	f=$(alone_round r "$REF")
	echo "$o $f" | awk -v r="$r" '{
		printf "round %d alone: ours %.2f us/ev (received %s, overruns %s)  ref %.2f us/ev (received %s, overruns %s)  ratio %.3f\n",
			r, $1 / 1e3, $2, $3, $4 / 1e3, $5, $6, $4 ? $1 / $4 : 0
	}' | tee -a "$work/report"
	[ -x "$FLOOR" ] && floor_alone_round | awk -v r="$r" '{
		printf "round %d alone: ev_floor %.2f us/ev (received %s, overruns %s)\n",
			r, $1 / 1e3, $2, $3 }' | tee -a "$work/report"
	[ -x "$FLOOR" ] && floor_round | sed "s/^/round $r /" | tee -a "$work/report"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/report"
[ -n "$out" ] && cp "$work/report" "$out"
exit 0
