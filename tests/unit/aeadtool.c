// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * aeadtool: sync/crypto.h's AEAD on the command line, for the cross-check
 * against OpenSSL (tests/unit/crypto_openssl.sh). A 12-byte nonce selects
 * ChaCha20-Poly1305 (RFC 8439), a 24-byte one XChaCha20-Poly1305.
 *
 *   aeadtool seal KEY NONCE AADFILE < plaintext > ciphertext+tag
 *   aeadtool open KEY NONCE AADFILE < ciphertext+tag > plaintext
 *   aeadtool hchacha KEY NONCE16       (prints the subkey in hex)
 *
 * KEY and NONCE are hex. open writes nothing and exits 1 when the tag
 * does not match; 2 is a usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/crypto.h"

#define MAX_IN (1 << 20)

static uint8_t in[MAX_IN + 1], out[MAX_IN + 16], aad[MAX_IN + 1];

static int unhex(const char *hex, uint8_t *b, size_t want)
{
	if (strlen(hex) != 2 * want)
		return -1;
	for (size_t i = 0; i < want; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		b[i] = (uint8_t)v;
	}
	return 0;
}

static long slurp(FILE *f, uint8_t *buf)
{
	size_t n = fread(buf, 1, MAX_IN + 1, f);

	if (ferror(f) || n > MAX_IN)
		return -1;
	return (long)n;
}

static int usage(void)
{
	fprintf(stderr, "usage: aeadtool seal|open KEY NONCE AADFILE, "
		"aeadtool hchacha KEY NONCE16\n");
	return 2;
}

static int hchacha(const char *k, const char *n)
{
	uint8_t key[32], nonce[16], sub[32];

	if (unhex(k, key, 32) || unhex(n, nonce, 16))
		return usage();
	sync_hchacha20(key, nonce, sub);
	for (int i = 0; i < 32; i++)
		printf("%02x", sub[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t key[32], nonce[24];
	size_t nlen;
	long len, alen;
	FILE *f;
	int x, rc;

	if (argc == 4 && !strcmp(argv[1], "hchacha"))
		return hchacha(argv[2], argv[3]);
	if (argc != 5 || unhex(argv[2], key, 32))
		return usage();
	nlen = strlen(argv[3]) / 2;
	if ((nlen != 12 && nlen != 24) || unhex(argv[3], nonce, nlen))
		return usage();
	x = nlen == 24;
	f = fopen(argv[4], "rb");
	if (!f)
		return usage();
	alen = slurp(f, aad);
	fclose(f);
	len = slurp(stdin, in);
	if (alen < 0 || len < 0)
		return usage();
	if (!strcmp(argv[1], "seal")) {
		rc = (x ? sync_aead_xseal : sync_aead_seal)(out, out + len, in,
			(size_t)len, aad, (size_t)alen, nonce, key);
		len += 16;
	} else if (!strcmp(argv[1], "open")) {
		if (len < 16)
			return 1;
		len -= 16;
		rc = (x ? sync_aead_xopen : sync_aead_open)(out, in,
			(size_t)len, in + len, aad, (size_t)alen, nonce, key);
		if (rc == -EBADMSG)
			return 1;
	} else {
		return usage();
	}
	if (rc || fwrite(out, 1, (size_t)len, stdout) != (size_t)len ||
	    fflush(stdout))
		return 2;
	return 0;
}
