#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# -V / --version: the banner matches once the version is masked; raw, the
# version number itself is the one deliberate difference (we are 1.4.8).
. "$(dirname "$0")/lib.sh"

compat version_short -- -V
compat version_long -- --version
differ version_number --raw --why "rawct is a drop-in for 1.4.8, the reference is 1.4.7" \
	--out $'conntrack v1.4.8 (conntrack-tools)\n' -- -V
t_done
