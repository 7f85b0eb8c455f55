#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Failover end to end (tests/netns/ha_rig.sh): a client keeps a TCP
# connection to a server through the primary firewall (stateful ruleset,
# nf_conntrack_tcp_loose=0, SNAT to the outside virtual address), echoes
# every 10 ms; the primary fails; the backup takes over with our notify
# script (examples/primary-backup.sh: commit, then the addresses, then -f,
# -R, -B), by hand or driven by a real keepalived (VRRPv2, 1 s adverts)
# whose notify_master calls it. The connection must survive: no reset,
# every line echoed, the longest silence under 5 s (10 s under
# keepalived, whose detection takes 3.6 s), the flow in the new primary's
# kernel table, and no packet of it dropped there as invalid (the commit
# came before the addresses). The negative control, the same
# without the commit, must break it: the new primary drops the flow's
# packets as invalid, nothing comes back. Failures: a crash (the daemons
# killed with SIGKILL, the node's links down) and, under keepalived, an
# orderly stop (keepalived ends: priority 0, notify_stop drops the
# addresses). Every sync mode over UDP; FTFW over TCP and multicast too;
# FTFW with DisableExternalCache (the backup injects as flows come), our
# backup fed by our primary or by the reference.
. "$(dirname "$0")/ctd_lib.sh"
. "$(dirname "$0")/ha_rig.sh"

# fo_nocommit N: a conntrackd wrapper for firewall N's settings that
# ignores -c (the negative control runs the same script without commit).
fo_nocommit() {
	local dir
	dir=$(ha_dir "$1")
	cat >"$dir/ctd-nocommit" <<EOF
#!/bin/sh
for a in "\$@"; do [ "\$a" = -c ] && exit 0; done
exec "$CONNTRACKD" "\$@"
EOF
	chmod 755 "$dir/ctd-nocommit"
	echo "CONNTRACKD_BIN=$dir/ctd-nocommit" >>"$dir/pb.conf"
}

# fo_broken: the negative control: without the commit the connection
# cannot go on through fw2.
fo_broken() {
	ha_fo_detail
	[ "$(ha_probe complete)" = false ] ||
		t_fail "the connection survived without a commit: the test does not depend on the replicated state"
	t_eq "flow in fw2's kernel table" "$(ha_fo_in_kernel 2)" 0
	[ "$(ha_invalid 2)" -gt 0 ] ||
		t_fail "fw2 dropped nothing as invalid: the flow never reached it"
}

# ---- by hand ---------------------------------------------------------------

# fo_hand MODE TRANSPORT [nocommit]: fw1 crashes, fw2 runs the notify
# script's primary transition.
fo_hand() {
	ha_pair "$1" "$2"
	[ "${3:-}" = nocommit ] && fo_nocommit 2
	ha_vip_add 1
	ha_fo_probe
	ha_takeover
	if [ "${3:-}" = nocommit ]; then fo_broken; else ha_survived; fi
}

# fo_inject [ref]: the same with DisableExternalCache on both (fw1 the
# reference with "ref"): fw2 injects the probe's flow as it comes, so its
# commit has nothing to do and the flow is in its table before the crash.
fo_inject() {
	[ -z "${1:-}" ] || { sync_need_ref; HA_BIN1=$REFD; }
	HA_MODE_EXTRA="DisableExternalCache on"
	ha_pair ftfw udp
	HA_MODE_EXTRA=
	ha_vip_add 1
	ha_probe_start
	ha_wait 5 1 ha_fo_in_kernel 2 ||
		t_fail "the probe's flow never reached fw2's kernel table"
	sleep 1
	ha_takeover
	ha_survived
}

# ---- keepalived ------------------------------------------------------------

# ka_conf N: keepalived for firewall N (fw1 priority 150, fw2 100): the
# shipped examples/keepalived.conf with the case's paths, interfaces and
# names, so that what users copy is what is tested. Without KA_HEALTH
# its conntrackd -s health tracking is taken out, and fw1 starts as
# master at once instead of after three adverts.
ka_conf() {
	local n=$1 dir prio=100 state=BACKUP
	dir=$(ha_dir "$n")
	[ "$n" = 1 ] && prio=150
	[ "$n" = 1 ] && [ -z "${KA_HEALTH:-}" ] && state=MASTER
	awk -v id="rawct-fw$n" -v ctd="$CONNTRACKD -C $dir/c.conf" \
		-v pb="$HA_PB" -v pbc="$dir/pb.conf" -v prio="$prio" \
		-v state="$state" -v health="${KA_HEALTH:-}" '
	!health && /^vrrp_script / { skip = 1 }
	!health && /^[ \t]*track_script \{/ { skip = 1 }
	skip { if ($0 ~ /^[ \t]*}/) skip = 0; next }
	!health && /sync_group_tracking_weight/ { next }
	{
		sub(/router_id fw1/, "router_id " id)
		sub(/\/usr\/sbin\/conntrackd -C \/etc\/conntrackd\/conntrackd.conf/, ctd)
		if (sub(/\/etc\/conntrackd\/primary-backup.sh [a-z]+/, "& " pbc))
			sub(/\/etc\/conntrackd\/primary-backup.sh/, pb)
		sub(/interface eth0/, "interface in0")
		sub(/interface eth1/, "interface out0")
		sub(/priority 150/, "priority " prio)
		sub(/state BACKUP/, "state " state)
		print
	}' "$RAWCT_TOP/examples/keepalived.conf" >"$dir/keepalived.conf"
	# what the substitutions missed: the example changed under them
	if sed 's/#.*//' "$dir/keepalived.conf" |
		grep -q '/etc/conntrackd\|eth[01]\|router_id fw1'; then
		t_fail "examples/keepalived.conf no longer fits ka_conf"
	fi
	t_eq "notify lines" "$(grep -c "\"$HA_PB [a-z]* $dir/pb.conf\"" \
		"$dir/keepalived.conf")" 4
	t_eq "priorities" "$(grep -c "priority $prio\b" "$dir/keepalived.conf")" 2
}

# ka_start N: keepalived in firewall N (VRRP only, in the console, its
# own pid files; never -M, which changes the host's core_pattern).
ka_start() {
	local dir
	dir=$(ha_dir "$1")
	ka_conf "$1"
	ip netns exec "$(ha_ns "$1")" keepalived -P -n -l -G \
		-f "$dir/keepalived.conf" -p "$dir/keepalived.pid" \
		-r "$dir/vrrp.pid" >"$dir/keepalived.log" 2>&1 &
	printf -v "KA_PID$1" '%s' "$!"
}

pb_done() { # N WORD: the notify script of N has logged a line with WORD
	grep -c "$2" "$(ha_dir "$1")/pb.log" 2>/dev/null
}

# fo_vrrp MODE TRANSPORT crash|stop [nocommit]
fo_vrrp() {
	local how=$3 p
	command -v keepalived >/dev/null 2>&1 ||
		t_skip "keepalived is not installed (tests/deps.sh installs it)"
	MAX_GAP_MS=10000
	ha_pair "$1" "$2"
	[ "${4:-}" = nocommit ] && fo_nocommit 2
	ka_start 1
	ha_wait 10 1 ha_vip_on 1 ||
		t_fail "fw1 never became master: $(tail -n 5 "$(ha_dir 1)/keepalived.log")"
	ka_start 2
	ha_wait 10 1 pb_done 2 "conntrackd -n done" ||
		t_fail "fw2 never ran its backup transition: $(cat "$(ha_dir 2)/pb.log" 2>/dev/null)"
	ha_fo_probe
	case $how in
	crash) ha_crash 1 ;;
	stop) kill -TERM "$KA_PID1" ;;
	esac
	ha_wait 15 1 pb_done 2 "conntrackd -B done" || ha_fo_detail
	ha_wait 0 1 pb_done 2 "conntrackd -B done" ||
		t_fail "fw2 did not complete its primary transition: $(cat "$(ha_dir 2)/pb.log" 2>/dev/null)"
	if [ "$how" = stop ]; then
		ha_has_vip 1 && t_fail "fw1 kept the addresses after keepalived stopped"
		p=$(pb_done 1 "transition: stop")
		t_eq "fw1 stop transitions" "$p" 1
	fi
	sleep 2
	ha_probe_stop
	if [ "${4:-}" = nocommit ]; then fo_broken; else ha_survived; fi
}

# fo_health: examples/keepalived.conf's track_script. fw2 is master;
# fw1 (priority 150) comes but cannot hear fw2 (its sync port dropped):
# conntrackd -s health says "not ready", the weight keeps fw1 at 90, and
# fw2 (100) is not preempted by a node with half a table. Once fw1 hears
# fw2 again it is healthy, back at 150, and takes over.
health_of() { # N: 0 if firewall N's daemon says ok, else 1
	if ha_ctd "$1" -s health >/dev/null 2>&1; then echo 0; else echo 1; fi
}
fo_health() {
	command -v keepalived >/dev/null 2>&1 ||
		t_skip "keepalived is not installed (tests/deps.sh installs it)"
	KA_HEALTH=1
	# NOTRACK: a request nobody answers is given up after two tries, so
	# fw2's own -n (notify_backup) does not keep it "not ready"
	ha_pair notrack udp
	# fw1 stops hearing fw2 (fw2 still hears fw1)
	ns_exec "$HA_FW1" nft insert rule inet rawct_fw input iifname sync0 \
		udp dport "$HA_PORT" drop
	ka_start 2
	ha_wait 10 1 ha_vip_on 2 ||
		t_fail "fw2 alone did not take the addresses: $(tail -n 5 "$(ha_dir 2)/keepalived.log")"
	ha_wait 15 0 health_of 2 || t_fail "fw2 not healthy: $(ha_ctd 2 -s health)"
	t_eq "fw1 healthy without its peer" "$(health_of 1)" 1
	ka_start 1
	sleep 6
	t_eq "fw1 took the addresses while not healthy" "$(ha_vip_on 1)" 0
	t_eq "fw2 holds the addresses" "$(ha_vip_on 2)" 1
	ns_exec "$HA_FW1" nft delete rule inet rawct_fw input \
		handle "$(ns_exec "$HA_FW1" nft -a list chain inet rawct_fw input |
			awk '/udp dport/ { print $NF }')"
	ha_wait 15 0 health_of 1 || t_fail "fw1 never healthy again: $(ha_ctd 1 -s health)"
	ha_wait 15 1 ha_vip_on 1 ||
		t_fail "healthy fw1 did not take over: $(tail -n 5 "$(ha_dir 1)/keepalived.log")"
	ha_wait 10 0 ha_vip_on 2 || t_fail "fw2 kept the addresses"
}

c_hand_ftfw_udp() { fo_hand ftfw udp; }
c_hand_notrack_udp() { fo_hand notrack udp; }
c_hand_alarm_udp() { fo_hand alarm udp; }
c_hand_ftfw_tcp() { fo_hand ftfw tcp; }
c_hand_ftfw_mcast() { fo_hand ftfw mcast; }
c_hand_nocommit_ftfw() { fo_hand ftfw udp nocommit; }
c_hand_inject() { fo_inject; }
c_hand_inject_from_ref() { fo_inject ref; }
c_hand_nocommit_notrack() { fo_hand notrack udp nocommit; }
c_hand_nocommit_alarm() { fo_hand alarm udp nocommit; }
c_vrrp_crash_ftfw() { fo_vrrp ftfw udp crash; }
c_vrrp_crash_notrack() { fo_vrrp notrack udp crash; }
c_vrrp_crash_alarm() { fo_vrrp alarm udp crash; }
c_vrrp_stop_ftfw() { fo_vrrp ftfw udp stop; }
c_vrrp_stop_notrack() { fo_vrrp notrack udp stop; }
c_vrrp_stop_alarm() { fo_vrrp alarm udp stop; }
c_vrrp_nocommit_ftfw() { fo_vrrp ftfw udp crash nocommit; }
c_vrrp_health_notrack() { fo_health; }

t_case failover_hand_ftfw_udp c_hand_ftfw_udp
t_case failover_hand_notrack_udp c_hand_notrack_udp
t_case failover_hand_alarm_udp c_hand_alarm_udp
t_case failover_hand_ftfw_tcp c_hand_ftfw_tcp
t_case failover_hand_ftfw_mcast c_hand_ftfw_mcast
t_case failover_hand_inject_ftfw c_hand_inject
t_case failover_hand_inject_ref_to_ours c_hand_inject_from_ref
t_case failover_hand_nocommit_ftfw c_hand_nocommit_ftfw
t_case failover_hand_nocommit_notrack c_hand_nocommit_notrack
t_case failover_hand_nocommit_alarm c_hand_nocommit_alarm
t_case failover_vrrp_crash_ftfw c_vrrp_crash_ftfw
t_case failover_vrrp_crash_notrack c_vrrp_crash_notrack
t_case failover_vrrp_crash_alarm c_vrrp_crash_alarm
t_case failover_vrrp_stop_ftfw c_vrrp_stop_ftfw
t_case failover_vrrp_stop_notrack c_vrrp_stop_notrack
t_case failover_vrrp_stop_alarm c_vrrp_stop_alarm
t_case failover_vrrp_nocommit_ftfw c_vrrp_nocommit_ftfw
t_case failover_vrrp_health_notrack c_vrrp_health_notrack
t_done
