/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decoding ctnetlink conntrack messages (dump replies, GET replies and
 * events: NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW or _DELETE) into
 * struct ct_entry. Every nesting level goes through nl_attr_parse() with
 * its own policy exactly once (exact integer sizes, NUL-checked strings);
 * attribute types this code does not know are skipped, since the kernel
 * may be newer. No allocation: strings in the entry (helper, secctx) point
 * into the message and live as long as the receive buffer does.
 */
#ifndef RAWCT_CT_DECODE_H
#define RAWCT_CT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"
#include "nl/attr.h"
#include "nl/uapi.h"

/*
 * ct_entry_decode - decode one conntrack message.
 * @nlh: the message (nlmsg_len must already be checked against the
 *       datagram, as nl_reply_parse does).
 * @e: zeroed and filled; e->family is the nfgenmsg family, e->set says
 *     which fields were present.
 * @err: may be NULL; on failure says which attribute was at fault.
 * Returns 0; -EBADMSG when the message is shorter than its headers or an
 * attribute stream is malformed; -EPROTO when it is not a ctnetlink
 * conntrack NEW/DELETE message; -ERANGE for an attribute of the wrong
 * size (labels over 16 bytes too); -EINVAL for a bad value (string
 * without NUL).
 */
int ct_entry_decode(const struct nlmsghdr *nlh, struct ct_entry *e,
		    struct nl_attr_err *err);

/*
 * ct_entry_decode_attrs - decode the CTA_* attribute stream of a
 * conntrack message (the payload after the nfgenmsg), @len bytes at
 * @data, for l3 family @family. Zeroes @e first and sets e->family.
 * Returns as ct_entry_decode() without -EPROTO.
 */
int ct_entry_decode_attrs(const void *data, size_t len, uint8_t family,
			  struct ct_entry *e, struct nl_attr_err *err);

/*
 * ct_tuple_decode - decode a tuple nest (CTA_TUPLE_ORIG, _REPLY, _MASTER,
 * or an expectation's CTA_EXPECT_TUPLE/MASTER/MASK). @family is used as
 * t->l3 when the nest has no address. Zeroes @t first.
 * Returns 0 or a negative errno as ct_entry_decode().
 */
int ct_tuple_decode(const struct nlattr *nest, uint8_t family,
		    struct ct_tuple *t, struct nl_attr_err *err);

#endif
