#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every tests/compat/s_*.sh scenario file: each scenario runs one
# command line with our ./conntrack and with the reference
# /usr/sbin/conntrack (override with REF=...) in two fresh namespaces and
# compares exit code, stdout and stderr after normalisation. Prints one
# PASS/FAIL/SKIP line per scenario (a diff after each FAIL) and, last,
# "N passed, N failed[, N skipped]"; exits 1 if any failed. The files
# run as many at a time as there are CPUs (RAWCT_JOBS overrides): each
# case has namespaces of its own, and most of the time goes to monitors'
# fixed timeouts.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
RAWCT_JOBS=${RAWCT_JOBS:-$(nproc 2>/dev/null || echo 1)} \
	t_run_files "$here"/s_*.sh
