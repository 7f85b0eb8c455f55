// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From parsed options to what the commands use: the userspace filter of
 * -L/-G/-D/-U/-E (upstream's nfct_filter_init and nfct_filter, -U's own
 * narrower selection) and the complete template of -I/-A (upstream's
 * NFCT_SOPT_SETUP_REPLY/ORIGINAL).
 */
#include <string.h>
#include <sys/socket.h>

#include "cmd/ct_args_int.h"
#include "ct/proto.h"

static int state_given(const struct ct_parse *p)
{
	const struct ct_xproto *x;

	if (p->h < 0)
		return 0;
	x = &ct_xprotos[p->h];
	return x->nflags > 6 && !strcmp(x->flagnames[6], "state") &&
	       (p->a->l4flags & (1U << 6));
}

static void network(struct ct_filter_net *n, const struct ct_tuple *t,
		    const union ct_addr *addr, const union ct_addr *mask)
{
	n->l3 = t->l3;
	n->mask = *mask;
	for (size_t i = 0; i < sizeof(n->net.v6); i++)
		n->net.v6[i] = addr->v6[i] & mask->v6[i];
}

int ct_args_build_filter(struct ct_parse *p)
{
	struct ct_args *a = p->a;
	struct ct_filter *f = &a->filter;
	uint32_t o = a->options;
	unsigned int cmd = a->cmd;

	if (cmd == CT_CMD_LIST && a->table == CT_TABLE_CONNTRACK &&
	    (o & CT_OPT_COMPARISON) && (o & CT_OPT_ZERO))
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "Can't use -z with filtering parameters");
	/* -G filters the entry it got as -L does (upstream's dump
	 * callback): the tuple it was not looked up by, the id, labels */
	if (cmd != CT_CMD_LIST && cmd != CT_CMD_UPDATE &&
	    cmd != CT_CMD_DELETE && cmd != CT_CMD_EVENT && cmd != CT_CMD_GET)
		return 0;
	if ((o & CT_OPT_MASK_SRC) && !(o & CT_OPT_ORIG_SRC))
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "Can't use --mask-src without --src");
	if ((o & CT_OPT_MASK_DST) && !(o & CT_OPT_ORIG_DST))
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "Can't use --mask-dst without --dst");

	if (a->family != AF_UNSPEC) {
		f->set |= CT_F_FAMILY;
		f->family = (uint8_t)a->family;
	}
	if (o & CT_OPT_SRC_NAT)
		f->set |= CT_F_NAT_SRC;
	if (o & CT_OPT_DST_NAT)
		f->set |= CT_F_NAT_DST;
	if (o & CT_OPT_ANY_NAT)
		f->set |= CT_F_NAT_ANY;
	if (o & CT_OPT_MASK_SRC) {
		f->set |= CT_F_NET_SRC;
		network(&f->net[0], &a->tmpl.orig, &a->tmpl.orig.src,
			&a->exp_mask.src);
	}
	if (o & CT_OPT_MASK_DST) {
		f->set |= CT_F_NET_DST;
		network(&f->net[1], &a->tmpl.orig, &a->tmpl.orig.dst,
			&a->exp_mask.dst);
	}

	if (cmd == CT_CMD_UPDATE) {
		/* -U selects by NAT, labels, networks, id and tuples only:
		 * mark, status, timeout are the new values */
		if (o & (CT_OPT_ORIG | CT_OPT_PROTO) &&
		    (a->tmpl.set & CT_ORIG)) {
			f->tmpl.orig = a->tmpl.orig;
			f->tmpl.set |= CT_ORIG;
		}
		if (o & (CT_OPT_REPL | CT_OPT_PROTO) &&
		    (a->tmpl.set & CT_REPLY)) {
			f->tmpl.reply = a->tmpl.reply;
			f->tmpl.set |= CT_REPLY;
		}
		if (o & CT_OPT_ID) {
			f->tmpl.id = a->tmpl.id;
			f->tmpl.set |= CT_ID;
		}
		/* nfct_cmp(NFCT_CMP_ORIG/REPL) without NFCT_CMP_MASK */
		f->set |= CT_F_L4_LAX;
	} else {
		if (o & CT_OPT_MARK) {
			f->set |= CT_F_MARK;
			f->mark_value = a->mark.value;
			f->mark_mask = a->mark.mask;
		}
		if (o & CT_OPT_STATUS) {
			f->set |= CT_F_STATUS;
			f->status = p->status;
			f->status_mask = p->status | p->status_neg;
		}
		if (!(o & CT_OPT_COMPARISON))
			goto out;
		f->tmpl.set = a->tmpl.set & (CT_ORIG | CT_REPLY | CT_TIMEOUT |
					     CT_ID | CT_SECMARK | CT_ZONE);
		f->tmpl.orig = a->tmpl.orig;
		f->tmpl.reply = a->tmpl.reply;
		f->tmpl.timeout = a->tmpl.timeout;
		f->tmpl.id = a->tmpl.id;
		f->tmpl.secmark = a->tmpl.secmark;
		f->tmpl.zone = a->tmpl.zone;
		if (state_given(p)) {
			f->tmpl.set |= a->tmpl.set & (CT_TCP | CT_SCTP |
						      CT_DCCP);
			f->tmpl.tcp.state = a->tmpl.tcp.state;
			f->tmpl.sctp.state = a->tmpl.sctp.state;
			f->tmpl.dccp.state = a->tmpl.dccp.state;
		}
	}
	/* the networks replace the exact address compare */
	if (f->set & CT_F_NET_SRC)
		f->tmpl.orig.set &= (uint16_t)~CT_TUPLE_SRC;
	if (f->set & CT_F_NET_DST)
		f->tmpl.orig.set &= (uint16_t)~CT_TUPLE_DST;
	if (f->tmpl.set)
		f->set |= CT_F_CMP;
out:
	return 0;
}

static void invert(const struct ct_tuple *from, struct ct_tuple *to)
{
	const struct ct_proto *pr = ct_proto_by_num(from->l4);
	uint16_t zone = to->zone, zset = to->set & CT_TUPLE_ZONE;

	memset(to, 0, sizeof(*to));
	to->l3 = from->l3;
	to->l4 = from->l4;
	to->src = from->dst;
	to->dst = from->src;
	to->set = (uint16_t)(zset | (from->set & CT_TUPLE_PROTO) |
		  ((from->set & CT_TUPLE_SRC) ? CT_TUPLE_DST : 0) |
		  ((from->set & CT_TUPLE_DST) ? CT_TUPLE_SRC : 0));
	to->zone = zone;
	switch (pr->kind) {
	case CT_L4_PORTS:
	case CT_L4_GRE:
		to->sport = from->dport;
		to->dport = from->sport;
		to->set |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
		break;
	case CT_L4_ICMP:
	case CT_L4_ICMPV6:
		ct_proto_icmp_reply(from, to);
		break;
	default:
		break;
	}
}

int ct_args_complete(const struct ct_args *a, struct ct_entry *e)
{
	uint32_t o = a->options;

	*e = a->tmpl;
	e->family = (uint8_t)a->family;
	if ((o & CT_OPT_ORIG) && !(o & CT_OPT_REPL)) {
		invert(&e->orig, &e->reply);
		e->set |= CT_REPLY;
	} else if (!(o & CT_OPT_ORIG) && (o & CT_OPT_REPL)) {
		invert(&e->reply, &e->orig);
		e->set |= CT_ORIG;
	}
	ct_proto_tuple_fill(&e->orig);
	ct_proto_tuple_fill(&e->reply);
	if (o & CT_OPT_MARK) {
		e->mark = a->mark.value;
		e->set |= CT_MARK;
	}
	if ((o & CT_OPT_ADD_LABEL) && a->label_add_max >= 0) {
		memcpy(e->labels, a->label_add, sizeof(e->labels));
		e->labels_len = (uint8_t)((a->label_add_max / 32 + 1) * 4);
		e->set |= CT_LABELS;
	}
	return 0;
}

void ct_args_key(const struct ct_args *a, struct ct_entry *e)
{
	*e = a->tmpl;
	e->family = (uint8_t)a->family;
	ct_proto_tuple_fill(&e->orig);
	ct_proto_tuple_fill(&e->reply);
}
