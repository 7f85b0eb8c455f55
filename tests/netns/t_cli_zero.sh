#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrack -L -z with real traffic: two namespaces joined by a veth pair,
# accounting on in the sender's, an nft rule so conntrack tracks there;
# UDP and TCP sent across; -L -z shows the counters and zeroes them, the
# next -L shows zeros.
. "$(dirname "$0")/lib.sh"

t_prereq() {
	[ -x "$CONNTRACK" ] || echo "FAIL $CONNTRACK missing (make all)"
	command -v python3 >/dev/null 2>&1 || echo "SKIP no python3"
	command -v nft >/dev/null 2>&1 || echo "SKIP no nft"
}

SERVER='
import socket, sys
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("10.77.0.2", 5001)); t.listen(1); t.settimeout(10)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.77.0.2", 5002))
print("ready", flush=True)
c, _ = t.accept(); n = 0
while n < 3000:
    d = c.recv(65536)
    if not d: break
    n += len(d)
c.sendall(b"ok"); c.close()
'

CLIENT='
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5): u.sendto(b"x" * 100, ("10.77.0.2", 5002))
t = socket.create_connection(("10.77.0.2", 5001), timeout=10)
t.sendall(b"y" * 3000); t.recv(10); t.close()
'

case_zero_counters() {
	local a b pid out line
	ns_new a
	ns_new b
	ns_require_ctnetlink "$a"
	ip link add rawct0 netns "$a" type veth peer name rawct1 netns "$b" ||
		t_skip "cannot create a veth pair"
	ns_exec "$a" ip addr add 10.77.0.1/24 dev rawct0
	ns_exec "$b" ip addr add 10.77.0.2/24 dev rawct1
	ns_exec "$a" ip link set rawct0 up
	ns_exec "$b" ip link set rawct1 up
	ns_exec "$a" sysctl -qw net.netfilter.nf_conntrack_acct=1 ||
		t_skip "no nf_conntrack_acct"
	{ ns_exec "$a" nft add table inet rawct &&
	  ns_exec "$a" nft 'add chain inet rawct out { type filter hook output priority 0; }' &&
	  ns_exec "$a" nft add rule inet rawct out ct state new counter; } ||
		t_skip "nft refused the ruleset"
	ns_exec "$b" timeout 20 python3 -c "$SERVER" >"$T_TMP/srv" 2>&1 &
	pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -q ready "$T_TMP/srv" && break
		sleep 0.3
	done
	ns_exec "$a" timeout 20 python3 -c "$CLIENT" || {
		kill "$pid" 2>/dev/null
		t_fail "client failed: $(cat "$T_TMP/srv")"
	}
	wait "$pid"
	# -z takes no filter: read and zero the whole table once
	t_run out ns_exec "$a" "$CONNTRACK" -L -z
	case $out in
	*"dport=5002 packets=5 bytes=640 "*) ;;
	*) t_fail "-L -z udp: $out" ;;
	esac
	line=$(printf '%s\n' "$out" | grep -c 'dport=5001 packets=[1-9][0-9]* bytes=[1-9]')
	t_eq "-L -z tcp counters ($out)" "$line" 1
	t_run out ns_exec "$a" "$CONNTRACK" -L -p udp --dport 5002
	case $out in
	*"dport=5002 packets=0 bytes=0 "*"packets=0 bytes=0"*) ;;
	*) t_fail "second -L udp: $out" ;;
	esac
	t_run out ns_exec "$a" "$CONNTRACK" -L -p tcp --dport 5001
	case $out in
	*"dport=5001 packets=0 bytes=0 "*"packets=0 bytes=0"*) ;;
	*) t_fail "second -L tcp: $out" ;;
	esac
}

t_case cli_zero_counters case_zero_counters
t_done
