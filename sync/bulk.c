// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bulk sends (upstream's internal cache bulk: -B, a peer's resync
 * request, a NACK for what fell out of the resend queue, a peer's new
 * life): every internal object queued. A client's -B is also paced: the
 * cache goes out BULK_SLICE objects at a time, each slice sent as soon
 * as it is queued (while it is in the CPU's cache), and with a sub-mode
 * whose messages are acknowledged (FTFW's sub->bulk_window) it waits
 * whenever that many are unacknowledged, going on once the peer's
 * acknowledgements bring them below half (sync_bulk_acked), or
 * BULK_WAIT_USEC later at the latest, so that a peer that never answers
 * still gets it all (as fast as its resend queue lets it); each such
 * timeout doubles the window for the rest of the bulk (a peer whose
 * ACKWindowSize is larger than ours acknowledges only that late).
 * Upstream sends it all at once: a backup busy with other work when it
 * comes drops what overflows its receive buffer, and the NACKs and
 * resends that follow cost more than the waits. The other bulks run
 * inside a channel's handler and only queue, for the next transmit run.
 */
#include "sync/sync_int.h"

/* Objects queued between drains: a slice of the cache that its build
 * finds in the CPU's cache (a few tens of kB). */
#define BULK_SLICE	256
#define BULK_WAIT_USEC	20000
#define BULK_SHIFT_MAX	8	/* the window grows up to 256 times */

static int bulk_obj(struct sync_cache *c, struct sync_cache_obj *o,
		    void *arg)
{
	struct sync_state *s = arg;

	(void)c;
	s->sub->enqueue(s, o);
	return 0;
}

/* The sub-mode's window, doubled for each timeout so far; 0: none. */
static uint32_t bulk_window(const struct sync_state *s)
{
	uint32_t win = s->sub->bulk_window ? s->sub->bulk_window(s) : 0;

	if (win > UINT32_MAX >> s->bulk_shift)
		return UINT32_MAX;
	return win << s->bulk_shift;
}

/* Slices until the cache is done or the window is full; the last
 * datagram goes with the transmit run kicked at the end. */
static void bulk_go(struct sync_state *s)
{
	uint32_t win = bulk_window(s);

	sync_loop_timer_del(s->d->loop, &s->bulk_timer);
	while (s->bulk_on) {
		if (win && s->rs.len >= win) {
			sync_loop_timer_add(s->d->loop, &s->bulk_timer,
					    BULK_WAIT_USEC);
			break;
		}
		if (!s->int_ct || sync_cache_iter(s->int_ct, &s->bulk_cursor,
						  BULK_SLICE, bulk_obj,
						  s) != 1)
			s->bulk_on = 0;
		sync_tx_drain(s);
	}
	sync_tx_kick(s);
}

static void bulk_timer(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;

	(void)l;
	if (s->bulk_shift < BULK_SHIFT_MAX)
		s->bulk_shift++;
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
	win = bulk_window(s);
	if (s->rs.len >= win / 2)
		return;
	sync_loop_timer_del(s->d->loop, &s->bulk_timer);
	if (sync_loop_step_add(s->d->loop, bulk_step, s) < 0)
		sync_loop_timer_add(s->d->loop, &s->bulk_timer, 0);
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
	if (s->int_exp)
		while (sync_cache_iter(s->int_exp, &cursor, UINT32_MAX,
				       bulk_obj, s) == 1)
			;
	if (paced && s->int_ct) {
		s->bulk_cursor = 0;
		s->bulk_shift = 0;
		s->bulk_on = 1;
		sync_loop_timer_init(&s->bulk_timer, bulk_timer, s);
		bulk_go(s);
		return;
	}
	cursor = 0;
	if (s->int_ct)
		while (sync_cache_iter(s->int_ct, &cursor, UINT32_MAX,
				       bulk_obj, s) == 1)
			;
}

void sync_internal_bulk(struct sync_state *s)
{
	bulk_start(s, 0);
}

void sync_bulk_paced(struct sync_state *s)
{
	bulk_start(s, 1);
}
