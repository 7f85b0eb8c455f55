#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's client answers in Stats mode against the reference's, both
# daemons running in fresh namespaces over the same flows: -i and -i -x
# (sorted: caches are in hash order), -s and its sections, the flushes,
# -R, -k, the Sync-only requests (which answer nothing here), and the log
# lines each request writes.
. "$(dirname "$0")/ctd_lib.sh"

flows() {
	$CT -I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 \
		--state ESTABLISHED -t 100 -u ASSURED,SEEN_REPLY -m 9
	$CT -I -s 1.1.1.3 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100
	$CT -I -s 2001:db8::1 -d 2001:db8::2 -p icmpv6 --icmpv6-type 128 \
		--icmpv6-code 0 --icmpv6-id 7 -t 100
	$CT -I -s 3.3.3.3 -d 4.4.4.4 -p gre --srckey 5 --dstkey 6 -t 100
	$CT -I -w 3 -s 5.5.5.5 -d 6.6.6.6 -p sctp --sport 5 --dport 6 \
		--state ESTABLISHED --orig-vtag 1 --reply-vtag 2 -t 100
}
# after the daemon started: one flow seen through an event
one_event() {
	$CT -I -s 7.7.7.7 -d 8.8.8.8 -p udp --sport 9 --dport 10 -t 100
	sleep 0.3
}
# destroy one, so the flow log has a line and the counters move
destroy() {
	$CT -D -s 1.1.1.3 >/dev/null
	sleep 0.3
}

ctd_compat ctd_client_i --daemon --setup flows --before one_event --sort -- -i
ctd_compat ctd_client_i_ct --daemon --setup flows --sort -- -i ct
ctd_compat ctd_client_i_xml --daemon --setup flows --before one_event --sort -- -i -x
ctd_compat ctd_client_s --daemon --setup flows --before destroy -- -s
ctd_compat ctd_client_s_ct --daemon --setup flows -- -s ct
ctd_compat ctd_client_s_cache --daemon --setup flows --before destroy -- -s cache
ctd_compat ctd_client_s_process --daemon -- -s process
ctd_compat ctd_client_f_internal --daemon --setup flows --log -- -f internal
# what is left in the cache
active() {
	"$BIN" -C "$D/c.conf" -s | grep 'current active'
}
ctd_differ ctd_client_f --daemon --setup flows --after active \
	--why "bare -f flushes the Stats cache (upstream ignores it)" \
	--after-out "current active connections:	           0"$'\n' -- -f
ctd_compat ctd_client_f_after --daemon --setup flows --after active -- -f internal
ctd_compat ctd_client_R --daemon --setup flows --log -- -R
ctd_compat ctd_client_F --daemon --setup flows --log -- -F
ctd_compat ctd_client_k --daemon --log -- -k
for a in -n -B -t -c "-c ct" -e "-s network" "-s link" "-s queue" \
	"-s rsqueue" "-s expect" "-i expect" "-R expect"; do
	# shellcheck disable=SC2086
	ctd_compat "ctd_client_nop${a// /_}" --daemon --setup flows -- $a
done
ctd_compat ctd_client_flowlog --daemon --setup flows --before destroy \
	--flows -- -s cache
t_done
