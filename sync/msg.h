/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's sync protocol, version 1, on the wire (spec 2.7; upstream
 * include/network.h, src/build.c, src/parse.c): an 8-byte header
 *
 *    0      1      2      3      4                 8
 *   +------+------+------+------+-----------------+
 *   |ver|ty| flags|  len (BE)   |    seq (BE)     |   (+ from, to: BE u32
 *   +------+------+------+------+-----------------+    for ACK/NACK/RESYNC)
 *
 * then, for data messages (types 0..5), TLV attributes {u16 len, u16
 * type} big-endian, len covering the 4-byte header and the unpadded
 * value, values padded to 4 bytes. Conntrack messages carry the NTA_*
 * attributes of the flow's original tuple and state (the reply tuple is
 * rebuilt by the receiver from the original one and the NAT attributes);
 * expectation messages the NTA_EXP_* ones.
 *
 * Several messages may follow each other in one datagram (or one stream
 * read); sync_msg_next() walks them. Decoding reads through bounds-checked
 * cursors, never trusts a length, never writes to the buffer, checks each
 * attribute's exact size, NUL-terminates nothing in place (strings must
 * carry their NUL), bounds labels, and rejects a message with an
 * attribute type it does not know, as upstream does. Every rejection is
 * counted by reason in struct sync_msg_stats, whose fields are upstream's
 * `-s network` counters.
 */
#ifndef RAWCT_SYNC_MSG_H
#define RAWCT_SYNC_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"
#include "ct/expect.h"

#define SYNC_MSG_VERSION	1
#define SYNC_MSG_HDR_LEN	8
#define SYNC_MSG_ACK_LEN	16
#define SYNC_MSG_MAX		4096	/* upstream's build buffer */

enum sync_msg_type {
	SYNC_T_CT_NEW = 0,
	SYNC_T_CT_UPD = 1,
	SYNC_T_CT_DEL = 2,
	SYNC_T_EXP_NEW = 3,
	SYNC_T_EXP_UPD = 4,
	SYNC_T_EXP_DEL = 5,
	SYNC_T_CTL = 10,
};

enum {
	SYNC_F_UNUSED = 1 << 0,		/* upstream's NET_F_UNUSED; we set it
					 * on our ACK, NACK and ALIVE messages
					 * to say "not kept for retransmission:
					 * do not acknowledge" (sync/ftfw.c) */
	SYNC_F_RESYNC = 1 << 1,
	SYNC_F_NACK = 1 << 2,
	SYNC_F_ACK = 1 << 3,
	SYNC_F_ALIVE = 1 << 4,
	SYNC_F_HELLO = 1 << 5,
	SYNC_F_HELLO_BACK = 1 << 6,
};

/* A header in host order. from/to only for ACK, NACK and RESYNC. */
struct sync_msg_hdr {
	uint8_t version, type, flags;
	uint16_t len;			/* whole message, header included */
	uint32_t seq;
	uint32_t from, to;
};

/* Receive-side counters (`-s network`, upstream's names). */
struct sync_msg_stats {
	uint64_t rcv_malformed;		/* every rejected message */
	uint32_t rcv_bad_version;
	uint32_t rcv_bad_header;
	uint32_t rcv_bad_payload;
	uint32_t rcv_bad_type;
	uint32_t rcv_truncated;
	uint32_t rcv_bad_size;
	uint32_t snd_malformed;		/* a flow we could not encode */
};

/* What the sender's configuration changes in conntrack messages. */
struct sync_msg_opts {
	uint8_t no_timeout;		/* CommitTimeout set: no NTA_TIMEOUT */
	uint8_t wscale;			/* TCPWindowTracking: NTA_TCP_WSCALE */
	uint8_t upstream_compat;	/* leave out what upstream's builder
					 * leaves out (UDP-Lite ports, GRE
					 * keys): for tests only */
};

/* Whether @h is a data message (types 0..5 with no flags but HELLO and
 * HELLO_BACK), an ACK, NACK, RESYNC or ALIVE control message. */
int sync_msg_is_data(const struct sync_msg_hdr *h);

/*
 * sync_msg_build_ct - a conntrack message of @type (CT_NEW, CT_UPD,
 * CT_DEL) for @e into @buf, sequence 0 and no flags (the sender sets
 * them with sync_msg_stamp). Attributes go out in upstream's order and
 * only for fields whose presence bit is set; @o may be NULL (all
 * options off). Returns its length, -EMSGSIZE if @cap is too small,
 * -EINVAL when @e has no orig tuple of a known family, a helper name of
 * 16 bytes or more, or labels over CT_LABELS_BYTES.
 */
int sync_msg_build_ct(void *buf, size_t cap, enum sync_msg_type type,
		      const struct ct_entry *e, const struct sync_msg_opts *o);
/* The same for an expectation (EXP_NEW, EXP_UPD, EXP_DEL): -EINVAL also
 * without master and expected tuple addresses, or with an expectfn name
 * of 28 bytes or more (upstream's limit). */
int sync_msg_build_exp(void *buf, size_t cap, enum sync_msg_type type,
		       const struct ct_expect *x,
		       const struct sync_msg_opts *o);
/* A control message (type CTL) with @flags; ACK, NACK and RESYNC carry
 * @from and @to (16 bytes), others are 8 bytes. Returns the length, or
 * -EMSGSIZE. */
int sync_msg_build_ctl(void *buf, size_t cap, uint8_t flags, uint32_t from,
		       uint32_t to);
/* Writes @seq and ORs @flags into the header of the message at @msg. */
void sync_msg_stamp(void *msg, uint32_t seq, uint8_t flags);

/*
 * sync_msg_next - the message at @buf (@len bytes left in the datagram or
 * stream buffer): decodes its header into @h and returns its length, or
 * 0 when @len is shorter than the message says it is (a stream keeps the
 * bytes for the next read; a datagram counts it with
 * sync_msg_count_short), or a negative errno with the reason counted in
 * @st (never NULL) and rcv_malformed:
 *   -EBADMSG, rcv_bad_size: len 0, or under 8 (16 for ACK, NACK and
 *            RESYNC); h->len is then 0: nothing after it can be found,
 *            stop walking this buffer;
 *   -EPROTO,  rcv_bad_version: version other than 1;
 *   -EBADMSG, rcv_bad_type: type neither 0..5 nor CTL;
 *   -EBADMSG, rcv_bad_header: a data type with flags other than HELLO and
 *            HELLO_BACK, a CTL without ACK, NACK, RESYNC or ALIVE, or an
 *            ACK/NACK whose `to` is before its `from`.
 * After those last three h->len is the message's length: skip it and go
 * on with the next one, as upstream does. Nothing is read past @len.
 */
int sync_msg_next(const void *buf, size_t len, struct sync_msg_hdr *h,
		  struct sync_msg_stats *st);

/* A datagram ended inside the message at @buf (@len bytes left, for
 * which sync_msg_next returned 0): counts it as upstream does,
 * rcv_bad_size when the header says more than @len, else rcv_truncated
 * (the header itself, or an ACK's from/to, is cut), and rcv_malformed. */
void sync_msg_count_short(const void *buf, size_t len,
			  struct sync_msg_stats *st);

/*
 * sync_msg_walk - the messages of @buf (@len bytes: a datagram, or the
 * whole messages a stream read gave) one by one through sync_msg_next():
 * @cb gets each well-formed one (its header, and @msg pointing at its
 * first byte, h->len bytes of @buf); a malformed one is counted in @st
 * and skipped when its length is known, the walk stops when it is not;
 * a message cut by the end of @buf is counted (sync_msg_count_short)
 * and ends the walk. Nothing is read past @len.
 */
typedef void (*sync_msg_walk_cb)(void *arg, const struct sync_msg_hdr *h,
				 const uint8_t *msg);
void sync_msg_walk(const void *buf, size_t len, struct sync_msg_stats *st,
		   sync_msg_walk_cb cb, void *arg);

/*
 * sync_msg_parse_ct - the conntrack flow of data message @msg (its
 * header already checked by sync_msg_next; @len = h.len) into @e: the
 * orig tuple and state as sent, the reply tuple rebuilt (inverse of the
 * original, then the NAT attributes, which also set CT_SNAT/CT_DNAT in
 * @e when they change the reply), family from the addresses. Strings
 * (helper) point into @msg. Returns 0, or -EBADMSG with rcv_bad_payload
 * counted (unknown attribute, wrong size, string without NUL, labels too
 * long, a length past the end, no address) and @e cleared.
 */
int sync_msg_parse_ct(const void *msg, size_t len, struct ct_entry *e,
		      struct sync_msg_stats *st);
/*
 * sync_msg_ct_reply_unnat - the reply tuple of @e (as sync_msg_parse_ct
 * rebuilt it) back to the plain inverse of the original where CT_SNAT or
 * CT_DNAT changed it, the form a create needs: the kernel applies
 * CTA_NAT_SRC/DST to the reply tuple it is given and marks the flow
 * IPS_SRC_NAT/IPS_DST_NAT only if that changes it; handed a reply that is
 * NATed already, it creates a flow that translates nothing.
 */
void sync_msg_ct_reply_unnat(struct ct_entry *e);
/* The same for an expectation message: master, expected tuple (both
 * required), mask, timeout, flags, class, NAT (CT_EXP_NAT when a NAT
 * tuple attribute came; nat_dir 0 or 1), helper and expectfn names
 * pointing into @msg. */
int sync_msg_parse_exp(const void *msg, size_t len, struct ct_expect *x,
		       struct sync_msg_stats *st);

#endif
