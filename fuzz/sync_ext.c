// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the external side of the Sync mode (sync/external.c:
 * sync_external_msg), what a peer's data messages do to the external
 * caches. Input: byte 0 bits 0-3 HashLimit - 1 (a small cache reaches
 * its limit), bit 4 walk the datagram a second time after a resync mark
 * change; the rest is one datagram from the peer, walked with
 * sync_msg_walk() as sync_recv_payload() does, each data message handed
 * over from a copy of its exact size. Properties, each an abort() when
 * violated:
 *  - a message the decoder rejects (one more rcv_bad_payload, which
 *    happens exactly when sync_msg_parse_ct/_exp refuses it) changes
 *    neither cache: the same objects, keys, bodies, status, marks and
 *    times, and the same cache counters;
 *  - an accepted one changes only its own cache (conntrack or
 *    expectation), and only by its own key: afterwards a deletion's key
 *    is absent, and a new or updated flow's key is present with the body
 *    packed from the message, unless the cache is at its limit (then
 *    the failure is counted);
 *  - nothing reads past the message (ASan).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ct/pack.h"
#include "sync/sync_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* What a cache holds, order independent: object count, a sum and a xor
 * of per-object digests, and the counters. */
struct snap {
	uint32_t count;
	uint64_t sum, xor;
	struct sync_cache_stats st;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static int digest_obj(struct sync_cache *c, struct sync_cache_obj *o,
		      void *arg)
{
	struct snap *sn = arg;
	uint64_t h = 0xcbf29ce484222325ULL;

	(void)c;
	h = fnv(h, &o->key_len, 1);
	h = fnv(h, sync_cache_obj_key(o), o->key_len);
	h = fnv(h, &o->body_len, sizeof(o->body_len));
	h = fnv(h, sync_cache_obj_body(o), o->body_len);
	h = fnv(h, &o->status, 1);
	h = fnv(h, &o->mark, 1);
	h = fnv(h, &o->lifetime, sizeof(o->lifetime));
	h = fnv(h, &o->lastupdate, sizeof(o->lastupdate));
	sn->sum += h;
	sn->xor ^= h;
	return 0;
}

static void snap_take(struct sync_cache *c, struct snap *sn)
{
	uint32_t cursor = 0;

	memset(sn, 0, sizeof(*sn));
	while (sync_cache_iter(c, &cursor, UINT32_MAX, digest_obj, sn) == 1)
		;
	sn->count = sync_cache_count(c);
	CHECK(sn->count == sync_cache_stats(c)->active);
	sn->st = *sync_cache_stats(c);
}

static int snap_same(const struct snap *a, const struct snap *b)
{
	return a->count == b->count && a->sum == b->sum && a->xor == b->xor &&
	       !memcmp(&a->st, &b->st, sizeof(a->st));
}

/* What the message should make of its key: its key and packed body
 * (lengths > 0), or 0 when the parse refuses it or it cannot be keyed. */
static int expected(const uint8_t *msg, const struct sync_msg_hdr *h,
		    uint8_t *key, int *klen, uint8_t *body, int *blen)
{
	struct sync_msg_stats st = { 0 };

	if (h->type <= SYNC_T_CT_DEL) {
		struct ct_entry e;

		if (sync_msg_parse_ct(msg, h->len, &e, &st) < 0)
			return -1;
		*klen = ct_entry_key(key, &e);
		*blen = ct_entry_pack(body, CT_PACK_MAX, &e, ~(uint64_t)0);
	} else {
		struct ct_expect x;

		if (sync_msg_parse_exp(msg, h->len, &x, &st) < 0)
			return -1;
		*klen = ct_expect_key(key, &x);
		*blen = ct_expect_pack(body, CT_PACK_MAX, &x, ~(uint32_t)0);
	}
	return *klen > 0 && *blen > 0;
}

static void one(struct sync_state *s, const uint8_t *msg,
		const struct sync_msg_hdr *h)
{
	uint8_t key[CT_KEY_MAX], body[CT_PACK_MAX];
	int ct = h->type <= SYNC_T_CT_DEL, klen = 0, blen = 0, want;
	struct sync_cache *mine = ct ? s->ext_ct : s->ext_exp;
	struct sync_cache *other = ct ? s->ext_exp : s->ext_ct;
	struct snap a[2], b[2];
	uint32_t bad = s->err.rcv_bad_payload, fail;
	struct sync_cache_obj *o;

	want = expected(msg, h, key, &klen, body, &blen);
	snap_take(mine, &a[0]);
	snap_take(other, &a[1]);
	fail = a[0].st.add_fail;
	sync_external_msg(s, h, msg, sync_daemon_now());
	snap_take(mine, &b[0]);
	snap_take(other, &b[1]);
	CHECK(snap_same(&a[1], &b[1]));
	CHECK(s->err.rcv_bad_payload == bad + (want < 0));
	if (want <= 0) {
		CHECK(snap_same(&a[0], &b[0]));
		return;
	}
	o = sync_cache_find(mine, key, (size_t)klen);
	if (h->type == SYNC_T_CT_DEL || h->type == SYNC_T_EXP_DEL) {
		CHECK(!o && b[0].count + 1 >= a[0].count);
		CHECK(b[0].count <= a[0].count);
		return;
	}
	CHECK(b[0].count <= a[0].count + 1);
	if (!o) {
		CHECK(b[0].st.add_fail > fail);
		return;
	}
	CHECK(o->body_len == blen && o->mark == s->ext_mark);
	CHECK(!memcmp(sync_cache_obj_body(o), body, (size_t)blen));
}

/* Each message from a copy of its exact size. */
static void handed(void *arg, const struct sync_msg_hdr *h,
		   const uint8_t *msg)
{
	uint8_t *copy;

	if (!sync_msg_is_data(h))
		return;
	copy = malloc(h->len);
	CHECK(copy);
	memcpy(copy, msg, h->len);
	one(arg, copy, h);
	free(copy);
}

static void walk(struct sync_state *s, const uint8_t *p, size_t len)
{
	sync_msg_walk(p, len, &s->err, handed, s);
}

static void cache_open(struct sync_daemon *d, struct sync_cache **c,
		       uint32_t limit)
{
	struct sync_cache_conf cf = {
		.name = "external",
		.buckets = 8,
		.limit = limit,
		.log = &d->log,
	};

	CHECK(sync_cache_new(c, &cf) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sync_conf conf;
	struct sync_daemon d = { .conf = &conf };
	struct sync_state *s;

	if (size < 1)
		return 0;
	s = calloc(1, sizeof(*s));
	CHECK(s);
	sync_log_init(&d.log);
	sync_log_console(&d.log, 0);
	s->d = &d;
	s->conf = &conf;
	s->sub = &sync_sub_ftfw;
	cache_open(&d, &s->ext_ct, 1 + (data[0] & 15));
	cache_open(&d, &s->ext_exp, 1 + (data[0] & 15));
	walk(s, data + 1, size - 1);
	if (data[0] & 16) {
		s->ext_mark ^= 1;
		walk(s, data + 1, size - 1);
	}
	sync_external_fini(s);
	free(s);
	return 0;
}
