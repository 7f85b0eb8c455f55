#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nl_sock_open's namespace path targets the right table: entries created
# through --netns /run/netns/A show in A (seen from inside A with ip netns
# exec) and not in B; a missing namespace is refused with ENOENT.
. "$(dirname "$0")/lib.sh"

case_netns_option() {
	local a b out
	ns_new a
	ns_new b
	ns_require_ctnetlink "$a"
	t_run out "$NLPROBE" --netns "/run/netns/$a" create 12
	t_eq "create in A" "$out" "created=12 failed=0"
	t_run out ns_exec "$a" "$NLPROBE" dump
	t_eq "dump A from inside" "$out" "entries=12 intr=0"
	t_run out "$NLPROBE" --netns "/run/netns/$b" stats
	t_eq "stats B via --netns" "${out%% *}" "entries=0"
	t_run out ns_exec "$b" "$NLPROBE" dump
	t_eq "dump B from inside" "$out" "entries=0 intr=0"
	t_run out "$NLPROBE" --netns "/run/netns/$a" stats
	t_eq "stats A via --netns" "${out%% *}" "entries=12"
}

case_netns_missing() {
	local out rc
	out=$("$NLPROBE" --netns "/run/netns/rawct-missing-$(rand_hex 10)" stats 2>&1)
	rc=$?
	t_eq "exit status" "$rc" "1"
	case $out in
	*"No such file or directory"*) ;;
	*) t_fail "missing namespace: got '$out'" ;;
	esac
}

t_case netns_option case_netns_option
t_case netns_missing case_netns_missing
t_done
