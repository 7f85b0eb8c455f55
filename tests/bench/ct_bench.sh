#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Side-by-side benchmark of our conntrack and the reference binary on a
# table of N entries in a scratch network namespace. Every measurement is
# A/B interleaved (ours, reference, ours, ...) in the same run; the report
# gives medians of wall time and peak RSS for both and the ratio
# ours/reference. Timings are figures to read, never assertions.
#
#   tests/bench/ct_bench.sh [-n 10000,100000,1000000] [-r REPS] [-o FILE]
#
# The table mix: a third udp, the rest tcp; one entry in seven is tcp to
# port 80 (what `-L -p tcp --dport 80` selects). Entries live 3600 s.
# nf_conntrack_max is global: it is raised for the run and restored on exit.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
OURS=${OURS:-$top/conntrack}
REF=${REF:-/usr/sbin/conntrack}
NLPROBE=${NLPROBE:-$top/build/netns/nlprobe}
sizes=10000,100000
reps=5
out=

while getopts n:r:o: opt; do
	case $opt in
	n) sizes=$OPTARG ;;
	r) reps=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-n N,N...] [-r reps] [-o report]" >&2; exit 2 ;;
	esac
done

die() { echo "ct_bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -x "$OURS" ] || die "build first: $OURS missing (make)"
[ -x "$REF" ] || die "reference $REF missing (tests/deps.sh installs it)"
[ -x "$NLPROBE" ] || die "build first: $NLPROBE missing (make build/netns/nlprobe)"

ns="rawct-bench-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/rawct-bench.XXXXXX") || exit 1
max_file=/proc/sys/net/netfilter/nf_conntrack_max
old_max=$(cat "$max_file")
cleanup() {
	ip netns del "$ns" 2>/dev/null
	echo "$old_max" >"$max_file"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns" || die "cannot create namespace $ns"
in_ns() { ip netns exec "$ns" "$@"; }

# gen N FILE: the -R file that creates the table (the mix above).
gen() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			s = sprintf("10.%d.%d.%d", int(i / 65536) % 256,
				    int(i / 256) % 256, i % 256);
			k = i % 21;
			if (k % 3 == 0)
				printf "-I -s %s -d 192.0.2.1 -p udp --sport %d --dport 53 -t 3600\n", s, 1024 + i % 60000;
			else
				printf "-I -s %s -d 192.0.2.2 -p tcp --sport %d --dport %d --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 3600\n", s, 1024 + i % 60000, (k == 1 || k == 2 || k == 4) ? 80 : 443;
		}
	}' >"$2"
}

# measure TAG CMD...: runs CMD in the namespace, stdout discarded; appends
# "TAG seconds maxrss_kb rc" to $work/samples.
# Wall time comes from bash's microsecond clock around the run (time(1)
# only has 10 ms resolution); peak RSS from time(1), run inside the
# namespace so that it is the command's own (ip(8) execs the command, and
# a process's peak RSS would include ip's from before the exec).
measure() {
	local tag=$1 t0 t1 rc
	shift
	t0=$EPOCHREALTIME
	ip netns exec "$ns" /usr/bin/time -f '%M' -o "$work/time" \
		"$@" >/dev/null 2>"$work/stderr"
	rc=$?
	t1=$EPOCHREALTIME
	echo "$tag $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }') $(tail -n 1 "$work/time") $rc" >>"$work/samples"
}

# measure_loop TAG COUNT CMD...: like measure, for a command too quick to
# time alone (-C): COUNT runs in one namespace entry, the sample being
# their mean. Peak RSS is not taken.
measure_loop() {
	local tag=$1 count=$2 t0 t1 rc
	shift 2
	t0=$EPOCHREALTIME
	ip netns exec "$ns" sh -c 'n=$1; shift; i=0; while [ $i -lt $n ]; do "$@" >/dev/null 2>&1 || exit 1; i=$((i + 1)); done' \
		loop "$count" "$@"
	rc=$?
	t1=$EPOCHREALTIME
	echo "$tag $(awk -v a="$t0" -v b="$t1" -v n="$count" 'BEGIN { printf "%.6f", (b - a) / n }') 0 $rc" >>"$work/samples"
}

# fill FILE: loads the table with our -R (fast), reports if it failed.
fill() {
	in_ns "$OURS" -F >/dev/null 2>&1
	in_ns "$OURS" -R "$1" >/dev/null 2>"$work/fill_err" ||
		die "filling the table failed: $(head -c 300 "$work/fill_err")"
}

count() { in_ns "$OURS" -C; }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "nan" }'; }

# report TAG_OURS TAG_REF LABEL: one line of medians and the ratio.
report() {
	local a b ra rb
	a=$(awk -v t="$1" '$1 == t { print $2 }' "$work/samples" | median)
	b=$(awk -v t="$2" '$1 == t { print $2 }' "$work/samples" | median)
	ra=$(awk -v t="$1" '$1 == t { print $3 }' "$work/samples" | median)
	rb=$(awk -v t="$2" '$1 == t { print $3 }' "$work/samples" | median)
	awk -v l="$3" -v a="$a" -v b="$b" -v ra="$ra" -v rb="$rb" 'BEGIN {
		r = (b > 0) ? sprintf("%.2fx", a / b) : "n/a";
		printf "%-34s %9.4fs %9.4fs %7s %9d KiB %9d KiB\n", l, a, b, r, ra, rb
	}' | tee -a "$work/report"
}

header() {
	printf '%-34s %10s %10s %7s %13s %13s\n' "N=$1" ours other ratio \
		"ours RSS" "other RSS" | tee -a "$work/report"
}

for n in ${sizes//,/ }; do
	need=$((n + n / 4 + 1000))
	[ "$(cat "$max_file")" -ge "$need" ] || echo "$need" >"$max_file"
	: >"$work/samples"
	gen "$n" "$work/table.txt"
	udp=$((n / 3 + 1))

	fill "$work/table.txt"
	have=$(count)
	[ "$have" -ge $((n * 99 / 100)) ] || die "table has $have of $n entries"
	header "$n"
	for ((i = 0; i < reps; i++)); do
		measure floor "$NLPROBE" dump
		measure L_ours "$OURS" -L
		measure L_ref "$REF" -L
		measure X_ours "$OURS" -L -o xml
		measure X_ref "$REF" -L -o xml
		measure J_ours "$OURS" -L -o json
		measure P_ours "$OURS" -L -p tcp --dport 80
		measure P_ref "$REF" -L -p tcp --dport 80
		measure_loop C_ours 50 "$OURS" -C
		measure_loop C_ref 50 "$REF" -C
	done
	report L_ours L_ref "-L"
	report L_ours floor "-L vs bare dump (kernel floor)"
	report X_ours X_ref "-L -o xml"
	report J_ours L_ours "-L -o json vs our -L"
	report P_ours P_ref "-L -p tcp --dport 80"
	report C_ours C_ref "-C (mean of 50 runs)"

	# Destructive commands: refill before each run, time only the command.
	for ((i = 0; i < reps; i++)); do
		fill "$work/table.txt"
		measure D_ours "$OURS" -D -p udp
		fill "$work/table.txt"
		measure D_ref "$REF" -D -p udp
		fill "$work/table.txt"
		measure F_ours "$OURS" -F
		fill "$work/table.txt"
		measure F_ref "$REF" -F
		in_ns "$OURS" -F >/dev/null 2>&1
		measure R_ours "$OURS" -R "$work/table.txt"
		in_ns "$OURS" -F >/dev/null 2>&1
		measure R_ref "$REF" -R "$work/table.txt"
	done
	report D_ours D_ref "-D -p udp (~$udp entries)"
	report F_ours F_ref "-F"
	report R_ours R_ref "-R of $n lines"
	echo | tee -a "$work/report"
done

[ -n "$out" ] && cp "$work/report" "$out"
exit 0
