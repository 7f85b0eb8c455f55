/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One netlink request whose replies are read a datagram at a time, for an
 * event loop that must not wait for the end of a long dump: the request
 * goes out at nl_step_begin(), and each nl_step_recv() (called when the
 * socket is readable; the socket is normally non-blocking) takes one
 * datagram and hands its data messages to the callback, until the dump's
 * NLMSG_DONE or the request's ack or error ends it.
 */
#ifndef RAWCT_NL_STEP_H
#define RAWCT_NL_STEP_H

#include <stdint.h>
#include <sys/types.h>

#include "nl/reply.h"

struct nl_sock;
struct nl_msg;

struct nl_step {
	struct nl_sock *s;
	struct nl_reply r;
	nl_data_cb on_data;
	void *arg;
	uint16_t req_flags;	/* of the request */
	uint8_t done;		/* answered */
	int error;		/* kernel's (positive), first */
	int cb_error;		/* on_data's (negative), first */
	struct nl_ack ack;	/* the failing ack, when error */
};

/*
 * nl_step_begin - send @req (one message) on @s and prepare @st to read
 * its replies; @on_data gets each data message (may be NULL). Replies to
 * earlier requests still queued on @s are skipped. Returns 0 or -errno
 * of the send.
 */
int nl_step_begin(struct nl_step *st, struct nl_sock *s,
		  const struct nl_msg *req, nl_data_cb on_data, void *arg);

/*
 * nl_step_recv - receive and walk one datagram. Returns 1 while the
 * request is not answered yet; 0 once it is, successfully; -EAGAIN if
 * nothing was queued; and once answered with a failure: the callback's
 * first error, the negated kernel errno (st->ack has its text), -EINTR
 * for an interrupted dump (NLM_F_DUMP_INTR: entries may be missing).
 * -ENOBUFS (replies lost), -EBADMSG or another socket error end the
 * request too (st->done is then set).
 */
int nl_step_recv(struct nl_step *st);

/*
 * nl_step_feed - nl_step_recv() for a datagram received by someone else
 * (nl/bg.h): @n bytes at @data, or a negative errno of the receive. The
 * same returns, except -EAGAIN.
 */
int nl_step_feed(struct nl_step *st, const void *data, ssize_t n);

#endif
