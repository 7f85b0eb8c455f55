#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's Sync options and link options between two namespaces
# (ctd_lib.sh's sync_pair), seen where they take effect:
#  - TCPWindowTracking: a real TCP connection on A (ftp_rig.sh's, window
#    scaling on both ends) committed on B. On on both sides, B's flow has
#    A's window scales (B sets the WINDOW_SCALE flag with them: the kernel
#    drops scales without it, as it drops upstream's) and is not liberal;
#    off on A, none are sent; off (the default) on B, the flow is liberal
#    (BE_LIBERAL both ways), whatever A sends.
#  - Checksum off: A's datagrams carry a zero UDP checksum (nft counters
#    in B), B's (Checksum on, the default) do not; UDP and multicast
#    (TCP computes its own checksums whatever the socket says).
#    SndSocketBuffer/RcvSocketBuffer beyond net.core.wmem_max/rmem_max
#    are applied whole (SO_*BUFFORCE): ss shows twice the value on A's
#    sockets (UDP, multicast; TCP: the listener, the connection it took
#    and the client's connection).
#  - the TCP link toward a peer that does not listen: A's SYNs (a python
#    sniffer in B) come 0.1 s apart, then twice as far each time, up to
#    5 s apart and no more; B's daemon started then, A connects at the
#    next try and what A sent meanwhile arrives.
. "$(dirname "$0")/ctd_lib.sh"
T_CASE_TIMEOUT=${T_CASE_TIMEOUT:-120}
. "$(dirname "$0")/ftp_rig.sh"

t_prereq() {
	[ -x "$NLPROBE" ] || { echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"; return; }
	[ -x "$CTTOOL" ] || { echo "FAIL $CTTOOL missing (make build/netns/cttool)"; return; }
	[ -x "$CONNTRACKD" ] || echo "FAIL $CONNTRACKD missing (make all)"
}

# field LINE KEY: the value of KEY= in LINE.
field() {
	sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"
}

# ---- TCPWindowTracking ------------------------------------------------------

# wscale A_OPT B_OPT: TCPWindowTracking A_OPT on A and B_OPT on B (- for
# no Options block), FTFW over UDP; the ftp rig's connection on A, in
# B's external cache, committed. Sets SHOW_A and SHOW_B: its sync_show
# line on each side (A's must have nonzero window scales).
wscale() {
	local oa="" ob="" out
	[ "$1" = - ] || oa="Options { TCPWindowTracking $1 }"
	[ "$2" = - ] || ob="Options { TCPWindowTracking $2 }"
	sync_pair
	sync_conf a FTFW UDP "" "$oa"
	sync_conf b FTFW UDP "" "$ob"
	sync_start a ours
	sync_start b ours
	trap 'ftp_rig_stop; ctd_cleanup' EXIT
	ftp_rig_start "$NS_A"
	sync_wait b -e "sport=$FTP_RIG_CPORT dport=21 "
	out=$(sync_ctl b -c 2>&1) || t_fail "-c on B exited $?: $out"
	SHOW_A=$(sync_show a --proto 6 --sport "$FTP_RIG_CPORT")
	SHOW_B=$(sync_show b --proto 6 --sport "$FTP_RIG_CPORT")
	[ -n "$SHOW_B" ] || t_fail "the flow was not committed on B"
	case $(field "$SHOW_A" wscale) in
	- | 0,* | *,0) t_skip "A's connection has no window scales: $SHOW_A" ;;
	esac
	echo "A: $SHOW_A"
	echo "B: $SHOW_B"
}

# has_flag LINE BIT: BIT is set in both directions' flags of LINE.
has_flag() {
	local f o r
	f=$(field "$1" flags)
	[ "$f" != - ] || return 1
	o=${f%,*} r=${f#*,}
	[ $((o & $2)) != 0 ] && [ $((r & $2)) != 0 ]
}

# neither_flag LINE BIT: BIT is set in no direction (or no flags).
neither_flag() {
	local f o r
	f=$(field "$1" flags)
	[ "$f" != - ] || return 0
	o=${f%,*} r=${f#*,}
	[ $((o & $2)) = 0 ] && [ $((r & $2)) = 0 ]
}

case_wscale_on() {
	wscale on on
	t_eq "B's window scales" "$(field "$SHOW_B" wscale)" \
		"$(field "$SHOW_A" wscale)"
	has_flag "$SHOW_B" 0x01 || t_fail "no WINDOW_SCALE on B: $SHOW_B"
	neither_flag "$SHOW_B" 0x08 || t_fail "B's flow is liberal: $SHOW_B"
}

case_wscale_unsent() {
	wscale off on
	t_eq "B's window scales (none sent)" "$(field "$SHOW_B" wscale)" 0,0
	neither_flag "$SHOW_B" 0x08 || t_fail "B's flow is liberal: $SHOW_B"
}

case_wscale_liberal() {
	wscale on -
	has_flag "$SHOW_B" 0x08 || t_fail "B's flow is not liberal: $SHOW_B"
}

# ---- Checksum, socket buffers ------------------------------------------------

# udp_sums NS: "ZERO OTHER", the datagrams to port $SYNC_PORT that NS
# received with a zero UDP checksum and with another one.
udp_sums_setup() {
	ns_exec "$1" nft -f - 2>"$T_TMP/nft_err" <<EOF ||
table inet rawct {
	counter zero { }
	counter other { }
	chain pre {
		type filter hook prerouting priority -300;
		udp dport $SYNC_PORT udp checksum 0 counter name "zero"
		udp dport $SYNC_PORT udp checksum != 0 counter name "other"
	}
}
EOF
		t_skip "nft refused the counters: $(tr '\n' ' ' <"$T_TMP/nft_err")"
}
udp_sums() {
	local c n=""
	for c in zero other; do
		n="$n $(ns_exec "$1" nft list counter inet rawct "$c" |
			awk '/packets/ { print $2 }')"
	done
	echo "${n# }"
}

# skmem NS: a line per socket of NS: "local peer rbN tbN" (ss's skmem).
skmem() {
	ns_exec "$1" ss -Hantump 2>/dev/null | awk '
		$2 ~ /^(UNCONN|ESTAB|LISTEN)$/ { l = $5; p = $6; next }
		/skmem:/ {
			rb = $0; sub(/.*,rb/, "rb", rb); sub(/,.*/, "", rb)
			tb = $0; sub(/.*,tb/, "tb", tb); sub(/,.*/, "", tb)
			print l, p, rb, tb
		}'
}

# The buffer sizes asked of A's link: beyond the system's maxima, which
# only SO_SNDBUFFORCE/SO_RCVBUFFORCE pass.
SND=$(($(cat /proc/sys/net/core/wmem_max) + 65536))
RCV=$(($(cat /proc/sys/net/core/rmem_max) + 131072))

# bufs_want REGEX WHAT N: a socket of A's matching REGEX has WHAT (rb or
# tb) twice N (the kernel doubles what it is asked).
bufs_want() {
	grep -E -q -- "$1.* $2$(($3 * 2))( |$)" "$T_TMP/skmem" ||
		{ cp "$T_TMP/skmem" "$T_TMP/detail"; t_fail "no socket '$1' with $2$(($3 * 2)) on A"; }
}

# canary_back: a flow made on B reaches A's external cache.
canary_back() {
	sync_ct b -I -s 10.255.0.3 -d 10.255.0.2 -p udp --sport 1 --dport 7 \
		-t 300 >/dev/null 2>&1 || t_fail "cannot make B's flow"
	sync_wait a -e 'src=10\.255\.0\.3 '
}

# chan_opts TRANSPORT: A's link with Checksum off and the buffers above,
# B's with the defaults; the canary through and back.
chan_opts() {
	local sums
	sync_pair
	SYNC_CHAN_LINES="		SndSocketBuffer $SND
		RcvSocketBuffer $RCV
		Checksum off" sync_conf a FTFW "$1"
	sync_conf b FTFW "$1"
	udp_sums_setup "$NS_A"
	udp_sums_setup "$NS_B"
	sync_start a ours
	sync_start b ours
	sync_canary 1
	canary_back
	sums=$(udp_sums "$NS_B")
	if [ "${sums% *}" = 0 ] || [ "${sums#* }" != 0 ]; then
		t_fail "B got A's datagrams with checksums zero/other: $sums"
	fi
	sums=$(udp_sums "$NS_A")
	if [ "${sums% *}" != 0 ] || [ "${sums#* }" = 0 ]; then
		t_fail "A got B's datagrams with checksums zero/other: $sums"
	fi
	skmem "$NS_A" >"$T_TMP/skmem"
	cat "$T_TMP/skmem"
}

case_opts_udp() {
	chan_opts UDP
	bufs_want '^10\.77\.0\.1:3780 0\.0\.0\.0:\*' rb "$RCV"
	bufs_want '^10\.77\.0\.1:[0-9]+ 0\.0\.0\.0:\*' tb "$SND"
}

case_opts_mcast() {
	chan_opts MCAST
	bufs_want '^225\.0\.0\.50:3780 0\.0\.0\.0:\*' rb "$RCV"
	bufs_want '^0\.0\.0\.0:[0-9]+ 0\.0\.0\.0:\*' tb "$SND"
}

# TCP: B first, so that A's client connects at once, at start-up; with
# B last (late), A connects once it has dropped its privileges, through
# a socket its privileged process opened with the forced buffer.
opts_tcp() {
	sync_pair
	SYNC_CHAN_LINES="		SndSocketBuffer $SND
		RcvSocketBuffer $RCV" sync_conf a FTFW TCP
	sync_conf b FTFW TCP
	if [ "${1:-}" = late ]; then
		sync_start a ours
		sleep 0.5	# A's attempts fail meanwhile: B does not listen
		sync_start b ours
	else
		sync_start b ours
		sync_start a ours
	fi
	sync_canary 1
	canary_back
	skmem "$NS_A" >"$T_TMP/skmem"
	cat "$T_TMP/skmem"
	bufs_want '^10\.77\.0\.1:3780 0\.0\.0\.0:\*' rb "$RCV"
	bufs_want '^10\.77\.0\.1:3780 10\.77\.0\.2:' rb "$RCV"
	bufs_want '^10\.77\.0\.1:[0-9]+ 10\.77\.0\.2:3780' tb "$SND"
}

case_opts_tcp() { opts_tcp; }
case_opts_tcp_late() { opts_tcp late; }

# ---- the TCP link's reconnect wait ------------------------------------------

# syn_sniff: in B, a python AF_PACKET socket on vs0 writes the time of
# each SYN from A to port $SYNC_PORT to $T_TMP/syns, one a line.
syn_sniff() {
	command -v python3 >/dev/null 2>&1 || t_skip "python3 is not installed"
	ns_exec "$NS_B" python3 -c '
import os, socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind(("vs0", 0))
print("ready", os.getpid(), flush=True)
while True:
    f = s.recv(2048)[14:]
    if len(f) < 40 or f[9] != 6 or f[12:16] != bytes([10, 77, 0, 1]):
        continue
    t = f[(f[0] & 15) * 4:]
    if struct.unpack("!H", t[2:4])[0] == int(sys.argv[1]) and t[13] & 0x12 == 0x02:
        print("%.3f" % time.monotonic(), flush=True)
' "$SYNC_PORT" >"$T_TMP/syns" 2>&1 &
	CTD_PIDS="$CTD_PIDS $!"
	sync_poll 5 grep -q '^ready [0-9]' "$T_TMP/syns" ||
		t_fail "the sniffer did not start: $(cat "$T_TMP/syns")"
	# its own pid too: a python3 shim may have forked it
	CTD_PIDS="$CTD_PIDS $(awk '/^ready/ { print $2 }' "$T_TMP/syns")"
}

# syns: how many SYNs the sniffer saw; syns_ge N: at least N.
syns() {
	grep -c '^[0-9]' "$T_TMP/syns"
}
syns_ge() {
	[ "$(syns)" -ge "$1" ]
}

# syn_gaps: the gaps between A's SYNs, in ms, one a line.
syn_gaps() {
	awk '/^[0-9]/ { if (n++) printf "%d\n", ($1 - t) * 1000; t = $1 }' "$T_TMP/syns"
}

# A's link toward B that does not listen: the gaps 100, 200, ... 3200 ms,
# then 5000 (uncapped: 6400), each within 10 % below and 400 ms above
# (the loop's latency); B's daemon starts right after the 7th SYN, so the
# 8th connects: the canary made on A before reaches B's external cache.
case_tcp_backoff() {
	local g want=100 i=0
	sync_pair
	sync_conf a FTFW TCP
	sync_conf b FTFW TCP
	syn_sniff
	sync_start a ours
	sync_ct a -I -s 10.255.0.1 -d 10.255.0.2 -p udp --sport 1 --dport 7 \
		-t 300 >/dev/null 2>&1 || t_fail "cannot make the canary flow"
	sync_poll 10 syns_ge 7 ||
		t_fail "A tried $(syns) times in 10 s, want 7"
	sync_start b ours
	sync_wait b -e 'src=10\.255\.0\.1 ' "" 6
	syn_gaps | tee "$T_TMP/gaps"
	while read -r g; do
		i=$((i + 1))
		if [ "$g" -lt $((want * 9 / 10)) ] || [ "$g" -gt $((want + 400)) ]; then
			t_fail "gap $i is $g ms, want $want: $(tr '\n' ' ' <"$T_TMP/gaps")"
		fi
		want=$((want * 2 > 5000 ? 5000 : want * 2))
	done <"$T_TMP/gaps"
	[ "$i" -ge 7 ] || t_fail "only $i gaps: $(tr '\n' ' ' <"$T_TMP/gaps")"
}

t_case sync_opts_wscale_on case_wscale_on
t_case sync_opts_wscale_unsent case_wscale_unsent
t_case sync_opts_wscale_liberal case_wscale_liberal
t_case sync_opts_udp case_opts_udp
t_case sync_opts_mcast case_opts_mcast
t_case sync_opts_tcp case_opts_tcp
t_case sync_opts_tcp_late case_opts_tcp_late
t_case sync_opts_tcp_backoff case_tcp_backoff
t_done
