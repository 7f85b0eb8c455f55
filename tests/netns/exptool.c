// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exptool: drives the ct/expect_table.h operations against the real
 * kernel for tests/netns/t_expect.sh, prints through ct/expect_format.h,
 * and captures raw expectation dump datagrams as hex for the unit-test
 * fixtures. Run it inside a scratch namespace only: it creates, deletes
 * and flushes expectations. Tuples are tcp, "SRC DST SPORT DPORT".
 *
 *   exptool list [xml|json] [--family 4|6] [--master SRC DST SPORT DPORT]
 *   exptool get SRC DST SPORT DPORT        the expectation with this
 *                                          tuple (exit 2: ENOENT)
 *   exptool delete SRC DST SPORT DPORT     "deleted=1" (exit 2: ENOENT)
 *   exptool flush [--family 4|6] [--helper NAME]   "deleted=N|all"
 *   exptool count [--family 4|6]
 *   exptool stats                          the -S expect lines
 *   exptool create MSRC MDST MSPORT MDPORT TSRC TDST TSPORT TDPORT
 *        [--timeout N] [--flags N] [--class N] [--helper NAME]
 *        [--zone N] [--nat DIR ADDR PORT] [--fn NAME]
 *        mask: all-ones addresses, source port 0, destination port 65535.
 *        "created", or "error=ERRNO" and exit 3 (2 for ENOENT)
 *   exptool capture                        the dump, one hex line per
 *                                          datagram
 * Kernel errors also go to stderr with their extended-ack text.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/expect_format.h"
#include "ct/expect_table.h"
#include "ct/format.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/sock.h"
#include "tests/netns/hexcap.h"

static int report(const char *what, int rc, const struct nl_ack *ack)
{
	fprintf(stderr, "exptool: %s: %s%s%s\n", what, strerror(-rc),
		ack && ack->ext_msg[0] ? ": " : "",
		ack && ack->ext_msg[0] ? ack->ext_msg : "");
	return rc == -ENOENT ? 2 : 3;
}

/* "SRC DST SPORT DPORT" at argv[i..i+3] as a tcp tuple. */
static int parse_tuple(char **argv, int i, struct ct_tuple *t)
{
	uint8_t l3 = strchr(argv[i], ':') ? AF_INET6 : AF_INET;

	memset(t, 0, sizeof(*t));
	t->l3 = l3;
	t->l4 = IPPROTO_TCP;
	if (inet_pton(l3, argv[i], &t->src) != 1 ||
	    inet_pton(l3, argv[i + 1], &t->dst) != 1)
		return -EINVAL;
	t->sport = (uint16_t)atoi(argv[i + 2]);
	t->dport = (uint16_t)atoi(argv[i + 3]);
	t->set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO |
		 CT_TUPLE_SPORT | CT_TUPLE_DPORT;
	return 0;
}

static uint8_t family_arg(const char *s)
{
	return !strcmp(s, "6") ? AF_INET6 : AF_INET;
}

enum style { STYLE_DEFAULT, STYLE_XML, STYLE_JSON };

static int print_cb(const struct ct_expect *x, const struct nlmsghdr *nlh,
		    void *arg)
{
	const enum style *st = arg;
	struct ct_fmt_opts o = { 0 };
	char line[1024];
	int n;

	(void)nlh;
	if (*st == STYLE_XML)
		n = ct_expect_format_xml(line, sizeof(line), x, &o);
	else if (*st == STYLE_JSON)
		n = ct_expect_format_json(line, sizeof(line), x, &o);
	else
		n = ct_expect_format_default(line, sizeof(line), x, &o);
	if (n < 0)
		return n;
	printf("%s\n", line);
	return 0;
}

static int cmd_list(struct nl_sock *s, int argc, char **argv)
{
	enum style st = STYLE_DEFAULT;
	struct ct_tuple master, *mp = NULL;
	struct nl_ack ack;
	uint8_t family = 0;
	int rc, i = 2;

	if (i < argc && !strcmp(argv[i], "xml"))
		st = STYLE_XML, i++;
	else if (i < argc && !strcmp(argv[i], "json"))
		st = STYLE_JSON, i++;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--family") && i + 1 < argc) {
			family = family_arg(argv[++i]);
		} else if (!strcmp(argv[i], "--master") && i + 4 < argc) {
			if (parse_tuple(argv, i + 1, &master) < 0)
				return 64;
			mp = &master;
			i += 4;
		} else {
			return 64;
		}
	}
	if (st == STYLE_XML)
		printf("%s\n", ct_format_xml_header(CT_XML_EXPECT));
	rc = ct_expect_dump(s, family, mp, print_cb, &st, NULL, &ack);
	if (rc < 0)
		return report("dump", rc, &ack);
	if (st == STYLE_XML)
		printf("%s\n", ct_format_xml_footer(CT_XML_EXPECT));
	return 0;
}

static int cmd_key(struct nl_sock *s, char **argv, int del)
{
	enum style st = STYLE_DEFAULT;
	struct ct_expect key = { 0 };
	struct nl_ack ack;
	int rc;

	if (parse_tuple(argv, 2, &key.tuple) < 0)
		return 64;
	key.family = key.tuple.l3;
	key.set = CT_EXP_TUPLE;
	if (del)
		rc = ct_expect_delete(s, &key, &ack);
	else
		rc = ct_expect_get(s, &key, print_cb, &st, &ack);
	if (rc < 0)
		return report(del ? "delete" : "get", rc, &ack);
	if (del)
		printf("deleted=1\n");
	return 0;
}

static int cmd_flush(struct nl_sock *s, int argc, char **argv)
{
	const char *helper = NULL;
	uint8_t family = 0;
	struct nl_ack ack;
	uint64_t n = 0;
	int rc;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--family") && i + 1 < argc)
			family = family_arg(argv[++i]);
		else if (!strcmp(argv[i], "--helper") && i + 1 < argc)
			helper = argv[++i];
		else
			return 64;
	}
	rc = ct_expect_flush(s, family, helper, &n, &ack);
	if (rc < 0)
		return report("flush", rc, &ack);
	if (n == UINT64_MAX)
		printf("deleted=all\n");
	else
		printf("deleted=%llu\n", (unsigned long long)n);
	return 0;
}

static int stats_cb(const struct ct_stats_cpu *st, void *arg)
{
	char line[256];

	(void)arg;
	if (ct_format_stats(line, sizeof(line), st, CT_STATS_EXPECT) < 0)
		return -ENOSPC;
	printf("%s\n", line);
	return 0;
}

static int cmd_misc(struct nl_sock *s, int argc, char **argv)
{
	struct nl_ack ack;
	uint32_t count;
	int rc;

	if (!strcmp(argv[1], "stats")) {
		rc = ct_expect_stats(s, stats_cb, NULL, &ack);
		return rc < 0 ? report("stats", rc, &ack) : 0;
	}
	rc = ct_expect_count(s, argc == 4 ? family_arg(argv[3]) : 0, &count,
			     &ack);
	if (rc < 0)
		return report("count", rc, &ack);
	printf("%u\n", count);
	return 0;
}

static int cmd_create(struct nl_sock *s, int argc, char **argv)
{
	struct ct_expect x = { 0 };
	struct nl_ack ack;
	int rc;

	if (argc < 10 || parse_tuple(argv, 2, &x.master) < 0 ||
	    parse_tuple(argv, 6, &x.tuple) < 0)
		return 64;
	x.family = x.tuple.l3;
	x.mask = x.tuple;
	memset(&x.mask.src, 0xff, sizeof(x.mask.src));
	memset(&x.mask.dst, 0xff, sizeof(x.mask.dst));
	x.mask.sport = 0;
	x.mask.dport = 0xffff;
	x.set = CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK;
	for (int i = 10; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return 64;
		if (!strcmp(argv[i], "--timeout")) {
			x.timeout = (uint32_t)strtoul(v, NULL, 0);
			x.set |= CT_EXP_TIMEOUT;
		} else if (!strcmp(argv[i], "--flags")) {
			x.flags = (uint32_t)strtoul(v, NULL, 0);
			x.set |= CT_EXP_FLAGS;
		} else if (!strcmp(argv[i], "--class")) {
			x.class = (uint32_t)strtoul(v, NULL, 0);
			x.set |= CT_EXP_CLASS;
		} else if (!strcmp(argv[i], "--helper")) {
			x.helper = v;
			x.set |= CT_EXP_HELPER;
		} else if (!strcmp(argv[i], "--zone")) {
			x.zone = (uint16_t)strtoul(v, NULL, 0);
			x.set |= CT_EXP_ZONE;
		} else if (!strcmp(argv[i], "--fn")) {
			x.fn = v;
			x.set |= CT_EXP_FN;
		} else if (!strcmp(argv[i], "--nat") && i + 3 < argc) {
			x.nat_dir = (uint8_t)atoi(v);
			x.nat_tuple = x.tuple;
			x.nat_tuple.set = CT_TUPLE_SRC | CT_TUPLE_DST |
					  CT_TUPLE_PROTO | CT_TUPLE_SPORT |
					  CT_TUPLE_DPORT;
			if (inet_pton(x.tuple.l3, argv[i + 2],
				      &x.nat_tuple.src) != 1)
				return 64;
			memset(&x.nat_tuple.dst, 0, sizeof(x.nat_tuple.dst));
			x.nat_tuple.sport = (uint16_t)atoi(argv[i + 3]);
			x.nat_tuple.dport = 0;
			x.set |= CT_EXP_NAT;
			i += 2;
		} else {
			return 64;
		}
	}
	rc = ct_expect_create(s, &x, NLM_F_CREATE | NLM_F_EXCL, &ack);
	if (rc < 0) {
		printf("error=%d\n", -rc);
		return report("create", rc, &ack);
	}
	printf("created\n");
	return 0;
}

static int cmd_capture(struct nl_sock *s)
{
	_Alignas(4) unsigned char buf[64];
	struct nl_msg m;
	int n;

	nl_msg_init(&m, buf, sizeof(buf));
	if (nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
			      IPCTNL_MSG_EXP_GET, NLM_F_DUMP,
			      nl_sock_seq_next(s), 0) < 0)
		return 1;
	nl_msg_end(&m);
	if (nl_sock_send(s, m.buf, m.len) < 0)
		return 1;
	n = hexcap_answer(s);
	return n < 0 ? report("recv", n, NULL) : 0;
}

int main(int argc, char **argv)
{
	struct nl_sock *s = NULL;
	const char *cmd;
	int rc;

	if (argc < 2)
		goto usage;
	cmd = argv[1];
	rc = nl_sock_open(&s, NULL);
	if (rc < 0)
		return report("socket", rc, NULL), 1;
	if (!strcmp(cmd, "list"))
		rc = cmd_list(s, argc, argv);
	else if ((!strcmp(cmd, "get") || !strcmp(cmd, "delete")) &&
		 argc == 6)
		rc = cmd_key(s, argv, cmd[0] == 'd');
	else if (!strcmp(cmd, "flush"))
		rc = cmd_flush(s, argc, argv);
	else if (!strcmp(cmd, "stats") && argc == 2)
		rc = cmd_misc(s, argc, argv);
	else if (!strcmp(cmd, "count") &&
		 (argc == 2 || (argc == 4 && !strcmp(argv[2], "--family"))))
		rc = cmd_misc(s, argc, argv);
	else if (!strcmp(cmd, "create"))
		rc = cmd_create(s, argc, argv);
	else if (!strcmp(cmd, "capture") && argc == 2)
		rc = cmd_capture(s);
	else
		rc = 64;
	nl_sock_close(s);
	if (rc != 64)
		return rc;
usage:
	fprintf(stderr, "usage: exptool list|get|delete|flush|count|stats|"
		"create|capture ... (see tests/netns/exptool.c)\n");
	return 64;
}
