/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `conntrackd -i` without an internal cache (DisableInternalCache,
 * upstream internal_bypass.c): the kernel's table itself, dumped to the
 * control client in conntrack's default format (with timeouts, as
 * upstream's, and for -x too: upstream ignores it there), only what the
 * daemon follows (Filter; ExpectationSync's helpers).
 */
#ifndef RAWCT_SYNC_KDUMP_H
#define RAWCT_SYNC_KDUMP_H

#include "sync/daemon.h"

struct sync_client;

/* Starts the dump of the kernel's conntrack table (@exp: expectation
 * table) to @cl, a producer read a few datagrams at a time while the
 * client has room. Returns 0, or -errno (logged as upstream: "can't dump
 * kernel table"; the client then gets nothing). */
int sync_kdump_start(struct sync_client *cl, struct sync_daemon *d, int exp);

#endif
