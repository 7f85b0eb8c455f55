// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dedicated links' side of authentication (sync/auth.h): opening
 * each received frame and handing its messages over, counting and
 * logging (rate-limited) what is refused, and the handshake's hellos:
 * one when the links open, one a second until the peer echoes us, and
 * an answer, coalesced to one a loop iteration, to every frame that
 * does not. Sealing is in sync/chans.c, where datagrams leave.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sync/auth.h"
#include "sync/chan_int.h"
#include "sync/crypto.h"
#include "sync/log.h"

#define HELLO_USEC	1000000		/* hello again until the peer echoes */
#define REFUSE_LOG_USEC	10000000	/* one log line per reason this often */

struct sync_auth *chan_auth(const struct chan *c)
{
	return c->set->auth;
}

const struct sync_auth_stats *sync_chans_auth_stats(const struct sync_chans *m)
{
	return &m->ast;
}

const struct sync_auth *sync_chans_auth(const struct sync_chans *m)
{
	return m->auth;
}

int sync_chans_rekey(struct sync_chans *m, const struct sync_keys *keys)
{
	return m ? sync_auth_rekey(m->auth, keys) : -ENOENT;
}

void sync_chans_forget(struct sync_chans *m)
{
	if (m)
		sync_auth_forget(m->auth);
}

/* The texts of the refusals worth a word of their own. */
static const char *refuse_why(int v)
{
	switch (v) {
	case SYNC_AUTH_UNAUTHENTICATED:
		return "sync messages without authentication, which this "
		       "node requires (Sync { Authentication }): is "
		       "authentication off on the other node?";
	case SYNC_AUTH_WHILE_OFF:
		return "an authenticated sync frame, but authentication is "
		       "off on this node: is it on on the other node?";
	default:
		return NULL;
	}
}

void chan_refuse(struct chan *c, int v)
{
	struct sync_chans *m = c->set;
	uint64_t now = sync_loop_now();
	const char *why = refuse_why(v);

	sync_auth_count(&m->ast, (enum sync_auth_verdict)v);
	m->unlogged[v]++;
	if (m->logged[v] && now - m->logged[v] < REFUSE_LOG_USEC)
		return;
	if (why)
		sync_log(m->log, SYNC_LOG_WARNING, "dropped %llu datagram(s) "
			 "on `%s': %s", (unsigned long long)m->unlogged[v],
			 chans_ifname(m, c), why);
	else
		sync_log(m->log, SYNC_LOG_WARNING, "dropped %llu sync "
			 "frame(s) on `%s': %s",
			 (unsigned long long)m->unlogged[v],
			 chans_ifname(m, c),
			 sync_auth_name((enum sync_auth_verdict)v));
	m->logged[v] = now ? now : 1;
	m->unlogged[v] = 0;
}

/* ---- the handshake ------------------------------------------------------ */

/* Sends an empty frame now on the active channel, so that the peer
 * learns our epoch and echoes it (never with messages: a hello may echo
 * zero, and the peer drops the messages of such a frame). */
static void chans_hello_send(struct sync_chans *m)
{
	struct chan *c = &m->chan[m->active];
	uint8_t f[SYNC_FRAME_OVERHEAD];
	int n = sync_auth_seal_hello(m->auth, f, sizeof(f));

	if (n < 0)
		return;
	m->ast.sent++;
	c->ops->send(c, f, (size_t)n);
}

static int chans_hello_step(struct sync_loop *l, void *arg)
{
	struct sync_chans *m = arg;

	(void)l;
	m->hello_queued = 0;
	chans_hello_send(m);
	return 0;
}

/* Answer soon: at most one frame for all that asked in this iteration. */
static void chans_hello_soon(struct sync_chans *m)
{
	if (!m->hello_queued &&
	    sync_loop_step_add(m->loop, chans_hello_step, m) == 0)
		m->hello_queued = 1;
}

static void chans_hello_timer(struct sync_loop *l, void *arg)
{
	struct sync_chans *m = arg;

	if (sync_auth_established(m->auth))
		return;
	chans_hello_send(m);
	sync_loop_timer_add(l, &m->hello, HELLO_USEC);
}

/* One frame with authentication on. */
int chan_recv_frame(struct chan *c, const void *buf, size_t len)
{
	struct sync_chans *m = c->set;
	size_t plen = CHAN_RX_MAX;
	unsigned int ev;
	enum sync_auth_verdict v;

	v = sync_auth_open(m->auth, buf, len, m->plain, &plen, &ev);
	if (v >= SYNC_AUTH_BAD_TAG) {
		chan_refuse(c, v);
		return -EBADMSG;
	}
	sync_auth_count(&m->ast, v);
	if (ev & SYNC_AUTH_EV_REPLY)
		chans_hello_soon(m);
	if (ev & SYNC_AUTH_EV_PEER) {
		m->ast.peers++;
		sync_loop_timer_del(m->loop, &m->hello);
		sync_log(m->log, SYNC_LOG_NOTICE, "sync peer authenticated "
			 "on `%s'", chans_ifname(m, c));
		chan_event(c, SYNC_CHANS_EV_PEER);
	}
	if (v == SYNC_AUTH_ACCEPTED && plen)
		chan_deliver(c, m->plain, plen);
	return 0;
}

int chans_auth_init(struct sync_chans *m)
{
	sync_loop_timer_init(&m->hello, chans_hello_timer, m);
	if (m->auth && !(m->plain = malloc(CHAN_RX_MAX)))
		return -ENOMEM;
	return 0;
}

int chans_auth_start(struct sync_chans *m)
{
	/* the first hello goes out from the loop, once everything runs */
	return m->auth ? sync_loop_timer_add(m->loop, &m->hello, 0) : 0;
}

void chans_auth_fini(struct sync_chans *m)
{
	if (m->hello_queued)
		sync_loop_step_del(m->loop, chans_hello_step, m);
	sync_loop_timer_del(m->loop, &m->hello);
	sync_auth_free(m->auth);
	m->auth = NULL;
	if (m->plain)
		sync_crypto_wipe(m->plain, CHAN_RX_MAX);
	free(m->plain);
	m->plain = NULL;
}
