// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * General { Filter [From Userspace|Kernelspace] { ... } }: the Protocol,
 * Address and State sets with their Accept|Ignore logic. Items add to a
 * set as they are read and the logic is the one of the set's last block,
 * as upstream; a block, even empty, marks its set configured.
 *
 * Protocol names are looked up in a built-in copy of Debian's
 * /etc/protocols (netbase), names and aliases, case-sensitive, which is
 * what upstream's getprotobyname() matches on Debian; the file is not
 * read, so the parse does not depend on the host. mptcp (262) is left
 * out: it is no IP protocol number and upstream would set a bit past its
 * bitmap. Addresses are kept once each, masked to their prefix; a repeat
 * warns as upstream means to (its 1.4.7 warns unreliably).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sync/config_int.h"

static const struct {
	uint8_t num;
	const char *names[3];
} protos[] = {
	{ 0, { "ip", "IP" } }, { 0, { "hopopt", "HOPOPT" } },
	{ 1, { "icmp", "ICMP" } }, { 2, { "igmp", "IGMP" } },
	{ 3, { "ggp", "GGP" } }, { 4, { "ipencap", "IP-ENCAP" } },
	{ 5, { "st", "ST" } }, { 6, { "tcp", "TCP" } },
	{ 8, { "egp", "EGP" } }, { 9, { "igp", "IGP" } },
	{ 12, { "pup", "PUP" } }, { 17, { "udp", "UDP" } },
	{ 20, { "hmp", "HMP" } }, { 22, { "xns-idp", "XNS-IDP" } },
	{ 27, { "rdp", "RDP" } }, { 29, { "iso-tp4", "ISO-TP4" } },
	{ 33, { "dccp", "DCCP" } }, { 36, { "xtp", "XTP" } },
	{ 37, { "ddp", "DDP" } }, { 38, { "idpr-cmtp", "IDPR-CMTP" } },
	{ 41, { "ipv6", "IPv6" } }, { 43, { "ipv6-route", "IPv6-Route" } },
	{ 44, { "ipv6-frag", "IPv6-Frag" } }, { 45, { "idrp", "IDRP" } },
	{ 46, { "rsvp", "RSVP" } }, { 47, { "gre", "GRE" } },
	{ 50, { "esp", "IPSEC-ESP" } }, { 51, { "ah", "IPSEC-AH" } },
	{ 57, { "skip", "SKIP" } }, { 58, { "ipv6-icmp", "IPv6-ICMP" } },
	{ 59, { "ipv6-nonxt", "IPv6-NoNxt" } },
	{ 60, { "ipv6-opts", "IPv6-Opts" } },
	{ 73, { "rspf", "RSPF", "CPHB" } }, { 81, { "vmtp", "VMTP" } },
	{ 88, { "eigrp", "EIGRP" } }, { 89, { "ospf", "OSPFIGP" } },
	{ 93, { "ax.25", "AX.25" } }, { 94, { "ipip", "IPIP" } },
	{ 97, { "etherip", "ETHERIP" } }, { 98, { "encap", "ENCAP" } },
	{ 103, { "pim", "PIM" } }, { 108, { "ipcomp", "IPCOMP" } },
	{ 112, { "vrrp", "VRRP" } }, { 115, { "l2tp", "L2TP" } },
	{ 124, { "isis", "ISIS" } }, { 132, { "sctp", "SCTP" } },
	{ 133, { "fc", "FC" } },
	{ 135, { "mobility-header", "Mobility-Header" } },
	{ 136, { "udplite", "UDPLite" } },
	{ 137, { "mpls-in-ip", "MPLS-in-IP" } }, { 138, { "manet" } },
	{ 139, { "hip", "HIP" } }, { 140, { "shim6", "Shim6" } },
	{ 141, { "wesp", "WESP" } }, { 142, { "rohc", "ROHC" } },
	{ 143, { "ethernet", "Ethernet" } },
};

static int proto_find(const struct conf_token *t)
{
	for (size_t i = 0; i < CONF_N(protos); i++)
		for (size_t j = 0; j < 3 && protos[i].names[j]; j++)
			if (strlen(protos[i].names[j]) == t->len &&
			    !memcmp(protos[i].names[j], t->p, t->len))
				return protos[i].num;
	return -1;
}

/* FNV-1a of what makes two entries the same. */
static uint32_t net_hash(const struct sync_conf_net *n)
{
	uint32_t h = 2166136261u;

	h = (h ^ n->family) * 16777619u;
	h = (h ^ n->plen) * 16777619u;
	for (size_t i = 0; i < sizeof(n->addr.v6); i++)
		h = (h ^ n->addr.v6[i]) * 16777619u;
	return h;
}

static int net_same(const struct sync_conf_net *a,
		    const struct sync_conf_net *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !memcmp(a->addr.v6, b->addr.v6, sizeof(a->addr.v6));
}

/* The slot of @n in the index: where it is, or the free one to use. */
static uint32_t *net_slot(struct conf_parser *ps,
			  const struct sync_conf_net *n)
{
	const struct sync_conf_net *nets = ps->c->filter.nets;
	size_t mask = ps->n_slots - 1, i = net_hash(n) & mask;

	while (ps->slots[i] && !net_same(&nets[ps->slots[i] - 1], n))
		i = (i + 1) & mask;
	return &ps->slots[i];
}

/* Room for one more network: the array and an index twice its size. */
static int net_room(struct conf_parser *ps)
{
	struct sync_conf_filter *f = &ps->c->filter;
	struct sync_conf_net *nets = f->nets;
	size_t cap = ps->nets_cap;

	if (ps->slots && f->n_nets < cap)
		return 0;
	if (f->n_nets >= cap) {
		if (cap >= CONF_NETS_MAX)
			return conf_fail(ps, "too many addresses in Filter "
					 "(Maximum: %u)", CONF_NETS_MAX);
		cap = cap ? cap * 2 : 16;
		nets = realloc(f->nets, cap * sizeof(*nets));
		if (!nets)
			return -ENOMEM;
		f->nets = nets;
		ps->nets_cap = cap;
	}
	free(ps->slots);
	ps->n_slots = cap * 2;
	ps->slots = calloc(ps->n_slots, sizeof(*ps->slots));
	if (!ps->slots)
		return -ENOMEM;
	for (size_t i = 0; i < f->n_nets; i++)
		*net_slot(ps, &f->nets[i]) = (uint32_t)i + 1;
	return 0;
}

/* Adds @n unless it is there; *@dup says which. */
static int net_add(struct conf_parser *ps, const struct sync_conf_net *n,
		   int *dup)
{
	struct sync_conf_filter *f = &ps->c->filter;
	uint32_t *slot;
	int r = net_room(ps);

	if (r < 0)
		return r;
	slot = net_slot(ps, n);
	*dup = *slot != 0;
	if (!*dup) {
		f->nets[f->n_nets] = *n;
		*slot = (uint32_t)++f->n_nets;
	}
	return 0;
}

/* IPv4_address a.b.c.d[/n] or IPv6_address x::y[/n] in a Filter. */
static int filter_addr(struct conf_parser *ps, int family)
{
	const struct conf_token *t = &ps->tok;
	const char *slash = memchr(t->p, '/', t->len);
	int alen = (int)(slash ? slash - t->p : (ptrdiff_t)t->len);
	unsigned int bits = family == AF_INET ? 32 : 128;
	const char *v = family == AF_INET ? "IPv4" : "IPv6";
	struct sync_conf_net n = { .family = (uint8_t)family };
	uint64_t cidr = bits;
	int r, dup;

	if (slash) {
		const char *d = slash + 1, *end = t->p + t->len;

		for (cidr = 0; d < end && cidr <= bits; d++)
			cidr = cidr * 10 + (uint64_t)(*d - '0');
		for (d = slash + 1; d + 1 < end && *d == '0'; d++)
			;
		if (cidr > bits) {
			conf_warn(ps, "%.*s/%.*s is not a valid network, "
				  "ignoring", alen, t->p, (int)(end - d), d);
			return 0;
		}
	}
	r = family == AF_INET ? conf_ipv4(t->p, (size_t)alen, &n.addr.v4) :
				conf_ipv6(t->p, (size_t)alen, n.addr.v6);
	if (r < 0) {
		conf_warn(ps, "%.*s is not a valid %s, ignoring", alen, t->p,
			  v);
		return 0;
	}
	n.plen = (uint8_t)cidr;
	for (unsigned int b = n.plen; b < bits; b++)
		n.addr.v6[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
	r = net_add(ps, &n, &dup);
	if (!r && dup)
		conf_warn(ps, "%s %.*s is repeated in the ignore pool",
			  n.plen < bits ? "netmask" : "IP", alen, t->p);
	return r;
}

/* Opens `Accept|Ignore {': *@ignore says which; the lookahead is then
 * the first item. */
static int logic_open(struct conf_parser *ps, uint8_t *ignore)
{
	conf_next(ps);
	if (ps->tok.type != K_ACCEPT && ps->tok.type != K_IGNORE)
		return conf_syntax(ps);
	*ignore = ps->tok.type == K_IGNORE;
	conf_next(ps);
	return conf_expect(ps, '{');
}

/* At the '}' of a set: configured, with this block's logic. */
static void logic_close(struct conf_parser *ps, unsigned int set,
			uint8_t *logic, uint8_t ignore)
{
	ps->c->filter.set |= (uint8_t)set;
	*logic = ignore;
	conf_next(ps);
}

static int filter_proto(struct conf_parser *ps, void *base)
{
	struct sync_conf_filter *f = &ps->c->filter;
	uint8_t ignore = 0;
	int r = logic_open(ps, &ignore), p;

	while (!r && !sync_conf_lex_is(&ps->tok, '}')) {
		if (ps->tok.type == K_TCP)
			p = 6;
		else if (ps->tok.type == K_UDP)
			p = 17;
		else if (ps->tok.type == TOK_STRING)
			p = proto_find(&ps->tok);
		else
			return conf_syntax(ps);
		if (p < 0)
			conf_warn(ps, "getprotobyname() cannot find protocol "
				  "`%.*s' in /etc/protocols",
				  (int)ps->tok.len, ps->tok.p);
		else
			f->proto[p / 8] |= (uint8_t)(1u << (p % 8));
		conf_next(ps);
	}
	if (!r)
		logic_close(ps, SYNC_FILTER_PROTO, &f->proto_ignore, ignore);
	return r;
}

static int filter_address(struct conf_parser *ps, void *base)
{
	struct sync_conf_filter *f = &ps->c->filter;
	uint8_t ignore = 0;
	int r = logic_open(ps, &ignore), family;

	while (!r && !sync_conf_lex_is(&ps->tok, '}')) {
		if (ps->tok.type == K_IPV4_ADDR)
			family = AF_INET;
		else if (ps->tok.type == K_IPV6_ADDR)
			family = AF_INET6;
		else
			return conf_syntax(ps);
		conf_next(ps);
		if (ps->tok.type != TOK_IP)
			return conf_syntax(ps);
		r = filter_addr(ps, family);
		conf_next(ps);
	}
	if (!r)
		logic_close(ps, SYNC_FILTER_ADDR, &f->addr_ignore, ignore);
	return r;
}

/* { SYN_SENT ... LISTEN for TCP ... }: the keywords are in the order of
 * the kernel's TCP_CONNTRACK_* from SYN_SENT (1) to LISTEN (9). A list
 * must end with `for TCP', an empty one may. */
static int filter_state(struct conf_parser *ps, void *base)
{
	struct sync_conf_filter *f = &ps->c->filter;
	uint8_t ignore = 0;
	int r = logic_open(ps, &ignore), open = 0;

	while (!r && !(sync_conf_lex_is(&ps->tok, '}') && !open)) {
		if (ps->tok.type >= K_SYN_SENT && ps->tok.type <= K_LISTEN) {
			f->states |= (uint16_t)(1u << (ps->tok.type -
						      K_SYN_SENT + 1));
			open = 1;
		} else if (ps->tok.type == K_FOR) {
			conf_next(ps);
			if (ps->tok.type != K_TCP)
				return conf_syntax(ps);
			open = 0;
		} else {
			return conf_syntax(ps);
		}
		conf_next(ps);
	}
	if (!r)
		logic_close(ps, SYNC_FILTER_STATE, &f->state_ignore, ignore);
	return r;
}

static const struct conf_key filter_keys[] = {
	{ .tok = K_PROTOCOL, .kind = KEY_FN, .fn = filter_proto },
	{ .tok = K_ADDRESS, .kind = KEY_FN, .fn = filter_address },
	{ .tok = K_STATE, .kind = KEY_FN, .fn = filter_state },
};

int conf_filter(struct conf_parser *ps, void *base)
{
	uint8_t kernel = 0;
	int r;

	conf_next(ps);
	if (ps->tok.type == K_FROM) {
		conf_next(ps);
		kernel = ps->tok.type == K_KERNELSPACE;
		if (!kernel && ps->tok.type != K_USERSPACE)
			return conf_syntax(ps);
		conf_next(ps);
	}
	r = conf_block(ps, filter_keys, CONF_N(filter_keys), base);
	if (r < 0)
		return r;
	ps->c->filter.kernelspace = kernel;
	conf_next(ps);
	return 0;
}
