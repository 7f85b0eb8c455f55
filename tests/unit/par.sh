#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/unit/par.sh CHECK_ALL: runs every suite of a unit-test binary
# (tests/unit/check_main.c) in processes of their own, as many at a time
# as there are CPUs, the last suites first (the longest ones are at the
# end of the list). Under ASan+UBSan each forked test ends with a leak
# check, and one suite after another took 7 of CI's 25 minutes. Prints
# each suite's output in the list's order, then Check's summary line
# summed over the suites; exits 1 if any suite failed.
set -u
prog=$1
n=$("$prog" -n) || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
out=$(mktemp -d "${TMPDIR:-/tmp}/rawct-unit.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
k=$n
while [ "$k" -gt 0 ]; do
	k=$((k - 1))
	echo "$k"
done | xargs -P "$jobs" -I{} sh -c \
	'"$1" -s "$2" >"$3/$2.log" 2>&1; echo $? >"$3/$2.rc"' sh "$prog" {} "$out"
rc=0 checks=0 fails=0 errors=0 k=0
while [ "$k" -lt "$n" ]; do
	cat "$out/$k.log"
	if [ "$(cat "$out/$k.rc" 2>/dev/null)" != 0 ]; then
		echo "unit: suite $k failed"
		rc=1
	fi
	line=$(grep -E '^[0-9]+%: Checks: ' "$out/$k.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "unit: suite $k printed no summary"
		rc=1
	else
		set -- $(echo "$line" | tr -c '0-9\n' ' ')
		checks=$((checks + $2)) fails=$((fails + $3)) errors=$((errors + $4))
	fi
	k=$((k + 1))
done
echo "all suites: Checks: $checks, Failures: $fails, Errors: $errors"
exit $rc
