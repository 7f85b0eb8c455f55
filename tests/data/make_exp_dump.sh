#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates tests/data/exp_dump.hex: real ctnetlink expectation dump
# datagrams for tests/unit/check_expect.c. Needs root, nft, python3 and
# build/netns/exptool. Everything happens in a scratch namespace (rawct-*)
# deleted on exit, with the ftp rig of tests/netns/ftp_rig.sh:
#   1. the ftp helper's own expectation (127.0.0.1 -> :10000, class 0);
#   2. a hand-made one on the same master (it replaces the first: ftp
#      allows one per master) with flags PERMANENT|INACTIVE, NAT
#      direction reply to 10.0.0.1:555 and expectfn nat-follow-master
#      (left out if the kernel has no such expectfn).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/tests/data/exp_dump.hex}
. "$top/tests/netns/lib.sh"
. "$top/tests/netns/ftp_rig.sh"
T_TMP=$(mktemp -d)
trap 'ftp_rig_stop; ns_cleanup; rm -rf "$T_TMP"' EXIT
# lib.sh's case helpers end a case with exit; here any such exit aborts
ns_new ns
ftp_rig_start "$ns"
E="$top/build/netns/exptool"
{
	echo "# ctnetlink IPCTNL_MSG_EXP_GET dumps, one datagram per line (hex),"
	echo "# made by tests/data/make_exp_dump.sh on Linux $(uname -r)."
	ip netns exec "$ns" "$E" capture
	m="127.0.0.1 127.0.0.1 $FTP_RIG_CPORT 21 127.0.0.1 127.0.0.1 0 20001"
	# shellcheck disable=SC2086
	ip netns exec "$ns" "$E" create $m --timeout 100 --flags 3 \
		--nat 1 10.0.0.1 555 --fn nat-follow-master >/dev/null 2>&1 ||
		ip netns exec "$ns" "$E" create $m --timeout 100 --flags 3 \
			--nat 1 10.0.0.1 555 >/dev/null
	ip netns exec "$ns" "$E" capture
} >"$out"
