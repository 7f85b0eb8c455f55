// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Sync mode's queues and transmit runs (see sync/sync_int.h). Nodes
 * are intrusive: an internal object carries its own, so queueing costs no
 * allocation and an object queued twice is moved, not duplicated (the
 * peer gets its latest state once). A run serialises each queued object
 * from the cache at send time, as upstream does, packs the messages into
 * the dedicated link's datagrams and flushes them at the end.
 *
 * Runs are coalesced: the first change after a quiet period is sent on
 * the loop's next iteration, but while changes keep coming a run happens
 * at most once a millisecond, so a burst of new flows fills datagrams up
 * to the MTU instead of sending one per event.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct/pack.h"
#include "sync/channel.h"
#include "sync/sync_int.h"

#define XMIT_HOLD_USEC	1000

struct sync_txnode *sync_obj_node(struct sync_cache_obj *o)
{
	return sync_cache_obj_extra(o);
}

struct sync_cache_obj *sync_node_obj(struct sync_txnode *n)
{
	return sync_cache_obj_of_extra(n);
}

void *sync_obj_sub(struct sync_cache_obj *o)
{
	return (uint8_t *)sync_cache_obj_extra(o) +
	       ((sizeof(struct sync_txnode) + 7) & ~(size_t)7);
}

void sync_txq_init(struct sync_txq *q, const char *name, uint32_t max)
{
	q->head.prev = q->head.next = &q->head;
	q->len = 0;
	q->max = max;
	q->full = 0;
	q->name = name;
}

int sync_txq_add(struct sync_txq *q, struct sync_txnode *n, uint8_t where)
{
	if (q->max && q->len >= q->max) {
		q->full++;
		return -ENOSPC;
	}
	n->prev = q->head.prev;
	n->next = &q->head;
	q->head.prev->next = n;
	q->head.prev = n;
	n->where = where;
	q->len++;
	return 0;
}

void sync_txq_del(struct sync_txq *q, struct sync_txnode *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = NULL;
	n->where = TXQ_NONE;
	q->len--;
}

struct sync_txnode *sync_txq_first(const struct sync_txq *q)
{
	return q->head.next == &q->head ? NULL : q->head.next;
}

struct sync_txnode *sync_txq_next(const struct sync_txq *q,
				  const struct sync_txnode *n)
{
	return n->next == &q->head ? NULL : n->next;
}

void sync_node_unlink(struct sync_state *s, struct sync_txnode *n)
{
	if (n->where == TXQ_TX)
		sync_txq_del(&s->tx, n);
	else if (n->where == TXQ_RS)
		sync_txq_del(&s->rs, n);
}

void sync_txctl_free(struct sync_txnode *n)
{
	free((struct sync_txctl *)n);
}

enum sync_msg_type sync_obj_type(const struct sync_cache_obj *o, int exp)
{
	enum sync_msg_type t = SYNC_T_CT_UPD;

	if (o->status == SYNC_OBJ_NEW)
		t = SYNC_T_CT_NEW;
	else if (o->status == SYNC_OBJ_DEAD)
		t = SYNC_T_CT_DEL;
	return exp ? (enum sync_msg_type)(t + SYNC_T_EXP_NEW) : t;
}

static void xmit_step_timer(struct sync_loop *l, void *arg)
{
	(void)l;
	sync_tx_run(arg);
}

static int xmit_step(struct sync_loop *l, void *arg)
{
	(void)l;
	sync_tx_run(arg);
	return 0;
}

void sync_tx_stop(struct sync_state *s)
{
	sync_bulk_stop(s);
	sync_loop_step_del(s->d->loop, xmit_step, s);
	sync_loop_timer_del(s->d->loop, &s->xmit_timer);
	s->xmit_armed = 0;
}

void sync_tx_kick(struct sync_state *s)
{
	uint64_t now, since;

	if (s->xmit_armed)
		return;
	s->xmit_armed = 1;
	now = sync_loop_now();
	since = now - s->last_xmit;
	if (since >= XMIT_HOLD_USEC) {
		if (sync_loop_step_add(s->d->loop, xmit_step, s) == 0)
			return;
		since = XMIT_HOLD_USEC;	/* no memory: the timer it is */
	}
	if (!sync_loop_timer_pending(&s->xmit_timer))
		sync_loop_timer_init(&s->xmit_timer, xmit_step_timer, s);
	sync_loop_timer_add(s->d->loop, &s->xmit_timer,
			    XMIT_HOLD_USEC - since);
}

int sync_tx_ctl(struct sync_state *s, uint8_t flags, uint32_t from,
		uint32_t to)
{
	struct sync_txctl *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->n.ctl = 1;
	c->flags = flags;
	c->from = from;
	c->to = to;
	if (sync_txq_add(&s->tx, &c->n, TXQ_TX) < 0) {
		free(c);
		return -ENOSPC;
	}
	sync_tx_kick(s);
	return 0;
}

void sync_tx_obj(struct sync_state *s, struct sync_cache_obj *o)
{
	struct sync_txnode *n = sync_obj_node(o);

	if (n->where == TXQ_TX)
		return;		/* sent with its latest state anyway */
	sync_node_unlink(s, n);	/* out of the resend queue: resent */
	sync_txq_add(&s->tx, n, TXQ_TX);
	sync_tx_kick(s);
}

void sync_obj_done(struct sync_state *s, struct sync_cache_obj *o)
{
	struct sync_txnode *n = sync_obj_node(o);

	if (n->where != TXQ_NONE || n->resend || o->status != SYNC_OBJ_DEAD)
		return;
	sync_cache_del(n->exp ? s->int_exp : s->int_ct, o);
}

static uint8_t out_flags(struct sync_state *s)
{
	return s->sub->flags ? s->sub->flags(s) : 0;
}

/* Serialises node @n into s->buf; returns the length, or < 0. */
static int build_node(struct sync_state *s, struct sync_txnode *n)
{
	struct sync_cache_obj *o;
	int rc;

	if (n->ctl) {
		struct sync_txctl *c = (struct sync_txctl *)n;

		return sync_msg_build_ctl(s->buf, sizeof(s->buf), c->flags,
					  c->from, c->to);
	}
	o = sync_node_obj(n);
	if (n->exp) {
		struct ct_expect x;

		rc = ct_expect_unpack(sync_cache_obj_body(o), o->body_len, &x);
		if (rc == 0)
			rc = sync_msg_build_exp(s->buf, sizeof(s->buf),
						sync_obj_type(o, 1), &x,
						&s->opts);
	} else {
		struct ct_entry e;

		rc = ct_entry_unpack(sync_cache_obj_body(o), o->body_len, &e);
		if (rc == 0)
			rc = sync_msg_build_ct(s->buf, sizeof(s->buf),
					       sync_obj_type(o, 0), &e,
					       &s->opts);
	}
	return rc;
}

/* ALARM's control messages carry the sequence number of the next data
 * message without taking it (sync_sub.ctl_unsequenced). */
static void send_built(struct sync_state *s, int len, int ctl, uint32_t *seq)
{
	*seq = ctl && s->sub->ctl_unsequenced ? s->seq_next : s->seq_next++;
	sync_msg_stamp(s->buf, *seq, out_flags(s));
	if (s->out)
		s->out(s, s->buf, (size_t)len);
	else
		sync_chans_send(s->chans, s->buf, (size_t)len);
}

/*
 * A long run (a bulk send) walks objects scattered over the heap, each
 * with its body elsewhere: two cache misses a message. While @n is being
 * sent, the node after the next one and the next one's body are fetched
 * (the next node itself was asked for one step earlier).
 */
static void tx_prefetch(const struct sync_txq *q, const struct sync_txnode *n)
{
	const struct sync_txnode *nx = n->next;
	const struct sync_cache_obj *o;

	if (nx == &q->head)
		return;
	__builtin_prefetch(nx->next);
	if (nx->ctl)
		return;
	o = sync_cache_obj_of_extra((void *)(uintptr_t)nx);
	if (o->body_len) {
		__builtin_prefetch(o->body);
		__builtin_prefetch(o->body + o->body_len - 1);
	}
}

void sync_tx_drain(struct sync_state *s)
{
	struct sync_txnode *n;
	int len, keep;

	while ((n = sync_txq_first(&s->tx))) {
		tx_prefetch(&s->tx, n);
		sync_txq_del(&s->tx, n);
		len = build_node(s, n);
		if (len < 0) {
			s->err.snd_malformed++;
			keep = 0;
		} else {
			send_built(s, len, n->ctl, &n->seq);
			keep = s->sub->sent(s, n);
		}
		if (keep)
			continue;
		if (n->ctl)
			sync_txctl_free(n);
		else
			sync_obj_done(s, sync_node_obj(n));
	}
}

void sync_tx_run(struct sync_state *s)
{
	s->xmit_armed = 0;
	sync_loop_timer_del(s->d->loop, &s->xmit_timer);
	sync_tx_drain(s);
	if (!s->out)
		sync_chans_flush(s->chans);
	s->last_xmit = sync_loop_now();
	if (s->sub->after_xmit)
		s->sub->after_xmit(s);
}

/* A message built in s->buf (length @len, or < 0) goes out now. */
static int send_now(struct sync_state *s, int len)
{
	uint32_t seq;

	if (len < 0) {
		s->err.snd_malformed++;
		return len;
	}
	send_built(s, len, 0, &seq);
	return 0;
}

int sync_tx_entry(struct sync_state *s, enum sync_msg_type type,
		  const struct ct_entry *e)
{
	return send_now(s, sync_msg_build_ct(s->buf, sizeof(s->buf), type, e,
					     &s->opts));
}

int sync_tx_expect(struct sync_state *s, enum sync_msg_type type,
		   const struct ct_expect *x)
{
	return send_now(s, sync_msg_build_exp(s->buf, sizeof(s->buf), type,
					      x, &s->opts));
}
