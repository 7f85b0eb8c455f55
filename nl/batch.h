/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pipelined requests: many requests in one sendmsg, each with its own
 * sequence number, so a thousand deletes are a couple of round trips and
 * not a thousand. Only the last request of each flush asks for an ack;
 * the kernel answers every failing one with an error anyway, which is
 * matched back to the request (by its index in the batch) for the caller.
 *
 *   nl_batch_init(&b, sock, buf, sizeof(buf), on_err, arg);
 *   for each entry:
 *       nl_batch_begin(&b, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE,
 *                      0, family, 512);
 *       ...nl_attr_put*(&b.msg, ...)...
 *       nl_batch_end(&b);
 *   nl_batch_flush(&b);
 *
 * One socket, one batch at a time: do not send other requests on the
 * socket between begin and flush.
 */
#ifndef RAWCT_NL_BATCH_H
#define RAWCT_NL_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "nl/msg.h"
#include "nl/reply.h"

struct nl_sock;

/* A request failed: @index counts requests from the batch's start. */
typedef void (*nl_batch_err_cb)(uint32_t index, const struct nl_ack *ack,
				void *arg);
/* A request (a GET) was answered with data: @index as above. */
typedef void (*nl_batch_data_cb)(uint32_t index, const struct nlmsghdr *nlh,
				 void *arg);

struct nl_batch_async;

struct nl_batch {
	struct nl_sock *sock;
	struct nl_msg msg;		/* requests not yet sent */
	uint32_t seq0;			/* sequence number of the first */
	uint32_t n;			/* requests in msg */
	uint32_t base;			/* index of the first in msg */
	uint32_t failed;		/* requests the kernel refused */
	nl_batch_err_cb on_err;
	nl_batch_data_cb on_data;	/* NULL (after init): data ignored;
					 * set it to pipeline GETs */
	void *arg;
	/* while on_err or on_data runs: the requests being answered (to
	 * look up the one an answer is for, by its sequence number) */
	const struct nl_msg *answering;
	/* asynchronous sending, see nl_batch_async() */
	struct nl_batch_async *as;
	uint32_t inflight;		/* sent, answers not yet taken */
	int stop_on_error;		/* set by the caller: after a failure
					 * nothing more is sent */
};

/* Sets up @b over the caller's buffer @buf (@cap bytes, at most what the
 * socket's send buffer takes: 64 KiB is safe). */
void nl_batch_init(struct nl_batch *b, struct nl_sock *s, void *buf,
		   size_t cap, nl_batch_err_cb on_err, void *arg);

/*
 * nl_batch_begin - open the next request as an nfnetlink message.
 * If fewer than @room bytes are left, flushes first. Returns 0, or a
 * flush error, or -EMSGSIZE if @room exceeds the whole buffer.
 */
int nl_batch_begin(struct nl_batch *b, uint8_t subsys, uint8_t cmd,
		   uint16_t flags, uint8_t family, size_t room);

/* Closes the request opened by nl_batch_begin(). */
void nl_batch_end(struct nl_batch *b);

/* Drops the request opened by nl_batch_begin() (e.g. it did not fit). */
void nl_batch_cancel(struct nl_batch *b);

/*
 * nl_batch_flush - send the pending requests and wait for their answers.
 * Calls on_err for each refused one. Returns 0 (even if requests failed:
 * see b->failed), or -errno if the exchange itself failed (-ENOBUFS:
 * answers were lost, so failures may be under-counted).
 */
int nl_batch_flush(struct nl_batch *b);

/* nl_batch_flush() that does not wait: an asynchronous batch sends what
 * is queued after taking the answers of the buffer out before it (see
 * nl_batch_answered()); a synchronous one flushes. Returns as
 * nl_batch_flush(). */
int nl_batch_send(struct nl_batch *b);

/* Requests added so far (sent or pending). */
uint32_t nl_batch_count(const struct nl_batch *b);

/* Requests sent and answered so far (their failures were reported). */
uint32_t nl_batch_answered(const struct nl_batch *b);

/*
 * nl_batch_async - send full buffers from a helper thread from now on:
 * while one buffer is out (the kernel runs its requests inside the
 * sender's sendmsg, so that work moves off the caller's thread), the
 * caller fills a second one, @buf2, of the same size as the first. At
 * most one buffer is out at a time; its answers are taken, and on_err
 * called in the caller's thread, when the next buffer is full or at
 * nl_batch_flush(). Data answers (GETs) are not delivered: use it for
 * creates, updates and deletes only. With b->stop_on_error set, a buffer
 * whose predecessor had a failure is not sent: nl_batch_begin() and
 * nl_batch_flush() then return -ECANCELED.
 * Returns 0, or -errno if no thread could be started (the batch then
 * stays synchronous and works the same).
 */
int nl_batch_async(struct nl_batch *b, void *buf2);

/*
 * nl_batch_defer - nl_batch_async() without a thread, for a socket whose
 * sends run elsewhere (nl_sock_send_start(): conntrackd's privileged
 * process runs the requests its unprivileged part hands it): a full
 * buffer is started and left out while the caller fills @buf2; its
 * answers are read in the caller's thread when the next buffer is full,
 * at nl_batch_send() or nl_batch_flush(). On a plain socket the kernel
 * has done the work when the start returns. Same rules and returns as
 * nl_batch_async(); end with nl_batch_async_end().
 */
int nl_batch_defer(struct nl_batch *b, void *buf2);

/* Waits for the buffer out (its failures are reported) and stops the
 * helper thread; what is still queued is not sent (nl_batch_flush()
 * first to send it). Needed before the buffers are freed; no-op for a
 * synchronous batch. Returns 0 or the last exchange's -errno. */
int nl_batch_async_end(struct nl_batch *b);

#endif
