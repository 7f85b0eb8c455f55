#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nfct(8)'s timeout commands against the kernel's nfnetlink_cttimeout,
# each case in namespaces of its own (policies are per namespace): every
# protocol and family added, read back, listed, deleted and flushed; the
# defaults read and set (and seen in the namespace's sysctls); a policy
# in use by an iptables rule; and a policy attached with
# `iptables -t raw ... -j CT --timeout NAME` changing the timeout that
# ./conntrack shows for new UDP and TCP flows made by real traffic
# between two namespaces.
. "$(dirname "$0")/lib.sh"

NFCT=${NFCT:-$RAWCT_TOP/nfct}
P="nfct v1.4.8:"

t_prereq() {
	[ -x "$NFCT" ] || echo "FAIL $NFCT missing (make all)"
}

# IPT: iptables with the legacy backend (its CT target takes --timeout).
ipt_pick() {
	if command -v iptables-legacy >/dev/null 2>&1; then
		IPT=iptables-legacy
	elif iptables -V 2>/dev/null | grep -q legacy; then
		IPT=iptables
	else
		t_skip "no legacy iptables (apt-get install iptables)"
	fi
}

# nf NS ARGS...: runs our nfct in NS, output in $T_TMP/out, err, rc.
nf() {
	local ns=$1
	shift
	ns_exec "$ns" "$NFCT" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
	echo $? >"$T_TMP/rc"
}

# nf_ok NS ARGS...: nf that must succeed with nothing on stderr.
nf_ok() {
	nf "$@"
	[ "$(cat "$T_TMP/rc")" = 0 ] && [ ! -s "$T_TMP/err" ] ||
		t_fail "nfct ${*:2}: exit $(cat "$T_TMP/rc"): $(cat "$T_TMP/err")"
}

# nf_err NS WANT ARGS...: nf that must exit 1 saying exactly WANT.
nf_err() {
	local ns=$1 want=$2
	shift 2
	nf "$ns" "$@"
	t_eq "nfct $* exit" "$(cat "$T_TMP/rc")" 1
	t_eq "nfct $* stderr" "$(cat "$T_TMP/err")" "$want"
	[ ! -s "$T_TMP/out" ] || t_fail "nfct $*: printed $(cat "$T_TMP/out")"
}

# Every protocol, both families: what get prints is what was set, list
# is every get in order, and delete / flush remove them.
case_timeout_objects() {
	local ns p fam n=0 all="" name
	ns_new ns
	for fam in inet inet6; do
		for p in "tcp Syn_Sent 1 UNACKNOWLEDGED 2" "udp replied 3" \
			"udplite unreplied 4" "sctp shutdown_ack_sent 5" \
			"icmp timeout 6" "icmpv6 timeout 7" "gre replied 8" \
			"generic TIMEOUT 9"; do
			name="$fam-${p%% *}"
			# shellcheck disable=SC2086
			nf_ok "$ns" add timeout "$name" "$fam" $p
			nf_ok "$ns" get timeout "$name"
			head -1 "$T_TMP/out" | grep -qx ".$name = {" ||
				t_fail "get $name: $(head -1 "$T_TMP/out")"
			grep -q "^	.l3proto = $([ $fam = inet ] && echo 2 || echo 10),$" \
				"$T_TMP/out" || t_fail "get $name: no l3proto"
			set -- $p
			shift
			while [ $# -gt 1 ]; do
				grep -qix "		.$1 = $2," "$T_TMP/out" ||
					t_fail "get $name: no $1 = $2: $(cat "$T_TMP/out")"
				shift 2
			done
			all="$all$(cat "$T_TMP/out")"$'\n'
			n=$((n + 1))
		done
	done
	nf_ok "$ns" list timeout
	t_eq "list is every get" "$(cat "$T_TMP/out")"$'\n' "$all"
	t_eq "policies listed" "$(grep -c '^\.' "$T_TMP/out")" "$n"
	nf_ok "$ns" delete timeout inet-tcp
	nf_err "$ns" "$P netlink error: No such file or directory" \
		get timeout inet-tcp
	nf_err "$ns" "$P netlink error: No such file or directory" \
		delete timeout inet-tcp
	nf_err "$ns" "$P netlink error: Device or resource busy" \
		add timeout inet-udp inet udp replied 1
	nf_ok "$ns" flush timeout
	nf_ok "$ns" list timeout
	[ ! -s "$T_TMP/out" ] || t_fail "list after flush: $(cat "$T_TMP/out")"
}

# Refused command lines reach no kernel: nothing is created.
case_timeout_refused() {
	local ns
	ns_new ns
	nf_err "$ns" "$P Wrong timeout value: \`abc' for state \`close'" \
		add timeout a inet tcp close abc
	nf_err "$ns" "$P timeout policy name too long: \`$(printf 'x%.0s' {1..32})' (at most 31 characters)" \
		add timeout "$(printf 'x%.0s' {1..32})" inet tcp close 1
	nf_err "$ns" "$P netlink error: Invalid argument" add timeout a inet tcp
	nf_ok "$ns" list timeout
	[ ! -s "$T_TMP/out" ] || t_fail "refused adds created $(cat "$T_TMP/out")"
	nf_ok "$ns" add timeout "$(printf 'x%.0s' {1..31})" inet tcp close 1
}

# The defaults are the namespace's sysctls; setting them is per
# namespace.
case_timeout_defaults() {
	local ns other want
	ns_new ns
	ns_new other
	nf_ok "$ns" default-get timeout inet tcp
	want=$(ns_exec "$ns" cat /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established)
	grep -qx "		.ESTABLISHED = $want," "$T_TMP/out" ||
		t_fail "default-get tcp: no ESTABLISHED = $want"
	head -1 "$T_TMP/out" | grep -qx "	.l3proto = 2," ||
		t_fail "default-get starts with $(head -1 "$T_TMP/out")"
	nf_ok "$ns" default-set timeout inet udp replied 77 UNREPLIED 12
	t_eq "udp stream sysctl" "$(ns_exec "$ns" cat \
		/proc/sys/net/netfilter/nf_conntrack_udp_timeout_stream)" 77
	nf_ok "$ns" default-get timeout inet udp
	t_eq "default-get udp" "$(cat "$T_TMP/out")" "$(printf '\t.l3proto = 2,\n\t.l4proto = 17,\n\t.policy = {\n\t\t.UNREPLIED = 12,\n\t\t.REPLIED = 77,\n\t},\n};')"
	nf_ok "$other" default-get timeout inet udp
	grep -q "REPLIED = 77" "$T_TMP/out" &&
		t_fail "default-set leaked into another namespace"
	# policies are per namespace too
	nf_ok "$ns" add timeout mine inet udp replied 1
	nf_ok "$other" list timeout
	[ ! -s "$T_TMP/out" ] || t_fail "policy seen in another namespace"
}

# A policy an iptables rule uses cannot be deleted until the rule goes.
case_timeout_in_use() {
	local ns
	ipt_pick
	ns_new ns
	nf_ok "$ns" add timeout used inet udp unreplied 5
	ns_exec "$ns" "$IPT" -t raw -A OUTPUT -p udp -j CT --timeout used ||
		t_skip "$IPT: no CT --timeout here"
	nf_err "$ns" "$P netlink error: Device or resource busy" \
		delete timeout used
	nf_ok "$ns" get timeout used
	ns_exec "$ns" "$IPT" -t raw -F OUTPUT
	nf_ok "$ns" delete timeout used
}

# veth_pair A B: two namespaces, 10.77.0.1 (A) and 10.77.0.2 (B).
veth_pair() {
	local _va _vb
	ns_new _va
	ns_new _vb
	ip link add "rc${_va: -6}" netns "$_va" type veth peer \
		name "rc${_vb: -6}" netns "$_vb" || t_skip "cannot create a veth pair"
	ip -n "$_va" addr add 10.77.0.1/24 dev "rc${_va: -6}"
	ip -n "$_vb" addr add 10.77.0.2/24 dev "rc${_vb: -6}"
	ip -n "$_va" link set "rc${_va: -6}" up
	ip -n "$_vb" link set "rc${_vb: -6}" up
	printf -v "$1" '%s' "$_va"
	printf -v "$2" '%s' "$_vb"
}

# ct_timeout NS ARGS...: the timeout column of the one flow ./conntrack
# -L ARGS shows in NS.
ct_timeout() {
	local ns=$1 out
	shift
	out=$(ns_exec "$ns" "$CONNTRACK" -L "$@" 2>/dev/null)
	[ "$(printf '%s\n' "$out" | grep -c .)" = 1 ] ||
		t_fail "conntrack -L $*: want one flow, got: $out"
	set -- $out
	echo "$3"
}

# in_range WHAT VALUE LOW HIGH
in_range() {
	[ "$2" -ge "$3" ] && [ "$2" -le "$4" ] ||
		t_fail "$1: timeout $2 not in $3..$4"
}

# UDP: a policy on A's OUTPUT and one on B's PREROUTING; a flow the rules
# do not match keeps the default (30 s unreplied).
case_attach_udp() {
	local a b tmo
	ipt_pick
	veth_pair a b
	nf_ok "$a" add timeout out-udp inet udp unreplied 777 replied 888
	nf_ok "$b" add timeout in-udp inet udp UNREPLIED 555
	ns_exec "$a" "$IPT" -t raw -A OUTPUT -p udp --dport 5555 \
		-j CT --timeout out-udp || t_skip "$IPT: no CT --timeout here"
	ns_exec "$b" "$IPT" -t raw -A PREROUTING -p udp --dport 5555 \
		-j CT --timeout in-udp || t_skip "$IPT: no CT --timeout here"
	ns_exec "$a" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x", ("10.77.0.2", 5555))
s.sendto(b"x", ("10.77.0.2", 5556))' || t_fail "cannot send"
	sleep 0.2
	tmo=$(ct_timeout "$a" -p udp --dport 5555)
	in_range "A, policy out-udp" "$tmo" 770 777
	tmo=$(ct_timeout "$b" -p udp --dport 5555)
	in_range "B, policy in-udp" "$tmo" 548 555
	tmo=$(ct_timeout "$a" -p udp --dport 5556)
	in_range "A, no policy" "$tmo" 1 30
}

# TCP: an established connection under a policy of 1234 s (the default
# is 5 days).
case_attach_tcp() {
	local a b tmo srv
	ipt_pick
	veth_pair a b
	nf_ok "$a" add timeout short-tcp inet tcp established 1234
	ns_exec "$a" "$IPT" -t raw -A OUTPUT -p tcp --dport 5557 \
		-j CT --timeout short-tcp || t_skip "$IPT: no CT --timeout here"
	ns_exec "$b" python3 -c '
import socket, sys, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("10.77.0.2", 5557)); l.listen(1)
open(sys.argv[1], "w").close()
c, _ = l.accept(); time.sleep(5)' "$T_TMP/ready" &
	srv=$!
	wait_file "$T_TMP/ready"
	ns_exec "$a" python3 -c '
import socket, sys, time
s = socket.create_connection(("10.77.0.2", 5557)); s.send(b"x")
open(sys.argv[1], "w").close(); time.sleep(3)' "$T_TMP/connected" &
	wait_file "$T_TMP/connected"
	sleep 0.2
	ns_exec "$a" "$CONNTRACK" -L -p tcp --dport 5557 >"$T_TMP/ct" 2>&1
	kill "$srv" 2>/dev/null
	grep -q ESTABLISHED "$T_TMP/ct" ||
		t_fail "no established flow: $(cat "$T_TMP/ct")"
	tmo=$(ct_timeout "$a" -p tcp --dport 5557 --state ESTABLISHED)
	in_range "A, policy short-tcp" "$tmo" 1225 1234
	wait
}

t_case nfct_timeout_objects case_timeout_objects
t_case nfct_timeout_refused case_timeout_refused
t_case nfct_timeout_defaults case_timeout_defaults
t_case nfct_timeout_in_use case_timeout_in_use
t_case nfct_attach_udp case_attach_udp
t_case nfct_attach_tcp case_attach_tcp
t_done
