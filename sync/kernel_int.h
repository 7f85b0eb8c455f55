/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside conntrackd's kernel side (sync/kernel.h): the state that the
 * event socket (sync/kernel.c) and the table jobs, resync dumps and
 * selective flushes (sync/kernel_jobs.c), share.
 */
#ifndef RAWCT_SYNC_KERNEL_INT_H
#define RAWCT_SYNC_KERNEL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ct/batch.h"
#include "ct/event.h"
#include "nl/step.h"
#include "sync/kernel.h"
#include "sync/loop.h"

enum { JOB_NONE, JOB_RESYNC, JOB_FLUSH };

struct sync_kernel {
	struct sync_daemon *d;
	struct ct_event_src *ev;
	struct nl_sock *dump;
	struct nl_bg *bg;		/* receives dump's replies, or NULL */
	struct nl_sock *flush;
	struct nl_sock *origin[SYNC_ORIGIN_INJECT + 1];
	int expect;
	size_t bufsize;
	int warned;
	unsigned int busy;		/* wakeups that left events queued */
	struct sync_loop_timer resync_timer, poll_timer;
	struct sync_loop_timer quiet_timer;	/* no overrun for a while */
	struct sync_loop_timer nap_timer;	/* events left to gather */
	unsigned int want_resync, want_flush;	/* SYNC_K_* queued */
	struct {
		uint8_t kind;			/* JOB_* running */
		uint8_t table;			/* SYNC_K_CT or _EXP */
		uint8_t retried;
		struct nl_step st;
	} job;
	struct ct_batch batch;
	_Alignas(8) unsigned char batch_buf[CT_BATCH_BUF];
};

/* Starts the next queued job when none runs (resync before flush). */
void sync_kernel_job_next(struct sync_kernel *k);

/* The descriptor a running job waits on: the dump socket's, or its
 * receiver's (sync_kernel_threads()). */
int sync_kernel_job_fd(const struct sync_kernel *k);

#endif
