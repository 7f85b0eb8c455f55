// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the receive path: nl_reply_parse() over one datagram,
 * and nl_reply_ack_decode() on each NLMSG_ERROR/NLMSG_DONE in it. Two
 * control bytes come first, then the datagram as the kernel sent it:
 *
 *   byte 0: bits 0-1 port id: 0 any, 1 the first message's, 2 another
 *           bits 2-3 sequence window: 0 [seq0, +1), 1 [seq0, +arg),
 *                    2 everything but one, 3 [seq0 - arg, +arg + 1)
 *           bit 4 no data callback, bit 5 no ack callback,
 *           bit 6 the data callback fails at data message (arg & 7),
 *           bit 7 parse the datagram in two calls, split after the
 *                 (arg >> 4)th message, counters accumulating
 *   byte 1: arg
 *   byte 2..: netlink messages (seq0/pid0: the first message's fields)
 *
 * Callbacks check every message handed over lies inside the datagram and
 * in the expected window, acks carry a terminated text and a sane errno,
 * and the counters never exceed the messages present. nl_reply_ends()
 * must agree with a walk as nl/step.c makes it (sequence seq0 or, with
 * bit 0 of arg, seq0 + 1) on whether the datagram answers the request.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nl/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

struct ctx {
	const unsigned char *buf;	/* the datagram */
	size_t len;
	uint32_t portid, seq, nseq;
	uint32_t datas, acks, dones;	/* what the callbacks saw */
	uint32_t fail_at;		/* data message that fails, or 0 */
};

static struct nlmsghdr hdr(const void *p)
{
	struct nlmsghdr h;

	memcpy(&h, p, sizeof(h));
	return h;
}

/* A message handed over: inside the datagram, aligned, fully there. */
static void check_msg(const struct ctx *c, const struct nlmsghdr *nlh)
{
	const unsigned char *p = (const unsigned char *)nlh;
	struct nlmsghdr h;
	size_t off;

	CHECK(p >= c->buf && p < c->buf + c->len);
	off = (size_t)(p - c->buf);
	CHECK(off % NLMSG_ALIGNTO == 0 && c->len - off >= NLMSG_HDRLEN);
	h = hdr(nlh);
	CHECK(h.nlmsg_len >= NLMSG_HDRLEN && h.nlmsg_len <= c->len - off);
	CHECK(!c->portid || h.nlmsg_pid == c->portid);
	CHECK(h.nlmsg_seq - c->seq < c->nseq);
}

static void check_ack(const struct nl_ack *ack)
{
	CHECK(memchr(ack->ext_msg, '\0', NL_EXT_MSG_MAX) != NULL);
	CHECK(strlen(ack->ext_msg) < NL_EXT_MSG_MAX);
	CHECK(ack->error >= 0 && ack->error <= 4095);
}

static int on_data(const struct nlmsghdr *nlh, void *arg)
{
	struct ctx *c = arg;

	check_msg(c, nlh);
	CHECK(hdr(nlh).nlmsg_type >= NLMSG_MIN_TYPE);
	c->datas++;
	if (c->fail_at && c->datas == c->fail_at)
		return -ECANCELED;
	return 0;
}

static int on_ack(const struct nl_ack *ack, int done, void *arg)
{
	struct ctx *c = arg;

	CHECK(done == 0 || done == 1);
	check_ack(ack);
	if (done)
		c->dones++;
	else
		c->acks++;
	return 0;
}

/* Counts the messages whose header and length fit, in order, and decodes
 * every ack among them directly. *@whole says if they fill the buffer. */
static uint32_t walk(const unsigned char *p, size_t len, int *whole)
{
	size_t off = 0;
	uint32_t n = 0;

	while (off < len) {
		struct nlmsghdr h;
		struct nl_ack ack;

		if (len - off < NLMSG_HDRLEN)
			break;
		h = hdr(p + off);
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			break;
		if (h.nlmsg_type == NLMSG_ERROR || h.nlmsg_type == NLMSG_DONE) {
			memset(&ack, 0xa5, sizeof(ack));
			if (nl_reply_ack_decode((const struct nlmsghdr *)
						(const void *)(p + off), &ack) == 0) {
				check_ack(&ack);
				CHECK(ack.seq == h.nlmsg_seq);
			}
		}
		n++;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
	}
	*whole = off >= len;
	return n;
}

/* Offset just past the first @k messages (or @len). */
static size_t split_at(const unsigned char *p, size_t len, unsigned int k)
{
	size_t off = 0;

	while (k-- && len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h = hdr(p + off);

		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			break;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
		if (off >= len)
			return len;
	}
	return off;
}

static int step_data(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return 0;
}

/* A request read a datagram at a time (nl/step.c), its replies received
 * by a thread (nl/bg.c): the thread stops exactly where the walk has the
 * request answered, by an ack or a failure other than a stale message. */
static void step_agrees(const unsigned char *p, size_t len, uint32_t seq)
{
	struct nl_reply r = { .seq = seq, .nseq = 1, .on_data = step_data };
	int rc = nl_reply_parse(&r, p, len);
	int done = r.acks + r.dones > 0 || (rc < 0 && rc != -EPROTO);

	CHECK(nl_reply_ends(p, len, seq) == done);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c = { 0 };
	struct nl_reply r = { 0 };
	struct nlmsghdr first = { 0 };
	unsigned char *p;
	uint8_t ctl, arg;
	uint32_t nmsg;
	size_t len, cut;
	int rc, whole;

	if (size < 2)
		return 0;
	ctl = data[0];
	arg = data[1];
	len = size - 2;
	/* An aligned copy of exactly len bytes, so ASan sees any overread. */
	p = malloc(len ? len : 1);
	CHECK(p != NULL);
	memcpy(p, data + 2, len);
	if (len >= NLMSG_HDRLEN)
		first = hdr(p);

	switch (ctl & 3) {
	case 1: r.portid = first.nlmsg_pid; break;
	case 2: r.portid = first.nlmsg_pid + 1; break;
	default: r.portid = 0; break;
	}
	switch (ctl >> 2 & 3) {
	case 0: r.seq = first.nlmsg_seq; r.nseq = 1; break;
	case 1: r.seq = first.nlmsg_seq; r.nseq = arg; break;
	case 2: r.seq = first.nlmsg_seq + 1; r.nseq = UINT32_MAX; break;
	default: r.seq = first.nlmsg_seq - arg; r.nseq = (uint32_t)arg + 1; break;
	}
	c.buf = p;
	c.len = len;
	c.portid = r.portid;
	c.seq = r.seq;
	c.nseq = r.nseq;
	if (ctl & 0x40)
		c.fail_at = (arg & 7) + 1u;
	r.on_data = (ctl & 0x10) ? NULL : on_data;
	r.on_ack = (ctl & 0x20) ? NULL : on_ack;
	r.arg = &c;

	nmsg = walk(p, len, &whole);
	cut = (ctl & 0x80) ? split_at(p, len, arg >> 4) : len;
	/* Each part is a datagram of its own: bounds checks use it. */
	c.len = cut;
	rc = nl_reply_parse(&r, p, cut);
	if (rc == 0 && cut < len) {
		c.buf = p + cut;
		c.len = len - cut;
		rc = nl_reply_parse(&r, p + cut, len - cut);
	}

	CHECK(rc == 0 || rc == -EBADMSG || rc == -EPROTO ||
	      rc == -EOVERFLOW || rc == -ECANCELED);
	CHECK((uint64_t)r.acks + r.dones + r.datas <= nmsg);
	CHECK(r.dump_intr == 0 || r.dump_intr == 1);
	CHECK(r.last_multi == 0 || r.last_multi == 1);
	if (r.on_data)
		CHECK(c.datas == r.datas);
	else
		CHECK(r.datas <= 1);
	if (r.on_ack) {
		CHECK(c.acks == r.acks && c.dones == r.dones);
	}
	if (rc == -ECANCELED)
		CHECK(c.fail_at && c.datas == c.fail_at);
	/* Success means every message was well formed, to the end. */
	if (rc == 0)
		CHECK(whole);
	if (!whole)
		CHECK(rc != 0);
	/* A request read a datagram at a time (nl/step.c) with its replies
	 * received by a thread (nl/bg.c): the thread stops exactly where
	 * the walk says the request is answered, an ack or a failure other
	 * than a stale message. */
	step_agrees(p, len, first.nlmsg_seq + (arg & 1));
	free(p);
	return 0;
}
