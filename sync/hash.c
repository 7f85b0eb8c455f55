// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SipHash-2-4 as the paper defines it (Aumasson and Bernstein, "SipHash:
 * a fast short-input PRF", 2012): four 64-bit words of state initialised
 * from the 128-bit key and the constants "somepseudorandomlygeneratedbytes",
 * two SipRounds per 8-byte little-endian message word, the last word
 * carrying the message length in its top byte, then 0xff into v2 and four
 * rounds. Words are read byte by byte, so neither the host's byte order
 * nor the data's alignment matters. The seed comes from getrandom(2), or
 * /dev/urandom where the kernel or libc lacks it.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/random.h>

#include "sync/hash.h"

static uint64_t rotl(uint64_t x, unsigned int b)
{
	return x << b | x >> (64 - b);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (unsigned int i = 8; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void sip_round(uint64_t v[4])
{
	v[0] += v[1]; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32);
	v[2] += v[3]; v[3] = rotl(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = rotl(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32);
}

/* One compression: c = 2 SipRounds on the word @m. */
static void sip_word(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sip_round(v);
	sip_round(v);
	v[0] ^= m;
}

uint64_t sync_hash_siphash(const uint8_t key[16], const void *data,
			   size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v[4] = {
		k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL,
	};
	uint64_t last = (uint64_t)len << 56;
	size_t whole = len & ~(size_t)7;

	for (size_t i = 0; i < whole; i += 8)
		sip_word(v, le64(p + i));
	for (size_t i = whole; i < len; i++)
		last |= (uint64_t)p[i] << (8 * (i - whole));
	sip_word(v, last);
	/* finalisation: d = 4 SipRounds */
	v[2] ^= 0xff;
	for (int i = 0; i < 4; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static int seed_urandom(uint8_t key[16])
{
	size_t got = 0;
	int fd, rc = 0;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < 16) {
		ssize_t n = read(fd, key + got, 16 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	return rc;
}

int sync_hash_seed(uint8_t key[16])
{
	size_t got = 0;

	while (got < 16) {
		ssize_t n = getrandom(key + got, 16 - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOSYS)
			return seed_urandom(key);
		if (n < 0)
			return -errno;
		got += (size_t)n;
	}
	return 0;
}
