#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd promises that need a rig of their own: the log and the Stats
# flow log through syslog (the daemon runs in a mount namespace whose
# /dev is a tmpfs with a log socket served by a listener in the case's
# scratch directory, so the host's syslog never sees a line), the
# control socket and the lock removed after an init failure that comes
# after the socket, and EventIterationLimit: with a storm of events
# queued, the loop answers a client after a few reads of at most that
# many events each.
. "$(dirname "$0")/ctd_lib.sh"

NS="" D="" AUX_PID=""	# AUX_PID: the case's listener (syslog or TCP)
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }

cleanup() {
	[ -n "$AUX_PID" ] && kill "$AUX_PID" 2>/dev/null
	ctd_cleanup
}

setup() {
	command -v python3 >/dev/null || t_skip "python3 missing"
	ctd_stats_setup "$@"
	trap cleanup EXIT
}

# syslog_listen: a syslog daemon's socket, $T_TMP/syslog.sock, whose
# datagrams go to $T_TMP/syslog one a line; with SYSLOG_STREAM=1 a
# stream socket (as some syslogd configurations make /dev/log), whose
# connections' NUL-terminated lines go there.
syslog_listen() {
	if [ -z "${SYSLOG_STREAM:-}" ]; then
		dgram_listen "$T_TMP/syslog.sock" "$T_TMP/syslog"
		AUX_PID=$DGRAM_PID
		return
	fi
	python3 - "$T_TMP/syslog.sock" >"$T_TMP/syslog" <<'EOF' &
import select, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(8)
bufs = {}
while True:
    r, _, _ = select.select([s] + list(bufs), [], [], 30)
    if not r:
        break
    for c in r:
        if c is s:
            bufs[s.accept()[0]] = b""
            continue
        d = c.recv(65536)
        if not d:
            del bufs[c]
            c.close()
            continue
        bufs[c] += d
        while b"\0" in bufs[c]:
            line, bufs[c] = bufs[c].split(b"\0", 1)
            print(line.decode(errors="replace").rstrip("\n"), flush=True)
EOF
	AUX_PID=$!
	sock_wait "$T_TMP/syslog.sock"
}

# syslog_end: a last line of ours, "rawct-end"; once the listener has
# written it, it has written every line the daemon sent before.
syslog_end() {
	python3 -c 'import socket, sys
if sys.argv[2]:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    s.sendall(b"rawct-end\0")
else:
    socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"rawct-end", sys.argv[1])' \
		"$T_TMP/syslog.sock" "${SYSLOG_STREAM:-}"
	for _ in $(seq 1 500); do
		grep -qx rawct-end "$T_TMP/syslog" && break
		sleep 0.01
	done
	grep -qx rawct-end "$T_TMP/syslog" || t_fail "the listener lost a line"
}

# devlog_wrapper: prints the path of a script that runs conntrackd (its
# arguments) in a mount namespace of its own whose /dev is a small tmpfs
# holding the usual character devices (bind mounts of the host's) and
# log, a bind mount of the listener's socket.
devlog_wrapper() {
	local w=$T_TMP/ctd-devlog
	{
		echo '#!/bin/bash'
		printf 'dev=%q sock=%q bin=%q\n' "$T_TMP/dev" \
			"$T_TMP/syslog.sock" "$CONNTRACKD"
		cat <<'EOF'
exec unshare -m --propagation private bash -c '
	set -e
	dev=$1 sock=$2
	shift 2
	mkdir -p "$dev"
	mount -t tmpfs -o size=64k,mode=755 rawct-dev "$dev"
	for n in null zero full random urandom; do
		touch "$dev/$n"
		mount --bind "/dev/$n" "$dev/$n"
	done
	ln -s /proc/self/fd "$dev/fd"
	touch "$dev/log"
	mount --bind "$sock" "$dev/log"
	mount --move "$dev" /dev
	exec "$0" "$@"' "$bin" "$dev" "$sock" "$@"
EOF
	} >"$w"
	chmod +x "$w"
	echo "$w"
}

# flow_once SRC: a udp flow from SRC made and destroyed, seen by the
# daemon both times (the flow log then has its line).
flow_once() {
	ct -I -s "$1" -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100 2>/dev/null
	ctd_wait_active "$NS" "$D" 1
	ct -D -s "$1" >/dev/null 2>&1
	ctd_wait_active "$NS" "$D" 0
}

# syslog_run [GENERAL...] -- [STATS...]: a daemon with the General and
# Stats lines given and its /dev/log served by the listener; one udp
# flow made and destroyed (so the flow log has a line), then the daemon
# stopped. The flow log's text is left in FLOW.
syslog_run() {
	local gen=() stats="" w l
	while [ "$1" != -- ]; do
		gen+=("$1")
		shift
	done
	shift
	for l in "$@"; do stats="$stats	$l
"; done
	setup "${gen[@]}"
	ctd_conf "$D" "Stats {
	LogFile DIR/flows
$stats}" "${gen[@]}"
	syslog_listen
	w=$(devlog_wrapper)
	CONNTRACKD=$w ctd_start "$NS" "$D"
	flow_once 1.1.1.3
	ctd_stop "$NS" "$D" "$CTD_PID"
	FLOW=$(cut -f2- "$D/flows")
	[ -n "$FLOW" ] || t_fail "no flow in the flow log"
	syslog_end
	cp "$T_TMP/syslog" "$T_TMP/detail"
}

# syslog_has PRI MESSAGE [PID]: a line
# "<PRI>date conntrack-tools[pid]: MESSAGE" (of that pid) in syslog.
syslog_has() {
	local l re
	re="^<$1>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} "
	re+='conntrack-tools\[([0-9]+)\]: (.*)$'
	while IFS= read -r l; do
		if [[ $l =~ $re ]] &&
			[ "${BASH_REMATCH[2]}" = "$2" ] &&
			[ "${3:-${BASH_REMATCH[1]}}" = "${BASH_REMATCH[1]}" ]; then
			return 0
		fi
	done <"$T_TMP/syslog"
	t_fail "no <$1> line '$2'${3:+ of pid $3} in syslog"
}

# syslog_mirrors FACILITY: every line of the daemon's LogFile is in
# syslog too, with the same pid, on FACILITY at the line's level.
syslog_mirrors() {
	local l pid lvl msg pri n=0
	local re='^\[[^]]*\] \(pid=([0-9]+)\) \[([a-zA-Z]+)\] (.*)$'
	while IFS= read -r l; do
		[[ $l =~ $re ]] || continue
		pid=${BASH_REMATCH[1]} lvl=${BASH_REMATCH[2]} msg=${BASH_REMATCH[3]}
		case $lvl in
		ERROR) pri=3 ;; warning) pri=4 ;; notice) pri=5 ;; info) pri=6 ;;
		*) t_fail "log level $lvl" ;;
		esac
		syslog_has $(($1 * 8 + pri)) "$msg" "$pid"
		n=$((n + 1))
	done <"$D/log"
	[ "$n" -ge 4 ] || t_fail "only $n lines in the log"
}

# General { Syslog on }: the daemon's lines on LOG_DAEMON at their
# levels; the flow log stays out of syslog.
case_syslog_general() {
	syslog_run "Syslog on" --
	syslog_has 29 "-- starting in console mode --"
	syslog_has 29 "---- shutdown received ----"
	syslog_mirrors 3
	! grep -q 'src=1\.1\.1\.3' "$T_TMP/syslog" ||
		t_fail "the flow log went to syslog"
}

# The same with /dev/log a stream socket: glibc then connects a stream
# and ends each line with a NUL; so do we, in the parent and in the
# chrooted child (its connection comes from the parent).
case_syslog_stream() {
	SYSLOG_STREAM=1 syslog_run "Syslog on" -- "Syslog on"
	syslog_has 29 "-- starting in console mode --"
	syslog_has 30 "$FLOW"
	syslog_has 29 "---- shutdown received ----"
	syslog_mirrors 3
}

# Stats { Syslog on }: the flow log, at info on LOG_DAEMON, and nothing
# else (General has no Syslog).
case_syslog_stats() {
	syslog_run -- "Syslog on"
	syslog_has 30 "$FLOW"
	t_eq "syslog lines" "$(grep -cvx rawct-end "$T_TMP/syslog")" 1
}

# wait_grep SECONDS RE FILE: until FILE has a line matching RE.
wait_grep() {
	for _ in $(seq 1 $(($1 * 50))); do
		grep -q "$2" "$3" 2>/dev/null && return 0
		sleep 0.02
	done
	return 1
}

# syslogd restarts (its socket made anew): the privilege-separated
# child, chrooted where /dev/log is not, gets a new connection from its
# parent, and the flow log goes on reaching syslog. libc's syslog would
# try to reconnect in the chroot and lose every line from then on.
case_syslog_restart() {
	local w
	setup "Syslog on"
	ctd_conf "$D" "Stats {
	LogFile DIR/flows
	Syslog on
}" "Syslog on"
	syslog_listen
	w=$(devlog_wrapper)
	CONNTRACKD=$w ctd_start "$NS" "$D"
	flow_once 1.1.1.3
	wait_grep 5 'src=1\.1\.1\.3 ' "$T_TMP/syslog" ||
		t_fail "the first flow never reached syslog"
	# the restart: the old socket gone, a new one at /dev/log
	kill "$AUX_PID"
	wait "$AUX_PID" 2>/dev/null
	rm -f "$T_TMP/syslog.sock"
	dgram_listen "$T_TMP/syslog2.sock" "$T_TMP/syslog2"
	AUX_PID=$DGRAM_PID
	nsenter -t "$CTD_PID" -m sh -c 'umount /dev/log &&
		mount --bind "$1" /dev/log' sh "$T_TMP/syslog2.sock" ||
		t_fail "cannot move /dev/log in the daemon's mount namespace"
	flow_once 1.1.1.4
	wait_grep 5 'src=1\.1\.1\.4 ' "$T_TMP/syslog2" || {
		cp "$T_TMP/syslog2" "$T_TMP/detail"
		t_fail "after the restart the flow log never reached syslog"
	}
	ctd_stop "$NS" "$D" "$CTD_PID"
}

# Both, on two facilities (upstream warns and uses General's for both;
# ours sends each to its own, a declared difference), the daemon not
# split in two processes.
case_syslog_both() {
	syslog_run "Syslog local2" "Privsep { Separate off }" -- \
		"Syslog local1"
	syslog_has 149 "-- starting in console mode --"
	syslog_mirrors 18
	syslog_has 142 "$FLOW"
}

# An init failure after the control socket was made (a TCP link whose
# port another listener holds): upstream's last line, status 1, and
# neither the socket nor the lock left. A stale file at the socket's
# path shows the daemon got as far as the socket (it removes the file
# before it binds).
case_init_failure_after_socket() {
	local out rc
	setup
	ns_exec "$NS" ip link set lo up
	ns_exec "$NS" python3 - <<'EOF' &
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 3780))
s.listen(1)
time.sleep(30)
EOF
	AUX_PID=$!
	for _ in $(seq 1 200); do
		ns_exec "$NS" ss -Hltn 'sport = :3780' | grep -q . && break
		sleep 0.01
	done
	ns_exec "$NS" ss -Hltn 'sport = :3780' | grep -q . ||
		t_fail "no listener on port 3780"
	ctd_conf "$D" "Sync {
	Mode FTFW { }
	TCP {
		IPv4_address 127.0.0.1
		IPv4_Destination_Address 127.0.0.2
		Port 3780
		Interface lo
	}
}"
	echo stale >"$D/sock"
	out=$(timeout 20 ip netns exec "$NS" "$CONNTRACKD" -C "$D/c.conf" 2>&1)
	rc=$?
	echo "$out" >"$T_TMP/detail"
	t_eq "rc" "$rc" 1
	case $out in
	# (the reason in libc's words: glibc and musl differ)
	*"can't open channel socket: Address"*"[ERROR] conntrackd cannot start, please review your configuration") ;;
	*) t_fail "init failure: $out" ;;
	esac
	t_eq "channel lines" "$(grep -c "can't open channel socket" <<<"$out")" 1
	[ ! -e "$D/sock" ] || t_fail "socket path left behind: $(ls -l "$D/sock")"
	[ ! -e "$D/lock" ] || t_fail "lock file left behind"
}

# runtime_events: a client that sends -s runtime's request (30), then
# makes $T_TMP/asked (the request is queued by then) and prints the
# "events received" count of the answer.
runtime_events() {
	ns_exec "$NS" python3 - "$D/sock" "$T_TMP/asked" <<'EOF'
import re, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(struct.pack("=i", 30))
open(sys.argv[2], "w").close()
out = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    out += b
m = re.search(rb"events received:\s+([0-9]+)", out)
print(m.group(1).decode() if m else "none: " + out.decode(errors="replace"))
EOF
}

# EventIterationLimit 1: 400 new flows queued while the daemon is
# stopped, and a client asking for -s runtime queued too; let go, the
# loop takes at most one event a read, eight reads in a row, then
# serves the client: its answer counts a few events, not the storm.
# Then the daemon takes the rest, losing none.
case_event_iteration_limit() {
	local n=400 i got
	setup "EventIterationLimit 1" "Privsep { Separate off }" \
		"NetlinkBufferSize 16777216" "NetlinkBufferSizeMaxGrowth 16777216"
	ctd_start "$NS" "$D"
	for ((i = 0; i < n; i++)); do
		echo "-I -s 10.9.$((i / 250)).$((i % 250 + 1)) -d 10.8.0.1 -p udp --sport 1000 --dport 53 -t 600"
	done >"$T_TMP/flows"
	kill -STOP "$CTD_PID"
	ct -R "$T_TMP/flows" || { kill -CONT "$CTD_PID"; t_fail "conntrack -R"; }
	runtime_events >"$T_TMP/answer" 2>&1 &
	for _ in $(seq 1 500); do
		[ -e "$T_TMP/asked" ] && break
		sleep 0.01
	done
	kill -CONT "$CTD_PID"
	[ -e "$T_TMP/asked" ] || t_fail "the client could not ask"
	wait $!
	got=$(cat "$T_TMP/answer")
	case $got in
	'' | *[!0-9]*) t_fail "answer: $got" ;;
	esac
	[ "$got" -le 64 ] ||
		t_fail "the client was answered after $got of $n events"
	ctd_wait_active "$NS" "$D" "$n"
	got=$(ctd "$NS" "$D" -s runtime | awk '/netlink overrun:/ { print $NF }')
	t_eq "overruns" "$got" 0
	ctd_stop "$NS" "$D" "$CTD_PID"
}

t_case ctd_syslog_general case_syslog_general
t_case ctd_syslog_stats case_syslog_stats
t_case ctd_syslog_both case_syslog_both
t_case ctd_syslog_restart case_syslog_restart
t_case ctd_syslog_stream case_syslog_stream
t_case ctd_init_failure_after_socket case_init_failure_after_socket
t_case ctd_event_iteration_limit case_event_iteration_limit
t_done
