#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrack -D and -U on 5000 entries against the real kernel: exact
# counts and one printed line per entry; -U again changes nothing (0
# updated, exit 1); two -D racing over the same table delete every entry
# once between them, neither printing an entry the other took (ENOENT is
# "vanished", not an error and not a deletion).
. "$(dirname "$0")/lib.sh"

NS=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }

ct_count() {
	ct "$@" 2>&1 >/dev/null | sed -n 's/.*: \([0-9]*\) flow entries have been.*/\1/p'
}

# fill N: N udp entries, every other one with mark 1.
fill() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "-I -s 10.3.$((i / 256)).$((i % 256)) -d 10.4.0.1 -p udp --sport 1 --dport 2 -t 200 -m $((i % 2))"
	done >"$T_TMP/fill"
	ct -R "$T_TMP/fill" || t_fail "-R fill"
	t_eq "filled" "$(ct -C)" "$1"
}

setup() {
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
}

case_update_delete_5000() {
	local out rc
	setup
	fill 5000
	ct -U -m 7 >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	t_eq "-U exit" "$rc" 0
	t_eq "-U summary" "$(cat "$T_TMP/err")" "conntrack v1.4.8 (conntrack-tools): 5000 flow entries have been updated."
	t_eq "-U lines" "$(grep -c 'mark=7 ' "$T_TMP/out")" 5000
	out=$(ct -U -m 7 2>&1 >/dev/null)
	rc=$?
	t_eq "-U again exit" "$rc" 1
	t_eq "-U again" "$out" "conntrack v1.4.8 (conntrack-tools): 0 flow entries have been updated."
	t_eq "-U -s 10.3.0.0/24 -m 1" "$(ct_count -U -s 10.3.0.0/24 -m 1)" 256
	t_eq "-D -m 1" "$(ct_count -D -m 1)" 256
	ct -D >"$T_TMP/out" 2>"$T_TMP/err"
	t_eq "-D summary" "$(cat "$T_TMP/err")" "conntrack v1.4.8 (conntrack-tools): 4744 flow entries have been deleted."
	t_eq "-D lines" "$(wc -l <"$T_TMP/out")" 4744
	t_eq "-C" "$(ct -C)" 0
}

case_delete_race() {
	local a b la lb
	setup
	fill 5000
	ct -D -p udp >"$T_TMP/o1" 2>"$T_TMP/e1" &
	a=$!
	ct -D -p udp >"$T_TMP/o2" 2>"$T_TMP/e2" &
	b=$!
	wait $a
	wait $b
	la=$(sed -n 's/.*: \([0-9]*\) flow entries have been deleted./\1/p' "$T_TMP/e1")
	lb=$(sed -n 's/.*: \([0-9]*\) flow entries have been deleted./\1/p' "$T_TMP/e2")
	t_eq "deleted between them ($la + $lb)" "$((la + lb))" 5000
	t_eq "printed 1" "$(wc -l <"$T_TMP/o1")" "$la"
	t_eq "printed 2" "$(wc -l <"$T_TMP/o2")" "$lb"
	t_eq "no entry printed twice" "$(sort "$T_TMP/o1" "$T_TMP/o2" | uniq -d | wc -l)" 0
	grep -q "Operation failed" "$T_TMP/e1" "$T_TMP/e2" && t_fail "a vanished entry was an error"
	t_eq "-C" "$(ct -C)" 0
}

# -D -o xml: each line (about 500 bytes) is kept until its delete is
# answered, and a window of lines this long does not fit the ring of
# pending text at once, so -D sends early and waits; still every entry
# is printed once, whole.
case_delete_long_lines() {
	setup
	fill 5000
	ct -D -o xml >"$T_TMP/out" 2>"$T_TMP/err" || t_fail "-D -o xml: $(cat "$T_TMP/err")"
	t_eq "-D summary" "$(tail -n 1 "$T_TMP/err")" "conntrack v1.4.8 (conntrack-tools): 5000 flow entries have been deleted."
	t_eq "whole flows" "$(grep -c '^<flow>.*</flow>$' "$T_TMP/out")" 5000
	t_eq "distinct sources" "$(grep -o '^<flow><meta direction="original"><layer3 [^>]*><src>[^<]*' "$T_TMP/out" | sort -u | wc -l)" 5000
	t_eq "-C" "$(ct -C)" 0
}

# The same without helper threads (RAWCT_NO_PIPE): one thread dumps,
# decodes and sends, as the piped path must behave.
nopipe() { export RAWCT_NO_PIPE=1; "$@"; }
nopipe_update_delete_5000() { nopipe case_update_delete_5000; }
nopipe_delete_race() { nopipe case_delete_race; }
nopipe_delete_long_lines() { nopipe case_delete_long_lines; }

t_case cli_update_delete_5000 case_update_delete_5000
t_case cli_delete_race case_delete_race
t_case cli_delete_long_lines case_delete_long_lines
t_case cli_update_delete_5000_nopipe nopipe_update_delete_5000
t_case cli_delete_race_nopipe nopipe_delete_race
t_case cli_delete_long_lines_nopipe nopipe_delete_long_lines
t_done
