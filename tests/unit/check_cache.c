// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/cache: add, find, update, delete and flush with
 * their counters and refusals (-EEXIST, HashLimit, sizes); the release
 * callback once per object, before the object is freed (ASan would see a
 * late one); the extra area zeroed and aligned; objects that stay put
 * when their body grows; the stepwise walk (every object once, whole
 * buckets, deleting the visited object, adding others, stopping on an
 * error); chains that lose objects at the head, the tail and between;
 * lookups by a hash given; the bucket of a key as documented; and hash
 * flooding: 100k flows that all collide under an unkeyed hash spread
 * like random ones, differently under another seed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <check.h>

#include "ct/pack.h"
#include "sync/cache.h"
#include "sync/hash.h"
#include "tests/unit/suites.h"

/* What the release callback saw. */
struct seen {
	unsigned int calls;
	unsigned long keysum;
};

static void on_release(struct sync_cache *c, struct sync_cache_obj *o,
		       void *arg)
{
	struct seen *s = arg;
	const uint8_t *k = sync_cache_obj_key(o);

	(void)c;
	s->calls++;
	s->keysum += k[0];	/* still readable: not freed yet */
}

/* Per-object bookkeeping of the tests, in the extra area. */
struct tag {
	uint32_t id;
	uint32_t visits;
	uint8_t original;
};

static struct sync_cache *mk_cache(uint32_t buckets, uint32_t limit,
				   size_t extra, struct seen *s, uint8_t seed)
{
	struct sync_cache_conf cf = {
		.name = "internal", .buckets = buckets, .limit = limit,
		.extra = extra, .release = s ? on_release : NULL, .arg = s,
	};
	struct sync_cache *c = NULL;

	memset(cf.seed, seed, sizeof(cf.seed));
	ck_assert_int_eq(sync_cache_new(&c, &cf), 0);
	ck_assert_ptr_nonnull(c);
	return c;
}

static size_t mk_key(uint8_t k[8], uint32_t i)
{
	k[0] = 'k';
	memcpy(k + 1, &i, 4);
	return 5;
}

/* Adds objects 0..n-1, each tagged with its number. */
static void fill(struct sync_cache *c, uint32_t from, uint32_t n)
{
	for (uint32_t i = from; i < from + n; i++) {
		struct sync_cache_obj *o;
		uint8_t k[8];
		size_t kl = mk_key(k, i);

		ck_assert_int_eq(sync_cache_add(c, k, kl, &i, sizeof(i), i, &o),
				 0);
		((struct tag *)sync_cache_obj_extra(o))->id = i;
	}
}

static struct sync_cache_obj *find_id(struct sync_cache *c, uint32_t i)
{
	uint8_t k[8];
	size_t kl = mk_key(k, i);

	return sync_cache_find(c, k, kl);
}

/* The bucket sync/cache.h promises for @key. */
static uint32_t bucket_of(uint8_t seed, uint32_t buckets, const void *key,
			  size_t len)
{
	uint8_t s[16];

	memset(s, seed, sizeof(s));
	return (uint32_t)((uint64_t)(uint32_t)sync_hash_siphash(s, key, len) *
			  buckets >> 32);
}

/* ---- life of objects --------------------------------------------------- */

START_TEST(new_refusals)
{
	struct sync_cache_conf cf = { .name = "external", .buckets = 4,
				      .limit = 4 };
	char name[40];
	struct sync_cache *c = NULL;

	ck_assert_int_eq(sync_cache_new(&c, NULL), -EINVAL);
	ck_assert_int_eq(sync_cache_new(NULL, &cf), -EINVAL);
	cf.buckets = 0;
	ck_assert_int_eq(sync_cache_new(&c, &cf), -EINVAL);
	cf.buckets = 4;
	cf.limit = 0;
	ck_assert_int_eq(sync_cache_new(&c, &cf), -EINVAL);
	cf.limit = 4;
	cf.extra = 255 * 8 + 1;
	ck_assert_int_eq(sync_cache_new(&c, &cf), -EINVAL);
	cf.extra = 255 * 8;
	memset(name, 'n', 32);
	name[32] = '\0';
	cf.name = name;
	ck_assert_int_eq(sync_cache_new(&c, &cf), -EINVAL);
	ck_assert_ptr_null(c);
	name[31] = '\0';
	ck_assert_int_eq(sync_cache_new(&c, &cf), 0);
	name[0] = 'X';		/* the name was copied */
	ck_assert_uint_eq(strlen(sync_cache_name(c)), 31);
	ck_assert_int_eq(sync_cache_name(c)[0], 'n');
	fill(c, 0, 4);
	sync_cache_free(c);
	cf.name = NULL;
	ck_assert_int_eq(sync_cache_new(&c, &cf), 0);
	ck_assert_str_eq(sync_cache_name(c), "");
	sync_cache_free(c);
	sync_cache_free(NULL);
}
END_TEST

START_TEST(add_find_update_del)
{
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(16, 100, 20, &s, 1);
	struct sync_cache_stats *st = sync_cache_stats(c);
	struct sync_cache_obj *o, *o2 = (void *)1;

	ck_assert_str_eq(sync_cache_name(c), "internal");
	ck_assert_int_eq(sync_cache_add(c, "abc", 3, "hello", 5, 100, &o), 0);
	ck_assert_uint_eq(o->status, SYNC_OBJ_NEW);
	ck_assert_uint_eq(o->lifetime, 100);
	ck_assert_uint_eq(o->lastupdate, 100);
	ck_assert_uint_eq(o->key_len, 3);
	ck_assert_uint_eq(o->body_len, 5);
	ck_assert(!memcmp(sync_cache_obj_key(o), "abc", 3));
	ck_assert(!memcmp(sync_cache_obj_body(o), "hello", 5));
	ck_assert_ptr_eq(sync_cache_find(c, "abc", 3), o);
	ck_assert_ptr_null(sync_cache_find(c, "abd", 3));
	ck_assert_ptr_null(sync_cache_find(c, "ab", 2));
	ck_assert_ptr_null(sync_cache_find(c, "abc", 0));
	/* present: -EEXIST, not a failure */
	ck_assert_int_eq(sync_cache_add(c, "abc", 3, "x", 1, 101, &o2),
			 -EEXIST);
	ck_assert_ptr_null(o2);
	ck_assert_int_eq(sync_cache_add(c, "abcd", 4, "x", 1, 101, NULL), 0);
	ck_assert_uint_eq(st->add_ok, 2);
	ck_assert_uint_eq(st->add_fail, 0);
	ck_assert_uint_eq(sync_cache_count(c), 2);

	ck_assert_int_eq(sync_cache_update(c, o, "hello world!", 12, 200), 0);
	ck_assert_uint_eq(o->status, SYNC_OBJ_ALIVE);
	ck_assert_uint_eq(o->lifetime, 100);
	ck_assert_uint_eq(o->lastupdate, 200);
	ck_assert(!memcmp(sync_cache_obj_body(o), "hello world!", 12));
	/* DEAD: a deletion as upstream counts it, still in the table */
	sync_cache_set_dead(c, o);
	ck_assert_uint_eq(o->status, SYNC_OBJ_DEAD);
	ck_assert_uint_eq(st->del_ok, 1);
	ck_assert_uint_eq(st->active, 1);
	ck_assert_uint_eq(st->objects, 2);
	sync_cache_set_dead(c, o);
	ck_assert_uint_eq(st->del_ok, 1);
	ck_assert_ptr_eq(sync_cache_find(c, "abc", 3), o);
	ck_assert_int_eq(sync_cache_update(c, o, "back", 4, 201), 0);
	ck_assert_uint_eq(o->status, SYNC_OBJ_ALIVE);
	ck_assert_uint_eq(st->upd_ok, 2);
	ck_assert_uint_eq(st->active, 2);

	sync_cache_del(c, o);
	ck_assert_uint_eq(s.calls, 1);
	ck_assert_uint_eq(s.keysum, 'a');
	ck_assert_ptr_null(sync_cache_find(c, "abc", 3));
	ck_assert_uint_eq(st->del_ok, 2);
	ck_assert_uint_eq(st->active, 1);
	ck_assert_uint_eq(st->objects, 1);
	/* deleting a DEAD object counts nothing more */
	o = sync_cache_find(c, "abcd", 4);
	ck_assert_ptr_nonnull(o);
	sync_cache_set_dead(c, o);
	ck_assert_uint_eq(st->active, 0);
	sync_cache_del(c, o);
	ck_assert_uint_eq(st->del_ok, 3);
	ck_assert_uint_eq(st->active, 0);
	ck_assert_uint_eq(st->objects, 0);
	ck_assert_int_eq(sync_cache_add(c, "xyz", 3, "1", 1, 300, NULL), 0);
	ck_assert_uint_eq(sync_cache_count(c), 1);
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 3);
}
END_TEST

START_TEST(add_refusals)
{
	uint8_t key[CT_KEY_MAX + 1] = { 0 }, body[CT_PACK_MAX + 1] = { 0 };
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(8, 100, 0, &s, 2);
	struct sync_cache_stats *st = sync_cache_stats(c);

	ck_assert_int_eq(sync_cache_add(c, key, 0, body, 1, 0, NULL), -EINVAL);
	ck_assert_int_eq(sync_cache_add(c, key, CT_KEY_MAX + 1, body, 1, 0,
					NULL), -EINVAL);
	ck_assert_int_eq(sync_cache_add(c, key, 4, body, CT_PACK_MAX + 1, 0,
					NULL), -EINVAL);
	ck_assert_int_eq(sync_cache_add(c, NULL, 4, body, 1, 0, NULL),
			 -EINVAL);
	ck_assert_int_eq(sync_cache_add(c, key, 4, NULL, 1, 0, NULL),
			 -EINVAL);
	ck_assert_uint_eq(st->add_fail, 5);
	ck_assert_uint_eq(st->add_fail_enomem + st->add_fail_enospc, 0);
	ck_assert_uint_eq(sync_cache_count(c), 0);
	/* the limits themselves are fine, and so is an empty body */
	ck_assert_int_eq(sync_cache_add(c, key, CT_KEY_MAX, body, CT_PACK_MAX,
					0, NULL), 0);
	ck_assert_int_eq(sync_cache_add(c, key, 1, NULL, 0, 0, NULL), 0);
	ck_assert_uint_eq(st->add_ok, 2);
	ck_assert_ptr_nonnull(sync_cache_find(c, key, CT_KEY_MAX));
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 2);
}
END_TEST

/* The lookup that gives its hash, and the add after a miss that takes
 * it: the object lands where a plain lookup finds it (also after the
 * key's old object was deleted in between), with the same refusals and
 * limit as sync_cache_add, counted the same way. */
START_TEST(add_hashed)
{
	uint8_t k[8], big[CT_KEY_MAX + 1] = { 0 };
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(4, 3, sizeof(struct tag), &s, 3);
	struct sync_cache_stats *st = sync_cache_stats(c);
	struct sync_cache_obj *o, *p;
	size_t kl;
	uint32_t h, h2, v = 7;

	fill(c, 0, 2);
	kl = mk_key(k, 1);
	o = sync_cache_find_hash(c, k, kl, &h);
	ck_assert_ptr_eq(o, find_id(c, 1));
	ck_assert_uint_eq(h, o->hash);
	sync_cache_del(c, o);
	ck_assert_ptr_null(sync_cache_find_hash(c, k, kl, &h2));
	ck_assert_uint_eq(h2, h);
	ck_assert_int_eq(sync_cache_add_hashed(c, h, k, kl, &v, sizeof(v), 5,
					       &p), 0);
	ck_assert_ptr_eq(find_id(c, 1), p);
	ck_assert_uint_eq(p->lifetime, 5);
	ck_assert_mem_eq(sync_cache_obj_body(p), &v, sizeof(v));
	kl = mk_key(k, 9);
	ck_assert_ptr_null(sync_cache_find_hash(c, k, kl, &h));
	ck_assert_int_eq(sync_cache_add_hashed(c, h, k, kl, NULL, 0, 6, NULL),
			 0);
	ck_assert_ptr_nonnull(find_id(c, 9));
	ck_assert_uint_eq(sync_cache_count(c), 3);
	/* HashLimit 3 reached, then the argument checks */
	kl = mk_key(k, 10);
	ck_assert_ptr_null(sync_cache_find_hash(c, k, kl, &h));
	ck_assert_int_eq(sync_cache_add_hashed(c, h, k, kl, NULL, 0, 0, &p),
			 -ENOSPC);
	ck_assert_ptr_null(p);
	ck_assert_ptr_null(sync_cache_find_hash(c, big, 0, &h));
	ck_assert_uint_eq(h, 0);
	ck_assert_ptr_null(sync_cache_find_hash(c, big, CT_KEY_MAX + 1, &h));
	ck_assert_int_eq(sync_cache_add_hashed(c, h, big, CT_KEY_MAX + 1,
					       NULL, 0, 0, NULL), -EINVAL);
	ck_assert_int_eq(sync_cache_add_hashed(c, h, NULL, 4, NULL, 0, 0,
					       NULL), -EINVAL);
	ck_assert_uint_eq(st->add_fail, 3);
	ck_assert_uint_eq(st->add_fail_enospc, 1);
	ck_assert_uint_eq(st->add_ok, 4);
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 4);
}
END_TEST

START_TEST(hash_limit)
{
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(4, 8, sizeof(struct tag), &s, 3);
	struct sync_cache_stats *st = sync_cache_stats(c);
	uint8_t k[8];
	size_t kl;

	fill(c, 0, 8);
	kl = mk_key(k, 8);
	ck_assert_int_eq(sync_cache_add(c, k, kl, "b", 1, 0, NULL), -ENOSPC);
	ck_assert_uint_eq(st->add_fail, 1);
	ck_assert_uint_eq(st->add_fail_enospc, 1);
	ck_assert_uint_eq(st->add_fail_enomem, 0);
	/* at the limit a present key is still just present */
	kl = mk_key(k, 3);
	ck_assert_int_eq(sync_cache_add(c, k, kl, "b", 1, 0, NULL), -EEXIST);
	ck_assert_uint_eq(st->add_fail, 1);
	ck_assert_uint_eq(sync_cache_count(c), 8);
	sync_cache_del(c, find_id(c, 3));
	fill(c, 8, 1);
	ck_assert_uint_eq(st->add_ok, 9);
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 9);
}
END_TEST

START_TEST(counters_and_flush)
{
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(16, 100, sizeof(struct tag), &s, 4);
	struct sync_cache_stats *st = sync_cache_stats(c);

	fill(c, 0, 10);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_int_eq(sync_cache_update(c, find_id(c, i), "u", 1,
						   50), 0);
	sync_cache_del(c, find_id(c, 8));
	sync_cache_del(c, find_id(c, 9));
	sync_cache_flush(c);
	ck_assert_uint_eq(s.calls, 10);
	ck_assert_uint_eq(sync_cache_count(c), 0);
	ck_assert_uint_eq(sync_cache_max_chain(c), 0);
	ck_assert_uint_eq(st->active, 0);
	ck_assert_uint_eq(st->flush, 1);
	ck_assert_uint_eq(st->add_ok, 10);
	ck_assert_uint_eq(st->objects, 0);
	ck_assert_uint_eq(st->upd_ok, 3);
	/* 2 deleted one by one, 8 by the flush (upstream's cache_flush) */
	ck_assert_uint_eq(st->del_ok, 10);
	ck_assert_ptr_null(find_id(c, 0));
	/* the owner's counters are the owner's */
	st->upd_fail_enoent++;
	ck_assert_uint_eq(sync_cache_stats(c)->upd_fail_enoent, 1);
	fill(c, 0, 5);
	ck_assert_uint_eq(st->active, 5);
	ck_assert_uint_eq(st->objects, 5);
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 15);
}
END_TEST

/* The object stays where it is whatever its body does; a body that fits
 * the capacity stays where it is too. */
START_TEST(update_in_place)
{
	static uint8_t big[CT_PACK_MAX + 8];
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(2, 10, 0, &s, 5);
	struct sync_cache_stats *st = sync_cache_stats(c);
	struct sync_cache_obj *o;
	const uint8_t *body;
	size_t sizes[] = { 16, 24, 100, 300, CT_PACK_MAX };

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(sync_cache_add(c, "key", 3, big, 10, 1, &o), 0);
	ck_assert_uint_ge(o->body_cap, 10);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ck_assert_int_eq(sync_cache_update(c, o, big + i, sizes[i], 2),
				 0);
		ck_assert_ptr_eq(sync_cache_find(c, "key", 3), o);
		ck_assert_uint_eq(o->body_len, sizes[i]);
		ck_assert_uint_ge(o->body_cap, sizes[i]);
		ck_assert(!memcmp(sync_cache_obj_body(o), big + i, sizes[i]));
	}
	body = sync_cache_obj_body(o);
	ck_assert_int_eq(sync_cache_update(c, o, big, CT_PACK_MAX + 1, 3),
			 -EINVAL);
	ck_assert_int_eq(sync_cache_update(c, o, NULL, 1, 3), -EINVAL);
	ck_assert_uint_eq(st->upd_fail, 2);
	ck_assert_uint_eq(o->body_len, CT_PACK_MAX);
	ck_assert_uint_eq(o->lastupdate, 2);
	ck_assert(!memcmp(body, big + 4, CT_PACK_MAX));
	/* shrinking and a body taken from the object itself */
	ck_assert_int_eq(sync_cache_update(c, o, body + 1, 5, 4), 0);
	ck_assert_ptr_eq(sync_cache_obj_body(o), body);
	ck_assert(!memcmp(body, big + 5, 5));
	ck_assert_int_eq(sync_cache_update(c, o, NULL, 0, 5), 0);
	ck_assert_uint_eq(o->body_len, 0);
	ck_assert_uint_eq(st->upd_ok, sizeof(sizes) / sizeof(sizes[0]) + 2);
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 1);
}
END_TEST

START_TEST(extra_area)
{
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(8, 1000, 36, &s, 6);
	static const uint8_t zero[40];

	for (int round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < 100; i++) {
			struct sync_cache_obj *o;
			uint8_t k[8];
			size_t kl = mk_key(k, i);
			uint8_t *x;

			ck_assert_int_eq(sync_cache_add(c, k, kl, "b", 1, 0,
							&o), 0);
			x = sync_cache_obj_extra(o);
			ck_assert_uint_eq((uintptr_t)x % 8, 0);
			ck_assert(!memcmp(x, zero, 36));
			ck_assert_ptr_eq(sync_cache_obj_of_extra(x), o);
			memset(x, 0xff, 36);	/* the owner's to scribble */
			ck_assert(!memcmp(sync_cache_obj_key(o), k, kl));
		}
		sync_cache_flush(c);
	}
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 300);
}
END_TEST

/* ---- the walk ------------------------------------------------------------ */

struct walk {
	uint32_t visits, budget_hit;
	int fail_at;		/* fail on this visit, -1 never */
	int del_odd;		/* delete objects with an odd id */
	int add_new;		/* add an object per original one */
	uint32_t next_id;
	struct sync_cache_obj *failed;
};

static int visit(struct sync_cache *c, struct sync_cache_obj *o, void *arg)
{
	struct walk *w = arg;
	struct tag *t = sync_cache_obj_extra(o);

	t->visits++;
	if (w->fail_at >= 0 && w->visits == (uint32_t)w->fail_at) {
		w->failed = o;
		return -EIO;
	}
	w->visits++;
	if (w->add_new && t->original)
		fill(c, w->next_id++, 1);
	if (w->del_odd && t->id % 2)
		sync_cache_del(c, o);
	return 0;
}

static int tag_original(struct sync_cache *c, struct sync_cache_obj *o,
			void *arg)
{
	(void)c;
	(void)arg;
	((struct tag *)sync_cache_obj_extra(o))->original = 1;
	return 0;
}

/* Walks the whole cache @budget objects at a time; returns the calls. */
static uint32_t walk_all(struct sync_cache *c, uint32_t budget,
			 struct walk *w, uint8_t seed, uint32_t buckets)
{
	uint32_t cursor = 0, calls = 0, before;
	int rc;

	do {
		before = w->visits;
		rc = sync_cache_iter(c, &cursor, budget, visit, w);
		ck_assert_int_ge(rc, 0);
		calls++;
		if (rc)
			ck_assert_uint_ge(w->visits - before, budget);
		/* whole buckets: visited exactly the objects below cursor */
		for (uint32_t i = 0; !w->add_new && !w->del_odd && i < 1000;
		     i++) {
			struct sync_cache_obj *o = find_id(c, i);
			uint8_t k[8];
			size_t kl = mk_key(k, i);

			if (!o)
				continue;
			ck_assert_uint_eq(((struct tag *)
					   sync_cache_obj_extra(o))->visits,
					  bucket_of(seed, buckets, k, kl) <
					  cursor);
		}
	} while (rc == 1);
	ck_assert_uint_eq(cursor, buckets);
	return calls;
}

static void ck_visited_once(struct sync_cache *c, uint32_t from, uint32_t n)
{
	for (uint32_t i = from; i < from + n; i++) {
		struct sync_cache_obj *o = find_id(c, i);

		ck_assert_ptr_nonnull(o);
		ck_assert_uint_eq(((struct tag *)sync_cache_obj_extra(o))->visits,
				  1);
	}
}

START_TEST(iter_budget)
{
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(64, 2000, sizeof(struct tag), &s, 7);
	struct walk w = { .fail_at = -1 };
	uint32_t calls;

	fill(c, 0, 1000);
	calls = walk_all(c, 10, &w, 7, 64);
	ck_assert_uint_eq(w.visits, 1000);
	ck_visited_once(c, 0, 1000);
	ck_assert_uint_gt(calls, 1);
	ck_assert_uint_le(calls, 64);
	/* budget 0: one bucket per call */
	sync_cache_flush(c);
	fill(c, 0, 1000);
	memset(&w, 0, sizeof(w));
	w.fail_at = -1;
	ck_assert_uint_eq(walk_all(c, 0, &w, 7, 64), 64);
	ck_visited_once(c, 0, 1000);
	sync_cache_free(c);
}
END_TEST

START_TEST(iter_delete_visited)
{
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(64, 2000, sizeof(struct tag), &s, 8);
	struct walk w = { .fail_at = -1, .del_odd = 1 };

	fill(c, 0, 1000);
	walk_all(c, 7, &w, 8, 64);
	ck_assert_uint_eq(w.visits, 1000);
	ck_assert_uint_eq(sync_cache_count(c), 500);
	ck_assert_uint_eq(s.calls, 500);
	for (uint32_t i = 0; i < 1000; i++)
		ck_assert((find_id(c, i) == NULL) == (i % 2));
	for (uint32_t i = 0; i < 1000; i += 2)
		ck_visited_once(c, i, 1);
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 1000);
}
END_TEST

START_TEST(iter_add_others)
{
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(64, 3000, sizeof(struct tag), &s, 9);
	struct walk w = { .fail_at = -1, .add_new = 1, .next_id = 1000 };
	uint32_t cursor = 0;

	fill(c, 0, 1000);
	ck_assert_int_eq(sync_cache_iter(c, &cursor, UINT32_MAX, tag_original,
					 NULL), 0);
	walk_all(c, 13, &w, 9, 64);
	ck_assert_uint_eq(sync_cache_count(c), 2000);
	ck_visited_once(c, 0, 1000);
	for (uint32_t i = 1000; i < 2000; i++)
		ck_assert_uint_le(((struct tag *)
				   sync_cache_obj_extra(find_id(c, i)))->visits,
				  1);
	sync_cache_free(c);
	ck_assert_uint_eq(s.calls, 2000);
}
END_TEST

START_TEST(iter_error)
{
	struct seen s = { 0 };
	struct sync_cache *c = mk_cache(64, 2000, sizeof(struct tag), &s, 10);
	struct walk w = { .fail_at = 100 };
	uint32_t cursor = 0, id;
	uint8_t k[8];
	size_t kl;
	int rc;

	fill(c, 0, 1000);
	do
		rc = sync_cache_iter(c, &cursor, 50, visit, &w);
	while (rc == 1);
	ck_assert_int_eq(rc, -EIO);
	id = ((struct tag *)sync_cache_obj_extra(w.failed))->id;
	kl = mk_key(k, id);
	ck_assert_uint_eq(cursor, bucket_of(10, 64, k, kl) + 1);
	/* going on from there completes the walk */
	w.fail_at = -1;
	do
		rc = sync_cache_iter(c, &cursor, 50, visit, &w);
	while (rc == 1);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(cursor, 64);
	ck_assert_uint_le(w.visits, 1000);
	ck_assert_uint_gt(w.visits, 900);
	/* past the end */
	cursor = 1000;
	ck_assert_int_eq(sync_cache_iter(c, &cursor, 50, visit, &w), 0);
	sync_cache_free(c);
}
END_TEST

START_TEST(odd_bucket_counts)
{
	struct seen s = { 0 };
	uint32_t counts[] = { 1, 3, 1000 };

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct sync_cache *c = mk_cache(counts[i], 500,
						sizeof(struct tag), &s, 11);
		struct walk w = { .fail_at = -1 };

		fill(c, 0, 300);
		for (uint32_t id = 0; id < 300; id++)
			ck_assert_ptr_nonnull(find_id(c, id));
		walk_all(c, 20, &w, 11, counts[i]);
		ck_visited_once(c, 0, 300);
		if (counts[i] == 1)
			ck_assert_uint_eq(sync_cache_max_chain(c), 300);
		sync_cache_free(c);
	}
	ck_assert_uint_eq(s.calls, 900);
}
END_TEST

/* ---- hash flooding -------------------------------------------------------- */

#define FLOOD 100000u

/* Key of flow @i: IPv4 TCP whose source address goes up and destination
 * goes down by @i, so the sum of the key's 32-bit words never changes:
 * every flow collides under that unkeyed hash. */
static int flood_key(uint8_t k[CT_KEY_MAX], uint32_t i)
{
	struct ct_entry e;

	memset(&e, 0, sizeof(e));
	e.family = AF_INET;
	e.set = CT_ORIG;
	e.orig.set = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO |
		     CT_TUPLE_SPORT | CT_TUPLE_DPORT;
	e.orig.l3 = AF_INET;
	e.orig.l4 = IPPROTO_TCP;
	e.orig.src.v4 = 0x0a000000u + i;
	e.orig.dst.v4 = 0xc0a80000u - i;
	e.orig.sport = 40000;
	e.orig.dport = 443;
	return ct_entry_key(k, &e);
}

static uint32_t sum_hash(const uint8_t *k, int len)
{
	uint32_t h = 0, w;

	for (int i = 0; i + 4 <= len; i += 4) {
		memcpy(&w, k + i, 4);
		h += w;
	}
	return h;
}

struct order {
	uint32_t *ids;
	uint32_t n;
};

static int record(struct sync_cache *c, struct sync_cache_obj *o, void *arg)
{
	struct order *r = arg;

	(void)c;
	memcpy(&r->ids[r->n++], sync_cache_obj_body(o), 4);
	return 0;
}

/* The order a whole walk meets the first @n flows in, under @seed. */
static void walk_order(uint8_t seed, uint32_t *ids, uint32_t n)
{
	struct sync_cache *c = mk_cache(65536, 2 * FLOOD, 0, NULL, seed);
	struct order r = { ids, 0 };
	uint8_t k[CT_KEY_MAX];
	uint32_t cursor = 0, last = 0;

	for (uint32_t i = 0; i < n; i++) {
		int kl = flood_key(k, i);

		ck_assert_int_eq(sync_cache_add(c, k, (size_t)kl, &i, 4, 0,
						NULL), 0);
	}
	ck_assert_int_eq(sync_cache_iter(c, &cursor, UINT32_MAX, record, &r),
			 0);
	ck_assert_uint_eq(r.n, n);
	/* bucket by bucket, as the documented formula places them */
	for (uint32_t i = 0; i < n; i++) {
		int kl = flood_key(k, ids[i]);
		uint32_t b = bucket_of(seed, 65536, k, (size_t)kl);

		ck_assert_uint_ge(b, last);
		last = b;
	}
	sync_cache_free(c);
}

START_TEST(flooding)
{
	struct sync_cache *c = mk_cache(65536, 2 * FLOOD, 0, NULL, 12);
	uint8_t k[CT_KEY_MAX];
	uint32_t weak = 0, chain;
	int kl;

	for (uint32_t i = 0; i < FLOOD; i++) {
		kl = flood_key(k, i);
		ck_assert_int_eq(kl, 16);
		if (i == 0)
			weak = sum_hash(k, kl);
		ck_assert_uint_eq(sum_hash(k, kl), weak);
		ck_assert_int_eq(sync_cache_add(c, k, (size_t)kl, &i, 4, 0,
						NULL), 0);
	}
	ck_assert_uint_eq(sync_cache_count(c), FLOOD);
	chain = sync_cache_max_chain(c);
	/* a random hash gives about 9 for 100k keys in 65536 buckets */
	ck_assert_msg(chain < 40, "longest chain %u", chain);
	ck_assert_uint_ge(chain, 2);
	for (uint32_t i = 0; i < FLOOD; i += 997) {
		kl = flood_key(k, i);
		ck_assert_ptr_nonnull(sync_cache_find(c, k, (size_t)kl));
	}
	sync_cache_free(c);
}
END_TEST

START_TEST(seeds_differ)
{
	static uint32_t a[2000], a2[2000], b[2000];

	walk_order(13, a, 2000);
	walk_order(13, a2, 2000);
	walk_order(14, b, 2000);
	ck_assert(!memcmp(a, a2, sizeof(a)));
	ck_assert(memcmp(a, b, sizeof(a)));
}
END_TEST

/* ---- chains ------------------------------------------------------------- */

/* Orders in which five objects sharing one chain (one bucket; newest at
 * the head: 4 3 2 1 0) are deleted: head first, tail first, middle,
 * alternating. After each deletion every object left is found, the
 * deleted ones are not, and the chain is as long as what is left (the
 * links' "another follows" flags stay right when their neighbour goes). */
static const uint32_t del_orders[][5] = {
	{ 4, 3, 2, 1, 0 }, { 0, 1, 2, 3, 4 }, { 2, 1, 3, 0, 4 },
	{ 1, 3, 0, 4, 2 }, { 3, 0, 4, 2, 1 },
};

START_TEST(chain_deletes)
{
	struct sync_cache *c = mk_cache(1, 16, sizeof(struct tag), NULL, 9);
	uint32_t gone = 0;

	fill(c, 0, 5);
	ck_assert_uint_eq(sync_cache_max_chain(c), 5);
	for (int k = 0; k < 5; k++) {
		uint32_t id = del_orders[_i][k];

		sync_cache_del(c, find_id(c, id));
		gone |= 1u << id;
		for (uint32_t j = 0; j < 6; j++) {
			struct sync_cache_obj *o = find_id(c, j);

			if (j < 5 && !(gone & 1u << j)) {
				ck_assert_ptr_nonnull(o);
				ck_assert_uint_eq(((struct tag *)
					sync_cache_obj_extra(o))->id, j);
			} else {
				ck_assert_ptr_null(o);
			}
		}
		ck_assert_uint_eq(sync_cache_max_chain(c), (uint32_t)(4 - k));
	}
	/* and new objects chain up again behind an emptied bucket */
	fill(c, 10, 2);
	ck_assert_ptr_nonnull(find_id(c, 10));
	ck_assert_ptr_nonnull(find_id(c, 11));
	sync_cache_free(c);
}
END_TEST

/* sync_cache_hash, _prefetch and _find_hashed agree with _find. */
START_TEST(find_hashed)
{
	struct sync_cache *c = mk_cache(7, 64, sizeof(struct tag), NULL, 3);
	uint8_t k[8];
	size_t kl;

	fill(c, 0, 20);
	for (uint32_t i = 0; i < 22; i++) {
		uint32_t h;

		kl = mk_key(k, i);
		h = sync_cache_hash(c, k, kl);
		sync_cache_prefetch(c, h);
		ck_assert_ptr_eq(sync_cache_find_hashed(c, k, kl, h),
				 sync_cache_find(c, k, kl));
		if (i < 20)
			ck_assert_uint_eq(find_id(c, i)->hash, h);
	}
	ck_assert_uint_eq(sync_cache_hash(c, k, 0), 0);
	ck_assert_ptr_null(sync_cache_find_hashed(c, k, 0, 0));
	ck_assert_uint_eq(sync_cache_hash(c, k, CT_KEY_MAX + 1), 0);
	sync_cache_free(c);
}
END_TEST

Suite *cache_suite(void)
{
	Suite *s = suite_create("cache");
	TCase *t;

	t = tcase_create("objects");
	tcase_add_test(t, new_refusals);
	tcase_add_test(t, add_find_update_del);
	tcase_add_test(t, add_refusals);
	tcase_add_test(t, add_hashed);
	tcase_add_test(t, hash_limit);
	tcase_add_test(t, counters_and_flush);
	tcase_add_test(t, update_in_place);
	tcase_add_test(t, extra_area);
	suite_add_tcase(s, t);

	t = tcase_create("iter");
	tcase_add_test(t, iter_budget);
	tcase_add_test(t, iter_delete_visited);
	tcase_add_test(t, iter_add_others);
	tcase_add_test(t, iter_error);
	tcase_add_test(t, odd_bucket_counts);
	suite_add_tcase(s, t);

	t = tcase_create("chains");
	tcase_add_loop_test(t, chain_deletes, 0,
			    (int)(sizeof(del_orders) / sizeof(del_orders[0])));
	tcase_add_test(t, find_hashed);
	suite_add_tcase(s, t);

	t = tcase_create("hash");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, flooding);
	tcase_add_test(t, seeds_differ);
	suite_add_tcase(s, t);
	return s;
}
