// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conntrack(8): the command-line front end. This first cut answers -V, -h
 * and -C (the table's entry count from ctnetlink's global statistics);
 * the conntrack-table issue grows it into the full drop-in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/sock.h"

#define VERSION "1.4.8"
#define PROGNAME "conntrack"

static const struct nl_attr_policy stats_policy[CTA_STATS_GLOBAL_MAX + 1] = {
	[CTA_STATS_GLOBAL_ENTRIES] = { .kind = NL_ATTR_U32 },
	[CTA_STATS_GLOBAL_MAX_ENTRIES] = { .kind = NL_ATTR_U32 },
};

static int count_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[CTA_STATS_GLOBAL_MAX + 1];
	size_t hdr = NLMSG_HDRLEN + sizeof(struct nfgenmsg);
	struct nlmsghdr h;
	int rc;

	memcpy(&h, nlh, sizeof(h));
	if (h.nlmsg_len < hdr)
		return -EBADMSG;
	rc = nl_attr_parse((const unsigned char *)nlh + hdr, h.nlmsg_len - hdr,
			   stats_policy, CTA_STATS_GLOBAL_MAX, tb, 0, NULL);
	if (rc < 0)
		return rc;
	if (!tb[CTA_STATS_GLOBAL_ENTRIES])
		return -EBADMSG;
	*(unsigned long *)arg = nl_attr_get_be32(tb[CTA_STATS_GLOBAL_ENTRIES]);
	return 0;
}

static int do_count(void)
{
	unsigned char buf[256];
	struct nl_sock *s = NULL;
	struct nl_msg m;
	unsigned long n = 0;
	int rc;

	rc = nl_sock_open(&s, NULL);
	if (rc < 0) {
		fprintf(stderr, "%s v%s (conntrack-tools): Can't open handler\n",
			PROGNAME, VERSION);
		return 1;
	}
	nl_msg_init(&m, buf, sizeof(buf));
	rc = nl_msg_begin_nfnl(&m, NFNL_SUBSYS_CTNETLINK,
			       IPCTNL_MSG_CT_GET_STATS, 0,
			       nl_sock_seq_next(s), AF_UNSPEC);
	if (rc == 0)
		rc = nl_query(s, &m, count_cb, &n, NULL);
	nl_sock_close(s);
	if (rc < 0) {
		fprintf(stderr, "%s v%s (conntrack-tools): Operation failed: %s\n",
			PROGNAME, VERSION, strerror(-rc));
		return 1;
	}
	printf("%lu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-V") ||
			  !strcmp(argv[1], "--version"))) {
		printf("%s v%s (conntrack-tools)\n", PROGNAME, VERSION);
		return 0;
	}
	if (argc >= 2 && (!strcmp(argv[1], "-C") ||
			  !strcmp(argv[1], "--count")))
		return do_count();
	printf("Command line interface for the connection tracking system. "
	       "Version %s\n", VERSION);
	return 0;
}
