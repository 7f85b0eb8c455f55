/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside conntrackd's Sync mode (spec 2.6-2.12), shared by its files and
 * not by other modules:
 *   sync_mode.c   the mode's operations: start, requests, statistics
 *   sync_recv.c   what arrives from the peer: message walk, sequence
 *                 tracking, the external side
 *   internal.c    the internal cache (the local kernel's flows) or, with
 *                 DisableInternalCache, its bypass
 *   bulk.c        bulk sends of it, a client's paced
 *   external.c    the external cache, or direct injection:
 *   inject.c      DisableExternalCache, a batch per payload
 *   commit.c      -c: the external cache into the kernel, step by step
 *   txq.c         the transmit and resend queues, the 1 ms coalescing
 *   ftfw.c, notrack.c, alarm.c   the sub-modes (struct sync_sub)
 *
 * Every object of the internal caches carries a struct sync_txnode at the
 * start of its extra area (what queues link), then what its sub-mode
 * needs (ALARM: a refresh timer). An object lives in its cache while it
 * is alive, and also while DEAD as long as a queue still needs it (its
 * deletion is yet to be sent, or acknowledged in FTFW); sync_obj_done()
 * drops it once nothing does.
 */
#ifndef RAWCT_SYNC_SYNC_INT_H
#define RAWCT_SYNC_SYNC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"
#include "ct/expect.h"
#include "sync/cache.h"
#include "sync/daemon.h"
#include "sync/loop.h"
#include "sync/msg.h"

struct sync_chans;
struct sync_client;
struct nl_sock;
struct sync_state;
struct sync_inject;

/* Where a node is. */
enum { TXQ_NONE = 0, TXQ_TX, TXQ_RS };

/* A queue node: an object's (embedded in its extra area) or a control
 * message's (allocated, struct sync_txctl). */
struct sync_txnode {
	struct sync_txnode *prev, *next;
	uint8_t where;			/* TXQ_* */
	uint8_t ctl;			/* a struct sync_txctl */
	uint8_t exp;			/* object of an expectation cache */
	uint8_t resend;			/* lost from the resend queue: send
					 * again when the peer is back */
	uint32_t seq;			/* sequence it was last sent with */
};

struct sync_txctl {
	struct sync_txnode n;
	uint8_t flags;			/* SYNC_F_* */
	uint32_t from, to;
};

struct sync_txq {
	struct sync_txnode head;	/* circular list */
	uint32_t len;
	uint32_t max;			/* 0: unbounded */
	uint32_t full;			/* "not enough space errors" */
	const char *name;
};

/* A sub-mode: FTFW, NOTRACK, ALARM. */
struct sync_sub {
	const char *name;
	size_t extra;			/* per internal object, after the
					 * sync_txnode */
	uint8_t external_timer;		/* external objects expire (ALARM) */
	uint8_t ctl_unsequenced;	/* control messages take no sequence
					 * number (ALARM: upstream's receiver
					 * does not track them) */
	int (*init)(struct sync_state *s);
	void (*fini)(struct sync_state *s);
	/* requests: -n, -B, -s rsqueue; SYNC_REQ_UNKNOWN if not handled */
	int (*request)(struct sync_state *s, struct sync_client *cl,
		       int code);
	/* a message from the peer, header checked: SYNC_RX_* */
	int (*recv)(struct sync_state *s, const struct sync_msg_hdr *h);
	/* an internal object changed (added, updated, died) */
	void (*enqueue)(struct sync_state *s, struct sync_cache_obj *o);
	/* the start-up dump put an object in the internal cache, which is
	 * not sent (the peer asks for it); may be NULL */
	void (*populated)(struct sync_state *s, struct sync_cache_obj *o);
	/* a node was sent with seq; returns whether it stays queued */
	int (*sent)(struct sync_state *s, struct sync_txnode *n);
	/* flags for the header of a message about to go out */
	uint8_t (*flags)(struct sync_state *s);
	/* an object's extra area is being freed (its node is already out
	 * of the queues); may be NULL */
	void (*release)(struct sync_state *s, struct sync_cache_obj *o);
	/* the transport reconnected or lost messages */
	void (*link_event)(struct sync_state *s, int lost);
	/* after each transmit run */
	void (*after_xmit)(struct sync_state *s);
	/* a resync we asked the peer for is not answered yet (-s health;
	 * may be NULL) */
	int (*resyncing)(struct sync_state *s);
	/* the unacknowledged messages at which a client's bulk waits for
	 * the peer (sync_bulk_acked); NULL or 0: it never does */
	uint32_t (*bulk_window)(const struct sync_state *s);
};

/* What sub->recv says of a message. */
enum { SYNC_RX_DATA, SYNC_RX_CTL, SYNC_RX_DROP, SYNC_RX_BAD };

extern const struct sync_sub sync_sub_ftfw;
extern const struct sync_sub sync_sub_notrack;
extern const struct sync_sub sync_sub_alarm;

/* Commit of the external caches (commit.c). */
struct commit_run;

struct sync_commit {
	uint8_t state;			/* 0 idle, else running */
	uint8_t pass;			/* 0 masters, 1 related flows, 2 exp */
	uint8_t want_exp;		/* expectations after conntracks */
	struct commit_run *run;		/* the creates' batch (commit.c) */
	uint32_t cursor;
	uint32_t ok, fail;		/* this commit's */
	uint64_t start_usec;
	struct sync_client *client;	/* held until done, or NULL */
};

struct sync_inject_stats {
	uint32_t add_ok, add_fail, upd_ok, upd_fail, del_ok, del_fail;
};

struct sync_state {
	struct sync_daemon *d;
	const struct sync_conf *conf;
	const struct sync_sub *sub;
	void *sub_priv;
	struct sync_cache *int_ct, *int_exp;	/* NULL: DisableInternalCache */
	struct sync_cache *ext_ct, *ext_exp;	/* NULL: DisableExternalCache */
	struct sync_chans *chans;
	struct sync_txq tx;
	struct sync_txq rs;			/* FTFW's resend queue */
	struct sync_msg_opts opts;
	struct sync_msg_stats err;
	uint64_t rcv_lost, rcv_before;		/* sequence tracking */
	uint32_t seq_next;			/* to send */
	uint32_t last_seq_recv;
	uint8_t seq_set;
	uint8_t xmit_armed;
	uint8_t dump_mark;			/* resync sweep */
	uint8_t ext_mark;			/* external objects heard of
						 * since the last resync asked
						 * (NOTRACK's healing) */
	uint8_t dump_populate;			/* initial dump: no send */
	/* a cache flushed since the running dump began (by table, [1]:
	 * expectations): the rest of the dump is older than the flush */
	uint8_t dump_flushed[2];
	uint8_t bulk_deferred;			/* asked during it: sent at
						 * its end, whole */
	uint8_t bulk_on;			/* a paced walk is going */
	uint8_t bulk_marked;			/* of the marked objects only */
	uint8_t bulk_again;			/* a marked walk after it */
	uint8_t bulk_shift;			/* its window doubled so often */
	uint8_t bulk_cut;			/* its window halved so often */
	uint8_t bulk_grow;			/* no NACK yet: it grows */
	uint8_t bulk_heard;			/* an ACK during its wait */
	uint8_t bulk_unheld;			/* a wait without: the window
						 * past the resend queue */
	uint32_t bulk_cursor;			/* its next bucket */
	struct sync_loop_timer bulk_timer;	/* its wait for the peer */
	uint64_t heard;				/* usec of the peer's last
						 * valid datagram, 0 never */
	uint64_t last_xmit;			/* usec */
	struct sync_loop_timer xmit_timer;
	struct sync_loop_timer reset_timer;	/* -t, PurgeTimeout */
	struct sync_commit commit;
	struct sync_inject_stats inject;
	struct {
		uint32_t new_, upd, del;
	} bypass, bypass_exp;			/* DisableInternalCache */
	struct sync_inject *inj;		/* DisableExternalCache */
	struct sync_loop_timer ext_sweep;	/* ALARM CacheTimeout */
	uint32_t ext_cursor;
	/* where a transmit run's messages go: NULL, the channels
	 * (sync_chans_send, then sync_chans_flush at the end of the run);
	 * a unit test's capture otherwise, which drives the sub-modes
	 * without sockets */
	void (*out)(struct sync_state *s, const void *msg, size_t len);
	uint8_t buf[SYNC_MSG_MAX];		/* build buffer */
};

/* The extra area of an internal object starts with its node. */
struct sync_txnode *sync_obj_node(struct sync_cache_obj *o);
struct sync_cache_obj *sync_node_obj(struct sync_txnode *n);
/* The sub-mode's part of the extra area. */
void *sync_obj_sub(struct sync_cache_obj *o);

/* txq.c */
void sync_txq_init(struct sync_txq *q, const char *name, uint32_t max);
int sync_txq_add(struct sync_txq *q, struct sync_txnode *n, uint8_t where);
void sync_txq_del(struct sync_txq *q, struct sync_txnode *n);
struct sync_txnode *sync_txq_first(const struct sync_txq *q);
struct sync_txnode *sync_txq_next(const struct sync_txq *q,
				  const struct sync_txnode *n);
/* Takes @n out of the queue it is in (transmit or resend), if any. */
void sync_node_unlink(struct sync_state *s, struct sync_txnode *n);
/* Queue a control message (ACK, NACK, RESYNC with from/to; ALIVE). */
int sync_tx_ctl(struct sync_state *s, uint8_t flags, uint32_t from,
		uint32_t to);
/* Queue an internal object for sending; moves it from wherever it is. */
void sync_tx_obj(struct sync_state *s, struct sync_cache_obj *o);
/* Make sure a transmit run happens soon (at most 1 ms later in bursts). */
void sync_tx_kick(struct sync_state *s);
/* Send what is queued now. */
void sync_tx_run(struct sync_state *s);
/* The messages of what is queued now into the channel, whose last
 * datagram is left unsent (for the run that follows to fill): a bulk
 * send builds each slice of the cache while it is still in the CPU's
 * cache. */
void sync_tx_drain(struct sync_state *s);
/* No more runs: the pending step and timer are cancelled. */
void sync_tx_stop(struct sync_state *s);
/* Builds and sends one message straight away (bypass, kernel resync). */
int sync_tx_entry(struct sync_state *s, enum sync_msg_type type,
		  const struct ct_entry *e);
int sync_tx_expect(struct sync_state *s, enum sync_msg_type type,
		   const struct ct_expect *x);
/* An internal object no queue needs anymore: dropped if DEAD. */
void sync_obj_done(struct sync_state *s, struct sync_cache_obj *o);
/* Frees a control node. */
void sync_txctl_free(struct sync_txnode *n);

/* internal.c */
int sync_internal_init(struct sync_state *s);
void sync_internal_fini(struct sync_state *s);
void sync_internal_ct_event(struct sync_state *s, enum ct_event_type type,
			    const struct ct_entry *e, enum sync_origin origin);
void sync_internal_exp_event(struct sync_state *s, enum ct_event_type type,
			     const struct ct_expect *x,
			     enum sync_origin origin);
void sync_internal_dump_begin(struct sync_state *s, int exp);
void sync_internal_ct_dump(struct sync_state *s, const struct ct_entry *e);
void sync_internal_exp_dump(struct sync_state *s, const struct ct_expect *x);
void sync_internal_dump_end(struct sync_state *s, int exp, int ok);
void sync_internal_flush(struct sync_state *s, int exp);
/* Whether the internal cache holds the flow of @e. */
int sync_internal_has(struct sync_state *s, const struct ct_entry *e);

/* bulk.c */
/* Every internal object goes again (a peer's resync request, a NACK for
 * what fell out, a link event): with a sub->bulk_window, paced as
 * sync_bulk_paced; else queued for the next transmit run. A walk still
 * going is overtaken. */
void sync_internal_bulk(struct sync_state *s);
/* The same for a client's -B, paced: the conntrack cache sent slice by
 * slice as it is queued, waiting while sub->bulk_window messages are
 * unacknowledged (without a window, all at once). */
void sync_bulk_paced(struct sync_state *s);
/* The objects whose node is marked resend go again (and are unmarked),
 * as sync_internal_bulk sends; after the walk going, if any. */
void sync_bulk_marked(struct sync_state *s);
/* The peer acknowledged messages: a paced bulk waiting for that goes on
 * (in a loop step) once fewer than half its window are left. */
void sync_bulk_acked(struct sync_state *s);
/* The peer NACKed messages: a paced walk going halves its window. */
void sync_bulk_nacked(struct sync_state *s);
/* A paced bulk still going stops where it is. */
void sync_bulk_stop(struct sync_state *s);

/* external.c */
int sync_external_init(struct sync_state *s);
void sync_external_fini(struct sync_state *s);
/* A data message from the peer (type CT_* or EXP_*), received at @now
 * (sync_daemon_now(): one clock read per datagram, not per message). */
void sync_external_msg(struct sync_state *s, const struct sync_msg_hdr *h,
		       const void *msg, uint32_t now);
void sync_external_flush(struct sync_state *s, int exp);
/* Deletes the external objects not heard of since s->ext_mark was
 * last changed (what a complete resync did not bring); their number. */
unsigned int sync_external_sweep(struct sync_state *s);
/* A flow from the peer made ready for the kernel: CommitTimeout, no
 * IPS_EXPECTED, TCP window tracking off unless TCPWindowTracking, ports
 * (GRE keys) the peer left out as zeros, the reply tuple without the NAT
 * (the kernel redoes it from CTA_NAT_*). @seen (may be NULL) gets the
 * flow as the kernel will tell it: all that but the reply's NAT undone. */
void sync_external_prepare(struct sync_state *s, struct ct_entry *e,
			   struct ct_entry *seen);

/* inject.c: DisableExternalCache (no-ops when nothing was opened) */
int sync_inject_init(struct sync_state *s);
void sync_inject_fini(struct sync_state *s);
/* Queues data message @msg (@len bytes, which stay where they are until
 * sync_inject_end), its flow @e made ready (sync_external_prepare);
 * @kind 0 new, 1 update, 2 delete. */
void sync_inject_ct(struct sync_state *s, int kind, const struct ct_entry *e,
		    const void *msg, uint16_t len);
/* An expectation, at once, after what is queued. */
void sync_inject_exp(struct sync_state *s, int kind, struct ct_expect *x);
/* Sends what is queued, then does what the kernel refused again, one
 * request at a time: at the end of every received payload. */
void sync_inject_end(struct sync_state *s);
/* Whether flow @e (or expectation @x, the other NULL) is one the node
 * injected and has not taken for its own since: the peer's. */
int sync_inject_peers(struct sync_state *s, const struct ct_entry *e,
		      const struct ct_expect *x);
/* It is gone from the kernel, or the node's own from now on. */
void sync_inject_forget(struct sync_state *s, const struct ct_entry *e,
			const struct ct_expect *x);
/* -R: every flow (@what SYNC_K_CT) or expectation (SYNC_K_EXP) in the
 * kernel is the node's own. */
void sync_inject_disown(struct sync_state *s, unsigned int what);

/* commit.c */
/* Starts committing (@what: SYNC_K_CT, SYNC_K_EXP bits) for client @cl
 * (held until done; may be NULL). Returns 0, or -EBUSY. */
int sync_commit_start(struct sync_state *s, struct sync_client *cl,
		      unsigned int what);
int sync_commit_busy(const struct sync_state *s);
void sync_commit_abort(struct sync_state *s);

/* sync_req.c: the control requests of the Sync mode */
int sync_mode_request(struct sync_daemon *d, struct sync_client *cl,
		      int code);
void sync_mode_reset_timer(struct sync_state *s, int cancel);

/* sync_recv.c */
void sync_recv_payload(struct sync_chans *m, unsigned int idx,
		       const void *buf, size_t len, void *arg);
/* Upstream's sequence tracking of what the peer sends. */
enum { SYNC_SEQ_UNSET, SYNC_SEQ_IN_SYNC, SYNC_SEQ_AFTER, SYNC_SEQ_BEFORE };
int sync_seq_track(struct sync_state *s, uint32_t seq);
void sync_seq_update(struct sync_state *s, uint32_t seq);

/* Serial-number order: @a comes before @b (wraparound-safe). */
int sync_seq_before(uint32_t a, uint32_t b);

/* The internal object's message type from its status. */
enum sync_msg_type sync_obj_type(const struct sync_cache_obj *o, int exp);

#endif
