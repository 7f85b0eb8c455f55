#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A thousand CT_NEW requests pipelined by nl_batch (several flushes of a
# 64 KiB buffer) all land; stats and a dump agree; a dump followed by a
# batched CT_DELETE per entry empties the table again. nl/bg.c's thread
# receives whole dumps.
. "$(dirname "$0")/lib.sh"

case_bulk_create_delete() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" create 1000
	t_eq create "$out" "created=1000 failed=0"
	t_run out ns_exec "$ns" "$NLPROBE" stats
	t_eq "stats after create" "${out%% *}" "entries=1000"
	t_run out ns_exec "$ns" "$NLPROBE" dump
	t_eq "dump after create" "$out" "entries=1000 intr=0"
	t_run out ns_exec "$ns" "$NLPROBE" delete-all
	t_eq delete-all "$out" "deleted=1000 failed=0"
	t_run out ns_exec "$ns" "$NLPROBE" stats
	t_eq "stats after delete-all" "${out%% *}" "entries=0"
	t_run out ns_exec "$ns" "$NLPROBE" dump
	t_eq "dump after delete-all" "$out" "entries=0 intr=0"
}

# A dump received by conntrackd's receiver thread (nl/bg.c): all of it,
# twice through the same thread, whether the walker keeps up or holds
# each datagram long enough for the thread to fill its ring (5000
# entries are about 35 datagrams, the ring 4).
case_bg_dump() {
	local ns out hold
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" create 5000
	t_eq create "$out" "created=5000 failed=0"
	for hold in 0 3000; do
		t_run out ns_exec "$ns" "$NLPROBE" bgdump "$hold"
		t_eq "bgdump $hold" "$out" "entries=10000 intr=0"
	done
}

t_case bulk_create_delete case_bulk_create_delete
t_case bg_dump case_bg_dump
t_done
