/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's one event loop: descriptors with a callback each, timers
 * kept in one ordered structure (no syscall per timer), and deferred work
 * ("steps") that runs a bounded slice per wakeup so a long job (a dump to
 * a client, a flush, a commit) never keeps the loop from reading events
 * or serving other clients. Signals are blocked and read from a
 * signalfd, so their callbacks run from the loop and no handler runs at
 * all. The loop owns nothing but its registrations; the objects behind
 * them belong to their modules. Every registration may be added, changed
 * or removed from inside any callback, its own included.
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

/* Watch @fd for @events (POLLIN|POLLOUT). Returns 0, -EEXIST (@fd is
 * watched already), -EBADF (@fd < 0), -EINVAL (@cb NULL), -ENOMEM. A
 * descriptor added from a callback is first polled on the next
 * iteration; POLLNVAL is reported too (a descriptor closed but not
 * removed), and the callback must then remove it. */
int sync_loop_fd_add(struct sync_loop *l, int fd, unsigned int events,
		     sync_loop_fd_cb cb, void *arg);
/* Change the events watched. Returns 0 or -ENOENT. */
int sync_loop_fd_mod(struct sync_loop *l, int fd, unsigned int events);
/* Stop watching @fd (safe from inside any callback: a descriptor removed
 * during dispatch is not called back, even when it was ready, and the
 * number may be added again at once). */
void sync_loop_fd_del(struct sync_loop *l, int fd);

void sync_loop_timer_init(struct sync_loop_timer *t, sync_loop_timer_cb cb,
			  void *arg);
/* Arm (or re-arm) @t to fire once after @usec microseconds. Returns 0 or
 * -ENOMEM. Timers fire in order of expiry, no earlier than it; one armed
 * for 0 from a timer callback fires on the next iteration. */
int sync_loop_timer_add(struct sync_loop *l, struct sync_loop_timer *t,
			uint64_t usec);
/* Disarm; no-op when not armed. */
void sync_loop_timer_del(struct sync_loop *l, struct sync_loop_timer *t);
/* Whether @t is armed. */
int sync_loop_timer_pending(const struct sync_loop_timer *t);

/* Queue a step (deferred bounded work). Returns 0, -EINVAL (@cb NULL)
 * or -ENOMEM. Each step queued is called once per iteration, in the
 * order queued (a step added during an iteration starts on the next);
 * the same @cb and @arg queued twice are called twice. */
int sync_loop_step_add(struct sync_loop *l, sync_loop_step_cb cb, void *arg);
/* Remove every step registered with this @cb and @arg. */
void sync_loop_step_del(struct sync_loop *l, sync_loop_step_cb cb,
			void *arg);
/* Whether steps are queued: the loop does not sleep then. */
int sync_loop_busy(const struct sync_loop *l);

/* Deliver @signo through @cb from the loop: the signal is blocked in the
 * calling thread (threads started later inherit that) and read from a
 * signalfd the loop watches, so nothing runs in a signal handler. A NULL
 * @cb stops that: what is queued for @signo is dropped and it is unblocked
 * unless it was blocked before. sync_loop_free() does so for all.
 * Returns 0, -EINVAL (SIGKILL, SIGSTOP, out of range), or -errno from
 * pthread_sigmask, signalfd or the registration of its descriptor. */
int sync_loop_signal(struct sync_loop *l, int signo, sync_loop_signal_cb cb,
		     void *arg);

/* Monotonic time in microseconds, as the timers count. */
uint64_t sync_loop_now(void);

/* Run until sync_loop_stop() (or nothing at all is registered). An
 * iteration polls (not sleeping while steps are queued), calls back the
 * ready descriptors, fires the due timers and calls each step once.
 * Returns 0, -EBUSY if already running, or -errno if poll fails for a
 * reason other than EINTR. */
int sync_loop_run(struct sync_loop *l);
/*
 * sync_loop_run_once - one iteration of sync_loop_run(), its poll
 * sleeping @max_usec microseconds at most (0: not at all; UINT64_MAX:
 * as sync_loop_run() would), for a caller that interleaves work of its
 * own with the loop's: tests, and the fuzzer, which runs a daemon on
 * socketpairs until it is idle. Returns the work done: descriptors that
 * were ready plus timers fired plus steps called (0: the loop was idle
 * for that long), -EBUSY inside sync_loop_run(), or -errno if poll fails
 * for a reason other than EINTR. A sync_loop_stop() ends the iteration
 * as it ends sync_loop_run(), and one requested before the call makes it
 * return 0 at once; either way the stop is consumed.
 */
int sync_loop_run_once(struct sync_loop *l, uint64_t max_usec);

/* Makes sync_loop_run() return after the callback in progress (the
 * rest of that iteration is skipped); the loop may be run again. A stop
 * requested before sync_loop_run() makes it return at once. */
void sync_loop_stop(struct sync_loop *l);

#endif
