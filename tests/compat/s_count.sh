#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -C / --count on an empty table and after the reference created entries.
. "$(dirname "$0")/lib.sh"

three_udp_flows() {
	"$REF" -I -p udp -s 10.0.0.1 -d 10.0.0.2 --sport 1001 --dport 53 -t 100
	"$REF" -I -p udp -s 10.0.0.1 -d 10.0.0.3 --sport 1002 --dport 53 -t 100
	"$REF" -I -p tcp -s 10.0.0.4 -d 10.0.0.5 --sport 1003 --dport 80 \
		--state ESTABLISHED -t 100
}

compat count_empty -- -C
compat count_empty_long -- --count
compat count_three --setup three_udp_flows -- -C
t_done
