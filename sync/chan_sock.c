// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Socket addresses and options of the dedicated links: the configured
 * addresses (network order, struct ct_addr) turned into sockaddrs and
 * compared with a sender's, the buffer sizes applied as upstream does
 * (forced when we may, which ignores the system maximum), descriptors
 * closed together with their loop registration.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sync/chan_int.h"

int chan_family(const struct sync_conf_chan *cc)
{
	return cc->family == AF_INET6 ? AF_INET6 : AF_INET;
}

socklen_t chan_sa_make(union chan_sa *sa, int family,
		       const union ct_addr *addr, uint16_t port,
		       unsigned int scope)
{
	memset(sa, 0, sizeof(*sa));
	if (family == AF_INET6) {
		sa->v6.sin6_family = AF_INET6;
		sa->v6.sin6_port = htons(port);
		memcpy(&sa->v6.sin6_addr, addr->v6, sizeof(addr->v6));
		sa->v6.sin6_scope_id = scope;
		return sizeof(sa->v6);
	}
	sa->v4.sin_family = AF_INET;
	sa->v4.sin_port = htons(port);
	sa->v4.sin_addr.s_addr = addr->v4;
	return sizeof(sa->v4);
}

int chan_sa_is(const union chan_sa *sa, socklen_t len, int family,
	       const union ct_addr *addr)
{
	if (family == AF_INET6)
		return len >= (socklen_t)sizeof(sa->v6) &&
		       sa->sa.sa_family == AF_INET6 &&
		       memcmp(&sa->v6.sin6_addr, addr->v6,
			      sizeof(addr->v6)) == 0;
	return len >= (socklen_t)sizeof(sa->v4) &&
	       sa->sa.sa_family == AF_INET &&
	       sa->v4.sin_addr.s_addr == addr->v4;
}

int chan_addr_any(int family, const union ct_addr *addr)
{
	static const uint8_t zero[16];

	if (family == AF_INET6)
		return memcmp(addr->v6, zero, sizeof(zero)) == 0;
	return addr->v4 == 0;
}

int chan_socket(int family, int type, int nb)
{
	int fd = socket(family, type | SOCK_CLOEXEC | (nb ? SOCK_NONBLOCK : 0),
			0);

	return fd < 0 ? -errno : fd;
}

int chan_sockopt(int fd, int level, int name, int val)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)) < 0)
		return -errno;
	return 0;
}

int chan_sockbuf(int fd, int rcv, uint32_t bytes)
{
	int v = bytes > INT32_MAX / 2 ? INT32_MAX / 2 : (int)bytes;

	if (!bytes)
		return 0;
	if (chan_sockopt(fd, SOL_SOCKET, rcv ? SO_RCVBUFFORCE : SO_SNDBUFFORCE,
			 v) == 0)
		return 0;
	return chan_sockopt(fd, SOL_SOCKET, rcv ? SO_RCVBUF : SO_SNDBUF, v);
}

int sync_chan_stream_socket(const struct sync_conf_chan *cc)
{
	int fd = chan_socket(chan_family(cc), SOCK_STREAM, 1), rc;

	if (fd < 0)
		return fd;
	rc = chan_sockbuf(fd, 0, cc->sndbuf);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int chan_bind(int fd, const union chan_sa *sa, socklen_t len)
{
	if (bind(fd, &sa->sa, len) < 0)
		return -errno;
	return 0;
}

void chan_fd_close(struct sync_loop *l, int *fd)
{
	if (*fd < 0)
		return;
	sync_loop_fd_del(l, *fd);
	close(*fd);
	*fd = -1;
}
