/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A set of keys kept as their 64-bit keyed hashes only (sync/hash.h, the
 * daemon's seed): 8 bytes a slot, at most half the slots used. What a
 * member costs is 16 bytes at worst, where a cache object costs its key,
 * body and links; what it can answer is whether a key was added (two
 * keys share a hash once in 2^64 pairs: the set then answers yes for
 * both). Open addressing with linear probing; a removal shifts the
 * probe run back, so there are no tombstones and a lookup stops at the
 * first empty slot. It grows by doubling, up to @limit members; past it
 * an add fails with -ENOSPC (the caller counts and logs it).
 *
 * DisableExternalCache keeps the flows it injected in one (sync/inject.c),
 * so that a resync does not take them for the node's own.
 */
#ifndef RAWCT_SYNC_KEYSET_H
#define RAWCT_SYNC_KEYSET_H

#include <stddef.h>
#include <stdint.h>

struct sync_keyset {
	uint64_t *slot;		/* 0: empty; NULL while the set is empty */
	uint32_t mask;		/* slots - 1 */
	uint32_t n;		/* members */
	uint32_t limit;		/* members at most */
	uint8_t seed[16];
};

void sync_keyset_init(struct sync_keyset *ks, const uint8_t seed[16],
		      uint32_t limit);
/* Empties the set and frees its slots. */
void sync_keyset_clear(struct sync_keyset *ks);

/* The hash a key is kept as (never 0). */
uint64_t sync_keyset_hash(const struct sync_keyset *ks, const void *key,
			  size_t len);
/* Returns 1 added, 0 already there, -ENOSPC past the limit, -ENOMEM. */
int sync_keyset_add(struct sync_keyset *ks, uint64_t h);
/* Returns 1 removed, 0 not there. */
int sync_keyset_del(struct sync_keyset *ks, uint64_t h);
int sync_keyset_has(const struct sync_keyset *ks, uint64_t h);

#endif
