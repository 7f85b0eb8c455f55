// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrackd's Stats mode (spec 2.2, upstream src/stats-mode.c): one
 * cache of the kernel's flows, the traffic of destroyed flows added up,
 * and the flow log of destroyed flows (Stats { LogFile, Syslog }).
 *
 * A resync dump (after an overrun, in polling mode, `-R`) marks what it
 * sees; when it completes, cached flows it did not see are gone from the
 * kernel and are logged and dropped as destroyed ones are (upstream asks
 * the kernel about every cached flow instead, one request each).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ct/format.h"
#include "ct/pack.h"
#include "sync/cache.h"
#include "sync/ctl.h"
#include "sync/daemon.h"
#include "sync/dump.h"
#include "sync/report.h"

/* What the cache keeps of a flow: not its counters, timeout or use,
 * which change all the time (upstream unsets them too). */
#define STATS_FIELDS	(~(uint64_t)(CT_TIMEOUT | CT_USE | CT_COUNTERS_ORIG | \
				     CT_COUNTERS_REPLY | CT_TIMESTAMP_EVENT))

struct stats_mode {
	struct sync_cache *cache;
	uint8_t mark;			/* of the resync running or last */
	/* the cache was flushed since the running dump began: what the rest
	 * of the dump shows is older than the flush (upstream dumps before
	 * it serves a client, so a flush always comes after) */
	uint8_t flushed;
};

static struct stats_mode *priv(struct sync_daemon *d)
{
	return d->mode_priv;
}

static int stats_init(struct sync_daemon *d)
{
	struct stats_mode *s = calloc(1, sizeof(*s));
	struct sync_cache_conf cf = {
		.name = "stats",
		.buckets = d->conf->hash_size,
		.limit = d->conf->hash_limit,
		.log = &d->log,
	};
	int rc;

	if (!s)
		return -ENOMEM;
	memcpy(cf.seed, d->seed, sizeof(cf.seed));
	rc = sync_cache_new(&s->cache, &cf);
	if (rc < 0) {
		sync_log(&d->log, SYNC_LOG_ERR, "can't allocate memory for "
			 "the external cache");
		free(s);
		return rc;
	}
	d->mode_priv = s;
	return 0;
}

static void stats_fini(struct sync_daemon *d)
{
	struct stats_mode *s = priv(d);

	if (!s)
		return;
	sync_cache_free(s->cache);
	free(s);
	d->mode_priv = NULL;
}

/* Adds or refreshes @e; returns the object or NULL (counted). */
static struct sync_cache_obj *stats_put(struct stats_mode *s,
					const struct ct_entry *e, int update)
{
	uint8_t key[CT_KEY_MAX], body[CT_PACK_MAX];
	struct sync_cache_obj *o;
	int klen, blen;
	uint32_t h;

	klen = ct_entry_key(key, e);
	if (klen < 0)
		return NULL;
	/* the bucket comes from memory while the body is packed */
	h = sync_cache_hash(s->cache, key, (size_t)klen);
	sync_cache_prefetch(s->cache, h);
	blen = ct_entry_pack(body, sizeof(body), e, STATS_FIELDS);
	if (blen < 0)
		return NULL;
	o = sync_cache_find_hashed(s->cache, key, (size_t)klen, h);
	if (o && o->status == SYNC_OBJ_DEAD) {
		sync_cache_del(s->cache, o);
		o = NULL;
	}
	if (o) {
		if (update && sync_cache_update(s->cache, o, body,
						(size_t)blen,
						sync_daemon_now()) < 0)
			return NULL;
	} else if (sync_cache_add_hashed(s->cache, h, key, (size_t)klen, body,
					 (size_t)blen, sync_daemon_now(),
					 &o) < 0) {
		return NULL;
	}
	o->mark = s->mark;
	return o;
}

/* Whether destroyed flows are logged (Stats LogFile or Syslog). */
static int flow_logged(const struct sync_daemon *d)
{
	return d->log.flow_fd >= 0 || d->log.flow_syslog >= 0;
}

/* The flow log line of a destroyed flow: upstream's dlog_ct of the
 * event, without its timeout. */
static void stats_log_flow(struct sync_daemon *d, const struct ct_entry *e)
{
	struct ct_fmt_opts fo = { 0 };
	struct ct_entry copy;
	char line[1024];

	if (!flow_logged(d))
		return;
	copy = *e;
	copy.set &= ~(uint64_t)CT_TIMEOUT;
	if (ct_format_default(line, sizeof(line), &copy, &fo) < 0 &&
	    !line[0])
		return;
	sync_log_flow(&d->log, line, 0);
}

static void stats_ct_event(struct sync_daemon *d, enum ct_event_type type,
			   const struct ct_entry *e, enum sync_origin origin)
{
	struct stats_mode *s = priv(d);
	uint8_t key[CT_KEY_MAX];
	struct sync_cache_obj *o;
	int klen;

	(void)origin;
	switch (type) {
	case CT_EVENT_T_NEW:
		stats_put(s, e, 0);
		break;
	case CT_EVENT_T_UPDATE:
		stats_put(s, e, 1);
		break;
	case CT_EVENT_T_DESTROY:
		klen = ct_entry_key(key, e);
		o = klen < 0 ? NULL : sync_cache_find(s->cache, key,
						      (size_t)klen);
		if (!o)
			break;
		sync_cache_del(s->cache, o);
		stats_log_flow(d, e);
		for (int dir = 0; dir < 2; dir++) {
			if (!(e->set & (dir ? CT_COUNTERS_REPLY
					    : CT_COUNTERS_ORIG)))
				continue;
			d->traffic.bytes += e->counters[dir].bytes;
			d->traffic.packets += e->counters[dir].packets;
		}
		break;
	}
}

static void stats_dump_begin(struct sync_daemon *d, int exp)
{
	if (!exp) {
		priv(d)->mark++;
		priv(d)->flushed = 0;
	}
}

static void stats_ct_dump(struct sync_daemon *d, const struct ct_entry *e)
{
	if (!priv(d)->flushed)
		stats_put(priv(d), e, 1);
}

/* After a complete dump: what it did not see is gone. */
static int sweep_obj(struct sync_cache *c, struct sync_cache_obj *o,
		     void *arg)
{
	struct sync_daemon *d = arg;
	struct ct_entry e;

	if (o->mark == priv(d)->mark)
		return 0;
	/* unpacked only to be logged */
	if (flow_logged(d) &&
	    ct_entry_unpack(sync_cache_obj_body(o), o->body_len, &e) == 0)
		stats_log_flow(d, &e);
	sync_cache_del(c, o);
	return 0;
}

static void stats_dump_end(struct sync_daemon *d, int exp, int ok)
{
	uint32_t cursor = 0;

	if (exp || !ok)
		return;
	while (sync_cache_iter(priv(d)->cache, &cursor, UINT32_MAX,
			       sweep_obj, d) == 1)
		;
}

static void stats_report(struct sync_daemon *d, struct sync_client *cl,
			 int ext)
{
	struct sync_cache *c = priv(d)->cache;
	char buf[1024];
	int n;

	if (ext)
		n = sync_report_cache_ext(buf, sizeof(buf), "stats",
					  sync_cache_stats(c),
					  sync_cache_count(c));
	else
		n = sync_report_cache(buf, sizeof(buf), "stats",
				      sync_cache_stats(c));
	sync_client_write(cl, buf, (size_t)n < sizeof(buf) ? (size_t)n
							   : sizeof(buf) - 1);
	if (ext)
		return;
	n = sync_report_traffic(buf, sizeof(buf), &d->traffic);
	sync_client_write(cl, buf, (size_t)n);
}

static int stats_request(struct sync_daemon *d, struct sync_client *cl,
			 int code)
{
	struct sync_dump_opts o = { .now = sync_daemon_now() };

	switch (code) {
	case SYNC_CT_DUMP_INT_XML:
		o.xml = 1;
		/* fall through */
	case SYNC_CT_DUMP_INTERNAL:
		sync_dump_start(cl, priv(d)->cache, &o);
		return SYNC_REQ_DONE;
	case SYNC_ALL_FLUSH_CACHE:	/* upstream ignores it here (spec 5) */
	case SYNC_CT_FLUSH_CACHE:
	case SYNC_CT_FLUSH_INT_CACHE:
		sync_log(&d->log, SYNC_LOG_NOTICE, "flushing caches");
		sync_cache_flush(priv(d)->cache);
		priv(d)->flushed = 1;
		return SYNC_REQ_DONE;
	case SYNC_STATS:
		stats_report(d, cl, 0);
		return SYNC_REQ_DONE;
	case SYNC_STATS_CACHE:
		stats_report(d, cl, 1);
		return SYNC_REQ_DONE;
	case SYNC_STATS_JSON: {
		struct sync_cache *c = priv(d)->cache;
		char buf[1024];
		int n = sync_report_json_cache(buf, sizeof(buf), "stats",
					       sync_cache_stats(c),
					       sync_cache_count(c));

		sync_client_write(cl, "\"caches\":{", 10);
		sync_client_write(cl, buf, (size_t)n);
		sync_client_write(cl, "}", 1);
		return SYNC_REQ_DONE;
	}
	}
	return SYNC_REQ_UNKNOWN;
}

const struct sync_mode_ops sync_stats_mode = {
	.name = "stats",
	.init = stats_init,
	.fini = stats_fini,
	.ct_event = stats_ct_event,
	.dump_begin = stats_dump_begin,
	.ct_dump = stats_ct_dump,
	.dump_end = stats_dump_end,
	.request = stats_request,
};
