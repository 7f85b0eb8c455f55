/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the privilege separation (sync/privsep.h): the state both
 * halves of sync/privsep.c (the fork and the child) and
 * sync/privsep_parent.c (the parent's loop and its checks) share.
 */
#ifndef RAWCT_SYNC_PRIVSEP_INT_H
#define RAWCT_SYNC_PRIVSEP_INT_H

#include <stdint.h>
#include <sys/types.h>

#include "sync/privsep.h"

struct sync_privsep {
	struct sync_daemon *d;
	int req;		/* child: requests and replies (-1 before) */
	int note;		/* child: the parent's notices (log fds) */
	pid_t child;
	uid_t uid;		/* whom the child becomes */
	gid_t gid;
	struct {		/* child: sockets the parent opened for it */
		int mine, theirs;
	} map[PS_DYN_MAX];
	unsigned int nmap;
	uint8_t pending;	/* child: a started send's reply unread */
	uint8_t early;		/* ... read by another call: early_rc */
	int early_rc;
};

/*
 * sync_privsep_parent_loop - the parent's life after the fork: serves
 * the child's records on @req (each checked against @a, which grows with
 * the sockets it opens for the child), sends new log descriptors on
 * @note after a SIGHUP, forwards the signals that end the daemon, and
 * returns the daemon's exit status once the child is gone.
 */
int sync_privsep_parent_loop(struct sync_privsep *ps, int req, int note,
			     struct ps_allow *a);

/* In the child after the fork: its kernel sockets send through the
 * parent, the parent's notices are read on ps->note (privsep_child.c). */
void sync_privsep_child_setup(struct sync_privsep *ps);

#endif
