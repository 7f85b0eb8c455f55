// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Table size and per-cpu statistics. The count is one GET_STATS request
 * (Linux 4.11+) or, before that, the nf_conntrack_count sysctl; the
 * per-cpu counters are a dump with one message per CPU whose nfgenmsg
 * res_id is the CPU number.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct/stats.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/sock.h"
#include "nl/uapi.h"

#define COUNT_PROC "/proc/sys/net/netfilter/nf_conntrack_count"

static const size_t nfhdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));

static const struct nl_attr_policy global_pol[CTA_STATS_GLOBAL_MAX + 1] = {
	[CTA_STATS_GLOBAL_ENTRIES] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_GLOBAL_MAX_ENTRIES] = { .kind = NL_ATTR_U32 },
};

#define S32 { .kind = NL_ATTR_U32 }
/* Every CTA_STATS_* type, known or future, is a be32 counter. */
static const struct nl_attr_policy cpu_pol[CT_STATS_NVAL] = {
	[1] = S32, [2] = S32, [3] = S32, [4] = S32, [5] = S32, [6] = S32,
	[7] = S32, [8] = S32, [9] = S32, [10] = S32, [11] = S32, [12] = S32,
	[13] = S32, [14] = S32, [15] = S32, [16] = S32, [17] = S32,
	[18] = S32, [19] = S32, [20] = S32, [21] = S32, [22] = S32,
	[23] = S32, [24] = S32, [25] = S32, [26] = S32, [27] = S32,
	[28] = S32, [29] = S32, [30] = S32, [31] = S32,
};

static const struct nl_attr_policy exp_pol[CTA_STATS_EXP_MAX + 1] = {
	[CTA_STATS_EXP_NEW] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_EXP_CREATE] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_EXP_DELETE] = { .kind = NL_ATTR_U32 },
};

/* The attribute stream after the nfgenmsg, indexed by @pol into @tb. */
static int parse(const struct nlmsghdr *nlh, const struct nl_attr_policy *pol,
		 uint16_t max, const struct nlattr **tb, struct nfgenmsg *g,
		 struct nl_attr_err *err)
{
	struct nlmsghdr h;

	memcpy(&h, nlh, sizeof(h));
	if (h.nlmsg_len < nfhdr) {
		if (err)
			*err = (struct nl_attr_err){ .msg = "short message" };
		return -EBADMSG;
	}
	memcpy(g, (const unsigned char *)nlh + NLMSG_HDRLEN, sizeof(*g));
	return nl_attr_parse((const unsigned char *)nlh + nfhdr,
			     h.nlmsg_len - nfhdr, pol, max, tb, 0, err);
}

int ct_stats_count_decode(const struct nlmsghdr *nlh, uint32_t *count,
			  uint32_t *max, struct nl_attr_err *err)
{
	const struct nlattr *tb[CTA_STATS_GLOBAL_MAX + 1];
	struct nfgenmsg g;
	int rc;

	rc = parse(nlh, global_pol, CTA_STATS_GLOBAL_MAX, tb, &g, err);
	if (rc < 0)
		return rc;
	if (!tb[CTA_STATS_GLOBAL_ENTRIES]) {
		if (err)
			*err = (struct nl_attr_err){ .msg = "no entry count" };
		return -EBADMSG;
	}
	*count = nl_attr_get_be32(tb[CTA_STATS_GLOBAL_ENTRIES]);
	if (tb[CTA_STATS_GLOBAL_MAX_ENTRIES])
		*max = nl_attr_get_be32(tb[CTA_STATS_GLOBAL_MAX_ENTRIES]);
	return 0;
}

/* Counters 1..@max of @tb into @st. */
static int cpu_decode(const struct nlmsghdr *nlh,
		      const struct nl_attr_policy *pol, uint16_t max,
		      struct ct_stats_cpu *st, struct nl_attr_err *err)
{
	const struct nlattr *tb[CT_STATS_NVAL];
	struct nfgenmsg g;
	int rc;

	rc = parse(nlh, pol, max, tb, &g, err);
	if (rc < 0)
		return rc;
	memset(st, 0, sizeof(*st));
	st->cpu = ntohs(g.res_id);
	for (unsigned int t = 1; t <= max; t++) {
		if (!tb[t])
			continue;
		st->val[t] = nl_attr_get_be32(tb[t]);
		st->present |= 1U << t;
	}
	return 0;
}

int ct_stats_cpu_decode(const struct nlmsghdr *nlh, struct ct_stats_cpu *st,
			struct nl_attr_err *err)
{
	return cpu_decode(nlh, cpu_pol, CT_STATS_NVAL - 1, st, err);
}

int ct_stats_exp_decode(const struct nlmsghdr *nlh, struct ct_stats_cpu *st,
			struct nl_attr_err *err)
{
	return cpu_decode(nlh, exp_pol, CTA_STATS_EXP_MAX, st, err);
}

struct count_ctx {
	uint32_t count, max;
	int got;
};

static int count_data(const struct nlmsghdr *nlh, void *arg)
{
	struct count_ctx *c = arg;
	int rc;

	rc = ct_stats_count_decode(nlh, &c->count, &c->max, NULL);
	if (rc == 0)
		c->got = 1;
	return rc;
}

static int count_proc(uint32_t *count)
{
	char buf[32], *end;
	unsigned long v;
	ssize_t n;
	int fd;

	fd = open(COUNT_PROC, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EBADMSG;
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > UINT32_MAX)
		return -EBADMSG;
	*count = (uint32_t)v;
	return 0;
}

int ct_table_count(struct nl_sock *s, uint32_t *count, uint32_t *max,
		   struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[64];
	struct count_ctx c = { 0 };
	struct nl_msg m;
	int rc;

	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
			       IPCTNL_MSG_CT_GET_STATS, 0,
			       nl_sock_seq_next(s), 0);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	rc = nl_query(s, &m, count_data, &c, ack);
	if (rc == -EOPNOTSUPP || rc == -EINVAL) {
		/* no GET_STATS in this kernel */
		if (max)
			*max = 0;
		return count_proc(count);
	}
	if (rc < 0)
		return rc;
	if (!c.got)
		return -EBADMSG;
	*count = c.count;
	if (max)
		*max = c.max;
	return 0;
}

struct stats_ctx {
	int (*decode)(const struct nlmsghdr *, struct ct_stats_cpu *,
		      struct nl_attr_err *);
	ct_stats_cb cb;
	void *arg;
};

static int stats_data(const struct nlmsghdr *nlh, void *arg)
{
	struct stats_ctx *c = arg;
	struct ct_stats_cpu st;
	int rc;

	rc = c->decode(nlh, &st, NULL);
	if (rc < 0)
		return rc;
	return c->cb ? c->cb(&st, c->arg) : 0;
}

/* The per-cpu dump of @subsys / @cmd, each message through @decode. */
static int stats_dump(struct nl_sock *s, uint8_t subsys, uint8_t cmd,
		      int (*decode)(const struct nlmsghdr *,
				    struct ct_stats_cpu *,
				    struct nl_attr_err *),
		      ct_stats_cb cb, void *arg, struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[64];
	struct stats_ctx c = { .decode = decode, .cb = cb, .arg = arg };
	struct nl_msg m;
	int rc;

	nl_ack_clear(ack);
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, subsys, cmd, NLM_F_DUMP,
			       nl_sock_seq_next(s), 0);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	return nl_query(s, &m, stats_data, &c, ack);
}

int ct_table_stats(struct nl_sock *s, ct_stats_cb cb, void *arg,
		   struct nl_ack *ack)
{
	return stats_dump(s, NFNL_SUBSYS_CTNETLINK,
			  IPCTNL_MSG_CT_GET_STATS_CPU, ct_stats_cpu_decode,
			  cb, arg, ack);
}

/* The kernel sends these with NFNL_SUBSYS_CTNETLINK in the type (a
 * quirk of ctnetlink_exp_stat_fill_info), so ct_stats_exp_decode() does
 * not check the subsystem; unknown future counters are skipped. */
int ct_expect_stats(struct nl_sock *s, ct_stats_cb cb, void *arg,
		    struct nl_ack *ack)
{
	return stats_dump(s, NFNL_SUBSYS_CTNETLINK_EXP,
			  IPCTNL_MSG_EXP_GET_STATS_CPU, ct_stats_exp_decode,
			  cb, arg, ack);
}
