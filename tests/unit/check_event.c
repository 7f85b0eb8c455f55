// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ct/event's socket set-up: the SOL_NETLINK options that
 * ct_event_open() sets, read back from a real NETLINK_NETFILTER socket
 * of the caller's namespace (joining the conntrack groups needs
 * CAP_NET_ADMIN; without it, or without nfnetlink, the rows say SKIP).
 * CT_EVENT_F_RELIABLE (conntrackd's NetlinkEventsReliable) must turn on
 * NETLINK_BROADCAST_ERROR and NETLINK_NO_ENOBUFS; without it both stay
 * off, so every loss is reported.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/event.h"
#include "nl/uapi.h"
#include "tests/unit/suites.h"

static const struct {
	const char *name;
	unsigned int flags;
	int broadcast_error, no_enobufs;
} opt_rows[] = {
	{ "default", 0, 0, 0 },
	{ "reliable", CT_EVENT_F_RELIABLE, 1, 1 },
	{ "reliable, nonblocking",
	  CT_EVENT_F_RELIABLE | CT_EVENT_F_NONBLOCK, 1, 1 },
};

static int get_opt(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	ck_assert_msg(getsockopt(fd, SOL_NETLINK, opt, &v, &len) == 0,
		      "getsockopt(SOL_NETLINK, %d): %s", opt, strerror(errno));
	ck_assert_uint_eq(len, sizeof(v));
	return v;
}

START_TEST(socket_options)
{
	struct ct_event_opts o = { .flags = opt_rows[_i].flags };
	struct ct_event_src *ev = NULL;
	int rc, fd;

	rc = ct_event_open(&ev, &o);
	if (rc == -EPERM || rc == -EACCES || rc == -EPROTONOSUPPORT ||
	    rc == -EAFNOSUPPORT) {
		printf("SKIP: check_event: %s: cannot open a conntrack event "
		       "socket here: %s\n", opt_rows[_i].name, strerror(-rc));
		return;
	}
	ck_assert_msg(rc == 0, "%s: ct_event_open: %s", opt_rows[_i].name,
		      strerror(-rc));
	fd = ct_event_fd(ev);
	ck_assert_msg(get_opt(fd, NETLINK_BROADCAST_ERROR) ==
		      opt_rows[_i].broadcast_error,
		      "%s: NETLINK_BROADCAST_ERROR", opt_rows[_i].name);
	ck_assert_msg(get_opt(fd, NETLINK_NO_ENOBUFS) ==
		      opt_rows[_i].no_enobufs,
		      "%s: NETLINK_NO_ENOBUFS", opt_rows[_i].name);
	ct_event_close(ev);
}
END_TEST

Suite *event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *t = tcase_create("socket");

	tcase_add_loop_test(t, socket_options, 0,
			    sizeof(opt_rows) / sizeof(opt_rows[0]));
	suite_add_tcase(s, t);
	return s;
}
