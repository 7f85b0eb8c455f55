#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# conntrackd's command line against the reference's: version, usage,
# unknown options, mode conflicts, table words, the -s and -f words, the
# client without a daemon, a missing configuration. Where 1.4.7 and 1.4.8
# differ (an unknown option exits 1, -C needs its argument), ours follows
# 1.4.8 and the scenario declares it.
. "$(dirname "$0")/ctd_lib.sh"


ctd_compat ctd_args_version --noconf -- -v
ctd_compat ctd_args_help --noconf -- -h
ctd_compat ctd_args_help_wins --noconf -- -i -x -h
ctd_differ ctd_args_unknown --noconf --rc 1 \
	--why "1.4.8 exits 1 on an unknown option (1.4.7: 0)" -- -X
ctd_differ ctd_args_unknown_word --noconf --rc 1 \
	--why "1.4.8 exits 1 on an unknown option (1.4.7: 0)" -- -i foo
ctd_compat ctd_args_conflict --noconf -- -d -s
ctd_compat ctd_args_conflict2 --noconf -- -k -d
ctd_compat ctd_args_xml_alone --noconf -- -x
ctd_compat ctd_args_xml_first --noconf -- -x -i
ctd_compat ctd_args_s_foo --noconf -- -s foo
ctd_compat ctd_args_f_foo --noconf -- -f foo
ctd_compat ctd_args_multicast_v --noconf -- -s multicast -v
# -C without its file, last on the line: 1.4.8 stops there (usage,
# "Missing config filename", 1); 1.4.7 complains and goes on with the
# file of the first -C (the harness's), so its -s finds no daemon. A -C
# alone is not run: 1.4.7 would go on with the host's default file (the
# unit test covers ours).
ctd_differ ctd_args_c_no_file --rc 1 \
	--err "[DATE] (pid=N) [ERROR] Missing config filename"$'\n' \
	--why "1.4.8 exits on -C without a file (1.4.7 goes on)" -- -s -C
ctd_compat ctd_args_no_file --noconf -- -C /nonexistent/c.conf -s
ctd_compat ctd_args_no_daemon -- -s
ctd_compat ctd_args_no_daemon_i -- -i
ctd_compat ctd_args_no_daemon_k -- -k
ctd_differ ctd_args_config_test --rc 0 \
	--out "configuration file \`DIR/c.conf' is valid"$'\n' --err "" \
	--why "--config-test is ours" -- --config-test
t_done
