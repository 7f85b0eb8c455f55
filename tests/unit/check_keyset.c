// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/keyset: random adds and removals checked against a
 * plain array after every step, with hashes chosen to collide on their
 * low bits (long probe runs that wrap around the table's end, removals
 * in the middle of a run); growth keeps every member; the limit; an empty
 * set gives its memory back; keys hash with the seed.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <check.h>

#include "sync/keyset.h"
#include "tests/unit/suites.h"

static const uint8_t seed[16] = { 1, 2, 3 };

/* xorshift64: the test's own reproducible sequence */
static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

#define POOL	300

START_TEST(random_ops)
{
	struct sync_keyset ks;
	uint64_t pool[POOL], x = 88172645463325252ULL + (uint64_t)_i;
	uint8_t in[POOL] = { 0 };
	uint32_t members = 0;

	/* _i 0: 6 low bits from 8 values, so most of the 64..1024 slots
	 * tables see runs that collide and wrap; _i 1: any hash */
	for (int i = 0; i < POOL; i++) {
		pool[i] = next(&x);
		if (_i == 0)
			pool[i] = (pool[i] & ~(uint64_t)0x3f) | (63 - i % 8);
		if (!pool[i])
			pool[i] = 1;
	}
	sync_keyset_init(&ks, seed, POOL);
	for (int step = 0; step < 20000; step++) {
		int k = (int)(next(&x) % POOL), rc;

		if (next(&x) % 3) {
			rc = sync_keyset_add(&ks, pool[k]);
			ck_assert_int_eq(rc, in[k] ? 0 : 1);
			members += !in[k];
			in[k] = 1;
		} else {
			rc = sync_keyset_del(&ks, pool[k]);
			ck_assert_int_eq(rc, in[k]);
			members -= in[k];
			in[k] = 0;
		}
		ck_assert_uint_eq(ks.n, members);
		if (step % 97 == 0 || step > 19900)
			for (int j = 0; j < POOL; j++)
				ck_assert_int_eq(sync_keyset_has(&ks, pool[j]),
						 in[j]);
	}
	sync_keyset_clear(&ks);
	ck_assert_ptr_null(ks.slot);
}
END_TEST

START_TEST(limit_and_release)
{
	struct sync_keyset ks;

	sync_keyset_init(&ks, seed, 100);
	for (uint64_t h = 1; h <= 100; h++)
		ck_assert_int_eq(sync_keyset_add(&ks, h * 0x9e3779b97f4a7c15ULL), 1);
	ck_assert_int_eq(sync_keyset_add(&ks, 12345), -ENOSPC);
	/* already there is not past the limit */
	ck_assert_int_eq(sync_keyset_add(&ks, 0x9e3779b97f4a7c15ULL), 0);
	ck_assert_uint_ge(ks.mask + 1, 200);
	for (uint64_t h = 1; h <= 100; h++)
		ck_assert(sync_keyset_has(&ks, h * 0x9e3779b97f4a7c15ULL));
	for (uint64_t h = 1; h <= 100; h++)
		ck_assert_int_eq(sync_keyset_del(&ks, h * 0x9e3779b97f4a7c15ULL), 1);
	ck_assert_uint_eq(ks.n, 0);
	ck_assert_ptr_null(ks.slot);
	ck_assert_int_eq(sync_keyset_del(&ks, 7), 0);
	ck_assert(!sync_keyset_has(&ks, 7));
	/* hash 0 is kept as 1, the same member both ways */
	ck_assert_int_eq(sync_keyset_add(&ks, 0), 1);
	ck_assert(sync_keyset_has(&ks, 1));
	ck_assert_int_eq(sync_keyset_del(&ks, 1), 1);
	sync_keyset_clear(&ks);
}
END_TEST

START_TEST(keys_hash_with_seed)
{
	static const uint8_t other[16] = { 9 };
	struct sync_keyset a, b;
	const char *k1 = "10.0.0.1 > 10.0.0.2 tcp 1:2", *k2 = "10.0.0.1 > 10.0.0.2 tcp 1:3";

	sync_keyset_init(&a, seed, 10);
	sync_keyset_init(&b, other, 10);
	ck_assert(sync_keyset_hash(&a, k1, strlen(k1)) ==
		  sync_keyset_hash(&a, k1, strlen(k1)));
	ck_assert(sync_keyset_hash(&a, k1, strlen(k1)) !=
		  sync_keyset_hash(&a, k2, strlen(k2)));
	ck_assert(sync_keyset_hash(&a, k1, strlen(k1)) !=
		  sync_keyset_hash(&b, k1, strlen(k1)));
	ck_assert(sync_keyset_hash(&a, k1, strlen(k1)) != 0);
}
END_TEST

Suite *keyset_suite(void)
{
	Suite *s = suite_create("keyset");
	TCase *t = tcase_create("keyset");

	tcase_add_loop_test(t, random_ops, 0, 2);
	tcase_add_test(t, limit_and_release);
	tcase_add_test(t, keys_hash_with_seed);
	suite_add_tcase(s, t);
	return s;
}
