// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The authenticated sync frame (sync/frame.h): sealing, the header check
 * that runs before any cryptography, opening into a caller's buffer, and
 * the sender's epoch. Integers on the wire are big-endian, written and
 * read byte by byte; a receive buffer is only ever read.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "sync/crypto.h"
#include "sync/frame.h"
#include "sync/hash.h"

/* header offsets */
enum {
	OFF_VERSION = 4,
	OFF_FLAGS = 5,
	OFF_KEY_ID = 6,
	OFF_RSVD1 = 7,
	OFF_LEN = 8,
	OFF_RSVD2 = 10,
	OFF_EPOCH = 12,
	OFF_ECHO = 28,
	OFF_SEQ = 44,
};

static void put_be(uint8_t *p, uint64_t v, unsigned int n)
{
	while (n--) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t get_be(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* The nonce of the frame whose header is @hdr: epoch || seq. */
static void frame_nonce(uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN],
			const uint8_t *hdr)
{
	memcpy(nonce, hdr + OFF_EPOCH, SYNC_FRAME_EPOCH_LEN);
	memcpy(nonce + SYNC_FRAME_EPOCH_LEN, hdr + OFF_SEQ, 8);
}

int sync_frame_seal(void *out, size_t cap, const struct sync_frame_key *key,
		    uint8_t flags, const uint8_t epoch[SYNC_FRAME_EPOCH_LEN],
		    const uint8_t echo[SYNC_FRAME_EPOCH_LEN], uint64_t seq,
		    const void *payload, size_t len)
{
	uint8_t *f = out, *body = f + SYNC_FRAME_HDR_LEN, *tag;
	uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN];
	size_t total;

	if (flags & ~SYNC_FRAME_F_ALL)
		return -EINVAL;
	if (len > SYNC_FRAME_PAYLOAD_MAX || cap < len + SYNC_FRAME_OVERHEAD)
		return -EMSGSIZE;
	total = len + SYNC_FRAME_OVERHEAD;
	tag = body + len;
	if (len && payload != body)
		memmove(body, payload, len);
	memcpy(f, SYNC_FRAME_MAGIC, 4);
	f[OFF_VERSION] = SYNC_FRAME_VERSION;
	f[OFF_FLAGS] = flags;
	f[OFF_KEY_ID] = key->id;
	f[OFF_RSVD1] = 0;
	put_be(f + OFF_LEN, total, 2);
	put_be(f + OFF_RSVD2, 0, 2);
	memcpy(f + OFF_EPOCH, epoch, SYNC_FRAME_EPOCH_LEN);
	memcpy(f + OFF_ECHO, echo, SYNC_FRAME_EPOCH_LEN);
	put_be(f + OFF_SEQ, seq, 8);
	frame_nonce(nonce, f);
	/* cannot fail: the length is far below SYNC_AEAD_MAX */
	if (flags & SYNC_FRAME_F_ENCRYPTED)
		sync_aead_xseal(body, tag, body, len, f, SYNC_FRAME_HDR_LEN,
				nonce, key->key);
	else
		sync_aead_xseal(NULL, tag, NULL, 0, f, SYNC_FRAME_HDR_LEN + len,
				nonce, key->key);
	return (int)total;
}

/* -EPROTO if @len bytes of @p are not (a prefix of) the magic. */
static int magic_check(const uint8_t *p, size_t len)
{
	return memcmp(p, SYNC_FRAME_MAGIC, len < 4 ? len : 4) ? -EPROTO : 0;
}

int sync_frame_peek(const void *buf, size_t len, struct sync_frame_hdr *h)
{
	const uint8_t *p = buf;
	uint16_t total;

	memset(h, 0, sizeof(*h));
	if (len && magic_check(p, len))
		return -EPROTO;
	if (len < OFF_EPOCH)
		return -EBADMSG;
	h->version = p[OFF_VERSION];
	h->flags = p[OFF_FLAGS];
	h->key_id = p[OFF_KEY_ID];
	if (h->version != SYNC_FRAME_VERSION ||
	    (h->flags & ~SYNC_FRAME_F_ALL) || p[OFF_RSVD1] ||
	    get_be(p + OFF_RSVD2, 2))
		return -EBADMSG;
	total = (uint16_t)get_be(p + OFF_LEN, 2);
	if (total < SYNC_FRAME_OVERHEAD)
		return -EBADMSG;
	h->len = total;
	if (len < total)
		return -EBADMSG;
	h->payload_len = total - SYNC_FRAME_OVERHEAD;
	memcpy(h->epoch, p + OFF_EPOCH, SYNC_FRAME_EPOCH_LEN);
	memcpy(h->echo, p + OFF_ECHO, SYNC_FRAME_EPOCH_LEN);
	h->seq = get_be(p + OFF_SEQ, 8);
	return 0;
}

static int same_hdr(const struct sync_frame_hdr *a,
		    const struct sync_frame_hdr *b)
{
	return a->version == b->version && a->flags == b->flags &&
	       a->key_id == b->key_id && a->len == b->len &&
	       a->payload_len == b->payload_len && a->seq == b->seq &&
	       !memcmp(a->epoch, b->epoch, SYNC_FRAME_EPOCH_LEN) &&
	       !memcmp(a->echo, b->echo, SYNC_FRAME_EPOCH_LEN);
}

int sync_frame_open(const void *buf, size_t len,
		    const struct sync_frame_key *key,
		    const struct sync_frame_hdr *h, void *out, size_t *out_len)
{
	const uint8_t *f = buf, *body = f + SYNC_FRAME_HDR_LEN, *tag;
	uint8_t nonce[SYNC_CRYPTO_XNONCE_LEN];
	struct sync_frame_hdr own;
	size_t plen;
	int rc;

	if (sync_frame_peek(buf, len, &own))
		return -EBADMSG;
	if (!same_hdr(&own, h) || key->id != own.key_id)
		return -EINVAL;
	plen = own.payload_len;
	if (*out_len < plen)
		return -EMSGSIZE;
	tag = body + plen;
	frame_nonce(nonce, f);
	if (own.flags & SYNC_FRAME_F_ENCRYPTED) {
		rc = sync_aead_xopen(out, body, plen, tag, f,
				     SYNC_FRAME_HDR_LEN, nonce, key->key);
	} else {
		rc = sync_aead_xopen(NULL, NULL, 0, tag, f,
				     SYNC_FRAME_HDR_LEN + plen, nonce,
				     key->key);
		if (plen && rc)
			memset(out, 0, plen);
		else if (plen)
			memcpy(out, body, plen);
	}
	if (rc)
		return -EBADMSG;
	*out_len = plen;
	return 0;
}

int sync_frame_epoch_new(uint8_t epoch[SYNC_FRAME_EPOCH_LEN])
{
	uint8_t rnd[16];
	struct timespec ts;
	uint64_t us;
	int rc;

	if (clock_gettime(CLOCK_REALTIME, &ts))
		return -errno;
	rc = sync_hash_seed(rnd);
	if (rc)
		return rc;
	us = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	put_be(epoch, us, 8);
	memcpy(epoch + 8, rnd, 8);
	sync_crypto_wipe(rnd, sizeof(rnd));
	return 0;
}

int sync_frame_epoch_cmp(const uint8_t a[SYNC_FRAME_EPOCH_LEN],
			 const uint8_t b[SYNC_FRAME_EPOCH_LEN])
{
	return memcmp(a, b, SYNC_FRAME_EPOCH_LEN);
}
