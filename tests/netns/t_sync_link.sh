#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's Sync mode on the wire, between two namespaces (ctd_lib.sh's
# sync_pair): a burst of 2000 new flows on A goes out packed, far fewer
# datagrams than flows, and all of them arrive; one datagram dropped on
# the link (an nft rule in B's namespace that drops the next datagram
# carrying a message, then is deleted) is counted as one lost message
# (upstream counts 3, spec 5: asserted of the reference too), and in
# FTFW the flow it carried arrives all the same (NACK, resent).
# Malformed messages from the peer's address (a bad protocol version, a
# bad attribute size) are counted under their reasons in `-s network',
# as the reference counts them, and change nothing in the external cache.
. "$(dirname "$0")/ctd_lib.sh"
T_CASE_TIMEOUT=${T_CASE_TIMEOUT:-120}
SYNCTOOL=${SYNCTOOL:-$RAWCT_TOP/build/netns/synctool}

# flows N NET: N udp flows NET.x.y -> 10.2.2.2 on A, in one -R batch.
flows() {
	local i
	for ((i = 1; i <= $1; i++)); do
		echo "-I -s $2.$((i / 250)).$((i % 250 + 1)) -d 10.2.2.2 -p udp --sport 1000 --dport 53 -t 300"
	done >"$T_TMP/flows"
	sync_ct a -R "$T_TMP/flows" >/dev/null 2>&1 || t_fail "conntrack -R on A"
}

# two MODE IB [A_GENERAL_LINES]: ours on A, IB on B, over UDP, the
# canary through.
two() {
	sync_pair
	[ "$2" = ours ] || sync_need_ref
	sync_conf a "$1" UDP "" "" "${3:-}"
	sync_conf b "$1" UDP
	sync_start a ours
	sync_start b "$2"
	sync_canary 1
}

# ---- malformed messages ------------------------------------------------------

# net_counts SIDE: the counters of SIDE's `-s network' above its channel
# block, one "SECTION DIR NAME=N" line each (NAME without spaces).
net_counts() {
	sync_ctl "$1" -s network | awk -F ':' '
		/^[a-z]/ { sec = $1; sub(/ .*/, "", sec) }
		/^\t[a-z]+:$/ { dir = $1; sub(/^\t/, "", dir) }
		/^\t\t[A-Z]/ && (sec == "network" || sec == "sequence") {
			name = $1; v = $2
			gsub(/[ \t]/, "", name)
			gsub(/[ \t]/, "", v)
			print sec " " dir " " name "=" v
		}'
}

# bump NAME N: stdin (net_counts lines) with recv NAME raised by N.
bump() {
	awk -v n="$1" -v d="$2" -F '=' '
		$1 == "network recv " n { $0 = $1 "=" $2 + d } { print }'
}

# Datagrams from A's address and port (a raw socket: no daemon on A) to
# IB on B (NOTRACK): a message of protocol version 2 and one whose
# NTA_L4PROTO is 8 bytes long (its size is 5) are dropped and counted,
# each under its reason and under "Malformed messages", nothing else
# (the version's message, sequence 100, is not tracked: no packet lost);
# the flows they carry are not in B's external cache, B goes on taking
# the flow that follows.
malformed() {
	local f1 v p f9 before want got
	command -v python3 >/dev/null || t_skip "no python3"
	[ -x "$SYNCTOOL" ] || t_fail "$SYNCTOOL missing (make build/netns/synctool)"
	sync_pair
	[ "$1" = ours ] || sync_need_ref
	sync_conf b NOTRACK UDP
	sync_start b "$1"
	flow() {
		"$SYNCTOOL" build seq="$1" proto=17 src="10.99.0.$2" \
			dst=10.2.2.2 sport=1 dport=2 status=0x8 timeout=300 ||
			t_fail "synctool build"
	}
	send() {
		ip netns exec "$NS_A" python3 "$RAWCT_TOP/tests/netns/auth_probe.py" \
			send 10.77.0.1 10.77.0.2 "$SYNC_PORT" "$@" ||
			t_fail "cannot send from A"
	}
	f1=$(flow 1 1)
	v=$(flow 100 2)
	v=2${v:1}
	p=$(flow 2 3)
	[ "${p/000500021100/}" != "$p" ] || t_fail "no NTA_L4PROTO in $p"
	p=${p/000500021100/000800021100}
	f9=$(flow 3 9)
	send "$f1"
	sync_wait b -e 'src=10\.99\.0\.1 '
	before=$(net_counts b)
	[ -n "$before" ] || t_fail "no counters in B's -s network"
	send "$v" "$p" "$f9"
	sync_wait b -e 'src=10\.99\.0\.9 '
	got=$(net_counts b)
	want=$(bump Malformedmessages 2 <<<"$before" |
		bump Wrongprotocolversion 1 | bump Malformedpayload 1)
	[ "$want" != "$before" ] || t_fail "no such counters: $before"
	t_eq "B's -s network counters" "$got" "$want"
	t_eq "B's external cache" "$(sync_ctl b -e | grep -o 'src=10\.99\.0\.[0-9]* ' | sort | tr '\n' ' ')" \
		"src=10.99.0.1  src=10.99.0.9  "
	# shellcheck disable=SC2154 # sync_start sets it (printf -v)
	kill -0 "$SYNC_PID_b" 2>/dev/null || t_fail "B's daemon is gone"
}
case_malformed() { malformed ours; }
case_malformed_ref() { malformed ref; }

# ---- packing ------------------------------------------------------------------

# A's event socket gets room for the burst: the kernel sends 2000
# events faster than any reader takes them from the default buffer
# (the reference, SCHED_RR 99, loses some too).
packed() {
	local p0 p1
	two "$1" ours "NetlinkBufferSize 8388608
NetlinkBufferSizeMaxGrowth 16777216"
	p0=$(sync_stat a -- 'Pckts sent' 1)
	flows 2000 10.7
	sync_wait b -e 'src=10\.7\.' 2000
	p1=$(sync_stat a -- 'Pckts sent' 1)
	[ $((p1 - p0)) -lt 400 ] ||
		t_fail "2000 flows went out in $((p1 - p0)) datagrams"
	t_eq "A's internal cache" "$(sync_ctl a -i | grep -c 'src=10\.7\.')" 2000
}
case_packed_ftfw() { packed FTFW; }
case_packed_notrack() { packed NOTRACK; }

# ---- one datagram lost -----------------------------------------------------------

# drop_next: B's namespace drops the next datagram from A that carries
# more than control messages (over 40 bytes of payload).
drop_next() {
	ip netns exec "$NS_B" nft -f - 2>"$T_TMP/nft_err" <<'NFT' ||
table inet rawct {
	chain in {
		type filter hook input priority 0;
		ip saddr 10.77.0.1 udp dport 3780 udp length > 48 counter drop
	}
}
NFT
		t_skip "nft unavailable: $(tr '\n' ' ' <"$T_TMP/nft_err")"
}

# dropped: how many datagrams the rule dropped.
dropped() {
	ip netns exec "$NS_B" nft list table inet rawct 2>/dev/null |
		sed -n 's/.*counter packets \([0-9]*\) .*/\1/p'
}

one_dropped() {
	[ "$(dropped)" = 1 ]
}

# a_heard: A got something from B.
a_heard() {
	[ "$(sync_stat a -- 'Pckts recv' 4)" -gt 0 ]
}

# lost MODE IB WANT: one flow made on A while B drops the next datagram;
# then another flow; B counts WANT lost messages. FTFW gets the dropped
# flow again, and so does NOTRACK when B is ours (it asks for a resync
# on the gap); the reference's NOTRACK stays without it.
lost() {
	local n
	command -v nft >/dev/null 2>&1 || t_skip "nft is not installed"
	two "$1" "$2"
	if [ "$1" = FTFW ]; then
		# until A hears HELLO_BACK, its messages say HELLO and B
		# tracks no sequence (upstream's design): wait for B's
		# first message, then one more flow through
		sync_poll 3 a_heard ||
			t_fail "B never answered A"
		sync_canary 2
	fi
	drop_next
	sync_ct a -I -s 10.99.0.1 -d 10.2.2.2 -p udp --sport 1 --dport 2 -t 300 >/dev/null 2>&1
	sync_poll 5 one_dropped || t_fail "nothing dropped: $(dropped)"
	ip netns exec "$NS_B" nft delete table inet rawct
	sync_ct a -I -s 10.99.0.2 -d 10.2.2.2 -p udp --sport 1 --dport 2 -t 300 >/dev/null 2>&1
	sync_wait b -e 'src=10\.99\.0\.2 '
	n=$(sync_stat b network -- 'Packets lost:' NF)
	t_eq "Packets lost" "$n" "$3"
	if [ "$1" = FTFW ]; then
		sync_wait b -e 'src=10\.99\.0\.1 '
	elif [ "$2" = ours ]; then
		# NOTRACK, ours: B saw the gap and asked for a resync
		sync_wait b -e 'src=10\.99\.0\.1 ' 1 3
		grep -q 'messages from the other node were lost, asking for a resync' \
			"$T_TMP/b/log" || t_fail "B did not ask for a resync"
	else
		t_eq "the dropped flow on B" "$(sync_ctl b -e | grep -c 'src=10\.99\.0\.1 ')" 0
	fi
}
case_lost_notrack() { lost NOTRACK ours 1; }
case_lost_notrack_ref() { lost NOTRACK ref 3; }
case_lost_ftfw() { lost FTFW ours 1; }

# lossy_peer MODE: ours on B (NOTRACK) and notrack_peer.py MODE as the
# primary, with the flows F1-F4 (10.99.0.1-4); fails the case if the
# peer does.
lossy_peer() {
	local i f out
	command -v python3 >/dev/null || t_skip "no python3"
	[ -x "$SYNCTOOL" ] || t_fail "$SYNCTOOL missing (make build/netns/synctool)"
	sync_pair
	sync_conf b NOTRACK UDP
	sync_start b ours
	f=()
	for i in 1 2 3 4; do
		f+=("$("$SYNCTOOL" build seq=0 proto=17 src=10.99.0.$i dst=10.2.2.2 sport=1 dport=2 status=0x8 timeout=300)") ||
			t_fail "synctool build"
	done
	out=$(ip netns exec "$NS_A" python3 "$RAWCT_TOP/tests/netns/notrack_peer.py" \
		10.77.0.1 10.77.0.2 "$SYNC_PORT" "$1" "${f[@]}") ||
		t_fail "the peer: $out; B's log: $(grep -i resync "$T_TMP/b/log" | tr '\n' ' ')"
}

# lossy_answer mid|tail: a NOTRACK primary (tests/netns/notrack_peer.py)
# that loses a message, then one of the answer to the resync B asks for
# (mid: before the answer's last flow; tail: just before its ACK, which
# is what reveals the loss): B must not take the incomplete answer for
# the whole (it would drop F2, which the primary still has, as stale),
# but ask again; after the whole answer, F4, which the primary no longer
# has, is dropped and F1-F3 stay.
lossy_answer() {
	local i
	lossy_peer "$1"
	sync_poll 3 eval '[ "$(sync_ctl b -e | grep -c "src=10\.99\.0\.4 ")" = 0 ]' ||
		t_fail "F4, gone from the primary, stayed on B"
	for i in 1 2 3; do
		t_eq "F$i on B" "$(sync_ctl b -e | grep -c "src=10\.99\.0\.$i ")" 1
	done
	grep -q 'lost during the resync, asking again' "$T_TMP/b/log" ||
		t_fail "B did not say why it asked again"
	t_eq "sweeps" "$(grep -c 'resync from the other node complete' "$T_TMP/b/log")" 1
	grep -q 'resync from the other node complete, 1 stale entries dropped' \
		"$T_TMP/b/log" || t_fail "B's log: $(grep resync "$T_TMP/b/log" | tr '\n' ' ')"
}

# Every answer loses a message: B asks four times in a row, then gives
# up with a warning, and drops nothing (F2 stays, and so does F4).
case_notrack_lossy_giveup() {
	local i
	lossy_peer giveup
	grep -q 'incomplete after 4 requests, giving up' "$T_TMP/b/log" ||
		t_fail "no warning: $(grep -i resync "$T_TMP/b/log" | tr '\n' ' ')"
	t_eq "sweeps" "$(grep -c 'resync from the other node complete' "$T_TMP/b/log")" 0
	for i in 1 2 3 4; do
		t_eq "F$i on B" "$(sync_ctl b -e | grep -c "src=10\.99\.0\.$i ")" 1
	done
}
case_notrack_lossy_mid() { lossy_answer mid; }
case_notrack_lossy_tail() { lossy_answer tail; }

# A backup asks a NOTRACK primary of ours for a resync while the
# primary's start-up dump is still filling its internal cache (50000
# flows: the dump takes a good part of a second here): the bulk goes
# out, but not the ACK that would tell the backup its cache is complete
# (it would drop what the dump has not reached yet); a request after the
# dump gets both (tests/netns/notrack_peer.py early).
case_notrack_ack_after_dump() {
	local i n=50000 p
	command -v python3 >/dev/null || t_skip "no python3"
	sync_pair
	sync_conf a NOTRACK UDP
	for ((i = 0; i < n; i++)); do
		echo "-I -s 10.$((50 + i / 65536)).$((i / 256 % 256)).$((i % 256)) -d 10.2.2.2 -p udp --sport 1 --dport 2 -t 300"
	done >"$T_TMP/big"
	sync_ct a -R "$T_TMP/big" >/dev/null 2>&1 || t_fail "conntrack -R on A"
	ip netns exec "$NS_B" python3 "$RAWCT_TOP/tests/netns/notrack_peer.py" \
		10.77.0.2 10.77.0.1 "$SYNC_PORT" early "$n" >"$T_TMP/early" 2>&1 &
	p=$!
	sleep 0.3
	sync_start a ours
	wait "$p" || t_fail "$(tr '\n' ' ' <"$T_TMP/early")"
	[ "$(grep -c 'resync requested by other node' "$T_TMP/a/log")" -ge 2 ] ||
		t_fail "A answered $(grep -c 'resync requested' "$T_TMP/a/log") requests, want 2 or more"
}

# ---- FTFW's HELLO ------------------------------------------------------------

# ext_stat SIDE FIELD: "connections FIELD:" of SIDE's external cache.
ext_stat() {
	sync_ctl "$1" -s | awk -v f="$2" '/^cache external/ { e = 1 }
		e && $0 ~ "connections " f ":" { print $3; exit }'
}

# a_waiting N: A's resend queue holds N messages or more.
a_waiting() {
	[ "$(sync_ctl a -s queue | awk '/^queue rsqueue/ { q = 1 }
		q && /current elements/ { print $NF; exit }')" -ge "$1" ]
}

# A sends 1000 flows while B is not there: they wait in its resend
# queue. B starts on 1000 flows of its own and pushes them at once (-B):
# every message of that burst says HELLO, B having heard nothing of A
# yet. A sends its queue again once for that start of its peer, not
# once per message: B gets each of A's flows once (none replaced). B
# too sends its own again once, on A's first HELLO (A has not heard
# HELLO_BACK yet): A gets them twice at most.
case_hello_once() {
	local n big="NetlinkBufferSize 8388608
NetlinkBufferSizeMaxGrowth 16777216"
	sync_pair
	sync_conf a FTFW UDP "" "" "$big"
	sync_conf b FTFW UDP "" "" "$big"
	sync_start a ours
	flows 1000 10.7
	sync_poll 5 a_waiting 1000 ||
		t_fail "A's resend queue does not hold the flows"
	for ((i = 1; i <= 1000; i++)); do
		echo "-I -s 10.8.$((i / 250)).$((i % 250 + 1)) -d 10.2.2.2 -p udp --sport 1000 --dport 53 -t 300"
	done >"$T_TMP/bflows"
	sync_ct b -R "$T_TMP/bflows" >/dev/null 2>&1 || t_fail "conntrack -R on B"
	sync_start b ours
	sync_ctl b -B
	sync_wait b -e 'src=10\.7\.' 1000
	sync_wait a -e 'src=10\.8\.' 1000
	sleep 0.5
	t_eq "flows of A B replaced" "$(ext_stat b destroyed)" 0
	n=$(ext_stat a destroyed)
	[ "$n" -le 1000 ] || t_fail "B's 1000 flows replaced $n times on A"
}

# -B while the start-up dump still fills A's internal cache (a large
# table, -B right after the start), to a B that A's messages still greet
# with HELLO: the bulk waits for the dump's end and sends the whole table,
# and what B's socket drops of that burst is seen as a gap and sent
# again (B tracked no sequence while A said HELLO, and acknowledged what
# it never had: 23000-29000 of 30000 arrived).
case_bulk_during_dump() {
	local big="NetlinkBufferSize 8388608
NetlinkBufferSizeMaxGrowth 16777216"
	sync_pair
	sync_conf a FTFW UDP "" "" "$big"
	sync_conf b FTFW UDP "" "" "$big"
	flows 30000 10.7
	sync_start b ours
	sync_start a ours
	sync_ctl a -B
	sync_wait b -e 'src=10\.7\.' 30000 15
}

# A peer (tests/netns/ftfw_peer.py on B) that acknowledges nothing while
# 8 flows go out from A, whose ResendQueueSize is 4, then NACKs the first
# of them, long fallen out of the queue: A logs the overflow and "NACK for
# messages no longer queued: resync", and sends the whole cache (8 flow
# messages; the 4 lost states alone, which any message from the peer
# brings back, would not do). Upstream ignores such a NACK (spec 5).
case_ftfw_nack_lost() {
	local p out
	command -v python3 >/dev/null || t_skip "no python3"
	sync_pair
	sync_conf a FTFW UDP "ResendQueueSize 4"
	sync_start a ours
	ip netns exec "$NS_B" python3 "$RAWCT_TOP/tests/netns/ftfw_peer.py" \
		10.77.0.2 10.77.0.1 "$SYNC_PORT" 8 "$T_TMP/ready" \
		>"$T_TMP/peer" 2>&1 &
	p=$!
	CTD_PIDS="$CTD_PIDS $p"
	# what A sends before the peer listens is lost (and not sent
	# again: the peer says nothing that would ask for it)
	for _ in $(seq 100); do
		[ -e "$T_TMP/ready" ] && break
		sleep 0.05
	done
	[ -e "$T_TMP/ready" ] || t_fail "the peer did not start: $(cat "$T_TMP/peer")"
	flows 8 10.9
	wait "$p" || t_fail "the peer: $(cat "$T_TMP/peer"); A's log: $(tr '\n' ' ' <"$T_TMP/a/log")"
	out=$(cat "$T_TMP/peer")
	grep -q 'resend queue is full (ResendQueueSize 4)' "$T_TMP/a/log" ||
		t_fail "no overflow logged ($out)"
	grep -q 'NACK for messages no longer queued: resync' "$T_TMP/a/log" ||
		t_fail "no resync logged ($out): $(tr '\n' ' ' <"$T_TMP/a/log")"
	grep -q 'sending bulk update' "$T_TMP/a/log" || t_fail "no bulk logged"
}

t_case sync_malformed case_malformed
t_case sync_malformed_ref case_malformed_ref
t_case sync_packed_ftfw case_packed_ftfw
t_case sync_packed_notrack case_packed_notrack
t_case sync_lost_notrack case_lost_notrack
t_case sync_lost_notrack_ref case_lost_notrack_ref
t_case sync_lost_ftfw case_lost_ftfw
t_case sync_notrack_lossy_mid case_notrack_lossy_mid
t_case sync_notrack_lossy_tail case_notrack_lossy_tail
t_case sync_notrack_lossy_giveup case_notrack_lossy_giveup
t_case sync_notrack_ack_after_dump case_notrack_ack_after_dump
t_case sync_ftfw_hello_once case_hello_once
t_case sync_bulk_during_dump case_bulk_during_dump
t_case sync_ftfw_nack_lost case_ftfw_nack_lost
t_done
