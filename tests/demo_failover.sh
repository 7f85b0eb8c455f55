#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make demo`, second part: conntrackd keeping a TCP connection alive
# across a failover, in scratch namespaces (rawct-*, deleted on exit
# whatever happens) built by the tests' rig (tests/netns/ha_rig.sh):
#
#   client -- fw1 (primary) / fw2 (backup) -- server
#   fw1 sync0 <-- FTFW over UDP --> fw2 sync0
#
# Both firewalls run a stateful nftables ruleset (invalid packets
# dropped, new flows only from the inside, nf_conntrack_tcp_loose=0) and
# SNAT the client to a virtual address. A client echoes a line through
# fw1 every 10 ms; fw1 crashes (every process killed, its links down);
# fw2 takes over with examples/primary-backup.sh, the keepalived notify
# script we ship (commit the replicated flows, then take the addresses).
# The connection goes on through fw2: it could not without the commit,
# fw2's ruleset would drop its packets as invalid (the netns test
# t_failover.sh checks that too).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/netns/ctd_lib.sh"
. "$here/netns/ha_rig.sh"

# the rig's verdicts, told on the console
t_fail() { echo "demo: failover: $*" >&2; exit 1; }
t_skip() { echo "SKIP: the failover demo: $*"; exit 0; }

say() { echo; echo "## $*"; }
run() { # NS CMD...: prints the command, runs it in NS
	local ns=$1
	shift
	echo "# $(basename "$1") ${*:2}"
	ip netns exec "$ns" "$@" 2>&1
}

T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/rawct-demo-ha.XXXXXX") || exit 1
trap 'ha_cleanup; rm -rf "$T_TMP"' EXIT
trap 'exit 130' INT TERM

say "conntrackd failover: two firewalls (FTFW over UDP), a TCP connection through the primary"
ha_pair ftfw udp
ha_vip_add 1
ha_ready
ha_probe_start
ha_wait 5 1 ha_probe_flow 2 || t_fail "the probe's flow never reached fw2"
echo "the client is connected to the server through fw1, echoing every 10 ms"

say "fw2 (the backup) has the connection in its external cache"
run "$HA_FW2" "$CONNTRACKD" -C "$(ha_dir 2)/c.conf" -e |
	grep "dport=$HA_PROBE_PORT "
echo "# conntrack -L -p tcp --dport $HA_PROBE_PORT (fw2's kernel table: fw2 forwards nothing yet)"
ns_exec "$HA_FW2" "$CONNTRACK" -L -p tcp --dport "$HA_PROBE_PORT" 2>&1

say "fw1 crashes: every process killed, its links down"
sleep 0.5
ha_crash 1

say "fw2 takes over: primary-backup.sh primary (commit, then the addresses)"
ns_exec "$HA_FW2" "$HA_PB" primary "$(ha_dir 2)/pb.conf" ||
	t_fail "primary-backup.sh primary exited $?"
sed 's/^/    /' "$(ha_dir 2)/pb.log"
echo "# conntrack -L -p tcp --dport $HA_PROBE_PORT (fw2's kernel table)"
ns_exec "$HA_FW2" "$CONNTRACK" -L -p tcp --dport "$HA_PROBE_PORT" 2>&1

sleep 2
ha_probe_stop
say "the client's report"
cat "$T_TMP/probe.out"
if [ "$(ha_probe error)" = none ] && [ "$(ha_probe complete)" = true ]; then
	echo "the connection survived: every line echoed, the longest silence $(ha_probe max_gap_ms) ms," \
		"$(ha_invalid 2) of its packets dropped by fw2 as invalid"
else
	t_fail "the connection did not survive: $(cat "$T_TMP/probe.out")"
fi
