// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of nl/msg: header fields of plain and nfnetlink messages, the
 * bytes of every put width with zeroed padding, nlmsg_len tracking, the
 * -EMSGSIZE and -EINVAL refusals leaving the buffer byte-for-byte as it
 * was, nests (length, flag, cancel), several messages in one buffer and
 * message cancel; then encode->decode round trips through nl_reply_parse()
 * and nl_attr_parse(NL_PARSE_DEEP | NL_PARSE_STRICT), and one request
 * compared with the bytes of a request the kernel accepted.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "nl/attr.h"
#include "nl/copy.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"

#define FILL 0xaa	/* what buffers hold before anything is written */

static struct nlmsghdr hdr_at(const unsigned char *p)
{
	struct nlmsghdr h;

	memcpy(&h, p, sizeof(h));
	return h;
}

static struct nlattr attr_at(const unsigned char *p)
{
	struct nlattr a;

	memcpy(&a, p, sizeof(a));
	return a;
}

/* Decodes @hex, which must be nothing but hex pairs and blanks. */
static size_t unhex(const char *hex, unsigned char *out, size_t cap)
{
	size_t digits = 0;

	for (const char *p = hex; *p; p++)
		digits += *p != ' ';
	ck_assert_uint_eq(fixture_unhex(hex, out, cap) * 2, digits);
	return digits / 2;
}

/* nlmsg_len of the open message equals what has been appended. */
static void assert_len_tracks(const struct nl_msg *m)
{
	ck_assert_uint_eq(hdr_at(m->buf + m->cur).nlmsg_len, m->len - m->cur);
}

/* ---- headers ------------------------------------------------------------- */

/* nl_copy of every length from 0 to 40, at every offset within a word:
 * exactly the bytes memcpy would write, nothing before or after. */
START_TEST(test_copy_lengths)
{
	unsigned char src[64], got[80], want[80];
	size_t off = (size_t)_i;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (size_t n = 0; n <= 40; n++) {
		memset(got, 0xee, sizeof(got));
		memset(want, 0xee, sizeof(want));
		nl_copy(got + 8 + off, src + off, n);
		memcpy(want + 8 + off, src + off, n);
		ck_assert_msg(!memcmp(got, want, sizeof(got)),
			      "length %zu, offset %zu", n, off);
	}
}
END_TEST

START_TEST(test_begin_header)
{
	uint32_t store[16];
	struct nl_msg m;
	struct nlmsghdr h;

	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_ptr_null(nl_msg_hdr(&m));
	ck_assert_int_eq(nl_msg_begin(&m, 0x1234, NLM_F_ACK | NLM_F_ECHO,
				      0xdeadbeefU), 0);
	ck_assert_uint_eq(m.len, NLMSG_HDRLEN);
	ck_assert_ptr_eq(nl_msg_hdr(&m), (void *)store);
	h = hdr_at(m.buf);
	ck_assert_uint_eq(h.nlmsg_len, 16);
	ck_assert_uint_eq(h.nlmsg_type, 0x1234);
	ck_assert_uint_eq(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK |
			  NLM_F_ECHO);
	ck_assert_uint_eq(h.nlmsg_seq, 0xdeadbeefU);
	ck_assert_uint_eq(h.nlmsg_pid, 0);
	/* flags 0 still makes a request */
	nl_msg_reset(&m);
	ck_assert_int_eq(nl_msg_begin(&m, NLMSG_MIN_TYPE, 0, 0), 0);
	ck_assert_uint_eq(hdr_at(m.buf).nlmsg_flags, NLM_F_REQUEST);
}
END_TEST

START_TEST(test_begin_nfnl_header)
{
	uint32_t store[16];
	unsigned char *buf = (unsigned char *)store;
	struct nl_msg m;
	struct nlmsghdr h;

	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK_EXP,
					   IPCTNL_MSG_EXP_DELETE, NLM_F_DUMP,
					   77, 10 /* AF_INET6 */), 0);
	h = hdr_at(buf);
	ck_assert_uint_eq(h.nlmsg_type, 2 << 8 | 2);
	ck_assert_uint_eq(NFNL_SUBSYS_ID(h.nlmsg_type),
			  NFNL_SUBSYS_CTNETLINK_EXP);
	ck_assert_uint_eq(NFNL_MSG_TYPE(h.nlmsg_type), IPCTNL_MSG_EXP_DELETE);
	ck_assert_uint_eq(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	ck_assert_uint_eq(h.nlmsg_seq, 77);
	ck_assert_uint_eq(h.nlmsg_len, 20);
	ck_assert_uint_eq(m.len, 20);
	/* nfgenmsg: family, NFNETLINK_V0, res_id 0 */
	ck_assert_uint_eq(buf[16], 10);
	ck_assert_uint_eq(buf[17], NFNETLINK_V0);
	ck_assert_uint_eq(buf[18], 0);
	ck_assert_uint_eq(buf[19], 0);
}
END_TEST

/* ---- puts ---------------------------------------------------------------- */

START_TEST(test_put_widths)
{
	uint32_t store[64], want_store[64];
	unsigned char *want = (unsigned char *)want_store;
	const uint16_t v16 = 0xa1b2;
	const uint32_t v32 = 0xa1b2c3d4U;
	const uint64_t v64 = 0xa1b2c3d4e5f60718ULL;
	struct nl_msg m;
	size_t n;

	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	ck_assert_int_eq(nl_attr_put_u8(&m, 1, 0x2a), 0);
	ck_assert_int_eq(nl_attr_put_u16(&m, 2, v16), 0);
	ck_assert_int_eq(nl_attr_put_u32(&m, 3, v32), 0);
	ck_assert_int_eq(nl_attr_put_u64(&m, 4, v64), 0);
	ck_assert_int_eq(nl_attr_put_be16(&m, 5, 0x0102), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, 6, 0x01020304), 0);
	ck_assert_int_eq(nl_attr_put_be64(&m, 7, 0x0102030405060708ULL), 0);
	ck_assert_int_eq(nl_attr_put_str(&m, 8, "abc"), 0);
	ck_assert_int_eq(nl_attr_put_str(&m, 9, ""), 0);
	ck_assert_int_eq(nl_attr_put_flag(&m, 10), 0);
	ck_assert_int_eq(nl_attr_put(&m, 11, "\x01\x02\x03", 3), 0);
	ck_assert_int_eq(nl_attr_put_str(&m, 12, "abcd"), 0);

	n = unhex("78000000 1000 0100 01000000 00000000"
		  "05000100 2a000000"		/* u8, 3 bytes padding */
		  "06000200 00000000"		/* u16 (host, below) */
		  "08000300 00000000"		/* u32 (host, below) */
		  "0c000400 00000000 00000000"	/* u64 (host, below) */
		  "06000500 01020000"		/* be16 */
		  "08000600 01020304"		/* be32 */
		  "0c000700 01020304 05060708"	/* be64 */
		  "08000800 61626300"		/* "abc" */
		  "05000900 00000000"		/* "" */
		  "04000a00"			/* flag */
		  "07000b00 01020300"		/* 3 raw bytes */
		  "09000c00 61626364 00000000",	/* "abcd" */
		  want, sizeof(want_store));
	memcpy(want + 28, &v16, sizeof(v16));
	memcpy(want + 36, &v32, sizeof(v32));
	memcpy(want + 44, &v64, sizeof(v64));
	ck_assert_uint_eq(n, 120);
	ck_assert_uint_eq(m.len, n);
	ck_assert_mem_eq(store, want, n);
	/* nothing past the end was touched */
	ck_assert_uint_eq(((unsigned char *)store)[n], FILL);
}
END_TEST

START_TEST(test_padding_zeroed)
{
	uint32_t store[32];
	unsigned char *buf = (unsigned char *)store;
	struct nl_msg m;
	size_t at;

	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 0, 0, 1, 2), 0);
	for (size_t plen = 0; plen <= 8; plen++) {
		static const unsigned char payload[8] = {
			1, 2, 3, 4, 5, 6, 7, 8 };

		at = m.len;
		ck_assert_int_eq(nl_attr_put(&m, 1, payload, plen), 0);
		ck_assert_uint_eq(m.len - at, NLA_ALIGN(4 + plen));
		ck_assert_uint_eq(attr_at(buf + at).nla_len, 4 + plen);
		ck_assert_mem_eq(buf + at + 4, payload, plen);
		for (size_t i = at + 4 + plen; i < m.len; i++)
			ck_assert_msg(buf[i] == 0, "pad byte %zu of a %zu-byte "
				      "payload is %#x", i - at - 4 - plen, plen,
				      buf[i]);
	}
	ck_assert_uint_eq(buf[m.len], FILL);
}
END_TEST

START_TEST(test_len_tracking)
{
	uint32_t store[64];
	struct nl_msg m;
	size_t tok, before;

	nl_msg_init(&m, store, sizeof(store));
	/* a first message, so the second's header is not at offset 0 */
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	ck_assert_int_eq(nl_attr_put_u8(&m, 1, 1), 0);
	nl_msg_end(&m);
	ck_assert_uint_eq(m.len, 24);
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 1, 0, 2, 2), 0);
	ck_assert_uint_eq(m.cur, 24);
	assert_len_tracks(&m);
	before = m.len;
	ck_assert_int_eq(nl_attr_put_u8(&m, 1, 1), 0);
	ck_assert_uint_eq(m.len - before, 8);
	assert_len_tracks(&m);
	before = m.len;
	ck_assert_int_eq(nl_attr_put_u64(&m, 2, 1), 0);
	ck_assert_uint_eq(m.len - before, 12);
	assert_len_tracks(&m);
	ck_assert_int_eq(nl_attr_nest_begin(&m, 3, &tok), 0);
	assert_len_tracks(&m);
	ck_assert_int_eq(nl_attr_put_str(&m, 1, "hello"), 0);
	assert_len_tracks(&m);
	ck_assert_int_eq(nl_attr_nest_end(&m, tok), 0);
	assert_len_tracks(&m);
	nl_attr_nest_cancel(&m, tok);
	assert_len_tracks(&m);
	ck_assert_uint_eq(hdr_at(m.buf + 24).nlmsg_len, 20 + 8 + 12);
	/* the first message's length never moved */
	ck_assert_uint_eq(hdr_at(m.buf).nlmsg_len, 24);
}
END_TEST

/*
 * -EMSGSIZE for every capacity from 0 to 80 bytes (loop index): a message
 * is filled with puts of every kind until none fits; each refusal must
 * leave the whole buffer and the builder state exactly as they were.
 */
enum put_kind { P_U8, P_U16, P_U32, P_U64, P_BE64, P_STR, P_FLAG, P_RAW,
		P_NEST, P_KINDS };

static int put_one(struct nl_msg *m, enum put_kind k, size_t *need)
{
	static const unsigned char raw[13] = { 0 };
	size_t tok;

	switch (k) {
	case P_U8: *need = 8; return nl_attr_put_u8(m, 1, 1);
	case P_U16: *need = 8; return nl_attr_put_u16(m, 2, 2);
	case P_U32: *need = 8; return nl_attr_put_u32(m, 3, 3);
	case P_U64: *need = 12; return nl_attr_put_u64(m, 4, 4);
	case P_BE64: *need = 12; return nl_attr_put_be64(m, 5, 5);
	case P_STR: *need = 12; return nl_attr_put_str(m, 6, "hello");
	case P_FLAG: *need = 4; return nl_attr_put_flag(m, 7);
	case P_RAW: *need = 20; return nl_attr_put(m, 8, raw, sizeof(raw));
	case P_NEST: *need = 4; return nl_attr_nest_begin(m, 9, &tok);
	default: break;
	}
	ck_abort_msg("bad put kind");
	return 0;
}

START_TEST(test_full_buffer)
{
	uint32_t store[32], snap[32];
	size_t cap = (size_t)_i;
	struct nl_msg m, msnap;
	int rc, fails = 0;

	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, cap);
	rc = nl_msg_begin_nfnl(&m, 1, 1, 0, 1, 2);
	if (cap < 20) {
		ck_assert_int_eq(rc, -EMSGSIZE);
		ck_assert_uint_eq(m.len, 0);
		ck_assert_ptr_null(nl_msg_hdr(&m));
		ck_assert_int_eq(nl_attr_put_u8(&m, 1, 1), -EINVAL);
		return;
	}
	ck_assert_int_eq(rc, 0);
	for (unsigned int i = 0; fails < P_KINDS; i++) {
		enum put_kind k = (enum put_kind)(i % P_KINDS);
		size_t need = 0;

		memcpy(snap, store, sizeof(store));
		msnap = m;
		rc = put_one(&m, k, &need);
		if (rc == 0) {
			fails = 0;
			ck_assert_uint_eq(m.len, msnap.len + need);
			ck_assert_uint_le(m.len, cap);
			assert_len_tracks(&m);
			continue;
		}
		fails++;
		ck_assert_int_eq(rc, -EMSGSIZE);
		ck_assert_uint_lt(cap - msnap.len, need);
		ck_assert_mem_eq(store, snap, sizeof(store));
		ck_assert_uint_eq(m.len, msnap.len);
		ck_assert_uint_eq(m.cur, msnap.cur);
		ck_assert_int_eq(m.open, msnap.open);
	}
	/* full: less than the smallest put (4 bytes) is left */
	ck_assert_uint_lt(cap - m.len, 4);
}
END_TEST

START_TEST(test_begin_when_full)
{
	uint32_t store[16], snap[16];
	struct nl_msg m;

	/* 36 bytes: a 24-byte message, then 12 left (< 16) */
	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, 36);
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	ck_assert_int_eq(nl_attr_put_u32(&m, 1, 1), 0);
	nl_msg_end(&m);
	memcpy(snap, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 2), -EMSGSIZE);
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 1, 0, 2, 2), -EMSGSIZE);
	ck_assert_uint_eq(m.len, 24);
	ck_assert_mem_eq(store, snap, 24);
	ck_assert_ptr_eq(nl_msg_hdr(&m), (void *)store);
	ck_assert_int_eq(nl_attr_put_flag(&m, 1), -EINVAL);

	/* 40 bytes: room for a header (16) but not for the nfgenmsg too */
	nl_msg_init(&m, store, 40);
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	ck_assert_int_eq(nl_attr_put_u32(&m, 1, 1), 0);
	nl_msg_end(&m);
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 1, 0, 2, 2), -EMSGSIZE);
	ck_assert_uint_eq(m.len, 24);
	ck_assert_int_eq(m.open, 0);
	ck_assert_ptr_eq(nl_msg_hdr(&m), (void *)store);
	ck_assert_uint_eq(hdr_at((unsigned char *)store).nlmsg_len, 24);
}
END_TEST

START_TEST(test_put_too_long)
{
	static uint32_t store[18000];	/* 72000 bytes */
	static const unsigned char big[65536];
	struct nl_msg m;

	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	/* a payload of 65531 bytes makes nla_len 65535: the largest */
	ck_assert_int_eq(nl_attr_put(&m, 1, big, 65532), -EMSGSIZE);
	ck_assert_int_eq(nl_attr_put(&m, 1, big, 65536), -EMSGSIZE);
	ck_assert_uint_eq(m.len, 16);
	ck_assert_int_eq(nl_attr_put(&m, 1, big, 65531), 0);
	ck_assert_uint_eq(attr_at((unsigned char *)store + 16).nla_len, 65535);
	ck_assert_uint_eq(m.len, 16 + 65536);
	assert_len_tracks(&m);
}
END_TEST

START_TEST(test_put_without_message)
{
	uint32_t store[16], snap[16];
	struct nl_msg m;
	size_t tok = 0;

	memset(store, FILL, sizeof(store));
	memcpy(snap, store, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_attr_put_u8(&m, 1, 1), -EINVAL);
	ck_assert_int_eq(nl_attr_put_u16(&m, 1, 1), -EINVAL);
	ck_assert_int_eq(nl_attr_put_u32(&m, 1, 1), -EINVAL);
	ck_assert_int_eq(nl_attr_put_u64(&m, 1, 1), -EINVAL);
	ck_assert_int_eq(nl_attr_put_be16(&m, 1, 1), -EINVAL);
	ck_assert_int_eq(nl_attr_put_be32(&m, 1, 1), -EINVAL);
	ck_assert_int_eq(nl_attr_put_be64(&m, 1, 1), -EINVAL);
	ck_assert_int_eq(nl_attr_put_str(&m, 1, "x"), -EINVAL);
	ck_assert_int_eq(nl_attr_put_flag(&m, 1), -EINVAL);
	ck_assert_int_eq(nl_attr_put(&m, 1, "x", 1), -EINVAL);
	ck_assert_int_eq(nl_attr_nest_begin(&m, 1, &tok), -EINVAL);
	ck_assert_uint_eq(m.len, 0);
	ck_assert_mem_eq(store, snap, sizeof(store));
	/* after end and after cancel alike */
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	nl_msg_end(&m);
	memcpy(snap, store, sizeof(store));
	ck_assert_int_eq(nl_attr_put_u32(&m, 1, 1), -EINVAL);
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 2), 0);
	nl_msg_cancel(&m);
	ck_assert_int_eq(nl_attr_put_u32(&m, 1, 1), -EINVAL);
	ck_assert_uint_eq(m.len, 16);
	ck_assert_mem_eq(store, snap, 16);
}
END_TEST

/* ---- nests --------------------------------------------------------------- */

START_TEST(test_nest)
{
	uint32_t store[32];
	unsigned char *buf = (unsigned char *)store;
	struct nl_msg m;
	size_t outer, inner;
	struct nlattr a;

	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 0, 0, 1, 2), 0);
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_ORIG, &outer), 0);
	ck_assert_uint_eq(outer, 20);
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_PROTO, &inner), 0);
	ck_assert_uint_eq(inner, 24);
	ck_assert_int_eq(nl_attr_put_u8(&m, CTA_PROTO_NUM, 17), 0);
	ck_assert_int_eq(nl_attr_put_be16(&m, CTA_PROTO_SRC_PORT, 53), 0);
	ck_assert_int_eq(nl_attr_nest_end(&m, inner), 0);
	ck_assert_int_eq(nl_attr_nest_end(&m, outer), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, CTA_MARK, 1), 0);
	nl_msg_end(&m);

	a = attr_at(buf + outer);
	ck_assert_uint_eq(a.nla_len, 4 + 4 + 8 + 8);
	ck_assert_uint_eq(a.nla_type, CTA_TUPLE_ORIG | NLA_F_NESTED);
	a = attr_at(buf + inner);
	ck_assert_uint_eq(a.nla_len, 4 + 8 + 8);
	ck_assert_uint_eq(a.nla_type, CTA_TUPLE_PROTO | NLA_F_NESTED);
	a = attr_at(buf + 44);
	ck_assert_uint_eq(a.nla_type, CTA_MARK);
	ck_assert_uint_eq(hdr_at(buf).nlmsg_len, 52);
	ck_assert_uint_eq(m.len, 52);
}
END_TEST

START_TEST(test_nest_cancel)
{
	uint32_t store[32], snap[32];
	unsigned char *buf = (unsigned char *)store;
	struct nl_msg m;
	size_t outer, inner, keep;

	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 0, 0, 1, 2), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, CTA_MARK, 7), 0);
	memcpy(snap, store, sizeof(store));
	keep = m.len;

	/* a whole nest with contents goes away */
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_ORIG, &outer), 0);
	ck_assert_int_eq(nl_attr_put_u8(&m, 1, 1), 0);
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_IP, &inner), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, 1, 2), 0);
	nl_attr_nest_cancel(&m, outer);
	ck_assert_uint_eq(m.len, keep);
	ck_assert_mem_eq(buf, snap, keep);
	assert_len_tracks(&m);

	/* an inner nest goes, the outer one stays and closes around less */
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_ORIG, &outer), 0);
	ck_assert_int_eq(nl_attr_put_u8(&m, 1, 1), 0);
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_IP, &inner), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, 1, 2), 0);
	nl_attr_nest_cancel(&m, inner);
	ck_assert_uint_eq(m.len, inner);
	ck_assert_int_eq(nl_attr_nest_end(&m, outer), 0);
	ck_assert_uint_eq(attr_at(buf + outer).nla_len, 4 + 8);
	ck_assert_uint_eq(m.len, keep + 12);
	assert_len_tracks(&m);

	/* a token outside the open message is ignored */
	nl_attr_nest_cancel(&m, m.len + 4);
	ck_assert_uint_eq(m.len, keep + 12);
	nl_msg_end(&m);
	nl_attr_nest_cancel(&m, outer);
	ck_assert_uint_eq(m.len, keep + 12);
}
END_TEST

START_TEST(test_nest_too_big)
{
	static uint32_t store[20000];	/* 80000 bytes */
	static const unsigned char big[40000];
	struct nl_msg m;
	size_t tok;

	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	ck_assert_int_eq(nl_attr_nest_begin(&m, 1, &tok), 0);
	ck_assert_int_eq(nl_attr_put(&m, 1, big, 30000), 0);
	ck_assert_int_eq(nl_attr_nest_end(&m, tok), 0);
	ck_assert_uint_eq(attr_at((unsigned char *)store + tok).nla_len,
			  4 + 30004);
	ck_assert_int_eq(nl_attr_put(&m, 2, big, 40000), 0);
	/* 4 + 30004 + 40004 does not fit nla_len */
	ck_assert_int_eq(nl_attr_nest_end(&m, tok), -EMSGSIZE);
	nl_attr_nest_cancel(&m, tok);
	ck_assert_uint_eq(m.len, 16);
	assert_len_tracks(&m);
}
END_TEST

/* ---- several messages ---------------------------------------------------- */

struct seen {
	unsigned int n;
	uint32_t seq[8];
	uint16_t type[8];
	uint32_t len[8];
};

static int record(const struct nlmsghdr *nlh, void *arg)
{
	struct seen *s = arg;
	struct nlmsghdr h;

	memcpy(&h, nlh, sizeof(h));
	ck_assert_uint_lt(s->n, 8);
	s->seq[s->n] = h.nlmsg_seq;
	s->type[s->n] = h.nlmsg_type;
	s->len[s->n] = h.nlmsg_len;
	s->n++;
	return 0;
}

START_TEST(test_several_messages)
{
	uint32_t store[64];
	unsigned char *buf = (unsigned char *)store;
	struct nl_reply r = { .seq = 100, .nseq = 3, .on_data = record };
	struct seen seen = { 0 };
	struct nl_msg m;

	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 100), 0);
	ck_assert_int_eq(nl_attr_put_u32(&m, 1, 1), 0);
	nl_msg_end(&m);
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 2, NLM_F_ACK, 101, 2), 0);
	ck_assert_int_eq(nl_attr_put_str(&m, 1, "abcde"), 0);
	ck_assert_ptr_eq(nl_msg_hdr(&m), (void *)(buf + 24));
	/* begin closes the open message first */
	ck_assert_int_eq(nl_msg_begin(&m, 0x11, 0, 102), 0);
	ck_assert_uint_eq(m.cur, 24 + 32);
	nl_msg_end(&m);
	ck_assert_ptr_eq(nl_msg_hdr(&m), (void *)(buf + 56));
	ck_assert_uint_eq(m.len, 24 + 32 + 16);
	ck_assert_uint_eq(hdr_at(buf).nlmsg_len, 24);
	ck_assert_uint_eq(hdr_at(buf + 24).nlmsg_len, 32);
	ck_assert_uint_eq(hdr_at(buf + 56).nlmsg_len, 16);

	/* the buffer walks as three well-formed messages */
	r.arg = &seen;
	ck_assert_int_eq(nl_reply_parse(&r, buf, m.len), 0);
	ck_assert_uint_eq(seen.n, 3);
	ck_assert_uint_eq(seen.seq[0], 100);
	ck_assert_uint_eq(seen.seq[1], 101);
	ck_assert_uint_eq(seen.seq[2], 102);
	ck_assert_uint_eq(seen.type[1], 1 << 8 | 2);
	ck_assert_uint_eq(seen.len[2], 16);
}
END_TEST

START_TEST(test_msg_cancel)
{
	uint32_t store[32], snap[32];
	unsigned char *buf = (unsigned char *)store;
	struct nl_msg m;

	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	/* the only message */
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	ck_assert_int_eq(nl_attr_put_u32(&m, 1, 1), 0);
	nl_msg_cancel(&m);
	ck_assert_uint_eq(m.len, 0);
	ck_assert_int_eq(m.open, 0);
	ck_assert_ptr_null(nl_msg_hdr(&m));

	/* a second message: the first stays, and is the last one again */
	ck_assert_int_eq(nl_msg_begin(&m, 0x10, 0, 1), 0);
	ck_assert_int_eq(nl_attr_put_u32(&m, 1, 1), 0);
	nl_msg_end(&m);
	memcpy(snap, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 1, 0, 2, 2), 0);
	ck_assert_int_eq(nl_attr_put_str(&m, 1, "gone"), 0);
	nl_msg_cancel(&m);
	ck_assert_uint_eq(m.len, 24);
	ck_assert_mem_eq(buf, snap, 24);
	ck_assert_ptr_eq(nl_msg_hdr(&m), (void *)buf);
	ck_assert_uint_eq(nl_msg_hdr(&m)->nlmsg_seq, 1);

	/* cancel with nothing open changes nothing */
	nl_msg_cancel(&m);
	ck_assert_uint_eq(m.len, 24);
	ck_assert_ptr_eq(nl_msg_hdr(&m), (void *)buf);

	/* the next message goes where the cancelled one was */
	ck_assert_int_eq(nl_msg_begin(&m, 0x12, 0, 3), 0);
	ck_assert_uint_eq(m.cur, 24);
	ck_assert_ptr_eq(nl_msg_hdr(&m), (void *)(buf + 24));

	nl_msg_reset(&m);
	ck_assert_uint_eq(m.len, 0);
	ck_assert_int_eq(m.open, 0);
	ck_assert_ptr_null(nl_msg_hdr(&m));
}
END_TEST

/* ---- encode -> decode ---------------------------------------------------- */

enum {
	RT_U8 = 1, RT_U16, RT_U32, RT_U64, RT_BE16, RT_BE32, RT_BE64, RT_STR,
	RT_FLAG, RT_BIN, RT_TUPLE, RT_EMPTY, RT_MAX = RT_EMPTY
};

static const struct nl_attr_policy rt_ports_pol[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM] = { .kind = NL_ATTR_U8 },
	[CTA_PROTO_SRC_PORT] = { .kind = NL_ATTR_U16 },
	[CTA_PROTO_DST_PORT] = { .kind = NL_ATTR_U16 },
};

static const struct nl_attr_policy rt_ip_pol[CTA_IP_MAX + 1] = {
	[CTA_IP_V4_SRC] = { .kind = NL_ATTR_BINARY, .min_len = 4,
			    .max_len = 4 },
	[CTA_IP_V6_SRC] = { .kind = NL_ATTR_BINARY, .min_len = 16,
			    .max_len = 16 },
};

static const struct nl_attr_policy rt_tuple_pol[CTA_TUPLE_MAX + 1] = {
	[CTA_TUPLE_IP] = { .kind = NL_ATTR_NESTED, .nested = rt_ip_pol,
			   .nested_max = CTA_IP_MAX },
	[CTA_TUPLE_PROTO] = { .kind = NL_ATTR_NESTED, .nested = rt_ports_pol,
			      .nested_max = CTA_PROTO_MAX },
};

static const struct nl_attr_policy rt_pol[RT_MAX + 1] = {
	[RT_U8] = { .kind = NL_ATTR_U8 },
	[RT_U16] = { .kind = NL_ATTR_U16 },
	[RT_U32] = { .kind = NL_ATTR_U32 },
	[RT_U64] = { .kind = NL_ATTR_U64 },
	[RT_BE16] = { .kind = NL_ATTR_U16 },
	[RT_BE32] = { .kind = NL_ATTR_U32 },
	[RT_BE64] = { .kind = NL_ATTR_U64 },
	[RT_STR] = { .kind = NL_ATTR_STRING, .max_len = 16 },
	[RT_FLAG] = { .kind = NL_ATTR_FLAG },
	[RT_BIN] = { .kind = NL_ATTR_BINARY, .max_len = 16 },
	[RT_TUPLE] = { .kind = NL_ATTR_NESTED, .nested = rt_tuple_pol,
		       .nested_max = CTA_TUPLE_MAX },
	[RT_EMPTY] = { .kind = NL_ATTR_NESTED, .nested = rt_tuple_pol,
		       .nested_max = CTA_TUPLE_MAX },
};

/* One value per row; every width is derived from it, the string and the
 * binary take its low bits as their length (0..15). */
static const uint64_t rt_values[] = {
	0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x12345678,
	0x80000000ULL, 0xffffffffULL, 0x100000000ULL, 0x0123456789abcdefULL,
	0x8000000000000000ULL, 0xfedcba9876543210ULL, UINT64_MAX,
};

struct rt_check {
	uint64_t v;
	int seen;
};

static void rt_string(uint64_t v, char *s)
{
	size_t n = (size_t)(v % 16);

	for (size_t i = 0; i < n; i++)
		s[i] = (char)('a' + (v >> i) % 26);
	s[n] = '\0';
}

static int rt_decode(const struct nlmsghdr *nlh, void *arg)
{
	struct rt_check *c = arg;
	const size_t hdr = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	const struct nlattr *tb[RT_MAX + 1], *tt[CTA_TUPLE_MAX + 1];
	const struct nlattr *ti[CTA_IP_MAX + 1], *tp[CTA_PROTO_MAX + 1];
	struct nl_attr_err err = { 0 };
	uint64_t v = c->v;
	unsigned char bin[16];
	char str[16];
	struct nlmsghdr h;
	int rc;

	memcpy(&h, nlh, sizeof(h));
	ck_assert_uint_ge(h.nlmsg_len, hdr);
	rc = nl_attr_parse((const unsigned char *)nlh + hdr, h.nlmsg_len - hdr,
			   rt_pol, RT_MAX, tb,
			   NL_PARSE_DEEP | NL_PARSE_STRICT, &err);
	ck_assert_msg(rc == 0, "parse: %d (%s, type %u at %u)", rc,
		      err.msg ? err.msg : "", err.type, err.offset);
	for (int t = RT_U8; t <= RT_MAX; t++)
		ck_assert_msg(tb[t] != NULL, "type %d missing", t);
	ck_assert_uint_eq(nl_attr_get_u8(tb[RT_U8]), (uint8_t)v);
	ck_assert_uint_eq(nl_attr_get_u16(tb[RT_U16]), (uint16_t)v);
	ck_assert_uint_eq(nl_attr_get_u32(tb[RT_U32]), (uint32_t)v);
	ck_assert_uint_eq(nl_attr_get_u64(tb[RT_U64]), v);
	ck_assert_uint_eq(nl_attr_get_be16(tb[RT_BE16]), (uint16_t)v);
	ck_assert_uint_eq(nl_attr_get_be32(tb[RT_BE32]), (uint32_t)v);
	ck_assert_uint_eq(nl_attr_get_be64(tb[RT_BE64]), v);
	rt_string(v, str);
	ck_assert_str_eq(nl_attr_get_str(tb[RT_STR]), str);
	ck_assert_uint_eq(nl_attr_payload_len(tb[RT_FLAG]), 0);
	ck_assert_uint_eq(nl_attr_payload_len(tb[RT_BIN]), v % 16);
	memcpy(bin, &v, sizeof(v));
	memcpy(bin + 8, &v, sizeof(v));
	ck_assert_mem_eq(nl_attr_data(tb[RT_BIN]), bin, v % 16);
	ck_assert_uint_eq(nl_attr_payload_len(tb[RT_EMPTY]), 0);

	ck_assert_int_eq(nl_attr_parse_nested(tb[RT_TUPLE], rt_tuple_pol,
					      CTA_TUPLE_MAX, tt,
					      NL_PARSE_STRICT, NULL), 0);
	ck_assert_ptr_nonnull(tt[CTA_TUPLE_IP]);
	ck_assert_ptr_nonnull(tt[CTA_TUPLE_PROTO]);
	ck_assert_ptr_null(tt[CTA_TUPLE_ZONE]);
	ck_assert_int_eq(nl_attr_parse_nested(tt[CTA_TUPLE_IP], rt_ip_pol,
					      CTA_IP_MAX, ti,
					      NL_PARSE_STRICT, NULL), 0);
	ck_assert_mem_eq(nl_attr_data(ti[CTA_IP_V4_SRC]), bin, 4);
	ck_assert_mem_eq(nl_attr_data(ti[CTA_IP_V6_SRC]), bin, 16);
	ck_assert_int_eq(nl_attr_parse_nested(tt[CTA_TUPLE_PROTO],
					      rt_ports_pol, CTA_PROTO_MAX, tp,
					      NL_PARSE_STRICT, NULL), 0);
	ck_assert_uint_eq(nl_attr_get_u8(tp[CTA_PROTO_NUM]), (uint8_t)(v >> 8));
	ck_assert_uint_eq(nl_attr_get_be16(tp[CTA_PROTO_SRC_PORT]),
			  (uint16_t)(v >> 16));
	ck_assert_uint_eq(nl_attr_get_be16(tp[CTA_PROTO_DST_PORT]),
			  (uint16_t)(v >> 32));
	c->seen++;
	return 0;
}

START_TEST(test_round_trip)
{
	uint32_t store[128];
	struct rt_check c = { .v = rt_values[_i] };
	struct nl_reply r = { .seq = 5, .nseq = 1, .on_data = rt_decode,
			      .arg = &c };
	uint64_t v = c.v;
	unsigned char bin[16];
	size_t tup, ip, proto, empty;
	struct nl_msg m;
	char str[16];

	rt_string(v, str);
	memcpy(bin, &v, sizeof(v));
	memcpy(bin + 8, &v, sizeof(v));
	memset(store, FILL, sizeof(store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
					   IPCTNL_MSG_CT_NEW, 0, 5, 2), 0);
	/* nests first, so the scalars after them start unaligned to 8 */
	ck_assert_int_eq(nl_attr_nest_begin(&m, RT_TUPLE, &tup), 0);
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_IP, &ip), 0);
	ck_assert_int_eq(nl_attr_put(&m, CTA_IP_V4_SRC, bin, 4), 0);
	ck_assert_int_eq(nl_attr_put(&m, CTA_IP_V6_SRC, bin, 16), 0);
	ck_assert_int_eq(nl_attr_nest_end(&m, ip), 0);
	ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_PROTO, &proto), 0);
	ck_assert_int_eq(nl_attr_put_u8(&m, CTA_PROTO_NUM, (uint8_t)(v >> 8)),
			 0);
	ck_assert_int_eq(nl_attr_put_be16(&m, CTA_PROTO_SRC_PORT,
					  (uint16_t)(v >> 16)), 0);
	ck_assert_int_eq(nl_attr_put_be16(&m, CTA_PROTO_DST_PORT,
					  (uint16_t)(v >> 32)), 0);
	ck_assert_int_eq(nl_attr_nest_end(&m, proto), 0);
	ck_assert_int_eq(nl_attr_nest_end(&m, tup), 0);
	ck_assert_int_eq(nl_attr_nest_begin(&m, RT_EMPTY, &empty), 0);
	ck_assert_int_eq(nl_attr_nest_end(&m, empty), 0);
	ck_assert_int_eq(nl_attr_put_u8(&m, RT_U8, (uint8_t)v), 0);
	ck_assert_int_eq(nl_attr_put_str(&m, RT_STR, str), 0);
	ck_assert_int_eq(nl_attr_put_u16(&m, RT_U16, (uint16_t)v), 0);
	ck_assert_int_eq(nl_attr_put(&m, RT_BIN, bin, v % 16), 0);
	ck_assert_int_eq(nl_attr_put_u32(&m, RT_U32, (uint32_t)v), 0);
	ck_assert_int_eq(nl_attr_put_u64(&m, RT_U64, v), 0);
	ck_assert_int_eq(nl_attr_put_be16(&m, RT_BE16, (uint16_t)v), 0);
	ck_assert_int_eq(nl_attr_put_flag(&m, RT_FLAG), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, RT_BE32, (uint32_t)v), 0);
	ck_assert_int_eq(nl_attr_put_be64(&m, RT_BE64, v), 0);
	nl_msg_end(&m);

	ck_assert_int_eq(nl_reply_parse(&r, store, m.len), 0);
	ck_assert_int_eq(c.seen, 1);
}
END_TEST

/*
 * The IPCTNL_MSG_CT_NEW request of tests/data/ctnl_ack_new.hex, which the
 * kernel accepted with an ack: the same calls must give the same bytes.
 */
START_TEST(test_real_request)
{
	static const char want_hex[] =
		"8c000000 00010506 00100000 00000000 02000000"
		"34000180 14000180 08000100 c0000201 08000200 c6336402"
		"1c000280 05000100 06000000 06000200 03e80000 06000300"
		"00500000"
		"34000280 14000180 08000100 c6336402 08000200 c0000201"
		"1c000280 05000100 06000000 06000200 00500000 06000300"
		"03e80000"
		"08000700 0000012c 08000800 0000002a";
	static const struct {
		uint16_t type;
		unsigned char src[4], dst[4];
		uint16_t sport, dport;
	} dirs[2] = {
		{ CTA_TUPLE_ORIG, { 192, 0, 2, 1 }, { 198, 51, 100, 2 },
		  1000, 80 },
		{ CTA_TUPLE_REPLY, { 198, 51, 100, 2 }, { 192, 0, 2, 1 },
		  80, 1000 },
	};
	uint32_t store[64], want_store[64];
	struct nl_msg m;
	size_t n, t, ip, pr;

	n = unhex(want_hex, (unsigned char *)want_store, sizeof(want_store));
	nl_msg_init(&m, store, sizeof(store));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
					   IPCTNL_MSG_CT_NEW,
					   NLM_F_ACK | NLM_F_CREATE |
					   NLM_F_EXCL, 0x1000, 2), 0);
	for (int d = 0; d < 2; d++) {
		ck_assert_int_eq(nl_attr_nest_begin(&m, dirs[d].type, &t), 0);
		ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_IP, &ip), 0);
		ck_assert_int_eq(nl_attr_put(&m, CTA_IP_V4_SRC, dirs[d].src,
					     4), 0);
		ck_assert_int_eq(nl_attr_put(&m, CTA_IP_V4_DST, dirs[d].dst,
					     4), 0);
		ck_assert_int_eq(nl_attr_nest_end(&m, ip), 0);
		ck_assert_int_eq(nl_attr_nest_begin(&m, CTA_TUPLE_PROTO, &pr),
				 0);
		ck_assert_int_eq(nl_attr_put_u8(&m, CTA_PROTO_NUM, 6), 0);
		ck_assert_int_eq(nl_attr_put_be16(&m, CTA_PROTO_SRC_PORT,
						  dirs[d].sport), 0);
		ck_assert_int_eq(nl_attr_put_be16(&m, CTA_PROTO_DST_PORT,
						  dirs[d].dport), 0);
		ck_assert_int_eq(nl_attr_nest_end(&m, pr), 0);
		ck_assert_int_eq(nl_attr_nest_end(&m, t), 0);
	}
	ck_assert_int_eq(nl_attr_put_be32(&m, CTA_TIMEOUT, 300), 0);
	ck_assert_int_eq(nl_attr_put_be32(&m, CTA_MARK, 42), 0);
	nl_msg_end(&m);
	ck_assert_uint_eq(n, 140);
	ck_assert_uint_eq(m.len, n);
	ck_assert_mem_eq(store, want_store, n);
}
END_TEST

Suite *msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc;

	tc = tcase_create("build");
	tcase_add_test(tc, test_begin_header);
	tcase_add_test(tc, test_begin_nfnl_header);
	tcase_add_test(tc, test_put_widths);
	tcase_add_test(tc, test_padding_zeroed);
	tcase_add_test(tc, test_len_tracking);
	tcase_add_loop_test(tc, test_full_buffer, 0, 81);
	tcase_add_test(tc, test_begin_when_full);
	tcase_add_test(tc, test_put_too_long);
	tcase_add_test(tc, test_put_without_message);
	suite_add_tcase(s, tc);

	tc = tcase_create("copy");
	tcase_add_loop_test(tc, test_copy_lengths, 0, 8);
	suite_add_tcase(s, tc);

	tc = tcase_create("nest");
	tcase_add_test(tc, test_nest);
	tcase_add_test(tc, test_nest_cancel);
	tcase_add_test(tc, test_nest_too_big);
	suite_add_tcase(s, tc);

	tc = tcase_create("messages");
	tcase_add_test(tc, test_several_messages);
	tcase_add_test(tc, test_msg_cancel);
	suite_add_tcase(s, tc);

	tc = tcase_create("round trip");
	tcase_add_loop_test(tc, test_round_trip, 0,
			    (int)(sizeof(rt_values) / sizeof(rt_values[0])));
	tcase_add_test(tc, test_real_request);
	suite_add_tcase(s, tc);
	return s;
}
