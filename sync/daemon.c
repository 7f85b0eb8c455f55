// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The running conntrackd (see sync/daemon.h): start-up in upstream's
 * order, the control requests every mode shares (kill, flush and resync
 * of the kernel tables, runtime statistics, the JSON statistics), the
 * signals, the systemd watchdog, and shutdown.
 */
#include <errno.h>
#include <stdio.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sync/ctl.h"
#include "sync/daemon.h"
#include "sync/filter.h"
#include "sync/hash.h"
#include "sync/keys.h"
#include "sync/kernel.h"
#include "sync/loop.h"
#include "sync/privsep.h"
#include "sync/report.h"

/* A configuration with neither Stats nor Sync: upstream starts a daemon
 * that only answers the generic requests and ignores the others,
 * uncounted; so do we (sync_daemon_request never passes it one). */
static int idle_request(struct sync_daemon *d, struct sync_client *cl,
			int code)
{
	(void)d;
	(void)cl;
	(void)code;
	return SYNC_REQ_UNKNOWN;
}

static const struct sync_mode_ops idle_mode = {
	.name = "idle",
	.request = idle_request,
};

/* Whole seconds need no more than the coarse clock (the time of the last
 * tick, read without asking the hardware): a Stats-mode event storm
 * stamps a flow per event. */
uint32_t sync_daemon_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) < 0)
		return (uint32_t)(sync_loop_now() / 1000000);
	return (uint32_t)ts.tv_sec;
}

static void stop(struct sync_daemon *d)
{
	d->stopping = 1;
	sync_loop_stop(d->loop);
}

int sync_daemon_load_keys(struct sync_daemon *d, struct sync_keys *k)
{
	struct sync_keys_err err;
	int rc;

	if (!d->conf->sync.auth.on)
		return 1;
	rc = sync_keys_load(d->conf->sync.auth.keyfile, k, &err);
	if (rc < 0)
		sync_log(&d->log, SYNC_LOG_ERR, "key file not reloaded, the "
			 "keys in use stay: %s", err.msg);
	return rc;
}

void sync_daemon_rekey(struct sync_daemon *d, struct sync_keys *k)
{
	const struct sync_frame_key *s = sync_keys_send(k);
	int rc = -ENOENT;

	if (d->mode && d->mode->rekey)
		rc = d->mode->rekey(d, k);
	if (rc == 0)
		sync_log(&d->log, SYNC_LOG_NOTICE, "key file reloaded: %u "
			 "keys, sealing with key %d", k->count, k->send);
	else if (!s)
		sync_log(&d->log, SYNC_LOG_ERR, "key file not reloaded, the "
			 "keys in use stay: %s: no key is marked `send'",
			 d->conf->sync.auth.keyfile);
	else
		sync_log(&d->log, SYNC_LOG_ERR, "key file not reloaded: %s",
			 strerror(-rc));
	sync_keys_free(k);		/* the links have their copy */
}

/* SIGHUP: the logs reopened (logrotate), the key file read again (both
 * ours); the privileged parent does both under privilege separation. */
static void reload(struct sync_daemon *d)
{
	struct sync_keys *k;

	sync_log_reopen(&d->log);
	if (d->privsep || !d->conf->sync.auth.on)
		return;
	k = malloc(sizeof(*k));
	if (!k) {
		sync_log(&d->log, SYNC_LOG_ERR, "key file not reloaded: %s",
			 strerror(ENOMEM));
		return;
	}
	if (sync_daemon_load_keys(d, k) == 0)
		sync_daemon_rekey(d, k);
	free(k);
}

static void on_signal(struct sync_loop *l, int signo, void *arg)
{
	struct sync_daemon *d = arg;

	(void)l;
	if (signo == SIGHUP)
		reload(d);
	else
		stop(d);
}

static void report(struct sync_client *cl, int n, const char *buf,
		   size_t cap)
{
	sync_client_write(cl, buf, (size_t)n < cap ? (size_t)n : cap - 1);
}

static void stats_json(struct sync_daemon *d, struct sync_client *cl)
{
	char buf[1024];
	int n;

	n = sync_report_json_runtime(buf, sizeof(buf),
				     time(NULL) - d->start_time, &d->st,
				     sync_kernel_bufsize(d->kernel),
				     &d->traffic);
	sync_client_write(cl, "{", 1);
	report(cl, n, buf, sizeof(buf));
	if (d->mode != &idle_mode) {
		sync_client_write(cl, ",", 1);
		d->mode->request(d, cl, SYNC_STATS_JSON);
	}
	sync_client_write(cl, "}\n", 2);
}

/* -s health (ours): "ok", or a line per reason the daemon is not ready
 * to be trusted with the table (a backup about to be promoted, or a
 * node a monitoring system watches). */
static void health(struct sync_daemon *d, struct sync_client *cl)
{
	char buf[1024];
	int n = 0;

	if (sync_kernel_busy(d->kernel))
		n = snprintf(buf, sizeof(buf), "not ready: the kernel table "
			     "is still being dumped\n");
	if (d->mode->health)
		n += d->mode->health(d, buf + n, sizeof(buf) - (size_t)n);
	if (n == 0)
		n = snprintf(buf, sizeof(buf), "ok\n");
	report(cl, n, buf, sizeof(buf));
}

static void flush_master(struct sync_daemon *d, unsigned int what)
{
	if (what & SYNC_K_CT) {
		d->st.nl_kernel_table_flush++;
		sync_log(&d->log, SYNC_LOG_NOTICE, "flushing kernel conntrack "
			 "table");
	}
	if ((what & SYNC_K_EXP) && sync_kernel_expect(d->kernel)) {
		d->st.nl_kernel_table_flush++;
		sync_log(&d->log, SYNC_LOG_NOTICE, "flushing kernel expect "
			 "table");
	}
	sync_kernel_flush(d->kernel, what);
}

static void resync_master(struct sync_daemon *d, unsigned int what)
{
	if (!d->mode->dump_end ||
	    (d->mode->can_resync && !d->mode->can_resync(d))) {
		sync_log(&d->log, SYNC_LOG_NOTICE, "resync is unsupported in "
			 "this mode");
		return;
	}
	if (what & SYNC_K_CT) {
		d->st.nl_kernel_table_resync++;
		sync_log(&d->log, SYNC_LOG_NOTICE, "resync with master "
			 "conntrack table");
	}
	if ((what & SYNC_K_EXP) && sync_kernel_expect(d->kernel)) {
		d->st.nl_kernel_table_resync++;
		sync_log(&d->log, SYNC_LOG_NOTICE, "resync with master "
			 "expect table");
	}
	sync_kernel_resync(d->kernel, what);
}

/* The requests every mode shares come first, as in upstream's
 * local_handler and ctnl_local; the mode gets the code afterwards
 * (flush and resync codes too, which it may also act on). */
void sync_daemon_request(struct sync_client *cl, int code, void *arg)
{
	struct sync_daemon *d = arg;
	char buf[2048];
	int shared = 1;

	if (d->ctl) {
		d->st.local_read_failed =
			sync_ctl_stats(d->ctl)->read_failed;
		d->st.local_denied = sync_ctl_stats(d->ctl)->denied;
	}
	switch (code) {
	case SYNC_KILL:
		stop(d);
		return;
	case SYNC_STATS_RUNTIME:
		report(cl, sync_report_runtime(buf, sizeof(buf),
					       time(NULL) - d->start_time,
					       &d->st,
					       sync_kernel_bufsize(d->kernel)),
		       buf, sizeof(buf));
		return;
	case SYNC_STATS_PROCESS:
		return;		/* no child processes: nothing to list */
	case SYNC_STATS_JSON:
		stats_json(d, cl);
		return;
	case SYNC_HEALTH:
		health(d, cl);
		return;
	}
	/* without Stats or Sync (a General section alone) upstream answers
	 * the three above and ignores the rest, uncounted */
	if (d->mode == &idle_mode)
		return;
	switch (code) {
	case SYNC_CT_FLUSH_MASTER:
		flush_master(d, SYNC_K_CT);
		break;
	case SYNC_EXP_FLUSH_MASTER:
		flush_master(d, SYNC_K_EXP);
		break;
	case SYNC_ALL_FLUSH_MASTER:
		flush_master(d, SYNC_K_CT | SYNC_K_EXP);
		break;
	case SYNC_CT_RESYNC_MASTER:
		resync_master(d, SYNC_K_CT);
		break;
	case SYNC_EXP_RESYNC_MASTER:
		resync_master(d, SYNC_K_EXP);
		break;
	case SYNC_ALL_RESYNC_MASTER:
		resync_master(d, SYNC_K_CT | SYNC_K_EXP);
		break;
	default:
		shared = 0;
		break;
	}
	if (d->mode->request(d, cl, code) == SYNC_REQ_UNKNOWN && !shared)
		d->st.local_unknown_request++;
}

/* A refused control client: logged, at most once a second. */
static void daemon_ctl_denied(uint32_t uid, uint32_t gid, int32_t pid,
			      void *arg)
{
	struct sync_daemon *d = arg;
	uint64_t now = sync_loop_now();

	if (d->denied_logged && now - d->denied_logged < 1000000)
		return;
	d->denied_logged = now;
	sync_log(&d->log, SYNC_LOG_WARNING, "control socket: refused a "
		 "client (uid=%u gid=%u pid=%d): neither root nor in the UNIX "
		 "Group (%u refused so far)", uid, gid, pid,
		 sync_ctl_stats(d->ctl)->denied);
}

/* UNIX { Group name }: its members may use the control socket too. */
static int daemon_ctl_group(struct sync_daemon *d)
{
	const char *name = d->conf->unix_group;
	struct group *gr;
	int rc;

	if (!name[0])
		return sync_ctl_restrict(d->ctl, (gid_t)-1, daemon_ctl_denied,
					 d);
	gr = getgrnam(name);
	if (!gr) {
		sync_log(&d->log, SYNC_LOG_ERR, "UNIX Group `%s': no such "
			 "group", name);
		return -ENOENT;
	}
	rc = sync_ctl_restrict(d->ctl, gr->gr_gid, daemon_ctl_denied, d);
	if (rc < 0)
		sync_log(&d->log, SYNC_LOG_ERR, "UNIX Group `%s': %s", name,
			 strerror(-rc));
	return rc;
}

int sync_daemon_init(struct sync_daemon *d, const struct sync_conf *conf)
{
	int rc;

	d->conf = conf;
	d->start_time = time(NULL);
	if (conf->run & SYNC_RUN_SYNC)
		d->mode = &sync_sync_mode;
	else if (conf->run & SYNC_RUN_STATS)
		d->mode = &sync_stats_mode;
	else
		d->mode = &idle_mode;
	rc = sync_hash_seed(d->seed);
	if (rc < 0)
		return rc;
	rc = sync_loop_new(&d->loop);
	if (rc < 0)
		return rc;
	/* before anything a caller can see (the socket file): a signal
	 * from then on is the loop's */
	rc = sync_loop_signal(d->loop, SIGINT, on_signal, d);
	if (rc == 0)
		rc = sync_loop_signal(d->loop, SIGTERM, on_signal, d);
	if (rc == 0)
		rc = sync_loop_signal(d->loop, SIGHUP, on_signal, d);
	if (rc < 0)
		goto err;
	if (conf->filter.set) {
		rc = sync_filter_new(&d->filter, &conf->filter);
		if (rc < 0)
			goto err;
	}
	if (conf->unix_path[0]) {
		rc = sync_ctl_open(&d->ctl, d->loop, conf->unix_path,
				   sync_daemon_request, d);
		if (rc < 0) {
			sync_log(&d->log, SYNC_LOG_ERR, "can't open unix "
				 "socket!");
			goto err;
		}
		rc = daemon_ctl_group(d);
		if (rc < 0)
			goto err;
	} else {
		sync_log(&d->log, SYNC_LOG_WARNING, "no UNIX Path in the "
			 "configuration: this daemon cannot be controlled");
	}
	if (conf->run & (SYNC_RUN_STATS | SYNC_RUN_SYNC)) {
		if ((conf->run & SYNC_RUN_SYNC) && conf->sync.mode_default)
			sync_log(&d->log, SYNC_LOG_WARNING, "No synchronization "
				 "mode specified. Defaulting to FT-FW mode.");
		rc = sync_kernel_open(&d->kernel, d);
		if (rc < 0)
			goto err;
		/* the mode first, as upstream: its log lines come before
		 * the netlink ones */
		rc = d->mode->init(d);
		if (rc < 0) {
			sync_log(&d->log, SYNC_LOG_ERR, "initialization "
				 "failed");
			goto err;
		}
		rc = sync_kernel_start(d->kernel);
		if (rc < 0)
			goto err;
		sync_kernel_resync(d->kernel, SYNC_K_CT | SYNC_K_EXP);
	}
	signal(SIGPIPE, SIG_IGN);
	sync_log(&d->log, SYNC_LOG_NOTICE, "initialization completed");
	return 0;
err:
	sync_daemon_fini(d);
	return rc;
}

void sync_daemon_notify(struct sync_daemon *d, const char *state)
{
	if (!d->conf->systemd)
		return;
	if (!d->privsep) {
		sync_notify_send(&d->notify, state);
		return;
	}
	sync_privsep_notify(d->privsep, !strcmp(state, "READY=1") ?
			    PS_NOTIFY_READY : !strcmp(state, "STOPPING=1") ?
			    PS_NOTIFY_STOPPING : PS_NOTIFY_WATCHDOG);
}

static void watchdog(struct sync_loop *l, void *arg)
{
	struct sync_daemon *d = arg;

	sync_daemon_notify(d, "WATCHDOG=1");
	sync_loop_timer_add(l, &d->watchdog, d->notify.watchdog_usec / 2);
}

int sync_daemon_run(struct sync_daemon *d)
{
	int rc = 0;

	if (!d->privsep)	/* else the child started it, before seccomp */
		sync_kernel_threads(d->kernel);
	sync_loop_timer_init(&d->watchdog, watchdog, d);
	if (d->notify.watchdog_usec)
		sync_loop_timer_add(d->loop, &d->watchdog,
				    d->notify.watchdog_usec / 2);
	while (!d->stopping) {
		rc = sync_loop_run(d->loop);
		if (rc < 0) {
			d->st.select_failed++;
			break;
		}
	}
	sync_loop_timer_del(d->loop, &d->watchdog);
	return rc;
}

void sync_daemon_fini(struct sync_daemon *d)
{
	/* work that holds clients ends first, then the clients (their
	 * producers point into the mode's caches), then the mode */
	if (d->mode && d->mode->quiesce && d->mode_priv)
		d->mode->quiesce(d);
	sync_ctl_close(d->ctl);
	d->ctl = NULL;
	if (d->mode && d->mode->fini)
		d->mode->fini(d);
	sync_kernel_close(d->kernel);
	d->kernel = NULL;
	sync_filter_free(d->filter);
	d->filter = NULL;
	sync_loop_free(d->loop);
	d->loop = NULL;
	sync_privsep_free(d->privsep);
	d->privsep = NULL;
}
