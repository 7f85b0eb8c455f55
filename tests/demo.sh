#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make demo`: a look at rawct against the real kernel without touching
# the machine's own conntrack table. Creates a scratch network namespace
# (rawct-demo-<random>, deleted on exit whatever happens) and, while a
# `conntrack -E` monitor runs in the background, creates flows of several
# protocols and families, counts and lists them (plain, JSON, save),
# updates and deletes some, flushes, then shows the events the monitor
# saw. Then conntrackd runs in Stats mode in the same namespace (its
# files in a scratch directory): it loads the table, follows new flows,
# accounts and logs those that end, and answers -i, -s and -s json.
# (tests/demo_failover.sh, run after it, shows the Sync mode.)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CONNTRACK=$top/conntrack
CONNTRACKD=$top/conntrackd

if [ "$(id -u)" != 0 ]; then
	echo "demo: needs root (it creates a network namespace); try: sudo make demo" >&2
	exit 1
fi
for f in "$CONNTRACK" "$CONNTRACKD"; do
	if [ ! -x "$f" ]; then
		echo "demo: $f missing; run make demo (it builds it)" >&2
		exit 1
	fi
done

ns=rawct-demo-$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')
trap 'ip netns del "$ns" 2>/dev/null' EXIT
trap 'exit 130' INT TERM
if ! ip netns add "$ns"; then
	echo "demo: cannot create a network namespace (ip netns add failed)" >&2
	exit 1
fi

# show CMD...: prints the command the way a user would type it, runs it
# inside the namespace.
show() {
	local name
	name=$(basename "$1")
	[ "$1" = /usr/sbin/conntrack ] && name="$1"
	echo "# $name ${*:2}"
	ip netns exec "$ns" "$@" 2>&1
}

echo "rawct demo in the scratch network namespace $ns"
echo
show "$CONNTRACK" -V || exit 1

# the event monitor, in the background for the whole demo
ev=$(mktemp "${TMPDIR:-/tmp}/rawct-demo-events.XXXXXX") || exit 1
ip netns exec "$ns" "$CONNTRACK" -E -o timestamp >"$ev" 2>&1 &
mon=$!
trap 'kill "$mon" 2>/dev/null; ip netns del "$ns" 2>/dev/null; rm -f "$ev"' EXIT
sleep 0.3

show "$CONNTRACK" -I -p tcp -s 10.0.0.1 -d 192.0.2.1 --sport 40000 \
	--dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 600 || exit 1
show "$CONNTRACK" -I -p udp -s 10.0.0.2 -d 192.0.2.53 --sport 5353 \
	--dport 53 -t 30 -m 7 || exit 1
show "$CONNTRACK" -I -p icmp -s 10.0.0.3 -d 192.0.2.1 --icmp-type 8 \
	--icmp-code 0 --icmp-id 77 -t 30 || exit 1
show "$CONNTRACK" -I -p udp -s 2001:db8::1 -d 2001:db8::53 --sport 5353 \
	--dport 53 -t 30 -w 4 || exit 1
show "$CONNTRACK" -C || exit 1
show "$CONNTRACK" -L || exit 1
show "$CONNTRACK" -L -p udp -o json || exit 1
show "$CONNTRACK" -U -p udp -m 42 || exit 1
show "$CONNTRACK" -D -s 10.0.0.3 || exit 1
show "$CONNTRACK" -L -o save || exit 1
show "$CONNTRACK" -F || exit 1
sleep 0.3
kill -INT "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
echo "# conntrack -E -o timestamp (running in the background meanwhile)"
cat "$ev"
echo

# conntrackd in Stats mode, its files in a scratch directory
dir=$(mktemp -d "${TMPDIR:-/tmp}/rawct-demo-ctd.XXXXXX") || exit 1
ctd=""
trap 'kill "$mon" $ctd 2>/dev/null; ip netns del "$ns" 2>/dev/null; rm -rf "$ev" "$dir"' EXIT
cat >"$dir/c.conf" <<EOF
General {
	LogFile $dir/conntrackd.log
	LockFile $dir/lock
	UNIX { Path $dir/ctl }
}
Stats {
	LogFile $dir/flows.log
}
EOF
echo "# conntrackd.conf:"
cat "$dir/c.conf"
show "$CONNTRACK" -I -p tcp -s 10.1.0.1 -d 192.0.2.80 --sport 41000 \
	--dport 80 --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 600 || exit 1
echo "# conntrackd -C c.conf (in the background, console mode)"
ip netns exec "$ns" "$CONNTRACKD" -C "$dir/c.conf" >"$dir/console" 2>&1 &
ctd=$!
for _ in $(seq 1 200); do [ -S "$dir/ctl" ] && break; sleep 0.02; done
show "$CONNTRACK" -I -p udp -s 10.1.0.2 -d 192.0.2.53 --sport 5353 \
	--dport 53 -t 30 || exit 1
sleep 0.2
show "$CONNTRACKD" -C "$dir/c.conf" -i || exit 1
show "$CONNTRACK" -D -s 10.1.0.2 || exit 1
sleep 0.2
show "$CONNTRACKD" -C "$dir/c.conf" -s || exit 1
show "$CONNTRACKD" -C "$dir/c.conf" -s json || exit 1
show "$CONNTRACKD" -C "$dir/c.conf" -k || exit 1
wait "$ctd" 2>/dev/null
echo "# the flow log (Stats LogFile): the flow that ended"
cat "$dir/flows.log"
echo "# the daemon's log"
cat "$dir/conntrackd.log"
echo
echo "done; the namespace $ns and $dir are deleted on exit"
