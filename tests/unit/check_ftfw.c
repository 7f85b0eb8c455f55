// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of FTFW (sync/ftfw.c) without sockets, on the rig of
 * tests/unit/sub_rig.h. One row (at least) per rule: sequence tracking
 * (in order, gap, duplicate, wrap-around), the acknowledgement window,
 * ACK and NACK on the sending side, the resend queue's overflow and what
 * heals it, HELLO.
 */
#include <check.h>

#include "tests/unit/sub_rig.h"
#include "tests/unit/suites.h"

static const char NACK_LOST[] = "NACK for messages no longer queued: resync";
static const char RSQ_FULL[] = "resend queue is full (ResendQueueSize 2): "
			       "states will be sent again when the peer "
			       "answers";
static const char RSQ_HEAL[] = "resend queue overflowed: sending the lost "
			       "states again";

static const struct row rows[] = {
	{ "in order: acknowledged when the window is full", 1000, 3, 0, {
		PDATA(100, 0), PDATA(101, 0), RUN, NOMORE, PDATA(102, 0),
		RUN, OCTL(ACK | HELLO, 0, 100, 102), NOMORE, SEQS(0, 0),
		RSQ(0, 0) } },
	{ "gap: ACK of what came, NACK of the gap", 1000, 10, 0, {
		PDATA(100, 0), PDATA(105, 0), RUN,
		OCTL(ACK | HELLO, 0, 100, 100), OCTL(NACK | HELLO, 1, 101, 104),
		NOMORE, SEQS(4, 0), PDATA(106, 0), RUN, NOMORE } },
	{ "duplicate and older messages are dropped", 1000, 10, 0, {
		PDATA(100, 0), PDATA(101, 0), PDROP(101), PDROP(99),
		PDROP(100), RUN, NOMORE, SEQS(0, 3), PDATA(102, 0), RUN,
		NOMORE } },
	{ "the peer's sequence wraps around", 1000, 4, 0, {
		PDATA(0xfffffffe, 0), PDATA(0xffffffff, 0), PDATA(0, 0),
		PDATA(1, 0), RUN, OCTL(ACK | HELLO, 0, 0xfffffffe, 1), NOMORE,
		SEQS(0, 0), PDROP(0xffffffff), SEQS(0, 1) } },
	{ "a gap across the wrap", 1000, 10, 0, {
		PDATA(0xfffffffe, 0), PDATA(2, 0), RUN,
		OCTL(ACK | HELLO, 0, 0xfffffffe, 0xfffffffe),
		OCTL(NACK | HELLO, 1, 0xffffffff, 1), NOMORE, SEQS(3, 0) } },
	{ "ALIVE and our marked ACKs are not acknowledged", 1000, 1, 0, {
		PCTL(500, ALIVE, 0, 0), PCTL(501, ACK, 0, 0), RUN, NOMORE } },
	{ "an upstream peer's (unmarked) ACK is acknowledged", 1000, 1, 0, {
		PCTL(500, SYNC_F_ACK, 0, 0), RUN,
		OCTL(ACK | HELLO, 0, 500, 500), NOMORE } },
	{ "ACK takes what it covers out of the resend queue", 1000, 10, 0, {
		FLOWS(4), RUN, ODATA(0, HELLO, 0), ODATA(1, HELLO, 1),
		ODATA(2, HELLO, 2), ODATA(3, HELLO, 3), NOMORE, RSQ(4, 0),
		PCTL(500, ACK, 0, 1), RSQ(2, 2), RUN, NOMORE,
		PCTL(501, ACK, 2, 3), RSQ(0, 0) } },
	{ "ACK of our sequence across its wrap", 0xfffffffe, 10, 0, {
		FLOWS(4), RUN, SOME(0xf), RSQ(4, 0), PCTL(500, ACK, 0, 2),
		RSQ(1, 3) } },
	{ "NACK resends exactly what it names", 1000, 10, 0, {
		FLOWS(5), RUN, SOME(0x1f), PCTL(500, NACK, 1, 2), RSQ(3, 0),
		RUN, ODATA(1, HELLO, 5), ODATA(2, HELLO, 6), NOMORE,
		RSQ(5, 0), NOTLOGGED(NACK_LOST) } },
	{ "NACK of what was acknowledged: only the rest again", 1000, 10, 0, {
		FLOWS(5), RUN, SOME(0x1f), PCTL(500, ACK, 0, 2), RSQ(2, 3),
		PCTL(501, NACK, 1, 3), RUN, ODATA(3, HELLO, 5), NOMORE,
		RSQ(2, 4), NOTLOGGED(NACK_LOST), NOTLOGGED("bulk") } },
	{ "NACK with an empty queue and nothing lost: nothing", 1000, 10, 0, {
		FLOWS(2), RUN, SOME(0x3), PCTL(500, ACK, 0, 1),
		PCTL(501, NACK, 0, 1), RUN, NOMORE, NOTLOGGED(NACK_LOST) } },
	{ "a full resend queue: the oldest falls out, remembered, paced",
	  1000, 10, 2, {
		FLOWS(4), RUN, SOME(0xf), RSQ(2, 2), LOGGED(RSQ_FULL),
		CACHED(4), NOTLOGGED(RSQ_HEAL), PCTL(500, ACK, 2, 3),
		LOGGED(RSQ_HEAL), RUN, RSQ(1, 4), ACKALL(501), RSQ(1, 5),
		SOME(0x3), NOMORE, ACKALL(502), NOMORE, RSQ(0, 0) } },
	{ "a NACK for what fell out: resync, logged, paced", 1000, 10, 2, {
		FLOWS(4), RUN, SOME(0xf), RSQ(2, 2), NOTLOGGED(NACK_LOST),
		PCTL(500, NACK, 0, 1), LOGGED(NACK_LOST),
		LOGGED("sending bulk update"), RUN, NOMORE, RSQ(2, 2),
		ACKALL(501), ACKALL(502), ACKALL(503), ACKALL(504),
		SOME(0xf), ACKALL(505), NOMORE, RSQ(0, 0) } },
	{ "a NACK for what fell out before the last bulk: no other bulk",
	  1000, 10, 2, {
		FLOWS(4), RUN, SOME(0xf), PCTL(500, NACK, 0, 1),
		LOGGED(NACK_LOST), ACKALL(501), ACKALL(502), ACKALL(503),
		ACKALL(504), SOME(0xf), NOMORE, RSQ(1, 7),
		PCTL(505, NACK, 0, 1), RUN, NOMORE, ACKALL(506), NOMORE,
		RSQ(0, 0) } },
	{ "a NACK for what was acknowledged, after an overflow: nothing",
	  1000, 10, 2, {
		FLOWS(4), RUN, SOME(0xf), RSQ(2, 2), PCTL(500, ACK, 2, 3),
		RUN, ACKALL(501), SOME(0x3), ACKALL(502), NOMORE, RSQ(0, 0),
		PCTL(503, NACK, 2, 3), RUN, NOMORE,
		NOTLOGGED(NACK_LOST) } },
	{ "a deletion that fell out is sent again as one", 1000, 10, 2, {
		FLOWS(2), RUN, SOME(0x3), DIES(0), RUN, ODEL(0, HELLO, 2),
		PCTL(500, ACK, 1, 1), RSQ(1, 2), FLOWS(2), RUN, SOME(0xc),
		RSQ(2, 3), CACHED(4), PCTL(501, ACK, 3, 4), RUN,
		ODEL(0, HELLO, 5), NOMORE, CACHED(4), PCTL(502, ACK, 5, 5),
		CACHED(3) } },
	{ "we say HELLO until the peer's HELLO_BACK", 1000, 10, 0, {
		FLOWS(1), RUN, ODATA(0, HELLO, 0), PCTL(500, ALIVE, 0, 0),
		FLOWS(1), RUN, ODATA(1, HELLO, 1),
		PCTL(501, ALIVE | HBACK, 0, 0), FLOWS(1), RUN,
		ODATA(2, 0, 2), NOMORE } },
	{ "the peer's new life: everything queued once more", 1000, 10, 0, {
		FLOWS(3), RUN, SOME(0x7), PDATA(500, 0),
		PDATA(7, HELLO), SEQS(0, 0), RUN,
		ODATA(0, HELLO | HBACK, 3), ODATA(1, HELLO, 4),
		ODATA(2, HELLO, 5), NOMORE, PDATA(8, HELLO), RUN, NOMORE,
		PDATA(3, HELLO), SEQS(0, 0), RUN, SOME(0x7), NOMORE,
		PDROP(3), SEQS(0, 1) } },
	{ "a new life far after a life that only said HELLO", 1000, 10, 0, {
		FLOWS(3), RUN, SOME(0x7), PDATA(7, HELLO), SEQS(0, 0), RUN,
		ODATA(0, HELLO | HBACK, 3), ODATA(1, HELLO, 4),
		ODATA(2, HELLO, 5), NOMORE, PDATA(0x40000007, HELLO),
		SEQS(0, 0), RUN, SOME(0x7), NOMORE, PDATA(0x4000000a, HELLO),
		SEQS(2, 0), RUN, OCTL(ACK | HELLO | HBACK, 9, 0x40000007,
				      0x40000007),
		OCTL(NACK | HELLO, 10, 0x40000008, 0x40000009), NOMORE } },
	{ "a peer's RESYNC: the whole cache goes", 1000, 10, 0, {
		FLOWS(2), RUN, SOME(0x3), PCTL(500, SYNC_F_RESYNC, 0, 0),
		LOGGED("resync requested by other node"),
		LOGGED("sending bulk update"), RUN, SOME(0x3), NOMORE } },
	{ "-n: our RESYNC waits in the resend queue until acknowledged",
	  1000, 10, 0, {
		REQUEST(SYNC_REQUEST_DUMP), LOGGED("resync requested"),
		RESYNCING(1), RUN, OCTL(SYNC_F_RESYNC | HELLO, 0, 0, 0),
		NOMORE, RSQ(1, 0), RESYNCING(1), PCTL(500, NACK, 0, 0), RUN,
		OCTL(SYNC_F_RESYNC | HELLO, 1, 0, 0), RSQ(1, 1),
		PCTL(501, ACK, 1, 1), RSQ(0, 0), RESYNCING(0) } },
	{ "-B: the whole cache goes, nothing asked of the peer", 1000, 10,
	  0, {
		FLOWS(3), RUN, SOME(0x7), REQUEST(SYNC_SEND_BULK),
		LOGGED("sending bulk update"), RESYNCING(0), RUN, SOME(0x7),
		NOMORE } },
	{ "a bulk waits at half the resend queue unacknowledged", 1000, 2,
	  8, {
		FLOWS(6), RUN, SOME(0x3f), ACKALL(500), NOMORE,
		REQUEST(SYNC_SEND_BULK), LOGGED("sending bulk update"),
		RUN, DATA(4), NOMORE, RSQ(4, 6), ACKALL(501), DATA(2), NOMORE,
		RSQ(2, 10), ACKALL(502), NOMORE, RSQ(0, 0) } },
	{ "a bulk starts at a quarter of its window, doubled by each ACK",
	  1000, 10, 0, {
		FLOWS(3100), RUN, DATA(3100), NOMORE, ACKALL(500),
		REQUEST(SYNC_SEND_BULK), RUN, DATAIN(1024, 1040), NOMORE,
		ACKALL(501), DATAIN(2048, 2064), NOMORE } },
	{ "a NACK ends a bulk's growth", 1000, 10, 0, {
		FLOWS(3100), RUN, DATA(3100), NOMORE, ACKALL(500),
		REQUEST(SYNC_SEND_BULK), RUN, DATAIN(1024, 1040), NOMORE,
		PCTL(501, NACK, 3100, 3100), ACKALL(502), RUN,
		DATAIN(512, 530), NOMORE } },
	{ "a bulk's wait that hears no ACK: the window past the queue",
	  1000, 10, 4, {
		FLOWS(4), RUN, SOME(0xf), ACKALL(500),
		REQUEST(SYNC_SEND_BULK), RUN, DATA(2), NOMORE, WAIT(30000),
		DATA(2), NOMORE } },
	{ "a bulk's wait that hears a late ACK: the window under the queue",
	  1000, 10, 4, {
		FLOWS(4), RUN, SOME(0xf), ACKALL(500),
		REQUEST(SYNC_SEND_BULK), RUN, DATA(2), NOMORE,
		PCTL(501, ACK, 0, 0), WAIT(30000), DATA(1), NOMORE } },
	{ "a change right after a send is held a millisecond at most",
	  1000, 10, 0, {
		FLOWS(1), RUN, DATA(1), NOMORE, FLOWS(1), WAIT(1500), DATA(1),
		NOMORE } },
	{ "the link came back: what waits goes again", 1000, 10, 0, {
		FLOWS(2), RUN, SOME(0x3), LINK(1), RUN, NOMORE, LINK(0), RUN,
		ODATA(0, HELLO, 2), ODATA(1, HELLO, 3), NOMORE } },
};

START_TEST(ftfw_rows)
{
	sub_rig_run(&rows[_i], &sync_sub_ftfw);
}
END_TEST

Suite *ftfw_suite(void)
{
	Suite *s = suite_create("ftfw");
	TCase *tc = tcase_create("ftfw");

	tcase_add_loop_test(tc, ftfw_rows, 0,
			    (int)(sizeof(rows) / sizeof(rows[0])));
	suite_add_tcase(s, tc);
	return s;
}
