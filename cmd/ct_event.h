/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The event monitor of conntrack(8): -E (conntrack table) and -E expect,
 * on top of ct/event.h. See cmd/ct_event.c and conntrack(8).
 */
#ifndef RAWCT_CMD_CT_EVENT_H
#define RAWCT_CMD_CT_EVENT_H

#include "cmd/ct_args.h"

struct ct_ctx;

/*
 * ct_event_cmd_run - listen until SIGINT or SIGTERM, printing each event
 * that passes the command line's filter, flushed one by one; then the
 * XML footer (if the header was printed), "N flow events have been
 * shown." (or "expectation events") and the overrun total on stderr.
 * Returns 0; CT_EXIT_OTHER when the socket cannot be opened, on a
 * receive error other than ENOBUFS, or on an overrun with
 * --overrun-fatal.
 */
int ct_event_cmd_run(struct ct_ctx *c, const struct ct_args *a);

#endif
