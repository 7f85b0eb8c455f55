// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Encoding, decoding and printing of cthelper objects (cth/helper.h).
 *
 *   nlmsghdr | nfgenmsg (AF_UNSPEC) | NFCTH_NAME "name\0"
 *            | NFCTH_QUEUE_NUM be32 | NFCTH_PRIV_DATA_LEN be32
 *            | NFCTH_TUPLE { L3PROTONUM be16, L4PROTONUM u8 }
 *            | NFCTH_POLICY { SET1 { NAME, EXPECT_MAX, EXPECT_TIMEOUT },
 *                             ... SETn, SET_NUM be32 = n }
 *            | NFCTH_STATUS be32
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cth/helper.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/uapi.h"

static const struct nl_attr_policy tuple_pol[NFCTH_TUPLE_MAX + 1] = {
	[NFCTH_TUPLE_L3PROTONUM] = { .kind = NL_ATTR_U16 },
	[NFCTH_TUPLE_L4PROTONUM] = { .kind = NL_ATTR_U8 },
};

static const struct nl_attr_policy class_pol[NFCTH_POLICY_MAX + 1] = {
	[NFCTH_POLICY_NAME] = { .kind = NL_ATTR_STRING,
				.max_len = NF_CT_HELPER_NAME_LEN },
	[NFCTH_POLICY_EXPECT_MAX] = { .kind = NL_ATTR_U32 },
	[NFCTH_POLICY_EXPECT_TIMEOUT] = { .kind = NL_ATTR_U32 },
};

#define CLASS { .kind = NL_ATTR_NESTED, .nested = class_pol, \
		.nested_max = NFCTH_POLICY_MAX }
static const struct nl_attr_policy set_pol[NFCTH_POLICY_SET_MAX + 1] = {
	[NFCTH_POLICY_SET_NUM] = { .kind = NL_ATTR_U32 },
	[NFCTH_POLICY_SET] = CLASS, [NFCTH_POLICY_SET + 1] = CLASS,
	[NFCTH_POLICY_SET + 2] = CLASS, [NFCTH_POLICY_SET + 3] = CLASS,
};

static const struct nl_attr_policy pol[NFCTH_MAX + 1] = {
	[NFCTH_NAME] = { .kind = NL_ATTR_STRING,
			 .max_len = NF_CT_HELPER_NAME_LEN },
	[NFCTH_TUPLE] = { .kind = NL_ATTR_NESTED, .nested = tuple_pol,
			  .nested_max = NFCTH_TUPLE_MAX },
	[NFCTH_QUEUE_NUM] = { .kind = NL_ATTR_U32 },
	[NFCTH_POLICY] = { .kind = NL_ATTR_NESTED, .nested = set_pol,
			   .nested_max = NFCTH_POLICY_SET_MAX },
	[NFCTH_PRIV_DATA_LEN] = { .kind = NL_ATTR_U32 },
	[NFCTH_STATUS] = { .kind = NL_ATTR_U32 },
};

int cth_helper_set_name(struct cth_helper *h, const char *name)
{
	size_t n = strlen(name);

	if (n >= sizeof(h->name))
		return -ENAMETOOLONG;
	memcpy(h->name, name, n + 1);
	h->has |= CTH_HAS_NAME;
	return 0;
}

static int put_class(struct nl_msg *m, uint16_t type,
		     const struct cth_policy *c)
{
	size_t tok;
	int rc;

	if (!memchr(c->name, 0, sizeof(c->name)))
		return -EINVAL;
	rc = nl_attr_nest_begin(m, type, &tok);
	if (!rc)
		rc = nl_attr_put_str(m, NFCTH_POLICY_NAME, c->name);
	if (!rc)
		rc = nl_attr_put_be32(m, NFCTH_POLICY_EXPECT_MAX, c->expect_max);
	if (!rc)
		rc = nl_attr_put_be32(m, NFCTH_POLICY_EXPECT_TIMEOUT,
				      c->expect_timeout);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_policy(struct nl_msg *m, const struct cth_helper *h)
{
	size_t tok;
	int rc;

	if (h->npolicy < 1 || h->npolicy > CTH_POLICY_MAX)
		return -EINVAL;
	rc = nl_attr_nest_begin(m, NFCTH_POLICY, &tok);
	for (uint32_t i = 0; !rc && i < h->npolicy; i++)
		rc = put_class(m, (uint16_t)(NFCTH_POLICY_SET + i),
			       &h->policy[i]);
	if (!rc)
		rc = nl_attr_put_be32(m, NFCTH_POLICY_SET_NUM, h->npolicy);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_tuple(struct nl_msg *m, const struct cth_helper *h)
{
	size_t tok;
	int rc;

	rc = nl_attr_nest_begin(m, NFCTH_TUPLE, &tok);
	if (!rc)
		rc = nl_attr_put_be16(m, NFCTH_TUPLE_L3PROTONUM, h->l3proto);
	if (!rc)
		rc = nl_attr_put_u8(m, NFCTH_TUPLE_L4PROTONUM, h->l4proto);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_helper(struct nl_msg *m, const struct cth_helper *h)
{
	int rc = 0;

	if (h->has & CTH_HAS_NAME) {
		if (!memchr(h->name, 0, sizeof(h->name)))
			return -EINVAL;
		rc = nl_attr_put_str(m, NFCTH_NAME, h->name);
	}
	if (!rc && h->has & CTH_HAS_QUEUE)
		rc = nl_attr_put_be32(m, NFCTH_QUEUE_NUM, h->queue_num);
	if (!rc && h->has & CTH_HAS_PRIV)
		rc = nl_attr_put_be32(m, NFCTH_PRIV_DATA_LEN, h->priv_data_len);
	if (!rc && h->has & CTH_HAS_TUPLE)
		rc = put_tuple(m, h);
	if (!rc && h->has & CTH_HAS_POLICY)
		rc = put_policy(m, h);
	if (!rc && h->has & CTH_HAS_STATUS)
		rc = nl_attr_put_be32(m, NFCTH_STATUS, h->status);
	return rc;
}

int cth_helper_encode(struct nl_msg *m, uint8_t type, uint16_t flags,
		      uint32_t seq, const struct cth_helper *h)
{
	int rc;

	rc = nl_msg_begin_nfnl(m, NFNL_SUBSYS_CTHELPER, type, flags, seq,
			       AF_UNSPEC);
	if (rc < 0)
		return rc;
	if (h && (rc = put_helper(m, h)) < 0) {
		nl_msg_cancel(m);
		return rc;
	}
	nl_msg_end(m);
	return 0;
}

static int bad(struct nl_attr_err *err, uint16_t type, const char *msg)
{
	if (err)
		*err = (struct nl_attr_err){ .msg = msg, .type = type };
	return -EBADMSG;
}

static int get_class(const struct nlattr *nest, struct cth_policy *c,
		     struct nl_attr_err *err)
{
	const struct nlattr *tb[NFCTH_POLICY_MAX + 1];
	int rc;

	rc = nl_attr_parse_nested(nest, class_pol, NFCTH_POLICY_MAX, tb, 0,
				  err);
	if (rc < 0)
		return rc;
	if (!tb[NFCTH_POLICY_NAME] || !tb[NFCTH_POLICY_EXPECT_MAX] ||
	    !tb[NFCTH_POLICY_EXPECT_TIMEOUT])
		return bad(err, nl_attr_type(nest), "incomplete expectation class");
	snprintf(c->name, sizeof(c->name), "%s",
		 nl_attr_get_str(tb[NFCTH_POLICY_NAME]));
	c->expect_max = nl_attr_get_be32(tb[NFCTH_POLICY_EXPECT_MAX]);
	c->expect_timeout = nl_attr_get_be32(tb[NFCTH_POLICY_EXPECT_TIMEOUT]);
	return 0;
}

static int get_policy(const struct nlattr *nest, struct cth_helper *h,
		      struct nl_attr_err *err)
{
	const struct nlattr *tb[NFCTH_POLICY_SET_MAX + 1];
	uint32_t n;
	int rc;

	rc = nl_attr_parse_nested(nest, set_pol, NFCTH_POLICY_SET_MAX, tb, 0,
				  err);
	if (rc < 0)
		return rc;
	if (!tb[NFCTH_POLICY_SET_NUM])
		return bad(err, NFCTH_POLICY, "no expectation class count");
	n = nl_attr_get_be32(tb[NFCTH_POLICY_SET_NUM]);
	if (n < 1 || n > CTH_POLICY_MAX)
		return bad(err, NFCTH_POLICY_SET_NUM,
			   "expectation class count out of range");
	for (uint32_t i = 0; i < n; i++) {
		if (!tb[NFCTH_POLICY_SET + i])
			return bad(err, (uint16_t)(NFCTH_POLICY_SET + i),
				   "missing expectation class");
		rc = get_class(tb[NFCTH_POLICY_SET + i], &h->policy[i], err);
		if (rc < 0)
			return rc;
	}
	h->npolicy = n;
	h->has |= CTH_HAS_POLICY;
	return 0;
}

static int get_tuple(const struct nlattr *nest, struct cth_helper *h,
		     struct nl_attr_err *err)
{
	const struct nlattr *tb[NFCTH_TUPLE_MAX + 1];
	int rc;

	rc = nl_attr_parse_nested(nest, tuple_pol, NFCTH_TUPLE_MAX, tb, 0, err);
	if (rc < 0)
		return rc;
	if (tb[NFCTH_TUPLE_L3PROTONUM])
		h->l3proto = nl_attr_get_be16(tb[NFCTH_TUPLE_L3PROTONUM]);
	if (tb[NFCTH_TUPLE_L4PROTONUM])
		h->l4proto = nl_attr_get_u8(tb[NFCTH_TUPLE_L4PROTONUM]);
	h->has |= CTH_HAS_TUPLE;
	return 0;
}

int cth_helper_decode(const struct nlmsghdr *nlh, struct cth_helper *h,
		      struct nl_attr_err *err)
{
	static const uint16_t need[] = { NFCTH_NAME, NFCTH_QUEUE_NUM,
					 NFCTH_TUPLE, NFCTH_POLICY,
					 NFCTH_STATUS };
	const struct nlattr *tb[NFCTH_MAX + 1];
	const void *data;
	size_t len;
	uint8_t cmd, family;
	int rc;

	memset(h, 0, sizeof(*h));
	rc = nl_nfnl_payload(nlh, NFNL_SUBSYS_CTHELPER, &cmd, &family, &data,
			     &len);
	if (rc < 0) {
		if (err)
			*err = (struct nl_attr_err){ .msg = rc == -EBADMSG ?
				"short message" : "not a cthelper message" };
		return rc;
	}
	rc = nl_attr_parse(data, len, pol, NFCTH_MAX, tb, 0, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!tb[need[i]])
			return bad(err, need[i], "missing helper attribute");
	snprintf(h->name, sizeof(h->name), "%s", nl_attr_get_str(tb[NFCTH_NAME]));
	h->queue_num = nl_attr_get_be32(tb[NFCTH_QUEUE_NUM]);
	h->status = nl_attr_get_be32(tb[NFCTH_STATUS]);
	h->has |= CTH_HAS_NAME | CTH_HAS_QUEUE | CTH_HAS_STATUS;
	if (tb[NFCTH_PRIV_DATA_LEN]) {
		h->priv_data_len = nl_attr_get_be32(tb[NFCTH_PRIV_DATA_LEN]);
		h->has |= CTH_HAS_PRIV;
	}
	rc = get_tuple(tb[NFCTH_TUPLE], h, err);
	return rc < 0 ? rc : get_policy(tb[NFCTH_POLICY], h, err);
}

int cth_helper_format(const struct cth_helper *h, char *buf, size_t cap)
{
	int n;

	n = snprintf(buf, cap, "{\n\t.name = %.*s,\n\t.queuenum = %u,\n"
		     "\t.l3protonum = %u,\n\t.l4protonum = %u,\n"
		     "\t.priv_data_len = %u,\n\t.status = %s,\n};",
		     (int)sizeof(h->name), h->name, h->queue_num, h->l3proto,
		     h->l4proto, h->priv_data_len,
		     h->status ? "enabled" : "disabled");
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			buf[0] = '\0';
		return -ENOSPC;
	}
	return n;
}
