#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# primary-backup.sh - the keepalived notify script of a primary-backup pair
# of firewalls whose connection tracking tables conntrackd replicates (Sync
# mode, any of FTFW, NOTRACK, ALARM). keepalived calls it on each state
# change of the vrrp_sync_group (see examples/keepalived.conf):
#
#   primary-backup.sh primary|backup|fault|stop [SETTINGS]
#
#   primary  this node takes over: the flows the old primary replicated to
#            us are put into our kernel table (conntrackd -c, which returns
#            once the commit is done), THEN the virtual addresses come up
#            here and are announced with gratuitous ARP, then both caches
#            are emptied (-f), the internal cache is filled again from the
#            kernel table, committed flows included (-R), and all of it is
#            sent to the other node (-B), which is now the backup.
#   backup   the addresses go (if we had them); conntrackd is started if it
#            is not running; the kernel table is scheduled for a flush
#            after PurgeTimeout (-t: the flows we handled as primary are
#            stale once the other node forwards them), and the primary is
#            asked for a full resync (-n; ALARM ignores it, its refreshes
#            do the same).
#   fault    the addresses go; -t.
#   stop     keepalived is stopping: the addresses go; -t.
#
# Why this script, and not keepalived, owns the addresses. keepalived adds
# the addresses of `virtual_ipaddress` when an instance (or the last one of
# a sync group) becomes MASTER, sends its gratuitous ARPs, and only then
# forks notify_master, which runs while traffic already arrives. Until the
# commit is done, the kernel of the new primary knows nothing of the flows
# it now forwards. With a stateful ruleset (`ct state invalid drop`,
# nf_conntrack_tcp_loose=0) mid-stream TCP packets are dropped, which TCP
# survives, but a UDP or ICMP packet of a replicated flow is taken as a
# NEW flow (with a new NAT mapping), and a reply sent to a virtual address
# reaches our own stack, which answers with a reset or a port unreachable:
# the client's connection dies, and the commit of the real flow then
# collides with the one just made. So keepalived.conf lists no
# virtual_ipaddress (keepalived only logs "No VIP specified; at least one
# is sensible" and elects as usual), and this script brings the addresses
# up itself on `primary`, after `conntrackd -c` has returned. A node that
# fails the commit still takes the addresses: forwarding without the old
# flows beats not forwarding at all (it is logged).
#
# Transitions can overlap (keepalived does not wait for a notify script to
# end before the next); each run takes a lock (flock(1), if installed) so
# they happen one after the other, in order.
#
# SETTINGS, a shell fragment read if it exists (default
# /etc/conntrackd/primary-backup.conf), may set:
#   CONNTRACKD_BIN     the conntrackd binary     (/usr/sbin/conntrackd)
#   CONNTRACKD_CONFIG  its configuration         (/etc/conntrackd/conntrackd.conf)
#   CONNTRACKD_LOCK    its LockFile              (/var/lock/conntrack.lock)
#   VIPS               the virtual addresses, one "ADDRESS/PREFIX dev IFACE"
#                      per line (empty: the addresses are not ours to move)
#   STATE_DIR          where the transition lock lives (/run)
#   LOG_FILE           log here (with times) instead of through logger(1)
#   PYTHON             python3, to send gratuitous ARP when iputils'
#                      arping is not installed (python3)

CONNTRACKD_BIN=/usr/sbin/conntrackd
CONNTRACKD_CONFIG=/etc/conntrackd/conntrackd.conf
CONNTRACKD_LOCK=/var/lock/conntrack.lock
VIPS=""
STATE_DIR=/run
LOG_FILE=""
PYTHON=python3

SETTINGS=${2:-/etc/conntrackd/primary-backup.conf}
if [ -r "$SETTINGS" ]; then
	# shellcheck source=/dev/null
	. "$SETTINGS"
fi

log() {
	if [ -n "$LOG_FILE" ]; then
		echo "$(date +%s.%N) $*" >>"$LOG_FILE"
	else
		logger -t primary-backup "$*"
	fi
}

# ctd OPTION...: one conntrackd client request; logs a failure.
ctd() {
	if "$CONNTRACKD_BIN" -C "$CONNTRACKD_CONFIG" "$@"; then
		log "conntrackd $* done"
		return 0
	fi
	log "ERROR: conntrackd $* failed"
	return 1
}

# garp IFACE ADDRESS: tells the link that ADDRESS is here now (ARP reply
# and request, both gratuitous), through iputils' arping or python3.
garp() {
	if command -v arping >/dev/null 2>&1 &&
	   arping -V 2>&1 | grep -q iputils; then
		arping -q -U -c 1 -I "$1" "$2"
		arping -q -A -c 1 -I "$1" "$2"
		return
	fi
	"$PYTHON" - "$1" "$2" <<'EOF'
import socket, struct, sys
dev, ip = sys.argv[1], socket.inet_aton(sys.argv[2])
with open("/sys/class/net/%s/address" % dev) as f:
    mac = bytes.fromhex(f.read().strip().replace(":", ""))
bcast = b"\xff" * 6
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
for op, target in ((1, b"\0" * 6), (2, bcast)):
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op,
                      mac, ip, target, ip)
    s.send(bcast + mac + b"\x08\x06" + arp)
EOF
}

# vips add|del: every line of VIPS.
vips() {
	[ -n "$VIPS" ] || return 0
	echo "$VIPS" | while read -r addr dev iface rest; do
		[ -n "$addr" ] || continue
		if [ "$dev" != dev ] || [ -z "$iface" ] || [ -n "$rest" ]; then
			log "ERROR: bad VIPS line: $addr $dev $iface $rest"
			continue
		fi
		if [ "$1" = add ]; then
			ip addr replace "$addr" dev "$iface" ||
				log "ERROR: cannot add $addr to $iface"
			garp "$iface" "${addr%/*}" ||
				log "WARNING: no gratuitous ARP for $addr"
		else
			ip addr del "$addr" dev "$iface" 2>/dev/null
		fi
	done
	log "addresses: $1"
}

case "$1" in
primary | backup | fault | stop) ;;
*)
	log "ERROR: unknown state transition '$1'"
	echo "usage: primary-backup.sh {primary|backup|fault|stop} [SETTINGS]" >&2
	exit 1
	;;
esac

# (a failed redirection of exec would end the script: check the directory)
if command -v flock >/dev/null 2>&1 && [ -d "$STATE_DIR" ] &&
   [ -w "$STATE_DIR" ]; then
	exec 9>>"$STATE_DIR/conntrackd-primary-backup.lock"
	flock 9
fi
log "transition: $1"

case "$1" in
primary)
	ctd -c
	vips add
	ctd -f
	ctd -R
	ctd -B
	;;
backup)
	vips del
	if ! "$CONNTRACKD_BIN" -C "$CONNTRACKD_CONFIG" -s >/dev/null 2>&1; then
		if [ -f "$CONNTRACKD_LOCK" ]; then
			log "WARNING: conntrackd was not cleanly stopped"
			rm -f "$CONNTRACKD_LOCK"
		fi
		"$CONNTRACKD_BIN" -C "$CONNTRACKD_CONFIG" -d ||
			{ log "ERROR: cannot launch conntrackd"; exit 1; }
	fi
	ctd -t
	ctd -n
	;;
fault | stop)
	vips del
	ctd -t
	;;
esac
exit 0
