/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef RAWCT_TESTS_NLPROBE_H
#define RAWCT_TESTS_NLPROBE_H

#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/sock.h"

/*
 * nl_query() of request @req (one dump) on @s, twice in a row, its
 * replies received by an nl/bg.h thread and walked here as an event loop
 * would (poll on the thread's descriptor), @hold_us microseconds spent
 * after each datagram so that the thread finds its ring full. *@first
 * gets the data messages of the first run (@on_data sees both). Returns
 * 0 or the first run's failure, or that of the second.
 */
int nlprobe_bg_query(struct nl_sock *s, const struct nl_msg *req,
		     unsigned int hold_us, nl_data_cb on_data, void *arg);

#endif
