/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The authenticated sync between two of our daemons (conntrackd.conf
 * Sync { Authentication { ... } }): the glue between the dedicated links
 * (sync/channel.h) and the frame, its keys and its replay window
 * (sync/frame.h, sync/keys.h). One struct sync_auth per set of links
 * holds the keys, this life's epoch and the next seq to send, the one
 * peer's replay window and what the handshake knows, and the allow-list.
 *
 * Receiving, in this order, each failure counted by its reason and the
 * frame dropped whole (nothing of a refused frame reaches the owner):
 *   1. the sender's address is on the allow-list and the datagram came
 *      in on the link's interface (the transports ask sync_auth_allowed()
 *      before reading a byte of it): NOT_ALLOWED;
 *   2. the header parses and the frame fills the datagram exactly (or is
 *      one whole frame of the TCP stream): MALFORMED, or UNAUTHENTICATED
 *      when the magic is missing (an upstream peer's plain messages);
 *   3. the key id is one of ours: UNKNOWN_KEY;
 *   4. the replay window takes (epoch, seq): REPLAYED (seen, or below the
 *      window), STALE_EPOCH (an older life of the peer);
 *   5. the tag verifies: BAD_TAG; then (epoch, seq) is committed;
 *   6. the echo is our own epoch: the messages are handed over
 *      (ACCEPTED); otherwise the frame only taught us the peer's epoch and
 *      its messages are dropped (HELLO: its echo is zero, the peer never
 *      heard us; STALE_ECHO: it names an earlier life of ours).
 *
 * The handshake. Every frame echoes the epoch we last committed from the
 * peer (zero before any). A node sends an empty frame when its links
 * open, then one a second until a frame of the peer echoes its epoch
 * (established), and answers at once (at most one frame per loop step)
 * any authentic frame whose echo is not its epoch. So two fresh nodes
 * sync within one round trip of the first frame that gets through, and
 * frames recorded before a restart of either side change nothing after
 * it: the restarted node's epoch is new, so no recorded frame echoes it;
 * the peer's window refuses the restarted node's old epoch as stale.
 * When a peer life is first seen echoing us (the handshake completed with
 * a new peer, or with the same peer after our restart), the owner hears
 * of it (SYNC_AUTH_EV_PEER) and sends the peer its whole internal cache,
 * since the messages of the frames sent before may have been dropped.
 *
 * One peer: the echo names one epoch, so a set of links with
 * authentication joins exactly two nodes (all the links' addresses of
 * the other node may be on the allow-list).
 */
#ifndef RAWCT_SYNC_AUTH_H
#define RAWCT_SYNC_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "sync/config.h"
#include "sync/frame.h"
#include "sync/keys.h"

struct sync_auth;

/* What became of a received frame (or datagram); also the index of its
 * counter. The first two take the frame, the others refuse it. */
enum sync_auth_verdict {
	SYNC_AUTH_ACCEPTED = 0,	/* messages handed over */
	SYNC_AUTH_HELLO,	/* authentic, echo zero: messages dropped */
	SYNC_AUTH_STALE_ECHO,	/* authentic, echo an earlier life of ours */
	SYNC_AUTH_BAD_TAG,
	SYNC_AUTH_UNKNOWN_KEY,
	SYNC_AUTH_REPLAYED,	/* seq seen, or below the window */
	SYNC_AUTH_STALE_EPOCH,	/* an older life of the peer */
	SYNC_AUTH_NOT_ALLOWED,	/* address or interface not allowed */
	SYNC_AUTH_MALFORMED,	/* starts with the magic, does not parse */
	SYNC_AUTH_UNAUTHENTICATED, /* plain messages while auth is on */
	SYNC_AUTH_WHILE_OFF,	/* a frame while auth is off */
	SYNC_AUTH_CLEAR,	/* authentic but clear while Encrypt on */
	SYNC_AUTH_V_MAX
};

/* The counters of a set of links, by verdict, kept with auth on or off. */
struct sync_auth_stats {
	uint64_t n[SYNC_AUTH_V_MAX];
	uint64_t peers;		/* handshakes completed (SYNC_AUTH_EV_PEER) */
	uint64_t sent;		/* frames sealed */
};

/* Bits of *@events from sync_auth_open(). */
#define SYNC_AUTH_EV_REPLY	1u	/* send a frame soon: the peer does
					 * not know our epoch */
#define SYNC_AUTH_EV_PEER	2u	/* a peer life echoed us first */

/*
 * sync_auth_new - the state of @conf's Authentication block with @keys
 * (copied; the caller wipes its own) and a fresh epoch. The allow-list is
 * the Peer addresses, or the links' destinations without any. Returns 0
 * and *@out, -EINVAL when @keys has no `send' key, -ENOMEM, or -errno of
 * the epoch's randomness.
 */
int sync_auth_new(struct sync_auth **out, const struct sync_conf *conf,
		  const struct sync_keys *keys);

/*
 * sync_auth_load - sync_auth_new() with the keys of conf's KeyFile
 * (sync_keys_load(): root's, mode 0600 or 0400). Returns as
 * sync_keys_load() or sync_auth_new(); @err says why in one line.
 */
int sync_auth_load(struct sync_auth **out, const struct sync_conf *conf,
		   struct sync_keys_err *err);

/* Wipes the keys and frees; accepts NULL. */
void sync_auth_free(struct sync_auth *a);

/* Wipes the keys but keeps the struct (what a process that forked the
 * one that syncs does with its copy): nothing seals or opens after. */
void sync_auth_forget(struct sync_auth *a);

/*
 * sync_auth_rekey - the keys of a reloaded key file (SIGHUP) replace
 * those in use: frames are sealed with its `send' key from now on, and
 * a peer's frame is opened with the key its id names in the new file.
 * Epochs, sequence numbers and replay windows go on: nothing of a key
 * is in them. Returns 0; -EINVAL when @keys has no `send' key (the keys
 * in use stay); -ENOENT when @a is NULL or its keys were forgotten.
 */
int sync_auth_rekey(struct sync_auth *a, const struct sync_keys *keys);

/* Whether @addr (4 or 16 bytes, network order) of @family is on the
 * allow-list. */
int sync_auth_allowed(const struct sync_auth *a, int family,
		      const void *addr);

/*
 * sync_auth_seal - seals the @len payload bytes at @frame +
 * SYNC_FRAME_HDR_LEN (messages built in place) into the frame at @frame
 * (@cap bytes), with the send key, our epoch, the echo of the peer's and
 * the next seq. Returns the frame's length or -EMSGSIZE, -EINVAL (keys
 * forgotten).
 */
int sync_auth_seal(struct sync_auth *a, uint8_t *frame, size_t cap,
		   size_t len);

/* An empty frame of the handshake (a hello, or an answer): it echoes
 * what the last frame that did not echo us can take (sync_auth_open()).
 * Returns as sync_auth_seal(). */
int sync_auth_seal_hello(struct sync_auth *a, uint8_t *frame, size_t cap);

/*
 * sync_auth_open - steps 2 to 6 above for @len bytes at @buf, which must
 * be exactly one frame. The payload of an ACCEPTED frame is written to
 * @out (*@out_len its capacity, then its length); for any other verdict
 * *@out_len is 0 and nothing that did not authenticate is left in @out.
 * *@events gets SYNC_AUTH_EV_* bits. Returns the verdict; does not count
 * it (sync_auth_count()).
 */
enum sync_auth_verdict sync_auth_open(struct sync_auth *a, const void *buf,
				      size_t len, void *out, size_t *out_len,
				      unsigned int *events);

/* Counts @v in @st. */
void sync_auth_count(struct sync_auth_stats *st, enum sync_auth_verdict v);

/* Whether a frame of the peer echoed our epoch in this life. */
int sync_auth_established(const struct sync_auth *a);

/* Whether the payload is encrypted. */
int sync_auth_encrypts(const struct sync_auth *a);

/* The name -s network prints for @v, and the JSON key. */
const char *sync_auth_name(enum sync_auth_verdict v);
const char *sync_auth_json_name(enum sync_auth_verdict v);

/* Our epoch, and the peer's as last committed (NULL before any). */
const uint8_t *sync_auth_epoch(const struct sync_auth *a);
const uint8_t *sync_auth_peer_epoch(const struct sync_auth *a);

#endif
