// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The protocol table. State names follow the kernel's enums
 * (tcp_conntrack, sctp_conntrack, ct_dccp_states) in value order.
 */
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "ct/entry.h"
#include "ct/proto.h"

static const char *const tcp_states[] = {
	"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
	"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
};

static const char *const sctp_states[] = {
	"NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
	"SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT",
	"HEARTBEAT_SENT", "HEARTBEAT_ACKED",
};

static const char *const dccp_states[] = {
	"NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ",
	"CLOSING", "TIMEWAIT", "IGNORE", "INVALID",
};

#define NSTATES(a) ((uint8_t)(sizeof(a) / sizeof((a)[0])))

static const struct ct_proto protos[] = {
	{ "tcp", IPPROTO_TCP, CT_L4_PORTS, CT_TCP, tcp_states,
	  NSTATES(tcp_states), 1 },
	{ "udp", IPPROTO_UDP, CT_L4_PORTS, 0, NULL, 0, 1 },
	{ "udplite", IPPROTO_UDPLITE, CT_L4_PORTS, 0, NULL, 0, 0 },
	{ "sctp", IPPROTO_SCTP, CT_L4_PORTS, CT_SCTP, sctp_states,
	  NSTATES(sctp_states), 0 },
	{ "dccp", IPPROTO_DCCP, CT_L4_PORTS, CT_DCCP, dccp_states,
	  NSTATES(dccp_states), 0 },
	{ "icmp", IPPROTO_ICMP, CT_L4_ICMP, 0, NULL, 0, 1 },
	{ "icmpv6", IPPROTO_ICMPV6, CT_L4_ICMPV6, 0, NULL, 0, 1 },
	{ "gre", IPPROTO_GRE, CT_L4_GRE, 0, NULL, 0, 0 },
};

static const struct ct_proto unknown = { "unknown", 0, CT_L4_NONE, 0,
					 NULL, 0, 1 };

const struct ct_proto *ct_proto_by_num(uint8_t num)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].num == num)
			return &protos[i];
	return &unknown;
}

const struct ct_proto *ct_proto_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcasecmp(protos[i].name, name))
			return &protos[i];
	return NULL;
}

const char *ct_proto_state_name(const struct ct_proto *p, unsigned int state)
{
	if (!p->states || state >= p->nstates)
		return NULL;
	return p->states[state];
}

int ct_proto_state_parse(const struct ct_proto *p, const char *name)
{
	if (!p->states)
		return -EINVAL;
	for (unsigned int i = 0; i < p->nstates; i++)
		if (!strcmp(p->states[i], name))
			return (int)i;
	if (p->info == CT_TCP && !strcmp(name, "LISTEN"))
		return 9;
	return -EINVAL;
}

int ct_proto_tuple_complete(const struct ct_tuple *t)
{
	uint16_t need = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO;

	switch (ct_proto_by_num(t->l4)->kind) {
	case CT_L4_PORTS:
	case CT_L4_GRE:
		need |= CT_TUPLE_SPORT | CT_TUPLE_DPORT;
		break;
	case CT_L4_ICMP:
	case CT_L4_ICMPV6:
		need |= CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE |
			CT_TUPLE_ICMP_ID;
		break;
	default:
		break;
	}
	return (t->set & need) == need;
}

void ct_proto_tuple_fill(struct ct_tuple *t)
{
	uint16_t need = CT_TUPLE_SRC | CT_TUPLE_DST | CT_TUPLE_PROTO, miss;

	if ((t->set & need) != need)
		return;
	switch (ct_proto_by_num(t->l4)->kind) {
	case CT_L4_PORTS:
	case CT_L4_GRE:
		miss = (CT_TUPLE_SPORT | CT_TUPLE_DPORT) & ~t->set;
		if (miss & CT_TUPLE_SPORT)
			t->sport = 0;
		if (miss & CT_TUPLE_DPORT)
			t->dport = 0;
		break;
	case CT_L4_ICMP:
	case CT_L4_ICMPV6:
		miss = (CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE |
			CT_TUPLE_ICMP_ID) & ~t->set;
		if (miss & CT_TUPLE_ICMP_TYPE)
			t->icmp_type = 0;
		if (miss & CT_TUPLE_ICMP_CODE)
			t->icmp_code = 0;
		if (miss & CT_TUPLE_ICMP_ID)
			t->icmp_id = 0;
		break;
	default:
		miss = 0;
		break;
	}
	t->set |= miss;
}

int ct_proto_icmp_reply_type(uint8_t l4, uint8_t type)
{
	/* request, reply: each pair works both ways */
	static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 },
					 { 17, 18 } };
	static const uint8_t v6[][2] = { { 128, 129 }, { 139, 140 } };
	const uint8_t (*m)[2] = l4 == IPPROTO_ICMPV6 ? v6 : v4;
	size_t n = l4 == IPPROTO_ICMPV6 ? 2 : 4;

	if (l4 != IPPROTO_ICMP && l4 != IPPROTO_ICMPV6)
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		if (m[i][0] == type)
			return m[i][1];
		if (m[i][1] == type)
			return m[i][0];
	}
	return -ENOENT;
}

void ct_proto_icmp_reply(const struct ct_tuple *orig, struct ct_tuple *reply)
{
	uint16_t icmp = CT_TUPLE_ICMP_TYPE | CT_TUPLE_ICMP_CODE |
			CT_TUPLE_ICMP_ID;
	uint8_t kind = ct_proto_by_num(orig->l4)->kind;
	int type;

	if (kind != CT_L4_ICMP && kind != CT_L4_ICMPV6)
		return;
	type = ct_proto_icmp_reply_type(orig->l4, orig->icmp_type);
	reply->icmp_type = type < 0 ? orig->icmp_type : (uint8_t)type;
	reply->icmp_code = orig->icmp_code;
	reply->icmp_id = orig->icmp_id;
	reply->set = (uint16_t)((reply->set & ~icmp) | (orig->set & icmp));
}

const char *ct_proto_l3_name(uint8_t l3)
{
	return l3 == AF_INET ? "ipv4" : l3 == AF_INET6 ? "ipv6" : "unknown";
}

const char *ct_proto_l4_name(uint8_t l4)
{
	const struct ct_proto *p = ct_proto_by_num(l4);

	return p->num == l4 && p->num ? p->name : "unknown";
}
