/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The authenticated outer frame around the sync messages of one datagram
 * (or one piece of a TCP stream), and the per-peer replay window.
 * Upstream's sync protocol (sync/msg.h) has no authentication; between
 * two of our daemons configured with keys, every datagram is one frame:
 *
 *    0       4   5   6   7   8       10      12
 *    +-------+---+---+---+---+-------+-------+
 *    | "CTDS"| v | f | k | 0 |  len  |   0   |   v version 1, f flags,
 *    +-------+---+---+---+---+-------+-------+   k key id, len the whole
 *    |        epoch (16)                     |   frame, big-endian
 *    +---------------------------------------+ 28
 *    |        echo (16)                      |
 *    +---------------------------------------+ 44
 *    |        seq (8, big-endian)            |
 *    +---------------------------------------+ 52
 *    |        payload (sync messages)        |   encrypted when flags
 *    +---------------------------------------+   bit 0 is set
 *    |        tag (16)                       |
 *    +---------------------------------------+ len
 *
 * The tag is XChaCha20-Poly1305 (sync/crypto.h) under the key named by
 * the key id, with the nonce epoch || seq (24 bytes). The associated data
 * is the 52-byte header; without encryption the payload is associated
 * data too and the ciphertext is empty, so the tag covers every byte
 * either way.
 *
 * epoch: the sender's boot-time identity, 8 bytes of its CLOCK_REALTIME
 * in microseconds then 8 random bytes; a restarted sender has a greater
 * epoch (later clock) and starts its seq afresh, and since (epoch, seq)
 * never repeats under one key, neither does a nonce. echo: the epoch the
 * sender last saw from its peer (zero if none). The daemon accepts
 * messages only from frames whose echo is its own current epoch, so
 * frames recorded before it restarted cannot be replayed into the new
 * life; that rule is the daemon's, this module gives it the fields.
 * The handshake built on it (sync/auth.h): a frame that does not echo
 * the receiver's epoch delivers nothing and is answered at once with an
 * empty frame; the receiver learns the sender's epoch only from a frame
 * that echoes its own, or from a hello (echo zero) of an epoch younger
 * than its own, so that no recorded frame of an earlier life of either
 * node, nor a node's own frame played back to it, moves the window.
 *
 * Replay window (struct sync_replay, one per peer), the epoch rules:
 *  - no epoch recorded yet: any epoch is accepted (a new peer);
 *  - a frame's epoch equal to the recorded one goes through the window:
 *    a seq above the highest seen is new; one within the 1024 below it is
 *    new unless its bit is set (replayed); further below is too old;
 *  - an epoch greater than the recorded one (16-byte big-endian
 *    comparison: a later clock, the peer restarted) is accepted and,
 *    when committed, replaces the recorded epoch and empties the window;
 *  - a smaller epoch is stale and refused (an old life of the peer).
 * sync_replay_check() decides without changing anything, so it can run
 * before the tag is verified; sync_replay_commit() records the frame
 * once its tag has verified, so forged frames never move the window.
 */
#ifndef RAWCT_SYNC_FRAME_H
#define RAWCT_SYNC_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define SYNC_FRAME_MAGIC	"CTDS"
#define SYNC_FRAME_VERSION	1
#define SYNC_FRAME_HDR_LEN	52
#define SYNC_FRAME_TAG_LEN	16
#define SYNC_FRAME_OVERHEAD	(SYNC_FRAME_HDR_LEN + SYNC_FRAME_TAG_LEN)
#define SYNC_FRAME_MAX		65535	/* the 16-bit length field */
#define SYNC_FRAME_PAYLOAD_MAX	(SYNC_FRAME_MAX - SYNC_FRAME_OVERHEAD)
#define SYNC_FRAME_EPOCH_LEN	16
#define SYNC_FRAME_KEY_LEN	32

/* flags */
#define SYNC_FRAME_F_ENCRYPTED	0x01	/* payload encrypted */
#define SYNC_FRAME_F_ALL	SYNC_FRAME_F_ENCRYPTED

/* One key: its id (in every frame it seals) and its 32 secret bytes. */
struct sync_frame_key {
	uint8_t id;
	uint8_t key[SYNC_FRAME_KEY_LEN];
};

/* A parsed header (host order). Nothing in it is authenticated until
 * sync_frame_open() succeeded. */
struct sync_frame_hdr {
	uint8_t version;
	uint8_t flags;			/* SYNC_FRAME_F_* */
	uint8_t key_id;
	uint16_t len;			/* the whole frame */
	size_t payload_len;		/* len - SYNC_FRAME_OVERHEAD */
	uint8_t epoch[SYNC_FRAME_EPOCH_LEN];
	uint8_t echo[SYNC_FRAME_EPOCH_LEN];
	uint64_t seq;
};

/*
 * sync_frame_seal - writes into @out (@cap bytes) the frame of @len bytes
 * of @payload under @key, with @flags (SYNC_FRAME_F_*), the sender's
 * @epoch, the @echo of the peer's (all zero if none) and @seq, which the
 * caller never repeats within an epoch. @payload may be @out +
 * SYNC_FRAME_HDR_LEN (messages built in place) or must not overlap @out.
 * Returns the frame's length, -EMSGSIZE when it exceeds @cap or
 * SYNC_FRAME_MAX (nothing written), -EINVAL for an unknown flag.
 */
int sync_frame_seal(void *out, size_t cap, const struct sync_frame_key *key,
		    uint8_t flags, const uint8_t epoch[SYNC_FRAME_EPOCH_LEN],
		    const uint8_t echo[SYNC_FRAME_EPOCH_LEN], uint64_t seq,
		    const void *payload, size_t len);

/*
 * sync_frame_peek - parses and checks the header at @buf (@len bytes
 * received) into @h, without cryptography, so that the caller can choose
 * the key by id and check its allow-lists first. Returns 0 when the
 * frame is complete: h->len <= @len (bytes past h->len are the next
 * frame of a stream, or junk that a datagram receiver refuses);
 * -EPROTO when @buf does not start with the magic: not a frame at all
 * (a peer without authentication, or noise); -EBADMSG when it does but
 * the version, a flag, a reserved byte or the length is wrong, or when
 * fewer than h->len bytes are there (h->len is then set once the first
 * 12 bytes are, so a stream reader knows how many to wait for; 0 else).
 */
int sync_frame_peek(const void *buf, size_t len, struct sync_frame_hdr *h);

/*
 * sync_frame_open - verifies the tag of the frame at @buf (@len bytes,
 * which sync_frame_peek() parsed into @h) under @key, in constant time,
 * and writes the payload, decrypted if it was encrypted, into @out: never
 * in place, @buf is not written. *@out_len gives @out's capacity and
 * receives the payload's length. Returns 0; -EBADMSG when the tag does
 * not match (@out then holds zeros where the payload would have gone,
 * never unauthenticated bytes) or @buf does not parse (nothing written);
 * -EINVAL when @h is not the header of @buf or @key's id is not the
 * frame's key id, -EMSGSIZE when @out is too small (nothing written).
 */
int sync_frame_open(const void *buf, size_t len,
		    const struct sync_frame_key *key,
		    const struct sync_frame_hdr *h, void *out, size_t *out_len);

/*
 * sync_frame_epoch_new - a fresh epoch into @epoch: CLOCK_REALTIME in
 * microseconds (8 bytes, big-endian) then 8 random bytes (getrandom).
 * Returns 0 or -errno.
 */
int sync_frame_epoch_new(uint8_t epoch[SYNC_FRAME_EPOCH_LEN]);

/* Compares two epochs as 16-byte big-endian numbers: <0, 0, >0. */
int sync_frame_epoch_cmp(const uint8_t a[SYNC_FRAME_EPOCH_LEN],
			 const uint8_t b[SYNC_FRAME_EPOCH_LEN]);

/* ---- the replay window (sync/replay.c) ------------------------------ */

#define SYNC_REPLAY_WINDOW	1024	/* seqs remembered below the top */
/* one 64-bit word more than the window: the word the top enters is
 * cleared whole without losing a seq still inside the window (RFC 6479) */
#define SYNC_REPLAY_WORDS	(SYNC_REPLAY_WINDOW / 64 + 1)

/* Per peer; zero it (or sync_replay_init()) before use. Plain data. */
struct sync_replay {
	uint8_t has_epoch;		/* 0: nothing recorded yet */
	uint8_t epoch[SYNC_FRAME_EPOCH_LEN];
	uint64_t top;			/* the highest seq committed */
	uint64_t bits[SYNC_REPLAY_WORDS]; /* seq s at bit s mod 64*WORDS */
};

enum sync_replay_verdict {
	SYNC_REPLAY_OK = 0,		/* new seq in the recorded epoch */
	SYNC_REPLAY_NEW_EPOCH,		/* accepted: first frame, or the
					 * peer restarted; commit resets */
	SYNC_REPLAY_REPLAYED,		/* seen already */
	SYNC_REPLAY_TOO_OLD,		/* below the window */
	SYNC_REPLAY_STALE_EPOCH,	/* an older epoch than recorded */
};

/* Forgets everything (as a zeroed struct). */
void sync_replay_init(struct sync_replay *r);

/* Whether a frame of @epoch and @seq would be accepted; changes nothing.
 * OK and NEW_EPOCH accept, the others refuse. */
enum sync_replay_verdict sync_replay_check(const struct sync_replay *r,
		const uint8_t epoch[SYNC_FRAME_EPOCH_LEN], uint64_t seq);

/* Records a frame whose tag verified: checks as sync_replay_check() and,
 * when that accepts, records @epoch (resetting the window if it is new)
 * and @seq. Returns the verdict; a refusal changes nothing. */
enum sync_replay_verdict sync_replay_commit(struct sync_replay *r,
		const uint8_t epoch[SYNC_FRAME_EPOCH_LEN], uint64_t seq);

/* The recorded epoch of the peer, NULL before the first commit (what a
 * sender puts in its frames' echo field). */
const uint8_t *sync_replay_epoch(const struct sync_replay *r);

#endif
