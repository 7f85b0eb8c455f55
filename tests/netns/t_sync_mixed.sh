#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A mixed pair: our conntrackd and the Debian reference (1.4.7) on the two
# firewalls of tests/netns/ha_rig.sh, each as the primary (fw1) and as the
# backup (fw2), in every mode (FTFW, NOTRACK, ALARM) over every transport
# (UDP, multicast, TCP). In each cell, on a small table (ha_batch flows):
#  - fw1 starts on NP flows and sends none until asked: fw2's -n brings
#    them, and after fw2's -f external, fw1's -B (ALARM has no resync: its
#    refreshes bring them within RefreshTime);
#  - fw2's daemon is killed (SIGKILL); meanwhile flows come and go on fw1;
#    restarted with StartupResync (ALARM: by its refreshes) it ends with
#    exactly fw1's table, 0 missing, 0 stale;
#  - a TCP connection through fw1 (SNAT) survives fw1's crash: fw2 takes
#    over by hand with examples/primary-backup.sh run by its own daemon's
#    client, the flow committed before the addresses move, and fw2's kernel
#    then has every flow of fw1's table;
#  - fw1 comes back as the backup (the script's backup transition starts
#    its daemon and asks for a resync): its external cache ends with
#    exactly fw2's table, so each pair fails over in both directions.
# Sync between two daemons of ours, and in pairs of each with the
# reference without failover: t_sync.sh, t_sync_cache.sh, t_failover.sh.
. "$(dirname "$0")/ctd_lib.sh"
. "$(dirname "$0")/ha_rig.sh"
T_CASE_TIMEOUT=${T_CASE_TIMEOUT:-90}

NP=40	# fw1's table when the daemons start (172.16.0.x -> 172.20.0.y)
NQ=30	# made on fw1 while fw2's daemon is down (-> 172.21.0.y)
# made while fw2's daemon is down go: batch P's flows to 172.20.0.1
# (ha_batch spreads destinations over .1 to .7: every seventh flow)
NDEL=$(((NP + 6) / 7))

t_prereq() {
	[ -x "$NLPROBE" ] || { echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"; return; }
	[ -x "$CONNTRACKD" ] || { echo "FAIL $CONNTRACKD missing (make all)"; return; }
	[ -x "$REFD" ] || { echo "SKIP no reference $REFD (tests/deps.sh installs it)"; return; }
	[ -x "$REFCT" ] || echo "SKIP no reference $REFCT (tests/deps.sh installs it)"
}

# mx_resync MODE: fw2 gets fw1's start-up table by -n, and again by -B.
mx_resync() {
	if [ "$1" = alarm ]; then
		# no resync in ALARM (both ignore -n): every flow goes out
		# again within RefreshTime
		ha_converge 5 "$NP"
		return
	fi
	t_eq "flows fw2 got before anything asked" "$(ha_stat 2 external)" 0
	# NOTRACK, ours asking the reference: the bulk comes without the
	# closing ACK with our token (upstream never sends it), so nothing
	# stale would be dropped; there is nothing stale yet to drop
	ha_ctd 2 -n || t_fail "-n on fw2 failed"
	ha_converge 10 "$NP"
	ha_ctd 2 -f external || t_fail "-f external on fw2 failed"
	ha_wait 5 0 ha_stat 2 external || t_fail "-f external left $(ha_stat 2 external) flows"
	ha_ctd 1 -B || t_fail "-B on fw1 failed"
	ha_converge 10 "$NP"
}

# mx_restart_backup MODE TRANSPORT: fw2's daemon killed, NQ flows made
# and NDEL gone on fw1 meanwhile, fw2 restarted with StartupResync.
mx_restart_backup() {
	ha_kill 2
	# upstream's lock file outlives a crash and refuses the restart
	# (spec 5); ours is held with flock and left in place
	[ "$(ha_bin 2)" = "$REFD" ] && rm -f "$(ha_dir 2)/lock"
	ha_batch "$T_TMP/Q" "$NQ" 172.21
	ha_load 1 "$T_TMP/Q"
	ns_exec "$HA_FW1" "$CONNTRACK" -D -p tcp -d 172.20.0.1 >/dev/null 2>&1 ||
		t_fail "conntrack -D on fw1"
	HA_RESYNC=on ha_conf 2 "$1" "$2"
	ha_start 2
	ha_converge 10 $((NP + NQ - NDEL))
}

# mx_failover: the probe through fw1; fw1 crashes, fw2 takes over; fw2's
# kernel then holds the probe's flow and every one of fw1's table.
mx_failover() {
	ha_vip_add 1
	ha_fo_probe
	ha_tuples ha_ctd 1 -i >"$T_TMP/want"
	ha_takeover
	ha_survived
	ha_tuples ns_exec "$HA_FW2" "$CONNTRACK" -L >"$T_TMP/kernel2"
	comm -23 "$T_TMP/want" "$T_TMP/kernel2" >"$T_TMP/detail"
	t_eq "flows of fw1's table not committed on fw2" "$(wc -l <"$T_TMP/detail")" 0
}

# mx_failback: fw1 comes back (its sync link up) and its notify script's
# backup transition starts its daemon (the crash left its lock file) and
# asks for a resync: fw1's external cache ends as fw2's table.
mx_failback() {
	ip -n "$HA_FW1" link set sync0 up
	ns_exec "$HA_FW1" "$HA_PB" backup "$(ha_dir 1)/pb.conf" ||
		t_fail "primary-backup.sh backup exited $?"
	grep -q 'conntrackd -n done' "$(ha_dir 1)/pb.log" ||
		t_fail "fw1's backup transition: $(cat "$(ha_dir 1)/pb.log")"
	ha_converge 10 $((NP + NQ - NDEL)) 2 1
}

# mixed MODE TRANSPORT IMPL1 IMPL2: one cell; IMPLn ours or ref.
mixed() {
	local mode=$1 tr=$2 n
	# shellcheck disable=SC2034 # read by ha_bin, by name
	[ "$3" = ref ] && HA_BIN1=$REFD
	# shellcheck disable=SC2034
	[ "$4" = ref ] && HA_BIN2=$REFD
	HA_REFRESH=1 HA_CACHE=6
	ha_net full
	ha_batch "$T_TMP/P" "$NP" 172.20
	ha_load 1 "$T_TMP/P"
	ha_conf 1 "$mode" "$tr"
	ha_conf 2 "$mode" "$tr"
	# ours first: the reference's TCP client connects at its start,
	# and after that only when it has something to send
	if [ "$3" = ref ]; then ha_start 2; ha_start 1; else ha_start 1; ha_start 2; fi
	for n in 1 2; do ha_settings $n >/dev/null; done
	ha_ready
	mx_resync "$mode"
	mx_restart_backup "$mode" "$tr"
	mx_failover
	mx_failback
}

for mode in ftfw notrack alarm; do
	for tr in udp mcast tcp; do
		for pairing in ours:ref ref:ours; do
			c="c_${mode}_${tr}_${pairing/:/_}"
			eval "$c() { mixed $mode $tr ${pairing/:/ }; }"
			t_case "mixed_${mode}_${tr}_${pairing/:/_to_}" "$c"
		done
	done
done
t_done
