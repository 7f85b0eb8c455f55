// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack batches over nl_batch. The kernel answers only failures (and
 * the ack of each flush's last request); a failure is classified by the
 * request it answers, found by sequence number in the still-unsent
 * buffer: ENOENT to a delete, a GET, or a NEW without NLM_F_CREATE (an
 * update), means the entry is already gone, which -D and -U count but do
 * not treat as an error. GET answers are decoded here and passed on.
 */
#include <errno.h>
#include <string.h>

#include "ct/batch.h"
#include "ct/decode.h"
#include "ct/encode.h"
#include "nl/sock.h"
#include "nl/uapi.h"

/* Room asked of the buffer before each request: more than any key or
 * new-entry encoding needs, so a retry after -EMSGSIZE is rare. */
#define ROOM_DELETE	256
#define ROOM_NEW	768

/* Type and flags of the queued request with sequence @seq. */
static int find_request(const struct nl_msg *msg, uint32_t seq,
			struct nlmsghdr *out)
{
	size_t off = 0;

	while (msg->len - off >= NLMSG_HDRLEN) {
		memcpy(out, msg->buf + off, sizeof(*out));
		if (out->nlmsg_seq == seq)
			return 1;
		if (out->nlmsg_len < NLMSG_HDRLEN)
			break;
		off += NLMSG_ALIGN((size_t)out->nlmsg_len);
	}
	return 0;
}

static void batch_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	struct ct_batch *b = arg;
	struct nlmsghdr h;
	uint8_t cmd;

	if (ack->error == ENOENT && b->nb.answering &&
	    find_request(b->nb.answering, ack->seq, &h)) {
		cmd = NFNL_MSG_TYPE(h.nlmsg_type);
		if (cmd == IPCTNL_MSG_CT_DELETE || cmd == IPCTNL_MSG_CT_GET ||
		    (cmd == IPCTNL_MSG_CT_NEW &&
		     !(h.nlmsg_flags & NLM_F_CREATE))) {
			b->vanished++;
			if (b->on_vanish)
				b->on_vanish(index, b->arg);
			return;
		}
	}
	b->failed++;
	if (b->on_err)
		b->on_err(index, ack, b->arg);
}

static void batch_data(uint32_t index, const struct nlmsghdr *nlh, void *arg)
{
	struct ct_batch *b = arg;
	struct nl_attr_err ae;
	struct ct_entry e;
	struct nl_ack ack;

	if (ct_entry_decode(nlh, &e, &ae) < 0) {
		nl_ack_attr_err(&ack, EBADMSG, &ae);
		b->failed++;
		if (b->on_err)
			b->on_err(index, &ack, b->arg);
		return;
	}
	if (b->on_entry)
		b->on_entry(index, &e, nlh, b->arg);
}

void ct_batch_init(struct ct_batch *b, struct nl_sock *s, void *buf,
		   size_t cap, ct_batch_err_cb on_err, void *arg)
{
	memset(b, 0, sizeof(*b));
	nl_batch_init(&b->nb, s, buf, cap, batch_err, b);
	b->nb.on_data = batch_data;
	b->on_err = on_err;
	b->arg = arg;
	/* best effort: without it a batch of failures may overrun */
	(void)nl_sock_set_rcvbuf(s, CT_BATCH_RCVBUF, NULL);
}

uint32_t ct_batch_count(const struct ct_batch *b)
{
	return nl_batch_count(&b->nb);
}

uint32_t ct_batch_sent(const struct ct_batch *b)
{
	return nl_batch_answered(&b->nb);
}

int ct_batch_flush(struct ct_batch *b)
{
	return nl_batch_flush(&b->nb);
}

int ct_batch_send(struct ct_batch *b)
{
	return nl_batch_send(&b->nb);
}

int ct_batch_async(struct ct_batch *b, void *buf2, int stop_on_error)
{
	b->nb.stop_on_error = stop_on_error;
	return nl_batch_async(&b->nb, buf2);
}

int ct_batch_defer(struct ct_batch *b, void *buf2)
{
	return nl_batch_defer(&b->nb, buf2);
}

int ct_batch_finish(struct ct_batch *b)
{
	return nl_batch_async_end(&b->nb);
}

/* Queue one request; if it does not fit what is left, flush and retry
 * once in the emptied buffer. */
static int queue(struct ct_batch *b, uint8_t cmd, uint16_t flags,
		 const struct ct_entry *e, size_t room)
{
	int rc;

	for (int attempt = 0; attempt < 2; attempt++) {
		rc = nl_batch_begin(&b->nb, NFNL_SUBSYS_CTNETLINK, cmd, flags,
				    e->family, room);
		if (rc < 0)
			return rc;
		rc = cmd == IPCTNL_MSG_CT_NEW ? ct_entry_put_new(&b->nb.msg, e)
					      : ct_entry_put_key(&b->nb.msg, e);
		if (rc == 0) {
			nl_batch_end(&b->nb);
			return 0;
		}
		nl_batch_cancel(&b->nb);
		if (rc != -EMSGSIZE || b->nb.n == 0)
			return rc;
		rc = ct_batch_flush(b);
		if (rc < 0)
			return rc;
	}
	return -EMSGSIZE;
}

int ct_batch_delete(struct ct_batch *b, const struct ct_entry *e)
{
	return queue(b, IPCTNL_MSG_CT_DELETE, 0, e, ROOM_DELETE);
}

int ct_batch_create(struct ct_batch *b, const struct ct_entry *e,
		    uint16_t flags)
{
	return queue(b, IPCTNL_MSG_CT_NEW, flags, e, ROOM_NEW);
}

int ct_batch_get(struct ct_batch *b, const struct ct_entry *e)
{
	return queue(b, IPCTNL_MSG_CT_GET, 0, e, ROOM_DELETE);
}
