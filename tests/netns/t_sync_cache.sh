#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's Sync mode between two namespaces (ctd_lib.sh's sync_pair),
# what the caches do on request: a node started on a table that already
# has flows sends none of them until the peer asks (-n), we push (-B: a
# large one paced by the peer's acknowledgements, ours or upstream's) or
# the peer starts with StartupResync, as upstream; DisableExternalCache
# puts what arrives straight into the kernel and counts it under
# "external inject:"; DisableInternalCache (NOTRACK) sends each event as
# it comes, counts it under "internal bypass:", and -B sends the kernel
# table; CommitTimeout, or without it the timeout sent less the age, on
# committed flows; -t flushes B's kernel PurgeTimeout seconds later
# unless -c or -f comes first; -c then -f works (upstream 1.4.7 refuses
# the flush, spec 5) and -c commits expectations with ExpectationSync;
# the order of -i and -e, which each process's hash key decides.
. "$(dirname "$0")/ctd_lib.sh"
T_CASE_TIMEOUT=${T_CASE_TIMEOUT:-120}
. "$(dirname "$0")/ftp_rig.sh"

# flows N NET: N udp flows NET.0.i -> 10.2.2.2 on A, in one -R batch.
flows() {
	local i
	for ((i = 1; i <= $1; i++)); do
		echo "-I -s $2.$((i / 250)).$((i % 250 + 1)) -d 10.2.2.2 -p udp --sport 1000 --dport 53 -t 300"
	done >"$T_TMP/flows"
	sync_ct a -R "$T_TMP/flows" >/dev/null 2>&1 || t_fail "conntrack -R on A"
}

# ext_count SIDE REGEX: lines of SIDE's external cache matching REGEX.
ext_count() {
	sync_ctl "$1" -e 2>/dev/null | grep -c -E -- "$2"
}

# two MODE TR IA IB [A_MODE_LINES [B_MODE_LINES]]: both sides configured
# and started, the canary through.
two() {
	sync_pair
	if [ "$3" = ref ] || [ "$4" = ref ]; then
		sync_need_ref
	fi
	sync_conf a "$1" "$2" "${5:-}"
	sync_conf b "$1" "$2" "${6:-}"
	sync_start a "$3"
	sync_start b "$4"
	sync_canary 1
}

# ---- resync -----------------------------------------------------------

# before MODE IA IB [B_MODE_LINES]: A's table has 50 flows before A
# starts; B starts; the canary goes through, the 50 do not.
before() {
	sync_pair
	if [ "$2" = ref ] || [ "$3" = ref ]; then
		sync_need_ref
	fi
	flows 50 10.5
	sync_conf a "$1" UDP
	sync_conf b "$1" UDP "${4:-}"
	sync_start a "$2"
	sync_start b "$3"
}

# not_sent: the canary made it, the 50 flows A started on did not.
not_sent() {
	sync_canary 1
	t_eq "flows B got before anything asked" "$(ext_count b 'src=10\.5\.')" 0
}

resync_n() {
	before "$1" "$2" "$3"
	not_sent
	sync_ctl b -n || t_fail "-n on B failed"
	sync_wait b -e 'src=10\.5\.' 50
	grep -q 'resync requested by other node' "$T_TMP/a/log" ||
		t_fail "A did not log the request"
}

bulk_B() {
	before "$1" ours ours
	not_sent
	sync_ctl a -B || t_fail "-B on A failed"
	sync_wait b -e 'src=10\.5\.' 50
	grep -q 'sending bulk update' "$T_TMP/a/log" || t_fail "A did not log the bulk"
}

# bulk_paced IB [B_MODE_LINES]: a -B of 10000 flows, more than the 4096
# messages A's paced bulk sends before it waits for the peer's
# acknowledgements (it only hears them once it waits): B (IB's daemon)
# gets every one, also when B acknowledges only every 20000 (A's waits
# end on their timer, each doubling the window). Both ends have the
# buffers of upstream's example: a window is some 240 datagrams, more
# than a default receive buffer (rmem_default) holds, and the
# reference's FTFW NACKs a gap once (a resend lost again is lost).
bulk_paced() {
	local SYNC_CHAN_LINES="SndSocketBuffer 1249280
		RcvSocketBuffer 1249280"
	sync_pair
	[ "$1" = ref ] && sync_need_ref
	flows 10000 10.6
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP "${2:-}"
	sync_start a ours
	sync_start b "$1"
	sync_canary 1
	sync_ctl a -B || t_fail "-B on A failed"
	sync_wait b -e 'src=10\.6\.' 10000
}

# resync_small_rsq IB: B (IB's daemon) asks A, with a ResendQueueSize
# of 1000 and 20000 flows, for a resync (-n). A's bulk is paced by B's
# acknowledgements within three quarters of its queue: B gets every flow
# from one bulk, nothing falls out of A's queue, B counts no loss.
# Upstream sends the 20000 at once: B's default receive buffer drops
# most, its NACKs name messages long out of A's queue, and each asks for
# another bulk (13 of them here before the fix).
resync_small_rsq() {
	local n
	sync_pair
	[ "$1" = ref ] && sync_need_ref
	flows 20000 10.6
	sync_conf a FTFW UDP "ResendQueueSize 1000"
	sync_conf b FTFW UDP
	sync_start a ours
	sync_start b "$1"
	sync_canary 1
	sync_ctl b -n || t_fail "-n on B failed"
	sync_wait b -e 'src=10\.6\.' 20000
	n=$(grep -c 'sending bulk update' "$T_TMP/a/log")
	t_eq "bulks A sent" "$n" 1
	if grep 'resend queue is full' "$T_TMP/a/log"; then
		t_fail "A's resend queue overflowed"
	fi
	t_eq "B's lost messages" "$(sync_ctl b -s network |
		awk '/Packets lost:/ { print $3 }')" 0
}

# A -B of 30000 flows to a B whose receive buffer holds some 13
# datagrams (RcvSocketBuffer 16384), far less than A's first window
# (1024 messages, a quarter of the window, some 60 datagrams): B drops,
# NACKs the gaps, A halves its window for the rest of the bulk at each
# NACK down to 600 (twice the ACK window), logged, and B gets every
# flow.
case_bulk_nack_halves() {
	local SYNC_CHAN_LINES="RcvSocketBuffer 16384"
	sync_pair
	flows 30000 10.6
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP
	sync_start a ours
	sync_start b ours
	sync_canary 1
	sync_ctl a -B || t_fail "-B on A failed"
	sync_wait b -e 'src=10\.6\.' 30000
	grep -q 'the peer missed messages: bulk paced at 600 unacknowledged' \
		"$T_TMP/a/log" || t_fail "A did not halve its window to 600"
}

startup_resync() {
	before "$1" ours ours "StartupResync on"
	sync_wait b -e 'src=10\.5\.' 50
}

case_resync_n_ftfw() { resync_n FTFW ours ours; }
case_resync_n_notrack() { resync_n NOTRACK ours ours; }
case_resync_n_ftfw_ours_ref() { resync_n FTFW ours ref; }
case_resync_n_ftfw_ref_ours() { resync_n FTFW ref ours; }
case_bulk_ftfw() { bulk_B FTFW; }
case_bulk_notrack() { bulk_B NOTRACK; }
case_bulk_paced() { bulk_paced ours; }
case_bulk_paced_ours_to_ref() { bulk_paced ref; }
case_bulk_paced_late_acks() { bulk_paced ours "ACKWindowSize 20000"; }
case_resync_small_rsq() { resync_small_rsq ours; }
case_resync_small_rsq_ours_to_ref() { resync_small_rsq ref; }
case_startup_resync_ftfw() { startup_resync FTFW; }
case_startup_resync_notrack() { startup_resync NOTRACK; }

# ---- DisableExternalCache ----------------------------------------------

# inject MODE IB [IA]: B (ours or the reference) injects what A (ours,
# or IA) sends: new flows, an update, a deletion; -s counts them under
# "external inject:".
inject() {
	local out
	sync_pair
	[ "$2" = ours ] && [ "${3:-ours}" = ours ] || sync_need_ref
	sync_conf a "$1" UDP
	sync_conf b "$1" UDP "DisableExternalCache on"
	sync_start a "${3:-ours}"
	sync_start b "$2"
	sync_canary 1 kernel
	sync_ct a -I -s 10.6.0.1 -d 10.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED -u ASSURED,SEEN_REPLY -m 1 -t 300 >/dev/null 2>&1
	sync_ct a -I -s 10.6.0.2 -d 10.2.2.2 -p udp --sport 3 --dport 4 -t 300 >/dev/null 2>&1
	sync_ct a -I -s 10.6.0.3 -d 10.2.2.2 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 5 -t 300 >/dev/null 2>&1
	sync_wait b kernel 'src=10\.6\.0\.' 3
	sync_wait b kernel '^tcp .*ESTABLISHED src=10\.6\.0\.1 .* mark=1 '
	sync_ct a -U -s 10.6.0.1 -m 5 >/dev/null 2>&1 || t_fail "conntrack -U on A"
	sync_wait b kernel '^tcp .*ESTABLISHED src=10\.6\.0\.1 .* mark=5 '
	sync_ct a -D -s 10.6.0.2 >/dev/null 2>&1 || t_fail "conntrack -D on A"
	sync_wait b kernel 'src=10\.6\.0\.' 2
	out=$(sync_ctl b -s | sed -n '/^external inject:/,/^$/p')
	t_eq "-s on B" "$out" "external inject:
connections created:		           4	failed:	           0
connections updated:		           1	failed:	           0
connections destroyed:		           1	failed:	           0"
	t_eq "-e on B" "$(sync_ctl b -e)" ""
	out=$(sync_ctl b -c 2>&1) || t_fail "-c on B: $out"
	t_eq "-c on B" "$out" ""
}

# What the kernel refuses of a batch of injections is done again, one
# request at a time, as upstream does each: a new flow that B has (its
# own, mark 9) is deleted and created again as A's; an update of a flow
# B lost creates it; a burst of 600 new flows, 200 of which B has,
# arrives whole, in A's version. Nothing counted as failed. A is ours,
# or IA (the reference's datagrams, packed as well during a burst).
inject_refused() {
	local f=$T_TMP/burst i out big="NetlinkBufferSize 4194304
	NetlinkBufferSizeMaxGrowth 8388608"
	sync_pair
	[ "${1:-ours}" = ours ] || sync_need_ref
	# buffers the bursts fit in: an overrun's resync (the reference's
	# after NetlinkOverrunResync, 10 s) is not what this is about
	sync_conf a FTFW UDP "" "" "$big"
	sync_conf b FTFW UDP "DisableExternalCache on" "" "$big"
	sync_start a "${1:-ours}"
	sync_start b ours
	sync_canary 1 kernel
	sync_ct b -I -s 10.6.0.1 -d 10.2.2.2 -p udp --sport 1 --dport 2 -m 9 -t 300 >/dev/null 2>&1 ||
		t_fail "cannot make B's flow"
	sync_ct a -I -s 10.6.0.1 -d 10.2.2.2 -p udp --sport 1 --dport 2 -m 1 -t 300 >/dev/null 2>&1
	sync_wait b kernel 'src=10\.6\.0\.1 .* mark=1 '
	sync_ct a -I -s 10.6.0.2 -d 10.2.2.2 -p udp --sport 3 --dport 4 -m 1 -t 300 >/dev/null 2>&1
	sync_wait b kernel 'src=10\.6\.0\.2 '
	sync_ct b -D -s 10.6.0.2 >/dev/null 2>&1 || t_fail "cannot delete B's copy"
	sync_ct a -U -s 10.6.0.2 -m 7 >/dev/null 2>&1 || t_fail "conntrack -U on A"
	sync_wait b kernel 'src=10\.6\.0\.2 .* mark=7 '
	for i in $(seq 0 599); do
		echo "-I -s 10.8.$((i / 200)).$((i % 200 + 1)) -d 10.2.2.2 -p udp --sport 7 --dport 8 -m 3 -t 300"
	done >"$f"
	sed -n '1~3p' "$f" | sed 's/-m 3/-m 9/' >"$f.b"
	sync_ct b -R "$f.b" >/dev/null 2>&1 || t_fail "cannot make B's 200 flows"
	sync_ct a -R "$f" >/dev/null 2>&1 || t_fail "cannot make A's 600 flows"
	sync_wait b kernel 'src=10\.8\..* mark=3 ' 600
	# (a burst may bring resent updates too: the failures are what counts)
	out=$(sync_ctl b -s | sed -n '/^external inject:/,/^$/p')
	t_eq "failures in B's -s" "$(awk '/failed:/ { f += $NF } END { print f + 0 }' <<<"$out")" 0
	[ "$(awk '/created:/ { print $3 }' <<<"$out")" -ge 603 ] ||
		t_fail "B's -s: $out"
	t_eq "B's flow A updated" "$(sync_ct b -L 2>/dev/null | grep -c 'src=10\.6\.0\.2 .* mark=7 ')" 1
	t_eq "B's flow A made too" "$(sync_ct b -L 2>/dev/null | grep -c 'src=10\.6\.0\.1 .* mark=1 ')" 1
}

case_inject_refused() { inject_refused; }
case_inject_refused_from_ref() { inject_refused ref; }
case_inject_ftfw() { inject FTFW ours; }
case_inject_notrack() { inject NOTRACK ours; }
case_inject_ftfw_ref() { inject FTFW ref; }
case_inject_ftfw_from_ref() { inject FTFW ours ref; }

# ---- DisableInternalCache (NOTRACK) -------------------------------------

# A without an internal cache, started on 20 flows: events go out as
# they come and are counted; -B sends the kernel table; -i shows it;
# -f internal flushes it (selectively) without telling B.
case_bypass() {
	local out
	sync_pair
	flows 20 10.5
	sync_conf a NOTRACK UDP "DisableInternalCache on"
	sync_conf b NOTRACK UDP
	sync_start a ours
	sync_start b ours
	grep -q 'disabling internal cache' "$T_TMP/a/log" || t_fail "no 'disabling internal cache' in A's log"
	not_sent
	sync_ct a -I -s 10.6.0.1 -d 10.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED -u ASSURED,SEEN_REPLY -t 300 >/dev/null 2>&1
	sync_ct a -I -s 10.6.0.2 -d 10.2.2.2 -p udp --sport 3 --dport 4 -t 300 >/dev/null 2>&1
	sync_ct a -U -s 10.6.0.1 -m 5 >/dev/null 2>&1
	sync_ct a -D -s 10.6.0.2 >/dev/null 2>&1
	sync_wait b -e 'src=10\.6\.0\.1 .* mark=5 '
	sync_wait b -e 'src=10\.6\.0\.' 1
	out=$(sync_ctl a -s | sed -n '/^internal bypass:/,/^$/p')
	t_eq "-s on A" "$out" "internal bypass:
connections new:		           3
connections updated:		           1
connections destroyed:		           1"
	# -i: the kernel table, in conntrack's format (with timeouts)
	out=$(sync_ctl a -i | grep -c '^udp      17 [0-9]* src=10\.5\.')
	t_eq "-i on A: flows of the kernel" "$out" 20
	sync_ctl a -B || t_fail "-B on A failed"
	sync_wait b -e 'src=10\.5\.' 20
	sync_ctl a -f internal || t_fail "-f internal on A failed"
	sync_poll 5 sync_has a kernel . 0 ||
		t_fail "-f internal left A's kernel table: $(sync_ct a -L 2>/dev/null | wc -l) flows"
	sleep 0.3
	t_eq "B's flows after A's -f internal" "$(ext_count b 'src=10\.5\.')" 20
}

# With ExpectationSync too: the ftp helper's expectation made on A goes
# out as it comes, counted under -s expect, and -i expect shows the
# kernel's (upstream 1.4.7 means to, but drops every expectation: its
# sanity check wants a reply tuple of the master, which has none).
case_bypass_expect() {
	local x out
	sync_pair
	sync_conf a NOTRACK UDP "DisableInternalCache on" "Options { ExpectationSync on }"
	sync_conf b NOTRACK UDP "" "Options { ExpectationSync on }"
	sync_start a ours
	sync_start b ours
	sync_canary 1
	trap 'ftp_rig_stop; ctd_cleanup' EXIT
	ftp_rig_start "$NS_A"
	x='src=127\.0\.0\.1 dst=127\.0\.0\.1 sport=0 dport=10000 '
	sync_wait b "-e expect" "$x"
	sync_wait a "-i expect" "$x"
	# the kernel's ftp helper sees the 227 twice on loopback: the
	# expectation comes, goes and comes again
	out=$(sync_ctl a -s expect | sed -n '/^internal bypass:/,/^$/p')
	t_eq "-s expect on A" "$out" "internal bypass:
connections new:		           2
connections updated:		           0
connections destroyed:		           1"
}

# ---- the dumps of real caches, against the reference's ----------------------

# A's flows of every kind (t_sync.sh's), NAT, a label-less helper-less set
dump_flows() {
	sync_kind_flows
	cat <<'FLOWS'
-I -s 2001:db8::3 -d 2001:db8::4 -p icmpv6 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 7 -t 300 -m 3 --zone 2
-I -s 10.3.1.2 -d 10.4.4.4 -p tcp --sport 1111 --dport 80 --state ESTABLISHED -t 300 --dst-nat 10.8.8.8:8080
FLOWS
}

# dumps SIDE TAG: SIDE's -i, -i -x, -e, -e -x into $T_TMP/TAG.*, sorted,
# ages masked, the canary and the link's own flows left out.
dumps() {
	local a
	for a in -i "-i -x" -e "-e -x"; do
		# shellcheck disable=SC2086 # a is words
		sync_ctl "$1" $a 2>&1 | grep -v -e '10\.255\.0\.' -e '10\.77\.0\.' |
			sed -E 's/\[active since [0-9]+s\]/[active since N]/' |
			LC_ALL=C sort >"$T_TMP/$2.${a// /}"
	done
}

# A's internal cache and B's external one (-i, -e, and -x), ours then
# the reference's over the same tables: the same lines.
case_dump_formats() {
	local impl a
	sync_pair
	sync_need_ref
	dump_flows >"$T_TMP/flows"
	sync_ct a -R "$T_TMP/flows" >/dev/null 2>&1 || t_fail "conntrack -R on A"
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP
	for impl in ours ref; do
		sync_start a "$impl"
		sync_start b "$impl"
		sync_canary 1
		sync_ctl b -n
		sync_wait b -e 'src=10\.1\.1\.' 7
		sync_wait b -e 'src=2001:db8::' 2
		dumps a "a_$impl"
		dumps b "b_$impl"
		sync_stop b
		sync_stop a
		sync_ct a -D -s 10.255.0.1 >/dev/null 2>&1
	done
	# the reference's A sends no UDP-Lite ports, no GRE keys (spec 5;
	# t_sync.sh checks what B makes of that): not compared on B
	for a in "$T_TMP"/b_*; do
		grep -v -e 'src=10\.1\.1\.[56] ' -e '<src>10\.1\.1\.[56]</src>' "$a" >"$a.x"
		mv "$a.x" "$a"
	done
	for a in a.-i a.-i-x b.-e b.-e-x; do
		diff -u "$T_TMP/${a%%.*}_ref.${a#*.}" "$T_TMP/${a%%.*}_ours.${a#*.}" \
			>"$T_TMP/detail" || t_fail "${a%%.*} ${a#*.} differs from the reference's"
	done
}

t_case sync_resync_n_ftfw case_resync_n_ftfw
t_case sync_resync_n_notrack case_resync_n_notrack
t_case sync_resync_n_ftfw_ours_to_ref case_resync_n_ftfw_ours_ref
t_case sync_resync_n_ftfw_ref_to_ours case_resync_n_ftfw_ref_ours
t_case sync_bulk_ftfw case_bulk_ftfw
t_case sync_bulk_notrack case_bulk_notrack
t_case sync_bulk_paced case_bulk_paced
t_case sync_bulk_paced_ours_to_ref case_bulk_paced_ours_to_ref
t_case sync_bulk_paced_late_acks case_bulk_paced_late_acks
t_case sync_resync_small_rsq case_resync_small_rsq
t_case sync_bulk_nack_halves case_bulk_nack_halves
t_case sync_resync_small_rsq_ours_to_ref case_resync_small_rsq_ours_to_ref
t_case sync_startup_resync_ftfw case_startup_resync_ftfw
t_case sync_startup_resync_notrack case_startup_resync_notrack
t_case sync_inject_refused case_inject_refused
t_case sync_inject_refused_ref_to_ours case_inject_refused_from_ref
t_case sync_inject_ftfw case_inject_ftfw
t_case sync_inject_notrack case_inject_notrack
t_case sync_inject_ftfw_ours_to_ref case_inject_ftfw_ref
t_case sync_inject_ftfw_ref_to_ours case_inject_ftfw_from_ref
# -s json's "links" (ours): one object per channel, with the counter
# of datagrams from a sender other than the configured peer, which no
# text statistic shows. A datagram from another address of A's counts
# there and nowhere else.
case_json_links() {
	local out
	sync_pair
	ip -n "$NS_A" addr add 10.77.0.3/24 dev vs0
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP
	sync_start a ours
	sync_start b ours
	sync_ct a -I -s 10.255.0.1 -d 10.255.0.2 -p udp --sport 1 --dport 7 \
		-t 300 >/dev/null 2>&1
	sync_wait b -e "src=10\.255\.0\.1 dst=10\.255\.0\.2 sport=1 " 1 5
	ns_exec "$NS_A" python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.3", 0))
s.sendto(b"\x01" * 20, ("10.77.0.2", '"$SYNC_PORT"'))' ||
		t_fail "cannot send the stray datagram"
	for _ in $(seq 1 100); do
		out=$(sync_ctl b -s json 2>/dev/null)
		case $out in *'"other_sender":1,'*) break ;; esac
		sleep 0.02
	done
	python3 -c 'import json, sys
d = json.loads(sys.argv[1])
l = d["sync"]["links"]
assert len(l) == 1, l
c = l[0]
assert (c["type"], c["device"], c["status"], c["active"]) == \
    ("UDP", "vs0", "RUNNING", True), c
assert c["other_sender"] == 1 and c["pkts_recv"] > 0, c
assert c["errors_recv"] == 0 and c["backlog_dropped"] == 0, c
' "$out" 2>"$T_TMP/py" || t_fail "-s json links: $(tail -n 1 "$T_TMP/py"): $out"
}

# Sync mode's "traffic processed": the counters of a flow of the
# internal cache that ends are added up, as upstream does. Real packets
# from B to a sink on A (7 of 100 bytes of payload, 7 answers of 10),
# then the flow deleted on A.
case_traffic() {
	local sink out
	command -v nft >/dev/null || t_skip "nft missing (apt-get install nftables)"
	sync_pair
	ns_exec "$NS_A" sysctl -qw net.netfilter.nf_conntrack_acct=1
	ns_exec "$NS_A" nft -f - <<'NFT' || t_fail "nft ruleset"
table inet rawct {
	chain pre { type filter hook prerouting priority 0; ct state new accept; }
}
NFT
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP
	sync_start a ours
	sync_start b ours
	ns_exec "$NS_A" python3 -c '
import socket, select, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.77.0.1", 5000))
open("'"$T_TMP"'/sink.ready", "w").close()
end = time.time() + 4
n = 0
while time.time() < end and n < 7:
    r, _, _ = select.select([s], [], [], 0.2)
    if r:
        d, a = s.recvfrom(2000)
        s.sendto(d[:10], a)
        n += 1
' &
	sink=$!
	wait_file "$T_TMP/sink.ready"
	ns_exec "$NS_B" python3 -c '
import socket
c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.bind(("10.77.0.2", 5001))
c.settimeout(1)
for _ in range(7):
    c.sendto(b"x" * 100, ("10.77.0.1", 5000))
    c.recv(100)
' || t_fail "traffic failed"
	wait "$sink"
	sync_poll 5 sync_has a -i 'dport=5000 ' 1 ||
		t_fail "the flow is not in A's internal cache"
	sync_ct a -D -p udp --dport 5000 >/dev/null 2>&1 || t_fail "-D on A"
	for _ in $(seq 1 100); do
		out=$(sync_ctl a -s | sed -n '/^traffic processed:/{n;p}' | tr -s ' ')
		[ "$out" = " 1162 Bytes 14 Pckts" ] && return 0
		sleep 0.02
	done
	t_fail "A's traffic processed: '$out', want 1162 bytes, 14 packets"
}

# ---- the caches' hash key ---------------------------------------------

# Both nodes started twice over the same 100 flows of A's table, pushed
# to B by -B each time: A's internal cache (-i) and B's external one (-e)
# list them in bucket order (sync/dump.c), which the key of each process
# decides (sync/daemon.c's, copied into both caches), so the orders of
# the two runs differ. With so many buckets that two flows seldom share
# one, a fixed key would give the same orders twice.
case_hash_key_per_process() {
	local run
	sync_pair
	flows 100 10.5
	sync_conf a FTFW UDP "" "" "HashSize 262144"
	sync_conf b FTFW UDP "" "" "HashSize 262144"
	for run in 1 2; do
		sync_start a ours
		sync_start b ours
		sync_ctl a -B || t_fail "-B on A failed"
		sync_wait b -e 'src=10\.5\.' 100
		sync_ctl a -i | grep 'src=10\.5\.' | sed 's/ \[active since .*//' >"$T_TMP/i$run"
		sync_ctl b -e | grep 'src=10\.5\.' | sed 's/ \[active since .*//' >"$T_TMP/e$run"
		sync_stop a
		sync_stop b
	done
	for run in i e; do
		t_eq "-$run: the same flows both times" "$(sort "$T_TMP/${run}1" | md5sum)" \
			"$(sort "$T_TMP/${run}2" | md5sum)"
		! cmp -s "$T_TMP/${run}1" "$T_TMP/${run}2" ||
			t_fail "-$run listed the flows in the same order in both runs"
	done
}

t_case sync_bypass_notrack case_bypass
t_case sync_dump_formats case_dump_formats
t_case sync_bypass_expect case_bypass_expect
t_case sync_json_links case_json_links
t_case sync_traffic_processed case_traffic
t_case sync_hash_key_per_process case_hash_key_per_process
t_done
