/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The running conntrackd: one struct that owns everything the daemon has
 * open (loop, log, lock, kernel side, control socket, filter, the mode's
 * state) and the runtime counters that `-s runtime` prints, and the
 * interface of its modes. A mode (Stats, Sync) is a table of operations
 * chosen once from the configuration; the kernel side hands it the flows
 * it sees and the control socket the requests it does not answer itself.
 */
#ifndef RAWCT_SYNC_DAEMON_H
#define RAWCT_SYNC_DAEMON_H

#include <stdint.h>

#include "ct/entry.h"
#include "ct/event.h"
#include "ct/expect.h"
#include "sync/config.h"
#include "sync/log.h"
#include "sync/loop.h"
#include "sync/process.h"

struct sync_ctl;
struct sync_client;
struct sync_kernel;
struct sync_filter;
struct sync_daemon;
struct sync_privsep;
struct sync_keys;

/* Where a kernel event comes from (upstream's origin types). */
enum sync_origin {
	SYNC_ORIGIN_NOT_ME = 0,	/* the kernel itself or another process */
	SYNC_ORIGIN_FLUSH,	/* our -F / -t / PurgeTimeout deletes */
	SYNC_ORIGIN_COMMIT,	/* our commit of the external cache */
	SYNC_ORIGIN_INJECT,	/* our direct injection (no external cache) */
};

/* What a request handler did with a control request. */
enum {
	SYNC_REQ_UNKNOWN = 0,	/* not for this mode */
	SYNC_REQ_DONE,		/* answered (or started, for producers) */
};

struct sync_mode_ops {
	const char *name;
	/* after the kernel side is open, before the initial dump */
	int (*init)(struct sync_daemon *d);
	void (*fini)(struct sync_daemon *d);
	/* a conntrack event that passed the filter */
	void (*ct_event)(struct sync_daemon *d, enum ct_event_type type,
			 const struct ct_entry *e, enum sync_origin origin);
	/* an expectation event (only with ExpectationSync) */
	void (*exp_event)(struct sync_daemon *d, enum ct_event_type type,
			  const struct ct_expect *x, enum sync_origin origin);
	/* a dump of the kernel table: begin, each entry that passed the
	 * filter, end (@ok: the dump completed, so what it did not show
	 * is gone from the kernel) */
	void (*dump_begin)(struct sync_daemon *d, int exp);
	void (*ct_dump)(struct sync_daemon *d, const struct ct_entry *e);
	void (*exp_dump)(struct sync_daemon *d, const struct ct_expect *x);
	void (*dump_end)(struct sync_daemon *d, int exp, int ok);
	/* a control request the daemon core does not answer itself */
	int (*request)(struct sync_daemon *d, struct sync_client *cl,
		       int code);
	/* shutdown begins: end work that holds clients (may be NULL) */
	void (*quiesce)(struct sync_daemon *d);
	/* in the privileged parent after the fork: wipe the secrets only
	 * the child uses (may be NULL) */
	void (*forget)(struct sync_daemon *d);
	/* the keys of a reloaded key file (may be NULL): 0 or -errno */
	int (*rekey)(struct sync_daemon *d, const struct sync_keys *k);
	/* whether -R and overrun resyncs are possible (NULL: yes) */
	int (*can_resync)(struct sync_daemon *d);
	/* -s health: why the mode is not ready, "not ready: ...\n" lines
	 * into @buf (@len bytes), or nothing; the length (may be NULL) */
	int (*health)(struct sync_daemon *d, char *buf, size_t len);
};

extern const struct sync_mode_ops sync_stats_mode;
extern const struct sync_mode_ops sync_sync_mode;

/* `-s runtime` counters, upstream's names. */
struct sync_runtime_stats {
	uint64_t nl_events_received;
	uint64_t nl_events_filtered;
	uint32_t nl_events_unknown_type;
	uint32_t nl_catch_event_failed;
	uint32_t nl_dump_unknown_type;
	uint32_t nl_overrun;
	uint32_t nl_kernel_table_flush;
	uint32_t nl_kernel_table_resync;
	uint32_t select_failed;
	uint32_t local_read_failed;
	uint32_t local_unknown_request;
	uint32_t local_denied;		/* ours: refused control clients */
};

/* `traffic processed` (destroyed flows' counters, both directions). */
struct sync_traffic {
	uint64_t bytes, packets;
};

struct sync_daemon {
	const struct sync_conf *conf;
	struct sync_loop *loop;
	struct sync_log log;
	struct sync_lock lock;
	struct sync_notify notify;
	struct sync_filter *filter;
	struct sync_kernel *kernel;
	struct sync_ctl *ctl;
	const struct sync_mode_ops *mode;
	void *mode_priv;
	uint8_t seed[16];		/* hash key of every table */
	int64_t start_time;		/* time(NULL) at start */
	int daemonized;			/* -d */
	int stopping;
	struct sync_loop_timer watchdog;	/* WATCHDOG=1 every usec/2 */
	uint64_t denied_logged;		/* last refused client logged */
	struct sync_privsep *privsep;	/* the unprivileged child's link to
					 * its parent, NULL without */
	struct sync_runtime_stats st;
	struct sync_traffic traffic;
};

/*
 * sync_daemon_init - everything before the loop runs: the hash seed, the
 * loop, the filter, the control socket, the kernel side (event socket
 * first, then the initial dump, which proceeds step by step once the loop
 * runs) and the mode. The log and the lock are the caller's (cmd/). On
 * failure everything opened here is closed again and -errno returned
 * (the reason has been logged).
 */
int sync_daemon_init(struct sync_daemon *d, const struct sync_conf *conf);

/* Runs the loop until a signal or `-k` stops it. Returns 0 or -errno. */
int sync_daemon_run(struct sync_daemon *d);

/* Closes what sync_daemon_init opened (control socket file unlinked). */
void sync_daemon_fini(struct sync_daemon *d);

/* One control request (the sync_ctl_request_cb of the daemon's control
 * socket; @arg is the daemon): the shared requests, then the mode's;
 * unknown codes are counted (`-s runtime` local unknown request). */
void sync_daemon_request(struct sync_client *cl, int code, void *arg);

/* Tells systemd @state ("READY=1", ...): through the privileged parent
 * when separated, else directly; nothing without `Systemd on'. */
void sync_daemon_notify(struct sync_daemon *d, const char *state);

/*
 * Key rotation without a restart (SIGHUP, ours): sync_daemon_load_keys
 * reads the configured key file into @k (as root: the unprivileged
 * process cannot open it) and returns 0, or -errno with the reason
 * logged; 1 when authentication is off (nothing read). sync_daemon_rekey
 * puts @k in use in the links, logs what happened (on failure the keys
 * in use stay) and wipes @k.
 */
int sync_daemon_load_keys(struct sync_daemon *d, struct sync_keys *k);
void sync_daemon_rekey(struct sync_daemon *d, struct sync_keys *k);

/* Monotonic seconds for cache timestamps (lifetime, lastupdate). */
uint32_t sync_daemon_now(void);

#endif
