/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside conntrack -D and -U (cmd/ct_modify.c): the update of one entry,
 * which cmd/ct_modify_update.c computes for the requests -U queues.
 */
#ifndef RAWCT_CMD_CT_MODIFY_INT_H
#define RAWCT_CMD_CT_MODIFY_INT_H

#include "cmd/ct_args.h"
#include "ct/entry.h"

/*
 * ct_modify_updated - @u gets the update -U (@a) makes to entry @e: @e's
 * orig tuple and zone, and the new values @a gives (timeout, mark as
 * (old & ~mask) ^ value, status bits added, protocol state, labels added
 * or removed with their mask), nothing else. Returns 1 if that changes
 * @e, 0 if not (upstream sends nothing then).
 */
int ct_modify_updated(const struct ct_args *a, const struct ct_entry *e,
		      struct ct_entry *u);

#endif
