// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ALARM (spec 2.9; upstream sync-alarm.c): no acknowledgements; instead
 * every flow the kernel told us about is sent again after a random
 * 1..RefreshTime seconds (plus 0.2 to 1 s), and again after each
 * refresh, so an upstream peer that joins late is synchronised within
 * RefreshTime and a second. The peer forgets flows not refreshed within
 * CacheTimeout (external.c).
 *
 * The refreshes live on a wheel of 200 ms slots, one list per slot and
 * one loop timer for all of them, instead of a timer per flow.
 *
 * Fixed on purpose: only flows whose changes came from the kernel itself
 * (not from our commit) are refreshed, so the primary does not get back
 * the flows it committed, nor flows it has deleted since. The table the
 * daemon starts on is the kernel's too: it is refreshed as upstream does,
 * so a peer gets it within RefreshTime without asking.
 *
 * Ours, healing as NOTRACK does (sync/heal.h): a gap in the peer's
 * sequence numbers, or its first message, makes us ask for a resync with
 * a token; a peer of ours sends its whole internal cache at once and the
 * token, and the stale are dropped. Upstream's ALARM ignores every
 * control message, and does not track their sequence numbers: ours take
 * none (sync_sub.ctl_unsequenced), so it counts no loss for them.
 */
#include <errno.h>
#include <stdlib.h>

#include "sync/ctl.h"
#include "sync/hash.h"
#include "sync/heal.h"
#include "sync/sync_int.h"

#define SLOT_USEC	200000

/* per object: its place on the wheel */
struct alarm_obj {
	struct alarm_obj *prev, *next;	/* NULL when not armed */
};

struct alarm {
	uint64_t rnd;			/* xorshift state */
	uint32_t nslots, cur;
	struct alarm_obj *slots;	/* list heads */
	struct sync_loop_timer tick;
	struct sync_heal heal;
};

static uint64_t next_random(struct alarm *a)
{
	uint64_t x = a->rnd;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	a->rnd = x;
	return x;
}

static void unarm(struct alarm_obj *ao)
{
	if (!ao->next)
		return;
	ao->prev->next = ao->next;
	ao->next->prev = ao->prev;
	ao->prev = ao->next = NULL;
}

/* upstream: random() % RefreshTime + 1 seconds and (random() % 5 + 1) *
 * 200000 - 1 microseconds, in slots of 200 ms */
static void arm(struct sync_state *s, struct sync_cache_obj *o)
{
	struct alarm *a = s->sub_priv;
	struct alarm_obj *ao = sync_obj_sub(o), *head;
	uint32_t r = s->conf->sync.refresh_time ? s->conf->sync.refresh_time
						 : 1;
	uint64_t slots = (next_random(a) % r + 1) * 5 + next_random(a) % 5 + 1;

	unarm(ao);
	head = &a->slots[(a->cur + slots) % a->nslots];
	ao->next = head;
	ao->prev = head->prev;
	head->prev->next = ao;
	head->prev = ao;
}

static void tick(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;
	struct alarm *a = s->sub_priv;
	struct alarm_obj *head, *ao;
	struct sync_cache_obj *o;

	a->cur = (a->cur + 1) % a->nslots;
	head = &a->slots[a->cur];
	while ((ao = head->next) != head) {
		o = sync_cache_obj_of_extra((uint8_t *)ao -
			((sizeof(struct sync_txnode) + 7) & ~(size_t)7));
		arm(s, o);		/* moves it off this slot */
		sync_tx_obj(s, o);
	}
	sync_loop_timer_add(l, &a->tick, SLOT_USEC);
}

static int alarm_init(struct sync_state *s)
{
	struct alarm *a = calloc(1, sizeof(*a));
	uint8_t seed[16];

	if (!a)
		return -ENOMEM;
	a->nslots = (s->conf->sync.refresh_time + 3) * 5;
	a->slots = calloc(a->nslots, sizeof(*a->slots));
	if (!a->slots) {
		free(a);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < a->nslots; i++)
		a->slots[i].prev = a->slots[i].next = &a->slots[i];
	sync_hash_seed(seed);
	for (int i = 0; i < 8; i++)
		a->rnd = a->rnd << 8 | seed[i];
	a->rnd |= 1;
	s->sub_priv = a;
	sync_loop_timer_init(&a->tick, tick, s);
	sync_heal_init(&a->heal, s, sync_internal_bulk);
	return sync_loop_timer_add(s->d->loop, &a->tick, SLOT_USEC);
}

static void alarm_fini(struct sync_state *s)
{
	struct alarm *a = s->sub_priv;

	if (!a)
		return;
	sync_loop_timer_del(s->d->loop, &a->tick);
	sync_heal_fini(&a->heal);
	/* objects still linked are freed with their cache afterwards;
	 * their release finds them unlinked from freed heads: unlink all */
	for (uint32_t i = 0; i < a->nslots; i++) {
		struct alarm_obj *h = &a->slots[i];

		while (h->next != h)
			unarm(h->next);
	}
	free(a->slots);
	free(a);
	s->sub_priv = NULL;
}

/* A control message's sequence number is the next data message's: a
 * gap before it is counted now, and that message is then in order. */
static void ctl_seq(struct sync_state *s, uint32_t seq)
{
	if (s->seq_set && !sync_seq_before(seq, s->last_seq_recv + 1) &&
	    sync_seq_track(s, seq) == SYNC_SEQ_AFTER)
		s->last_seq_recv = seq - 1;
}

/* Data is tracked as upstream does; a loss (or the first message heard,
 * when a peer of ours can send everything at once instead of within
 * RefreshTime) starts a heal. Control messages other than the heal's are
 * ignored, not errors, as upstream's. */
static int alarm_recv(struct sync_state *s, const struct sync_msg_hdr *h)
{
	struct alarm *a = s->sub_priv;
	int pending = sync_heal_pending(&a->heal), first = !s->seq_set, lost;

	if (h->flags) {
		ctl_seq(s, h->seq);
		lost = sync_heal_lost(&a->heal);
		sync_heal_ctl(&a->heal, h);
		sync_heal_after(&a->heal, lost, pending);
		return SYNC_RX_CTL;
	}
	sync_seq_track(s, h->seq);
	sync_seq_update(s, h->seq);
	lost = sync_heal_lost(&a->heal);
	if (first && !pending) {
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "first message from "
			 "the other node, asking for a resync");
		sync_heal_request(&a->heal);
	} else {
		sync_heal_after(&a->heal, lost, pending);
	}
	return SYNC_RX_DATA;
}

static void alarm_enqueue(struct sync_state *s, struct sync_cache_obj *o)
{
	if (o->status != SYNC_OBJ_DEAD)
		arm(s, o);
	else
		unarm(sync_obj_sub(o));
	sync_tx_obj(s, o);
}

static void alarm_populated(struct sync_state *s, struct sync_cache_obj *o)
{
	arm(s, o);
}

static int alarm_sent(struct sync_state *s, struct sync_txnode *n)
{
	(void)s;
	(void)n;
	return 0;
}

static void alarm_release(struct sync_state *s, struct sync_cache_obj *o)
{
	(void)s;
	unarm(sync_obj_sub(o));
}

static int alarm_request(struct sync_state *s, struct sync_client *cl,
			 int code)
{
	(void)s;
	(void)cl;
	(void)code;
	return SYNC_REQ_UNKNOWN;
}

static int alarm_resyncing(struct sync_state *s)
{
	const struct alarm *a = s->sub_priv;

	return sync_heal_pending(&a->heal);
}

const struct sync_sub sync_sub_alarm = {
	.name = "alarm",
	.ctl_unsequenced = 1,
	.extra = sizeof(struct alarm_obj),
	.external_timer = 1,
	.init = alarm_init,
	.fini = alarm_fini,
	.request = alarm_request,
	.recv = alarm_recv,
	.enqueue = alarm_enqueue,
	.populated = alarm_populated,
	.sent = alarm_sent,
	.release = alarm_release,
	.resyncing = alarm_resyncing,
};
