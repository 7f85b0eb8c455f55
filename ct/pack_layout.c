// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tables of the packed form (ct/pack_int.h): one group of items per
 * presence bit of struct ct_tuple, struct ct_entry and struct
 * ct_expect, in the order they are written, and the tuple inversion
 * that the reply's mirrored form rests on.
 */
#include "ct/pack_int.h"

#define AT(type, field) offsetof(type, field)
#define E(field) AT(struct ct_entry, field)
#define X(field) AT(struct ct_expect, field)
#define T(field) AT(struct ct_tuple, field)

#define RAW(o, n) { K_RAW, n, o }
#define UV(o, n) { K_UV, n, o }
#define ADDR(o) { K_ADDR, 16, o }
#define STR(o, n) { K_STR, n, o }
#define LBYTES(o) { K_LBYTES, CT_LABELS_BYTES, o }
#define TUPLE(o) { K_TUPLE, 0, o }

/* Row i is bit 1 << i of the tuple header, as in struct ct_tuple.set. */
const struct group ct_pack_tuple_groups[] = {
	{ CT_TUPLE_SRC, { ADDR(T(src)) } },
	{ CT_TUPLE_DST, { ADDR(T(dst)) } },
	{ CT_TUPLE_PROTO, { RAW(T(l4), 1) } },
	{ CT_TUPLE_SPORT, { RAW(T(sport), 2) } },
	{ CT_TUPLE_DPORT, { RAW(T(dport), 2) } },
	{ CT_TUPLE_ICMP_TYPE, { RAW(T(icmp_type), 1) } },
	{ CT_TUPLE_ICMP_CODE, { RAW(T(icmp_code), 1) } },
	{ CT_TUPLE_ICMP_ID, { RAW(T(icmp_id), 2) } },
	{ CT_TUPLE_ZONE, { UV(T(zone), 2) } },
};

/* What most cached flows carry comes first: it fits the first varint
 * byte or two of the group bits. */
const struct group ct_pack_entry_groups[] = {
	{ CT_ORIG, { TUPLE(E(orig)) } },
	{ CT_REPLY, { { K_REPLY, 0, E(reply) } } },
	{ CT_STATUS, { UV(E(status), 4) } },
	{ CT_TIMEOUT, { UV(E(timeout), 4) } },
	{ CT_MARK, { UV(E(mark), 4) } },
	{ CT_TCP, { RAW(E(tcp.state), 1) } },
	{ CT_TCP_FLAGS, { RAW(E(tcp.flags), 4) } },	/* flags[2], mask[2] */
	{ CT_TCP_WSCALE, { RAW(E(tcp.wscale), 2) } },
	{ CT_ID, { RAW(E(id), 4) } },
	{ CT_ZONE, { UV(E(zone), 2) } },
	{ CT_USE, { UV(E(use), 4) } },
	{ CT_SECMARK, { UV(E(secmark), 4) } },
	{ CT_MASTER, { TUPLE(E(master)) } },
	{ CT_SCTP, { RAW(E(sctp.state), 1) } },
	{ CT_SCTP_VTAGS, { RAW(E(sctp.vtag), 8) } },
	{ CT_DCCP, { RAW(E(dccp.state), 2) } },		/* state, role */
	{ CT_DCCP_HSEQ, { UV(E(dccp.handshake_seq), 8) } },
	{ CT_COUNTERS_ORIG, { UV(E(counters[0].packets), 8),
			      UV(E(counters[0].bytes), 8) } },
	{ CT_COUNTERS_REPLY, { UV(E(counters[1].packets), 8),
			       UV(E(counters[1].bytes), 8) } },
	{ CT_TIMESTAMP_START, { RAW(E(ts_start), 8) } },
	{ CT_TIMESTAMP_STOP, { RAW(E(ts_stop), 8) } },
	{ CT_TIMESTAMP_EVENT, { RAW(E(ts_event), 8) } },
	{ CT_HELPER, { STR(E(helper), CT_PACK_HELPER_MAX) } },
	{ CT_SECCTX, { STR(E(secctx), CT_PACK_SECCTX_MAX) } },
	{ CT_LABELS, { LBYTES(E(labels_len)) } },
	{ CT_LABELS_MASK, { LBYTES(E(labels_mask_len)) } },
	{ CT_MARK_MASK, { UV(E(mark_mask), 4) } },
	{ CT_STATUS_MASK, { UV(E(status_mask), 4) } },
	{ CT_SEQADJ_ORIG, { RAW(E(seqadj[0]), 12) } },
	{ CT_SEQADJ_REPLY, { RAW(E(seqadj[1]), 12) } },
	{ CT_SYNPROXY, { RAW(E(synproxy), 12) } },
	{ CT_SNAT, { ADDR(E(snat.min_ip)), ADDR(E(snat.max_ip)),
		     RAW(E(snat.min_port), 4), RAW(E(snat.has_port), 1) } },
	{ CT_DNAT, { ADDR(E(dnat.min_ip)), ADDR(E(dnat.max_ip)),
		     RAW(E(dnat.min_port), 4), RAW(E(dnat.has_port), 1) } },
};

const struct group ct_pack_expect_groups[] = {
	{ CT_EXP_MASTER, { TUPLE(X(master)) } },
	{ CT_EXP_TUPLE, { TUPLE(X(tuple)) } },
	{ CT_EXP_MASK, { TUPLE(X(mask)) } },
	{ CT_EXP_TIMEOUT, { UV(X(timeout), 4) } },
	{ CT_EXP_ID, { RAW(X(id), 4) } },
	{ CT_EXP_HELPER, { STR(X(helper), CT_PACK_HELPER_MAX) } },
	{ CT_EXP_ZONE, { UV(X(zone), 2) } },
	{ CT_EXP_FLAGS, { UV(X(flags), 4) } },
	{ CT_EXP_CLASS, { UV(X(class), 4) } },
	{ CT_EXP_NAT, { RAW(X(nat_dir), 1), TUPLE(X(nat_tuple)) } },
	{ CT_EXP_FN, { STR(X(fn), CT_PACK_FN_MAX) } },
};

/* The RAW items above span neighbouring fields. */
_Static_assert(E(tcp.mask) == E(tcp.flags) + 2, "tcp flags, mask");
_Static_assert(E(dccp.role) == E(dccp.state) + 1, "dccp state, role");
_Static_assert(E(snat.max_port) == E(snat.min_port) + 2, "nat ports");
_Static_assert(E(labels) == E(labels_len) + 1, "labels");
_Static_assert(E(labels_mask) == E(labels_mask_len) + 1, "labels mask");
_Static_assert(sizeof(struct ct_seqadj) == 12, "seqadj");
_Static_assert(NGROUPS(ct_pack_tuple_groups) == 9, "tuple bits");
_Static_assert(NGROUPS(ct_pack_entry_groups) == 33, "entry bits");
_Static_assert(NGROUPS(ct_pack_expect_groups) == 11, "expect bits");

void ct_pack_tuple_invert(struct ct_tuple *inv, const struct ct_tuple *t)
{
	static const uint16_t swapped = CT_TUPLE_SRC | CT_TUPLE_DST |
					CT_TUPLE_SPORT | CT_TUPLE_DPORT;

	*inv = *t;
	inv->set = t->set & ~swapped;
	inv->set |= t->set & CT_TUPLE_SRC ? CT_TUPLE_DST : 0;
	inv->set |= t->set & CT_TUPLE_DST ? CT_TUPLE_SRC : 0;
	inv->set |= t->set & CT_TUPLE_SPORT ? CT_TUPLE_DPORT : 0;
	inv->set |= t->set & CT_TUPLE_DPORT ? CT_TUPLE_SPORT : 0;
	inv->src = t->dst;
	inv->dst = t->src;
	inv->sport = t->dport;
	inv->dport = t->sport;
}
