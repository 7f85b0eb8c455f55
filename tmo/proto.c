// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Protocol and state tables of the timeout policies (see tmo/proto.h).
 */
#include <errno.h>
#include <stddef.h>
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

#define P(num, names) { num, sizeof(names) / sizeof(names[0]), names }
static const struct tmo_proto protos[] = {
	P(1, one),		/* icmp */
	P(6, tcp),
	P(17, udp),
	P(33, dccp),
	P(47, udp),		/* gre */
	P(58, one),		/* icmpv6 */
	P(132, sctp),
	P(136, udp),		/* udplite */
	P(TMO_PROTO_GENERIC, one),
};

const struct tmo_proto *tmo_proto_find(uint8_t l4proto)
{
	for (unsigned int i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].l4proto == l4proto)
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
