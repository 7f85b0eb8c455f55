// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The conntrack table operations. Each builds one request in a stack
 * buffer, runs it through nl_query() and decodes the answers in place.
 * Dumps hand every entry to the caller's callback as it arrives; the
 * kernel-side filter is an optimisation checked again in userspace, so
 * results are exact on kernels that ignore or mis-apply parts of it
 * (both sides of the filter are in ct/table_filter.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ct/decode.h"
#include "ct/encode.h"
#include "ct/proto.h"
#include "ct/table_int.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/pipe.h"
#include "nl/sock.h"

#define REQ_BUF 1024	/* one request: tuples and filters fit easily */

/* ---- dumps ----------------------------------------------------------- */

struct dump_ctx {
	struct ct_dump *d;
	uint64_t pass_matched;	/* d->matched when this pass began */
	int restart;		/* DUMP_INTR before any callback */
	int err;		/* first decode failure */
	struct nl_attr_err ae;
};

static int dump_data(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *c = arg;
	struct ct_dump *d = c->d;
	struct ct_entry e;
	struct nlmsghdr h;
	int rc;

	memcpy(&h, nlh, sizeof(h));
	if ((h.nlmsg_flags & NLM_F_DUMP_INTR) &&
	    d->matched == c->pass_matched &&
	    d->retries)
		c->restart = 1;
	if (c->restart)
		return 0;	/* drain; the dump starts over */
	rc = ct_entry_decode(nlh, &e, &c->ae);
	if (rc < 0) {
		c->err = rc;
		return rc;
	}
	d->seen++;
	if (!ct_kfilter_match(d->filter, &e))
		return 0;
	d->matched++;
	return d->cb ? d->cb(&e, nlh, d->arg) : 0;
}

static const uint8_t list_cmd[] = {
	[CT_LIST_CONNTRACK] = IPCTNL_MSG_CT_GET,
	[CT_LIST_DYING] = IPCTNL_MSG_CT_GET_DYING,
	[CT_LIST_UNCONFIRMED] = IPCTNL_MSG_CT_GET_UNCONFIRMED,
};

static int dump_request(struct nl_msg *m, struct nl_sock *s,
			const struct ct_dump *d, const struct ct_kfilter *f,
			int *used)
{
	uint8_t cmd = list_cmd[d->list];
	int rc;

	*used = 0;
	if (d->list == CT_LIST_CONNTRACK && d->zero)
		cmd = IPCTNL_MSG_CT_GET_CTRZERO;
	rc = nl_msg_begin_nfnl(m, NFNL_SUBSYS_CTNETLINK, cmd, NLM_F_DUMP,
			       nl_sock_seq_next(s), f ? f->family : 0);
	if (rc < 0 || !f)
		return rc;
	if (f->family)
		*used = 1;
	/* the dying and unconfirmed lists filter by family only */
	if (d->list != CT_LIST_CONNTRACK)
		return 0;
	rc = ct_kfilter_put_scalar(m, f, used);
	if (rc == 0 && d->kfilter == CT_KFILTER_YES)
		rc = ct_kfilter_put_tuple(m, f, used);
	return rc;
}

/* The dump requests with kernel filters @kf[i] on sockets @s[i], at once
 * when there are several (or d->piped); on NLM_F_DUMP_INTR before any
 * entry of this pass reached the callback, the pass starts over. */
static int dump_pass(struct nl_sock *const *s, const struct ct_kfilter *const *kf,
		     unsigned int n, struct ct_dump *d, struct dump_ctx *c,
		     struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[2][REQ_BUF];
	uint64_t seen = d->seen, matched = d->matched;
	struct nl_pipe_req pr[2];
	unsigned int tries = 0;
	struct nl_msg m[2];
	int rc, used;

	if (n < 1 || n > 2)
		return -EINVAL;
	for (;;) {
		for (unsigned int i = 0; i < n; i++) {
			nl_msg_init(&m[i], buf[i], sizeof(buf[i]));
			rc = dump_request(&m[i], s[i], d, kf[i], &used);
			if (rc < 0)
				return rc;
			nl_msg_end(&m[i]);
			d->kernel_filtered |= used;
			pr[i].sock = s[i];
			pr[i].req = &m[i];
		}
		d->seen = seen;
		d->matched = matched;
		c->restart = 0;
		c->pass_matched = matched;
		if (n == 1 && d->piped == CT_DUMP_PLAIN)
			rc = nl_query(s[0], &m[0], dump_data, c, ack);
		else
			rc = nl_query_piped(pr, n, d->pipe_hold_us,
					    dump_data, c, ack);
		if (c->restart && rc == -EINTR && tries++ < d->retries)
			continue;
		return rc;
	}
}

/*
 * The kernel takes CTA_FILTER tuples only with a family (EOPNOTSUPP for
 * AF_UNSPEC). When a filter names no family but has tuple parts the
 * kernel could apply, two filtered dumps (IPv4 and IPv6) cost two walks
 * of the hash table but spare filling and copying every entry that does
 * not match. With CT_DUMP_PIPED the two run at once on two sockets and
 * their entries interleave; otherwise IPv4 comes first.
 */
static int wants_split(const struct ct_dump *d)
{
	const struct ct_kfilter *f = d->filter;
	struct ct_tuple t;

	if (!f || f->family != AF_UNSPEC || d->list != CT_LIST_CONNTRACK ||
	    d->kfilter != CT_KFILTER_YES)
		return 0;
	return (f->orig.set &&
		ct_kfilter_kernel_tuple(&f->orig, AF_INET, &t)) ||
	       (f->reply.set &&
		ct_kfilter_kernel_tuple(&f->reply, AF_INET, &t));
}

int ct_table_dump(struct nl_sock *s, struct ct_dump *d, struct nl_ack *ack)
{
	struct dump_ctx c = { .d = d };
	struct ct_kfilter v;
	int rc;

	nl_ack_clear(ack);
	if (d->list > CT_LIST_UNCONFIRMED)
		return -EINVAL;
	if (d->kfilter == CT_KFILTER_UNKNOWN && d->filter &&
	    (d->filter->orig.set || d->filter->reply.set) &&
	    d->list == CT_LIST_CONNTRACK) {
		rc = ct_table_probe_filter(s);
		if (rc < 0)
			return rc;
		d->kfilter = (int8_t)rc;
	}
	d->seen = d->matched = 0;
	d->kernel_filtered = 0;
	if (wants_split(d)) {
		struct ct_kfilter v6 = *d->filter;
		const struct ct_kfilter *kf[2] = { &v, &v6 };
		struct nl_sock *two[2] = { s, NULL };

		v = *d->filter;
		v.family = AF_INET;
		v6.family = AF_INET6;
		if (d->piped == CT_DUMP_PIPED &&
		    nl_sock_open_sibling(s, &two[1]) == 0) {
			rc = dump_pass(two, kf, 2, d, &c, ack);
			nl_sock_close(two[1]);
		} else {
			rc = dump_pass(&s, &kf[0], 1, d, &c, ack);
			if (rc == 0)
				rc = dump_pass(&s, &kf[1], 1, d, &c, ack);
		}
	} else {
		rc = dump_pass(&s, &d->filter, 1, d, &c, ack);
	}
	if (c.err && rc == c.err)
		nl_ack_attr_err(ack, -rc, &c.ae);
	return rc;
}

int ct_table_probe_filter(struct nl_sock *s)
{
	_Alignas(4) unsigned char buf[256];
	struct nl_msg m;
	size_t tok;
	int rc;

	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET,
			       NLM_F_DUMP, nl_sock_seq_next(s), AF_INET);
	if (rc == 0)
		rc = nl_attr_put_be32(&m, CTA_MARK, UINT32_MAX);
	if (rc == 0)
		rc = nl_attr_put_be32(&m, CTA_MARK_MASK, UINT32_MAX);
	if (rc == 0)
		rc = nl_attr_nest_begin(&m, CTA_FILTER, &tok);
	if (rc == 0)
		rc = nl_attr_put_u32(&m, CTA_FILTER_ORIG_FLAGS,
				     CTA_FILTER_FLAG_CTA_PROTO_NUM);
	if (rc == 0)
		rc = nl_attr_nest_end(&m, tok);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	rc = nl_query(s, &m, NULL, NULL, NULL);
	if (rc == -EINVAL)
		return CT_KFILTER_YES;	/* CTA_FILTER parsed: no tuple */
	if (rc == 0 || rc == -EINTR)
		return CT_KFILTER_NO;	/* ignored: a plain mark dump */
	return rc;
}

/* ---- single requests ------------------------------------------------- */

struct get_ctx {
	ct_entry_cb cb;
	void *arg;
	int err;
	struct nl_attr_err ae;
};

static int get_data(const struct nlmsghdr *nlh, void *arg)
{
	struct get_ctx *g = arg;
	struct ct_entry e;
	int rc;

	rc = ct_entry_decode(nlh, &e, &g->ae);
	if (rc < 0)
		return g->err = rc;
	return g->cb ? g->cb(&e, nlh, g->arg) : 0;
}

int ct_table_get(struct nl_sock *s, const struct ct_entry *key,
		 ct_entry_cb cb, void *arg, struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[REQ_BUF];
	struct get_ctx g = { .cb = cb, .arg = arg };
	struct nl_msg m;
	int rc;

	nl_ack_clear(ack);
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET,
			       0, nl_sock_seq_next(s), key->family);
	if (rc == 0)
		rc = ct_entry_put_key(&m, key);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	rc = nl_query(s, &m, get_data, &g, ack);
	if (g.err && rc == g.err)
		nl_ack_attr_err(ack, -rc, &g.ae);
	return rc;
}

/* One acknowledged request carrying @e's key or its new-entry attrs. */
static int simple_request(struct nl_sock *s, uint8_t cmd, uint16_t flags,
			  const struct ct_entry *e, struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[REQ_BUF];
	struct nl_msg m;
	int rc;

	nl_ack_clear(ack);
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, cmd,
			       flags | NLM_F_ACK, nl_sock_seq_next(s),
			       e->family);
	if (rc == 0)
		rc = cmd == IPCTNL_MSG_CT_NEW ? ct_entry_put_new(&m, e) :
						ct_entry_put_key(&m, e);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	return nl_query(s, &m, NULL, NULL, ack);
}

int ct_table_create(struct nl_sock *s, const struct ct_entry *e,
		    uint16_t flags, struct nl_ack *ack)
{
	return simple_request(s, IPCTNL_MSG_CT_NEW, flags, e, ack);
}

int ct_table_delete(struct nl_sock *s, const struct ct_entry *e,
		    struct nl_ack *ack)
{
	return simple_request(s, IPCTNL_MSG_CT_DELETE, 0, e, ack);
}

int ct_table_flush(struct nl_sock *s, const struct ct_kfilter *f,
		   struct nl_ack *ack)
{
	_Alignas(4) unsigned char buf[256];
	struct nfgenmsg g;
	struct nl_msg m;
	int used = 0, rc;

	nl_ack_clear(ack);
	if (f && (f->orig.set || f->reply.set))
		return -EOPNOTSUPP;
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE,
			       NLM_F_ACK, nl_sock_seq_next(s),
			       f ? f->family : 0);
	if (rc < 0)
		return rc;
	if (f && f->family) {
		/* version 1: the kernel honours nfgen_family (else it
		 * flushes every family, as old conntrack -F expected) */
		memcpy(&g, m.buf + m.cur + NLMSG_HDRLEN, sizeof(g));
		g.version = 1;
		memcpy(m.buf + m.cur + NLMSG_HDRLEN, &g, sizeof(g));
	}
	if (f && (f->set & CT_KF_STATUS) && !f->status_mask)
		return -EINVAL;
	if (f && (rc = ct_kfilter_put_scalar(&m, f, &used)) < 0)
		return rc;
	nl_msg_end(&m);
	return nl_query(s, &m, NULL, NULL, ack);
}
