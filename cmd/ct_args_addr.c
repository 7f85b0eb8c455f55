// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command-line values that are not plain numbers: addresses with CIDR
 * masks (upstream nfct_parse_addr_from_opt), NAT ADDR[:PORT] arguments
 * (split_address_and_port), the -u status list with negation and
 * UNREPLIED (parse_parameter_mask) and the comma lists of -e and -o
 * matched by case-insensitive prefix (do_parse_parameter), with the
 * SRC_NAT/DST_NAT quirk upstream has.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "cmd/ct_args_int.h"
#include "nl/uapi.h"

int ct_args_set_family(struct ct_parse *p, int family)
{
	if (p->a->family == AF_UNSPEC)
		p->a->family = family;
	else if (p->a->family != family)
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "mismatched address family");
	return 0;
}

const char *ct_args_long_name(const struct ct_parse *p, int val)
{
	for (int i = 0; i < p->nlo; i++)
		if (p->lo[i].val == val)
			return p->lo[i].name;
	return "unknown";
}

/* parse_addr(): @mask gets -1 (none), -2 (bad) or the prefix length. The
 * address is read from a copy truncated to INET6_ADDRSTRLEN - 1 bytes,
 * by inet_aton (so "10.1" is 10.0.0.1) then inet_pton(AF_INET6). */
static int parse_addr(const char *cp, union ct_addr *addr, int *mask)
{
	char buf[INET6_ADDRSTRLEN], *slash, *end;
	struct in_addr a4;

	strncpy(buf, cp, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	*mask = -1;
	slash = strchr(buf, '/');
	if (slash) {
		long m;

		errno = 0;
		m = strtol(slash + 1, &end, 10);
		if (m < 0 || m > INT_MAX || end != slash + strlen(slash))
			*mask = -2;
		else
			*mask = (int)m;
		*slash = '\0';
	}
	memset(addr, 0, sizeof(*addr));
	if (inet_aton(buf, &a4)) {
		memcpy(addr->v6, &a4, 4);
		if (*mask > 32)
			*mask = -2;
		return AF_INET;
	}
	if (inet_pton(AF_INET6, buf, addr->v6) > 0) {
		if (*mask > 128)
			*mask = -2;
		return AF_INET6;
	}
	return AF_UNSPEC;
}

static void netmask(union ct_addr *m, int bits, int family)
{
	int n = family == AF_INET6 ? 16 : 4;

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < n; i++) {
		if (bits >= 8)
			m->v6[i] = 0xff;
		else if (bits > 0)
			m->v6[i] = (uint8_t)(0xff << (8 - bits));
		bits = bits > 8 ? bits - 8 : 0;
	}
}

static void set_tuple_addr(struct ct_tuple *t, int dst, int family,
			   const union ct_addr *ad)
{
	t->l3 = (uint8_t)family;
	if (dst) {
		t->dst = *ad;
		t->set |= CT_TUPLE_DST;
	} else {
		t->src = *ad;
		t->set |= CT_TUPLE_SRC;
	}
}

/* -s -d -r -q --tuple-src/dst --mask-src/dst. */
int ct_args_addr_opt(struct ct_parse *p, int opt, const char *arg)
{
	struct ct_args *a = p->a;
	union ct_addr ad;
	int family, mask, maskopt = 0;

	family = parse_addr(arg, &ad, &mask);
	if (family == AF_UNSPEC)
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "Invalid IP address `%s'", arg);
	if (ct_args_set_family(p, family) < 0)
		return -1;
	if (opt == 's' || opt == '[')
		maskopt = '{';
	else if (opt == 'd' || opt == ']')
		maskopt = '}';
	if (mask != -1 && !maskopt)
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "CIDR notation unavailable for `--%s'",
				    ct_args_long_name(p, opt));
	if (mask == -2)
		return ct_args_fail(p, CT_EXIT_PARAM, "Invalid netmask");

	switch (opt) {
	case 's':
		a->options |= CT_OPT_ORIG_SRC;
		set_tuple_addr(&a->tmpl.orig, 0, family, &ad);
		a->tmpl.set |= CT_ORIG;
		break;
	case 'd':
		a->options |= CT_OPT_ORIG_DST;
		set_tuple_addr(&a->tmpl.orig, 1, family, &ad);
		a->tmpl.set |= CT_ORIG;
		break;
	case 'r':
		a->options |= CT_OPT_REPL_SRC;
		set_tuple_addr(&a->tmpl.reply, 0, family, &ad);
		a->tmpl.set |= CT_REPLY;
		break;
	case 'q':
		a->options |= CT_OPT_REPL_DST;
		set_tuple_addr(&a->tmpl.reply, 1, family, &ad);
		a->tmpl.set |= CT_REPLY;
		break;
	case '[':
		a->options |= CT_OPT_EXP_SRC;
		set_tuple_addr(&a->exp_tuple, 0, family, &ad);
		break;
	case ']':
		a->options |= CT_OPT_EXP_DST;
		set_tuple_addr(&a->exp_tuple, 1, family, &ad);
		break;
	case '{':
		a->options |= CT_OPT_MASK_SRC;
		set_tuple_addr(&a->exp_mask, 0, family, &ad);
		p->have_mask[0] = 1;
		break;
	case '}':
		a->options |= CT_OPT_MASK_DST;
		set_tuple_addr(&a->exp_mask, 1, family, &ad);
		p->have_mask[1] = 1;
		break;
	}
	if (mask < 0 || !maskopt)
		return 0;
	if ((family == AF_INET && mask == 32) ||
	    (family == AF_INET6 && mask == 128))
		return 0;
	netmask(&ad, mask, family);
	return ct_args_addr_opt_mask(p, maskopt, family, &ad);
}

/* The implicit --mask-src/--mask-dst of a CIDR address. */
int ct_args_addr_opt_mask(struct ct_parse *p, int maskopt, int family,
			  const union ct_addr *m)
{
	int dst = maskopt == '}';

	p->a->options |= dst ? CT_OPT_MASK_DST : CT_OPT_MASK_SRC;
	set_tuple_addr(&p->a->exp_mask, dst, family, m);
	p->have_mask[dst] = 1;
	return 0;
}

/* valid_port(): digits only, at most 65535. */
static int valid_port(const char *s)
{
	unsigned long v = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return 0;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 65535)
			return 0;
	}
	return 1;
}

static void set_nat(struct ct_args *a, int which, int family,
		    const union ct_addr *ad, long port)
{
	struct ct_filter_nat *n = which == 'n' ? &a->filter.snat :
						 &a->filter.dnat;
	struct ct_nat *c = which == 'n' ? &a->tmpl.snat : &a->tmpl.dnat;

	n->has_addr = 1;
	n->l3 = (uint8_t)family;
	n->addr = *ad;
	c->min_ip = c->max_ip = *ad;
	a->tmpl.set |= which == 'n' ? CT_SNAT : CT_DNAT;
	if (port >= 0) {
		n->has_port = 1;
		n->port = (uint16_t)port;
		c->min_port = c->max_port = (uint16_t)port;
		c->has_port = 1;
	}
}

/* -n/-g/-j [ADDR[:PORT]]: the argument is the next word, if it does not
 * start with '-' or '!', and only when none was attached (upstream's
 * get_optional_arg: "-n1.2.3.4" and "--src-nat=..." lose the address). */
int ct_args_nat_opt(struct ct_parse *p, int opt)
{
	struct ct_args *a = p->a;
	struct ct_getopt *g = &p->g;
	char addr[INET6_ADDRSTRLEN + 64];
	const char *arg, *cur, *port_str = NULL;
	union ct_addr ad;
	int family, mask;
	long port = -1;

	a->options |= opt == 'n' ? CT_OPT_SRC_NAT :
		      opt == 'g' ? CT_OPT_DST_NAT : CT_OPT_ANY_NAT;
	if (g->optarg || g->optind >= g->argc ||
	    g->argv[g->optind][0] == '-' || g->argv[g->optind][0] == '!')
		return 0;
	arg = g->argv[g->optind++];

	cur = strchr(arg, '[');
	if (cur) {
		const char *start = cur + 1;

		cur = strchr(start, ']');
		if (cur == start)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "No IPv6 address specified");
		if (!cur)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "No closing ']' around IPv6 address");
		size_t len = (size_t)(cur - start);
		cur = strchr(cur, ':');
		if (cur) {
			if (len >= sizeof(addr))
				len = sizeof(addr) - 1;
			memcpy(addr, start, len);
			addr[len] = '\0';
		}
	} else {
		cur = strchr(arg, ':');
		if (cur && !strchr(cur + 1, ':')) {
			size_t len = (size_t)(cur - arg);

			if (len >= sizeof(addr))
				len = sizeof(addr) - 1;
			memcpy(addr, arg, len);
			addr[len] = '\0';
		} else {
			cur = NULL;
		}
	}
	if (cur) {
		cur++;
		if (!*cur)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "No port specified after `:'");
		if (!valid_port(cur))
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "Invalid port `%s'", cur);
		port_str = cur;
		port = strtol(port_str, NULL, 10);
	} else {
		size_t len = strlen(arg);

		if (len >= sizeof(addr))
			len = sizeof(addr) - 1;
		memcpy(addr, arg, len);
		addr[len] = '\0';
	}

	family = parse_addr(addr, &ad, &mask);
	if (family == AF_UNSPEC)
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "Invalid IP address `%s'", addr);
	if (ct_args_set_family(p, family) < 0)
		return -1;
	if (mask != -1)
		return ct_args_fail(p, CT_EXIT_PARAM,
				    "CIDR notation unavailable for `--%s'",
				    ct_args_long_name(p, opt));
	if (opt == 'j') {
		set_nat(a, 'g', family, &ad, port);
		set_nat(a, 'n', family, &ad, port);
	} else {
		set_nat(a, opt, family, &ad, port);
	}
	return 0;
}

static const struct {
	const char *word[9];
	unsigned int value[9];
} enums[] = {
	[CT_ENUM_EVENT] = {
		{ "ALL", "NEW", "UPDATES", "DESTROY" },
		{ CT_EV_ALL, CT_EV_NEW, CT_EV_UPDATE, CT_EV_DESTROY },
	},
	[CT_ENUM_OUTPUT] = {
		{ "xml", "extended", "timestamp", "id", "ktimestamp",
		  "labels", "userspace", "save", "json" },
		{ CT_OUT_XML, CT_OUT_EXT, CT_OUT_TMS, CT_OUT_ID, CT_OUT_KTMS,
		  CT_OUT_LABELS, CT_OUT_USERSPACE, CT_OUT_SAVE, CT_OUT_JSON },
	},
};

static const struct {
	const char *word;
	uint32_t value;
} status_words[] = {
	{ "ASSURED", IPS_ASSURED }, { "SEEN_REPLY", IPS_SEEN_REPLY },
	{ "UNSET", 0 }, { "FIXED_TIMEOUT", IPS_FIXED_TIMEOUT },
	{ "EXPECTED", IPS_EXPECTED }, { "OFFLOAD", 1U << 14 },
	{ "HW_OFFLOAD", 1U << 15 },
};

/* do_parse_parameter(): the first @len bytes of @s matched as a prefix;
 * SRC_NAT/DST_NAT are tried first and only warn. 1 if matched. */
static int one_word(struct ct_parse *p, const char *s, size_t len,
		    unsigned int *value, int type)
{
	if (!strncasecmp(s, "SRC_NAT", len)) {
		ct_args_warn(p, "WARNING: ignoring SRC_NAT, use --src-nat instead");
		return 1;
	}
	if (!strncasecmp(s, "DST_NAT", len)) {
		ct_args_warn(p, "WARNING: ignoring DST_NAT, use --dst-nat instead");
		return 1;
	}
	if (type < 0) {
		for (size_t i = 0; i < sizeof(status_words) /
				       sizeof(status_words[0]); i++)
			if (!strncasecmp(s, status_words[i].word, len)) {
				*value |= status_words[i].value;
				return 1;
			}
		return 0;
	}
	for (size_t i = 0; i < 9 && enums[type].word[i]; i++)
		if (!strncasecmp(s, enums[type].word[i], len)) {
			*value |= enums[type].value[i];
			return 1;
		}
	return 0;
}

int ct_args_enum(struct ct_parse *p, const char *arg, unsigned int *value,
		 int type)
{
	const char *comma;

	while ((comma = strchr(arg, ',')) != NULL) {
		if (comma == arg ||
		    !one_word(p, arg, (size_t)(comma - arg), value, type))
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "Bad parameter `%s'", arg);
		arg = comma + 1;
	}
	if (!*arg || !one_word(p, arg, strlen(arg), value, type))
		return ct_args_fail(p, CT_EXIT_PARAM, "Bad parameter `%s'", arg);
	return 0;
}

/* -u: items are status words, "!WORD" (must be clear) or UNREPLIED
 * (= !SEEN_REPLY). Upstream keeps negated bits as the kernel mask only;
 * here the mask also covers the positive bits, see ct_args.h. */
int ct_args_status(struct ct_parse *p, const char *arg)
{
	static const char unreplied[] = "UNREPLIED";
	const char *comma;
	unsigned int v;
	int neg;

	for (;;) {
		size_t len;

		comma = strchr(arg, ',');
		if (comma == arg)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "Bad parameter `%s'", arg);
		neg = *arg == '!';
		if (neg)
			arg++;
		if (comma && comma == arg)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "Bad parameter `%s'", arg);
		if (!neg && !strncmp(arg, unreplied, strlen(unreplied))) {
			p->status_neg |= IPS_SEEN_REPLY;
			p->unreplied = 1;
			if (!comma)
				return 0;
			arg = comma + 1;
			continue;
		}
		len = comma ? (size_t)(comma - arg) : strlen(arg);
		v = 0;
		if (!len || !one_word(p, arg, len, &v, -1))
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "Bad parameter `%s'", arg);
		if (neg)
			p->status_neg |= v;
		else
			p->status |= v;
		if (!comma)
			return 0;
		arg = comma + 1;
	}
}
