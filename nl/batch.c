// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Batches: requests accumulate in the caller's buffer, go out in one
 * sendmsg, and the reply stream (errors for the failures, one ack for the
 * last request) is read until the last request is answered.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "nl/batch.h"
#include "nl/sock.h"

/* The helper thread of an asynchronous batch and the one buffer it may
 * have out. The caller's thread only touches @job and the results while
 * the state is not JOB. A deferred batch has no thread: the buffer out
 * was started with nl_sock_send_start() and its answers are read by the
 * caller when it collects. */
enum { AS_IDLE, AS_JOB, AS_DONE, AS_QUIT };

struct nl_batch_async {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;
	struct nl_sock *sock;
	struct nl_msg spare;		/* the free buffer */
	struct nl_msg job;		/* the buffer out */
	uint32_t seq0, n, base;		/* of the job */
	int rc;				/* exchange result */
	int deferred;			/* no thread (nl_batch_defer) */
	struct nl_ack *errs;		/* failures, in order of arrival */
	size_t nerr, cap;
};

static int async_flush(struct nl_batch *b);

void nl_batch_init(struct nl_batch *b, struct nl_sock *s, void *buf,
		   size_t cap, nl_batch_err_cb on_err, void *arg)
{
	memset(b, 0, sizeof(*b));
	b->sock = s;
	nl_msg_init(&b->msg, buf, cap);
	b->on_err = on_err;
	b->arg = arg;
}

uint32_t nl_batch_count(const struct nl_batch *b)
{
	return b->base + b->n;
}

int nl_batch_begin(struct nl_batch *b, uint8_t subsys, uint8_t cmd,
		   uint16_t flags, uint8_t family, size_t room)
{
	uint32_t seq;
	int rc;

	if (room > b->msg.cap)
		return -EMSGSIZE;
	if (b->msg.cap - b->msg.len < room) {
		rc = b->as ? async_flush(b) : nl_batch_flush(b);
		if (rc < 0)
			return rc;
	}
	seq = nl_sock_seq_next(b->sock);
	if (b->n && seq != b->seq0 + b->n) {
		/* The counter wrapped: start a new run of sequence numbers. */
		rc = b->as ? async_flush(b) : nl_batch_flush(b);
		if (rc < 0)
			return rc;
	}
	if (b->n == 0)
		b->seq0 = seq;
	return nl_msg_begin_nfnl(&b->msg, subsys, cmd, flags, seq, family);
}

void nl_batch_end(struct nl_batch *b)
{
	nl_msg_end(&b->msg);
	b->n++;
}

void nl_batch_cancel(struct nl_batch *b)
{
	nl_msg_cancel(&b->msg);
}

uint32_t nl_batch_answered(const struct nl_batch *b)
{
	return b->base - b->inflight;
}

/* The answers to one sent buffer, as they are read. */
struct flush_ctx {
	uint32_t seq0, n;
	int last_done;
	void (*on_fail)(struct flush_ctx *f, const struct nl_ack *ack);
	struct nl_batch *b;		/* synchronous: report at once */
	struct nl_batch_async *as;	/* asynchronous: keep */
	int rc;
};

static int flush_ack(const struct nl_ack *ack, int done, void *arg)
{
	struct flush_ctx *f = arg;

	(void)done;
	if (ack->error)
		f->on_fail(f, ack);
	if (ack->seq == f->seq0 + f->n - 1)
		f->last_done = 1;
	return 0;
}

static int flush_data(const struct nlmsghdr *nlh, void *arg)
{
	struct flush_ctx *f = arg;
	struct nl_batch *b = f->b;
	struct nlmsghdr h;

	if (!b || !b->on_data)
		return 0;	/* no GETs queued: ignore any echo */
	memcpy(&h, nlh, sizeof(h));
	b->on_data(b->base + (h.nlmsg_seq - b->seq0), nlh, b->arg);
	return 0;
}

/* Reads the answers to the requests of @f until the last one's ack.
 * Returns 0 or -errno. */
static int answers(struct nl_sock *s, struct flush_ctx *f)
{
	struct nl_reply r = { .portid = nl_sock_portid(s),
			      .seq = f->seq0, .nseq = f->n,
			      .on_data = flush_data, .on_ack = flush_ack,
			      .arg = f };
	const void *data;
	ssize_t n;
	int rc = 0;

	while (rc == 0 && !f->last_done) {
		n = nl_sock_recv(s, &data);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			rc = (int)n;
			break;
		}
		rc = nl_reply_parse(&r, data, (size_t)n);
		if (rc == -EPROTO)
			rc = 0;		/* stale answer to an earlier request */
	}
	return rc;
}

/* The last request of @msg asks for an ack. */
static void ask_ack(struct nl_msg *msg)
{
	nl_msg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
}

/* Sends @msg and reads answers until its last request's ack. Returns 0
 * or the exchange's -errno. */
static int exchange(struct nl_sock *s, struct nl_msg *msg,
		    struct flush_ctx *f)
{
	int rc;

	ask_ack(msg);
	rc = nl_sock_send(s, msg->buf, msg->len);
	return rc < 0 ? rc : answers(s, f);
}

static void report_fail(struct nl_batch *b, uint32_t base, uint32_t seq0,
			const struct nl_ack *ack)
{
	b->failed++;
	if (b->on_err)
		b->on_err(base + (ack->seq - seq0), ack, b->arg);
}

static void sync_fail(struct flush_ctx *f, const struct nl_ack *ack)
{
	report_fail(f->b, f->b->base, f->seq0, ack);
}

static int sync_flush(struct nl_batch *b)
{
	struct flush_ctx f = { .seq0 = b->seq0, .n = b->n,
			       .on_fail = sync_fail, .b = b };
	int rc;

	b->answering = &b->msg;
	rc = exchange(b->sock, &b->msg, &f);
	b->answering = NULL;
	b->base += b->n;
	b->n = 0;
	nl_msg_reset(&b->msg);
	return rc;
}

/* ---- asynchronous ------------------------------------------------------ */

static void async_fail(struct flush_ctx *f, const struct nl_ack *ack)
{
	struct nl_batch_async *as = f->as;
	struct nl_ack *grown;

	if (as->nerr == as->cap) {
		size_t cap = as->cap ? as->cap * 2 : 16;

		grown = realloc(as->errs, cap * sizeof(*grown));
		if (!grown) {
			f->rc = -ENOMEM;
			return;
		}
		as->errs = grown;
		as->cap = cap;
	}
	as->errs[as->nerr++] = *ack;
}

static void *sender(void *arg)
{
	struct nl_batch_async *as = arg;

	pthread_mutex_lock(&as->mu);
	for (;;) {
		struct flush_ctx f = { .on_fail = async_fail, .as = as };
		int rc;

		while (as->state != AS_JOB && as->state != AS_QUIT)
			pthread_cond_wait(&as->cv, &as->mu);
		if (as->state == AS_QUIT)
			break;
		f.seq0 = as->seq0;
		f.n = as->n;
		pthread_mutex_unlock(&as->mu);
		rc = exchange(as->sock, &as->job, &f);
		pthread_mutex_lock(&as->mu);
		as->rc = rc ? rc : f.rc;
		as->state = AS_DONE;
		pthread_cond_broadcast(&as->cv);
	}
	pthread_mutex_unlock(&as->mu);
	return NULL;
}

/* Waits for the buffer out, if any, and reports its failures. Returns
 * the exchange's result. */
static int async_collect(struct nl_batch *b)
{
	struct nl_batch_async *as = b->as;
	int rc, state;

	if (as->deferred && as->state == AS_JOB) {
		struct flush_ctx f = { .seq0 = as->seq0, .n = as->n,
				       .on_fail = async_fail, .as = as };

		rc = as->rc ? as->rc : nl_sock_send_end(as->sock);
		if (rc == 0)
			rc = answers(as->sock, &f);
		as->rc = rc ? rc : f.rc;
		as->state = AS_DONE;
	}
	pthread_mutex_lock(&as->mu);
	while (as->state == AS_JOB)
		pthread_cond_wait(&as->cv, &as->mu);
	state = as->state;
	pthread_mutex_unlock(&as->mu);
	if (state != AS_DONE)
		return 0;
	b->answering = &as->job;
	for (size_t i = 0; i < as->nerr; i++)
		report_fail(b, as->base, as->seq0, &as->errs[i]);
	b->answering = NULL;
	rc = as->rc;
	as->nerr = 0;
	as->state = AS_IDLE;
	b->inflight = 0;
	nl_msg_reset(&as->job);
	as->spare = as->job;
	return rc;
}

/* Hands the filled buffer to the helper and takes the spare one. */
static void async_submit(struct nl_batch *b)
{
	struct nl_batch_async *as = b->as;

	pthread_mutex_lock(&as->mu);
	as->job = b->msg;
	as->seq0 = b->seq0;
	as->n = b->n;
	as->base = b->base;
	b->msg = as->spare;
	b->inflight = b->n;
	b->base += b->n;
	b->n = 0;
	as->state = AS_JOB;
	pthread_cond_broadcast(&as->cv);
	pthread_mutex_unlock(&as->mu);
	if (as->deferred) {
		ask_ack(&as->job);
		as->rc = nl_sock_send_start(as->sock, as->job.buf,
					    as->job.len);
	}
}

/* The buffer is full: collect the one out, send this one. */
static int async_flush(struct nl_batch *b)
{
	int rc = async_collect(b);

	if (rc < 0)
		return rc;
	if (b->stop_on_error && b->failed)
		return -ECANCELED;
	if (b->n)
		async_submit(b);
	return 0;
}

int nl_batch_send(struct nl_batch *b)
{
	return b->as ? async_flush(b) : nl_batch_flush(b);
}

int nl_batch_flush(struct nl_batch *b)
{
	int rc;

	if (!b->as)
		return b->n ? sync_flush(b) : 0;
	rc = async_flush(b);
	if (rc == 0)
		rc = async_collect(b);
	return rc;
}

static struct nl_batch_async *async_new(struct nl_batch *b, void *buf2)
{
	struct nl_batch_async *as = calloc(1, sizeof(*as));

	if (!as)
		return NULL;
	as->sock = b->sock;
	nl_msg_init(&as->spare, buf2, b->msg.cap);
	pthread_mutex_init(&as->mu, NULL);
	pthread_cond_init(&as->cv, NULL);
	return as;
}

int nl_batch_defer(struct nl_batch *b, void *buf2)
{
	if (b->as)
		return 0;
	b->as = async_new(b, buf2);
	if (!b->as)
		return -ENOMEM;
	b->as->deferred = 1;
	return 0;
}

int nl_batch_async(struct nl_batch *b, void *buf2)
{
	struct nl_batch_async *as;
	sigset_t all, old;
	int rc;

	if (b->as)
		return 0;
	as = async_new(b, buf2);
	if (!as)
		return -ENOMEM;
	/* the helper takes no signals: they stay with the caller */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&as->tid, NULL, sender, as);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&as->cv);
		pthread_mutex_destroy(&as->mu);
		free(as);
		return -rc;
	}
	b->as = as;
	return 0;
}

int nl_batch_async_end(struct nl_batch *b)
{
	struct nl_batch_async *as = b->as;
	int rc;

	if (!as)
		return 0;
	rc = async_collect(b);
	pthread_mutex_lock(&as->mu);
	as->state = AS_QUIT;
	pthread_cond_broadcast(&as->cv);
	pthread_mutex_unlock(&as->mu);
	if (!as->deferred)
		pthread_join(as->tid, NULL);
	pthread_cond_destroy(&as->cv);
	pthread_mutex_destroy(&as->mu);
	free(as->errs);
	free(as);
	b->as = NULL;
	return rc;
}
