// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/msg, part three: a failing row per validation rule,
 * each asserting exactly which counters moved. Payloads: every conntrack
 * and expectation attribute one byte short and one long (and right, as
 * the control), strings without their NUL or too long, labels of a bad
 * size, unknown types, attribute lengths under 4 or past the end,
 * trailing bytes, missing addresses. Headers: bad version, length and
 * type, flags no mode accepts, truncation at every length (as a
 * datagram counts it), and the walk going on after what upstream skips.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "sync/msg.h"
#include "sync/msg_int.h"
#include "tests/unit/fixture.h"
#include "tests/unit/sync_check.h"

/* A message under construction: header, then raw attributes. */
struct raw {
	uint8_t b[512];
	size_t n;
};

static void raw_begin(struct raw *r, uint8_t type)
{
	memset(r, 0, sizeof(*r));
	r->b[0] = (uint8_t)(0x10 | type);
	r->n = 8;
}

/* an attribute of @len value bytes (filled with @fill), padded */
static void raw_attr(struct raw *r, uint16_t type, size_t len, uint8_t fill)
{
	size_t nta = 4 + len;

	ck_assert_uint_le(r->n + SYNC_ALIGN(nta), sizeof(r->b));
	sync_put_be16(r->b + r->n, (uint16_t)nta);
	sync_put_be16(r->b + r->n + 2, type);
	memset(r->b + r->n + 4, fill, len);
	r->n += SYNC_ALIGN(nta);
}

static void raw_bytes(struct raw *r, uint16_t type, const void *p,
		      size_t len)
{
	raw_attr(r, type, len, 0);
	memcpy(r->b + r->n - SYNC_ALIGN(4 + len) + 4, p, len);
}

static size_t raw_end(struct raw *r)
{
	sync_put_be16(r->b + 2, (uint16_t)r->n);
	return r->n;
}

/* parse_ct of @r: @ok or one bad payload, @e cleared then */
static void ck_ct(struct raw *r, int ok, const char *what)
{
	struct sync_msg_stats st = { 0 };
	struct ct_entry e;
	size_t n = raw_end(r);
	int rc = sc_parse_ct(r->b, n, &e, &st);

	ck_assert_msg(rc == (ok ? 0 : -EBADMSG), "%s: rc %d", what, rc);
	sc_ck_stats(&st, ok ? &sc_zero_stats : &sc_one_payload);
	if (!ok)
		ck_assert_msg(e.set == 0 && e.orig.set == 0, "%s: not cleared",
			      what);
}

static void ck_exp(struct raw *r, int ok, const char *what)
{
	struct sync_msg_stats st = { 0 };
	struct ct_expect x;
	size_t n = raw_end(r);
	int rc = sc_parse_exp(r->b, n, &x, &st);

	ck_assert_msg(rc == (ok ? 0 : -EBADMSG), "%s: rc %d", what, rc);
	sc_ck_stats(&st, ok ? &sc_zero_stats : &sc_one_payload);
	if (!ok)
		ck_assert_msg(x.set == 0, "%s: not cleared", what);
}

/* The value size of each conntrack attribute (0: not fixed), from
 * upstream's parse.c table. */
static const uint8_t ct_size[SYNC_NTA_MAX] = {
	8, 32, 1, 4, 1, 4, 4, 4,	/* IPV4 .. MARK */
	8, 32, 1, 4,			/* MASTER_* */
	4, 4, 2, 2, 24,			/* SNAT_IPV4 .. NAT_SEQ_ADJ */
	1, 4, 4, 1, 1,			/* SCTP_STATE .. DCCP_ROLE */
	1, 1, 2, 1, 1,			/* ICMP_TYPE .. TCP_WSCALE_REPL */
	0, 0, 16, 16, 12, 2,		/* HELPER .. ZONE */
};

/* A valid base whose family fits attribute @t. */
static void ct_base(struct raw *r, uint16_t t)
{
	raw_begin(r, SYNC_T_CT_NEW);
	if (t == SYNC_NTA_SNAT_IPV6 || t == SYNC_NTA_DNAT_IPV6)
		raw_attr(r, SYNC_NTA_IPV6, 32, 0x20);
	else
		raw_attr(r, SYNC_NTA_IPV4, 8, 0x0a);
}

/* One message kind's fixed-size attributes: each one right (the
 * control), one byte short, one long and empty. */
struct size_rows {
	const uint8_t *size;		/* by type; 0: not fixed */
	uint16_t n;
	void (*base)(struct raw *r, uint16_t t);
	void (*check)(struct raw *r, int ok, const char *what);
	uint16_t zero_fill;		/* the type filled with 0, not 1 */
};

static void ck_sizes(const struct size_rows *k)
{
	struct raw r;

	for (uint16_t t = 0; t < k->n; t++) {
		size_t sz = k->size[t];

		if (!sz)
			continue;
		k->base(&r, t);
		raw_attr(&r, t, sz, t == k->zero_fill ? 0 : 1);
		k->check(&r, 1, "exact size");
		k->base(&r, t);
		raw_attr(&r, t, sz - 1, 1);
		k->check(&r, 0, "one short");
		k->base(&r, t);
		raw_attr(&r, t, sz + 1, 1);
		k->check(&r, 0, "one long");
		k->base(&r, t);
		raw_attr(&r, t, 0, 0);
		k->check(&r, 0, "empty");
	}
}

START_TEST(test_bad_ct_sizes)
{
	const struct size_rows k = { ct_size, SYNC_NTA_MAX, ct_base, ck_ct,
				     UINT16_MAX };

	ck_sizes(&k);
}
END_TEST

START_TEST(test_bad_ct_other)
{
	static const uint16_t unknown[] = { SYNC_NTA_MAX, 100, 0x8000, 0xffff };
	struct raw r;

	/* helper: NUL inside, at most the kernel's 16 bytes */
	ct_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_HELPER_NAME, "ftp", 3);
	ck_ct(&r, 0, "helper without NUL");
	ct_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_HELPER_NAME, "ftp\0xyz", 7);
	ck_ct(&r, 1, "helper NUL inside");
	ct_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_HELPER_NAME, "abcdefghijklmno", 16);
	ck_ct(&r, 1, "helper of 16 bytes");
	ct_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_HELPER_NAME, "abcdefghijklmnop", 17);
	ck_ct(&r, 0, "helper of 17 bytes");
	ct_base(&r, 0);
	raw_attr(&r, SYNC_NTA_HELPER_NAME, 0, 0);
	ck_ct(&r, 0, "empty helper");
	/* labels: whole words, 128 bits at most */
	for (size_t len = 0; len <= 24; len++) {
		ct_base(&r, 0);
		raw_attr(&r, SYNC_NTA_LABELS, len, 0x11);
		ck_ct(&r, len && len % 4 == 0 && len <= 16, "labels");
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		ct_base(&r, 0);
		raw_attr(&r, unknown[i], 4, 0);
		ck_ct(&r, 0, "unknown type");
	}
	/* nta_len under 4, past the end; trailing bytes */
	for (uint16_t l = 0; l < 4; l++) {
		ct_base(&r, 0);
		sync_put_be16(r.b + r.n, l);
		sync_put_be16(r.b + r.n + 2, SYNC_NTA_MARK);
		r.n += 4;
		ck_ct(&r, 0, "nta_len under 4");
	}
	ct_base(&r, 0);
	raw_attr(&r, SYNC_NTA_MARK, 4, 0);
	sync_put_be16(r.b + r.n - 8, 12);
	ck_ct(&r, 0, "nta_len past the end");
	for (size_t extra = 1; extra <= 4; extra++) {
		ct_base(&r, 0);
		r.n += extra;
		ck_ct(&r, 0, "trailing bytes");
	}
	/* the last attribute may go without its padding */
	ct_base(&r, 0);
	raw_attr(&r, SYNC_NTA_L4PROTO, 1, 6);
	r.n -= 3;
	ck_ct(&r, 1, "unpadded last attribute");
	/* no address; NAT of the other family */
	raw_begin(&r, SYNC_T_CT_NEW);
	raw_attr(&r, SYNC_NTA_STATUS, 4, 0);
	ck_ct(&r, 0, "no address");
	raw_begin(&r, SYNC_T_CT_NEW);
	ck_ct(&r, 0, "header only");
	ct_base(&r, 0);
	raw_attr(&r, SYNC_NTA_SNAT_IPV6, 16, 0x20);
	ck_ct(&r, 0, "IPv6 SNAT of an IPv4 flow");
	ct_base(&r, SYNC_NTA_DNAT_IPV6);
	raw_attr(&r, SYNC_NTA_DNAT_IPV4, 4, 0x0a);
	ck_ct(&r, 0, "IPv4 DNAT of an IPv6 flow");
}
END_TEST

/* An attribute that comes again replaces the first one whole. */
START_TEST(test_dup_attrs)
{
	struct sync_msg_stats st = { 0 };
	struct ct_entry e;
	struct raw r;

	raw_begin(&r, SYNC_T_CT_NEW);
	raw_attr(&r, SYNC_NTA_IPV6, 32, 0x20);
	raw_attr(&r, SYNC_NTA_IPV4, 8, 0x0a);
	raw_attr(&r, SYNC_NTA_LABELS, 16, 0xff);
	raw_bytes(&r, SYNC_NTA_LABELS, "\0\0\0\1", 4);
	raw_bytes(&r, SYNC_NTA_PORT, "\0\1\0\2", 4);
	raw_bytes(&r, SYNC_NTA_PORT, "\0\3\0\4", 4);
	ck_assert_int_eq(sc_parse_ct(r.b, raw_end(&r), &e, &st), 0);
	ck_assert_uint_eq(e.family, AF_INET);
	for (size_t i = 4; i < sizeof(e.orig.src); i++)
		ck_assert_uint_eq(e.orig.src.v6[i], 0);
	ck_assert_uint_eq(e.labels_len, 4);
	ck_assert_uint_eq(e.labels[0] | e.labels[1] | e.labels[2] |
			  e.labels[3], 1);
	for (size_t i = 4; i < sizeof(e.labels); i++)
		ck_assert_uint_eq(e.labels[i], 0);
	ck_assert(e.orig.sport == 3 && e.orig.dport == 4);
	/* all clear the second time: no labels at all */
	raw_bytes(&r, SYNC_NTA_LABELS, "\0\0\0\0", 4);
	ck_assert_int_eq(sc_parse_ct(r.b, raw_end(&r), &e, &st), 0);
	ck_assert(!(e.set & CT_LABELS) && e.labels_len == 0);
	sc_ck_stats(&st, &sc_zero_stats);
}
END_TEST

static const uint8_t exp_size[SYNC_NTA_EXP_MAX] = {
	8, 32, 1, 4, 8, 32, 1, 4, 8, 32, 1, 4,	/* the three tuples */
	4, 4, 4, 8, 4, 1, 4, 0, 0,		/* TIMEOUT .. FN */
};

static void exp_base(struct raw *r, uint16_t t)
{
	raw_begin(r, SYNC_T_EXP_NEW);
	raw_attr(r, SYNC_NTA_EXP_MASTER_IPV4, 8, 0x0a);
	raw_attr(r, SYNC_NTA_EXP_EXPECT_IPV4, 8, 0x0a);
}

START_TEST(test_bad_exp)
{
	const struct size_rows k = { exp_size, SYNC_NTA_EXP_MAX, exp_base,
				     ck_exp, SYNC_NTA_EXP_NAT_DIR };
	struct raw r;

	ck_sizes(&k);
	exp_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_EXP_FN, "sip", 3);
	ck_exp(&r, 0, "fn without NUL");
	exp_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_EXP_FN, "abcdefghijklmnopqrstuvwxyz0", 28);
	ck_exp(&r, 1, "fn of 28 bytes");
	exp_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_EXP_FN, "abcdefghijklmnopqrstuvwxyz01", 29);
	ck_exp(&r, 0, "fn of 29 bytes");
	exp_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_EXP_HELPER_NAME, "abcdefghijklmnop", 17);
	ck_exp(&r, 0, "helper of 17 bytes");
	exp_base(&r, 0);
	raw_bytes(&r, SYNC_NTA_EXP_NAT_DIR, "\0\0\0\2", 4);
	ck_exp(&r, 0, "nat dir 2");
	exp_base(&r, 0);
	raw_attr(&r, SYNC_NTA_EXP_MAX, 4, 0);
	ck_exp(&r, 0, "unknown type");
	raw_begin(&r, SYNC_T_EXP_NEW);
	raw_attr(&r, SYNC_NTA_EXP_EXPECT_IPV4, 8, 0x0a);
	ck_exp(&r, 0, "no master");
	raw_begin(&r, SYNC_T_EXP_NEW);
	raw_attr(&r, SYNC_NTA_EXP_MASTER_IPV4, 8, 0x0a);
	raw_attr(&r, SYNC_NTA_EXP_MASK_IPV4, 8, 0xff);
	ck_exp(&r, 0, "no expected tuple");
}
END_TEST

/* ---- headers --------------------------------------------------------------- */

struct hdr_row {
	const char *hex;
	int rc;			/* of sync_msg_next */
	uint16_t skip;		/* h.len after it */
	struct sync_msg_stats st;
};

#define BAD(field) { .rcv_malformed = 1, .field = 1 }

static const struct hdr_row hdr_rows[] = {
	/* version first checked after the sizes, as upstream */
	{ "2000000c0000000100000000", -EPROTO, 12, BAD(rcv_bad_version) },
	{ "0000000800000001", -EPROTO, 8, BAD(rcv_bad_version) },
	{ "fa10000800000001", -EPROTO, 8, BAD(rcv_bad_version) },
	{ "2000000000000001", -EBADMSG, 0, BAD(rcv_bad_size) },
	{ "1000000000000001", -EBADMSG, 0, BAD(rcv_bad_size) },
	{ "1000000400000001", -EBADMSG, 0, BAD(rcv_bad_size) },
	{ "1000000700000001", -EBADMSG, 0, BAD(rcv_bad_size) },
	{ "1a08000800000001" "0000000100000002", -EBADMSG, 0,
	  BAD(rcv_bad_size) },		/* ACK of 8 bytes */
	{ "1a04000c00000001" "0000000100000002", -EBADMSG, 0,
	  BAD(rcv_bad_size) },		/* NACK of 12 */
	{ "1600000800000001", -EBADMSG, 8, BAD(rcv_bad_type) },
	{ "1900000800000001", -EBADMSG, 8, BAD(rcv_bad_type) },
	{ "1f10000800000001", -EBADMSG, 8, BAD(rcv_bad_type) },
	{ "1008000800000001", -EBADMSG, 8, BAD(rcv_bad_header) },
	{ "1301000800000001", -EBADMSG, 8, BAD(rcv_bad_header) },
	{ "1010000800000001", -EBADMSG, 8, BAD(rcv_bad_header) },
	{ "1a00000800000001", -EBADMSG, 8, BAD(rcv_bad_header) },
	{ "1a60000800000001", -EBADMSG, 8, BAD(rcv_bad_header) },
	{ "1a08001000000001" "0000000500000004", -EBADMSG, 16,
	  BAD(rcv_bad_header) },	/* ACK to before from */
	{ "1a04001000000001" "8000000100000001", -EBADMSG, 16,
	  BAD(rcv_bad_header) },
	/* accepted */
	{ "1a08001000000001" "fffffff000000005", 16, 16, { 0 } },
	{ "1a04001000000001" "0000000300000003", 16, 16, { 0 } },
	{ "1a02001000000001" "0000000000000000", 16, 16, { 0 } },
	{ "1a10000800000001", 8, 8, { 0 } },
	{ "1a30000800000001", 8, 8, { 0 } },
	{ "1060000800000001", 8, 8, { 0 } },
	{ "1500000c00000001" "00000000", 12, 12, { 0 } },
	{ "1a1000080000000100", 8, 8, { 0 } },	/* one byte of the next */
};

START_TEST(test_bad_header)
{
	for (size_t i = 0; i < sizeof(hdr_rows) / sizeof(hdr_rows[0]); i++) {
		const struct hdr_row *row = &hdr_rows[i];
		struct sync_msg_stats st = { 0 };
		struct sync_msg_hdr h;
		uint8_t tmp[64], *p;
		size_t n = fixture_unhex(row->hex, tmp, sizeof(tmp));
		int rc;

		p = sc_dup_exact(tmp, n);
		rc = sync_msg_next(p, n, &h, &st);
		ck_assert_msg(rc == row->rc, "row %zu: rc %d want %d", i, rc,
			      row->rc);
		ck_assert_msg(h.len == row->skip, "row %zu: h.len %u", i,
			      h.len);
		sc_ck_stats(&st, &row->st);
		free(p);
	}
}
END_TEST

/* A datagram cut at every length: nothing to take (0), counted as
 * upstream counts it; the payload cut anywhere but at an attribute end
 * (or in the last one's padding) refused. */
START_TEST(test_truncated)
{
	static const char *ct_hex = "104000546b08a8d2"
		"000c00000a0101010a020202" "000800050000000e"
		"0005000206000000" "0008000304570050" "0005000403000000"
		"000800060000012c" "0008000700000009"
		"0010001f000000000000000000000000";
	static const size_t ok_cut[] = { 20, 28, 33, 34, 35, 36, 44, 49, 50,
					 51, 52, 60, 68, 84 };
	uint8_t tmp[128], *p;
	size_t n = fixture_unhex(ct_hex, tmp, sizeof(tmp));

	for (size_t len = 0; len < n; len++) {
		struct sync_msg_stats st = { 0 }, want = { .rcv_malformed = 1 };
		struct sync_msg_hdr h;

		p = sc_dup_exact(tmp, len);
		ck_assert_int_eq(sync_msg_next(p, len, &h, &st), 0);
		sc_ck_stats(&st, &sc_zero_stats);
		sync_msg_count_short(p, len, &st);
		if (len < 8)
			want.rcv_truncated = 1;
		else
			want.rcv_bad_size = 1;
		sc_ck_stats(&st, &want);
		free(p);
	}
	for (size_t len = 8; len <= n; len++) {
		struct sync_msg_stats st = { 0 };
		struct ct_entry e;
		int ok = 0;

		for (size_t i = 0; i < sizeof(ok_cut) / sizeof(ok_cut[0]); i++)
			ok |= ok_cut[i] == len;
		ck_assert_int_eq(sc_parse_ct(tmp, len, &e, &st),
				 ok ? 0 : -EBADMSG);
		sc_ck_stats(&st, ok ? &sc_zero_stats : &sc_one_payload);
	}
}
END_TEST

START_TEST(test_truncated_ack)
{
	static const char *ack_hex = "1a0800106b08a9146b08a9196b08a919";
	static const char *short_ack = "1a0800086b08a914" "6b08a919";
	uint8_t tmp[32], *p;
	size_t n = fixture_unhex(ack_hex, tmp, sizeof(tmp));
	struct sync_msg_stats st, want;
	struct sync_msg_hdr h;

	for (size_t len = 0; len < n; len++) {
		memset(&st, 0, sizeof(st));
		memset(&want, 0, sizeof(want));
		p = sc_dup_exact(tmp, len);
		ck_assert_int_eq(sync_msg_next(p, len, &h, &st), 0);
		sync_msg_count_short(p, len, &st);
		want.rcv_malformed = 1;
		if (len < 8)
			want.rcv_truncated = 1;
		else
			want.rcv_bad_size = 1;
		sc_ck_stats(&st, &want);
		free(p);
	}
	/* an ACK saying 8 bytes with 12 left: its from/to are cut */
	memset(&st, 0, sizeof(st));
	n = fixture_unhex(short_ack, tmp, sizeof(tmp));
	p = sc_dup_exact(tmp, n);
	ck_assert_int_eq(sync_msg_next(p, n, &h, &st), 0);
	sync_msg_count_short(p, n, &st);
	sc_ck_stats(&st, &(struct sync_msg_stats){ .rcv_malformed = 1,
						   .rcv_truncated = 1 });
	free(p);
}
END_TEST

/* The seqs of the messages a walk hands over. */
static void seq_of(void *arg, const struct sync_msg_hdr *h,
		   const uint8_t *msg)
{
	uint32_t *seqs = arg;

	ck_assert_uint_eq(h->seq, (uint32_t)msg[7]);
	ck_assert_uint_lt(seqs[0], 7);
	seqs[++seqs[0]] = h->seq;
}

/* sync_msg_walk: after a bad version, type or header the walk goes on;
 * after a bad size it stops; a message cut by the end is counted. */
START_TEST(test_walk_skips)
{
	static const struct {
		const char *dgram;
		uint32_t seqs[4];	/* count, then the seqs handed over */
		struct sync_msg_stats st;
	} t[] = {
		{ "2010000c0000000100000000" "1700000800000002"
		  "1a00000800000003" "1a10000800000004" "1000000000000005"
		  "1a10000800000006", { 1, 4 }, { .rcv_malformed = 4,
		  .rcv_bad_version = 1, .rcv_bad_type = 1,
		  .rcv_bad_header = 1, .rcv_bad_size = 1 } },
		{ "1a10000800000001" "1a10000800000002" "1a1000",
		  { 2, 1, 2 }, { .rcv_malformed = 1, .rcv_truncated = 1 } },
		{ "1a10000800000001" "1a10000900000002",
		  { 1, 1 }, { .rcv_malformed = 1, .rcv_bad_size = 1 } },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t tmp[64], *p;
		size_t n = fixture_unhex(t[i].dgram, tmp, sizeof(tmp));
		struct sync_msg_stats st = { 0 };
		uint32_t seqs[8] = { 0 };

		p = sc_dup_exact(tmp, n);
		sync_msg_walk(p, n, &st, seq_of, seqs);
		ck_assert_msg(!memcmp(seqs, t[i].seqs, sizeof(t[i].seqs)),
			      "row %zu: %u handed over", i, seqs[0]);
		sc_ck_stats(&st, &t[i].st);
		free(p);
	}
}
END_TEST

TCase *sync_msg_bad_tcase(void)
{
	TCase *tc = tcase_create("validation");

	tcase_add_test(tc, test_bad_ct_sizes);
	tcase_add_test(tc, test_bad_ct_other);
	tcase_add_test(tc, test_dup_attrs);
	tcase_add_test(tc, test_bad_exp);
	tcase_add_test(tc, test_bad_header);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_truncated_ack);
	tcase_add_test(tc, test_walk_skips);
	return tc;
}
