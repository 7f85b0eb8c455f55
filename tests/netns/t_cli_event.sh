#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrack -E against the real kernel: a monitor runs in the background
# in a scratch namespace with its output in files, conntrack -I/-U/-D
# make events there, and the monitor is stopped with SIGINT by its pid.
# Checked: the exact event lines and the closing summary (exit 0), -e
# masks, -o xml (a valid document with its footer), -o json (JSON Lines),
# -o save, -o timestamp, the filters with the kernel BPF pre-filter and
# with RAWCT_NO_KFILTER=1 (identical streams), the -b NOTICE, overrun
# accounting (a stopped monitor and a burst) with and without
# --overrun-fatal, coalescing (a burst is written out whole with no later
# event or signal to push it, RAWCT_EVENT_HOLD_US), and -E expect on a
# real ftp expectation, and the progname= of a process that made an event.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ftp_rig.sh"

NS=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }
BANNER="conntrack v1.4.8 (conntrack-tools):"
MON_PIDS=""

setup() {
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
	trap 'mon_kill; ftp_rig_stop; ns_cleanup' EXIT
}

mon_kill() {
	local p
	for p in $MON_PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	MON_PIDS=""
}

# subscribed N: waits until N sockets of the namespace have joined
# netfilter groups (the Groups column of /proc/net/netlink).
subscribed() {
	local i n
	for i in $(seq 1 100); do
		n=$(ns_exec "$NS" awk '$2 == 12 && $4 != "00000000"' /proc/net/netlink | wc -l)
		[ "$n" -ge "$1" ] && return 0
		sleep 0.05
	done
	t_fail "the monitor did not subscribe"
}

# mon VAR TAG ARGS...: starts conntrack -E ARGS (env from MON_ENV) with
# stdout in $T_TMP/TAG.out and stderr in $T_TMP/TAG.err; VAR = its pid
# (ip netns exec execs conntrack, so it is conntrack's own pid).
mon() {
	local _v=$1 tag=$2
	shift 2
	env ${MON_ENV:-} ip netns exec "$NS" "$CONNTRACK" "$@" \
		>"$T_TMP/$tag.out" 2>"$T_TMP/$tag.err" &
	printf -v "$_v" '%s' "$!"
	MON_PIDS="$MON_PIDS $!"
}

# stop PID: SIGINT, then its exit status in $STOP_RC.
stop() {
	sleep 0.2	# let the last events be read
	kill -INT "$1"
	wait "$1"
	STOP_RC=$?
}

# Events with the varying parts masked: timeouts, port ids, prognames.
norm() {
	sed -E -e 's/^( *\[[A-Z]+\] (ipv4 +2 )?[a-z]+ +[0-9]+ )[0-9]+ /\1T /' \
		-e 's/portid=[0-9]+/portid=N/' -e 's/ progname=[^ ]*$//'
}

traffic() {
	ct -I -p udp -s 11.0.0.1 -d 11.0.0.2 --sport 1 --dport 2 -t 30 2>/dev/null || t_fail "-I"
	ct -U -p udp -s 11.0.0.1 -m 5 2>/dev/null || t_fail "-U"
	ct -D -p udp -s 11.0.0.1 2>/dev/null || t_fail "-D"
}

L_NEW="    [NEW] udp      17 T src=11.0.0.1 dst=11.0.0.2 sport=1 dport=2 [UNREPLIED] src=11.0.0.2 dst=11.0.0.1 sport=2 dport=1 mark=0 [USERSPACE] portid=N"
L_UPD=" [UPDATE] udp      17 T src=11.0.0.1 dst=11.0.0.2 sport=1 dport=2 [UNREPLIED] src=11.0.0.2 dst=11.0.0.1 sport=2 dport=1 mark=5 [USERSPACE] portid=N"
L_DEL="[DESTROY] udp      17 T src=11.0.0.1 dst=11.0.0.2 sport=1 dport=2 [UNREPLIED] src=11.0.0.2 dst=11.0.0.1 sport=2 dport=1 mark=5 [USERSPACE] portid=N"

case_basic() {
	local pid
	setup
	mon pid e -E
	subscribed 1
	traffic
	stop "$pid"
	t_eq "exit" "$STOP_RC" 0
	t_eq "events" "$(norm <"$T_TMP/e.out")" "$L_NEW"$'\n'"$L_UPD"$'\n'"$L_DEL"
	t_eq "summary" "$(cat "$T_TMP/e.err")" "$BANNER 3 flow events have been shown."
}

case_masks() {
	local p1 p2 p3
	setup
	mon p1 nd -E -e NEW,DESTROY
	mon p2 up -E -e UPDATES
	mon p3 all -E -e ALL
	subscribed 3
	traffic
	stop "$p1"; stop "$p2"; stop "$p3"
	t_eq "-e NEW,DESTROY" "$(norm <"$T_TMP/nd.out")" "$L_NEW"$'\n'"$L_DEL"
	t_eq "-e UPDATES" "$(norm <"$T_TMP/up.out")" "$L_UPD"
	t_eq "-e ALL" "$(norm <"$T_TMP/all.out")" "$L_NEW"$'\n'"$L_UPD"$'\n'"$L_DEL"
	t_eq "-e UPDATES summary" "$(cat "$T_TMP/up.err")" "$BANNER 1 flow events have been shown."
}

case_formats() {
	local px pj ps pt pz
	command -v python3 >/dev/null 2>&1 || t_skip "python3 is not installed"
	setup
	mon px xml -E -o xml -e NEW,DESTROY
	mon pj json -E -o json
	mon ps save -E -o save
	mon pt ts -E -o timestamp,extended,id
	mon pz none -E -o xml -p tcp
	subscribed 5
	traffic
	stop "$px"; stop "$pj"; stop "$ps"; stop "$pt"; stop "$pz"
	# XML: header at the first event, footer on SIGINT, no [USERSPACE]
	grep -q USERSPACE "$T_TMP/xml.out" && t_fail "[USERSPACE] in XML"
	python3 - "$T_TMP/xml.out" <<'PY' || t_fail "xml: $(cat "$T_TMP/xml.out")"
import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
f = d.getElementsByTagName("flow")
assert d.documentElement.tagName == "conntrack"
assert [x.getAttribute("type") for x in f] == ["new", "destroy"], f
PY
	t_eq "xml: no events, no document" "$(cat "$T_TMP/none.out")" ""
	python3 - "$T_TMP/json.out" <<'PY' || t_fail "json: $(cat "$T_TMP/json.out")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert [e["event"] for e in ev] == ["new", "update", "destroy"], ev
assert all(e["portid"] > 0 and e["proto"] == "udp" for e in ev), ev
assert ev[1]["mark"] == 5 and ev[0]["orig"]["dport"] == 2, ev
PY
	t_eq "save" "$(sed -E -e 's/-t [0-9]+/-t T/' -e 's/portid=[0-9]+/portid=N/' -e 's/ progname=[^ ]*$//' "$T_TMP/save.out")" \
"-A -t T -u UNSET -s 11.0.0.1 -d 11.0.0.2 -r 11.0.0.2 -q 11.0.0.1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 [USERSPACE] portid=N
-U -t T -u UNSET -s 11.0.0.1 -d 11.0.0.2 -r 11.0.0.2 -q 11.0.0.1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 -m 5 [USERSPACE] portid=N
-D -t T -u UNSET -s 11.0.0.1 -d 11.0.0.2 -r 11.0.0.2 -q 11.0.0.1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 [USERSPACE] portid=N"
	grep -cP '^\[\d{10}\.\d{6}\]\t {4}\[NEW\] ipv4     2 udp      17 \d+ src=11\.0\.0\.1 .* mark=0 id=\d+ \[USERSPACE\] portid=\d+' "$T_TMP/ts.out" >/dev/null ||
		t_fail "timestamp: $(cat "$T_TMP/ts.out")"
	t_eq "timestamp lines" "$(wc -l <"$T_TMP/ts.out")" 3
}

# make_mix: 14 entries, 2 of them tcp to port 80.
make_mix() {
	local i p
	for i in 1 2; do
		for p in "tcp --dport 80" "tcp --dport 81" "udp --dport 80" "udp --dport 53" "tcp --dport 443" "udplite --dport 80" "tcp --dport 8080"; do
			# shellcheck disable=SC2086
			ct -I -s 10.0.$i.1 -d 10.0.$i.2 -p $p --sport 1000 -t 50 \
				$( [ "${p%% *}" = tcp ] && echo --state ESTABLISHED ) \
					2>/dev/null || t_fail "-I $p"
		done
	done
	ct -D -s 10.0.1.1 >/dev/null 2>&1
}

case_filters() {
	local pk pu pk2 pu2 n
	setup
	mon pk k -E -p tcp --dport 80
	MON_ENV=RAWCT_NO_KFILTER=1 mon pu u -E -p tcp --dport 80
	mon pk2 k2 -E -s 10.0.2.0/24 -e NEW
	MON_ENV=RAWCT_NO_KFILTER=1 mon pu2 u2 -E -s 10.0.2.0/24 -e NEW
	subscribed 4
	make_mix
	stop "$pk"; stop "$pu"; stop "$pk2"; stop "$pu2"
	sed -i 's/ progname=[^ ]*$//' "$T_TMP"/k.out "$T_TMP"/u.out "$T_TMP"/k2.out "$T_TMP"/u2.out
	if ! cmp -s "$T_TMP/k.out" "$T_TMP/u.out"; then
		diff "$T_TMP/u.out" "$T_TMP/k.out" >"$T_TMP/detail"
		t_fail "-p tcp --dport 80: kernel filter and userspace differ"
	fi
	cmp -s "$T_TMP/k2.out" "$T_TMP/u2.out" || t_fail "CIDR: streams differ"
	# tcp/80: 2 NEW, 1 DESTROY (-D of 10.0.1.1's seven)
	n=$(grep -c 'dport=80 ' "$T_TMP/k.out")
	t_eq "-p tcp --dport 80 events" "$n $(wc -l <"$T_TMP/k.out")" "3 3"
	grep -v 'sport=1000 dport=80 ' "$T_TMP/k.out" && t_fail "unfiltered event"
	t_eq "CIDR events" "$(grep -c '\[NEW\].*src=10\.0\.2\.1 ' "$T_TMP/k2.out") $(wc -l <"$T_TMP/k2.out")" "7 7"
}

case_bufsize() {
	local pid
	setup
	mon pid b -E -b 1000000
	subscribed 1
	stop "$pid"
	t_eq "-b NOTICE" "$(cat "$T_TMP/b.err")" \
"NOTICE: Netlink socket buffer size has been set to 2000000 bytes.
$BANNER 0 flow events have been shown."
}

# burst N FILE: N -I lines for -R.
burst() {
	local i
	for i in $(seq 1 "$1"); do
		echo "-I -p udp -s 10.9.$((i / 250)).$((i % 250 + 1)) -d 10.8.0.1 --sport 1 --dport 2 -t 60"
	done >"$2"
}

case_overrun() {
	local pid n
	setup
	burst 2000 "$T_TMP/burst"
	mon pid o -E -o json -b 1
	subscribed 1
	kill -STOP "$pid"	# a monitor that cannot keep up
	ct -R "$T_TMP/burst" || t_fail "-R burst"
	kill -CONT "$pid"
	sleep 0.3
	ct -I -p tcp -s 1.2.3.4 -d 5.6.7.8 --sport 9 --dport 10 --state ESTABLISHED -t 50 2>/dev/null
	stop "$pid"
	t_eq "exit" "$STOP_RC" 0
	grep -q '^{"overrun":1,"rcvbuf":[0-9]*}$' "$T_TMP/o.out" ||
		t_fail "no overrun record: $(head -c 300 "$T_TMP/o.out")"
	grep -q '^WARNING: We have hit ENOBUFS! We are losing events.$' "$T_TMP/o.err" ||
		t_fail "no ENOBUFS warning: $(cat "$T_TMP/o.err")"
	n=$(grep -c '"event":"new"' "$T_TMP/o.out")
	[ "$n" -lt 2001 ] || t_fail "$n events: nothing lost?"
	tail -n 1 "$T_TMP/o.out" | grep -q '"src":"1.2.3.4"' ||
		t_fail "the source did not recover: $(tail -n 1 "$T_TMP/o.out")"
	grep -qP "^\Q$BANNER\E $n flow events have been shown\.$" "$T_TMP/o.err" ||
		t_fail "summary: $(cat "$T_TMP/o.err")"
	grep -qP "^\Q$BANNER\E WARNING: \d+ overruns \(ENOBUFS\): events have been lost\.$" "$T_TMP/o.err" ||
		t_fail "overrun total: $(cat "$T_TMP/o.err")"
}

case_overrun_fatal() {
	local pid
	setup
	burst 2000 "$T_TMP/burst"
	mon pid o -E -b 1 --overrun-fatal -o xml
	subscribed 1
	# one event first, so the XML document is open when the loss comes
	ct -I -p tcp -s 1.2.3.4 -d 5.6.7.8 --sport 9 --dport 10 --state ESTABLISHED -t 50 2>/dev/null
	for _ in $(seq 1 50); do
		grep -q '<flow' "$T_TMP/o.out" && break
		sleep 0.05
	done
	kill -STOP "$pid"
	ct -R "$T_TMP/burst" || t_fail "-R burst"
	kill -CONT "$pid"
	wait "$pid"
	t_eq "exit" "$?" 1
	grep -q "^$BANNER events have been lost, exiting (--overrun-fatal).$" "$T_TMP/o.err" ||
		t_fail "message: $(cat "$T_TMP/o.err")"
	tail -n 1 "$T_TMP/o.out" | grep -q '^</conntrack>$' || t_fail "no XML footer"
}

# wait_lines FILE N: up to 3 s for FILE to reach N lines.
wait_lines() {
	local i
	for i in $(seq 1 60); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# A burst makes the monitor hold back between receives; the last events
# must still be written out by the held wakeup itself, not wait for a
# later event or the signal; a lone event after it comes out at once.
case_coalesce() {
	local ph pz pw lone="src=1.2.3.4 dst=5.6.7.8 sport=9 dport=10"
	setup
	burst 3000 "$T_TMP/burst"
	mon ph h -E -e NEW
	MON_ENV=RAWCT_EVENT_HOLD_US=0 mon pz z -E -e NEW
	MON_ENV=RAWCT_EVENT_HOLD_US=1x mon pw w -E -e NEW
	subscribed 3
	ct -R "$T_TMP/burst" || t_fail "-R burst"
	wait_lines "$T_TMP/h.out" 3000 ||
		t_fail "held: $(wc -l <"$T_TMP/h.out") of 3000 events written"
	wait_lines "$T_TMP/z.out" 3000 ||
		t_fail "RAWCT_EVENT_HOLD_US=0: $(wc -l <"$T_TMP/z.out") of 3000 events written"
	ct -I -p tcp -s 1.2.3.4 -d 5.6.7.8 --sport 9 --dport 10 --state ESTABLISHED -t 50 2>/dev/null
	wait_lines "$T_TMP/h.out" 3001 || t_fail "the event after the burst was not written"
	tail -n 1 "$T_TMP/h.out" | grep -qF "$lone" ||
		t_fail "last event: $(tail -n 1 "$T_TMP/h.out")"
	stop "$ph"; stop "$pz"; stop "$pw"
	t_eq "held summary" "$(cat "$T_TMP/h.err")" "$BANNER 3001 flow events have been shown."
	# progname= is looked up in /proc when the event is written: a held
	# monitor may find the short-lived -I already gone (as upstream may,
	# a little later), so it is left out of the comparison
	sed 's/ progname=[^ ]*$//' "$T_TMP/h.out" >"$T_TMP/h.cmp"
	sed 's/ progname=[^ ]*$//' "$T_TMP/z.out" >"$T_TMP/z.cmp"
	if ! cmp -s "$T_TMP/h.cmp" "$T_TMP/z.cmp"; then
		diff "$T_TMP/h.cmp" "$T_TMP/z.cmp" | head -n 20 >"$T_TMP/detail"
		t_fail "held and unheld streams differ"
	fi
	t_eq "bad RAWCT_EVENT_HOLD_US" "$(cat "$T_TMP/w.err")" \
"$BANNER WARNING: ignoring RAWCT_EVENT_HOLD_US=1x (0 to 100000)
$BANNER 3001 flow events have been shown."
}

case_expect() {
	local pid
	setup
	mon pid x -E expect
	subscribed 1
	ftp_rig_start "$NS"
	ct -D expect -s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 10000 \
		--reply-port-src 1 --reply-port-dst 1 2>/dev/null || t_fail "-D expect"
	stop "$pid"
	t_eq "exit" "$STOP_RC" 0
	# the helper sees the 227 answer twice on loopback (output and input
	# confirm): NEW, DESTROY (replaced), NEW; then our -D: DESTROY
	local line="proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 dport=10000 mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 master-src=127.0.0.1 master-dst=127.0.0.1 sport=40021 dport=21 class=0 helper=ftp" n
	sed -E 's/^( *\[[A-Z]+\] )[0-9]+ /\1T /' "$T_TMP/x.out" >"$T_TMP/x.norm"
	head -n 1 "$T_TMP/x.norm" | grep -qxF "    [NEW] T $line" ||
		t_fail "first expect event: $(head -n 1 "$T_TMP/x.out")"
	tail -n 1 "$T_TMP/x.norm" | grep -qxF "[DESTROY] T $line" ||
		t_fail "last expect event: $(tail -n 1 "$T_TMP/x.out")"
	grep -vxF -e "    [NEW] T $line" -e "[DESTROY] T $line" "$T_TMP/x.norm" &&
		t_fail "other expect events"
	n=$(wc -l <"$T_TMP/x.out")
	t_eq "summary" "$(cat "$T_TMP/x.err")" "$BANNER $n expectation events have been shown."
}

case_illegal() {
	local out rc
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	out=$("$CONNTRACK" -L --overrun-fatal 2>&1)
	rc=$?
	t_eq "--overrun-fatal with -L" "$rc|$out" "2|$BANNER Illegal option \`--overrun-fatal' with this command
Try \`conntrack -h' or 'conntrack --help' for more information."
}

# [USERSPACE] progname=: the socket that made the event is found in
# /proc/net/netlink and /proc/*/fd while its process lives. A python
# writer creates the entry with its own ctnetlink request and waits.
case_progname() {
	local pid w line
	command -v python3 >/dev/null || t_skip "no python3"
	setup
	mon pid p -E
	subscribed 1
	ns_exec "$NS" python3 -c '
import socket, struct, time
def attr(t, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, t) + data + bytes((4 - n % 4) % 4)
def nest(t, *parts):
    return attr(t | 0x8000, b"".join(parts))
def tup(t, a, b, sp, dp):
    return nest(t, nest(1, attr(1, socket.inet_aton(a)), attr(2, socket.inet_aton(b))),
                nest(2, attr(1, b"\x11"), attr(2, struct.pack(">H", sp)), attr(3, struct.pack(">H", dp))))
body = struct.pack("=BBH", 2, 0, 0) + tup(1, "7.7.7.1", "7.7.7.2", 5, 6) + \
    tup(2, "7.7.7.2", "7.7.7.1", 6, 5) + attr(7, struct.pack(">I", 50))
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
s.bind((0, 0))
s.send(struct.pack("=IHHII", 16 + len(body), 0x100, 0x1 | 0x4 | 0x400, 1, 0) + body)
print("sent", flush=True)
time.sleep(3)
' >"$T_TMP/w.out" 2>&1 &
	w=$!
	for _ in $(seq 1 60); do
		grep -q "src=7.7.7.1" "$T_TMP/p.out" 2>/dev/null && break
		sleep 0.05
	done
	stop "$pid"
	wait "$w"
	grep -q sent "$T_TMP/w.out" || t_fail "writer: $(cat "$T_TMP/w.out")"
	line=$(grep "src=7.7.7.1" "$T_TMP/p.out")
	case $line in
	*" [USERSPACE] portid="[0-9]*" progname=python3") ;;
	*) t_fail "no progname: $line" ;;
	esac
}

t_case cli_event_basic case_basic
t_case cli_event_progname case_progname
t_case cli_event_masks case_masks
t_case cli_event_formats case_formats
t_case cli_event_filters case_filters
t_case cli_event_bufsize case_bufsize
t_case cli_event_overrun case_overrun
t_case cli_event_overrun_fatal case_overrun_fatal
t_case cli_event_coalesce case_coalesce
t_case cli_event_expect case_expect
t_case cli_event_illegal case_illegal
t_done
