// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What arrives from the peer (upstream sync-mode.c channel_handler and
 * network.c's sequence tracking): each datagram (or run of stream
 * messages) walked message by message through sync_msg_next(), which
 * never reads past the buffer and counts every malformed message by its
 * reason; each message judged by the sub-mode (sequence, acknowledgements,
 * control messages); data messages handed to the external side.
 */
#include "sync/channel.h"
#include "sync/sync_int.h"

int sync_seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

int sync_seq_track(struct sync_state *s, uint32_t seq)
{
	uint32_t want = s->last_seq_recv + 1;

	if (!s->seq_set)
		return SYNC_SEQ_UNSET;
	if (seq == want)
		return SYNC_SEQ_IN_SYNC;
	if (sync_seq_before(want, seq)) {
		/* the messages between were lost (upstream counts two too
		 * many: seq - last + 1) */
		s->rcv_lost += seq - want;
		return SYNC_SEQ_AFTER;
	}
	s->rcv_before++;
	return SYNC_SEQ_BEFORE;
}

void sync_seq_update(struct sync_state *s, uint32_t seq)
{
	s->seq_set = 1;
	s->last_seq_recv = seq;
}

struct recv_walk {
	struct sync_state *s;
	int heard;
	uint64_t now;		/* sync_loop_now() once, for the datagram */
	uint32_t secs;		/* sync_daemon_now() once, for the cache */
};

static void recv_one(void *arg, const struct sync_msg_hdr *h,
		     const uint8_t *msg)
{
	struct recv_walk *w = arg;
	struct sync_state *s = w->s;

	switch (s->sub->recv(s, h)) {
	case SYNC_RX_DATA:
		sync_external_msg(s, h, msg, w->secs);
		w->heard = 1;
		break;
	case SYNC_RX_BAD:
		s->err.rcv_malformed++;
		s->err.rcv_bad_header++;
		break;
	default:
		w->heard = 1;
		break;
	}
}

void sync_recv_payload(struct sync_chans *m, unsigned int idx,
		       const void *buf, size_t len, void *arg)
{
	struct recv_walk w = { .s = arg, .now = sync_loop_now(),
			       .secs = sync_daemon_now() };

	(void)m;
	(void)idx;
	sync_msg_walk(buf, len, &w.s->err, recv_one, &w);
	sync_inject_end(w.s);
	if (w.heard)
		w.s->heard = w.now;
}
