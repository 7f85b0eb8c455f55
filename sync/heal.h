/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Healing after lost messages, shared by NOTRACK and ALARM (neither
 * acknowledges anything): a loss seen in the peer's sequence numbers
 * makes the node ask for a resync itself, a RESYNC with a token in its
 * from/to (upstream sends 0 and ignores them). A peer of ours answers a
 * request by its bulk and then an ACK carrying the token; every external
 * object heard of since the request is then current, and the others
 * (flows that ended while messages were lost) are dropped. An upstream
 * peer never answers with the token: nothing is dropped then. Messages
 * lost while the answer is awaited make it incomplete: nothing is
 * dropped and the request is made again, up to SYNC_HEAL_TRIES times in
 * a row.
 */
#ifndef RAWCT_SYNC_HEAL_H
#define RAWCT_SYNC_HEAL_H

#include <stdint.h>

#include "sync/loop.h"

#define SYNC_HEAL_TRIES	4

struct sync_state;
struct sync_msg_hdr;

struct sync_heal {
	struct sync_loop_timer timer;	/* the answer to our request */
	struct sync_state *s;
	void (*bulk)(struct sync_state *s);	/* what a request gets */
	uint32_t token;			/* of the request unanswered, 0 none */
	uint32_t tokens;		/* the last one given */
	uint8_t tries;			/* requests of this episode */
	uint8_t again;			/* loss while the answer was awaited */
	uint64_t lost_seen;		/* s->rcv_lost when last looked */
};

/* @bulk sends what a peer's request asks for (and is followed by the
 * ACK when the request has a token and @s has an internal cache that is
 * not being filled by the start-up dump). */
void sync_heal_init(struct sync_heal *h, struct sync_state *s,
		    void (*bulk)(struct sync_state *s));
void sync_heal_fini(struct sync_heal *h);

/* -n: a new episode, the peer asked for everything now. */
void sync_heal_request(struct sync_heal *h);

/* A request of ours is not answered yet. */
int sync_heal_pending(const struct sync_heal *h);

/* After a message's sequence was tracked: whether it showed a loss
 * (s->rcv_lost moved), which makes an awaited answer incomplete. */
int sync_heal_lost(struct sync_heal *h);

/* A control message from the peer: a RESYNC request (answered) or the
 * ACK with our token (the stale dropped, or asked again). Returns 1 if
 * it was one of these, 0 otherwise. */
int sync_heal_ctl(struct sync_heal *h, const struct sync_msg_hdr *m);

/* After a message: a loss seen on it while nothing was awaited (@pending
 * as sync_heal_pending said before the message) starts an episode. */
void sync_heal_after(struct sync_heal *h, int lost, int pending);

#endif
