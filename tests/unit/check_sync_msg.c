// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/msg (the sync protocol v1 codec), part one: the
 * spec's captured datagrams (section 2.7) and the Debian conntrackd
 * 1.4.7's own (tests/data/sync_ref.hex, made by
 * tests/netns/t_sync_msg_ref.sh), decoded field by field and built again
 * byte for byte. Round trips are in check_sync_msg_rt.c, the failing
 * rows in check_sync_msg_bad.c, shared helpers in sync_check.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/proto.h"
#include "sync/msg.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"
#include "tests/unit/sync_check.h"

/* ---- the spec's datagrams (A = 192.168.77.1 -> B) ---------------------- */

#define SPEC_ALIVE "1a3000086b08a8d1"
#define SPEC_ACK "1a6800106b08a8d16b08a8d16b08a8d1"
#define SPEC_RESYNC "1a0200106b08a8db0000000000000000"
#define SPEC_ACK_NACK "1a0800106b08a9146b08a9196b08a919" \
		      "1a0400106b08a9156b08a91a6b08a91a"
#define SPEC_CT_NEW "104000546b08a8d2" \
	"000c00000a0101010a020202" "000800050000000e" "0005000206000000" \
	"0008000304570050" "0005000403000000" "000800060000012c" \
	"0008000700000009" "0010001f000000000000000000000000"

static size_t load(const char *hex, uint8_t **out)
{
	uint8_t tmp[256];
	size_t n = fixture_unhex(hex, tmp, sizeof(tmp));

	*out = sc_dup_exact(tmp, n);
	return n;
}

/* A control message decodes as @want and builds back to the same bytes. */
static void ck_ctl(const char *hex, const struct sync_msg_hdr *want,
		   uint8_t build_flags)
{
	struct sync_msg_stats st = { 0 };
	struct sync_msg_hdr h;
	uint8_t *p, out[16];
	size_t n = load(hex, &p);

	ck_assert_int_eq(sync_msg_next(p, n, &h, &st), (int)n);
	ck_assert_uint_eq(h.version, 1);
	ck_assert_uint_eq(h.type, SYNC_T_CTL);
	ck_assert_uint_eq(h.flags, want->flags);
	ck_assert_uint_eq(h.len, n);
	ck_assert_uint_eq(h.seq, want->seq);
	ck_assert_uint_eq(h.from, want->from);
	ck_assert_uint_eq(h.to, want->to);
	ck_assert(!sync_msg_is_data(&h));
	ck_assert_int_eq(sync_msg_build_ctl(out, sizeof(out), build_flags,
					    h.from, h.to), (int)n);
	sync_msg_stamp(out, h.seq, (uint8_t)(want->flags & ~build_flags));
	ck_assert(!memcmp(out, p, n));
	sc_ck_stats(&st, &sc_zero_stats);
	free(p);
}

START_TEST(test_spec_ctl)
{
	struct sync_msg_hdr alive = { .flags = SYNC_F_ALIVE | SYNC_F_HELLO,
				      .seq = 0x6b08a8d1 };
	struct sync_msg_hdr ack = { .flags = SYNC_F_ACK | SYNC_F_HELLO |
					     SYNC_F_HELLO_BACK,
				    .seq = 0x6b08a8d1, .from = 0x6b08a8d1,
				    .to = 0x6b08a8d1 };
	struct sync_msg_hdr resync = { .flags = SYNC_F_RESYNC,
				       .seq = 0x6b08a8db };

	ck_ctl(SPEC_ALIVE, &alive, SYNC_F_ALIVE);
	ck_ctl(SPEC_ACK, &ack, SYNC_F_ACK);
	ck_ctl(SPEC_RESYNC, &resync, SYNC_F_RESYNC);
}
END_TEST

/* tcp 10.1.1.1:1111 -> 10.2.2.2:80 ESTABLISHED, SEEN_REPLY|ASSURED|
 * CONFIRMED, timeout 300, mark 9, synproxy zeros */
static void spec_flow(struct ct_entry *e)
{
	sc_flow(e, IPPROTO_TCP, "10.1.1.1", "10.2.2.2", 1111, 80);
	sc_scalars(e, 0xe, 300, 9);
	e->tcp.state = 3;
	e->set |= CT_TCP | CT_SYNPROXY;
}

START_TEST(test_spec_ct_new)
{
	struct sync_msg_stats st = { 0 };
	struct sync_msg_hdr h;
	struct ct_entry e, want;
	uint8_t *p, out[SYNC_MSG_MAX];
	size_t n = load(SPEC_CT_NEW, &p);

	ck_assert_uint_eq(n, 84);
	ck_assert_int_eq(sync_msg_next(p, n, &h, &st), 84);
	ck_assert_uint_eq(h.type, SYNC_T_CT_NEW);
	ck_assert_uint_eq(h.flags, SYNC_F_HELLO_BACK);
	ck_assert_uint_eq(h.seq, 0x6b08a8d2);
	ck_assert(sync_msg_is_data(&h));
	ck_assert_int_eq(sc_parse_ct(p, n, &e, &st), 0);
	spec_flow(&want);
	sc_ck_entry(&e, &want);
	/* the same flow, built: the same bytes */
	ck_assert_int_eq(sync_msg_build_ct(out, sizeof(out), SYNC_T_CT_NEW,
					   &want, NULL), 84);
	sync_msg_stamp(out, 0x6b08a8d2, SYNC_F_HELLO_BACK);
	ck_assert(!memcmp(out, p, n));
	sc_ck_stats(&st, &sc_zero_stats);
	free(p);
}
END_TEST

START_TEST(test_spec_batched)
{
	struct sync_msg_stats st = { 0 };
	struct sync_msg_hdr h;
	uint8_t *p;
	size_t n = load(SPEC_ACK_NACK, &p);

	ck_assert_int_eq(sync_msg_next(p, n, &h, &st), 16);
	ck_assert_uint_eq(h.flags, SYNC_F_ACK);
	ck_assert_uint_eq(h.seq, 0x6b08a914);
	ck_assert_uint_eq(h.from, 0x6b08a919);
	ck_assert_uint_eq(h.to, 0x6b08a919);
	ck_assert_int_eq(sync_msg_next(p + 16, n - 16, &h, &st), 16);
	ck_assert_uint_eq(h.flags, SYNC_F_NACK);
	ck_assert_uint_eq(h.seq, 0x6b08a915);
	ck_assert_uint_eq(h.from, 0x6b08a91a);
	ck_assert_uint_eq(h.to, 0x6b08a91a);
	ck_assert_int_eq(sync_msg_next(p + 32, 0, &h, &st), 0);
	sc_ck_stats(&st, &sc_zero_stats);
	free(p);
}
END_TEST

/* ---- the reference's datagrams ------------------------------------------ */

#define REF_FILE "tests/data/sync_ref.hex"
#define REF_DGRAMS 14
#define REF_MSGS 15

struct ref_msg {
	const uint8_t *p;
	struct sync_msg_hdr h;
};

static unsigned int ref_load(struct ref_msg *m)
{
	uint8_t *d[REF_DGRAMS + 1];
	size_t len[REF_DGRAMS + 1];
	unsigned int nd, nm = 0;
	struct sync_msg_stats st = { 0 };

	nd = fixture_load(REF_FILE, d, len, REF_DGRAMS + 1);
	ck_assert_uint_eq(nd, REF_DGRAMS);
	for (unsigned int i = 0; i < nd; i++) {
		size_t off = 0;
		int n;

		while (off < len[i]) {
			ck_assert_uint_lt(nm, REF_MSGS);
			n = sync_msg_next(d[i] + off, len[i] - off, &m[nm].h,
					  &st);
			ck_assert_int_gt(n, 0);
			m[nm++].p = d[i] + off;
			off += (size_t)n;
		}
	}
	sc_ck_stats(&st, &sc_zero_stats);
	return nm;
}

START_TEST(test_ref_walk)
{
	struct ref_msg m[REF_MSGS];
	static const uint8_t types[REF_MSGS] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
						 0, 0, 0, 1, 0, 3 };

	ck_assert_uint_eq(ref_load(m), REF_MSGS);
	for (unsigned int i = 0; i < REF_MSGS; i++) {
		ck_assert_uint_eq(m[i].h.version, 1);
		ck_assert_uint_eq(m[i].h.type, types[i]);
		/* before the peer's HELLO_BACK everything says HELLO */
		ck_assert_uint_eq(m[i].h.flags, SYNC_F_HELLO);
		ck_assert(sync_msg_is_data(&m[i].h));
		ck_assert_uint_eq(m[i].h.len % 4, 0);
		/* each of the three captures counts up by one */
		if (i && i != 9 && i != 11)
			ck_assert_uint_eq(m[i].h.seq, m[i - 1].h.seq + 1);
	}
}
END_TEST

/* What message @i of the fixture holds, as the kernel had it. */
static void ref_want(unsigned int i, struct ct_entry *w)
{
	static const struct {
		uint8_t l4;
		const char *src, *dst;
		uint16_t sport, dport;
		uint32_t status, timeout;
	} f[] = {
		{ 6, "10.1.1.1", "10.2.2.2", 1111, 80, 0x8, 300 },
		{ 17, "10.1.1.2", "10.2.2.2", 53, 5353, 0x8, 50 },
		{ 136, "10.1.1.3", "10.2.2.2", 0, 0, 0x8, 40 },
		{ 47, "10.1.1.4", "10.2.2.2", 0, 0, 0x8, 41 },
		{ 1, "10.1.1.5", "10.2.2.2", 0, 0, 0x8, 30 },
		{ 132, "10.1.1.6", "10.2.2.2", 5000, 6000, 0x8, 60 },
		{ 6, "2001:db8::1", "2001:db8::2", 4000, 443, 0x8, 120 },
		{ 6, "10.1.1.7", "10.2.2.2", 1111, 80, 0x198, 300 },
		{ 6, "10.1.1.8", "10.2.2.2", 1111, 80, 0x1a8, 300 },
		{ 17, "127.0.0.1", "127.0.0.1", 9000, 9999, 0x8, 30 },
		{ 17, "10.77.0.1", "10.77.0.2", 37156, 3780, 0x8, 30 },
		{ 6, "127.0.0.1", "127.0.0.1", 40021, 21, 0x2008, 120 },
		{ 6, "127.0.0.1", "127.0.0.1", 40021, 21, 0x200e, 432000 },
		{ 17, "10.77.0.1", "10.77.0.2", 50548, 3780, 0x8, 30 },
	};

	sc_flow(w, f[i].l4, f[i].src, f[i].dst, f[i].sport, f[i].dport);
	sc_scalars(w, f[i].status, f[i].timeout, i == 0 ? 9 : 0);
	if (i < 9) {
		w->set |= CT_SYNPROXY;
	} else {
		w->set &= ~(uint64_t)CT_MARK;	/* no mark was sent */
	}
	switch (i) {
	case 0: case 7: case 8: case 12:
		w->tcp.state = 3;
		w->set |= CT_TCP;
		break;
	case 6: case 11:
		w->tcp.state = 1;
		w->set |= CT_TCP;
		break;
	case 1:
		w->zone = 7;
		w->set |= CT_ZONE;
		break;
	case 4:
		w->orig.icmp_type = 8;
		w->orig.icmp_id = 4660;
		w->orig.set |= SC_ICMPS;
		w->reply.icmp_type = 0;
		w->reply.icmp_id = 4660;
		w->reply.set |= SC_ICMPS;
		break;
	case 5:
		w->sctp.state = 4;
		w->sctp.vtag[0] = 0x11000000;	/* conntrack -I swapped 17 */
		w->sctp.vtag[1] = 0x22000000;
		w->set |= CT_SCTP | CT_SCTP_VTAGS;
		break;
	case 9:
		w->labels[4] = 0x20;	/* label 37, host-order words */
		w->labels_len = 16;
		w->set |= CT_LABELS;
		break;
	}
	if (i == 11 || i == 12) {
		w->helper = "ftp";
		w->set |= CT_HELPER;
	}
	if (i == 7) {		/* --src-nat 10.9.9.9 */
		sc_addr(&w->reply.dst, "10.9.9.9");
		w->snat.min_ip = w->snat.max_ip = w->reply.dst;
		w->set |= CT_SNAT;
	}
	if (i == 8) {		/* --dst-nat 10.8.8.8:8080 */
		sc_addr(&w->reply.src, "10.8.8.8");
		w->reply.sport = 8080;
		w->dnat.min_ip = w->dnat.max_ip = w->reply.src;
		w->dnat.has_port = 1;
		w->dnat.min_port = w->dnat.max_port = 8080;
		w->set |= CT_DNAT;
	}
}

static void ref_want_exp(struct ct_expect *w)
{
	memset(w, 0, sizeof(*w));
	sc_tup(&w->master, "127.0.0.1", "127.0.0.1", IPPROTO_TCP);
	sc_tup_ports(&w->master, 40021, 21);
	sc_tup(&w->tuple, "127.0.0.1", "127.0.0.1", IPPROTO_TCP);
	sc_tup_ports(&w->tuple, 0, 10000);
	sc_tup(&w->mask, "255.255.255.255", "255.255.255.255", IPPROTO_TCP);
	sc_tup_ports(&w->mask, 0, 65535);
	w->family = AF_INET;
	w->timeout = 300;
	w->helper = "ftp";
	w->set = CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK | CT_EXP_TIMEOUT |
		 CT_EXP_FLAGS | CT_EXP_CLASS | CT_EXP_HELPER;
}

START_TEST(test_ref_fields)
{
	struct ref_msg m[REF_MSGS];
	struct sync_msg_stats st = { 0 };
	struct ct_entry e, w;
	struct ct_expect x, wx;
	unsigned int nm = ref_load(m), ct = 0;

	for (unsigned int i = 0; i < nm; i++) {
		if (m[i].h.type == SYNC_T_EXP_NEW) {
			ck_assert_int_eq(sc_parse_exp(m[i].p, m[i].h.len, &x,
						      &st), 0);
			ref_want_exp(&wx);
			sc_ck_exp(&x, &wx);
			continue;
		}
		ck_assert_int_eq(sc_parse_ct(m[i].p, m[i].h.len, &e, &st), 0);
		ref_want(ct++, &w);
		sc_ck_entry(&e, &w);
	}
	ck_assert_uint_eq(ct, REF_MSGS - 1);
	sc_ck_stats(&st, &sc_zero_stats);
}
END_TEST

/* The create form of each flow: the reply tuple as if no NAT, the NAT
 * ranges kept for CTA_NAT_SRC/DST (a NATed reply makes the kernel create
 * a flow that translates nothing). */
START_TEST(test_ref_unnat)
{
	struct ref_msg m[REF_MSGS];
	struct sync_msg_stats st = { 0 };
	struct ct_entry e, w;
	unsigned int nm = ref_load(m), ct = 0;

	for (unsigned int i = 0; i < nm; i++) {
		if (m[i].h.type >= SYNC_T_EXP_NEW)
			continue;
		ck_assert_int_eq(sc_parse_ct(m[i].p, m[i].h.len, &e, &st), 0);
		ref_want(ct, &w);
		sync_msg_ct_reply_unnat(&e);
		if (ct == 7) {		/* --src-nat 10.9.9.9 */
			sc_addr(&w.reply.dst, "10.1.1.7");
		} else if (ct == 8) {	/* --dst-nat 10.8.8.8:8080 */
			sc_addr(&w.reply.src, "10.2.2.2");
			w.reply.sport = 80;
		}
		sc_ck_entry(&e, &w);
		ct++;
	}
	ck_assert_uint_eq(ct, REF_MSGS - 1);
}
END_TEST

/* Ours, built from what we parsed with upstream_compat: their bytes. */
START_TEST(test_ref_rebuild)
{
	static const struct sync_msg_opts o = { .wscale = 1,
						.upstream_compat = 1 };
	struct ref_msg m[REF_MSGS];
	struct sync_msg_stats st = { 0 };
	uint8_t out[SYNC_MSG_MAX];
	struct ct_entry e;
	struct ct_expect x;
	unsigned int nm = ref_load(m);
	int n;

	for (unsigned int i = 0; i < nm; i++) {
		const struct sync_msg_hdr *h = &m[i].h;

		if (h->type >= SYNC_T_EXP_NEW) {
			ck_assert_int_eq(sc_parse_exp(m[i].p, h->len, &x, &st),
					 0);
			n = sync_msg_build_exp(out, sizeof(out), h->type, &x,
					       &o);
		} else {
			ck_assert_int_eq(sc_parse_ct(m[i].p, h->len, &e, &st),
					 0);
			n = sync_msg_build_ct(out, sizeof(out), h->type, &e,
					      &o);
		}
		ck_assert_int_eq(n, h->len);
		sync_msg_stamp(out, h->seq, h->flags);
		ck_assert_msg(!memcmp(out, m[i].p, h->len),
			      "message %u differs", i);
	}
}
END_TEST

Suite *sync_msg_suite(void)
{
	Suite *s = suite_create("sync_msg");
	TCase *tc = tcase_create("fixtures");

	tcase_add_test(tc, test_spec_ctl);
	tcase_add_test(tc, test_spec_ct_new);
	tcase_add_test(tc, test_spec_batched);
	tcase_add_test(tc, test_ref_walk);
	tcase_add_test(tc, test_ref_fields);
	tcase_add_test(tc, test_ref_rebuild);
	tcase_add_test(tc, test_ref_unnat);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, sync_msg_rt_tcase());
	suite_add_tcase(s, sync_msg_bad_tcase());
	return s;
}
