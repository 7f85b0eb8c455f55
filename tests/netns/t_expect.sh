#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The ct/expect_table.h operations and ct/expect_format.h printers against
# a real expectation of the kernel's ftp helper (ftp_rig.sh), through
# build/netns/exptool: list (default line, XML, JSON; compared with
# Debian's /usr/sbin/conntrack -L expect on the same expectation when it
# is installed), get by tuple, delete (one), flush (per family, all, by
# helper), count, per-cpu statistics, a hand-made expectation on the
# helper-backed master (flags, NAT), and -I failing without a helper
# master (EOPNOTSUPP) or without a master (ENOENT).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ftp_rig.sh"

EXPTOOL=${EXPTOOL:-$RAWCT_TOP/build/netns/exptool}
REFCT=${REFCT:-/usr/sbin/conntrack}

t_prereq() {
	[ -x "$NLPROBE" ] || { echo "FAIL $NLPROBE missing (make build/netns/nlprobe)"; return; }
	[ -x "$EXPTOOL" ] || echo "FAIL $EXPTOOL missing (make build/netns/exptool)"
}

RIG_LINE="proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 dport=10000 mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 master-src=127.0.0.1 master-dst=127.0.0.1 sport=40021 dport=21 class=0 helper=ftp"
MASTER="127.0.0.1 127.0.0.1 40021 21"

# rig VAR: a namespace holding the rig's expectation (killed on exit).
rig() {
	local _n
	ns_new _n
	ns_require_ctnetlink "$_n"
	trap 'ftp_rig_stop; ns_cleanup' EXIT
	ftp_rig_start "$_n"
	printf -v "$1" '%s' "$_n"
}

# Lines without the leading timeout (seconds tick between two dumps).
no_timeout() {
	sed -e 's/^[0-9]* //' -e 's|<timeout>[0-9]*</timeout>|<timeout/>|'
}

# same_as_ref NS WHAT OURS REFARGS...: OURS equals the reference's output
# for REFARGS (timeouts aside); nothing to do without the reference.
same_as_ref() {
	local ns=$1 what=$2 ours=$3 ref
	shift 3
	[ -x "$REFCT" ] || return 0
	ref=$(ns_exec "$ns" "$REFCT" "$@" 2>/dev/null)
	if [ "$(no_timeout <<<"$ours")" != "$(no_timeout <<<"$ref")" ]; then
		diff <(no_timeout <<<"$ref") <(no_timeout <<<"$ours") >"$T_TMP/detail"
		t_fail "$what differs from $REFCT $*"
	fi
}

case_list() {
	local ns out
	rig ns
	t_run out ns_exec "$ns" "$EXPTOOL" list
	t_eq "list" "$(no_timeout <<<"$out")" "$RIG_LINE"
	case $out in
	29[0-9]\ *|300\ *) ;;
	*) t_fail "timeout of '$out' not near 300" ;;
	esac
	same_as_ref "$ns" "default line" "$out" -L expect
	t_run out ns_exec "$ns" "$EXPTOOL" list xml
	same_as_ref "$ns" "xml" "$out" -L expect -o xml
	t_run out ns_exec "$ns" "$EXPTOOL" list --family 6
	t_eq "list ipv6" "$out" ""
	t_run out ns_exec "$ns" "$EXPTOOL" list --master $MASTER
	t_eq "list by master" "$(no_timeout <<<"$out")" "$RIG_LINE"
	t_run out ns_exec "$ns" "$EXPTOOL" list json
	case $out in
	'{"family":"ipv4","l3num":2,"proto":"tcp","protonum":6,"timeout":'*',"tuple":{"src":"127.0.0.1","dst":"127.0.0.1","sport":0,"dport":10000},"mask":{"src":"255.255.255.255","dst":"255.255.255.255","sport":0,"dport":65535},"master":{"protonum":6,"src":"127.0.0.1","dst":"127.0.0.1","sport":40021,"dport":21},"flags":[],"class":0,"helper":"ftp","id":'*'}') ;;
	*) t_fail "json: $out" ;;
	esac
}

case_get() {
	local ns out rc
	rig ns
	t_run out ns_exec "$ns" "$EXPTOOL" get 127.0.0.1 127.0.0.1 0 10000
	t_eq "get" "$(no_timeout <<<"$out")" "$RIG_LINE"
	ns_exec "$ns" "$EXPTOOL" get 127.0.0.1 127.0.0.1 0 10001 2>/dev/null
	rc=$?
	t_eq "get missing: exit" "$rc" 2
}

case_delete() {
	local ns out rc
	rig ns
	t_run out ns_exec "$ns" "$EXPTOOL" delete 127.0.0.1 127.0.0.1 0 10000
	t_eq "delete" "$out" "deleted=1"
	t_run out ns_exec "$ns" "$EXPTOOL" count
	t_eq "count after delete" "$out" 0
	ns_exec "$ns" "$EXPTOOL" delete 127.0.0.1 127.0.0.1 0 10000 2>/dev/null
	rc=$?
	t_eq "delete again: exit" "$rc" 2
}

case_flush() {
	local ns out
	rig ns
	t_run out ns_exec "$ns" "$EXPTOOL" count
	t_eq "count" "$out" 1
	t_run out ns_exec "$ns" "$EXPTOOL" flush --family 6
	t_eq "flush ipv6" "$out" "deleted=0"
	t_run out ns_exec "$ns" "$EXPTOOL" count --family 4
	t_eq "count ipv4 after flush ipv6" "$out" 1
	t_run out ns_exec "$ns" "$EXPTOOL" flush --family 4
	t_eq "flush ipv4" "$out" "deleted=1"
	t_run out ns_exec "$ns" "$EXPTOOL" count
	t_eq "count after flush ipv4" "$out" 0
	# a hand-made one on the same master, then the kernel-wide flushes
	t_run out ns_exec "$ns" "$EXPTOOL" create $MASTER 127.0.0.1 127.0.0.1 0 20000 --timeout 100
	t_run out ns_exec "$ns" "$EXPTOOL" flush --helper ftp
	t_eq "flush by helper" "$out" "deleted=all"
	t_run out ns_exec "$ns" "$EXPTOOL" count
	t_eq "count after flush by helper" "$out" 0
	t_run out ns_exec "$ns" "$EXPTOOL" create $MASTER 127.0.0.1 127.0.0.1 0 20000 --timeout 100
	t_run out ns_exec "$ns" "$EXPTOOL" flush
	t_eq "flush all" "$out" "deleted=all"
	t_run out ns_exec "$ns" "$EXPTOOL" count
	t_eq "count after flush" "$out" 0
}

case_create() {
	local ns out rc
	rig ns
	# ftp allows one expectation per master: this one replaces the rig's
	t_run out ns_exec "$ns" "$EXPTOOL" create $MASTER 127.0.0.1 127.0.0.1 0 20000 --timeout 100 --helper ftp --class 0
	t_eq "create" "$out" created
	t_run out ns_exec "$ns" "$EXPTOOL" list
	t_eq "created" "$(no_timeout <<<"$out")" "${RIG_LINE/dport=10000/dport=20000}"
	# flags: PERMANENT,INACTIVE (USERSPACE is cleared by the kernel)
	t_run out ns_exec "$ns" "$EXPTOOL" create $MASTER 127.0.0.1 127.0.0.1 0 20001 --timeout 100 --flags 7 --nat 1 10.0.0.1 555
	t_run out ns_exec "$ns" "$EXPTOOL" list
	t_eq "flags" "$(no_timeout <<<"$out")" "proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 dport=20001 mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 master-src=127.0.0.1 master-dst=127.0.0.1 sport=40021 dport=21 PERMANENT,INACTIVE class=0 helper=ftp"
	same_as_ref "$ns" "default line with flags" "$out" -L expect
	t_run out ns_exec "$ns" "$EXPTOOL" list xml
	same_as_ref "$ns" "xml with flags" "$out" -L expect -o xml
	t_run out ns_exec "$ns" "$EXPTOOL" list json
	case $out in
	*'"flags":["PERMANENT","INACTIVE"],"class":0,"helper":"ftp","nat":{"dir":"reply","tuple":{"src":"10.0.0.1","dst":"0.0.0.0","sport":555,"dport":0}},"id":'*) ;;
	*) t_fail "json flags/nat: $out" ;;
	esac
	out=$(ns_exec "$ns" "$EXPTOOL" create $MASTER 127.0.0.1 127.0.0.1 0 20001 --timeout 100 2>/dev/null)
	t_eq "create twice" "$out" "error=17"
}

case_create_without_helper() {
	local ns out rc
	ns_new ns
	ns_require_ctnetlink "$ns"
	# a helper-less master, made through ctnetlink (our conntrack -I)
	if ! ns_exec "$ns" "$CONNTRACK" -I -p tcp -s 1.1.1.1 -d 2.2.2.2 \
		--sport 1 --dport 2 --state ESTABLISHED -t 100 2>"$T_TMP/err"; then
		t_fail "conntrack -I: $(cat "$T_TMP/err")"
	fi
	out=$(ns_exec "$ns" "$EXPTOOL" create 1.1.1.1 2.2.2.2 1 2 1.1.1.1 2.2.2.2 0 3000 --timeout 10 2>/dev/null)
	t_eq "master without helper" "$out" "error=95"
	out=$(ns_exec "$ns" "$EXPTOOL" create 1.1.1.9 2.2.2.2 1 2 1.1.1.9 2.2.2.2 0 3000 --timeout 10 2>/dev/null)
	rc=$?
	t_eq "no master" "$out" "error=2"
	t_eq "no master: exit" "$rc" 2
}

case_stats() {
	local ns out
	rig ns
	t_run out ns_exec "$ns" "$EXPTOOL" stats
	if ! grep -qP '^cpu=0 {3}\texpect_new=\d+ expect_create=\d+ expect_delete=\d+ $' <<<"$out"; then
		t_fail "stats: $out"
	fi
	same_as_ref "$ns" "stats" "$out" -S expect
}

t_case expect_list case_list
t_case expect_get case_get
t_case expect_delete case_delete
t_case expect_flush case_flush
t_case expect_create case_create
t_case expect_create_without_helper case_create_without_helper
t_case expect_stats case_stats
t_done
