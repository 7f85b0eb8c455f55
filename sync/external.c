// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Sync mode's external side (spec 2.9; upstream external_cache.c):
 * what the peer sends, kept in the external caches until a commit puts it
 * into the kernel, or, with DisableExternalCache, handed to inject.c,
 * which puts it into the kernel at once.
 *
 * In ALARM mode external flows expire CacheTimeout seconds after their
 * last refresh; one sweep a second finds them (no timer per flow).
 */
#include <errno.h>
#include <string.h>

#include "ct/format.h"
#include "ct/pack.h"
#include "ct/expect_table.h"
#include "ct/proto.h"
#include "ct/table.h"
#include "nl/sock.h"
#include "sync/kernel.h"
#include "sync/sync_int.h"

#define EXPIRE_SLICE	4096	/* objects looked at per sweep step */

static int new_cache(struct sync_state *s, struct sync_cache **out)
{
	struct sync_cache_conf cf = {
		.name = "external",
		.buckets = s->conf->hash_size,
		.limit = s->conf->hash_limit,
		.log = &s->d->log,
	};

	memcpy(cf.seed, s->d->seed, sizeof(cf.seed));
	return sync_cache_new(out, &cf);
}

static int expire_obj(struct sync_cache *c, struct sync_cache_obj *o,
		      void *arg)
{
	struct sync_state *s = arg;

	if (sync_daemon_now() - o->lastupdate >= s->conf->sync.cache_timeout)
		sync_cache_del(c, o);
	return 0;
}

static void expire(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;

	if (sync_cache_iter(s->ext_ct, &s->ext_cursor, EXPIRE_SLICE,
			    expire_obj, s) != 1) {
		s->ext_cursor = 0;
		if (s->ext_exp) {
			uint32_t c = 0;

			while (sync_cache_iter(s->ext_exp, &c, UINT32_MAX,
					       expire_obj, s) == 1)
				;
		}
		sync_loop_timer_add(l, &s->ext_sweep, 1000000);
		return;
	}
	sync_loop_timer_add(l, &s->ext_sweep, 1000);
}

int sync_external_init(struct sync_state *s)
{
	int rc = 0;

	if (s->conf->sync.disable_external)
		return sync_inject_init(s);
	rc = new_cache(s, &s->ext_ct);
	if (rc == 0 && sync_kernel_expect(s->d->kernel))
		rc = new_cache(s, &s->ext_exp);
	if (rc < 0) {
		sync_log(&s->d->log, SYNC_LOG_ERR, "can't allocate memory for "
			 "the external cache");
		return rc;
	}
	if (s->sub->external_timer) {
		sync_loop_timer_init(&s->ext_sweep, expire, s);
		sync_loop_timer_add(s->d->loop, &s->ext_sweep, 1000000);
	}
	return 0;
}

void sync_external_fini(struct sync_state *s)
{
	if (s->d->loop)
		sync_loop_timer_del(s->d->loop, &s->ext_sweep);
	sync_inject_fini(s);
	sync_cache_free(s->ext_ct);
	sync_cache_free(s->ext_exp);
	s->ext_ct = s->ext_exp = NULL;
}

void sync_external_flush(struct sync_state *s, int exp)
{
	struct sync_cache *c = exp ? s->ext_exp : s->ext_ct;

	if (c)
		sync_cache_flush(c);
}

/* The peer's NEW replaces, UPD refreshes (or adds), DEL deletes. */
static void cache_msg(struct sync_cache *c, int kind, const uint8_t *key,
		      int klen, uint32_t h, const uint8_t *body, int blen,
		      uint8_t mark, uint32_t now)
{
	struct sync_cache_obj *o = sync_cache_find_hashed(c, key, (size_t)klen,
							  h);

	if (kind == 2) {
		if (o)
			sync_cache_del(c, o);
		else
			sync_cache_stats(c)->del_fail_enoent++;
		return;
	}
	if (o && kind == 0) {
		sync_cache_del(c, o);
		o = NULL;
	}
	if (!o)
		sync_cache_add_hashed(c, h, key, (size_t)klen, body,
				      (size_t)blen, now, &o);
	else
		sync_cache_update(c, o, body, (size_t)blen, now);
	if (o)
		o->mark = mark;		/* heard of since (sync_external_sweep) */
}

static int sweep_obj(struct sync_cache *c, struct sync_cache_obj *o,
		     void *arg)
{
	const uint8_t *mark = arg;

	if (o->mark != *mark)
		sync_cache_del(c, o);
	return 0;
}

unsigned int sync_external_sweep(struct sync_state *s)
{
	struct sync_cache *caches[2] = { s->ext_ct, s->ext_exp };
	unsigned int gone = 0;

	for (int i = 0; i < 2; i++) {
		uint32_t cursor = 0, before;

		if (!caches[i])
			continue;
		before = sync_cache_count(caches[i]);
		while (sync_cache_iter(caches[i], &cursor, UINT32_MAX,
				       sweep_obj, &s->ext_mark) == 1)
			;
		gone += before - sync_cache_count(caches[i]);
	}
	return gone;
}

/* A tuple the peer sent without the ports (or GRE keys) its protocol
 * has in the kernel: upstream's sender leaves them out for UDP-Lite and
 * GRE (spec 5), and its receiver commits them as zeros, which the
 * kernel takes, where a tuple without them is refused (EINVAL). */
static void zero_ports(struct ct_tuple *t)
{
	uint8_t kind = ct_proto_by_num(t->l4)->kind;

	if (!(t->set & CT_TUPLE_PROTO) ||
	    (kind != CT_L4_PORTS && kind != CT_L4_GRE))
		return;
	if (!(t->set & CT_TUPLE_SPORT))
		t->sport = 0;
	if (!(t->set & CT_TUPLE_DPORT))
		t->dport = 0;
	t->set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
}

/* TCP tracking flag @f set in both directions of @e (and in the mask). */
static void tcp_flag_set(struct ct_entry *e, uint8_t f)
{
	for (int d = 0; d < 2; d++) {
		e->tcp.flags[d] |= f;
		e->tcp.mask[d] |= f;
	}
	e->set |= CT_TCP_FLAGS;
}

/* What a flow from the peer needs before it can go into the kernel.
 * Without TCPWindowTracking a TCP flow is liberal (its windows are not
 * checked); with it, the window scales the peer sent go with the
 * WINDOW_SCALE flag, without which the kernel drops them (upstream does,
 * so its flows end up with scale 0: spec 5). */
void sync_external_prepare(struct sync_state *s, struct ct_entry *e,
			   struct ct_entry *seen)
{
	zero_ports(&e->orig);
	zero_ports(&e->reply);
	if (s->conf->sync.commit_timeout && !s->conf->sync.disable_external) {
		e->timeout = s->conf->sync.commit_timeout;
		e->set |= CT_TIMEOUT;
	}
	e->status &= ~(uint32_t)IPS_EXPECTED;
	if (e->set & CT_TCP) {
		if (!s->conf->sync.tcp_window_tracking)
			tcp_flag_set(e, CT_TCP_FLAG_BE_LIBERAL);
		else if (e->set & CT_TCP_WSCALE)
			tcp_flag_set(e, CT_TCP_FLAG_WINDOW_SCALE);
	}
	if (seen)
		*seen = *e;
	sync_msg_ct_reply_unnat(e);
}

void sync_external_msg(struct sync_state *s, const struct sync_msg_hdr *h,
		       const void *msg, uint32_t now)
{
	uint8_t key[CT_KEY_MAX], body[CT_PACK_MAX];
	int klen, blen, kind;
	uint32_t hash;

	if (h->type <= SYNC_T_CT_DEL) {
		struct ct_entry e;

		kind = h->type - SYNC_T_CT_NEW;
		if (sync_msg_parse_ct(msg, h->len, &e, &s->err) < 0)
			return;
		if (!s->ext_ct) {
			sync_external_prepare(s, &e, NULL);
			sync_inject_ct(s, kind, &e, msg, h->len);
			return;
		}
		/* the bucket is fetched while the body is packed */
		klen = ct_entry_key(key, &e);
		hash = klen > 0 ? sync_cache_hash(s->ext_ct, key, (size_t)klen)
				: 0;
		sync_cache_prefetch(s->ext_ct, hash);
		blen = ct_entry_pack(body, sizeof(body), &e, ~(uint64_t)0);
		if (klen > 0 && blen > 0)
			cache_msg(s->ext_ct, kind, key, klen, hash, body, blen,
				  s->ext_mark, now);
		return;
	}
	{
		struct ct_expect x;

		kind = h->type - SYNC_T_EXP_NEW;
		if (sync_msg_parse_exp(msg, h->len, &x, &s->err) < 0)
			return;
		if (!s->ext_exp) {
			sync_inject_exp(s, kind, &x);
			return;
		}
		klen = ct_expect_key(key, &x);
		hash = klen > 0 ? sync_cache_hash(s->ext_exp, key, (size_t)klen)
				: 0;
		sync_cache_prefetch(s->ext_exp, hash);
		blen = ct_expect_pack(body, sizeof(body), &x, ~(uint32_t)0);
		if (klen > 0 && blen > 0)
			cache_msg(s->ext_exp, kind, key, klen, hash, body, blen,
				  s->ext_mark, now);
	}
}
