#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's dedicated links (sync/channel.h) between two namespaces
# joined by veth pairs, driven by build/netns/chantool: UDP, multicast
# and TCP carry numbered messages intact, packed several to a datagram up
# to the MTU less the headers; a datagram from another address (UDP) or
# another interface (multicast) is not taken; TCP keeps what is sent
# before the peer listens and reconnects after the peer restarts; with two
# links, the active one going down hands over to the other with
# upstream's log line. Then against the reference daemon
# (/usr/sbin/conntrackd, NOTRACK) in the other namespace: a CT_NEW we send
# shows up in its external cache (-e), a flow created there reaches us,
# over each transport, and its -s / -s link blocks have the shape of ours.
# Every daemon and tool runs in a case's namespaces with its files in the
# case's temp dir, and is killed by pid when the case ends.
. "$(dirname "$0")/lib.sh"

CHANTOOL=${CHANTOOL:-$RAWCT_TOP/build/netns/chantool}
REFD=/usr/sbin/conntrackd
REFCT=/usr/sbin/conntrack
PORT=3780
GROUP=225.0.0.50

t_prereq() {
	[ -x "$CHANTOOL" ] ||
		echo "FAIL $CHANTOOL missing (make build/netns/chantool)"
}

# ---- plumbing ------------------------------------------------------------

PIDS=""
NA=""
NB=""

kill_all() {
	local p
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.2
	for p in $PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	PIDS=""
}

# pair: namespaces NA and NB joined by vs0 (the same name on both ends),
# 10.77.0.1 and 10.77.0.2, with the multicast route veth needs.
pair() {
	trap 'kill_all; ns_cleanup' EXIT
	ns_new NA
	ns_new NB
	ip link add vs0 netns "$NA" type veth peer name vs0 netns "$NB" ||
		t_skip "cannot create a veth pair"
	link_up vs0 10.77.0
}

# second_pair: vt0 between them too, 10.78.0.1 and 10.78.0.2.
second_pair() {
	ip link add vt0 netns "$NA" type veth peer name vt0 netns "$NB" ||
		t_skip "cannot create a veth pair"
	link_up vt0 10.78.0
}

# link_up DEV NET: addresses NET.1 and NET.2 (IPv4) and, for the
# IPv6 cases, fd77::1 and fd77::2 on vs0; up; multicast routed there.
link_up() {
	ip -n "$NA" addr add "$2.1/24" dev "$1"
	ip -n "$NB" addr add "$2.2/24" dev "$1"
	if [ "$1" = vs0 ]; then
		ip -n "$NA" addr add fd77::1/64 dev vs0 nodad
		ip -n "$NB" addr add fd77::2/64 dev vs0 nodad
	fi
	ip -n "$NA" link set "$1" up
	ip -n "$NB" link set "$1" up
	ip -n "$NA" route add 224.0.0.0/4 dev "$1" 2>/dev/null
	ip -n "$NB" route add 224.0.0.0/4 dev "$1" 2>/dev/null
}

# spec TYPE SIDE [IF [NET]]: the chantool -c spec of side a or b; with
# FAMILY=6, over IPv6 on vs0 (group ff12::4242, scoped to the link).
FAMILY=4
spec() {
	local type=$1 side=$2 dev=${3:-vs0} net=${4:-10.77.0} me peer
	if [ "$side" = a ]; then me=1 peer=2; else me=2 peer=1; fi
	if [ "$FAMILY" = 6 ] && [ "$type" = mcast ]; then
		echo "if=$dev,addr=ff12::4242,port=$PORT"
	elif [ "$FAMILY" = 6 ]; then
		echo "if=$dev,addr=fd77::$me,dest=fd77::$peer,port=$PORT"
	elif [ "$type" = mcast ]; then
		echo "if=$dev,addr=$GROUP,ifaddr=$net.$me,port=$PORT"
	else
		echo "if=$dev,addr=$net.$me,dest=$net.$peer,port=$PORT"
	fi
}

# tool VAR NS TAG ARGS...: chantool ARGS in NS in the background, its
# output in $T_TMP/TAG.out and .err; VAR = its pid (ip netns exec execs).
tool() {
	local _v=$1 ns=$2 tag=$3
	shift 3
	ip netns exec "$ns" "$CHANTOOL" "$@" >"$T_TMP/$tag.out" \
		2>"$T_TMP/$tag.err" &
	printf -v "$_v" '%s' "$!"
	PIDS="$PIDS $!"
}

# wait_grep FILE REGEX [SECS]: until FILE has a line matching REGEX.
wait_grep() {
	for _ in $(seq $((${3:-5} * 20))); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	t_fail "no '$2' in $(basename "$1"): $(tail -n 3 "$1" 2>/dev/null | tr '\n' ' ')"
}

# finish PID TAG: waits for a tool; fails the case if it failed.
finish() {
	wait "$1" ||
		t_fail "$2 failed: $(grep -v '^dgram\|^ ' "$T_TMP/$2.out" | tail -n 4 | tr '\n' ' ') $(tr '\n' ' ' <"$T_TMP/$2.err")"
}

# stat_of TAG CHAN FIELD: a counter from the tool's last stats line.
stat_of() {
	grep "^stats chan=$2 " "$T_TMP/$1.out" | tail -n 1 |
		tr ' ' '\n' | sed -n "s/^$3=//p"
}

# ---- our links between the namespaces ------------------------------------

# sent_packed TYPE: 300 messages of 300 bytes, all at once: all arrive in
# order; each datagram at most 1500 - 28 bytes (IPv6: 48), four messages
# to one.
sent_packed() {
	local type=$1 r s max
	pair
	tool r "$NB" recv -t "$type" -c "$(spec "$type" b)" -r "$T_TMP/rdy" \
		recv 300
	wait_file "$T_TMP/rdy"
	tool s "$NA" send -t "$type" -c "$(spec "$type" a)" send 300 300
	finish "$s" send
	finish "$r" recv
	grep -q '^recv ok 300 first=0$' "$T_TMP/recv.out" || t_fail "not all received"
	[ "$type" = tcp ] && return 0
	max=$(sed -n 's/^dgram chan=0 bytes=\([0-9]*\) .*/\1/p' "$T_TMP/recv.out" | sort -n | tail -n 1)
	[ "$max" -le $((FAMILY == 6 ? 1452 : 1472)) ] ||
		t_fail "a datagram of $max bytes"
	t_eq "largest datagram" "$max" 1200
	t_eq "messages in a full datagram" \
		"$(grep -c '^dgram chan=0 bytes=1200 msgs=4$' "$T_TMP/recv.out")" 75
}

case_udp_packed() { sent_packed udp; }
case_mcast_packed() { sent_packed mcast; }
case_tcp_stream() { sent_packed tcp; }
case_udp6_packed() { FAMILY=6 sent_packed udp; }
case_mcast6_packed() { FAMILY=6 sent_packed mcast; }
case_tcp6_stream() { FAMILY=6 sent_packed tcp; }

# A datagram from an address other than the destination is dropped and
# counted; the peer's own still arrive.
case_udp_other_source() {
	local r s x
	pair
	ip -n "$NA" addr add 10.77.0.3/24 dev vs0
	tool r "$NB" recv -t udp -c "$(spec udp b)" -r "$T_TMP/rdy" recv 5
	wait_file "$T_TMP/rdy"
	tool x "$NA" stray -t udp -c "if=vs0,addr=10.77.0.3,dest=10.77.0.2,port=$PORT" \
		-L 0.2 send 3 100
	finish "$x" stray
	tool s "$NA" send -t udp -c "$(spec udp a)" send 5 100
	finish "$s" send
	finish "$r" recv
	grep -q '^recv ok 5 first=0$' "$T_TMP/recv.out" || t_fail "not all received"
	t_eq "dropped_peer" "$(stat_of recv 0 dropped_peer)" 1
	t_eq "packets taken" "$(stat_of recv 0 pkts_recv)" 1
}

# The group on another interface (where something else in the namespace
# joined it) does not reach a channel joined on vs0.
case_mcast_other_iface() {
	local r o x s
	pair
	second_pair
	tool r "$NB" recv -t mcast -c "$(spec mcast b)" -r "$T_TMP/rdy" recv 5
	tool o "$NB" other -t mcast -c "$(spec mcast b vt0 10.78.0)" \
		-r "$T_TMP/rdy2" -T 4 dump
	wait_file "$T_TMP/rdy"
	wait_file "$T_TMP/rdy2"
	tool x "$NA" stray -t mcast -c "$(spec mcast a vt0 10.78.0)" \
		-L 0.2 send 3 100
	finish "$x" stray
	wait_grep "$T_TMP/other.out" '^dgram chan=0 bytes=300 msgs=3$'
	tool s "$NA" send -t mcast -c "$(spec mcast a)" send 5 100
	finish "$s" send
	finish "$r" recv
	kill -TERM "$o"
	grep -q '^recv ok 5 first=0$' "$T_TMP/recv.out" || t_fail "not all received"
	t_eq "datagrams taken on vs0" "$(stat_of recv 0 pkts_recv)" 1
}

# TCP: the sender starts first; what it sends before the receiver
# listens arrives, all of it, in order, once it does.
case_tcp_sender_first() {
	local r s
	pair
	tool s "$NA" send -t tcp -c "$(spec tcp a)" -T 20 send 500 200
	sleep 1.5
	grep -q '^sent' "$T_TMP/send.out" && t_fail "sent with nobody listening"
	tool r "$NB" recv -t tcp -c "$(spec tcp b)" -T 15 recv 500
	finish "$r" recv
	finish "$s" send
	grep -q '^recv ok 500 first=0$' "$T_TMP/recv.out" || t_fail "not all received"
	grep -q '^event chan=0 connected$' "$T_TMP/send.out" ||
		t_fail "no connected event"
	t_eq "lost" "$(stat_of send 0 backlog_overflow)" 0
}

# TCP: the receiver is killed and started again: the sender reconnects
# and the new receiver gets an unbroken run of messages.
case_tcp_reconnect() {
	local r1 r2 s
	pair
	tool r1 "$NB" recv1 -t tcp -c "$(spec tcp b)" -T 20 run
	tool s "$NA" send -t tcp -c "$(spec tcp a)" -T 30 send 2000 200 10
	wait_grep "$T_TMP/recv1.out" '^dgram chan=0' 10
	kill -TERM "$r1"
	wait "$r1"
	sleep 0.5
	tool r2 "$NB" recv2 -t tcp -c "$(spec tcp b)" -T 15 recv 30 any
	finish "$r2" recv2
	grep -q '^recv ok [0-9]* first=' "$T_TMP/recv2.out" ||
		t_fail "no run of 30: $(grep -v '^dgram\|^ ' "$T_TMP/recv2.out" | tr '\n' ' ')"
	t_eq "connections" "$(grep -c '^event chan=0 connected$' "$T_TMP/send.out")" 2
}

# Two links: the active one goes down, the other takes over with
# upstream's log line, and messages go on over it (the receiver follows
# them there); with both down, upstream's error line.
case_failover() {
	local r s ca cb
	pair
	second_pair
	ca="-c $(spec udp a) -c $(spec udp a vt0 10.78.0)"
	cb="-c $(spec udp b) -c $(spec udp b vt0 10.78.0)"
	# shellcheck disable=SC2086
	tool r "$NB" recv -t udp $cb -T 12 -r "$T_TMP/rdy" run
	wait_file "$T_TMP/rdy"
	# shellcheck disable=SC2086
	tool s "$NA" send -t udp $ca -T 12 send 400 200 20
	wait_grep "$T_TMP/recv.out" '^dgram chan=0 ' 5
	ip -n "$NA" link set vs0 down
	wait_grep "$T_TMP/send.out" "\[notice\] device \`vt0' becomes dedicated link"
	wait_grep "$T_TMP/recv.out" '^dgram chan=1 ' 5
	kill -USR1 "$s"
	wait_grep "$T_TMP/send.out" '^UDP traffic device=vt0 status=RUNNING role=ACTIVE:$'
	grep -q '^UDP traffic device=vs0 status=DOWN role=BACKUP:$' "$T_TMP/send.out" ||
		t_fail "vs0 not DOWN BACKUP in -s link"
	grep -q '^UDP traffic (active device=vt0):$' "$T_TMP/send.out" ||
		t_fail "-s does not show vt0 active"
	ip -n "$NA" link set vt0 down
	wait_grep "$T_TMP/send.err" '\[ERROR\] no dedicated links available!$'
}

# ---- against the reference daemon ----------------------------------------

# ref_conf TYPE: a NOTRACK configuration for side b, files in $T_TMP.
ref_conf() {
	local type=$1 chan kw=UDP
	if [ "$type" = mcast ]; then
		chan="Multicast {
		IPv4_address $GROUP
		Group $PORT
		IPv4_interface 10.77.0.2"
	else
		[ "$type" = tcp ] && kw=TCP
		chan="$kw {
		IPv4_address 10.77.0.2
		IPv4_Destination_Address 10.77.0.1
		Port $PORT"
	fi
	chan="$chan
		Interface vs0
		Checksum on
	}"
	cat >"$T_TMP/ref.conf" <<EOF
General {
	LogFile $T_TMP/ref.log
	LockFile $T_TMP/ref.lock
	UNIX { Path $T_TMP/ref.ctl }
	Syslog off
}
Sync {
	Mode NOTRACK { }
	$chan
}
EOF
}

# ref_start TYPE: the reference daemon in NB (NOTRACK over TYPE), once
# its control socket is there (killed by pid at the end of the case).
# Skips loudly without the reference binaries.
ref_start() {
	local ref
	[ -x "$REFD" ] || t_skip "no reference daemon $REFD (Debian conntrackd)"
	[ -x "$REFCT" ] || t_skip "no reference $REFCT"
	if [ -x "$NLPROBE" ]; then ns_require_ctnetlink "$NB"; fi
	ref_conf "$1"
	ip netns exec "$NB" "$REFD" -C "$T_TMP/ref.conf" >"$T_TMP/ref.out" 2>&1 &
	ref=$!
	PIDS="$PIDS $ref"
	for _ in $(seq 100); do
		[ -S "$T_TMP/ref.ctl" ] && return 0
		kill -0 "$ref" 2>/dev/null ||
			t_fail "reference daemon died: $(tail -n 3 "$T_TMP/ref.out" | tr '\n' ' ')"
		sleep 0.05
	done
	t_fail "reference daemon did not start"
}

# ref ARGS...: the reference's client (-e, -s...) against it.
ref() {
	ip netns exec "$NB" "$REFD" -C "$T_TMP/ref.conf" "$@"
}

# spec 2.7's captured CT_NEW, flags cleared (NOTRACK): tcp 10.1.1.1:1111
# -> 10.2.2.2:80 ESTABLISHED, status SEEN_REPLY|ASSURED|CONFIRMED,
# timeout 300, mark 9, a zero NTA_SYNPROXY.
CT_NEW=1000005400000001
CT_NEW=${CT_NEW}000c00000a0101010a020202	# NTA_IPV4
CT_NEW=${CT_NEW}000800050000000e		# NTA_STATUS
CT_NEW=${CT_NEW}0005000206000000		# NTA_L4PROTO tcp
CT_NEW=${CT_NEW}0008000304570050		# NTA_PORT
CT_NEW=${CT_NEW}0005000403000000		# NTA_TCP_STATE
CT_NEW=${CT_NEW}000800060000012c		# NTA_TIMEOUT
CT_NEW=${CT_NEW}0008000700000009		# NTA_MARK
CT_NEW=${CT_NEW}0010001f000000000000000000000000	# NTA_SYNPROXY

# A block of a report with every number (and its padding) made N and
# the TCP connection states S (they differ by who started first).
shape() {
	sed -E -e 's/ *[0-9]+ /N /g' -e 's/=(connected|disconnected)/=S/g'
}

# report_block FILE HEADER-REGEX: the lines from HEADER to the blank one.
report_block() {
	awk -v re="$2" '$0 ~ re { on = 1 } on { print } on && $0 == "" { exit }' "$1"
}

# Our CT_NEW over TYPE lands in the reference's external cache; then
# both sides' -s and -s link blocks have one shape.
ours_to_ref() {
	local type=$1 s got head
	pair
	ref_start "$type"
	tool s "$NA" send -t "$type" -c "$(spec "$type" a)" -T 15 -L 1.5 \
		hex "$CT_NEW"
	for _ in $(seq 100); do
		got=$(ref -e 2>&1)
		case $got in *"src=10.1.1.1 dst=10.2.2.2 sport=1111 dport=80"*) break ;; esac
		sleep 0.1
	done
	echo "reference -e: $got"
	case $got in
	*"tcp      6 ESTABLISHED src=10.1.1.1 dst=10.2.2.2 sport=1111 dport=80 [ASSURED] mark=9"*) ;;
	*) t_fail "the flow is not in the reference's external cache: $got" ;;
	esac
	kill -USR1 "$s"
	case $type in
	udp) head='^UDP traffic' ;;
	mcast) head='^multicast traffic' ;;
	tcp) head='^TCP traffic' ;;
	esac
	wait_grep "$T_TMP/send.out" "$head device=vs0"
	ref -s >"$T_TMP/ref.s" 2>&1
	ref -s link >"$T_TMP/ref.link" 2>&1
	report_block "$T_TMP/ref.s" "$head \\(" | shape >"$T_TMP/ref.shape"
	report_block "$T_TMP/send.out" "$head \\(" | shape >"$T_TMP/our.shape"
	[ -s "$T_TMP/ref.shape" ] || t_fail "no channel block in the reference's -s"
	diff "$T_TMP/ref.shape" "$T_TMP/our.shape" >"$T_TMP/detail" ||
		t_fail "-s blocks differ in shape"
	report_block "$T_TMP/ref.link" "$head device" | shape >"$T_TMP/ref.shape"
	report_block "$T_TMP/send.out" "$head device" | shape >"$T_TMP/our.shape"
	diff "$T_TMP/ref.shape" "$T_TMP/our.shape" >"$T_TMP/detail" ||
		t_fail "-s link blocks differ in shape"
	finish "$s" send
}

# A flow created in the reference's namespace reaches us as a CT_NEW
# carrying its addresses.
ref_to_ours() {
	local type=$1 d
	pair
	tool d "$NA" dump -t "$type" -c "$(spec "$type" a)" -T 12 \
		-r "$T_TMP/rdy" dump
	wait_file "$T_TMP/rdy"
	ref_start "$type"
	sleep 0.5
	ip netns exec "$NB" "$REFCT" -I -p tcp -s 10.1.1.1 -d 10.2.2.2 \
		--sport 1111 --dport 80 --state ESTABLISHED -t 300 -m 9 \
		-u ASSURED,SEEN_REPLY >/dev/null 2>&1 ||
		t_fail "reference conntrack -I failed"
	wait_grep "$T_TMP/dump.out" '^msg chan=0 len=[0-9]* 10..[0-9a-f]\{12\}000c00000a0101010a020202' 10
	kill -TERM "$d"
}

case_interop_udp_to_ref() { ours_to_ref udp; }
case_interop_mcast_to_ref() { ours_to_ref mcast; }
case_interop_tcp_to_ref() { ours_to_ref tcp; }
case_interop_udp_from_ref() { ref_to_ours udp; }
case_interop_mcast_from_ref() { ref_to_ours mcast; }
case_interop_tcp_from_ref() { ref_to_ours tcp; }

t_case sync_chan_udp_packed case_udp_packed
t_case sync_chan_mcast_packed case_mcast_packed
t_case sync_chan_tcp_stream case_tcp_stream
t_case sync_chan_udp6_packed case_udp6_packed
t_case sync_chan_mcast6_packed case_mcast6_packed
t_case sync_chan_tcp6_stream case_tcp6_stream
t_case sync_chan_udp_other_source case_udp_other_source
t_case sync_chan_mcast_other_iface case_mcast_other_iface
t_case sync_chan_tcp_sender_first case_tcp_sender_first
t_case sync_chan_tcp_reconnect case_tcp_reconnect
t_case sync_chan_failover case_failover
t_case sync_chan_interop_udp_to_ref case_interop_udp_to_ref
t_case sync_chan_interop_mcast_to_ref case_interop_mcast_to_ref
t_case sync_chan_interop_tcp_to_ref case_interop_tcp_to_ref
t_case sync_chan_interop_udp_from_ref case_interop_udp_from_ref
t_case sync_chan_interop_mcast_from_ref case_interop_mcast_from_ref
t_case sync_chan_interop_tcp_from_ref case_interop_tcp_from_ref
t_done
