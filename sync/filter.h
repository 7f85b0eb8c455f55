/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conntrackd's Filter (General { Filter [From Userspace|Kernelspace] }):
 * which flows the daemon caches and replicates, with upstream's semantics
 * (spec 2.13, src/filter.c ct_filter_check): every configured set must
 * pass; Protocol Accept|Ignore is a set of l4 protocol numbers; Address
 * Accept|Ignore is a set of IPv4/IPv6 hosts and networks tested against
 * the orig source and the reply source (the peer as seen after NAT);
 * State Accept|Ignore is a set of TCP states and applies to TCP flows
 * only. An unconfigured set passes everything. A flow without addresses
 * of its family is dropped.
 *
 * Built once from the configuration into a structure where a host is a
 * hash lookup and networks are looked up per distinct prefix length (not
 * a linear scan per flow, as upstream does), and compiled for `From
 * Kernelspace` into a classic BPF socket filter (ct/bpf.h) that the
 * kernel runs on the event socket. The BPF program is exact for events:
 * for every conntrack event message it accepts exactly what
 * sync_filter_match() accepts on the decoded entry (a fuzz harness checks
 * this with ct_bpf_run); messages it cannot judge (not a conntrack event,
 * malformed) it accepts, and userspace decides.
 *
 * The expectation filter of `ExpectationSync { names }` is the list of
 * helper names whose expectations are replicated.
 */
#ifndef RAWCT_SYNC_FILTER_H
#define RAWCT_SYNC_FILTER_H

#include <stdbool.h>

#include "ct/bpf.h"
#include "ct/entry.h"
#include "ct/expect.h"
#include "sync/config.h"

struct sync_filter;

/* Builds the filter of @cf (copied: @cf may go away). NULL or an empty
 * filter accepts every flow that has its addresses. Returns 0 and *@out,
 * -ENOMEM, or -EINVAL for a network that is neither AF_INET nor AF_INET6
 * or whose prefix is longer than its family's addresses. */
int sync_filter_new(struct sync_filter **out,
		    const struct sync_conf_filter *cf);
void sync_filter_free(struct sync_filter *f);

/* Whether the flow @e passes (true: cache and replicate it). The flow's
 * family is its orig tuple's; without a source address of that family in
 * both tuples it is dropped, whatever the filter (upstream's
 * ct_filter_sanity_check; @f may be NULL). Protocol and State look at the
 * orig tuple's protocol (0 without one). */
bool sync_filter_match(const struct sync_filter *f, const struct ct_entry *e);

/*
 * sync_filter_bpf - the filter (@f may be NULL) as a socket filter for
 * the conntrack event socket, into @p; first it drops every message
 * whose nlmsg_pid is one of the @nskip port ids at @skip (the events our
 * own requests on the sockets of those port ids caused; a 0 there, the
 * kernel's own, is not one), and with one to skip and a NULL @f it accepts all
 * the rest. For an skb holding one conntrack
 * event (IPCTNL_MSG_CT_NEW/DELETE) that ct_entry_decode() accepts, the
 * program accepts exactly when sync_filter_match() does, unless an
 * attribute it reads is there twice or CTA_TUPLE_ORIG is missing (never
 * from the kernel): those it accepts. Everything else it accepts too,
 * except a message that does not decode, which it may drop by the parts
 * it reads (userspace would drop it as well). The program's size grows
 * with the address sets: about 1500 IPv4 hosts fit, 180 IPv6 hosts that
 * share no prefix (sync/filter_bpf.c).
 * Returns 0; -E2BIG when it does not fit CT_BPF_MAXINSNS (the caller
 * falls back to userspace filtering and logs it); -EINVAL for a NULL @p.
 * The result passes ct_bpf_check().
 */
int sync_filter_bpf(const struct sync_filter *f, const uint32_t *skip,
		    unsigned int nskip, struct ct_bpf_prog *p);

/* Expectations (ExpectationSync): @conf->sync.expect_sync 1 = all, 2 =
 * only the listed helpers, 0 = none. */
bool sync_filter_expect(const struct sync_conf *conf,
			const struct ct_expect *x);

#endif
