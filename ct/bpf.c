// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The filter compiler: struct ct_filter to a classic BPF program that
 * decides each ctnetlink event the way ct_filter_match() would decide its
 * decoded entry, or passes the event on when it cannot tell.
 *
 * Program layout:
 *   prologue   skb at least nlmsghdr + nfgenmsg, nlmsg_len == skb length
 *              (one message), a ctnetlink CT_NEW/CT_DELETE, family
 *              AF_INET/AF_INET6, CTA_TUPLE_ORIG findable (so NLATTR works
 *              on this skb); otherwise accept
 *   tuples     per needed direction: the guard (tuple, CTA_TUPLE_IP with
 *              both addresses of the message's family and, for IPv6, no
 *              IPv4 ones, CTA_TUPLE_PROTO with CTA_PROTO_NUM: then the
 *              decoder's tuple l3 is the nfgenmsg family), compares of
 *              addresses and CIDR networks (1 or 4 words), then l3, l4
 *              protocol, ports/icmp fields by the protocol's kind, zone
 *   scalars    mark, status, zone, secmark, id, timeout, protocol state
 *   accept
 * A mismatch returns 0 at once. Attributes are found with
 * SKF_AD_NLATTR(_NEST); each found attribute is checked for its exact
 * size and for a second attribute of its type in the same stream (the
 * kernel finds the first, our decoder keeps the last): either anomaly
 * accepts. The assembler and the attribute walk are ct/bpf_emit's,
 * shared with conntrackd's Filter compiler (sync/filter_bpf.c); scratch
 * words are used as it says.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "ct/bpf.h"
#include "ct/bpf_emit.h"
#include "ct/entry.h"
#include "ct/filter.h"
#include "ct/proto.h"
#include "nl/uapi.h"

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* X = an address attribute: compare @words words of it, masked. */
static void match_addr(struct ct_bpf_asm *a, const union ct_addr *want,
		       const union ct_addr *mask, int words)
{
	static const union ct_addr ones = { .v6 = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

	if (!mask)
		mask = &ones;
	for (int i = 0; i < words; i++) {
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_IND,
				 NLA_HDRLEN + 4 * (uint32_t)i);
		ct_bpf_emit_match(a, be32_at(mask->v6 + 4 * i),
				  be32_at(want->v6 + 4 * i));
	}
}

/* What one direction's tuple must satisfy. */
struct tuple_req {
	const struct ct_tuple *t;		/* compare template, or NULL */
	const struct ct_filter_net *net[2];	/* orig only: src, dst */
};

/* addresses of one family: compares inside the guard's branch */
static void tuple_addrs(struct ct_bpf_asm *a, const struct tuple_req *r,
			uint8_t l3, const uint16_t attr[2], uint16_t len)
{
	const struct ct_tuple *t = r->t;
	static const uint16_t bit[2] = { CT_TUPLE_SRC, CT_TUPLE_DST };
	int words = l3 == AF_INET6 ? 4 : 1;

	for (int i = 0; i < 2; i++) {
		ct_bpf_emit_locate(a, 2, attr[i], len, NULL);
		/* tuple_match compares addr_len(t->l3) bytes: 4 unless v6 */
		if (t && (t->set & bit[i]) && (t->l3 == l3 || !t->l3))
			match_addr(a, i ? &t->dst : &t->src, NULL,
				   t->l3 == AF_INET6 ? 4 : 1);
		if (r->net[i] && r->net[i]->l3 == l3)
			match_addr(a, &r->net[i]->net, &r->net[i]->mask, words);
	}
}

/* X = the CTA_TUPLE_PROTO nest level 1; the l4 fields of @t. A field
 * the event lacks does not match, or with @lax is not compared. */
static void tuple_l4(struct ct_bpf_asm *a, const struct ct_tuple *t,
		     bool lax)
{
	static const struct { uint16_t bit, port, icmp, icmp6, len; } f[] = {
		{ CT_TUPLE_SPORT, CTA_PROTO_SRC_PORT, 0, 0, 6 },
		{ CT_TUPLE_DPORT, CTA_PROTO_DST_PORT, 0, 0, 6 },
		{ CT_TUPLE_ICMP_TYPE, 0, CTA_PROTO_ICMP_TYPE,
		  CTA_PROTO_ICMPV6_TYPE, 5 },
		{ CT_TUPLE_ICMP_CODE, 0, CTA_PROTO_ICMP_CODE,
		  CTA_PROTO_ICMPV6_CODE, 5 },
		{ CT_TUPLE_ICMP_ID, 0, CTA_PROTO_ICMP_ID, CTA_PROTO_ICMPV6_ID,
		  6 },
	};
	const struct ct_proto *p = ct_proto_by_num(t->l4);
	uint32_t want[5] = { t->sport, t->dport, t->icmp_type, t->icmp_code,
			     t->icmp_id };

	/* without the protocol the decoder's choice of fields is unknown */
	if (!(t->set & CT_TUPLE_PROTO))
		return;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		uint16_t attr = 0;
		struct ct_bpf_label absent = { 0 }, done = { 0 };

		if (!(t->set & f[i].bit))
			continue;
		if (p->kind == CT_L4_PORTS || p->kind == CT_L4_GRE)
			attr = f[i].port;
		else if (p->kind == CT_L4_ICMP)
			attr = f[i].icmp;
		else if (p->kind == CT_L4_ICMPV6)
			attr = f[i].icmp6;
		if (!attr) {
			/* the decoder never has the field */
			if (!lax)
				ct_bpf_emit_ret(a, CT_BPF_DROP);
			continue;
		}
		ct_bpf_emit_locate(a, 2, attr, f[i].len, &absent);
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_IND |
				 (f[i].len == 6 ? CT_BPF_H : CT_BPF_B),
				 NLA_HDRLEN);
		ct_bpf_emit_match(a, UINT32_MAX, want[i]);
		ct_bpf_emit_ja(a, &done);
		ct_bpf_emit_label(a, &absent);
		if (!lax)
			ct_bpf_emit_ret(a, CT_BPF_DROP);
		ct_bpf_emit_label(a, &done);
	}
}

static void tuple(struct ct_bpf_asm *a, uint16_t dir,
		  const struct tuple_req *r, const struct ct_filter *f)
{
	static const uint16_t v4[2] = { CTA_IP_V4_SRC, CTA_IP_V4_DST };
	static const uint16_t v6[2] = { CTA_IP_V6_SRC, CTA_IP_V6_DST };
	const struct ct_tuple *t = r->t;
	struct ct_bpf_label l6 = { 0 }, after = { 0 };

	ct_bpf_emit_locate(a, 0, dir, 0, NULL);
	ct_bpf_emit_locate(a, 1, CTA_TUPLE_IP, 0, NULL);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS,
			 CT_BPF_FAMILY_OFF);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, AF_INET);
	ct_bpf_emit_ja(a, &l6);
	tuple_addrs(a, r, AF_INET, v4, NLA_HDRLEN + 4);
	ct_bpf_emit_ja(a, &after);
	ct_bpf_emit_label(a, &l6);
	ct_bpf_emit_require_absent(a, 2, CTA_IP_V4_SRC);
	ct_bpf_emit_require_absent(a, 2, CTA_IP_V4_DST);
	tuple_addrs(a, r, AF_INET6, v6, NLA_HDRLEN + 16);
	ct_bpf_emit_label(a, &after);
	ct_bpf_emit_locate(a, 1, CTA_TUPLE_PROTO, 0, NULL);
	ct_bpf_emit_locate(a, 2, CTA_PROTO_NUM, NLA_HDRLEN + 1, NULL);
	/* guard complete: the decoded tuple's l3 is the message family */
	if (t && (t->set & CT_TUPLE_PROTO)) {
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_IND,
				 NLA_HDRLEN);
		ct_bpf_emit_match(a, UINT32_MAX, t->l4);
	}
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS,
			 CT_BPF_FAMILY_OFF);
	if (t && t->l3)
		ct_bpf_emit_match(a, UINT32_MAX, t->l3);
	if (dir == CTA_TUPLE_ORIG && f && (f->set & CT_F_FAMILY))
		ct_bpf_emit_match(a, UINT32_MAX, f->family);
	for (int i = 0; i < 2; i++)
		if (r->net[i])
			ct_bpf_emit_match(a, UINT32_MAX, r->net[i]->l3);
	if (!t)
		return;
	tuple_l4(a, t, f && (f->set & CT_F_L4_LAX));
	if (t->set & CT_TUPLE_ZONE) {
		struct ct_bpf_label absent = { 0 }, done = { 0 };

		ct_bpf_emit_locate(a, 1, CTA_TUPLE_ZONE, NLA_HDRLEN + 2,
				   &absent);
		ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_H | CT_BPF_IND,
				 NLA_HDRLEN);
		ct_bpf_emit_match(a, UINT32_MAX, t->zone);
		ct_bpf_emit_ja(a, &done);
		ct_bpf_emit_label(a, &absent);
		if (t->zone)
			ct_bpf_emit_ret(a, CT_BPF_DROP);
		ct_bpf_emit_label(a, &done);
	}
}

/* One value at the end of a path of nests; absent anywhere on the path
 * means 0 when @absent_zero, else no match. */
struct scalar {
	uint16_t path[3];
	uint8_t depth;
	uint8_t size;		/* 1, 2 or 4 bytes */
	uint8_t absent_zero;
};

static void scalar(struct ct_bpf_asm *a, const struct scalar *s,
		   uint32_t mask, uint32_t want)
{
	static const uint16_t ld[5] = { [1] = CT_BPF_B, [2] = CT_BPF_H,
					[4] = CT_BPF_W };
	struct ct_bpf_label absent = { 0 }, done = { 0 };
	int lvl;

	for (lvl = 0; lvl + 1 < s->depth; lvl++)
		ct_bpf_emit_locate(a, lvl, s->path[lvl], 0, &absent);
	ct_bpf_emit_locate(a, lvl, s->path[lvl],
			   (uint16_t)(NLA_HDRLEN + s->size), &absent);
	ct_bpf_emit_stmt(a, CT_BPF_LD | ld[s->size] | CT_BPF_IND, NLA_HDRLEN);
	ct_bpf_emit_match(a, mask, want);
	ct_bpf_emit_ja(a, &done);
	ct_bpf_emit_label(a, &absent);
	if (!s->absent_zero || (0 & mask) != want)
		ct_bpf_emit_ret(a, CT_BPF_DROP);
	ct_bpf_emit_label(a, &done);
}

static const struct scalar s_mark = { { CTA_MARK }, 1, 4, 1 };
static const struct scalar s_status = { { CTA_STATUS }, 1, 4, 1 };
static const struct scalar s_zone = { { CTA_ZONE }, 1, 2, 1 };
static const struct scalar s_secmark = { { CTA_SECMARK }, 1, 4, 1 };
static const struct scalar s_id = { { CTA_ID }, 1, 4, 0 };
static const struct scalar s_timeout = { { CTA_TIMEOUT }, 1, 4, 0 };
static const struct scalar s_tcp = {
	{ CTA_PROTOINFO, CTA_PROTOINFO_TCP, CTA_PROTOINFO_TCP_STATE }, 3, 1, 0 };
static const struct scalar s_sctp = {
	{ CTA_PROTOINFO, CTA_PROTOINFO_SCTP, CTA_PROTOINFO_SCTP_STATE }, 3, 1, 0 };
static const struct scalar s_dccp = {
	{ CTA_PROTOINFO, CTA_PROTOINFO_DCCP, CTA_PROTOINFO_DCCP_STATE }, 3, 1, 0 };

static void scalars(struct ct_bpf_asm *a, const struct ct_filter *f)
{
	const struct ct_entry *t = &f->tmpl;
	uint64_t s = (f->set & CT_F_CMP) ? t->set : 0;

	if (f->set & CT_F_MARK)
		scalar(a, &s_mark, f->mark_mask, f->mark_value);
	if (f->set & CT_F_STATUS)
		scalar(a, &s_status, f->status_mask, f->status);
	if (s & CT_ZONE)
		scalar(a, &s_zone, UINT32_MAX, t->zone);
	if (s & CT_SECMARK)
		scalar(a, &s_secmark, UINT32_MAX, t->secmark);
	if (s & CT_ID)
		scalar(a, &s_id, UINT32_MAX, t->id);
	if (s & CT_TIMEOUT)
		scalar(a, &s_timeout, UINT32_MAX, t->timeout);
	if (s & CT_TCP)
		scalar(a, &s_tcp, UINT32_MAX, t->tcp.state);
	if (s & CT_SCTP)
		scalar(a, &s_sctp, UINT32_MAX, t->sctp.state);
	if (s & CT_DCCP)
		scalar(a, &s_dccp, UINT32_MAX, t->dccp.state);
}

static void prologue(struct ct_bpf_asm *a)
{
	ct_bpf_emit_header(a);
	ct_bpf_emit_stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS,
			 CT_BPF_FAMILY_OFF);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 2, 0, AF_INET);
	ct_bpf_emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, AF_INET6);
	ct_bpf_emit_ret(a, CT_BPF_ACCEPT);
	/* kernel events always carry the orig tuple: if NLATTR cannot find
	 * it (a non-linear skb makes the helper return 0), judge nothing */
	ct_bpf_emit_find(a, 0, CTA_TUPLE_ORIG);
	ct_bpf_emit_ret_if_eq(a, 0, CT_BPF_ACCEPT);
}

static bool filter_empty(const struct ct_filter *f)
{
	uint32_t compiled = CT_F_FAMILY | CT_F_CMP | CT_F_MARK | CT_F_STATUS |
			    CT_F_NET_SRC | CT_F_NET_DST;

	return !f || !(f->set & compiled);
}

int ct_bpf_compile(const struct ct_filter *f, struct ct_bpf_prog *p)
{
	struct ct_bpf_asm a;
	struct tuple_req orig = { 0 }, reply = { 0 };

	if (!p)
		return -EINVAL;
	ct_bpf_emit_init(&a, p);
	if (filter_empty(f)) {
		ct_bpf_emit_ret(&a, CT_BPF_ACCEPT);
		return 0;
	}
	if ((f->set & CT_F_CMP) && (f->tmpl.set & CT_ORIG))
		orig.t = &f->tmpl.orig;
	if ((f->set & CT_F_CMP) && (f->tmpl.set & CT_REPLY))
		reply.t = &f->tmpl.reply;
	if (f->set & CT_F_NET_SRC)
		orig.net[0] = &f->net[0];
	if (f->set & CT_F_NET_DST)
		orig.net[1] = &f->net[1];
	prologue(&a);
	if ((orig.t && (orig.t->l3 || orig.t->set)) || orig.net[0] ||
	    orig.net[1] || (f->set & CT_F_FAMILY))
		tuple(&a, CTA_TUPLE_ORIG, &orig, f);
	if (reply.t && (reply.t->l3 || reply.t->set))
		tuple(&a, CTA_TUPLE_REPLY, &reply, f);
	scalars(&a, f);
	ct_bpf_emit_ret(&a, CT_BPF_ACCEPT);
	return ct_bpf_emit_finish(&a);
}
