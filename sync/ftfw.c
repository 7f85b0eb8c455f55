// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * FTFW (spec 2.8; upstream sync-ftfw.c): reliable replication. Every
 * message carries the sender's next sequence number; the receiver
 * acknowledges windows of ACKWindowSize messages (ACK from..to) and asks
 * for what it missed (NACK from..to); the sender keeps what it sent, and
 * the ACK/NACK/RESYNC control messages, in the resend queue until they
 * are acknowledged, and sends again what is NACKed (with a new sequence
 * number, serialised from the cache as it is then). An ALIVE (or an ACK
 * of what is pending) goes out after a second without traffic. A node
 * that starts says HELLO on everything until the peer answers HELLO_BACK.
 *
 * What upstream loses and we do not:
 * - a full resend queue drops its oldest message silently; here a flow
 *   whose message falls out is remembered and sent again as soon as the
 *   peer is heard from, deletions included;
 * - a HELLO (the peer restarted) throws the resend queue away; here
 *   everything it holds is sent again, once for the peer's start (not
 *   for each of its messages that says HELLO), since the peer may never
 *   have seen it;
 * - a NACK for messages no longer queued is ignored; here, if they fell
 *   out of the queue since the last bulk, it makes the whole internal
 *   cache go out again (a resync of the peer);
 * - on an idle link the two peers acknowledge each other's ACKs, one a
 *   second each, forever, since upstream keeps ACKs for retransmission.
 *   We keep only data and RESYNC messages, and mark our ACK, NACK and
 *   ALIVE messages with the flag upstream leaves unused (its receivers
 *   ignore it), so that between two of our daemons an idle link carries
 *   one ALIVE a second each way and nothing else. An upstream peer's
 *   ACKs (unmarked) are still acknowledged, as it expects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "sync/ctl.h"
#include "sync/sync_int.h"

#define ALIVE_USEC	1000000

enum { HELLO_INIT, HELLO_SAY, HELLO_DONE };

struct ftfw {
	struct sync_loop_timer alive;
	uint32_t window;
	uint32_t ack_from;
	uint8_t ack_from_set;
	uint8_t hello;
	uint8_t say_hello_back;
	uint8_t peer_hello;		/* the peer's messages say HELLO */
	uint8_t lost;			/* messages fell out of the queue */
	uint8_t fell;			/* ... since the last bulk: */
	uint32_t fell_first, fell_last;	/* the oldest and newest of them */
	uint32_t overflows;		/* counted, logged once per episode */
};

static struct ftfw *priv(struct sync_state *s)
{
	return s->sub_priv;
}

static void alive(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;
	struct ftfw *f = priv(s);

	(void)l;
	if (f->ack_from_set && s->seq_set) {
		sync_tx_ctl(s, SYNC_F_ACK | SYNC_F_UNUSED, f->ack_from,
			    s->last_seq_recv);
		f->ack_from_set = 0;
	} else {
		sync_tx_ctl(s, SYNC_F_ALIVE | SYNC_F_UNUSED, 0, 0);
	}
	/* re-armed by the transmit run that follows */
}

static int ftfw_init(struct sync_state *s)
{
	struct ftfw *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	s->sub_priv = f;
	f->window = s->conf->sync.ack_window;
	sync_txq_init(&s->rs, "rsqueue", s->conf->sync.resend_queue_size);
	sync_loop_timer_init(&f->alive, alive, s);
	return sync_loop_timer_add(s->d->loop, &f->alive, ALIVE_USEC);
}

/* Empties the resend queue (control nodes freed, objects released). */
static void rs_clear(struct sync_state *s)
{
	struct sync_txnode *n;

	while ((n = sync_txq_first(&s->rs))) {
		sync_txq_del(&s->rs, n);
		if (n->ctl)
			sync_txctl_free(n);
		else
			sync_obj_done(s, sync_node_obj(n));
	}
}

static void ftfw_fini(struct sync_state *s)
{
	struct ftfw *f = priv(s);

	if (!f)
		return;
	sync_loop_timer_del(s->d->loop, &f->alive);
	rs_clear(s);
	free(f);
	s->sub_priv = NULL;
}

static uint8_t ftfw_flags(struct sync_state *s)
{
	struct ftfw *f = priv(s);
	uint8_t fl = 0;

	if (f->hello == HELLO_INIT)
		f->hello = HELLO_SAY;
	if (f->hello == HELLO_SAY)
		fl |= SYNC_F_HELLO;
	if (f->say_hello_back) {
		fl |= SYNC_F_HELLO_BACK;
		f->say_hello_back = 0;
	}
	return fl;
}

/* Every object goes out again, paced (sync/bulk.c): what fell out of
 * the queue before it is covered by it. @paced: a client's -B. */
static void bulk(struct sync_state *s, int paced)
{
	priv(s)->fell = 0;
	priv(s)->lost = 0;	/* the walk sends the marked ones too */
	if (s->int_ct && paced)
		sync_bulk_paced(s);
	else if (s->int_ct)
		sync_internal_bulk(s);
}

/* The messages that fell out of the resend queue go out again, paced:
 * every object marked while the peer was away. */
static void resend_lost(struct sync_state *s)
{
	struct ftfw *f = priv(s);

	if (!f->lost)
		return;
	f->lost = 0;
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "resend queue overflowed: "
		 "sending the lost states again");
	sync_bulk_marked(s);
}

/* ACK from..to: what it covers is delivered (after a bulk send, a walk
 * over nodes long out of the CPU's cache: the one after next is asked
 * for while this one is done). */
static void rs_ack(struct sync_state *s, uint32_t from, uint32_t to)
{
	struct sync_txnode *n, *next;

	for (n = sync_txq_first(&s->rs); n; n = next) {
		next = sync_txq_next(&s->rs, n);
		if (next)
			__builtin_prefetch(next->next);
		if (sync_seq_before(n->seq, from))
			continue;
		if (sync_seq_before(to, n->seq))
			break;
		sync_txq_del(&s->rs, n);
		if (n->ctl)
			sync_txctl_free(n);
		else
			sync_obj_done(s, sync_node_obj(n));
	}
	sync_bulk_acked(s);
}

/* NACK from..to: send those again; if the queue no longer reaches back
 * to @from and messages in from..to fell out of it since the last bulk,
 * they are lost: resync the peer. What is missing and did not fall out
 * was acknowledged, delivered; what fell out before a bulk is in it. */
static void rs_nack(struct sync_state *s, uint32_t from, uint32_t to)
{
	struct sync_txnode *n, *next, *first = sync_txq_first(&s->rs);
	struct ftfw *f = priv(s);

	sync_bulk_nacked(s);
	if (!first || sync_seq_before(from, first->seq)) {
		if (f->fell && !sync_seq_before(f->fell_last, from) &&
		    !sync_seq_before(to, f->fell_first)) {
			sync_log(&s->d->log, SYNC_LOG_NOTICE, "NACK for "
				 "messages no longer queued: resync");
			/* its first window moves objects out of the resend
			 * queue, @first may be one: the walk below starts
			 * again from what is left */
			bulk(s, 0);
			first = sync_txq_first(&s->rs);
		}
	}
	for (n = first; n; n = next) {
		next = sync_txq_next(&s->rs, n);
		if (sync_seq_before(n->seq, from))
			continue;
		if (sync_seq_before(to, n->seq))
			break;
		sync_txq_del(&s->rs, n);
		sync_txq_add(&s->tx, n, TXQ_TX);
	}
	sync_tx_kick(s);
}

/* Everything waiting for an acknowledgement goes out again. */
static void rs_resend_all(struct sync_state *s)
{
	struct sync_txnode *n;

	while ((n = sync_txq_first(&s->rs))) {
		sync_txq_del(&s->rs, n);
		sync_txq_add(&s->tx, n, TXQ_TX);
	}
	sync_tx_kick(s);
}

/* What waits with a sequence number before @seq goes out again (the
 * queue is in sending order). */
static void rs_resend_before(struct sync_state *s, uint32_t seq)
{
	struct sync_txnode *n;

	while ((n = sync_txq_first(&s->rs)) && sync_seq_before(n->seq, seq)) {
		sync_txq_del(&s->rs, n);
		sync_txq_add(&s->tx, n, TXQ_TX);
	}
	sync_tx_kick(s);
}

static int digest(struct sync_state *s, const struct sync_msg_hdr *h)
{
	if (sync_msg_is_data(h))
		return SYNC_RX_DATA;
	if (h->type != SYNC_T_CTL)
		return SYNC_RX_BAD;
	if (h->flags & SYNC_F_ACK) {
		rs_ack(s, h->from, h->to);
		return SYNC_RX_CTL;
	}
	if (h->flags & SYNC_F_NACK) {
		rs_nack(s, h->from, h->to);
		return SYNC_RX_CTL;
	}
	if (h->flags & SYNC_F_RESYNC) {
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "resync requested by "
			 "other node");
		bulk(s, 0);
		return SYNC_RX_CTL;
	}
	if (h->flags & SYNC_F_ALIVE)
		return SYNC_RX_CTL;
	return SYNC_RX_BAD;
}

/* Whether the peer keeps @h for retransmission until we acknowledge
 * it: data and RESYNC always; ACK and NACK unless marked as ours. */
static int needs_ack(const struct sync_msg_hdr *h)
{
	if (sync_msg_is_data(h) || (h->flags & SYNC_F_RESYNC))
		return 1;
	return (h->flags & (SYNC_F_ACK | SYNC_F_NACK)) &&
	       !(h->flags & SYNC_F_UNUSED);
}

/* One more message of the current window; ACK when it is full. */
static void window_count(struct sync_state *s, uint32_t seq)
{
	struct ftfw *f = priv(s);

	if (!f->ack_from_set) {
		f->ack_from_set = 1;
		f->ack_from = seq;
	}
	if (--f->window == 0) {
		sync_tx_ctl(s, SYNC_F_ACK | SYNC_F_UNUSED, f->ack_from, seq);
		f->window = s->conf->sync.ack_window;
		f->ack_from_set = 0;
	}
}

/*
 * A HELLO this far or farther after the next sequence number we expect
 * is a newer life of the peer, not messages lost in between: a life
 * starts at a random number, and one that ends before it says anything
 * but HELLO leaves us still taking its HELLOs. A quarter of a million
 * messages lost in a row would be taken for a restart; a new life lands
 * nearer than that once in 16384 restarts.
 */
#define NEW_LIFE_GAP	(1u << 18)

/* Whether a HELLO of sequence number @seq is of a life other than the
 * one whose messages go on at @next. */
static int other_life(uint32_t seq, uint32_t next)
{
	return sync_seq_before(seq, next) || seq - next >= NEW_LIFE_GAP;
}

/* Where @h stands in the peer's sequence. The first HELLO of a new life
 * of the peer starts it again; the HELLOs after it, until our HELLO_BACK
 * arrives, are tracked as any message (a datagram lost among them, say
 * in a bulk that overruns our socket, is a gap to NACK, not a message
 * we acknowledge without having it), except one from before or far
 * after: a newer life again (*@restart). */
static int track(struct sync_state *s, const struct sync_msg_hdr *h,
		 int hello, int *restart)
{
	uint32_t want = s->last_seq_recv + 1;

	if (hello && !priv(s)->peer_hello)
		return SYNC_SEQ_IN_SYNC;
	if (hello && s->seq_set && other_life(h->seq, want)) {
		*restart = 1;
		return SYNC_SEQ_IN_SYNC;
	}
	return sync_seq_track(s, h->seq);
}

static int ftfw_recv(struct sync_state *s, const struct sync_msg_hdr *h)
{
	struct ftfw *f = priv(s);
	int rx, hello = 0, resend = 0;
	uint32_t want;

	if (h->flags & SYNC_F_HELLO) {
		/* the peer (re)started: its window restarts here, and what
		 * we sent before may never have reached it. It says HELLO on
		 * every message until our HELLO_BACK reaches it: what waits
		 * is sent again once for that, not once per message. When
		 * the message is an ACK, its new life has what it names and
		 * what we sent since is on its way: only what came before
		 * is sent again */
		f->say_hello_back = 1;
		hello = 1;
		if (f->ack_from_set && other_life(h->seq, f->ack_from)) {
			f->window = s->conf->sync.ack_window - 1;
			f->ack_from = h->seq;
		}
		resend = !f->peer_hello;
	} else {
		f->peer_hello = 0;
	}
	if ((h->flags & SYNC_F_HELLO_BACK) && f->hello == HELLO_SAY)
		f->hello = HELLO_DONE;
	switch (track(s, h, hello, &resend)) {
	case SYNC_SEQ_AFTER:
		rx = digest(s, h);
		if (rx == SYNC_RX_BAD)
			return rx;
		want = s->last_seq_recv + 1;
		if (f->ack_from_set) {
			sync_tx_ctl(s, SYNC_F_ACK | SYNC_F_UNUSED, f->ack_from,
				    want - 1);
			f->ack_from_set = 0;
		}
		sync_tx_ctl(s, SYNC_F_NACK | SYNC_F_UNUSED, want, h->seq - 1);
		f->window = s->conf->sync.ack_window;
		if (needs_ack(h))
			window_count(s, h->seq);
		break;
	case SYNC_SEQ_BEFORE:
		return SYNC_RX_DROP;	/* no delayed messages */
	default:
		rx = digest(s, h);
		if (rx == SYNC_RX_BAD)
			return rx;
		if (needs_ack(h))
			window_count(s, h->seq);
		break;
	}
	if (resend) {
		if (h->type == SYNC_T_CTL && (h->flags & SYNC_F_ACK))
			rs_resend_before(s, h->from);
		else
			rs_resend_all(s);
		f->peer_hello = 1;
	}
	sync_seq_update(s, h->seq);
	resend_lost(s);
	return rx;
}

/* The queue is full: its oldest message falls out. An object's state is
 * marked to be sent again once the peer is heard from. */
static void rs_overflow(struct sync_state *s)
{
	struct ftfw *f = priv(s);
	struct sync_txnode *old = sync_txq_first(&s->rs);

	if (!old)
		return;
	if (!f->lost)
		sync_log(&s->d->log, SYNC_LOG_WARNING, "resend queue is full "
			 "(ResendQueueSize %u): states will be sent again when "
			 "the peer answers", s->rs.max);
	f->lost = 1;
	f->overflows++;
	if (!f->fell)
		f->fell_first = old->seq;
	f->fell = 1;
	f->fell_last = old->seq;
	sync_txq_del(&s->rs, old);
	if (old->ctl) {
		sync_txctl_free(old);
	} else {
		old->resend = 1;
	}
}

static int ftfw_sent(struct sync_state *s, struct sync_txnode *n)
{
	if (n->ctl && !(((struct sync_txctl *)n)->flags & SYNC_F_RESYNC))
		return 0;	/* ACK, NACK, ALIVE: nothing to keep */
	if (sync_txq_add(&s->rs, n, TXQ_RS) < 0) {
		rs_overflow(s);
		if (sync_txq_add(&s->rs, n, TXQ_RS) < 0)
			return 0;
	}
	return 1;
}

static void ftfw_enqueue(struct sync_state *s, struct sync_cache_obj *o)
{
	sync_obj_node(o)->resend = 0;
	sync_tx_obj(s, o);
}

/* A client's bulk waits for the peer at this many messages in the
 * resend queue: some 240 full datagrams, half what the receive buffer
 * of upstream's example (1.2 MB) holds, and several ACK windows, so
 * that acknowledgements keep coming while it sends (within half the
 * ResendQueueSize, which would overflow otherwise). */
#define BULK_WINDOW	4096

static uint32_t ftfw_bulk_window(const struct sync_state *s)
{
	uint32_t w = BULK_WINDOW;

	if (w < 4 * s->conf->sync.ack_window)
		w = 4 * s->conf->sync.ack_window;
	if (s->rs.max && w > s->rs.max / 2)
		w = s->rs.max / 2 ? s->rs.max / 2 : 1;
	return w;
}

static void ftfw_after_xmit(struct sync_state *s)
{
	sync_loop_timer_add(s->d->loop, &priv(s)->alive, ALIVE_USEC);
}

/*
 * TCP came (back) up: what went into the dead connection may be lost, so
 * everything unacknowledged goes again. A loss the transport reports (a
 * send error, a full TCP backlog) needs nothing: what it lost waits in
 * the resend queue, and the peer NACKs the gap as soon as a later message
 * (an ALIVE at the latest) reaches it. Sending it all again at once would
 * fail again while the link is broken and raise the event again: a
 * resend storm for as long as the link is down.
 */
static void ftfw_link_event(struct sync_state *s, int lost)
{
	if (!lost)
		rs_resend_all(s);
}

static int rs_dump(struct sync_client *cl, struct sync_state *s)
{
	struct sync_txnode *n;

	sync_client_printf(cl, "resent queue (len=%u)\n", s->rs.len);
	for (n = sync_txq_first(&s->rs); n; n = sync_txq_next(&s->rs, n)) {
		if (n->ctl)
			sync_client_printf(cl, "control -> seq:%u flags:%u\n",
					   n->seq,
					   ((struct sync_txctl *)n)->flags);
		else
			sync_client_printf(cl, "object -> seq:%u\n", n->seq);
	}
	return SYNC_REQ_DONE;
}

static int ftfw_request(struct sync_state *s, struct sync_client *cl,
			int code)
{
	switch (code) {
	case SYNC_REQUEST_DUMP:
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "resync requested");
		sync_tx_ctl(s, SYNC_F_RESYNC, 0, 0);
		return SYNC_REQ_DONE;
	case SYNC_SEND_BULK:
		bulk(s, 1);
		return SYNC_REQ_DONE;
	case SYNC_STATS_RSQUEUE:
		return rs_dump(cl, s);
	}
	return SYNC_REQ_UNKNOWN;
}

/* Our RESYNC request stays queued (then in the resend queue) until the
 * peer acknowledges it, which it does after queueing its whole cache. */
static int ftfw_resyncing(struct sync_state *s)
{
	const struct sync_txq *q[2] = { &s->tx, &s->rs };
	const struct sync_txnode *n;

	for (int i = 0; i < 2; i++)
		for (n = sync_txq_first(q[i]); n; n = sync_txq_next(q[i], n))
			if (n->ctl && (((const struct sync_txctl *)n)->flags &
				       SYNC_F_RESYNC))
				return 1;
	return 0;
}

const struct sync_sub sync_sub_ftfw = {
	.name = "ftfw",
	.init = ftfw_init,
	.fini = ftfw_fini,
	.request = ftfw_request,
	.recv = ftfw_recv,
	.enqueue = ftfw_enqueue,
	.sent = ftfw_sent,
	.flags = ftfw_flags,
	.link_event = ftfw_link_event,
	.after_xmit = ftfw_after_xmit,
	.bulk_window = ftfw_bulk_window,
	.resyncing = ftfw_resyncing,
};
