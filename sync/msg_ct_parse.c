// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading conntrack messages of the sync protocol, as upstream's msg2ct()
 * (src/parse.c): every attribute checked against its exact size (strings
 * must hold their NUL, labels at most the kernel's 128 bits), an unknown
 * one refusing the whole message; then the reply tuple rebuilt as
 * libnetfilter_conntrack's NFCT_SOPT_SETUP_REPLY does (addresses and
 * ports or GRE keys swapped, the ICMP/ICMPv6 type answered) with the NAT
 * attributes on top, and those NAT mappings kept in e->snat/e->dnat for a
 * commit. The NAT ports and the ICMP id are little endian on the wire
 * (see sync/msg_ct.c).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/proto.h"
#include "sync/msg.h"
#include "sync/msg_int.h"

#define ADDRS	(CT_TUPLE_SRC | CT_TUPLE_DST)

static size_t addr_len(uint8_t l3)
{
	return l3 == AF_INET ? 4 : 16;
}

#define FIX(n)	{ SYNC_POL_FIXED, (n) }

static const struct sync_pol ct_pol[SYNC_NTA_MAX] = {
	[SYNC_NTA_IPV4] = FIX(8),
	[SYNC_NTA_IPV6] = FIX(32),
	[SYNC_NTA_L4PROTO] = FIX(1),
	[SYNC_NTA_PORT] = FIX(4),
	[SYNC_NTA_TCP_STATE] = FIX(1),
	[SYNC_NTA_STATUS] = FIX(4),
	[SYNC_NTA_TIMEOUT] = FIX(4),
	[SYNC_NTA_MARK] = FIX(4),
	[SYNC_NTA_MASTER_IPV4] = FIX(8),
	[SYNC_NTA_MASTER_IPV6] = FIX(32),
	[SYNC_NTA_MASTER_L4PROTO] = FIX(1),
	[SYNC_NTA_MASTER_PORT] = FIX(4),
	[SYNC_NTA_SNAT_IPV4] = FIX(4),
	[SYNC_NTA_DNAT_IPV4] = FIX(4),
	[SYNC_NTA_SPAT_PORT] = FIX(2),
	[SYNC_NTA_DPAT_PORT] = FIX(2),
	[SYNC_NTA_NAT_SEQ_ADJ] = FIX(24),
	[SYNC_NTA_SCTP_STATE] = FIX(1),
	[SYNC_NTA_SCTP_VTAG_ORIG] = FIX(4),
	[SYNC_NTA_SCTP_VTAG_REPL] = FIX(4),
	[SYNC_NTA_DCCP_STATE] = FIX(1),
	[SYNC_NTA_DCCP_ROLE] = FIX(1),
	[SYNC_NTA_ICMP_TYPE] = FIX(1),
	[SYNC_NTA_ICMP_CODE] = FIX(1),
	[SYNC_NTA_ICMP_ID] = FIX(2),
	[SYNC_NTA_TCP_WSCALE_ORIG] = FIX(1),
	[SYNC_NTA_TCP_WSCALE_REPL] = FIX(1),
	[SYNC_NTA_HELPER_NAME] = { SYNC_POL_STR, SYNC_HELPER_MAX },
	[SYNC_NTA_LABELS] = { SYNC_POL_WORDS, CT_LABELS_BYTES },
	[SYNC_NTA_SNAT_IPV6] = FIX(16),
	[SYNC_NTA_DNAT_IPV6] = FIX(16),
	[SYNC_NTA_SYNPROXY] = FIX(12),
	[SYNC_NTA_ZONE] = FIX(2),
};

/* NAT attributes as seen, applied once the whole orig tuple is known. */
struct nat_seen {
	union ct_addr addr[2];		/* SNAT, DNAT */
	uint8_t l3[2];			/* 0: not seen */
	uint16_t port[2];		/* SPAT, DPAT */
	uint8_t has_port[2];
};

static void get_nat_addr(const struct sync_attr *a, struct nat_seen *n,
			 int d)
{
	memset(&n->addr[d], 0, sizeof(n->addr[d]));
	memcpy(&n->addr[d], a->val, a->len);
	n->l3[d] = a->len == 4 ? AF_INET : AF_INET6;
}

static void get_labels(const struct sync_attr *a, struct ct_entry *e)
{
	uint8_t any = 0;

	/* a later attribute replaces an earlier one whole */
	memset(e->labels, 0, sizeof(e->labels));
	for (uint16_t i = 0; i < a->len; i += 4) {
		uint32_t v = sync_get_be32(a->val + i);

		memcpy(e->labels + i, &v, 4);
		any |= v != 0;
	}
	/* all clear is what the sender leaves out */
	e->labels_len = any ? (uint8_t)a->len : 0;
	e->set = any ? e->set | CT_LABELS : e->set & ~(uint64_t)CT_LABELS;
}

static void get_seqadj(const struct sync_attr *a, struct ct_entry *e)
{
	for (int d = 0; d < 2; d++) {
		const uint8_t *p = a->val + d * 12;

		e->seqadj[d].correction_pos = sync_get_be32(p);
		e->seqadj[d].offset_before = sync_get_be32(p + 4);
		e->seqadj[d].offset_after = sync_get_be32(p + 8);
	}
	e->set |= CT_SEQADJ_ORIG | CT_SEQADJ_REPLY;
}

static void get_synproxy(const struct sync_attr *a, struct ct_entry *e)
{
	e->synproxy.its = sync_get_be32(a->val);
	e->synproxy.isn = sync_get_be32(a->val + 4);
	e->synproxy.tsoff = sync_get_be32(a->val + 8);
	e->set |= CT_SYNPROXY;
}

/* The orig tuple and the scalars of its row; 0 when @a is not one. */
static int get_orig(const struct sync_attr *a, struct ct_entry *e)
{
	struct ct_tuple *t = &e->orig;
	uint8_t v = a->val[0];

	switch (a->type) {
	case SYNC_NTA_IPV4:
	case SYNC_NTA_IPV6:
		sync_get_addrs(a, t);
		break;
	case SYNC_NTA_L4PROTO:
		t->l4 = v;
		t->set |= CT_TUPLE_PROTO;
		break;
	case SYNC_NTA_PORT:
		sync_get_ports(a, t);
		break;
	case SYNC_NTA_ICMP_TYPE:
		t->icmp_type = v;
		t->set |= CT_TUPLE_ICMP_TYPE;
		break;
	case SYNC_NTA_ICMP_CODE:
		t->icmp_code = v;
		t->set |= CT_TUPLE_ICMP_CODE;
		break;
	case SYNC_NTA_ICMP_ID:
		t->icmp_id = sync_get_le16(a->val);
		t->set |= CT_TUPLE_ICMP_ID;
		break;
	case SYNC_NTA_STATUS:
		e->status = sync_get_be32(a->val);
		e->set |= CT_STATUS;
		break;
	case SYNC_NTA_TIMEOUT:
		e->timeout = sync_get_be32(a->val);
		e->set |= CT_TIMEOUT;
		break;
	case SYNC_NTA_MARK:
		e->mark = sync_get_be32(a->val);
		e->set |= CT_MARK;
		break;
	case SYNC_NTA_ZONE:
		e->zone = sync_get_be16(a->val);
		e->set |= CT_ZONE;
		break;
	default:
		return 0;
	}
	return 1;
}

/* Protocol state; 0 when @a is not one. */
static int get_protoinfo(const struct sync_attr *a, struct ct_entry *e)
{
	uint8_t v = a->val[0];

	switch (a->type) {
	case SYNC_NTA_TCP_STATE:
		e->tcp.state = v;
		e->set |= CT_TCP;
		break;
	case SYNC_NTA_TCP_WSCALE_ORIG:
	case SYNC_NTA_TCP_WSCALE_REPL:
		e->tcp.wscale[a->type == SYNC_NTA_TCP_WSCALE_REPL] = v;
		e->set |= CT_TCP_WSCALE;
		break;
	case SYNC_NTA_SCTP_STATE:
		e->sctp.state = v;
		e->set |= CT_SCTP;
		break;
	case SYNC_NTA_SCTP_VTAG_ORIG:
	case SYNC_NTA_SCTP_VTAG_REPL:
		e->sctp.vtag[a->type == SYNC_NTA_SCTP_VTAG_REPL] =
			sync_get_be32(a->val);
		e->set |= CT_SCTP_VTAGS;
		break;
	case SYNC_NTA_DCCP_STATE:
		e->dccp.state = v;
		e->set |= CT_DCCP;
		break;
	case SYNC_NTA_DCCP_ROLE:
		e->dccp.role = v;
		e->set |= CT_DCCP;
		break;
	default:
		return 0;
	}
	return 1;
}

static void get_other(const struct sync_attr *a, struct ct_entry *e,
		      struct nat_seen *n)
{
	int d = a->type == SYNC_NTA_DNAT_IPV4 || a->type == SYNC_NTA_DNAT_IPV6 ||
		a->type == SYNC_NTA_DPAT_PORT;

	switch (a->type) {
	case SYNC_NTA_MASTER_IPV4:
	case SYNC_NTA_MASTER_IPV6:
		sync_get_addrs(a, &e->master);
		e->set |= CT_MASTER;
		break;
	case SYNC_NTA_MASTER_L4PROTO:
		e->master.l4 = a->val[0];
		e->master.set |= CT_TUPLE_PROTO;
		break;
	case SYNC_NTA_MASTER_PORT:
		sync_get_ports(a, &e->master);
		break;
	case SYNC_NTA_SNAT_IPV4:
	case SYNC_NTA_DNAT_IPV4:
	case SYNC_NTA_SNAT_IPV6:
	case SYNC_NTA_DNAT_IPV6:
		get_nat_addr(a, n, d);
		break;
	case SYNC_NTA_SPAT_PORT:
	case SYNC_NTA_DPAT_PORT:
		n->port[d] = sync_get_le16(a->val);
		n->has_port[d] = 1;
		break;
	case SYNC_NTA_NAT_SEQ_ADJ:
		get_seqadj(a, e);
		break;
	case SYNC_NTA_HELPER_NAME:
		e->helper = (const char *)a->val;
		e->set |= CT_HELPER;
		break;
	case SYNC_NTA_LABELS:
		get_labels(a, e);
		break;
	case SYNC_NTA_SYNPROXY:
		get_synproxy(a, e);
		break;
	}
}

/* The reply tuple NFCT_SOPT_SETUP_REPLY makes of @o: addresses and
 * ports (GRE keys) swapped, the ICMP type answered as the kernel's
 * invmap says (255, which the kernel refuses, when it has no answer),
 * code and id kept. */
static void invert(const struct ct_tuple *o, struct ct_tuple *r)
{
	memset(r, 0, sizeof(*r));
	r->l3 = o->l3;
	r->l4 = o->l4;
	r->src = o->dst;
	r->dst = o->src;
	r->set = o->set & (ADDRS | CT_TUPLE_PROTO | CT_TUPLE_ICMP_TYPE |
			   CT_TUPLE_ICMP_CODE | CT_TUPLE_ICMP_ID);
	if (o->set & CT_TUPLE_SPORT)
		r->set |= CT_TUPLE_DPORT;
	if (o->set & CT_TUPLE_DPORT)
		r->set |= CT_TUPLE_SPORT;
	r->sport = o->dport;
	r->dport = o->sport;
	if (o->set & CT_TUPLE_ICMP_TYPE) {
		int t = ct_proto_icmp_reply_type(o->l4, o->icmp_type);

		r->icmp_type = t < 0 ? 255 : (uint8_t)t;
	}
	r->icmp_code = o->icmp_code;
	r->icmp_id = o->icmp_id;
}

/* One NAT direction (@d 0 source, 1 destination) on the reply tuple and
 * into e->snat/dnat, where it changes something. */
static int apply_nat(struct ct_entry *e, const struct nat_seen *n, int d)
{
	const struct ct_tuple *o = &e->orig;
	struct ct_nat *nat = d ? &e->dnat : &e->snat;
	union ct_addr *raddr = d ? &e->reply.src : &e->reply.dst;
	uint16_t *rport = d ? &e->reply.sport : &e->reply.dport;
	const union ct_addr *oaddr = d ? &o->dst : &o->src;
	uint16_t oport = d ? o->dport : o->sport;
	uint16_t oport_bit = d ? CT_TUPLE_DPORT : CT_TUPLE_SPORT;
	uint64_t bit = d ? CT_DNAT : CT_SNAT;

	if (n->l3[d] && n->l3[d] != o->l3)
		return -EBADMSG;
	if (n->l3[d] && memcmp(&n->addr[d], oaddr, addr_len(o->l3))) {
		*raddr = n->addr[d];
		e->set |= bit;
	}
	if (n->has_port[d] && (o->set & oport_bit) && n->port[d] != oport) {
		*rport = n->port[d];
		nat->has_port = 1;
		nat->min_port = nat->max_port = n->port[d];
		e->set |= bit;
	}
	if (e->set & bit)
		nat->min_ip = nat->max_ip = *raddr;
	return 0;
}

/* apply_nat() undone for one direction: the reply fields the NAT set
 * back to the inverted orig tuple's. */
static void unnat(struct ct_entry *e, int d)
{
	const struct ct_tuple *o = &e->orig;
	const struct ct_nat *nat = d ? &e->dnat : &e->snat;

	if (!(e->set & (d ? CT_DNAT : CT_SNAT)))
		return;
	if (d)
		e->reply.src = o->dst;
	else
		e->reply.dst = o->src;
	if (nat->has_port && d)
		e->reply.sport = o->dport;
	else if (nat->has_port)
		e->reply.dport = o->sport;
}

void sync_msg_ct_reply_unnat(struct ct_entry *e)
{
	unnat(e, 0);
	unnat(e, 1);
}

static int finish(struct ct_entry *e, const struct nat_seen *n)
{
	if ((e->orig.set & ADDRS) != ADDRS)
		return -EBADMSG;
	e->family = e->orig.l3;
	e->set |= CT_ORIG | CT_REPLY;
	if (!(e->set & CT_MASTER))
		memset(&e->master, 0, sizeof(e->master));
	invert(&e->orig, &e->reply);
	if (apply_nat(e, n, 0) < 0 || apply_nat(e, n, 1) < 0)
		return -EBADMSG;
	return 0;
}

int sync_msg_parse_ct(const void *msg, size_t len, struct ct_entry *e,
		      struct sync_msg_stats *st)
{
	struct nat_seen n;
	struct sync_attr a;
	size_t off = SYNC_MSG_HDR_LEN;
	int rc;

	memset(e, 0, sizeof(*e));
	memset(&n, 0, sizeof(n));
	if (len < SYNC_MSG_HDR_LEN)
		return sync_bad_payload(st);
	while ((rc = sync_attr_next(msg, len, &off, &a, ct_pol,
				    SYNC_NTA_MAX)) > 0) {
		if (!get_orig(&a, e) && !get_protoinfo(&a, e))
			get_other(&a, e, &n);
	}
	if (rc < 0 || finish(e, &n) < 0) {
		memset(e, 0, sizeof(*e));
		return sync_bad_payload(st);
	}
	return 0;
}
