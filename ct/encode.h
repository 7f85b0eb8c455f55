/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building the CTA_* attributes of conntrack requests from a struct
 * ct_entry: tuples, the identity of an entry for GET/DELETE, and every
 * attribute IPCTNL_MSG_CT_NEW can set on create or update. Only fields
 * whose presence bits are set are written. Every put is checked: on
 * -EMSGSIZE the message is left as it was before the call (nests are
 * cancelled), so the caller can flush and retry in a fresh buffer.
 */
#ifndef RAWCT_CT_ENCODE_H
#define RAWCT_CT_ENCODE_H

#include <stdint.h>

#include "ct/entry.h"
#include "nl/msg.h"

/*
 * ct_tuple_put - write @t as the nest @type (CTA_TUPLE_ORIG, _REPLY,
 * _MASTER; CTA_EXPECT_* tuples work too): CTA_TUPLE_IP with the v4 or v6
 * addresses by t->l3, CTA_TUPLE_PROTO with CTA_PROTO_NUM and the l4
 * fields the protocol table says the protocol has (ports, icmp or icmpv6
 * type/code/id, gre keys), and CTA_TUPLE_ZONE. Only fields in t->set are
 * written. Returns 0, -EMSGSIZE (nothing written) or -EINVAL (addresses
 * set but t->l3 is neither AF_INET nor AF_INET6).
 */
int ct_tuple_put(struct nl_msg *m, uint16_t type, const struct ct_tuple *t);

/*
 * ct_entry_put_key - the identity of @e for IPCTNL_MSG_CT_GET or
 * IPCTNL_MSG_CT_DELETE: one tuple, which the kernel looks the entry up
 * by (it takes the orig tuple when both come, and refuses one without
 * addresses or l4 identity). That is the orig tuple (CT_ORIG) if it is
 * complete (ct_proto_tuple_complete), else the reply tuple (CT_REPLY) if
 * that one is, else whichever is set, orig first (the kernel then says
 * what is missing); CTA_ZONE if CT_ZONE; CTA_ID if CT_ID (the kernel then
 * answers ENOENT unless the id matches). Returns 0, -EINVAL if @e has
 * neither tuple, or -EMSGSIZE.
 */
int ct_entry_put_key(struct nl_msg *m, const struct ct_entry *e);

/*
 * ct_entry_put_new - the attributes of IPCTNL_MSG_CT_NEW for create or
 * update: orig, reply and master tuples, CTA_STATUS (always with
 * IPS_CONFIRMED, which the kernel insists on), CTA_TIMEOUT,
 * CTA_MARK (+CTA_MARK_MASK if CT_MARK_MASK: the kernel then sets
 * mark = (old & ~mask) ^ mark), CTA_ZONE, CTA_PROTOINFO (tcp state,
 * wscale, flags/mask; sctp state and vtags; dccp state, role, handshake
 * sequence), CTA_HELP name, CTA_NAT_SRC / CTA_NAT_DST ranges (create only:
 * the kernel refuses NAT on an existing entry), CTA_LABELS
 * (+CTA_LABELS_MASK), CTA_SEQ_ADJ_ORIG/REPLY and CTA_SYNPROXY.
 * Never written, the kernel cannot set them: secctx, secmark, id, use,
 * counters, timestamps. Returns 0, -EMSGSIZE (message unchanged) or
 * -EINVAL (bad tuple or labels length).
 */
int ct_entry_put_new(struct nl_msg *m, const struct ct_entry *e);

#endif
