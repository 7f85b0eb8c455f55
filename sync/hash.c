// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012, with c = 1 and d = 3 rounds): four 64-bit words of state
 * initialised from the 128-bit key and the constants
 * "somepseudorandomlygeneratedbytes", one SipRound per 8-byte
 * little-endian message word, the last word carrying the message length
 * in its top byte, then 0xff into v2 and three rounds. The variant with
 * fewer rounds than SipHash-2-4 is the one hash tables use (Linux's
 * hsiphash on 64-bit, Rust's HashMap): keyed, it still keeps whoever
 * chooses the input from predicting buckets, at about half the cost on
 * the short keys the caches hash. Words are read byte by byte, so neither
 * the host's byte order nor the data's alignment matters. The seed comes
 * from getrandom(2), or /dev/urandom where the kernel or libc lacks it.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/random.h>

#include "sync/hash.h"

static inline uint64_t rotl(uint64_t x, unsigned int b)
{
	return x << b | x >> (64 - b);
}

/* Spelled out byte by byte: compilers turn this into one load (and a
 * byte swap on big-endian hosts), which the equivalent loop was not. */
static inline uint64_t le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	       (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	       (uint64_t)p[7] << 56;
}

/* The state in four named words, so the compiler keeps it in registers. */
struct sip {
	uint64_t v0, v1, v2, v3;
};

static inline void sip_round(struct sip *s)
{
	s->v0 += s->v1; s->v1 = rotl(s->v1, 13); s->v1 ^= s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3; s->v3 = rotl(s->v3, 16); s->v3 ^= s->v2;
	s->v0 += s->v3; s->v3 = rotl(s->v3, 21); s->v3 ^= s->v0;
	s->v2 += s->v1; s->v1 = rotl(s->v1, 17); s->v1 ^= s->v2;
	s->v2 = rotl(s->v2, 32);
}

/* One compression: c = 1 SipRound on the word @m. */
static inline void sip_word(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	s->v0 ^= m;
}

uint64_t sync_hash_siphash(const uint8_t key[16], const void *data,
			   size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	struct sip s = {
		k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL,
	};
	uint64_t last = (uint64_t)len << 56;
	size_t whole = len & ~(size_t)7;

	for (size_t i = 0; i < whole; i += 8)
		sip_word(&s, le64(p + i));
	for (size_t i = whole; i < len; i++)
		last |= (uint64_t)p[i] << (8 * (i - whole));
	sip_word(&s, last);
	/* finalisation: d = 3 SipRounds */
	s.v2 ^= 0xff;
	sip_round(&s);
	sip_round(&s);
	sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
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
