/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The capture loop of the fixture tools (exptool, tmotool): prints the
 * kernel's answer to a request already sent, one hex line per datagram,
 * up to the datagram holding NLMSG_DONE or an NLMSG_ERROR.
 */
#ifndef RAWCT_TESTS_HEXCAP_H
#define RAWCT_TESTS_HEXCAP_H

struct nl_sock;

/* Returns 0, or the -errno of a failed receive. */
int hexcap_answer(struct nl_sock *s);

#endif
