// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/report: the statistics texts byte for byte against
 * what the Debian conntrackd 1.4.7 printed, captured (not written from
 * its source) in a namespace: three flows dumped at start, then a new
 * flow, an update, 3 UDP exchanges over lo with nf_conntrack_acct on
 * (3 + 3 packets, 384 + 114 bytes), two destroys; then `-s`, `-s cache`
 * and `-s runtime`. The uptimes were captured from daemons run under
 * libfaketime at 120 to 200000 times the speed of time. Then the
 * snprintf contract (the length needed, a cut text NUL-terminated) and
 * our JSON form, byte for byte too.
 */
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "sync/report.h"
#include "tests/unit/suites.h"

/* the reference's answers, as captured */
static const char ref_s[] =
	"cache stats:\n"
	"current active connections:\t           3\n"
	"connections created:\t\t           5\tfailed:\t           0\n"
	"connections updated:\t\t           2\tfailed:\t           0\n"
	"connections destroyed:\t\t           2\tfailed:\t           0\n"
	"\n"
	"traffic processed:\n"
	"                 498 Bytes                         6 Pckts\n"
	"\n";

static const char ref_s_cache[] =
	"cache:stats\tactive objects:\t\t           3\n"
	"\tactive/total entries:\t\t           3/           3\n"
	"\tcreation OK/failed:\t\t           5/           0\n"
	"\t\tno memory available:\t           0\n"
	"\t\tno space left in cache:\t           0\n"
	"\tupdate OK/failed:\t\t           2/           0\n"
	"\t\tentry not found:\t           0\n"
	"\tdeletion created/failed:\t           2/           0\n"
	"\t\tentry not found:\t           0\n"
	"\n";

static const char ref_s_runtime[] =
	"daemon uptime: 0 min\n"
	"\n"
	"netlink stats:\n"
	"\tevents received:\t                   6\n"
	"\tevents filtered:\t                   0\n"
	"\tevents unknown type:\t\t           0\n"
	"\tcatch event failed:\t\t           0\n"
	"\tdump unknown type:\t\t           0\n"
	"\tnetlink overrun:\t\t           0\n"
	"\tflush kernel table:\t\t           0\n"
	"\tresync with kernel table:\t           0\n"
	"\tcurrent buffer size (in bytes):\t      212992\n"
	"\n"
	"runtime stats:\n"
	"\tchild process failed:\t\t           0\n"
	"\t\tchild process segfault:\t           0\n"
	"\t\tchild process termsig:\t           0\n"
	"\tselect failed:\t\t\t           0\n"
	"\twait failed:\t\t\t           0\n"
	"\tlocal read failed:\t\t           0\n"
	"\tlocal unknown request:\t\t           0\n"
	"\n";

/* the counters behind them */
static const struct sync_cache_stats ref_cache = {
	.active = 3, .objects = 3, .add_ok = 5, .upd_ok = 2, .del_ok = 2,
};
static const struct sync_traffic ref_traffic = { .bytes = 498, .packets = 6 };
static const struct sync_runtime_stats ref_runtime = {
	.nl_events_received = 6,
};

START_TEST(test_ref_stats)
{
	char buf[2048];
	int n;

	n = sync_report_cache(buf, sizeof(buf), "stats", &ref_cache);
	n += sync_report_traffic(buf + n, sizeof(buf) - (size_t)n,
				 &ref_traffic);
	ck_assert_str_eq(buf, ref_s);
	ck_assert_int_eq(n, (int)strlen(ref_s));
}
END_TEST

START_TEST(test_ref_cache_ext)
{
	char buf[2048];
	int n = sync_report_cache_ext(buf, sizeof(buf), "stats", &ref_cache,
				      3);

	ck_assert_str_eq(buf, ref_s_cache);
	ck_assert_int_eq(n, (int)strlen(ref_s_cache));
}
END_TEST

START_TEST(test_ref_runtime)
{
	char buf[2048];
	int n = sync_report_runtime(buf, sizeof(buf), 59, &ref_runtime,
				    212992);

	ck_assert_str_eq(buf, ref_s_runtime);
	ck_assert_int_eq(n, (int)strlen(ref_s_runtime));
}
END_TEST

/* The uptime line, each row captured from the reference (faketime):
 * days and "day" for one, hours only when there are some. */
static const struct {
	long long sec;
	const char *line;
} uptimes[] = {
	{ 0, "daemon uptime: 0 min\n" },
	{ 150, "daemon uptime: 2 min\n" },
	{ 5940, "daemon uptime: 1 h 39 min\n" },
	{ 87480, "daemon uptime: 1 day 18 min\n" },
	{ 135660, "daemon uptime: 1 day 13 h 41 min\n" },
	{ 137880, "daemon uptime: 1 day 14 h 18 min\n" },
	{ 389340, "daemon uptime: 4 days 12 h 9 min\n" },
};

START_TEST(test_ref_uptime)
{
	char buf[2048];
	const char *nl;

	sync_report_runtime(buf, sizeof(buf), uptimes[_i].sec, &ref_runtime,
			    0);
	nl = strchr(buf, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq((int)(nl + 1 - buf), (int)strlen(uptimes[_i].line));
	ck_assert(!strncmp(buf, uptimes[_i].line, strlen(uptimes[_i].line)));
}
END_TEST

/* Widths hold the largest counters: a %12u column takes 4294967295 and
 * a %20llu one UINT64_MAX without shifting what follows. */
START_TEST(test_widths)
{
	struct sync_cache_stats st = { .active = 4294967295u };
	struct sync_traffic t = { .bytes = UINT64_MAX, .packets = 1 };
	char buf[2048];

	sync_report_cache(buf, sizeof(buf), "internal", &st);
	ck_assert(!strncmp(buf, "cache internal:\ncurrent active connections:"
			   "\t  4294967295\n", 57));
	sync_report_traffic(buf, sizeof(buf), &t);
	ck_assert_str_eq(buf, "traffic processed:\n"
			 "18446744073709551615 Bytes                         1"
			 " Pckts\n\n");
}
END_TEST

/* snprintf's contract: the length needed whatever @len, the text cut
 * and NUL-terminated, nothing written for @len 0. */
START_TEST(test_cut)
{
	char buf[64];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = sync_report_cache_ext(buf, 10, "stats", &ref_cache, 3);
	ck_assert_int_eq(n, (int)strlen(ref_s_cache));
	ck_assert_str_eq(buf, "cache:sta");
	ck_assert_int_eq(buf[10], 'x');
	n = sync_report_runtime(buf, 0, 0, &ref_runtime, 212992);
	ck_assert_int_eq(n, (int)strlen(ref_s_runtime));
	ck_assert_int_eq(buf[0], 'c');
	n = sync_report_runtime(buf, 18, 389340, &ref_runtime, 0);
	ck_assert_str_eq(buf, "daemon uptime: 4 ");
}
END_TEST

/* Ours: -s json, two members of one object. */
START_TEST(test_json)
{
	struct sync_runtime_stats rt = {
		.nl_events_received = 6, .nl_overrun = 1,
		.local_unknown_request = 2,
	};
	struct sync_cache_stats st = ref_cache;
	char buf[1024];

	st.flush = 1;
	sync_report_json_cache(buf, sizeof(buf), "stats", &st, 3);
	ck_assert_str_eq(buf, "\"stats\":{\"active\":3,\"objects\":3,"
		"\"entries\":3,\"created\":5,\"create_failed\":0,"
		"\"create_enomem\":0,\"create_enospc\":0,\"updated\":2,"
		"\"update_failed\":0,\"update_enoent\":0,\"destroyed\":2,"
		"\"destroy_failed\":0,\"destroy_enoent\":0,\"committed\":0,"
		"\"commit_failed\":0,\"flushes\":1}");
	sync_report_json_runtime(buf, sizeof(buf), 61, &rt, 212992,
				 &ref_traffic);
	ck_assert_str_eq(buf, "\"uptime\":61,"
		"\"traffic\":{\"bytes\":498,\"packets\":6},"
		"\"netlink\":{\"events_received\":6,\"events_filtered\":0,"
		"\"events_unknown_type\":0,\"catch_event_failed\":0,"
		"\"dump_unknown_type\":0,\"overruns\":1,"
		"\"kernel_table_flushes\":0,\"kernel_table_resyncs\":0,"
		"\"buffer_size\":212992},"
		"\"runtime\":{\"local_read_failed\":0,"
		"\"local_unknown_request\":2,\"local_denied\":0}");
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, test_ref_stats);
	tcase_add_test(tc, test_ref_cache_ext);
	tcase_add_test(tc, test_ref_runtime);
	tcase_add_loop_test(tc, test_ref_uptime, 0,
			    (int)(sizeof(uptimes) / sizeof(uptimes[0])));
	tcase_add_test(tc, test_widths);
	tcase_add_test(tc, test_cut);
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	return s;
}
