#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A fresh namespace has an empty conntrack table: the global statistics
# say entries=0 and a dump ends with NLMSG_DONE after no entry.
. "$(dirname "$0")/lib.sh"

case_stats_empty() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" stats
	case $out in
	"entries=0 max="[0-9]*) ;;
	*) t_fail "stats: got '$out', want 'entries=0 max=N'" ;;
	esac
}

case_dump_empty() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" dump
	t_eq dump "$out" "entries=0 intr=0"
}

t_case stats_empty case_stats_empty
t_case dump_empty case_dump_empty
t_done
