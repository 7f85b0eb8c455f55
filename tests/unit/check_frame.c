// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of sync/frame.h: the frame's bytes as the layout says (and
 * its tag the XChaCha20-Poly1305 of the header and payload under the
 * epoch || seq nonce, computed here from sync/crypto.h directly), seal and
 * open round trips with and without encryption and with the payload built
 * in place, a failing row per header rule of sync_frame_peek(), every
 * flipped bit of a frame refused by sync_frame_open() with a zeroed
 * output and an untouched receive buffer, the open errors, the epoch.
 * The replay window is tests/unit/check_replay.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "sync/crypto.h"
#include "sync/frame.h"
#include "tests/unit/suites.h"

static const struct sync_frame_key key7 = {
	.id = 7,
	.key = { 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
		 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93,
		 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d,
		 0x9e, 0x9f },
};
static const uint8_t epoch[16] = { 0, 0x06, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e,
	0x6f, 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t echo[16] = { 0, 0x06, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e,
	0x70, 9, 9, 9, 9, 9, 9, 9, 9 };

#define SEQ 0x0102030405060708ULL

static uint8_t frame[SYNC_FRAME_MAX + 64];

static void payload_fill(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 31 + 5);
}

static int seal(uint8_t flags, const void *payload, size_t len)
{
	return sync_frame_seal(frame, sizeof(frame), &key7, flags, epoch, echo,
			       SEQ, payload, len);
}

/* The bytes of the header and the tag, checked against the layout. */
START_TEST(layout)
{
	static const uint8_t head[12] = { 'C', 'T', 'D', 'S', 1, 0, 7, 0,
					  0, 68 + 10, 0, 0 };
	uint8_t payload[10], tag[16], nonce[24];
	int flags = _i;

	payload_fill(payload, sizeof(payload));
	ck_assert_int_eq(seal((uint8_t)flags, payload, 10), 78);
	ck_assert_uint_eq(frame[5], flags);
	frame[5] = 0;
	ck_assert(!memcmp(frame, head, 12));
	frame[5] = (uint8_t)flags;
	ck_assert(!memcmp(frame + 12, epoch, 16));
	ck_assert(!memcmp(frame + 28, echo, 16));
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(frame[44 + i], i + 1);
	memcpy(nonce, epoch, 16);
	memcpy(nonce + 16, frame + 44, 8);
	if (flags) {
		uint8_t ct[10];

		sync_aead_xseal(ct, tag, payload, 10, frame, 52, nonce,
				key7.key);
		ck_assert(!memcmp(frame + 52, ct, 10));
		ck_assert(memcmp(frame + 52, payload, 10));
	} else {
		sync_aead_xseal(NULL, tag, NULL, 0, frame, 62, nonce, key7.key);
		ck_assert(!memcmp(frame + 52, payload, 10));
	}
	ck_assert(!memcmp(frame + 62, tag, 16));
}
END_TEST

static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 1400,
				SYNC_FRAME_PAYLOAD_MAX };

/* Round trip, flags = _i % 2, size sizes[_i / 2], separate payload. */
START_TEST(round_trip)
{
	static uint8_t payload[SYNC_FRAME_PAYLOAD_MAX], out[SYNC_FRAME_MAX];
	size_t len = sizes[_i / 2], out_len = sizeof(out);
	uint8_t flags = (uint8_t)(_i % 2);
	struct sync_frame_hdr h;
	int n;

	payload_fill(payload, len);
	n = seal(flags, payload, len);
	ck_assert_int_eq(n, (int)len + 68);
	ck_assert_int_eq(sync_frame_peek(frame, (size_t)n, &h), 0);
	ck_assert_uint_eq(h.len, (size_t)n);
	ck_assert_uint_eq(h.payload_len, len);
	ck_assert_uint_eq(h.flags, flags);
	ck_assert_uint_eq(h.key_id, 7);
	ck_assert(h.seq == SEQ);
	ck_assert(!memcmp(h.epoch, epoch, 16) && !memcmp(h.echo, echo, 16));
	ck_assert_int_eq(sync_frame_open(frame, (size_t)n, &key7, &h, out,
					 &out_len), 0);
	ck_assert_uint_eq(out_len, len);
	ck_assert(!memcmp(out, payload, len));
}
END_TEST

/* Messages built at frame + 52 seal to the same bytes. */
START_TEST(in_place)
{
	static uint8_t payload[1400], copy[1400 + 68];
	uint8_t flags = (uint8_t)_i;

	payload_fill(payload, sizeof(payload));
	ck_assert_int_eq(seal(flags, payload, sizeof(payload)), 1468);
	memcpy(copy, frame, sizeof(copy));
	memset(frame, 0xee, sizeof(copy));
	payload_fill(frame + 52, sizeof(payload));
	ck_assert_int_eq(seal(flags, frame + 52, sizeof(payload)), 1468);
	ck_assert(!memcmp(frame, copy, sizeof(copy)));
}
END_TEST

START_TEST(seal_errors)
{
	uint8_t small[100], payload[33] = { 0 };

	ck_assert_int_eq(sync_frame_seal(small, 100, &key7, 0, epoch, echo, 1,
					 payload, 33), -EMSGSIZE);
	ck_assert_int_eq(sync_frame_seal(small, 100, &key7, 0, epoch, echo, 1,
					 payload, 32), 100);
	ck_assert_int_eq(sync_frame_seal(frame, sizeof(frame), &key7, 0,
					 epoch, echo, 1, frame + 52,
					 SYNC_FRAME_PAYLOAD_MAX + 1),
			 -EMSGSIZE);
	ck_assert_int_eq(sync_frame_seal(small, 100, &key7, 0x02, epoch, echo,
					 1, payload, 1), -EINVAL);
	ck_assert_int_eq(sync_frame_seal(small, 100, &key7, 0x80, epoch, echo,
					 1, payload, 1), -EINVAL);
}
END_TEST

/* One row per rule of sync_frame_peek(): a change to a good frame of 78
 * bytes (10 of payload), the length given, the result and h.len. */
static const struct {
	const char *what;
	size_t off;
	uint8_t val;			/* written at off (if off < 78) */
	size_t len;			/* bytes handed to peek */
	int rc;
	uint16_t hlen;
} peek_rows[] = {
	{ "good", 99, 0, 78, 0, 78 },
	{ "good, next frame after it", 99, 0, 90, 0, 78 },
	{ "bad magic", 0, 'c', 78, -EPROTO, 0 },
	{ "bad magic, last byte", 3, 'Z', 78, -EPROTO, 0 },
	{ "bad magic in a short buffer", 1, 'X', 2, -EPROTO, 0 },
	{ "empty", 99, 0, 0, -EBADMSG, 0 },
	{ "magic only", 99, 0, 4, -EBADMSG, 0 },
	{ "no length yet", 99, 0, 11, -EBADMSG, 0 },
	{ "version 0", 4, 0, 78, -EBADMSG, 0 },
	{ "version 2", 4, 2, 78, -EBADMSG, 0 },
	{ "unknown flag", 5, 0x02, 78, -EBADMSG, 0 },
	{ "reserved byte 7", 7, 1, 78, -EBADMSG, 0 },
	{ "reserved byte 10", 10, 0x80, 78, -EBADMSG, 0 },
	{ "reserved byte 11", 11, 1, 78, -EBADMSG, 0 },
	{ "length below the overhead", 9, 67, 78, -EBADMSG, 0 },
	{ "length 0", 9, 0, 78, -EBADMSG, 0 },
	{ "length past the buffer", 9, 79, 78, -EBADMSG, 79 },
	{ "header only", 99, 0, 52, -EBADMSG, 78 },
	{ "one byte short", 99, 0, 77, -EBADMSG, 78 },
	{ "exactly the overhead", 9, 68, 78, 0, 68 },
};

START_TEST(peek_rule)
{
	struct sync_frame_hdr h;
	uint8_t payload[10] = { 0 };

	ck_assert_int_eq(seal(1, payload, 10), 78);
	if (peek_rows[_i].off < 78)
		frame[peek_rows[_i].off] = peek_rows[_i].val;
	ck_assert_msg(sync_frame_peek(frame, peek_rows[_i].len, &h) ==
		      peek_rows[_i].rc, "%s", peek_rows[_i].what);
	ck_assert_msg(h.len == peek_rows[_i].hlen, "%s: len %u",
		      peek_rows[_i].what, h.len);
	if (!peek_rows[_i].rc)
		ck_assert_uint_eq(h.payload_len, h.len - 68u);
}
END_TEST

static int all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Every bit of a frame flipped: refused (by peek or open), nothing but
 * zeros in the output, the receive buffer as it was. */
START_TEST(open_bit_flips)
{
	uint8_t payload[40], out[64], copy[108];
	uint8_t flags = (uint8_t)_i;

	payload_fill(payload, sizeof(payload));
	ck_assert_int_eq(seal(flags, payload, 40), 108);
	for (size_t bit = 0; bit < 108 * 8; bit++) {
		struct sync_frame_hdr h;
		size_t out_len = sizeof(out);
		int rc;

		frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		memcpy(copy, frame, sizeof(copy));
		memset(out, 0xaa, sizeof(out));
		rc = sync_frame_peek(frame, 108, &h);
		if (!rc)	/* key 7 is the only one there is */
			rc = h.key_id != 7 ? -ENOKEY :
			     sync_frame_open(frame, 108, &key7, &h, out,
					     &out_len);
		ck_assert_msg(rc < 0, "bit %zu opened", bit);
		ck_assert_msg(out[0] == 0xaa || all_zero(out, h.payload_len),
			      "bit %zu: output kept", bit);
		ck_assert_uint_eq(out_len, sizeof(out));
		ck_assert(!memcmp(copy, frame, sizeof(copy)));
		frame[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
}
END_TEST

START_TEST(open_errors)
{
	struct sync_frame_key other = key7, wrong_id = key7;
	uint8_t payload[40], out[64];
	struct sync_frame_hdr h, h2;
	size_t out_len;

	payload_fill(payload, sizeof(payload));
	ck_assert_int_eq(seal(1, payload, 40), 108);
	ck_assert_int_eq(sync_frame_peek(frame, 108, &h), 0);
	other.key[31] ^= 1;
	out_len = sizeof(out);
	memset(out, 0xaa, sizeof(out));
	ck_assert_int_eq(sync_frame_open(frame, 108, &other, &h, out,
					 &out_len), -EBADMSG);
	ck_assert(all_zero(out, 40) && out[40] == 0xaa);
	wrong_id.id = 8;
	ck_assert_int_eq(sync_frame_open(frame, 108, &wrong_id, &h, out,
					 &out_len), -EINVAL);
	h2 = h;
	h2.seq++;
	ck_assert_int_eq(sync_frame_open(frame, 108, &key7, &h2, out,
					 &out_len), -EINVAL);
	out_len = 39;
	ck_assert_int_eq(sync_frame_open(frame, 108, &key7, &h, out,
					 &out_len), -EMSGSIZE);
	ck_assert_int_eq(sync_frame_open(frame, 107, &key7, &h, out,
					 &out_len), -EBADMSG);
	out_len = 40;
	ck_assert_int_eq(sync_frame_open(frame, 108, &key7, &h, out,
					 &out_len), 0);
	ck_assert(!memcmp(out, payload, 40));
}
END_TEST

START_TEST(epoch_new)
{
	uint8_t a[16], b[16];
	struct timespec ts;
	uint64_t us = 0, now;

	ck_assert_int_eq(sync_frame_epoch_new(a), 0);
	ck_assert_int_eq(sync_frame_epoch_new(b), 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	for (int i = 0; i < 8; i++)
		us = us << 8 | a[i];
	ck_assert(us <= now && now - us < 5000000);
	ck_assert(memcmp(a + 8, b + 8, 8));
	ck_assert_int_lt(sync_frame_epoch_cmp(a, b), 0);
	ck_assert_int_gt(sync_frame_epoch_cmp(b, a), 0);
	ck_assert_int_eq(sync_frame_epoch_cmp(a, a), 0);
}
END_TEST

Suite *frame_suite(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("frame");

	tcase_add_loop_test(tc, layout, 0, 2);
	tcase_add_loop_test(tc, round_trip, 0,
			    (int)(2 * sizeof(sizes) / sizeof(sizes[0])));
	tcase_add_loop_test(tc, in_place, 0, 2);
	tcase_add_test(tc, seal_errors);
	tcase_add_loop_test(tc, peek_rule, 0,
			    (int)(sizeof(peek_rows) / sizeof(peek_rows[0])));
	tcase_add_loop_test(tc, open_bit_flips, 0, 2);
	tcase_add_test(tc, open_errors);
	tcase_add_test(tc, epoch_new);
	suite_add_tcase(s, tc);
	return s;
}
