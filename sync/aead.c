// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The AEAD ChaCha20-Poly1305 (RFC 8439 2.8) and its XChaCha20 form
 * (draft-irtf-cfrg-xchacha-03 2.3.1), plus the two helpers every part of
 * sync/crypto.h uses: a wipe the compiler keeps and a comparison whose
 * time does not depend on where the inputs differ.
 *
 * The Poly1305 key is the first 32 bytes of ChaCha20 block 0; the
 * plaintext is encrypted from block 1; the tag covers
 *   AD | zeros to 16 | ciphertext | zeros to 16 | le64(|AD|) | le64(|C|)
 * Opening computes the tag over the ciphertext first and decrypts only
 * when it matches, so a forged message never produces plaintext.
 */
#include <errno.h>
#include <string.h>

#include "sync/crypto.h"

void sync_crypto_wipe(void *p, size_t len)
{
	/* declared by glibc (2.25) and musl (1.1.20) under _GNU_SOURCE;
	 * unlike memset it is never removed as a dead store */
	explicit_bzero(p, len);
}

int sync_crypto_verify(const uint8_t *a, const uint8_t *b, size_t len)
{
	/* volatile: every byte is read and ORed in, no early exit */
	volatile uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d = d | (uint8_t)(a[i] ^ b[i]);
	/* 0 -> 0, 1..255 -> -1, without a branch on d */
	return (int)((((unsigned int)d + 0x1ff) >> 9) & 1) * -1;
}

static void put64_le(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void pad16(struct sync_poly1305 *mac, size_t len)
{
	static const uint8_t zero[16];

	if (len % 16)
		sync_poly1305_update(mac, zero, 16 - len % 16);
}

/* The RFC 8439 2.8 tag of @ad and the ciphertext @c under the one-time
 * key of (@key, @nonce). */
static void aead_tag(uint8_t tag[SYNC_CRYPTO_TAG_LEN], const uint8_t *ad,
		     size_t ad_len, const uint8_t *c, size_t len,
		     const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
		     const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	uint8_t block0[SYNC_CHACHA_BLOCK_LEN], lens[16];
	struct sync_poly1305 mac;

	sync_chacha20_block(key, 0, nonce, block0);
	sync_poly1305_init(&mac, block0);
	sync_crypto_wipe(block0, sizeof(block0));
	sync_poly1305_update(&mac, ad, ad_len);
	pad16(&mac, ad_len);
	sync_poly1305_update(&mac, c, len);
	pad16(&mac, len);
	put64_le(lens, ad_len);
	put64_le(lens + 8, len);
	sync_poly1305_update(&mac, lens, sizeof(lens));
	sync_poly1305_final(&mac, tag);
}

int sync_aead_seal(uint8_t *out, uint8_t tag[SYNC_CRYPTO_TAG_LEN],
		   const uint8_t *in, size_t len, const uint8_t *ad,
		   size_t ad_len, const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
		   const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	if ((uint64_t)len > SYNC_AEAD_MAX)
		return -EMSGSIZE;
	sync_chacha20_xor(key, 1, nonce, in, out, len);
	aead_tag(tag, ad, ad_len, out, len, nonce, key);
	return 0;
}

int sync_aead_open(uint8_t *out, const uint8_t *in, size_t len,
		   const uint8_t tag[SYNC_CRYPTO_TAG_LEN], const uint8_t *ad,
		   size_t ad_len, const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
		   const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	uint8_t want[SYNC_CRYPTO_TAG_LEN];
	int bad;

	if ((uint64_t)len > SYNC_AEAD_MAX)
		return -EMSGSIZE;
	aead_tag(want, ad, ad_len, in, len, nonce, key);
	bad = sync_crypto_verify(want, tag, sizeof(want));
	sync_crypto_wipe(want, sizeof(want));
	if (bad) {
		if (len)
			memset(out, 0, len);
		return -EBADMSG;
	}
	sync_chacha20_xor(key, 1, nonce, in, out, len);
	return 0;
}

/* The subkey and the 96-bit nonce of XChaCha20 for @nonce. */
static void xsetup(uint8_t subkey[SYNC_CRYPTO_KEY_LEN],
		   uint8_t n12[SYNC_CRYPTO_NONCE_LEN],
		   const uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN],
		   const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	sync_hchacha20(key, nonce, subkey);
	memset(n12, 0, 4);
	memcpy(n12 + 4, nonce + 16, 8);
}

int sync_aead_xseal(uint8_t *out, uint8_t tag[SYNC_CRYPTO_TAG_LEN],
		    const uint8_t *in, size_t len, const uint8_t *ad,
		    size_t ad_len, const uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN],
		    const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	uint8_t subkey[SYNC_CRYPTO_KEY_LEN], n12[SYNC_CRYPTO_NONCE_LEN];
	int ret;

	xsetup(subkey, n12, nonce, key);
	ret = sync_aead_seal(out, tag, in, len, ad, ad_len, n12, subkey);
	sync_crypto_wipe(subkey, sizeof(subkey));
	return ret;
}

int sync_aead_xopen(uint8_t *out, const uint8_t *in, size_t len,
		    const uint8_t tag[SYNC_CRYPTO_TAG_LEN], const uint8_t *ad,
		    size_t ad_len, const uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN],
		    const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	uint8_t subkey[SYNC_CRYPTO_KEY_LEN], n12[SYNC_CRYPTO_NONCE_LEN];
	int ret;

	xsetup(subkey, n12, nonce, key);
	ret = sync_aead_open(out, in, len, tag, ad, ad_len, n12, subkey);
	sync_crypto_wipe(subkey, sizeof(subkey));
	return ret;
}
