// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/link, the link watcher's table, fed a real link dump
 * and real link events (tests/data/link_*.hex) and link messages built
 * with nl/msg as the kernel sends them (RTM_NEWLINK with an ifinfomsg and
 * IFLA_IFNAME, IFLA_MTU, IFLA_CARRIER): adding, updating
 * (absent attributes keep their values), removing, several messages in
 * one datagram, the AF_BRIDGE messages skipped, lookups by index and by
 * name, and a failing row for each malformed datagram.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "nl/msg.h"
#include "nl/rtnl.h"
#include "sync/link.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"

struct lk {
	int type;		/* RTM_NEWLINK, RTM_DELLINK */
	int family;
	int index;
	unsigned int flags;
	const char *name;	/* NULL: no IFLA_IFNAME */
	unsigned int mtu;	/* 0: no IFLA_MTU */
	int carrier;		/* -1: no IFLA_CARRIER */
};

static int apply(struct sync_link *t, const struct lk *ks, size_t n)
{
	unsigned char buf[4096] __attribute__((aligned(4)));
	struct nl_msg m;

	nl_msg_init(&m, buf, sizeof(buf));
	for (size_t i = 0; i < n; i++)
		fixture_link(&m, ks[i].type, ks[i].family, ks[i].index,
			     ks[i].flags, ks[i].name, ks[i].mtu, ks[i].carrier);
	return sync_link_apply(t, buf, m.len);
}

#define UPRUN (RTNL_IFF_UP | RTNL_IFF_RUNNING | RTNL_IFF_LOWER_UP)

START_TEST(test_add_update_remove)
{
	struct sync_link *t;
	const struct sync_link_if *i;
	const struct lk dump[] = {
		{ RTM_NEWLINK, AF_UNSPEC, 1, UPRUN, "lo", 65536, 1 },
		{ RTM_NEWLINK, AF_UNSPEC, 7, UPRUN, "veth0", 1500, 1 },
		{ RTM_NEWLINK, AF_UNSPEC, 3, 0, "eth1", 9000, 0 },
	};
	/* down, no name or MTU in the event: those stay */
	const struct lk down = { RTM_NEWLINK, AF_UNSPEC, 7, 0, NULL, 0, 0 };
	const struct lk del = { RTM_DELLINK, AF_UNSPEC, 3, 0, "eth1", 0, -1 };

	ck_assert_int_eq(sync_link_new(&t), 0);
	ck_assert_int_eq(sync_link_fd(t), -1);
	ck_assert_int_eq(apply(t, dump, 3), 3);
	i = sync_link_get(t, 7);
	ck_assert_ptr_nonnull(i);
	ck_assert_str_eq(i->name, "veth0");
	ck_assert_uint_eq(i->mtu, 1500);
	ck_assert_uint_eq(i->flags, UPRUN);
	ck_assert_int_eq(i->carrier, 1);
	ck_assert_uint_eq(sync_link_find(t, "eth1")->ifindex, 3);
	ck_assert_uint_eq(sync_link_find(t, "lo")->mtu, 65536);
	ck_assert_ptr_null(sync_link_find(t, "eth"));
	ck_assert_ptr_null(sync_link_get(t, 2));

	ck_assert_int_eq(apply(t, &down, 1), 1);
	i = sync_link_get(t, 7);
	ck_assert_str_eq(i->name, "veth0");
	ck_assert_uint_eq(i->mtu, 1500);
	ck_assert_uint_eq(i->flags, 0);
	ck_assert_int_eq(i->carrier, 0);

	ck_assert_int_eq(apply(t, &del, 1), 1);
	ck_assert_ptr_null(sync_link_get(t, 3));
	ck_assert_ptr_null(sync_link_find(t, "eth1"));
	/* an interface the table does not hold reads as down */
	ck_assert_uint_eq(sync_link_flags(t, 3), 0);
	ck_assert_uint_eq(sync_link_flags(t, 1), UPRUN);
	/* removing it again is harmless */
	ck_assert_int_eq(apply(t, &del, 1), 1);
	sync_link_free(t);
}
END_TEST

/* Many links arriving out of order stay findable (sorted insertion). */
START_TEST(test_many)
{
	struct sync_link *t;

	ck_assert_int_eq(sync_link_new(&t), 0);
	for (int k = 0; k < 200; k++) {
		char name[16];
		struct lk l = { RTM_NEWLINK, AF_UNSPEC, (k * 37) % 200 + 1,
				RTNL_IFF_UP, name, 1000u + (unsigned)k, -1 };

		snprintf(name, sizeof(name), "if%d", l.index);
		ck_assert_int_eq(apply(t, &l, 1), 1);
	}
	for (int idx = 1; idx <= 200; idx++) {
		char name[16];

		snprintf(name, sizeof(name), "if%d", idx);
		ck_assert_ptr_nonnull(sync_link_get(t, (unsigned)idx));
		ck_assert_str_eq(sync_link_get(t, (unsigned)idx)->name, name);
		ck_assert_int_eq(sync_link_get(t, (unsigned)idx)->carrier, -1);
	}
	sync_link_free(t);
}
END_TEST

/* A bridge port's AF_BRIDGE messages say nothing of the device: its
 * RTM_DELLINK only means it left the bridge. */
START_TEST(test_bridge_skipped)
{
	struct sync_link *t;
	const struct lk add = { RTM_NEWLINK, AF_UNSPEC, 4, UPRUN, "p0", 1500,
				1 };
	const struct lk br[] = {
		{ RTM_NEWLINK, AF_BRIDGE, 4, 0, "p0", 1400, 0 },
		{ RTM_DELLINK, AF_BRIDGE, 4, 0, "p0", 0, -1 },
	};

	ck_assert_int_eq(sync_link_new(&t), 0);
	ck_assert_int_eq(apply(t, &add, 1), 1);
	ck_assert_int_eq(apply(t, br, 2), 0);
	ck_assert_uint_eq(sync_link_get(t, 4)->flags, UPRUN);
	ck_assert_uint_eq(sync_link_get(t, 4)->mtu, 1500);
	sync_link_free(t);
}
END_TEST

/* ---- captured from the kernel (tests/data/make_link.sh) --------------- */

static int apply_one(const struct nlmsghdr *nlh, void *arg)
{
	struct nlmsghdr h;

	memcpy(&h, nlh, sizeof(h));
	ck_assert_int_eq(sync_link_apply(arg, nlh, h.nlmsg_len), 1);
	return 0;
}

static void want_if(const struct sync_link *t, const char *name,
		    unsigned int mtu, int up, int running, int carrier)
{
	const struct sync_link_if *i = sync_link_find(t, name);

	ck_assert_msg(i != NULL, "%s missing", name);
	ck_assert_uint_eq(i->mtu, mtu);
	ck_assert_msg(!!(i->flags & RTNL_IFF_UP) == up, "%s up", name);
	ck_assert_msg(!!(i->flags & RTNL_IFF_RUNNING) == running,
		      "%s running", name);
	ck_assert_msg(i->carrier == carrier, "%s carrier %d", name,
		      i->carrier);
	ck_assert_ptr_eq(sync_link_get(t, i->ifindex), i);
}

START_TEST(test_real)
{
	struct sync_link *t;

	ck_assert_int_eq(sync_link_new(&t), 0);
	fixture_replay("tests/data/link_dump.hex", apply_one, t, NULL, 0);
	want_if(t, "lo", 65536, 1, 1, 1);
	want_if(t, "vs0", 1500, 1, 0, 0);	/* its peer is down */
	want_if(t, "vs1", 1500, 0, 0, 0);
	want_if(t, "vt0", 9000, 1, 1, 1);
	want_if(t, "vt1", 9000, 1, 1, 1);
	/* vs1 up (vs0 gets its carrier), vt0 down (vt1 loses it) */
	fixture_replay("tests/data/link_events.hex", apply_one, t, NULL, 0);
	want_if(t, "vs0", 1500, 1, 1, 1);
	want_if(t, "vs1", 1500, 1, 1, 1);
	want_if(t, "vt0", 9000, 0, 0, 0);
	want_if(t, "vt1", 9000, 1, 0, 0);
	sync_link_free(t);
}
END_TEST

/* ---- malformed datagrams: one failing row per rule -------------------- */

struct bad_case {
	const char *what;
	unsigned char buf[64];
	size_t len;
	int want;
	int applied;		/* links in the table after */
};

static const struct bad_case bad_cases[] = {
	{ "header cut", { 0x20, 0, 0, 0, 16, 0 }, 6, -EBADMSG, 0 },
	{ "nlmsg_len below the header", { 8, 0, 0, 0, 16, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0 }, 16, -EBADMSG, 0 },
	{ "nlmsg_len past the end", { 40, 0, 0, 0, 16, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 20, -EBADMSG, 0 },
	{ "ifinfomsg cut", { 20, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0 }, 20, -EBADMSG, 0 },
	/* index 5, then an attribute claiming 12 bytes where 4 are */
	{ "attribute past the end", { 36, 0, 0, 0, 16, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0,
	  0, 0, 0, 0, 12, 0, 4, 0 }, 36, -EBADMSG, 0 },
	/* IFLA_MTU of 2 bytes */
	{ "MTU of the wrong size", { 40, 0, 0, 0, 16, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0,
	  0, 0, 0, 0, 6, 0, 4, 0, 0xdc, 5, 0, 0 }, 40, -EBADMSG, 0 },
	/* IFLA_IFNAME without its NUL */
	{ "name without NUL", { 40, 0, 0, 0, 16, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0,
	  0, 0, 0, 0, 8, 0, 3, 0, 'e', 't', 'h', '0' }, 40, -EBADMSG, 0 },
	/* a good message (index 5), then 4 stray bytes */
	{ "trailing bytes", { 32, 0, 0, 0, 16, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0,
	  0, 0, 0, 0, 1, 2, 3, 4 }, 36, -EBADMSG, 1 },
	/* index 0 is no interface: skipped */
	{ "index 0", { 32, 0, 0, 0, 16, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	  0, 0, 0, 0 }, 32, 0, 0 },
	/* other message types are skipped */
	{ "RTM_NEWADDR", { 24, 0, 0, 0, 20, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 2, 24, 0, 0, 5, 0, 0, 0 }, 24, 0, 0 },
};

START_TEST(test_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	struct sync_link *t;
	int n = 0;

	ck_assert_int_eq(sync_link_new(&t), 0);
	ck_assert_msg(sync_link_apply(t, c->buf, c->len) == c->want,
		      "%s: got %d", c->what,
		      sync_link_apply(t, c->buf, c->len));
	for (unsigned int idx = 0; idx < 10; idx++)
		n += sync_link_get(t, idx) != NULL;
	ck_assert_msg(n == c->applied, "%s: %d links", c->what, n);
	sync_link_free(t);
}
END_TEST

Suite *link_suite(void)
{
	Suite *s = suite_create("link");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_add_update_remove);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_bridge_skipped);
	tcase_add_test(tc, test_real);
	tcase_add_loop_test(tc, test_bad, 0,
			    sizeof(bad_cases) / sizeof(bad_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}
