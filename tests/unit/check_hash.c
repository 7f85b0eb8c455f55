// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/hash: SipHash-1-3 against published outputs of the
 * reference implementation (github.com/veorq/SipHash built with c = 1,
 * d = 3): the 64 messages 00 01 02 ... of 0..63 bytes under the all-zero
 * key and under the key 01 00 .. 00, and messages "", "a", "abcdefgh"...
 * under the key whose two little-endian words are 0x0001020304050607 and
 * 0x08090a0b0c0d0e0f (so both key words are exercised); the same
 * messages read from unaligned addresses; every key bit matters; the
 * seed: filled, and not the same twice.
 */
#include <stdint.h>
#include <string.h>

#include <check.h>

#include "sync/hash.h"
#include "tests/unit/suites.h"

/* Messages 00 01 .. of length 0..63, all-zero key. */
static const uint64_t zero_key[64] = {
	0xd1fba762150c532cULL, 0x68a914128e01e473ULL, 0x010bac45c41e3669ULL,
	0x4d4c9a4a8ef6e0adULL, 0x7cc43f98813e4dbdULL, 0x5abe2169dff36275ULL,
	0xe3c25f87624f1cdbULL, 0x2f098ab0c751325aULL, 0xead411e67ebe2eeaULL,
	0x75927f9d95124362ULL, 0xaf9f77a65ab51a1dULL, 0xfe64ce8b6617fcffULL,
	0xa6baf4fb0f9fe1c2ULL, 0xa0cf3211850f8e0dULL, 0x7f86049379fbfe67ULL,
	0xf30eb725bb91c9eaULL, 0x8972188433a5c5b7ULL, 0x4883c49a2c009c1dULL,
	0xadc2c0b63044067dULL, 0x091f4a3329f87d19ULL, 0x639e355ae68c0100ULL,
	0xb17bef2cb5213239ULL, 0xf8aeb1066236ccfeULL, 0x37332b1389daa4ffULL,
	0x31185a47af932f3aULL, 0xebf352e82ae23e2fULL, 0xed36ff242fe478b2ULL,
	0x2454d97d299299dfULL, 0x8cd57fe8130d0ac7ULL, 0xbe98eb2faf0a0e85ULL,
	0xd427c34ee09470c6ULL, 0x169739443111d49bULL, 0x31ef8061c910629bULL,
	0x7fb71d24dfa4c9f6ULL, 0x92771f49e836d389ULL, 0x3c393cf6f0853bc3ULL,
	0xac77921fcc642bd3ULL, 0x422a9751192ff266ULL, 0xc680ae8a8c584ddfULL,
	0x6c76b6d34bb6d26bULL, 0x95bc321ab41d8206ULL, 0x908a3a97a6d37669ULL,
	0xfcaf3c64874dd0b4ULL, 0xf689479b32b84a44ULL, 0xd857641079efd1fdULL,
	0x8b581578722633f7ULL, 0x83cb09d35ea7bcd4ULL, 0x8485f7f5ae725a0dULL,
	0xfe1f2445ba50237fULL, 0x23cece041d7866b0ULL, 0x416687480b336c09ULL,
	0xf15960da7e7f3892ULL, 0xded6177b9826835aULL, 0xf80dae51668be6beULL,
	0x17ecc6ee6647df18ULL, 0x5220d642b4a52110ULL, 0xa4f0cf4ba4adc016ULL,
	0xe5125bb26d1f2976ULL, 0x851b0e75f580d256ULL, 0x12605250a37e39acULL,
	0xd95a713568daebf1ULL, 0xcdcf4a42ec0dd605ULL, 0xa5c708712b617164ULL,
	0x385d3e39e5f37359ULL,
};

/* The same messages under the key 01 00 .. 00, lengths 0..7. */
static const uint64_t one_key[8] = {
	0xc44a0ebf4e962581ULL, 0xc7f8837cdc05230bULL, 0xbfeff0bc8a414c08ULL,
	0xd8c82d87fa4286e4ULL, 0x5d51da6e88a607e0ULL, 0x904197b89cffef85ULL,
	0x5495a918e3423106ULL, 0x9ce896d47e204af6ULL,
};

/* Prefixes of "abcdefghijklmnopq" under words 0x0001020304050607 and
 * 0x08090a0b0c0d0e0f (bytes 07 06 .. 00 0f 0e .. 08). */
static const struct {
	size_t len;
	uint64_t h;
} alpha[] = {
	{ 0, 0x72873bfd1bca2911ULL }, { 1, 0x47c474f5b32240c8ULL },
	{ 7, 0xfb907eb5c63fc3d2ULL }, { 8, 0x802cf2a628d2fa76ULL },
	{ 9, 0x92ee4653516c3faaULL }, { 16, 0x6ee54dcefca3d689ULL },
	{ 17, 0xa53dfcce7b94fb7cULL },
};

static void ref_input(uint8_t key[16], uint8_t msg[64])
{
	memset(key, 0, 16);
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
}

/* One row per message length 0..63 (0, 7, 8, 15, 16 and 63 among them:
 * empty, the last partial word alone, whole words only, both). */
START_TEST(zero_key_vector)
{
	uint8_t key[16], msg[64];

	ref_input(key, msg);
	ck_assert_msg(sync_hash_siphash(key, msg, (size_t)_i) ==
		      zero_key[_i], "length %d", _i);
}
END_TEST

START_TEST(one_key_vector)
{
	uint8_t key[16], msg[64];

	ref_input(key, msg);
	key[0] = 1;
	ck_assert_msg(sync_hash_siphash(key, msg, (size_t)_i) ==
		      one_key[_i], "length %d", _i);
}
END_TEST

START_TEST(alpha_vector)
{
	static const char text[] = "abcdefghijklmnopq";
	uint8_t key[16];

	for (int i = 0; i < 8; i++) {
		key[i] = (uint8_t)(7 - i);
		key[8 + i] = (uint8_t)(15 - i);
	}
	ck_assert_msg(sync_hash_siphash(key, text, alpha[_i].len) ==
		      alpha[_i].h, "length %zu", alpha[_i].len);
}
END_TEST

START_TEST(unaligned_input)
{
	uint8_t key[16], msg[64], shifted[64 + 8];

	ref_input(key, msg);
	for (size_t off = 1; off < 8; off++) {
		memcpy(shifted + off, msg, 64);
		for (size_t len = 0; len <= 64 - 1; len += 7)
			ck_assert(sync_hash_siphash(key, shifted + off, len) ==
				  zero_key[len]);
	}
}
END_TEST

START_TEST(key_matters)
{
	uint8_t key[16], msg[64];

	ref_input(key, msg);
	for (int bit = 0; bit < 128; bit++) {
		uint8_t k2[16];

		memcpy(k2, key, 16);
		k2[bit / 8] ^= (uint8_t)(1u << bit % 8);
		ck_assert(sync_hash_siphash(k2, msg, 16) != zero_key[16]);
	}
}
END_TEST

START_TEST(seed_random)
{
	static const uint8_t zero[16];
	uint8_t a[16], b[16];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	ck_assert_int_eq(sync_hash_seed(a), 0);
	ck_assert_int_eq(sync_hash_seed(b), 0);
	/* 2^-128 chances each of failing wrongly */
	ck_assert(memcmp(a, zero, 16) != 0);
	ck_assert(memcmp(a, b, 16) != 0);
}
END_TEST

Suite *hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *t = tcase_create("siphash");

	tcase_add_loop_test(t, zero_key_vector, 0, 64);
	tcase_add_loop_test(t, one_key_vector, 0, 8);
	tcase_add_loop_test(t, alpha_vector, 0,
			    (int)(sizeof(alpha) / sizeof(alpha[0])));
	tcase_add_test(t, unaligned_input);
	tcase_add_test(t, key_matters);
	tcase_add_test(t, seed_random);
	suite_add_tcase(s, t);
	return s;
}
