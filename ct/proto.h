/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Layer-4 protocol descriptors: one row per protocol conntrack knows
 * (tcp, udp, udplite, sctp, dccp, icmp, icmpv6, gre) and a row for every
 * other number ("unknown"). Decoding, encoding, filtering, printing and the
 * command line all ask this table what a protocol's tuple and state look
 * like, so no module carries its own switch over protocol numbers.
 */
#ifndef RAWCT_CT_PROTO_H
#define RAWCT_CT_PROTO_H

#include <netinet/in.h>
#include <stdint.h>

/* Protocol numbers some libcs' <netinet/in.h> lack. */
#ifndef IPPROTO_DCCP
#define IPPROTO_DCCP 33
#endif
#ifndef IPPROTO_GRE
#define IPPROTO_GRE 47
#endif
#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif
#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

/* What the l4 part of a tuple holds. */
enum ct_l4_kind {
	CT_L4_NONE,	/* nothing beyond the protocol number */
	CT_L4_PORTS,	/* source and destination port */
	CT_L4_ICMP,	/* type, code, id (CTA_PROTO_ICMP_*) */
	CT_L4_ICMPV6,	/* type, code, id (CTA_PROTO_ICMPV6_*) */
	CT_L4_GRE,	/* source and destination key (in the port slots) */
};

struct ct_proto {
	const char *name;		/* "tcp", ..., "unknown" */
	uint8_t num;			/* IPPROTO_*, 0 for the unknown row */
	uint8_t kind;			/* enum ct_l4_kind */
	uint64_t info;			/* CT_TCP, CT_SCTP, CT_DCCP or 0 */
	const char *const *states;	/* state names by value, or NULL */
	uint8_t nstates;
	/* tracked by every kernel (nf_conntrack's own trackers): a lookup
	 * compares its l4 fields. The others may be built out, and then
	 * the kernel tracks them as generic, ignoring ports and keys (as
	 * 6.18 does DCCP). */
	uint8_t core;
};

/* The descriptor of protocol @num: never NULL (the "unknown" row, whose
 * num field is 0, for numbers without one). */
const struct ct_proto *ct_proto_by_num(uint8_t num);

/* The descriptor named @name (case-insensitive), or NULL. "unknown" is
 * not a name that matches. */
const struct ct_proto *ct_proto_by_name(const char *name);

/* Name of @state, or NULL when out of range or the protocol is stateless. */
const char *ct_proto_state_name(const struct ct_proto *p, unsigned int state);

/* Value of state @name (exact case, as upstream; TCP also takes LISTEN),
 * or -EINVAL. */
int ct_proto_state_parse(const struct ct_proto *p, const char *name);

/* The ICMP (@l4 IPPROTO_ICMP) or ICMPv6 (IPPROTO_ICMPV6) type a reply to
 * a message of @type has, as the kernel's invmap pairs them (echo, and
 * for ICMP timestamp, info and address mask; for ICMPv6 node
 * information): 0..255, or -ENOENT for a type the kernel does not
 * track as a flow (and for other protocols). */
int ct_proto_icmp_reply_type(uint8_t l4, uint8_t type);

/* "ipv4", "ipv6" or "unknown". */
const char *ct_proto_l3_name(uint8_t l3);

/* libnetfilter_conntrack's proto2str: the descriptor's name, "unknown"
 * for numbers without one. */
const char *ct_proto_l4_name(uint8_t l4);

struct ct_tuple;

/* Fills the ICMP part of @reply from @orig, as the kernel pairs them:
 * the reply type (or the same type when it has no pair, which the
 * kernel refuses), the same code and id; only the fields set in @orig.
 * Nothing for other protocols. */
void ct_proto_icmp_reply(const struct ct_tuple *orig, struct ct_tuple *reply);

/* Whether @t names one flow: both addresses, the protocol and the l4
 * identity its protocol has (ports or keys; ICMP type, code and id).
 * The l3 family is not checked. */
int ct_proto_tuple_complete(const struct ct_tuple *t);

/* Gives @t, if it has both addresses and the protocol, the l4 fields of
 * its protocol it lacks, as 0: libnetfilter_conntrack writes every l4
 * field of a tuple it sends (so upstream's -I without --icmp-id creates
 * id 0), and the kernel refuses a tuple without them. */
void ct_proto_tuple_fill(struct ct_tuple *t);

#endif
