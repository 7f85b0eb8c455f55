// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event loop's signals, read from a signalfd(2): a signal given to
 * sync_loop_signal() is blocked (in the calling thread, whose mask the
 * threads it starts later inherit) and arrives as a record on a descriptor
 * the loop watches like any other, so its callback runs from the loop
 * with nothing done in a handler. That needs no global: a self-pipe would
 * need its write end in a static for the handler to find. The signals
 * that were not blocked before are unblocked again when the loop is freed,
 * after what is still queued for them is dropped (it was meant for the
 * loop, not for the default action).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "sync/loop.h"
#include "sync/loop_int.h"

/* Reads every queued signal and calls its callback. */
static void loop_sig_read(struct sync_loop *l, int fd, unsigned int revents,
			  void *arg)
{
	struct signalfd_siginfo si[8];
	ssize_t n;

	while ((n = read(fd, si, sizeof(si))) > 0) {
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			unsigned int s = si[i].ssi_signo;

			if (s < NSIG && l->sig[s].cb)
				l->sig[s].cb(l, (int)s, l->sig[s].arg);
		}
		if ((size_t)n < sizeof(si))
			break;
	}
}

/* Points the signalfd at sig_set, creating and watching it first. */
static int loop_sig_fd(struct sync_loop *l)
{
	int fd = signalfd(l->sig_fd, &l->sig_set, SFD_NONBLOCK | SFD_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	if (l->sig_fd >= 0)
		return 0;
	err = sync_loop_fd_add(l, fd, POLLIN, loop_sig_read, NULL);
	if (err) {
		close(fd);
		return err;
	}
	l->sig_fd = fd;
	return 0;
}

/* Blocks @signo (remembering whether it was already) and reads it. */
static int loop_sig_on(struct sync_loop *l, int signo)
{
	sigset_t one, old;
	int err;

	if (sigismember(&l->sig_set, signo))
		return 0;
	sigemptyset(&one);
	sigaddset(&one, signo);
	err = pthread_sigmask(SIG_BLOCK, &one, &old);
	if (err)
		return -err;
	if (sigismember(&old, signo))
		sigaddset(&l->sig_kept, signo);
	sigaddset(&l->sig_set, signo);
	err = loop_sig_fd(l);
	if (err)
		goto unblock;
	return 0;
unblock:
	sigdelset(&l->sig_set, signo);
	if (!sigismember(&l->sig_kept, signo))
		pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	sigdelset(&l->sig_kept, signo);
	return err;
}

/* Drops what is queued for @set's signals, then unblocks those that were
 * not blocked before the loop (what was queued was meant for the loop,
 * not for the default action). */
static void loop_sig_off(struct sync_loop *l, const sigset_t *set)
{
	sigset_t unblock;
	struct timespec zero = { 0, 0 };

	sigemptyset(&unblock);
	for (int s = 1; s < NSIG; s++) {
		if (!sigismember(set, s))
			continue;
		sigdelset(&l->sig_set, s);
		if (!sigismember(&l->sig_kept, s))
			sigaddset(&unblock, s);
		sigdelset(&l->sig_kept, s);
		l->sig[s] = (struct loop_sig){ 0 };
	}
	while (sigtimedwait(&unblock, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
	if (l->sig_fd >= 0)
		signalfd(l->sig_fd, &l->sig_set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int sync_loop_signal(struct sync_loop *l, int signo, sync_loop_signal_cb cb,
		     void *arg)
{
	sigset_t one;
	int err;

	if (signo <= 0 || signo >= NSIG || signo == SIGKILL ||
	    signo == SIGSTOP)
		return -EINVAL;
	if (!cb) {
		sigemptyset(&one);
		sigaddset(&one, signo);
		if (sigismember(&l->sig_set, signo))
			loop_sig_off(l, &one);
		return 0;
	}
	err = loop_sig_on(l, signo);
	if (err)
		return err;
	l->sig[signo] = (struct loop_sig){ .cb = cb, .arg = arg };
	return 0;
}

void sync_loop_signal_clear(struct sync_loop *l)
{
	sigset_t all = l->sig_set;

	if (l->sig_fd < 0)
		return;
	loop_sig_off(l, &all);
	close(l->sig_fd);
	l->sig_fd = -1;
}
