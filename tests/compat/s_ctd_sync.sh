#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's client answers in Sync mode against the reference's, each
# daemon alone in a fresh namespace (FTFW, or NOTRACK and ALARM where
# the mode matters) over UDP to a peer that never answers (a veth
# that goes nowhere): the statistics and their sections, the cache dumps, the
# flushes, -n, -B, -t, -c with nothing to commit, the expectation
# requests without ExpectationSync, and the log lines each writes.
. "$(dirname "$0")/ctd_lib.sh"

# sync_conf_mode DIR MODE [MODE_LINES]: MODE over UDP on the veth sy0.
sync_conf_mode() {
	cat >"$1/c.conf" <<EOF
General {
	HashSize 8192
	HashLimit 65536
	LogFile $1/log
	Syslog off
	LockFile $1/lock
	UNIX { Path $1/sock }
}
Sync {
	Mode $2 {
$3
	}
	UDP {
		IPv4_address 10.88.0.1
		IPv4_Destination_Address 10.88.0.2
		Port 3780
		Interface sy0
	}
}
EOF
}
conf_ftfw() { sync_conf_mode "$1" FTFW; }
conf_notrack() { sync_conf_mode "$1" NOTRACK; }
conf_alarm() { sync_conf_mode "$1" ALARM; }
conf_inject() { sync_conf_mode "$1" FTFW "DisableExternalCache on"; }
conf_bypass() { sync_conf_mode "$1" NOTRACK "DisableInternalCache on"; }

# the link (a veth whose other end drops what comes: the peer's MAC is
# nobody's), and flows the daemon finds at start
link_flows() {
	ip link add sy0 type veth peer name sy1
	ip addr add 10.88.0.1/24 dev sy0
	ip link set sy0 up
	ip link set sy1 up
	ip neigh add 10.88.0.2 lladdr 02:00:00:00:00:02 dev sy0
	$CT -I -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 \
		--state ESTABLISHED -t 100 -u ASSURED,SEEN_REPLY -m 9
	$CT -I -s 1.1.1.3 -d 2.2.2.2 -p udp --sport 1 --dport 2 -t 100
	$CT -I -s 2001:db8::1 -d 2001:db8::2 -p icmpv6 --icmpv6-type 128 \
		--icmpv6-code 0 --icmpv6-id 7 -t 100
}
# after the daemon started: one flow seen through an event
one_event() {
	$CT -I -s 7.7.7.7 -d 8.8.8.8 -p udp --sport 9 --dport 10 -t 100
	sleep 0.3
}

for a in -s "-s network" "-s cache" "-s link" "-s queue" "-s rsqueue" \
	-e "-e -x" -n -B -t -c "-c ct" -f "-f internal" "-f external" \
	"-s expect" "-i expect" "-e expect" "-c expect"; do
	# shellcheck disable=SC2086
	ctd_compat "ctd_sync_ftfw${a//[ -]/_}" --conf conf_ftfw --daemon \
		--setup link_flows --before one_event --log -- $a
done
ctd_compat ctd_sync_ftfw_i --conf conf_ftfw --daemon --setup link_flows --log \
	--before one_event --sort -- -i
ctd_compat ctd_sync_ftfw_i_x --conf conf_ftfw --daemon --setup link_flows --log \
	--before one_event --sort -- -i -x
for a in -s "-s queue" "-s rsqueue" -n -B; do
	# shellcheck disable=SC2086
	ctd_compat "ctd_sync_notrack${a//[ -]/_}" --conf conf_notrack --daemon \
		--setup link_flows --before one_event --log -- $a
	# shellcheck disable=SC2086
	ctd_compat "ctd_sync_alarm${a//[ -]/_}" --conf conf_alarm --daemon \
		--setup link_flows --before one_event --log -- $a
done
for a in -s "-s cache" -e -c -f "-f external"; do
	# shellcheck disable=SC2086
	ctd_compat "ctd_sync_inject${a//[ -]/_}" --conf conf_inject --daemon \
		--setup link_flows --log -- $a
done
# -c then -f (spec 5): upstream 1.4.7 refuses the flush, its commit
# bookkeeping left busy by a commit done in one step
commit_first() {
	"$BIN" -C "$D/c.conf" -c
}
last_log() {
	tail -n 1 "$D/log"
}
ctd_differ ctd_sync_ftfw_c_then_f --conf conf_ftfw --daemon \
	--setup link_flows --before commit_first --after last_log \
	--why "a finished commit never refuses a flush (spec 5)" \
	--after-out "[DATE] (pid=N) [notice] flushing caches"$'\n' -- -f
ctd_differ ctd_sync_ftfw_c_then_f_external --conf conf_ftfw --daemon \
	--setup link_flows --before commit_first --after last_log \
	--why "a finished commit never refuses a flush (spec 5)" \
	--after-out "[DATE] (pid=N) [notice] flushing external cache"$'\n' \
	-- -f external

# without an internal cache: -i is the kernel's table (timeouts masked:
# the two tables were made at different times), -f internal flushes it;
# -R is refused ("resync is unsupported in this mode" in the log);
# an event goes out at once (upstream: with the next ALIVE, up to 1 s
# later, so the link counters of -s are masked)
kernel_count() {
	$CT -L 2>/dev/null | wc -l
}
ctd_compat ctd_sync_bypass_s --conf conf_bypass --daemon --setup link_flows \
	--before one_event --log \
	--mask 's/^ +[0-9]+ (Bytes|Pckts) sent /N \1 sent /' -- -s
for a in "-s cache" -B -n -R "-f internal" -f; do
	# shellcheck disable=SC2086
	ctd_compat "ctd_sync_bypass${a//[ -]/_}" --conf conf_bypass --daemon \
		--setup link_flows --before one_event --log \
		--after kernel_count -- $a
done
for a in -i "-i -x"; do
	# shellcheck disable=SC2086
	ctd_compat "ctd_sync_bypass${a//[ -]/_}" --conf conf_bypass --daemon \
		--setup link_flows --before one_event --log --sort \
		--mask 's/^([a-z0-9]+ +[0-9]+) [0-9]+ /\1 T /' -- $a
done
t_done
