#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fuzz-smoke: runs each libFuzzer harness in build/fuzz for SECONDS seconds
# (corpus in build/fuzz/work/H, seeds from fuzz/corpus/H), prints its
# executions and coverage, then replays the whole corpus once under the
# same ASan+UBSan build. Fails if any run crashes or a property aborts;
# the crashing input is left in build/fuzz/crash/. Harnesses run as many
# at a time as there are CPUs (SMOKE_JOBS overrides); their reports come
# out in the order given.
# usage: fuzz/smoke.sh SECONDS HARNESS...
set -u

secs=${1:?usage: smoke.sh SECONDS HARNESS...}
shift
jobs=${SMOKE_JOBS:-$(nproc 2>/dev/null || echo 1)}
mkdir -p build/fuzz/crash

# one harness: its report in build/fuzz/work/H.out, exit status 1 if bad
smoke_one() {
	h=$1
	work=build/fuzz/work/$h
	log=build/fuzz/work/$h.log
	mkdir -p "$work"
	if build/fuzz/"$h" -max_total_time="$secs" -print_final_stats=1 \
		-dict=fuzz/"$h".dict -artifact_prefix=build/fuzz/crash/"$h"- \
		"$work" fuzz/corpus/"$h" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 |
			sed -n 's/.*\(cov: [0-9]*\) \(ft: [0-9]*\).*/\1 \2/p')
		echo "fuzz-smoke: $h: ${execs:-?} executions in ${secs}s, $cov"
	else
		echo "fuzz-smoke: $h: FAILED, log $log:"
		grep -E -A40 '==[0-9]+==|SUMMARY|Test unit written|deadly signal' \
			"$log" | head -n 60
		return 1
	fi
	if build/fuzz/"$h" -runs=0 fuzz/corpus/"$h" "$work" \
		>"$log.replay" 2>&1; then
		n=$(ls fuzz/corpus/"$h" "$work" | grep -vc -e '^$' -e ':$')
		echo "fuzz-smoke: $h: corpus replay ok ($n inputs)"
	else
		echo "fuzz-smoke: $h: corpus replay FAILED, log $log.replay:"
		tail -n 40 "$log.replay"
		return 1
	fi
}

# report H PID: waits for H's run, prints its report; 1 if it failed
report() {
	wait "$2"
	rc=$?
	cat build/fuzz/work/"$1".out
	return $rc
}

failed=0
running=""	# "harness:pid" in start order
for h in "$@"; do
	mkdir -p build/fuzz/work
	smoke_one "$h" >build/fuzz/work/"$h".out 2>&1 &
	running="$running $h:$!"
	set -- $running
	if [ $# -ge "$jobs" ]; then
		report "${1%%:*}" "${1#*:}" || failed=1
		shift
		running="$*"
	fi
done
for r in $running; do
	report "${r%%:*}" "${r#*:}" || failed=1
done
exit $failed
