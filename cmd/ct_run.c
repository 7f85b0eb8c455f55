// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conntrack commands: -L (and the dying/unconfirmed lists), -G, -I,
 * -A, -D, -U, -F, -C, -S, -V, -h, dispatched through a table. -D and -U
 * stream a dump (kernel-filtered where the kernel can) through the
 * userspace filter and pipeline their per-entry requests on a second
 * socket; an entry that vanished meanwhile is not an error. A -D naming a
 * complete tuple and its zone goes straight to the entry.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/ct_event.h"
#include "cmd/ct_expect.h"
#include "cmd/ct_run.h"
#include "cmd/ct_usage.h"
#include "ct/batch.h"
#include "ct/filter.h"
#include "ct/format.h"
#include "ct/labels.h"
#include "ct/stats.h"
#include "ct/table.h"
#include "nl/sock.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

/* One line on stderr, in one write where it fits (stderr is unbuffered:
 * piecewise, lines of processes sharing a log could interleave): room for
 * the banner, "line N: " and the longest parse error. */
void ct_msg(const char *fmt, ...)
{
	char line[CT_ARGS_MSG_MAX + 128];
	va_list ap;
	int n, m;

	n = snprintf(line, sizeof(line), "%s v%s (conntrack-tools): ",
		     CT_PROGNAME, CT_VERSION);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (m >= 0 && (size_t)m + 1 < sizeof(line) - (size_t)n) {
		line[n + m] = '\n';
		fwrite(line, 1, (size_t)(n + m + 1), stderr);
		return;
	}
	fwrite(line, 1, (size_t)n, stderr);	/* too long: as it comes */
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

unsigned long ct_env_us(const char *name, unsigned long def,
			unsigned long max)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (!s)
		return def;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		ct_msg("WARNING: ignoring %s=%s (0 to %lu)", name, s, max);
		return def;
	}
	return v;
}

int ct_report(const struct ct_args *a, const struct ct_args_err *err)
{
	for (unsigned int i = 0; a && i < a->nwarn; i++)
		fprintf(stderr, "%s\n", a->warn[i]);
	ct_msg("%s", err->msg);
	if (err->status == CT_EXIT_PARAM)
		fprintf(stderr, "Try `%s -h' or '%s --help' for more "
			"information.\n", CT_PROGNAME, CT_PROGNAME);
	return err->status;
}

const struct ct_labelmap *ct_ctx_labelmap(void *ctx, char *notice,
					  size_t len)
{
	struct ct_ctx *c = ctx;
	int r;

	if (!c->labels_tried) {
		c->labels_tried = 1;
		r = ct_labelmap_load(&c->labels, NULL, 0, NULL);
		if (r < 0 && r != -ENODATA)
			snprintf(notice, len, "nfct_labelmap_new: %s",
				 strerror(-r));
	}
	return c->labels;
}

const struct ct_labelmap *ct_ctx_labels_for(struct ct_ctx *c,
					    unsigned int out,
					    const struct ct_entry *e)
{
	char notice[96];

	if ((out & CT_OUT_SAVE) && (e->set & CT_LABELS) && !c->labels_tried)
		(void)ct_ctx_labelmap(c, notice, sizeof(notice));
	return c->labels;
}

const char *ct_err2str(int err, unsigned int cmd)
{
	int create = cmd == CT_CMD_CREATE || cmd == CT_CMD_ADD;

	if (cmd == CT_CMD_LIST && err == ENOTSUPP)
		return "function not implemented";
	/* upstream's EINVAL row has the command mask 0xFFFF, bits 0..15:
	 * not -A (bit 19), which gets strerror's "Invalid argument" */
	if (err == EINVAL && cmd < CT_CMD_EXP_COUNT)
		return "invalid parameters";
	if (cmd == CT_CMD_CREATE && err == EEXIST)
		return "Such conntrack exists, try -U to update";
	if ((create || cmd == CT_CMD_GET || cmd == CT_CMD_DELETE) &&
	    err == ENOENT)
		return "such conntrack doesn't exist";
	if ((create || cmd == CT_CMD_GET) && err == ENOMEM)
		return "not enough memory";
	if (cmd == CT_CMD_GET && err == EAFNOSUPPORT)
		return "protocol not supported";
	if (create && err == ETIME)
		return "conntrack has expired";
	if (err == EPERM)
		return "sorry, you must be root or get CAP_NET_ADMIN "
		       "capability to do this";
	return strerror(err);
}

void ct_fail_msg(const struct ct_ctx *c, const char *text)
{
	if (c->lineno)
		ct_msg("line %u: Operation failed: %s", c->lineno, text);
	else
		ct_msg("Operation failed: %s", text);
}

static int fail(const struct ct_ctx *c, const struct ct_args *a, int rc)
{
	ct_fail_msg(c, ct_err2str(-rc, a->cmd));
	return CT_EXIT_OTHER;
}

static int open_sock(struct nl_sock **s)
{
	if (*s)
		return 0;
	if (nl_sock_open(s, NULL) < 0) {
		ct_msg("Can't open handler");
		return -1;
	}
	return 0;
}

/* ---- printing ---------------------------------------------------------- */

struct printer {
	const struct ct_args *a;
	struct ct_ctx *c;
	enum ct_fmt_event ev;
	size_t len;			/* upstream's line buffer size */
	unsigned long counter;
};

static int format_line(const struct printer *pr, char *buf, size_t len,
		       const struct ct_entry *e)
{
	struct ct_fmt_opts o = { .event = pr->ev };
	unsigned int out = pr->a->output;
	int r;

	if (out & CT_OUT_EXT)
		o.flags |= CT_FMT_EXTENDED;
	if (out & CT_OUT_ID)
		o.flags |= CT_FMT_ID;
	if ((out & CT_OUT_KTMS) && pr->a->cmd != CT_CMD_DELETE)
		o.flags |= CT_FMT_KTIMESTAMP;
	o.labels = ct_ctx_labels_for(pr->c, out, e);
	if (out & CT_OUT_SAVE) {
		if (o.event == CT_FMT_EV_NONE)
			o.event = CT_FMT_EV_NEW;
		r = ct_format_save(buf, len, e, &o);
		if (r == -EAFNOSUPPORT) {
			fprintf(stderr, "WARNING: unsupported l3proto %d, "
				"skipping.\n", e->orig.l3 ? e->orig.l3 :
				e->reply.l3);
			buf[0] = '\0';
			return 0;
		}
	} else if (out & CT_OUT_JSON) {
		r = ct_format_json(buf, len, e, &o);
	} else if (out & CT_OUT_XML) {
		r = ct_format_xml(buf, len, e, &o);
	} else {
		r = ct_format_default(buf, len, e, &o);
	}
	return r == -ENOSPC ? 0 : r;
}

static void print_entry(struct printer *pr, const struct ct_entry *e)
{
	char buf[4096];

	if (format_line(pr, buf, pr->len, e) >= 0)
		printf("%s\n", buf);
}

/* ---- -L ---------------------------------------------------------------- */

static int list_cb(const struct ct_entry *e, const struct nlmsghdr *nlh,
		   void *arg)
{
	struct printer *pr = arg;

	if (!ct_filter_match(&pr->a->filter, e))
		return 0;
	print_entry(pr, e);
	pr->counter++;
	return 0;
}

static int summary(const struct ct_ctx *c, const char *what,
		   unsigned long n, int zero_ok)
{
	if (c->load_file)
		return 0;
	ct_msg("%lu flow entries have been %s.", n, what);
	return n == 0 && !zero_ok ? CT_EXIT_OTHER : 0;
}

static int do_list(struct ct_ctx *c, const struct ct_args *a)
{
	struct printer pr = { a, c, CT_FMT_EV_NONE, 4096, 0 };
	struct ct_kfilter kf;
	struct ct_dump d = { 0 };
	int rc, xml = (a->output & CT_OUT_XML) && !(a->output & CT_OUT_SAVE);

	if (open_sock(&c->sock) < 0)
		return CT_EXIT_OTHER;
	ct_filter_kernel(&a->filter, &kf, true);
	d.list = a->table == CT_TABLE_DYING ? CT_LIST_DYING :
		 a->table == CT_TABLE_UNCONFIRMED ? CT_LIST_UNCONFIRMED :
		 CT_LIST_CONNTRACK;
	d.zero = !!(a->options & CT_OPT_ZERO);
	d.filter = c->no_kfilter ? NULL : &kf;
	d.kfilter = c->kfilter;
	d.retries = 3;
	d.piped = c->no_pipe ? CT_DUMP_PLAIN : CT_DUMP_PIPED;
	d.pipe_hold_us = c->pipe_hold_us;
	d.cb = list_cb;
	d.arg = &pr;
	/* -o xml: a complete document even for zero entries (spec 5) */
	if (xml)
		printf("%s\n", ct_format_xml_header(CT_XML_CONNTRACK));
	rc = ct_table_dump(c->sock, &d, NULL);
	c->kfilter = d.kfilter;
	if (xml)
		printf("%s\n", ct_format_xml_footer(CT_XML_CONNTRACK));
	fflush(stdout);
	if (rc == -EINTR) {
		ct_fail_msg(c, "dump interrupted, the table changed while it "
			    "was read");
		return CT_EXIT_OTHER;
	}
	if (rc < 0)
		return fail(c, a, rc);
	return summary(c, "shown", pr.counter, 1);
}

/* ---- -G ---------------------------------------------------------------- */

static int get_cb(const struct ct_entry *e, const struct nlmsghdr *nlh,
		  void *arg)
{
	struct printer *pr = arg;

	if (!ct_filter_match(&pr->a->filter, e))
		return 0;
	print_entry(pr, e);
	pr->counter++;
	return 0;
}

static int do_get(struct ct_ctx *c, const struct ct_args *a)
{
	struct printer pr = { a, c, CT_FMT_EV_NONE, 4096, 0 };
	struct ct_entry key;
	int rc;

	if (open_sock(&c->sock) < 0)
		return CT_EXIT_OTHER;
	ct_args_key(a, &key);
	rc = ct_table_get(c->sock, &key, get_cb, &pr, NULL);
	if (rc < 0)
		return fail(c, a, rc);
	return summary(c, "shown", pr.counter, 0);
}

/* ---- -I / -A ----------------------------------------------------------- */

static int do_create(struct ct_ctx *c, const struct ct_args *a)
{
	struct ct_entry e;
	uint16_t flags = NLM_F_CREATE;
	int rc;

	if (open_sock(&c->sock) < 0)
		return CT_EXIT_OTHER;
	ct_args_complete(a, &e);
	if (a->cmd == CT_CMD_CREATE)
		flags |= NLM_F_EXCL;
	rc = ct_table_create(c->sock, &e, flags, NULL);
	if (rc < 0)
		return fail(c, a, rc);
	return summary(c, a->cmd == CT_CMD_CREATE ? "created" : "added", 1, 0);
}

/* ---- -F ---------------------------------------------------------------- */

static int do_flush(struct ct_ctx *c, const struct ct_args *a)
{
	struct ct_kfilter kf = { 0 };
	int rc;

	if (open_sock(&c->sock) < 0)
		return CT_EXIT_OTHER;
	kf.family = (uint8_t)a->family;
	rc = ct_table_flush(c->sock, a->family ? &kf : NULL, NULL);
	/* upstream announces success before looking at the result */
	if (rc < 0)
		return fail(c, a, rc);
	ct_msg("connection tracking table has been emptied.");
	return 0;
}

/* ---- -C / -S ----------------------------------------------------------- */

static int do_count(struct ct_ctx *c, const struct ct_args *a)
{
	uint32_t n;
	int rc;

	if (open_sock(&c->sock) < 0)
		return CT_EXIT_OTHER;
	rc = ct_table_count(c->sock, &n, NULL, NULL);
	if (rc < 0)
		return fail(c, a, rc);
	printf("%u\n", n);
	return 0;
}

static int stats_cb(const struct ct_stats_cpu *st, void *arg)
{
	char buf[1024];

	if (ct_format_stats(buf, sizeof(buf), st, CT_STATS_CONNTRACK) >= 0)
		printf("%s\n", buf);
	return 0;
}

static int do_stats(struct ct_ctx *c, const struct ct_args *a)
{
	int rc;

	if (open_sock(&c->sock) < 0)
		return CT_EXIT_OTHER;
	rc = ct_table_stats(c->sock, stats_cb, NULL, NULL);
	if (rc < 0) {
		ct_msg("Can't open /proc interface");
		return CT_EXIT_OTHER;
	}
	return 0;
}

/* ---- -V / -h / none ---------------------------------------------------- */

static int do_version(struct ct_ctx *c, const struct ct_args *a)
{
	printf("%s v%s (conntrack-tools)\n", CT_PROGNAME, CT_VERSION);
	return 0;
}

static int do_help(struct ct_ctx *c, const struct ct_args *a)
{
	const char *h = ct_args_proto_help(a);

	ct_usage(stdout, c->prog);
	if (a->cmd == CT_CMD_HELP && h)
		printf("Proto `%s' help:\n%s", a->proto_name, h);
	return 0;
}

int ct_modify(struct ct_ctx *c, const struct ct_args *a);

static int (*const commands[CT_CMD_MAX + 1])(struct ct_ctx *,
					     const struct ct_args *) = {
	[CT_CMD_LIST] = do_list,
	[CT_CMD_CREATE] = do_create,
	[CT_CMD_ADD] = do_create,
	[CT_CMD_UPDATE] = ct_modify,
	[CT_CMD_DELETE] = ct_modify,
	[CT_CMD_GET] = do_get,
	[CT_CMD_FLUSH] = do_flush,
	[CT_CMD_EVENT] = ct_event_cmd_run,
	[CT_CMD_VERSION] = do_version,
	[CT_CMD_HELP] = do_help,
	[CT_CMD_EXP_LIST] = ct_expect_cmd_list,
	[CT_CMD_EXP_CREATE] = ct_expect_cmd_create,
	[CT_CMD_EXP_DELETE] = ct_expect_cmd_delete,
	[CT_CMD_EXP_GET] = ct_expect_cmd_get,
	[CT_CMD_EXP_FLUSH] = ct_expect_cmd_flush,
	[CT_CMD_EXP_EVENT] = ct_event_cmd_run,
	[CT_CMD_COUNT] = do_count,
	[CT_CMD_EXP_COUNT] = ct_expect_cmd_count,
	[CT_CMD_STATS] = do_stats,
	[CT_CMD_EXP_STATS] = ct_expect_cmd_stats,
	[CT_CMD_NONE] = do_help,
};

int ct_run(struct ct_ctx *c, const struct ct_args *a)
{
	for (unsigned int i = 0; i < a->nwarn; i++)
		fprintf(stderr, "%s\n", a->warn[i]);
	if (a->cmd > CT_CMD_NONE || !commands[a->cmd])
		return do_help(c, a);
	return commands[a->cmd](c, a);
}

void ct_ctx_close(struct ct_ctx *c)
{
	nl_sock_close(c->sock);
	nl_sock_close(c->mod);
	ct_labelmap_free(c->labels);
	c->sock = c->mod = NULL;
	c->labels = NULL;
}
