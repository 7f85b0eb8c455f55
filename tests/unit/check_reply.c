// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of nl/reply's pure walker nl_reply_parse(): hand-built
 * datagrams for data delivery, acks and errors (capped, uncapped, with
 * extended-ack TLVs), NLMSG_DONE, interrupted dumps, port id and sequence
 * checks, a table of malformed datagrams, batches answered out of a
 * sequence range, callbacks that stop the walk; then real kernel replies
 * loaded from the hex files of tests/data/ (each file's header says how it was
 * captured; paths are relative to the repository root, where `make check`
 * runs). Every datagram is copied into an exactly-sized heap buffer so that
 * ASan catches a read past its end.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "tests/unit/suites.h"

/* ---- building datagrams -------------------------------------------------- */

struct dgram {
	uint32_t store[512];	/* aligned */
	size_t len;
};

static unsigned char *dg_bytes(struct dgram *d)
{
	return (unsigned char *)d->store;
}

/* Appends one message with @plen bytes of @payload, padded to 4. */
static size_t dg_add(struct dgram *d, uint16_t type, uint16_t flags,
		     uint32_t seq, uint32_t pid, const void *payload,
		     size_t plen)
{
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + plen),
		.nlmsg_type = type, .nlmsg_flags = flags,
		.nlmsg_seq = seq, .nlmsg_pid = pid,
	};
	unsigned char *p = dg_bytes(d) + d->len;
	size_t at = d->len, alen = NLMSG_ALIGN(NLMSG_HDRLEN + plen);

	ck_assert_uint_le(at + alen, sizeof(d->store));
	memset(p, 0, alen);
	memcpy(p, &h, sizeof(h));
	if (plen)
		memcpy(p + NLMSG_HDRLEN, payload, plen);
	d->len += alen;
	return at;
}

/* Appends an attribute (TLV) to @p at *@off. */
static void tlv_add(unsigned char *p, size_t *off, uint16_t type,
		    const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			    .nla_type = type };

	memset(p + *off, 0, NLA_ALIGN(NLA_HDRLEN + len));
	memcpy(p + *off, &a, sizeof(a));
	memcpy(p + *off + NLA_HDRLEN, data, len);
	*off += NLA_ALIGN(NLA_HDRLEN + len);
}

/*
 * An NLMSG_ERROR payload into @p: @error, the header of a request with
 * @req_plen payload bytes and sequence @req_seq, @echo_len bytes of that
 * payload (0 when capped), then @tlv_len bytes of @tlv. Returns its size.
 */
static size_t err_payload(unsigned char *p, int error, uint32_t req_seq,
			  uint32_t req_plen, size_t echo_len,
			  const void *tlv, size_t tlv_len)
{
	struct nlmsghdr req = {
		.nlmsg_len = NLMSG_HDRLEN + req_plen,
		.nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = req_seq,
	};
	size_t off = 0;

	memcpy(p, &error, sizeof(error));
	memcpy(p + 4, &req, sizeof(req));
	off = 4 + sizeof(req);
	for (size_t i = 0; i < echo_len; i++)
		p[off + i] = (unsigned char)(0x30 + i);
	off += NLMSG_ALIGN(echo_len);
	if (tlv_len)
		memcpy(p + off, tlv, tlv_len);
	return off + tlv_len;
}

/* A heap copy of exactly @len bytes (ASan sees reads past it). */
static unsigned char *exact(const void *src, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	if (len)
		memcpy(p, src, len);
	return p;
}

static int parse_exact(struct nl_reply *r, const void *buf, size_t len)
{
	unsigned char *p = exact(buf, len);
	int rc = nl_reply_parse(r, p, len);

	free(p);
	return rc;
}

/* ---- recording callbacks ------------------------------------------------- */

#define REC_MAX 16

struct rec {
	unsigned int ndata, nack;
	uint32_t data_seq[REC_MAX];
	uint16_t data_type[REC_MAX];
	uint32_t data_len[REC_MAX];
	struct nl_ack ack[REC_MAX];
	int done[REC_MAX];
	unsigned int stop_data_at;	/* 1-based call that stops, 0 never */
	unsigned int stop_ack_at;
};

static int rec_data(const struct nlmsghdr *nlh, void *arg)
{
	struct rec *r = arg;
	struct nlmsghdr h;

	memcpy(&h, nlh, sizeof(h));
	ck_assert_uint_lt(r->ndata, REC_MAX);
	r->data_seq[r->ndata] = h.nlmsg_seq;
	r->data_type[r->ndata] = h.nlmsg_type;
	r->data_len[r->ndata] = h.nlmsg_len;
	r->ndata++;
	return r->ndata == r->stop_data_at ? -ECANCELED : 0;
}

static int rec_ack(const struct nl_ack *ack, int done, void *arg)
{
	struct rec *r = arg;

	ck_assert_uint_lt(r->nack, REC_MAX);
	r->ack[r->nack] = *ack;
	r->done[r->nack] = done;
	r->nack++;
	return r->nack == r->stop_ack_at ? -ECONNABORTED : 0;
}

static void reply_init(struct nl_reply *r, struct rec *rec, uint32_t portid,
		       uint32_t seq, uint32_t nseq)
{
	memset(r, 0, sizeof(*r));
	memset(rec, 0, sizeof(*rec));
	r->portid = portid;
	r->seq = seq;
	r->nseq = nseq;
	r->on_data = rec_data;
	r->on_ack = rec_ack;
	r->arg = rec;
}

#define DATA_TYPE (NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW)

/* ---- data, acks, errors -------------------------------------------------- */

START_TEST(test_data_delivered)
{
	static struct dgram d;
	static const unsigned char payload[9] = { 2, 0, 0, 0, 5, 0, 1, 0, 6 };
	struct nl_reply r;
	struct rec rec;

	d.len = 0;
	dg_add(&d, DATA_TYPE, NLM_F_MULTI, 7, 99, payload, sizeof(payload));
	dg_add(&d, NLMSG_NOOP, 0, 7, 99, NULL, 0);
	dg_add(&d, DATA_TYPE + 1, NLM_F_MULTI, 7, 99, payload, 4);
	reply_init(&r, &rec, 99, 7, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.ndata, 2);
	ck_assert_uint_eq(r.datas, 2);
	ck_assert_uint_eq(rec.data_type[0], DATA_TYPE);
	ck_assert_uint_eq(rec.data_len[0], 16 + 9);
	ck_assert_uint_eq(rec.data_type[1], DATA_TYPE + 1);
	ck_assert_uint_eq(rec.data_len[1], 20);
	ck_assert_uint_eq(rec.nack, 0);
	ck_assert_int_eq(r.last_multi, 1);
	ck_assert_uint_eq(r.last_seq, 7);
	ck_assert_int_eq(r.dump_intr, 0);

	/* a last message without NLM_F_MULTI clears last_multi */
	d.len = 0;
	dg_add(&d, DATA_TYPE, 0, 7, 99, payload, 4);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_int_eq(r.last_multi, 0);
	ck_assert_uint_eq(r.datas, 3);	/* counters accumulate */
}
END_TEST

START_TEST(test_ack)
{
	static struct dgram d;
	uint32_t pl[64];
	struct nl_reply r;
	struct rec rec;
	size_t n;

	d.len = 0;
	n = err_payload((unsigned char *)pl, 0, 42, 12, 0, NULL, 0);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 42, 0, pl, n);
	reply_init(&r, &rec, 0, 42, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.nack, 1);
	ck_assert_int_eq(rec.done[0], 0);
	ck_assert_int_eq(rec.ack[0].error, 0);
	ck_assert_uint_eq(rec.ack[0].seq, 42);
	ck_assert_uint_eq(rec.ack[0].ext_off, NL_EXT_OFF_NONE);
	ck_assert_str_eq(rec.ack[0].ext_msg, "");
	ck_assert_uint_eq(r.acks, 1);
	ck_assert_uint_eq(r.dones, 0);
	ck_assert_uint_eq(rec.ndata, 0);
}
END_TEST

START_TEST(test_error_enoent)
{
	static struct dgram d;
	uint32_t pl[64];
	struct nl_reply r;
	struct rec rec;
	size_t n;

	d.len = 0;
	n = err_payload((unsigned char *)pl, -ENOENT, 43, 12, 0, NULL, 0);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 43, 0, pl, n);
	reply_init(&r, &rec, 0, 43, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.nack, 1);
	ck_assert_int_eq(rec.ack[0].error, ENOENT);
	ck_assert_uint_eq(rec.ack[0].seq, 43);
	ck_assert_uint_eq(rec.ack[0].ext_off, NL_EXT_OFF_NONE);
	ck_assert_str_eq(rec.ack[0].ext_msg, "");
	/* the largest errno the kernel can send is accepted */
	d.len = 0;
	n = err_payload((unsigned char *)pl, -4095, 43, 0, 0, NULL, 0);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 43, 0, pl, n);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_int_eq(rec.ack[1].error, 4095);
}
END_TEST

/* extended-ack TLVs: a message and an offset */
static size_t extack_tlvs(unsigned char *p, const char *msg, uint32_t offs)
{
	size_t off = 0;

	tlv_add(p, &off, NLMSGERR_ATTR_MSG, msg, strlen(msg) + 1);
	tlv_add(p, &off, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
	return off;
}

START_TEST(test_error_capped_extack)
{
	static struct dgram d;
	uint32_t pl[64], tlv[32];
	struct nl_reply r;
	struct rec rec;
	size_t n, t;

	t = extack_tlvs((unsigned char *)tlv, "missing tuple", 36);
	d.len = 0;
	n = err_payload((unsigned char *)pl, -EINVAL, 44, 40, 0, tlv, t);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 44, 0, pl, n);
	reply_init(&r, &rec, 0, 44, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.nack, 1);
	ck_assert_int_eq(rec.ack[0].error, EINVAL);
	ck_assert_str_eq(rec.ack[0].ext_msg, "missing tuple");
	ck_assert_uint_eq(rec.ack[0].ext_off, 36);

	/* the same TLVs without NLM_F_ACK_TLVS are not looked at */
	d.len = 0;
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 44, 0, pl, n);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_int_eq(rec.ack[1].error, EINVAL);
	ck_assert_str_eq(rec.ack[1].ext_msg, "");
	ck_assert_uint_eq(rec.ack[1].ext_off, NL_EXT_OFF_NONE);
}
END_TEST

START_TEST(test_error_uncapped_extack)
{
	static struct dgram d;
	uint32_t pl[64], tlv[32];
	struct nl_reply r;
	struct rec rec;
	size_t n, t;

	t = extack_tlvs((unsigned char *)tlv, "bad status", 20);
	reply_init(&r, &rec, 0, 45, 1);
	/* echoed payload of every length 0..9: TLVs start aligned after it */
	for (uint32_t plen = 0; plen < 10; plen++) {
		d.len = 0;
		n = err_payload((unsigned char *)pl, -ERANGE, 45, plen, plen,
				tlv, t);
		dg_add(&d, NLMSG_ERROR, NLM_F_ACK_TLVS, 45, 0, pl, n);
		ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
		ck_assert_uint_eq(rec.nack, plen + 1);
		ck_assert_int_eq(rec.ack[plen].error, ERANGE);
		ck_assert_str_eq(rec.ack[plen].ext_msg, "bad status");
		ck_assert_uint_eq(rec.ack[plen].ext_off, 20);
	}
}
END_TEST

START_TEST(test_extack_long_msg)
{
	static struct dgram d;
	uint32_t pl[128], tlv[96];
	char text[300];
	struct nl_reply r;
	struct rec rec;
	size_t n, t;

	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	t = extack_tlvs((unsigned char *)tlv, text, 1);
	d.len = 0;
	n = err_payload((unsigned char *)pl, -EINVAL, 1, 0, 0, tlv, t);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1, 0, pl, n);
	reply_init(&r, &rec, 0, 1, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(strlen(rec.ack[0].ext_msg), NL_EXT_MSG_MAX - 1);
	ck_assert_int_eq(rec.ack[0].ext_msg[0], 'x');
	ck_assert_uint_eq(rec.ack[0].ext_off, 1);
}
END_TEST

START_TEST(test_extack_malformed)
{
	static struct dgram d;
	/* a good NLMSGERR_ATTR_OFFS, then a header with nla_len 2 */
	static const unsigned char bad[12] = { 8, 0, 2, 0, 7, 0, 0, 0,
					       2, 0, 1, 0 };
	/* NLMSGERR_ATTR_MSG without its NUL */
	static const unsigned char nonul[8] = { 7, 0, 1, 0, 'a', 'b', 'c', 0 };
	uint32_t pl[64];
	struct nl_reply r;
	struct rec rec;
	size_t n;

	reply_init(&r, &rec, 0, 1, 1);
	d.len = 0;
	n = err_payload((unsigned char *)pl, -EPERM, 1, 0, 0, bad,
			sizeof(bad));
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1, 0, pl, n);
	n = err_payload((unsigned char *)pl, -EPERM, 1, 0, 0, nonul,
			sizeof(nonul));
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1, 0, pl, n);
	/* the errors survive, the text and offset are dropped */
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.nack, 2);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(rec.ack[i].error, EPERM);
		ck_assert_str_eq(rec.ack[i].ext_msg, "");
		ck_assert_uint_eq(rec.ack[i].ext_off, NL_EXT_OFF_NONE);
	}
}
END_TEST

START_TEST(test_done)
{
	static struct dgram d;
	uint32_t tlv[32];
	unsigned char pl[64];
	int e;
	struct nl_reply r;
	struct rec rec;
	size_t t;

	reply_init(&r, &rec, 0, 9, 1);
	d.len = 0;
	e = 0;
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, 9, 0, &e, sizeof(e));
	e = -ENOBUFS;
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, 9, 0, &e, sizeof(e));
	/* with TLVs */
	t = extack_tlvs((unsigned char *)tlv, "filter rejected", 24);
	e = -EOPNOTSUPP;
	memcpy(pl, &e, sizeof(e));
	memcpy(pl + 4, tlv, t);
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 9, 0, pl, 4 + t);
	/* an old kernel's DONE without payload */
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, 9, 0, NULL, 0);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.nack, 4);
	ck_assert_uint_eq(r.dones, 4);
	ck_assert_uint_eq(r.acks, 0);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(rec.done[i], 1);
		ck_assert_uint_eq(rec.ack[i].seq, 9);
	}
	ck_assert_int_eq(rec.ack[0].error, 0);
	ck_assert_int_eq(rec.ack[1].error, ENOBUFS);
	ck_assert_str_eq(rec.ack[1].ext_msg, "");
	ck_assert_int_eq(rec.ack[2].error, EOPNOTSUPP);
	ck_assert_str_eq(rec.ack[2].ext_msg, "filter rejected");
	ck_assert_uint_eq(rec.ack[2].ext_off, 24);
	ck_assert_int_eq(rec.ack[3].error, 0);
	ck_assert_uint_eq(rec.ack[3].ext_off, NL_EXT_OFF_NONE);
}
END_TEST

/* nl_reply_ends: what a receiver thread stops at, read as the parser
 * reads: our DONE, ERROR or OVERRUN, a malformed message, but nothing
 * after a message of another sequence (a stale datagram). */
START_TEST(test_reply_ends)
{
	static struct dgram d;
	unsigned char data[16] = { 0 };
	int e = 0;

	d.len = 0;
	dg_add(&d, 0x100, NLM_F_MULTI, 9, 0, data, sizeof(data));
	ck_assert_int_eq(nl_reply_ends(d.store, d.len, 9), 0);
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, 9, 0, &e, sizeof(e));
	ck_assert_int_eq(nl_reply_ends(d.store, d.len, 9), 1);
	/* another request's DONE: stale */
	ck_assert_int_eq(nl_reply_ends(d.store, d.len, 10), 0);
	d.len = 0;
	dg_add(&d, NLMSG_ERROR, 0, 9, 0, &e, sizeof(e));
	ck_assert_int_eq(nl_reply_ends(d.store, d.len, 9), 1);
	d.len = 0;
	dg_add(&d, NLMSG_OVERRUN, 0, 9, 0, NULL, 0);
	ck_assert_int_eq(nl_reply_ends(d.store, d.len, 9), 1);
	/* malformed: a length past the end, a header cut short */
	d.len = 0;
	dg_add(&d, 0x100, NLM_F_MULTI, 9, 0, data, sizeof(data));
	ck_assert_int_eq(nl_reply_ends(d.store, d.len - 4, 9), 1);
	ck_assert_int_eq(nl_reply_ends(d.store, 8, 9), 1);
	/* a stale message first: the rest is not read */
	d.len = 0;
	dg_add(&d, 0x100, NLM_F_MULTI, 3, 0, data, sizeof(data));
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, 9, 0, &e, sizeof(e));
	ck_assert_int_eq(nl_reply_ends(d.store, d.len, 9), 0);
	ck_assert_int_eq(nl_reply_ends(d.store, d.len - 4, 9), 0);
	ck_assert_int_eq(nl_reply_ends(d.store, 0, 9), 0);
}
END_TEST

START_TEST(test_dump_intr)
{
	static struct dgram d;
	int e = 0;
	struct nl_reply r;
	struct rec rec;

	reply_init(&r, &rec, 0, 3, 1);
	d.len = 0;
	dg_add(&d, DATA_TYPE, NLM_F_MULTI, 3, 0, &e, sizeof(e));
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, 3, 0, &e, sizeof(e));
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_int_eq(r.dump_intr, 0);

	d.len = 0;
	dg_add(&d, DATA_TYPE, NLM_F_MULTI | NLM_F_DUMP_INTR, 3, 0, &e,
	       sizeof(e));
	dg_add(&d, DATA_TYPE, NLM_F_MULTI, 3, 0, &e, sizeof(e));
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_int_eq(r.dump_intr, 1);	/* sticks */
	ck_assert_uint_eq(rec.ndata, 3);

	/* on NLMSG_DONE too */
	reply_init(&r, &rec, 0, 3, 1);
	d.len = 0;
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI | NLM_F_DUMP_INTR, 3, 0, &e,
	       sizeof(e));
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_int_eq(r.dump_intr, 1);
	ck_assert_uint_eq(rec.nack, 1);
}
END_TEST

START_TEST(test_portid)
{
	static struct dgram d;
	int e = 0;
	struct nl_reply r;
	struct rec rec;

	d.len = 0;
	dg_add(&d, DATA_TYPE, 0, 5, 1234, &e, sizeof(e));
	reply_init(&r, &rec, 1234, 5, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.ndata, 1);
	reply_init(&r, &rec, 1235, 5, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), -EPROTO);
	ck_assert_uint_eq(rec.ndata, 0);
	/* portid 0: not checked */
	reply_init(&r, &rec, 0, 5, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.ndata, 1);
	/* a good message, then one to another port: the first is handled */
	dg_add(&d, DATA_TYPE, 0, 5, 4321, &e, sizeof(e));
	reply_init(&r, &rec, 1234, 5, 1);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), -EPROTO);
	ck_assert_uint_eq(rec.ndata, 1);
}
END_TEST

/* sequence numbers against [seq, seq + nseq) */
static const struct seq_case {
	uint32_t seq, nseq, msg_seq;
	int rc;
} seq_cases[] = {
	{ 100, 1, 100, 0 },
	{ 100, 1, 99, -EPROTO },
	{ 100, 1, 101, -EPROTO },
	{ 100, 5, 100, 0 },
	{ 100, 5, 104, 0 },
	{ 100, 5, 105, -EPROTO },
	{ 100, 5, 0, -EPROTO },
	{ 0xfffffffeU, 4, 0xfffffffeU, 0 },	/* the range wraps */
	{ 0xfffffffeU, 4, 0xffffffffU, 0 },
	{ 0xfffffffeU, 4, 1, 0 },
	{ 0xfffffffeU, 4, 2, -EPROTO },
	{ 0xfffffffeU, 4, 0xfffffffdU, -EPROTO },
	{ 100, 0, 100, -EPROTO },		/* nothing expected */
};

START_TEST(test_seq_range)
{
	const struct seq_case *c = &seq_cases[_i];
	static struct dgram d;
	int e = 0;
	struct nl_reply r;
	struct rec rec;

	d.len = 0;
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, c->msg_seq, 0, &e, sizeof(e));
	reply_init(&r, &rec, 0, c->seq, c->nseq);
	ck_assert_msg(parse_exact(&r, d.store, d.len) == c->rc,
		      "seq %u nseq %u message %u", c->seq, c->nseq,
		      c->msg_seq);
	ck_assert_uint_eq(rec.nack, c->rc == 0 ? 1 : 0);
}
END_TEST

/* ---- malformed datagrams ------------------------------------------------- */

/* All with seq 16 and portid 0; parsed with seq 16, nseq 1, portid 0. */
static const struct bad_case {
	const char *name;
	const char *hex;
	int rc;
	unsigned int ndata, nack;
} bad_cases[] = {
	{ "empty datagram", "", 0, 0, 0 },
	{ "truncated header",
	  "14000000 10000100 10000000 0000", -EBADMSG, 0, 0 },
	{ "nlmsg_len 15", "0f000000 10000000 10000000 00000000", -EBADMSG,
	  0, 0 },
	{ "nlmsg_len 0", "00000000 10000000 10000000 00000000", -EBADMSG,
	  0, 0 },
	{ "nlmsg_len past the end",
	  "18000000 10000000 10000000 00000000 01020304", -EBADMSG, 0, 0 },
	{ "good message, then a truncated header",
	  "10000000 10000000 10000000 00000000 10000000 10000000", -EBADMSG,
	  1, 0 },
	{ "unpadded last message",
	  "11000000 10000000 10000000 00000000 01", 0, 1, 0 },
	{ "error payload of 4 bytes",
	  "14000000 02000001 10000000 00000000 00000000", -EBADMSG, 0, 0 },
	{ "error payload of 19 bytes",
	  "23000000 02000001 10000000 00000000 00000000 10000000 10000000"
	  "10000000 000000", -EBADMSG, 0, 0 },
	{ "uncapped error whose echo overruns",
	  "24000000 02000000 10000000 00000000 feffffff 40000000 10000500"
	  "10000000 00000000", -EBADMSG, 0, 0 },
	{ "uncapped error quoting nlmsg_len 8",
	  "24000000 02000000 10000000 00000000 feffffff 08000000 10000500"
	  "10000000 00000000", -EBADMSG, 0, 0 },
	{ "positive errno",
	  "24000000 02000001 10000000 00000000 02000000 10000000 10000500"
	  "10000000 00000000", -EBADMSG, 0, 0 },
	{ "errno -4096",
	  "24000000 02000001 10000000 00000000 00f0ffff 10000000 10000500"
	  "10000000 00000000", -EBADMSG, 0, 0 },
	{ "NLMSG_OVERRUN", "10000000 04000000 10000000 00000000", -EOVERFLOW,
	  0, 0 },
	{ "NLMSG_NOOP skipped",
	  "10000000 01000000 10000000 00000000 10000000 10000000 10000000"
	  "00000000", 0, 1, 0 },
	{ "reserved control types skipped",
	  "10000000 05000000 10000000 00000000 10000000 0f000000 10000000"
	  "00000000", 0, 0, 0 },
	{ "NLMSG_DONE with a 2-byte payload",
	  "12000000 03000200 10000000 00000000 ffff", 0, 0, 1 },
};

START_TEST(test_malformed)
{
	const struct bad_case *c = &bad_cases[_i];
	uint32_t store[32];
	unsigned char *p = (unsigned char *)store;
	size_t n = 0;
	int hi = -1, rc;
	struct nl_reply r;
	struct rec rec;

	for (const char *h = c->hex; *h; h++) {
		int v;

		if (*h == ' ')
			continue;
		v = isdigit((unsigned char)*h) ? *h - '0' : *h - 'a' + 10;
		if (hi < 0) {
			hi = v;
			continue;
		}
		ck_assert_uint_lt(n, sizeof(store));
		p[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	ck_assert_int_lt(hi, 0);
	reply_init(&r, &rec, 0, 16, 1);
	rc = parse_exact(&r, p, n);
	ck_assert_msg(rc == c->rc, "%s: rc %d, want %d", c->name, rc, c->rc);
	ck_assert_msg(rec.ndata == c->ndata, "%s: %u data, want %u", c->name,
		      rec.ndata, c->ndata);
	ck_assert_msg(rec.nack == c->nack, "%s: %u acks, want %u", c->name,
		      rec.nack, c->nack);
}
END_TEST

/* ---- batches and callbacks ----------------------------------------------- */

START_TEST(test_batch_range)
{
	static struct dgram d;
	uint32_t pl[64], tlv[32];
	struct nl_reply r;
	struct rec rec;
	size_t n, t;
	int e = 0;

	/* five requests from seq 1000: #1 and #3 fail, #4 (last) is acked,
	 * #2 is answered with data */
	d.len = 0;
	n = err_payload((unsigned char *)pl, -EEXIST, 1001, 40, 0, NULL, 0);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 1001, 77, pl, n);
	dg_add(&d, DATA_TYPE, 0, 1002, 77, &e, sizeof(e));
	t = extack_tlvs((unsigned char *)tlv, "no such entry", 20);
	n = err_payload((unsigned char *)pl, -ENOENT, 1003, 40, 0, tlv, t);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1003, 77, pl,
	       n);
	n = err_payload((unsigned char *)pl, 0, 1004, 40, 0, NULL, 0);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 1004, 77, pl, n);
	reply_init(&r, &rec, 77, 1000, 5);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(rec.nack, 3);
	ck_assert_uint_eq(r.acks, 3);
	ck_assert_uint_eq(rec.ack[0].seq - r.seq, 1);
	ck_assert_int_eq(rec.ack[0].error, EEXIST);
	ck_assert_uint_eq(rec.ack[1].seq - r.seq, 3);
	ck_assert_int_eq(rec.ack[1].error, ENOENT);
	ck_assert_str_eq(rec.ack[1].ext_msg, "no such entry");
	ck_assert_uint_eq(rec.ack[2].seq - r.seq, 4);
	ck_assert_int_eq(rec.ack[2].error, 0);
	ck_assert_uint_eq(rec.ndata, 1);
	ck_assert_uint_eq(rec.data_seq[0], 1002);
	ck_assert_uint_eq(r.last_seq, 1004);

	/* an answer to a sixth request is not ours */
	d.len = 0;
	n = err_payload((unsigned char *)pl, -ENOENT, 1005, 40, 0, NULL, 0);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 1005, 77, pl, n);
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), -EPROTO);
	ck_assert_uint_eq(r.acks, 3);
}
END_TEST

START_TEST(test_callback_stops)
{
	static struct dgram d;
	uint32_t pl[64];
	struct nl_reply r;
	struct rec rec;
	size_t n;
	int e = 0;

	d.len = 0;
	dg_add(&d, DATA_TYPE, NLM_F_MULTI, 1, 0, &e, sizeof(e));
	dg_add(&d, DATA_TYPE, NLM_F_MULTI, 1, 0, &e, sizeof(e));
	dg_add(&d, DATA_TYPE, NLM_F_MULTI, 1, 0, &e, sizeof(e));
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, 1, 0, &e, sizeof(e));
	reply_init(&r, &rec, 0, 1, 1);
	rec.stop_data_at = 2;
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), -ECANCELED);
	ck_assert_uint_eq(rec.ndata, 2);
	ck_assert_uint_eq(rec.nack, 0);
	ck_assert_uint_eq(r.datas, 2);

	/* an ack callback stops the walk the same way */
	d.len = 0;
	n = err_payload((unsigned char *)pl, -EBUSY, 1, 0, 0, NULL, 0);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 1, 0, pl, n);
	dg_add(&d, DATA_TYPE, 0, 1, 0, &e, sizeof(e));
	reply_init(&r, &rec, 0, 1, 1);
	rec.stop_ack_at = 1;
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), -ECONNABORTED);
	ck_assert_uint_eq(rec.nack, 1);
	ck_assert_uint_eq(rec.ndata, 0);
}
END_TEST

START_TEST(test_no_callbacks)
{
	static struct dgram d;
	uint32_t pl[64];
	struct nl_reply r = { .seq = 1, .nseq = 1 };
	size_t n;
	int e = 0;

	/* acks are only counted */
	d.len = 0;
	n = err_payload((unsigned char *)pl, -ENOENT, 1, 0, 0, NULL, 0);
	dg_add(&d, NLMSG_ERROR, NLM_F_CAPPED, 1, 0, pl, n);
	dg_add(&d, NLMSG_DONE, NLM_F_MULTI, 1, 0, &e, sizeof(e));
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), 0);
	ck_assert_uint_eq(r.acks, 1);
	ck_assert_uint_eq(r.dones, 1);
	/* data nobody asked for is an error */
	d.len = 0;
	dg_add(&d, DATA_TYPE, 0, 1, 0, &e, sizeof(e));
	ck_assert_int_eq(parse_exact(&r, d.store, d.len), -EPROTO);
	ck_assert_uint_eq(r.datas, 1);
}
END_TEST

START_TEST(test_ack_decode)
{
	static struct dgram d;
	uint32_t pl[64], tlv[32];
	struct nl_ack ack;
	size_t n, t;

	t = extack_tlvs((unsigned char *)tlv, "direct", 28);
	d.len = 0;
	n = err_payload((unsigned char *)pl, -EAGAIN, 8, 6, 6, tlv, t);
	dg_add(&d, NLMSG_ERROR, NLM_F_ACK_TLVS, 8, 0, pl, n);
	memset(&ack, 0x5a, sizeof(ack));
	ck_assert_int_eq(nl_reply_ack_decode((const void *)d.store, &ack), 0);
	ck_assert_uint_eq(ack.seq, 8);
	ck_assert_int_eq(ack.error, EAGAIN);
	ck_assert_str_eq(ack.ext_msg, "direct");
	ck_assert_uint_eq(ack.ext_off, 28);

	/* a short one leaves a defined ack behind all the same */
	d.len = 0;
	dg_add(&d, NLMSG_ERROR, 0, 8, 0, pl, 8);
	ck_assert_int_eq(nl_reply_ack_decode((const void *)d.store, &ack),
			 -EBADMSG);
}
END_TEST

/* ---- real kernel replies ------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads a fixture: hex bytes, whitespace ignored, '#' to end of line a
 * comment. Returns an exactly-sized heap copy and its length in *@len. */
static unsigned char *load_fixture(const char *path, size_t *len)
{
	uint32_t store[1024];
	unsigned char *p = (unsigned char *)store;
	int c, hi = -1, comment = 0;
	size_t n = 0;
	FILE *f;

	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s (run from the repository root)",
		      path, strerror(errno));
	while ((c = getc(f)) != EOF) {
		int v;

		if (comment || c == '#') {
			comment = c != '\n';
			continue;
		}
		if (isspace(c))
			continue;
		v = hexval(c);
		ck_assert_msg(v >= 0, "%s: bad character '%c'", path, c);
		if (hi < 0) {
			hi = v;
			continue;
		}
		ck_assert_uint_lt(n, sizeof(store));
		p[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	fclose(f);
	ck_assert_msg(hi < 0, "%s: odd number of hex digits", path);
	ck_assert_msg(n > 0, "%s: empty", path);
	*len = n;
	return exact(p, n);
}

/* Portids and sequence numbers the fixtures were captured with. */
#define CAP_PORTID	4169	/* the one-off capture program */
#define STATS_PORTID	4174	/* ./conntrack -C under strace */
#define STATS_SEQ	0xa6079797U

static const struct nl_attr_policy stats_pol[CTA_STATS_GLOBAL_MAX + 1] = {
	[CTA_STATS_GLOBAL_ENTRIES] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_GLOBAL_MAX_ENTRIES] = { .kind = NL_ATTR_U32 },
};

struct stats {
	unsigned int calls;
	uint8_t family;
	uint32_t entries, max_entries;
};

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	const size_t hdr = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	const struct nlattr *tb[CTA_STATS_GLOBAL_MAX + 1];
	struct stats *s = arg;
	struct nfgenmsg g;
	struct nlmsghdr h;

	memcpy(&h, nlh, sizeof(h));
	ck_assert_uint_eq(h.nlmsg_type, NFNL_SUBSYS_CTNETLINK << 8 |
			  IPCTNL_MSG_CT_GET_STATS);
	ck_assert_uint_ge(h.nlmsg_len, hdr);
	memcpy(&g, (const unsigned char *)nlh + NLMSG_HDRLEN, sizeof(g));
	s->family = g.nfgen_family;
	ck_assert_int_eq(nl_attr_parse((const unsigned char *)nlh + hdr,
				       h.nlmsg_len - hdr, stats_pol,
				       CTA_STATS_GLOBAL_MAX, tb,
				       NL_PARSE_STRICT | NL_PARSE_DEEP, NULL),
			 0);
	ck_assert_ptr_nonnull(tb[CTA_STATS_GLOBAL_ENTRIES]);
	ck_assert_ptr_nonnull(tb[CTA_STATS_GLOBAL_MAX_ENTRIES]);
	s->entries = nl_attr_get_be32(tb[CTA_STATS_GLOBAL_ENTRIES]);
	s->max_entries = nl_attr_get_be32(tb[CTA_STATS_GLOBAL_MAX_ENTRIES]);
	s->calls++;
	return 0;
}

START_TEST(test_fixture_stats)
{
	struct stats st = { 0 };
	struct nl_reply r = { .portid = STATS_PORTID, .seq = STATS_SEQ,
			      .nseq = 1, .on_data = stats_cb, .arg = &st };
	unsigned char *buf;
	size_t len;

	buf = load_fixture("tests/data/ctnl_stats_reply.hex", &len);
	ck_assert_uint_eq(len, 36);
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), 0);
	ck_assert_uint_eq(st.calls, 1);
	ck_assert_uint_eq(st.family, 0);	/* AF_UNSPEC */
	ck_assert_uint_eq(st.entries, 1);
	ck_assert_uint_eq(st.max_entries, 262144);
	ck_assert_uint_eq(r.datas, 1);
	ck_assert_int_eq(r.last_multi, 1);	/* ctnetlink sets it here */
	ck_assert_uint_eq(r.last_seq, STATS_SEQ);
	/* the same datagram for another socket or request is refused */
	r.portid = STATS_PORTID + 1;
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), -EPROTO);
	r.portid = 0;
	r.seq = STATS_SEQ + 1;
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), -EPROTO);
	r.seq = STATS_SEQ - 1;
	r.nseq = 2;
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), 0);
	ck_assert_uint_eq(st.calls, 2);
	/* cut anywhere inside, it is malformed */
	for (size_t cut = 1; cut < len; cut++) {
		unsigned char *part = exact(buf, cut);

		ck_assert_int_eq(nl_reply_parse(&r, part, cut), -EBADMSG);
		free(part);
	}
	free(buf);
}
END_TEST

START_TEST(test_fixture_ack)
{
	struct nl_reply r;
	struct rec rec;
	unsigned char *buf;
	size_t len;

	buf = load_fixture("tests/data/ctnl_ack_new.hex", &len);
	reply_init(&r, &rec, CAP_PORTID, 0x1000, 1);
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), 0);
	ck_assert_uint_eq(rec.nack, 1);
	ck_assert_int_eq(rec.done[0], 0);
	ck_assert_int_eq(rec.ack[0].error, 0);
	ck_assert_uint_eq(rec.ack[0].seq, 0x1000);
	ck_assert_uint_eq(rec.ack[0].ext_off, NL_EXT_OFF_NONE);
	ck_assert_str_eq(rec.ack[0].ext_msg, "");
	free(buf);

	buf = load_fixture("tests/data/ctnl_error_enoent.hex", &len);
	reply_init(&r, &rec, CAP_PORTID, 0x1005, 1);
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), 0);
	ck_assert_uint_eq(rec.nack, 1);
	ck_assert_int_eq(rec.ack[0].error, ENOENT);
	ck_assert_uint_eq(rec.ack[0].seq, 0x1005);
	ck_assert_str_eq(rec.ack[0].ext_msg, "");
	free(buf);
}
END_TEST

/*
 * The request both extack fixtures answer, rebuilt: IPCTNL_MSG_CT_GET with
 * NLM_F_ACK and a 2-byte CTA_STATUS (seq @seq), 28 bytes.
 */
static size_t extack_request(uint32_t *store, size_t cap, uint32_t seq)
{
	struct nl_msg m;

	nl_msg_init(&m, store, cap);
	ck_assert_int_eq(nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
					   IPCTNL_MSG_CT_GET, NLM_F_ACK, seq,
					   2), 0);
	ck_assert_int_eq(nl_attr_put_be16(&m, CTA_STATUS, 1), 0);
	nl_msg_end(&m);
	return m.len;
}

static void check_extack_fixture(const char *path, uint32_t seq,
				 int capped)
{
	uint32_t req[16];
	unsigned char *reqb = (unsigned char *)req;
	struct nl_reply r;
	struct rec rec;
	struct nlattr bad;
	unsigned char *buf;
	size_t len, rlen;

	buf = load_fixture(path, &len);
	reply_init(&r, &rec, CAP_PORTID, seq, 1);
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), 0);
	ck_assert_uint_eq(rec.nack, 1);
	ck_assert_uint_eq(r.acks, 1);
	ck_assert_int_eq(rec.ack[0].error, ERANGE);
	ck_assert_uint_eq(rec.ack[0].seq, seq);
	ck_assert_str_eq(rec.ack[0].ext_msg,
			 "Attribute failed policy validation");
	ck_assert_uint_eq(rec.ack[0].ext_off, 20);

	/* the kernel quotes our request's header (and payload if uncapped),
	 * and the offset points at its CTA_STATUS */
	rlen = extack_request(req, sizeof(req), seq);
	ck_assert_uint_eq(rlen, 28);
	ck_assert_mem_eq(buf + 20, reqb, capped ? 16 : rlen);
	memcpy(&bad, reqb + rec.ack[0].ext_off, sizeof(bad));
	ck_assert_uint_eq(bad.nla_type, CTA_STATUS);
	ck_assert_uint_eq(bad.nla_len, 6);
	free(buf);
}

START_TEST(test_fixture_extack)
{
	check_extack_fixture("tests/data/ctnl_error_extack.hex", 0x1003, 1);
}
END_TEST

START_TEST(test_fixture_extack_uncapped)
{
	check_extack_fixture("tests/data/ctnl_error_extack_uncapped.hex",
			     0x1004, 0);
}
END_TEST

/* Enough of ctnetlink's policy for the captured entry, strict and deep. */
static const struct nl_attr_policy ip_pol[CTA_IP_MAX + 1] = {
	[CTA_IP_V4_SRC] = { .kind = NL_ATTR_BINARY, .min_len = 4,
			    .max_len = 4 },
	[CTA_IP_V4_DST] = { .kind = NL_ATTR_BINARY, .min_len = 4,
			    .max_len = 4 },
	[CTA_IP_V6_SRC] = { .kind = NL_ATTR_BINARY, .min_len = 16,
			    .max_len = 16 },
	[CTA_IP_V6_DST] = { .kind = NL_ATTR_BINARY, .min_len = 16,
			    .max_len = 16 },
};

static const struct nl_attr_policy proto_pol[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM] = { .kind = NL_ATTR_U8 },
	[CTA_PROTO_SRC_PORT] = { .kind = NL_ATTR_U16 },
	[CTA_PROTO_DST_PORT] = { .kind = NL_ATTR_U16 },
};

static const struct nl_attr_policy tuple_pol[CTA_TUPLE_MAX + 1] = {
	[CTA_TUPLE_IP] = { .kind = NL_ATTR_NESTED, .nested = ip_pol,
			   .nested_max = CTA_IP_MAX },
	[CTA_TUPLE_PROTO] = { .kind = NL_ATTR_NESTED, .nested = proto_pol,
			      .nested_max = CTA_PROTO_MAX },
	[CTA_TUPLE_ZONE] = { .kind = NL_ATTR_U16 },
};

static const struct nl_attr_policy tcp_pol[CTA_PROTOINFO_TCP_MAX + 1] = {
	[CTA_PROTOINFO_TCP_STATE] = { .kind = NL_ATTR_U8 },
	[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL] = { .kind = NL_ATTR_U8 },
	[CTA_PROTOINFO_TCP_WSCALE_REPLY] = { .kind = NL_ATTR_U8 },
	[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL] = { .kind = NL_ATTR_BINARY,
					       .min_len = 2, .max_len = 2 },
	[CTA_PROTOINFO_TCP_FLAGS_REPLY] = { .kind = NL_ATTR_BINARY,
					    .min_len = 2, .max_len = 2 },
};

static const struct nl_attr_policy protoinfo_pol[CTA_PROTOINFO_MAX + 1] = {
	[CTA_PROTOINFO_TCP] = { .kind = NL_ATTR_NESTED, .nested = tcp_pol,
				.nested_max = CTA_PROTOINFO_TCP_MAX },
};

static const struct nl_attr_policy synproxy_pol[CTA_SYNPROXY_MAX + 1] = {
	[CTA_SYNPROXY_ISN] = { .kind = NL_ATTR_U32 },
	[CTA_SYNPROXY_ITS] = { .kind = NL_ATTR_U32 },
	[CTA_SYNPROXY_TSOFF] = { .kind = NL_ATTR_U32 },
};

static const struct nl_attr_policy ct_pol[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG] = { .kind = NL_ATTR_NESTED, .nested = tuple_pol,
			     .nested_max = CTA_TUPLE_MAX },
	[CTA_TUPLE_REPLY] = { .kind = NL_ATTR_NESTED, .nested = tuple_pol,
			      .nested_max = CTA_TUPLE_MAX },
	[CTA_STATUS] = { .kind = NL_ATTR_U32 },
	[CTA_PROTOINFO] = { .kind = NL_ATTR_NESTED, .nested = protoinfo_pol,
			    .nested_max = CTA_PROTOINFO_MAX },
	[CTA_TIMEOUT] = { .kind = NL_ATTR_U32 },
	[CTA_MARK] = { .kind = NL_ATTR_U32 },
	[CTA_USE] = { .kind = NL_ATTR_U32 },
	[CTA_ID] = { .kind = NL_ATTR_U32 },
	[CTA_SYNPROXY] = { .kind = NL_ATTR_NESTED, .nested = synproxy_pol,
			   .nested_max = CTA_SYNPROXY_MAX },
};

struct tuple {
	unsigned char src[4], dst[4];
	uint8_t proto;
	uint16_t sport, dport;
};

struct entry {
	unsigned int calls;
	struct tuple orig, reply;
	uint32_t status, mark, timeout, use;
	uint8_t tcp_state;
};

static void tuple_get(const struct nlattr *nest, struct tuple *t)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1];
	const struct nlattr *ip[CTA_IP_MAX + 1], *pr[CTA_PROTO_MAX + 1];

	ck_assert_int_eq(nl_attr_parse_nested(nest, tuple_pol, CTA_TUPLE_MAX,
					      tb, NL_PARSE_STRICT, NULL), 0);
	ck_assert_int_eq(nl_attr_parse_nested(tb[CTA_TUPLE_IP], ip_pol,
					      CTA_IP_MAX, ip, NL_PARSE_STRICT,
					      NULL), 0);
	ck_assert_int_eq(nl_attr_parse_nested(tb[CTA_TUPLE_PROTO], proto_pol,
					      CTA_PROTO_MAX, pr,
					      NL_PARSE_STRICT, NULL), 0);
	memcpy(t->src, nl_attr_data(ip[CTA_IP_V4_SRC]), 4);
	memcpy(t->dst, nl_attr_data(ip[CTA_IP_V4_DST]), 4);
	t->proto = nl_attr_get_u8(pr[CTA_PROTO_NUM]);
	t->sport = nl_attr_get_be16(pr[CTA_PROTO_SRC_PORT]);
	t->dport = nl_attr_get_be16(pr[CTA_PROTO_DST_PORT]);
}

static int entry_cb(const struct nlmsghdr *nlh, void *arg)
{
	const size_t hdr = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	const struct nlattr *tb[CTA_MAX + 1], *pi[CTA_PROTOINFO_MAX + 1];
	const struct nlattr *tcp[CTA_PROTOINFO_TCP_MAX + 1];
	struct nl_attr_err err = { 0 };
	struct entry *e = arg;
	struct nlmsghdr h;
	int rc;

	memcpy(&h, nlh, sizeof(h));
	ck_assert_uint_eq(h.nlmsg_type, DATA_TYPE);
	rc = nl_attr_parse((const unsigned char *)nlh + hdr,
			   h.nlmsg_len - hdr, ct_pol, CTA_MAX, tb,
			   NL_PARSE_STRICT | NL_PARSE_DEEP, &err);
	ck_assert_msg(rc == 0, "entry: %d (%s, type %u at %u)", rc,
		      err.msg ? err.msg : "", err.type, err.offset);
	tuple_get(tb[CTA_TUPLE_ORIG], &e->orig);
	tuple_get(tb[CTA_TUPLE_REPLY], &e->reply);
	e->status = nl_attr_get_be32(tb[CTA_STATUS]);
	e->mark = nl_attr_get_be32(tb[CTA_MARK]);
	e->timeout = nl_attr_get_be32(tb[CTA_TIMEOUT]);
	e->use = nl_attr_get_be32(tb[CTA_USE]);
	ck_assert_int_eq(nl_attr_parse_nested(tb[CTA_PROTOINFO],
					      protoinfo_pol,
					      CTA_PROTOINFO_MAX, pi, 0,
					      NULL), 0);
	ck_assert_int_eq(nl_attr_parse_nested(pi[CTA_PROTOINFO_TCP], tcp_pol,
					      CTA_PROTOINFO_TCP_MAX, tcp, 0,
					      NULL), 0);
	e->tcp_state = nl_attr_get_u8(tcp[CTA_PROTOINFO_TCP_STATE]);
	e->calls++;
	return 0;
}

START_TEST(test_fixture_dump)
{
	static const unsigned char a[4] = { 192, 0, 2, 1 };
	static const unsigned char b[4] = { 198, 51, 100, 2 };
	struct entry e = { 0 };
	struct nl_reply r;
	struct rec rec;
	unsigned char *buf;
	size_t len;

	reply_init(&r, &rec, CAP_PORTID, 0x1002, 1);
	r.on_data = entry_cb;
	r.arg = &e;
	buf = load_fixture("tests/data/ctnl_dump_entry.hex", &len);
	ck_assert_uint_eq(len, 240);
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), 0);
	free(buf);
	ck_assert_uint_eq(e.calls, 1);
	ck_assert_mem_eq(e.orig.src, a, 4);
	ck_assert_mem_eq(e.orig.dst, b, 4);
	ck_assert_uint_eq(e.orig.proto, 6);
	ck_assert_uint_eq(e.orig.sport, 1000);
	ck_assert_uint_eq(e.orig.dport, 80);
	ck_assert_mem_eq(e.reply.src, b, 4);
	ck_assert_mem_eq(e.reply.dst, a, 4);
	ck_assert_uint_eq(e.reply.sport, 80);
	ck_assert_uint_eq(e.reply.dport, 1000);
	ck_assert_uint_eq(e.status, IPS_CONFIRMED);
	ck_assert_uint_eq(e.mark, 42);
	ck_assert_uint_eq(e.timeout, 299);
	ck_assert_uint_eq(e.use, 1);
	ck_assert_uint_eq(e.tcp_state, 0);
	ck_assert_int_eq(r.last_multi, 1);
	ck_assert_int_eq(r.dump_intr, 0);

	/* the dump's second datagram ends it */
	r.on_ack = rec_ack;
	r.arg = &rec;
	buf = load_fixture("tests/data/ctnl_dump_done.hex", &len);
	ck_assert_int_eq(nl_reply_parse(&r, buf, len), 0);
	free(buf);
	ck_assert_uint_eq(rec.nack, 1);
	ck_assert_int_eq(rec.done[0], 1);
	ck_assert_int_eq(rec.ack[0].error, 0);
	ck_assert_uint_eq(r.datas, 1);
	ck_assert_uint_eq(r.dones, 1);
	ck_assert_uint_eq(r.acks, 0);
}
END_TEST

Suite *reply_suite(void)
{
	Suite *s = suite_create("reply");
	TCase *tc;

	tc = tcase_create("walk");
	tcase_add_test(tc, test_data_delivered);
	tcase_add_test(tc, test_ack);
	tcase_add_test(tc, test_error_enoent);
	tcase_add_test(tc, test_error_capped_extack);
	tcase_add_test(tc, test_error_uncapped_extack);
	tcase_add_test(tc, test_extack_long_msg);
	tcase_add_test(tc, test_extack_malformed);
	tcase_add_test(tc, test_done);
	tcase_add_test(tc, test_dump_intr);
	tcase_add_test(tc, test_reply_ends);
	tcase_add_test(tc, test_portid);
	tcase_add_loop_test(tc, test_seq_range, 0,
			    (int)(sizeof(seq_cases) / sizeof(seq_cases[0])));
	tcase_add_loop_test(tc, test_malformed, 0,
			    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_batch_range);
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_no_callbacks);
	tcase_add_test(tc, test_ack_decode);
	suite_add_tcase(s, tc);

	tc = tcase_create("kernel");
	tcase_add_test(tc, test_fixture_stats);
	tcase_add_test(tc, test_fixture_ack);
	tcase_add_test(tc, test_fixture_extack);
	tcase_add_test(tc, test_fixture_extack_uncapped);
	tcase_add_test(tc, test_fixture_dump);
	suite_add_tcase(s, tc);
	return s;
}
