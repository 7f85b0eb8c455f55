// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/crypto.h: ChaCha20, HChaCha20, XChaCha20, Poly1305
 * and the two AEADs against every published vector of RFC 8439 and
 * draft-irtf-cfrg-xchacha-03 (tests/unit/crypto_vectors.c), in place
 * and with separate buffers, Poly1305 fed in every split; then what the
 * frame relies on: one flipped bit anywhere in the ciphertext, the tag or
 * the associated data, or a wrong key, nonce or length, fails to open and
 * leaves only zeros in the output; the constant-time comparison; the
 * length limit.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "sync/crypto.h"
#include "tests/unit/crypto_vectors.h"
#include "tests/unit/suites.h"

#define BUF 512

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	ck_assert_uint_eq(strlen(hex) % 2, 0);
	ck_assert_uint_le(n, cap);
	for (size_t i = 0; i < n; i++) {
		unsigned int b;

		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

/* the bytes of a vector's field, of exactly @want bytes */
static void field(const char *hex, uint8_t *out, size_t want)
{
	ck_assert_uint_eq(unhex(hex, out, want), want);
}

static int all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

START_TEST(chacha20_block)
{
	const struct cv_block *v = &cv_blocks[_i];
	uint8_t key[32], nonce[12], want[64], got[64];

	field(v->key, key, 32);
	field(v->nonce, nonce, 12);
	field(v->out, want, 64);
	sync_chacha20_block(key, v->counter, nonce, got);
	ck_assert_msg(!memcmp(got, want, 64), "%s", v->name);
}
END_TEST

/* Encrypts and decrypts @v with separate buffers and in place. */
static void check_stream(const struct cv_stream *v, size_t nonce_len,
			 void (*xor)(const uint8_t *, uint32_t,
				     const uint8_t *, const uint8_t *,
				     uint8_t *, size_t))
{
	uint8_t key[32], nonce[24], pt[BUF], ct[BUF], got[BUF];
	size_t len = unhex(v->pt, pt, sizeof(pt));

	field(v->key, key, 32);
	field(v->nonce, nonce, nonce_len);
	ck_assert_uint_eq(unhex(v->ct, ct, sizeof(ct)), len);
	xor(key, v->counter, nonce, pt, got, len);
	ck_assert_msg(!memcmp(got, ct, len), "%s: encrypt", v->name);
	xor(key, v->counter, nonce, got, got, len);
	ck_assert_msg(!memcmp(got, pt, len), "%s: decrypt in place", v->name);
}

START_TEST(chacha20_stream)
{
	check_stream(&cv_streams[_i], 12, sync_chacha20_xor);
}
END_TEST

START_TEST(xchacha20_stream)
{
	check_stream(&cv_xstreams[_i], 24, sync_xchacha20_xor);
}
END_TEST

/* RFC 8439 A.4: the Poly1305 key is the start of block 0. */
START_TEST(poly1305_keygen)
{
	const struct cv_keygen *v = &cv_keygens[_i];
	uint8_t key[32], nonce[12], want[32], block[64];

	field(v->key, key, 32);
	field(v->nonce, nonce, 12);
	field(v->otk, want, 32);
	sync_chacha20_block(key, 0, nonce, block);
	ck_assert_msg(!memcmp(block, want, 32), "%s", v->name);
}
END_TEST

START_TEST(hchacha20)
{
	const struct cv_keygen *v = &cv_hchachas[_i];
	uint8_t key[32], nonce[16], want[32], got[32];

	field(v->key, key, 32);
	field(v->nonce, nonce, 16);
	field(v->otk, want, 32);
	sync_hchacha20(key, nonce, got);
	ck_assert_msg(!memcmp(got, want, 32), "%s", v->name);
}
END_TEST

/* One call, then the message fed in pieces of every size 1..33. */
START_TEST(poly1305_vector)
{
	const struct cv_poly *v = &cv_polys[_i];
	uint8_t key[32], msg[BUF], want[16], got[16];
	size_t len = unhex(v->msg, msg, sizeof(msg));

	field(v->key, key, 32);
	field(v->tag, want, 16);
	sync_poly1305(got, msg, len, key);
	ck_assert_msg(!memcmp(got, want, 16), "%s", v->name);
	for (size_t piece = 1; piece <= 33; piece++) {
		struct sync_poly1305 st;

		sync_poly1305_init(&st, key);
		for (size_t off = 0; off < len; off += piece)
			sync_poly1305_update(&st, msg + off, len - off < piece ?
					     len - off : piece);
		sync_poly1305_final(&st, got);
		ck_assert_msg(!memcmp(got, want, 16), "%s, pieces of %zu",
			      v->name, piece);
		ck_assert(all_zero((const uint8_t *)&st, sizeof(st)));
	}
}
END_TEST

struct aead_case {
	uint8_t key[32], nonce[24], aad[BUF], pt[BUF], ct[BUF], tag[16];
	size_t aad_len, len;
};

static void load_aead(struct aead_case *c, const struct cv_aead *v,
		      size_t nonce_len)
{
	field(v->key, c->key, 32);
	field(v->nonce, c->nonce, nonce_len);
	field(v->tag, c->tag, 16);
	c->aad_len = unhex(v->aad, c->aad, sizeof(c->aad));
	c->len = unhex(v->pt, c->pt, sizeof(c->pt));
	ck_assert_uint_eq(unhex(v->ct, c->ct, sizeof(c->ct)), c->len);
}

typedef int (*seal_fn)(uint8_t *, uint8_t *, const uint8_t *, size_t,
		       const uint8_t *, size_t, const uint8_t *,
		       const uint8_t *);
typedef int (*open_fn)(uint8_t *, const uint8_t *, size_t, const uint8_t *,
		       const uint8_t *, size_t, const uint8_t *,
		       const uint8_t *);

static void check_aead(const struct cv_aead *v, size_t nonce_len,
		       seal_fn seal, open_fn open)
{
	struct aead_case c;
	uint8_t buf[BUF], tag[16];

	load_aead(&c, v, nonce_len);
	ck_assert_int_eq(seal(buf, tag, c.pt, c.len, c.aad, c.aad_len,
			      c.nonce, c.key), 0);
	ck_assert_msg(!memcmp(buf, c.ct, c.len), "%s: ciphertext", v->name);
	ck_assert_msg(!memcmp(tag, c.tag, 16), "%s: tag", v->name);
	memcpy(buf, c.pt, c.len);
	ck_assert_int_eq(seal(buf, tag, buf, c.len, c.aad, c.aad_len,
			      c.nonce, c.key), 0);
	ck_assert_msg(!memcmp(buf, c.ct, c.len) && !memcmp(tag, c.tag, 16),
		      "%s: sealed in place", v->name);
	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(open(buf, c.ct, c.len, c.tag, c.aad, c.aad_len,
			      c.nonce, c.key), 0);
	ck_assert_msg(!memcmp(buf, c.pt, c.len), "%s: open", v->name);
	ck_assert_uint_eq(buf[c.len], 0xaa);
	memcpy(buf, c.ct, c.len);
	ck_assert_int_eq(open(buf, buf, c.len, c.tag, c.aad, c.aad_len,
			      c.nonce, c.key), 0);
	ck_assert_msg(!memcmp(buf, c.pt, c.len), "%s: open in place",
		      v->name);
}

START_TEST(aead_vector)
{
	check_aead(&cv_aeads[_i], 12, sync_aead_seal, sync_aead_open);
}
END_TEST

START_TEST(xaead_vector)
{
	check_aead(&cv_xaeads[_i], 24, sync_aead_xseal, sync_aead_xopen);
}
END_TEST

/* Opens @c (changed by the caller) expecting refusal and a zeroed
 * output, with separate buffers and in place. */
static void refused(const struct aead_case *c, size_t len, const char *what,
		    size_t bit)
{
	uint8_t out[BUF];
	int rc;

	memset(out, 0xaa, sizeof(out));
	rc = sync_aead_xopen(out, c->ct, len, c->tag, c->aad, c->aad_len,
			     c->nonce, c->key);
	ck_assert_msg(rc == -EBADMSG, "%s bit %zu: opened (%d)", what, bit, rc);
	ck_assert_msg(all_zero(out, len), "%s bit %zu: output kept", what, bit);
	ck_assert_uint_eq(out[len], 0xaa);
	memcpy(out, c->ct, len);
	rc = sync_aead_xopen(out, out, len, c->tag, c->aad, c->aad_len,
			     c->nonce, c->key);
	ck_assert_int_eq(rc, -EBADMSG);
	ck_assert_msg(all_zero(out, len), "%s bit %zu: in place", what, bit);
}

/* Every single bit of ciphertext, tag, AAD, nonce and key flipped. */
START_TEST(aead_bit_flips)
{
	struct aead_case c;
	static const struct {
		const char *what;
		size_t off;
		int len_is_aad;	/* 0: ct, 1: aad, 2: fixed size */
		size_t size;
	} parts[] = {
		{ "ciphertext", offsetof(struct aead_case, ct), 0, 0 },
		{ "tag", offsetof(struct aead_case, tag), 2, 16 },
		{ "aad", offsetof(struct aead_case, aad), 1, 0 },
		{ "nonce", offsetof(struct aead_case, nonce), 2, 24 },
		{ "key", offsetof(struct aead_case, key), 2, 32 },
	};

	load_aead(&c, &cv_xaeads[0], 24);
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
		uint8_t *base = (uint8_t *)&c + parts[p].off;
		size_t size = parts[p].len_is_aad == 0 ? c.len :
			      parts[p].len_is_aad == 1 ? c.aad_len :
			      parts[p].size;

		for (size_t bit = 0; bit < size * 8; bit++) {
			base[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			refused(&c, c.len, parts[p].what, bit);
			base[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
	}
}
END_TEST

/* A ciphertext cut short, or an AAD cut short, is refused too. */
START_TEST(aead_lengths)
{
	struct aead_case c;
	size_t full;

	load_aead(&c, &cv_xaeads[0], 24);
	for (size_t len = 0; len < c.len; len++)
		refused(&c, len, "ciphertext length", len);
	full = c.aad_len;
	for (c.aad_len = 0; c.aad_len < full; c.aad_len++)
		refused(&c, c.len, "aad length", c.aad_len);
}
END_TEST

/* Empty plaintext and AAD (NULL pointers) round-trip; the tag alone is
 * then what is checked. */
START_TEST(aead_empty)
{
	uint8_t key[32] = { 1 }, nonce[24] = { 2 }, tag[16], out[1] = { 0x55 };

	ck_assert_int_eq(sync_aead_xseal(NULL, tag, NULL, 0, NULL, 0, nonce,
					 key), 0);
	ck_assert_int_eq(sync_aead_xopen(out, NULL, 0, tag, NULL, 0, nonce,
					 key), 0);
	ck_assert_uint_eq(out[0], 0x55);
	tag[15] ^= 0x80;
	ck_assert_int_eq(sync_aead_xopen(out, NULL, 0, tag, NULL, 0, nonce,
					 key), -EBADMSG);
	ck_assert_uint_eq(out[0], 0x55);
}
END_TEST

START_TEST(aead_too_long)
{
	uint8_t key[32] = { 0 }, nonce[24] = { 0 }, tag[16], byte = 0;

	if ((uint64_t)SIZE_MAX <= SYNC_AEAD_MAX)
		return;		/* a 32-bit size_t cannot say it */
	/* refused before anything is read or written */
	ck_assert_int_eq(sync_aead_xseal(&byte, tag, &byte,
					 (size_t)SYNC_AEAD_MAX + 1, NULL, 0,
					 nonce, key), -EMSGSIZE);
	ck_assert_int_eq(sync_aead_xopen(&byte, &byte,
					 (size_t)SYNC_AEAD_MAX + 1, tag, NULL,
					 0, nonce, key), -EMSGSIZE);
}
END_TEST

/* One row per position of the difference: first, middle, last byte. */
START_TEST(verify_rows)
{
	uint8_t a[33], b[33];

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = b[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(sync_crypto_verify(a, b, sizeof(a)), 0);
	ck_assert_int_eq(sync_crypto_verify(a, b, 0), 0);
	for (size_t pos = 0; pos < sizeof(a); pos++)
		for (unsigned int bit = 0; bit < 8; bit++) {
			b[pos] ^= (uint8_t)(1u << bit);
			ck_assert_int_eq(sync_crypto_verify(a, b, sizeof(a)),
					 -1);
			b[pos] ^= (uint8_t)(1u << bit);
		}
	ck_assert_int_eq(sync_crypto_verify(a, b, sizeof(a)), 0);
}
END_TEST

START_TEST(wipe_zeroes)
{
	uint8_t buf[40];

	memset(buf, 0xff, sizeof(buf));
	sync_crypto_wipe(buf + 1, 38);
	ck_assert_uint_eq(buf[0], 0xff);
	ck_assert(all_zero(buf + 1, 38));
	ck_assert_uint_eq(buf[39], 0xff);
}
END_TEST

Suite *crypto_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc = tcase_create("vectors");
	TCase *bad = tcase_create("forgery");

	tcase_add_loop_test(tc, chacha20_block, 0, (int)cv_blocks_n);
	tcase_add_loop_test(tc, chacha20_stream, 0, (int)cv_streams_n);
	tcase_add_loop_test(tc, xchacha20_stream, 0, (int)cv_xstreams_n);
	tcase_add_loop_test(tc, poly1305_keygen, 0, (int)cv_keygens_n);
	tcase_add_loop_test(tc, hchacha20, 0, (int)cv_hchachas_n);
	tcase_add_loop_test(tc, poly1305_vector, 0, (int)cv_polys_n);
	tcase_add_loop_test(tc, aead_vector, 0, (int)cv_aeads_n);
	tcase_add_loop_test(tc, xaead_vector, 0, (int)cv_xaeads_n);
	suite_add_tcase(s, tc);
	tcase_add_test(bad, aead_bit_flips);
	tcase_add_test(bad, aead_lengths);
	tcase_add_test(bad, aead_empty);
	tcase_add_test(bad, aead_too_long);
	tcase_add_test(bad, verify_rows);
	tcase_add_test(bad, wipe_zeroes);
	suite_add_tcase(s, bad);
	return s;
}
