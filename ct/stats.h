/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table size and per-cpu statistics: IPCTNL_MSG_CT_GET_STATS (entry count
 * and limit, with the /proc fallback for kernels without it) and the
 * IPCTNL_MSG_CT_GET_STATS_CPU dump. Included by ct/table.h.
 */
#ifndef RAWCT_CT_STATS_H
#define RAWCT_CT_STATS_H

#include <stdint.h>

#include "nl/reply.h"

struct nl_sock;

/*
 * ct_table_count - the number of entries (CTA_STATS_GLOBAL_ENTRIES of
 * IPCTNL_MSG_CT_GET_STATS) and, if @max is not NULL, the table limit
 * (CTA_STATS_GLOBAL_MAX_ENTRIES, 0 when absent). If the kernel has no
 * GET_STATS (before 4.11) the count comes from
 * /proc/sys/net/netfilter/nf_conntrack_count, which shows the calling
 * process's namespace. Returns 0 or -errno.
 */
int ct_table_count(struct nl_sock *s, uint32_t *count, uint32_t *max,
		   struct nl_ack *ack);

#define CT_STATS_NVAL 32	/* CTA_STATS_* types kept (1..31) */

/* One CPU's counters from IPCTNL_MSG_CT_GET_STATS_CPU. */
struct ct_stats_cpu {
	uint16_t cpu;			/* nfgenmsg res_id */
	uint32_t present;		/* bit t: val[t] was sent */
	uint32_t val[CT_STATS_NVAL];	/* indexed by CTA_STATS_* type */
};

typedef int (*ct_stats_cb)(const struct ct_stats_cpu *st, void *arg);

/*
 * ct_table_stats - dump the per-cpu statistics, calling @cb per CPU.
 * Types above 31 are skipped. Returns 0, the callback's error, or -errno.
 */
int ct_table_stats(struct nl_sock *s, ct_stats_cb cb, void *arg,
		   struct nl_ack *ack);

#endif
