# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# The differential harness for conntrackd, sourced by tests/compat/d_*.sh.
# A scenario runs one conntrackd command line twice: with our daemon and
# client ($CTD_OURS) in a fresh namespace and with the Debian reference
# ($CTD_REF, 1.4.7) in another, each side with its own directory for the
# configuration, lock, socket and log files. Exit code, stdout and stderr
# (and, with --log, the daemon's log) must match after ctd_normalise has
# masked what legitimately varies: dates, pids, the side's directory,
# ages in seconds, conntrack ids, the version, argv[0], how long a commit
# took, sync sequence numbers (upstream starts them at time(NULL), we at
# a random number).
#
#   ctd_compat NAME [opts] -- ARGS...        ours must match
#   ctd_differ NAME --why TEXT [opts] [--rc N] [--out TEXT] [--err TEXT]
#              -- ARGS...                    a declared difference: the
#                                            streams given are asserted
#                                            against ours instead
#   opts: --conf FUNC    writes the configuration to "$1/c.conf" (the
#                        side's directory is $1); default: ctd_conf_stats
#         --text TEXT    the configuration is TEXT, byte for byte (no
#                        newline added), @D@ replaced by the side's dir
#         --bad          the configuration must be refused while it is
#                        parsed: each side first parses it in client mode
#                        (-C FILE -s, which starts no daemon whatever the
#                        file says), and the command runs only if that
#                        probe failed in the parser; a file that parses
#                        shows as "exit: PARSED" with the probe's output
#         --daemon       start the side's daemon (console mode) first and
#                        stop it (-k, then the pid) afterwards
#         --setup FUNC   run in the namespace before the daemon starts
#                        (with $CT = /usr/sbin/conntrack, $D = the dir)
#         --before FUNC  run in the namespace after the daemon started
#                        (with $BIN too, the side's program)
#         --mask SED     one more sed expression (-E) for both sides'
#                        stdout, for what varies in this scenario only
#         --log          compare the daemon's log file too
#         --console      compare what the daemon (--daemon) printed on
#                        its console (start-up warnings, console log)
#         --flows        compare the Stats flow log ($1/flows) too
#         --after FUNC   run in the namespace after the command, the
#                        daemon still running; its output is compared
#         --after-out T  (ctd_differ) what --after prints for ours
#         --sort         sort stdout lines (cache dumps are in hash order)
#         --noconf       do not pass -C (ARGS carry their own, or none)
#
# The daemons run inside the namespaces only, with every file in $T_TMP;
# nothing touches /var/lock, /var/run or the host's conntrack table.

. "$(dirname "${BASH_SOURCE[0]}")/../netns/lib.sh"

CTD_REF=${CTD_REF:-/usr/sbin/conntrackd}
CTD_OURS=${CTD_OURS:-$RAWCT_TOP/conntrackd}
CT=${CT:-/usr/sbin/conntrack}

t_prereq() {
	if [ ! -x "$CTD_REF" ]; then
		echo "SKIP reference $CTD_REF missing (apt-get install conntrackd)"
	elif [ ! -x "$CT" ]; then
		echo "SKIP $CT missing (apt-get install conntrack)"
	elif [ ! -x "$CTD_OURS" ]; then
		echo "FAIL $CTD_OURS missing (make all)"
	fi
}

# The default configuration: Stats mode, every file in the side's dir.
ctd_conf_stats() {
	cat >"$1/c.conf" <<EOF
General {
	HashSize 8192
	HashLimit 65536
	LogFile $1/log
	LockFile $1/lock
	UNIX { Path $1/sock }
}
Stats {
	LogFile $1/flows
}
EOF
}

# --text: the scenario's literal configuration.
ctd_conf_text() {
	local text=${C_TEXT//@D@/$1}
	printf '%s' "$text" >"$1/c.conf"
}

# ctd_probe_refused NS BIN DIR: whether BIN refuses DIR/c.conf while
# parsing it. Client mode: a file that parses only makes it fail to
# connect (no socket in DIR), so nothing starts. The probe's streams are
# kept in DIR/probe.out and DIR/probe.err.
ctd_probe_refused() {
	LC_ALL=C timeout 10 ip netns exec "$1" "$2" -C "$3/c.conf" -s \
		</dev/null >"$3/probe.out" 2>"$3/probe.err"
	echo $? >"$3/probe.rc"
	[ "$(cat "$3/probe.rc")" != 0 ] &&
		! grep -q "can't connect" "$3/probe.err"
}

# ctd_normalise DIR: stdin to stdout with the varying parts masked.
ctd_normalise() {
	sed -E \
		-e "s#$1#DIR#g" \
		-e 's/^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4}\] \(pid=[0-9]+\)/[DATE] (pid=N)/' \
		-e 's/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4}	/DATE	/' \
		-e 's/\[active since [0-9]+s\]/[active since Ns]/g' \
		-e 's/\[expires in [0-9]+s\]/[expires in Ns]/g' \
		-e 's#<id>[0-9]+</id>#<id>N</id>#g' \
		-e 's/daemon v1\.4\.[0-9]/daemon vX/' \
		-e 's/^Usage: [^ ]*conntrackd /Usage: conntrackd /' \
		-e 's/delta-time=[0-9]+/delta-time=N/g' \
		-e 's/commit has taken [0-9]+\.[0-9]+ seconds/commit has taken N seconds/' \
		-e 's/-> seq:[0-9]+/-> seq:N/'
}

# ctd_start NS BIN DIR: the daemon in NS, in the console; waits for its
# socket (or for it to exit). Sets CTD_PID.
ctd_start() {
	local ns=$1 bin=$2 dir=$3 i
	ip netns exec "$ns" "$bin" -C "$dir/c.conf" >"$dir/console" 2>&1 &
	CTD_PID=$!
	for i in $(seq 1 500); do
		[ -S "$dir/sock" ] && return 0
		kill -0 "$CTD_PID" 2>/dev/null || return 1
		sleep 0.01
	done
	return 1
}

# ctd_stop NS BIN DIR PID: -k, then the pid if it lingers. A daemon
# that does not answer -k within 10 s fails the scenario (it is killed).
ctd_stop() {
	local ns=$1 bin=$2 dir=$3 pid=$4 rc
	timeout 10 ip netns exec "$ns" "$bin" -C "$dir/c.conf" -k >/dev/null 2>&1
	rc=$?
	for _ in $(seq 1 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ "$rc" != 124 ] || t_fail "$bin did not answer -k within 10 s"
	return 0
}

# ctd_side TAG NS BIN: prepares, runs and documents one side.
ctd_side() {
	local tag=$1 ns=$2 bin=$3 dir="$T_TMP/$1"
	mkdir -p "$dir"
	"$C_CONF" "$dir"
	if [ "$C_BAD" = 1 ] && ! ctd_probe_refused "$ns" "$bin" "$dir"; then
		# the file parses: running the command could start a daemon
		cp "$dir/probe.out" "$dir/out"
		cp "$dir/probe.err" "$dir/err"
		echo PARSED >"$dir/rc"
	else
		ctd_run "$tag" "$ns" "$bin" "$dir"
	fi
	{
		echo "exit: $(cat "$dir/rc")"
		echo "--- stdout"
		ctd_normalise "$dir" <"$dir/out" | sed -E -e "${C_MASK:-b}" |
			if [ "$C_SORT" = 1 ]; then LC_ALL=C sort; else cat; fi
		echo "--- stderr"
		ctd_normalise "$dir" <"$dir/err"
		ctd_extra_docs "$dir"
	} >"$T_TMP/$tag.doc"
}

# ctd_run TAG NS BIN DIR: the daemon (--daemon), the hooks and the
# command of one side; its streams end up in DIR/{out,err,rc}.
ctd_run() {
	local tag=$1 ns=$2 bin=$3 dir=$4 pid="" args
	if [ -n "$C_SETUP" ]; then
		CT=$CT D=$dir ip netns exec "$ns" bash -c \
			"set -e; $(declare -f); $C_SETUP" >"$dir/setup.log" 2>&1 ||
			t_fail "setup $C_SETUP failed: $(tail -n 3 "$dir/setup.log" | tr '\n' ' ')"
	fi
	if [ "$C_DAEMON" = 1 ]; then
		ctd_start "$ns" "$bin" "$dir" ||
			t_fail "$tag daemon did not start: $(tr '\n' ' ' <"$dir/console")"
		pid=$CTD_PID
	fi
	if [ -n "$C_BEFORE" ]; then
		BIN=$bin CT=$CT D=$dir ip netns exec "$ns" bash -c \
			"set -e; $(declare -f); $C_BEFORE" >"$dir/before.log" 2>&1 ||
			t_fail "before $C_BEFORE failed: $(tail -n 3 "$dir/before.log" | tr '\n' ' ')"
	fi
	args=("${C_ARGS[@]}")
	[ "$C_NOCONF" = 1 ] || args=(-C "$dir/c.conf" "${args[@]}")
	LC_ALL=C timeout 20 ip netns exec "$ns" "$bin" "${args[@]}" \
		</dev/null >"$dir/out" 2>"$dir/err"
	echo $? >"$dir/rc"
	if [ -n "$C_AFTER" ]; then
		BIN=$bin CT=$CT D=$dir ip netns exec "$ns" bash -c \
			"$(declare -f); $C_AFTER" >"$dir/after" 2>&1
	fi
	[ -n "$pid" ] && ctd_stop "$ns" "$bin" "$dir" "$pid"
	return 0
}

# the optional parts of a side's document
ctd_extra_docs() {
	if [ "$C_CONSOLE" = 1 ]; then
		echo "--- console"
		ctd_normalise "$1" <"$1/console" 2>/dev/null
	fi
	if [ "$C_LOG" = 1 ]; then
		echo "--- log"
		ctd_normalise "$1" <"$1/log" 2>/dev/null
	fi
	if [ "$C_FLOWS" = 1 ]; then
		echo "--- flows"
		ctd_normalise "$1" <"$1/flows" 2>/dev/null
	fi
	if [ -n "$C_AFTER" ]; then
		echo "--- after"
		ctd_normalise "$1" <"$1/after"
	fi
}

ctd_scenario() {
	local nsr nso
	ns_new nsr
	ns_new nso
	ctd_side ref "$nsr" "$CTD_REF"
	ctd_side ours "$nso" "$CTD_OURS"
	if [ "$C_DIFFER" = 1 ]; then
		[ -n "$C_RC" ] && echo "$C_RC" >"$T_TMP/ref/rc"
		[ "$C_HAS_OUT" = 1 ] && printf '%s' "$C_OUT" >"$T_TMP/ref/out"
		[ "$C_HAS_ERR" = 1 ] && printf '%s' "$C_ERR" >"$T_TMP/ref/err"
		{
			echo "exit: $(cat "$T_TMP/ref/rc")"
			echo "--- stdout"
			ctd_normalise "$T_TMP/ref" <"$T_TMP/ref/out" |
				sed -E -e "${C_MASK:-b}" |
				if [ "$C_SORT" = 1 ]; then LC_ALL=C sort; else cat; fi
			echo "--- stderr"
			ctd_normalise "$T_TMP/ref" <"$T_TMP/ref/err"
			[ "$C_HAS_AFTER_OUT" = 1 ] &&
				printf '%s' "$C_AFTER_OUT" >"$T_TMP/ref/after"
			ctd_extra_docs "$T_TMP/ref"
		} >"$T_TMP/expect.doc"
		diff -u --label "expected (deliberate difference: $C_WHY)" \
			--label rawct "$T_TMP/expect.doc" "$T_TMP/ours.doc" \
			>"$T_TMP/detail" || t_fail "differs from the declared expectation"
	else
		diff -u --label "reference $CTD_REF" --label "rawct $CTD_OURS" \
			"$T_TMP/ref.doc" "$T_TMP/ours.doc" >"$T_TMP/detail" ||
			t_fail "differs from the reference"
	fi
}

ctd_parse() {
	C_CONF=ctd_conf_stats C_DAEMON=0 C_SETUP="" C_BEFORE="" C_LOG=0
	C_SORT=0 C_NOCONF=0 C_WHY="" C_RC="" C_OUT="" C_ERR="" C_HAS_OUT=0
	C_HAS_ERR=0 C_ARGS=() C_FLOWS=0 C_AFTER="" C_AFTER_OUT="" C_HAS_AFTER_OUT=0
	C_TEXT="" C_BAD=0 C_CONSOLE=0 C_MASK=""
	while [ $# -gt 0 ]; do
		case $1 in
		--conf) C_CONF=$2; shift 2 ;;
		--mask) C_MASK=$2; shift 2 ;;
		--text) C_CONF=ctd_conf_text C_TEXT=$2; shift 2 ;;
		--bad) C_BAD=1; shift ;;
		--console) C_CONSOLE=1; shift ;;
		--daemon) C_DAEMON=1; shift ;;
		--setup) C_SETUP=$2; shift 2 ;;
		--before) C_BEFORE=$2; shift 2 ;;
		--log) C_LOG=1; shift ;;
		--flows) C_FLOWS=1; shift ;;
		--after) C_AFTER=$2; shift 2 ;;
		--after-out) C_AFTER_OUT=$2; C_HAS_AFTER_OUT=1; shift 2 ;;
		--sort) C_SORT=1; shift ;;
		--noconf) C_NOCONF=1; shift ;;
		--why) C_WHY=$2; shift 2 ;;
		--rc) C_RC=$2; shift 2 ;;
		--out) C_OUT=$2; C_HAS_OUT=1; shift 2 ;;
		--err) C_ERR=$2; C_HAS_ERR=1; shift 2 ;;
		--) shift; C_ARGS=("$@"); return 0 ;;
		*) echo "ctd_compat: unknown option '$1'" >&2; return 1 ;;
		esac
	done
	echo "ctd_compat: missing -- before the command line" >&2
	return 1
}

ctd_compat() {
	local name=$1
	shift
	if ! ctd_parse "$@"; then
		t_record FAIL "$name" "bad scenario declaration"
		return
	fi
	C_DIFFER=0
	t_case "$name" ctd_scenario
}

ctd_differ() {
	local name=$1
	shift
	if ! ctd_parse "$@" || [ -z "$C_WHY" ]; then
		t_record FAIL "$name" "bad scenario declaration (needs --why)"
		return
	fi
	C_DIFFER=1
	t_case "$name" ctd_scenario
}
