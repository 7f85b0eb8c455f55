/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nfct(8)'s command line: `nfct COMMAND SUBSYSTEM [params]` (or the
 * legacy `nfct SUBSYSTEM COMMAND ...`), commands and subsystems matched
 * by prefix as upstream does, into the one netlink request it stands for
 * (a timeout policy or a helper, with its message type and flags) or the
 * complete text of upstream's error. Pure: no kernel, no output, no
 * files (protocol names come from the caller), so the fuzzer and the
 * unit tests call it in a loop.
 */
#ifndef RAWCT_CMD_NFCT_ARGS_H
#define RAWCT_CMD_NFCT_ARGS_H

#include <stdint.h>

#include "cth/helper.h"
#include "tmo/policy.h"

#define NFCT_VERSION	"1.4.8"

enum nfct_subsys {
	NFCT_SUBSYS_NONE,
	NFCT_SUBSYS_TIMEOUT,
	NFCT_SUBSYS_HELPER,
	NFCT_SUBSYS_VERSION,
	NFCT_SUBSYS_HELP,
};

enum nfct_cmd {
	NFCT_CMD_NONE,
	NFCT_CMD_LIST,
	NFCT_CMD_ADD,
	NFCT_CMD_DELETE,
	NFCT_CMD_GET,
	NFCT_CMD_FLUSH,
	NFCT_CMD_DISABLE,
	NFCT_CMD_DEFAULT_SET,
	NFCT_CMD_DEFAULT_GET,
};

/* What a successful parse asks for. VERSION and HELP need no kernel;
 * for the others, one request of @type (IPCTNL_MSG_TIMEOUT_* or
 * NFNL_MSG_CTHELPER_*) with @flags, carrying @tmo or @cth when @has_obj,
 * whose data replies are printed when @prints. */
struct nfct_args {
	int subsys;		/* enum nfct_subsys */
	int cmd;		/* enum nfct_cmd */
	uint8_t type;
	uint16_t flags;		/* NLM_F_* besides NLM_F_REQUEST */
	int has_obj;
	int prints;
	struct tmo_policy tmo;	/* NFCT_SUBSYS_TIMEOUT */
	struct cth_helper cth;	/* NFCT_SUBSYS_HELPER */
};

/* Protocol names: returns the number of protocol @name (as
 * getprotobyname() does from /etc/protocols) or -1 if unknown. */
struct nfct_args_env {
	int (*proto_byname)(const char *name, void *arg);
	void *arg;
};

/* The whole text to print on stderr for a refused command line (one or
 * more lines, each ending in a newline); the exit status is 1. */
#define NFCT_ERR_MAX	1024
struct nfct_args_err {
	char text[NFCT_ERR_MAX];
};

/*
 * nfct_args_parse - parses @argc/@argv (argv[0] is the program name,
 * used in usage lines) into @a. Returns 0, or -EINVAL with @err filled
 * (the text upstream prints, except where nfct(8) says DIFFERENCES).
 * @argv is not modified.
 */
int nfct_args_parse(int argc, char *const *argv,
		    const struct nfct_args_env *env, struct nfct_args *a,
		    struct nfct_args_err *err);

#endif
