// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's table jobs (sync/kernel_int.h): resync dumps and
 * selective flushes queued by table, run one at a time on the dump
 * socket, a few datagrams per loop wakeup.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/batch.h"
#include "ct/bpf.h"
#include "ct/decode.h"
#include "ct/event.h"
#include "ct/expect_codec.h"
#include "ct/expect_table.h"
#include "ct/table.h"
#include "nl/bg.h"
#include "nl/msg.h"
#include "nl/pipe.h"
#include "nl/sock.h"
#include "nl/step.h"
#include "nl/uapi.h"
#include "sync/filter.h"
#include "sync/kernel_int.h"
#include "sync/loop.h"

#define DUMP_SLICE	8	/* datagrams of a dump per wakeup */

/* ---- table jobs ---------------------------------------------------------- */

static int dump_ct(const struct nlmsghdr *nlh, void *arg)
{
	struct sync_kernel *k = arg;
	struct sync_daemon *d = k->d;
	struct ct_entry e;

	if (ct_entry_decode(nlh, &e, NULL) < 0) {
		d->st.nl_dump_unknown_type++;
		return 0;
	}
	if (!sync_kernel_ct_wanted(d, &e))
		return 0;
	if (k->job.kind == JOB_FLUSH)
		ct_batch_delete(&k->batch, &e);	/* a full batch is sent */
	else
		d->mode->ct_dump(d, &e);
	return 0;
}

static int dump_exp(const struct nlmsghdr *nlh, void *arg)
{
	struct sync_kernel *k = arg;
	struct sync_daemon *d = k->d;
	struct ct_expect x;

	if (ct_expect_decode(nlh, &x, NULL) < 0) {
		d->st.nl_dump_unknown_type++;
		return 0;
	}
	if (sync_kernel_exp_wanted(d, &x) && d->mode->exp_dump)
		d->mode->exp_dump(d, &x);
	return 0;
}

static void dump_io(struct sync_loop *l, int fd, unsigned int revents,
		    void *arg);

int sync_kernel_dump_begin(struct nl_step *st, struct nl_sock *sk, int exp,
			   int (*cb)(const struct nlmsghdr *nlh, void *arg),
			   void *arg)
{
	_Alignas(4) unsigned char buf[64];
	struct nl_msg m;
	int rc;

	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, exp ? NFNL_SUBSYS_CTNETLINK_EXP :
			       NFNL_SUBSYS_CTNETLINK, exp ? IPCTNL_MSG_EXP_GET :
			       IPCTNL_MSG_CT_GET, NLM_F_DUMP,
			       nl_sock_seq_next(sk), AF_UNSPEC);
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	return nl_step_begin(st, sk, &m, cb, arg);
}

int sync_kernel_job_fd(const struct sync_kernel *k)
{
	return k->bg ? nl_bg_fd(k->bg) : nl_sock_fd(k->dump);
}

static int job_dump(struct sync_kernel *k)
{
	int exp = k->job.table == SYNC_K_EXP;
	int rc;

	rc = sync_kernel_dump_begin(&k->job.st, k->dump, exp,
				    exp ? dump_exp : dump_ct, k);
	if (rc < 0)
		return rc;
	if (k->bg)
		nl_bg_watch(k->bg, &k->job.st);
	return sync_loop_fd_add(k->d->loop, sync_kernel_job_fd(k), POLLIN,
				dump_io, k);
}

int sync_kernel_threads(struct sync_kernel *k)
{
	struct nl_bg *b;
	int rc;

	if (!k || !k->dump || k->bg || nl_cpus() == 1)
		return 0;	/* with one CPU, the thread would only take turns */
	rc = nl_bg_new(&b, k->dump);
	if (rc == 0 && k->job.kind != JOB_NONE) {
		/* a dump already running (the initial one, asked for before
		 * the loop's process was forked): its rest comes through the
		 * thread, or, if the loop cannot take its pipe, as before */
		rc = sync_loop_fd_add(k->d->loop, nl_bg_fd(b), POLLIN,
				      dump_io, k);
		if (rc < 0) {
			nl_bg_free(b);
		} else {
			sync_loop_fd_del(k->d->loop, nl_sock_fd(k->dump));
			nl_bg_watch(b, &k->job.st);
		}
	}
	if (rc < 0) {
		sync_log(&k->d->log, SYNC_LOG_WARNING, "no receiver thread "
			 "for kernel dumps: %s", strerror(-rc));
		return rc;
	}
	k->bg = b;
	return 0;
}

static void job_end(struct sync_kernel *k, int rc)
{
	struct sync_daemon *d = k->d;
	int exp = k->job.table == SYNC_K_EXP;

	sync_loop_fd_del(d->loop, sync_kernel_job_fd(k));
	if (k->job.kind == JOB_RESYNC) {
		if (rc == -EINTR && !k->job.retried) {
			/* the table changed under the dump: once more */
			k->job.retried = 1;
			if (job_dump(k) == 0)
				return;
		}
		if (rc < 0)
			sync_log(&d->log, SYNC_LOG_ERR, "can't dump kernel %s "
				 "table: %s", exp ? "expect" : "conntrack",
				 strerror(-rc));
		if (d->mode->dump_end)
			d->mode->dump_end(d, exp, rc == 0);
	} else {
		ct_batch_flush(&k->batch);
	}
	k->job.kind = JOB_NONE;
	sync_kernel_job_next(k);
}

static void dump_io(struct sync_loop *l, int fd, unsigned int revents,
		    void *arg)
{
	struct sync_kernel *k = arg;
	int i, rc = 1;

	(void)l;
	(void)fd;
	(void)revents;
	for (i = 0; i < DUMP_SLICE && rc == 1; i++) {
		rc = k->bg ? nl_bg_recv(k->bg, &k->job.st)
			   : nl_step_recv(&k->job.st);
		if (k->job.kind == JOB_FLUSH)
			ct_batch_flush(&k->batch);
	}
	if (rc == 1 || rc == -EAGAIN)
		return;
	job_end(k, rc);
}

/* The flush of a whole table in one request (no Filter). */
static void flush_all(struct sync_kernel *k, int exp)
{
	struct nl_ack ack;
	int rc;

	if (exp)
		rc = ct_expect_flush(k->flush, 0, NULL, NULL, &ack);
	else
		rc = ct_table_flush(k->flush, NULL, &ack);
	if (rc < 0)
		sync_log(&k->d->log, SYNC_LOG_ERR, "can't flush kernel %s "
			 "table: %s", exp ? "expect" : "conntrack",
			 strerror(-rc));
}

void sync_kernel_job_next(struct sync_kernel *k)
{
	struct sync_daemon *d = k->d;
	unsigned int t;
	int rc;

	while (k->job.kind == JOB_NONE && (k->want_resync || k->want_flush)) {
		if (k->want_flush) {
			t = (k->want_flush & SYNC_K_CT) ? SYNC_K_CT : SYNC_K_EXP;
			k->want_flush &= ~t;
			if (t == SYNC_K_EXP || !d->filter) {
				flush_all(k, t == SYNC_K_EXP);
				continue;
			}
			k->job.kind = JOB_FLUSH;
			ct_batch_init(&k->batch, k->flush, k->batch_buf,
				      sizeof(k->batch_buf), NULL, NULL);
		} else {
			t = (k->want_resync & SYNC_K_CT) ? SYNC_K_CT
							 : SYNC_K_EXP;
			k->want_resync &= ~t;
			k->job.kind = JOB_RESYNC;
			if (d->mode->dump_begin)
				d->mode->dump_begin(d, t == SYNC_K_EXP);
		}
		k->job.table = (uint8_t)t;
		k->job.retried = 0;
		rc = job_dump(k);
		if (rc < 0)
			job_end(k, rc);
	}
}

void sync_kernel_resync(struct sync_kernel *k, unsigned int what)
{
	if (!k)
		return;
	if (!k->expect)
		what &= ~(unsigned int)SYNC_K_EXP;
	k->want_resync |= what;
	sync_kernel_job_next(k);
}

void sync_kernel_flush(struct sync_kernel *k, unsigned int what)
{
	if (!k)
		return;
	if (!k->expect)
		what &= ~(unsigned int)SYNC_K_EXP;
	k->want_flush |= what;
	sync_kernel_job_next(k);
}

int sync_kernel_busy(const struct sync_kernel *k)
{
	return k && (k->job.kind != JOB_NONE || k->want_resync ||
		     k->want_flush);
}

size_t sync_kernel_bufsize(const struct sync_kernel *k)
{
	return k ? k->bufsize : 0;
}

int sync_kernel_expect(const struct sync_kernel *k)
{
	return k && k->expect;
}

unsigned int sync_kernel_socks(struct sync_kernel *k, struct nl_sock **out,
			       unsigned int max)
{
	unsigned int n = 0;

	if (!k)
		return 0;
	if (k->dump && n < max)
		out[n++] = k->dump;
	for (int o = SYNC_ORIGIN_FLUSH; o <= SYNC_ORIGIN_INJECT; o++)
		if (k->origin[o] && n < max)
			out[n++] = k->origin[o];
	if (k->ev && n < max)
		out[n++] = ct_event_sock(k->ev);
	return n;
}

struct nl_sock *sync_kernel_sock(struct sync_kernel *k,
				 enum sync_origin origin)
{
	int rc;

	if (origin <= SYNC_ORIGIN_NOT_ME || origin > SYNC_ORIGIN_INJECT)
		return NULL;
	if (!k->origin[origin]) {
		rc = nl_sock_open(&k->origin[origin], NULL);
		if (rc < 0) {
			sync_log(&k->d->log, SYNC_LOG_ERR, "can't open netlink "
				 "handler: %s", strerror(-rc));
			return NULL;
		}
	}
	return k->origin[origin];
}
