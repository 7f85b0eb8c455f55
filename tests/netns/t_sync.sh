#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's Sync mode between two namespaces (ctd_lib.sh's sync_pair),
# our daemon against itself and against the Debian reference (1.4.7):
# every mode (FTFW, NOTRACK, ALARM) over every transport (UDP, multicast,
# TCP) and pairing (ours->ours, ours->ref, ref->ours), with flows of
# every kind made on A: B's external cache gets their original tuples, a
# commit on B puts them into B's kernel table whole (state, mark, zone,
# reply tuple), an update on A (a new mark) reaches B, a flush on A
# empties B's external cache. The reference sends UDP-Lite and GRE flows
# without their ports and keys (spec 5): from it B gets, and commits,
# sport=0 dport=0 and keys 0x0, exactly what an upstream receiver
# commits. Then NAT flows committed with their reply tuple, for each
# pairing. Other behaviours: t_sync_*.sh.
. "$(dirname "$0")/ctd_lib.sh"
T_CASE_TIMEOUT=${T_CASE_TIMEOUT:-120}

# The flows of the matrix, made on A in one conntrack -R batch.
matrix_flows() {
	sync_kind_flows
	cat <<'FLOWS'
-I -s 2001:db8::3 -d 2001:db8::4 -p udp --sport 4001 --dport 53 -t 300 -m 3 --zone 2
FLOWS
}

# What the reference sends of a flow: no UDP-Lite ports, no GRE keys.
ref_loses() {
	sed -E -e '/^udplite /s/sport=[0-9]+ dport=[0-9]+/sport=0 dport=0/g' \
		-e '/^gre /s/srckey=0x[0-9a-f]+ dstkey=0x[0-9a-f]+/srckey=0x0 dstkey=0x0/g'
}

# kernel_lines SIDE: B's (or A's) table without what a commit changes:
# timeouts, use counts; one sorted line per flow, canaries left out.
kernel_lines() {
	sync_ct "$1" -L 2>/dev/null | grep -v 'src=10\.255\.0\.' |
		sed -E -e 's/^([a-z0-9]+ +[0-9]+) [0-9]+ /\1 /' -e 's/ use=[0-9]+//' |
		LC_ALL=C sort
}

# same_ext: B's external cache holds what A's table does.
same_ext() {
	sync_ctl b -e 2>/dev/null | sync_tuples >"$T_TMP/ext"
	cmp -s "$T_TMP/want_ext" "$T_TMP/ext"
}

# b_ext_empty: nothing left in B's external cache but the canary.
b_ext_empty() {
	[ -z "$(sync_ctl b -e 2>/dev/null | sync_tuples)" ]
}

# matrix MODE TRANSPORT A_IMPL B_IMPL: one cell of the matrix.
matrix() {
	local mode=$1 tr=$2 ia=$3 ib=$4 out rc
	sync_pair
	if [ "$ia" = ref ] || [ "$ib" = ref ]; then
		sync_need_ref
	fi
	sync_conf a "$mode" "$tr"
	sync_conf b "$mode" "$tr"
	# ours first: the reference's TCP client connects once only
	if [ "$ia" = ref ] && [ "$ib" = ours ]; then
		sync_start b "$ib"
		sync_start a "$ia"
	else
		sync_start a "$ia"
		sync_start b "$ib"
	fi
	sync_canary 1
	matrix_flows >"$T_TMP/flows"
	sync_ct a -R "$T_TMP/flows" >/dev/null 2>&1 || t_fail "conntrack -R on A"
	sync_ct a -L 2>/dev/null | sync_tuples >"$T_TMP/want_ext"
	kernel_lines a >"$T_TMP/want_kernel"
	if [ "$ia" = ref ]; then
		ref_loses <"$T_TMP/want_ext" >"$T_TMP/x" && mv "$T_TMP/x" "$T_TMP/want_ext"
		ref_loses <"$T_TMP/want_kernel" >"$T_TMP/x" && mv "$T_TMP/x" "$T_TMP/want_kernel"
	fi
	if ! sync_poll 10 same_ext; then
		diff -u "$T_TMP/want_ext" "$T_TMP/ext" >"$T_TMP/detail"
		t_fail "B's external cache is not A's table"
	fi
	out=$(sync_ctl b -c 2>&1)
	rc=$?
	if [ "$rc" != 0 ] || [ -n "$out" ]; then
		t_fail "-c on B: exit $rc: $out"
	fi
	kernel_lines b >"$T_TMP/kernel"
	diff -u "$T_TMP/want_kernel" "$T_TMP/kernel" >"$T_TMP/detail" ||
		t_fail "B's kernel table after -c is not A's"
	# an update (new marks) reaches B's external cache
	sync_ct a -U -s 10.1.1.1 -m 42 >/dev/null 2>&1 || t_fail "conntrack -U on A"
	sync_ct a -U -s 2001:db8::3 -m 43 >/dev/null 2>&1 || t_fail "conntrack -U on A"
	sync_wait b -e 'src=10\.1\.1\.1 .* mark=42 '
	sync_wait b -e 'src=2001:db8::3 .* mark=43 zone=2 '
	sync_ct a -F >/dev/null 2>&1
	sync_poll 10 b_ext_empty ||
		{ sync_ctl b -e >"$T_TMP/detail"; t_fail "a flush on A left flows in B's external cache"; }
}

for mode in FTFW NOTRACK ALARM; do
	for tr in UDP MCAST TCP; do
		for pairing in ours:ours ours:ref ref:ours; do
			eval "case_${mode}_${tr}_${pairing/:/_}() { matrix $mode $tr ${pairing/:/ }; }"
			t_case "sync_${mode,,}_${tr,,}_${pairing/:/_to_}" "case_${mode}_${tr}_${pairing/:/_}"
		done
	done
done
# NAT flows: committed on B with A's reply tuple (the wire carries the
# NAT addresses and ports, the receiver rebuilds the reply from them).
nat_flows() {
	cat <<'FLOWS'
-I -s 10.3.1.1 -d 10.4.4.4 -p tcp --sport 1111 --dport 80 --state ESTABLISHED -u ASSURED,SEEN_REPLY -t 300 --src-nat 10.9.9.9
-I -s 10.3.1.2 -d 10.4.4.4 -p tcp --sport 1111 --dport 80 --state ESTABLISHED -t 300 --dst-nat 10.8.8.8:8080
-I -s 10.3.1.3 -d 10.4.4.4 -p udp --sport 7 --dport 8 -t 300 --src-nat 10.9.9.8:4000
-I -s 10.3.1.4 -d 10.4.4.4 -p udp --sport 9 --dport 10 -t 300 --src-nat 10.9.9.7 --dst-nat 10.8.8.7
-I -s 2001:db8::5 -d 2001:db8::6 -p tcp --sport 33 --dport 44 --state ESTABLISHED -t 300 --src-nat 2001:db8::99
FLOWS
}

nat() {
	local ia=$1 ib=$2 out rc
	sync_pair
	if [ "$ia" = ref ] || [ "$ib" = ref ]; then
		sync_need_ref
	fi
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP
	sync_start a "$ia"
	sync_start b "$ib"
	sync_canary 1
	nat_flows >"$T_TMP/flows"
	sync_ct a -R "$T_TMP/flows" >/dev/null 2>&1 || t_fail "conntrack -R on A"
	kernel_lines a >"$T_TMP/want_kernel"
	grep -q 'src=10.4.4.4 dst=10.9.9.8 sport=8 dport=4000' "$T_TMP/want_kernel" ||
		{ cp "$T_TMP/want_kernel" "$T_TMP/detail"; t_fail "A did not make the NAT flows"; }
	sync_ct a -L 2>/dev/null | sync_tuples >"$T_TMP/want_ext"
	if ! sync_poll 10 same_ext; then
		diff -u "$T_TMP/want_ext" "$T_TMP/ext" >"$T_TMP/detail"
		t_fail "B's external cache is not A's table"
	fi
	out=$(sync_ctl b -c 2>&1)
	rc=$?
	if [ "$rc" != 0 ] || [ -n "$out" ]; then
		t_fail "-c on B: exit $rc: $out"
	fi
	kernel_lines b >"$T_TMP/kernel"
	diff -u "$T_TMP/want_kernel" "$T_TMP/kernel" >"$T_TMP/detail" ||
		t_fail "B's NAT flows differ from A's"
	# ours keeps what it committed in its internal cache, NATed as the
	# kernel tells it (a -B after a failover sends it on)
	if [ "$ib" = ours ]; then
		sync_wait b -i 'src=10\.4\.4\.4 dst=10\.9\.9\.8 sport=8 dport=4000' 1 5
		sync_wait b -i 'src=10\.8\.8\.8 dst=10\.3\.1\.2 sport=8080 dport=1111' 1 5
	fi
}
case_nat_ours() { nat ours ours; }
case_nat_ours_ref() { nat ours ref; }
case_nat_ref_ours() { nat ref ours; }
t_case sync_nat_ours_to_ours case_nat_ours
t_case sync_nat_ours_to_ref case_nat_ours_ref
t_case sync_nat_ref_to_ours case_nat_ref_ours

# the control: what an upstream receiver makes of what an upstream sender
# sends (UDP-Lite and GRE committed with zero ports and keys)
case_ref_to_ref() { matrix FTFW UDP ref ref; }
t_case sync_ftfw_udp_ref_to_ref case_ref_to_ref

# An idle FTFW link stays quiet: each side sends its ALIVE once a second
# (an ACK answering an ACK would make hundreds); nothing is resent.
pkts_sent() { # SIDE: datagrams sent on the sync link so far
	sync_ctl "$1" -s link | awk '/Pckts sent/ { print $1; exit }'
}
case_ftfw_idle() {
	local a0 b0 a1 b1
	sync_pair
	sync_conf a FTFW UDP
	sync_conf b FTFW UDP
	sync_start a ours
	sync_start b ours
	sync_ct a -I -s 10.1.1.1 -d 10.2.2.2 -p tcp --sport 1111 --dport 80 \
		--state ESTABLISHED -u ASSURED -t 300 >/dev/null 2>&1
	sync_poll 10 sh -c "ip netns exec $NS_B $CONNTRACKD -C $T_TMP/b/c.conf -e | grep -q 'src=10.1.1.1 '" ||
		t_fail "the flow never reached B"
	sleep 1
	a0=$(pkts_sent a) b0=$(pkts_sent b)
	sleep 5
	a1=$(pkts_sent a) b1=$(pkts_sent b)
	[ $((a1 - a0)) -ge 3 ] && [ $((a1 - a0)) -le 8 ] ||
		t_fail "A sent $((a1 - a0)) datagrams in 5 idle seconds"
	[ $((b1 - b0)) -ge 3 ] && [ $((b1 - b0)) -le 8 ] ||
		t_fail "B sent $((b1 - b0)) datagrams in 5 idle seconds"
}
t_case sync_ftfw_idle_quiet case_ftfw_idle
t_done
