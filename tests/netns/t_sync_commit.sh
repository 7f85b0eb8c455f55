#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's commit (-c) and the scheduled flush (-t) between two
# namespaces (ctd_lib.sh's sync_pair): committed flows get CommitTimeout,
# or without it the timeout sent less its age in the external cache; -t
# flushes B's kernel table PurgeTimeout seconds later, unless -c or a
# bare -f comes first (not -f external: upstream neither), the same with
# the reference on B; -c then -f works (upstream 1.4.7 refuses the flush
# after a commit done in one step: spec 5, asserted of the reference
# too); -c commits expectations with ExpectationSync (an ftp-helper
# expectation made on A); what B commits is never sent back to A, in
# every mode (ALARM's refreshes included).
. "$(dirname "$0")/ctd_lib.sh"
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
	sync_canary 1
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

t_case sync_commit_timeout case_commit_timeout
t_case sync_commit_age case_commit_age
t_case sync_purge_timeout case_purge
t_case sync_purge_timeout_ref case_purge_ref
t_done
