// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Netlink message building. Messages are appended to the caller's buffer;
 * the open message's nlmsg_len is updated by every put, so a message is
 * always consistent and can be sent as soon as it is closed.
 */
#include <errno.h>
#include <string.h>

#include "nl/copy.h"
#include "nl/msg.h"

void nl_msg_init(struct nl_msg *m, void *buf, size_t cap)
{
	m->buf = buf;
	m->cap = cap;
	nl_msg_reset(m);
}

void nl_msg_reset(struct nl_msg *m)
{
	m->len = 0;
	m->cur = 0;
	m->open = 0;
}

struct nlmsghdr *nl_msg_hdr(const struct nl_msg *m)
{
	if (!m->open && m->len == 0)
		return NULL;
	return (struct nlmsghdr *)(void *)(m->buf + m->cur);
}

/* Grows the open message by @len bytes (plus padding, zeroed). */
static unsigned char *reserve(struct nl_msg *m, size_t len)
{
	size_t alen = NLMSG_ALIGN(len);
	unsigned char *p;
	uint32_t mlen;

	if (alen < len || m->cap - m->len < alen)
		return NULL;
	p = m->buf + m->len;
	memset(p + len, 0, alen - len);
	m->len += alen;
	mlen = (uint32_t)(m->len - m->cur);
	memcpy(m->buf + m->cur, &mlen, sizeof(mlen));
	return p;
}

int nl_msg_begin(struct nl_msg *m, uint16_t type, uint16_t flags,
		 uint32_t seq)
{
	struct nlmsghdr h = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = type,
		.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags),
		.nlmsg_seq = seq,
	};

	if (m->open)
		nl_msg_end(m);
	if (m->cap - m->len < NLMSG_HDRLEN)
		return -EMSGSIZE;
	m->cur = m->len;
	memcpy(m->buf + m->len, &h, sizeof(h));
	m->len += NLMSG_HDRLEN;
	m->open = 1;
	return 0;
}

int nl_msg_begin_nfnl(struct nl_msg *m, uint8_t subsys, uint8_t cmd,
		      uint16_t flags, uint32_t seq, uint8_t family)
{
	struct nfgenmsg g = { .nfgen_family = family, .version = NFNETLINK_V0 };
	int rc;

	rc = nl_msg_begin(m, (uint16_t)(subsys << 8 | cmd), flags, seq);
	if (rc < 0)
		return rc;
	rc = nl_msg_put_fixed(m, &g, sizeof(g));
	if (rc < 0)
		nl_msg_cancel(m);
	return rc;
}

int nl_msg_put_fixed(struct nl_msg *m, const void *data, size_t len)
{
	unsigned char *p;

	if (!m->open)
		return -EINVAL;
	p = reserve(m, len);
	if (!p)
		return -EMSGSIZE;
	memcpy(p, data, len);
	return 0;
}

void nl_msg_end(struct nl_msg *m)
{
	m->open = 0;
}

void nl_msg_cancel(struct nl_msg *m)
{
	size_t off = 0;
	uint32_t mlen;

	if (!m->open)
		return;
	m->len = m->cur;
	m->open = 0;
	/* The message before, if any, is the last one again: nl_msg_hdr()
	 * must not point at the bytes just dropped (nl_batch_flush() sets
	 * NLM_F_ACK through it). */
	m->cur = 0;
	while (off + NLMSG_HDRLEN <= m->len) {
		m->cur = off;
		memcpy(&mlen, m->buf + off, sizeof(mlen));
		if (mlen < NLMSG_HDRLEN)
			break;
		off += NLMSG_ALIGN((size_t)mlen);
	}
}

int nl_attr_put(struct nl_msg *m, uint16_t type, const void *data,
		size_t len)
{
	struct nlattr a;
	unsigned char *p;

	if (!m->open)
		return -EINVAL;
	if (len > UINT16_MAX - NLA_HDRLEN)
		return -EMSGSIZE;
	p = reserve(m, NLA_HDRLEN + len);
	if (!p)
		return -EMSGSIZE;
	a.nla_len = (uint16_t)(NLA_HDRLEN + len);
	a.nla_type = type;
	memcpy(p, &a, sizeof(a));
	nl_copy(p + NLA_HDRLEN, data, len);
	return 0;
}

int nl_attr_put_u8(struct nl_msg *m, uint16_t type, uint8_t v)
{
	return nl_attr_put(m, type, &v, sizeof(v));
}

int nl_attr_put_u16(struct nl_msg *m, uint16_t type, uint16_t v)
{
	return nl_attr_put(m, type, &v, sizeof(v));
}

int nl_attr_put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	return nl_attr_put(m, type, &v, sizeof(v));
}

int nl_attr_put_u64(struct nl_msg *m, uint16_t type, uint64_t v)
{
	return nl_attr_put(m, type, &v, sizeof(v));
}

/* Writes the low @n bytes of @v, most significant first. */
static int put_be(struct nl_msg *m, uint16_t type, uint64_t v, size_t n)
{
	unsigned char b[8];

	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
	return nl_attr_put(m, type, b, n);
}

int nl_attr_put_be16(struct nl_msg *m, uint16_t type, uint16_t v)
{
	return put_be(m, type, v, 2);
}

int nl_attr_put_be32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	return put_be(m, type, v, 4);
}

int nl_attr_put_be64(struct nl_msg *m, uint16_t type, uint64_t v)
{
	return put_be(m, type, v, 8);
}

int nl_attr_put_str(struct nl_msg *m, uint16_t type, const char *s)
{
	return nl_attr_put(m, type, s, strlen(s) + 1);
}

int nl_attr_put_flag(struct nl_msg *m, uint16_t type)
{
	return nl_attr_put(m, type, NULL, 0);
}

int nl_attr_nest_begin(struct nl_msg *m, uint16_t type, size_t *tok)
{
	size_t at = m->len;
	int rc;

	rc = nl_attr_put(m, (uint16_t)(type | NLA_F_NESTED), NULL, 0);
	if (rc < 0)
		return rc;
	*tok = at;
	return 0;
}

int nl_attr_nest_end(struct nl_msg *m, size_t tok)
{
	size_t len = m->len - tok;
	uint16_t l16;

	if (len > UINT16_MAX)
		return -EMSGSIZE;
	l16 = (uint16_t)len;
	memcpy(m->buf + tok, &l16, sizeof(l16));
	return 0;
}

void nl_msg_trim(struct nl_msg *m, size_t len)
{
	uint32_t mlen;

	if (!m->open || len < m->cur || len >= m->len)
		return;
	m->len = len;
	mlen = (uint32_t)(m->len - m->cur);
	memcpy(m->buf + m->cur, &mlen, sizeof(mlen));
}

void nl_attr_nest_cancel(struct nl_msg *m, size_t tok)
{
	nl_msg_trim(m, tok);
}
