// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NOTRACK (spec 2.9; upstream sync-notrack.c): best effort. Each change
 * is sent once, nothing is acknowledged; an ALIVE every second tells the
 * peer the link works; a RESYNC request (-n, StartupResync) makes the
 * peer send its whole internal cache (or, without one, its kernel table).
 *
 * Ours, healing after a loss (sync/heal.h): a gap in the peer's
 * sequence numbers (a link cut, a full buffer) makes us ask for a resync
 * ourselves, as `-n` does, with a token; our peer answers by the bulk
 * and the token, and the stale are dropped: 0 missing and 0 stale.
 * Upstream's peer sends the bulk only; its missing flows come, its stale
 * ones stay, as with upstream. `-n` uses the same exchange.
 */
#include <errno.h>
#include <stdlib.h>

#include "sync/ctl.h"
#include "sync/heal.h"
#include "sync/kernel.h"
#include "sync/sync_int.h"

#define ALIVE_USEC	1000000

struct notrack {
	struct sync_loop_timer alive;
	struct sync_heal heal;
};

static void alive(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;
	struct notrack *n = s->sub_priv;

	sync_tx_ctl(s, SYNC_F_ALIVE, 0, 0);
	sync_loop_timer_add(l, &n->alive, ALIVE_USEC);
}

/* A bulk send: the internal cache, or without one the kernel table;
 * @paced: a client's -B (sync_bulk_paced). */
static void bulk_send(struct sync_state *s, int paced)
{
	if (s->int_ct && paced)
		sync_bulk_paced(s);
	else if (s->int_ct)
		sync_internal_bulk(s);
	else
		sync_kernel_resync(s->d->kernel, SYNC_K_CT);
}

/* The peer's resync request (sync_heal, inside the channel's handler):
 * queued only. */
static void bulk(struct sync_state *s)
{
	bulk_send(s, 0);
}

static int notrack_init(struct sync_state *s)
{
	struct notrack *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	s->sub_priv = n;
	sync_loop_timer_init(&n->alive, alive, s);
	sync_heal_init(&n->heal, s, bulk);
	return sync_loop_timer_add(s->d->loop, &n->alive, ALIVE_USEC);
}

static void notrack_fini(struct sync_state *s)
{
	struct notrack *n = s->sub_priv;

	if (!n)
		return;
	sync_loop_timer_del(s->d->loop, &n->alive);
	sync_heal_fini(&n->heal);
	free(n);
	s->sub_priv = NULL;
}

static int notrack_request(struct sync_state *s, struct sync_client *cl,
			   int code)
{
	struct notrack *n = s->sub_priv;

	(void)cl;
	switch (code) {
	case SYNC_REQUEST_DUMP:
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "resync requested");
		sync_heal_request(&n->heal);
		return SYNC_REQ_DONE;
	case SYNC_SEND_BULK:
		bulk_send(s, 1);
		return SYNC_REQ_DONE;
	}
	return SYNC_REQ_UNKNOWN;
}

static int notrack_recv(struct sync_state *s, const struct sync_msg_hdr *h)
{
	struct notrack *n = s->sub_priv;
	int rx = SYNC_RX_BAD, lost, pending = sync_heal_pending(&n->heal);

	sync_seq_track(s, h->seq);
	/* a loss seen on this very message (the answer's ACK after lost
	 * bulk messages) makes the answer incomplete too */
	lost = sync_heal_lost(&n->heal);
	if (sync_msg_is_data(h))
		rx = SYNC_RX_DATA;
	else if (sync_heal_ctl(&n->heal, h))
		rx = SYNC_RX_CTL;
	else if (h->type == SYNC_T_CTL && (h->flags & SYNC_F_ALIVE))
		rx = SYNC_RX_CTL;
	if (rx != SYNC_RX_BAD)
		sync_seq_update(s, h->seq);
	/* messages were lost: ask for everything, once per episode */
	sync_heal_after(&n->heal, lost, pending);
	return rx;
}

static void notrack_enqueue(struct sync_state *s, struct sync_cache_obj *o)
{
	sync_tx_obj(s, o);
}

static int notrack_sent(struct sync_state *s, struct sync_txnode *n)
{
	(void)s;
	(void)n;
	return 0;
}

static void notrack_after_xmit(struct sync_state *s)
{
	struct notrack *n = s->sub_priv;

	sync_loop_timer_add(s->d->loop, &n->alive, ALIVE_USEC);
}

static int notrack_resyncing(struct sync_state *s)
{
	const struct notrack *n = s->sub_priv;

	return sync_heal_pending(&n->heal);
}

const struct sync_sub sync_sub_notrack = {
	.name = "notrack",
	.init = notrack_init,
	.fini = notrack_fini,
	.request = notrack_request,
	.recv = notrack_recv,
	.enqueue = notrack_enqueue,
	.sent = notrack_sent,
	.after_xmit = notrack_after_xmit,
	.resyncing = notrack_resyncing,
};
