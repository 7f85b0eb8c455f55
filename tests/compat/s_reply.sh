#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Entries named by their reply tuple, or by both tuples: -I, -A, -G, -D,
# -U and -R lines for every protocol (tcp, udp, udplite, sctp, dccp,
# icmp, icmpv6, gre, an unknown one), outside zones and in -w,
# --orig-zone and --reply-zone zones, and what each left in the table
# (listed with the reference). Then the corners: ICMP options before the
# addresses, l4 fields left out (upstream sends them as 0), -G filtering
# the entry it got, -A's EINVAL text. Differences are declared with
# differ and in conntrack(8) DIFFERENCES.
. "$(dirname "$0")/lib.sh"

table() { "$REF" -L 2>&1; }

# name|orig addresses|reply addresses|orig l4|reply l4|-I extras|the -L
# line of the entry (Z1 zone-orig, Z2 zone-reply, Z3 zone, U use);
# the ICMP options name the orig tuple: a reply-only line carries them
PROTOS='tcp|-s 1.1.1.1 -d 2.2.2.2|-r 2.2.2.2 -q 1.1.1.1|--sport 21 --dport 11|--reply-port-src 11 --reply-port-dst 21|--state LISTEN|tcp      6 T SYN_SENT2 src=1.1.1.1 dst=2.2.2.2 sport=21 dport=11 Z1[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=11 dport=21 Z2mark=0 Z3use=U
udp|-s 1.1.1.1 -d 2.2.2.2|-r 2.2.2.2 -q 1.1.1.1|--sport 21 --dport 11|--reply-port-src 11 --reply-port-dst 21||udp      17 T src=1.1.1.1 dst=2.2.2.2 sport=21 dport=11 Z1[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=11 dport=21 Z2mark=0 Z3use=U
udplite|-s 2001:db8::1 -d 2001:db8::2|-r 2001:db8::2 -q 2001:db8::1|--sport 21 --dport 11|--reply-port-src 11 --reply-port-dst 21||udplite  136 T src=2001:db8::1 dst=2001:db8::2 sport=21 dport=11 Z1[UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=11 dport=21 Z2mark=0 Z3use=U
sctp|-s 1.1.1.1 -d 2.2.2.2|-r 2.2.2.2 -q 1.1.1.1|--sport 21 --dport 11|--reply-port-src 11 --reply-port-dst 21|--state ESTABLISHED --orig-vtag 1 --reply-vtag 2|sctp     132 T ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=21 dport=11 Z1[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 sport=11 dport=21 Z2mark=0 Z3use=U
dccp|-s 1.1.1.1 -d 2.2.2.2|-r 2.2.2.2 -q 1.1.1.1|--sport 21 --dport 11|--reply-port-src 11 --reply-port-dst 21|--state OPEN --role client|-
icmp|-s 1.1.1.1 -d 2.2.2.2|-r 2.2.2.2 -q 1.1.1.1|--icmp-type 8 --icmp-code 0 --icmp-id 1226|||icmp     1 T src=1.1.1.1 dst=2.2.2.2 type=8 code=0 id=1226 Z1[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 type=0 code=0 id=1226 Z2mark=0 Z3use=U
icmpv6|-s 2001:db8::1 -d 2001:db8::2|-r 2001:db8::2 -q 2001:db8::1|--icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 1226|||icmpv6   58 T src=2001:db8::1 dst=2001:db8::2 type=128 code=0 id=1226 Z1[UNREPLIED] src=2001:db8::2 dst=2001:db8::1 type=129 code=0 id=1226 Z2mark=0 Z3use=U
gre|-s 1.1.1.1 -d 2.2.2.2|-r 2.2.2.2 -q 1.1.1.1|--srckey 21 --dstkey 11|--reply-key-src 11 --reply-key-dst 21||gre      47 T src=1.1.1.1 dst=2.2.2.2 srckey=0x15 dstkey=0xb Z1[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 srckey=0xb dstkey=0x15 Z2mark=0 Z3use=U
2|-s 1.1.1.1 -d 2.2.2.2|-r 2.2.2.2 -q 1.1.1.1||||unknown  2 T src=1.1.1.1 dst=2.2.2.2 Z1[UNREPLIED] src=2.2.2.2 dst=1.1.1.1 Z2mark=0 Z3use=U'

# what we print where upstream refuses (conntrack(8) DIFFERENCES)
WHY_G='conntrack(8) DIFFERENCES: -G looks an entry up by its reply tuple alone (upstream sends no request: invalid parameters)'
WHY_ICMP='conntrack(8) DIFFERENCES: -I/-A of an ICMP entry by its reply tuple alone creates it (upstream derives the reply type from an orig family it does not know yet: invalid parameters)'
SHOWN=$'conntrack vX (conntrack-tools): 1 flow entries have been shown.\n'

# line TEMPLATE ZONE-ORIG ZONE-REPLY ZONE USE: the -L line, newline ended
line() {
	local l=$1
	l=${l/Z1/$2}
	l=${l/Z2/$3}
	l=${l/Z3/$4}
	printf '%s\n' "${l/%U/$5}"
}

while IFS='|' read -r p oa ra ol4 rl4 ex tmpl; do
	O="$oa -p $p $ol4"
	R="$ra -p $p ${rl4:-$ol4}"
	B="$oa $ra -p $p $ol4 $rl4"
	# the entry of each zone, made with the reference from its orig tuple
	eval "mk_${p}() { \"\$REF\" -I -t 100 $O $ex; }"
	eval "mk_${p}_w() { \"\$REF\" -I -t 100 -w 11 $O $ex; }"
	eval "mk_${p}_oz() { \"\$REF\" -I -t 100 --orig-zone 11 $O $ex; }"
	eval "mk_${p}_rz() { \"\$REF\" -I -t 100 --reply-zone 11 $O $ex; }"

	# -I/-A and -R lines of -I: both tuples, in and out of zones
	compat "both_I_$p" --after table -- -I -t 29 $B $ex
	compat "both_A_w_$p" --after table -- -A -t 29 -w 11 $B $ex
	compat "both_I_oz_$p" --after table -- -I -t 29 --orig-zone 11 $B $ex
	compat "both_R_I_rz_$p" --stdin "-I -t 29 --reply-zone 11 $B $ex" \
		--after table -- -R -
	# ... the reply tuple alone
	case $p in
	icmp*)
		differ "reply_I_$p" --why "$WHY_ICMP" --rc 0 \
			--err $'conntrack vX (conntrack-tools): 1 flow entries have been created.\n' \
			--after table --after-out "$SHOWN$(line "$tmpl" '' '' '' 1)"$'\n' \
			-- -I -t 29 $R $ex
		differ "reply_A_rz_$p" --why "$WHY_ICMP" --rc 0 \
			--err $'conntrack vX (conntrack-tools): 1 flow entries have been added.\n' \
			--after table --after-out "$SHOWN$(line "$tmpl" '' 'zone-reply=11 ' '' 1)"$'\n' \
			-- -A -t 29 --reply-zone 11 $R $ex
		differ "reply_R_A_w_$p" --why "$WHY_ICMP" --rc 0 --err '' \
			--after table --after-out "$SHOWN$(line "$tmpl" '' '' 'zone=11 ' 1)"$'\n' \
			--stdin "-A -t 29 -w 11 $R $ex" -- -R -
		;;
	*)
		compat "reply_I_$p" --after table -- -I -t 29 $R $ex
		compat "reply_A_rz_$p" --after table -- -A -t 29 --reply-zone 11 $R $ex
		compat "reply_R_A_w_$p" --stdin "-A -t 29 -w 11 $R $ex" \
			--after table -- -R -
		;;
	esac

	# -D: by the reply tuple or both, in the zone the entry is in,
	# and -w in another zone (nothing deleted)
	compat "reply_D_$p" --setup "mk_$p" --after table -- -D $R
	compat "reply_D_w_$p" --setup "mk_${p}_w" --after table -- -D -w 11 $R
	compat "reply_D_w12_$p" --setup "mk_${p}_w" --after table -- -D -w 12 $R
	compat "both_D_w_$p" --setup "mk_${p}_w" --after table -- -D -w 11 $B
	compat "reply_D_oz_$p" --setup "mk_${p}_oz" --after table -- -D --orig-zone 11 $R
	compat "reply_D_rz_$p" --setup "mk_${p}_rz" --after table -- -D --reply-zone 11 $R
	compat "reply_R_D_w_$p" --setup "mk_${p}_w" --stdin "-D -w 11 $R" \
		--after table -- -R -
	# -U (takes no zone)
	compat "reply_U_$p" --setup "mk_$p" --after table -- -U $R -m 5
	compat "both_U_$p" --setup "mk_$p" --after table -- -U $B -m 5
	compat "reply_R_U_$p" --setup "mk_$p" --stdin "-U $R -m 5" \
		--after table -- -R -
	# -G (takes no zone)
	compat "both_G_$p" --setup "mk_$p" -- -G $B
	if [ "$p" = dccp ]; then
		# the kernel tracks DCCP as generic: the entry got has no
		# ports, so it is not the one asked for
		differ "reply_G_$p" --why "$WHY_G" \
			--err $'conntrack vX (conntrack-tools): 0 flow entries have been shown.\n' \
			--setup "mk_$p" -- -G $R
	else
		differ "reply_G_$p" --why "$WHY_G" --rc 0 --setup "mk_$p" \
			--out "$(line "$tmpl" '' '' '' 2)"$'\n' --err "$SHOWN" \
			-- -G $R
	fi
done <<<"$PROTOS"

# ---- corners --------------------------------------------------------------
I4='-s 1.1.1.1 -d 2.2.2.2'
R4='-r 2.2.2.2 -q 1.1.1.1'
ICMP8='-p icmp --icmp-type 8 --icmp-code 0'
mk_icmp_id0() { "$REF" -I -t 100 -s 1.1.1.1 -d 2.2.2.2 -p icmp --icmp-type 8 --icmp-code 0 --icmp-id 0; }

# the ICMP options before the addresses: upstream pairs the reply type
# only when the addresses come first
WHY_ORDER='conntrack(8) DIFFERENCES: the ICMP options may come before the addresses (upstream then sends reply type 255 or no reply protocol: invalid parameters)'
CREATED=$'conntrack vX (conntrack-tools): 1 flow entries have been created.
'
differ icmp_order_first --why "$WHY_ORDER" --rc 0 --err "$CREATED" \
	--after table --after-out "$SHOWN$(line "$(sed -n 's/^icmp|.*|//p' <<<"$PROTOS")" '' '' '' 1)"$'\n' \
	-- -I -t 29 $ICMP8 --icmp-id 1226 $I4 $R4
differ icmp_order_middle --why "$WHY_ORDER" --rc 0 --err "$CREATED" \
	--after table --after-out "$SHOWN$(line "$(sed -n 's/^icmp|.*|//p' <<<"$PROTOS")" '' '' '' 1)"$'\n' \
	-- -I -t 29 $I4 $ICMP8 --icmp-id 1226 $R4
# l4 fields not given are sent as 0 (libnetfilter_conntrack writes every
# field of a tuple): no --icmp-id is id 0, reply ports alone leave the
# orig ones 0
compat icmp_noid_I --after table -- -I -t 29 $I4 $ICMP8
compat icmp_noid_I_both --after table -- -I -t 29 -u SEEN_REPLY $I4 $R4 $ICMP8
compat icmp_noid_G --setup mk_icmp_id0 -- -G $I4 $ICMP8
compat icmp_noid_D_w0 --setup mk_icmp_id0 --after table -- -D -w 0 $I4 $ICMP8
compat tcp_reply_ports_I --after table -- -I -t 29 $I4 $R4 -p tcp --reply-port-src 11 --reply-port-dst 21 --state LISTEN
compat tcp_reply_ports_G --setup mk_tcp -- -G $I4 $R4 -p tcp --reply-port-src 11 --reply-port-dst 21
# both tuples: the entry got is compared with the one not looked up by,
# and with -i, as -L does (upstream's dump callback)
compat both_G_other_reply --setup mk_tcp -- -G $I4 -r 2.2.2.9 -q 1.1.1.1 -p tcp --sport 21 --dport 11 --reply-port-src 11 --reply-port-dst 21
compat both_G_other_port --setup mk_tcp -- -G $I4 $R4 -p tcp --sport 21 --dport 11 --reply-port-src 11 --reply-port-dst 22
compat G_other_id --setup mk_tcp -- -G $I4 -p tcp --sport 21 --dport 11 -i 5
compat both_D_w_other_reply --setup mk_tcp_w --after table -- -D -w 11 $I4 -r 2.2.2.9 -q 1.1.1.1 -p tcp --sport 21 --dport 11 --reply-port-src 11 --reply-port-dst 21
# an ICMP type the kernel pairs with none: EINVAL, which upstream's
# err2str only words for commands below -A ("Invalid argument" for -A)
compat icmp_unpaired_I -- -I -t 29 $I4 $R4 -p icmp --icmp-type 3 --icmp-code 0
compat icmp_unpaired_A -- -A -t 29 $I4 -p icmp --icmp-type 3 --icmp-code 0
differ icmp_unpaired_R_A --why 'conntrack(8) DIFFERENCES: messages of -R name their line' \
	--err $'conntrack vX (conntrack-tools): line 1: Operation failed: Invalid argument\n' \
	--stdin "-A -t 29 $I4 -p icmp --icmp-type 3 --icmp-code 0" -- -R -
# the reply addresses with orig ports: upstream creates an entry of
# protocol 0 from a reply tuple without a protocol; we send the tuple the
# command names, which the kernel refuses
differ reply_addr_orig_ports_I --why 'conntrack(8) DIFFERENCES: -I/-A by the reply addresses with orig ports is refused (upstream creates an entry of protocol 0)' \
	--rc 1 --err $'conntrack vX (conntrack-tools): Operation failed: invalid parameters\n' \
	--after table --after-out $'conntrack vX (conntrack-tools): 0 flow entries have been shown.\n' \
	-- -I -t 29 $R4 -p tcp --sport 21 --dport 11 --state LISTEN

t_done
