/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cthelper part of the nfnetlink ABI (conntrack helpers implemented
 * in userspace, fed through NFQUEUE): its subsystem number, message types
 * and attributes, with the values of the kernel's
 * include/uapi/linux/netfilter/nfnetlink_cthelper.h. Carried here like
 * nl/uapi.h so no <linux/...> header is needed.
 */
#ifndef RAWCT_NL_CTHELPER_H
#define RAWCT_NL_CTHELPER_H

#define NFNL_SUBSYS_CTHELPER		9

#define NFCT_HELPER_STATUS_DISABLED	0
#define NFCT_HELPER_STATUS_ENABLED	1

/* Message types (enum nfnl_cthelper_msg_types). */
#define NFNL_MSG_CTHELPER_NEW		0	/* create, or update status */
#define NFNL_MSG_CTHELPER_GET		1	/* by name and tuple, or dump */
#define NFNL_MSG_CTHELPER_DEL		2	/* by name and tuple, or all */

/* Attributes of a helper (enum nfnl_cthelper_type). */
#define NFCTH_NAME		1	/* string, < NF_CT_HELPER_NAME_LEN */
#define NFCTH_TUPLE		2	/* nested: NFCTH_TUPLE_* */
#define NFCTH_QUEUE_NUM		3	/* be32: NFQUEUE the packets go to */
#define NFCTH_POLICY		4	/* nested: NFCTH_POLICY_SET_* */
#define NFCTH_PRIV_DATA_LEN	5	/* be32: per-conntrack private bytes */
#define NFCTH_STATUS		6	/* be32: NFCT_HELPER_STATUS_* */
#define NFCTH_MAX		6

/* Inside NFCTH_POLICY (enum nfnl_cthelper_policy_type): the number of
 * expectation classes, then one nest per class, SET1..SET4. */
#define NFCTH_POLICY_SET_NUM	1	/* be32 */
#define NFCTH_POLICY_SET	2	/* = NFCTH_POLICY_SET1 */
#define NFCTH_POLICY_SET_MAX	5	/* NFCTH_POLICY_SET4 */

/* Inside each class (enum nfnl_cthelper_pol_type). */
#define NFCTH_POLICY_NAME		1	/* string */
#define NFCTH_POLICY_EXPECT_MAX		2	/* be32: expectations at once */
#define NFCTH_POLICY_EXPECT_TIMEOUT	3	/* be32: seconds */
#define NFCTH_POLICY_MAX		3

/* Inside NFCTH_TUPLE (enum nfnl_cthelper_tuple_type). */
#define NFCTH_TUPLE_L3PROTONUM	1	/* be16 */
#define NFCTH_TUPLE_L4PROTONUM	2	/* u8 */
#define NFCTH_TUPLE_MAX		2

/* Helper and class name buffer size, NUL included (the kernel's
 * NF_CT_HELPER_NAME_LEN). */
#define NF_CT_HELPER_NAME_LEN	16

#endif
