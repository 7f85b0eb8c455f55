#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Captures fuzz seeds from the running kernel: creates a throw-away network
# namespace (rawct-seeds-XXXX, deleted on any exit), turns on counters and
# timestamps there, inserts a few conntrack entries with the system's
# conntrack(8) when it exists (build/fuzz-seeds/capture adds one of its
# own through nl/), then lets build/fuzz-seeds/capture send dumps, stats
# and refused requests and write each answer as seeds into
# fuzz/corpus/{reply,attr,ct_decode}/cap-*. Needs root. Run as `make fuzz-seeds`.
set -eu

CAPTURE=${CAPTURE:-build/fuzz-seeds/capture}
OUT=${OUT:-fuzz/corpus}
CONNTRACK=${CONNTRACK:-/usr/sbin/conntrack}

[ -x "$CAPTURE" ] || { echo "capture.sh: $CAPTURE not built" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: capture.sh needs root" >&2; exit 77; }

NS="rawct-seeds-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
TMP=$(mktemp -d)
cleanup() {
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NS"
ip -n "$NS" link set lo up
# Counters and timestamps make dumps carry CTA_COUNTERS_* and CTA_TIMESTAMP.
ip netns exec "$NS" sh -c '
	echo 1 > /proc/sys/net/netfilter/nf_conntrack_acct
	echo 1 > /proc/sys/net/netfilter/nf_conntrack_timestamp' 2>/dev/null ||
	echo "capture.sh: no nf_conntrack sysctls (module not loaded?)" >&2

if [ -x "$CONNTRACK" ]; then
	ct() { ip netns exec "$NS" "$CONNTRACK" "$@" >/dev/null 2>&1 ||
		echo "capture.sh: conntrack $* failed" >&2; }
	ct -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 40000 --dport 80 \
		--state ESTABLISHED -u SEEN_REPLY,ASSURED -t 120 -m 7
	ct -I -p udp -s 10.0.0.1 -d 10.0.0.3 --sport 5353 --dport 53 -t 30 \
		-w 3
	ct -I -p icmp -s 10.0.0.1 -d 10.0.0.4 --icmp-type 8 --icmp-code 0 \
		--icmp-id 77 -t 30
	ct -I -p tcp -s 2001:db8::1 -d 2001:db8::2 --sport 40001 \
		--dport 443 --state SYN_SENT -t 60
	ct -I -p udp -s 2001:db8::1 -d 2001:db8::3 --sport 1000 \
		--dport 2000 -t 60
else
	echo "capture.sh: no $CONNTRACK, only entries made through nl/" >&2
fi

mkdir -p "$TMP/reply" "$TMP/attr" "$TMP/ct_decode"
"$CAPTURE" "/run/netns/$NS" "$TMP"
mkdir -p "$OUT/reply" "$OUT/attr" "$OUT/ct_decode"
for d in reply attr ct_decode; do
	for f in "$TMP/$d"/*; do
		[ -e "$f" ] || continue
		cp "$f" "$OUT/$d/cap-$(basename "$f")"
	done
done
echo "capture.sh: $(ls "$TMP/reply" | wc -l) reply," \
	"$(ls "$TMP/attr" | wc -l) attr and" \
	"$(ls "$TMP/ct_decode" | wc -l) ct_decode seeds in $OUT"
