// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sub-mode rig of tests/unit/sub_rig.h: a rig per row, each step run
 * and checked with Check assertions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "sync/config.h"
#include "tests/unit/sub_rig.h"
#include "tests/unit/sync_check.h"

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

static struct rig *rig_new(const struct row *row,
			   const struct sync_sub *sub)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct sync_state *s;

	ck_assert_ptr_nonnull(r);
	s = &r->s;
	r->conf.hash_size = 1024;
	r->conf.hash_limit = 8192;
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
	s->sub = sub;
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

	if (st->op == 'T') {
		h.from = st->from;
		h.to = st->to;
		h.len = 16;
	} else if (st->flags & (SYNC_F_ACK | SYNC_F_NACK)) {
		h.from = r->base + st->from;
		h.to = r->base + st->to;
		h.len = 16;
	}
	ck_assert_msg(r->s.sub->recv(&r->s, &h) == st->n,
		      "%s, step %d: recv of seq %u", row, k, st->seq);
}

/* The peer acknowledges the whole resend queue; then a loop iteration
 * runs what that queued (a paced walk going on, a transmit run). */
static void ack_all(struct rig *r, const struct step *st, const char *row,
		    int k)
{
	struct sync_txnode *n = sync_txq_first(&r->s.rs), *last = n;
	struct step ack = {
		.op = 'P', .type = SYNC_T_CTL, .flags = ACK, .seq = st->seq,
		.n = SYNC_RX_CTL,
	};

	ck_assert_msg(n != NULL, "%s, step %d: nothing to acknowledge", row,
		      k);
	while ((n = sync_txq_next(&r->s.rs, n)))
		last = n;
	ack.from = sync_txq_first(&r->s.rs)->seq - r->base;
	ack.to = last->seq - r->base;
	peer(r, &ack, row, k);
	ck_assert_int_ge(sync_loop_run_once(r->d.loop, 0), 0);
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
		ck_assert_int_ge(sync_loop_run_once(r->d.loop, 0), 0);
		sync_tx_run(&r->s);
		break;
	case 'P':
	case 'T':
		peer(r, st, row, k);
		break;
	case 'A':
		ack_all(r, st, row, k);
		break;
	case 'W':
		ck_assert_int_gt(sync_loop_run_once(r->d.loop,
						    (uint64_t)st->n), 0);
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
	case 'B': {
		unsigned int c = 0;

		for (; r->seen < r->nout && r->flow[r->seen] >= 0; r->seen++)
			c++;
		ck_assert_msg(c >= st->from && c <= st->to, "%s, step %d: %u "
			      "data messages, want %u..%u", row, k, c, st->from,
			      st->to);
		break;
	}
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

void sub_rig_run(const struct row *row, const struct sync_sub *sub)
{
	struct rig *r = rig_new(row, sub);
	int nflows = 0;

	for (int k = 0; k < STEPS_MAX && row->steps[k].op; k++)
		step_run(r, &row->steps[k], &nflows, row->name, k);
	rig_free(r);
}
