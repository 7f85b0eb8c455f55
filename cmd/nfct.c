// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nfct(8): conntrack timeout policies and userspace helpers. Parses the
 * command line (cmd/nfct_args), prints its error or runs it
 * (cmd/nfct_run). Exit status 0, or 1 on any failure, as upstream.
 */
#include <netdb.h>
#include <stdio.h>

#include "cmd/nfct_args.h"
#include "cmd/nfct_run.h"

/* Protocol names as upstream reads them: /etc/protocols. */
static int proto_byname(const char *name, void *arg)
{
	struct protoent *pe = getprotobyname(name);

	(void)arg;
	return pe ? pe->p_proto : -1;
}

int main(int argc, char **argv)
{
	const struct nfct_args_env env = { proto_byname, NULL };
	static struct nfct_args a;
	struct nfct_args_err err;
	int rc;

	if (nfct_args_parse(argc, argv, &env, &a, &err) < 0) {
		fputs(err.text, stderr);
		return 1;
	}
	rc = nfct_run(argc > 0 ? argv[0] : "nfct", &a);
	fflush(stdout);
	return rc;
}
