// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The userspace conntrack filter (upstream nfct_filter and the parts of
 * libnetfilter_conntrack's nfct_cmp it relies on) and its kernel subset.
 */
#include <string.h>
#include <sys/socket.h>

#include "ct/entry.h"
#include "ct/filter.h"
#include "ct/proto.h"
#include "ct/table.h"
#include "nl/uapi.h"


static size_t addr_len(uint8_t l3)
{
	return l3 == AF_INET6 ? 16 : 4;
}

static bool addr_eq(uint8_t l3, const union ct_addr *a,
		    const union ct_addr *b)
{
	return !memcmp(a, b, addr_len(l3));
}

static uint8_t entry_l3(const struct ct_entry *e)
{
	if (e->orig.l3)
		return e->orig.l3;
	if (e->reply.l3)
		return e->reply.l3;
	return e->family;
}

static bool has_status(const struct ct_entry *e, uint32_t bit)
{
	/* an entry that came without status is judged by its tuples */
	return !(e->set & CT_STATUS) || (e->status & bit);
}

static bool is_snat(const struct ct_entry *e)
{
	return has_status(e, IPS_SRC_NAT_DONE) &&
	       !addr_eq(entry_l3(e), &e->reply.dst, &e->orig.src);
}

static bool is_dnat(const struct ct_entry *e)
{
	return has_status(e, IPS_DST_NAT_DONE) &&
	       !addr_eq(entry_l3(e), &e->reply.src, &e->orig.dst);
}

static bool is_spat(const struct ct_entry *e)
{
	return has_status(e, IPS_SRC_NAT_DONE) &&
	       e->reply.dport != e->orig.sport;
}

static bool is_dpat(const struct ct_entry *e)
{
	return has_status(e, IPS_DST_NAT_DONE) &&
	       e->reply.sport != e->orig.dport;
}

/* One direction of upstream's filter_nat(): @to is the reply address
 * the entry is NATed to, @port the reply port. */
static bool nat_one(const struct ct_filter_nat *n, bool nat, bool pat,
		    const struct ct_entry *e, const union ct_addr *to,
		    uint16_t port)
{
	bool addr_ok = false, port_ok = false;

	if (n->has_addr)
		addr_ok = nat && n->l3 == entry_l3(e) &&
			  addr_eq(n->l3, &n->addr, to);
	if (n->has_port)
		port_ok = pat && n->port == port;
	if (n->has_addr && n->has_port)
		return addr_ok && port_ok;
	if (n->has_addr)
		return addr_ok;
	if (n->has_port)
		return port_ok;
	return nat || pat;
}

static bool nat_match(const struct ct_filter *f, const struct ct_entry *e)
{
	bool s = false, d = false;
	bool cs = f->set & (CT_F_NAT_SRC | CT_F_NAT_ANY);
	bool cd = f->set & (CT_F_NAT_DST | CT_F_NAT_ANY);

	if (!cs && !cd)
		return true;
	if (cs)
		s = nat_one(&f->snat, is_snat(e), is_spat(e), e,
			    &e->reply.dst, e->reply.dport);
	if (cd)
		d = nat_one(&f->dnat, is_dnat(e), is_dpat(e), e,
			    &e->reply.src, e->reply.sport);
	if (f->set & CT_F_NAT_ANY)
		return s || d;
	if (cs && cd)
		return s && d;
	return cs ? s : d;
}

static bool labels_match(const struct ct_filter *f, const struct ct_entry *e)
{
	if (!(e->set & CT_LABELS))
		return false;
	for (size_t i = 0; i < CT_LABELS_BYTES; i++) {
		uint8_t have = i < e->labels_len ? e->labels[i] : 0;

		if (f->labels[i] & ~have)
			return false;
	}
	return true;
}

static bool net_match(const struct ct_filter_net *n, const struct ct_entry *e,
		      const union ct_addr *a)
{
	if (e->orig.l3 != n->l3)
		return false;
	for (size_t i = 0; i < addr_len(n->l3); i++)
		if ((a->v6[i] & n->mask.v6[i]) != n->net.v6[i])
			return false;
	return true;
}

static bool tuple_match(const struct ct_tuple *t, const struct ct_tuple *x,
			bool lax)
{
	const uint16_t l4 = CT_TUPLE_SPORT | CT_TUPLE_DPORT |
			    CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE |
			    CT_TUPLE_ICMP_ID;
	uint16_t s = t->set, lacks = s & l4 & ~x->set;

	if (t->l3 && t->l3 != x->l3)
		return false;
	if ((s & CT_TUPLE_PROTO) && t->l4 != x->l4)
		return false;
	if ((s & CT_TUPLE_SRC) && !addr_eq(t->l3, &t->src, &x->src))
		return false;
	if ((s & CT_TUPLE_DST) && !addr_eq(t->l3, &t->dst, &x->dst))
		return false;
	/* l4 fields the entry came without (a protocol the kernel tracks
	 * as generic, DCCP on recent kernels) */
	if (lacks && !lax)
		return false;
	s &= (uint16_t)~lacks;
	if ((s & CT_TUPLE_SPORT) && t->sport != x->sport)
		return false;
	if ((s & CT_TUPLE_DPORT) && t->dport != x->dport)
		return false;
	if ((s & CT_TUPLE_ICMP_TYPE) && t->icmp_type != x->icmp_type)
		return false;
	if ((s & CT_TUPLE_ICMP_CODE) && t->icmp_code != x->icmp_code)
		return false;
	if ((s & CT_TUPLE_ICMP_ID) && t->icmp_id != x->icmp_id)
		return false;
	if ((s & CT_TUPLE_ZONE) &&
	    t->zone != ((x->set & CT_TUPLE_ZONE) ? x->zone : 0))
		return false;
	return true;
}

static bool cmp_match(const struct ct_entry *t, const struct ct_entry *e,
		      bool lax)
{
	uint64_t s = t->set;

	if ((s & CT_ORIG) && !tuple_match(&t->orig, &e->orig, lax))
		return false;
	if ((s & CT_REPLY) && !tuple_match(&t->reply, &e->reply, lax))
		return false;
	if ((s & CT_TIMEOUT) &&
	    (!(e->set & CT_TIMEOUT) || e->timeout != t->timeout))
		return false;
	if ((s & CT_ID) && (!(e->set & CT_ID) || e->id != t->id))
		return false;
	if ((s & CT_SECMARK) &&
	    t->secmark != ((e->set & CT_SECMARK) ? e->secmark : 0))
		return false;
	if ((s & CT_ZONE) && t->zone != ((e->set & CT_ZONE) ? e->zone : 0))
		return false;
	if ((s & CT_TCP) &&
	    (!(e->set & CT_TCP) || e->tcp.state != t->tcp.state))
		return false;
	if ((s & CT_SCTP) &&
	    (!(e->set & CT_SCTP) || e->sctp.state != t->sctp.state))
		return false;
	if ((s & CT_DCCP) &&
	    (!(e->set & CT_DCCP) || e->dccp.state != t->dccp.state))
		return false;
	return true;
}

bool ct_filter_match(const struct ct_filter *f, const struct ct_entry *e)
{
	if (!f)
		return true;
	if ((f->set & CT_F_FAMILY) && entry_l3(e) != f->family)
		return false;
	if (!nat_match(f, e))
		return false;
	if ((f->set & CT_F_MARK) &&
	    (((e->set & CT_MARK) ? e->mark : 0) & f->mark_mask) !=
	    f->mark_value)
		return false;
	if ((f->set & CT_F_LABELS) && !labels_match(f, e))
		return false;
	if ((f->set & CT_F_NET_SRC) && !net_match(&f->net[0], e, &e->orig.src))
		return false;
	if ((f->set & CT_F_NET_DST) && !net_match(&f->net[1], e, &e->orig.dst))
		return false;
	if ((f->set & CT_F_STATUS) &&
	    (((e->set & CT_STATUS) ? e->status : 0) & f->status_mask) !=
	    f->status)
		return false;
	if ((f->set & CT_F_CMP) &&
	    !cmp_match(&f->tmpl, e, f->set & CT_F_L4_LAX))
		return false;
	return true;
}

/* The tuple fields CTA_FILTER can select exactly. With @lax no l4
 * fields: the kernel would drop the entries that lack them. */
static void kernel_tuple(const struct ct_tuple *t, struct ct_tuple *k,
			 bool lax)
{
	uint16_t keep = CT_TUPLE_PROTO | CT_TUPLE_ZONE;

	*k = *t;
	if (!lax)
		keep |= CT_TUPLE_SPORT | CT_TUPLE_DPORT | CT_TUPLE_ICMP_TYPE |
			CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID;
	if (t->l3)
		keep |= CT_TUPLE_SRC | CT_TUPLE_DST;
	k->set = t->set & keep;
	/* l4 fields only mean something with the protocol */
	if (!(k->set & CT_TUPLE_PROTO))
		k->set &= CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_ZONE;
}

int ct_filter_kernel(const struct ct_filter *f, struct ct_kfilter *kf,
		     bool cmp_to_kernel)
{
	memset(kf, 0, sizeof(*kf));
	if (f->set & CT_F_FAMILY)
		kf->family = f->family;
	if (f->set & CT_F_MARK) {
		kf->set |= CT_KF_MARK;
		kf->mark = f->mark_value;
		kf->mark_mask = f->mark_mask;
	}
	if ((f->set & CT_F_STATUS) && f->status_mask) {
		kf->set |= CT_KF_STATUS;
		kf->status = f->status;
		kf->status_mask = f->status_mask;
	}
	if (!cmp_to_kernel || !(f->set & CT_F_CMP))
		return 0;
	if (f->tmpl.set & CT_ZONE) {
		kf->set |= CT_KF_ZONE;
		kf->zone = f->tmpl.zone;
	}
	if (f->tmpl.set & CT_ORIG)
		kernel_tuple(&f->tmpl.orig, &kf->orig, f->set & CT_F_L4_LAX);
	if (f->tmpl.set & CT_REPLY)
		kernel_tuple(&f->tmpl.reply, &kf->reply, f->set & CT_F_L4_LAX);
	return 0;
}

static bool tuple_complete(const struct ct_tuple *t)
{
	return t->l3 && ct_proto_tuple_complete(t);
}

bool ct_filter_is_key(const struct ct_filter *f)
{
	if (!(f->set & CT_F_CMP) || !(f->tmpl.set & CT_ZONE))
		return false;
	if (f->set & (CT_F_NET_SRC | CT_F_NET_DST))
		return false;
	return ((f->tmpl.set & CT_ORIG) && tuple_complete(&f->tmpl.orig)) ||
	       ((f->tmpl.set & CT_REPLY) && tuple_complete(&f->tmpl.reply));
}
