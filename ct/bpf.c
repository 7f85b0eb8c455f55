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
 * accepts. Every jump goes forward by one instruction, or by ja to a
 * label resolved at the end, so no conditional offset overflows 8 bits.
 *
 * Scratch words: M[0..2] offset of the attribute found at nesting level
 * 0..2, M[3..5] the end of the nest found at that level, M[6] temporary.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/bpf.h"
#include "ct/entry.h"
#include "ct/filter.h"
#include "ct/proto.h"
#include "nl/uapi.h"

#define ATTRS_OFF	20	/* nlmsghdr + nfgenmsg */
#define FAMILY_OFF	16	/* nfgenmsg.nfgen_family */
#define M_OFF(l)	(l)
#define M_END(l)	(3 + (l))
#define M_TMP		6
#define LABELS_MAX	256
#define ACCEPT_ABSENT	(-1)	/* locate(): absent attribute accepts */

struct bpf_asm {
	struct ct_bpf_prog *p;
	int err;
	int le;				/* host is little endian */
	uint32_t nlabels;
	uint32_t label[LABELS_MAX];	/* instruction index, or UINT32_MAX */
};

static void emit(struct bpf_asm *a, uint16_t code, uint8_t jt, uint8_t jf,
		 uint32_t k)
{
	if (a->p->len >= CT_BPF_MAXINSNS) {
		a->err = -E2BIG;
		return;
	}
	a->p->insn[a->p->len++] = (struct ct_bpf_insn){ code, jt, jf, k };
}

static void stmt(struct bpf_asm *a, uint16_t code, uint32_t k)
{
	emit(a, code, 0, 0, k);
}

static int label_new(struct bpf_asm *a)
{
	if (a->nlabels >= LABELS_MAX) {
		a->err = -E2BIG;
		return 0;
	}
	a->label[a->nlabels] = UINT32_MAX;
	return (int)a->nlabels++;
}

static void label_here(struct bpf_asm *a, int l)
{
	a->label[l] = a->p->len;
}

/* ja to a label: k holds the label until fixups() */
static void ja(struct bpf_asm *a, int l)
{
	stmt(a, CT_BPF_JMP | CT_BPF_JA, (uint32_t)l);
}

static void ret(struct bpf_asm *a, uint32_t v)
{
	stmt(a, CT_BPF_RET | CT_BPF_K, v);
}

/* if (A == k) return v */
static void ret_if_eq(struct bpf_asm *a, uint32_t k, uint32_t v)
{
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 0, 1, k);
	ret(a, v);
}

/* if (A != k) return v */
static void ret_if_ne(struct bpf_asm *a, uint32_t k, uint32_t v)
{
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, k);
	ret(a, v);
}

/* if (A == k) goto l */
static void goto_if_eq(struct bpf_asm *a, uint32_t k, int l)
{
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 0, 1, k);
	ja(a, l);
}

/* What ld h gives for a host-order u16 on the wire (nla_len). */
static uint32_t view16(uint16_t v)
{
	uint8_t b[2];

	memcpy(b, &v, 2);
	return (uint32_t)b[0] << 8 | b[1];
}

/* A = host-order u16 at [X + 0] (an nla_len); clobbers X and M_TMP. */
static void load_host16_x(struct bpf_asm *a)
{
	if (!a->le) {
		stmt(a, CT_BPF_LD | CT_BPF_H | CT_BPF_IND, 0);
		return;
	}
	stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_IND, 0);
	stmt(a, CT_BPF_ST, M_TMP);
	stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_IND, 1);
	stmt(a, CT_BPF_ALU | CT_BPF_LSH | CT_BPF_K, 8);
	stmt(a, CT_BPF_LDX | CT_BPF_MEM, M_TMP);
	stmt(a, CT_BPF_ALU | CT_BPF_OR | CT_BPF_X, 0);
}

/* A = host-order nlmsg_len; clobbers X and M_TMP. */
static void load_nlmsg_len(struct bpf_asm *a)
{
	if (!a->le) {
		stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, 0);
		return;
	}
	stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS, 3);
	for (int i = 2; i >= 0; i--) {
		stmt(a, CT_BPF_ALU | CT_BPF_LSH | CT_BPF_K, 8);
		stmt(a, CT_BPF_ST, M_TMP);
		stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS, (uint32_t)i);
		stmt(a, CT_BPF_LDX | CT_BPF_MEM, M_TMP);
		stmt(a, CT_BPF_ALU | CT_BPF_OR | CT_BPF_X, 0);
	}
}

/* A = NLATTR(A, type) at level 0, NLATTR_NEST(M_OFF(lvl - 1), type) below */
static void find(struct bpf_asm *a, int lvl, uint16_t type)
{
	if (lvl == 0)
		stmt(a, CT_BPF_LD | CT_BPF_IMM, ATTRS_OFF);
	else
		stmt(a, CT_BPF_LD | CT_BPF_MEM, M_OFF(lvl - 1));
	stmt(a, CT_BPF_LDX | CT_BPF_IMM, type);
	stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_ABS,
	     (uint32_t)(CT_SKF_AD_OFF + (lvl ? CT_SKF_AD_NLATTR_NEST :
					     CT_SKF_AD_NLATTR)));
}

/*
 * Finds attribute @type at level @lvl (0: the message's attributes; n: in
 * the nest found at level n - 1), leaving its offset in X and M_OFF(lvl).
 * @len: the exact nla_len of a leaf, or 0 for a nest (whose end goes to
 * M_END(lvl)). Absent: goto @absent, or accept for ACCEPT_ABSENT. Wrong
 * size or present twice in its stream: accept.
 */
static void locate(struct bpf_asm *a, int lvl, uint16_t type, uint16_t len,
		   int absent)
{
	find(a, lvl, type);
	if (absent == ACCEPT_ABSENT)
		ret_if_eq(a, 0, CT_BPF_ACCEPT);
	else
		goto_if_eq(a, 0, absent);
	stmt(a, CT_BPF_ST, M_OFF(lvl));
	stmt(a, CT_BPF_MISC | CT_BPF_TAX, 0);
	if (len) {
		stmt(a, CT_BPF_LD | CT_BPF_H | CT_BPF_IND, 0);
		ret_if_ne(a, view16(len), CT_BPF_ACCEPT);
		stmt(a, CT_BPF_LD | CT_BPF_MEM, M_OFF(lvl));
		stmt(a, CT_BPF_ALU | CT_BPF_ADD | CT_BPF_K, NLA_ALIGN(len));
	} else {
		load_host16_x(a);
		stmt(a, CT_BPF_LDX | CT_BPF_MEM, M_OFF(lvl));
		stmt(a, CT_BPF_ALU | CT_BPF_ADD | CT_BPF_X, 0);
		stmt(a, CT_BPF_ST, M_END(lvl));
		stmt(a, CT_BPF_ALU | CT_BPF_ADD | CT_BPF_K, NLA_ALIGNTO - 1);
		stmt(a, CT_BPF_ALU | CT_BPF_AND | CT_BPF_K,
		     ~(uint32_t)(NLA_ALIGNTO - 1));
	}
	/* A = just past it: another one before the end of its stream? The
	 * search runs to the end of the skb, so below the top level a hit
	 * at or past the parent nest's end is not in the stream. */
	stmt(a, CT_BPF_LDX | CT_BPF_IMM, type);
	stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_ABS,
	     (uint32_t)(CT_SKF_AD_OFF + CT_SKF_AD_NLATTR));
	if (lvl == 0) {
		ret_if_ne(a, 0, CT_BPF_ACCEPT);
	} else {
		emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 3, 0, 0);
		stmt(a, CT_BPF_LDX | CT_BPF_MEM, M_END(lvl - 1));
		emit(a, CT_BPF_JMP | CT_BPF_JGE | CT_BPF_X, 1, 0, 0);
		ret(a, CT_BPF_ACCEPT);
	}
	stmt(a, CT_BPF_LDX | CT_BPF_MEM, M_OFF(lvl));
}

/* Accepts unless attribute @type is absent at level @lvl. */
static void require_absent(struct bpf_asm *a, int lvl, uint16_t type)
{
	find(a, lvl, type);
	ret_if_ne(a, 0, CT_BPF_ACCEPT);
}

/* A is a value; drop unless (A & mask) == want. */
static void match(struct bpf_asm *a, uint32_t mask, uint32_t want)
{
	if (mask != UINT32_MAX)
		stmt(a, CT_BPF_ALU | CT_BPF_AND | CT_BPF_K, mask);
	ret_if_ne(a, want, CT_BPF_DROP);
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* X = an address attribute: compare @words words of it, masked. */
static void match_addr(struct bpf_asm *a, const union ct_addr *want,
		       const union ct_addr *mask, int words)
{
	static const union ct_addr ones = { .v6 = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

	if (!mask)
		mask = &ones;
	for (int i = 0; i < words; i++) {
		stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_IND,
		     NLA_HDRLEN + 4 * (uint32_t)i);
		match(a, be32_at(mask->v6 + 4 * i), be32_at(want->v6 + 4 * i));
	}
}

/* What one direction's tuple must satisfy. */
struct tuple_req {
	const struct ct_tuple *t;		/* compare template, or NULL */
	const struct ct_filter_net *net[2];	/* orig only: src, dst */
};

/* addresses of one family: compares inside the guard's branch */
static void tuple_addrs(struct bpf_asm *a, const struct tuple_req *r,
			uint8_t l3, const uint16_t attr[2], uint16_t len)
{
	const struct ct_tuple *t = r->t;
	static const uint16_t bit[2] = { CT_TUPLE_SRC, CT_TUPLE_DST };
	int words = l3 == AF_INET6 ? 4 : 1;

	for (int i = 0; i < 2; i++) {
		locate(a, 2, attr[i], len, ACCEPT_ABSENT);
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
static void tuple_l4(struct bpf_asm *a, const struct ct_tuple *t, bool lax)
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
		int absent, done;

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
				ret(a, CT_BPF_DROP);
			continue;
		}
		absent = label_new(a);
		done = label_new(a);
		locate(a, 2, attr, f[i].len, absent);
		stmt(a, CT_BPF_LD | (f[i].len == 6 ? CT_BPF_H : CT_BPF_B) |
			CT_BPF_IND, NLA_HDRLEN);
		match(a, UINT32_MAX, want[i]);
		ja(a, done);
		label_here(a, absent);
		if (!lax)
			ret(a, CT_BPF_DROP);
		label_here(a, done);
	}
}

static void tuple(struct bpf_asm *a, uint16_t dir, const struct tuple_req *r,
		  const struct ct_filter *f)
{
	static const uint16_t v4[2] = { CTA_IP_V4_SRC, CTA_IP_V4_DST };
	static const uint16_t v6[2] = { CTA_IP_V6_SRC, CTA_IP_V6_DST };
	const struct ct_tuple *t = r->t;
	int l6 = label_new(a), after = label_new(a);

	locate(a, 0, dir, 0, ACCEPT_ABSENT);
	locate(a, 1, CTA_TUPLE_IP, 0, ACCEPT_ABSENT);
	stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS, FAMILY_OFF);
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, AF_INET);
	ja(a, l6);
	tuple_addrs(a, r, AF_INET, v4, NLA_HDRLEN + 4);
	ja(a, after);
	label_here(a, l6);
	require_absent(a, 2, CTA_IP_V4_SRC);
	require_absent(a, 2, CTA_IP_V4_DST);
	tuple_addrs(a, r, AF_INET6, v6, NLA_HDRLEN + 16);
	label_here(a, after);
	locate(a, 1, CTA_TUPLE_PROTO, 0, ACCEPT_ABSENT);
	locate(a, 2, CTA_PROTO_NUM, NLA_HDRLEN + 1, ACCEPT_ABSENT);
	/* guard complete: the decoded tuple's l3 is the message family */
	if (t && (t->set & CT_TUPLE_PROTO)) {
		stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_IND, NLA_HDRLEN);
		match(a, UINT32_MAX, t->l4);
	}
	stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS, FAMILY_OFF);
	if (t && t->l3)
		match(a, UINT32_MAX, t->l3);
	if (dir == CTA_TUPLE_ORIG && f && (f->set & CT_F_FAMILY))
		match(a, UINT32_MAX, f->family);
	for (int i = 0; i < 2; i++)
		if (r->net[i])
			match(a, UINT32_MAX, r->net[i]->l3);
	if (!t)
		return;
	tuple_l4(a, t, f && (f->set & CT_F_L4_LAX));
	if (t->set & CT_TUPLE_ZONE) {
		int absent = label_new(a), done = label_new(a);

		locate(a, 1, CTA_TUPLE_ZONE, NLA_HDRLEN + 2, absent);
		stmt(a, CT_BPF_LD | CT_BPF_H | CT_BPF_IND, NLA_HDRLEN);
		match(a, UINT32_MAX, t->zone);
		ja(a, done);
		label_here(a, absent);
		if (t->zone)
			ret(a, CT_BPF_DROP);
		label_here(a, done);
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

static void scalar(struct bpf_asm *a, const struct scalar *s, uint32_t mask,
		   uint32_t want)
{
	static const uint16_t ld[5] = { [1] = CT_BPF_B, [2] = CT_BPF_H,
					[4] = CT_BPF_W };
	int absent = label_new(a), done = label_new(a);
	int lvl;

	for (lvl = 0; lvl + 1 < s->depth; lvl++)
		locate(a, lvl, s->path[lvl], 0, absent);
	locate(a, lvl, s->path[lvl], (uint16_t)(NLA_HDRLEN + s->size),
	       absent);
	stmt(a, CT_BPF_LD | ld[s->size] | CT_BPF_IND, NLA_HDRLEN);
	match(a, mask, want);
	ja(a, done);
	label_here(a, absent);
	if (!s->absent_zero || (0 & mask) != want)
		ret(a, CT_BPF_DROP);
	label_here(a, done);
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

static void scalars(struct bpf_asm *a, const struct ct_filter *f)
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

static void prologue(struct bpf_asm *a)
{
	uint16_t ct_new = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
	uint16_t ct_del = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;

	stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_LEN, 0);
	emit(a, CT_BPF_JMP | CT_BPF_JGE | CT_BPF_K, 1, 0, ATTRS_OFF);
	ret(a, CT_BPF_ACCEPT);
	load_nlmsg_len(a);
	stmt(a, CT_BPF_MISC | CT_BPF_TAX, 0);
	stmt(a, CT_BPF_LD | CT_BPF_W | CT_BPF_LEN, 0);
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_X, 1, 0, 0);
	ret(a, CT_BPF_ACCEPT);
	stmt(a, CT_BPF_LD | CT_BPF_H | CT_BPF_ABS, 4);
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 2, 0, view16(ct_new));
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, view16(ct_del));
	ret(a, CT_BPF_ACCEPT);
	stmt(a, CT_BPF_LD | CT_BPF_B | CT_BPF_ABS, FAMILY_OFF);
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 2, 0, AF_INET);
	emit(a, CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, 1, 0, AF_INET6);
	ret(a, CT_BPF_ACCEPT);
	/* kernel events always carry the orig tuple: if NLATTR cannot find
	 * it (a non-linear skb makes the helper return 0), judge nothing */
	find(a, 0, CTA_TUPLE_ORIG);
	ret_if_eq(a, 0, CT_BPF_ACCEPT);
}

static int fixups(struct bpf_asm *a)
{
	struct ct_bpf_prog *p = a->p;

	for (uint32_t pc = 0; pc < p->len; pc++) {
		struct ct_bpf_insn *in = &p->insn[pc];
		uint32_t to;

		if (in->code != (CT_BPF_JMP | CT_BPF_JA))
			continue;
		to = a->label[in->k];
		if (to == UINT32_MAX || to <= pc)
			return -EINVAL;
		in->k = to - pc - 1;
	}
	return 0;
}

static bool filter_empty(const struct ct_filter *f)
{
	uint32_t compiled = CT_F_FAMILY | CT_F_CMP | CT_F_MARK | CT_F_STATUS |
			    CT_F_NET_SRC | CT_F_NET_DST;

	return !f || !(f->set & compiled);
}

int ct_bpf_compile(const struct ct_filter *f, struct ct_bpf_prog *p)
{
	const uint16_t one = 1;
	struct bpf_asm a = { .p = p };
	uint8_t first;
	struct tuple_req orig = { 0 }, reply = { 0 };
	int rc;

	if (!p)
		return -EINVAL;
	p->len = 0;
	memcpy(&first, &one, 1);
	a.le = first == 1;
	if (filter_empty(f)) {
		ret(&a, CT_BPF_ACCEPT);
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
	ret(&a, CT_BPF_ACCEPT);
	if (a.err)
		return a.err;
	rc = fixups(&a);
	if (rc < 0)
		return rc;
	return ct_bpf_check(p->insn, p->len);
}
