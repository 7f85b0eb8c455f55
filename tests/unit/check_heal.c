// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the heal after lost messages (sync/heal.c) in NOTRACK
 * and ALARM, without sockets, on the rig of tests/unit/sub_rig.h: a gap
 * or (ALARM) the first message heard asks for a resync with a token, the
 * ACK carrying it completes the heal, a loss before it asks again, and a
 * peer's request gets the whole internal cache then the ACK. ALARM's
 * control messages take no sequence number: they carry the next data
 * message's (upstream's ALARM receiver does not track them). ALARM rows
 * start at sequence 0, so offsets and numbers are the same.
 */
#include <check.h>

#include "tests/unit/sub_rig.h"
#include "tests/unit/suites.h"

#define RESYNC	SYNC_F_RESYNC
#define ACKED	SYNC_F_ACK

static const char ASK_LOST[] = "messages from the other node were lost, "
			       "asking for a resync";
static const char ASK_AGAIN[] = "messages from the other node were lost "
				"during the resync, asking again";

struct heal_row {
	struct row row;
	const struct sync_sub *sub;
};

static const struct heal_row rows[] = {
	{ { "ALARM: the first message heard asks; control takes no seq", 0,
	  0, 0, {
		PDATA(500, 0), RESYNCING(1),
		LOGGED("first message from the other node, asking for a "
		       "resync"),
		RUN, OCTL(RESYNC, 0, 1, 1), NOMORE, FLOWS(1), RUN,
		ODATA(0, 0, 0), NOMORE, PTOK(501, ACKED, 1), RESYNCING(0),
		LOGGED("resync from the other node complete, 0 stale "
		       "entries dropped"),
		PDATA(501, 0), SEQS(0, 0) } }, &sync_sub_alarm },
	{ { "ALARM: a gap asks; a loss before the answer asks again", 0, 0,
	  0, {
		PDATA(500, 0), RUN, OCTL(RESYNC, 0, 1, 1),
		PTOK(501, ACKED, 1), RESYNCING(0), NOTLOGGED(ASK_LOST),
		PDATA(505, 0), SEQS(4, 0), LOGGED(ASK_LOST), RESYNCING(1),
		RUN, OCTL(RESYNC, 0, 2, 2),
		/* 506 and 507 lost before the ACK: counted once */
		PTOK(508, ACKED, 2), SEQS(6, 0), LOGGED(ASK_AGAIN), RUN,
		OCTL(RESYNC, 0, 3, 3), PDATA(508, 0), SEQS(6, 0),
		PTOK(509, ACKED, 3), RESYNCING(0), NOMORE } },
	  &sync_sub_alarm },
	{ { "ALARM: a peer's request: the cache, then the ACK", 0, 0, 0, {
		FLOWS(2), RUN, SOME(0x3), PTOK(500, RESYNC, 9),
		LOGGED("resync requested by other node"), RESYNCING(0), RUN,
		SOME(0x3), OCTL(ACKED, 4, 9, 9), NOMORE, FLOWS(1), RUN,
		ODATA(2, 0, 4), NOMORE } }, &sync_sub_alarm },
	{ { "ALARM: other control messages are ignored", 0, 0, 0, {
		PDATA(500, 0), RUN, OCTL(RESYNC, 0, 1, 1),
		PTOK(501, ACKED, 7), RESYNCING(1),
		PCTL(501, SYNC_F_ALIVE, 0, 0), PCTL(501, SYNC_F_NACK, 0, 0),
		RUN, NOMORE, SEQS(0, 0) } }, &sync_sub_alarm },
	{ { "NOTRACK: a gap asks; the ACK with the token heals", 1000, 0, 0, {
		PDATA(500, 0), PDATA(503, 0), SEQS(2, 0), LOGGED(ASK_LOST),
		RESYNCING(1), RUN, OCTL(RESYNC, 0, 1, 1),
		PTOK(504, ACKED, 1), RESYNCING(0),
		LOGGED("resync from the other node complete, 0 stale "
		       "entries dropped"),
		FLOWS(1), RUN, ODATA(0, 0, 1), NOMORE } }, &sync_sub_notrack },
	{ { "NOTRACK: a peer's request: the cache, then the ACK", 1000, 0,
	  0, {
		FLOWS(2), RUN, SOME(0x3), PTOK(500, RESYNC, 9), RUN,
		SOME(0x3), OCTL(ACKED, 4, 9, 9), FLOWS(1), RUN,
		ODATA(2, 0, 5), NOMORE } }, &sync_sub_notrack },
};

START_TEST(heal_rows)
{
	sub_rig_run(&rows[_i].row, rows[_i].sub);
}
END_TEST

Suite *heal_suite(void)
{
	Suite *s = suite_create("heal");
	TCase *tc = tcase_create("heal");

	tcase_add_loop_test(tc, heal_rows, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	suite_add_tcase(s, tc);
	return s;
}
