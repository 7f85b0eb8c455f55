/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pipelined conntrack requests for -D, -U, -I/-A and -R: many deletes,
 * updates, creates or GETs in one sendmsg on top of nl/batch.h, failures
 * matched back to the index of the queued request, ENOENT on a delete,
 * update or GET (the entry vanished meanwhile) counted and reported
 * apart from real errors, and the answer of a GET decoded and handed to
 * the caller by index (so -U can print each entry as the kernel has it
 * after its update, without one round trip per entry).
 * Included by ct/table.h.
 */
#ifndef RAWCT_CT_BATCH_H
#define RAWCT_CT_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"
#include "nl/batch.h"
#include "nl/reply.h"

struct nl_sock;

#define CT_BATCH_BUF	(64 * 1024)	/* suggested batch buffer size */
#define CT_BATCH_RCVBUF	(4 * 1024 * 1024) /* receive buffer for errors */

/* A queued request failed. @index counts the requests queued on this
 * batch from 0, in queue order; @ack has the error and ext-ack text. */
typedef void (*ct_batch_err_cb)(uint32_t index, const struct nl_ack *ack,
				void *arg);
/* The delete, update or GET queued as @index met ENOENT: vanished. */
typedef void (*ct_batch_vanish_cb)(uint32_t index, void *arg);
/* The GET queued as @index was answered with @e (borrowed from the
 * receive buffer, valid during the call; @nlh is the raw message). */
typedef void (*ct_batch_entry_cb)(uint32_t index, const struct ct_entry *e,
				  const struct nlmsghdr *nlh, void *arg);

struct ct_batch {
	struct nl_batch nb;
	uint32_t vanished;	/* ENOENT on a delete or update: the entry
				 * went away meanwhile, not an error */
	uint32_t failed;	/* other errors (each reported to on_err;
				 * an undecodable GET answer counts here,
				 * reported as EBADMSG) */
	ct_batch_err_cb on_err;
	ct_batch_vanish_cb on_vanish;	/* optional, set after init */
	ct_batch_entry_cb on_entry;	/* optional, set after init */
	void *arg;
};

/*
 * ct_batch_init - set up @b on socket @s over the caller's buffer @buf
 * (@cap bytes, CT_BATCH_BUF suggested, 4-byte aligned). Also raises the
 * socket's receive buffer to CT_BATCH_RCVBUF (best effort) so that a
 * batch full of failures does not overflow it and lose errors. The
 * socket must not be used for other requests until ct_batch_flush().
 */
void ct_batch_init(struct ct_batch *b, struct nl_sock *s, void *buf,
		   size_t cap, ct_batch_err_cb on_err, void *arg);

/*
 * Queue one request; a full buffer is flushed first (errors of earlier
 * requests are reported then). ct_batch_delete: IPCTNL_MSG_CT_DELETE of
 * ct_entry_put_key(@e). ct_batch_create: IPCTNL_MSG_CT_NEW of
 * ct_entry_put_new(@e) with @flags as ct_table_create (0 = update).
 * Return 0, -EMSGSIZE if the request does not fit even an empty buffer,
 * -EINVAL for an entry that cannot be encoded, or a flush error.
 */
int ct_batch_delete(struct ct_batch *b, const struct ct_entry *e);
int ct_batch_create(struct ct_batch *b, const struct ct_entry *e,
		    uint16_t flags);

/*
 * ct_batch_get - queue IPCTNL_MSG_CT_GET of ct_entry_put_key(@e). Its
 * answer goes to b->on_entry during a flush, in queue order with the
 * errors of the other requests; the kernel runs the requests in order,
 * so a GET queued after an update sees the updated entry. Returns as
 * ct_batch_delete.
 */
int ct_batch_get(struct ct_batch *b, const struct ct_entry *e);

/* Requests queued so far (the index the next one gets). */
uint32_t ct_batch_count(const struct ct_batch *b);

/* Requests sent and answered so far, by ct_batch_flush() or by a full
 * buffer flushed while queueing; the others are still in the buffer. */
uint32_t ct_batch_sent(const struct ct_batch *b);

/*
 * ct_batch_async - from now on send full buffers from a helper thread
 * while the caller fills @buf2 (as big as the first buffer): the
 * kernel's work on one batch overlaps the caller's on the next (see
 * nl_batch_async(); failures are still reported in the caller's thread,
 * at the next full buffer or flush). Not for GETs: their answers are
 * dropped. With @stop_on_error, once a batch had a failure nothing more
 * is sent and queueing or flushing returns -ECANCELED. Returns 0, or
 * -errno when no thread could be started (the batch stays synchronous).
 * ct_batch_finish() must follow before the buffers go away.
 */
int ct_batch_async(struct ct_batch *b, void *buf2, int stop_on_error);

/* ct_batch_async() without a thread, for a socket whose sends run in
 * another process (nl_batch_defer(); conntrackd's commit). Returns 0
 * or -ENOMEM. */
int ct_batch_defer(struct ct_batch *b, void *buf2);

/* Sends what is queued; asynchronous, it waits only for the answers of
 * the batch sent before (ct_batch_sent() tells how far answers go), else
 * it is ct_batch_flush(). Returns as ct_batch_flush(). */
int ct_batch_send(struct ct_batch *b);

/* Stops the helper thread, if any, after the batch out was answered;
 * nothing more is sent (ct_batch_flush() first for that). Returns 0 or
 * -errno as ct_batch_flush(). */
int ct_batch_finish(struct ct_batch *b);

/*
 * ct_batch_flush - send what is queued and wait for every answer.
 * Returns 0 (refused requests are counted in b->failed and b->vanished,
 * not returned) or -errno when the exchange itself failed (-ENOBUFS:
 * answers were lost, so failures may be under-counted).
 */
int ct_batch_flush(struct ct_batch *b);

#endif
