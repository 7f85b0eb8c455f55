#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The modifying commands -I -A -G -U -D -F -C -S: summaries, exit codes,
# printed entries and (through --after, listing with the reference) what
# they left in the table; filters on -D/-U, nothing matched (exit 1),
# duplicates. 1.4.8 (HEAD) differences from the 1.4.7 reference are
# declared with differ (spec 1.15).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/zoo.sh"

table() { "$REF" -L -o save 2>&1; }
counted() { "$REF" -C; }

# -I
compat create_tcp --after table -- -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state ESTABLISHED -t 100 -m 5 -w 4
compat create_udp6 --after table -- -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 1 --dport 2 -t 100 -u ASSURED,SEEN_REPLY
compat create_reply_only --after table -- -I -p udp -r 1.1.1.1 -q 2.2.2.2 --reply-port-src 1 --reply-port-dst 2 -t 100
compat create_dnat --after table -- -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state SYN_SENT -t 100 -g 3.3.3.3:80
compat create_snat --after table -- -I -p udp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 100 -n 4.4.4.4:99
compat create_icmp --after table -- -I -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 3 -t 100
compat create_icmpv6 --after table -- -I -p icmpv6 -s ::1 -d ::2 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 3 -t 100
compat create_gre --after table -- -I -p gre -s 1.1.1.1 -d 2.2.2.2 --srckey 1 --dstkey 2 -t 100
compat create_sctp --after table -- -I -p sctp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state ESTABLISHED --orig-vtag 7 --reply-vtag 8 -t 100
compat create_unknown --after table -- -I -p 2 -s 1.1.1.1 -d 224.0.0.1 -t 100
compat create_zones --after table -- -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state SYN_SENT --orig-zone 1 -t 100
compat create_both_zones -- -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 --state SYN_SENT --orig-zone 1 --reply-zone 2 -t 100
compat create_dup --setup one_tcp --after table -- -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 --state ESTABLISHED -t 100 -w 3
compat create_dup_other_zone --setup one_tcp --after counted -- -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 --state ESTABLISHED -t 100
compat create_long --after counted -- --create --protonum tcp --src 1.1.1.1 --dst 2.2.2.2 --sport 1 --dport 2 --state LISTEN --timeout 100

# -A
compat add_new --after table -- -A -p udp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 -t 100
differ add_existing --why 'spec 1.15: HEAD -A updates an existing entry (1.4.7: EEXIST swallowed, 0 added)' \
	--setup one_udp6 --err $'conntrack vX (conntrack-tools): 1 flow entries have been added.\n' \
	-- -A -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 1 --dport 2 -t 100

# -G
compat get_one --setup zoo -- -G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 -w 3
compat get_xml --setup zoo -- -G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 -w 3 -o xml
compat get_ext --setup zoo -- -G -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 1 --dport 2 -o extended,id
compat get_icmp --setup zoo -- -G -p icmp -s 1.1.1.1 -d 2.2.2.2 --icmp-type 8 --icmp-code 0 --icmp-id 1226
differ get_reply --why 'conntrack(8) DIFFERENCES: -G looks an entry up by its reply tuple alone (upstream sends no request: invalid parameters); more in s_reply.sh' \
	--setup zoo --rc 0 --out $'gre      47 T src=3.3.3.3 dst=4.4.4.4 srckey=0x5 dstkey=0x16 packets=0 bytes=0 [UNREPLIED] src=4.4.4.4 dst=3.3.3.3 srckey=0x16 dstkey=0x5 packets=0 bytes=0 mark=0 delta-time=N use=2\n' \
	--err $'conntrack vX (conntrack-tools): 1 flow entries have been shown.\n' \
	-- -G -p gre -r 4.4.4.4 -q 3.3.3.3 --reply-key-src 0x16 --reply-key-dst 5
compat get_missing --setup zoo -- -G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 11 --dport 20
compat get_wrong_zone --setup zoo -- -G -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20
compat get_empty -- -G -p udp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2

# -D
compat delete_tuple --setup zoo --after table -- -D -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 -w 3
compat delete_src --setup zoo --sort --after table -- -D -s 1.1.1.1
compat delete_cidr --setup zoo --sort --after table -- -D -s 4.4.4.0/24
compat delete_proto --setup zoo --sort --after table -- -D -p udp
compat delete_mark --setup zoo --sort --after table -- -D -m 0x10/0xf0
compat delete_status --setup zoo --sort --after table -- -D -u ASSURED
compat delete_family --setup zoo --sort --after table -- -D -f ipv6
compat delete_zone --setup zoo --sort --after table -- -D -w 3
compat delete_snat --setup zoo --sort --after table -- -D -n 8.8.8.8
compat delete_state --setup zoo --sort --after table -- -D -p tcp --state SYN_RECV
compat delete_xml --setup zoo --sort --after counted -- -D -p sctp -o xml
compat delete_save --setup zoo_nomark --sort --after counted -- -D -p tcp -o save
compat delete_ext --setup zoo --sort --after counted -- -D -f ipv6 -o extended,id
compat delete_none --setup zoo --after counted -- -D -s 9.8.7.6
compat delete_empty -- -D
compat delete_all --setup zoo --sort --after counted -- -D
compat delete_missing_tuple --setup zoo -- -D -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 99 --dport 20

# -U
WHY_U='spec 1.15: HEAD -U reads each updated entry back without NLM_F_ACK and prints it (1.4.7 mis-pairs the ACK: ENOENT, exit 1)'
U1=$'conntrack vX (conntrack-tools): 1 flow entries have been updated.\n'
differ update_one --why "$WHY_U" --setup zoo --after table --rc 0 --out $'tcp      6 T ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=10 dport=20 packets=0 bytes=0 src=2.2.2.2 dst=1.1.1.1 sport=20 dport=10 packets=0 bytes=0 [ASSURED] mark=42 zone=3 delta-time=N use=2\n' --err "$U1" \
	-- -U -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 10 --dport 20 -m 42
compat update_none --setup zoo --after counted -- -U -s 9.8.7.6 -m 1
compat update_same_mark --setup one_tcp -- -U -s 1.1.1.1 -m 7
differ update_timeout --why "$WHY_U" --setup one_tcp --rc 0 --out $'tcp      6 T ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=10 dport=20 packets=0 bytes=0 src=2.2.2.2 dst=1.1.1.1 sport=20 dport=10 packets=0 bytes=0 [ASSURED] mark=7 zone=3 delta-time=N use=2\n' --err "$U1" \
	-- -U -s 1.1.1.1 -t 50
compat update_status --setup one_udp6 -- -U -s 2001:db8::1 -u ASSURED
differ update_mark_mask --why "$WHY_U" --setup one_tcp --rc 0 --out $'tcp      6 T ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=10 dport=20 packets=0 bytes=0 src=2.2.2.2 dst=1.1.1.1 sport=20 dport=10 packets=0 bytes=0 [ASSURED] mark=256 zone=3 delta-time=N use=2\n' --err "$U1" \
	-- -U -s 1.1.1.1 -m 0x100/0xff
differ update_many --why 'spec 1.15: HEAD prints every updated entry (1.4.7 mis-pairs the ACK of its read-back)' \
	--setup one_tcp_seen --sort --rc 0 \
	--out $'tcp      6 T ESTABLISHED src=1.1.1.1 dst=2.2.2.2 sport=10 dport=20 src=2.2.2.2 dst=1.1.1.1 sport=20 dport=10 [ASSURED] mark=9 use=2\nudp      17 T src=10.1.2.3 dst=10.9.8.7 sport=53 dport=5353 src=10.9.8.7 dst=10.1.2.3 sport=5353 dport=53 mark=9 use=2\n' \
	--err $'conntrack vX (conntrack-tools): 2 flow entries have been updated.\n' -- -U -m 9

# -F, -C, -S
compat flush --setup zoo --after counted -- -F
compat flush_long --setup zoo --after counted -- --flush conntrack
compat flush_empty -- -F
differ flush_v6 --why 'rawct flushes only the family asked for (nfgenmsg version 1); the reference sends version 0, which the kernel treats as flush everything' \
	--after-out $'14\n' --setup zoo --after counted -- -F -f ipv6
compat count_zoo --setup zoo -- -C
compat stats_empty -- -S
t_done
