// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Printing the kernel's answer as hex lines (tests/netns/hexcap.h).
 */
#include <stdio.h>
#include <string.h>

#include "nl/sock.h"
#include "nl/uapi.h"
#include "tests/netns/hexcap.h"

/* Whether datagram @p of @n bytes ends the answer. */
static int last(const unsigned char *p, size_t n)
{
	struct nlmsghdr h;

	for (size_t off = 0; off + sizeof(h) <= n;) {
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR)
			return 1;
		if (h.nlmsg_len < sizeof(h))
			break;
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	return 0;
}

int hexcap_answer(struct nl_sock *s)
{
	const void *data;
	ssize_t n;

	do {
		n = nl_sock_recv(s, &data);
		if (n < 0)
			return (int)n;
		for (ssize_t i = 0; i < n; i++)
			printf("%02x", ((const unsigned char *)data)[i]);
		printf("\n");
	} while (!last(data, (size_t)n));
	return 0;
}
