// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TCP channel's byte streams, without sockets: the boundaries of the
 * sync messages in what arrived, and the backlog of what is to be
 * written. Upstream writes its buffer with one non-blocking send and
 * forgets what the kernel did not take, so the peer's stream continues
 * in the middle of a message (spec 5); here every byte of a message is
 * written before the next message, and a connection that breaks
 * mid-message starts the next one at that message's first byte.
 *
 * The framing reads only the length of the 8-byte header (bytes 2-3, big
 * endian; sync/msg.h): sync/msg.c, written separately, checks the rest
 * of each message when the owner walks them with sync_msg_next(). With
 * authentication the units of the stream are frames instead (sync/frame.h,
 * their length at bytes 8-9), checked by the set when it opens them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sync/chan_int.h"
#include "sync/frame.h"

int chan_msg_len(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t n;

	if (len < CHAN_MSG_HDR)
		return 0;
	n = (size_t)p[2] << 8 | p[3];
	if (n < CHAN_MSG_HDR)
		return -EBADMSG;
	return n <= len ? (int)n : 0;
}

/* The first 4 bytes of a frame (sync/frame.h): never those of a sync
 * message, whose first byte is its version (1) in the high nibble. */
static int is_frame_magic(const unsigned char *p, size_t len)
{
	return len >= 4 && !memcmp(p, SYNC_FRAME_MAGIC, 4);
}

int chan_unit_msg(const void *buf, size_t len)
{
	if (is_frame_magic(buf, len))
		return -EPROTO;
	return chan_msg_len(buf, len);
}

int chan_unit_frame(const void *buf, size_t len)
{
	struct sync_frame_hdr h;
	int rc;

	if (!len)
		return 0;
	rc = sync_frame_peek(buf, len, &h);
	if (rc == 0)
		return h.len;
	if (rc == -EPROTO)
		return rc;
	/* incomplete: too short for the length yet, or shorter than it */
	if (len < 12 || h.len > len)
		return 0;
	return -EBADMSG;
}

long chan_unit_whole(const void *buf, size_t len, chan_unit_fn unit)
{
	const unsigned char *p = buf;
	size_t off = 0;
	int n;

	while ((n = unit(p + off, len - off)) > 0)
		off += (size_t)n;
	return n < 0 ? n : (long)off;
}

long chan_msg_whole(const void *buf, size_t len)
{
	return chan_unit_whole(buf, len, chan_msg_len);
}

long chan_stream_take_unit(unsigned char *rx, size_t *have, size_t n,
			   chan_unit_fn unit, chan_take_fn fn, void *arg)
{
	size_t all = *have + n;
	long w = chan_unit_whole(rx, all, unit);

	if (w < 0)
		return w;
	if (w > 0)
		fn(arg, rx, (size_t)w);
	memmove(rx, rx + w, all - (size_t)w);
	*have = all - (size_t)w;
	return w;
}

long chan_stream_take(unsigned char *rx, size_t *have, size_t n,
		      chan_take_fn fn, void *arg)
{
	return chan_stream_take_unit(rx, have, n, chan_msg_len, fn, arg);
}

size_t chan_msg_count(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t off = 0, k = 0;
	int n;

	while ((n = chan_msg_len(p + off, len - off)) > 0) {
		off += (size_t)n;
		k++;
	}
	return k;
}

void chan_outq_init(struct chan_outq *q, size_t max)
{
	*q = (struct chan_outq){ .max = max, .unit = chan_msg_len };
}

void chan_outq_free(struct chan_outq *q)
{
	chan_unit_fn unit = q->unit;

	free(q->buf);
	chan_outq_init(q, q->max);
	q->unit = unit;
}

size_t chan_outq_len(const struct chan_outq *q)
{
	return q->tail - q->start;
}

/* Room for @len more bytes: the written messages dropped from the
 * front, then the buffer doubled (never past the bound, rounded). */
static int outq_room(struct chan_outq *q, size_t len)
{
	size_t need = chan_outq_len(q) + len, cap;
	unsigned char *p;

	if (q->start > 0 && q->tail + len > q->cap) {
		memmove(q->buf, q->buf + q->start, q->tail - q->start);
		q->head -= q->start;
		q->tail -= q->start;
		q->start = 0;
	}
	if (need <= q->cap)
		return 0;
	cap = q->cap ? q->cap : 4096;
	while (cap < need)
		cap *= 2;
	if (cap > q->max)
		cap = q->max > need ? q->max : need;
	p = realloc(q->buf, cap);
	if (!p)
		return -ENOMEM;
	q->buf = p;
	q->cap = cap;
	return 0;
}

int chan_outq_push(struct chan_outq *q, const void *buf, size_t len)
{
	int rc;

	if (!len)
		return 0;
	if (chan_unit_whole(buf, len, q->unit) != (long)len)
		return -EINVAL;
	if (len > q->max || chan_outq_len(q) > q->max - len)
		return -ENOBUFS;
	rc = outq_room(q, len);
	if (rc < 0)
		return rc;
	memcpy(q->buf + q->tail, buf, len);
	q->tail += len;
	return 0;
}

size_t chan_outq_peek(const struct chan_outq *q, const void **data)
{
	*data = q->buf + q->head;
	return q->tail - q->head;
}

void chan_outq_consume(struct chan_outq *q, size_t n)
{
	int l;

	if (n > q->tail - q->head)
		n = q->tail - q->head;
	q->head += n;
	/* move start past the messages now wholly written; what was pushed
	 * is whole messages, so the lengths chain to the tail */
	while (q->start < q->head &&
	       (l = q->unit(q->buf + q->start, q->tail - q->start)) > 0 &&
	       q->start + (size_t)l <= q->head)
		q->start += (size_t)l;
	if (q->head == q->tail)
		q->start = q->head = q->tail = 0;
}

void chan_outq_rewind(struct chan_outq *q)
{
	q->head = q->start;
}
