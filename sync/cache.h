/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's caches: the flows (or expectations) the daemon keeps, each
 * an object found by its key (ct/pack.h: ct_entry_key, ct_expect_key)
 * and carrying its packed body (ct_entry_pack, ct_expect_pack). One cache
 * type serves the internal cache (the local kernel's state), the external
 * cache (what peers sent) and the Stats mode cache.
 *
 * A fixed array of HashSize buckets with chains, at most HashLimit
 * objects (beyond: -ENOSPC, counted as upstream's "no space left in
 * cache"). The bucket of a key comes from SipHash-1-3 (sync/hash.h) keyed
 * with a per-process random seed, so nobody can choose flows that pile
 * into one chain (upstream hashes with an unkeyed jhash). Each link of
 * a chain (the bucket's head and each object's next) carries the hash of
 * the object it points to and whether the chain goes on after it, so a
 * lookup reads only the objects whose hash matches and those it must
 * pass. An object is one allocation: a header, the
 * mode's extra area, the key and the body; an update reuses the body's
 * room when the new body fits, else moves the body (never the object)
 * to an allocation of its own.
 *
 * Counters are plain fields named as `conntrackd -s cache` prints them;
 * the cache counts what it does itself (adds, updates, deletes, their
 * failures) and the owner counts the rest (lookups of entries that are
 * not there, commits) in the same struct.
 *
 * Long walks (a dump to a client, a commit, a bulk send, a sweep after a
 * resync) go through sync_cache_iter(), a bucket cursor advanced a bounded
 * number of objects per call, so the event loop stays responsive; objects
 * may be added or deleted between calls (each object present during the
 * whole walk is visited exactly once; others at most once).
 */
#ifndef RAWCT_SYNC_CACHE_H
#define RAWCT_SYNC_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Object status, as upstream's C_OBJ_*. */
enum sync_obj_status {
	SYNC_OBJ_NEW = 1,	/* just added */
	SYNC_OBJ_ALIVE,		/* updated since */
	SYNC_OBJ_DEAD,		/* gone from the kernel; kept until the
				 * mode is done with it (FTFW: acked) */
};

/*
 * One cached object. The owner may read every field and write status,
 * mark and the extra area; the rest belongs to the cache. The extra area
 * (sync_cache_conf.extra bytes, 8-byte aligned) is zeroed on add and is
 * the sync mode's (queue links, timers, sequence numbers).
 */
struct sync_cache_obj;

/* A link of a hash chain: the object it points to, that object's hash
 * and whether another object follows it, so a lookup reads no object of
 * another key unless the chain goes on past it. */
struct sync_cache_link {
	struct sync_cache_obj *obj;
	uint32_t hash;
	uint32_t more;		/* obj->next.obj != NULL */
};

struct sync_cache_obj {
	struct sync_cache_link next;	/* hash chain (cache's) */
	uint8_t *body;			/* packed body (cache's) */
	uint32_t hash;			/* keyed hash of the key (cache's) */
	uint32_t lifetime;		/* added at, sync_cache now seconds */
	uint32_t lastupdate;		/* last add or update, seconds */
	uint16_t body_len, body_cap;	/* (cache's) */
	uint8_t key_len;		/* (cache's) */
	uint8_t status;			/* enum sync_obj_status */
	uint8_t mark;			/* free for the owner (resync sweep) */
	uint8_t extra8;			/* extra area / 8 (cache's) */
	uint8_t pad[2];
	/* then: extra area, then key bytes */
};

/* Counters of one cache (`conntrackd -s cache` and `-s` lines). */
struct sync_cache_stats {
	uint32_t active;		/* objects now that are not DEAD */
	uint32_t add_ok, add_fail;
	uint32_t add_fail_enomem;	/* "no memory available" */
	uint32_t add_fail_enospc;	/* "no space left in cache" */
	uint32_t upd_ok, upd_fail;
	uint32_t upd_fail_enoent;	/* counted by the owner */
	uint32_t del_ok, del_fail;
	uint32_t del_fail_enoent;	/* counted by the owner */
	uint32_t commit_ok, commit_fail; /* counted by the owner */
	uint32_t flush;
	uint32_t objects;		/* objects now, DEAD ones included */
};

struct sync_cache;
struct sync_log;

/* Called just before an object is freed (by sync_cache_del, _flush or
 * _free) so the owner can unlink it from its queues and timers; the
 * object is already out of its chain, and the callback must not add or
 * delete objects of this cache. */
typedef void (*sync_cache_release_cb)(struct sync_cache *c,
				      struct sync_cache_obj *o, void *arg);

struct sync_cache_conf {
	const char *name;		/* "internal", "external"... (copied) */
	uint32_t buckets;		/* HashSize, >= 1 */
	uint32_t limit;			/* HashLimit, >= 1 */
	size_t extra;			/* bytes of extra area per object */
	uint8_t seed[16];		/* hash key: random per process */
	sync_cache_release_cb release;	/* may be NULL */
	void *arg;
	struct sync_log *log;		/* HashLimit reached: a warning a
					 * minute at most (NULL: none) */
};

/* Returns 0 and *@out, or -EINVAL (no buckets, limit 0, name too long:
 * 31 bytes at most, NULL as ""; extra over 2040 bytes) or -ENOMEM. */
int sync_cache_new(struct sync_cache **out, const struct sync_cache_conf *cf);
/* Releases and frees every object, then the cache; accepts NULL. */
void sync_cache_free(struct sync_cache *c);

const char *sync_cache_name(const struct sync_cache *c);
/* The counters, writable for what the owner counts. */
struct sync_cache_stats *sync_cache_stats(struct sync_cache *c);

/* The object with this key, or NULL. */
struct sync_cache_obj *sync_cache_find(const struct sync_cache *c,
				       const void *key, size_t key_len);

/* sync_cache_find, also giving the key's hash in *@hash: for an add
 * right after a miss (sync_cache_add_hashed), without hashing twice. */
struct sync_cache_obj *sync_cache_find_hash(const struct sync_cache *c,
					    const void *key, size_t key_len,
					    uint32_t *hash);

/* The hash of @key in this cache (0 for an empty or oversized key,
 * which no object has), for the two calls below. */
uint32_t sync_cache_hash(const struct sync_cache *c, const void *key,
			 size_t key_len);

/* A hint that the chain of @hash is looked up soon: its bucket is
 * fetched into the CPU cache meanwhile (work done in between, such as
 * packing the body to add, then hides the memory latency). */
void sync_cache_prefetch(const struct sync_cache *c, uint32_t hash);

/* sync_cache_find of a key whose sync_cache_hash is @hash. */
struct sync_cache_obj *sync_cache_find_hashed(const struct sync_cache *c,
					      const void *key, size_t key_len,
					      uint32_t hash);

/*
 * sync_cache_add - a new object (status NEW, lifetime = lastupdate =
 * @now) with a copy of @key and @body. Returns 0 and *@out (may be
 * NULL), -EEXIST if the key is present (not counted as a failure),
 * -ENOSPC at HashLimit, -ENOMEM, -EINVAL for a key of 0 or over
 * CT_KEY_MAX bytes, a body over CT_PACK_MAX bytes, or a NULL key (or
 * body with a length); failures counted.
 */
int sync_cache_add(struct sync_cache *c, const void *key, size_t key_len,
		   const void *body, size_t body_len, uint32_t now,
		   struct sync_cache_obj **out);

/*
 * sync_cache_add_hashed - sync_cache_add of a key that is not in the
 * cache, with the @hash sync_cache_find_hash gave for it when it did not
 * find it (objects deleted since do not matter, added ones do): no
 * second hash and lookup. Same returns, but never -EEXIST: a key added
 * twice this way is in the cache twice.
 */
int sync_cache_add_hashed(struct sync_cache *c, uint32_t hash,
			  const void *key, size_t key_len, const void *body,
			  size_t body_len, uint32_t now,
			  struct sync_cache_obj **out);

/*
 * sync_cache_update - replace @o's body (lastupdate = @now; status NEW
 * or DEAD becomes ALIVE). The object itself never moves, so pointers to
 * it stay valid. Returns 0, or -ENOMEM / -EINVAL (old body kept; counted
 * as upd_fail).
 */
int sync_cache_update(struct sync_cache *c, struct sync_cache_obj *o,
		      const void *body, size_t body_len, uint32_t now);

/* Release and free @o (del_ok++, active--, unless it was DEAD). */
void sync_cache_del(struct sync_cache *c, struct sync_cache_obj *o);

/* Marks @o DEAD (gone from the kernel, kept while the mode needs it):
 * counted as a deletion (del_ok++, active--), as upstream does; a DEAD
 * object that is updated is alive again (active++). */
void sync_cache_set_dead(struct sync_cache *c, struct sync_cache_obj *o);

/* Release and free every object, each one not DEAD counted as a
 * deletion, then flush++. */
void sync_cache_flush(struct sync_cache *c);

/* Accessors: the key and body bytes (valid until the object is updated
 * or freed) and the extra area. */
const void *sync_cache_obj_key(const struct sync_cache_obj *o);
const void *sync_cache_obj_body(const struct sync_cache_obj *o);
void *sync_cache_obj_extra(struct sync_cache_obj *o);
/* The object whose extra area is @extra (container_of for the modes). */
struct sync_cache_obj *sync_cache_obj_of_extra(void *extra);

/* Objects now. */
uint32_t sync_cache_count(const struct sync_cache *c);

/*
 * sync_cache_iter - call @cb on the objects of whole buckets starting at
 * bucket *@cursor (0 to begin) until about @budget objects were visited
 * (a bucket is never cut; at least one bucket per call, so budget 0 walks
 * one), then store where to go on in *@cursor. @cb may
 * sync_cache_del() the object it is given (and only that one); it
 * returns 0 to go on or a negative errno to stop (returned, *@cursor
 * then points at the next bucket). Returns 1 if buckets remain, 0 when
 * the walk is complete, or @cb's error.
 */
typedef int (*sync_cache_iter_cb)(struct sync_cache *c,
				  struct sync_cache_obj *o, void *arg);
int sync_cache_iter(struct sync_cache *c, uint32_t *cursor, uint32_t budget,
		    sync_cache_iter_cb cb, void *arg);

/* Longest chain (for tests of the hash and for -s cache diagnostics). */
uint32_t sync_cache_max_chain(const struct sync_cache *c);

#endif
