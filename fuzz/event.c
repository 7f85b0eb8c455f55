// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the event decoder of `conntrack -E`: ct_event_dispatch()
 * (ct/event.h), the message walk of ct_event_recv() over a datagram in
 * memory, with the conntrack entry decoding it does per event. Input:
 *
 *   byte 0: bit 0 CT_EVENT_F_NO_DECODE, bit 1 no stats (st NULL), bit 2
 *           the callback fails at the event numbered byte 1 (mod 8)
 *   byte 1: that number
 *   byte 2..: one datagram as the kernel sends it, any number of messages
 *
 * Properties, each an abort() when violated, against a reference walk in
 * this file (nlmsg_len >= 16 and within what is left, next message at the
 * aligned end, a tail shorter than a header ignored):
 *  - the events are exactly the ctnetlink / ctnetlink_exp NEW and DELETE
 *    messages of at least nlmsghdr + nfgenmsg, in order; each event's
 *    nlh is that message, inside the buffer at an aligned offset;
 *  - kind, type (NEW with NLM_F_CREATE new, NEW without update, DELETE
 *    destroy), family (nfgen_family) and portid (nlmsg_pid) derive from
 *    the message as upstream does;
 *  - a conntrack event (unless NO_DECODE) carries the entry
 *    ct_entry_decode() gives for that message, or its error with err set:
 *    a message and an offset inside the attribute stream; expectation
 *    events and NO_DECODE carry neither;
 *  - the return is the number of events, -EBADMSG exactly when a header
 *    does not fit (the events before it delivered), or the callback's
 *    error, after which no more events come; the stats count events,
 *    ignored messages and decode errors; a second walk, and one without
 *    a callback, decide the same.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct/decode.h"
#include "ct/event.h"
#include "nl/uapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

#define BUF_CAP 65536
#define EV_MAX (BUF_CAP / NLMSG_HDRLEN + 1)
#define HDR (NLMSG_HDRLEN + 4)
#define CB_ERR (-ECANCELED)

struct seen {
	size_t off;
	uint8_t kind, type, family;
	uint32_t portid;
	int error, has_entry, has_err;
	struct ct_entry e;
};

struct run {
	const unsigned char *buf;
	size_t len;
	size_t n;
	long fail_at;		/* -1: never */
	struct seen *ev;
};

static int record(const struct ct_event *ev, void *arg)
{
	struct run *r = arg;
	const unsigned char *p = (const unsigned char *)ev->nlh;
	struct seen *s;
	struct nlmsghdr h;

	CHECK(r->n < EV_MAX);
	/* inside the buffer, aligned, whole */
	CHECK(p >= r->buf && p < r->buf + r->len);
	s = &r->ev[r->n];
	memset(s, 0, sizeof(*s));
	s->off = (size_t)(p - r->buf);
	CHECK(s->off % 4 == 0);
	memcpy(&h, p, sizeof(h));
	CHECK(h.nlmsg_len >= HDR && h.nlmsg_len <= r->len - s->off);
	s->kind = ev->kind;
	s->type = ev->type;
	s->family = ev->family;
	s->portid = ev->portid;
	s->error = ev->error;
	s->has_entry = ev->entry != NULL;
	s->has_err = ev->err != NULL;
	if (ev->entry)
		memcpy(&s->e, ev->entry, sizeof(s->e));
	if (ev->err) {
		CHECK(ev->err->msg != NULL && ev->err->msg[0] != '\0');
		CHECK(ev->err->offset < h.nlmsg_len - HDR);
	}
	return (long)r->n++ == r->fail_at ? CB_ERR : 0;
}

/* The reference: upstream's event type of a message, 0 if none. */
static int ref_type(const struct nlmsghdr *h, uint8_t *kind)
{
	uint8_t sub = (uint8_t)(h->nlmsg_type >> 8);
	uint8_t cmd = (uint8_t)(h->nlmsg_type & 0xff);

	if (sub != NFNL_SUBSYS_CTNETLINK && sub != NFNL_SUBSYS_CTNETLINK_EXP)
		return 0;
	*kind = sub == NFNL_SUBSYS_CTNETLINK ? CT_EVENT_K_CONNTRACK :
					       CT_EVENT_K_EXPECT;
	/* IPCTNL_MSG_CT_NEW == IPCTNL_MSG_EXP_NEW == 0, DELETE == 2 */
	if (cmd == 0)
		return (h->nlmsg_flags & NLM_F_CREATE) ? CT_EVENT_T_NEW :
							 CT_EVENT_T_UPDATE;
	if (cmd == 2)
		return CT_EVENT_T_DESTROY;
	return 0;
}

/* Checks run @r against the reference walk of its buffer; returns the
 * return value the walk predicts. */
static int check_walk(const struct run *r, unsigned int flags, int rc,
		      const struct ct_event_stats *st)
{
	static struct ct_entry e;
	size_t off = 0, k = 0;
	uint64_t ignored = 0, errors = 0;
	int want = 0;

	while (off <= r->len && r->len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;
		const struct nlmsghdr *nlh;
		uint8_t kind = 0;
		int type, drc;

		memcpy(&h, r->buf + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > r->len - off) {
			want = -EBADMSG;
			break;
		}
		nlh = (const struct nlmsghdr *)(const void *)(r->buf + off);
		type = ref_type(&h, &kind);
		if (!type || h.nlmsg_len < HDR) {
			ignored++;
		} else {
			const struct seen *s;

			if (r->fail_at >= 0 && (long)k > r->fail_at)
				break;
			CHECK(k < r->n);
			s = &r->ev[k++];
			CHECK(s->off == off && s->kind == kind &&
			      s->type == type && s->portid == h.nlmsg_pid &&
			      s->family == r->buf[off + NLMSG_HDRLEN]);
			if (kind == CT_EVENT_K_CONNTRACK &&
			    !(flags & CT_EVENT_F_NO_DECODE)) {
				drc = ct_entry_decode(nlh, &e, NULL);
				CHECK(s->error == drc);
				CHECK(s->has_entry == (drc == 0) &&
				      s->has_err == (drc != 0));
				if (drc == 0)
					CHECK(!memcmp(&s->e, &e, sizeof(e)));
				else
					errors++;
			} else {
				CHECK(!s->error && !s->has_entry &&
				      !s->has_err);
			}
			if (r->fail_at >= 0 && (long)k - 1 == r->fail_at) {
				want = CB_ERR;
				break;
			}
		}
		off += (h.nlmsg_len + 3u) & ~3u;
	}
	CHECK(k == r->n);
	if (want == 0)
		want = (int)k;
	CHECK(rc == want);
	if (st) {
		CHECK(st->events == k && st->decode_errors == errors);
		/* ignored messages after a callback failure are not seen */
		CHECK(st->ignored == ignored);
	}
	return want;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen ev1[EV_MAX], ev2[EV_MAX];
	struct ct_event_stats st1, st2, st3;
	struct run r1, r2;
	unsigned int flags;
	unsigned char *buf;
	size_t len;
	int rc1, rc2, rc3, want;
	uint8_t ctl;

	if (size < 2 || size - 2 > BUF_CAP)
		return 0;
	ctl = data[0];
	len = size - 2;
	flags = (ctl & 1) ? CT_EVENT_F_NO_DECODE : 0;
	/* 4-byte aligned like a receive buffer, exactly the datagram long */
	buf = malloc(len ? len : 1);
	CHECK(buf != NULL);
	memcpy(buf, data + 2, len);

	r1 = (struct run){ .buf = buf, .len = len, .ev = ev1,
			   .fail_at = (ctl & 4) ? (long)(data[1] & 7) : -1 };
	r2 = r1;
	r2.ev = ev2;
	memset(&st1, 0, sizeof(st1));
	memset(&st2, 0, sizeof(st2));
	rc1 = ct_event_dispatch(buf, len, flags, record, &r1,
				(ctl & 2) ? NULL : &st1);
	want = check_walk(&r1, flags, rc1, (ctl & 2) ? NULL : &st1);
	CHECK(rc1 == want);

	/* a second walk decides the same, and so does one without a
	 * callback (which cannot fail) */
	rc2 = ct_event_dispatch(buf, len, flags, record, &r2, &st2);
	CHECK(rc2 == rc1 && r2.n == r1.n);
	for (size_t i = 0; i < r1.n; i++)
		CHECK(!memcmp(&ev1[i], &ev2[i], sizeof(ev1[i])));
	memset(&st3, 0, sizeof(st3));
	rc3 = ct_event_dispatch(buf, len, flags, NULL, NULL, &st3);
	if (rc1 != CB_ERR)
		CHECK(rc3 == rc1 && st3.events == st2.events &&
		      st3.ignored == st2.ignored &&
		      st3.decode_errors == st2.decode_errors);
	else
		CHECK(rc3 == -EBADMSG || rc3 > (int)r1.fail_at);
	free(buf);
	return 0;
}
