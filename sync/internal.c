// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Sync mode's internal side (spec 2.10; upstream internal_cache.c and
 * internal_bypass.c): the local kernel's flows and expectations kept in
 * the internal caches and handed to the sub-mode when they change, or,
 * with DisableInternalCache, each kernel event sent on as it comes.
 *
 * Events our own sockets caused are not sent back to the peer: those of
 * a commit or a flush are cached but not sent, those of a direct
 * injection are ignored altogether (they describe what the peer sent us).
 * The initial dump fills the caches without sending (the peer asks with
 * -n or StartupResync, or we push with -B; ALARM refreshes them in
 * time); a later dump (a resync after an overrun, -R, polling) sends what
 * changed, and deletes what it no longer saw.
 */
#include <errno.h>
#include <string.h>

#include "ct/pack.h"
#include "sync/kernel.h"
#include "sync/sync_int.h"

/* What the internal cache keeps of a flow: not its counters or use. */
#define CT_FIELDS	(~(uint64_t)(CT_USE | CT_COUNTERS_ORIG | \
				     CT_COUNTERS_REPLY | CT_TIMESTAMP_EVENT))

static void internal_release(struct sync_cache *c, struct sync_cache_obj *o,
			     void *arg)
{
	struct sync_state *s = arg;

	(void)c;
	sync_node_unlink(s, sync_obj_node(o));
	if (s->sub->release)
		s->sub->release(s, o);
}

static int new_cache(struct sync_state *s, struct sync_cache **out, int exp)
{
	struct sync_cache_conf cf = {
		.name = "internal",
		.buckets = s->conf->hash_size,
		.limit = s->conf->hash_limit,
		.extra = ((sizeof(struct sync_txnode) + 7) & ~(size_t)7) +
			 s->sub->extra,
		.release = internal_release,
		.arg = s,
		.log = &s->d->log,
	};

	(void)exp;
	memcpy(cf.seed, s->d->seed, sizeof(cf.seed));
	return sync_cache_new(out, &cf);
}

int sync_internal_init(struct sync_state *s)
{
	int rc;

	s->dump_populate = 1;
	if (s->conf->sync.disable_internal) {
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "disabling internal "
			 "cache");
		return 0;
	}
	rc = new_cache(s, &s->int_ct, 0);
	if (rc == 0 && sync_kernel_expect(s->d->kernel))
		rc = new_cache(s, &s->int_exp, 1);
	if (rc < 0)
		sync_log(&s->d->log, SYNC_LOG_ERR, "can't allocate memory for "
			 "the internal cache");
	return rc;
}

void sync_internal_fini(struct sync_state *s)
{
	sync_cache_free(s->int_ct);
	sync_cache_free(s->int_exp);
	s->int_ct = s->int_exp = NULL;
}

/* Packs @e (or @x) and its key. Returns the body length or < 0. */
static int pack_ct(const struct ct_entry *e, uint8_t *key, int *klen,
		   uint8_t *body)
{
	*klen = ct_entry_key(key, e);
	if (*klen < 0)
		return *klen;
	return ct_entry_pack(body, CT_PACK_MAX, e, CT_FIELDS);
}

static int pack_exp(const struct ct_expect *x, uint8_t *key, int *klen,
		    uint8_t *body)
{
	*klen = ct_expect_key(key, x);
	if (*klen < 0)
		return *klen;
	return ct_expect_pack(body, CT_PACK_MAX, x, ~(uint32_t)0);
}

/*
 * Adds or refreshes an object. @fresh: a NEW event, which replaces what
 * was cached (upstream deletes and re-adds). Returns the object, or NULL
 * (a failure the cache counted).
 */
static struct sync_cache_obj *put(struct sync_state *s, struct sync_cache *c,
				  int exp, const uint8_t *key, int klen,
				  const uint8_t *body, int blen, int fresh)
{
	uint32_t h, now = sync_daemon_now();
	struct sync_cache_obj *o = sync_cache_find_hash(c, key, (size_t)klen,
							&h);

	if (o && (fresh || o->status == SYNC_OBJ_DEAD)) {
		sync_node_unlink(s, sync_obj_node(o));
		sync_obj_node(o)->resend = 0;
		sync_cache_del(c, o);
		o = NULL;
	}
	if (o) {
		if (sync_cache_update(c, o, body, (size_t)blen, now) < 0)
			return NULL;
	} else {
		if (sync_cache_add_hashed(c, h, key, (size_t)klen, body,
					  (size_t)blen, now, &o) < 0)
			return NULL;
		sync_obj_node(o)->exp = (uint8_t)exp;
	}
	o->mark = s->dump_mark;
	return o;
}

/* A flow or expectation is gone: DEAD, its deletion sent, dropped once
 * nothing needs it. */
static void gone(struct sync_state *s, struct sync_cache *c,
		 struct sync_cache_obj *o, int send)
{
	if (o->status == SYNC_OBJ_DEAD)
		return;
	sync_cache_set_dead(c, o);
	if (send)
		s->sub->enqueue(s, o);
	sync_obj_done(s, o);
}

static void event(struct sync_state *s, int exp, enum ct_event_type type,
		  const uint8_t *key, int klen, const uint8_t *body, int blen,
		  enum sync_origin origin)
{
	struct sync_cache *c = exp ? s->int_exp : s->int_ct;
	struct sync_cache_obj *o;
	int send = origin == SYNC_ORIGIN_NOT_ME;

	if (!c)
		return;
	if (type == CT_EVENT_T_DESTROY) {
		o = sync_cache_find(c, key, (size_t)klen);
		if (o)
			gone(s, c, o, send);
		return;
	}
	o = put(s, c, exp, key, klen, body, blen, type == CT_EVENT_T_NEW);
	if (o && send)
		s->sub->enqueue(s, o);
}

/* DisableInternalCache: each event goes to the peer as it is (@e or @x,
 * the other NULL). Upstream's bypass means to send expectations too, but
 * its sanity check of their master, which has no reply tuple, drops
 * every one. */
static void bypass(struct sync_state *s, enum ct_event_type type,
		   const struct ct_entry *e, const struct ct_expect *x)
{
	static const enum sync_msg_type t[] = {
		[CT_EVENT_T_NEW] = SYNC_T_CT_NEW,
		[CT_EVENT_T_UPDATE] = SYNC_T_CT_UPD,
		[CT_EVENT_T_DESTROY] = SYNC_T_CT_DEL,
	};

	if (type < CT_EVENT_T_NEW || type > CT_EVENT_T_DESTROY)
		return;
	if (e)
		sync_tx_entry(s, t[type], e);
	else
		sync_tx_expect(s, t[type] + SYNC_T_EXP_NEW, x);
	sync_tx_kick(s);
}

void sync_internal_ct_event(struct sync_state *s, enum ct_event_type type,
			    const struct ct_entry *e, enum sync_origin origin)
{
	uint8_t key[CT_KEY_MAX], body[CT_PACK_MAX];
	int klen, blen;

	if (origin == SYNC_ORIGIN_INJECT)
		return;
	if (!s->int_ct) {
		if (origin == SYNC_ORIGIN_NOT_ME)
			bypass(s, type, e, NULL);
		return;
	}
	blen = pack_ct(e, key, &klen, body);
	if (blen < 0)
		return;
	event(s, 0, type, key, klen, body, blen, origin);
}

int sync_internal_has(struct sync_state *s, const struct ct_entry *e)
{
	uint8_t key[CT_KEY_MAX];
	int klen;

	if (!s->int_ct)
		return 0;
	klen = ct_entry_key(key, e);
	return klen > 0 && sync_cache_find(s->int_ct, key, (size_t)klen);
}

void sync_internal_exp_event(struct sync_state *s, enum ct_event_type type,
			     const struct ct_expect *x,
			     enum sync_origin origin)
{
	uint8_t key[CT_KEY_MAX], body[CT_PACK_MAX], mkey[CT_KEY_MAX];
	struct ct_entry m;
	int klen, blen, mlen;

	if (origin == SYNC_ORIGIN_INJECT)
		return;
	if (!s->int_ct) {
		if (origin == SYNC_ORIGIN_NOT_ME)
			bypass(s, type, NULL, x);
		return;
	}
	if (!s->int_exp)
		return;
	/* replicated only with its master flow (upstream's exp.find) */
	memset(&m, 0, sizeof(m));
	m.set = CT_ORIG | (x->set & CT_EXP_ZONE ? CT_ZONE : 0);
	m.orig = x->master;
	m.zone = x->zone;
	mlen = ct_entry_key(mkey, &m);
	if (type != CT_EVENT_T_DESTROY &&
	    (mlen < 0 || !sync_cache_find(s->int_ct, mkey, (size_t)mlen)))
		return;
	blen = pack_exp(x, key, &klen, body);
	if (blen < 0)
		return;
	event(s, 1, type, key, klen, body, blen, origin);
}

void sync_internal_dump_begin(struct sync_state *s, int exp)
{
	s->dump_mark++;
	s->dump_flushed[exp != 0] = 0;
}

/* An object a dump saw (NULL: not cached): a later dump sends it, the
 * start-up dump only tells the sub-mode (ALARM refreshes it). */
static void dumped(struct sync_state *s, struct sync_cache_obj *o)
{
	if (!o)
		return;
	if (!s->dump_populate)
		s->sub->enqueue(s, o);
	else if (s->sub->populated)
		s->sub->populated(s, o);
}

void sync_internal_ct_dump(struct sync_state *s, const struct ct_entry *e)
{
	uint8_t key[CT_KEY_MAX], body[CT_PACK_MAX];
	int klen, blen;

	if (!s->int_ct || s->dump_flushed[0])
		return;
	blen = pack_ct(e, key, &klen, body);
	if (blen < 0)
		return;
	dumped(s, put(s, s->int_ct, 0, key, klen, body, blen, 0));
}

void sync_internal_exp_dump(struct sync_state *s, const struct ct_expect *x)
{
	uint8_t key[CT_KEY_MAX], body[CT_PACK_MAX];
	int klen, blen;

	if (!s->int_exp || s->dump_flushed[1])
		return;
	blen = pack_exp(x, key, &klen, body);
	if (blen < 0)
		return;
	dumped(s, put(s, s->int_exp, 1, key, klen, body, blen, 0));
}

struct sweep {
	struct sync_state *s;
	struct sync_cache *c;
};

static int sweep_obj(struct sync_cache *c, struct sync_cache_obj *o,
		     void *arg)
{
	struct sweep *w = arg;

	if (o->mark != w->s->dump_mark && o->status != SYNC_OBJ_DEAD)
		gone(w->s, c, o, 1);
	return 0;
}

void sync_internal_dump_end(struct sync_state *s, int exp, int ok)
{
	struct sweep w = { s, exp ? s->int_exp : s->int_ct };
	uint32_t cursor = 0;

	if (exp || !s->int_exp)
		s->dump_populate = 0;
	if (ok && w.c)
		while (sync_cache_iter(w.c, &cursor, UINT32_MAX, sweep_obj,
				       &w) == 1)
			;
	if (!s->dump_populate && s->bulk_deferred) {
		s->bulk_deferred = 0;
		sync_internal_bulk(s);
		sync_tx_kick(s);
	}
}

void sync_internal_flush(struct sync_state *s, int exp)
{
	struct sync_cache *c = exp ? s->int_exp : s->int_ct;

	if (c) {
		sync_cache_flush(c);
		s->dump_flushed[exp != 0] = 1;
	} else if (!s->int_ct)	/* bypass: the kernel's table, as upstream */
		sync_kernel_flush(s->d->kernel, exp ? SYNC_K_EXP : SYNC_K_CT);
}
