/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the conntrack table operations (ct/table.h): what the requests
 * (ct/table.c) take from the filter encoder (ct/table_filter.c) to put a
 * struct ct_kfilter into a dump or a flush.
 */
#ifndef RAWCT_CT_TABLE_INT_H
#define RAWCT_CT_TABLE_INT_H

#include <stdint.h>

#include "ct/entry.h"
#include "ct/table.h"
#include "nl/msg.h"

/*
 * ct_kfilter_kernel_tuple - the part of filter tuple @f the kernel
 * compares correctly for a dump of @family: @out gets @f reduced to it,
 * and the return value is that part as CTA_FILTER_FLAG_* bits (0: the
 * kernel can apply none of it).
 */
uint32_t ct_kfilter_kernel_tuple(const struct ct_tuple *f, uint8_t family,
				 struct ct_tuple *out);

/*
 * ct_kfilter_put_tuple - appends @f's tuples (CTA_TUPLE_ORIG/REPLY, the
 * kernel's part of each) and the CTA_FILTER nest naming them to @m, when
 * @f has an IPv4 or IPv6 family and a part the kernel compares; *@used
 * is set to 1 if anything was written. Returns 0 or a negative errno
 * from the puts (-EMSGSIZE: @m is full).
 */
int ct_kfilter_put_tuple(struct nl_msg *m, const struct ct_kfilter *f,
			 int *used);

/*
 * ct_kfilter_put_scalar - appends @f's mark, status (unless its mask is
 * 0, which the kernel refuses) and zone to @m, as dumps and flushes take
 * them; *@used is set to 1 if anything was written. Returns 0 or
 * -EMSGSIZE.
 */
int ct_kfilter_put_scalar(struct nl_msg *m, const struct ct_kfilter *f,
			  int *used);

#endif
