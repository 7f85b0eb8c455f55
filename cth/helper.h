/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A userspace conntrack helper as nfnetlink_cthelper carries it: a name,
 * the layer 3 and 4 protocols it serves, the NFQUEUE its packets go to,
 * the private bytes it keeps per flow, its expectation classes (each a
 * name, how many expectations at once and their lifetime) and whether it
 * is enabled. The struct holds a request (fields absent as nfct leaves
 * them out) or a reply; encoding writes one request, decoding reads one
 * reply without trusting it, formatting prints upstream nfct's text.
 */
#ifndef RAWCT_CTH_HELPER_H
#define RAWCT_CTH_HELPER_H

#include <stddef.h>
#include <stdint.h>

#include "nl/cthelper.h"

struct nl_msg;
struct nlmsghdr;
struct nl_attr_err;

/* Expectation classes a helper can have (NFCTH_POLICY_SET1..SET4). */
#define CTH_POLICY_MAX	4

/* Which fields of struct cth_helper are present. */
#define CTH_HAS_NAME	0x01
#define CTH_HAS_TUPLE	0x02	/* l3proto and l4proto */
#define CTH_HAS_QUEUE	0x04
#define CTH_HAS_PRIV	0x08
#define CTH_HAS_STATUS	0x10
#define CTH_HAS_POLICY	0x20	/* npolicy and policy[] */

struct cth_policy {
	char name[NF_CT_HELPER_NAME_LEN];	/* NUL-terminated */
	uint32_t expect_max;
	uint32_t expect_timeout;		/* seconds */
};

struct cth_helper {
	unsigned int has;			/* CTH_HAS_* */
	char name[NF_CT_HELPER_NAME_LEN];	/* NUL-terminated */
	uint16_t l3proto;			/* AF_INET, AF_INET6 */
	uint8_t l4proto;			/* IPPROTO_TCP, IPPROTO_UDP */
	uint32_t queue_num;
	uint32_t priv_data_len;
	uint32_t status;			/* NFCT_HELPER_STATUS_* */
	uint32_t npolicy;			/* 1..CTH_POLICY_MAX */
	struct cth_policy policy[CTH_POLICY_MAX];
};

/* Copies @name into @h (marked present). Returns 0, or -ENAMETOOLONG
 * if it does not fit NF_CT_HELPER_NAME_LEN with its NUL. */
int cth_helper_set_name(struct cth_helper *h, const char *name);

/*
 * cth_helper_encode - appends one cthelper request to @m: message @type
 * (NFNL_MSG_CTHELPER_*) with NLM_F_REQUEST | @flags and @seq, then from
 * @h (NULL: no attributes, as a dump or a flush) what it has, in
 * upstream's order: name, queue, private length, tuple, policy, status.
 * Returns 0; -EMSGSIZE if @m is full (@m unchanged); -EINVAL for an
 * unterminated name or npolicy outside 1..CTH_POLICY_MAX.
 */
int cth_helper_encode(struct nl_msg *m, uint8_t type, uint16_t flags,
		      uint32_t seq, const struct cth_helper *h);

/*
 * cth_helper_decode - reads cthelper message @nlh (nlmsg_len already
 * checked against the datagram) into @h. Sizes and strings are
 * validated, unknown attributes skipped. A helper the kernel describes
 * has a name, queue, tuple, policy and status: a missing one is
 * -EBADMSG, as is a policy whose class count is 0, above CTH_POLICY_MAX
 * or names a class that is not there. Returns 0, -EBADMSG, -EPROTO (not
 * cthelper's), -ERANGE or -EINVAL (an attribute of the wrong size or
 * form); @err (may be NULL) says what.
 */
int cth_helper_decode(const struct nlmsghdr *nlh, struct cth_helper *h,
		      struct nl_attr_err *err);

/*
 * cth_helper_format - upstream nfct's text for @h, without a final
 * newline: "{", then .name, .queuenum, .l3protonum, .l4protonum,
 * .priv_data_len (0 when absent), .status (enabled|disabled), "};".
 * Returns the length, or -ENOSPC if @cap is too small (@buf then holds
 * an empty string if @cap > 0).
 */
int cth_helper_format(const struct cth_helper *h, char *buf, size_t cap);

#endif
