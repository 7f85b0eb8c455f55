// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of FTFW (sync/ftfw.c) without sockets: a sync state with an
 * internal cache, a loop that never runs and a log file, whose transmit
 * runs go to a capture (sync_state.out) instead of the channels. Each
 * row of the table is a script of steps: local flows appear or die, a
 * transmit run happens, the peer's messages arrive (headers only, as
 * sync_recv_payload hands them to the sub-mode), and what goes out, the
 * resend queue, the sequence counters and the log are checked. One row
 * (at least) per rule: sequence tracking (in order, gap, duplicate,
 * wrap-around), the acknowledgement window, ACK and NACK on the sending
 * side, the resend queue's overflow and what heals it, HELLO.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "sync/config.h"
#include "sync/ctl.h"
#include "sync/sync_int.h"
#include "tests/unit/suites.h"
#include "tests/unit/sync_check.h"

#define OUT_MAX		64
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
 * X         a transmit run
 * P         a message from the peer: type, flags, its seq, and for ACK
 *           and NACK from..to (our offsets); n: what recv must say
 * O         the next message that went out: type, flags exactly, seq
 *           (our offset, ANY: not checked), from..to (the peer's seqs)
 *           for control messages, n the flow for data messages
 * S         the next messages out are data of exactly the flows of the
 *           bit mask n, in any order (what a cache walk sends)
 * Z         nothing else went out
 * K         the next n messages out are data, of any flows
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
	{ "a full resend queue: the oldest falls out, remembered", 1000, 10,
	  2, {
		FLOWS(4), RUN, SOME(0xf), RSQ(2, 2), LOGGED(RSQ_FULL),
		CACHED(4), NOTLOGGED(RSQ_HEAL), PCTL(500, ACK, 2, 3),
		RSQ(0, 0), LOGGED(RSQ_HEAL), RUN, SOME(0x3), NOMORE,
		RSQ(2, 4) } },
	{ "a NACK for what fell out: resync, logged", 1000, 10, 2, {
		FLOWS(4), RUN, SOME(0xf), RSQ(2, 2), NOTLOGGED(NACK_LOST),
		PCTL(500, NACK, 0, 1), LOGGED(NACK_LOST),
		LOGGED("sending bulk update"), RSQ(0, 0), RUN, SOME(0xf),
		NOMORE } },
	{ "a NACK for what fell out before the last bulk: no other bulk",
	  1000, 10, 2, {
		FLOWS(4), RUN, SOME(0xf), PCTL(500, NACK, 0, 1),
		LOGGED(NACK_LOST), RUN, SOME(0xf), NOMORE, RSQ(2, 6),
		PCTL(501, NACK, 0, 1), RUN, DATA(2), NOMORE,
		PCTL(502, NACK, 4, 5), RUN, SOME(0xf), NOMORE } },
	{ "a NACK for what was acknowledged, after an overflow: nothing",
	  1000, 10, 2, {
		FLOWS(4), RUN, SOME(0xf), RSQ(2, 2), PCTL(500, ACK, 2, 3),
		RSQ(0, 0), RUN, SOME(0x3), NOMORE, PCTL(501, ACK, 4, 5),
		PCTL(502, NACK, 2, 3), RUN, NOMORE,
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
	{ "the link came back: what waits goes again", 1000, 10, 0, {
		FLOWS(2), RUN, SOME(0x3), LINK(1), RUN, NOMORE, LINK(0), RUN,
		ODATA(0, HELLO, 2), ODATA(1, HELLO, 3), NOMORE } },
};

struct rig {
	struct sync_state s;		/* first: the capture finds the rig */
	struct sync_daemon d;
	struct sync_conf conf;
	FILE *log;
	uint32_t base;
	struct sync_msg_hdr out[OUT_MAX];
	int flow[OUT_MAX];		/* data: the flow's index, else -1 */
	unsigned int nout, seen;
};

static void capture(struct sync_state *s, const void *msg, size_t len)
{
	struct rig *r = (struct rig *)s;
	struct sync_msg_stats st = { 0 };
	struct sync_msg_hdr *h = &r->out[r->nout];
	struct ct_entry e;

	ck_assert_uint_lt(r->nout, OUT_MAX);
	ck_assert_int_eq(sync_msg_next(msg, len, h, &st), (int)len);
	r->flow[r->nout] = -1;
	if (sync_msg_is_data(h)) {
		ck_assert_int_eq(sync_msg_parse_ct(msg, len, &e, &st), 0);
		r->flow[r->nout] = e.orig.sport - 10000;
	}
	r->nout++;
}

static struct rig *rig_new(const struct row *row)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct sync_state *s;

	ck_assert_ptr_nonnull(r);
	s = &r->s;
	r->conf.hash_size = 64;
	r->conf.hash_limit = 1024;
	r->conf.sync.ack_window = row->window;
	r->conf.sync.resend_queue_size = row->rsq;
	r->d.conf = &r->conf;
	ck_assert_int_eq(sync_loop_new(&r->d.loop), 0);
	sync_log_init(&r->d.log);
	sync_log_console(&r->d.log, 0);
	r->log = tmpfile();
	ck_assert_ptr_nonnull(r->log);
	r->d.log.fd = fileno(r->log);
	s->d = &r->d;
	s->conf = &r->conf;
	s->sub = &sync_sub_ftfw;
	s->out = capture;
	s->seq_next = r->base = row->base;
	sync_txq_init(&s->tx, "txqueue", 0);
	sync_txq_init(&s->rs, "rsqueue", 0);
	sync_loop_timer_init(&s->xmit_timer, NULL, s);
	ck_assert_int_eq(s->sub->init(s), 0);
	ck_assert_int_eq(sync_internal_init(s), 0);
	s->dump_populate = 0;		/* as after the start-up dump */
	return r;
}

static void rig_free(struct rig *r)
{
	struct sync_state *s = &r->s;
	struct sync_txnode *n;

	sync_tx_stop(s);
	s->sub->fini(s);
	while ((n = sync_txq_first(&s->tx))) {
		sync_txq_del(&s->tx, n);
		if (n->ctl)
			sync_txctl_free(n);
	}
	sync_internal_fini(s);
	sync_loop_free(r->d.loop);
	fclose(r->log);
	free(r);
}

static void flow_of(struct ct_entry *e, int i)
{
	sc_flow(e, 6, "10.0.0.1", "10.0.0.2", (uint16_t)(10000 + i), 80);
}

static void log_has(struct rig *r, const char *text, int want,
		    const char *row, int k)
{
	static char buf[LOG_MAX];
	ssize_t n = pread(r->d.log.fd, buf, sizeof(buf) - 1, 0);

	ck_assert_int_ge(n, 0);
	buf[n] = 0;
	ck_assert_msg(!strstr(buf, text) == !want, "%s, step %d: log %s "
		      "\"%s\":\n%s", row, k, want ? "lacks" : "has", text,
		      buf);
}

static void peer(struct rig *r, const struct step *st, const char *row,
		 int k)
{
	struct sync_msg_hdr h = {
		.version = 1, .type = st->type, .flags = st->flags,
		.len = SYNC_MSG_HDR_LEN, .seq = st->seq,
	};

	if (st->flags & (SYNC_F_ACK | SYNC_F_NACK)) {
		h.from = r->base + st->from;
		h.to = r->base + st->to;
		h.len = 16;
	}
	ck_assert_msg(r->s.sub->recv(&r->s, &h) == st->n,
		      "%s, step %d: recv of seq %u", row, k, st->seq);
}

static void sent(struct rig *r, const struct step *st, const char *row,
		 int k)
{
	const struct sync_msg_hdr *h = &r->out[r->seen];

	ck_assert_msg(r->seen < r->nout, "%s, step %d: nothing more went out",
		      row, k);
	ck_assert_msg(h->type == st->type && h->flags == st->flags,
		      "%s, step %d: type %u flags %#x, want %u %#x", row, k,
		      h->type, h->flags, st->type, st->flags);
	if (st->seq != ANY)
		ck_assert_msg(h->seq == r->base + st->seq, "%s, step %d: seq "
			      "%u, want base + %u", row, k, h->seq, st->seq);
	if (st->type == SYNC_T_CTL)
		ck_assert_msg(h->from == st->from && h->to == st->to,
			      "%s, step %d: %u..%u, want %u..%u", row, k,
			      h->from, h->to, st->from, st->to);
	else
		ck_assert_msg(r->flow[r->seen] == st->n, "%s, step %d: flow "
			      "%d, want %d", row, k, r->flow[r->seen], st->n);
	r->seen++;
}

static void sent_set(struct rig *r, unsigned int mask, const char *row,
		     int k)
{
	unsigned int got = 0;

	while (got != mask) {
		ck_assert_msg(r->seen < r->nout, "%s, step %d: flows %#x of "
			      "%#x went out", row, k, got, mask);
		ck_assert_msg(r->flow[r->seen] >= 0 &&
			      (mask & ~got & 1u << r->flow[r->seen]),
			      "%s, step %d: flow %d unexpected", row, k,
			      r->flow[r->seen]);
		got |= 1u << r->flow[r->seen++];
	}
}

static void resend_queue(struct rig *r, const struct step *st,
			 const char *row, int k)
{
	const struct sync_txnode *n = sync_txq_first(&r->s.rs);

	ck_assert_msg(r->s.rs.len == (uint32_t)st->n, "%s, step %d: resend "
		      "queue %u, want %d", row, k, r->s.rs.len, st->n);
	if (n)
		ck_assert_msg(n->seq == r->base + st->seq, "%s, step %d: "
			      "first seq %u, want base + %u", row, k, n->seq,
			      st->seq);
}

static void step_run(struct rig *r, const struct step *st, int *nflows,
		     const char *row, int k)
{
	struct ct_entry e;

	switch (st->op) {
	case 'F':
		for (int i = 0; i < st->n; i++) {
			flow_of(&e, (*nflows)++);
			sync_internal_ct_event(&r->s, CT_EVENT_T_NEW, &e,
					       SYNC_ORIGIN_NOT_ME);
		}
		break;
	case 'D':
		flow_of(&e, st->n);
		sync_internal_ct_event(&r->s, CT_EVENT_T_DESTROY, &e,
				       SYNC_ORIGIN_NOT_ME);
		break;
	case 'X':
		sync_tx_run(&r->s);
		break;
	case 'P':
		peer(r, st, row, k);
		break;
	case 'O':
		sent(r, st, row, k);
		break;
	case 'S':
		sent_set(r, (unsigned int)st->n, row, k);
		break;
	case 'Z':
		ck_assert_msg(r->seen == r->nout, "%s, step %d: %u more went "
			      "out", row, k, r->nout - r->seen);
		break;
	case 'K':
		for (int i = 0; i < st->n; i++, r->seen++)
			ck_assert_msg(r->seen < r->nout &&
				      r->flow[r->seen] >= 0, "%s, step %d: "
				      "%d data messages of %d went out", row,
				      k, i, st->n);
		break;
	case 'Q':
		resend_queue(r, st, row, k);
		break;
	case 'C':
		ck_assert_msg(r->s.rcv_lost == st->from &&
			      r->s.rcv_before == st->to, "%s, step %d: lost "
			      "%llu before %llu", row, k,
			      (unsigned long long)r->s.rcv_lost,
			      (unsigned long long)r->s.rcv_before);
		break;
	case 'L':
	case 'N':
		log_has(r, st->text, st->op == 'L', row, k);
		break;
	case 'M':
		ck_assert_msg(sync_cache_count(r->s.int_ct) == (uint32_t)st->n,
			      "%s, step %d: %u cached", row, k,
			      sync_cache_count(r->s.int_ct));
		break;
	case 'R':
		r->s.sub->link_event(&r->s, st->n);
		break;
	case 'Y':
		ck_assert_int_eq(r->s.sub->request(&r->s, NULL, st->n),
				 SYNC_REQ_DONE);
		break;
	case 'H':
		ck_assert_msg(r->s.sub->resyncing(&r->s) == st->n, "%s, "
			      "step %d: resyncing", row, k);
		break;
	default:
		ck_abort_msg("%s, step %d: op %c", row, k, st->op);
	}
}

START_TEST(ftfw_rows)
{
	const struct row *row = &rows[_i];
	struct rig *r = rig_new(row);
	int nflows = 0;

	for (int k = 0; k < STEPS_MAX && row->steps[k].op; k++)
		step_run(r, &row->steps[k], &nflows, row->name, k);
	rig_free(r);
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
