// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A request answered over several loop iterations (see nl/step.h): the
 * same reply walk as nl_query(), cut at datagram boundaries.
 */
#include <errno.h>
#include <string.h>
#include <sys/types.h>

#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/sock.h"
#include "nl/step.h"
#include "nl/uapi.h"

static int step_ack(const struct nl_ack *ack, int done, void *arg)
{
	struct nl_step *st = arg;

	(void)done;
	st->done = 1;
	nl_ack_keep_first(&st->error, &st->ack, ack);
	return 0;
}

static int step_data(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_step *st = arg;

	/* a plain request is answered by its one reply */
	if (!(st->req_flags & NLM_F_ACK) &&
	    (st->req_flags & NLM_F_DUMP) != NLM_F_DUMP)
		st->done = 1;
	if (st->on_data && !st->cb_error)
		st->cb_error = st->on_data(nlh, st->arg);
	return 0;
}

int nl_step_begin(struct nl_step *st, struct nl_sock *s,
		  const struct nl_msg *req, nl_data_cb on_data, void *arg)
{
	struct nlmsghdr h;

	if (req->len < NLMSG_HDRLEN)
		return -EINVAL;
	memcpy(&h, req->buf, sizeof(h));
	memset(st, 0, sizeof(*st));
	st->s = s;
	st->on_data = on_data;
	st->arg = arg;
	st->req_flags = h.nlmsg_flags;
	st->r.portid = nl_sock_portid(s);
	st->r.seq = h.nlmsg_seq;
	st->r.nseq = 1;
	st->r.on_data = step_data;
	st->r.on_ack = step_ack;
	st->r.arg = st;
	nl_ack_clear(&st->ack);
	return nl_sock_send(s, req->buf, req->len);
}

static int step_result(const struct nl_step *st)
{
	if (st->cb_error)
		return st->cb_error;
	if (st->error)
		return -st->error;
	return st->r.dump_intr ? -EINTR : 0;
}

int nl_step_feed(struct nl_step *st, const void *data, ssize_t n)
{
	int rc;

	if (st->done)
		return step_result(st);
	if (n < 0) {
		st->done = 1;
		return (int)n;
	}
	rc = nl_reply_parse(&st->r, data, (size_t)n);
	if (rc == -EPROTO)
		return st->done ? step_result(st) : 1;	/* stale reply */
	if (rc < 0) {
		st->done = 1;
		return rc;
	}
	return st->done ? step_result(st) : 1;
}

int nl_step_recv(struct nl_step *st)
{
	const void *data = NULL;
	ssize_t n;

	if (st->done)
		return step_result(st);
	n = nl_sock_recv(st->s, &data);
	if (n == -EAGAIN || n == -EINTR)
		return -EAGAIN;
	return nl_step_feed(st, data, n);
}
