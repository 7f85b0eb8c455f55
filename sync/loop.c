// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's event loop: descriptors, steps and the run (the timers are
 * in loop_timer.c, the signals in loop_signal.c). Descriptors are watched
 * with ppoll(2), poll with a timeout in nanoseconds so a timer is neither
 * late by a rounded-up millisecond nor polled for in a spin. The daemon
 * has a handful of sockets plus at most a few hundred control clients
 * that come and go per command: scanning that many pollfds costs
 * microseconds, while epoll would cost an epoll_ctl() per client and per
 * change of interest, and would hand back events for a descriptor that a
 * callback already closed and accept() just reused. Here a descriptor
 * removed during dispatch is only marked (fd -1) and the array compacted
 * afterwards, and one added during dispatch is appended past the entries
 * polled, so a callback never sees another registration's events. Steps
 * (bounded slices of long work) are called round-robin, once each per
 * iteration, and keep poll from sleeping while any is queued.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sync/loop.h"
#include "sync/loop_int.h"

void *sync_loop_grow(void *p, unsigned int *cap, unsigned int want,
		     size_t size)
{
	unsigned int n = *cap ? *cap : 8;

	if (want <= *cap)
		return p;
	while (n < want) {
		if (n > UINT_MAX / 2)
			return NULL;
		n *= 2;
	}
	p = realloc(p, (size_t)n * size);
	if (p)
		*cap = n;
	return p;
}

int sync_loop_new(struct sync_loop **out)
{
	struct sync_loop *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->sig_fd = -1;
	sigemptyset(&l->sig_set);
	sigemptyset(&l->sig_kept);
	*out = l;
	return 0;
}

uint64_t sync_loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- descriptors ------------------------------------------------------ */

static unsigned int loop_fd_index(const struct sync_loop *l, int fd)
{
	if (fd < 0 || (unsigned int)fd >= l->fd_slot_cap)
		return 0;
	return l->fd_slot[fd];
}

/* Room for @fd in the fd map and for @want entries in the arrays. */
static int loop_fd_room(struct sync_loop *l, int fd, unsigned int want)
{
	unsigned int old = l->fd_slot_cap, cap = l->fd_cap;
	unsigned int *slot = l->fd_slot;
	struct pollfd *pfd;
	struct loop_fd *fds;

	if (fd == INT_MAX)
		return -ENOMEM;
	slot = sync_loop_grow(slot, &l->fd_slot_cap, (unsigned int)fd + 1,
			      sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	memset(slot + old, 0, (l->fd_slot_cap - old) * sizeof(*slot));
	l->fd_slot = slot;
	pfd = sync_loop_grow(l->pfd, &cap, want, sizeof(*pfd));
	if (!pfd)
		return -ENOMEM;
	l->pfd = pfd;
	cap = l->fd_cap;	/* both arrays hold at least fd_cap */
	fds = sync_loop_grow(l->fds, &cap, want, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	l->fds = fds;
	l->fd_cap = cap;
	return 0;
}

int sync_loop_fd_add(struct sync_loop *l, int fd, unsigned int events,
		     sync_loop_fd_cb cb, void *arg)
{
	unsigned int i = l->nfd;
	int err;

	if (fd < 0)
		return -EBADF;
	if (!cb)
		return -EINVAL;
	if (loop_fd_index(l, fd))
		return -EEXIST;
	err = loop_fd_room(l, fd, i + 1);
	if (err)
		return err;
	l->pfd[i] = (struct pollfd){ .fd = fd, .events = (short)events };
	l->fds[i] = (struct loop_fd){ .cb = cb, .arg = arg };
	l->fd_slot[fd] = i + 1;
	l->nfd = i + 1;
	return 0;
}

int sync_loop_fd_mod(struct sync_loop *l, int fd, unsigned int events)
{
	unsigned int i = loop_fd_index(l, fd);

	if (!i)
		return -ENOENT;
	l->pfd[i - 1].events = (short)events;
	return 0;
}

/* Moves entry @from to @to, keeping the fd map in step. */
static void loop_fd_move(struct sync_loop *l, unsigned int from,
			 unsigned int to)
{
	l->pfd[to] = l->pfd[from];
	l->fds[to] = l->fds[from];
	l->fd_slot[l->pfd[to].fd] = to + 1;
}

void sync_loop_fd_del(struct sync_loop *l, int fd)
{
	unsigned int i = loop_fd_index(l, fd);

	if (!i)
		return;
	l->fd_slot[fd] = 0;
	if (l->in_fds) {
		/* indexes stay put while the polled entries are walked */
		l->pfd[i - 1].fd = -1;
		l->fd_dead = 1;
		return;
	}
	if (i != l->nfd)
		loop_fd_move(l, l->nfd - 1, i - 1);
	l->nfd--;
}

static void loop_fd_compact(struct sync_loop *l)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < l->nfd; i++) {
		if (l->pfd[i].fd < 0)
			continue;
		if (i != n)
			loop_fd_move(l, i, n);
		n++;
	}
	l->nfd = n;
	l->fd_dead = 0;
}

/* Calls back the first @n entries (those polled) that have events. */
static void loop_fd_dispatch(struct sync_loop *l, unsigned int n)
{
	l->in_fds = 1;
	for (unsigned int i = 0; i < n && !l->stop; i++) {
		struct pollfd p = l->pfd[i];
		struct loop_fd f = l->fds[i];
		unsigned int rev;

		/* interest may have shrunk since the poll */
		rev = (unsigned int)p.revents &
		      ((unsigned int)p.events | POLLERR | POLLHUP | POLLNVAL);
		if (p.fd < 0 || !rev)
			continue;
		f.cb(l, p.fd, rev, f.arg);
	}
	l->in_fds = 0;
	if (l->fd_dead)
		loop_fd_compact(l);
}

/* ---- steps ------------------------------------------------------------ */

int sync_loop_step_add(struct sync_loop *l, sync_loop_step_cb cb, void *arg)
{
	struct loop_step *steps;

	if (!cb)
		return -EINVAL;
	steps = sync_loop_grow(l->steps, &l->step_cap, l->nstep + 1,
			       sizeof(*steps));
	if (!steps)
		return -ENOMEM;
	l->steps = steps;
	l->steps[l->nstep++] = (struct loop_step){ .cb = cb, .arg = arg };
	return 0;
}

static void loop_step_compact(struct sync_loop *l)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < l->nstep; i++)
		if (l->steps[i].cb)
			l->steps[n++] = l->steps[i];
	l->nstep = n;
	l->step_dead = 0;
}

void sync_loop_step_del(struct sync_loop *l, sync_loop_step_cb cb,
			void *arg)
{
	for (unsigned int i = 0; i < l->nstep; i++) {
		if (l->steps[i].cb == cb && l->steps[i].arg == arg) {
			l->steps[i].cb = NULL;
			l->step_dead = 1;
		}
	}
	if (l->step_dead && !l->in_steps)
		loop_step_compact(l);
}

int sync_loop_busy(const struct sync_loop *l)
{
	return l->nstep != 0;
}

/* One call of each step queued before the walk began, in order.
 * Returns how many were queued. */
static unsigned int loop_step_dispatch(struct sync_loop *l)
{
	unsigned int n = l->nstep;

	l->in_steps = 1;
	for (unsigned int i = 0; i < n && !l->stop; i++) {
		struct loop_step s = l->steps[i];

		if (!s.cb || s.cb(l, s.arg))
			continue;
		/* done; unless it already removed itself */
		if (l->steps[i].cb) {
			l->steps[i].cb = NULL;
			l->step_dead = 1;
		}
	}
	l->in_steps = 0;
	if (l->step_dead)
		loop_step_compact(l);
	return n;
}

/* ---- running ---------------------------------------------------------- */

/* The poll timeout in microseconds: none while steps wait, else until
 * the first timer, else @cap (UINT64_MAX: forever). */
static uint64_t loop_timeout(const struct sync_loop *l, uint64_t cap)
{
	uint64_t now, d;

	if (l->nstep)
		return 0;
	if (!l->nheap)
		return cap;
	now = sync_loop_now();
	d = l->heap[0]->expires > now ? l->heap[0]->expires - now : 0;
	return d < cap ? d : cap;
}

/* One iteration, polling for at most @cap microseconds. Returns the
 * work done (descriptors ready, timers fired, steps called) or -errno. */
static int loop_once(struct sync_loop *l, uint64_t cap)
{
	uint64_t d = loop_timeout(l, cap);
	struct timespec ts, *tsp = NULL;
	unsigned int n = l->nfd, done;
	int r;

	if (d != UINT64_MAX) {
		if (d / 1000000u > INT_MAX)
			d = (uint64_t)INT_MAX * 1000000u;
		ts.tv_sec = (time_t)(d / 1000000u);
		ts.tv_nsec = (long)(d % 1000000u) * 1000;
		tsp = &ts;
	}
	r = ppoll(l->pfd, n, tsp, NULL);
	if (r < 0 && errno != EINTR)
		return -errno;
	done = r > 0 ? (unsigned int)r : 0;
	if (r > 0)
		loop_fd_dispatch(l, n);
	done += sync_loop_timer_fire(l);
	done += loop_step_dispatch(l);
	return done > INT_MAX ? INT_MAX : (int)done;
}

int sync_loop_run(struct sync_loop *l)
{
	int err = 0;

	if (l->running)
		return -EBUSY;
	l->running = 1;
	while (!l->stop && (l->nfd || l->nheap || l->nstep)) {
		int r = loop_once(l, UINT64_MAX);

		if (r < 0) {
			err = r;
			break;
		}
	}
	l->stop = 0;
	l->running = 0;
	return err;
}

int sync_loop_run_once(struct sync_loop *l, uint64_t max_usec)
{
	int r;

	if (l->running)
		return -EBUSY;
	if (l->stop) {
		l->stop = 0;
		return 0;
	}
	l->running = 1;
	r = loop_once(l, max_usec);
	l->stop = 0;
	l->running = 0;
	return r;
}

void sync_loop_stop(struct sync_loop *l)
{
	l->stop = 1;
}

void sync_loop_free(struct sync_loop *l)
{
	if (!l)
		return;
	sync_loop_signal_clear(l);
	sync_loop_timer_clear(l);
	free(l->heap);
	free(l->steps);
	free(l->pfd);
	free(l->fds);
	free(l->fd_slot);
	free(l);
}
