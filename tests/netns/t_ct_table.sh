#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The ct/table.h operations against the real kernel through
# build/netns/cttool: batched creates of 2000 entries, dumps (plain,
# kernel-filtered by orig dport, zone, mark, status, source address,
# reply port, family; the filtered ones must be filtered by the kernel:
# seen = matched), get and update, batched deletes with already-deleted
# entries counted as vanished, filtered and family flushes, count and
# per-cpu statistics. Generated entry i (see cttool.c): tcp
# 10.0.(i/250).(i%250+1):(10000+i) -> 10.255.0.1:(80+i%4), mark i%3,
# zone 7 when i%5 == 0.
. "$(dirname "$0")/lib.sh"

CTTOOL=${CTTOOL:-$RAWCT_TOP/build/netns/cttool}

t_prereq() {
	[ -x "$NLPROBE" ] || { echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"; return; }
	[ -x "$CTTOOL" ] || echo "FAIL $CTTOOL missing (make build/netns/cttool)"
}

# ns_2000 VAR: a namespace holding the 2000 generated entries.
ns_2000() {
	local _n out
	ns_new _n
	ns_require_ctnetlink "$_n"
	t_run out ns_exec "$_n" "$CTTOOL" create 2000
	t_eq "create 2000" "$out" "queued=2000 failed=0 vanished=0"
	printf -v "$1" '%s' "$_n"
}

case_create_dump_count() {
	local ns out
	ns_2000 ns
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq count "$out" 2000
	t_run out ns_exec "$ns" "$CTTOOL" dump
	t_eq "dump all" "$out" "seen=2000 matched=2000 kernel=0 kfilter=-1"
	t_run out ns_exec "$ns" "$CTTOOL" create 10
	t_eq "duplicates refused" "$out" "queued=10 failed=10 vanished=0"
}

case_probe() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$CTTOOL" probe
	# CTA_FILTER is in every kernel since 5.8
	case $(uname -r) in
	[0-4].*|5.[0-7].*) t_eq probe "$out" no ;;
	*) t_eq probe "$out" yes ;;
	esac
}

# kfilter NS WANT ARGS...: a dump with ARGS sees and matches WANT entries.
kfilter() {
	local ns=$1 want=$2 out
	shift 2
	t_run out ns_exec "$ns" "$CTTOOL" dump "$@"
	t_eq "dump $*" "${out%% kfilter=*}" "seen=$want matched=$want kernel=1"
}

case_kernel_filters() {
	local ns
	ns_2000 ns
	kfilter "$ns" 500 --family 4 --proto 6 --dport 80
	kfilter "$ns" 1 --family 4 --proto 6 --sport 10007
	kfilter "$ns" 1 --family 4 --src 10.0.1.5
	kfilter "$ns" 1 --family 4 --reply-dport 10005
	kfilter "$ns" 400 --zone 7
	kfilter "$ns" 1600 --zone 0
	kfilter "$ns" 667 --mark 1
	kfilter "$ns" 1333 --mark 0/1
	kfilter "$ns" 2000 --status 8/8
	kfilter "$ns" 0 --family 6
	kfilter "$ns" 100 --zone 7 --family 4 --proto 6 --dport 80
	kfilter "$ns" 33 --zone 7 --mark 2 --family 4 --proto 6 --dport 80
}

case_get_update() {
	local ns out
	ns_2000 ns
	t_run out ns_exec "$ns" "$CTTOOL" get 5
	t_eq "get+update zone 7" "$(echo $out | sed 's/ id=[0-9]*//g')" \
		"found mark=2 zone=7 found mark=4242 zone=7"
	t_run out ns_exec "$ns" "$CTTOOL" get 6
	t_eq "get+update" "$(echo $out | sed 's/ id=[0-9]*//g')" \
		"found mark=0 zone=0 found mark=4242 zone=0"
	ns_exec "$ns" "$CTTOOL" get 2001 >"$T_TMP/out" 2>&1
	t_eq "get absent: exit" "$?" 2
	t_eq "get absent" "$(cat "$T_TMP/out")" absent
}

case_batch_delete_vanished() {
	local ns out
	ns_2000 ns
	t_run out ns_exec "$ns" "$CTTOOL" delete 0 2000 2
	t_eq "delete evens" "$out" "queued=1000 failed=0 vanished=0"
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq "count after" "$out" 1000
	t_run out ns_exec "$ns" "$CTTOOL" delete 0 2000 1
	t_eq "delete all, evens gone" "$out" "queued=2000 failed=0 vanished=1000"
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq "count empty" "$out" 0
}

case_flush() {
	local ns out
	ns_2000 ns
	t_run out ns_exec "$ns" "$CTTOOL" flush --mark 1
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq "after flush mark 1" "$out" 1333
	t_run out ns_exec "$ns" "$CTTOOL" flush --zone 7
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq "after flush zone 7" "$out" 1066
	t_run out ns_exec "$ns" "$CTTOOL" flush --family 6
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq "flush ipv6 keeps ipv4" "$out" 1066
	t_run out ns_exec "$ns" "$CTTOOL" flush --family 4
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq "flush ipv4" "$out" 0
	t_run out ns_exec "$ns" "$CTTOOL" create 10
	t_run out ns_exec "$ns" "$CTTOOL" flush
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq "flush all" "$out" 0
}

case_stats() {
	local ns out ncpu
	ns_new ns
	ns_require_ctnetlink "$ns"
	ncpu=$(grep -c '^processor' /proc/cpuinfo)
	t_run out ns_exec "$ns" "$CTTOOL" stats
	case $out in
	cpus=[1-9]*) ;;
	*) t_fail "stats: '$out'" ;;
	esac
	[ "${out#cpus=}" -le "$ncpu" ] || t_fail "stats: $out > $ncpu cpus"
}

case_fixtures_roundtrip() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$CTTOOL" fixtures
	t_run out ns_exec "$ns" "$CTTOOL" count
	t_eq "fixtures created" "$out" 8
	t_run out ns_exec "$ns" "$CTTOOL" dump --family 6
	t_eq "v6 fixtures" "${out%% kernel=*}" "seen=3 matched=3"
	t_run out ns_exec "$ns" "$CTTOOL" dump --family 4 --proto 47
	t_eq "gre by proto" "${out%% kfilter=*}" "seen=1 matched=1 kernel=1"
}

t_case ct_table_create_dump_count case_create_dump_count
t_case ct_table_probe case_probe
t_case ct_table_kernel_filters case_kernel_filters
t_case ct_table_get_update case_get_update
t_case ct_table_batch_delete_vanished case_batch_delete_vanished
t_case ct_table_flush case_flush
t_case ct_table_stats case_stats
t_case ct_table_fixtures case_fixtures_roundtrip
t_done
