// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reply walking. Each message header is copied out before use (a received
 * buffer is never cast and trusted); lengths are checked against what is
 * left of the datagram, acks against the request header they quote.
 *
 * NLMSG_ERROR payload:
 *   int error | struct nlmsghdr request | [request payload, unless
 *   NLM_F_CAPPED] | [extended-ack TLVs, if NLM_F_ACK_TLVS]
 * NLMSG_DONE payload:
 *   int error | [extended-ack TLVs, if NLM_F_ACK_TLVS]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/sock.h"

static const struct nl_attr_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { .kind = NL_ATTR_STRING },
	[NLMSGERR_ATTR_OFFS] = { .kind = NL_ATTR_U32 },
	[NLMSGERR_ATTR_MISS_TYPE] = { .kind = NL_ATTR_U32 },
	[NLMSGERR_ATTR_MISS_NEST] = { .kind = NL_ATTR_U32 },
};

static void extack_decode(const unsigned char *p, size_t len,
			  struct nl_ack *ack)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t n;

	/* A malformed TLV block only loses the text, not the error. */
	if (nl_attr_parse(p, len, extack_policy, NLMSGERR_ATTR_MAX, tb, 0,
			  NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG]) {
		n = strlen(nl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
		if (n >= sizeof(ack->ext_msg))
			n = sizeof(ack->ext_msg) - 1;
		memcpy(ack->ext_msg, nl_attr_get_str(tb[NLMSGERR_ATTR_MSG]), n);
		ack->ext_msg[n] = '\0';
	}
	if (tb[NLMSGERR_ATTR_OFFS])
		ack->ext_off = nl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

void nl_ack_clear(struct nl_ack *ack)
{
	if (ack) {
		memset(ack, 0, sizeof(*ack));
		ack->ext_off = NL_EXT_OFF_NONE;
	}
}

void nl_ack_keep_first(int *error, struct nl_ack *dst,
		       const struct nl_ack *ack)
{
	if (!ack->error || *error)
		return;
	*error = ack->error;
	if (dst)
		*dst = *ack;
}

void nl_ack_attr_err(struct nl_ack *ack, int error,
		     const struct nl_attr_err *ae)
{
	if (!ack)
		return;
	nl_ack_clear(ack);
	ack->error = error;
	snprintf(ack->ext_msg, sizeof(ack->ext_msg),
		 "%s (attribute %u at offset %u)",
		 ae->msg ? ae->msg : "malformed", ae->type, ae->offset);
}

/* Turns the kernel's negative errno into ours, refusing nonsense. */
static int error_of(int kerr)
{
	if (kerr > 0 || kerr < -4095)
		return -1;
	return -kerr;
}

int nl_reply_ack_decode(const struct nlmsghdr *nlh, struct nl_ack *ack)
{
	struct nlmsghdr h, req;
	const unsigned char *p = (const unsigned char *)nlh + NLMSG_HDRLEN;
	size_t plen, off;
	int kerr = 0;

	memcpy(&h, nlh, sizeof(h));
	plen = h.nlmsg_len - NLMSG_HDRLEN;
	ack->seq = h.nlmsg_seq;
	ack->ext_off = NL_EXT_OFF_NONE;
	ack->ext_msg[0] = '\0';
	if (h.nlmsg_type == NLMSG_DONE) {
		if (plen >= sizeof(kerr))
			memcpy(&kerr, p, sizeof(kerr));
		off = sizeof(kerr);
	} else {
		if (plen < sizeof(struct nlmsgerr))
			return -EBADMSG;
		memcpy(&kerr, p, sizeof(kerr));
		memcpy(&req, p + sizeof(kerr), sizeof(req));
		off = sizeof(struct nlmsgerr);
		if (!(h.nlmsg_flags & NLM_F_CAPPED)) {
			/* The request's payload is echoed after its header. */
			if (req.nlmsg_len < NLMSG_HDRLEN ||
			    req.nlmsg_len - NLMSG_HDRLEN > plen - off)
				return -EBADMSG;
			off += NLMSG_ALIGN(req.nlmsg_len - NLMSG_HDRLEN);
		}
	}
	ack->error = error_of(kerr);
	if (ack->error < 0)
		return -EBADMSG;
	if ((h.nlmsg_flags & NLM_F_ACK_TLVS) && off < plen)
		extack_decode(p + off, plen - off, ack);
	return 0;
}

static int handle_one(struct nl_reply *r, const struct nlmsghdr *nlh,
		      const struct nlmsghdr *h)
{
	struct nl_ack ack;
	int rc;

	r->last_seq = h->nlmsg_seq;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		r->dump_intr = 1;
	switch (h->nlmsg_type) {
	case NLMSG_NOOP:
		return 0;
	case NLMSG_OVERRUN:
		return -EOVERFLOW;
	case NLMSG_ERROR:
	case NLMSG_DONE:
		rc = nl_reply_ack_decode(nlh, &ack);
		if (rc < 0)
			return rc;
		if (h->nlmsg_type == NLMSG_DONE)
			r->dones++;
		else
			r->acks++;
		if (!r->on_ack)
			return 0;
		return r->on_ack(&ack, h->nlmsg_type == NLMSG_DONE, r->arg);
	default:
		if (h->nlmsg_type < NLMSG_MIN_TYPE)
			return 0;	/* reserved control types: skip */
		r->datas++;
		r->last_multi = !!(h->nlmsg_flags & NLM_F_MULTI);
		if (!r->on_data)
			return -EPROTO;
		return r->on_data(nlh, r->arg);
	}
}

int nl_reply_parse(struct nl_reply *r, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t off = 0;
	int rc;

	while (off < len) {
		struct nlmsghdr h;

		if (len - off < NLMSG_HDRLEN)
			return -EBADMSG;
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			return -EBADMSG;
		if (r->portid && h.nlmsg_pid != r->portid)
			return -EPROTO;
		if (h.nlmsg_seq - r->seq >= r->nseq)
			return -EPROTO;
		rc = handle_one(r, (const struct nlmsghdr *)(const void *)(p + off),
				&h);
		if (rc < 0)
			return rc;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
	}
	return 0;
}

int nl_nfnl_payload(const struct nlmsghdr *nlh, uint8_t subsys, uint8_t *cmd,
		    uint8_t *family, const void **data, size_t *len)
{
	const size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));
	const unsigned char *p = (const unsigned char *)nlh;
	struct nlmsghdr h;
	struct nfgenmsg g;

	memcpy(&h, nlh, sizeof(h));
	if (h.nlmsg_len < hdr)
		return -EBADMSG;
	if (NFNL_SUBSYS_ID(h.nlmsg_type) != subsys)
		return -EPROTO;
	memcpy(&g, p + NLMSG_HDRLEN, sizeof(g));
	*cmd = NFNL_MSG_TYPE(h.nlmsg_type);
	*family = g.nfgen_family;
	*data = p + hdr;
	*len = h.nlmsg_len - hdr;
	return 0;
}

/* ---- request / response ------------------------------------------------ */

struct query {
	const struct nl_msg *req;
	uint32_t first, count, completed;
	nl_data_cb on_data;
	void *arg;
	struct nl_ack *err;
	int error;			/* first kernel error (positive) */
	int cb_error;			/* first on_data failure (negative) */
};

/* Flags of the request with sequence @seq (0 if not found). */
static uint16_t request_flags(const struct nl_msg *req, uint32_t seq)
{
	size_t off = 0;

	while (req->len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;

		memcpy(&h, req->buf + off, sizeof(h));
		if (h.nlmsg_seq == seq)
			return h.nlmsg_flags;
		if (h.nlmsg_len < NLMSG_HDRLEN)
			break;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
	}
	return 0;
}

static int query_ack(const struct nl_ack *ack, int done, void *arg)
{
	struct query *q = arg;

	(void)done;
	q->completed++;
	nl_ack_keep_first(&q->error, q->err, ack);
	return 0;
}

static int query_data(const struct nlmsghdr *nlh, void *arg)
{
	struct query *q = arg;
	struct nlmsghdr h;
	uint16_t rf;

	memcpy(&h, nlh, sizeof(h));
	/* A plain request (no ack, no dump) is answered by one message,
	 * which ctnetlink may still flag NLM_F_MULTI (GET_STATS does). */
	rf = request_flags(q->req, h.nlmsg_seq);
	if (!(rf & NLM_F_ACK) && (rf & NLM_F_DUMP) != NLM_F_DUMP)
		q->completed++;
	/* After a callback failure keep draining, so the socket is clean
	 * for the next request; the failure is reported at the end. */
	if (q->on_data && !q->cb_error)
		q->cb_error = q->on_data(nlh, q->arg);
	return 0;
}

static uint32_t count_messages(const struct nl_msg *req, uint32_t *first)
{
	size_t off = 0;
	uint32_t n = 0;

	while (req->len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;

		memcpy(&h, req->buf + off, sizeof(h));
		if (n == 0)
			*first = h.nlmsg_seq;
		n++;
		if (h.nlmsg_len < NLMSG_HDRLEN)
			break;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
	}
	return n;
}

int nl_query(struct nl_sock *s, const struct nl_msg *req,
	     nl_data_cb on_data, void *arg, struct nl_ack *err)
{
	struct query q = { .req = req, .on_data = on_data, .arg = arg,
			   .err = err };
	struct nl_reply r = { .portid = nl_sock_portid(s),
			      .on_data = query_data, .on_ack = query_ack,
			      .arg = &q };
	const void *data;
	ssize_t n;
	int rc;

	q.count = count_messages(req, &q.first);
	if (q.count == 0)
		return -EINVAL;
	r.seq = q.first;
	r.nseq = q.count;
	rc = nl_sock_send(s, req->buf, req->len);
	if (rc < 0)
		return rc;
	while (q.completed < q.count) {
		n = nl_sock_recv(s, &data);
		if (n == -EINTR)
			continue;
		if (n < 0)
			return (int)n;
		rc = nl_reply_parse(&r, data, (size_t)n);
		if (rc == -EPROTO && r.portid)
			continue;	/* stale reply to an earlier request */
		if (rc < 0)
			return rc;
	}
	if (q.cb_error)
		return q.cb_error;
	if (q.error)
		return -q.error;
	return r.dump_intr ? -EINTR : 0;
}

const struct nlmsghdr *nl_reply_next(const void *buf, size_t len,
				     size_t *off, struct nlmsghdr *h,
				     int *err)
{
	const unsigned char *p = buf;
	size_t at = *off;

	*err = 0;
	if (at >= len)
		return NULL;
	*err = -EBADMSG;
	if (len - at < NLMSG_HDRLEN)
		return NULL;
	memcpy(h, p + at, sizeof(*h));
	if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - at)
		return NULL;
	*err = 0;
	*off = at + NLMSG_ALIGN((size_t)h->nlmsg_len);
	return (const struct nlmsghdr *)(const void *)(p + at);
}

int nl_reply_ends(const void *data, size_t len, uint32_t seq)
{
	const unsigned char *buf = data;
	size_t off = 0;

	while (off < len) {
		struct nlmsghdr h;

		if (len - off < NLMSG_HDRLEN)
			return 1;
		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			return 1;
		if (h.nlmsg_seq != seq)
			return 0;	/* another request's: stale, skipped */
		if (h.nlmsg_type == NLMSG_OVERRUN ||
		    h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR)
			return 1;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
	}
	return 0;
}
