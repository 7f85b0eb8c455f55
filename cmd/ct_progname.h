/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The program behind a netlink port id, for the " [USERSPACE]
 * progname=NAME" suffix of conntrack -E's events (as upstream prints
 * it): the socket inode of the port id in /proc/net/netlink, then the
 * process that holds that socket under /proc/PID/fd.
 */
#ifndef RAWCT_CMD_CT_PROGNAME_H
#define RAWCT_CMD_CT_PROGNAME_H

#include <stdint.h>

/* The last port id resolved to a program name, as upstream caches it,
 * and the [USERSPACE] suffix made of them. */
struct ct_progcache {
	uint32_t portid;
	int known;		/* portid looked up */
	int tail_ok;		/* tail made for this portid */
	char name[64];		/* "" when not found */
	char tail[128];
};

/*
 * ct_progname - the name of the program that owns netlink port @portid,
 * or NULL when none is found; the last answer is kept in @pc (zeroed
 * by the caller before the first call), as upstream caches it.
 */
const char *ct_progname(struct ct_progcache *pc, uint32_t portid);

#endif
