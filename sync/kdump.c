// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel table to a control client (see sync/kdump.h): a dump
 * request on a netlink socket of the client's own, its replies walked
 * one datagram per step of the producer (the kernel builds the next one
 * only when we read), each entry the daemon follows printed as
 * conntrack -L prints it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct/decode.h"
#include "ct/expect_codec.h"
#include "ct/expect_format.h"
#include "ct/format.h"
#include "nl/sock.h"
#include "nl/step.h"
#include "sync/ctl.h"
#include "sync/kdump.h"
#include "sync/kernel.h"
#include "sync/log.h"
#include "sync/privsep.h"

#define LINE_LEN	2048
#define STEPS_PER_FILL	4	/* datagrams per producer call */

struct kdump {
	struct sync_daemon *d;
	struct sync_client *cl;
	struct nl_sock *sk;
	struct nl_step st;
	int exp;
};

static void emit(struct kdump *k, char *line, int n)
{
	if (n == -ENOSPC)
		n = (int)strlen(line);
	if (n < 0)
		return;
	line[n++] = '\n';
	sync_client_write(k->cl, line, (size_t)n);
}

static int on_entry(const struct nlmsghdr *nlh, void *arg)
{
	struct kdump *k = arg;
	struct ct_fmt_opts fo = { 0 };
	char line[LINE_LEN];

	if (k->exp) {
		struct ct_expect x;

		if (ct_expect_decode(nlh, &x, NULL) < 0 ||
		    !sync_kernel_exp_wanted(k->d, &x))
			return 0;
		emit(k, line, ct_expect_format_default(line, sizeof(line) - 1,
						       &x, &fo));
	} else {
		struct ct_entry e;

		if (ct_entry_decode(nlh, &e, NULL) < 0 ||
		    !sync_kernel_ct_wanted(k->d, &e))
			return 0;
		emit(k, line, ct_format_default(line, sizeof(line) - 1, &e,
						&fo));
	}
	return 0;
}

static void kdump_free(void *arg)
{
	struct kdump *k = arg;

	sync_privsep_sock_close(k->d->privsep, k->sk);
	free(k);
}

static int fill(struct sync_client *cl, void *arg)
{
	struct kdump *k = arg;
	int rc = 1;

	k->cl = cl;
	for (int i = 0; i < STEPS_PER_FILL && rc == 1 &&
			sync_client_room(cl) > 0; i++)
		rc = nl_step_recv(&k->st);
	if (rc == 1 || rc == -EAGAIN)
		return 1;
	if (rc < 0)
		sync_log(&k->d->log, SYNC_LOG_ERR, "can't dump kernel table");
	return 0;
}

int sync_kdump_start(struct sync_client *cl, struct sync_daemon *d, int exp)
{
	struct kdump *k = calloc(1, sizeof(*k));
	int rc = -ENOMEM;

	if (!k)
		goto fail;
	k->d = d;
	k->exp = exp;
	rc = sync_privsep_sock_open(d->privsep, &k->sk);
	if (rc == 0)
		rc = sync_kernel_dump_begin(&k->st, k->sk, exp, on_entry, k);
	if (rc < 0)
		goto fail;
	sync_client_fill(cl, fill, k, kdump_free);
	return 0;
fail:
	sync_log(&d->log, SYNC_LOG_ERR, "can't dump kernel table");
	if (k)
		kdump_free(k);
	return rc;
}
