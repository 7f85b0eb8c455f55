// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack tuple decoding (ct/decode_int.h):
 *   CTA_TUPLE_ORIG/REPLY/MASTER { CTA_TUPLE_IP { V4/V6 SRC, DST },
 *                                 CTA_TUPLE_PROTO { NUM, ports | icmp },
 *                                 CTA_TUPLE_ZONE }
 * and the nest parser every level of the conntrack decoders goes through.
 */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/decode_int.h"
#include "ct/proto.h"
#include "nl/reply.h"

static const struct nl_attr_policy ip_pol[CTA_IP_MAX + 1] = {
	[CTA_IP_V4_SRC] = BIN(4),
	[CTA_IP_V4_DST] = BIN(4),
	[CTA_IP_V6_SRC] = BIN(16),
	[CTA_IP_V6_DST] = BIN(16),
};

static const struct nl_attr_policy l4_pol[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM] = U8,
	[CTA_PROTO_SRC_PORT] = U16,
	[CTA_PROTO_DST_PORT] = U16,
	[CTA_PROTO_ICMP_ID] = U16,
	[CTA_PROTO_ICMP_TYPE] = U8,
	[CTA_PROTO_ICMP_CODE] = U8,
	[CTA_PROTO_ICMPV6_ID] = U16,
	[CTA_PROTO_ICMPV6_TYPE] = U8,
	[CTA_PROTO_ICMPV6_CODE] = U8,
};

static const struct nl_attr_policy tuple_pol[CTA_TUPLE_MAX + 1] = {
	[CTA_TUPLE_IP] = NEST,
	[CTA_TUPLE_PROTO] = NEST,
	[CTA_TUPLE_ZONE] = U16,
};

/* Parses the nest @a one level down, fixing up the error position. */
int ct_decode_nest(const struct ct_dctx *c, const struct nlattr *a,
		      const struct nl_attr_policy *pol, uint16_t max,
		      const struct nlattr **tb, uint8_t depth)
{
	const unsigned char *p = nl_attr_data(a);
	int rc;

	rc = nl_attr_parse(p, nl_attr_payload_len(a), pol, max, tb, 0,
			   c->err);
	if (rc < 0 && c->err) {
		c->err->offset += (uint32_t)(p - c->base);
		c->err->depth = depth;
	}
	return rc;
}

static int decode_ip(const struct ct_dctx *c, const struct nlattr *nest,
		     struct ct_tuple *t, uint8_t depth)
{
	const struct nlattr *tb[CTA_IP_MAX + 1];
	int rc;

	rc = ct_decode_nest(c, nest, ip_pol, CTA_IP_MAX, tb, depth);
	if (rc < 0)
		return rc;
	if (tb[CTA_IP_V4_SRC] || tb[CTA_IP_V4_DST]) {
		t->l3 = AF_INET;
		if (tb[CTA_IP_V4_SRC]) {
			ct_decode_addr(&t->src, tb[CTA_IP_V4_SRC]);
			t->set |= CT_TUPLE_SRC;
		}
		if (tb[CTA_IP_V4_DST]) {
			ct_decode_addr(&t->dst, tb[CTA_IP_V4_DST]);
			t->set |= CT_TUPLE_DST;
		}
	} else if (tb[CTA_IP_V6_SRC] || tb[CTA_IP_V6_DST]) {
		t->l3 = AF_INET6;
		if (tb[CTA_IP_V6_SRC]) {
			ct_decode_addr(&t->src, tb[CTA_IP_V6_SRC]);
			t->set |= CT_TUPLE_SRC;
		}
		if (tb[CTA_IP_V6_DST]) {
			ct_decode_addr(&t->dst, tb[CTA_IP_V6_DST]);
			t->set |= CT_TUPLE_DST;
		}
	}
	return 0;
}

/* The l4 attributes of an icmp or icmpv6 tuple, by attribute number. */
struct icmp_attrs {
	uint16_t type, code, id;
};

static const struct icmp_attrs icmp4 = {
	CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMP_ID
};
static const struct icmp_attrs icmp6 = {
	CTA_PROTO_ICMPV6_TYPE, CTA_PROTO_ICMPV6_CODE, CTA_PROTO_ICMPV6_ID
};

static void decode_icmp(const struct nlattr *const *tb,
			const struct icmp_attrs *ia, struct ct_tuple *t)
{
	if (tb[ia->type]) {
		t->icmp_type = nl_attr_get_u8(tb[ia->type]);
		t->set |= CT_TUPLE_ICMP_TYPE;
	}
	if (tb[ia->code]) {
		t->icmp_code = nl_attr_get_u8(tb[ia->code]);
		t->set |= CT_TUPLE_ICMP_CODE;
	}
	if (tb[ia->id]) {
		t->icmp_id = nl_attr_get_be16(tb[ia->id]);
		t->set |= CT_TUPLE_ICMP_ID;
	}
}

static int decode_l4(const struct ct_dctx *c, const struct nlattr *nest,
		     struct ct_tuple *t, uint8_t depth)
{
	const struct nlattr *tb[CTA_PROTO_MAX + 1];
	const struct ct_proto *p;
	int rc;

	rc = ct_decode_nest(c, nest, l4_pol, CTA_PROTO_MAX, tb, depth);
	if (rc < 0)
		return rc;
	if (!tb[CTA_PROTO_NUM])
		return 0;
	t->l4 = nl_attr_get_u8(tb[CTA_PROTO_NUM]);
	t->set |= CT_TUPLE_PROTO;
	p = ct_proto_by_num(t->l4);
	switch (p->kind) {
	case CT_L4_PORTS:
	case CT_L4_GRE:
		if (tb[CTA_PROTO_SRC_PORT]) {
			t->sport = nl_attr_get_be16(tb[CTA_PROTO_SRC_PORT]);
			t->set |= CT_TUPLE_SPORT;
		}
		if (tb[CTA_PROTO_DST_PORT]) {
			t->dport = nl_attr_get_be16(tb[CTA_PROTO_DST_PORT]);
			t->set |= CT_TUPLE_DPORT;
		}
		break;
	case CT_L4_ICMP:
		decode_icmp(tb, &icmp4, t);
		break;
	case CT_L4_ICMPV6:
		decode_icmp(tb, &icmp6, t);
		break;
	default:
		break;
	}
	return 0;
}

int ct_decode_tuple_nest(const struct ct_dctx *c, const struct nlattr *nest,
			uint8_t family, struct ct_tuple *t, uint8_t depth)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1];
	int rc;

	memset(t, 0, sizeof(*t));
	t->l3 = family;
	rc = ct_decode_nest(c, nest, tuple_pol, CTA_TUPLE_MAX, tb, depth);
	if (rc < 0)
		return rc;
	if (tb[CTA_TUPLE_IP]) {
		rc = decode_ip(c, tb[CTA_TUPLE_IP], t, depth + 1);
		if (rc < 0)
			return rc;
	}
	if (tb[CTA_TUPLE_PROTO]) {
		rc = decode_l4(c, tb[CTA_TUPLE_PROTO], t, depth + 1);
		if (rc < 0)
			return rc;
	}
	if (tb[CTA_TUPLE_ZONE]) {
		t->zone = nl_attr_get_be16(tb[CTA_TUPLE_ZONE]);
		t->set |= CT_TUPLE_ZONE;
	}
	return 0;
}

int ct_tuple_decode(const struct nlattr *nest, uint8_t family,
		    struct ct_tuple *t, struct nl_attr_err *err)
{
	struct ct_dctx c = { .base = nl_attr_data(nest), .err = err };

	return ct_decode_tuple_nest(&c, nest, family, t, 1);
}
