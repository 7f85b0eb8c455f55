#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's privilege separation and control socket access against the
# real kernel: the child that runs the loop is unprivileged (uid, no
# capabilities, no_new_privs, seccomp, an empty deleted root) yet the
# daemon still dumps, flushes and follows events through its parent;
# Separate off keeps one root process; a SIGHUP reopens the logs for the
# child; an unknown user stops the start; UNIX { Group } lets a group in
# and a caller that is neither root nor in it is refused, counted, logged.
. "$(dirname "$0")/ctd_lib.sh"

NS="" D=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }
setup() { ctd_stats_setup "$@"; }

# The uid the child should run as: conntrackd if it exists, else nobody.
want_uid() {
	id -u conntrackd 2>/dev/null || id -u nobody
}

# child_of PID: the one child process of PID (waits a little).
child_of() {
	local c
	for _ in $(seq 1 100); do
		c=$(pgrep -P "$1")
		[ -n "$c" ] && { echo "$c"; return; }
		sleep 0.02
	done
	t_fail "daemon $1 has no child process"
}

status_field() {
	awk -v k="$2:" '$1 == k { print $2; exit }' "/proc/$1/status"
}

case_child_confined() {
	local child uid out
	setup
	ct -I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 \
		--state ESTABLISHED -t 100 2>/dev/null
	ctd_start "$NS" "$D"
	child=$(child_of "$CTD_PID")
	uid=$(want_uid)
	out=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$child/status")
	t_eq "child uids" "$out" "$uid $uid $uid $uid"
	for f in CapEff CapPrm CapBnd CapInh; do
		t_eq "child $f" "$(status_field "$child" "$f")" 0000000000000000
	done
	t_eq "child NoNewPrivs" "$(status_field "$child" NoNewPrivs)" 1
	t_eq "child Seccomp" "$(status_field "$child" Seccomp)" 2
	out=$(readlink "/proc/$child/root")
	case $out in
	"$D"/conntrackd-empty.*" (deleted)") ;;
	*) t_fail "child root: $out" ;;
	esac
	t_eq "parent uid" "$(status_field "$CTD_PID" Uid)" 0
	# the dump at start-up, events, a resync and a kernel flush: all
	# need the parent's sends
	ctd_wait_active "$NS" "$D" 1
	ct -I -s 1.1.1.2 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100 \
		2>/dev/null
	ctd_wait_active "$NS" "$D" 2
	ctd "$NS" "$D" -f internal
	ctd_wait_active "$NS" "$D" 0
	ctd "$NS" "$D" -R
	ctd_wait_active "$NS" "$D" 2
	ctd "$NS" "$D" -F
	out=$(ct -L 2>/dev/null | wc -l)
	t_eq "kernel entries after -F" "$out" 0
	ctd_stop "$NS" "$D" "$CTD_PID"
	[ ! -e "$D/sock" ] || t_fail "socket file left behind"
	[ ! -e "$D/lock" ] || t_fail "lock file left behind"
	out=$(find "$D" -name 'conntrackd-empty.*')
	t_eq "empty roots left" "$out" ""
}

case_separate_off() {
	local out
	setup "Privsep { Separate off }"
	ctd_start "$NS" "$D"
	out=$(pgrep -P "$CTD_PID")
	t_eq "children" "$out" ""
	t_eq "uid" "$(status_field "$CTD_PID" Uid)" 0
	ct -I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100 \
		2>/dev/null
	ctd_wait_active "$NS" "$D" 1
	ctd_stop "$NS" "$D" "$CTD_PID"
}

# sched PID: "policy rt_priority" of PID (/proc/PID/stat fields 41 and
# 40, counted after the command name, which may hold spaces).
sched() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $39, $38 }'
}

# Real-time only when a Scheduler section asks, for both processes: a
# section without a Type gives SCHED_RR 10 (upstream: 99, always); a Type
# takes its Priority; Type OTHER and no section stay ordinary.
case_scheduler() {
	local conf want
	for conf in "" "Scheduler { Priority 20 }" \
		"Scheduler { Type FIFO; Priority 20 }" \
		"Scheduler { Type OTHER }"; do
		case $conf in
		*FIFO*) want="1 20" ;;
		*Priority*) want="2 10" ;;
		*) want="0 0" ;;
		esac
		setup "${conf//;/$'\n'}"
		ctd_start "$NS" "$D"
		t_eq "parent policy ($conf)" "$(sched "$CTD_PID")" "$want"
		t_eq "child policy ($conf)" "$(sched "$(child_of "$CTD_PID")")" "$want"
		ctd_stop "$NS" "$D" "$CTD_PID"
		ctd_cleanup
	done
}

case_user() {
	local out rc
	setup "Privsep { User rawct-no-such-user }"
	ns_exec "$NS" "$CONNTRACKD" -C "$D/c.conf" -d >/dev/null 2>&1
	rc=$?
	t_eq "rc" "$rc" 1
	out=$(cat "$D/log")
	case $out in
	*"[ERROR] privilege separation: no unprivileged user \`rawct-no-such-user'"*"[ERROR] conntrackd cannot start"*) ;;
	*) t_fail "unknown user: $out" ;;
	esac
	[ ! -e "$D/lock" ] || t_fail "lock file left behind"
	ctd_conf "$D" "Stats { }" "Privsep { User root }"
	out=$(ns_exec "$NS" "$CONNTRACKD" -C "$D/c.conf" 2>&1)
	t_eq "rc for root" "$?" 1
	case $out in
	*"no unprivileged user \`root'"*) ;;
	*) t_fail "User root: $out" ;;
	esac
	ctd_conf "$D" "Stats { }" "Privsep { User nobody }"
	ctd_start "$NS" "$D"
	t_eq "child uid" "$(status_field "$(child_of "$CTD_PID")" Uid)" \
		"$(id -u nobody)"
	ctd_stop "$NS" "$D" "$CTD_PID"
}

# sighup_logs [GENERAL...]: logrotate's mv and SIGHUP, then new lines go
# to the new files (the parent reopens them for the child).
sighup_logs() {
	setup "$@"
	ctd_start "$NS" "$D"
	mv "$D/log" "$D/log.1"
	mv "$D/flows" "$D/flows.1"
	kill -HUP "$CTD_PID"
	for _ in $(seq 1 100); do
		[ -e "$D/log" ] && [ -e "$D/flows" ] && break
		sleep 0.02
	done
	ctd "$NS" "$D" -R
	ct -I -s 1.1.1.1 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100 \
		2>/dev/null
	ctd_wait_active "$NS" "$D" 1
	ct -D -s 1.1.1.1 >/dev/null 2>&1
	ctd_wait_active "$NS" "$D" 0
	grep -q 'resync with master conntrack table' "$D/log" ||
		t_fail "new log: $(cat "$D/log" 2>&1)"
	grep -q 'resync' "$D/log.1" && t_fail "resync went to the old log"
	grep -q 'src=1.1.1.1' "$D/flows" ||
		t_fail "new flow log: $(cat "$D/flows" 2>&1)"
	ctd_stop "$NS" "$D" "$CTD_PID"
}

case_sighup_logs() { sighup_logs; }
case_sighup_logs_off() { sighup_logs "Privsep { Separate off }"; }

# as UID GID GROUPS ARGS...: the client as another user.
as() {
	local uid=$1 gid=$2 groups=(--clear-groups)
	[ -z "$3" ] || groups=(--groups "$3")
	shift 3
	ns_exec "$NS" setpriv --reuid "$uid" --regid "$gid" "${groups[@]}" \
		--inh-caps=-all "$CONNTRACKD" -C "$D/c.conf" "$@"
}

case_ctl_group() {
	local out nog users
	nog=$(getent group nogroup | cut -d: -f3)
	users=$(getent group users | cut -d: -f3)
	[ -n "$nog" ] && [ -n "$users" ] ||
		t_skip "needs the groups nogroup and users"
	command -v setpriv >/dev/null || t_skip "needs setpriv (util-linux)"
	setup "UNIX { Group nogroup }"
	chmod 755 "$T_TMP" "$D"
	ctd_start "$NS" "$D"
	out=$(stat -c '%U:%G %a' "$D/sock")
	t_eq "socket owner and mode" "$out" "root:nogroup 660"
	out=$(as 65534 "$nog" "" -s | grep -c 'current active')
	t_eq "primary group member answered" "$out" 1
	out=$(as 65534 "$users" "$nog" -s | grep -c 'current active')
	t_eq "supplementary member answered" "$out" 1
	# not in the group: the file's mode already keeps it out
	as 65534 "$users" "" -s >/dev/null 2>&1 &&
		t_fail "a stranger connected to a 0660 socket"
	# a socket opened wider by mistake: the daemon itself refuses
	chmod 666 "$D/sock"
	out=$(as 65534 "$users" "" -s 2>&1)
	t_eq "stranger's answer" "$out" "permission denied"
	out=$(as 65534 "$users" "" -k 2>&1)
	kill -0 "$CTD_PID" || t_fail "a stranger's -k stopped the daemon"
	grep -q "\[warning\] control socket: refused a client (uid=65534 gid=$users" \
		"$D/log" || t_fail "no refusal in the log: $(cat "$D/log")"
	out=$(ctd "$NS" "$D" -s json | grep -o '"local_denied":[0-9]*')
	t_eq "denied count" "$out" '"local_denied":2'
	ctd_stop "$NS" "$D" "$CTD_PID"
}

case_ctl_root_only() {
	local out
	command -v setpriv >/dev/null || t_skip "needs setpriv (util-linux)"
	setup
	chmod 755 "$T_TMP" "$D"
	ctd_start "$NS" "$D"
	t_eq "socket mode" "$(stat -c '%U %a' "$D/sock")" "root 600"
	chmod 666 "$D/sock"
	out=$(as 65534 65534 "" -i 2>&1)

	t_eq "nobody's answer" "$out" "permission denied"
	out=$(ctd "$NS" "$D" -s json | grep -o '"local_denied":[0-9]*')
	t_eq "denied count" "$out" '"local_denied":1'
	ctd_stop "$NS" "$D" "$CTD_PID"
}

case_unknown_group() {
	local out rc
	setup "UNIX { Group rawct-no-such-group }"
	out=$(ns_exec "$NS" "$CONNTRACKD" -C "$D/c.conf" 2>&1)
	rc=$?
	t_eq "rc" "$rc" 1
	case $out in
	*"[ERROR] UNIX Group \`rawct-no-such-group': no such group"*) ;;
	*) t_fail "unknown group: $out" ;;
	esac
}

t_case ctd_priv_child_confined case_child_confined
t_case ctd_priv_separate_off case_separate_off
t_case ctd_priv_user case_user
t_case ctd_priv_scheduler case_scheduler
t_case ctd_priv_sighup_logs case_sighup_logs
t_case ctd_priv_sighup_logs_off case_sighup_logs_off
t_case ctd_priv_ctl_group case_ctl_group
t_case ctd_priv_ctl_root_only case_ctl_root_only
t_case ctd_priv_unknown_group case_unknown_group
t_done
