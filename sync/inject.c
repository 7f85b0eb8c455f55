// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DisableExternalCache (spec 2.9; upstream external_inject.c): what the
 * peer sends goes straight into the kernel. A new flow is created (if it
 * exists, deleted and created again), an update updates (created if
 * missing, deleted and created when the kernel refuses the change), a
 * deletion deletes (a missing flow is no error). Failures are counted and
 * logged with the flow, as upstream does.
 *
 * Upstream sends one request per message and waits for its answer. Here
 * the flows of one received payload (a datagram, a run of stream
 * messages) are queued into one netlink batch (ct/batch.h), sent when the
 * payload has been walked: a round trip per datagram rather than per
 * flow, which counts twice under privilege separation, where every send
 * is relayed by the privileged process. What the kernel refused is then
 * done again the way above, one request at a time, in queue order; a
 * refused request that a later one of the same batch overrides (the same
 * flow: the kernel ran that one after it) is left to it. The batch's
 * messages stay in the payload's buffer until then: a refused flow is
 * parsed again from there. Expectations are rare: each goes on its own,
 * after what is queued.
 *
 * The node keeps the keys of what it injected (sync/keyset.h: a 64-bit
 * hash each), until the kernel says the flow is gone or local traffic
 * makes it the node's own (an event that is not ours about it), or a
 * client's -R makes every flow in the table the node's own (the
 * failover script's resync, before its -B). A resync (after an overrun
 * of the event socket) and a bulk send from the kernel table skip them:
 * upstream cannot tell them from the node's flows there, and sends the
 * peer its own flows back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct/batch.h"
#include "ct/expect_table.h"
#include "ct/format.h"
#include "ct/pack.h"
#include "ct/table.h"
#include "nl/sock.h"
#include "sync/kernel.h"
#include "sync/keyset.h"
#include "sync/sync_int.h"

#define INJECT_MAX	1024	/* requests queued between two sends */

struct inject_req {
	const void *msg;		/* in the payload being walked */
	uint16_t len;
	uint8_t kind;			/* 0 new, 1 update, 2 delete */
	uint8_t klen;
	int err;			/* the kernel's answer: errno, 0 */
	uint8_t key[CT_KEY_MAX];
};

struct sync_inject {
	struct nl_sock *sk;
	struct ct_batch b;
	uint32_t base;			/* batch index of req[0] */
	uint32_t n;			/* queued since */
	int lost;			/* answers lost in a send since */
	struct sync_keyset mine[2];	/* flows, expectations injected */
	uint8_t untracked;		/* an add failed since: logged */
	struct inject_req req[INJECT_MAX];
	_Alignas(8) unsigned char buf[CT_BATCH_BUF];
};

/* "could not ...: reason", then the flow, as upstream's dlog_ct. */
static void inject_fail(struct sync_state *s, const char *what, int err,
			const struct ct_entry *e)
{
	struct ct_fmt_opts fo = { 0 };
	char line[1024];

	sync_log(&s->d->log, SYNC_LOG_WARNING, "%s: %s", what, strerror(-err));
	if (ct_format_default(line, sizeof(line), e, &fo) >= 0)
		sync_log_entry(&s->d->log, line);
}

/* Create; when it exists, delete and create once more. */
static int inject_create(struct nl_sock *sk, const struct ct_entry *e)
{
	int rc = ct_table_create(sk, e, NLM_F_CREATE | NLM_F_EXCL, NULL);

	if (rc == -EEXIST) {
		rc = ct_table_delete(sk, e, NULL);
		if (rc == 0 || rc == -ENOENT)
			rc = ct_table_create(sk, e, NLM_F_CREATE | NLM_F_EXCL,
					     NULL);
	}
	return rc;
}

/* An update carries no NAT, helper or master: the kernel refuses to
 * change those. */
static void update_of(struct ct_entry *upd, const struct ct_entry *e)
{
	*upd = *e;
	upd->set &= ~(uint64_t)(CT_SNAT | CT_DNAT | CT_HELPER | CT_MASTER);
}

static const char *const fail_what[] = {
	"could not add new ct entry", "could not update ct entry",
	"could not destroy ct entry",
};

/* Counts the outcome @rc of a message of @kind (a deletion of a flow
 * already gone is neither); a failure is logged with the flow. */
static void tally(struct sync_state *s, int kind, int rc,
		  const struct ct_entry *e)
{
	struct sync_inject_stats *st = &s->inject;
	uint32_t *ok[] = { &st->add_ok, &st->upd_ok, &st->del_ok };
	uint32_t *fail[] = { &st->add_fail, &st->upd_fail, &st->del_fail };

	if (rc == 0) {
		(*ok[kind])++;
	} else if (kind != 2 || rc != -ENOENT) {
		(*fail[kind])++;
		inject_fail(s, fail_what[kind], rc, e);
	}
}

/* One message the whole way, one request at a time; counted. */
static void inject_one(struct sync_state *s, int kind, struct ct_entry *e)
{
	struct nl_sock *sk = s->inj->sk;
	struct ct_entry upd;
	int rc;

	switch (kind) {
	case 0:
		rc = inject_create(sk, e);
		break;
	case 1:
		update_of(&upd, e);
		rc = ct_table_create(sk, &upd, 0, NULL);
		if (rc == -ENOENT)
			rc = ct_table_create(sk, e, NLM_F_CREATE | NLM_F_EXCL,
					     NULL);
		else if (rc < 0)
			rc = inject_create(sk, e);
		break;
	default:
		rc = ct_table_delete(sk, e, NULL);
	}
	tally(s, kind, rc, e);
}

/* The key of flow @e or expectation @x (the other NULL) in @key; its set
 * in @ks. Returns the key's length, or < 0. */
/* The hash of the key of flow @e or expectation @x (the other NULL) in
 * @ks, their set; 0 when it has no key. */
static uint64_t hash_of(const struct sync_keyset *ks, const struct ct_entry *e,
			const struct ct_expect *x)
{
	uint8_t key[CT_KEY_MAX];
	int klen = e ? ct_entry_key(key, e) : ct_expect_key(key, x);

	return klen > 0 ? sync_keyset_hash(ks, key, (size_t)klen) : 0;
}

/* Keeps the key of what is injected (@add), or forgets it. */
static void track(struct sync_state *s, const struct ct_entry *e,
		  const struct ct_expect *x, int add)
{
	struct sync_inject *in = s->inj;
	struct sync_keyset *ks = &in->mine[!e];
	uint64_t h;
	int rc;

	if (!add && !ks->n)
		return;		/* (every event asks: nothing to hash) */
	h = hash_of(ks, e, x);
	if (!h)
		return;
	if (!add) {
		sync_keyset_del(ks, h);
		return;
	}
	rc = sync_keyset_add(ks, h);
	if (rc < 0 && !in->untracked) {
		in->untracked = 1;
		sync_log(&s->d->log, SYNC_LOG_WARNING, "cannot keep track of "
			 "more injected %s (%s): a resync may send them back "
			 "to the peer", e ? "flows" : "expectations",
			 rc == -ENOSPC ? "HashLimit reached" : strerror(-rc));
	}
}

int sync_inject_peers(struct sync_state *s, const struct ct_entry *e,
		      const struct ct_expect *x)
{
	struct sync_keyset *ks = s->inj ? &s->inj->mine[!e] : NULL;
	uint64_t h;

	if (!ks || !ks->n)
		return 0;
	h = hash_of(ks, e, x);
	return h && sync_keyset_has(ks, h);
}

void sync_inject_forget(struct sync_state *s, const struct ct_entry *e,
			const struct ct_expect *x)
{
	if (s->inj)
		track(s, e, x, 0);
}

void sync_inject_disown(struct sync_state *s, unsigned int what)
{
	if (!s->inj)
		return;
	if (what & SYNC_K_CT)
		sync_keyset_clear(&s->inj->mine[0]);
	if (what & SYNC_K_EXP)
		sync_keyset_clear(&s->inj->mine[1]);
	s->inj->untracked = 0;
}

static struct inject_req *req_of(struct sync_inject *in, uint32_t index)
{
	uint32_t i = index - in->base;

	return i < in->n ? &in->req[i] : NULL;
}

static void on_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	struct inject_req *r = req_of(arg, index);

	if (r)
		r->err = ack->error ? ack->error : EINVAL;
}

static void on_vanish(uint32_t index, void *arg)
{
	struct inject_req *r = req_of(arg, index);

	if (r)
		r->err = ENOENT;
}

/* A later request of the batch is about the flow of req[i]. */
static int overridden(const struct sync_inject *in, uint32_t i)
{
	const struct inject_req *r = &in->req[i];

	if (!r->klen)
		return 0;
	for (uint32_t j = i + 1; j < in->n; j++)
		if (in->req[j].klen == r->klen &&
		    !memcmp(in->req[j].key, r->key, r->klen))
			return 1;
	return 0;
}

/* The answer to req[i]: counted, or done again one request at a time. */
static void settle(struct sync_state *s, uint32_t i)
{
	struct sync_inject *in = s->inj;
	struct inject_req *r = &in->req[i];
	struct ct_entry e;

	if (r->err == 0 || overridden(in, i) ||
	    (r->kind == 2 && r->err == ENOENT)) {
		/* done, by this request or by a later one of the batch */
		if (r->err == 0 || r->kind != 2)
			tally(s, r->kind, 0, NULL);
		return;
	}
	if (sync_msg_parse_ct(r->msg, r->len, &e, &s->err) < 0)
		return;		/* (it parsed when queued) */
	sync_external_prepare(s, &e, NULL);
	inject_one(s, r->kind, &e);
}

void sync_inject_end(struct sync_state *s)
{
	struct sync_inject *in = s->inj;

	if (!in || !in->n)
		return;
	if (ct_batch_flush(&in->b) < 0 || in->lost) {
		/* answers lost (and maybe a request not sent, so that the
		 * answers are not known to be whose): each is done again */
		for (uint32_t i = 0; i < in->n; i++)
			in->req[i].err = ENOBUFS;
	}
	for (uint32_t i = 0; i < in->n; i++)
		settle(s, i);
	in->base = ct_batch_count(&in->b);
	in->n = 0;
	in->lost = 0;
}

void sync_inject_ct(struct sync_state *s, int kind, const struct ct_entry *e,
		    const void *msg, uint16_t len)
{
	struct sync_inject *in = s->inj;
	struct inject_req *r;
	struct ct_entry upd;
	int klen, rc;

	if (!in)
		return;
	if (in->n == INJECT_MAX)
		sync_inject_end(s);
	r = &in->req[in->n];
	klen = ct_entry_key(r->key, e);
	r->klen = klen > 0 ? (uint8_t)klen : 0;
	r->msg = msg;
	r->len = len;
	r->kind = (uint8_t)kind;
	r->err = 0;
	in->n++;
	track(s, e, NULL, kind != 2);
	switch (kind) {
	case 0:
		rc = ct_batch_create(&in->b, e, NLM_F_CREATE | NLM_F_EXCL);
		break;
	case 1:
		update_of(&upd, e);
		rc = ct_batch_create(&in->b, &upd, 0);
		break;
	default:
		rc = ct_batch_delete(&in->b, e);
	}
	if (rc == -EMSGSIZE || rc == -EINVAL) {
		/* not queued, and cannot be: the indices stay in step */
		in->n--;
		tally(s, kind, rc, e);
	} else if (rc < 0) {
		in->lost = 1;	/* a full buffer's send failed */
	}
}

/* An expectation straight into the kernel (upstream has no update for
 * them: an update is created like a new one), after the flows queued. */
void sync_inject_exp(struct sync_state *s, int kind, struct ct_expect *x)
{
	struct nl_sock *sk;
	int rc;

	if (!s->inj || !sync_kernel_expect(s->d->kernel))
		return;
	sync_inject_end(s);
	sk = s->inj->sk;
	x->set &= ~(uint32_t)CT_EXP_ID;
	track(s, NULL, x, kind != 2);
	if (kind == 2) {
		rc = ct_expect_delete(sk, x, NULL);
		if (rc < 0 && rc != -ENOENT)
			sync_log(&s->d->log, SYNC_LOG_WARNING, "could not "
				 "delete exp entry: %s", strerror(-rc));
		return;
	}
	rc = ct_expect_create(sk, x, NLM_F_CREATE | NLM_F_EXCL, NULL);
	if (rc == -EEXIST) {
		rc = ct_expect_delete(sk, x, NULL);
		if (rc == 0 || rc == -ENOENT)
			rc = ct_expect_create(sk, x, NLM_F_CREATE | NLM_F_EXCL,
					      NULL);
	}
	if (rc < 0)
		sync_log(&s->d->log, SYNC_LOG_WARNING, "could not add new exp "
			 "entry: %s", strerror(-rc));
}

int sync_inject_init(struct sync_state *s)
{
	struct sync_inject *in;
	struct nl_sock *sk;

	sync_log(&s->d->log, SYNC_LOG_NOTICE, "disabling external cache");
	if (!s->d->kernel)
		return 0;	/* (unit tests and fuzzing: no kernel) */
	sk = sync_kernel_sock(s->d->kernel, SYNC_ORIGIN_INJECT);
	in = sk ? calloc(1, sizeof(*in)) : NULL;
	if (!in)
		return -ENOMEM;
	in->sk = sk;
	ct_batch_init(&in->b, sk, in->buf, sizeof(in->buf), on_err, in);
	in->b.on_vanish = on_vanish;
	for (int i = 0; i < 2; i++)
		sync_keyset_init(&in->mine[i], s->d->seed,
				 s->d->conf->hash_limit);
	s->inj = in;
	return 0;
}

void sync_inject_fini(struct sync_state *s)
{
	if (!s->inj)
		return;
	sync_inject_end(s);
	sync_inject_disown(s, SYNC_K_CT | SYNC_K_EXP);
	free(s->inj);
	s->inj = NULL;
}
