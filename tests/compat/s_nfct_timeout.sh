#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nfct's timeout subsystem against the reference's, each side in a fresh
# namespace: every command, every protocol (and their state names in any
# case) and both families, the policies left behind compared with the
# reference's own list, and every error. Declared differences (nfct(8),
# DIFFERENCES): timeouts must be numbers, names must fit.
. "$(dirname "$0")/nfct_lib.sh"

A=(--after list_timeouts)

# list and get
compat tmo_list_empty -- list timeout
compat tmo_list --setup some_timeouts -- list timeout
compat tmo_list_extra --setup some_timeouts -- list timeout extra
compat tmo_get --setup some_timeouts -- get timeout dns6
compat tmo_get_missing -- get timeout nothere
compat tmo_get_no_name -- get timeout
compat tmo_get_extra -- get timeout a b

# add, every protocol and family
for fam in inet inet6; do
	compat "tmo_add_tcp_$fam" "${A[@]}" -- add timeout t "$fam" tcp \
		SYN_SENT 1 syn_recv 2 Established 3 FIN_WAIT 4 CLOSE_WAIT 5 \
		LAST_ACK 6 TIME_WAIT 7 CLOSE 8 SYN_SENT2 9 RETRANS 10 \
		UNACKNOWLEDGED 11
	compat "tmo_add_udp_$fam" "${A[@]}" -- add timeout t "$fam" udp \
		unreplied 1 replied 2
	compat "tmo_add_udplite_$fam" "${A[@]}" -- add timeout t "$fam" \
		udplite UNREPLIED 3
	compat "tmo_add_sctp_$fam" "${A[@]}" -- add timeout t "$fam" sctp \
		CLOSED 1 COOKIE_WAIT 2 COOKIE_ECHOED 3 ESTABLISHED 4 \
		SHUTDOWN_SENT 5 SHUTDOWN_RECD 6 SHUTDOWN_ACK_SENT 7
	compat "tmo_add_gre_$fam" "${A[@]}" -- add timeout t "$fam" gre \
		replied 9
	compat "tmo_add_icmp_$fam" "${A[@]}" -- add timeout t "$fam" icmp \
		timeout 4
	compat "tmo_add_icmpv6_$fam" "${A[@]}" -- add timeout t "$fam" \
		icmpv6 TIMEOUT 5
	compat "tmo_add_ipv6icmp_$fam" "${A[@]}" -- add timeout t "$fam" \
		ipv6-icmp TIMEOUT 6
	compat "tmo_add_generic_$fam" "${A[@]}" -- add timeout t "$fam" \
		generic timeout 7
	compat "tmo_add_dccp_$fam" "${A[@]}" -- add timeout t "$fam" dccp \
		REQUEST 1 TIMEWAIT 2
done
compat tmo_add_alias "${A[@]}" -- add timeout t inet TCP close 5
compat tmo_add_repeat_state "${A[@]}" -- add timeout t inet udp replied 1 \
	replied 2
compat tmo_add_max_name "${A[@]}" -- add timeout \
	0123456789012345678901234567890 inet tcp close 5
compat tmo_add_existing --setup some_timeouts "${A[@]}" -- add timeout \
	web inet tcp close 1
compat tmo_add_no_states "${A[@]}" -- add timeout t inet tcp
compat tmo_add_esp_no_states "${A[@]}" -- add timeout t inet esp
compat tmo_add_missing "${A[@]}" -- add timeout t inet
compat tmo_add_bad_l3 "${A[@]}" -- add timeout t ip tcp close 1
compat tmo_add_bad_l4 "${A[@]}" -- add timeout t inet foo close 1
compat tmo_add_bad_state "${A[@]}" -- add timeout t inet tcp replied 1
compat tmo_add_esp_state "${A[@]}" -- add timeout t inet esp timeout 1
compat tmo_add_no_value "${A[@]}" -- add timeout t inet tcp close
compat tmo_add_odd "${A[@]}" -- add timeout t inet tcp close 1 syn_sent
differ tmo_add_not_number --why "timeouts are checked numbers, not atoi()" \
	"${A[@]}" --err $'nfct vX: Wrong timeout value: `abc\' for state `close\'\n' \
	--rc 1 --after-out "" -- add timeout t inet tcp close abc
differ tmo_add_negative --why "timeouts are checked numbers, not atoi()" \
	"${A[@]}" --err $'nfct vX: Wrong timeout value: `-5\' for state `close\'\n' \
	--rc 1 --after-out "" -- add timeout t inet tcp close -5
differ tmo_add_long_name --why "names longer than the kernel's are refused" \
	"${A[@]}" --rc 1 --after-out "" \
	--err $'nfct vX: timeout policy name too long: `0123456789012345678901234567890x\' (at most 31 characters)\n' \
	-- add timeout 0123456789012345678901234567890x inet tcp close 5

# delete and flush
compat tmo_delete --setup some_timeouts "${A[@]}" -- delete timeout dns6
compat tmo_delete_missing "${A[@]}" -- delete timeout nothere
compat tmo_delete_legacy --setup some_timeouts "${A[@]}" -- timeout delete web
compat tmo_get_legacy --setup some_timeouts -- timeout get ping
compat tmo_delete_no_name -- delete timeout
compat tmo_delete_extra -- delete timeout a b
compat tmo_flush --setup some_timeouts "${A[@]}" -- flush timeout
compat tmo_flush_extra -- flush timeout x

# the defaults
for p in tcp udp udplite sctp dccp gre icmp icmpv6 generic esp foo; do
	compat "tmo_default_get_$p" -- default-get timeout inet "$p"
done
compat tmo_default_get_inet6 -- default-get timeout inet6 icmpv6
compat tmo_default_get_extra -- default-get timeout inet tcp extra
compat tmo_default_get_bad_l3 -- default-get timeout ip tcp
compat tmo_default_get_missing -- default-get timeout inet
default_udp() { "$REF" default-get timeout inet udp; }
compat tmo_default_set --after default_udp -- default-set timeout inet \
	udp replied 77 UNREPLIED 7
# every protocol's defaults set, then read back by the reference
default_after() { "$REF" default-get timeout inet6 "$DP"; }
for p in "tcp established 4000 SYN_RECV 9" "udplite replied 40" \
	"sctp heartbeat_sent 5" "sctp cookie_wait 4" "gre unreplied 31" \
	"icmp timeout 20" "icmpv6 timeout 21" "generic timeout 700" \
	"dccp request 5"; do
	DP=${p%% *}
	export DP
	# shellcheck disable=SC2086
	compat "tmo_default_set_${p// /_}" --after default_after -- \
		default-set timeout inet6 $p
done
compat tmo_default_set_no_value -- default-set timeout inet udp replied
compat tmo_default_set_missing -- default-set timeout inet udp
compat tmo_default_set_bad_state -- default-set timeout inet udp close 1
t_done
