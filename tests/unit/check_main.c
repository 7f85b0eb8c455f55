// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The unit-test runner: every suite of suites.h in one SRunner, forking
 * per test (Check's default, CK_FORK=no to debug), ending with Check's
 * summary line. Exits nonzero if any check failed.
 *
 *   check_all          every suite (CK_RUN_SUITE=name: that one)
 *   check_all -n       prints how many suites there are
 *   check_all -s K     only the K-th suite (from 0), for tests/unit/par.sh,
 *                      which runs them side by side on every CPU
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	event_suite,
	ct_args_suite,
	filter_suite,
	loop_suite,
	log_suite,
	process_suite,
	config_suite,
	pack_suite,
	hash_suite,
	keyset_suite,
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

#define N_SUITES	(sizeof(suites) / sizeof(suites[0]))

int main(int argc, char **argv)
{
	SRunner *sr;
	size_t only = N_SUITES;
	int failed;

	if (argc == 2 && strcmp(argv[1], "-n") == 0) {
		printf("%zu\n", N_SUITES);
		return EXIT_SUCCESS;
	}
	if (argc == 3 && strcmp(argv[1], "-s") == 0) {
		char *end;
		unsigned long k = strtoul(argv[2], &end, 10);

		if (end == argv[2] || *end || k >= N_SUITES) {
			fprintf(stderr, "check_all: -s %s: no such suite "
				"(0 to %zu)\n", argv[2], N_SUITES - 1);
			return 2;
		}
		only = (size_t)k;
	} else if (argc != 1) {
		fprintf(stderr, "usage: check_all [-n | -s K]\n");
		return 2;
	}
	sr = srunner_create(NULL);
	for (size_t i = 0; i < N_SUITES; i++)
		if (only == N_SUITES || i == only)
			srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
