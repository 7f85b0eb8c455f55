// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/msg, part two: build -> walk -> parse round trips
 * for every protocol in both families (tcp udp udplite sctp dccp icmp
 * icmpv6 gre and an unknown one), NAT in every combination, seqadj,
 * helper, labels, zone, master tuple, the options, expectations; the
 * wire forms that matter to upstream (little-endian NAT ports, label
 * words, ports left out with upstream_compat); build errors and control
 * messages.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/labels.h"
#include "ct/proto.h"
#include "nl/uapi.h"
#include "sync/msg.h"
#include "sync/msg_int.h"
#include "tests/unit/sync_check.h"

static const struct sync_msg_opts all_on = { .wscale = 1 };

/* The value of attribute @type in message @p (@n bytes), or NULL. */
static const uint8_t *find_attr(const uint8_t *p, int n, uint16_t type,
				uint16_t *len)
{
	for (int off = SYNC_MSG_HDR_LEN; off + 4 <= n;) {
		uint16_t l = (uint16_t)(p[off] << 8 | p[off + 1]);
		uint16_t t = (uint16_t)(p[off + 2] << 8 | p[off + 3]);

		ck_assert_uint_ge(l, 4);
		if (t == type) {
			*len = (uint16_t)(l - 4);
			return p + off + 4;
		}
		off += (int)SYNC_ALIGN(l);
	}
	return NULL;
}

/* ---- every protocol ------------------------------------------------------ */

static const struct {
	uint8_t l4;
	const char *src, *dst;
	uint16_t sport, dport;		/* ports or GRE keys */
	uint8_t type, rtype;		/* ICMP */
} protos[] = {
	{ IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1024, 80, 0, 0 },
	{ IPPROTO_TCP, "fd00::1", "fd00::2", 1024, 443, 0, 0 },
	{ IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 53, 5353, 0, 0 },
	{ IPPROTO_UDP, "fd00::1", "fd00::2", 53, 5353, 0, 0 },
	{ IPPROTO_UDPLITE, "10.0.0.1", "10.0.0.2", 1000, 2000, 0, 0 },
	{ IPPROTO_UDPLITE, "fd00::1", "fd00::2", 1000, 2000, 0, 0 },
	{ IPPROTO_SCTP, "10.0.0.1", "10.0.0.2", 5000, 6000, 0, 0 },
	{ IPPROTO_SCTP, "fd00::1", "fd00::2", 5000, 6000, 0, 0 },
	{ IPPROTO_DCCP, "10.0.0.1", "10.0.0.2", 7000, 8000, 0, 0 },
	{ IPPROTO_DCCP, "fd00::1", "fd00::2", 7000, 8000, 0, 0 },
	{ IPPROTO_ICMP, "10.0.0.1", "10.0.0.2", 0, 0, 8, 0 },
	{ IPPROTO_ICMPV6, "fd00::1", "fd00::2", 0, 0, 128, 129 },
	{ IPPROTO_GRE, "10.0.0.1", "10.0.0.2", 0x1234, 0x5678, 0, 0 },
	{ IPPROTO_GRE, "fd00::1", "fd00::2", 0xabcd, 0x0001, 0, 0 },
	{ 99, "10.0.0.1", "10.0.0.2", 0, 0, 0, 0 },
	{ 99, "fd00::1", "fd00::2", 0, 0, 0, 0 },
};
#define N_PROTO_ROWS ((int)(sizeof(protos) / sizeof(protos[0])))

static void proto_flow(int i, struct ct_entry *e)
{
	sc_flow(e, protos[i].l4, protos[i].src, protos[i].dst,
		protos[i].sport, protos[i].dport);
	sc_scalars(e, IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED, 120,
		   0x12345678u + (uint32_t)i);
	e->synproxy.isn = 1;
	e->synproxy.its = 2;
	e->synproxy.tsoff = 3;
	e->set |= CT_SYNPROXY;
	switch (protos[i].l4) {
	case IPPROTO_TCP:
		e->tcp.state = 3;
		e->tcp.wscale[0] = 7;
		e->tcp.wscale[1] = 14;
		e->set |= CT_TCP | CT_TCP_WSCALE;
		break;
	case IPPROTO_SCTP:
		e->sctp.state = 4;
		e->sctp.vtag[0] = 0xdeadbeef;
		e->sctp.vtag[1] = 0x01020304;
		e->set |= CT_SCTP | CT_SCTP_VTAGS;
		break;
	case IPPROTO_DCCP:
		e->dccp.state = 4;
		e->dccp.role = 1;
		e->set |= CT_DCCP;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		e->orig.icmp_type = protos[i].type;
		e->orig.icmp_code = 0;
		e->orig.icmp_id = 0xbeef;
		e->orig.set |= SC_ICMPS;
		e->reply.icmp_type = protos[i].rtype;
		e->reply.icmp_id = 0xbeef;
		e->reply.set |= SC_ICMPS;
		break;
	}
}

START_TEST(test_rt_proto)
{
	struct ct_entry e;
	uint8_t buf[SYNC_MSG_MAX];
	const uint8_t *v;
	uint16_t len;
	int n;

	proto_flow(_i, &e);
	sc_round_trip(&e, &e, &all_on);
	/* the ICMP id travels little endian, as upstream's htons() of a
	 * network-order value makes it on x86 */
	n = sync_msg_build_ct(buf, sizeof(buf), SYNC_T_CT_NEW, &e, &all_on);
	v = find_attr(buf, n, SYNC_NTA_ICMP_ID, &len);
	if (protos[_i].type) {
		ck_assert_ptr_nonnull(v);
		ck_assert(len == 2 && v[0] == 0xef && v[1] == 0xbe);
	} else {
		ck_assert_ptr_null(v);
	}
	/* addresses of the family, ports for everything that has them */
	ck_assert_ptr_nonnull(find_attr(buf, n, e.family == AF_INET ?
					SYNC_NTA_IPV4 : SYNC_NTA_IPV6, &len));
	ck_assert_uint_eq(len, e.family == AF_INET ? 8 : 32);
	v = find_attr(buf, n, SYNC_NTA_PORT, &len);
	ck_assert(!v == !(e.orig.set & SC_PORTS));
}
END_TEST

/* ---- NAT ------------------------------------------------------------------ */

struct nat_row {
	uint8_t l4;
	const char *src, *dst;
	const char *snat, *dnat;	/* NULL: none */
	uint16_t spat, dpat;		/* 0: the port stays */
	uint32_t status;		/* the NAT bits the kernel set */
};

static const struct nat_row nat_rows[] = {
	{ IPPROTO_TCP, "10.0.0.1", "10.0.0.2", "192.0.2.1", NULL, 0, 0,
	  IPS_SRC_NAT | IPS_SRC_NAT_DONE },
	{ IPPROTO_TCP, "10.0.0.1", "10.0.0.2", NULL, "192.0.2.2", 0, 0,
	  IPS_DST_NAT | IPS_DST_NAT_DONE },
	{ IPPROTO_UDP, "10.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2", 0, 0,
	  IPS_NAT_MASK | IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE },
	{ IPPROTO_UDP, "10.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2",
	  40000, 8080, IPS_NAT_MASK | IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE },
	{ IPPROTO_TCP, "fd00::1", "fd00::2", "fd00::99", "fd00::98", 1, 2,
	  IPS_NAT_MASK | IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE },
	/* the address stays, the port changes: SPAT alone */
	{ IPPROTO_UDP, "10.0.0.1", "10.0.0.2", NULL, NULL, 61000, 0,
	  IPS_SRC_NAT | IPS_SRC_NAT_DONE },
	{ IPPROTO_GRE, "10.0.0.1", "10.0.0.2", "192.0.2.1", NULL, 0x4444, 0,
	  IPS_SRC_NAT | IPS_SRC_NAT_DONE },
	{ IPPROTO_ICMP, "10.0.0.1", "10.0.0.2", "192.0.2.1", NULL, 0, 0,
	  IPS_SRC_NAT | IPS_SRC_NAT_DONE },
};

/* The kernel's view (reply NATed) and the parse of it (plus the NAT
 * mappings a commit needs). */
static void nat_flow(const struct nat_row *r, struct ct_entry *e,
		     struct ct_entry *want)
{
	int ports = r->l4 != IPPROTO_ICMP;

	sc_flow(e, r->l4, r->src, r->dst, ports ? 1111 : 0, ports ? 80 : 0);
	sc_scalars(e, IPS_CONFIRMED | r->status, 60, 0);
	if (r->snat)
		sc_addr(&e->reply.dst, r->snat);
	if (r->dnat)
		sc_addr(&e->reply.src, r->dnat);
	if (r->spat)
		e->reply.dport = r->spat;
	if (r->dpat)
		e->reply.sport = r->dpat;
	*want = *e;
	if (r->snat || r->spat) {
		want->snat.min_ip = want->snat.max_ip = e->reply.dst;
		want->snat.has_port = !!r->spat;
		want->snat.min_port = want->snat.max_port = r->spat;
		want->set |= CT_SNAT;
	}
	if (r->dnat || r->dpat) {
		want->dnat.min_ip = want->dnat.max_ip = e->reply.src;
		want->dnat.has_port = !!r->dpat;
		want->dnat.min_port = want->dnat.max_port = r->dpat;
		want->set |= CT_DNAT;
	}
}

START_TEST(test_rt_nat)
{
	uint8_t buf[SYNC_MSG_MAX];
	struct ct_entry e, want, plain;
	const uint8_t *v;
	uint16_t len;
	int n;

	for (size_t i = 0; i < sizeof(nat_rows) / sizeof(nat_rows[0]); i++) {
		const struct nat_row *r = &nat_rows[i];

		nat_flow(r, &e, &want);
		sc_round_trip(&e, &want, NULL);
		/* and the parse builds to the same bytes again */
		sc_round_trip(&want, &want, NULL);
		n = sync_msg_build_ct(buf, sizeof(buf), 0, &e, NULL);
		v = find_attr(buf, n, SYNC_NTA_SPAT_PORT, &len);
		ck_assert(!v == !r->spat);
		if (v)	/* little endian, as upstream on x86 */
			ck_assert(v[0] == (r->spat & 0xff) &&
				  v[1] == r->spat >> 8);
		v = find_attr(buf, n, SYNC_NTA_DPAT_PORT, &len);
		ck_assert(!v == !r->dpat);
		v = find_attr(buf, n, r->src[0] == 'f' ? SYNC_NTA_SNAT_IPV6 :
			      SYNC_NTA_SNAT_IPV4, &len);
		ck_assert(!v == !r->snat);
		/* without the NAT_DONE bits nothing is NATed on the wire:
		 * the receiver rebuilds the plain inverse */
		e.status &= ~(uint32_t)(IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE);
		sc_flow(&plain, r->l4, r->src, r->dst,
			r->l4 != IPPROTO_ICMP ? 1111 : 0,
			r->l4 != IPPROTO_ICMP ? 80 : 0);
		sc_scalars(&plain, e.status, 60, 0);
		sc_round_trip(&e, &plain, NULL);
	}
}
END_TEST

/* ---- the rest of the state ------------------------------------------------ */

START_TEST(test_rt_extras)
{
	struct ct_entry e, want;

	sc_flow(&e, IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 20000, 21);
	sc_scalars(&e, IPS_CONFIRMED | IPS_SEQ_ADJUST | IPS_HELPER, 300, 1);
	e.tcp.state = 3;
	e.set |= CT_TCP;
	e.seqadj[0] = (struct ct_seqadj){ 1, 2, 3 };
	e.seqadj[1] = (struct ct_seqadj){ 0xfffffffe, 5, 0x80000000 };
	e.set |= CT_SEQADJ_ORIG | CT_SEQADJ_REPLY;
	e.helper = "ftp";
	e.set |= CT_HELPER;
	ct_labels_set(e.labels, 0);
	ct_labels_set(e.labels, 127);
	e.labels_len = 16;
	e.set |= CT_LABELS;
	e.zone = 7;
	e.set |= CT_ZONE;
	sc_tup(&e.master, "10.0.0.1", "10.0.0.2", IPPROTO_TCP);
	sc_tup_ports(&e.master, 20001, 21);
	e.set |= CT_MASTER;
	sc_round_trip(&e, &e, NULL);
	/* an IPv6 master without ports (icmpv6 master of a related flow) */
	sc_tup(&e.master, "fd00::1", "fd00::2", IPPROTO_ICMPV6);
	sc_round_trip(&e, &e, NULL);
	/* a helper name of 15 characters is the kernel's longest */
	e.helper = "abcdefghijklmno";
	sc_round_trip(&e, &e, NULL);
	/* what upstream leaves out: one seqadj direction, labels all
	 * clear, a master without addresses */
	want = e;
	e.set &= ~(uint64_t)CT_SEQADJ_REPLY;
	memset(e.labels, 0, sizeof(e.labels));
	e.master.set = 0;
	want.set &= ~(uint64_t)(CT_SEQADJ_ORIG | CT_SEQADJ_REPLY | CT_LABELS |
				CT_MASTER);
	memset(want.seqadj, 0, sizeof(want.seqadj));
	memset(want.labels, 0, sizeof(want.labels));
	want.labels_len = 0;
	memset(&want.master, 0, sizeof(want.master));
	sc_round_trip(&e, &want, NULL);
}
END_TEST

START_TEST(test_rt_icmp_inverse)
{
	static const struct {
		uint8_t l4, type;
		int reply;
	} rows[] = {
		{ IPPROTO_ICMP, 8, 0 }, { IPPROTO_ICMP, 0, 8 },
		{ IPPROTO_ICMP, 13, 14 }, { IPPROTO_ICMP, 14, 13 },
		{ IPPROTO_ICMP, 15, 16 }, { IPPROTO_ICMP, 16, 15 },
		{ IPPROTO_ICMP, 17, 18 }, { IPPROTO_ICMP, 18, 17 },
		{ IPPROTO_ICMP, 3, -1 }, { IPPROTO_ICMP, 255, -1 },
		{ IPPROTO_ICMPV6, 128, 129 }, { IPPROTO_ICMPV6, 129, 128 },
		{ IPPROTO_ICMPV6, 139, 140 }, { IPPROTO_ICMPV6, 140, 139 },
		{ IPPROTO_ICMPV6, 1, -1 }, { IPPROTO_ICMPV6, 8, -1 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct ct_entry e;
		int v6 = rows[i].l4 == IPPROTO_ICMPV6;

		ck_assert_int_eq(ct_proto_icmp_reply_type(rows[i].l4,
							  rows[i].type),
				 rows[i].reply < 0 ? -ENOENT : rows[i].reply);
		sc_flow(&e, rows[i].l4, v6 ? "fd00::1" : "10.0.0.1",
			v6 ? "fd00::2" : "10.0.0.2", 0, 0);
		e.orig.icmp_type = rows[i].type;
		e.orig.icmp_code = 3;
		e.orig.icmp_id = 77;
		e.orig.set |= SC_ICMPS;
		/* no reply type: 255, as libnetfilter_conntrack (the kernel
		 * refuses it on commit) */
		e.reply.icmp_type = rows[i].reply < 0 ? 255 :
				    (uint8_t)rows[i].reply;
		e.reply.icmp_code = 3;
		e.reply.icmp_id = 77;
		e.reply.set |= SC_ICMPS;
		sc_round_trip(&e, &e, NULL);
	}
	ck_assert_int_eq(ct_proto_icmp_reply_type(IPPROTO_TCP, 8), -ENOENT);
}
END_TEST

/* Label bit b is bit b%32 of big-endian word b/32, as ct_build_clabel. */
START_TEST(test_rt_labels_words)
{
	static const uint8_t wire[16] = { 0x80, 0, 0, 0x01, 0, 0, 0, 0x01,
					  0, 0, 0, 0, 0x80, 0, 0, 0 };
	uint8_t buf[SYNC_MSG_MAX];
	struct ct_entry e;
	const uint8_t *v;
	uint16_t len;
	int n;

	sc_flow(&e, IPPROTO_UDP, "10.0.0.1", "10.0.0.2", 1, 2);
	ct_labels_set(e.labels, 0);
	ct_labels_set(e.labels, 31);
	ct_labels_set(e.labels, 32);
	ct_labels_set(e.labels, 127);
	e.labels_len = 16;
	e.set |= CT_LABELS;
	n = sync_msg_build_ct(buf, sizeof(buf), 0, &e, NULL);
	v = find_attr(buf, n, SYNC_NTA_LABELS, &len);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(len, 16);
	ck_assert(!memcmp(v, wire, 16));
	sc_round_trip(&e, &e, NULL);
	/* fewer bytes: as many words as they fill */
	memset(e.labels, 0, sizeof(e.labels));
	ct_labels_set(e.labels, 33);
	e.labels_len = 5;
	n = sync_msg_build_ct(buf, sizeof(buf), 0, &e, NULL);
	v = find_attr(buf, n, SYNC_NTA_LABELS, &len);
	ck_assert(v && len == 8 && v[7] == 0x02);
	e.labels_len = 8;
	sc_round_trip(&e, &e, NULL);
}
END_TEST

/* UDP-Lite ports and GRE keys go in NTA_PORT unless upstream_compat. */
START_TEST(test_rt_compat)
{
	static const struct sync_msg_opts compat = { .upstream_compat = 1 };
	static const uint8_t l4s[] = { IPPROTO_UDPLITE, IPPROTO_GRE };
	uint8_t buf[SYNC_MSG_MAX];
	struct ct_entry e, want;
	const uint8_t *v;
	uint16_t len;
	int n;

	for (size_t i = 0; i < sizeof(l4s); i++) {
		sc_flow(&e, l4s[i], "10.0.0.1", "10.0.0.2", 0x1234, 0x5678);
		n = sync_msg_build_ct(buf, sizeof(buf), 0, &e, NULL);
		v = find_attr(buf, n, SYNC_NTA_PORT, &len);
		ck_assert(v && len == 4 && v[0] == 0x12 && v[1] == 0x34 &&
			  v[2] == 0x56 && v[3] == 0x78);
		sc_round_trip(&e, &e, NULL);
		n = sync_msg_build_ct(buf, sizeof(buf), 0, &e, &compat);
		ck_assert_ptr_null(find_attr(buf, n, SYNC_NTA_PORT, &len));
		sc_flow(&want, l4s[i], "10.0.0.1", "10.0.0.2", 0, 0);
		sc_round_trip(&e, &want, &compat);
	}
	/* tcp keeps its ports either way */
	sc_flow(&e, IPPROTO_TCP, "10.0.0.1", "10.0.0.2", 1, 2);
	sc_round_trip(&e, &e, &compat);
}
END_TEST

START_TEST(test_rt_opts)
{
	static const struct sync_msg_opts no_timeout = { .no_timeout = 1 };
	uint8_t a[SYNC_MSG_MAX], b[SYNC_MSG_MAX];
	struct ct_entry e, want;
	uint16_t len;
	int n;

	proto_flow(0, &e);	/* tcp with wscale */
	want = e;
	want.set &= ~(uint64_t)CT_TCP_WSCALE;
	memset(want.tcp.wscale, 0, sizeof(want.tcp.wscale));
	sc_round_trip(&e, &want, NULL);	/* no TCPWindowTracking */
	n = sync_msg_build_ct(a, sizeof(a), 0, &e, NULL);
	ck_assert_int_eq(sync_msg_build_ct(b, sizeof(b), 0, &e,
					   &(struct sync_msg_opts){ 0 }), n);
	ck_assert(!memcmp(a, b, (size_t)n));
	ck_assert_ptr_null(find_attr(a, n, SYNC_NTA_TCP_WSCALE_ORIG, &len));
	want.set &= ~(uint64_t)CT_TIMEOUT;
	want.timeout = 0;
	sc_round_trip(&e, &want, &no_timeout);	/* CommitTimeout */
	/* wscale on: orig then reply */
	n = sync_msg_build_ct(a, sizeof(a), 0, &e, &all_on);
	ck_assert(find_attr(a, n, SYNC_NTA_TCP_WSCALE_ORIG, &len)[0] == 7);
	ck_assert(find_attr(a, n, SYNC_NTA_TCP_WSCALE_REPL, &len)[0] == 14);
}
END_TEST

/* ---- expectations ---------------------------------------------------------- */

static void exp_fill(struct ct_expect *x, int v6)
{
	const char *a = v6 ? "fd00::1" : "10.0.0.1";
	const char *b = v6 ? "fd00::2" : "10.0.0.2";
	const char *ones = v6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" :
				"255.255.255.255";

	memset(x, 0, sizeof(*x));
	sc_tup(&x->master, a, b, IPPROTO_TCP);
	sc_tup_ports(&x->master, 40000, 21);
	sc_tup(&x->tuple, a, b, IPPROTO_TCP);
	sc_tup_ports(&x->tuple, 0, 10000);
	sc_tup(&x->mask, ones, ones, IPPROTO_TCP);
	sc_tup_ports(&x->mask, 0, 0xffff);
	x->family = v6 ? AF_INET6 : AF_INET;
	x->timeout = 300;
	x->flags = CT_EXP_F_PERMANENT | CT_EXP_F_INACTIVE;
	x->class = 1;
	x->helper = "ftp";
	x->fn = "nat-follow-master";
	x->set = CT_EXP_MASTER | CT_EXP_TUPLE | CT_EXP_MASK | CT_EXP_TIMEOUT |
		 CT_EXP_FLAGS | CT_EXP_CLASS | CT_EXP_HELPER | CT_EXP_FN;
}

static void exp_round_trip(const struct ct_expect *x,
			   const struct ct_expect *want,
			   const struct sync_msg_opts *o)
{
	uint8_t buf[SYNC_MSG_MAX];
	struct sync_msg_stats st = { 0 };
	struct sync_msg_hdr h;
	struct ct_expect got;
	int n;

	for (int t = SYNC_T_EXP_NEW; t <= SYNC_T_EXP_DEL; t++) {
		n = sync_msg_build_exp(buf, sizeof(buf), t, x, o);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(sync_msg_next(buf, (size_t)n, &h, &st), n);
		ck_assert_uint_eq(h.type, t);
		ck_assert_int_eq(sc_parse_exp(buf, (size_t)n, &got, &st), 0);
		sc_ck_exp(&got, want);
	}
	sc_ck_stats(&st, &sc_zero_stats);
}

START_TEST(test_rt_exp)
{
	static const struct sync_msg_opts compat = { .upstream_compat = 1 };
	struct ct_expect x, want;

	for (int v6 = 0; v6 < 2; v6++) {
		exp_fill(&x, v6);
		exp_round_trip(&x, &x, NULL);
		/* NAT: an IPv4 address and port, direction reply */
		x.nat_dir = CT_DIR_REPLY;
		sc_tup(&x.nat_tuple, "192.0.2.7", "0.0.0.0", IPPROTO_TCP);
		sc_tup_ports(&x.nat_tuple, 2000, 0);
		x.set |= CT_EXP_NAT;
		exp_round_trip(&x, &x, NULL);
		/* no IPv6 NAT address on the wire: the port survives */
		want = x;
		sc_tup(&x.nat_tuple, "fd00::7", "::", IPPROTO_TCP);
		sc_tup_ports(&x.nat_tuple, 2000, 0);
		want.nat_tuple.set &= (uint16_t)~(CT_TUPLE_SRC | CT_TUPLE_DST);
		memset(&want.nat_tuple.src, 0, sizeof(want.nat_tuple.src));
		memset(&want.nat_tuple.dst, 0, sizeof(want.nat_tuple.dst));
		want.nat_tuple.l3 = 0;
		exp_round_trip(&x, &want, NULL);
	}
	/* a gre expectation of a tcp master (pptp): keys as ports; with
	 * upstream_compat ports follow the master's protocol only */
	exp_fill(&x, 0);
	x.tuple.l4 = x.mask.l4 = IPPROTO_GRE;
	exp_round_trip(&x, &x, &compat);
	x.master.l4 = IPPROTO_UDPLITE;
	exp_round_trip(&x, &x, NULL);
	want = x;
	{
		struct ct_tuple *ts[] = { &want.master, &want.tuple,
					  &want.mask };

		for (size_t i = 0; i < 3; i++) {
			ts[i]->set &= (uint16_t)~SC_PORTS;
			ts[i]->sport = ts[i]->dport = 0;
		}
	}
	exp_round_trip(&x, &want, &compat);
	/* no timeout with CommitTimeout; no mask at all */
	exp_fill(&x, 0);
	want = x;
	want.set &= ~(uint32_t)CT_EXP_TIMEOUT;
	want.timeout = 0;
	exp_round_trip(&x, &want, &(struct sync_msg_opts){ .no_timeout = 1 });
	x.set &= ~(uint32_t)CT_EXP_MASK;
	memset(&x.mask, 0, sizeof(x.mask));
	exp_round_trip(&x, &x, NULL);
}
END_TEST

/* ---- building: errors, control messages ------------------------------------ */

START_TEST(test_build_errors)
{
	uint8_t buf[SYNC_MSG_MAX + 16];
	struct ct_entry e, bad;
	struct ct_expect x;
	int n;

	proto_flow(0, &e);
	e.helper = "ftp";
	e.set |= CT_HELPER;
	n = sync_msg_build_ct(buf, sizeof(buf), 0, &e, &all_on);
	ck_assert_int_gt(n, 8);
	/* every capacity short of the message: -EMSGSIZE, nothing written
	 * past the capacity */
	for (int cap = 0; cap < n; cap++) {
		memset(buf, 0xa5, sizeof(buf));
		ck_assert_int_eq(sync_msg_build_ct(buf, (size_t)cap, 0, &e,
						   &all_on), -EMSGSIZE);
		for (size_t i = (size_t)cap; i < sizeof(buf); i++)
			ck_assert_uint_eq(buf[i], 0xa5);
	}
	ck_assert_int_eq(sync_msg_build_ct(buf, (size_t)n, 0, &e, &all_on), n);
	bad = e;
	ck_assert_int_eq(sync_msg_build_ct(buf, sizeof(buf), SYNC_T_EXP_NEW,
					   &bad, NULL), -EINVAL);
	bad.set &= ~(uint64_t)CT_ORIG;
	ck_assert_int_eq(sync_msg_build_ct(buf, sizeof(buf), 0, &bad, NULL),
			 -EINVAL);
	bad = e;
	bad.orig.set &= (uint16_t)~CT_TUPLE_DST;
	ck_assert_int_eq(sync_msg_build_ct(buf, sizeof(buf), 0, &bad, NULL),
			 -EINVAL);
	bad = e;
	bad.orig.l3 = bad.family = 7;
	ck_assert_int_eq(sync_msg_build_ct(buf, sizeof(buf), 0, &bad, NULL),
			 -EINVAL);
	bad = e;
	bad.helper = "abcdefghijklmnop";	/* 16 + NUL */
	ck_assert_int_eq(sync_msg_build_ct(buf, sizeof(buf), 0, &bad, NULL),
			 -EINVAL);
	bad = e;
	bad.labels_len = CT_LABELS_BYTES + 1;
	bad.set |= CT_LABELS;
	ck_assert_int_eq(sync_msg_build_ct(buf, sizeof(buf), 0, &bad, NULL),
			 -EINVAL);
	exp_fill(&x, 0);
	ck_assert_int_eq(sync_msg_build_exp(buf, sizeof(buf), SYNC_T_CT_NEW,
					    &x, NULL), -EINVAL);
	x.fn = "abcdefghijklmnopqrstuvwxyz01";	/* 28 + NUL */
	ck_assert_int_eq(sync_msg_build_exp(buf, sizeof(buf), SYNC_T_EXP_NEW,
					    &x, NULL), -EINVAL);
	x.fn = "abcdefghijklmnopqrstuvwxyz0";	/* upstream's longest */
	n = sync_msg_build_exp(buf, sizeof(buf), SYNC_T_EXP_NEW, &x, NULL);
	ck_assert_int_gt(n, 0);
	for (int cap = 0; cap < n; cap++)
		ck_assert_int_eq(sync_msg_build_exp(buf, (size_t)cap,
						    SYNC_T_EXP_NEW, &x, NULL),
				 -EMSGSIZE);
	x.set &= ~(uint32_t)CT_EXP_MASTER;
	ck_assert_int_eq(sync_msg_build_exp(buf, sizeof(buf), SYNC_T_EXP_NEW,
					    &x, NULL), -EINVAL);
	exp_fill(&x, 0);
	x.tuple.set = 0;
	ck_assert_int_eq(sync_msg_build_exp(buf, sizeof(buf), SYNC_T_EXP_NEW,
					    &x, NULL), -EINVAL);
}
END_TEST

START_TEST(test_build_ctl)
{
	static const uint8_t ack[16] = { 0x1a, 0x08, 0, 16, 0, 0, 0, 0,
					 0x11, 0x22, 0x33, 0x44,
					 0x55, 0x66, 0x77, 0x88 };
	static const uint8_t alive[8] = { 0x1a, 0x10, 0, 8, 0, 0, 0, 0 };
	uint8_t buf[16];

	ck_assert_int_eq(sync_msg_build_ctl(buf, 16, SYNC_F_ACK, 0x11223344,
					    0x55667788), 16);
	ck_assert(!memcmp(buf, ack, 16));
	ck_assert_int_eq(sync_msg_build_ctl(buf, 15, SYNC_F_ACK, 1, 2),
			 -EMSGSIZE);
	ck_assert_int_eq(sync_msg_build_ctl(buf, 16, SYNC_F_NACK, 1, 2), 16);
	ck_assert_int_eq(sync_msg_build_ctl(buf, 16, SYNC_F_RESYNC, 0, 0), 16);
	ck_assert_int_eq(sync_msg_build_ctl(buf, 8, SYNC_F_ALIVE, 1, 2), 8);
	ck_assert(!memcmp(buf, alive, 8));
	ck_assert_int_eq(sync_msg_build_ctl(buf, 7, SYNC_F_ALIVE, 0, 0),
			 -EMSGSIZE);
	/* stamp: seq written, flags ORed in */
	sync_msg_stamp(buf, 0x01020304, SYNC_F_HELLO);
	sync_msg_stamp(buf, 0x0a0b0c0d, SYNC_F_HELLO_BACK);
	ck_assert_uint_eq(buf[1], SYNC_F_ALIVE | SYNC_F_HELLO |
			  SYNC_F_HELLO_BACK);
	ck_assert(buf[4] == 0x0a && buf[5] == 0x0b && buf[6] == 0x0c &&
		  buf[7] == 0x0d);
}
END_TEST

TCase *sync_msg_rt_tcase(void)
{
	TCase *tc = tcase_create("round_trip");

	tcase_add_loop_test(tc, test_rt_proto, 0, N_PROTO_ROWS);
	tcase_add_test(tc, test_rt_nat);
	tcase_add_test(tc, test_rt_extras);
	tcase_add_test(tc, test_rt_icmp_inverse);
	tcase_add_test(tc, test_rt_labels_words);
	tcase_add_test(tc, test_rt_compat);
	tcase_add_test(tc, test_rt_opts);
	tcase_add_test(tc, test_rt_exp);
	tcase_add_test(tc, test_build_errors);
	tcase_add_test(tc, test_build_ctl);
	return tc;
}
