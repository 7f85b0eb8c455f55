/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inside of struct sync_filter, shared by the userspace matcher
 * (sync/filter.c) and the BPF compiler (sync/filter_bpf.c) and by nothing
 * else. The addresses of one family are keys (prefix length, address
 * masked to it): a host is a key of prefix length 32 or 128. They are
 * kept twice: sorted (longest prefix first, then by address, which is
 * the order of the big-endian words the BPF program compares) and in an
 * open-addressing hash, so a lookup is one masked probe per distinct
 * prefix length present.
 */
#ifndef RAWCT_SYNC_FILTER_INT_H
#define RAWCT_SYNC_FILTER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"

struct sync_filter_key {
	uint8_t plen;
	union ct_addr addr;		/* masked; IPv4 in the first 4 bytes,
					 * the rest zero */
};

struct sync_filter_addrs {
	uint8_t words;			/* 1 (IPv4) or 4 (IPv6) */
	unsigned int nplen;		/* distinct prefix lengths */
	uint8_t plen[129];		/* those, longest first */
	struct sync_filter_key *keys;	/* n, sorted as said above */
	size_t n;
	uint32_t *slot;			/* 1 + index into keys, 0 empty */
	size_t nslot;			/* a power of two >= 2n, or 0 */
	uint32_t *lin;			/* a small set's scan table (per key
					 * its words, then its mask's), or
					 * NULL: hash probes */
};

struct sync_filter {
	uint8_t set;			/* SYNC_FILTER_* configured */
	uint8_t proto_ignore, addr_ignore, state_ignore;
	uint8_t proto[256 / 8];		/* bit n: proto[n / 8] >> n % 8 */
	uint16_t states;		/* bit s: TCP_CONNTRACK s */
	struct sync_filter_addrs addr[2];	/* [0] IPv4, [1] IPv6 */
};

/* The mask of prefix length @plen over @words words, into @m. */
void sync_filter_mask(union ct_addr *m, unsigned int plen, unsigned int words);

#endif
