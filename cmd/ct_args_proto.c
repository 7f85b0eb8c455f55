// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The protocol extensions of conntrack(8) (extensions/libct_proto_*.c,
 * tabled in cmd/ct_args_xproto.c): finding the one -p names, the values
 * of the long options each one adds after -p, the generic command x
 * option check and the final check of each, and the -h -p text. Numbers
 * are checked strictly and may be hexadecimal (see ct_args.h); everything
 * else is upstream's.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/ct_args_int.h"
#include "ct/proto.h"
#include "nl/uapi.h"

/* findproto(): extension name (any case), /etc/protocols name (the
 * unknown handler with that number), or a number 0..255 (strtoul base
 * 0, wholly numeric). */
/* getprotobyname() and getprotobynumber() answer in a static buffer; -R
 * checks big files in two threads (cmd/ct_load.c). */
static pthread_mutex_t protodb = PTHREAD_MUTEX_INITIALIZER;

void ct_args_proto_dbname(uint8_t num, char *buf, size_t len)
{
	struct protoent *pe;

	pthread_mutex_lock(&protodb);
	pe = getprotobynumber(num);
	snprintf(buf, len, "%s", pe ? pe->p_name : "unknown");
	pthread_mutex_unlock(&protodb);
}

int ct_args_proto_find(const char *name, int *xproto, uint8_t *num)
{
	struct protoent *pe;
	int proto;
	unsigned long v;
	char *end;

	for (unsigned int i = 1; i < ct_nxprotos; i++)
		if (!strcasecmp(ct_xprotos[i].name, name)) {
			*xproto = (int)i;
			*num = ct_xprotos[i].num;
			return 0;
		}
	pthread_mutex_lock(&protodb);
	pe = getprotobyname(name);
	proto = pe ? pe->p_proto : -1;
	pthread_mutex_unlock(&protodb);
	if (proto >= 0 && proto <= 255) {
		*xproto = CT_XPROTO_UNKNOWN;
		*num = (uint8_t)proto;
		return 0;
	}
	v = strtoul(name, &end, 0);
	if (end == name || *end || v > 255)
		return -EINVAL;
	*num = (uint8_t)v;
	*xproto = CT_XPROTO_UNKNOWN;
	for (unsigned int i = 1; i < ct_nxprotos; i++)
		if (ct_xprotos[i].num == v)
			*xproto = (int)i;
	return 0;
}

/* Decimal digits (leading zeros stay decimal, as upstream's atoi reads
 * them) or 0x/0X and hex digits; with @base0 strtoul base 0 (GRE keys:
 * octal too, as upstream reads them). No sign or blanks; at most @max. */
static int number(const char *s, unsigned long max, int base0,
		  unsigned long *out)
{
	const char *d = s;
	int base = base0 ? 0 : 10;
	unsigned long v;
	char *end;

	if (!base0 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		d = s + 2;
	}
	if (!*d || !(base == 16 ? isxdigit((unsigned char)*d) :
				  isdigit((unsigned char)*d)))
		return -EINVAL;
	errno = 0;
	v = strtoul(d, &end, base);
	/* base 16 would take a second 0x: "0x0x5" ends at the x */
	if (*end || errno || v > max ||
	    (base == 16 && strspn(d, "0123456789abcdefABCDEF") != strlen(d)))
		return -EINVAL;
	*out = v;
	return 0;
}

static void set_port(struct ct_tuple *t, int dst, uint8_t l4, uint16_t v)
{
	t->l4 = l4;
	t->set |= CT_TUPLE_PROTO | (dst ? CT_TUPLE_DPORT : CT_TUPLE_SPORT);
	if (dst)
		t->dport = v;
	else
		t->sport = v;
}

static int state_opt(struct ct_parse *p, const struct ct_xproto *x,
		     const char *arg)
{
	struct ct_args *a = p->a;
	int st = ct_proto_state_parse(ct_proto_by_num(x->num), arg);

	switch (x->num) {
	case IPPROTO_TCP:
		if (st < 0)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "unknown TCP state `%s'", arg);
		a->tmpl.tcp.state = (uint8_t)st;
		a->tmpl.set |= CT_TCP;
		break;
	case IPPROTO_SCTP:
		/* upstream's table ends at SHUTDOWN_ACK_SENT */
		if (st < 0 || st > 7)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "unknown SCTP state `%s'", arg);
		a->tmpl.sctp.state = (uint8_t)st;
		a->tmpl.set |= CT_SCTP;
		break;
	default:
		if (st < 0)
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "Unknown DCCP state `%s'", arg);
		a->tmpl.dccp.state = (uint8_t)st;
		a->tmpl.set |= CT_DCCP;
		break;
	}
	return 0;
}

/* One protocol option: @op_index into the current extension's table. */
int ct_args_proto_opt(struct ct_parse *p, int op_index, const char *arg)
{
	const struct ct_xproto *x = &ct_xprotos[p->h];
	const struct ct_xopt *o = &x->opts[op_index];
	struct ct_args *a = p->a;
	unsigned long v, max = 65535;
	int gre = x->kind == CT_L4_GRE;

	switch (o->op) {
	case XO_STATE:
		if (state_opt(p, x, arg) < 0)
			return -1;
		goto flag;
	case XO_ROLE:
		if (*arg && !strncasecmp(arg, "client", strlen(arg)))
			a->tmpl.dccp.role = 1;
		else if (*arg && !strncasecmp(arg, "server", strlen(arg)))
			a->tmpl.dccp.role = 2;
		else
			return ct_args_fail(p, CT_EXIT_PARAM,
					    "Unknown DCCP role `%s'", arg);
		a->tmpl.set |= CT_DCCP;
		goto flag;
	case XO_OVTAG:
	case XO_RVTAG:
		max = UINT32_MAX;
		break;
	case XO_ICMP_TYPE:
	case XO_ICMP_CODE:
		max = 255;
		break;
	default:
		break;
	}
	if (number(arg, max, gre, &v) < 0)
		return ct_args_fail(p, CT_EXIT_OTHER,
				    "unexpected value '%s' with --%s option",
				    arg, o->name);

	switch (o->op) {
	case XO_SPORT:
	case XO_DPORT:
		set_port(&a->tmpl.orig, o->op == XO_DPORT, x->num, (uint16_t)v);
		a->tmpl.set |= CT_ORIG;
		break;
	case XO_RSPORT:
	case XO_RDPORT:
		set_port(&a->tmpl.reply, o->op == XO_RDPORT, x->num,
			 (uint16_t)v);
		a->tmpl.set |= CT_REPLY;
		break;
	case XO_MSPORT:
	case XO_MDPORT:
		set_port(&a->exp_mask, o->op == XO_MDPORT, x->num, (uint16_t)v);
		break;
	case XO_TSPORT:
	case XO_TDPORT:
		/* upstream's sctp/dccp store the port as the protocol
		 * (spec section 5); the port is what they mean */
		set_port(&a->exp_tuple, o->op == XO_TDPORT, x->num,
			 (uint16_t)v);
		break;
	case XO_OVTAG:
	case XO_RVTAG:
		/* upstream sets htonl(atoi()) and libnetfilter_conntrack
		 * converts again: the kernel gets the tag byte-swapped, and
		 * -o save swaps it back; do the same so entries round-trip
		 * between the two tools */
		a->tmpl.sctp.vtag[o->op == XO_RVTAG] = htonl((uint32_t)v);
		a->tmpl.set |= CT_SCTP_VTAGS;
		break;
	case XO_ICMP_TYPE:
	case XO_ICMP_CODE:
	case XO_ICMP_ID: {
		struct ct_tuple *t = &a->tmpl.orig;

		if (o->op == XO_ICMP_TYPE) {
			t->icmp_type = (uint8_t)v;
			t->set |= CT_TUPLE_ICMP_TYPE;
		} else if (o->op == XO_ICMP_CODE) {
			t->icmp_code = (uint8_t)v;
			t->set |= CT_TUPLE_ICMP_CODE;
		} else {
			t->icmp_id = (uint16_t)v;
			t->set |= CT_TUPLE_ICMP_ID;
		}
		t->l4 = x->num;
		t->set |= CT_TUPLE_PROTO;
		a->tmpl.set |= CT_ORIG;
		break;
	}
	default:
		break;
	}
flag:
	a->l4flags |= 1U << o->bit;
	return 0;
}

/* generic_opt_check(): required and illegal options by @row, then, if the
 * row has a tuple cell (3), whether one of @pairs is complete; *@partial
 * gets the first pair partly given (-1 none). 1 ok, 0 no pair, -1 error. */
int ct_args_generic_check(struct ct_parse *p, uint32_t given, int nopts,
			  const uint8_t *row, const char *const *names,
			  const uint32_t *pairs, int *partial)
{
	int special = 0;

	for (int i = 0; i < nopts; i++) {
		uint8_t cell = row ? row[i] : X_ILL;

		if (!(given & (1U << i))) {
			if (cell == X_REQ)
				return ct_args_fail(p, CT_EXIT_PARAM,
					"You need to supply the `--%s' option "
					"for this command", names[i]);
		} else if (cell == X_ILL) {
			return ct_args_fail(p, CT_EXIT_PARAM,
				"Illegal option `--%s' with this command",
				names[i]);
		}
		if (cell == X_TUP)
			special = 1;
	}
	if (!special || !pairs)
		return 1;
	*partial = -1;
	for (int i = 0; i < 2; i++) {
		if ((given & pairs[i]) == pairs[i])
			return 1;
		if ((given & pairs[i]) && *partial < 0)
			*partial = i;
	}
	return 0;
}

/* final_check() of the extension, for every command but -h. */
int ct_args_proto_final(struct ct_parse *p, unsigned int cmd)
{
	const struct ct_xproto *x = &ct_xprotos[p->h];
	struct ct_args *a = p->a;
	static const uint32_t pairs[2] = { 0x3, 0xc };
	int partial = -1, r;

	if (p->h == CT_XPROTO_UNKNOWN) {
		/* copies the protocol to the reply tuple */
		a->tmpl.reply.l4 = a->tmpl.orig.l4;
		a->tmpl.reply.set |= CT_TUPLE_PROTO;
		return 0;
	}
	r = ct_args_generic_check(p, a->l4flags, x->nflags,
				  cmd < CT_CMD_MAX ? x->matrix[cmd] : NULL,
				  x->flagnames, x->tuple_msg[0] ? pairs : NULL,
				  &partial);
	if (r < 0)
		return -1;
	if (r == 0)
		return ct_args_fail(p, CT_EXIT_PARAM, "%s",
				    x->tuple_msg[partial == 1]);
	if ((x->kind == CT_L4_ICMP || x->kind == CT_L4_ICMPV6) &&
	    (a->tmpl.reply.set & (CT_TUPLE_SRC | CT_TUPLE_DST))) {
		/* the ICMP options name the orig tuple; the reply one has
		 * the paired type, as libnetfilter_conntrack's setters
		 * give it (there only when -s/-d and -r/-q come before the
		 * ICMP options) */
		a->tmpl.reply.l4 = x->num;
		a->tmpl.reply.set |= CT_TUPLE_PROTO;
		ct_proto_icmp_reply(&a->tmpl.orig, &a->tmpl.reply);
	}
	if (x->num == IPPROTO_TCP) {
		/* manual entries bypass window tracking */
		uint8_t fl = CT_TCP_FLAG_BE_LIBERAL | CT_TCP_FLAG_SACK_PERM;

		if ((a->tmpl.set & CT_TCP) && a->tmpl.tcp.state >= 7)
			fl |= CT_TCP_FLAG_CLOSE_INIT;
		for (int d = 0; d < 2; d++)
			a->tmpl.tcp.flags[d] = a->tmpl.tcp.mask[d] = fl;
		a->tmpl.set |= CT_TCP_FLAGS;
	}
	return 0;
}

const char *ct_args_proto_help(const struct ct_args *a)
{
	if (!(a->options & CT_OPT_PROTO))
		return NULL;
	return ct_xprotos[a->xproto].help;
}
