// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the authenticated sync frame (sync/frame.h) and its
 * replay window. The first input byte selects the mode (its top two bits)
 * and a key (its low two: one of four fixed keys, ids 0, 1, 7 and 255):
 *
 *  00, 01  the rest is a received frame: sync_frame_peek() then, when it
 *          parses, sync_frame_open() under the selected key, into a buffer
 *          of exactly the payload's size (both buffers heap blocks of
 *          their exact size, so ASan sees any read past them). Properties:
 *          peek's result is 0, -EPROTO exactly when the magic is not there,
 *          or -EBADMSG (with h.len either 0 or more than was received); a
 *          parsed header is inside the input; open gives -EINVAL for
 *          another key id, else 0 or -EBADMSG with zeros in the output; the
 *          input is never written; and if a frame opens (a seed sealed with
 *          these keys), sealing its payload again with its header's fields
 *          gives the same bytes.
 *  10, 11  seal and mutate: byte 1 is a count of changes (mod 8), then
 *          three bytes per change (position, XOR value), 8 bytes of seq,
 *          the rest the payload, sealed under the selected key, in clear
 *          (10) or encrypted (11). The changes are applied to the sealed
 *          frame; a frame that differs from what was sealed must not
 *          open (under whatever key its id names), one that does not must
 *          open to the same payload.
 *  01xxxxx1 (mode 01 with bit 0 set is the replay window instead): the
 *          rest is operations of 3 bytes (epoch 0-3 and check or commit;
 *          a signed 16-bit distance from the highest seq), each verdict
 *          compared with a model that remembers every committed seq.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static const uint8_t key_ids[4] = { 0, 1, 7, 255 };

static void key_of(int i, struct sync_frame_key *k)
{
	k->id = key_ids[i];
	for (int j = 0; j < SYNC_FRAME_KEY_LEN; j++)
		k->key[j] = (uint8_t)(i * 37 + j * 11 + 1);
}

/* The harness's key of @id, 0 if it has one. */
static int key_by_id(uint8_t id, struct sync_frame_key *k)
{
	for (int i = 0; i < 4; i++)
		if (key_ids[i] == id) {
			key_of(i, k);
			return 0;
		}
	return -1;
}

static int all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Peek and open @len bytes at @buf under @k (NULL: look the key up by
 * the frame's id). Returns open's or peek's result; on success the
 * payload is in *@out (malloc'd), its length in *@out_len. */
static int peek_open(const uint8_t *buf, size_t len,
		     const struct sync_frame_key *k, struct sync_frame_hdr *h,
		     uint8_t **out, size_t *out_len)
{
	struct sync_frame_key found;
	size_t cap;
	int rc = sync_frame_peek(buf, len, h);

	*out = NULL;
	if (rc == -EPROTO) {
		CHECK(len && memcmp(buf, SYNC_FRAME_MAGIC, len < 4 ? len : 4));
		return rc;
	}
	CHECK(!len || !memcmp(buf, SYNC_FRAME_MAGIC, len < 4 ? len : 4));
	if (rc) {
		CHECK(rc == -EBADMSG && (h->len == 0 || h->len > len));
		return rc;
	}
	CHECK(h->len >= SYNC_FRAME_OVERHEAD && h->len <= len);
	CHECK(h->payload_len == h->len - (size_t)SYNC_FRAME_OVERHEAD);
	if (!k) {
		if (key_by_id(h->key_id, &found))
			return -ENOKEY;
		k = &found;
	}
	cap = h->payload_len;
	*out = malloc(cap ? cap : 1);
	CHECK(*out);
	memset(*out, 0xa5, cap);
	*out_len = cap;
	rc = sync_frame_open(buf, len, k, h, *out, out_len);
	if (k->id != h->key_id) {
		CHECK(rc == -EINVAL && *out_len == cap);
	} else if (rc) {
		CHECK(rc == -EBADMSG && *out_len == cap);
		CHECK(all_zero(*out, cap));
	} else {
		CHECK(*out_len == cap);
	}
	return rc;
}

static void received(const uint8_t *data, size_t size, int ki)
{
	struct sync_frame_key k;
	struct sync_frame_hdr h;
	uint8_t *buf = malloc(size ? size : 1), *out, *again;
	size_t out_len;

	CHECK(buf);
	memcpy(buf, data, size);
	key_of(ki, &k);
	if (!peek_open(buf, size, &k, &h, &out, &out_len)) {
		/* a genuine frame: sealing it again gives its bytes */
		again = malloc(h.len);
		CHECK(again);
		CHECK(sync_frame_seal(again, h.len, &k, h.flags, h.epoch,
				      h.echo, h.seq, out, out_len) == h.len);
		CHECK(!memcmp(again, buf, h.len));
		free(again);
	}
	CHECK(!memcmp(buf, data, size));
	free(out);
	free(buf);
}

static void seal_mutate(const uint8_t *data, size_t size, int ki,
			uint8_t flags)
{
	static const uint8_t epoch[16] = { 0, 6, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t echo[16] = { 0, 6, 1, 2, 3, 4, 5, 7 };
	size_t nmut = size ? data[0] % 8 : 0, pos = 1, len, total;
	const uint8_t *mut;
	struct sync_frame_key k;
	struct sync_frame_hdr h;
	uint8_t *frame, *orig, *out;
	uint64_t seq = 0;
	size_t out_len;
	int rc;

	if (size < 1 + 3 * nmut)
		return;
	mut = data + 1;
	pos += 3 * nmut;
	for (int i = 0; i < 8 && pos < size; i++)
		seq = seq << 8 | data[pos++];
	len = size - pos;
	if (len > SYNC_FRAME_PAYLOAD_MAX)
		len = SYNC_FRAME_PAYLOAD_MAX;
	total = len + SYNC_FRAME_OVERHEAD;
	frame = malloc(total);
	orig = malloc(total);
	CHECK(frame && orig);
	key_of(ki, &k);
	CHECK(sync_frame_seal(frame, total, &k, flags, epoch, echo, seq,
			      data + pos, len) == (int)total);
	memcpy(orig, frame, total);
	for (size_t i = 0; i < nmut; i++)
		frame[(mut[3 * i] << 8 | mut[3 * i + 1]) % total] ^=
			mut[3 * i + 2];
	rc = peek_open(frame, total, NULL, &h, &out, &out_len);
	if (memcmp(frame, orig, total)) {
		CHECK(rc != 0);
	} else {
		CHECK(rc == 0 && out_len == len);
		CHECK(!memcmp(out, data + pos, len));
	}
	free(out);
	free(orig);
	free(frame);
}

/* ---- the replay window against a model ------------------------------ */

#define MODEL_MAX 8192

struct model {
	int epoch;			/* -1: none */
	uint64_t top, seen[MODEL_MAX];
	size_t n;
};

static enum sync_replay_verdict model_check(const struct model *m, int e,
					    uint64_t seq)
{
	if (m->epoch < 0 || e > m->epoch)
		return SYNC_REPLAY_NEW_EPOCH;
	if (e < m->epoch)
		return SYNC_REPLAY_STALE_EPOCH;
	if (seq > m->top)
		return SYNC_REPLAY_OK;
	if (m->top - seq >= SYNC_REPLAY_WINDOW)
		return SYNC_REPLAY_TOO_OLD;
	for (size_t i = 0; i < m->n; i++)
		if (m->seen[i] == seq)
			return SYNC_REPLAY_REPLAYED;
	return SYNC_REPLAY_OK;
}

static void replay_ops(const uint8_t *data, size_t size)
{
	static struct model m;
	struct sync_replay r;
	uint8_t epochs[4][16] = { { 0 } };

	/* epoch i < epoch i + 1; 3 is 2 with a greater random part */
	for (int i = 0; i < 3; i++)
		epochs[i][7] = (uint8_t)(i + 1);
	epochs[3][7] = 3;
	epochs[3][15] = 1;
	m.epoch = -1;
	m.n = 0;
	m.top = 0;
	sync_replay_init(&r);
	for (size_t off = 0; off + 3 <= size && m.n < MODEL_MAX; off += 3) {
		int e = data[off] & 3, commit = data[off] >> 2 & 1;
		int16_t d = (int16_t)(uint16_t)(data[off + 1] << 8 |
						data[off + 2]);
		uint64_t seq = m.top + (uint64_t)(int64_t)d;
		enum sync_replay_verdict want = model_check(&m, e, seq), got;

		got = commit ? sync_replay_commit(&r, epochs[e], seq) :
		      sync_replay_check(&r, epochs[e], seq);
		CHECK(got == want);
		if (!commit || (want != SYNC_REPLAY_OK &&
				want != SYNC_REPLAY_NEW_EPOCH))
			continue;
		if (want == SYNC_REPLAY_NEW_EPOCH) {
			m.epoch = e;
			m.n = 0;
			m.top = seq;
		}
		if (seq > m.top)
			m.top = seq;
		m.seen[m.n++] = seq;
		CHECK(!memcmp(sync_replay_epoch(&r), epochs[e], 16));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] >> 6) {
	case 0:
		received(data + 1, size - 1, data[0] & 3);
		break;
	case 1:
		if (data[0] & 1)
			replay_ops(data + 1, size - 1);
		else
			received(data + 1, size - 1, data[0] >> 1 & 3);
		break;
	default:
		seal_mutate(data + 1, size - 1, data[0] & 3, data[0] >> 6 & 1);
		break;
	}
	return 0;
}
