/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the files of the event loop (loop.c: descriptors,
 * steps and the run; loop_timer.c: the timer heap; loop_signal.c: the
 * signalfd): the loop's struct and the hooks one part calls in another.
 * Not for other modules.
 */
#ifndef RAWCT_SYNC_LOOP_INT_H
#define RAWCT_SYNC_LOOP_INT_H

#include <poll.h>
#include <signal.h>
#include <stddef.h>

#include "sync/loop.h"

struct loop_fd {
	sync_loop_fd_cb cb;
	void *arg;
};

struct loop_step {
	sync_loop_step_cb cb;		/* NULL: removed, compacted later */
	void *arg;
};

struct loop_sig {
	sync_loop_signal_cb cb;		/* NULL: not delivered by the loop */
	void *arg;
};

struct sync_loop {
	struct pollfd *pfd;		/* fd -1: removed during dispatch */
	struct loop_fd *fds;		/* the callback of pfd[i] */
	unsigned int nfd, fd_cap;
	unsigned int *fd_slot;		/* fd -> index + 1; 0: not watched */
	unsigned int fd_slot_cap;
	int in_fds, fd_dead;

	struct sync_loop_timer **heap;	/* binary min-heap on expires */
	unsigned int nheap, heap_cap;

	struct loop_step *steps;
	unsigned int nstep, step_cap;
	int in_steps, step_dead;

	int sig_fd;			/* signalfd, -1 before the first */
	sigset_t sig_set;		/* the signals it reads */
	sigset_t sig_kept;		/* of those, blocked before us */
	struct loop_sig sig[NSIG];

	int stop, running;
};

/* Makes room for @want elements of @size in array @p of capacity *@cap
 * (doubling). Returns the array, maybe moved, or NULL with @p and *@cap
 * left as they were. */
void *sync_loop_grow(void *p, unsigned int *cap, unsigned int want,
		     size_t size);

/* Fires the timers that are due (loop_timer.c); returns how many. */
unsigned int sync_loop_timer_fire(struct sync_loop *l);
/* Disarms every timer still armed, at free (loop_timer.c). */
void sync_loop_timer_clear(struct sync_loop *l);

/* Stops reading signals: drops what is queued, restores the mask and
 * closes the signalfd, at free (loop_signal.c). */
void sync_loop_signal_clear(struct sync_loop *l);

#endif
