/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel ABI we speak: netlink, nfnetlink and ctnetlink message types,
 * flags, attribute numbers and wire structures, with the values of the
 * kernel's include/uapi/linux/{netlink.h,netfilter/nfnetlink*.h}. We carry
 * them ourselves so that any libc (glibc, musl, static) builds rawct whatever
 * kernel headers the build machine has. Never include <linux/...> alongside.
 */
#ifndef RAWCT_NL_UAPI_H
#define RAWCT_NL_UAPI_H

#include <stdint.h>
#include <sys/socket.h>

/* ---- netlink (linux/netlink.h) ---------------------------------------- */

#define NETLINK_NETFILTER	12

struct sockaddr_nl {
	sa_family_t nl_family;		/* AF_NETLINK */
	unsigned short nl_pad;
	uint32_t nl_pid;		/* port id, 0 = kernel */
	uint32_t nl_groups;		/* legacy multicast group bitmask */
};

struct nlmsghdr {
	uint32_t nlmsg_len;		/* length including this header */
	uint16_t nlmsg_type;
	uint16_t nlmsg_flags;
	uint32_t nlmsg_seq;
	uint32_t nlmsg_pid;		/* sender port id */
};

/* NLMSG_ERROR payload: errno (negative) and the request's header, then
 * (without NETLINK_CAP_ACK) the request's payload, then extended-ack TLVs. */
struct nlmsgerr {
	int error;
	struct nlmsghdr msg;
};

struct nlattr {
	uint16_t nla_len;		/* length including this header */
	uint16_t nla_type;		/* type | NLA_F_NESTED | NLA_F_NET_BYTEORDER */
};

#define NLMSG_ALIGNTO		4U
#define NLMSG_ALIGN(len)	(((len) + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1))
#define NLMSG_HDRLEN		((uint32_t)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLA_ALIGNTO		4U
#define NLA_ALIGN(len)		(((len) + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1))
#define NLA_HDRLEN		((uint32_t)NLA_ALIGN(sizeof(struct nlattr)))

#define NLM_F_REQUEST		0x01
#define NLM_F_MULTI		0x02
#define NLM_F_ACK		0x04
#define NLM_F_ECHO		0x08
#define NLM_F_DUMP_INTR		0x10	/* dump was inconsistent: retry */
#define NLM_F_DUMP_FILTERED	0x20
/* GET modifiers */
#define NLM_F_ROOT		0x100
#define NLM_F_MATCH		0x200
#define NLM_F_ATOMIC		0x400
#define NLM_F_DUMP		(NLM_F_ROOT | NLM_F_MATCH)
/* NEW modifiers */
#define NLM_F_REPLACE		0x100
#define NLM_F_EXCL		0x200
#define NLM_F_CREATE		0x400
#define NLM_F_APPEND		0x800
/* ACK flags */
#define NLM_F_CAPPED		0x100	/* request payload not echoed */
#define NLM_F_ACK_TLVS		0x200	/* extended-ack TLVs follow */

#define NLMSG_NOOP		0x1
#define NLMSG_ERROR		0x2
#define NLMSG_DONE		0x3
#define NLMSG_OVERRUN		0x4
#define NLMSG_MIN_TYPE		0x10

#define NLA_F_NESTED		(1 << 15)
#define NLA_F_NET_BYTEORDER	(1 << 14)
#define NLA_TYPE_MASK		(~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff)

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif
#define NETLINK_ADD_MEMBERSHIP	1
#define NETLINK_DROP_MEMBERSHIP	2
#define NETLINK_BROADCAST_ERROR	4
#define NETLINK_NO_ENOBUFS	5
#define NETLINK_CAP_ACK		10
#define NETLINK_EXT_ACK		11

enum nlmsgerr_attrs {
	NLMSGERR_ATTR_UNUSED,
	NLMSGERR_ATTR_MSG,		/* string: error message */
	NLMSGERR_ATTR_OFFS,		/* u32: offset of bad attribute in request */
	NLMSGERR_ATTR_COOKIE,
	NLMSGERR_ATTR_POLICY,
	NLMSGERR_ATTR_MISS_TYPE,	/* u32: type of missing attribute */
	NLMSGERR_ATTR_MISS_NEST,	/* u32: offset of nest missing it */
	__NLMSGERR_ATTR_MAX
};
#define NLMSGERR_ATTR_MAX	(__NLMSGERR_ATTR_MAX - 1)

/* ---- nfnetlink (linux/netfilter/nfnetlink.h) --------------------------- */

struct nfgenmsg {
	uint8_t nfgen_family;		/* AF_INET, AF_INET6, AF_UNSPEC */
	uint8_t version;		/* NFNETLINK_V0 */
	uint16_t res_id;		/* big endian; 0 */
};
#define NFNETLINK_V0		0

#define NFNL_SUBSYS_CTNETLINK		1
#define NFNL_SUBSYS_CTNETLINK_EXP	2
#define NFNL_MSG_TYPE(t)		((uint8_t)((t) & 0x00ff))
#define NFNL_SUBSYS_ID(t)		((uint8_t)(((t) & 0xff00) >> 8))
#define NFNL_MSG_BATCH_BEGIN		NLMSG_MIN_TYPE
#define NFNL_MSG_BATCH_END		(NLMSG_MIN_TYPE + 1)

/* multicast groups (numbers for NETLINK_ADD_MEMBERSHIP) */
enum nfnetlink_groups {
	NFNLGRP_NONE,
	NFNLGRP_CONNTRACK_NEW,
	NFNLGRP_CONNTRACK_UPDATE,
	NFNLGRP_CONNTRACK_DESTROY,
	NFNLGRP_CONNTRACK_EXP_NEW,
	NFNLGRP_CONNTRACK_EXP_UPDATE,
	NFNLGRP_CONNTRACK_EXP_DESTROY,
};

/* ---- ctnetlink (linux/netfilter/nfnetlink_conntrack.h) ----------------- */

enum cntl_msg_types {
	IPCTNL_MSG_CT_NEW,
	IPCTNL_MSG_CT_GET,
	IPCTNL_MSG_CT_DELETE,
	IPCTNL_MSG_CT_GET_CTRZERO,
	IPCTNL_MSG_CT_GET_STATS_CPU,
	IPCTNL_MSG_CT_GET_STATS,
	IPCTNL_MSG_CT_GET_DYING,
	IPCTNL_MSG_CT_GET_UNCONFIRMED,
	IPCTNL_MSG_MAX
};

enum ctnl_exp_msg_types {
	IPCTNL_MSG_EXP_NEW,
	IPCTNL_MSG_EXP_GET,
	IPCTNL_MSG_EXP_DELETE,
	IPCTNL_MSG_EXP_GET_STATS_CPU,
	IPCTNL_MSG_EXP_MAX
};

enum ctattr_type {
	CTA_UNSPEC,
	CTA_TUPLE_ORIG,			/* nest: original direction tuple */
	CTA_TUPLE_REPLY,		/* nest: reply direction tuple */
	CTA_STATUS,			/* be32: IPS_* bits */
	CTA_PROTOINFO,			/* nest: tcp/sctp/dccp state */
	CTA_HELP,			/* nest: helper name */
	CTA_NAT_SRC,			/* nest: SNAT range (create) */
	CTA_TIMEOUT,			/* be32: seconds left */
	CTA_MARK,			/* be32 */
	CTA_COUNTERS_ORIG,		/* nest: packets/bytes */
	CTA_COUNTERS_REPLY,
	CTA_USE,			/* be32: reference count */
	CTA_ID,				/* be32: conntrack id */
	CTA_NAT_DST,			/* nest: DNAT range (create) */
	CTA_TUPLE_MASTER,		/* nest: tuple of the master conntrack */
	CTA_SEQ_ADJ_ORIG,		/* nest: NAT sequence adjustment */
	CTA_SEQ_ADJ_REPLY,
	CTA_SECMARK,			/* be32, obsolete */
	CTA_ZONE,			/* be16 */
	CTA_SECCTX,			/* nest: security context name */
	CTA_TIMESTAMP,			/* nest: start/stop ns */
	CTA_MARK_MASK,			/* be32: mask for CTA_MARK (filter/update) */
	CTA_LABELS,			/* binary: label bitmap */
	CTA_LABELS_MASK,		/* binary: mask for CTA_LABELS (update) */
	CTA_SYNPROXY,			/* nest: synproxy isn/its/tsoff */
	CTA_FILTER,			/* nest: dump filter flags (5.8+) */
	CTA_STATUS_MASK,		/* be32: mask for CTA_STATUS (dump filter) */
	CTA_TIMESTAMP_EVENT,		/* be64: event time ns (6.14+) */
	__CTA_MAX
};
#define CTA_MAX (__CTA_MAX - 1)

enum ctattr_tuple {
	CTA_TUPLE_UNSPEC,
	CTA_TUPLE_IP,			/* nest: ctattr_ip */
	CTA_TUPLE_PROTO,		/* nest: ctattr_l4proto */
	CTA_TUPLE_ZONE,			/* be16: directional zone */
	__CTA_TUPLE_MAX
};
#define CTA_TUPLE_MAX (__CTA_TUPLE_MAX - 1)

enum ctattr_ip {
	CTA_IP_UNSPEC,
	CTA_IP_V4_SRC,			/* 4 bytes, network order */
	CTA_IP_V4_DST,
	CTA_IP_V6_SRC,			/* 16 bytes */
	CTA_IP_V6_DST,
	__CTA_IP_MAX
};
#define CTA_IP_MAX (__CTA_IP_MAX - 1)

enum ctattr_l4proto {
	CTA_PROTO_UNSPEC,
	CTA_PROTO_NUM,			/* u8 */
	CTA_PROTO_SRC_PORT,		/* be16 (also GRE key halves) */
	CTA_PROTO_DST_PORT,		/* be16 */
	CTA_PROTO_ICMP_ID,		/* be16 */
	CTA_PROTO_ICMP_TYPE,		/* u8 */
	CTA_PROTO_ICMP_CODE,		/* u8 */
	CTA_PROTO_ICMPV6_ID,
	CTA_PROTO_ICMPV6_TYPE,
	CTA_PROTO_ICMPV6_CODE,
	__CTA_PROTO_MAX
};
#define CTA_PROTO_MAX (__CTA_PROTO_MAX - 1)

enum ctattr_protoinfo {
	CTA_PROTOINFO_UNSPEC,
	CTA_PROTOINFO_TCP,
	CTA_PROTOINFO_DCCP,
	CTA_PROTOINFO_SCTP,
	__CTA_PROTOINFO_MAX
};
#define CTA_PROTOINFO_MAX (__CTA_PROTOINFO_MAX - 1)

enum ctattr_protoinfo_tcp {
	CTA_PROTOINFO_TCP_UNSPEC,
	CTA_PROTOINFO_TCP_STATE,	/* u8 */
	CTA_PROTOINFO_TCP_WSCALE_ORIGINAL,	/* u8 */
	CTA_PROTOINFO_TCP_WSCALE_REPLY,
	CTA_PROTOINFO_TCP_FLAGS_ORIGINAL,	/* struct {u8 flags, mask} */
	CTA_PROTOINFO_TCP_FLAGS_REPLY,
	__CTA_PROTOINFO_TCP_MAX
};
#define CTA_PROTOINFO_TCP_MAX (__CTA_PROTOINFO_TCP_MAX - 1)

enum ctattr_protoinfo_dccp {
	CTA_PROTOINFO_DCCP_UNSPEC,
	CTA_PROTOINFO_DCCP_STATE,	/* u8 */
	CTA_PROTOINFO_DCCP_ROLE,	/* u8 */
	CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ,	/* be64 */
	CTA_PROTOINFO_DCCP_PAD,
	__CTA_PROTOINFO_DCCP_MAX
};
#define CTA_PROTOINFO_DCCP_MAX (__CTA_PROTOINFO_DCCP_MAX - 1)

enum ctattr_protoinfo_sctp {
	CTA_PROTOINFO_SCTP_UNSPEC,
	CTA_PROTOINFO_SCTP_STATE,	/* u8 */
	CTA_PROTOINFO_SCTP_VTAG_ORIGINAL,	/* be32 */
	CTA_PROTOINFO_SCTP_VTAG_REPLY,
	__CTA_PROTOINFO_SCTP_MAX
};
#define CTA_PROTOINFO_SCTP_MAX (__CTA_PROTOINFO_SCTP_MAX - 1)

enum ctattr_counters {
	CTA_COUNTERS_UNSPEC,
	CTA_COUNTERS_PACKETS,		/* be64 */
	CTA_COUNTERS_BYTES,		/* be64 */
	CTA_COUNTERS32_PACKETS,		/* be32, old */
	CTA_COUNTERS32_BYTES,
	CTA_COUNTERS_PAD,
	__CTA_COUNTERS_MAX
};
#define CTA_COUNTERS_MAX (__CTA_COUNTERS_MAX - 1)

enum ctattr_tstamp {
	CTA_TIMESTAMP_UNSPEC,
	CTA_TIMESTAMP_START,		/* be64 ns */
	CTA_TIMESTAMP_STOP,		/* be64 ns */
	CTA_TIMESTAMP_PAD,
	__CTA_TIMESTAMP_MAX
};
#define CTA_TIMESTAMP_MAX (__CTA_TIMESTAMP_MAX - 1)

enum ctattr_nat {
	CTA_NAT_UNSPEC,
	CTA_NAT_V4_MINIP,		/* 4 bytes */
	CTA_NAT_V4_MAXIP,
	CTA_NAT_PROTO,			/* nest: ctattr_protonat */
	CTA_NAT_V6_MINIP,		/* 16 bytes */
	CTA_NAT_V6_MAXIP,
	__CTA_NAT_MAX
};
#define CTA_NAT_MAX (__CTA_NAT_MAX - 1)

enum ctattr_protonat {
	CTA_PROTONAT_UNSPEC,
	CTA_PROTONAT_PORT_MIN,		/* be16 */
	CTA_PROTONAT_PORT_MAX,
	__CTA_PROTONAT_MAX
};
#define CTA_PROTONAT_MAX (__CTA_PROTONAT_MAX - 1)

enum ctattr_seqadj {
	CTA_SEQADJ_UNSPEC,
	CTA_SEQADJ_CORRECTION_POS,	/* be32 */
	CTA_SEQADJ_OFFSET_BEFORE,	/* be32 */
	CTA_SEQADJ_OFFSET_AFTER,	/* be32 */
	__CTA_SEQADJ_MAX
};
#define CTA_SEQADJ_MAX (__CTA_SEQADJ_MAX - 1)

enum ctattr_synproxy {
	CTA_SYNPROXY_UNSPEC,
	CTA_SYNPROXY_ISN,		/* be32 */
	CTA_SYNPROXY_ITS,		/* be32 */
	CTA_SYNPROXY_TSOFF,		/* be32 */
	__CTA_SYNPROXY_MAX
};
#define CTA_SYNPROXY_MAX (__CTA_SYNPROXY_MAX - 1)

enum ctattr_expect {
	CTA_EXPECT_UNSPEC,
	CTA_EXPECT_MASTER,		/* nest: master tuple */
	CTA_EXPECT_TUPLE,		/* nest: expected tuple */
	CTA_EXPECT_MASK,		/* nest: tuple mask */
	CTA_EXPECT_TIMEOUT,		/* be32 */
	CTA_EXPECT_ID,			/* be32 */
	CTA_EXPECT_HELP_NAME,		/* string */
	CTA_EXPECT_ZONE,		/* be16 */
	CTA_EXPECT_FLAGS,		/* be32 */
	CTA_EXPECT_CLASS,		/* be32 */
	CTA_EXPECT_NAT,			/* nest: ctattr_expect_nat */
	CTA_EXPECT_FN,			/* string: expectfn name */
	__CTA_EXPECT_MAX
};
#define CTA_EXPECT_MAX (__CTA_EXPECT_MAX - 1)

enum ctattr_expect_nat {
	CTA_EXPECT_NAT_UNSPEC,
	CTA_EXPECT_NAT_DIR,		/* be32 */
	CTA_EXPECT_NAT_TUPLE,		/* nest: tuple */
	__CTA_EXPECT_NAT_MAX
};
#define CTA_EXPECT_NAT_MAX (__CTA_EXPECT_NAT_MAX - 1)

enum ctattr_help {
	CTA_HELP_UNSPEC,
	CTA_HELP_NAME,			/* string */
	CTA_HELP_INFO,
	__CTA_HELP_MAX
};
#define CTA_HELP_MAX (__CTA_HELP_MAX - 1)

enum ctattr_secctx {
	CTA_SECCTX_UNSPEC,
	CTA_SECCTX_NAME,		/* string */
	__CTA_SECCTX_MAX
};
#define CTA_SECCTX_MAX (__CTA_SECCTX_MAX - 1)

enum ctattr_stats_cpu {
	CTA_STATS_UNSPEC,
	CTA_STATS_SEARCHED,		/* be32, no longer used */
	CTA_STATS_FOUND,
	CTA_STATS_NEW,			/* no longer used */
	CTA_STATS_INVALID,
	CTA_STATS_IGNORE,		/* no longer used */
	CTA_STATS_DELETE,		/* no longer used */
	CTA_STATS_DELETE_LIST,		/* no longer used */
	CTA_STATS_INSERT,
	CTA_STATS_INSERT_FAILED,
	CTA_STATS_DROP,
	CTA_STATS_EARLY_DROP,
	CTA_STATS_ERROR,
	CTA_STATS_SEARCH_RESTART,
	CTA_STATS_CLASH_RESOLVE,
	CTA_STATS_CHAIN_TOOLONG,
	__CTA_STATS_MAX
};
#define CTA_STATS_MAX (__CTA_STATS_MAX - 1)

enum ctattr_stats_global {
	CTA_STATS_GLOBAL_UNSPEC,
	CTA_STATS_GLOBAL_ENTRIES,	/* be32 */
	CTA_STATS_GLOBAL_MAX_ENTRIES,	/* be32 */
	__CTA_STATS_GLOBAL_MAX
};
#define CTA_STATS_GLOBAL_MAX (__CTA_STATS_GLOBAL_MAX - 1)

enum ctattr_expect_stats {
	CTA_STATS_EXP_UNSPEC,
	CTA_STATS_EXP_NEW,
	CTA_STATS_EXP_CREATE,
	CTA_STATS_EXP_DELETE,
	__CTA_STATS_EXP_MAX
};
#define CTA_STATS_EXP_MAX (__CTA_STATS_EXP_MAX - 1)

enum ctattr_filter {
	CTA_FILTER_UNSPEC,
	CTA_FILTER_ORIG_FLAGS,		/* u32: CTA_FILTER_FLAG_* for orig tuple */
	CTA_FILTER_REPLY_FLAGS,		/* u32: same for reply tuple */
	__CTA_FILTER_MAX
};
#define CTA_FILTER_MAX (__CTA_FILTER_MAX - 1)

#define CTA_FILTER_FLAG_CTA_IP_SRC		(1 << 0)
#define CTA_FILTER_FLAG_CTA_IP_DST		(1 << 1)
#define CTA_FILTER_FLAG_CTA_TUPLE_ZONE		(1 << 2)
#define CTA_FILTER_FLAG_CTA_PROTO_NUM		(1 << 3)
#define CTA_FILTER_FLAG_CTA_PROTO_SRC_PORT	(1 << 4)
#define CTA_FILTER_FLAG_CTA_PROTO_DST_PORT	(1 << 5)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMP_TYPE	(1 << 6)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMP_CODE	(1 << 7)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMP_ID	(1 << 8)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_TYPE	(1 << 9)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_CODE	(1 << 10)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_ID	(1 << 11)

/* conntrack status bits (linux/netfilter/nf_conntrack_common.h) */
enum ip_conntrack_status_bit {
	IPS_EXPECTED_BIT,
	IPS_SEEN_REPLY_BIT,
	IPS_ASSURED_BIT,
	IPS_CONFIRMED_BIT,
	IPS_SRC_NAT_BIT,
	IPS_DST_NAT_BIT,
	IPS_SEQ_ADJUST_BIT,
	IPS_SRC_NAT_DONE_BIT,
	IPS_DST_NAT_DONE_BIT,
	IPS_DYING_BIT,
	IPS_FIXED_TIMEOUT_BIT,
	IPS_TEMPLATE_BIT,
	IPS_UNTRACKED_BIT,
	IPS_HELPER_BIT,
	IPS_OFFLOAD_BIT,
	IPS_HW_OFFLOAD_BIT,
};
#define IPS_EXPECTED		(1U << IPS_EXPECTED_BIT)
#define IPS_SEEN_REPLY		(1U << IPS_SEEN_REPLY_BIT)
#define IPS_ASSURED		(1U << IPS_ASSURED_BIT)
#define IPS_CONFIRMED		(1U << IPS_CONFIRMED_BIT)
#define IPS_SRC_NAT		(1U << IPS_SRC_NAT_BIT)
#define IPS_DST_NAT		(1U << IPS_DST_NAT_BIT)
#define IPS_NAT_MASK		(IPS_SRC_NAT | IPS_DST_NAT)
#define IPS_SEQ_ADJUST		(1U << IPS_SEQ_ADJUST_BIT)
#define IPS_SRC_NAT_DONE	(1U << IPS_SRC_NAT_DONE_BIT)
#define IPS_DST_NAT_DONE	(1U << IPS_DST_NAT_DONE_BIT)
#define IPS_DYING		(1U << IPS_DYING_BIT)
#define IPS_FIXED_TIMEOUT	(1U << IPS_FIXED_TIMEOUT_BIT)
#define IPS_TEMPLATE		(1U << IPS_TEMPLATE_BIT)
#define IPS_UNTRACKED		(1U << IPS_UNTRACKED_BIT)
#define IPS_HELPER		(1U << IPS_HELPER_BIT)
#define IPS_OFFLOAD		(1U << IPS_OFFLOAD_BIT)
#define IPS_HW_OFFLOAD		(1U << IPS_HW_OFFLOAD_BIT)

/* expectation flags (linux/netfilter/nf_conntrack_common.h) */
#define NF_CT_EXPECT_PERMANENT	0x1
#define NF_CT_EXPECT_INACTIVE	0x2
#define NF_CT_EXPECT_USERSPACE	0x4

#endif
