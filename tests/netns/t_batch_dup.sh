#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A batch of 300 CT_NEW|EXCL requests in 4 KiB flushes where requests 40,
# 150 and 299 repeat earlier flows: nl_batch's error callback reports
# exactly those indexes, each with EEXIST (299 is the last request, the
# one that carries the ack), and the other 297 entries exist.
. "$(dirname "$0")/lib.sh"

case_batch_duplicates() {
	local ns out want
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" create-dup
	want="fail index=40 errno=17 name=EEXIST
fail index=150 errno=17 name=EEXIST
fail index=299 errno=17 name=EEXIST
created=297 failed=3"
	t_eq create-dup "$(echo "$out" | tr '\n' '|')" "$(echo "$want" | tr '\n' '|')"
	t_run out ns_exec "$ns" "$NLPROBE" stats
	t_eq "stats after create-dup" "${out%% *}" "entries=297"
}

# A whole batch refused: every request fails, every index is reported.
case_batch_all_fail() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" create 50
	ns_exec "$ns" "$NLPROBE" create 50 >"$T_TMP/out" 2>/dev/null &&
		t_fail "second create of the same 50 flows succeeded"
	t_eq "second create" "$(cat "$T_TMP/out")" "created=0 failed=50"
}

t_case batch_duplicates case_batch_duplicates
t_case batch_all_fail case_batch_all_fail
t_done
