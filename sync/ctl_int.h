/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the control socket (sync/ctl.h): the server (sync/ctl.c, its
 * listener, admission and sweep) and the state machine of one client
 * connection (sync/ctl_client.c) share these structures.
 */
#ifndef RAWCT_SYNC_CTL_INT_H
#define RAWCT_SYNC_CTL_INT_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#include "sync/ctl.h"
#include "sync/loop.h"

#define BUF_HARD	(1024 * 1024)	/* a direct answer never exceeds */
#define FILL_SLICE	8		/* producer calls per wakeup */

enum { CL_READING, CL_ANSWERING };

struct sync_client {
	struct sync_ctl *ctl;
	struct sync_client *prev, *next;
	int fd;				/* -1 once the peer is gone */
	uint8_t state;
	uint8_t req_len;
	uint8_t held;
	uint8_t denied;			/* answered "permission denied" */
	uint8_t req[4];
	char *buf;
	size_t len, off, cap;
	sync_client_fill_cb fill;
	void *fill_arg;
	void (*release)(void *arg);
	uint64_t progress;		/* last time bytes went out (usec) */
};

struct sync_ctl {
	struct sync_loop *loop;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	sync_ctl_request_cb cb;
	void *arg;
	struct sync_client *clients;
	unsigned int nclients;
	struct sync_loop_timer sweep;
	uint64_t stall_usec;		/* SYNC_CTL_STALL_SEC */
	struct sync_ctl_stats st;
	gid_t group;			/* (gid_t)-1: root only */
	sync_ctl_deny_cb deny;
	void *deny_arg;
};

/*
 * sync_ctl_client_new - a new client of @c on @fd, or NULL (counted in
 * dropped_full, @fd closed); its answer comes when its request is read.
 */
struct sync_client *sync_ctl_client_new(struct sync_ctl *c, int fd);

/* Closes @cl's socket; @cl lives on while a producer holds it. */
void sync_ctl_client_disconnect(struct sync_client *cl);

/* Releases @cl and everything it holds, socket included. */
void sync_ctl_client_free(struct sync_client *cl);

/* Frees @cl when its answer is out and nothing holds it any more. */
void sync_ctl_client_maybe_done(struct sync_client *cl);

#endif
