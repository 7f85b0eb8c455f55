#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Event monitor throughput, ours and the reference side by side in ONE
# run: both `conntrack -E` subscribe in the same scratch namespace at the
# same time, then a loader (our conntrack -R) creates N entries and
# deletes them again, i.e. 2N events (N NEW, N DESTROY). Per monitor: the
# events received (lines) against the 2N generated, events per second
# (received / time from the loader's start to the last line), and CPU
# per event: the CPU time the monitor used from the loader's start on,
# from /proc/PID/schedstat (ns; the utime + stime ticks of /proc/PID/stat,
# 1/CLK_TCK s, where schedstat is missing), with the tick figure beside
# it, and the events per wakeup (voluntary context switches). Events per
# second are bounded by the loader and measured to the nearest 0.25 s
# poll of the output files.
# Rounds: the default buffer, -b 64 MiB, and a selective filter (-p tcp
# --dport 80, one entry in seven; with -b 64 MiB). Figures to read, never
# assertions; the load average is printed since others may share the CPU.
#
#   tests/bench/ev_bench.sh [-n N] [-o REPORT]      N = 100000; -n 1000000
#
# The reference (1.4.7 and HEAD) applies -b to another socket (spec 5),
# so its event socket keeps the system default in every round.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
OURS=${OURS:-$top/conntrack}
REF=${REF:-/usr/sbin/conntrack}
n=100000
out=

while getopts n:o: opt; do
	case $opt in
	n) n=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-n N] [-o report]" >&2; exit 2 ;;
	esac
done

die() { echo "ev_bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -x "$OURS" ] || die "build first: $OURS missing (make)"
[ -x "$REF" ] || die "reference $REF missing (tests/deps.sh installs it)"

ns="rawct-evbench-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/rawct-evbench.XXXXXX") || exit 1
max_file=/proc/sys/net/netfilter/nf_conntrack_max
old_max=$(cat "$max_file")
pids=""
cleanup() {
	local p
	for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	ip netns del "$ns" 2>/dev/null
	echo "$old_max" >"$max_file"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns" || die "cannot create namespace $ns"
[ "$old_max" -ge "$((n + 1000))" ] || echo "$((n + 1000))" >"$max_file"
tck=$(getconf CLK_TCK)

# The -R files: N creates (one in seven tcp to port 80, the rest tcp to
# other ports and udp) and the N deletes (full tuple and zone: each goes
# straight to its entry).
awk -v n="$n" -v c="$work/create" -v d="$work/delete" 'BEGIN {
	for (i = 0; i < n; i++) {
		s = sprintf("10.%d.%d.%d", int(i / 65536) % 256,
			    int(i / 256) % 256, i % 256);
		k = i % 7;
		if (k == 0) { p = "tcp"; dp = 80 }
		else if (k < 4) { p = "tcp"; dp = 1000 + k }
		else { p = "udp"; dp = 53 }
		st = p == "tcp" ? " --state ESTABLISHED" : "";
		t = sprintf("-s %s -d 192.0.2.1 -p %s --sport 1024 --dport %d -w 0",
			    s, p, dp);
		print "-I " t st " -t 3600" > c;
		print "-D " t > d;
	}
}'

cpu_ticks() {	# PID: utime + stime
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

cpu_ns() {	# PID: CPU time in ns, from schedstat or else from the ticks
	if [ -r "/proc/$1/schedstat" ]; then
		awk '{ print $1 }' "/proc/$1/schedstat"
	else
		echo $(( $(cpu_ticks "$1") * 1000000000 / tck ))
	fi
}

wakeups() {	# PID: voluntary context switches (sleeps)
	awk '$1 == "voluntary_ctxt_switches:" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

snap() {	# PID: "ns ticks wakeups"
	echo "$(cpu_ns "$1") $(cpu_ticks "$1") $(wakeups "$1")"
}

# round TAG EXPECTED ARGS...: one measurement, both monitors with ARGS.
round() {
	local tag=$1 expect=$2 po pr t0 tlast now c co cr last="" stable=0
	local so sr eo er
	shift 2
	ip netns exec "$ns" "$OURS" -E "$@" >"$work/o.out" 2>"$work/o.err" &
	po=$!
	ip netns exec "$ns" "$REF" -E "$@" >"$work/r.out" 2>"$work/r.err" &
	pr=$!
	pids="$po $pr"
	for _ in $(seq 1 200); do
		c=$(ip netns exec "$ns" awk '$2 == 12 && $4 != "00000000"' /proc/net/netlink | wc -l)
		[ "$c" -ge 2 ] && break
		sleep 0.05
	done
	so=$(snap "$po") sr=$(snap "$pr")
	t0=$(date +%s.%N)
	tlast_o=$t0 tlast_r=$t0
	ip netns exec "$ns" "$OURS" -R "$work/create" >/dev/null || die "-R create failed"
	ip netns exec "$ns" "$OURS" -R "$work/delete" >/dev/null || die "-R delete failed"
	co=0 cr=0
	# wait until neither output grows for 1.5 s
	while [ "$stable" -lt 6 ]; do
		sleep 0.25
		now=$(date +%s.%N)
		c=$(wc -l <"$work/o.out")
		[ "$c" != "$co" ] && tlast_o=$now && co=$c
		c=$(wc -l <"$work/r.out")
		[ "$c" != "$cr" ] && tlast_r=$now && cr=$c
		if [ "$co.$cr" = "$last" ]; then stable=$((stable + 1)); else stable=0; fi
		last="$co.$cr"
	done
	eo=$(snap "$po") er=$(snap "$pr")
	kill -INT "$po" "$pr"
	wait "$po" "$pr" 2>/dev/null
	pids=""
	awk -v tag="$tag" -v want="$expect" -v co="$co" -v cr="$cr" \
	    -v to="$tlast_o" -v tr="$tlast_r" -v t0="$t0" -v so="$so" \
	    -v sr="$sr" -v eo="$eo" -v er="$er" -v tck="$tck" \
	    -v ov="$(grep -c 'hit ENOBUFS' "$work/o.err")" \
	    -v rv="$(grep -c 'hit ENOBUFS' "$work/r.err")" '
	function line(who, c, t, s, e, nov,    a, b, ns, tk, w) {
		split(s, a); split(e, b);
		ns = b[1] - a[1]; tk = (b[2] - a[2]) / tck; w = b[3] - a[3];
		printf "%-22s %-4s %9d/%-9d %5.1f%% %9.0f ev/s %6.2f us/ev cpu %6.3fs (ticks %5.2fs) %6.1f ev/wake %4d ENOBUFS\n",
			tag, who, c, want, 100 * c / want, (t > t0 ? c / (t - t0) : 0),
			c ? ns / 1e3 / c : 0, ns / 1e9, tk, w ? c / w : 0, nov;
		return c ? ns / c : 0;
	}
	BEGIN {
		uo = line("ours", co, to, so, eo, ov);
		ur = line("ref", cr, tr, sr, er, rv);
		ro = (to > t0) ? co / (to - t0) : 0; rr = (tr > t0) ? cr / (tr - t0) : 0;
		printf "%-22s ratio ours/ref: received %.3f, ev/s %.3f, cpu/ev %s\n",
			tag, cr ? co / cr : 0, rr ? ro / rr : 0,
			ur ? sprintf("%.3f", uo / ur) : "n/a";
	}' | tee -a "$work/report"
	{
		grep -h '^NOTICE' "$work/o.err" | sed "s/^/$tag: ours: /"
		grep -h '^NOTICE' "$work/r.err" | sed "s/^/$tag: ref:  /"
	} | tee -a "$work/report"
}

{
	echo "ev_bench: N=$n ($((2 * n)) events per round), $(nproc) CPUs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "ours: $OURS   reference: $REF ($("$REF" -V 2>&1))"
} | tee "$work/report"
round "default buffer" $((2 * n))
round "-b 64MiB" $((2 * n)) -b 67108864
round "-p tcp --dport 80" $((2 * ((n + 6) / 7))) -b 67108864 -p tcp --dport 80
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/report"
[ -n "$out" ] && cp "$work/report" "$out"
exit 0
