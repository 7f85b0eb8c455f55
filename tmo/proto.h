/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The protocols a timeout policy can be written for and the names of
 * their states, in the order of the kernel's CTA_TIMEOUT_<PROTO>_*
 * attributes (state i is attribute i + 1). The names and their number
 * are upstream nfct's (libnetfilter_cttimeout): SCTP stops at
 * SHUTDOWN_ACK_SENT, GRE and UDP-Lite share UDP's, "generic" is
 * IPPROTO_RAW (255).
 */
#ifndef RAWCT_TMO_PROTO_H
#define RAWCT_TMO_PROTO_H

#include <stdint.h>

#define TMO_PROTO_GENERIC	255	/* IPPROTO_RAW: the generic tracker */
#define TMO_STATES_MAX		11	/* TCP has the most */

struct tmo_proto {
	const char *name;		/* in /etc/protocols (netbase) */
	uint8_t l4proto;
	uint8_t nstates;
	const char *const *states;	/* nstates names */
};

/* The protocol @l4proto, or NULL if upstream has no state names for it
 * (its policies then print no .policy block). */
const struct tmo_proto *tmo_proto_find(uint8_t l4proto);

/* The protocol named @name (exactly) in netbase's /etc/protocols, or
 * NULL; for a program whose libc has no protocol database (musl's
 * built-in one lacks sctp, udplite and dccp). "generic" is not there. */
const struct tmo_proto *tmo_proto_byname(const char *name);

/* The index of state @name (any case) in @p, or -ENOENT. */
int tmo_proto_state(const struct tmo_proto *p, const char *name);

#endif
