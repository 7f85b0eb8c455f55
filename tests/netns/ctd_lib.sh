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
	CTD_PIDS=""
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

# ctd_stats_setup [GENERAL...]: the Stats-mode cases' set-up: the
# cleanup trap, a namespace NS with ctnetlink, and D/c.conf for a daemon
# logging flows to D/flows (with the extra GENERAL lines).
ctd_stats_setup() {
	trap ctd_cleanup EXIT
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
	D=$T_TMP/d
	ctd_conf "$D" "Stats { LogFile DIR/flows }" "$@"
}

# ctd_start NS DIR [ARGS...]: runs the daemon in NS in the console (or
# with -d among ARGS), waits for its socket. Sets CTD_PID (for -d, the
# pid written into the lock file).
ctd_start() {
	local ns=$1 dir=$2
	shift 2
	rm -f "$dir/sock"
	ip netns exec "$ns" "$CONNTRACKD" -C "$dir/c.conf" "$@" \
		>"$dir/console" 2>&1 &
	CTD_PID=$!
	CTD_PIDS="$CTD_PIDS $CTD_PID"
	for _ in $(seq 1 1000); do
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

# dgram_listen SOCK OUT [LAST]: a datagram socket at SOCK (AF_UNIX, the
# receiving end of systemd's notify protocol or of syslog) whose
# messages go to OUT, one a line (a trailing newline dropped), until
# LAST comes or none came for 30 s. DGRAM_PID is its pid; returns once
# SOCK exists.
dgram_listen() {
	python3 - "$1" "${3:-}" >"$2" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
try:
    while True:
        m = s.recv(65536).decode(errors="replace").rstrip("\n")
        print(m, flush=True)
        if sys.argv[2] and m == sys.argv[2]:
            break
except socket.timeout:
    pass
EOF
	DGRAM_PID=$!
	sock_wait "$1"
}

# sock_wait PATH: until a listener's socket is at PATH (2 s at most).
sock_wait() {
	for _ in $(seq 1 200); do
		[ -S "$1" ] && return 0
		sleep 0.01
	done
	t_fail "no listener at $1"
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
	local a
	for _ in $(seq 1 500); do
		a=$(ctd_active "$1" "$2")
		[ "${a:-x}" = "$3" ] && return 0
		sleep 0.02
	done
	t_fail "cache has ${a:-?} active flows, want $3"
}

# ctd_stop NS DIR PID: -k and wait for PID to exit (5 s), else fail.
ctd_stop() {
	ctd "$1" "$2" -k >/dev/null 2>&1
	for _ in $(seq 1 500); do
		kill -0 "$3" 2>/dev/null || return 0
		sleep 0.01
	done
	t_fail "conntrackd $3 did not stop on -k"
}

# ---- two nodes in Sync mode ------------------------------------------------
#
# sync_pair makes namespaces NS_A (10.77.0.1) and NS_B (10.77.0.2) joined
# by a veth pair named vs0 on both ends (multicast routed there); each
# side has a directory $T_TMP/a or $T_TMP/b. sync_conf writes a side's
# configuration for a mode and a transport; sync_start runs our daemon or
# the reference on that side; sync_ctl talks to it with the same
# program. Daemons are stopped by pid when the case ends (ctd_cleanup).

REFD=${REFD:-/usr/sbin/conntrackd}
REFCT=${REFCT:-/usr/sbin/conntrack}
SYNC_PORT=3780
SYNC_GROUP=225.0.0.50

# sync_need_ref: skips the case loudly without the reference binaries.
sync_need_ref() {
	[ -x "$REFD" ] || t_skip "no reference $REFD"
	[ -x "$REFCT" ] || t_skip "no reference $REFCT"
}

sync_pair() {
	trap ctd_cleanup EXIT
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS_A
	ns_new NS_B
	ip link add vs0 netns "$NS_A" type veth peer name vs0 netns "$NS_B" ||
		t_skip "cannot create a veth pair"
	ip -n "$NS_A" addr add 10.77.0.1/24 dev vs0
	ip -n "$NS_B" addr add 10.77.0.2/24 dev vs0
	ip -n "$NS_A" link set vs0 up
	ip -n "$NS_B" link set vs0 up
	ip -n "$NS_A" route add 224.0.0.0/4 dev vs0
	ip -n "$NS_B" route add 224.0.0.0/4 dev vs0
	ns_require_ctnetlink "$NS_A"
	ns_require_ctnetlink "$NS_B"
	mkdir -p "$T_TMP/a" "$T_TMP/b"
}

# sync_ns SIDE: the namespace of side a or b.
sync_ns() {
	if [ "$1" = a ]; then echo "$NS_A"; else echo "$NS_B"; fi
}

# sync_kind_flows: conntrack -R lines of a flow of every protocol (IPv4,
# a zone, a mark, an IPv6 one), the start of the sync cases' tables.
sync_kind_flows() {
	cat <<'FLOWS'
-I -s 10.1.1.1 -d 10.2.2.2 -p tcp --sport 1111 --dport 80 --state ESTABLISHED -u ASSURED,SEEN_REPLY -m 9 -t 300
-I -s 10.1.1.2 -d 10.2.2.2 -p udp --sport 53 --dport 5353 -t 300 --zone 7
-I -s 10.1.1.3 -d 10.2.2.2 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 4660 -t 300
-I -s 10.1.1.4 -d 10.2.2.2 -p sctp --sport 5000 --dport 6000 --state ESTABLISHED --orig-vtag 17 --reply-vtag 34 -t 300
-I -s 10.1.1.5 -d 10.2.2.2 -p gre --srckey 0x1234 --dstkey 0x5678 -t 300
-I -s 10.1.1.6 -d 10.2.2.2 -p udplite --sport 1000 --dport 2000 -t 300
-I -s 10.1.1.7 -d 10.2.2.2 -p 99 -t 300
-I -s 2001:db8::1 -d 2001:db8::2 -p tcp --sport 4000 --dport 443 --state SYN_SENT -t 300
FLOWS
}

# sync_conf SIDE MODE TRANSPORT [MODE_LINES [SYNC_LINES [GENERAL_LINES]]]:
# writes $T_TMP/SIDE/c.conf. MODE: FTFW, NOTRACK or ALARM; TRANSPORT:
# UDP, MCAST or TCP. MODE_LINES go inside `Mode MODE { }`, SYNC_LINES
# after the channel in Sync, GENERAL_LINES in General (each a string of
# lines, one statement a line, as the grammar wants); $SYNC_CHAN_LINES,
# when set, at the end of the channel's block.
sync_conf() {
	local side=$1 mode=$2 tr=$3 dir=$T_TMP/$1 me peer ch
	if [ "$side" = a ]; then me=10.77.0.1 peer=10.77.0.2; else me=10.77.0.2 peer=10.77.0.1; fi
	case $tr in
	UDP | TCP)
		ch="$tr {
		IPv4_address $me
		IPv4_Destination_Address $peer
		Port $SYNC_PORT
		Interface vs0
${SYNC_CHAN_LINES:-}
	}" ;;
	MCAST)
		ch="Multicast {
		IPv4_address $SYNC_GROUP
		Group $SYNC_PORT
		IPv4_interface $me
		Interface vs0
${SYNC_CHAN_LINES:-}
	}" ;;
	*) t_fail "sync_conf: unknown transport $tr" ;;
	esac
	mkdir -p "$dir"
	cat >"$dir/c.conf" <<EOC
General {
	HashSize 8192
	HashLimit 65536
	LogFile $dir/log
	Syslog off
	LockFile $dir/lock
	UNIX { Path $dir/sock }
${6:-}
}
Sync {
	Mode $mode {
${4:-}
	}
	$ch
${5:-}
}
EOC
}

# sync_bin SIDE: the program of the daemon running on SIDE.
sync_bin() {
	local v="SYNC_BIN_$1"
	echo "${!v:-$CONNTRACKD}"
}

# sync_start SIDE ours|ref [ARGS...]: the daemon on SIDE (console mode),
# ready once its socket exists and it logged "initialization completed".
# Sets SYNC_PID_<side>.
sync_start() {
	local side=$1 impl=$2 dir=$T_TMP/$1 bin ns
	shift 2
	bin=$CONNTRACKD
	[ "$impl" = ref ] && bin=$REFD
	ns=$(sync_ns "$side")
	printf -v "SYNC_BIN_$side" '%s' "$bin"
	rm -f "$dir/sock" "$dir/log"
	ip netns exec "$ns" "$bin" -C "$dir/c.conf" "$@" >"$dir/console" 2>&1 &
	printf -v "SYNC_PID_$side" '%s' "$!"
	CTD_PIDS="$CTD_PIDS $!"
	for _ in $(seq 1 500); do
		if [ -S "$dir/sock" ] &&
			grep -q 'initialization completed' "$dir/log" 2>/dev/null; then
			return 0
		fi
		kill -0 "$!" 2>/dev/null || break
		sleep 0.01
	done
	t_fail "$impl conntrackd on $side did not start: $(tail -n 3 "$dir/log" "$dir/console" 2>/dev/null | tr '\n' ' ')"
}

# sync_stop SIDE: -k, then the pid; the side's daemon is gone after it.
sync_stop() {
	local v="SYNC_PID_$1" pid
	pid=${!v:-}
	[ -n "$pid" ] || return 0
	sync_ctl "$1" -k >/dev/null 2>&1
	for _ in $(seq 1 200); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	printf -v "$v" '%s' ""
	return 0
}

# sync_ctl SIDE ARGS...: the client of SIDE's daemon, its program (20 s
# at most: a daemon that never answers fails the command, not the run).
sync_ctl() {
	local side=$1
	shift
	timeout 20 ip netns exec "$(sync_ns "$side")" "$(sync_bin "$side")" \
		-C "$T_TMP/$side/c.conf" "$@"
}

# sync_ct SIDE ARGS...: conntrack (ours) in SIDE's namespace.
sync_ct() {
	local side=$1
	shift
	ip netns exec "$(sync_ns "$side")" "$CONNTRACK" "$@"
}

# sync_show SIDE [FILTER...]: build/netns/cttool's `show` in SIDE's
# namespace: a line per flow with its TCP window scales and flags and its
# label bytes, which conntrack does not print.
CTTOOL=${CTTOOL:-$RAWCT_TOP/build/netns/cttool}
sync_show() {
	local side=$1
	shift
	[ -x "$CTTOOL" ] || t_fail "$CTTOOL missing (make build/netns/cttool)"
	ip netns exec "$(sync_ns "$side")" "$CTTOOL" show "$@"
}

# sync_poll SECS CMD...: until CMD succeeds (every 20 ms); 1 if it never
# did within SECS seconds.
sync_poll() {
	local n=$(($1 * 50))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.02
		n=$((n - 1))
	done
	return 1
}

# sync_stat SIDE ARGS... -- REGEX FIELD: field FIELD (awk, $NF for the
# last) of the first line of `-s ARGS` matching REGEX.
sync_stat() {
	local side=$1 args=() re field
	shift
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	re=$2 field=$3
	sync_ctl "$side" -s "${args[@]}" 2>/dev/null |
		awk -v f="$field" "/$re/ { print (f == \"NF\" ? \$NF : \$f); exit }"
}

# sync_has SIDE WHERE REGEX [N]: WHERE (-e, -i, "-e expect"..., kernel
# or "kernel expect") has N lines (default: at least one) matching the
# extended REGEX.
sync_has() {
	local n
	# shellcheck disable=SC2086 # WHERE is words
	case $2 in
	kernel*) n=$(sync_ct "$1" -L ${2#kernel} 2>/dev/null | grep -c -E -- "$3") ;;
	*) n=$(sync_ctl "$1" $2 2>/dev/null | grep -c -E -- "$3") ;;
	esac
	if [ -z "${4:-}" ]; then
		[ "$n" -gt 0 ]
	else
		[ "$n" = "$4" ]
	fi
}

# sync_wait SIDE WHERE REGEX [N] [SECS]: waits for sync_has (10 s), else
# fails the case with what WHERE holds.
sync_wait() {
	sync_poll "${5:-10}" sync_has "$1" "$2" "$3" "${4:-}" && return 0
	# shellcheck disable=SC2086 # WHERE is words
	case $2 in
	kernel*) sync_ct "$1" -L ${2#kernel} >"$T_TMP/where" 2>&1 ;;
	*) sync_ctl "$1" $2 >"$T_TMP/where" 2>&1 ;;
	esac
	head -n 20 "$T_TMP/where" >"$T_TMP/detail"
	t_fail "$1 $2: $(grep -c -E -- "$3" "$T_TMP/where") lines matching '$3', want ${4:-some}"
}

# sync_canary N [WHERE]: a udp flow 10.255.0.1:N -> 10.255.0.2:7 made on
# A, waited for on B (WHERE: -e by default, or kernel), so the link is
# known to carry what A sends.
sync_canary() {
	sync_ct a -I -s 10.255.0.1 -d 10.255.0.2 -p udp --sport "$1" --dport 7 \
		-t 300 >/dev/null 2>&1 || t_fail "cannot make the canary flow"
	sync_wait b "${2:--e}" "src=10\.255\.0\.1 dst=10\.255\.0\.2 sport=$1 dport=7 "
}

# sync_tuples: conntrack-format lines on stdin (-L, -i or -e) to one
# sorted line per flow: protocol, state, the original tuple, mark and
# zone (the canary's flows left out).
sync_tuples() {
	awk '
	/src=10\.255\.0\./ { next }
	/^[a-z]/ {
		out = $1; st = ""; delete seen
		for (i = 2; i <= NF; i++) {
			t = $i
			if (t ~ /^[A-Z_]+$/ && st == "" && !("src" in seen))
				st = t
			split(t, kv, "=")
			k = kv[1]
			if (k ~ /^(src|dst|sport|dport|type|code|id|srckey|dstkey)$/) {
				if (k in seen) continue
				seen[k] = 1
				out = out " " t
			} else if (k == "mark" || k == "zone") {
				out = out " " t
			}
		}
		if (st != "") out = out " " st
		print out
	}' | LC_ALL=C sort
}
