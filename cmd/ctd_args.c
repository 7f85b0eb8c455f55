// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's argument parser (see cmd/ctd_args.h), upstream's rules
 * kept where scripts depend on them (prefix words, `-s multicast`, the
 * mode conflict) and its undefined corners made definite: an empty
 * argument is an unknown option instead of a read past its end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd/ctd_args.h"
#include "sync/ctl.h"

static const char usage_text[] =
	"General commands:\n"
	"  -d, run in daemon mode\n"
	"  -C [configfile], configuration file path\n"
	"  -v, display conntrackd version\n"
	"  -h, display this help information\n"
	"\n"
	"Client mode commands:\n"
	"  -c [ct|expect], commit external cache to conntrack table\n"
	"  -f [internal|external], flush internal and external cache\n"
	"  -F [ct|expect], flush kernel conntrack table\n"
	"  -i [ct|expect], display content of the internal cache\n"
	"  -e [ct|expect], display the content of the external cache\n"
	"  -k, kill conntrack daemon\n"
	"  -s  [network|cache|runtime|link|rsqueue|queue|ct|expect], "
	"dump statistics\n"
	"  -R [ct|expect], resync with kernel conntrack table\n"
	"  -n, request resync with other node (only FT-FW and NOTRACK "
	"modes)\n"
	"  -B, force a bulk send to other replica firewalls\n"
	"  -x, dump cache in XML format (requires -i or -e)\n"
	"  -t, reset the kernel timeout (see PurgeTimeout clause)\n";

const char *ctd_usage_commands(void)
{
	return usage_text;
}

__attribute__((format(printf, 3, 4)))
static void fail(struct ctd_args *a, int usage, const char *msg, ...)
{
	va_list ap;

	a->exit = 1;
	a->usage = usage;
	va_start(ap, msg);
	vsnprintf(a->error, sizeof(a->error), msg, ap);
	va_end(ap);
}

/* Upstream's set_operation_mode: daemon and client options exclude
 * each other. Returns 0, or -1 with the error set. */
static int set_run(struct ctd_args *a, enum ctd_run want)
{
	if (a->run == CTD_RUN_NONE || a->run == want) {
		a->run = want;
		return 0;
	}
	fail(a, 1, "%s", "Invalid parameters");
	return -1;
}

/* The next argument, when it is a word (not an option) and a prefix of
 * @word ("" is a prefix of everything, as upstream's strncmp says). */
static int next_is(int i, int argc, char **argv, const char *word)
{
	return i + 1 < argc && argv[i + 1][0] != '-' &&
	       strncmp(argv[i + 1], word, strlen(argv[i + 1])) == 0;
}

/* Upstream's set_action_by_table: an optional ct|expect word. */
static int by_table(struct ctd_args *a, int i, int argc, char **argv,
		    int ct, int exp, int dfl)
{
	if (i + 1 < argc && argv[i + 1][0] != '-') {
		if (next_is(i, argc, argv, "ct")) {
			a->action = ct;
			return i + 1;
		}
		if (next_is(i, argc, argv, "expect")) {
			a->action = exp;
			return i + 1;
		}
		return i;	/* the word is parsed as the next option */
	}
	a->action = dfl;
	return i;
}

static const struct {
	const char *word;
	int code;
} stats_words[] = {	/* in upstream's order: prefixes take the first */
	{ "network", SYNC_STATS_NETWORK },
	{ "cache", SYNC_STATS_CACHE },
	{ "runtime", SYNC_STATS_RUNTIME },
	{ "multicast", SYNC_STATS_LINK },
	{ "link", SYNC_STATS_LINK },
	{ "rsqueue", SYNC_STATS_RSQUEUE },
	{ "process", SYNC_STATS_PROCESS },
	{ "queue", SYNC_STATS_QUEUE },
	{ "ct", SYNC_STATS },
	{ "expect", SYNC_EXP_STATS },
	{ "json", SYNC_STATS_JSON },	/* ours */
	{ "health", SYNC_HEALTH },	/* ours */
};

static int opt_stats(struct ctd_args *a, int i, int argc, char **argv)
{
	if (!(i + 1 < argc && argv[i + 1][0] != '-')) {
		a->action = SYNC_STATS;
		return i;
	}
	for (size_t w = 0; w < sizeof(stats_words) / sizeof(stats_words[0]);
	     w++) {
		if (!next_is(i, argc, argv, stats_words[w].word))
			continue;
		if (!strcmp(stats_words[w].word, "multicast"))
			snprintf(a->warning, sizeof(a->warning), "use `link' "
				 "instead of `multicast' as parameter.");
		a->action = stats_words[w].code;
		return i + 1;
	}
	fail(a, 0, "unknown parameter `%s' for option `-s'", argv[i + 1]);
	return i;
}

static int opt_flush_cache(struct ctd_args *a, int i, int argc, char **argv)
{
	if (!(i + 1 < argc && argv[i + 1][0] != '-')) {
		a->action = SYNC_ALL_FLUSH_CACHE;
		return i;
	}
	if (next_is(i, argc, argv, "internal")) {
		a->action = SYNC_CT_FLUSH_INT_CACHE;
		return i + 1;
	}
	if (next_is(i, argc, argv, "external")) {
		a->action = SYNC_CT_FLUSH_EXT_CACHE;
		return i + 1;
	}
	fail(a, 0, "unknown parameter `%s' for option `-f'", argv[i + 1]);
	return i;
}

static int opt_xml(struct ctd_args *a)
{
	switch (a->action) {
	case SYNC_CT_DUMP_INTERNAL:
		a->action = SYNC_CT_DUMP_INT_XML;
		return 0;
	case SYNC_CT_DUMP_EXTERNAL:
		a->action = SYNC_CT_DUMP_EXT_XML;
		return 0;
	case SYNC_EXP_DUMP_INTERNAL:
		a->action = SYNC_EXP_DUMP_INT_XML;
		return 0;
	case SYNC_EXP_DUMP_EXTERNAL:
		a->action = SYNC_EXP_DUMP_EXT_XML;
		return 0;
	}
	fail(a, 1, "%s", "Invalid parameters");
	return -1;
}

/* A client option with a table word: returns the new index. */
static int opt_request(struct ctd_args *a, char c, int i, int argc,
		       char **argv)
{
	static const struct {
		char opt;
		int ct, exp, dfl;
	} tbl[] = {
		{ 'c', SYNC_CT_COMMIT, SYNC_EXP_COMMIT, SYNC_ALL_COMMIT },
		{ 'i', SYNC_CT_DUMP_INTERNAL, SYNC_EXP_DUMP_INTERNAL,
		  SYNC_CT_DUMP_INTERNAL },
		{ 'e', SYNC_CT_DUMP_EXTERNAL, SYNC_EXP_DUMP_EXTERNAL,
		  SYNC_CT_DUMP_EXTERNAL },
		{ 'F', SYNC_CT_FLUSH_MASTER, SYNC_EXP_FLUSH_MASTER,
		  SYNC_ALL_FLUSH_MASTER },
		{ 'R', SYNC_CT_RESYNC_MASTER, SYNC_EXP_RESYNC_MASTER,
		  SYNC_ALL_RESYNC_MASTER },
	};

	for (size_t t = 0; t < sizeof(tbl) / sizeof(tbl[0]); t++)
		if (tbl[t].opt == c)
			return by_table(a, i, argc, argv, tbl[t].ct,
					tbl[t].exp, tbl[t].dfl);
	switch (c) {
	case 'f':
		return opt_flush_cache(a, i, argc, argv);
	case 's':
		return opt_stats(a, i, argc, argv);
	case 'B':
		a->action = SYNC_SEND_BULK;
		break;
	case 't':
		a->action = SYNC_RESET_TIMERS;
		break;
	case 'k':
		a->action = SYNC_KILL;
		break;
	case 'n':
		a->action = SYNC_REQUEST_DUMP;
		break;
	}
	return i;
}

/* One argument; returns the index of the last argument it used. */
static int parse_one(struct ctd_args *a, int i, int argc, char **argv)
{
	const char *arg = argv[i];
	char c = arg[0] ? arg[1] : '\0';

	if (!strcmp(arg, "--config-test")) {
		a->config_test = 1;
		return i;
	}
	switch (c) {
	case 'd':
		set_run(a, CTD_RUN_DAEMON);
		return i;
	case 'C':
		if (i + 1 < argc) {
			a->config = argv[i + 1];
			return i + 1;
		}
		fail(a, 1, "%s", "Missing config filename");
		return i;
	case 'v':
		a->version = 1;
		a->exit = 0;
		return i;
	case 'h':
		a->help = 1;
		a->exit = 0;
		return i;
	case 'x':
		opt_xml(a);
		return i;
	case 'c': case 'i': case 'e': case 'F': case 'R': case 'f':
	case 's': case 'B': case 't': case 'k': case 'n':
		if (set_run(a, CTD_RUN_REQUEST) < 0)
			return i;
		return opt_request(a, c, i, argc, argv);
	}
	fail(a, 1, "Unknown option: %s", arg);
	return i;
}

void ctd_args_parse(int argc, char **argv, struct ctd_args *a)
{
	memset(a, 0, sizeof(*a));
	a->action = -1;
	a->exit = -1;
	for (int i = 1; i < argc && a->exit < 0; i++)
		i = parse_one(a, i, argc, argv);
	if (a->exit < 0 && a->config_test && a->run == CTD_RUN_REQUEST)
		fail(a, 1, "%s", "Invalid parameters");
}
