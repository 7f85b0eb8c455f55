// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control requests of the Sync mode (upstream sync-mode.c
 * local_handler_sync and the statistics it prints): cache dumps, commit,
 * flushes of the caches, the scheduled kernel flush (-t), the statistics
 * sections; -n, -B and -s rsqueue go to the sub-mode.
 *
 * Fixed on purpose (spec 5): a finished commit never refuses a later
 * flush (upstream's bookkeeping does, after a one-step commit), and -c
 * also commits expectations.
 */
#include <stdio.h>
#include <string.h>

#include "sync/channel.h"
#include "sync/ctl.h"
#include "sync/dump.h"
#include "sync/kdump.h"
#include "sync/kernel.h"
#include "sync/report.h"
#include "sync/sync_int.h"

static struct sync_state *state(struct sync_daemon *d)
{
	return d->mode_priv;
}

static void put(struct sync_client *cl, const char *buf, int n, size_t cap)
{
	sync_client_write(cl, buf, (size_t)n < cap ? (size_t)n : cap - 1);
}

/* ALARM's " [expires in Ns]" of an external flow. */
static int expires(const struct sync_cache_obj *o, char *buf, size_t len,
		   void *arg)
{
	struct sync_state *s = arg;
	uint32_t age = sync_daemon_now() - o->lastupdate;
	long left = (long)s->conf->sync.cache_timeout - (long)age;

	return snprintf(buf, len, " [expires in %lds]", left < 0 ? 0 : left);
}

static void dump(struct sync_state *s, struct sync_client *cl, int ext,
		 int exp, int xml)
{
	struct sync_dump_opts o = {
		.exp = (uint8_t)exp,
		.xml = (uint8_t)xml,
		.hide_dead = s->sub == &sync_sub_ftfw,
		.now = sync_daemon_now(),
	};
	struct sync_cache *c;

	if (!ext && !s->int_ct) {
		/* DisableInternalCache: the kernel's table */
		sync_kdump_start(cl, s->d, exp);
		return;
	}
	if (ext) {
		c = exp ? s->ext_exp : s->ext_ct;
		o.no_reply = 1;
		if (s->sub->external_timer) {
			o.suffix = expires;
			o.arg = s;
		}
	} else {
		c = exp ? s->int_exp : s->int_ct;
	}
	if (c)
		sync_dump_start(cl, c, &o);
}

/* one cache's block of -s (ext: of -s cache, with its object count) */
static void cache_block(struct sync_client *cl, const char *name,
			struct sync_cache *c, int ext)
{
	char buf[1024];
	int n = ext ? sync_report_cache_ext(buf, sizeof(buf), name,
					    sync_cache_stats(c),
					    sync_cache_count(c))
		: sync_report_cache(buf, sizeof(buf), name,
				    sync_cache_stats(c));

	put(cl, buf, n, sizeof(buf));
}

static void cache_stats(struct sync_state *s, struct sync_client *cl,
			int exp, int ext)
{
	struct sync_cache *ic = exp ? s->int_exp : s->int_ct;
	struct sync_cache *ec = exp ? s->ext_exp : s->ext_ct;
	char buf[1024];
	int n;

	if (ic) {
		cache_block(cl, "internal", ic, ext);
	} else {
		/* upstream's bypass and injection print the same block for
		 * -s and -s cache */
		n = snprintf(buf, sizeof(buf), "internal bypass:\n"
			     "connections new:\t\t%12u\n"
			     "connections updated:\t\t%12u\n"
			     "connections destroyed:\t\t%12u\n\n",
			     exp ? s->bypass_exp.new_ : s->bypass.new_,
			     exp ? s->bypass_exp.upd : s->bypass.upd,
			     exp ? s->bypass_exp.del : s->bypass.del);
		put(cl, buf, n, sizeof(buf));
	}
	if (ec) {
		cache_block(cl, "external", ec, ext);
	} else {
		n = snprintf(buf, sizeof(buf), "external inject:\n"
			     "connections created:\t\t%12u\tfailed:\t%12u\n"
			     "connections updated:\t\t%12u\tfailed:\t%12u\n"
			     "connections destroyed:\t\t%12u\tfailed:\t%12u\n\n",
			     s->inject.add_ok, s->inject.add_fail,
			     s->inject.upd_ok, s->inject.upd_fail,
			     s->inject.del_ok, s->inject.del_fail);
		put(cl, buf, n, sizeof(buf));
	}
}

static void chans_block(struct sync_state *s, struct sync_client *cl)
{
	char buf[2048];
	int n = sync_chans_report(s->chans, buf, sizeof(buf));

	put(cl, buf, n, sizeof(buf));
}

static void stats(struct sync_state *s, struct sync_client *cl, int exp)
{
	char buf[512];
	int n;

	cache_stats(s, cl, exp, 0);
	n = sync_report_traffic(buf, sizeof(buf), &s->d->traffic);
	put(cl, buf, n, sizeof(buf));
	chans_block(s, cl);
	n = snprintf(buf, sizeof(buf), "message tracking:\n"
		     "%20llu Malformed msgs %20llu Lost msgs\n\n",
		     (unsigned long long)s->err.rcv_malformed,
		     (unsigned long long)s->rcv_lost);
	put(cl, buf, n, sizeof(buf));
}

static void stats_network(struct sync_state *s, struct sync_client *cl)
{
	const struct sync_msg_stats *e = &s->err;
	char buf[2048];
	int n;

	n = snprintf(buf, sizeof(buf), "network statistics:\n"
		     "\trecv:\n"
		     "\t\tMalformed messages:\t%20llu\n"
		     "\t\tWrong protocol version:\t%20u\n"
		     "\t\tMalformed header:\t%20u\n"
		     "\t\tMalformed payload:\t%20u\n"
		     "\t\tBad message type:\t%20u\n"
		     "\t\tTruncated message:\t%20u\n"
		     "\t\tBad message size:\t%20u\n"
		     "\tsend:\n"
		     "\t\tMalformed messages:\t%20u\n\n"
		     "sequence tracking statistics:\n"
		     "\trecv:\n"
		     "\t\tPackets lost:\t\t%20llu\n"
		     "\t\tPackets before:\t\t%20llu\n\n",
		     (unsigned long long)e->rcv_malformed, e->rcv_bad_version,
		     e->rcv_bad_header, e->rcv_bad_payload, e->rcv_bad_type,
		     e->rcv_truncated, e->rcv_bad_size, e->snd_malformed,
		     (unsigned long long)s->rcv_lost,
		     (unsigned long long)s->rcv_before);
	put(cl, buf, n, sizeof(buf));
	chans_block(s, cl);
	n = sync_chans_report_auth(s->chans, buf, sizeof(buf));
	put(cl, buf, n, sizeof(buf));
}

static void queue_block(struct sync_client *cl, const char *name,
			uint32_t cur, uint32_t max, uint32_t full)
{
	sync_client_printf(cl, "queue %s:\n"
			   "current elements:\t\t%12u\n"
			   "maximum elements:\t\t%12u\n"
			   "not enough space errors:\t%12u\n\n",
			   name, cur, max, full);
}

/* Control messages queued: upstream's "allocated queue nodes" counts
 * the nodes it allocates, which are those (an object's node is part of
 * the object). */
static uint32_t ctl_nodes(const struct sync_txq *q)
{
	const struct sync_txnode *n;
	uint32_t c = 0;

	for (n = sync_txq_first(q); n; n = sync_txq_next(q, n))
		c += n->ctl;
	return c;
}

/* -s queue: upstream's queues in its order. Its errorq holds what the
 * TCP link could not send; ours is a backlog bounded in bytes, which
 * has no elements to count, so only its overflows show here. */
static void stats_queue(struct sync_state *s, struct sync_client *cl)
{
	uint32_t lost = 0;

	for (unsigned int i = 0; i < sync_chans_count(s->chans); i++)
		lost += (uint32_t)sync_chans_stats(s->chans, i)->backlog_overflow;
	sync_client_printf(cl, "allocated queue nodes:\t\t%12u\n\n",
			   ctl_nodes(&s->tx) + ctl_nodes(&s->rs));
	queue_block(cl, "txqueue", s->tx.len, 2147483647, s->tx.full);
	queue_block(cl, "errorq", 0, s->conf->sync.chan[0].errq_len, lost);
	if (s->sub == &sync_sub_ftfw)
		queue_block(cl, "rsqueue", s->rs.len, s->rs.max, s->rs.full);
}

static void stats_link(struct sync_state *s, struct sync_client *cl)
{
	char buf[4096];
	int n = sync_chans_report_link(s->chans, buf, sizeof(buf));

	put(cl, buf, n, sizeof(buf));
}

static void stats_json(struct sync_state *s, struct sync_client *cl)
{
	char buf[1024], links[SYNC_CONF_CHAN_MAX * 640];
	int n, first = 1;
	struct {
		const char *name;
		struct sync_cache *c;
	} caches[] = {
		{ "internal", s->int_ct }, { "external", s->ext_ct },
		{ "internal_expect", s->int_exp },
		{ "external_expect", s->ext_exp },
	};

	sync_client_write(cl, "\"caches\":{", 10);
	for (size_t i = 0; i < sizeof(caches) / sizeof(caches[0]); i++) {
		if (!caches[i].c)
			continue;
		if (!first)
			sync_client_write(cl, ",", 1);
		first = 0;
		n = sync_report_json_cache(buf, sizeof(buf), caches[i].name,
					   sync_cache_stats(caches[i].c),
					   sync_cache_count(caches[i].c));
		put(cl, buf, n, sizeof(buf));
	}
	sync_client_printf(cl, "},\"sync\":{\"mode\":\"%s\","
			   "\"malformed\":%llu,\"bad_version\":%u,"
			   "\"bad_header\":%u,\"bad_payload\":%u,"
			   "\"bad_type\":%u,\"truncated\":%u,\"bad_size\":%u,"
			   "\"send_malformed\":%u,\"lost\":%llu,"
			   "\"before\":%llu,\"txqueue\":%u,\"rsqueue\":%u",
			   s->sub->name,
			   (unsigned long long)s->err.rcv_malformed,
			   s->err.rcv_bad_version, s->err.rcv_bad_header,
			   s->err.rcv_bad_payload, s->err.rcv_bad_type,
			   s->err.rcv_truncated, s->err.rcv_bad_size,
			   s->err.snd_malformed,
			   (unsigned long long)s->rcv_lost,
			   (unsigned long long)s->rcv_before, s->tx.len,
			   s->rs.len);
	/* ours: "auth" and "links" inside "sync" (before its closing
	 * brace) */
	n = sync_chans_report_auth_json(s->chans, buf, sizeof(buf));
	sync_client_printf(cl, ",\"auth\":%.*s", n < (int)sizeof(buf) ?
			   n : (int)sizeof(buf) - 1, buf);
	n = sync_chans_report_json(s->chans, links, sizeof(links));
	sync_client_printf(cl, ",\"links\":%.*s}", n < (int)sizeof(links) ?
			   n : (int)sizeof(links) - 1, links);
}

void sync_mode_reset_timer(struct sync_state *s, int cancel)
{
	sync_loop_timer_del(s->d->loop, &s->reset_timer);
	if (cancel)
		return;
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "flushing conntrack table in "
		 "%u secs", s->conf->sync.purge_timeout);
	sync_loop_timer_add(s->d->loop, &s->reset_timer,
			    (uint64_t)s->conf->sync.purge_timeout * 1000000);
}

/* Flushes the caches; @what: 1 internal, 2 external, 3 both; @exp too.
 * A flush of the internal cache cancels a pending -t, as upstream's
 * (the external one alone does not). */
static void flush(struct sync_state *s, unsigned int what, int exp,
		  const char *msg)
{
	if ((what & 2) && sync_commit_busy(s)) {
		sync_log(&s->d->log, SYNC_LOG_ERR, "ignoring flush command, "
			 "commit still in progress");
		return;
	}
	if (what & 1)
		sync_mode_reset_timer(s, 1);
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "%s", msg);
	for (int e = 0; e <= exp; e++) {
		if (what & 1)
			sync_internal_flush(s, e);
		if (what & 2)
			sync_external_flush(s, e);
	}
}

static void commit(struct sync_state *s, struct sync_client *cl,
		   unsigned int what, const char *msg)
{
	sync_log(&s->d->log, SYNC_LOG_NOTICE, "%s", msg);
	sync_mode_reset_timer(s, 1);
	if (!s->ext_ct)
		return;		/* injected already: nothing to commit */
	sync_commit_start(s, cl, what);
}

int sync_mode_request(struct sync_daemon *d, struct sync_client *cl,
		      int code)
{
	struct sync_state *s = state(d);
	int exp = sync_kernel_expect(d->kernel);

	switch (code) {
	case SYNC_CT_DUMP_INTERNAL:
	case SYNC_CT_DUMP_INT_XML:
		dump(s, cl, 0, 0, code == SYNC_CT_DUMP_INT_XML);
		break;
	case SYNC_CT_DUMP_EXTERNAL:
	case SYNC_CT_DUMP_EXT_XML:
		dump(s, cl, 1, 0, code == SYNC_CT_DUMP_EXT_XML);
		break;
	case SYNC_EXP_DUMP_INTERNAL:
	case SYNC_EXP_DUMP_INT_XML:
		if (exp)
			dump(s, cl, 0, 1, code == SYNC_EXP_DUMP_INT_XML);
		break;
	case SYNC_EXP_DUMP_EXTERNAL:
	case SYNC_EXP_DUMP_EXT_XML:
		if (exp)
			dump(s, cl, 1, 1, code == SYNC_EXP_DUMP_EXT_XML);
		break;
	case SYNC_CT_COMMIT:
		commit(s, cl, SYNC_K_CT, "committing conntrack cache");
		break;
	case SYNC_EXP_COMMIT:
		if (exp)
			commit(s, cl, SYNC_K_EXP, "committing expectation "
			       "cache");
		break;
	case SYNC_ALL_COMMIT:
		commit(s, cl, SYNC_K_CT | SYNC_K_EXP, "committing all "
		       "external caches");
		break;
	case SYNC_RESET_TIMERS:
		if (!sync_loop_timer_pending(&s->reset_timer))
			sync_mode_reset_timer(s, 0);
		break;
	case SYNC_CT_FLUSH_CACHE:
		flush(s, 3, 0, "flushing caches");
		break;
	case SYNC_CT_FLUSH_INT_CACHE:
		flush(s, 1, 0, "flushing internal cache");
		break;
	case SYNC_CT_FLUSH_EXT_CACHE:
		flush(s, 2, 0, "flushing external cache");
		break;
	case SYNC_ALL_FLUSH_CACHE:
		flush(s, 3, exp, "flushing caches");
		break;
	case SYNC_STATS:
		stats(s, cl, 0);
		break;
	case SYNC_EXP_STATS:
		if (exp)
			stats(s, cl, 1);
		break;
	case SYNC_STATS_NETWORK:
		stats_network(s, cl);
		break;
	case SYNC_STATS_CACHE:
		cache_stats(s, cl, 0, 1);
		break;
	case SYNC_STATS_LINK:
		stats_link(s, cl);
		break;
	case SYNC_STATS_QUEUE:
		stats_queue(s, cl);
		break;
	case SYNC_STATS_JSON:
		stats_json(s, cl);
		break;
	case SYNC_CT_RESYNC_MASTER:
	case SYNC_EXP_RESYNC_MASTER:
	case SYNC_ALL_RESYNC_MASTER:
		/* the failover script's -R: what was injected is ours */
		sync_inject_disown(s, code == SYNC_CT_RESYNC_MASTER ? SYNC_K_CT :
				   code == SYNC_EXP_RESYNC_MASTER ? SYNC_K_EXP :
				   SYNC_K_CT | SYNC_K_EXP);
		return s->sub->request(s, cl, code);
	default:
		return s->sub->request(s, cl, code);
	}
	return SYNC_REQ_DONE;
}
