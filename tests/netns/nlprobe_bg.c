// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlprobe's "bgdump": a dump received by nl/bg.c's thread (see
 * tests/netns/nlprobe.h).
 */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "nl/bg.h"
#include "nl/step.h"
#include "tests/netns/nlprobe.h"

static void hold(unsigned int us)
{
	struct timespec t = { us / 1000000, (long)(us % 1000000) * 1000 };

	while (us && nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static int one(struct nl_sock *s, struct nl_bg *b, const struct nl_msg *req,
	       unsigned int hold_us, nl_data_cb on_data, void *arg)
{
	struct nl_step st;
	int rc;

	rc = nl_step_begin(&st, s, req, on_data, arg);
	if (rc < 0)
		return rc;
	nl_bg_watch(b, &st);
	for (;;) {
		struct pollfd p = { .fd = nl_bg_fd(b), .events = POLLIN };

		rc = nl_bg_recv(b, &st);
		if (rc == 1) {
			hold(hold_us);
			continue;
		}
		if (rc != -EAGAIN)
			return rc;
		rc = poll(&p, 1, 10000);
		if (rc == 0)
			return -ETIMEDOUT;	/* the thread never said */
		if (rc < 0 && errno != EINTR)
			return -errno;
	}
}

int nlprobe_bg_query(struct nl_sock *s, const struct nl_msg *req,
		     unsigned int hold_us, nl_data_cb on_data, void *arg)
{
	struct nl_bg *b;
	int rc, rc2;

	rc = nl_bg_new(&b, s);
	if (rc < 0)
		return rc;
	rc = one(s, b, req, hold_us, on_data, arg);
	/* the same thread, parked, takes the next request */
	rc2 = one(s, b, req, hold_us, on_data, arg);
	nl_bg_free(b);
	return rc < 0 ? rc : rc2;
}
