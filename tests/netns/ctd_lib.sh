# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Helpers for the conntrackd cases (tests/netns/t_ctd*.sh), on top of
# lib.sh: a daemon runs inside a namespace of the case, with its
# configuration, lock, socket and log files in the case's scratch
# directory, and is stopped (then killed by pid) when the case ends.

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNTRACKD=${CONNTRACKD:-$RAWCT_TOP/conntrackd}
CTD_PIDS=""

t_prereq() {
	[ -x "$NLPROBE" ] || { echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"; return; }
	[ -x "$CONNTRACKD" ] || echo "FAIL $CONNTRACKD missing (make all)"
}

# Stops every daemon the case started (their pids), then the namespaces.
ctd_cleanup() {
	local p
	for p in $CTD_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $CTD_PIDS; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL "$p" 2>/dev/null
	done
	ns_cleanup
}

# ctd_conf DIR MODE [GENERAL...]: writes DIR/c.conf: General with the
# files in DIR and the extra GENERAL lines, then MODE (a whole section,
# e.g. "Stats { LogFile DIR/flows }"; DIR is replaced).
ctd_conf() {
	local dir=$1 mode=$2 extra
	shift 2
	extra=$(printf '\t%s\n' "$@")
	mkdir -p "$dir"
	cat >"$dir/c.conf" <<EOF
General {
	HashSize 8192
	HashLimit 1000000
	LogFile $dir/log
	LockFile $dir/lock
	UNIX { Path $dir/sock }
$extra
}
${mode//DIR/$dir}
EOF
}

# ctd_start NS DIR [ARGS...]: runs the daemon in NS in the console (or
# with -d among ARGS), waits for its socket. Sets CTD_PID (for -d, the
# pid written into the lock file).
ctd_start() {
	local ns=$1 dir=$2 i
	shift 2
	rm -f "$dir/sock"
	ip netns exec "$ns" "$CONNTRACKD" -C "$dir/c.conf" "$@" \
		>"$dir/console" 2>&1 &
	CTD_PID=$!
	CTD_PIDS="$CTD_PIDS $CTD_PID"
	for i in $(seq 1 1000); do
		if [ -S "$dir/sock" ]; then
			case " $* " in
			*" -d "*)
				# the daemon's pid, once it wrote it
				CTD_PID=$(cat "$dir/lock" 2>/dev/null)
				[ -n "$CTD_PID" ] || { sleep 0.01; continue; }
				CTD_PIDS="$CTD_PIDS $CTD_PID" ;;
			esac
			return 0
		fi
		sleep 0.01
	done
	t_fail "conntrackd did not start: $(tr '\n' ' ' <"$dir/console")"
}

# ctd NS DIR ARGS...: the client.
ctd() {
	local ns=$1 dir=$2
	shift 2
	ip netns exec "$ns" "$CONNTRACKD" -C "$dir/c.conf" "$@"
}

# ctd_active NS DIR: "current active connections" of the first cache.
ctd_active() {
	ctd "$1" "$2" -s 2>/dev/null |
		awk '/current active connections:/ { print $NF; exit }'
}

# ctd_wait_active NS DIR N: waits (10 s at most) for N active flows.
ctd_wait_active() {
	local i a
	for i in $(seq 1 500); do
		a=$(ctd_active "$1" "$2")
		[ "${a:-x}" = "$3" ] && return 0
		sleep 0.02
	done
	t_fail "cache has ${a:-?} active flows, want $3"
}

# ctd_stop NS DIR PID: -k and wait for PID to exit (5 s), else fail.
ctd_stop() {
	local i
	ctd "$1" "$2" -k >/dev/null 2>&1
	for i in $(seq 1 500); do
		kill -0 "$3" 2>/dev/null || return 0
		sleep 0.01
	done
	t_fail "conntrackd $3 did not stop on -k"
}
