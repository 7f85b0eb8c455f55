// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Netlink sockets: NETLINK_NETFILTER for ctnetlink, any other protocol
 * (NETLINK_ROUTE for conntrackd's link watcher) on request. Entering a network namespace uses setns() on
 * the calling thread just for socket(): a netlink socket belongs to the
 * namespace it was created in, so the thread switches back at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "nl/sock.h"
#include "nl/uapi.h"

struct nl_sock {
	int fd;
	int proto;			/* NETLINK_NETFILTER, NETLINK_ROUTE */
	uint32_t portid;
	uint32_t seq;
	char *netns;			/* where it was opened, or NULL */
	const struct nl_sock_ops *ops;	/* privileged operations elsewhere */
	void *ops_arg;
	unsigned char rx[NL_SOCK_RXBUF];
};

static int socket_in_netns(const char *netns, int proto)
{
	int self, target, fd, saved;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	target = open(netns, O_RDONLY | O_CLOEXEC);
	if (target < 0) {
		saved = -errno;
		goto close_self;
	}
	if (setns(target, CLONE_NEWNET) < 0) {
		saved = -errno;
		goto close_target;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	saved = fd < 0 ? -errno : fd;
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Stuck in the other namespace: refuse to go on there. */
		if (fd >= 0)
			close(fd);
		saved = -errno;
	}
close_target:
	close(target);
close_self:
	close(self);
	return saved;
}

static uint32_t seq_start(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16;
	}
	return v;
}

int nl_sock_open(struct nl_sock **out, const char *netns)
{
	return nl_sock_open_proto(out, netns, NETLINK_NETFILTER);
}

int nl_sock_open_proto(struct nl_sock **out, const char *netns, int proto)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	struct nl_sock *s;
	int rc;

	/* not calloc: zeroing the receive buffer would touch 64 KiB that a
	 * socket whose dumps go to nl_query_piped() never uses */
	s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s, 0, offsetof(struct nl_sock, rx));
	s->proto = proto;
	if (netns)
		s->fd = socket_in_netns(netns, proto);
	else
		s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s->fd < 0) {
		rc = netns ? s->fd : -errno;
		goto free_sock;
	}
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &salen) < 0) {
		rc = -errno;
		goto close_fd;
	}
	if (salen != sizeof(sa) || sa.nl_family != AF_NETLINK) {
		rc = -EINVAL;
		goto close_fd;
	}
	if (netns && !(s->netns = strdup(netns))) {
		rc = -ENOMEM;
		goto close_fd;
	}
	s->portid = sa.nl_pid;
	s->seq = seq_start();
	/* Older kernels lack these; we work without them. */
	nl_sock_set_opt(s, NETLINK_EXT_ACK, 1);
	nl_sock_set_opt(s, NETLINK_CAP_ACK, 1);
	*out = s;
	return 0;
close_fd:
	close(s->fd);
free_sock:
	free(s);
	return rc;
}

int nl_sock_adopt(struct nl_sock **out, int fd)
{
	struct sockaddr_nl sa;
	socklen_t salen = sizeof(sa);
	int proto;
	socklen_t plen = sizeof(proto);
	struct nl_sock *s;

	if (getsockname(fd, (struct sockaddr *)&sa, &salen) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &plen) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	if (salen != sizeof(sa) || sa.nl_family != AF_NETLINK) {
		close(fd);
		return -EINVAL;
	}
	s = malloc(sizeof(*s));
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	memset(s, 0, offsetof(struct nl_sock, rx));
	s->fd = fd;
	s->proto = proto;
	s->portid = sa.nl_pid;
	s->seq = seq_start();
	nl_sock_set_opt(s, NETLINK_EXT_ACK, 1);
	nl_sock_set_opt(s, NETLINK_CAP_ACK, 1);
	*out = s;
	return 0;
}

void nl_sock_close(struct nl_sock *s)
{
	if (!s)
		return;
	close(s->fd);
	free(s->netns);
	free(s);
}

int nl_sock_open_sibling(const struct nl_sock *s, struct nl_sock **out)
{
	return nl_sock_open_proto(out, s->netns, s->proto);
}

int nl_sock_fd(const struct nl_sock *s)
{
	return s->fd;
}

uint32_t nl_sock_portid(const struct nl_sock *s)
{
	return s->portid;
}

uint32_t nl_sock_seq_reserve(struct nl_sock *s, uint32_t count)
{
	uint32_t first;

	/* Keep the whole range clear of 0 (events carry seq 0). */
	if (s->seq == 0 || s->seq > UINT32_MAX - count)
		s->seq = 1;
	first = s->seq;
	s->seq += count;
	return first;
}

uint32_t nl_sock_seq_next(struct nl_sock *s)
{
	return nl_sock_seq_reserve(s, 1);
}

int nl_sock_get_rcvbuf(const struct nl_sock *s, size_t *bytes)
{
	int v = 0;
	socklen_t l = sizeof(v);

	if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &v, &l) < 0)
		return -errno;
	*bytes = (size_t)v;
	return 0;
}

void nl_sock_set_ops(struct nl_sock *s, const struct nl_sock_ops *ops,
		     void *arg)
{
	s->ops = ops;
	s->ops_arg = arg;
}

int nl_sock_set_rcvbuf(struct nl_sock *s, size_t bytes, size_t *actual)
{
	int v = bytes > INT32_MAX / 2 ? INT32_MAX / 2 : (int)bytes;
	int rc;

	if (s->ops && s->ops->rcvbuf) {
		rc = s->ops->rcvbuf(s->ops_arg, s->fd, (size_t)v);
		if (rc < 0)
			return rc;
		return actual ? nl_sock_get_rcvbuf(s, actual) : 0;
	}
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0 &&
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
		return -errno;
	return actual ? nl_sock_get_rcvbuf(s, actual) : 0;
}

int nl_sock_set_opt(struct nl_sock *s, int opt, int on)
{
	if (setsockopt(s->fd, SOL_NETLINK, opt, &on, sizeof(on)) < 0)
		return -errno;
	return 0;
}

int nl_sock_join(struct nl_sock *s, unsigned int group)
{
	return nl_sock_set_opt(s, NETLINK_ADD_MEMBERSHIP, (int)group);
}

int nl_sock_leave(struct nl_sock *s, unsigned int group)
{
	return nl_sock_set_opt(s, NETLINK_DROP_MEMBERSHIP, (int)group);
}

int nl_sock_send_start(struct nl_sock *s, const void *buf, size_t len)
{
	if (s->ops && s->ops->send_start && s->ops->send_end)
		return s->ops->send_start(s->ops_arg, s->fd, buf, len);
	return nl_sock_send(s, buf, len);
}

int nl_sock_send_end(struct nl_sock *s)
{
	if (s->ops && s->ops->send_start && s->ops->send_end)
		return s->ops->send_end(s->ops_arg);
	return 0;
}

int nl_sock_send(struct nl_sock *s, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	if (s->ops && s->ops->send)
		return s->ops->send(s->ops_arg, s->fd, buf, len);
	do
		n = sendto(s->fd, buf, len, 0, (struct sockaddr *)&sa,
			   sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EMSGSIZE;
	return 0;
}

ssize_t nl_sock_recv(struct nl_sock *s, const void **data)
{
	ssize_t n = nl_sock_recv_buf(s, s->rx, sizeof(s->rx));

	if (n >= 0)
		*data = s->rx;
	return n;
}

ssize_t nl_sock_recv_buf(struct nl_sock *s, void *buf, size_t cap)
{
	struct sockaddr_nl sa;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(s->fd, &mh, 0);
	if (n < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (mh.msg_namelen != sizeof(sa) || sa.nl_pid != 0)
		return -EPROTO;
	return n;
}

int nl_sock_set_nonblock(struct nl_sock *s, int on)
{
	int fl = fcntl(s->fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(s->fd, F_SETFL, fl) < 0)
		return -errno;
	return 0;
}
