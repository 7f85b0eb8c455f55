/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's command line, parsed as upstream's main() does (spec 2.1):
 * each argument is dispatched on its second character, optional table
 * words (ct, expect; internal, external; the -s sections) are taken by
 * prefix when the next argument does not start with '-', and daemon and
 * client options exclude each other. Pure: no I/O, so tests and the
 * fuzzer run it in a loop; cmd/conntrackd.c prints what it says.
 */
#ifndef RAWCT_CMD_CTD_ARGS_H
#define RAWCT_CMD_CTD_ARGS_H

enum ctd_run {
	CTD_RUN_NONE = 0,	/* no -d and no request: console daemon */
	CTD_RUN_DAEMON,		/* -d */
	CTD_RUN_REQUEST,	/* a client request */
};

/* What to do after parsing (ctd_args.exit < 0), or how to exit. */
struct ctd_args {
	enum ctd_run run;
	int action;		/* request code, -1 none */
	const char *config;	/* -C, NULL: the default file */
	int config_test;	/* --config-test (ours) */
	int version;		/* -v: print the version, exit 0 */
	int help;		/* -h: print usage, exit 0 */
	/* the outcome */
	int exit;		/* -1: go on; else the exit status */
	int usage;		/* print the usage (stdout) before the error */
	char error[256];	/* logged at ERROR level, "" for none */
	char warning[128];	/* logged at warning level, "" for none */
};

/* Parses @argv into @a. Never fails itself: problems are in @a. */
void ctd_args_parse(int argc, char **argv, struct ctd_args *a);

/* The usage text (without the trailing blank line upstream prints). */
const char *ctd_usage_commands(void);

#endif
