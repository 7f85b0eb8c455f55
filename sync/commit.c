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

struct commit_step {
	struct sync_state *s;
	struct nl_sock *sk;
	struct ct_batch b;
	uint32_t n;
	uint8_t keys[COMMIT_STEP * 2][CT_KEY_MAX];
	uint8_t klen[COMMIT_STEP * 2];
	int err[COMMIT_STEP * 2];	/* errno the kernel answered, or 0 */
	_Alignas(8) unsigned char buf[CT_BATCH_BUF];
};

static void on_err(uint32_t index, const struct nl_ack *ack, void *arg)
{
	struct commit_step *st = arg;

	if (index < COMMIT_STEP * 2)
		st->err[index] = ack->error ? ack->error : EINVAL;
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

/* The flow of object @o as it is to be created. Returns 0 or < 0. */
static int commit_entry(struct sync_state *s, struct sync_cache_obj *o,
			struct ct_entry *e)
{
	uint32_t age;

	if (ct_entry_unpack(sync_cache_obj_body(o), o->body_len, e) < 0)
		return -EBADMSG;
	sync_external_prepare(s, e);
	if (!s->conf->sync.commit_timeout) {
		age = sync_daemon_now() - o->lastupdate;
		e->timeout = (e->set & CT_TIMEOUT) && e->timeout > age ?
			     e->timeout - age : 60;
		e->set |= CT_TIMEOUT;
	}
	return 0;
}

static int queue_obj(struct sync_cache *c, struct sync_cache_obj *o,
		     void *arg)
{
	struct commit_step *st = arg;
	struct ct_entry e;
	int related;

	(void)c;
	if (commit_entry(st->s, o, &e) < 0)
		return 0;
	related = (e.set & CT_MASTER) != 0;
	if (related != (st->s->commit.pass == 1))
		return 0;
	if (st->n >= COMMIT_STEP * 2)
		return 0;
	memcpy(st->keys[st->n], sync_cache_obj_key(o), o->key_len);
	st->klen[st->n] = o->key_len;
	st->err[st->n] = 0;
	if (ct_batch_create(&st->b, &e, NLM_F_CREATE | NLM_F_EXCL) == 0)
		st->n++;
	return 0;
}

/* The entries refused with EEXIST: delete and create again, once. */
static void retry_existing(struct commit_step *st)
{
	struct sync_state *s = st->s;
	struct sync_cache_obj *o;
	struct ct_entry e;
	int rc;

	for (uint32_t i = 0; i < st->n; i++) {
		if (!st->err[i]) {
			s->commit.ok++;
			continue;
		}
		o = sync_cache_find(s->ext_ct, st->keys[i], st->klen[i]);
		if (!o || commit_entry(s, o, &e) < 0) {
			s->commit.fail++;
			continue;
		}
		rc = -st->err[i];
		if (st->err[i] == EEXIST) {
			rc = ct_table_delete(st->sk, &e, NULL);
			if (rc == 0 || rc == -ENOENT)
				rc = ct_table_create(st->sk, &e, NLM_F_CREATE |
						     NLM_F_EXCL, NULL);
		}
		if (rc == 0) {
			s->commit.ok++;
			continue;
		}
		s->commit.fail++;
		fail_log(s, st->err[i] == EEXIST ? "commit-destroy" :
			 "commit-create", rc < 0 ? -rc : EINVAL, &e);
	}
}

static int commit_exp(struct sync_cache *c, struct sync_cache_obj *o,
		      void *arg)
{
	struct commit_step *st = arg;
	struct ct_expect x;
	int rc;

	(void)c;
	if (ct_expect_unpack(sync_cache_obj_body(o), o->body_len, &x) < 0)
		return 0;
	if (st->s->conf->sync.commit_timeout) {
		x.timeout = st->s->conf->sync.commit_timeout;
		x.set |= CT_EXP_TIMEOUT;
	}
	x.set &= ~(uint32_t)CT_EXP_ID;
	rc = ct_expect_create(st->sk, &x, NLM_F_CREATE, NULL);
	if (rc == 0) {
		st->s->commit.ok++;
	} else {
		st->s->commit.fail++;
		sync_log(&st->s->d->log, SYNC_LOG_ERR, "commit-create: %s",
			 strerror(-rc));
	}
	return 0;
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
	struct commit_step *st;
	int more;

	(void)l;
	st = malloc(sizeof(*st));
	if (!st)
		return 1;	/* try again next iteration */
	st->s = s;
	st->n = 0;
	st->sk = sync_kernel_sock(s->d->kernel, SYNC_ORIGIN_COMMIT);
	if (!st->sk || (cm->pass < 2 && !s->ext_ct) ||
	    (cm->pass == 2 && !s->ext_exp)) {
		more = 0;
	} else if (cm->pass == 2) {
		more = sync_cache_iter(s->ext_exp, &cm->cursor, COMMIT_STEP,
				       commit_exp, st) == 1;
	} else {
		ct_batch_init(&st->b, st->sk, st->buf, sizeof(st->buf), on_err,
			      st);
		more = sync_cache_iter(s->ext_ct, &cm->cursor, COMMIT_STEP,
				       queue_obj, st) == 1;
		ct_batch_flush(&st->b);
		retry_existing(st);
	}
	free(st);
	if (more)
		return 1;
	cm->cursor = 0;
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
	if (s->commit.client)
		sync_client_release(s->commit.client);
	s->commit.client = NULL;
	s->commit.state = 0;
}
