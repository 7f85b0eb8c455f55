#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Labels against the real kernel: a private mount namespace (unshare -m)
# overlays /etc so a temporary xtables/connlabel.conf appears there only,
# and an nft `ct label set` rule turns the kernel's label extension on.
# Then -I --label-add, -L -l, -o labels, -o save and -R back,
# -U --label-add/--label-del.
. "$(dirname "$0")/lib.sh"

t_prereq() {
	[ -x "$CONNTRACK" ] || echo "FAIL $CONNTRACK missing (make all)"
	command -v unshare >/dev/null 2>&1 || echo "SKIP no unshare"
	command -v nft >/dev/null 2>&1 || echo "SKIP no nft"
}

# Runs in the private mount namespace: $1 namespace, $2 scratch dir.
INNER='
set -u
ns=$1 tmp=$2
mkdir -p "$tmp/up" "$tmp/work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/up,workdir=$tmp/work" /etc ||
	{ echo "SKIP overlay mount failed"; exit 77; }
mkdir -p /etc/xtables
printf "# test map\n0 blue\n1 red\n5 green\n" >/etc/xtables/connlabel.conf
ct() { ip netns exec "$ns" "$CONNTRACK" "$@"; }
fail() { echo "FAIL $*"; exit 1; }
ct -I -s 10.8.0.1 -d 10.8.0.2 -p udp --sport 1 --dport 2 -t 100 --label-add blue 2>/dev/null || fail "-I --label-add"
ct -I -s 10.8.0.3 -d 10.8.0.2 -p udp --sport 1 --dport 2 -t 100 2>/dev/null || fail "-I"
out=$(ct -L -o labels -s 10.8.0.1 2>/dev/null)
case $out in *"labels=blue"*) ;; *) fail "-o labels after -I: $out" ;; esac
[ "$(ct -L -l blue 2>/dev/null | wc -l)" = 1 ] || fail "-L -l blue"
out=$(ct -L -l blue 2>/dev/null)
case $out in *"labels=blue"*) ;; *) fail "-L -l blue prints no labels: $out" ;; esac
ct -L -o save >"$tmp/saved" 2>/dev/null || fail "-L -o save"
grep -q -- "--label-add blue" "$tmp/saved" || fail "-o save left the labels out: $(cat "$tmp/saved")"
ct -F >/dev/null 2>&1 || fail "-F"
ct -R "$tmp/saved" >/dev/null 2>&1 || fail "-R of the saved table"
out=$(ct -L -o labels -s 10.8.0.1 2>/dev/null)
case $out in *"labels=blue"*) ;; *) fail "labels after -o save and -R: $out" ;; esac
out=$(ct -U -s 10.8.0.1 --label-add red -o labels 2>/dev/null)
case $out in *"labels=blue,red"*) ;; *) fail "-U --label-add printed: $out" ;; esac
[ "$(ct -L -l blue,red 2>/dev/null | wc -l)" = 1 ] || fail "-L -l blue,red"
ct -U -s 10.8.0.3 --label-add green >/dev/null 2>&1 || fail "-U --label-add green"
[ "$(ct -L -l green 2>/dev/null | wc -l)" = 1 ] || fail "-L -l green"
ct -U -s 10.8.0.1 --label-del blue >/dev/null 2>&1 || fail "-U --label-del blue"
out=$(ct -L -o labels -s 10.8.0.1 2>/dev/null)
case $out in *"labels=red "*|*"labels=red") ;; *) fail "after --label-del blue: $out" ;; esac
ct -U --label-del >/dev/null 2>&1 || fail "-U --label-del (all)"
[ "$(ct -L -l red 2>/dev/null | wc -l)" = 0 ] || fail "labels left after --label-del"
out=$(ct -L -o labels 2>/dev/null)
case $out in *labels=*) fail "labels printed after --label-del: $out" ;; esac
out=$(ct -L -l nosuch 2>&1); rc=$?
[ "$rc" = 2 ] || fail "unknown label exit $rc: $out"
case $out in *"unknown label '\''nosuch'\''"*) ;; *) fail "unknown label: $out" ;; esac
exit 0
'

case_labels() {
	local ns rc
	ns_new ns
	ns_require_ctnetlink "$ns"
	{ ns_exec "$ns" nft add table inet rawct &&
	  ns_exec "$ns" nft 'add chain inet rawct c { type filter hook output priority 0; }' &&
	  ns_exec "$ns" nft add rule inet rawct c ct label set 2; } >/dev/null 2>&1 ||
		t_skip "nft refused a ct label rule"
	CONNTRACK=$CONNTRACK unshare -m bash -c "$INNER" inner "$ns" "$T_TMP" >"$T_TMP/inner" 2>&1
	rc=$?
	case $rc in
	0) ;;
	77) t_skip "$(cat "$T_TMP/inner")" ;;
	*) t_fail "$(tr '\n' ' ' <"$T_TMP/inner")" ;;
	esac
}

t_case cli_labels case_labels
t_done
