/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The expectation model: one conntrack expectation (what a helper such as
 * ftp tells the kernel to let in as RELATED) as plain data, shared by the
 * expectation codec, table operations and printers, as struct ct_entry is
 * for conntrack entries. Each field has a presence bit; a field means
 * something only when its bit is set. Integers are in host order,
 * addresses in network order, tuples as in ct/entry.h.
 *
 * Strings (helper, fn) are borrowed: a decoded expectation points into
 * the receive buffer it came from and is valid until the next receive;
 * one built by a caller points wherever the caller says.
 */
#ifndef RAWCT_CT_EXPECT_H
#define RAWCT_CT_EXPECT_H

#include <stdint.h>

#include "ct/entry.h"

/* Presence bits of struct ct_expect.set */
enum {
	CT_EXP_MASTER	= 1 << 0,	/* CTA_EXPECT_MASTER: the helper's conn */
	CT_EXP_TUPLE	= 1 << 1,	/* CTA_EXPECT_TUPLE: what is expected */
	CT_EXP_MASK	= 1 << 2,	/* CTA_EXPECT_MASK: which bits matter */
	CT_EXP_TIMEOUT	= 1 << 3,	/* CTA_EXPECT_TIMEOUT */
	CT_EXP_ID	= 1 << 4,	/* CTA_EXPECT_ID */
	CT_EXP_HELPER	= 1 << 5,	/* CTA_EXPECT_HELP_NAME */
	CT_EXP_ZONE	= 1 << 6,	/* CTA_EXPECT_ZONE */
	CT_EXP_FLAGS	= 1 << 7,	/* CTA_EXPECT_FLAGS */
	CT_EXP_CLASS	= 1 << 8,	/* CTA_EXPECT_CLASS */
	CT_EXP_NAT	= 1 << 9,	/* CTA_EXPECT_NAT: nat_dir + nat_tuple */
	CT_EXP_FN	= 1 << 10,	/* CTA_EXPECT_FN: expectfn name */
};

/* Expectation flags (struct ct_expect.flags), the kernel's
 * NF_CT_EXPECT_* values. The kernel clears USERSPACE on create. */
#define CT_EXP_F_PERMANENT	0x1	/* survives its first match */
#define CT_EXP_F_INACTIVE	0x2	/* does not match yet */
#define CT_EXP_F_USERSPACE	0x4	/* made by a userspace helper */

/* The kernel's longest helper name incl. NUL (NF_CT_HELPER_NAME_LEN). */
#define CT_EXP_HELPER_MAX	16

struct ct_expect {
	uint32_t set;			/* CT_EXP_* presence bits */
	uint8_t family;			/* nfgen_family: AF_INET, AF_INET6 */
	struct ct_tuple master;		/* orig tuple of the master conntrack */
	struct ct_tuple tuple;		/* the expected connection */
	struct ct_tuple mask;		/* set bits of addresses and ports that
					 * must match; l3/l4 as in tuple */
	uint32_t timeout;		/* seconds left */
	uint32_t id;
	uint32_t flags;			/* CT_EXP_F_* */
	uint32_t class;			/* helper's expectation class */
	uint16_t zone;
	uint8_t nat_dir;		/* CT_DIR_ORIG or CT_DIR_REPLY */
	struct ct_tuple nat_tuple;	/* saved address/port of a NATed
					 * expectation (src half is used) */
	const char *helper;		/* borrowed */
	const char *fn;			/* borrowed */
};

#endif
