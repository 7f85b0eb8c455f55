/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A sync sub-mode (FTFW, NOTRACK, ALARM) driven without sockets
 * (tests/unit/sub_rig.c): a sync state with an internal cache, a loop
 * that runs only when a step says so (never waiting) and a log file, whose transmit runs go to a capture
 * (sync_state.out) instead of the channels. A row of a test table is a
 * script of steps: local flows appear or die, a transmit run happens,
 * the peer's messages arrive (headers only, as sync_recv_payload hands
 * them to the sub-mode), and what goes out, the resend queue, the
 * sequence counters and the log are checked.
 */
#ifndef RAWCT_TESTS_SUB_RIG_H
#define RAWCT_TESTS_SUB_RIG_H

#include <stdint.h>

#include "sync/ctl.h"
#include "sync/sync_int.h"

#define OUT_MAX		8192
#define STEPS_MAX	24
#define ANY		0xffffffffu
#define PEER_SEQ	500		/* the peer's first, unless a row says */
#define LOG_MAX		16384

/* A step. Our sequence numbers are written as offsets from the row's
 * base (the first we send); the peer's as they are. */
struct step {
	char op;
	uint8_t type, flags;
	uint32_t seq, from, to;
	int n;
	const char *text;
};

/*
 * F n       n new local flows (flow i: 10.0.0.1:10000+i -> 10.0.0.2:80)
 * D i       local flow i dies
 * X         a loop iteration that does not wait (what was queued for it
 *           runs: a paced walk's step), then a transmit run
 * P         a message from the peer: type, flags, its seq, and for ACK
 *           and NACK from..to (our offsets); n: what recv must say
 * A         the peer's ACK (its seq) of all our resend queue holds, then
 *           one iteration of the loop (what the ACK queued runs: a paced
 *           walk goes on, a transmit run)
 * W         a loop iteration that waits up to n us for a timer (one
 *           must fire or a step run)
 * T         a control message from the peer with from = to = a token
 *           (NOTRACK's and ALARM's heal), as it is: flags, seq, from
 * O         the next message that went out: type, flags exactly, seq
 *           (our offset, ANY: not checked), from..to (the peer's seqs)
 *           for control messages, n the flow for data messages
 * S         the next messages out are data of exactly the flows of the
 *           bit mask n, in any order (what a cache walk sends)
 * Z         nothing else went out
 * K         the next n messages out are data, of any flows
 * B         the data messages out next, as many as come, are from..to
 *           (a walk's window is kept to whole hash buckets)
 * Q         the resend queue holds n messages; seq: the first's (offset)
 * C         rcv_lost == from, rcv_before == to
 * L, N      the log holds text / does not
 * M         the internal cache holds n objects (DEAD ones included)
 * R         the transport's link event (n: lost)
 * Y         a request of a client: n its code (-n, -B)
 * H         whether a resync we asked for is unanswered (n)
 */
#define FLOWS(k)	{ .op = 'F', .n = (k) }
#define DIES(i)		{ .op = 'D', .n = (i) }
#define RUN		{ .op = 'X' }
#define PDATA(sq, fl)	{ .op = 'P', .type = SYNC_T_CT_NEW, .flags = (fl), \
			  .seq = (sq), .n = SYNC_RX_DATA }
#define PCTL(sq, fl, f, t) \
	{ .op = 'P', .type = SYNC_T_CTL, .flags = (fl), .seq = (sq), \
	  .from = (f), .to = (t), .n = SYNC_RX_CTL }
#define PTOK(sq, fl, tok) \
	{ .op = 'T', .type = SYNC_T_CTL, .flags = (fl), .seq = (sq), \
	  .from = (tok), .to = (tok), .n = SYNC_RX_CTL }
#define WAIT(us)	{ .op = 'W', .n = (us) }
#define ACKALL(sq)	{ .op = 'A', .seq = (sq) }
#define PDROP(sq)	{ .op = 'P', .type = SYNC_T_CT_NEW, .seq = (sq), \
			  .n = SYNC_RX_DROP }
#define ODATA(i, fl, sq) { .op = 'O', .type = SYNC_T_CT_NEW, .flags = (fl), \
			   .seq = (sq), .n = (i) }
#define ODEL(i, fl, sq)	{ .op = 'O', .type = SYNC_T_CT_DEL, .flags = (fl), \
			  .seq = (sq), .n = (i) }
#define OCTL(fl, sq, f, t) \
	{ .op = 'O', .type = SYNC_T_CTL, .flags = (fl), .seq = (sq), \
	  .from = (f), .to = (t) }
#define SOME(mask)	{ .op = 'S', .n = (mask) }
#define NOMORE		{ .op = 'Z' }
#define DATA(k)		{ .op = 'K', .n = (k) }
#define DATAIN(lo, hi)	{ .op = 'B', .from = (lo), .to = (hi) }
#define RSQ(k, first)	{ .op = 'Q', .seq = (first), .n = (k) }
#define SEQS(lost, bef)	{ .op = 'C', .from = (lost), .to = (bef) }
#define LOGGED(t)	{ .op = 'L', .text = (t) }
#define NOTLOGGED(t)	{ .op = 'N', .text = (t) }
#define CACHED(k)	{ .op = 'M', .n = (k) }
#define LINK(lost)	{ .op = 'R', .n = (lost) }
#define REQUEST(code)	{ .op = 'Y', .n = (code) }
#define RESYNCING(yes)	{ .op = 'H', .n = (yes) }

#define ACK	(SYNC_F_ACK | SYNC_F_UNUSED)	/* ours: marked */
#define NACK	(SYNC_F_NACK | SYNC_F_UNUSED)
#define ALIVE	(SYNC_F_ALIVE | SYNC_F_UNUSED)
#define HELLO	SYNC_F_HELLO
#define HBACK	SYNC_F_HELLO_BACK

struct row {
	const char *name;
	uint32_t base;			/* our first sequence number */
	uint32_t window, rsq;		/* ACKWindowSize, ResendQueueSize */
	struct step steps[STEPS_MAX];
};

/* Runs the steps of @row on a fresh rig of sub-mode @sub; a step that
 * finds something else fails the running Check test, naming the row and
 * the step. */
void sub_rig_run(const struct row *row, const struct sync_sub *sub);

#endif
