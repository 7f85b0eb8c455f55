// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Piped dumps: receiver threads fill a shared ring of datagram buffers,
 * which are walked with nl_reply_parse(): by the calling thread with one
 * dump, by every thread with several (Walking, below).
 *
 * A receiver stops by itself, after the datagram that ends its dump
 * (NLMSG_DONE or NLMSG_ERROR with the request's sequence number), after a
 * datagram it cannot walk (the caller reports it as malformed) or after a
 * receive error. The kernel always ends a dump, so the caller never has
 * to interrupt a receiver: when it fails early it keeps taking datagrams
 * and drops them until every receiver is done.
 *
 * Locking: one mutex guards the ring's queues and counters; buffers are
 * owned by whoever took them off a queue, so the copying and walking run
 * unlocked.
 *
 * Wakeups: the kernel fills a datagram in a few hundred microseconds and
 * the caller walks it faster, so a caller woken for every datagram would
 * sleep and be woken again thousands of times a second, and each wakeup
 * costs the receiver (whose thread is the one the kernel works in) a
 * futex call and an interprocessor interrupt. Instead the caller, finding
 * nothing to walk, sleeps HOLD_NS by its own clock and then takes what
 * came meanwhile; receivers wake it only when a dump ends or (with one
 * dump) the ring is full. The other way round, the caller wakes
 * receivers waiting for a buffer once half the ring is free (or nothing
 * is left to walk), so a slow caller hands them several buffers per
 * wakeup.
 *
 * Walking: datagrams are walked (callbacks run) by whoever holds the walk
 * lock, taken before the ring's mutex, in the ring's order. With one
 * dump that is the caller. With several at once, a receiver per dump and
 * the caller would be more threads than a two-CPU machine has, and a
 * filtered dump that matches little walks the whole table inside one
 * system call, which a kernel without preemption does not interrupt: a
 * caller queued behind it would leave the other dumps standing still. So then every thread, the caller included,
 * receives one dump and walks what is ready right after each datagram,
 * unless another thread is walking (it then walks this one too); a
 * thread that finds no free buffer walks instead of waiting. The caller
 * takes the first dump, so n dumps cost n - 1 threads.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nl/msg.h"
#include "nl/pipe.h"
#include "nl/sock.h"

#define MAX_SLOTS	(NL_PIPE_MAX + 1 > NL_PIPE_SLOTS ? NL_PIPE_MAX + 1 : \
			 NL_PIPE_SLOTS)
#define HOLD_NS		250000L	/* the caller's look between datagrams */

struct pipe;

struct dump {
	struct pipe *p;
	const struct nl_pipe_req *r;
	uint32_t seq;
	pthread_t tid;
	/* the calling thread's side */
	struct nl_reply reply;
	int completed;			/* its NLMSG_DONE or error was seen */
};

struct slot {
	ssize_t len;			/* bytes, or -errno of the receive */
	uint8_t dump;			/* index into pipe.d */
};

struct pipe {
	pthread_mutex_t walk;		/* held while walking; before mu */
	pthread_mutex_t mu;
	pthread_cond_t ready;		/* the caller waits for a datagram */
	pthread_cond_t space;		/* receivers wait for a free buffer */
	unsigned char *mem;		/* MAX_SLOTS buffers of NL_SOCK_RXBUF */
	struct slot slot[MAX_SLOTS];
	uint8_t freeq[MAX_SLOTS];	/* a stack of free slots */
	uint8_t readyq[MAX_SLOTS];	/* FIFO of filled slots */
	unsigned int nslots, nfree, rhead, rcount;
	unsigned int running;		/* receivers not finished */
	unsigned int waiting_space;	/* receivers waiting for a buffer */
	int waiting_ready;		/* the caller waits */
	int go;				/* 1: send; -1: exit without sending */
	int self_walk;			/* receivers walk (several dumps) */
	long hold_ns;			/* the caller's look between datagrams */
	/* results: the walk lock's holder's */
	nl_data_cb on_data;
	void *arg;
	struct nl_ack *err;
	int error;			/* first kernel error (positive) */
	int cb_error;			/* first on_data failure */
	int fail;			/* first receive or walk failure */
	struct dump d[NL_PIPE_MAX];
};

static unsigned char *slot_buf(struct pipe *p, unsigned int i)
{
	return p->mem + (size_t)i * NL_SOCK_RXBUF;
}

/* Waits on @cv (a CLOCK_MONOTONIC one) at most @ns nanoseconds. */
static int wait_ns(pthread_cond_t *cv, pthread_mutex_t *mu, long ns)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_nsec += ns;
	while (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return pthread_cond_timedwait(cv, mu, &t);
}

static void walk_ready(struct pipe *p);

/* Walks what is ready, waiting for the walk lock if @wait (else only if
 * nobody walks). Called and returns with p->mu held. */
static void walk_here(struct pipe *p, int wait)
{
	if (pthread_mutex_trylock(&p->walk) != 0) {
		if (!wait)
			return;	/* the walker will see what is ready */
		pthread_mutex_unlock(&p->mu);
		pthread_mutex_lock(&p->walk);
		pthread_mutex_lock(&p->mu);
	}
	walk_ready(p);
	pthread_mutex_unlock(&p->walk);
}

/* Sends dump @d's request and receives its datagrams into the ring until
 * it ends; called with p->mu held, returns with it held. */
static void receive(struct dump *d)
{
	struct pipe *p = d->p;
	uint8_t self = (uint8_t)(d - p->d);
	int sent = 0, end = 0;

	while (p->go > 0 && !end) {
		unsigned int i;
		ssize_t n;

		while (!p->nfree) {
			/* with one buffer more than threads a full ring has
			 * ready datagrams; else wait as with one dump */
			if (p->self_walk && p->rcount) {
				walk_here(p, 1);
				continue;
			}
			p->waiting_space++;
			pthread_cond_wait(&p->space, &p->mu);
			p->waiting_space--;
		}
		i = p->freeq[--p->nfree];
		pthread_mutex_unlock(&p->mu);
		if (!sent) {
			sent = 1;
			n = nl_sock_send(d->r->sock, d->r->req->buf,
					 d->r->req->len);
		} else {
			n = 0;
		}
		if (n == 0) {
			do
				n = nl_sock_recv_buf(d->r->sock, slot_buf(p, i),
						     NL_SOCK_RXBUF);
			while (n == -EINTR);
		}
		end = n < 0 || nl_reply_ends(slot_buf(p, i), (size_t)n, d->seq);
		pthread_mutex_lock(&p->mu);
		p->slot[i].len = n;
		p->slot[i].dump = self;
		p->readyq[(p->rhead + p->rcount++) % MAX_SLOTS] = (uint8_t)i;
		if (p->self_walk)
			walk_here(p, 0);
		else if (p->waiting_ready && (end || !p->nfree))
			pthread_cond_signal(&p->ready);
	}
}

static void *receiver(void *arg)
{
	struct dump *d = arg;
	struct pipe *p = d->p;

	pthread_mutex_lock(&p->mu);
	while (!p->go)
		pthread_cond_wait(&p->space, &p->mu);
	receive(d);
	p->running--;
	if (p->waiting_ready)
		pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int pipe_ack(const struct nl_ack *ack, int done, void *arg)
{
	struct dump *d = arg;
	struct pipe *p = d->p;

	(void)done;
	d->completed = 1;
	nl_ack_keep_first(&p->error, p->err, ack);
	return 0;
}

static int pipe_data(const struct nlmsghdr *nlh, void *arg)
{
	struct dump *d = arg;
	struct pipe *p = d->p;

	/* after a failure keep draining; it is reported at the end */
	if (p->on_data && !p->cb_error)
		p->cb_error = p->on_data(nlh, p->arg);
	return 0;
}

/* Walks one datagram of dump @d, unless an earlier one failed. */
static void consume(struct pipe *p, struct dump *d, const unsigned char *buf,
		    ssize_t len)
{
	int rc;

	if (p->fail)
		return;
	if (len < 0) {
		p->fail = (int)len;
		return;
	}
	rc = nl_reply_parse(&d->reply, buf, (size_t)len);
	if (rc == -EPROTO)
		return;		/* stale reply to an earlier request */
	if (rc < 0)
		p->fail = rc;
}

/* Sleeps until a receiver signals or HOLD_NS have passed. */
static void hold(struct pipe *p)
{
	p->waiting_ready = 1;
	wait_ns(&p->ready, &p->mu, p->hold_ns);
	p->waiting_ready = 0;
}

/* Walks every ready datagram in order and frees its buffer. Called and
 * returns with p->walk and p->mu held; p->mu is let go while walking. */
static void walk_ready(struct pipe *p)
{
	while (p->rcount) {
		unsigned int i = p->readyq[p->rhead];

		p->rhead = (p->rhead + 1) % MAX_SLOTS;
		p->rcount--;
		pthread_mutex_unlock(&p->mu);
		consume(p, &p->d[p->slot[i].dump], slot_buf(p, i),
			p->slot[i].len);
		pthread_mutex_lock(&p->mu);
		p->freeq[p->nfree++] = (uint8_t)i;
		if (p->waiting_space &&
		    (p->nfree * 2 >= p->nslots || !p->rcount))
			pthread_cond_broadcast(&p->space);
	}
}

/* Takes datagrams until every receiver is done; with several dumps,
 * receives the first one before. */
static void run(struct pipe *p)
{
	pthread_mutex_lock(&p->mu);
	if (p->self_walk)
		receive(&p->d[0]);
	for (;;) {
		while (!p->rcount && p->running)
			hold(p);
		if (!p->rcount)
			break;
		walk_here(p, 1);
	}
	pthread_mutex_unlock(&p->mu);
}

/* The dumps one after the other in this thread. */
static int serial(const struct nl_pipe_req *reqs, unsigned int n,
		  nl_data_cb on_data, void *arg, struct nl_ack *err)
{
	int rc = 0;

	for (unsigned int i = 0; i < n && rc == 0; i++)
		rc = nl_query(reqs[i].sock, reqs[i].req, on_data, arg, err);
	return rc;
}

/* The sequence number of @req if it is exactly one dump request. */
static int one_dump(const struct nl_msg *req, uint32_t *seq)
{
	struct nlmsghdr h;

	if (req->len < NLMSG_HDRLEN)
		return 0;
	memcpy(&h, req->buf, sizeof(h));
	if (h.nlmsg_len != req->len ||
	    (h.nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		return 0;
	*seq = h.nlmsg_seq;
	return 1;
}

static int result(const struct pipe *p, unsigned int n)
{
	if (p->fail)
		return p->fail;
	if (p->cb_error)
		return p->cb_error;
	if (p->error)
		return -p->error;
	for (unsigned int i = 0; i < n; i++)
		if (!p->d[i].completed)
			return -EPROTO;	/* ended without an answer */
	for (unsigned int i = 0; i < n; i++)
		if (p->d[i].reply.dump_intr)
			return -EINTR;
	return 0;
}

int nl_query_piped(const struct nl_pipe_req *reqs, unsigned int n,
		   unsigned int hold_us, nl_data_cb on_data, void *arg,
		   struct nl_ack *err)
{
	pthread_condattr_t ca;
	struct pipe *p;
	sigset_t all, old;
	unsigned int started, first;
	int rc;

	if (n < 1 || n > NL_PIPE_MAX)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct dump *d = &p->d[i];

		if (!one_dump(reqs[i].req, &d->seq)) {
			free(p);
			return -EINVAL;
		}
		d->p = p;
		d->r = &reqs[i];
		d->reply.portid = nl_sock_portid(reqs[i].sock);
		d->reply.seq = d->seq;
		d->reply.nseq = 1;
		d->reply.on_data = pipe_data;
		d->reply.on_ack = pipe_ack;
		d->reply.arg = d;
	}
	/* one pool. With several dumps each thread walks what it receives
	 * and holds at most the buffer it receives into: one buffer more
	 * than threads leaves two free or ready, even while one walks. */
	p->self_walk = n > 1;
	p->nslots = p->self_walk ? n + 1 : NL_PIPE_SLOTS;
	p->mem = malloc((size_t)p->nslots * NL_SOCK_RXBUF);
	if (!p->mem) {
		free(p);
		return serial(reqs, n, on_data, arg, err);
	}
	for (unsigned int i = 0; i < p->nslots; i++)
		p->freeq[p->nfree++] = (uint8_t)i;
	p->on_data = on_data;
	p->arg = arg;
	p->err = err;
	p->hold_ns = hold_us ? (long)hold_us * 1000 : HOLD_NS;
	pthread_mutex_init(&p->walk, NULL);
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->ready, &ca);
	pthread_cond_init(&p->space, &ca);
	pthread_condattr_destroy(&ca);

	/* receivers take no signals: they stay with the caller */
	first = p->self_walk;	/* the caller receives dump 0 itself */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (started = first; started < n; started++)
		if (pthread_create(&p->d[started].tid, NULL, receiver,
				   &p->d[started]) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	pthread_mutex_lock(&p->mu);
	p->running = started - first;
	p->go = started == n ? 1 : -1;
	pthread_cond_broadcast(&p->space);
	pthread_mutex_unlock(&p->mu);
	if (started == n)
		run(p);
	for (unsigned int i = first; i < started; i++)
		pthread_join(p->d[i].tid, NULL);
	rc = started == n ? result(p, n) : serial(reqs, n, on_data, arg, err);

	pthread_cond_destroy(&p->space);
	pthread_cond_destroy(&p->ready);
	pthread_mutex_destroy(&p->mu);
	pthread_mutex_destroy(&p->walk);
	free(p->mem);
	free(p);
	return rc;
}

unsigned int nl_cpus(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 0;
	return (unsigned int)CPU_COUNT(&set);
}
