// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bulk sends (upstream's internal cache bulk: -B, a peer's resync
 * request, a NACK for what fell out of the resend queue, a peer's new
 * life), and FTFW's resend of what fell out of its resend queue (the
 * objects marked so, sync_bulk_marked). With a sub-mode whose messages
 * are acknowledged (FTFW's sub->bulk_window) every one is paced: the
 * cache goes out BULK_SLICE objects at a time, each slice sent as soon
 * as it is queued (while it is in the CPU's cache), and the walk waits
 * whenever that many messages are unacknowledged, going on once the
 * peer's acknowledgements bring them below half (sync_bulk_acked), or
 * BULK_WAIT_USEC later at the latest, so that a peer that never answers
 * still gets it all (as fast as its resend queue lets it); each such
 * timeout doubles the window for the rest of the walk (a peer whose
 * ACKWindowSize is larger than ours acknowledges only that late), and
 * each NACK halves it, the doublings undone (the peer's receive buffer
 * overflowed: an upstream backup NACKs a gap once, and a resend lost
 * again stays lost until the next resync). A walk starts at a quarter
 * of its window and doubles it at each ACK that lets it go on, until
 * the first NACK: the first burst fits a default receive buffer (an
 * upstream backup at rmem_default missed flows for good after 3 of 36
 * bulks of 30000 without it, none of 36 with it).
 * Upstream sends it all at once: a backup busy with other work when it
 * comes drops what overflows its receive buffer, and a small resend
 * queue overflows; the NACKs that follow name messages no longer
 * queued, each asks for another bulk, which overflows again. A walk
 * asked for while a marked walk or another full one is going restarts
 * it from the start (a full one), or runs once it ends (a marked one:
 * what fell out behind the cursor). Without a window (NOTRACK, ALARM),
 * a client's -B goes out slice by slice at once, the other bulks (inside
 * a channel's handler) are queued for the next transmit run.
 */
#include "sync/sync_int.h"

/* Objects queued between drains: a slice of the cache that its build
 * finds in the CPU's cache (a few tens of kB). */
#define BULK_SLICE	256
#define BULK_WAIT_USEC	20000
#define BULK_SHIFT_MAX	8	/* the window grows up to 256 times */
#define BULK_CUT_MAX	8	/* and is halved down to 1/256 */
#define BULK_LEAST	256
#define BULK_START_CUT	2	/* a walk starts at a quarter */

static int bulk_obj(struct sync_cache *c, struct sync_cache_obj *o,
		    void *arg)
{
	struct sync_state *s = arg;

	(void)c;
	if (s->bulk_marked) {
		struct sync_txnode *n = sync_obj_node(o);

		if (!n->resend)
			return 0;
		n->resend = 0;
	}
	s->sub->enqueue(s, o);
	return 0;
}

/* The sub-mode's window, doubled for each timeout so far, never more
 * than three quarters of a bounded resend queue (the rest is room for
 * the events that come meanwhile): a walk never pushes its own messages
 * out of it while the peer acknowledges, however late. Once a wait ends
 * on its timer without a single ACK (a peer whose ACKWindowSize is
 * larger than that, or one that does not answer), the window is no
 * longer held under the queue: waiting for acknowledgements that only
 * come after more messages would stall the walk, so it goes on as
 * upstream's does, as fast as the queue lets it (what falls out is sent
 * again once the peer is heard from). 0: none. */
static uint32_t bulk_window(const struct sync_state *s)
{
	uint32_t win = s->sub->bulk_window ? s->sub->bulk_window(s) : 0;
	uint32_t cap = s->rs.max && !s->bulk_unheld ?
		       s->rs.max - s->rs.max / 4 : UINT32_MAX;
	uint32_t least = 2 * s->conf->sync.ack_window;

	if (!win)
		return 0;
	/* halved for each NACK (sync_bulk_nacked), to twice the peer's
	 * ACK window at least (below, it would acknowledge only after a
	 * timeout), or BULK_LEAST */
	if (least < BULK_LEAST)
		least = BULK_LEAST;
	if (least > win)
		least = win;
	win >>= s->bulk_cut;
	if (win < least)
		win = least;
	win = win > UINT32_MAX >> s->bulk_shift ? UINT32_MAX :
					win << s->bulk_shift;
	return win < cap ? win : cap;
}

/* Messages of ours the peer has not acknowledged yet, the ones still
 * to go out included. */
static uint32_t in_flight(const struct sync_state *s)
{
	return s->rs.len + s->tx.len;
}

/* A waiting walk goes on below this: half its window, or once the peer
 * has acknowledged all it would (an ACKWindowSize as ours leaves fewer
 * than that many unacknowledged: with a window under twice that, half
 * of it would wait for the timer). */
static uint32_t bulk_resume(const struct sync_state *s, uint32_t win)
{
	uint32_t ack = s->conf->sync.ack_window;

	if (ack > win / 2 && ack <= win)
		return ack;
	return win / 2 ? win / 2 : 1;
}

static void walk_start(struct sync_state *s, int marked);
static int bulk_step(struct sync_loop *l, void *arg);

/* Slices until the cache is done or the window is full (a slice never
 * takes more than the room left); the last datagram goes with the
 * transmit run kicked at the end. */
static void bulk_go(struct sync_state *s)
{
	uint32_t win = bulk_window(s), budget;

	sync_loop_timer_del(s->d->loop, &s->bulk_timer);
	while (s->bulk_on) {
		budget = BULK_SLICE;
		if (win && in_flight(s) >= win) {
			s->bulk_heard = 0;
			sync_loop_timer_add(s->d->loop, &s->bulk_timer,
					    BULK_WAIT_USEC);
			break;
		}
		if (win && win - in_flight(s) < budget)
			budget = win - in_flight(s);
		if (!s->int_ct || sync_cache_iter(s->int_ct, &s->bulk_cursor,
						  budget, bulk_obj,
						  s) != 1)
			s->bulk_on = 0;
		sync_tx_drain(s);
	}
	if (!s->bulk_on && s->bulk_again) {
		s->bulk_again = 0;
		walk_start(s, 1);
		return;
	}
	sync_tx_kick(s);
}

static void bulk_timer(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;

	(void)l;
	if (s->bulk_shift < BULK_SHIFT_MAX)
		s->bulk_shift++;
	if (!s->bulk_heard)
		s->bulk_unheld = 1;
	bulk_go(s);
}

static int bulk_step(struct sync_loop *l, void *arg)
{
	(void)l;
	bulk_go(arg);
	return 0;
}

void sync_bulk_stop(struct sync_state *s)
{
	s->bulk_on = 0;
	sync_loop_timer_del(s->d->loop, &s->bulk_timer);
	sync_loop_step_del(s->d->loop, bulk_step, s);
}

void sync_bulk_acked(struct sync_state *s)
{
	uint32_t win;

	if (!s->bulk_on || !sync_loop_timer_pending(&s->bulk_timer))
		return;		/* not waiting, or its step is queued */
	s->bulk_heard = 1;
	win = bulk_window(s);
	if (in_flight(s) >= bulk_resume(s, win))
		return;
	sync_loop_timer_del(s->d->loop, &s->bulk_timer);
	if (s->bulk_grow && s->bulk_cut)
		s->bulk_cut--;
	if (sync_loop_step_add(s->d->loop, bulk_step, s) < 0)
		sync_loop_timer_add(s->d->loop, &s->bulk_timer, 0);
}

/* The walk of the conntrack cache, from its start: every object, or
 * the @marked ones; paced as bulk_go does, from a loop step (never
 * inside the handler of a channel, whose sends could close it under
 * the handler's feet). */
static void walk_start(struct sync_state *s, int marked)
{
	s->bulk_cursor = 0;
	s->bulk_shift = 0;
	s->bulk_cut = BULK_START_CUT;
	s->bulk_grow = 1;
	s->bulk_unheld = 0;
	s->bulk_marked = (uint8_t)marked;
	s->bulk_on = 1;
	sync_loop_timer_init(&s->bulk_timer, bulk_timer, s);
	if (sync_loop_step_add(s->d->loop, bulk_step, s) < 0)
		sync_loop_timer_add(s->d->loop, &s->bulk_timer, 0);
}

void sync_bulk_nacked(struct sync_state *s)
{
	uint32_t was;

	if (!s->bulk_on || s->bulk_cut >= BULK_CUT_MAX)
		return;
	was = bulk_window(s);
	s->bulk_shift = 0;
	s->bulk_grow = 0;
	s->bulk_cut++;
	if (bulk_window(s) < was)
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "the peer missed "
			 "messages: bulk paced at %u unacknowledged",
			 bulk_window(s));
}

/* Every internal object queued; with @paced, the conntrack cache's
 * sent as bulk_go does. */
static void bulk_start(struct sync_state *s, int paced)
{
	uint32_t cursor = 0;

	if (s->dump_populate) {
		/* the start-up dump has not filled the cache yet: the whole
		 * of it goes once it has (-B, a peer's resync request) */
		s->bulk_deferred = 1;
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "bulk update deferred "
			 "until the initial dump of the kernel table ends");
		return;
	}
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "sending bulk update");
	sync_bulk_stop(s);	/* this one covers what it had left */
	s->bulk_again = 0;
	s->bulk_marked = 0;
	if (s->int_exp)
		while (sync_cache_iter(s->int_exp, &cursor, UINT32_MAX,
				       bulk_obj, s) == 1)
			;
	if (paced && s->int_ct) {
		walk_start(s, 0);
		return;
	}
	cursor = 0;
	if (s->int_ct)
		while (sync_cache_iter(s->int_ct, &cursor, UINT32_MAX,
				       bulk_obj, s) == 1)
			;
}

static int paced(const struct sync_state *s)
{
	return s->sub->bulk_window && s->sub->bulk_window(s);
}

void sync_internal_bulk(struct sync_state *s)
{
	bulk_start(s, paced(s));
}

void sync_bulk_paced(struct sync_state *s)
{
	bulk_start(s, 1);
}

void sync_bulk_marked(struct sync_state *s)
{
	uint32_t cursor = 0;
	uint8_t was = s->bulk_marked;	/* of a walk going */

	if (s->int_exp) {
		s->bulk_marked = 1;
		while (sync_cache_iter(s->int_exp, &cursor, UINT32_MAX,
				       bulk_obj, s) == 1)
			;
		s->bulk_marked = was;
	}
	if (!s->int_ct)
		return;
	if (s->bulk_on) {
		/* this walk may be past some of them: another after it */
		s->bulk_again = 1;
		return;
	}
	if (paced(s)) {
		walk_start(s, 1);
		return;
	}
	s->bulk_marked = 1;
	cursor = 0;
	while (sync_cache_iter(s->int_ct, &cursor, UINT32_MAX, bulk_obj,
			       s) == 1)
		;
	s->bulk_marked = 0;
}
