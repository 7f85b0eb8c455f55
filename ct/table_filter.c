// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The two sides of a conntrack table filter (struct ct_kfilter,
 * ct/table.h): the userspace match every dumped entry goes through, and
 * the kernel's share of it written into a request: the mark, status and
 * zone attributes, and the CTA_FILTER nest with the tuple parts the
 * kernel compares correctly. Encoding and matching only, no I/O: the
 * dumps and the flush in ct/table.c send what this writes
 * (ct/table_int.h).
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/encode.h"
#include "ct/proto.h"
#include "ct/table_int.h"
#include "nl/attr.h"
#include "nl/msg.h"

/* ---- userspace filter ------------------------------------------------ */

static size_t addr_len(uint8_t l3)
{
	return l3 == AF_INET ? 4 : l3 == AF_INET6 ? 16 : 0;
}

/* The zone id the kernel compares (nf_ct_zone_equal_any): CTA_ZONE, or
 * the directional one when the zone applies to one direction only. */
static uint16_t entry_zone(const struct ct_entry *e)
{
	if (e->set & CT_ZONE)
		return e->zone;
	if ((e->set & CT_ORIG) && (e->orig.set & CT_TUPLE_ZONE))
		return e->orig.zone;
	if ((e->set & CT_REPLY) && (e->reply.set & CT_TUPLE_ZONE))
		return e->reply.zone;
	return 0;
}

static int tuple_match(const struct ct_tuple *f, const struct ct_tuple *t,
		       const struct ct_entry *e)
{
	uint16_t need = f->set & ~t->set & ~CT_TUPLE_ZONE;
	size_t alen = addr_len(f->l3);
	uint16_t zone;

	if (need)
		return 0;	/* the entry lacks a field we select on */
	if ((f->set & (CT_TUPLE_SRC | CT_TUPLE_DST)) &&
	    (f->l3 != t->l3 || !alen))
		return 0;
	if ((f->set & CT_TUPLE_SRC) && memcmp(&f->src, &t->src, alen))
		return 0;
	if ((f->set & CT_TUPLE_DST) && memcmp(&f->dst, &t->dst, alen))
		return 0;
	if ((f->set & CT_TUPLE_PROTO) && f->l4 != t->l4)
		return 0;
	if ((f->set & CT_TUPLE_SPORT) && f->sport != t->sport)
		return 0;
	if ((f->set & CT_TUPLE_DPORT) && f->dport != t->dport)
		return 0;
	if ((f->set & CT_TUPLE_ICMP_TYPE) && f->icmp_type != t->icmp_type)
		return 0;
	if ((f->set & CT_TUPLE_ICMP_CODE) && f->icmp_code != t->icmp_code)
		return 0;
	if ((f->set & CT_TUPLE_ICMP_ID) && f->icmp_id != t->icmp_id)
		return 0;
	if (f->set & CT_TUPLE_ZONE) {
		zone = (t->set & CT_TUPLE_ZONE) ? t->zone :
		       (e->set & CT_ZONE) ? e->zone : 0;
		if (zone != f->zone)
			return 0;
	}
	return 1;
}

int ct_kfilter_match(const struct ct_kfilter *f, const struct ct_entry *e)
{
	if (!f)
		return 1;
	if (f->family && e->family != f->family)
		return 0;
	if ((f->set & CT_KF_MARK) && (e->mark & f->mark_mask) != f->mark)
		return 0;
	if ((f->set & CT_KF_STATUS) &&
	    (e->status & f->status_mask) != f->status)
		return 0;
	if ((f->set & CT_KF_ZONE) && entry_zone(e) != f->zone)
		return 0;
	if (f->orig.set && !((e->set & CT_ORIG) &&
			     tuple_match(&f->orig, &e->orig, e)))
		return 0;
	if (f->reply.set && !((e->set & CT_REPLY) &&
			      tuple_match(&f->reply, &e->reply, e)))
		return 0;
	return 1;
}

/* ---- kernel filter --------------------------------------------------- */

/*
 * The part of a filter tuple the kernel compares correctly, as
 * CTA_FILTER flags, and the tuple reduced to it. Left out: IPv6
 * addresses (ctnetlink_filter_match_tuple has compared them inverted),
 * ports of protocols other than tcp and udp (not compared), the
 * directional zone (conflicts with CTA_ZONE and ignores direction).
 */
uint32_t ct_kfilter_kernel_tuple(const struct ct_tuple *f, uint8_t family,
				 struct ct_tuple *out)
{
	const struct ct_proto *p = ct_proto_by_num(f->l4);
	uint32_t flags = 0;
	uint16_t keep = 0;

	memset(out, 0, sizeof(*out));
	if (family == AF_INET && f->l3 == AF_INET) {
		keep |= f->set & (CT_TUPLE_SRC | CT_TUPLE_DST);
		if (f->set & CT_TUPLE_SRC)
			flags |= CTA_FILTER_FLAG_CTA_IP_SRC;
		if (f->set & CT_TUPLE_DST)
			flags |= CTA_FILTER_FLAG_CTA_IP_DST;
	}
	if (f->set & CT_TUPLE_PROTO) {
		keep |= CT_TUPLE_PROTO;
		flags |= CTA_FILTER_FLAG_CTA_PROTO_NUM;
		/* kernel switch: ports of IPPROTO_TCP and IPPROTO_UDP only */
		if (f->l4 == IPPROTO_TCP || f->l4 == IPPROTO_UDP) {
			keep |= f->set & (CT_TUPLE_SPORT | CT_TUPLE_DPORT);
			if (f->set & CT_TUPLE_SPORT)
				flags |= CTA_FILTER_FLAG_CTA_PROTO_SRC_PORT;
			if (f->set & CT_TUPLE_DPORT)
				flags |= CTA_FILTER_FLAG_CTA_PROTO_DST_PORT;
		} else if (p->kind == CT_L4_ICMP || p->kind == CT_L4_ICMPV6) {
			int v6 = p->kind == CT_L4_ICMPV6;

			keep |= f->set & (CT_TUPLE_ICMP_TYPE |
					  CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID);
			if (f->set & CT_TUPLE_ICMP_TYPE)
				flags |= v6 ? CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_TYPE
					    : CTA_FILTER_FLAG_CTA_PROTO_ICMP_TYPE;
			if (f->set & CT_TUPLE_ICMP_CODE)
				flags |= v6 ? CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_CODE
					    : CTA_FILTER_FLAG_CTA_PROTO_ICMP_CODE;
			if (f->set & CT_TUPLE_ICMP_ID)
				flags |= v6 ? CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_ID
					    : CTA_FILTER_FLAG_CTA_PROTO_ICMP_ID;
		}
	}
	*out = *f;
	out->set = keep;
	return flags;
}

/* CTA_FILTER and the tuples it refers to. Tuple filters need a family:
 * the kernel parses the addresses by it (EOPNOTSUPP without). */
int ct_kfilter_put_tuple(struct nl_msg *m, const struct ct_kfilter *f,
			 int *used)
{
	struct ct_tuple ot, rt;
	uint32_t of = 0, rf = 0;
	size_t tok;
	int rc;

	if (f->family != AF_INET && f->family != AF_INET6)
		return 0;
	if (f->orig.set)
		of = ct_kfilter_kernel_tuple(&f->orig, f->family, &ot);
	if (f->reply.set)
		rf = ct_kfilter_kernel_tuple(&f->reply, f->family, &rt);
	if (!of && !rf)
		return 0;
	if (of && (rc = ct_tuple_put(m, CTA_TUPLE_ORIG, &ot)) < 0)
		return rc;
	if (rf && (rc = ct_tuple_put(m, CTA_TUPLE_REPLY, &rt)) < 0)
		return rc;
	rc = nl_attr_nest_begin(m, CTA_FILTER, &tok);
	if (rc == 0 && of)	/* NLA_U32: host order */
		rc = nl_attr_put_u32(m, CTA_FILTER_ORIG_FLAGS, of);
	if (rc == 0 && rf)
		rc = nl_attr_put_u32(m, CTA_FILTER_REPLY_FLAGS, rf);
	if (rc == 0)
		rc = nl_attr_nest_end(m, tok);
	if (rc == 0)
		*used = 1;
	return rc;
}

/* Mark, status and zone, as both dumps and flushes take them. */
int ct_kfilter_put_scalar(struct nl_msg *m, const struct ct_kfilter *f,
			  int *used)
{
	int rc = 0;

	if (f->set & CT_KF_MARK) {
		rc = nl_attr_put_be32(m, CTA_MARK, f->mark);
		if (rc == 0)
			rc = nl_attr_put_be32(m, CTA_MARK_MASK, f->mark_mask);
		*used = 1;
	}
	/* a zero status mask is refused (EINVAL): userspace only */
	if (rc == 0 && (f->set & CT_KF_STATUS) && f->status_mask) {
		rc = nl_attr_put_be32(m, CTA_STATUS, f->status);
		if (rc == 0)
			rc = nl_attr_put_be32(m, CTA_STATUS_MASK,
					      f->status_mask);
		*used = 1;
	}
	if (rc == 0 && (f->set & CT_KF_ZONE)) {
		rc = nl_attr_put_be16(m, CTA_ZONE, f->zone);
		*used = 1;
	}
	return rc;
}
