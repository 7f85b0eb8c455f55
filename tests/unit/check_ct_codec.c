// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ct/decode, ct/encode and the userspace half of the
 * ct/table filter: real kernel dump datagrams (tests/data/ct_dump.hex,
 * see make_ct_dump.sh) decoded and every field asserted, entry by entry;
 * encode -> decode round trips for every protocol kind and feature; a
 * failing row for each malformed input (wrong sizes, missing NUL,
 * overruns, short headers, wrong message type), each copied into an
 * exactly-sized heap buffer so ASan sees any overread; -EMSGSIZE leaving
 * a request untouched; ct_kfilter_match rows.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/decode.h"
#include "ct/encode.h"
#include "ct/proto.h"
#include "ct/table.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"

/* ---- the real dump ------------------------------------------------------ */

#define MAX_DGRAMS 8
#define MAX_ENTRIES 32
#define FIXTURE "tests/data/ct_dump.hex"

static unsigned char *dgram[MAX_DGRAMS];
static struct ct_entry fx[MAX_ENTRIES];
static unsigned int nfx;

static int fx_data(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_attr_err err = { 0 };
	int rc;

	(void)arg;
	ck_assert_uint_lt(nfx, MAX_ENTRIES);
	rc = ct_entry_decode(nlh, &fx[nfx], &err);
	ck_assert_msg(rc == 0, "decode: %d %s", rc, err.msg ? err.msg : "");
	nfx++;
	return 0;
}

static void load_fixture(void)
{
	if (nfx)
		return;
	fixture_replay(FIXTURE, fx_data, NULL, dgram, MAX_DGRAMS);
	ck_assert_uint_ge(nfx, 12);
}

static const struct ct_entry *find(uint8_t family, uint8_t l4,
				   const char *src, uint16_t sport)
{
	union ct_addr a = { 0 };

	ck_assert_int_eq(inet_pton(family, src, &a), 1);
	for (unsigned int i = 0; i < nfx; i++) {
		const struct ct_tuple *o = &fx[i].orig;

		if (fx[i].family == family && o->l4 == l4 &&
		    !memcmp(&o->src, &a, family == AF_INET ? 4 : 16) &&
		    (!sport || o->sport == sport))
			return &fx[i];
	}
	ck_abort_msg("no entry %s l4 %u in the fixture", src, l4);
	return NULL;
}

static void ck_addr(const union ct_addr *a, uint8_t family, const char *s)
{
	union ct_addr b = { 0 };

	ck_assert_int_eq(inet_pton(family, s, &b), 1);
	ck_assert_msg(!memcmp(a, &b, family == AF_INET ? 4 : 16),
		      "address is not %s", s);
}

/* What every confirmed entry of the dump carries (acct and timestamps
 * were on): tuples, status, timeout, id, use, counters, start time. */
static void ck_common(const struct ct_entry *e)
{
	const uint64_t always = CT_ORIG | CT_REPLY | CT_STATUS | CT_TIMEOUT |
				CT_ID | CT_USE | CT_MARK | CT_COUNTERS_ORIG |
				CT_COUNTERS_REPLY | CT_TIMESTAMP_START;

	ck_assert_msg((e->set & always) == always, "set %llx",
		      (unsigned long long)e->set);
	ck_assert(e->status & IPS_CONFIRMED);
	ck_assert_uint_ge(e->use, 1);
	ck_assert(e->ts_start > 1600000000ULL * 1000000000ULL);
	ck_assert(!(e->set & CT_TIMESTAMP_STOP));
	ck_assert_uint_eq(e->orig.l3, e->family);
	ck_assert_uint_eq(e->reply.l3, e->family);
}

START_TEST(fixture_tcp4_zone_mark)
{
	const struct ct_entry *e;

	load_fixture();
	e = find(AF_INET, IPPROTO_TCP, "192.0.2.1", 40000);
	ck_common(e);
	ck_addr(&e->orig.dst, AF_INET, "198.51.100.2");
	ck_assert_uint_eq(e->orig.dport, 443);
	ck_assert_uint_eq(e->reply.sport, 443);
	ck_assert_uint_eq(e->reply.dport, 40000);
	ck_assert(e->set & CT_ZONE);
	ck_assert_uint_eq(e->zone, 3);
	ck_assert_uint_eq(e->mark, 0x11);
	ck_assert(e->set & CT_TCP);
	ck_assert_uint_eq(e->tcp.state, 3);
	ck_assert(e->set & CT_TCP_FLAGS);
	ck_assert(e->tcp.flags[CT_DIR_ORIG] & CT_TCP_FLAG_SACK_PERM);
	ck_assert(e->tcp.flags[CT_DIR_REPLY] & CT_TCP_FLAG_SACK_PERM);
	ck_assert((e->status & (IPS_ASSURED | IPS_SEEN_REPLY)) ==
		  (IPS_ASSURED | IPS_SEEN_REPLY));
	ck_assert(e->timeout > 500 && e->timeout <= 600);
	ck_assert_uint_eq(e->counters[CT_DIR_ORIG].packets, 0);
}
END_TEST

START_TEST(fixture_nat)
{
	const struct ct_entry *e;

	load_fixture();
	/* DNAT created through ct/encode.c */
	e = find(AF_INET, IPPROTO_UDP, "192.0.2.10", 5000);
	ck_common(e);
	ck_addr(&e->reply.src, AF_INET, "10.9.9.9");
	ck_assert_uint_eq(e->reply.sport, 5353);
	/* the reply tuple given already was the NATed one, so the kernel
	 * found nothing to change: *_NAT_DONE without IPS_DST_NAT */
	ck_assert_uint_eq(e->status, IPS_CONFIRMED | IPS_SRC_NAT_DONE |
			  IPS_DST_NAT_DONE);
	ck_assert_uint_eq(e->mark, 0x22);
	ck_assert(!(e->set & (CT_SNAT | CT_DNAT)));	/* never dumped */
	/* DNAT created by Debian's conntrack */
	e = find(AF_INET, IPPROTO_UDP, "192.0.2.50", 1111);
	ck_common(e);
	ck_addr(&e->reply.src, AF_INET, "10.1.1.1");
	ck_assert_uint_eq(e->reply.sport, 99);
	ck_assert_uint_eq(e->mark, 5);
	ck_assert(e->timeout <= 50);
	/* SNAT over IPv6 */
	e = find(AF_INET6, IPPROTO_TCP, "2001:db8:1::1", 33000);
	ck_common(e);
	ck_addr(&e->reply.dst, AF_INET6, "2001:db8:ffff::1");
	ck_assert_uint_eq(e->reply.dport, 61000);
	ck_assert(e->status & IPS_SRC_NAT_DONE);
	ck_assert_uint_eq(e->tcp.state, 1);
}
END_TEST

START_TEST(fixture_icmp)
{
	const struct ct_entry *e;
	const uint16_t icmp = CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE |
			      CT_TUPLE_ICMP_ID;

	load_fixture();
	e = find(AF_INET, IPPROTO_ICMP, "192.0.2.20", 0);
	ck_common(e);
	ck_assert((e->orig.set & icmp) == icmp);
	ck_assert(!(e->orig.set & (CT_TUPLE_SPORT | CT_TUPLE_DPORT)));
	ck_assert_uint_eq(e->orig.icmp_type, 8);
	ck_assert_uint_eq(e->orig.icmp_code, 0);
	ck_assert_uint_eq(e->orig.icmp_id, 1234);
	ck_assert_uint_eq(e->reply.icmp_type, 0);
	ck_assert(e->timeout <= 30);
	e = find(AF_INET6, IPPROTO_ICMPV6, "2001:db8::1", 0);
	ck_common(e);
	ck_assert((e->orig.set & icmp) == icmp);
	ck_assert_uint_eq(e->orig.icmp_type, 128);
	ck_assert_uint_eq(e->orig.icmp_id, 77);
	ck_assert_uint_eq(e->reply.icmp_type, 129);
	/* a zone in the original direction only: CTA_TUPLE_ZONE */
	ck_assert(e->orig.set & CT_TUPLE_ZONE);
	ck_assert_uint_eq(e->orig.zone, 9);
	ck_assert(!(e->reply.set & CT_TUPLE_ZONE));
	ck_assert(!(e->set & CT_ZONE));
}
END_TEST

START_TEST(fixture_sctp_gre_unknown)
{
	const struct ct_entry *e;

	load_fixture();
	e = find(AF_INET, IPPROTO_SCTP, "192.0.2.30", 3868);
	ck_common(e);
	ck_assert(e->set & CT_SCTP);
	ck_assert_uint_eq(e->sctp.state, 4);
	ck_assert(e->set & CT_SCTP_VTAGS);
	ck_assert_uint_eq(e->sctp.vtag[CT_DIR_ORIG], 0x11223344);
	ck_assert_uint_eq(e->sctp.vtag[CT_DIR_REPLY], 0x55667788);
	e = find(AF_INET, 47, "192.0.2.40", 0);
	ck_common(e);
	ck_assert_uint_eq(e->orig.sport, 0x100);	/* GRE keys */
	ck_assert_uint_eq(e->orig.dport, 0x200);
	ck_assert_uint_eq(e->reply.sport, 0x200);
	e = find(AF_INET6, 253, "2001:db8::10", 0);
	ck_common(e);
	ck_assert_uint_eq(e->mark, UINT32_MAX);
	ck_assert(!(e->orig.set & (CT_TUPLE_SPORT | CT_TUPLE_DPORT)));
	ck_assert(!(e->set & (CT_TCP | CT_SCTP | CT_DCCP)));
}
END_TEST

START_TEST(fixture_traffic)
{
	const struct ct_entry *e;

	load_fixture();
	/* udp with an nft label, one packet each way */
	e = find(AF_INET, IPPROTO_UDP, "127.0.0.1", 4444);
	ck_common(e);
	ck_assert_uint_eq(e->counters[CT_DIR_ORIG].packets, 1);
	ck_assert_uint_eq(e->counters[CT_DIR_ORIG].bytes, 78);
	ck_assert_uint_eq(e->counters[CT_DIR_REPLY].packets, 1);
	ck_assert_uint_eq(e->counters[CT_DIR_REPLY].bytes, 48);
	ck_assert(e->status & IPS_SEEN_REPLY);
	ck_assert(e->set & CT_LABELS);
	ck_assert_uint_eq(e->labels_len, CT_LABELS_BYTES);
	ck_assert_uint_eq(e->labels[0], 1 << 3);
	/* tcp through the ftp helper, closed: TIME_WAIT */
	for (unsigned int i = 0; i < nfx; i++) {
		if (fx[i].orig.l4 != IPPROTO_TCP || fx[i].orig.dport != 2121)
			continue;
		e = &fx[i];
		ck_common(e);
		ck_assert(e->set & CT_HELPER);
		ck_assert_str_eq(e->helper, "ftp");
		ck_assert_uint_eq(e->tcp.state, 7);
		ck_assert(e->set & CT_TCP_WSCALE);
		ck_assert(e->set & CT_TCP_FLAGS);
		ck_assert_uint_ge(e->counters[CT_DIR_ORIG].packets, 3);
		ck_assert_uint_ge(e->counters[CT_DIR_REPLY].packets, 3);
		e = NULL;
		break;
	}
	ck_assert_msg(e == NULL, "no ftp entry");
	/* one-way udp over v6 */
	e = find(AF_INET6, IPPROTO_UDP, "::1", 0);
	ck_common(e);
	ck_assert_uint_eq(e->orig.dport, 7777);
	ck_assert_uint_eq(e->counters[CT_DIR_ORIG].packets, 1);
	ck_assert_uint_eq(e->counters[CT_DIR_ORIG].bytes, 49);
	ck_assert_uint_eq(e->counters[CT_DIR_REPLY].packets, 0);
	ck_assert(!(e->status & IPS_SEEN_REPLY));
}
END_TEST

/* ---- round trips -------------------------------------------------------- */

static void tup(struct ct_tuple *t, uint8_t l3, uint8_t l4, const char *s,
		const char *d)
{
	memset(t, 0, sizeof(*t));
	t->l3 = l3;
	t->l4 = l4;
	t->set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;
	ck_assert_int_eq(inet_pton(l3, s, &t->src), 1);
	ck_assert_int_eq(inet_pton(l3, d, &t->dst), 1);
}

static void ports(struct ct_tuple *t, uint16_t s, uint16_t d)
{
	t->set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
	t->sport = s;
	t->dport = d;
}

static void icmps(struct ct_tuple *t, uint8_t type, uint8_t code,
		  uint16_t id)
{
	t->set |= CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID;
	t->icmp_type = type;
	t->icmp_code = code;
	t->icmp_id = id;
}

static void ck_tuple_eq(const struct ct_tuple *a, const struct ct_tuple *b)
{
	size_t alen = a->l3 == AF_INET ? 4 : 16;

	ck_assert_uint_eq(a->set, b->set);
	ck_assert_uint_eq(a->l3, b->l3);
	ck_assert_uint_eq(a->l4, b->l4);
	if (a->set & CT_TUPLE_SRC)
		ck_assert(!memcmp(&a->src, &b->src, alen));
	if (a->set & CT_TUPLE_DST)
		ck_assert(!memcmp(&a->dst, &b->dst, alen));
	if (a->set & CT_TUPLE_SPORT)
		ck_assert_uint_eq(a->sport, b->sport);
	if (a->set & CT_TUPLE_DPORT)
		ck_assert_uint_eq(a->dport, b->dport);
	if (a->set & CT_TUPLE_ICMP_TYPE)
		ck_assert_uint_eq(a->icmp_type, b->icmp_type);
	if (a->set & CT_TUPLE_ICMP_CODE)
		ck_assert_uint_eq(a->icmp_code, b->icmp_code);
	if (a->set & CT_TUPLE_ICMP_ID)
		ck_assert_uint_eq(a->icmp_id, b->icmp_id);
	if (a->set & CT_TUPLE_ZONE)
		ck_assert_uint_eq(a->zone, b->zone);
}

static void ck_nat_eq(const struct ct_nat *a, const struct ct_nat *b)
{
	ck_assert(!memcmp(&a->min_ip, &b->min_ip, sizeof(a->min_ip)));
	ck_assert(!memcmp(&a->max_ip, &b->max_ip, sizeof(a->max_ip)));
	ck_assert_uint_eq(a->has_port, b->has_port);
	ck_assert_uint_eq(a->min_port, b->min_port);
	ck_assert_uint_eq(a->max_port, b->max_port);
}

/* Everything ct_entry_put_new writes comes back from the decoder. */
static void ck_entry_eq(const struct ct_entry *a, const struct ct_entry *b)
{
	ck_assert_msg(a->set == b->set, "set %llx != %llx",
		      (unsigned long long)a->set, (unsigned long long)b->set);
	ck_assert_uint_eq(a->family, b->family);
	if (a->set & CT_ORIG)
		ck_tuple_eq(&a->orig, &b->orig);
	if (a->set & CT_REPLY)
		ck_tuple_eq(&a->reply, &b->reply);
	if (a->set & CT_MASTER)
		ck_tuple_eq(&a->master, &b->master);
	if (a->set & CT_STATUS)	/* the encoder adds IPS_CONFIRMED */
		ck_assert_uint_eq(a->status | IPS_CONFIRMED, b->status);
	ck_assert_uint_eq(a->timeout, b->timeout);
	ck_assert_uint_eq(a->mark, b->mark);
	ck_assert_uint_eq(a->mark_mask, b->mark_mask);
	ck_assert_uint_eq(a->zone, b->zone);
	ck_assert(!memcmp(&a->tcp, &b->tcp, sizeof(a->tcp)));
	ck_assert_uint_eq(a->sctp.state, b->sctp.state);
	ck_assert(!memcmp(a->sctp.vtag, b->sctp.vtag, sizeof(a->sctp.vtag)));
	ck_assert_uint_eq(a->dccp.state, b->dccp.state);
	ck_assert_uint_eq(a->dccp.role, b->dccp.role);
	ck_assert(a->dccp.handshake_seq == b->dccp.handshake_seq);
	if (a->set & CT_HELPER)
		ck_assert_str_eq(a->helper, b->helper);
	ck_assert_uint_eq(a->labels_len, b->labels_len);
	ck_assert(!memcmp(a->labels, b->labels, a->labels_len));
	ck_assert_uint_eq(a->labels_mask_len, b->labels_mask_len);
	ck_assert(!memcmp(a->labels_mask, b->labels_mask, a->labels_mask_len));
	ck_assert(!memcmp(a->seqadj, b->seqadj, sizeof(a->seqadj)));
	ck_assert(!memcmp(&a->synproxy, &b->synproxy, sizeof(a->synproxy)));
	ck_nat_eq(&a->snat, &b->snat);
	ck_nat_eq(&a->dnat, &b->dnat);
}

/* One round-trip row: a builder filling the entry. */
struct rt_row {
	const char *name;
	void (*build)(struct ct_entry *e);
};

static void rt_tcp4(struct ct_entry *e)
{
	e->family = AF_INET;
	e->set = CT_ORIG | CT_REPLY | CT_STATUS | CT_TIMEOUT | CT_MARK |
		 CT_MARK_MASK | CT_ZONE | CT_TCP | CT_TCP_WSCALE |
		 CT_TCP_FLAGS | CT_HELPER | CT_LABELS | CT_LABELS_MASK |
		 CT_SEQADJ_ORIG | CT_SEQADJ_REPLY | CT_SYNPROXY;
	tup(&e->orig, AF_INET, IPPROTO_TCP, "1.2.3.4", "5.6.7.8");
	tup(&e->reply, AF_INET, IPPROTO_TCP, "5.6.7.8", "1.2.3.4");
	ports(&e->orig, 1025, 21);
	ports(&e->reply, 21, 1025);
	e->orig.set |= CT_TUPLE_ZONE;
	e->orig.zone = 65535;
	e->status = IPS_SEEN_REPLY | IPS_ASSURED;
	e->timeout = 4294967295U;
	e->mark = 0xdeadbeef;
	e->mark_mask = 0xffff0000;
	e->zone = 1;
	e->tcp.state = 3;
	e->tcp.wscale[0] = 7;
	e->tcp.wscale[1] = 14;
	e->tcp.flags[0] = 0x23;
	e->tcp.mask[0] = 0xff;
	e->tcp.flags[1] = 0x01;
	e->tcp.mask[1] = 0x3f;
	e->helper = "ftp";
	e->labels_len = 16;
	e->labels[15] = 0x80;
	e->labels[0] = 1;
	e->labels_mask_len = 8;
	memset(e->labels_mask, 0xff, 8);
	e->seqadj[0] = (struct ct_seqadj){ 1, 2, 3 };
	e->seqadj[1] = (struct ct_seqadj){ 0xffffffff, 5, 6 };
	e->synproxy.isn = 7;
	e->synproxy.its = 8;
	e->synproxy.tsoff = 0x80000000;
}

static void rt_udp6_nat(struct ct_entry *e)
{
	e->family = AF_INET6;
	e->set = CT_ORIG | CT_REPLY | CT_TIMEOUT | CT_SNAT | CT_DNAT;
	tup(&e->orig, AF_INET6, IPPROTO_UDP, "2001:db8::1", "ff02::fb");
	tup(&e->reply, AF_INET6, IPPROTO_UDP, "ff02::fb", "2001:db8::1");
	ports(&e->orig, 5353, 5353);
	ports(&e->reply, 5353, 5353);
	e->timeout = 1;
	inet_pton(AF_INET6, "2001:db8::100", &e->snat.min_ip);
	inet_pton(AF_INET6, "2001:db8::1ff", &e->snat.max_ip);
	e->snat.has_port = 1;
	e->snat.min_port = 1024;
	e->snat.max_port = 65535;
	inet_pton(AF_INET6, "2001:db8::53", &e->dnat.min_ip);
	e->dnat.max_ip = e->dnat.min_ip;
}

static void rt_udplite_nat4(struct ct_entry *e)
{
	e->family = AF_INET;
	e->set = CT_ORIG | CT_DNAT;
	tup(&e->orig, AF_INET, 136, "10.0.0.1", "10.0.0.2");
	ports(&e->orig, 0, 65535);
	inet_pton(AF_INET, "192.168.0.1", &e->dnat.min_ip);
	e->dnat.max_ip = e->dnat.min_ip;
	e->dnat.has_port = 1;
	e->dnat.min_port = e->dnat.max_port = 8080;
}

static void rt_sctp(struct ct_entry *e)
{
	e->family = AF_INET;
	e->set = CT_ORIG | CT_REPLY | CT_SCTP | CT_SCTP_VTAGS;
	tup(&e->orig, AF_INET, IPPROTO_SCTP, "10.0.0.1", "10.0.0.2");
	tup(&e->reply, AF_INET, IPPROTO_SCTP, "10.0.0.2", "10.0.0.1");
	ports(&e->orig, 1, 2);
	ports(&e->reply, 2, 1);
	e->sctp.state = 9;
	e->sctp.vtag[0] = 1;
	e->sctp.vtag[1] = 0xfffffffe;
}

static void rt_dccp(struct ct_entry *e)
{
	e->family = AF_INET6;
	e->set = CT_ORIG | CT_DCCP | CT_DCCP_HSEQ;
	tup(&e->orig, AF_INET6, 33, "::1", "::2");
	ports(&e->orig, 4000, 5000);
	e->dccp.state = 4;
	e->dccp.role = 1;
	e->dccp.handshake_seq = 0x0123456789abcdefULL;
}

static void rt_icmp_master(struct ct_entry *e)
{
	e->family = AF_INET;
	e->set = CT_ORIG | CT_REPLY | CT_MASTER;
	tup(&e->orig, AF_INET, IPPROTO_ICMP, "0.0.0.0", "255.255.255.255");
	tup(&e->reply, AF_INET, IPPROTO_ICMP, "255.255.255.255", "0.0.0.0");
	icmps(&e->orig, 8, 0, 0xffff);
	icmps(&e->reply, 0, 0, 0xffff);
	tup(&e->master, AF_INET, IPPROTO_TCP, "9.9.9.9", "8.8.8.8");
	ports(&e->master, 2000, 21);
}

static void rt_icmpv6(struct ct_entry *e)
{
	e->family = AF_INET6;
	e->set = CT_ORIG | CT_REPLY;
	tup(&e->orig, AF_INET6, IPPROTO_ICMPV6, "fe80::1", "fe80::2");
	tup(&e->reply, AF_INET6, IPPROTO_ICMPV6, "fe80::2", "fe80::1");
	icmps(&e->orig, 128, 3, 9);
	icmps(&e->reply, 129, 3, 9);
	e->reply.set |= CT_TUPLE_ZONE;
	e->reply.zone = 2;
}

static void rt_gre(struct ct_entry *e)
{
	e->family = AF_INET;
	e->set = CT_ORIG | CT_REPLY | CT_STATUS;
	tup(&e->orig, AF_INET, 47, "10.1.1.1", "10.2.2.2");
	tup(&e->reply, AF_INET, 47, "10.2.2.2", "10.1.1.1");
	ports(&e->orig, 0xabcd, 0x1234);
	ports(&e->reply, 0x1234, 0xabcd);
	e->status = 0;
}

static void rt_unknown(struct ct_entry *e)
{
	e->family = AF_INET6;
	e->set = CT_ORIG | CT_REPLY | CT_MARK;
	tup(&e->orig, AF_INET6, 253, "2001:db8::a", "2001:db8::b");
	tup(&e->reply, AF_INET6, 253, "2001:db8::b", "2001:db8::a");
	e->mark = 0;
}

static void rt_reply_only(struct ct_entry *e)
{
	e->family = AF_INET;
	e->set = CT_REPLY | CT_TCP;	/* an update by reply tuple */
	tup(&e->reply, AF_INET, IPPROTO_TCP, "10.0.0.2", "10.0.0.1");
	ports(&e->reply, 80, 1000);
	e->tcp.state = 8;
}

static const struct rt_row rt_rows[] = {
	{ "tcp4 everything", rt_tcp4 },
	{ "udp6 snat+dnat ranges", rt_udp6_nat },
	{ "udplite4 dnat", rt_udplite_nat4 },
	{ "sctp vtags", rt_sctp },
	{ "dccp6", rt_dccp },
	{ "icmp with master", rt_icmp_master },
	{ "icmpv6 reply zone", rt_icmpv6 },
	{ "gre keys", rt_gre },
	{ "unknown proto", rt_unknown },
	{ "reply tuple only", rt_reply_only },
};

/* Encodes @in as a NEW message, then decodes it into @out. The message
 * is copied to an exactly-sized heap buffer first. */
static void roundtrip(const struct ct_entry *in, struct ct_entry *out,
		      int key)
{
	_Alignas(4) unsigned char buf[2048];
	struct nl_attr_err err = { 0 };
	struct nl_msg m;
	struct nlmsghdr *h;
	unsigned char *copy;
	int rc;

	nl_msg_init(&m, buf, sizeof(buf));
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
					   IPCTNL_MSG_CT_NEW, 0, 1,
					   in->family), 0);
	rc = key ? ct_entry_put_key(&m, in) : ct_entry_put_new(&m, in);
	ck_assert_int_eq(rc, 0);
	nl_msg_end(&m);
	h = nl_msg_hdr(&m);
	copy = malloc(h->nlmsg_len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, buf, h->nlmsg_len);
	rc = ct_entry_decode((const struct nlmsghdr *)(void *)copy, out, &err);
	ck_assert_msg(rc == 0, "decode %d: %s", rc, err.msg ? err.msg : "");
	/* strings are borrowed: check them before the buffer goes */
	if (!key && (in->set & CT_HELPER))
		ck_assert_str_eq(out->helper, in->helper);
	out->helper = in->helper;
	free(copy);
}

START_TEST(roundtrip_new)
{
	const struct rt_row *row = &rt_rows[_i];
	struct ct_entry in, out;

	memset(&in, 0, sizeof(in));
	row->build(&in);
	roundtrip(&in, &out, 0);
	ck_entry_eq(&in, &out);
}
END_TEST

START_TEST(roundtrip_key)
{
	struct ct_entry in, out, want;

	memset(&in, 0, sizeof(in));
	rt_tcp4(&in);
	in.set |= CT_ID;
	in.id = 0x12345678;
	roundtrip(&in, &out, 1);
	/* only the orig tuple, zone and id identify an entry */
	ck_assert_uint_eq(out.set, CT_ORIG | CT_ZONE | CT_ID);
	ck_tuple_eq(&in.orig, &out.orig);
	ck_assert_uint_eq(out.zone, 1);
	ck_assert_uint_eq(out.id, 0x12345678);
	/* without an orig tuple the reply tuple identifies it */
	memset(&want, 0, sizeof(want));
	rt_reply_only(&want);
	roundtrip(&want, &out, 1);
	ck_assert_uint_eq(out.set, CT_REPLY);
	ck_tuple_eq(&want.reply, &out.reply);
	/* an orig tuple of the protocol alone (-p with -r/-q) names
	 * nothing: the complete reply tuple goes */
	want.set |= CT_ORIG;
	want.orig.set = CT_TUPLE_PROTO;
	want.orig.l4 = IPPROTO_TCP;
	roundtrip(&want, &out, 1);
	ck_assert_uint_eq(out.set, CT_REPLY);
	/* neither complete: the orig one, the kernel says what lacks */
	want.reply.set &= (uint16_t)~CT_TUPLE_DPORT;
	roundtrip(&want, &out, 1);
	ck_assert_uint_eq(out.set, CT_ORIG);
	/* both complete: the orig one, as the kernel would take it */
	memset(&in, 0, sizeof(in));
	rt_tcp4(&in);
	in.set &= CT_ORIG | CT_REPLY;
	roundtrip(&in, &out, 1);
	ck_assert_uint_eq(out.set, CT_ORIG);
	ck_tuple_eq(&in.orig, &out.orig);
	/* with neither: -EINVAL */
	{
		_Alignas(4) unsigned char b[128];
		struct nl_msg m;

		nl_msg_init(&m, b, sizeof(b));
		nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
				  IPCTNL_MSG_CT_GET, 0, 1, AF_INET);
		want.set = CT_MARK;
		ck_assert_int_eq(ct_entry_put_key(&m, &want), -EINVAL);
	}
}
END_TEST

/* The ICMP types the kernel pairs (invmap), and the tuple fill of the
 * l4 fields libnetfilter_conntrack always sends. */
START_TEST(proto_icmp_pairs)
{
	static const struct { uint8_t l4, type; int reply; } rows[] = {
		{ IPPROTO_ICMP, 8, 0 }, { IPPROTO_ICMP, 0, 8 },
		{ IPPROTO_ICMP, 13, 14 }, { IPPROTO_ICMP, 14, 13 },
		{ IPPROTO_ICMP, 15, 16 }, { IPPROTO_ICMP, 16, 15 },
		{ IPPROTO_ICMP, 17, 18 }, { IPPROTO_ICMP, 18, 17 },
		{ IPPROTO_ICMP, 3, -ENOENT }, { IPPROTO_ICMP, 128, -ENOENT },
		{ IPPROTO_ICMPV6, 128, 129 }, { IPPROTO_ICMPV6, 129, 128 },
		{ IPPROTO_ICMPV6, 139, 140 }, { IPPROTO_ICMPV6, 140, 139 },
		{ IPPROTO_ICMPV6, 8, -ENOENT }, { IPPROTO_ICMPV6, 1, -ENOENT },
	};
	struct ct_tuple o, r;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ck_assert_int_eq(ct_proto_icmp_reply_type(rows[i].l4,
							  rows[i].type),
				 rows[i].reply);
	memset(&o, 0, sizeof(o));
	memset(&r, 0xff, sizeof(r));
	r.set = CT_TUPLE_SRC | CT_TUPLE_ICMP_ID;
	o.l4 = IPPROTO_ICMP;
	o.set = CT_TUPLE_PROTO | CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE;
	o.icmp_type = 13;
	o.icmp_code = 2;
	ct_proto_icmp_reply(&o, &r);	/* only the fields o has */
	ck_assert_uint_eq(r.set, CT_TUPLE_SRC | CT_TUPLE_ICMP_TYPE |
			  CT_TUPLE_ICMP_CODE);
	ck_assert_uint_eq(r.icmp_type, 14);
	ck_assert_uint_eq(r.icmp_code, 2);
	o.icmp_type = 3;		/* no pair: the same type */
	ct_proto_icmp_reply(&o, &r);
	ck_assert_uint_eq(r.icmp_type, 3);
	o.l4 = IPPROTO_TCP;		/* not ICMP: untouched */
	r.set = 0;
	ct_proto_icmp_reply(&o, &r);
	ck_assert_uint_eq(r.set, 0);

	/* fill: only a tuple with both addresses and the protocol */
	memset(&o, 0, sizeof(o));
	o.l4 = IPPROTO_ICMP;
	o.icmp_id = 77;
	o.set = CT_TUPLE_SRC | CT_TUPLE_PROTO | CT_TUPLE_ICMP_TYPE;
	ct_proto_tuple_fill(&o);
	ck_assert_uint_eq(o.set, CT_TUPLE_SRC | CT_TUPLE_PROTO |
			  CT_TUPLE_ICMP_TYPE);
	o.set |= CT_TUPLE_DST;
	ct_proto_tuple_fill(&o);
	ck_assert(ct_proto_tuple_complete(&o));
	ck_assert_uint_eq(o.icmp_id, 0);
	o.l4 = IPPROTO_SCTP;
	o.sport = 5;
	o.set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO | CT_TUPLE_SPORT;
	ct_proto_tuple_fill(&o);
	ck_assert(ct_proto_tuple_complete(&o));
	ck_assert_uint_eq(o.sport, 5);
	ck_assert_uint_eq(o.dport, 0);
	o.l4 = 99;
	o.set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;
	ct_proto_tuple_fill(&o);
	ck_assert_uint_eq(o.set, CT_TUPLE_SRC | CT_TUPLE_DST |
			  CT_TUPLE_PROTO);
}
END_TEST

/* Every buffer size up to the full message: -EMSGSIZE and nothing
 * written, or success. */
START_TEST(encode_emsgsize)
{
	_Alignas(4) unsigned char buf[1024];
	struct ct_entry e;
	struct nl_msg m;
	size_t full = 0, before;
	int rc;

	memset(&e, 0, sizeof(e));
	rt_tcp4(&e);
	for (size_t cap = 20; cap <= sizeof(buf); cap += 4) {
		nl_msg_init(&m, buf, cap);
		ck_assert_int_eq(nl_msg_begin_nfnl(&m, 1, 0, 0, 1, AF_INET),
				 0);
		before = m.len;
		rc = ct_entry_put_new(&m, &e);
		if (rc == 0) {
			full = cap;
			break;
		}
		ck_assert_int_eq(rc, -EMSGSIZE);
		ck_assert_uint_eq(m.len, before);
		ck_assert_uint_eq(nl_msg_hdr(&m)->nlmsg_len, before);
	}
	ck_assert_uint_gt(full, 200);
}
END_TEST

START_TEST(encode_bad_values)
{
	_Alignas(4) unsigned char buf[512];
	struct ct_entry e;
	struct nl_msg m;

	memset(&e, 0, sizeof(e));
	rt_tcp4(&e);
	nl_msg_init(&m, buf, sizeof(buf));
	nl_msg_begin_nfnl(&m, 1, 0, 0, 1, AF_INET);
	e.labels_len = 17;
	ck_assert_int_eq(ct_entry_put_new(&m, &e), -EINVAL);
	ck_assert_uint_eq(m.len, NLMSG_HDRLEN + 4);
	e.labels_len = 16;
	e.orig.l3 = 0;		/* addresses without a family */
	ck_assert_int_eq(ct_tuple_put(&m, CTA_TUPLE_ORIG, &e.orig), -EINVAL);
	ck_assert_uint_eq(m.len, NLMSG_HDRLEN + 4);
}
END_TEST

/* ---- malformed input ---------------------------------------------------- */

/* Builds a message: header, nfgenmsg, then @attrs (hex, little-endian
 * nlattr headers), into an exactly-sized heap buffer. */
static struct nlmsghdr *mkmsg(uint16_t type, const char *attrs,
			      size_t *len)
{
	size_t alen = strlen(attrs) / 2;
	size_t n = NLMSG_HDRLEN + 4 + alen;
	unsigned char *p = calloc(1, n);
	struct nlmsghdr h = { .nlmsg_len = (uint32_t)n, .nlmsg_type = type };

	ck_assert_ptr_nonnull(p);
	memcpy(p, &h, sizeof(h));
	p[NLMSG_HDRLEN] = AF_INET;
	ck_assert_uint_eq(fixture_unhex(attrs, p + NLMSG_HDRLEN + 4, alen), alen);
	*len = n;
	return (struct nlmsghdr *)(void *)p;
}

#define CTNL_NEW ((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW)
#define CTNL_DEL ((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE)

struct bad_row {
	const char *name;
	uint16_t type;
	const char *attrs;
	int rc;
	uint16_t err_type;	/* attribute blamed, 0 = don't check */
	uint32_t err_off;	/* its offset in the CTA stream */
};

static const struct bad_row bad_rows[] = {
	{ "valid: status", CTNL_NEW, "080003000000000e", 0, 0, 0 },
	{ "valid: delete event", CTNL_DEL, "08000c0000000001", 0, 0, 0 },
	{ "valid: unknown type skipped", CTNL_NEW,
	  "0800c80001020304" "080003000000000e", 0, 0, 0 },
	{ "valid: empty", CTNL_NEW, "", 0, 0, 0 },
	{ "status 2 bytes", CTNL_NEW, "0600030000000000", -ERANGE, 3, 0 },
	{ "status 8 bytes", CTNL_NEW, "0c0003000000000000000000",
	  -ERANGE, 3, 0 },
	{ "zone 4 bytes", CTNL_NEW, "0800120000000001", -ERANGE, 18, 0 },
	{ "attr overruns stream", CTNL_NEW, "1000030000000000", -EBADMSG,
	  0, 0 },
	{ "nla_len below header", CTNL_NEW, "0200030000000000", -EBADMSG,
	  0, 0 },
	{ "truncated header", CTNL_NEW, "0800", -EBADMSG, 0, 0 },
	{ "v4 src 3 bytes in tuple", CTNL_NEW,
	  "18000180" "14000180" "07000100c0000200" "0800020001020304",
	  -ERANGE, 1, 8 },
	{ "v6 src 4 bytes", CTNL_NEW,
	  "10000180" "0c000180" "0800030001020304", -ERANGE, 3, 8 },
	{ "proto num 2 bytes", CTNL_NEW,
	  "10000180" "0c000280" "0600010006000000", -ERANGE, 1, 8 },
	{ "sport 4 bytes", CTNL_NEW,
	  "18000180" "14000280" "0500010006000000" "0800020000500000",
	  -ERANGE, 2, 16 },
	{ "tuple nest overruns", CTNL_NEW,
	  "0c000180" "10000180" "00000000", -EBADMSG, 0, 0 },
	{ "tuple zone 1 byte", CTNL_NEW, "0c000180" "0500030001000000",
	  -ERANGE, 3, 4 },
	{ "helper name without NUL", CTNL_NEW,
	  "0c000580" "0700010066747000", -EINVAL, 1, 4 },
	{ "helper name too long", CTNL_NEW,
	  "1c000580" "15000100" "61616161616161616161616161616161"
	  "00000000",
	  -ERANGE, 1, 4 },
	{ "secctx empty string", CTNL_NEW, "08001380" "04000100", -EINVAL,
	  1, 4 },
	{ "labels 17 bytes", CTNL_NEW,
	  "1500160000000000000000000000000000000000000000", -ERANGE, 22,
	  0 },
	{ "labels empty", CTNL_NEW, "04001600", -ERANGE, 22, 0 },
	{ "tcp flags 1 byte", CTNL_NEW,
	  "10000480" "0c000180" "0500040001000000", -ERANGE, 4, 8 },
	{ "tcp state 4 bytes", CTNL_NEW,
	  "10000480" "0c000180" "0800010003000000", -ERANGE, 1, 8 },
	{ "sctp vtag 2 bytes", CTNL_NEW,
	  "10000480" "0c000380" "0600020001000000", -ERANGE, 2, 8 },
	{ "dccp handshake 4 bytes", CTNL_NEW,
	  "10000480" "0c000280" "0800030001000000", -ERANGE, 3, 8 },
	{ "counters packets 4 bytes", CTNL_NEW,
	  "0c000980" "0800010000000001", -ERANGE, 1, 4 },
	{ "counters32 8 bytes", CTNL_NEW,
	  "10000a80" "0c00030000000000" "00000001", -ERANGE, 3, 4 },
	{ "timestamp start 4 bytes", CTNL_NEW,
	  "0c001480" "0800010000000001", -ERANGE, 1, 4 },
	{ "timestamp event 4 bytes", CTNL_NEW, "08001b0000000001", -ERANGE,
	  27, 0 },
	{ "seqadj 2 bytes", CTNL_NEW, "0c000f80" "0600010000000000", -ERANGE,
	  1, 4 },
	{ "synproxy 8 bytes", CTNL_NEW, "10001880" "0c00010000000000" "00000000",
	  -ERANGE, 1, 4 },
	{ "nat proto port 4 bytes", CTNL_NEW,
	  "14000d80" "10000380" "0c00010000000000" "00000000", -ERANGE, 1,
	  8 },
	{ "not conntrack: exp subsys", (NFNL_SUBSYS_CTNETLINK_EXP << 8), "",
	  -EPROTO, 0, 0 },
	{ "not conntrack: GET", (NFNL_SUBSYS_CTNETLINK << 8) |
	  IPCTNL_MSG_CT_GET, "", -EPROTO, 0, 0 },
};

START_TEST(decode_bad)
{
	const struct bad_row *row = &bad_rows[_i];
	struct nl_attr_err err = { 0 };
	struct nlmsghdr *h;
	struct ct_entry e;
	size_t len;
	int rc;

	h = mkmsg(row->type, row->attrs, &len);
	rc = ct_entry_decode(h, &e, &err);
	ck_assert_msg(rc == row->rc, "%s: got %d want %d (%s)", row->name, rc,
		      row->rc, err.msg ? err.msg : "");
	if (rc < 0)
		ck_assert_ptr_nonnull(err.msg);
	if (row->err_type) {
		ck_assert_msg(err.type == row->err_type, "%s: type %u",
			      row->name, err.type);
		ck_assert_msg(err.offset == row->err_off, "%s: offset %u",
			      row->name, err.offset);
	}
	free(h);
}
END_TEST

START_TEST(decode_short_header)
{
	struct nl_attr_err err = { 0 };
	struct nlmsghdr *h;
	struct ct_entry e;
	size_t len;

	h = mkmsg(CTNL_NEW, "", &len);
	h->nlmsg_len = NLMSG_HDRLEN + 2;	/* nfgenmsg cut */
	ck_assert_int_eq(ct_entry_decode(h, &e, &err), -EBADMSG);
	free(h);
}
END_TEST

/* Every truncation of every real message fails cleanly or decodes. */
START_TEST(decode_truncations)
{
	struct ct_entry e;

	load_fixture();
	for (unsigned int d = 0; d < MAX_DGRAMS && dgram[d]; d++) {
		struct nlmsghdr h;
		unsigned char *cut;

		memcpy(&h, dgram[d], sizeof(h));
		if (h.nlmsg_type == NLMSG_DONE)
			continue;
		for (uint32_t n = NLMSG_HDRLEN; n <= h.nlmsg_len; n++) {
			cut = malloc(n);
			ck_assert_ptr_nonnull(cut);
			memcpy(cut, dgram[d], n);
			memcpy(cut, &n, sizeof(n));	/* nlmsg_len */
			(void)ct_entry_decode((struct nlmsghdr *)(void *)cut,
					      &e, NULL);
			free(cut);
		}
	}
}
END_TEST

/* ---- the userspace filter ----------------------------------------------- */

START_TEST(kfilter_rows)
{
	struct ct_kfilter f;
	const struct ct_entry *tcp4, *icmp6;

	load_fixture();
	tcp4 = find(AF_INET, IPPROTO_TCP, "192.0.2.1", 40000);
	icmp6 = find(AF_INET6, IPPROTO_ICMPV6, "2001:db8::1", 0);
	ck_assert(ct_kfilter_match(NULL, tcp4));
	memset(&f, 0, sizeof(f));
	ck_assert(ct_kfilter_match(&f, tcp4));
	f.family = AF_INET6;
	ck_assert(!ct_kfilter_match(&f, tcp4));
	ck_assert(ct_kfilter_match(&f, icmp6));
	memset(&f, 0, sizeof(f));
	f.set = CT_KF_MARK;
	f.mark = 0x01;
	f.mark_mask = 0x0f;
	ck_assert(ct_kfilter_match(&f, tcp4));		/* 0x11 & 0xf */
	f.mark_mask = 0xff;
	ck_assert(!ct_kfilter_match(&f, tcp4));
	memset(&f, 0, sizeof(f));
	f.set = CT_KF_ZONE;
	f.zone = 3;
	ck_assert(ct_kfilter_match(&f, tcp4));
	f.zone = 9;				/* directional zone counts */
	ck_assert(!ct_kfilter_match(&f, tcp4));
	ck_assert(ct_kfilter_match(&f, icmp6));
	f.zone = 0;
	ck_assert(!ct_kfilter_match(&f, icmp6));
	memset(&f, 0, sizeof(f));
	f.set = CT_KF_STATUS;
	f.status = IPS_ASSURED;
	f.status_mask = IPS_ASSURED;
	ck_assert(ct_kfilter_match(&f, tcp4));
	ck_assert(!ct_kfilter_match(&f, icmp6));
	memset(&f, 0, sizeof(f));
	f.orig.set = CT_TUPLE_PROTO | CT_TUPLE_DPORT;
	f.orig.l4 = IPPROTO_TCP;
	f.orig.dport = 443;
	ck_assert(ct_kfilter_match(&f, tcp4));
	ck_assert(!ct_kfilter_match(&f, icmp6));
	f.orig.dport = 444;
	ck_assert(!ct_kfilter_match(&f, tcp4));
	memset(&f, 0, sizeof(f));
	f.reply.set = CT_TUPLE_SRC;
	f.reply.l3 = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::2", &f.reply.src);
	ck_assert(ct_kfilter_match(&f, icmp6));
	ck_assert(!ct_kfilter_match(&f, tcp4));
	memset(&f, 0, sizeof(f));
	f.orig.set = CT_TUPLE_ICMP_TYPE | CT_TUPLE_PROTO;
	f.orig.l4 = IPPROTO_ICMPV6;
	f.orig.icmp_type = 128;
	ck_assert(ct_kfilter_match(&f, icmp6));
	f.orig.icmp_type = 129;
	ck_assert(!ct_kfilter_match(&f, icmp6));
	/* an entry without ports never matches a port filter */
	memset(&f, 0, sizeof(f));
	f.orig.set = CT_TUPLE_SPORT;
	ck_assert(!ct_kfilter_match(&f, icmp6));
	/* orig zone: the entry's zone when no directional one */
	memset(&f, 0, sizeof(f));
	f.orig.set = CT_TUPLE_ZONE;
	f.orig.zone = 3;
	ck_assert(ct_kfilter_match(&f, tcp4));
	f.reply.set = CT_TUPLE_ZONE;
	f.reply.zone = 3;
	ck_assert(ct_kfilter_match(&f, tcp4));
	f.orig.zone = 9;
	f.reply.set = 0;
	ck_assert(ct_kfilter_match(&f, icmp6));
}
END_TEST

/* ---- statistics decoders (ct/stats.h) ------------------------------------ */

static const struct stats_row {
	const char *name;
	int which;		/* 0 count, 1 per-cpu, 2 expectation per-cpu */
	const char *attrs;
	int rc;
	uint32_t a, b;		/* count and max, or present and val[t] */
	unsigned int t;
} stats_rows[] = {
	{ "count and max", 0, "0800010000000001" "0800020000040000", 0,
	  1, 262144, 0 },
	{ "count, max absent: left alone", 0, "0800010000000005", 0, 5, 7, 0 },
	{ "no entry count", 0, "0800020000000001", -EBADMSG, 0, 0, 0 },
	{ "count of 2 bytes", 0, "0600010000010000", -ERANGE, 0, 0, 0 },
	{ "cpu, type 32 skipped", 1,
	  "0800020000000003" "0800200000000009" "08000f0000000004", 0,
	  1U << 2 | 1U << 15, 4, 15 },
	{ "cpu, truncated header", 1, "080002", -EBADMSG, 0, 0, 0 },
	{ "cpu, counter of 8 bytes", 1, "0c0003000000000000000001", -ERANGE,
	  0, 0, 0 },
	{ "exp, type 4 skipped", 2, "0800010000000005" "0800040000000006", 0,
	  1U << 1, 5, 1 },
};

START_TEST(stats_decode)
{
	const struct stats_row *r = &stats_rows[_i];
	struct ct_stats_cpu st;
	struct nl_attr_err err;
	struct nlmsghdr *nlh;
	uint32_t count = 0, max = 7;
	size_t len;
	int rc;

	nlh = mkmsg((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_STATS_CPU,
		    r->attrs, &len);
	((unsigned char *)nlh)[NLMSG_HDRLEN + 3] = 9;	/* res_id: cpu 9 */
	memset(&st, 0x5a, sizeof(st));
	rc = r->which == 0 ? ct_stats_count_decode(nlh, &count, &max, &err) :
	     r->which == 1 ? ct_stats_cpu_decode(nlh, &st, &err) :
			     ct_stats_exp_decode(nlh, &st, &err);
	ck_assert_msg(rc == r->rc, "%s: %d", r->name, rc);
	if (rc < 0) {
		ck_assert_ptr_nonnull(err.msg);
		ck_assert_uint_eq(count, 0);
		ck_assert_uint_eq(max, 7);
		ck_assert_uint_eq(st.cpu, 0x5a5a);
	} else if (r->which == 0) {
		ck_assert_uint_eq(count, r->a);
		ck_assert_uint_eq(max, r->b);
	} else {
		ck_assert_uint_eq(st.cpu, 9);
		ck_assert_uint_eq(st.present, r->a);
		ck_assert_uint_eq(st.val[r->t], r->b);
	}
	free(nlh);
}
END_TEST

Suite *ct_codec_suite(void)
{
	Suite *s = suite_create("ct_codec");
	TCase *t;

	t = tcase_create("fixture");
	tcase_add_test(t, fixture_tcp4_zone_mark);
	tcase_add_test(t, fixture_nat);
	tcase_add_test(t, fixture_icmp);
	tcase_add_test(t, fixture_sctp_gre_unknown);
	tcase_add_test(t, fixture_traffic);
	tcase_add_test(t, decode_truncations);
	tcase_add_test(t, kfilter_rows);
	suite_add_tcase(s, t);

	t = tcase_create("roundtrip");
	tcase_add_loop_test(t, roundtrip_new, 0,
			    (int)(sizeof(rt_rows) / sizeof(rt_rows[0])));
	tcase_add_test(t, roundtrip_key);
	tcase_add_test(t, proto_icmp_pairs);
	tcase_add_test(t, encode_emsgsize);
	tcase_add_test(t, encode_bad_values);
	suite_add_tcase(s, t);

	t = tcase_create("malformed");
	tcase_add_loop_test(t, decode_bad, 0,
			    (int)(sizeof(bad_rows) / sizeof(bad_rows[0])));
	tcase_add_test(t, decode_short_header);
	tcase_add_loop_test(t, stats_decode, 0,
			    (int)(sizeof(stats_rows) / sizeof(stats_rows[0])));
	suite_add_tcase(s, t);
	return s;
}
