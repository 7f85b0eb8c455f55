/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conntrack model: one connection-tracking entry as plain data, the
 * shape every other ct/ module (decode, encode, filter, format, ops) and
 * the command line share. Each field group has a presence bit; a field is
 * meaningful only when its bit is set. All integers are in host order;
 * addresses are in network order (as inet_pton writes them).
 *
 * Strings (helper, secctx) are borrowed: a decoded entry points into the
 * receive buffer it came from and is valid only until the next receive;
 * an entry built from the command line points at argv or static storage.
 */
#ifndef RAWCT_CT_ENTRY_H
#define RAWCT_CT_ENTRY_H

#include <stdint.h>

/* An address of either family; IPv4 uses the first 4 bytes. */
union ct_addr {
	uint8_t v6[16];
	uint32_t v4;		/* network order */
};

/* Presence bits of struct ct_tuple.set */
enum {
	CT_TUPLE_SRC		= 1 << 0,
	CT_TUPLE_DST		= 1 << 1,
	CT_TUPLE_PROTO		= 1 << 2,	/* l4 protocol number */
	CT_TUPLE_SPORT		= 1 << 3,	/* also GRE source key */
	CT_TUPLE_DPORT		= 1 << 4,	/* also GRE destination key */
	CT_TUPLE_ICMP_TYPE	= 1 << 5,	/* icmp or icmpv6, by l4 */
	CT_TUPLE_ICMP_CODE	= 1 << 6,
	CT_TUPLE_ICMP_ID	= 1 << 7,
	CT_TUPLE_ZONE		= 1 << 8,	/* directional zone */
};

struct ct_tuple {
	uint16_t set;		/* CT_TUPLE_* */
	uint8_t l3;		/* AF_INET or AF_INET6 (0 if unknown) */
	uint8_t l4;		/* IPPROTO_* */
	union ct_addr src, dst;
	uint16_t sport, dport;	/* host order; GRE keys */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id;	/* host order */
	uint16_t zone;
};

struct ct_counters {
	uint64_t packets, bytes;
};

/* CTA_SEQ_ADJ_ORIG/REPLY */
struct ct_seqadj {
	uint32_t correction_pos;
	uint32_t offset_before;
	uint32_t offset_after;
};

/* A NAT mapping requested on create (CTA_NAT_SRC / CTA_NAT_DST). */
struct ct_nat {
	union ct_addr min_ip, max_ip;
	uint16_t min_port, max_port;	/* host order, 0 = none */
	uint8_t has_port;
};

/* Presence bits of struct ct_entry.set */
enum {
	CT_ORIG			= 1ULL << 0,	/* orig tuple */
	CT_REPLY		= 1ULL << 1,	/* reply tuple */
	CT_MASTER		= 1ULL << 2,	/* master tuple */
	CT_STATUS		= 1ULL << 3,
	CT_TIMEOUT		= 1ULL << 4,
	CT_MARK			= 1ULL << 5,
	CT_SECMARK		= 1ULL << 6,
	CT_ID			= 1ULL << 7,
	CT_USE			= 1ULL << 8,
	CT_ZONE			= 1ULL << 9,
	CT_TCP			= 1ULL << 10,	/* tcp protoinfo */
	CT_SCTP			= 1ULL << 11,	/* sctp protoinfo */
	CT_DCCP			= 1ULL << 12,	/* dccp protoinfo */
	CT_COUNTERS_ORIG	= 1ULL << 13,
	CT_COUNTERS_REPLY	= 1ULL << 14,
	CT_TIMESTAMP_START	= 1ULL << 15,
	CT_TIMESTAMP_STOP	= 1ULL << 16,
	CT_TIMESTAMP_EVENT	= 1ULL << 17,
	CT_HELPER		= 1ULL << 18,
	CT_SECCTX		= 1ULL << 19,
	CT_LABELS		= 1ULL << 20,
	CT_LABELS_MASK		= 1ULL << 21,
	CT_MARK_MASK		= 1ULL << 22,
	CT_STATUS_MASK		= 1ULL << 23,
	CT_SEQADJ_ORIG		= 1ULL << 24,
	CT_SEQADJ_REPLY		= 1ULL << 25,
	CT_SYNPROXY		= 1ULL << 26,
	CT_SNAT			= 1ULL << 27,	/* nat_src (create) */
	CT_DNAT			= 1ULL << 28,	/* nat_dst (create) */
	CT_TCP_FLAGS		= 1ULL << 29,	/* tcp.flags/mask valid */
	CT_TCP_WSCALE		= 1ULL << 30,	/* tcp.wscale valid */
	CT_DCCP_HSEQ		= 1ULL << 31,	/* dccp.handshake_seq valid */
	CT_SCTP_VTAGS		= 1ULL << 32,	/* sctp.vtag valid */
};

#define CT_LABELS_BYTES	16	/* 128 label bits, as the kernel has */

/* Direction indexes of two-element arrays. */
enum { CT_DIR_ORIG, CT_DIR_REPLY };

struct ct_entry {
	uint64_t set;			/* CT_* presence bits */
	uint8_t family;			/* nfgen_family: AF_INET, AF_INET6 */
	struct ct_tuple orig, reply, master;
	uint32_t status, status_mask;	/* IPS_* */
	uint32_t timeout;		/* seconds */
	uint32_t mark, mark_mask;
	uint32_t secmark;
	uint32_t id;
	uint32_t use;
	uint16_t zone;
	struct {
		uint8_t state;		/* TCP_CONNTRACK_* */
		uint8_t wscale[2];	/* per direction */
		uint8_t flags[2];	/* IP_CT_TCP_FLAG_* per direction */
		uint8_t mask[2];	/* which flags to change (encode) */
	} tcp;
	struct {
		uint8_t state;		/* SCTP_CONNTRACK_* */
		uint32_t vtag[2];	/* per direction */
	} sctp;
	struct {
		uint8_t state;		/* CT_DCCP_* */
		uint8_t role;		/* CT_DCCP_ROLE_* */
		uint64_t handshake_seq;
	} dccp;
	struct ct_counters counters[2];	/* per direction */
	uint64_t ts_start, ts_stop;	/* ns since the epoch */
	uint64_t ts_event;		/* ns, CTA_TIMESTAMP_EVENT */
	const char *helper;		/* borrowed */
	const char *secctx;		/* borrowed */
	uint8_t labels_len;		/* bytes in labels (<= 16) */
	uint8_t labels[CT_LABELS_BYTES];
	uint8_t labels_mask_len;
	uint8_t labels_mask[CT_LABELS_BYTES];
	struct ct_seqadj seqadj[2];	/* per direction */
	struct {
		uint32_t isn, its, tsoff;
	} synproxy;
	struct ct_nat snat, dnat;
};

/* TCP tracking flags (IP_CT_TCP_FLAG_*) */
#define CT_TCP_FLAG_WINDOW_SCALE	0x01
#define CT_TCP_FLAG_SACK_PERM		0x02
#define CT_TCP_FLAG_CLOSE_INIT		0x04
#define CT_TCP_FLAG_BE_LIBERAL		0x08
#define CT_TCP_FLAG_DATA_UNACKNOWLEDGED	0x10
#define CT_TCP_FLAG_MAXACK_SET		0x20

#endif
