// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/chan_stream, the TCP channel's byte streams without
 * sockets: the framing of sync messages by their header's length (a
 * failing row per rule), the reassembly of a stream cut at every byte,
 * and the backlog of whole messages (its bound, partial writes, a cut
 * message rewound to its start, room reused over a long run).
 */
#include <errno.h>
#include <string.h>

#include <check.h>

#include "sync/chan_int.h"
#include "tests/unit/fixture.h"
#include "tests/unit/suites.h"


/* ---- framing --------------------------------------------------------- */

struct len_case {
	const char *what;
	unsigned char buf[12];
	size_t len;
	int want;
};

static const struct len_case len_cases[] = {
	{ "empty", { 0 }, 0, 0 },
	{ "header cut", { 0x10, 0, 0, 8, 0, 0, 0 }, 7, 0 },
	{ "exactly a header", { 0x10, 0, 0, 8, 0, 0, 0, 1 }, 8, 8 },
	{ "longer than what is there", { 0x10, 0, 0, 12, 0, 0, 0, 1 }, 8, 0 },
	{ "followed by more", { 0x10, 0, 0, 8, 0, 0, 0, 1, 0x10 }, 9, 8 },
	{ "length 7", { 0x10, 0, 0, 7, 0, 0, 0, 1 }, 8, -EBADMSG },
	{ "length 0", { 0x10, 0, 0, 0, 0, 0, 0, 1 }, 8, -EBADMSG },
	/* 0x0100 = 256: big endian, not 1 */
	{ "big endian", { 0x10, 0, 1, 0, 0, 0, 0, 1 }, 8, 0 },
	{ "12 of 12", { 0x1a, 0x08, 0, 12, 0, 0, 0, 1, 9, 9, 9, 9 }, 12, 12 },
};

START_TEST(test_msg_len)
{
	const struct len_case *c = &len_cases[_i];

	ck_assert_msg(chan_msg_len(c->buf, c->len) == c->want, "%s: %d",
		      c->what, chan_msg_len(c->buf, c->len));
}
END_TEST

START_TEST(test_msg_whole)
{
	unsigned char b[64];

	fixture_sync_msg(b, 8, 1);
	fixture_sync_msg(b + 8, 20, 2);
	fixture_sync_msg(b + 28, 12, 3);
	ck_assert_int_eq(chan_msg_whole(b, 40), 40);
	ck_assert_int_eq(chan_msg_whole(b, 39), 28);
	ck_assert_int_eq(chan_msg_whole(b, 28), 28);
	ck_assert_int_eq(chan_msg_whole(b, 27), 8);
	ck_assert_int_eq(chan_msg_whole(b, 3), 0);
	ck_assert_uint_eq(chan_msg_count(b, 40), 3);
	b[28 + 3] = 4;		/* the third says 4 bytes */
	ck_assert_int_eq(chan_msg_whole(b, 40), -EBADMSG);
	ck_assert_int_eq(chan_msg_whole(b, 31), 28);	/* not seen yet */
}
END_TEST

/* ---- reassembly of a stream cut at every byte ------------------------ */

struct take {
	unsigned char got[4096];
	size_t len, calls;
};

static void take_cb(void *arg, const void *buf, size_t len)
{
	struct take *t = arg;

	/* each call hands over whole messages only */
	ck_assert_int_eq(chan_msg_whole(buf, len), (long)len);
	ck_assert_uint_le(t->len + len, sizeof(t->got));
	memcpy(t->got + t->len, buf, len);
	t->len += len;
	t->calls++;
}

/* The stream: messages of several sizes, the largest spanning reads. */
static size_t mk_stream(unsigned char *s)
{
	static const size_t sizes[] = { 8, 84, 16, 1000, 9, 8, 300 };
	size_t off = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fixture_sync_msg(s + off, sizes[i], (uint32_t)i);
		off += sizes[i];
	}
	return off;
}

/* Reads of @a bytes, then @b, then the rest, for every a and b from a
 * list of lengths around the header's and the messages' sizes: every
 * message arrives once, whole and in order. */
START_TEST(test_stream_cuts)
{
	static const size_t bs[] = { 0, 1, 2, 3, 4, 7, 8, 9, 83, 84, 85, 100,
				     999, 1000, 1001 };
	unsigned char s[2048], rx[CHAN_RX_MAX];
	size_t total = mk_stream(s);

	for (size_t a = 0; a <= total; a++) {
		for (size_t bi = 0; bi < sizeof(bs) / sizeof(bs[0]) &&
				    a + bs[bi] <= total; bi++) {
			size_t b = bs[bi], parts[3] = { a, b, total - a - b },
			       have = 0, off = 0;
			struct take t = { .len = 0 };

			for (int k = 0; k < 3; k++) {
				memcpy(rx + have, s + off, parts[k]);
				off += parts[k];
				ck_assert_int_ge(chan_stream_take(rx, &have,
					parts[k], take_cb, &t), 0);
			}
			ck_assert_uint_eq(have, 0);
			ck_assert_uint_eq(t.len, total);
			ck_assert_mem_eq(t.got, s, total);
		}
	}
}
END_TEST

/* One byte at a time: a call per completed message, the partial kept. */
START_TEST(test_stream_bytes)
{
	unsigned char s[2048], rx[CHAN_RX_MAX];
	size_t total = mk_stream(s), have = 0;
	struct take t = { .len = 0 };

	for (size_t i = 0; i < total; i++) {
		rx[have] = s[i];
		ck_assert_int_ge(chan_stream_take(rx, &have, 1, take_cb, &t), 0);
		ck_assert_uint_eq(t.len + have, i + 1);
	}
	ck_assert_uint_eq(t.calls, 7);
	ck_assert_mem_eq(t.got, s, total);
}
END_TEST

/* A header saying less than a header: nothing handed over, and the
 * stream is refused (the caller closes the connection). */
START_TEST(test_stream_bad)
{
	unsigned char rx[CHAN_RX_MAX];
	size_t have = 0;
	struct take t = { .len = 0 };

	fixture_sync_msg(rx, 16, 1);
	fixture_sync_msg(rx + 16, 8, 2);
	rx[16 + 3] = 2;
	ck_assert_int_eq(chan_stream_take(rx, &have, 24, take_cb, &t),
			 -EBADMSG);
	ck_assert_uint_eq(t.calls, 0);
	ck_assert_uint_eq(have, 0);
}
END_TEST

/* ---- the TCP backlog ------------------------------------------------- */

START_TEST(test_outq_bounds)
{
	struct chan_outq q;
	unsigned char m[1000], small[8], junk[8] = { 0x10, 0, 0, 9 };
	const void *d;

	chan_outq_init(&q, 3000);
	fixture_sync_msg(m, 1000, 1);
	ck_assert_int_eq(chan_outq_push(&q, m, 1000), 0);
	ck_assert_int_eq(chan_outq_push(&q, m, 1000), 0);
	ck_assert_int_eq(chan_outq_push(&q, m, 1000), 0);
	/* exactly full: a message more is refused, nothing appended */
	fixture_sync_msg(small, 8, 2);
	ck_assert_int_eq(chan_outq_push(&q, small, 8), -ENOBUFS);
	ck_assert_uint_eq(chan_outq_len(&q), 3000);
	/* not whole messages */
	ck_assert_int_eq(chan_outq_push(&q, junk, 8), -EINVAL);
	ck_assert_int_eq(chan_outq_push(&q, m, 999), -EINVAL);
	ck_assert_int_eq(chan_outq_push(&q, m, 0), 0);
	/* larger than the whole bound */
	chan_outq_free(&q);
	chan_outq_init(&q, 999);
	ck_assert_int_eq(chan_outq_push(&q, m, 1000), -ENOBUFS);
	ck_assert_uint_eq(chan_outq_peek(&q, &d), 0);
	chan_outq_free(&q);
}
END_TEST

/* Partial writes: what is consumed is gone once its message is whole;
 * a rewind goes back to the start of the cut message only. */
START_TEST(test_outq_partial)
{
	struct chan_outq q;
	unsigned char m[300], out[600];
	const void *d;
	size_t n;

	chan_outq_init(&q, 1 << 20);
	fixture_sync_msg(m, 100, 1);
	fixture_sync_msg(m + 100, 200, 2);
	ck_assert_int_eq(chan_outq_push(&q, m, 300), 0);
	ck_assert_uint_eq(chan_outq_peek(&q, &d), 300);
	chan_outq_consume(&q, 150);		/* msg 1 + half of msg 2 */
	ck_assert_uint_eq(chan_outq_peek(&q, &d), 150);
	ck_assert_uint_eq(chan_outq_len(&q), 200);
	chan_outq_rewind(&q);			/* connection broke */
	n = chan_outq_peek(&q, &d);
	ck_assert_uint_eq(n, 200);
	ck_assert_mem_eq(d, m + 100, 200);	/* msg 2 whole again */
	/* more after it, written in odd pieces, comes out in order */
	fixture_sync_msg(m, 100, 3);
	ck_assert_int_eq(chan_outq_push(&q, m, 100), 0);
	for (size_t got = 0; (n = chan_outq_peek(&q, &d)) > 0;) {
		size_t w = n > 33 ? 33 : n;

		memcpy(out + got, d, w);
		got += w;
		chan_outq_consume(&q, w);
	}
	ck_assert_uint_eq(fixture_sync_seq(out), 2);
	ck_assert_uint_eq(fixture_sync_seq(out + 200), 3);
	ck_assert_uint_eq(chan_outq_len(&q), 0);
	/* rewinding an empty backlog is harmless */
	chan_outq_rewind(&q);
	ck_assert_uint_eq(chan_outq_peek(&q, &d), 0);
	chan_outq_free(&q);
}
END_TEST

/* A long run of pushes and writes never grows past the bound, and the
 * room of written messages is reused. */
START_TEST(test_outq_cycle)
{
	struct chan_outq q;
	unsigned char m[1500];
	uint32_t next_out = 0, next_in = 0, refused = 0;
	const void *d;

	chan_outq_init(&q, 64 * 1024);
	for (int round = 0; round < 2000; round++) {
		size_t len = 8 + (size_t)(round * 131) % 1400, n;

		fixture_sync_msg(m, len, next_in);
		if (chan_outq_push(&q, m, len) == 0)
			next_in++;
		else
			refused++;
		ck_assert_uint_le(q.cap, 64 * 1024);
		n = chan_outq_peek(&q, &d);
		if (round % 97 == 0 && n > 0) {
			/* write what whole messages there are */
			long w = chan_msg_whole(d, n);
			const unsigned char *p = d;

			for (long off = 0; off < w;
			     off += chan_msg_len(p + off, (size_t)(w - off)))
				ck_assert_uint_eq(fixture_sync_seq(p + off), next_out++);
			chan_outq_consume(&q, (size_t)w);
		}
	}
	ck_assert_uint_gt(next_in, 100);
	ck_assert_uint_gt(refused, 0);
	ck_assert_uint_eq(next_out + chan_msg_count(q.buf + q.start,
			  chan_outq_len(&q)), next_in);
	chan_outq_free(&q);
}
END_TEST

Suite *chan_stream_suite(void)
{
	Suite *s = suite_create("chan_stream");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_msg_len, 0,
			    sizeof(len_cases) / sizeof(len_cases[0]));
	tcase_add_test(tc, test_msg_whole);
	tcase_add_test(tc, test_stream_cuts);
	tcase_add_test(tc, test_stream_bytes);
	tcase_add_test(tc, test_stream_bad);
	tcase_add_test(tc, test_outq_bounds);
	tcase_add_test(tc, test_outq_partial);
	tcase_add_test(tc, test_outq_cycle);
	suite_add_tcase(s, tc);
	return s;
}
