#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -E against the reference: the setup starts a scripted sequence in the
# background (after a pause, so that the monitor under test has
# subscribed), the monitor runs until the harness's timeout sends it
# SIGTERM (both exit through the same handler: summary, exit status of
# timeout(1)), and the event streams are compared with port ids and
# timeouts masked. The [USERSPACE] progname= part depends on whether the
# requesting conntrack is still alive when the event is read, so it is
# dropped on both sides. Deliberate difference: no [USERSPACE] after XML
# flows (HEAD, spec 1.15).
. "$(dirname "$0")/lib.sh"

eval "lib_$(declare -f normalise)"
normalise() {
	lib_normalise | sed -E 's/ progname=[^ ]*$//'
}

BAN="conntrack vX (conntrack-tools):"

# the sequence, from a process that outlives the setup: once a monitor
# has joined the ctnetlink groups in this namespace (the Groups column of
# /proc/net/netlink; the two sides run one after the other)
sequence() {
	(
		for _ in $(seq 1 300); do
			awk '$2 == 12 && $4 != "00000000" { f = 1 } END { exit !f }' \
				/proc/net/netlink && break
			sleep 0.05
		done
		"$REF" -I -p udp -s 11.0.0.1 -d 11.0.0.2 --sport 1 --dport 2 -t 30
		"$REF" -I -p tcp -s 11.0.0.3 -d 11.0.0.4 --sport 3 --dport 80 --state ESTABLISHED -t 60
		"$REF" -U -p udp -s 11.0.0.1 -m 5
		"$REF" -D -p udp -s 11.0.0.1
		"$REF" -D -p tcp
	) >/dev/null 2>&1 &
}

compat ev_default --setup sequence --timeout 4 -- -E
compat ev_new --setup sequence --timeout 4 -- -E -e NEW
compat ev_updates_destroy --setup sequence --timeout 4 -- -E -e UPDATES,DESTROY
compat ev_filter_proto --setup sequence --timeout 4 -- -E -p tcp
compat ev_filter_src --setup sequence --timeout 4 -- -E -s 11.0.0.1
compat ev_filter_cidr --setup sequence --timeout 4 -- -E -s 11.0.0.0/31
compat ev_filter_mark --setup sequence --timeout 4 -- -E -m 5
compat ev_extended_id --setup sequence --timeout 4 -- -E -o extended,id
compat ev_timestamp --setup sequence --timeout 4 -- -E -o timestamp
compat ev_family6 --setup sequence --timeout 4 -- -E -f ipv6
differ ev_xml --setup sequence --timeout 4 \
	--why "HEAD prints no [USERSPACE] after XML flows (1.4.7 does; spec 1.15)" \
	--out '<?xml version="1.0" encoding="utf-8"?>
<conntrack>
<flow type="new"><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>11.0.0.1</src><dst>11.0.0.2</dst></layer3><layer4 protonum="17" protoname="udp"><sport>1</sport><dport>2</dport></layer4></meta><meta direction="reply"><layer3 protonum="2" protoname="ipv4"><src>11.0.0.2</src><dst>11.0.0.1</dst></layer3><layer4 protonum="17" protoname="udp"><sport>2</sport><dport>1</dport></layer4></meta><meta direction="independent"><timeout>T</timeout><mark>0</mark><id>N</id><unreplied/></meta></flow>
<flow type="destroy"><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>11.0.0.1</src><dst>11.0.0.2</dst></layer3><layer4 protonum="17" protoname="udp"><sport>1</sport><dport>2</dport></layer4></meta><meta direction="reply"><layer3 protonum="2" protoname="ipv4"><src>11.0.0.2</src><dst>11.0.0.1</dst></layer3><layer4 protonum="17" protoname="udp"><sport>2</sport><dport>1</dport></layer4></meta><meta direction="independent"><timeout>T</timeout><mark>5</mark><id>N</id><unreplied/></meta></flow>
</conntrack>
' -- -E -o xml -e NEW,DESTROY -p udp
differ ev_save_mark --setup sequence --timeout 4 \
	--why 'spec 5: -o save keeps the mark, so that -R restores it' \
	--out $'-U -t T -u UNSET -s 11.0.0.1 -d 11.0.0.2 -r 11.0.0.2 -q 11.0.0.1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 -m 5 [USERSPACE] portid=N\n' \
	-- -E -o save -e UPDATES
compat ev_none_xml --timeout 2 -- -E -o xml
compat ev_bufsize --timeout 2 -- -E -b 1000000
compat ev_expect_empty --timeout 2 -- -E expect
t_done
