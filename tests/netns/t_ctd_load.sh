#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd under load, Stats mode: traffic of real packets between two
# namespaces accounted; an overrun (a tiny event buffer and a burst of
# 100k flows) followed by the resync that makes the cache equal to the
# kernel table again; polling mode; flows created while the daemon starts
# up; two hundred clients at once; a client that stops reading while
# events keep being processed; the kernel-space and the user-space
# filters; reliable event delivery.
. "$(dirname "$0")/ctd_lib.sh"

NS="" D=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }
setup() { ctd_stats_setup "$@"; }

# write_flows FILE FIRST N: -I lines of N udp flows from index FIRST
write_flows() {
	awk -v f="$2" -v n="$3" 'BEGIN {
		for (i = f; i < f + n; i++)
			printf "-I -s 10.%d.%d.%d -d 10.200.0.1 -p udp --sport 1000 --dport 53 -t 600\n",
				int(i / 62500) % 250, int(i / 250) % 250, i % 250 + 1
	}' >"$1"
}

# The cache's keys (orig src of each flow) against the kernel's.
same_as_kernel() {
	ctd "$NS" "$D" -i | sed -n 's/^udp  *17 src=\([^ ]*\) .*/\1/p' | sort >"$T_TMP/cache"
	ct -L -p udp 2>/dev/null | sed -n 's/^udp  *17 [0-9]* src=\([^ ]*\) .*/\1/p' |
		sort >"$T_TMP/kernel"
	if ! diff -q "$T_TMP/cache" "$T_TMP/kernel" >/dev/null; then
		diff "$T_TMP/kernel" "$T_TMP/cache" | head -20 >"$T_TMP/detail"
		t_fail "cache ($(wc -l <"$T_TMP/cache")) differs from the kernel table ($(wc -l <"$T_TMP/kernel"))"
	fi
}

case_traffic() {
	local a out bytes pkts sum_b sum_p sink
	command -v python3 >/dev/null || t_skip "python3 missing"
	setup
	ns_new a
	ip link add "rawct-va$$" netns "$a" type veth peer name "rawct-vb$$" netns "$NS" ||
		t_skip "cannot create a veth pair"
	ip -n "$a" addr add 10.77.0.1/24 dev "rawct-va$$"
	ip -n "$NS" addr add 10.77.0.2/24 dev "rawct-vb$$"
	ip -n "$a" link set "rawct-va$$" up
	ip -n "$NS" link set "rawct-vb$$" up
	ns_exec "$NS" sysctl -qw net.netfilter.nf_conntrack_acct=1
	# conntrack hooks register in a namespace once a rule needs them
	command -v nft >/dev/null || t_skip "nft missing (apt-get install nftables)"
	ns_exec "$NS" nft -f - <<'EOF' || t_fail "nft ruleset"
table inet rawct {
	chain pre { type filter hook prerouting priority 0; ct state new accept; }
}
EOF
	ctd_start "$NS" "$D"
	# 5 udp flows of 7 datagrams of 100 bytes each, answered by a sink
	ns_exec "$NS" python3 -c '
import socket, select, time
s = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(5)]
for i, x in enumerate(s): x.bind(("10.77.0.2", 5000 + i))
end = time.time() + 4
while time.time() < end:
    r, _, _ = select.select(s, [], [], 0.2)
    for x in r:
        d, a = x.recvfrom(2000)
        x.sendto(d[:10], a)
' &
	sink=$!
	sleep 0.5
	ns_exec "$a" python3 -c '
import socket
for i in range(5):
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(7):
        c.sendto(b"x" * 100, ("10.77.0.2", 5000 + i))
        c.settimeout(1); c.recv(100)
' || t_fail "traffic failed"
	wait "$sink"
	# counters as the kernel has them, then destroy the flows
	out=$(ct -L -p udp --dport 5000 2>/dev/null; for p in 5001 5002 5003 5004; do
		ct -L -p udp --dport $p 2>/dev/null; done)
	sum_b=$(echo "$out" | grep -o 'bytes=[0-9]*' | awk -F= '{ s += $2 } END { print s + 0 }')
	sum_p=$(echo "$out" | grep -o 'packets=[0-9]*' | awk -F= '{ s += $2 } END { print s + 0 }')
	[ "${sum_p:-0}" -eq 70 ] || t_fail "kernel counted $sum_p packets, want 70: $out"
	ct -D -p udp -s 10.77.0.1 >/dev/null 2>&1
	ctd_wait_active "$NS" "$D" 0
	out=$(ctd "$NS" "$D" -s | sed -n '/traffic processed:/{n;p}')
	bytes=$(echo "$out" | awk '{ print $1 }')
	pkts=$(echo "$out" | awk '{ print $3 }')
	t_eq "bytes" "$bytes" "$sum_b"
	t_eq "packets" "$pkts" "$sum_p"
	t_eq "flow log lines" "$(grep -c 'packets=7 bytes=' "$D/flows")" 5
}

# overrun_burst RESYNC MAXGROWTH N: a daemon with an 8 KiB event buffer
# (growing up to MAXGROWTH) and NetlinkOverrunResync RESYNC takes a burst
# of N new flows; fails unless it overran.
overrun_burst() {
	local n
	setup "NetlinkBufferSize 8192" "NetlinkBufferSizeMaxGrowth $2" \
		"NetlinkOverrunResync $1"
	write_flows "$T_TMP/f1" 0 "$3"
	ctd_start "$NS" "$D"
	ct -R "$T_TMP/f1" || t_fail "conntrack -R"
	n=$(ctd "$NS" "$D" -s runtime | awk '/netlink overrun/ { print $NF }')
	[ "${n:-0}" -gt 0 ] || t_fail "no overrun with an 8 KiB buffer: $n"
}

resyncs() { ctd "$NS" "$D" -s runtime | awk '/resync with kernel table/ { print $NF }'; }

case_overrun_resync() {
	overrun_burst 1 16384 100000
	ctd_wait_active "$NS" "$D" 100000
	grep -q 'netlink event socket buffer size has been doubled to' "$D/log" ||
		t_fail "no doubling line"
	grep -q 'netlink event socket buffer size cannot be doubled further' "$D/log" ||
		t_fail "no maximum line"
	# deletions lost in an overrun are swept by the resync too
	ct -D -s 10.0.0.0/16 >/dev/null 2>&1 || t_fail "conntrack -D"
	ctd_wait_active "$NS" "$D" 37500
	same_as_kernel
	[ "$(resyncs)" -gt 0 ] || t_fail "no resync counted"
}

# NetlinkOverrunResync off: what the overrun lost stays lost
case_overrun_resync_off() {
	local a
	overrun_burst off 8192 20000
	sleep 3
	a=$(ctd_active "$NS" "$D")
	[ "${a:-0}" -lt 20000 ] || t_fail "the cache holds all $a flows without a resync"
	t_eq "resyncs" "$(resyncs)" 0
}

# NetlinkOverrunResync 30: the resync comes a second after the last
# overrun, long before the 30 s (upstream waits them out)
case_overrun_resync_early() {
	overrun_burst 30 8192 20000
	ctd_wait_active "$NS" "$D" 20000
	same_as_kernel
	t_eq "resyncs" "$(resyncs)" 1
}

# A flush of the cache (-f internal) that comes while the initial dump
# of 100k flows runs leaves the cache empty, as upstream's (which dumps
# before it serves a client): the rest of the dump is older than the
# flush. The request goes as soon as the socket answers.
case_flush_during_dump() {
	setup
	write_flows "$T_TMP/f1" 0 100000
	ct -R "$T_TMP/f1" || t_fail "conntrack -R"
	python3 - "$D/sock" "$T_TMP/ready" >"$T_TMP/flushed" 2>&1 <<'PY' &
import socket, struct, sys, time
open(sys.argv[2], 'w').close()
end = time.time() + 20
while time.time() < end:
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[1])
        break
    except OSError:
        time.sleep(0.001)
s.sendall(struct.pack('=i', 33))
while s.recv(4096):
    pass
print("flushed")
PY
	local poll=$!
	wait_file "$T_TMP/ready"
	ctd_start "$NS" "$D"
	wait "$poll"
	t_eq "the poller" "$(cat "$T_TMP/flushed")" flushed
	for _ in $(seq 1 500); do
		[ "$(ctd "$NS" "$D" -s health)" = ok ] && break
		sleep 0.02
	done
	t_eq "cached after the dump" "$(ctd_active "$NS" "$D")" 0
	grep -q 'flushing caches' "$D/log" || t_fail "no flush logged"
}

case_polling() {
	setup "PollSecs 1"
	write_flows "$T_TMP/f1" 0 50
	ct -R "$T_TMP/f1"
	ctd_start "$NS" "$D"
	grep -q 'running in polling mode' "$D/log" || t_fail "no polling line"
	ctd_wait_active "$NS" "$D" 50
	write_flows "$T_TMP/f2" 50 25
	ct -R "$T_TMP/f2"
	ctd_wait_active "$NS" "$D" 75
	ct -D -s 10.0.0.1 >/dev/null 2>&1
	ctd_wait_active "$NS" "$D" 74
	grep -q 'src=10.0.0.1 ' "$D/flows" || t_fail "vanished flow not logged"
	same_as_kernel
}

case_startup_flows() {
	local i loader n
	# a buffer that holds the burst: what is tested here is that events
	# during the initial dump are not lost, not how overruns are handled
	setup "NetlinkBufferSize 16777216" "NetlinkBufferSizeMaxGrowth 16777216"
	write_flows "$T_TMP/f1" 0 30000
	ct -R "$T_TMP/f1"
	for i in 1 2 3 4 5 6; do
		write_flows "$T_TMP/g$i" $((30000 + i * 1000)) 1000
	done
	# flows keep coming while the daemon starts and dumps the table
	(for i in 1 2 3 4 5 6; do ct -R "$T_TMP/g$i"; sleep 0.02; done) &
	loader=$!
	ctd_start "$NS" "$D"
	wait "$loader"
	ctd_wait_active "$NS" "$D" 36000
	same_as_kernel
	n=$(ctd "$NS" "$D" -s runtime | awk '/netlink overrun/ { print $NF }')
	t_eq "overruns" "$n" 0
}

case_many_clients() {
	local i bad=0 clients=
	setup
	write_flows "$T_TMP/f1" 0 500
	ct -R "$T_TMP/f1"
	ctd_start "$NS" "$D"
	ctd_wait_active "$NS" "$D" 500
	for i in $(seq 1 200); do
		if [ $((i % 2)) = 0 ]; then
			ctd "$NS" "$D" -s >"$T_TMP/c$i" 2>&1 &
		else
			ctd "$NS" "$D" -i >"$T_TMP/c$i" 2>&1 &
		fi
		clients="$clients $!"
	done
	# shellcheck disable=SC2086
	wait $clients
	for i in $(seq 1 200); do
		if [ $((i % 2)) = 0 ]; then
			grep -q 'current active connections:	         500' "$T_TMP/c$i" || bad=$((bad + 1))
		else
			[ "$(wc -l <"$T_TMP/c$i")" = 500 ] || bad=$((bad + 1))
		fi
	done
	t_eq "clients with a wrong answer" "$bad" 0
}

case_slow_client() {
	local pyp n
	command -v python3 >/dev/null || t_skip "python3 missing"
	setup "NetlinkBufferSize 16777216" "NetlinkBufferSizeMaxGrowth 16777216"
	write_flows "$T_TMP/f1" 0 20000
	ct -R "$T_TMP/f1"
	ctd_start "$NS" "$D"
	ctd_wait_active "$NS" "$D" 20000
	# asks for -i (16) and never reads the answer
	ns_exec "$NS" python3 -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1]); s.send(struct.pack("=i", 16)); time.sleep(8)
' "$D/sock" &
	pyp=$!
	sleep 0.5
	write_flows "$T_TMP/f2" 20000 3000
	ct -R "$T_TMP/f2"
	ctd_wait_active "$NS" "$D" 23000
	n=$(ctd "$NS" "$D" -i | wc -l)
	t_eq "-i of another client meanwhile" "$n" 23000
	n=$(ctd "$NS" "$D" -s runtime | awk '/netlink overrun/ { print $NF }')
	t_eq "overruns" "$n" 0
	kill "$pyp" 2>/dev/null
	wait "$pyp" 2>/dev/null
	return 0
}

# filter_case WHERE: a Filter From WHERE (Kernelspace or Userspace) of
# every kind of set in a running daemon: of flows made after the start,
# only the TCP ones in ESTABLISHED outside 10.66.0.0/16 are cached (the
# /16's neighbour is). The kernel drops the others before they are
# events (-s: received); userspace drops them on receipt (-s: filtered).
filter_case() {
	local where=$1 out n
	setup "Filter From $where {" "Protocol Accept { TCP }" \
		"Address Ignore { IPv4_address 10.66.0.0/16 }" \
		"State Accept { ESTABLISHED for TCP }" "}"
	ctd_start "$NS" "$D"
	case $where in
	Kernelspace) out='using kernel-space event filtering' ;;
	*) out='using user-space event filtering' ;;
	esac
	grep -q "$out" "$D/log" || t_fail "no '$out' line: $(cat "$D/log")"
	ct -I -s 10.1.0.1 -d 10.2.0.1 -p tcp --sport 1 --dport 2 --state ESTABLISHED -t 100 2>/dev/null
	ct -I -s 10.67.0.1 -d 10.2.0.1 -p tcp --sport 1 --dport 2 --state ESTABLISHED -t 100 2>/dev/null
	ct -I -s 10.66.0.1 -d 10.2.0.1 -p tcp --sport 1 --dport 2 --state ESTABLISHED -t 100 2>/dev/null
	ct -I -s 10.66.255.9 -d 10.2.0.1 -p tcp --sport 1 --dport 2 --state ESTABLISHED -t 100 2>/dev/null
	ct -I -s 10.1.0.2 -d 10.2.0.1 -p udp --sport 1 --dport 2 -t 100 2>/dev/null
	ct -I -s 10.1.0.3 -d 10.2.0.1 -p tcp --sport 1 --dport 2 --state SYN_SENT -t 100 2>/dev/null
	# a last accepted flow: once it is cached, every event before it
	# was handled
	ct -I -s 10.1.0.9 -d 10.2.0.1 -p tcp --sport 1 --dport 2 --state ESTABLISHED -t 100 2>/dev/null
	ctd_wait_active "$NS" "$D" 3
	out=$(ctd "$NS" "$D" -i | sed -n 's/^tcp  *6 ESTABLISHED src=\([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
	t_eq "-i" "$out" "10.1.0.1 10.1.0.9 10.67.0.1 "
	n=$(ctd "$NS" "$D" -s runtime | awk '/events received/ { print $NF }')
	out=$(ctd "$NS" "$D" -s runtime | awk '/events filtered/ { print $NF }')
	case $where in
	Kernelspace)
		t_eq "events received (the kernel dropped the others)" "$n" 3
		t_eq "events filtered" "$out" 0 ;;
	*)
		t_eq "events received" "$n" 7
		t_eq "events filtered" "$out" 4 ;;
	esac
}

# NetlinkEventsReliable on (NETLINK_NO_ENOBUFS and _BROADCAST_ERROR on
# the event socket): a burst of deletions that overruns a tiny buffer
# without it (the control) reports no overrun with it, and the kernel
# delivers again the destroy events it could not deliver at first, so
# the cache empties without a resync.
case_reliable_events() {
	local n r
	write_flows "$T_TMP/f1" 0 500
	for r in off on; do
		setup "NetlinkBufferSize 8192" "NetlinkBufferSizeMaxGrowth 8192" \
			"NetlinkEventsReliable $r"
		ct -R "$T_TMP/f1" || t_fail "conntrack -R"
		ctd_start "$NS" "$D"
		ctd_wait_active "$NS" "$D" 500
		ct -D -p udp >/dev/null 2>&1 || t_fail "conntrack -D"
		if [ $r = off ]; then
			sleep 0.3
			n=$(ctd "$NS" "$D" -s runtime | awk '/netlink overrun/ { print $NF }')
			[ "${n:-0}" -gt 0 ] || t_fail "no overrun without reliable events: $n"
			ctd_stop "$NS" "$D" "$CTD_PID"
			continue
		fi
		grep -q 'reliable ctnetlink event delivery is ENABLED' "$D/log" ||
			t_fail "no reliable line: $(cat "$D/log")"
		ctd_wait_active "$NS" "$D" 0
		ctd "$NS" "$D" -s runtime >"$T_TMP/rt"
		t_eq "overruns" "$(awk '/netlink overrun/ { print $NF }' "$T_TMP/rt")" 0
		t_eq "resyncs" "$(awk '/resync with kernel table/ { print $NF }' "$T_TMP/rt")" 0
	done
}

case_kernel_filter() { filter_case Kernelspace; }
case_user_filter() { filter_case Userspace; }

t_case ctd_traffic case_traffic
t_case ctd_overrun_resync case_overrun_resync
t_case ctd_overrun_resync_off case_overrun_resync_off
t_case ctd_overrun_resync_early case_overrun_resync_early
t_case ctd_flush_during_dump case_flush_during_dump
t_case ctd_polling case_polling
t_case ctd_startup_flows case_startup_flows
t_case ctd_many_clients case_many_clients
t_case ctd_slow_client case_slow_client
t_case ctd_kernel_filter case_kernel_filter
t_case ctd_user_filter case_user_filter
t_case ctd_reliable_events case_reliable_events
t_done
