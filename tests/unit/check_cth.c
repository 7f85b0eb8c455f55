// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of cth/helper and cth/builtin. The kernels this project is
 * tested on have no nfnetlink_cthelper, so the replies are built here the
 * way the kernel's nfnl_cthelper_fill_info() writes them (uapi
 * nfnetlink_cthelper.h: name, queue, tuple, policy with its class count
 * first, private length, status) and decoded field by field, then printed
 * in upstream's format; every built-in's add and disable request round
 * trips through encode -> decode; a failing row per validation rule.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "cth/builtin.h"
#include "cth/helper.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/uapi.h"
#include "tests/unit/suites.h"

/* What the kernel sends for a helper, with these parts left out. */
#define NO_NAME		0x01
#define NO_QUEUE	0x02
#define NO_TUPLE	0x04
#define NO_POLICY	0x08
#define NO_STATUS	0x10
#define NO_PRIV		0x20
#define NO_SETNUM	0x40
#define NO_CLASS_MAX	0x80

static void put_class(struct nl_msg *m, uint16_t type, const char *name,
		      unsigned int omit)
{
	size_t tok;

	ck_assert_int_eq(nl_attr_nest_begin(m, type, &tok), 0);
	ck_assert_int_eq(nl_attr_put_str(m, NFCTH_POLICY_NAME, name), 0);
	if (!(omit & NO_CLASS_MAX))
		ck_assert_int_eq(nl_attr_put_be32(m, NFCTH_POLICY_EXPECT_MAX,
						  8), 0);
	ck_assert_int_eq(nl_attr_put_be32(m, NFCTH_POLICY_EXPECT_TIMEOUT, 30),
			 0);
	ck_assert_int_eq(nl_attr_nest_end(m, tok), 0);
}

/* A kernel reply describing helper "mdns" (udp, inet6, queue 5) with
 * @nclass classes announced and @have of them present. */
static struct nlmsghdr *kernel_helper(struct nl_msg *m, unsigned int omit,
				      uint32_t nclass, uint32_t have)
{
	size_t tok;

	nl_msg_reset(m);
	ck_assert_int_eq(nl_msg_begin_nfnl(m, NFNL_SUBSYS_CTHELPER,
					   NFNL_MSG_CTHELPER_NEW, NLM_F_MULTI,
					   9, AF_UNSPEC), 0);
	if (!(omit & NO_NAME))
		ck_assert_int_eq(nl_attr_put_str(m, NFCTH_NAME, "mdns"), 0);
	if (!(omit & NO_QUEUE))
		ck_assert_int_eq(nl_attr_put_be32(m, NFCTH_QUEUE_NUM, 5), 0);
	if (!(omit & NO_TUPLE)) {
		ck_assert_int_eq(nl_attr_nest_begin(m, NFCTH_TUPLE, &tok), 0);
		nl_attr_put_be16(m, NFCTH_TUPLE_L3PROTONUM, AF_INET6);
		nl_attr_put_u8(m, NFCTH_TUPLE_L4PROTONUM, IPPROTO_UDP);
		ck_assert_int_eq(nl_attr_nest_end(m, tok), 0);
	}
	if (!(omit & NO_POLICY)) {
		ck_assert_int_eq(nl_attr_nest_begin(m, NFCTH_POLICY, &tok), 0);
		if (!(omit & NO_SETNUM))
			nl_attr_put_be32(m, NFCTH_POLICY_SET_NUM, nclass);
		for (uint32_t i = 0; i < have; i++)
			put_class(m, (uint16_t)(NFCTH_POLICY_SET + i),
				  i ? "mdns-2" : "mdns", omit);
		ck_assert_int_eq(nl_attr_nest_end(m, tok), 0);
	}
	if (!(omit & NO_PRIV))
		nl_attr_put_be32(m, NFCTH_PRIV_DATA_LEN, 12);
	if (!(omit & NO_STATUS))
		nl_attr_put_be32(m, NFCTH_STATUS, NFCT_HELPER_STATUS_ENABLED);
	nl_msg_end(m);
	return nl_msg_hdr(m);
}

START_TEST(decode_kernel_reply)
{
	_Alignas(4) unsigned char buf[1024];
	struct nl_attr_err err = { 0 };
	struct cth_helper h;
	struct nl_msg m;
	char out[512];

	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(cth_helper_decode(kernel_helper(&m, 0, 2, 2), &h,
					   &err), 0);
	ck_assert_str_eq(h.name, "mdns");
	ck_assert_uint_eq(h.queue_num, 5);
	ck_assert_uint_eq(h.l3proto, AF_INET6);
	ck_assert_uint_eq(h.l4proto, IPPROTO_UDP);
	ck_assert_uint_eq(h.priv_data_len, 12);
	ck_assert_uint_eq(h.status, NFCT_HELPER_STATUS_ENABLED);
	ck_assert_uint_eq(h.npolicy, 2);
	ck_assert_str_eq(h.policy[1].name, "mdns-2");
	ck_assert_uint_eq(h.policy[0].expect_max, 8);
	ck_assert_uint_eq(h.policy[0].expect_timeout, 30);
	ck_assert_int_gt(cth_helper_format(&h, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "{\n\t.name = mdns,\n\t.queuenum = 5,\n"
			 "\t.l3protonum = 10,\n\t.l4protonum = 17,\n"
			 "\t.priv_data_len = 12,\n\t.status = enabled,\n};");
	/* the private length is optional, as in upstream's decoder */
	ck_assert_int_eq(cth_helper_decode(kernel_helper(&m, NO_PRIV, 1, 1),
					   &h, &err), 0);
	ck_assert_uint_eq(h.priv_data_len, 0);
	ck_assert_uint_eq(h.has & CTH_HAS_PRIV, 0);
}
END_TEST

struct bad_row {
	const char *what;
	unsigned int omit;
	uint32_t nclass, have;
};

static const struct bad_row bad_rows[] = {
	{ "no name", NO_NAME, 1, 1 },
	{ "no queue", NO_QUEUE, 1, 1 },
	{ "no tuple", NO_TUPLE, 1, 1 },
	{ "no policy", NO_POLICY, 1, 1 },
	{ "no status", NO_STATUS, 1, 1 },
	{ "no class count", NO_SETNUM, 1, 1 },
	{ "zero classes", 0, 0, 0 },
	{ "five classes", 0, 5, 4 },
	{ "a class announced but missing", 0, 2, 1 },
	{ "a class without its maximum", NO_CLASS_MAX, 1, 1 },
};

START_TEST(decode_bad)
{
	const struct bad_row *r = &bad_rows[_i];
	_Alignas(4) unsigned char buf[1024];
	struct nl_attr_err err = { 0 };
	struct cth_helper h;
	struct nl_msg m;

	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_msg(cth_helper_decode(kernel_helper(&m, r->omit, r->nclass,
						      r->have), &h, &err) ==
		      -EBADMSG, "%s", r->what);
	ck_assert_ptr_nonnull(err.msg);
}
END_TEST

/* Attribute forms the validator refuses, each on an otherwise good
 * reply: raw TLVs appended after the good ones replace them (the last
 * attribute of a type is the one read). */
struct form_row {
	const char *what;
	unsigned char tlv[48];
	size_t len;
	int rc;
};

#define A(len, type) (len), 0, (type), 0
#define N(len, type) (len), 0, (type), 0x80
static const struct form_row form_rows[] = {
	{ "name of 16 characters", { A(21, 1), 'a','b','c','d','e','f','g',
	  'h','i','j','k','l','m','n','o','p', 0, 0, 0, 0 }, 24, -ERANGE },
	{ "name without NUL", { A(6, 1), 'a', 'b', 0, 0 }, 8, -EINVAL },
	{ "queue of 2 bytes", { A(6, 3), 0, 1, 0, 0 }, 8, -ERANGE },
	{ "status of 8 bytes", { A(12, 6), 0, 0, 0, 1, 0, 0, 0, 0 }, 12,
	  -ERANGE },
	{ "l3protonum of 4 bytes", { N(12, 2), A(8, 1), 0, 0, 0, 2 }, 12,
	  -ERANGE },
	{ "class count of 2 bytes", { N(12, 4), A(6, 1), 0, 1, 0, 0 }, 12,
	  -ERANGE },
	{ "class name too long", { N(40, 4), A(8, 1), 0, 0, 0, 1,
	  N(28, 2), A(21, 1), 'a','b','c','d','e','f','g','h','i','j','k',
	  'l','m','n','o','p', 0, 0, 0, 0 }, 40, -ERANGE },
	{ "attribute past the end", { A(40, 6), 0, 0, 0, 1 }, 8, -EBADMSG },
};

START_TEST(decode_bad_form)
{
	const struct form_row *r = &form_rows[_i];
	_Alignas(4) unsigned char buf[1024];
	struct nl_attr_err err = { 0 };
	struct cth_helper h;
	struct nl_msg m;
	struct nlmsghdr *nlh;
	unsigned char *copy;

	nl_msg_init(&m, buf, sizeof(buf));
	nlh = kernel_helper(&m, 0, 1, 1);
	memcpy(buf + nlh->nlmsg_len, r->tlv, r->len);
	nlh->nlmsg_len += (uint32_t)r->len;
	copy = malloc(nlh->nlmsg_len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, buf, nlh->nlmsg_len);
	ck_assert_msg(cth_helper_decode((struct nlmsghdr *)copy, &h, &err) ==
		      r->rc, "%s", r->what);
	ck_assert_ptr_nonnull(err.msg);
	free(copy);
}
END_TEST

START_TEST(decode_bad_envelope)
{
	_Alignas(4) unsigned char buf[1024];
	struct cth_helper h;
	struct nl_msg m;
	struct nlmsghdr *nlh;

	nl_msg_init(&m, buf, sizeof(buf));
	nlh = kernel_helper(&m, 0, 1, 1);
	nlh->nlmsg_type = NFNL_SUBSYS_CTNETLINK_EXP << 8;
	ck_assert_int_eq(cth_helper_decode(nlh, &h, NULL), -EPROTO);
	nlh->nlmsg_type = NFNL_SUBSYS_CTHELPER << 8;
	nlh->nlmsg_len = NLMSG_HDRLEN + 3;
	ck_assert_int_eq(cth_helper_decode(nlh, &h, NULL), -EBADMSG);
}
END_TEST

/* Every built-in's request, as nfct add / disable send it, decodes to
 * what was encoded (a queue and status are added where the request has
 * none: the decoder wants what the kernel always sends). */
START_TEST(roundtrip_builtins)
{
	static const char *const names[] = { "amanda", "dhcpv6", "ftp",
		"mdns", "rpc", "sane", "slp", "ssdp", "tftp", "tns" };
	_Alignas(4) unsigned char buf[1024];
	unsigned int found = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (int l4 = 0; l4 < 2; l4++) {
			const struct cth_builtin *b = cth_builtin_find(names[i],
				l4 ? IPPROTO_UDP : IPPROTO_TCP);
			struct cth_helper in = { 0 }, out;
			struct nl_msg m;

			if (!b)
				continue;
			found++;
			ck_assert_int_eq(cth_helper_set_name(&in, b->name), 0);
			in.l3proto = AF_INET;
			in.l4proto = b->l4proto;
			in.queue_num = (uint32_t)i;
			in.status = l4;
			in.has |= CTH_HAS_TUPLE | CTH_HAS_QUEUE | CTH_HAS_STATUS;
			cth_builtin_apply(&in, b);
			nl_msg_init(&m, buf, sizeof(buf));
			ck_assert_int_eq(cth_helper_encode(&m,
				NFNL_MSG_CTHELPER_NEW, NLM_F_CREATE, 3, &in), 0);
			ck_assert_int_eq(cth_helper_decode(nl_msg_hdr(&m), &out,
							   NULL), 0);
			ck_assert_mem_eq(&in, &out, sizeof(in));
		}
	}
	ck_assert_uint_eq(found, 12);
	ck_assert_uint_eq(cth_builtin_find("ftp", IPPROTO_TCP)->priv_data_len,
			  24);
	ck_assert_ptr_null(cth_builtin_find("ftp", IPPROTO_UDP));
	ck_assert_ptr_null(cth_builtin_find("ft", IPPROTO_TCP));
	ck_assert_ptr_null(cth_builtin_find("ftpx", IPPROTO_TCP));
}
END_TEST

/* The requests nfct sends without objects or with a name only. */
START_TEST(encode_requests)
{
	_Alignas(4) unsigned char buf[256];
	struct cth_helper h = { 0 };
	struct nl_msg m;
	const struct nlattr *tb[NFCTH_MAX + 1];
	static const struct nl_attr_policy any[NFCTH_MAX + 1] = {
		[NFCTH_NAME] = { .kind = NL_ATTR_STRING },
		[NFCTH_TUPLE] = { .kind = NL_ATTR_NESTED },
		[NFCTH_STATUS] = { .kind = NL_ATTR_U32 },
	};

	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(cth_helper_encode(&m, NFNL_MSG_CTHELPER_DEL,
					   NLM_F_ACK, 4, NULL), 0);
	ck_assert_uint_eq(m.len, NLMSG_HDRLEN + sizeof(struct nfgenmsg));
	ck_assert_uint_eq(nl_msg_hdr(&m)->nlmsg_type,
			  NFNL_SUBSYS_CTHELPER << 8 | NFNL_MSG_CTHELPER_DEL);
	nl_msg_reset(&m);
	ck_assert_int_eq(cth_helper_set_name(&h, "tns"), 0);
	h.has |= CTH_HAS_TUPLE | CTH_HAS_STATUS;
	h.l3proto = AF_INET;
	h.l4proto = IPPROTO_TCP;
	ck_assert_int_eq(cth_helper_encode(&m, NFNL_MSG_CTHELPER_NEW, 0, 4,
					   &h), 0);
	ck_assert_int_eq(nl_attr_parse(buf + NLMSG_HDRLEN + 4,
				       m.len - NLMSG_HDRLEN - 4, any, NFCTH_MAX,
				       tb, NL_PARSE_STRICT, NULL), 0);
	ck_assert_str_eq(nl_attr_get_str(tb[NFCTH_NAME]), "tns");
	ck_assert_uint_eq(nl_attr_get_be32(tb[NFCTH_STATUS]),
			  NFCT_HELPER_STATUS_DISABLED);
	ck_assert_ptr_nonnull(tb[NFCTH_TUPLE]);
}
END_TEST

START_TEST(encode_refuses)
{
	_Alignas(4) unsigned char buf[512];
	struct cth_helper h = { 0 };
	struct nl_msg m;
	size_t full;

	ck_assert_int_eq(cth_helper_set_name(&h, "0123456789abcdef"),
			 -ENAMETOOLONG);
	ck_assert_int_eq(cth_helper_set_name(&h, "0123456789abcde"), 0);
	nl_msg_init(&m, buf, sizeof(buf));
	h.has |= CTH_HAS_POLICY;
	for (uint32_t n = 0; n < 7; n += 5) {	/* 0 and 5 classes */
		h.npolicy = n;
		ck_assert_int_eq(cth_helper_encode(&m, 0, 0, 1, &h), -EINVAL);
	}
	h.npolicy = 4;
	memset(h.policy[3].name, 'x', sizeof(h.policy[3].name));
	ck_assert_int_eq(cth_helper_encode(&m, 0, 0, 1, &h), -EINVAL);
	h.policy[3].name[0] = '\0';
	memset(h.name, 'x', sizeof(h.name));
	ck_assert_int_eq(cth_helper_encode(&m, 0, 0, 1, &h), -EINVAL);
	ck_assert_uint_eq(m.len, 0);
	h.name[0] = '\0';
	ck_assert_int_eq(cth_helper_encode(&m, 0, 0, 1, &h), 0);
	full = m.len;
	for (size_t cap = 0; cap < full; cap += 4) {
		nl_msg_init(&m, buf, cap);
		ck_assert_int_eq(cth_helper_encode(&m, 0, 0, 1, &h), -EMSGSIZE);
		ck_assert_uint_eq(m.len, 0);
	}
}
END_TEST

START_TEST(format_edges)
{
	struct cth_helper h = { .status = NFCT_HELPER_STATUS_DISABLED };
	char out[256];
	int n;

	n = cth_helper_format(&h, out, sizeof(out));
	ck_assert_str_eq(out, "{\n\t.name = ,\n\t.queuenum = 0,\n"
			 "\t.l3protonum = 0,\n\t.l4protonum = 0,\n"
			 "\t.priv_data_len = 0,\n\t.status = disabled,\n};");
	for (int cap = 0; cap <= n; cap++)
		ck_assert_int_eq(cth_helper_format(&h, out, (size_t)cap),
				 -ENOSPC);
	ck_assert_int_eq(cth_helper_format(&h, out, (size_t)n + 1), n);
}
END_TEST

Suite *cth_suite(void)
{
	Suite *s = suite_create("cth");
	TCase *tc = tcase_create("helper");

	tcase_add_test(tc, decode_kernel_reply);
	tcase_add_loop_test(tc, decode_bad, 0,
			    sizeof(bad_rows) / sizeof(bad_rows[0]));
	tcase_add_loop_test(tc, decode_bad_form, 0,
			    sizeof(form_rows) / sizeof(form_rows[0]));
	tcase_add_test(tc, decode_bad_envelope);
	tcase_add_test(tc, roundtrip_builtins);
	tcase_add_test(tc, encode_requests);
	tcase_add_test(tc, encode_refuses);
	tcase_add_test(tc, format_edges);
	suite_add_tcase(s, tc);
	return s;
}
