#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's Filter (sync/filter.h) against real events: for each
# filter two listeners (tests/netns/sftool) run side by side while a
# workload creates, updates and destroys entries, one filtering in
# userspace only and one with the compiled BPF program attached to its
# event socket (Filter From Kernelspace). Both print every event they
# receive with the userspace verdict. The kernel-filtered listener must
# receive no event the filter drops and exactly the events the other
# listener keeps, in the same order; the filter must have dropped some.
# The last filter carries 1500 more hosts: a program near the size
# limit that the kernel must take.
. "$(dirname "$0")/lib.sh"

SFTOOL=${SFTOOL:-$RAWCT_TOP/build/netns/sftool}
CTTOOL=${CTTOOL:-$RAWCT_TOP/build/netns/cttool}

t_prereq() {
	[ -x "$SFTOOL" ] || { echo "FAIL $SFTOOL missing (make build/netns/sftool)"; return; }
	[ -x "$CTTOOL" ] || { echo "FAIL $CTTOOL missing (make build/netns/cttool)"; return; }
	[ -x "$CONNTRACK" ] || echo "FAIL $CONNTRACK missing (make all)"
}

# wait_file FILE: up to 5 s for a listener's ready file
wait_file() {
	local i
	for i in $(seq 100); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	t_fail "listener did not start ($1)"
}

# sftool options; TCP states: 1 SYN_SENT, 3 ESTABLISHED
FILTERS=(
	"-p accept:6"
	"-p ignore:6,17"
	"-a accept:10.0.0.0/28"
	"-a ignore:10.255.0.1"
	"-a accept:10.9.9.9"
	"-a accept:2001:db8::/32,192.0.2.7,::1"
	"-S accept:3"
	"-S ignore:3 -p accept:6"
	"-p accept:6,1 -a ignore:10.0.0.0/29,3.3.3.3 -S accept:3"
	"-a accept:10.0.0.0/30 -g 1500"
)

# Entries: 40 tcp4 from cttool (10.0.0.1..40 -> 10.255.0.1, ESTABLISHED),
# a DNAT-like tcp4 whose reply comes from 10.9.9.9, a SYN_SENT tcp4, udp6,
# icmp; updates of marks; deletes; then, when nft can make the kernel
# track loopback, real traffic: udp4 and tcp4/tcp6 connections through
# their states; a flush.
workload() {
	local ns=$1
	ns_exec "$ns" "$CTTOOL" create 40 >/dev/null || t_fail "cttool create"
	ns_exec "$ns" "$CONNTRACK" -I -p tcp -s 1.1.1.1 -d 203.0.113.1 \
		--sport 1000 --dport 80 --reply-src 10.9.9.9 \
		--reply-dst 1.1.1.1 --reply-port-src 8080 \
		--reply-port-dst 1000 --state ESTABLISHED -t 100 \
		>/dev/null 2>&1 || t_fail "conntrack -I (dnat)"
	ns_exec "$ns" "$CONNTRACK" -I -p tcp -s 192.0.2.7 -d 2.2.2.2 \
		--sport 1000 --dport 80 --state SYN_SENT -t 100 \
		>/dev/null 2>&1 || t_fail "conntrack -I (syn_sent)"
	ns_exec "$ns" "$CONNTRACK" -I -p udp -s 2001:db8::1 -d 2001:db8::2 \
		--sport 53 --dport 5353 -t 50 >/dev/null 2>&1 ||
		t_fail "conntrack -I (udp6)"
	ns_exec "$ns" "$CONNTRACK" -I -p icmp -s 3.3.3.3 -d 4.4.4.4 \
		--icmp-type 8 --icmp-code 0 --icmp-id 77 -t 30 \
		>/dev/null 2>&1 || t_fail "conntrack -I (icmp)"
	ns_exec "$ns" "$CONNTRACK" -U -p tcp --dport 81 -m 5 >/dev/null 2>&1
	ns_exec "$ns" "$CTTOOL" delete 0 20 3 >/dev/null || t_fail "cttool delete"
	ns_exec "$ns" python3 -c "
import socket
r=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); r.bind(('127.0.0.1',5555))
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(('127.0.0.1',4444))
s.sendto(b'y',('127.0.0.1',5555)); d,a=r.recvfrom(10); r.sendto(b'z',a); s.recvfrom(10)
for fam, host in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')):
    l=socket.socket(fam); l.bind((host, 7777)); l.listen(1)
    c=socket.create_connection((host, 7777)); a,_=l.accept()
    c.sendall(b'x'); a.recv(1); c.close(); a.close(); l.close()
" 2>/dev/null || t_fail "loopback traffic"
	ns_exec "$ns" "$CONNTRACK" -F >/dev/null 2>&1
}

case_kernel_filter() {
	local ns i f pids="" user kern
	ns_new ns
	ns_require_ctnetlink "$ns"
	# track loopback traffic (conntrack hooks register on demand)
	if command -v nft >/dev/null 2>&1; then
		ns_exec "$ns" nft -f - <<'NFT' ||
table inet rawct {
	chain out { type filter hook output priority 0; ct state new counter; }
}
NFT
			echo "no nft ruleset: no traffic events"
	fi
	for i in "${!FILTERS[@]}"; do
		f=${FILTERS[$i]}
		# shellcheck disable=SC2086
		ns_exec "$ns" "$SFTOOL" -s -t 5000 -r "$T_TMP/r$i.u" $f \
			>"$T_TMP/u$i" 2>"$T_TMP/e$i.u" &
		pids="$pids $!"
		# shellcheck disable=SC2086
		ns_exec "$ns" "$SFTOOL" -k -s -t 5000 -r "$T_TMP/r$i.k" $f \
			>"$T_TMP/k$i" 2>"$T_TMP/e$i.k" &
		pids="$pids $!"
	done
	for i in "${!FILTERS[@]}"; do
		wait_file "$T_TMP/r$i.u"
		wait_file "$T_TMP/r$i.k"
	done
	workload "$ns"
	for i in $pids; do
		wait "$i" || t_fail "a listener failed: $(cat "$T_TMP"/e* | tr '\n' ' ')"
	done
	for i in "${!FILTERS[@]}"; do
		f=${FILTERS[$i]}
		grep '^+ ' "$T_TMP/u$i" >"$T_TMP/u$i.keep"
		grep -v '^stats ' "$T_TMP/k$i" >"$T_TMP/k$i.ev"
		user=$(grep -c '^[-+] ' "$T_TMP/u$i")
		kern=$(grep -c '^[-+] ' "$T_TMP/k$i")
		echo "filter '$f': $user events, $(wc -l <"$T_TMP/u$i.keep") kept;" \
			"$kern through the kernel filter," \
			"$(sed -n 's/^stats .*insns=\([0-9]*\).*/\1/p' "$T_TMP/k$i") insns"
		if grep -q '^- ' "$T_TMP/k$i"; then
			grep '^- ' "$T_TMP/k$i" >"$T_TMP/detail"
			t_fail "filter '$f': the kernel let through events the filter drops"
		fi
		if ! diff "$T_TMP/u$i.keep" "$T_TMP/k$i.ev" >"$T_TMP/detail"; then
			t_fail "filter '$f': kernel-filtered events differ from those kept"
		fi
		grep -q '^- ' "$T_TMP/u$i" ||
			t_fail "filter '$f' dropped nothing: workload broken?"
		[ -s "$T_TMP/u$i.keep" ] ||
			t_fail "filter '$f' kept nothing: workload broken?"
		grep -q '^stats .*filtered=1' "$T_TMP/k$i" ||
			t_fail "filter '$f': no program attached"
	done
}

t_case sync_filter_kernel case_kernel_filter
t_done
