#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One `conntrackd -B` of sync_bench's rig (FTFW over UDP, N flows) under
# perf record: both firewalls' daemon processes (and the processes they
# fork) sampled from the request until fw2's external cache holds N.
# The profiles stay in OUTDIR (fw1.data, the sender; fw2.data, the
# receiver); read them with perf report -i OUTDIR/fw2.data.
# With -c, no perf: R rounds of each DAEMON (-d, repeatable; the order
# turned each round), printing bulk_ms, the CPU time of each side as
# sync_bench measures them and the datagrams fw1 sent (more than the
# bulk's own: what the peer lost was sent again), for A/B comparisons of builds (figures to
# read: the machine's other load shows in them).
#
#   tests/bench/bulk_perf.sh [-n N] [-d DAEMON] [-o OUTDIR] [-F HZ]
#   tests/bench/bulk_perf.sh -c [-r R] [-n N] -d DAEMON [-d DAEMON...]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export RAWCT_TOP=$top
POLL=$top/tests/bench/ctl_poll.py
N=100000 daemons= outdir=$PWD/bulk_perf hz=20000 cpu= R=3
while getopts n:d:o:F:cr: opt; do
	case $opt in
	n) N=$OPTARG ;;
	d) daemons="$daemons $OPTARG" ;;
	o) outdir=$OPTARG ;;
	F) hz=$OPTARG ;;
	c) cpu=1 ;;
	r) R=$OPTARG ;;
	*) echo "usage: $0 [-c] [-r R] [-n N] [-d daemon]... [-o outdir] [-F hz]" >&2; exit 2 ;;
	esac
done
# shellcheck source=ha_bench_lib.sh
. "$top/tests/bench/ha_bench_lib.sh"
hab_init bulk_perf "$N"
mkdir -p "$outdir"
ha_batch "$HAB_WORK/flows" "$N" 172.20

ext_is() { [ "$(ha_stat 2 external)" = "$1" ] && echo 1 || echo 0; }
sent_pkts() { # firewall 1's datagrams sent so far
	ha_ctd 1 -s 2>/dev/null | awk '/Pckts sent/ { print $1; exit }'
}
pids_of() { # N: the daemon of firewall N and its children, comma separated
	local v=HA_PID$1
	echo "${!v}" $(cat /proc/"${!v}"/task/*/children 2>/dev/null) | tr ' ' ,
}

# bulk_round DAEMON [perf]: the rig, N flows on fw2, its external cache
# emptied, then one -B (recorded by perf with "perf").
bulk_round() {
	local p1 p2 f1 f2 ms c1 c2 k
	CONNTRACKD=$1
	hab_sync_pair ftfw udp
	ha_load 1 "$HAB_WORK/flows"
	ha_wait 120 1 ext_is "$N" || t_fail "fw2 has $(ha_stat 2 external)"
	ha_ctd 2 -f external
	ha_wait 20 1 ext_is 0 || t_fail "fw2's external cache did not empty"
	if [ -z "${2:-}" ]; then
		k=$(sent_pkts)
		c1=$(hab_cpu_us 1) c2=$(hab_cpu_us 2)
		ms=$("$POLL" --ask "$(ha_dir 1)/sock" 22 "$(ha_dir 2)/sock" \
			external "$N" 120) || t_fail "-B: fw2 has $(ha_stat 2 external)"
		sleep 0.2
		echo "RESULT $1 bulk_ms=$ms bulk_tx_cpu_ms=$((($(hab_cpu_us 1) - c1) / 1000))" \
			"bulk_rx_cpu_ms=$((($(hab_cpu_us 2) - c2) / 1000))" \
			"bulk_dgrams=$(($(sent_pkts) - k))"
		return 0
	fi
	p1=$(pids_of 1) p2=$(pids_of 2)
	perf record -q -g -F "$hz" -p "$p1" -o "$outdir/fw1.data" 2>"$T_TMP/p1" &
	f1=$!
	perf record -q -g -F "$hz" -p "$p2" -o "$outdir/fw2.data" 2>"$T_TMP/p2" &
	f2=$!
	sleep 1
	ms=$("$POLL" --ask "$(ha_dir 1)/sock" 22 "$(ha_dir 2)/sock" external "$N" 120) ||
		t_fail "-B: fw2 has $(ha_stat 2 external)"
	sleep 0.2
	kill -INT "$f1" "$f2"
	wait "$f1" "$f2"
	echo "RESULT bulk_ms=$ms pids fw1=$p1 fw2=$p2"
}
if [ -z "$cpu" ]; then
	set -- ${daemons:-$OURS}
	hab_round bulk_round "$1" perf
	hab_report "" true
	exit
fi
for r in $(seq "$R"); do
	set -- ${daemons:-$OURS}
	[ $((r % 2)) = 1 ] || set -- $(printf '%s\n' "$@" | tac)
	for d in "$@"; do
		hab_round bulk_round "$d"
	done
done
hab_report "" true
