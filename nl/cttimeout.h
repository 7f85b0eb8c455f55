/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cttimeout part of the nfnetlink ABI (timeout policies that
 * iptables' CT target attaches to flows by name): its subsystem number,
 * message types and attributes, with the values of the kernel's
 * include/uapi/linux/netfilter/nfnetlink_cttimeout.h. Carried here like
 * nl/uapi.h so no <linux/...> header is needed.
 */
#ifndef RAWCT_NL_CTTIMEOUT_H
#define RAWCT_NL_CTTIMEOUT_H

#define NFNL_SUBSYS_CTNETLINK_TIMEOUT	8

/* Message types (enum ctnl_timeout_msg_types). */
#define IPCTNL_MSG_TIMEOUT_NEW		0	/* create / update a policy */
#define IPCTNL_MSG_TIMEOUT_GET		1	/* one by name, or dump all */
#define IPCTNL_MSG_TIMEOUT_DELETE	2	/* one by name, or all unused */
#define IPCTNL_MSG_TIMEOUT_DEFAULT_SET	3	/* the netns' defaults */
#define IPCTNL_MSG_TIMEOUT_DEFAULT_GET	4

/* Attributes of a policy (enum ctattr_timeout). */
#define CTA_TIMEOUT_NAME	1	/* string, < CTNL_TIMEOUT_NAME_MAX */
#define CTA_TIMEOUT_L3PROTO	2	/* be16: AF_INET, AF_INET6 */
#define CTA_TIMEOUT_L4PROTO	3	/* u8: IPPROTO_*, 255 = generic */
#define CTA_TIMEOUT_DATA	4	/* nested: per-state seconds */
#define CTA_TIMEOUT_USE		5	/* be32: reference count */
#define CTA_TIMEOUT_MAX		5

/* Inside CTA_TIMEOUT_DATA, attribute N (1-based) is the be32 seconds of
 * the tracker's state N (enum ctattr_timeout_tcp, _udp, ...); the
 * highest type any tracker uses (TCP's UNACKNOWLEDGED). */
#define CTA_TIMEOUT_DATA_MAX	11

/* Name buffer size, NUL included. */
#define CTNL_TIMEOUT_NAME_MAX	32

#endif
