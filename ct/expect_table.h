/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The expectation table through ctnetlink (NFNL_SUBSYS_CTNETLINK_EXP):
 * one function per kernel operation, as ct/table.h has for conntrack
 * entries: dump (streaming, constant memory), get, create, delete,
 * flush, count and per-cpu statistics. Every function returns 0 or
 * -errno and, when the kernel refused a request, copies its error and
 * extended-ack text into @ack (which may be NULL).
 */
#ifndef RAWCT_CT_EXPECT_TABLE_H
#define RAWCT_CT_EXPECT_TABLE_H

#include <stdint.h>

#include "ct/expect.h"
#include "ct/stats.h"
#include "nl/reply.h"
#include "nl/uapi.h"

struct nl_sock;

/*
 * Called once per expectation. @x and its strings are borrowed from the
 * receive buffer and valid only during the call; @nlh is the raw
 * message. Return 0 to go on or a negative errno to stop: the rest of a
 * dump is drained (the socket stays usable) and that errno returned.
 */
typedef int (*ct_expect_cb)(const struct ct_expect *x,
			    const struct nlmsghdr *nlh, void *arg);

/*
 * ct_expect_dump - IPCTNL_MSG_EXP_GET with NLM_F_DUMP: every expectation
 * of family @family (0 = all; the kernel filters), each passed to @cb.
 * With @master (may be NULL) only the expectations of the conntrack
 * whose orig tuple is *@master (the kernel's per-master dump; -ENOENT if
 * there is no such conntrack; @family 0 then means master->l3, since
 * the kernel parses the tuple by it). @seen (may be NULL) receives the number
 * of expectations passed to @cb.
 * Returns 0, the callback's error, a decode error (-EBADMSG, -ERANGE,
 * -EINVAL: the dump is drained, @ack->ext_msg says which attribute), the
 * kernel's -errno, or a socket error.
 */
int ct_expect_dump(struct nl_sock *s, uint8_t family,
		   const struct ct_tuple *master, ct_expect_cb cb, void *arg,
		   uint64_t *seen, struct nl_ack *ack);

/*
 * ct_expect_get - IPCTNL_MSG_EXP_GET of the expectation identified by
 * @key (ct_expect_put_key: tuple or master, zone, id; family from
 * key->family). Calls @cb once with the kernel's answer.
 * Returns 0, -ENOENT if there is none, or another -errno.
 */
int ct_expect_get(struct nl_sock *s, const struct ct_expect *key,
		  ct_expect_cb cb, void *arg, struct nl_ack *ack);

/*
 * ct_expect_create - IPCTNL_MSG_EXP_NEW with the attributes of
 * ct_expect_put_new() and @flags: NLM_F_CREATE | NLM_F_EXCL for -I
 * (-EEXIST if the tuple is already expected), NLM_F_CREATE to create or
 * refresh the timeout, 0 to refresh only (-ENOENT if absent). Kernel
 * errors on create: -ENOENT no such master conntrack; -EOPNOTSUPP the
 * master has no helper (or CTA_EXPECT_HELP_NAME names an unknown one);
 * -EINVAL class above the helper's bound or an unknown expectfn; -EBUSY
 * a clashing expectation; -EMFILE the helper's limit is reached.
 */
int ct_expect_create(struct nl_sock *s, const struct ct_expect *x,
		     uint16_t flags, struct nl_ack *ack);

/*
 * ct_expect_delete - IPCTNL_MSG_EXP_DELETE of the one expectation whose
 * tuple is x->tuple (CT_EXP_TUPLE required: without a tuple the kernel
 * would flush, so -EINVAL here), in zone x->zone if CT_EXP_ZONE, and
 * with id x->id if CT_EXP_ID. Returns 0 (one deleted), -ENOENT if there
 * is none, or another -errno.
 */
int ct_expect_delete(struct nl_sock *s, const struct ct_expect *x,
		     struct nl_ack *ack);

/*
 * ct_expect_flush - delete expectations. @family 0 and @helper NULL:
 * IPCTNL_MSG_EXP_DELETE without attributes, which empties the table of
 * every family (*@deleted is then not known: set to UINT64_MAX). @helper
 * set: the kernel's flush by helper name (CTA_EXPECT_HELP_NAME, family
 * ignored by the kernel; *@deleted unknown as well). @family set and no
 * @helper: the kernel flush ignores nfgen_family, so the expectations of
 * that family are dumped and deleted one by one, counting in *@deleted
 * those actually deleted (ENOENT: expired meanwhile, not counted).
 * @deleted may be NULL. Returns 0 or -errno.
 */
int ct_expect_flush(struct nl_sock *s, uint8_t family, const char *helper,
		    uint64_t *deleted, struct nl_ack *ack);

/* ct_expect_count - the number of expectations (a dump, counted: the
 * kernel has no expectation count request) of @family (0 = all). */
int ct_expect_count(struct nl_sock *s, uint8_t family, uint32_t *count,
		    struct nl_ack *ack);

/* ct_expect_stats() is declared in ct/stats.h, with ct_table_stats(). */

#endif
