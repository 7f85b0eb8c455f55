// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NOTRACK (spec 2.9; upstream sync-notrack.c): best effort. Each change
 * is sent once, nothing is acknowledged; an ALIVE every second tells the
 * peer the link works; a RESYNC request (-n, StartupResync) makes the
 * peer send its whole internal cache (or, without one, its kernel table).
 *
 * Ours, healing after a loss: a gap in the peer's sequence numbers (a
 * link cut, a full buffer) makes us ask for a resync ourselves, as `-n`
 * does, with a token in the request's from/to (upstream sends 0 and
 * ignores them). Our peer answers a request with a token by the bulk
 * and then an ACK carrying the token; every external object heard of
 * since the request is then current, and those that were not (flows
 * that ended while messages were lost) are dropped: 0 missing and 0
 * stale. Upstream's peer sends the bulk only; its missing flows come,
 * its stale ones stay, as with upstream. `-n` uses the same exchange.
 * Messages lost while the answer is awaited (the bulk itself, or what
 * came between) make the answer incomplete: nothing is dropped then,
 * and the request is made again, up to TRIES_MAX times in a row.
 */
#include <errno.h>
#include <stdlib.h>

#include "sync/ctl.h"
#include "sync/kernel.h"
#include "sync/sync_int.h"

#define ALIVE_USEC	1000000
#define HEAL_USEC	2000000		/* the answer's wait, then once more */
#define TRIES_MAX	4		/* requests in a row for lossy answers */

struct notrack {
	struct sync_loop_timer alive;
	struct sync_loop_timer heal;	/* the answer to our request */
	uint32_t token;			/* of the request unanswered, 0 none */
	uint32_t tokens;		/* the last one given */
	uint8_t tries;			/* requests of this episode */
	uint8_t again;			/* loss while the answer was awaited */
	uint64_t lost_seen;		/* s->rcv_lost when last looked */
};

/* Asks the peer for its whole cache (a RESYNC with a token): what is
 * heard of from now on carries a new mark. */
static void ask_resync(struct sync_state *s, struct notrack *n)
{
	if (++n->tokens == 0)
		n->tokens = 1;
	n->token = n->tokens;
	n->tries++;
	n->again = 0;
	s->ext_mark++;
	sync_tx_ctl(s, SYNC_F_RESYNC, n->token, n->token);
	sync_loop_timer_add(s->d->loop, &n->heal, HEAL_USEC);
}

/* Lossy answers TRIES_MAX times in a row: the stale stay until the next
 * loss or -n. */
static void gave_up(struct sync_state *s)
{
	sync_log(&s->d->log, SYNC_LOG_WARNING, "resync from the other node "
		 "incomplete after %d requests, giving up until the next "
		 "loss; stale entries may remain", TRIES_MAX);
}

/* No answer (the request lost, or an upstream peer): once more, then
 * give up until the next loss; as long as messages are being lost, up
 * to TRIES_MAX requests in all. */
static void heal_timeout(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;
	struct notrack *n = s->sub_priv;

	(void)l;
	if (!n->token)
		return;
	n->token = 0;
	if (n->tries < 2 || (n->again && n->tries < TRIES_MAX))
		ask_resync(s, n);
	else if (n->again)
		gave_up(s);
}

/* The answer to our request came after the bulk: drop the stale, or,
 * if messages were lost meanwhile, ask again. */
static void healed(struct sync_state *s, struct notrack *n)
{
	unsigned int gone;

	sync_loop_timer_del(s->d->loop, &n->heal);
	n->token = 0;
	if (n->again) {
		if (n->tries < TRIES_MAX) {
			sync_log(&s->d->log, SYNC_LOG_NOTICE, "messages from "
				 "the other node were lost during the resync, "
				 "asking again");
			ask_resync(s, n);
		} else {
			gave_up(s);
		}
		return;
	}
	n->tries = 0;
	gone = sync_external_sweep(s);
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "resync from the other node "
		 "complete, %u stale entries dropped", gone);
}

static void alive(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;
	struct notrack *n = s->sub_priv;

	sync_tx_ctl(s, SYNC_F_ALIVE, 0, 0);
	sync_loop_timer_add(l, &n->alive, ALIVE_USEC);
}

static int notrack_init(struct sync_state *s)
{
	struct notrack *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	s->sub_priv = n;
	sync_loop_timer_init(&n->alive, alive, s);
	sync_loop_timer_init(&n->heal, heal_timeout, s);
	return sync_loop_timer_add(s->d->loop, &n->alive, ALIVE_USEC);
}

static void notrack_fini(struct sync_state *s)
{
	struct notrack *n = s->sub_priv;

	if (!n)
		return;
	sync_loop_timer_del(s->d->loop, &n->alive);
	sync_loop_timer_del(s->d->loop, &n->heal);
	free(n);
	s->sub_priv = NULL;
}

/* A bulk send: the internal cache, or without one the kernel table;
 * @now as sync_internal_bulk's. */
static void bulk(struct sync_state *s, int now)
{
	if (s->int_ct)
		sync_internal_bulk(s, now);
	else
		sync_kernel_resync(s->d->kernel, SYNC_K_CT);
}

static int notrack_request(struct sync_state *s, struct sync_client *cl,
			   int code)
{
	(void)cl;
	switch (code) {
	case SYNC_REQUEST_DUMP:
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "resync requested");
		((struct notrack *)s->sub_priv)->tries = 0;
		ask_resync(s, s->sub_priv);
		return SYNC_REQ_DONE;
	case SYNC_SEND_BULK:
		bulk(s, 1);
		return SYNC_REQ_DONE;
	}
	return SYNC_REQ_UNKNOWN;
}

static int notrack_recv(struct sync_state *s, const struct sync_msg_hdr *h)
{
	struct notrack *n = s->sub_priv;
	int rx = SYNC_RX_BAD, lost, pending = n->token != 0;

	sync_seq_track(s, h->seq);
	/* a loss seen on this very message (the answer's ACK after lost
	 * bulk messages) makes the answer incomplete too */
	lost = s->rcv_lost != n->lost_seen;
	n->lost_seen = s->rcv_lost;
	if (lost && pending)
		n->again = 1;
	if (sync_msg_is_data(h)) {
		rx = SYNC_RX_DATA;
	} else if (h->type == SYNC_T_CTL && (h->flags & SYNC_F_RESYNC)) {
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "resync requested by "
			 "other node");
		bulk(s, 0);
		/* ours asked with a token: the bulk is out, say so (a
		 * kernel table's bulk is a dump still running, and so is
		 * the start-up dump that fills the internal cache: no
		 * answer, the peer asks again two seconds later) */
		if (h->from && s->int_ct && !s->dump_populate)
			sync_tx_ctl(s, SYNC_F_ACK, h->from, h->to);
		rx = SYNC_RX_CTL;
	} else if (h->type == SYNC_T_CTL && (h->flags & SYNC_F_ALIVE)) {
		rx = SYNC_RX_CTL;
	} else if (h->type == SYNC_T_CTL && (h->flags & SYNC_F_ACK) &&
		   n->token && h->from == n->token && h->to == n->token) {
		healed(s, n);
		rx = SYNC_RX_CTL;
	}
	if (rx != SYNC_RX_BAD)
		sync_seq_update(s, h->seq);
	/* messages were lost: ask for everything, once per episode */
	if (lost && !pending && !n->token) {
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "messages from the other "
			 "node were lost, asking for a resync");
		n->tries = 0;
		ask_resync(s, n);
	}
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

	return n->token != 0;
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
