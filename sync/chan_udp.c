// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The UDP dedicated link (upstream udp.c, channel_udp.c): receives on
 * IPv4_address/IPv6_address:Port (IPv6 scoped to Interface), sends to
 * the Destination_Address:Port. Unlike upstream, a datagram whose source
 * is not the destination address is dropped and counted, and the send
 * socket is bound to the configured address, so the peer (which checks
 * the same way) sees the address it expects whatever route is taken.
 */
#include <errno.h>
#include <unistd.h>

#include "sync/chan_int.h"

static int udp_accept(const struct chan *c, const struct msghdr *mh)
{
	return chan_sa_is(mh->msg_name, mh->msg_namelen,
			  chan_family(&c->conf), &c->conf.dest);
}

static int udp_open(struct chan *c)
{
	const struct sync_conf_chan *cc = &c->conf;
	int family = chan_family(cc), rx, tx, rc;
	union chan_sa sa, dst;
	socklen_t len, dlen;

	len = chan_sa_make(&sa, family, &cc->addr, cc->port, c->ifindex);
	dlen = chan_sa_make(&dst, family, &cc->dest, cc->port, c->ifindex);
	rx = chan_dgram_rx_socket(cc, &sa, len);
	if (rx < 0)
		return rx;
	/* authentication checks the arrival interface too */
	if (chan_auth(c) && (rc = chan_dgram_pktinfo(rx, family)) < 0) {
		close(rx);
		return rc;
	}
	tx = chan_dgram_tx_socket(cc);
	if (tx < 0) {
		close(rx);
		return tx;
	}
	if (!chan_addr_any(family, &cc->addr)) {
		len = chan_sa_make(&sa, family, &cc->addr, 0, c->ifindex);
		rc = chan_bind(tx, &sa, len);
		if (rc < 0) {
			close(rx);
			close(tx);
			return rc;
		}
	}
	return chan_dgram_start(c, rx, tx, &dst, dlen, udp_accept);
}

const struct chan_ops chan_udp_ops = {
	.name = "UDP",
	.hdr = 28,		/* IPv4 header 20 + UDP header 8, as upstream */
	.open = udp_open,
	.close = chan_dgram_close,
	.send = chan_dgram_send,
};
