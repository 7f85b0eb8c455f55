// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sync protocol's headers and the attribute primitives the message
 * codecs (sync/msg_ct.c, sync/msg_exp.c) share: building control
 * messages, stamping sequence numbers, walking the messages of a
 * datagram or stream with the checks and counters of upstream's
 * channel_handler_routine() (src/sync-mode.c) and the mode digests
 * (src/sync-ftfw.c), and the bounded writer and policy-checked reader of
 * TLV attributes.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/proto.h"
#include "sync/msg.h"
#include "sync/msg_int.h"

#define F_ACKLIKE	(SYNC_F_ACK | SYNC_F_NACK | SYNC_F_RESYNC)
#define F_CTL		(F_ACKLIKE | SYNC_F_ALIVE)
#define F_HELLOS	(SYNC_F_HELLO | SYNC_F_HELLO_BACK)

void sync_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void sync_put_be32(uint8_t *p, uint32_t v)
{
	sync_put_be16(p, (uint16_t)(v >> 16));
	sync_put_be16(p + 2, (uint16_t)v);
}

uint16_t sync_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint16_t sync_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[1] << 8 | p[0]);
}

uint32_t sync_get_be32(const uint8_t *p)
{
	return (uint32_t)sync_get_be16(p) << 16 | sync_get_be16(p + 2);
}

/* ---- headers ---------------------------------------------------------- */

static int is_acklike(uint8_t type, uint8_t flags)
{
	return type == SYNC_T_CTL && (flags & F_ACKLIKE);
}

int sync_msg_is_data(const struct sync_msg_hdr *h)
{
	return h->type <= SYNC_T_EXP_DEL && !(h->flags & ~F_HELLOS);
}

int sync_msg_build_ctl(void *buf, size_t cap, uint8_t flags, uint32_t from,
		       uint32_t to)
{
	size_t len = is_acklike(SYNC_T_CTL, flags) ? SYNC_MSG_ACK_LEN :
						     SYNC_MSG_HDR_LEN;
	uint8_t *p = buf;

	if (cap < len)
		return -EMSGSIZE;
	memset(p, 0, len);
	p[0] = SYNC_MSG_VERSION << 4 | SYNC_T_CTL;
	p[1] = flags;
	sync_put_be16(p + 2, (uint16_t)len);
	if (len == SYNC_MSG_ACK_LEN) {
		sync_put_be32(p + 8, from);
		sync_put_be32(p + 12, to);
	}
	return (int)len;
}

void sync_msg_stamp(void *msg, uint32_t seq, uint8_t flags)
{
	uint8_t *p = msg;

	p[1] |= flags;
	sync_put_be32(p + 4, seq);
}

/* wrap-around "a before b", as upstream's before() */
static int seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static int reject(struct sync_msg_hdr *h, struct sync_msg_stats *st,
		  uint32_t *counter, int err, int skip)
{
	st->rcv_malformed++;
	(*counter)++;
	if (!skip)
		h->len = 0;
	return err;
}

/* What no sync mode accepts, once the sizes are right (the walk goes on
 * with the next message, as upstream's does). */
static int check_kind(struct sync_msg_hdr *h, struct sync_msg_stats *st)
{
	if (sync_msg_is_data(h))
		return 0;
	if (h->type != SYNC_T_CTL && h->type > SYNC_T_EXP_DEL)
		return reject(h, st, &st->rcv_bad_type, -EBADMSG, 1);
	if (h->type != SYNC_T_CTL || !(h->flags & F_CTL))
		return reject(h, st, &st->rcv_bad_header, -EBADMSG, 1);
	if ((h->flags & (SYNC_F_ACK | SYNC_F_NACK)) &&
	    seq_before(h->to, h->from))
		return reject(h, st, &st->rcv_bad_header, -EBADMSG, 1);
	return 0;
}

int sync_msg_next(const void *buf, size_t len, struct sync_msg_hdr *h,
		  struct sync_msg_stats *st)
{
	const uint8_t *p = buf;
	size_t need = SYNC_MSG_HDR_LEN;

	memset(h, 0, sizeof(*h));
	if (len < SYNC_MSG_HDR_LEN)
		return 0;
	h->version = p[0] >> 4;
	h->type = p[0] & 0x0f;
	h->flags = p[1];
	h->len = sync_get_be16(p + 2);
	h->seq = sync_get_be32(p + 4);
	if (h->len == 0)
		return reject(h, st, &st->rcv_bad_size, -EBADMSG, 0);
	if (h->len > len)
		return 0;
	if (is_acklike(h->type, h->flags)) {
		need = SYNC_MSG_ACK_LEN;
		if (len < need)
			return 0;
	}
	if (h->len < need)
		return reject(h, st, &st->rcv_bad_size, -EBADMSG, 0);
	if (need == SYNC_MSG_ACK_LEN) {
		h->from = sync_get_be32(p + 8);
		h->to = sync_get_be32(p + 12);
	}
	if (h->version != SYNC_MSG_VERSION)
		return reject(h, st, &st->rcv_bad_version, -EPROTO, 1);
	if (check_kind(h, st) < 0)
		return -EBADMSG;
	return h->len;
}

void sync_msg_count_short(const void *buf, size_t len,
			  struct sync_msg_stats *st)
{
	const uint8_t *p = buf;

	st->rcv_malformed++;
	if (len >= SYNC_MSG_HDR_LEN && sync_get_be16(p + 2) > len)
		st->rcv_bad_size++;
	else
		st->rcv_truncated++;
}

void sync_msg_walk(const void *buf, size_t len, struct sync_msg_stats *st,
		   sync_msg_walk_cb cb, void *arg)
{
	const uint8_t *p = buf;
	struct sync_msg_hdr h;
	size_t off = 0;
	int n;

	while (off < len) {
		n = sync_msg_next(p + off, len - off, &h, st);
		if (n == 0) {
			sync_msg_count_short(p + off, len - off, st);
			return;
		}
		if (n < 0) {
			if (h.len == 0)
				return;
			off += h.len;
			continue;
		}
		cb(arg, &h, p + off);
		off += (size_t)n;
	}
}

/* ---- writing attributes ------------------------------------------------ */

int sync_l4_upstream_ports(uint8_t l4)
{
	return l4 == IPPROTO_TCP || l4 == IPPROTO_UDP ||
	       l4 == IPPROTO_SCTP || l4 == IPPROTO_DCCP;
}

void sync_wr_begin(struct sync_wr *w, void *buf, size_t cap, uint8_t type)
{
	/* the header says the length in 16 bits */
	const size_t most = UINT16_MAX & ~(size_t)3;

	w->buf = buf;
	w->cap = cap < most ? cap : most;
	w->len = SYNC_MSG_HDR_LEN;
	w->err = 0;
	if (cap < SYNC_MSG_HDR_LEN) {
		w->err = -EMSGSIZE;
		return;
	}
	memset(w->buf, 0, SYNC_MSG_HDR_LEN);
	w->buf[0] = (uint8_t)(SYNC_MSG_VERSION << 4 | type);
}

uint8_t *sync_wr_attr(struct sync_wr *w, uint16_t type, size_t len)
{
	size_t total = SYNC_ALIGN(SYNC_NTA_HDR + len);
	uint8_t *a;

	if (w->err)
		return NULL;
	if (len > UINT16_MAX - SYNC_NTA_HDR || total > w->cap - w->len) {
		w->err = -EMSGSIZE;
		return NULL;
	}
	a = w->buf + w->len;
	memset(a, 0, total);
	sync_put_be16(a, (uint16_t)(SYNC_NTA_HDR + len));
	sync_put_be16(a + 2, type);
	w->len += total;
	return a + SYNC_NTA_HDR;
}

void sync_wr_bytes(struct sync_wr *w, uint16_t type, const void *p,
		   size_t len)
{
	uint8_t *v = sync_wr_attr(w, type, len);

	if (v && len)
		memcpy(v, p, len);
}

void sync_wr_u8(struct sync_wr *w, uint16_t type, uint8_t v)
{
	sync_wr_bytes(w, type, &v, 1);
}

void sync_wr_be16(struct sync_wr *w, uint16_t type, uint16_t v)
{
	uint8_t *p = sync_wr_attr(w, type, 2);

	if (p)
		sync_put_be16(p, v);
}

void sync_wr_le16(struct sync_wr *w, uint16_t type, uint16_t v)
{
	uint8_t *p = sync_wr_attr(w, type, 2);

	if (p) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

void sync_wr_be32(struct sync_wr *w, uint16_t type, uint32_t v)
{
	uint8_t *p = sync_wr_attr(w, type, 4);

	if (p)
		sync_put_be32(p, v);
}

void sync_wr_addrs(struct sync_wr *w, uint16_t t4, uint16_t t6, uint8_t l3,
		   const struct ct_tuple *t)
{
	size_t alen = l3 == AF_INET ? 4 : 16;
	uint8_t *p = sync_wr_attr(w, l3 == AF_INET ? t4 : t6, 2 * alen);

	if (p) {
		memcpy(p, &t->src, alen);
		memcpy(p + alen, &t->dst, alen);
	}
}

void sync_wr_ports(struct sync_wr *w, uint16_t type, const struct ct_tuple *t)
{
	uint8_t *p = sync_wr_attr(w, type, 4);

	if (p) {
		sync_put_be16(p, t->sport);
		sync_put_be16(p + 2, t->dport);
	}
}

int sync_wr_end(struct sync_wr *w)
{
	if (w->err)
		return w->err;
	sync_put_be16(w->buf + 2, (uint16_t)w->len);
	return (int)w->len;
}

/* ---- reading attributes ------------------------------------------------ */

static int fits_policy(const struct sync_attr *a, const struct sync_pol *p)
{
	switch (p->kind) {
	case SYNC_POL_FIXED:
		return a->len == p->len;
	case SYNC_POL_STR:
		return a->len >= 1 && a->len <= p->len &&
		       memchr(a->val, 0, a->len) != NULL;
	case SYNC_POL_WORDS:
		return a->len >= 4 && a->len <= p->len && a->len % 4 == 0;
	}
	return 0;
}

int sync_attr_next(const uint8_t *msg, size_t end, size_t *off,
		   struct sync_attr *a, const struct sync_pol *pol,
		   size_t npol)
{
	size_t left, nta_len;

	if (*off >= end)
		return 0;
	left = end - *off;
	if (left < SYNC_NTA_HDR)
		return -EBADMSG;
	nta_len = sync_get_be16(msg + *off);
	if (nta_len < SYNC_NTA_HDR || nta_len > left)
		return -EBADMSG;
	a->type = sync_get_be16(msg + *off + 2);
	a->len = (uint16_t)(nta_len - SYNC_NTA_HDR);
	a->val = msg + *off + SYNC_NTA_HDR;
	if (a->type >= npol || !fits_policy(a, &pol[a->type]))
		return -EBADMSG;
	*off += SYNC_ALIGN(nta_len) < left ? SYNC_ALIGN(nta_len) : left;
	return 1;
}

void sync_get_addrs(const struct sync_attr *a, struct ct_tuple *t)
{
	size_t alen = a->len / 2;

	memset(&t->src, 0, sizeof(t->src));
	memset(&t->dst, 0, sizeof(t->dst));
	memcpy(&t->src, a->val, alen);
	memcpy(&t->dst, a->val + alen, alen);
	t->l3 = alen == 4 ? AF_INET : AF_INET6;
	t->set |= CT_TUPLE_SRC | CT_TUPLE_DST;
}

void sync_get_ports(const struct sync_attr *a, struct ct_tuple *t)
{
	t->sport = sync_get_be16(a->val);
	t->dport = sync_get_be16(a->val + 2);
	t->set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
}

int sync_bad_payload(struct sync_msg_stats *st)
{
	st->rcv_malformed++;
	st->rcv_bad_payload++;
	return -EBADMSG;
}
