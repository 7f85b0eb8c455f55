/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The published ChaCha20, Poly1305 and (X)ChaCha20-Poly1305 test vectors
 * (tests/unit/crypto_vectors.c) as hex strings: every byte string of a
 * vector, its length implied (two digits a byte).
 */
#ifndef RAWCT_TESTS_UNIT_CRYPTO_VECTORS_H
#define RAWCT_TESTS_UNIT_CRYPTO_VECTORS_H

#include <stddef.h>
#include <stdint.h>

/* One ChaCha20 block. */
struct cv_block {
	const char *name, *key, *nonce;
	uint32_t counter;
	const char *out;
};

/* ChaCha20 or XChaCha20 encryption from a starting block counter. */
struct cv_stream {
	const char *name, *key, *nonce;
	uint32_t counter;
	const char *pt, *ct;
};

/* Poly1305 under a one-time key. */
struct cv_poly {
	const char *name, *key, *msg, *tag;
};

/* A key derived from a key and a nonce: the Poly1305 key of ChaCha20
 * block 0 (RFC 8439 A.4), or the HChaCha20 subkey. */
struct cv_keygen {
	const char *name, *key, *nonce, *otk;
};

/* The AEAD, RFC 8439 or XChaCha. */
struct cv_aead {
	const char *name, *key, *nonce, *aad, *pt, *ct, *tag;
};

extern const struct cv_block cv_blocks[];
extern const size_t cv_blocks_n;
extern const struct cv_stream cv_streams[];
extern const size_t cv_streams_n;
extern const struct cv_stream cv_xstreams[];
extern const size_t cv_xstreams_n;
extern const struct cv_poly cv_polys[];
extern const size_t cv_polys_n;
extern const struct cv_keygen cv_keygens[];
extern const size_t cv_keygens_n;
extern const struct cv_aead cv_aeads[];
extern const size_t cv_aeads_n;
extern const struct cv_aead cv_xaeads[];
extern const size_t cv_xaeads_n;
extern const struct cv_keygen cv_hchachas[];
extern const size_t cv_hchachas_n;

#endif
