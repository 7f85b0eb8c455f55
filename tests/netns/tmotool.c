// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tmotool: captures what nfnetlink_cttimeout answers, as hex, for the
 * unit-test fixtures (tests/data/make_tmo.sh). Each request is built by
 * tmo/policy.h; every datagram of the answer is printed as one hex line,
 * up to the one holding NLMSG_DONE or the acknowledgement. Run it inside
 * a scratch namespace only.
 *
 *   tmotool dump                  IPCTNL_MSG_TIMEOUT_GET, NLM_F_DUMP
 *   tmotool get NAME              IPCTNL_MSG_TIMEOUT_GET, NLM_F_ACK
 *   tmotool default L3 L4         IPCTNL_MSG_TIMEOUT_DEFAULT_GET (numbers)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl/msg.h"
#include "nl/sock.h"
#include "nl/uapi.h"
#include "tests/netns/hexcap.h"
#include "tmo/policy.h"

int main(int argc, char **argv)
{
	_Alignas(4) unsigned char buf[256];
	struct tmo_policy t = { 0 };
	struct nl_sock *s;
	struct nl_msg m;
	uint8_t type;
	uint16_t flags = NLM_F_ACK;
	int rc, obj = 1;

	if (argc == 2 && !strcmp(argv[1], "dump")) {
		type = IPCTNL_MSG_TIMEOUT_GET;
		flags = NLM_F_DUMP;
		obj = 0;
	} else if (argc == 3 && !strcmp(argv[1], "get") &&
		   tmo_policy_set_name(&t, argv[2]) == 0) {
		type = IPCTNL_MSG_TIMEOUT_GET;
	} else if (argc == 4 && !strcmp(argv[1], "default")) {
		type = IPCTNL_MSG_TIMEOUT_DEFAULT_GET;
		t.l3proto = (uint16_t)atoi(argv[2]);
		t.l4proto = (uint8_t)atoi(argv[3]);
		t.has = TMO_HAS_L3 | TMO_HAS_L4;
	} else {
		fprintf(stderr, "usage: tmotool dump|get NAME|default L3 L4\n");
		return 2;
	}
	rc = nl_sock_open(&s, NULL);
	if (rc < 0) {
		fprintf(stderr, "tmotool: %s\n", strerror(-rc));
		return 1;
	}
	nl_msg_init(&m, buf, sizeof(buf));
	rc = tmo_policy_encode(&m, type, flags, nl_sock_seq_next(s),
			       obj ? &t : NULL);
	if (rc == 0)
		rc = nl_sock_send(s, m.buf, m.len);
	rc = rc < 0 || hexcap_answer(s) < 0;
	nl_sock_close(s);
	return rc;
}
