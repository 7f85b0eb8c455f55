// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack(8): parse the command line (cmd/ct_args), print its warnings
 * or error, run it (cmd/ct_run, cmd/ct_modify) or a -R batch file
 * (cmd/ct_load). The exit status is upstream's: 0, 1 for failures, 2 for
 * command-line problems.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/ct_args.h"
#include "cmd/ct_load.h"
#include "cmd/ct_run.h"
#include "nl/pipe.h"

int main(int argc, char **argv)
{
	struct ct_ctx c = { .prog = argv[0], .kfilter = -1 };
	struct ct_args_env env = { ct_ctx_labelmap, &c };
	static struct ct_args a;
	struct ct_args_err err;
	int rc;

	/* test hooks (conntrack.8, ENVIRONMENT), so tests can compare the
	 * paths: no kernel-side filter; no helper threads (neither with a
	 * single CPU) */
	c.no_kfilter = getenv("RAWCT_NO_KFILTER") != NULL;
	c.no_pipe = getenv("RAWCT_NO_PIPE") != NULL || nl_cpus() == 1;
	c.pipe_hold_us = (unsigned int)ct_env_us("RAWCT_PIPE_HOLD_US", 0,
						 1000000);
	if (argc > 2 && (!strcmp(argv[1], "-R") ||
			 !strcmp(argv[1], "--load-file"))) {
		rc = ct_load_file(&c, argv[0], argv[2]);
	} else if (ct_args_parse(argc, argv, &env, &a, &err) < 0) {
		rc = ct_report(&a, &err);
	} else {
		rc = ct_run(&c, &a);
	}
	fflush(stdout);
	ct_ctx_close(&c);
	return rc;
}
