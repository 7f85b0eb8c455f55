// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack -U's change to one entry: from the entry as the dump gave it
 * and the parsed command line, the update request to send (its orig
 * tuple and zone, the new timeout, mark, status, protocol state and
 * labels, with the labels mask the kernel needs to change only the
 * requested bits), and whether it changes anything at all (upstream
 * skips the entries it would not). A pure function, no I/O:
 * cmd/ct_modify.c queues what it returns.
 */
#include <string.h>

#include "cmd/ct_modify_int.h"

/*
 * CTA_LABELS_MASK of a label update, sized like the kernel's bitmask. The
 * kernel computes new = (old & ~mask) ^ labels (nf_connlabels_replace),
 * so the mask must cover every bit that is set before or after: old |
 * new. Only the requested bits then change.
 */
static void label_mask(struct ct_entry *u, const struct ct_entry *e,
		       uint8_t len)
{
	uint8_t olen = (e->set & CT_LABELS) ? e->labels_len : 0;

	for (int i = 0; i < len && i < CT_LABELS_BYTES; i++)
		u->labels_mask[i] = u->labels[i] |
				    (i < olen ? e->labels[i] : 0);
	u->labels_mask_len = len;
	u->set |= CT_LABELS_MASK;
}

int ct_modify_updated(const struct ct_args *a, const struct ct_entry *e,
		      struct ct_entry *u)
{
	const struct ct_entry *t = &a->tmpl;
	int changed = 0;

	memset(u, 0, sizeof(*u));
	u->family = e->orig.l3 ? e->orig.l3 : e->family;
	u->orig = e->orig;
	u->set = CT_ORIG;
	if (e->set & CT_ZONE) {
		u->zone = e->zone;
		u->set |= CT_ZONE;
	}
	if (t->set & CT_TIMEOUT) {
		u->timeout = t->timeout;
		u->set |= CT_TIMEOUT;
		changed |= !(e->set & CT_TIMEOUT) || e->timeout != t->timeout;
	}
	if (a->options & CT_OPT_MARK) {
		uint32_t old = (e->set & CT_MARK) ? e->mark : 0;

		u->mark = (old & ~a->mark.mask) ^ a->mark.value;
		u->set |= CT_MARK;
		changed |= u->mark != old;
	}
	if (a->options & CT_OPT_STATUS) {
		uint32_t old = (e->set & CT_STATUS) ? e->status : 0;

		u->status = old | t->status;
		u->set |= CT_STATUS;
		changed |= u->status != old;
	}
	if (t->set & (CT_TCP | CT_SCTP | CT_DCCP | CT_TCP_FLAGS)) {
		u->set |= t->set & (CT_TCP | CT_SCTP | CT_DCCP | CT_TCP_FLAGS |
				    CT_SCTP_VTAGS);
		u->tcp = t->tcp;
		u->sctp = t->sctp;
		u->dccp = t->dccp;
		changed |= ((t->set & CT_TCP) && e->tcp.state != t->tcp.state) ||
			   ((t->set & CT_SCTP) &&
			    e->sctp.state != t->sctp.state) ||
			   ((t->set & CT_DCCP) &&
			    e->dccp.state != t->dccp.state);
	}
	if (a->options & (CT_OPT_ADD_LABEL | CT_OPT_DEL_LABEL)) {
		uint8_t len = (e->set & CT_LABELS) ? e->labels_len : 0;

		memcpy(u->labels, e->labels, sizeof(u->labels));
		if (a->options & CT_OPT_ADD_LABEL) {
			if (!len)
				len = (uint8_t)((a->label_add_max / 32 + 1) * 4);
			for (int i = 0; i < len && i < CT_LABELS_BYTES; i++)
				u->labels[i] |= a->label_add[i];
			label_mask(u, e, len);
		} else if (a->label_add_max < 0) {
			len = 0;		/* --label-del: all */
		} else {
			for (int i = 0; i < len; i++)
				u->labels[i] &= (uint8_t)~a->label_add[i];
			label_mask(u, e, len);
		}
		u->labels_len = len;
		u->set |= CT_LABELS;
		changed |= len != ((e->set & CT_LABELS) ? e->labels_len : 0) ||
			   memcmp(u->labels, e->labels, len);
	}
	return changed;
}
