// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nfct(8)'s requests (cmd/nfct_run.h): one netlink socket, one request
 * built by tmo/ or cth/, every data reply decoded and printed as it
 * comes. A reply that does not decode is reported (naming the attribute)
 * and makes the exit status 1; the others are still printed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/nfct_run.h"
#include "nl/attr.h"
#include "nl/msg.h"
#include "nl/reply.h"
#include "nl/sock.h"

#define PFX "nfct v" NFCT_VERSION ": "

struct show {
	int subsys;
	int bad;		/* a reply did not decode */
};

static int show_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct show *sh = arg;
	struct nl_attr_err ae = { 0 };
	struct tmo_policy t;
	struct cth_helper h;
	char buf[2048];
	int rc;

	if (sh->subsys == NFCT_SUBSYS_TIMEOUT) {
		rc = tmo_policy_decode(nlh, &t, &ae);
		if (rc == 0)
			rc = tmo_policy_format(&t, buf, sizeof(buf));
	} else {
		rc = cth_helper_decode(nlh, &h, &ae);
		if (rc == 0)
			rc = cth_helper_format(&h, buf, sizeof(buf));
	}
	if (rc < 0) {
		fprintf(stderr, PFX "cannot decode the kernel's reply: %s",
			ae.msg ? ae.msg : strerror(-rc));
		if (ae.type)
			fprintf(stderr, " (attribute %u)", ae.type);
		fputc('\n', stderr);
		sh->bad = 1;
		return 0;
	}
	printf("%s\n", buf);
	return 0;
}

/* One request of @a's, @obj (or none), replies to @sh (NULL: none
 * expected). Returns 0 or -errno. */
static int talk(struct nl_sock *s, const struct nfct_args *a, uint8_t type,
		uint16_t flags, int obj, struct show *sh)
{
	_Alignas(4) unsigned char buf[4096];
	struct nl_msg m;
	uint32_t seq = nl_sock_seq_next(s);
	int rc;

	nl_msg_init(&m, buf, sizeof(buf));
	if (a->subsys == NFCT_SUBSYS_TIMEOUT)
		rc = tmo_policy_encode(&m, type, flags, seq,
				       obj ? &a->tmo : NULL);
	else
		rc = cth_helper_encode(&m, type, flags, seq,
				       obj ? &a->cth : NULL);
	if (rc < 0)
		return rc;
	return nl_query(s, &m, sh ? show_reply : NULL, sh, NULL);
}

/* nfnetlink answers EINVAL for a subsystem it does not have; so does
 * cthelper for a bad request, but never for a plain dump. */
static int no_cthelper(struct nl_sock *s, const struct nfct_args *a)
{
	struct show sh = { NFCT_SUBSYS_HELPER, 0 };

	if (a->type == NFNL_MSG_CTHELPER_GET && a->flags == NLM_F_DUMP)
		return 1;
	return talk(s, a, NFNL_MSG_CTHELPER_GET, NLM_F_DUMP, 0, &sh) ==
	       -EINVAL;
}

static int request(const struct nfct_args *a)
{
	struct show sh = { a->subsys, 0 };
	struct nl_sock *s;
	int rc;

	rc = nl_sock_open(&s, NULL);
	if (rc < 0) {
		fprintf(stderr, PFX "cannot open netlink: %s\n", strerror(-rc));
		return 1;
	}
	rc = talk(s, a, a->type, a->flags, a->has_obj, a->prints ? &sh : NULL);
	fflush(stdout);
	if (rc < 0) {
		fprintf(stderr, PFX "netlink error: %s\n", strerror(-rc));
		if (rc == -EINVAL && a->subsys == NFCT_SUBSYS_HELPER &&
		    no_cthelper(s, a))
			fprintf(stderr, PFX "this kernel has no "
				"nfnetlink_cthelper "
				"(CONFIG_NF_CT_NETLINK_HELPER)\n");
	}
	nl_sock_close(s);
	return rc < 0 || sh.bad;
}

static const char version_text[] =
	"nfct v%s: utility for the Netfilter's Connection Tracking System\n"
	"Copyright (C) 2012 Pablo Neira Ayuso <pablo@netfilter.org>\n"
	"This program comes with ABSOLUTELY NO WARRANTY.\n"
	"This is free software, and you are welcome to redistribute it "
	"under certain \nconditions; see LICENSE file distributed in this "
	"package for details.\n";

static const char help_text[] =
	"nfct v%s: utility for the Netfilter's Connection Tracking System\n"
	"Usage: %s command [parameters]...\n\n"
	"Subsystem:\n"
	"  helper\t\tAllows to configure user-space helper\n"
	"  timeout\t\tAllows definition of fine-grain timeout policies\n"
	"  version\t\tDisplay version and disclaimer\n"
	"  help\t\t\tDisplay this help message\n"
	"Commands:\n"
	"  list [reset]\t\tList the accounting object table (and reset)\n"
	"  add object-name\tAdd new accounting object to table\n"
	"  delete object-name\tDelete existing accounting object\n"
	"  get object-name\tGet existing accounting object\n"
	"  disable\t\tDisable queueing packets to userspace for helper "
	"inspection\n"
	"  default-set\t\tSet default timeouts\n"
	"  default-get\t\tGet default timeouts\n"
	"  flush\t\t\tFlush accounting object table\n";

int nfct_run(const char *prog, const struct nfct_args *a)
{
	switch (a->subsys) {
	case NFCT_SUBSYS_VERSION:
		printf(version_text, NFCT_VERSION);
		return 0;
	case NFCT_SUBSYS_HELP:
		printf(help_text, NFCT_VERSION, prog);
		return 0;
	default:
		return request(a);
	}
}
