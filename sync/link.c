// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The link watcher: an array of interfaces sorted by index (a lookup per
 * event is a binary search; a host with thousands of links costs a
 * memmove per new one, once), fed by the dump taken at open and by the
 * link events after it. The dump and the events share one socket, so
 * the table always ends on the latest state the kernel told: an event
 * queued before the dump answer is older than it, one after is newer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/rtnl.h"
#include "nl/sock.h"
#include "sync/link.h"

#define LINK_DUMP_TRIES	4	/* dumps interrupted by changes in a row */

struct sync_link {
	struct nl_sock *sock;		/* NULL: a table fed by hand */
	struct sync_link_if *ifs;	/* sorted by ifindex */
	size_t n, cap;
	uint32_t dump_seq;
	int dumping;			/* a dump request is unanswered */
	int dump_intr;			/* it was marked NLM_F_DUMP_INTR */
	int dump_err;			/* its negative errno, or 0 */
	int redump;			/* events lost during a dump */
};

static const struct nl_attr_policy link_policy[IFLA_MAX_READ + 1] = {
	[IFLA_IFNAME] = { .kind = NL_ATTR_STRING, .max_len = RTNL_IFNAMSIZ },
	[IFLA_MTU] = { .kind = NL_ATTR_U32 },
	[IFLA_OPERSTATE] = { .kind = NL_ATTR_U8 },
	[IFLA_CARRIER] = { .kind = NL_ATTR_U8 },
};

int sync_link_new(struct sync_link **out)
{
	struct sync_link *k = calloc(1, sizeof(*k));

	if (!k)
		return -ENOMEM;
	*out = k;
	return 0;
}

void sync_link_free(struct sync_link *k)
{
	if (!k)
		return;
	nl_sock_close(k->sock);
	free(k->ifs);
	free(k);
}

int sync_link_fd(const struct sync_link *k)
{
	return k->sock ? nl_sock_fd(k->sock) : -1;
}

/* Index in k->ifs of @ifindex, or where it would go (*@found = 0). */
static size_t link_slot(const struct sync_link *k, unsigned int ifindex,
			int *found)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->ifs[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < k->n && k->ifs[lo].ifindex == ifindex;
	return lo;
}

const struct sync_link_if *sync_link_get(const struct sync_link *k,
					 unsigned int ifindex)
{
	int found;
	size_t i = link_slot(k, ifindex, &found);

	return found ? &k->ifs[i] : NULL;
}

const struct sync_link_if *sync_link_find(const struct sync_link *k,
					  const char *name)
{
	for (size_t i = 0; i < k->n; i++)
		if (strncmp(k->ifs[i].name, name, sizeof(k->ifs[i].name)) == 0)
			return &k->ifs[i];
	return NULL;
}

unsigned int sync_link_flags(const struct sync_link *k, unsigned int ifindex)
{
	const struct sync_link_if *i = sync_link_get(k, ifindex);

	return i ? i->flags : 0;
}

/* The entry of @ifindex, added (zeroed, carrier unknown) if new. */
static struct sync_link_if *link_upsert(struct sync_link *k,
					unsigned int ifindex)
{
	int found;
	size_t i = link_slot(k, ifindex, &found);

	if (found)
		return &k->ifs[i];
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 16;
		struct sync_link_if *p = realloc(k->ifs, cap * sizeof(*p));

		if (!p)
			return NULL;
		k->ifs = p;
		k->cap = cap;
	}
	memmove(&k->ifs[i + 1], &k->ifs[i], (k->n - i) * sizeof(*k->ifs));
	k->n++;
	k->ifs[i] = (struct sync_link_if){ .ifindex = ifindex, .carrier = -1 };
	return &k->ifs[i];
}

static void link_remove(struct sync_link *k, unsigned int ifindex)
{
	int found;
	size_t i = link_slot(k, ifindex, &found);

	if (!found)
		return;
	memmove(&k->ifs[i], &k->ifs[i + 1], (k->n - i - 1) * sizeof(*k->ifs));
	k->n--;
}

/* One RTM_NEWLINK / RTM_DELLINK. Returns 1 applied, 0 skipped, -errno. */
static int link_one(struct sync_link *k, const struct nlmsghdr *nlh,
		    const struct nlmsghdr *h)
{
	const size_t fixed = NLMSG_ALIGN(sizeof(struct ifinfomsg));
	const unsigned char *p = (const unsigned char *)nlh + NLMSG_HDRLEN;
	const struct nlattr *tb[IFLA_MAX_READ + 1];
	struct sync_link_if *e;
	struct ifinfomsg ifi;

	if (h->nlmsg_len - NLMSG_HDRLEN < sizeof(ifi))
		return -EBADMSG;
	memcpy(&ifi, p, sizeof(ifi));
	if (ifi.ifi_family != AF_UNSPEC || ifi.ifi_index <= 0)
		return 0;
	if (h->nlmsg_type == RTM_DELLINK) {
		link_remove(k, (unsigned int)ifi.ifi_index);
		return 1;
	}
	if (h->nlmsg_len - NLMSG_HDRLEN < fixed ||
	    nl_attr_parse(p + fixed, h->nlmsg_len - NLMSG_HDRLEN - fixed,
			  link_policy, IFLA_MAX_READ, tb, 0, NULL) < 0)
		return -EBADMSG;
	e = link_upsert(k, (unsigned int)ifi.ifi_index);
	if (!e)
		return -ENOMEM;
	e->flags = ifi.ifi_flags;
	if (tb[IFLA_IFNAME]) {
		/* the policy bounds it to the field, NUL included */
		strncpy(e->name, nl_attr_get_str(tb[IFLA_IFNAME]),
			sizeof(e->name) - 1);
		e->name[sizeof(e->name) - 1] = '\0';
	}
	if (tb[IFLA_MTU])
		e->mtu = nl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_CARRIER])
		e->carrier = !!nl_attr_get_u8(tb[IFLA_CARRIER]);
	return 1;
}

/* The end of our dump (NLMSG_DONE) or its failure (NLMSG_ERROR). */
static void link_dump_end(struct sync_link *k, const struct nlmsghdr *nlh,
			  const struct nlmsghdr *h)
{
	struct nl_ack ack;

	if (!k->dumping || h->nlmsg_seq != k->dump_seq ||
	    (k->sock && h->nlmsg_pid != nl_sock_portid(k->sock)))
		return;
	k->dumping = 0;
	if (nl_reply_ack_decode(nlh, &ack) < 0)
		k->dump_err = -EBADMSG;
	else if (ack.error)
		k->dump_err = -ack.error;
}

int sync_link_apply(struct sync_link *k, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh;
	struct nlmsghdr h;
	size_t off = 0;
	int n = 0, rc, err;

	while ((nlh = nl_reply_next(buf, len, &off, &h, &err))) {
		if (k->dumping && h.nlmsg_seq == k->dump_seq &&
		    (h.nlmsg_flags & NLM_F_DUMP_INTR))
			k->dump_intr = 1;
		switch (h.nlmsg_type) {
		case RTM_NEWLINK:
		case RTM_DELLINK:
			rc = link_one(k, nlh, &h);
			if (rc < 0)
				return rc;
			n += rc;
			break;
		case NLMSG_DONE:
		case NLMSG_ERROR:
			link_dump_end(k, nlh, &h);
			break;
		default:
			break;
		}
	}
	return err < 0 ? err : n;
}

/* Asks for every link. Returns 0 or -errno. */
static int link_dump_request(struct sync_link *k)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	unsigned char buf[64] __attribute__((aligned(4)));
	struct nl_msg m;
	int rc;

	k->dump_seq = nl_sock_seq_next(k->sock);
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin(&m, RTM_GETLINK, NLM_F_DUMP, k->dump_seq);
	if (rc == 0)
		rc = nl_msg_put_fixed(&m, &ifi, sizeof(ifi));
	if (rc < 0)
		return rc;
	nl_msg_end(&m);
	rc = nl_sock_send(k->sock, buf, m.len);
	if (rc < 0)
		return rc;
	k->dumping = 1;
	k->dump_intr = 0;
	k->dump_err = 0;
	return 0;
}

int sync_link_recv(struct sync_link *k)
{
	const void *data;
	ssize_t n;
	int rc;

	if (!k->sock)
		return -EBADF;
	n = nl_sock_recv(k->sock, &data);
	if (n == -ENOBUFS) {
		/* Events were dropped: what we hold may be stale. A dump
		 * running already cannot be asked for twice: after it. */
		if (k->dumping)
			k->redump = 1;
		else if ((rc = link_dump_request(k)) < 0)
			return rc;
		return 1;
	}
	if (n < 0)
		return (int)n;
	rc = sync_link_apply(k, data, (size_t)n);
	if (!k->dumping && (k->redump || k->dump_intr)) {
		k->redump = 0;
		k->dump_intr = 0;
		if (link_dump_request(k) < 0)
			k->redump = 1;
	}
	return rc;
}

/* The dump at open: blocking, retried while the kernel says the link
 * list changed under it. */
static int link_dump_sync(struct sync_link *k)
{
	int rc;

	for (int t = 0; t < LINK_DUMP_TRIES; t++) {
		rc = link_dump_request(k);
		if (rc < 0)
			return rc;
		while (k->dumping) {
			const void *data;
			ssize_t n = nl_sock_recv(k->sock, &data);

			if (n == -EINTR || n == -ENOBUFS) {
				k->dump_intr = k->dump_intr || n == -ENOBUFS;
				continue;
			}
			if (n < 0)
				return (int)n;
			rc = sync_link_apply(k, data, (size_t)n);
			if (rc < 0)
				return rc;
		}
		if (k->dump_err)
			return k->dump_err;
		if (!k->dump_intr)
			return 0;
	}
	return -EINTR;
}

int sync_link_open(struct sync_link **out, const char *netns)
{
	struct sync_link *k;
	int rc;

	rc = sync_link_new(&k);
	if (rc < 0)
		return rc;
	rc = nl_sock_open_proto(&k->sock, netns, NETLINK_ROUTE);
	if (rc < 0)
		goto free_link;
	rc = nl_sock_join(k->sock, RTNLGRP_LINK);
	if (rc == 0)
		rc = link_dump_sync(k);
	if (rc == 0)
		rc = nl_sock_set_nonblock(k->sock, 1);
	if (rc < 0)
		goto free_link;
	*out = k;
	return 0;
free_link:
	sync_link_free(k);
	return rc;
}
