// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the UDP and multicast channels share (upstream's udp.c and
 * mcast.c are the same code twice): a receive socket bound where the
 * transport says, read up to CHAN_RX_BURST datagrams per wakeup with
 * the sender's address and the control messages the transport asked for,
 * each datagram kept only if the transport's predicate says it is from
 * the peer (else counted as dropped_peer, which upstream never checks:
 * spec 5), or with authentication if its sender is on the allow-list and
 * it came in on the link's interface (else counted as not allowed); and a
 * send socket with one destination.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "sync/auth.h"
#include "sync/chan_int.h"

#define DGRAM_SEND_WAIT_US	100000	/* longest wait for buffer space */

struct dgram {
	int rx, tx;
	union chan_sa dst;
	socklen_t dst_len;
	chan_dgram_accept_fn accept;
};

int chan_dgram_tx_socket(const struct sync_conf_chan *cc)
{
	struct timeval tv = { .tv_usec = DGRAM_SEND_WAIT_US };
	int fd, rc;

	fd = chan_socket(chan_family(cc), SOCK_DGRAM, 0);
	if (fd < 0)
		return fd;
	rc = chan_sockbuf(fd, 0, cc->sndbuf);
	if (rc == 0 && chan_family(cc) == AF_INET && !cc->checksum)
		rc = chan_sockopt(fd, SOL_SOCKET, SO_NO_CHECK, 1);
	if (rc == 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		rc = -errno;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int chan_dgram_rx_socket(const struct sync_conf_chan *cc,
			 const union chan_sa *sa, socklen_t len)
{
	int fd, rc;

	fd = chan_socket(chan_family(cc), SOCK_DGRAM, 1);
	if (fd < 0)
		return fd;
	rc = chan_sockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (rc == 0)
		rc = chan_sockbuf(fd, 1, cc->rcvbuf);
	if (rc == 0)
		rc = chan_bind(fd, sa, len);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

unsigned int chan_dgram_ifindex(const struct msghdr *mh)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm;
	     cm = CMSG_NXTHDR((struct msghdr *)(void *)(uintptr_t)mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			return pi.ipi_ifindex > 0 ? (unsigned)pi.ipi_ifindex : 0;
		}
		if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			return pi.ipi6_ifindex;
		}
	}
	return 0;
}

int chan_dgram_pktinfo(int fd, int family)
{
	if (family == AF_INET6)
		return chan_sockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
	return chan_sockopt(fd, IPPROTO_IP, IP_PKTINFO, 1);
}

/* With authentication: the sender is on the allow-list and the datagram
 * came in on the link's interface. */
static int dgram_allowed(const struct chan *c, const struct msghdr *mh)
{
	const union chan_sa *from = mh->msg_name;

	if (chan_dgram_ifindex(mh) != c->ifindex)
		return 0;
	if (mh->msg_namelen >= (socklen_t)sizeof(from->v6) &&
	    from->sa.sa_family == AF_INET6)
		return sync_auth_allowed(chan_auth(c), AF_INET6,
					 &from->v6.sin6_addr);
	if (mh->msg_namelen >= (socklen_t)sizeof(from->v4) &&
	    from->sa.sa_family == AF_INET)
		return sync_auth_allowed(chan_auth(c), AF_INET,
					 &from->v4.sin_addr);
	return 0;
}

/* One datagram from @fd into c->rx. Returns 1 handled, 0 nothing
 * queued, -1 a receive error (counted). */
static int dgram_read_one(struct chan *c, int fd)
{
	struct dgram *d = c->priv;
	union chan_sa from;
	unsigned char cbuf[256] __attribute__((aligned(8)));
	struct iovec iov = { .iov_base = c->rx, .iov_len = CHAN_RX_MAX };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	ssize_t n;

	n = recvmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno != EINTR)
			c->st.err_recv++;
		return -1;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		c->st.err_recv++;
		return 1;
	}
	if (chan_auth(c) && !dgram_allowed(c, &mh)) {
		chan_refuse(c, SYNC_AUTH_NOT_ALLOWED);
		return 1;
	}
	if (!chan_auth(c) && !d->accept(c, &mh)) {
		c->st.dropped_peer++;
		return 1;
	}
	c->st.bytes_recv += (uint64_t)n;
	c->st.pkts_recv++;
	chan_recv(c, c->rx, (size_t)n);
	return 1;
}

static void dgram_read(struct sync_loop *l, int fd, unsigned int revents,
		       void *arg)
{
	struct chan *c = arg;

	for (int k = 0; k < CHAN_RX_BURST; k++)
		if (dgram_read_one(c, fd) <= 0)
			break;
}

int chan_dgram_start(struct chan *c, int rx, int tx,
		     const union chan_sa *dst, socklen_t dst_len,
		     chan_dgram_accept_fn accept)
{
	struct dgram *d = calloc(1, sizeof(*d));
	int rc;

	if (!d) {
		rc = -ENOMEM;
		goto close_fds;
	}
	*d = (struct dgram){ .rx = rx, .tx = tx, .dst = *dst,
			     .dst_len = dst_len, .accept = accept };
	rc = sync_loop_fd_add(chan_loop(c), rx, POLLIN, dgram_read, c);
	if (rc < 0)
		goto free_dgram;
	c->priv = d;
	return 0;
free_dgram:
	free(d);
close_fds:
	close(rx);
	close(tx);
	return rc;
}

void chan_dgram_close(struct chan *c)
{
	struct dgram *d = c->priv;

	if (!d)
		return;
	chan_fd_close(chan_loop(c), &d->rx);
	if (d->tx >= 0)
		close(d->tx);
	free(d);
	c->priv = NULL;
}

int chan_dgram_send(struct chan *c, const void *buf, size_t len)
{
	struct dgram *d = c->priv;
	ssize_t n;

	do
		n = sendto(d->tx, buf, len, MSG_NOSIGNAL, &d->dst.sa,
			   d->dst_len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		c->st.err_send++;
		return -errno;
	}
	c->st.bytes_sent += (uint64_t)n;
	c->st.pkts_sent++;
	return 0;
}
