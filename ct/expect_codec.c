// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expectation message decoding and request encoding. The top level and
 * the CTA_EXPECT_NAT nest each go through nl_attr_parse() with their own
 * policy; tuple nests are handed to ct_tuple_decode(), and error offsets
 * coming back from a nest are made relative to the whole stream. The
 * kernel's meaning of each attribute (nf_conntrack_netlink.c):
 *   MASTER  orig tuple of the conntrack whose helper made the expectation
 *   TUPLE   the connection expected; MASK says which of its bits matter
 *           (the kernel dumps dst address and port as all ones)
 *   TIMEOUT seconds left; ID a per-boot hash; FLAGS NF_CT_EXPECT_*
 *   CLASS   the helper's expectation class (bounded by the helper)
 *   NAT     for NATed helpers: direction and the saved address/port
 *   FN      name of the function run on the expected connection
 */
#include <errno.h>
#include <string.h>

#include "ct/decode.h"
#include "ct/encode.h"
#include "ct/expect_codec.h"
#include "nl/reply.h"

#define U16 { .kind = NL_ATTR_U16 }
#define U32 { .kind = NL_ATTR_U32 }
#define NEST { .kind = NL_ATTR_NESTED }

static const struct nl_attr_policy exp_pol[CTA_EXPECT_MAX + 1] = {
	[CTA_EXPECT_MASTER] = NEST,
	[CTA_EXPECT_TUPLE] = NEST,
	[CTA_EXPECT_MASK] = NEST,
	[CTA_EXPECT_TIMEOUT] = U32,
	[CTA_EXPECT_ID] = U32,
	[CTA_EXPECT_HELP_NAME] = { .kind = NL_ATTR_STRING,
				   .max_len = CT_EXP_HELPER_MAX },
	[CTA_EXPECT_ZONE] = U16,
	[CTA_EXPECT_FLAGS] = U32,
	[CTA_EXPECT_CLASS] = U32,
	[CTA_EXPECT_NAT] = NEST,
	[CTA_EXPECT_FN] = { .kind = NL_ATTR_STRING },
};

static const struct nl_attr_policy nat_pol[CTA_EXPECT_NAT_MAX + 1] = {
	[CTA_EXPECT_NAT_DIR] = U32,
	[CTA_EXPECT_NAT_TUPLE] = NEST,
};

/* Offsets in @err from a nest made relative to the stream at @base. */
static int fix_err(int rc, struct nl_attr_err *err, const void *base,
		   const struct nlattr *nest, uint8_t depth)
{
	if (rc < 0 && err) {
		err->offset += (uint32_t)((const unsigned char *)
					  nl_attr_data(nest) -
					  (const unsigned char *)base);
		err->depth = (uint8_t)(err->depth + depth);
	}
	return rc;
}

static int decode_nat(const void *base, const struct nlattr *nest,
		      struct ct_expect *x, struct nl_attr_err *err)
{
	const struct nlattr *tb[CTA_EXPECT_NAT_MAX + 1];
	uint32_t dir;
	int rc;

	rc = nl_attr_parse(nl_attr_data(nest), nl_attr_payload_len(nest),
			   nat_pol, CTA_EXPECT_NAT_MAX, tb, 0, err);
	if (rc < 0)
		return fix_err(rc, err, base, nest, 1);
	/* Without CTA_EXPECT_NAT_TUPLE (the kernel always sends it) the
	 * tuple is what an empty nest decodes to, since put_nat() always
	 * writes one: the family as l3, nothing else. */
	x->nat_tuple.l3 = x->family;
	if (tb[CTA_EXPECT_NAT_TUPLE]) {
		rc = ct_tuple_decode(tb[CTA_EXPECT_NAT_TUPLE], x->family,
				     &x->nat_tuple, err);
		if (rc < 0) {
			fix_err(rc, err, nl_attr_data(nest),
				tb[CTA_EXPECT_NAT_TUPLE], 0);
			return fix_err(rc, err, base, nest, 1);
		}
	}
	if (tb[CTA_EXPECT_NAT_DIR]) {
		dir = nl_attr_get_be32(tb[CTA_EXPECT_NAT_DIR]);
		if (dir > CT_DIR_REPLY) {
			if (err)
				*err = (struct nl_attr_err){
					.msg = "bad NAT direction",
					.type = CTA_EXPECT_NAT_DIR,
					.offset = (uint32_t)((const unsigned char *)
						tb[CTA_EXPECT_NAT_DIR] -
						(const unsigned char *)base),
					.depth = 1 };
			return -EINVAL;
		}
		x->nat_dir = (uint8_t)dir;
	}
	x->set |= CT_EXP_NAT;
	return 0;
}

/* The three tuple nests, by attribute type. */
static const struct {
	uint16_t type;
	uint32_t bit;
	size_t off;
} tuples[] = {
	{ CTA_EXPECT_MASTER, CT_EXP_MASTER, offsetof(struct ct_expect, master) },
	{ CTA_EXPECT_TUPLE, CT_EXP_TUPLE, offsetof(struct ct_expect, tuple) },
	{ CTA_EXPECT_MASK, CT_EXP_MASK, offsetof(struct ct_expect, mask) },
};

/* The be32 scalars, by attribute type. */
static const struct {
	uint16_t type;
	uint32_t bit;
	size_t off;
} scalars[] = {
	{ CTA_EXPECT_TIMEOUT, CT_EXP_TIMEOUT,
	  offsetof(struct ct_expect, timeout) },
	{ CTA_EXPECT_ID, CT_EXP_ID, offsetof(struct ct_expect, id) },
	{ CTA_EXPECT_FLAGS, CT_EXP_FLAGS, offsetof(struct ct_expect, flags) },
	{ CTA_EXPECT_CLASS, CT_EXP_CLASS, offsetof(struct ct_expect, class) },
};

int ct_expect_decode_attrs(const void *data, size_t len, uint8_t family,
			   struct ct_expect *x, struct nl_attr_err *err)
{
	const struct nlattr *tb[CTA_EXPECT_MAX + 1];
	unsigned char *p = (unsigned char *)x;
	uint32_t v;
	int rc;

	memset(x, 0, sizeof(*x));
	x->family = family;
	rc = nl_attr_parse(data, len, exp_pol, CTA_EXPECT_MAX, tb, 0, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < sizeof(tuples) / sizeof(tuples[0]); i++) {
		const struct nlattr *a = tb[tuples[i].type];

		if (!a)
			continue;
		rc = ct_tuple_decode(a, family,
				     (struct ct_tuple *)(p + tuples[i].off),
				     err);
		if (rc < 0)
			return fix_err(rc, err, data, a, 0);
		x->set |= tuples[i].bit;
	}
	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		if (!tb[scalars[i].type])
			continue;
		v = nl_attr_get_be32(tb[scalars[i].type]);
		memcpy(p + scalars[i].off, &v, sizeof(v));
		x->set |= scalars[i].bit;
	}
	if (tb[CTA_EXPECT_ZONE]) {
		x->zone = nl_attr_get_be16(tb[CTA_EXPECT_ZONE]);
		x->set |= CT_EXP_ZONE;
	}
	if (tb[CTA_EXPECT_HELP_NAME]) {
		x->helper = nl_attr_get_str(tb[CTA_EXPECT_HELP_NAME]);
		x->set |= CT_EXP_HELPER;
	}
	if (tb[CTA_EXPECT_FN]) {
		x->fn = nl_attr_get_str(tb[CTA_EXPECT_FN]);
		x->set |= CT_EXP_FN;
	}
	if (tb[CTA_EXPECT_NAT])
		return decode_nat(data, tb[CTA_EXPECT_NAT], x, err);
	return 0;
}

int ct_expect_decode(const struct nlmsghdr *nlh, struct ct_expect *x,
		     struct nl_attr_err *err)
{
	const void *data;
	size_t len;
	uint8_t cmd, family;
	int rc;

	rc = nl_nfnl_payload(nlh, NFNL_SUBSYS_CTNETLINK_EXP, &cmd, &family, &data, &len);
	if (rc == 0 && cmd != IPCTNL_MSG_EXP_NEW && cmd != IPCTNL_MSG_EXP_DELETE)
		rc = -EPROTO;
	if (rc < 0) {
		if (err)
			*err = (struct nl_attr_err){ .msg = rc == -EBADMSG ?
				"short message" : "not an expectation message" };
		return rc;
	}
	return ct_expect_decode_attrs(data, len, family, x, err);
}

/* ---- encoding --------------------------------------------------------- */

/* Undo everything put into the open message since it was @len long. */

int ct_expect_put_key(struct nl_msg *m, const struct ct_expect *x)
{
	size_t start = m->len;
	int rc;

	if (x->set & CT_EXP_TUPLE)
		rc = ct_tuple_put(m, CTA_EXPECT_TUPLE, &x->tuple);
	else if (x->set & CT_EXP_MASTER)
		rc = ct_tuple_put(m, CTA_EXPECT_MASTER, &x->master);
	else
		return -EINVAL;
	if (rc == 0 && (x->set & CT_EXP_ZONE))
		rc = nl_attr_put_be16(m, CTA_EXPECT_ZONE, x->zone);
	if (rc == 0 && (x->set & CT_EXP_ID))
		rc = nl_attr_put_be32(m, CTA_EXPECT_ID, x->id);
	if (rc < 0)
		nl_msg_trim(m, start);
	return rc;
}

static int put_nat(struct nl_msg *m, const struct ct_expect *x)
{
	size_t tok;
	int rc;

	rc = nl_attr_nest_begin(m, CTA_EXPECT_NAT, &tok);
	if (rc == 0)
		rc = nl_attr_put_be32(m, CTA_EXPECT_NAT_DIR, x->nat_dir);
	if (rc == 0)
		rc = ct_tuple_put(m, CTA_EXPECT_NAT_TUPLE, &x->nat_tuple);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_str(struct nl_msg *m, uint16_t type, const char *s,
		   size_t max)
{
	if (!s || (max && strlen(s) >= max))
		return -EINVAL;
	return nl_attr_put_str(m, type, s);
}

int ct_expect_put_new(struct nl_msg *m, const struct ct_expect *x)
{
	const uint32_t need = CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK;
	size_t start = m->len;
	int rc;

	if ((x->set & need) != need)
		return -EINVAL;
	rc = ct_tuple_put(m, CTA_EXPECT_MASTER, &x->master);
	if (rc == 0)
		rc = ct_tuple_put(m, CTA_EXPECT_TUPLE, &x->tuple);
	if (rc == 0)
		rc = ct_tuple_put(m, CTA_EXPECT_MASK, &x->mask);
	if (rc == 0 && (x->set & CT_EXP_TIMEOUT))
		rc = nl_attr_put_be32(m, CTA_EXPECT_TIMEOUT, x->timeout);
	if (rc == 0 && (x->set & CT_EXP_ZONE))
		rc = nl_attr_put_be16(m, CTA_EXPECT_ZONE, x->zone);
	if (rc == 0 && (x->set & CT_EXP_FLAGS))
		rc = nl_attr_put_be32(m, CTA_EXPECT_FLAGS, x->flags);
	if (rc == 0 && (x->set & CT_EXP_CLASS))
		rc = nl_attr_put_be32(m, CTA_EXPECT_CLASS, x->class);
	if (rc == 0 && (x->set & CT_EXP_HELPER))
		rc = put_str(m, CTA_EXPECT_HELP_NAME, x->helper,
			     CT_EXP_HELPER_MAX);
	if (rc == 0 && (x->set & CT_EXP_NAT))
		rc = put_nat(m, x);
	if (rc == 0 && (x->set & CT_EXP_FN))
		rc = put_str(m, CTA_EXPECT_FN, x->fn, 0);
	if (rc < 0)
		nl_msg_trim(m, start);
	return rc;
}
