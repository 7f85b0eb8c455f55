/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The conntrack table through ctnetlink: one function per kernel
 * operation (dump, get, create/update, delete, flush, count, per-cpu
 * statistics) and a pipelined batch for many creates, updates or deletes
 * (count and statistics live in ct/stats.h, batches in ct/batch.h; both
 * are included here).
 * Dumps stream: each entry is decoded straight from the receive buffer
 * and handed to a callback, so memory stays constant however big the
 * table is. Every function returns 0 or -errno and, when the kernel
 * refused a request, copies its error and extended-ack text into @ack
 * (which may be NULL).
 */
#ifndef RAWCT_CT_TABLE_H
#define RAWCT_CT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "ct/batch.h"
#include "ct/entry.h"
#include "ct/stats.h"
#include "nl/batch.h"
#include "nl/reply.h"
#include "nl/uapi.h"

struct nl_sock;

/*
 * Called once per entry. @e and everything it points to (helper, secctx)
 * is borrowed from the receive buffer and valid only during the call;
 * @nlh is the raw message (for -o xml/extended printers or to forward).
 * Return 0 to go on, or a negative errno to stop: the rest of the dump is
 * then drained (the socket stays usable) and that errno returned.
 */
typedef int (*ct_entry_cb)(const struct ct_entry *e,
			   const struct nlmsghdr *nlh, void *arg);

/* Which list a dump reads. */
enum ct_table_list {
	CT_LIST_CONNTRACK,	/* IPCTNL_MSG_CT_GET (the table) */
	CT_LIST_DYING,		/* IPCTNL_MSG_CT_GET_DYING */
	CT_LIST_UNCONFIRMED,	/* IPCTNL_MSG_CT_GET_UNCONFIRMED */
};

/* Which scalar fields of struct ct_kfilter are in use. */
enum {
	CT_KF_MARK	= 1 << 0,	/* (entry mark & mark_mask) == mark */
	CT_KF_STATUS	= 1 << 1,	/* (entry status & status_mask) ==
					 * status; status_mask must not be 0 */
	CT_KF_ZONE	= 1 << 2,	/* entry zone (CTA_ZONE) == zone */
};

/*
 * A dump filter the kernel applies where it can. The tuples select by
 * their set bits: CT_TUPLE_SRC, _DST, _PROTO, _SPORT, _DPORT, _ICMP_TYPE,
 * _ICMP_CODE, _ICMP_ID and _ZONE (directional zone) of the orig and the
 * reply tuple; an l4 field only means something together with
 * CT_TUPLE_PROTO (ports of tcp, udp, udplite, sctp, dccp; GRE keys;
 * icmp/icmpv6 by l4). Addresses are compared by tuple.l3, which must
 * match a non-zero family.
 *
 * Whatever the kernel cannot do (no CTA_FILTER before Linux 5.8, no zone
 * filter before 6.8, address filters need a family, ports only for
 * tcp/udp, IPv6 addresses matched inverted (ctnetlink_filter_match_tuple
 * uses !ipv6_addr_cmp, still so in 6.18: never sent), the dying and
 * unconfirmed lists are not filtered at all) is done again in userspace
 * by ct_kfilter_match() on every entry, so the callback sees exactly the
 * matching entries on every kernel: the kernel part only saves copying.
 */
struct ct_kfilter {
	uint8_t family;			/* AF_INET, AF_INET6, 0 = any */
	uint8_t set;			/* CT_KF_* */
	uint16_t zone;
	uint32_t mark, mark_mask;
	uint32_t status, status_mask;
	struct ct_tuple orig, reply;	/* set bits select fields */
};

/* Nonzero if @e (as decoded, @e->family being its l3 family) matches
 * every condition of @f. A NULL filter matches everything. */
int ct_kfilter_match(const struct ct_kfilter *f, const struct ct_entry *e);

/* Tri-state knowledge of the kernel's CTA_FILTER support. */
enum {
	CT_KFILTER_UNKNOWN = -1,	/* probe on first use */
	CT_KFILTER_NO = 0,
	CT_KFILTER_YES = 1,
};

/*
 * ct_table_probe_filter - does the kernel understand CTA_FILTER (5.8+)?
 * Sends a dump request with CTA_MARK = CTA_MARK_MASK = 0xffffffff and a
 * CTA_FILTER asking for CTA_PROTO_NUM on the orig tuple but carrying no
 * CTA_TUPLE_ORIG. A kernel with CTA_FILTER refuses that at dump start
 * with EINVAL; an older kernel ignores the unknown CTA_FILTER and runs
 * the (mark 0xffffffff) dump, which we drain and drop. Returns
 * CT_KFILTER_YES, CT_KFILTER_NO or a negative errno.
 */
int ct_table_probe_filter(struct nl_sock *s);

/* How a dump is received (struct ct_dump.piped). */
enum {
	CT_DUMP_PLAIN = 0,	/* by the calling thread */
	CT_DUMP_PIPED,		/* by a helper thread; a split dump (a filter
				 * without a family: IPv4 and IPv6 halves)
				 * runs both halves at once on two sockets */
	CT_DUMP_PIPED_SERIAL,	/* by a helper thread, split halves one
				 * after the other: better when the caller
				 * keeps the other CPU busy (-D's deletes) */
};

/* A dump request and its results. */
struct ct_dump {
	/* set by the caller */
	uint8_t list;			/* enum ct_table_list */
	uint8_t zero;			/* CT_GET_CTRZERO: read and zero the
					 * counters (conntrack list only) */
	const struct ct_kfilter *filter; /* NULL: everything */
	int8_t kfilter;			/* CT_KFILTER_*: in/out, a probe's
					 * result is stored here; keep it
					 * across dumps to probe only once */
	uint8_t retries;		/* restarts allowed on NLM_F_DUMP_INTR
					 * before the first callback */
	uint8_t piped;			/* CT_DUMP_*: receive in another
					 * thread (nl/pipe.h) so the kernel's
					 * dump work overlaps decoding and
					 * the callback */
	uint32_t pipe_hold_us;		/* piped: how often the caller looks
					 * (nl_query_piped), 0: default */
	ct_entry_cb cb;
	void *arg;
	/* results */
	uint64_t seen;			/* entries received */
	uint64_t matched;		/* entries given to cb */
	int kernel_filtered;		/* the request carried a filter */
};

/*
 * ct_table_dump - dump a list, calling d->cb for each matching entry.
 * Family, mark, status and zone are always sent to the kernel (kernels
 * that ignore one are corrected by ct_kfilter_match); the tuples go in
 * CTA_FILTER only when d->kfilter is (or a probe finds) CT_KFILTER_YES.
 *
 * NLM_F_DUMP_INTR (the table changed under the dump: entries may be
 * missing or doubled): if it is seen before any entry reached the
 * callback, the dump restarts, at most d->retries times; otherwise the
 * dump is read to its end and -EINTR returned, never a silent partial
 * result.
 * Returns 0; -EINTR as above; the callback's error; a decode error
 * (-EBADMSG, -ERANGE, -EINVAL: the dump is drained, @ack->ext_msg says
 * which attribute); the kernel's -errno (with @ack); or a socket error
 * (-ENOBUFS: messages were lost).
 */
int ct_table_dump(struct nl_sock *s, struct ct_dump *d, struct nl_ack *ack);

/*
 * ct_table_get - IPCTNL_MSG_CT_GET of the entry identified by @key (see
 * ct_entry_put_key: orig or reply tuple, zone, id; family from
 * key->family). Calls @cb once with the kernel's answer.
 * Returns 0, -ENOENT if there is no such entry, or another -errno.
 */
int ct_table_get(struct nl_sock *s, const struct ct_entry *key,
		 ct_entry_cb cb, void *arg, struct nl_ack *ack);

/*
 * ct_table_create - IPCTNL_MSG_CT_NEW with the attributes of
 * ct_entry_put_new() and @flags: NLM_F_CREATE | NLM_F_EXCL for -I (fails
 * with -EEXIST if present), NLM_F_CREATE for -A (creates or updates), 0
 * for -U (updates; -ENOENT if absent). Family from e->family. Waits for
 * the ack. Returns 0 or -errno.
 */
int ct_table_create(struct nl_sock *s, const struct ct_entry *e,
		    uint16_t flags, struct nl_ack *ack);

/*
 * ct_table_delete - IPCTNL_MSG_CT_DELETE of the entry identified by @e
 * (ct_entry_put_key). Returns 0, -ENOENT if it is gone, or -errno.
 */
int ct_table_delete(struct nl_sock *s, const struct ct_entry *e,
		    struct nl_ack *ack);

/*
 * ct_table_flush - IPCTNL_MSG_CT_DELETE without a tuple: empties the
 * table, or with @f only the entries of f->family (sent with nfgenmsg
 * version 1, which is how the kernel tells "flush IPv4" from "flush
 * all"), and of f->set CT_KF_MARK / CT_KF_STATUS / CT_KF_ZONE (zone: Linux
 * 6.8+). The kernel does not flush by tuple: -EOPNOTSUPP if f's tuples
 * select anything (the caller dumps and deletes instead). NULL @f
 * flushes everything. Returns 0 or -errno.
 */
int ct_table_flush(struct nl_sock *s, const struct ct_kfilter *f,
		   struct nl_ack *ack);

#endif
