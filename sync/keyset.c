// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A set of 64-bit key hashes (sync/keyset.h): linear probing from the
 * hash's low bits (the hash is keyed, so they are as good as any), and
 * removal by backward shift (Knuth, TAOCP vol. 3, 6.4, algorithm R): the
 * members after the removed one in its run move back when their home
 * slot allows it, so every run stays unbroken.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sync/hash.h"
#include "sync/keyset.h"

#define KEYSET_MIN	64	/* slots of the first table */

void sync_keyset_init(struct sync_keyset *ks, const uint8_t seed[16],
		      uint32_t limit)
{
	memset(ks, 0, sizeof(*ks));
	memcpy(ks->seed, seed, sizeof(ks->seed));
	ks->limit = limit;
}

void sync_keyset_clear(struct sync_keyset *ks)
{
	free(ks->slot);
	ks->slot = NULL;
	ks->mask = 0;
	ks->n = 0;
}

uint64_t sync_keyset_hash(const struct sync_keyset *ks, const void *key,
			  size_t len)
{
	uint64_t h = sync_hash_siphash(ks->seed, key, len);

	return h ? h : 1;
}

/* The slot of @h, or the empty one where it would go. */
static uint32_t probe(const struct sync_keyset *ks, uint64_t h)
{
	uint32_t i = (uint32_t)h & ks->mask;

	while (ks->slot[i] && ks->slot[i] != h)
		i = (i + 1) & ks->mask;
	return i;
}

/* Moves every member into a table of @slots slots (a power of two). */
static int rehash(struct sync_keyset *ks, uint32_t slots)
{
	uint64_t *old = ks->slot;
	uint32_t oldn = old ? ks->mask + 1 : 0;

	ks->slot = calloc(slots, sizeof(*ks->slot));
	if (!ks->slot) {
		ks->slot = old;
		return -ENOMEM;
	}
	ks->mask = slots - 1;
	for (uint32_t i = 0; i < oldn; i++)
		if (old[i])
			ks->slot[probe(ks, old[i])] = old[i];
	free(old);
	return 0;
}

int sync_keyset_add(struct sync_keyset *ks, uint64_t h)
{
	uint32_t i;
	int rc;

	if (!h)
		h = 1;
	if (ks->slot && ks->slot[probe(ks, h)])
		return 0;
	if (ks->n >= ks->limit)
		return -ENOSPC;
	if (!ks->slot || ks->n + 1 > (ks->mask + 1) / 2) {
		if (ks->slot && ks->mask >= UINT32_MAX / 4)
			return -ENOSPC;
		rc = rehash(ks, ks->slot ? (ks->mask + 1) * 2 : KEYSET_MIN);
		if (rc < 0)
			return rc;
	}
	i = probe(ks, h);
	ks->slot[i] = h;
	ks->n++;
	return 1;
}

int sync_keyset_has(const struct sync_keyset *ks, uint64_t h)
{
	if (!h)
		h = 1;
	return ks->slot && ks->slot[probe(ks, h)] == h;
}

int sync_keyset_del(struct sync_keyset *ks, uint64_t h)
{
	uint32_t i, j, home;

	if (!h)
		h = 1;
	if (!ks->slot)
		return 0;
	i = probe(ks, h);
	if (!ks->slot[i])
		return 0;
	/* the hole at i: pull back the next member of the run whose home
	 * is not in (i, j] (cyclically), until the run ends */
	for (j = (i + 1) & ks->mask; ks->slot[j]; j = (j + 1) & ks->mask) {
		home = (uint32_t)ks->slot[j] & ks->mask;
		if (((j - home) & ks->mask) >= ((j - i) & ks->mask)) {
			ks->slot[i] = ks->slot[j];
			i = j;
		}
	}
	ks->slot[i] = 0;
	if (--ks->n == 0)
		sync_keyset_clear(ks);
	return 1;
}
