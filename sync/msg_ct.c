// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack messages of the sync protocol (CT_NEW, CT_UPD, CT_DEL): a
 * flow's original tuple and state as upstream's ct2msg() (src/build.c)
 * writes them, attribute by attribute in its order, and the receiver's
 * side as its msg2ct() (src/parse.c) plus libnetfilter_conntrack's
 * NFCT_SOPT_SETUP_REPLY read them: the reply tuple is the inverse of the
 * original one with the NAT attributes on top.
 *
 * Upstream's quirks kept for byte compatibility with x86 peers: the NAT
 * ports (SPAT, DPAT) and the ICMP id travel little endian (upstream
 * applies htons() to values libnetfilter_conntrack keeps in network
 * order); NAT is sent only with IPS_SRC_NAT_DONE / IPS_DST_NAT_DONE.
 * Fixed on purpose (spec section 5, undone by opts->upstream_compat):
 * UDP-Lite ports and GRE keys are sent in NTA_PORT, where upstream's
 * receiver reads them into the same l4 slots the keys live in. Not
 * reproduced at all: for a NATed ICMP flow upstream's port test reads
 * the ICMP type, code and id as ports and sends SPAT/DPAT made of them;
 * ICMP has no ports here, so none go out.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "nl/uapi.h"
#include "sync/msg.h"
#include "sync/msg_int.h"

#define PORTS	(CT_TUPLE_SPORT | CT_TUPLE_DPORT)
#define ADDRS	(CT_TUPLE_SRC | CT_TUPLE_DST)

static const struct sync_msg_opts no_opts;

static size_t addr_len(uint8_t l3)
{
	return l3 == AF_INET ? 4 : 16;
}

static uint8_t entry_l3(const struct ct_entry *e)
{
	return e->orig.l3 ? e->orig.l3 : e->family;
}

/* ---- building --------------------------------------------------------- */

/* Whether NTA_PORT goes out for @t. */
static int ports_sent(const struct ct_tuple *t, const struct sync_msg_opts *o)
{
	if (!(t->set & PORTS))
		return 0;
	return !o->upstream_compat || sync_l4_upstream_ports(t->l4);
}

/* ports, then the protocol's state, as build_l4proto_*() */
static void put_l4(struct sync_wr *w, const struct ct_entry *e,
		   const struct sync_msg_opts *o)
{
	const struct ct_tuple *t = &e->orig;

	if (ports_sent(t, o))
		sync_wr_ports(w, SYNC_NTA_PORT, t);
	if (e->set & CT_TCP)
		sync_wr_u8(w, SYNC_NTA_TCP_STATE, e->tcp.state);
	if ((e->set & CT_TCP_WSCALE) && o->wscale) {
		sync_wr_u8(w, SYNC_NTA_TCP_WSCALE_ORIG, e->tcp.wscale[0]);
		sync_wr_u8(w, SYNC_NTA_TCP_WSCALE_REPL, e->tcp.wscale[1]);
	}
	if (e->set & CT_SCTP)
		sync_wr_u8(w, SYNC_NTA_SCTP_STATE, e->sctp.state);
	if (e->set & CT_SCTP_VTAGS) {
		sync_wr_be32(w, SYNC_NTA_SCTP_VTAG_ORIG, e->sctp.vtag[0]);
		sync_wr_be32(w, SYNC_NTA_SCTP_VTAG_REPL, e->sctp.vtag[1]);
	}
	if (e->set & CT_DCCP) {
		sync_wr_u8(w, SYNC_NTA_DCCP_STATE, e->dccp.state);
		sync_wr_u8(w, SYNC_NTA_DCCP_ROLE, e->dccp.role);
	}
	if (t->set & CT_TUPLE_ICMP_TYPE)
		sync_wr_u8(w, SYNC_NTA_ICMP_TYPE, t->icmp_type);
	if (t->set & CT_TUPLE_ICMP_CODE)
		sync_wr_u8(w, SYNC_NTA_ICMP_CODE, t->icmp_code);
	if (t->set & CT_TUPLE_ICMP_ID)
		sync_wr_le16(w, SYNC_NTA_ICMP_ID, t->icmp_id);
}

static void put_master(struct sync_wr *w, const struct ct_entry *e)
{
	const struct ct_tuple *m = &e->master;
	uint8_t l3 = m->l3 ? m->l3 : entry_l3(e);

	if (!(e->set & CT_MASTER) || (m->set & ADDRS) != ADDRS ||
	    (l3 != AF_INET && l3 != AF_INET6))
		return;
	sync_wr_addrs(w, SYNC_NTA_MASTER_IPV4, SYNC_NTA_MASTER_IPV6, l3, m);
	if (m->set & CT_TUPLE_PROTO)
		sync_wr_u8(w, SYNC_NTA_MASTER_L4PROTO, m->l4);
	if (m->set & PORTS)
		sync_wr_ports(w, SYNC_NTA_MASTER_PORT, m);
}

/* libnetfilter_conntrack's NFCT_GOPT_IS_[SD]NAT condition: the status
 * says the NAT is done (or there is no status), or the entry came from a
 * peer with that NAT (@bit). */
static int nat_on(const struct ct_entry *e, uint64_t bit, uint32_t done)
{
	if (e->set & bit)
		return 1;
	return !(e->set & CT_STATUS) || (e->status & done);
}

/* SNAT = reply dst, DNAT = reply src where they differ from the orig
 * tuple; then the ports, for tuples that have them. */
static void put_nat(struct sync_wr *w, const struct ct_entry *e, uint8_t l3)
{
	const struct ct_tuple *o = &e->orig, *r = &e->reply;
	int snat = nat_on(e, CT_SNAT, IPS_SRC_NAT_DONE);
	int dnat = nat_on(e, CT_DNAT, IPS_DST_NAT_DONE);
	size_t alen = addr_len(l3);
	int v4 = l3 == AF_INET;

	if (!(e->set & CT_REPLY))
		return;
	if (snat && (r->set & CT_TUPLE_DST) && memcmp(&r->dst, &o->src, alen))
		sync_wr_bytes(w, v4 ? SYNC_NTA_SNAT_IPV4 : SYNC_NTA_SNAT_IPV6,
			      &r->dst, alen);
	if (dnat && (r->set & CT_TUPLE_SRC) && memcmp(&r->src, &o->dst, alen))
		sync_wr_bytes(w, v4 ? SYNC_NTA_DNAT_IPV4 : SYNC_NTA_DNAT_IPV6,
			      &r->src, alen);
	if (snat && (o->set & CT_TUPLE_SPORT) && (r->set & CT_TUPLE_DPORT) &&
	    r->dport != o->sport)
		sync_wr_le16(w, SYNC_NTA_SPAT_PORT, r->dport);
	if (dnat && (o->set & CT_TUPLE_DPORT) && (r->set & CT_TUPLE_SPORT) &&
	    r->sport != o->dport)
		sync_wr_le16(w, SYNC_NTA_DPAT_PORT, r->sport);
}

static void put_seqadj(struct sync_wr *w, const struct ct_entry *e)
{
	uint8_t *p;

	if ((e->set & (CT_SEQADJ_ORIG | CT_SEQADJ_REPLY)) !=
	    (CT_SEQADJ_ORIG | CT_SEQADJ_REPLY))
		return;
	p = sync_wr_attr(w, SYNC_NTA_NAT_SEQ_ADJ, 24);
	for (int d = 0; p && d < 2; d++) {
		const struct ct_seqadj *s = &e->seqadj[d];
		uint32_t v[3] = { s->correction_pos, s->offset_before,
				  s->offset_after };

		for (int i = 0; i < 3; i++, p += 4)
			sync_put_be32(p, v[i]);
	}
}

/* Host-order 32-bit words (ct/labels.h) as big-endian ones; nothing
 * when no label is set, as ct_build_clabel(). */
static void put_labels(struct sync_wr *w, const struct ct_entry *e)
{
	size_t words = ((size_t)e->labels_len + 3) / 4, i;
	uint8_t *p;

	for (i = 0; i < e->labels_len && !e->labels[i]; i++)
		;
	if (!(e->set & CT_LABELS) || i == e->labels_len)
		return;
	p = sync_wr_attr(w, SYNC_NTA_LABELS, words * 4);
	for (i = 0; p && i < words; i++) {
		uint32_t v = 0;
		size_t n = e->labels_len - i * 4;

		memcpy(&v, e->labels + i * 4, n < 4 ? n : 4);
		sync_put_be32(p + i * 4, v);
	}
}

static void put_tail(struct sync_wr *w, const struct ct_entry *e)
{
	if ((e->set & CT_HELPER) && e->helper)
		sync_wr_bytes(w, SYNC_NTA_HELPER_NAME, e->helper,
			      strlen(e->helper) + 1);
	put_labels(w, e);
	if (e->set & CT_SYNPROXY) {
		uint8_t *p = sync_wr_attr(w, SYNC_NTA_SYNPROXY, 12);
		uint32_t v[3] = { e->synproxy.its, e->synproxy.isn,
				  e->synproxy.tsoff };

		for (int i = 0; p && i < 3; i++)
			sync_put_be32(p + i * 4, v[i]);
	}
	if (e->set & CT_ZONE)
		sync_wr_be16(w, SYNC_NTA_ZONE, e->zone);
}

static int can_build(const struct ct_entry *e, uint8_t l3)
{
	if (!(e->set & CT_ORIG) || (e->orig.set & ADDRS) != ADDRS ||
	    (l3 != AF_INET && l3 != AF_INET6))
		return 0;
	if ((e->set & CT_HELPER) && e->helper &&
	    strnlen(e->helper, SYNC_HELPER_MAX) >= SYNC_HELPER_MAX)
		return 0;
	return !(e->set & CT_LABELS) || e->labels_len <= CT_LABELS_BYTES;
}

int sync_msg_build_ct(void *buf, size_t cap, enum sync_msg_type type,
		      const struct ct_entry *e, const struct sync_msg_opts *o)
{
	uint8_t l3 = entry_l3(e);
	struct sync_wr w;

	if (!o)
		o = &no_opts;
	if (type > SYNC_T_CT_DEL || !can_build(e, l3))
		return -EINVAL;
	sync_wr_begin(&w, buf, cap, (uint8_t)type);
	sync_wr_addrs(&w, SYNC_NTA_IPV4, SYNC_NTA_IPV6, l3, &e->orig);
	if (e->set & CT_STATUS)
		sync_wr_be32(&w, SYNC_NTA_STATUS, e->status);
	if (e->orig.set & CT_TUPLE_PROTO)
		sync_wr_u8(&w, SYNC_NTA_L4PROTO, e->orig.l4);
	put_l4(&w, e, o);
	if ((e->set & CT_TIMEOUT) && !o->no_timeout)
		sync_wr_be32(&w, SYNC_NTA_TIMEOUT, e->timeout);
	if (e->set & CT_MARK)
		sync_wr_be32(&w, SYNC_NTA_MARK, e->mark);
	put_master(&w, e);
	put_nat(&w, e, l3);
	put_seqadj(&w, e);
	put_tail(&w, e);
	return sync_wr_end(&w);
}
