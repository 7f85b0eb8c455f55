// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ct/pack: entries and expectations of each family and
 * protocol, and one row per presence bit (entry, tuple, expectation),
 * pack -> unpack to exactly the selected fields (compared against a
 * normalised copy made here, field by field, not by the packer's tables)
 * and back to the same bytes; every cut of every packed form and every
 * trailing byte refused; hand-made encodings, one row per rule unpack
 * enforces, each next to a valid neighbour; pack's refusals; the keys:
 * equal whatever the non-key fields, different when any key field is.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/pack.h"
#include "ct/proto.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"

#define ALL_ENTRY ((1ULL << 33) - 1)
#define ALL_EXP ((1u << 11) - 1)
#define T_ALL 0x1ffu
#define T_FLOW (CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO | \
		CT_TUPLE_SPORT | CT_TUPLE_DPORT)
#define T_ICMP (CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO | \
		CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID)

/* ---- building --------------------------------------------------------- */

static void set_addr(union ct_addr *a, uint8_t l3, const char *s)
{
	memset(a, 0, sizeof(*a));
	ck_assert_int_eq(inet_pton(l3, s, a), 1);
}

static void mk_tuple(struct ct_tuple *t, uint8_t l3, uint8_t l4,
		     const char *src, const char *dst, uint16_t sp,
		     uint16_t dp)
{
	memset(t, 0, sizeof(*t));
	t->set = l4 == IPPROTO_ICMP || l4 == IPPROTO_ICMPV6 ? T_ICMP : T_FLOW;
	t->l3 = l3;
	t->l4 = l4;
	set_addr(&t->src, l3, src);
	set_addr(&t->dst, l3, dst);
	if (t->set & CT_TUPLE_SPORT) {
		t->sport = sp;
		t->dport = dp;
	} else {
		t->icmp_type = (uint8_t)sp;
		t->icmp_id = dp;
	}
}

enum { F_TCP4, F_TCP4_NAT, F_UDP4, F_ICMP4, F_TCP6, F_TCP6_NAT, F_GRE4,
       NFLOWS };

/* The flows a cache keeps: both tuples, status, timeout, mark and, for
 * TCP, state, flags and window scales (no zone). */
static void mk_flow(struct ct_entry *e, int which)
{
	static const char *const v4[] = { "10.0.0.1", "192.168.1.2",
					  "203.0.113.5" };
	static const char *const v6[] = { "2001:db8::1", "2001:db8:1::2",
					  "2001:db8:2::5" };
	int six = which == F_TCP6 || which == F_TCP6_NAT;
	const char *const *a = six ? v6 : v4;
	uint8_t l3 = six ? AF_INET6 : AF_INET, l4 = IPPROTO_TCP;

	if (which == F_UDP4)
		l4 = IPPROTO_UDP;
	else if (which == F_ICMP4)
		l4 = IPPROTO_ICMP;
	else if (which == F_GRE4)
		l4 = IPPROTO_GRE;
	memset(e, 0, sizeof(*e));
	e->family = l3;
	e->set = CT_ORIG | CT_REPLY | CT_STATUS | CT_TIMEOUT | CT_MARK;
	mk_tuple(&e->orig, l3, l4, a[0], a[1], l4 == IPPROTO_ICMP ? 8 : 40000,
		 l4 == IPPROTO_ICMP ? 0x1234 : 443);
	mk_tuple(&e->reply, l3, l4, a[1], a[0], 443, 40000);
	if (l4 == IPPROTO_ICMP)
		mk_tuple(&e->reply, l3, l4, a[1], a[0], 0, 0x1234);
	if (which == F_TCP4_NAT || which == F_TCP6_NAT) {
		set_addr(&e->reply.dst, l3, a[2]);
		e->reply.dport = 61000;
	}
	e->status = 0x18e;
	e->timeout = 431999;
	if (l4 == IPPROTO_TCP) {
		e->set |= CT_TCP | CT_TCP_FLAGS | CT_TCP_WSCALE;
		e->tcp.state = 3;
		e->tcp.flags[0] = e->tcp.flags[1] = 0x23;
		e->tcp.wscale[0] = 7;
		e->tcp.wscale[1] = 9;
	}
}

/* Every field group filled with values that use the width of their
 * integers; which are selected is up to the caller. */
static void mk_full(struct ct_entry *e, uint8_t family)
{
	static const char secctx[] = "system_u:object_r:unlabeled_t:s0";
	uint8_t other = family == AF_INET ? AF_INET6 : AF_INET;
	const char *o1 = other == AF_INET ? "10.1.1.1" : "fd00::1";
	const char *o2 = other == AF_INET ? "10.2.2.2" : "fd00::2";

	mk_flow(e, family == AF_INET ? F_TCP4_NAT : F_TCP6_NAT);
	e->set = ALL_ENTRY;
	e->orig.set = e->reply.set = T_ALL;
	e->orig.icmp_type = 3;
	e->orig.icmp_code = 4;
	e->orig.icmp_id = 0xfedc;
	e->orig.zone = 0xffff;
	e->reply.zone = 300;
	mk_tuple(&e->master, other, IPPROTO_UDP, o1, o2, 65535, 1);
	e->status = 0xfedcba98;
	e->status_mask = 3;
	e->mark = UINT32_MAX;
	e->mark_mask = 0xff00;
	e->secmark = 128;
	e->id = 0xdeadbeef;
	e->use = 2;
	e->zone = 16384;
	e->tcp.mask[0] = 1;
	e->tcp.mask[1] = 0x80;
	e->sctp.state = 5;
	e->sctp.vtag[0] = 0x11223344;
	e->sctp.vtag[1] = 0xffffffff;
	e->dccp.state = 4;
	e->dccp.role = 1;
	e->dccp.handshake_seq = 0x0123456789abcdefULL;
	e->counters[0].packets = 1;
	e->counters[0].bytes = 1500;
	e->counters[1].packets = UINT64_MAX;
	e->counters[1].bytes = 1ULL << 63;
	e->ts_start = 1700000000123456789ULL;
	e->ts_stop = 1700000099000000000ULL;
	e->ts_event = 5;
	e->helper = "ftp";
	e->secctx = secctx;
	e->labels_len = CT_LABELS_BYTES;
	for (int i = 0; i < CT_LABELS_BYTES; i++)
		e->labels[i] = (uint8_t)(0xa0 + i);
	e->labels_mask_len = 3;
	memset(e->labels_mask, 0xff, 3);
	e->seqadj[0] = (struct ct_seqadj){ 1, 2, 3 };
	e->seqadj[1] = (struct ct_seqadj){ 0xffffffff, 5, 6 };
	e->synproxy.isn = 7;
	e->synproxy.its = 8;
	e->synproxy.tsoff = 0x80000000;
	set_addr(&e->snat.min_ip, family, family == AF_INET ? "1.1.1.1" :
		 "::1");
	set_addr(&e->snat.max_ip, family, family == AF_INET ? "1.1.1.9" :
		 "::9");
	e->snat.min_port = 1024;
	e->snat.max_port = 65535;
	e->snat.has_port = 1;
	set_addr(&e->dnat.min_ip, family, family == AF_INET ? "2.2.2.2" :
		 "::2");
	e->dnat.max_ip = e->dnat.min_ip;
}

/* ---- what a round trip must give back -------------------------------- */

static size_t alen(uint8_t l3)
{
	return l3 == AF_INET ? 4 : 16;
}

static void norm_tuple(struct ct_tuple *d, const struct ct_tuple *s)
{
	uint16_t set = s->set & T_ALL;

	memset(d, 0, sizeof(*d));
	d->set = set;
	d->l3 = s->l3;
	if (set & CT_TUPLE_SRC)
		memcpy(&d->src, &s->src, alen(s->l3));
	if (set & CT_TUPLE_DST)
		memcpy(&d->dst, &s->dst, alen(s->l3));
	if (set & CT_TUPLE_PROTO)
		d->l4 = s->l4;
	if (set & CT_TUPLE_SPORT)
		d->sport = s->sport;
	if (set & CT_TUPLE_DPORT)
		d->dport = s->dport;
	if (set & CT_TUPLE_ICMP_TYPE)
		d->icmp_type = s->icmp_type;
	if (set & CT_TUPLE_ICMP_CODE)
		d->icmp_code = s->icmp_code;
	if (set & CT_TUPLE_ICMP_ID)
		d->icmp_id = s->icmp_id;
	if (set & CT_TUPLE_ZONE)
		d->zone = s->zone;
}

static void norm_nat(struct ct_nat *d, const struct ct_nat *s, uint8_t l3)
{
	memcpy(&d->min_ip, &s->min_ip, alen(l3));
	memcpy(&d->max_ip, &s->max_ip, alen(l3));
	d->min_port = s->min_port;
	d->max_port = s->max_port;
	d->has_port = s->has_port;
}

#define COPY(bit, f) do { if (set & (bit)) d->f = s->f; } while (0)

/* @s as unpack gives it back after packing the fields @set. */
static void norm_entry(struct ct_entry *d, const struct ct_entry *s,
		       uint64_t set)
{
	memset(d, 0, sizeof(*d));
	d->set = set;
	d->family = s->family;
	if (set & CT_ORIG)
		norm_tuple(&d->orig, &s->orig);
	if (set & CT_REPLY)
		norm_tuple(&d->reply, &s->reply);
	if (set & CT_MASTER)
		norm_tuple(&d->master, &s->master);
	COPY(CT_STATUS, status);
	COPY(CT_STATUS_MASK, status_mask);
	COPY(CT_TIMEOUT, timeout);
	COPY(CT_MARK, mark);
	COPY(CT_MARK_MASK, mark_mask);
	COPY(CT_SECMARK, secmark);
	COPY(CT_ID, id);
	COPY(CT_USE, use);
	COPY(CT_ZONE, zone);
	COPY(CT_TCP, tcp.state);
	for (int i = 0; i < 2; i++) {
		COPY(CT_TCP_FLAGS, tcp.flags[i]);
		COPY(CT_TCP_FLAGS, tcp.mask[i]);
		COPY(CT_TCP_WSCALE, tcp.wscale[i]);
		COPY(CT_SCTP_VTAGS, sctp.vtag[i]);
	}
	COPY(CT_SCTP, sctp.state);
	COPY(CT_DCCP, dccp.state);
	COPY(CT_DCCP, dccp.role);
	COPY(CT_DCCP_HSEQ, dccp.handshake_seq);
	COPY(CT_COUNTERS_ORIG, counters[0].packets);
	COPY(CT_COUNTERS_ORIG, counters[0].bytes);
	COPY(CT_COUNTERS_REPLY, counters[1].packets);
	COPY(CT_COUNTERS_REPLY, counters[1].bytes);
	COPY(CT_TIMESTAMP_START, ts_start);
	COPY(CT_TIMESTAMP_STOP, ts_stop);
	COPY(CT_TIMESTAMP_EVENT, ts_event);
	COPY(CT_HELPER, helper);
	COPY(CT_SECCTX, secctx);
	COPY(CT_LABELS, labels_len);
	if (set & CT_LABELS)
		memcpy(d->labels, s->labels, s->labels_len);
	COPY(CT_LABELS_MASK, labels_mask_len);
	if (set & CT_LABELS_MASK)
		memcpy(d->labels_mask, s->labels_mask, s->labels_mask_len);
	COPY(CT_SEQADJ_ORIG, seqadj[0]);
	COPY(CT_SEQADJ_REPLY, seqadj[1]);
	COPY(CT_SYNPROXY, synproxy);
	if (set & CT_SNAT)
		norm_nat(&d->snat, &s->snat, s->family);
	if (set & CT_DNAT)
		norm_nat(&d->dnat, &s->dnat, s->family);
}

static void same_str(const char **got, const char **want, int on)
{
	if (on)
		ck_assert_str_eq(*got, *want);
	else
		ck_assert_ptr_null(*got);
	*got = *want = NULL;
}

/* @got is exactly @want's fields @set, nothing else, strings by content */
static void ck_entry(const struct ct_entry *got, const struct ct_entry *want,
		     uint64_t set)
{
	struct ct_entry g, n;

	memcpy(&g, got, sizeof(g));
	norm_entry(&n, want, set);
	same_str(&g.helper, &n.helper, !!(set & CT_HELPER));
	same_str(&g.secctx, &n.secctx, !!(set & CT_SECCTX));
	ck_assert_msg(!memcmp(&g, &n, sizeof(g)), "fields differ (set %#llx)",
		      (unsigned long long)set);
}

/* ---- the round trip --------------------------------------------------- */

/* @len bytes of @src in a heap buffer of exactly that size (ASan). */
static uint8_t *exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	if (len)
		memcpy(p, src, len);
	return p;
}

typedef int (*unpack_fn)(const void *buf, size_t len, void *out);

static int unpack_e(const void *b, size_t n, void *out)
{
	return ct_entry_unpack(b, n, out);
}

static int unpack_x(const void *b, size_t n, void *out)
{
	return ct_expect_unpack(b, n, out);
}

/* Every cut and every trailing byte is refused, and refusal leaves the
 * output zeroed. */
static void ck_only_whole(const uint8_t *buf, size_t len, unpack_fn fn,
			  size_t size)
{
	static const uint8_t zero[sizeof(struct ct_entry)];
	uint8_t out[sizeof(struct ct_entry)], longer[CT_PACK_MAX + 1];

	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *p = exact(buf, cut);

		memset(out, 0x5a, sizeof(out));
		ck_assert_msg(fn(p, cut, out) == -EBADMSG, "cut at %zu/%zu",
			      cut, len);
		ck_assert(!memcmp(out, zero, size));
		free(p);
	}
	memcpy(longer, buf, len);
	for (int tail = 0; tail < 256; tail += 85) {
		uint8_t *p;

		longer[len] = (uint8_t)tail;
		p = exact(longer, len + 1);
		ck_assert(fn(p, len + 1, out) == -EBADMSG);
		free(p);
	}
}

/* Packs @e's @fields, checks everything a packed entry promises,
 * returns the length. */
static int entry_trip(const struct ct_entry *e, uint64_t fields)
{
	uint8_t buf[CT_PACK_MAX], again[CT_PACK_MAX], *p;
	struct ct_entry back;
	int n, m;

	n = ct_entry_pack(buf, sizeof(buf), e, fields);
	ck_assert_int_gt(n, 1);
	ck_assert_int_le(n, CT_PACK_MAX);
	ck_assert_int_eq(ct_entry_pack(again, (size_t)n - 1, e, fields),
			 -ENOSPC);
	ck_assert_int_eq(ct_entry_pack(again, (size_t)n, e, fields), n);
	p = exact(buf, (size_t)n);
	ck_assert_int_eq(ct_entry_unpack(p, (size_t)n, &back), 0);
	ck_entry(&back, e, e->set & fields & ALL_ENTRY);
	/* one packed form: what unpacked packs to the same bytes */
	m = ct_entry_pack(again, sizeof(again), &back, back.set);
	ck_assert_int_eq(m, n);
	ck_assert(!memcmp(again, buf, (size_t)n));
	if (back.helper)
		ck_assert(back.helper > (const char *)p &&
			  back.helper < (const char *)p + n);
	ck_only_whole(buf, (size_t)n, unpack_e, sizeof(back));
	free(p);
	return n;
}

START_TEST(flow_round_trip)
{
	struct ct_entry e;

	mk_flow(&e, _i);
	entry_trip(&e, ALL_ENTRY);
	entry_trip(&e, CT_ORIG | CT_REPLY);
	entry_trip(&e, CT_REPLY);	/* no orig: the reply is written out */
	entry_trip(&e, 0);
}
END_TEST

/* The sizes pack.h promises for the flows a cache keeps. */
START_TEST(flow_sizes)
{
	struct ct_entry e;
	int plain, nat;

	mk_flow(&e, F_TCP4);
	plain = entry_trip(&e, ALL_ENTRY);
	mk_flow(&e, F_TCP4_NAT);
	nat = entry_trip(&e, ALL_ENTRY);
	ck_assert_int_le(nat, 48);
	/* the reply as the orig tuple inverted: one byte, and the NAT
	 * address and port where they differ */
	ck_assert_int_eq(nat - plain, 6);
	mk_flow(&e, F_TCP4);
	e.set |= CT_ID;
	ck_assert_int_le(entry_trip(&e, ALL_ENTRY), 48);
}
END_TEST

/* One row per entry presence bit, in both families: only that group
 * packs, out of an entry where every group is filled. */
START_TEST(entry_bit)
{
	uint64_t bit = 1ULL << (_i / 2);
	struct ct_entry e;

	mk_full(&e, _i % 2 ? AF_INET6 : AF_INET);
	entry_trip(&e, bit);
	e.set = bit;
	entry_trip(&e, ALL_ENTRY);
	/* and every group but this one */
	mk_full(&e, _i % 2 ? AF_INET6 : AF_INET);
	entry_trip(&e, ALL_ENTRY & ~bit);
}
END_TEST

/* One row per tuple presence bit, in each tuple of an entry, both
 * families; the reply also as the orig tuple's mirror. */
START_TEST(tuple_bit)
{
	uint16_t bit = (uint16_t)(1u << (_i / 2));
	struct ct_entry e;

	mk_full(&e, _i % 2 ? AF_INET6 : AF_INET);
	e.orig.set = e.reply.set = e.master.set = bit;
	entry_trip(&e, CT_ORIG | CT_REPLY | CT_MASTER);
	entry_trip(&e, CT_REPLY);
	e.orig.set = (uint16_t)(T_ALL & ~bit);
	entry_trip(&e, CT_ORIG);
	/* the reply is the orig inverted: the short form */
	e.reply = e.orig;
	e.reply.src = e.orig.dst;
	e.reply.dst = e.orig.src;
	e.reply.sport = e.orig.dport;
	e.reply.dport = e.orig.sport;
	e.reply.set = (uint16_t)(e.orig.set & ~T_FLOW & T_ALL);
	e.reply.set |= e.orig.set & CT_TUPLE_PROTO;
	e.reply.set |= e.orig.set & CT_TUPLE_SRC ? CT_TUPLE_DST : 0;
	e.reply.set |= e.orig.set & CT_TUPLE_DST ? CT_TUPLE_SRC : 0;
	e.reply.set |= e.orig.set & CT_TUPLE_SPORT ? CT_TUPLE_DPORT : 0;
	e.reply.set |= e.orig.set & CT_TUPLE_DPORT ? CT_TUPLE_SPORT : 0;
	ck_assert_int_eq(entry_trip(&e, CT_ORIG | CT_REPLY),
			 entry_trip(&e, CT_ORIG) + 1);
}
END_TEST

/* The longest entry: every group, IPv6, strings at their limits, the
 * widest varints, a master of the other family. */
START_TEST(entry_longest)
{
	char helper[CT_PACK_HELPER_MAX + 1], secctx[CT_PACK_SECCTX_MAX + 1];
	struct ct_entry e;

	mk_full(&e, AF_INET6);
	memset(helper, 'h', CT_PACK_HELPER_MAX);
	helper[CT_PACK_HELPER_MAX] = '\0';
	memset(secctx, 's', CT_PACK_SECCTX_MAX);
	secctx[CT_PACK_SECCTX_MAX] = '\0';
	e.helper = helper;
	e.secctx = secctx;
	e.labels_mask_len = CT_LABELS_BYTES;
	e.status = e.status_mask = e.timeout = e.mark = e.use = UINT32_MAX;
	e.mark_mask = e.secmark = UINT32_MAX;
	e.counters[0] = e.counters[1];
	e.dccp.handshake_seq = UINT64_MAX;
	e.orig.zone = e.reply.zone = e.master.zone = 0xffff;
	e.master.set = e.reply.set = T_ALL;
	e.zone = 0xffff;
	ck_assert_int_le(entry_trip(&e, ALL_ENTRY), CT_PACK_MAX);
}
END_TEST

/* ---- pack refusals ---------------------------------------------------- */

START_TEST(entry_pack_errors)
{
	char longer[CT_PACK_SECCTX_MAX + 2];
	uint8_t buf[CT_PACK_MAX];
	struct ct_entry e;

	mk_full(&e, AF_INET);
	ck_assert_int_eq(ct_entry_pack(NULL, sizeof(buf), &e, ALL_ENTRY),
			 -EINVAL);
	ck_assert_int_eq(ct_entry_pack(buf, sizeof(buf), NULL, ALL_ENTRY),
			 -EINVAL);
	ck_assert_int_eq(ct_entry_pack(buf, 0, &e, ALL_ENTRY), -ENOSPC);
	e.helper = NULL;
	ck_assert_int_eq(ct_entry_pack(buf, sizeof(buf), &e, ALL_ENTRY),
			 -EINVAL);
	ck_assert_int_gt(ct_entry_pack(buf, sizeof(buf), &e,
				       ALL_ENTRY & ~CT_HELPER), 0);
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	e.secctx = longer;		/* CT_PACK_SECCTX_MAX + 1 */
	ck_assert_int_eq(ct_entry_pack(buf, sizeof(buf), &e, CT_SECCTX),
			 -EINVAL);
	e.secctx = longer + 1;		/* exactly the limit */
	ck_assert_int_gt(ct_entry_pack(buf, sizeof(buf), &e, CT_SECCTX), 0);
	e.helper = longer + sizeof(longer) - 2 - CT_PACK_HELPER_MAX;
	ck_assert_int_eq(ct_entry_pack(buf, sizeof(buf), &e, CT_HELPER),
			 -EINVAL);
	e.helper++;
	ck_assert_int_gt(ct_entry_pack(buf, sizeof(buf), &e, CT_HELPER), 0);
	e.labels_len = CT_LABELS_BYTES + 1;
	ck_assert_int_eq(ct_entry_pack(buf, sizeof(buf), &e, CT_LABELS),
			 -EINVAL);
	e.labels_mask_len = CT_LABELS_BYTES + 1;
	ck_assert_int_eq(ct_entry_pack(buf, sizeof(buf), &e, CT_LABELS_MASK),
			 -EINVAL);
	ck_assert_int_eq(ct_entry_unpack(buf, 2, NULL), -EINVAL);
	ck_assert_int_eq(ct_entry_unpack(NULL, 2, &e), -EBADMSG);
}
END_TEST

/* ---- unpack refusals: one row per rule, each with a valid neighbour --- */

struct bad_row {
	const char *name;
	int expect;		/* unpack as an expectation */
	const char *hex;
	int rc;
};

/* Group (row) numbers of the entry: 0 orig, 1 reply, 2 status, 9 zone,
 * 17 orig counters, 22 helper, 24 labels; of an expectation 0 master. */
static const struct bad_row bad_rows[] = {
	{ "empty", 0, "", -EBADMSG },
	{ "no family", 0, "00", -EBADMSG },
	{ "nothing selected", 0, "00 02", 0 },
	{ "groups varint cut", 0, "80", -EBADMSG },
	{ "groups varint not shortest", 0, "80 00 02", -EBADMSG },
	{ "group 33 unknown", 0, "80 80 80 80 20 02", -EBADMSG },
	{ "group 32 (dnat)", 0, "80 80 80 80 10 02 01020304 05060708 "
	  "0000 0000 00", 0 },
	{ "status not shortest", 0, "04 02 80 00", -EBADMSG },
	{ "status 0", 0, "04 02 00", 0 },
	{ "status over 32 bits", 0, "04 02 80 80 80 80 10", -EBADMSG },
	{ "status max", 0, "04 02 ff ff ff ff 0f", 0 },
	{ "zone over 16 bits", 0, "80 04 02 80 80 04", -EBADMSG },
	{ "zone max", 0, "80 04 02 ff ff 03", 0 },
	{ "counter over 64 bits", 0,
	  "80 80 08 02 ff ff ff ff ff ff ff ff ff 02 00", -EBADMSG },
	{ "counter of 11 bytes", 0,
	  "80 80 08 02 80 80 80 80 80 80 80 80 80 80 00 00", -EBADMSG },
	{ "counter max", 0,
	  "80 80 08 02 ff ff ff ff ff ff ff ff ff 01 00", 0 },
	{ "tuple bit 9 unknown", 0, "01 02 80 10", -EBADMSG },
	{ "tuple zone bit", 0, "01 02 80 08 05", 0 },
	{ "tuple l3 said but the family", 0, "01 02 01 02", -EBADMSG },
	{ "tuple l3 other than the family", 0, "01 02 01 0a", 0 },
	{ "tuple l3 cut", 0, "01 02 01", -EBADMSG },
	{ "mirror as the orig tuple", 0, "01 02 02", -EBADMSG },
	{ "mirror without an orig tuple", 0, "02 02 02", -EBADMSG },
	{ "mirror with other bits", 0, "03 02 00 06", -EBADMSG },
	{ "mirror of an empty orig", 0, "03 02 00 02", 0 },
	{ "empty reply written out", 0, "03 02 00 00", -EBADMSG },
	{ "mirror written out", 0, "03 02 04 01020304 08 01020304", -EBADMSG },
	{ "mirror with a changed dst written out", 0,
	  "03 02 04 01020304 08 01020305", -EBADMSG },
	{ "mirror with a changed dst", 0, "03 02 04 01020304 0a 01020305", 0 },
	{ "mirror with a dst that is not changed", 0,
	  "03 02 04 01020304 0a 01020304", -EBADMSG },
	{ "mirror with a port the tuple lacks", 0, "03 02 04 01020304 22 0001",
	  -EBADMSG },
	{ "mirror with a protocol delta", 0, "03 02 14 01020304 06 12 07",
	  -EBADMSG },
	{ "mirror with an explicit l3", 0, "03 02 04 01020304 03 0a",
	  -EBADMSG },
	{ "reply not the mirror", 0, "03 02 04 01020304 04 01020305", 0 },
	{ "ipv4 address cut", 0, "01 02 04 010203", -EBADMSG },
	{ "ipv6 address as ipv4", 0, "01 0a 04 01020304", -EBADMSG },
	{ "helper with a NUL inside", 0, "80 80 80 02 02 03 66 00 70 00",
	  -EBADMSG },
	{ "helper without its NUL", 0, "80 80 80 02 02 03 66 74 70 58",
	  -EBADMSG },
	{ "helper length not shortest", 0, "80 80 80 02 02 83 00 66 74 70 00",
	  -EBADMSG },
	{ "helper", 0, "80 80 80 02 02 03 66 74 70 00", 0 },
	{ "empty helper", 0, "80 80 80 02 02 00 00", 0 },
	{ "helper over its limit", 0, "80 80 80 02 02 20 "
	  "6161616161616161616161616161616161616161616161616161616161616161 00",
	  -EBADMSG },
	{ "helper at its limit", 0, "80 80 80 02 02 1f "
	  "61616161616161616161616161616161616161616161616161616161616161 00",
	  0 },
	{ "labels over 16 bytes", 0,
	  "80 80 80 08 02 11 0102030405060708090a0b0c0d0e0f1011", -EBADMSG },
	{ "labels of 16 bytes", 0,
	  "80 80 80 08 02 10 0102030405060708090a0b0c0d0e0f10", 0 },
	{ "labels cut", 0, "80 80 80 08 02 02 01", -EBADMSG },
	{ "expect group 11 unknown", 1, "80 10 02", -EBADMSG },
	{ "expect nothing", 1, "00 0a", 0 },
	{ "expect mirror", 1, "01 02 02", -EBADMSG },
	{ "expect master", 1, "01 02 04 01020304", 0 },
	{ "expect fn over its limit", 1, "80 08 02 40 "
	  "6161616161616161616161616161616161616161616161616161616161616161"
	  "6161616161616161616161616161616161616161616161616161616161616161 00",
	  -EBADMSG },
	{ "expect nat", 1, "80 04 02 01 00", 0 },
};

#define NBAD (sizeof(bad_rows) / sizeof(bad_rows[0]))

START_TEST(unpack_rule)
{
	const struct bad_row *r = &bad_rows[_i];
	uint8_t raw[256], again[CT_PACK_MAX], *p;
	union { struct ct_entry e; struct ct_expect x; } out;
	size_t n = fixture_unhex(r->hex, raw, sizeof(raw));
	int rc, m;

	p = exact(raw, n);
	rc = r->expect ? ct_expect_unpack(p, n, &out.x) :
			 ct_entry_unpack(p, n, &out.e);
	ck_assert_msg(rc == r->rc, "%s: %d", r->name, rc);
	if (rc == 0) {
		/* the valid neighbours are the packer's own bytes */
		m = r->expect ? ct_expect_pack(again, sizeof(again), &out.x,
					       out.x.set) :
				ct_entry_pack(again, sizeof(again), &out.e,
					      out.e.set);
		ck_assert_msg(m == (int)n && !memcmp(again, raw, n), "%s",
			      r->name);
	}
	free(p);
}
END_TEST

/* ---- expectations ----------------------------------------------------- */

static void mk_expect(struct ct_expect *x, uint8_t family)
{
	const char *a = family == AF_INET ? "10.0.0.1" : "2001:db8::1";
	const char *b = family == AF_INET ? "10.0.0.2" : "2001:db8::2";

	memset(x, 0, sizeof(*x));
	x->set = ALL_EXP;
	x->family = family;
	mk_tuple(&x->master, family, IPPROTO_TCP, a, b, 40021, 21);
	mk_tuple(&x->tuple, family, IPPROTO_TCP, b, a, 0, 10000);
	x->tuple.set &= (uint16_t)~CT_TUPLE_SPORT;
	mk_tuple(&x->mask, family, IPPROTO_TCP,
		 family == AF_INET ? "255.255.255.255" : "ffff::ffff",
		 family == AF_INET ? "255.255.255.0" : "ffff::", 0, 0xffff);
	x->timeout = 299;
	x->id = 0x89abcdef;
	x->flags = 5;
	x->class = 1;
	x->zone = 7;
	x->nat_dir = CT_DIR_REPLY;
	mk_tuple(&x->nat_tuple, family == AF_INET ? AF_INET6 : AF_INET,
		 IPPROTO_TCP, family == AF_INET ? "::3" : "10.0.0.3",
		 family == AF_INET ? "::4" : "10.0.0.4", 20, 0);
	x->helper = "ftp";
	x->fn = "nat-follow-master";
}

static void ck_expect(const struct ct_expect *got, const struct ct_expect *w,
		      uint32_t set)
{
	struct ct_expect g, n, *d = &n;
	const struct ct_expect *s = w;

	memcpy(&g, got, sizeof(g));
	memset(&n, 0, sizeof(n));
	n.set = set;
	n.family = w->family;
	if (set & CT_EXP_MASTER)
		norm_tuple(&n.master, &w->master);
	if (set & CT_EXP_TUPLE)
		norm_tuple(&n.tuple, &w->tuple);
	if (set & CT_EXP_MASK)
		norm_tuple(&n.mask, &w->mask);
	if (set & CT_EXP_NAT)
		norm_tuple(&n.nat_tuple, &w->nat_tuple);
	COPY(CT_EXP_NAT, nat_dir);
	COPY(CT_EXP_TIMEOUT, timeout);
	COPY(CT_EXP_ID, id);
	COPY(CT_EXP_FLAGS, flags);
	COPY(CT_EXP_CLASS, class);
	COPY(CT_EXP_ZONE, zone);
	COPY(CT_EXP_HELPER, helper);
	COPY(CT_EXP_FN, fn);
	same_str(&g.helper, &n.helper, !!(set & CT_EXP_HELPER));
	same_str(&g.fn, &n.fn, !!(set & CT_EXP_FN));
	ck_assert_msg(!memcmp(&g, &n, sizeof(g)), "fields differ (set %#x)",
		      set);
}

static int expect_trip(const struct ct_expect *x, uint32_t fields)
{
	uint8_t buf[CT_PACK_MAX], again[CT_PACK_MAX], *p;
	struct ct_expect back;
	int n;

	n = ct_expect_pack(buf, sizeof(buf), x, fields);
	ck_assert_int_gt(n, 1);
	ck_assert_int_eq(ct_expect_pack(again, (size_t)n - 1, x, fields),
			 -ENOSPC);
	p = exact(buf, (size_t)n);
	ck_assert_int_eq(ct_expect_unpack(p, (size_t)n, &back), 0);
	ck_expect(&back, x, x->set & fields & ALL_EXP);
	ck_assert_int_eq(ct_expect_pack(again, sizeof(again), &back,
					back.set), n);
	ck_assert(!memcmp(again, buf, (size_t)n));
	ck_only_whole(buf, (size_t)n, unpack_x, sizeof(back));
	free(p);
	return n;
}

/* One row per expectation presence bit, both families. */
START_TEST(expect_bit)
{
	uint32_t bit = 1u << (_i / 2);
	struct ct_expect x;

	mk_expect(&x, _i % 2 ? AF_INET6 : AF_INET);
	expect_trip(&x, ALL_EXP);
	expect_trip(&x, bit);
	expect_trip(&x, ALL_EXP & ~bit);
	x.set = bit;
	expect_trip(&x, ALL_EXP);
}
END_TEST

START_TEST(expect_longest_and_errors)
{
	char helper[CT_PACK_HELPER_MAX + 2], fn[CT_PACK_FN_MAX + 2];
	uint8_t buf[CT_PACK_MAX];
	struct ct_expect x;

	mk_expect(&x, AF_INET6);
	memset(helper, 'h', sizeof(helper) - 1);
	helper[sizeof(helper) - 1] = '\0';
	memset(fn, 'f', sizeof(fn) - 1);
	fn[sizeof(fn) - 1] = '\0';
	x.helper = helper + 1;
	x.fn = fn + 1;
	x.timeout = x.flags = x.class = UINT32_MAX;
	x.master.set = x.tuple.set = x.mask.set = x.nat_tuple.set = T_ALL;
	ck_assert_int_le(expect_trip(&x, ALL_EXP), CT_PACK_MAX);
	x.helper = helper;
	ck_assert_int_eq(ct_expect_pack(buf, sizeof(buf), &x, ALL_EXP),
			 -EINVAL);
	x.helper = helper + 1;
	x.fn = fn;
	ck_assert_int_eq(ct_expect_pack(buf, sizeof(buf), &x, ALL_EXP),
			 -EINVAL);
	x.fn = NULL;
	ck_assert_int_eq(ct_expect_pack(buf, sizeof(buf), &x, ALL_EXP),
			 -EINVAL);
	ck_assert_int_gt(ct_expect_pack(buf, sizeof(buf), &x,
					ALL_EXP & ~(uint32_t)CT_EXP_FN), 0);
	ck_assert_int_eq(ct_expect_pack(NULL, sizeof(buf), &x, ALL_EXP),
			 -EINVAL);
	ck_assert_int_eq(ct_expect_pack(buf, sizeof(buf), NULL, ALL_EXP),
			 -EINVAL);
	ck_assert_int_eq(ct_expect_unpack(buf, 2, NULL), -EINVAL);
}
END_TEST

/* ---- keys ------------------------------------------------------------- */

struct key_row {
	const char *name;
	int flow;
	void (*change)(struct ct_entry *e);	/* the second entry */
	int same;		/* the key stays the same */
	void (*first)(struct ct_entry *e);	/* the first, may be NULL */
};

static void k_reply(struct ct_entry *e) { e->reply.dport = 1; }
static void k_status(struct ct_entry *e) { e->status ^= 0x10; }
static void k_meta(struct ct_entry *e)
{
	e->timeout = 1;
	e->mark = 2;
	e->tcp.state = 7;
	e->id = 3;
	e->set |= CT_ID | CT_HELPER | CT_COUNTERS_ORIG;
	e->helper = "sip";
	e->counters[0].bytes = 9;
}
static void k_v4_tail(struct ct_entry *e) { e->orig.src.v6[7] = 1; }
static void k_port0(struct ct_entry *e) { e->orig.sport = 0; }
static void k_unset_port(struct ct_entry *e)
{
	e->orig.set &= (uint16_t)~CT_TUPLE_SPORT;
	e->orig.sport = 77;
}
static void k_icmp_ports(struct ct_entry *e) { e->orig.sport = 5; }
static void k_tuple_zone(struct ct_entry *e)
{
	e->orig.set |= CT_TUPLE_ZONE;
	e->orig.zone = 4;
}
static void k_zone0(struct ct_entry *e)
{
	e->set |= CT_ZONE;
	e->zone = 0;
}
static void k_zone(struct ct_entry *e)
{
	e->set |= CT_ZONE;
	e->zone = 1;
}
static void k_zone_unset(struct ct_entry *e) { e->zone = 1; }
static void k_l3(struct ct_entry *e) { e->orig.l3 = AF_INET6; }
static void k_l4(struct ct_entry *e) { e->orig.l4 = IPPROTO_UDP; }
static void k_noproto(struct ct_entry *e)
{
	e->orig.set &= (uint16_t)~CT_TUPLE_PROTO;
}
static void k_src(struct ct_entry *e) { e->orig.src.v6[3] ^= 1; }
static void k_dst(struct ct_entry *e) { e->orig.dst.v6[0] ^= 0x80; }
static void k_v6_src(struct ct_entry *e) { e->orig.src.v6[15] ^= 1; }
static void k_sport(struct ct_entry *e) { e->orig.sport++; }
static void k_dport(struct ct_entry *e) { e->orig.dport ^= 0x8000; }
static void k_icmp_type(struct ct_entry *e) { e->orig.icmp_type = 13; }
static void k_icmp_code(struct ct_entry *e) { e->orig.icmp_code = 1; }
static void k_icmp_id(struct ct_entry *e) { e->orig.icmp_id++; }

static const struct key_row key_rows[] = {
	{ "reply tuple", F_TCP4_NAT, k_reply, 1, NULL },
	{ "status", F_TCP4, k_status, 1, NULL },
	{ "timeout, mark, state, id, helper, counters", F_TCP6, k_meta, 1, NULL },
	{ "bytes past an ipv4 address", F_TCP4, k_v4_tail, 1, NULL },
	{ "absent port is 0 (its value unread)", F_UDP4, k_unset_port, 1,
	  k_port0 },
	{ "absent port is not any other", F_UDP4, k_unset_port, 0, NULL },
	{ "ports of an icmp tuple", F_ICMP4, k_icmp_ports, 1, NULL },
	{ "directional zone of the tuple", F_TCP4, k_tuple_zone, 1, NULL },
	{ "zone 0 is no zone", F_TCP4, k_zone0, 1, NULL },
	{ "zone value without CT_ZONE", F_TCP4, k_zone_unset, 1, NULL },
	{ "zone", F_TCP4, k_zone, 0, NULL },
	{ "zone (ipv6)", F_TCP6, k_zone, 0, NULL },
	{ "l3", F_TCP4, k_l3, 0, NULL },
	{ "l4", F_TCP4, k_l4, 0, NULL },
	{ "no protocol", F_TCP4, k_noproto, 0, NULL },
	{ "src", F_TCP4, k_src, 0, NULL },
	{ "dst", F_UDP4, k_dst, 0, NULL },
	{ "ipv6 src last byte", F_TCP6, k_v6_src, 0, NULL },
	{ "sport", F_TCP4, k_sport, 0, NULL },
	{ "dport", F_UDP4, k_dport, 0, NULL },
	{ "gre key", F_GRE4, k_sport, 0, NULL },
	{ "icmp type", F_ICMP4, k_icmp_type, 0, NULL },
	{ "icmp code", F_ICMP4, k_icmp_code, 0, NULL },
	{ "icmp id", F_ICMP4, k_icmp_id, 0, NULL },
};

#define NKEYS (sizeof(key_rows) / sizeof(key_rows[0]))

START_TEST(entry_key)
{
	const struct key_row *r = &key_rows[_i];
	uint8_t k1[CT_KEY_MAX], k2[CT_KEY_MAX];
	struct ct_entry a, b;
	int n1, n2;

	mk_flow(&a, r->flow);
	if (r->first)
		r->first(&a);
	b = a;
	r->change(&b);
	n1 = ct_entry_key(k1, &a);
	n2 = ct_entry_key(k2, &b);
	ck_assert_int_eq(n1, a.orig.l3 == AF_INET ? 16 : 40);
	ck_assert_int_gt(n2, 0);
	ck_assert_int_le(n2, CT_KEY_MAX);
	if (r->same)
		ck_assert_msg(n1 == n2 && !memcmp(k1, k2, (size_t)n1),
			      "%s: keys differ", r->name);
	else
		ck_assert_msg(n1 != n2 || memcmp(k1, k2, (size_t)n1),
			      "%s: keys equal", r->name);
}
END_TEST

START_TEST(expect_key)
{
	uint8_t k1[CT_KEY_MAX], k2[CT_KEY_MAX];
	struct ct_expect a, b;
	int n;

	mk_expect(&a, AF_INET6);
	n = ct_expect_key(k1, &a);
	ck_assert_int_eq(n, 2 + 2 * 38);
	/* not key fields */
	b = a;
	b.mask.sport = 1;
	b.timeout = 1;
	b.id = 2;
	b.flags = 0;
	b.helper = "sip";
	b.set &= (uint32_t)~CT_EXP_NAT;
	ck_assert_int_eq(ct_expect_key(k2, &b), n);
	ck_assert(!memcmp(k1, k2, (size_t)n));
	/* key fields */
	b = a;
	b.zone = 8;
	ck_assert_int_eq(ct_expect_key(k2, &b), n);
	ck_assert(memcmp(k1, k2, (size_t)n));
	b = a;
	b.set &= (uint32_t)~CT_EXP_ZONE;
	ck_assert_int_eq(ct_expect_key(k2, &b), n);
	ck_assert(memcmp(k1, k2, (size_t)n));
	b = a;
	b.tuple.dport++;
	ck_assert_int_eq(ct_expect_key(k2, &b), n);
	ck_assert(memcmp(k1, k2, (size_t)n));
	b = a;
	b.master.src.v6[15]++;
	ck_assert_int_eq(ct_expect_key(k2, &b), n);
	ck_assert(memcmp(k1, k2, (size_t)n));
	mk_expect(&b, AF_INET);
	ck_assert_int_eq(ct_expect_key(k2, &b), 2 + 2 * 14);
	/* refusals */
	b.set &= (uint32_t)~CT_EXP_MASTER;
	ck_assert_int_eq(ct_expect_key(k2, &b), -EINVAL);
	b.set = ALL_EXP & ~(uint32_t)CT_EXP_TUPLE;
	ck_assert_int_eq(ct_expect_key(k2, &b), -EINVAL);
	ck_assert_int_eq(ct_expect_key(k2, NULL), -EINVAL);
}
END_TEST

START_TEST(entry_key_errors)
{
	uint8_t k[CT_KEY_MAX];
	struct ct_entry e;

	mk_full(&e, AF_INET6);
	ck_assert_int_eq(ct_entry_key(k, &e), 40);
	e.set &= ~(uint64_t)CT_ORIG;
	ck_assert_int_eq(ct_entry_key(k, &e), -EINVAL);
	ck_assert_int_eq(ct_entry_key(k, NULL), -EINVAL);
}
END_TEST

Suite *pack_suite(void)
{
	Suite *s = suite_create("pack");
	TCase *t;

	t = tcase_create("entry");
	tcase_add_loop_test(t, flow_round_trip, 0, NFLOWS);
	tcase_add_test(t, flow_sizes);
	tcase_add_loop_test(t, entry_bit, 0, 2 * 33);
	tcase_add_loop_test(t, tuple_bit, 0, 2 * 9);
	tcase_add_test(t, entry_longest);
	tcase_add_test(t, entry_pack_errors);
	tcase_add_loop_test(t, unpack_rule, 0, NBAD);
	suite_add_tcase(s, t);

	t = tcase_create("expect");
	tcase_add_loop_test(t, expect_bit, 0, 2 * 11);
	tcase_add_test(t, expect_longest_and_errors);
	suite_add_tcase(s, t);

	t = tcase_create("key");
	tcase_add_loop_test(t, entry_key, 0, NKEYS);
	tcase_add_test(t, expect_key);
	tcase_add_test(t, entry_key_errors);
	suite_add_tcase(s, t);
	return s;
}
