/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table size and per-cpu statistics: IPCTNL_MSG_CT_GET_STATS (entry count
 * and limit, with the /proc fallback for kernels without it) and the
 * IPCTNL_MSG_CT_GET_STATS_CPU dump. Included by ct/table.h.
 */
#ifndef RAWCT_CT_STATS_H
#define RAWCT_CT_STATS_H

#include <stdint.h>

#include "nl/attr.h"
#include "nl/reply.h"
#include "nl/uapi.h"

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

/*
 * The pure decoders behind ct_table_count(), ct_table_stats() and
 * ct_expect_stats(), for tests and fuzzers. @nlh is one message whose
 * nlmsg_len was already checked against the datagram (as nl_reply_parse
 * does); its subsystem and command are not checked (the kernel sends
 * expectation statistics with NFNL_SUBSYS_CTNETLINK in the type). @err
 * may be NULL; on failure it says what and where, offsets relative to the
 * attribute stream after the nfgenmsg. Nothing is written on failure.
 * Each returns 0, -EBADMSG for a message shorter than its headers or a
 * malformed attribute stream, -ERANGE for a counter that is not 4 bytes,
 * -EINVAL for a nested flag on one.
 */

/* ct_stats_count_decode - a reply to IPCTNL_MSG_CT_GET_STATS: *@count
 * from CTA_STATS_GLOBAL_ENTRIES (-EBADMSG when absent); *@max from
 * CTA_STATS_GLOBAL_MAX_ENTRIES, left as it was when that is absent. */
int ct_stats_count_decode(const struct nlmsghdr *nlh, uint32_t *count,
			  uint32_t *max, struct nl_attr_err *err);

/* ct_stats_cpu_decode - one IPCTNL_MSG_CT_GET_STATS_CPU message: @st
 * zeroed, cpu from the nfgenmsg res_id, val[t] and bit t of present for
 * each CTA_STATS_* type 1..31 sent (later types skipped). */
int ct_stats_cpu_decode(const struct nlmsghdr *nlh, struct ct_stats_cpu *st,
			struct nl_attr_err *err);

/* ct_stats_exp_decode - one IPCTNL_MSG_EXP_GET_STATS_CPU message: as
 * ct_stats_cpu_decode() for CTA_STATS_EXP_NEW .. CTA_STATS_EXP_MAX
 * (later types skipped). */
int ct_stats_exp_decode(const struct nlmsghdr *nlh, struct ct_stats_cpu *st,
			struct nl_attr_err *err);

typedef int (*ct_stats_cb)(const struct ct_stats_cpu *st, void *arg);

/*
 * ct_table_stats - dump the per-cpu statistics, calling @cb per CPU.
 * Types above 31 are skipped. Returns 0, the callback's error, or -errno.
 */
int ct_table_stats(struct nl_sock *s, ct_stats_cb cb, void *arg,
		   struct nl_ack *ack);

/*
 * ct_expect_stats - the IPCTNL_MSG_EXP_GET_STATS_CPU dump, @cb once per
 * CPU with st->val[CTA_STATS_EXP_NEW / _CREATE / _DELETE] and their
 * present bits (print with ct_format_stats(..., CT_STATS_EXPECT)).
 * Returns 0, the callback's error, or -errno.
 */
int ct_expect_stats(struct nl_sock *s, ct_stats_cb cb, void *arg,
		    struct nl_ack *ack);

#endif
