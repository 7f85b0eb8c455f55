#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make demo` keeps working: tests/demo.sh (conntrack and conntrackd in
# Stats mode) and tests/demo_failover.sh (a TCP connection kept across a
# failover between two firewalls) run to their end and show what they
# promise. Each makes and deletes its own rawct-* namespaces.
. "$(dirname "$0")/ctd_lib.sh"

case_demo() {
	local out
	out=$("$RAWCT_TOP/tests/demo.sh" 2>&1) || t_fail "demo.sh exited $?: $(echo "$out" | tail -n 5)"
	case $out in
	*"4 flow entries have been shown."*"1 flow entries have been deleted."*) ;;
	*) t_fail "demo.sh: the flows it makes are not listed and deleted: $(echo "$out" | head -n 40)" ;;
	esac
	echo "$out" | grep -q '^# conntrackd -C .*-s json$' ||
		t_fail "demo.sh: conntrackd -s json not shown"
	echo "$out" | grep -qP '^\w{3} \w{3} +\d+ [\d:]{8} \d{4}\tudp +17 src=10\.1\.0\.2 ' ||
		t_fail "demo.sh: the flow log line is missing: $(echo "$out" | tail -n 8)"
}

case_demo_failover() {
	local out
	command -v nft >/dev/null 2>&1 || t_skip "nft is not installed"
	command -v python3 >/dev/null 2>&1 || t_skip "python3 is not installed"
	out=$("$RAWCT_TOP/tests/demo_failover.sh" 2>&1) ||
		t_fail "demo_failover.sh exited $?: $(echo "$out" | tail -n 8)"
	echo "$out" | grep -q '^the connection survived: every line echoed' ||
		t_fail "demo_failover.sh: $(echo "$out" | tail -n 8)"
	echo "$out" | grep -q 'conntrackd -c done' ||
		t_fail "demo_failover.sh: the notify script's log is not shown"
}

t_case demo case_demo
t_case demo_failover case_demo_failover
t_done
