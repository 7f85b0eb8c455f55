// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event source: socket set-up, the receive loop's overrun handling and
 * the walk over a datagram's messages. ctnetlink sends one message per skb
 * (ctnetlink_conntrack_event builds one and nfnetlink_send multicasts it),
 * and netlink hands out one skb per recvmsg, so a datagram normally holds
 * one event; the walk takes any number all the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/bpf.h"
#include "ct/decode.h"
#include "ct/event.h"
#include "nl/sock.h"
#include "nl/uapi.h"

/* Datagrams taken per recvmmsg() and the room for each: an event is a
 * single message well under 2 KiB (ctnetlink_nlmsg_size); a larger
 * datagram is reported truncated (-EMSGSIZE). */
#define RX_SLOTS	32
#define RX_SLOT_SIZE	4096

struct ct_event_src {
	struct nl_sock *sock;
	unsigned int flags;
	int failed;			/* FATAL_OVERRUN tripped */
	unsigned int batch;		/* datagrams per receive */
	int drained;			/* the last receive emptied the queue */
	struct ct_event_stats st;
	struct sockaddr_nl from[RX_SLOTS];
	struct iovec iov[RX_SLOTS];
	struct mmsghdr mh[RX_SLOTS];
	_Alignas(4) unsigned char rx[RX_SLOTS][RX_SLOT_SIZE];
};

static const struct {
	unsigned int bit;
	unsigned int group;
} groups[] = {
	{ CT_EVENT_NEW, NFNLGRP_CONNTRACK_NEW },
	{ CT_EVENT_UPDATE, NFNLGRP_CONNTRACK_UPDATE },
	{ CT_EVENT_DESTROY, NFNLGRP_CONNTRACK_DESTROY },
	{ CT_EVENT_EXP_NEW, NFNLGRP_CONNTRACK_EXP_NEW },
	{ CT_EVENT_EXP_UPDATE, NFNLGRP_CONNTRACK_EXP_UPDATE },
	{ CT_EVENT_EXP_DESTROY, NFNLGRP_CONNTRACK_EXP_DESTROY },
};

#define GROUPS_ALL (CT_EVENT_CT_ALL | CT_EVENT_EXP_ALL)

int ct_event_open(struct ct_event_src **out, const struct ct_event_opts *opts)
{
	static const struct ct_event_opts defaults = { 0 };
	struct ct_event_src *ev;
	unsigned int mask;
	size_t want;
	int rc;

	if (!opts)
		opts = &defaults;
	mask = opts->groups ? opts->groups : CT_EVENT_CT_ALL;
	if (mask & ~(unsigned int)GROUPS_ALL)
		return -EINVAL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->flags = opts->flags;
	ev->batch = opts->batch && opts->batch < RX_SLOTS ? opts->batch
							   : RX_SLOTS;
	rc = nl_sock_open(&ev->sock, opts->netns);
	if (rc < 0)
		goto free_ev;
	/* We want to hear about every loss (the default; make it explicit),
	 * unless the kernel is asked to keep what it cannot deliver. */
	rc = nl_sock_set_opt(ev->sock, NETLINK_NO_ENOBUFS,
			     !!(opts->flags & CT_EVENT_F_RELIABLE));
	if (rc == 0 && (opts->flags & CT_EVENT_F_RELIABLE))
		rc = nl_sock_set_opt(ev->sock, NETLINK_BROADCAST_ERROR, 1);
	if (rc < 0)
		goto close_sock;
	if (!opts->rcvbuf && (opts->flags & CT_EVENT_F_SYSTEM_RCVBUF)) {
		rc = nl_sock_get_rcvbuf(ev->sock, &ev->st.rcvbuf);
	} else {
		want = opts->rcvbuf ? opts->rcvbuf : CT_EVENT_RCVBUF_DEFAULT;
		rc = nl_sock_set_rcvbuf(ev->sock, want, &ev->st.rcvbuf);
	}
	if (rc < 0)
		goto close_sock;
	ev->st.rcvbuf_max = opts->rcvbuf_max ? opts->rcvbuf_max
					     : CT_EVENT_RCVBUF_MAX;
	ev->st.at_max = ev->st.rcvbuf >= ev->st.rcvbuf_max;
	if (opts->flags & CT_EVENT_F_NONBLOCK) {
		rc = nl_sock_set_nonblock(ev->sock, 1);
		if (rc < 0)
			goto close_sock;
	}
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (!(mask & groups[i].bit))
			continue;
		rc = nl_sock_join(ev->sock, groups[i].group);
		if (rc < 0)
			goto close_sock;
	}
	*out = ev;
	return 0;
close_sock:
	nl_sock_close(ev->sock);
free_ev:
	free(ev);
	return rc;
}

void ct_event_close(struct ct_event_src *ev)
{
	if (!ev)
		return;
	nl_sock_close(ev->sock);
	free(ev);
}

int ct_event_fd(const struct ct_event_src *ev)
{
	return nl_sock_fd(ev->sock);
}

struct nl_sock *ct_event_sock(struct ct_event_src *ev)
{
	return ev->sock;
}

uint32_t ct_event_portid(const struct ct_event_src *ev)
{
	return nl_sock_portid(ev->sock);
}

int ct_event_set_filter(struct ct_event_src *ev, const struct ct_bpf_prog *p)
{
	int rc;

	if (!p) {
		rc = ct_bpf_detach(nl_sock_fd(ev->sock));
		if (rc == -ENOENT)
			rc = 0;
		if (rc == 0)
			ev->st.filtered = 0;
		return rc;
	}
	rc = ct_bpf_attach(nl_sock_fd(ev->sock), p);
	if (rc == 0)
		ev->st.filtered = 1;
	return rc;
}

int ct_event_set_rcvbuf(struct ct_event_src *ev, size_t bytes,
			size_t *actual)
{
	int rc = nl_sock_set_rcvbuf(ev->sock, bytes, &ev->st.rcvbuf);

	if (rc == 0 && actual)
		*actual = ev->st.rcvbuf;
	ev->st.at_max = ev->st.rcvbuf >= ev->st.rcvbuf_max;
	return rc;
}

void ct_event_stats(const struct ct_event_src *ev, struct ct_event_stats *st)
{
	*st = ev->st;
}

/* Doubles the receive buffer after an overrun, within the limit. */
static void grow(struct ct_event_src *ev)
{
	size_t cur = ev->st.rcvbuf, next;

	if (ev->st.at_max)
		return;
	/* asking for cur gives 2 * cur, as the kernel doubles requests */
	next = cur;
	if (2 * next > ev->st.rcvbuf_max)
		next = ev->st.rcvbuf_max / 2;
	if (nl_sock_set_rcvbuf(ev->sock, next, &ev->st.rcvbuf) < 0 ||
	    ev->st.rcvbuf <= cur) {
		/* SO_RCVBUF alone (no CAP_NET_ADMIN) stops at rmem_max */
		ev->st.rcvbuf = cur;
		ev->st.at_max = 1;
		return;
	}
	ev->st.grows++;
	if (ev->st.rcvbuf >= ev->st.rcvbuf_max)
		ev->st.at_max = 1;
}

/* The event type of a ctnetlink message, 0 if it is not an event. */
static int event_type(uint16_t nltype, uint16_t flags, uint8_t *kind)
{
	uint8_t sub = NFNL_SUBSYS_ID(nltype), cmd = NFNL_MSG_TYPE(nltype);
	uint8_t new_cmd, del_cmd;

	if (sub == NFNL_SUBSYS_CTNETLINK) {
		*kind = CT_EVENT_K_CONNTRACK;
		new_cmd = IPCTNL_MSG_CT_NEW;
		del_cmd = IPCTNL_MSG_CT_DELETE;
	} else if (sub == NFNL_SUBSYS_CTNETLINK_EXP) {
		*kind = CT_EVENT_K_EXPECT;
		new_cmd = IPCTNL_MSG_EXP_NEW;
		del_cmd = IPCTNL_MSG_EXP_DELETE;
	} else {
		return 0;
	}
	if (cmd == new_cmd)
		return (flags & NLM_F_CREATE) ? CT_EVENT_T_NEW
					      : CT_EVENT_T_UPDATE;
	if (cmd == del_cmd)
		return CT_EVENT_T_DESTROY;
	return 0;
}

/* Hands one message to @cb if it is an event: 1 if it was, 0 if not, or
 * the callback's error. */
static int one_event(const struct nlmsghdr *nlh, unsigned int flags,
		     ct_event_cb cb, void *arg, struct ct_event_stats *st)
{
	const size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));
	struct nl_attr_err err = { 0 };
	struct ct_event ev = { .nlh = nlh };
	struct ct_entry e;
	struct nlmsghdr h;
	struct nfgenmsg g;
	int type;

	memcpy(&h, nlh, sizeof(h));
	type = event_type(h.nlmsg_type, h.nlmsg_flags, &ev.kind);
	if (!type || h.nlmsg_len < hdr) {
		if (st)
			st->ignored++;
		return 0;
	}
	memcpy(&g, (const unsigned char *)nlh + NLMSG_HDRLEN, sizeof(g));
	ev.type = (uint8_t)type;
	ev.family = g.nfgen_family;
	ev.portid = h.nlmsg_pid;
	if (ev.kind == CT_EVENT_K_CONNTRACK && !(flags & CT_EVENT_F_NO_DECODE)) {
		ev.error = ct_entry_decode(nlh, &e, &err);
		if (ev.error == 0) {
			ev.entry = &e;
		} else {
			ev.err = &err;
			if (st)
				st->decode_errors++;
		}
	}
	if (st)
		st->events++;
	if (cb) {
		int rc = cb(&ev, arg);

		if (rc < 0)
			return rc;
	}
	return 1;
}

int ct_event_dispatch(const void *buf, size_t len, unsigned int flags,
		      ct_event_cb cb, void *arg, struct ct_event_stats *st)
{
	const unsigned char *p = buf;
	size_t off = 0;
	int n = 0, rc;

	while (len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;

		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			return -EBADMSG;
		rc = one_event((const struct nlmsghdr *)(const void *)(p + off),
			       flags, cb, arg, st);
		if (rc < 0)
			return rc;
		n += rc;
		off += NLMSG_ALIGN((size_t)h.nlmsg_len);
		if (off > len)
			break;
	}
	return n;
}

/*
 * One recvmmsg() takes every queued datagram up to RX_SLOTS: a burst of
 * events costs one system call, not one per event. A datagram from
 * anyone but the kernel is skipped; a truncated one ends the call with
 * -EMSGSIZE after the ones before it were handed over.
 */
int ct_event_drained(const struct ct_event_src *ev)
{
	return ev->drained;
}

/* SO_MEMINFO's array (linux/sock_diag.h SK_MEMINFO_*): rmem_alloc first,
 * rcvbuf second, then seven more (more in later kernels). */
#ifndef SO_MEMINFO
#define SO_MEMINFO	55
#endif
#define MEMINFO_RMEM_ALLOC	0
#define MEMINFO_RCVBUF		1
#define MEMINFO_VARS		16

int ct_event_backlog(const struct ct_event_src *ev, uint32_t *used,
		     uint32_t *size)
{
	uint32_t mi[MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mi);

	if (getsockopt(nl_sock_fd(ev->sock), SOL_SOCKET, SO_MEMINFO, mi,
		       &len) < 0)
		return -errno;
	if (len < (MEMINFO_RCVBUF + 1) * sizeof(mi[0]))
		return -EPROTO;
	*used = mi[MEMINFO_RMEM_ALLOC];
	*size = mi[MEMINFO_RCVBUF];
	return 0;
}

int ct_event_recv(struct ct_event_src *ev, ct_event_cb cb, void *arg)
{
	int n, rc, total = 0;

	ev->drained = 0;
	if (ev->failed)
		return -ENOBUFS;
	for (unsigned int i = 0; i < ev->batch; i++) {
		ev->iov[i] = (struct iovec){ ev->rx[i], RX_SLOT_SIZE };
		ev->mh[i].msg_hdr = (struct msghdr){
			.msg_name = &ev->from[i],
			.msg_namelen = sizeof(ev->from[i]),
			.msg_iov = &ev->iov[i], .msg_iovlen = 1 };
	}
	n = recvmmsg(nl_sock_fd(ev->sock), ev->mh, ev->batch,
		     (ev->flags & CT_EVENT_F_NONBLOCK) ? MSG_DONTWAIT : 0,
		     NULL);
	if (n < 0 && errno == ENOBUFS) {
		ev->st.overruns++;
		if (ev->flags & CT_EVENT_F_FATAL_OVERRUN)
			ev->failed = 1;
		else if (!(ev->flags & CT_EVENT_F_NO_GROW))
			grow(ev);
		return -ENOBUFS;
	}
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* fewer than asked for: nothing else was queued just now */
	ev->drained = (unsigned int)n < ev->batch;
	for (int i = 0; i < n; i++) {
		const struct msghdr *h = &ev->mh[i].msg_hdr;

		if (h->msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (h->msg_namelen != sizeof(ev->from[i]) ||
		    ev->from[i].nl_pid != 0)
			continue;
		ev->st.datagrams++;
		rc = ct_event_dispatch(ev->rx[i], ev->mh[i].msg_len,
				       ev->flags, cb, arg, &ev->st);
		if (rc < 0)
			return rc;
		total += rc;
	}
	return total;
}
