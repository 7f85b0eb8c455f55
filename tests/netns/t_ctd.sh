#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd against the real kernel, Stats mode: start-up, the cache
# following the table, every client command, the flow log, traffic of
# real packets over a veth pair, the lock file (a second daemon refused, a
# killed one's lock no obstacle), init failures, -d, systemd readiness,
# the cache's hash key random per process.
. "$(dirname "$0")/ctd_lib.sh"

NS="" D=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }
setup() { ctd_stats_setup "$@"; }

# n flows 10.9.x.y -> 10.8.0.1 tcp/udp via -R
make_flows() {
	local n=$1 i
	for ((i = 0; i < n; i++)); do
		echo "-I -s 10.9.$((i / 250)).$((i % 250 + 1)) -d 10.8.0.1 -p udp --sport 1000 --dport 53 -t 600"
	done >"$T_TMP/flows"
	ct -R "$T_TMP/flows" || t_fail "conntrack -R"
}

case_start_dump() {
	local out
	setup
	make_flows 300
	ctd_start "$NS" "$D"
	ctd_wait_active "$NS" "$D" 300
	out=$(ctd "$NS" "$D" -i | wc -l)
	t_eq "-i lines" "$out" 300
	grep -q '\[notice\] -- starting in console mode --' "$D/log" ||
		t_fail "no start line in the log: $(cat "$D/log")"
	grep -q 'netlink event socket buffer size has been set to' "$D/log" ||
		t_fail "no buffer line in the log"
	ctd_stop "$NS" "$D" "$CTD_PID"
	grep -q '\[notice\] ---- shutdown received ----' "$D/log" ||
		t_fail "no shutdown line in the log"
	[ ! -e "$D/lock" ] || t_fail "lock file left behind"
	[ ! -e "$D/sock" ] || t_fail "socket file left behind"
}

case_events_and_flowlog() {
	local out
	setup
	ctd_start "$NS" "$D"
	ct -I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 \
		--state ESTABLISHED -t 100 -u ASSURED,SEEN_REPLY -m 9 2>/dev/null
	ct -I -s 1.1.1.3 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100 2>/dev/null
	ctd_wait_active "$NS" "$D" 2
	out=$(ctd "$NS" "$D" -i | sed 's/since [0-9]*s/since Ns/' | sort)
	t_eq "-i" "$out" "tcp      6 ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 [ASSURED] mark=9 [active since Ns]
udp      17 src=1.1.1.3 dst=2.2.2.2 sport=1 dport=2 [UNREPLIED] src=2.2.2.2 dst=1.1.1.3 sport=2 dport=1 mark=0 [active since Ns]"
	ct -D -s 1.1.1.3 >/dev/null 2>&1
	ctd_wait_active "$NS" "$D" 1
	out=$(cut -f2- "$D/flows")
	t_eq "flow log" "$out" "udp      17 src=1.1.1.3 dst=2.2.2.2 sport=1 dport=2 [UNREPLIED] src=2.2.2.2 dst=1.1.1.3 sport=2 dport=1"
	out=$(ctd "$NS" "$D" -s)
	case $out in
	"cache stats:"*"connections created:		           2	failed:	           0"*"connections destroyed:		           1	failed:	           0"*"traffic processed:"*) ;;
	*) t_fail "-s: $out" ;;
	esac
	out=$(ctd "$NS" "$D" -i -x | grep -c '^<flow>.*</flow>$')
	t_eq "-i -x flows" "$out" 1
}

case_client_commands() {
	local out
	setup
	make_flows 20
	ctd_start "$NS" "$D"
	ctd_wait_active "$NS" "$D" 20
	out=$(ctd "$NS" "$D" -s cache)
	case $out in
	"cache:stats	active objects:		          20"*) ;;
	*) t_fail "-s cache: $out" ;;
	esac
	out=$(ctd "$NS" "$D" -s runtime)
	case $out in
	"daemon uptime: 0 min"*"events received:"*"local unknown request:"*) ;;
	*) t_fail "-s runtime: $out" ;;
	esac
	out=$(ctd "$NS" "$D" -s json)
	case $out in
	'{"uptime":'*'"caches":{"stats":{"active":20,'*'}}') ;;
	*) t_fail "-s json: $out" ;;
	esac
	# -f (bare -f too: upstream ignores it in Stats mode)
	ctd "$NS" "$D" -f
	t_eq "after -f" "$(ctd_active "$NS" "$D")" 0
	# -R brings them back from the kernel
	ctd "$NS" "$D" -R
	ctd_wait_active "$NS" "$D" 20
	ctd "$NS" "$D" -f internal
	t_eq "after -f internal" "$(ctd_active "$NS" "$D")" 0
	ctd "$NS" "$D" -R ct
	ctd_wait_active "$NS" "$D" 20
	# -F flushes the kernel table; the cache follows through events
	ctd "$NS" "$D" -F
	ctd_wait_active "$NS" "$D" 0
	t_eq "kernel after -F" "$(ct -C)" 0
	grep -q 'flushing kernel conntrack table' "$D/log" ||
		t_fail "no -F line in the log"
	# Sync-only requests answer nothing in Stats mode, as upstream
	for a in -n -B -t "-s network" "-s link" "-s queue" "-s rsqueue" -c "-e"; do
		# shellcheck disable=SC2086
		out=$(ctd "$NS" "$D" $a 2>&1) || t_fail "$a exited nonzero"
		t_eq "$a output" "$out" ""
	done
	out=$(ctd "$NS" "$D" -s runtime | awk '/local unknown request/ { print $NF }')
	[ "$out" -ge 9 ] || t_fail "unknown requests not counted: $out"
	ctd_stop "$NS" "$D" "$CTD_PID"
}

case_second_daemon() {
	local out rc
	setup
	ctd_start "$NS" "$D"
	out=$(ns_exec "$NS" "$CONNTRACKD" -C "$D/c.conf" 2>&1)
	rc=$?
	t_eq "second daemon rc" "$rc" 1
	case $out in
	*"[ERROR] lockfile \`$D/lock' exists, perhaps conntrackd already running?"*) ;;
	*) t_fail "second daemon: $out" ;;
	esac
	ctd "$NS" "$D" -s >/dev/null || t_fail "first daemon gone"
}

case_kill9_restart() {
	local child
	setup
	ctd_start "$NS" "$D"
	# the socket is bound before the fork: the child may come a bit later
	for _ in $(seq 1 100); do
		child=$(cat /proc/"$CTD_PID"/task/*/children 2>/dev/null)
		[ -n "$child" ] && break
		sleep 0.02
	done
	[ -n "$child" ] || t_fail "no unprivileged child"
	kill -KILL "$CTD_PID"
	wait "$CTD_PID" 2>/dev/null
	[ -e "$D/lock" ] || t_fail "the killed daemon left no lock file?"
	# the unprivileged child follows its parent
	for _ in $(seq 1 100); do
		kill -0 "$child" 2>/dev/null || break
		sleep 0.02
	done
	if kill -0 "$child" 2>/dev/null; then
		kill -KILL "$child"
		t_fail "the child outlived its killed parent"
	fi
	ctd_start "$NS" "$D"
	ctd "$NS" "$D" -s >/dev/null || t_fail "restarted daemon does not answer"
	ctd_stop "$NS" "$D" "$CTD_PID"
}

case_daemon_mode() {
	local pid
	setup
	ctd_start "$NS" "$D" -d
	pid=$CTD_PID
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || t_fail "no daemon pid"
	[ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ] ||
		t_fail "daemon is not a session leader"
	grep -q -- '-- starting in daemon mode --' "$D/log" ||
		t_fail "no daemon-mode line"
	[ ! -s "$D/console" ] || t_fail "daemon wrote to the console: $(cat "$D/console")"
	ctd_stop "$NS" "$D" "$pid"
}

case_init_failure() {
	local out rc
	setup
	sed -i "s#Path $D/sock#Path $D/nodir/sock#" "$D/c.conf"
	out=$(ns_exec "$NS" "$CONNTRACKD" -C "$D/c.conf" 2>&1)
	rc=$?
	t_eq "rc" "$rc" 1
	case $out in
	*"[ERROR] can't open unix socket!"*"[ERROR] conntrackd cannot start, please review your configuration"*) ;;
	*) t_fail "init failure: $out" ;;
	esac
	[ ! -e "$D/lock" ] || t_fail "lock file left behind"
}

case_helper_refused() {
	local out rc
	setup
	cat >>"$D/c.conf" <<EOF
Helper {
	Type ftp inet tcp {
		QueueNum 5
		Policy ftp {
			ExpectMax 1
			ExpectTimeout 300
		}
	}
}
EOF
	out=$(ns_exec "$NS" "$CONNTRACKD" -C "$D/c.conf" 2>&1)
	rc=$?
	t_eq "rc" "$rc" 1
	case $out in
	*"nfnetlink_cthelper"*"conntrackd cannot start"*) ;;
	*) t_fail "Helper: $out" ;;
	esac
	[ ! -e "$D/lock" ] || t_fail "lock file left behind"
}

# notify_listen: systemd's side of the notify protocol, a datagram socket
# at $T_TMP/notify whose messages go to $T_TMP/notes, one a line, until
# STOPPING=1; NOTIFY_PID is its pid.
notify_listen() {
	dgram_listen "$T_TMP/notify" "$T_TMP/notes" STOPPING=1
	NOTIFY_PID=$DGRAM_PID
}

case_systemd_notify() {
	local out
	command -v python3 >/dev/null || t_skip "python3 missing"
	setup "Systemd on"
	notify_listen
	NOTIFY_SOCKET=$T_TMP/notify ctd_start "$NS" "$D" -d
	ctd_stop "$NS" "$D" "$CTD_PID"
	wait "$NOTIFY_PID"
	out=$(sort "$T_TMP/notes" | tr '\n' ' ')
	case $out in
	"MAINPID=$CTD_PID READY=1 STOPPING=1 ") ;;
	*) t_fail "notify messages: $out" ;;
	esac
}

# HashLimit reached: counted (-s) and logged, once a minute at most.
case_hashlimit_full() {
	local out
	setup "HashLimit 100"
	make_flows 300
	ctd_start "$NS" "$D"
	ctd_wait_active "$NS" "$D" 100
	sleep 0.3
	out=$(ctd "$NS" "$D" -s cache)
	case $out in
	*"no space left in cache:	         200"*) ;;
	*) t_fail "-s cache: $out" ;;
	esac
	out=$(grep -c '\[warning\] stats cache is full (HashLimit 100): a flow could not be added (refused so far: 1); raise HashLimit' "$D/log")
	t_eq "warnings in the log" "$out" 1
}

# WATCHDOG_USEC set (systemd's WatchdogSec): WATCHDOG=1 every half of
# it from the running daemon, through the privileged parent.
case_systemd_watchdog() {
	local n
	command -v python3 >/dev/null || t_skip "python3 missing"
	setup "Systemd on"
	notify_listen
	NOTIFY_SOCKET=$T_TMP/notify WATCHDOG_USEC=200000 ctd_start "$NS" "$D" -d
	sleep 1
	ctd_stop "$NS" "$D" "$CTD_PID"
	wait "$NOTIFY_PID"
	n=$(grep -c '^WATCHDOG=1$' "$T_TMP/notes")
	[ "$n" -ge 5 ] && [ "$n" -le 15 ] ||
		t_fail "$n WATCHDOG=1 in about 1 s at WATCHDOG_USEC=200000: $(tr '\n' ' ' <"$T_TMP/notes")"
}

# --config-test: every example we ship passes; a broken file gets
# upstream's message and status 1, and nothing is started.
case_config_test() {
	local f out rc
	for f in "$RAWCT_TOP"/examples/*.conf; do
		[ "$(basename "$f")" = keepalived.conf ] && continue
		out=$("$CONNTRACKD" -C "$f" --config-test 2>&1)
		rc=$?
		t_eq "$(basename "$f"): --config-test ($out)" "$rc" 0
	done
	mkdir -p "$T_TMP/bad"
	printf 'General {\n\tHashSize 8192\n\tNoSuchKey 1\n}\n' >"$T_TMP/bad/c.conf"
	out=$("$CONNTRACKD" -C "$T_TMP/bad/c.conf" --config-test 2>&1)
	rc=$?
	t_eq "broken file: status" "$rc" 1
	case $out in
	*"parsing config file in line (3), symbol 'NoSuchKey': syntax error"*) ;;
	*) t_fail "broken file: $out" ;;
	esac
}

# With the namespace's conntrack events off, the daemon says so at start.
case_events_off() {
	setup
	ns_exec "$NS" sysctl -qw net.netfilter.nf_conntrack_events=0
	ctd_start "$NS" "$D"
	ctd_stop "$NS" "$D" "$CTD_PID"
	grep -q '\[warning\] conntrack events are off in this namespace' \
		"$D/log" || t_fail "no warning: $(cat "$D/log")"
}

# The cache's hash key is random per process (sync/daemon.c): -i walks
# the buckets in order (sync/dump.c), so two daemons started on the same
# table list the same flows in different orders. A fixed key would give
# the same order twice (the initial dump reads the kernel's table in its
# own, unchanged order): flows an attacker picks to share a bucket in one
# run would share it in every run.
case_hash_key_per_process() {
	local i
	setup
	make_flows 300
	for i in 1 2; do
		ctd_start "$NS" "$D"
		ctd_wait_active "$NS" "$D" 300
		ctd "$NS" "$D" -i | sed 's/ \[active since [0-9]*s\]$//' >"$T_TMP/i$i"
		ctd_stop "$NS" "$D" "$CTD_PID"
	done
	t_eq "flows listed" "$(wc -l <"$T_TMP/i1")" 300
	t_eq "the same flows both times" "$(sort "$T_TMP/i1" | md5sum)" \
		"$(sort "$T_TMP/i2" | md5sum)"
	! cmp -s "$T_TMP/i1" "$T_TMP/i2" ||
		t_fail "-i listed the flows in the same order in both runs"
}

t_case ctd_start_dump case_start_dump
t_case ctd_events_flowlog case_events_and_flowlog
t_case ctd_client_commands case_client_commands
t_case ctd_second_daemon case_second_daemon
t_case ctd_kill9_restart case_kill9_restart
t_case ctd_daemon_mode case_daemon_mode
t_case ctd_init_failure case_init_failure
t_case ctd_helper_refused case_helper_refused
t_case ctd_systemd_notify case_systemd_notify
t_case ctd_events_off case_events_off
t_case ctd_hashlimit_full case_hashlimit_full
t_case ctd_systemd_watchdog case_systemd_watchdog
t_case ctd_config_test case_config_test
t_case ctd_hash_key_per_process case_hash_key_per_process
t_done
