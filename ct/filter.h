/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The userspace conntrack filter of conntrack -L/-D/-U/-E: which entries a
 * command line selects. Semantics of upstream's nfct_filter() (spec 1.7):
 * NAT (-n/-g/-j, optionally a specific address and port), mark/mask,
 * labels (the entry has every listed bit), CIDR networks on the orig
 * source/destination, then an exact compare of every field the command
 * line gave (nfct_cmp with NFCT_CMP_ALL|NFCT_CMP_MASK). Part of it can be
 * done by the kernel (ct_filter_kernel); the full filter is still run on
 * every entry, so results do not depend on kernel support.
 */
#ifndef RAWCT_CT_FILTER_H
#define RAWCT_CT_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "ct/entry.h"

struct ct_kfilter;

/* Which parts of struct ct_filter are in use (ct_filter.set). */
enum {
	CT_F_FAMILY	= 1 << 0,	/* entry l3 family == family */
	CT_F_CMP	= 1 << 1,	/* compare the fields set in tmpl */
	CT_F_MARK	= 1 << 2,	/* (mark & mark_mask) == mark_value */
	CT_F_STATUS	= 1 << 3,	/* (status & status_mask) == status */
	CT_F_LABELS	= 1 << 4,	/* every bit of labels set in entry */
	CT_F_NET_SRC	= 1 << 5,	/* orig src in net[0] */
	CT_F_NET_DST	= 1 << 6,	/* orig dst in net[1] */
	CT_F_NAT_SRC	= 1 << 7,	/* source-NATed (-n) */
	CT_F_NAT_DST	= 1 << 8,	/* destination-NATed (-g) */
	CT_F_NAT_ANY	= 1 << 9,	/* either (-j) */
	CT_F_L4_LAX	= 1 << 10,	/* CT_F_CMP: see struct ct_filter */
};

/* A NAT condition: an address the entry is NATed to and/or a port. */
struct ct_filter_nat {
	uint8_t has_addr, has_port;
	uint8_t l3;			/* family of addr */
	union ct_addr addr;
	uint16_t port;			/* host order */
};

struct ct_filter_net {
	uint8_t l3;			/* AF_INET or AF_INET6 */
	union ct_addr net, mask;	/* net is already masked */
};

struct ct_filter {
	uint32_t set;			/* CT_F_* */
	uint8_t family;
	/*
	 * Compared with CT_F_CMP: orig/reply tuple fields by their set bits
	 * (tuple.l3 when not 0, CT_TUPLE_PROTO, _SRC, _DST, _SPORT, _DPORT,
	 * _ICMP_TYPE/_CODE/_ID, _ZONE) and, by tmpl.set, CT_TIMEOUT, CT_ID,
	 * CT_SECMARK, CT_ZONE, CT_TCP/CT_SCTP/CT_DCCP (state only). An entry
	 * without CT_TIMEOUT/CT_ID/state does not match such a field; a
	 * missing secmark, zone or directional zone counts as 0. An l4 field
	 * (port, key, ICMP type/code/id) the entry's tuple lacks, as one of
	 * a protocol the kernel tracks as generic, does not match either,
	 * unless CT_F_L4_LAX is set: then it is not compared (upstream's
	 * -U compares tuples so, its -L/-D/-G do not).
	 */
	struct ct_entry tmpl;
	uint32_t mark_value, mark_mask;
	uint32_t status, status_mask;
	uint8_t labels[CT_LABELS_BYTES];	/* ct_labels_set() layout */
	struct ct_filter_net net[2];		/* [0] src, [1] dst */
	struct ct_filter_nat snat, dnat;	/* -n / -g (-j sets both) */
};

/* Nonzero when @e passes @f. A NULL or empty filter passes everything. */
bool ct_filter_match(const struct ct_filter *f, const struct ct_entry *e);

/*
 * ct_filter_kernel - the part of @f the kernel can apply in a dump: family,
 * mark/mask, status/mask (only with a nonzero mask), zone, and the exact
 * tuple fields of the compare (not the CIDR networks, NAT or labels; not
 * the l4 fields with CT_F_L4_LAX).
 * @cmp_to_kernel: also send the tuple fields (false reproduces upstream's
 * -D, which sends mark and family only; either way results are the same,
 * as ct_filter_match() runs on each entry). Fills @kf; returns 0.
 */
int ct_filter_kernel(const struct ct_filter *f, struct ct_kfilter *kf,
		     bool cmp_to_kernel);

/*
 * ct_filter_is_key - whether @f selects at most one entry the kernel can
 * look up directly: a complete orig (or reply) tuple (l3, both
 * addresses, protocol and its l4 identity) and a zone (CT_ZONE in tmpl),
 * no CIDR networks. Then a -D/-U can go straight to the entry, the other
 * conditions being checked on the entry got. Without a zone upstream
 * matches entries in every zone, so it is not a key.
 */
bool ct_filter_is_key(const struct ct_filter *f);

#endif
