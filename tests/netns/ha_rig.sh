# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Two firewalls replicating their conntrack tables with conntrackd, for
# the failover and fault tests (tests/netns/t_failover.sh, t_sync_mixed.sh,
# t_sync_fault.sh, tests/bench/sync_bench.sh and sync_fault_bench.sh);
# source it after ctd_lib.sh. Everything lives in the case's namespaces
# (rawct-*), its files in $T_TMP:
#
#   cli 10.10.1.10 -- sw:brin --+-- in0 fw1 10.10.1.2   out0 10.10.2.2 --+-- sw:brout -- srv 10.10.2.10
#                               +-- in0 fw2 10.10.1.3   out0 10.10.2.3 --+
#   fw1 sync0 10.10.100.1 <-- veth --> fw2 sync0 10.10.100.2
#   on the primary: 10.10.1.1 (the client's gateway), 10.10.2.1 (SNAT)
#
# `ha_net sync` makes only the two firewalls and their sync link. Each
# firewall: forwarding on, nf_conntrack_events=1 (set by ns_new: flows
# made before a listener existed still report their changes),
# nf_conntrack_tcp_loose=0
# (the backup cannot pick a mid-stream TCP flow up by itself: only the
# replicated state lets it through), and a stateful ruleset: `ct state
# invalid` dropped (and counted) in forward and input, new flows only
# from the inside, the inside SNATed to the outside virtual address.

HA_IN=10.10.1
HA_OUT=10.10.2
HA_SYNC=10.10.100
HA_VIP_IN=$HA_IN.1
HA_VIP_OUT=$HA_OUT.1
HA_CLI_IP=$HA_IN.10
HA_SRV_IP=$HA_OUT.10
HA_GROUP=225.0.0.50
HA_PORT=3780
HA_PROBE_PORT=5000
HA_PROBE=${HA_PROBE:-$(dirname "${BASH_SOURCE[0]}")/ha_probe.py}
# /usr/bin/python3 first: a version manager's shim on PATH costs about
# half a second a start, which shows in failover gaps
HA_PYTHON=${HA_PYTHON:-$(if [ -x /usr/bin/python3 ]; then
	echo /usr/bin/python3; else command -v python3; fi)}
HA_FW1="" HA_FW2="" HA_CLI="" HA_SRV="" HA_SW=""

# ha_need: skips the case loudly without what the rig needs.
ha_need() {
	[ -n "$HA_PYTHON" ] || t_skip "python3 is not installed"
	command -v nft >/dev/null 2>&1 || t_skip "nft is not installed"
	[ -x "$CONNTRACK" ] || t_skip "$CONNTRACK missing (make all)"
}

ha_ns() { # N: the namespace of firewall N
	if [ "$1" = 1 ]; then echo "$HA_FW1"; else echo "$HA_FW2"; fi
}
ha_dir() { echo "$T_TMP/fw$1"; }

# Ends everything the case started in its namespaces (daemons, keepalived
# and its notify scripts, probes), then the namespaces.
ha_cleanup() {
	local ns p
	exec 2>/dev/null	# no "Killed" job reports from here on
	for ns in $T_NAMESPACES; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
	done
	wait
	ctd_cleanup
}

ha_fw_ruleset() {
	cat <<EOF
table inet rawct_fw {
	counter invalid { }
	chain forward {
		type filter hook forward priority 0; policy drop;
		ct state invalid counter name "invalid" drop
		ct state established,related accept
		iifname "in0" oifname "out0" ct state new tcp flags & (syn | ack | fin | rst) == syn accept
		iifname "in0" oifname "out0" ct state new meta l4proto { udp, icmp } accept
	}
	chain input {
		type filter hook input priority 0; policy accept;
		# a reply to a virtual address that arrives before the commit
		# would reach our own stack, which answers with a reset
		ct state invalid counter name "invalid" drop
	}
}
table ip rawct_nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "out0" ip saddr $HA_IN.0/24 snat to $HA_VIP_OUT
	}
}
EOF
}

# ha_invalid N: packets firewall N dropped as ct state invalid.
ha_invalid() {
	ns_exec "$(ha_ns "$1")" nft list counter inet rawct_fw invalid 2>/dev/null |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# ha_net full|sync: the namespaces, links, addresses and rulesets.
ha_net() {
	local n ns
	ha_need
	trap ha_cleanup EXIT
	ns_new HA_FW1
	ns_new HA_FW2
	ip link add sync0 netns "$HA_FW1" type veth peer name sync0 \
		netns "$HA_FW2" || t_skip "cannot create a veth pair"
	if [ "$1" = full ]; then
		ns_new HA_CLI
		ns_new HA_SRV
		ns_new HA_SW
		ip -n "$HA_SW" link add brin type bridge
		ip -n "$HA_SW" link add brout type bridge
		ip -n "$HA_SW" link set brin up
		ip -n "$HA_SW" link set brout up
		ip link add cli0 netns "$HA_CLI" type veth peer name c0 netns "$HA_SW"
		ip link add srv0 netns "$HA_SRV" type veth peer name s0 netns "$HA_SW"
		ip -n "$HA_SW" link set c0 master brin up
		ip -n "$HA_SW" link set s0 master brout up
		ip -n "$HA_CLI" addr add "$HA_CLI_IP/24" dev cli0
		ip -n "$HA_CLI" link set cli0 up
		ip -n "$HA_CLI" route add default via "$HA_VIP_IN"
		# the server knows only its LAN: its replies go to the SNAT
		# address, on the link
		ip -n "$HA_SRV" addr add "$HA_SRV_IP/24" dev srv0
		ip -n "$HA_SRV" link set srv0 up
	fi
	for n in 1 2; do
		ns=$(ha_ns $n)
		mkdir -p "$(ha_dir $n)"
		ha_fw_ruleset | ns_exec "$ns" nft -f - 2>"$T_TMP/nft_err" ||
			t_skip "nft ruleset refused: $(tr '\n' ' ' <"$T_TMP/nft_err")"
		ns_exec "$ns" sysctl -qw net.ipv4.ip_forward=1
		ns_exec "$ns" sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
		ip -n "$ns" addr add "$HA_SYNC.$n/24" dev sync0
		ip -n "$ns" link set sync0 up
		[ "$1" = full ] || continue
		ip link add in0 netns "$ns" type veth peer name i$n netns "$HA_SW"
		ip link add out0 netns "$ns" type veth peer name o$n netns "$HA_SW"
		ip -n "$HA_SW" link set i$n master brin up
		ip -n "$HA_SW" link set o$n master brout up
		ip -n "$ns" addr add "$HA_IN.$((n + 1))/24" dev in0
		ip -n "$ns" addr add "$HA_OUT.$((n + 1))/24" dev out0
		ip -n "$ns" link set in0 up
		ip -n "$ns" link set out0 up
	done
}

# ha_conf N MODE TRANSPORT: firewall N's conntrackd.conf. Knobs: HA_RSQ
# (FTFW ResendQueueSize), HA_REFRESH and HA_CACHE (ALARM RefreshTime,
# CacheTimeout), HA_RESYNC (StartupResync), HA_NLBUF and HA_NLBUFMAX
# (NetlinkBufferSize, NetlinkBufferSizeMaxGrowth), HA_MODE_EXTRA and
# HA_GENERAL_EXTRA (lines added to the sections), HA_HASHLIMIT.
# The reference's event buffer is 8 MiB unless HA_NLBUF says otherwise:
# at 2 MiB it overran on a burst of 2500 events from conntrack -R here
# (3-4 us an event), and upstream resyncs only NetlinkOverrunResync
# (30 s) later, so its own table was short of flows for the rest of the
# case, whatever the sync did.
ha_conf() {
	local n=$1 mode=$2 tr=$3 dir self peer m t nlbuf=2097152 nlmax=8388608
	dir=$(ha_dir "$n")
	if [ "$(ha_bin "$n")" != "$CONNTRACKD" ]; then
		nlbuf=8388608 nlmax=16777216
	fi
	self=$HA_SYNC.$n
	peer=$HA_SYNC.$((3 - n))
	case $mode in
	ftfw) m="Mode FTFW {
		ResendQueueSize ${HA_RSQ:-131072}
		ACKWindowSize 300
		PurgeTimeout 5
		StartupResync ${HA_RESYNC:-no}
		${HA_MODE_EXTRA:-}
	}" ;;
	notrack) m="Mode NOTRACK {
		PurgeTimeout 5
		StartupResync ${HA_RESYNC:-no}
		${HA_MODE_EXTRA:-}
	}" ;;
	alarm) m="Mode ALARM {
		RefreshTime ${HA_REFRESH:-5}
		CacheTimeout ${HA_CACHE:-30}
		PurgeTimeout 5
		${HA_MODE_EXTRA:-}
	}" ;;
	esac
	case $tr in
	udp | tcp) t="${tr^^} {
		IPv4_address $self
		IPv4_Destination_Address $peer
		Port $HA_PORT
		Interface sync0
		SndSocketBuffer 1249280
		RcvSocketBuffer 1249280
		Checksum on
	}" ;;
	mcast) t="Multicast {
		IPv4_address $HA_GROUP
		Group $HA_PORT
		IPv4_interface $self
		Interface sync0
		SndSocketBuffer 1249280
		RcvSocketBuffer 1249280
		Checksum on
	}" ;;
	esac
	cat >"$dir/c.conf" <<EOF
Sync {
	$m
	$t
	Options {
		TCPWindowTracking no
	}
}
General {
	HashSize 65536
	HashLimit ${HA_HASHLIMIT:-524288}
	LogFile $dir/log
	Syslog off
	LockFile $dir/lock
	UNIX { Path $dir/sock }
	NetlinkBufferSize ${HA_NLBUF:-$nlbuf}
	NetlinkBufferSizeMaxGrowth ${HA_NLBUFMAX:-$nlmax}
	NetlinkOverrunResync on
	NetlinkEventsReliable off
	${HA_GENERAL_EXTRA:-}
	Filter From Userspace {
		Protocol Accept { TCP UDP ICMP }
		Address Ignore {
			IPv4_address 127.0.0.1
			IPv4_address $HA_SYNC.0/24
			IPv4_address $HA_VIP_IN
			IPv4_address $HA_VIP_OUT
			IPv4_address $HA_IN.2
			IPv4_address $HA_IN.3
			IPv4_address $HA_OUT.2
			IPv4_address $HA_OUT.3
		}
	}
}
EOF
}

# ha_bin N: firewall N's conntrackd: HA_BIN1 / HA_BIN2 (the reference's,
# for a mixed pair), ours by default.
ha_bin() {
	local v=HA_BIN$1
	echo "${!v:-$CONNTRACKD}"
}

# ha_start N: starts firewall N's daemon (in the console, so its pid is
# known: HA_PID1 / HA_PID2).
ha_start() {
	CONNTRACKD=$(ha_bin "$1") ctd_start "$(ha_ns "$1")" "$(ha_dir "$1")"
	printf -v "HA_PID$1" '%s' "$CTD_PID"
}

# ha_kill N: the daemon of firewall N dies (SIGKILL), its process and
# the ones it forked (privilege separation), its files stay.
ha_kill() {
	local v=HA_PID$1 kids p
	kids=$(cat /proc/"${!v}"/task/*/children 2>/dev/null)
	# shellcheck disable=SC2086 # a list of pids
	kill -KILL "${!v}" $kids 2>/dev/null
	wait "${!v}" 2>/dev/null
	for p in $kids; do
		for _ in $(seq 100); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.05
		done
	done
	rm -f "$(ha_dir "$1")/sock"
}

# ha_ctd N ARGS...: the client against firewall N's daemon, of its
# program (given up after 30 s: a daemon that hangs fails the case, not
# the run).
ha_ctd() {
	local n=$1
	shift
	timeout 30 ip netns exec "$(ha_ns "$n")" "$(ha_bin "$n")" \
		-C "$(ha_dir "$n")/c.conf" "$@"
}

# ha_stat N internal|external: that cache's active flows.
ha_stat() {
	ha_ctd "$1" -s 2>/dev/null | awk -v want="$2" '
		/^cache internal:/ { sec = "internal"; next }
		/^cache external:/ { sec = "external"; next }
		sec == want && /current active connections:/ { print $NF; exit }'
}

# ha_wait SECONDS WANT CMD...: until CMD prints WANT; 1 on timeout.
# HA_WAITED: the milliseconds it took.
ha_wait() {
	local limit=$1 want=$2 t0 got
	shift 2
	t0=$(date +%s%3N)
	while :; do
		got=$("$@")
		HA_WAITED=$(($(date +%s%3N) - t0))
		[ "$got" = "$want" ] && return 0
		[ "$HA_WAITED" -gt $((limit * 1000)) ] && return 1
		sleep 0.05
	done
}

# ha_vip_add N: the virtual addresses on firewall N, at
# the start (no gratuitous ARP: nobody has them cached yet; a takeover
# goes through examples/primary-backup.sh, which announces them).
ha_vip_add() {
	local ns
	ns=$(ha_ns "$1")
	ip -n "$ns" addr add "$HA_VIP_IN/24" dev in0
	ip -n "$ns" addr add "$HA_VIP_OUT/24" dev out0
}

# ha_has_vip N: whether firewall N holds the outside virtual address.
ha_has_vip() {
	ip -n "$(ha_ns "$1")" -4 addr show dev out0 | grep -q " $HA_VIP_OUT/"
}

ha_vip_on() { # N: 1 if firewall N holds the addresses, else 0
	if ha_has_vip "$1"; then echo 1; else echo 0; fi
}

# ha_pair MODE TRANSPORT: the whole rig (ha_net full), both daemons
# configured and started, and the notify script's settings of each.
ha_pair() {
	local n
	ha_net full
	for n in 1 2; do
		ha_conf $n "$1" "$2"
		ha_start $n
		ha_settings $n >/dev/null
	done
}

# ha_settings N: the notify script's settings for firewall N.
ha_settings() {
	local dir
	dir=$(ha_dir "$1")
	cat >"$dir/pb.conf" <<EOF
CONNTRACKD_BIN=$(ha_bin "$1")
CONNTRACKD_CONFIG=$dir/c.conf
CONNTRACKD_LOCK=$dir/lock
VIPS="$HA_VIP_IN/24 dev in0
$HA_VIP_OUT/24 dev out0"
STATE_DIR=$dir
LOG_FILE=$dir/pb.log
PYTHON=$HA_PYTHON
EOF
	echo "$dir/pb.conf"
}

# ha_probe_start: the echo server on srv, the client through the
# primary; returns once connected (fails the case otherwise).
ha_probe_start() {
	local i
	ns_exec "$HA_SRV" "$HA_PYTHON" "$HA_PROBE" server "$HA_PROBE_PORT" \
		"$T_TMP/srv.ready" >"$T_TMP/srv.log" 2>&1 &
	wait_file "$T_TMP/srv.ready"
	rm -f "$T_TMP/probe.stop" "$T_TMP/probe.out"
	ns_exec "$HA_CLI" "$HA_PYTHON" "$HA_PROBE" client "$HA_SRV_IP" \
		"$HA_PROBE_PORT" "$T_TMP/probe.stop" "$T_TMP/probe.out" \
		>"$T_TMP/probe.log" 2>&1 &
	HA_PROBE_PID=$!
	for _ in $(seq 100); do
		[ -s "$T_TMP/probe.out" ] && break
		sleep 0.05
	done
	grep -q '^connected' "$T_TMP/probe.out" 2>/dev/null ||
		t_fail "probe did not connect: $(cat "$T_TMP/probe.out" "$T_TMP/probe.log" 2>/dev/null)"
}

# ha_probe_stop: the client stops sending, waits (3 s at most) for the
# echoes due, and reports; ha_probe KEY reads the report.
ha_probe_stop() {
	touch "$T_TMP/probe.stop"
	wait "$HA_PROBE_PID"
	grep -q '^{' "$T_TMP/probe.out" ||
		t_fail "probe gave no report: $(cat "$T_TMP/probe.out" "$T_TMP/probe.log")"
}

ha_probe() {
	"$HA_PYTHON" -c 'import json, sys
v = json.load(open(sys.argv[1])).get(sys.argv[2])
print("none" if v is None else str(v).lower())' "$T_TMP/probe.out" "$1"
}

# ha_probe_flow N: the probe's flow in firewall N's external cache (0/1).
ha_probe_flow() {
	ha_ctd "$1" -e 2>/dev/null |
		grep -c "src=$HA_CLI_IP dst=$HA_SRV_IP sport=[0-9]* dport=$HA_PROBE_PORT "
}

# ha_batch FILE N DSTNET: a conntrack -R file of N established TCP flows
# 172.16.x.y:port -> DSTNET.a.b:80 (250 sources a /24, in order).
ha_batch() {
	awk -v n="$2" -v dn="$3" 'BEGIN { for (i = 0; i < n; i++)
		printf "-I -p tcp -s 172.16.%d.%d -d %s.%d.%d --sport %d --dport 80 --state ESTABLISHED -t 3600 -u ASSURED\n",
			int(i / 250) % 256, i % 250 + 1, dn, int(i / 60000),
			i % 7 + 1, 1024 + i % 60000 }' >"$1"
}

# ha_load N FILE: FILE's flows into firewall N's kernel table.
ha_load() {
	ns_exec "$(ha_ns "$1")" "$CONNTRACK" -R "$2" >/dev/null 2>&1 ||
		t_fail "conntrack -R $2 failed"
}

ha_canary() { # fw2 has the canary flow (1) or not (0)
	ha_ctd 2 -e 2>/dev/null | grep -c 'src=192\.0\.2\.1 '
}

# ha_ready: a canary flow goes from fw1 to fw2 and away again (the link
# works, TCP is connected).
ha_ready() {
	ns_exec "$HA_FW1" "$CONNTRACK" -I -p tcp -s 192.0.2.1 -d 192.0.2.2 \
		--sport 9 --dport 9 --state ESTABLISHED -t 300 -u ASSURED \
		>/dev/null 2>&1
	ha_wait 10 1 ha_canary || t_fail "the sync link does not work"
	ns_exec "$HA_FW1" "$CONNTRACK" -D -p tcp -s 192.0.2.1 >/dev/null 2>&1
	ha_wait 10 0 ha_canary || t_fail "the canary's end did not reach fw2"
}

# ha_crash N: firewall N dies: every process in it killed, its links
# down.
ha_crash() {
	local ns p v=HA_PID$1
	ns=$(ha_ns "$1")
	for p in $(ip netns pids "$ns"); do
		kill -KILL "$p" 2>/dev/null
	done
	wait "${!v}" 2>/dev/null
	ip -n "$ns" link set in0 down
	ip -n "$ns" link set out0 down
	ip -n "$ns" link set sync0 down
}

# ---- faults of the sync link -----------------------------------------------

# ha_cut_on silent|linkdown: the sync link cut, silently both ways (a
# netdev ingress drop on both ends' sync0) or with send errors (fw1's
# sync0 down); ha_cut_off HOW repairs it. Either fails the case if
# refused.
ha_cut_on() {
	local ns
	case $1 in
	silent)
		for ns in "$HA_FW1" "$HA_FW2"; do
			ns_exec "$ns" nft -f - <<EOF || t_fail "nft refused the cut"
table netdev rawct_cut {
	chain in {
		type filter hook ingress device "sync0" priority 0; policy drop;
	}
}
EOF
		done ;;
	linkdown) ip -n "$HA_FW1" link set sync0 down ||
		t_fail "sync0 cannot go down" ;;
	*) t_fail "ha_cut_on: silent or linkdown, not '$1'" ;;
	esac
}

ha_cut_off() {
	case $1 in
	silent)
		ns_exec "$HA_FW1" nft delete table netdev rawct_cut &&
			ns_exec "$HA_FW2" nft delete table netdev rawct_cut ;;
	linkdown) ip -n "$HA_FW1" link set sync0 up ;;
	esac || t_fail "the sync link cannot be repaired ($1)"
}

# ha_cut_link HOW SECONDS CMD...: the link cut (ha_cut_on HOW), CMD run
# (what changes meanwhile), the rest of SECONDS waited out, the link
# repaired. HA_CUT_MS: how long it was cut (more than SECONDS if CMD
# took longer).
ha_cut_link() {
	local how=$1 ms=$(($2 * 1000)) t0
	shift 2
	t0=$(date +%s%3N)
	ha_cut_on "$how"
	"$@"
	while [ $(($(date +%s%3N) - t0)) -lt "$ms" ]; do
		sleep 0.2
	done
	HA_CUT_MS=$(($(date +%s%3N) - t0))
	ha_cut_off "$how"
}

# ha_del N D DSTNET: the first D flows of an ha_batch file to DSTNET go
# from firewall N's table (D a multiple of 250: whole /24s of sources,
# one filtered delete each).
ha_del() {
	local k
	for k in $(seq 0 $(($2 / 250 - 1))); do
		ns_exec "$(ha_ns "$1")" "$CONNTRACK" -D -p tcp \
			-s "172.16.$k.0/24" -d "$3.0.0/16" >/dev/null 2>&1
	done
}

# ---- comparing the tables -------------------------------------------------

# ha_tuples CMD...: the "src dst sport dport STATE ASSURED" of the test
# flows (from 172.16.x.y, ha_batch's) CMD lists, one sorted line each:
# a flow whose TCP state or assured bit drifted on the way does not
# match (ASSURED: 1 or 0).
ha_tuples() {
	"$@" 2>/dev/null | grep 'src=172\.16\.' | awk '{ s = d = sp = dp = st = ""
		a = 0
		for (i = 1; i <= NF; i++) {
			if ($i == "[ASSURED]") a = 1
			if (st == "" && $i ~ /^[A-Z][A-Z_]+$/) st = $i
			split($i, kv, "=")
			if (kv[1] == "src" && s == "") s = kv[2]
			else if (kv[1] == "dst" && d == "") d = kv[2]
			else if (kv[1] == "sport" && sp == "") sp = kv[2]
			else if (kv[1] == "dport" && dp == "") dp = kv[2]
		}
		print s, d, sp, dp, st, a }' | sort -u
}

# ha_compare [FROM TO [kernel]]: MISSING and STALE between firewall
# FROM's internal cache (with kernel: its kernel table) and TO's external
# cache (fw1's and fw2's by default; TO's read first), FW1N the flows
# FROM has.
ha_compare() {
	ha_tuples ha_ctd "${2:-2}" -e >"$T_TMP/e2"
	if [ "${3:-}" = kernel ]; then
		ha_tuples ns_exec "$(ha_ns "${1:-1}")" "$CONNTRACK" -L >"$T_TMP/i1"
	else
		ha_tuples ha_ctd "${1:-1}" -i >"$T_TMP/i1"
	fi
	MISSING=$(comm -23 "$T_TMP/i1" "$T_TMP/e2" | wc -l)
	STALE=$(comm -13 "$T_TMP/i1" "$T_TMP/e2" | wc -l)
	FW1N=$(wc -l <"$T_TMP/i1")
}

# ha_lost N: the sequence numbers firewall N saw skipped.
ha_lost() {
	ha_ctd "$1" -s network 2>/dev/null |
		awk '/Packets lost:/ { print $NF; exit }'
}

# ha_converge SECONDS WANT [FROM TO]: until nothing is missing or stale
# (ha_compare) and FROM has WANT flows; fails the case with the counts
# otherwise.
ha_converge() {
	local t0 from=${3:-1}
	t0=$(date +%s%3N)
	while :; do
		ha_compare "$from" "${4:-2}"
		[ "$MISSING" = 0 ] && [ "$STALE" = 0 ] && [ "$FW1N" = "$2" ] &&
			return 0
		[ $(($(date +%s%3N) - t0)) -ge $(($1 * 1000)) ] && break
		sleep 0.3
	done
	ha_detail
	t_fail "after ${1} s: $MISSING missing, $STALE stale, fw$from has $FW1N (want $2)"
}

# ha_detail: both daemons' statistics and the ends of their logs, for a
# failure report.
ha_detail() {
	local n
	{
		for n in 1 2; do
			echo "--- fw$n -s, -s queue"
			ha_ctd $n -s 2>&1 | grep -v '^$'
			ha_ctd $n -s queue 2>&1 | grep -v '^$'
			echo "--- fw$n log"
			tail -n 12 "$(ha_dir $n)/log"
		done
	} >"$T_TMP/detail"
}

# ---- failover (by hand) -----------------------------------------------------
#
# A client keeps a TCP connection to the server through the primary (fw1),
# echoes every 10 ms (ha_probe.py); fw1 crashes and fw2 takes over with
# examples/primary-backup.sh (commit, then the addresses, then -f, -R,
# -B), run by its settings' CONNTRACKD_BIN (ha_bin).

HA_PB=$RAWCT_TOP/examples/primary-backup.sh
# the longest silence allowed: by hand the takeover follows the crash at
# once; keepalived needs three adverts and a skew (about 3.6 s) to see
# it, and TCP, backing off meanwhile, retransmits up to ~3 s later still
MAX_GAP_MS=5000

# ha_fo_probe: the probe connected through fw1, its flow in fw2's
# external cache.
ha_fo_probe() {
	ha_probe_start
	ha_wait 5 1 ha_probe_flow 2 ||
		t_fail "the probe's flow never reached fw2's external cache"
	sleep 1
}

# ha_takeover: fw1 crashes, fw2 runs the notify script's primary
# transition; the probe stops 2 s later.
ha_takeover() {
	ha_crash 1
	ns_exec "$HA_FW2" "$HA_PB" primary "$(ha_dir 2)/pb.conf" ||
		t_fail "primary-backup.sh primary exited $?"
	ha_has_vip 2 || t_fail "fw2 did not take the addresses"
	sleep 2
	ha_probe_stop
}

ha_fo_in_kernel() { # N: the probe's flow in firewall N's kernel table
	ns_exec "$(ha_ns "$1")" "$CONNTRACK" -L -p tcp --dport "$HA_PROBE_PORT" \
		2>/dev/null | grep -c "src=$HA_CLI_IP "
}

# ha_fo_detail: what a failure report needs.
ha_fo_detail() {
	local n
	{
		echo "probe: $(cat "$T_TMP/probe.out")"
		echo "fw2 invalid drops: $(ha_invalid 2)"
		echo "--- fw2 notify log"; cat "$(ha_dir 2)/pb.log" 2>/dev/null
		echo "--- fw2 daemon log"; tail -n 15 "$(ha_dir 2)/log" 2>/dev/null
		echo "--- fw2 kernel"; ns_exec "$HA_FW2" "$CONNTRACK" -L 2>&1
		for n in 1 2; do
			[ -f "$(ha_dir $n)/keepalived.log" ] || continue
			echo "--- fw$n keepalived"
			grep -v '^$' "$(ha_dir $n)/keepalived.log" | tail -n 12
		done
	} >"$T_TMP/detail"
}

# ha_survived: the connection lived through it, on fw2's replica: no
# reset, every line echoed, the longest silence under MAX_GAP_MS, the
# flow in fw2's kernel table, no packet of it dropped there as invalid
# (the commit came before the addresses).
ha_survived() {
	local gap
	ha_fo_detail
	[ "$(ha_probe error)" = none ] || t_fail "connection died: $(ha_probe error)"
	[ "$(ha_probe complete)" = true ] ||
		t_fail "echoes stopped: $(ha_probe echoed) of $(ha_probe sent)"
	gap=$(ha_probe max_gap_ms)
	awk -v g="$gap" -v m="$MAX_GAP_MS" 'BEGIN { exit !(g < m) }' ||
		t_fail "silent for $gap ms (more than $MAX_GAP_MS)"
	t_eq "flow in fw2's kernel table" "$(ha_fo_in_kernel 2)" 1
	t_eq "packets fw2 dropped as invalid" "$(ha_invalid 2)" 0
	grep -q "conntrackd -c done" "$(ha_dir 2)/pb.log" ||
		t_fail "the notify script did not commit"
	echo "max gap ${gap} ms"
}
