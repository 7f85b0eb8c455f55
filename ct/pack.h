/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A compact binary form of conntrack entries and expectations, for what
 * keeps many of them in memory (conntrackd's caches): only the fields
 * whose presence bits are set, IPv4 addresses in 4 bytes, small integers
 * in as few bytes as they need, strings inline, and a reply tuple that
 * is the orig tuple inverted (no NAT) in one byte. An IPv4 TCP entry
 * with both tuples, status, timeout, mark and TCP state, flags and
 * window scales packs in 31 bytes without NAT and 37 with, against
 * sizeof(struct ct_entry) of several hundred.
 *
 * Alongside it, the entry's key: the bytes that identify it in a cache
 * (the orig tuple and the zone for an entry, the expected tuple, the
 * master's orig tuple and the zone for an expectation), canonical so that
 * two entries with the same identity give byte-equal keys whatever else
 * they carry, and so that memcmp() of keys is the identity test.
 *
 * The format is private to one process (no byte-order promise, no
 * versioning) but unpacking still checks every length: a packed buffer
 * that was cut or altered is refused, never read past. Each value has
 * exactly one packed form, so bytes that unpack pack again to the same
 * bytes.
 */
#ifndef RAWCT_CT_PACK_H
#define RAWCT_CT_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "ct/entry.h"
#include "ct/expect.h"

/* Upper bounds, for callers' stack buffers: no entry or expectation
 * packs longer, no key is longer. */
#define CT_PACK_MAX	640
#define CT_KEY_MAX	96

/* The longest strings that pack (bytes without the NUL): helper names
 * (the kernel's are at most 15), an entry's security context, an
 * expectation's expectfn name. They keep every packed form within
 * CT_PACK_MAX. */
#define CT_PACK_HELPER_MAX	31
#define CT_PACK_SECCTX_MAX	160
#define CT_PACK_FN_MAX		63

/*
 * ct_entry_pack - write the fields of @e selected by e->set & @fields
 * (CT_* presence bits; the tuples' own set bits say which tuple fields)
 * into @buf. Strings (helper, secctx) are copied inline, so the packed
 * form borrows nothing. Returns the length (2..CT_PACK_MAX), -ENOSPC if
 * @cap is too small (nothing useful in @buf), -EINVAL for a NULL argument,
 * a selected string that is NULL or longer than its CT_PACK_*_MAX, or
 * labels_len / labels_mask_len over CT_LABELS_BYTES. Address bytes beyond
 * the fourth of an AF_INET tuple (or of a NAT range of an AF_INET entry)
 * are not packed; unpack gives them back as zeros.
 */
int ct_entry_pack(void *buf, size_t cap, const struct ct_entry *e,
		  uint64_t fields);

/*
 * ct_entry_unpack - the reverse: zeroes @e and fills exactly the fields
 * that were packed. e->helper and e->secctx then point into @buf (valid
 * as long as it is). Returns 0, or -EBADMSG if @len bytes are not one
 * whole packed entry (cut, trailing bytes, a length or bit that cannot
 * be).
 */
int ct_entry_unpack(const void *buf, size_t len, struct ct_entry *e);

/*
 * ct_entry_key - the key of @e into @buf (CT_KEY_MAX bytes are always
 * enough): zone (CT_ZONE, else 0; 2 bytes), then the orig tuple as
 * l3, l4 (0 without CT_TUPLE_PROTO), src and dst (4 bytes each if l3 is
 * AF_INET, else 16) and its l4 identity in 4 bytes: icmp type, code and
 * id for icmp and icmpv6, else the ports (GRE keys); absent fields as 0.
 * An IPv4 key is 16 bytes, an IPv6 one 40. Returns the key length, or
 * -EINVAL when @e has no orig tuple.
 */
int ct_entry_key(uint8_t buf[CT_KEY_MAX], const struct ct_entry *e);

/* The same three for expectations: CT_EXP_* presence bits select what
 * is packed (helper and fn strings as above); the key is the zone (2
 * bytes, 0 without CT_EXP_ZONE), then the expected tuple and the
 * master's orig tuple each as in an entry key (-EINVAL without
 * CT_EXP_TUPLE and CT_EXP_MASTER). */
int ct_expect_pack(void *buf, size_t cap, const struct ct_expect *x,
		   uint32_t fields);
int ct_expect_unpack(const void *buf, size_t len, struct ct_expect *x);
int ct_expect_key(uint8_t buf[CT_KEY_MAX], const struct ct_expect *x);

#endif
