/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Expectation messages (NFNL_SUBSYS_CTNETLINK_EXP): decoding dump
 * replies, GET replies and events (IPCTNL_MSG_EXP_NEW / _DELETE) into
 * struct ct_expect through policy tables, and encoding the CTA_EXPECT_*
 * attributes of create, get and delete requests. Tuples go through
 * ct_tuple_decode() / ct_tuple_put(), so protocol handling is the
 * conntrack side's. Decoding allocates nothing: helper and fn point into
 * the message. Encoding writes only fields whose presence bits are set
 * and, on failure, leaves the message as it was before the call.
 *
 *   CTA_EXPECT_MASTER, _TUPLE, _MASK { tuple nests as for conntrack }
 *   CTA_EXPECT_TIMEOUT, _ID, _FLAGS, _CLASS (be32), _ZONE (be16)
 *   CTA_EXPECT_HELP_NAME, _FN (strings)
 *   CTA_EXPECT_NAT { CTA_EXPECT_NAT_DIR (be32), CTA_EXPECT_NAT_TUPLE }
 */
#ifndef RAWCT_CT_EXPECT_CODEC_H
#define RAWCT_CT_EXPECT_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "ct/expect.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/uapi.h"

/*
 * ct_expect_decode - decode one expectation message.
 * @nlh: the message (nlmsg_len already checked against the datagram, as
 *       nl_reply_parse does).
 * @x: zeroed and filled; x->family is the nfgenmsg family.
 * @err: may be NULL; on failure says which attribute was at fault, with
 *       offsets relative to the attribute stream after the nfgenmsg.
 * Returns 0; -EBADMSG for a message shorter than its headers or a
 * malformed attribute stream; -EPROTO when it is not an
 * NFNL_SUBSYS_CTNETLINK_EXP NEW or DELETE message; -ERANGE for an
 * attribute of the wrong size; -EINVAL for a bad value (string without
 * NUL or too long, NAT direction other than 0 or 1).
 */
int ct_expect_decode(const struct nlmsghdr *nlh, struct ct_expect *x,
		     struct nl_attr_err *err);

/* ct_expect_decode_attrs - the CTA_EXPECT_* stream of @len bytes at
 * @data, for family @family. Returns as ct_expect_decode() without
 * -EPROTO. */
int ct_expect_decode_attrs(const void *data, size_t len, uint8_t family,
			   struct ct_expect *x, struct nl_attr_err *err);

/*
 * ct_expect_put_key - the identity of @x for IPCTNL_MSG_EXP_GET or
 * IPCTNL_MSG_EXP_DELETE: CTA_EXPECT_TUPLE if CT_EXP_TUPLE is set, else
 * CTA_EXPECT_MASTER (GET only: the kernel then finds the expectation
 * whose tuple matches the master tuple, which is rarely what one wants;
 * DELETE ignores it and would flush); CTA_EXPECT_ZONE if CT_EXP_ZONE;
 * CTA_EXPECT_ID if CT_EXP_ID (the kernel answers ENOENT unless the id
 * matches). Returns 0, -EINVAL if @x has neither tuple, -EMSGSIZE.
 */
int ct_expect_put_key(struct nl_msg *m, const struct ct_expect *x);

/*
 * ct_expect_put_new - the attributes of IPCTNL_MSG_EXP_NEW: master,
 * tuple and mask (the kernel requires all three: -EINVAL here if one is
 * missing), timeout, zone, flags, class, helper name (the kernel looks it
 * up for the class bound; the master conntrack must have a helper
 * anyway), NAT direction and tuple, expectfn name. Never written: id.
 * Returns 0, -EMSGSIZE (message unchanged), or -EINVAL (missing tuple,
 * bad tuple family, helper name too long).
 */
int ct_expect_put_new(struct nl_msg *m, const struct ct_expect *x);

#endif
