// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The receiver thread of nl/bg.h. One mutex guards the ring's queues and
 * the request being watched; a buffer belongs to whoever took it off a
 * queue, so receiving and walking run unlocked.
 *
 * Wakeups: the loop is told through a pipe that holds a byte while the
 * ring has datagrams to walk. The thread writes one when it queues into
 * an empty ring; the loop empties the pipe, under the mutex, when it
 * takes the last one (a byte written after that only wakes it for
 * nothing). The thread waits for a buffer on a condition variable,
 * signalled as the loop gives one back; between requests it waits there
 * too. nl_bg_free() wakes it out of poll() through a second pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "nl/bg.h"
#include "nl/reply.h"
#include "nl/sock.h"

#define STACK_SIZE	(256 * 1024)

struct nl_bg {
	struct nl_sock *s;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;		/* the thread waits: request, buffer */
	int note[2];			/* a byte while datagrams are ready */
	int stop[2];			/* nl_bg_free() to a thread in poll */
	unsigned char *mem;		/* NL_BG_SLOTS * NL_SOCK_RXBUF */
	ssize_t len[NL_BG_SLOTS];	/* bytes, or -errno of the receive */
	uint8_t freeq[NL_BG_SLOTS];	/* a stack of free buffers */
	uint8_t readyq[NL_BG_SLOTS];	/* FIFO of filled ones */
	unsigned int nfree, rhead, rcount;
	uint32_t seq;			/* of the request watched */
	int started, watching, waiting, quit;
};

static unsigned char *buf_of(struct nl_bg *b, unsigned int i)
{
	return b->mem + (size_t)i * NL_SOCK_RXBUF;
}

/* One datagram into @buf, waiting for it in poll(): its length, -errno
 * of the receive, or -ECANCELED when nl_bg_free() says stop. */
static ssize_t receive(struct nl_bg *b, unsigned char *buf)
{
	struct pollfd p[2] = {
		{ .fd = nl_sock_fd(b->s), .events = POLLIN },
		{ .fd = b->stop[0], .events = POLLIN },
	};
	ssize_t n;

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return -errno;
		if (p[1].revents)
			return -ECANCELED;
		if (!p[0].revents)
			continue;
		n = nl_sock_recv_buf(b->s, buf, NL_SOCK_RXBUF);
		if (n != -EAGAIN && n != -EINTR)
			return n;
	}
}

static void *receiver(void *arg)
{
	struct nl_bg *b = arg;
	unsigned int i;
	ssize_t n;
	int note;

	pthread_mutex_lock(&b->mu);
	b->started = 1;
	pthread_cond_signal(&b->cv);
	for (;;) {
		while (!b->quit && (!b->watching || !b->nfree)) {
			b->waiting = 1;
			pthread_cond_wait(&b->cv, &b->mu);
			b->waiting = 0;
		}
		if (b->quit)
			break;
		i = b->freeq[--b->nfree];
		pthread_mutex_unlock(&b->mu);
		n = receive(b, buf_of(b, i));
		pthread_mutex_lock(&b->mu);
		if (n == -ECANCELED) {
			b->freeq[b->nfree++] = (uint8_t)i;
			break;
		}
		b->len[i] = n;
		b->readyq[(b->rhead + b->rcount++) % NL_BG_SLOTS] = (uint8_t)i;
		note = b->rcount == 1;
		/* against the request watched now, which may have changed
		 * while this datagram was awaited */
		if (n < 0 || nl_reply_ends(buf_of(b, i), (size_t)n, b->seq))
			b->watching = 0;
		if (note) {
			pthread_mutex_unlock(&b->mu);
			if (write(b->note[1], "", 1) < 0) {
				/* full: a byte is there already */
			}
			pthread_mutex_lock(&b->mu);
		}
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

static int pipe_nb(int fd[2])
{
	if (pipe(fd) < 0)
		return -errno;
	for (int i = 0; i < 2; i++)
		if (fcntl(fd[i], F_SETFL, O_NONBLOCK) < 0 ||
		    fcntl(fd[i], F_SETFD, FD_CLOEXEC) < 0)
			return -errno;
	return 0;
}

static void close_pipe(int fd[2])
{
	for (int i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

static void bg_release(struct nl_bg *b)
{
	close_pipe(b->note);
	close_pipe(b->stop);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b->mem);
	free(b);
}

int nl_bg_new(struct nl_bg **out, struct nl_sock *s)
{
	struct sched_param sp = { .sched_priority = 0 };
	pthread_attr_t attr;
	sigset_t all, old;
	struct nl_bg *b;
	int rc;

	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->s = s;
	b->note[0] = b->note[1] = b->stop[0] = b->stop[1] = -1;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->mem = malloc((size_t)NL_BG_SLOTS * NL_SOCK_RXBUF);
	rc = b->mem ? 0 : -ENOMEM;
	if (rc == 0)
		rc = pipe_nb(b->note);
	if (rc == 0)
		rc = pipe_nb(b->stop);
	if (rc < 0)
		goto err;
	for (unsigned int i = 0; i < NL_BG_SLOTS; i++)
		b->freeq[b->nfree++] = (uint8_t)i;
	rc = -pthread_attr_init(&attr);
	if (rc < 0)
		goto err;
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	/* an ordinary thread, whatever the caller's policy: a dump is bulk
	 * work, and a real-time loop with a real-time receiver would take
	 * both CPUs of a two-CPU machine for as long as a dump lasts */
	pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&attr, SCHED_OTHER);
	pthread_attr_setschedparam(&attr, &sp);
	/* the thread takes no signals: they stay with the loop */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&b->tid, &attr, receiver, b);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc < 0)
		goto err;
	/* running: its libc set-up (rseq, robust futexes) is done before a
	 * seccomp filter comes that would refuse it */
	pthread_mutex_lock(&b->mu);
	while (!b->started)
		pthread_cond_wait(&b->cv, &b->mu);
	pthread_mutex_unlock(&b->mu);
	*out = b;
	return 0;
err:
	bg_release(b);
	return rc;
}

void nl_bg_free(struct nl_bg *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->quit = 1;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	if (write(b->stop[1], "", 1) < 0) {
		/* full: the thread is told already */
	}
	pthread_join(b->tid, NULL);
	bg_release(b);
}

int nl_bg_fd(const struct nl_bg *b)
{
	return b->note[0];
}

void nl_bg_watch(struct nl_bg *b, const struct nl_step *st)
{
	pthread_mutex_lock(&b->mu);
	b->seq = st->r.seq;
	b->watching = 1;
	if (b->waiting)
		pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

/* Under the mutex, with the ring empty: the pipe's byte is taken. */
static void drain(struct nl_bg *b)
{
	char sink[64];

	while (read(b->note[0], sink, sizeof(sink)) > 0)
		;
}

int nl_bg_recv(struct nl_bg *b, struct nl_step *st)
{
	unsigned int i;
	int rc;

	if (st->done)
		return nl_step_feed(st, NULL, 0);
	pthread_mutex_lock(&b->mu);
	if (!b->rcount) {
		drain(b);
		pthread_mutex_unlock(&b->mu);
		return -EAGAIN;
	}
	i = b->readyq[b->rhead];
	b->rhead = (b->rhead + 1) % NL_BG_SLOTS;
	if (!--b->rcount)
		drain(b);
	pthread_mutex_unlock(&b->mu);
	rc = nl_step_feed(st, buf_of(b, i), b->len[i]);
	pthread_mutex_lock(&b->mu);
	b->freeq[b->nfree++] = (uint8_t)i;
	if (b->waiting)
		pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return rc;
}
