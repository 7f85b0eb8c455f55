// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's Sync mode (spec 2.2, 2.6-2.12; upstream sync-mode.c): the
 * internal and external sides, the dedicated links, the sub-mode chosen
 * once from the configuration (FTFW, NOTRACK, ALARM), and the answers to
 * the control requests, with upstream's log lines and texts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync/auth.h"
#include "sync/channel.h"
#include "sync/ctl.h"
#include "sync/dump.h"
#include "sync/hash.h"
#include "sync/kernel.h"
#include "sync/privsep.h"
#include "sync/report.h"
#include "sync/sync_int.h"

static struct sync_state *state(struct sync_daemon *d)
{
	return d->mode_priv;
}

static void on_link_event(struct sync_chans *m, unsigned int idx,
			  enum sync_chans_event ev, void *arg)
{
	struct sync_state *s = arg;

	(void)m;
	(void)idx;
	if (ev == SYNC_CHANS_EV_PEER) {
		/* authentication: the peer (re)started or we did, and the
		 * messages of the frames before the handshake were dropped:
		 * what waits goes again, and the whole internal cache */
		if (s->sub->link_event)
			s->sub->link_event(s, 0);
		if (s->int_ct)
			sync_internal_bulk(s);
		sync_tx_kick(s);
		return;
	}
	if (s->sub->link_event)
		s->sub->link_event(s, ev == SYNC_CHANS_EV_LOST);
}

/* Authentication, if configured: the key file is read now, as root
 * before privileges are dropped. Returns 0 and *@out (NULL: off). */
static int auth_open(struct sync_daemon *d, struct sync_auth **out)
{
	struct sync_keys_err err;
	int rc;

	*out = NULL;
	if (!d->conf->sync.auth.on)
		return 0;
	rc = sync_auth_load(out, d->conf, &err);
	if (rc < 0)
		sync_log(&d->log, SYNC_LOG_ERR, "sync authentication: %s",
			 err.msg);
	return rc;
}

static void reset_timeout(struct sync_loop *l, void *arg)
{
	struct sync_state *s = arg;

	(void)l;
	s->d->st.nl_kernel_table_flush++;
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "flushing kernel conntrack "
		 "table (scheduled)");
	sync_kernel_flush(s->d->kernel, SYNC_K_CT);
	if (s->int_ct)
		sync_internal_flush(s, 0);
}

static const struct sync_sub *sub_of(const struct sync_conf *c)
{
	switch (c->sync.mode) {
	case SYNC_MODE_ALARM:
		return &sync_sub_alarm;
	case SYNC_MODE_NOTRACK:
		return &sync_sub_notrack;
	}
	return &sync_sub_ftfw;
}

static void sync_fini(struct sync_daemon *d);

/* A TCP link's new socket: from the privileged parent once the child
 * runs (past net.core.wmem_max, SndSocketBuffer needs CAP_NET_ADMIN). */
static int stream_socket(void *arg, unsigned int idx)
{
	struct sync_daemon *d = arg;

	return sync_privsep_stream(d->privsep, idx);
}

static int sync_init(struct sync_daemon *d)
{
	struct sync_state *s = calloc(1, sizeof(*s));
	struct sync_auth *auth = NULL;
	uint8_t rnd[16];
	int rc;

	if (!s) {
		sync_log(&d->log, SYNC_LOG_ERR, "can't allocate memory for "
			 "sync");
		return -ENOMEM;
	}
	d->mode_priv = s;
	s->d = d;
	s->conf = d->conf;
	s->sub = sub_of(d->conf);
	s->opts.no_timeout = d->conf->sync.commit_timeout &&
			     !d->conf->sync.disable_external;
	s->opts.wscale = d->conf->sync.tcp_window_tracking;
	/* a random first sequence number, not upstream's time(NULL) */
	sync_hash_seed(rnd);
	memcpy(&s->seq_next, rnd, sizeof(s->seq_next));
	sync_txq_init(&s->tx, "txqueue", 0);
	sync_txq_init(&s->rs, "rsqueue", 0);
	sync_loop_timer_init(&s->xmit_timer, NULL, s);
	sync_loop_timer_init(&s->reset_timer, reset_timeout, s);
	rc = s->sub->init(s);
	if (rc == 0)
		rc = sync_internal_init(s);
	if (rc == 0)
		rc = sync_external_init(s);
	if (rc == 0)
		rc = auth_open(d, &auth);
	/* a link that cannot open is logged there, once, as upstream */
	if (rc == 0)
		rc = sync_chans_open(&s->chans, d->conf, d->loop, &d->log,
				     auth, sync_recv_payload, on_link_event, s);
	if (rc < 0) {
		sync_fini(d);
		return rc;
	}
	sync_chans_set_stream(s->chans, stream_socket, d);
	/* as -n: NOTRACK then follows its answer (-s health) */
	if (d->conf->sync.startup_resync && s->sub != &sync_sub_alarm)
		s->sub->request(s, NULL, SYNC_REQUEST_DUMP);
	return 0;
}

static void sync_fini(struct sync_daemon *d)
{
	struct sync_state *s = state(d);
	struct sync_txnode *n;

	if (!s)
		return;
	sync_commit_abort(s);
	sync_loop_timer_del(d->loop, &s->reset_timer);
	sync_tx_stop(s);
	if (s->sub_priv && s->sub->fini)
		s->sub->fini(s);
	while ((n = sync_txq_first(&s->tx))) {
		sync_txq_del(&s->tx, n);
		if (n->ctl)
			sync_txctl_free(n);
	}
	sync_chans_close(s->chans);
	sync_internal_fini(s);
	sync_external_fini(s);
	free(s);
	d->mode_priv = NULL;
}

/* The privileged parent of the process that syncs keeps no keys. */
static void sync_forget(struct sync_daemon *d)
{
	sync_chans_forget(state(d)->chans);
}

static int sync_rekey(struct sync_daemon *d, const struct sync_keys *k)
{
	return sync_chans_rekey(state(d)->chans, k);
}

static void sync_quiesce(struct sync_daemon *d)
{
	sync_commit_abort(state(d));
}

static int sync_can_resync(struct sync_daemon *d)
{
	return state(d)->int_ct != NULL;
}

/* The traffic of a flow that ended and that we cached (upstream counts
 * it when its internal cache had the flow). */
static void account(struct sync_daemon *d, const struct ct_entry *e)
{
	for (int dir = 0; dir < 2; dir++) {
		if (!(e->set & (dir ? CT_COUNTERS_REPLY : CT_COUNTERS_ORIG)))
			continue;
		d->traffic.bytes += e->counters[dir].bytes;
		d->traffic.packets += e->counters[dir].packets;
	}
}

/* DisableInternalCache: upstream's "internal bypass:" counters. */
static void count_bypass(struct sync_state *s, int exp,
			 enum ct_event_type type, enum sync_origin origin)
{
	if (s->int_ct || origin != SYNC_ORIGIN_NOT_ME)
		return;
	if (type == CT_EVENT_T_NEW)
		(exp ? &s->bypass_exp : &s->bypass)->new_++;
	else if (type == CT_EVENT_T_UPDATE)
		(exp ? &s->bypass_exp : &s->bypass)->upd++;
	else
		(exp ? &s->bypass_exp : &s->bypass)->del++;
}

/* An event that ends what the node injected being the peer's: the flow
 * is gone, or the kernel or another process changed it (the node
 * sends it from now on, as its own). */
static int origin_frees(enum ct_event_type type, enum sync_origin origin)
{
	return type == CT_EVENT_T_DESTROY ? origin != SYNC_ORIGIN_INJECT
					  : origin == SYNC_ORIGIN_NOT_ME;
}

static void sync_ct_event(struct sync_daemon *d, enum ct_event_type type,
			  const struct ct_entry *e, enum sync_origin origin)
{
	struct sync_state *s = state(d);

	if (type == CT_EVENT_T_DESTROY && origin != SYNC_ORIGIN_INJECT &&
	    sync_internal_has(s, e))
		account(d, e);
	if (origin_frees(type, origin))
		sync_inject_forget(s, e, NULL);
	count_bypass(s, 0, type, origin);
	sync_internal_ct_event(s, type, e, origin);
}

static void sync_exp_event(struct sync_daemon *d, enum ct_event_type type,
			   const struct ct_expect *x, enum sync_origin origin)
{
	if (origin_frees(type, origin))
		sync_inject_forget(state(d), NULL, x);
	count_bypass(state(d), 1, type, origin);
	sync_internal_exp_event(state(d), type, x, origin);
}

static void sync_dump_begin(struct sync_daemon *d, int exp)
{
	sync_internal_dump_begin(state(d), exp);
}

static void sync_ct_dump(struct sync_daemon *d, const struct ct_entry *e)
{
	struct sync_state *s = state(d);

	/* what the peer sent is not sent back (unless cached as ours) */
	if (sync_inject_peers(s, e, NULL) && !sync_internal_has(s, e))
		return;
	if (!s->int_ct) {
		/* no internal cache: a bulk send is the kernel table */
		if (!s->dump_populate) {
			sync_tx_entry(s, SYNC_T_CT_NEW, e);
			sync_tx_kick(s);
		}
		return;
	}
	sync_internal_ct_dump(s, e);
}

static void sync_exp_dump(struct sync_daemon *d, const struct ct_expect *x)
{
	if (sync_inject_peers(state(d), NULL, x))
		return;
	sync_internal_exp_dump(state(d), x);
}

static void sync_dump_end(struct sync_daemon *d, int exp, int ok)
{
	struct sync_state *s = state(d);

	if (!s->int_ct) {
		s->dump_populate = 0;
		return;
	}
	sync_internal_dump_end(s, exp, ok);
}

/* FTFW and NOTRACK peers (ours and upstream's) say ALIVE every second
 * when they have nothing else to send: three missed is silence. ALARM
 * peers send refreshes only, and only when they have flows. */
#define HEALTH_SILENCE_USEC	3000000

static int sync_health(struct sync_daemon *d, char *buf, size_t len)
{
	struct sync_state *s = state(d);
	uint64_t quiet = s->heard ? sync_loop_now() - s->heard : 0;
	int n = 0, m;

	if (!s->heard)
		n = snprintf(buf, len, "not ready: the peer has not been "
			     "heard from\n");
	else if (s->sub != &sync_sub_alarm && quiet > HEALTH_SILENCE_USEC)
		n = snprintf(buf, len, "not ready: the peer has not been "
			     "heard from for %llu s\n",
			     (unsigned long long)(quiet / 1000000));
	if (n < 0 || (size_t)n >= len)
		return 0;
	if (s->sub->resyncing && s->sub->resyncing(s)) {
		m = snprintf(buf + n, len - (size_t)n, "not ready: a resync "
			     "from the peer is still running\n");
		if (m > 0 && (size_t)m < len - (size_t)n)
			n += m;
	}
	return n;
}

const struct sync_mode_ops sync_sync_mode = {
	.name = "sync",
	.init = sync_init,
	.fini = sync_fini,
	.ct_event = sync_ct_event,
	.exp_event = sync_exp_event,
	.dump_begin = sync_dump_begin,
	.ct_dump = sync_ct_dump,
	.exp_dump = sync_exp_dump,
	.dump_end = sync_dump_end,
	.request = sync_mode_request,
	.quiesce = sync_quiesce,
	.forget = sync_forget,
	.rekey = sync_rekey,
	.can_resync = sync_can_resync,
	.health = sync_health,
};
