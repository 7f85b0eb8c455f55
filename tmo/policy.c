// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Encoding, decoding and printing of cttimeout policies (tmo/policy.h).
 *
 *   nlmsghdr | nfgenmsg (AF_UNSPEC) | CTA_TIMEOUT_NAME "name\0"
 *                                   | CTA_TIMEOUT_L3PROTO be16
 *                                   | CTA_TIMEOUT_L4PROTO u8
 *                                   | CTA_TIMEOUT_DATA { 1: be32, 2: be32 ... }
 *                                   | CTA_TIMEOUT_USE be32 (replies)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/uapi.h"
#include "tmo/policy.h"

static const struct nl_attr_policy data_pol[CTA_TIMEOUT_DATA_MAX + 1] = {
	[1] = { .kind = NL_ATTR_U32 }, [2] = { .kind = NL_ATTR_U32 },
	[3] = { .kind = NL_ATTR_U32 }, [4] = { .kind = NL_ATTR_U32 },
	[5] = { .kind = NL_ATTR_U32 }, [6] = { .kind = NL_ATTR_U32 },
	[7] = { .kind = NL_ATTR_U32 }, [8] = { .kind = NL_ATTR_U32 },
	[9] = { .kind = NL_ATTR_U32 }, [10] = { .kind = NL_ATTR_U32 },
	[11] = { .kind = NL_ATTR_U32 },
};

static const struct nl_attr_policy pol[CTA_TIMEOUT_MAX + 1] = {
	[CTA_TIMEOUT_NAME] = { .kind = NL_ATTR_STRING,
			       .max_len = CTNL_TIMEOUT_NAME_MAX },
	[CTA_TIMEOUT_L3PROTO] = { .kind = NL_ATTR_U16 },
	[CTA_TIMEOUT_L4PROTO] = { .kind = NL_ATTR_U8 },
	[CTA_TIMEOUT_DATA] = { .kind = NL_ATTR_NESTED, .nested = data_pol,
			       .nested_max = CTA_TIMEOUT_DATA_MAX },
	[CTA_TIMEOUT_USE] = { .kind = NL_ATTR_U32 },
};

int tmo_policy_set_name(struct tmo_policy *p, const char *name)
{
	size_t n = strlen(name);

	if (n >= sizeof(p->name))
		return -ENAMETOOLONG;
	memcpy(p->name, name, n + 1);
	p->has |= TMO_HAS_NAME;
	return 0;
}

static int put_data(struct nl_msg *m, const struct tmo_policy *p)
{
	const struct tmo_proto *pr = tmo_proto_find(p->l4proto);
	size_t tok;
	int rc;

	if (!(p->has & TMO_HAS_L4) || !pr || p->set >> pr->nstates)
		return -EINVAL;
	rc = nl_attr_nest_begin(m, CTA_TIMEOUT_DATA, &tok);
	for (unsigned int i = 0; !rc && i < pr->nstates; i++)
		if (p->set & 1u << i)
			rc = nl_attr_put_be32(m, (uint16_t)(i + 1), p->secs[i]);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_policy(struct nl_msg *m, const struct tmo_policy *p)
{
	int rc = 0;

	if (p->has & TMO_HAS_NAME) {
		if (!memchr(p->name, 0, sizeof(p->name)))
			return -EINVAL;
		rc = nl_attr_put_str(m, CTA_TIMEOUT_NAME, p->name);
	}
	if (!rc && p->has & TMO_HAS_L3)
		rc = nl_attr_put_be16(m, CTA_TIMEOUT_L3PROTO, p->l3proto);
	if (!rc && p->has & TMO_HAS_L4)
		rc = nl_attr_put_u8(m, CTA_TIMEOUT_L4PROTO, p->l4proto);
	if (!rc && p->set)
		rc = put_data(m, p);
	return rc;
}

int tmo_policy_encode(struct nl_msg *m, uint8_t type, uint16_t flags,
		      uint32_t seq, const struct tmo_policy *p)
{
	int rc;

	rc = nl_msg_begin_nfnl(m, NFNL_SUBSYS_CTNETLINK_TIMEOUT, type, flags,
			       seq, AF_UNSPEC);
	if (rc < 0)
		return rc;
	if (p && (rc = put_policy(m, p)) < 0) {
		nl_msg_cancel(m);
		return rc;
	}
	nl_msg_end(m);
	return 0;
}

/* The states of CTA_TIMEOUT_DATA that upstream names for the protocol. */
static int get_data(const struct nlattr *nest, struct tmo_policy *p,
		    struct nl_attr_err *err)
{
	const struct nlattr *tb[CTA_TIMEOUT_DATA_MAX + 1];
	const struct tmo_proto *pr = tmo_proto_find(p->l4proto);
	int rc;

	rc = nl_attr_parse_nested(nest, data_pol, CTA_TIMEOUT_DATA_MAX, tb, 0,
				  err);
	if (rc < 0 || !pr || !(p->has & TMO_HAS_L4))
		return rc;
	for (unsigned int i = 0; i < pr->nstates; i++)
		if (tb[i + 1]) {
			p->secs[i] = nl_attr_get_be32(tb[i + 1]);
			p->set |= 1u << i;
		}
	return 0;
}

int tmo_policy_decode(const struct nlmsghdr *nlh, struct tmo_policy *p,
		      struct nl_attr_err *err)
{
	const struct nlattr *tb[CTA_TIMEOUT_MAX + 1];
	const void *data;
	size_t len;
	uint8_t cmd, family;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = nl_nfnl_payload(nlh, NFNL_SUBSYS_CTNETLINK_TIMEOUT, &cmd, &family,
			     &data, &len);
	if (rc < 0) {
		if (err)
			*err = (struct nl_attr_err){ .msg = rc == -EBADMSG ?
				"short message" : "not a cttimeout message" };
		return rc;
	}
	rc = nl_attr_parse(data, len, pol, CTA_TIMEOUT_MAX, tb, 0, err);
	if (rc < 0)
		return rc;
	if (tb[CTA_TIMEOUT_NAME]) {
		/* the policy's bound and the NUL are checked: it fits */
		snprintf(p->name, sizeof(p->name), "%s",
			 nl_attr_get_str(tb[CTA_TIMEOUT_NAME]));
		p->has |= TMO_HAS_NAME;
	}
	if (tb[CTA_TIMEOUT_L3PROTO]) {
		p->l3proto = nl_attr_get_be16(tb[CTA_TIMEOUT_L3PROTO]);
		p->has |= TMO_HAS_L3;
	}
	if (tb[CTA_TIMEOUT_L4PROTO]) {
		p->l4proto = nl_attr_get_u8(tb[CTA_TIMEOUT_L4PROTO]);
		p->has |= TMO_HAS_L4;
	}
	if (tb[CTA_TIMEOUT_USE]) {
		p->use = nl_attr_get_be32(tb[CTA_TIMEOUT_USE]);
		p->has |= TMO_HAS_USE;
	}
	return tb[CTA_TIMEOUT_DATA] ? get_data(tb[CTA_TIMEOUT_DATA], p, err) : 0;
}

/* An output cursor: appends stop at the first overflow. */
struct out {
	char *buf;
	size_t cap, len;
	int full;
};

__attribute__((format(printf, 2, 3)))
static void out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len)
		o->full = 1;
	else
		o->len += (size_t)n;
}

int tmo_policy_format(const struct tmo_policy *p, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, cap == 0 };
	const struct tmo_proto *pr;

	if (p->has & TMO_HAS_NAME)
		out_add(&o, ".%.*s = {\n", (int)sizeof(p->name), p->name);
	if (p->has & TMO_HAS_L3)
		out_add(&o, "\t.l3proto = %u,\n", p->l3proto);
	if (p->has & TMO_HAS_L4)
		out_add(&o, "\t.l4proto = %u,\n", p->l4proto);
	if (p->set) {
		/* like upstream: a protocol without names prints as generic */
		pr = tmo_proto_find(p->l4proto);
		if (!pr)
			pr = tmo_proto_find(TMO_PROTO_GENERIC);
		out_add(&o, "\t.policy = {\n");
		for (unsigned int i = 0; i < pr->nstates; i++)
			out_add(&o, "\t\t.%s = %u,\n", pr->states[i],
				p->set & 1u << i ? p->secs[i] : 0);
		out_add(&o, "\t},\n");
	}
	out_add(&o, "};");
	if (o.full) {
		if (cap)
			buf[0] = '\0';
		return -ENOSPC;
	}
	return (int)o.len;
}
