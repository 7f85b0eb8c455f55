/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cryptography of the authenticated sync frame (sync/frame.h):
 * ChaCha20 and Poly1305 as RFC 8439 defines them (sections 2.3-2.5),
 * HChaCha20 and XChaCha20 (draft-irtf-cfrg-xchacha-03), and the AEAD
 * ChaCha20-Poly1305 of RFC 8439 section 2.8 with its 96-bit nonce and
 * with the 192-bit XChaCha nonce. Written from the documents, checked
 * against their test vectors (tests/unit/check_crypto.c) and against
 * OpenSSL (tests/unit/crypto_openssl.sh).
 *
 * Properties the callers rely on: nothing is allocated; no table is
 * indexed and no branch is taken on a secret (keys, keystream, the
 * Poly1305 accumulator, tags), so timing depends on lengths only; the
 * tag comparison reads every byte whatever the first difference; key
 * material and intermediate state on the stack are wiped before return
 * with sync_crypto_wipe(), which the compiler may not elide.
 *
 * Buffers: @in and @out of the stream and AEAD functions may be the same
 * address (in place) or not overlap at all; any partial overlap is
 * undefined. A ChaCha20 stream holds at most 2^32 blocks of 64 bytes per
 * (key, nonce) after the starting counter: callers keep inputs far below
 * that (the AEAD functions refuse more with -EMSGSIZE). A (key, nonce)
 * pair must never encrypt two different messages: choosing nonces is
 * the caller's duty (the frame uses its sender's epoch and sequence
 * number).
 */
#ifndef RAWCT_SYNC_CRYPTO_H
#define RAWCT_SYNC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define SYNC_CRYPTO_KEY_LEN	32	/* ChaCha20 and AEAD keys */
#define SYNC_CRYPTO_NONCE_LEN	12	/* RFC 8439 nonce */
#define SYNC_CRYPTO_XNONCE_LEN	24	/* XChaCha20 nonce */
#define SYNC_CRYPTO_HNONCE_LEN	16	/* HChaCha20 input */
#define SYNC_CRYPTO_TAG_LEN	16	/* Poly1305 tag */
#define SYNC_CHACHA_BLOCK_LEN	64

/* ---- helpers (sync/aead.c) ---------------------------------------- */

/* Zeroes @len bytes at @p in a way no optimiser removes (explicit_bzero,
 * which glibc and musl provide). */
void sync_crypto_wipe(void *p, size_t len);

/* Compares @len bytes in time that depends on @len only. Returns 0 when
 * equal, -1 otherwise. */
int sync_crypto_verify(const uint8_t *a, const uint8_t *b, size_t len);

/* ---- ChaCha20, HChaCha20, XChaCha20 (sync/chacha.c) ----------------- */

/* The 64-byte block of RFC 8439 2.3 for @key, block @counter and the
 * 96-bit @nonce, into @out. */
void sync_chacha20_block(const uint8_t key[SYNC_CRYPTO_KEY_LEN],
			 uint32_t counter,
			 const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
			 uint8_t out[SYNC_CHACHA_BLOCK_LEN]);

/*
 * sync_chacha20_xor - RFC 8439 2.4: @len bytes of @in XORed with the
 * keystream of (@key, @nonce) from block @counter on, into @out (may be
 * @in). Encrypts and decrypts alike. The counter wraps after 2^32 - 1
 * blocks; callers stay below (see the file comment).
 */
void sync_chacha20_xor(const uint8_t key[SYNC_CRYPTO_KEY_LEN],
		       uint32_t counter,
		       const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
		       const uint8_t *in, uint8_t *out, size_t len);

/* HChaCha20 (draft-irtf-cfrg-xchacha-03 2.2): the 256-bit subkey of
 * @key and the 128-bit @nonce, into @subkey (may not alias @key). */
void sync_hchacha20(const uint8_t key[SYNC_CRYPTO_KEY_LEN],
		    const uint8_t nonce[SYNC_CRYPTO_HNONCE_LEN],
		    uint8_t subkey[SYNC_CRYPTO_KEY_LEN]);

/* XChaCha20 (ibid. 2.3): ChaCha20 under HChaCha20(@key, @nonce[0..15])
 * with the nonce 0^32 || @nonce[16..23]; otherwise as
 * sync_chacha20_xor(). */
void sync_xchacha20_xor(const uint8_t key[SYNC_CRYPTO_KEY_LEN],
			uint32_t counter,
			const uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN],
			const uint8_t *in, uint8_t *out, size_t len);

/* ---- Poly1305 (sync/poly1305.c) ------------------------------------- */

/* A Poly1305 computation under way: plain data owned by the caller,
 * opaque in meaning; holds key material until sync_poly1305_final(). */
struct sync_poly1305 {
	uint32_t r[5];			/* clamped r, 26-bit limbs */
	uint32_t h[5];			/* accumulator, 26-bit limbs */
	uint32_t s[4];			/* the key's second half */
	uint8_t buf[16];		/* a partial block */
	size_t used;			/* bytes in buf */
};

/* Starts a MAC under the one-time @key (r || s, RFC 8439 2.5). */
void sync_poly1305_init(struct sync_poly1305 *st,
			const uint8_t key[SYNC_CRYPTO_KEY_LEN]);

/* Adds @len bytes at @data to the message (any split of the message
 * over calls gives the same tag). */
void sync_poly1305_update(struct sync_poly1305 *st, const void *data,
			  size_t len);

/* Writes the tag into @tag and wipes @st. */
void sync_poly1305_final(struct sync_poly1305 *st,
			 uint8_t tag[SYNC_CRYPTO_TAG_LEN]);

/* One call: the tag of @len bytes at @msg under @key. */
void sync_poly1305(uint8_t tag[SYNC_CRYPTO_TAG_LEN], const void *msg,
		   size_t len, const uint8_t key[SYNC_CRYPTO_KEY_LEN]);

/* ---- AEAD ChaCha20-Poly1305 (sync/aead.c) ---------------------------- */

/* The longest plaintext: 2^32 - 1 blocks (block 0 makes the MAC key). */
#define SYNC_AEAD_MAX	((((uint64_t)1 << 32) - 1) * SYNC_CHACHA_BLOCK_LEN)

/*
 * sync_aead_seal - RFC 8439 2.8: encrypts @len bytes of @in into @out
 * (the same length; may be @in) and writes the 16-byte tag over the
 * @ad_len bytes of associated data @ad (may be NULL when @ad_len is 0)
 * and the ciphertext into @tag (must not overlap @out or @ad). Returns 0,
 * or -EMSGSIZE when @len is over SYNC_AEAD_MAX (nothing written).
 */
int sync_aead_seal(uint8_t *out, uint8_t tag[SYNC_CRYPTO_TAG_LEN],
		   const uint8_t *in, size_t len, const uint8_t *ad,
		   size_t ad_len, const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
		   const uint8_t key[SYNC_CRYPTO_KEY_LEN]);

/*
 * sync_aead_open - checks @tag over @ad and the @len bytes of ciphertext
 * @in in constant time, then decrypts them into @out (may be @in).
 * Returns 0; -EBADMSG when the tag does not match, and then @out holds
 * @len zero bytes (with @out == @in the ciphertext is gone too), never
 * unauthenticated plaintext; -EMSGSIZE as sync_aead_seal().
 */
int sync_aead_open(uint8_t *out, const uint8_t *in, size_t len,
		   const uint8_t tag[SYNC_CRYPTO_TAG_LEN], const uint8_t *ad,
		   size_t ad_len, const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
		   const uint8_t key[SYNC_CRYPTO_KEY_LEN]);

/* XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03 2.3.1): the AEAD under
 * the HChaCha20 subkey of @key and the first 16 bytes of the 24-byte
 * @nonce, with the nonce 0^32 || @nonce[16..23]. As sync_aead_seal(). */
int sync_aead_xseal(uint8_t *out, uint8_t tag[SYNC_CRYPTO_TAG_LEN],
		    const uint8_t *in, size_t len, const uint8_t *ad,
		    size_t ad_len, const uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN],
		    const uint8_t key[SYNC_CRYPTO_KEY_LEN]);

/* As sync_aead_open(), with the XChaCha20 nonce. */
int sync_aead_xopen(uint8_t *out, const uint8_t *in, size_t len,
		    const uint8_t tag[SYNC_CRYPTO_TAG_LEN], const uint8_t *ad,
		    size_t ad_len, const uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN],
		    const uint8_t key[SYNC_CRYPTO_KEY_LEN]);

#endif
