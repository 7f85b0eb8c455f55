// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the replay window of sync/frame.h (sync/replay.c): a
 * table of check and commit steps through the epoch rules (first frame,
 * same epoch through the window, a newer epoch resets it, an older one is
 * stale) and the window's edges (1023 below the top is in, 1024 is too
 * old, big jumps, the largest seq); then a long random walk in which
 * every verdict of check and commit is compared with a plain model that
 * remembers every committed seq.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "sync/frame.h"
#include "tests/unit/suites.h"

enum { CHECK, COMMIT };

/* epochs by number: 1 < 2 < 3 < 4 (4 differs from 3 in the random part
 * only) */
static void epoch_of(int n, uint8_t e[16])
{
	memset(e, 0, 16);
	e[2] = (uint8_t)(n < 4 ? n : 3);
	e[15] = (uint8_t)(n == 4);
}

static const struct {
	int op, epoch;
	uint64_t seq;
	enum sync_replay_verdict want;
} steps[] = {
	{ CHECK, 2, 5, SYNC_REPLAY_NEW_EPOCH },		/* nothing yet */
	{ CHECK, 1, 5, SYNC_REPLAY_NEW_EPOCH },
	{ COMMIT, 2, 5, SYNC_REPLAY_NEW_EPOCH },
	{ CHECK, 2, 5, SYNC_REPLAY_REPLAYED },
	{ COMMIT, 2, 5, SYNC_REPLAY_REPLAYED },
	{ COMMIT, 2, 3, SYNC_REPLAY_OK },		/* below the first */
	{ COMMIT, 2, 3, SYNC_REPLAY_REPLAYED },
	{ COMMIT, 2, 6, SYNC_REPLAY_OK },
	{ CHECK, 2, 4, SYNC_REPLAY_OK },
	{ COMMIT, 2, 1030, SYNC_REPLAY_OK },		/* top 1030 */
	{ CHECK, 2, 7, SYNC_REPLAY_OK },		/* 1023 below */
	{ CHECK, 2, 6, SYNC_REPLAY_TOO_OLD },		/* 1024 below */
	{ CHECK, 2, 0, SYNC_REPLAY_TOO_OLD },
	{ COMMIT, 2, 6, SYNC_REPLAY_TOO_OLD },
	{ COMMIT, 2, 7, SYNC_REPLAY_OK },
	{ CHECK, 2, 7, SYNC_REPLAY_REPLAYED },
	{ CHECK, 2, 1030, SYNC_REPLAY_REPLAYED },
	{ CHECK, 1, 1031, SYNC_REPLAY_STALE_EPOCH },	/* older epoch */
	{ COMMIT, 1, 1031, SYNC_REPLAY_STALE_EPOCH },
	{ CHECK, 2, 1031, SYNC_REPLAY_OK },		/* not recorded */
	{ CHECK, 3, 0, SYNC_REPLAY_NEW_EPOCH },		/* peer restarted */
	{ CHECK, 2, 1031, SYNC_REPLAY_OK },		/* check changed nothing */
	{ COMMIT, 3, 0, SYNC_REPLAY_NEW_EPOCH },
	{ CHECK, 2, 1031, SYNC_REPLAY_STALE_EPOCH },
	{ CHECK, 3, 0, SYNC_REPLAY_REPLAYED },
	{ CHECK, 3, 7, SYNC_REPLAY_OK },		/* window emptied */
	{ COMMIT, 3, 100000, SYNC_REPLAY_OK },		/* a big jump */
	{ CHECK, 3, 7, SYNC_REPLAY_TOO_OLD },
	{ CHECK, 3, 100000 - 1023, SYNC_REPLAY_OK },
	{ COMMIT, 3, 100000 - 1023, SYNC_REPLAY_OK },
	{ CHECK, 3, 100000 - 1023, SYNC_REPLAY_REPLAYED },
	{ COMMIT, 3, 100000 + 64, SYNC_REPLAY_OK },	/* clears a word */
	{ CHECK, 3, 100000, SYNC_REPLAY_REPLAYED },
	{ CHECK, 3, 100000 - 1023, SYNC_REPLAY_TOO_OLD },
	{ COMMIT, 3, UINT64_MAX, SYNC_REPLAY_OK },
	{ CHECK, 3, UINT64_MAX, SYNC_REPLAY_REPLAYED },
	{ CHECK, 3, UINT64_MAX - 1023, SYNC_REPLAY_OK },
	{ CHECK, 3, UINT64_MAX - 1024, SYNC_REPLAY_TOO_OLD },
	{ COMMIT, 4, 1, SYNC_REPLAY_NEW_EPOCH },	/* random part */
	{ CHECK, 3, 2, SYNC_REPLAY_STALE_EPOCH },
	{ CHECK, 4, 1, SYNC_REPLAY_REPLAYED },
};

START_TEST(steps_in_order)
{
	struct sync_replay r;
	uint8_t e[16];

	sync_replay_init(&r);
	ck_assert_ptr_null(sync_replay_epoch(&r));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		enum sync_replay_verdict v;

		epoch_of(steps[i].epoch, e);
		v = steps[i].op == CHECK ?
		    sync_replay_check(&r, e, steps[i].seq) :
		    sync_replay_commit(&r, e, steps[i].seq);
		ck_assert_msg(v == steps[i].want, "step %zu: verdict %d, "
			      "want %d", i, v, steps[i].want);
	}
	epoch_of(4, e);
	ck_assert(!memcmp(sync_replay_epoch(&r), e, 16));
}
END_TEST

/* The model: every committed seq of the epoch, and the top. */
struct model {
	uint8_t *seen;
	size_t cap;
	uint64_t top;
	int any;
};

static enum sync_replay_verdict model_check(const struct model *m,
					    uint64_t seq)
{
	if (!m->any)
		return SYNC_REPLAY_NEW_EPOCH;
	if (seq > m->top)
		return SYNC_REPLAY_OK;
	if (m->top - seq >= SYNC_REPLAY_WINDOW)
		return SYNC_REPLAY_TOO_OLD;
	return m->seen[seq] ? SYNC_REPLAY_REPLAYED : SYNC_REPLAY_OK;
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

START_TEST(random_walk_against_model)
{
	struct model m = { .cap = 8u << 20 };
	struct sync_replay r;
	uint64_t rnd = 0x9e3779b97f4a7c15ULL, seq = 0;
	uint8_t e[16];

	m.seen = calloc(m.cap, 1);
	ck_assert_ptr_nonnull(m.seen);
	sync_replay_init(&r);
	epoch_of(2, e);
	for (int i = 0; i < 300000; i++) {
		uint64_t x = next_rand(&rnd);
		enum sync_replay_verdict want, got;

		/* mostly near the top, some far below, some jumps ahead */
		if (x % 64 == 0)
			seq = m.top + 1 + x / 64 % 3000;
		else if (x % 64 < 40)
			seq = m.top + x / 64 % 8;
		else
			seq = m.top - (x / 64 % 1100 < m.top ?
				       x / 64 % 1100 : m.top);
		ck_assert_uint_lt(seq, m.cap);
		want = model_check(&m, seq);
		got = (x >> 40) % 2 ? sync_replay_check(&r, e, seq) :
		      sync_replay_commit(&r, e, seq);
		ck_assert_msg(got == want, "op %d seq %llu top %llu: %d, "
			      "want %d", i, (unsigned long long)seq,
			      (unsigned long long)m.top, got, want);
		if ((x >> 40) % 2 == 0 && (want == SYNC_REPLAY_OK ||
					   want == SYNC_REPLAY_NEW_EPOCH)) {
			m.seen[seq] = 1;
			if (!m.any || seq > m.top)
				m.top = seq;
			m.any = 1;
		}
	}
	free(m.seen);
}
END_TEST

Suite *replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("replay");

	tcase_add_test(tc, steps_in_order);
	tcase_add_test(tc, random_walk_against_model);
	suite_add_tcase(s, tc);
	return s;
}
