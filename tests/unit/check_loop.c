// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/loop: timers fire in order of expiry and never
 * early, re-arm, are deleted from inside callbacks, and 10k of them with
 * random expiries (some deleted, some moved) fire sorted; descriptors
 * with pipes, one removed (and its number reused) from inside another's
 * callback, interest changed; steps interleaved round-robin with the
 * descriptors served meanwhile, ending when they return 0 or are removed;
 * stop; one iteration at a time (sync_loop_run_once); and a signal raised before the run arriving through its callback
 * from the loop, with the mask restored when the loop is freed.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "sync/loop.h"
#include "tests/unit/suites.h"

/* ---- timers ---------------------------------------------------------- */

#define NT	10000

struct tfix;

struct tref {
	struct tfix *f;
	unsigned int i;
};

struct tfix {
	struct sync_loop *l;
	struct tref refs[NT];	/* the callback argument of t[i] */
	struct sync_loop_timer t[NT];
	uint64_t fired_at[NT];	/* sync_loop_now() in the callback */
	unsigned int order[NT];	/* indexes in firing order */
	unsigned int nfired;
	unsigned int stop_after;	/* stop once this many fired */
	unsigned int rearm;		/* re-arms left (test_timer_rearm) */
};

static void on_timer(struct sync_loop *l, void *arg)
{
	struct tref *r = arg;
	struct tfix *f = r->f;

	ck_assert(!sync_loop_timer_pending(&f->t[r->i]));
	f->fired_at[r->i] = sync_loop_now();
	f->order[f->nfired++] = r->i;
	if (f->nfired == f->stop_after)
		sync_loop_stop(l);
}

static struct tfix *tfix_new(unsigned int n)
{
	struct tfix *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(sync_loop_new(&f->l), 0);
	for (unsigned int i = 0; i < n; i++) {
		f->refs[i] = (struct tref){ .f = f, .i = i };
		sync_loop_timer_init(&f->t[i], on_timer, &f->refs[i]);
	}
	return f;
}

static void tfix_free(struct tfix *f)
{
	sync_loop_free(f->l);
	free(f);
}

/* Armed 3, 1 and 2 ms ahead: fired 1, 2, 3, none before its expiry. */
START_TEST(test_timer_order)
{
	struct tfix *f = tfix_new(3);
	static const uint64_t usec[3] = { 3000, 1000, 2000 };

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[i], usec[i]),
				 0);
	ck_assert(sync_loop_timer_pending(&f->t[0]));
	f->stop_after = 3;
	ck_assert_int_eq(sync_loop_run(f->l), 0);
	ck_assert_uint_eq(f->nfired, 3);
	ck_assert_uint_eq(f->order[0], 1);
	ck_assert_uint_eq(f->order[1], 2);
	ck_assert_uint_eq(f->order[2], 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_ge(f->fired_at[i], f->t[i].expires);
		ck_assert(!sync_loop_timer_pending(&f->t[i]));
	}
	tfix_free(f);
}
END_TEST

static void on_rearm(struct sync_loop *l, void *arg)
{
	struct tfix *f = arg;

	f->nfired++;
	if (f->rearm--)
		ck_assert_int_eq(sync_loop_timer_add(l, &f->t[0], 200), 0);
	else
		sync_loop_stop(l);
}

/* A timer re-arming itself from its callback fires again each time; one
 * re-armed while armed moves (later here) instead of firing twice. */
START_TEST(test_timer_rearm)
{
	struct tfix *f = tfix_new(3);

	sync_loop_timer_init(&f->t[0], on_rearm, f);
	f->rearm = 5;
	ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[0], 100), 0);
	ck_assert_int_eq(sync_loop_run(f->l), 0);
	ck_assert_uint_eq(f->nfired, 6);

	f->nfired = 0;
	f->stop_after = 2;
	ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[1], 1000), 0);
	ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[2], 2000), 0);
	ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[1], 3000), 0);
	ck_assert_int_eq(sync_loop_run(f->l), 0);
	ck_assert_uint_eq(f->nfired, 2);
	ck_assert_uint_eq(f->order[0], 2);
	ck_assert_uint_eq(f->order[1], 1);
	tfix_free(f);
}
END_TEST

struct killer {
	struct sync_loop_timer self, *victims[2];
	int fired;
};

static void on_killer(struct sync_loop *l, void *arg)
{
	struct killer *k = arg;

	k->fired++;
	for (int i = 0; i < 2; i++)
		sync_loop_timer_del(l, k->victims[i]);
	/* re-armed, then disarmed again: must not fire a second time */
	ck_assert_int_eq(sync_loop_timer_add(l, &k->self, 0), 0);
	sync_loop_timer_del(l, &k->self);
	sync_loop_timer_del(l, &k->self);
}

/* A callback deletes two armed timers (one due in the same pass) and
 * itself after re-arming: none of them fires; a later one still does. */
START_TEST(test_timer_del_inside)
{
	struct tfix *f = tfix_new(3);
	struct killer k = { .victims = { &f->t[0], &f->t[1] } };

	sync_loop_timer_init(&k.self, on_killer, &k);
	ck_assert_int_eq(sync_loop_timer_add(f->l, &k.self, 1000), 0);
	ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[0], 1001), 0);
	ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[1], 2000), 0);
	ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[2], 6000), 0);
	/* the victim due with the killer is overdue by the time we run */
	usleep(2500);
	f->stop_after = 1;
	ck_assert_int_eq(sync_loop_run(f->l), 0);
	ck_assert_int_eq(k.fired, 1);
	ck_assert_uint_eq(f->nfired, 1);
	ck_assert_uint_eq(f->order[0], 2);
	ck_assert(!sync_loop_timer_pending(&f->t[0]));
	ck_assert(!sync_loop_timer_pending(&f->t[1]));
	ck_assert(!sync_loop_timer_pending(&k.self));
	tfix_free(f);
}
END_TEST

/* 10k timers at random expiries within 30 ms, every 7th deleted and
 * every 5th moved before the run: the rest fire exactly once, sorted by
 * expiry, none early. */
START_TEST(test_timer_many)
{
	struct tfix *f = tfix_new(NT);
	unsigned int seed = 12345, want = 0;
	unsigned char *seen = calloc(NT, 1);

	for (unsigned int i = 0; i < NT; i++)
		ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[i],
				 (uint64_t)(rand_r(&seed) % 30000)), 0);
	for (unsigned int i = 0; i < NT; i++) {
		if (i % 7 == 0)
			sync_loop_timer_del(f->l, &f->t[i]);
		else if (i % 5 == 0)
			ck_assert_int_eq(sync_loop_timer_add(f->l, &f->t[i],
					 (uint64_t)(rand_r(&seed) % 30000)),
					 0);
		want += i % 7 != 0;
	}
	f->stop_after = want;
	ck_assert_int_eq(sync_loop_run(f->l), 0);
	ck_assert_uint_eq(f->nfired, want);
	ck_assert_ptr_nonnull(seen);
	for (unsigned int k = 0; k < f->nfired; k++) {
		unsigned int i = f->order[k];

		ck_assert_uint_ne(i % 7, 0);
		ck_assert(!seen[i]);
		seen[i] = 1;
		ck_assert_uint_ge(f->fired_at[i], f->t[i].expires);
		if (k)
			ck_assert_uint_le(f->t[f->order[k - 1]].expires,
					  f->t[i].expires);
	}
	free(seen);
	tfix_free(f);
}
END_TEST

/* ---- descriptors ----------------------------------------------------- */

struct pfix {
	int p[3][2];		/* pipes */
	int calls[3];
	unsigned int rev[3];
	int newfd;		/* the pipe made from inside a callback */
	int new_calls;
	struct sync_loop_timer stopper;
};

static void on_stop(struct sync_loop *l, void *arg)
{
	sync_loop_stop(l);
}

static void on_new(struct sync_loop *l, int fd, unsigned int rev, void *arg)
{
	struct pfix *f = arg;
	char c;

	f->new_calls++;
	ck_assert_int_eq(read(fd, &c, 1), 1);
}

/* Reads its byte, then removes the other pipe, closes it and watches a
 * fresh empty pipe, most likely under the closed number. */
static void on_read(struct sync_loop *l, int fd, unsigned int rev, void *arg)
{
	struct pfix *f = arg;
	int me = fd == f->p[0][0] ? 0 : 1, other = !me;
	int np[2];
	char c;

	f->calls[me]++;
	f->rev[me] = rev;
	ck_assert_int_eq(read(fd, &c, 1), 1);
	if (f->p[other][0] < 0)
		return;
	sync_loop_fd_del(l, f->p[other][0]);
	close(f->p[other][0]);
	ck_assert_int_eq(pipe(np), 0);
	f->newfd = np[0];
	ck_assert_int_eq(sync_loop_fd_add(l, np[0], POLLIN, on_new, f), 0);
	f->p[other][0] = -1;
	close(f->p[other][1]);
	f->p[other][1] = np[1];
}

static void pfix_open(struct pfix *f, int n)
{
	*f = (struct pfix){ .newfd = -1 };
	for (int i = 0; i < 3; i++)
		f->p[i][0] = f->p[i][1] = -1;
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(pipe(f->p[i]), 0);
	sync_loop_timer_init(&f->stopper, on_stop, NULL);
}

static void pfix_close(struct pfix *f, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < 2; j++)
			if (f->p[i][j] >= 0)
				close(f->p[i][j]);
	if (f->newfd >= 0)
		close(f->newfd);
}

/* Two pipes ready in the same poll: the first called removes the other,
 * which is then not called; the number it frees, added again at once for
 * an empty pipe, gets none of the stale events. */
START_TEST(test_fd_del_other)
{
	struct sync_loop *l;
	struct pfix f;

	pfix_open(&f, 2);
	ck_assert_int_eq(sync_loop_new(&l), 0);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(write(f.p[i][1], "x", 1), 1);
		ck_assert_int_eq(sync_loop_fd_add(l, f.p[i][0], POLLIN,
						  on_read, &f), 0);
	}
	ck_assert_int_eq(sync_loop_fd_add(l, f.p[0][0], POLLIN, on_read, &f),
			 -EEXIST);
	ck_assert_int_eq(sync_loop_timer_add(l, &f.stopper, 20000), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(f.calls[0] + f.calls[1], 1);
	ck_assert_uint_eq(f.rev[0] | f.rev[1], POLLIN);
	ck_assert_int_eq(f.new_calls, 0);
	/* the new pipe is watched: data on it is reported */
	ck_assert_int_eq(write(f.calls[0] ? f.p[1][1] : f.p[0][1], "y", 1), 1);
	ck_assert_int_eq(sync_loop_timer_add(l, &f.stopper, 20000), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_gt(f.new_calls, 0);
	sync_loop_free(l);
	pfix_close(&f, 2);
}
END_TEST

/* Reads its byte; the first one called removes another ready pipe
 * (without closing it, so a stale call would be seen). */
static void on_read_del(struct sync_loop *l, int fd, unsigned int rev,
			void *arg)
{
	struct pfix *f = arg;
	int me = 0;
	char c;

	while (f->p[me][0] != fd)
		me++;
	f->calls[me]++;
	ck_assert_int_eq(read(fd, &c, 1), 1);
	if (f->newfd < 0) {
		f->newfd = (me + 2) % 3;	/* the victim's index */
		sync_loop_fd_del(l, f->p[f->newfd][0]);
	}
}

/* Three pipes ready in one poll; whichever the first callback removes is
 * not called, each of the other two exactly once. */
START_TEST(test_fd_del_three)
{
	struct sync_loop *l;
	struct pfix f;

	pfix_open(&f, 3);
	ck_assert_int_eq(sync_loop_new(&l), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(write(f.p[i][1], "x", 1), 1);
		ck_assert_int_eq(sync_loop_fd_add(l, f.p[i][0], POLLIN,
						  on_read_del, &f), 0);
	}
	ck_assert_int_eq(sync_loop_timer_add(l, &f.stopper, 20000), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(f.calls[i], (i == f.newfd) ? 0 : 1);
	f.newfd = -1;
	sync_loop_free(l);
	pfix_close(&f, 3);
}
END_TEST

static void on_write(struct sync_loop *l, int fd, unsigned int rev,
		     void *arg)
{
	struct pfix *f = arg;

	f->calls[0]++;
	f->rev[0] = rev;
	ck_assert_int_eq(sync_loop_fd_mod(l, fd, 0), 0);
}

/* A pipe's write end is writable until its interest is dropped; an
 * unknown descriptor cannot be changed, a negative one not added. */
START_TEST(test_fd_mod)
{
	struct sync_loop *l;
	struct pfix f;

	pfix_open(&f, 1);
	ck_assert_int_eq(sync_loop_new(&l), 0);
	ck_assert_int_eq(sync_loop_fd_add(l, -1, POLLIN, on_write, &f),
			 -EBADF);
	ck_assert_int_eq(sync_loop_fd_mod(l, f.p[0][1], POLLOUT), -ENOENT);
	ck_assert_int_eq(sync_loop_fd_add(l, f.p[0][1], POLLOUT, on_write,
					  &f), 0);
	ck_assert_int_eq(sync_loop_timer_add(l, &f.stopper, 20000), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(f.calls[0], 1);
	ck_assert_uint_eq(f.rev[0], POLLOUT);
	sync_loop_fd_del(l, f.p[0][1]);
	ck_assert_int_eq(sync_loop_fd_mod(l, f.p[0][1], POLLOUT), -ENOENT);
	sync_loop_free(l);
	pfix_close(&f, 1);
}
END_TEST

/* ---- steps ----------------------------------------------------------- */

struct sfix {
	char seq[64];
	unsigned int n;
	int left[2];		/* calls left for step A and B */
	int rfd;
};

static void note(struct sfix *s, char c)
{
	ck_assert_uint_lt(s->n, sizeof(s->seq) - 1);
	s->seq[s->n++] = c;
}

static int step_a(struct sync_loop *l, void *arg)
{
	struct sfix *s = arg;

	note(s, 'A');
	return --s->left[0] > 0;
}

static int step_b(struct sync_loop *l, void *arg)
{
	struct sfix *s = arg;

	note(s, 'B');
	if (--s->left[1] > 0)
		return 1;
	sync_loop_stop(l);
	return 0;
}

static void on_fd_note(struct sync_loop *l, int fd, unsigned int rev,
		       void *arg)
{
	char c;

	note(arg, 'F');
	ck_assert_int_eq(read(fd, &c, 1), 1);
}

/* Steps of 3 and 5 calls alternate, one call each per iteration, then
 * the longer runs alone; a ready pipe is served in the first iteration
 * (poll does not wait for the steps to finish, nor they for it). */
START_TEST(test_steps)
{
	struct sync_loop *l;
	struct sfix s = { .left = { 3, 5 } };
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(sync_loop_new(&l), 0);
	ck_assert_int_eq(sync_loop_step_add(l, NULL, &s), -EINVAL);
	ck_assert_int_eq(sync_loop_busy(l), 0);
	ck_assert_int_eq(sync_loop_step_add(l, step_a, &s), 0);
	ck_assert_int_eq(sync_loop_busy(l), 1);
	ck_assert_int_eq(sync_loop_step_add(l, step_b, &s), 0);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(sync_loop_fd_add(l, p[0], POLLIN, on_fd_note, &s), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_str_eq(s.seq, "FABABABBB");
	ck_assert_int_eq(sync_loop_busy(l), 0);
	sync_loop_free(l);
	close(p[0]);
	close(p[1]);
}
END_TEST

static int step_killer(struct sync_loop *l, void *arg)
{
	struct sfix *s = arg;

	note(s, 'K');
	sync_loop_step_del(l, step_b, s);
	if (--s->left[0] > 0)
		return 1;
	sync_loop_stop(l);
	return 0;
}

/* A step removes another queued after it (and one queued twice, both):
 * that one is never called, not even in the iteration of the removal. */
START_TEST(test_step_del)
{
	struct sync_loop *l;
	struct sfix s = { .left = { 3, 5 } };

	ck_assert_int_eq(sync_loop_new(&l), 0);
	ck_assert_int_eq(sync_loop_step_add(l, step_killer, &s), 0);
	ck_assert_int_eq(sync_loop_step_add(l, step_b, &s), 0);
	ck_assert_int_eq(sync_loop_step_add(l, step_b, &s), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_str_eq(s.seq, "KKK");
	/* nothing left: an empty loop returns at once */
	ck_assert_int_eq(sync_loop_run(l), 0);
	sync_loop_free(l);
}
END_TEST

/* ---- stop, reentry --------------------------------------------------- */

static int step_rerun(struct sync_loop *l, void *arg)
{
	*(int *)arg = sync_loop_run(l);
	sync_loop_stop(l);
	return 0;
}

/* A stop asked before the run returns at once (a ready pipe is not
 * served); after that the loop runs again; running it from inside
 * itself is refused. */
START_TEST(test_stop)
{
	struct sync_loop *l;
	struct pfix f;
	int inner = 0;

	pfix_open(&f, 1);
	ck_assert_int_eq(sync_loop_new(&l), 0);
	ck_assert_int_eq(write(f.p[0][1], "x", 1), 1);
	ck_assert_int_eq(sync_loop_fd_add(l, f.p[0][0], POLLIN, on_read, &f),
			 0);
	sync_loop_stop(l);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(f.calls[0], 0);
	ck_assert_int_eq(sync_loop_timer_add(l, &f.stopper, 5000), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(f.calls[0], 1);
	ck_assert_int_eq(sync_loop_step_add(l, step_rerun, &inner), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(inner, -EBUSY);
	sync_loop_free(l);
	pfix_close(&f, 1);
}
END_TEST

static int step_note(struct sync_loop *l, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int step_once(struct sync_loop *l, void *arg)
{
	*(int *)arg = sync_loop_run_once(l, 0);
	return 0;
}

/* One iteration at a time: idle is 0 without sleeping; a ready pipe, a
 * due timer and a step each count as work; the poll waits for a timer
 * but no longer than asked; a stop asked before is consumed; it is
 * refused inside sync_loop_run(). */
START_TEST(test_run_once)
{
	struct sync_loop *l;
	struct pfix f;
	uint64_t t0;
	int inner = 0;

	pfix_open(&f, 1);
	ck_assert_int_eq(sync_loop_new(&l), 0);
	ck_assert_int_eq(sync_loop_run_once(l, 0), 0);
	ck_assert_int_eq(sync_loop_fd_add(l, f.p[0][0], POLLIN, on_read, &f),
			 0);
	t0 = sync_loop_now();
	ck_assert_int_eq(sync_loop_run_once(l, 20000), 0);
	ck_assert_uint_ge(sync_loop_now() - t0, 20000);
	ck_assert_int_eq(write(f.p[0][1], "x", 1), 1);
	ck_assert_int_eq(sync_loop_run_once(l, UINT64_MAX), 1);
	ck_assert_int_eq(f.calls[0], 1);
	ck_assert_int_eq(sync_loop_run_once(l, 0), 0);
	/* a timer: waited for within the cap, fired, counted */
	sync_loop_timer_init(&f.stopper, on_stop, NULL);
	ck_assert_int_eq(sync_loop_timer_add(l, &f.stopper, 10000), 0);
	ck_assert_int_eq(sync_loop_run_once(l, 0), 0);
	ck_assert_int_eq(sync_loop_run_once(l, 1000000), 1);
	ck_assert(!sync_loop_timer_pending(&f.stopper));
	/* the timer's stop was consumed: the next iteration runs */
	ck_assert_int_eq(write(f.p[0][1], "y", 1), 1);
	ck_assert_int_eq(sync_loop_run_once(l, 0), 1);
	ck_assert_int_eq(f.calls[0], 2);
	/* a stop asked before: nothing served, then consumed */
	ck_assert_int_eq(write(f.p[0][1], "z", 1), 1);
	sync_loop_stop(l);
	ck_assert_int_eq(sync_loop_run_once(l, 0), 0);
	ck_assert_int_eq(f.calls[0], 2);
	ck_assert_int_eq(sync_loop_run_once(l, 0), 1);
	ck_assert_int_eq(f.calls[0], 3);
	/* a step counts (and keeps poll from sleeping); inside run: busy */
	ck_assert_int_eq(sync_loop_step_add(l, step_note, &inner), 0);
	t0 = sync_loop_now();
	ck_assert_int_eq(sync_loop_run_once(l, 1000000), 1);
	ck_assert_uint_lt(sync_loop_now() - t0, 500000);
	ck_assert_int_eq(inner, 1);
	ck_assert_int_eq(sync_loop_run_once(l, 0), 0);
	ck_assert_int_eq(sync_loop_step_add(l, step_once, &inner), 0);
	ck_assert_int_eq(sync_loop_timer_add(l, &f.stopper, 5000), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(inner, -EBUSY);
	sync_loop_free(l);
	pfix_close(&f, 1);
}
END_TEST

struct starve {
	struct sync_loop_timer t;
	int ticks, iterations;
};

/* Re-arms itself for now, forever. */
static void on_spin(struct sync_loop *l, void *arg)
{
	struct starve *s = arg;

	s->ticks++;
	ck_assert_int_eq(sync_loop_timer_add(l, &s->t, 0), 0);
}

/* Called once per iteration: counts them, stops at the 1000th. */
static int step_count(struct sync_loop *l, void *arg)
{
	struct starve *s = arg;

	if (++s->iterations < 1000)
		return 1;
	sync_loop_stop(l);
	return 0;
}

/* A timer re-arming itself for "now" fires once per iteration, however
 * fast the clock reads the same microsecond: the loop goes on polling. */
START_TEST(test_timer_no_starve)
{
	struct sync_loop *l;
	struct starve s = { .ticks = 0 };

	ck_assert_int_eq(sync_loop_new(&l), 0);
	sync_loop_timer_init(&s.t, on_spin, &s);
	ck_assert_int_eq(sync_loop_timer_add(l, &s.t, 0), 0);
	ck_assert_int_eq(sync_loop_step_add(l, step_count, &s), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(s.iterations, 1000);
	ck_assert_int_eq(s.ticks, 1000);
	sync_loop_free(l);
	ck_assert(!sync_loop_timer_pending(&s.t));
}
END_TEST

/* ---- signals --------------------------------------------------------- */

struct sigfix {
	int calls, signo;
};

static void on_signal(struct sync_loop *l, int signo, void *arg)
{
	struct sigfix *s = arg;

	s->calls++;
	s->signo = signo;
	sync_loop_stop(l);
}

static int blocked(int signo)
{
	sigset_t cur;

	ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, NULL, &cur), 0);
	return sigismember(&cur, signo);
}

/* SIGUSR1 raised before the run calls nothing until the loop reads it;
 * then its callback runs once, from the loop. SIGUSR2, blocked before the
 * loop took it, stays blocked after the free; SIGUSR1 is unblocked. */
START_TEST(test_signal)
{
	struct sync_loop *l;
	struct sigfix s = { 0 }, s2 = { 0 };
	sigset_t two;

	sigemptyset(&two);
	sigaddset(&two, SIGUSR2);
	ck_assert_int_eq(pthread_sigmask(SIG_BLOCK, &two, NULL), 0);
	ck_assert_int_eq(sync_loop_new(&l), 0);
	ck_assert_int_eq(sync_loop_signal(l, SIGKILL, on_signal, &s), -EINVAL);
	ck_assert_int_eq(sync_loop_signal(l, 0, on_signal, &s), -EINVAL);
	ck_assert_int_eq(sync_loop_signal(l, SIGUSR1, on_signal, &s), 0);
	ck_assert_int_eq(sync_loop_signal(l, SIGUSR2, on_signal, &s2), 0);
	ck_assert(blocked(SIGUSR1));
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(s.calls, 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(s.calls, 1);
	ck_assert_int_eq(s.signo, SIGUSR1);
	ck_assert_int_eq(s2.calls, 0);
	/* queued when the loop is freed: dropped, not the default action */
	ck_assert_int_eq(raise(SIGUSR1), 0);
	sync_loop_free(l);
	ck_assert(!blocked(SIGUSR1));
	ck_assert(blocked(SIGUSR2));
}
END_TEST

/* With the callback taken away, the signal is unblocked and no longer
 * read; given back, it is read again. */
START_TEST(test_signal_off)
{
	struct sync_loop *l;
	struct sigfix s = { 0 };

	ck_assert_int_eq(sync_loop_new(&l), 0);
	ck_assert_int_eq(sync_loop_signal(l, SIGUSR1, on_signal, &s), 0);
	ck_assert_int_eq(sync_loop_signal(l, SIGUSR1, NULL, NULL), 0);
	ck_assert(!blocked(SIGUSR1));
	ck_assert_int_eq(sync_loop_signal(l, SIGUSR1, on_signal, &s), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(sync_loop_run(l), 0);
	ck_assert_int_eq(s.calls, 1);
	sync_loop_free(l);
}
END_TEST

Suite *loop_suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("loop");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_timer_order);
	tcase_add_test(tc, test_timer_rearm);
	tcase_add_test(tc, test_timer_del_inside);
	tcase_add_test(tc, test_timer_many);
	tcase_add_test(tc, test_timer_no_starve);
	tcase_add_test(tc, test_fd_del_other);
	tcase_add_test(tc, test_fd_del_three);
	tcase_add_test(tc, test_fd_mod);
	tcase_add_test(tc, test_steps);
	tcase_add_test(tc, test_step_del);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_run_once);
	tcase_add_test(tc, test_signal);
	tcase_add_test(tc, test_signal_off);
	suite_add_tcase(s, tc);
	return s;
}
