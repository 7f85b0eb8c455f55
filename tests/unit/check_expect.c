// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ct/expect_codec and ct/expect_format: real kernel
 * expectation dumps (tests/data/exp_dump.hex, see make_exp_dump.sh: the
 * ftp helper's expectation, and a hand-made one with flags, NAT and an
 * expectfn) decoded field by field and printed exactly as the reference
 * conntrack prints them; encode -> decode round trips (IPv4 and IPv6,
 * every field); a failing row for each malformed input, each copied into
 * an exactly-sized heap buffer so ASan sees any overread; encode errors
 * leaving the request unchanged; printer edge cases.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/encode.h"
#include "ct/expect_codec.h"
#include "ct/expect_format.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"

/* ---- the real dumps ----------------------------------------------------- */

#define MAX_EXP 8
#define FIXTURE "tests/data/exp_dump.hex"
#define NEED_BITS (CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK)

static struct ct_expect fx[MAX_EXP];
static unsigned int nfx;

static int fx_data(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_attr_err err = { 0 };
	int rc;

	(void)arg;
	ck_assert_uint_lt(nfx, MAX_EXP);
	rc = ct_expect_decode(nlh, &fx[nfx], &err);
	ck_assert_msg(rc == 0, "decode: %d %s", rc, err.msg ? err.msg : "");
	nfx++;
	return 0;
}

static void load_fixture(void)
{
	if (nfx)
		return;
	fixture_replay(FIXTURE, fx_data, NULL, NULL, 0);
	ck_assert_uint_eq(nfx, 2);
}

static void ck_addr(const union ct_addr *a, uint8_t family, const char *s)
{
	union ct_addr b = { 0 };

	ck_assert_int_eq(inet_pton(family, s, &b), 1);
	ck_assert_msg(!memcmp(a, &b, family == AF_INET ? 4 : 16),
		      "address is not %s", s);
}

static void ck_tuple(const struct ct_tuple *t, const char *src,
		     const char *dst, uint16_t sport, uint16_t dport)
{
	const uint16_t want = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO |
			      CT_TUPLE_SPORT | CT_TUPLE_DPORT;

	ck_assert_uint_eq(t->set, want);
	ck_assert_uint_eq(t->l3, AF_INET);
	ck_assert_uint_eq(t->l4, IPPROTO_TCP);
	ck_addr(&t->src, AF_INET, src);
	ck_addr(&t->dst, AF_INET, dst);
	ck_assert_uint_eq(t->sport, sport);
	ck_assert_uint_eq(t->dport, dport);
}

/* What both dumped expectations carry. */
static void ck_common(const struct ct_expect *x)
{
	const uint32_t always = CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK |
				CT_EXP_TIMEOUT | CT_EXP_ID | CT_EXP_FLAGS |
				CT_EXP_CLASS | CT_EXP_HELPER;

	ck_assert_uint_eq(x->set & always, always);
	ck_assert(!(x->set & CT_EXP_ZONE));	/* never dumped */
	ck_assert_uint_eq(x->family, AF_INET);
	ck_tuple(&x->master, "127.0.0.1", "127.0.0.1", 40021, 21);
	ck_tuple(&x->mask, "255.255.255.255", "255.255.255.255", 0, 65535);
	ck_assert_uint_eq(x->class, 0);
	ck_assert_str_eq(x->helper, "ftp");
}

static const char ftp_line[] =
	"299 proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 dport=10000 "
	"mask-src=255.255.255.255 mask-dst=255.255.255.255 sport=0 "
	"dport=65535 master-src=127.0.0.1 master-dst=127.0.0.1 sport=40021 "
	"dport=21 class=0 helper=ftp";

static const char ftp_xml[] =
	"<flow><layer3 protonum=\"2\" protoname=\"ipv4\"><expected>"
	"<src>127.0.0.1</src><dst>127.0.0.1</dst></expected><mask>"
	"<src>255.255.255.255</src><dst>255.255.255.255</dst></mask><master>"
	"<src>127.0.0.1</src><dst>127.0.0.1</dst></master></layer3>"
	"<layer4 protonum=\"6\" protoname=\"tcp\"><expected><sport>0</sport>"
	"<dport>10000</dport></expected><mask><sport>0</sport>"
	"<dport>65535</dport></mask><master><sport>40021</sport>"
	"<dport>21</dport></master></layer4><meta>"
	"<helper-name>ftp</helper-name><timeout>299</timeout><class>0</class>"
	"</meta></flow>";

START_TEST(fixture_ftp)
{
	const struct ct_fmt_opts o = { 0 };
	const struct ct_expect *x;
	char buf[1024], want[1024];

	load_fixture();
	x = &fx[0];
	ck_common(x);
	ck_assert(!(x->set & (CT_EXP_NAT | CT_EXP_FN)));
	ck_tuple(&x->tuple, "127.0.0.1", "127.0.0.1", 0, 10000);
	ck_assert_uint_eq(x->timeout, 299);
	ck_assert_uint_eq(x->flags, 0);
	ck_assert_uint_eq(x->id, 0x4f0bbeb2);
	ck_assert_int_eq(ct_expect_format_default(buf, sizeof(buf), x, &o),
			 (int)strlen(ftp_line));
	ck_assert_str_eq(buf, ftp_line);
	ck_assert_int_eq(ct_expect_format_xml(buf, sizeof(buf), x, &o),
			 (int)strlen(ftp_xml));
	ck_assert_str_eq(buf, ftp_xml);
	snprintf(want, sizeof(want),
		 "{\"family\":\"ipv4\",\"l3num\":2,\"proto\":\"tcp\","
		 "\"protonum\":6,\"timeout\":299,\"tuple\":{\"src\":"
		 "\"127.0.0.1\",\"dst\":\"127.0.0.1\",\"sport\":0,"
		 "\"dport\":10000},\"mask\":{\"src\":\"255.255.255.255\","
		 "\"dst\":\"255.255.255.255\",\"sport\":0,\"dport\":65535},"
		 "\"master\":{\"protonum\":6,\"src\":\"127.0.0.1\",\"dst\":"
		 "\"127.0.0.1\",\"sport\":40021,\"dport\":21},\"flags\":[],"
		 "\"class\":0,\"helper\":\"ftp\",\"id\":%u}", 0x4f0bbeb2U);
	ck_assert_int_eq(ct_expect_format_json(buf, sizeof(buf), x, &o),
			 (int)strlen(want));
	ck_assert_str_eq(buf, want);
}
END_TEST

START_TEST(fixture_nat_fn)
{
	const struct ct_fmt_opts o = { .event = CT_FMT_EV_NEW };
	const struct ct_expect *x;
	char buf[1024];

	load_fixture();
	x = &fx[1];
	ck_common(x);
	ck_tuple(&x->tuple, "127.0.0.1", "127.0.0.1", 0, 20001);
	ck_assert_uint_eq(x->timeout, 300);	/* the helper's, not ours */
	ck_assert_uint_eq(x->flags, CT_EXP_F_PERMANENT | CT_EXP_F_INACTIVE);
	ck_assert_uint_eq(x->id, 0xf70f5b8c);
	ck_assert(x->set & CT_EXP_NAT);
	ck_assert_uint_eq(x->nat_dir, CT_DIR_REPLY);
	ck_tuple(&x->nat_tuple, "10.0.0.1", "0.0.0.0", 555, 0);
	ck_assert(x->set & CT_EXP_FN);
	ck_assert_str_eq(x->fn, "nat-follow-master");
	ck_assert_int_gt(ct_expect_format_default(buf, sizeof(buf), x, &o), 0);
	ck_assert_str_eq(buf,
		"    [NEW] 300 proto=6 src=127.0.0.1 dst=127.0.0.1 sport=0 "
		"dport=20001 mask-src=255.255.255.255 "
		"mask-dst=255.255.255.255 sport=0 dport=65535 "
		"master-src=127.0.0.1 master-dst=127.0.0.1 sport=40021 "
		"dport=21 PERMANENT,INACTIVE class=0 helper=ftp");
	ck_assert_int_gt(ct_expect_format_xml(buf, sizeof(buf), x, &o), 0);
	ck_assert_ptr_nonnull(strstr(buf, "<flow type=\"new\"><layer3 "));
	ck_assert_ptr_nonnull(strstr(buf,
		"<helper-name>ftp</helper-name><timeout>300</timeout>"
		"<class>0</class><permanent/><inactive/></meta></flow>"));
	ck_assert_int_gt(ct_expect_format_json(buf, sizeof(buf), x, &o), 0);
	ck_assert_ptr_nonnull(strstr(buf, "{\"event\":\"new\",\"family\""));
	ck_assert_ptr_nonnull(strstr(buf,
		"\"flags\":[\"PERMANENT\",\"INACTIVE\"],\"class\":0,"
		"\"helper\":\"ftp\",\"nat\":{\"dir\":\"reply\",\"tuple\":"
		"{\"src\":\"10.0.0.1\",\"dst\":\"0.0.0.0\",\"sport\":555,"
		"\"dport\":0}},\"fn\":\"nat-follow-master\",\"id\":"));
}
END_TEST

/* ---- round trips -------------------------------------------------------- */

static void mk_tuple(struct ct_tuple *t, uint8_t l3, uint8_t l4,
		     const char *src, const char *dst, uint16_t sp,
		     uint16_t dp)
{
	memset(t, 0, sizeof(*t));
	t->l3 = l3;
	t->l4 = l4;
	ck_assert_int_eq(inet_pton(l3, src, &t->src), 1);
	ck_assert_int_eq(inet_pton(l3, dst, &t->dst), 1);
	t->sport = sp;
	t->dport = dp;
	t->set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO |
		 CT_TUPLE_SPORT | CT_TUPLE_DPORT;
}

static void full(struct ct_expect *x, uint8_t l3)
{
	const int v6 = l3 == AF_INET6;

	memset(x, 0, sizeof(*x));
	x->family = l3;
	mk_tuple(&x->master, l3, IPPROTO_TCP, v6 ? "2001:db8::1" : "1.2.3.4",
		 v6 ? "2001:db8::2" : "5.6.7.8", 4000, 21);
	mk_tuple(&x->tuple, l3, IPPROTO_UDP, v6 ? "2001:db8::1" : "1.2.3.4",
		 v6 ? "2001:db8::2" : "5.6.7.8", 0, 5060);
	mk_tuple(&x->mask, l3, IPPROTO_UDP,
		 v6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" :
		      "255.255.255.255",
		 v6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" :
		      "255.255.255.255", 0, 0xffff);
	mk_tuple(&x->nat_tuple, l3, IPPROTO_UDP, v6 ? "2001:db8::9" : "9.9.9.9",
		 v6 ? "::" : "0.0.0.0", 7777, 0);
	x->timeout = 180;
	x->zone = 77;
	x->flags = CT_EXP_F_PERMANENT | CT_EXP_F_USERSPACE;
	x->class = 1;
	x->nat_dir = CT_DIR_REPLY;
	x->helper = "sip";
	x->fn = "nat-follow-master";
	x->set = CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK | CT_EXP_TIMEOUT |
		 CT_EXP_ZONE | CT_EXP_FLAGS | CT_EXP_CLASS | CT_EXP_HELPER |
		 CT_EXP_NAT | CT_EXP_FN;
}

static void ck_same_tuple(const struct ct_tuple *a, const struct ct_tuple *b)
{
	ck_assert_uint_eq(a->set, b->set);
	ck_assert_uint_eq(a->l3, b->l3);
	ck_assert_uint_eq(a->l4, b->l4);
	ck_assert(!memcmp(&a->src, &b->src, a->l3 == AF_INET ? 4 : 16));
	ck_assert(!memcmp(&a->dst, &b->dst, a->l3 == AF_INET ? 4 : 16));
	ck_assert_uint_eq(a->sport, b->sport);
	ck_assert_uint_eq(a->dport, b->dport);
}

/* Puts @x with ct_expect_put_new (or _key) into a NEW message, copies it
 * into an exactly-sized heap buffer (*@copy, freed by the caller: @y's
 * strings point into it) and decodes it into @y. */
static int round_trip(const struct ct_expect *x, struct ct_expect *y,
		      int key, unsigned char **copy_out)
{
	_Alignas(4) unsigned char buf[2048];
	struct nl_attr_err err = { 0 };
	struct nl_msg m;
	unsigned char *copy;
	size_t len;
	int rc;

	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
					   IPCTNL_MSG_EXP_NEW, 0, 1,
					   x->family), 0);
	rc = key ? ct_expect_put_key(&m, x) : ct_expect_put_new(&m, x);
	ck_assert_int_eq(rc, 0);
	nl_msg_end(&m);
	len = m.len;
	copy = malloc(len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, buf, len);
	rc = ct_expect_decode((const struct nlmsghdr *)copy, y, &err);
	*copy_out = copy;
	return rc;
}

START_TEST(round_trip_full)
{
	struct ct_expect x, y;
	unsigned char *copy;

	full(&x, _i ? AF_INET6 : AF_INET);
	ck_assert_int_eq(round_trip(&x, &y, 0, &copy), 0);
	ck_assert_uint_eq(y.set, x.set);
	ck_assert_uint_eq(y.family, x.family);
	ck_same_tuple(&y.master, &x.master);
	ck_same_tuple(&y.tuple, &x.tuple);
	ck_same_tuple(&y.mask, &x.mask);
	ck_same_tuple(&y.nat_tuple, &x.nat_tuple);
	ck_assert_uint_eq(y.timeout, 180);
	ck_assert_uint_eq(y.zone, 77);
	ck_assert_uint_eq(y.flags, x.flags);
	ck_assert_uint_eq(y.class, 1);
	ck_assert_uint_eq(y.nat_dir, CT_DIR_REPLY);
	ck_assert_str_eq(y.helper, "sip");
	ck_assert_str_eq(y.fn, "nat-follow-master");
	free(copy);
}
END_TEST

START_TEST(round_trip_key)
{
	struct ct_expect x, y;
	unsigned char *copy;

	full(&x, AF_INET);
	x.id = 0xdeadbeef;
	x.set = CT_EXP_TUPLE | CT_EXP_ZONE | CT_EXP_ID | CT_EXP_MASTER;
	ck_assert_int_eq(round_trip(&x, &y, 1, &copy), 0);
	free(copy);
	ck_assert_uint_eq(y.set, CT_EXP_TUPLE | CT_EXP_ZONE | CT_EXP_ID);
	ck_same_tuple(&y.tuple, &x.tuple);
	ck_assert_uint_eq(y.zone, 77);
	ck_assert_uint_eq(y.id, 0xdeadbeef);
	/* master only: GET by master */
	x.set = CT_EXP_MASTER;
	ck_assert_int_eq(round_trip(&x, &y, 1, &copy), 0);
	ck_assert_uint_eq(y.set, CT_EXP_MASTER);
	ck_same_tuple(&y.master, &x.master);
	free(copy);
}
END_TEST

/* A NAT nest without CTA_EXPECT_NAT_TUPLE (found by fuzz/expect.c): the
 * tuple decodes as an empty nest would (the family as l3), so that the
 * re-encoded expectation, whose nest always has a tuple, decodes the same. */
START_TEST(nat_without_tuple)
{
	_Alignas(4) unsigned char buf[2048];
	struct ct_expect x, y, z;
	struct nl_msg m;
	unsigned char *copy;
	size_t tok;

	full(&x, AF_INET);
	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
					   IPCTNL_MSG_EXP_NEW, 0, 1,
					   AF_INET), 0);
	ck_assert_int_eq(ct_tuple_put(&m, CTA_EXPECT_MASTER, &x.master), 0);
	ck_assert_int_eq(ct_tuple_put(&m, CTA_EXPECT_TUPLE, &x.tuple), 0);
	ck_assert_int_eq(ct_tuple_put(&m, CTA_EXPECT_MASK, &x.mask), 0);
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_EXPECT_NAT, &tok), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, CTA_EXPECT_NAT_DIR, 1), 0);
	ck_assert_int_eq(nl_attr_nest_end(&m, tok), 0);
	nl_msg_end(&m);
	ck_assert_int_eq(ct_expect_decode(nl_msg_hdr(&m), &y, NULL), 0);
	ck_assert_uint_eq(y.set, NEED_BITS | CT_EXP_NAT);
	ck_assert_uint_eq(y.nat_dir, CT_DIR_REPLY);
	ck_assert_uint_eq(y.nat_tuple.l3, AF_INET);
	ck_assert_uint_eq(y.nat_tuple.set, 0);
	ck_assert_int_eq(round_trip(&y, &z, 0, &copy), 0);
	ck_same_tuple(&z.nat_tuple, &y.nat_tuple);
	ck_assert_uint_eq(z.nat_dir, y.nat_dir);
	free(copy);
}
END_TEST

START_TEST(encode_errors)
{
	_Alignas(4) unsigned char buf[2048];
	struct ct_expect x;
	struct nl_msg m;
	size_t before;

	full(&x, AF_INET);
	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
					   IPCTNL_MSG_EXP_NEW, 0, 1,
					   AF_INET), 0);
	before = m.len;
	x.set &= ~CT_EXP_MASK;
	ck_assert_int_eq(ct_expect_put_new(&m, &x), -EINVAL);
	x.set |= CT_EXP_MASK;
	x.helper = "a-helper-name-too-long";
	ck_assert_int_eq(ct_expect_put_new(&m, &x), -EINVAL);
	ck_assert_uint_eq(m.len, before);
	x.set = CT_EXP_ZONE | CT_EXP_ID;
	ck_assert_int_eq(ct_expect_put_key(&m, &x), -EINVAL);
	ck_assert_uint_eq(m.len, before);
	/* too small: every size fails with the message untouched */
	full(&x, AF_INET6);
	for (size_t cap = 20; cap < 400; cap += 4) {
		nl_msg_init(&m, buf, cap);
		if (nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
				      IPCTNL_MSG_EXP_NEW, 0, 1, AF_INET6))
			continue;
		before = m.len;
		if (ct_expect_put_new(&m, &x) == 0)
			break;
		ck_assert_uint_eq(m.len, before);
		ck_assert_uint_eq(nl_msg_hdr(&m)->nlmsg_len, before);
	}
}
END_TEST

/* ---- malformed input ---------------------------------------------------- */

enum bad {
	BAD_SHORT, BAD_SUBSYS, BAD_CMD, BAD_TIMEOUT_SIZE, BAD_HELPER_NUL,
	BAD_HELPER_LONG, BAD_NAT_DIR, BAD_NAT_DIR_SIZE, BAD_TUPLE_IP,
	BAD_TUPLE_PORT, BAD_OVERRUN, BAD_ZONE_SIZE, BAD_NAT_TUPLE, NBAD
};

static const struct {
	int rc;
	uint16_t type;		/* attribute blamed (0: not checked) */
} bad_want[NBAD] = {
	[BAD_SHORT] = { -EBADMSG, 0 },
	[BAD_SUBSYS] = { -EPROTO, 0 },
	[BAD_CMD] = { -EPROTO, 0 },
	[BAD_TIMEOUT_SIZE] = { -ERANGE, CTA_EXPECT_TIMEOUT },
	[BAD_HELPER_NUL] = { -EINVAL, CTA_EXPECT_HELP_NAME },
	[BAD_HELPER_LONG] = { -ERANGE, CTA_EXPECT_HELP_NAME },
	[BAD_NAT_DIR] = { -EINVAL, CTA_EXPECT_NAT_DIR },
	[BAD_NAT_DIR_SIZE] = { -ERANGE, CTA_EXPECT_NAT_DIR },
	[BAD_TUPLE_IP] = { -ERANGE, CTA_IP_V4_SRC },
	[BAD_TUPLE_PORT] = { -ERANGE, CTA_PROTO_DST_PORT },
	[BAD_OVERRUN] = { -EBADMSG, 0 },
	[BAD_ZONE_SIZE] = { -ERANGE, CTA_EXPECT_ZONE },
	[BAD_NAT_TUPLE] = { -ERANGE, CTA_IP_V4_DST },
};

static size_t build_bad(enum bad b, unsigned char *buf, size_t cap)
{
	uint8_t cmd = b == BAD_CMD ? IPCTNL_MSG_EXP_GET : IPCTNL_MSG_EXP_NEW;
	uint8_t sub = b == BAD_SUBSYS ? NFNL_SUBSYS_CTNETLINK :
					NFNL_SUBSYS_CTNETLINK_EXP;
	struct nl_msg m;
	size_t t1, t2, t3;
	uint32_t v;

	nl_msg_init(&m, buf, cap);
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, sub, cmd, 0, 1, AF_INET), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, CTA_EXPECT_CLASS, 0), 0);
	switch (b) {
	case BAD_TIMEOUT_SIZE:
		nl_attr_put(&m, CTA_EXPECT_TIMEOUT, "\0\0", 2);
		break;
	case BAD_HELPER_NUL:
		nl_attr_put(&m, CTA_EXPECT_HELP_NAME, "ftp", 3);
		break;
	case BAD_HELPER_LONG:
		nl_attr_put_str(&m, CTA_EXPECT_HELP_NAME,
				"0123456789abcdefghij");
		break;
	case BAD_NAT_DIR:
	case BAD_NAT_DIR_SIZE:
		nl_attr_nest_begin(&m, CTA_EXPECT_NAT, &t1);
		if (b == BAD_NAT_DIR)
			nl_attr_put_be32(&m, CTA_EXPECT_NAT_DIR, 2);
		else
			nl_attr_put_u8(&m, CTA_EXPECT_NAT_DIR, 1);
		nl_attr_nest_end(&m, t1);
		break;
	case BAD_TUPLE_IP:
	case BAD_NAT_TUPLE:
		if (b == BAD_NAT_TUPLE) {
			nl_attr_nest_begin(&m, CTA_EXPECT_NAT, &t3);
			nl_attr_nest_begin(&m, CTA_EXPECT_NAT_TUPLE, &t1);
		} else {
			nl_attr_nest_begin(&m, CTA_EXPECT_TUPLE, &t1);
		}
		nl_attr_nest_begin(&m, CTA_TUPLE_IP, &t2);
		v = 0x01020304;
		if (b == BAD_TUPLE_IP) {
			nl_attr_put(&m, CTA_IP_V4_SRC, &v, 3);
		} else {
			nl_attr_put(&m, CTA_IP_V4_SRC, &v, 4);
			nl_attr_put(&m, CTA_IP_V4_DST, &v, 2);
		}
		nl_attr_nest_end(&m, t2);
		nl_attr_nest_end(&m, t1);
		if (b == BAD_NAT_TUPLE)
			nl_attr_nest_end(&m, t3);
		break;
	case BAD_TUPLE_PORT:
		nl_attr_nest_begin(&m, CTA_EXPECT_MASTER, &t1);
		nl_attr_nest_begin(&m, CTA_TUPLE_PROTO, &t2);
		nl_attr_put_u8(&m, CTA_PROTO_NUM, IPPROTO_TCP);
		nl_attr_put_be32(&m, CTA_PROTO_DST_PORT, 21);
		nl_attr_nest_end(&m, t2);
		nl_attr_nest_end(&m, t1);
		break;
	case BAD_ZONE_SIZE:
		nl_attr_put_be32(&m, CTA_EXPECT_ZONE, 1);
		break;
	default:
		break;
	}
	nl_msg_end(&m);
	if (b == BAD_SHORT)
		return NLMSG_HDRLEN + 2;
	if (b == BAD_OVERRUN) {
		/* the class attribute claims more than the message holds */
		uint16_t big = 200;

		memcpy(buf + NLMSG_HDRLEN + 4, &big, sizeof(big));
	}
	return m.len;
}

START_TEST(malformed)
{
	_Alignas(4) unsigned char buf[512];
	struct nl_attr_err err = { 0 };
	struct ct_expect x;
	unsigned char *copy;
	struct nlmsghdr h;
	size_t len;
	int rc;

	len = build_bad((enum bad)_i, buf, sizeof(buf));
	if (_i == BAD_SHORT) {
		memcpy(&h, buf, sizeof(h));
		h.nlmsg_len = (uint32_t)len;
		memcpy(buf, &h, sizeof(h));
	}
	copy = malloc(len < sizeof(h) ? sizeof(h) : len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, buf, len < sizeof(h) ? sizeof(h) : len);
	rc = ct_expect_decode((const struct nlmsghdr *)copy, &x, &err);
	ck_assert_msg(rc == bad_want[_i].rc, "row %d: rc %d want %d (%s)", _i,
		      rc, bad_want[_i].rc, err.msg ? err.msg : "");
	ck_assert_ptr_nonnull(err.msg);
	if (bad_want[_i].type)
		ck_assert_msg(err.type == bad_want[_i].type,
			      "row %d: blamed %u want %u", _i, err.type,
			      bad_want[_i].type);
	ck_assert_uint_lt(err.offset, len);
	free(copy);
}
END_TEST

/* Offsets of errors in nests point at the attribute in the stream. */
START_TEST(error_offset)
{
	_Alignas(4) unsigned char buf[512];
	const size_t hdr = NLMSG_HDRLEN + 4;
	struct nl_attr_err err = { 0 };
	struct ct_expect x;
	struct nlattr a;
	size_t len;

	len = build_bad(BAD_NAT_TUPLE, buf, sizeof(buf));
	ck_assert_int_eq(ct_expect_decode((const struct nlmsghdr *)buf, &x,
					  &err), -ERANGE);
	ck_assert_uint_lt(hdr + err.offset, len);
	memcpy(&a, buf + hdr + err.offset, sizeof(a));
	ck_assert_uint_eq(a.nla_type & NLA_TYPE_MASK, CTA_IP_V4_DST);
	ck_assert_uint_eq(a.nla_len, 6);
	ck_assert_uint_eq(err.depth, 3);
}
END_TEST

/* ---- printers ----------------------------------------------------------- */

START_TEST(format_edges)
{
	struct ct_fmt_opts o = { .event = CT_FMT_EV_DESTROY };
	struct ct_expect x;
	char buf[1024], small[40];
	int n;

	full(&x, AF_INET);
	x.flags = CT_EXP_F_USERSPACE;
	n = ct_expect_format_default(buf, sizeof(buf), &x, &o);
	ck_assert_int_eq(n, (int)strlen(buf));
	ck_assert_str_eq(buf,
		"[DESTROY] 180 proto=17 src=1.2.3.4 dst=5.6.7.8 sport=0 "
		"dport=5060 mask-src=255.255.255.255 mask-dst=255.255.255.255 "
		"sport=0 dport=65535 master-src=1.2.3.4 master-dst=5.6.7.8 "
		"sport=4000 dport=21 zone=77 USERSPACE class=1 helper=sip");
	/* no helper, no class: the last blank goes */
	x.set &= ~(uint32_t)(CT_EXP_HELPER | CT_EXP_CLASS);
	x.flags = 0;
	o.event = CT_FMT_EV_NONE;
	ck_assert_int_gt(ct_expect_format_default(buf, sizeof(buf), &x, &o),
			 0);
	ck_assert_str_eq(buf + strlen(buf) - 16, "dport=21 zone=77");
	/* too small: -ENOSPC and a NUL-terminated prefix */
	ck_assert_int_eq(ct_expect_format_default(small, sizeof(small), &x,
						  &o), -ENOSPC);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert(!strncmp(small, "180 proto=17 src=1.2.3.4 dst=5.6.7.8 sp",
			   sizeof(small) - 1));
	ck_assert_int_eq(ct_expect_format_xml(small, sizeof(small), &x, &o),
			 -ENOSPC);
	ck_assert_int_eq(ct_expect_format_json(small, sizeof(small), &x, &o),
			 -ENOSPC);
	ck_assert_int_eq(ct_expect_format_default(small, 0, &x, &o), -ENOSPC);
	ck_assert_int_eq(ct_expect_format_default(NULL, 10, &x, &o), -EINVAL);
	ck_assert_int_eq(ct_expect_format_xml(buf, 10, NULL, &o), -EINVAL);
	/* exact fit: length + NUL */
	n = ct_expect_format_json(buf, sizeof(buf), &x, &o);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(ct_expect_format_json(small, 0, &x, &o), -ENOSPC);
	{
		char *exact = malloc((size_t)n + 1);

		ck_assert_ptr_nonnull(exact);
		ck_assert_int_eq(ct_expect_format_json(exact, (size_t)n + 1,
						       &x, &o), n);
		ck_assert_int_eq(ct_expect_format_json(exact, (size_t)n, &x,
						       &o), -ENOSPC);
		free(exact);
	}
	/* an unknown protocol prints no ports (as upstream's proto=78) */
	x.tuple.l4 = x.mask.l4 = 78;
	ck_assert_int_gt(ct_expect_format_default(buf, sizeof(buf), &x, &o),
			 0);
	ck_assert(!strncmp(buf, "180 proto=78 src=1.2.3.4 dst=5.6.7.8 "
			   "mask-src=255.255.255.255 mask-dst=255.255.255.255 "
			   "master-src=", 97));
	/* XML escapes, zone and flags in the meta */
	full(&x, AF_INET6);
	x.helper = "a<b";
	x.flags = 7;
	ck_assert_int_gt(ct_expect_format_xml(buf, sizeof(buf), &x, &o), 0);
	ck_assert_ptr_nonnull(strstr(buf, "<layer3 protonum=\"10\" "
				     "protoname=\"ipv6\"><expected><src>"
				     "2001:db8::1</src>"));
	ck_assert_ptr_nonnull(strstr(buf, "<meta><helper-name>a&lt;b"
		"</helper-name><timeout>180</timeout><zone>77</zone>"
		"<class>1</class><permanent/><inactive/><userspace/></meta>"
		"</flow>"));
}
END_TEST

START_TEST(format_stats_expect)
{
	struct ct_stats_cpu st = { .cpu = 3 };
	char buf[128];

	st.present = 1U << CTA_STATS_EXP_NEW | 1U << CTA_STATS_EXP_CREATE |
		     1U << CTA_STATS_EXP_DELETE;
	st.val[CTA_STATS_EXP_CREATE] = 2;
	st.val[CTA_STATS_EXP_DELETE] = 1;
	ck_assert_int_gt(ct_format_stats(buf, sizeof(buf), &st,
					 CT_STATS_EXPECT), 0);
	ck_assert_str_eq(buf, "cpu=3   \texpect_new=0 expect_create=2 "
			 "expect_delete=1 ");
}
END_TEST

Suite *expect_suite(void)
{
	Suite *s = suite_create("expect");
	TCase *t;

	t = tcase_create("fixture");
	tcase_add_test(t, fixture_ftp);
	tcase_add_test(t, fixture_nat_fn);
	suite_add_tcase(s, t);

	t = tcase_create("codec");
	tcase_add_loop_test(t, round_trip_full, 0, 2);
	tcase_add_test(t, round_trip_key);
	tcase_add_test(t, nat_without_tuple);
	tcase_add_test(t, encode_errors);
	tcase_add_loop_test(t, malformed, 0, NBAD);
	tcase_add_test(t, error_offset);
	suite_add_tcase(s, t);

	t = tcase_create("format");
	tcase_add_test(t, format_edges);
	tcase_add_test(t, format_stats_expect);
	suite_add_tcase(s, t);
	return s;
}
