#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Connection labels against the reference: connlabel.conf read from
# /etc/xtables (a private overlay per scenario, --connlabel), -o labels
# alone and with other formats, -l filters, --label-add on -I,
# --label-add/--label-del on -U, and unknown names. The kernel attaches
# the label extension to new entries only while a ruleset uses labels, so
# every setup loads an nft rule with `ct label set` first.
. "$(dirname "$0")/lib.sh"

MAP=$'# test map\n0 blue\n1 red\n5 green\n40 far\n'

labelled() {
	nft add table inet rawct
	nft 'add chain inet rawct c { type filter hook output priority 0; }'
	nft add rule inet rawct c ct label set 2
	"$REF" -I -p udp -s 10.0.0.1 -d 10.0.0.2 --sport 1 --dport 2 -t 100 --label-add blue
	"$REF" -I -p udp -s 10.0.0.3 -d 10.0.0.2 --sport 1 --dport 2 -t 100 --label-add red
	"$REF" -U -s 10.0.0.3 --label-add far
	"$REF" -I -p tcp -s 10.0.0.5 -d 10.0.0.2 --sport 1 --dport 2 --state ESTABLISHED -t 100
	"$REF" -I -p udp -s 2001:db8::1 -d 2001:db8::2 --sport 1 --dport 2 -t 100 --label-add green
} >/dev/null 2>&1

# an empty table that still gets the label extension
labels_on() {
	nft add table inet rawct
	nft 'add chain inet rawct c { type filter hook output priority 0; }'
	nft add rule inet rawct c ct label set 2
} >/dev/null 2>&1

table() { "$REF" -L -o labels 2>&1; }

# -L with labels printed
compat labels_list --connlabel "$MAP" --setup labelled --sort -- -L -o labels
compat labels_list_ext --connlabel "$MAP" --setup labelled --sort -- -L -o extended,labels
compat labels_list_xml --connlabel "$MAP" --setup labelled --sort -- -L -o xml,labels
compat labels_list_plain --connlabel "$MAP" --setup labelled --sort -- -L
compat labels_list_id --connlabel "$MAP" --setup labelled --sort -- -L -o labels,id
compat labels_list_family --connlabel "$MAP" --setup labelled --sort -- -L -o labels -f ipv6
compat labels_get --connlabel "$MAP" --setup labelled -- -G -p udp -s 10.0.0.3 -d 10.0.0.2 --sport 1 --dport 2 -o labels

# -l filters
compat labels_filter_one --connlabel "$MAP" --setup labelled --sort -- -L -l blue
compat labels_filter_two --connlabel "$MAP" --setup labelled --sort -- -L -l red,far -o labels
compat labels_filter_either --connlabel "$MAP" --setup labelled --sort -- -L -l blue -l red -o labels
compat labels_filter_none --connlabel "$MAP" --setup labelled --sort -- -L -l green -p tcp
compat labels_filter_unknown --connlabel "$MAP" --setup labelled -- -L -l purple
compat labels_filter_count --connlabel "$MAP" --setup labelled -- -C -l red
compat labels_no_map --setup labels_on -- -L -l blue
compat labels_no_map_output --setup labels_on -- -L -o labels

# -I and -U change labels
compat labels_create --connlabel "$MAP" --setup labels_on --sort --after table -- -I -p tcp -s 10.1.0.1 -d 10.1.0.2 --sport 3 --dport 4 --state ESTABLISHED -t 100 --label-add red,green
compat labels_update_add --connlabel "$MAP" --setup labelled --sort --after table -- -U -s 10.0.0.1 --label-add red -o labels
compat labels_update_del --connlabel "$MAP" --setup labelled --sort --after table -- -U -s 10.0.0.3 --label-del red
# 1.4.7 sends a -U without addresses with family 0, which the kernel
# refuses (EOPNOTSUPP); HEAD uses each entry's own (spec 1.15)
WHY_FAM='spec 1.15: HEAD updates each entry with its own family (1.4.7 sends family 0: EOPNOTSUPP)'
SHOWN4=$'conntrack vX (conntrack-tools): 4 flow entries have been shown.\n'
differ labels_update_del_all --why "$WHY_FAM" --connlabel "$MAP" --setup labelled --sort --after table \
	--rc 0 --err $'conntrack vX (conntrack-tools): 3 flow entries have been updated.\n' \
	--out $'udp      17 T src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=2\nudp      17 T src=10.0.0.3 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.3 sport=2 dport=1 mark=0 use=2\nudp      17 T src=2001:db8::1 dst=2001:db8::2 sport=1 dport=2 [UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=2 dport=1 mark=0 use=2\n' \
	--after-out "$SHOWN4"$'tcp      6 T ESTABLISHED src=10.0.0.5 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.5 sport=2 dport=1 mark=0 use=1\nudp      17 T src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1\nudp      17 T src=10.0.0.3 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.3 sport=2 dport=1 mark=0 use=1\nudp      17 T src=2001:db8::1 dst=2001:db8::2 sport=1 dport=2 [UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=2 dport=1 mark=0 use=1\n' \
	-- -U --label-del
differ labels_update_filtered --why "$WHY_FAM" --connlabel "$MAP" --setup labelled --sort --after table \
	--rc 0 --err $'conntrack vX (conntrack-tools): 1 flow entries have been updated.\n' \
	--out $'udp      17 T src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=2 labels=blue,green\n' \
	--after-out "$SHOWN4"$'tcp      6 T ESTABLISHED src=10.0.0.5 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.5 sport=2 dport=1 mark=0 use=1\nudp      17 T src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1 labels=blue,green\nudp      17 T src=10.0.0.3 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.3 sport=2 dport=1 mark=0 use=1 labels=red,far\nudp      17 T src=2001:db8::1 dst=2001:db8::2 sport=1 dport=2 [UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=2 dport=1 mark=0 use=1 labels=green\n' \
	-- -U -l blue --label-add green
compat labels_delete_filtered --connlabel "$MAP" --setup labelled --sort --after table -- -D -l red
compat labels_add_unknown --connlabel "$MAP" --setup labelled -- -U -s 10.0.0.1 --label-add purple

# -E: the sequence runs in the background once the monitor has joined
# the ctnetlink groups (as in s_event.sh)
label_events() {
	labels_on
	(
		for _ in $(seq 1 300); do
			awk '$2 == 12 && $4 != "00000000" { f = 1 } END { exit !f }' \
				/proc/net/netlink && break
			sleep 0.05
		done
		"$REF" -I -p udp -s 12.0.0.1 -d 12.0.0.2 --sport 1 --dport 2 -t 30 --label-add blue
		"$REF" -I -p udp -s 12.0.0.3 -d 12.0.0.2 --sport 1 --dport 2 -t 30
		"$REF" -U -s 12.0.0.1 --label-add green
		"$REF" -D -s 12.0.0.1	# one by one: a dump's order is the
		"$REF" -D -s 12.0.0.3	# namespace's hash order
	) >/dev/null 2>&1 &
}
eval "lib_$(declare -f normalise)"
normalise() {
	lib_normalise | sed -E 's/ progname=[^ ]*$//'
}
compat labels_events --connlabel "$MAP" --setup label_events --timeout 4 -- -E -o labels
compat labels_events_filter --connlabel "$MAP" --setup label_events --timeout 4 -- -E -l blue

# -o save keeps the labels, by name, so that -R restores them (spec 5)
differ labels_save --why 'spec 5: -o save keeps labels (and marks) so that -R restores them' \
	--connlabel "$MAP" --setup labelled --sort \
	--out $'-A -t T -u UNSET -s 10.0.0.1 -d 10.0.0.2 -r 10.0.0.2 -q 10.0.0.1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 --label-add blue\n-A -t T -u UNSET -s 10.0.0.3 -d 10.0.0.2 -r 10.0.0.2 -q 10.0.0.3 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 --label-add red,far\n-A -t T -u UNSET -s 10.0.0.5 -d 10.0.0.2 -r 10.0.0.2 -q 10.0.0.5 -p tcp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 --state ESTABLISHED\n-A -t T -u UNSET -s 2001:db8::1 -d 2001:db8::2 -r 2001:db8::2 -q 2001:db8::1 -p udp --sport 1 --dport 2 --reply-port-src 2 --reply-port-dst 1 --label-add green\n' \
	-- -L -o save
t_done
