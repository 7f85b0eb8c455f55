/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's link watcher (upstream's nlif handle, libnfnetlink's
 * iftable): a table of the network interfaces of the namespace, by
 * index, with their name, MTU, flags (IFF_UP administrative, IFF_RUNNING
 * operational) and carrier, filled by an RTM_GETLINK dump when opened and
 * kept up to date from the RTNLGRP_LINK events of a NETLINK_ROUTE socket.
 * The dedicated links (sync/channel.h) read it to resolve their
 * Interface and to fail over when the active one goes down.
 *
 * Only AF_UNSPEC link messages change the table: the AF_BRIDGE ones a
 * bridge port also sends (whose RTM_DELLINK means "left the bridge") are
 * skipped. When the kernel drops events (ENOBUFS) the table is dumped
 * again. A table without a socket (sync_link_new) is filled by
 * sync_link_apply() alone: the unit tests feed it messages.
 */
#ifndef RAWCT_SYNC_LINK_H
#define RAWCT_SYNC_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "nl/rtnl.h"

struct sync_link;

/* One interface as the kernel last described it. */
struct sync_link_if {
	unsigned int ifindex;
	unsigned int flags;		/* RTNL_IFF_* (ifi_flags) */
	unsigned int mtu;		/* IFLA_MTU, 0 if never sent */
	int carrier;			/* IFLA_CARRIER: 0, 1; -1 unknown */
	char name[RTNL_IFNAMSIZ];	/* IFLA_IFNAME, "" if never sent */
};

/* An empty table and no socket. Returns 0 and *@out, or -ENOMEM. */
int sync_link_new(struct sync_link **out);

/*
 * sync_link_open - a table with its NETLINK_ROUTE socket: joins
 * RTNLGRP_LINK, then dumps every link (blocking until the dump is done,
 * again if the kernel marks it interrupted), then makes the socket
 * non-blocking. @netns as nl_sock_open() (NULL: the caller's).
 * Returns 0 and *@out, or -errno (of the socket, or the kernel's answer
 * to the dump).
 */
int sync_link_open(struct sync_link **out, const char *netns);

/* Closes the socket and frees the table; accepts NULL. */
void sync_link_free(struct sync_link *k);

/* The socket's descriptor to poll for input, -1 for a table without. */
int sync_link_fd(const struct sync_link *k);

/*
 * sync_link_recv - read one datagram from the socket and apply it.
 * Returns the number of link messages it carried (0: none, e.g. only the
 * end of a dump), -EAGAIN when nothing is queued, or another -errno of the
 * socket. After -ENOBUFS (events were lost) a new dump has been asked
 * for and 1 is returned: the caller must look at the table again.
 */
int sync_link_recv(struct sync_link *k);

/*
 * sync_link_apply - apply the messages of one datagram @buf (@len bytes):
 * RTM_NEWLINK adds or updates an interface (attributes absent from the
 * message leave the fields as they were), RTM_DELLINK removes it, the
 * end of our dump (or its error) ends it; other types are skipped.
 * Returns the number of link messages applied, -EBADMSG for a datagram
 * that is not a whole number of messages or a link message too short for
 * its header or with malformed attributes (the messages before it are
 * applied), -ENOMEM.
 */
int sync_link_apply(struct sync_link *k, const void *buf, size_t len);

/* The interface of index @ifindex, or NULL (valid until the next
 * change of the table). */
const struct sync_link_if *sync_link_get(const struct sync_link *k,
					 unsigned int ifindex);

/* The interface called @name, or NULL. */
const struct sync_link_if *sync_link_find(const struct sync_link *k,
					  const char *name);

/* The flags of @ifindex, 0 (down) for an interface the table does not
 * hold (removed). */
unsigned int sync_link_flags(const struct sync_link *k,
			     unsigned int ifindex);

#endif
