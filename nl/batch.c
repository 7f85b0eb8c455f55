// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Batches: requests accumulate in the caller's buffer, go out in one
 * sendmsg, and the reply stream (errors for the failures, one ack for the
 * last request) is read until the last request is answered.
 */
#include <errno.h>
#include <string.h>

#include "nl/batch.h"
#include "nl/sock.h"

void nl_batch_init(struct nl_batch *b, struct nl_sock *s, void *buf,
		   size_t cap, nl_batch_err_cb on_err, void *arg)
{
	memset(b, 0, sizeof(*b));
	b->sock = s;
	nl_msg_init(&b->msg, buf, cap);
	b->on_err = on_err;
	b->arg = arg;
}

uint32_t nl_batch_count(const struct nl_batch *b)
{
	return b->base + b->n;
}

int nl_batch_begin(struct nl_batch *b, uint8_t subsys, uint8_t cmd,
		   uint16_t flags, uint8_t family, size_t room)
{
	uint32_t seq;
	int rc;

	if (room > b->msg.cap)
		return -EMSGSIZE;
	if (b->msg.cap - b->msg.len < room) {
		rc = nl_batch_flush(b);
		if (rc < 0)
			return rc;
	}
	seq = nl_sock_seq_next(b->sock);
	if (b->n && seq != b->seq0 + b->n) {
		/* The counter wrapped: start a new run of sequence numbers. */
		rc = nl_batch_flush(b);
		if (rc < 0)
			return rc;
	}
	if (b->n == 0)
		b->seq0 = seq;
	return nl_msg_begin_nfnl(&b->msg, subsys, cmd, flags, seq, family);
}

void nl_batch_end(struct nl_batch *b)
{
	nl_msg_end(&b->msg);
	b->n++;
}

void nl_batch_cancel(struct nl_batch *b)
{
	nl_msg_cancel(&b->msg);
}

struct flush_ctx {
	struct nl_batch *b;
	int last_done;
};

static int flush_ack(const struct nl_ack *ack, int done, void *arg)
{
	struct flush_ctx *f = arg;
	struct nl_batch *b = f->b;

	(void)done;
	if (ack->error) {
		b->failed++;
		if (b->on_err)
			b->on_err(b->base + (ack->seq - b->seq0), ack, b->arg);
	}
	if (ack->seq == b->seq0 + b->n - 1)
		f->last_done = 1;
	return 0;
}

static int flush_data(const struct nlmsghdr *nlh, void *arg)
{
	struct flush_ctx *f = arg;
	struct nl_batch *b = f->b;
	struct nlmsghdr h;

	if (!b->on_data)
		return 0;	/* no GETs queued: ignore any echo */
	memcpy(&h, nlh, sizeof(h));
	b->on_data(b->base + (h.nlmsg_seq - b->seq0), nlh, b->arg);
	return 0;
}

int nl_batch_flush(struct nl_batch *b)
{
	struct flush_ctx f = { .b = b };
	struct nl_reply r = { .portid = nl_sock_portid(b->sock),
			      .seq = b->seq0, .nseq = b->n,
			      .on_data = flush_data, .on_ack = flush_ack,
			      .arg = &f };
	struct nlmsghdr *last;
	const void *data;
	ssize_t n;
	int rc = 0;

	if (b->n == 0)
		return 0;
	last = nl_msg_hdr(&b->msg);
	last->nlmsg_flags |= NLM_F_ACK;
	rc = nl_sock_send(b->sock, b->msg.buf, b->msg.len);
	while (rc == 0 && !f.last_done) {
		n = nl_sock_recv(b->sock, &data);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			rc = (int)n;
			break;
		}
		rc = nl_reply_parse(&r, data, (size_t)n);
		if (rc == -EPROTO)
			rc = 0;		/* stale answer to an earlier request */
	}
	b->base += b->n;
	b->n = 0;
	nl_msg_reset(&b->msg);
	return rc;
}
