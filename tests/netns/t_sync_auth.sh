#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's authenticated sync (Sync { Authentication }, sync/auth.h)
# between two of our daemons: flows sync with it on, in FTFW and NOTRACK,
# over UDP, multicast and TCP, encrypted or not. Then a third namespace C
# on the sync link (a bridge in C joins A and B; C sees what crosses it)
# records A's frames and sends B forged, replayed (also after A and after
# B restarted), truncated, oversized, bit-flipped and wrong-key frames,
# plain upstream-format messages, and frames from an address not on the
# allow-list: B's caches and kernel table do not change and each is
# counted under its reason in `-s network' (a control frame sealed right
# does get in, so the path is live); genuine traffic still flows. Over
# TCP, a connection from an address not allowed, a bad frame and plain
# messages each close the connection, counted. Keys rotate (a second key
# on both, the sending key switched, the old one removed, each step a
# restart of both, then each step a SIGHUP) while flows are made, and
# nothing is lost. A node with
# authentication and one without do not sync, and both say why in their
# logs and counters.
. "$(dirname "$0")/ctd_lib.sh"
T_CASE_TIMEOUT=${T_CASE_TIMEOUT:-60}

FRAMETOOL=${FRAMETOOL:-$RAWCT_TOP/build/netns/frametool}
SYNCTOOL=${SYNCTOOL:-$RAWCT_TOP/build/netns/synctool}
PROBE=$RAWCT_TOP/tests/netns/auth_probe.py
KEY1=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
KEY2=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
KEYX=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')

t_prereq() {
	[ -x "$NLPROBE" ] || echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"
	[ -x "$CONNTRACKD" ] || echo "FAIL $CONNTRACKD missing (make all)"
	[ -x "$FRAMETOOL" ] || echo "FAIL $FRAMETOOL missing (make build/netns/frametool)"
	[ -x "$SYNCTOOL" ] || echo "FAIL $SYNCTOOL missing (make build/netns/synctool)"
	command -v python3 >/dev/null || echo "SKIP t_sync_auth: no python3"
}

# trio: A (10.77.0.1) and B (10.77.0.2) joined through a bridge in C
# (10.77.0.3, and 10.77.0.9 for TCP), each side's end named vs0 as
# sync_pair's; C's ports pa (A's) and pb (B's).
trio() {
	trap ctd_cleanup EXIT
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS_A
	ns_new NS_B
	ns_new NS_C
	ip -n "$NS_C" link add br0 type bridge mcast_snooping 0 ||
		t_skip "cannot create a bridge"
	ip link add vs0 netns "$NS_A" type veth peer name pa netns "$NS_C" ||
		t_skip "cannot create a veth pair"
	ip link add vs0 netns "$NS_B" type veth peer name pb netns "$NS_C"
	ip -n "$NS_C" link set pa master br0 up
	ip -n "$NS_C" link set pb master br0 up
	ip -n "$NS_C" addr add 10.77.0.3/24 dev br0
	ip -n "$NS_C" addr add 10.77.0.9/32 dev br0
	ip -n "$NS_C" link set br0 up
	ip -n "$NS_A" addr add 10.77.0.1/24 dev vs0
	ip -n "$NS_B" addr add 10.77.0.2/24 dev vs0
	ip -n "$NS_A" link set vs0 up
	ip -n "$NS_B" link set vs0 up
	for ns in "$NS_A" "$NS_B"; do
		ip -n "$ns" route add 224.0.0.0/4 dev vs0
	done
	ip -n "$NS_C" route add 224.0.0.0/4 dev br0
	ns_require_ctnetlink "$NS_A"
	ns_require_ctnetlink "$NS_B"
	mkdir -p "$T_TMP/a" "$T_TMP/b"
}

# keyfile SIDE LINES: the side's key file (root's, 0600).
keyfile() {
	printf '%b' "$2" >"$T_TMP/$1/key"
	chmod 600 "$T_TMP/$1/key"
}

# aconf SIDE MODE TRANSPORT on|off [PEERS] [MODE_LINES]: the side's
# configuration with authentication (Encrypt on|off), the key file
# written before (keyfile), PEERS the extra Peer lines.
aconf() {
	local peers=${5:-}
	[ "$3" = MCAST ] && [ -z "$peers" ] &&
		peers="Peer 10.77.0.$([ "$1" = a ] && echo 2 || echo 1)"
	sync_conf "$1" "$2" "$3" "${6:-}" "	Authentication {
		KeyFile $T_TMP/$1/key
		Encrypt $4
		$peers
	}"
}

# stat SIDE NAME: the counter NAME of SIDE's authentication block.
stat() {
	sync_ctl "$1" -s network 2>/dev/null | awk -v n="$2" '
		/^authentication/ { on = 1 }
		on && index($0, n) { print $NF; exit }'
}

# epoch SIDE ours|peer: an epoch from SIDE's -s network.
epoch() {
	local re='^\tepoch:'
	[ "$2" = peer ] && re='^\tpeer epoch:'
	sync_ctl "$1" -s network 2>/dev/null | awk -v re="$re" '$0 ~ re { print $(NF - ($0 ~ /peer/)); exit }'
}

# flow SIDE N: a udp flow 10.66.0.1:N -> 10.66.0.2:7 made on SIDE.
flow() {
	sync_ct "$1" -I -s 10.66.0.1 -d 10.66.0.2 -p udp --sport "$2" --dport 7 \
		-t 300 >/dev/null 2>&1 || t_fail "cannot make flow $2 on $1"
}

flow_re() { echo "src=10\.66\.0\.1 dst=10\.66\.0\.2 sport=$1 dport=7 "; }

# both_ways N: a flow made on each side reaches the other's -e.
both_ways() {
	sync_ct a -I -s 10.255.0.1 -d 10.255.0.2 -p udp --sport "$1" --dport 7 -t 300 >/dev/null 2>&1
	sync_ct b -I -s 10.255.0.2 -d 10.255.0.1 -p udp --sport "$1" --dport 7 -t 300 >/dev/null 2>&1
	sync_wait b -e "src=10\.255\.0\.1 dst=10\.255\.0\.2 sport=$1 " 1 5
	sync_wait a -e "src=10\.255\.0\.2 dst=10\.255\.0\.1 sport=$1 " 1 5
}

# ---- flows sync with authentication on -----------------------------------

sync_on() {
	local mode=$1 tr=$2 enc=$3
	sync_pair
	keyfile a "1 $KEY1 send\n"
	keyfile b "1 $KEY1 send\n"
	aconf a "$mode" "$tr" "$enc"
	aconf b "$mode" "$tr" "$enc"
	sync_start a ours
	sync_start b ours
	both_ways 1
	[ "$(stat b 'Frames accepted')" -gt 0 ] || t_fail "B counted no frame"
	[ "$(stat b 'Bad tag')" = 0 ] || t_fail "B counted bad tags"
	local want="on"
	[ "$enc" = on ] && want="on, encrypted"
	sync_ctl b -s network 2>/dev/null | grep -q "^authentication ($want):" ||
		t_fail "B's -s network does not say authentication ($want)"
	sync_ctl b -s json 2>/dev/null | grep -q '"auth":{"on":true' ||
		t_fail "B's -s json has no auth object"
}
for m in FTFW NOTRACK ALARM; do
	for tr in UDP MCAST TCP; do
		e=on
		[ "$m$tr" = NOTRACKUDP ] || [ "$m$tr" = FTFWMCAST ] ||
			[ "$m$tr" = ALARMTCP ] && e=off
		eval "case_on_${m}_$tr() { sync_on $m $tr $e; }"
		t_case "auth_sync_${m,,}_${tr,,}_encrypt_$e" "case_on_${m}_$tr"
	done
done

# ---- a third node on a datagram link ---------------------------------------

# inject KIND HEX...: C sends the datagrams with A's address as source
# (KIND spoof) or its own (KIND own) to B (UDP) or the group.
inject() {
	local src=10.77.0.1 dst=$DST
	[ "$1" = own ] && src=10.77.0.3
	shift
	ip netns exec "$NS_C" python3 "$PROBE" send "$src" "$dst" "$SYNC_PORT" "$@" ||
		t_fail "cannot inject"
}

# ext_created: flows B's external cache took in so far; ext_grew N: more.
ext_created() {
	sync_ctl b -s 2>/dev/null |
		awk '/^cache external/ { e = 1 } e && /connections created/ { print $3; exit }'
}
ext_grew() { [ "$(ext_created)" -gt "$1" ]; }

# b_same: B's caches and kernel table are what they were (snapshot).
snap() {
	{ sync_ctl b -e; sync_ctl b -i; sync_ct b -L; } 2>/dev/null |
		grep -v 'src=10\.255\.0\.' | sed -E 's/ [0-9]+ (ESTABLISHED|src)/ \1/' |
		sync_tuples
}
b_same() {
	sleep 0.3
	snap >"$T_TMP/now"
	diff -u "$T_TMP/before" "$T_TMP/now" >"$T_TMP/detail" ||
		t_fail "$1 changed B's caches or kernel table"
}

# counted NAME N WHAT: B's counter NAME grew by N since `mark NAME'.
declare -A MARK
mark() { MARK[$1]=$(stat b "$1"); }
counted() {
	local now
	now=$(stat b "$1")
	[ "$now" = $((MARK[$1] + $2)) ] ||
		t_fail "$3: '$1' is $now, want $((MARK[$1] + $2))"
}

# seal SEQ KEYID KEY ECHO PAYLOAD: a frame of A's epoch.
seal() {
	"$FRAMETOOL" seal "$2" "$3" "$EPOCH_A" "$4" "$1" enc "$5"
}

attack_dgram() {
	local tr=$1 caught n ctnew frame seq made
	trio
	DST=10.77.0.2
	[ "$tr" = MCAST ] && DST=$SYNC_GROUP
	keyfile a "1 $KEY1 send\n"
	keyfile b "1 $KEY1 send\n"
	aconf a NOTRACK "$tr" on
	aconf b NOTRACK "$tr" on
	sync_start a ours
	sync_start b ours
	both_ways 1
	# C records A's frames while flow 100 comes and goes on A
	ip netns exec "$NS_C" python3 "$PROBE" sniff pa "$SYNC_PORT" 2 "$T_TMP/cap" &
	sleep 0.4
	flow a 100
	sync_wait b -e "$(flow_re 100)" 1 5
	sync_ct a -D -s 10.66.0.1 -p udp --sport 100 >/dev/null 2>&1
	sync_wait b -e "$(flow_re 100)" 0 5
	wait $!
	awk '$1 == "10.77.0.1" { print $3 }' "$T_TMP/cap" | grep '^43544453' >"$T_TMP/frames"
	n=$(wc -l <"$T_TMP/frames")
	[ "$n" -ge 2 ] || t_fail "C recorded $n frames of A"
	caught=$(head -n 1 "$T_TMP/frames")
	EPOCH_A=$(epoch b peer)
	EPOCH_B=$(epoch b ours)
	seq=$(($(stat a 'Frames sealed') + 500))
	ctnew=$("$SYNCTOOL" build seq=1 src=10.66.9.9 dst=10.66.9.8 proto=17 sport=9 dport=9 timeout=300)
	snap >"$T_TMP/before"

	mark Replayed
	# shellcheck disable=SC2046
	inject spoof $(cat "$T_TMP/frames")
	counted Replayed "$n" "A's recorded frames"
	b_same "a replay"
	sync_has b -e "$(flow_re 100)" 0 || t_fail "the replay brought flow 100 back"

	mark 'Bad tag'
	frame=$(seal "$seq" 1 "$KEY1" "$EPOCH_B" "$ctnew")
	inject spoof "${frame:0:200}ff${frame:202}"	# a bit flipped
	inject spoof "${frame:0:${#frame}-32}$(printf '0%.0s' $(seq 32))"	# forged tag
	inject spoof "$(seal $((seq + 1)) 1 "$KEYX" "$EPOCH_B" "$ctnew")"	# wrong key
	counted 'Bad tag' 3 "flipped, forged, wrong-key frames"
	mark 'Unknown key'
	inject spoof "$(seal $((seq + 2)) 9 "$KEY1" "$EPOCH_B" "$ctnew")"
	counted 'Unknown key' 1 "a frame of key 9"
	mark 'Malformed frame'
	inject spoof "${caught:0:${#caught}-20}" "${caught}00112233445566778899"
	counted 'Malformed frame' 2 "truncated and oversized frames"
	mark Unauthenticated
	inject spoof "$ctnew"
	counted Unauthenticated 1 "a plain upstream message"
	mark 'Not allowed'
	inject own "$(seal $((seq + 3)) 1 "$KEY1" "$EPOCH_B" "$ctnew")"
	counted 'Not allowed' 1 "a frame from 10.77.0.3"
	b_same "forged frames"

	# the control: sealed right, it gets in. Counted, not looked for: its
	# sequence number jumps, so NOTRACK asks A for a resync, which drops
	# the flow again (A never had it), at times before a look finds it
	made=$(ext_created)
	inject spoof "$(seal $((seq + 4)) 1 "$KEY1" "$EPOCH_B" "$ctnew")"
	sync_poll 3 ext_grew "$made" ||
		t_fail "the control frame's flow never reached B's external cache"
	sync_ctl b -f external >/dev/null 2>&1

	# A restarts: its recorded frames are of a stale epoch
	sync_stop a
	sync_start a ours
	both_ways 2
	snap >"$T_TMP/before"
	mark 'Stale epoch'
	# shellcheck disable=SC2046
	inject spoof $(cat "$T_TMP/frames")
	counted 'Stale epoch' "$n" "A's frames after A restarted"
	b_same "a replay after A restarted"

	# B restarts: no recorded frame echoes its new epoch
	sync_stop b
	sync_start b ours
	both_ways 3
	snap >"$T_TMP/before"
	mark 'Stale epoch'
	mark 'Stale echo'
	mark Replayed
	# shellcheck disable=SC2046
	inject spoof $(cat "$T_TMP/frames")
	b_same "a replay after B restarted"
	[ $(($(stat b 'Stale epoch') + $(stat b 'Stale echo') + $(stat b Replayed) -
		MARK['Stale epoch'] - MARK['Stale echo'] - MARK[Replayed])) = "$n" ] ||
		t_fail "the replay after B restarted is not counted whole"
	sync_has b -e "$(flow_re 100)" 0 || t_fail "the replay brought flow 100 back"
	both_ways 4
}
case_attack_udp() { attack_dgram UDP; }
case_attack_mcast() { attack_dgram MCAST; }
t_case auth_third_node_udp case_attack_udp
t_case auth_third_node_multicast case_attack_mcast

# ---- a third node on a TCP link ------------------------------------------

attack_tcp() {
	local frame ctnew out
	trio
	keyfile a "1 $KEY1 send\n"
	keyfile b "1 $KEY1 send\n"
	aconf a FTFW TCP on
	# B also allows 10.77.0.9, which C takes to speak TCP to it
	aconf b FTFW TCP on "Peer 10.77.0.1
		Peer 10.77.0.9"
	sync_start a ours
	sync_start b ours
	both_ways 1
	EPOCH_A=$(epoch b peer)
	EPOCH_B=$(epoch b ours)
	ctnew=$("$SYNCTOOL" build seq=1 src=10.66.9.9 dst=10.66.9.8 proto=17 sport=9 dport=9 timeout=300)
	snap >"$T_TMP/before"
	mark 'Not allowed'
	ip netns exec "$NS_C" python3 "$PROBE" tcp 10.77.0.3 10.77.0.2 "$SYNC_PORT" "$ctnew" >/dev/null 2>&1
	counted 'Not allowed' 1 "a connection from 10.77.0.3"
	# from the allowed 10.77.0.9
	mark Unauthenticated
	out=$(ip netns exec "$NS_C" python3 "$PROBE" tcp 10.77.0.9 10.77.0.2 "$SYNC_PORT" "$ctnew")
	[ "$out" = closed ] || t_fail "plain messages did not close the connection"
	counted Unauthenticated 1 "plain messages on TCP"
	mark 'Bad tag'
	frame=$(seal 99999 1 "$KEY1" "$EPOCH_B" "$ctnew")
	out=$(ip netns exec "$NS_C" python3 "$PROBE" tcp 10.77.0.9 10.77.0.2 "$SYNC_PORT" "${frame:0:200}ff${frame:202}")
	[ "$out" = closed ] || t_fail "a bad frame did not close the connection"
	counted 'Bad tag' 1 "a bit-flipped frame on TCP"
	b_same "the TCP attacks"
	# A reconnects (C's connections replaced its own) and flows go on
	both_ways 2
}
t_case auth_third_node_tcp attack_tcp

# ---- key rotation while flows are made --------------------------------------

# restart_both: B then A, each with its new key file.
restart_both() {
	sync_stop b
	sync_start b ours
	sync_stop a
	sync_start a ours
}

# hup SIDE N: SIGHUP to SIDE's daemon, then its Nth "key file reloaded".
hup() {
	local v="SYNC_PID_$1"
	kill -HUP "${!v}"
	for _ in $(seq 1 250); do
		[ "$(grep -c 'key file reloaded' "$T_TMP/$1/log")" -ge "$2" ] &&
			return 0
		sleep 0.02
	done
	t_fail "$1 did not reload its key file: $(tail -n 2 "$T_TMP/$1/log")"
}

# rotate STEP [B_GENERAL]: both sides start with key 1, then while A
# makes a flow every 20 ms: key 2 added, key 2 sending, key 1 removed,
# each step followed by STEP N (restart_both, or hup of both for the
# Nth time). B_GENERAL goes into B's General. Fails unless every flow
# made reached B and no side saw an unknown key.
rotate() {
	local step=$1 i=10 maker
	sync_pair
	keyfile a "1 $KEY1 send\n"
	keyfile b "1 $KEY1 send\n"
	aconf a FTFW UDP on
	aconf b FTFW UDP on
	[ -z "${2:-}" ] || sed -i "s/^\tUNIX {/\t$2\n&/" "$T_TMP/b/c.conf"
	sync_start a ours
	sync_start b ours
	both_ways 1
	( while :; do
		sync_ct a -I -s 10.66.0.1 -d 10.66.0.2 -p udp --sport $i \
			--dport 7 -t 300 >/dev/null 2>&1
		i=$((i + 1))
		sleep 0.02
	done ) &
	maker=$!
	keyfile a "1 $KEY1 send\n2 $KEY2\n"
	keyfile b "1 $KEY1 send\n2 $KEY2\n"
	$step 1
	keyfile a "1 $KEY1\n2 $KEY2 send\n"
	keyfile b "1 $KEY1\n2 $KEY2 send\n"
	$step 2
	keyfile a "2 $KEY2 send\n"
	keyfile b "2 $KEY2 send\n"
	$step 3
	sleep 0.5
	kill "$maker"
	wait "$maker" 2>/dev/null
	both_ways 2
	sync_ct a -L 2>/dev/null | grep 'src=10\.66\.' | sync_tuples >"$T_TMP/want_ext"
	[ "$(wc -l <"$T_TMP/want_ext")" -ge 10 ] || t_fail "too few flows made: $(wc -l <"$T_TMP/want_ext") $(sync_ct a -L 2>&1 | head -3)"
	sync_poll 10 same_a_b || {
		diff -u "$T_TMP/want_ext" "$T_TMP/ext" >"$T_TMP/detail"
		t_fail "B's external cache lost flows in the key change"
	}
	[ "$(stat b 'Unknown key')" = 0 ] || t_fail "B saw unknown keys"
	[ "$(stat a 'Unknown key')" = 0 ] || t_fail "A saw unknown keys"
}
same_a_b() {
	sync_ctl b -e 2>/dev/null | grep 'src=10\.66\.' | sync_tuples >"$T_TMP/ext"
	cmp -s "$T_TMP/want_ext" "$T_TMP/ext"
}
rotation() { rotate restart_both; }
t_case auth_key_rotation rotation

# The same rotation without a restart: each step a SIGHUP, A under
# privilege separation (its root parent reads the file for the child),
# B one process (Privsep { Separate off }). Neither daemon restarted, A
# seals with key 2 in the end, and a key file refused on reload leaves
# the keys in use.
hup_both() { hup b "$1"; hup a "$1"; }
rotation_live() {
	local pa pb
	rotate hup_both "Privsep { Separate off }"
	pa=$SYNC_PID_a pb=$SYNC_PID_b
	grep -q 'key file reloaded: 1 keys, sealing with key 2' "$T_TMP/a/log" ||
		t_fail "A's log: $(grep 'key file' "$T_TMP/a/log")"
	grep -c 'initialization completed' "$T_TMP/a/log" "$T_TMP/b/log" |
		grep -qv ':1$' && t_fail "a daemon restarted"
	chmod 644 "$T_TMP/b/key"
	kill -HUP "$pb"
	for _ in $(seq 1 250); do
		grep -q 'key file not reloaded, the keys in use stay' \
			"$T_TMP/b/log" && break
		sleep 0.02
	done
	grep -q 'key file not reloaded, the keys in use stay' "$T_TMP/b/log" ||
		t_fail "B did not refuse its key file: $(tail -n 2 "$T_TMP/b/log")"
	both_ways 3
	kill -0 "$pa" "$pb" || t_fail "a daemon ended"
}
t_case auth_key_rotation_live rotation_live

# ---- one side on, the other off -------------------------------------------

mixed() {
	sync_pair
	keyfile a "1 $KEY1 send\n"
	aconf a FTFW UDP on
	sync_conf b FTFW UDP
	sync_start a ours
	sync_start b ours
	sync_ct a -I -s 10.255.0.1 -d 10.255.0.2 -p udp --sport 1 --dport 7 -t 300 >/dev/null 2>&1
	sync_ct b -I -s 10.255.0.2 -d 10.255.0.1 -p udp --sport 1 --dport 7 -t 300 >/dev/null 2>&1
	sync_poll 5 eval '[ "$(stat b "Frame while off")" -gt 0 ] && [ "$(stat a Unauthenticated)" -gt 0 ]' ||
		t_fail "the mixed pair did not count its refusals"
	sleep 0.5
	sync_has b -e 'src=10\.255\.' 0 || t_fail "B took A's flow"
	sync_has a -e 'src=10\.255\.' 0 || t_fail "A took B's flow"
	grep -q 'authentication is off on this node' "$T_TMP/b/log" ||
		t_fail "B did not log why"
	grep -q 'without authentication, which this node requires' "$T_TMP/a/log" ||
		t_fail "A did not log why"
	sync_ctl b -s json 2>/dev/null | grep -q '"auth":{"on":false' ||
		t_fail "B's -s json does not say auth is off"
}
t_case auth_mixed_pair mixed

# Encrypt on one side only: the one that encrypts takes no clear frame,
# so neither side syncs, and it counts and logs why.
mixed_encrypt() {
	sync_pair
	keyfile a "1 $KEY1 send\n"
	keyfile b "1 $KEY1 send\n"
	aconf a FTFW UDP on
	aconf b FTFW UDP off
	sync_start a ours
	sync_start b ours
	sync_ct a -I -s 10.255.0.1 -d 10.255.0.2 -p udp --sport 1 --dport 7 -t 300 >/dev/null 2>&1
	sync_ct b -I -s 10.255.0.2 -d 10.255.0.1 -p udp --sport 1 --dport 7 -t 300 >/dev/null 2>&1
	sync_poll 5 eval '[ "$(stat a "Not encrypted")" -gt 0 ]' ||
		t_fail "A did not count B's clear frames"
	sleep 0.5
	sync_has b -e 'src=10\.255\.' 0 || t_fail "B took A's flow"
	sync_has a -e 'src=10\.255\.' 0 || t_fail "A took B's flow"
	[ "$(stat a 'Frames accepted')" = 0 ] || t_fail "A accepted a frame"
	grep -q 'Not encrypted' "$T_TMP/a/log" || t_fail "A did not log why"
}
t_case auth_mixed_encrypt mixed_encrypt

t_done
