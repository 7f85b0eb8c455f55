/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conntrack event source of `conntrack -E`: a NETLINK_NETFILTER socket
 * (in the caller's or a named network namespace) subscribed to the
 * ctnetlink multicast groups of an event mask, with a receive buffer sized
 * for bursts, an optional kernel-side BPF pre-filter (ct/bpf.h), and
 * overrun handling that never hides a loss: every ENOBUFS is counted,
 * reported to the caller and, unless told otherwise, answered by doubling
 * the receive buffer up to a limit; the source stays usable.
 *
 * Receiving is poll-friendly: ct_event_fd() gives the descriptor, and a
 * non-blocking source returns -EAGAIN when nothing is queued. Each
 * received message is handed to a callback with its event type derived
 * as upstream does, the port id of the process whose request caused it
 * (the [USERSPACE] suffix) and, for conntrack events, the decoded entry.
 */
#ifndef RAWCT_CT_EVENT_H
#define RAWCT_CT_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"
#include "nl/attr.h"
#include "nl/uapi.h"

struct ct_event_src;
struct ct_bpf_prog;

/* Event mask: which groups to join (ct_event_opts.groups). */
enum {
	CT_EVENT_NEW		= 1 << 0,	/* NFNLGRP_CONNTRACK_NEW */
	CT_EVENT_UPDATE		= 1 << 1,	/* NFNLGRP_CONNTRACK_UPDATE */
	CT_EVENT_DESTROY	= 1 << 2,	/* NFNLGRP_CONNTRACK_DESTROY */
	CT_EVENT_EXP_NEW	= 1 << 3,	/* NFNLGRP_CONNTRACK_EXP_NEW */
	CT_EVENT_EXP_UPDATE	= 1 << 4,	/* NFNLGRP_CONNTRACK_EXP_UPDATE */
	CT_EVENT_EXP_DESTROY	= 1 << 5,	/* NFNLGRP_CONNTRACK_EXP_DESTROY */
};
#define CT_EVENT_CT_ALL		(CT_EVENT_NEW | CT_EVENT_UPDATE | \
				 CT_EVENT_DESTROY)
#define CT_EVENT_EXP_ALL	(CT_EVENT_EXP_NEW | CT_EVENT_EXP_UPDATE | \
				 CT_EVENT_EXP_DESTROY)

/* Behaviour flags (ct_event_opts.flags). */
enum {
	CT_EVENT_F_NONBLOCK	= 1 << 0,	/* receives return -EAGAIN */
	CT_EVENT_F_FATAL_OVERRUN = 1 << 1,	/* after an ENOBUFS, do not grow
						 * the buffer and fail every
						 * later receive with -ENOBUFS:
						 * the stream is incomplete */
	CT_EVENT_F_NO_DECODE	= 1 << 2,	/* do not decode entries (the
						 * callback decodes nlh) */
	CT_EVENT_F_SYSTEM_RCVBUF = 1 << 3,	/* rcvbuf 0: keep the system's
						 * default buffer (read back)
						 * instead of ours */
	CT_EVENT_F_NO_GROW	= 1 << 4,	/* count ENOBUFS but leave the
						 * buffer to the caller
						 * (ct_event_set_rcvbuf) */
	CT_EVENT_F_RELIABLE	= 1 << 5,	/* NETLINK_BROADCAST_ERROR and
						 * NETLINK_NO_ENOBUFS: the
						 * kernel keeps what it could
						 * not deliver (conntrackd's
						 * NetlinkEventsReliable) */
};

/* Sizes. The kernel doubles what setsockopt asks for; sizes reported
 * here are what getsockopt(SO_RCVBUF) returns, i.e. the doubled value. */
#define CT_EVENT_RCVBUF_DEFAULT	(2U * 1024 * 1024)	/* asked: 4 MiB */
#define CT_EVENT_RCVBUF_MAX	(64U * 1024 * 1024)	/* growth limit */

struct ct_event_opts {
	const char *netns;	/* namespace path (as nl_sock_open), or NULL */
	unsigned int groups;	/* CT_EVENT_* mask; 0 = CT_EVENT_CT_ALL */
	unsigned int flags;	/* CT_EVENT_F_* */
	size_t rcvbuf;		/* bytes to ask for (-b); 0 = the default.
				 * Applied with SO_RCVBUFFORCE, falling back
				 * to SO_RCVBUF (capped by rmem_max) */
	unsigned int batch;	/* datagrams (one event each) taken by one
				 * receive, 1..32; 0 = 32 (conntrackd's
				 * EventIterationLimit) */
	size_t rcvbuf_max;	/* ENOBUFS growth stops here (as reported,
				 * i.e. doubled); 0 = CT_EVENT_RCVBUF_MAX;
				 * below the initial size: no growth */
};

/* The event's type, as upstream derives it from the message. */
enum ct_event_type {
	CT_EVENT_T_NEW = 1,	/* *_NEW with NLM_F_CREATE */
	CT_EVENT_T_UPDATE,	/* *_NEW without NLM_F_CREATE */
	CT_EVENT_T_DESTROY,	/* *_DELETE */
};

/* What the message is about. */
enum ct_event_kind {
	CT_EVENT_K_CONNTRACK = 1,	/* NFNL_SUBSYS_CTNETLINK */
	CT_EVENT_K_EXPECT,		/* NFNL_SUBSYS_CTNETLINK_EXP */
};

/* One event. Everything is borrowed from the receive buffer and valid
 * only during the callback. */
struct ct_event {
	uint8_t kind;			/* enum ct_event_kind */
	uint8_t type;			/* enum ct_event_type */
	uint8_t family;			/* nfgenmsg family */
	uint32_t portid;		/* nlmsg_pid: the port id of the
					 * requester, 0 if the kernel itself
					 * caused it (no [USERSPACE]) */
	const struct nlmsghdr *nlh;	/* the raw message */
	/* conntrack events unless CT_EVENT_F_NO_DECODE: */
	const struct ct_entry *entry;	/* NULL if not decoded */
	int error;			/* decode error (-EBADMSG, -ERANGE,
					 * -EINVAL), entry then NULL */
	const struct nl_attr_err *err;	/* where, when error != 0 */
};

/* Called per event; return 0 to go on or a negative errno to stop the
 * rest of the datagram (ct_event_recv returns it). */
typedef int (*ct_event_cb)(const struct ct_event *ev, void *arg);

struct ct_event_stats {
	uint64_t datagrams;	/* received */
	uint64_t events;	/* handed to the callback */
	uint64_t ignored;	/* messages that are not events */
	uint64_t decode_errors;	/* conntrack events that did not decode */
	uint64_t overruns;	/* ENOBUFS: the kernel dropped events */
	uint64_t grows;		/* receive buffer enlargements */
	size_t rcvbuf;		/* current receive buffer (getsockopt) */
	size_t rcvbuf_max;	/* growth limit in effect */
	int at_max;		/* the buffer cannot grow any more */
	int filtered;		/* a BPF filter is attached */
};

/*
 * ct_event_open - open the source: socket (in opts->netns if set),
 * NETLINK_NO_ENOBUFS off, receive buffer, groups joined. @opts may be
 * NULL (defaults). Returns 0 and *@out, or -errno: -EINVAL for groups
 * outside the mask, -ENOENT/-EPERM for the namespace, -EPERM/-EACCES when
 * joining is not allowed. Free with ct_event_close().
 */
int ct_event_open(struct ct_event_src **out, const struct ct_event_opts *opts);

/* Closes and frees; accepts NULL. */
void ct_event_close(struct ct_event_src *ev);

/* The socket, for poll(2) (POLLIN). */
int ct_event_fd(const struct ct_event_src *ev);
/* The netlink socket itself (to route its buffer changes elsewhere,
 * nl_sock_set_ops). */
struct nl_sock *ct_event_sock(struct ct_event_src *ev);

/* Our netlink port id (to recognise events we caused ourselves). */
uint32_t ct_event_portid(const struct ct_event_src *ev);

/*
 * ct_event_set_filter - attach a compiled program (ct_bpf_compile) so the
 * kernel drops non-matching events before queueing them; NULL detaches.
 * The userspace filter must still run on what arrives (the program is a
 * pre-filter). Returns 0 or -errno (-EINVAL if the kernel refuses it).
 */
int ct_event_set_filter(struct ct_event_src *ev, const struct ct_bpf_prog *p);

/*
 * ct_event_recv - receive the queued datagrams (one at least, when
 * blocking; as many as one recvmmsg takes) and hand each of their events
 * to @cb. Returns the number of events handed over (0 for datagrams with
 * none); -EAGAIN (non-blocking, nothing queued); -EINTR (signal);
 * -ENOBUFS when the kernel dropped events: counted in the statistics and,
 * without CT_EVENT_F_FATAL_OVERRUN, the buffer doubled (up to the limit;
 * stats.at_max says when it cannot grow) and the source still usable:
 * the caller warns and calls again; with it, every later call fails with
 * -ENOBUFS too. -EMSGSIZE for a truncated datagram; the callback's error;
 * another -errno from the socket.
 */
int ct_event_recv(struct ct_event_src *ev, ct_event_cb cb, void *arg);

/* Whether the last ct_event_recv() took fewer datagrams than it had room
 * for, i.e. the queue was empty when it returned: a caller can go back to
 * poll() without one more receive that would only say -EAGAIN. */
int ct_event_drained(const struct ct_event_src *ev);

/* How full the receive buffer is: *@used bytes queued of the *@size it
 * may hold (the kernel's sk_rmem_alloc and sk_rcvbuf, SO_MEMINFO).
 * Returns 0 or -errno (-ENOPROTOOPT before Linux 4.6). */
int ct_event_backlog(const struct ct_event_src *ev, uint32_t *used,
		     uint32_t *size);

/* Sets the receive buffer as nl_sock_set_rcvbuf() (@bytes is doubled by
 * the kernel); the statistics follow. Returns 0 or -errno. */
int ct_event_set_rcvbuf(struct ct_event_src *ev, size_t bytes,
			size_t *actual);
/* Statistics so far (copied into @st). */
void ct_event_stats(const struct ct_event_src *ev, struct ct_event_stats *st);

/*
 * ct_event_dispatch - the message walk of ct_event_recv() on a datagram
 * already in memory (@buf, @len): for tests and fuzzers. Messages that
 * are not ctnetlink events (other subsystems or commands, NLMSG_NOOP...)
 * are counted in @st->ignored if @st is not NULL. Returns as
 * ct_event_recv() for the walk: the number of events, -EBADMSG for a
 * malformed datagram (a message header that does not fit; the events
 * before it were delivered), or the callback's error.
 */
int ct_event_dispatch(const void *buf, size_t len, unsigned int flags,
		      ct_event_cb cb, void *arg, struct ct_event_stats *st);

#endif
