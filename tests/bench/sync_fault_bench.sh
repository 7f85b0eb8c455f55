#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's Sync mode through a cut of its link, ours and the
# reference (/usr/sbin/conntrackd) side by side on the two-firewall rig
# of tests/netns/ha_rig.sh (`ha_net sync`, UDP, the upstream example's
# buffers; both firewalls run the same daemon). For each mode and daemon:
# fw1 gets N flows (batch A) and fw2's external cache follows; the sync
# link is cut CUT seconds (a netdev ingress drop on both ends' sync0, or
# with -c linkdown fw1's sync0 down) while on fw1 N more flows come
# (batch B), D of A go and D others come and go (never seen by fw2);
# then the link is repaired and fw2's external cache is compared with
# fw1's kernel table until they match, CAP seconds at most. Figures to
# read, never assertions; medians of REPS rounds, A/B interleaved. A
# broken rig (the first sync never matches, the cut lets flows through,
# fw1's table is not what the changes made) fails the run: exit 1.
#
#   missing      flows in fw1's table not in fw2's external cache, when
#                they match or at the cap
#   stale        flows in fw2's external cache gone from fw1's table
#   recover_ms   from the repair to the start of the comparison that
#                found them matching (its resolution: poll_ms, the time
#                of one comparison); ">15000" (CAP in ms) if not within
#                CAP seconds
#   cut_missing, cut_stale  the same once the changes are made, the
#                link still cut (what the backup missed)
#   lost         sequence numbers fw2 counted as skipped (-s network)
#                from before the cut to the end (the reference's ALARM
#                never starts tracking them: 0)
#   cut_ms       how long the link was cut
#
# modes (-m, any of): ftfw (ResendQueueSize 131072), ftfw_rsqQ (Q, e.g.
# ftfw_rsq1000: the resend queue overflows during the cut), notrack,
# alarm (RefreshTime 2, CacheTimeout 6: HA_REFRESH and HA_CACHE change
# them; a CacheTimeout past CUT + CAP would only measure itself).
#
#   tests/bench/sync_fault_bench.sh [-n N] [-r REPS] [-m MODES]
#       [-c silent|linkdown] [-o REPORT]
#   (N 5000, REPS 1, MODES "ftfw ftfw_rsq1000 notrack alarm", silent;
#   quick: -n 2000; D is N/5 down to a multiple of 250, at least 250)
# env: OURS, REF (daemons), LOADER (conntrack CLI that loads and lists,
# default ours), CUT (seconds, 10), CAP (seconds, 15).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
export RAWCT_TOP=$top
CUT=${CUT:-10}
CAP=${CAP:-15}
HA_REFRESH=${HA_REFRESH:-2}
HA_CACHE=${HA_CACHE:-6}
N=5000
REPS=1
MODES="ftfw ftfw_rsq1000 notrack alarm"
HOW=silent
out=
cmdline="$0 $*"

while getopts n:r:m:c:o: opt; do
	case $opt in
	n) N=$OPTARG ;;
	r) REPS=$OPTARG ;;
	m) MODES=$OPTARG ;;
	c) HOW=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-n N] [-r REPS] [-m MODES] [-c silent|linkdown] [-o report]" >&2
		exit 2 ;;
	esac
done

die() { echo "sync_fault_bench: $*" >&2; exit 1; }
case $N in '' | *[!0-9]*) die "-n wants a number" ;; esac
[ "$N" -ge 250 ] || die "-n wants 250 flows at least"
case $HOW in silent | linkdown) ;; *) die "-c silent or linkdown" ;; esac
for m in $MODES; do
	case $m in
	ftfw | notrack | alarm) ;;
	ftfw_rsq[1-9]*) ;;
	*) die "unknown mode $m (ftfw, ftfw_rsqQ, notrack, alarm)" ;;
	esac
done
D=$((N / 5 / 250 * 250))
[ "$D" -ge 250 ] || D=250

# shellcheck source=ha_bench_lib.sh
. "$top/tests/bench/ha_bench_lib.sh"
# fw1 holds 2N + D
hab_init sync_fault_bench $((2 * N + D))
work=$HAB_WORK
ha_batch "$work/A" "$N" 172.20
ha_batch "$work/B" "$N" 172.21
ha_batch "$work/C" "$D" 172.22
want=$((2 * N - D))
results=$HAB_RESULTS

now_ms() { date +%s%3N; }

# in_sync: "MISSING/STALE/FW1N" now; the poll's start, counts and
# duration are appended to $T_TMP/polls.
in_sync() {
	local t0
	t0=$(now_ms)
	ha_compare 1 2 kernel
	echo "$t0 $MISSING $STALE $FW1N $(($(now_ms) - t0))" \
		>>"$T_TMP/polls"
	echo "$MISSING/$STALE/$FW1N"
}

# churn: what changes on fw1 while the link is cut; then what fw2 missed.
churn() {
	ha_load 1 "$work/B"
	ha_del 1 "$D" 172.20
	ha_load 1 "$work/C"
	ha_del 1 "$D" 172.22
	in_sync >/dev/null
	read -r _ CUT_MISSING CUT_STALE CUT_FW1N _ <<<"$(tail -n 1 "$T_TMP/polls")"
}

# fault_round DAEMON TAG MODE: one cut and what follows.
fault_round() {
	local m=$3 n lost0 t0 rec last missing stale fw1n poll
	CONNTRACKD=$1
	case $m in
	ftfw_rsq*) HA_RSQ=${m#ftfw_rsq} m=ftfw ;;
	esac
	ha_net sync
	for n in 1 2; do
		ha_conf $n "$m" udp
		ha_start $n
	done
	ha_ready
	ha_load 1 "$work/A"
	ha_wait 60 "0/0/$N" in_sync ||
		t_fail "$2 $3: before the cut, fw2 does not match fw1: $(in_sync) (missing/stale/fw1)"
	lost0=$(ha_lost 2)
	[ -n "$lost0" ] || t_fail "$2 $3: no 'Packets lost' in fw2's -s network"
	ha_cut_link "$HOW" "$CUT" churn
	t0=$(now_ms)
	[ "$CUT_FW1N" = "$want" ] ||
		t_fail "$2 $3: fw1 has $CUT_FW1N flows after the changes, want $want"
	[ "$CUT_MISSING" -ge "$N" ] ||
		t_fail "$2 $3: only $CUT_MISSING flows missing during the cut: it lets flows through"
	: >"$T_TMP/polls"
	if ha_wait "$CAP" "0/0/$want" in_sync; then
		last=$(tail -n 1 "$T_TMP/polls")
		rec=$((${last%% *} - t0))
	else
		rec=">$((CAP * 1000))"
		last=$(tail -n 1 "$T_TMP/polls")
	fi
	read -r _ missing stale fw1n _ <<<"$last"
	[ "$fw1n" = "$want" ] ||
		t_fail "$2 $3: fw1's table changed after the repair: $fw1n flows, want $want"
	poll=$(awk '{ s += $5 } END { printf "%.0f", s / NR }' "$T_TMP/polls")
	echo "RESULT $2 mode=$3 missing=$missing stale=$stale recover_ms=$rec" \
		"cut_missing=$CUT_MISSING cut_stale=$CUT_STALE" \
		"lost=$(($(ha_lost 2) - lost0)) cut_ms=$HA_CUT_MS poll_ms=$poll"
}

echo "sync_fault_bench: N=$N D=$D REPS=$REPS cut $HOW ${CUT} s, cap ${CAP} s, modes $MODES; ours=$OURS ref=$REF loader=$LOADER; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$REPS"); do
	i=$r
	for m in $MODES; do
		i=$((i + 1))
		if [ $((i % 2)) = 0 ]; then
			hab_round fault_round "$OURS" ours "$m"
			hab_round fault_round "$REF" ref "$m"
		else
			hab_round fault_round "$REF" ref "$m"
			hab_round fault_round "$OURS" ours "$m"
		fi
	done
done

# median TAG MODE KEY: over the rounds; ">15000" (the cap) ranks above all.
median() {
	grep "^RESULT $1 mode=$2 " "$results" | tr ' ' '\n' |
		sed -n "s/^$3=//p" | sed 's/^>.*/999999999/' | sort -g |
		awk -v cap=">$((CAP * 1000))" '{ v[NR] = $1 }
		END {
			if (!NR) { print "NA"; exit }
			h = int((NR + 1) / 2)
			if (v[NR % 2 ? h : h + 1] == 999999999) print cap
			else if (NR % 2) print v[h]
			else print (v[h] + v[h + 1]) / 2
		}'
}

report() {
	local m d k
	echo
	echo "command: $cmdline"
	echo "link cut $CUT s ($HOW) during churn, N=$N flows before, $N new," \
		"$D gone, $D made and gone; medians of $REPS round(s)"
	printf '%-14s %-5s' mode daemon
	for k in missing stale recover_ms cut_missing cut_stale lost cut_ms poll_ms; do
		printf ' %11s' "$k"
	done
	echo
	for m in $MODES; do
		for d in ours ref; do
			printf '%-14s %-5s' "$m" "$d"
			for k in missing stale recover_ms cut_missing cut_stale lost cut_ms poll_ms; do
				printf ' %11s' "$(median "$d" "$m" "$k")"
			done
			echo
		done
	done
}
hab_report "$out" report
