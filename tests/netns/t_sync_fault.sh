#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults of the sync link between two firewalls (tests/netns/ha_rig.sh,
# `ha_net sync`): fw1's kernel table gets flows (conntrack -R batches of
# established TCP flows 172.16.x.y -> 172.20.x.y), fw2's external cache
# must follow; then, while something is broken, flows come (N2) and go
# (D of the first N1), and once it is repaired fw1's internal cache and
# fw2's external cache are compared: missing (on fw1, not on fw2) and
# stale (on fw2, gone from fw1).
#   - the link cut 10 s, silently both ways (netdev ingress drop on both
#     ends) or with send errors (fw1's sync0 down):
#     FTFW: nothing missing or stale once it is back, also when the
#     resend queue (ResendQueueSize 1000) overflows during the cut, and
#     each change goes out once while the link is down (no resend storm);
#     NOTRACK (cut either way): the backup sees the gap in the sequence
#     numbers and asks for a resync itself; ours answers the bulk with
#     the request's token and the backup drops what it did not bring:
#     nothing missing or stale within 2 s of the repair (upstream, best
#     effort, stays so until a -n, and then keeps the stale). With the
#     reference as the primary the missing flows still come, the stale
#     ones stay;
#     ALARM (cut either way): the backup heals as with NOTRACK, also
#     with a RefreshTime that would take far longer; with the reference
#     as the primary it forgets what is not refreshed within
#     CacheTimeout, and everything comes back within RefreshTime of the
#     repair.
#   - events lost (FTFW): a burst overflows fw1's event socket; the
#     resync after the burst brings fw2 what the lost events said, within
#     seconds rather than NetlinkOverrunResync (30 s) later.
#   - a daemon killed (SIGKILL) and restarted, in every mode over every
#     transport: the backup gets what changed while it was down (FTFW:
#     through the HELLO) and the rest with -n (ALARM: by the refreshes);
#     the primary goes on being heard (its new sequence numbers are not
#     taken as old), and -B (ALARM: the refreshes) sends what its
#     start-up dump found. Each ends with exactly fw1's table.
#   - TCP (FTFW): the connection reset by the peer while flows change
#     loses nothing; flows created while the peer does not listen yet
#     reach it once it does (upstream loses both).
. "$(dirname "$0")/ctd_lib.sh"
. "$(dirname "$0")/ha_rig.sh"

N1=2000
N2=2000
D=500		# a multiple of 250: whole /24s of batch A's sources
CUT_S=10

batch() { ha_batch "$@"; }
load() { ha_load 1 "$1"; }

del_a() { ha_del 1 "$D" 172.20; } # the first D flows of batch A go

# pair MODE TRANSPORT: both firewalls up, batch A on both.
pair() {
	local n
	ha_net sync
	batch "$T_TMP/A" "$N1" 172.20
	batch "$T_TMP/B" "$N2" 172.21
	for n in 1 2; do
		ha_conf $n "$1" "$2"
		ha_start $n
	done
	ha_ready
	load "$T_TMP/A"
	ha_converge 30 "$N1"
}

# cut_link HOW: CUT_S seconds without the link, N2 flows come, D go.
cut_link() { ha_cut_link "$1" "$CUT_S" churn; }
churn() {
	load "$T_TMP/B"
	del_a
}

# ---- FTFW ------------------------------------------------------------------

# ftfw_cut HOW: nothing lost, each change sent once during the cut.
ftfw_cut() {
	local lost0 lost1
	pair ftfw udp
	lost0=$(ha_lost 2)
	cut_link "$1"
	ha_converge 20 $((N1 - D + N2))
	lost1=$(ha_lost 2)
	# the peer sees as lost what went out during the cut: each change
	# once (and a few ALIVEs), not again and again
	[ $((lost1 - lost0)) -le $((2 * (N2 + D) + 100)) ] || {
		ha_detail
		t_fail "fw2 counts $((lost1 - lost0)) messages lost for $((N2 + D)) changes: fw1 sent them again and again while the link was down"
	}
}

c_cut_ftfw() { ftfw_cut silent; }
c_linkdown_ftfw() { ftfw_cut linkdown; }

c_cut_ftfw_small_rsqueue() {
	local full
	HA_RSQ=1000
	pair ftfw udp
	cut_link silent
	full=$(ha_ctd 1 -s queue | awk '/not enough space errors/ { n += $NF } END { print n + 0 }')
	[ "$full" -gt 0 ] || t_fail "the resend queue never overflowed ($full)"
	ha_converge 20 $((N1 - D + N2))
}

# ---- NOTRACK, ALARM --------------------------------------------------------

# ours heals by itself: the gap in fw1's sequence numbers makes fw2 ask
# for a resync with a token, fw1 answers the bulk with the token, fw2
# drops what the bulk did not bring; within 2 s of the repair (the gap
# shows at fw1's next message, an ALIVE within a second)
c_cut_notrack() { heal_cut notrack silent; }
c_linkdown_notrack() { heal_cut notrack linkdown; }

# heal_cut MODE HOW: the link cut (HOW as cut_link's); fw2 asks for a
# resync by itself and ends with fw1's table within 2 s of the repair,
# the stale dropped.
heal_cut() {
	local t0
	pair "$1" udp
	cut_link "$2"
	t0=$(date +%s%3N)
	ha_converge 5 $((N1 - D + N2))
	[ $(($(date +%s%3N) - t0)) -le 2500 ] ||
		t_fail "healed after $(($(date +%s%3N) - t0)) ms, want 2 s"
	grep -q 'messages from the other node were lost, asking for a resync' \
		"$(ha_dir 2)/log" || t_fail "fw2 did not ask for a resync"
	grep -q "resync from the other node complete, $D stale entries dropped" \
		"$(ha_dir 2)/log" || t_fail "fw2's log: $(grep resync "$(ha_dir 2)/log")"
	t_eq "messages fw2 took as malformed" "$(ha_ctd 2 -s network |
		awk '/Malformed messages:/ { n += $NF } END { print n + 0 }')" 0
}

# With the reference as the primary (no answer to the token), the
# missing flows still come by the resync fw2 asks for; the stale ones
# stay, as with upstream.
c_cut_notrack_ref() {
	[ -x /usr/sbin/conntrackd ] || t_skip "no reference conntrackd (tests/deps.sh installs it)"
	HA_BIN1=/usr/sbin/conntrackd
	pair notrack udp
	cut_link silent
	ha_wait 5 0 eval 'ha_compare; echo $MISSING'
	ha_compare
	[ "$MISSING" = 0 ] || { ha_detail; t_fail "still $MISSING missing"; }
	t_eq "stale (nothing tells fw2 they ended)" "$STALE" "$D"
}

# ours heals as NOTRACK does: the first refresh after the repair shows
# the gap, fw2 asks, fw1 answers the bulk with the token and fw2 drops
# the stale. With RefreshTime 30 and CacheTimeout 60 only the heal can
# do it within 2 s: the refreshes would take up to 31 s, the stale 60.
c_cut_alarm() {
	HA_REFRESH=30 HA_CACHE=60
	heal_cut alarm silent
}
c_linkdown_alarm() {
	HA_REFRESH=30 HA_CACHE=60
	heal_cut alarm linkdown
}

# With the reference as the primary, fw2's requests go unanswered (its
# ALARM ignores control messages): everything comes back by the
# refreshes within RefreshTime (and up to a second more), the stale go
# after CacheTimeout, as with upstream.
c_cut_alarm_ref() {
	[ -x /usr/sbin/conntrackd ] || t_skip "no reference conntrackd (tests/deps.sh installs it)"
	HA_BIN1=/usr/sbin/conntrackd HA_REFRESH=2 HA_CACHE=6
	pair alarm udp
	cut_link silent
	ha_converge 8 $((N1 - D + N2))
}

# ---- events lost ---------------------------------------------------------

# A burst overflows fw1's event socket (128 KiB, not allowed to grow):
# the flows whose events were lost reach fw2 by the resync that follows
# the burst, not NetlinkOverrunResync (30 s) later.
c_overrun_ftfw() {
	local over
	HA_NLBUF=131072 HA_NLBUFMAX=131072
	pair ftfw udp
	batch "$T_TMP/C" 30000 172.22
	load "$T_TMP/C"
	over=$(ha_ctd 1 -s runtime | awk '/netlink overrun:/ { print $NF }')
	[ "${over:-0}" -gt 0 ] ||
		t_fail "no overrun: 30000 new flows fit a 128 KiB event socket here"
	ha_converge 10 $((N1 + 30000))
}

# ---- restarts --------------------------------------------------------------

# on_fw2 NET: the flows to NET.x.y in fw2's external cache.
on_fw2() {
	ha_ctd 2 -e 2>/dev/null | grep -c "dst=${1//./\\.}\\."
}

# restart_backup MODE TRANSPORT: fw2's daemon killed (SIGKILL); N2 flows
# come and D go meanwhile; restarted, fw2 ends with fw1's table.
restart_backup() {
	[ "$1" = alarm ] && HA_REFRESH=2 HA_CACHE=6
	pair "$1" "$2"
	ha_kill 2
	load "$T_TMP/B"
	del_a
	sleep 1
	ha_start 2
	case $1 in
	ftfw)
		# HELLO: fw1 sends again what fw2 never acknowledged, i.e.
		# what changed while it was down; the flows before are fw2's
		# to ask for
		ha_wait 15 "$N2" on_fw2 172.21 ||
			t_fail "fw2 has $(on_fw2 172.21) of the $N2 flows added while it was down"
		ha_ctd 2 -n || t_fail "-n failed" ;;
	notrack)
		# nothing goes again by itself: -n, as the notify script's
		# backup transition asks, brings the whole table
		ha_ctd 2 -n || t_fail "-n failed" ;;
	alarm) ;;	# everything is refreshed within RefreshTime
	esac
	ha_converge 20 $((N1 - D + N2))
}

# restart_primary MODE TRANSPORT: fw1's daemon killed (SIGKILL), N2 flows
# made meanwhile; restarted, the flows made after reach fw2 (it does not
# take the new life's messages for old ones), then -B sends what fw1's
# start-up dump found (ALARM: its refreshes do), D of them gone by then.
restart_primary() {
	[ "$1" = alarm ] && HA_REFRESH=2 HA_CACHE=6
	pair "$1" "$2"
	ha_kill 1
	load "$T_TMP/B"
	ha_start 1
	batch "$T_TMP/C" 1000 172.22
	load "$T_TMP/C"
	ha_wait 15 1000 on_fw2 172.22 ||
		t_fail "fw2 has $(on_fw2 172.22) of the 1000 flows made after fw1's restart"
	# FTFW: nothing else came (NOTRACK's gap in the sequence makes fw2
	# ask for a resync; ALARM refreshes)
	[ "$1" = ftfw ] && t_eq "flows on fw2 before -B" "$(ha_stat 2 external)" $((N1 + 1000))
	del_a
	[ "$1" = alarm ] || ha_ctd 1 -B || t_fail "-B failed"
	ha_converge 20 $((N1 - D + N2 + 1000))
}

# ---- TCP -------------------------------------------------------------------

c_tcp_reset_ftfw() {
	pair ftfw tcp
	ns_exec "$HA_FW2" nft -f - <<EOF
table inet rawct_rst {
	chain in {
		type filter hook input priority -10; policy accept;
		tcp dport $HA_PORT reject with tcp reset
	}
}
EOF
	load "$T_TMP/B"
	del_a
	sleep 3
	ns_exec "$HA_FW2" nft delete table inet rawct_rst
	ha_converge 20 $((N1 - D + N2))
}

c_tcp_not_listening_ftfw() {
	ha_net sync
	batch "$T_TMP/A" "$N1" 172.20
	ha_conf 1 ftfw tcp
	ha_conf 2 ftfw tcp
	ha_start 1
	load "$T_TMP/A"
	ha_wait 10 "$N1" ha_stat 1 internal ||
		t_fail "fw1 has $(ha_stat 1 internal) flows, want $N1"
	sleep 1
	ha_start 2
	ha_converge 20 "$N1"
}

t_case fault_cut_ftfw c_cut_ftfw
t_case fault_linkdown_ftfw c_linkdown_ftfw
t_case fault_cut_ftfw_small_rsqueue c_cut_ftfw_small_rsqueue
t_case fault_cut_notrack c_cut_notrack
t_case fault_linkdown_notrack c_linkdown_notrack
t_case fault_cut_notrack_ref c_cut_notrack_ref
t_case fault_cut_alarm c_cut_alarm
t_case fault_linkdown_alarm c_linkdown_alarm
t_case fault_cut_alarm_ref c_cut_alarm_ref
t_case fault_overrun_ftfw c_overrun_ftfw
for mode in ftfw notrack alarm; do
	for tr in udp mcast tcp; do
		for who in backup primary; do
			eval "c_restart_${who}_${mode}_$tr() { restart_$who $mode $tr; }"
			t_case "fault_restart_${who}_${mode}_$tr" "c_restart_${who}_${mode}_$tr"
		done
	done
done
t_case fault_tcp_reset_ftfw c_tcp_reset_ftfw
t_case fault_tcp_not_listening_ftfw c_tcp_not_listening_ftfw
t_done
