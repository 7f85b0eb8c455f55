// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Healing after lost messages (sync/heal.h): the request with its token,
 * its answer (bulk, then the ACK with the token), the sweep of what the
 * answer did not bring, and the retries when the answer itself lost
 * messages or never came.
 */
#include "sync/heal.h"
#include "sync/sync_int.h"

#define HEAL_USEC	2000000		/* the answer's wait, then once more */

/* Asks the peer for its whole cache (a RESYNC with a token): what is
 * heard of from now on carries a new mark. */
static void ask(struct sync_heal *h)
{
	struct sync_state *s = h->s;

	if (++h->tokens == 0)
		h->tokens = 1;
	h->token = h->tokens;
	h->tries++;
	h->again = 0;
	s->ext_mark++;
	sync_tx_ctl(s, SYNC_F_RESYNC, h->token, h->token);
	sync_loop_timer_add(s->d->loop, &h->timer, HEAL_USEC);
}

/* Lossy answers SYNC_HEAL_TRIES times in a row: the stale stay until the
 * next loss or -n. */
static void gave_up(struct sync_heal *h)
{
	sync_log(&h->s->d->log, SYNC_LOG_WARNING, "resync from the other "
		 "node incomplete after %d requests, giving up until the next "
		 "loss; stale entries may remain", SYNC_HEAL_TRIES);
}

/* No answer (the request lost, or an upstream peer): once more, then
 * give up until the next loss; as long as messages are being lost, up
 * to SYNC_HEAL_TRIES requests in all. */
static void timeout(struct sync_loop *l, void *arg)
{
	struct sync_heal *h = arg;

	(void)l;
	if (!h->token)
		return;
	h->token = 0;
	if (h->tries < 2 || (h->again && h->tries < SYNC_HEAL_TRIES))
		ask(h);
	else if (h->again)
		gave_up(h);
}

/* The answer to our request came after the bulk: drop the stale, or,
 * if messages were lost meanwhile, ask again. */
static void healed(struct sync_heal *h)
{
	struct sync_state *s = h->s;
	unsigned int gone;

	sync_loop_timer_del(s->d->loop, &h->timer);
	h->token = 0;
	if (h->again) {
		if (h->tries < SYNC_HEAL_TRIES) {
			sync_log(&s->d->log, SYNC_LOG_NOTICE, "messages from "
				 "the other node were lost during the resync, "
				 "asking again");
			ask(h);
		} else {
			gave_up(h);
		}
		return;
	}
	h->tries = 0;
	gone = sync_external_sweep(s);
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "resync from the other node "
		 "complete, %u stale entries dropped", gone);
}

void sync_heal_init(struct sync_heal *h, struct sync_state *s,
		    void (*bulk)(struct sync_state *s))
{
	*h = (struct sync_heal){ .s = s, .bulk = bulk };
	sync_loop_timer_init(&h->timer, timeout, h);
}

void sync_heal_fini(struct sync_heal *h)
{
	if (h->s)
		sync_loop_timer_del(h->s->d->loop, &h->timer);
}

void sync_heal_request(struct sync_heal *h)
{
	h->tries = 0;
	ask(h);
}

int sync_heal_pending(const struct sync_heal *h)
{
	return h->token != 0;
}

int sync_heal_lost(struct sync_heal *h)
{
	int lost = h->s->rcv_lost != h->lost_seen;

	h->lost_seen = h->s->rcv_lost;
	if (lost && h->token)
		h->again = 1;
	return lost;
}

int sync_heal_ctl(struct sync_heal *h, const struct sync_msg_hdr *m)
{
	struct sync_state *s = h->s;

	if (m->type != SYNC_T_CTL)
		return 0;
	if (m->flags & SYNC_F_RESYNC) {
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "resync requested by "
			 "other node");
		h->bulk(s);
		/* ours asked with a token: the bulk is out, say so (a
		 * kernel table's bulk is a dump still running, and so is
		 * the start-up dump that fills the internal cache: no
		 * answer, the peer asks again two seconds later) */
		if (m->from && s->int_ct && !s->dump_populate)
			sync_tx_ctl(s, SYNC_F_ACK, m->from, m->to);
		return 1;
	}
	if ((m->flags & SYNC_F_ACK) && h->token && m->from == h->token &&
	    m->to == h->token) {
		healed(h);
		return 1;
	}
	return 0;
}

void sync_heal_after(struct sync_heal *h, int lost, int pending)
{
	if (!lost || pending || h->token)
		return;
	sync_log(&h->s->d->log, SYNC_LOG_NOTICE, "messages from the other "
		 "node were lost, asking for a resync");
	h->tries = 0;
	ask(h);
}
