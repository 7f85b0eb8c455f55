// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of tmo/proto and tmo/policy: the kernel's real cttimeout
 * answers (tests/data/tmo_replies.hex, see make_tmo.sh: a dump of
 * policies of every protocol and family, a get, the defaults of every
 * protocol) decoded and printed byte for byte as the reference nfct
 * printed the same objects (tmo_replies.txt); encode -> decode round
 * trips for every protocol and family; a failing row per validation
 * rule of the decoder and the encoder; the printer's edge cases.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/uapi.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"
#include "tmo/policy.h"

/* ---- the kernel's answers against the reference's text ---------------- */

struct printed {
	char text[16384];
	size_t len;
	unsigned int n;
	struct tmo_policy first;
};

static int print_one(const struct nlmsghdr *nlh, void *arg)
{
	struct printed *pr = arg;
	struct nl_attr_err err = { 0 };
	struct tmo_policy t;
	int n;

	ck_assert_msg(tmo_policy_decode(nlh, &t, &err) == 0, "decode: %s",
		      err.msg ? err.msg : "?");
	if (pr->n++ == 0)
		pr->first = t;
	n = tmo_policy_format(&t, pr->text + pr->len,
			      sizeof(pr->text) - pr->len - 1);
	ck_assert_int_gt(n, 0);
	pr->len += (size_t)n;
	pr->text[pr->len++] = '\n';
	pr->text[pr->len] = '\0';
	return 0;
}

START_TEST(fixture_prints_as_reference)
{
	static struct printed pr;
	static char want[16384];

	fixture_replay("tests/data/tmo_replies.hex", print_one, &pr, NULL, 0);
	fixture_text("tests/data/tmo_replies.txt", want, sizeof(want));
	/* 9 policies, one get, 8 protocols' defaults for two families */
	ck_assert_uint_eq(pr.n, 9 + 1 + 16);
	ck_assert_str_eq(pr.text, want);
	ck_assert_str_eq(pr.first.name, "tcp-long");
	ck_assert_uint_eq(pr.first.has, TMO_HAS_NAME | TMO_HAS_L3 |
			  TMO_HAS_L4 | TMO_HAS_USE);
	ck_assert_uint_eq(pr.first.use, 1);	/* the kernel's own reference */
	ck_assert_uint_eq(pr.first.set, 0x7ff);
	ck_assert_uint_eq(pr.first.secs[2], 3600);
	ck_assert_uint_eq(pr.first.secs[10], 42);
}
END_TEST

/* ---- round trips ------------------------------------------------------ */

static const uint8_t protos[] = { 1, 6, 17, 33, 47, 58, 132, 136, 255 };

static void roundtrip(const struct tmo_policy *in)
{
	_Alignas(4) unsigned char buf[512];
	struct nl_attr_err err = { 0 };
	struct tmo_policy out;
	struct nl_msg m;

	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(tmo_policy_encode(&m, IPCTNL_MSG_TIMEOUT_NEW,
					   NLM_F_CREATE | NLM_F_ACK, 7, in), 0);
	ck_assert_uint_eq(nl_msg_hdr(&m)->nlmsg_type,
			  NFNL_SUBSYS_CTNETLINK_TIMEOUT << 8 |
			  IPCTNL_MSG_TIMEOUT_NEW);
	ck_assert_uint_eq(nl_msg_hdr(&m)->nlmsg_flags,
			  NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK);
	ck_assert_int_eq(tmo_policy_decode(nl_msg_hdr(&m), &out, &err), 0);
	ck_assert_uint_eq(out.has, in->has);
	if (in->has & TMO_HAS_NAME)
		ck_assert_str_eq(out.name, in->name);
	ck_assert_uint_eq(out.l3proto, in->l3proto);
	ck_assert_uint_eq(out.l4proto, in->l4proto);
	ck_assert_uint_eq(out.set, in->set);
	for (int i = 0; i < TMO_STATES_MAX; i++)
		if (in->set & 1u << i)
			ck_assert_uint_eq(out.secs[i], in->secs[i]);
}

START_TEST(roundtrip_every_protocol)
{
	for (size_t i = 0; i < sizeof(protos); i++) {
		const struct tmo_proto *pr = tmo_proto_find(protos[i]);

		ck_assert_ptr_nonnull(pr);
		for (int fam = 0; fam < 2; fam++) {
			struct tmo_policy t = { 0 };

			ck_assert_int_eq(tmo_policy_set_name(&t, "p"), 0);
			t.l3proto = fam ? AF_INET6 : AF_INET;
			t.l4proto = protos[i];
			t.has |= TMO_HAS_L3 | TMO_HAS_L4;
			for (int s = 0; s < pr->nstates; s++) {
				t.set |= 1u << s;
				t.secs[s] = s == 0 ? UINT32_MAX :
					    (uint32_t)(s * 1000 + i);
				roundtrip(&t);
			}
		}
	}
}
END_TEST

START_TEST(roundtrip_partial)
{
	struct tmo_policy t = { 0 };

	roundtrip(&t);			/* nothing: a flush */
	ck_assert_int_eq(tmo_policy_set_name(&t,
			 "0123456789012345678901234567890"), 0);
	roundtrip(&t);			/* a name: delete, get */
	t.has = TMO_HAS_L3 | TMO_HAS_L4;
	t.l3proto = AF_INET6;
	t.l4proto = 50;			/* no states: a default-get */
	roundtrip(&t);
	t.l4proto = IPPROTO_SCTP;	/* every other state */
	t.set = 0x55;
	t.secs[0] = 1, t.secs[2] = 2, t.secs[4] = 3, t.secs[6] = 4;
	roundtrip(&t);
}
END_TEST

/* ---- encoder errors --------------------------------------------------- */

START_TEST(encode_refuses)
{
	_Alignas(4) unsigned char buf[512];
	struct tmo_policy t = { 0 };
	struct nl_msg m;

	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(tmo_policy_set_name(&t,
			 "01234567890123456789012345678901"), -ENAMETOOLONG);
	ck_assert_uint_eq(t.has, 0);
	/* states without a protocol */
	t.set = 1;
	ck_assert_int_eq(tmo_policy_encode(&m, 0, 0, 1, &t), -EINVAL);
	/* a protocol without state names */
	t.has = TMO_HAS_L4;
	t.l4proto = 50;
	ck_assert_int_eq(tmo_policy_encode(&m, 0, 0, 1, &t), -EINVAL);
	/* a state past the protocol's last (udp has two) */
	t.l4proto = IPPROTO_UDP;
	t.set = 1u << 2;
	ck_assert_int_eq(tmo_policy_encode(&m, 0, 0, 1, &t), -EINVAL);
	/* a name without its NUL */
	t.set = 0;
	t.has = TMO_HAS_NAME;
	memset(t.name, 'x', sizeof(t.name));
	ck_assert_int_eq(tmo_policy_encode(&m, 0, 0, 1, &t), -EINVAL);
	ck_assert_uint_eq(m.len, 0);
}
END_TEST

START_TEST(encode_full_buffer)
{
	_Alignas(4) unsigned char buf[512];
	struct tmo_policy t = { .has = TMO_HAS_L3 | TMO_HAS_L4,
				.l3proto = AF_INET, .l4proto = IPPROTO_TCP,
				.set = 0x7ff };
	struct nl_msg m;
	size_t full, cap;

	ck_assert_int_eq(tmo_policy_set_name(&t, "some-name"), 0);
	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(tmo_policy_encode(&m, 0, 0, 1, &t), 0);
	full = m.len;
	for (cap = 0; cap < full; cap += 4) {
		nl_msg_init(&m, buf, cap);
		ck_assert_int_eq(tmo_policy_encode(&m, 0, 0, 1, &t), -EMSGSIZE);
		ck_assert_uint_eq(m.len, 0);
	}
}
END_TEST

/* ---- decoder: one failing row per rule -------------------------------- */

/* A cttimeout message of @len attribute bytes @attrs (raw TLVs). */
static struct nlmsghdr *msg(unsigned char *buf, uint8_t subsys,
			    const void *attrs, size_t len)
{
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + sizeof(struct nfgenmsg) +
					len),
		.nlmsg_type = (uint16_t)(subsys << 8),
	};
	struct nfgenmsg g = { 0 };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, &g, sizeof(g));
	memcpy(buf + NLMSG_HDRLEN + sizeof(g), attrs, len);
	return (struct nlmsghdr *)buf;
}

struct bad_row {
	const char *what;
	unsigned char attrs[48];
	size_t len;
	int rc;
};

#define A(len, type) (len), 0, (type), 0	/* little-endian nlattr */
#define N(len, type) (len), 0, (type), 0x80	/* with NLA_F_NESTED */
static const struct bad_row bad_rows[] = {
	{ "name without NUL", { A(7, 1), 'a', 'b', 'c', 0 }, 8, -EINVAL },
	{ "name of 32 characters", { A(37, 1),
	  'a','a','a','a','a','a','a','a','a','a','a','a','a','a','a','a',
	  'a','a','a','a','a','a','a','a','a','a','a','a','a','a','a','a',
	  0, 0, 0, 0 }, 40, -ERANGE },
	{ "l3proto of 4 bytes", { A(8, 2), 0, 2, 0, 0 }, 8, -ERANGE },
	{ "l4proto of 2 bytes", { A(6, 3), 6, 0, 0, 0 }, 8, -ERANGE },
	{ "use of 2 bytes", { A(6, 5), 0, 1, 0, 0 }, 8, -ERANGE },
	{ "state of 2 bytes", { A(5, 3), 6, 0, 0, 0, N(10, 4),
	  A(6, 1), 0, 5, 0, 0 }, 20, -ERANGE },
	{ "attribute past the end", { A(12, 1), 'a', 0, 0, 0 }, 8, -EBADMSG },
	{ "attribute shorter than its header", { A(3, 1), 0, 0, 0, 0 }, 8,
	  -EBADMSG },
	{ "state past the end of its nest", { A(5, 3), 6, 0, 0, 0,
	  N(8, 4), A(8, 1), 0, 0, 0, 5 }, 20, -EBADMSG },
};

START_TEST(decode_bad)
{
	const struct bad_row *r = &bad_rows[_i];
	unsigned char *buf = malloc(NLMSG_HDRLEN + 4 + r->len);
	struct nl_attr_err err = { 0 };
	struct tmo_policy t;

	ck_assert_ptr_nonnull(buf);
	ck_assert_msg(tmo_policy_decode(msg(buf, NFNL_SUBSYS_CTNETLINK_TIMEOUT,
					    r->attrs, r->len), &t, &err) ==
		      r->rc, "%s", r->what);
	ck_assert_ptr_nonnull(err.msg);
	free(buf);
}
END_TEST

START_TEST(decode_bad_envelope)
{
	unsigned char buf[64];
	struct nlmsghdr *h;
	struct tmo_policy t;

	/* another subsystem: ctnetlink */
	ck_assert_int_eq(tmo_policy_decode(msg(buf, NFNL_SUBSYS_CTNETLINK,
					       "", 0), &t, NULL), -EPROTO);
	/* too short for its nfgenmsg */
	h = msg(buf, NFNL_SUBSYS_CTNETLINK_TIMEOUT, "", 0);
	h->nlmsg_len = NLMSG_HDRLEN + 2;
	ck_assert_int_eq(tmo_policy_decode(h, &t, NULL), -EBADMSG);
}
END_TEST

/* What a newer kernel may add is skipped: an unknown top-level type, a
 * state past upstream's names (SCTP's HEARTBEAT_SENT), a state type
 * past any tracker's. */
START_TEST(decode_skips_unknown)
{
	static const unsigned char attrs[] = {
		A(5, 3), 132, 0, 0, 0,
		A(8, 9), 1, 2, 3, 4,
		N(28, 4), A(8, 2), 0, 0, 0, 9, A(8, 8), 0, 0, 0, 30,
		A(8, 12), 0, 0, 0, 1,
	};
	unsigned char buf[128];
	struct tmo_policy t;

	ck_assert_int_eq(tmo_policy_decode(msg(buf,
			 NFNL_SUBSYS_CTNETLINK_TIMEOUT, attrs, sizeof(attrs)),
			 &t, NULL), 0);
	ck_assert_uint_eq(t.has, TMO_HAS_L4);
	ck_assert_uint_eq(t.set, 1u << 1);
	ck_assert_uint_eq(t.secs[1], 9);
}
END_TEST

/* States of a protocol without names are not read (upstream prints no
 * policy for it), nor are states without a protocol. */
START_TEST(decode_unnamed_protocol)
{
	static const unsigned char attrs[] = {
		A(5, 3), 50, 0, 0, 0, N(12, 4), A(8, 1), 0, 0, 0, 9,
	};
	unsigned char buf[64];
	struct tmo_policy t;
	char out[128];

	ck_assert_int_eq(tmo_policy_decode(msg(buf,
			 NFNL_SUBSYS_CTNETLINK_TIMEOUT, attrs, sizeof(attrs)),
			 &t, NULL), 0);
	ck_assert_uint_eq(t.set, 0);
	ck_assert_int_gt(tmo_policy_format(&t, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "\t.l4proto = 50,\n};");
	ck_assert_int_eq(tmo_policy_decode(msg(buf,
			 NFNL_SUBSYS_CTNETLINK_TIMEOUT, attrs + 8,
			 sizeof(attrs) - 8), &t, NULL), 0);
	ck_assert_uint_eq(t.set, 0);
}
END_TEST

/* ---- printer ---------------------------------------------------------- */

START_TEST(format_edges)
{
	struct tmo_policy t = { .has = TMO_HAS_L4, .l4proto = 50, .set = 1,
				.secs = { 77 } };
	char out[256];
	int n;

	/* a protocol without names prints with the generic one's */
	n = tmo_policy_format(&t, out, sizeof(out));
	ck_assert_str_eq(out, "\t.l4proto = 50,\n\t.policy = {\n"
			 "\t\t.TIMEOUT = 77,\n\t},\n};");
	ck_assert_int_eq(n, (int)strlen(out));
	/* every shorter buffer is refused, and left empty */
	for (int cap = 0; cap <= n; cap++) {
		memset(out, 'x', sizeof(out));
		ck_assert_int_eq(tmo_policy_format(&t, out, (size_t)cap),
				 -ENOSPC);
		if (cap)
			ck_assert_str_eq(out, "");
	}
	ck_assert_int_eq(tmo_policy_format(&t, out, (size_t)n + 1), n);
	/* states not given print as 0 */
	t.l4proto = IPPROTO_UDP;
	t.set = 2;
	t.secs[1] = 5;
	tmo_policy_format(&t, out, sizeof(out));
	ck_assert_str_eq(out, "\t.l4proto = 17,\n\t.policy = {\n"
			 "\t\t.UNREPLIED = 0,\n\t\t.REPLIED = 5,\n\t},\n};");
}
END_TEST

START_TEST(proto_states)
{
	const struct tmo_proto *tcp = tmo_proto_find(IPPROTO_TCP);
	const struct tmo_proto *gre = tmo_proto_find(47);

	ck_assert_int_eq(tmo_proto_state(tcp, "syn_sent"), 0);
	ck_assert_int_eq(tmo_proto_state(tcp, "Unacknowledged"), 10);
	ck_assert_int_eq(tmo_proto_state(tcp, "UNACK"), -ENOENT);
	ck_assert_int_eq(tmo_proto_state(tcp, ""), -ENOENT);
	ck_assert_int_eq(tmo_proto_state(gre, "replied"), 1);
	ck_assert_int_eq(tmo_proto_state(tmo_proto_find(132),
					 "HEARTBEAT_SENT"), -ENOENT);
	ck_assert_ptr_null(tmo_proto_find(0));
	ck_assert_ptr_null(tmo_proto_find(50));
	ck_assert_uint_eq(tmo_proto_find(33)->nstates, 7);
}
END_TEST

Suite *tmo_suite(void)
{
	Suite *s = suite_create("tmo");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, fixture_prints_as_reference);
	tcase_add_test(tc, roundtrip_every_protocol);
	tcase_add_test(tc, roundtrip_partial);
	tcase_add_test(tc, encode_refuses);
	tcase_add_test(tc, encode_full_buffer);
	tcase_add_loop_test(tc, decode_bad, 0,
			    sizeof(bad_rows) / sizeof(bad_rows[0]));
	tcase_add_test(tc, decode_bad_envelope);
	tcase_add_test(tc, decode_skips_unknown);
	tcase_add_test(tc, decode_unnamed_protocol);
	tcase_add_test(tc, format_edges);
	tcase_add_test(tc, proto_states);
	suite_add_tcase(s, tc);
	return s;
}
