// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack request encoding. Each function writes only the fields whose
 * presence bits are set, checks every put, and on failure rolls the open
 * message back to where it was, so "did not fit" never leaves half an
 * entry behind. Which l4 attributes a tuple carries comes from the
 * protocol table, not from a switch over protocol numbers.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ct/encode.h"
#include "ct/proto.h"

/* Undo everything put into the open message since it was @len long. */

static size_t addr_len(uint8_t l3)
{
	return l3 == AF_INET ? 4 : l3 == AF_INET6 ? 16 : 0;
}

static int put_ip(struct nl_msg *m, const struct ct_tuple *t)
{
	size_t alen = addr_len(t->l3), tok;
	uint16_t src = t->l3 == AF_INET ? CTA_IP_V4_SRC : CTA_IP_V6_SRC;
	uint16_t dst = t->l3 == AF_INET ? CTA_IP_V4_DST : CTA_IP_V6_DST;
	int rc;

	if (!(t->set & (CT_TUPLE_SRC | CT_TUPLE_DST)))
		return 0;
	if (!alen)
		return -EINVAL;
	rc = nl_attr_nest_begin(m, CTA_TUPLE_IP, &tok);
	if (rc < 0)
		return rc;
	if ((t->set & CT_TUPLE_SRC) &&
	    (rc = nl_attr_put(m, src, &t->src, alen)) < 0)
		return rc;
	if ((t->set & CT_TUPLE_DST) &&
	    (rc = nl_attr_put(m, dst, &t->dst, alen)) < 0)
		return rc;
	return nl_attr_nest_end(m, tok);
}

static int put_icmp(struct nl_msg *m, const struct ct_tuple *t,
		    uint16_t type, uint16_t code, uint16_t id)
{
	int rc = 0;

	if (t->set & CT_TUPLE_ICMP_TYPE)
		rc = nl_attr_put_u8(m, type, t->icmp_type);
	if (rc == 0 && (t->set & CT_TUPLE_ICMP_CODE))
		rc = nl_attr_put_u8(m, code, t->icmp_code);
	if (rc == 0 && (t->set & CT_TUPLE_ICMP_ID))
		rc = nl_attr_put_be16(m, id, t->icmp_id);
	return rc;
}

static int put_l4(struct nl_msg *m, const struct ct_tuple *t)
{
	const struct ct_proto *p;
	size_t tok;
	int rc;

	if (!(t->set & CT_TUPLE_PROTO))
		return 0;
	rc = nl_attr_nest_begin(m, CTA_TUPLE_PROTO, &tok);
	if (rc < 0)
		return rc;
	rc = nl_attr_put_u8(m, CTA_PROTO_NUM, t->l4);
	if (rc < 0)
		return rc;
	p = ct_proto_by_num(t->l4);
	switch (p->kind) {
	case CT_L4_PORTS:
	case CT_L4_GRE:
		if (t->set & CT_TUPLE_SPORT)
			rc = nl_attr_put_be16(m, CTA_PROTO_SRC_PORT, t->sport);
		if (rc == 0 && (t->set & CT_TUPLE_DPORT))
			rc = nl_attr_put_be16(m, CTA_PROTO_DST_PORT, t->dport);
		break;
	case CT_L4_ICMP:
		rc = put_icmp(m, t, CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE,
			      CTA_PROTO_ICMP_ID);
		break;
	case CT_L4_ICMPV6:
		rc = put_icmp(m, t, CTA_PROTO_ICMPV6_TYPE,
			      CTA_PROTO_ICMPV6_CODE, CTA_PROTO_ICMPV6_ID);
		break;
	default:
		break;
	}
	if (rc < 0)
		return rc;
	return nl_attr_nest_end(m, tok);
}

int ct_tuple_put(struct nl_msg *m, uint16_t type, const struct ct_tuple *t)
{
	size_t start = m->len, tok;
	int rc;

	rc = nl_attr_nest_begin(m, type, &tok);
	if (rc < 0)
		return rc;
	rc = put_ip(m, t);
	if (rc == 0)
		rc = put_l4(m, t);
	if (rc == 0 && (t->set & CT_TUPLE_ZONE))
		rc = nl_attr_put_be16(m, CTA_TUPLE_ZONE, t->zone);
	if (rc == 0)
		rc = nl_attr_nest_end(m, tok);
	if (rc < 0)
		nl_msg_trim(m, start);
	return rc;
}

/* The tuple that names @e (see ct_entry_put_key), or NULL. The command
 * line sets the protocol in the orig tuple even when only -r/-q name the
 * entry: such an orig tuple names nothing. */
static const struct ct_tuple *key_tuple(const struct ct_entry *e,
					uint16_t *type)
{
	int orig = !!(e->set & CT_ORIG), reply = !!(e->set & CT_REPLY);

	/* the reply tuple if it is the only one, or the only complete one */
	if (reply && (!orig || (!ct_proto_tuple_complete(&e->orig) &&
				ct_proto_tuple_complete(&e->reply)))) {
		*type = CTA_TUPLE_REPLY;
		return &e->reply;
	}
	*type = CTA_TUPLE_ORIG;
	return orig ? &e->orig : NULL;
}

int ct_entry_put_key(struct nl_msg *m, const struct ct_entry *e)
{
	const struct ct_tuple *t;
	size_t start = m->len;
	uint16_t type;
	int rc;

	t = key_tuple(e, &type);
	if (!t)
		return -EINVAL;
	rc = ct_tuple_put(m, type, t);
	if (rc == 0 && (e->set & CT_ZONE))
		rc = nl_attr_put_be16(m, CTA_ZONE, e->zone);
	if (rc == 0 && (e->set & CT_ID))
		rc = nl_attr_put_be32(m, CTA_ID, e->id);
	if (rc < 0)
		nl_msg_trim(m, start);
	return rc;
}

/* ---- CTA_PROTOINFO ---------------------------------------------------- */

static int put_tcp(struct nl_msg *m, const struct ct_entry *e)
{
	uint8_t fl[2];
	size_t tok;
	int rc;

	rc = nl_attr_nest_begin(m, CTA_PROTOINFO_TCP, &tok);
	if (rc == 0 && (e->set & CT_TCP))
		rc = nl_attr_put_u8(m, CTA_PROTOINFO_TCP_STATE, e->tcp.state);
	if (rc == 0 && (e->set & CT_TCP_WSCALE)) {
		rc = nl_attr_put_u8(m, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL,
				    e->tcp.wscale[CT_DIR_ORIG]);
		if (rc == 0)
			rc = nl_attr_put_u8(m, CTA_PROTOINFO_TCP_WSCALE_REPLY,
					    e->tcp.wscale[CT_DIR_REPLY]);
	}
	for (int d = 0; rc == 0 && (e->set & CT_TCP_FLAGS) && d < 2; d++) {
		/* struct nf_ct_tcp_flags { __u8 flags; __u8 mask; } */
		fl[0] = e->tcp.flags[d];
		fl[1] = e->tcp.mask[d];
		rc = nl_attr_put(m, d == CT_DIR_ORIG ?
				 CTA_PROTOINFO_TCP_FLAGS_ORIGINAL :
				 CTA_PROTOINFO_TCP_FLAGS_REPLY, fl, sizeof(fl));
	}
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_sctp(struct nl_msg *m, const struct ct_entry *e)
{
	size_t tok;
	int rc;

	rc = nl_attr_nest_begin(m, CTA_PROTOINFO_SCTP, &tok);
	if (rc == 0 && (e->set & CT_SCTP))
		rc = nl_attr_put_u8(m, CTA_PROTOINFO_SCTP_STATE,
				    e->sctp.state);
	if (rc == 0 && (e->set & CT_SCTP_VTAGS)) {
		rc = nl_attr_put_be32(m, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL,
				      e->sctp.vtag[CT_DIR_ORIG]);
		if (rc == 0)
			rc = nl_attr_put_be32(m,
					      CTA_PROTOINFO_SCTP_VTAG_REPLY,
					      e->sctp.vtag[CT_DIR_REPLY]);
	}
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_dccp(struct nl_msg *m, const struct ct_entry *e)
{
	size_t tok;
	int rc;

	rc = nl_attr_nest_begin(m, CTA_PROTOINFO_DCCP, &tok);
	if (rc == 0 && (e->set & CT_DCCP)) {
		rc = nl_attr_put_u8(m, CTA_PROTOINFO_DCCP_STATE,
				    e->dccp.state);
		if (rc == 0)
			rc = nl_attr_put_u8(m, CTA_PROTOINFO_DCCP_ROLE,
					    e->dccp.role);
	}
	if (rc == 0 && (e->set & CT_DCCP_HSEQ))
		rc = nl_attr_put_be64(m, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ,
				      e->dccp.handshake_seq);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_protoinfo(struct nl_msg *m, const struct ct_entry *e)
{
	const uint64_t tcp = CT_TCP | CT_TCP_FLAGS | CT_TCP_WSCALE;
	const uint64_t sctp = CT_SCTP | CT_SCTP_VTAGS;
	const uint64_t dccp = CT_DCCP | CT_DCCP_HSEQ;
	size_t tok;
	int rc;

	if (!(e->set & (tcp | sctp | dccp)))
		return 0;
	rc = nl_attr_nest_begin(m, CTA_PROTOINFO, &tok);
	if (rc == 0 && (e->set & tcp))
		rc = put_tcp(m, e);
	if (rc == 0 && (e->set & sctp))
		rc = put_sctp(m, e);
	if (rc == 0 && (e->set & dccp))
		rc = put_dccp(m, e);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

/* ---- other nests ------------------------------------------------------ */

/* CTA_NAT_SRC/DST: min address, max only when it differs (the kernel
 * takes an absent max as min), ports in CTA_NAT_PROTO. */
static int put_nat(struct nl_msg *m, uint16_t type, const struct ct_nat *n,
		   uint8_t l3)
{
	size_t alen = addr_len(l3), tok, ptok;
	uint16_t mn = l3 == AF_INET ? CTA_NAT_V4_MINIP : CTA_NAT_V6_MINIP;
	uint16_t mx = l3 == AF_INET ? CTA_NAT_V4_MAXIP : CTA_NAT_V6_MAXIP;
	int rc;

	if (!alen)
		return -EINVAL;
	rc = nl_attr_nest_begin(m, type, &tok);
	if (rc == 0)
		rc = nl_attr_put(m, mn, &n->min_ip, alen);
	if (rc == 0 && memcmp(&n->min_ip, &n->max_ip, alen) != 0)
		rc = nl_attr_put(m, mx, &n->max_ip, alen);
	if (rc == 0 && n->has_port) {
		rc = nl_attr_nest_begin(m, CTA_NAT_PROTO, &ptok);
		if (rc == 0)
			rc = nl_attr_put_be16(m, CTA_PROTONAT_PORT_MIN,
					      n->min_port);
		if (rc == 0 && n->max_port != n->min_port)
			rc = nl_attr_put_be16(m, CTA_PROTONAT_PORT_MAX,
					      n->max_port);
		if (rc == 0)
			rc = nl_attr_nest_end(m, ptok);
	}
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_seqadj(struct nl_msg *m, uint16_t type,
		      const struct ct_seqadj *s)
{
	size_t tok;
	int rc;

	rc = nl_attr_nest_begin(m, type, &tok);
	if (rc == 0)
		rc = nl_attr_put_be32(m, CTA_SEQADJ_CORRECTION_POS,
				      s->correction_pos);
	if (rc == 0)
		rc = nl_attr_put_be32(m, CTA_SEQADJ_OFFSET_BEFORE,
				      s->offset_before);
	if (rc == 0)
		rc = nl_attr_put_be32(m, CTA_SEQADJ_OFFSET_AFTER,
				      s->offset_after);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_synproxy(struct nl_msg *m, const struct ct_entry *e)
{
	size_t tok;
	int rc;

	rc = nl_attr_nest_begin(m, CTA_SYNPROXY, &tok);
	if (rc == 0)
		rc = nl_attr_put_be32(m, CTA_SYNPROXY_ISN, e->synproxy.isn);
	if (rc == 0)
		rc = nl_attr_put_be32(m, CTA_SYNPROXY_ITS, e->synproxy.its);
	if (rc == 0)
		rc = nl_attr_put_be32(m, CTA_SYNPROXY_TSOFF,
				      e->synproxy.tsoff);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_helper(struct nl_msg *m, const char *name)
{
	size_t tok;
	int rc;

	rc = nl_attr_nest_begin(m, CTA_HELP, &tok);
	if (rc == 0)
		rc = nl_attr_put_str(m, CTA_HELP_NAME, name);
	return rc ? rc : nl_attr_nest_end(m, tok);
}

static int put_labels(struct nl_msg *m, const struct ct_entry *e)
{
	int rc = 0;

	if ((e->set & CT_LABELS) && e->labels_len > CT_LABELS_BYTES)
		return -EINVAL;
	if ((e->set & CT_LABELS_MASK) && e->labels_mask_len > CT_LABELS_BYTES)
		return -EINVAL;
	if (e->set & CT_LABELS)
		rc = nl_attr_put(m, CTA_LABELS, e->labels, e->labels_len);
	if (rc == 0 && (e->set & CT_LABELS_MASK))
		rc = nl_attr_put(m, CTA_LABELS_MASK, e->labels_mask,
				 e->labels_mask_len);
	return rc;
}

/* The family NAT addresses are in: the entry's, else its orig tuple's. */
static uint8_t nat_family(const struct ct_entry *e)
{
	return e->family ? e->family : e->orig.l3;
}

static int put_scalars(struct nl_msg *m, const struct ct_entry *e)
{
	int rc = 0;

	/* IPS_CONFIRMED is always sent, as libnetfilter_conntrack does:
	 * the kernel refuses (EBUSY) a status that would flip it, and the
	 * entry is confirmed both by the time a create applies the status
	 * and for an update. */
	if (e->set & CT_STATUS)
		rc = nl_attr_put_be32(m, CTA_STATUS, e->status | IPS_CONFIRMED);
	if (rc == 0 && (e->set & CT_TIMEOUT))
		rc = nl_attr_put_be32(m, CTA_TIMEOUT, e->timeout);
	if (rc == 0 && (e->set & CT_MARK))
		rc = nl_attr_put_be32(m, CTA_MARK, e->mark);
	if (rc == 0 && (e->set & CT_MARK_MASK))
		rc = nl_attr_put_be32(m, CTA_MARK_MASK, e->mark_mask);
	if (rc == 0 && (e->set & CT_ZONE))
		rc = nl_attr_put_be16(m, CTA_ZONE, e->zone);
	return rc;
}

int ct_entry_put_new(struct nl_msg *m, const struct ct_entry *e)
{
	size_t start = m->len;
	int rc = 0;

	if (e->set & CT_ORIG)
		rc = ct_tuple_put(m, CTA_TUPLE_ORIG, &e->orig);
	if (rc == 0 && (e->set & CT_REPLY))
		rc = ct_tuple_put(m, CTA_TUPLE_REPLY, &e->reply);
	if (rc == 0 && (e->set & CT_MASTER))
		rc = ct_tuple_put(m, CTA_TUPLE_MASTER, &e->master);
	if (rc == 0)
		rc = put_scalars(m, e);
	if (rc == 0)
		rc = put_protoinfo(m, e);
	if (rc == 0 && (e->set & CT_HELPER) && e->helper)
		rc = put_helper(m, e->helper);
	if (rc == 0 && (e->set & CT_SNAT))
		rc = put_nat(m, CTA_NAT_SRC, &e->snat, nat_family(e));
	if (rc == 0 && (e->set & CT_DNAT))
		rc = put_nat(m, CTA_NAT_DST, &e->dnat, nat_family(e));
	if (rc == 0)
		rc = put_labels(m, e);
	if (rc == 0 && (e->set & CT_SEQADJ_ORIG))
		rc = put_seqadj(m, CTA_SEQ_ADJ_ORIG, &e->seqadj[CT_DIR_ORIG]);
	if (rc == 0 && (e->set & CT_SEQADJ_REPLY))
		rc = put_seqadj(m, CTA_SEQ_ADJ_REPLY,
				&e->seqadj[CT_DIR_REPLY]);
	if (rc == 0 && (e->set & CT_SYNPROXY))
		rc = put_synproxy(m, e);
	if (rc < 0)
		nl_msg_trim(m, start);
	return rc;
}
