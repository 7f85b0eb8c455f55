/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A conntrack timeout policy as nfnetlink_cttimeout carries it: a name,
 * the layer 3 and 4 protocols it is for and the seconds of each state
 * of that protocol's tracker. The same struct holds a request (what nfct
 * sends: some fields absent) and a reply (a dump entry, or a protocol's
 * defaults, which have no name). Encoding writes one request message;
 * decoding reads one reply without trusting it; formatting prints
 * upstream nfct's text.
 */
#ifndef RAWCT_TMO_POLICY_H
#define RAWCT_TMO_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "nl/cttimeout.h"
#include "tmo/proto.h"

struct nl_msg;
struct nlmsghdr;
struct nl_attr_err;

/* Which fields of struct tmo_policy are present. */
#define TMO_HAS_NAME	0x1
#define TMO_HAS_L3	0x2
#define TMO_HAS_L4	0x4
#define TMO_HAS_USE	0x8

struct tmo_policy {
	unsigned int has;			/* TMO_HAS_* */
	char name[CTNL_TIMEOUT_NAME_MAX];	/* NUL-terminated */
	uint16_t l3proto;			/* AF_INET, AF_INET6 */
	uint8_t l4proto;			/* IPPROTO_*, 255 generic */
	uint32_t use;				/* reference count (replies) */
	uint32_t set;				/* bit i: secs[i] is given */
	uint32_t secs[TMO_STATES_MAX];		/* by tmo/proto.h state */
};

/*
 * tmo_policy_set_name - copies @name into @p (and marks it present).
 * Returns 0, or -ENAMETOOLONG if it does not fit CTNL_TIMEOUT_NAME_MAX
 * with its NUL (@p is then unchanged).
 */
int tmo_policy_set_name(struct tmo_policy *p, const char *name);

/*
 * tmo_policy_encode - appends one cttimeout request to @m: message
 * @type (IPCTNL_MSG_TIMEOUT_*) with NLM_F_REQUEST | @flags and @seq,
 * then from @p (NULL: no attributes, as a dump or a flush) the name,
 * protocols and, if any state is set, CTA_TIMEOUT_DATA. Returns 0;
 * -EMSGSIZE if @m is full (@m unchanged); -EINVAL if @p sets states
 * without a layer 4 protocol tmo_proto_find() knows, or a state past
 * that protocol's last.
 */
int tmo_policy_encode(struct nl_msg *m, uint8_t type, uint16_t flags,
		      uint32_t seq, const struct tmo_policy *p);

/*
 * tmo_policy_decode - reads cttimeout message @nlh (nlmsg_len already
 * checked against the datagram, as nl/reply.h does) into @p. Sizes and
 * strings are validated; unknown attributes, and states past the ones
 * tmo/proto.h names, are skipped. Returns 0; -EBADMSG for a short or
 * malformed message; -EPROTO if it is not cttimeout's; -ERANGE or
 * -EINVAL for an attribute of the wrong size or form (@err, if not NULL,
 * says which).
 */
int tmo_policy_decode(const struct nlmsghdr *nlh, struct tmo_policy *p,
		      struct nl_attr_err *err);

/*
 * tmo_policy_format - upstream nfct's text for @p, without a final
 * newline: ".NAME = {" (when named), "\t.l3proto = N,", "\t.l4proto =
 * N,", then, when states are set, a "\t.policy = {" block listing every
 * state of the protocol (0 for those not set), then "};". Writes at most
 * @cap bytes with the NUL. Returns the length, or -ENOSPC (@buf then
 * holds an empty string if @cap > 0).
 */
int tmo_policy_format(const struct tmo_policy *p, char *buf, size_t cap);

#endif
