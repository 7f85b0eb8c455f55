/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the sync codec's files share (sync/msg.c, msg_ct.c, msg_exp.c):
 * the attribute numbers of upstream's include/network.h, a bounded
 * message writer and a bounds-checked attribute reader with a size
 * policy. Internal to sync/msg*.c and their tests; the daemon includes
 * sync/msg.h only.
 *
 *    0      2      4            4+len   (pad to 4)
 *   +------+------+-----------+-------+
 *   | len  | type |   value   |  0..  |    len = 4 + value, big endian
 *   +------+------+-----------+-------+
 */
#ifndef RAWCT_SYNC_MSG_INT_H
#define RAWCT_SYNC_MSG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"

#define SYNC_NTA_HDR	4
#define SYNC_ALIGN(n)	(((n) + 3u) & ~(size_t)3)

/* Conntrack attributes (enum nta_attr). Values are big endian unless
 * said otherwise. */
enum {
	SYNC_NTA_IPV4 = 0,		/* orig src, dst: 2 x 4 bytes */
	SYNC_NTA_IPV6 = 1,		/* orig src, dst: 2 x 16 bytes */
	SYNC_NTA_L4PROTO = 2,		/* u8 */
	SYNC_NTA_PORT = 3,		/* orig sport, dport: 2 x be16 */
	SYNC_NTA_TCP_STATE = 4,		/* u8 */
	SYNC_NTA_STATUS = 5,		/* be32 IPS_* */
	SYNC_NTA_TIMEOUT = 6,		/* be32 seconds */
	SYNC_NTA_MARK = 7,		/* be32 */
	SYNC_NTA_MASTER_IPV4 = 8,	/* master orig src, dst */
	SYNC_NTA_MASTER_IPV6 = 9,
	SYNC_NTA_MASTER_L4PROTO = 10,	/* u8 */
	SYNC_NTA_MASTER_PORT = 11,	/* 2 x be16 */
	SYNC_NTA_SNAT_IPV4 = 12,	/* reply dst: 4 bytes */
	SYNC_NTA_DNAT_IPV4 = 13,	/* reply src: 4 bytes */
	SYNC_NTA_SPAT_PORT = 14,	/* reply dport: LITTLE endian u16 */
	SYNC_NTA_DPAT_PORT = 15,	/* reply sport: LITTLE endian u16 */
	SYNC_NTA_NAT_SEQ_ADJ = 16,	/* 6 x be32: orig pos, before, after,
					 * then reply's */
	SYNC_NTA_SCTP_STATE = 17,	/* u8 */
	SYNC_NTA_SCTP_VTAG_ORIG = 18,	/* be32 */
	SYNC_NTA_SCTP_VTAG_REPL = 19,	/* be32 */
	SYNC_NTA_DCCP_STATE = 20,	/* u8 */
	SYNC_NTA_DCCP_ROLE = 21,	/* u8 */
	SYNC_NTA_ICMP_TYPE = 22,	/* u8 */
	SYNC_NTA_ICMP_CODE = 23,	/* u8 */
	SYNC_NTA_ICMP_ID = 24,		/* LITTLE endian u16 */
	SYNC_NTA_TCP_WSCALE_ORIG = 25,	/* u8 */
	SYNC_NTA_TCP_WSCALE_REPL = 26,	/* u8 */
	SYNC_NTA_HELPER_NAME = 27,	/* string with its NUL */
	SYNC_NTA_LABELS = 28,		/* be32 words, bit b of word w is
					 * label 32w+b */
	SYNC_NTA_SNAT_IPV6 = 29,	/* reply dst: 16 bytes */
	SYNC_NTA_DNAT_IPV6 = 30,	/* reply src: 16 bytes */
	SYNC_NTA_SYNPROXY = 31,		/* 3 x be32: its, isn, tsoff */
	SYNC_NTA_ZONE = 32,		/* be16 */
	SYNC_NTA_MAX = 33
};

/* Expectation attributes (enum nta_exp_attr). */
enum {
	SYNC_NTA_EXP_MASTER_IPV4 = 0,
	SYNC_NTA_EXP_MASTER_IPV6 = 1,
	SYNC_NTA_EXP_MASTER_L4PROTO = 2,
	SYNC_NTA_EXP_MASTER_PORT = 3,
	SYNC_NTA_EXP_EXPECT_IPV4 = 4,
	SYNC_NTA_EXP_EXPECT_IPV6 = 5,
	SYNC_NTA_EXP_EXPECT_L4PROTO = 6,
	SYNC_NTA_EXP_EXPECT_PORT = 7,
	SYNC_NTA_EXP_MASK_IPV4 = 8,
	SYNC_NTA_EXP_MASK_IPV6 = 9,
	SYNC_NTA_EXP_MASK_L4PROTO = 10,
	SYNC_NTA_EXP_MASK_PORT = 11,
	SYNC_NTA_EXP_TIMEOUT = 12,	/* be32 */
	SYNC_NTA_EXP_FLAGS = 13,	/* be32 */
	SYNC_NTA_EXP_CLASS = 14,	/* be32 */
	SYNC_NTA_EXP_NAT_IPV4 = 15,	/* 2 x 4 bytes */
	SYNC_NTA_EXP_NAT_PORT = 16,	/* 2 x be16 */
	SYNC_NTA_EXP_NAT_L4PROTO = 17,	/* u8 */
	SYNC_NTA_EXP_NAT_DIR = 18,	/* be32 */
	SYNC_NTA_EXP_HELPER_NAME = 19,	/* string with its NUL */
	SYNC_NTA_EXP_FN = 20,		/* string with its NUL */
	SYNC_NTA_EXP_MAX = 21
};

/* Upstream's receiver refuses a helper attribute longer than 16 bytes
 * including its header (NFCT_HELPER_NAME_MAX compared with nta_len); we
 * take the kernel's 16-byte names, NUL included. */
#define SYNC_HELPER_MAX	16
/* upstream's "artificial limit" of NTA_EXP_FN, header included */
#define SYNC_EXP_FN_MAX	(32 - SYNC_NTA_HDR)

/* Whether upstream's builder sends ports for protocol @l4 (tcp, udp,
 * sctp, dccp: its l4proto_fcn table). */
int sync_l4_upstream_ports(uint8_t l4);

/* ---- writing ---------------------------------------------------------- */

/* big-endian stores, whatever the host */
void sync_put_be16(uint8_t *p, uint16_t v);
void sync_put_be32(uint8_t *p, uint32_t v);

/* A message being written into a caller's buffer; the first error
 * sticks, so a builder checks once at the end. */
struct sync_wr {
	uint8_t *buf;
	size_t cap, len;
	int err;
};

/* Starts a data message of @type (an 8-byte header, seq 0, no flags). */
void sync_wr_begin(struct sync_wr *w, void *buf, size_t cap, uint8_t type);
/* Appends attribute @type with room for @len value bytes (zeroed, and
 * the padding too) and returns the value's start, or NULL (w->err set to
 * -EMSGSIZE when it does not fit). */
uint8_t *sync_wr_attr(struct sync_wr *w, uint16_t type, size_t len);
void sync_wr_bytes(struct sync_wr *w, uint16_t type, const void *p,
		   size_t len);
void sync_wr_u8(struct sync_wr *w, uint16_t type, uint8_t v);
void sync_wr_be16(struct sync_wr *w, uint16_t type, uint16_t v);
void sync_wr_le16(struct sync_wr *w, uint16_t type, uint16_t v);
void sync_wr_be32(struct sync_wr *w, uint16_t type, uint32_t v);
/* The src and dst addresses of @t: @t4 with 8 bytes for AF_INET, @t6
 * with 32 bytes for AF_INET6. */
void sync_wr_addrs(struct sync_wr *w, uint16_t t4, uint16_t t6, uint8_t l3,
		   const struct ct_tuple *t);
/* sport, dport of @t as two be16 */
void sync_wr_ports(struct sync_wr *w, uint16_t type, const struct ct_tuple *t);
/* Writes the header's length; returns it, or the first error. */
int sync_wr_end(struct sync_wr *w);

/* ---- reading ---------------------------------------------------------- */

struct sync_attr {
	uint16_t type;
	uint16_t len;		/* value bytes (nta_len - 4) */
	const uint8_t *val;
};

enum sync_pol_kind {
	SYNC_POL_FIXED,		/* exactly len bytes */
	SYNC_POL_STR,		/* 1..len bytes holding a NUL */
	SYNC_POL_WORDS,		/* 4..len bytes, a multiple of 4 */
};

struct sync_pol {
	uint8_t kind;		/* enum sync_pol_kind */
	uint8_t len;
};

/*
 * sync_attr_next - the attribute at *@off of the @end-byte message @msg
 * (the header is at 0) into @a, checked against @pol[@npol]: 1 with *@off
 * moved past it (and its padding; a last attribute may go without), 0 at
 * the end, -EBADMSG for a length under 4 or past the end, a type at or
 * above @npol, a value of the wrong size or a string without its NUL.
 */
int sync_attr_next(const uint8_t *msg, size_t end, size_t *off,
		   struct sync_attr *a, const struct sync_pol *pol,
		   size_t npol);

uint16_t sync_get_be16(const uint8_t *p);
uint16_t sync_get_le16(const uint8_t *p);
uint32_t sync_get_be32(const uint8_t *p);
/* An address attribute (8 or 32 bytes) into @t's src and dst (the
 * unions zeroed first), l3 and the SRC|DST bits. */
void sync_get_addrs(const struct sync_attr *a, struct ct_tuple *t);
/* A port attribute into @t's sport, dport and their bits. */
void sync_get_ports(const struct sync_attr *a, struct ct_tuple *t);
/* Counts a payload the parsers refused; returns -EBADMSG. */
struct sync_msg_stats;
int sync_bad_payload(struct sync_msg_stats *st);

#endif
