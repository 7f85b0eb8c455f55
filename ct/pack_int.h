/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the packed form (ct/pack.h): the tables of field groups that
 * describe struct ct_entry, struct ct_expect and struct ct_tuple
 * (ct/pack_layout.c), and what the writer (ct/pack.c) and the reader
 * (ct/unpack.c) share. The layout itself is described in ct/pack.c.
 */
#ifndef RAWCT_CT_PACK_INT_H
#define RAWCT_CT_PACK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/pack.h"
#include "nl/copy.h"

enum item_kind {
	K_END,
	K_RAW,		/* len bytes as they are in memory */
	K_UV,		/* unsigned integer of len bytes, as a varint */
	K_ADDR,		/* union ct_addr: 4 bytes for AF_INET, else 16 */
	K_STR,		/* const char *, at most len bytes */
	K_LBYTES,	/* u8 count (<= len) then that many bytes */
	K_TUPLE,	/* struct ct_tuple */
	K_REPLY,	/* struct ct_tuple that may mirror the orig tuple */
};

struct item {
	uint8_t kind, len;
	uint16_t off;
};

#define ITEMS 4

/* A presence bit and its items, up to ITEMS or the first K_END. */
struct group {
	uint64_t bit;
	struct item it[ITEMS];
};

#define TUPLE_KNOWN 0x1ffu	/* CT_TUPLE_SRC .. CT_TUPLE_ZONE */
#define T_MIRROR 2u
#define T_L3X 1u

#define CT_PACK_TUPLE_ROWS 9
#define CT_PACK_ENTRY_ROWS 33
#define CT_PACK_EXPECT_ROWS 11

/* Row i is presence bit i of the packed form's group bits. */
extern const struct group ct_pack_tuple_groups[CT_PACK_TUPLE_ROWS];
extern const struct group ct_pack_entry_groups[CT_PACK_ENTRY_ROWS];
extern const struct group ct_pack_expect_groups[CT_PACK_EXPECT_ROWS];

#define NGROUPS(t) (sizeof(t) / sizeof((t)[0]))

/* Where a group walk is: the l3 that sizes addresses and, in an entry,
 * the orig tuple the reply may mirror (NULL: not packed). */
struct ctx {
	uint8_t family;
	const struct ct_tuple *orig;
};

static inline size_t addr_len(uint8_t l3)
{
	return l3 == AF_INET ? 4 : 16;
}

static inline uint64_t uv_max(unsigned int len)
{
	return len >= 8 ? UINT64_MAX : (1ULL << (8 * len)) - 1;
}

/* The K_UV integers: 2, 4 or 8 bytes in host order. */
static inline uint64_t load_uint(const uint8_t *p, unsigned int len)
{
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (len) {
	case 2: memcpy(&v16, p, 2); return v16;
	case 4: memcpy(&v32, p, 4); return v32;
	default: memcpy(&v64, p, 8); return v64;
	}
}

static inline void store_uint(uint8_t *p, unsigned int len, uint64_t v)
{
	uint16_t v16 = (uint16_t)v;
	uint32_t v32 = (uint32_t)v;

	switch (len) {
	case 2: memcpy(p, &v16, 2); break;
	case 4: memcpy(p, &v32, 4); break;
	default: memcpy(p, &v, 8); break;
	}
}

/* Group bits of the packed form from presence bits, and back. */
static inline uint64_t to_rows(const struct group *g, size_t n, uint64_t set)
{
	uint64_t rows = 0;

	for (size_t i = 0; i < n; i++)
		if (set & g[i].bit)
			rows |= 1ULL << i;
	return rows;
}

static inline uint64_t from_rows(const struct group *g, size_t n, uint64_t rows)
{
	uint64_t set = 0;

	for (size_t i = 0; i < n; i++)
		if (rows & 1ULL << i)
			set |= g[i].bit;
	return set;
}

/* @inv gets @t with its sources and destinations swapped. */
void ct_pack_tuple_invert(struct ct_tuple *inv, const struct ct_tuple *t);

/*
 * ct_pack_mirrors - whether the reply @t packs as @orig inverted with
 * some of its addresses and ports replaced (a NAT mapping), and then in
 * *@delta the CT_TUPLE_* bits of those that differ.
 */
bool ct_pack_mirrors(const struct ct_tuple *t, const struct ct_tuple *orig,
		     uint16_t *delta);

/* Counts on past @cap so the caller learns it was too small. */
struct wr {
	uint8_t *p;
	size_t cap, len;
};

/*
 * ct_pack_put_tuple - appends @t to @w: a reply (@may_mirror) in its
 * shortest form against c->orig. Returns 0 or -EINVAL.
 */
int ct_pack_put_tuple(struct wr *w, const struct ct_tuple *t,
		      const struct ctx *c, bool may_mirror);

#endif
