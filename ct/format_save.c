// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The -o save printer: an entry as conntrack command-line arguments, as
 * conntrack-tools' ct_save_snprintf writes them, plus the options that
 * make -R restore what upstream leaves out (contracts in ct/format.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ct/entry.h"
#include "ct/format.h"
#include "ct/format_int.h"
#include "ct/out.h"
#include "ct/labels.h"
#include "ct/proto.h"
#include "nl/uapi.h"

/* ---- save --------------------------------------------------------------- */

/* conntrack_status_map of conntrack-tools: the bits -u can set. */
static const struct {
	uint32_t bit;
	const char *name;
} save_status[] = {
	{ IPS_EXPECTED, "EXPECTED" },
	{ IPS_SEEN_REPLY, "SEEN_REPLY" },
	{ IPS_ASSURED, "ASSURED" },
	{ IPS_FIXED_TIMEOUT, "FIXED_TIMEOUT" },
};

static void save_status_opt(struct ct_out *w, uint32_t status)
{
	bool found = false;

	ct_out_str(w, "-u ");
	for (size_t i = 0; i < sizeof(save_status) / sizeof(save_status[0]);
	     i++) {
		if (!(status & save_status[i].bit))
			continue;
		if (found)
			ct_out_chr(w, ',');
		ct_out_str(w, save_status[i].name);
		found = true;
	}
	ct_out_str(w, found ? " " : "UNSET ");
}

static void save_addr(struct ct_out *w, const char *opt, uint8_t l3,
		      const struct ct_tuple *t, uint16_t bit,
		      const union ct_addr *a)
{
	if (!(t->set & bit))
		return;
	ct_out_str(w, opt);
	ct_out_addr(w, l3, a);
	ct_out_chr(w, ' ');
}

static void save_port(struct ct_out *w, const char *opt, uint16_t set,
		      uint16_t bit, uint64_t v)
{
	if (set & bit)
		ct_out_kv(w, opt, v);
}

static void save_state(struct ct_out *w, uint8_t num, unsigned int state)
{
	ct_out_str(w, "--state ");
	ct_out_str(w, ct_fmt_state_name(num, state));
	ct_out_chr(w, ' ');
}

/* The protocol extension's print_opts. */
static void save_l4(struct ct_out *w, const struct ct_entry *e,
		    const struct ct_proto *p)
{
	const struct ct_tuple *o = &e->orig, *r = &e->reply;
	static const char *const dccp_roles[] = { "client", "server" };

	if (p->kind == CT_L4_PORTS || p->kind == CT_L4_GRE) {
		bool gre = p->kind == CT_L4_GRE;

		save_port(w, gre ? "--srckey " : "--sport ", o->set,
			  CT_TUPLE_SPORT, o->sport);
		save_port(w, gre ? "--dstkey " : "--dport ", o->set,
			  CT_TUPLE_DPORT, o->dport);
		save_port(w, gre ? "--reply-key-src " : "--reply-port-src ",
			  r->set, CT_TUPLE_SPORT, r->sport);
		save_port(w, gre ? "--reply-key-dst " : "--reply-port-dst ",
			  r->set, CT_TUPLE_DPORT, r->dport);
	} else if (p->kind == CT_L4_ICMP || p->kind == CT_L4_ICMPV6) {
		bool v6 = p->kind == CT_L4_ICMPV6;

		save_port(w, v6 ? "--icmpv6-type " : "--icmp-type ", o->set,
			  CT_TUPLE_ICMP_TYPE, o->icmp_type);
		save_port(w, v6 ? "--icmpv6-code " : "--icmp-code ", o->set,
			  CT_TUPLE_ICMP_CODE, o->icmp_code);
		save_port(w, v6 ? "--icmpv6-id " : "--icmp-id ", o->set,
			  CT_TUPLE_ICMP_ID, o->icmp_id);
	}
	if (p->info == CT_TCP && (e->set & CT_TCP))
		save_state(w, IPPROTO_TCP, e->tcp.state);
	if (p->info == CT_SCTP && (e->set & CT_SCTP))
		save_state(w, IPPROTO_SCTP, e->sctp.state);
	if (p->info == CT_SCTP && (e->set & CT_SCTP_VTAGS)) {
		/* upstream prints ntohl() of the kernel's value */
		ct_out_kv(w, "--orig-vtag ", ntohl(e->sctp.vtag[CT_DIR_ORIG]));
		ct_out_kv(w, "--reply-vtag ", ntohl(e->sctp.vtag[CT_DIR_REPLY]));
	}
	if (p->info == CT_DCCP && (e->set & CT_DCCP)) {
		save_state(w, IPPROTO_DCCP, e->dccp.state);
		ct_out_str(w, "--role ");
		ct_out_str(w, dccp_roles[e->dccp.role < 2 ? e->dccp.role : 0]);
		ct_out_chr(w, ' ');
	}
}

static bool save_has_names(const struct ct_entry *e,
			   const struct ct_labelmap *map, bool *space)
{
	bool any = false;

	*space = false;
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name = ct_fmt_label_name(e, map, bit);

		if (!name || !*name)
			continue;
		any = true;
		if (strchr(name, ' '))
			*space = true;
	}
	return any;
}

/* Our additions: what -A/-U accept to restore mark and labels. */
static void save_extra(struct ct_out *w, const struct ct_entry *e,
		       const struct ct_fmt_opts *o)
{
	bool space, first = true;

	if ((e->set & CT_MARK) &&
	    (e->mark || o->event == CT_FMT_EV_UPDATE))
		ct_out_kv(w, "-m ", e->mark);
	if (!(e->set & CT_LABELS) || !o->labels ||
	    !save_has_names(e, o->labels, &space))
		return;
	ct_out_str(w, space ? "--label-add \"" : "--label-add ");
	for (unsigned int bit = 0; bit < CT_LABEL_BITS; bit++) {
		const char *name = ct_fmt_label_name(e, o->labels, bit);

		if (!name || !*name)
			continue;
		if (!first)
			ct_out_chr(w, ',');
		ct_out_str(w, name);
		first = false;
	}
	ct_out_str(w, space ? "\" " : " ");
}

static const char *const save_prefix[] = {
	[CT_FMT_EV_NONE] = "",
	[CT_FMT_EV_NEW] = "-A ",
	[CT_FMT_EV_UPDATE] = "-U ",
	[CT_FMT_EV_DESTROY] = "-D ",
};

/* Whether two addresses of family @l3 (AF_INET or AF_INET6) are equal. */
static bool addr_eq(uint8_t l3, const union ct_addr *a, const union ct_addr *b)
{
	if (l3 == AF_INET6)
		return memcmp(a->v6, b->v6, sizeof(a->v6)) == 0;
	return a->v4 == b->v4;
}

int ct_format_save(char *buf, size_t len, const struct ct_entry *e,
		   const struct ct_fmt_opts *o)
{
	const struct ct_tuple *ot, *rt;
	const struct ct_proto *p;
	struct ct_out w;
	uint8_t l3;
	bool dnat, snat;

	if (!e || !o || ct_out_start(&w, buf, len))
		return -EINVAL;
	ot = &e->orig;
	rt = &e->reply;
	l3 = ot->l3 ? ot->l3 : rt->l3;
	if (l3 != AF_INET && l3 != AF_INET6)
		return -EAFNOSUPPORT;

	ct_out_str(&w, save_prefix[o->event <= CT_FMT_EV_DESTROY ?
				o->event : CT_FMT_EV_NONE]);
	if (e->set & CT_TIMEOUT)
		ct_out_kv(&w, "-t ", e->timeout);
	if (e->set & CT_STATUS)
		save_status_opt(&w, e->status);
	/* -c cannot be given to -I/-A/-U/-D, so a save line with it could
	 * not be loaded back: only upstream's compatible form keeps it */
	if ((e->set & CT_SECMARK) && (o->flags & CT_FMT_SAVE_COMPAT))
		ct_out_kv(&w, "-c ", e->secmark);
	if (e->set & CT_ZONE)
		ct_out_kv(&w, "-w ", e->zone);
	if (ot->set & CT_TUPLE_ZONE)
		ct_out_kv(&w, "--orig-zone ", ot->zone);
	if (rt->set & CT_TUPLE_ZONE)
		ct_out_kv(&w, "--reply-zone ", rt->zone);

	/* nfct_getobjopt(NFCT_GOPT_IS_DNAT/SNAT), which compares IPv6
	 * addresses too (libnetfilter_conntrack 1.0.9 prints -g/-n for a
	 * NATed IPv6 flow) */
	dnat = ct_fmt_has_status(e, IPS_DST_NAT_DONE) &&
	       !addr_eq(ot->l3, &rt->src, &ot->dst);
	snat = ct_fmt_has_status(e, IPS_SRC_NAT_DONE) &&
	       !addr_eq(ot->l3, &rt->dst, &ot->src);
	save_addr(&w, "-s ", l3, ot, CT_TUPLE_SRC, &ot->src);
	save_addr(&w, "-d ", l3, ot, CT_TUPLE_DST, &ot->dst);
	save_addr(&w, dnat ? "-g " : "-r ", l3, rt, CT_TUPLE_SRC, &rt->src);
	save_addr(&w, snat ? "-n " : "-q ", l3, rt, CT_TUPLE_DST, &rt->dst);

	p = ct_proto_by_num(ot->l4);
	if (p->num && p->num == ot->l4) {
		ct_out_str(&w, "-p ");
		ct_out_str(&w, p->name);
		ct_out_chr(&w, ' ');
		save_l4(&w, e, p);
	} else {
		ct_out_kv(&w, "-p ", ot->l4);
	}
	if (!(o->flags & CT_FMT_SAVE_COMPAT) &&
	    (o->event == CT_FMT_EV_NEW || o->event == CT_FMT_EV_UPDATE))
		save_extra(&w, e, o);
	ct_out_trim(&w);
	return ct_out_end(&w);
}
