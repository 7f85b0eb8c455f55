// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for ct/pack.h: ct_entry_unpack and ct_expect_unpack on
 * arbitrary bytes, and ct_entry_pack / ct_expect_pack on arbitrary
 * structs. Input:
 *
 *   byte 0: bit 0 clear: the rest is unpacked, as an entry and as an
 *           expectation;
 *           bit 0 set: the rest is the bytes of a struct ct_entry (bit 1
 *           clear) or struct ct_expect (bit 1 set), zero-filled when
 *           short; what follows the struct is two NUL-separated strings
 *           that become helper and secctx (or fn); bits 2..7 select
 *           groups of presence bits to pack (0: all of them)
 *
 * Properties, each an abort() when violated:
 *  - unpack returns 0 or -EBADMSG; a refusal leaves the struct zeroed;
 *    an accepted buffer has only known presence bits, strings inside it,
 *    and is canonical: packing what it gave back writes the very same
 *    bytes; one byte less is refused; the key is computed (or -EINVAL
 *    for an entry without an orig tuple, an expectation without its
 *    master or tuple) and fits CT_KEY_MAX;
 *  - pack of any struct either refuses with -EINVAL (a string NULL or
 *    over its limit, labels over 16 bytes) or writes at most
 *    CT_PACK_MAX bytes that unpack to exactly the selected presence bits
 *    with the same strings and the same key, and pack again to the same
 *    bytes; a buffer one byte short gives -ENOSPC.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ct/pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* What differs between entries and expectations, so one set of checks
 * serves both. */
struct kind {
	size_t size, set_size;		/* the struct, its set field */
	unsigned int nbits;		/* presence bits */
	size_t family_off;
	size_t str_off[2];		/* the two strings... */
	uint64_t str_bit[2];		/* ...their presence bits... */
	unsigned int str_max[2];	/* ...and limits */
	uint64_t key_need;		/* presence bits a key needs */
	int (*pack)(void *buf, size_t cap, const void *obj, uint64_t fields);
	int (*unpack)(const void *buf, size_t len, void *obj);
	int (*key)(uint8_t *buf, const void *obj);
	/* other reasons pack may refuse @obj's @set */
	int (*refusable)(const void *obj, uint64_t set);
};

static int e_pack(void *b, size_t cap, const void *o, uint64_t f)
{
	return ct_entry_pack(b, cap, o, f);
}

static int e_unpack(const void *b, size_t len, void *o)
{
	return ct_entry_unpack(b, len, o);
}

static int e_key(uint8_t *k, const void *o)
{
	return ct_entry_key(k, o);
}

static int e_refusable(const void *o, uint64_t set)
{
	const struct ct_entry *e = o;

	return ((set & CT_LABELS) && e->labels_len > CT_LABELS_BYTES) ||
	       ((set & CT_LABELS_MASK) && e->labels_mask_len > CT_LABELS_BYTES);
}

static int x_pack(void *b, size_t cap, const void *o, uint64_t f)
{
	return ct_expect_pack(b, cap, o, (uint32_t)f);
}

static int x_unpack(const void *b, size_t len, void *o)
{
	return ct_expect_unpack(b, len, o);
}

static int x_key(uint8_t *k, const void *o)
{
	return ct_expect_key(k, o);
}

static int x_refusable(const void *o, uint64_t set)
{
	(void)o;
	(void)set;
	return 0;
}

static const struct kind entry = {
	sizeof(struct ct_entry), 8, 33, offsetof(struct ct_entry, family),
	{ offsetof(struct ct_entry, helper), offsetof(struct ct_entry, secctx) },
	{ CT_HELPER, CT_SECCTX }, { CT_PACK_HELPER_MAX, CT_PACK_SECCTX_MAX },
	CT_ORIG, e_pack, e_unpack, e_key, e_refusable,
};

static const struct kind expect = {
	sizeof(struct ct_expect), 4, 11, offsetof(struct ct_expect, family),
	{ offsetof(struct ct_expect, helper), offsetof(struct ct_expect, fn) },
	{ CT_EXP_HELPER, CT_EXP_FN }, { CT_PACK_HELPER_MAX, CT_PACK_FN_MAX },
	CT_EXP_MASTER | CT_EXP_TUPLE, x_pack, x_unpack, x_key, x_refusable,
};

union obj {
	struct ct_entry e;
	struct ct_expect x;
};

static uint64_t get_set(const struct kind *k, const union obj *o)
{
	uint32_t s32;
	uint64_t s64;

	if (k->set_size == 8) {
		memcpy(&s64, o, 8);
		return s64;
	}
	memcpy(&s32, o, 4);
	return s32;
}

static void put_set(const struct kind *k, union obj *o, uint64_t set)
{
	uint32_t s32 = (uint32_t)set;

	if (k->set_size == 8)
		memcpy(o, &set, 8);
	else
		memcpy(o, &s32, 4);
}

static uint8_t get_family(const struct kind *k, const union obj *o)
{
	return ((const uint8_t *)o)[k->family_off];
}

static const char *get_str(const struct kind *k, const union obj *o, int i)
{
	const char *s;

	memcpy(&s, (const uint8_t *)o + k->str_off[i], sizeof(s));
	return s;
}

static void put_str(const struct kind *k, union obj *o, int i, const char *s)
{
	memcpy((uint8_t *)o + k->str_off[i], &s, sizeof(s));
}

static uint64_t all_bits(const struct kind *k)
{
	return (1ULL << k->nbits) - 1;
}

/* Both keys computed, or both refused, and equal. */
static void ck_same_key(const struct kind *k, const union obj *a,
			const union obj *b)
{
	uint8_t k1[CT_KEY_MAX], k2[CT_KEY_MAX];
	int n = k->key(k1, a);

	CHECK(k->key(k2, b) == n);
	CHECK((get_set(k, a) & k->key_need) == k->key_need ?
	      n > 0 && n <= CT_KEY_MAX : n == -EINVAL);
	CHECK(n < 0 || !memcmp(k1, k2, (size_t)n));
}

/* ---- arbitrary bytes -------------------------------------------------- */

static void unpack_any(const struct kind *k, const uint8_t *buf, size_t len)
{
	uint8_t again[CT_PACK_MAX];
	union obj o, o2;
	int rc, n;

	memset(&o, 0x5a, sizeof(o));
	rc = k->unpack(buf, len, &o);
	if (rc) {
		CHECK(rc == -EBADMSG);
		for (size_t i = 0; i < k->size; i++)
			CHECK(((const uint8_t *)&o)[i] == 0);
		return;
	}
	CHECK(len <= CT_PACK_MAX);
	CHECK(!(get_set(k, &o) & ~all_bits(k)));
	for (int i = 0; i < 2; i++) {
		const char *s = get_str(k, &o, i);

		CHECK(!!(get_set(k, &o) & k->str_bit[i]) == !!s);
		CHECK(!s || ((const uint8_t *)s > buf &&
			     (const uint8_t *)s + strlen(s) < buf + len));
	}
	/* canonical: the same bytes again */
	n = k->pack(again, sizeof(again), &o, get_set(k, &o));
	CHECK(n == (int)len && !memcmp(again, buf, len));
	CHECK(k->unpack(buf, len - 1, &o2) == -EBADMSG);
	CHECK(k->unpack(again, len, &o2) == 0);
	ck_same_key(k, &o, &o2);
}

/* ---- arbitrary structs ------------------------------------------------ */

/* The presence bits @sel selects: bit i of the six picks every sixth
 * group starting at i, so small inputs reach many subsets. */
static uint64_t fields_of(uint8_t sel, unsigned int nbits)
{
	uint64_t f = 0;

	if (!sel)
		return ~0ULL;
	for (unsigned int b = 0; b < nbits; b++)
		if (sel & 1u << (b % 6))
			f |= 1ULL << b;
	return f;
}

/* Two strings from the bytes after the struct (NULL when absent). */
static void strings(const struct kind *k, union obj *o, const uint8_t *p,
		    size_t n)
{
	static char buf[2 * CT_PACK_MAX];
	size_t m = n < sizeof(buf) - 2 ? n : sizeof(buf) - 2;
	char *nul;

	put_str(k, o, 0, NULL);
	put_str(k, o, 1, NULL);
	if (!n)
		return;
	memcpy(buf, p, m);
	buf[m] = buf[m + 1] = '\0';
	put_str(k, o, 0, buf);
	nul = memchr(buf, 0, m);
	if (nul && nul + 1 < buf + m)
		put_str(k, o, 1, nul + 1);
}

/* A refusal must have one of the documented reasons. */
static int refusable(const struct kind *k, const union obj *o, uint64_t set)
{
	for (int i = 0; i < 2; i++) {
		const char *s = get_str(k, o, i);

		if ((set & k->str_bit[i]) && (!s || strlen(s) > k->str_max[i]))
			return 1;
	}
	return k->refusable(o, set);
}

static void pack_any(const struct kind *k, const uint8_t *d, size_t n,
		     uint8_t sel)
{
	uint8_t buf[CT_PACK_MAX], again[CT_PACK_MAX];
	uint64_t f = fields_of(sel, k->nbits), want;
	size_t m = n < k->size ? n : k->size;
	union obj o, back;
	int len;

	memset(&o, 0, sizeof(o));
	memcpy(&o, d, m);
	strings(k, &o, d + m, n - m);
	want = get_set(k, &o) & f & all_bits(k);
	len = k->pack(buf, sizeof(buf), &o, f);
	if (len < 0) {
		CHECK(len == -EINVAL && refusable(k, &o, want));
		return;
	}
	CHECK(len >= 2 && len <= CT_PACK_MAX);
	CHECK(k->pack(again, (size_t)len - 1, &o, f) == -ENOSPC);
	CHECK(k->unpack(buf, (size_t)len, &back) == 0);
	CHECK(get_set(k, &back) == want);
	CHECK(get_family(k, &back) == get_family(k, &o));
	for (int i = 0; i < 2; i++) {
		const char *a = get_str(k, &back, i), *b = get_str(k, &o, i);

		CHECK(!(want & k->str_bit[i]) || (a && b && !strcmp(a, b)));
	}
	CHECK(k->pack(again, sizeof(again), &back, want) == len);
	CHECK(!memcmp(again, buf, (size_t)len));
	/* the key depends on packed fields only */
	put_set(k, &o, want);
	ck_same_key(k, &o, &back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t ctl;

	if (size < 1 || size > 4096)
		return 0;
	ctl = data[0];
	data++;
	size--;
	if (!(ctl & 1)) {
		unpack_any(&entry, data, size);
		unpack_any(&expect, data, size);
	} else {
		pack_any(ctl & 2 ? &expect : &entry, data, size, ctl >> 2);
	}
	return 0;
}
