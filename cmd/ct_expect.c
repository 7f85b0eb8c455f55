// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The expectation table commands (-L/-G/-I/-D/-F/-C/-S expect) on top of
 * ct/expect_table.h, printing through ct/expect_format.h. Upstream goes
 * through libnetfilter_conntrack's nfexp_query(); the requests here are
 * the same: -G asks by CTA_EXPECT_MASTER (the kernel then looks the given
 * tuple up as the expected one), -D by CTA_EXPECT_TUPLE, -I sends master,
 * tuple, mask and timeout, -F is the kernel-wide flush. Differences (spec
 * section 5): -D expect reports "N expectations have been deleted." and
 * exits 0 (upstream: "0 expectations have been shown.", exit 1 always);
 * -F expect reports a failure instead of announcing an emptied table;
 * -L/-G expect -o xml print the header and footer even for zero entries.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "cmd/ct_expect.h"
#include "cmd/ct_run.h"
#include "ct/expect_format.h"
#include "ct/expect_table.h"
#include "ct/format.h"
#include "ct/stats.h"
#include "nl/sock.h"

static int fail(const struct ct_ctx *c, const struct ct_args *a, int rc)
{
	if (a->cmd == CT_CMD_EXP_CREATE && rc == -ENOENT)
		ct_fail_msg(c, "master conntrack not found");
	else
		ct_fail_msg(c, ct_err2str(-rc, a->cmd));
	return CT_EXIT_OTHER;
}

static int open_sock(struct ct_ctx *c)
{
	if (c->sock)
		return 0;
	if (nl_sock_open(&c->sock, NULL) < 0) {
		ct_msg("Can't open handler");
		return -1;
	}
	return 0;
}

void ct_expect_cmd_json(const char *obj, const char *time, const char *tail)
{
	size_t n = strlen(obj);

	if (n < 2 || obj[0] != '{' || obj[n - 1] != '}') {
		printf("%s\n", obj);
		return;
	}
	fputc('{', stdout);
	if (time)
		printf("\"time\":%s%s", time, n > 2 ? "," : "");
	fwrite(obj + 1, 1, n - 2, stdout);
	if (tail)
		fputs(n > 2 || time ? tail : tail + 1, stdout);
	fputs("}\n", stdout);
}

void ct_expect_cmd_print(const struct ct_args *a, const struct ct_expect *x,
			 enum ct_fmt_event ev)
{
	struct ct_fmt_opts o = { .event = ev };
	char buf[4096], pre[64] = "", tm[32];
	unsigned int out = a->output;
	struct timeval tv = { 0 };
	int r;

	if (out & CT_OUT_TMS) {
		gettimeofday(&tv, NULL);
		if (out & CT_OUT_XML)
			o.flags |= CT_FMT_XML_WHEN;
		else if (!(out & CT_OUT_JSON))
			ct_format_ts_prefix(pre, sizeof(pre), CT_TS_EXPECT,
					    tv.tv_sec, tv.tv_usec);
	}
	if (out & CT_OUT_JSON) {
		r = ct_expect_format_json(buf, sizeof(buf), x, &o);
		if (r < 0)
			return;
		snprintf(tm, sizeof(tm), "%lld.%06ld", (long long)tv.tv_sec,
			 (long)tv.tv_usec);
		ct_expect_cmd_json(buf, (out & CT_OUT_TMS) ? tm : NULL, NULL);
		return;
	}
	/* upstream's 1024-byte line buffer (truncates, as it does) */
	if (out & CT_OUT_XML)
		r = ct_expect_format_xml(buf, 1024, x, &o);
	else
		r = ct_expect_format_default(buf, 1024, x, &o);
	if (r < 0 && r != -ENOSPC)
		return;
	printf("%s%s\n", pre, buf);
}

/* ---- -L / -G expect ---------------------------------------------------- */

static int xml_doc(const struct ct_args *a)
{
	return (a->output & CT_OUT_XML) && !(a->output & CT_OUT_JSON);
}

struct lister {
	const struct ct_args *a;
	unsigned long n;
	int header;		/* XML header still to print (-G) */
};

static int print_cb(const struct ct_expect *x, const struct nlmsghdr *nlh,
		    void *arg)
{
	struct lister *l = arg;

	if (l->header) {
		printf("%s\n", ct_format_xml_header(CT_XML_EXPECT));
		l->header = 0;
	}
	ct_expect_cmd_print(l->a, x, CT_FMT_EV_NONE);
	l->n++;
	return 0;
}

int ct_expect_cmd_list(struct ct_ctx *c, const struct ct_args *a)
{
	struct lister l = { a, 0, 0 };
	int rc;

	if (open_sock(c) < 0)
		return CT_EXIT_OTHER;
	if (xml_doc(a))
		printf("%s\n", ct_format_xml_header(CT_XML_EXPECT));
	rc = ct_expect_dump(c->sock, (uint8_t)a->family, NULL, print_cb, &l,
			    NULL, NULL);
	if (xml_doc(a))
		printf("%s\n", ct_format_xml_footer(CT_XML_EXPECT));
	fflush(stdout);
	if (rc < 0)
		return fail(c, a, rc);
	ct_msg("%lu expectations have been shown.", l.n);
	return 0;
}

int ct_expect_cmd_get(struct ct_ctx *c, const struct ct_args *a)
{
	struct lister l = { a, 0, xml_doc(a) };
	struct ct_expect key = { 0 };
	int rc;

	if (open_sock(c) < 0)
		return CT_EXIT_OTHER;
	/* upstream sets ATTR_EXP_MASTER: the kernel looks it up as the
	 * expected tuple */
	key.family = (uint8_t)a->family;
	key.master = a->tmpl.orig;
	key.set = CT_EXP_MASTER;
	rc = ct_expect_get(c->sock, &key, print_cb, &l, NULL);
	if (l.n && xml_doc(a))	/* upstream leaves the document open */
		printf("%s\n", ct_format_xml_footer(CT_XML_EXPECT));
	fflush(stdout);
	if (rc < 0)
		return fail(c, a, rc);
	return 0;
}

/* ---- -I expect --------------------------------------------------------- */

/* The expected tuple or mask of the command line: l3 from the addresses
 * (else the command's family), l4 from -p. */
static void exp_tuple(const struct ct_args *a, struct ct_tuple *t)
{
	if (!t->l3)
		t->l3 = (uint8_t)a->family;
	t->l4 = a->protonum;
	t->set |= CT_TUPLE_PROTO;
}

int ct_expect_cmd_create(struct ct_ctx *c, const struct ct_args *a)
{
	struct ct_expect x = { 0 };
	int rc;

	if (open_sock(c) < 0)
		return CT_EXIT_OTHER;
	x.family = (uint8_t)a->family;
	x.master = a->tmpl.orig;
	x.tuple = a->exp_tuple;
	x.mask = a->exp_mask;
	exp_tuple(a, &x.tuple);
	exp_tuple(a, &x.mask);
	x.timeout = a->tmpl.timeout;
	x.set = CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK | CT_EXP_TIMEOUT;
	rc = ct_expect_create(c->sock, &x, NLM_F_CREATE | NLM_F_EXCL, NULL);
	if (rc < 0)
		return fail(c, a, rc);
	return 0;
}

/* ---- -D / -F expect ---------------------------------------------------- */

int ct_expect_cmd_delete(struct ct_ctx *c, const struct ct_args *a)
{
	struct ct_expect key = { 0 };
	int rc;

	if (open_sock(c) < 0)
		return CT_EXIT_OTHER;
	key.family = (uint8_t)a->family;
	key.tuple = a->tmpl.orig;
	key.set = CT_EXP_TUPLE;
	rc = ct_expect_delete(c->sock, &key, NULL);
	if (rc < 0)
		return fail(c, a, rc);
	ct_msg("1 expectations have been deleted.");
	return 0;
}

int ct_expect_cmd_flush(struct ct_ctx *c, const struct ct_args *a)
{
	int rc;

	if (open_sock(c) < 0)
		return CT_EXIT_OTHER;
	/* the kernel's flush ignores the family: every expectation goes */
	rc = ct_expect_flush(c->sock, 0, NULL, NULL, NULL);
	if (rc < 0)
		return fail(c, a, rc);
	ct_msg("expectation table has been emptied.");
	return 0;
}

/* ---- -C / -S expect ---------------------------------------------------- */

int ct_expect_cmd_count(struct ct_ctx *c, const struct ct_args *a)
{
	uint32_t n;
	int rc;

	if (open_sock(c) < 0)
		return CT_EXIT_OTHER;
	rc = ct_expect_count(c->sock, 0, &n, NULL);
	if (rc < 0)
		return fail(c, a, rc);
	printf("%u\n", n);
	return 0;
}

static int stats_cb(const struct ct_stats_cpu *st, void *arg)
{
	char buf[256];

	if (ct_format_stats(buf, sizeof(buf), st, CT_STATS_EXPECT) >= 0)
		printf("%s\n", buf);
	return 0;
}

int ct_expect_cmd_stats(struct ct_ctx *c, const struct ct_args *a)
{
	if (open_sock(c) < 0)
		return CT_EXIT_OTHER;
	if (ct_expect_stats(c->sock, stats_cb, NULL, NULL) < 0) {
		ct_msg("Can't open /proc interface");
		return CT_EXIT_OTHER;
	}
	return 0;
}
