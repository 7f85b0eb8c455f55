// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz harness for the sync protocol codec (sync/msg.h). The whole input
 * is one datagram as a peer sends it: any number of messages. It is
 * walked with sync_msg_next(); every data message is parsed as a
 * conntrack AND as an expectation message, whatever its type. Properties,
 * each an abort() when violated:
 *  - the walk reads nothing past the input and every refusal is counted
 *    once in rcv_malformed and once in exactly one reason; a negative
 *    return gives h.len 0 (stop) or a length that fits (skip); a short
 *    tail counts as upstream counts it;
 *  - a refused parse counts one bad payload and clears the result; an
 *    accepted one has CT_ORIG|CT_REPLY and an address family (ct), or
 *    master and expected tuples (exp);
 *  - round trip: what parses is built again (it must build: a parsed
 *    flow is always encodable) and parsed again to the same thing, field
 *    by field; building that second parse gives the same bytes; building
 *    with upstream_compat and no_timeout parses too;
 *  - a control message of its exact size builds back to its own bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sync/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static const struct sync_msg_opts full = { .wscale = 1 };
static const struct sync_msg_opts lean = { .no_timeout = 1,
					   .upstream_compat = 1 };

static uint64_t reasons(const struct sync_msg_stats *s)
{
	return (uint64_t)s->rcv_bad_version + s->rcv_bad_header +
	       s->rcv_bad_payload + s->rcv_bad_type + s->rcv_truncated +
	       s->rcv_bad_size;
}

static void same_str(const char *a, const char *b)
{
	CHECK(!a == !b);
	CHECK(!a || !strcmp(a, b));
}

static void same_tuple(const struct ct_tuple *a, const struct ct_tuple *b)
{
	CHECK(a->set == b->set && a->l3 == b->l3 && a->l4 == b->l4);
	CHECK(!memcmp(&a->src, &b->src, sizeof(a->src)));
	CHECK(!memcmp(&a->dst, &b->dst, sizeof(a->dst)));
	CHECK(a->sport == b->sport && a->dport == b->dport);
	CHECK(a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code &&
	      a->icmp_id == b->icmp_id && a->zone == b->zone);
}

static void same_nat(const struct ct_nat *a, const struct ct_nat *b)
{
	CHECK(!memcmp(&a->min_ip, &b->min_ip, sizeof(a->min_ip)));
	CHECK(!memcmp(&a->max_ip, &b->max_ip, sizeof(a->max_ip)));
	CHECK(a->min_port == b->min_port && a->max_port == b->max_port &&
	      a->has_port == b->has_port);
}

/* every field, set or not (the parser zeroes what it does not set) */
static void same_ct(const struct ct_entry *a, const struct ct_entry *b)
{
	CHECK(a->set == b->set && a->family == b->family);
	same_tuple(&a->orig, &b->orig);
	same_tuple(&a->reply, &b->reply);
	same_tuple(&a->master, &b->master);
	CHECK(a->status == b->status && a->timeout == b->timeout);
	CHECK(a->mark == b->mark && a->zone == b->zone);
	CHECK(!memcmp(&a->tcp, &b->tcp, sizeof(a->tcp)));
	CHECK(a->sctp.state == b->sctp.state);
	CHECK(a->sctp.vtag[0] == b->sctp.vtag[0]);
	CHECK(a->sctp.vtag[1] == b->sctp.vtag[1]);
	CHECK(a->dccp.state == b->dccp.state && a->dccp.role == b->dccp.role);
	same_str(a->helper, b->helper);
	CHECK(a->labels_len == b->labels_len);
	CHECK(!memcmp(a->labels, b->labels, sizeof(a->labels)));
	CHECK(!memcmp(a->seqadj, b->seqadj, sizeof(a->seqadj)));
	CHECK(!memcmp(&a->synproxy, &b->synproxy, sizeof(a->synproxy)));
	same_nat(&a->snat, &b->snat);
	same_nat(&a->dnat, &b->dnat);
}

static void same_exp(const struct ct_expect *a, const struct ct_expect *b)
{
	CHECK(a->set == b->set && a->family == b->family);
	same_tuple(&a->master, &b->master);
	same_tuple(&a->tuple, &b->tuple);
	same_tuple(&a->mask, &b->mask);
	same_tuple(&a->nat_tuple, &b->nat_tuple);
	CHECK(a->timeout == b->timeout && a->flags == b->flags);
	CHECK(a->class == b->class && a->nat_dir == b->nat_dir);
	CHECK(a->id == 0 && b->id == 0 && a->zone == 0 && b->zone == 0);
	same_str(a->helper, b->helper);
	same_str(a->fn, b->fn);
}

static int parse_ok(int rc, const struct sync_msg_stats *before,
		    const struct sync_msg_stats *after)
{
	if (rc == 0) {
		CHECK(!memcmp(before, after, sizeof(*before)));
		return 1;
	}
	CHECK(rc == -EBADMSG);
	CHECK(after->rcv_malformed == before->rcv_malformed + 1);
	CHECK(after->rcv_bad_payload == before->rcv_bad_payload + 1);
	return 0;
}

static void ct_round_trip(const uint8_t *msg, size_t len,
			  struct sync_msg_stats *st)
{
	static uint8_t b1[SYNC_MSG_MAX], b2[SYNC_MSG_MAX], b3[SYNC_MSG_MAX];
	struct sync_msg_stats before = *st;
	struct ct_entry e1, e2, e3;
	int n1, n2, n3;

	if (!parse_ok(sync_msg_parse_ct(msg, len, &e1, st), &before, st)) {
		CHECK(e1.set == 0);
		return;
	}
	CHECK((e1.set & (CT_ORIG | CT_REPLY)) == (CT_ORIG | CT_REPLY));
	CHECK(e1.family == AF_INET || e1.family == AF_INET6);
	n1 = sync_msg_build_ct(b1, sizeof(b1), SYNC_T_CT_UPD, &e1, &full);
	CHECK(n1 > 0 && (size_t)n1 <= sizeof(b1) && n1 % 4 == 0);
	CHECK(sync_msg_parse_ct(b1, (size_t)n1, &e2, st) == 0);
	same_ct(&e1, &e2);
	n2 = sync_msg_build_ct(b2, sizeof(b2), SYNC_T_CT_UPD, &e2, &full);
	CHECK(n2 == n1 && !memcmp(b1, b2, (size_t)n1));
	n3 = sync_msg_build_ct(b3, sizeof(b3), SYNC_T_CT_DEL, &e1, &lean);
	CHECK(n3 > 0 && n3 <= n1);
	CHECK(sync_msg_parse_ct(b3, (size_t)n3, &e3, st) == 0);
	CHECK(!(e3.set & CT_TIMEOUT));
	same_tuple(&e1.master, &e3.master);
	CHECK(!memcmp(&before, st, sizeof(before)));
}

static void exp_round_trip(const uint8_t *msg, size_t len,
			   struct sync_msg_stats *st)
{
	static uint8_t b1[SYNC_MSG_MAX], b2[SYNC_MSG_MAX], b3[SYNC_MSG_MAX];
	struct sync_msg_stats before = *st;
	struct ct_expect x1, x2, x3;
	uint32_t need = CT_EXP_MASTER | CT_EXP_TUPLE;
	int n1, n2, n3;

	if (!parse_ok(sync_msg_parse_exp(msg, len, &x1, st), &before, st)) {
		CHECK(x1.set == 0);
		return;
	}
	CHECK((x1.set & need) == need);
	n1 = sync_msg_build_exp(b1, sizeof(b1), SYNC_T_EXP_NEW, &x1, &full);
	CHECK(n1 > 0 && n1 % 4 == 0);
	CHECK(sync_msg_parse_exp(b1, (size_t)n1, &x2, st) == 0);
	same_exp(&x1, &x2);
	n2 = sync_msg_build_exp(b2, sizeof(b2), SYNC_T_EXP_NEW, &x2, &full);
	CHECK(n2 == n1 && !memcmp(b1, b2, (size_t)n1));
	n3 = sync_msg_build_exp(b3, sizeof(b3), SYNC_T_EXP_DEL, &x1, &lean);
	CHECK(n3 > 0 && n3 <= n1);
	CHECK(sync_msg_parse_exp(b3, (size_t)n3, &x3, st) == 0);
	CHECK(!(x3.set & CT_EXP_TIMEOUT));
	CHECK(!memcmp(&before, st, sizeof(before)));
}

/* An ACK/NACK/RESYNC/ALIVE of exactly its size is what build_ctl makes. */
static void ctl_same(const uint8_t *msg, const struct sync_msg_hdr *h)
{
	uint8_t out[SYNC_MSG_ACK_LEN];
	int n = sync_msg_build_ctl(out, sizeof(out), h->flags, h->from,
				   h->to);

	CHECK(n == SYNC_MSG_HDR_LEN || n == SYNC_MSG_ACK_LEN);
	if (n != h->len)
		return;
	sync_msg_stamp(out, h->seq, 0);
	CHECK(!memcmp(out, msg, (size_t)n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sync_msg_stats st = { 0 };
	struct sync_msg_hdr h;
	size_t off = 0;

	while (off < size) {
		struct sync_msg_stats before = st;
		int n = sync_msg_next(data + off, size - off, &h, &st);

		if (n == 0) {
			CHECK(!memcmp(&before, &st, sizeof(st)));
			sync_msg_count_short(data + off, size - off, &st);
			CHECK(st.rcv_truncated + st.rcv_bad_size ==
			      before.rcv_truncated + before.rcv_bad_size + 1);
			break;
		}
		CHECK(st.rcv_malformed == before.rcv_malformed + (n < 0));
		CHECK(reasons(&st) == reasons(&before) + (n < 0));
		if (n < 0) {
			CHECK(n == -EBADMSG || n == -EPROTO);
			CHECK(h.len <= size - off);
			if (!h.len)
				break;
			CHECK(h.len >= SYNC_MSG_HDR_LEN);
			off += h.len;
			continue;
		}
		CHECK((size_t)n == h.len && h.len <= size - off);
		CHECK(h.version == SYNC_MSG_VERSION);
		if (sync_msg_is_data(&h)) {
			ct_round_trip(data + off, h.len, &st);
			exp_round_trip(data + off, h.len, &st);
		} else {
			CHECK(h.type == SYNC_T_CTL);
			ctl_same(data + off, &h);
		}
		off += (size_t)n;
	}
	CHECK(st.rcv_malformed == reasons(&st));
	return 0;
}
