#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nfct's helper subsystem against the reference's. The kernels here have
# no nfnetlink_cthelper, so every request fails as the reference's does
# ("netlink error: Invalid argument"), ours then saying why (declared);
# the command-line errors, which need no kernel, match exactly.
. "$(dirname "$0")/nfct_lib.sh"

NO_CTH=$'nfct vX: netlink error: Invalid argument\nnfct vX: this kernel has no nfnetlink_cthelper (CONFIG_NF_CT_NETLINK_HELPER)\n'
WHY="says when the kernel has no nfnetlink_cthelper"

# the requests
for cmd in "list helper" "add helper ftp inet tcp" "add helper rpc inet6 udp" \
	"add helper tns inet tcp extra" "delete helper ftp" \
	"delete helper ftp inet" "delete helper ftp inet6 udp" \
	"get helper ftp" "get helper ftp inet tcp" "flush helper" \
	"disable helper ssdp inet udp" "helper list"; do
	# shellcheck disable=SC2086
	differ "cth_${cmd// /_}" --why "$WHY" --err "$NO_CTH" -- $cmd
done

# the command line
compat cth_list_extra -- list helper x
compat cth_flush_extra -- flush helper x
compat cth_add_missing -- add helper ftp inet
compat cth_add_bad_l3 -- add helper ftp ip tcp
compat cth_add_bad_l4 -- add helper ftp inet sctp
compat cth_add_unknown -- add helper bogus inet tcp
compat cth_add_wrong_l4 -- add helper ftp inet udp
compat cth_add_long -- add helper 0123456789abcdefgh inet tcp
compat cth_delete_no_name -- delete helper
compat cth_delete_extra -- delete helper ftp inet tcp x
compat cth_delete_bad_l3 -- delete helper ftp ip
compat cth_delete_bad_l4 -- delete helper ftp inet icmp
compat cth_get_no_name -- get helper
compat cth_get_bad_l4 -- get helper ftp inet6 gre
compat cth_disable_missing -- disable helper ftp inet
compat cth_disable_bad_l4 -- disable helper ftp inet sctp
compat cth_disable_unknown -- disable helper bogus inet tcp
differ cth_delete_long --why "names longer than the kernel's are refused" \
	--err $'nfct vX: helper name too long: `0123456789abcdef\' (at most 15 characters)\n' \
	-- delete helper 0123456789abcdef
t_done
