#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -h / --help, alone and with each protocol's help appended. The text is
# upstream HEAD's; its one difference from 1.4.7 is the typo fix
# "Source addres" -> "Source address" (upstream commit "conntrack, nfct:
# fix some typo's", Aug 2023).
. "$(dirname "$0")/lib.sh"

WHY_TYPO='HEAD fixed the typo "Source addres from reply direction" of 1.4.7'
for p in "" tcp udp udplite sctp dccp icmp icmpv6 gre 2 igmp; do
	args=(-h)
	[ -n "$p" ] && args+=(-p "$p")
	# expected: the reference's text with the typo fixed
	"$REF" "${args[@]}" 2>/dev/null | normalise |
		sed 's/Source addres from/Source address from/' \
		>"${TMPDIR:-/tmp}/rawct-usage.$$"
	want=$(cat "${TMPDIR:-/tmp}/rawct-usage.$$"; echo .)
	differ "usage_${p:-plain}" --why "$WHY_TYPO" --out "${want%.}" -- "${args[@]}"
	rm -f "${TMPDIR:-/tmp}/rawct-usage.$$"
done
t_done
