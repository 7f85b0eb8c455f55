#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrack -R against the real kernel: a file with a failing line in the
# middle names that line, keeps the earlier lines applied, runs nothing
# after the batch it was sent in (the rest of that batch is reported);
# a parse error anywhere runs nothing; -R - reads a pipe; -I/-A/-U/-D/-F
# lines mixed run in order. Each with and without the helper threads.
. "$(dirname "$0")/lib.sh"

NS=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }

setup() {
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
}

# gen FROM TO: -I lines for udp 10.1.x.y:1 -> 10.2.0.1:2.
gen() {
	local i
	for ((i = $1; i <= $2; i++)); do
		echo "-I -s 10.1.$((i / 256)).$((i % 256)) -d 10.2.0.1 -p udp --sport 1 --dport 2 -t 100"
	done
}

case_error_small() {
	local out rc
	setup
	{
		gen 1 10
		gen 1 1			# line 11: exists
		gen 12 12		# line 12: same batch, run
		echo "-D -p udp"	# line 13: never runs
		gen 14 20
	} >"$T_TMP/f"
	out=$(ct -R "$T_TMP/f" 2>&1)
	rc=$?
	t_eq "exit" "$rc" 1
	case $out in
	*"line 11: Operation failed: Such conntrack exists, try -U to update"*) ;;
	*) t_fail "message: $out" ;;
	esac
	case $out in
	*"lines 12-12 were sent in the same batch and run: 1 applied, 0 refused"*) ;;
	*) t_fail "in-flight report: $out" ;;
	esac
	t_eq "entries" "$(ct -C)" 11
	ct -G -s 10.1.0.20 -d 10.2.0.1 -p udp --sport 1 --dport 2 >/dev/null 2>&1 &&
		t_fail "line 20 was applied"
	return 0
}

case_error_big() {
	local out rc applied last
	setup
	{ gen 1 1499; gen 7 7; gen 1501 3000; } >"$T_TMP/f"
	out=$(ct -R "$T_TMP/f" 2>&1)
	rc=$?
	t_eq "exit" "$rc" 1
	case $out in
	*"line 1500: Operation failed: Such conntrack exists"*) ;;
	*) t_fail "message: $out" ;;
	esac
	last=$(printf '%s\n' "$out" | sed -n 's/.*lines 1501-\([0-9]*\) were sent.*: \([0-9]*\) applied, 0 refused/\1 \2/p')
	[ -n "$last" ] || t_fail "no in-flight report: $out"
	applied=${last#* }
	last=${last% *}
	t_eq "applied = lines in flight" "$applied" "$((last - 1500))"
	[ "$last" -lt 3000 ] || t_fail "the whole file was in flight"
	t_eq "entries" "$(ct -C)" "$((1499 + applied))"
	ct -G -s 10.1.$((3000 / 256)).$((3000 % 256)) -d 10.2.0.1 -p udp \
		--sport 1 --dport 2 >/dev/null 2>&1 && t_fail "line 3000 was applied"
	return 0
}

case_parse_error() {
	local out rc
	setup
	{ gen 1 100; echo "-I -s 10.1.0.1 -d 10.2.0.1 -p udp --sport 1 --dport 2 -t 100 --frob"; gen 102 200; } >"$T_TMP/f"
	out=$(ct -R "$T_TMP/f" 2>&1)
	rc=$?
	t_eq "exit" "$rc" 2
	case $out in
	*"line 101: "*) ;;
	*) t_fail "message: $out" ;;
	esac
	t_eq "entries" "$(ct -C)" 0
}

case_stdin_mixed() {
	local out rc
	setup
	out=$({
		gen 1 300
		echo "-A -s 10.1.0.1 -d 10.2.0.1 -p udp --sport 1 --dport 2 -t 100 -m 9"
		echo "-U -s 10.1.0.0/24 -m 5"
		echo "-D -m 9"
		echo "# a comment"
		echo ""
		echo "-D -s 10.1.0.0/31"
	} | ns_exec "$NS" "$CONNTRACK" -R - 2>&1)
	rc=$?
	t_eq "exit ($out)" "$rc" 0
	t_eq "entries" "$(ct -C)" 299
	t_eq "marked 5" "$(ct -L -m 5 2>/dev/null | wc -l)" 254
	printf -- '-F\n' | ns_exec "$NS" "$CONNTRACK" -R - >/dev/null 2>&1 ||
		t_fail "-R - with -F"
	t_eq "after -F" "$(ct -C)" 0
}

# A file over 1 MiB is checked in two halves at once: a bad line in the
# second half is still named by its line number in the whole file, the
# first bad line wins when both halves have one, and nothing runs.
case_parse_error_halves() {
	local out rc
	setup
	# 24000 lines of about 60 bytes: the halves meet near line 12000
	{ gen 1 17999; echo "-I --frob"; gen 18001 24000; } >"$T_TMP/f"
	[ "$(stat -c %s "$T_TMP/f")" -gt 1048576 ] || t_fail "file too small to split"
	out=$(ct -R "$T_TMP/f" 2>&1)
	rc=$?
	t_eq "exit" "$rc" 2
	case $out in
	*"line 18000: unknown option \`--frob'"*) ;;
	*) t_fail "second half: $out" ;;
	esac
	sed -i '3000s/.*/-L/' "$T_TMP/f"
	out=$(ct -R "$T_TMP/f" 2>&1)
	case $out in
	*"line 3000: Cannot use command \`-L' with --load-file"*) ;;
	*) t_fail "first half first: $out" ;;
	esac
	case $out in
	*"line 18000"*) t_fail "second error reported too: $out" ;;
	esac
	t_eq "entries" "$(ct -C)" 0
}

# The same, with the batches sent from the calling thread (RAWCT_NO_PIPE:
# no helper thread): both paths keep the same semantics.
nopipe() { export RAWCT_NO_PIPE=1; "$@"; }
nopipe_error_small() { nopipe case_error_small; }
nopipe_error_big() { nopipe case_error_big; }
nopipe_stdin_mixed() { nopipe case_stdin_mixed; }
nopipe_parse_error_halves() { nopipe case_parse_error_halves; }

t_case load_error_middle case_error_small
t_case load_error_big case_error_big
t_case load_parse_error case_parse_error
t_case load_stdin_mixed case_stdin_mixed
t_case load_parse_error_halves case_parse_error_halves
t_case load_error_middle_nopipe nopipe_error_small
t_case load_error_big_nopipe nopipe_error_big
t_case load_stdin_mixed_nopipe nopipe_stdin_mixed
t_case load_parse_error_halves_nopipe nopipe_parse_error_halves
t_done
