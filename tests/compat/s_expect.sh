#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The expectation table: bad command lines, the empty table, and a real
# ftp-helper expectation (the setup loads an nft `ct helper "ftp"` and
# runs a PASV exchange on 127.0.0.1, as tests/netns/ftp_rig.sh does; its
# python exits by itself after a few seconds). Deliberate differences:
# -D expect reports what it deleted and exits 0, -o json exists, -L
# expect -o xml prints a complete document for an empty table.
. "$(dirname "$0")/lib.sh"

BAN="conntrack vX (conntrack-tools):"
MASTER="-s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 40021 --dport 21"
KEY="-s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 10000 --reply-port-src 1 --reply-port-dst 1"

ftp_expectation() {
	command -v nft >/dev/null && command -v python3 >/dev/null
	nft -f - <<'NFT'
table inet rawct {
	ct helper ftp-std {
		type "ftp" protocol tcp;
	}
	chain out {
		type filter hook output priority 0;
		tcp dport 21 ct helper set "ftp-std"
	}
}
NFT
	python3 -c '
import os, socket, sys, time
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 21))
l.listen(1)
c = socket.socket()
c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
c.bind(("127.0.0.1", 40021))
c.connect(("127.0.0.1", 21))
a, _ = l.accept()
a.sendall(b"220 rawct\r\n")
c.recv(100)
c.sendall(b"PASV\r\n")
a.recv(100)
a.sendall(b"227 Entering Passive Mode (127,0,0,1,39,16).\r\n")
c.recv(100)
print("ready", flush=True)
time.sleep(8)
' >/tmp/rawct-ftp.$$ 2>&1 &
	for _ in $(seq 1 50); do
		grep -q ready /tmp/rawct-ftp.$$ && break
		sleep 0.1
	done
	rm -f /tmp/rawct-ftp.$$
	[ "$("$REF" -C expect)" = 1 ]
}

# bad command lines
compat exp_create_nothing -- -I expect
compat exp_create_no_tuple -- -I expect $MASTER -t 10
compat exp_create_no_mask -- -I expect $MASTER --tuple-src 1.1.1.1 --tuple-dst 2.2.2.2 -t 10
compat exp_create_no_timeout -- -I expect $MASTER --tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 --mask-src 255.255.255.255 --mask-dst 255.255.255.255 --tuple-port-src 0 --tuple-port-dst 5 --mask-port-src 0 --mask-port-dst 65535
compat exp_create_no_master -- -I expect $MASTER --tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 --mask-src 255.255.255.255 --mask-dst 255.255.255.255 --tuple-port-src 0 --tuple-port-dst 5 --mask-port-src 0 --mask-port-dst 65535 -t 10
compat exp_create_sctp_no_master -- -I expect -s 1.1.1.1 -d 2.2.2.2 -p sctp --sport 1 --dport 2 --tuple-src 1.1.1.1 --tuple-dst 2.2.2.2 --mask-src 255.255.255.255 --mask-dst 255.255.255.255 --tuple-port-src 0 --tuple-port-dst 5 --mask-port-src 0 --mask-port-dst 65535 -t 10 --orig-vtag 1 --reply-vtag 2
compat exp_create_state -- -I expect $MASTER --state ESTABLISHED -t 10
compat exp_list_proto -- -L expect -p tcp
compat exp_list_src -- -L expect -s 1.1.1.1
compat exp_get_nothing -- -G expect
compat exp_get_no_reply_ports -- -G expect -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2
compat exp_get_output -- -G expect $KEY -o xml
compat exp_delete_nothing -- -D expect
compat exp_delete_timeout -- -D expect $KEY -t 5
compat exp_update -- -U expect
compat exp_add -- -A expect
compat exp_event_mask -- -E expect -e NEW
compat exp_event_filter -- -E expect -p tcp
compat exp_flush_family -- -F expect -f ipv4
compat exp_count_opt -- -C expect -p tcp
compat exp_stats_opt -- -S expect -f ipv4
compat exp_table_prefix -- -L e
compat exp_bad_output -- -L expect -o foo

# the empty table
compat exp_list_empty -- -L expect
compat exp_list_empty_ipv6 -- -L expect -f ipv6
differ exp_list_empty_xml --why "a complete XML document even for zero entries (spec 5)" \
	--out $'<?xml version="1.0" encoding="utf-8"?>\n<expect>\n</expect>\n' -- -L expect -o xml
differ exp_list_empty_json --why "-o json is ours (1.4.7: Bad parameter)" --rc 0 --out "" \
	--err "$BAN 0 expectations have been shown."$'\n' -- -L expect -o json
compat exp_get_missing -- -G expect $KEY
compat exp_delete_missing -- -D expect $KEY
compat exp_flush_empty -- -F expect
compat exp_count_empty -- -C expect
compat exp_stats_empty -- -S expect

# a real ftp expectation
compat exp_list_ftp --setup ftp_expectation -- -L expect
compat exp_list_ftp_xml --setup ftp_expectation -- -L expect -o xml
compat exp_list_ftp_ts --setup ftp_expectation -- -L expect -o timestamp
compat exp_list_ftp_save --setup ftp_expectation -- -L expect -o save
compat exp_list_ftp_ipv4 --setup ftp_expectation -- -L expect -f ipv4
compat exp_get_ftp --setup ftp_expectation -- -G expect $KEY
compat exp_count_ftp --setup ftp_expectation -- -C expect
differ exp_delete_ftp --setup ftp_expectation --after exp_count \
	--why "-D expect counts what it deleted and exits 0 (1.4.7: '0 expectations have been shown.', exit 1; spec 5)" \
	--rc 0 --err "$BAN 1 expectations have been deleted."$'\n' -- -D expect $KEY
compat exp_flush_ftp --setup ftp_expectation --after exp_count -- -F expect

exp_count() {
	"$REF" -C expect
}
t_done
