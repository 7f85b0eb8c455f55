# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# The differential harness of tests/compat/lib.sh pointed at nfct: ours
# ($NFCT_OURS, ./nfct) against the Debian reference ($NFCT_REF,
# /usr/sbin/nfct 1.4.7), each run in a fresh namespace (timeout policies
# are per namespace). Sourced by tests/compat/s_nfct_*.sh; scenarios are
# written with compat / differ as for conntrack, their setup and --after
# functions calling "$REF" (the reference nfct) to make and list
# policies. Messages are compared with the version masked ("nfct vX:");
# raw, the version is one declared difference (we are 1.4.8).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REF=${NFCT_REF:-/usr/sbin/nfct}
OURS=${NFCT_OURS:-$RAWCT_TOP/nfct}

t_prereq() {
	if [ ! -x "$REF" ]; then
		echo "SKIP reference $REF missing (apt-get install nfct)"
	elif [ ! -x "$OURS" ]; then
		echo "FAIL $OURS missing (make all)"
	fi
}

# The one change of the reference's state a scenario compares: its
# policies, listed by the reference.
list_timeouts() { "$REF" list timeout; }

# A few policies of different protocols and families, made by the
# reference.
some_timeouts() {
	"$REF" add timeout web inet tcp established 600 close_wait 10
	"$REF" add timeout dns6 inet6 udp unreplied 5 replied 10
	"$REF" add timeout ping inet icmp timeout 3
}
