// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the TCP channel's reassembly (sync/chan_stream.c:
 * chan_stream_take_unit with chan_unit_msg, or chan_unit_frame under
 * authentication), which cuts a byte stream into sync messages (frames).
 * Input: byte 0 bit 0 the unit (clear: messages, set: frames); byte 1 a
 * count of cut lengths (& 31), then those bytes, each one read's length
 * (0 reads a whole 4096), used in turn; the rest is the stream. The stream
 * goes through the receive buffer once whole and once read by read, as
 * tcp_server_read() does (a read never takes more than the room left).
 * Properties, each an abort() when violated:
 *  - every call hands over whole units only, as bytes of the stream at
 *    the position reached, and leaves the incomplete start of the next
 *    unit at the front of the buffer;
 *  - a stream whose units are all valid hands over, in any chunking,
 *    exactly the whole units the one-buffer reading hands over, and keeps
 *    the same tail;
 *  - a stream with a unit that cannot be one fails, in any chunking, with
 *    the errno the one-buffer reading fails with (which hands over
 *    nothing), after handing over at most the valid units before it;
 *  - each handed-over run of messages, copied to its exact size, walks
 *    with sync_msg_walk() without reading past it (ASan), every message
 *    it gives inside the run.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sync/chan_int.h"
#include "sync/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

struct got {
	const uint8_t *stream;		/* what was fed */
	size_t len;
	size_t off;			/* handed over so far */
	chan_unit_fn unit;
	int walk;			/* messages: walk them */
};

struct run {
	const uint8_t *p;
	size_t len;
};

/* Each message the walk gives lies within the run. */
static void inside(void *arg, const struct sync_msg_hdr *h,
		   const uint8_t *msg)
{
	const struct run *r = arg;

	CHECK(msg >= r->p && msg < r->p + r->len);
	CHECK(h->len >= SYNC_MSG_HDR_LEN &&
	      h->len <= (size_t)(r->p + r->len - msg));
}

/* The messages of a run handed over, from a copy of its exact size. */
static void walk(const uint8_t *buf, size_t len)
{
	struct sync_msg_stats st = { 0 };
	struct run r = { malloc(len), len };

	CHECK(r.p);
	memcpy((uint8_t *)r.p, buf, len);
	sync_msg_walk(r.p, len, &st, inside, &r);
	free((uint8_t *)r.p);
}

static void take(void *arg, const void *buf, size_t len)
{
	struct got *g = arg;

	CHECK(len > 0 && len <= g->len - g->off);
	CHECK(!memcmp(buf, g->stream + g->off, len));
	CHECK(chan_unit_whole(buf, len, g->unit) == (long)len);
	if (g->walk)
		walk(buf, len);
	g->off += len;
}

/* The stream as units from its start: the bytes of whole valid units in
 * *@good; returns 0, or the errno of the unit that cannot be one. */
static long reference(const uint8_t *p, size_t len, chan_unit_fn unit,
		      size_t *good)
{
	size_t off = 0;
	int n;

	while ((n = unit(p + off, len - off)) > 0)
		off += (size_t)n;
	*good = off;
	return n < 0 ? n : 0;
}

/* Feeds @len bytes read by read; returns 0 or the errno it stopped with,
 * *@have the bytes left in @rx. */
static long feed(struct got *g, uint8_t *rx, size_t *have,
		 const uint8_t *cuts, size_t ncuts)
{
	size_t fed = 0, k = 0, n;
	long rc;

	*have = 0;
	while (fed < g->len) {
		n = ncuts ? cuts[k++ % ncuts] : g->len;
		if (n == 0)
			n = 4096;
		if (n > g->len - fed)
			n = g->len - fed;
		if (n > CHAN_RX_MAX - *have)
			n = CHAN_RX_MAX - *have;
		if (n == 0)
			break;		/* recv() of 0: dropped, as closed */
		memcpy(rx + *have, g->stream + fed, n);
		rc = chan_stream_take_unit(rx, have, n, g->unit, take, g);
		if (rc < 0)
			return rc;
		fed += n;
		CHECK(g->off + *have == fed);
		CHECK(!memcmp(rx, g->stream + g->off, *have));
		CHECK(*have == 0 || g->unit(rx, *have) == 0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t rx[CHAN_RX_MAX];
	struct got whole, cut;
	size_t ncuts, good, have, have_cut;
	const uint8_t *cuts;
	long ref, rw, rc;

	if (size < 2)
		return 0;
	ncuts = data[1] & 31;
	if (size < 2 + ncuts)
		return 0;
	cuts = data + 2;
	whole = (struct got){
		.stream = data + 2 + ncuts,
		.len = size - 2 - ncuts,
		.unit = data[0] & 1 ? chan_unit_frame : chan_unit_msg,
		.walk = !(data[0] & 1),
	};
	if (whole.len > CHAN_RX_MAX)
		whole.len = CHAN_RX_MAX;
	cut = whole;
	ref = reference(whole.stream, whole.len, whole.unit, &good);

	rw = feed(&whole, rx, &have, NULL, 0);
	rc = feed(&cut, rx, &have_cut, cuts, ncuts);
	if (ref < 0) {
		CHECK(rw == ref && whole.off == 0);
		CHECK(rc == ref && cut.off <= good);
		return 0;
	}
	CHECK(rw == 0 && whole.off == good && have == whole.len - good);
	CHECK(rc == 0 && cut.off == good && have_cut == have);
	return 0;
}
