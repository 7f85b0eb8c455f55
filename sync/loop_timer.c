// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event loop's timers: one binary min-heap of pointers ordered by
 * expiry, each timer's slot field holding its index + 1, so arming,
 * re-arming and disarming are O(log n) and finding the next expiry O(1),
 * with no syscall and no allocation per timer (the heap array only grows).
 * The timers themselves are embedded in their owners.
 */
#include <errno.h>
#include <stdint.h>

#include "sync/loop.h"
#include "sync/loop_int.h"

static void heap_set(struct sync_loop *l, unsigned int i,
		     struct sync_loop_timer *t)
{
	l->heap[i] = t;
	t->slot = i + 1;
}

static void heap_up(struct sync_loop *l, unsigned int i)
{
	struct sync_loop_timer *t = l->heap[i];

	while (i > 0) {
		unsigned int p = (i - 1) / 2;

		if (l->heap[p]->expires <= t->expires)
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, t);
}

static void heap_down(struct sync_loop *l, unsigned int i)
{
	struct sync_loop_timer *t = l->heap[i];

	for (;;) {
		unsigned int c = 2 * i + 1;

		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap &&
		    l->heap[c + 1]->expires < l->heap[c]->expires)
			c++;
		if (l->heap[c]->expires >= t->expires)
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

/* Whether @t is in @l's heap (a stale or garbage slot is not). */
static int heap_holds(const struct sync_loop *l,
		      const struct sync_loop_timer *t)
{
	return t->slot && t->slot <= l->nheap && l->heap[t->slot - 1] == t;
}

static void heap_remove(struct sync_loop *l, struct sync_loop_timer *t)
{
	unsigned int i = t->slot - 1;
	struct sync_loop_timer *last = l->heap[--l->nheap];

	t->slot = 0;
	if (last == t)
		return;
	heap_set(l, i, last);
	heap_up(l, i);
	heap_down(l, last->slot - 1);
}

void sync_loop_timer_init(struct sync_loop_timer *t, sync_loop_timer_cb cb,
			  void *arg)
{
	*t = (struct sync_loop_timer){ .cb = cb, .arg = arg };
}

int sync_loop_timer_add(struct sync_loop *l, struct sync_loop_timer *t,
			uint64_t usec)
{
	uint64_t now = sync_loop_now();
	struct sync_loop_timer **heap;

	t->expires = usec > UINT64_MAX - now ? UINT64_MAX : now + usec;
	if (heap_holds(l, t)) {
		heap_up(l, t->slot - 1);
		heap_down(l, t->slot - 1);
		return 0;
	}
	t->slot = 0;
	heap = sync_loop_grow(l->heap, &l->heap_cap, l->nheap + 1,
			      sizeof(*heap));
	if (!heap)
		return -ENOMEM;
	l->heap = heap;
	l->heap[l->nheap++] = t;
	heap_up(l, l->nheap - 1);
	return 0;
}

void sync_loop_timer_del(struct sync_loop *l, struct sync_loop_timer *t)
{
	if (heap_holds(l, t))
		heap_remove(l, t);
	t->slot = 0;
}

int sync_loop_timer_pending(const struct sync_loop_timer *t)
{
	return t->slot != 0;
}

/* Fires the timers due now; one re-armed for "now" by its own callback
 * waits for the next iteration (the budget), so the loop goes on. */
unsigned int sync_loop_timer_fire(struct sync_loop *l)
{
	uint64_t now = sync_loop_now();
	unsigned int budget = l->nheap, fired = 0;

	while (budget-- && l->nheap && !l->stop &&
	       l->heap[0]->expires <= now) {
		struct sync_loop_timer *t = l->heap[0];

		heap_remove(l, t);
		fired++;
		if (t->cb)
			t->cb(l, t->arg);	/* may free t */
	}
	return fired;
}

void sync_loop_timer_clear(struct sync_loop *l)
{
	for (unsigned int i = 0; i < l->nheap; i++)
		l->heap[i]->slot = 0;
	l->nheap = 0;
}
