#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The sync codec (sync/msg.h, through build/netns/synctool) against the
# reference: Debian's conntrackd 1.4.7. Two namespaces joined by a veth
# pair, 10.77.0.1 (A) and 10.77.0.2 (B), UDP port 3780.
#  - ref_to_ours: the reference in A (FTFW over UDP) replicates flows made
#    there with /usr/sbin/conntrack -I (tcp with a mark, udp in a zone,
#    udplite, gre, icmp, sctp, IPv6, SNAT, DNAT with a port) and one with
#    a label set by nft; a python listener in B keeps every datagram.
#    Each must parse, its fields must be the ones created, and built
#    again (upstream_compat) it must be the same bytes.
#  - ref_expect: the same with ExpectationSync and an ftp-helper
#    expectation (ftp_rig.sh): EXP_NEW parsed, fields checked, same bytes.
#  - ours_to_ref: the reference in B receives messages our builder made
#    (UDP-Lite ports, GRE keys, IPv6 in a zone, NAT; a UDP-Lite flow built
#    with upstream_compat as the control): its external cache (-e) must
#    show the ports and keys, and committed (-c) its kernel table too.
# Daemons run with their lock, socket and log in the case's scratch
# directory and are killed by pid on exit. Skips loudly without the
# reference conntrackd/conntrack or python3.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ftp_rig.sh"

SYNCTOOL=${SYNCTOOL:-$RAWCT_TOP/build/netns/synctool}
REFD=${REFD:-/usr/sbin/conntrackd}
REFCT=${REFCT:-/usr/sbin/conntrack}
PORT=3780

t_prereq() {
	[ -x "$NLPROBE" ] || { echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"; return; }
	[ -x "$SYNCTOOL" ] || { echo "FAIL $SYNCTOOL missing (make build/netns/synctool)"; return; }
	[ -x "$REFD" ] || { echo "SKIP no reference $REFD"; return; }
	[ -x "$REFCT" ] || { echo "SKIP no reference $REFCT"; return; }
	command -v python3 >/dev/null 2>&1 || echo "SKIP python3 is not installed"
}

DAEMONS=""	# pids to kill on exit (the case's subshell)

cleanup() {
	local p
	ftp_rig_stop
	{
		for p in $DAEMONS; do
			kill "$p"
		done
		for p in $DAEMONS; do
			wait "$p"
		done
	} 2>/dev/null
	DAEMONS=""
	ns_cleanup
}

# pair: namespaces NS_A, NS_B joined by a veth (rawct-prefixed names;
# the pair goes with the namespaces).
pair() {
	local va vb
	ns_new NS_A
	ns_new NS_B
	trap cleanup EXIT
	va="rawcta$(rand_hex 6)" vb="rawctb$(rand_hex 6)"
	ip link add "$va" type veth peer name "$vb" ||
		t_skip "cannot create a veth pair"
	ip link set "$va" netns "$NS_A" && ip link set "$vb" netns "$NS_B" ||
		{ ip link del "$va" 2>/dev/null; t_fail "cannot move the veth pair"; }
	ip -n "$NS_A" addr add 10.77.0.1/24 dev "$va"
	ip -n "$NS_B" addr add 10.77.0.2/24 dev "$vb"
	ip -n "$NS_A" link set "$va" up
	ip -n "$NS_B" link set "$vb" up
	VETH_A=$va VETH_B=$vb
	ns_require_ctnetlink "$NS_A"
	ns_require_ctnetlink "$NS_B"
}

# conf FILE DIR SELF PEER IFACE [OPTIONS]: a reference FTFW/UDP config
# with everything in DIR.
conf() {
	mkdir -p "$2"
	cat >"$1" <<EOF
General {
	HashSize 1024
	HashLimit 8192
	LockFile $2/lock
	UNIX { Path $2/ctl }
	LogFile $2/log
	Syslog off
}
Sync {
	Mode FTFW { }
	UDP {
		IPv4_address $3
		IPv4_Destination_Address $4
		Port $PORT
		Interface $5
	}
	$6
}
EOF
}

# refd NS CONF DIR: starts the reference in NS, waits for its socket.
# Its pid goes to DAEMONS, which the EXIT trap kills.
refd() {
	local i
	# not through ns_exec: a function in the background is a subshell,
	# and $! would be that shell, not the daemon (ip netns exec execs)
	ip netns exec "$1" "$REFD" -C "$2" >"$3/stdout" 2>&1 &
	DAEMONS="$DAEMONS $!"
	for i in $(seq 100); do
		grep -q 'initialization completed' "$3/log" 2>/dev/null &&
			[ -S "$3/ctl" ] && return 0
		sleep 0.05
	done
	t_fail "reference conntrackd did not start: $(tail -n 3 "$3/log" "$3/stdout" 2>/dev/null | tr '\n' ' ')"
}

# listen NS OUT: keeps every datagram to 10.77.0.2:PORT in NS as a hex line.
listen() {
	ip netns exec "$1" python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.2", int(sys.argv[1])))
out = open(sys.argv[2], "w")
print("ready", os.getpid(), flush=True)
while True:
    d, _ = s.recvfrom(65536)
    out.write(d.hex() + "\n")
    out.flush()
' "$PORT" "$2" >"$T_TMP/listen.out" 2>&1 &
	DAEMONS="$DAEMONS $!"
	for _ in $(seq 100); do
		if grep -q '^ready [0-9]' "$T_TMP/listen.out" 2>/dev/null; then
			# the python itself, should a shim have forked it
			DAEMONS="$DAEMONS $(awk '/^ready/ {print $2}' "$T_TMP/listen.out")"
			return 0
		fi
		sleep 0.05
	done
	t_fail "listener did not start"
}

# send NS FILE: sends each hex line of FILE as one datagram to B.
send() {
	ns_exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for line in open(sys.argv[2]):
    if line.strip():
        s.sendto(bytes.fromhex(line.strip()), ("10.77.0.2", int(sys.argv[1])))
' "$PORT" "$2" || t_fail "sending our datagrams failed"
}

# wait_decoded CAP N: until synctool decodes N data messages of CAP.
wait_decoded() {
	local i
	for i in $(seq 100); do
		"$SYNCTOOL" decode <"$1" >"$T_TMP/decoded" 2>&1
		[ "$(grep -c -E '^(ct|exp) ' "$T_TMP/decoded")" -ge "$2" ] && return 0
		sleep 0.1
	done
	cp "$1" "$T_TMP/detail"
	t_fail "fewer than $2 messages decoded: $(grep -c -E '^(ct|exp) ' "$T_TMP/decoded")"
}

# has WHAT PATTERN...: some decoded CT_NEW/EXP_NEW line holds every
# PATTERN (key=value pieces; the first one picks the candidate lines).
has() {
	local what=$1 line p ok
	shift
	grep -E '^(ct|exp) type=(0|3) ' "$T_TMP/decoded" | sed 's/$/ /' |
		grep -F -- " $1 " >"$T_TMP/cands"
	while IFS= read -r line; do
		ok=1
		for p in "$@"; do
			case "$line" in
			*" $p "*) ;;
			*) ok=0; break ;;
			esac
		done
		[ "$ok" = 1 ] && return 0
	done <"$T_TMP/cands"
	{ echo "want: $*"; cat "$T_TMP/cands"; } >"$T_TMP/detail"
	t_fail "$what: no message with all of the fields"
}

# rebuilt_same CAP: every data message of CAP built again is the same
# bytes. With SYNC_MSG_KEEP=DIR the capture is also copied there (how
# tests/data/sync_ref.hex was made).
rebuilt_same() {
	if [ -n "${SYNC_MSG_KEEP:-}" ]; then
		cp "$1" "$SYNC_MSG_KEEP/${FUNCNAME[1]}.hex"
	fi
	if ! "$SYNCTOOL" rebuild <"$1" >"$T_TMP/rebuilt" 2>&1; then
		grep -v '^same' "$T_TMP/rebuilt" >"$T_TMP/detail"
		t_fail "our builder differs from the reference's bytes"
	fi
	grep -q '^same type=' "$T_TMP/rebuilt" || t_fail "nothing rebuilt"
}

case_ref_to_ours() {
	local d=$T_TMP/a
	pair
	conf "$T_TMP/a.conf" "$d" 10.77.0.1 10.77.0.2 "$VETH_A"
	listen "$NS_B" "$T_TMP/cap.hex"
	refd "$NS_A" "$T_TMP/a.conf" "$d"
	ct() { ns_exec "$NS_A" "$REFCT" "$@" 2>>"$T_TMP/ct_err" || t_fail "conntrack $*: $(tail -n 1 "$T_TMP/ct_err")"; }
	ct -I -p tcp -s 10.1.1.1 -d 10.2.2.2 --sport 1111 --dport 80 --state ESTABLISHED -t 300 --mark 9
	ct -I -p udp -s 10.1.1.2 -d 10.2.2.2 --sport 53 --dport 5353 -t 50 --zone 7
	ct -I -p udplite -s 10.1.1.3 -d 10.2.2.2 --sport 1000 --dport 2000 -t 40
	ct -I -p gre -s 10.1.1.4 -d 10.2.2.2 --srckey 0x1234 --dstkey 0x5678 -t 41
	ct -I -p icmp -s 10.1.1.5 -d 10.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 4660 -t 30
	ct -I -p sctp -s 10.1.1.6 -d 10.2.2.2 --sport 5000 --dport 6000 --state ESTABLISHED --orig-vtag 17 --reply-vtag 34 -t 60
	ct -I -p tcp -s 2001:db8::1 -d 2001:db8::2 --sport 4000 --dport 443 --state SYN_SENT -t 120
	ct -I -p tcp -s 10.1.1.7 -d 10.2.2.2 --sport 1111 --dport 80 --state ESTABLISHED -t 300 --src-nat 10.9.9.9
	ct -I -p tcp -s 10.1.1.8 -d 10.2.2.2 --sport 1111 --dport 80 --state ESTABLISHED -t 300 --dst-nat 10.8.8.8:8080
	wait_decoded "$T_TMP/cap.hex" 9
	has tcp src=10.1.1.1 dst=10.2.2.2 proto=6 sport=1111 dport=80 rsrc=10.2.2.2 rdst=10.1.1.1 rsport=80 rdport=1111 mark=9 tcp_state=3
	has udp_zone src=10.1.1.2 proto=17 sport=53 dport=5353 rsport=5353 rdport=53 zone=7
	# upstream leaves the ports and keys out (spec section 5)
	has udplite src=10.1.1.3 proto=136
	has gre src=10.1.1.4 proto=47
	grep -E ' src=10\.1\.1\.[34] .*sport=' "$T_TMP/decoded" >"$T_TMP/detail" &&
		t_fail "the reference sent udplite ports or gre keys"
	# the ICMP id is little endian on the wire: 4660 = 0x1234 = "34 12"
	has icmp src=10.1.1.5 proto=1 type=8 code=0 id=4660 rtype=0 rcode=0 rid=4660
	grep -q '0006001834120000' "$T_TMP/cap.hex" || t_fail "icmp id bytes are not 34 12"
	# ESTABLISHED is 4 for sctp; conntrack 1.4.7 byte-swaps the vtags it
	# is given (17 -> 0x11000000) and the kernel keeps that value
	has sctp src=10.1.1.6 proto=132 sport=5000 dport=6000 sctp_state=4 vtags=285212672,570425344
	has ipv6 src=2001:db8::1 family=10 dst=2001:db8::2 proto=6 sport=4000 dport=443 rsrc=2001:db8::2 rdst=2001:db8::1 tcp_state=1
	has snat src=10.1.1.7 rsrc=10.2.2.2 rdst=10.9.9.9 rsport=80 rdport=1111 snat=10.9.9.9
	has dnat src=10.1.1.8 rsrc=10.8.8.8 rdst=10.1.1.8 rsport=8080 rdport=1111 dnat=10.8.8.8:8080
	rebuilt_same "$T_TMP/cap.hex"
	grep -q '^error' "$T_TMP/decoded" && t_fail "a message was refused: $(grep '^error' "$T_TMP/decoded" | head -n 1)"
	return 0
}

case_ref_labels() {
	local d=$T_TMP/a
	pair
	command -v nft >/dev/null 2>&1 || t_skip "nft is not installed"
	ns_exec "$NS_A" nft -f - 2>"$T_TMP/nft_err" <<'NFT' || t_skip "nft ct label unavailable: $(tr '\n' ' ' <"$T_TMP/nft_err")"
table inet rawct {
	chain out {
		type filter hook output priority 0;
		udp dport 9999 ct label set 37
	}
}
NFT
	conf "$T_TMP/a.conf" "$d" 10.77.0.1 10.77.0.2 "$VETH_A"
	listen "$NS_B" "$T_TMP/cap.hex"
	refd "$NS_A" "$T_TMP/a.conf" "$d"
	ns_exec "$NS_A" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 9000))
s.sendto(b"x", ("127.0.0.1", 9999))
' || t_fail "cannot send the labelled packet"
	for _ in $(seq 50); do
		"$SYNCTOOL" decode <"$T_TMP/cap.hex" >"$T_TMP/decoded" 2>&1
		grep -q ' sport=9000 dport=9999 .*labels=' "$T_TMP/decoded" && break
		sleep 0.1
	done
	# label 37: bit 5 of word 1, host order in the entry's bytes
	has labels sport=9000 src=127.0.0.1 dport=9999 labels=00000000200000000000000000000000
	rebuilt_same "$T_TMP/cap.hex"
}

case_ref_expect() {
	local d=$T_TMP/a
	pair
	conf "$T_TMP/a.conf" "$d" 10.77.0.1 10.77.0.2 "$VETH_A" \
		"Options { ExpectationSync on }"
	listen "$NS_B" "$T_TMP/cap.hex"
	refd "$NS_A" "$T_TMP/a.conf" "$d"
	ftp_rig_start "$NS_A"
	for _ in $(seq 50); do
		"$SYNCTOOL" decode <"$T_TMP/cap.hex" >"$T_TMP/decoded" 2>&1
		grep -q '^exp type=3 ' "$T_TMP/decoded" && break
		sleep 0.1
	done
	has expect msrc=127.0.0.1 mdst=127.0.0.1 mproto=6 msport=$FTP_RIG_CPORT mdport=21 tsrc=127.0.0.1 tdst=127.0.0.1 tproto=6 tsport=0 tdport=$FTP_RIG_DPORT ksrc=255.255.255.255 kdst=255.255.255.255 ksport=0 kdport=65535 xflags=0 class=0 helper=ftp
	has master_helper sport=$FTP_RIG_CPORT dport=21 helper=ftp
	rebuilt_same "$T_TMP/cap.hex"
}

case_ours_to_ref() {
	local d=$T_TMP/b out kt
	pair
	conf "$T_TMP/b.conf" "$d" 10.77.0.2 10.77.0.1 "$VETH_B"
	refd "$NS_B" "$T_TMP/b.conf" "$d"
	{
		"$SYNCTOOL" build seq=100 proto=136 src=10.3.3.1 dst=10.4.4.4 sport=1000 dport=2000 status=0xe timeout=200
		"$SYNCTOOL" build seq=101 proto=47 src=10.3.3.2 dst=10.4.4.4 sport=0x1234 dport=0x5678 status=0x8 timeout=201
		"$SYNCTOOL" build --compat seq=102 proto=136 src=10.3.3.3 dst=10.4.4.4 sport=1001 dport=2001 status=0xe timeout=202
		"$SYNCTOOL" build seq=103 proto=6 src=2001:db8::5 dst=2001:db8::6 sport=33 dport=44 state=3 status=0xe timeout=203 zone=9 mark=5
		"$SYNCTOOL" build seq=104 proto=17 src=10.3.3.4 dst=10.4.4.4 sport=7 dport=8 snat=10.9.9.9 spat=4000 status=0xe timeout=204
	} >"$T_TMP/ours.hex" || t_fail "synctool build failed"
	send "$NS_A" "$T_TMP/ours.hex"
	for _ in $(seq 50); do
		out=$("$REFD" -C "$T_TMP/b.conf" -e 2>&1)
		[ "$(grep -c 'src=' <<<"$out")" -ge 5 ] && break
		sleep 0.1
	done
	echo "$out" >"$T_TMP/detail"
	grep -q 'udplite .*src=10.3.3.1 dst=10.4.4.4 sport=1000 dport=2000 ' <<<"$out" ||
		t_fail "udplite ports missing in the reference's external cache"
	grep -q 'gre .*src=10.3.3.2 dst=10.4.4.4 srckey=0x1234 dstkey=0x5678 ' <<<"$out" ||
		t_fail "gre keys missing in the reference's external cache"
	grep -q 'src=10.3.3.3 dst=10.4.4.4 sport=0 dport=0 ' <<<"$out" ||
		t_fail "the upstream_compat control carried ports"
	grep -q 'src=2001:db8::5 dst=2001:db8::6 sport=33 dport=44 .*mark=5 zone=9 ' <<<"$out" ||
		t_fail "ipv6 flow in zone 9 missing"
	grep -q 'src=10.3.3.4 dst=10.4.4.4 sport=7 dport=8 ' <<<"$out" ||
		t_fail "NATed udp flow missing"
	# commit: the kernel of B gets the ports, keys and the NAT
	"$REFD" -C "$T_TMP/b.conf" -c >/dev/null 2>&1
	kt=$(ns_exec "$NS_B" "$REFCT" -L 2>/dev/null)
	echo "$kt" >"$T_TMP/detail"
	grep -q 'src=10.3.3.1 dst=10.4.4.4 sport=1000 dport=2000 .*src=10.4.4.4 dst=10.3.3.1 sport=2000 dport=1000' <<<"$kt" ||
		t_fail "udplite ports not committed"
	grep -q 'src=10.3.3.2 dst=10.4.4.4 srckey=0x1234 dstkey=0x5678 .*src=10.4.4.4 dst=10.3.3.2 srckey=0x5678 dstkey=0x1234' <<<"$kt" ||
		t_fail "gre keys not committed"
	grep -q 'src=10.3.3.4 dst=10.4.4.4 sport=7 dport=8 .*src=10.4.4.4 dst=10.9.9.9 sport=8 dport=4000' <<<"$kt" ||
		t_fail "SNAT with port not committed"
	return 0
}

t_case sync_msg_ref_to_ours case_ref_to_ours
t_case sync_msg_ref_labels case_ref_labels
t_case sync_msg_ref_expect case_ref_expect
t_case sync_msg_ours_to_ref case_ours_to_ref
t_done
