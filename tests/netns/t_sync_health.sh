#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd -s health (ours): exit status 0 and "ok" only while the
# daemon can be trusted with the table; otherwise 1 and a line per
# reason. For keepalived's track_script, so that a backup is not
# promoted with half a table: the peer not heard from (never, or not for
# three of its once-a-second ALIVEs), a resync asked of the peer not yet
# answered (FTFW: our RESYNC not acknowledged; NOTRACK: its answer not
# complete), the kernel table still being dumped. Against a daemon that
# does not know the request (upstream's), 1.
. "$(dirname "$0")/ctd_lib.sh"
T_CASE_TIMEOUT=${T_CASE_TIMEOUT:-120}

# health SIDE: "RC ANSWER" of -s health against SIDE's daemon.
health() {
	local out rc
	out=$(sync_ctl "$1" -s health 2>&1)
	rc=$?
	echo "$rc $out"
}

is_ok() { [ "$(health "$1")" = "0 ok" ]; }
is_silent() {
	case $(health "$1") in
	"1 not ready: the peer has not been heard from for "[0-9]*" s") return 0 ;;
	esac
	return 1
}

# MODE: B starts alone with StartupResync (its request unanswered, the
# peer never heard), then A comes and answers: B becomes healthy; A is
# killed: after three seconds of silence B is not healthy any more.
health_pair() {
	local mode=$1 extra="" out
	[ "$mode" = NOTRACK ] || extra="ResendQueueSize 1000"
	sync_pair
	sync_conf a "$mode" UDP "$extra"
	sync_conf b "$mode" UDP "$extra
StartupResync on"
	sync_ct a -I -s 10.1.1.1 -d 10.2.2.2 -p tcp --sport 1111 --dport 80 \
		--state ESTABLISHED -u ASSURED -t 300 >/dev/null 2>&1
	sync_start b ours
	sleep 0.5
	out=$(health b)
	case $out in
	"1 not ready: the peer has not been heard from"*"a resync from the peer is still running"*) ;;
	*) t_fail "B alone: got '$out'" ;;
	esac
	sync_start a ours
	sync_poll 10 is_ok b || t_fail "B with A up: $(health b)"
	sync_ctl b -e | grep -q 'src=10.1.1.1 ' ||
		t_fail "healthy without A's flow: $(sync_ctl b -e)"
	kill -KILL "$SYNC_PID_a" $(cat /proc/"$SYNC_PID_a"/task/*/children 2>/dev/null)
	sleep 1.5
	t_eq "B 1.5 s after A died" "$(health b)" "0 ok"
	sync_poll 5 is_silent b || t_fail "B 3 s after A died: $(health b)"
}

case_health_ftfw() { health_pair FTFW; }
case_health_notrack() { health_pair NOTRACK; }

# ALARM peers say nothing without flows: only "never heard" counts, and
# a peer's first refresh makes B healthy; Stats mode is healthy once its
# dump is done.
case_health_alarm_stats() {
	local out
	sync_pair
	sync_conf a ALARM UDP "RefreshTime 1
CacheTimeout 5"
	sync_conf b ALARM UDP "RefreshTime 1
CacheTimeout 5"
	sync_start b ours
	out=$(health b)
	t_eq "B alone (ALARM)" "$out" "1 not ready: the peer has not been heard from"
	sync_start a ours
	sync_ct a -I -s 10.1.1.1 -d 10.2.2.2 -p tcp --sport 1111 --dport 80 \
		--state ESTABLISHED -u ASSURED -t 300 >/dev/null 2>&1
	sync_poll 10 is_ok b || t_fail "B with A's refreshes: $(health b)"
	ctd_stats_setup
	ctd_start "$NS" "$D"
	ctd_wait_active "$NS" "$D" 0
	out=$(ctd "$NS" "$D" -s health 2>&1)
	t_eq "Stats mode" "$?:$out" "0:ok"
}

# While the initial dump of a 100k-flow table runs, -s health says so:
# a poller, waiting before the daemon starts, asks every millisecond
# from the moment the socket answers until "ok".
case_health_dumping() {
	local poll
	ctd_stats_setup
	awk 'BEGIN { for (i = 0; i < 100000; i++)
		printf "-I -s 10.%d.%d.%d -d 10.200.0.1 -p udp --sport 1000 --dport 53 -t 600\n",
			int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' >"$T_TMP/f"
	ns_exec "$NS" "$CONNTRACK" -R "$T_TMP/f" || t_fail "conntrack -R"
	python3 - "$D/sock" "$T_TMP/ready" >"$T_TMP/answers" 2>&1 <<'PY' &
import socket, struct, sys, time
path, end, seen = sys.argv[1], time.time() + 20, []
open(sys.argv[2], 'w').close()
while time.time() < end:
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
    except OSError:
        time.sleep(0.001)
        continue
    s.sendall(struct.pack('=i', 0x7201))
    out = b''
    while True:
        b = s.recv(4096)
        if not b:
            break
        out += b
    s.close()
    a = out.decode()
    if not seen or seen[-1] != a:
        seen.append(a)
    if a == 'ok\n':
        break
    time.sleep(0.001)
sys.stdout.write(''.join(seen))
PY
	poll=$!
	wait_file "$T_TMP/ready"
	ctd_start "$NS" "$D"
	wait "$poll"
	t_eq "answers until ok" "$(cat "$T_TMP/answers")" \
		"not ready: the kernel table is still being dumped
ok"
	t_eq "active" "$(ctd_active "$NS" "$D")" 100000
}

# The reference daemon does not know the request: it answers nothing,
# which is not health.
case_health_ref_daemon() {
	local out rc
	sync_need_ref
	sync_pair
	sync_conf a FTFW UDP
	sync_start a ref
	out=$(ip netns exec "$NS_A" "$CONNTRACKD" -C "$T_TMP/a/c.conf" -s health 2>&1)
	rc=$?
	t_eq "ours against the reference" "$rc:$out" \
		"1:not ready: the daemon does not answer -s health"
}

t_case sync_health_ftfw case_health_ftfw
t_case sync_health_notrack case_health_notrack
t_case sync_health_alarm_stats case_health_alarm_stats
t_case sync_health_dumping case_health_dumping
t_case sync_health_ref_daemon case_health_ref_daemon
t_done
