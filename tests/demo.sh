#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make demo`: a look at rawct against the real kernel without touching
# the machine's own conntrack table. Creates a scratch network namespace
# (rawct-demo-<random>, deleted on exit whatever happens), creates flows in
# it, counts and lists them, deletes them. Flows are made with our
# conntrack -I once it exists, with build/netns/nlprobe until then.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CONNTRACK=$top/conntrack
NLPROBE=$top/build/netns/nlprobe

if [ "$(id -u)" != 0 ]; then
	echo "demo: needs root (it creates a network namespace); try: sudo make demo" >&2
	exit 1
fi
for f in "$CONNTRACK" "$NLPROBE"; do
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
show "$CONNTRACK" -C || exit 1

# our conntrack -I, if it is there yet (the probe creates 10.0.0.1)
if ip netns exec "$ns" "$CONNTRACK" -I -p udp -s 10.0.0.1 -d 192.0.2.1 \
	--sport 1024 --dport 53 -t 600 2>&1 | grep -q "have been created"; then
	for i in 2 3 4 5; do
		show "$CONNTRACK" -I -p udp -s 10.0.0.$i -d 192.0.2.1 \
			--sport 1024 --dport 53 -t 600 || exit 1
	done
else
	ip netns exec "$ns" "$NLPROBE" delete-all >/dev/null
	show "$NLPROBE" create 5 1 || exit 1
fi
show "$CONNTRACK" -C || exit 1
show "$NLPROBE" dump || exit 1
# our conntrack -L, if it is there yet
if ip netns exec "$ns" "$CONNTRACK" -L 2>&1 >/dev/null |
	grep -q "have been shown"; then
	show "$CONNTRACK" -L || exit 1
elif [ -x /usr/sbin/conntrack ]; then
	echo "(listing with the Debian reference until our -L exists)"
	show /usr/sbin/conntrack -L || exit 1
fi
show "$NLPROBE" delete-all || exit 1
show "$CONNTRACK" -C || exit 1
echo
echo "done; the namespace $ns is deleted on exit"
