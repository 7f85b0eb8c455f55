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
 * filter accepts everything. Returns 0 and *@out, or -ENOMEM. */
int sync_filter_new(struct sync_filter **out,
		    const struct sync_conf_filter *cf);
void sync_filter_free(struct sync_filter *f);

/* Whether the flow @e passes (true: cache and replicate it). */
bool sync_filter_match(const struct sync_filter *f, const struct ct_entry *e);

/*
 * sync_filter_bpf - the filter as a socket filter for the conntrack
 * event socket. Returns 0, -E2BIG when it does not fit CT_BPF_MAXINSNS
 * (the caller falls back to userspace filtering and logs it), -EINVAL.
 */
int sync_filter_bpf(const struct sync_filter *f, struct ct_bpf_prog *p);

/* Expectations (ExpectationSync): @conf->sync.expect_sync 1 = all, 2 =
 * only the listed helpers, 0 = none. */
bool sync_filter_expect(const struct sync_conf *conf,
			const struct ct_expect *x);

#endif
