// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd -c (spec 2.11; upstream cache-ct.c and cache-exp.c commit,
 * sync-mode.c local_commit): the external caches into the kernel, flows
 * first, flows with a master (RELATED) second, expectations last, each a
 * step of a few hundred objects per loop iteration so the daemon keeps
 * serving events and clients, the creates of a step pipelined in one
 * netlink batch. The client that asked is held until the end: the commit
 * is synchronous for it. If anything could not be committed, it is told
 * in one line of text (which our client turns into exit status 1;
 * upstream's daemon sends nothing, so our client exits 0 with it, and
 * upstream's client prints the line).
 *
 * Timeout of each flow: CommitTimeout when set, else what is left of the
 * timeout the peer sent (its age subtracted; 60 s when nothing is left).
 * A flow that exists is deleted and created again, once.
 *
 * What is committed goes into the internal cache from here, as the
 * node's own but not sent (upstream waits for the events its commit
 * causes, with their origin). Those events never reach the daemon: the
 * event socket's filter drops them (sync/kernel.c), so a commit of 100k
 * flows cannot overrun it, and the daemon is not busy taking them in
 * while it commits. A flow the kernel finally refused leaves the cache
 * again.
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
#include "sync/ctl.h"
#include "sync/kernel.h"
#include "sync/sync_int.h"

#define COMMIT_STEP	256	/* objects per loop iteration */
#define COMMIT_RING	4096	/* requests whose answers may be pending:
				 * two buffers and a step's worth fit */

/*
 * The conntrack creates of a commit: one batch for the whole commit,
 * deferred (ct_batch_defer): the privileged process runs one buffer's
 * creates in the kernel while this process fills the next, so the
 * kernel's work and ours overlap on two CPUs instead of taking turns.
 * For each request whose answer is not taken yet, the key of its object
 * and the kernel's answer, by request index modulo COMMIT_RING.
 */
struct commit_run {
	struct sync_state *s;
	struct nl_sock *sk;
	struct ct_batch b;
	uint32_t done;			/* requests whose answers were taken */
	uint32_t related;		/* flows with a master seen in pass 0 */
	uint8_t keys[COMMIT_RING][CT_KEY_MAX];
	uint8_t klen[COMMIT_RING];
	int err[COMMIT_RING];		/* errno the kernel answered, or 0 */
	_Alignas(8) unsigned char buf[2][CT_BATCH_BUF];
};

static void on_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	struct commit_run *r = arg;

	r->err[index % COMMIT_RING] = ack->error ? ack->error : EINVAL;
}

static void fail_log(struct sync_state *s, const char *what, int err,
		     const struct ct_entry *e)
{
	struct ct_fmt_opts fo = { 0 };
	char line[1024];

	sync_log(&s->d->log, SYNC_LOG_ERR, "%s: %s", what, strerror(err));
	if (ct_format_default(line, sizeof(line), e, &fo) >= 0)
		sync_log_entry(&s->d->log, line);
}

/* The flow of object @o as it is to be created, and (@seen, may be NULL)
 * as the kernel will tell it (NATed). Returns 0 or < 0. */
static int commit_entry(struct sync_state *s, struct sync_cache_obj *o,
			struct ct_entry *e, struct ct_entry *seen)
{
	uint32_t age;

	if (ct_entry_unpack(sync_cache_obj_body(o), o->body_len, e) < 0)
		return -EBADMSG;
	if (!s->conf->sync.commit_timeout) {
		age = sync_daemon_now() - o->lastupdate;
		e->timeout = (e->set & CT_TIMEOUT) && e->timeout > age ?
			     e->timeout - age : 60;
		e->set |= CT_TIMEOUT;
	}
	sync_external_prepare(s, e, seen);
	return 0;
}

/* Flow @e committed (@type NEW) or finally refused (DESTROY): the
 * internal cache told, as the event would have (its Filter applied). */
static void mine(struct sync_state *s, enum ct_event_type type,
		 const struct ct_entry *e)
{
	if (sync_kernel_ct_wanted(s->d, e))
		sync_internal_ct_event(s, type, e, SYNC_ORIGIN_COMMIT);
}

static int queue_obj(struct sync_cache *c, struct sync_cache_obj *o,
		     void *arg)
{
	struct commit_run *r = arg;
	struct sync_commit *cm = &r->s->commit;
	uint32_t i = ct_batch_count(&r->b), slot = i % COMMIT_RING;
	struct ct_entry e, seen;
	int related;

	(void)c;
	if (commit_entry(r->s, o, &e, &seen) < 0)
		return 0;
	related = (e.set & CT_MASTER) != 0;
	if (related && cm->pass == 0)
		r->related++;
	if (related != (cm->pass == 1))
		return 0;
	if (i - r->done >= COMMIT_RING) {	/* cannot be (COMMIT_RING) */
		cm->fail++;
		return 0;
	}
	memcpy(r->keys[slot], sync_cache_obj_key(o), o->key_len);
	r->klen[slot] = o->key_len;
	r->err[slot] = 0;
	if (ct_batch_create(&r->b, &e, NLM_F_CREATE | NLM_F_EXCL) < 0)
		cm->fail++;
	else
		mine(r->s, CT_EVENT_T_NEW, &seen);
	return 0;
}

/* The answer to request @slot: counted; refused with EEXIST, the flow is
 * deleted and created again, once (nothing may be out: synchronous).
 * Logged as upstream: "commit-destroy" when the delete failed, else
 * "commit-create" (also when the second create is refused: a flow of
 * the backup's own holds one of the tuples). */
static void result(struct commit_run *r, uint32_t slot)
{
	struct sync_state *s = r->s;
	struct sync_cache_obj *o;
	struct ct_entry e;
	static const char destroy[] = "commit-destroy";
	const char *what = "commit-create";
	int rc, err = r->err[slot];

	if (!err) {
		s->commit.ok++;
		return;
	}
	o = sync_cache_find(s->ext_ct, r->keys[slot], r->klen[slot]);
	if (!o || commit_entry(s, o, &e, NULL) < 0) {
		s->commit.fail++;
		return;
	}
	rc = -err;
	if (err == EEXIST) {
		rc = ct_table_delete(r->sk, &e, NULL);
		if (rc == 0 || rc == -ENOENT)
			rc = ct_table_create(r->sk, &e, NLM_F_CREATE |
					     NLM_F_EXCL, NULL);
		else
			what = destroy;
	}
	if (rc == 0) {
		s->commit.ok++;
		return;
	}
	s->commit.fail++;
	fail_log(s, what, rc < 0 ? -rc : EINVAL, &e);
	/* not there (when its delete failed, the flow that was is) */
	if (what != destroy)
		mine(s, CT_EVENT_T_DESTROY, &e);
}

/* The answers that came so far. A flow to create again needs requests of
 * its own on the socket: the buffer out is waited for first. */
static void take_answers(struct commit_run *r)
{
	uint32_t end = ct_batch_sent(&r->b);

	for (uint32_t i = r->done; i < end; i++) {
		if (r->err[i % COMMIT_RING] == EEXIST) {
			ct_batch_flush(&r->b);
			end = ct_batch_sent(&r->b);
			break;
		}
	}
	for (; r->done < end; r->done++)
		result(r, r->done % COMMIT_RING);
}

static int commit_exp(struct sync_cache *c, struct sync_cache_obj *o,
		      void *arg)
{
	struct commit_run *r = arg;
	struct sync_state *s = r->s;
	struct ct_expect x;
	int rc;

	(void)c;
	if (ct_expect_unpack(sync_cache_obj_body(o), o->body_len, &x) < 0)
		return 0;
	if (s->conf->sync.commit_timeout) {
		x.timeout = s->conf->sync.commit_timeout;
		x.set |= CT_EXP_TIMEOUT;
	}
	x.set &= ~(uint32_t)CT_EXP_ID;
	rc = ct_expect_create(r->sk, &x, NLM_F_CREATE, NULL);
	if (rc == 0) {
		s->commit.ok++;
		if (sync_kernel_exp_wanted(s->d, &x))
			sync_internal_exp_event(s, CT_EVENT_T_NEW, &x,
						SYNC_ORIGIN_COMMIT);
	} else {
		s->commit.fail++;
		sync_log(&s->d->log, SYNC_LOG_ERR, "commit-create: %s",
			 strerror(-rc));
	}
	return 0;
}

/* The run's batch and buffers, set up at the first step. NULL without
 * memory or a socket. */
static struct commit_run *run_of(struct sync_state *s)
{
	struct commit_run *r = s->commit.run;

	if (r)
		return r;
	r = malloc(sizeof(*r));
	if (!r)
		return NULL;
	r->s = s;
	r->done = 0;
	r->related = 0;
	r->sk = sync_kernel_sock(s->d->kernel, SYNC_ORIGIN_COMMIT);
	if (!r->sk) {
		free(r);
		return NULL;
	}
	ct_batch_init(&r->b, r->sk, r->buf[0], sizeof(r->buf[0]), on_err, r);
	ct_batch_defer(&r->b, r->buf[1]);	/* else synchronous */
	s->commit.run = r;
	return r;
}

static void run_free(struct sync_state *s)
{
	struct commit_run *r = s->commit.run;

	if (!r)
		return;
	ct_batch_finish(&r->b);		/* the buffer out, answered */
	free(r);
	s->commit.run = NULL;
}

static void commit_done(struct sync_state *s)
{
	struct sync_commit *cm = &s->commit;
	uint64_t took = sync_loop_now() - cm->start_usec;
	struct sync_cache *c = cm->pass == 2 ? s->ext_exp : s->ext_ct;

	sync_log(&s->d->log, SYNC_LOG_NOTICE, "Committed %u new entries",
		 cm->ok);
	if (cm->fail)
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "%u entries can't be "
			 "committed", cm->fail);
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "commit has taken "
		 "%lu.%06lu seconds", (unsigned long)(took / 1000000),
		 (unsigned long)(took % 1000000));
	run_free(s);
	if (c) {
		sync_cache_stats(c)->commit_ok += cm->ok;
		sync_cache_stats(c)->commit_fail += cm->fail;
	}
	if (cm->client) {
		if (cm->fail)
			sync_client_printf(cm->client, "conntrackd: commit: %u "
					   "entries can't be committed\n",
					   cm->fail);
		sync_client_release(cm->client);
		cm->client = NULL;
	}
	cm->state = 0;
}

static int commit_run(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;
	struct sync_commit *cm = &s->commit;
	struct commit_run *r = run_of(s);
	int more;

	(void)l;
	if (!r && sync_kernel_sock(s->d->kernel, SYNC_ORIGIN_COMMIT))
		return 1;	/* no memory: try again next iteration */
	if (!r || (cm->pass < 2 && !s->ext_ct) ||
	    (cm->pass == 2 && !s->ext_exp)) {
		more = 0;
	} else if (cm->pass == 2) {
		more = sync_cache_iter(s->ext_exp, &cm->cursor, COMMIT_STEP,
				       commit_exp, r) == 1;
	} else {
		more = sync_cache_iter(s->ext_ct, &cm->cursor, COMMIT_STEP,
				       queue_obj, r) == 1;
		/* this step's creates go out, the previous ones' answers
		 * come in; at the end of a pass every answer is waited for
		 * (related flows need their masters) */
		if (more)
			ct_batch_send(&r->b);
		else
			ct_batch_flush(&r->b);
		take_answers(r);
	}
	if (more)
		return 1;
	cm->cursor = 0;
	if (cm->pass == 0 && r && !r->related)
		cm->pass = 1;		/* no flow with a master to create */
	if (cm->pass == 0 || (cm->pass == 1 && cm->want_exp)) {
		cm->pass++;
		return 1;
	}
	commit_done(s);
	return 0;
}

int sync_commit_busy(const struct sync_state *s)
{
	return s->commit.state != 0;
}

int sync_commit_start(struct sync_state *s, struct sync_client *cl,
		      unsigned int what)
{
	struct sync_commit *cm = &s->commit;

	if (cm->state) {
		sync_log(&s->d->log, SYNC_LOG_NOTICE, "commit already in "
			 "progress, skipping");
		return -EBUSY;
	}
	memset(cm, 0, sizeof(*cm));
	cm->state = 1;
	cm->pass = (what & SYNC_K_CT) ? 0 : 2;
	cm->want_exp = (what & SYNC_K_EXP) && s->ext_exp;
	cm->start_usec = sync_loop_now();
	if (cl)
		cm->client = sync_client_hold(cl);
	if (sync_loop_step_add(s->d->loop, commit_run, s) < 0) {
		cm->state = 0;
		if (cm->client)
			sync_client_release(cm->client);
		cm->client = NULL;
		return -ENOMEM;
	}
	return 0;
}

void sync_commit_abort(struct sync_state *s)
{
	if (!s->commit.state)
		return;
	sync_loop_step_del(s->d->loop, commit_run, s);
	run_free(s);
	if (s->commit.client)
		sync_client_release(s->commit.client);
	s->commit.client = NULL;
	s->commit.state = 0;
}
