// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The multicast dedicated link (upstream mcast.c, channel_mcast.c):
 * receives on the group IPv4_address/IPv6_address and port Group, joined
 * on the configured interface; sends to the group out of that interface,
 * loopback off, TTL 1 (the default upstream relies on).
 *
 * Upstream 1.4.8 binds INADDR_ANY:Group, so any datagram to that port,
 * unicast or to another group it or another process joined, on any
 * interface, is taken as sync traffic (spec 5; upstream fixed the bind
 * in late 2025). Here the socket is bound to the group itself,
 * IP_MULTICAST_ALL is off (only the memberships of this socket count),
 * the membership names the interface by index (and IPv4_interface
 * address when given), and each datagram's arrival interface (IP_PKTINFO,
 * IPV6_RECVPKTINFO) must be the configured one, else it is dropped and
 * counted.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sync/chan_int.h"

static int mcast_accept(const struct chan *c, const struct msghdr *mh)
{
	return chan_dgram_ifindex(mh) == c->ifindex;
}

/* Joins the group on the interface and asks for arrival interfaces. */
static int mcast_rx_setup(const struct chan *c, int fd)
{
	const struct sync_conf_chan *cc = &c->conf;
	int rc;

	if (chan_family(cc) == AF_INET6) {
		struct ipv6_mreq mr = { .ipv6mr_interface = c->ifindex };

		memcpy(&mr.ipv6mr_multiaddr, cc->addr.v6, sizeof(cc->addr.v6));
		/* before Linux 4.20 there is no such option: then the
		 * arrival interface check alone keeps others' groups out */
		rc = chan_sockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0);
		if (rc == -ENOPROTOOPT)
			rc = 0;
		if (rc == 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP,
					  &mr, sizeof(mr)) < 0)
			rc = -errno;
		if (rc == 0)
			rc = chan_dgram_pktinfo(fd, AF_INET6);
		return rc;
	}
	struct ip_mreqn mr = { .imr_ifindex = (int)c->ifindex };

	mr.imr_multiaddr.s_addr = cc->addr.v4;
	mr.imr_address.s_addr = cc->ifaddr.v4;
	rc = chan_sockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0);
	if (rc == 0 && setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP,
				  &mr, sizeof(mr)) < 0)
		rc = -errno;
	if (rc == 0)
		rc = chan_dgram_pktinfo(fd, AF_INET);
	return rc;
}

/* Out of the interface, not looped back, one hop. */
static int mcast_tx_setup(const struct chan *c, int fd)
{
	const struct sync_conf_chan *cc = &c->conf;
	int rc;

	if (chan_family(cc) == AF_INET6) {
		rc = chan_sockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0);
		if (rc == 0)
			rc = chan_sockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
					  (int)c->ifindex);
		if (rc == 0)
			rc = chan_sockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
					  1);
		return rc;
	}
	struct ip_mreqn mr = { .imr_ifindex = (int)c->ifindex };

	mr.imr_address.s_addr = cc->ifaddr.v4;
	rc = chan_sockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0);
	if (rc == 0 && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
				  sizeof(mr)) < 0)
		rc = -errno;
	if (rc == 0)
		rc = chan_sockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, 1);
	return rc;
}

static int mcast_open(struct chan *c)
{
	const struct sync_conf_chan *cc = &c->conf;
	union chan_sa group;
	socklen_t len;
	int rx, tx, rc;

	len = chan_sa_make(&group, chan_family(cc), &cc->addr, cc->port,
			   c->ifindex);
	rx = chan_dgram_rx_socket(cc, &group, len);
	if (rx < 0)
		return rx;
	rc = mcast_rx_setup(c, rx);
	if (rc < 0)
		goto close_rx;
	tx = chan_dgram_tx_socket(cc);
	if (tx < 0) {
		rc = tx;
		goto close_rx;
	}
	rc = mcast_tx_setup(c, tx);
	if (rc < 0)
		goto close_tx;
	return chan_dgram_start(c, rx, tx, &group, len, mcast_accept);
close_tx:
	close(tx);
close_rx:
	close(rx);
	return rc;
}

const struct chan_ops chan_mcast_ops = {
	.name = "multicast",
	.hdr = 28,		/* IPv4 header 20 + UDP header 8, as upstream */
	.open = mcast_open,
	.close = chan_dgram_close,
	.send = chan_dgram_send,
};
