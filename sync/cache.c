// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's caches (sync/cache.h): a bucket array that never grows,
 * singly linked chains with new objects at the head, the bucket chosen
 * by multiplying the keyed SipHash (low 32 bits) by the bucket count and
 * keeping the top 32 bits (no division, any HashSize). Every link (bucket
 * head, object's next) holds the pointed object's hash too, and whether
 * that object has a successor: a lookup reads an object only when its
 * hash matches or the chain goes on past it, so a miss in a chain of n
 * costs n - 1 object reads, not n (a cache miss each, under load). An
 * object is one allocation laid out as
 *
 *   struct sync_cache_obj | extra area (extra8 * 8) | key | body room
 *
 * its size rounded up to what malloc hands out anyway (16-byte chunks
 * with an 8-byte header on glibc), the slack going to the body room, so
 * updates that grow a body a little still fit. A body that outgrows its
 * room moves to an allocation of its own (o->body then points there).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct/pack.h"
#include "sync/cache.h"
#include "sync/hash.h"
#include "sync/log.h"

#define NAME_MAX_LEN 31
#define EXTRA_MAX (255 * 8)

struct sync_cache {
	struct sync_cache_link *bucket;
	uint32_t buckets, limit, count;
	uint8_t extra8;
	uint8_t seed[16];
	sync_cache_release_cb release;
	void *arg;
	struct sync_log *log;
	uint32_t full_logged;		/* when, in `now' seconds, or 0 */
	struct sync_cache_stats stats;
	char name[NAME_MAX_LEN + 1];
};

int sync_cache_new(struct sync_cache **out, const struct sync_cache_conf *cf)
{
	struct sync_cache *c;
	const char *name;

	if (!out || !cf || !cf->buckets || !cf->limit || cf->extra > EXTRA_MAX)
		return -EINVAL;
	name = cf->name ? cf->name : "";
	if (strnlen(name, NAME_MAX_LEN + 1) > NAME_MAX_LEN)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->bucket = calloc(cf->buckets, sizeof(c->bucket[0]));
	if (!c->bucket) {
		free(c);
		return -ENOMEM;
	}
	c->buckets = cf->buckets;
	c->limit = cf->limit;
	c->extra8 = (uint8_t)((cf->extra + 7) / 8);
	memcpy(c->seed, cf->seed, sizeof(c->seed));
	c->release = cf->release;
	c->arg = cf->arg;
	c->log = cf->log;
	memcpy(c->name, name, strlen(name) + 1);
	*out = c;
	return 0;
}

/* Where @o's body lives when it has not outgrown its room. */
static uint8_t *body_room(struct sync_cache_obj *o)
{
	return (uint8_t *)(o + 1) + (size_t)o->extra8 * 8 + o->key_len;
}

static void obj_free(struct sync_cache_obj *o)
{
	if (o->body != body_room(o))
		free(o->body);
	free(o);
}

/* Everything goes, the release callback first. With @count, each
 * object that is not DEAD counts as a deletion, as upstream's flush. */
static void drop_all(struct sync_cache *c, int count)
{
	for (uint32_t b = 0; b < c->buckets; b++) {
		struct sync_cache_obj *o = c->bucket[b].obj, *next;

		c->bucket[b] = (struct sync_cache_link){ NULL, 0, 0 };
		for (; o; o = next) {
			next = o->next.obj;
			c->count--;
			c->stats.objects--;
			if (o->status != SYNC_OBJ_DEAD) {
				c->stats.active--;
				c->stats.del_ok += (uint32_t)count;
			}
			if (c->release)
				c->release(c, o, c->arg);
			obj_free(o);
		}
	}
}

void sync_cache_free(struct sync_cache *c)
{
	if (!c)
		return;
	drop_all(c, 0);
	free(c->bucket);
	free(c);
}

const char *sync_cache_name(const struct sync_cache *c)
{
	return c->name;
}

struct sync_cache_stats *sync_cache_stats(struct sync_cache *c)
{
	return &c->stats;
}

uint32_t sync_cache_count(const struct sync_cache *c)
{
	return c->count;
}

static uint32_t key_hash(const struct sync_cache *c, const void *key,
			 size_t len)
{
	return (uint32_t)sync_hash_siphash(c->seed, key, len);
}

static uint32_t bucket_of(const struct sync_cache *c, uint32_t hash)
{
	return (uint32_t)((uint64_t)hash * c->buckets >> 32);
}

const void *sync_cache_obj_key(const struct sync_cache_obj *o)
{
	return (const uint8_t *)(o + 1) + (size_t)o->extra8 * 8;
}

const void *sync_cache_obj_body(const struct sync_cache_obj *o)
{
	return o->body;
}

void *sync_cache_obj_extra(struct sync_cache_obj *o)
{
	return o + 1;
}

struct sync_cache_obj *sync_cache_obj_of_extra(void *extra)
{
	return (struct sync_cache_obj *)extra - 1;
}

static struct sync_cache_obj *find(const struct sync_cache *c,
				   const void *key, size_t len, uint32_t h)
{
	const struct sync_cache_link *l = &c->bucket[bucket_of(c, h)];

	for (; l->obj; l = &l->obj->next) {
		if (l->hash == h && l->obj->key_len == len &&
		    !memcmp(sync_cache_obj_key(l->obj), key, len))
			return l->obj;
		if (!l->more)
			break;
	}
	return NULL;
}

uint32_t sync_cache_hash(const struct sync_cache *c, const void *key,
			 size_t key_len)
{
	if (!key_len || key_len > CT_KEY_MAX)
		return 0;
	return key_hash(c, key, key_len);
}

void sync_cache_prefetch(const struct sync_cache *c, uint32_t hash)
{
#if defined(__GNUC__)
	__builtin_prefetch(&c->bucket[bucket_of(c, hash)]);
#else
	(void)c;
	(void)hash;
#endif
}

struct sync_cache_obj *sync_cache_find_hashed(const struct sync_cache *c,
					      const void *key, size_t key_len,
					      uint32_t hash)
{
	if (!key_len || key_len > CT_KEY_MAX)
		return NULL;
	return find(c, key, key_len, hash);
}

struct sync_cache_obj *sync_cache_find(const struct sync_cache *c,
				       const void *key, size_t key_len)
{
	uint32_t h;

	return sync_cache_find_hash(c, key, key_len, &h);
}

struct sync_cache_obj *sync_cache_find_hash(const struct sync_cache *c,
					    const void *key, size_t key_len,
					    uint32_t *hash)
{
	*hash = 0;
	if (!key_len || key_len > CT_KEY_MAX)
		return NULL;
	*hash = key_hash(c, key, key_len);
	return find(c, key, key_len, *hash);
}

/* What malloc gives for @len bytes anyway: 8 less than a multiple of 16,
 * at least 24 (glibc's chunks; harmless elsewhere). */
static size_t chunk_size(size_t len)
{
	size_t cap = ((len + 8 + 15) & ~(size_t)15) - 8;

	return cap < 24 ? 24 : cap;
}

/* A body buffer holding @len bytes of @body, or NULL (*@cap unchanged). */
static uint8_t *body_new(const void *body, size_t len, uint16_t *cap)
{
	size_t n = chunk_size(len);
	uint8_t *b = malloc(n);

	if (!b)
		return NULL;
	if (len)
		memcpy(b, body, len);
	*cap = (uint16_t)n;
	return b;
}

static int add_fail(struct sync_cache *c, int err)
{
	c->stats.add_fail++;
	if (err == -ENOMEM)
		c->stats.add_fail_enomem++;
	else if (err == -ENOSPC)
		c->stats.add_fail_enospc++;
	return err;
}

/* HashLimit reached: counted (add_fail), and said in the log, once a
 * minute at most, so that a full cache is never silent. */
static void full(struct sync_cache *c, uint32_t now)
{
	if (!c->log || (c->full_logged && now - c->full_logged < 60))
		return;
	c->full_logged = now ? now : 1;
	sync_log(c->log, SYNC_LOG_WARNING, "%s cache is full (HashLimit "
		 "%u): a flow could not be added (refused so far: %u); "
		 "raise HashLimit", c->name[0] ? c->name : "a", c->limit,
		 c->stats.add_fail_enospc);
}

static int insert(struct sync_cache *c, uint32_t h, const void *key,
		  size_t key_len, const void *body, size_t body_len,
		  uint32_t now, struct sync_cache_obj **out)
{
	size_t head = sizeof(struct sync_cache_obj) + (size_t)c->extra8 * 8;
	size_t size = chunk_size(head + key_len + body_len);
	struct sync_cache_obj *o;
	uint32_t b;

	if (c->count >= c->limit) {
		add_fail(c, -ENOSPC);
		full(c, now);
		return -ENOSPC;
	}
	o = malloc(size);
	if (!o)
		return add_fail(c, -ENOMEM);
	memset(o, 0, head);	/* the header and the extra area */
	o->hash = h;
	o->lifetime = o->lastupdate = now;
	o->body_len = (uint16_t)body_len;
	o->body_cap = (uint16_t)(size - head - key_len);
	o->key_len = (uint8_t)key_len;
	o->status = SYNC_OBJ_NEW;
	o->extra8 = c->extra8;
	memcpy((uint8_t *)o + head, key, key_len);
	o->body = body_room(o);
	if (body_len)
		memcpy(o->body, body, body_len);
	b = bucket_of(c, h);
	o->next = c->bucket[b];
	c->bucket[b] = (struct sync_cache_link){ o, h, o->next.obj != NULL };
	c->count++;
	c->stats.active++;
	c->stats.add_ok++;
	c->stats.objects++;
	if (out)
		*out = o;
	return 0;
}

static int add_args_bad(const void *key, size_t key_len, const void *body,
			size_t body_len)
{
	return !key || !key_len || key_len > CT_KEY_MAX ||
	       body_len > CT_PACK_MAX || (body_len && !body);
}

int sync_cache_add(struct sync_cache *c, const void *key, size_t key_len,
		   const void *body, size_t body_len, uint32_t now,
		   struct sync_cache_obj **out)
{
	uint32_t h;

	if (out)
		*out = NULL;
	if (add_args_bad(key, key_len, body, body_len))
		return add_fail(c, -EINVAL);
	h = key_hash(c, key, key_len);
	if (find(c, key, key_len, h))
		return -EEXIST;
	return insert(c, h, key, key_len, body, body_len, now, out);
}

int sync_cache_add_hashed(struct sync_cache *c, uint32_t hash,
			  const void *key, size_t key_len, const void *body,
			  size_t body_len, uint32_t now,
			  struct sync_cache_obj **out)
{
	if (out)
		*out = NULL;
	if (add_args_bad(key, key_len, body, body_len))
		return add_fail(c, -EINVAL);
	return insert(c, hash, key, key_len, body, body_len, now, out);
}

int sync_cache_update(struct sync_cache *c, struct sync_cache_obj *o,
		      const void *body, size_t body_len, uint32_t now)
{
	uint8_t *nb;

	if (body_len > CT_PACK_MAX || (body_len && !body)) {
		c->stats.upd_fail++;
		return -EINVAL;
	}
	if (body_len > o->body_cap) {
		nb = body_new(body, body_len, &o->body_cap);
		if (!nb) {
			c->stats.upd_fail++;
			return -ENOMEM;
		}
		if (o->body != body_room(o))
			free(o->body);
		o->body = nb;
	} else if (body_len) {
		memmove(o->body, body, body_len);
	}
	o->body_len = (uint16_t)body_len;
	o->lastupdate = now;
	if (o->status == SYNC_OBJ_DEAD)
		c->stats.active++;
	o->status = SYNC_OBJ_ALIVE;
	c->stats.upd_ok++;
	return 0;
}

void sync_cache_set_dead(struct sync_cache *c, struct sync_cache_obj *o)
{
	if (o->status == SYNC_OBJ_DEAD)
		return;
	o->status = SYNC_OBJ_DEAD;
	c->stats.active--;
	c->stats.del_ok++;
}

void sync_cache_del(struct sync_cache *c, struct sync_cache_obj *o)
{
	struct sync_cache_link *l = &c->bucket[bucket_of(c, o->hash)];

	while (l->obj && l->obj != o)
		l = &l->obj->next;
	if (!l->obj)
		return;		/* not ours: nothing to undo */
	*l = o->next;
	if (c->release)
		c->release(c, o, c->arg);
	c->count--;
	c->stats.objects--;
	if (o->status != SYNC_OBJ_DEAD) {
		c->stats.active--;
		c->stats.del_ok++;
	}
	obj_free(o);
}

void sync_cache_flush(struct sync_cache *c)
{
	drop_all(c, 1);
	c->stats.flush++;
}

int sync_cache_iter(struct sync_cache *c, uint32_t *cursor, uint32_t budget,
		    sync_cache_iter_cb cb, void *arg)
{
	uint32_t b = *cursor, seen = 0;

	while (b < c->buckets) {
		struct sync_cache_obj *o = c->bucket[b].obj, *next;

		for (; o; o = next) {
			int rc;

			next = o->next.obj;	/* @cb may delete o */
			rc = cb(c, o, arg);
			seen++;
			if (rc < 0) {
				*cursor = b + 1;
				return rc;
			}
		}
		b++;
		if (seen >= budget)
			break;
	}
	*cursor = b;
	return b < c->buckets;
}

uint32_t sync_cache_max_chain(const struct sync_cache *c)
{
	uint32_t max = 0;

	for (uint32_t b = 0; b < c->buckets; b++) {
		uint32_t n = 0;

		for (const struct sync_cache_obj *o = c->bucket[b].obj; o;
		     o = o->next.obj)
			n++;
		if (n > max)
			max = n;
	}
	return max;
}
