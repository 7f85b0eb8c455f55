// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The set of dedicated links (upstream's multichannel.c, channel.c and
 * the channel parts of sync-mode.c): up to four channels of one
 * transport, one of them active; messages go into the active one's
 * buffer, which leaves as one datagram when the next message would not
 * fit the interface's MTU less the headers, or when flushed. What
 * arrives on a channel makes it active. The link watcher's events move
 * the active role off an interface that is down, with upstream's
 * choice and log lines. When the active role moves, what waits in the
 * old channel's buffer moves with it, so no message is left behind.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "sync/auth.h"
#include "sync/chan_int.h"
#include "sync/link.h"
#include "sync/log.h"

struct sync_loop *chan_loop(const struct chan *c)
{
	return c->set->loop;
}

struct sync_link *chans_link(const struct sync_chans *m)
{
	return m->link;
}

struct chan *chans_chan(struct sync_chans *m, unsigned int idx)
{
	return idx < m->n ? &m->chan[idx] : NULL;
}

const struct chan *chans_chan_const(const struct sync_chans *m,
				    unsigned int idx)
{
	return idx < m->n ? &m->chan[idx] : NULL;
}

const char *chans_ifname(const struct sync_chans *m, const struct chan *c)
{
	const struct sync_link_if *i = sync_link_get(m->link, c->ifindex);

	return i && i->name[0] ? i->name : c->conf.iface;
}

unsigned int sync_chans_count(const struct sync_chans *m)
{
	return m->n;
}

unsigned int sync_chans_active(const struct sync_chans *m)
{
	return m->active;
}

const struct sync_chan_stats *sync_chans_stats(const struct sync_chans *m,
					       unsigned int idx)
{
	return idx < m->n ? &m->chan[idx].st : NULL;
}

size_t sync_chans_pending(const struct sync_chans *m)
{
	return m->chan[m->active].tx_len;
}

size_t sync_chans_mtu(const struct sync_chans *m)
{
	return m->chan[m->active].limit;
}

/* ---- events ------------------------------------------------------------ */

static int chans_event_step(struct sync_loop *l, void *arg)
{
	struct sync_chans *m = arg;
	unsigned int pend[SYNC_CONF_CHAN_MAX];

	/* what a callback raises goes to the next step */
	m->ev_queued = 0;
	memcpy(pend, m->ev_pending, sizeof(pend));
	memset(m->ev_pending, 0, sizeof(m->ev_pending));
	for (unsigned int i = 0; i < m->n; i++) {
		if (pend[i] & 1u << SYNC_CHANS_EV_CONNECTED)
			m->event(m, i, SYNC_CHANS_EV_CONNECTED, m->arg);
		if (pend[i] & 1u << SYNC_CHANS_EV_LOST)
			m->event(m, i, SYNC_CHANS_EV_LOST, m->arg);
		if (pend[i] & 1u << SYNC_CHANS_EV_PEER)
			m->event(m, i, SYNC_CHANS_EV_PEER, m->arg);
	}
	return 0;
}

void chan_event(struct chan *c, enum sync_chans_event ev)
{
	struct sync_chans *m = c->set;

	if (!m->event)
		return;
	m->ev_pending[c->idx] |= 1u << ev;
	if (!m->ev_queued &&
	    sync_loop_step_add(m->loop, chans_event_step, m) == 0)
		m->ev_queued = 1;
}

/* ---- sending ----------------------------------------------------------- */

/* Sends @len bytes of messages at c->tx, sealed in a frame with
 * authentication. Returns 0 or -errno (the bytes are lost). */
static int chan_send_tx(struct chan *c, size_t len)
{
	struct sync_chans *m = c->set;
	int rc;

	if (!m->auth)
		return c->ops->send(c, c->tx, len);
	rc = sync_auth_seal(m->auth, c->buf, c->limit + SYNC_FRAME_OVERHEAD,
			    len);
	if (rc < 0)
		return rc;
	m->ast.sent++;
	return c->ops->send(c, c->buf, (size_t)rc);
}

/* Sends what @c has buffered. Returns 0 or -errno (the bytes are lost). */
static int chan_flush(struct chan *c)
{
	int rc;

	if (!c->tx_len)
		return 0;
	rc = chan_send_tx(c, c->tx_len);
	c->tx_len = 0;
	if (rc < 0)
		chan_event(c, SYNC_CHANS_EV_LOST);
	return rc;
}

/* Appends one message to @c's buffer, sending the buffer first when the
 * message would not fit. Returns 0, -EMSGSIZE or -errno of that send. */
static int chan_append(struct chan *c, const void *msg, size_t len)
{
	int rc = 0;

	if (len > c->limit)
		return -EMSGSIZE;
	if (c->tx_len + len > c->limit)
		rc = chan_flush(c);
	memcpy(c->tx + c->tx_len, msg, len);
	c->tx_len += len;
	return rc;
}

int sync_chans_send(struct sync_chans *m, const void *msg, size_t len)
{
	/* the buffers hold whole messages only: moving them to another
	 * channel and the TCP backlog walk them by their lengths */
	if (chan_msg_len(msg, len) != (int)len)
		return -EINVAL;
	return chan_append(&m->chan[m->active], msg, len);
}

int sync_chans_flush(struct sync_chans *m)
{
	return chan_flush(&m->chan[m->active]);
}

/* Makes channel @idx the active one; what the old one had buffered is
 * appended to the new one's buffer, message by message (the new MTU may
 * be smaller; a message too large for it is lost). */
static void chans_set_active(struct sync_chans *m, unsigned int idx)
{
	struct chan *old = &m->chan[m->active], *c = &m->chan[idx];
	size_t off = 0;
	int n;

	if (idx == m->active)
		return;
	m->active = idx;
	while ((n = chan_msg_len(old->tx + off, old->tx_len - off)) > 0) {
		if (chan_append(c, old->tx + off, (size_t)n) == -EMSGSIZE)
			chan_event(c, SYNC_CHANS_EV_LOST);
		off += (size_t)n;
	}
	old->tx_len = 0;
}

/* ---- receiving --------------------------------------------------------- */

/* ---- receiving --------------------------------------------------------- */

void chan_deliver(struct chan *c, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	struct sync_chans *m = c->set;

	if (chan_msg_len(buf, len) > 0 && p[0] >> 4 == 1)
		chans_set_active(m, c->idx);
	if (m->recv)
		m->recv(m, c->idx, buf, len, m->arg);
}

int chan_recv(struct chan *c, const void *buf, size_t len)
{
	if (c->set->auth)
		return chan_recv_frame(c, buf, len);
	if (len >= 4 && !memcmp(buf, SYNC_FRAME_MAGIC, 4)) {
		chan_refuse(c, SYNC_AUTH_WHILE_OFF);
		return -EPROTO;
	}
	chan_deliver(c, buf, len);
	return 0;
}

/* ---- failover ---------------------------------------------------------- */

void chans_link_changed(struct sync_chans *m)
{
	const unsigned int up = RTNL_IFF_UP, run = RTNL_IFF_RUNNING;
	unsigned int cur = m->chan[m->active].ifindex, f;

	f = sync_link_flags(m->link, cur);
	if ((f & up) && (f & run))
		return;
	/* upstream takes the first other interface with either flag */
	for (unsigned int i = 0; i < m->n; i++) {
		if (m->chan[i].ifindex == cur)
			continue;
		if (sync_link_flags(m->link, m->chan[i].ifindex) & (up | run)) {
			chans_set_active(m, i);
			sync_log(m->log, SYNC_LOG_NOTICE,
				 "device `%s' becomes dedicated link",
				 chans_ifname(m, &m->chan[i]));
			return;
		}
	}
	sync_log(m->log, SYNC_LOG_ERR, "no dedicated links available!");
}

static void chans_link_cb(struct sync_loop *l, int fd, unsigned int revents,
			  void *arg)
{
	struct sync_chans *m = arg;

	/* one look per datagram of events, as upstream's nlif_catch */
	for (int k = 0; k < CHAN_RX_BURST; k++) {
		int rc = sync_link_recv(m->link);

		if (rc == -EAGAIN || rc == -EBADF)
			break;
		if (rc >= 0)
			chans_link_changed(m);
	}
}

/* ---- open, close ------------------------------------------------------- */

static const struct chan_ops *const chans_ops_default[] = {
	[SYNC_CHAN_MCAST] = &chan_mcast_ops,
	[SYNC_CHAN_UDP] = &chan_udp_ops,
	[SYNC_CHAN_TCP] = &chan_tcp_ops,
};

static void chan_close(struct chan *c)
{
	if (c->ops)
		c->ops->close(c);
	free(c->buf);
	free(c->rx);
	c->buf = c->tx = c->rx = NULL;
	c->ops = NULL;
}

/* Channel @i of @conf, its interface resolved in the link table. */
static int chan_open(struct sync_chans *m, unsigned int i,
		     const struct sync_conf_chan *cc,
		     const struct chan_ops *ops)
{
	struct chan *c = &m->chan[i];
	const struct sync_link_if *li;
	unsigned int hdr = ops->hdr;
	size_t frame = m->auth ? SYNC_FRAME_OVERHEAD : 0;
	int rc;

	*c = (struct chan){ .set = m, .idx = i, .conf = *cc };
	c->conf.iface[sizeof(c->conf.iface) - 1] = '\0';
	li = c->conf.iface[0] ? sync_link_find(m->link, c->conf.iface) : NULL;
	if (!li)
		return -ENODEV;
	/* upstream takes the IPv4 header off for IPv6 too, so its full
	 * datagrams leave in two fragments */
	if (chan_family(cc) == AF_INET6)
		hdr += CHAN_IPV6_EXTRA;
	if (li->mtu < hdr + frame + CHAN_MSG_HDR)
		return -EINVAL;
	c->ifindex = li->ifindex;
	/* a frame carries at most 64 KiB - 1, as a datagram */
	c->limit = li->mtu - hdr;
	if (c->limit > CHAN_RX_MAX - 1)
		c->limit = CHAN_RX_MAX - 1;
	c->limit -= frame;
	c->buf = malloc(c->limit + frame);
	c->tx = c->buf ? c->buf + (frame ? SYNC_FRAME_HDR_LEN : 0) : NULL;
	c->rx = malloc(CHAN_RX_MAX);
	if (!c->buf || !c->rx) {
		chan_close(c);
		return -ENOMEM;
	}
	rc = ops->open(c);
	if (rc < 0) {
		chan_close(c);
		return rc;
	}
	c->ops = ops;
	return 0;
}

static int chans_open_all(struct sync_chans *m, const struct sync_conf *conf,
			  const struct chans_env *env)
{
	unsigned int type = conf->sync.chan[0].type;
	const struct chan_ops *ops;
	int rc;

	if (type < SYNC_CHAN_MCAST || type > SYNC_CHAN_TCP)
		return -EINVAL;
	ops = env && env->ops[type] ? env->ops[type] : chans_ops_default[type];
	for (unsigned int i = 0; i < conf->sync.n_chan; i++) {
		if (conf->sync.chan[i].type != type)
			return -EINVAL;
		rc = chan_open(m, i, &conf->sync.chan[i], ops);
		if (rc < 0)
			return rc;
		m->n = i + 1;
		if (conf->sync.chan[i].is_default)
			m->active = i;
	}
	return 0;
}

int chans_open_env(struct sync_chans **out, const struct sync_conf *conf,
		   struct sync_loop *l, struct sync_log *log,
		   sync_chans_recv_cb recv, sync_chans_event_cb event,
		   void *arg, const struct chans_env *env)
{
	struct sync_chans *m;
	int rc;

	m = calloc(1, sizeof(*m));
	if (!m) {
		if (env) {
			sync_link_free(env->link);
			sync_auth_free(env->auth);
		}
		return -ENOMEM;
	}
	*m = (struct sync_chans){ .loop = l, .log = log, .recv = recv,
				  .event = event, .arg = arg, .link_fd = -1 };
	if (env) {
		m->link = env->link;
		m->auth = env->auth;
	}
	rc = chans_auth_init(m);
	if (rc < 0)
		goto free_set;
	rc = -EINVAL;
	if (conf->sync.n_chan < 1 || conf->sync.n_chan > SYNC_CONF_CHAN_MAX)
		goto free_set;
	if (!m->link && (rc = sync_link_open(&m->link, NULL)) < 0) {
		sync_log(log, SYNC_LOG_ERR, "can't open interface watcher");
		goto free_set;
	}
	rc = chans_open_all(m, conf, env);
	if (rc < 0) {
		sync_log(log, SYNC_LOG_ERR, "can't open channel socket: %s",
			 strerror(-rc));
		goto free_set;
	}
	if (sync_link_fd(m->link) >= 0) {
		rc = sync_loop_fd_add(l, sync_link_fd(m->link), POLLIN,
				      chans_link_cb, m);
		if (rc < 0)
			goto free_set;
		m->link_fd = sync_link_fd(m->link);
	}
	rc = chans_auth_start(m);
	if (rc < 0)
		goto free_set;
	*out = m;
	return 0;
free_set:
	sync_chans_close(m);
	return rc;
}

int sync_chans_open(struct sync_chans **out, const struct sync_conf *conf,
		    struct sync_loop *l, struct sync_log *log,
		    struct sync_auth *auth, sync_chans_recv_cb recv,
		    sync_chans_event_cb event, void *arg)
{
	struct chans_env env = { .auth = auth };

	return chans_open_env(out, conf, l, log, recv, event, arg, &env);
}

void sync_chans_set_stream(struct sync_chans *m,
			   int (*fn)(void *arg, unsigned int idx), void *arg)
{
	m->stream = fn;
	m->stream_arg = arg;
}

int chan_stream_socket(const struct chan *c)
{
	int fd = -ENOTSUP;

	if (c->set->stream)
		fd = c->set->stream(c->set->stream_arg, c->idx);
	return fd == -ENOTSUP ? sync_chan_stream_socket(&c->conf) : fd;
}

void sync_chans_close(struct sync_chans *m)
{
	if (!m)
		return;
	for (unsigned int i = 0; i < m->n; i++)
		chan_close(&m->chan[i]);
	if (m->link_fd >= 0)
		sync_loop_fd_del(m->loop, m->link_fd);
	if (m->ev_queued)
		sync_loop_step_del(m->loop, chans_event_step, m);
	chans_auth_fini(m);
	sync_link_free(m->link);
	free(m);
}
