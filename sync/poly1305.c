// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Poly1305 (RFC 8439 2.5): the message in 16-byte blocks, each read
 * little-endian with a 1 appended above its last byte, added to an
 * accumulator that is then multiplied by the clamped r, modulo
 * p = 2^130 - 5; at the end the accumulator reduced modulo p, plus s,
 * modulo 2^128, is the tag.
 *
 * Numbers of 130 bits live in five limbs of 26 bits, so a product of two
 * limbs fits 52 bits and a sum of five products fits a uint64_t. Since
 * 2^130 = 5 (mod p), the part of a product at or above 2^130 folds back
 * multiplied by 5: limb i times limb j with i + j >= 5 is taken with
 * r_j * 5 in place of r_j. Carries are propagated after each block so
 * the limbs stay just above 26 bits. The final reduction subtracts p by
 * computing h + 5 - 2^130 and choosing it or h with a mask made from
 * its sign, without a branch; the 128-bit result is assembled by
 * additions, so a limb that is not quite normalised is still right.
 */
#include <string.h>

#include "sync/crypto.h"

#define LIMB_MASK 0x3ffffffu

static uint32_t load32_le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* 16 bytes, little-endian, into five 26-bit limbs; @top is bit 128's
 * value in limb 4 (1 << 24 for a block with its 1 byte above, else 0). */
static void to_limbs(uint32_t l[5], const uint8_t b[16], uint32_t top)
{
	uint32_t t0 = load32_le(b), t1 = load32_le(b + 4);
	uint32_t t2 = load32_le(b + 8), t3 = load32_le(b + 12);

	l[0] = t0 & LIMB_MASK;
	l[1] = (t0 >> 26 | t1 << 6) & LIMB_MASK;
	l[2] = (t1 >> 20 | t2 << 12) & LIMB_MASK;
	l[3] = (t2 >> 14 | t3 << 18) & LIMB_MASK;
	l[4] = t3 >> 8 | top;
}

void sync_poly1305_init(struct sync_poly1305 *st,
			const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	uint8_t r[16];

	/* clamp: the top 4 bits of bytes 3, 7, 11, 15 and the low 2 bits
	 * of bytes 4, 8, 12 cleared */
	memcpy(r, key, sizeof(r));
	r[3] &= 15; r[7] &= 15; r[11] &= 15; r[15] &= 15;
	r[4] &= 252; r[8] &= 252; r[12] &= 252;
	to_limbs(st->r, r, 0);
	sync_crypto_wipe(r, sizeof(r));
	for (int i = 0; i < 4; i++)
		st->s[i] = load32_le(key + 16 + 4 * i);
	memset(st->h, 0, sizeof(st->h));
	st->used = 0;
}

/* Scratch space of the block function, wiped by its callers once. */
struct scratch {
	uint32_t m[5];
	uint64_t d[5];
};

/* h = (h + m) * r mod p (partially reduced), m the block @b with @top. */
static void block(struct sync_poly1305 *st, struct scratch *t,
		  const uint8_t b[16], uint32_t top)
{
	const uint32_t *r = st->r;
	uint32_t *h = st->h, *m = t->m;
	uint64_t r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3], r4 = r[4];
	uint64_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
	uint64_t h0, h1, h2, h3, h4, *d = t->d, c;

	to_limbs(m, b, top);
	h0 = (uint64_t)h[0] + m[0];
	h1 = (uint64_t)h[1] + m[1];
	h2 = (uint64_t)h[2] + m[2];
	h3 = (uint64_t)h[3] + m[3];
	h4 = (uint64_t)h[4] + m[4];
	d[0] = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
	d[1] = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
	d[2] = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
	d[3] = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
	d[4] = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
	c = 0;
	for (int i = 0; i < 5; i++) {
		d[i] += c;
		c = d[i] >> 26;
		h[i] = (uint32_t)d[i] & LIMB_MASK;
	}
	/* the carry out of limb 4 is worth 2^130 = 5 */
	d[0] = h[0] + c * 5;
	h[0] = (uint32_t)d[0] & LIMB_MASK;
	h[1] += (uint32_t)(d[0] >> 26);
}

void sync_poly1305_update(struct sync_poly1305 *st, const void *data,
			  size_t len)
{
	const uint8_t *p = data;
	struct scratch t;

	if (!len)
		return;		/* @data may be NULL */
	if (st->used) {
		size_t n = 16 - st->used < len ? 16 - st->used : len;

		memcpy(st->buf + st->used, p, n);
		st->used += n;
		p += n;
		len -= n;
		if (st->used < 16)
			return;
		block(st, &t, st->buf, 1u << 24);
		st->used = 0;
	}
	for (; len >= 16; p += 16, len -= 16)
		block(st, &t, p, 1u << 24);
	if (len) {
		memcpy(st->buf, p, len);
		st->used = len;
	}
	sync_crypto_wipe(&t, sizeof(t));
}

/* Carries @h through all limbs once, folding the top back times 5. */
static void carry(uint32_t h[5])
{
	uint32_t c = 0;

	for (int i = 1; i < 5; i++) {
		h[i] += c;
		c = h[i] >> 26;
		h[i] &= LIMB_MASK;
	}
	h[0] += c * 5;
	c = h[0] >> 26;
	h[0] &= LIMB_MASK;
	h[1] += c;
}

void sync_poly1305_final(struct sync_poly1305 *st,
			 uint8_t tag[SYNC_CRYPTO_TAG_LEN])
{
	uint32_t *h = st->h, g[5], c, mask;
	struct scratch t;
	uint64_t acc;

	if (st->used) {
		/* the last partial block: its 1 byte, then zeros */
		st->buf[st->used] = 1;
		memset(st->buf + st->used + 1, 0, 15 - st->used);
		block(st, &t, st->buf, 0);
		sync_crypto_wipe(&t, sizeof(t));
	}
	carry(h);
	/* g = h + 5 - 2^130; it is h mod p when it does not go negative */
	c = 5;
	for (int i = 0; i < 4; i++) {
		g[i] = h[i] + c;
		c = g[i] >> 26;
		g[i] &= LIMB_MASK;
	}
	g[4] = h[4] + c - (1u << 26);
	mask = (g[4] >> 31) - 1;	/* all ones when g >= 0 */
	for (int i = 0; i < 5; i++)
		h[i] = (h[i] & ~mask) | (g[i] & mask);
	/* h (mod 2^128) + s, as four little-endian words */
	acc = (uint64_t)h[0] + ((uint64_t)h[1] << 26);
	g[0] = (uint32_t)acc;
	acc = (acc >> 32) + ((uint64_t)h[2] << 20);
	g[1] = (uint32_t)acc;
	acc = (acc >> 32) + ((uint64_t)h[3] << 14);
	g[2] = (uint32_t)acc;
	acc = (acc >> 32) + ((uint64_t)h[4] << 8);
	g[3] = (uint32_t)acc;
	acc = 0;
	for (int i = 0; i < 4; i++) {
		acc = (acc >> 32) + g[i] + st->s[i];
		tag[4 * i] = (uint8_t)acc;
		tag[4 * i + 1] = (uint8_t)(acc >> 8);
		tag[4 * i + 2] = (uint8_t)(acc >> 16);
		tag[4 * i + 3] = (uint8_t)(acc >> 24);
	}
	sync_crypto_wipe(g, sizeof(g));
	sync_crypto_wipe(st, sizeof(*st));
}

void sync_poly1305(uint8_t tag[SYNC_CRYPTO_TAG_LEN], const void *msg,
		   size_t len, const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	struct sync_poly1305 st;

	sync_poly1305_init(&st, key);
	sync_poly1305_update(&st, msg, len);
	sync_poly1305_final(&st, tag);
}
