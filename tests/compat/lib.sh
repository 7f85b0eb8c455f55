# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# The differential harness, sourced by every tests/compat/s_*.sh. A
# scenario runs one conntrack command line twice: our binary ($OURS) in a
# fresh namespace and the Debian reference ($REF, 1.4.7) in another fresh
# namespace, both first prepared by the same setup function. Exit code,
# stdout and stderr must then match after normalise() has masked what
# legitimately varies (version banner, conntrack ids, timeouts, port ids,
# timestamps). A mismatch is a FAIL followed by a unified diff.
#
#   compat NAME [opts] -- ARGS...      ours must match the reference
#   differ NAME --why TEXT [opts] [--rc N] [--out TEXT] [--err TEXT]
#          [--after-out TEXT] -- ARGS...
#                                      a deliberate difference: each stream
#                                      given is asserted against OUR
#                                      (normalised) output instead; streams
#                                      not given must still match the
#                                      reference. --why is required.
#                                      --after-out is the --after
#                                      function's normalised, sorted output.
#   opts: --setup FUNC   shell function run in each namespace first (as
#                        bash, with $REF, $OURS, $NLPROBE set; use $REF to
#                        create entries; the caller's other functions are
#                        defined too); nonzero exit fails the scenario
#         --stdin TEXT   fed to both commands' standard input
#         --raw          compare without normalising
#         --timeout S    kill each command after S seconds (default 20)
#         --after FUNC   shell function run in each namespace after the
#                        command (like --setup); its stdout, normalised
#                        and sorted, is compared too (list the table with
#                        $REF there to see what the command changed)
#         --sort         sort stdout lines (after normalising): the kernel
#                        dumps in hash order, which differs per namespace
#         --connlabel TEXT  /etc/xtables/connlabel.conf for the setup and
#                        the command (a read-only overlay on /etc in a
#                        private mount namespace; the host's /etc is
#                        untouched)
#
# Setup functions and ARGS run inside the namespace only, never in the
# caller's: the host table is never read or written.
#
# The reference is 1.4.7; rawct targets 1.4.8 (upstream HEAD). Where they
# differ (spec section 1.15: -A on an existing entry, -G/-U printing every
# entry, -U/-D skipping vanished entries, numeric validation of -m/-w/-c/-i
# with exit 1, -L/-I/... taking no optional argument, no [USERSPACE] after
# XML events, ...) a scenario must use differ with our 1.4.8 behaviour.

. "$(dirname "${BASH_SOURCE[0]}")/../netns/lib.sh"

REF=${REF:-/usr/sbin/conntrack}
OURS=${OURS:-$RAWCT_TOP/conntrack}

# The reference must exist (else every scenario SKIPs loudly); ours must
# have been built (else FAIL: make check-compat builds it).
t_prereq() {
	if [ ! -x "$REF" ]; then
		echo "SKIP reference $REF missing (apt-get install conntrack)"
	elif [ ! -x "$OURS" ]; then
		echo "FAIL $OURS missing (make all)"
	fi
}

# normalise: stdin to stdout with the varying parts masked.
#  - nfct's message prefix "nfct v1.4.7:" -> "nfct vX:", and its
#    argv[0] at the start of a usage line (tests/compat/nfct_lib.sh)
#  - banner "conntrack v1.4.7 (conntrack-tools)" / v1.4.8 -> vX; usage's
#    "Version 1.4.7" -> "Version X"; usage's "Usage: <argv[0]>" (the two
#    binaries are run by different paths)
#  - conntrack ids: " id=N" (but not an ICMP id, which follows "code=N"),
#    <id> in the independent XML meta
#  - timeouts: the number after the protocol number of a flow line (after
#    an optional event timestamp, [EVENT] tag and "ipv4 2" layer-3
#    column); the leading number of an expectation line; <timeout>; "-t N" of save lines
#  - port ids: portid=N
#  - timestamps: event "[sec.usec]" prefixes, [start=...] [stop=...],
#    delta-time=, <deltatime>, <start>, <stop>
normalise() {
	sed -E \
		-e 's/conntrack v[0-9]+\.[0-9]+\.[0-9]+ \(conntrack-tools\)/conntrack vX (conntrack-tools)/g' \
		-e 's/(connection tracking system\. Version )[0-9]+\.[0-9]+\.[0-9]+/\1X/' \
		-e 's/^Usage: [^ ]*conntrack \[commands\]/Usage: conntrack [commands]/' \
		-e 's/^nfct v[0-9]+\.[0-9]+\.[0-9]+:/nfct vX:/' \
		-e 's#^(Usage: )?[^ ]*/nfct #\1nfct #' \
		-e 's/(code=[0-9]+ )id=/\1icmp_id=/g' \
		-e 's/(^|[ 	])id=[0-9]+/\1id=N/g' \
		-e 's/icmp_id=/id=/g' \
		-e 's#(<meta direction="independent">.*)<id>[0-9]+</id>#\1<id>N</id>#' \
		-e 's/^\[[0-9]+\.[0-9 ]+\]/[TS]/' \
		-e 's/^((\[TS\]	)?( *\[[A-Z]+\] )?((ipv4|ipv6|unknown) +[0-9]+ +)?[a-z0-9-]+ +[0-9]+ +)[0-9]+ /\1T /' \
		-e 's/^((\[TS\]	)?( *\[[A-Z]+\] )?)[0-9]+ proto=/\1T proto=/' \
		-e 's#<timeout>[0-9]+</timeout>#<timeout>T</timeout>#g' \
		-e 's/^(-[AUDI] )-t [0-9]+/\1-t T/' \
		-e 's/portid=[0-9]+/portid=N/g' \
		-e 's/\[(start|stop)=[^]]*\]/[\1=TS]/g' \
		-e 's/delta-time=[0-9]+/delta-time=N/g' \
		-e 's#<deltatime>[0-9]+</deltatime>#<deltatime>N</deltatime>#g' \
		-e 's#<(start|stop)>[0-9]+</(start|stop)>#<\1>TS</\2>#g'
}

# C_PRE: the command prefix that runs a command in a private mount
# namespace whose /etc has $T_TMP/etc/xtables/connlabel.conf overlaid
# (--connlabel), else nothing.
C_PRE=()

# c_exec TAG NS STDIN TIMEOUT BIN ARGS...: runs one side, writes rc/out/err
# files under $T_TMP/<tag>.
c_exec() {
	local tag=$1 ns=$2 input=$3 secs=$4
	shift 4
	if [ -n "$input" ]; then
		printf '%s\n' "$input" | LC_ALL=C timeout "$secs" \
			ip netns exec "$ns" "${C_PRE[@]}" "$@" \
			>"$T_TMP/$tag.out" 2>"$T_TMP/$tag.err"
	else
		LC_ALL=C timeout "$secs" ip netns exec "$ns" "${C_PRE[@]}" "$@" \
			</dev/null >"$T_TMP/$tag.out" 2>"$T_TMP/$tag.err"
	fi
	echo $? >"$T_TMP/$tag.rc"
}

# c_setup NS FUNC: runs the setup function inside NS.
c_setup() {
	local ns=$1 fn=$2
	[ -n "$fn" ] || return 0
	declare -F "$fn" >/dev/null || t_fail "setup function '$fn' is not defined"
	if ! REF=$REF OURS=$OURS NLPROBE=$NLPROBE LC_ALL=C ip netns exec "$ns" \
		"${C_PRE[@]}" bash -c "set -e; $(declare -f); $fn" \
		>"$T_TMP/setup.log" 2>&1; then
		t_fail "setup $fn failed: $(tail -n 3 "$T_TMP/setup.log" | tr '\n' ' ')"
	fi
}

# c_after NS: the --after function's view of NS, for the document.
c_after() {
	echo "--- after $C_AFTER"
	REF=$REF LC_ALL=C ip netns exec "$1" "${C_PRE[@]}" \
		bash -c "$(declare -f "$C_AFTER"); $C_AFTER" 2>&1 |
		normalise | LC_ALL=C sort
}

# c_doc TAG NORM: the comparable form of one side's results.
c_doc() {
	local tag=$1 norm=$2
	echo "exit: $(cat "$T_TMP/$tag.rc")"
	echo "--- stdout"
	if [ "$norm" = 1 ]; then normalise <"$T_TMP/$tag.out"; else cat "$T_TMP/$tag.out"; fi |
		if [ "$C_SORT" = 1 ]; then LC_ALL=C sort; else cat; fi
	echo "--- stderr"
	if [ "$norm" = 1 ]; then normalise <"$T_TMP/$tag.err"; else cat "$T_TMP/$tag.err"; fi
}

# The body of one scenario; its settings come in C_* variables.
c_scenario() {
	local nsr nso
	ns_new nsr
	ns_new nso
	if [ "$C_HAS_LABELS" = 1 ]; then
		mkdir -p "$T_TMP/etc/xtables"
		printf '%s' "$C_LABELS" >"$T_TMP/etc/xtables/connlabel.conf"
		C_PRE=(unshare -m sh -c 'mount -t overlay rawct-etc \
			-o "lowerdir=$0:/etc" /etc && exec "$@"' "$T_TMP/etc")
	fi
	c_setup "$nsr" "$C_SETUP"
	c_setup "$nso" "$C_SETUP"
	c_exec ref "$nsr" "$C_STDIN" "$C_TIMEOUT" "$REF" "${C_ARGS[@]}"
	c_exec ours "$nso" "$C_STDIN" "$C_TIMEOUT" "$OURS" "${C_ARGS[@]}"
	c_doc ref "$C_NORM" >"$T_TMP/ref.doc"
	c_doc ours "$C_NORM" >"$T_TMP/ours.doc"
	if [ -n "$C_AFTER" ]; then
		c_after "$nsr" >"$T_TMP/ref.after"
		c_after "$nso" >>"$T_TMP/ours.doc"
		cat "$T_TMP/ref.after" >>"$T_TMP/ref.doc"
	fi
	if [ "$C_DIFFER" = 1 ]; then
		# the expected document: the reference's, with each declared
		# stream replaced by what we deliberately print instead
		[ -n "$C_RC" ] && echo "$C_RC" >"$T_TMP/ref.rc"
		[ "$C_HAS_OUT" = 1 ] && printf '%s' "$C_OUT" >"$T_TMP/ref.out"
		[ "$C_HAS_ERR" = 1 ] && printf '%s' "$C_ERR" >"$T_TMP/ref.err"
		# (declared text is written in normalised form, which
		# normalise() leaves as it is)
		c_doc ref "$C_NORM" >"$T_TMP/expect.doc"
		if [ "$C_HAS_AFTER_OUT" = 1 ]; then
			{ echo "--- after $C_AFTER"; printf '%s' "$C_AFTER_OUT"; } \
				>>"$T_TMP/expect.doc"
		elif [ -n "$C_AFTER" ]; then
			cat "$T_TMP/ref.after" >>"$T_TMP/expect.doc"
		fi
		local label="expected (deliberate difference: $C_WHY)"
		if ! diff -u --label "$label" --label rawct \
			"$T_TMP/expect.doc" "$T_TMP/ours.doc" >"$T_TMP/detail"; then
			t_fail "differs from the declared expectation"
		fi
	else
		if ! diff -u --label "reference $REF" --label "rawct $OURS" \
			"$T_TMP/ref.doc" "$T_TMP/ours.doc" >"$T_TMP/detail"; then
			t_fail "differs from the reference"
		fi
	fi
}

# Parses the options shared by compat and differ into C_* variables.
c_parse() {
	C_SETUP="" C_STDIN="" C_NORM=1 C_TIMEOUT=20 C_WHY="" C_RC=""
	C_OUT="" C_ERR="" C_HAS_OUT=0 C_HAS_ERR=0 C_ARGS=() C_SORT=0
	C_LABELS="" C_HAS_LABELS=0 C_AFTER= C_AFTER_OUT="" C_HAS_AFTER_OUT=0
	while [ $# -gt 0 ]; do
		case $1 in
		--setup) C_SETUP=$2; shift 2 ;;
		--stdin) C_STDIN=$2; shift 2 ;;
		--raw) C_NORM=0; shift ;;
		--sort) C_SORT=1; shift ;;
		--after) C_AFTER=$2; shift 2 ;;
		--connlabel) C_LABELS=$2; C_HAS_LABELS=1; shift 2 ;;
		--timeout) C_TIMEOUT=$2; shift 2 ;;
		--why) C_WHY=$2; shift 2 ;;
		--rc) C_RC=$2; shift 2 ;;
		--out) C_OUT=$2; C_HAS_OUT=1; shift 2 ;;
		--err) C_ERR=$2; C_HAS_ERR=1; shift 2 ;;
		--after-out) C_AFTER_OUT=$2; C_HAS_AFTER_OUT=1; shift 2 ;;
		--) shift; C_ARGS=("$@"); return 0 ;;
		*) echo "compat: unknown option '$1' (missing --?)" >&2; return 1 ;;
		esac
	done
	echo "compat: missing -- before the command line" >&2
	return 1
}

# compat NAME [opts] -- ARGS...
compat() {
	local name=$1
	shift
	if ! c_parse "$@"; then
		t_record FAIL "$name" "bad scenario declaration"
		return
	fi
	C_DIFFER=0
	t_case "$name" c_scenario
}

# differ NAME --why TEXT [opts] [--rc N] [--out TEXT] [--err TEXT] -- ARGS...
# --out/--err TEXT is the whole stream; end it with a newline ($'...\n')
# when the program prints one.
differ() {
	local name=$1
	shift
	if ! c_parse "$@" || [ -z "$C_WHY" ]; then
		t_record FAIL "$name" "bad scenario declaration (differ needs --why)"
		return
	fi
	if [ -z "$C_RC" ] && [ "$C_HAS_OUT" = 0 ] && [ "$C_HAS_ERR" = 0 ] &&
		[ "$C_HAS_AFTER_OUT" = 0 ]; then
		t_record FAIL "$name" "differ declares no difference (--rc/--out/--err/--after-out)"
		return
	fi
	C_DIFFER=1
	t_case "$name" c_scenario
}
