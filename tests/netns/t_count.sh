#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The repository's `conntrack -C` prints the same count as the kernel's
# global statistics, on an empty table and after creating entries.
. "$(dirname "$0")/lib.sh"

case_count_agrees() {
	local ns out stats
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$CONNTRACK" -C
	t_eq "conntrack -C, empty" "$out" "0"
	t_run out ns_exec "$ns" "$NLPROBE" create 37
	t_run out ns_exec "$ns" "$CONNTRACK" -C
	t_run stats ns_exec "$ns" "$NLPROBE" stats
	stats=${stats%% *}
	t_eq "conntrack -C vs stats" "entries=$out" "$stats"
	t_eq "conntrack -C after create" "$out" "37"
}

t_case count_agrees case_count_agrees
t_done
