// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The table of conntrack(8)'s protocol extensions (ct_xprotos[], declared
 * in cmd/ct_args_int.h), as upstream's extensions/libct_proto_*.c define
 * them: per protocol, the long options -p adds and the flag bit each
 * sets, the flag names the messages print, the command x option matrix,
 * the messages for a missing tuple pair and the -h -p text. Data only:
 * cmd/ct_args_proto.c reads it to parse and check the options.
 */
#include <netinet/in.h>

#include "cmd/ct_args_int.h"
#include "ct/proto.h"

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
