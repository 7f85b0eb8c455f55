// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of nfct(8)'s command-line parser (cmd/nfct_args.c), table
 * driven: each row is an argv and either the request it must become
 * (subsystem, command, message type and flags, whether it carries an
 * object and prints replies) or the exact text of the error. Every
 * error upstream can give has a row (the texts are upstream's, with
 * nfct(8)'s DIFFERENCES); then the objects the requests carry.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "cmd/nfct_args.h"
#include "nl/cthelper.h"
#include "nl/cttimeout.h"
#include "nl/uapi.h"
#include "tests/unit/suites.h"

/* A fixed /etc/protocols. */
static int proto_byname(const char *name, void *arg)
{
	static const struct { const char *name; int num; } db[] = {
		{ "icmp", 1 }, { "tcp", 6 }, { "TCP", 6 }, { "udp", 17 },
		{ "dccp", 33 }, { "gre", 47 }, { "esp", 50 },
		{ "ipv6-icmp", 58 }, { "sctp", 132 }, { "udplite", 136 },
		{ "mptcp", 262 },
	};

	(void)arg;
	for (size_t i = 0; i < sizeof(db) / sizeof(db[0]); i++)
		if (!strcmp(db[i].name, name))
			return db[i].num;
	return -1;
}

static const struct nfct_args_env env = { proto_byname, NULL };

#define P "nfct v" NFCT_VERSION ": "
#define USAGE "Usage: nfct command subsystem [parameters]...\n"
#define T NFCT_SUBSYS_TIMEOUT
#define H NFCT_SUBSYS_HELPER
#define ACK NLM_F_ACK
#define CRACK (NLM_F_CREATE | NLM_F_ACK)

struct row {
	const char *argv[12];
	const char *err;	/* NULL: must parse */
	int subsys, cmd;
	uint8_t type;
	uint16_t flags;
	int has_obj, prints;
};

#define BAD(text, ...) { { __VA_ARGS__, NULL }, text, 0, 0, 0, 0, 0, 0 }
#define OK(sub, cmd, type, flags, obj, prints, ...) \
	{ { __VA_ARGS__, NULL }, NULL, sub, cmd, type, flags, obj, prints }
static const struct row rows[] = {
	/* the words */
	BAD(USAGE,
	    "nfct"),
	BAD(USAGE,
	    "nfct", "list"),
	BAD(USAGE,
	    "nfct", "timeout"),
	OK(NFCT_SUBSYS_HELP, 0, 0, 0, 0, 0,
	   "nfct", "help"),
	OK(NFCT_SUBSYS_VERSION, 0, 0, 0, 0, 0,
	   "nfct", "version"),
	OK(NFCT_SUBSYS_VERSION, 1, 0, 0, 0, 0,
	   "nfct", "list", "version"),
	OK(NFCT_SUBSYS_HELP, 1, 0, 0, 0, 0,
	   "nfct", "list", "help"),
	OK(H, 1, NFNL_MSG_CTHELPER_GET, NLM_F_DUMP, 0, 1,
	   "nfct", "list", "hel"),
	BAD(P "Unknown subsystem: x\n" USAGE,
	    "nfct", "x", "version"),
	BAD(P "Unknown command: x\n" USAGE,
	    "nfct", "version", "x"),
	BAD(P "Unknown subsystem: bogus\n" USAGE,
	    "nfct", "list", "bogus"),
	BAD(P "Unknown subsystem: bogus\n" USAGE,
	    "nfct", "bogus", "list"),
	OK(T, 1, IPCTNL_MSG_TIMEOUT_GET, NLM_F_DUMP, 0, 1,
	   "nfct", "timeout", "list"),
	OK(T, 1, IPCTNL_MSG_TIMEOUT_GET, NLM_F_DUMP, 0, 1,
	   "nfct", "l", "t"),
	OK(T, 1, IPCTNL_MSG_TIMEOUT_GET, NLM_F_DUMP, 0, 1,
	   "nfct", "", ""),
	BAD(P "missing timeout policy name\n",
	    "nfct", "d", "timeout"),
	OK(T, NFCT_CMD_DEFAULT_SET, IPCTNL_MSG_TIMEOUT_DEFAULT_SET, ACK, 1, 1,
	   "nfct", "default", "timeout", "inet", "tcp", "close", "1"),
	BAD(P "Unknown subsystem: listx\n" USAGE,
	    "nfct", "listx", "timeout"),
	/* timeout */
	BAD(P "Missing command\nnfct <list|add|delete|get|default-set|d"
	    "efault-get|flush> timeout [<parameters>, ...]\n",
	    "nfct", "disable", "timeout"),
	BAD(P "too many arguments\n",
	    "nfct", "list", "timeout", "x"),
	OK(T, NFCT_CMD_FLUSH, IPCTNL_MSG_TIMEOUT_DELETE, ACK, 0, 0,
	   "nfct", "flush", "timeout"),
	BAD(P "too many arguments\n",
	    "nfct", "flush", "timeout", "x"),
	OK(T, NFCT_CMD_DELETE, IPCTNL_MSG_TIMEOUT_DELETE, ACK, 1, 0,
	   "nfct", "delete", "timeout", "a"),
	BAD(P "too many arguments\n",
	    "nfct", "delete", "timeout", "a", "b"),
	BAD(P "missing timeout policy name\n",
	    "nfct", "get", "timeout"),
	OK(T, NFCT_CMD_GET, IPCTNL_MSG_TIMEOUT_GET, ACK, 1, 1,
	   "nfct", "get", "timeout", "a"),
	BAD(P "timeout policy name too long: `0123456789012345678901234"
	    "567890x' (at most 31 characters)\n",
	    "nfct", "get", "timeout", "0123456789012345678901234567890x"),
	BAD(P "missing parameters\nsyntax: nfct add timeout name family"
	    " protocol state1 timeout1 ...\n",
	    "nfct", "add", "timeout", "a", "inet"),
	OK(T, NFCT_CMD_ADD, IPCTNL_MSG_TIMEOUT_NEW, CRACK, 1, 0,
	   "nfct", "add", "timeout", "a", "inet", "tcp"),
	BAD(P "unknown layer 3 protocol\n",
	    "nfct", "add", "timeout", "a", "ip", "tcp"),
	BAD(P "unknown layer 4 protocol\n",
	    "nfct", "add", "timeout", "a", "inet", "foo"),
	BAD(P "unknown layer 4 protocol\n",
	    "nfct", "add", "timeout", "a", "inet", "mptcp", "timeout", "1"),
	BAD(P "missing value for this timeout\n",
	    "nfct", "add", "timeout", "a", "inet", "tcp", "syn_sent"),
	BAD(P "Wrong state name: `bogus' for protocol `tcp'\n",
	    "nfct", "add", "timeout", "a", "inet", "tcp", "bogus", "1"),
	BAD(P "Wrong state name: `timeout' for protocol `esp'\n",
	    "nfct", "add", "timeout", "a", "inet", "esp", "timeout", "1"),
	BAD(P "missing value for this timeout\n",
	    "nfct", "add", "timeout", "a", "inet", "tcp", "close", "1", "x"),
	BAD(P "Wrong timeout value: `abc' for state `close'\n",
	    "nfct", "add", "timeout", "a", "inet", "tcp", "close", "abc"),
	BAD(P "Wrong timeout value: `-5' for state `close'\n",
	    "nfct", "add", "timeout", "a", "inet", "tcp", "close", "-5"),
	BAD(P "Wrong timeout value: `' for state `close'\n",
	    "nfct", "add", "timeout", "a", "inet", "tcp", "close", ""),
	BAD(P "Wrong timeout value: `4294967296' for state `close'\n",
	    "nfct", "add", "timeout", "a", "inet", "tcp", "close",
	    "4294967296"),
	BAD(P "Wrong timeout value: `1x' for state `close'\n",
	    "nfct", "add", "timeout", "a", "inet", "tcp", "close", "1x"),
	BAD(P "timeout policy name too long: `0123456789012345678901234"
	    "5678901' (at most 31 characters)\n",
	    "nfct", "add", "timeout", "01234567890123456789012345678901",
	    "inet", "tcp"),
	BAD(P "missing parameters\nsyntax: nfct default-set timeout fam"
	    "ily protocol state1 timeout1...\n",
	    "nfct", "default-set", "timeout", "inet", "tcp"),
	BAD(P "missing value for this timeout\n",
	    "nfct", "default-set", "timeout", "inet", "tcp", "close"),
	BAD(P "missing parameters\nsyntax: nfct default-get timeout fam"
	    "ily protocol\n",
	    "nfct", "default-get", "timeout", "inet"),
	OK(T, NFCT_CMD_DEFAULT_GET, IPCTNL_MSG_TIMEOUT_DEFAULT_GET, ACK, 1, 1,
	   "nfct", "default-get", "timeout", "inet6", "icmpv6", "extra"),
	BAD(P "unknown layer 4 protocol\n",
	    "nfct", "default-get", "timeout", "inet", "bogus"),
	BAD(P "unknown layer 3 protocol\n",
	    "nfct", "default-get", "timeout", "inet4", "tcp"),
	/* helper */
	BAD(P "Unknown command: default-set\n" P
	    "Missing command\nnfct helper list|add|delete|disable|get"
	    "|flush [parameters...]\n",
	    "nfct", "default-set", "helper"),
	BAD(P "Unknown command: default-get\n" P
	    "Missing command\nnfct helper list|add|delete|disable|get"
	    "|flush [parameters...]\n",
	    "nfct", "helper", "default-get"),
	BAD(P "too many arguments\n",
	    "nfct", "list", "helper", "x"),
	OK(H, NFCT_CMD_FLUSH, NFNL_MSG_CTHELPER_DEL, ACK, 0, 0,
	   "nfct", "flush", "helper"),
	BAD(P "too many arguments\n",
	    "nfct", "flush", "helper", "x"),
	BAD(P "missing parameters\nsyntax: nfct add helper name family "
	    "protocol\n",
	    "nfct", "add", "helper", "ftp", "inet"),
	BAD(P "unknown layer 3 protocol\n",
	    "nfct", "add", "helper", "ftp", "ip", "tcp"),
	BAD(P "unsupported layer 4 protocol\n",
	    "nfct", "add", "helper", "ftp", "inet", "sctp"),
	BAD(P "that helper is not supported\n",
	    "nfct", "add", "helper", "ftp", "inet", "udp"),
	OK(H, NFCT_CMD_ADD, NFNL_MSG_CTHELPER_NEW, CRACK, 1, 0,
	   "nfct", "add", "helper", "ftp", "inet", "tcp", "x"),
	BAD(P "missing parameters\nsyntax: nfct disable helper name fam"
	    "ily protocol\n",
	    "nfct", "disable", "helper", "ftp", "inet"),
	BAD(P "that helper is not supported\n",
	    "nfct", "disable", "helper", "bogus", "inet", "tcp"),
	OK(H, NFCT_CMD_DISABLE, NFNL_MSG_CTHELPER_NEW, CRACK, 1, 0,
	   "nfct", "disable", "helper", "ssdp", "inet6", "udp"),
	BAD(P "missing helper policy name\n",
	    "nfct", "delete", "helper"),
	BAD(P "too many arguments\n",
	    "nfct", "delete", "helper", "a", "inet", "tcp", "x"),
	BAD(P "unknown layer 3 protocol\n",
	    "nfct", "delete", "helper", "a", "ip"),
	BAD(P "unsupported layer 4 protocol\n",
	    "nfct", "delete", "helper", "a", "inet", "icmp"),
	BAD(P "helper name too long: `0123456789abcdef' (at most 15 cha"
	    "racters)\n",
	    "nfct", "delete", "helper", "0123456789abcdef"),
	OK(H, NFCT_CMD_DELETE, NFNL_MSG_CTHELPER_DEL, ACK, 1, 0,
	   "nfct", "delete", "helper", "a"),
	OK(H, NFCT_CMD_GET, NFNL_MSG_CTHELPER_GET, ACK, 1, 1,
	   "nfct", "get", "helper", "a", "inet6"),
};

START_TEST(parse_row)
{
	const struct row *r = &rows[_i];
	struct nfct_args a;
	struct nfct_args_err err;
	int argc = 0, rc;

	while (r->argv[argc])
		argc++;
	rc = nfct_args_parse(argc, (char *const *)r->argv, &env, &a, &err);
	if (r->err) {
		ck_assert_msg(rc == -EINVAL, "row %d parsed", _i);
		ck_assert_str_eq(err.text, r->err);
		return;
	}
	ck_assert_msg(rc == 0, "row %d: %s", _i, err.text);
	ck_assert_int_eq(a.subsys, r->subsys);
	if (r->cmd)
		ck_assert_int_eq(a.cmd, r->cmd);
	if (r->subsys != T && r->subsys != H)
		return;
	ck_assert_uint_eq(a.type, r->type);
	ck_assert_uint_eq(a.flags, r->flags);
	ck_assert_int_eq(a.has_obj, r->has_obj);
	ck_assert_int_eq(a.prints, r->prints);
}
END_TEST

static void parse(struct nfct_args *a, const char *const *argv)
{
	struct nfct_args_err err;
	int argc = 0;

	while (argv[argc])
		argc++;
	ck_assert_msg(nfct_args_parse(argc, (char *const *)argv, &env, a,
				      &err) == 0, "%s", err.text);
}

START_TEST(timeout_objects)
{
	static const char *const add[] = { "nfct", "add", "timeout", "pol",
		"inet6", "TCP", "Established", "10", "syn_sent", "4294967295",
		"established", "11", NULL };
	static const char *const def[] = { "nfct", "default-set", "timeout",
		"inet", "ipv6-icmp", "TIMEOUT", "0", NULL };
	static const char *const gen[] = { "nfct", "default-get", "timeout",
		"inet", "generic", NULL };
	static const char *const v6[] = { "nfct", "default-get", "timeout",
		"inet6", "icmpv6", NULL };
	struct nfct_args a;

	parse(&a, add);
	ck_assert_str_eq(a.tmo.name, "pol");
	ck_assert_uint_eq(a.tmo.has, TMO_HAS_NAME | TMO_HAS_L3 | TMO_HAS_L4);
	ck_assert_uint_eq(a.tmo.l3proto, AF_INET6);
	ck_assert_uint_eq(a.tmo.l4proto, IPPROTO_TCP);
	ck_assert_uint_eq(a.tmo.set, 0x5);
	ck_assert_uint_eq(a.tmo.secs[0], 4294967295u);
	ck_assert_uint_eq(a.tmo.secs[2], 11);	/* the last one given */
	parse(&a, def);
	ck_assert_uint_eq(a.tmo.has, TMO_HAS_L3 | TMO_HAS_L4);
	ck_assert_uint_eq(a.tmo.l4proto, 58);
	ck_assert_uint_eq(a.tmo.set, 1);
	ck_assert_uint_eq(a.tmo.secs[0], 0);
	parse(&a, gen);
	ck_assert_uint_eq(a.tmo.l4proto, 255);
	ck_assert_uint_eq(a.tmo.set, 0);
	parse(&a, v6);
	ck_assert_uint_eq(a.tmo.l3proto, AF_INET6);
	ck_assert_uint_eq(a.tmo.l4proto, 58);
}
END_TEST

START_TEST(helper_objects)
{
	static const char *const add[] = { "nfct", "add", "helper", "ftp",
		"inet", "tcp", NULL };
	static const char *const dis[] = { "nfct", "disable", "helper",
		"rpc", "inet6", "udp", NULL };
	static const char *const del[] = { "nfct", "delete", "helper",
		"sane", "inet", NULL };
	static const char *const get[] = { "nfct", "helper", "get", "x", NULL };
	struct nfct_args a;

	parse(&a, add);
	ck_assert_str_eq(a.cth.name, "ftp");
	ck_assert_uint_eq(a.cth.has, CTH_HAS_NAME | CTH_HAS_TUPLE |
			  CTH_HAS_PRIV | CTH_HAS_POLICY);
	ck_assert_uint_eq(a.cth.l3proto, AF_INET);
	ck_assert_uint_eq(a.cth.l4proto, IPPROTO_TCP);
	ck_assert_uint_eq(a.cth.priv_data_len, 24);
	ck_assert_uint_eq(a.cth.npolicy, 1);
	ck_assert_str_eq(a.cth.policy[0].name, "ftp");
	ck_assert_uint_eq(a.cth.policy[0].expect_max, 1);
	ck_assert_uint_eq(a.cth.policy[0].expect_timeout, 300);
	parse(&a, dis);
	ck_assert_uint_eq(a.cth.has, CTH_HAS_NAME | CTH_HAS_TUPLE |
			  CTH_HAS_STATUS);
	ck_assert_uint_eq(a.cth.status, NFCT_HELPER_STATUS_DISABLED);
	ck_assert_uint_eq(a.cth.l3proto, AF_INET6);
	ck_assert_uint_eq(a.cth.l4proto, IPPROTO_UDP);
	parse(&a, del);
	ck_assert_uint_eq(a.cth.has, CTH_HAS_NAME | CTH_HAS_TUPLE);
	ck_assert_uint_eq(a.cth.l4proto, 0);
	parse(&a, get);
	ck_assert_uint_eq(a.cth.has, CTH_HAS_NAME);
	ck_assert_int_eq(a.cmd, NFCT_CMD_GET);
}
END_TEST

/* No protocol database (musl's lacks sctp, udplite, dccp): the names
 * of the protocols with timeout states are still known, and upstream's
 * two extra names. */
START_TEST(no_protocol_db)
{
	static const char *const names[] = { "icmp", "tcp", "udp", "dccp",
		"gre", "ipv6-icmp", "sctp", "udplite", "icmpv6", "generic" };
	static const uint8_t nums[] = { 1, 6, 17, 33, 47, 58, 132, 136, 58,
					255 };
	const char *argv[] = { "nfct", "default-get", "timeout", "inet", NULL,
			       NULL };
	struct nfct_args a;
	struct nfct_args_err err;

	for (size_t i = 0; i < sizeof(nums); i++) {
		argv[4] = names[i];
		ck_assert_int_eq(nfct_args_parse(5, (char *const *)argv, NULL,
						 &a, &err), 0);
		ck_assert_uint_eq(a.tmo.l4proto, nums[i]);
	}
	argv[4] = "esp";
	ck_assert_int_eq(nfct_args_parse(5, (char *const *)argv, NULL, &a,
					 &err), -EINVAL);
	ck_assert_str_eq(err.text, P "unknown layer 4 protocol\n");
	argv[4] = "TCP";
	ck_assert_int_eq(nfct_args_parse(5, (char *const *)argv, NULL, &a,
					 &err), -EINVAL);
	ck_assert_int_eq(nfct_args_parse(0, NULL, &env, &a, &err), -EINVAL);
	ck_assert_str_eq(err.text, USAGE);
}
END_TEST

Suite *nfct_args_suite(void)
{
	Suite *s = suite_create("nfct_args");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, parse_row, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, timeout_objects);
	tcase_add_test(tc, helper_objects);
	tcase_add_test(tc, no_protocol_db);
	suite_add_tcase(s, tc);
	return s;
}
