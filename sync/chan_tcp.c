// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TCP dedicated link (upstream tcp.c, channel_tcp.c). As upstream,
 * each side runs a server and a client: the server listens on
 * IPv4_address/IPv6_address:Port (backlog 1, SO_KEEPALIVE) and what it
 * reads is what the peer sends; the client connects to the
 * Destination_Address:Port and carries what we send. So two connections
 * join two replicas, one each way, and the client socket is only read to
 * notice that the peer went away.
 *
 * Unlike upstream (spec 5): the server takes a connection only from the
 * destination address (others are closed and counted as dropped_peer; a
 * new one from the peer replaces the old, as upstream, since a restarted
 * peer reconnects before we notice the old one is dead); the client
 * connects at once and again after a failure, waiting 100 ms doubling to
 * 5 s, instead of trying once a second only when something is sent; what
 * is sent while not connected waits in a bounded backlog (4 MiB, or
 * ErrorQueueLength datagrams if more) and goes out on connect, and an
 * overflow is told to the owner (SYNC_CHANS_EV_LOST); a write the kernel
 * takes only in part is finished before anything else is written, and a
 * message cut by a broken connection is sent again whole on the next.
 *
 * With authentication (sync/auth.h) the stream is a sequence of frames,
 * each delimited by its length: the server waits for a whole frame and
 * hands it to the set; a frame refused, plain messages, or a header that
 * cannot be a frame close the connection (counted; the peer connects
 * again). The server takes connections from the allow-list's addresses,
 * on the link's interface only (SO_BINDTODEVICE).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sync/auth.h"
#include "sync/chan_int.h"

#define TCP_BACKOFF_MIN		100000ULL	/* us */
#define TCP_BACKOFF_MAX		5000000ULL	/* us; also: a connection
						 * that lived this long
						 * starts the wait anew */
#define TCP_BACKLOG_MIN		(4U << 20)	/* bytes */

enum tcp_client_state { TCP_IDLE, TCP_CONNECTING, TCP_CONNECTED };

struct tcp {
	struct chan *c;
	int lfd;			/* listening */
	int sfd;			/* the peer's connection to us, or -1 */
	int cfd;			/* ours to the peer, or -1 */
	enum tcp_client_state cstate;
	uint64_t backoff;		/* the next wait before connecting */
	uint64_t since;			/* when the client connected */
	struct sync_loop_timer retry;
	struct chan_outq out;		/* what the client has to write */
	size_t in_len;			/* bytes of c->rx not yet whole */
	int refused;			/* a frame of this read was refused */
	union chan_sa peer, local;	/* dest:port, addr:0 */
	socklen_t peer_len, local_len;	/* local_len 0: no bind */
};

static void tcp_connect(struct tcp *t);

/* ---- server: the peer's stream to us ----------------------------------- */

static void tcp_server_drop(struct tcp *t)
{
	chan_fd_close(chan_loop(t->c), &t->sfd);
	t->in_len = 0;		/* a cut message dies with its stream */
}

/* Whole units of the peer's stream: a run of messages goes to the set
 * at once; frames one by one, and after a refused one nothing more
 * (the connection is closed). */
static void tcp_server_take(void *arg, const void *buf, size_t len)
{
	struct tcp *t = arg;
	const unsigned char *p = buf;
	size_t off = 0;
	int n;

	if (!chan_auth(t->c)) {
		t->refused = chan_recv(t->c, buf, len) < 0;
		return;
	}
	while (!t->refused && (n = chan_unit_frame(p + off, len - off)) > 0) {
		t->refused = chan_recv(t->c, p + off, (size_t)n) < 0;
		off += (size_t)n;
	}
}

/* The stream cannot go on: the reason counted, the connection closed
 * (the peer connects again). */
static void tcp_server_bad(struct tcp *t, long rc)
{
	struct chan *c = t->c;

	if (rc == -EPROTO)
		chan_refuse(c, chan_auth(c) ? SYNC_AUTH_UNAUTHENTICATED :
					      SYNC_AUTH_WHILE_OFF);
	else if (chan_auth(c))
		chan_refuse(c, SYNC_AUTH_MALFORMED);
	else
		c->st.err_recv++;
	tcp_server_drop(t);
}

static void tcp_server_read(struct sync_loop *l, int fd, unsigned int revents,
			    void *arg)
{
	struct tcp *t = arg;
	struct chan *c = t->c;
	long rc;

	for (int k = 0; k < CHAN_RX_BURST; k++) {
		ssize_t n = recv(fd, c->rx + t->in_len, CHAN_RX_MAX - t->in_len,
				 MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			/* closed (0) or broken: the peer reconnects */
			if (n < 0)
				c->st.err_recv++;
			tcp_server_drop(t);
			return;
		}
		c->st.bytes_recv += (uint64_t)n;
		c->st.pkts_recv++;
		t->refused = 0;
		rc = chan_stream_take_unit(c->rx, &t->in_len, (size_t)n,
					   chan_auth(c) ? chan_unit_frame :
							  chan_unit_msg,
					   tcp_server_take, t);
		if (rc < 0) {
			tcp_server_bad(t, rc);
			return;
		}
		if (t->refused) {
			/* counted by the set as it refused the frame */
			tcp_server_drop(t);
			return;
		}
	}
}

/* Whether a connection from @from is the peer's: the destination
 * address, or with authentication an address of the allow-list (the
 * listening socket is bound to the link's interface then). Counts the
 * refusal. */
static int tcp_peer_ok(struct chan *c, const union chan_sa *from,
		       socklen_t flen)
{
	int family = chan_family(&c->conf);
	const void *addr;

	if (!chan_auth(c)) {
		if (chan_sa_is(from, flen, family, &c->conf.dest))
			return 1;
		c->st.dropped_peer++;
		return 0;
	}
	if (family == AF_INET6 && flen >= (socklen_t)sizeof(from->v6))
		addr = &from->v6.sin6_addr;
	else if (family == AF_INET && flen >= (socklen_t)sizeof(from->v4))
		addr = &from->v4.sin_addr;
	else
		addr = NULL;
	if (addr && from->sa.sa_family == family &&
	    sync_auth_allowed(chan_auth(c), family, addr))
		return 1;
	chan_refuse(c, SYNC_AUTH_NOT_ALLOWED);
	return 0;
}

static void tcp_accept(struct sync_loop *l, int fd, unsigned int revents,
		       void *arg)
{
	struct tcp *t = arg;
	struct chan *c = t->c;

	for (int k = 0; k < CHAN_RX_BURST; k++) {
		union chan_sa from;
		socklen_t flen = sizeof(from);
		int s = accept4(fd, &from.sa, &flen,
				SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (s < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				c->st.err_recv++;
			return;
		}
		if (!tcp_peer_ok(c, &from, flen)) {
			close(s);
			continue;
		}
		tcp_server_drop(t);
		if (sync_loop_fd_add(l, s, POLLIN, tcp_server_read, t) < 0) {
			close(s);
			c->st.err_recv++;
			continue;
		}
		t->sfd = s;
	}
}

static int tcp_listen(struct tcp *t)
{
	const struct sync_conf_chan *cc = &t->c->conf;
	union chan_sa sa;
	socklen_t len;
	int fd, rc;

	fd = chan_socket(chan_family(cc), SOCK_STREAM, 1);
	if (fd < 0)
		return fd;
	len = chan_sa_make(&sa, chan_family(cc), &cc->addr, cc->port,
			   t->c->ifindex);
	rc = chan_sockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (rc == 0)
		rc = chan_sockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	/* authentication takes connections on the link's interface only */
	if (rc == 0 && chan_auth(t->c) &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cc->iface,
		       (socklen_t)strlen(cc->iface)) < 0)
		rc = -errno;
	if (rc == 0)
		rc = chan_sockbuf(fd, 1, cc->rcvbuf);
	if (rc == 0)
		rc = chan_bind(fd, &sa, len);
	if (rc == 0 && listen(fd, 1) < 0)
		rc = -errno;
	if (rc == 0)
		rc = sync_loop_fd_add(chan_loop(t->c), fd, POLLIN, tcp_accept, t);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	t->lfd = fd;
	return 0;
}

/* ---- client: our stream to the peer ------------------------------------ */

static void tcp_retry_later(struct tcp *t)
{
	if (sync_loop_timer_add(chan_loop(t->c), &t->retry, t->backoff) < 0)
		t->c->st.err_send++;	/* no memory for the timer heap */
	t->backoff = t->backoff * 2 > TCP_BACKOFF_MAX ? TCP_BACKOFF_MAX :
							t->backoff * 2;
}

/* The connection failed or broke: close it, connect again later. */
static void tcp_client_down(struct tcp *t)
{
	if (t->cstate == TCP_CONNECTED &&
	    sync_loop_now() - t->since >= TCP_BACKOFF_MAX)
		t->backoff = TCP_BACKOFF_MIN;
	chan_outq_rewind(&t->out);
	t->c->st.backlog_bytes = chan_outq_len(&t->out);
	chan_fd_close(chan_loop(t->c), &t->cfd);
	t->cstate = TCP_IDLE;
	t->c->st.err_send++;
	tcp_retry_later(t);
}

/* Writes the backlog until done or the socket is full. */
static void tcp_pump(struct tcp *t)
{
	const void *data;
	size_t len;

	while ((len = chan_outq_peek(&t->out, &data)) > 0) {
		ssize_t n = send(t->cfd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			chan_outq_consume(&t->out, (size_t)n);
			t->c->st.backlog_bytes = chan_outq_len(&t->out);
			t->c->st.bytes_sent += (uint64_t)n;
			t->c->st.pkts_sent++;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			sync_loop_fd_mod(chan_loop(t->c), t->cfd,
					 POLLIN | POLLOUT);
			return;
		}
		tcp_client_down(t);
		return;
	}
	sync_loop_fd_mod(chan_loop(t->c), t->cfd, POLLIN);
}

static void tcp_client_up(struct tcp *t)
{
	t->cstate = TCP_CONNECTED;
	t->since = sync_loop_now();
	chan_event(t->c, SYNC_CHANS_EV_CONNECTED);
	tcp_pump(t);
}

/* The peer never writes on our connection: reading only tells that it
 * closed it (what it writes anyway is dropped, a bounded amount per
 * wakeup). */
static int tcp_client_alive(struct tcp *t)
{
	unsigned char sink[512];

	for (int k = 0; k < CHAN_RX_BURST; k++) {
		ssize_t n = recv(t->cfd, sink, sizeof(sink), MSG_DONTWAIT);

		if (n > 0 || (n < 0 && errno == EINTR))
			continue;
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	}
	return 1;
}

static void tcp_client_io(struct sync_loop *l, int fd, unsigned int revents,
			  void *arg)
{
	struct tcp *t = arg;
	int err = 0;
	socklen_t elen = sizeof(err);

	if (t->cstate == TCP_CONNECTING) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
			err = errno;
		if (!err && (revents & POLLOUT))
			tcp_client_up(t);
		else
			tcp_client_down(t);
		return;
	}
	if ((revents & (POLLIN | POLLERR | POLLHUP)) && !tcp_client_alive(t)) {
		tcp_client_down(t);
		return;
	}
	if (revents & POLLOUT)
		tcp_pump(t);
}

static void tcp_connect(struct tcp *t)
{
	int fd, rc;

	fd = chan_stream_socket(t->c);
	if (fd < 0) {
		t->c->st.err_send++;
		tcp_retry_later(t);
		return;
	}
	rc = 0;
	if (t->local_len)
		rc = chan_bind(fd, &t->local, t->local_len);
	if (rc == 0 && connect(fd, &t->peer.sa, t->peer_len) < 0 &&
	    errno != EINPROGRESS)
		rc = -errno;
	if (rc == 0)
		rc = sync_loop_fd_add(chan_loop(t->c), fd, POLLOUT,
				      tcp_client_io, t);
	if (rc < 0) {
		close(fd);
		t->c->st.err_send++;
		tcp_retry_later(t);
		return;
	}
	/* even a connect done at once is told by POLLOUT */
	t->cfd = fd;
	t->cstate = TCP_CONNECTING;
}

static void tcp_retry_fire(struct sync_loop *l, void *arg)
{
	tcp_connect(arg);
}

/* ---- the transport ----------------------------------------------------- */

static int tcp_send(struct chan *c, const void *buf, size_t len)
{
	struct tcp *t = c->priv;
	int rc = chan_outq_push(&t->out, buf, len);

	if (rc == -ENOBUFS)
		c->st.backlog_overflow += chan_auth(c) ? 1 :
					  chan_msg_count(buf, len);
	if (rc < 0)
		return rc;
	c->st.backlog_bytes = chan_outq_len(&t->out);
	if (t->cstate == TCP_CONNECTED)
		tcp_pump(t);
	return 0;
}

static int tcp_state(const struct chan *c, char *buf, size_t len)
{
	const struct tcp *t = c->priv;

	return snprintf(buf, len, " server=%s client=%s",
			t->sfd >= 0 ? "connected" : "disconnected",
			t->cstate == TCP_CONNECTED ? "connected" : "disconnected");
}

static void tcp_close(struct chan *c)
{
	struct tcp *t = c->priv;

	if (!t)
		return;
	sync_loop_timer_del(chan_loop(c), &t->retry);
	chan_fd_close(chan_loop(c), &t->cfd);
	chan_fd_close(chan_loop(c), &t->sfd);
	chan_fd_close(chan_loop(c), &t->lfd);
	chan_outq_free(&t->out);
	free(t);
	c->priv = NULL;
}

static int tcp_open(struct chan *c)
{
	const struct sync_conf_chan *cc = &c->conf;
	int family = chan_family(cc), rc;
	size_t max = TCP_BACKLOG_MIN;
	struct tcp *t;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	*t = (struct tcp){ .c = c, .lfd = -1, .sfd = -1, .cfd = -1,
			   .backoff = TCP_BACKOFF_MIN };
	if (cc->errq_len && c->limit > max / cc->errq_len)
		max = cc->errq_len * c->limit;
	chan_outq_init(&t->out, max);
	if (chan_auth(c))
		t->out.unit = chan_unit_frame;
	sync_loop_timer_init(&t->retry, tcp_retry_fire, t);
	t->peer_len = chan_sa_make(&t->peer, family, &cc->dest, cc->port,
				   c->ifindex);
	if (!chan_addr_any(family, &cc->addr))
		t->local_len = chan_sa_make(&t->local, family, &cc->addr, 0,
					    c->ifindex);
	c->priv = t;
	rc = tcp_listen(t);
	if (rc < 0) {
		tcp_close(c);
		return rc;
	}
	tcp_connect(t);
	return 0;
}

const struct chan_ops chan_tcp_ops = {
	.name = "TCP",
	.hdr = 40,		/* IPv4 header 20 + TCP header 20, as upstream */
	.open = tcp_open,
	.close = tcp_close,
	.send = tcp_send,
	.state = tcp_state,
};
