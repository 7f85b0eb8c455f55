// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ct_filter_match: one row per condition, matching and not matching.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/filter.h"
#include "tests/unit/suites.h"

static void entry(struct ct_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->family = AF_INET;
	e->set = CT_ORIG | CT_REPLY | CT_STATUS | CT_MARK | CT_TIMEOUT |
		 CT_ID | CT_TCP;
	e->orig.l3 = e->reply.l3 = AF_INET;
	e->orig.l4 = e->reply.l4 = 6;
	e->orig.set = e->reply.set = CT_TUPLE_SRC | CT_TUPLE_DST |
		CT_TUPLE_PROTO | CT_TUPLE_SPORT | CT_TUPLE_DPORT;
	inet_pton(AF_INET, "10.0.0.1", &e->orig.src);
	inet_pton(AF_INET, "10.0.0.2", &e->orig.dst);
	inet_pton(AF_INET, "10.0.0.2", &e->reply.src);
	inet_pton(AF_INET, "192.168.0.9", &e->reply.dst);	/* SNAT */
	e->orig.sport = 1000;
	e->orig.dport = 80;
	e->reply.sport = 80;
	e->reply.dport = 1000;
	e->status = 0x8 | 0x2 | 0x4 | 0x80;	/* confirmed seen assured snat */
	e->mark = 0x15;
	e->timeout = 30;
	e->id = 7;
	e->tcp.state = 3;
}

START_TEST(test_empty)
{
	struct ct_filter f = { 0 };
	struct ct_entry e;

	entry(&e);
	ck_assert(ct_filter_match(&f, &e));
	ck_assert(ct_filter_match(NULL, &e));
}
END_TEST

START_TEST(test_conditions)
{
	struct ct_filter f;
	struct ct_entry e;

	entry(&e);
	memset(&f, 0, sizeof(f));
	f.set = CT_F_MARK;
	f.mark_value = 0x5;
	f.mark_mask = 0xf;
	ck_assert(ct_filter_match(&f, &e));
	f.mark_value = 0x4;
	ck_assert(!ct_filter_match(&f, &e));

	memset(&f, 0, sizeof(f));
	f.set = CT_F_STATUS;
	f.status = 0x4;
	f.status_mask = 0x4;
	ck_assert(ct_filter_match(&f, &e));
	f.status = 0;		/* !ASSURED */
	ck_assert(!ct_filter_match(&f, &e));

	memset(&f, 0, sizeof(f));
	f.set = CT_F_NAT_SRC;
	ck_assert(ct_filter_match(&f, &e));
	f.snat.has_addr = 1;
	f.snat.l3 = AF_INET;
	inet_pton(AF_INET, "192.168.0.9", &f.snat.addr);
	ck_assert(ct_filter_match(&f, &e));
	inet_pton(AF_INET, "192.168.0.8", &f.snat.addr);
	ck_assert(!ct_filter_match(&f, &e));
	f.set = CT_F_NAT_DST;
	f.snat.has_addr = 0;
	ck_assert(!ct_filter_match(&f, &e));
	f.set = CT_F_NAT_ANY;
	ck_assert(ct_filter_match(&f, &e));

	memset(&f, 0, sizeof(f));
	f.set = CT_F_NET_SRC;
	f.net[0].l3 = AF_INET;
	inet_pton(AF_INET, "10.0.0.0", &f.net[0].net);
	inet_pton(AF_INET, "255.0.0.0", &f.net[0].mask);
	ck_assert(ct_filter_match(&f, &e));
	inet_pton(AF_INET, "11.0.0.0", &f.net[0].net);
	ck_assert(!ct_filter_match(&f, &e));

	memset(&f, 0, sizeof(f));
	f.set = CT_F_LABELS;
	f.labels[0] = 1;
	ck_assert(!ct_filter_match(&f, &e));
	e.set |= CT_LABELS;
	e.labels_len = 4;
	e.labels[0] = 3;
	ck_assert(ct_filter_match(&f, &e));

	memset(&f, 0, sizeof(f));
	f.set = CT_F_CMP;
	f.tmpl.set = CT_ORIG | CT_TCP | CT_ID;
	f.tmpl.orig.set = CT_TUPLE_PROTO | CT_TUPLE_DPORT;
	f.tmpl.orig.l4 = 6;
	f.tmpl.orig.dport = 80;
	f.tmpl.tcp.state = 3;
	f.tmpl.id = 7;
	ck_assert(ct_filter_match(&f, &e));
	f.tmpl.orig.dport = 81;
	ck_assert(!ct_filter_match(&f, &e));
	f.tmpl.orig.dport = 80;
	f.tmpl.tcp.state = 2;
	ck_assert(!ct_filter_match(&f, &e));
	f.tmpl.tcp.state = 3;
	e.set &= ~(uint64_t)CT_ID;	/* strict: missing id never matches */
	ck_assert(!ct_filter_match(&f, &e));

	memset(&f, 0, sizeof(f));
	f.set = CT_F_CMP;
	f.tmpl.set = CT_ZONE;
	ck_assert(ct_filter_match(&f, &e));	/* no zone = zone 0 */
	f.tmpl.zone = 1;
	ck_assert(!ct_filter_match(&f, &e));

	memset(&f, 0, sizeof(f));
	f.set = CT_F_FAMILY;
	f.family = AF_INET6;
	ck_assert(!ct_filter_match(&f, &e));
}
END_TEST

/* An l4 field the entry lacks (DCCP that the kernel tracks as generic):
 * no match, or not compared with CT_F_L4_LAX (upstream's -U). */
START_TEST(test_l4_lacking)
{
	struct ct_filter f;
	struct ct_entry e;

	entry(&e);
	e.orig.l4 = e.reply.l4 = 33;
	e.orig.sport = e.orig.dport = 0;
	e.orig.set &= (uint16_t)~(CT_TUPLE_SPORT | CT_TUPLE_DPORT);
	memset(&f, 0, sizeof(f));
	f.set = CT_F_CMP;
	f.tmpl.set = CT_ORIG;
	f.tmpl.orig.set = CT_TUPLE_PROTO | CT_TUPLE_SPORT;
	f.tmpl.orig.l4 = 33;
	f.tmpl.orig.sport = 0;		/* not even 0 matches */
	ck_assert(!ct_filter_match(&f, &e));
	f.set |= CT_F_L4_LAX;
	f.tmpl.orig.sport = 1000;
	ck_assert(ct_filter_match(&f, &e));
	f.tmpl.orig.l4 = 6;		/* the rest is still compared */
	ck_assert(!ct_filter_match(&f, &e));
	/* a field the entry has is compared either way */
	f.tmpl.orig.l4 = 33;
	f.tmpl.set = CT_REPLY;
	f.tmpl.reply = f.tmpl.orig;
	f.tmpl.reply.sport = 81;
	ck_assert(!ct_filter_match(&f, &e));
	f.tmpl.reply.sport = 80;
	ck_assert(ct_filter_match(&f, &e));
}
END_TEST

START_TEST(test_is_key)
{
	struct ct_filter f = { 0 };

	f.set = CT_F_CMP;
	f.tmpl.set = CT_ORIG | CT_ZONE;
	f.tmpl.orig.l3 = AF_INET;
	f.tmpl.orig.l4 = 17;
	f.tmpl.orig.set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO |
			  CT_TUPLE_SPORT | CT_TUPLE_DPORT;
	ck_assert(ct_filter_is_key(&f));
	f.tmpl.set &= ~(uint64_t)CT_ZONE;
	ck_assert(!ct_filter_is_key(&f));
}
END_TEST

Suite *filter_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("match");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_conditions);
	tcase_add_test(tc, test_l4_lacking);
	tcase_add_test(tc, test_is_key);
	suite_add_tcase(s, tc);
	return s;
}
