// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The unit-test runner: every suite of suites.h in one SRunner, forking
 * per test (Check's default, CK_FORK=no to debug), ending with Check's
 * summary line. Exits nonzero if any check failed.
 */
#include <stdlib.h>

#include <check.h>

#include "tests/unit/suites.h"

static Suite *(*const suites[])(void) = {
	attr_suite,
	msg_suite,
	reply_suite,
	format_suite,
	labels_suite,
	ct_codec_suite,
	expect_suite,
	bpf_suite,
	ct_args_suite,
	filter_suite,
	loop_suite,
	log_suite,
	process_suite,
	config_suite,
	pack_suite,
	hash_suite,
	cache_suite,
	sync_filter_suite,
	ctd_args_suite,
	sync_msg_suite,
	link_suite,
	chan_stream_suite,
	chans_suite,
	privsep_suite,
	dump_suite,
	ctl_suite,
	report_suite,
	crypto_suite,
	frame_suite,
	replay_suite,
	keys_suite,
	auth_suite,
	tmo_suite,
	cth_suite,
	nfct_args_suite,
	ftfw_suite,
	heal_suite,
};

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
