/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A keyed hash for the daemon's hash tables: SipHash-1-3 (Aumasson and
 * Bernstein, 2012, the variant with 1 compression and 3 finalisation
 * rounds that hash tables use) with a 128-bit key chosen at random per
 * process, so that whoever chooses the flows (or the sync messages)
 * cannot choose which bucket they fall in. Checked against published
 * outputs of the reference implementation.
 */
#ifndef RAWCT_SYNC_HASH_H
#define RAWCT_SYNC_HASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-1-3 of @len bytes at @data under @key (16 bytes). */
uint64_t sync_hash_siphash(const uint8_t key[16], const void *data,
			   size_t len);

/* Fills @key with random bytes (getrandom(2), falling back to
 * /dev/urandom). Returns 0 or -errno. */
int sync_hash_seed(uint8_t key[16]);

#endif
