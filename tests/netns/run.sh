#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every tests/netns/t_*.sh case file against the real kernel, each
# case in namespaces of its own. Prints one PASS/FAIL/SKIP line per case
# and, last, "N passed, N failed[, N skipped]"; exits 1 if any failed.
# Needs build/netns/nlprobe and ./conntrack (make check-netns builds them).
# With arguments, runs only those case files (CONNTRACK= picks the binary).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
if [ $# -gt 0 ]; then
	t_run_files "$@"
else
	t_run_files "$here"/t_*.sh
fi
