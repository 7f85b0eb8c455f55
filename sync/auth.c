// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The authenticated sync's state and rules (sync/auth.h): sealing with
 * the send key, this life's epoch and the echo of the peer's; opening in
 * the order that keeps cryptography behind the cheap checks and the
 * replay window behind the tag; the handshake's echo rule; the counters'
 * names (sync/chans_report.c prints them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sync/auth.h"
#include "sync/crypto.h"

#define AUTH_ALLOW_MAX	(SYNC_CONF_PEERS_MAX + SYNC_CONF_CHAN_MAX)

struct sync_auth {
	struct sync_keys keys;
	uint8_t encrypt;
	uint8_t forgotten;		/* keys wiped: nothing seals or opens */
	uint8_t epoch[SYNC_FRAME_EPOCH_LEN];	/* ours, this life */
	uint64_t seq;			/* the next to send */
	struct sync_replay win;		/* the peer's */
	uint8_t confirmed;		/* a peer life echoed us */
	uint8_t reply_zero;		/* the next hello echoes zero */
	uint8_t confirmed_epoch[SYNC_FRAME_EPOCH_LEN];	/* ... this one */
	struct sync_conf_peer allow[AUTH_ALLOW_MAX];
	unsigned int n_allow;
};

static const struct {
	const char *text, *json;
} names[SYNC_AUTH_V_MAX] = {
	[SYNC_AUTH_ACCEPTED] = { "Frames accepted", "accepted" },
	[SYNC_AUTH_HELLO] = { "Hello (no echo yet)", "hello" },
	[SYNC_AUTH_STALE_ECHO] = { "Stale echo", "stale_echo" },
	[SYNC_AUTH_BAD_TAG] = { "Bad tag", "bad_tag" },
	[SYNC_AUTH_UNKNOWN_KEY] = { "Unknown key", "unknown_key" },
	[SYNC_AUTH_REPLAYED] = { "Replayed", "replayed" },
	[SYNC_AUTH_STALE_EPOCH] = { "Stale epoch", "stale_epoch" },
	[SYNC_AUTH_NOT_ALLOWED] = { "Not allowed", "not_allowed" },
	[SYNC_AUTH_MALFORMED] = { "Malformed frame", "malformed" },
	[SYNC_AUTH_UNAUTHENTICATED] = { "Unauthenticated", "unauthenticated" },
	[SYNC_AUTH_WHILE_OFF] = { "Frame while off", "frame_while_off" },
	[SYNC_AUTH_CLEAR] = { "Not encrypted", "not_encrypted" },
};

const char *sync_auth_name(enum sync_auth_verdict v)
{
	return (unsigned int)v < SYNC_AUTH_V_MAX ? names[v].text : "?";
}

const char *sync_auth_json_name(enum sync_auth_verdict v)
{
	return (unsigned int)v < SYNC_AUTH_V_MAX ? names[v].json : "?";
}

void sync_auth_count(struct sync_auth_stats *st, enum sync_auth_verdict v)
{
	if ((unsigned int)v < SYNC_AUTH_V_MAX)
		st->n[v]++;
}

/* The allow-list: the Peer addresses, else the links' destinations. */
static void auth_allow_init(struct sync_auth *a, const struct sync_conf *c)
{
	const struct sync_conf_auth *ca = &c->sync.auth;

	for (unsigned int i = 0; i < ca->n_peer; i++)
		a->allow[a->n_allow++] = ca->peer[i];
	if (ca->n_peer)
		return;
	for (unsigned int i = 0; i < c->sync.n_chan; i++) {
		const struct sync_conf_chan *ch = &c->sync.chan[i];

		if (ch->type == SYNC_CHAN_MCAST)
			continue;
		a->allow[a->n_allow].family =
			ch->family == AF_INET6 ? AF_INET6 : AF_INET;
		a->allow[a->n_allow].addr = ch->dest;
		a->n_allow++;
	}
}

int sync_auth_new(struct sync_auth **out, const struct sync_conf *conf,
		  const struct sync_keys *keys)
{
	struct sync_auth *a;
	int rc;

	if (!sync_keys_send(keys))
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	rc = sync_frame_epoch_new(a->epoch);
	if (rc < 0) {
		free(a);
		return rc;
	}
	a->keys = *keys;
	a->encrypt = conf->sync.auth.encrypt;
	a->seq = 1;
	sync_replay_init(&a->win);
	auth_allow_init(a, conf);
	*out = a;
	return 0;
}

int sync_auth_load(struct sync_auth **out, const struct sync_conf *conf,
		   struct sync_keys_err *err)
{
	struct sync_keys *k = malloc(sizeof(*k));
	int rc;

	if (!k) {
		snprintf(err->msg, sizeof(err->msg), "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	rc = sync_keys_load(conf->sync.auth.keyfile, k, err);
	if (rc == 0) {
		rc = sync_auth_new(out, conf, k);
		if (rc == -EINVAL)
			snprintf(err->msg, sizeof(err->msg), "%.300s: no key "
				 "is marked `send'", conf->sync.auth.keyfile);
		else if (rc < 0)
			snprintf(err->msg, sizeof(err->msg), "%s",
				 strerror(-rc));
	}
	sync_keys_free(k);
	free(k);
	return rc;
}

int sync_auth_rekey(struct sync_auth *a, const struct sync_keys *keys)
{
	if (!a || a->forgotten)
		return -ENOENT;
	if (!sync_keys_send(keys))
		return -EINVAL;
	sync_keys_free(&a->keys);
	a->keys = *keys;
	return 0;
}

void sync_auth_forget(struct sync_auth *a)
{
	if (!a)
		return;
	sync_keys_free(&a->keys);
	a->forgotten = 1;
}

void sync_auth_free(struct sync_auth *a)
{
	if (!a)
		return;
	sync_crypto_wipe(a, sizeof(*a));
	free(a);
}

int sync_auth_allowed(const struct sync_auth *a, int family,
		      const void *addr)
{
	size_t len = family == AF_INET6 ? 16 : 4;

	if (family != AF_INET && family != AF_INET6)
		return 0;
	for (unsigned int i = 0; i < a->n_allow; i++)
		if (a->allow[i].family == family &&
		    !memcmp(&a->allow[i].addr, addr, len))
			return 1;
	return 0;
}

int sync_auth_established(const struct sync_auth *a)
{
	return a->confirmed;
}

int sync_auth_encrypts(const struct sync_auth *a)
{
	return a->encrypt;
}

/* Seals @len payload bytes in place at @frame, echoing the peer's epoch
 * unless @zero (then, or before any, zero). */
static int auth_seal(struct sync_auth *a, uint8_t *frame, size_t cap,
		     size_t len, int zero)
{
	static const uint8_t none[SYNC_FRAME_EPOCH_LEN];
	const struct sync_frame_key *k = sync_keys_send(&a->keys);
	const uint8_t *echo = sync_replay_epoch(&a->win);
	int rc;

	if (a->forgotten || !k)
		return -EINVAL;
	rc = sync_frame_seal(frame, cap, k,
			     a->encrypt ? SYNC_FRAME_F_ENCRYPTED : 0, a->epoch,
			     echo && !zero ? echo : none, a->seq,
			     frame + SYNC_FRAME_HDR_LEN, len);
	if (rc >= 0)
		a->seq++;
	return rc;
}

int sync_auth_seal(struct sync_auth *a, uint8_t *frame, size_t cap,
		   size_t len)
{
	return auth_seal(a, frame, cap, len, 0);
}

int sync_auth_seal_hello(struct sync_auth *a, uint8_t *frame, size_t cap)
{
	return auth_seal(a, frame, cap, 0, a->reply_zero);
}

/* Steps 2 to 5: the header, the key, the window, the tag; nothing is
 * committed. Our own epoch is a reflection of our frames. */
static enum sync_auth_verdict auth_verify(struct sync_auth *a,
					  const void *buf, size_t len,
					  struct sync_frame_hdr *h, void *out,
					  size_t *out_len)
{
	const struct sync_frame_key *k;
	int rc = sync_frame_peek(buf, len, h);

	if (rc == -EPROTO)
		return SYNC_AUTH_UNAUTHENTICATED;
	if (rc < 0 || h->len != len)
		return SYNC_AUTH_MALFORMED;
	k = a->forgotten ? NULL : sync_keys_get(&a->keys, h->key_id);
	if (!k)
		return SYNC_AUTH_UNKNOWN_KEY;
	if (!memcmp(h->epoch, a->epoch, sizeof(a->epoch)))
		return SYNC_AUTH_REPLAYED;
	switch (sync_replay_check(&a->win, h->epoch, h->seq)) {
	case SYNC_REPLAY_OK:
	case SYNC_REPLAY_NEW_EPOCH:
		break;
	case SYNC_REPLAY_STALE_EPOCH:
		return SYNC_AUTH_STALE_EPOCH;
	default:
		return SYNC_AUTH_REPLAYED;
	}
	rc = sync_frame_open(buf, len, k, h, out, out_len);
	if (rc == -EBADMSG)
		return SYNC_AUTH_BAD_TAG;
	if (rc < 0)
		return SYNC_AUTH_MALFORMED;
	return SYNC_AUTH_ACCEPTED;
}

/* Step 6 for an authentic frame @h whose echo is not our epoch: its
 * messages are dropped, and the peer hears from us at once. A hello
 * (echo zero) teaches us the sender's epoch if that is younger than
 * ours (a recorded hello of an earlier life of either node never is) or
 * the one we know; a stale echo never does. The answer echoes the
 * sender's epoch if we hold it, else zero: a hello it can take. */
static enum sync_auth_verdict auth_unechoed(struct sync_auth *a,
					    const struct sync_frame_hdr *h)
{
	static const uint8_t zero[SYNC_FRAME_EPOCH_LEN];
	const uint8_t *known = sync_replay_epoch(&a->win);
	int same = known && !memcmp(known, h->epoch, sizeof(h->epoch));

	if (memcmp(h->echo, zero, sizeof(zero))) {
		a->reply_zero = !same;
		return SYNC_AUTH_STALE_ECHO;
	}
	if (same || sync_frame_epoch_cmp(h->epoch, a->epoch) > 0) {
		sync_replay_commit(&a->win, h->epoch, h->seq);
		same = 1;
	}
	a->reply_zero = !same;
	return SYNC_AUTH_HELLO;
}

enum sync_auth_verdict sync_auth_open(struct sync_auth *a, const void *buf,
				      size_t len, void *out, size_t *out_len,
				      unsigned int *events)
{
	struct sync_frame_hdr h;
	size_t cap = *out_len;
	enum sync_auth_verdict v;

	*events = 0;
	v = auth_verify(a, buf, len, &h, out, out_len);
	if (v == SYNC_AUTH_ACCEPTED && a->encrypt &&
	    !(h.flags & SYNC_FRAME_F_ENCRYPTED)) {
		/* Encrypt on: a peer that sends in clear is misconfigured;
		 * nothing of it is taken, not even its epoch */
		sync_crypto_wipe(out, cap < *out_len ? cap : *out_len);
		v = SYNC_AUTH_CLEAR;
	}
	if (v != SYNC_AUTH_ACCEPTED) {
		*out_len = 0;
		return v;
	}
	if (memcmp(h.echo, a->epoch, sizeof(a->epoch))) {
		sync_crypto_wipe(out, cap < *out_len ? cap : *out_len);
		*out_len = 0;
		*events |= SYNC_AUTH_EV_REPLY;
		return auth_unechoed(a, &h);
	}
	sync_replay_commit(&a->win, h.epoch, h.seq);
	if (!a->confirmed ||
	    memcmp(a->confirmed_epoch, h.epoch, sizeof(h.epoch))) {
		/* first word of this peer life that knows ours: it hears
		 * from us at once, so that it knows we know */
		a->confirmed = 1;
		memcpy(a->confirmed_epoch, h.epoch, sizeof(h.epoch));
		a->reply_zero = 0;
		*events |= SYNC_AUTH_EV_PEER | SYNC_AUTH_EV_REPLY;
	}
	return SYNC_AUTH_ACCEPTED;
}

const uint8_t *sync_auth_epoch(const struct sync_auth *a)
{
	return a->epoch;
}

const uint8_t *sync_auth_peer_epoch(const struct sync_auth *a)
{
	return sync_replay_epoch(&a->win);
}
