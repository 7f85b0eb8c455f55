#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's Sync mode, ours and the reference (/usr/sbin/conntrackd)
# side by side on the same two-firewall rig (tests/netns/ha_rig.sh: FTFW
# over UDP, the upstream example's buffers), A/B interleaved: each round
# runs both daemons, the order swapped every round. Figures to read,
# never assertions; medians of REPS rounds and ours/reference ratios (for
# times and sizes, below 1 is better). A round that fails (the rig broke)
# is said on stderr, and the run exits 1 after its report.
#
#   event_ms       N new flows loaded into fw1's table (one conntrack -R
#                  batch, the same CLI for both) until fw2's external
#                  cache has them all; load_ms, the loader alone;
#                  bare_load_ms, the same load with no daemon running
#                  (what listening to events costs the loader);
#                  floor_load_ms, the same load with build/bench/ev_floor
#                  listening (it only receives: any listener costs that);
#                  solo_load_ms, the same load with fw1's daemon alone,
#                  its sync link dropped at fw2's door: here the backup
#                  shares the two CPUs with the loader and fw1's daemon,
#                  on a real pair it runs on another machine, and
#                  load_ms counts its work too; bare_load_1t_ms,
#                  floor_load_1t_ms and solo_load_1t_ms the same three
#                  with the loader on one thread (RAWCT_NO_PIPE=1, as
#                  the reference's conntrack -R): our loader's second
#                  thread competes with any listener for the two CPUs
#   dgrams/flow    datagrams fw1 sent for it, per flow; bytes/flow beside
#                  it; trickle_dgrams/flow the same for N/10 more flows
#                  created one request at a time by the reference CLI
#                  (TRICKLE), events that come one by one: the reference
#                  sends a datagram per event, ours packs what comes
#                  within 1 ms
#   overruns       fw1's event socket overruns during the load
#   bulk_ms        fw2's external cache emptied, fw1 -B, until fw2 has all;
#                  bulk_tx_cpu_ms and bulk_rx_cpu_ms, the CPU time fw1's
#                  and fw2's processes spent meanwhile (the reference's
#                  SCHED_RR 99 wins it the CPUs when other work runs, so
#                  the CPU is the measure of work, the time of priority);
#                  bulk_dgrams and bulk_bytes, what fw1 sent meanwhile;
#                  floor_bulk_ms, the same number of datagrams of the
#                  same size (ours' medians) sent over the same link by
#                  build/bench/dgram_floor as fast as it can to a receiver
#                  that drops them, from the first send to the last
#                  receive: what any daemon needs at least to move them
#                  (floor_tx_cpu_ms, floor_rx_cpu_ms its two processes'
#                  CPU; floor_lost what the receiver never got, whose
#                  time is then not a floor: its receive buffer holds the
#                  whole bulk, so there should be none); target_bulk_ms, 0.3 x the
#                  reference's bulk_ms (issue #13)
#   commit_ms      fw2 -c of the N flows into its kernel table;
#                  commit_cpu_ms, fw2's processes' CPU time meanwhile
#                  (the kernel's creates run in the daemon's system calls)
# event_ms and bulk_ms are polled through the control socket every
# millisecond (tests/bench/ctl_poll.py), the rest every 50 ms.
#   rss_b/flow     fw2's resident memory per external flow (VmRSS of the
#                  daemon and the process it forks, after the event path
#                  less before it, / N)
#   gap0_ms        failover by hand (fw1 crashes, fw2 runs
#                  examples/primary-backup.sh primary: commit, addresses,
#                  -f, -R, -B): the longest silence of a TCP connection
#                  echoing every 10 ms; gapN_ms the same with N flows
#                  replicated beforehand (the commit has work);
#                  gap_injectN_ms the same with DisableExternalCache
#                  on fw2 (the flows already in its table);
#                  inject_ms, the preload of that round (N new flows
#                  on fw1 until fw2's kernel table has them all) and
#                  inject_cpu_ms, fw2's processes' CPU time meanwhile
#                  (the kernel's creates run in their system calls);
#                  after_moveN_ms the part of that silence after the
#                  script starts moving the addresses (its log line once
#                  the commit is done) until the first echo; the probe's
#                  TCP retransmits on its own backoff (200 ms, then 400,
#                  800...), so a path restored just after a retransmission
#                  waits for the next one: read the median
#
#   tests/bench/sync_bench.sh [-n N] [-r REPS] [-o REPORT]   (N 100000, REPS 3)
# env: OURS, REF (daemons), LOADER (conntrack CLI that loads, default ours).
# The reference always runs SCHED_RR 99 (it forces it); ours runs as
# configured (here: no Scheduler section, an ordinary process).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
export RAWCT_TOP=$top
TRICKLE=${TRICKLE:-/usr/sbin/conntrack}
FLOOR=${FLOOR:-$top/build/bench/ev_floor}
DFLOOR=${DFLOOR:-$top/build/bench/dgram_floor}
POLL=$top/tests/bench/ctl_poll.py
N=100000
REPS=3
out=

while getopts n:r:o: opt; do
	case $opt in
	n) N=$OPTARG ;;
	r) REPS=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-n N] [-r REPS] [-o report]" >&2; exit 2 ;;
	esac
done

# shellcheck source=ha_bench_lib.sh
. "$top/tests/bench/ha_bench_lib.sh"
# fw1 and fw2 hold N each
hab_init sync_bench "$N"
work=$HAB_WORK
ha_batch "$work/flows" "$N" 172.20
NT=$((N / 10))
ha_batch "$work/trickle" "$NT" 172.23

now_ms() { date +%s%3N; }
udp_sent() { # N pkts|bytes: what firewall N's channel sent
	ha_ctd "$1" -s 2>/dev/null | awk -v w="$2" '
		w == "pkts" && /Pckts sent/ { print $1; exit }
		w == "bytes" && /Bytes sent/ { print $1; exit }'
}
rss_kb() { # PID: its VmRSS and its children's (privilege separation)
	local p t=0 r
	for p in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		t=$((t + ${r:-0}))
	done
	echo "$t"
}
kernel_count() { # N: the flows in firewall N's kernel table
	ns_exec "$(ha_ns "$1")" cat /proc/sys/net/netfilter/nf_conntrack_count
}
kernel_has() { # N COUNT: firewall N's table holds at least COUNT (1) or not
	[ "$(kernel_count "$1")" -ge "$2" ] && echo 1 || echo 0
}
probe_in_kernel() { # N: the probe's flow in firewall N's table (1) or not
	ns_exec "$(ha_ns "$1")" "$CONNTRACK" -L -p tcp --dport "$HA_PROBE_PORT" \
		2>/dev/null | grep -c "src=$HA_CLI_IP dst=$HA_SRV_IP "
}
ext_is() { # N: fw2's external cache holds N (prints 1) or not (0)
	[ "$(ha_stat 2 external)" = "$1" ] && echo 1 || echo 0
}

# sync_round DAEMON TAG: event path, datagrams, overruns, RSS, -B, -c.
sync_round() {
	local c1 c2 btx brx ccpu t0 lp ev load pk0 by0 pk1 by1 tp0 tp1 rss0 rss1 over tb bulk k0 k1 tc cm n bp bb
	CONNTRACKD=$1
	hab_sync_pair ftfw udp
	rss0=$(rss_kb "$HA_PID2")
	pk0=$(udp_sent 1 pkts)
	by0=$(udp_sent 1 bytes)
	t0=$(now_ms)
	( ha_load 1 "$work/flows"; echo $(($(now_ms) - t0)) >"$T_TMP/load" ) &
	lp=$!
	"$POLL" "$(ha_dir 2)/sock" external "$N" 120 >/dev/null ||
		t_fail "$2: fw2 has $(ha_stat 2 external) of $N"
	ev=$(($(now_ms) - t0))
	wait "$lp"
	load=$(cat "$T_TMP/load")
	pk1=$(udp_sent 1 pkts)
	by1=$(udp_sent 1 bytes)
	rss1=$(rss_kb "$HA_PID2")
	over=$(ha_ctd 1 -s runtime | awk '/netlink overrun:/ { print $NF }')
	ha_ctd 2 -f external
	ha_wait 20 1 ext_is 0 || t_fail "$2: fw2's external cache did not empty"
	bp=$(udp_sent 1 pkts) bb=$(udp_sent 1 bytes)
	c1=$(hab_cpu_us 1) c2=$(hab_cpu_us 2)
	bulk=$("$POLL" --ask "$(ha_dir 1)/sock" 22 "$(ha_dir 2)/sock" \
		external "$N" 120) || t_fail "$2: -B: fw2 has $(ha_stat 2 external) of $N"
	sleep 0.2	# the sender's last steps, if any
	btx=$((($(hab_cpu_us 1) - c1) / 1000)) brx=$((($(hab_cpu_us 2) - c2) / 1000))
	bp=$(($(udp_sent 1 pkts) - bp)) bb=$(($(udp_sent 1 bytes) - bb))
	k0=$(ns_exec "$HA_FW2" cat /proc/sys/net/netfilter/nf_conntrack_count)
	c2=$(hab_cpu_us 2)
	tc=$(now_ms)
	ha_ctd 2 -c >/dev/null
	cm=$(($(now_ms) - tc))
	ccpu=$((($(hab_cpu_us 2) - c2) / 1000))
	k1=$(ns_exec "$HA_FW2" cat /proc/sys/net/netfilter/nf_conntrack_count)
	# events one at a time: the reference CLI creates flow after flow
	tp0=$(udp_sent 1 pkts)
	ns_exec "$HA_FW1" "$TRICKLE" -R "$work/trickle" >/dev/null 2>&1
	ha_wait 60 1 ext_is $((N + NT)) || t_fail "$2: trickle: fw2 has $(ha_stat 2 external)"
	tp1=$(udp_sent 1 pkts)
	echo "RESULT $2 trickle_dgrams_per_flow=$(awk -v a="$tp0" -v b="$tp1" -v n="$NT" 'BEGIN { printf "%.3f", (b - a) / n }')"
	echo "RESULT $2 event_ms=$ev load_ms=$load" \
		"dgrams_per_flow=$(awk -v a="$pk0" -v b="$pk1" -v n="$N" 'BEGIN { printf "%.3f", (b - a) / n }')" \
		"bytes_per_flow=$(awk -v a="$by0" -v b="$by1" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')" \
		"overruns=$over rss_idle_kb=$rss0" \
		"rss_b_per_flow=$(awk -v a="$rss0" -v b="$rss1" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')" \
		"bulk_ms=$bulk bulk_tx_cpu_ms=$btx bulk_rx_cpu_ms=$brx" \
		"bulk_dgrams=$bp bulk_bytes=$bb" \
		"commit_ms=$cm commit_cpu_ms=$ccpu committed=$((k1 - k0))"
}

# bare_round [1t]: the load of sync_round with no daemon listening
# (with 1t, the loader on one thread: keys ..._1t_ms).
bare_round() {
	local t0 k=${1:+_$1}
	[ -z "${1:-}" ] || export RAWCT_NO_PIPE=1
	ha_net sync
	t0=$(now_ms)
	ha_load 1 "$work/flows"
	echo "RESULT bare bare_load${k}_ms=$(($(now_ms) - t0))"
	[ -x "$FLOOR" ] || return 0
	# the same load with build/bench/ev_floor listening (receives and
	# drops every event, an ordinary process as our daemon by default):
	# what any listener costs the loader, the kernel building and
	# queueing each event
	ha_net sync
	ns_exec "$HA_FW1" "$FLOOR" 500 >"$T_TMP/floor" \
		2>"$T_TMP/floor.err" &
	local f=$!
	for _ in $(seq 1 500); do
		grep -q ready "$T_TMP/floor.err" 2>/dev/null && break
		sleep 0.01
	done
	t0=$(now_ms)
	ha_load 1 "$work/flows"
	echo "RESULT bare floor_load${k}_ms=$(($(now_ms) - t0))"
	wait "$f"
}

# floor_round DGRAMS BYTES: build/bench/dgram_floor sends DGRAMS datagrams
# of BYTES / DGRAMS bytes from fw1 to fw2 over the sync link, with the
# daemons' send buffer; the receiver's holds them all (4 KiB each): with
# the daemons' 1.2 MB, a receiver that is not running when the sender is
# loses what overflows, and a floor has no losses to recover.
floor_round() {
	local size=$(($2 / $1)) f s r
	[ "$1" -gt 0 ] && [ "$size" -gt 0 ] || t_fail "no bulk datagrams to copy"
	ha_net sync
	ns_exec "$HA_FW2" "$DFLOOR" recv "$HA_SYNC.2" "$HA_PORT" "$1" $(($1 * 4096)) \
		>"$T_TMP/frecv" 2>"$T_TMP/frecv.err" &
	f=$!
	for _ in $(seq 1 500); do
		grep -q ready "$T_TMP/frecv.err" 2>/dev/null && break
		sleep 0.01
	done
	s=$(ns_exec "$HA_FW1" "$DFLOOR" send "$HA_SYNC.2" "$HA_PORT" "$1" \
		"$size" 1249280) || t_fail "dgram_floor send: $s"
	wait "$f"
	r=$(cat "$T_TMP/frecv")
	[ -n "$r" ] || t_fail "dgram_floor recv: $(cat "$T_TMP/frecv.err")"
	echo "$s" | tr ' ' '\n' >"$T_TMP/fs"
	echo "$r" | tr ' ' '\n' >"$T_TMP/fr"
	awk -F= -v n="$1" -v size="$size" '
		FNR == NR { s[$1] = $2; next } { r[$1] = $2 }
		END { printf "RESULT floor floor_bulk_ms=%.1f floor_tx_cpu_ms=%.1f floor_rx_cpu_ms=%.1f floor_lost=%d floor_size=%d\n",
			(r["last_ns"] - s["start_ns"]) / 1e6, s["cpu_ns"] / 1e6,
			r["cpu_ns"] / 1e6, n - r["dgrams"], size }' "$T_TMP/fs" "$T_TMP/fr"
}

# solo_round DAEMON TAG [1t]: the load of sync_round with fw1's daemon
# alone, sending into a sync link dropped at both doors (no backup's
# CPU); with 1t, the loader on one thread.
solo_round() {
	local t0 k=${3:+_$3}
	[ -z "${3:-}" ] || export RAWCT_NO_PIPE=1
	CONNTRACKD=$1
	ha_net sync
	ha_conf 1 ftfw udp
	ha_start 1
	ha_cut_on silent
	sleep 0.5
	t0=$(now_ms)
	ha_load 1 "$work/flows"
	echo "RESULT $2 solo_load${k}_ms=$(($(now_ms) - t0))"
}

# fo_round DAEMON TAG PRELOAD [inject]: the failover gap; with inject,
# fw2 runs DisableExternalCache (flows go straight into its kernel
# table: its commit has nothing to do), keys gap_inject... and so on.
fo_round() {
	local pre=$3 t0 c0 gap k=${4:+_inject}
	CONNTRACKD=$1
	HA_MODE_EXTRA=${4:+DisableExternalCache on}
	ha_pair ftfw udp
	HA_MODE_EXTRA=
	ha_vip_add 1
	if [ "$pre" -gt 0 ] && [ -n "$k" ]; then
		c0=$(hab_cpu_us 2)
		t0=$(now_ms)
		ha_load 1 "$work/flows"
		ha_wait 120 1 kernel_has 2 "$pre" ||
			t_fail "$2: preload: fw2's table has $(kernel_count 2)"
		echo "RESULT $2 inject_ms=$(($(now_ms) - t0)) inject_cpu_ms=$((($(hab_cpu_us 2) - c0) / 1000))"
	elif [ "$pre" -gt 0 ]; then
		ha_ready
		ha_load 1 "$work/flows"
		ha_wait 120 1 ext_is "$pre" || t_fail "$2: preload: fw2 has $(ha_stat 2 external)"
	fi
	ha_probe_start
	if [ -n "$k" ]; then
		ha_wait 10 1 probe_in_kernel 2 ||
			t_fail "$2: the probe's flow is not in fw2's table"
	else
		ha_wait 10 1 ha_probe_flow 2 ||
			t_fail "$2: the probe's flow is not on fw2"
	fi
	sleep 1
	ha_crash 1
	t0=$(now_ms)
	ns_exec "$HA_FW2" "$RAWCT_TOP/examples/primary-backup.sh" primary \
		"$(ha_dir 2)/pb.conf"
	t0=$(($(now_ms) - t0))
	sleep 2
	ha_probe_stop
	gap=$(ha_probe max_gap_ms)
	# the silence left once the script starts moving the addresses (its
	# log line after the commit): from there to the first echo
	moved=$(awk '/ conntrackd -c done$/ { printf "%.0f", $1 * 1000; exit }' \
		"$(ha_dir 2)/pb.log")
	after=$(awk -v e="$(ha_probe gap_end_ms)" -v m="${moved:-x}" \
		'BEGIN { if (m == "x" || e == "none") print "NA"; else printf "%.0f", e - m }')
	[ "$(ha_probe complete)" = true ] || gap=broken
	echo "RESULT $2 gap$k${pre}_ms=$gap after_move$k${pre}_ms=$after takeover$k${pre}_ms=$t0"
}

results=$HAB_RESULTS
run() { # DAEMON TAG
	hab_round sync_round "$1" "$2"
	hab_round solo_round "$1" "$2"
	hab_round solo_round "$1" "$2" 1t
	hab_round fo_round "$1" "$2" 0
	hab_round fo_round "$1" "$2" "$N"
	hab_round fo_round "$1" "$2" "$N" inject
}

echo "sync_bench: N=$N REPS=$REPS ours=$OURS ref=$REF loader=$LOADER $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$REPS"); do
	hab_round bare_round
	hab_round bare_round 1t
	if [ $((r % 2)) = 1 ]; then
		run "$OURS" ours; run "$REF" ref
	else
		run "$REF" ref; run "$OURS" ours
	fi
done

# median TAG KEY
median() {
	grep "^RESULT $1 " "$results" | tr ' ' '\n' | sed -n "s/^$2=//p" |
		grep -E '^[0-9.]+$' | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# the floor under the bulk send: ours' datagrams, REPS times
if [ -x "$DFLOOR" ]; then
	for r in $(seq "$REPS"); do
		hab_round floor_round "$(median ours bulk_dgrams)" \
			"$(median ours bulk_bytes)"
	done
else
	echo "sync_bench: $DFLOOR missing (make build/bench/dgram_floor): no floor" >&2
fi

report() {
	local k o f
	echo
	echo "medians of $REPS rounds, N=$N (ours/ref below 1: ours better)"
	printf '%-16s %12s %12s %8s\n' measure ours ref ours/ref
	for k in event_ms load_ms solo_load_ms solo_load_1t_ms \
		dgrams_per_flow bytes_per_flow \
		trickle_dgrams_per_flow overruns \
		bulk_ms bulk_tx_cpu_ms bulk_rx_cpu_ms bulk_dgrams bulk_bytes commit_ms \
		commit_cpu_ms rss_b_per_flow rss_idle_kb gap0_ms \
		"gap${N}_ms" after_move0_ms "after_move${N}_ms" takeover0_ms \
		"takeover${N}_ms" "gap_inject${N}_ms" "after_move_inject${N}_ms" \
		"takeover_inject${N}_ms" inject_ms inject_cpu_ms; do
		o=$(median ours "$k")
		f=$(median ref "$k")
		[ "$k" = load_ms ] && printf '%-16s %12s\n' bare_load_ms \
			"$(median bare bare_load_ms)" floor_load_ms \
			"$(median bare floor_load_ms)" bare_load_1t_ms \
			"$(median bare bare_load_1t_ms)" floor_load_1t_ms \
			"$(median bare floor_load_1t_ms)"
		[ "$k" = commit_ms ] && printf '%-16s %12s\n' \
			target_bulk_ms "$(awk -v b="$(median ref bulk_ms)" \
			'BEGIN { if (b == "NA") print "NA"; else printf "%.1f", 0.3 * b }')" \
			floor_bulk_ms "$(median floor floor_bulk_ms)" \
			floor_tx_cpu_ms "$(median floor floor_tx_cpu_ms)" \
			floor_rx_cpu_ms "$(median floor floor_rx_cpu_ms)" \
			floor_lost "$(median floor floor_lost)"
		printf '%-16s %12s %12s %8s\n' "$k" "$o" "$f" \
			"$(awk -v a="$o" -v b="$f" 'BEGIN { if (a == "NA" || b == "NA" || b + 0 == 0) print "-"; else printf "%.2f", a / b }')"
	done
}
hab_report "$out" report
