// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Protocol and state tables of the timeout policies (see tmo/proto.h).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "tmo/proto.h"

static const char *const tcp[] = {
	"SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT",
	"LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2", "RETRANS",
	"UNACKNOWLEDGED",
};
static const char *const udp[] = { "UNREPLIED", "REPLIED" };
static const char *const sctp[] = {
	"CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
	"SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT",
};
static const char *const dccp[] = {
	"REQUEST", "RESPOND", "PARTOPEN", "OPEN", "CLOSEREQ", "CLOSING",
	"TIMEWAIT",
};
static const char *const one[] = { "TIMEOUT" };

#define P(name, num, states) \
	{ name, num, sizeof(states) / sizeof(states[0]), states }
static const struct tmo_proto protos[] = {
	P("icmp", 1, one),
	P("tcp", 6, tcp),
	P("udp", 17, udp),
	P("dccp", 33, dccp),
	P("gre", 47, udp),
	P("ipv6-icmp", 58, one),
	P("sctp", 132, sctp),
	P("udplite", 136, udp),
	P(NULL, TMO_PROTO_GENERIC, one),
};
#define NPROTOS (sizeof(protos) / sizeof(protos[0]))

const struct tmo_proto *tmo_proto_find(uint8_t l4proto)
{
	for (unsigned int i = 0; i < NPROTOS; i++)
		if (protos[i].l4proto == l4proto)
			return &protos[i];
	return NULL;
}

const struct tmo_proto *tmo_proto_byname(const char *name)
{
	for (unsigned int i = 0; i < NPROTOS; i++)
		if (protos[i].name && !strcmp(protos[i].name, name))
			return &protos[i];
	return NULL;
}

int tmo_proto_state(const struct tmo_proto *p, const char *name)
{
	for (int i = 0; i < p->nstates; i++)
		if (!strcasecmp(p->states[i], name))
			return i;
	return -ENOENT;
}
