// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ChaCha20 (RFC 8439 2.3-2.4), HChaCha20 and XChaCha20
 * (draft-irtf-cfrg-xchacha-03 2.2-2.3). The state is sixteen 32-bit words:
 * the constant "expand 32-byte k", the key, a block counter and the
 * nonce, all read little-endian byte by byte (no alignment or host-order
 * assumption). Twenty rounds of quarter rounds, alternately on columns
 * and diagonals; a block adds the input state back, HChaCha20 does not
 * and keeps words 0-3 and 12-15. Only additions, XORs and rotations by
 * constants: no table, no branch on data.
 */
#include <string.h>

#include "sync/crypto.h"

static uint32_t rotl32(uint32_t x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

static uint32_t load32_le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void store32_le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* RFC 8439 2.1: the quarter round on words a, b, c, d of @x. */
static inline void quarter(uint32_t x[16], int a, int b, int c, int d)
{
	x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 16);
	x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 12);
	x[a] += x[b]; x[d] = rotl32(x[d] ^ x[a], 8);
	x[c] += x[d]; x[b] = rotl32(x[b] ^ x[c], 7);
}

/* 20 rounds = 10 times a column round and a diagonal round. */
static void rounds(uint32_t x[16])
{
	for (int i = 0; i < 10; i++) {
		quarter(x, 0, 4, 8, 12);
		quarter(x, 1, 5, 9, 13);
		quarter(x, 2, 6, 10, 14);
		quarter(x, 3, 7, 11, 15);
		quarter(x, 0, 5, 10, 15);
		quarter(x, 1, 6, 11, 12);
		quarter(x, 2, 7, 8, 13);
		quarter(x, 3, 4, 9, 14);
	}
}

/* Words 0-11: "expa" "nd 3" "2-by" "te k" and the key. */
static void setup(uint32_t st[16], const uint8_t key[SYNC_CRYPTO_KEY_LEN])
{
	st[0] = 0x61707865;
	st[1] = 0x3320646e;
	st[2] = 0x79622d32;
	st[3] = 0x6b206574;
	for (int i = 0; i < 8; i++)
		st[4 + i] = load32_le(key + 4 * i);
}

/* One block of the prepared state @st (words 12-15 set), into @out;
 * @x is scratch space the caller wipes. */
static void block(const uint32_t st[16], uint32_t x[16],
		  uint8_t out[SYNC_CHACHA_BLOCK_LEN])
{
	memcpy(x, st, 16 * sizeof(*x));
	rounds(x);
	for (int i = 0; i < 16; i++)
		store32_le(out + 4 * i, x[i] + st[i]);
}

static void setup_ietf(uint32_t st[16], const uint8_t key[SYNC_CRYPTO_KEY_LEN],
		       uint32_t counter,
		       const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN])
{
	setup(st, key);
	st[12] = counter;
	st[13] = load32_le(nonce);
	st[14] = load32_le(nonce + 4);
	st[15] = load32_le(nonce + 8);
}

void sync_chacha20_block(const uint8_t key[SYNC_CRYPTO_KEY_LEN],
			 uint32_t counter,
			 const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
			 uint8_t out[SYNC_CHACHA_BLOCK_LEN])
{
	uint32_t st[16], x[16];

	setup_ietf(st, key, counter, nonce);
	block(st, x, out);
	sync_crypto_wipe(st, sizeof(st));
	sync_crypto_wipe(x, sizeof(x));
}

void sync_chacha20_xor(const uint8_t key[SYNC_CRYPTO_KEY_LEN],
		       uint32_t counter,
		       const uint8_t nonce[SYNC_CRYPTO_NONCE_LEN],
		       const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t ks[SYNC_CHACHA_BLOCK_LEN];
	uint32_t st[16], x[16];

	setup_ietf(st, key, counter, nonce);
	while (len) {
		size_t n = len < sizeof(ks) ? len : sizeof(ks);

		block(st, x, ks);
		st[12]++;
		/* byte by byte: @in == @out reads each byte before its write */
		for (size_t i = 0; i < n; i++)
			out[i] = in[i] ^ ks[i];
		in += n;
		out += n;
		len -= n;
	}
	sync_crypto_wipe(ks, sizeof(ks));
	sync_crypto_wipe(st, sizeof(st));
	sync_crypto_wipe(x, sizeof(x));
}

void sync_hchacha20(const uint8_t key[SYNC_CRYPTO_KEY_LEN],
		    const uint8_t nonce[SYNC_CRYPTO_HNONCE_LEN],
		    uint8_t subkey[SYNC_CRYPTO_KEY_LEN])
{
	uint32_t x[16];

	setup(x, key);
	for (int i = 0; i < 4; i++)
		x[12 + i] = load32_le(nonce + 4 * i);
	rounds(x);
	for (int i = 0; i < 4; i++) {
		store32_le(subkey + 4 * i, x[i]);
		store32_le(subkey + 16 + 4 * i, x[12 + i]);
	}
	sync_crypto_wipe(x, sizeof(x));
}

void sync_xchacha20_xor(const uint8_t key[SYNC_CRYPTO_KEY_LEN],
			uint32_t counter,
			const uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN],
			const uint8_t *in, uint8_t *out, size_t len)
{
	uint8_t subkey[SYNC_CRYPTO_KEY_LEN], n12[SYNC_CRYPTO_NONCE_LEN] = { 0 };

	sync_hchacha20(key, nonce, subkey);
	memcpy(n12 + 4, nonce + 16, 8);
	sync_chacha20_xor(subkey, counter, n12, in, out, len);
	sync_crypto_wipe(subkey, sizeof(subkey));
}
