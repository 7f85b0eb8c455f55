#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's commit (-c) and the scheduled flush (-t) between two
# namespaces (ctd_lib.sh's sync_pair): a flow the kernel refuses (B's own
# flow holds its reply tuple) makes -c say so and exit 1, the others
# committed; labels set by nft on A are on the flow B commits, and so is
# the NAT sequence adjustment of a flow made on A with one; committed
# flows get CommitTimeout
# (3000 of them, 100 of which B had already: created again),
# or without it the timeout sent less its age in the external cache; -t
# flushes B's kernel table PurgeTimeout seconds later, unless -c or a
# bare -f comes first (not -f external: upstream neither), the same with
# the reference on B; -c then -f works (upstream 1.4.7 refuses the flush
# after a commit done in one step: spec 5, asserted of the reference
# too); -c commits expectations with ExpectationSync (an ftp-helper
# expectation made on A); what B commits is never sent back to A, in
# every mode (ALARM's refreshes included; the reference's ALARM sends
# them back, asserted).
. "$(dirname "$0")/ctd_lib.sh"
T_CASE_TIMEOUT=${T_CASE_TIMEOUT:-120}
. "$(dirname "$0")/ftp_rig.sh"

# two MODE IB [A_MODE_LINES [B_MODE_LINES [SYNC_LINES]]]: ours on A, IB
# on B, over UDP, the canary through.
two() {
	sync_pair
	[ "$2" = ours ] || sync_need_ref
	sync_conf a "$1" UDP "${3:-}" "${5:-}"
	sync_conf b "$1" UDP "${4:-}" "${5:-}"
	sync_start a ours
	sync_start b "$2"
	case ${4:-} in
	*DisableExternalCache*) sync_canary 1 kernel ;;
	*) sync_canary 1 ;;
	esac
}

# three_flows: on A, waited for in B's external cache.
three_flows() {
	sync_ct a -I -s 10.6.0.1 -d 10.2.2.2 -p tcp --sport 1 --dport 2 --state ESTABLISHED -u ASSURED,SEEN_REPLY -t 300 >/dev/null 2>&1
	sync_ct a -I -s 10.6.0.2 -d 10.2.2.2 -p udp --sport 3 --dport 4 -t 300 >/dev/null 2>&1
	sync_ct a -I -s 10.6.0.3 -d 10.2.2.2 -p udp --sport 5 --dport 6 -t 300 >/dev/null 2>&1
	sync_wait b -e 'src=10\.6\.0\.' 3
}

# commit_b: -c on B, which must say nothing and exit 0.
commit_b() {
	local out
	out=$(sync_ctl b -c 2>&1) || t_fail "-c on B exited $?: $out"
	t_eq "-c on B" "$out" ""
}

# timeouts: the timeouts of B's 10.6.0.x flows, one a line.
timeouts() {
	sync_ct b -L 2>/dev/null | awk '/src=10\.6\.0\./ { print $3 }'
}

# ---- many flows, some already there -----------------------------------------

# 3000 flows (several batches, the next filled while the kernel runs the
# one before), 100 of them made on B beforehand with another timeout:
# those are refused (EEXIST), deleted and created again; all 3000 end up
# in B's table with CommitTimeout's timeout, and -c says nothing.
case_commit_many() {
	local f=$T_TMP/many i
	two FTFW ours "" "CommitTimeout 200"
	for i in $(seq 0 2999); do
		echo "-I -s 10.7.$((i / 250)).$((i % 250 + 1)) -d 10.2.2.2 -p tcp --sport 1000 --dport 80 --state ESTABLISHED -t 3000"
	done >"$f"
	head -n 100 "$f" | sed 's/-t 3000$/-t 50/' >"$f.b"
	sync_ct b -R "$f.b" >/dev/null 2>&1 || t_fail "cannot make B's 100 flows"
	sync_ct a -R "$f" >/dev/null 2>&1 || t_fail "cannot make A's 3000 flows"
	sync_poll 20 sync_has b -e 'src=10\.7\.' 3000 ||
		t_fail "B's external cache: $(sync_ctl b -e | grep -c 'src=10\.7\.') of 3000"
	commit_b
	t_eq "flows in B's table" "$(sync_ct b -L 2>/dev/null | grep -c 'src=10\.7\.')" 3000
	t_eq "flows not committed with 200 s" "$(sync_ct b -L 2>/dev/null |
		awk '/src=10\.7\./ && ($3 > 200 || $3 < 190)' | wc -l)" 0
}

# ---- a flow the kernel refuses ------------------------------------------------

# B has a flow of its own (SNAT'd: 10.9.0.9:1 -> 10.2.2.2:2, replies to
# 10.6.0.1:1) whose reply tuple is the one of A's tcp flow: the kernel
# refuses that flow (EEXIST), deleting its original tuple finds nothing,
# the create is refused again. -c commits the other two, logs the flow
# and the count, prints the count and exits 1; with B's flow gone, the
# next -c commits all three and exits 0 saying nothing.
case_commit_fail() {
	local out rc
	two FTFW ours
	sync_ct b -I -s 10.9.0.9 -d 10.2.2.2 -r 10.2.2.2 -q 10.6.0.1 -p tcp \
		--sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 \
		--state ESTABLISHED -t 300 >/dev/null 2>&1 ||
		t_fail "cannot make B's own flow"
	three_flows
	out=$(sync_ctl b -c 2>&1)
	rc=$?
	t_eq "-c on B's exit status" "$rc" 1
	t_eq "-c on B" "$out" "conntrackd: commit: 1 entries can't be committed"
	grep -q 'commit-create: File exists' "$T_TMP/b/log" ||
		t_fail "no 'commit-create: File exists' in B's log"
	grep -q 'src=10\.6\.0\.1 dst=10\.2\.2\.2 sport=1 dport=2 ' "$T_TMP/b/log" ||
		t_fail "the refused flow is not in B's log"
	grep -q '1 entries can.t be committed' "$T_TMP/b/log" ||
		t_fail "no count in B's log"
	t_eq "flows committed" "$(b_flows)" 2
	sync_ct b -D -s 10.9.0.9 >/dev/null 2>&1 || t_fail "cannot delete B's flow"
	commit_b
	t_eq "flows committed the second time" "$(b_flows)" 3
}

# ---- labels ---------------------------------------------------------------------

# label_rules NS RULES...: an nft output chain in NS with RULES; any
# `ct label` rule turns the kernel's label extension on in NS.
label_rules() {
	local ns=$1 r
	shift
	{
		echo "table inet rawct { chain out { type filter hook output priority 0;"
		for r in "$@"; do echo "$r"; done
		printf '}\n}\n'
	} | ns_exec "$ns" nft -f - 2>"$T_TMP/nft_err" ||
		t_skip "nft ct label unavailable: $(tr '\n' ' ' <"$T_TMP/nft_err")"
}

# A udp flow on A labelled 3 and 37 by nft (two words of the bitmap)
# reaches B's external cache; B's -c creates it with the same labels
# (B has a label rule of its own: without one, the kernel creates the
# flow without its labels).
case_commit_labels() {
	local la lb
	two FTFW ours
	label_rules "$NS_A" "udp dport 9999 ct label set 3" \
		"udp dport 9999 ct label set 37"
	label_rules "$NS_B" "udp dport 1 ct label set 1"
	ns_exec "$NS_A" bash -c 'echo x >/dev/udp/127.0.0.1/9999' ||
		t_fail "cannot send the labelled datagram"
	la=$(sync_show a --proto 17 --dport 9999)
	t_eq "A's labels" "${la##* }" labels=08000000200000000000000000000000
	sync_wait b -e ' dport=9999 '
	commit_b
	lb=$(sync_show b --proto 17 --dport 9999)
	t_eq "B's committed flow" "$lb" "$la"
}

# ---- NAT sequence adjustment ------------------------------------------------

# A DNAT'd tcp flow whose sequence numbers a NAT helper adjusted (made on
# A's kernel with CTA_SEQ_ADJ_ORIG/REPLY, build/netns/cttool natseq; a
# negative offset in the reply direction) reaches B's external cache;
# B's -c creates it with the same adjustment in both directions, and
# its DNAT (the tcp flags are not compared: without window scales B's
# flow is made liberal).
case_commit_seqadj() {
	local la lb
	[ -x "$CTTOOL" ] || t_fail "$CTTOOL missing (make build/netns/cttool)"
	two FTFW ours
	ns_exec "$NS_A" "$CTTOOL" natseq 1000,5,7 2000,4294967291,9 ||
		t_fail "cannot make the flow on A"
	la=$(sync_show a --proto 6 --dport 21)
	t_eq "A's flow" "$la" "proto=6 sport=40000 dport=21 wscale=0,0 flags=0x00,0x00 seqadj=1000,5,7,2000,4294967291,9 labels=-"
	sync_wait b -e 'src=10\.61\.0\.1 '
	commit_b
	lb=$(sync_show b --proto 6 --dport 21)
	lb=${lb#* seqadj=}
	t_eq "B's committed flow's seqadj" "${lb%% *}" 1000,5,7,2000,4294967291,9
	sync_has b kernel 'src=10\.61\.0\.1 dst=10\.2\.2\.2 sport=40000 dport=21 src=10\.9\.9\.9 dst=10\.61\.0\.1 sport=2121 dport=40000 ' 1 ||
		t_fail "B's flow is not DNAT'd: $(sync_ct b -L 2>/dev/null | grep 10.61.0.1)"
}

# ---- CommitTimeout ----------------------------------------------------------

case_commit_timeout() {
	local t
	two FTFW ours "" "CommitTimeout 120"
	three_flows
	commit_b
	for t in $(timeouts); do
		if [ "$t" -gt 120 ] || [ "$t" -lt 110 ]; then
			t_fail "a committed flow has timeout $t, want CommitTimeout 120"
		fi
	done
	t_eq "flows committed" "$(timeouts | wc -l)" 3
}

# Without CommitTimeout: 300 s sent, committed 2 s later: 298 or less.
case_commit_age() {
	local t
	two FTFW ours
	three_flows
	sleep 2.2
	commit_b
	for t in $(timeouts); do
		if [ "$t" -gt 298 ] || [ "$t" -lt 290 ]; then
			t_fail "a committed flow has timeout $t, want 300 less its age"
		fi
	done
	t_eq "flows committed" "$(timeouts | wc -l)" 3
}

# ---- -t, PurgeTimeout ---------------------------------------------------

# b_flows: how many 10.6.0.x flows B's kernel has.
b_flows() {
	sync_ct b -L 2>/dev/null | grep -c 'src=10\.6\.0\.'
}

# purge IB FLUSH: -t then -c: the flush does not come (a second -t
# restarts the clock); then FLUSH (a flush of the internal cache):
# cancelled; -t then -f external: not cancelled, B's table flushed
# PurgeTimeout (2 s) after the -t, not before. The reference gets
# `-f internal` as FLUSH: it refuses a bare -f after a commit (spec 5).
purge() {
	two FTFW "$1" "" "PurgeTimeout 2"
	three_flows
	commit_b
	t_eq "B's flows after -c" "$(b_flows)" 3
	sync_ctl b -t
	sleep 1
	commit_b
	sync_ctl b -t
	sleep 1.5
	t_eq "B's flows 2.5 s after -t, 1.5 s after -c and -t" "$(b_flows)" 3
	# shellcheck disable=SC2086 # FLUSH is "-f" or "-f internal"
	sync_ctl b $2
	sleep 1
	t_eq "B's flows 1 s after '$2' (the second -t was due)" "$(b_flows)" 3
	commit_b
	sync_ctl b -t
	sync_ctl b -f external
	sleep 1
	t_eq "B's flows 1 s after -t" "$(b_flows)" 3
	sync_poll 3 sync_has b kernel 'src=10\.6\.0\.' 0 ||
		t_fail "-t did not flush B's table: $(b_flows) flows left"
	grep -q 'flushing conntrack table in 2 secs' "$T_TMP/b/log" ||
		t_fail "no '-t' line in B's log"
	grep -q 'flushing kernel conntrack table (scheduled)' "$T_TMP/b/log" ||
		t_fail "no scheduled flush in B's log"
}

case_purge() { purge ours -f; }
case_purge_ref() { purge ref "-f internal"; }

# ---- commit bookkeeping (spec 5) ----------------------------------------

# -c then a flush: ours flushes; the reference 1.4.7 refuses after a
# commit done in one step.
commit_flush() {
	local f
	for f in "-f" "-f external"; do
		two FTFW "$1"
		three_flows
		commit_b
		# shellcheck disable=SC2086 # f is words
		sync_ctl b $f
		if [ "$1" = ours ]; then
			sync_wait b -e 'src=10\.6\.0\.' 0
			grep -q 'ignoring flush command' "$T_TMP/b/log" &&
				t_fail "'$f' after -c refused: $(grep ignoring "$T_TMP/b/log")"
		else
			sync_wait b -e 'src=10\.6\.0\.' 3
			sync_poll 2 grep -q 'ignoring flush command, commit still in progress' "$T_TMP/b/log" ||
				t_fail "the reference did not refuse '$f' after -c"
		fi
		ctd_cleanup
	done
}
case_commit_flush() { commit_flush ours; }
case_commit_flush_ref() { commit_flush ref; }

# ExpectationSync: the ftp helper's expectation made on A reaches B's
# external cache; -c commits it (upstream 1.4.7's -c does not, spec 5).
commit_expect() {
	local x
	sync_pair
	[ "$1" = ours ] || sync_need_ref
	sync_conf a FTFW UDP "" "Options { ExpectationSync on }"
	sync_conf b FTFW UDP "" "Options { ExpectationSync on }"
	sync_start a ours
	sync_start b "$1"
	trap 'ftp_rig_stop; ctd_cleanup' EXIT
	ftp_rig_start "$NS_A"
	x='src=127\.0\.0\.1 dst=127\.0\.0\.1 sport=0 dport=10000 '
	sync_wait b "-e expect" "$x"
	commit_b
	sync_wait b kernel "src=127\.0\.0\.1 dst=127\.0\.0\.1 sport=$FTP_RIG_CPORT dport=21 .*helper=ftp"
	if [ "$1" = ours ]; then
		sync_wait b "kernel expect" "$x"
	else
		sleep 0.5
		sync_has b "kernel expect" "$x" 0 ||
			t_fail "the reference 1.4.7 committed the expectation"
	fi
}
case_commit_expect() { commit_expect ours; }
case_commit_expect_ref() { commit_expect ref; }

# ---- what B commits or injects is not sent back --------------------------

# sent SIDE: "bytes packets" B sent on the link.
sent() {
	echo "$(sync_stat "$1" -- 'Bytes sent' 1) $(sync_stat "$1" -- 'Pckts sent' 1)"
}

# no_echo MODE [B_MODE_LINES]: after B commits (or injects), A's
# external cache gets nothing and B sends nothing but control messages
# (16 bytes a datagram at most); in ALARM, nothing at all, through
# several RefreshTime periods (before the commit B sent one RESYNC, its
# heal's request when it first heard A: 16 bytes in all).
no_echo() {
	local before after b0 p0 b1 p1 wait=2.5 mo=""
	[ "$1" = ALARM ] && wait=5 mo="RefreshTime 2"
	two "$1" ours "$mo" "$mo
${2:-}"
	if [ -n "${2:-}" ]; then
		sync_ct a -I -s 10.6.0.1 -d 10.2.2.2 -p udp --sport 3 --dport 4 -t 300 >/dev/null 2>&1
		sync_wait b kernel 'src=10\.6\.0\.1 '
	else
		three_flows
	fi
	before=$(sent b)
	[ -n "${2:-}" ] || commit_b
	sleep "$wait"
	after=$(sent b)
	read -r b0 p0 <<<"$before"
	read -r b1 p1 <<<"$after"
	if [ "$1" = ALARM ]; then
		t_eq "bytes B sent before the commit" "$b0" 16
		t_eq "bytes B sent after it" "$((b1 - b0))" 0
	elif [ $((b1 - b0)) -gt $((16 * (p1 - p0))) ]; then
		t_fail "B sent $((b1 - b0)) bytes in $((p1 - p0)) datagrams after the commit"
	fi
	t_eq "A's external cache" "$(sync_ctl a -e)" ""
	t_eq "flows A's external cache got" \
		"$(sync_ctl a -s | awk '/^cache external/ { e = 1 } e && /connections created/ { print $3; exit }')" 0
}
case_no_echo_ftfw() { no_echo FTFW; }
case_no_echo_notrack() { no_echo NOTRACK; }
case_no_echo_alarm() { no_echo ALARM; }
case_no_echo_inject() { no_echo NOTRACK "DisableExternalCache on"; }

# A burst injected on B (DisableExternalCache, NetlinkBufferSize 64 KiB
# and no growth, FTFW): the events B's injections cause are dropped by
# its event socket's filter before they are queued, so 5000 flows come
# and go without an overrun, B's internal cache never takes them for its
# own, and nothing goes back to A (once, the overrun's resync sent them
# all back, and a pair injecting on both sides echoed them for ever).
case_inject_burst() {
	local f=$T_TMP/burst small="NetlinkBufferSize 65536
	NetlinkBufferSizeMaxGrowth 65536"
	sync_pair
	sync_conf a FTFW UDP "" "" "$small"
	sync_conf b FTFW UDP "DisableExternalCache on" "" "$small"
	sync_start a ours
	sync_start b ours
	sync_canary 1 kernel
	udp_flows 10.7 5000 >"$f"
	sync_ct a -R "$f" >/dev/null 2>&1 || t_fail "cannot make A's 5000 flows"
	sync_wait b kernel 'src=10\.7\.' 5000 20
	sync_ct a -D -s 10.7.0.0/16 >/dev/null 2>&1 || t_fail "cannot delete A's flows"
	sync_wait b kernel 'src=10\.7\.' 0 20
	sleep 1.5
	t_eq "B's event overruns" "$(sync_stat b runtime -- 'netlink overrun' NF)" 0
	t_eq "B's internal cache" "$(sync_ctl b -i | grep -c 'src=10\.7\.')" 0
	t_eq "flows A's external cache got" \
		"$(sync_ctl a -s | awk '/^cache external/ { e = 1 } e && /connections created/ { print $3; exit }')" 0
}

# A commit of 5000 flows on B, whose event socket holds 64 KiB and never
# grows: the events its creates cause are dropped by the socket's filter,
# so there is no overrun, and no resync sends the committed flows back to
# A (once, the overrun's resync did: every one); B's internal cache has
# them all, from the commit itself.
case_commit_burst() {
	local small="NetlinkBufferSize 65536
	NetlinkBufferSizeMaxGrowth 65536"
	sync_pair
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP "" "" "" "$small"
	sync_start a ours
	sync_start b ours
	sync_canary 1
	udp_flows 10.7 5000 >"$T_TMP/flows.a"
	sync_ct a -R "$T_TMP/flows.a" >/dev/null 2>&1 ||
		t_fail "cannot make A's 5000 flows"
	sync_wait b -e 'src=10\.7\.' 5000 20
	commit_b
	t_eq "B's kernel table" "$(sync_ct b -L 2>/dev/null | grep -c 'src=10\.7\.')" 5000
	t_eq "B's internal cache" "$(sync_ctl b -i | grep -c 'src=10\.7\.')" 5000
	sleep 2
	t_eq "B's event overruns" "$(sync_stat b runtime -- 'netlink overrun' NF)" 0
	t_eq "A's own flows B sent back" "$(sync_ctl a -e | grep -c 'src=10\.7\.')" 0
	# what comes from the kernel itself still counts: B's timeouts
	sync_ct b -D -s 10.7.0.0/24 >/dev/null 2>&1 || t_fail "cannot delete"
	sync_wait b -i 'src=10\.7\.0\.' 0 10
	sync_wait b -i 'src=10\.7\.' 4750 10
}

# udp flows SRC.0.1 ... of N (at most 62500) to 10.2.2.2, as -R lines
udp_flows() {
	local i
	for i in $(seq 0 $(($2 - 1))); do
		echo "-I -s $1.$((i / 250)).$((i % 250 + 1)) -d 10.2.2.2 -p udp --sport 1000 --dport 53 -t 300"
	done
}

# Both daemons started (configured by the caller), A's 300 flows 10.7.*
# injected into B's table.
injected_pair() {
	sync_start a ours
	sync_start b ours
	sync_canary 1 kernel
	udp_flows 10.7 300 >"$T_TMP/flows.a"
	sync_ct a -R "$T_TMP/flows.a" >/dev/null 2>&1 ||
		t_fail "cannot make A's 300 flows"
	sync_wait b kernel 'src=10\.7\.' 300 20
}

# A genuine overrun of B's event socket (DisableExternalCache, a burst of
# B's own flows into an 8 KiB buffer that never grows): the resync that
# follows sends B's flows to A, not the ones it injected from A (upstream
# sends those back too: it cannot tell them from its own). A client's -R
# (the failover script's) then makes them B's own.
case_inject_overrun() {
	local f=$T_TMP/flows i small="NetlinkBufferSize 8192
	NetlinkBufferSizeMaxGrowth 8192
	NetlinkOverrunResync 1"
	sync_pair
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP "DisableExternalCache on" "" "$small"
	injected_pair
	udp_flows 10.8 5000 >"$f.b"
	sync_ct b -R "$f.b" >/dev/null 2>&1 || t_fail "cannot make B's 5000 flows"
	sync_wait a -e 'src=10\.8\.' 5000 30
	i=$(sync_stat b runtime -- 'netlink overrun' NF)
	[ "${i:-0}" -ge 1 ] || t_fail "B's event socket did not overrun (${i:-?})"
	i=$(sync_stat b runtime -- 'resync with kernel table' NF)
	[ "${i:-0}" -ge 1 ] || t_fail "B did not resync (${i:-?})"
	t_eq "A's own flows B sent back" "$(sync_ctl a -e | grep -c 'src=10\.7\.')" 0
	t_eq "B's internal cache, A's flows" "$(sync_ctl b -i | grep -c 'src=10\.7\.')" 0
	sync_ctl b -R >/dev/null 2>&1 || t_fail "B's -R failed"
	sync_wait b -i 'src=10\.7\.' 300 10
	sync_wait a -e 'src=10\.7\.' 300 10
}

# B without caches (NOTRACK, DisableInternalCache and
# DisableExternalCache): A's resync request (-n) makes B send its kernel
# table, B's own flows and not the ones it injected from A.
case_inject_bulk_table() {
	local f=$T_TMP/flows
	sync_pair
	sync_conf a NOTRACK UDP
	sync_conf b NOTRACK UDP "DisableExternalCache on
	DisableInternalCache on"
	injected_pair
	udp_flows 10.8 20 >"$f.b"
	sync_ct b -R "$f.b" >/dev/null 2>&1 || t_fail "cannot make B's 20 flows"
	sync_wait a -e 'src=10\.8\.' 20 10
	sync_ctl a -f external >/dev/null 2>&1 || t_fail "A's -f failed"
	sync_wait a -e 'src=10\.8\.' 0 10
	sync_ctl a -n >/dev/null 2>&1 || t_fail "A's -n failed"
	sync_wait a -e 'src=10\.8\.' 20 10
	sleep 0.5
	t_eq "A's own flows B sent back" "$(sync_ctl a -e | grep -c 'src=10\.7\.')" 0
}

# The reference on B, ALARM: its refreshes send the flows it committed
# back to A (what alarm.c's header says we fix): asserted as it is.
case_echo_alarm_ref() {
	two ALARM ref "RefreshTime 2" "RefreshTime 2"
	three_flows
	commit_b
	sync_wait a -e 'src=10\.6\.0\.' 3 5
}

t_case sync_inject_burst case_inject_burst
t_case sync_commit_burst case_commit_burst
t_case sync_inject_overrun case_inject_overrun
t_case sync_inject_bulk_table case_inject_bulk_table
t_case sync_commit_timeout case_commit_timeout
t_case sync_commit_fail case_commit_fail
t_case sync_commit_labels case_commit_labels
t_case sync_commit_seqadj case_commit_seqadj
t_case sync_commit_many case_commit_many
t_case sync_commit_age case_commit_age
t_case sync_purge_timeout case_purge
t_case sync_purge_timeout_ref case_purge_ref
t_case sync_commit_then_flush case_commit_flush
t_case sync_commit_then_flush_ref case_commit_flush_ref
t_case sync_commit_expect case_commit_expect
t_case sync_commit_expect_ref case_commit_expect_ref
t_case sync_no_echo_ftfw case_no_echo_ftfw
t_case sync_no_echo_notrack case_no_echo_notrack
t_case sync_no_echo_alarm case_no_echo_alarm
t_case sync_no_echo_inject case_no_echo_inject
t_case sync_echo_alarm_ref case_echo_alarm_ref
t_done
