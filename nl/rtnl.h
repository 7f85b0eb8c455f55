/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The part of the rtnetlink ABI conntrackd's link watcher speaks: the
 * NETLINK_ROUTE protocol, link messages and their attributes, the link
 * multicast group, with the values of the kernel's
 * include/uapi/linux/{netlink.h,rtnetlink.h,if_link.h,if.h}. Carried here
 * like nl/uapi.h so no <linux/...> header is needed. The interface flags
 * are prefixed RTNL_ because <net/if.h> defines some of them as enums.
 */
#ifndef RAWCT_NL_RTNL_H
#define RAWCT_NL_RTNL_H

#include <stdint.h>

#define NETLINK_ROUTE		0

/* Message types (linux/rtnetlink.h) */
#define RTM_NEWLINK		16
#define RTM_DELLINK		17
#define RTM_GETLINK		18

/* Multicast group of link changes (enum rtnetlink_groups) */
#define RTNLGRP_LINK		1

/* The fixed header of link messages. */
struct ifinfomsg {
	unsigned char ifi_family;	/* AF_UNSPEC */
	unsigned char ifi_pad;
	unsigned short ifi_type;	/* ARPHRD_* */
	int ifi_index;			/* link index */
	unsigned int ifi_flags;		/* IFF_* */
	unsigned int ifi_change;	/* IFF_* change mask */
};

/* Link attributes (linux/if_link.h), those we read */
enum {
	IFLA_UNSPEC,
	IFLA_ADDRESS,
	IFLA_BROADCAST,
	IFLA_IFNAME,			/* string, at most IFNAMSIZ with NUL */
	IFLA_MTU,			/* u32 */
	IFLA_OPERSTATE = 16,		/* u8, RFC 2863 IF_OPER_* */
	IFLA_CARRIER = 33,		/* u8: carrier on */
	IFLA_MAX_READ = IFLA_CARRIER,	/* the highest we index */
};

/* Interface flags (linux/if.h) */
#define RTNL_IFF_UP		0x1	/* administratively up */
#define RTNL_IFF_RUNNING	0x40	/* operationally up (RFC 2863) */
#define RTNL_IFF_LOWER_UP	0x10000	/* carrier */

#define RTNL_IFNAMSIZ		16

#endif
