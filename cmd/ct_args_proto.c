// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The protocol extensions of conntrack(8) (extensions/libct_proto_*.c):
 * the long options each one adds after -p, their values, the command x
 * option matrix and final check of each, and the -h -p text. Numbers are
 * checked strictly and may be hexadecimal (see ct_args.h); everything
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

#define NOPTS(a) ((uint8_t)(sizeof(a) / sizeof((a)[0])))

/* ---- option tables ---------------------------------------------------- */

#define PORT_OPTS(st) \
	{ "orig-port-src", XO_SPORT, 0 }, { "sport", XO_SPORT, 0 }, \
	{ "orig-port-dst", XO_DPORT, 1 }, { "dport", XO_DPORT, 1 }, \
	{ "reply-port-src", XO_RSPORT, 2 }, \
	{ "reply-port-dst", XO_RDPORT, 3 }, \
	{ "mask-port-src", XO_MSPORT, 4 }, \
	{ "mask-port-dst", XO_MDPORT, 5 }, \
	{ "tuple-port-src", XO_TSPORT, (st) ? 7 : 6 }, \
	{ "tuple-port-dst", XO_TDPORT, (st) ? 8 : 7 }

static const struct ct_xopt tcp_opts[] = {
	PORT_OPTS(1), { "state", XO_STATE, 6 },
};
static const struct ct_xopt udp_opts[] = { PORT_OPTS(0) };
static const struct ct_xopt sctp_opts[] = {
	PORT_OPTS(1), { "state", XO_STATE, 6 },
	{ "orig-vtag", XO_OVTAG, 9 }, { "reply-vtag", XO_RVTAG, 10 },
};
static const struct ct_xopt dccp_opts[] = {
	PORT_OPTS(1), { "state", XO_STATE, 6 }, { "role", XO_ROLE, 9 },
};
static const struct ct_xopt icmp_opts[] = {
	{ "icmp-type", XO_ICMP_TYPE, 0 }, { "icmp-code", XO_ICMP_CODE, 1 },
	{ "icmp-id", XO_ICMP_ID, 2 },
};
static const struct ct_xopt icmpv6_opts[] = {
	{ "icmpv6-type", XO_ICMP_TYPE, 0 }, { "icmpv6-code", XO_ICMP_CODE, 1 },
	{ "icmpv6-id", XO_ICMP_ID, 2 },
};
static const struct ct_xopt gre_opts[] = {
	{ "orig-key-src", XO_SPORT, 0 }, { "srckey", XO_SPORT, 0 },
	{ "orig-key-dst", XO_DPORT, 1 }, { "dstkey", XO_DPORT, 1 },
	{ "reply-key-src", XO_RSPORT, 2 }, { "reply-key-dst", XO_RDPORT, 3 },
	{ "mask-key-src", XO_MSPORT, 4 }, { "mask-key-dst", XO_MDPORT, 5 },
	{ "tuple-key-src", XO_TSPORT, 6 }, { "tuple-key-dst", XO_TDPORT, 7 },
};

static const char *const tcp_names[] = { "sport", "dport",
	"reply-port-src", "reply-port-dst", "mask-port-src", "mask-port-dst",
	"state", "tuple-port-src", "tuple-port-dst", "orig-vtag",
	"reply-vtag" };
static const char *const udp_names[] = { "sport", "dport",
	"reply-port-src", "reply-port-dst", "mask-port-src", "mask-port-dst",
	"tuple-port-src", "tuple-port-dst" };
static const char *const dccp_names[] = { "sport", "dport",
	"reply-port-src", "reply-port-dst", "mask-port-src", "mask-port-dst",
	"state", "tuple-port-src", "tuple-port-dst", "role" };
static const char *const icmp_names[] = { "icmp-type", "icmp-code",
	"icmp-id" };
static const char *const icmpv6_names[] = { "icmpv6-type", "icmpv6-code",
	"icmpv6-id" };
static const char *const gre_names[] = { "srckey", "dstkey",
	"reply-key-src", "reply-key-dst", "mask-key-src", "mask-key-dst",
	"tuple-key-src", "tuple-key-dst" };

/* ---- matrices (rows as upstream's; -A as -I) -------------------------- */

#define R(cmd) [CT_CMD_##cmd]
static const uint8_t tcp_m[CT_CMD_MAX][CT_XFLAGS_MAX] = {
	R(LIST) = { 2, 2, 2, 2, 0, 0, 2, 0, 0 },
	R(CREATE) = { 3, 3, 3, 3, 0, 0, 1, 0, 0 },
	R(UPDATE) = { 2, 2, 2, 2, 0, 0, 2, 0, 0 },
	R(DELETE) = { 2, 2, 2, 2, 0, 0, 2, 0, 0 },
	R(GET) = { 3, 3, 3, 3, 0, 0, 2, 0, 0 },
	R(EVENT) = { 2, 2, 2, 2, 0, 0, 2, 0, 0 },
	R(EXP_CREATE) = { 1, 1, 0, 0, 1, 1, 0, 1, 1 },
	R(EXP_DELETE) = { 1, 1, 1, 1, 0, 0, 0, 0, 0 },
	R(EXP_GET) = { 1, 1, 1, 1, 0, 0, 0, 0, 0 },
	R(ADD) = { 3, 3, 3, 3, 0, 0, 1, 0, 0 },
};
static const uint8_t udp_m[CT_CMD_MAX][CT_XFLAGS_MAX] = {
	R(LIST) = { 2, 2, 2, 2, 0, 0, 0, 0 },
	R(CREATE) = { 3, 3, 3, 3, 0, 0, 0, 0 },
	R(UPDATE) = { 2, 2, 2, 2, 0, 0, 0, 0 },
	R(DELETE) = { 2, 2, 2, 2, 0, 0, 0, 0 },
	R(GET) = { 3, 3, 3, 3, 0, 0, 0, 0 },
	R(EVENT) = { 2, 2, 2, 2, 0, 0, 0, 0 },
	R(EXP_CREATE) = { 1, 1, 0, 0, 1, 1, 1, 1 },
	R(EXP_DELETE) = { 1, 1, 1, 1, 0, 0, 0, 0 },
	R(EXP_GET) = { 1, 1, 1, 1, 0, 0, 0, 0 },
	R(ADD) = { 3, 3, 3, 3, 0, 0, 0, 0 },
};
static const uint8_t sctp_m[CT_CMD_MAX][CT_XFLAGS_MAX] = {
	R(LIST) = { 2, 2, 2, 2, 0, 0, 2, 0, 0, 0, 0 },
	R(CREATE) = { 3, 3, 3, 3, 0, 0, 1, 0, 0, 1, 1 },
	R(UPDATE) = { 2, 2, 2, 2, 0, 0, 2, 0, 0, 2, 2 },
	R(DELETE) = { 2, 2, 2, 2, 0, 0, 2, 0, 0, 0, 0 },
	R(GET) = { 3, 3, 3, 3, 0, 0, 2, 0, 0, 2, 2 },
	R(EVENT) = { 2, 2, 2, 2, 0, 0, 2, 0, 0, 0, 0 },
	R(EXP_CREATE) = { 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1 },
	R(EXP_DELETE) = { 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 },
	R(EXP_GET) = { 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 },
	R(ADD) = { 3, 3, 3, 3, 0, 0, 1, 0, 0, 1, 1 },
};
static const uint8_t dccp_m[CT_CMD_MAX][CT_XFLAGS_MAX] = {
	R(LIST) = { 2, 2, 2, 2, 0, 0, 2, 0, 0, 0 },
	R(CREATE) = { 3, 3, 3, 3, 0, 0, 1, 0, 0, 1 },
	R(UPDATE) = { 2, 2, 2, 2, 0, 0, 2, 0, 0, 0 },
	R(DELETE) = { 2, 2, 2, 2, 0, 0, 2, 0, 0, 0 },
	R(GET) = { 3, 3, 3, 3, 0, 0, 2, 0, 0, 0 },
	R(EVENT) = { 2, 2, 2, 2, 0, 0, 2, 0, 0, 0 },
	R(EXP_CREATE) = { 1, 1, 0, 0, 1, 1, 0, 1, 1, 1 },
	R(EXP_DELETE) = { 1, 1, 1, 1, 0, 0, 0, 0, 0, 0 },
	R(EXP_GET) = { 1, 1, 1, 1, 0, 0, 0, 0, 0, 0 },
	R(ADD) = { 3, 3, 3, 3, 0, 0, 1, 0, 0, 1 },
};
static const uint8_t icmp_m[CT_CMD_MAX][CT_XFLAGS_MAX] = {
	R(LIST) = { 2, 2, 2 }, R(CREATE) = { 1, 1, 2 },
	R(UPDATE) = { 2, 2, 2 }, R(DELETE) = { 2, 2, 2 },
	R(GET) = { 1, 1, 2 }, R(EVENT) = { 2, 2, 2 }, R(ADD) = { 1, 1, 2 },
};
static const uint8_t gre_m[CT_CMD_MAX][CT_XFLAGS_MAX] = {
	R(LIST) = { 2, 2, 2, 2, 0, 0, 0, 0 },
	R(CREATE) = { 3, 3, 3, 3, 0, 0, 0, 0 },
	R(UPDATE) = { 2, 2, 2, 2, 0, 0, 0, 0 },
	R(DELETE) = { 2, 2, 2, 2, 0, 0, 0, 0 },
	R(GET) = { 3, 3, 3, 3, 0, 0, 0, 0 },
	R(EVENT) = { 2, 2, 2, 2, 0, 0, 0, 0 },
	R(EXP_CREATE) = { 1, 1, 1, 1, 1, 1, 1, 1 },
	R(EXP_DELETE) = { 1, 1, 1, 1, 0, 0, 0, 0 },
	R(EXP_GET) = { 1, 1, 1, 1, 0, 0, 0, 0 },
	R(ADD) = { 3, 3, 3, 3, 0, 0, 0, 0 },
};
#undef R

/* ---- help texts ------------------------------------------------------- */

#define PORT_HELP \
	"  --orig-port-src\t\toriginal source port\n" \
	"  --orig-port-dst\t\toriginal destination port\n" \
	"  --reply-port-src\t\treply source port\n" \
	"  --reply-port-dst\t\treply destination port\n" \
	"  --mask-port-src\t\tmask source port\n" \
	"  --mask-port-dst\t\tmask destination port\n" \
	"  --tuple-port-src\t\texpectation tuple src port\n" \
	"  --tuple-port-src\t\texpectation tuple dst port\n"

#define TUPLE_MSG "you have to specify `--sport' and `--dport'"
#define RTUPLE_MSG "you have to specify `--reply-src-port' and " \
		   "`--reply-dst-port'"

const struct ct_xproto ct_xprotos[] = {
	[CT_XPROTO_UNKNOWN] = { NULL, 0, CT_L4_NONE, NULL, 0, NULL, 0, NULL,
		{ NULL, NULL }, "  no options (unsupported)\n" },
	{ "tcp", IPPROTO_TCP, CT_L4_PORTS, tcp_opts, NOPTS(tcp_opts),
	  tcp_names, 9, tcp_m, { TUPLE_MSG, RTUPLE_MSG },
	  PORT_HELP "  --state\t\t\tTCP state, fe. ESTABLISHED\n" },
	{ "udp", IPPROTO_UDP, CT_L4_PORTS, udp_opts, NOPTS(udp_opts),
	  udp_names, 8, udp_m, { TUPLE_MSG, RTUPLE_MSG }, PORT_HELP },
	{ "udplite", IPPROTO_UDPLITE, CT_L4_PORTS, udp_opts, NOPTS(udp_opts),
	  udp_names, 8, udp_m, { TUPLE_MSG, RTUPLE_MSG }, PORT_HELP },
	{ "sctp", IPPROTO_SCTP, CT_L4_PORTS, sctp_opts, NOPTS(sctp_opts),
	  tcp_names, 11, sctp_m, { TUPLE_MSG, RTUPLE_MSG },
	  PORT_HELP "  --state\t\t\tSCTP state, fe. ESTABLISHED\n"
	  "  --orig-vtag\t\toriginal verification tag\n"
	  "  --reply-vtag\t\treply verification tag\n" },
	{ "dccp", IPPROTO_DCCP, CT_L4_PORTS, dccp_opts, NOPTS(dccp_opts),
	  dccp_names, 10, dccp_m, { TUPLE_MSG, "you have to specify "
	  "`--reply-port-src' and `--report-port-dst'" },
	  PORT_HELP "  --state\t\t\tDCCP state, fe. RESPOND\n" },
	{ "icmp", IPPROTO_ICMP, CT_L4_ICMP, icmp_opts, NOPTS(icmp_opts),
	  icmp_names, 3, icmp_m, { NULL, NULL },
	  "  --icmp-type\t\t\ticmp type\n  --icmp-code\t\t\ticmp code\n"
	  "  --icmp-id\t\t\ticmp id\n" },
	{ "icmpv6", IPPROTO_ICMPV6, CT_L4_ICMPV6, icmpv6_opts,
	  NOPTS(icmpv6_opts), icmpv6_names, 3, icmp_m, { NULL, NULL },
	  "  --icmpv6-type\t\t\ticmpv6 type\n"
	  "  --icmpv6-code\t\t\ticmpv6 code\n"
	  "  --icmpv6-id\t\t\ticmpv6 id\n" },
	{ "gre", IPPROTO_GRE, CT_L4_GRE, gre_opts, NOPTS(gre_opts),
	  gre_names, 8, gre_m, { "you have to specify `--srckey' and "
	  "`--dstkey'", "you have to specify `--reply-src-key' and "
	  "`--reply-dst-key'" },
	  "  --orig-key-src\t\toriginal source key\n"
	  "  --orig-key-dst\t\toriginal destination key\n"
	  "  --reply-key-src\t\treply source key\n"
	  "  --reply-key-dst\t\treply destination key\n"
	  "  --mask-key-src\t\tmask source key\n"
	  "  --mask-key-dst\t\tmask destination key\n"
	  "  --tuple-key-src\t\texpectation tuple src key\n"
	  "  --tuple-key-src\t\texpectation tuple dst key\n" },
};
const unsigned int ct_nxprotos = sizeof(ct_xprotos) / sizeof(ct_xprotos[0]);

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
