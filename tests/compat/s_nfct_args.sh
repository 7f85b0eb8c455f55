#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nfct's words against the reference's: too few, the two orders, prefix
# matching, unknown commands and subsystems, version and help, the
# per-subsystem usage. Where ours deliberately differs (nfct(8),
# DIFFERENCES: an error names the wrong word, help is reachable, help
# and version work alone, we are 1.4.8) the scenario declares it.
. "$(dirname "$0")/nfct_lib.sh"

V=$'nfct vX: utility for the Netfilter\'s Connection Tracking System\n'
VERSION_TEXT="${V}Copyright (C) 2012 Pablo Neira Ayuso <pablo@netfilter.org>
This program comes with ABSOLUTELY NO WARRANTY.
This is free software, and you are welcome to redistribute it under certain 
conditions; see LICENSE file distributed in this package for details.
"
HELP_TEXT="${V}Usage: nfct command [parameters]...

Subsystem:
  helper		Allows to configure user-space helper
  timeout		Allows definition of fine-grain timeout policies
  version		Display version and disclaimer
  help			Display this help message
Commands:
  list [reset]		List the accounting object table (and reset)
  add object-name	Add new accounting object to table
  delete object-name	Delete existing accounting object
  get object-name	Get existing accounting object
  disable		Disable queueing packets to userspace for helper inspection
  default-set		Set default timeouts
  default-get		Get default timeouts
  flush			Flush accounting object table
"
USAGE=$'Usage: nfct command subsystem [parameters]...\n'
HELPER_USAGE=$'nfct vX: Missing command\nnfct helper list|add|delete|disable|get|flush [parameters...]\n'

compat nfct_no_args --
compat nfct_one_word -- list
compat nfct_one_subsystem -- timeout
compat nfct_list_version -- list version
compat nfct_version_any_command -- flush version extra words
differ nfct_version_number --raw --why "rawct is 1.4.8, the reference 1.4.7" \
	--out "$(sed 's/vX/v1.4.8/' <<<"$VERSION_TEXT")"$'\n' -- list version
differ nfct_version_alone --why "nfct version works without a second word" \
	--rc 0 --out "$VERSION_TEXT" --err "" -- version
differ nfct_help_alone --why "nfct help works without a second word" \
	--rc 0 --out "$HELP_TEXT" --err "" -- help
differ nfct_list_help --why "a subsystem written in full wins: help is reachable" \
	--rc 0 --out "$HELP_TEXT" --err "" -- list help
compat nfct_unknown_subsystem_first -- bogus list
compat nfct_unknown_subsystem_x -- x version
differ nfct_unknown_subsystem_second --why "the error names the wrong word" \
	--err $'nfct vX: Unknown subsystem: bogus\n'"$USAGE" -- list bogus
differ nfct_unknown_command_legacy --why "the error names the wrong word" \
	--err $'nfct vX: Unknown command: x\n'"$USAGE" -- version x
compat nfct_legacy_order -- timeout list
compat nfct_legacy_order_helper_words -- helper flush extra
compat nfct_prefixes -- l t
compat nfct_prefix_d_is_delete -- d timeout
compat nfct_prefix_default_is_set -- default timeout
compat nfct_empty_words -- "" ""
compat nfct_prefix_too_long -- listx timeout
compat nfct_hel_is_helper -- list hel extra
compat nfct_timeout_disable -- disable timeout
compat nfct_timeout_disable_legacy -- timeout disable
differ nfct_helper_default_set --why "the error names the wrong word" \
	--err $'nfct vX: Unknown command: default-set\n'"$HELPER_USAGE" \
	-- default-set helper
compat nfct_helper_default_get_legacy -- helper default-get
t_done
