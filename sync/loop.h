/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's one event loop: descriptors with a callback each, timers
 * kept in one ordered structure (no syscall per timer), and deferred work
 * ("steps") that runs a bounded slice per wakeup so a long job (a dump to
 * a client, a flush, a commit) never keeps the loop from reading events
 * or serving other clients. Signals are turned into flags by their
 * handlers and into callbacks by the loop. The loop owns nothing but its
 * registrations; the objects behind them belong to their modules.
 */
#ifndef RAWCT_SYNC_LOOP_H
#define RAWCT_SYNC_LOOP_H

#include <stdint.h>

struct sync_loop;

/* Events of a descriptor (as poll(2): POLLIN, POLLOUT; POLLERR/POLLHUP
 * are always reported). */
typedef void (*sync_loop_fd_cb)(struct sync_loop *l, int fd,
				unsigned int revents, void *arg);
typedef void (*sync_loop_timer_cb)(struct sync_loop *l, void *arg);
/* A step: do a bounded slice of work; return 1 to be called again on the
 * next iteration, 0 when done (then it is unregistered). */
typedef int (*sync_loop_step_cb)(struct sync_loop *l, void *arg);
typedef void (*sync_loop_signal_cb)(struct sync_loop *l, int signo,
				    void *arg);

/* A timer, embedded in its owner; zero it (or sync_loop_timer_init)
 * before the first use. */
struct sync_loop_timer {
	uint64_t expires;		/* monotonic, microseconds */
	sync_loop_timer_cb cb;
	void *arg;
	unsigned int slot;		/* position in the loop's heap + 1;
					 * 0 = not armed */
};

/* Returns 0 and a new loop in *@out, or -ENOMEM. */
int sync_loop_new(struct sync_loop **out);
/* Frees the loop (not the objects registered); accepts NULL. */
void sync_loop_free(struct sync_loop *l);

/* Watch @fd for @events (POLLIN|POLLOUT). Returns 0, -EEXIST, -ENOMEM. */
int sync_loop_fd_add(struct sync_loop *l, int fd, unsigned int events,
		     sync_loop_fd_cb cb, void *arg);
/* Change the events watched. Returns 0 or -ENOENT. */
int sync_loop_fd_mod(struct sync_loop *l, int fd, unsigned int events);
/* Stop watching @fd (safe from inside any callback). */
void sync_loop_fd_del(struct sync_loop *l, int fd);

void sync_loop_timer_init(struct sync_loop_timer *t, sync_loop_timer_cb cb,
			  void *arg);
/* Arm (or re-arm) @t to fire once after @usec microseconds. Returns 0 or
 * -ENOMEM. */
int sync_loop_timer_add(struct sync_loop *l, struct sync_loop_timer *t,
			uint64_t usec);
/* Disarm; no-op when not armed. */
void sync_loop_timer_del(struct sync_loop *l, struct sync_loop_timer *t);
/* Whether @t is armed. */
int sync_loop_timer_pending(const struct sync_loop_timer *t);

/* Queue a step (deferred bounded work). Returns 0 or -ENOMEM. */
int sync_loop_step_add(struct sync_loop *l, sync_loop_step_cb cb, void *arg);
/* Remove every step registered with this @cb and @arg. */
void sync_loop_step_del(struct sync_loop *l, sync_loop_step_cb cb,
			void *arg);

/* Deliver @signo through @cb from the loop (the handler only sets a
 * flag). Returns 0 or -errno from sigaction. */
int sync_loop_signal(struct sync_loop *l, int signo, sync_loop_signal_cb cb,
		     void *arg);

/* Monotonic time in microseconds, as the timers count. */
uint64_t sync_loop_now(void);

/* Run until sync_loop_stop(). Returns 0, or -errno if poll fails for a
 * reason other than EINTR. */
int sync_loop_run(struct sync_loop *l);
void sync_loop_stop(struct sync_loop *l);

#endif
