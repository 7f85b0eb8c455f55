# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# What the two-firewall benchmarks (tests/bench/sync_bench.sh,
# sync_fault_bench.sh) share, sourced with RAWCT_TOP set: the rig of
# tests/netns/ha_rig.sh, a work directory removed at exit, the global
# nf_conntrack_max raised for the run and restored, and rounds run as
# netns cases whose failure (a broken rig) is said and counted, so the
# run can end in failure once its figures are reported.

# the daemons compared and the CLI that loads and lists flows
OURS=${OURS:-$RAWCT_TOP/conntrackd}
REF=${REF:-/usr/sbin/conntrackd}
LOADER=${LOADER:-$RAWCT_TOP/conntrack}

# shellcheck source=../netns/ctd_lib.sh
. "$RAWCT_TOP/tests/netns/ctd_lib.sh"
# shellcheck source=../netns/ha_rig.sh
. "$RAWCT_TOP/tests/netns/ha_rig.sh"
CONNTRACK=$LOADER

# hab_init NAME FLOWS: exits 1 unless root with the daemons OURS and
# REF and the CLI LOADER; then HAB_NAME (the messages' prefix), HAB_WORK
# (a directory removed at exit), HAB_RESULTS (an empty file in it) and
# nf_conntrack_max at least FLOWS + 10000 until exit (the limit is
# global, the count per namespace: FLOWS is what one namespace holds).
hab_init() {
	local why=
	HAB_NAME=$1
	if [ "$(id -u)" != 0 ]; then why="needs root (network namespaces)"
	elif [ ! -x "$OURS" ]; then why="build first: $OURS missing (make)"
	elif [ ! -x "$REF" ]; then
		why="reference $REF missing (tests/deps.sh installs it)"
	elif [ ! -x "$LOADER" ]; then why="$LOADER missing"
	fi
	[ -z "$why" ] || { echo "$1: $why" >&2; exit 1; }
	HAB_FAILED=0
	HAB_WORK=$(mktemp -d "${TMPDIR:-/tmp}/rawct-$1.XXXXXX") || exit 1
	HAB_RESULTS=$HAB_WORK/results
	: >"$HAB_RESULTS"
	hab_max_file=/proc/sys/net/netfilter/nf_conntrack_max
	hab_old_max=$(cat "$hab_max_file")
	trap hab_cleanup EXIT
	trap 'exit 130' INT TERM
	[ "$hab_old_max" -ge $(($2 + 10000)) ] ||
		echo $(($2 + 10000)) >"$hab_max_file"
}

# hab_cpu_us N: the CPU time of every process in firewall N so far (us).
hab_cpu_us() {
	local p t=0 v
	for p in $(ip netns pids "$(ha_ns "$1")"); do
		for v in $(awk '{ print int($1 / 1000) }' \
			/proc/"$p"/task/*/schedstat 2>/dev/null); do
			t=$((t + v))
		done
	done
	echo "$t"
}

hab_cleanup() {
	echo "$hab_old_max" >"$hab_max_file"
	rm -rf "$HAB_WORK"
}

# hab_round CMD...: CMD in a subshell as a netns case (its own T_TMP,
# namespaces and traps); what it prints goes to stdout and HAB_RESULTS.
# A case that fails or skips is a broken rig: said on stderr with the
# tails of the daemons' logs, counted in HAB_FAILED.
hab_round() {
	local t rc n
	t=$(mktemp -d "$HAB_WORK/r.XXXXXX")
	(
		T_TMP=$t
		trap 'exit 130' INT TERM
		"$@"
	) >"$t/out"
	rc=$?
	tee -a "$HAB_RESULTS" <"$t/out"
	if [ "$rc" != 0 ]; then
		HAB_FAILED=$((HAB_FAILED + 1))
		echo "$HAB_NAME: $* failed ($rc): $(cat "$t/why" 2>/dev/null)" >&2
		for n in 1 2; do
			[ -f "$t/fw$n/log" ] || continue
			echo "--- fw$n's log" >&2
			tail -n 8 "$t/fw$n/log" >&2
		done
	fi
	rm -rf "$t"
	[ "$rc" != 130 ] || exit 130
}

# hab_report FILE CMD...: the run's end: CMD's table, then every round's
# RESULT line, on stdout and into FILE (unless empty); exits 1 if a round
# failed.
hab_report() {
	local out=$1
	shift
	{
		"$@"
		echo "rounds:"
		sed 's/^RESULT /  /' "$HAB_RESULTS"
	} | if [ -n "$out" ]; then tee "$out"; else cat; fi
	[ "$HAB_FAILED" = 0 ] && return 0
	echo "$HAB_NAME: $HAB_FAILED round(s) FAILED: the rig broke, figures incomplete" >&2
	exit 1
}

# hab_sync_pair MODE TRANSPORT: the rig's sync link only (`ha_net sync`),
# both daemons started and the link checked with a canary.
hab_sync_pair() {
	local n
	ha_net sync
	for n in 1 2; do
		ha_conf $n "$1" "$2"
		ha_start $n
	done
	ha_ready
}
