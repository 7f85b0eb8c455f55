#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrack(8)'s expectation commands against a real ftp-helper
# expectation (ftp_rig.sh): -L expect in every format, -G expect, -D
# expect (our fix: "N expectations have been deleted.", exit 0), -F, -C,
# -S expect, -I expect by hand on the helper-backed master, and the
# upstream errors (no such expectation, no master).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ftp_rig.sh"

NS=""
ct() { ns_exec "$NS" "$CONNTRACK" "$@"; }
BANNER="conntrack v1.4.8 (conntrack-tools):"
RIG_LINE="proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 dport=10000 mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 dport=65535 master-src=127.0.0.1 master-dst=127.0.0.1 sport=40021 dport=21 class=0 helper=ftp"
# the expected tuple as -G/-D expect take it (reply ports are required by
# the protocol matrix and ignored)
KEY="-s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 0 --dport 10000 --reply-port-src 1 --reply-port-dst 1"
MASTER="-s 127.0.0.1 -d 127.0.0.1 -p tcp --sport 40021 --dport 21"
TUPLE="--tuple-src 127.0.0.1 --tuple-dst 127.0.0.1 --mask-src 255.255.255.255 --mask-dst 255.255.255.255 --tuple-port-src 0 --mask-port-src 0 --mask-port-dst 65535"

rig() {
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
	trap 'ftp_rig_stop; ns_cleanup' EXIT
	ftp_rig_start "$NS"
}

no_timeout() {
	sed -E -e 's/^(\[[0-9. ]+\]	)?[0-9]+ /\1/' -e 's|<timeout>[0-9]+</timeout>|<timeout/>|'
}

# run_ct OUT ERR RC ARGS...: conntrack ARGS in the namespace.
run_ct() {
	local _o=$1 _e=$2 _r=$3 _out _rc
	shift 3
	_out=$(ct "$@" 2>"$T_TMP/err")
	_rc=$?
	printf -v "$_o" '%s' "$_out"
	printf -v "$_e" '%s' "$(cat "$T_TMP/err")"
	printf -v "$_r" '%s' "$_rc"
}

case_list() {
	local out err rc
	rig
	run_ct out err rc -L expect
	t_eq "-L expect" "$(no_timeout <<<"$out")" "$RIG_LINE"
	t_eq "-L expect: stderr" "$err" "$BANNER 1 expectations have been shown."
	t_eq "-L expect: exit" "$rc" 0
	run_ct out err rc -L expect -f ipv6
	t_eq "-L expect -f ipv6" "$out|$err|$rc" "|$BANNER 0 expectations have been shown.|0"
	run_ct out err rc -L expect -o xml
	case $out in
	'<?xml version="1.0" encoding="utf-8"?>'$'\n''<expect>'$'\n''<flow><layer3 protonum="2" protoname="ipv4"><expected><src>127.0.0.1</src>'*'<helper-name>ftp</helper-name>'*'</flow>'$'\n''</expect>') ;;
	*) t_fail "-L expect -o xml: $out" ;;
	esac
	run_ct out err rc -L expect -o json
	case $out in
	'{"family":"ipv4","l3num":2,"proto":"tcp","protonum":6,"timeout":'*',"tuple":{"src":"127.0.0.1","dst":"127.0.0.1","sport":0,"dport":10000},'*'"helper":"ftp","id":'*'}') ;;
	*) t_fail "-L expect -o json: $out" ;;
	esac
	run_ct out err rc -L expect -o timestamp
	grep -qP '^\[\d{10}\.[\d ]{6}\]\t\d+ proto=6 ' <<<"$out" ||
		t_fail "-L expect -o timestamp: $out"
	# extended, id and save do not apply: the default line
	run_ct out err rc -L expect -o save
	t_eq "-L expect -o save" "$(no_timeout <<<"$out")" "$RIG_LINE"
	run_ct out err rc -L expect -o extended,id
	t_eq "-L expect -o extended,id" "$(no_timeout <<<"$out")" "$RIG_LINE"
	run_ct out err rc -C expect
	t_eq "-C expect" "$out|$err|$rc" "1||0"
	run_ct out err rc -S expect
	grep -qP '^cpu=0 {3}\texpect_new=\d+ expect_create=\d+ expect_delete=\d+ $' <<<"$out" ||
		t_fail "-S expect: $out"
}

case_empty_xml() {
	local out err rc
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
	# a complete document even with nothing in it (upstream: nothing)
	run_ct out err rc -L expect -o xml
	t_eq "-L expect -o xml, empty" "$out" '<?xml version="1.0" encoding="utf-8"?>'$'\n''<expect>'$'\n''</expect>'
	t_eq "-L expect -o xml, empty: exit" "$rc" 0
}

case_get() {
	local out err rc
	rig
	# shellcheck disable=SC2086
	run_ct out err rc -G expect $KEY
	t_eq "-G expect" "$(no_timeout <<<"$out")|$err|$rc" "$RIG_LINE||0"
	# -o is not an option of -G expect (upstream's matrix)
	# shellcheck disable=SC2086
	run_ct out err rc -G expect $KEY -o xml
	t_eq "-G expect -o xml" "$rc" 2
	# shellcheck disable=SC2086
	run_ct out err rc -G expect ${KEY/10000/10001}
	t_eq "-G expect, none" "$out|$err|$rc" "|$BANNER Operation failed: No such file or directory|1"
}

case_delete() {
	local out err rc
	rig
	# shellcheck disable=SC2086
	run_ct out err rc -D expect $KEY
	t_eq "-D expect" "$out|$err|$rc" "|$BANNER 1 expectations have been deleted.|0"
	run_ct out err rc -C expect
	t_eq "-C expect after -D" "$out" 0
	# shellcheck disable=SC2086
	run_ct out err rc -D expect $KEY
	t_eq "-D expect again" "$out|$err|$rc" "|$BANNER Operation failed: No such file or directory|1"
}

case_create_flush() {
	local out err rc
	rig
	# ftp keeps one expectation per master: this one replaces the rig's
	# shellcheck disable=SC2086
	run_ct out err rc -I expect $MASTER $TUPLE --tuple-port-dst 20000 -t 100
	t_eq "-I expect" "$out|$err|$rc" "||0"
	run_ct out err rc -L expect
	t_eq "created" "$(no_timeout <<<"$out")" "${RIG_LINE/dport=10000/dport=20000}"
	# (the kernel starts the helper's own timeout, 300 s for ftp, not -t)
	# shellcheck disable=SC2086
	run_ct out err rc -I expect $MASTER $TUPLE --tuple-port-dst 20000 -t 100
	t_eq "-I expect twice" "$rc" 1
	case $err in
	"$BANNER Operation failed: "*) ;;
	*) t_fail "-I expect twice: $err" ;;
	esac
	# shellcheck disable=SC2086
	run_ct out err rc -I expect ${MASTER/40021/40022} $TUPLE --tuple-port-dst 20001 -t 100
	t_eq "-I expect without master" "$out|$err|$rc" "|$BANNER Operation failed: master conntrack not found|1"
	run_ct out err rc -F expect
	t_eq "-F expect" "$out|$err|$rc" "|$BANNER expectation table has been emptied.|0"
	# ports and their masks in hexadecimal (upstream's atoi: mask 0)
	# shellcheck disable=SC2086
	run_ct out err rc -I expect $MASTER ${TUPLE/--mask-port-dst 65535/--mask-port-dst 0xffff} \
		--tuple-port-dst 0x4E21 -t 100
	t_eq "-I expect in hex" "$out|$err|$rc" "||0"
	run_ct out err rc -L expect
	t_eq "created in hex" "$(no_timeout <<<"$out")" "${RIG_LINE/dport=10000/dport=20001}"
	run_ct out err rc -F expect
	run_ct out err rc -C expect
	t_eq "-C expect after -F" "$out" 0
}

case_create_no_helper() {
	local out err rc
	[ -x "$CONNTRACK" ] || t_fail "$CONNTRACK missing (make all)"
	ns_new NS
	ns_require_ctnetlink "$NS"
	ct -I -p tcp -s 1.1.1.1 -d 2.2.2.2 --sport 1 --dport 2 \
		--state ESTABLISHED -t 100 2>/dev/null || t_fail "conntrack -I"
	run_ct out err rc -I expect -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 \
		--dport 2 --tuple-src 1.1.1.1 --tuple-dst 2.2.2.2 \
		--mask-src 255.255.255.255 --mask-dst 255.255.255.255 \
		--tuple-port-src 0 --tuple-port-dst 3000 --mask-port-src 0 \
		--mask-port-dst 65535 -t 10
	# strerror(EOPNOTSUPP), as upstream prints it: glibc's words, or
	# musl's for the static build (CONNTRACK=build/static/conntrack)
	case "$out|$err|$rc" in
	"|$BANNER Operation failed: Operation not supported|1") ;;
	"|$BANNER Operation failed: Not supported|1") ;;
	*) t_fail "-I expect, master without helper: '$out|$err|$rc'" ;;
	esac
}

t_case cli_expect_list case_list
t_case cli_expect_empty_xml case_empty_xml
t_case cli_expect_get case_get
t_case cli_expect_delete case_delete
t_case cli_expect_create_flush case_create_flush
t_case cli_expect_create_no_helper case_create_no_helper
t_done
