#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Numbers written in hexadecimal. Upstream reads ports, ICMP fields and
# SCTP verification tags with atoi(), so --dport 0x50 is port 0; we read
# 0x as hexadecimal there as HEAD does for -m, -w, -i and -c (declared
# under DIFFERENCES in conntrack(8)). Leading zeros stay decimal, as
# atoi reads them; GRE keys stay strtoul base 0, as upstream; what is
# not a number is refused as before.
. "$(dirname "$0")/lib.sh"

table() { "$REF" -L 2>&1; }
saved() { "$REF" -L -o save 2>&1; }

# two TCP flows: to port 80 and to port 0 (which upstream's 0x50 is)
ports() {
	"$REF" -I -t 100 -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 21 --dport 80 --state LISTEN
	"$REF" -I -t 100 -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 21 --dport 0 --state LISTEN
}
# two ICMP echo flows, id 1226 and id 0
echoes() {
	"$REF" -I -t 100 -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 1226
	"$REF" -I -t 100 -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 0
}

WHY='conntrack(8) DIFFERENCES: 0x is hexadecimal in protocol options, as in -m/-w/-i/-c (upstream atoi reads 0x50 as 0)'
BAN='conntrack vX (conntrack-tools):'
P80='tcp      6 T SYN_SENT2 src=1.1.1.1 dst=2.2.2.2 sport=21 dport=80 [UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=80 dport=21 mark=0 use=1'
P0='tcp      6 T SYN_SENT2 src=1.1.1.1 dst=2.2.2.2 sport=21 dport=0 [UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=0 dport=21 mark=0 use=1'
E1226='icmp     1 T src=1.1.1.1 dst=2.2.2.2 type=8 code=0 id=1226 [UNREPLIED] src=2.2.2.2 dst=1.1.1.1 type=0 code=0 id=1226 mark=0 use=1'
E0='icmp     1 T src=1.1.1.1 dst=2.2.2.2 type=8 code=0 id=0 [UNREPLIED] src=2.2.2.2 dst=1.1.1.1 type=0 code=0 id=0 mark=0 use=1'

# the issue's example, and the same port in the other places
differ hex_dport_list --why "$WHY" --setup ports --out "$P80"$'\n' \
	--err "$BAN 1 flow entries have been shown."$'\n' \
	-- -L -p tcp --dport 0x50
differ hex_dport_upper --why "$WHY" --setup ports --out "$P80"$'\n' \
	--err "$BAN 1 flow entries have been shown."$'\n' \
	-- -L -p tcp --orig-port-dst 0X0050
differ hex_reply_port_delete --why "$WHY" --setup ports --rc 0 \
	--out "$P80"$'\n' --err "$BAN 1 flow entries have been deleted."$'\n' \
	--after table --after-out "$BAN 1 flow entries have been shown."$'\n'"$P0"$'\n' \
	-- -D -p tcp --reply-port-src 0x50
differ hex_port_update --why "$WHY" --setup ports --rc 0 \
	--out "${P80/mark=0 use=1/mark=3 use=2}"$'\n' \
	--err "$BAN 1 flow entries have been updated."$'\n' \
	-- -U -p tcp --dport 0x50 -m 3
differ hex_icmp_id_get --why "$WHY" --setup echoes --rc 0 \
	--out "${E1226/use=1/use=2}"$'\n' \
	--err "$BAN 1 flow entries have been shown."$'\n' \
	-- -G -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 0x8 --icmp-code 0x0 --icmp-id 0x4ca
# a create: upstream makes an echo reply of id 0
differ hex_icmp_create --why "$WHY" \
	--after table --after-out "$BAN 1 flow entries have been shown."$'\n'"$E1226"$'\n' \
	-- -I -t 100 -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 0x8 --icmp-code 0 --icmp-id 0x4ca
# SCTP verification tags (upstream: 0 and 0)
differ hex_sctp_vtag --why "$WHY" --after saved \
	--after-out $'-A -t T -u UNSET -s 1.1.1.1 -d 2.2.2.2 -r 2.2.2.2 -q 1.1.1.1 -p sctp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 --state ESTABLISHED --orig-vtag 4294967295 --reply-vtag 16\nconntrack vX (conntrack-tools): 1 flow entries have been shown.\n' \
	-- -I -t 100 -p sctp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state ESTABLISHED --orig-vtag 0xffffffff --reply-vtag 0x10

# what stays as upstream: leading zeros are decimal, hexadecimal in the
# options that always took it, GRE keys in base 0 (010 is 8)
compat dec_leading_zero --setup ports -- -L -p tcp --dport 080
compat dec_icmp_zero --setup echoes -- -L -p icmp --icmp-id 00
compat hex_zone_mark --setup ports --sort -- -L -w 0x0 -m 0x0/0xffffffff
compat oct_gre_key --after table -- -I -t 100 -p gre -s 1.1.1.1 -d 2.2.2.2 --srckey 010 --dstkey 0x10
# not numbers: refused (upstream atoi reads them as 0; exit 1, HEAD's -m
# message, as before)
NOT='we check protocol numbers (conntrack(8) DIFFERENCES); upstream atoi reads them as 0'
differ not_hex_digits --why "$NOT" --setup ports --rc 1 --out '' \
	--err "$BAN unexpected value '0x5g' with --dport option"$'\n' \
	-- -L -p tcp --dport 0x5g
differ not_hex_empty --why "$NOT" --setup ports --rc 1 --out '' \
	--err "$BAN unexpected value '0x' with --dport option"$'\n' \
	-- -L -p tcp --dport 0x
differ not_hex_range --why "$NOT" --setup echoes --rc 1 --out '' \
	--err "$BAN unexpected value '0x100' with --icmp-type option"$'\n' \
	-- -L -p icmp --icmp-type 0x100
t_done
