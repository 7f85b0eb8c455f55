#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Refused requests come back through nl_query with the kernel's errno and,
# where the kernel gives them, the extended-ack text and offset. What
# kernel 6.18 sends (checked by hand, asserted exactly here):
#  - CT_NEW|CREATE without tuples: ctnetlink returns -EINVAL itself, with
#    no extended-ack message and no offset;
#  - CT_GET (no dump) without a tuple: likewise -EINVAL, bare;
#  - CT_NEW with a 2-byte CTA_STATUS (policy NLA_U32): nfnetlink's policy
#    check refuses it with -ERANGE, "Attribute failed policy validation"
#    and NLMSGERR_ATTR_OFFS = 20, the offset of CTA_STATUS in the request
#    (16-byte nlmsghdr + 4-byte nfgenmsg).
. "$(dirname "$0")/lib.sh"

case_error_notuple() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" error notuple
	t_eq "CT_NEW without tuples" "$out" "errno=22 name=EINVAL msg='' off=none"
}

case_error_get_notuple() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" error getnotuple
	t_eq "CT_GET without tuple" "$out" "errno=22 name=EINVAL msg='' off=none"
}

case_error_extack() {
	local ns out
	ns_new ns
	ns_require_ctnetlink "$ns"
	t_run out ns_exec "$ns" "$NLPROBE" error badlen
	t_eq "CT_NEW with short CTA_STATUS" "$out" \
		"errno=34 name=ERANGE msg='Attribute failed policy validation' off=20"
	# a refused request left nothing behind
	t_run out ns_exec "$ns" "$NLPROBE" stats
	t_eq "entries after refusals" "${out%% *}" "entries=0"
}

t_case error_notuple case_error_notuple
t_case error_get_notuple case_error_get_notuple
t_case error_extack case_error_extack
t_done
