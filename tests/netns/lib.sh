# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Helpers for the real-kernel tests, sourced by every tests/netns/t_*.sh.
# A case is a shell function run in a subshell by t_case: it makes its own
# network namespaces with ns_new (named rawct-<random>, deleted by the
# subshell's EXIT trap whatever happens), runs commands in them with
# ns_exec, and ends by returning (PASS), calling t_fail "why" or t_skip
# "why". Each case prints one line: `PASS name`, `FAIL name: why` or
# `SKIP name: why`. Run alone, a t_*.sh file ends with t_done's summary;
# under run.sh (RAWCT_RESULTS set) the results go to that file instead and
# run.sh prints the totals. Nothing here touches the caller's namespace:
# every conntrack operation happens inside a namespace made here.

RAWCT_TOP=${RAWCT_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NLPROBE=${NLPROBE:-$RAWCT_TOP/build/netns/nlprobe}
CONNTRACK=${CONNTRACK:-$RAWCT_TOP/conntrack}

T_PASSED=0
T_FAILED=0
T_SKIPPED=0

# A random lowercase hex string of $1 characters (default 8).
rand_hex() {
	od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | cut -c1-"${1:-8}"
}

# Why this machine cannot run namespace tests, or nothing if it can.
t_cannot_run() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root (network namespaces, ctnetlink writes)"
	elif ! command -v ip >/dev/null 2>&1; then
		echo "no 'ip' command (install iproute2)"
	elif ! ip netns list >/dev/null 2>&1; then
		echo "'ip netns' does not work here"
	fi
}

# ---- inside a case (a subshell) ----------------------------------------

T_NAMESPACES=""

ns_cleanup() {
	local ns
	for ns in $T_NAMESPACES; do
		ip netns del "$ns" 2>/dev/null
	done
	T_NAMESPACES=""
}

# ns_new VAR: creates a namespace, stores its name in VAR. The name starts
# with "rawct-" so a leftover is recognisable; the case's EXIT trap
# deletes it.
ns_new() {
	local _nn_name
	_nn_name="rawct-$(rand_hex 10)"
	if ! ip netns add "$_nn_name" 2>"$T_TMP/ns_err"; then
		t_skip "cannot create a network namespace: $(cat "$T_TMP/ns_err")"
	fi
	T_NAMESPACES="$T_NAMESPACES $_nn_name"
	ip -n "$_nn_name" link set lo up 2>/dev/null
	# Events for every flow, whenever it was made: with the default 2,
	# a flow made while no ctnetlink listener exists (on the whole host:
	# the kernel keeps one global flag) gets no event extension and never
	# reports its end, so a case's result would depend on what other
	# programs listen elsewhere at that moment.
	ip netns exec "$_nn_name" sysctl -qw \
		net.netfilter.nf_conntrack_events=1 2>/dev/null
	printf -v "$1" '%s' "$_nn_name"
}

# ns_exec NS CMD...: runs CMD inside namespace NS.
ns_exec() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_require_ctnetlink NS: skips the case loudly unless ctnetlink answers
# in NS (module missing, or netlink refused).
ns_require_ctnetlink() {
	if ! ns_exec "$1" "$NLPROBE" stats >"$T_TMP/ct_out" 2>&1; then
		t_skip "ctnetlink unavailable: $(tr '\n' ' ' <"$T_TMP/ct_out")"
	fi
}

# need_threads: skips the case loudly with fewer than two CPUs, where
# conntrack runs no helper threads (so the threaded path is not tested).
need_threads() {
	[ "$(nproc)" -ge 2 ] ||
		t_skip "one CPU: conntrack runs no helper threads here"
}

# wait_file FILE: waits up to 5 s for FILE, the ready file a listener
# creates once it is subscribed or bound; fails the case if it does not
# appear.
wait_file() {
	local i
	for i in $(seq 100); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	t_fail "listener did not start ($1)"
}

# t_fail WHY / t_skip WHY: end the case with that verdict.
t_fail() {
	printf '%s\n' "$*" >"$T_TMP/why"
	exit 1
}

t_skip() {
	printf '%s\n' "$*" >"$T_TMP/why"
	exit 77
}

# t_run VAR CMD...: runs CMD, stores its stdout in VAR; fails the case
# (with CMD's stderr) if CMD exits nonzero. Its locals are prefixed so
# they never shadow the caller's VAR.
t_run() {
	local _tr_var=$1 _tr_out _tr_rc
	shift
	_tr_out=$("$@" 2>"$T_TMP/run_err")
	_tr_rc=$?
	if [ "$_tr_rc" != 0 ]; then
		t_fail "'$*' exited $_tr_rc: $(tr '\n' ' ' <"$T_TMP/run_err")"
	fi
	printf -v "$_tr_var" '%s' "$_tr_out"
}

# t_eq WHAT GOT WANT: fails the case unless GOT = WANT.
t_eq() {
	[ "$2" = "$3" ] || t_fail "$1: got '$2', want '$3'"
}

# ---- running cases -------------------------------------------------------

t_record() {
	local verdict=$1 name=$2 why=$3 line
	case $verdict in
	PASS) line="PASS $name"; T_PASSED=$((T_PASSED + 1)) ;;
	FAIL) line="FAIL $name: $why"; T_FAILED=$((T_FAILED + 1)) ;;
	SKIP) line="SKIP $name: $why"; T_SKIPPED=$((T_SKIPPED + 1)) ;;
	esac
	echo "$line"
	if [ -n "${RAWCT_RESULTS:-}" ]; then
		echo "$line" >>"$RAWCT_RESULTS"
	fi
}

# t_prereq: what every case of this suite needs beyond t_cannot_run;
# prints "SKIP why" or "FAIL why", or nothing. Suites may redefine it.
t_prereq() {
	[ -x "$NLPROBE" ] || echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"
}

# t_case NAME FUNC: runs FUNC in a subshell with its own scratch
# directory ($T_TMP) and namespace cleanup, and records the verdict. A
# case may leave details (a diff) in $T_TMP/detail: printed after a FAIL.
# kill_tree PID: ends PID and every process below it (children first,
# so a hung command does not hold its shell's traps back).
kill_tree() {
	local c
	for c in $(pgrep -P "$1"); do
		kill_tree "$c"
	done
	kill -TERM "$1" 2>/dev/null
}

# t_watch PID TMP: waits for the case running as PID, ending it after
# T_CASE_TIMEOUT seconds (600 by default) as a failure that says so.
# Returns the case's exit status.
t_watch() {
	local pid=$1 tmp=$2 limit=${T_CASE_TIMEOUT:-600} dog rc
	# (its stderr closed: killing its sleep makes it say "Terminated")
	(
		sleep "$limit"
		echo "timed out after $limit s" >"$tmp/why"
		kill_tree "$pid"
	) 2>/dev/null &
	dog=$!
	wait "$pid"
	rc=$?
	kill_tree "$dog"
	wait "$dog" 2>/dev/null
	return "$rc"
}

t_case() {
	local name=$1 func=$2 rc why tmp reason
	reason=$(t_cannot_run)
	if [ -n "$reason" ]; then
		t_record SKIP "$name" "$reason"
		return
	fi
	reason=$(t_prereq)
	if [ -n "$reason" ]; then
		t_record "${reason%% *}" "$name" "${reason#* }"
		return
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/rawct-test.XXXXXX") || {
		t_record FAIL "$name" "mktemp failed"
		return
	}
	(
		T_TMP=$tmp
		trap ns_cleanup EXIT
		trap 'exit 130' INT TERM
		"$func" >"$T_TMP/log" 2>&1
	) &
	t_watch $! "$tmp"
	rc=$?
	why=$(cat "$tmp/why" 2>/dev/null)
	case $rc in
	0) t_record PASS "$name" ;;
	77) t_record SKIP "$name" "$why" ;;
	*)
		t_record FAIL "$name" "${why:-exited $rc: $(tail -n 3 "$tmp/log" | tr '\n' ' ')}"
		if [ -s "$tmp/detail" ]; then
			sed 's/^/    /' "$tmp/detail"
		fi
		;;
	esac
	rm -rf "$tmp"
}

# t_run_one FILE RESULTS: runs one case file, its verdicts into RESULTS
# (a file of its own), then the time it took; a file that died before
# recording anything still counts.
t_run_one() {
	local t=$1 res=$2 t0=$SECONDS rc
	: >"$res"
	RAWCT_RESULTS=$res bash "$t"
	rc=$?
	# the CI budget is spent file by file: say where
	echo "# $(basename "$t" .sh): $((SECONDS - t0)) s"
	if [ "$rc" != 0 ] && [ ! -s "$res" ]; then
		echo "FAIL $(basename "$t" .sh): exited $rc without a verdict" |
			tee -a "$res"
	fi
}

# t_run_files FILE...: the body of a run.sh: runs each case file, then
# prints the totals as the last line, "N passed, N failed[, N skipped]".
# Returns 1 if any case failed. With RAWCT_JOBS=N (N > 1), N files run
# at a time, each one's output printed whole, in the files' order, once
# it and the ones before it are done (for suites whose cases share
# nothing: the differential tests; the netns cases run one at a time,
# some of them time what they test).
t_run_files() {
	local results out t i=0 next=0 jobs=${RAWCT_JOBS:-1} passed failed skipped
	results=$(mktemp "${TMPDIR:-/tmp}/rawct-results.XXXXXX") || return 1
	out=$(mktemp -d "${TMPDIR:-/tmp}/rawct-files.XXXXXX") || return 1
	# shellcheck disable=SC2064
	trap "rm -rf '$results' '$out'" EXIT
	trap 'exit 130' INT TERM
	for t in "$@"; do
		[ -e "$t" ] || continue
		if [ "$jobs" -le 1 ]; then
			t_run_one "$t" "$out/$i.res"
			cat "$out/$i.res" >>"$results"
			i=$((i + 1))
			continue
		fi
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		( t_run_one "$t" "$out/$i.res" >"$out/$i.log" 2>&1
		  : >"$out/$i.done" ) &
		i=$((i + 1))
		while [ -e "$out/$next.done" ]; do
			cat "$out/$next.log"
			cat "$out/$next.res" >>"$results"
			next=$((next + 1))
		done
	done
	wait
	while [ "$next" -lt "$i" ] && [ "$jobs" -gt 1 ]; do
		cat "$out/$next.log"
		cat "$out/$next.res" >>"$results"
		next=$((next + 1))
	done
	passed=$(grep -c '^PASS ' "$results")
	failed=$(grep -c '^FAIL ' "$results")
	skipped=$(grep -c '^SKIP ' "$results")
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" = 0 ]
}

# t_done: the summary of a t_*.sh run on its own; exit status 1 if any
# case failed. Under run.sh it only sets the status.
t_done() {
	if [ -z "${RAWCT_RESULTS:-}" ]; then
		if [ "$T_SKIPPED" -gt 0 ]; then
			echo "$T_PASSED passed, $T_FAILED failed, $T_SKIPPED skipped"
		else
			echo "$T_PASSED passed, $T_FAILED failed"
		fi
	fi
	[ "$T_FAILED" = 0 ]
}
