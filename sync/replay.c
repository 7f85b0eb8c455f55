// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-peer replay window of the authenticated sync frame
 * (sync/frame.h): the peer's epoch and a sliding window of 1024 sequence
 * numbers below the highest seen, as IPsec's anti-replay (RFC 4303
 * 3.4.3) kept in a ring of 64-bit words as RFC 6479 does: seq s is bit
 * s mod 64 of word (s / 64) mod SYNC_REPLAY_WORDS; when the top moves up,
 * the words it enters are cleared whole, no bitmap is shifted. The ring
 * has one word more than the window needs so that clearing a whole word
 * never forgets a seq still inside the window.
 */
#include <string.h>

#include "sync/frame.h"

#define RING_BITS ((uint64_t)SYNC_REPLAY_WORDS * 64)

static int seen(const struct sync_replay *r, uint64_t seq)
{
	uint64_t pos = seq % RING_BITS;

	return (int)(r->bits[pos / 64] >> (pos % 64) & 1);
}

static void mark(struct sync_replay *r, uint64_t seq)
{
	uint64_t pos = seq % RING_BITS;

	r->bits[pos / 64] |= (uint64_t)1 << (pos % 64);
}

void sync_replay_init(struct sync_replay *r)
{
	memset(r, 0, sizeof(*r));
}

enum sync_replay_verdict sync_replay_check(const struct sync_replay *r,
		const uint8_t epoch[SYNC_FRAME_EPOCH_LEN], uint64_t seq)
{
	int c;

	if (!r->has_epoch)
		return SYNC_REPLAY_NEW_EPOCH;
	c = sync_frame_epoch_cmp(epoch, r->epoch);
	if (c < 0)
		return SYNC_REPLAY_STALE_EPOCH;
	if (c > 0)
		return SYNC_REPLAY_NEW_EPOCH;
	if (seq > r->top)
		return SYNC_REPLAY_OK;
	if (r->top - seq >= SYNC_REPLAY_WINDOW)
		return SYNC_REPLAY_TOO_OLD;
	return seen(r, seq) ? SYNC_REPLAY_REPLAYED : SYNC_REPLAY_OK;
}

/* Moves the top up to @seq, clearing the words it enters. */
static void advance(struct sync_replay *r, uint64_t seq)
{
	uint64_t from = r->top / 64, to = seq / 64;
	uint64_t n = to - from < SYNC_REPLAY_WORDS ? to - from :
		     SYNC_REPLAY_WORDS;

	for (uint64_t i = 1; i <= n; i++)
		r->bits[(from + i) % SYNC_REPLAY_WORDS] = 0;
	r->top = seq;
}

enum sync_replay_verdict sync_replay_commit(struct sync_replay *r,
		const uint8_t epoch[SYNC_FRAME_EPOCH_LEN], uint64_t seq)
{
	enum sync_replay_verdict v = sync_replay_check(r, epoch, seq);

	switch (v) {
	case SYNC_REPLAY_NEW_EPOCH:
		memset(r->bits, 0, sizeof(r->bits));
		memcpy(r->epoch, epoch, SYNC_FRAME_EPOCH_LEN);
		r->has_epoch = 1;
		r->top = seq;
		break;
	case SYNC_REPLAY_OK:
		if (seq > r->top)
			advance(r, seq);
		break;
	default:
		return v;
	}
	mark(r, seq);
	return v;
}

const uint8_t *sync_replay_epoch(const struct sync_replay *r)
{
	return r->has_epoch ? r->epoch : NULL;
}
