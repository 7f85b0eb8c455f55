// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's command-line parser: table-driven rows of argv and the
 * action, mode and config path it gives, or upstream's error, whether
 * the usage is printed first, and the exit status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "cmd/ctd_args.h"
#include "sync/ctl.h"
#include "tests/unit/suites.h"

#define MAXW 16

struct row {
	const char *line;	/* words separated by single blanks; "~"
				 * stands for an empty argument */
	int exit;		/* -1: go on */
	int usage;
	const char *msg;	/* error or warning text, NULL for none */
	int run;		/* enum ctd_run */
	int action;
	const char *config;
};

static int split(char *buf, char **argv)
{
	int argc = 0;

	argv[argc++] = "conntrackd";
	for (char *t = strtok(buf, " "); t && argc < MAXW; t = strtok(NULL, " "))
		argv[argc++] = strcmp(t, "~") ? t : "";
	argv[argc] = NULL;
	return argc;
}

#define OK(l, r, a) { l, -1, 0, NULL, r, a, NULL }
#define REQ(l, a) OK(l, CTD_RUN_REQUEST, a)
#define BAD(l, u, m) { l, 1, u, m, 0, 0, NULL }

static const struct row rows[] = {
	OK("", CTD_RUN_NONE, -1),
	OK("-d", CTD_RUN_DAEMON, -1),
	OK("-d -d", CTD_RUN_DAEMON, -1),
	{ "-C /x.conf -d", -1, 0, NULL, CTD_RUN_DAEMON, -1, "/x.conf" },
	{ "-C -d", -1, 0, NULL, CTD_RUN_NONE, -1, "-d" },
	BAD("-C", 1, "Missing config filename"),
	{ "-v", 0, 0, NULL, 0, -1, NULL },
	{ "-h", 0, 0, NULL, 0, -1, NULL },
	{ "-v -X", 0, 0, NULL, 0, -1, NULL },
	BAD("-X", 1, "Unknown option: -X"),
	BAD("-X -v", 1, "Unknown option: -X"),
	BAD("~", 1, "Unknown option: "),
	BAD("x", 1, "Unknown option: x"),
	OK("xd", CTD_RUN_DAEMON, -1),		/* only argv[i][1] counts */
	OK("-dfoo", CTD_RUN_DAEMON, -1),
	BAD("-d -s", 1, "Invalid parameters"),
	BAD("-s -d", 1, "Invalid parameters"),
	BAD("-x", 1, "Invalid parameters"),
	BAD("-s -x", 1, "Invalid parameters"),
	REQ("-c", SYNC_ALL_COMMIT),
	REQ("-c ct", SYNC_CT_COMMIT),
	REQ("-c c", SYNC_CT_COMMIT),
	REQ("-c expect", SYNC_EXP_COMMIT),
	REQ("-c e", SYNC_EXP_COMMIT),
	BAD("-c foo", 1, "Unknown option: foo"),
	REQ("-i", SYNC_CT_DUMP_INTERNAL),
	REQ("-i ct", SYNC_CT_DUMP_INTERNAL),
	REQ("-i expect", SYNC_EXP_DUMP_INTERNAL),
	REQ("-i -x", SYNC_CT_DUMP_INT_XML),
	BAD("-x -i", 1, "Invalid parameters"),	/* -x must follow -i */
	REQ("-i exp -x", SYNC_EXP_DUMP_INT_XML),
	REQ("-e", SYNC_CT_DUMP_EXTERNAL),
	REQ("-e -x", SYNC_CT_DUMP_EXT_XML),
	REQ("-e expect -x", SYNC_EXP_DUMP_EXT_XML),
	REQ("-F", SYNC_ALL_FLUSH_MASTER),
	REQ("-F ct", SYNC_CT_FLUSH_MASTER),
	REQ("-F expect", SYNC_EXP_FLUSH_MASTER),
	REQ("-R", SYNC_ALL_RESYNC_MASTER),
	REQ("-R ct", SYNC_CT_RESYNC_MASTER),
	REQ("-R expect", SYNC_EXP_RESYNC_MASTER),
	REQ("-f", SYNC_ALL_FLUSH_CACHE),
	REQ("-f internal", SYNC_CT_FLUSH_INT_CACHE),
	REQ("-f i", SYNC_CT_FLUSH_INT_CACHE),
	REQ("-f external", SYNC_CT_FLUSH_EXT_CACHE),
	REQ("-f ex", SYNC_CT_FLUSH_EXT_CACHE),
	BAD("-f foo", 0, "unknown parameter `foo' for option `-f'"),
	REQ("-s", SYNC_STATS),
	REQ("-s network", SYNC_STATS_NETWORK),
	REQ("-s n", SYNC_STATS_NETWORK),
	REQ("-s cache", SYNC_STATS_CACHE),
	REQ("-s c", SYNC_STATS_CACHE),	/* cache before ct */
	REQ("-s ct", SYNC_STATS),
	REQ("-s runtime", SYNC_STATS_RUNTIME),
	REQ("-s link", SYNC_STATS_LINK),
	REQ("-s rsqueue", SYNC_STATS_RSQUEUE),
	REQ("-s r", SYNC_STATS_RUNTIME),
	REQ("-s process", SYNC_STATS_PROCESS),
	REQ("-s queue", SYNC_STATS_QUEUE),
	REQ("-s expect", SYNC_EXP_STATS),
	REQ("-s json", SYNC_STATS_JSON),
	REQ("-s health", SYNC_HEALTH),
	REQ("-s he", SYNC_HEALTH),
	{ "-s multicast", -1, 0, "use `link' instead of `multicast' as "
	  "parameter.", CTD_RUN_REQUEST, SYNC_STATS_LINK, NULL },
	{ "-s m", -1, 0, "use `link' instead of `multicast' as parameter.",
	  CTD_RUN_REQUEST, SYNC_STATS_LINK, NULL },
	BAD("-s foo", 0, "unknown parameter `foo' for option `-s'"),
	REQ("-B", SYNC_SEND_BULK),
	REQ("-t", SYNC_RESET_TIMERS),
	REQ("-k", SYNC_KILL),
	REQ("-n", SYNC_REQUEST_DUMP),
	REQ("-i -s", SYNC_STATS),	/* the last request wins */
	{ "-C /c -k", -1, 0, NULL, CTD_RUN_REQUEST, SYNC_KILL, "/c" },
	OK("--config-test", CTD_RUN_NONE, -1),
	BAD("--config-test -s", 1, "Invalid parameters"),
};

START_TEST(test_rows)
{
	const struct row *r = &rows[_i];
	char buf[256], *argv[MAXW + 1];
	struct ctd_args a;
	int argc;

	snprintf(buf, sizeof(buf), "%s", r->line);
	argc = split(buf, argv);
	ctd_args_parse(argc, argv, &a);
	ck_assert_msg(a.exit == r->exit, "'%s': exit %d, want %d", r->line,
		      a.exit, r->exit);
	if (r->exit > 0) {
		ck_assert_msg(a.usage == r->usage, "'%s': usage %d", r->line,
			      a.usage);
		ck_assert_str_eq(a.error, r->msg);
		return;
	}
	if (r->exit == 0)
		return;
	ck_assert_str_eq(a.error, "");
	ck_assert_str_eq(a.warning, r->msg ? r->msg : "");
	ck_assert_msg((int)a.run == r->run, "'%s': run %d, want %d", r->line,
		      a.run, r->run);
	ck_assert_msg(a.action == r->action, "'%s': action %d, want %d",
		      r->line, a.action, r->action);
	if (r->config)
		ck_assert_str_eq(a.config, r->config);
	else
		ck_assert_ptr_null(a.config);
}
END_TEST

START_TEST(test_usage_text)
{
	const char *u = ctd_usage_commands();

	ck_assert_ptr_nonnull(strstr(u, "General commands:\n"));
	ck_assert_ptr_nonnull(strstr(u, "\n\nClient mode commands:\n"));
	ck_assert_ptr_nonnull(strstr(u, "  -s  [network|cache|runtime|link|"
				     "rsqueue|queue|ct|expect], dump "
				     "statistics\n"));
}
END_TEST

Suite *ctd_args_suite(void)
{
	Suite *s = suite_create("ctd_args");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_usage_text);
	suite_add_tcase(s, tc);
	return s;
}
